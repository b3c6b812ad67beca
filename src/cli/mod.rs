//! The command line. Each subcommand is a thin call into the library; this module defines the
//! commands and dispatches them, and each group of subcommands for telephony systems, scripts
//! and admins has its own file (`case`, `followup`, `status`, `sla` with `holiday`, `complaint`,
//! `lookup`, `user`)
//! built on what `common` shares.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

pub mod audit;
pub mod backup;
pub mod case;
pub mod common;
pub mod complaint;
pub mod exchange;
pub mod followup;
mod help;
pub mod lookup;
pub mod plan;
pub mod report;
pub mod sla;
pub mod status;
pub mod unit;
pub mod user;

use crate::db::{self, Db, StoreUrl};
use crate::domain::locale::number;
use crate::store::{self, Actor};
use crate::{config, t};

#[derive(Debug, Parser)]
#[command(
    name = "peygir",
    version,
    about = "A keyboard-first CRM for the terminal"
)]
pub struct Cli {
    /// The store: postgres://USER@HOST/DB, sqlite://PATH or a path [default: the data directory's peygir.db]
    #[arg(long, global = true, env = "PEYGIR_DB", value_name = "URL")]
    pub db: Option<String>,
    /// A keymap file to use instead of $XDG_CONFIG_HOME/peygir/keymap.toml
    #[arg(long, global = true, value_name = "FILE")]
    pub keymap: Option<std::path::PathBuf>,
    /// The language [default: the config file's lang, else the locale's (LC_ALL, LC_MESSAGES, LANG), else en]
    #[arg(long, global = true, value_name = "LANG", value_parser = ["en", "fa"])]
    pub lang: Option<String>,
    /// The calendar dates are shown and typed in [default: the config file's, else jalali for fa, gregorian for en]
    #[arg(long, global = true, value_name = "CALENDAR", value_parser = ["gregorian", "jalali"])]
    pub calendar: Option<String>,
    /// The digits numbers are shown with [default: the config file's, else persian for fa, latin for en]
    #[arg(long, global = true, value_name = "DIGITS", value_parser = ["latin", "persian"])]
    pub digits: Option<String>,
    /// Act as this user (an admin only; anyone else may name only themselves) [default: the login running Peygir]
    #[arg(long, global = true, value_name = "LOGIN")]
    pub user: Option<String>,
    /// Who orders right-to-left text: the terminal (a VTE-based one, such as GNOME Terminal) or Peygir itself (for terminals without) [default: the config file's, else terminal inside a VTE-based terminal (VTE_VERSION set, not in tmux or screen), else app]
    #[arg(long, global = true, value_name = "BIDI", value_parser = ["terminal", "app"])]
    pub bidi: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The store: migrate it, show its status, or back it up
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Fill an empty store with realistic demo data
    Demo(crate::demo::DemoOptions),
    /// Write a list to an xlsx or CSV file
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Read a list from a CSV file
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Key bindings: check a keymap file or print the bindings in force
    Keymap {
        #[command(subcommand)]
        command: KeymapCommand,
    },
    /// Sales cases: open one, or list them for a script
    Case {
        #[command(subcommand)]
        command: crate::cli::case::CaseCommand,
    },
    /// The follow-up log: log a follow-up (for telephony systems and scripts)
    Followup {
        #[command(subcommand)]
        command: crate::cli::followup::FollowupCommand,
    },
    /// Case statuses and the transitions allowed between them
    Status {
        #[command(subcommand)]
        command: crate::cli::status::StatusCommand,
    },
    /// Service levels of complaints: working hours to first response and to resolution, and the working week
    Sla {
        #[command(subcommand)]
        command: crate::cli::sla::SlaCommand,
    },
    /// The holidays service-level hours skip
    Holiday {
        #[command(subcommand)]
        command: crate::cli::sla::HolidayCommand,
    },
    /// Customer complaints: record, list, move through their process, show, and their actions
    Complaint {
        #[command(subcommand)]
        command: crate::cli::complaint::ComplaintCommand,
    },
    /// Sales plans: list, show, create, edit (split by month or quarter), delete, import from CSV
    Plan {
        #[command(subcommand)]
        command: crate::cli::plan::PlanCommand,
    },
    /// Reports: `report list` names them, `report NAME [filters]` prints one or writes it to CSV or xlsx
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Report {
        #[command(subcommand)]
        command: Option<crate::cli::report::ReportCommand>,
        #[command(flatten)]
        args: crate::cli::report::CatalogueArgs,
    },
    /// The audit log, newest first: who changed what and when (managers and admins)
    Audit(crate::cli::audit::AuditArgs),
    /// The reference lists (product groups, regions, channels, kinds, …): list them; admins add, rename, move, disable and enable entries
    Lookup {
        #[command(subcommand)]
        command: crate::cli::lookup::LookupCommand,
    },
    /// The users (the experts): list them; admins add them, change their role or unit, disable and enable them
    User {
        #[command(subcommand)]
        command: crate::cli::user::UserCommand,
    },
    /// The organisational units: list them; admins add, rename and move them
    Unit {
        #[command(subcommand)]
        command: crate::cli::unit::UnitCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportWhat {
    /// Contacts, with every field and their categories
    Contacts(crate::cli::exchange::ExportContactsArgs),
}

#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// Contacts from a CSV with the export's columns; nothing is imported if any row is bad
    Contacts(crate::cli::exchange::ImportContactsArgs),
    /// Sales from an accounting or ERP system's CSV, a sale a row; nothing is imported if any row is bad
    Sales(crate::cli::exchange::ImportSalesArgs),
}

#[derive(Debug, Subcommand)]
pub enum KeymapCommand {
    /// List every problem in a keymap file (default: yours); exits 1 when there is any
    Check {
        /// The keymap file [default: yours]
        file: Option<std::path::PathBuf>,
    },
    /// Print the merged keymap: the defaults with your file over them
    Print,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Apply the migrations the store does not have yet
    Migrate,
    /// Backend, location, applied and pending migrations, and row counts
    Status,
    /// Copy a SQLite store to FILE, consistently, while others work (PostgreSQL: use pg_dump)
    Backup(crate::cli::backup::BackupArgs),
}

/// Parses the command line, with its help in the user's language, and runs it.
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let command = help::localized(Cli::command(), help::language(&args));
    let matches = command.get_matches_from(args);
    match Cli::from_arg_matches(&matches) {
        Ok(cli) => run(cli),
        Err(e) => e.exit(),
    }
}

