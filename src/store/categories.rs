//! The category tree contacts are filed under.

use diesel::prelude::*;

use crate::db::Db;
use crate::error::{Error, Result};
use crate::store::bulk::{self, NewCategory};

/// The id of the category `name` under `parent`, added if there is none.
pub fn find_or_add(db: &mut Db, parent: Option<i64>, name: &str, position: i32) -> Result<i64> {
    use crate::db::schema::categories;
    let mut query = categories::table
        .filter(categories::name.eq(name))
        .select(categories::id)
        .order(categories::id.asc())
        .into_boxed();
    query = match parent {
        Some(parent) => query.filter(categories::parent_id.eq(parent)),
        None => query.filter(categories::parent_id.is_null()),
    };
    if let Some(id) = query.first::<i64>(db).optional()? {
        return Ok(id);
    }
    let at = crate::store::now();
    let ids = bulk::categories(
        db,
        &[NewCategory {
            parent_id: parent,
            name: name.to_string(),
            position,
            created_at: at,
            updated_at: at,
        }],
    )?;
    ids.first()
        .copied()
        .ok_or(Error::Database(diesel::result::Error::NotFound))
}
