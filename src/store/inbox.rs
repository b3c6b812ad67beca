//! Each expert's inbox: their open planned actions, oldest due first, a window at a time, and how
//! many are overdue, due today and upcoming ([`counts`]; [`group`] says which a row is in). A
//! manager looks at another expert's inbox by passing that user's id: `users::team_of` lists
//! whose they may see.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::Db;
use crate::db::ids::{CaseId, ComplaintId, LookupId, PlannedActionId, UserId};
use crate::db::schema::planned_actions;
use crate::error::Result;

use super::{keyset, names};

/// One open planned action.
#[derive(Debug, Clone, PartialEq)]
pub struct InboxRow {
    pub id: PlannedActionId,
    pub due_at: NaiveDateTime,
    pub description: String,
    /// The case or complaint number.
    pub subject: String,
    /// The customer the case or complaint is about.
    pub customer: String,
    pub kind: String,
    pub estimated_minutes: i32,
    /// The case it is about (exactly one of `case_id` and `complaint_id` is set): what "open
    /// the case" opens.
    pub case_id: Option<CaseId>,
    pub complaint_id: Option<ComplaintId>,
    /// What marking it done (`followups::record`'s `completes`), rescheduling or reassigning
    /// (`store::planned`) expect it to still be at.
    pub version: i64,
}

/// Where a page starts: after this (due time, id). A page is the range of `(due_at, id)` beyond
/// the key ([`keyset`]) within `planned_actions_inbox_idx (assignee_id, status, due_at)`.
pub type InboxKey = (NaiveDateTime, PlannedActionId);

pub fn key(row: &InboxRow) -> InboxKey {
    (row.due_at, row.id)
}

/// Which group of the inbox an action due at `due` falls in at `now`, with "today" the UTC span
/// `[day_start, day_start + 1 day)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    Overdue,
    Today,
    Upcoming,
}

/// The group of an action due at `due`, as [`counts`] counts it.
pub fn group(due: NaiveDateTime, now: NaiveDateTime, day_start: NaiveDateTime) -> Group {
    if due < now {
        Group::Overdue
    } else if due < day_start + TimeDelta::days(1) {
        Group::Today
    } else {
        Group::Upcoming
    }
}

/// How many open actions fall in each group, with "today" the UTC span `[day_start, day_start +
/// 1 day)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InboxCounts {
    pub overdue: i64,
    pub today: i64,
    pub upcoming: i64,
}

type Raw = (
    PlannedActionId,
    NaiveDateTime,
    String,
    Option<CaseId>,
    Option<ComplaintId>,
    LookupId,
    i32,
    i64,
);

fn decorate(db: &mut Db, raw: Vec<Raw>) -> Result<Vec<InboxRow>> {
    let kinds = names::lookups(db, raw.iter().map(|r| r.5))?;
    let subjects = names::subjects(
        db,
        raw.iter().filter_map(|r| r.3),
        raw.iter().filter_map(|r| r.4),
    )?;
    Ok(raw
        .into_iter()
        .map(
            |(id, due_at, description, case_id, complaint_id, kind, estimated_minutes, version)| {
                let subject = subjects.of(case_id, complaint_id);
                InboxRow {
                    id,
                    due_at,
                    description,
                    subject: subject.number,
                    customer: subject.customer,
                    kind: kinds.get(&kind).cloned().unwrap_or_default(),
                    estimated_minutes,
                    case_id,
                    complaint_id,
                    version,
                }
            },
        )
        .collect())
}

macro_rules! inbox_columns {
    () => {
        (
            planned_actions::id,
            planned_actions::due_at,
            planned_actions::description,
            planned_actions::case_id,
            planned_actions::complaint_id,
            planned_actions::kind_id,
            planned_actions::estimated_minutes,
            planned_actions::version,
        )
    };
}

/// `user`'s open actions.
macro_rules! open_of {
    ($user:expr) => {
        planned_actions::table.filter(
            planned_actions::assignee_id
                .eq($user)
                .and(planned_actions::status.eq("open")),
        )
    };
}

/// Up to `limit` of `user`'s open actions due after `after`, oldest due first.
pub fn page(
    db: &mut Db,
    user: UserId,
    after: Option<&InboxKey>,
    limit: i64,
) -> Result<Vec<InboxRow>> {
    let mut query = open_of!(user)
        .select(inbox_columns!())
        .order((planned_actions::due_at.asc(), planned_actions::id.asc()))
        .limit(limit)
        .into_boxed();
    if let Some(&key) = after {
        query = query.filter(keyset::greater(
            (planned_actions::due_at, planned_actions::id),
            key,
        ));
    }
    let raw: Vec<Raw> = query.load(db)?;
    decorate(db, raw)
}

/// Up to `limit` of `user`'s open actions due before `before`, in list order.
pub fn page_before(
    db: &mut Db,
    user: UserId,
    before: &InboxKey,
    limit: i64,
) -> Result<Vec<InboxRow>> {
    let mut raw: Vec<Raw> = open_of!(user)
        .select(inbox_columns!())
        .filter(keyset::less(
            (planned_actions::due_at, planned_actions::id),
            *before,
        ))
        .order((planned_actions::due_at.desc(), planned_actions::id.desc()))
        .limit(limit)
        .load(db)?;
    raw.reverse();
    decorate(db, raw)
}

/// The last `limit` of `user`'s open actions, in list order.
pub fn last_page(db: &mut Db, user: UserId, limit: i64) -> Result<Vec<InboxRow>> {
    let mut raw: Vec<Raw> = open_of!(user)
        .select(inbox_columns!())
        .order((planned_actions::due_at.desc(), planned_actions::id.desc()))
        .limit(limit)
        .load(db)?;
    raw.reverse();
    decorate(db, raw)
}

/// How many open actions `user` has.
pub fn count(db: &mut Db, user: UserId) -> Result<i64> {
    Ok(open_of!(user).count().get_result(db)?)
}

/// How many of `user`'s open actions are overdue at `now`, due later on the day that starts at
/// `day_start` (both UTC), and due after it.
pub fn counts(
    db: &mut Db,
    user: UserId,
    now: NaiveDateTime,
    day_start: NaiveDateTime,
) -> Result<InboxCounts> {
    let day_end = day_start + TimeDelta::days(1);
    Ok(InboxCounts {
        overdue: open_of!(user)
            .filter(planned_actions::due_at.lt(now))
            .count()
            .get_result(db)?,
        today: open_of!(user)
            .filter(
                planned_actions::due_at
                    .ge(now)
                    .and(planned_actions::due_at.lt(day_end)),
            )
            .count()
            .get_result(db)?,
        upcoming: open_of!(user)
            .filter(
                planned_actions::due_at
                    .ge(day_end)
                    .and(planned_actions::due_at.ge(now)),
            )
            .count()
            .get_result(db)?,
    })
}
