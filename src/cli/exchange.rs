//! `peygir export contacts` and `peygir import contacts`: the arguments (their doc comments are
//! the `--help` text) and the thin calls into `crate::exchange` that report progress and results.

use std::path::PathBuf;

use super::common::{Outcome, print_out};
use super::exit;
use crate::db::Db;
use crate::domain::locale::number;
use crate::exchange::{self, Error, ExportOptions, Format, ImportOptions};
use crate::store::contacts::ContactFilter;
use crate::store::{Actor, categories};
use crate::t;

/// `peygir export contacts`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportContactsArgs {
    /// The file's format [default: from the file name: .xlsx or .csv]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// The file to write (replaced if it exists)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
    /// Only contacts filed under this category or below it, written Parent/Child
    #[arg(long, value_name = "PATH")]
    pub category: Option<String>,
    /// Only contacts whose name, mobile, phone, national code, company ID or e-mail hold every word
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Start a CSV file with a byte order mark, so that Excel reads it as UTF-8
    #[arg(long)]
    pub bom: bool,
}

/// `peygir import contacts`.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportContactsArgs {
    /// A UTF-8 CSV file with the export's header row (columns in any order)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Check every row and report, but write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Import the good rows and report the bad ones, instead of importing nothing
    #[arg(long)]
    pub skip_invalid: bool,
}

impl ExportContactsArgs {
    /// The format asked for, or the one the file name tells.
    pub fn format(&self) -> exchange::Result<Format> {
        self.format
            .or_else(|| Format::from_path(&self.output))
            .ok_or_else(|| Error::Write {
                file: self.output.clone(),
                reason: t!("exchange.error.which-format"),
            })
    }

    /// The filter the arguments describe; an unknown category is an error.
    pub fn filter(&self, db: &mut Db) -> exchange::Result<ContactFilter> {
        let mut filter = ContactFilter::search(self.search.as_deref().unwrap_or(""));
        if let Some(path) = &self.category {
            let id = categories::find_path(db, path)?
                .ok_or_else(|| Error::NoCategory { path: path.clone() })?;
            filter.categories = Some(categories::subtree_ids(db, id)?);
        }
        Ok(filter)
    }
}

/// Runs `peygir export contacts`: writes the file and prints how many contacts it holds.
pub fn export_contacts(db: &mut Db, args: &ExportContactsArgs) -> Outcome {
    let failed = |e: Error| (exit::FAILED, e.to_string());
    let format = args.format().map_err(failed)?;
    let filter = args.filter(db).map_err(failed)?;
    let options = ExportOptions { bom: args.bom };
    let bar = exchange::stderr_bar(t!("exchange.progress.export"));
    let count = exchange::export_contacts(
        db,
        &filter,
        format,
        &args.output,
        &options,
        &mut |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        },
    );
    bar.finish_and_clear();
    let count = count.map_err(failed)?;
    print_out(&format!(
        "{}\n",
        t!(
            "exchange.exported",
            count = number(count),
            file = args.output.display()
        )
    ));
    Ok(())
}

/// Runs `peygir import contacts`: every problem on standard error, then what was imported.
pub fn import_contacts(db: &mut Db, actor: &Actor, args: &ImportContactsArgs) -> Outcome {
    let options = ImportOptions {
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
    };
    let bar = exchange::stderr_bar(t!("exchange.progress.import"));
    let outcome = exchange::import_contacts(db, actor, &args.file, &options, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    let file = args.file.display();
    let report = match outcome {
        Ok(report) => report,
        Err(Error::Refused { file, problems }) => {
            for problem in &problems {
                eprintln!("{}: {problem}", file.display());
            }
            return Err((exit::FAILED, Error::Refused { file, problems }.to_string()));
        }
        Err(e) => return Err((exit::FAILED, e.to_string())),
    };
    for problem in &report.problems {
        eprintln!("{file}: {problem}");
    }
    // Counts in the user's digits; a file name stays as it is.
    let (rows, bad, count) = (
        number(report.rows),
        number(report.bad_rows),
        number(report.imported),
    );
    if args.dry_run {
        print_out(&format!(
            "{}\n",
            t!(
                "exchange.dry-run",
                rows = rows,
                file = file,
                count = count,
                bad = bad
            )
        ));
        return if report.bad_rows > 0 && !args.skip_invalid {
            Err((
                exit::FAILED,
                t!(
                    "exchange.import-refused",
                    bad = bad,
                    rows = rows,
                    file = file
                ),
            ))
        } else {
            Ok(())
        };
    }
    if !report.written {
        return Err((
            exit::FAILED,
            t!(
                "exchange.import-refused",
                bad = bad,
                rows = rows,
                file = file
            ),
        ));
    }
    let done = if report.bad_rows > 0 {
        t!(
            "exchange.imported-skipping",
            count = count,
            file = file,
            bad = bad
        )
    } else {
        t!("exchange.imported", count = count, file = file)
    };
    print_out(&format!("{done}\n"));
    Ok(())
}
