//! What the integration tests share: a fresh store per test on either backend, and the macros that
//! write a store test once and run it on SQLite and on PostgreSQL, each as its own test
//! (`name::sqlite`, `name::postgres`).

pub mod binary;
pub mod pg;
pub mod pgbouncer;
pub mod terminal;

use std::fmt;

use peygir::db::{self, Db, StoreUrl};
use peygir::store::Actor;
use peygir::store::users::{self, Resolved};

/// The two backends every store test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        })
    }
}

/// A store that lives as long as the test: a SQLite file in its own temporary folder, or a
/// PostgreSQL database of its own that is dropped afterwards.
pub struct TestStore {
    // Declared first so the connection closes before the folder or database goes away.
    pub db: Db,
    _keep: Keep,
}

enum Keep {
    Folder(#[allow(dead_code)] tempfile::TempDir),
    Database(#[allow(dead_code)] pg::Database),
}

impl TestStore {
    /// A migrated store, or `None` when PostgreSQL is wanted but not available outside CI (the
    /// reason was printed once, loudly).
    pub fn migrated(backend: Backend) -> Option<TestStore> {
        TestStore::new(backend, true)
    }

    /// A store without any migration applied.
    pub fn empty(backend: Backend) -> Option<TestStore> {
        TestStore::new(backend, false)
    }

    fn new(backend: Backend, migrated: bool) -> Option<TestStore> {
        match backend {
            Backend::Sqlite => {
                let folder = tempfile::Builder::new()
                    .prefix("peygir-test-")
                    .tempdir()
                    .expect("create a temporary folder for the SQLite store");
                let url = StoreUrl::Sqlite(folder.path().join("test.db"));
                let opened = if migrated {
                    db::open(&url)
                } else {
                    db::connect(&url)
                };
                let db = opened.unwrap_or_else(|e| panic!("open the SQLite test store: {e}"));
                Some(TestStore {
                    db,
                    _keep: Keep::Folder(folder),
                })
            }
            Backend::Postgres => {
                let server = pg::server()?;
                let database = if migrated {
                    server.migrated_database()
                } else {
                    server.empty_database()
                };
                let url = StoreUrl::Postgres(database.url.clone());
                let db = db::connect(&url)
                    .unwrap_or_else(|e| panic!("connect to the PostgreSQL test database: {e}"));
                Some(TestStore {
                    db,
                    _keep: Keep::Database(database),
                })
            }
        }
    }
}

/// Runs a store test's body on a fresh migrated store of `backend`.
pub fn run_migrated(backend: Backend, body: impl FnOnce(&mut Db, Backend)) {
    if let Some(mut store) = TestStore::migrated(backend) {
        body(&mut store.db, backend);
    }
}

/// Runs a test's body on a fresh store of `backend` that has no migration applied.
pub fn run_empty(backend: Backend, body: impl FnOnce(&mut Db, Backend)) {
    if let Some(mut store) = TestStore::empty(backend) {
        body(&mut store.db, backend);
    }
}

/// The store's first user, an admin (as on the first start of the app).
pub fn admin(db: &mut Db) -> Actor {
    match users::resolve_actor(db, "admin").expect("register the first admin") {
        Resolved::FirstAdmin(actor) | Resolved::Existing(actor) => actor,
    }
}

/// Whether the tests run in CI, where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false" | "no"))
}

/// Writes straight to the process's standard error, past the test harness's capture, so that a
/// skip is seen even when every test passes.
pub fn shout(line: &str) {
    use std::io::Write as _;
    let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
    let _ = writeln!(std::io::stderr().lock(), "\n*** {line} ***\n");
}

/// Store tests written once and run on both backends, each body on a fresh migrated store:
///
/// ```ignore
/// store_tests! {
///     fn a_contact_is_created(db, backend) { ... }
/// }
/// ```
///
/// makes the tests `a_contact_is_created::sqlite` and `a_contact_is_created::postgres`.
macro_rules! store_tests {
    ($($(#[$attr:meta])* fn $name:ident($db:ident, $backend:ident) $body:block)*) => {
        $(store_tests!(@one run_migrated $(#[$attr])* fn $name($db, $backend) $body);)*
    };
    (@one $run:ident $(#[$attr:meta])* fn $name:ident($db:ident, $backend:ident) $body:block) => {
        $(#[$attr])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[allow(unused_variables)]
            fn body($db: &mut peygir::db::Db, $backend: $crate::support::Backend) $body

            #[test]
            fn sqlite() {
                $crate::support::$run($crate::support::Backend::Sqlite, body);
            }

            #[test]
            fn postgres() {
                $crate::support::$run($crate::support::Backend::Postgres, body);
            }
        }
    };
}

/// Like `store_tests!`, but each body gets a store with no migration applied.
macro_rules! empty_store_tests {
    ($($(#[$attr:meta])* fn $name:ident($db:ident, $backend:ident) $body:block)*) => {
        $(store_tests!(@one run_empty $(#[$attr])* fn $name($db, $backend) $body);)*
    };
}

/// Tests of the command line written once for both backends, as `name::sqlite` and
/// `name::postgres`: each body gets the calling module's `Setup`, made by its `setup(backend)`
/// (none when PostgreSQL is wanted and there is none outside CI).
macro_rules! cli_tests {
    ($(fn $name:ident($s:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                fn body($s: &mut Setup) $body

                #[test]
                fn sqlite() {
                    if let Some(mut s) = setup(Backend::Sqlite) {
                        body(&mut s);
                    }
                }

                #[test]
                fn postgres() {
                    if let Some(mut s) = setup(Backend::Postgres) {
                        body(&mut s);
                    }
                }
            }
        )*
    };
}
