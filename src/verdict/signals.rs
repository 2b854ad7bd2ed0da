//! The signals: each is one fact about a bounce and its original that points one way (sent by
//! the owner, forged, sent through the owner's account), with a strength and a family. Two
//! signals of one family share a way of being wrong (an incomplete Sent folder makes "not in
//! Sent" and "never wrote to them" fire together), so only signals of different families count
//! as independent. Which facts are read and why: ../shared/BACKSCATTER.md §2.

use super::Case;
use super::received::{self, Hop};
use super::sent::{normalize_mid, parse_date};
use super::{Owner, SentState, net_of};
use crate::bounce::{Bounce, Evidence, Signal};

/// Which verdict a signal speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The owner sent it.
    Real,
    /// The owner's address was forged.
    Back,
    /// It went out through the owner's account or server (whoever typed it).
    Account,
}

/// Signals that share a way of being wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// The Sent folder (wrong when it is incomplete): what is in it, who was written to.
    Sent,
    /// Many bounces from domains never written to, at once: a spam run's pattern (wrong for a
    /// mass mailing that is not in the Sent folder).
    Traffic,
    /// The envelope address the bounce came back to.
    Envelope,
    /// The original's Received chain against the owner's servers.
    Relay,
    /// The login recorded in the Received chain.
    Login,
    /// What the receiver said about SPF, DKIM or DMARC.
    Receiver,
    /// A DKIM-Signature header (not verified offline).
    Signature,
    /// The original's own headers against each other.
    Headers,
    /// Dates (wrong clocks and time zones are common).
    Date,
}

/// Strength: 3 strong (decides in a rule of its own in the decision order), 2 medium, 1 weak
/// (medium and weak ones are weighed).
pub struct Strength {
    pub id: Signal,
    pub side: Side,
    pub weight: u8,
    pub family: Family,
}

const fn s(id: Signal, side: Side, weight: u8, family: Family) -> Strength {
    Strength { id, side, weight, family }
}

/// Every signal with its side, weight and family (BACKSCATTER.md §2, with the corrections the
/// tests showed: AR_FAIL is medium, since the owner's own broken SPF looks the same).
pub static SIGNALS: &[Strength] = &[
    s(Signal::SentMid, Side::Real, 3, Family::Sent),
    s(Signal::SentFuzzy, Side::Real, 2, Family::Sent),
    s(Signal::SentNear, Side::Real, 2, Family::Sent),
    s(Signal::KnownRcpt, Side::Real, 2, Family::Sent),
    s(Signal::BatvTag, Side::Real, 2, Family::Envelope),
    s(Signal::Handoff, Side::Real, 3, Family::Relay),
    s(Signal::RelayMention, Side::Real, 1, Family::Relay),
    s(Signal::ArDkimPass, Side::Real, 3, Family::Receiver),
    s(Signal::DkimOwn, Side::Real, 2, Family::Signature),
    s(Signal::ClientKnown, Side::Real, 2, Family::Login),
    s(Signal::SentAbsent, Side::Back, 2, Family::Sent),
    s(Signal::UnknownRcpt, Side::Back, 1, Family::Sent),
    s(Signal::Burst, Side::Back, 2, Family::Traffic),
    s(Signal::Catchall, Side::Back, 3, Family::Envelope),
    s(Signal::BatvMissing, Side::Back, 3, Family::Envelope),
    s(Signal::AuthfailDsn, Side::Back, 2, Family::Receiver),
    s(Signal::ArFail, Side::Back, 2, Family::Receiver),
    s(Signal::NoOwnRelay, Side::Back, 2, Family::Relay),
    s(Signal::ForgedHelo, Side::Back, 3, Family::Relay),
    s(Signal::ForeignAuth, Side::Back, 3, Family::Login),
    s(Signal::EnvMismatch, Side::Back, 2, Family::Headers),
    s(Signal::DateFuture, Side::Back, 1, Family::Date),
    s(Signal::DateOld, Side::Back, 1, Family::Date),
    s(Signal::OwnAuth, Side::Account, 3, Family::Login),
    s(Signal::ClientForeign, Side::Account, 2, Family::Login),
];

