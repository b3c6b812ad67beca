//! Customer complaints: the process they go through (ISO 10002's loop) with its history, the
//! corrective and preventive actions, the service-level clocks and the deadlines kept in the
//! owner's inbox, the insert form the demo and the bulk loader share, and the list a window at
//! a time in due order, the late ones first.

use super::keyset::Way;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::Db;
use crate::db::ids::{
    CaseId, ComplaintActionId, ComplaintId, ContactId, LookupId, PlannedActionId, UserId,
};
use crate::db::schema::{complaint_actions, complaint_status_history, complaints, planned_actions};
use crate::domain::working_time::Calendar;
use crate::domain::{text, when};
use crate::error::{Error, FieldError, Result};
use crate::t;

use super::audit::AuditAction;
use super::bulk::BulkRow;
use super::cases::{self, check_active_user, check_lookup};
use super::contacts::SearchedWord;
use super::lookups::{self, List};
use super::planned::{ActionStatus, NewPlannedAction, PlannedAction};
use super::sla::{self, Severity};
use super::versioned::{self, Changed, Stored};
use super::{Actor, Role, contacts, keyset, names, numbers};

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
    pub expert_id: UserId,
    /// What the service-level clocks read: due times, the first response, the closing.
    pub response_due_at: Option<NaiveDateTime>,
    pub resolution_due_at: Option<NaiveDateTime>,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub version: i64,
}

/// Where a page starts: after this (resolution due time, id). The list is in due order, the
/// late ones first; complaints with no due time (recorded before service levels) come last.
pub type ComplaintKey = (Option<NaiveDateTime>, ComplaintId);

pub fn key(row: &ComplaintRow) -> ComplaintKey {
    (row.resolution_due_at, row.id)
}

/// Which complaints the list shows; every criterion set must hold. The default shows all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplaintFilter {
    pub status: Option<ComplaintStatus>,
    /// Only complaints still being worked on (not closed or rejected).
    pub open_only: bool,
    pub severity: Option<Severity>,
    pub category_id: Option<LookupId>,
    pub expert_id: Option<UserId>,
    /// Only open complaints whose resolution was due before this moment (UTC).
    pub late_at: Option<NaiveDateTime>,
    /// Every word must appear in the number or title, or in the customer's name, mobile,
    /// phone, national code or e-mail (Persian-normalised).
    pub search: String,
}

type BoxedComplaints<'a> = complaints::BoxedQuery<'a, crate::db::MultiBackend>;

diesel::define_sql_function! {
    /// SQL's `lower`: a title found whatever its letter case (Persian has none to fold).
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

const CLOSED: [&str; 2] = ["closed", "rejected"];

/// The complaints `filter` lets through, not yet ordered or limited, its searched `words` read
/// with their contacts ([`super::contacts::searched_words`]).
fn filtered(db: &Db, filter: &ComplaintFilter, words: &[SearchedWord]) -> BoxedComplaints<'static> {
    use crate::db::schema::contacts;
    let mut query = complaints::table.into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(complaints::status.eq(status.as_str()));
    }
    if filter.open_only {
        query = query.filter(complaints::status.ne_all(CLOSED));
    }
    if let Some(severity) = filter.severity {
        query = query.filter(complaints::severity.eq(severity.as_str()));
    }
    if let Some(category) = filter.category_id {
        query = query.filter(complaints::category_id.eq(category));
    }
    if let Some(expert) = filter.expert_id {
        query = query.filter(complaints::expert_id.eq(expert));
    }
    if let Some(at) = filter.late_at {
        query = query
            .filter(complaints::status.ne_all(CLOSED))
            .filter(complaints::resolution_due_at.lt(at));
    }
    for (word, holders) in words {
        let pattern = text::like_pattern(word);
        let own = complaints::number
            .like(pattern.to_uppercase())
            .escape('\\')
            .or(lower(complaints::title).like(pattern).escape('\\'));
        query = match holders {
            Some(ids) => query.filter(own.or(complaints::contact_id.eq_any(ids.clone()))),
            None => {
                let holding = super::contacts::holds_words(db, std::slice::from_ref(word));
                let customers = contacts::table
                    .filter(holding.expect("a word"))
                    .select(contacts::id);
                query.filter(own.or(complaints::contact_id.eq_any(customers)))
            }
        };
    }
    query
}

