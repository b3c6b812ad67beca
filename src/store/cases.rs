//! Sales cases: one per negotiation, numbered on creation (`1405-00042`: the Jalali year and a
//! sequence of that year), moved through the statuses an admin allows, and closed as won (which
//! records a sale for the plan report), lost or cancelled (with a reason).
//!
//! The list is a window at a time, most urgent first: priority 1 first, then the case whose
//! earliest open planned action is due first (cases with none after those that have one), then
//! the newest. That order pages on the index `(priority, next_due_at, id)`, read a run at a time
//! (a priority's cases with a due time, then those without: see `Run`): `next_due_at` is kept on
//! the case by every store write to its planned actions (`refresh_next_due`) rather than computed
//! per row, so a page costs the same on the first page and the thousandth. Keeping it is
//! bookkeeping, not an edit: it never bumps the case's version.

use super::keyset::{self, Way};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::Db;
use crate::db::ids::{CaseId, CaseStatusId, ContactId, LookupId, OrgUnitId, UserId};
use crate::db::schema::{case_statuses, cases, contacts, lookups, org_units, planned_actions};
use crate::domain::text;
use crate::error::{Error, FieldError, Result};
use crate::store::lookups::List;
use crate::store::statuses::{CaseStatus, Outcome};
use crate::t;

use super::audit::AuditAction;
use super::bulk::BulkRow;
use super::sales::{self, NewSale};
use super::users::User;
use super::versioned::{self, Changed, Stored};
use super::{Actor, Role, names, numbers};

/// The audit log's entity for a case.
pub const ENTITY: &str = "case";

/// How important a case is; shown as a word so it reads without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub enum Importance {
    Low,
    #[default]
    Normal,
    High,
    Critical,
}

impl Importance {
    pub const ALL: [Importance; 4] = [
        Importance::Low,
        Importance::Normal,
        Importance::High,
        Importance::Critical,
    ];

    /// The stored code: `low`, `normal`, `high`, `critical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Importance::Low => "low",
            Importance::Normal => "normal",
            Importance::High => "high",
            Importance::Critical => "critical",
        }
    }

    /// A stored code, or the word in the user's language (`high`, `زیاد`), any letter case.
    pub fn parse(text: &str) -> Option<Importance> {
        let key = text::search_key(text.trim());
        Importance::ALL.into_iter().find(|i| {
            i.as_str() == key || text::search_key(crate::i18n::tr(i.message_key())) == key
        })
    }

    /// The catalog key of its word.
    pub fn message_key(self) -> &'static str {
        match self {
            Importance::Low => "importance.low",
            Importance::Normal => "importance.normal",
            Importance::High => "importance.high",
            Importance::Critical => "importance.critical",
        }
    }
}

/// What a user edits on a case. The customer is a company, a person, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseFields {
    pub title: String,
    /// The customer company (a contact of kind company).
    pub company_id: Option<ContactId>,
    /// The main person on the customer's side (a contact of kind person).
    pub contact_id: Option<ContactId>,
    /// The sales expert (a user); must be active.
    pub expert_id: UserId,
    /// The sales representative (a user).
    pub representative_id: Option<UserId>,
    /// Who referred the customer (any contact).
    pub referrer_id: Option<ContactId>,
    /// The customer's need, in their words.
    pub need: Option<String>,
    /// An entry of the marketing channel list.
    pub channel_id: Option<LookupId>,
    /// The organisational unit; the expert's when not given on creation.
    pub org_unit_id: Option<OrgUnitId>,
    pub importance: Importance,
    /// 1 (most urgent) to 5.
    pub priority: i32,
    /// An entry of the product group list (the plans are broken down by it).
    pub product_group_id: Option<LookupId>,
    /// An entry of the region list.
    pub region_id: Option<LookupId>,
    /// In the currency's smallest unit.
    pub expected_amount: Option<i64>,
}

impl Default for CaseFields {
    fn default() -> Self {
        CaseFields {
            title: String::new(),
            company_id: None,
            contact_id: None,
            expert_id: UserId::default(),
            representative_id: None,
            referrer_id: None,
            need: None,
            channel_id: None,
            org_unit_id: None,
            importance: Importance::Normal,
            priority: 3,
            product_group_id: None,
            region_id: None,
            expected_amount: None,
        }
    }
}

