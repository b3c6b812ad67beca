//! The store's connection: one `Db` over SQLite and PostgreSQL, chosen from the URL, with the
//! embedded migrations of each backend. Backend-specific code lives here and in `on_backend!`.

pub mod ids;
pub mod schema;

use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::{Error, Result};
use crate::t;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// How long a SQLite writer waits for another writer before giving up.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

#[derive(diesel::MultiConnection)]
pub enum Db {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

/// Runs the same code on whichever concrete connection a `Db` holds, for the few things
/// `MultiConnection` cannot do (RETURNING, batch inserts).
#[macro_export]
macro_rules! on_backend {
    ($db:expr, |$conn:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($conn) => $body,
            $crate::db::Db::Pg($conn) => $body,
        }
    };
}

/// Where the data lives, as the user named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl StoreUrl {
    /// `postgres://…` or `postgresql://…` is PostgreSQL; `sqlite://PATH` or a plain path is SQLite.
    pub fn parse(url: &str) -> StoreUrl {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            StoreUrl::Postgres(url.to_string())
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            StoreUrl::Sqlite(PathBuf::from(path))
        } else {
            StoreUrl::Sqlite(PathBuf::from(url))
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            StoreUrl::Sqlite(_) => "SQLite",
            StoreUrl::Postgres(_) => "PostgreSQL",
        }
    }
}

/// The store named for people: a path, or a URL with any password hidden.
impl std::fmt::Display for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreUrl::Sqlite(path) => write!(f, "{}", path.display()),
            StoreUrl::Postgres(url) => write!(f, "{}", redact_password(url)),
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`, and `password=…` in the
/// query string likewise.
pub fn redact_password(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest_start = scheme_end + 3;
        // The last '@' ends the user info: a password may hold '/', '?' or '@' unencoded.
        if let Some(at) = out[rest_start..].rfind('@') {
            let userinfo = &out[rest_start..rest_start + at];
            if let Some(colon) = userinfo.find(':') {
                out.replace_range(rest_start + colon + 1..rest_start + at, "***");
            }
        }
    }
    if let Some(pos) = out.find("password=") {
        let start = pos + "password=".len();
        let end = out[start..].find('&').map_or(out.len(), |i| start + i);
        out.replace_range(start..end, "***");
    }
    out
}

/// The password of a `scheme://user:password@host…` URL, as typed: up to the last '@'.
fn password(url: &str) -> Option<&str> {
    let rest = &url[url.find("://")? + 3..];
    let userinfo = &rest[..rest.rfind('@')?];
    Some(&userinfo[userinfo.find(':')? + 1..])
}

fn open_error(url: &StoreUrl, reason: impl ToString) -> Error {
    Error::Open {
        store: url.to_string(),
        reason: reason.to_string(),
    }
}

/// Opens the store without touching its schema. A SQLite file is created only in a folder that
/// exists; a file that is not a database, or that a newer Peygir wrote, is refused.
pub fn connect(url: &StoreUrl) -> Result<Db> {
    let mut db = match url {
        StoreUrl::Sqlite(path) => Db::Sqlite(open_sqlite(url, path)?),
        StoreUrl::Postgres(conn_str) => {
            // libpq would read such a password as host or port and quote it in its message.
            if password(conn_str).is_some_and(|p| p.contains(['/', '?', '#', '@'])) {
                return Err(open_error(url, t!("error.url-encode")));
            }
            Db::Pg(
                PgConnection::establish(conn_str)
                    .map_err(|e| open_error(url, first_line(&e.to_string())))?,
            )
        }
    };
    check_not_newer(&mut db, url)?;
    Ok(db)
}

/// Opens the store and applies any pending migrations: what the app and most commands want.
pub fn open(url: &StoreUrl) -> Result<Db> {
    let mut db = connect(url)?;
    migrate(&mut db, url)?;
    Ok(db)
}

fn open_sqlite(url: &StoreUrl, path: &Path) -> Result<SqliteConnection> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(open_error(
            url,
            t!("error.no-folder", folder = folder.display()),
        ));
    }
    if path.exists()
        && std::fs::metadata(path)
            .map(|m| m.permissions().readonly())
            .unwrap_or(false)
    {
        return Err(open_error(url, t!("error.read-only")));
    }
    let path_str = path
        .to_str()
        .ok_or_else(|| open_error(url, "the path is not valid UTF-8"))?;
    let mut conn = SqliteConnection::establish(path_str)
        .map_err(|e| open_error(url, first_line(&e.to_string())))?;
    conn.batch_execute(&format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};"))
        .map_err(|e| sqlite_open_error(url, &e))?;
    refuse_foreign_sqlite(url, &mut conn)?;
    conn.batch_execute(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
    )
    .map_err(|e| sqlite_open_error(url, &e))?;
    Ok(conn)
}

