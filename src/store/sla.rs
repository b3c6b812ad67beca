//! Service levels for complaints: for each severity the working hours allowed until the first
//! response and until the resolution (an admin sets them), and the holidays those hours skip.
//! The working week they are counted over is [`week`]; the arithmetic is
//! [`crate::domain::working_time`].

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::Db;
use crate::db::ids::{HolidayId, SlaPolicyId, UserId};
use crate::db::schema::{holidays, sla_policies, working_hours};
use crate::domain::working_time::{Calendar, WorkingWeek};
use crate::domain::{text, when};
use crate::error::{Error, FieldError, Result};
use crate::t;

use super::audit::{self, AuditAction};
use super::versioned::{self, Changed};
use super::{Actor, Role};

/// The audit log's entity for an SLA policy.
pub const ENTITY: &str = "sla-policy";
/// The audit log's entity for a holiday.
pub const HOLIDAY_ENTITY: &str = "holiday";
/// The audit log's entity for a day of the working week; its id is the weekday (1 Monday).
pub const WEEKDAY_ENTITY: &str = "working-day";

/// The most hours a policy allows (a year of working time, give or take): more is a typing slip.
pub const MAX_HOURS: i32 = 2_000;

/// How much a complaint weighs, which decides its service level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Severity {
    Low,
    #[default]
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The severity with this code or name in either language, letter case ignored.
    pub fn parse(text: &str) -> Option<Severity> {
        let key = text::search_key(text.trim());
        Severity::ALL.into_iter().find(|s| {
            s.as_str() == key
                || text::search_key(crate::i18n::tr_in(crate::i18n::Lang::En, s.message_key()))
                    == key
                || text::search_key(crate::i18n::tr_in(crate::i18n::Lang::Fa, s.message_key()))
                    == key
        })
    }

    /// The catalog key of its name.
    pub fn message_key(self) -> &'static str {
        match self {
            Severity::Low => "severity.low",
            Severity::Medium => "severity.medium",
            Severity::High => "severity.high",
            Severity::Critical => "severity.critical",
        }
    }

    /// The service level a store starts with, in working hours: (to first response, to
    /// resolution).
    fn default_hours(self) -> (i32, i32) {
        match self {
            Severity::Critical => (2, 8),
            Severity::High => (4, 24),
            Severity::Medium => (8, 40),
            Severity::Low => (16, 80),
        }
    }
}

/// The service level of one severity.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = sla_policies)]
pub struct SlaPolicy {
    pub id: SlaPolicyId,
    pub severity: String,
    /// Working hours until the first response is due.
    pub response_hours: i32,
    /// Working hours until the resolution is due.
    pub resolution_hours: i32,
    pub version: i64,
    pub updated_by: Option<UserId>,
    pub updated_at: NaiveDateTime,
}

versioned::stored!(
    SlaPolicy,
    SlaPolicyId,
    sla_policies,
    ENTITY,
    "entity.sla-policy"
);
versioned::versioned!(SlaPolicy, sla_policies, updated_by);

/// A policy as it is inserted.
#[derive(Debug, Clone, PartialEq, Eq, Insertable)]
#[diesel(table_name = sla_policies)]
struct NewSlaPolicy {
    severity: &'static str,
    response_hours: i32,
    resolution_hours: i32,
    updated_at: NaiveDateTime,
}

/// A holiday: a whole day the service-level clocks stand still.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = holidays)]
pub struct Holiday {
    pub id: HolidayId,
    pub day: NaiveDate,
    pub name: String,
}

/// A holiday as it is inserted.
#[derive(Debug, Clone, PartialEq, Eq, Insertable)]
#[diesel(table_name = holidays)]
pub struct NewHoliday {
    pub day: NaiveDate,
    pub name: String,
}

/// Adds the policies and the working week a store is missing (the defaults); one already there
/// stays as an admin left it.
pub fn ensure_defaults(db: &mut Db) -> Result<()> {
    super::write(db, |db| {
        let present: BTreeSet<String> = sla_policies::table
            .select(sla_policies::severity)
            .load(db)?
            .into_iter()
            .collect();
        let now = super::now();
        for severity in Severity::ALL {
            if present.contains(severity.as_str()) {
                continue;
            }
            let (response_hours, resolution_hours) = severity.default_hours();
            diesel::insert_into(sla_policies::table)
                .values(NewSlaPolicy {
                    severity: severity.as_str(),
                    response_hours,
                    resolution_hours,
                    updated_at: now,
                })
                .execute(db)?;
        }
        let days: i64 = working_hours::table.count().get_result(db)?;
        if days == 0 {
            write_week(db, &WorkingWeek::iran_default())?;
        }
        Ok(())
    })
}

