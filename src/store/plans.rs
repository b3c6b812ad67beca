//! Sales plans: the list a window at a time, the latest period first (the plan's figures against
//! the sales made are `report::plan_vs_actual`); a plan recorded, changed and deleted with
//! its lines, all or nothing; and a plan's lines split by the months or quarters of its period.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use std::collections::HashMap;

use serde::Serialize;

use super::audit::{self, AuditAction};
use super::bulk::{self, BulkRow};
use super::lookups::{self, List};
use super::versioned::{self, Stored, Versioned};
use super::{Actor, Role, users};
use crate::db::Db;
use crate::db::ids::{LookupId, SalesPlanId, UserId};
use crate::db::schema::{plan_lines, sales_plans};
use crate::domain::jalali::{self, JalaliDate};
use crate::domain::locale::Calendar;
use crate::domain::text;
use crate::error::{Error, FieldError, Result};
use crate::t;

/// A sales plan (its targets are plan lines).
#[derive(Debug, Clone, Default, PartialEq, Insertable)]
#[diesel(table_name = sales_plans, treat_none_as_default_value = false)]
pub struct NewSalesPlan {
    pub name: String,
    pub market: String,
    pub term: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub notes: Option<String>,
    pub created_by: UserId,
    pub updated_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl BulkRow for NewSalesPlan {
    const COLUMNS: usize = 10;
}

/// One target of a sales plan, by product group, region and expert (each optional).
#[derive(Debug, Clone, Default, PartialEq, Insertable)]
#[diesel(table_name = plan_lines, treat_none_as_default_value = false)]
pub struct NewPlanLine {
    pub plan_id: SalesPlanId,
    pub product_group_id: Option<LookupId>,
    pub region_id: Option<LookupId>,
    pub expert_id: Option<UserId>,
    pub target_amount: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub target_quantity: Option<i64>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

impl BulkRow for NewPlanLine {
    const COLUMNS: usize = 10;
}

/// One line of the plan list.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct PlanRow {
    pub id: SalesPlanId,
    pub name: String,
    /// `b2b` or `b2c`.
    pub market: String,
    /// `long` or `short`.
    pub term: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// Where a page starts: after this (start, id), going back in time.
pub type PlanKey = (NaiveDate, SalesPlanId);

pub fn key(row: &PlanRow) -> PlanKey {
    (row.starts_on, row.id)
}

macro_rules! plan_columns {
    () => {
        (
            sales_plans::id,
            sales_plans::name,
            sales_plans::market,
            sales_plans::term,
            sales_plans::starts_on,
            sales_plans::ends_on,
        )
    };
}

/// Up to `limit` plans starting before `after`, the latest start first.
pub fn page(db: &mut Db, after: Option<&PlanKey>, limit: i64) -> Result<Vec<PlanRow>> {
    let mut query = sales_plans::table
        .select(plan_columns!())
        .order((sales_plans::starts_on.desc(), sales_plans::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(&(starts, id)) = after {
        query = query.filter(
            sales_plans::starts_on.lt(starts).or(sales_plans::starts_on
                .eq(starts)
                .and(sales_plans::id.lt(id))),
        );
    }
    Ok(query.load(db)?)
}

/// Up to `limit` plans starting after `before`, in list order.
pub fn page_before(db: &mut Db, before: &PlanKey, limit: i64) -> Result<Vec<PlanRow>> {
    let &(starts, id) = before;
    let mut rows: Vec<PlanRow> = sales_plans::table
        .select(plan_columns!())
        .filter(
            sales_plans::starts_on.gt(starts).or(sales_plans::starts_on
                .eq(starts)
                .and(sales_plans::id.gt(id))),
        )
        .order((sales_plans::starts_on.asc(), sales_plans::id.asc()))
        .limit(limit)
        .load(db)?;
    rows.reverse();
    Ok(rows)
}

/// The earliest `limit` plans, in list order.
pub fn last_page(db: &mut Db, limit: i64) -> Result<Vec<PlanRow>> {
    let mut rows: Vec<PlanRow> = sales_plans::table
        .select(plan_columns!())
        .order((sales_plans::starts_on.asc(), sales_plans::id.asc()))
        .limit(limit)
        .load(db)?;
    rows.reverse();
    Ok(rows)
}

pub fn count(db: &mut Db) -> Result<i64> {
    Ok(sales_plans::table.count().get_result(db)?)
}

// ---------------------------------------------------------------------------------------------
// Recording a plan with its lines

/// The audit log's entity for a sales plan (its lines ride in its values).
pub const ENTITY: &str = "sales-plan";

/// Whose purchases a plan counts: companies' (B2B) or persons' (B2C).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub enum Market {
    #[default]
    B2b,
    B2c,
}

impl Market {
    pub fn as_str(self) -> &'static str {
        match self {
            Market::B2b => "b2b",
            Market::B2c => "b2c",
        }
    }

    /// The market of its code (`b2b`, `b2c`), in any letter case.
    pub fn parse(code: &str) -> Option<Market> {
        [Market::B2b, Market::B2c]
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(code.trim()))
    }
}

/// How far a plan looks: a short-term one (a month, a quarter) or a long-term one (a year).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub enum Term {
    #[default]
    Short,
    Long,
}