/// The two runs the list is read in: the complaints with a due time, by `(resolution_due_at,
/// id)`, then those without one, by id. Each is a range of `complaints_due_idx
/// (resolution_due_at, id)`: one order over both, with the NULLs last, is no index's order on
/// SQLite (which sorts NULLs first) and left every page reading and sorting every complaint; and a
/// row-value key `(resolution_due_at, id) > (?, ?)` is no match for a NULL due time, so the
/// complaints without one need their own range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Run {
    Due,
    NoDue,
}

/// Up to `limit` complaints `filter` lets through, from `key` (not included; `None`: from the
/// start, or the end going backward) the `way` given, in that way's order: the rest of the key's
/// run, then the next run if the page is not full.
fn read(
    db: &mut Db,
    filter: &ComplaintFilter,
    key: Option<&ComplaintKey>,
    way: Way,
    limit: i64,
) -> Result<Vec<Raw>> {
    let runs = match way {
        Way::Forward => [Run::Due, Run::NoDue],
        Way::Backward => [Run::NoDue, Run::Due],
    };
    let first = match key {
        Some((Some(_), _)) => Run::Due,
        Some((None, _)) => Run::NoDue,
        None => runs[0],
    };
    let words = super::contacts::searched_words(db, &filter.search)?;
    let mut key = key;
    let runs = runs.into_iter().skip_while(|&run| run != first);
    keyset::fill(runs, limit, |run, left| {
        let query = in_run(filtered(db, filter, &words), run, key.take(), way);
        Ok(query.select(Raw::as_select()).limit(left).load::<Raw>(db)?)
    })
}

/// The complaints of `run` beyond `key` the `way` given, in that way's order.
fn in_run(
    query: BoxedComplaints<'static>,
    run: Run,
    key: Option<&ComplaintKey>,
    way: Way,
) -> BoxedComplaints<'static> {
    use complaints::{id, resolution_due_at as due};
    match (run, way) {
        (Run::Due, _) => {
            let query = query.filter(due.is_not_null());
            let query = match (key, way) {
                (Some(&(Some(at), after)), Way::Forward) => {
                    query.filter(keyset::greater((due, id), (at, after)))
                }
                (Some(&(Some(at), before)), Way::Backward) => {
                    query.filter(keyset::less((due, id), (at, before)))
                }
                _ => query,
            };
            match way {
                Way::Forward => query.order((due.asc(), id.asc())),
                Way::Backward => query.order((due.desc(), id.desc())),
            }
        }
        // The due time, NULL throughout the run, is named in the order all the same: PostgreSQL
        // then reads the run in the index's order (it does not take `IS NULL` as fixing the
        // column, as it does `=`), where by id alone it would walk the primary key and filter.
        (Run::NoDue, Way::Forward) => {
            let query = query.filter(due.is_null());
            let query = match key {
                Some(&(_, after)) => query.filter(id.gt(after)),
                None => query,
            };
            query.order((due.asc(), id.asc()))
        }
        (Run::NoDue, Way::Backward) => {
            let query = query.filter(due.is_null());
            let query = match key {
                Some(&(_, before)) => query.filter(id.lt(before)),
                None => query,
            };
            query.order((due.desc(), id.desc()))
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = complaints)]
struct Raw {
    id: ComplaintId,
    number: String,
    received_at: NaiveDateTime,
    title: String,
    contact_id: ContactId,
    status: String,
    severity: String,
    expert_id: UserId,
    response_due_at: Option<NaiveDateTime>,
    resolution_due_at: Option<NaiveDateTime>,
    acknowledged_at: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
    version: i64,
}

fn decorate(db: &mut Db, raw: Vec<Raw>) -> Result<Vec<ComplaintRow>> {
    let customers = names::contacts(db, raw.iter().map(|r| r.contact_id))?;
    let experts = names::users(db, raw.iter().map(|r| r.expert_id))?;
    Ok(raw
        .into_iter()
        .map(|r| ComplaintRow {
            customer: customers.get(&r.contact_id).cloned().unwrap_or_default(),
            expert: experts.get(&r.expert_id).cloned().unwrap_or_default(),
            id: r.id,
            number: r.number,
            received_at: r.received_at,
            title: r.title,
            status: r.status,
            severity: r.severity,
            expert_id: r.expert_id,
            response_due_at: r.response_due_at,
            resolution_due_at: r.resolution_due_at,
            acknowledged_at: r.acknowledged_at,
            closed_at: r.closed_at,
            version: r.version,
        })
        .collect())
}

/// Up to `limit` complaints `filter` lets through, after `after_key`, in list order.
pub fn page(
    db: &mut Db,
    filter: &ComplaintFilter,
    after_key: Option<&ComplaintKey>,
    limit: i64,
) -> Result<Vec<ComplaintRow>> {
    let raw = read(db, filter, after_key, Way::Forward, limit)?;
    decorate(db, raw)
}

