//! The follow-up log across all cases and complaints, newest first, a window at a time, and
//! recording a follow-up together with the status change, the next action and the completed
//! action it brings ([`record`]).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::Db;
use crate::db::ids::{
    CaseId, CaseStatusId, ComplaintId, ContactId, FollowUpId, LookupId, PlannedActionId, UserId,
};
use crate::db::schema::{followups, planned_actions};
use crate::error::{Error, FieldError, Result};
use crate::store::lookups::List;
use crate::t;

use super::audit::AuditAction;
use super::bulk::BulkRow;
use super::cases::{self, Case, ClosingInfo, check_active_user, check_lookup};
use super::planned::{ActionStatus, NewPlannedAction, PlannedAction};
use super::versioned;
use super::{Actor, Role, keyset, names};

/// One line of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpRow {
    pub id: FollowUpId,
    pub happened_at: NaiveDateTime,
    /// The case or complaint number.
    pub subject: String,
    /// The customer the case or complaint is about.
    pub customer: String,
    pub kind: String,
    pub expert: String,
    pub minutes: i32,
    pub description: String,
    /// The case it is on (exactly one of `case_id` and `complaint_id` is set).
    pub case_id: Option<CaseId>,
    pub complaint_id: Option<ComplaintId>,
}

/// Where a page starts: after this (time, id), going back in time. A page is the range of
/// `(happened_at, id)` below the key ([`keyset`]), read from `followups_happened_idx (happened_at,
/// id)`, or from the index of the filter's column followed by the time.
pub type FollowUpKey = (NaiveDateTime, FollowUpId);

pub fn key(row: &FollowUpRow) -> FollowUpKey {
    (row.happened_at, row.id)
}

type Raw = (
    FollowUpId,
    NaiveDateTime,
    Option<CaseId>,
    Option<ComplaintId>,
    LookupId,
    UserId,
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
                    case_id,
                    complaint_id,
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

/// Which follow-ups the log shows; every criterion set must hold. The default shows them all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUpFilter {
    /// Only this expert's.
    pub expert_id: Option<UserId>,
    /// Only of this kind (an entry of the follow-up kind list).
    pub kind_id: Option<LookupId>,
    /// Only those that happened at or after this time (UTC).
    pub from: Option<NaiveDateTime>,
    /// Only those that happened before this time (UTC).
    pub until: Option<NaiveDateTime>,
    /// Only those on this case.
    pub case_id: Option<CaseId>,
}

type BoxedFollowUps<'a> = followups::BoxedQuery<'a, crate::db::MultiBackend>;

/// The follow-ups `filter` lets through, not yet ordered or limited.
fn filtered(filter: &FollowUpFilter) -> BoxedFollowUps<'static> {
    let mut query = followups::table.into_boxed();
    if let Some(expert) = filter.expert_id {
        query = query.filter(followups::expert_id.eq(expert));
    }
    if let Some(kind) = filter.kind_id {
        query = query.filter(followups::kind_id.eq(kind));
    }
    if let Some(from) = filter.from {
        query = query.filter(followups::happened_at.ge(from));
    }
    if let Some(until) = filter.until {
        query = query.filter(followups::happened_at.lt(until));
    }
    if let Some(case) = filter.case_id {
        query = query.filter(followups::case_id.eq(case));
    }
    query
}

/// Up to `limit` follow-ups `filter` lets through, older than `after`, newest first.
pub fn page(
    db: &mut Db,
    filter: &FollowUpFilter,
    after: Option<&FollowUpKey>,
    limit: i64,
) -> Result<Vec<FollowUpRow>> {
    let mut query = filtered(filter)
        .select(followup_columns!())
        .order((followups::happened_at.desc(), followups::id.desc()))
        .limit(limit);
    if let Some(&key) = after {
        query = query.filter(keyset::less((followups::happened_at, followups::id), key));
    }
    let raw: Vec<Raw> = query.load(db)?;
    decorate(db, raw)
}

/// Up to `limit` follow-ups `filter` lets through, newer than `before`, in list order.
pub fn page_before(
    db: &mut Db,
    filter: &FollowUpFilter,
    before: &FollowUpKey,
    limit: i64,
) -> Result<Vec<FollowUpRow>> {
    let mut raw: Vec<Raw> = filtered(filter)
        .select(followup_columns!())
        .filter(keyset::greater(
            (followups::happened_at, followups::id),
            *before,
        ))
        .order((followups::happened_at.asc(), followups::id.asc()))
        .limit(limit)
        .load(db)?;
    raw.reverse();
    decorate(db, raw)
}

/// The oldest `limit` follow-ups `filter` lets through, in list order (newest first).
pub fn last_page(db: &mut Db, filter: &FollowUpFilter, limit: i64) -> Result<Vec<FollowUpRow>> {
    let mut raw: Vec<Raw> = filtered(filter)
        .select(followup_columns!())
        .order((followups::happened_at.asc(), followups::id.asc()))
        .limit(limit)
        .load(db)?;
    raw.reverse();
    decorate(db, raw)
}

