//! Mutation fuzzing of the whole read path, shared by `tests/fuzz.rs` (a short run in CI) and
//! `examples/soak.rs` (a million inputs or more). Seeds are our own sample mails; mutations are
//! byte flips, splices, truncations and insertions of the tokens parsers care about. Each input
//! goes through everything hostile mail reaches: the header first look, MIME parsing, the
//! classifier, the verdict, the detail rendering, the mbox splitter and every report writer.
#![allow(dead_code)]

use bouncescope::bounce::Bounce;
use bouncescope::classify::{Lang, Rules};
use bouncescope::engine::Stats;
use bouncescope::mailbox::mbox::MboxReader;
use bouncescope::mailbox::{Item, RawMessage};
use bouncescope::report::{self, Context, Filter, Format};
use bouncescope::{demo, verdict};
use bouncescope::{display, explain, pipeline};

/// xorshift64*: small, fast, reproducible from a seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// What parsers and the terminal care about: structure, encodings, escapes, controls, bidi.
const TOKENS: &[&[u8]] = &[
    b"\n--b\n",
    b"\n--b--\n",
    b"\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n",
    b"\nContent-Type: message/delivery-status\n\n",
    b"\nContent-Type: message/rfc822\n\n",
    b"\nContent-Type: text/html; charset=x-unknown\n\n<p>",
    b"\nContent-Transfer-Encoding: base64\n\n",
    b"\nContent-Transfer-Encoding: quoted-printable\n\n=1B=5B2J=\n",
    b"=?utf-8?B?G10wO3B3bmVkBw==?=",
    b"=?iso-8859-1?Q?=1B[31m?=",
    b"\nFinal-Recipient: rfc822; ",
    b"\nAction: failed\nStatus: 5.1.1\n",
    b"\nDiagnostic-Code: smtp; 550 5.1.1 ",
    b"\nReturn-Path: <>\n",
    b"\nFrom MAILER-DAEMON Thu Jan  1 00:00:00 2026\n",
    b"\n>From ",
    b"\nReceived: from x ([198.51.100.7]) by y; Thu, 1 Jan 2026 00:00:00 +0000\n",
    b"<a@b.example>: ",
    b"\x1b]52;c;ZXZpbA==\x07",
    b"\x1b]0;title\x07",
    b"\x1b[2J\x1b[H",
    b"\x9b31m",
    "\u{202e}\u{2066}".as_bytes(),
    b"\x00",
    b"\r",
    b"\r\n\r\n",
    b"\n\n",
    b"\n ",
    b"\xff\xfe",
    b"\xc3",
];

/// Our own sample mails: the demo mailbox, its Sent folder and a few more MTA styles.
pub fn seeds() -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = demo::messages().into_iter().map(|m| m.data).collect();
    v.extend(demo::sent_messages());
    v.push(b"Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net\nSubject: failure notice\n\nHi. This is the qmail-send program at mx.example.net.\n\n<kees@example.nl>:\n192.0.2.1 does not like recipient.\nRemote host said: 550 5.1.1 Mailbox bestaat niet\n\n--- Below this line is a copy of the message.\n\nFrom: owner@example.net\nTo: kees@example.nl\nSubject: hallo\n".to_vec());
    v.push(b"From: postmaster@example.com\nSubject: Undeliverable: report\nContent-Type: multipart/alternative; boundary=\"m\"\n\n--m\nContent-Type: text/html; charset=utf-8\n\n<html><body><p>Delivery has failed to these recipients:</p><p><a href=\"mailto:x@example.com\">x@example.com</a></p><p>Remote Server returned '550 5.2.2 mailbox full'</p></body></html>\n--m--\n".to_vec());
    v.push(b"From MAILER-DAEMON Mon Jan  5 10:00:00 2026\nFrom: Mail Delivery System <MAILER-DAEMON@example.de>\nSubject: Mail delivery failed\n\nThis message was created automatically by mail delivery software.\n\n  hans@example.de\n    Unrouteable address\n\nFrom MAILER-DAEMON Mon Jan  5 10:01:00 2026\nFrom: a@example.de\nSubject: hello\n\n>From the start\n".to_vec());
    v
}

