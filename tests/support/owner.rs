//! An owner's Maildir of our own writing, in Dutch: a `.Verzonden` (Sent) folder, and bounces
//! of real mail, of forged mail (to a catch-all address and to the owner), of mail sent through
//! a stolen login, one without its original, and an auto-reply. Every word of mail data is
//! Dutch or an address, so that an English word on the screen can only come from the program.

// Each test binary uses only some of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub const OWNER: &str = "eigenaar@voorbeeld.nl";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A message the owner sent through their provider.
pub fn sent_mail(n: usize, to: &str, day: u32) -> String {
    format!(
        "Return-Path: <{OWNER}>\nReceived: from [192.168.1.5] (adsl-7.voorbeeld.nl [198.51.100.7])\n\t(Authenticated sender: {OWNER})\n\tby smtp.voorbeeld.nl (Postfix) with ESMTPSA id S{n}\n\tfor <{to}>; Mon, {day:02} Nov 2026 10:00:00 +0100\nMessage-ID: <verzonden-{n}@voorbeeld.nl>\nDate: Mon, {day:02} Nov 2026 10:00:00 +0100\nFrom: Eigenaar <{OWNER}>\nTo: <{to}>\nSubject: Offerte {n}\n\nHallo\n"
    )
}

/// An original that never passed the owner's servers.
pub fn forged_original(n: usize, to: &str, day: u32) -> String {
    format!(
        "Received: from pc-{n}.dyn.voorbeeld.br (pc-{n}.dyn.voorbeeld.br [203.0.113.{n}])\n\tby mx.ontvanger{n}.voorbeeld with SMTP id F{n}\n\tfor <{to}>; Mon, {day:02} Nov 2026 03:00:00 +0100\nMessage-ID: <{n}.reclame@massa.voorbeeld>\nDate: Mon, {day:02} Nov 2026 03:00:00 +0100\nFrom: Eigenaar <{OWNER}>\nTo: <{to}>\nSubject: Goedkope horloges\n"
    )
}

/// An original sent through the owner's account with their login, from a foreign network.
pub fn stolen_original(n: usize, to: &str, day: u32) -> String {
    format!(
        "Received: from [10.0.0.2] (vps.voorbeeld.ru [192.0.2.200])\n\t(Authenticated sender: {OWNER})\n\tby smtp.voorbeeld.nl (Postfix) with ESMTPSA id A{n}\n\tfor <{to}>; Mon, {day:02} Nov 2026 04:00:00 +0100\nMessage-ID: <{n}.misbruik@voorbeeld.nl>\nDate: Mon, {day:02} Nov 2026 04:00:00 +0100\nFrom: Eigenaar <{OWNER}>\nTo: <{to}>\nSubject: Factuur\n"
    )
}

/// A DSN with a Dutch text part to `bounce_to` for `rcpt`, carrying `original` headers (or none).
pub fn dsn(bounce_to: &str, rcpt: &str, day: u32, status: &str, diag: &str, original: Option<&str>) -> String {
    let orig = original.map(|o| format!("--B\nContent-Type: text/rfc822-headers\n\n{o}\n")).unwrap_or_default();
    format!(
        "Return-Path: <>\nDate: Mon, {day:02} Nov 2026 12:00:00 +0100\nFrom: MAILER-DAEMON@mx.ver.voorbeeld (Postbezorging)\nTo: {bounce_to}\nDelivered-To: {bounce_to}\nSubject: Onbestelbaar bericht\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n--B\nContent-Type: text/plain; charset=utf-8\n\nUw bericht kon niet worden afgeleverd.\n\n<{rcpt}>: host mx.ver.voorbeeld zei: {diag}\n\n--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.ver.voorbeeld\n\nFinal-Recipient: rfc822; {rcpt}\nAction: failed\nStatus: {status}\nDiagnostic-Code: smtp; {diag}\n\n{orig}--B--\n"
    )
}

/// Write the owner's Maildir under `dir`; returns its path and (file name, verdict) per bounce.
pub fn maildir(dir: &Path) -> (PathBuf, Vec<(String, &'static str)>) {
    let md = dir.join("Maildir");
    let mut sent: Vec<String> =
        (1..=24).map(|n| sent_mail(n, &format!("vriend{n}@partner{n}.voorbeeld"), 1 + (n as u32 % 9))).collect();
    sent.push(sent_mail(40, "els@weg.voorbeeld", 20));
    sent.push(sent_mail(41, "kees@vol.voorbeeld", 20));
    for (i, s) in sent.iter().enumerate() {
        write(&md.join(format!(".Verzonden/cur/17000000{i:02}.s{i}.host:2,S")), s);
    }
    let unknown = "550 5.1.1 Gebruiker onbekend";
    let mut bounces = vec![
        (
            "01-echt".to_string(),
            dsn(OWNER, "els@weg.voorbeeld", 20, "5.1.1", unknown, Some(&sent_mail(40, "els@weg.voorbeeld", 20))),
            "real",
        ),
        (
            "02-vol".to_string(),
            dsn(
                OWNER,
                "kees@vol.voorbeeld",
                20,
                "5.2.2",
                "552 5.2.2 Postvak vol, te weinig ruimte voor dit bericht; probeer het later opnieuw",
                Some(&sent_mail(41, "kees@vol.voorbeeld", 20)),
            ),
            "real",
        ),
        (
            "03-misbruik".to_string(),
            dsn(
                OWNER,
                "slachtoffer@bank.voorbeeld",
                21,
                "5.1.1",
                unknown,
                Some(&stolen_original(2, "slachtoffer@bank.voorbeeld", 21)),
            ),
            "abuse",
        ),
        ("04-kaal".to_string(), dsn(OWNER, "bob@nergens.voorbeeld", 27, "5.1.1", unknown, None), "undetermined"),
    ];
    // A spam run forging the owner: bounces to random local parts (catch-all) and to the owner.
    for (i, d) in
        ["a.voorbeeld", "b.voorbeeld", "c.voorbeeld", "d.voorbeeld", "e.voorbeeld", "f.voorbeeld"].iter().enumerate()
    {
        let rcpt = format!("klant{i}@{d}");
        let to = if i % 2 == 0 { format!("k{i}x9q@voorbeeld.nl") } else { OWNER.to_string() };
        bounces.push((
            format!("1{i}-vals"),
            dsn(&to, &rcpt, 22, "5.1.1", unknown, Some(&forged_original(10 + i, &rcpt, 22))),
            "backscatter",
        ));
    }
    for (name, text, _) in &bounces {
        write(&md.join(format!("cur/{name}:2,")), text);
    }
    write(
        &md.join("new/99-afwezig"),
        "From: vriend1@partner1.voorbeeld\nTo: eigenaar@voorbeeld.nl\nSubject: Afwezig\nAuto-Submitted: auto-replied\n\nIk ben er niet.\n",
    );
    std::fs::create_dir_all(md.join("tmp")).unwrap();
    (md, bounces.into_iter().map(|(n, _, v)| (n, v)).collect())
}
