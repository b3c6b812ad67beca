//! Case statuses and the transitions allowed between them: the funnel every store starts with
//! (new, contacted, qualified, proposal sent, negotiation, then won, lost or cancelled), and what
//! an admin changes of it (adding and renaming statuses, allowing and forbidding moves).
//!
//! Each status keeps a stable `code` next to its `name`, so a script can name it in any language.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::Db;
use crate::db::ids::CaseStatusId;
use crate::db::schema::{case_status_transitions, case_statuses};
use crate::domain::text;
use crate::error::{Error, FieldError, Result};
use crate::t;

use super::audit::{self, AuditAction};
use super::lookups::Named;
use super::versioned::{self, Changed, Stored};
use super::{Actor, Role};

/// What a case status means for the case: still open, or closed and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    Open,
    Won,
    Lost,
    Cancelled,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Open => "open",
            Outcome::Won => "won",
            Outcome::Lost => "lost",
            Outcome::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Outcome> {
        match text {
            "open" => Some(Outcome::Open),
            "won" => Some(Outcome::Won),
            "lost" => Some(Outcome::Lost),
            "cancelled" => Some(Outcome::Cancelled),
            _ => None,
        }
    }
}

/// One case status.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = case_statuses)]
pub struct CaseStatus {
    pub id: CaseStatusId,
    pub code: String,
    pub name: String,
    pub outcome: String,
    pub is_initial: bool,
    pub position: i32,
    pub active: bool,
    pub version: i64,
}

impl CaseStatus {
    /// The status's outcome; an unknown value (which the table's check prevents) counts as open.
    pub fn outcome(&self) -> Outcome {
        Outcome::parse(&self.outcome).unwrap_or(Outcome::Open)
    }
}

/// The default case statuses in funnel order: (code, name, outcome). The first is the initial one.
const STATUSES: &[(&str, Named, Outcome)] = &[
    (
        "new",
        Named {
            en: "New",
            fa: "جدید",
        },
        Outcome::Open,
    ),
    (
        "contacted",
        Named {
            en: "Contacted",
            fa: "تماس گرفته شد",
        },
        Outcome::Open,
    ),
    (
        "qualified",
        Named {
            en: "Qualified",
            fa: "واجد شرایط",
        },
        Outcome::Open,
    ),
    (
        "proposal",
        Named {
            en: "Proposal sent",
            fa: "پیشنهاد ارسال شد",
        },
        Outcome::Open,
    ),
    (
        "negotiation",
        Named {
            en: "Negotiation",
            fa: "مذاکره",
        },
        Outcome::Open,
    ),
    (
        "won",
        Named {
            en: "Won",
            fa: "موفق",
        },
        Outcome::Won,
    ),
    (
        "lost",
        Named {
            en: "Lost",
            fa: "ناموفق",
        },
        Outcome::Lost,
    ),
    (
        "cancelled",
        Named {
            en: "Cancelled",
            fa: "لغوشده",
        },
        Outcome::Cancelled,
    ),
];

/// Where a closed case is reopened to.
const REOPEN_TO: &str = "negotiation";

/// The default transitions as (from, to) codes: an open status moves forward to any later open
/// status or to won, back to any earlier open status, and to lost or cancelled; a closed status
/// can only be reopened to negotiation.
fn default_transitions() -> Vec<(&'static str, &'static str)> {
    let open: Vec<&str> = STATUSES
        .iter()
        .filter(|s| s.2 == Outcome::Open)
        .map(|s| s.0)
        .collect();
    let closed: Vec<&str> = STATUSES
        .iter()
        .filter(|s| s.2 != Outcome::Open)
        .map(|s| s.0)
        .collect();
    let mut pairs = Vec::new();
    for (i, from) in open.iter().enumerate() {
        for (j, to) in open.iter().enumerate() {
            if i != j {
                pairs.push((*from, *to));
            }
        }
        for to in &closed {
            pairs.push((*from, *to));
        }
    }
    for from in &closed {
        pairs.push((*from, REOPEN_TO));
    }
    pairs
}

#[derive(Insertable)]
#[diesel(table_name = case_statuses)]
struct NewCaseStatus<'a> {
    code: &'a str,
    name: &'a str,
    outcome: &'a str,
    is_initial: bool,
    position: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

