//! Phrase rules: a rule's patterns brought to the form of the text they are matched against,
//! compiled on first use, and the literal prefilter that tells in one pass which rules can match.

use regex::{Regex, RegexBuilder};
use std::sync::OnceLock;

/// Phrases are matched against text that is lower-cased with white space folded to single
/// spaces. Patterns are brought to the same form: literals lower-cased, `\s`/`\S`/`\d` reduced to
/// what can occur in such text, and `\b` made an ASCII word boundary. That keeps every rule within
/// the lazy DFA (Unicode boundaries and case folding would force slower engines and much memory).
pub fn normalize_pattern(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 16);
    let mut chars = p.chars();
    let mut in_class = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('b') if in_class == 0 => out.push_str("(?-u:\\b)"),
                Some('d') => out.push_str(if in_class == 0 { "[0-9]" } else { "0-9" }),
                Some('s') => out.push_str(if in_class == 0 { "[ \\t\\n]" } else { " \\t\\n" }),
                Some('S') if in_class == 0 => out.push_str("[^ \\t\\n]"),
                Some(e) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push('\\'),
            },
            '[' => {
                in_class += 1;
                out.push(c);
            }
            ']' if in_class > 0 => {
                in_class -= 1;
                out.push(c);
            }
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Which rules can match: every match of a pattern begins with one of its prefix literals and
/// ends with one of its suffix literals (as the regex engine itself extracts them), so one
/// Aho-Corasick pass over the text for all patterns' literals names the rules worth running.
/// Rules with a pattern that has no such literals are always run.
///
/// Most patterns are plain sets of strings ("mailbox full", "user (?:unknown|not found)"): their
/// literals are the whole of what they match. Where only such a pattern of a rule can match, the
/// pass itself says where the rule's first match starts, and the rule's expression is not run.
/// Another pattern whose starts and ends are all at least 5 bytes long can only match where one
/// of each occurs.
#[derive(Debug, Clone)]
pub(super) struct Prefilter {
    literals: Option<aho_corasick::AhoCorasick>,
    /// Literal id → what an occurrence of it says about which rules.
    roles: Vec<Vec<Role>>,
    /// Per rule: [`Candidates::RUN`] for a rule that is always run, else [`Candidates::NONE`].
    start: Vec<u32>,
    /// The rule of each pattern known by both its starts and its ends ([`Role::Side`]).
    sides: Vec<usize>,
}

/// What an occurrence of a literal says about a rule.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    /// The whole of a match of one of the rule's plain patterns: the rule matches here.
    Whole(usize),
    /// The start or the end of a match of one of the rule's patterns: the rule may match.
    Part(usize),
    /// A start (0) or an end (1) of a match of the pattern at this index of `sides`: where both
    /// occur, its rule may match.
    Side(usize, u8),
}

/// What the prefilter found in one text, rule by rule.
#[derive(Debug, Clone)]
pub(crate) struct Candidates(Vec<u32>);

impl Candidates {
    /// The rule cannot match.
    const NONE: u32 = 0;
    /// Run the expression to know: a pattern of the rule that is no plain set of strings may
    /// match (or the rule has a pattern without literals, or the text is longer than 4 GB).
    const RUN: u32 = u32::MAX;

    /// Can rule `i` match at all?
    pub(crate) fn could(&self, i: usize) -> bool {
        self.0[i] != Self::NONE
    }

    /// Where the first match of rule `i` (`rule`) in `text` (the text these candidates are of)
    /// starts, as its expression's leftmost match would say: the first occurrence of one of its
    /// plain patterns' strings, unless another pattern may match and the expression must be run.
    pub(crate) fn start(&self, i: usize, rule: &PhraseRule, text: &str) -> Option<usize> {
        match self.0[i] {
            Self::NONE => None,
            Self::RUN => rule.regex().find(text).map(|m| m.start()),
            at => Some(at as usize - 1),
        }
    }
}

impl PhraseRule {
    /// The rule's expression, compiled (the first call compiles it).
    pub fn regex(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            compile(&self.expression)
                .expect("a user's rules are compiled when read; every built-in rule by a unit test")
        })
    }
}

pub(super) fn compile(expression: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(expression).size_limit(32 << 20).build()
}

