//! Whether someone else changed the store: a token that moves when another session commits a
//! change, cheap enough to read every second on an idle screen. On SQLite it is `PRAGMA
//! data_version` (which moves only for commits made through other connections to the file); on
//! PostgreSQL the newest audit row's id (every change the store makes writes one), read from
//! the primary key's index. It needs no session state, so it also works behind a pooler such as
//! PgBouncer in transaction mode, where `LISTEN` does not.

use diesel::dsl::max;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::db::Db;
use crate::db::schema::audit_log;
use crate::error::Result;

#[derive(QueryableByName)]
struct DataVersion {
    #[diesel(sql_type = BigInt)]
    data_version: i64,
}

/// The store's change token as this session sees it: a different value than last time means
/// that someone else changed something since.
pub fn token(db: &mut Db) -> Result<i64> {
    Ok(match db {
        Db::Sqlite(conn) => {
            diesel::sql_query("PRAGMA data_version")
                .get_result::<DataVersion>(conn)?
                .data_version
        }
        Db::Pg(conn) => audit_log::table
            .select(max(audit_log::id))
            .first::<Option<i64>>(conn)?
            .unwrap_or(0),
    })
}
