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

/// How long a SQLite statement waits for another writer before SQLite reports the store busy;
/// `store::write` asks again a few times past it (see `SQLITE_WRITE_ATTEMPTS` there).
pub const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

/// The permissions of a SQLite store Peygir creates and of a backup it makes (less what the
/// umask takes away): the owner reads and writes, the group reads (a team shares a store
/// through a group), others get nothing. SQLite gives the store's `-wal` and `-shm` files the
/// store's own permissions.
pub const STORE_FILE_MODE: u32 = 0o640;

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
            let mut conn = PgConnection::establish(conn_str)
                .map_err(|e| open_error(url, first_line(&e.to_string())))?;
            // No named prepared statements: each statement is parsed where it runs, so the store
            // also works behind a pooler in transaction mode (PgBouncer), where the next
            // transaction may get another server connection.
            conn.set_prepared_statement_cache_size(diesel::connection::CacheSize::Disabled);
            Db::Pg(conn)
        }
    };
    check_not_newer(&mut db, url)?;
    Ok(db)
}

/// Whether the connection still answers (a trivial statement): after a failure, to tell a server
/// gone away from a statement refused.
pub fn answers(db: &mut Db) -> bool {
    diesel::sql_query("SELECT 1").execute(db).is_ok()
}

/// Opens the store and applies any pending migrations: what the app and most commands want.
pub fn open(url: &StoreUrl) -> Result<Db> {
    let mut db = connect(url)?;
    migrate(&mut db, url)?;
    Ok(db)
}

fn open_sqlite(url: &StoreUrl, path: &Path) -> Result<SqliteConnection> {
    let folder = folder_of(path);
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
        .ok_or_else(|| open_error(url, t!("error.path-not-utf8")))?;
    create_private(path);
    let mut conn = SqliteConnection::establish(path_str)
        .map_err(|e| open_error(url, first_line(&e.to_string())))?;
    // Sessions starting at once on a new file race to make it a WAL store, and one may find the
    // file locked past the busy timeout meanwhile: it waits its turn.
    let mut retry = Retry::new();
    loop {
        match prepare_sqlite(&mut conn) {
            Ok(tables) => {
                refuse_foreign_sqlite(url, &tables)?;
                return Ok(conn);
            }
            Err(e) if is_busy(&e) && retry.again(true) => {}
            Err(e) => return Err(sqlite_open_error(url, &e)),
        }
    }
}

/// Sets the connection's busy timeout, reads the names of the file's tables (for
/// [`refuse_foreign_sqlite`], before anything is written) and makes it a WAL store with foreign
/// keys on.
fn prepare_sqlite(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    conn.batch_execute(&format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};"))?;
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .load(conn)?;
    let tables: Vec<String> = tables.into_iter().map(|t| t.name).collect();
    if !is_foreign(&tables) {
        conn.batch_execute(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
        )?;
    }
    Ok(tables)
}

/// The folder a file named by `path` is in (`.` for a bare name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Creates `path` empty (an empty file is an empty SQLite database) with [`STORE_FILE_MODE`],
/// so that a new store is never readable by others, not even for a moment. An existing file is
/// left as it is; when the file cannot be made here, SQLite's own open reports why.
fn create_private(path: &Path) {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, STORE_FILE_MODE);
    let _ = options.open(path);
}

/// Whether a SQLite file holding `tables` is another program's: it has tables but no
/// migrations table.
fn is_foreign(tables: &[String]) -> bool {
    !tables.is_empty() && !tables.iter().any(|t| t == "__diesel_schema_migrations")
}