/// A stored case.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = cases)]
pub struct Case {
    pub id: CaseId,
    pub number: String,
    pub title: String,
    pub company_id: Option<ContactId>,
    pub contact_id: Option<ContactId>,
    pub expert_id: UserId,
    pub representative_id: Option<UserId>,
    pub referrer_id: Option<ContactId>,
    pub need: Option<String>,
    pub channel_id: Option<LookupId>,
    pub org_unit_id: Option<OrgUnitId>,
    pub status_id: CaseStatusId,
    /// `low`, `normal`, `high` or `critical`: see [`Case::importance`].
    pub importance: String,
    pub priority: i32,
    pub product_group_id: Option<LookupId>,
    pub region_id: Option<LookupId>,
    pub expected_amount: Option<i64>,
    pub won_amount: Option<i64>,
    pub won_on: Option<NaiveDate>,
    pub close_reason_id: Option<LookupId>,
    pub close_note: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
    /// When the earliest open planned action is due, if there is one.
    pub next_due_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_by: UserId,
    pub updated_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Case {
    pub fn importance(&self) -> Importance {
        Importance::parse(&self.importance).unwrap_or_default()
    }

    /// The fields as a form edits them.
    pub fn fields(&self) -> CaseFields {
        CaseFields {
            title: self.title.clone(),
            company_id: self.company_id,
            contact_id: self.contact_id,
            expert_id: self.expert_id,
            representative_id: self.representative_id,
            referrer_id: self.referrer_id,
            need: self.need.clone(),
            channel_id: self.channel_id,
            org_unit_id: self.org_unit_id,
            importance: self.importance(),
            priority: self.priority,
            product_group_id: self.product_group_id,
            region_id: self.region_id,
            expected_amount: self.expected_amount,
        }
    }
}

/// What closing a case records: for a won status the amount and day of the sale; for a lost or
/// cancelled one the reason (an entry of the close reason list) and, for any closing status, a
/// note. Moving to an open status needs none of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClosingInfo {
    pub won_amount: Option<i64>,
    pub won_on: Option<NaiveDate>,
    pub close_reason_id: Option<LookupId>,
    pub close_note: Option<String>,
}

