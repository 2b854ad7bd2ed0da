//! The lines of a text, found with the `memchr` crate's vectorised search. They are what
//! `str::lines` and `str::split_inclusive('\n')` give; std's own byte search costs more on the
//! lines of a mail, and every stage of the analysis walks them.

/// The lines of `text`, as `text.lines()` gives them: split at `\n`, a `\r` before it dropped, no
/// empty line after a final `\n`.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    inclusive(text).map(|line| match line.strip_suffix('\n') {
        Some(l) => l.strip_suffix('\r').unwrap_or(l),
        None => line,
    })
}

/// The lines of `text` with their `\n`, as `text.split_inclusive('\n')` gives them.
pub fn inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        // `end` follows a '\n' or is the end: a character boundary.
        let (line, next) = rest.split_at(end);
        rest = next;
        Some(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lines_end_as_std_ends_them() {
        for text in ["", "a", "a\n", "a\r\n", "\n\n", "a\r", "a\r\rb\n\r\n", "\r\n\r", "é\nü\r\nx"] {
            assert_eq!(lines(text).collect::<Vec<_>>(), text.lines().collect::<Vec<_>>(), "{text:?}");
            assert_eq!(inclusive(text).collect::<Vec<_>>(), text.split_inclusive('\n').collect::<Vec<_>>(), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn lines_are_std_lines(text in "[a\r\n é]{0,40}") {
            prop_assert_eq!(lines(&text).collect::<Vec<_>>(), text.lines().collect::<Vec<_>>());
            prop_assert_eq!(inclusive(&text).collect::<Vec<_>>(), text.split_inclusive('\n').collect::<Vec<_>>());
        }
    }
}
