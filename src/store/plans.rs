//! Sales plans: the list a window at a time, the latest period first, and a plan's target
//! against the sales made in its market and period.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::bulk::BulkRow;
use crate::db::Db;
use crate::db::ids::{LookupId, SalesPlanId, UserId};
use crate::db::schema::{plan_lines, sales, sales_plans};
use crate::error::Result;

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
}

impl BulkRow for NewPlanLine {
    const COLUMNS: usize = 7;
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
