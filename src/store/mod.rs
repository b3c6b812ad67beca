//! Every read and write of the data, one module per aggregate. A write takes the acting user,
//! runs in one transaction, bumps the row's `version` (a stale version is a conflict, never a
//! silent overwrite) and records an `audit_log` row.

pub mod audit;
pub mod bulk;
pub mod cases;
pub mod categories;
pub mod changes;
pub mod complaints;
pub mod contacts;
pub mod followups;
pub mod inbox;
pub mod keyset;
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

/// Runs `work` as one write transaction (a savepoint when one is already open).
///
/// On SQLite it starts with `BEGIN IMMEDIATE`, taking the write lock before its first read: a
/// writer that finds another one busy waits for it (the connection's busy timeout) instead of
/// failing half-way when its read snapshot turns stale. Once the lock is held nothing in `work`
/// waits for another writer (in WAL mode readers hold no writer up, nor does a commit), so the
/// lock is the only place a writer can find the store busy. A writer that holds the lock past
/// the busy timeout (a long import) is waited for again, up to `SQLITE_WRITE_ATTEMPTS` times,
/// before the user is told the store stayed busy.
///
/// PostgreSQL takes row locks as it goes and waits for them without a timeout: nothing there is
/// retried. It runs at READ COMMITTED, where no transaction is failed for serialization; a
/// deadlock needs two writers taking the same two rows in opposite orders, and then PostgreSQL
/// fails one of them with its own message.
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
    begin_immediate(conn)?;
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

/// How many times a SQLite writer asks for the write lock, each time waiting up to the busy
/// timeout, before it reports the store busy: about half a minute in all.
const SQLITE_WRITE_ATTEMPTS: u32 = 6;

/// Starts a SQLite write transaction, asking again (after a pause that doubles each time, from
/// 100 ms, with a little jitter so that waiting writers do not ask in step) while another
/// writer holds the lock past the busy timeout. A `BEGIN IMMEDIATE` refused as busy leaves no
/// transaction open.
fn begin_immediate(conn: &mut diesel::SqliteConnection) -> Result<()> {
    use diesel::connection::AnsiTransactionManager;
    let started = std::time::Instant::now();
    let mut attempt = 1;
    loop {
        match AnsiTransactionManager::begin_transaction_sql(conn, "BEGIN IMMEDIATE") {
            Err(e) if crate::db::is_busy(&e) && attempt < SQLITE_WRITE_ATTEMPTS => {
                let jitter = u64::from(std::process::id().wrapping_mul(7919) % 50);
                let pause = (100 << (attempt - 1).min(4)) + jitter;
                std::thread::sleep(std::time::Duration::from_millis(pause));
                attempt += 1;
            }
            Err(e) if crate::db::is_busy(&e) => {
                let seconds = crate::domain::locale::number(started.elapsed().as_secs());
                return Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::Unknown,
                    Box::new(crate::t!("error.store-busy", seconds = seconds)),
                )
                .into());
            }
            begun => return Ok(begun?),
        }
    }
}

/// Adds what every store starts with and is missing (idempotent): the default lists, case
/// statuses, service levels and working week, and the due times of complaints recorded before
/// service levels.
pub fn ensure_defaults(db: &mut Db) -> Result<()> {
    write(db, |db| {
        // Sessions starting at once on a new store would each find the defaults missing.
        one_at_a_time(db, Lock::Defaults)?;
        lookups::ensure_defaults(db)?;
        sla::ensure_defaults(db)?;
        complaints::fill_due_times(db).map(|_| ())
    })
}

/// What [`one_at_a_time`] serialises.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Lock {
    /// Adding the default lists, statuses and service levels a store is missing.
    Defaults = 1,
    /// Registering a store's first user as its admin.
    FirstAdmin = 2,
}

/// Within a write transaction, waits until no other session holds `lock`, and holds it to the
/// end of the transaction. On PostgreSQL that is `pg_advisory_xact_lock` (released at commit or
/// rollback, so it also works behind a pooler in transaction mode); on SQLite nothing is needed:
/// [`write`] already holds the store's one write lock.
pub(crate) fn one_at_a_time(db: &mut Db, lock: Lock) -> Result<()> {
    use diesel::RunQueryDsl;
    if let Db::Pg(conn) = db {
        // An arbitrary key of Peygir's own (`PGIR`), then the lock's number.
        let key: i64 = (0x5047_4952_i64 << 16) | lock as i64;
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(key)
            .execute(conn)?;
    }
    Ok(())
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