impl Term {
    pub fn as_str(self) -> &'static str {
        match self {
            Term::Short => "short",
            Term::Long => "long",
        }
    }

    /// The term of its code (`short`, `long`), in any letter case.
    pub fn parse(code: &str) -> Option<Term> {
        [Term::Short, Term::Long]
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(code.trim()))
    }
}

/// What a manager types for a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanFields {
    pub name: String,
    pub market: Market,
    pub term: Term,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub notes: Option<String>,
}

/// One target of a plan: an amount (and optionally a quantity) for a product group × region ×
/// expert, each `None` for all, over the plan's whole period or a part of it (a month or a
/// quarter, when the plan is split).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LineFields {
    pub product_group_id: Option<LookupId>,
    pub region_id: Option<LookupId>,
    pub expert_id: Option<UserId>,
    pub target_amount: i64,
    pub target_quantity: Option<i64>,
    /// The part of the plan's period the line covers; `None` for the whole period.
    pub period: Option<(NaiveDate, NaiveDate)>,
}

impl LineFields {
    /// The days the line covers within `plan`'s period.
    pub fn span(&self, plan: &SalesPlan) -> (NaiveDate, NaiveDate) {
        self.period.unwrap_or((plan.starts_on, plan.ends_on))
    }
}

/// A stored plan.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = sales_plans)]
pub struct SalesPlan {
    pub id: SalesPlanId,
    pub name: String,
    pub market: String,
    pub term: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub notes: Option<String>,
    pub version: i64,
    pub created_by: UserId,
    pub updated_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

versioned::stored!(
    SalesPlan,
    SalesPlanId,
    sales_plans,
    ENTITY,
    "entity.sales-plan"
);

versioned::versioned!(SalesPlan, sales_plans, updated_by);

impl SalesPlan {
    /// The plan's own fields, as a manager edits them.
    pub fn fields(&self) -> PlanFields {
        PlanFields {
            name: self.name.clone(),
            market: Market::parse(&self.market).unwrap_or_default(),
            term: Term::parse(&self.term).unwrap_or_default(),
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            notes: self.notes.clone(),
        }
    }
}

/// The plan with `id`.
pub fn get(db: &mut Db, id: SalesPlanId) -> Result<SalesPlan> {
    <SalesPlan as Stored>::get(db, id)
}

/// The plan called `name` (as stored: control characters out, trimmed), if any.
pub fn by_name(db: &mut Db, name: &str) -> Result<Option<SalesPlan>> {
    Ok(sales_plans::table
        .filter(sales_plans::name.eq(text::clean_line(name)))
        .select(SalesPlan::as_select())
        .first(db)
        .optional()?)
}

/// A plan's lines, in the order they were given.
pub fn lines_of(db: &mut Db, id: SalesPlanId) -> Result<Vec<LineFields>> {
    type Row = (
        Option<LookupId>,
        Option<LookupId>,
        Option<UserId>,
        i64,
        Option<i64>,
        Option<NaiveDate>,
        Option<NaiveDate>,
    );
    let rows: Vec<Row> = plan_lines::table
        .filter(plan_lines::plan_id.eq(id))
        .order(plan_lines::id.asc())
        .select((
            plan_lines::product_group_id,
            plan_lines::region_id,
            plan_lines::expert_id,
            plan_lines::target_amount,
            plan_lines::target_quantity,
            plan_lines::starts_on,
            plan_lines::ends_on,
        ))
        .load(db)?;
    Ok(rows
        .into_iter()
        .map(
            |(product_group_id, region_id, expert_id, target_amount, target_quantity, from, to)| {
                LineFields {
                    product_group_id,
                    region_id,
                    expert_id,
                    target_amount,
                    target_quantity,
                    period: from.zip(to),
                }
            },
        )
        .collect())
}

/// Each entry of a tree-shaped list with the entries above it (itself included).
pub(crate) fn lineages(db: &mut Db, list: List) -> Result<HashMap<LookupId, Vec<LookupId>>> {
    let parents: HashMap<LookupId, Option<LookupId>> = lookups::items_all(db, list)?
        .into_iter()
        .map(|l| (l.id, l.parent_id))
        .collect();
    Ok(parents
        .keys()
        .map(|&id| {
            let mut line = vec![id];
            let mut up = parents.get(&id).copied().flatten();
            while let Some(parent) = up.filter(|p| !line.contains(p)) {
                line.push(parent);
                up = parents.get(&parent).copied().flatten();
            }
            (id, line)
        })
        .collect())
}

/// Whether two values of one dimension can count the same sale: equal, either one "all", or
/// one above the other in its tree.
fn meet<T: PartialEq + Copy + Eq + std::hash::Hash>(
    a: Option<T>,
    b: Option<T>,
    above: &HashMap<T, Vec<T>>,
) -> bool {
    match (a, b) {
        (None, _) | (_, None) => true,
        (Some(a), Some(b)) => {
            a == b
                || above.get(&a).is_some_and(|l| l.contains(&b))
                || above.get(&b).is_some_and(|l| l.contains(&a))
        }
    }
}

/// The part of a plan line a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinePart {
    Amount,
    Quantity,
    ProductGroup,
    Region,
    Expert,
    Period,
}

