//! From signals to a verdict: the first rule of the order that applies decides. Backscatter and
//! abuse need one strong signal a forger cannot produce by accident, or signals of two
//! independent families; a date never decides (nor tips the scale), and without anything known about the
//! owner nothing is called forged. When nothing decides, the note says what would.
//!
//! 1. SENT_MID → real (the owner's copy settles it, whatever else is said).
//! 2. AR_DKIM_PASS (the receiver verified the owner's signature: no forger has the key, so the
//!    owner's systems sent it) → abuse or real as in 4, else real.
//! 3. CATCHALL, FOREIGN_AUTH or BATV_MISSING → backscatter.
//! 4. OWN_AUTH or HANDOFF (it left through the owner's account or server):
//!    SENT_ABSENT (no copy in a complete Sent folder that covers its date) → abuse; else, unless
//!    SENT_FUZZY (the owner wrote to that recipient then), CLIENT_FOREIGN or BURST → abuse;
//!    SENT_FUZZY or CLIENT_KNOWN → real; a login with nothing to hold it against → undetermined;
//!    a hand-off alone → real.
//! 5. FORGED_HELO → backscatter.
//! 6. Nothing known about the owner → undetermined.
//! 7. Weights per side, dates left out: backscatter at 3 or more, above the real side, from two
//!    families or more; real at 3 or more above the other side.
//! 8. Otherwise undetermined, naming what is missing.

use super::SentState;
use super::signals::{Family, Side, strength};
use crate::bounce::{Evidence, Signal, Verdict};

/// What is known besides the signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Knowledge {
    pub sent: SentState,
    /// Messages in the Sent folder (for the note).
    pub sent_count: usize,
    pub relays: bool,
    pub addresses: bool,
    /// The bounce carries the original's headers.
    pub original: bool,
}

/// The verdict and, where it helps, a note: why abuse, or what is missing.
pub fn decide(ids: &[Signal], k: Knowledge) -> (Verdict, Option<Evidence>) {
    let has = |id: Signal| ids.contains(&id);
    let note = |key: &'static str| Some(Evidence::new(Signal::Verdict, key, std::iter::empty()));
    if has(Signal::SentMid) {
        return (Verdict::Real, None);
    }
    // The receiver verified the owner's DKIM signature: the owner's systems sent it (no forger
    // has the key), but a stolen password sends through them too.
    if has(Signal::ArDkimPass) {
        return own_systems(&has).unwrap_or((Verdict::Real, None));
    }
    if has(Signal::Catchall) || has(Signal::ForeignAuth) || has(Signal::BatvMissing) {
        return (Verdict::Backscatter, None);
    }
    if has(Signal::OwnAuth) || has(Signal::Handoff) {
        if let Some(v) = own_systems(&has) {
            return v;
        }
        if has(Signal::OwnAuth) {
            return match k.sent {
                SentState::Small => (Verdict::Undetermined, small(k.sent_count)),
                SentState::Complete => (Verdict::Undetermined, note("missing_login_period")),
                SentState::None => (Verdict::Undetermined, note("missing_login_sent")),
            };
        }
        return (Verdict::Real, None);
    }
    if has(Signal::ForgedHelo) {
        return (Verdict::Backscatter, None);
    }
    if k.sent == SentState::None && !k.relays && !k.addresses {
        return (Verdict::Undetermined, note("missing_owner"));
    }
    // Dates are shown but never weighed: a wrong clock or time-zone offset would tip the scale.
    let (mut back, mut real) = (0u32, 0u32);
    let mut families: Vec<Family> = Vec::new();
    for id in ids {
        let Some(s) = strength(*id) else { continue };
        match s.side {
            Side::Back if s.family != Family::Date => {
                back += u32::from(s.weight);
                if !families.contains(&s.family) {
                    families.push(s.family);
                }
            }
            Side::Real => real += u32::from(s.weight),
            Side::Back | Side::Account => {}
        }
    }
    let independent = families.len() >= 2;
    if back >= 3 && back > real && independent {
        return (Verdict::Backscatter, None);
    }
    if real >= 3 && real > back {
        return (Verdict::Real, None);
    }
    let missing = match k.sent {
        SentState::None => note("missing_sent"),
        SentState::Small => small(k.sent_count),
        SentState::Complete if !k.original => note("missing_original"),
        SentState::Complete if !k.relays => note("missing_relays"),
        SentState::Complete => note("missing_weak"),
    };
    (Verdict::Undetermined, missing)
}

