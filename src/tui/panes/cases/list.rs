//! The case list's source (the cases the filter lets through, most urgent first, read a page at
//! a time) and its columns: number, title, customer, status (a closed case's in brackets),
//! importance as a word, priority, expert and the expected amount.

use crate::db::Db;
use crate::error::Result;
use crate::store::cases::{self, CaseFilter, CaseKey, CaseRow};
use crate::t;
use crate::tui::format;
use crate::tui::text::group_thousands;
use crate::tui::widgets::list::{Column, Source, Width};

/// The cases the filter lets through, most urgent first.
#[derive(Default)]
pub struct CaseSource {
    pub filter: CaseFilter,
}

impl Source for CaseSource {
    type Row = CaseRow;
    type Key = CaseKey;

    fn page(&self, db: &mut Db, after: Option<&CaseKey>, limit: i64) -> Result<Vec<CaseRow>> {
        cases::page(db, &self.filter, after, limit)
    }

    fn page_before(&self, db: &mut Db, before: &CaseKey, limit: i64) -> Result<Vec<CaseRow>> {
        cases::page_before(db, &self.filter, before, limit)
    }

    fn last_page(&self, db: &mut Db, limit: i64) -> Result<Vec<CaseRow>> {
        cases::last_page(db, &self.filter, limit)
    }

    fn count(&self, db: &mut Db) -> Result<i64> {
        cases::count(db, &self.filter)
    }

    fn key(row: &CaseRow) -> CaseKey {
        cases::key(row)
    }
}

/// The status as shown: a closed case's in brackets, so it reads as closed without colour.
fn status(row: &CaseRow) -> String {
    if row.closed {
        t!("cases.closed", status = row.status)
    } else {
        row.status.clone()
    }
}

/// The list's columns. On a narrow screen the amount, then the expert, give up their room.
pub fn columns<'a>() -> Vec<Column<'a, CaseRow>> {
    vec![
        Column::new(t!("cases.col.number"), Width::Fixed(10), |r: &CaseRow| {
            r.number.clone()
        }),
        Column::new(t!("cases.col.title"), Width::share(3, 14), |r: &CaseRow| {
            r.title.clone()
        }),
        Column::new(
            t!("cases.col.customer"),
            Width::Share {
                weight: 2,
                min: 12,
                max: 36,
            },
            |r: &CaseRow| r.customer.clone(),
        ),
        Column::new(
            t!("cases.col.status"),
            Width::Share {
                weight: 1,
                min: 11,
                max: 16,
            },
            status,
        ),
        Column::new(
            t!("cases.col.importance"),
            Width::Fixed(8),
            |r: &CaseRow| format::importance(&r.importance),
        ),
        Column::new(t!("cases.col.priority"), Width::Fixed(2), |r: &CaseRow| {
            t!("cases.priority", n = r.priority)
        }),
        Column::new(
            t!("cases.col.expert"),
            Width::Share {
                weight: 1,
                min: 6,
                max: 12,
            },
            |r: &CaseRow| r.expert.clone(),
        )
        .drops(1),
        Column::new(t!("cases.col.expected"), Width::Fixed(15), |r: &CaseRow| {
            r.expected_amount.map(group_thousands).unwrap_or_default()
        })
        .right()
        .drops(2),
    ]
}