/// One thing wrong with a plan or its lines, as [`problems`] finds it; lines are counted from 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanProblem {
    /// A field of the plan itself.
    Plan(FieldError),
    /// One line: the part of it at fault and why.
    Line {
        line: usize,
        part: LinePart,
        reason: String,
    },
    /// The line `line` would count the same sales as the earlier line `other`.
    Overlap { line: usize, other: usize },
}

impl PlanProblem {
    /// The problem as the store names it: the plan's field, or the lines with the line's number
    /// (1 for the first).
    pub fn to_field_error(&self) -> FieldError {
        match self {
            PlanProblem::Plan(error) => error.clone(),
            PlanProblem::Line { line, reason, .. } => FieldError::new(
                "field.plan-lines",
                t!("invalid.plan-line", line = line + 1, reason = reason),
            ),
            PlanProblem::Overlap { line, other } => FieldError::new(
                "field.plan-lines",
                t!(
                    "invalid.plan-lines-overlap",
                    line = line + 1,
                    other = other + 1
                ),
            ),
        }
    }
}

/// Everything wrong with `fields` and `lines` as the plan `id` (`None` for a new plan), in the
/// order a manager reads them: the plan's fields, then each line's problems. A name is taken
/// when another plan has it.
pub fn problems(
    db: &mut Db,
    id: Option<SalesPlanId>,
    fields: &PlanFields,
    lines: &[LineFields],
) -> Result<Vec<PlanProblem>> {
    let mut problems = Vec::new();
    let mut plan = |field: &'static str, reason: String| {
        problems.push(PlanProblem::Plan(FieldError::new(field, reason)));
    };
    let name = text::clean_line(&fields.name);
    if name.is_empty() {
        plan("field.plan-name", t!("invalid.required"));
    } else if by_name(db, &name)?.is_some_and(|other| Some(other.id) != id) {
        plan("field.plan-name", t!("invalid.plan-name-taken"));
    }
    if fields.ends_on < fields.starts_on {
        plan("field.ends-on", t!("invalid.ends-before-start"));
    }
    if lines.is_empty() {
        plan("field.plan-lines", t!("invalid.plan-without-lines"));
    }
    let groups = lineages(db, List::ProductGroup)?;
    let regions = lineages(db, List::Region)?;
    let none: HashMap<UserId, Vec<UserId>> = HashMap::new();
    let whole = (fields.starts_on, fields.ends_on);
    for (i, line) in lines.iter().enumerate() {
        let mut refuse = |part: LinePart, reason: String| {
            problems.push(PlanProblem::Line {
                line: i,
                part,
                reason,
            });
        };
        if line.target_amount < 0 {
            refuse(LinePart::Amount, t!("invalid.negative"));
        }
        if line.target_quantity.is_some_and(|q| q < 0) {
            refuse(LinePart::Quantity, t!("invalid.negative"));
        }
        if let Some(id) = line.product_group_id
            && !groups.contains_key(&id)
        {
            refuse(LinePart::ProductGroup, t!("invalid.no-such", id = id));
        }
        if let Some(id) = line.region_id
            && !regions.contains_key(&id)
        {
            refuse(LinePart::Region, t!("invalid.no-such", id = id));
        }
        if let Some(id) = line.expert_id
            && users::get(db, id).is_err()
        {
            refuse(LinePart::Expert, t!("invalid.no-such", id = id));
        }
        if let Some((from, to)) = line.period
            && (to < from || from < whole.0 || to > whole.1)
        {
            refuse(LinePart::Period, t!("invalid.plan-line-period"));
        }
        if let Some(earlier) = lines[..i].iter().position(|other| {
            // A line without a period of its own covers the plan's whole period.
            let same_days = match (line.period, other.period) {
                (Some((from, to)), Some((other_from, other_to))) => {
                    from <= other_to && other_from <= to
                }
                _ => true,
            };
            same_days
                && meet(line.product_group_id, other.product_group_id, &groups)
                && meet(line.region_id, other.region_id, &regions)
                && meet(line.expert_id, other.expert_id, &none)
        }) {
            problems.push(PlanProblem::Overlap {
                line: i,
                other: earlier,
            });
        }
    }
    Ok(problems)
}

