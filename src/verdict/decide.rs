//! From signals to a verdict: the first rule of the order that applies decides. Backscatter and
//! abuse need one strong signal a forger cannot produce by accident, or signals of two
//! independent families; a date alone never decides, and without anything known about the
//! owner nothing is called forged. When nothing decides, the note says what would.
//!
//! 1. SENT_MID → real (the owner's copy settles it, whatever else is said).
//! 2. CATCHALL, FOREIGN_AUTH or BATV_MISSING → backscatter.
//! 3. OWN_AUTH or HANDOFF (it left through the owner's account or server):
//!    no copy in a complete Sent folder, BURST or CLIENT_FOREIGN → abuse;
//!    SENT_FUZZY or CLIENT_KNOWN → real; a login with no Sent folder to check → undetermined;
//!    a hand-off alone → real.
//! 4. FORGED_HELO → backscatter.
//! 5. AR_DKIM_PASS → real.
//! 6. Nothing known about the owner → undetermined.
//! 7. Weights per side: backscatter at 3 or more, above the real side, from two families or
//!    more (a date never counts as the second family), and only with the original's headers at
//!    hand; real at 3 or more above the other side.
//! 8. Otherwise undetermined, naming what is missing.

use super::signals::{strength, Family, Side};
use super::SentState;
use crate::bounce::{Evidence, Verdict};

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
pub fn decide(ids: &[&str], k: Knowledge) -> (Verdict, Option<Evidence>) {
    let has = |id: &str| ids.contains(&id);
    let note = |key: &'static str| Some(Evidence::new("VERDICT", key, std::iter::empty()));
    if has("SENT_MID") {
        return (Verdict::Real, None);
    }
    if has("CATCHALL") || has("FOREIGN_AUTH") || has("BATV_MISSING") {
        return (Verdict::Backscatter, None);
    }
    if has("OWN_AUTH") || has("HANDOFF") {
        // The seeds' rule: a login on your account with no copy in your Sent folder means the
        // password is in someone else's hands.
        let no_copy = has("SENT_ABSENT") || (has("OWN_AUTH") && k.sent == SentState::Complete && !has("SENT_FUZZY"));
        if no_copy || has("BURST") || has("CLIENT_FOREIGN") {
            return (Verdict::Abuse, note("abuse"));
        }
        if has("SENT_FUZZY") || has("CLIENT_KNOWN") {
            return (Verdict::Real, None);
        }
        if has("OWN_AUTH") {
            return match k.sent {
                SentState::Small => (Verdict::Undetermined, small(k.sent_count)),
                _ => (Verdict::Undetermined, note("missing_login_sent")),
            };
        }
        return (Verdict::Real, None);
    }
    if has("FORGED_HELO") {
        return (Verdict::Backscatter, None);
    }
    if has("AR_DKIM_PASS") {
        return (Verdict::Real, None);
    }
    if k.sent == SentState::None && !k.relays && !k.addresses {
        return (Verdict::Undetermined, note("missing_owner"));
    }
    let (mut back, mut real) = (0u32, 0u32);
    let mut families: Vec<Family> = Vec::new();
    for id in ids {
        let s = strength(id);
        match s.side {
            Side::Back => {
                back += u32::from(s.weight);
                if !families.contains(&s.family) {
                    families.push(s.family);
                }
            }
            Side::Real => real += u32::from(s.weight),
            Side::Account => {}
        }
    }
    let independent = families.iter().filter(|f| **f != Family::Date).count() >= 2;
    // Without the original only its recipient is known: too little to call it forged.
    if back >= 3 && back > real && independent && k.original {
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

fn small(count: usize) -> Option<Evidence> {
    Some(Evidence::new("VERDICT", "missing_sent_small", [("count", count.to_string().as_str())]))
}

#[cfg(test)]
mod tests {
    //! The decision table: every rule of the order, with the signals that reach it.
    use super::*;

    const NONE: Knowledge = Knowledge { sent: SentState::None, sent_count: 0, relays: false, addresses: false, original: true };
    const ME: Knowledge = Knowledge { addresses: true, ..NONE };
    const SENT: Knowledge = Knowledge { sent: SentState::Complete, sent_count: 40, addresses: true, ..NONE };
    const SENT_RELAYS: Knowledge = Knowledge { relays: true, ..SENT };
    const SMALL: Knowledge = Knowledge { sent: SentState::Small, sent_count: 3, addresses: true, ..NONE };
    const TERSE: Knowledge = Knowledge { original: false, ..SENT };

    fn v(ids: &[&str], k: Knowledge) -> (Verdict, Option<&'static str>) {
        let (v, note) = decide(ids, k);
        (v, note.map(|n| n.key))
    }

    use Verdict::{Abuse, Backscatter, Real, Undetermined};

    #[test]
    fn the_decision_order() {
        let table: &[(&[&str], Knowledge, Verdict, Option<&str>)] = &[
            // 1. A Sent copy settles it, against any strong sign of forgery.
            (&["SENT_MID", "CATCHALL", "FORGED_HELO", "BURST"], SENT_RELAYS, Real, None),
            // 2. Strong signs of forgery, alone.
            (&["CATCHALL"], ME, Backscatter, None),
            (&["FOREIGN_AUTH"], ME, Backscatter, None),
            (&["BATV_MISSING"], SENT, Backscatter, None),
            (&["CATCHALL", "OWN_AUTH"], SENT, Backscatter, None),
            // 3. Through the owner's account or server.
            (&["OWN_AUTH", "SENT_ABSENT"], SENT, Abuse, Some("abuse")),
            (&["OWN_AUTH"], SENT, Abuse, Some("abuse")),
            (&["OWN_AUTH", "CLIENT_FOREIGN"], SENT, Abuse, Some("abuse")),
            (&["HANDOFF", "SENT_ABSENT"], SENT_RELAYS, Abuse, Some("abuse")),
            (&["HANDOFF", "BURST"], SENT_RELAYS, Abuse, Some("abuse")),
            (&["OWN_AUTH", "SENT_FUZZY"], SENT, Real, None),
            (&["OWN_AUTH", "CLIENT_KNOWN"], SENT, Abuse, Some("abuse")),
            (&["OWN_AUTH", "CLIENT_KNOWN"], SMALL, Real, None),
            (&["OWN_AUTH"], ME, Undetermined, Some("missing_login_sent")),
            (&["OWN_AUTH"], NONE, Undetermined, Some("missing_login_sent")),
            (&["OWN_AUTH"], SMALL, Undetermined, Some("missing_sent_small")),
            (&["HANDOFF"], SENT_RELAYS, Real, None),
            // 4. A forged greeting (the signal needs known relays).
            (&["FORGED_HELO"], SENT_RELAYS, Backscatter, None),
            // 5. The receiver saw the owner's DKIM pass.
            (&["AR_DKIM_PASS", "SENT_ABSENT", "UNKNOWN_RCPT"], SENT, Real, None),
            // 6. Nothing known about the owner: nothing is called forged.
            (&["AUTHFAIL_DSN", "ENV_MISMATCH", "DATE_FUTURE"], NONE, Undetermined, Some("missing_owner")),
            (&["DATE_FUTURE"], NONE, Undetermined, Some("missing_owner")),
            // 7. Weighing: two independent families.
            (&["SENT_ABSENT", "NO_OWN_RELAY"], SENT_RELAYS, Backscatter, None),
            (&["SENT_ABSENT", "UNKNOWN_RCPT", "BURST"], SENT, Backscatter, None),
            (&["UNKNOWN_RCPT", "BURST"], TERSE, Undetermined, Some("missing_original")),
            (&["CATCHALL", "UNKNOWN_RCPT"], TERSE, Backscatter, None),
            (&["SENT_ABSENT", "AR_FAIL"], SENT, Backscatter, None),
            (&["AUTHFAIL_DSN", "ENV_MISMATCH"], ME, Backscatter, None),
            // ... one family, however heavy, is not enough: an incomplete Sent folder fires both.
            (&["SENT_ABSENT", "UNKNOWN_RCPT"], SENT, Undetermined, Some("missing_relays")),
            (&["SENT_ABSENT", "UNKNOWN_RCPT"], SENT_RELAYS, Undetermined, Some("missing_weak")),
            (&["AR_FAIL", "AUTHFAIL_DSN"], ME, Undetermined, Some("missing_sent")),
            // ... a date is never the second family, and never decides alone.
            (&["SENT_ABSENT", "DATE_FUTURE"], SENT_RELAYS, Undetermined, Some("missing_weak")),
            (&["BURST", "DATE_OLD"], SENT_RELAYS, Undetermined, Some("missing_weak")),
            (&["DATE_FUTURE", "DATE_OLD"], ME, Undetermined, Some("missing_sent")),
            (&["AUTHFAIL_DSN", "ENV_MISMATCH", "DATE_OLD"], ME, Backscatter, None),
            // ... and the owner's side weighs against it.
            (&["SENT_ABSENT", "NO_OWN_RELAY", "KNOWN_RCPT", "DKIM_OWN"], SENT_RELAYS, Undetermined, Some("missing_weak")),
            (&["KNOWN_RCPT", "SENT_FUZZY"], SENT, Real, None),
            (&["KNOWN_RCPT", "SENT_NEAR"], TERSE, Real, None),
            (&["BATV_TAG", "DKIM_OWN"], ME, Real, None),
            // 8. What is missing.
            (&[], ME, Undetermined, Some("missing_sent")),
            (&["UNKNOWN_RCPT"], SMALL, Undetermined, Some("missing_sent_small")),
            (&["UNKNOWN_RCPT"], TERSE, Undetermined, Some("missing_original")),
            (&["KNOWN_RCPT"], SENT, Undetermined, Some("missing_relays")),
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
    fn every_signal_has_a_strength_and_a_text() {
        for s in super::super::signals::SIGNALS {
            assert!((1..=3).contains(&s.weight), "{}", s.id);
        }
        let c = crate::i18n::Catalogue::get();
        let keys = c.keys(crate::i18n::Lang::En);
        for key in ["abuse", "missing_owner", "missing_original", "missing_sent", "missing_sent_small", "missing_login_sent", "missing_relays", "missing_weak"] {
            assert!(keys.contains(&format!("evidence.{key}").as_str()), "{key}");
        }
    }
}