/// Up to `limit` complaints `filter` lets through, before `before_key`, in list order.
pub fn page_before(
    db: &mut Db,
    filter: &ComplaintFilter,
    before_key: &ComplaintKey,
    limit: i64,
) -> Result<Vec<ComplaintRow>> {
    let mut raw = read(db, filter, Some(before_key), Way::Backward, limit)?;
    raw.reverse();
    decorate(db, raw)
}

/// The last `limit` complaints `filter` lets through, in list order.
pub fn last_page(db: &mut Db, filter: &ComplaintFilter, limit: i64) -> Result<Vec<ComplaintRow>> {
    let mut raw = read(db, filter, None, Way::Backward, limit)?;
    raw.reverse();
    decorate(db, raw)
}

/// How many complaints `filter` lets through.
pub fn count(db: &mut Db, filter: &ComplaintFilter) -> Result<i64> {
    let words = super::contacts::searched_words(db, &filter.search)?;
    Ok(filtered(db, filter, &words).count().get_result(db)?)
}

/// The complaints a contact made, newest first, at most `limit`.
pub fn of_contact(db: &mut Db, contact_id: ContactId, limit: i64) -> Result<Vec<ComplaintRow>> {
    let raw: Vec<Raw> = complaints::table
        .filter(complaints::contact_id.eq(contact_id))
        .order((complaints::received_at.desc(), complaints::id.desc()))
        .select(Raw::as_select())
        .limit(limit)
        .load(db)?;
    decorate(db, raw)
}

// ---------------------------------------------------------------------------------------------
// The stored complaint and its process

/// The audit log's entity for a complaint.
pub const ENTITY: &str = "complaint";
/// The audit log's entity for a corrective or preventive action.
pub const ACTION_ENTITY: &str = "complaint-action";

/// The most characters of a title, and of the longer texts.
const TITLE_MAX: usize = 200;
const TEXT_MAX: usize = 10_000;

/// What a user types for a new complaint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplaintFields {
    pub title: String,
    pub description: String,
    /// The customer: a person or a company.
    pub contact_id: ContactId,
    /// The sales case it is about, if any.
    pub case_id: Option<CaseId>,
    pub category_id: Option<LookupId>,
    /// How it came in (a marketing channel: phone, e-mail, visit, website…).
    pub channel_id: Option<LookupId>,
    pub severity: Severity,
    /// Who handles it.
    pub expert_id: UserId,
    /// When it was received; now when not given.
    pub received_at: Option<NaiveDateTime>,
    /// What the customer asks to be done.
    pub remedy_requested: Option<String>,
}

/// A stored complaint.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = complaints)]
pub struct Complaint {
    pub id: ComplaintId,
    pub number: String,
    pub title: String,
    pub description: String,
    pub contact_id: ContactId,
    pub case_id: Option<CaseId>,
    pub category_id: Option<LookupId>,
    pub channel_id: Option<LookupId>,
    pub severity: String,
    pub status: String,
    pub expert_id: UserId,
    pub received_at: NaiveDateTime,
    pub resolution: Option<String>,
    pub resolved_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_by: UserId,
    pub updated_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub remedy_requested: Option<String>,
    pub root_cause_id: Option<LookupId>,
    pub satisfaction: Option<i32>,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub response_due_at: Option<NaiveDateTime>,
    pub resolution_due_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub repeat_count: i32,
}

versioned::stored!(
    Complaint,
    ComplaintId,
    complaints,
    ENTITY,
    "entity.complaint"
);
versioned::versioned!(Complaint, complaints, updated_by);

impl Complaint {
    /// Where it stands; an unknown code (which the table's check prevents) reads as received.
    pub fn status(&self) -> ComplaintStatus {
        ComplaintStatus::parse(&self.status).unwrap_or(ComplaintStatus::Received)
    }

    pub fn severity(&self) -> Severity {
        Severity::parse(&self.severity).unwrap_or_default()
    }
}

/// The complaint with `id`.
pub fn get(db: &mut Db, id: ComplaintId) -> Result<Complaint> {
    <Complaint as Stored>::get(db, id)
}

/// The complaint numbered `number` (`C-1405-00042`, in any digit script), if there is one.
pub fn by_number(db: &mut Db, number: &str) -> Result<Option<Complaint>> {
    let number = text::ascii_digits(number.trim()).to_uppercase();
    Ok(complaints::table
        .filter(complaints::number.eq(number))
        .select(Complaint::as_select())
        .first(db)
        .optional()?)
}

