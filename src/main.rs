//! The `bouncescope` binary: command-line parsing and the edges (exit codes, one-line errors).

use bouncescope::bounce::Verdict;
use bouncescope::classify::{Lang, Rules};
use bouncescope::engine;
use bouncescope::report::{self, Filter, Format};
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

// Parsing allocates many small strings on all cores; mimalloc handles that far better than glibc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Triage bounces (non-delivery reports) in a Maildir or mbox: cause, key diagnostic line, and
/// whether you really sent the bounced mail.
#[derive(Debug, Parser)]
#[command(name = "bouncescope", version, about, after_help = "Examples:\n  bouncescope ~/Maildir\n  bouncescope report ~/mail/inbox.mbox --format html -o report.html\n  bouncescope report ~/Maildir --category mailboxfull --format csv")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Mailboxes to open: Maildir, mbox, folder of .eml files, or a single .eml file.
    paths: Vec<PathBuf>,
    /// Extra rule files (TOML), read after the built-in rules.
    #[arg(long = "rules", value_name = "FILE", global = true)]
    rule_files: Vec<PathBuf>,
    /// Language of explanations and remedies.
    #[arg(long, value_enum, default_value = "en", global = true)]
    lang: Lang,
    /// Open the built-in demo mailbox.
    #[arg(long)]
    demo: bool,
    /// Colour theme: dark, light, high-contrast, colorblind, or a theme file.
    #[arg(long, value_name = "THEME", default_value = "dark")]
    theme: String,
    /// When to use colour (NO_COLOR is respected with auto).
    #[arg(long, value_enum, default_value = "auto", global = true)]
    color: ColorChoice,
    #[command(flatten)]
    owner: OwnerArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
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
    fn config(&self) -> bouncescope::verdict::OwnerConfig {
        bouncescope::verdict::OwnerConfig {
            addresses: self.me.clone(),
            relays: self.relay.clone(),
            dkim_domains: self.dkim_domain.clone(),
            sent: self.sent.clone(),
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
    },
    /// Show how one message was read and classified (for rule authors).
    Explain {
        /// A single message file (.eml or a Maildir entry).
        file: PathBuf,
    },
}

fn main() -> ExitCode {
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

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let rules = Rules::with_files(&cli.rule_files).map_err(|e| Failure::Usage(e.to_string()))?;
    match cli.command {
        Some(Command::Report { paths, demo, format, output, category, verdict, all }) => {
            for c in &category {
                if !bouncescope::classify::rules::REASONS.contains(&c.as_str()) {
                    return Err(Failure::Usage(format!("--category: unknown reason '{c}'")));
                }
            }
            let verdicts = verdict
                .iter()
                .map(|v| Verdict::parse(v).ok_or_else(|| Failure::Usage(format!("--verdict: unknown verdict '{v}' (real, backscatter, abuse, undetermined)"))))
                .collect::<Result<Vec<_>, _>>()?;
            if paths.is_empty() && !demo {
                return Err(Failure::Usage("report: give at least one PATH, or --demo".into()));
            }
            let input = if demo { engine::Input::Demo } else { engine::Input::Paths(paths.clone()) };
            let filter = Filter { categories: category, verdicts, all };
            let (mut bounces, stats) = engine::scan_all(&rules, &input).map_err(|e| Failure::Input(e.to_string()))?;
            let mut owner = engine::owner_for(&input, &cli.owner.config());
            bouncescope::verdict::judge_all(&mut owner, &mut bounces);
            let to_terminal = output.is_none() && std::io::stdout().is_terminal();
            let format = format.unwrap_or(if to_terminal { Format::Table } else { Format::Tsv });
            let rows = report::rows(&bounces, &filter);
            let title = if demo { "demo mailbox".to_string() } else { paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ") };
            let summary = bouncescope::verdict::summary(&bounces);
            let ctx = report::Context { rules: &rules, lang: cli.lang, filter: &filter, stats: &stats, title, summary };
            let result = match &output {
                Some(path) => {
                    let file = std::fs::File::create(path).map_err(|e| Failure::Input(format!("{}: {}", path.display(), bouncescope::mailbox::io_reason(&e))))?;
                    let mut w = std::io::BufWriter::new(file);
                    report::write(format, &mut w, &ctx, &rows).and_then(|_| w.flush())
                }
                None => {
                    let stdout = std::io::stdout();
                    let mut w = std::io::BufWriter::new(stdout.lock());
                    report::write(format, &mut w, &ctx, &rows).and_then(|_| w.flush())
                }
            };
            match result {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                Err(e) => return Err(Failure::Input(format!("writing the report: {e}"))),
            }
            if !stats.unreadable.is_empty() {
                eprintln!("bouncescope: {} message(s) could not be read:", stats.unreadable.len());
                for u in stats.unreadable.iter().take(20) {
                    eprintln!("  {}: {}", u.source, u.reason);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Explain { file }) => {
            let data = std::fs::read(&file).map_err(|e| Failure::Input(format!("{}: {}", file.display(), bouncescope::mailbox::io_reason(&e))))?;
            print!("{}", bouncescope::engine::explain(&rules, &data));
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let input = if cli.demo {
                engine::Input::Demo
            } else if !cli.paths.is_empty() {
                for p in &cli.paths {
                    bouncescope::mailbox::Mailbox::open(p).map_err(|e| Failure::Input(e.to_string()))?;
                }
                engine::Input::Paths(cli.paths.clone())
            } else {
                default_mailbox().map(|p| engine::Input::Paths(vec![p])).unwrap_or(engine::Input::Demo)
            };
            if !std::io::stdout().is_terminal() {
                return Err(Failure::Usage("the terminal interface needs a terminal; for a report use `bouncescope report PATH`".into()));
            }
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let theme = match cli.color {
                ColorChoice::Never => bouncescope::tui::theme::Theme::monochrome(),
                ColorChoice::Auto if no_color => bouncescope::tui::theme::Theme::monochrome(),
                _ => bouncescope::tui::theme::Theme::load(&cli.theme).map_err(|e| Failure::Usage(e.to_string()))?,
            };
            bouncescope::tui::run(rules, theme, cli.lang, input, cli.owner.config()).map_err(|e| Failure::Input(format!("terminal: {e}")))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
