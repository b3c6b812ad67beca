//! Numbering scopes (`case:1405`, `complaint:1405`): the last number taken in each, kept in
//! `number_sequences` so numbers are never reused.

use diesel::prelude::*;

use crate::db::Db;
use crate::db::schema::number_sequences;
use crate::error::Result;

/// Sets a numbering scope's last value, never lowering it.
pub fn raise_to(db: &mut Db, scope: &str, last: i64) -> Result<()> {
    let current: Option<i64> = number_sequences::table
        .find(scope)
        .select(number_sequences::last_value)
        .first(db)
        .optional()?;
    match current {
        Some(value) if value >= last => {}
        Some(_) => {
            diesel::update(number_sequences::table.find(scope))
                .set(number_sequences::last_value.eq(last))
                .execute(db)?;
        }
        None => {
            diesel::insert_into(number_sequences::table)
                .values((
                    number_sequences::scope.eq(scope),
                    number_sequences::last_value.eq(last),
                ))
                .execute(db)?;
        }
    }
    Ok(())
}