/// Checks a text's length in characters.
fn check_length(value: &str, max: usize, field: &'static str, errors: &mut Vec<FieldError>) {
    if value.chars().count() > max {
        errors.push(FieldError::new(field, t!("invalid.too-long", max = max)));
    }
}

/// Records a step of a complaint's history in the transaction the caller runs.
fn record_step(
    db: &mut Db,
    complaint_id: ComplaintId,
    from: Option<ComplaintStatus>,
    to: ComplaintStatus,
    by: UserId,
    at: NaiveDateTime,
    note: Option<String>,
) -> Result<()> {
    diesel::insert_into(complaint_status_history::table)
        .values(NewComplaintStatusChange {
            complaint_id,
            from_status: from.map(|s| s.as_str().to_string()),
            to_status: to.as_str().to_string(),
            changed_by: by,
            changed_at: at,
            note,
        })
        .execute(db)?;
    Ok(())
}

/// Records a complaint, numbered in the Jalali year it was received (`C-1405-00042`), received
/// and with its service level's due times; returns it as stored.
pub fn create(db: &mut Db, actor: &Actor, fields: ComplaintFields) -> Result<Complaint> {
    actor.require(Role::Agent, &t!("forbidden.record-complaints"))?;
    super::write(db, |db| {
        let now = super::now();
        let title = text::clean_line(&fields.title);
        let description = text::clean_text(Some(&fields.description)).unwrap_or_default();
        let remedy_requested = text::clean_text(fields.remedy_requested.as_deref());
        let received_at = fields.received_at.unwrap_or(now);
        let mut errors = Vec::new();
        if title.is_empty() {
            errors.push(FieldError::new("field.title", t!("invalid.required")));
        }
        check_length(&title, TITLE_MAX, "field.title", &mut errors);
        if description.is_empty() {
            errors.push(FieldError::new(
                "field.complaint-description",
                t!("invalid.required"),
            ));
        }
        check_length(
            &description,
            TEXT_MAX,
            "field.complaint-description",
            &mut errors,
        );
        if let Some(remedy) = &remedy_requested {
            check_length(remedy, TEXT_MAX, "field.remedy", &mut errors);
        }
        match contacts::get(db, fields.contact_id) {
            Ok(contact) if contact.archived => errors.push(FieldError::new(
                "field.customer",
                t!(
                    "invalid.archived-contact",
                    name = contact.fields.display_name
                ),
            )),
            Ok(_) => {}
            Err(Error::NotFound { .. }) => errors.push(FieldError::new(
                "field.customer",
                t!("invalid.no-such", id = fields.contact_id),
            )),
            Err(e) => return Err(e),
        }
        if let Some(case_id) = fields.case_id {
            match cases::get(db, case_id) {
                Ok(_) => {}
                Err(Error::NotFound { .. }) => errors.push(FieldError::new(
                    "field.case",
                    t!("invalid.no-such", id = case_id),
                )),
                Err(e) => return Err(e),
            }
        }
        if let Some(id) = fields.category_id {
            check_lookup(
                db,
                List::ComplaintCategory,
                id,
                None,
                "field.category",
                &mut errors,
            )?;
        }
        if let Some(id) = fields.channel_id {
            check_lookup(
                db,
                List::ComplaintChannel,
                id,
                None,
                "field.channel",
                &mut errors,
            )?;
        }
        check_active_user(db, fields.expert_id, "field.expert", &mut errors)?;
        if received_at > now {
            errors.push(FieldError::new(
                "field.received-at",
                t!("invalid.future-date"),
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let policy = sla::policy(db, fields.severity)?;
        let calendar = sla::calendar(db)?;
        let (response_due_at, resolution_due_at) = sla::due_times(&calendar, &policy, received_at);
        let year = numbers::jalali_year(when::to_local(received_at).date());
        let scope = numbers::complaint_scope(year);
        // A number already on file (loaded by something that did not take it from the
        // sequence) is skipped, never reused.
        let number = loop {
            let number = numbers::complaint_number(year, numbers::take_next(db, &scope)?);
            if by_number(db, &number)?.is_none() {
                break number;
            }
        };
        let row = NewComplaint {
            number,
            title,
            description,
            contact_id: fields.contact_id,
            case_id: fields.case_id,
            category_id: fields.category_id,
            channel_id: fields.channel_id,
            severity: fields.severity.as_str().to_string(),
            status: ComplaintStatus::Received.as_str().to_string(),
            expert_id: fields.expert_id,
            received_at,
            remedy_requested,
            resolution: None,
            resolved_at: None,
            acknowledged_at: None,
            response_due_at: Some(response_due_at),
            resolution_due_at: Some(resolution_due_at),
            closed_at: None,
            created_by: actor.id,
            updated_by: actor.id,
            created_at: now,
            updated_at: now,
        };
        let id: ComplaintId = super::insert_one!(db, complaints, &row)?;
        record_step(
            db,
            id,
            None,
            ComplaintStatus::Received,
            actor.id,
            received_at,
            None,
        )?;
        let complaint: Complaint = versioned::created(db, actor, id)?;
        plan_deadline(db, actor, &complaint, Deadline::Response, now)?;
        Ok(complaint)
    })
}

/// What the owner's inbox holds for a complaint while it waits on them: its first response
/// until it is acknowledged, then its resolution until it is closed or rejected. Each is a
/// planned action on the complaint (not planned in a follow-up), due at the service level's
/// deadline, so a complaint about to breach stands in the inbox beside case actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Deadline {
    Response,
    Resolution,
}

impl Deadline {
    fn message_key(self) -> &'static str {
        match self {
            Deadline::Response => "complaint.first-response",
            Deadline::Resolution => "complaint.resolve",
        }
    }

    /// How long it is reckoned to take, in minutes.
    fn estimate(self) -> i32 {
        match self {
            Deadline::Response => 15,
            Deadline::Resolution => 60,
        }
    }
}

/// Puts a complaint's `deadline` in its owner's inbox (nothing when it has no due time).
fn plan_deadline(
    db: &mut Db,
    actor: &Actor,
    complaint: &Complaint,
    deadline: Deadline,
    now: NaiveDateTime,
) -> Result<()> {
    let due = match deadline {
        Deadline::Response => complaint.response_due_at,
        Deadline::Resolution => complaint.resolution_due_at,
    };
    let Some(due_at) = due else {
        return Ok(());
    };
    let kind = match lookups::id_of(db, List::ActionKind, "call")? {
        Some(kind) => kind,
        None => match lookups::ids(db, List::ActionKind)?.first() {
            Some(&kind) => kind,
            None => return Ok(()),
        },
    };
    let row = NewPlannedAction {
        case_id: None,
        complaint_id: Some(complaint.id),
        kind_id: kind,
        description: crate::i18n::trf(deadline.message_key(), &[("number", &complaint.number)]),
        assignee_id: complaint.expert_id,
        due_at,
        estimated_minutes: deadline.estimate(),
        status: ActionStatus::Open.as_str().to_string(),
        planned_in_followup_id: None,
        done_by_followup_id: None,
        done_at: None,
        created_by: actor.id,
        updated_by: actor.id,
        created_at: now,
        updated_at: now,
    };
    let id: PlannedActionId = super::insert_one!(db, planned_actions, &row)?;
    versioned::created::<PlannedAction>(db, actor, id)?;
    Ok(())
}

/// Takes a complaint's deadline out of its owner's inbox (its open planned actions that no
/// follow-up planned) once it is met. They are closed as cancelled: a planned action is done
/// only by the follow-up that did it, and what met it is the step in the complaint's history.
fn withdraw_deadlines(db: &mut Db, actor: &Actor, complaint: ComplaintId) -> Result<()> {
    let open: Vec<PlannedAction> = planned_actions::table
        .filter(planned_actions::complaint_id.eq(complaint))
        .filter(planned_actions::status.eq(ActionStatus::Open.as_str()))
        .filter(planned_actions::planned_in_followup_id.is_null())
        .select(PlannedAction::as_select())
        .load(db)?;
    let now = super::now();
    for old in open {
        diesel::update(planned_actions::table.find(old.id))
            .set(planned_actions::status.eq(ActionStatus::Cancelled.as_str()))
            .execute(db)?;
        versioned::finish(db, actor, &old, AuditAction::Update, now)?;
    }
    Ok(())
}

/// Gives the complaints recorded before service levels existed (no due times) the due times
/// their severity's level sets, counted from when they were received. Bookkeeping, like the
/// case list's next due time: it bumps no version. Returns how many it filled.
pub fn fill_due_times(db: &mut Db) -> Result<usize> {
    super::write(db, |db| {
        let missing: Vec<(ComplaintId, String, NaiveDateTime)> = complaints::table
            .filter(complaints::resolution_due_at.is_null())
            .select((
                complaints::id,
                complaints::severity,
                complaints::received_at,
            ))
            .load(db)?;
        if missing.is_empty() {
            return Ok(0);
        }
        let calendar = sla::calendar(db)?;
        let policies = sla::policies(db)?;
        let mut filled = 0;
        for (id, severity, received_at) in missing {
            let Some(policy) = policies.iter().find(|p| p.severity == severity) else {
                continue;
            };
            let (response, resolution) = sla::due_times(&calendar, policy, received_at);
            diesel::update(complaints::table.find(id))
                .set((
                    complaints::response_due_at.eq(Some(response)),
                    complaints::resolution_due_at.eq(Some(resolution)),
                ))
                .execute(db)?;
            filled += 1;
        }
        Ok(filled)
    })
}

/// What a move to another status carries: why (kept in the history, and required to reject),
/// and what the new status needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusChange {
    /// Why: shown in the timeline.
    pub note: Option<String>,
    /// What the investigation found (required to move on to action taken).
    pub root_cause_id: Option<LookupId>,
    /// The resolution proposed (required to propose one, and on file to close).
    pub resolution: Option<String>,
    /// The customer's satisfaction at closing, 1 to 5.
    pub satisfaction: Option<i32>,
}

