//! Contacts in from CSV: the file's shape and header, each row read and checked, and the good
//! rows stored in one transaction.

use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use diesel::Connection as _;

use super::{COLUMNS, Column, Spec, jalali_of, name_of};
use crate::db::Db;
use crate::db::ids::CategoryId;
use crate::domain::locale::Calendar;
use crate::domain::{text, when};
use crate::error::FieldError;
use crate::exchange::{
    Error, Problem, Result, cell_value, header_columns, list_entry, read_csv, whole_number,
};
use crate::store::contacts::{self, ContactFields, ContactKind};
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
    let mut report = ImportReport::default();
    let mut rows: Vec<(u64, ContactFields, Vec<String>)> = Vec::new();
    let mut seen = Seen::default();
    for (number, record) in &table.rows {
        let number = *number;
        report.rows += 1;
        if let Some(problem) = table.misshapen(number, record) {
            report.problems.push(problem);
            report.bad_rows += 1;
            continue;
        }
        let (fields, paths, mut problems) = read_row(number, record, &columns, &lists);
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
    known: &mut HashMap<String, CategoryId>,
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
