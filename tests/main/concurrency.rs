//! A team on one store at once, through the real binary: ten `peygir` processes opening cases
//! and logging follow-ups side by side lose nothing and never report the store busy, on SQLite
//! and on PostgreSQL; a writer that holds the store past SQLite's busy timeout is waited for;
//! `peygir db backup` copies a SQLite store consistently while another process writes, refuses
//! what it must, and names `pg_dump` for PostgreSQL; and a new SQLite store, its `-wal` and
//! `-shm` files and a backup are readable by their owner and group only.

use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use peygir::db::ids::ContactId;
use peygir::db::schema::{audit_log, cases, followups, planned_actions};
use peygir::db::{self, StoreUrl};
use peygir::store::contacts::{self, ContactFields};
use peygir::store::numbers;
use peygir::store::users::{self, Resolved};

use crate::support::Backend;
use crate::support::binary::{self, Run};

/// How many `peygir` processes write at once.
const WRITERS: usize = 10;
/// How many cases each of them opens.
const CASES_EACH: usize = 20;
/// Each writer logs a follow-up on the shared case after every this many of its own cases.
const SHARED_EVERY: usize = 4;
/// How many follow-ups the writers log on the shared case in all.
const ON_SHARED: usize = WRITERS * CASES_EACH / SHARED_EVERY;

/// A store of its own, a customer, and a case every writer logs follow-ups on.
struct Setup {
    store: binary::Store,
    customer: ContactId,
    shared: String,
}

impl std::ops::Deref for Setup {
    type Target = binary::Store;

    fn deref(&self) -> &binary::Store {
        &self.store
    }
}

impl std::ops::DerefMut for Setup {
    fn deref_mut(&mut self) -> &mut binary::Store {
        &mut self.store
    }
}

/// A store of `backend` with its defaults, the login running the tests as its first admin, the
/// customer Ali Kazemi, and a first case that every writer logs follow-ups on.
fn setup(backend: Backend) -> Option<Setup> {
    let mut store = binary::Store::open(backend, "concurrency")?;
    let db = &mut store.db;
    let admin = match users::resolve_actor(db, &users::os_login()).expect("the first admin") {
        Resolved::FirstAdmin(a) | Resolved::Existing(a) => a,
    };
    let customer = contacts::create(
        db,
        &admin,
        ContactFields {
            kind: "person".into(),
            first_name: Some("Ali".into()),
            last_name: Some("Kazemi".into()),
            ..ContactFields::default()
        },
    )
    .expect("a customer")
    .id;
    let id = customer.to_string();
    let run = store
        .run(&[
            "--lang",
            "en",
            "case",
            "add",
            "--title",
            "Shared",
            "--contact",
            &id,
        ])
        .ok();
    let shared = case_number(&run);
    Some(Setup {
        store,
        customer,
        shared,
    })
}

/// `peygir --db URL ARGS` run to its end in `home`, as `binary::Store::run` does, for a thread
/// that cannot hold the store's connection.
fn run_in(url: &str, home: &Path, args: &[&str]) -> Run {
    let mut command = binary::command(home, args);
    command.arg("--db").arg(url).current_dir(home);
    Run::of(command, args)
}

/// A run that did its work and never spoke of the store being busy or locked.
fn calm(run: Run) -> Run {
    let run = run.ok();
    let said = format!("{}{}", run.stdout, run.stderr).to_lowercase();
    assert!(
        !said.contains("locked") && !said.contains("busy"),
        "the store was reported busy:\n{run}"
    );
    run
}

/// The case number `case add` printed.
fn case_number(run: &Run) -> String {
    run.stdout
        .split_whitespace()
        .find(|w| w.len() >= 10 && w.as_bytes()[4] == b'-')
        .unwrap_or_else(|| panic!("no case number printed:\n{run}"))
        .to_string()
}

/// The sequence values of case numbers (`1405-00042` → 42), checking they share one year.
fn sequence_values(numbers: &[String]) -> Vec<i64> {
    let years: BTreeSet<&str> = numbers.iter().map(|n| &n[..4]).collect();
    assert_eq!(years.len(), 1, "one year's series: {years:?}");
    let mut values: Vec<i64> = numbers
        .iter()
        .map(|n| n[5..].parse().expect("a sequence number"))
        .collect();
    values.sort_unstable();
    values
}

