//! A table written to a CSV or xlsx file: a header row, then rows of typed cells. It knows
//! nothing about what the rows are; contacts write through it, and so can any other list or
//! report.
//!
//! ```text
//! table::check_rows(format, count)?;                 // an xlsx sheet holds 1,048,575 rows
//! let mut file = Writer::create(path, format, sheet, &headings, &options)?;
//! file.row(&[Cell::Text("Ali"), Cell::Date(day), Cell::Money(1_250_000)])?;
//! let rows = file.finish()?;                         // renames the file over `path`
//! ```
//!
//! The file is written beside its target and renamed over it by [`Writer::finish`]: a failed
//! export leaves any earlier file as it was. A file that is replaced keeps its permissions; a new
//! one is readable by its owner only (it may hold personal data).
//!
//! CSV is UTF-8 (RFC 4180, CRLF line ends), optionally with a byte order mark; dates are
//! `YYYY-MM-DD`, Jalali dates `1370/05/12`, numbers without grouping. An xlsx has one sheet
//! written in constant-memory mode (memory does not grow with the rows), a frozen bold header row
//! with a filter over the whole table, and typed cells: dates as dates (text outside the years
//! Excel shows), counts and money as numbers (text beyond the 15 digits Excel keeps), identifiers
//! as text in a column formatted as text, and text cut at Excel's 32,767 characters.
//!
//! Formula injection: a cell that starts with `=`, `+`, `-` or `@` (and is not a plain number such
//! as `-5` or `+98 912 123 4567`) would run as a formula when a spreadsheet opens the file. In
//! xlsx every text is written as a text cell, which a spreadsheet never evaluates. In CSV such a
//! value is written with a `'` in front (`'=SUM(A1)`), the mark spreadsheets use for "this is
//! text" ([`csv_cell`]); an import takes that mark off again ([`from_csv_cell`]), so a CSV still
//! round-trips exactly. A CSV cell that starts with one of those characters without the mark is
//! refused by the import.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::domain::locale::{self, Calendar, Digits};

use super::{Error, ExportOptions, Format, Result};

/// The most data rows an xlsx sheet holds (Excel's 1,048,576 rows, less the header).
pub const XLSX_MAX_ROWS: u64 = 1_048_575;

/// The most characters Excel keeps in a cell.
pub const XLSX_MAX_CHARS: usize = 32_767;

/// The most rows a chart draws (the first ones: reports put their largest groups first); a
/// chart of thousands of bars says nothing.
const CHART_MOST_ROWS: u32 = 50;

/// Excel stores numbers as doubles shown to 15 digits: money beyond that is written as text so
/// that no digit is lost.
const XLSX_EXACT_NUMBER: i64 = 999_999_999_999_999;

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    /// Digits that are not a quantity (codes, phone numbers): always text.
    Identifier(&'a str),
    Date(NaiveDate),
    /// A date written as Jalali text (`1370/05/12`).
    JalaliDate(NaiveDate),
    Count(i64),
    Money(i64),
    /// A percentage, `58.3` for 58.3 %: a number formatted as a percentage in xlsx, the number
    /// to one decimal in CSV.
    Percent(f64),
    /// A measure to one decimal: a number formatted `0.0` in xlsx, one decimal in CSV.
    Decimal(f64),
}

/// A column chart of some columns of the table against its first column, on a sheet of its own
/// in xlsx (a CSV file has no chart).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    /// The name of the chart's sheet.
    pub sheet: String,
    /// The columns drawn, each a series named by its header, counted from 0.
    pub series: Vec<u16>,
    /// How many data rows, from the first, the chart draws (a total row below is left out); at
    /// most 50.
    pub rows: u32,
}

/// One column's header cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Heading<'a> {
    /// The header text, also the column's name for scripts.
    pub name: &'a str,
    /// The column's width in xlsx, in characters (widened to fit the name).
    pub width: f64,
    /// The column holds [`Cell::Identifier`]s: in xlsx it is formatted as text, so that whatever
    /// is typed later into an empty cell of it stays text too.
    pub identifier: bool,
}

/// Refuses `rows` data rows when `format` cannot hold them (an xlsx sheet's row limit).
pub fn check_rows(format: Format, rows: u64) -> Result<()> {
    if format == Format::Xlsx && rows > XLSX_MAX_ROWS {
        return Err(Error::TooManyRows {
            count: rows,
            limit: XLSX_MAX_ROWS,
        });
    }
    Ok(())
}

