//! Files in and out: the store's lists exported to xlsx and CSV, and contacts, sales plans and
//! sales imported from CSV. The command line and the panes call the same functions; both pass a
//! progress callback.
//!
//! [`table`] writes any table of typed cells to CSV or xlsx (and keeps spreadsheets from running
//! a cell as a formula); [`contacts`] turns contacts into such rows and reads them back from CSV;
//! [`plans`] reads sales plans, a row per plan line, from CSV; [`sales`] reads sales, a row per
//! sale, from CSV. What the imports share is here: reading a CSV file whole (`read_csv`), its
//! header (`header_columns`) and its cells (`cell_value`, `whole_number`, `list_entry`), and the
//! problems they report.

pub mod contacts;
pub mod plans;
pub mod sales;
pub mod table;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::db::ids::LookupId;
use crate::domain::{money, text};
use crate::store::lookups::Lookup;
use crate::t;

pub use contacts::{
    ImportOptions, ImportReport, export_contacts, import_contacts, import_contacts_from_bytes,
};
pub use sales::{import_sales, import_sales_from_bytes};
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
    /// A problem of one cell. The column and the reason may quote the file's own text, which is
    /// printed to a terminal: control characters (escape sequences) and reordering marks in them
    /// are dropped.
    pub fn cell(row: u64, column: impl Into<String>, reason: impl Into<String>) -> Problem {
        Problem {
            row,
            column: Some(text::printable(&column.into())),
            reason: text::printable(&reason.into()),
        }
    }

    /// A problem of a whole row; its reason is made printable as in [`Problem::cell`].
    pub fn row(row: u64, reason: impl Into<String>) -> Problem {
        Problem {
            row,
            column: None,
            reason: text::printable(&reason.into()),
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

/// Refuses what the csv reader would quietly accept: bytes that are not UTF-8, a quote inside
/// an unquoted cell, text after a closing quote, and a quote that is never closed. Rows are
/// counted as the csv reader counts records (empty lines are skipped); a cell's column is named
/// by the header when the header's name there is one of `columns`, else by its number.
pub(crate) fn check_shape(bytes: &[u8], columns: &[&str]) -> Result<(), Problem> {
    let bad_byte = std::str::from_utf8(bytes).err().map(|e| e.valid_up_to());
    let (mut row, mut col) = (1u64, 1u64);
    let mut line_has_data = false;
    let mut field_start = true;
    let mut in_quotes = false;
    let mut after_quote = false;
    let mut opened_at = (1u64, 1u64);
    let column = |col: u64| col_name(bytes, col, columns);
    let mut i = 0;
    while i < bytes.len() {
        if Some(i) == bad_byte {
            return Err(Problem::cell(
                row,
                column(col),
                t!("exchange.invalid.not-utf8", byte = i + 1),
            ));
        }
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                in_quotes = false;
                after_quote = true;
            }
            i += 1;
            continue;
        }
        match b {
            b',' => {
                col += 1;
                field_start = true;
                after_quote = false;
                line_has_data = true;
            }
            b'\r' | b'\n' => {
                if line_has_data {
                    row += 1;
                }
                col = 1;
                field_start = true;
                after_quote = false;
                line_has_data = false;
            }
            b'"' if field_start => {
                in_quotes = true;
                opened_at = (row, col);
                field_start = false;
                line_has_data = true;
            }
            b'"' => {
                return Err(Problem::cell(
                    row,
                    column(col),
                    t!("exchange.invalid.stray-quote"),
                ));
            }
            _ if after_quote => {
                return Err(Problem::cell(
                    row,
                    column(col),
                    t!("exchange.invalid.after-quote"),
                ));
            }
            _ => {
                field_start = false;
                line_has_data = true;
            }
        }
        i += 1;
    }
    if in_quotes {
        let (row, col) = opened_at;
        return Err(Problem::cell(
            row,
            column(col),
            t!("exchange.invalid.unclosed-quote"),
        ));
    }
    Ok(())
}

/// The header's name of column `col` (from 1) when it is one of `columns`, else its number.
fn col_name(bytes: &[u8], col: u64, columns: &[&str]) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    if let Ok(true) = reader.read_byte_record(&mut record)
        && let Some(name) = usize::try_from(col - 1).ok().and_then(|i| record.get(i))
        && let Ok(name) = std::str::from_utf8(name)
        && columns.contains(&name.trim())
    {
        return name.trim().to_string();
    }
    col.to_string()
}

/// A CSV file read whole: its header row and its data rows, each with its number as a spreadsheet
/// shows it (the header is row 1); rows with every cell empty are left out.
pub(crate) struct CsvTable {
    pub header: csv::StringRecord,
    pub rows: Vec<(u64, csv::StringRecord)>,
}