/// The strength of a signal (every signal but the decision's own note has one; tested).
pub fn strength(id: Signal) -> Option<&'static Strength> {
    SIGNALS.iter().find(|s| s.id == id)
}

/// How far an original may be dated after its bounce before that counts (weakly) as forgery:
/// more than any time-zone offset (−12…+14 h) plus a day of clock error would explain.
pub const DATE_SKEW_SECONDS: i64 = 26 * 3600;
/// An original dated this long before its bounce outlived any queue (Postfix gives up after 5 days).
const DATE_OLD_SECONDS: i64 = 7 * 86_400;
/// "Not in the Sent folder" counts for originals dated within the period the folder covers,
/// up to a week after its newest message (a folder read a little before the bounces).
const SENT_SLACK_SECONDS: i64 = 7 * 86_400;
/// A terse bounce answers mail written to its recipient at most this long before it.
const NEAR_SECONDS: i64 = 5 * 86_400;

/// Evidence for signal `id`, told by the catalogue's `evidence.<key>` text.
fn ev(id: Signal, key: &'static str, args: &[(&'static str, String)]) -> Evidence {
    Evidence::new(id, key, args.iter().map(|(k, v)| (*k, v.as_str())))
}

/// Every signal that fires for `b`, in a fixed order. `burst` is the number of unrelated
/// recipient domains bouncing within 24 h around it.
pub fn signals(owner: &Owner, b: &Case, burst: usize) -> Vec<Evidence> {
    let mut out = Vec::new();
    let rcpt = b.recipient.to_ascii_lowercase();
    envelope(owner, b, burst, &mut out);
    let Some(o) = &b.original else {
        terse(owner, b, &rcpt, &mut out);
        return out;
    };
    let odate = parse_date(&o.date);
    // The Sent folder.
    if let Some(s) = &owner.sent {
        let folder = s.folders.first().map(String::as_str).unwrap_or("Sent");
        let mid = normalize_mid(&o.message_id);
        if !mid.is_empty() && s.message_ids.contains(&mid) {
            out.push(ev(Signal::SentMid, "sent_mid", &[("mid", mid), ("folder", folder.into())]));
        } else {
            let fuzzy = s
                .recipients
                .get(rcpt.as_str())
                .is_some_and(|ds| odate != 0 && ds.iter().any(|d| (d - odate).abs() <= 600));
            let complete = owner.sent_state() == SentState::Complete;
            if fuzzy {
                out.push(ev(Signal::SentFuzzy, "sent_fuzzy", &[("rcpt", rcpt.to_string())]));
            } else if complete && odate != 0 && s.first != 0 && s.first <= odate && odate <= s.last + SENT_SLACK_SECONDS
            {
                out.push(ev(
                    Signal::SentAbsent,
                    "sent_absent",
                    &[("count", s.count.to_string()), ("since", crate::dates::day(s.first))],
                ));
            }
            recipient_known(owner, &rcpt, &mut out);
        }
    }
    relays(owner, o, &mut out);
    receiver(owner, o, &mut out);
    // Dates: a skew within a day is what a wrong time-zone offset or clock looks like, no signal.
    if odate != 0 && b.date != 0 {
        if odate - b.date > DATE_SKEW_SECONDS {
            out.push(ev(Signal::DateFuture, "date_future", &[("hours", ((odate - b.date) / 3600).to_string())]));
        } else if b.date - odate > DATE_OLD_SECONDS {
            out.push(ev(Signal::DateOld, "date_old", &[("days", ((b.date - odate) / 86_400).to_string())]));
        }
    }
    // The envelope sender against the header sender.
    let rp = crate::text::addresses(&o.trace().return_path).next().unwrap_or("").to_ascii_lowercase();
    let from = crate::text::addresses(&o.from).next().unwrap_or("").to_ascii_lowercase();
    if !rp.is_empty()
        && owner.is_owner_address(&rp)
        && !from.is_empty()
        && !owner.is_owner_domain(&Bounce::domain(&from))
    {
        out.push(ev(Signal::EnvMismatch, "env_mismatch_sender", &[("from", from)]));
    } else if !from.is_empty() && from == rcpt && !owner.is_owner_address(&from) {
        out.push(ev(Signal::EnvMismatch, "env_mismatch_self", &[("from", from)]));
    }
    out
}