/// Writer `w`: opens its cases for `customer` one `peygir` run at a time, logs a follow-up on
/// each (planning the next call), and one on the `shared` case after every [`SHARED_EVERY`]
/// cases; returns the numbers it was given.
fn writer(url: &str, home: &Path, w: usize, customer: &str, shared: &str) -> Vec<String> {
    let mut opened = Vec::new();
    for i in 0..CASES_EACH {
        let title = format!("writer {w} case {i}");
        let run = calm(run_in(
            url,
            home,
            &[
                "--lang",
                "en",
                "case",
                "add",
                "--title",
                &title,
                "--contact",
                customer,
            ],
        ));
        let number = case_number(&run);
        calm(run_in(
            url,
            home,
            &[
                "--lang",
                "en",
                "followup",
                "add",
                "--case",
                &number,
                "--kind",
                "phone",
                "--minutes",
                "3",
                "--text",
                &title,
                "--next-kind",
                "call",
                "--next-text",
                "Call again",
                "--next-due",
                "+1d",
            ],
        ));
        opened.push(number);
        if i % SHARED_EVERY != SHARED_EVERY - 1 {
            continue;
        }
        let text = format!("{title} on the shared case");
        calm(run_in(
            url,
            home,
            &[
                "--lang", "en", "followup", "add", "--case", shared, "--kind", "phone", "--text",
                &text,
            ],
        ));
    }
    opened
}

/// Runs the [`writer`]s side by side; returns the case numbers they were given.
fn write_at_once(s: &Setup) -> Vec<String> {
    let (url, home) = (s.url.as_str(), s.home.path());
    let customer = s.customer.to_string();
    let shared = s.shared.as_str();
    let opened: Vec<Vec<String>> = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let customer = customer.as_str();
                scope.spawn(move || writer(url, home, w, customer, shared))
            })
            .collect();
        writers
            .into_iter()
            .map(|w| w.join().expect("a writer finished"))
            .collect()
    });
    opened.into_iter().flatten().collect()
}

/// What the writers did is all in the store: every case, numbered without a gap or a repeat,
/// with its audit row; every follow-up; every next action, shown as due on its case.
fn nothing_lost(s: &mut Setup, opened: &[String]) {
    // Every case opened got a number of its own, and the year's series has no gap.
    let distinct: BTreeSet<&String> = opened.iter().collect();
    assert_eq!(
        distinct.len(),
        WRITERS * CASES_EACH,
        "numbers printed twice"
    );
    let stored: Vec<String> = cases::table
        .select(cases::number)
        .load(&mut s.db)
        .expect("numbers");
    assert_eq!(stored.len(), WRITERS * CASES_EACH + 1, "the cases stored");
    let all = (1..=stored.len() as i64).collect::<Vec<_>>();
    assert_eq!(sequence_values(&stored), all, "consecutive numbers");
    assert!(opened.iter().all(|n| stored.contains(n)));
    let year: i32 = s.shared[..4].parse().expect("a year");
    assert_eq!(
        numbers::last(&mut s.db, &numbers::case_scope(year)).expect("the sequence"),
        Some(stored.len() as i64)
    );
    // Every case has its audit row.
    let audited: i64 = audit_log::table
        .filter(audit_log::entity.eq(peygir::store::cases::ENTITY))
        .filter(audit_log::action.eq("create"))
        .count()
        .get_result(&mut s.db)
        .expect("audit rows");
    assert_eq!(audited, stored.len() as i64);

    // Every follow-up is there once, on its own case or on the shared one.
    let logged: Vec<String> = followups::table
        .select(followups::description)
        .load(&mut s.db)
        .expect("follow-ups");
    assert_eq!(
        logged.len(),
        WRITERS * CASES_EACH + ON_SHARED,
        "the follow-ups stored"
    );
    let logged: BTreeSet<String> = logged.into_iter().collect();
    for w in 0..WRITERS {
        for i in 0..CASES_EACH {
            let title = format!("writer {w} case {i}");
            assert!(logged.contains(&title), "{title} is missing");
            let shared = format!("{title} on the shared case");
            assert_eq!(
                logged.contains(&shared),
                i % SHARED_EVERY == SHARED_EVERY - 1
            );
        }
    }
    let shared_id: i64 = cases::table
        .filter(cases::number.eq(s.shared.clone()))
        .select(cases::id)
        .first(&mut s.db)
        .expect("the shared case");
    let on_shared: i64 = followups::table
        .filter(followups::case_id.eq(shared_id))
        .count()
        .get_result(&mut s.db)
        .expect("count");
    assert_eq!(on_shared, ON_SHARED as i64);
    // Each new case has the next action planned in its follow-up, and shows it as due.
    let planned: i64 = planned_actions::table
        .count()
        .get_result(&mut s.db)
        .expect("count");
    assert_eq!(planned, (WRITERS * CASES_EACH) as i64);
    let undated: i64 = cases::table
        .filter(cases::id.ne(shared_id))
        .filter(cases::next_due_at.is_null())
        .count()
        .get_result(&mut s.db)
        .expect("count");
    assert_eq!(undated, 0, "cases whose next action is not shown as due");
}

