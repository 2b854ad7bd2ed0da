//! `config.toml`: defaults for the command-line flags, in the platform config directory. Every
//! key is optional and every setting is also a flag (a flag wins). Unknown keys and bad values
//! are errors naming the file, the line, the key and what was expected.

use crate::classify::Lang;
use crate::error::Error;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The settings of a config file.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Mailboxes opened when none is named on the command line.
    #[serde(default)]
    pub mailbox: Vec<PathBuf>,
    /// Colour theme: dark, light, high-contrast, colorblind, or a theme file.
    pub theme: Option<String>,
    /// Language of explanations and remedies.
    pub lang: Option<Lang>,
    /// When to use colour: auto, always, never.
    pub color: Option<Color>,
    /// Extra rule files, read after the built-in rules.
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    /// Who you are, for the verdicts.
    #[serde(default)]
    pub owner: OwnerSection,
}

/// `[owner]`: what tells your own mail from forged mail.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnerSection {
    /// Your own addresses.
    #[serde(default)]
    pub addresses: Vec<String>,
    /// Domains whose every address is yours.
    #[serde(default)]
    pub domains: Vec<String>,
    /// Your outgoing mail servers: host names, globs like `*.isp.net`, or IP addresses.
    #[serde(default)]
    pub relays: Vec<String>,
    /// Domains your mail is DKIM-signed with.
    #[serde(default)]
    pub dkim_domains: Vec<String>,
    /// Your Sent folders (Maildir or mbox).
    #[serde(default)]
    pub sent: Vec<PathBuf>,
}

/// `color = "auto" | "always" | "never"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// The commented example written by `bouncescope config init`. Every key is documented here.
pub const EXAMPLE: &str = r#"# bouncescope configuration. Every key is optional; a command-line flag wins over the file.
# Paths may start with ~/ for your home directory.

# Mailboxes opened when none is named (Maildir, mbox, a folder of .eml files).
# mailbox = ["~/Maildir"]

# Colour theme: "dark", "light", "high-contrast", "colorblind", or the path of a theme file.
# theme = "dark"

# Language of explanations and remedies: "en", "nl" or "de".
# lang = "en"

# When to use colour: "auto" (not when NO_COLOR is set), "always" or "never".
# color = "auto"

# Extra rule files (TOML, see rules/README.md), read after the built-in rules.
# rules = ["~/.config/bouncescope/my-rules.toml"]

# Who you are, for the verdicts (real failure, backscatter, account abuse).
# All optional: the Sent folder beside your mailbox teaches most of it.
[owner]
# Your own addresses.
# addresses = ["me@example.net"]
# Domains whose every address is yours.
# domains = ["example.net"]
# Your outgoing mail servers: host names, globs, or IP addresses.
# relays = ["smtp.example.net", "*.mail.example-isp.net"]
# Domains your mail is DKIM-signed with.
# dkim_domains = ["example.net"]
# Your Sent folders, when they are not beside the mailbox.
# sent = ["~/Maildir/.Sent"]
"#;

/// Where the config file is: the file `$BOUNCESCOPE_CONFIG` names (none when it is set but
/// empty), else `config.toml` in the platform config directory (e.g.
/// `~/.config/bouncescope/config.toml`).
pub fn default_path() -> Option<PathBuf> {
    match std::env::var_os("BOUNCESCOPE_CONFIG") {
        Some(p) if p.is_empty() => None,
        Some(p) => Some(PathBuf::from(p)),
        None => directories::ProjectDirs::from("", "", "bouncescope").map(|d| d.config_dir().join("config.toml")),
    }
}

/// Did the user name the config file (`$BOUNCESCOPE_CONFIG`, not empty)? A file named, by the
/// variable or by `--config`, must exist; the platform's default one may be missing.
pub fn named_by_env() -> bool {
    std::env::var_os("BOUNCESCOPE_CONFIG").is_some_and(|p| !p.is_empty())
}

/// Read a config file; a missing file is an empty config.
pub fn load(path: &Path) -> Result<Config, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => return Err(Error::io(path, e)),
    };
    parse(&text).map_err(|message| Error::Config { path: path.to_path_buf(), message })
}

/// Parse config text; the error is one line: "line N: what is wrong".
pub fn parse(text: &str) -> Result<Config, String> {
    let mut config: Config = toml::from_str(text).map_err(|e| crate::error::toml_message(text, &e))?;
    let home = directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf());
    let expand = |p: &mut PathBuf| {
        if let (Ok(rest), Some(h)) = (p.strip_prefix("~"), &home) {
            *p = h.join(rest);
        }
    };
    config.mailbox.iter_mut().chain(config.rules.iter_mut()).chain(config.owner.sent.iter_mut()).for_each(expand);
    Ok(config)
}

/// Write the commented example to `path`, never over an existing file.
pub fn init(path: &Path) -> Result<(), Error> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Exists { path: path.to_path_buf() }
        } else {
            Error::io(path, e)
        }
    })?;
    std::io::Write::write_all(&mut file, EXAMPLE.as_bytes()).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_parses_with_every_key_uncommented() {
        assert_eq!(parse(EXAMPLE).unwrap(), Config::default());
        let all: String = EXAMPLE
            .lines()
            .map(|l| l.strip_prefix("# ").filter(|r| r.contains(" = ")).unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n");
        let c = parse(&all).unwrap();
        assert_eq!(c.lang, Some(Lang::En));
        assert_eq!(c.color, Some(Color::Auto));
        assert_eq!(c.owner.relays.len(), 2);
        assert_eq!(c.owner.dkim_domains, ["example.net"]);
        assert!(!c.mailbox[0].starts_with("~"), "~ is expanded");
    }

    #[test]
    fn unknown_keys_and_bad_values_name_line_key_and_expectation() {
        let e = parse("theme = \"dark\"\ncolour = \"never\"\n").unwrap_err();
        assert!(e.starts_with("line 2:") && e.contains("colour") && e.contains("expected one of"), "{e}");
        let e = parse("lang = \"fr\"\n").unwrap_err();
        assert!(e.starts_with("line 1:") && e.contains("fr") && e.contains("`en`"), "{e}");
        let e = parse("[owner]\nrelays = \"smtp.example.net\"\n").unwrap_err();
        assert!(e.starts_with("line 2:") && e.contains("sequence"), "{e}");
        assert!(!e.contains('\n'));
    }

    #[test]
    fn init_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/config.toml");
        init(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), EXAMPLE);
        std::fs::write(&path, "theme = \"light\"\n").unwrap();
        let e = init(&path).unwrap_err();
        assert!(e.to_string().contains("already exists"), "{e}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "theme = \"light\"\n");
    }
}
