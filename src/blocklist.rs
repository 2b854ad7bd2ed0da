//! Block-list findings: which block list or reputation system refused the mail, as its refusal
//! names it, and what it lists (the sending IP, or a domain). The lists are data
//! (`rules/blocklists.toml`); a finding is only sought for a failure that was the sender's (a
//! block, a bad reputation, spam, a policy): a Mimecast "invalid recipient" names no block list.

use crate::bounce::Bounce;
use crate::i18n::Lang;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Reasons a block list can be behind.
const SENDER_SIDE: &[&str] = &["blocked", "badreputation", "spamdetected", "rejected", "policyviolation", "speeding"];

/// One list, as `rules/blocklists.toml` describes it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct List {
    pub id: String,
    pub name: String,
    /// Look-up and delisting page; `{listed}` stands for what is listed.
    pub url: String,
    /// `ip` or `domain`: what the list lists.
    pub kind: String,
    /// Which `[advice.*]` table says what to do about a listing.
    pub advice: String,
    pub patterns: Vec<String>,
}

/// What to do about a listing, per language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Advice {
    en: String,
    nl: String,
    de: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    list: Vec<List>,
    advice: BTreeMap<String, Advice>,
}

static FILE: LazyLock<File> = LazyLock::new(|| {
    toml::from_str::<File>(include_str!("../rules/blocklists.toml")).expect("rules/blocklists.toml is valid (tested)")
});

/// The built-in lists, most specific first.
pub static LISTS: LazyLock<&'static [List]> = LazyLock::new(|| &FILE.list);

/// Every list's patterns in one automaton, each pattern numbered by its list: one pass over a
/// refusal names every list it mentions.
static PATTERNS: LazyLock<(aho_corasick::AhoCorasick, Vec<usize>)> = LazyLock::new(|| {
    let (patterns, owners): (Vec<&str>, Vec<usize>) =
        LISTS.iter().enumerate().flat_map(|(i, l)| l.patterns.iter().map(move |p| (p.as_str(), i))).unzip();
    (aho_corasick::AhoCorasick::new(patterns).expect("rules/blocklists.toml's patterns build (tested)"), owners)
});

impl List {
    /// What to do about a listing on this list, in `lang`.
    pub fn advice(&self, lang: Lang) -> &'static str {
        let Some(a) = FILE.advice.get(&self.advice) else { return "" };
        match lang {
            Lang::En => &a.en,
            Lang::Nl => &a.nl,
            Lang::De => &a.de,
        }
    }

    /// The look-up page for `listed` (the operator's page itself when nothing is listed).
    pub fn page(&self, listed: &str) -> String {
        if listed.is_empty() {
            // The page without its query: `https://host/path?ip={listed}` → `https://host/path`.
            let cut =
                self.url.find("{listed}").map_or(self.url.len(), |at| self.url[..at].rfind(['?', '/']).unwrap_or(at));
            return self.url[..cut].to_string();
        }
        // What is listed came out of a stranger's text: only the characters of an address go in.
        let safe: String =
            listed.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':')).collect();
        self.url.replace("{listed}", &safe)
    }
}

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
    let list = &LISTS[first_list(&text)?];
    let listed = if list.kind == "domain" { listed_domain(&text, list) } else { listed_ip(&text) };
    Some(Finding { list: list.id.as_str(), listed })
}

/// The first list (the most specific) with a pattern anywhere in `text` (lower case), by its
/// place in [`LISTS`].
fn first_list(text: &str) -> Option<usize> {
    let (automaton, owners) = &*PATTERNS;
    automaton.find_overlapping_iter(text).map(|m| owners[m.pattern().as_usize()]).min()
}

/// The list called `id`.
pub fn list(id: &str) -> Option<&'static List> {
    LISTS.iter().find(|l| l.id == id)
}

/// One listing: a list and what it lists, with the bounces that name it.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub list: &'static List,
    /// The IP address or domain; empty when the refusals named none.
    pub listed: String,
    /// Bounce messages naming it, and the recipients refused in them.
    pub bounces: usize,
    pub recipients: usize,
    /// Dates of the first and the last of them (Unix seconds; 0 when none was dated).
    pub first: i64,
    pub last: i64,
    /// The diagnostic line of the last of them.
    pub diagnostic: String,
}

