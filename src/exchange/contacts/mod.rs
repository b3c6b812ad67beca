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
//! transaction through `contacts::create_many` (multi-row inserts, or `COPY` on PostgreSQL), so
//! every contact gets its version and the audit row `contacts::create` would write. By
//! default one bad row means nothing is imported; `skip_invalid` imports the good rows.
//!
//! This module holds the columns; `export` turns contacts into rows of cells for
//! [`super::table`], and `import` reads and checks them.

mod export;
mod import;

use crate::domain::locale::{self, Calendar};

pub use export::export_contacts;
pub use import::{ImportOptions, ImportReport, import_contacts, import_contacts_from_bytes};

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

/// A column's header.
fn name_of(column: Column) -> &'static str {
    COLUMNS
        .iter()
        .find(|c| c.column == column)
        .map_or("", |c| c.name)
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
}