pub(crate) fn ensure_defaults(db: &mut Db, now: NaiveDateTime) -> Result<()> {
    let existing: Vec<CaseStatus> = case_statuses::table
        .select(CaseStatus::as_select())
        .load(db)?;
    let has_initial = existing.iter().any(|s| s.is_initial);
    let mut ids: BTreeMap<&str, CaseStatusId> = BTreeMap::new();
    let mut created: BTreeSet<&str> = BTreeSet::new();
    for (position, (code, name, outcome)) in (1..).zip(STATUSES) {
        if let Some(status) = existing.iter().find(|s| s.code == *code) {
            ids.insert(code, status.id);
            continue;
        }
        let row = NewCaseStatus {
            code,
            name: name.in_force(),
            outcome: outcome.as_str(),
            is_initial: !has_initial && position == 1,
            position,
            created_at: now,
            updated_at: now,
        };
        let id: CaseStatusId = super::insert_one!(db, case_statuses, &row)?;
        ids.insert(code, id);
        created.insert(code);
    }
    let present: BTreeSet<(CaseStatusId, CaseStatusId)> = case_status_transitions::table
        .select((
            case_status_transitions::from_status_id,
            case_status_transitions::to_status_id,
        ))
        .load::<(CaseStatusId, CaseStatusId)>(db)?
        .into_iter()
        .collect();
    for (from, to) in default_transitions() {
        if !created.contains(from) && !created.contains(to) {
            continue;
        }
        let (Some(&from_id), Some(&to_id)) = (ids.get(from), ids.get(to)) else {
            continue;
        };
        if present.contains(&(from_id, to_id)) {
            continue;
        }
        diesel::insert_into(case_status_transitions::table)
            .values((
                case_status_transitions::from_status_id.eq(from_id),
                case_status_transitions::to_status_id.eq(to_id),
            ))
            .execute(db)?;
    }
    Ok(())
}

/// Every case status, active or not, in funnel order.
pub fn all(db: &mut Db) -> Result<Vec<CaseStatus>> {
    Ok(case_statuses::table
        .order((case_statuses::position.asc(), case_statuses::id.asc()))
        .select(CaseStatus::as_select())
        .load(db)?)
}

/// The allowed status changes as (from, to) status ids.
pub fn transitions(db: &mut Db) -> Result<Vec<(CaseStatusId, CaseStatusId)>> {
    Ok(case_status_transitions::table
        .order((
            case_status_transitions::from_status_id.asc(),
            case_status_transitions::to_status_id.asc(),
        ))
        .select((
            case_status_transitions::from_status_id,
            case_status_transitions::to_status_id,
        ))
        .load(db)?)
}

/// The audit log's entity for a case status.
pub const ENTITY: &str = "case-status";
/// The audit log's entity for an allowed transition; its id is the status it leaves.
pub const TRANSITION_ENTITY: &str = "case-status-transition";

/// An allowed transition, as the audit log records it.
#[derive(Debug, Clone, serde::Serialize)]
struct TransitionRecord {
    from_status_id: CaseStatusId,
    to_status_id: CaseStatusId,
    from: String,
    to: String,
}

/// The case status with `id`, active or not.
pub fn get(db: &mut Db, id: CaseStatusId) -> Result<CaseStatus> {
    <CaseStatus as Stored>::get(db, id)
}

/// The status whose code or name is `text` (letter case, digit script and Persian letter
/// variants ignored), active or not; a code wins over another status's name.
pub fn find(db: &mut Db, text: &str) -> Result<Option<CaseStatus>> {
    let key = text::search_key(text.trim());
    let all = all(db)?;
    let found = all
        .iter()
        .find(|s| text::search_key(&s.code) == key)
        .or_else(|| all.iter().find(|s| text::search_key(&s.name) == key));
    Ok(found.cloned())
}

/// The status a new case starts in: the active one marked initial, if any.
pub fn initial(db: &mut Db) -> Result<Option<CaseStatus>> {
    Ok(case_statuses::table
        .filter(case_statuses::is_initial.eq(true))
        .filter(case_statuses::active.eq(true))
        .order(case_statuses::id.asc())
        .select(CaseStatus::as_select())
        .first(db)
        .optional()?)
}