/// Everything wrong with moving `old` to `to` with `change`.
fn status_change_errors(
    db: &mut Db,
    old: &Complaint,
    to: ComplaintStatus,
    change: &StatusChange,
) -> Result<Vec<FieldError>> {
    let from = old.status();
    let mut errors = Vec::new();
    if !from.next().contains(&to) {
        let allowed: Vec<String> = from
            .next()
            .iter()
            .map(|s| crate::i18n::tr(s.message_key()).to_string())
            .collect();
        errors.push(FieldError::new(
            "field.status",
            t!(
                "invalid.complaint-transition",
                from = crate::i18n::tr(from.message_key()),
                to = crate::i18n::tr(to.message_key()),
                allowed = allowed.join(", ")
            ),
        ));
        return Ok(errors);
    }
    let root_cause = change.root_cause_id.or(old.root_cause_id);
    match to {
        ComplaintStatus::ActionTaken if root_cause.is_none() => {
            errors.push(FieldError::new("field.root-cause", t!("invalid.required")));
        }
        ComplaintStatus::ResolutionProposed if change.resolution.is_none() => {
            errors.push(FieldError::new("field.resolution", t!("invalid.required")));
        }
        ComplaintStatus::Closed if change.resolution.is_none() && old.resolution.is_none() => {
            errors.push(FieldError::new(
                "field.resolution",
                t!("invalid.closing-without-resolution"),
            ));
        }
        ComplaintStatus::Rejected if change.note.is_none() => {
            errors.push(FieldError::new("field.note", t!("invalid.required")));
        }
        _ => {}
    }
    if let Some(id) = change.root_cause_id {
        check_lookup(
            db,
            List::RootCause,
            id,
            old.root_cause_id,
            "field.root-cause",
            &mut errors,
        )?;
    }
    if let Some(satisfaction) = change.satisfaction
        && !(1..=5).contains(&satisfaction)
    {
        errors.push(FieldError::new(
            "field.satisfaction",
            t!("invalid.satisfaction"),
        ));
    }
    if let Some(resolution) = &change.resolution {
        check_length(resolution, TEXT_MAX, "field.resolution", &mut errors);
    }
    Ok(errors)
}