/// A sales case. Its `next_due_at` is left empty: after loading planned actions, call
/// `cases::refresh_all_next_due`.
#[derive(Debug, Clone, Default, PartialEq, Insertable)]
#[diesel(table_name = cases, treat_none_as_default_value = false)]
pub struct NewCase {
    pub number: String,
    pub title: String,
    pub company_id: Option<ContactId>,
    pub contact_id: Option<ContactId>,
    pub expert_id: UserId,
    pub representative_id: Option<UserId>,
    pub referrer_id: Option<ContactId>,
    pub need: Option<String>,
    pub channel_id: Option<LookupId>,
    pub org_unit_id: Option<OrgUnitId>,
    pub status_id: CaseStatusId,
    pub importance: String,
    pub priority: i32,
    pub product_group_id: Option<LookupId>,
    pub region_id: Option<LookupId>,
    pub expected_amount: Option<i64>,
    pub won_amount: Option<i64>,
    pub won_on: Option<NaiveDate>,
    pub close_reason_id: Option<LookupId>,
    pub close_note: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
    /// The number and title, Persian-normalised: `cases::search_text(number, title)`.
    pub search_text: String,
    pub created_by: UserId,
    pub updated_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl BulkRow for NewCase {
    const COLUMNS: usize = 26;
}

/// The search text of a case: its number and title, Persian-normalised.
pub fn search_text(number: &str, title: &str) -> String {
    text::search_key(&format!("{number} {title}"))
}

/// Checks a user who is to take work: on file and active (named when not).
pub(crate) fn check_active_user(
    db: &mut Db,
    id: UserId,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) -> Result<Option<User>> {
    match super::users::get(db, id) {
        Ok(user) if user.active => Ok(Some(user)),
        Ok(user) => {
            errors.push(FieldError::new(
                field,
                t!("invalid.inactive-user", name = user.display_name),
            ));
            Ok(Some(user))
        }
        Err(Error::NotFound { .. }) => {
            errors.push(FieldError::new(field, t!("invalid.no-such", id = id)));
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Checks an entry of a reference list: on file, in `list`, and active unless it is `kept`
/// (the value the record already had).
pub(crate) fn check_lookup(
    db: &mut Db,
    list: List,
    id: LookupId,
    kept: Option<LookupId>,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) -> Result<()> {
    let found: Option<(String, String, bool)> = lookups::table
        .find(id)
        .select((lookups::list, lookups::name, lookups::active))
        .first(db)
        .optional()?;
    match found {
        Some((in_list, _, _)) if in_list != list.as_str() => {
            errors.push(FieldError::new(field, t!("invalid.no-such", id = id)));
        }
        None => errors.push(FieldError::new(field, t!("invalid.no-such", id = id))),
        Some((_, name, false)) if kept != Some(id) => {
            errors.push(FieldError::new(
                field,
                t!("invalid.inactive-entry", name = name),
            ));
        }
        Some(_) => {}
    }
    Ok(())
}

/// Checks a contact a case points at: on file, of `kind` when given, not archived unless kept.
fn check_contact(
    db: &mut Db,
    id: ContactId,
    kind: Option<&str>,
    kept: Option<ContactId>,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) -> Result<()> {
    let found: Option<(String, String, bool)> = contacts::table
        .find(id)
        .select((contacts::kind, contacts::display_name, contacts::archived))
        .first(db)
        .optional()?;
    match found {
        None => errors.push(FieldError::new(field, t!("invalid.no-such", id = id))),
        Some((found_kind, name, _)) if kind.is_some_and(|k| k != found_kind) => {
            let reason = if found_kind == "company" {
                t!("invalid.not-a-person", name = name)
            } else {
                t!("invalid.not-a-company", name = name)
            };
            errors.push(FieldError::new(field, reason));
        }
        Some((_, name, true)) if kept != Some(id) => {
            errors.push(FieldError::new(
                field,
                t!("invalid.archived-contact", name = name),
            ));
        }
        Some(_) => {}
    }
    Ok(())
}

/// Cleans and checks the fields against the store; every failure is returned together. `old`
/// is the case being edited: a value it already had may stay even if it is no longer active.
fn prepare(db: &mut Db, fields: CaseFields, old: Option<&Case>) -> Result<CaseFields> {
    let mut fields = fields;
    fields.title = text::clean_line(&fields.title);
    fields.need = text::clean_text(fields.need.as_deref());
    let mut errors = Vec::new();
    if fields.title.is_empty() {
        errors.push(FieldError::new("field.title", t!("invalid.required")));
    }
    if fields.company_id.is_none() && fields.contact_id.is_none() {
        errors.push(FieldError::new(
            "field.customer",
            t!("invalid.customer-required"),
        ));
    }
    if let Some(id) = fields.company_id {
        check_contact(
            db,
            id,
            Some("company"),
            old.and_then(|c| c.company_id),
            "field.company",
            &mut errors,
        )?;
    }
    if let Some(id) = fields.contact_id {
        check_contact(
            db,
            id,
            Some("person"),
            old.and_then(|c| c.contact_id),
            "field.contact",
            &mut errors,
        )?;
    }
    if let Some(id) = fields.referrer_id {
        check_contact(
            db,
            id,
            None,
            old.and_then(|c| c.referrer_id),
            "field.referrer",
            &mut errors,
        )?;
    }
    let expert = if old.is_some_and(|c| c.expert_id == fields.expert_id) {
        super::users::get(db, fields.expert_id).ok()
    } else {
        check_active_user(db, fields.expert_id, "field.expert", &mut errors)?
    };
    if let Some(id) = fields.representative_id
        && old.and_then(|c| c.representative_id) != Some(id)
    {
        check_active_user(db, id, "field.representative", &mut errors)?;
    }
    for (list, value, was, field) in [
        (
            List::MarketingChannel,
            fields.channel_id,
            old.and_then(|c| c.channel_id),
            "field.channel",
        ),
        (
            List::ProductGroup,
            fields.product_group_id,
            old.and_then(|c| c.product_group_id),
            "field.product-group",
        ),
        (
            List::Region,
            fields.region_id,
            old.and_then(|c| c.region_id),
            "field.region",
        ),
    ] {
        if let Some(id) = value {
            check_lookup(db, list, id, was, field, &mut errors)?;
        }
    }
    if old.is_none() && fields.org_unit_id.is_none() {
        fields.org_unit_id = expert.as_ref().and_then(|e| e.org_unit_id);
    }
    if let Some(unit) = fields.org_unit_id {
        let exists = org_units::table.find(unit).count().get_result::<i64>(db)? > 0;
        if !exists {
            errors.push(FieldError::new(
                "field.org-unit",
                t!("invalid.no-such", id = unit),
            ));
        }
    }
    if !(1..=5).contains(&fields.priority) {
        errors.push(FieldError::new("field.priority", t!("invalid.priority")));
    }
    if fields.expected_amount.is_some_and(|a| a < 0) {
        errors.push(FieldError::new(
            "field.expected-amount",
            t!("invalid.negative"),
        ));
    }
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(Error::Invalid(errors))
    }
}

versioned::stored!(Case, CaseId, cases, ENTITY, "entity.case");
versioned::versioned!(Case, cases, updated_by);

/// The case with `id`.
pub fn get(db: &mut Db, id: CaseId) -> Result<Case> {
    <Case as Stored>::get(db, id)
}

/// The case numbered `number` (`1405-00042`, in any digit script), if there is one.
pub fn by_number(db: &mut Db, number: &str) -> Result<Option<Case>> {
    let number = text::ascii_digits(number.trim());
    Ok(cases::table
        .filter(cases::number.eq(number))
        .select(Case::as_select())
        .first(db)
        .optional()?)
}

/// Opens a case in the initial status, numbered from this Jalali year's sequence, and returns
/// it. Fails with `Error::Invalid` naming every field that is wrong (an inactive expert by
/// name), or when no active status is marked initial; with `Error::Forbidden` when the actor
/// may not work for the expert (an agent opens cases only for themselves, a manager for their
/// team: see [`super::users::may_work_for`]).
pub fn create(db: &mut Db, actor: &Actor, fields: CaseFields) -> Result<Case> {
    actor.require(Role::Agent, &t!("forbidden.open-cases"))?;
    super::write(db, |db| {
        let fields = prepare(db, fields, None)?;
        let expert = super::users::get(db, fields.expert_id)?.display_name;
        let what = t!("forbidden.open-case-for", expert = expert);
        super::users::require_work_for(db, actor, fields.expert_id, &what)?;
        let Some(status) = super::statuses::initial(db)? else {
            return Err(Error::Invalid(vec![FieldError::new(
                "field.status",
                t!("invalid.no-initial-status"),
            )]));
        };
        let now = super::now();
        let year = numbers::jalali_year(local_today());
        let scope = numbers::case_scope(year);
        // A number already on file (written by something that did not take it from the
        // sequence) is skipped, never reused.
        let number = loop {
            let number = numbers::case_number(year, numbers::take_next(db, &scope)?);
            if by_number(db, &number)?.is_none() {
                break number;
            }
        };
        let search = search_text(&number, &fields.title);
        let row = NewCase {
            number,
            title: fields.title,
            company_id: fields.company_id,
            contact_id: fields.contact_id,
            expert_id: fields.expert_id,
            representative_id: fields.representative_id,
            referrer_id: fields.referrer_id,
            need: fields.need,
            channel_id: fields.channel_id,
            org_unit_id: fields.org_unit_id,
            status_id: status.id,
            importance: fields.importance.as_str().to_string(),
            priority: fields.priority,
            product_group_id: fields.product_group_id,
            region_id: fields.region_id,
            expected_amount: fields.expected_amount,
            won_amount: None,
            won_on: None,
            close_reason_id: None,
            close_note: None,
            closed_at: None,
            search_text: search,
            created_by: actor.id,
            updated_by: actor.id,
            created_at: now,
            updated_at: now,
        };
        let id: CaseId = super::insert_one!(db, cases, &row)?;
        let case: Case = versioned::created(db, actor, id)?;
        Ok(case)
    })
}

/// Replaces a case's fields if it is still at `expected_version`; returns the stored case.
/// Its number, status and closing details are not fields: see [`change_status`]. Refused
/// (`Error::Forbidden`) unless the actor may work for the case's expert, and for the new
/// expert when it is given to someone else ([`super::users::may_work_for`]).
pub fn update(
    db: &mut Db,
    actor: &Actor,
    id: CaseId,
    expected_version: i64,
    fields: CaseFields,
) -> Result<Case> {
    actor.require(Role::Agent, &t!("forbidden.edit-cases"))?;
    versioned::update(
        db,
        actor,
        id,
        expected_version,
        AuditAction::Update,
        |_: &Case| Ok(()),
        |db, old, _| {
            require_work_on(db, actor, old)?;
            let fields = prepare(db, fields, Some(old))?;
            if fields.expert_id != old.expert_id {
                let expert = super::users::get(db, fields.expert_id)?.display_name;
                let what = t!("forbidden.give-case", number = old.number, expert = expert);
                super::users::require_work_for(db, actor, fields.expert_id, &what)?;
            }
            diesel::update(cases::table.find(id))
                .set((
                    (
                        cases::title.eq(&fields.title),
                        cases::company_id.eq(fields.company_id),
                        cases::contact_id.eq(fields.contact_id),
                        cases::expert_id.eq(fields.expert_id),
                        cases::representative_id.eq(fields.representative_id),
                        cases::referrer_id.eq(fields.referrer_id),
                        cases::need.eq(&fields.need),
                        cases::channel_id.eq(fields.channel_id),
                        cases::org_unit_id.eq(fields.org_unit_id),
                    ),
                    (
                        cases::importance.eq(fields.importance.as_str()),
                        cases::priority.eq(fields.priority),
                        cases::product_group_id.eq(fields.product_group_id),
                        cases::region_id.eq(fields.region_id),
                        cases::expected_amount.eq(fields.expected_amount),
                        cases::search_text.eq(search_text(&old.number, &fields.title)),
                    ),
                ))
                .execute(db)?;
            Ok(Changed::Yes)
        },
    )
}

/// Moves a case still at `expected_version` to the status `to_status_id`, in one transaction,
/// and returns the stored case. The move must be an allowed transition (refused with the
/// allowed ones named); moving to the status it is in changes nothing. A won status needs the
/// won amount and day and records a sale (product group, region and expert from the case); a
/// lost or cancelled one needs a reason; either closes the case (`closed_at`). Moving to an
/// open status reopens it and clears the closing details; leaving a won status removes the sale
/// that winning recorded. Refused (`Error::Forbidden`) unless the actor may work for the
/// case's expert ([`super::users::may_work_for`]).
pub fn change_status(
    db: &mut Db,
    actor: &Actor,
    id: CaseId,
    expected_version: i64,
    to_status_id: CaseStatusId,
    closing: ClosingInfo,
) -> Result<Case> {
    actor.require(Role::Agent, &t!("forbidden.edit-cases"))?;
    versioned::update(
        db,
        actor,
        id,
        expected_version,
        AuditAction::Update,
        |_: &Case| Ok(()),
        |db, old, now| {
            require_work_on(db, actor, old)?;
            match check_status_change(db, old, to_status_id, closing)? {
                (Some(target), closing) => {
                    write_status_change(db, actor, old, &target, &closing, now)?;
                    Ok(Changed::Yes)
                }
                (None, _) => Ok(Changed::No),
            }
        },
    )
}

/// Refuses changing `case` unless `actor` may work for its expert (see
/// [`super::users::may_work_for`]).
fn require_work_on(db: &mut Db, actor: &Actor, case: &Case) -> Result<()> {
    let what = t!("forbidden.change-case", number = case.number);
    super::users::require_work_for(db, actor, case.expert_id, &what)
}

/// Checks a status change of `case` to `to`: `Ok(None)` when it is the status the case is in,
/// the target status and the cleaned closing details when the change may be made, else
/// `Error::Invalid` with every problem.
pub(crate) fn check_status_change(
    db: &mut Db,
    case: &Case,
    to: CaseStatusId,
    closing: ClosingInfo,
) -> Result<(Option<CaseStatus>, ClosingInfo)> {
    let errors = status_change_errors(db, case, to, &closing)?;
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if case.status_id == to {
        return Ok((None, closing));
    }
    let target = super::statuses::get(db, to)?;
    let closing = ClosingInfo {
        close_note: text::clean_text(closing.close_note.as_deref()),
        ..closing
    };
    Ok((Some(target), closing))
}

/// Everything wrong with moving `case` to the status `to` with `closing`.
pub(crate) fn status_change_errors(
    db: &mut Db,
    case: &Case,
    to: CaseStatusId,
    closing: &ClosingInfo,
) -> Result<Vec<FieldError>> {
    let mut errors = Vec::new();
    if case.status_id == to {
        return Ok(errors);
    }
    let target: Option<CaseStatus> = case_statuses::table
        .find(to)
        .select(CaseStatus::as_select())
        .first(db)
        .optional()?;
    let Some(target) = target else {
        errors.push(FieldError::new(
            "field.status",
            t!("invalid.no-such", id = to),
        ));
        return Ok(errors);
    };
    if !target.active {
        errors.push(FieldError::new(
            "field.status",
            t!("invalid.inactive-entry", name = target.name),
        ));
        return Ok(errors);
    }
    if !super::statuses::is_allowed(db, case.status_id, to)? {
        let from = super::statuses::get(db, case.status_id)?;
        let allowed: Vec<String> = super::statuses::allowed_from(db, case.status_id)?
            .into_iter()
            .map(|s| s.name)
            .collect();
        let reason = if allowed.is_empty() {
            t!(
                "invalid.transition-none",
                from = from.name,
                to = target.name
            )
        } else {
            t!(
                "invalid.transition",
                from = from.name,
                to = target.name,
                allowed = allowed.join(", ")
            )
        };
        errors.push(FieldError::new("field.status", reason));
        return Ok(errors);
    }
    match target.outcome() {
        Outcome::Won => {
            match closing.won_amount {
                None => errors.push(FieldError::new("field.won-amount", t!("invalid.required"))),
                Some(a) if a < 0 => {
                    errors.push(FieldError::new("field.won-amount", t!("invalid.negative")))
                }
                Some(_) => {}
            }
            match closing.won_on {
                None => errors.push(FieldError::new("field.won-on", t!("invalid.required"))),
                Some(day) if day > latest_today() => {
                    errors.push(FieldError::new("field.won-on", t!("invalid.future-date")));
                }
                Some(_) => {}
            }
        }
        Outcome::Lost | Outcome::Cancelled => match closing.close_reason_id {
            None => errors.push(FieldError::new(
                "field.close-reason",
                t!("invalid.required"),
            )),
            Some(reason) => check_lookup(
                db,
                List::CloseReason,
                reason,
                None,
                "field.close-reason",
                &mut errors,
            )?,
        },
        Outcome::Open => {}
    }
    Ok(errors)
}

/// Makes a checked status change of `old` at `now`, in the transaction the caller holds: bumps
/// the case's version (a conflict if it changed meanwhile) and audits it, and records or
/// removes the sale.
pub(crate) fn apply_status_change(
    db: &mut Db,
    actor: &Actor,
    old: &Case,
    target: &CaseStatus,
    closing: &ClosingInfo,
    now: NaiveDateTime,
) -> Result<Case> {
    write_status_change(db, actor, old, target, closing, now)?;
    versioned::finish(db, actor, old, AuditAction::Update, now)
}

/// Writes a checked status change of `old`: the status and closing details, and the sale that
/// winning records (removed again when a won case leaves its won status), each sale audited.
/// The case's own version and audit row are [`versioned::finish`]'s.
fn write_status_change(
    db: &mut Db,
    actor: &Actor,
    old: &Case,
    target: &CaseStatus,
    closing: &ClosingInfo,
    now: NaiveDateTime,
) -> Result<()> {
    let from_outcome = case_statuses::table
        .find(old.status_id)
        .select(case_statuses::outcome)
        .first::<String>(db)?;
    let outcome = target.outcome();
    let (won_amount, won_on, reason, note, closed_at) = match outcome {
        Outcome::Open => (None, None, None, None, None),
        Outcome::Won => (
            closing.won_amount,
            closing.won_on,
            None,
            closing.close_note.clone(),
            Some(now),
        ),
        Outcome::Lost | Outcome::Cancelled => (
            None,
            None,
            closing.close_reason_id,
            closing.close_note.clone(),
            Some(now),
        ),
    };
    diesel::update(cases::table.find(old.id))
        .set((
            cases::status_id.eq(target.id),
            cases::won_amount.eq(won_amount),
            cases::won_on.eq(won_on),
            cases::close_reason_id.eq(reason),
            cases::close_note.eq(&note),
            cases::closed_at.eq(closed_at),
        ))
        .execute(db)?;
    if from_outcome == Outcome::Won.as_str() {
        sales::remove_of_case(db, actor, old.id)?;
    }
    // A status change leaves the customer, product group, region, expert, number and title
    // as they were: the sale takes them from `old`.
    let new = old;
    if outcome == Outcome::Won
        && let (Some(amount), Some(sold_on)) = (won_amount, won_on)
        && let Some(customer) = new.company_id.or(new.contact_id)
    {
        let market = if new.company_id.is_some() {
            "b2b"
        } else {
            "b2c"
        };
        let row = NewSale {
            case_id: Some(new.id),
            contact_id: customer,
            market: market.to_string(),
            product_group_id: new.product_group_id,
            region_id: new.region_id,
            expert_id: new.expert_id,
            amount,
            sold_on,
            note: Some(format!("{} {}", new.number, new.title)),
            created_by: actor.id,
            updated_by: actor.id,
            created_at: now,
            updated_at: now,
            quantity: 1,
        };
        sales::record(db, actor, &row)?;
    }
    Ok(())
}

/// Sets a case's `next_due_at` to when its earliest open planned action is due (none: NULL).
/// Every store write to planned actions calls it; a batch loader that writes planned actions
/// directly calls [`refresh_all_next_due`]. It does not bump the case's version.
pub fn refresh_next_due(db: &mut Db, case_id: CaseId) -> Result<()> {
    // The case's row is locked first: on PostgreSQL two writers of one case's actions then take
    // turns, and the earliest due time read below includes what the one before committed.
    diesel::update(cases::table.find(case_id))
        .set(cases::next_due_at.eq(cases::next_due_at))
        .execute(db)?;
    let due: Option<NaiveDateTime> = planned_actions::table
        .filter(planned_actions::case_id.eq(case_id))
        .filter(planned_actions::status.eq("open"))
        .select(diesel::dsl::min(planned_actions::due_at))
        .first(db)?;
    diesel::update(cases::table.find(case_id))
        .set(cases::next_due_at.eq(due))
        .execute(db)?;
    Ok(())
}

/// Sets `next_due_at` on every case from its open planned actions, in two statements whatever
/// the number of cases: for batch loads (the demo data) that insert planned actions directly.
pub fn refresh_all_next_due(db: &mut Db) -> Result<()> {
    diesel::update(cases::table.filter(cases::next_due_at.is_not_null()))
        .set(cases::next_due_at.eq(None::<NaiveDateTime>))
        .execute(db)?;
    diesel::sql_query(
        "UPDATE cases SET next_due_at = due.at \
         FROM (SELECT case_id, MIN(due_at) AS at FROM planned_actions \
               WHERE status = 'open' AND case_id IS NOT NULL GROUP BY case_id) AS due \
         WHERE cases.id = due.case_id",
    )
    .execute(db)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The list

/// One line of the case list.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRow {
    pub id: CaseId,
    pub number: String,
    pub title: String,
    /// The company and the person, whichever are set, joined with ` · `.
    pub customer: String,
    pub company_id: Option<ContactId>,
    pub contact_id: Option<ContactId>,
    /// The expert's login.
    pub expert: String,
    pub expert_id: UserId,
    pub status: String,
    pub status_id: CaseStatusId,
    /// Whether the status closes the case (won, lost or cancelled).
    pub closed: bool,
    /// `low`, `normal`, `high` or `critical`.
    pub importance: String,
    pub priority: i32,
    pub expected_amount: Option<i64>,
    /// When the earliest open planned action is due.
    pub next_due_at: Option<NaiveDateTime>,
    pub version: i64,
}

/// Where a page starts: after this (priority, next due, id) in list order.
pub type CaseKey = (i32, Option<NaiveDateTime>, CaseId);

pub fn key(row: &CaseRow) -> CaseKey {
    (row.priority, row.next_due_at, row.id)
}

/// Which cases the list shows; every criterion set must hold. The default shows every case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub status_id: Option<CaseStatusId>,
    pub expert_id: Option<UserId>,
    pub importance: Option<Importance>,
    pub priority: Option<i32>,
    pub channel_id: Option<LookupId>,
    /// This unit and the units below it.
    pub org_unit_id: Option<OrgUnitId>,
    /// Only cases in an open status.
    pub open_only: bool,
    /// What was typed in the search box: every word of it must appear in the case's number or
    /// title, or in its company's or person's name, mobile, phone, national code or e-mail
    /// (Persian-normalised, so Arabic and Persian letter forms and digits match each other).
    pub search: String,
}

type BoxedCases<'a> = cases::BoxedQuery<'a, crate::db::MultiBackend>;

/// The cases `filter` lets through, not yet ordered or limited.
fn filtered(db: &mut Db, filter: &CaseFilter) -> Result<BoxedCases<'static>> {
    let read = Resolved::of(db, filter)?;
    Ok(matching(db, filter, &read))
}

/// What a filter stands for that is read from the store, read once for the several statements
/// of a page: the units under the filter's unit, and the contacts that hold each searched word.
struct Resolved {
    units: Option<Vec<OrgUnitId>>,
    words: Vec<super::contacts::SearchedWord>,
}

impl Resolved {
    fn of(db: &mut Db, filter: &CaseFilter) -> Result<Resolved> {
        let units = filter
            .org_unit_id
            .map(|unit| super::users::units_under(db, unit))
            .transpose()?;
        let words = super::contacts::searched_words(db, &filter.search)?;
        Ok(Resolved { units, words })
    }
}

/// The cases `filter` lets through, what it stands for already `read`.
fn matching(db: &Db, filter: &CaseFilter, read: &Resolved) -> BoxedCases<'static> {
    let mut query = cases::table.into_boxed();
    if let Some(status) = filter.status_id {
        query = query.filter(cases::status_id.eq(status));
    }
    if let Some(expert) = filter.expert_id {
        query = query.filter(cases::expert_id.eq(expert));
    }
    if let Some(importance) = filter.importance {
        query = query.filter(cases::importance.eq(importance.as_str()));
    }
    if let Some(priority) = filter.priority {
        query = query.filter(cases::priority.eq(priority));
    }
    if let Some(channel) = filter.channel_id {
        query = query.filter(cases::channel_id.eq(channel));
    }
    if let Some(units) = &read.units {
        query = query.filter(cases::org_unit_id.eq_any(units.clone()));
    }
    if filter.open_only {
        query = query.filter(
            cases::status_id.eq_any(
                case_statuses::table
                    .filter(case_statuses::outcome.eq(Outcome::Open.as_str()))
                    .select(case_statuses::id),
            ),
        );
    }
    for (word, holders) in &read.words {
        let own = cases::search_text
            .like(text::like_pattern(word))
            .escape('\\');
        query = match holders {
            Some(ids) => {
                let ids: Vec<Option<ContactId>> = ids.iter().copied().map(Some).collect();
                query.filter(
                    own.or(cases::company_id.eq_any(ids.clone()))
                        .or(cases::contact_id.eq_any(ids)),
                )
            }
            None => {
                let holding = super::contacts::holds_words(db, std::slice::from_ref(word));
                let customers = contacts::table
                    .filter(holding.expect("a word"))
                    .select(contacts::id.nullable());
                query.filter(
                    own.or(cases::company_id.eq_any(customers.clone()))
                        .or(cases::contact_id.eq_any(customers)),
                )
            }
        };
    }
    query
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = cases)]
struct Raw {
    id: CaseId,
    number: String,
    title: String,
    company_id: Option<ContactId>,
    contact_id: Option<ContactId>,
    expert_id: UserId,
    status_id: CaseStatusId,
    importance: String,
    priority: i32,
    expected_amount: Option<i64>,
    next_due_at: Option<NaiveDateTime>,
    version: i64,
}

