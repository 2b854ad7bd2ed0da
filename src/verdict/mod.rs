//! Verdicts: was the bounced original really sent by the mailbox owner (`real`), forged by a
//! spammer (`backscatter`), sent through the owner's account by someone else (`abuse`), or is
//! there too little to tell (`undetermined`)? Signals and their combination follow
//! ../shared/BACKSCATTER.md; every signal that fires becomes an evidence line.

pub mod received;
pub mod sent;

use crate::bounce::{Bounce, Evidence, Kind, Verdict};
use received::{host_matches, Hop};
use sent::{normalize_mid, parse_date, SentIndex};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// What the user told us about themselves (config file or flags); all optional.
#[derive(Debug, Clone, Default)]
pub struct OwnerConfig {
    pub addresses: Vec<String>,
    pub domains: Vec<String>,
    /// Own relay host names or globs (`smtp.example.net`, `*.isp.net`).
    pub relays: Vec<String>,
    pub dkim_domains: Vec<String>,
    /// Sent folders; when empty they are looked for beside the opened mailboxes.
    pub sent: Vec<PathBuf>,
    /// A Sent folder with at least this many messages is taken as complete for its period.
    pub sent_complete_at: usize,
}

/// Everything known about the owner, configured or learned.
#[derive(Debug, Clone, Default)]
pub struct Owner {
    pub addresses: HashSet<String>,
    pub domains: HashSet<String>,
    pub relays: Vec<String>,
    /// Relays learned from bounces of mail that is in the Sent folder.
    pub learned_relays: Vec<String>,
    /// Client IPs the owner logs in from (learned the same way), as /24 (IPv4) prefixes.
    pub client_nets: HashSet<String>,
    pub dkim_domains: HashSet<String>,
    pub sent: Option<SentIndex>,
    pub sent_complete_at: usize,
    /// How many bounces of mail in the Sent folder came back to a BATV-tagged address (learned).
    pub batv_tags_seen: usize,
}

impl Owner {
    /// Combine the configuration with what the Sent folders teach.
    pub fn learn(config: &OwnerConfig, mailbox_paths: &[PathBuf]) -> Owner {
        let folders = if config.sent.is_empty() { sent::find_sent_folders(mailbox_paths) } else { config.sent.clone() };
        let sent = (!folders.is_empty()).then(|| SentIndex::build(&folders)).filter(|s| s.count > 0);
        Owner::from_parts(config, sent)
    }

    /// Build from a config and an already built Sent index.
    pub fn from_parts(config: &OwnerConfig, sent: Option<SentIndex>) -> Owner {
        let mut addresses: HashSet<String> = config.addresses.iter().map(|a| a.to_ascii_lowercase()).collect();
        if let Some(s) = &sent {
            addresses.extend(s.owner_addresses());
        }
        let mut domains: HashSet<String> = config.domains.iter().map(|d| d.to_ascii_lowercase()).collect();
        domains.extend(addresses.iter().map(|a| Bounce::domain(a)).filter(|d| !d.is_empty()));
        let mut dkim_domains: HashSet<String> = config.dkim_domains.iter().map(|d| d.to_ascii_lowercase()).collect();
        dkim_domains.extend(domains.iter().cloned());
        Owner {
            addresses,
            domains,
            relays: config.relays.iter().map(|r| r.to_ascii_lowercase()).collect(),
            learned_relays: Vec::new(),
            client_nets: HashSet::new(),
            dkim_domains,
            sent,
            sent_complete_at: if config.sent_complete_at == 0 { 10 } else { config.sent_complete_at },
            batv_tags_seen: 0,
        }
    }

    fn is_own_relay(&self, host: &str) -> bool {
        !host.is_empty() && self.relays.iter().chain(self.learned_relays.iter()).any(|r| host_matches(host, r))
    }

    fn knows_relays(&self) -> bool {
        !self.relays.is_empty() || !self.learned_relays.is_empty()
    }

    fn is_owner_address(&self, a: &str) -> bool {
        self.addresses.contains(&a.to_ascii_lowercase())
    }

    fn is_owner_domain(&self, d: &str) -> bool {
        let d = d.to_ascii_lowercase();
        self.domains.iter().any(|o| d == *o || d.ends_with(&format!(".{o}")))
    }
}