/// Moves a complaint to `to` if it is still at `expected_version` and the process allows it,
/// recording who, when and why in its history; returns it as stored. Acknowledging it is the
/// first response; reopening a closed or rejected one counts a repeat.
pub fn change_status(
    db: &mut Db,
    actor: &Actor,
    id: ComplaintId,
    expected_version: i64,
    to: ComplaintStatus,
    change: StatusChange,
) -> Result<Complaint> {
    actor.require(Role::Agent, &t!("forbidden.record-complaints"))?;
    let change = StatusChange {
        note: text::clean_text(change.note.as_deref()),
        resolution: text::clean_text(change.resolution.as_deref()),
        ..change
    };
    versioned::update::<Complaint>(
        db,
        actor,
        id,
        expected_version,
        AuditAction::Update,
        |_| Ok(()),
        |db, old, now| {
            let errors = status_change_errors(db, old, to, &change)?;
            if !errors.is_empty() {
                return Err(Error::Invalid(errors));
            }
            let from = old.status();
            let reopening = !from.is_open();
            let closing = !to.is_open();
            diesel::update(complaints::table.find(old.id))
                .set((
                    complaints::status.eq(to.as_str()),
                    complaints::acknowledged_at.eq(old
                        .acknowledged_at
                        .or((to == ComplaintStatus::Acknowledged).then_some(now))),
                    complaints::root_cause_id.eq(change.root_cause_id.or(old.root_cause_id)),
                    complaints::resolution.eq(change.resolution.clone().or(old.resolution.clone())),
                    complaints::resolved_at.eq(if to == ComplaintStatus::ResolutionProposed {
                        Some(now)
                    } else {
                        old.resolved_at
                    }),
                    complaints::satisfaction.eq(change.satisfaction.or(old.satisfaction)),
                    complaints::closed_at.eq(if closing { Some(now) } else { None }),
                    complaints::repeat_count.eq(old.repeat_count + i32::from(reopening)),
                ))
                .execute(db)?;
            record_step(
                db,
                old.id,
                Some(from),
                to,
                actor.id,
                now,
                change.note.clone(),
            )?;
            // The inbox follows the deadline the complaint now waits on.
            if from == ComplaintStatus::Received || closing {
                withdraw_deadlines(db, actor, old.id)?;
            }
            if (from == ComplaintStatus::Received || reopening) && !closing {
                plan_deadline(db, actor, old, Deadline::Resolution, now)?;
            }
            Ok(Changed::Yes)
        },
    )
}

