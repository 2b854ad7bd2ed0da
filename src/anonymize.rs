//! `explain --redact`: a copy of a message fit to attach to a rule request. Every address, host
//! name and IP address in it is replaced, consistently (the same name always by the same
//! stand-in, so the structure a rule needs stays readable), by names that exist nowhere:
//! `user1@domain1.example`, `host2.example`, `192.0.2.3` (RFC 5737, RFC 2606). Status and reply
//! codes, header names and the MIME structure are kept.

use regex::bytes::{Captures, Regex};
use std::collections::HashMap;
use std::sync::LazyLock;

static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?P<address>[a-z0-9._%+=-]+@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})",
        r"|(?P<ip>\b(?:[0-9]{1,3}\.){3}[0-9]{1,3}\b)",
        r"|(?P<host>\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}\b)",
    ))
    .unwrap()
});

/// The stand-ins given so far, per kind.
#[derive(Default)]
struct StandIns {
    names: HashMap<Vec<u8>, String>,
    domains: usize,
    users: usize,
    hosts: usize,
    ips: usize,
}

impl StandIns {
    fn domain(&mut self, domain: &[u8]) -> String {
        let key = [b"d:".as_slice(), &domain.to_ascii_lowercase()].concat();
        if let Some(name) = self.names.get(&key) {
            return name.clone();
        }
        self.domains += 1;
        let name = format!("domain{}.example", self.domains);
        self.names.insert(key, name.clone());
        name
    }

    fn give(&mut self, c: &Captures) -> String {
        if let Some(a) = c.name("address") {
            let lower = a.as_bytes().to_ascii_lowercase();
            // Already a stand-in (a copy redacted before).
            if lower.ends_with(b".example") {
                return String::from_utf8_lossy(a.as_bytes()).into_owned();
            }
            if let Some(name) = self.names.get(&lower) {
                return name.clone();
            }
            let at = lower.iter().rposition(|&b| b == b'@').unwrap_or(0);
            let domain = self.domain(&lower[at + 1..]);
            self.users += 1;
            let name = format!("user{}@{domain}", self.users);
            self.names.insert(lower, name.clone());
            return name;
        }
        if let Some(ip) = c.name("ip") {
            let key = ip.as_bytes().to_vec();
            if key.starts_with(b"192.0.2.") {
                return String::from_utf8_lossy(&key).into_owned();
            }
            if let Some(name) = self.names.get(&key) {
                return name.clone();
            }
            self.ips += 1;
            let name = format!("192.0.2.{}", self.ips % 254 + 1);
            self.names.insert(key, name.clone());
            return name;
        }
        let host = c.name("host").map(|h| h.as_bytes()).unwrap_or_default();
        let lower = host.to_ascii_lowercase();
        if lower.ends_with(b".example") {
            return String::from_utf8_lossy(host).into_owned();
        }
        // A name that is also the domain of an address stays that domain's stand-in.
        if let Some(name) = self.names.get(&[b"d:".as_slice(), &lower].concat()) {
            return name.clone();
        }
        if let Some(name) = self.names.get(&lower) {
            return name.clone();
        }
        self.hosts += 1;
        let name = format!("host{}.example", self.hosts);
        self.names.insert(lower, name.clone());
        name
    }
}

/// `message` with every address, host name and IP address replaced by its stand-in.
pub fn redact(message: &[u8]) -> Vec<u8> {
    let mut stand_ins = StandIns::default();
    TOKEN.replace_all(message, |c: &Captures| stand_ins.give(c)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_replaced_consistently_and_codes_are_kept() {
        let message = b"From: MAILER-DAEMON@mx.shop.nl\nTo: Jan@Bakkerij.nl\nReceived: from mx.shop.nl ([198.51.100.7])\n\n<klant@shop.nl>: host mx.shop.nl[198.51.100.7] said: 550 5.1.1 <klant@shop.nl>: User unknown (in reply to RCPT TO)\nReporting-MTA: dns; mx.shop.nl\nStatus: 5.1.1\nMIME-Version: 1.0\n";
        let out = String::from_utf8(redact(message)).unwrap();
        for gone in ["shop.nl", "bakkerij", "198.51.100.7", "klant@", "jan@"] {
            assert!(!out.to_lowercase().contains(gone), "{gone} left in:\n{out}");
        }
        // The same name, the same stand-in: the server (also the daemon's domain) four times,
        // its IP twice, the failed recipient twice; codes and structure as they were.
        assert_eq!(out.matches("domain1.example").count(), 4, "{out}");
        assert_eq!(out.matches("192.0.2.2").count(), 2, "{out}");
        assert_eq!(out.matches("user3@domain3.example").count(), 2, "{out}");
        assert!(
            out.contains("550 5.1.1") && out.contains("Status: 5.1.1") && out.contains("MIME-Version: 1.0"),
            "{out}"
        );
        // Redacting again changes nothing more.
        assert_eq!(redact(out.as_bytes()), out.as_bytes());
    }
}