fn net_of(ip: &str) -> String {
    if ip.contains(':') {
        ip.split(':').take(4).collect::<Vec<_>>().join(":")
    } else {
        ip.rsplit_once('.').map(|(n, _)| n.to_string()).unwrap_or_default()
    }
}

/// Signal strength and direction (BACKSCATTER.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Real,
    Back,
    Account,
}

#[derive(Debug, Clone)]
struct Signal {
    id: &'static str,
    side: Side,
    /// 3 strong, 2 medium, 1 weak.
    weight: u8,
    text: String,
}

fn sig(id: &'static str, side: Side, weight: u8, text: String) -> Signal {
    Signal { id, side, weight, text }
}

/// Learn own relays and client networks from bounces whose original is in the Sent folder:
/// the host that first received those originals is the owner's submission server.
pub fn learn_relays(owner: &mut Owner, bounces: &[Bounce]) {
    let Some(sent) = &owner.sent else { return };
    let mut relays: HashMap<String, usize> = HashMap::new();
    let mut nets = HashSet::new();
    for b in bounces.iter().filter(|b| b.kind == Kind::Bounce) {
        let Some(o) = &b.original else { continue };
        if o.message_id.is_empty() || !sent.message_ids.contains(&normalize_mid(&o.message_id)) {
            continue;
        }
        if b.delivered_to.to_ascii_lowercase().contains("prvs=") {
            owner.batv_tags_seen += 1;
        }
        let hops: Vec<Hop> = o.trace().received.iter().map(|r| received::parse(r)).collect();
        // The oldest hop (last header) is where the owner's client handed the message over.
        if let Some(first) = hops.iter().rev().find(|h| !h.by.is_empty()) {
            *relays.entry(first.by.clone()).or_default() += 1;
            if first.authenticated() && !first.ip.is_empty() {
                nets.insert(net_of(&first.ip));
            }
        }
    }
    let mut learned: Vec<String> = relays.into_keys().collect();
    learned.sort();
    owner.learned_relays = learned;
    owner.client_nets = nets;
}

/// Per-message facts used by the burst signal.
struct BurstKey {
    date: i64,
    domain: String,
}

/// How many distinct recipient domains not in Sent bounced within 24 h of each bounce.
fn burst_counts(owner: &Owner, bounces: &[Bounce]) -> Vec<usize> {
    let sent_domains: HashSet<String> =
        owner.sent.as_ref().map(|s| s.recipients.keys().map(|a| Bounce::domain(a)).collect()).unwrap_or_default();
    let known = |d: &str| sent_domains.contains(d);
    let keys: Vec<Option<BurstKey>> = bounces
        .iter()
        .map(|b| {
            let r = b.recipients.first()?;
            let domain = Bounce::domain(&r.address);
            (b.kind == Kind::Bounce && b.date != 0 && !domain.is_empty() && !known(&domain)).then_some(BurstKey { date: b.date, domain })
        })
        .collect();
    let mut order: Vec<usize> = (0..keys.len()).filter(|i| keys[*i].is_some()).collect();
    order.sort_by_key(|i| keys[*i].as_ref().map(|k| k.date));
    let key = |pos: usize| keys[order[pos]].as_ref().unwrap();
    // A sliding window of ±24 h over the bounces in date order, counting domains in it.
    let mut counts = vec![0; bounces.len()];
    let mut in_window: HashMap<&str, usize> = HashMap::new();
    let (mut lo, mut hi) = (0usize, 0usize);
    for pos in 0..order.len() {
        let d = key(pos).date;
        while hi < order.len() && key(hi).date - d <= 86_400 {
            *in_window.entry(key(hi).domain.as_str()).or_default() += 1;
            hi += 1;
        }
        while d - key(lo).date > 86_400 {
            let dom = key(lo).domain.as_str();
            let c = in_window.get_mut(dom).unwrap();
            *c -= 1;
            if *c == 0 {
                in_window.remove(dom);
            }
            lo += 1;
        }
        counts[order[pos]] = in_window.len();
    }
    counts
}

/// Evidence sentences repeat across thousands of bounces: one copy of each is kept.
#[derive(Debug, Default)]
pub struct SharedTexts(HashSet<std::sync::Arc<str>>);