/// Signals of the bounce's own envelope, with or without the original.
fn envelope(owner: &Owner, b: &Case, burst: usize, out: &mut Vec<Evidence>) {
    let to = crate::text::addresses(&b.delivered_to).next().unwrap_or("").to_ascii_lowercase();
    // BATV (prvs=) return-address tags: only the owner's own signing server adds them to the
    // envelope sender, so a bounce to a tagged address answers a message that server sent.
    let tagged = to.contains("prvs=")
        || b.original.as_ref().is_some_and(|o| o.trace().return_path.to_ascii_lowercase().contains("prvs="));
    // The address under its tags: `prvs=KDDDSSSSSS=me@ex.org` and `me+tag@ex.org` are `me@ex.org`.
    let bare = untagged(&to);
    // Catch-all: the bounce came to an address at the owner's domain that the owner never sends
    // from (not even once: a rarely used alias is still the owner's).
    if !bare.is_empty()
        && !tagged
        && !owner.addresses.is_empty()
        && owner.is_owner_domain(&Bounce::domain(&bare))
        && !owner.is_owner_address(&bare)
        && !owner.has_sent_from(&bare)
    {
        out.push(ev(Signal::Catchall, "catchall", &[("to", to.clone())]));
    }
    if tagged {
        out.push(ev(Signal::BatvTag, "batv_tag", &[]));
    } else if owner.always_tags() && !bare.is_empty() && owner.is_owner_domain(&Bounce::domain(&bare)) {
        out.push(ev(Signal::BatvMissing, "batv_missing", &[]));
    }
    if b.authfailure {
        out.push(ev(Signal::AuthfailDsn, "authfail_dsn", &[]));
    }
    if burst >= super::BURST_MIN_DOMAINS {
        out.push(ev(Signal::Burst, "burst", &[("n", burst.to_string())]));
    }
}

/// An address without its BATV tag (`prvs=…=local@domain`) or sub-address (`local+tag@domain`).
fn untagged(address: &str) -> String {
    let Some((local, domain)) = address.rsplit_once('@') else { return address.to_string() };
    let local = match local.strip_prefix("prvs=").or_else(|| local.strip_prefix("msprvs1=")) {
        Some(rest) => rest.split_once('=').map_or(rest, |(_, l)| l),
        None => local,
    };
    let local = local.split_once('+').map_or(local, |(l, _)| l);
    format!("{local}@{domain}")
}

/// A bounce without the original: only its recipient and date can be held against Sent.
fn terse(owner: &Owner, b: &Case, rcpt: &str, out: &mut Vec<Evidence>) {
    let Some(s) = &owner.sent else { return };
    let written = s
        .recipients
        .get(rcpt)
        .and_then(|ds| ds.iter().filter(|d| **d <= b.date + 3600 && b.date - **d <= NEAR_SECONDS).max());
    if let Some(d) = written.filter(|_| b.date != 0) {
        out.push(ev(
            Signal::SentNear,
            "sent_near",
            &[("rcpt", rcpt.into()), ("hours", ((b.date - d).max(0) / 3600).to_string())],
        ));
    }
    recipient_known(owner, rcpt, out);
}

/// Has the owner ever written to this recipient? "Never" counts only with a complete Sent folder.
fn recipient_known(owner: &Owner, rcpt: &str, out: &mut Vec<Evidence>) {
    let Some(s) = &owner.sent else { return };
    if rcpt.is_empty() {
        return;
    }
    if s.recipients.contains_key(rcpt) {
        out.push(ev(Signal::KnownRcpt, "known_rcpt", &[("rcpt", rcpt.into())]));
    } else if owner.sent_state() == SentState::Complete {
        out.push(ev(Signal::UnknownRcpt, "unknown_rcpt", &[("rcpt", rcpt.into()), ("count", s.count.to_string())]));
    }
}

