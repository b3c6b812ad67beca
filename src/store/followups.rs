//! The follow-up log across all cases and complaints, newest first, a window at a time.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::Db;
use crate::db::schema::followups;
use crate::error::Result;

use super::names;

/// One line of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpRow {
    pub id: i64,
    pub happened_at: NaiveDateTime,
    /// The case or complaint number.
    pub subject: String,
    /// The customer the case or complaint is about.
    pub customer: String,
    pub kind: String,
    pub expert: String,
    pub minutes: i32,
    pub description: String,
}

/// Where a page starts: after this (time, id), going back in time.
pub type FollowUpKey = (NaiveDateTime, i64);

pub fn key(row: &FollowUpRow) -> FollowUpKey {
    (row.happened_at, row.id)
}

type Raw = (
    i64,
    NaiveDateTime,
    Option<i64>,
    Option<i64>,
    i64,
    i64,
    i32,
    String,
);

fn decorate(db: &mut Db, raw: Vec<Raw>) -> Result<Vec<FollowUpRow>> {
    let kinds = names::lookups(db, raw.iter().map(|r| r.4))?;
    let experts = names::users(db, raw.iter().map(|r| r.5))?;
    let subjects = names::subjects(
        db,
        raw.iter().filter_map(|r| r.2),
        raw.iter().filter_map(|r| r.3),
    )?;
    Ok(raw
        .into_iter()
        .map(
            |(id, happened_at, case_id, complaint_id, kind, expert, minutes, description)| {
                let subject = subjects.of(case_id, complaint_id);
                FollowUpRow {
                    id,
                    happened_at,
                    subject: subject.number,
                    customer: subject.customer,
                    kind: kinds.get(&kind).cloned().unwrap_or_default(),
                    expert: experts.get(&expert).cloned().unwrap_or_default(),
                    minutes,
                    description,
                }
            },
        )
        .collect())
}

macro_rules! followup_columns {
    () => {
        (
            followups::id,
            followups::happened_at,
            followups::case_id,
            followups::complaint_id,
            followups::kind_id,
            followups::expert_id,
            followups::minutes,
            followups::description,
        )
    };
}

/// Up to `limit` follow-ups older than `after`, newest first.
pub fn page(db: &mut Db, after: Option<&FollowUpKey>, limit: i64) -> Result<Vec<FollowUpRow>> {
    let mut query = followups::table
        .select(followup_columns!())
        .order((followups::happened_at.desc(), followups::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(&(at, id)) = after {
        query = query.filter(
            followups::happened_at
                .lt(at)
                .or(followups::happened_at.eq(at).and(followups::id.lt(id))),
        );
    }
    let raw: Vec<Raw> = query.load(db)?;
    decorate(db, raw)
}

/// Up to `limit` follow-ups newer than `before`, in list order.
pub fn page_before(db: &mut Db, before: &FollowUpKey, limit: i64) -> Result<Vec<FollowUpRow>> {
    let &(at, id) = before;
    let mut raw: Vec<Raw> = followups::table
        .select(followup_columns!())
        .filter(
            followups::happened_at
                .gt(at)
                .or(followups::happened_at.eq(at).and(followups::id.gt(id))),
        )
        .order((followups::happened_at.asc(), followups::id.asc()))
        .limit(limit)
        .load(db)?;
    raw.reverse();
    decorate(db, raw)
}

/// The oldest `limit` follow-ups, in list order (newest first).
pub fn last_page(db: &mut Db, limit: i64) -> Result<Vec<FollowUpRow>> {
    let mut raw: Vec<Raw> = followups::table
        .select(followup_columns!())
        .order((followups::happened_at.asc(), followups::id.asc()))
        .limit(limit)
        .load(db)?;
    raw.reverse();
    decorate(db, raw)
}

pub fn count(db: &mut Db) -> Result<i64> {
    Ok(followups::table.count().get_result(db)?)
}


/// The latest follow-ups on a contact's cases and complaints, newest first, at most `limit`.
pub fn of_contact(db: &mut Db, contact_id: i64, limit: i64) -> Result<Vec<FollowUpRow>> {
    use crate::db::schema::{cases, complaints};
    let case_ids = cases::table
        .filter(
            cases::company_id
                .eq(contact_id)
                .or(cases::contact_id.eq(contact_id)),
        )
        .select(cases::id.nullable());
    let complaint_ids = complaints::table
        .filter(complaints::contact_id.eq(contact_id))
        .select(complaints::id.nullable());
    let raw: Vec<Raw> = followups::table
        .select(followup_columns!())
        .filter(
            followups::case_id
                .eq_any(case_ids)
                .or(followups::complaint_id.eq_any(complaint_ids)),
        )
        .order((followups::happened_at.desc(), followups::id.desc()))
        .limit(limit)
        .load(db)?;
    decorate(db, raw)
}