/// A mutated copy of a random seed.
pub fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut d = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(d.len() + 1);
        match rng.below(9) {
            0 if !d.is_empty() => {
                let i = rng.below(d.len());
                d[i] ^= 1 << rng.below(8);
            }
            1 if !d.is_empty() => {
                let i = rng.below(d.len());
                d[i] = rng.next() as u8;
            }
            2 | 3 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                d.splice(at..at, t.iter().copied());
            }
            4 => {
                let end = (at + rng.below(200)).min(d.len());
                d.drain(at..end);
            }
            5 => {
                let end = (at + rng.below(400)).min(d.len());
                let chunk = d[at..end].to_vec();
                let times = 1 + rng.below(8);
                for _ in 0..times {
                    d.splice(at..at, chunk.iter().copied());
                }
            }
            6 => d.truncate(at),
            7 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len() + 1);
                d.splice(at..at, other[from..].iter().copied());
            }
            _ => {
                let line_end = d[at..].iter().position(|&b| b == b'\n').map_or(d.len(), |p| at + p);
                let long = vec![b'x'; rng.below(5000)];
                d.splice(line_end..line_end, long);
            }
        }
    }
    d
}

/// Does display text hold anything that could act on a terminal?
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

fn all_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| all_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| all_strings(x, out)),
        _ => {}
    }
}

/// Run one input through everything and check the invariants. `Err` names the broken one.
pub fn check(rules: &Rules, owner: &verdict::Owner, data: &[u8]) -> Result<(), String> {
    let raw =
        RawMessage { source: "fuzz".into(), folder: String::new(), data: data.to_vec(), truncated: false, offset: 0 };
    let analysed = pipeline::analyze_message(rules, &raw);
    let mut bounces: Vec<Bounce> = analysed.ok().flatten().into_iter().collect();
    if let Some(b) = bounces.first() {
        let mut strings = Vec::new();
        all_strings(&serde_json::to_value(b).unwrap(), &mut strings);
        if let Some(s) = strings.iter().find(|s| s.chars().any(unsafe_char)) {
            return Err(format!("a control or bidi character survived in {s:?}"));
        }
    }
    for b in &mut bounces {
        let (v, e) = verdict::judge(owner, &verdict::Case::of(b), 1);
        b.verdict = v;
        b.evidence = e;
    }
    if explain::explain(rules, data).chars().any(unsafe_char) {
        return Err("a control or bidi character survived in explain".into());
    }
    let rendered = display::render(data, bounces.first());
    if rendered.text.chars().any(unsafe_char) {
        return Err("a control or bidi character survived rendering".into());
    }
    for r in rendered.highlights.iter().flatten() {
        if rendered.text.get(r.clone()).is_none() {
            return Err(format!("highlight {r:?} is not a character range of the text"));
        }
    }
    // The mbox splitter: every message is accounted for, and bytes are never invented.
    let mut total = 0;
    for item in MboxReader::new(data, "fuzz".into(), String::new()) {
        match item {
            Item::Message(m) => total += m.data.len(),
            Item::Unreadable(_) | Item::Ordinary(_) => {}
        }
    }
    if total > data.len() {
        return Err(format!("the mbox reader produced {total} bytes from {}", data.len()));
    }
    reports(rules, &bounces)
}

/// Every report format over the result: it must write, and text formats stay free of escapes.
fn reports(rules: &Rules, bounces: &[Bounce]) -> Result<(), String> {
    let filter = Filter { all: true, ..Default::default() };
    let rows = report::rows(bounces, &filter);
    let stats = Stats::default();
    let ctx = Context {
        rules,
        lang: Lang::En,
        filter: &filter,
        stats: &stats,
        title: "fuzz".into(),
        summary: verdict::summary(bounces, Lang::En),
        generated: 0,
        width: None,
    };
    for format in [Format::Tsv, Format::Csv, Format::Json, Format::Md, Format::Html, Format::Table] {
        let mut out = Vec::new();
        report::write(format, &mut out, &ctx, &rows).map_err(|e| format!("{format:?}: {e}"))?;
        let text = String::from_utf8(out).map_err(|_| format!("{format:?}: not UTF-8"))?;
        if text.chars().any(|c| c == '\x1b' || c == '\u{9b}' || ('\u{202a}'..='\u{202e}').contains(&c)) {
            return Err(format!("{format:?}: an escape or bidi override reached the report"));
        }
    }
    Ok(())
}
