//! Contacts out to xlsx or CSV, and in from CSV.
//!
//! Both formats have one column per field a user types, under a stable snake_case English header
//! (`kind`, `first_name`, …, `categories`), so a file re-imports whatever the language of the
//! person who made it. Lists (company type, field of activity, region) are written by the entry's
//! name and read back by name; categories as their paths (`Parent/Child`) joined with `; `.
//! Dates are Gregorian `YYYY-MM-DD`; in the Jalali calendar an export adds each date's Jalali text
//! beside it (`birth_date_jalali`: `1370/05/12`), which an import reads in place of a missing date
//! and otherwise checks against the date. Numbers are written without grouping.
//!
//! An export streams through the store a batch at a time (`contacts::batch`), and the xlsx is
//! written in constant-memory mode, so memory does not grow with the number of contacts. The file
//! is written beside its target and renamed over it when complete: a failed export leaves any
//! earlier file as it was.
//!
//! An import reads the whole CSV, checks every row (the store's own validation, lists by name,
//! duplicates against the store and within the file, length limits, formulas) and writes in one
//! transaction through `contacts::create`, so every contact gets its version and audit row. By
//! default one bad row means nothing is imported; `skip_invalid` imports the good rows.

use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use diesel::Connection as _;

use crate::db::Db;
use crate::domain::locale::{self, Calendar};
use crate::domain::{money, text, when};
use crate::error::FieldError;
use crate::store::contacts::{self, ContactFields, ContactFilter, ContactKind};
use crate::store::lookups::{self, List};
use crate::store::{Actor, Role, categories, names};
use crate::t;

use super::table::{self, Cell, Heading};
use super::{Error, ExportOptions, Format, Problem, Result};

/// Contacts read from the store at a time.
const BATCH: i64 = 1_000;

/// Length limits for imported cells, in characters. The store has no limits of its own yet.
pub mod limits {
    /// First name, last name, company name, and list entry names.
    pub const NAME: usize = 200;
    /// Identifiers and phone numbers.
    pub const IDENTIFIER: usize = 50;
    /// Short words: kind, gender, marital status, dates, numbers.
    pub const SHORT: usize = 50;
    pub const EMAIL: usize = 254;
    pub const WEBSITE: usize = 500;
    pub const ADDRESS: usize = 1_000;
    pub const NOTES: usize = 10_000;
    /// The categories cell (all paths together).
    pub const CATEGORIES: usize = 4_000;
}

/// One column of the file, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Kind,
    FirstName,
    LastName,
    NationalCode,
    BirthDate,
    /// The birth date as Jalali text, beside the date, in exports made in the Jalali calendar.
    BirthDateJalali,
    Gender,
    MaritalStatus,
    CompanyName,
    CompanyNationalId,
    EconomicCode,
    RegistrationNumber,
    RegistrationDate,
    /// The registration date as Jalali text, like [`Column::BirthDateJalali`].
    RegistrationDateJalali,
    CompanyType,
    ActivityField,
    StaffCount,
    Turnover,
    Phone,
    Fax,
    Mobile,
    Email,
    Website,
    PostalCode,
    Address,
    Region,
    Notes,
    Categories,
}

/// A column: what it holds, its header, its width in xlsx, and the most characters an import
/// takes in it.
struct Spec {
    column: Column,
    name: &'static str,
    width: f64,
    limit: usize,
}

const fn spec(column: Column, name: &'static str, width: f64, limit: usize) -> Spec {
    Spec {
        column,
        name,
        width,
        limit,
    }
}

