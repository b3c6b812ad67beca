//! Sales cases: the list a window at a time, most urgent first (priority 1 first, and the newest
//! first within a priority).

use diesel::prelude::*;

use crate::db::Db;
use crate::db::schema::cases;
use crate::error::Result;

use super::names;

/// One line of the case list.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRow {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub customer: String,
    pub expert: String,
    pub status: String,
    /// Whether the status closes the case (won, lost or cancelled).
    pub closed: bool,
    pub importance: String,
    pub priority: i32,
    pub expected_amount: Option<i64>,
}

/// Where a page starts: after this (priority, id).
pub type CaseKey = (i32, i64);

pub fn key(row: &CaseRow) -> CaseKey {
    (row.priority, row.id)
}

type Raw = (
    i64,
    String,
    String,
    Option<i64>,
    Option<i64>,
    i64,
    i64,
    String,
    i32,
    Option<i64>,
);

fn decorate(db: &mut Db, raw: Vec<Raw>) -> Result<Vec<CaseRow>> {
    let customers = names::contacts(db, raw.iter().flat_map(|r| [r.3, r.4]).flatten())?;
    let experts = names::users(db, raw.iter().map(|r| r.5))?;
    let statuses = names::statuses(db)?;
    Ok(raw
        .into_iter()
        .map(
            |(
                id,
                number,
                title,
                company,
                contact,
                expert,
                status,
                importance,
                priority,
                expected_amount,
            )| {
                let (status, outcome) = statuses.get(&status).cloned().unwrap_or_default();
                CaseRow {
                    id,
                    number,
                    title,
                    customer: names::customer(&customers, company, contact),
                    expert: experts.get(&expert).cloned().unwrap_or_default(),
                    status,
                    closed: outcome != "open",
                    importance,
                    priority,
                    expected_amount,
                }
            },
        )
        .collect())
}

macro_rules! case_columns {
    () => {
        (
            cases::id,
            cases::number,
            cases::title,
            cases::company_id,
            cases::contact_id,
            cases::expert_id,
            cases::status_id,
            cases::importance,
            cases::priority,
            cases::expected_amount,
        )
    };
}

/// Up to `limit` cases after `after`, in list order.
pub fn page(db: &mut Db, after: Option<&CaseKey>, limit: i64) -> Result<Vec<CaseRow>> {
    let mut query = cases::table
        .select(case_columns!())
        .order((cases::priority.asc(), cases::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(&(priority, id)) = after {
        query = query.filter(
            cases::priority
                .gt(priority)
                .or(cases::priority.eq(priority).and(cases::id.lt(id))),
        );
    }
    let raw: Vec<Raw> = query.load(db)?;
    decorate(db, raw)
}

/// Up to `limit` cases before `before`, in list order.
pub fn page_before(db: &mut Db, before: &CaseKey, limit: i64) -> Result<Vec<CaseRow>> {
    let &(priority, id) = before;
    let mut raw: Vec<Raw> = cases::table
        .select(case_columns!())
        .filter(
            cases::priority
                .lt(priority)
                .or(cases::priority.eq(priority).and(cases::id.gt(id))),
        )
        .order((cases::priority.desc(), cases::id.asc()))
        .limit(limit)
        .load(db)?;
    raw.reverse();
    decorate(db, raw)
}

/// The last `limit` cases, in list order.
pub fn last_page(db: &mut Db, limit: i64) -> Result<Vec<CaseRow>> {
    let mut raw: Vec<Raw> = cases::table
        .select(case_columns!())
        .order((cases::priority.desc(), cases::id.asc()))
        .limit(limit)
        .load(db)?;
    raw.reverse();
    decorate(db, raw)
}

pub fn count(db: &mut Db) -> Result<i64> {
    Ok(cases::table.count().get_result(db)?)
}

/// The cases a contact is the customer company or the main person of, newest first, at most
/// `limit`.
pub fn of_contact(db: &mut Db, contact_id: i64, limit: i64) -> Result<Vec<CaseRow>> {
    let raw: Vec<Raw> = cases::table
        .select(case_columns!())
        .filter(
            cases::company_id
                .eq(contact_id)
                .or(cases::contact_id.eq(contact_id)),
        )
        .order(cases::id.desc())
        .limit(limit)
        .load(db)?;
    decorate(db, raw)
}