impl SharedTexts {
    /// Point the evidence at the shared copies of its sentences.
    pub fn share(&mut self, evidence: &mut Vec<Evidence>) {
        for e in evidence.iter_mut() {
            match self.0.get(&e.text) {
                Some(shared) => e.text = shared.clone(),
                None => {
                    self.0.insert(e.text.clone());
                }
            }
        }
        evidence.shrink_to_fit();
    }
}

/// Judge every bounce in place (verdict and evidence). Non-bounces keep no verdict.
pub fn judge_all(owner: &mut Owner, bounces: &mut [Bounce]) {
    learn_relays(owner, bounces);
    let bursts = burst_counts(owner, bounces);
    let mut texts = SharedTexts::default();
    for (b, burst) in bounces.iter_mut().zip(bursts) {
        if b.kind != Kind::Bounce {
            continue;
        }
        let (v, mut ev) = judge(owner, b, burst);
        texts.share(&mut ev);
        b.verdict = v;
        b.evidence = ev;
    }
}

const BURST_MIN_DOMAINS: usize = 5;

/// The verdict for one bounce. `burst` is the number of unrelated recipient domains bouncing
/// within 24 h around it.
pub fn judge(owner: &Owner, b: &Bounce, burst: usize) -> (Verdict, Vec<Evidence>) {
    let signals = signals(owner, b, burst);
    let has = |id: &str| signals.iter().any(|s| s.id == id);
    let evidence: Vec<Evidence> = signals.iter().map(|s| Evidence { signal: s.id, text: s.text.as_str().into() }).collect();
    let with = |v: Verdict, extra: Option<String>| {
        let mut ev = evidence.clone();
        if let Some(t) = extra {
            ev.push(Evidence { signal: "VERDICT", text: t.into() });
        }
        (v, ev)
    };
    // 1. A copy in the Sent folder settles it: the owner sent it.
    if has("SENT_MID") {
        return with(Verdict::Real, None);
    }
    // 2. Strong signs of forgery.
    if has("CATCHALL") || has("FOREIGN_AUTH") || has("BATV_MISSING") {
        return with(Verdict::Backscatter, None);
    }
    // 3. Sent through the owner's own account or relays.
    if has("OWN_AUTH") || has("HANDOFF") {
        // The seeds' rule: a login on your account with no copy in your Sent folder means the
        // password is in someone else's hands.
        let no_copy = has("SENT_ABSENT") || (has("OWN_AUTH") && owner.sent.is_some() && !has("SENT_FUZZY"));
        if no_copy || has("BURST") || has("CLIENT_FOREIGN") {
            return with(Verdict::Abuse, Some("Someone used your account or server: the message is not in your Sent folder. Change your password now.".into()));
        }
        if has("SENT_FUZZY") || has("CLIENT_KNOWN") {
            return with(Verdict::Real, None);
        }
        if has("OWN_AUTH") {
            return with(Verdict::Undetermined, Some("Not enough evidence: sent via your account, but no Sent folder to compare with (use --sent).".into()));
        }
        return with(Verdict::Real, None);
    }
    // 4. Forged by construction.
    // (No date decides: a wrong time-zone offset or clock skews dates by hours; BACKSCATTER.md,
    // corrections.)
    if has("FORGED_HELO") || has("AR_FAIL") {
        return with(Verdict::Backscatter, None);
    }
    // 5. The receiver saw your DKIM pass.
    if has("AR_DKIM_PASS") {
        return with(Verdict::Real, None);
    }
    // 6. Nothing to go on: without the original only envelope signals (catch-all, above) count.
    if b.original.is_none() {
        return with(Verdict::Undetermined, Some("Not enough evidence: no original headers returned with this bounce.".into()));
    }
    // 7. Weigh the rest.
    let (mut back, mut real) = (0u32, 0u32);
    for s in &signals {
        match s.side {
            Side::Back => back += u32::from(s.weight),
            Side::Real => real += u32::from(s.weight),
            Side::Account => {}
        }
    }
    if back >= 3 && back > real {
        return with(Verdict::Backscatter, None);
    }
    if real >= 3 && real > back {
        return with(Verdict::Real, None);
    }
    let missing = if owner.sent.is_none() {
        "no Sent folder found (use --sent)"
    } else if !owner.knows_relays() {
        "your outgoing servers are not known (use --relay)"
    } else {
        "the signals are weak or contradict each other"
    };
    with(Verdict::Undetermined, Some(format!("Not enough evidence: {missing}.")))
}

