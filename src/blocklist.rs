//! Block-list findings: which block list or reputation system refused the mail, as its refusal
//! names it, and what it lists (the sending IP, or a domain). The lists are data
//! (`rules/blocklists.toml`); a finding is only sought for a failure that was the sender's (a
//! block, a bad reputation, spam, a policy): a Mimecast "invalid recipient" names no block list.

use serde::Deserialize;
use std::sync::LazyLock;

/// Reasons a block list can be behind.
const SENDER_SIDE: &[&str] = &["blocked", "badreputation", "spamdetected", "rejected", "policyviolation", "speeding"];

/// One list, as `rules/blocklists.toml` describes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct List {
    pub id: String,
    pub name: String,
    /// Look-up and delisting page; `{listed}` stands for what is listed.
    pub url: String,
    /// `ip` or `domain`: what the list lists.
    pub kind: String,
    pub patterns: Vec<String>,
}

#[derive(Deserialize)]
struct File {
    list: Vec<List>,
}

/// The built-in lists, most specific first.
pub static LISTS: LazyLock<Vec<List>> = LazyLock::new(|| {
    toml::from_str::<File>(include_str!("../rules/blocklists.toml"))
        .expect("rules/blocklists.toml is valid (tested)")
        .list
});

/// What a refusal says about a block list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The list's id (`spamhaus-zen`), as the `blocklist` column has it.
    pub list: &'static str,
    /// The IP address or domain it names as listed; empty when the text names none.
    pub listed: String,
}

/// The block list behind a failure for `reason` with this diagnostic, if one is named.
pub fn find(reason: &str, diagnostic: &str) -> Option<Finding> {
    if !SENDER_SIDE.contains(&reason) {
        return None;
    }
    let text = diagnostic.to_lowercase();
    let list = LISTS.iter().find(|l| l.patterns.iter().any(|p| text.contains(p.as_str())))?;
    let listed = if list.kind == "domain" { listed_domain(&text, list) } else { listed_ip(&text) };
    Some(Finding { list: list.id.as_str(), listed })
}

/// The list called `id`.
pub fn list(id: &str) -> Option<&'static List> {
    LISTS.iter().find(|l| l.id == id)
}

/// The IPv4 address the text names: one in brackets or after `ip=`/`/ip/` first, else the first.
fn listed_ip(text: &str) -> String {
    static IP: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?:^|[^0-9.])((?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3})(?:$|[^0-9.])").unwrap()
    });
    let all: Vec<(usize, &str)> =
        IP.captures_iter(text).filter_map(|c| c.get(1)).map(|m| (m.start(), m.as_str())).collect();
    let marked = all.iter().find(|(at, _)| {
        let before = &text[..*at];
        before.ends_with('[') || before.ends_with("ip=") || before.ends_with("/ip/") || before.ends_with('(')
    });
    marked.or(all.first()).map(|(_, ip)| ip.to_string()).unwrap_or_default()
}

/// The domain a domain list names: the first host name in the text that is not the list's own.
fn listed_domain(text: &str, list: &List) -> String {
    static DOMAIN: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"\b((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})\b").unwrap());
    let own = |d: &str| list.patterns.iter().any(|p| p.contains(d) || d.contains("spamhaus"));
    DOMAIN
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .map(|m| m.as_str())
        .find(|d| !own(d) && !d.ends_with(".htm") && !d.ends_with(".html"))
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_loads_with_an_id_a_page_and_patterns() {
        assert!(LISTS.len() >= 20);
        for l in LISTS.iter() {
            assert!(!l.id.is_empty() && l.url.starts_with("http") && !l.patterns.is_empty(), "{}", l.id);
            assert!(l.kind == "ip" || l.kind == "domain", "{}", l.id);
            assert!(l.patterns.iter().all(|p| *p == p.to_lowercase()), "{}: patterns are lower case", l.id);
        }
    }

    #[test]
    fn refusals_name_their_list_and_what_is_listed() {
        let cases = [
            (
                "554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.7",
                "spamhaus-zen",
                "192.0.2.7",
            ),
            (
                "554 5.7.1 Service unavailable; Client host [198.51.100.3] blocked using bl.spamcop.net",
                "spamcop",
                "198.51.100.3",
            ),
            (
                "550 5.7.1 Unfortunately, messages from [203.0.113.9] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
                "microsoft",
                "203.0.113.9",
            ),
            (
                "554 Service unavailable; Client host [192.0.2.55] blocked using b.barracudacentral.org",
                "barracuda",
                "192.0.2.55",
            ),
            ("550 5.7.1 Rejected: 192.0.2.66 listed at dnsbl-2.uceprotect.net", "uceprotect-2", "192.0.2.66"),
            (
                "554 5.7.1 Service unavailable; Sender address [x@shop.example] blocked using dbl.spamhaus.org; shop.example is listed",
                "spamhaus-dbl",
                "shop.example",
            ),
            (
                "421 4.7.0 [TSS04] Messages from 192.0.2.8 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
                "yahoo",
                "192.0.2.8",
            ),
        ];
        for (text, list, listed) in cases {
            let f = find("blocked", text).unwrap_or_else(|| panic!("no list in {text}"));
            assert_eq!((f.list, f.listed.as_str()), (list, listed), "{text}");
        }
        // Only for the sender's own failures.
        assert_eq!(find("userunknown", "550 Invalid Recipient - https://community.mimecast.com/docs"), None);
        assert_eq!(find("blocked", "550 5.7.1 Message rejected by the recipient's policy"), None);
    }
}