impl Prefilter {
    pub(super) fn new(phrases: &[PhraseRule]) -> Prefilter {
        use regex_syntax::hir::literal::{ExtractKind, Extractor, Literal};
        let mut ids: std::collections::HashMap<Vec<u8>, usize> = std::collections::HashMap::new();
        let mut roles: Vec<Vec<Role>> = Vec::new();
        let mut start = vec![Candidates::NONE; phrases.len()];
        let mut sides = Vec::new();
        let shortest = |l: &[Literal]| l.iter().map(|x| x.as_bytes().len()).min().unwrap_or(0);
        for (i, rule) in phrases.iter().enumerate() {
            let mut found: Vec<(Literal, Role)> = Vec::new();
            let sides_before = sides.len();
            for pattern in &rule.patterns {
                let Ok(hir) = regex_syntax::Parser::new().parse(&normalize_pattern(pattern)) else {
                    start[i] = Candidates::RUN;
                    break;
                };
                let set = |kind| {
                    let seq = Extractor::new().kind(kind).extract(&hir);
                    seq.literals()
                        .filter(|l| !l.is_empty() && l.iter().all(|l| !l.as_bytes().is_empty()))
                        .map(|l| l.to_vec())
                };
                let with = |list: Vec<Literal>, role: Role| list.into_iter().map(move |l| (l, role));
                match (set(ExtractKind::Prefix), set(ExtractKind::Suffix)) {
                    // A plain pattern: every literal exact and no look-around (the extractor
                    // takes `\b` for the empty string).
                    (Some(p), _) if hir.properties().look_set().is_empty() && p.iter().all(Literal::is_exact) => {
                        found.extend(with(p, Role::Whole(i)));
                    }
                    // Starts and ends both, unless one side holds a string so short that it
                    // occurs in many texts ('[0-9] spam' starts with "0"…"9", 'mailbox\S* full'
                    // ends with " full"). Simulated on the dev corpus, a bound of 5 bytes missed
                    // the caches least (3: 4.5 % more second-level misses, 8: 1.4 %).
                    (Some(p), Some(s)) if shortest(&p).min(shortest(&s)) >= 5 => {
                        found.extend(with(p, Role::Side(sides.len(), 0)));
                        found.extend(with(s, Role::Side(sides.len(), 1)));
                        sides.push(i);
                    }
                    // The side whose shortest string is longest says "cannot match" most often.
                    (Some(p), Some(s)) => {
                        found.extend(with(if shortest(&s) > shortest(&p) { s } else { p }, Role::Part(i)))
                    }
                    (Some(one), None) | (None, Some(one)) => found.extend(with(one, Role::Part(i))),
                    (None, None) => {
                        start[i] = Candidates::RUN;
                        break;
                    }
                }
            }
            // A rule that is always run needs no literals.
            if start[i] == Candidates::RUN {
                sides.truncate(sides_before);
                continue;
            }
            for (lit, role) in found {
                let next = roles.len();
                let id = *ids.entry(lit.as_bytes().to_vec()).or_insert(next);
                if id == next {
                    roles.push(Vec::new());
                }
                if !roles[id].contains(&role) {
                    roles[id].push(role);
                }
            }
        }
        let mut patterns: Vec<(Vec<u8>, usize)> = ids.into_iter().collect();
        patterns.sort_by_key(|(_, id)| *id);
        // Dense transitions for fewer states near the start than by default: the smaller automaton
        // (594 KB for the built-in rules instead of 697 KB) misses the cache less often than the
        // denser one saves steps (simulated: 2 % fewer first-level misses, 0.3 % more steps).
        let literals = aho_corasick::AhoCorasick::builder().dense_depth(1).build(patterns.iter().map(|(p, _)| p)).ok();
        if literals.is_none() {
            start.iter_mut().for_each(|s| *s = Candidates::RUN);
        }
        Prefilter { literals, roles, start, sides }
    }

    pub(super) fn matching(&self, text: &str) -> Candidates {
        let mut out = self.start.clone();
        if let Some(ac) = &self.literals {
            let mut seen = vec![0u8; self.sides.len()];
            // Every occurrence of every literal, in the order their ends are reached.
            for m in ac.find_overlapping_iter(text) {
                let at = u32::try_from(m.start() + 1).unwrap_or(Candidates::RUN);
                for &role in &self.roles[m.pattern().as_usize()] {
                    match role {
                        Role::Whole(rule) => {
                            let s = &mut out[rule];
                            *s = match *s {
                                Candidates::RUN => Candidates::RUN,
                                Candidates::NONE => at,
                                first => first.min(at),
                            };
                        }
                        Role::Part(rule) => out[rule] = Candidates::RUN,
                        Role::Side(pattern, side) => seen[pattern] |= 1 << side,
                    }
                }
            }
            for (&rule, _) in self.sides.iter().zip(&seen).filter(|(_, s)| **s == 0b11) {
                out[rule] = Candidates::RUN;
            }
        }
        Candidates(out)
    }
}

/// A phrase rule. Its expression is compiled on first use: most rules of a big vocabulary never
/// get past the literal prefilter in a given mailbox, and compiling all of them would cost start-up
/// time and memory (a rule file is still checked when it is read).
#[derive(Debug, Clone)]
pub struct PhraseRule {
    pub reason: String,
    /// The patterns as one expression, in the matching form ([`normalize_pattern`]).
    pub expression: String,
    /// Set when the rule is read (a user's file) or on first use.
    pub(super) compiled: OnceLock<Regex>,
    /// The source patterns (for `patterns_from`).
    pub patterns: Vec<String>,
    pub commands: Vec<String>,
    pub except_commands: Vec<String>,
    pub hosts: Vec<String>,
    pub statuses: Vec<String>,
    pub decisive: bool,
    /// The rule file it came from and its number there (1-based), for `explain`.
    pub file: String,
    pub number: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Rules;

