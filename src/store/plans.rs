//! Sales plans: the list a window at a time, the latest period first, and a plan's target
//! against the sales made in its market and period.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use std::collections::HashMap;

use serde::Serialize;

use super::audit::{self, AuditAction};
use super::bulk::{self, BulkRow};
use super::lookups::{self, List};
use super::versioned::{self, Stored};
use super::{Actor, Role, users};
use crate::db::Db;
use crate::db::ids::{LookupId, SalesPlanId, UserId};
use crate::db::schema::{plan_lines, sales, sales_plans};
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

/// A plan's whole target against what was sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlanProgress {
    /// The sum of the plan's lines.
    pub target: i64,
    /// The sales in the plan's market with a sale date within its period (both ends included).
    pub actual: i64,
}

/// A sum of a `BIGINT` column as a `BIGINT` on both backends (PostgreSQL sums to `NUMERIC`),
/// zero over no rows.
fn total(column: &str) -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>(&format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT)"))
}

/// `plan`'s target and the sales made against it.
pub fn progress(db: &mut Db, plan: &PlanRow) -> Result<PlanProgress> {
    let target: i64 = plan_lines::table
        .filter(plan_lines::plan_id.eq(plan.id))
        .select(total("plan_lines.target_amount"))
        .get_result(db)?;
    let actual: i64 = sales::table
        .filter(sales::market.eq(&plan.market))
        .filter(sales::sold_on.between(plan.starts_on, plan.ends_on))
        .select(total("sales.amount"))
        .get_result(db)?;
    Ok(PlanProgress { target, actual })
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

/// The plan with `id`.
pub fn get(db: &mut Db, id: SalesPlanId) -> Result<SalesPlan> {
    <SalesPlan as Stored>::get(db, id)
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
fn lineages(db: &mut Db, list: List) -> Result<HashMap<LookupId, Vec<LookupId>>> {
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

/// Everything wrong with `fields` and `lines`, every line named by its place (1 for the first).
fn plan_errors(db: &mut Db, fields: &PlanFields, lines: &[LineFields]) -> Result<Vec<FieldError>> {
    let mut errors = Vec::new();
    if fields.name.trim().is_empty() {
        errors.push(FieldError::new("field.plan-name", t!("invalid.required")));
    }
    if fields.ends_on < fields.starts_on {
        errors.push(FieldError::new(
            "field.ends-on",
            t!("invalid.ends-before-start"),
        ));
    }
    if lines.is_empty() {
        errors.push(FieldError::new(
            "field.plan-lines",
            t!("invalid.plan-without-lines"),
        ));
    }
    let groups = lineages(db, List::ProductGroup)?;
    let regions = lineages(db, List::Region)?;
    let none: HashMap<UserId, Vec<UserId>> = HashMap::new();
    let whole = (fields.starts_on, fields.ends_on);
    for (i, line) in lines.iter().enumerate() {
        let mut refuse = |reason: String| {
            errors.push(FieldError::new(
                "field.plan-lines",
                t!("invalid.plan-line", line = i + 1, reason = reason),
            ));
        };
        if line.target_amount < 0 || line.target_quantity.is_some_and(|q| q < 0) {
            refuse(t!("invalid.negative"));
        }
        if let Some(id) = line.product_group_id
            && !groups.contains_key(&id)
        {
            refuse(t!("invalid.no-such", id = id));
        }
        if let Some(id) = line.region_id
            && !regions.contains_key(&id)
        {
            refuse(t!("invalid.no-such", id = id));
        }
        if let Some(id) = line.expert_id
            && users::get(db, id).is_err()
        {
            refuse(t!("invalid.no-such", id = id));
        }
        if let Some((from, to)) = line.period
            && (to < from || from < whole.0 || to > whole.1)
        {
            refuse(t!("invalid.plan-line-period"));
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
            errors.push(FieldError::new(
                "field.plan-lines",
                t!(
                    "invalid.plan-lines-overlap",
                    line = i + 1,
                    other = earlier + 1
                ),
            ));
        }
    }
    Ok(errors)
}

/// What the audit log records of a plan: the plan and its lines.
#[derive(Serialize)]
struct PlanRecord<'a> {
    plan: &'a SalesPlan,
    lines: &'a [LineFields],
}

/// Records a plan with its lines (a manager's work), all or nothing: a period that ends before
/// it starts, a negative target, an unknown group, region or expert, or two lines that would
/// count the same sale (equal, "all", or one inside the other's tree) refuse the whole plan,
/// every problem named.
pub fn create(
    db: &mut Db,
    actor: &Actor,
    fields: PlanFields,
    lines: Vec<LineFields>,
) -> Result<SalesPlan> {
    actor.require(Role::Manager, &t!("forbidden.edit-plans"))?;
    let fields = PlanFields {
        name: text::clean_line(&fields.name),
        notes: text::clean_text(fields.notes.as_deref()),
        ..fields
    };
    super::write(db, |db| {
        let errors = plan_errors(db, &fields, &lines)?;
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
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