fn decorate(db: &mut Db, raw: Vec<Raw>) -> Result<Vec<CaseRow>> {
    let customers = names::contacts(
        db,
        raw.iter()
            .flat_map(|r| [r.company_id, r.contact_id])
            .flatten(),
    )?;
    let experts = names::users(db, raw.iter().map(|r| r.expert_id))?;
    let statuses = names::statuses(db)?;
    Ok(raw
        .into_iter()
        .map(|r| {
            let (status, outcome) = statuses.get(&r.status_id).cloned().unwrap_or_default();
            CaseRow {
                id: r.id,
                customer: names::customer(&customers, r.company_id, r.contact_id),
                number: r.number,
                title: r.title,
                company_id: r.company_id,
                contact_id: r.contact_id,
                expert: experts.get(&r.expert_id).cloned().unwrap_or_default(),
                expert_id: r.expert_id,
                status,
                status_id: r.status_id,
                closed: outcome != Outcome::Open.as_str(),
                importance: r.importance,
                priority: r.priority,
                expected_amount: r.expected_amount,
                next_due_at: r.next_due_at,
                version: r.version,
            }
        })
        .collect())
}

/// The priorities a case may have, most urgent first (the column's check holds it to these).
const PRIORITIES: std::ops::RangeInclusive<i32> = 1..=5;

