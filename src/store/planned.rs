//! Planned next actions: what is to be done next on a case or a complaint, by whom and when.
//! They are planned in the follow-up form and saved with the follow-up
//! (`followups::record`), and closed as done by recording the follow-up that did them (the
//! same call); here they are read, rescheduled, reassigned and cancelled. Each write keeps the
//! case's `next_due_at` (the case list's order) in step.
//!
//! Who may change one: whoever may work for its assignee (`users::may_work_for`: the assignee,
//! their manager up the organisational units, an admin). Reassigning is a manager's work, and
//! only to someone they may work for.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::Db;
use crate::db::ids::{CaseId, ComplaintId, FollowUpId, LookupId, PlannedActionId, UserId};
use crate::db::schema::planned_actions;
use crate::error::{Error, FieldError, Result};
use crate::t;

use super::audit::AuditAction;
use super::bulk::BulkRow;
use super::followups::Subject;
use super::versioned::{self, Changed, Stored};
use super::{Actor, Role, names};

/// The audit log's entity for a planned action.
pub const ENTITY: &str = "planned-action";

/// Where a planned action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ActionStatus {
    Open,
    Done,
    Cancelled,
}

impl ActionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::Done => "done",
            ActionStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<ActionStatus> {
        match text {
            "open" => Some(ActionStatus::Open),
            "done" => Some(ActionStatus::Done),
            "cancelled" => Some(ActionStatus::Cancelled),
            _ => None,
        }
    }
}

