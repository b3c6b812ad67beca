//! The real `peygir` binary, as an admin on a headless server runs it: which store it picks, what
//! `db migrate` and `db status` print, and how it refuses a store it must not touch (exit code 2,
//! one line on standard error, the file left as it was, no password shown).

use std::path::{Path, PathBuf};
use std::process::Command;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

use peygir::db::schema::TABLES;

use crate::support::binary::{self, Run};

/// A home of its own for each test: the binary's data and config folders point into it, and
/// `PEYGIR_DB` is unset, so nothing of the machine's user leaks in or out.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::Builder::new()
            .prefix("peygir-cli-")
            .tempdir()
            .expect("create a temporary home");
        for sub in ["data", "config", "work"] {
            std::fs::create_dir(dir.path().join(sub)).expect("create a folder in the home");
        }
        Home { dir }
    }

    /// A path in a folder of its own, for store files.
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join("work").join(name)
    }

    fn default_store(&self) -> PathBuf {
        self.dir.path().join("data/peygir/peygir.db")
    }

    fn config_file(&self) -> PathBuf {
        self.dir.path().join("config/peygir/config.toml")
    }

    fn write_config(&self, text: &str) {
        let file = self.config_file();
        std::fs::create_dir_all(file.parent().expect("the config file has a folder"))
            .expect("create the config folder");
        std::fs::write(&file, text).expect("write the config file");
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = binary::command(self.dir.path(), args);
        command.current_dir(self.dir.path().join("work"));
        command
    }

    fn run(&self, args: &[&str]) -> Run {
        Run::of(self.command(args), args)
    }

    fn run_with_env(&self, args: &[&str], name: &str, value: &str) -> Run {
        let mut command = self.command(args);
        command.env(name, value);
        Run::of(command, args)
    }
}

