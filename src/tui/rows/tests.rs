//! The row index's orders against the plain definition of each: the rows kept, sorted by a
//! comparison of the fields themselves.

use super::*;
use crate::bounce::Verdict;
use std::cmp::Reverse;

/// The demo's bounces, each also as copies with the same date, another date and no date,
/// some judged otherwise: ties in every order.
fn bounces() -> Vec<Bounce> {
    let rules = crate::classify::Rules::builtin();
    let demo: Vec<Bounce> = crate::demo::messages()
        .iter()
        .filter_map(|m| crate::pipeline::analyze_message(&rules, m).ok().flatten())
        .collect();
    let mut all = Vec::new();
    for (i, b) in demo.iter().enumerate() {
        for copy in 0..5 {
            let mut c = b.clone();
            c.date = match copy {
                0 => b.date,
                1 => b.date,
                2 => 1_700_000_000 + (i as i64 % 3) * 86_400,
                // The first day of 1970 is a day too.
                3 => 5,
                _ => 0,
            };
            if copy == 4 && c.kind == Kind::Bounce {
                c.verdict = [Verdict::Real, Verdict::Backscatter, Verdict::Abuse][i % 3];
            }
            all.push(c);
        }
    }
    all
}

/// The code as the list orders it: its numbers compared as numbers.
fn code_key(r: &crate::bounce::Recipient) -> String {
    let shown = if r.status.is_empty() { r.reply_code.as_str() } else { r.status.as_str() };
    shown.split(['.', ' ']).map(|p| format!("{:0>5}", p)).collect::<Vec<_>>().join(".")
}

/// What `select` must give, written out plainly: the rows kept, sorted with a comparison of
/// the fields themselves.
fn expected(all: &[Bounce], q: Query<'_>, name: &impl Fn(&str) -> String) -> Vec<RowRef> {
    let mut rows: Vec<(usize, RowRef)> = Vec::new();
    for (bi, b) in all.iter().enumerate() {
        for (ri, r) in b.recipients.iter().enumerate() {
            let row = RowRef { bounce: bi, recipient: ri };
            if belongs(b.kind, b.verdict, q.view)
                && (q.categories.is_empty() || q.categories.contains(r.reason.as_str()))
                && q.hard.is_none_or(|h| h == r.hard)
                && q.only.is_none_or(|o| o.contains(&row))
            {
                rows.push((rows.len(), row));
            }
        }
    }
    let rec = |r: &RowRef| &all[r.bounce].recipients[r.recipient];
    let domain = |r: &RowRef| Bounce::domain(&rec(r).address);
    let newest = |r: &RowRef| Reverse(all[r.bounce].date.clamp(0, (1 << 48) - 1));
    let mut size: HashMap<String, usize> = HashMap::new();
    for (_, r) in &rows {
        *size.entry(domain(r)).or_default() += 1;
    }
    rows.sort_by(|(ia, a), (ib, b)| {
        let group = || {
            if !q.group {
                return std::cmp::Ordering::Equal;
            }
            let (da, db) = (domain(a), domain(b));
            Reverse(size[&da]).cmp(&Reverse(size[&db])).then(da.cmp(&db))
        };
        let within = match q.sort {
            Sort::Date => std::cmp::Ordering::Equal,
            Sort::Domain if q.group => std::cmp::Ordering::Equal,
            Sort::Domain => domain(a).cmp(&domain(b)),
            Sort::Category => name(&rec(a).reason).cmp(&name(&rec(b).reason)),
            Sort::Code => code_key(rec(a)).cmp(&code_key(rec(b))),
        };
        group().then(within).then(newest(a).cmp(&newest(b))).then(ia.cmp(ib))
    });
    let mut rows: Vec<RowRef> = rows.into_iter().map(|(_, r)| r).collect();
    if q.reverse {
        rows.reverse();
    }
    let mut seen = HashSet::new();
    rows.retain(|r| !q.collapsed.contains(&domain(r)) || seen.insert(domain(r)));
    rows
}