/// Refuses `fields` and `lines` as the plan `id` with every problem named, or lets them pass.
fn check(
    db: &mut Db,
    id: Option<SalesPlanId>,
    fields: &PlanFields,
    lines: &[LineFields],
) -> Result<()> {
    let errors: Vec<FieldError> = problems(db, id, fields, lines)?
        .iter()
        .map(PlanProblem::to_field_error)
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// What the audit log records of a plan: the plan and its lines.
#[derive(Serialize)]
struct PlanRecord<'a> {
    plan: &'a SalesPlan,
    lines: &'a [LineFields],
}

/// The fields as they are stored: the name on one line, the notes without control characters.
fn cleaned(fields: PlanFields) -> PlanFields {
    PlanFields {
        name: text::clean_line(&fields.name),
        notes: text::clean_text(fields.notes.as_deref()),
        ..fields
    }
}

/// Stores `lines` as the lines of the plan `id`.
fn insert_lines(
    db: &mut Db,
    id: SalesPlanId,
    lines: &[LineFields],
    now: NaiveDateTime,
) -> Result<()> {
    let rows: Vec<NewPlanLine> = lines
        .iter()
        .map(|line| NewPlanLine {
            plan_id: id,
            product_group_id: line.product_group_id,
            region_id: line.region_id,
            expert_id: line.expert_id,
            target_amount: line.target_amount,
            created_at: now,
            updated_at: now,
            target_quantity: line.target_quantity,
            starts_on: line.period.map(|(from, _)| from),
            ends_on: line.period.map(|(_, to)| to),
        })
        .collect();
    bulk::plan_lines(db, &rows)?;
    Ok(())
}

