//! A readable plain table for terminals.

use super::{Context, Row};
use crate::sanitize::fit;
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, ctx: &Context<'_>, rows: &[Row<'_>]) -> io::Result<()> {
    let lang = ctx.lang;
    let t = |key: &str| crate::i18n::t(lang, key);
    let head = |key: &str, w: usize| fit(&t(key).to_uppercase(), w);
    let w = Widths::for_terminal(ctx.width);
    writeln!(
        out,
        "{} {} {} {} {} {}",
        head("report.col_recipient", w.recipient),
        head("report.col_category", w.category),
        head("report.col_status", w.status),
        head("report.col_kind", w.kind),
        head("report.col_verdict", w.verdict),
        fit(&t("report.col_diagnostic").to_uppercase(), w.diagnostic).trim_end()
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
            fit(&r.address, w.recipient),
            fit(ctx.rules.info(&r.reason).name(lang), w.category),
            fit(&r.status, w.status),
            fit(t(&format!("status.{}", super::severity(r))), w.kind),
            fit(verdict, w.verdict),
            fit(&r.diagnostic, w.diagnostic).trim_end()
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

/// Column widths: as wide as a wide terminal wants, narrower columns (and a shorter diagnostic)
/// in a narrow one, so that a row fits on one line.
struct Widths {
    recipient: usize,
    category: usize,
    status: usize,
    kind: usize,
    verdict: usize,
    diagnostic: usize,
}

impl Widths {
    /// For a terminal `width` columns wide (`None`: not a terminal, the widest).
    fn for_terminal(width: Option<u16>) -> Widths {
        let wide = Widths { recipient: 32, category: 24, status: 10, kind: 7, verdict: 16, diagnostic: 100 };
        let Some(width) = width.map(usize::from) else { return wide };
        let narrow = Widths { recipient: 24, category: 15, status: 6, kind: 5, verdict: 11, diagnostic: 0 };
        let base = if width >= 94 + 40 { wide } else { narrow };
        // Five spaces between the six columns; the diagnostic takes what is left (10 at least).
        let used = base.recipient + base.category + base.status + base.kind + base.verdict + 5;
        Widths { diagnostic: width.saturating_sub(used).max(10), ..base }
    }
}

#[cfg(test)]
mod tests {
    use super::Widths;

    #[test]
    fn a_row_fits_the_terminal() {
        for width in [76u16, 80, 100, 120, 200] {
            let w = Widths::for_terminal(Some(width));
            let row = w.recipient + w.category + w.status + w.kind + w.verdict + w.diagnostic + 5;
            assert!(row <= usize::from(width), "{width}: {row}");
        }
        assert_eq!(Widths::for_terminal(None).diagnostic, 100);
    }
}