/// How far an original may be dated after its bounce before that counts (weakly) as forgery:
/// more than any time-zone offset (±14 h) plus a day of clock error would explain.
const DATE_SKEW_SECONDS: i64 = 26 * 3600;

fn signals(owner: &Owner, b: &Bounce, burst: usize) -> Vec<Signal> {
    let mut out = Vec::new();
    let rcpt = b.recipients.first().map(|r| r.address.to_ascii_lowercase()).unwrap_or_default();
    // Catch-all: the bounce came to an address at the owner's domain that the owner never uses.
    let to = crate::text::addresses(&b.delivered_to).next().unwrap_or("").to_ascii_lowercase();
    if !to.is_empty() && !owner.addresses.is_empty() && owner.is_owner_domain(&Bounce::domain(&to)) && !owner.is_owner_address(&to) {
        out.push(sig("CATCHALL", Side::Back, 3, format!("Bounce to {to}; you never send from it (a catch-all address).")));
    }
    // BATV (prvs=) return-address tags: only the owner's own signing server adds them to the
    // envelope sender, so a bounce to a tagged address answers a message that server sent.
    if to.contains("prvs=") || b.original.as_ref().is_some_and(|o| o.trace().return_path.to_ascii_lowercase().contains("prvs=")) {
        out.push(sig("BATV_TAG", Side::Real, 2, "The bounce goes to a BATV-tagged return address, which your server adds (tag not verified without its key).".into()));
    } else if owner.batv_tags_seen >= 3 && !to.is_empty() && owner.is_owner_domain(&Bounce::domain(&to)) {
        out.push(sig("BATV_MISSING", Side::Back, 3, "Return-address tag missing: your server tags every message it sends, this one was not.".into()));
    }
    if b.recipients.iter().any(|r| r.reason == "authfailure") {
        out.push(sig("AUTHFAIL_DSN", Side::Back, 2, "The receiver rejected the message for failing SPF/DKIM/DMARC for the sender's domain.".into()));
    }
    if burst >= BURST_MIN_DOMAINS {
        out.push(sig("BURST", Side::Back, 2, format!("{burst} bounces to unrelated domains within 24 h: a spam run forging you.")));
    }
    let Some(o) = &b.original else {
        if let Some(s) = &owner.sent {
            if !rcpt.is_empty() && !s.recipients.contains_key(rcpt.as_str()) {
                out.push(sig("UNKNOWN_RCPT", Side::Back, 1, format!("You never wrote to {rcpt}.")));
            }
        }
        return out;
    };
    let odate = parse_date(&o.date);
    // Sent folder.
    if let Some(s) = &owner.sent {
        let folder = s.folders.first().map(String::as_str).unwrap_or("Sent");
        let mid = normalize_mid(&o.message_id);
        if !mid.is_empty() && s.message_ids.contains(&mid) {
            out.push(sig("SENT_MID", Side::Real, 3, format!("Original <{mid}> is in your Sent folder ({folder}).")));
        } else {
            let fuzzy = s.recipients.get(rcpt.as_str()).is_some_and(|ds| odate != 0 && ds.iter().any(|d| (d - odate).abs() <= 600));
            if fuzzy {
                out.push(sig("SENT_FUZZY", Side::Real, 2, format!("You wrote to {rcpt} within 10 minutes of the original's date.")));
            } else if s.count >= owner.sent_complete_at && odate != 0 && s.first != 0 && s.first <= odate {
                out.push(sig(
                    "SENT_ABSENT",
                    Side::Back,
                    2,
                    format!("Not in your Sent folder, which holds {} messages since {}.", s.count, crate::dates::day(s.first)),
                ));
            }
            if !rcpt.is_empty() {
                if s.recipients.contains_key(rcpt.as_str()) {
                    out.push(sig("KNOWN_RCPT", Side::Real, 2, format!("You have written to {rcpt} before.")));
                } else {
                    out.push(sig("UNKNOWN_RCPT", Side::Back, 1, format!("You never wrote to {rcpt}.")));
                }
            }
        }
    }
    // Received chain, newest first.
    let hops: Vec<Hop> = o.trace().received.iter().map(|r| received::parse(r)).collect();
    let mut own_auth = false;
    for h in &hops {
        if !h.authenticated() {
            continue;
        }
        let by_own = owner.is_own_relay(&h.by);
        let login_own = !h.auth.is_empty() && (owner.is_owner_address(&h.auth) || owner.is_owner_domain(&Bounce::domain(&h.auth)));
        if login_own || (by_own && h.auth.is_empty()) {
            own_auth = true;
            let who = if h.auth.is_empty() { "a login".to_string() } else { format!("'{}'", h.auth) };
            let from = if h.ip.is_empty() { String::new() } else { format!(" from {}", h.ip) };
            out.push(sig("OWN_AUTH", Side::Account, 3, format!("Sent via {} with {who}{from}.", h.by)));
            if !h.ip.is_empty() && !owner.client_nets.is_empty() {
                if owner.client_nets.contains(&net_of(&h.ip)) {
                    out.push(sig("CLIENT_KNOWN", Side::Real, 2, format!("{} is a network you normally send from.", h.ip)));
                } else {
                    out.push(sig("CLIENT_FOREIGN", Side::Account, 2, format!("{} is not a network you normally send from.", h.ip)));
                }
            }
            break;
        }
        if !h.auth.is_empty() && !owner.addresses.is_empty() && !by_own && h.auth.contains('@') {
            out.push(sig("FOREIGN_AUTH", Side::Back, 3, format!("Sent via someone else's account ({}@{}); your address was only forged.", h.auth, h.by)));
            break;
        }
    }
    if !own_auth && owner.knows_relays() && !hops.is_empty() {
        let handoff = hops.iter().find(|h| (owner.is_own_relay(&h.helo) || owner.is_own_relay(&h.rdns)) && !owner.is_own_relay(&h.by));
        if let Some(h) = handoff {
            out.push(sig("HANDOFF", Side::Real, 3, format!("{} received it from your server {}.", h.by, if h.rdns.is_empty() { &h.helo } else { &h.rdns })));
        } else if hops.iter().any(|h| owner.is_own_relay(&h.by) || owner.is_own_relay(&h.helo) || owner.is_own_relay(&h.rdns)) {
            out.push(sig("RELAY_MENTION", Side::Real, 1, "One of your servers is named in the original's Received lines.".into()));
        } else {
            let first = hops.last().map(|h| if h.rdns.is_empty() { h.helo.clone() } else { h.rdns.clone() }).unwrap_or_default();
            out.push(sig("NO_OWN_RELAY", Side::Back, 2, format!("The original never passed your servers; its first hop was {first}.")));
        }
    }
    // A client that calls itself by the owner's bare domain from a foreign address.
    for h in &hops {
        if !h.helo.is_empty() && owner.domains.contains(&h.helo) && !owner.is_own_relay(&h.rdns) && !h.ip.is_empty() && !own_auth {
            out.push(sig("FORGED_HELO", Side::Back, 3, format!("{} claimed to be '{}'.", h.ip, h.helo)));
            break;
        }
    }
    // Authentication-Results of the receiver.
    let ar = o.trace().authentication_results.to_ascii_lowercase();
    if !ar.is_empty() {
        let owner_dom = |s: &str| owner.domains.iter().any(|d| s.contains(d.as_str()));
        if (ar.contains("spf=fail") || ar.contains("dmarc=fail")) && owner_dom(&ar) {
            out.push(sig("AR_FAIL", Side::Back, 3, "The receiver saw SPF/DMARC fail for your domain.".into()));
        } else if ar.contains("dkim=pass") {
            if let Some(d) = ar.split("header.d=").nth(1).map(|s| s.split([' ', ';', ')']).next().unwrap_or("")) {
                if owner.dkim_domains.contains(d) {
                    out.push(sig("AR_DKIM_PASS", Side::Real, 3, format!("The receiver saw your DKIM signature ({d}) pass.")));
                }
            }
        }
    }
    if o.trace().dkim.iter().any(|(d, _)| owner.dkim_domains.contains(d.as_str())) {
        let (d, s) = o.trace().dkim.iter().find(|(d, _)| owner.dkim_domains.contains(d.as_str())).unwrap();
        out.push(sig("DKIM_OWN", Side::Real, 2, format!("Signed with your DKIM key {d} (selector {s}); not verified offline.")));
    }
    // Dates.
    if odate != 0 && b.date != 0 {
        // A skew within a day is what a wrong time-zone offset or clock looks like: no signal.
        // Beyond it, a weak one that never decides alone.
        if odate - b.date > DATE_SKEW_SECONDS {
            let hours = (odate - b.date) / 3600;
            out.push(sig("DATE_FUTURE", Side::Back, 1, format!("The original is dated {hours} hours after the bounce, more than any time-zone error: its date may be forged.")));
        } else if b.date - odate > 7 * 86_400 {
            out.push(sig("DATE_OLD", Side::Back, 1, "The original is more than a week older than the bounce.".into()));
        }
    }
    // Envelope against header.
    let rp = crate::text::addresses(&o.trace().return_path).next().unwrap_or("").to_ascii_lowercase();
    let from = crate::text::addresses(&o.from).next().unwrap_or("").to_ascii_lowercase();
    if (!rp.is_empty() && owner.is_owner_address(&rp) && !from.is_empty() && !owner.is_owner_domain(&Bounce::domain(&from)))
        || (!from.is_empty() && from == rcpt)
    {
        out.push(sig("ENV_MISMATCH", Side::Back, 2, "The original's From does not fit its envelope sender.".into()));
    }
    out
}


