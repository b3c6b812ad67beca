//! Sales in from CSV, as an accounting or ERP system exports them: one row per sale under a header
//! row whose columns come in any order, named in English (`sold_on`, `amount`, …) or by their
//! Persian names in the catalog (`تاریخ فروش`, `مبلغ`, …). `sold_on`, `amount`, `customer` and
//! `expert` are required; `quantity` (1 when empty), `product_group`, `region`, `market`, `case`
//! and `note` may be left out.
//!
//! A date is read in either calendar whatever the one in force: a year before 1700 is Jalali
//! (`1405/02/11`), a later one Gregorian (`2026-05-01`). Numbers may carry thousands separators,
//! in any digit script. The customer is a contact's id, a company's national ID, a person's
//! national code or a mobile number; a list entry its code or its name; the expert a login; the
//! case its number (`1405-00012`).
//!
//! Every row is read and checked as the store checks a sale, each problem named by its row and
//! column, without writing. By default one bad row means nothing is imported; `skip_invalid`
//! imports the good rows. The sales are written in one transaction by `sales::create_many`.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::contacts::limits;
use super::{
    Error, ImportOptions, ImportReport, Problem, Result, cell_value, header_columns, list_entry,
    read_csv, whole_number,
};
use crate::db::Db;
use crate::db::ids::{CaseId, ContactId, UserId};
use crate::domain::text;
use crate::domain::when::{self, WhenError};
use crate::i18n::{self, Lang};
use crate::store::lookups::{self, List, Lookup};
use crate::store::plans::Market;
use crate::store::sales::{self, SaleFields, field};
use crate::store::{Actor, Role, cases, contacts, users};
use crate::t;

/// One column of a sales file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    SoldOn,
    Amount,
    Quantity,
    Customer,
    ProductGroup,
    Region,
    Expert,
    Market,
    Case,
    Note,
}

/// A column: its English name, the catalog key of its name in every language, the store's field
/// it fills (as the store's errors name it), whether a file must have it, and the most characters
/// a cell of it takes.
struct Spec {
    column: Column,
    name: &'static str,
    header: &'static str,
    field: &'static str,
    required: bool,
    limit: usize,
}

const fn spec(
    column: Column,
    name: &'static str,
    header: &'static str,
    field: &'static str,
    required: bool,
    limit: usize,
) -> Spec {
    Spec {
        column,
        name,
        header,
        field,
        required,
        limit,
    }
}

/// The columns, in the order a file usually has them.
static COLUMNS: [Spec; 10] = [
    spec(
        Column::SoldOn,
        "sold_on",
        "exchange.sales-column.sold_on",
        field::SOLD_ON,
        true,
        limits::SHORT,
    ),
    spec(
        Column::Amount,
        "amount",
        "exchange.sales-column.amount",
        field::AMOUNT,
        true,
        limits::SHORT,
    ),
    spec(
        Column::Quantity,
        "quantity",
        "exchange.sales-column.quantity",
        field::QUANTITY,
        false,
        limits::SHORT,
    ),
    spec(
        Column::Customer,
        "customer",
        "exchange.sales-column.customer",
        field::CUSTOMER,
        true,
        limits::IDENTIFIER,
    ),
    spec(
        Column::ProductGroup,
        "product_group",
        "exchange.sales-column.product_group",
        field::PRODUCT_GROUP,
        false,
        limits::NAME,
    ),
    spec(
        Column::Region,
        "region",
        "exchange.sales-column.region",
        field::REGION,
        false,
        limits::NAME,
    ),
    spec(
        Column::Expert,
        "expert",
        "exchange.sales-column.expert",
        field::EXPERT,
        true,
        limits::NAME,
    ),
    spec(
        Column::Market,
        "market",
        "exchange.sales-column.market",
        field::MARKET,
        false,
        limits::SHORT,
    ),
    spec(
        Column::Case,
        "case",
        "exchange.sales-column.case",
        field::CASE,
        false,
        limits::SHORT,
    ),
    spec(
        Column::Note,
        "note",
        "exchange.sales-column.note",
        field::NOTE,
        false,
        limits::NOTES,
    ),
];