/// A run of the list that `cases_urgency_idx (priority, next_due_at, id)` holds in list order:
/// the cases of one priority that have a due time (by it, then the newest first), or those that
/// have none (the newest first). The list is the runs one after the other, each priority's cases
/// with a due time before those without.
///
/// One statement over the whole list cannot be read from the index: it sorts the NULLs first on
/// SQLite and last on PostgreSQL, so ordering by `next_due_at IS NULL` to put them last had each
/// page sort a whole priority's cases (170 ms for the first page of 300,000 on SQLite); and the
/// newest-first tie-break runs against the due time's direction, which no row value `(a, b) >
/// (x, y)` expresses. Read a run at a time, each page is a seek into the index: the next run is
/// read only when the page is not full yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Run {
    priority: i32,
    /// Whether these are the cases without a due time (they come after those with one).
    no_due: bool,
}

impl Run {
    /// The run a key is in.
    fn of(key: &CaseKey) -> Run {
        Run {
            priority: key.0,
            no_due: key.1.is_none(),
        }
    }
}

/// Up to `limit` cases `filter` lets through, from `key` (not included; `None`: from the start,
/// or the end going backward) the `way` given, in that way's order.
fn read(
    db: &mut Db,
    filter: &CaseFilter,
    key: Option<&CaseKey>,
    way: Way,
    limit: i64,
) -> Result<Vec<Raw>> {
    let resolved = Resolved::of(db, filter)?;
    let mut runs: Vec<Run> = PRIORITIES
        .filter(|&p| filter.priority.is_none_or(|wanted| wanted == p))
        .flat_map(|priority| [false, true].map(|no_due| Run { priority, no_due }))
        .filter(|run| match (key, way) {
            (None, _) => true,
            (Some(key), Way::Forward) => *run >= Run::of(key),
            (Some(key), Way::Backward) => *run <= Run::of(key),
        })
        .collect();
    if way == Way::Backward {
        runs.reverse();
    }
    keyset::fill(runs, limit, |run, left| {
        let from = key.filter(|key| Run::of(key) == run);
        let query = in_run(matching(db, filter, &resolved), run, from, way);
        Ok(query.select(Raw::as_select()).limit(left).load::<Raw>(db)?)
    })
}

