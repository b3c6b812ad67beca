//! Customer complaints: the process they go through (ISO 10002's loop), the insert form the demo
//! and the bulk loader share, and the list a window at a time, newest first.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::Db;
use crate::db::ids::{CaseId, ComplaintId, ContactId, LookupId, UserId};
use crate::db::schema::complaints;
use crate::error::Result;

use super::bulk::BulkRow;
use super::names;

/// Where a complaint stands in its process: received, acknowledged (the first response), under
/// investigation, action taken, a resolution proposed to the customer, then closed when they
/// accept it or escalated when they do not; or rejected as unfounded. Closed and rejected
/// complaints can be reopened under their number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ComplaintStatus {
    Received,
    Acknowledged,
    Investigating,
    ActionTaken,
    ResolutionProposed,
    Escalated,
    Closed,
    Rejected,
}

impl ComplaintStatus {
    pub const ALL: [ComplaintStatus; 8] = [
        ComplaintStatus::Received,
        ComplaintStatus::Acknowledged,
        ComplaintStatus::Investigating,
        ComplaintStatus::ActionTaken,
        ComplaintStatus::ResolutionProposed,
        ComplaintStatus::Escalated,
        ComplaintStatus::Closed,
        ComplaintStatus::Rejected,
    ];

    /// The stored code (the table's check lists them).
    pub fn as_str(self) -> &'static str {
        match self {
            ComplaintStatus::Received => "received",
            ComplaintStatus::Acknowledged => "acknowledged",
            ComplaintStatus::Investigating => "investigating",
            ComplaintStatus::ActionTaken => "action_taken",
            ComplaintStatus::ResolutionProposed => "resolution_proposed",
            ComplaintStatus::Escalated => "escalated",
            ComplaintStatus::Closed => "closed",
            ComplaintStatus::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> Option<ComplaintStatus> {
        ComplaintStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == code)
    }

    /// The catalog key of its name.
    pub fn message_key(self) -> &'static str {
        match self {
            ComplaintStatus::Received => "complaint.status.received",
            ComplaintStatus::Acknowledged => "complaint.status.acknowledged",
            ComplaintStatus::Investigating => "complaint.status.investigating",
            ComplaintStatus::ActionTaken => "complaint.status.action-taken",
            ComplaintStatus::ResolutionProposed => "complaint.status.resolution-proposed",
            ComplaintStatus::Escalated => "complaint.status.escalated",
            ComplaintStatus::Closed => "complaint.status.closed",
            ComplaintStatus::Rejected => "complaint.status.rejected",
        }
    }

    /// Whether the complaint is still being worked on (its service-level clocks run).
    pub fn is_open(self) -> bool {
        !matches!(self, ComplaintStatus::Closed | ComplaintStatus::Rejected)
    }

    /// The statuses a complaint may move to from this one. Reopening a closed or rejected
    /// complaint takes it back under investigation.
    pub fn next(self) -> &'static [ComplaintStatus] {
        use ComplaintStatus::*;
        match self {
            Received => &[Acknowledged, Rejected],
            Acknowledged => &[Investigating, Rejected],
            Investigating => &[ActionTaken, ResolutionProposed, Rejected],
            ActionTaken => &[ResolutionProposed, Investigating],
            ResolutionProposed => &[Closed, Escalated],
            Escalated => &[Investigating, ResolutionProposed],
            Closed | Rejected => &[Investigating],
        }
    }
}

/// A customer complaint.
#[derive(Debug, Clone, Default, PartialEq, Insertable)]
#[diesel(table_name = complaints, treat_none_as_default_value = false)]
pub struct NewComplaint {
    pub number: String,
    pub title: String,
    pub description: String,
    pub contact_id: ContactId,
    pub case_id: Option<CaseId>,
    pub category_id: Option<LookupId>,
    pub channel_id: Option<LookupId>,
    /// A [`Severity`](super::sla::Severity) code.
    pub severity: String,
    /// A [`ComplaintStatus`] code.
    pub status: String,
    pub expert_id: UserId,
    pub received_at: NaiveDateTime,
    /// What the customer asks to be done.
    pub remedy_requested: Option<String>,
    pub resolution: Option<String>,
    /// When the resolution was proposed.
    pub resolved_at: Option<NaiveDateTime>,
    /// The first response.
    pub acknowledged_at: Option<NaiveDateTime>,
    /// When the first response and the resolution are due, by the severity's service level.
    pub response_due_at: Option<NaiveDateTime>,
    pub resolution_due_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub created_by: UserId,
    pub updated_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl BulkRow for NewComplaint {
    const COLUMNS: usize = 22;
}

/// One step in a complaint's status history.
#[derive(Debug, Clone, Default, PartialEq, Insertable)]
#[diesel(table_name = crate::db::schema::complaint_status_history, treat_none_as_default_value = false)]
pub struct NewComplaintStatusChange {
    pub complaint_id: ComplaintId,
    pub from_status: Option<String>,
    pub to_status: String,
    pub changed_by: UserId,
    pub changed_at: NaiveDateTime,
    pub note: Option<String>,
}

impl BulkRow for NewComplaintStatusChange {
    const COLUMNS: usize = 6;
}

/// One line of the complaint list.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplaintRow {
    pub id: ComplaintId,
    pub number: String,
    pub received_at: NaiveDateTime,
    pub title: String,
    pub customer: String,
    /// A [`ComplaintStatus`] code.
    pub status: String,
    /// A [`Severity`](super::sla::Severity) code.
    pub severity: String,
    pub expert: String,
}