/// A SQLite database with tables but no migrations table is another program's: refuse it before
/// anything is written to it.
fn refuse_foreign_sqlite(url: &StoreUrl, conn: &mut SqliteConnection) -> Result<()> {
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .load(conn)
    .map_err(|e| sqlite_open_error(url, &e))?;
    if tables.is_empty()
        || tables
            .iter()
            .any(|t| t.name == "__diesel_schema_migrations")
    {
        return Ok(());
    }
    let names: Vec<&str> = tables.iter().take(5).map(|t| t.name.as_str()).collect();
    Err(open_error(
        url,
        t!(
            "error.not-a-database",
            detail = format!("it holds other tables ({})", names.join(", "))
        ),
    ))
}

fn sqlite_open_error(url: &StoreUrl, e: &diesel::result::Error) -> Error {
    let detail = first_line(&e.to_string());
    if detail.contains("not a database") || detail.contains("malformed") {
        open_error(url, t!("error.not-a-database", detail = detail))
    } else if detail.contains("readonly") || detail.contains("read-only") {
        open_error(url, t!("error.read-only"))
    } else {
        open_error(url, detail)
    }
}

fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_string()
}

/// The versions this build of Peygir knows, oldest first.
pub fn known_versions(db: &Db) -> Vec<String> {
    use diesel::migration::MigrationSource;
    fn versions<B: diesel::backend::Backend>(source: &EmbeddedMigrations) -> Vec<String>
    where
        EmbeddedMigrations: MigrationSource<B>,
    {
        let migrations = MigrationSource::<B>::migrations(source).unwrap_or_default();
        migrations
            .iter()
            .map(|m| m.name().version().to_string())
            .collect()
    }
    match db {
        Db::Sqlite(_) => versions::<diesel::sqlite::Sqlite>(&SQLITE_MIGRATIONS),
        Db::Pg(_) => versions::<diesel::pg::Pg>(&POSTGRES_MIGRATIONS),
    }
}

/// The versions applied to the store, oldest first (none on a new store).
pub fn applied_versions(db: &mut Db) -> std::result::Result<Vec<String>, String> {
    let applied = on_backend!(db, |c| c.applied_migrations());
    let mut versions: Vec<String> = applied
        .map_err(|e| first_line(&e.to_string()))?
        .iter()
        .map(|v| v.to_string())
        .collect();
    versions.sort();
    Ok(versions)
}

fn check_not_newer(db: &mut Db, url: &StoreUrl) -> Result<()> {
    let applied = applied_versions(db).map_err(|detail| {
        if detail.contains("not a database") || detail.contains("malformed") {
            open_error(url, t!("error.not-a-database", detail = detail))
        } else {
            open_error(url, detail)
        }
    })?;
    let known = known_versions(db);
    let unknown: Vec<&String> = applied.iter().filter(|v| !known.contains(v)).collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        let versions = unknown
            .iter()
            .map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        Err(open_error(
            url,
            t!("error.newer-store", versions = versions),
        ))
    }
}

/// Applies pending migrations; returns how many ran.
pub fn migrate(db: &mut Db, url: &StoreUrl) -> Result<usize> {
    let ran = match db {
        Db::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        Db::Pg(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
    };
    ran.map_err(|e| Error::Migration {
        store: url.to_string(),
        reason: first_line(&e.to_string()),
    })
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The sum of a `BIGINT` expression as a `BIGINT` on both backends (PostgreSQL sums a `BIGINT`
/// to `NUMERIC`), zero over no rows; for a grouped query's `select`. `expression` is ours, never
/// typed by a user.
pub fn sum(expression: &str) -> diesel::expression::SqlLiteral<diesel::sql_types::BigInt> {
    diesel::dsl::sql(&format!("CAST(COALESCE(SUM({expression}), 0) AS BIGINT)"))
}

/// The number of rows in a table of ours (a name from `schema::TABLES`).
pub fn row_count(db: &mut Db, table: &str) -> Result<i64> {
    debug_assert!(schema::TABLES.contains(&table));
    let count: Count =
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).get_result(db)?;
    Ok(count.n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend() {
        assert_eq!(
            StoreUrl::parse("postgres://h/db"),
            StoreUrl::Postgres("postgres://h/db".into())
        );
        assert_eq!(
            StoreUrl::parse("postgresql://h/db"),
            StoreUrl::Postgres("postgresql://h/db".into())
        );
        assert_eq!(
            StoreUrl::parse("sqlite:///tmp/a.db"),
            StoreUrl::Sqlite("/tmp/a.db".into())
        );
        assert_eq!(StoreUrl::parse("crm.db"), StoreUrl::Sqlite("crm.db".into()));
    }

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            redact_password("postgres://sara:s3cr@t@db.local:5432/crm"),
            "postgres://sara:***@db.local:5432/crm"
        );
        assert_eq!(
            redact_password("postgres://sara@db.local/crm"),
            "postgres://sara@db.local/crm"
        );
        assert_eq!(
            redact_password("postgres://db/crm?user=a&password=x1&sslmode=off"),
            "postgres://db/crm?user=a&password=***&sslmode=off"
        );
    }
}