/// The cases of `run` beyond `key` (a key in that run) the `way` given, in that way's order.
fn in_run(
    query: BoxedCases<'static>,
    run: Run,
    key: Option<&CaseKey>,
    way: Way,
) -> BoxedCases<'static> {
    use cases::{id, next_due_at as due, priority};
    let query = query.filter(priority.eq(run.priority));
    if run.no_due {
        let query = query.filter(due.is_null());
        // The due time, NULL throughout the run, is named in the order all the same: PostgreSQL
        // then reads the run in the index's order, backwards for the newest first (it does not
        // take `IS NULL` as fixing the column, as it does `=`); by id alone it walks the primary
        // key and filters.
        return match (key, way) {
            (Some(&(_, _, after)), Way::Forward) => {
                query.filter(id.lt(after)).order((due.desc(), id.desc()))
            }
            (None, Way::Forward) => query.order((due.desc(), id.desc())),
            (Some(&(_, _, before)), Way::Backward) => {
                query.filter(id.gt(before)).order((due.asc(), id.asc()))
            }
            (None, Way::Backward) => query.order((due.asc(), id.asc())),
        };
    }
    let query = query.filter(due.is_not_null());
    // By the due time, then the newest first: the two columns go opposite ways, so the key is no
    // row value. The page is the index's range from the key's due time on (`>=`, a seek); the
    // cases due at that same moment on the key's side of it (ids at or above the key's going
    // forward) are left out by the second condition, a check on those few rows only. Each run of
    // equal due times is put newest first as it is read: SQLite's "temp b-tree for the last term
    // of the order", PostgreSQL's incremental sort, both stopping once the page is full.
    let query = match (key, way) {
        (Some(&(_, Some(at), after)), Way::Forward) => query
            .filter(due.ge(at))
            .filter(diesel::dsl::not(due.eq(at).and(id.ge(after)))),
        (Some(&(_, Some(at), before)), Way::Backward) => query
            .filter(due.le(at))
            .filter(diesel::dsl::not(due.eq(at).and(id.le(before)))),
        _ => query,
    };
    match way {
        Way::Forward => query.order((due.asc(), id.desc())),
        Way::Backward => query.order((due.desc(), id.asc())),
    }
}

