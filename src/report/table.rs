//! A readable plain table for terminals.

use super::{Context, Row};
use crate::sanitize::fit;
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, ctx: &Context<'_>, rows: &[Row<'_>]) -> io::Result<()> {
    let lang = ctx.lang;
    let t = |key: &str| crate::i18n::t(lang, key);
    let head = |key: &str, w: usize| fit(&t(key).to_uppercase(), w);
    writeln!(
        out,
        "{} {} {} {} {} {}",
        head("report.col_recipient", 32),
        head("report.col_category", 24),
        head("report.col_status", 10),
        head("report.col_kind", 7),
        head("report.col_verdict", 16),
        t("report.col_diagnostic").to_uppercase()
    )?;
    for row in rows {
        let r = row.recipient;
        let verdict = if row.bounce.kind == crate::bounce::Kind::Bounce {
            ctx.rules.verdict_info(row.bounce.verdict).name(lang)
        } else {
            ""
        };
        writeln!(
            out,
            "{} {} {} {} {} {}",
            fit(&r.address, 32),
            fit(ctx.rules.info(&r.reason).name(lang), 24),
            fit(&r.status, 10),
            fit(t(&format!("status.{}", super::severity(r))), 7),
            fit(verdict, 16),
            fit(&r.diagnostic, 100)
        )?;
    }
    let s = ctx.stats;
    writeln!(out, "\n{}", ctx.summary)?;
    let n = |x: usize| x.to_string();
    let args = [
        ("rows", n(rows.len())),
        ("scanned", n(s.scanned)),
        ("bounces", n(s.bounces)),
        ("auto", n(s.auto_replies)),
        ("feedback", n(s.feedback)),
        ("delivered", n(s.delivered)),
        ("other", n(s.other)),
        ("unreadable", n(s.unreadable.len())),
    ];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    writeln!(out, "{}", crate::i18n::f(lang, "report.table_stats", &args))
}
