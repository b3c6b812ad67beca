//! Files in and out: the store's lists exported to xlsx and CSV, and contacts imported from CSV.
//! The command line and the panes call the same functions; both pass a progress callback.
//!
//! Formula injection: a cell that starts with `=`, `+`, `-` or `@` (and is not a plain number such
//! as `-5` or `+98 912 123 4567`) would run as a formula when a spreadsheet opens the file. In
//! xlsx every text is written as a text cell, which a spreadsheet never evaluates. In CSV such a
//! value is written with a `'` in front (`'=SUM(A1)`), the mark spreadsheets use for "this is
//! text"; the import takes that mark off again, so a CSV still round-trips exactly. A CSV cell
//! that starts with one of those characters without the mark is refused by the import.

pub mod contacts;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::t;

pub use contacts::{
    ImportOptions, ImportReport, export_contacts, import_contacts, import_contacts_from_bytes,
};

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

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 4] = ['=', '+', '-', '@'];

/// Whether `text` is a number as people write one: an optional sign, then digits (any script)
/// with spaces, dashes, dots, commas and brackets between them (`-5`, `+98 (21) 8888-1234`).
fn is_plain_number(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    body.chars().any(|c| c.is_numeric())
        && body
            .chars()
            .all(|c| c.is_numeric() || matches!(c, ' ' | '-' | '.' | ',' | '(' | ')'))
}

/// Whether a spreadsheet would run `text` as a formula.
pub fn is_formula(text: &str) -> bool {
    let text = text.trim_start();
    text.starts_with(FORMULA_STARTS) && !(text.starts_with(['+', '-']) && is_plain_number(text))
}

/// Whether `text`, written to CSV, needs the `'` text mark: it is a formula once any marks
/// already in front of it are taken off (so that a value that really starts with `'` survives a
/// round trip too).
fn needs_text_mark(text: &str) -> bool {
    is_formula(text.trim_start().trim_start_matches('\''))
}

/// `text` as a CSV cell: with the text mark in front when a spreadsheet would run it.
pub fn csv_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if needs_text_mark(text) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A CSV cell as the value it stands for: the text mark taken off; `Err` when the cell is a
/// formula without the mark.
pub fn from_csv_cell(cell: &str) -> std::result::Result<&str, char> {
    if let Some(rest) = cell.strip_prefix('\'')
        && needs_text_mark(cell)
    {
        return Ok(rest);
    }
    if is_formula(cell) {
        return Err(cell.trim_start().chars().next().unwrap_or('='));
    }
    Ok(cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_and_numbers() {
        for formula in [
            "=1+2",
            "+cmd|' /C calc'!A0",
            "-2+3*A1",
            "@SUM(A1)",
            " =x",
            "-",
            "+",
        ] {
            assert!(is_formula(formula), "{formula}");
        }
        for plain in [
            "-5",
            "+98 912 123 4567",
            "+98 (21) 8888-1234",
            "-۱۲",
            "Ali",
            "a=b",
            "",
        ] {
            assert!(!is_formula(plain), "{plain}");
        }
    }

    #[test]
    fn the_text_mark_round_trips() {
        for value in [
            "=1+2", "'=1+2", "''@x", "'plain", "plain", "-5", "'", "@", "-x",
        ] {
            let cell = csv_cell(value);
            assert!(!is_formula(&cell) || cell.starts_with('\''), "{cell}");
            assert_eq!(from_csv_cell(&cell), Ok(value), "{value} as {cell}");
        }
        assert_eq!(from_csv_cell("=1+2"), Err('='));
        assert_eq!(from_csv_cell(" @x"), Err('@'));
    }

    #[test]
    fn formats_from_file_names() {
        assert_eq!(Format::from_path(Path::new("a/b.XLSX")), Some(Format::Xlsx));
        assert_eq!(Format::from_path(Path::new("b.csv")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("b.txt")), None);
        assert_eq!(Format::from_path(Path::new("b")), None);
    }
}