/// A table being written to a file; see the module documentation.
pub struct Writer {
    path: PathBuf,
    temp: tempfile::NamedTempFile,
    sink: Sink,
    rows: u64,
}

impl Writer {
    /// Starts the table that will replace `path`: a temporary file beside it with the header row
    /// of `columns`, the xlsx sheet named `sheet`.
    pub fn create(
        path: &Path,
        format: Format,
        sheet: &str,
        columns: &[Heading],
        options: &ExportOptions,
    ) -> Result<Writer> {
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let temp = tempfile::Builder::new()
            .prefix(".peygir-export-")
            .suffix(".part")
            .tempfile_in(folder)
            .map_err(|e| write_error(path, &e))?;
        let sink = match format {
            Format::Csv => {
                let file = temp
                    .as_file()
                    .try_clone()
                    .map_err(|e| write_error(path, &e))?;
                Sink::Csv(Box::new(
                    CsvSink::new(file, options, columns).map_err(|e| write_error(path, &e))?,
                ))
            }
            Format::Xlsx => Sink::Xlsx(Box::new(
                XlsxSink::new(sheet, columns).map_err(|e| write_error(path, &e))?,
            )),
        };
        Ok(Writer {
            path: path.to_path_buf(),
            temp,
            sink,
            rows: 0,
        })
    }

    /// Writes one row, a cell per column in the header's order.
    pub fn row(&mut self, cells: &[Cell]) -> Result<()> {
        let written = match &mut self.sink {
            Sink::Csv(csv) => csv.row(cells).map_err(|e| e.to_string()),
            Sink::Xlsx(xlsx) => xlsx.row(cells).map_err(|e| e.to_string()),
        };
        written.map_err(|e| write_error(&self.path, &e))?;
        self.rows += 1;
        Ok(())
    }

    /// Draws `chart` on a sheet of its own when the file is an xlsx; a CSV file ignores it.
    pub fn chart(&mut self, chart: Chart) {
        if let Sink::Xlsx(xlsx) = &mut self.sink {
            xlsx.chart = Some(chart);
        }
    }

    /// Completes the file and renames it over the target; returns how many rows were written.
    pub fn finish(self) -> Result<u64> {
        let Writer {
            path,
            temp,
            sink,
            rows,
        } = self;
        match sink {
            Sink::Csv(csv) => csv.finish().map_err(|e| write_error(&path, &e))?,
            Sink::Xlsx(xlsx) => xlsx
                .finish(temp.path(), rows)
                .map_err(|e| write_error(&path, &e))?,
        }
        // A file that is replaced keeps its permissions; a new one is readable by its owner only.
        if let Ok(meta) = std::fs::metadata(&path) {
            let _ = std::fs::set_permissions(temp.path(), meta.permissions());
        }
        temp.persist(&path)
            .map_err(|e| write_error(&path, &e.error))?;
        Ok(rows)
    }
}

fn write_error(file: &Path, reason: &dyn std::fmt::Display) -> Error {
    Error::Write {
        file: file.to_path_buf(),
        reason: reason.to_string(),
    }
}

enum Sink {
    Csv(Box<CsvSink>),
    Xlsx(Box<XlsxSink>),
}

struct CsvSink {
    writer: csv::Writer<std::io::BufWriter<std::fs::File>>,
}