/// The columns in file order.
const COLUMNS: &[Spec] = &[
    spec(Column::Kind, "kind", 10.0, limits::SHORT),
    spec(Column::FirstName, "first_name", 16.0, limits::NAME),
    spec(Column::LastName, "last_name", 18.0, limits::NAME),
    spec(
        Column::NationalCode,
        "national_code",
        16.0,
        limits::IDENTIFIER,
    ),
    spec(Column::BirthDate, "birth_date", 13.0, limits::SHORT),
    spec(
        Column::BirthDateJalali,
        "birth_date_jalali",
        18.0,
        limits::SHORT,
    ),
    spec(Column::Gender, "gender", 10.0, limits::SHORT),
    spec(Column::MaritalStatus, "marital_status", 16.0, limits::SHORT),
    spec(Column::CompanyName, "company_name", 32.0, limits::NAME),
    spec(
        Column::CompanyNationalId,
        "company_national_id",
        22.0,
        limits::IDENTIFIER,
    ),
    spec(
        Column::EconomicCode,
        "economic_code",
        16.0,
        limits::IDENTIFIER,
    ),
    spec(
        Column::RegistrationNumber,
        "registration_number",
        22.0,
        limits::IDENTIFIER,
    ),
    spec(
        Column::RegistrationDate,
        "registration_date",
        20.0,
        limits::SHORT,
    ),
    spec(
        Column::RegistrationDateJalali,
        "registration_date_jalali",
        25.0,
        limits::SHORT,
    ),
    spec(Column::CompanyType, "company_type", 28.0, limits::NAME),
    spec(Column::ActivityField, "activity_field", 28.0, limits::NAME),
    spec(Column::StaffCount, "staff_count", 14.0, limits::SHORT),
    spec(Column::Turnover, "turnover", 22.0, limits::SHORT),
    spec(Column::Phone, "phone", 16.0, limits::IDENTIFIER),
    spec(Column::Fax, "fax", 16.0, limits::IDENTIFIER),
    spec(Column::Mobile, "mobile", 14.0, limits::IDENTIFIER),
    spec(Column::Email, "email", 30.0, limits::EMAIL),
    spec(Column::Website, "website", 26.0, limits::WEBSITE),
    spec(Column::PostalCode, "postal_code", 14.0, limits::IDENTIFIER),
    spec(Column::Address, "address", 42.0, limits::ADDRESS),
    spec(Column::Region, "region", 18.0, limits::NAME),
    spec(Column::Notes, "notes", 42.0, limits::NOTES),
    spec(Column::Categories, "categories", 32.0, limits::CATEGORIES),
];

/// The header an export writes in the calendar in force, in order.
pub fn header() -> Vec<&'static str> {
    exported_columns().iter().map(|c| c.name).collect()
}

/// The date a Jalali column repeats.
fn jalali_of(column: Column) -> Option<Column> {
    match column {
        Column::BirthDateJalali => Some(Column::BirthDate),
        Column::RegistrationDateJalali => Some(Column::RegistrationDate),
        _ => None,
    }
}

/// The columns an export writes: every one, the Jalali text of the dates only when the calendar
/// in force is Jalali.
fn exported_columns() -> Vec<&'static Spec> {
    let jalali = locale::calendar() == Calendar::Jalali;
    COLUMNS
        .iter()
        .filter(|c| jalali || jalali_of(c.column).is_none())
        .collect()
}

/// What separates a contact's category paths in the categories cell.
pub const CATEGORY_SEPARATOR: &str = "; ";

// ---------------------------------------------------------------------------------------------
// Export

