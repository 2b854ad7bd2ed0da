//! Received header parsing: who handed the message to whom, how, and whether a login was used.

use regex::Regex;
use std::sync::LazyLock;

/// One parsed Received header.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hop {
    /// The name the client gave (HELO/EHLO), lower case.
    pub helo: String,
    /// The client's reverse-DNS name, lower case.
    pub rdns: String,
    pub ip: String,
    /// The host that added this header, lower case.
    pub by: String,
    /// The protocol (`esmtpsa`, `esmtp`, `smtp`, `local`…), lower case.
    pub with: String,
    /// The login name if the hop records one (`Authenticated sender: x`, `X-Authenticated-Sender`).
    pub auth: String,
}

impl Hop {
    /// Did the client log in on this hop (RFC 3848 `ESMTPA`/`ESMTPSA`, or a recorded login)?
    pub fn authenticated(&self) -> bool {
        !self.auth.is_empty() || matches!(self.with.as_str(), "esmtpa" | "esmtpsa" | "lmtpa" | "lmtpsa" | "asmtp")
    }
}

static FROM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^\s*from\s+(\S+)").unwrap());
static CLIENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\(\s*(?:([a-z0-9][a-z0-9.-]*)\s+)?\[?([0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]+)\]?")
        .unwrap()
});
static BY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bby\s+([a-z0-9][a-z0-9.-]*)").unwrap());
static WITH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bwith\s+([a-z0-9-]+)").unwrap());
static AUTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:authenticated\s+sender:\s*|authenticated\s+as\s+|auth(?:enticated)?\s+user[:=]\s*|\(Postfix,\s+from\s+userid\s+)([^\s;)]+)").unwrap()
});

/// Parse one Received header value (unfolded).
pub fn parse(value: &str) -> Hop {
    let lower_head = value.split(';').next().unwrap_or(value);
    let mut hop = Hop::default();
    if let Some(c) = FROM.captures(lower_head) {
        hop.helo = c[1].trim_matches(['[', ']', '(', ')']).to_ascii_lowercase();
    }
    // The client part sits between "from" and "by".
    let by_at = BY.find(lower_head).map(|m| m.start()).unwrap_or(lower_head.len());
    if let Some(c) = CLIENT.captures(&lower_head[..by_at]) {
        hop.rdns = c.get(1).map(|m| m.as_str().to_ascii_lowercase()).unwrap_or_default();
        hop.ip = c[2].to_string();
    }
    if let Some(c) = BY.captures(lower_head) {
        hop.by = c[1].trim_end_matches('.').to_ascii_lowercase();
    }
    if let Some(c) = WITH.captures(lower_head) {
        hop.with = c[1].to_ascii_lowercase();
    }
    if let Some(c) = AUTH.captures(value) {
        hop.auth = c[1].trim_matches(['<', '>', '"', '\'']).to_ascii_lowercase();
    }
    hop
}

/// Does `host` equal `pattern` or match it as a glob (`*` and `?` only, as SpamAssassin's
/// trusted-relay globs)? A pattern without wildcards also matches sub-domains.
pub fn host_matches(host: &str, pattern: &str) -> bool {
    let (h, p) = (host.to_ascii_lowercase(), pattern.to_ascii_lowercase());
    if h.is_empty() || p.is_empty() {
        return false;
    }
    if !p.contains(['*', '?']) {
        return h == p || h.ends_with(&format!(".{p}"));
    }
    glob(h.as_bytes(), p.as_bytes())
}

fn glob(s: &[u8], p: &[u8]) -> bool {
    match (p.first(), s.first()) {
        (None, None) => true,
        (Some(b'*'), _) => glob(s, &p[1..]) || (!s.is_empty() && glob(&s[1..], p)),
        (Some(b'?'), Some(_)) => glob(&s[1..], &p[1..]),
        (Some(a), Some(b)) if a == b => glob(&s[1..], &p[1..]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postfix_submission_hop() {
        let h = parse(
            "from [192.168.1.20] (dsl-7.example.net [198.51.100.7]) (Authenticated sender: owner@example.net) by smtp.example.net (Postfix) with ESMTPSA id 4Xq for <a@b.example>; Mon, 02 Nov 2026 10:00:00 +0100",
        );
        assert_eq!(h.helo, "192.168.1.20");
        assert_eq!(h.rdns, "dsl-7.example.net");
        assert_eq!(h.ip, "198.51.100.7");
        assert_eq!(h.by, "smtp.example.net");
        assert_eq!(h.with, "esmtpsa");
        assert_eq!(h.auth, "owner@example.net");
        assert!(h.authenticated());
    }

    #[test]
    fn plain_relay_hop() {
        let h = parse("from mail.example.org (mail.example.org [192.0.2.1]) by mx.example.com with ESMTP id x; date");
        assert_eq!((h.helo.as_str(), h.by.as_str(), h.with.as_str()), ("mail.example.org", "mx.example.com", "esmtp"));
        assert!(!h.authenticated());
    }

    #[test]
    fn globs() {
        assert!(host_matches("out3.isp.net", "*.isp.net"));
        assert!(host_matches("smtp.example.net", "example.net"));
        assert!(!host_matches("example.network", "example.net"));
        assert!(host_matches("mx1.isp.net", "mx?.isp.net"));
    }
}
