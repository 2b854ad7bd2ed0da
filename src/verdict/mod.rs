//! Verdicts: was the bounced original really sent by the mailbox owner (`real`), forged by a
//! spammer (`backscatter`), sent through the owner's account by someone else (`abuse`), or is
//! there too little to tell (`undetermined`)? Signals and their combination follow
//! ../shared/BACKSCATTER.md; every signal that fires becomes an evidence line.

pub mod case;
pub mod decide;
pub mod received;
pub mod sent;
pub mod signals;

use crate::bounce::{Bounce, Evidence, Kind, Signal, Verdict};
pub use case::Case;
use received::{Hop, host_matches};
use sent::{SentIndex, normalize_mid};
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
    /// Bounces of mail in the Sent folder, and how many of them came back to a BATV-tagged
    /// address (learned): a server that tags is known to tag everything only from many of them.
    pub sent_bounces_seen: usize,
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
            sent_complete_at: if config.sent_complete_at == 0 { SENT_COMPLETE_AT } else { config.sent_complete_at },
            sent_bounces_seen: 0,
            batv_tags_seen: 0,
        }
    }

    /// Whether a Sent folder is there and holds enough to tell what the owner did not send.
    pub fn sent_state(&self) -> SentState {
        match &self.sent {
            None => SentState::None,
            Some(s) if s.count < self.sent_complete_at => SentState::Small,
            Some(_) => SentState::Complete,
        }
    }

    pub(crate) fn is_own_relay(&self, host: &str) -> bool {
        !host.is_empty() && self.relays.iter().chain(self.learned_relays.iter()).any(|r| host_matches(host, r))
    }

    pub(crate) fn knows_relays(&self) -> bool {
        !self.relays.is_empty() || !self.learned_relays.is_empty()
    }

    /// Does the owner's server tag every message it sends (BATV)? Known from at least ten
    /// bounces of Sent mail, all but one in twenty of them tagged.
    pub(crate) fn always_tags(&self) -> bool {
        self.sent_bounces_seen >= 10 && self.batv_tags_seen * 20 >= self.sent_bounces_seen * 19
    }

    /// Has the owner sent from this address, even once?
    pub(crate) fn has_sent_from(&self, address: &str) -> bool {
        self.sent.as_ref().is_some_and(|s| s.from_counts.contains_key(address))
    }

    /// No Sent folder, no address, domain, server or DKIM signer: nothing to hold a bounce
    /// against, so no signal can fire that would decide (a configured DKIM domain alone still
    /// lets the receiver's DKIM pass decide).
    pub fn knows_nothing(&self) -> bool {
        self.sent.is_none()
            && self.addresses.is_empty()
            && self.domains.is_empty()
            && self.dkim_domains.is_empty()
            && !self.knows_relays()
    }

    pub(crate) fn is_owner_address(&self, a: &str) -> bool {
        self.addresses.contains(&a.to_ascii_lowercase())
    }

    pub(crate) fn is_owner_domain(&self, d: &str) -> bool {
        let d = d.to_ascii_lowercase();
        self.domains.iter().any(|o| d == *o || d.ends_with(&format!(".{o}")))
    }
}

/// A Sent folder with fewer messages is too small to tell what the owner did not send
/// (BACKSCATTER.md §3a: "a few dozen").
pub const SENT_COMPLETE_AT: usize = 24;

/// What the Sent folder can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentState {
    /// No Sent folder found or named.
    None,
    /// Too few messages to conclude anything from what is missing.
    Small,
    /// Taken as complete for the period it covers.
    Complete,
}

fn net_of(ip: &str) -> String {
    if ip.contains(':') {
        ip.split(':').take(4).collect::<Vec<_>>().join(":")
    } else {
        ip.rsplit_once('.').map(|(n, _)| n.to_string()).unwrap_or_default()
    }
}