fn cell<'a>(
    field: Column,
    f: &'a ContactFields,
    lists: &'a HashMap<i64, String>,
    categories: &'a str,
) -> Cell<'a> {
    let text = |v: &'a Option<String>| v.as_deref().map_or(Cell::Empty, Cell::Text);
    let identifier = |v: &'a Option<String>| v.as_deref().map_or(Cell::Empty, Cell::Identifier);
    let list = |id: Option<i64>| {
        id.and_then(|id| lists.get(&id))
            .map_or(Cell::Empty, |name| Cell::Text(name))
    };
    let date = |d: Option<NaiveDate>| d.map_or(Cell::Empty, Cell::Date);
    let jalali = |d: Option<NaiveDate>| d.map_or(Cell::Empty, Cell::JalaliDate);
    match field {
        Column::Kind => Cell::Text(&f.kind),
        Column::FirstName => text(&f.first_name),
        Column::LastName => text(&f.last_name),
        Column::NationalCode => identifier(&f.national_code),
        Column::BirthDate => date(f.birth_date),
        Column::BirthDateJalali => jalali(f.birth_date),
        Column::Gender => text(&f.gender),
        Column::MaritalStatus => text(&f.marital_status),
        Column::CompanyName => text(&f.company_name),
        Column::CompanyNationalId => identifier(&f.company_national_id),
        Column::EconomicCode => identifier(&f.economic_code),
        Column::RegistrationNumber => identifier(&f.registration_number),
        Column::RegistrationDate => date(f.registration_date),
        Column::RegistrationDateJalali => jalali(f.registration_date),
        Column::CompanyType => list(f.company_type_id),
        Column::ActivityField => list(f.activity_field_id),
        Column::StaffCount => f.staff_count.map_or(Cell::Empty, Cell::Count),
        Column::Turnover => f.turnover.map_or(Cell::Empty, Cell::Money),
        Column::Phone => identifier(&f.phone),
        Column::Fax => identifier(&f.fax),
        Column::Mobile => identifier(&f.mobile),
        Column::Email => text(&f.email),
        Column::Website => text(&f.website),
        Column::PostalCode => identifier(&f.postal_code),
        Column::Address => text(&f.address),
        Column::Region => list(f.region_id),
        Column::Notes => text(&f.notes),
        Column::Categories if categories.is_empty() => Cell::Empty,
        Column::Categories => Cell::Text(categories),
    }
}

/// Writes the contacts `filter` lets through to `path` in `format`, calling `progress(done,
/// total)` after each batch; returns how many rows were written. Used by `peygir export
/// contacts` and the Contacts pane.
pub fn export_contacts(
    db: &mut Db,
    filter: &ContactFilter,
    format: Format,
    path: &Path,
    options: &ExportOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<u64> {
    let total = u64::try_from(contacts::count(db, filter)?).unwrap_or(0);
    table::check_rows(format, total)?;
    let columns = exported_columns();
    let headings: Vec<Heading> = columns
        .iter()
        .map(|c| Heading {
            name: c.name,
            width: c.width,
            identifier: is_identifier(c.column),
        })
        .collect();
    let sheet = t!("exchange.sheet.contacts");
    let mut file = table::Writer::create(path, format, &sheet, &headings, options)?;
    progress(0, total);
    let mut after = 0;
    let mut done: u64 = 0;
    loop {
        let batch = contacts::batch(db, filter, after, BATCH)?;
        let Some(last) = batch.last() else {
            break;
        };
        after = last.id;
        let ids: Vec<i64> = batch.iter().map(|c| c.id).collect();
        let paths = categories::paths_by_contact(db, &ids)?;
        let lists = names::lookups(
            db,
            batch
                .iter()
                .flat_map(|c| {
                    [
                        c.fields.company_type_id,
                        c.fields.activity_field_id,
                        c.fields.region_id,
                    ]
                })
                .flatten(),
        )?;
        for contact in &batch {
            let joined = paths
                .get(&contact.id)
                .map(|p| p.join(CATEGORY_SEPARATOR))
                .unwrap_or_default();
            let row: Vec<Cell> = columns
                .iter()
                .map(|c| cell(c.column, &contact.fields, &lists, &joined))
                .collect();
            file.row(&row)?;
            done += 1;
        }
        progress(done, total.max(done));
    }
    file.finish()
}

/// Whether a column holds digits that are not a quantity (codes, phone numbers).
fn is_identifier(column: Column) -> bool {
    matches!(
        column,
        Column::NationalCode
            | Column::CompanyNationalId
            | Column::EconomicCode
            | Column::RegistrationNumber
            | Column::Phone
            | Column::Fax
            | Column::Mobile
            | Column::PostalCode
    )
}

// ---------------------------------------------------------------------------------------------
// Import

/// How an import runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// Import the good rows even when some are bad.
    pub skip_invalid: bool,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Data rows in the file (rows with every cell empty are not counted).
    pub rows: u64,
    /// Rows with at least one problem.
    pub bad_rows: u64,
    /// Contacts that were stored (or, on a dry run or a refused import, would have been).
    pub imported: u64,
    /// Whether anything was written: false on a dry run and when bad rows stopped the import.
    pub written: bool,
    /// Every problem, in row order.
    pub problems: Vec<Problem>,
}