/// Every policy, the least severe first.
pub fn policies(db: &mut Db) -> Result<Vec<SlaPolicy>> {
    let mut all: Vec<SlaPolicy> = sla_policies::table
        .select(SlaPolicy::as_select())
        .load(db)?;
    all.sort_by_key(|p| Severity::parse(&p.severity));
    Ok(all)
}

/// The policy of `severity`.
pub fn policy(db: &mut Db, severity: Severity) -> Result<SlaPolicy> {
    sla_policies::table
        .filter(sla_policies::severity.eq(severity.as_str()))
        .select(SlaPolicy::as_select())
        .first(db)
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: t!("entity.sla-policy"),
            id: 0,
        })
}

/// Checks a policy's hours: whole hours above zero and at most [`MAX_HOURS`], the resolution
/// no sooner than the first response.
fn hours_errors(response_hours: i64, resolution_hours: i64) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let range = 1..=i64::from(MAX_HOURS);
    for (field, hours) in [
        ("field.response-hours", response_hours),
        ("field.resolution-hours", resolution_hours),
    ] {
        if !range.contains(&hours) {
            errors.push(FieldError::new(field, t!("invalid.hours", max = MAX_HOURS)));
        }
    }
    if errors.is_empty() && resolution_hours < response_hours {
        errors.push(FieldError::new(
            "field.resolution-hours",
            t!("invalid.resolution-before-response"),
        ));
    }
    errors
}

/// Sets the working hours allowed for `severity` (admin work); returns the stored policy.
pub fn set_policy(
    db: &mut Db,
    actor: &Actor,
    severity: Severity,
    response_hours: i64,
    resolution_hours: i64,
) -> Result<SlaPolicy> {
    actor.require(Role::Admin, &t!("forbidden.edit-sla"))?;
    let errors = hours_errors(response_hours, resolution_hours);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let (Ok(response), Ok(resolution)) = (
        i32::try_from(response_hours),
        i32::try_from(resolution_hours),
    ) else {
        return Err(Error::Invalid(vec![FieldError::new(
            "field.response-hours",
            t!("invalid.hours", max = MAX_HOURS),
        )]));
    };
    let current = policy(db, severity)?;
    versioned::update::<SlaPolicy>(
        db,
        actor,
        current.id,
        current.version,
        AuditAction::Update,
        |_| Ok(()),
        |db, old, _| {
            if old.response_hours == response && old.resolution_hours == resolution {
                return Ok(Changed::No);
            }
            diesel::update(sla_policies::table.find(old.id))
                .set((
                    sla_policies::response_hours.eq(response),
                    sla_policies::resolution_hours.eq(resolution),
                ))
                .execute(db)?;
            Ok(Changed::Yes)
        },
    )
}

/// The working week as stored (the default week when none is).
pub fn week(db: &mut Db) -> Result<WorkingWeek> {
    let rows: Vec<(i32, Option<i32>, Option<i32>)> = working_hours::table
        .select((
            working_hours::weekday,
            working_hours::opens_at,
            working_hours::closes_at,
        ))
        .load(db)?;
    if rows.is_empty() {
        return Ok(WorkingWeek::iran_default());
    }
    // The table's checks keep each day sound; a week with no working day at all is refused
    // when it is set, so finding one means the table was edited by hand.
    WorkingWeek::from_minutes(&rows).map_err(|_| {
        Error::Invalid(vec![FieldError::new(
            "field.working-week",
            t!("invalid.working-week"),
        )])
    })
}

/// Writes every day of `week` in the transaction the caller runs.
fn write_week(db: &mut Db, week: &WorkingWeek) -> Result<()> {
    diesel::delete(working_hours::table).execute(db)?;
    for (weekday, hours) in week.to_minutes() {
        diesel::insert_into(working_hours::table)
            .values((
                working_hours::weekday.eq(weekday),
                working_hours::opens_at.eq(hours.map(|h| h.0)),
                working_hours::closes_at.eq(hours.map(|h| h.1)),
            ))
            .execute(db)?;
    }
    Ok(())
}

/// Replaces the working week (admin work), auditing each day that changed.
pub fn set_week(db: &mut Db, actor: &Actor, new: &WorkingWeek) -> Result<()> {
    actor.require(Role::Admin, &t!("forbidden.edit-sla"))?;
    super::write(db, |db| {
        let old = week(db)?;
        if old == *new {
            return Ok(());
        }
        write_week(db, new)?;
        for ((weekday, before), (_, after)) in old.to_minutes().into_iter().zip(new.to_minutes()) {
            if before != after {
                audit::record(
                    db,
                    actor,
                    WEEKDAY_ENTITY,
                    i64::from(weekday),
                    AuditAction::Update,
                    Some(&before),
                    Some(&after),
                )?;
            }
        }
        Ok(())
    })
}