/// A SQLite database with tables but no migrations table is another program's: refuse it before
/// anything is written to it.
fn refuse_foreign_sqlite(url: &StoreUrl, tables: &[String]) -> Result<()> {
    if !is_foreign(tables) {
        return Ok(());
    }
    let names: Vec<&str> = tables.iter().take(5).map(String::as_str).collect();
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
    // Reading the applied migrations first makes their table if the store has none; two
    // sessions starting at once on a new PostgreSQL database may race to make it, and the one
    // that loses finds it made when it looks again.
    let mut retry = Retry::new();
    let mut applied = applied_versions(db);
    while let Err(detail) = &applied {
        if !retry.again(is_busy_text(detail)) {
            break;
        }
        applied = applied_versions(db);
    }
    let applied = applied.map_err(|detail| {
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
    // Several sessions may start at once on a store with migrations pending (a new store, or the
    // day a new Peygir is installed): one applies each migration, and one that is refused
    // meanwhile (a table that now exists, a locked file) looks again and finds it done.
    let mut retry = Retry::new();
    loop {
        let ran = match db {
            Db::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
            Db::Pg(c) => c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len()),
        };
        let reason = match ran {
            Ok(count) => return Ok(count),
            Err(e) => first_line(&e.to_string()),
        };
        // A migration that runs its own transaction (one that rebuilds SQLite tables) may have
        // failed inside it: end it, so that the next attempt can begin its own.
        if let Db::Sqlite(c) = db {
            let _ = c.batch_execute("ROLLBACK");
        }
        let pending = match db {
            Db::Sqlite(c) => c.has_pending_migration(SQLITE_MIGRATIONS),
            Db::Pg(c) => c.has_pending_migration(POSTGRES_MIGRATIONS),
        };
        match pending {
            Ok(false) => return Ok(0),
            Ok(true) if retry.again(is_busy_text(&reason)) => {}
            _ => {
                return Err(Error::Migration {
                    store: url.to_string(),
                    reason,
                });
            }
        }
    }
}

/// How a session starting while others start or migrate the same store tries again: a few
/// times whatever the failure (a table another session made meanwhile), and for as long as
/// [`BUSY_PATIENCE`] while SQLite reports the store locked (many sessions taking turns at the
/// write lock on a loaded machine). The pauses grow and are spread a little, so that the
/// sessions do not ask again in step.
struct Retry {
    started: std::time::Instant,
    attempt: u32,
}

/// How many times [`Retry`] tries again after any failure.
const RETRY_ATTEMPTS: u32 = 6;

/// How long [`Retry`] keeps trying while the store is locked.
const BUSY_PATIENCE: std::time::Duration = std::time::Duration::from_secs(60);

impl Retry {
    fn new() -> Retry {
        Retry {
            started: std::time::Instant::now(),
            attempt: 0,
        }
    }

    /// Whether to try again after a failure (`busy` when it was the store locked), having
    /// paused if so.
    fn again(&mut self, busy: bool) -> bool {
        let more =
            self.attempt < RETRY_ATTEMPTS || (busy && self.started.elapsed() < BUSY_PATIENCE);
        if more {
            let spread = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| u64::from(d.subsec_nanos() % 50));
            let pause = (50u64 << self.attempt.min(3)) + spread;
            std::thread::sleep(std::time::Duration::from_millis(pause));
            self.attempt += 1;
        }
        more
    }
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

/// Whether `error` is SQLite's word that the store is busy (`SQLITE_BUSY`, or `SQLITE_LOCKED`):
/// another connection held its lock past the busy timeout. Diesel reports both as an unknown
/// database error carrying SQLite's own text ("database is locked", "database table is
/// locked"), by which they are known.
pub fn is_busy(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(_, info) if is_busy_text(info.message())
    )
}

/// Whether an error's text is SQLite's word that the store is busy (see [`is_busy`]), for the
/// errors that come as text only (the migration harness's).
fn is_busy_text(text: &str) -> bool {
    text.contains("is locked")
}

/// Why [`backup`] made no copy: each names the file and what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// A PostgreSQL store, which `pg_dump` backs up: the command, ready to run.
    #[error("{}", t!("backup.postgres", command = .0))]
    Postgres(String),
    /// The SQLite store named is not there.
    #[error("{}", t!("backup.no-store", store = .0))]
    NoStore(String),
    #[error("{}", t!("backup.no-folder", file = file, folder = folder))]
    NoFolder { file: String, folder: String },
    #[error("{}", t!("backup.is-folder", file = .0))]
    IsFolder(String),
    /// The target is the store itself, or its `-wal`, `-shm` or `-journal` file.
    #[error("{}", t!("backup.is-store", file = .0))]
    IsStore(String),
    /// The target exists and replacing it was not asked for.
    #[error("{}", t!("backup.exists", file = .0))]
    Exists(String),
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] Error),
    /// Copying or writing failed (a full disk, a folder not writable).
    #[error("{}", t!("backup.failed", file = file, reason = reason))]
    Failed { file: String, reason: String },
}

