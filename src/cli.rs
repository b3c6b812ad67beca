//! The command line. Each subcommand is a thin call into the library; this module only turns
//! arguments into calls and results into text and exit codes.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::db::{self, Db, StoreUrl};
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
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The store's schema: migrate or show its status
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Fill an empty store with realistic demo data
    Demo(crate::demo::DemoOptions),
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Apply the migrations the store does not have yet
    Migrate,
    /// Backend, location, applied and pending migrations, and row counts
    Status,
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
    let (file, warning) = config::config_path()
        .map(|p| config::load(&p))
        .unwrap_or_default();
    if let Some(warning) = warning {
        eprintln!("peygir: {warning}");
    }
    let url = match config::choose_store(cli.db.as_deref(), &file) {
        Ok(url) => url,
        Err(e) => return fail(exit::STORE, t!("error.store-open", store = "?", reason = e)),
    };
    match cli.command {
        None => with_store(&url, true, |db, actor| {
            crate::tui::run(db, actor).map_err(|e| (exit::FAILED, e.to_string()))
        }),
        Some(Command::Db {
            command: DbCommand::Migrate,
        }) => migrate(&url),
        Some(Command::Db {
            command: DbCommand::Status,
        }) => status(&url),
        Some(Command::Demo(options)) => with_store(&url, true, |db, actor| {
            crate::demo::run(db, &actor, &options, &url)
                .map(|summary| print_out(&format!("{summary}\n")))
                .map_err(|e| (exit::FAILED, e.to_string()))
        }),
    }
}

/// Writes to standard output, ignoring a closed pipe (`peygir db status | head`).
fn print_out(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn fail(code: u8, message: String) -> ExitCode {
    eprintln!("peygir: {message}");
    ExitCode::from(code)
}

/// Opens (and migrates) the store, resolves the acting user, and runs `work`.
fn with_store(
    url: &StoreUrl,
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
    let actor = match store::users::resolve_actor(&mut db, &store::users::os_login()) {
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
                t!("cli.migrated", count = count, store = url)
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
