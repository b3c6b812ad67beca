//! The audit log: who changed which entity, when, and its values before and after.

use diesel::prelude::*;
use serde::Serialize;

use crate::db::Db;
use crate::db::ids::{AuditId, UserId};
use crate::db::schema::audit_log;
use crate::error::Result;

use super::Actor;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    Create,
    Update,
    Archive,
    Delete,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Archive => "archive",
            AuditAction::Delete => "delete",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: AuditId,
    pub at: chrono::NaiveDateTime,
    pub user_id: Option<UserId>,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub old_values: Option<String>,
    pub new_values: Option<String>,
}

/// Records one change of the row `entity_id` (any table's typed id). Call it inside the
/// transaction that makes the change.
pub fn record<T: Serialize>(
    db: &mut Db,
    actor: &Actor,
    entity: &str,
    entity_id: impl Into<i64>,
    action: AuditAction,
    old: Option<&T>,
    new: Option<&T>,
) -> Result<()> {
    let to_json = |v: Option<&T>| v.and_then(|v| serde_json::to_string(v).ok());
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(super::now()),
            audit_log::user_id.eq(Some(actor.id)),
            audit_log::entity.eq(entity),
            audit_log::entity_id.eq(entity_id.into()),
            audit_log::action.eq(action.as_str()),
            audit_log::old_values.eq(to_json(old)),
            audit_log::new_values.eq(to_json(new)),
        ))
        .execute(db)?;
    Ok(())
}

/// The audit trail of one entity, oldest first.
pub fn history(db: &mut Db, entity: &str, entity_id: impl Into<i64>) -> Result<Vec<AuditEntry>> {
    let entity_id: i64 = entity_id.into();
    Ok(audit_log::table
        .filter(
            audit_log::entity
                .eq(entity)
                .and(audit_log::entity_id.eq(entity_id)),
        )
        .order(audit_log::id.asc())
        .select(AuditEntry::as_select())
        .load(db)?)
}