impl CsvSink {
    fn new(
        file: std::fs::File,
        options: &ExportOptions,
        columns: &[Heading],
    ) -> std::io::Result<CsvSink> {
        use std::io::Write as _;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        if options.bom {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        writer.write_record(columns.iter().map(|c| c.name))?;
        Ok(CsvSink { writer })
    }

    fn row(&mut self, cells: &[Cell]) -> csv::Result<()> {
        for cell in cells {
            match cell {
                Cell::Empty => self.writer.write_field("")?,
                Cell::Text(s) | Cell::Identifier(s) => {
                    self.writer.write_field(csv_cell(s).as_bytes())?
                }
                Cell::Date(d) => self.writer.write_field(locale::iso_date(*d))?,
                Cell::JalaliDate(d) => self.writer.write_field(jalali_text(*d))?,
                Cell::Count(n) | Cell::Money(n) => self.writer.write_field(n.to_string())?,
                Cell::Percent(p) | Cell::Decimal(p) => {
                    self.writer.write_field(format!("{p:.1}"))?
                }
            }
        }
        self.writer.write_record(None::<&[u8]>)
    }

    fn finish(self) -> std::io::Result<()> {
        use std::io::Write as _;
        let mut out = self
            .writer
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        out.flush()?;
        out.get_ref().sync_all()
    }
}

struct XlsxSink {
    workbook: rust_xlsxwriter::Workbook,
    sheet: rust_xlsxwriter::Worksheet,
    columns: usize,
    text: rust_xlsxwriter::Format,
    identifier: rust_xlsxwriter::Format,
    date: rust_xlsxwriter::Format,
    count: rust_xlsxwriter::Format,
    money: rust_xlsxwriter::Format,
    percent: rust_xlsxwriter::Format,
    decimal: rust_xlsxwriter::Format,
    /// The sheet's name, for a chart's ranges.
    name: String,
    chart: Option<Chart>,
    row: u32,
}

impl XlsxSink {
    fn new(
        name: &str,
        columns: &[Heading],
    ) -> std::result::Result<XlsxSink, rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{Format as F, FormatAlign, FormatBorder};
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let mut sheet = workbook.new_worksheet_with_constant_memory()?;
        sheet.set_name(name)?;
        let heading = F::new()
            .set_bold()
            .set_background_color("D9E1F2")
            .set_border_bottom(FormatBorder::Thin);
        let identifier = F::new().set_num_format("@").set_align(FormatAlign::Top);
        for (col, column) in (0u16..).zip(columns) {
            let width = column.width.max(column.name.len() as f64 + 4.0);
            sheet.set_column_width(col, width)?;
            // Whatever is typed later into an empty identifier cell stays text too.
            if column.identifier {
                sheet.set_column_format(col, &identifier)?;
            }
            sheet.write_string_with_format(0, col, column.name, &heading)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(XlsxSink {
            workbook,
            sheet,
            columns: columns.len(),
            text: F::new().set_align(FormatAlign::Top),
            identifier,
            date: F::new()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left),
            count: F::new().set_num_format("0").set_align(FormatAlign::Top),
            money: F::new().set_num_format("#,##0").set_align(FormatAlign::Top),
            percent: F::new().set_num_format("0.0%").set_align(FormatAlign::Top),
            decimal: F::new().set_num_format("0.0").set_align(FormatAlign::Top),
            name: name.to_string(),
            chart: None,
            row: 0,
        })
    }

    fn row(&mut self, cells: &[Cell]) -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
        self.row += 1;
        let row = self.row;
        for (col, cell) in (0u16..).zip(cells) {
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    self.sheet
                        .write_string_with_format(row, col, excel_text(s), &self.text)?;
                }
                Cell::Identifier(s) => {
                    self.sheet.write_string_with_format(
                        row,
                        col,
                        excel_text(s),
                        &self.identifier,
                    )?;
                }
                Cell::Date(d) => match excel_date(*d) {
                    Some(date) => {
                        self.sheet
                            .write_datetime_with_format(row, col, date, &self.date)?;
                    }
                    None => {
                        let text = locale::iso_date(*d);
                        self.sheet
                            .write_string_with_format(row, col, text, &self.text)?;
                    }
                },
                Cell::JalaliDate(d) => {
                    self.sheet
                        .write_string_with_format(row, col, jalali_text(*d), &self.text)?;
                }
                Cell::Count(n) | Cell::Money(n) if n.abs() > XLSX_EXACT_NUMBER => {
                    self.sheet.write_string_with_format(
                        row,
                        col,
                        n.to_string(),
                        &self.identifier,
                    )?;
                }
                Cell::Count(n) => {
                    self.sheet
                        .write_number_with_format(row, col, *n as f64, &self.count)?;
                }
                Cell::Money(n) => {
                    self.sheet
                        .write_number_with_format(row, col, *n as f64, &self.money)?;
                }
                Cell::Percent(p) => {
                    self.sheet
                        .write_number_with_format(row, col, p / 100.0, &self.percent)?;
                }
                Cell::Decimal(x) => {
                    self.sheet
                        .write_number_with_format(row, col, *x, &self.decimal)?;
                }
            }
        }
        Ok(())
    }

    /// Puts the filter over the header and `rows` data rows, and saves the workbook to `file`.
    fn finish(
        mut self,
        file: &Path,
        rows: u64,
    ) -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
        let last_col = u16::try_from(self.columns.saturating_sub(1)).unwrap_or(0);
        let last_row = u32::try_from(rows).unwrap_or(u32::MAX);
        self.sheet.autofilter(0, 0, last_row, last_col)?;
        self.workbook.push_worksheet(self.sheet);
        if let Some(spec) = &self.chart
            && spec.rows > 0
        {
            let last_row = spec.rows.min(last_row).min(CHART_MOST_ROWS);
            use rust_xlsxwriter::{ChartType, Worksheet};
            let mut chart = rust_xlsxwriter::Chart::new(ChartType::Column);
            chart.title().set_name(spec.title.as_str());
            for &col in &spec.series {
                chart
                    .add_series()
                    .set_name((self.name.as_str(), 0, col))
                    .set_categories((self.name.as_str(), 1, 0, last_row, 0))
                    .set_values((self.name.as_str(), 1, col, last_row, col));
            }
            let mut sheet = Worksheet::new_chartsheet();
            sheet.set_name(sheet_name(&spec.sheet))?;
            sheet.insert_chart(0, 0, &chart)?;
            self.workbook.push_worksheet(sheet);
        }
        self.workbook.save(file)
    }
}

