//! Sales: what was actually sold, the plan report's "actual". A sale is recorded when a case is
//! won and removed when the case leaves its won status; a manager also records sales on their own,
//! one at a time ([`create`]) or many at once from an accounting or ERP system ([`create_many`]),
//! each checked against the store first ([`validate`]).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::Db;
use crate::db::ids::{CaseId, ContactId, LookupId, SaleId, UserId};
use crate::db::schema::{contacts, sales};
use crate::domain::text;
use crate::error::{Error, FieldError, Result};
use crate::t;

use super::audit::{self, AuditAction};
use super::bulk::{self, BulkRow};
use super::cases::{self, check_active_user, check_lookup};
use super::contacts::ContactKind;
use super::lookups::List;
use super::plans::Market;
use super::{Actor, Role};

/// The audit log's entity for a sale.
pub const ENTITY: &str = "sale";

/// What a manager gives for a sale recorded on its own (not by winning a case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleFields {
    pub sold_on: NaiveDate,
    /// In the currency's smallest unit; not negative.
    pub amount: i64,
    /// How many were sold; not negative.
    pub quantity: i64,
    /// An active entry of the product group list.
    pub product_group_id: Option<LookupId>,
    /// An active entry of the region list.
    pub region_id: Option<LookupId>,
    /// The sales expert credited with the sale; an active user.
    pub expert_id: UserId,
    /// `None` for the customer's own: B2B for a company, B2C for a person.
    pub market: Option<Market>,
    /// The customer.
    pub contact_id: ContactId,
    /// The case the sale closes, whose customer must be `contact_id`.
    pub case_id: Option<CaseId>,
    pub note: Option<String>,
}

impl Default for SaleFields {
    fn default() -> Self {
        SaleFields {
            sold_on: NaiveDate::default(),
            amount: 0,
            quantity: 1,
            product_group_id: None,
            region_id: None,
            expert_id: UserId::default(),
            market: None,
            contact_id: ContactId::default(),
            case_id: None,
            note: None,
        }
    }
}

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

// ---------------------------------------------------------------------------------------------
// Recording sales on their own

/// The catalog keys of a sale's fields, as its validation errors name them.
pub mod field {
    pub const SOLD_ON: &str = "field.sale-sold-on";
    pub const AMOUNT: &str = "field.sale-amount";
    pub const QUANTITY: &str = "field.sale-quantity";
    pub const PRODUCT_GROUP: &str = "field.product-group";
    pub const REGION: &str = "field.region";
    pub const EXPERT: &str = "field.expert";
    pub const MARKET: &str = "field.sale-market";
    pub const CUSTOMER: &str = "field.customer";
    pub const CASE: &str = "field.case";
    pub const NOTE: &str = "field.notes";
}

/// The market a customer of `kind` buys in: a company B2B, a person B2C.
fn market_of(kind: ContactKind) -> Market {
    match kind {
        ContactKind::Company => Market::B2b,
        ContactKind::Person => Market::B2c,
    }
}