/// A stored planned action.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = planned_actions)]
pub struct PlannedAction {
    pub id: PlannedActionId,
    /// The case it is about (exactly one of `case_id` and `complaint_id` is set).
    pub case_id: Option<CaseId>,
    pub complaint_id: Option<ComplaintId>,
    /// An entry of the action kind list.
    pub kind_id: LookupId,
    pub description: String,
    pub assignee_id: UserId,
    pub due_at: NaiveDateTime,
    pub estimated_minutes: i32,
    /// `open`, `done` or `cancelled`: see [`PlannedAction::status`].
    pub status: String,
    /// The follow-up it was planned in.
    pub planned_in_followup_id: Option<FollowUpId>,
    /// The follow-up that carried it out, once done.
    pub done_by_followup_id: Option<FollowUpId>,
    pub done_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_by: UserId,
    pub updated_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A planned next action on a case or a complaint (exactly one of the two).
#[derive(Debug, Clone, Default, PartialEq, Insertable)]
#[diesel(table_name = planned_actions, treat_none_as_default_value = false)]
pub struct NewPlannedAction {
    pub case_id: Option<CaseId>,
    pub complaint_id: Option<ComplaintId>,
    pub kind_id: LookupId,
    pub description: String,
    pub assignee_id: UserId,
    pub due_at: NaiveDateTime,
    pub estimated_minutes: i32,
    pub status: String,
    pub planned_in_followup_id: Option<FollowUpId>,
    pub done_by_followup_id: Option<FollowUpId>,
    pub done_at: Option<NaiveDateTime>,
    pub created_by: UserId,
    pub updated_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl BulkRow for NewPlannedAction {
    const COLUMNS: usize = 15;
}

impl PlannedAction {
    pub fn status(&self) -> ActionStatus {
        ActionStatus::parse(&self.status).unwrap_or(ActionStatus::Open)
    }
}

/// The planned action with `id`.
pub fn get(db: &mut Db, id: PlannedActionId) -> Result<PlannedAction> {
    <PlannedAction as Stored>::get(db, id)
}

/// A case's open planned actions, the earliest due first: what a follow-up on the case can
/// complete.
pub fn open_of_case(db: &mut Db, case_id: CaseId) -> Result<Vec<PlannedAction>> {
    Ok(planned_actions::table
        .filter(planned_actions::case_id.eq(case_id))
        .filter(planned_actions::status.eq(ActionStatus::Open.as_str()))
        .order((planned_actions::due_at.asc(), planned_actions::id.asc()))
        .select(PlannedAction::as_select())
        .load(db)?)
}

/// One planned action of a case, as its history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRow {
    pub action: PlannedAction,
    /// The kind's name.
    pub kind: String,
    /// The assignee's login.
    pub assignee: String,
}

/// Every planned action of a case or complaint, open, done and cancelled, the latest due first.
pub fn of_subject(db: &mut Db, subject: Subject) -> Result<Vec<PlannedRow>> {
    let query = planned_actions::table.into_boxed();
    let query = match subject {
        Subject::Case(id) => query.filter(planned_actions::case_id.eq(id)),
        Subject::Complaint(id) => query.filter(planned_actions::complaint_id.eq(id)),
    };
    let actions: Vec<PlannedAction> = query
        .order((planned_actions::due_at.desc(), planned_actions::id.desc()))
        .select(PlannedAction::as_select())
        .load(db)?;
    let kinds = names::lookups(db, actions.iter().map(|a| a.kind_id))?;
    let users = names::users(db, actions.iter().map(|a| a.assignee_id))?;
    Ok(actions
        .into_iter()
        .map(|action| PlannedRow {
            kind: kinds.get(&action.kind_id).cloned().unwrap_or_default(),
            assignee: users.get(&action.assignee_id).cloned().unwrap_or_default(),
            action,
        })
        .collect())
}

/// Refuses a change of the action `old` unless it is still open.
fn still_open(old: &PlannedAction) -> Result<()> {
    if old.status() != ActionStatus::Open {
        return Err(Error::Invalid(vec![FieldError {
            field: "field.planned-action",
            reason: t!("invalid.action-not-open"),
        }]));
    }
    Ok(())
}

/// Changes an open action through [`versioned::update`] and keeps its case's next due time, in
/// one transaction. `what` names the change when `actor` may not work for its assignee (see
/// [`super::users::may_work_for`]).
fn change(
    db: &mut Db,
    actor: &Actor,
    id: PlannedActionId,
    expected_version: i64,
    what: String,
    change: impl FnOnce(&mut Db, &PlannedAction) -> Result<Changed>,
) -> Result<PlannedAction> {
    super::write(db, |db| {
        let new = versioned::update(
            db,
            actor,
            id,
            expected_version,
            AuditAction::Update,
            still_open,
            |db, old, _| {
                super::users::require_work_for(db, actor, old.assignee_id, &what)?;
                change(db, old)
            },
        )?;
        if let Some(case_id) = new.case_id {
            super::cases::refresh_next_due(db, case_id)?;
        }
        Ok(new)
    })
}

/// Moves an open action still at `expected_version` to a new due time (by whoever may work for
/// its assignee). A time in the past is allowed: see [`warnings`].
pub fn reschedule(
    db: &mut Db,
    actor: &Actor,
    id: PlannedActionId,
    expected_version: i64,
    due_at: NaiveDateTime,
) -> Result<PlannedAction> {
    let what = t!("forbidden.reschedule", id = id);
    change(db, actor, id, expected_version, what, |db, _| {
        diesel::update(planned_actions::table.find(id))
            .set(planned_actions::due_at.eq(due_at))
            .execute(db)?;
        Ok(Changed::Yes)
    })
}

/// Gives an open action still at `expected_version` to another active user (a manager's work,
/// for an action of someone they may work for, to someone they may work for).
pub fn reassign(
    db: &mut Db,
    actor: &Actor,
    id: PlannedActionId,
    expected_version: i64,
    assignee_id: UserId,
) -> Result<PlannedAction> {
    actor.require(Role::Manager, &t!("forbidden.reassign"))?;
    let what = t!("forbidden.reassign-action", id = id);
    change(db, actor, id, expected_version, what, |db, old| {
        let mut errors = Vec::new();
        super::cases::check_active_user(db, assignee_id, "field.assignee", &mut errors)?;
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        if old.assignee_id == assignee_id {
            return Ok(Changed::No);
        }
        let to = super::users::get(db, assignee_id)?.display_name;
        let what = t!("forbidden.assign-action", id = id, expert = to);
        super::users::require_work_for(db, actor, assignee_id, &what)?;
        diesel::update(planned_actions::table.find(id))
            .set(planned_actions::assignee_id.eq(assignee_id))
            .execute(db)?;
        Ok(Changed::Yes)
    })
}

/// Cancels an open action still at `expected_version` (by whoever may work for its assignee):
/// it leaves the inbox without a follow-up.
pub fn cancel(
    db: &mut Db,
    actor: &Actor,
    id: PlannedActionId,
    expected_version: i64,
) -> Result<PlannedAction> {
    let what = t!("forbidden.cancel-action", id = id);
    change(db, actor, id, expected_version, what, |db, _| {
        diesel::update(planned_actions::table.find(id))
            .set(planned_actions::status.eq(ActionStatus::Cancelled.as_str()))
            .execute(db)?;
        Ok(Changed::Yes)
    })
}

versioned::stored!(
    PlannedAction,
    PlannedActionId,
    planned_actions,
    ENTITY,
    "entity.planned-action"
);
versioned::versioned!(PlannedAction, planned_actions, updated_by);

/// What is allowed but worth a second look when an action is due at `due_at`: a time already
/// past at `now`.
pub fn warnings(due_at: NaiveDateTime, now: NaiveDateTime) -> Vec<FieldError> {
    if due_at < now {
        vec![FieldError {
            field: "field.due-at",
            reason: t!("warning.due-past"),
        }]
    } else {
        Vec::new()
    }
}