/// How many follow-ups `filter` lets through.
pub fn count(db: &mut Db, filter: &FollowUpFilter) -> Result<i64> {
    Ok(filtered(filter).count().get_result(db)?)
}

/// The latest follow-ups on a contact's cases and complaints, newest first, at most `limit`.
pub fn of_contact(db: &mut Db, contact_id: ContactId, limit: i64) -> Result<Vec<FollowUpRow>> {
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

/// The latest follow-ups on one case or complaint, newest first, at most `limit`.
pub fn of_subject(db: &mut Db, subject: Subject, limit: i64) -> Result<Vec<FollowUpRow>> {
    let query = followups::table.select(followup_columns!()).into_boxed();
    let query = match subject {
        Subject::Case(id) => query.filter(followups::case_id.eq(id)),
        Subject::Complaint(id) => query.filter(followups::complaint_id.eq(id)),
    };
    let raw: Vec<Raw> = query
        .order((followups::happened_at.desc(), followups::id.desc()))
        .limit(limit)
        .load(db)?;
    decorate(db, raw)
}

// ---------------------------------------------------------------------------------------------
// Recording a follow-up, with the status change and the next action it brings, in one go

/// The audit log's entity for a follow-up.
pub const ENTITY: &str = "followup";

/// The most minutes one follow-up can have taken (a day).
pub const MAX_MINUTES: i32 = 24 * 60;
/// The most minutes a planned action can be estimated at (a week).
pub const MAX_ESTIMATE: i32 = 7 * 24 * 60;

/// What a follow-up or planned action is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Subject {
    Case(CaseId),
    Complaint(ComplaintId),
}

impl Subject {
    pub fn case_id(self) -> Option<CaseId> {
        match self {
            Subject::Case(id) => Some(id),
            Subject::Complaint(_) => None,
        }
    }

    pub fn complaint_id(self) -> Option<ComplaintId> {
        match self {
            Subject::Complaint(id) => Some(id),
            Subject::Case(_) => None,
        }
    }
}

/// The next action planned in a follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextAction {
    /// An entry of the action kind list.
    pub kind_id: LookupId,
    /// What is needed; required.
    pub description: String,
    /// Who is to do it; an active user.
    pub assignee_id: UserId,
    pub due_at: NaiveDateTime,
    pub estimated_minutes: i32,
}

/// A follow-up as the form (or `peygir followup add`) gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpInput {
    pub subject: Subject,
    /// The subject's version when the form was opened: when given, a subject changed since is a
    /// conflict.
    pub subject_version: Option<i64>,
    /// An entry of the follow-up kind list.
    pub kind_id: LookupId,
    /// When it happened (UTC); the caller fills in now by default.
    pub happened_at: NaiveDateTime,
    /// Who followed up; an active user (the caller fills in the acting user by default).
    pub expert_id: UserId,
    /// The time spent, 0 to [`MAX_MINUTES`].
    pub minutes: i32,
    /// What was said or done; required.
    pub description: String,
    /// The case's status after it: changed in the same transaction, by the allowed transitions.
    /// Only for a case.
    pub status_after_id: Option<CaseStatusId>,
    /// What a closing `status_after_id` needs: see `cases::change_status`.
    pub closing: ClosingInfo,
    /// The next action planned with it.
    pub next: Option<NextAction>,
    /// An open planned action this follow-up carried out, with its version when the form was
    /// opened: it is closed as done and linked to the follow-up.
    pub completes: Option<(PlannedActionId, i64)>,
}

/// What recording a follow-up stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub followup: FollowUp,
    /// The next action planned with it.
    pub next_action: Option<PlannedAction>,
    /// The planned action it completed.
    pub completed: Option<PlannedAction>,
    /// The case after it all (a new version when its status changed), when the subject is a case.
    pub case: Option<Case>,
    /// Whether the case's status changed.
    pub status_changed: bool,
}

