//! The crate's errors, each one line that names the file and says what is wrong with it
//! ("inbox.mbox: permission denied"), as the command line prints them.

//!
//! Each module's own error lives here too, so that this module depends on none of them: every
//! module may use it, and no import goes round in a circle.

use std::path::PathBuf;

/// Why a PATH argument could not be opened at all (exit status 1).
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{path}: {reason}")]
    Unreadable { path: String, reason: String },
}

/// An error in a rule file, naming the file and what was wrong.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{file}: {message}")]
pub struct RuleError {
    pub file: String,
    pub message: String,
}

/// A theme error, naming the file and the key.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{file}: {message}")]
pub struct ThemeError {
    pub file: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {}", path.display(), io_reason(source))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file that must not be overwritten is there.
    #[error("{}: already exists; not overwritten", path.display())]
    Exists { path: PathBuf },
    /// A config file that does not parse, or names an unknown key or a bad value.
    #[error("{}: {message}", path.display())]
    Config { path: PathBuf, message: String },
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Rules(#[from] RuleError),
    #[error(transparent)]
    Theme(#[from] ThemeError),
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { path: path.into(), source }
    }
}

/// A TOML error of `text` in one line: "line N: what is wrong" (without the quoted source lines
/// the parser adds).
pub fn toml_message(text: &str, e: &toml::de::Error) -> String {
    let message = crate::text::one_line(e.message());
    match e.span() {
        Some(span) => format!("line {}: {message}", text[..span.start.min(text.len())].matches('\n').count() + 1),
        None => message,
    }
}

/// A short, lower-case reason for an I/O error, without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or folder".into(),
        PermissionDenied => "permission denied".into(),
        IsADirectory => "is a folder".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s.to_lowercase(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_one_line_naming_the_file() {
        let e = Error::io("inbox.mbox", std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        assert_eq!(e.to_string(), "inbox.mbox: permission denied");
        assert!(std::error::Error::source(&e).is_some(), "the I/O error is kept as the source");
        let e = Error::Config { path: "config.toml".into(), message: "line 2: unknown field `language`".into() };
        assert_eq!(e.to_string(), "config.toml: line 2: unknown field `language`");
    }
}