/// Exit codes a script can rely on.
pub mod exit {
    /// The work failed (bad input, a conflict, a refused action).
    pub const FAILED: u8 = 1;
    /// The store could not be opened or migrated.
    pub const STORE: u8 = 2;
}

/// Runs the command line and returns the process's exit code.
pub fn run(cli: Cli) -> ExitCode {
    let keymap_path = cli.keymap.clone().or_else(config::keymap_path);
    let (file, warning) = config::config_path()
        .map(|p| config::load(&p))
        .unwrap_or_default();
    // The language, calendar and digits first: every message after this is in them.
    let given = config::Given {
        lang: cli.lang.as_deref().and_then(|v| v.parse().ok()),
        calendar: cli.calendar.as_deref().and_then(|v| v.parse().ok()),
        digits: cli.digits.as_deref().and_then(|v| v.parse().ok()),
        bidi: cli.bidi.as_deref().and_then(|v| v.parse().ok()),
    };
    let (settings, problems) =
        config::choose_settings(given, &file, |name| std::env::var(name).ok());
    config::apply(settings);
    for problem in warning.iter().chain(&problems) {
        eprintln!("peygir: {problem}");
    }
    let store_url = || {
        config::choose_store(cli.db.as_deref(), &file)
            .map_err(|e| fail(exit::STORE, t!("error.store-open", store = "?", reason = e)))
    };
    let as_user = cli.user.as_deref();
    let result = match &cli.command {
        Some(Command::Keymap { command }) => Ok(keymap(command, keymap_path.as_deref())),
        None => store_url().map(|url| {
            let (keymap, problems) = match keymap_path.as_deref() {
                Some(path) => crate::tui::keymap::Keymap::load(path),
                None => (crate::tui::keymap::Keymap::defaults(), Vec::new()),
            };
            for problem in &problems {
                eprintln!("peygir: {problem}");
            }
            with_store(&url, as_user, true, |db, actor| {
                crate::tui::run(db, &url, actor, keymap, &problems)
                    .map_err(|e| (exit::FAILED, e.to_string()))
            })
        }),
        Some(Command::Db {
            command: DbCommand::Migrate,
        }) => store_url().map(|url| migrate(&url)),
        Some(Command::Db {
            command: DbCommand::Status,
        }) => store_url().map(|url| status(&url)),
        Some(Command::Db {
            command: DbCommand::Backup(args),
        }) => store_url().map(|url| crate::cli::backup::run(&url, args)),
        Some(Command::Demo(options)) => store_url().map(|url| {
            with_store(&url, as_user, true, |db, actor| {
                crate::demo::run(db, &actor, options, &url)
                    .map(|summary| print_out(&format!("{summary}\n")))
                    .map_err(|e| (exit::FAILED, e.to_string()))
            })
        }),
        Some(Command::Export {
            what: ExportWhat::Contacts(args),
        }) => store_url().map(|url| {
            with_store(&url, as_user, true, |db, _| {
                crate::cli::exchange::export_contacts(db, args)
            })
        }),
        Some(Command::Import {
            what: ImportWhat::Contacts(args),
        }) => store_url().map(|url| {
            with_store(&url, as_user, true, |db, actor| {
                crate::cli::exchange::import_contacts(db, &actor, args)
            })
        }),
        Some(Command::Import {
            what: ImportWhat::Sales(args),
        }) => store_url().map(|url| {
            with_store(&url, as_user, true, |db, actor| {
                crate::cli::exchange::import_sales(db, &actor, args)
            })
        }),
        Some(Command::Case { command }) => store_url().map(|url| {
            with_store(&url, as_user, true, |db, actor| {
                crate::cli::case::run(db, &actor, command)
            })
        }),
        Some(Command::Followup { command }) => store_url().map(|url| {
            with_store(&url, as_user, true, |db, actor| {
                crate::cli::followup::run(db, &actor, command)
            })
        }),
        Some(Command::Status { command }) => store_url().map(|url| {
            with_store(&url, as_user, true, |db, actor| {
                crate::cli::status::run(db, &actor, command)
            })
        }),
        Some(Command::Sla { command }) => store_url().map(|url| {
            with_store(&url, as_user, true, |db, actor| {
                crate::cli::sla::run(db, &actor, command)
            })
        }),
        Some(Command::Holiday { command }) => store_url().map(|url| {
            with_store(&url, as_user, true, |db, actor| {
                crate::cli::sla::run_holiday(db, &actor, command)
            })
        }),
        Some(Command::Complaint { command }) => store_url().map(|url| {
            with_store(&url, as_user, true, |db, actor| {
                crate::cli::complaint::run(db, &actor, command)
            })
        }),
        Some(Command::Plan { command }) => store_url().map(|url| {
            with_store(&url, as_user, true, |db, actor| {
                crate::cli::plan::run(db, &actor, command)
            })
        }),
        Some(Command::Report { command, args }) => store_url().map(|url| {
            with_store(&url, as_user, true, |db, _| {
                crate::cli::report::run(db, command.as_ref(), args)
            })
        }),
        Some(Command::Audit(args)) => store_url().map(|url| {
            with_store(&url, as_user, true, |db, actor| {
                crate::cli::audit::run(db, &actor, args)
            })
        }),
        Some(Command::Lookup { command }) => store_url().map(|url| {
            with_store(&url, as_user, true, |db, actor| {
                crate::cli::lookup::run(db, &actor, command)
            })
        }),
        Some(Command::User { command }) => store_url().map(|url| {
            with_store(&url, as_user, true, |db, actor| {
                crate::cli::user::run(db, &actor, command)
            })
        }),
        Some(Command::Unit { command }) => store_url().map(|url| {
            with_store(&url, as_user, true, |db, actor| {
                crate::cli::unit::run(db, &actor, command)
            })
        }),
    };
    result.unwrap_or_else(|code| code)
}