/// One step of a complaint's history: who moved it from what to what, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct StatusStep {
    pub from_status: Option<String>,
    pub to_status: String,
    pub changed_by: UserId,
    pub changed_at: NaiveDateTime,
    pub note: Option<String>,
}

/// A complaint's history, oldest first.
pub fn history(db: &mut Db, id: ComplaintId) -> Result<Vec<StatusStep>> {
    Ok(complaint_status_history::table
        .filter(complaint_status_history::complaint_id.eq(id))
        .order((
            complaint_status_history::changed_at.asc(),
            complaint_status_history::id.asc(),
        ))
        .select((
            complaint_status_history::from_status,
            complaint_status_history::to_status,
            complaint_status_history::changed_by,
            complaint_status_history::changed_at,
            complaint_status_history::note,
        ))
        .load(db)?)
}

// ---------------------------------------------------------------------------------------------
// Corrective and preventive actions

/// What an action is for: this customer (corrective) or the product or process (preventive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ActionKind {
    Corrective,
    Preventive,
}

impl ActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Corrective => "corrective",
            ActionKind::Preventive => "preventive",
        }
    }

    pub fn parse(code: &str) -> Option<ActionKind> {
        [ActionKind::Corrective, ActionKind::Preventive]
            .into_iter()
            .find(|k| k.as_str() == code)
    }
}