fn text(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// A file's bytes, and the names in its folder: what a refused command must leave as it was.
fn state(path: &Path) -> (Vec<u8>, Vec<String>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let mut names: Vec<String> = std::fs::read_dir(path.parent().expect("a folder"))
        .expect("list the folder")
        .map(|e| {
            e.expect("a folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    (bytes, names)
}

/// The value on the status line that starts with `label`.
fn status_line<'a>(run: &'a Run, label: &str) -> &'a str {
    run.stdout
        .lines()
        .find(|l| l.starts_with(label))
        .map(|l| l[label.len()..].trim())
        .unwrap_or_else(|| panic!("no {label:?} line in the status:\n{run}"))
}

/// What `db status` says about a migrated, empty store.
fn check_status_of_empty_store(run: &Run, backend: &str, location: &str) {
    assert_eq!(status_line(run, "Backend"), backend, "{run}");
    assert_eq!(status_line(run, "Location"), location, "{run}");
    assert_eq!(status_line(run, "Pending migrations"), "none", "{run}");
    assert!(
        status_line(run, "Applied migrations").contains("20261101000001"),
        "{run}"
    );
    for table in TABLES {
        let counted = run.stdout.lines().any(|l| {
            let mut words = l.split_whitespace();
            words.next() == Some(table) && words.next() == Some("0") && words.next().is_none()
        });
        assert!(counted, "no row count of 0 for {table}:\n{run}");
    }
}

fn migrated_sqlite_store(home: &Home, name: &str) -> PathBuf {
    let store = home.path(name);
    home.run(&["--db", text(&store), "db", "migrate"])
        .expect_code(0);
    store
}

#[test]
fn migrate_then_status_on_a_new_sqlite_file() {
    let home = Home::new();
    let store = home.path("crm.db");
    let migrated = home
        .run(&["--db", text(&store), "db", "migrate"])
        .expect_code(0)
        .stdout_has("Applied")
        .stdout_has(text(&store));
    assert!(
        store.is_file(),
        "no store file after migrating:\n{migrated}"
    );

    let status = home
        .run(&["--db", text(&store), "db", "status"])
        .expect_code(0);
    check_status_of_empty_store(&status, "SQLite", text(&store));

    home.run(&["--db", text(&store), "db", "migrate"])
        .expect_code(0)
        .stdout_has("up to date");
    assert!(
        !home.default_store().exists(),
        "the default store was made though --db was given"
    );
}

#[test]
fn a_store_in_a_missing_folder_is_refused_and_not_created() {
    let home = Home::new();
    let missing = home.path("no/such/dir");
    let store = missing.join("x.db");
    for command in ["status", "migrate"] {
        home.run(&["--db", text(&store), "db", command])
            .expect_refused(2)
            .stderr_has(text(&store))
            .stderr_has("does not exist");
    }
    assert!(
        !home.path("no").exists(),
        "a folder was created for the store"
    );
    assert!(!home.default_store().exists());
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
    let home = Home::new();
    let store = home.path("letter.db");
    std::fs::write(
        &store,
        "Dear customer, this is a letter, not a database.\n".repeat(100),
    )
    .expect("write the file");
    let before = state(&store);
    for command in ["status", "migrate"] {
        home.run(&["--db", text(&store), "db", command])
            .expect_refused(2)
            .stderr_has("not a Peygir database")
            .stderr_has(text(&store));
        assert!(
            state(&store) == before,
            "peygir db {command} changed the file"
        );
    }
}

#[test]
fn a_postgres_password_is_never_shown() {
    let home = Home::new();
    // A port nobody listens on: taken from the system, then let go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("find a free port")
        .port();
    let url = format!("postgres://sara:Sup3rSecr3t@127.0.0.1:{port}/crm");
    for command in ["status", "migrate"] {
        let run = home
            .run(&["--db", &url, "db", command])
            .expect_refused(2)
            .stderr_has("***")
            .stderr_has(&format!("127.0.0.1:{port}/crm"));
        assert!(
            !run.stderr.contains("Sup3rSecr3t"),
            "the password is shown:\n{run}"
        );
        assert!(
            !run.stdout.contains("Sup3rSecr3t"),
            "the password is shown:\n{run}"
        );
    }
}

/// A password pasted into the URL unencoded, with `/`, `?` or `@` in it, is hidden all the same.
#[test]
fn a_password_with_url_delimiters_is_never_shown() {
    let home = Home::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("find a free port")
        .port();
    for password in ["Sup3r/Secr3t", "Sup3r?Secr3t", "Sup3r@Secr3t/x"] {
        let url = format!("postgres://sara:{password}@127.0.0.1:{port}/crm");
        let run = home.run(&["--db", &url, "db", "status"]).expect_refused(2);
        for part in ["Sup3r", "Secr3t"] {
            assert!(
                !run.stderr.contains(part),
                "the password {password:?} is shown:\n{run}"
            );
        }
    }
}

/// Another program's SQLite database is not a Peygir store: neither `db status` nor `db migrate`
/// may add tables to it.
#[test]
fn a_sqlite_database_of_another_program_is_refused_and_left_alone() {
    let home = Home::new();
    let store = home.path("places.sqlite");
    {
        let mut conn = SqliteConnection::establish(text(&store)).expect("create the database");
        conn.batch_execute(
            "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); \
             INSERT INTO moz_places (url) VALUES ('https://example.com/');",
        )
        .expect("fill the database");
    }
    let before = state(&store);
    for command in ["status", "migrate"] {
        let run = home.run(&["--db", text(&store), "db", command]);
        let mut conn = SqliteConnection::establish(text(&store)).expect("open the database");
        let tables: Vec<Name> = diesel::sql_query("SELECT name FROM sqlite_master")
            .load(&mut conn)
            .expect("list the tables");
        let tables: Vec<String> = tables.into_iter().map(|t| t.name).collect();
        assert_eq!(
            tables,
            ["moz_places"],
            "peygir db {command} added tables to another program's database:\n{run}"
        );
        drop(conn);
        run.expect_refused(2)
            .stderr_has("not a Peygir database")
            .stderr_has(text(&store));
        assert!(
            state(&store) == before,
            "peygir db {command} changed the file"
        );
    }
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

#[test]
fn a_read_only_store_is_refused_and_left_alone() {
    use std::os::unix::fs::PermissionsExt as _;
    let home = Home::new();
    let store = migrated_sqlite_store(&home, "locked.db");
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o444))
        .expect("make the store read-only");
    let before = state(&store);
    for command in ["status", "migrate"] {
        home.run(&["--db", text(&store), "db", command])
            .expect_refused(2)
            .stderr_has("read-only")
            .stderr_has(text(&store));
        assert!(
            state(&store) == before,
            "peygir db {command} changed the read-only store"
        );
    }
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o644))
        .expect("make the store writable again");
}