/// Writes to standard output, ignoring a closed pipe (`peygir db status | head`).
fn print_out(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn fail(code: u8, message: String) -> ExitCode {
    // A message may quote what was typed or read (a name, a file's cell): an escape sequence in
    // it must not reach the terminal.
    let message: Vec<String> = message
        .lines()
        .map(crate::domain::text::printable)
        .collect();
    let message = message.join("\n");
    eprintln!("peygir: {message}");
    ExitCode::from(code)
}

/// Opens (and migrates) the store, resolves the acting user (the login running Peygir, or whom
/// an admin acts as with `--user`, `as_user`), and runs `work`.
fn with_store(
    url: &StoreUrl,
    as_user: Option<&str>,
    migrate: bool,
    work: impl FnOnce(&mut Db, Actor) -> Result<(), (u8, String)>,
) -> ExitCode {
    let opened = if migrate {
        db::open(url)
    } else {
        db::connect(url)
    };
    let mut db = match opened {
        Ok(db) => db,
        Err(e) => return fail(exit::STORE, e.to_string()),
    };
    // Every store has the default lists, case statuses and service levels from its first use.
    if let Err(e) = store::ensure_defaults(&mut db) {
        return fail(exit::FAILED, e.to_string());
    }
    let actor = match store::users::acting(&mut db, &store::users::os_login(), as_user) {
        Ok(store::users::Resolved::Existing(actor)) => actor,
        Ok(store::users::Resolved::FirstAdmin(actor)) => {
            eprintln!("peygir: {}", t!("user.first-admin", login = actor.login));
            actor
        }
        Err(e) => return fail(exit::FAILED, e.to_string()),
    };
    match work(&mut db, actor) {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, message)) => fail(code, message),
    }
}