fn spec_of(column: Column) -> &'static Spec {
    COLUMNS
        .iter()
        .find(|s| s.column == column)
        .unwrap_or(&COLUMNS[0])
}

/// Every name a column goes by: its English name and its name in each language of the catalog.
fn names(spec: &Spec) -> impl Iterator<Item = &'static str> {
    std::iter::once(spec.name).chain(
        Lang::ALL
            .into_iter()
            .map(|lang| i18n::tr_in(lang, spec.header)),
    )
}

/// The column a header's name stands for (letter case, digit script and Persian letter variants
/// ignored).
fn column_named(name: &str) -> Option<Column> {
    let key = text::search_key(name);
    COLUMNS
        .iter()
        .find(|spec| names(spec).any(|n| text::search_key(n) == key))
        .map(|spec| spec.column)
}

/// The header: each position's column and the name the file gives it.
struct Header {
    columns: Vec<Column>,
    titles: Vec<String>,
}

impl Header {
    /// The header's columns, or every problem with it (an unknown or repeated name, a required
    /// column missing).
    fn read(record: &csv::StringRecord) -> std::result::Result<Header, Vec<Problem>> {
        let known = COLUMNS
            .iter()
            .map(|s| s.name)
            .collect::<Vec<_>>()
            .join(", ");
        let (columns, mut problems) = header_columns(record, column_named, &known);
        for spec in COLUMNS.iter().filter(|s| s.required) {
            if !columns.contains(&spec.column) {
                problems.push(Problem::row(
                    1,
                    t!("exchange.invalid.missing-column", column = spec.name),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let titles = record.iter().map(|name| name.trim().to_string()).collect();
        Ok(Header { columns, titles })
    }

    /// The name the file gives `column`.
    fn title(&self, column: Column) -> &str {
        self.columns
            .iter()
            .position(|&c| c == column)
            .and_then(|i| self.titles.get(i))
            .map_or(spec_of(column).name, String::as_str)
    }
}

/// What the rows point at, each value the file names looked up once.
struct Known {
    groups: Vec<Lookup>,
    regions: Vec<Lookup>,
    experts: HashMap<String, Option<UserId>>,
    customers: HashMap<String, std::result::Result<ContactId, String>>,
    cases: HashMap<String, Option<CaseId>>,
    today: NaiveDate,
}

impl Known {
    fn load(db: &mut Db) -> Result<Known> {
        Ok(Known {
            groups: lookups::items(db, List::ProductGroup)?,
            regions: lookups::items(db, List::Region)?,
            experts: HashMap::new(),
            customers: HashMap::new(),
            cases: HashMap::new(),
            today: chrono::Local::now().date_naive(),
        })
    }

    /// Puts a cell's value (not empty) into `f`: `Ok(Err(reason))` when the value cannot be read,
    /// `Err` when the store failed.
    fn read(
        &mut self,
        db: &mut Db,
        f: &mut SaleFields,
        column: Column,
        value: &str,
    ) -> Result<std::result::Result<(), String>> {
        let read = match column {
            Column::SoldOn => sale_date(value, self.today).map(|day| f.sold_on = day),
            Column::Amount => number(value).map(|n| f.amount = n),
            Column::Quantity => number(value).map(|n| f.quantity = n),
            Column::Customer => self.customer(db, value)?.map(|id| f.contact_id = id),
            Column::ProductGroup => {
                list_entry(&self.groups, value).map(|id| f.product_group_id = Some(id))
            }
            Column::Region => list_entry(&self.regions, value).map(|id| f.region_id = Some(id)),
            Column::Expert => self.expert(db, value)?.map(|id| f.expert_id = id),
            Column::Market => Market::parse(value)
                .map(|market| f.market = Some(market))
                .ok_or_else(|| t!("exchange.invalid.market", value = value)),
            Column::Case => self.case(db, value)?.map(|id| f.case_id = Some(id)),
            Column::Note => {
                f.note = Some(value.to_string());
                Ok(())
            }
        };
        Ok(read)
    }

    /// The one contact `value` names by its id or a number of its own.
    fn customer(
        &mut self,
        db: &mut Db,
        value: &str,
    ) -> Result<std::result::Result<ContactId, String>> {
        if let Some(found) = self.customers.get(value) {
            return Ok(found.clone());
        }
        let found = match contacts::by_number(db, value, 6)?.as_slice() {
            [] => Err(t!("exchange.invalid.no-customer", value = value)),
            [(id, _)] => Ok(*id),
            several => {
                let matches: Vec<String> = several
                    .iter()
                    .take(5)
                    .map(|(id, name)| format!("{name} ({id})"))
                    .collect();
                Err(t!(
                    "exchange.invalid.many-customers",
                    value = value,
                    matches = matches.join(", ")
                ))
            }
        };
        self.customers.insert(value.to_string(), found.clone());
        Ok(found)
    }

    /// The user whose login is `value`.
    fn expert(&mut self, db: &mut Db, value: &str) -> Result<std::result::Result<UserId, String>> {
        let id = match self.experts.get(value) {
            Some(&id) => id,
            None => {
                let id = users::by_login(db, value)?.map(|u| u.id);
                self.experts.insert(value.to_string(), id);
                id
            }
        };
        Ok(id.ok_or_else(|| t!("exchange.invalid.no-user", value = value)))
    }

    /// The case numbered `value`.
    fn case(&mut self, db: &mut Db, value: &str) -> Result<std::result::Result<CaseId, String>> {
        let id = match self.cases.get(value) {
            Some(&id) => id,
            None => {
                let id = cases::by_number(db, value)?.map(|c| c.id);
                self.cases.insert(value.to_string(), id);
                id
            }
        };
        Ok(id.ok_or_else(|| t!("exchange.invalid.no-case", value = value)))
    }
}

/// A date written out in either calendar (see the module's note), in any digit script.
fn sale_date(value: &str, today: NaiveDate) -> std::result::Result<NaiveDate, String> {
    let refused = |e: WhenError| {
        let why = match e {
            WhenError::NoSuchDate => t!("cli.when-no-such-date"),
            WhenError::Unrecognised | WhenError::NoSuchTime => t!("cli.when-unrecognised"),
        };
        t!("exchange.invalid.sale-date", value = value, reason = why)
    };
    when::parse_written_date(value, today).map_err(refused)
}

/// A whole number in a cell that is not empty.
fn number(value: &str) -> std::result::Result<i64, String> {
    whole_number(value).map(|n| n.unwrap_or_default())
}

/// Imports the CSV file at `path`. See [`import_sales_from_bytes`].
pub fn import_sales(
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
    import_sales_from_bytes(db, actor, path, &bytes, options, progress)
}

/// Imports sales from CSV `bytes` (named `file` in messages), a manager's work, calling
/// `progress(done, total)` as rows are checked. A file that cannot be read as a table (not UTF-8,
/// broken quotes, a bad header) is refused whole with `Error::Refused`; the problems of single
/// rows are in the report.
pub fn import_sales_from_bytes(
    db: &mut Db,
    actor: &Actor,
    file: &Path,
    bytes: &[u8],
    options: &ImportOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ImportReport> {
    actor.require(Role::Manager, &t!("forbidden.record-sales"))?;
    let every_name: Vec<&str> = COLUMNS.iter().flat_map(names).collect();
    let table = read_csv(file, bytes, &every_name)?;
    let header = Header::read(&table.header).map_err(|problems| Error::Refused {
        file: file.to_path_buf(),
        problems,
    })?;

    let mut known = Known::load(db)?;
    let mut report = ImportReport::default();
    let mut good = Vec::new();
    let total = table.rows.len() as u64;
    progress(0, total);
    for (done, (number, record)) in (1u64..).zip(&table.rows) {
        report.rows += 1;
        let problems = match table.misshapen(*number, record) {
            Some(problem) => vec![problem],
            None => {
                let (fields, problems) = read_row(db, &mut known, &header, *number, record)?;
                if problems.is_empty() {
                    good.push(fields);
                }
                problems
            }
        };
        if !problems.is_empty() {
            report.bad_rows += 1;
            report.problems.extend(problems);
        }
        if done % 100 == 0 || done == total {
            progress(done, total);
        }
    }
    report.imported = good.len() as u64;
    if options.dry_run || (report.bad_rows > 0 && !options.skip_invalid) {
        return Ok(report);
    }
    report.imported = sales::create_many(db, actor, good)? as u64;
    report.written = true;
    Ok(report)
}

/// One row's cells as a sale, with every problem of the row: the cells that cannot be read, then
/// what the store finds wrong with the rest, in the order of the file's columns.
fn read_row(
    db: &mut Db,
    known: &mut Known,
    header: &Header,
    number: u64,
    record: &csv::StringRecord,
) -> Result<(SaleFields, Vec<Problem>)> {
    let mut fields = SaleFields::default();
    let mut problems = Vec::new();
    let mut failed = Vec::new();
    for (&column, raw) in header.columns.iter().zip(record.iter()) {
        let spec = spec_of(column);
        let read = match cell_value(raw, spec.limit) {
            Ok("") if spec.required => Err(t!("invalid.required")),
            Ok("") => Ok(()),
            Ok(value) => known.read(db, &mut fields, column, value)?,
            Err(reason) => Err(reason),
        };
        if let Err(reason) = read {
            problems.push(Problem::cell(number, header.title(column), reason));
            failed.push(column);
        }
    }
    for error in sales::validate(db, &fields)? {
        let Some(spec) = COLUMNS.iter().find(|s| s.field == error.field) else {
            problems.push(Problem::row(number, error.to_string()));
            continue;
        };
        // A cell that could not be read is named once; without its customer, a row's case and
        // market cannot be checked.
        let customer_failed = failed.contains(&Column::Customer)
            && matches!(spec.column, Column::Case | Column::Market);
        if !failed.contains(&spec.column) && !customer_failed {
            problems.push(Problem::cell(
                number,
                header.title(spec.column),
                error.reason,
            ));
        }
    }
    problems.sort_by_key(|p| {
        header
            .titles
            .iter()
            .position(|t| p.column.as_deref() == Some(t.as_str()))
            .unwrap_or(usize::MAX)
    });
    Ok((fields, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_go_by_their_english_and_persian_names() {
        assert_eq!(column_named("sold_on"), Some(Column::SoldOn));
        assert_eq!(column_named(" Amount "), Some(Column::Amount));
        assert_eq!(column_named("تاریخ فروش"), Some(Column::SoldOn));
        assert_eq!(column_named("گروه كالا"), Some(Column::ProductGroup));
        assert_eq!(column_named("shoe_size"), None);
        for spec in &COLUMNS {
            assert_eq!(spec_of(spec.column).name, spec.name);
        }
    }

    #[test]
    fn dates_in_either_calendar() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).expect("a day");
        let may_first = NaiveDate::from_ymd_opt(2026, 5, 1);
        assert_eq!(sale_date("2026-05-01", today).ok(), may_first);
        assert_eq!(sale_date("1405/02/11", today).ok(), may_first);
        assert_eq!(sale_date("۱۴۰۵/۰۲/۱۱", today).ok(), may_first);
        assert!(sale_date("today", today).is_err());
        assert!(sale_date("1405/13/01", today).is_err());
        assert!(sale_date("01/05/2026", today).is_err());
    }
}