cli_tests! {
    fn ten_writers_at_once_lose_nothing(s) {
        let started = Instant::now();
        let opened = write_at_once(s);
        let took = started.elapsed();
        nothing_lost(s, &opened);
        let backend = if s.url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" };
        eprintln!("{WRITERS} writers × {CASES_EACH} cases on {backend}: {:.1} s", took.as_secs_f64());
    }

    fn a_writer_holding_the_store_past_the_busy_timeout_is_waited_for(s) {
        let hold = Duration::from_millis(u64::from(db::SQLITE_BUSY_TIMEOUT_MS) + 1_500);
        let customer = s.customer.to_string();
        let binary::Store { url, db, home, .. } = &mut s.store;
        // A long write elsewhere, as an import is: on SQLite it holds the store's write lock,
        // on PostgreSQL the numbering scopes.
        let long_write = match db {
            peygir::db::Db::Sqlite(_) => "BEGIN IMMEDIATE",
            peygir::db::Db::Pg(_) => "BEGIN; LOCK TABLE number_sequences IN EXCLUSIVE MODE",
        };
        db.batch_execute(long_write).expect("hold the store");
        let started = Instant::now();
        let run = std::thread::scope(|scope| {
            let waiter = scope.spawn(|| {
                run_in(url, home.path(), &[
                    "--lang", "en", "case", "add", "--title", "Waited", "--contact", &customer,
                ])
            });
            std::thread::sleep(hold);
            db.batch_execute("COMMIT").expect("let go of the store");
            waiter.join().expect("the waiting writer")
        });
        let run = calm(run).stdout_has("Opened case");
        assert!(started.elapsed() >= hold, "it waited for the long writer:\n{run}");
        let titles: Vec<String> = cases::table
            .select(cases::title)
            .load(db)
            .expect("titles");
        assert!(titles.contains(&"Waited".to_string()));
    }
}

/// A SQLite store for the backup tests, with its customer and a first case.
fn sqlite_setup() -> Setup {
    setup(Backend::Sqlite).expect("a SQLite store")
}

/// The permission bits of `path`.
fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// `peygir ARGS` with the umask 0, which takes nothing away: the permissions seen are the ones
/// Peygir asked for.
fn run_with_open_umask(home: &Path, args: &[&str]) -> Run {
    let mut command = Command::new("sh");
    command
        .args(["-c", "umask 0 && exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_peygir"))
        .args(args)
        .current_dir(home)
        .stdin(std::process::Stdio::null());
    for (name, value) in binary::environment(home) {
        command.env(name, value);
    }
    for name in binary::REMOVED {
        command.env_remove(name);
    }
    Run::of(command, args)
}

