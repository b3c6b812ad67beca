//! Files in and out: the store's lists exported to xlsx and CSV, and contacts imported from CSV.
//! The command line and the panes call the same functions; both pass a progress callback.
//!
//! [`table`] writes any table of typed cells to CSV or xlsx (and keeps spreadsheets from running
//! a cell as a formula); [`contacts`] turns contacts into such rows and reads them back from CSV.

pub mod contacts;
pub mod table;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::t;

pub use contacts::{
    ImportOptions, ImportReport, export_contacts, import_contacts, import_contacts_from_bytes,
};
pub use table::{csv_cell, from_csv_cell, is_formula};

/// The file formats an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An Excel workbook: typed cells, a frozen header row with a filter.
    Xlsx,
    /// UTF-8 CSV (RFC 4180), with a header row of stable column names.
    Csv,
}

impl Format {
    /// The format a file name's extension names, if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }
}

/// How an export is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Start a CSV file with a UTF-8 byte order mark, which Excel needs to read it as UTF-8.
    pub bom: bool,
}

/// One thing wrong with an imported file, where a spreadsheet shows it: rows are numbered from
/// 1 (the header row), columns by their header name (or position, when the header is unusable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub row: u64,
    pub column: Option<String>,
    pub reason: String,
}

impl Problem {
    pub fn cell(row: u64, column: impl Into<String>, reason: impl Into<String>) -> Problem {
        Problem {
            row,
            column: Some(column.into()),
            reason: reason.into(),
        }
    }

    pub fn row(row: u64, reason: impl Into<String>) -> Problem {
        Problem {
            row,
            column: None,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(
                f,
                "{}",
                t!(
                    "exchange.problem.cell",
                    row = self.row,
                    column = column,
                    reason = self.reason
                )
            ),
            None => write!(
                f,
                "{}",
                t!("exchange.problem.row", row = self.row, reason = self.reason)
            ),
        }
    }
}

/// Why an export or import failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] crate::error::Error),
    #[error("{}", t!("exchange.error.write", file = file.display(), reason = reason))]
    Write { file: PathBuf, reason: String },
    #[error("{}", t!("exchange.error.read", file = file.display(), reason = reason))]
    Read { file: PathBuf, reason: String },
    #[error("{}", t!("exchange.error.no-category", path = path))]
    NoCategory { path: String },
    #[error("{}", t!("exchange.error.too-many-rows", count = count, limit = limit))]
    TooManyRows { count: u64, limit: u64 },
    /// The file cannot be read as a table (encoding, quoting, header): nothing was imported.
    #[error("{}", t!("exchange.error.refused", file = file.display(), count = problems.len()))]
    Refused {
        file: PathBuf,
        problems: Vec<Problem>,
    },
}

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Error {
        Error::Store(e.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A progress bar on standard error for a command-line export or import; it draws nothing when
/// standard error is not a terminal.
pub fn stderr_bar(message: String) -> indicatif::ProgressBar {
    let bar =
        indicatif::ProgressBar::with_draw_target(Some(0), indicatif::ProgressDrawTarget::stderr());
    let style = indicatif::ProgressStyle::with_template(
        "{msg} {wide_bar} {human_pos:>9}/{human_len:9} {elapsed:>4}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
    .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(message);
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_file_names() {
        assert_eq!(Format::from_path(Path::new("a/b.XLSX")), Some(Format::Xlsx));
        assert_eq!(Format::from_path(Path::new("b.csv")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("b.txt")), None);
        assert_eq!(Format::from_path(Path::new("b")), None);
    }
}