/// The listings behind the bounces, most bounces first. Backscatter is left out: the refused
/// mail came from the forger's machines, and what was listed is theirs, not the owner's.
pub fn listings<B: std::borrow::Borrow<Bounce>>(bounces: impl IntoIterator<Item = B>) -> Vec<Listing> {
    let mut by: BTreeMap<(&str, String), Listing> = BTreeMap::new();
    for b in bounces {
        let b = b.borrow();
        if !crate::history::counts(b.kind, b.verdict) {
            continue;
        }
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for r in b.recipients.iter().filter(|r| !r.blocklist.is_empty()) {
            let Some(list) = list(&r.blocklist) else { continue };
            let key = (list.id.as_str(), r.listed.as_str());
            let l = by.entry((key.0, key.1.to_string())).or_insert_with(|| Listing {
                list,
                listed: r.listed.to_string(),
                bounces: 0,
                recipients: 0,
                first: b.date,
                last: b.date,
                diagnostic: String::new(),
            });
            l.recipients += 1;
            if !seen.contains(&key) {
                seen.push(key);
                l.bounces += 1;
            }
            if b.date != 0 && (l.first == 0 || b.date < l.first) {
                l.first = b.date;
            }
            if b.date >= l.last {
                l.last = b.date;
                l.diagnostic = r.diagnostic.to_string();
            }
        }
    }
    let mut out: Vec<Listing> = by.into_values().collect();
    out.sort_by(|a, b| b.bounces.cmp(&a.bounces).then(b.last.cmp(&a.last)).then(a.list.id.cmp(&b.list.id)));
    out
}

/// The IPv4 address the text names as listed: one the text calls the sender's ("messages from",
/// "client host [", "sending IP [", `ip=`) first, then one in brackets, then any; never the
/// receiving server a relay's report names ("host mx.example [192.0.2.9]: …", "… said").
fn listed_ip(text: &str) -> String {
    static IP: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?:^|[^0-9.])((?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3})(?:$|[^0-9.])").unwrap()
    });
    const SENDER: &[&str] = &[
        "messages from",
        "client host",
        "client",
        "sending ip",
        "from",
        "ip=",
        "ipr=",
        "&v=",
        "/ip/",
        "ip/",
        "listed",
        "address",
    ];
    let score = |at: usize, ip: &str| {
        let before = &text[..at];
        let after = &text[at + ip.len()..];
        // The receiving server, as a relay's report names it.
        let server = ["]:", "] said", "] refused to talk", ") returned", ") said"];
        if server.iter().any(|s| after.starts_with(s)) {
            return 0;
        }
        let near =
            before[before.floor_char_boundary(before.len().saturating_sub(16))..].trim_end_matches(['[', '(', ' ']);
        // "192.0.2.66 listed at …", "192.0.2.66 is listed in …".
        let listed_after = [" listed", " is listed", "] listed", "] is listed", " is in a black list", " found on"];
        if SENDER.iter().any(|m| near.ends_with(m)) || listed_after.iter().any(|s| after.starts_with(s)) {
            3
        } else if before.ends_with('[') || before.ends_with('(') {
            2
        } else {
            1
        }
    };
    IP.captures_iter(text)
        .filter_map(|c| c.get(1))
        .map(|m| (score(m.start(), m.as_str()), m.start(), m.as_str()))
        // The best score, the first of them.
        .max_by_key(|&(score, at, _)| (score, std::cmp::Reverse(at)))
        .filter(|&(score, _, _)| score > 0)
        .map(|(_, _, ip)| ip.to_string())
        .unwrap_or_default()
}