/// Up to `limit` cases `filter` lets through, after `after_key` in list order (keyset paging:
/// the cost does not grow with how far down the list the user is).
pub fn page(
    db: &mut Db,
    filter: &CaseFilter,
    after_key: Option<&CaseKey>,
    limit: i64,
) -> Result<Vec<CaseRow>> {
    let raw = read(db, filter, after_key, Way::Forward, limit)?;
    decorate(db, raw)
}

/// Up to `limit` cases `filter` lets through, before `before_key`, in list order.
pub fn page_before(
    db: &mut Db,
    filter: &CaseFilter,
    before_key: &CaseKey,
    limit: i64,
) -> Result<Vec<CaseRow>> {
    let mut raw = read(db, filter, Some(before_key), Way::Backward, limit)?;
    raw.reverse();
    decorate(db, raw)
}

/// The last `limit` cases `filter` lets through, in list order.
pub fn last_page(db: &mut Db, filter: &CaseFilter, limit: i64) -> Result<Vec<CaseRow>> {
    let mut raw = read(db, filter, None, Way::Backward, limit)?;
    raw.reverse();
    decorate(db, raw)
}

/// How many cases `filter` lets through.
pub fn count(db: &mut Db, filter: &CaseFilter) -> Result<i64> {
    Ok(filtered(db, filter)?.count().get_result(db)?)
}