/// Copies the SQLite store `url` to `target` as one consistent snapshot while others go on
/// working (a reader in WAL mode neither waits for writers nor holds them up): `VACUUM INTO` a
/// temporary file beside the target, made with [`STORE_FILE_MODE`] (a file replaced keeps no
/// wider permissions than it had), synced to disk, then renamed over the target, so the target
/// is never a half-written copy. Refuses a target that exists (unless `replace`), that is a
/// folder, that is the store itself or one of its files, or whose folder does not exist; refuses
/// a PostgreSQL store with the `pg_dump` command that backs it up. Returns the copy's size in
/// bytes.
pub fn backup(
    url: &StoreUrl,
    target: &Path,
    replace: bool,
) -> std::result::Result<u64, BackupError> {
    let store = match url {
        StoreUrl::Postgres(conn_str) => {
            return Err(BackupError::Postgres(pg_dump_command(conn_str, target)?));
        }
        StoreUrl::Sqlite(path) => path,
    };
    let file = target.display().to_string();
    if !store.is_file() {
        return Err(BackupError::NoStore(url.to_string()));
    }
    let folder = folder_of(target);
    if !folder.is_dir() {
        let folder = folder.display().to_string();
        return Err(BackupError::NoFolder { file, folder });
    }
    if target.is_dir() {
        return Err(BackupError::IsFolder(file));
    }
    let existing = std::fs::metadata(target).ok();
    if existing.is_some() {
        if is_part_of(store, target) {
            return Err(BackupError::IsStore(file));
        }
        if !replace {
            return Err(BackupError::Exists(file));
        }
    }
    let failed = |reason: &dyn std::fmt::Display| BackupError::Failed {
        file: file.clone(),
        reason: first_line(&reason.to_string()),
    };
    let mut db = connect(url)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".peygir-backup-").suffix(".part");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = existing.as_ref().map_or(STORE_FILE_MODE, |m| {
            m.permissions().mode() & STORE_FILE_MODE
        });
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    // The temporary file goes away again whenever the copy fails.
    let temp = builder.tempfile_in(&folder).map_err(|e| failed(&e))?;
    let temp_path = temp
        .path()
        .to_str()
        .ok_or_else(|| failed(&t!("error.path-not-utf8")))?;
    // SQLite writes into a file that is empty.
    diesel::sql_query("VACUUM INTO ?")
        .bind::<diesel::sql_types::Text, _>(temp_path)
        .execute(&mut db)
        .map_err(|e| failed(&e))?;
    temp.as_file().sync_all().map_err(|e| failed(&e))?;
    let size = temp.as_file().metadata().map_err(|e| failed(&e))?.len();
    let persisted = if replace {
        temp.persist(target)
    } else {
        temp.persist_noclobber(target)
    };
    match persisted {
        Ok(_) => {}
        // Made by someone else since it was looked at above.
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(BackupError::Exists(file));
        }
        Err(e) => return Err(failed(&e.error)),
    }
    // The rename itself reaches the disk with its folder.
    if let Ok(dir) = std::fs::File::open(&folder) {
        let _ = dir.sync_all();
    }
    Ok(size)
}

/// Whether the existing file `target` is the SQLite store `store` or one of the files SQLite
/// keeps beside it.
fn is_part_of(store: &Path, target: &Path) -> bool {
    let (Ok(store), Ok(target)) = (store.canonicalize(), target.canonicalize()) else {
        return false;
    };
    target == store
        || ["-wal", "-shm", "-journal"].iter().any(|suffix| {
            let mut companion = store.clone().into_os_string();
            companion.push(suffix);
            target.as_os_str() == companion
        })
}