/// A corrective or preventive action on a complaint.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = complaint_actions)]
pub struct ComplaintAction {
    pub id: ComplaintActionId,
    pub complaint_id: ComplaintId,
    pub kind: String,
    pub description: String,
    pub owner_id: UserId,
    pub due_on: NaiveDate,
    pub done_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_by: UserId,
    pub updated_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

versioned::stored!(
    ComplaintAction,
    ComplaintActionId,
    complaint_actions,
    ACTION_ENTITY,
    "entity.complaint-action"
);
versioned::versioned!(ComplaintAction, complaint_actions, updated_by);

/// An action as it is inserted.
#[derive(Debug, Clone, PartialEq, Eq, Insertable)]
#[diesel(table_name = complaint_actions)]
struct NewComplaintAction {
    complaint_id: ComplaintId,
    kind: &'static str,
    description: String,
    owner_id: UserId,
    due_on: NaiveDate,
    created_by: UserId,
    updated_by: UserId,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Adds an action to an open complaint, for `owner` to carry out by `due_on`.
pub fn add_action(
    db: &mut Db,
    actor: &Actor,
    complaint_id: ComplaintId,
    kind: ActionKind,
    description: &str,
    owner: UserId,
    due_on: NaiveDate,
) -> Result<ComplaintAction> {
    actor.require(Role::Agent, &t!("forbidden.record-complaints"))?;
    let description = text::clean_text(Some(description)).unwrap_or_default();
    super::write(db, |db| {
        let complaint = get(db, complaint_id)?;
        let mut errors = Vec::new();
        if !complaint.status().is_open() {
            errors.push(FieldError::new(
                "field.status",
                t!("invalid.complaint-not-open"),
            ));
        }
        if description.is_empty() {
            errors.push(FieldError::new(
                "field.action-description",
                t!("invalid.required"),
            ));
        }
        check_length(
            &description,
            TEXT_MAX,
            "field.action-description",
            &mut errors,
        );
        check_active_user(db, owner, "field.owner", &mut errors)?;
        if due_on < when::to_local(complaint.received_at).date() {
            errors.push(FieldError::new(
                "field.due-on",
                t!("invalid.due-before-received"),
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let now = super::now();
        let row = NewComplaintAction {
            complaint_id,
            kind: kind.as_str(),
            description,
            owner_id: owner,
            due_on,
            created_by: actor.id,
            updated_by: actor.id,
            created_at: now,
            updated_at: now,
        };
        let id: ComplaintActionId = super::insert_one!(db, complaint_actions, &row)?;
        versioned::created(db, actor, id)
    })
}

/// Marks an action done if it is still at `expected_version`.
pub fn complete_action(
    db: &mut Db,
    actor: &Actor,
    id: ComplaintActionId,
    expected_version: i64,
) -> Result<ComplaintAction> {
    actor.require(Role::Agent, &t!("forbidden.record-complaints"))?;
    versioned::update::<ComplaintAction>(
        db,
        actor,
        id,
        expected_version,
        AuditAction::Update,
        |_| Ok(()),
        |db, old, now| {
            if old.done_at.is_some() {
                return Ok(Changed::No);
            }
            diesel::update(complaint_actions::table.find(old.id))
                .set(complaint_actions::done_at.eq(Some(now)))
                .execute(db)?;
            Ok(Changed::Yes)
        },
    )
}

/// A complaint's actions, the earliest due first.
pub fn actions_of(db: &mut Db, complaint_id: ComplaintId) -> Result<Vec<ComplaintAction>> {
    Ok(complaint_actions::table
        .filter(complaint_actions::complaint_id.eq(complaint_id))
        .order((complaint_actions::due_on.asc(), complaint_actions::id.asc()))
        .select(ComplaintAction::as_select())
        .load(db)?)
}

// ---------------------------------------------------------------------------------------------
// Service-level clocks

/// Where one of a complaint's service-level clocks stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Done (the first response given, or the complaint closed), in time or late.
    Stopped { late: bool },
    /// Running, with this much working time left.
    Running { minutes_left: i64 },
    /// Past its due time by this much working time.
    Over { minutes_over: i64 },
}

impl Clock {
    /// Whether it ended or is running past its due time.
    pub fn is_late(self) -> bool {
        matches!(self, Clock::Over { .. } | Clock::Stopped { late: true })
    }
}

/// The clock of something due at `due` (UTC) and done at `done`, at `now` (UTC), counted in
/// working time on `calendar`.
fn clock(
    calendar: &Calendar,
    due: Option<NaiveDateTime>,
    done: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Option<Clock> {
    let due = due?;
    Some(match done {
        Some(done) => Clock::Stopped { late: done > due },
        None if now >= due => Clock::Over {
            minutes_over: calendar
                .working_minutes_between(when::to_local(due), when::to_local(now)),
        },
        None => Clock::Running {
            minutes_left: calendar
                .working_minutes_between(when::to_local(now), when::to_local(due)),
        },
    })
}

/// What a complaint's service-level clocks read: its due times, its first response and its
/// closing. The stored complaint and a line of the list both have them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    pub response_due_at: Option<NaiveDateTime>,
    pub resolution_due_at: Option<NaiveDateTime>,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
}

impl From<&Complaint> for Deadlines {
    fn from(c: &Complaint) -> Deadlines {
        Deadlines {
            response_due_at: c.response_due_at,
            resolution_due_at: c.resolution_due_at,
            acknowledged_at: c.acknowledged_at,
            closed_at: c.closed_at,
        }
    }
}

impl From<&ComplaintRow> for Deadlines {
    fn from(r: &ComplaintRow) -> Deadlines {
        Deadlines {
            response_due_at: r.response_due_at,
            resolution_due_at: r.resolution_due_at,
            acknowledged_at: r.acknowledged_at,
            closed_at: r.closed_at,
        }
    }
}

/// A complaint's two clocks at `now`: to the first response and to the resolution (`None`
/// when it has no due time). Closing it also stops the response clock.
pub fn clocks(
    calendar: &Calendar,
    complaint: impl Into<Deadlines>,
    now: NaiveDateTime,
) -> (Option<Clock>, Option<Clock>) {
    let d = complaint.into();
    let responded = d.acknowledged_at.or(d.closed_at);
    (
        clock(calendar, d.response_due_at, responded, now),
        clock(calendar, d.resolution_due_at, d.closed_at, now),
    )
}
