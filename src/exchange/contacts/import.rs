//! Contacts in from CSV: the file's shape and header, each row read and checked, and the good
//! rows stored in one transaction.

use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::{COLUMNS, Column, Spec, jalali_of, name_of};
use crate::db::Db;
use crate::db::ids::CategoryId;
use crate::domain::locale::Calendar;
use crate::domain::{text, when};
use crate::error::FieldError;
use crate::exchange::{
    CsvTable, Error, Problem, Result, cell_value, header_columns, list_entry, read_csv,
    whole_number,
};
use crate::store::contacts::{self, ContactFields, ContactKind, Prepared};
use crate::store::lookups::{self, List};
use crate::store::{Actor, Role, categories};
use crate::t;

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
    /// Records (contacts, sales) that were stored (or, on a dry run or a refused import, would
    /// have been).
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
///
/// Every row is checked before anything is written: its cells, the store's validation, the
/// national codes and company IDs met earlier in the file and those already on file (in a few
/// queries, `contacts::duplicates`). The good rows are then stored in one write transaction, in a
/// few multi-row statements for them all (`contacts::create_many`,
/// `categories::file_new_contacts`), with the rows and audit rows storing each alone writes.
pub fn import_contacts_from_bytes(
    db: &mut Db,
    actor: &Actor,
    file: &Path,
    bytes: &[u8],
    options: &ImportOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ImportReport> {
    actor.require(Role::Agent, "import contacts")?;
    let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    let table = read_csv(file, bytes, &names)?;
    let columns = read_header(&table.header).map_err(|problems| Error::Refused {
        file: file.to_path_buf(),
        problems,
    })?;
    let lists = Lists::load(db)?;
    let check = || check_rows(&table, &columns, &lists);

    let (mut report, mut rows) = check()?;
    if options.dry_run {
        // A dry run reads the store and writes nothing.
        check_against_store(db, &mut rows, &mut report)?;
        let total = rows.len() as u64;
        report.imported = total;
        progress(0, total);
        progress(total, total);
        return Ok(report);
    }
    let outcome = crate::store::write(db, |db| {
        check_against_store(db, &mut rows, &mut report)?;
        let total = rows.len() as u64;
        report.imported = total;
        if report.bad_rows > 0 && !options.skip_invalid {
            return Ok(report);
        }
        progress(0, total);
        store_rows(db, actor, rows, &mut |done| progress(done, total))?;
        progress(total, total);
        report.written = true;
        Ok(report)
    });
    match outcome {
        Ok(report) => Ok(report),
        // Another session stored a clashing contact between the check and the insert, and the
        // store's unique index refused the insert: nothing was written. Checked again, the clash
        // is reported by row like any other duplicate, and the import is refused whole.
        Err(e) if is_unique_violation(&e) => {
            let (mut report, mut rows) = check()?;
            check_against_store(db, &mut rows, &mut report)?;
            if report.bad_rows == 0 {
                return Err(e.into());
            }
            report.imported = rows.len() as u64;
            Ok(report)
        }
        Err(e) => Err(e.into()),
    }
}

/// The rows that passed every check so far: each row's number in the file, its fields (prepared)
/// and its category paths.
#[derive(Default)]
struct Rows {
    numbers: Vec<u64>,
    contacts: Vec<Prepared>,
    paths: Vec<Vec<String>>,
}

impl Rows {
    fn with_capacity(rows: usize) -> Rows {
        Rows {
            numbers: Vec::with_capacity(rows),
            contacts: Vec::with_capacity(rows),
            paths: Vec::with_capacity(rows),
        }
    }

    fn push(&mut self, number: u64, contact: Prepared, paths: Vec<String>) {
        self.numbers.push(number);
        self.contacts.push(contact);
        self.paths.push(paths);
    }

    fn len(&self) -> usize {
        self.numbers.len()
    }

    /// Keeps the rows `keep` says yes to, by index.
    fn retain(&mut self, keep: impl Fn(usize) -> bool) {
        let rows = std::mem::take(self);
        let all = rows.numbers.into_iter().zip(rows.contacts).zip(rows.paths);
        for (index, ((number, contact), paths)) in all.enumerate() {
            if keep(index) {
                self.push(number, contact, paths);
            }
        }
    }
}

/// How many rows are read and checked at a time: a block's results join the good rows before the
/// next block is read, so that memory holds one block's results beside them, not the file's.
const BLOCK: usize = 20_000;

/// Reads and checks every row of the file, without the store's contacts: the report of the bad
/// rows so far, and the good rows. Each row is read and checked on its own, a share of a block's
/// rows on each core ([`check_each`]); what spans rows (a national code or company ID met in an
/// earlier row) is then checked in file order.
fn check_rows(table: &CsvTable, columns: &[Column], lists: &Lists) -> Result<(ImportReport, Rows)> {
    let mut report = ImportReport::default();
    let mut rows = Rows::with_capacity(table.rows.len());
    let mut seen = Seen::default();
    let checked = table.rows.chunks(BLOCK).map(|block| {
        let checked = check_each(table, block, columns, lists);
        checked.map(|checked| block.iter().zip(checked))
    });
    for block in checked {
        for (&(number, _), checked) in block? {
            report.rows += 1;
            let Checked {
                contact,
                paths,
                mut problems,
            } = checked;
            if let Some(contact) = &contact {
                seen.check(number, contact.fields(), &mut problems);
            }
            match contact {
                Some(contact) if problems.is_empty() => rows.push(number, contact, paths),
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
    }
    Ok((report, rows))
}

/// A row read and checked on its own: the contact when its fields are valid, its category
/// paths, and the problems found (a row with another number of cells than the header has only
/// that one).
struct Checked {
    contact: Option<Prepared>,
    paths: Vec<String>,
    problems: Vec<Problem>,
}

/// Below this many rows a block is checked on one thread.
const ROWS_PER_THREAD: usize = 5_000;

/// `rows` of the table, each read and checked on its own, in file order: on several threads for
/// many rows (at most one a core), each in the language, calendar and digits of the caller's.
fn check_each(
    table: &CsvTable,
    rows: &[(u64, csv::StringRecord)],
    columns: &[Column],
    lists: &Lists,
) -> Result<Vec<Checked>> {
    let check = |rows: &[(u64, csv::StringRecord)]| -> Result<Vec<Checked>> {
        rows.iter()
            .map(|(number, record)| check_row(table, *number, record, columns, lists))
            .collect()
    };
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let threads = cores.min(rows.len() / ROWS_PER_THREAD).max(1);
    if threads == 1 {
        return check(rows);
    }
    let (lang, calendar, digits) = (
        crate::i18n::lang(),
        crate::domain::locale::calendar(),
        crate::domain::locale::digits(),
    );
    let share = rows.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = rows
            .chunks(share)
            .map(|rows| {
                scope.spawn(move || {
                    crate::i18n::with_lang(lang, || {
                        crate::domain::locale::with(calendar, digits, || check(rows))
                    })
                })
            })
            .collect();
        let mut all = Vec::with_capacity(rows.len());
        for worker in workers {
            let checked = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            all.extend(checked);
        }
        Ok(all)
    })
}

/// One row read and checked on its own: its cells, the store's validation of its fields, and
/// its category paths.
fn check_row(
    table: &CsvTable,
    number: u64,
    record: &csv::StringRecord,
    columns: &[Column],
    lists: &Lists,
) -> Result<Checked> {
    if let Some(problem) = table.misshapen(number, record) {
        return Ok(Checked {
            contact: None,
            paths: Vec::new(),
            problems: vec![problem],
        });
    }
    let (fields, paths, mut problems) = read_row(number, record, columns, lists);
    let mut errors = Vec::new();
    let contact = match fields.prepared() {
        Ok(prepared) => Some(prepared),
        Err(crate::error::Error::Invalid(found)) => {
            errors = found;
            None
        }
        Err(e) => return Err(e.into()),
    };
    // A path that names no category, as storing the row would find.
    for path in &paths {
        match categories::check_path(path) {
            Ok(()) => {}
            Err(crate::error::Error::Invalid(found)) => errors.extend(found),
            Err(e) => return Err(e.into()),
        }
    }
    for e in errors {
        let column = column_of(&e);
        if !problems
            .iter()
            .any(|p| p.column.as_deref() == Some(&column))
        {
            problems.push(Problem::cell(number, column, e.reason));
        }
    }
    Ok(Checked {
        contact,
        paths,
        problems,
    })
}

/// Checks the good rows' national codes and company IDs against the contacts on file (in a few
/// queries): a row whose value another contact has is reported as a bad row, naming that
/// contact, and leaves `rows`. The problems end in row order.
fn check_against_store(
    db: &mut Db,
    rows: &mut Rows,
    report: &mut ImportReport,
) -> crate::error::Result<()> {
    let found = contacts::duplicates(db, &rows.contacts)?;
    let mut bad = vec![false; rows.len()];
    for (index, e) in found {
        if !bad[index] {
            bad[index] = true;
            report.bad_rows += 1;
        }
        report
            .problems
            .push(Problem::cell(rows.numbers[index], column_of(&e), e.reason));
    }
    if bad.contains(&true) {
        rows.retain(|index| !bad[index]);
        report.problems.sort_by_key(|p| p.row);
    }
    Ok(())
}

/// Stores the checked rows, in the transaction the caller runs: the contacts and their audit rows
/// in a few multi-row statements, each category path once, then every filing at once.
/// `progress(done)` as the contacts are stored.
fn store_rows(
    db: &mut Db,
    actor: &Actor,
    rows: Rows,
    progress: &mut dyn FnMut(u64),
) -> crate::error::Result<()> {
    let Rows {
        contacts, paths, ..
    } = rows;
    let ids = contacts::create_many(db, actor, contacts, &mut |done| progress(done as u64))?;
    let mut nodes: HashMap<String, CategoryId> = HashMap::new();
    let mut filings = Vec::new();
    for (id, paths) in ids.into_iter().zip(paths) {
        if paths.is_empty() {
            continue;
        }
        let mut filed = Vec::with_capacity(paths.len());
        for path in paths {
            let node = match nodes.get(&path) {
                Some(&node) => node,
                None => {
                    let node = categories::ensure_path(db, actor, &path)?;
                    nodes.insert(path, node);
                    node
                }
            };
            filed.push(node);
        }
        filings.push((id, filed));
    }
    categories::file_new_contacts(db, actor, &filings)
}

/// Whether the store refused a write for a value a unique index already holds.
fn is_unique_violation(error: &crate::error::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error as Diesel};
    matches!(
        error,
        crate::error::Error::Database(Diesel::DatabaseError(DatabaseErrorKind::UniqueViolation, _))
    )
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

/// Refuses what the csv reader would quietly accept ([`crate::exchange::check_shape`]), naming
/// a cell's column by the contact columns.
#[cfg(test)]
fn check_shape(bytes: &[u8]) -> std::result::Result<(), Problem> {
    let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    crate::exchange::check_shape(bytes, &names)
}

/// The header's columns as fields, by position; every problem with it.
fn read_header(header: &csv::StringRecord) -> std::result::Result<Vec<Column>, Vec<Problem>> {
    let find = |name: &str| {
        let wanted = name.to_ascii_lowercase();
        COLUMNS.iter().find(|c| c.name == wanted).map(|c| c.column)
    };
    let (fields, mut problems) = header_columns(header, find, &header_list());
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
        let value = match cell_value(raw, limit) {
            Ok(value) => value,
            Err(reason) => {
                problems.push(Problem::cell(number, name, reason));
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
            list_entry(entries, value).map(Some)
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
        Column::StaffCount => f.staff_count = whole_number(value)?,
        Column::Turnover => f.turnover = whole_number(value)?,
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
        assert_eq!(whole_number("1,250,000"), Ok(Some(1_250_000)));
        assert_eq!(whole_number(""), Ok(None));
        assert!(whole_number("12a").is_err());
        assert!(whole_number("99999999999999999999").is_err());
    }
}