fn keymap(command: &KeymapCommand, user_file: Option<&std::path::Path>) -> ExitCode {
    use crate::tui::keymap::Keymap;
    match command {
        KeymapCommand::Check { file } => {
            let Some(path) = file.as_deref().or(user_file) else {
                return fail(exit::FAILED, t!("error.no-config-dir"));
            };
            let problems = match config::read_text(path) {
                Ok(text) => crate::tui::keymap::parse(&text, &path.display().to_string()).1,
                Err(config::Unreadable::NotUtf8 { line }) => {
                    let message = t!("file.not-utf8", line = line);
                    return fail(
                        exit::FAILED,
                        format!("{}:{line}: {message}", path.display()),
                    );
                }
                Err(config::Unreadable::Io(e))
                    if file.is_none() && e.kind() == std::io::ErrorKind::NotFound =>
                {
                    print_out(&format!(
                        "{}\n",
                        t!("keymap.no-user-file", file = path.display())
                    ));
                    return ExitCode::SUCCESS;
                }
                Err(e) => {
                    return fail(
                        exit::FAILED,
                        format!(
                            "{}: {}",
                            path.display(),
                            t!("keymap.unreadable", reason = e)
                        ),
                    );
                }
            };
            if problems.is_empty() {
                print_out(&format!("{}\n", t!("keymap.ok", file = path.display())));
                ExitCode::SUCCESS
            } else {
                for problem in &problems {
                    eprintln!("{problem}");
                }
                ExitCode::from(exit::FAILED)
            }
        }
        KeymapCommand::Print => {
            let (keymap, problems) = match user_file {
                Some(path) => Keymap::load(path),
                None => (Keymap::defaults(), Vec::new()),
            };
            for problem in &problems {
                eprintln!("peygir: {problem}");
            }
            print_out(&keymap.to_toml());
            ExitCode::SUCCESS
        }
    }
}

fn migrate(url: &StoreUrl) -> ExitCode {
    let result = db::connect(url).and_then(|mut db| db::migrate(&mut db, url));
    match result {
        Ok(0) => {
            print_out(&format!("{}\n", t!("cli.up-to-date", store = url)));
            ExitCode::SUCCESS
        }
        Ok(count) => {
            print_out(&format!(
                "{}\n",
                t!("cli.migrated", count = number(count), store = url)
            ));
            ExitCode::SUCCESS
        }
        Err(e) => fail(exit::STORE, e.to_string()),
    }
}

fn status(url: &StoreUrl) -> ExitCode {
    let mut db = match db::connect(url) {
        Ok(db) => db,
        Err(e) => return fail(exit::STORE, e.to_string()),
    };
    let applied = match db::applied_versions(&mut db) {
        Ok(applied) => applied,
        Err(e) => return fail(exit::STORE, t!("error.store-open", store = url, reason = e)),
    };
    let pending: Vec<String> = db::known_versions(&db)
        .into_iter()
        .filter(|v| !applied.contains(v))
        .collect();
    let list = |v: &[String]| {
        if v.is_empty() {
            t!("status.none")
        } else {
            v.join(", ")
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "{:<20} {}", t!("status.backend"), url.backend());
    let _ = writeln!(out, "{:<20} {}", t!("status.location"), url);
    let _ = writeln!(out, "{:<20} {}", t!("status.applied"), list(&applied));
    let _ = writeln!(out, "{:<20} {}", t!("status.pending"), list(&pending));
    if pending.is_empty() {
        let _ = writeln!(out, "{}", t!("status.rows"));
        for table in db::schema::TABLES {
            match db::row_count(&mut db, table) {
                Ok(n) => {
                    let _ = writeln!(out, "  {table:<26} {n:>12}");
                }
                Err(e) => return fail(exit::FAILED, e.to_string()),
            }
        }
    }
    print_out(&out);
    ExitCode::SUCCESS
}