/// The plan `id` as read for a change: refused as stale unless it is still at `version`.
fn current(db: &mut Db, id: SalesPlanId, version: i64) -> Result<SalesPlan> {
    let plan = get(db, id)?;
    if plan.version != version {
        return Err(versioned::changed_since::<SalesPlan>(db, id));
    }
    Ok(plan)
}

/// Records a plan with its lines (a manager's work), all or nothing: an empty or taken name, a
/// period that ends before it starts, a negative target, an unknown group, region or expert, or
/// two lines that would count the same sale (equal, "all", or one inside the other's tree)
/// refuse the whole plan, every problem named.
pub fn create(
    db: &mut Db,
    actor: &Actor,
    fields: PlanFields,
    lines: Vec<LineFields>,
) -> Result<SalesPlan> {
    actor.require(Role::Manager, &t!("forbidden.edit-plans"))?;
    let fields = cleaned(fields);
    super::write(db, |db| {
        check(db, None, &fields, &lines)?;
        let now = super::now();
        let row = NewSalesPlan {
            name: fields.name.clone(),
            market: fields.market.as_str().to_string(),
            term: fields.term.as_str().to_string(),
            starts_on: fields.starts_on,
            ends_on: fields.ends_on,
            notes: fields.notes.clone(),
            created_by: actor.id,
            updated_by: actor.id,
            created_at: now,
            updated_at: now,
        };
        let id: SalesPlanId = super::insert_one!(db, sales_plans, &row)?;
        insert_lines(db, id, &lines, now)?;
        let plan = get(db, id)?;
        audit::record(
            db,
            actor,
            ENTITY,
            id,
            AuditAction::Create,
            None,
            Some(&PlanRecord {
                plan: &plan,
                lines: &lines,
            }),
        )?;
        Ok(plan)
    })
}

/// Replaces the plan `id`'s fields and its whole set of lines (a manager's work), all or
/// nothing, with the checks of [`create`]; refused with `Error::Conflict` unless the plan is
/// still at `version`. The audit row holds the plan and its lines before and after.
pub fn update(
    db: &mut Db,
    actor: &Actor,
    id: SalesPlanId,
    version: i64,
    fields: PlanFields,
    lines: Vec<LineFields>,
) -> Result<SalesPlan> {
    actor.require(Role::Manager, &t!("forbidden.edit-plans"))?;
    let fields = cleaned(fields);
    super::write(db, |db| {
        let old = current(db, id, version)?;
        check(db, Some(id), &fields, &lines)?;
        let old_lines = lines_of(db, id)?;
        let now = super::now();
        diesel::update(sales_plans::table.find(id))
            .set((
                sales_plans::name.eq(&fields.name),
                sales_plans::market.eq(fields.market.as_str()),
                sales_plans::term.eq(fields.term.as_str()),
                sales_plans::starts_on.eq(fields.starts_on),
                sales_plans::ends_on.eq(fields.ends_on),
                sales_plans::notes.eq(&fields.notes),
            ))
            .execute(db)?;
        diesel::delete(plan_lines::table.filter(plan_lines::plan_id.eq(id))).execute(db)?;
        insert_lines(db, id, &lines, now)?;
        if SalesPlan::claim(db, id, version, actor.id, now)? == 0 {
            return Err(versioned::changed_since::<SalesPlan>(db, id));
        }
        let plan = get(db, id)?;
        audit::record(
            db,
            actor,
            ENTITY,
            id,
            AuditAction::Update,
            Some(&PlanRecord {
                plan: &old,
                lines: &old_lines,
            }),
            Some(&PlanRecord {
                plan: &plan,
                lines: &lines,
            }),
        )?;
        Ok(plan)
    })
}