/// The original's Received chain against the owner's logins and servers.
fn relays(owner: &Owner, o: &crate::bounce::OriginalInfo, out: &mut Vec<Evidence>) {
    // Newest hop first.
    let hops: Vec<Hop> = o.trace().received.iter().map(|r| received::parse(r)).collect();
    let mut own_auth = false;
    for h in hops.iter().filter(|h| h.authenticated()) {
        let by_own = owner.is_own_relay(&h.by);
        let login_own =
            !h.auth.is_empty() && (owner.is_owner_address(&h.auth) || owner.is_owner_domain(&Bounce::domain(&h.auth)));
        // On the owner's own server, a login that is no address (`jdoe`, a uid) is the owner's.
        if login_own || (by_own && !h.auth.contains('@')) {
            own_auth = true;
            let (by, login, ip) = (h.by.clone(), h.auth.clone(), h.ip.clone());
            out.push(match (login.is_empty(), ip.is_empty()) {
                (false, false) => ev(Signal::OwnAuth, "own_auth", &[("by", by), ("login", login), ("ip", ip)]),
                (false, true) => ev(Signal::OwnAuth, "own_auth_no_ip", &[("by", by), ("login", login)]),
                (true, false) => ev(Signal::OwnAuth, "own_auth_anonymous", &[("by", by), ("ip", ip)]),
                (true, true) => ev(Signal::OwnAuth, "own_auth_anonymous_no_ip", &[("by", by)]),
            });
            if !h.ip.is_empty() && !owner.client_nets.is_empty() {
                if owner.client_nets.contains(&net_of(&h.ip)) {
                    out.push(ev(Signal::ClientKnown, "client_known", &[("ip", h.ip.clone())]));
                } else {
                    out.push(ev(Signal::ClientForeign, "client_foreign", &[("ip", h.ip.clone())]));
                }
            }
            break;
        }
        // Someone else's login on a server that is not the owner's; only where the owner's
        // servers are known, else every server looks foreign.
        if h.auth.contains('@') && !owner.addresses.is_empty() && owner.knows_relays() && !by_own {
            out.push(ev(Signal::ForeignAuth, "foreign_auth", &[("login", h.auth.clone()), ("by", h.by.clone())]));
            break;
        }
    }
    if !own_auth && owner.knows_relays() && !hops.is_empty() {
        let handoff = hops
            .iter()
            .find(|h| (owner.is_own_relay(&h.helo) || owner.is_own_relay(&h.rdns)) && !owner.is_own_relay(&h.by));
        if let Some(h) = handoff {
            let host = if h.rdns.is_empty() { h.helo.clone() } else { h.rdns.clone() };
            out.push(ev(Signal::Handoff, "handoff", &[("by", h.by.clone()), ("host", host)]));
        } else if hops
            .iter()
            .any(|h| owner.is_own_relay(&h.by) || owner.is_own_relay(&h.helo) || owner.is_own_relay(&h.rdns))
        {
            out.push(ev(Signal::RelayMention, "relay_mention", &[]));
        } else {
            let first = hops
                .last()
                .map(|h| if h.rdns.is_empty() { h.helo.clone() } else { h.rdns.clone() })
                .unwrap_or_default();
            out.push(if first.is_empty() {
                ev(Signal::NoOwnRelay, "no_own_relay_unnamed", &[])
            } else {
                ev(Signal::NoOwnRelay, "no_own_relay", &[("host", first)])
            });
        }
    }
    // A client that calls itself by the owner's bare domain from a foreign address. Only where
    // the owner's servers are known: a small firm's own server may greet with its bare domain.
    if !own_auth && owner.knows_relays() {
        let forged = hops.iter().find(|h| {
            !h.helo.is_empty() && owner.domains.contains(&h.helo) && !owner.is_own_relay(&h.rdns) && !h.ip.is_empty()
        });
        if let Some(h) = forged {
            out.push(ev(Signal::ForgedHelo, "forged_helo", &[("ip", h.ip.clone()), ("helo", h.helo.clone())]));
        }
    }
}