#[test]
fn a_backup_taken_while_another_process_writes_is_a_consistent_store() {
    let mut s = sqlite_setup();
    let copy = s.home.path().join("copy.db");
    let copy_arg = copy.to_str().expect("UTF-8").to_string();
    let customer = s.customer.to_string();
    let count =
        |db: &mut peygir::db::Db| -> i64 { cases::table.count().get_result(db).expect("count") };
    let (before, after) = {
        let binary::Store { url, db, home, .. } = &mut s.store;
        let (url, home) = (url.as_str(), home.path());
        std::thread::scope(|scope| {
            let writer = scope.spawn(|| {
                for i in 0..40 {
                    let title = format!("Written during the backup {i}");
                    calm(run_in(
                        url,
                        home,
                        &["case", "add", "--title", &title, "--contact", &customer],
                    ));
                }
            });
            while count(db) < 6 {
                std::thread::sleep(Duration::from_millis(20));
            }
            let before = count(db);
            calm(run_in(
                url,
                home,
                &["--lang", "en", "db", "backup", &copy_arg],
            ))
            .stdout_has("Backed up")
            .stdout_has(&copy_arg);
            let after = count(db);
            writer.join().expect("the writer");
            assert_eq!(
                count(db),
                41,
                "every case written during the backup is there"
            );
            (before, after)
        })
    };

    // The copy opens as a Peygir store, whole, with every case up to some point and its audit.
    let mut copied = db::connect(&StoreUrl::Sqlite(copy.clone())).expect("the copy opens");
    #[derive(QueryableByName)]
    struct Check {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    let check: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut copied)
        .expect("integrity check");
    assert_eq!(check.len(), 1);
    assert_eq!(check[0].integrity_check, "ok");
    let numbers: Vec<String> = cases::table
        .select(cases::number)
        .load(&mut copied)
        .expect("numbers");
    let n = numbers.len() as i64;
    assert!(
        (before..=after).contains(&n),
        "the copy holds {n} cases, taken while there were {before} to {after}"
    );
    assert_eq!(sequence_values(&numbers), (1..=n).collect::<Vec<_>>());
    let audited: i64 = audit_log::table
        .filter(audit_log::entity.eq(peygir::store::cases::ENTITY))
        .count()
        .get_result(&mut copied)
        .expect("audit rows");
    assert_eq!(
        audited, n,
        "every case in the copy has its audit row, and no more"
    );
    drop(copied);
    assert_eq!(mode(&copy) & !db::STORE_FILE_MODE, 0, "no more than 0640");
    // The binary works on it.
    let listed = run_in(
        &copy_arg,
        s.home.path(),
        &["case", "list", "--format", "csv"],
    )
    .ok();
    assert_eq!(listed.stdout.lines().count() as i64, n + 1);
}