impl CsvTable {
    /// The problem of a data row with another number of cells than the header, if it has one.
    pub fn misshapen(&self, number: u64, record: &csv::StringRecord) -> Option<Problem> {
        (record.len() != self.header.len()).then(|| {
            Problem::row(
                number,
                t!(
                    "exchange.invalid.cell-count",
                    found = record.len(),
                    expected = self.header.len()
                ),
            )
        })
    }
}

/// Reads CSV `bytes` (named `file` in messages) as a table: a UTF-8 byte order mark skipped, the
/// shape checked by [`check_shape`] (a cell named by its header when that is one of `columns`),
/// and the file refused whole, as `Error::Refused`, when it has no header row or a record the
/// reader cannot read.
pub(crate) fn read_csv(file: &Path, bytes: &[u8], columns: &[&str]) -> Result<CsvTable> {
    let refused = |problem: Problem| Error::Refused {
        file: file.to_path_buf(),
        problems: vec![problem],
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    check_shape(bytes, columns).map_err(refused)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(record)) => record,
        Some(Err(e)) => return Err(refused(Problem::row(1, e.to_string()))),
        None => return Err(refused(Problem::row(1, t!("exchange.invalid.empty-file")))),
    };
    let mut rows = Vec::new();
    for (number, record) in (2u64..).zip(records) {
        let record = record.map_err(|e| refused(Problem::row(number, e.to_string())))?;
        if !record.iter().all(|c| c.trim().is_empty()) {
            rows.push((number, record));
        }
    }
    Ok(CsvTable { header, rows })
}

/// The header's columns by position, each as `find` tells it from the header's name (trimmed),
/// and a problem of row 1 for every name that is no column (listing `known`, the names there are)
/// or repeats an earlier one.
pub(crate) fn header_columns<C: Copy + PartialEq>(
    header: &csv::StringRecord,
    find: impl Fn(&str) -> Option<C>,
    known: &str,
) -> (Vec<C>, Vec<Problem>) {
    let mut columns = Vec::new();
    let mut problems = Vec::new();
    for (position, name) in (1u64..).zip(header.iter()) {
        let name = name.trim();
        match find(name) {
            Some(column) if columns.contains(&column) => problems.push(Problem::cell(
                1,
                name,
                t!("exchange.invalid.duplicate-column"),
            )),
            Some(column) => columns.push(column),
            None => problems.push(Problem::cell(
                1,
                if name.is_empty() {
                    position.to_string()
                } else {
                    name.to_string()
                },
                t!("exchange.invalid.unknown-column", columns = known),
            )),
        }
    }
    (columns, problems)
}

/// A cell's value as an import reads it: the text mark taken off and trimmed; the reason when it
/// has more than `limit` characters or is a formula without the mark.
pub(crate) fn cell_value(raw: &str, limit: usize) -> std::result::Result<&str, String> {
    let length = raw.chars().count();
    if length > limit {
        return Err(t!(
            "exchange.invalid.too-long",
            length = length,
            limit = limit
        ));
    }
    table::from_csv_cell(raw)
        .map(str::trim)
        .map_err(|start| t!("exchange.invalid.formula", start = start))
}

/// A whole number in a cell (thousands separators and any digit script allowed); empty is none.
pub(crate) fn whole_number(value: &str) -> std::result::Result<Option<i64>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    match money::parse_whole(value) {
        Ok(n) => Ok(Some(n)),
        Err(money::NumberError::TooLarge) => Err(t!("exchange.invalid.too-large", value = value)),
        Err(money::NumberError::NotANumber) => Err(t!("exchange.invalid.number", value = value)),
    }
}

/// The entry of a list a cell names: by exact name, then by name compared Persian-normalised
/// and without case, then by code; the reason when none or several are.
pub(crate) fn list_entry(entries: &[Lookup], value: &str) -> std::result::Result<LookupId, String> {
    let pick = |matches: Vec<LookupId>| match matches.as_slice() {
        [] => None,
        [id] => Some(Ok(*id)),
        _ => Some(Err(t!("exchange.invalid.ambiguous-entry", value = value))),
    };
    let key = text::search_key(value);
    let tries: [&dyn Fn(&Lookup) -> bool; 3] = [
        &|e| e.name == value,
        &|e| text::search_key(&e.name) == key,
        &|e| e.code == value,
    ];
    for matches in tries {
        if let Some(found) = pick(
            entries
                .iter()
                .filter(|e| matches(e))
                .map(|e| e.id)
                .collect(),
        ) {
            return found;
        }
    }
    Err(t!("exchange.invalid.unknown-entry", value = value))
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
