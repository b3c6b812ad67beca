//! `peygir db backup FILE`: a consistent copy of a SQLite store made while others go on working
//! (`db::backup`); a PostgreSQL store is refused with the `pg_dump` command that backs it up.
//! (The file is not `cli/db.rs`: this module's parent names `crate::db` as `db`.)

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::common::print_out;
use super::{exit, fail};
use crate::db::{self, BackupError, StoreUrl};
use crate::domain::locale::number;
use crate::t;

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// The file the copy is written to, readable by its owner and group only; its folder must exist
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Replace the file when it exists
    #[arg(long)]
    pub force: bool,
}

/// Backs the store `url` up to the file `args` names: exit code 0 with the copy made, 1 when
/// the target or the backend is refused, 2 when the store could not be opened.
pub fn run(url: &StoreUrl, args: &BackupArgs) -> ExitCode {
    match db::backup(url, &args.file, args.force) {
        Ok(size) => {
            print_out(&format!(
                "{}\n",
                t!(
                    "backup.done",
                    store = url,
                    file = args.file.display(),
                    size = number(size)
                )
            ));
            ExitCode::SUCCESS
        }
        Err(BackupError::Store(e)) => fail(exit::STORE, e.to_string()),
        Err(e) => fail(exit::FAILED, e.to_string()),
    }
}