/// The holidays from `from` to `until`, both included, in date order.
pub fn holidays(db: &mut Db, from: NaiveDate, until: NaiveDate) -> Result<Vec<Holiday>> {
    Ok(holidays::table
        .filter(holidays::day.ge(from).and(holidays::day.le(until)))
        .order(holidays::day.asc())
        .select(Holiday::as_select())
        .load(db)?)
}

/// Every holiday, in date order.
pub fn all_holidays(db: &mut Db) -> Result<Vec<Holiday>> {
    Ok(holidays::table
        .order(holidays::day.asc())
        .select(Holiday::as_select())
        .load(db)?)
}

/// The calendar service-level clocks run on: the working week and every holiday.
pub fn calendar(db: &mut Db) -> Result<Calendar> {
    let days: BTreeSet<NaiveDate> = holidays::table
        .select(holidays::day)
        .load(db)?
        .into_iter()
        .collect();
    Ok(Calendar::new(week(db)?, days))
}

/// When the first response and the resolution of a complaint received at `received_at` (UTC) are
/// due under `policy`, counted in working time on `calendar` (the office's wall clock), in UTC.
pub fn due_times(
    calendar: &Calendar,
    policy: &SlaPolicy,
    received_at: NaiveDateTime,
) -> (NaiveDateTime, NaiveDateTime) {
    let local = when::to_local(received_at);
    let due = |hours: i32| when::to_utc(calendar.add_working_minutes(local, i64::from(hours) * 60));
    (due(policy.response_hours), due(policy.resolution_hours))
}

/// Checks holidays to be added: a name, and a day not on file nor given twice. Every problem
/// is named by its place in `new` (1 for the first).
fn holiday_errors(db: &mut Db, new: &[NewHoliday]) -> Result<Vec<(usize, FieldError)>> {
    let days: Vec<NaiveDate> = new.iter().map(|h| h.day).collect();
    let on_file: BTreeSet<NaiveDate> = holidays::table
        .filter(holidays::day.eq_any(&days))
        .select(holidays::day)
        .load(db)?
        .into_iter()
        .collect();
    let mut seen = BTreeSet::new();
    let mut errors = Vec::new();
    for (i, holiday) in new.iter().enumerate() {
        if holiday.name.trim().is_empty() {
            errors.push((
                i + 1,
                FieldError::new("field.holiday-name", t!("invalid.required")),
            ));
        }
        if on_file.contains(&holiday.day) || !seen.insert(holiday.day) {
            errors.push((
                i + 1,
                FieldError::new("field.day", t!("invalid.holiday-taken")),
            ));
        }
    }
    Ok(errors)
}

/// Adds holidays (admin work), all or none: a day already on file or given twice, or a blank
/// name, refuses the lot with every problem named by its place in `new` (1 for the first).
pub fn add_holidays(
    db: &mut Db,
    actor: &Actor,
    new: Vec<NewHoliday>,
) -> std::result::Result<Vec<Holiday>, HolidayErrors> {
    actor.require(Role::Admin, &t!("forbidden.edit-sla"))?;
    let new: Vec<NewHoliday> = new
        .into_iter()
        .map(|h| NewHoliday {
            day: h.day,
            name: text::clean_line(&h.name),
        })
        .collect();
    super::write(db, |db| {
        let errors = holiday_errors(db, &new)?;
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let mut added = Vec::with_capacity(new.len());
        for holiday in &new {
            let id: HolidayId = super::insert_one!(db, holidays, holiday)?;
            added.push(versioned::created::<Holiday>(db, actor, id)?);
        }
        Ok(Ok(added))
    })
    .map_err(HolidayErrors::Store)?
    .map_err(HolidayErrors::Rows)
}

/// Why holidays were not added.
#[derive(Debug)]
pub enum HolidayErrors {
    /// The store refused or failed.
    Store(Error),
    /// These rows (1 for the first) are wrong.
    Rows(Vec<(usize, FieldError)>),
}

impl From<Error> for HolidayErrors {
    fn from(e: Error) -> Self {
        HolidayErrors::Store(e)
    }
}

versioned::stored!(
    Holiday,
    HolidayId,
    holidays,
    HOLIDAY_ENTITY,
    "entity.holiday"
);

/// Removes the holiday on `day` (admin work); whether there was one.
pub fn remove_holiday(db: &mut Db, actor: &Actor, day: NaiveDate) -> Result<bool> {
    actor.require(Role::Admin, &t!("forbidden.edit-sla"))?;
    super::write(db, |db| {
        let found: Option<Holiday> = holidays::table
            .filter(holidays::day.eq(day))
            .select(Holiday::as_select())
            .first(db)
            .optional()?;
        let Some(old) = found else {
            return Ok(false);
        };
        diesel::delete(holidays::table.find(old.id)).execute(db)?;
        audit::record(
            db,
            actor,
            HOLIDAY_ENTITY,
            old.id,
            AuditAction::Delete,
            Some(&old),
            None,
        )?;
        Ok(true)
    })
}