/// What the receiver recorded about SPF, DKIM and DMARC, and the original's own signature.
fn receiver(owner: &Owner, o: &crate::bounce::OriginalInfo, out: &mut Vec<Evidence>) {
    let ar = o.trace().authentication_results.to_ascii_lowercase();
    let results = auth_results(&ar);
    // A property's domain: `me@ex.org` or `ex.org` alike.
    let domain = |v: &str| v.rsplit_once('@').map_or(v, |(_, d)| d).to_string();
    let failed_for = |method: &str, verdict: &str, prop: &str| {
        results.iter().any(|r| {
            r.method == method
                && r.result == verdict
                && r.props.iter().any(|(k, v)| k == prop && owner.is_owner_domain(&domain(v)))
        })
    };
    // A DKIM pass by one of the owner's signing domains outweighs an SPF failure (forwarding
    // breaks SPF).
    let signer = results.iter().filter(|r| r.method == "dkim" && r.result == "pass").find_map(|r| {
        r.props.iter().find(|(k, v)| k == "header.d" && owner.dkim_domains.contains(v.as_str())).map(|(_, v)| v.clone())
    });
    if let Some(d) = signer {
        out.push(ev(Signal::ArDkimPass, "ar_dkim_pass", &[("domain", d)]));
    } else if failed_for("spf", "fail", "smtp.mailfrom") || failed_for("dmarc", "fail", "header.from") {
        out.push(ev(Signal::ArFail, "ar_fail", &[]));
    }
    if let Some((d, s)) = o.trace().dkim.iter().find(|(d, _)| owner.dkim_domains.contains(d.as_str())) {
        out.push(ev(Signal::DkimOwn, "dkim_own", &[("domain", d.to_string()), ("selector", s.to_string())]));
    }
}

/// One result of an Authentication-Results header (RFC 8601): `dkim=pass header.d=ex.org`.
struct AuthResult {
    method: String,
    result: String,
    props: Vec<(String, String)>,
}

/// The results of an Authentication-Results header, lower case (the authserv-id before the
/// first `;` is skipped; comments in parentheses are dropped).
fn auth_results(header: &str) -> Vec<AuthResult> {
    let mut without_comments = String::with_capacity(header.len());
    let mut depth = 0usize;
    for c in header.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => without_comments.push(c),
            _ => {}
        }
    }
    without_comments
        .split(';')
        .skip(1)
        .filter_map(|clause| {
            let mut words = clause.split_whitespace();
            let (method, result) = words.next()?.split_once('=')?;
            let props = words
                .filter_map(|w| w.split_once('='))
                .map(|(k, v)| (k.to_string(), v.trim_matches(['"', '<', '>']).to_string()))
                .collect();
            Some(AuthResult { method: method.to_string(), result: result.to_string(), props })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_come_off_an_address() {
        assert_eq!(untagged("prvs=1234abcdef=me@ex.org"), "me@ex.org");
        assert_eq!(untagged("me+news@ex.org"), "me@ex.org");
        assert_eq!(untagged("me@ex.org"), "me@ex.org");
    }

    #[test]
    fn authentication_results_are_read_by_method() {
        let r = auth_results(
            "mx.google.com; dkim=pass (2048-bit key) header.i=@ex.org header.d=ex.org; spf=fail (google.com: domain of me@ex.org does not designate 192.0.2.1) smtp.mailfrom=me@ex.org; dmarc=fail (p=reject) header.from=ex.org",
        );
        let methods: Vec<(&str, &str)> = r.iter().map(|x| (x.method.as_str(), x.result.as_str())).collect();
        assert_eq!(methods, vec![("dkim", "pass"), ("spf", "fail"), ("dmarc", "fail")]);
        assert!(r[1].props.contains(&("smtp.mailfrom".to_string(), "me@ex.org".to_string())));
    }
}
