//! `peygir export contacts`, `peygir import contacts` and `peygir import sales`: the arguments
//! (their doc comments are the `--help` text) and the thin calls into `crate::exchange` that
//! report progress and results.

use std::path::{Path, PathBuf};

use super::common::{Outcome, print_out};
use super::exit;
use crate::db::Db;
use crate::domain::locale::number;
use crate::exchange::{self, Error, ExportOptions, Format, ImportOptions, ImportReport};
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
    #[command(flatten)]
    pub flags: ImportFlags,
}

/// `peygir import sales`.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportSalesArgs {
    /// A UTF-8 CSV file, a sale a row, with the columns sold_on, amount, customer and expert, and optionally quantity, product_group, region, market, case and note (in any order, named in English or Persian)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub flags: ImportFlags,
}

/// How every import runs.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportFlags {
    /// Check every row and report, but write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Import the good rows and report the bad ones, instead of importing nothing
    #[arg(long)]
    pub skip_invalid: bool,
}

impl ImportFlags {
    /// The import's options the flags ask for.
    pub fn options(&self) -> ImportOptions {
        ImportOptions {
            dry_run: self.dry_run,
            skip_invalid: self.skip_invalid,
        }
    }
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
    let wording = Wording {
        progress: "exchange.progress.import",
        imported: "exchange.imported",
        imported_skipping: "exchange.imported-skipping",
    };
    run_import(&args.file, &args.flags, &wording, |options, progress| {
        exchange::import_contacts(db, actor, &args.file, options, progress)
    })
}

/// Runs `peygir import sales`: every problem on standard error, then what was imported.
pub fn import_sales(db: &mut Db, actor: &Actor, args: &ImportSalesArgs) -> Outcome {
    let wording = Wording {
        progress: "exchange.progress.import-sales",
        imported: "exchange.imported-sales",
        imported_skipping: "exchange.imported-sales-skipping",
    };
    run_import(&args.file, &args.flags, &wording, |options, progress| {
        exchange::import_sales(db, actor, &args.file, options, progress)
    })
}

/// The catalog keys of what an import says: its progress bar, and that it imported `{count}`
/// records from `{file}` (skipping `{bad}` rows).
struct Wording {
    progress: &'static str,
    imported: &'static str,
    imported_skipping: &'static str,
}

/// Runs an import of `file` with a progress bar, then prints every problem on standard error
/// and what was imported, or refused, on standard output.
fn run_import(
    file: &Path,
    flags: &ImportFlags,
    wording: &Wording,
    import: impl FnOnce(&ImportOptions, &mut dyn FnMut(u64, u64)) -> exchange::Result<ImportReport>,
) -> Outcome {
    let bar = exchange::stderr_bar(crate::i18n::tr(wording.progress).to_string());
    let outcome = import(&flags.options(), &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    let file = file.display();
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
    let refused = || {
        Err((
            exit::FAILED,
            t!(
                "exchange.import-refused",
                bad = bad,
                rows = rows,
                file = file
            ),
        ))
    };
    if flags.dry_run {
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
        return if report.bad_rows > 0 && !flags.skip_invalid {
            refused()
        } else {
            Ok(())
        };
    }
    if !report.written {
        return refused();
    }
    let done = if report.bad_rows > 0 {
        crate::i18n::trf(
            wording.imported_skipping,
            &[("count", &count), ("file", &file), ("bad", &bad)],
        )
    } else {
        crate::i18n::trf(wording.imported, &[("count", &count), ("file", &file)])
    };
    print_out(&format!("{done}\n"));
    Ok(())
}