/// The domain a domain list names: the first host name in the text that is neither the list
/// operator's own (its pages, its zones) nor a server's name (one followed by its address in
/// brackets, as a relay names the receiving server).
fn listed_domain(text: &str, list: &List) -> String {
    static DOMAIN: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"\b((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})\b").unwrap());
    // The operator's domains: the last two labels of its page's host and of its zones' names.
    let base = |host: &str| {
        let labels: Vec<&str> = host.trim_matches('.').rsplitn(3, '.').collect();
        if labels.len() >= 2 { format!("{}.{}", labels[1], labels[0]) } else { String::new() }
    };
    let page_host = list.url.split("://").nth(1).unwrap_or("").split(['/', '?']).next().unwrap_or("");
    let own: Vec<String> = std::iter::once(page_host)
        .chain(list.patterns.iter().map(String::as_str).filter(|p| p.contains('.') && !p.contains(' ')))
        .map(base)
        .filter(|b| !b.is_empty())
        .collect();
    let is_own = |d: &str| own.iter().any(|o| d == o || d.ends_with(&format!(".{o}")));
    // The domain the text calls listed, or the sender's; never the recipient's (RCPT TO) nor a
    // page's name.
    let score = |at: usize, end: usize| {
        let before = &text[..at];
        let after = &text[end..];
        let line_start = before.rfind(['[', '<', ' ']).map_or(0, |i| i + 1);
        let opener = before[..line_start].trim_end_matches(['[', '<']);
        if opener.ends_with("rcpt to:") || opener.ends_with("to:") {
            0
        } else if after.starts_with(" is listed") || after.starts_with(" listed") || opener.ends_with("sender address")
        {
            3
        } else {
            1
        }
    };
    DOMAIN
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .filter(|m| !text[m.end()..].trim_start().starts_with('['))
        .filter(|m| {
            let d = m.as_str();
            !is_own(d) && ![".htm", ".html", ".php", ".shtml", ".cgi"].iter().any(|x| d.ends_with(x))
        })
        .map(|m| (score(m.start(), m.end()), m.start(), m.as_str()))
        .max_by_key(|&(score, at, _)| (score, std::cmp::Reverse(at)))
        .filter(|&(score, _, _)| score > 0)
        .map(|(_, _, d)| d.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounce::Verdict;

    #[test]
    fn every_list_loads_with_an_id_a_page_and_patterns() {
        assert!(LISTS.len() >= 20);
        for l in LISTS.iter() {
            assert!(!l.id.is_empty() && l.url.starts_with("http") && !l.patterns.is_empty(), "{}", l.id);
            assert!(l.kind == "ip" || l.kind == "domain", "{}", l.id);
            assert!(l.patterns.iter().all(|p| *p == p.to_lowercase()), "{}: patterns are lower case", l.id);
            for lang in [Lang::En, Lang::Nl, Lang::De] {
                assert!(l.advice(lang).len() > 80, "{}: advice in {lang:?}", l.id);
            }
            assert!(!l.page("").contains('{') && l.page("").starts_with("http"), "{}", l.id);
        }
        // Every advice table is used, and no two languages share a text.
        for (name, a) in &FILE.advice {
            assert!(LISTS.iter().any(|l| l.advice == *name), "advice.{name} is used by no list");
            assert!(a.en != a.nl && a.nl != a.de && a.en != a.de, "advice.{name} is translated");
        }
    }

    /// The one pass names the list that trying the lists in order would: on each pattern, on
    /// each list's first pattern beside every list's first pattern (in both orders), and on the
    /// demo mailbox's lines.
    #[test]
    fn one_pass_finds_the_first_list_the_lists_in_order_would() {
        let in_order = |text: &str| LISTS.iter().position(|l| l.patterns.iter().any(|p| text.contains(p.as_str())));
        let firsts: Vec<&str> = LISTS.iter().map(|l| l.patterns[0].as_str()).collect();
        let mut texts: Vec<String> =
            LISTS.iter().flat_map(|l| l.patterns.iter().map(|p| format!("550 {p} x"))).collect();
        for a in &firsts {
            for b in &firsts {
                texts.push(format!("refused: {a}; see {b}"));
            }
        }
        texts.extend(crate::demo::lines().iter().map(|l| l.to_lowercase()));
        let mut found = 0;
        for t in &texts {
            assert_eq!(first_list(t), in_order(t), "{t:?}");
            found += usize::from(in_order(t).is_some());
        }
        assert!(found > LISTS.len() * LISTS.len(), "only {found} texts name a list");
    }

    #[test]
    fn pages_take_only_the_characters_of_an_address() {
        let zen = list("spamhaus-zen").unwrap();
        assert_eq!(zen.page("192.0.2.7"), "https://check.spamhaus.org/listed/?searchterm=192.0.2.7");
        assert_eq!(zen.page("192.0.2.7\"><script>"), "https://check.spamhaus.org/listed/?searchterm=192.0.2.7script");
        assert_eq!(zen.page(""), "https://check.spamhaus.org/listed/");
        assert_eq!(list("microsoft").unwrap().page(""), "https://sender.office.com/");
    }

    #[test]
    fn listings_group_bounces_by_list_and_what_is_listed() {
        use crate::bounce::Recipient;
        let bounce = |date: i64, rcpts: &[(&str, &str)], verdict: Verdict| {
            let recipients = rcpts
                .iter()
                .map(|(list, listed)| Recipient {
                    address: "a@b.example".into(),
                    reason: "blocked".into(),
                    blocklist: (*list).into(),
                    listed: (*listed).into(),
                    diagnostic: format!("refused at {date}").into(),
                    ..Default::default()
                })
                .collect();
            Bounce::of(date, verdict, recipients)
        };
        let bounces = [
            bounce(300, &[("spamcop", "192.0.2.1"), ("spamcop", "192.0.2.1")], Verdict::Real),
            bounce(100, &[("spamcop", "192.0.2.1")], Verdict::Undetermined),
            bounce(200, &[("spamcop", "192.0.2.2"), ("", "")], Verdict::Real),
            bounce(400, &[("spamcop", "192.0.2.2")], Verdict::Backscatter),
        ];
        let got = listings(&bounces);
        let rows: Vec<(&str, &str, usize, usize, i64, i64, &str)> = got
            .iter()
            .map(|l| {
                (l.list.id.as_str(), l.listed.as_str(), l.bounces, l.recipients, l.first, l.last, l.diagnostic.as_str())
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("spamcop", "192.0.2.1", 2, 3, 100, 300, "refused at 300"),
                ("spamcop", "192.0.2.2", 1, 1, 200, 200, "refused at 200"),
            ]
        );
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
                "host mx2.example.net [198.51.100.20]: 550 5.7.1 Unfortunately, messages from 203.0.113.4 weren't sent. Please contact your Internet service provider since part of their network is on our block list.",
                "microsoft",
                "203.0.113.4",
            ),
            (
                "550 5.7.606 Access denied, banned sending IP [203.0.113.77]. To request removal from this list please visit https://sender.office.com [AM0PR.prod.protection.outlook.com]",
                "microsoft",
                "203.0.113.77",
            ),
            (
                "host mx.example.org[198.51.100.1] said: 554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org",
                "spamhaus-zen",
                "203.0.113.5",
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