/// Everything wrong with `fields` against the store, and the market the sale is in.
fn check(db: &mut Db, fields: &SaleFields) -> Result<(Vec<FieldError>, Market)> {
    let mut errors = Vec::new();
    for (value, name) in [
        (fields.amount, field::AMOUNT),
        (fields.quantity, field::QUANTITY),
    ] {
        if value < 0 {
            errors.push(FieldError::new(name, t!("invalid.negative")));
        }
    }
    for (list, value, name) in [
        (
            List::ProductGroup,
            fields.product_group_id,
            field::PRODUCT_GROUP,
        ),
        (List::Region, fields.region_id, field::REGION),
    ] {
        if let Some(id) = value {
            check_lookup(db, list, id, None, name, &mut errors)?;
        }
    }
    check_active_user(db, fields.expert_id, field::EXPERT, &mut errors)?;
    let customer: Option<(String, String)> = contacts::table
        .find(fields.contact_id)
        .select((contacts::kind, contacts::display_name))
        .first(db)
        .optional()?;
    let market = match customer {
        None => {
            errors.push(FieldError::new(
                field::CUSTOMER,
                t!("invalid.no-such", id = fields.contact_id),
            ));
            fields.market.unwrap_or_default()
        }
        Some((kind, name)) => {
            let own = market_of(ContactKind::parse(&kind).unwrap_or_default());
            if fields.market.is_some_and(|given| given != own) {
                errors.push(FieldError::new(
                    field::MARKET,
                    t!("invalid.sale-market", name = name, market = own.as_str()),
                ));
            }
            own
        }
    };
    if let Some(id) = fields.case_id {
        match cases::get(db, id) {
            Ok(case) => {
                if case.company_id.or(case.contact_id) != Some(fields.contact_id) {
                    errors.push(FieldError::new(
                        field::CASE,
                        t!("invalid.sale-case-customer", number = case.number),
                    ));
                }
            }
            Err(Error::NotFound { .. }) => {
                errors.push(FieldError::new(field::CASE, t!("invalid.no-such", id = id)));
            }
            Err(e) => return Err(e),
        }
    }
    Ok((errors, market))
}

/// Everything wrong with `fields` against the store, every field named; empty when the sale can
/// be recorded. Writes nothing: an import's dry run checks its rows with it.
pub fn validate(db: &mut Db, fields: &SaleFields) -> Result<Vec<FieldError>> {
    Ok(check(db, fields)?.0)
}

/// The row to insert for `fields` (cleaned and checked), or `Error::Invalid` with every problem.
fn prepare(db: &mut Db, actor: &Actor, fields: SaleFields, now: NaiveDateTime) -> Result<NewSale> {
    let (errors, market) = check(db, &fields)?;
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    Ok(NewSale {
        case_id: fields.case_id,
        contact_id: fields.contact_id,
        market: market.as_str().to_string(),
        product_group_id: fields.product_group_id,
        region_id: fields.region_id,
        expert_id: fields.expert_id,
        amount: fields.amount,
        sold_on: fields.sold_on,
        note: text::clean_text(fields.note.as_deref()),
        created_by: actor.id,
        updated_by: actor.id,
        created_at: now,
        updated_at: now,
        quantity: fields.quantity,
    })
}

/// Records a sale on its own (a manager's work) and returns it, audited. A negative amount or
/// quantity, an unknown or inactive product group, region or expert, an unknown customer, a
/// market other than the customer's (B2B for a company, B2C for a person), and a case that is not
/// on file or is another customer's are refused together as `Error::Invalid`.
pub fn create(db: &mut Db, actor: &Actor, fields: SaleFields) -> Result<Sale> {
    actor.require(Role::Manager, &t!("forbidden.record-sales"))?;
    super::write(db, |db| {
        let row = prepare(db, actor, fields, super::now())?;
        record(db, actor, &row)
    })
}

/// Records many sales at once (a manager's work), all or nothing, through the batch loader, each
/// sale audited; returns how many were recorded. Any bad sale refuses them all with
/// `Error::Invalid`, every problem named with the sale's place in `sales` (1 for the first).
pub fn create_many(db: &mut Db, actor: &Actor, sales: Vec<SaleFields>) -> Result<usize> {
    actor.require(Role::Manager, &t!("forbidden.record-sales"))?;
    super::write(db, |db| {
        let now = super::now();
        let mut rows = Vec::with_capacity(sales.len());
        let mut errors = Vec::new();
        for (place, fields) in (1u64..).zip(sales) {
            match prepare(db, actor, fields, now) {
                Ok(row) => rows.push(row),
                Err(Error::Invalid(found)) => {
                    errors.extend(found.into_iter().map(|e| {
                        FieldError::new(
                            e.field,
                            t!("invalid.sale-row", row = place, reason = e.reason),
                        )
                    }));
                }
                Err(e) => return Err(e),
            }
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let ids = bulk::sales(db, &rows)?;
        for &id in &ids {
            super::versioned::created::<Sale>(db, actor, id)?;
        }
        Ok(ids.len())
    })
}