/// The active statuses a case in status `from` may move to, in funnel order.
pub fn allowed_from(db: &mut Db, from: CaseStatusId) -> Result<Vec<CaseStatus>> {
    Ok(case_statuses::table
        .filter(
            case_statuses::id.eq_any(
                case_status_transitions::table
                    .filter(case_status_transitions::from_status_id.eq(from))
                    .select(case_status_transitions::to_status_id),
            ),
        )
        .filter(case_statuses::active.eq(true))
        .order((case_statuses::position.asc(), case_statuses::id.asc()))
        .select(CaseStatus::as_select())
        .load(db)?)
}

/// Whether a case may move from status `from` to status `to`.
pub fn is_allowed(db: &mut Db, from: CaseStatusId, to: CaseStatusId) -> Result<bool> {
    Ok(case_status_transitions::table
        .find((from, to))
        .count()
        .get_result::<i64>(db)?
        > 0)
}

/// A status an admin adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStatus {
    pub name: String,
    /// The stable code scripts name it by; made from the name when not given.
    pub code: Option<String>,
    pub outcome: Outcome,
    /// Whether new cases start in it (the status that was initial no longer is). Only an open
    /// status can be initial.
    pub initial: bool,
}

/// A code made from a name: its words, Persian-normalised and lower case, joined by `-`.
fn code_from(name: &str) -> String {
    text::search_key(name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn clean_name(name: &str) -> String {
    text::clean_line(name)
}

/// Refuses a status name or code another status already has, naming it.
fn check_status_unique(
    db: &mut Db,
    name: &str,
    code: Option<&str>,
    except: Option<CaseStatusId>,
) -> Result<Vec<FieldError>> {
    let mut errors = Vec::new();
    let others: Vec<CaseStatus> = all(db)?
        .into_iter()
        .filter(|s| Some(s.id) != except)
        .collect();
    let key = text::search_key(name);
    if let Some(other) = others.iter().find(|s| text::search_key(&s.name) == key) {
        errors.push(FieldError {
            field: "field.status-name",
            reason: t!("invalid.status-taken", name = other.name, code = other.code),
        });
    }
    if let Some(code) = code
        && let Some(other) = others.iter().find(|s| s.code == code)
    {
        errors.push(FieldError {
            field: "field.status-code",
            reason: t!("invalid.status-taken", name = other.name, code = other.code),
        });
    }
    Ok(errors)
}

/// Clears the initial mark of every status but `except`, auditing each change.
fn clear_initial(db: &mut Db, actor: &Actor, except: CaseStatusId) -> Result<()> {
    let marked: Vec<CaseStatus> = case_statuses::table
        .filter(case_statuses::is_initial.eq(true))
        .filter(case_statuses::id.ne(except))
        .select(CaseStatus::as_select())
        .load(db)?;
    for old in marked {
        diesel::update(case_statuses::table.find(old.id))
            .set(case_statuses::is_initial.eq(false))
            .execute(db)?;
        versioned::finish(db, actor, &old, AuditAction::Update, super::now())?;
    }
    Ok(())
}

/// Adds a case status (admin work). It can be moved to and from only once transitions are
/// allowed for it.
pub fn add(db: &mut Db, actor: &Actor, new: NewStatus) -> Result<CaseStatus> {
    actor.require(Role::Admin, &t!("forbidden.edit-statuses"))?;
    let name = clean_name(&new.name);
    let code = match new.code.as_deref().map(clean_name) {
        Some(code) if !code.is_empty() => code,
        _ => code_from(&name),
    };
    super::write(db, |db| {
        let mut errors = Vec::new();
        if name.is_empty() {
            errors.push(FieldError {
                field: "field.status-name",
                reason: t!("invalid.required"),
            });
        } else {
            errors.extend(check_status_unique(db, &name, Some(&code), None)?);
        }
        if new.initial && new.outcome != Outcome::Open {
            errors.push(FieldError {
                field: "field.initial",
                reason: t!("invalid.initial-not-open"),
            });
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let position = case_statuses::table
            .select(diesel::dsl::max(case_statuses::position))
            .first::<Option<i32>>(db)?
            .unwrap_or(0)
            + 1;
        let now = super::now();
        let row = NewCaseStatus {
            code: &code,
            name: &name,
            outcome: new.outcome.as_str(),
            is_initial: new.initial,
            position,
            created_at: now,
            updated_at: now,
        };
        let id: CaseStatusId = super::insert_one!(db, case_statuses, &row)?;
        if new.initial {
            clear_initial(db, actor, id)?;
        }
        let created: CaseStatus = versioned::created(db, actor, id)?;
        Ok(created)
    })
}

/// Renames a status still at `expected_version` (admin work); its code stays.
pub fn rename(
    db: &mut Db,
    actor: &Actor,
    id: CaseStatusId,
    expected_version: i64,
    name: &str,
) -> Result<CaseStatus> {
    actor.require(Role::Admin, &t!("forbidden.edit-statuses"))?;
    let name = clean_name(name);
    versioned::update(
        db,
        actor,
        id,
        expected_version,
        AuditAction::Update,
        |_: &CaseStatus| Ok(()),
        |db, _, _| {
            if name.is_empty() {
                return Err(Error::Invalid(vec![FieldError {
                    field: "field.status-name",
                    reason: t!("invalid.required"),
                }]));
            }
            let errors = check_status_unique(db, &name, None, Some(id))?;
            if !errors.is_empty() {
                return Err(Error::Invalid(errors));
            }
            diesel::update(case_statuses::table.find(id))
                .set(case_statuses::name.eq(&name))
                .execute(db)?;
            Ok(Changed::Yes)
        },
    )
}

versioned::stored!(
    CaseStatus,
    CaseStatusId,
    case_statuses,
    ENTITY,
    "entity.case-status"
);
versioned::versioned!(CaseStatus, case_statuses);

fn transition_record(from: &CaseStatus, to: &CaseStatus) -> TransitionRecord {
    TransitionRecord {
        from_status_id: from.id,
        to_status_id: to.id,
        from: from.name.clone(),
        to: to.name.clone(),
    }
}

/// Allows cases to move from status `from` to status `to` (admin work). Returns whether the
/// transition is new (allowing one that is allowed already changes nothing).
pub fn allow(db: &mut Db, actor: &Actor, from: CaseStatusId, to: CaseStatusId) -> Result<bool> {
    actor.require(Role::Admin, &t!("forbidden.edit-statuses"))?;
    super::write(db, |db| {
        let from_status = get(db, from)?;
        let to_status = get(db, to)?;
        if from == to {
            return Err(Error::Invalid(vec![FieldError {
                field: "field.status",
                reason: t!("invalid.transition-to-itself", status = from_status.name),
            }]));
        }
        if is_allowed(db, from, to)? {
            return Ok(false);
        }
        diesel::insert_into(case_status_transitions::table)
            .values((
                case_status_transitions::from_status_id.eq(from),
                case_status_transitions::to_status_id.eq(to),
            ))
            .execute(db)?;
        audit::record(
            db,
            actor,
            TRANSITION_ENTITY,
            from,
            AuditAction::Create,
            None,
            Some(&transition_record(&from_status, &to_status)),
        )?;
        Ok(true)
    })
}

/// Stops cases moving from status `from` to status `to` (admin work); cases already moved stay.
/// Returns whether the transition was allowed until now.
pub fn forbid(db: &mut Db, actor: &Actor, from: CaseStatusId, to: CaseStatusId) -> Result<bool> {
    actor.require(Role::Admin, &t!("forbidden.edit-statuses"))?;
    super::write(db, |db| {
        let from_status = get(db, from)?;
        let to_status = get(db, to)?;
        let removed =
            diesel::delete(case_status_transitions::table.find((from, to))).execute(db)?;
        if removed == 0 {
            return Ok(false);
        }
        audit::record(
            db,
            actor,
            TRANSITION_ENTITY,
            from,
            AuditAction::Delete,
            Some(&transition_record(&from_status, &to_status)),
            None,
        )?;
        Ok(true)
    })
}
