//! Sales: what was actually sold, the plan report's "actual". A sale is recorded when a case is
//! won and removed when the case leaves its won status; sales may also be loaded on their own.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::Db;
use crate::db::ids::{CaseId, ContactId, LookupId, SaleId, UserId};
use crate::db::schema::sales;
use crate::error::Result;

use super::Actor;
use super::audit::{self, AuditAction};
use super::bulk::BulkRow;

/// The audit log's entity for a sale.
pub const ENTITY: &str = "sale";

/// A sale recorded when a case was won, for the plan report.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = crate::db::schema::sales)]
pub struct Sale {
    pub id: SaleId,
    pub case_id: Option<CaseId>,
    pub contact_id: ContactId,
    /// `b2b` when the case has a company, else `b2c`.
    pub market: String,
    pub product_group_id: Option<LookupId>,
    pub region_id: Option<LookupId>,
    pub expert_id: UserId,
    pub amount: i64,
    pub sold_on: NaiveDate,
    pub note: Option<String>,
    pub version: i64,
    /// How many were sold (1 for a won case).
    pub quantity: i64,
}

/// An actual sale, from a won case or on its own.
#[derive(Debug, Clone, Default, PartialEq, Insertable)]
#[diesel(table_name = sales, treat_none_as_default_value = false)]
pub struct NewSale {
    pub case_id: Option<CaseId>,
    pub contact_id: ContactId,
    pub market: String,
    pub product_group_id: Option<LookupId>,
    pub region_id: Option<LookupId>,
    pub expert_id: UserId,
    pub amount: i64,
    pub sold_on: NaiveDate,
    pub note: Option<String>,
    pub created_by: UserId,
    pub updated_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub quantity: i64,
}

impl BulkRow for NewSale {
    const COLUMNS: usize = 14;
}

super::versioned::stored!(Sale, SaleId, sales, ENTITY, "entity.sale");

/// Stores a sale in the transaction the caller runs, with its audit row; returns it.
pub(crate) fn record(db: &mut Db, actor: &Actor, row: &NewSale) -> Result<Sale> {
    let id: SaleId = super::insert_one!(db, sales, row)?;
    let sale: Sale = super::versioned::created(db, actor, id)?;
    Ok(sale)
}

/// Removes the sales recorded for a case, in the transaction the caller runs, each with its
/// audit row.
pub(crate) fn remove_of_case(db: &mut Db, actor: &Actor, case_id: CaseId) -> Result<()> {
    for sale in of_case(db, case_id)? {
        diesel::delete(sales::table.find(sale.id)).execute(db)?;
        audit::record(
            db,
            actor,
            ENTITY,
            sale.id,
            AuditAction::Delete,
            Some(&sale),
            None,
        )?;
    }
    Ok(())
}

/// The sales recorded for a case (one while it is won).
pub fn of_case(db: &mut Db, case_id: CaseId) -> Result<Vec<Sale>> {
    Ok(sales::table
        .filter(sales::case_id.eq(case_id))
        .order(sales::id.asc())
        .select(Sale::as_select())
        .load(db)?)
}