/// One line summing up verdicts: "412 bounces: 37 real failures, 368 backscatter, 7 from your account".
pub fn summary(bounces: &[Bounce]) -> String {
    let all: Vec<&Bounce> = bounces.iter().filter(|b| b.kind == Kind::Bounce).collect();
    let n = |v: Verdict| all.iter().filter(|b| b.verdict == v).count();
    format!(
        "{} bounces: {} real failures, {} backscatter, {} from your account, {} undetermined",
        all.len(),
        n(Verdict::Real),
        n(Verdict::Backscatter),
        n(Verdict::Abuse),
        n(Verdict::Undetermined)
    )
}

#[cfg(test)]
mod date_tests {
    use super::*;
    use crate::bounce::{Kind, OriginalInfo, Recipient};

    fn bounce(bounce_date: i64, original_date: &str) -> Bounce {
        Bounce {
            source: "t".into(),
            offset: 0,
            folder: "".into(),
            kind: Kind::Bounce,
            date: bounce_date,
            from: "MAILER-DAEMON@mx.example".into(),
            to: "owner@example.net".into(),
            delivered_to: "owner@example.net".into(),
            subject: "Undelivered Mail".into(),
            reporting_mta: "mx.example".into(),
            recipients: vec![Recipient { address: "a@example.org".into(), reason: "userunknown".into(), ..Default::default() }],
            original: Some(OriginalInfo { message_id: "<m@x>".into(), from: "owner@example.net".into(), date: original_date.into(), ..Default::default() }),
            verdict: Verdict::Undetermined,
            evidence: Vec::new(),
        }
    }

    /// 2025-11-24 10:00:00 UTC.
    const BOUNCE_AT: i64 = 1_763_978_400;

    #[test]
    fn a_time_zone_sized_skew_is_no_signal() {
        // Dated 8 hours after the bounce: a wrong offset, not a forgery.
        let b = bounce(BOUNCE_AT, "Mon, 24 Nov 2025 18:00:00 +0000");
        let (v, ev) = judge(&Owner::default(), &b, 0);
        assert!(ev.iter().all(|e| e.signal != "DATE_FUTURE"), "{ev:?}");
        assert_eq!(v, Verdict::Undetermined);
    }

    #[test]
    fn a_date_skew_alone_never_decides() {
        // Dated three days after the bounce: a weak sign, and alone it decides nothing.
        let b = bounce(BOUNCE_AT, "Thu, 27 Nov 2025 10:00:00 +0000");
        let (v, ev) = judge(&Owner::default(), &b, 0);
        assert!(ev.iter().any(|e| e.signal == "DATE_FUTURE"), "{ev:?}");
        assert_eq!(v, Verdict::Undetermined, "{ev:?}");
    }
}