/// It left through the owner's account, server or signing key: abuse or real, if the signals
/// tell which. The seeds' rule: a login on your account with no copy in your Sent folder means
/// the password is in someone else's hands.
fn own_systems(has: &dyn Fn(Signal) -> bool) -> Option<(Verdict, Option<Evidence>)> {
    let note = |key: &'static str| Some(Evidence::new(Signal::Verdict, key, std::iter::empty()));
    if has(Signal::SentAbsent) {
        return Some((Verdict::Abuse, note("abuse_no_copy")));
    }
    if has(Signal::ClientForeign) && !has(Signal::SentFuzzy) {
        return Some((Verdict::Abuse, note("abuse_client")));
    }
    if has(Signal::Burst) && !has(Signal::SentFuzzy) {
        return Some((Verdict::Abuse, note("abuse_burst")));
    }
    if has(Signal::SentFuzzy) || has(Signal::ClientKnown) {
        return Some((Verdict::Real, None));
    }
    None
}

fn small(count: usize) -> Option<Evidence> {
    Some(Evidence::new(Signal::Verdict, "missing_sent_small", [("count", count.to_string().as_str())]))
}

#[cfg(test)]
mod tests {
    //! The decision table: every rule of the order, with the signals that reach it.
    use super::*;

    const NONE: Knowledge =
        Knowledge { sent: SentState::None, sent_count: 0, relays: false, addresses: false, original: true };
    const ME: Knowledge = Knowledge { addresses: true, ..NONE };
    const SENT: Knowledge = Knowledge { sent: SentState::Complete, sent_count: 40, addresses: true, ..NONE };
    const SENT_RELAYS: Knowledge = Knowledge { relays: true, ..SENT };
    const SMALL: Knowledge = Knowledge { sent: SentState::Small, sent_count: 3, addresses: true, ..NONE };
    const TERSE: Knowledge = Knowledge { original: false, ..SENT };

    /// The table names signals as reports do; a misspelt name fails here.
    fn v(names: &[&str], k: Knowledge) -> (Verdict, Option<&'static str>) {
        let ids: Vec<Signal> =
            names.iter().map(|n| Signal::parse(n).unwrap_or_else(|| panic!("no signal {n}"))).collect();
        let (v, note) = decide(&ids, k);
        (v, note.map(|n| n.key))
    }

    use Verdict::{Abuse, Backscatter, Real, Undetermined};