/// Imports the CSV file at `path`. See [`import_contacts_from_bytes`].
pub fn import_contacts(
    db: &mut Db,
    actor: &Actor,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ImportReport> {
    let bytes = std::fs::read(path).map_err(|e| Error::Read {
        file: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    import_contacts_from_bytes(db, actor, path, &bytes, options, progress)
}

/// Imports contacts from CSV `bytes` (named `file` in messages), calling `progress(done, total)`
/// as rows are stored. A file that cannot be read as a table (not UTF-8, broken quotes, a bad
/// header) is refused whole with `Error::Refused`; problems of single rows are in the report.
pub fn import_contacts_from_bytes(
    db: &mut Db,
    actor: &Actor,
    file: &Path,
    bytes: &[u8],
    options: &ImportOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ImportReport> {
    actor.require(Role::Agent, "import contacts")?;
    let refused = |problems: Vec<Problem>| Error::Refused {
        file: file.to_path_buf(),
        problems,
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    check_shape(bytes).map_err(|p| refused(vec![p]))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(record)) => record,
        Some(Err(e)) => return Err(refused(vec![Problem::row(1, e.to_string())])),
        None => {
            return Err(refused(vec![Problem::row(
                1,
                t!("exchange.invalid.empty-file"),
            )]));
        }
    };
    let columns = read_header(&header).map_err(refused)?;

    let lists = Lists::load(db)?;
    let mut report = ImportReport::default();
    let mut rows: Vec<(u64, ContactFields, Vec<String>)> = Vec::new();
    let mut seen = Seen::default();
    for (number, record) in (2u64..).zip(records) {
        let record = match record {
            Ok(record) => record,
            Err(e) => return Err(refused(vec![Problem::row(number, e.to_string())])),
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        report.rows += 1;
        if record.len() != header.len() {
            report.problems.push(Problem::row(
                number,
                t!(
                    "exchange.invalid.cell-count",
                    found = record.len(),
                    expected = header.len()
                ),
            ));
            report.bad_rows += 1;
            continue;
        }
        let (fields, paths, mut problems) = read_row(number, &record, &columns, &lists);
        let fields = match fields.prepare() {
            Ok(prepared) => Some(prepared),
            Err(crate::error::Error::Invalid(errors)) => {
                for e in errors {
                    let column = column_of(&e);
                    if !problems
                        .iter()
                        .any(|p| p.column.as_deref() == Some(&column))
                    {
                        problems.push(Problem::cell(number, column, e.reason));
                    }
                }
                None
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(fields) = &fields {
            seen.check(number, fields, &mut problems);
        }
        match fields {
            Some(fields) if problems.is_empty() => rows.push((number, fields, paths)),
            _ => {
                report.bad_rows += 1;
                // In the order of the file's columns, as the user reads the row.
                problems.sort_by_key(|p| {
                    columns
                        .iter()
                        .position(|&c| p.column.as_deref() == Some(name_of(c)))
                        .unwrap_or(usize::MAX)
                });
                report.problems.extend(problems);
            }
        }
    }

    let total = rows.len() as u64;
    progress(0, total);
    let outcome = db.transaction::<_, Abort, _>(|db| {
        let mut report = report;
        let mut done = 0;
        let mut known = HashMap::new();
        for (number, fields, paths) in rows {
            match store_row(db, actor, fields, &paths, &mut known) {
                Ok(()) => report.imported += 1,
                Err(crate::error::Error::Invalid(errors)) => {
                    report.bad_rows += 1;
                    for e in errors {
                        report
                            .problems
                            .push(Problem::cell(number, column_of(&e), e.reason));
                    }
                }
                Err(e) => return Err(Abort::Failed(e.into())),
            }
            done += 1;
            if done % 100 == 0 || done == total {
                progress(done, total);
            }
        }
        report.problems.sort_by_key(|p| p.row);
        if options.dry_run || (report.bad_rows > 0 && !options.skip_invalid) {
            return Err(Abort::RolledBack(report));
        }
        report.written = true;
        Ok(report)
    });
    match outcome {
        Ok(report) | Err(Abort::RolledBack(report)) => Ok(report),
        Err(Abort::Failed(e)) => Err(e),
    }
}

/// Why the import's transaction did not commit.
enum Abort {
    /// On purpose: a dry run, or bad rows without `skip_invalid`.
    RolledBack(ImportReport),
    Failed(Error),
}

impl From<diesel::result::Error> for Abort {
    fn from(e: diesel::result::Error) -> Abort {
        Abort::Failed(e.into())
    }
}

/// Stores one row: the contact and its filings, all or nothing. `known` holds the ids of the
/// category paths earlier rows were filed under (each path is made once).
fn store_row(
    db: &mut Db,
    actor: &Actor,
    fields: ContactFields,
    paths: &[String],
    known: &mut HashMap<String, i64>,
) -> crate::error::Result<()> {
    if paths.is_empty() {
        // `create` is all or nothing by itself.
        return contacts::create(db, actor, fields).map(|_| ());
    }
    let ids = db.transaction(|db| {
        let contact = contacts::create(db, actor, fields)?;
        let mut ids = Vec::with_capacity(paths.len());
        for path in paths {
            let id = match known.get(path) {
                Some(&id) => id,
                None => categories::ensure_path(db, actor, path)?,
            };
            ids.push(id);
        }
        categories::set_for_contact(db, actor, contact.id, &ids)?;
        Ok::<_, crate::error::Error>(ids)
    })?;
    // Only once the row is in: a row rolled back may have made the node it named.
    for (path, id) in paths.iter().zip(ids) {
        known.insert(path.clone(), id);
    }
    Ok(())
}

/// A column's header.
fn name_of(column: Column) -> &'static str {
    COLUMNS
        .iter()
        .find(|c| c.column == column)
        .map_or("", |c| c.name)
}

/// The column a store validation error is about: a field key `field.national-code` names the
/// column `national_code`; category errors are about `categories`.
fn column_of(error: &FieldError) -> String {
    if error.field.starts_with("field.category") {
        return "categories".to_string();
    }
    let name = error
        .field
        .strip_prefix("field.")
        .unwrap_or(error.field)
        .replace('-', "_");
    if COLUMNS.iter().any(|c| c.name == name) {
        name
    } else {
        crate::i18n::tr(error.field).to_string()
    }
}

/// Refuses what the csv reader would quietly accept: bytes that are not UTF-8, a quote inside
/// an unquoted cell, text after a closing quote, and a quote that is never closed. Rows are
/// counted as the csv reader counts records (empty lines are skipped).
fn check_shape(bytes: &[u8]) -> std::result::Result<(), Problem> {
    let bad_byte = std::str::from_utf8(bytes).err().map(|e| e.valid_up_to());
    let (mut row, mut col) = (1u64, 1u64);
    let mut line_has_data = false;
    let mut field_start = true;
    let mut in_quotes = false;
    let mut after_quote = false;
    let mut opened_at = (1u64, 1u64);
    let column = |col: u64| col_name(bytes, col);
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

/// The header's name of column `col` (from 1), or its number when the header does not say.
fn col_name(bytes: &[u8], col: u64) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    if let Ok(true) = reader.read_byte_record(&mut record)
        && let Some(name) = usize::try_from(col - 1).ok().and_then(|i| record.get(i))
        && let Ok(name) = std::str::from_utf8(name)
        && COLUMNS.iter().any(|c| c.name == name.trim())
    {
        return name.trim().to_string();
    }
    col.to_string()
}

/// The header's columns as fields, by position; every problem with it.
fn read_header(header: &csv::StringRecord) -> std::result::Result<Vec<Column>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut fields: Vec<Column> = Vec::new();
    for (position, name) in (1u64..).zip(header.iter()) {
        let wanted = name.trim().to_ascii_lowercase();
        match COLUMNS.iter().find(|c| c.name == wanted) {
            Some(spec) if fields.contains(&spec.column) => problems.push(Problem::cell(
                1,
                spec.name,
                t!("exchange.invalid.duplicate-column"),
            )),
            Some(spec) => fields.push(spec.column),
            None => problems.push(Problem::cell(
                1,
                if name.trim().is_empty() {
                    position.to_string()
                } else {
                    name.trim().to_string()
                },
                t!("exchange.invalid.unknown-column", columns = header_list()),
            )),
        }
    }
    if !fields.contains(&Column::Kind) {
        problems.push(Problem::row(
            1,
            t!("exchange.invalid.missing-column", column = "kind"),
        ));
    }
    if !fields.contains(&Column::LastName) && !fields.contains(&Column::CompanyName) {
        problems.push(Problem::row(
            1,
            t!(
                "exchange.invalid.missing-column",
                column = "last_name / company_name"
            ),
        ));
    }
    if problems.is_empty() {
        Ok(fields)
    } else {
        Err(problems)
    }
}

/// Every column an import knows, for the message about one it does not.
fn header_list() -> String {
    COLUMNS
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The entries of the lists a contact points at, to find by name.
struct Lists {
    company_types: Vec<lookups::Lookup>,
    activity_fields: Vec<lookups::Lookup>,
    regions: Vec<lookups::Lookup>,
}

impl Lists {
    fn load(db: &mut Db) -> Result<Lists> {
        Ok(Lists {
            company_types: lookups::items(db, List::CompanyType)?,
            activity_fields: lookups::items(db, List::ActivityField)?,
            regions: lookups::items(db, List::Region)?,
        })
    }

    /// The entry called `value`: by exact name, then by name compared Persian-normalised and
    /// without case, then by code.
    fn find(entries: &[lookups::Lookup], value: &str) -> std::result::Result<i64, String> {
        let pick = |matches: Vec<i64>| match matches.as_slice() {
            [] => None,
            [id] => Some(Ok(*id)),
            _ => Some(Err(t!("exchange.invalid.ambiguous-entry", value = value))),
        };
        let key = text::search_key(value);
        let tries: [&dyn Fn(&lookups::Lookup) -> bool; 3] = [
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
}

/// One row's cells as contact fields and category paths, with every problem found on the way.
fn read_row(
    number: u64,
    record: &csv::StringRecord,
    columns: &[Column],
    lists: &Lists,
) -> (ContactFields, Vec<String>, Vec<Problem>) {
    let mut fields = ContactFields::default();
    let mut paths = Vec::new();
    let mut problems = Vec::new();
    let mut jalali: Vec<(Column, &str, Option<NaiveDate>)> = Vec::new();
    for (&field, raw) in columns.iter().zip(record.iter()) {
        let Some(&Spec { name, limit, .. }) = COLUMNS.iter().find(|c| c.column == field) else {
            continue;
        };
        let length = raw.chars().count();
        if length > limit {
            problems.push(Problem::cell(
                number,
                name,
                t!("exchange.invalid.too-long", length = length, limit = limit),
            ));
            continue;
        }
        let value = match table::from_csv_cell(raw) {
            Ok(value) => value.trim(),
            Err(start) => {
                problems.push(Problem::cell(
                    number,
                    name,
                    t!("exchange.invalid.formula", start = start),
                ));
                continue;
            }
        };
        if jalali_of(field).is_some() {
            match jalali_date(value) {
                Ok(day) => jalali.push((field, name, day)),
                Err(reason) => problems.push(Problem::cell(number, name, reason)),
            }
            continue;
        }
        if let Err(reason) = set(&mut fields, &mut paths, field, value, lists) {
            problems.push(Problem::cell(number, name, reason));
        }
    }
    // The Jalali text of a date stands in for the date when the row has none, and must agree
    // with it when it has one: an edit to one of the two is never silently lost.
    for (field, name, day) in jalali {
        let (Some(main), Some(day)) = (jalali_of(field), day) else {
            continue;
        };
        let date = match main {
            Column::BirthDate => &mut fields.birth_date,
            _ => &mut fields.registration_date,
        };
        match *date {
            None => *date = Some(day),
            Some(gregorian) if gregorian == day => {}
            Some(_) => problems.push(Problem::cell(
                number,
                name,
                t!("exchange.invalid.jalali-differs", column = name_of(main)),
            )),
        }
    }
    (fields, paths, problems)
}

/// A Jalali date (`1370/05/12`, any digit script); empty is no date.
fn jalali_date(value: &str) -> std::result::Result<Option<NaiveDate>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    let today = chrono::Utc::now().date_naive();
    when::parse_date_in(value, today, Calendar::Jalali)
        .map(Some)
        .map_err(|_| t!("exchange.invalid.jalali-not-date", value = value))
}

/// Puts one cell's value into the fields; the reason when it cannot be read.
fn set(
    f: &mut ContactFields,
    paths: &mut Vec<String>,
    field: Column,
    value: &str,
    lists: &Lists,
) -> std::result::Result<(), String> {
    let text = || (!value.is_empty()).then(|| value.to_string());
    let list = |entries: &[lookups::Lookup]| {
        if value.is_empty() {
            Ok(None)
        } else {
            Lists::find(entries, value).map(Some)
        }
    };
    match field {
        Column::Kind => {
            let kind = ContactKind::parse(&value.to_ascii_lowercase())
                .ok_or_else(|| t!("exchange.invalid.kind", value = value))?;
            f.kind = kind.as_str().to_string();
        }
        Column::FirstName => f.first_name = text(),
        Column::LastName => f.last_name = text(),
        Column::NationalCode => f.national_code = text(),
        Column::BirthDate => f.birth_date = date(value)?,
        Column::Gender => f.gender = text(),
        Column::MaritalStatus => f.marital_status = text(),
        Column::CompanyName => f.company_name = text(),
        Column::CompanyNationalId => f.company_national_id = text(),
        Column::EconomicCode => f.economic_code = text(),
        Column::RegistrationNumber => f.registration_number = text(),
        Column::RegistrationDate => f.registration_date = date(value)?,
        Column::CompanyType => f.company_type_id = list(&lists.company_types)?,
        Column::ActivityField => f.activity_field_id = list(&lists.activity_fields)?,
        Column::StaffCount => f.staff_count = number(value)?,
        Column::Turnover => f.turnover = number(value)?,
        Column::Phone => f.phone = text(),
        Column::Fax => f.fax = text(),
        Column::Mobile => f.mobile = text(),
        Column::Email => f.email = text(),
        Column::Website => f.website = text(),
        Column::PostalCode => f.postal_code = text(),
        Column::Address => f.address = text(),
        Column::Region => f.region_id = list(&lists.regions)?,
        Column::Notes => f.notes = text(),
        Column::BirthDateJalali | Column::RegistrationDateJalali => {}
        Column::Categories => {
            *paths = value
                .split(';')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(String::from)
                .collect();
        }
    }
    Ok(())
}

/// A Gregorian `YYYY-MM-DD` (or `YYYY/MM/DD`, any digit script); empty is no date.
fn date(value: &str) -> std::result::Result<Option<NaiveDate>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    let ascii = text::ascii_digits(value);
    let parts: Vec<&str> = ascii.split(['-', '/']).collect();
    let parsed = match parts.as_slice() {
        [y, m, d]
            if y.len() == 4
                && (1..=2).contains(&m.len())
                && (1..=2).contains(&d.len())
                && [y, m, d]
                    .iter()
                    .all(|p| p.bytes().all(|b| b.is_ascii_digit())) =>
        {
            let num = |s: &str| s.parse::<u32>().unwrap_or(0);
            i32::try_from(num(y))
                .ok()
                .and_then(|y| NaiveDate::from_ymd_opt(y, num(m), num(d)))
        }
        _ => None,
    };
    match parsed {
        Some(d) if d.year() < 1800 => Err(t!("exchange.invalid.jalali-date", value = value)),
        Some(d) => Ok(Some(d)),
        None => Err(t!("exchange.invalid.date", value = value)),
    }
}

/// A whole number (thousands separators and any digit script allowed); empty is none.
fn number(value: &str) -> std::result::Result<Option<i64>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    match money::parse_whole(value) {
        Ok(n) => Ok(Some(n)),
        Err(money::NumberError::TooLarge) => Err(t!("exchange.invalid.too-large", value = value)),
        Err(money::NumberError::NotANumber) => Err(t!("exchange.invalid.number", value = value)),
    }
}

/// The national codes and company IDs met so far in the file, with the row of each.
#[derive(Default)]
struct Seen {
    national_codes: HashMap<String, u64>,
    company_ids: HashMap<String, u64>,
}

impl Seen {
    fn check(&mut self, number: u64, fields: &ContactFields, problems: &mut Vec<Problem>) {
        let pairs = [
            (
                &fields.national_code,
                &mut self.national_codes,
                "national_code",
            ),
            (
                &fields.company_national_id,
                &mut self.company_ids,
                "company_national_id",
            ),
        ];
        for (value, seen, column) in pairs {
            let Some(value) = value else {
                continue;
            };
            match seen.get(value) {
                Some(&first) => problems.push(Problem::cell(
                    number,
                    column,
                    t!("exchange.invalid.same-as-row", value = value, row = first),
                )),
                None => {
                    seen.insert(value.clone(), number);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::locale::Digits;

    #[test]
    fn every_field_has_one_column() {
        assert_eq!(header().len(), 26);
        let jalali = locale::with(Calendar::Jalali, Digits::Latin, header);
        assert_eq!(jalali.len(), 28);
        let mut names = jalali;
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COLUMNS.len());
        for (i, a) in COLUMNS.iter().enumerate() {
            for b in &COLUMNS[i + 1..] {
                assert_ne!(a.column, b.column);
            }
        }
    }

    #[test]
    fn shapes() {
        assert!(check_shape(b"kind,last_name\r\nperson,\"A, \"\"B\"\"\"\r\n").is_ok());
        assert!(check_shape(b"kind,last_name\n\nperson,x\n").is_ok());
        let p = check_shape(b"kind,last_name\nperson,\"open\n").expect_err("unclosed");
        assert_eq!((p.row, p.column.as_deref()), (2, Some("last_name")));
        let p = check_shape(b"kind,last_name\nperson,a\"b\n").expect_err("stray");
        assert_eq!((p.row, p.column.as_deref()), (2, Some("last_name")));
        let p = check_shape(b"kind,last_name\n\"person\"x,a\n").expect_err("after");
        assert_eq!((p.row, p.column.as_deref()), (2, Some("kind")));
        let p = check_shape(b"kind,last_name\r\nperson,\"a\nb\"\r\nperson,R\xe9za\r\n")
            .expect_err("latin-1");
        assert_eq!((p.row, p.column.as_deref()), (3, Some("last_name")));
        assert!(p.reason.contains("39"), "{}", p.reason);
    }

    #[test]
    fn dates_and_numbers() {
        assert_eq!(date(""), Ok(None));
        assert_eq!(date("1990-03-05"), Ok(NaiveDate::from_ymd_opt(1990, 3, 5)));
        assert_eq!(date("۱۹۹۰/۳/۵"), Ok(NaiveDate::from_ymd_opt(1990, 3, 5)));
        assert!(date("1369-12-15").is_err());
        assert!(date("1990-02-30").is_err());
        assert!(date("05/03/1990").is_err());
        assert_eq!(number("1,250,000"), Ok(Some(1_250_000)));
        assert!(number("12a").is_err());
        assert!(number("99999999999999999999").is_err());
    }
}