/// A date as Jalali text in Latin digits, `1370/05/12`, for spreadsheets to sort and scripts to
/// read.
fn jalali_text(day: NaiveDate) -> String {
    locale::date_in(day, Calendar::Jalali, Digits::Latin)
}

/// A sheet's name as Excel takes it: at most 31 characters, none of `[]:*?/\\`.
pub fn sheet_name(name: &str) -> String {
    name.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect()
}

/// Text as Excel keeps it: at most 32,767 characters.
fn excel_text(s: &str) -> &str {
    match s.char_indices().nth(XLSX_MAX_CHARS) {
        Some((end, _)) => &s[..end],
        None => s,
    }
}

/// A date as Excel's date serial, for the years Excel can show (1900-9999).
fn excel_date(d: NaiveDate) -> Option<rust_xlsxwriter::ExcelDateTime> {
    let year = u16::try_from(d.year())
        .ok()
        .filter(|y| (1900..=9999).contains(y))?;
    rust_xlsxwriter::ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8).ok()
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
    fn a_csv_table() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let path = folder.path().join("t.csv");
        let columns = [
            Heading {
                name: "name",
                width: 10.0,
                identifier: false,
            },
            Heading {
                name: "code",
                width: 10.0,
                identifier: true,
            },
            Heading {
                name: "day",
                width: 10.0,
                identifier: false,
            },
        ];
        let options = ExportOptions { bom: true };
        let mut file =
            Writer::create(&path, Format::Csv, "Sheet", &columns, &options).expect("created");
        let day = NaiveDate::from_ymd_opt(1991, 8, 3).expect("a date");
        file.row(&[
            Cell::Text("=x, y"),
            Cell::Identifier("007"),
            Cell::Date(day),
        ])
        .expect("a row");
        file.row(&[Cell::Empty, Cell::Money(-5), Cell::JalaliDate(day)])
            .expect("a row");
        assert_eq!(file.finish().expect("finished"), 2);
        let bytes = std::fs::read(&path).expect("the file");
        assert_eq!(
            bytes,
            b"\xEF\xBB\xBFname,code,day\r\n\"'=x, y\",007,1991-08-03\r\n,-5,1370/05/12\r\n"
        );
    }

    #[test]
    fn an_xlsx_sheet_has_a_row_limit() {
        assert!(check_rows(Format::Xlsx, XLSX_MAX_ROWS).is_ok());
        assert!(check_rows(Format::Xlsx, XLSX_MAX_ROWS + 1).is_err());
        assert!(check_rows(Format::Csv, XLSX_MAX_ROWS + 1).is_ok());
    }

    #[test]
    fn long_text_is_cut_for_excel() {
        let long = "ب".repeat(XLSX_MAX_CHARS + 10);
        assert_eq!(excel_text(&long).chars().count(), XLSX_MAX_CHARS);
        assert_eq!(excel_text("short"), "short");
    }
}