/// The `pg_dump` command that backs up the PostgreSQL store `url` to `file` in pg_dump's custom
/// format, the one `pg_restore` reads: the URL's host, port, user and database as options, any
/// other setting of its query (`sslmode`, …) in a connection string with the database, and
/// never its password (pg_dump asks for it, or reads `PGPASSWORD` or `~/.pgpass`). Quoted for a
/// POSIX shell. A password with an unencoded `/`, `?`, `#` or `@` is refused, as on opening:
/// where it ends cannot be told.
pub fn pg_dump_command(url: &str, file: &Path) -> Result<String> {
    let store = StoreUrl::Postgres(url.to_string());
    if password(url).is_some_and(|p| p.contains(['/', '?', '#', '@'])) {
        return Err(open_error(&store, t!("error.url-encode")));
    }
    let rest = url.find("://").map_or(url, |i| &url[i + 3..]);
    let rest = rest.split('#').next().unwrap_or_default();
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, database) = before_query.split_once('/').unwrap_or((before_query, ""));
    let (userinfo, hostport) = authority.rsplit_once('@').unwrap_or(("", authority));
    let user = userinfo.split(':').next().unwrap_or_default();
    // A port follows the last ':' unless that ':' is inside an IPv6 address in brackets.
    let (host, port) = match hostport.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host, port),
        _ => (hostport, ""),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let mut options: Vec<(&str, String)> = [("-h", host), ("-p", port), ("-U", user)]
        .into_iter()
        .map(|(flag, value)| (flag, percent_decoded(value)))
        .collect();
    let mut database = percent_decoded(database);
    let mut settings = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decoded(value);
        match key {
            "password" | "passfile" => {}
            "host" | "hostaddr" => options[0].1 = value,
            "port" => options[1].1 = value,
            "user" => options[2].1 = value,
            "dbname" => database = value,
            _ => settings.push(format!("{key}={}", conninfo_value(&value))),
        }
    }
    if !settings.is_empty() {
        settings.insert(0, format!("dbname={}", conninfo_value(&database)));
        database = settings.join(" ");
    }
    options.push(("-d", database));
    options.push(("-f", file.display().to_string()));
    let mut command = String::from("pg_dump -Fc");
    for (flag, value) in options.iter().filter(|(_, value)| !value.is_empty()) {
        command.push_str(&format!(" {flag} {}", shell_word(value)));
    }
    Ok(command)
}

/// `text` with its `%XX` escapes decoded (a URL's parts).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = text
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A value of a libpq connection string, quoted when it holds a space, a quote or a backslash.
fn conninfo_value(value: &str) -> String {
    if !value.is_empty() && !value.contains([' ', '\'', '\\']) {
        return value.to_string();
    }
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// `word` as one word of a POSIX shell: as it is when it is safe, else in single quotes.
fn shell_word(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./:@%+=,".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
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
    fn pg_dump_is_named_with_the_store_and_never_its_password() {
        let file = Path::new("/var/backups/crm.dump");
        let command = |url: &str| pg_dump_command(url, file).expect("a command");
        assert_eq!(
            command("postgres://sara:s3cret@db.local:6543/crm"),
            "pg_dump -Fc -h db.local -p 6543 -U sara -d crm -f /var/backups/crm.dump"
        );
        assert_eq!(
            command("postgresql://db.local/crm"),
            "pg_dump -Fc -h db.local -d crm -f /var/backups/crm.dump"
        );
        // Other settings go with the database in a connection string; the password never.
        assert_eq!(
            command("postgres://sara@[::1]:5432/my%20crm?password=s3cret&sslmode=require"),
            r#"pg_dump -Fc -h ::1 -p 5432 -U sara -d 'dbname='\''my crm'\'' sslmode=require' -f /var/backups/crm.dump"#
        );
        assert_eq!(
            command("postgres:///crm?host=/run/postgresql&user=o%27brien&passfile=/p"),
            r#"pg_dump -Fc -h /run/postgresql -U 'o'\''brien' -d crm -f /var/backups/crm.dump"#
        );
        let spaced = pg_dump_command("postgres://sara:s3cret@db.local/crm", Path::new("a b.dump"))
            .expect("a command");
        assert_eq!(
            spaced,
            "pg_dump -Fc -h db.local -U sara -d crm -f 'a b.dump'"
        );
        // Where an unencoded password ends cannot be told: refused, as on opening.
        let refused = pg_dump_command("postgres://sara:s3?cret@db.local/crm", file);
        assert!(refused.is_err_and(|e| !e.to_string().contains("s3")));
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
