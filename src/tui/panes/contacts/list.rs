//! The contact list's source (the contacts the filter lets through, in name order, read a page
//! at a time) and its columns: name, kind, mobile, phone and e-mail.

use crate::db::Db;
use crate::error::Result;
use crate::store::contacts::{self, ContactFilter, ContactKind, ContactRow, PageKey};
use crate::t;
use crate::tui::text::cells;
use crate::tui::widgets::list::{Column, Source, Width};

/// The contacts the filter lets through, in name order.
#[derive(Default)]
pub struct ContactSource {
    pub filter: ContactFilter,
}

impl Source for ContactSource {
    type Row = ContactRow;
    type Key = PageKey;

    fn page(&self, db: &mut Db, after: Option<&PageKey>, limit: i64) -> Result<Vec<ContactRow>> {
        contacts::page(db, &self.filter, after, limit)
    }

    fn page_before(&self, db: &mut Db, before: &PageKey, limit: i64) -> Result<Vec<ContactRow>> {
        contacts::page_before(db, &self.filter, before, limit)
    }

    fn last_page(&self, db: &mut Db, limit: i64) -> Result<Vec<ContactRow>> {
        contacts::last_page(db, &self.filter, limit)
    }

    fn count(&self, db: &mut Db) -> Result<i64> {
        contacts::count(db, &self.filter)
    }

    fn key(row: &ContactRow) -> PageKey {
        (row.display_name.clone(), row.id)
    }
}

/// A contact's kind as a word.
fn kind(row: &ContactRow) -> String {
    match ContactKind::parse(&row.kind) {
        Some(ContactKind::Person) => t!("contacts.kind.person"),
        Some(ContactKind::Company) => t!("contacts.kind.company"),
        None => row.kind.clone(),
    }
}

/// The list's columns. The name and the e-mail share what the fixed columns leave; on a narrow
/// screen the phone, then the e-mail, give up their room to the name.
pub fn columns<'a>() -> Vec<Column<'a, ContactRow>> {
    let kind_width = [t!("contacts.kind.person"), t!("contacts.kind.company")]
        .iter()
        .map(|k| cells(k))
        .max()
        .unwrap_or(0);
    let optional = |value: &Option<String>| value.clone().unwrap_or_default();
    vec![
        Column::new(
            t!("contacts.col.name"),
            Width::Share {
                weight: 3,
                min: 14,
                max: 40,
            },
            |r: &ContactRow| r.display_name.clone(),
        ),
        Column::new(t!("contacts.col.kind"), Width::Fixed(kind_width), kind),
        Column::new(
            t!("contacts.col.mobile"),
            Width::Fixed(11),
            move |r: &ContactRow| optional(&r.mobile),
        ),
        Column::new(
            t!("contacts.col.phone"),
            Width::Fixed(12),
            move |r: &ContactRow| optional(&r.phone),
        )
        .drops(2),
        Column::new(
            t!("contacts.col.email"),
            Width::share(2, 10),
            move |r: &ContactRow| optional(&r.email),
        )
        .drops(1),
    ]
}