    #[test]
    fn the_decision_order() {
        let table: &[(&[&str], Knowledge, Verdict, Option<&str>)] = &[
            // 1. A Sent copy settles it, against any strong sign of forgery.
            (&["SENT_MID", "CATCHALL", "FORGED_HELO", "BURST"], SENT_RELAYS, Real, None),
            (&["SENT_MID", "OWN_AUTH", "CLIENT_FOREIGN"], SENT, Real, None),
            // 2. The receiver's check of the owner's DKIM signature: the owner's systems sent it,
            // the owner or someone with the password.
            (&["AR_DKIM_PASS"], SENT, Real, None),
            (&["AR_DKIM_PASS", "FORGED_HELO"], SENT_RELAYS, Real, None),
            (&["AR_DKIM_PASS", "CATCHALL"], SENT, Real, None),
            (&["AR_DKIM_PASS", "SENT_ABSENT", "UNKNOWN_RCPT"], SENT, Abuse, Some("abuse_no_copy")),
            (&["AR_DKIM_PASS", "OWN_AUTH", "CLIENT_FOREIGN", "BURST"], SENT, Abuse, Some("abuse_client")),
            (&["AR_DKIM_PASS", "BURST", "SENT_FUZZY"], SENT, Real, None),
            // 3. Strong signs of forgery, alone.
            (&["CATCHALL"], ME, Backscatter, None),
            (&["FOREIGN_AUTH"], SENT_RELAYS, Backscatter, None),
            (&["BATV_MISSING"], SENT, Backscatter, None),
            (&["CATCHALL", "OWN_AUTH"], SENT, Backscatter, None),
            (&["BATV_MISSING", "OWN_AUTH", "SENT_ABSENT"], SENT, Backscatter, None),
            (&["CATCHALL", "UNKNOWN_RCPT"], TERSE, Backscatter, None),
            // 4. Through the owner's account or server.
            (&["OWN_AUTH", "SENT_ABSENT"], SENT, Abuse, Some("abuse_no_copy")),
            (&["OWN_AUTH", "CLIENT_KNOWN", "SENT_ABSENT"], SENT, Abuse, Some("abuse_no_copy")),
            (&["OWN_AUTH", "CLIENT_FOREIGN"], SENT, Abuse, Some("abuse_client")),
            (&["OWN_AUTH", "BURST"], SENT, Abuse, Some("abuse_burst")),
            (&["HANDOFF", "SENT_ABSENT"], SENT_RELAYS, Abuse, Some("abuse_no_copy")),
            (&["HANDOFF", "BURST"], SENT_RELAYS, Abuse, Some("abuse_burst")),
            (&["OWN_AUTH", "CLIENT_FOREIGN", "SENT_FUZZY"], SENT, Real, None),
            (&["OWN_AUTH", "BURST", "SENT_FUZZY"], SENT, Real, None),
            (&["OWN_AUTH", "SENT_FUZZY"], SENT, Real, None),
            (&["OWN_AUTH", "CLIENT_KNOWN"], SENT, Real, None),
            (&["OWN_AUTH", "CLIENT_KNOWN"], SMALL, Real, None),
            (&["OWN_AUTH"], SENT, Undetermined, Some("missing_login_period")),
            (&["OWN_AUTH"], ME, Undetermined, Some("missing_login_sent")),
            (&["OWN_AUTH"], NONE, Undetermined, Some("missing_login_sent")),
            (&["OWN_AUTH"], SMALL, Undetermined, Some("missing_sent_small")),
            (&["HANDOFF"], SENT_RELAYS, Real, None),
            (&["HANDOFF", "NO_OWN_RELAY", "UNKNOWN_RCPT"], SENT_RELAYS, Real, None),
            // 5. A forged greeting (the signal needs known relays).
            (&["FORGED_HELO"], SENT_RELAYS, Backscatter, None),
            (&["FORGED_HELO"], Knowledge { relays: true, ..ME }, Backscatter, None),
            // 6. Nothing known about the owner: nothing is called forged.
            (&["AUTHFAIL_DSN", "ENV_MISMATCH", "DATE_FUTURE"], NONE, Undetermined, Some("missing_owner")),
            (&["DATE_FUTURE"], NONE, Undetermined, Some("missing_owner")),
            // 7. Weighing: two independent families.
            (&["SENT_ABSENT", "NO_OWN_RELAY"], SENT_RELAYS, Backscatter, None),
            (&["SENT_ABSENT", "UNKNOWN_RCPT", "BURST", "NO_OWN_RELAY"], SENT_RELAYS, Backscatter, None),
            (&["SENT_ABSENT", "AR_FAIL"], SENT, Backscatter, None),
            (&["AUTHFAIL_DSN", "ENV_MISMATCH"], ME, Backscatter, None),
            (&["NO_OWN_RELAY", "ENV_MISMATCH"], Knowledge { relays: true, ..ME }, Backscatter, None),
            // ... one family, however heavy, is not enough: an incomplete Sent folder fires both
            // "not in Sent" and "never wrote to them" (a burst is another observation: many
            // bounces at once).
            (&["SENT_ABSENT", "UNKNOWN_RCPT", "BURST"], SENT, Backscatter, None),
            (&["SENT_ABSENT", "UNKNOWN_RCPT"], SENT_RELAYS, Undetermined, Some("missing_weak")),
            (&["AR_FAIL", "AUTHFAIL_DSN"], ME, Undetermined, Some("missing_sent")),
            // ... without the original, its recipient and the burst around it.
            (&["UNKNOWN_RCPT", "BURST"], TERSE, Backscatter, None),
            (&["UNKNOWN_RCPT", "AUTHFAIL_DSN"], TERSE, Backscatter, None),
            (&["UNKNOWN_RCPT", "BURST", "KNOWN_RCPT", "SENT_NEAR"], TERSE, Real, None),
            // ... a date is never weighed: neither as the second family nor as a tie-break.
            (&["SENT_ABSENT", "DATE_FUTURE"], SENT_RELAYS, Undetermined, Some("missing_weak")),
            (&["BURST", "DATE_OLD"], SENT_RELAYS, Undetermined, Some("missing_weak")),
            (&["DATE_FUTURE", "DATE_OLD"], ME, Undetermined, Some("missing_sent")),
            (
                &["SENT_ABSENT", "NO_OWN_RELAY", "KNOWN_RCPT", "DKIM_OWN", "DATE_FUTURE"],
                SENT_RELAYS,
                Undetermined,
                Some("missing_weak"),
            ),
            (&["AUTHFAIL_DSN", "ENV_MISMATCH", "DATE_OLD"], ME, Backscatter, None),
            // ... and the owner's side weighs against it.
            (
                &["SENT_ABSENT", "NO_OWN_RELAY", "KNOWN_RCPT", "DKIM_OWN"],
                SENT_RELAYS,
                Undetermined,
                Some("missing_weak"),
            ),
            (&["KNOWN_RCPT", "SENT_FUZZY"], SENT, Real, None),
            (&["KNOWN_RCPT", "SENT_NEAR"], TERSE, Real, None),
            (&["BATV_TAG", "DKIM_OWN"], ME, Real, None),
            (&["KNOWN_RCPT", "RELAY_MENTION"], SENT_RELAYS, Real, None),
            // 8. What is missing.
            (&[], ME, Undetermined, Some("missing_sent")),
            (&["UNKNOWN_RCPT"], SMALL, Undetermined, Some("missing_sent_small")),
            (&["UNKNOWN_RCPT"], TERSE, Undetermined, Some("missing_original")),
            (&["KNOWN_RCPT"], SENT, Undetermined, Some("missing_relays")),
            (&["NO_OWN_RELAY"], Knowledge { relays: true, ..ME }, Undetermined, Some("missing_sent")),
        ];
        for (ids, k, want, note) in table {
            assert_eq!(v(ids, *k), (*want, *note), "{ids:?} with {k:?}");
        }
    }

