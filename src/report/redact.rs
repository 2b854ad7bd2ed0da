//! `report --redact`: a report to hand to a customer. No local paths (a message is named by its
//! file alone, a mailbox by its name), no address of the owner's beyond its domain
//! (`…@example.net`), and the verdict notes without the command-line hints meant for the
//! owner ("name it with --sent").

use crate::bounce::{Bounce, Evidence, Text};
use crate::verdict::Owner;

/// The evidence keys whose text tells the owner which flag would decide, and their plain forms.
const PLAIN: &[(&str, &str)] = &[
    ("missing_owner", "missing_owner_plain"),
    ("missing_sent", "missing_sent_plain"),
    ("missing_login_sent", "missing_login_sent_plain"),
    ("missing_relays", "missing_relays_plain"),
];

/// Redact `bounces` in place for a customer's eyes.
pub fn bounces(bounces: &mut [Bounce], owner: &Owner) {
    let mask = |s: &str| mask_owner(s, owner);
    for b in bounces {
        b.source = file_name(&b.source).into();
        b.folder = Text::default();
        for text in [&mut b.from, &mut b.to, &mut b.delivered_to, &mut b.subject] {
            *text = mask(text).into();
        }
        for r in &mut b.recipients {
            r.diagnostic = mask(&r.diagnostic).into();
        }
        if let Some(o) = &mut b.original {
            o.from = mask(&o.from).into();
            o.to = mask(&o.to).into();
            o.subject = mask(&o.subject).into();
        }
        b.evidence = b.evidence.iter().map(|e| plain(e, &mask)).collect();
    }
}

/// The rules with every reason's and verdict's advice stripped of the clauses that name a flag
/// ("point bouncescope at it with --sent").
pub fn rules(rules: &crate::classify::Rules) -> crate::classify::Rules {
    let mut rules = rules.clone();
    for info in rules.reasons.values_mut().chain(rules.verdicts.values_mut()) {
        for t in [&mut info.en, &mut info.nl, &mut info.de] {
            t.explanation = without_flags(&t.explanation);
            t.remedy = without_flags(&t.remedy);
        }
    }
    rules
}

/// `text` without its clauses (between `;`, `.`) that name a command-line flag.
fn without_flags(text: &str) -> String {
    if !text.contains(" --") {
        return text.to_string();
    }
    let kept: Vec<&str> = text.split_inclusive(['.', ';']).filter(|clause| !clause.contains(" --")).collect();
    let mut out = kept.concat().trim().to_string();
    if out.ends_with(';') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// The unreadable messages' names, without their paths.
pub fn notes(notes: &mut [crate::mailbox::Unreadable]) {
    for n in notes {
        n.source = file_name(&n.source).to_string();
    }
}

/// A report's title for `paths`: their last parts (`Maildir`, `inbox.mbox`).
pub fn title(paths: &[std::path::PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `cur/1700000000.M1.host:2,S` → `1700000000.M1.host:2,S`; `/home/a/inbox.mbox:7` → `inbox.mbox:7`.
fn file_name(source: &str) -> &str {
    source.rsplit('/').next().unwrap_or(source)
}

fn plain(e: &Evidence, mask: &dyn Fn(&str) -> String) -> Evidence {
    let key = PLAIN.iter().find(|(k, _)| *k == e.key).map_or(e.key, |(_, p)| p);
    Evidence { signal: e.signal, key, args: e.args.iter().map(|(k, v)| (*k, mask(v).into_boxed_str())).collect() }
}

/// Every address in `text` that is the owner's, or at one of the owner's domains, as
/// `…@domain`.
fn mask_owner(text: &str, owner: &Owner) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        let local_start = rest[..at]
            .rfind(|c: char| c.is_whitespace() || "<>\"'(),;:[]".contains(c))
            .map_or(0, |i| i + rest[i..].chars().next().map_or(1, char::len_utf8));
        let domain_end = rest[at + 1..]
            .find(|c: char| c.is_whitespace() || "<>\"'(),;:[]".contains(c))
            .map_or(rest.len(), |i| at + 1 + i);
        let address = &rest[local_start..domain_end];
        let domain = rest[at + 1..domain_end].trim_end_matches('.').to_ascii_lowercase();
        let owners = owner.addresses.contains(&address.to_ascii_lowercase()) || owner.domains.contains(&domain);
        out.push_str(&rest[..local_start]);
        if owners && local_start < at {
            out.push('…');
            out.push_str(&rest[at..domain_end]);
        } else {
            out.push_str(address);
        }
        rest = &rest[domain_end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::OwnerConfig;

    fn owner() -> Owner {
        Owner::from_parts(&OwnerConfig { addresses: vec!["jan@voorbeeld.nl".into()], ..Default::default() }, None)
    }

    #[test]
    fn the_owners_addresses_keep_only_their_domain() {
        let o = owner();
        assert_eq!(
            mask_owner("550 <Jan@Voorbeeld.nl>: sender rejected, info@voorbeeld.nl too; bob@elders.org stays", &o),
            "550 <…@Voorbeeld.nl>: sender rejected, …@voorbeeld.nl too; bob@elders.org stays"
        );
        assert_eq!(mask_owner("no address here", &o), "no address here");
        assert_eq!(mask_owner("trailing jan@voorbeeld.nl", &o), "trailing …@voorbeeld.nl");
    }

    #[test]
    fn clauses_naming_a_flag_go() {
        assert_eq!(
            without_flags("Check your Sent folder; point bouncescope at it with --sent, and name it with --relay."),
            "Check your Sent folder."
        );
        assert_eq!(without_flags("Nothing to hide here."), "Nothing to hide here.");
        let rules = super::rules(&crate::classify::Rules::builtin());
        for info in rules.reasons.values().chain(rules.verdicts.values()) {
            for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Nl, crate::i18n::Lang::De] {
                let t = info.texts(lang);
                assert!(!t.remedy.contains(" --") && !t.explanation.contains(" --"), "{}: {}", info.name, t.remedy);
                assert!(!t.remedy.is_empty(), "{}: advice left", info.name);
            }
        }
    }

    #[test]
    fn paths_and_flag_hints_go() {
        assert_eq!(file_name("/home/jan/mail/inbox.mbox:7"), "inbox.mbox:7");
        assert_eq!(file_name("cur/17.M1.host:2,S"), "17.M1.host:2,S");
        assert_eq!(title(&["/home/jan/Maildir".into(), "inbox.mbox".into()]), "Maildir, inbox.mbox");
        let e = Evidence::new(crate::bounce::Signal::Verdict, "missing_sent", std::iter::empty());
        let p = plain(&e, &|s| s.to_string());
        assert_eq!(p.key, "missing_sent_plain");
        for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Nl, crate::i18n::Lang::De] {
            assert!(!p.text(lang).contains("--"), "{}", p.text(lang));
        }
    }
}