    #[test]
    fn every_built_in_rule_compiles() {
        for rule in &Rules::builtin().phrases {
            assert!(compile(&rule.expression).is_ok(), "{} rule {} ({})", rule.file, rule.number, rule.reason);
        }
    }

    /// Every line of the demo mailbox, folded like classification folds it, plus texts made of
    /// each rule's own source patterns with the pattern syntax stripped, one by one and all
    /// together (where many rules' strings occur, overlapping).
    fn test_texts(rules: &Rules) -> Vec<String> {
        let mut texts: Vec<String> =
            crate::demo::lines().iter().map(|l| crate::text::one_line(l).to_lowercase()).collect();
        texts.extend(
            rules
                .phrases
                .iter()
                .flat_map(|r| r.patterns.iter())
                .map(|p| p.replace(['\\', '(', ')', '?', ':', '|', '[', ']', '*', '+', '^', '$'], "").to_lowercase()),
        );
        let all = texts.join(" ");
        texts.push(all);
        texts
    }

    /// On every test text and for every rule: a rule that matches is never ruled out, and where
    /// its first match starts is what its expression says, whether the prefilter tells it or the
    /// expression is run.
    #[test]
    fn the_prefilter_rules_out_no_match_and_tells_where_it_starts() {
        let rules = Rules::builtin();
        let (mut hits, mut told, mut run) = (0, 0, 0);
        for text in &test_texts(&rules) {
            let candidates = rules.matching(text);
            for (i, rule) in rules.phrases.iter().enumerate() {
                let expected = rule.regex().find(text).map(|m| m.start());
                if expected.is_some() {
                    hits += 1;
                    assert!(
                        candidates.could(i),
                        "rule {} ({:?}) matches {text:?} but the prefilter ruled it out",
                        rule.reason,
                        rule.patterns
                    );
                }
                assert_eq!(
                    candidates.start(i, rule, text),
                    expected,
                    "rule {} ({:?}) in {text:?}",
                    i + 1,
                    rule.patterns
                );
                match candidates.0[i] {
                    Candidates::NONE => {}
                    Candidates::RUN => run += 1,
                    _ => told += 1,
                }
            }
        }
        assert!(hits > 200, "only {hits} matches: the test texts do not exercise the rules");
        // Both ways are exercised: starts the prefilter tells, and expressions run.
        assert!(told > 500 && run > 100, "{told} starts told, {run} expressions run");
    }

    #[test]
    fn a_pattern_with_a_word_boundary_or_a_repeat_is_run() {
        // A user's rules, tried before the built-in ones: the same string plain, within word
        // boundaries, and with a repeat.
        let mut rules = Rules::builtin();
        let file = r#"
[[rule]]
reason = "blocked"
patterns = ['zz top']
[[rule]]
reason = "blocked"
patterns = ['\bzz top\b']
[[rule]]
reason = "blocked"
patterns = ['zz+ top']
"#;
        rules.add_file("t.toml", file).unwrap();
        let text = "fizz top, zz top";
        let c = rules.matching(text);
        let start = |i: usize| c.start(i, &rules.phrases[i], text);
        assert_eq!((c.0[0], start(0)), (3, Some(2)), "told by the prefilter");
        assert_eq!((c.0[1], start(1)), (Candidates::RUN, Some(10)));
        assert_eq!((c.0[2], start(2)), (Candidates::RUN, Some(2)));
    }

    #[test]
    fn a_pattern_known_by_its_starts_and_ends_needs_both() {
        let mut rules = Rules::builtin();
        rules
            .add_file("t.toml", "[[rule]]\nreason = \"mailboxfull\"\npatterns = ['mailbox\\S* (?:\\S+ )?full']\n")
            .unwrap();
        // A start alone, an end alone, both.
        for (text, at) in [("the mailbox of x", None), ("it is full", None), ("see: mailboxes are full", Some(5))] {
            let c = rules.matching(text);
            assert_eq!(c.could(0), at.is_some(), "{text}");
            assert_eq!(c.start(0, &rules.phrases[0], text), at, "{text}");
        }
    }

    #[test]
    fn patterns_are_normalised_for_folded_text() {
        assert_eq!(normalize_pattern(r"User \S+ Unknown\b"), r"user [^ \t\n]+ unknown(?-u:\b)");
        assert_eq!(normalize_pattern(r"[\d\s]x\d"), r"[0-9 \t\n]x[0-9]");
        assert_eq!(normalize_pattern(r"\(000C05A6\)"), r"\(000c05a6\)");
    }
}
