//! Untrusted text → safe display text. Mail is written by strangers: escape sequences (CSI, OSC
//! title changes, OSC 52 clipboard writes), C0/C1 controls and bidi overrides must never reach a
//! terminal or a text report. Applied once, when the model is built.

/// Characters that reorder text invisibly (Trojan Source style).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Remove escape sequences and control characters; keep `\n` when `keep_newlines`, expand tabs.
fn clean(s: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 CSI / OSC / DCS … introducers: drop them and their parameters.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{9e}' | '\u{9f}' | '\u{98}' => skip_string(&mut chars),
            '\n' if keep_newlines => out.push('\n'),
            '\n' | '\r' => out.push(' '),
            '\t' => {
                if keep_newlines {
                    let col = out.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0);
                    let n = 8 - col % 8;
                    out.extend(std::iter::repeat_n(' ', n));
                } else {
                    out.push(' ');
                }
            }
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => {
            chars.next();
            skip_string(chars);
        }
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            // nF sequences: intermediates then one final byte.
            while matches!(chars.peek(), Some(c) if ('\u{20}'..='\u{2f}').contains(c)) {
                chars.next();
            }
            chars.next();
        }
        Some(_) => {
            chars.next();
        }
        None => {}
    }
}

fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            break;
        }
    }
}

/// OSC/DCS/… strings run to BEL or ST (ESC \ or U+009C).
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// One display line: controls and escapes removed, tabs and newlines become spaces, runs of
/// white space folded.
pub fn line(s: &str) -> String {
    line_cow(s).into_owned()
}

/// [`line`], borrowing `s` when it is one already.
pub fn line_cow(s: &str) -> std::borrow::Cow<'_, str> {
    // Most fields are plain printable ASCII with single spaces: kept as they are.
    let b = s.as_bytes();
    let plain = is_printable_ascii(b)
        && b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && memchr::memmem::find(b, b"  ").is_none();
    if plain {
        return s.into();
    }
    crate::text::one_line(&clean(s, false)).into()
}

/// Is every byte of `b` printable ASCII or a space? Checked a block at a time without an early
/// exit inside the block, which the compiler turns into vector instructions.
fn is_printable_ascii(b: &[u8]) -> bool {
    let outside = |block: &[u8]| block.iter().fold(false, |bad, &c| bad | !(0x20..0x7f).contains(&c));
    let mut blocks = b.chunks_exact(32);
    !blocks.any(outside) && !outside(blocks.remainder())
}

/// Multi-line display text: escapes and controls removed, tabs expanded, newlines kept.
pub fn text(s: &str) -> String {
    clean(s, true)
}

/// `s` in exactly `width` terminal cells: padded with spaces, or cut with `…`. Wide (CJK)
/// characters take two cells and combining marks none, as the terminal draws them.
pub fn fit(s: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    let w = s.width();
    if w <= width {
        return format!("{s}{}", " ".repeat(width - w));
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw + 1 > width {
            break;
        }
        used += cw;
        out.push(c);
    }
    out.push('…');
    used += 1;
    // A wide character that did not fit leaves a cell: pad it.
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

/// HTML-escape for reports.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A CSV cell that a spreadsheet will not run as a formula.
pub fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The block-wise check says what a byte-by-byte one says, wherever in a block or in the
    /// remainder the one byte outside printable ASCII is.
    #[test]
    fn printable_ascii_is_told_at_every_position() {
        for len in 0..100 {
            let plain = vec![b'a'; len];
            assert!(is_printable_ascii(&plain), "{len}");
            for at in 0..len {
                for bad in [0x1f, 0x7f, 0x80, 0xff, b'\n', b'\t'] {
                    let mut b = plain.clone();
                    b[at] = bad;
                    assert!(!is_printable_ascii(&b), "{len} {at} {bad}");
                }
            }
        }
        assert_eq!(line_cow("a  b"), "a b");
        assert!(matches!(line_cow("a b"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn fit_counts_terminal_cells() {
        use unicode_width::UnicodeWidthStr;
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        // Wide characters take two cells; one that does not fit leaves a padded cell.
        for width in 1..12 {
            assert_eq!(fit("山田太郎@例え.jp", width).width(), width, "{width}");
        }
        assert_eq!(fit("山田太郎", 6), "山田… ");
        // A combining accent takes none.
        assert_eq!(fit("e\u{301}te\u{301}", 4), "e\u{301}te\u{301} ");
    }

    #[test]
    fn strips_csi_osc_and_controls() {
        assert_eq!(line("a\x1b[31mred\x1b[0m b"), "ared b");
        assert_eq!(line("x\x1b]0;evil title\x07y"), "xy");
        assert_eq!(line("x\x1b]52;c;ZXZpbA==\x1b\\y"), "xy");
        assert_eq!(line("a\u{9b}31mb"), "ab");
        assert_eq!(line("a\u{202E}b\u{2066}c"), "abc");
        assert_eq!(line("a\x07\x08b\tc\nd"), "ab c d");
    }

    #[test]
    fn plain_lines_are_kept_and_white_space_folded() {
        assert_eq!(line("550 5.1.1 <a@b>: User unknown"), "550 5.1.1 <a@b>: User unknown");
        assert_eq!(line("  550  user\t unknown "), "550 user unknown");
        assert_eq!(line(""), "");
        assert_eq!(line("a\u{a0}b"), "a b");
    }

    #[test]
    fn text_keeps_lines_and_expands_tabs() {
        assert_eq!(text("a\tb\nc\x1b[2J"), "a       b\nc");
    }

    #[test]
    fn csv_formulas_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("plain"), "plain");
    }

    #[test]
    fn html_escaped() {
        assert_eq!(html("<script>\"&'"), "&lt;script&gt;&quot;&amp;&#39;");
    }
}