/// Deletes the plan `id` with its lines (a manager's work), refused with `Error::Conflict`
/// unless it is still at `version`. The audit row keeps the plan and its lines as they were.
pub fn delete(db: &mut Db, actor: &Actor, id: SalesPlanId, version: i64) -> Result<()> {
    actor.require(Role::Manager, &t!("forbidden.edit-plans"))?;
    super::write(db, |db| {
        let old = current(db, id, version)?;
        let old_lines = lines_of(db, id)?;
        diesel::delete(plan_lines::table.filter(plan_lines::plan_id.eq(id))).execute(db)?;
        let deleted = diesel::delete(
            sales_plans::table
                .filter(sales_plans::id.eq(id))
                .filter(sales_plans::version.eq(version)),
        )
        .execute(db)?;
        if deleted == 0 {
            return Err(versioned::changed_since::<SalesPlan>(db, id));
        }
        audit::record(
            db,
            actor,
            ENTITY,
            id,
            AuditAction::Delete,
            Some(&PlanRecord {
                plan: &old,
                lines: &old_lines,
            }),
            None,
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Splitting a plan by months or quarters

/// The parts a plan's period is split into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    Month,
    Quarter,
}

impl Split {
    pub fn as_str(self) -> &'static str {
        match self {
            Split::Month => "month",
            Split::Quarter => "quarter",
        }
    }

    /// The split of its code (`month`, `quarter`), in any letter case.
    pub fn parse(code: &str) -> Option<Split> {
        [Split::Month, Split::Quarter]
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(code.trim()))
    }
}

/// `plan`'s lines with each line over the whole period made one line per month (or quarter) of
/// the period; see [`split_period`].
pub fn split(
    plan: &SalesPlan,
    lines: &[LineFields],
    by: Split,
    calendar: Calendar,
) -> Vec<LineFields> {
    split_period((plan.starts_on, plan.ends_on), lines, by, calendar)
}

/// The lines of a plan over `period` with each line over the whole period made one line per
/// month (or quarter) of `calendar` the period touches, a month or quarter cut by the period's
/// start or end being a part too. The line's target and quantity are divided in proportion to
/// the days of each part, rounded so that the parts add up to the whole exactly. A line that
/// already has a period of its own is kept as it is.
pub fn split_period(
    period: (NaiveDate, NaiveDate),
    lines: &[LineFields],
    by: Split,
    calendar: Calendar,
) -> Vec<LineFields> {
    let parts = parts(period, by, calendar);
    let days: Vec<i64> = parts
        .iter()
        .map(|(from, to)| (*to - *from).num_days() + 1)
        .collect();
    let mut split = Vec::new();
    for line in lines {
        if line.period.is_some() {
            split.push(*line);
            continue;
        }
        let amounts = shares(line.target_amount, &days);
        let quantities = line.target_quantity.map(|q| shares(q, &days));
        for (i, &part) in parts.iter().enumerate() {
            split.push(LineFields {
                target_amount: amounts[i],
                target_quantity: quantities.as_ref().map(|q| q[i]),
                period: Some(part),
                ..*line
            });
        }
    }
    split
}

/// The months or quarters of `calendar` that `period` touches, in order, each cut to the
/// period: (first day, last day).
pub fn parts(
    period: (NaiveDate, NaiveDate),
    by: Split,
    calendar: Calendar,
) -> Vec<(NaiveDate, NaiveDate)> {
    let (mut from, end) = period;
    let mut parts = Vec::new();
    while from <= end {
        let to = part_end(from, by, calendar).min(end);
        parts.push((from, to));
        match to.succ_opt() {
            Some(next) => from = next,
            None => break,
        }
    }
    parts
}

/// The last day of the month or quarter of `calendar` that `day` is in.
fn part_end(day: NaiveDate, by: Split, calendar: Calendar) -> NaiveDate {
    use chrono::Datelike;
    let last_month = |month: u32| match by {
        Split::Month => month,
        Split::Quarter => (month - 1) / 3 * 3 + 3,
    };
    let jalali_end = (calendar == Calendar::Jalali)
        .then(|| JalaliDate::from_gregorian(day))
        .flatten()
        .and_then(|j| {
            let month = last_month(j.month);
            let days = jalali::month_days(j.year, month)?;
            JalaliDate::new(j.year, month, days).ok()?.to_gregorian()
        });
    if let Some(end) = jalali_end {
        return end;
    }
    let month = last_month(day.month());
    let next_first = if month == 12 {
        NaiveDate::from_ymd_opt(day.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(day.year(), month + 1, 1)
    };
    next_first
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// `total` divided in proportion to `weights`, in whole units that add up to `total` exactly:
/// each share is rounded down, and the units left go one each to the shares that lost the most
/// by it (the earlier first among equals).
fn shares(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|&w| i128::from(w)).sum();
    if sum <= 0 {
        return weights.iter().map(|_| 0).collect();
    }
    let exact: Vec<(i128, i128)> = weights
        .iter()
        .map(|&w| {
            let product = i128::from(total) * i128::from(w);
            (product.div_euclid(sum), product.rem_euclid(sum))
        })
        .collect();
    let mut shares: Vec<i64> = exact
        .iter()
        .map(|&(whole, _)| i64::try_from(whole).unwrap_or_default())
        .collect();
    let left = total - shares.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| exact[b].1.cmp(&exact[a].1).then(a.cmp(&b)));
    for &i in order.iter().take(usize::try_from(left).unwrap_or_default()) {
        shares[i] += 1;
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    fn jalali(y: i32, m: u32, d: u32) -> NaiveDate {
        JalaliDate::new(y, m, d)
            .ok()
            .and_then(JalaliDate::to_gregorian)
            .expect("a Jalali date")
    }

    fn plan(from: NaiveDate, to: NaiveDate) -> SalesPlan {
        let at = from.and_hms_opt(0, 0, 0).expect("midnight");
        SalesPlan {
            id: SalesPlanId(1),
            name: "Plan".into(),
            market: "b2b".into(),
            term: "long".into(),
            starts_on: from,
            ends_on: to,
            notes: None,
            version: 1,
            created_by: UserId(1),
            updated_by: UserId(1),
            created_at: at,
            updated_at: at,
        }
    }

    fn whole(amount: i64, quantity: Option<i64>) -> LineFields {
        LineFields {
            region_id: Some(LookupId(7)),
            target_amount: amount,
            target_quantity: quantity,
            ..LineFields::default()
        }
    }

    fn amounts(lines: &[LineFields]) -> Vec<i64> {
        lines.iter().map(|l| l.target_amount).collect()
    }

    #[test]
    fn a_jalali_year_is_split_in_its_twelve_months_summing_exactly() {
        let year = plan(jalali(1405, 1, 1), jalali(1405, 12, 29));
        let lines = split(
            &year,
            &[whole(1_000_000_007, Some(1_001))],
            Split::Month,
            Calendar::Jalali,
        );
        assert_eq!(lines.len(), 12);
        assert_eq!(amounts(&lines).iter().sum::<i64>(), 1_000_000_007);
        let quantities: i64 = lines.iter().filter_map(|l| l.target_quantity).sum();
        assert_eq!(quantities, 1_001);
        assert_eq!(
            lines[0].period,
            Some((jalali(1405, 1, 1), jalali(1405, 1, 31)))
        );
        assert_eq!(
            lines[6].period,
            Some((jalali(1405, 7, 1), jalali(1405, 7, 30)))
        );
        assert_eq!(
            lines[11].period,
            Some((jalali(1405, 12, 1), jalali(1405, 12, 29)))
        );
        // The months are contiguous, and every line keeps its region.
        for pair in lines.windows(2) {
            let (_, end) = pair[0].period.expect("a period");
            let (start, _) = pair[1].period.expect("a period");
            assert_eq!(end.succ_opt(), Some(start));
        }
        assert!(lines.iter().all(|l| l.region_id == Some(LookupId(7))));
        // 31-day months get more than 30-day ones.
        assert!(lines[0].target_amount > lines[6].target_amount);
    }

    #[test]
    fn quarters_cut_by_the_plan_are_parts_in_proportion_to_their_days() {
        // 15 Ordibehesht to 10 Aban: 48 days of the first quarter, the whole second (93), and
        // 40 days of the third.
        let cut = plan(jalali(1405, 2, 15), jalali(1405, 8, 10));
        let kept = LineFields {
            region_id: Some(LookupId(8)),
            target_amount: 5,
            period: Some((jalali(1405, 3, 1), jalali(1405, 3, 31))),
            ..LineFields::default()
        };
        let lines = split(
            &cut,
            &[whole(181_000, None), kept],
            Split::Quarter,
            Calendar::Jalali,
        );
        let periods: Vec<_> = lines.iter().map(|l| l.period).collect();
        assert_eq!(
            periods,
            [
                Some((jalali(1405, 2, 15), jalali(1405, 3, 31))),
                Some((jalali(1405, 4, 1), jalali(1405, 6, 31))),
                Some((jalali(1405, 7, 1), jalali(1405, 8, 10))),
                kept.period,
            ]
        );
        assert_eq!(amounts(&lines), [48_000, 93_000, 40_000, 5]);
        assert!(lines[..3].iter().all(|l| l.target_quantity.is_none()));
        // Rounding leaves nothing out and adds nothing.
        let lines = split(
            &cut,
            &[whole(100, Some(2))],
            Split::Quarter,
            Calendar::Jalali,
        );
        assert_eq!(amounts(&lines).iter().sum::<i64>(), 100);
        let quantities: Vec<Option<i64>> = lines.iter().map(|l| l.target_quantity).collect();
        assert_eq!(quantities, [Some(1), Some(1), Some(0)]);
    }

    #[test]
    fn gregorian_months_and_quarters() {
        let cut = plan(day(2026, 1, 15), day(2026, 3, 31));
        let lines = split(
            &cut,
            &[whole(1_000, None)],
            Split::Month,
            Calendar::Gregorian,
        );
        let periods: Vec<_> = lines.iter().filter_map(|l| l.period).collect();
        assert_eq!(
            periods,
            [
                (day(2026, 1, 15), day(2026, 1, 31)),
                (day(2026, 2, 1), day(2026, 2, 28)),
                (day(2026, 3, 1), day(2026, 3, 31)),
            ]
        );
        // 17, 28 and 31 of 76 days: 223.7, 368.4 and 407.9, rounded to add up.
        assert_eq!(amounts(&lines), [224, 368, 408]);
        let year = plan(day(2026, 1, 1), day(2026, 12, 31));
        let quarters = parts(
            (year.starts_on, year.ends_on),
            Split::Quarter,
            Calendar::Gregorian,
        );
        assert_eq!(quarters.len(), 4);
        assert_eq!(quarters[1], (day(2026, 4, 1), day(2026, 6, 30)));
        // A plan within one month is one part.
        let lines = split(
            &plan(day(2026, 2, 3), day(2026, 2, 9)),
            &[whole(7, None)],
            Split::Month,
            Calendar::Gregorian,
        );
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].period, Some((day(2026, 2, 3), day(2026, 2, 9))));
    }
}