#[test]
fn a_backup_refuses_what_it_must_and_replaces_only_when_forced() {
    let s = sqlite_setup();
    let home = s.home.path();
    let target = home.join("copy.db");
    let target_arg = target.to_str().expect("UTF-8");
    let en = |args: &[&str]| {
        let mut all = vec!["--lang", "en", "db", "backup"];
        all.extend_from_slice(args);
        s.run(&all)
    };

    // A file that is there is kept unless --force says otherwise.
    std::fs::write(&target, "keep me").expect("a file");
    en(&[target_arg]).refused(1, "already exists; give --force");
    assert_eq!(std::fs::read_to_string(&target).expect("kept"), "keep me");
    en(&[target_arg, "--force"]).ok().stdout_has("Backed up");
    let mut copy = db::connect(&StoreUrl::Sqlite(target.clone())).expect("the copy opens");
    let copied: i64 = cases::table.count().get_result(&mut copy).expect("count");
    assert_eq!(copied, 1, "the shared case");

    // No folder, a folder, the store itself (even with --force), no store.
    let nowhere = home.join("no-such-folder").join("copy.db");
    en(&[nowhere.to_str().expect("UTF-8")]).refused(1, "does not exist");
    assert!(!nowhere.parent().expect("a parent").exists());
    en(&[home.to_str().expect("UTF-8")]).refused(1, "it is a folder");
    en(&[&s.url, "--force"]).refused(1, "it is the store itself");
    let missing = home.join("missing.db");
    let missing_arg = missing.to_str().expect("UTF-8");
    let run = binary::command(
        home,
        &["--lang", "en", "--db", missing_arg, "db", "backup", "x.db"],
    );
    Run::of(run, &["db", "backup"]).refused(1, "there is no store at");
    assert!(!missing.exists(), "no store is made to be backed up");
    assert!(!home.join("x.db").exists());
    // Nothing is left behind: no temporary file beside the target.
    let left: Vec<String> = std::fs::read_dir(home)
        .expect("the home")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("peygir-backup"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn a_postgresql_store_is_backed_up_with_pg_dump_and_its_password_is_never_shown() {
    let home = tempfile::tempdir().expect("a home");
    // Refused before any connection: no server is needed.
    let url = "postgres://sara:s3cr%40t@127.0.0.1:6543/crm";
    let args = [
        "--lang",
        "en",
        "--db",
        url,
        "db",
        "backup",
        "/var/backups/crm.dump",
    ];
    let run = Run::of(binary::command(home.path(), &args), &args).refused(
        1,
        "pg_dump -Fc -h 127.0.0.1 -p 6543 -U sara -d crm -f /var/backups/crm.dump",
    );
    assert!(
        !run.stderr.contains("s3cr"),
        "the password was shown:\n{run}"
    );
}

#[test]
fn a_new_store_its_wal_and_shm_and_a_backup_are_for_owner_and_group_only() {
    let home = tempfile::tempdir().expect("a home");
    let store = home.path().join("team.db");
    let store_arg = store.to_str().expect("UTF-8");
    // With the umask taking nothing away, SQLite alone would make the file 0644.
    run_with_open_umask(home.path(), &["--db", store_arg, "db", "migrate"]).ok();
    assert_eq!(mode(&store), 0o640);
    // SQLite gives the files beside the store the store's permissions; they stay while a
    // connection has the store open.
    let mut db = db::open(&StoreUrl::Sqlite(store.clone())).expect("open");
    peygir::store::ensure_defaults(&mut db).expect("a write");
    run_with_open_umask(home.path(), &["--db", store_arg, "case", "list"]).ok();
    for companion in ["team.db-wal", "team.db-shm"] {
        assert_eq!(mode(&home.path().join(companion)), 0o640, "{companion}");
    }
    let copy = home.path().join("team-copy.db");
    let copy_arg = copy.to_str().expect("UTF-8");
    run_with_open_umask(home.path(), &["--db", store_arg, "db", "backup", copy_arg]).ok();
    assert_eq!(mode(&copy), 0o640);
    // A backup replaced keeps no wider permissions than it had.
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    run_with_open_umask(
        home.path(),
        &["--db", store_arg, "db", "backup", copy_arg, "--force"],
    )
    .ok();
    assert_eq!(mode(&copy), 0o600);
}

/// Ten sessions starting at the same moment on a store that has no tables yet (a new store, or
/// the day a new Peygir with migrations comes out): one applies each migration and the default
/// lists, the first registers the login as the store's admin, and every one of them starts.
fn ten_sessions_start_at_once_on_a_new_store(backend: Backend) {
    let home = tempfile::tempdir().expect("a home");
    let folder = tempfile::tempdir().expect("a folder");
    let (url, _database) = match backend {
        Backend::Sqlite => (folder.path().join("new.db").display().to_string(), None),
        Backend::Postgres => {
            let Some(server) = crate::support::pg::server() else {
                return;
            };
            let database = server.empty_database();
            (database.url.clone(), Some(database))
        }
    };
    let runs: Vec<Run> = std::thread::scope(|scope| {
        let starts: Vec<_> = (0..10)
            .map(|_| {
                scope.spawn(|| run_in(&url, home.path(), &["case", "list", "--format", "json"]))
            })
            .collect();
        starts
            .into_iter()
            .map(|s| s.join().expect("a session"))
            .collect()
    });
    for run in runs {
        calm(run).stdout_has("[");
    }
    let mut db = db::connect(&StoreUrl::parse(&url)).expect("connect");
    let admins = peygir::store::users::all(&mut db).expect("users");
    assert_eq!(admins.len(), 1, "one first admin: {admins:?}");
}

#[test]
fn ten_sessions_start_at_once_on_a_new_sqlite_store() {
    ten_sessions_start_at_once_on_a_new_store(Backend::Sqlite);
}

#[test]
fn ten_sessions_start_at_once_on_a_new_postgres_database() {
    ten_sessions_start_at_once_on_a_new_store(Backend::Postgres);
}