#[test]
fn every_order_is_the_order_of_the_fields_themselves() {
    let all = bounces();
    let mut store = Bounces::default();
    let mut index = RowIndex::default();
    index.add(&all, 0);
    all.iter().for_each(|b| store.push(b));
    let english = |r: &str| r.to_string();
    let backwards = |r: &str| r.chars().rev().collect::<String>();
    let none = BTreeSet::new();
    let some_reasons: BTreeSet<String> = index.reasons.iter().step_by(2).cloned().collect();
    let first_domains: BTreeSet<String> = index.domains.iter().take(2).cloned().collect();
    let only: HashSet<RowRef> = (0..all.len())
        .step_by(3)
        .flat_map(|b| (0..all[b].recipients.len()).map(move |r| RowRef { bounce: b, recipient: r }))
        .collect();
    let mut checked = 0;
    for name in [&english as &dyn Fn(&str) -> String, &backwards] {
        for sort in [Sort::Date, Sort::Category, Sort::Domain, Sort::Code] {
            for (group, collapsed) in [(false, &none), (true, &none), (true, &first_domains)] {
                for reverse in [false, true] {
                    for view in View::ALL {
                        for (categories, hard, only) in
                            [(&none, None, None), (&some_reasons, Some(true), None), (&none, Some(false), Some(&only))]
                        {
                            let q = Query { view, categories, hard, search: "", sort, group, reverse, collapsed, only };
                            let got = index.select(q, &store, name);
                            assert_eq!(got, expected(&all, q, &name), "{q:?}");
                            checked += got.len();
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 10_000, "the orders checked hold rows ({checked})");
}

/// The demo's rows indexed, with their bounces.
fn indexed() -> (Vec<Bounce>, RowIndex, Bounces) {
    let all = bounces();
    let mut store = Bounces::default();
    let mut index = RowIndex::default();
    index.add(&all, 0);
    all.iter().for_each(|b| store.push(b));
    (all, index, store)
}

#[test]
fn a_search_typed_on_finds_what_a_fresh_search_finds() {
    // Typed a character at a time, with backspaces: the remembered searches (rows looked at
    // among those of a shorter needle, found again after a backspace) give what a search of
    // every row gives.
    let (_, mut typed, store) = indexed();
    let none = BTreeSet::new();
    let name = |r: &str| r.to_string();
    let typing =
        ["e", "ex", "exa", "exam", "exa", "ex", "x", "xa", "", "5", "55", "550", "550 ", "550 5", "ü", "Ü", "u"];
    let mut found = 0;
    for (sort, search) in [Sort::Date, Sort::Category].into_iter().flat_map(|s| typing.map(|t| (s, t))) {
        let q = Query {
            view: View::All,
            categories: &none,
            hard: None,
            search,
            sort,
            group: false,
            reverse: false,
            collapsed: &none,
            only: None,
        };
        let (_, mut fresh, _) = indexed();
        let got = typed.select(q, &store, name);
        assert_eq!(got, fresh.select(q, &store, name), "{search:?}");
        found += got.len();
    }
    assert!(found > 100, "the searches found rows ({found})");
}

#[test]
fn the_overview_counts_what_a_count_of_each_row_gives() {
    let (all, mut index, store) = indexed();
    let none = BTreeSet::new();
    for view in View::ALL {
        let q = Query {
            view,
            categories: &none,
            hard: None,
            search: "",
            sort: Sort::Date,
            group: false,
            reverse: false,
            collapsed: &none,
            only: None,
        };
        let rows = index.select(q, &store, |r| r.to_string());
        let mut tally = Tally::default();
        for r in &rows {
            let (b, rec) = (&all[r.bounce], &all[r.bounce].recipients[r.recipient]);
            tally.add(Counted {
                reason: rec.reason.as_str().into(),
                domain: Bounce::domain(&rec.address).into(),
                mta: b.reporting_mta.as_str().into(),
                kind: b.kind,
                verdict: b.verdict,
                date: b.date,
                message: r.bounce,
                hard: rec.hard,
            });
        }
        let (want, got) = (tally.finish(), index.summary(&rows));
        assert_eq!(got, want, "{view:?}");
        if view == View::All {
            // The rows of 1970 are dated, before the timeline's year.
            assert!(got.earlier > 0 && got.undated > 0, "{got:?}");
        }
    }
}
