//! Every read and write of the data, one module per aggregate. A write takes the acting user,
//! runs in one transaction, bumps the row's `version` (a stale version is a conflict, never a
//! silent overwrite) and records an `audit_log` row.

pub mod audit;
pub mod bulk;
pub mod cases;
pub mod categories;
pub mod complaints;
pub mod contacts;
pub mod followups;
pub mod inbox;
pub mod lookups;
pub mod names;
pub mod numbers;
pub mod org_units;
pub mod planned;
pub mod plans;
pub mod sales;
pub mod sla;
pub mod statuses;
pub mod users;
pub mod versioned;

use chrono::{NaiveDateTime, Utc};

/// Inserts one row into `$table` and returns its new id, as the type the caller binds it to
/// (`let id: CaseId = insert_one!(db, cases, &row)?;`).
macro_rules! insert_one {
    ($db:expr, $table:ident, $row:expr) => {
        $crate::on_backend!($db, |c| diesel::insert_into(
            $crate::db::schema::$table::table
        )
        .values($row)
        .returning($crate::db::schema::$table::id)
        .get_result(c))
    };
}
pub(crate) use insert_one;

pub use users::{Actor, Role};

use crate::db::Db;
use crate::error::Result;

/// Runs `work` as one write transaction (a savepoint when one is already open). On SQLite it
/// starts with `BEGIN IMMEDIATE`, taking the write lock before its first read: a writer that
/// finds another one busy waits for it (the connection's busy timeout) instead of failing
/// half-way when its read snapshot turns stale. PostgreSQL takes row locks as it goes.
pub fn write<T>(db: &mut Db, work: impl FnOnce(&mut Db) -> Result<T>) -> Result<T> {
    use diesel::Connection;
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let Db::Sqlite(conn) = db else {
        return db.transaction(work);
    };
    let outermost = AnsiTransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()?
        .is_none();
    if !outermost {
        return db.transaction(work);
    }
    AnsiTransactionManager::begin_transaction_sql(conn, "BEGIN IMMEDIATE")?;
    match work(db) {
        Ok(value) => {
            <Db as Connection>::TransactionManager::commit_transaction(db)?;
            Ok(value)
        }
        Err(error) => match <Db as Connection>::TransactionManager::rollback_transaction(db) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
            Err(rollback) => Err(rollback.into()),
        },
    }
}

/// Adds what every store starts with and is missing (idempotent): the default lists, case
/// statuses, service levels and working week, and the due times of complaints recorded before
/// service levels.
pub fn ensure_defaults(db: &mut Db) -> Result<()> {
    lookups::ensure_defaults(db)?;
    sla::ensure_defaults(db)?;
    complaints::fill_due_times(db).map(|_| ())
}

/// Now, in UTC, to the second: what every timestamp column stores.
pub fn now() -> NaiveDateTime {
    let now = Utc::now().naive_utc();
    now.with_nanosecond_zero()
}

trait SecondsOnly {
    fn with_nanosecond_zero(self) -> Self;
}

impl SecondsOnly for NaiveDateTime {
    fn with_nanosecond_zero(self) -> Self {
        chrono::Timelike::with_nanosecond(&self, 0).unwrap_or(self)
    }
}