/// The cases a contact is the customer company or the main person of, newest first, at most
/// `limit`.
pub fn of_contact(db: &mut Db, contact_id: ContactId, limit: i64) -> Result<Vec<CaseRow>> {
    let raw: Vec<Raw> = cases::table
        .select(Raw::as_select())
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

/// The open cases a contact is the customer company or the main person of, newest first: what
/// logging a call offers for the contact picked.
pub fn open_of_contact(db: &mut Db, contact_id: ContactId) -> Result<Vec<CaseRow>> {
    let raw: Vec<Raw> = cases::table
        .select(Raw::as_select())
        .filter(
            cases::company_id
                .eq(contact_id)
                .or(cases::contact_id.eq(contact_id)),
        )
        .filter(
            cases::status_id.eq_any(
                case_statuses::table
                    .filter(case_statuses::outcome.eq(Outcome::Open.as_str()))
                    .select(case_statuses::id),
            ),
        )
        .order(cases::id.desc())
        .load(db)?;
    decorate(db, raw)
}

/// Today's date where Peygir runs: the day a case number's year is taken from.
fn local_today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Today's date, as late as it is anywhere the store is used from (the machine's zone or UTC):
/// a date typed as today is never in the future.
fn latest_today() -> NaiveDate {
    local_today().max(chrono::Utc::now().date_naive())
}