#[test]
fn a_store_from_a_newer_peygir_is_refused() {
    let home = Home::new();
    let store = migrated_sqlite_store(&home, "newer.db");
    {
        let mut conn = SqliteConnection::establish(text(&store)).expect("open the store");
        conn.batch_execute(
            "INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000000')",
        )
        .expect("add a migration from the future");
    }
    let before = state(&store);
    for command in ["status", "migrate"] {
        home.run(&["--db", text(&store), "db", command])
            .expect_refused(2)
            .stderr_has("newer")
            .stderr_has("29991231000000");
        assert!(
            state(&store) == before,
            "peygir db {command} changed the newer store"
        );
    }
}

#[test]
fn peygir_db_is_honoured_and_the_flag_wins_over_it() {
    let home = Home::new();
    let from_env = home.path("env.db");
    let from_flag = home.path("flag.db");
    home.run_with_env(&["db", "migrate"], "PEYGIR_DB", text(&from_env))
        .expect_code(0)
        .stdout_has(text(&from_env));
    assert!(from_env.is_file(), "PEYGIR_DB was not used");

    let run = home
        .run_with_env(
            &["--db", text(&from_flag), "db", "migrate"],
            "PEYGIR_DB",
            text(&home.path("unused.db")),
        )
        .expect_code(0)
        .stdout_has(text(&from_flag));
    assert!(from_flag.is_file(), "--db was not used:\n{run}");
    assert!(
        !home.path("unused.db").exists(),
        "PEYGIR_DB won over --db:\n{run}"
    );
    assert!(!home.default_store().exists());
}

#[test]
fn the_config_file_is_honoured_and_the_environment_wins_over_it() {
    let home = Home::new();
    let from_file = home.path("conf.db");
    home.write_config(&format!("db = {:?}\n", text(&from_file)));
    let run = home
        .run(&["db", "migrate"])
        .expect_code(0)
        .stdout_has(text(&from_file));
    assert!(
        from_file.is_file(),
        "the config file's db was not used:\n{run}"
    );
    assert!(
        run.stderr.is_empty(),
        "a good config file gave warnings:\n{run}"
    );

    let from_env = home.path("env.db");
    home.run_with_env(&["db", "migrate"], "PEYGIR_DB", text(&from_env))
        .expect_code(0)
        .stdout_has(text(&from_env));
    assert!(
        from_env.is_file(),
        "PEYGIR_DB did not win over the config file"
    );
    assert!(!home.default_store().exists());
}

/// `PEYGIR_DB=` (set, but to nothing) is no setting, as with other tools' variables; it must
/// not open a throwaway SQLite database that is gone when the command ends.
#[test]
fn an_empty_peygir_db_is_no_setting() {
    let home = Home::new();
    let run = home
        .run_with_env(&["db", "migrate"], "PEYGIR_DB", "")
        .expect_code(0)
        .stdout_has(text(&home.default_store()));
    assert!(
        home.default_store().is_file(),
        "an empty PEYGIR_DB did not fall back to the default store:\n{run}"
    );
}

#[test]
fn a_bad_config_file_only_warns() {
    let home = Home::new();
    home.write_config("db = \n[colours\n");
    let run = home
        .run(&["db", "migrate"])
        .expect_code(0)
        .stderr_has("config.toml")
        .stdout_has(text(&home.default_store()));
    assert!(
        home.default_store().is_file(),
        "the default store was not used after a bad config file:\n{run}"
    );
}

#[test]
fn without_any_setting_the_store_is_in_the_data_folder() {
    let home = Home::new();
    home.run(&["db", "migrate"])
        .expect_code(0)
        .stdout_has(text(&home.default_store()));
    assert!(
        home.default_store().is_file(),
        "no store at the default place"
    );
    let status = home.run(&["db", "status"]).expect_code(0);
    check_status_of_empty_store(&status, "SQLite", text(&home.default_store()));
}

#[test]
fn migrate_then_status_on_postgresql() {
    let Some(server) = crate::support::pg::server() else {
        return;
    };
    let home = Home::new();
    let database = server.empty_database();
    let url = database.url.as_str();
    let before = home.run(&["--db", url, "db", "status"]).expect_code(0);
    assert_eq!(status_line(&before, "Backend"), "PostgreSQL", "{before}");
    assert!(
        status_line(&before, "Pending migrations").contains("20261101000001"),
        "{before}"
    );
    home.run(&["--db", url, "db", "migrate"])
        .expect_code(0)
        .stdout_has("Applied")
        .stdout_has(url);
    let status = home.run(&["--db", url, "db", "status"]).expect_code(0);
    check_status_of_empty_store(&status, "PostgreSQL", url);
    home.run(&["--db", url, "db", "migrate"])
        .expect_code(0)
        .stdout_has("up to date");
}
