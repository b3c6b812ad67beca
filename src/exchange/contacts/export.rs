//! Contacts out: each contact as a row of typed cells, written through the table writer.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::{CATEGORY_SEPARATOR, Column, exported_columns};
use crate::db::Db;
use crate::db::ids::{ContactId, LookupId};
use crate::exchange::table::{self, Cell, Heading};
use crate::exchange::{ExportOptions, Format, Result};
use crate::store::contacts::{self, ContactFields, ContactFilter};
use crate::store::{categories, names};
use crate::t;

/// Contacts read from the store at a time.
const BATCH: i64 = 1_000;

fn cell<'a>(
    field: Column,
    f: &'a ContactFields,
    lists: &'a HashMap<LookupId, String>,
    categories: &'a str,
) -> Cell<'a> {
    let text = |v: &'a Option<String>| v.as_deref().map_or(Cell::Empty, Cell::Text);
    let identifier = |v: &'a Option<String>| v.as_deref().map_or(Cell::Empty, Cell::Identifier);
    let list = |id: Option<LookupId>| {
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
    let mut after = ContactId::default();
    let mut done: u64 = 0;
    loop {
        let batch = contacts::batch(db, filter, after, BATCH)?;
        let Some(last) = batch.last() else {
            break;
        };
        after = last.id;
        let ids: Vec<ContactId> = batch.iter().map(|c| c.id).collect();
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