/// A stored follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = followups)]
pub struct FollowUp {
    pub id: FollowUpId,
    pub case_id: Option<CaseId>,
    pub complaint_id: Option<ComplaintId>,
    pub kind_id: LookupId,
    pub happened_at: NaiveDateTime,
    pub expert_id: UserId,
    pub minutes: i32,
    pub description: String,
    pub status_after_id: Option<CaseStatusId>,
    pub version: i64,
    pub created_by: UserId,
    pub updated_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

versioned::stored!(FollowUp, FollowUpId, followups, ENTITY, "entity.followup");

/// A new follow-up: on a case or a complaint (exactly one of the two).
#[derive(Debug, Clone, Default, PartialEq, Insertable)]
#[diesel(table_name = followups, treat_none_as_default_value = false)]
pub struct NewFollowUp {
    pub case_id: Option<CaseId>,
    pub complaint_id: Option<ComplaintId>,
    pub kind_id: LookupId,
    pub happened_at: NaiveDateTime,
    pub expert_id: UserId,
    pub minutes: i32,
    pub description: String,
    pub status_after_id: Option<CaseStatusId>,
    pub created_by: UserId,
    pub updated_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl BulkRow for NewFollowUp {
    const COLUMNS: usize = 12;
}

/// The follow-up with `id`.
pub fn get(db: &mut Db, id: FollowUpId) -> Result<FollowUp> {
    <FollowUp as super::versioned::Stored>::get(db, id)
}

fn clean_description(text: &str) -> String {
    crate::domain::text::clean_text(Some(text)).unwrap_or_default()
}

/// What is allowed but worth a second look in `input` at `now`: a next action due in the past,
/// a follow-up dated in the future. The form shows them and saves on a second confirmation.
pub fn warnings(input: &FollowUpInput, now: NaiveDateTime) -> Vec<FieldError> {
    let mut warnings = Vec::new();
    if input.happened_at > now + chrono::TimeDelta::minutes(5) {
        warnings.push(FieldError {
            field: "field.happened-at",
            reason: t!("warning.happened-future"),
        });
    }
    if let Some(next) = &input.next {
        warnings.extend(super::planned::warnings(next.due_at, now));
    }
    warnings
}

/// Everything wrong with `input` whose subject is `case` (when a case): every field at once.
fn input_errors(
    db: &mut Db,
    input: &FollowUpInput,
    case: Option<&Case>,
) -> Result<Vec<FieldError>> {
    let mut errors = Vec::new();
    if clean_description(&input.description).is_empty() {
        errors.push(FieldError {
            field: "field.description",
            reason: t!("invalid.required"),
        });
    }
    check_lookup(
        db,
        List::FollowupKind,
        input.kind_id,
        None,
        "field.kind",
        &mut errors,
    )?;
    if !(0..=MAX_MINUTES).contains(&input.minutes) {
        errors.push(FieldError {
            field: "field.minutes",
            reason: t!("invalid.minutes", max = MAX_MINUTES),
        });
    }
    check_active_user(db, input.expert_id, "field.expert", &mut errors)?;
    if let Some(to) = input.status_after_id {
        match case {
            Some(case) => errors.extend(cases::status_change_errors(db, case, to, &input.closing)?),
            None => errors.push(FieldError {
                field: "field.status",
                reason: t!("invalid.status-not-for-complaints"),
            }),
        }
    }
    if let Some(next) = &input.next {
        check_lookup(
            db,
            List::ActionKind,
            next.kind_id,
            None,
            "field.next-kind",
            &mut errors,
        )?;
        if clean_description(&next.description).is_empty() {
            errors.push(FieldError {
                field: "field.next-description",
                reason: t!("invalid.required"),
            });
        }
        check_active_user(db, next.assignee_id, "field.assignee", &mut errors)?;
        if !(0..=MAX_ESTIMATE).contains(&next.estimated_minutes) {
            errors.push(FieldError {
                field: "field.estimated-minutes",
                reason: t!("invalid.minutes", max = MAX_ESTIMATE),
            });
        }
    }
    if let Some((id, _)) = input.completes {
        let action = super::planned::get(db, id)?;
        if action.case_id != input.subject.case_id()
            || action.complaint_id != input.subject.complaint_id()
        {
            errors.push(FieldError {
                field: "field.planned-action",
                reason: t!("invalid.action-other-subject"),
            });
        } else if action.status() != ActionStatus::Open {
            errors.push(FieldError {
                field: "field.planned-action",
                reason: t!("invalid.action-not-open"),
            });
        }
    }
    Ok(errors)
}

/// Opens a case and records its first follow-up (with its next action) together, as a call
/// about something new does: when either fails, neither is stored. `input.subject` is set to
/// the new case.
pub fn record_on_new_case(
    db: &mut Db,
    actor: &Actor,
    case: cases::CaseFields,
    mut input: FollowUpInput,
) -> Result<Recorded> {
    super::write(db, |db| {
        let case = cases::create(db, actor, case)?;
        input.subject = Subject::Case(case.id);
        input.subject_version = Some(case.version);
        record(db, actor, input)
    })
}

/// Records a follow-up with everything it brings, in ONE transaction: the case's status change
/// (by the allowed transitions; a won status records the sale), the follow-up itself, the next
/// action planned in it, and the planned action it carried out (closed as done, linked to it).
/// If any part fails nothing is written. Fails with `Error::NotFound` when the subject (or the
/// action to complete) is gone, `Error::Conflict` when one was changed since the form read it
/// (`subject_version`, the version in `completes`), and `Error::Invalid` naming every field that
/// is wrong; `Error::Forbidden` when the actor may not work for the case's expert or for the
/// assignee of the action it completes (see `users::may_work_for`). See [`warnings`] for what
/// is allowed but unusual.
pub fn record(db: &mut Db, actor: &Actor, input: FollowUpInput) -> Result<Recorded> {
    actor.require(Role::Agent, &t!("forbidden.record-followups"))?;
    super::write(db, |db| {
        let case = match input.subject {
            Subject::Case(id) => {
                let case = cases::get(db, id)?;
                if input.subject_version.is_some_and(|v| v != case.version) {
                    return Err(versioned::changed_since::<Case>(db, id));
                }
                let what = t!("forbidden.followup-case", number = case.number);
                super::users::require_work_for(db, actor, case.expert_id, &what)?;
                Some(case)
            }
            Subject::Complaint(id) => {
                use crate::db::schema::complaints;
                let version: Option<i64> = complaints::table
                    .find(id)
                    .select(complaints::version)
                    .first(db)
                    .optional()?;
                match version {
                    None => {
                        return Err(Error::NotFound {
                            entity: t!("entity.complaint"),
                            id: id.into(),
                        });
                    }
                    Some(v) if input.subject_version.is_some_and(|e| e != v) => {
                        return Err(versioned::changed_since::<super::complaints::Complaint>(
                            db, id,
                        ));
                    }
                    Some(_) => None,
                }
            }
        };
        if let Some((action_id, _)) = input.completes {
            let action = super::planned::get(db, action_id)?;
            let what = t!("forbidden.complete-action", id = action_id);
            super::users::require_work_for(db, actor, action.assignee_id, &what)?;
        }
        let errors = input_errors(db, &input, case.as_ref())?;
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let now = super::now();

        // 1. The case's status.
        let mut status_changed = false;
        let mut case = case;
        if let (Some(old), Some(to)) = (case.as_ref(), input.status_after_id)
            && let (Some(target), closing) =
                cases::check_status_change(db, old, to, input.closing.clone())?
        {
            case = Some(cases::apply_status_change(
                db, actor, old, &target, &closing, now,
            )?);
            status_changed = true;
        }

        // 2. The follow-up.
        let row = NewFollowUp {
            case_id: input.subject.case_id(),
            complaint_id: input.subject.complaint_id(),
            kind_id: input.kind_id,
            happened_at: input.happened_at,
            expert_id: input.expert_id,
            minutes: input.minutes,
            description: clean_description(&input.description),
            status_after_id: input.status_after_id,
            created_by: actor.id,
            updated_by: actor.id,
            created_at: now,
            updated_at: now,
        };
        let id: FollowUpId = super::insert_one!(db, followups, &row)?;
        let followup: FollowUp = versioned::created(db, actor, id)?;

        // 3. The next action.
        let next_action = match &input.next {
            Some(next) => {
                let row = NewPlannedAction {
                    case_id: input.subject.case_id(),
                    complaint_id: input.subject.complaint_id(),
                    kind_id: next.kind_id,
                    description: clean_description(&next.description),
                    assignee_id: next.assignee_id,
                    due_at: next.due_at,
                    estimated_minutes: next.estimated_minutes,
                    status: ActionStatus::Open.as_str().to_string(),
                    planned_in_followup_id: Some(id),
                    done_by_followup_id: None,
                    done_at: None,
                    created_by: actor.id,
                    updated_by: actor.id,
                    created_at: now,
                    updated_at: now,
                };
                let action_id: PlannedActionId = super::insert_one!(db, planned_actions, &row)?;
                let action: PlannedAction = versioned::created(db, actor, action_id)?;
                Some(action)
            }
            None => None,
        };

        // 4. The planned action it carried out, last: if it was changed meanwhile, everything
        // above is rolled back with it.
        let completed = match input.completes {
            Some((action_id, version)) => {
                let old = super::planned::get(db, action_id)?;
                if old.version != version || old.status() != ActionStatus::Open {
                    return Err(versioned::conflict::<PlannedAction>(action_id));
                }
                diesel::update(planned_actions::table.find(action_id))
                    .set((
                        planned_actions::status.eq(ActionStatus::Done.as_str()),
                        planned_actions::done_by_followup_id.eq(Some(id)),
                        planned_actions::done_at.eq(Some(input.happened_at)),
                    ))
                    .execute(db)?;
                let new = versioned::finish(db, actor, &old, AuditAction::Update, now)?;
                Some(new)
            }
            None => None,
        };

        if let Some(case_id) = input.subject.case_id() {
            cases::refresh_next_due(db, case_id)?;
            case = Some(cases::get(db, case_id)?);
        }
        Ok(Recorded {
            followup,
            next_action,
            completed,
            case,
            status_changed,
        })
    })
}