/// Where a page starts: after this (received time, id), going back in time.
pub type ComplaintKey = (NaiveDateTime, ComplaintId);

pub fn key(row: &ComplaintRow) -> ComplaintKey {
    (row.received_at, row.id)
}

type Raw = (
    ComplaintId,
    String,
    NaiveDateTime,
    String,
    ContactId,
    String,
    String,
    UserId,
);

fn decorate(db: &mut Db, raw: Vec<Raw>) -> Result<Vec<ComplaintRow>> {
    let customers = names::contacts(db, raw.iter().map(|r| r.4))?;
    let experts = names::users(db, raw.iter().map(|r| r.7))?;
    Ok(raw
        .into_iter()
        .map(
            |(id, number, received_at, title, contact, status, severity, expert)| ComplaintRow {
                id,
                number,
                received_at,
                title,
                customer: customers.get(&contact).cloned().unwrap_or_default(),
                status,
                severity,
                expert: experts.get(&expert).cloned().unwrap_or_default(),
            },
        )
        .collect())
}

macro_rules! complaint_columns {
    () => {
        (
            complaints::id,
            complaints::number,
            complaints::received_at,
            complaints::title,
            complaints::contact_id,
            complaints::status,
            complaints::severity,
            complaints::expert_id,
        )
    };
}

/// Up to `limit` complaints received before `after`, newest first.
pub fn page(db: &mut Db, after: Option<&ComplaintKey>, limit: i64) -> Result<Vec<ComplaintRow>> {
    let mut query = complaints::table
        .select(complaint_columns!())
        .order((complaints::received_at.desc(), complaints::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(&(at, id)) = after {
        query = query.filter(
            complaints::received_at
                .lt(at)
                .or(complaints::received_at.eq(at).and(complaints::id.lt(id))),
        );
    }
    let raw: Vec<Raw> = query.load(db)?;
    decorate(db, raw)
}

/// Up to `limit` complaints received after `before`, in list order.
pub fn page_before(db: &mut Db, before: &ComplaintKey, limit: i64) -> Result<Vec<ComplaintRow>> {
    let &(at, id) = before;
    let mut raw: Vec<Raw> = complaints::table
        .select(complaint_columns!())
        .filter(
            complaints::received_at
                .gt(at)
                .or(complaints::received_at.eq(at).and(complaints::id.gt(id))),
        )
        .order((complaints::received_at.asc(), complaints::id.asc()))
        .limit(limit)
        .load(db)?;
    raw.reverse();
    decorate(db, raw)
}

/// The oldest `limit` complaints, in list order (newest first).
pub fn last_page(db: &mut Db, limit: i64) -> Result<Vec<ComplaintRow>> {
    let mut raw: Vec<Raw> = complaints::table
        .select(complaint_columns!())
        .order((complaints::received_at.asc(), complaints::id.asc()))
        .limit(limit)
        .load(db)?;
    raw.reverse();
    decorate(db, raw)
}

pub fn count(db: &mut Db) -> Result<i64> {
    Ok(complaints::table.count().get_result(db)?)
}

/// The complaints a contact made, newest first, at most `limit`.
pub fn of_contact(db: &mut Db, contact_id: ContactId, limit: i64) -> Result<Vec<ComplaintRow>> {
    let raw: Vec<Raw> = complaints::table
        .select(complaint_columns!())
        .filter(complaints::contact_id.eq(contact_id))
        .order((complaints::received_at.desc(), complaints::id.desc()))
        .limit(limit)
        .load(db)?;
    decorate(db, raw)
}