/// Learn from all the cases at once, in one pass, what judging one of them needs: own relays
/// and client networks (the host that first received an original that is in the Sent folder is
/// the owner's submission server), how many bounces of sent mail came back BATV-tagged, and per
/// case its burst (see [`judge`]).
pub fn prepare<C: std::borrow::Borrow<Case>>(owner: &mut Owner, cases: impl IntoIterator<Item = C>) -> Vec<usize> {
    let complete = owner.sent_state() == SentState::Complete;
    let sent_domains: HashSet<String> = match (&owner.sent, complete) {
        (Some(s), true) => s.recipients.keys().map(|a| Bounce::domain(a)).collect(),
        _ => HashSet::new(),
    };
    let mut relays: HashMap<String, usize> = HashMap::new();
    let mut nets = HashSet::new();
    let mut keys: Vec<Option<BurstKey>> = Vec::new();
    for c in cases {
        let c = c.borrow();
        keys.push(burst_key(c, complete, &sent_domains));
        let (Some(sent), Some(o)) = (&owner.sent, &c.original) else { continue };
        if c.kind != Kind::Bounce
            || o.message_id.is_empty()
            || !sent.message_ids.contains(&normalize_mid(&o.message_id))
        {
            continue;
        }
        owner.sent_bounces_seen += 1;
        if c.delivered_to.to_ascii_lowercase().contains("prvs=") {
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
    if owner.sent.is_some() {
        let mut learned: Vec<String> = relays.into_keys().collect();
        learned.sort();
        owner.learned_relays = learned;
        owner.client_nets = nets;
    }
    burst_counts(&keys)
}

/// Per-message facts used by the burst signal.
struct BurstKey {
    date: i64,
    domain: String,
}

/// A bounce to a recipient domain never written to, with a date: what a burst counts. Without
/// a complete Sent folder nothing is "unrelated" (a mass mailing bounces from many domains too),
/// so there are no bursts.
fn burst_key(c: &Case, complete: bool, sent_domains: &HashSet<String>) -> Option<BurstKey> {
    let domain = Bounce::domain(&c.recipient);
    (complete && c.kind == Kind::Bounce && c.date != 0 && !domain.is_empty() && !sent_domains.contains(&domain))
        .then_some(BurstKey { date: c.date, domain })
}

/// How many distinct recipient domains not in Sent bounced within 24 h of each bounce.
fn burst_counts(keys: &[Option<BurstKey>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).filter(|i| keys[*i].is_some()).collect();
    order.sort_by_key(|i| keys[*i].as_ref().map(|k| k.date));
    let key = |pos: usize| keys[order[pos]].as_ref().unwrap();
    // A sliding window of ±24 h over the bounces in date order, counting domains in it.
    let mut counts = vec![0; keys.len()];
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

/// A verdict and its evidence.
pub type Judged = (Verdict, std::sync::Arc<[Evidence]>);

/// Judge every bounce in place (verdict and evidence), all of them known. Non-bounces keep no
/// verdict.
pub fn judge_all(owner: &mut Owner, bounces: &mut [Bounce]) {
    let bursts = prepare(owner, bounces.iter().map(Case::of));
    for (b, burst) in bounces.iter_mut().zip(bursts) {
        if b.kind == Kind::Bounce {
            (b.verdict, b.evidence) = judge(owner, &Case::of(b), burst);
        }
    }
}

/// At least this many unrelated recipient domains bouncing within a day make a burst.
pub const BURST_MIN_DOMAINS: usize = 5;

/// The verdict for one bounce and its evidence: the decision's note, then every signal that
/// fired. `burst` is the number of unrelated recipient domains bouncing within 24 h around it.
pub fn judge(owner: &Owner, b: &Case, burst: usize) -> Judged {
    crate::ui_thread::forbid("judging a verdict");
    // Nothing known about the owner: no signal can decide (decision rule 6), so none is sought.
    if owner.knows_nothing() {
        // One note shared by every bounce (a large mailbox holds one copy, not one per bounce).
        static NOTHING_KNOWN: std::sync::LazyLock<std::sync::Arc<[Evidence]>> = std::sync::LazyLock::new(|| {
            std::sync::Arc::from([Evidence::new(Signal::Verdict, "missing_owner", std::iter::empty())])
        });
        return (Verdict::Undetermined, NOTHING_KNOWN.clone());
    }
    let mut evidence = signals::signals(owner, b, burst);
    // The strongest facts read first (the login from a foreign network before the dates).
    evidence.sort_by_key(|e| std::cmp::Reverse(signals::strength(e.signal).map_or(0, |s| s.weight)));
    let ids: Vec<Signal> = evidence.iter().map(|e| e.signal).collect();
    let knowledge = decide::Knowledge {
        sent: owner.sent_state(),
        sent_count: owner.sent.as_ref().map_or(0, |s| s.count),
        relays: owner.knows_relays(),
        addresses: !owner.addresses.is_empty(),
        original: b.original.is_some(),
    };
    let (verdict, note) = decide::decide(&ids, knowledge);
    // The decision's note (why abuse, what is missing) reads first, the facts after it.
    if let Some(n) = note {
        evidence.insert(0, n);
    }
    (verdict, evidence.into())
}

/// One line summing up verdicts, in recipients as every count of the reports:
/// "208 bounced recipients in 198 bounce messages: 37 real failures, 168 backscatter, …".
pub fn summary(bounces: &[Bounce], lang: crate::i18n::Lang) -> String {
    bounces.iter().map(|b| (b.kind, b.verdict, b.recipients.len())).collect::<Counts>().summary(lang)
}

/// What [`summary`] counts, message by message: bounce messages, and their recipients per verdict.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    bounces: usize,
    /// In the order of `Verdict::ALL` (the enum's own order).
    recipients: [usize; Verdict::ALL.len()],
}

/// The counts of messages given as kind, verdict and number of recipients.
impl FromIterator<(Kind, Verdict, usize)> for Counts {
    fn from_iter<I: IntoIterator<Item = (Kind, Verdict, usize)>>(messages: I) -> Counts {
        let mut counts = Counts::default();
        for (kind, verdict, recipients) in messages {
            counts.add(kind, verdict, recipients);
        }
        counts
    }
}

impl Counts {
    /// Count a message of this kind and verdict with `recipients` recipients (only bounces count).
    pub fn add(&mut self, kind: Kind, verdict: Verdict, recipients: usize) {
        if kind == Kind::Bounce {
            self.bounces += 1;
            self.recipients[verdict as usize] += recipients;
        }
    }

    /// The summary line.
    pub fn summary(&self, lang: crate::i18n::Lang) -> String {
        let n = |v: Verdict| self.recipients[v as usize].to_string();
        crate::i18n::f(
            lang,
            "report.summary",
            &[
                ("recipients", &self.recipients.iter().sum::<usize>().to_string()),
                ("messages", &self.bounces.to_string()),
                ("real", &n(Verdict::Real)),
                ("backscatter", &n(Verdict::Backscatter)),
                ("abuse", &n(Verdict::Abuse)),
                ("undetermined", &n(Verdict::Undetermined)),
            ],
        )
    }
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
            recipients: vec![Recipient {
                address: "a@example.org".into(),
                reason: "userunknown".into(),
                ..Default::default()
            }],
            original: Some(OriginalInfo {
                message_id: "<m@x>".into(),
                from: "owner@example.net".into(),
                date: original_date.into(),
                ..Default::default()
            }),
            verdict: Verdict::Undetermined,
            evidence: Default::default(),
        }
    }

    /// 2025-11-24 10:00:00 UTC.
    const BOUNCE_AT: i64 = 1_763_978_400;

    /// An owner known by address and outgoing server (no Sent folder): the weighing runs.
    fn known_owner() -> Owner {
        let config = OwnerConfig {
            addresses: vec!["owner@example.net".into()],
            relays: vec!["smtp.example.net".into()],
            ..Default::default()
        };
        Owner::from_parts(&config, None)
    }

    #[test]
    fn a_dkim_domain_alone_still_lets_the_receivers_dkim_pass_decide() {
        let mut b = bounce(BOUNCE_AT, "Mon, 24 Nov 2025 09:00:00 +0000");
        let trace = crate::bounce::Trace {
            authentication_results: "mx.example.org; dkim=pass header.d=example.net".into(),
            ..Default::default()
        };
        b.original.as_mut().unwrap().set_trace(trace);
        let config = OwnerConfig { dkim_domains: vec!["example.net".into()], ..Default::default() };
        let (v, ev) = judge(&Owner::from_parts(&config, None), &Case::of(&b), 0);
        assert_eq!(v, Verdict::Real, "{ev:?}");
        // Knowing nothing at all, the same bounce stays undetermined.
        assert_eq!(judge(&Owner::default(), &Case::of(&b), 0).0, Verdict::Undetermined);
    }

    #[test]
    fn a_time_zone_sized_skew_is_no_signal() {
        // Dated 8 hours after the bounce: a wrong offset, not a forgery.
        let b = bounce(BOUNCE_AT, "Mon, 24 Nov 2025 18:00:00 +0000");
        let (v, ev) = judge(&known_owner(), &Case::of(&b), 0);
        assert!(ev.iter().all(|e| e.signal != "DATE_FUTURE"), "{ev:?}");
        assert_eq!(v, Verdict::Undetermined);
    }

    #[test]
    fn a_date_skew_alone_never_decides() {
        // Dated three days after the bounce: a weak sign, and alone it decides nothing.
        let b = bounce(BOUNCE_AT, "Thu, 27 Nov 2025 10:00:00 +0000");
        let (v, ev) = judge(&known_owner(), &Case::of(&b), 0);
        assert!(ev.iter().any(|e| e.signal == "DATE_FUTURE"), "{ev:?}");
        assert_eq!(v, Verdict::Undetermined, "{ev:?}");
        // Nor does it tip a balance: never passed your servers (2) against your DKIM key (2).
        let mut b = bounce(BOUNCE_AT, "Thu, 27 Nov 2025 10:00:00 +0000");
        let o = b.original.as_mut().unwrap();
        let mut trace = crate::bounce::Trace::default();
        trace.received.push(
            "from pc-7.dyn.example.br (pc-7.dyn.example.br [203.0.113.7]) by mx.example.org with SMTP id F7".into(),
        );
        trace.dkim.push(("example.net".into(), "s1".into()));
        o.set_trace(trace);
        let (v, ev) = judge(&known_owner(), &Case::of(&b), 0);
        let ids: Vec<&str> = ev.iter().map(|e| e.signal.as_str()).collect();
        assert!(ids.contains(&"NO_OWN_RELAY") && ids.contains(&"DKIM_OWN") && ids.contains(&"DATE_FUTURE"), "{ids:?}");
        assert_eq!(v, Verdict::Undetermined, "{ev:?}");
    }
}

#[cfg(test)]
mod summary_tests {
    use super::*;

    #[test]
    fn recipients_are_counted_per_verdict() {
        // `Counts` indexes its counts by the enum's order, which is that of `Verdict::ALL`.
        assert!(Verdict::ALL.iter().enumerate().all(|(i, v)| *v as usize == i));
        let messages = [
            (Kind::Bounce, Verdict::Real, 2),
            (Kind::Bounce, Verdict::Backscatter, 1),
            (Kind::Vacation, Verdict::Real, 5),
            (Kind::Bounce, Verdict::Undetermined, 3),
        ];
        let text = messages.into_iter().collect::<Counts>().summary(crate::i18n::Lang::En);
        let want = crate::i18n::f(
            crate::i18n::Lang::En,
            "report.summary",
            &[
                ("recipients", "6"),
                ("messages", "3"),
                ("real", "2"),
                ("backscatter", "1"),
                ("abuse", "0"),
                ("undetermined", "3"),
            ],
        );
        assert_eq!(text, want);
    }
}
