//! The `bouncescope` binary: command-line parsing and the edges (exit codes, one-line errors).

use bouncescope::bounce::{Bounce, Verdict};
use bouncescope::classify::{Lang, Rules};
use bouncescope::config::{Color, Config};
use bouncescope::engine;
use bouncescope::report::{self, Filter, Format};
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

// Parsing allocates many small strings on all cores; mimalloc handles that far better than glibc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: its place in mimalloc 3's `mi_option_t`, which the
/// bindings do not name (the test below checks it against the environment variable).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Give memory that is freed back to the system soon (10 ms) instead of a second later. A scan
/// frees every message's buffers as it goes; with the default delay, pages freed by one thread
/// are still held while the others allocate new ones, which added 15-20 MB to the peak RSS of
/// 100,000 bounces and to that of an mbox scan. Without any delay each emptied page went back at
/// once: at 500,000 bounces that took 5-7.5 s of system time against 3.5-4.6 s at 10 ms (each
/// give-back interrupts the other cores to flush their address caches) and saved only 2 MB of
/// RSS in `report`, 4 MB in the TUI. `MIMALLOC_PURGE_DELAY` still wins.
fn free_memory_promptly() {
    // SAFETY: called first thing in `main`, before any other thread exists.
    unsafe { libmimalloc_sys::mi_option_set_default(MI_OPTION_PURGE_DELAY, 10) };
}

/// Triage bounces (non-delivery reports) in a Maildir or mbox: cause, key diagnostic line, and
/// whether you really sent the bounced mail.
#[derive(Debug, Parser)]
#[command(
    name = "bouncescope",
    version,
    about,
    after_help = "Examples:\n  bouncescope ~/Maildir\n  bouncescope report ~/mail/inbox.mbox --format html -o report.html\n  bouncescope report ~/Maildir --category mailboxfull --format csv"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Mailboxes to open: Maildir, mbox, folder of .eml files, or a single .eml file.
    paths: Vec<PathBuf>,
    /// Extra rule files (TOML), read after the built-in rules.
    #[arg(long = "rules", value_name = "FILE", global = true)]
    rule_files: Vec<PathBuf>,
    /// Language of explanations and remedies [default: en].
    #[arg(long, value_enum, global = true)]
    lang: Option<Lang>,
    /// Open the built-in demo mailbox.
    #[arg(long)]
    demo: bool,
    /// Colour theme: dark, light, high-contrast, colorblind, or a theme file [default: dark].
    #[arg(long, value_name = "THEME")]
    theme: Option<String>,
    /// When to use colour; auto respects NO_COLOR [default: auto].
    #[arg(long, value_enum, global = true)]
    color: Option<Color>,
    /// Read this config file instead of the default one (see `bouncescope config path`).
    #[arg(long, value_name = "FILE", global = true)]
    config: Option<PathBuf>,
    #[command(flatten)]
    owner: OwnerArgs,
}

/// Who you are, for the verdicts (all optional: the Sent folder teaches the rest).
#[derive(Debug, clap::Args)]
struct OwnerArgs {
    /// Your own address (repeatable); added to those learned from the Sent folder.
    #[arg(long = "me", value_name = "ADDR", global = true)]
    me: Vec<String>,
    /// Your Sent folder (Maildir or mbox; repeatable). Default: found beside the mailbox.
    #[arg(long = "sent", value_name = "PATH", global = true)]
    sent: Vec<PathBuf>,
    /// Your outgoing mail server (host name or glob like *.isp.net; repeatable).
    #[arg(long = "relay", value_name = "HOST", global = true)]
    relay: Vec<String>,
    /// A domain your mail is DKIM-signed with (repeatable).
    #[arg(long = "dkim-domain", value_name = "DOMAIN", global = true)]
    dkim_domain: Vec<String>,
}