    #[test]
    fn a_date_skew_alone_never_decides() {
        for k in [NONE, ME, SENT, SENT_RELAYS, SMALL, TERSE] {
            for ids in [&["DATE_FUTURE"][..], &["DATE_OLD"], &["DATE_FUTURE", "DATE_OLD"]] {
                assert_eq!(v(ids, k).0, Undetermined, "{ids:?} with {k:?}");
            }
        }
    }

    #[test]
    fn every_signal_has_a_strength_and_every_note_a_text() {
        for s in super::super::signals::SIGNALS {
            assert!((1..=3).contains(&s.weight), "{:?}", s.id);
        }
        let c = crate::i18n::Catalogue::get();
        let keys = c.keys(crate::i18n::Lang::En);
        // Every strong signal has its own rule in the order: alone (with everything known), it decides.
        let all = Knowledge { relays: true, ..SENT };
        for s in super::super::signals::SIGNALS.iter().filter(|s| s.weight == 3 && s.id != Signal::OwnAuth) {
            assert_ne!(v(&[s.id.as_str()], all).0, Undetermined, "{:?} is strong but decides nothing", s.id);
        }
        // Every signal but the decision's note has a strength.
        for id in Signal::ALL.into_iter().filter(|s| *s != Signal::Verdict) {
            assert!(super::super::signals::strength(id).is_some(), "{id:?} has no strength");
        }
        for key in [
            "abuse_no_copy",
            "abuse_client",
            "abuse_burst",
            "missing_login_period",
            "missing_owner",
            "missing_original",
            "missing_sent",
            "missing_sent_small",
            "missing_login_sent",
            "missing_relays",
            "missing_weak",
        ] {
            assert!(keys.contains(&format!("evidence.{key}").as_str()), "{key}");
        }
    }
}