impl OwnerArgs {
    /// The flags, added to the config file's `[owner]` (flags for Sent folders replace the file's).
    fn config(&self, file: &bouncescope::config::OwnerSection) -> bouncescope::verdict::OwnerConfig {
        let both = |a: &[String], b: &[String]| a.iter().chain(b).cloned().collect::<Vec<_>>();
        bouncescope::verdict::OwnerConfig {
            addresses: both(&file.addresses, &self.me),
            domains: file.domains.clone(),
            relays: both(&file.relays, &self.relay),
            dkim_domains: both(&file.dkim_domains, &self.dkim_domain),
            sent: if self.sent.is_empty() { file.sent.clone() } else { self.sent.clone() },
            ..Default::default()
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a report of the bounces (same engine and filters as the TUI).
    Report {
        /// Mailboxes to read.
        paths: Vec<PathBuf>,
        /// Report on the built-in demo mailbox instead.
        #[arg(long, conflicts_with = "paths")]
        demo: bool,
        /// Output format (default: a table on a terminal, TSV when piped).
        #[arg(long, short = 'f', value_enum)]
        format: Option<Format>,
        /// Write to FILE instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// Only these reasons (repeatable), e.g. --category mailboxfull.
        #[arg(long, value_name = "REASON")]
        category: Vec<String>,
        /// Only these verdicts (repeatable): real, backscatter, abuse, undetermined.
        #[arg(long, value_name = "VERDICT")]
        verdict: Vec<String>,
        /// Also list auto-replies, feedback reports and delivery reports.
        #[arg(long)]
        all: bool,
        /// Only hard failures (do not retry).
        #[arg(long, conflicts_with = "soft")]
        hard: bool,
        /// Only soft failures (temporary, delayed).
        #[arg(long)]
        soft: bool,
        /// Only messages from this day on (YYYY-MM-DD, UTC).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Only messages up to and including this day (YYYY-MM-DD, UTC).
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// For a customer: no local paths, your addresses only by their domain, no flag hints.
        #[arg(long)]
        redact: bool,
        /// Only the rows whose reason a status or reply code alone, or the default, decided:
        /// the answers worth a second look.
        #[arg(long)]
        unsure: bool,
        /// One row per failed address (bounces, hard ones, first and last, the latest reason,
        /// and whether you wrote to it again since) instead of one per bounce.
        #[arg(long, value_enum, value_name = "WHAT")]
        by: Option<By>,
    },
    /// The addresses to stop mailing: every address with a hard bounce of an address-level
    /// reason (userunknown, hostunknown, hasmoved, notaccept, suspend), and every address whose
    /// soft bounces of one reason go on for at least --soft-days days with no mail getting
    /// through between (a sent message no bounce answered within five days); never for a
    /// failure that was the sender's (blocked, reputation, spam, authentication, policy, rate
    /// limits), never a backscatter recipient, never an address you wrote to again after its
    /// last bounce.
    Suppress {
        /// Mailboxes to read (default: the config's `mailbox`).
        paths: Vec<PathBuf>,
        /// txt: one address a line; csv: email,reason,last_bounce,bounces; json.
        #[arg(long, short = 'f', value_enum, default_value = "txt")]
        format: report::recipients::ListFormat,
        /// Only bounces from this day on (YYYY-MM-DD, UTC).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Soft bounces of one reason over at least this many days suppress an address.
        #[arg(long, value_name = "N", default_value_t = 7)]
        soft_days: i64,
        /// Write to FILE instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Show how one message was read and classified (for rule authors).
    Explain {
        /// A single message file (.eml or a Maildir entry).
        file: PathBuf,
        /// Instead, print a copy of the message with every address, host name and IP address
        /// replaced consistently, to attach to a rule request.
        #[arg(long)]
        redact: bool,
    },
    /// Where the config file is, or write a commented example of it.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Print a shell completion script, e.g. `bouncescope completions bash > ~/.local/share/bash-completion/completions/bouncescope`.
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff), e.g. `bouncescope man > ~/.local/share/man/man1/bouncescope.1`.
    Man,
}

/// What `report --by` puts one row per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum By {
    Recipient,
}

#[derive(Debug, Subcommand)]
enum ConfigAction {
    /// Print the path of the config file (whether or not it exists).
    Path,
    /// Write a commented example config there; an existing file is never overwritten.
    Init,
}

fn main() -> ExitCode {
    free_memory_promptly();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(Failure::Usage(msg)) => {
            eprintln!("bouncescope: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Input(msg)) => {
            eprintln!("bouncescope: {msg}");
            ExitCode::from(1)
        }
    }
}

/// The mailbox to open when none is named: `$MAIL`, else `~/Maildir`, where one exists.
fn default_mailbox() -> Option<PathBuf> {
    let mail = std::env::var_os("MAIL").map(PathBuf::from).filter(|p| p.exists());
    mail.or_else(|| {
        let home = directories::BaseDirs::new()?.home_dir().join("Maildir");
        bouncescope::mailbox::is_maildir(&home).then_some(home)
    })
}

enum Failure {
    Usage(String),
    Input(String),
}

/// Write generated text to standard output; a closed pipe (`| head`) is not an error.
fn print_all(text: &[u8], what: &str) -> Result<ExitCode, Failure> {
    match std::io::stdout().lock().write_all(text) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::Input(format!("writing {what}: {e}"))),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// The rules and the list of what to read, found at the same time (the listing waits on the disk).
fn open(
    input: &engine::Input,
    load_rules: &(dyn Fn() -> Result<Rules, Failure> + Sync),
) -> Result<(Rules, engine::Listing), Failure> {
    let (rules, listing) = std::thread::scope(|s| {
        let listing = s.spawn(|| engine::list(input));
        let rules = load_rules().inspect(engine::warm_up);
        (rules, listing.join())
    });
    let listing = listing
        .map_err(|_| Failure::Input("listing the mailbox failed".into()))?
        .map_err(|e| Failure::Input(e.to_string()))?;
    Ok((rules?, listing))
}

/// A scan that found no mail at all in PATHs is an error naming them, not an empty report.
fn found_mail(input: &engine::Input, paths: &[PathBuf], stats: &engine::Stats) -> Result<(), Failure> {
    if stats.scanned == 0 && stats.unreadable.is_empty() && matches!(input, engine::Input::Paths(_)) {
        return Err(Failure::Input(format!(
            "{}: no mail found (empty, or not a Maildir, mbox or .eml file)",
            display_paths(paths)
        )));
    }
    Ok(())
}

/// The bounces of `input`, judged with what is known of `owner`, with the rules (built while the
/// mailbox is listed). A file or folder with no mail in it at all is a mistake worth a word, not
/// an empty result.
fn load(
    input: &engine::Input,
    paths: &[PathBuf],
    load_rules: &(dyn Fn() -> Result<Rules, Failure> + Sync),
    mut owner: bouncescope::verdict::Owner,
) -> Result<(Rules, Vec<Bounce>, engine::Stats, bouncescope::verdict::Owner), Failure> {
    let (rules, listing) = open(input, load_rules)?;
    let (mut bounces, stats) = engine::collect(&rules, &listing);
    found_mail(input, paths, &stats)?;
    // The file list is not needed past the scan.
    drop(listing);
    bouncescope::verdict::judge_all(&mut owner, &mut bounces);
    Ok((rules, bounces, stats, owner))
}

/// Say on stderr which messages could not be read (the report has the rest).
fn name_unreadable(stats: &engine::Stats) {
    if !stats.unreadable.is_empty() {
        eprintln!("bouncescope: {} message(s) could not be read:", stats.unreadable.len());
        for u in stats.unreadable.iter().take(20) {
            eprintln!("  {}: {}", u.source, u.reason);
        }
    }
}

/// The day a `--since`/`--until` flag names (YYYY-MM-DD, 00:00 UTC), if it was given.
fn day_flag(flag: &str, value: Option<String>) -> Result<Option<i64>, Failure> {
    value
        .map(|d| {
            bouncescope::dates::parse_day(&d)
                .ok_or_else(|| Failure::Usage(format!("{flag}: '{d}' is not a date like 2026-11-30")))
        })
        .transpose()
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// Write with `write` to the file `output` (or standard output); a closed pipe is not an error.
fn write_out(
    output: Option<&std::path::Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    let result = match output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| Failure::Input(bouncescope::error::Error::io(path, e).to_string()))?;
            let mut w = std::io::BufWriter::new(file);
            write(&mut w).and_then(|_| w.flush())
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            write(&mut w).and_then(|_| w.flush())
        }
    };
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::Input(format!("writing the report: {e}"))),
        _ => Ok(()),
    }
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let config_path = cli.config.clone().or_else(bouncescope::config::default_path);
    match &cli.command {
        Some(Command::Completions { shell }) => {
            let mut text = Vec::new();
            clap_complete::generate(*shell, &mut <Cli as clap::CommandFactory>::command(), "bouncescope", &mut text);
            return print_all(&text, "the completion script");
        }
        Some(Command::Man) => {
            let mut text = Vec::new();
            let man = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command());
            man.render(&mut text).map_err(|e| Failure::Input(format!("writing the man page: {e}")))?;
            return print_all(&text, "the man page");
        }
        Some(Command::Config { action }) => {
            let path = config_path
                .ok_or_else(|| Failure::Input("no config directory on this system (set BOUNCESCOPE_CONFIG)".into()))?;
            match action {
                ConfigAction::Path => println!("{}", path.display()),
                ConfigAction::Init => {
                    bouncescope::config::init(&path).map_err(|e| Failure::Input(e.to_string()))?;
                    println!("wrote {}", path.display());
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    // A config named with --config or $BOUNCESCOPE_CONFIG must exist; the default one is optional.
    if let Some(p) = &config_path
        && (cli.config.is_some() || bouncescope::config::named_by_env())
        && !p.exists()
    {
        return Err(Failure::Usage(format!("{}: no such config file", p.display())));
    }
    let file: Config = match &config_path {
        Some(p) => bouncescope::config::load(p).map_err(|e| Failure::Usage(e.to_string()))?,
        None => Config::default(),
    };
    let lang = cli.lang.or(file.lang).unwrap_or_default();
    let color = cli.color.or(file.color).unwrap_or(Color::Auto);
    let theme_name = cli.theme.clone().or(file.theme.clone()).unwrap_or_else(|| "dark".into());
    let owner = cli.owner.config(&file.owner);
    let rule_files: Vec<PathBuf> = file.rules.iter().chain(&cli.rule_files).cloned().collect();
    let load_rules = || Rules::with_files(&rule_files).map_err(|e| Failure::Usage(e.to_string()));
    match cli.command {
        Some(Command::Report {
            paths,
            demo,
            format,
            output,
            category,
            verdict,
            all,
            hard,
            soft,
            since,
            until,
            redact,
            unsure,
            by,
        }) => {
            let (since, until) = (day_flag("--since", since)?, day_flag("--until", until)?.map(|t| t + 86_400));
            for c in &category {
                let reasons = bouncescope::classify::rules::REASONS;
                if !reasons.contains(&c.as_str()) {
                    return Err(Failure::Usage(format!(
                        "--category: unknown reason '{c}' (one of: {})",
                        reasons.join(", ")
                    )));
                }
            }
            let verdicts = verdict
                .iter()
                .map(|v| {
                    Verdict::parse(v).ok_or_else(|| {
                        Failure::Usage(format!(
                            "--verdict: unknown verdict '{v}' (real, backscatter, abuse, undetermined)"
                        ))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            // No PATH: the config's mailbox, as the TUI opens it.
            let paths = if paths.is_empty() { file.mailbox.clone() } else { paths };
            if paths.is_empty() && !demo {
                return Err(Failure::Usage(
                    "report: give at least one PATH, set `mailbox` in the config file, or use --demo".into(),
                ));
            }
            let input = if demo { engine::Input::Demo } else { engine::Input::Paths(paths.clone()) };
            let hard = if hard {
                Some(true)
            } else if soft {
                Some(false)
            } else {
                None
            };
            let filter = Filter { categories: category, verdicts, all, hard, since, until, unsure };
            let to_terminal = output.is_none() && std::io::stdout().is_terminal();
            // The format named, else the one the output file's extension names.
            let format = format.or_else(|| output.as_deref().and_then(Format::from_extension));
            let format = format.unwrap_or(if to_terminal { Format::Table } else { Format::Tsv });
            let owner = engine::owner_for(&input, &owner);
            // Rows written as they are decided where nothing needs the whole mailbox.
            if by.is_none() && !redact && report::stream::possible(format, &owner) {
                let (rules, listing) = open(&input, &load_rules)?;
                // A listing with nothing in it is the error before any output file is made.
                if let engine::Listing::Boxes(boxes) = &listing
                    && boxes.iter().all(|b| b.entries.is_empty() && b.notes.is_empty())
                {
                    found_mail(&input, &paths, &engine::Stats::default())?;
                }
                let title =
                    if demo { bouncescope::i18n::t(lang, "app.demo_title").into() } else { display_paths(&paths) };
                let heading = report::stream::Heading { title, generated: None };
                let mut stats = engine::Stats::default();
                let written = write_out(output.as_deref(), |w| {
                    let (scanned, result) =
                        report::stream::write(format, w, &rules, lang, &filter, &listing, &owner, &heading);
                    stats = scanned;
                    result
                });
                // A closed pipe (`| head`) is no error, and says nothing of the mailbox.
                written?;
                found_mail(&input, &paths, &stats)?;
                name_unreadable(&stats);
                return Ok(ExitCode::SUCCESS);
            }
            let (rules, mut bounces, stats, owner) = load(&input, &paths, &load_rules, owner)?;
            let mut stats = stats;
            let rules = if redact {
                report::redact::bounces(&mut bounces, &owner);
                report::redact::notes(&mut stats.unreadable);
                report::redact::rules(&rules)
            } else {
                rules
            };
            if by == Some(By::Recipient) {
                let histories = bouncescope::history::histories(
                    bouncescope::history::failures(&bounces, filter.since),
                    owner.sent.as_ref().map(|s| &s.recipients),
                );
                let title = if redact { report::redact::title(&paths) } else { display_paths(&paths) };
                let write = |w: &mut dyn Write| report::recipients::write(format, w, &title, &histories);
                return write_out(output.as_deref(), write).map(|_| ExitCode::SUCCESS);
            }
            let rows = report::rows(&bounces, &filter);
            let title = if demo {
                bouncescope::i18n::t(lang, "app.demo_title").to_string()
            } else if redact {
                report::redact::title(&paths)
            } else {
                display_paths(&paths)
            };
            let summary = bouncescope::verdict::summary(&bounces, lang);
            let ctx = report::Context {
                rules: &rules,
                lang,
                filter: &filter,
                stats: &stats,
                title,
                summary,
                generated: report::generated_now(),
                width: to_terminal.then(|| crossterm::terminal::size().ok().map(|(cols, _)| cols)).flatten(),
            };
            write_out(output.as_deref(), |w| report::write(format, w, &ctx, &rows))?;
            name_unreadable(&stats);
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Suppress { paths, format, since, soft_days, output }) => {
            let since = day_flag("--since", since)?;
            let paths = if paths.is_empty() { file.mailbox.clone() } else { paths };
            if paths.is_empty() {
                return Err(Failure::Usage(
                    "suppress: give at least one PATH, or set `mailbox` in the config file".into(),
                ));
            }
            let input = engine::Input::Paths(paths.clone());
            let (_, bounces, _, owner) = load(&input, &paths, &load_rules, engine::owner_for(&input, &owner))?;
            let histories = bouncescope::history::histories(
                bouncescope::history::failures(&bounces, since),
                owner.sent.as_ref().map(|s| &s.recipients),
            );
            let list: Vec<(&bouncescope::history::History, String)> = histories
                .iter()
                .filter_map(|h| bouncescope::history::suppression(h, soft_days).map(|r| (h, r)))
                .collect();
            write_out(output.as_deref(), |w| report::recipients::write_suppressions(format, w, &list))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Explain { file, redact }) => {
            let data =
                std::fs::read(&file).map_err(|e| Failure::Input(bouncescope::error::Error::io(file, e).to_string()))?;
            if redact {
                return print_all(&bouncescope::anonymize::redact(&data), "the redacted message");
            }
            print!("{}", bouncescope::explain::explain(&load_rules()?, &data));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Completions { .. }) | Some(Command::Man) | Some(Command::Config { .. }) => {
            unreachable!("handled above")
        }
        None => {
            let rules = load_rules()?;
            let input = if cli.demo {
                engine::Input::Demo
            } else if !cli.paths.is_empty() {
                for p in &cli.paths {
                    bouncescope::mailbox::Mailbox::check(p).map_err(|e| Failure::Input(e.to_string()))?;
                }
                engine::Input::Paths(cli.paths.clone())
            } else if !file.mailbox.is_empty() {
                for p in &file.mailbox {
                    bouncescope::mailbox::Mailbox::check(p)
                        .map_err(|e| Failure::Input(format!("{e} (from the config file)")))?;
                }
                engine::Input::Paths(file.mailbox.clone())
            } else {
                default_mailbox().map(|p| engine::Input::Paths(vec![p])).unwrap_or(engine::Input::Demo)
            };
            if !std::io::stdout().is_terminal() {
                return Err(Failure::Usage(
                    "the terminal interface needs a terminal; for a report use `bouncescope report PATH`".into(),
                ));
            }
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let theme = match color {
                Color::Never => bouncescope::tui::theme::Theme::monochrome(),
                Color::Auto if no_color => bouncescope::tui::theme::Theme::monochrome(),
                _ => bouncescope::tui::theme::Theme::load(&theme_name).map_err(|e| Failure::Usage(e.to_string()))?,
            };
            bouncescope::tui::run(rules, theme, lang, input, owner)
                .map_err(|e| Failure::Input(format!("terminal: {e}")))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Run in a child process by the test below, with `MIMALLOC_PURGE_DELAY` set before mimalloc
    /// starts (it reads its options from the environment once, at start-up).
    #[test]
    #[ignore = "run by purge_delay_is_the_option_we_set, in a child process"]
    fn child_reads_purge_delay() {
        // SAFETY: reading an option has no preconditions.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }, 1234);
    }

    #[test]
    fn purge_delay_is_the_option_we_set() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--ignored", "--exact", "tests::child_reads_purge_delay"])
            .env("MIMALLOC_PURGE_DELAY", "1234")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && text.contains("1 passed"), "{text}");
    }
}
