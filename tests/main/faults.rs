//! Faults while people work: the PostgreSQL server dropping a session's connection (a restart, a
//! network cut), a SQLite store that can no longer be written, a full disk. The user is told
//! what happened in words they can act on, nothing typed is lost, and a session connects again
//! by itself once the server answers.

use std::path::Path;

use diesel::RunQueryDsl;
use peygir::db::{self, Db, StoreUrl};
use peygir::error::StoreFault;
use peygir::store::contacts::{self, ContactFields};
use peygir::store::users::{self, Resolved};
use peygir::store::{Actor, Role};
use peygir::tui::link::{Link, News};

use crate::support::terminal::start;
use crate::support::{Backend, TestStore, pg};

fn person(last: &str) -> ContactFields {
    ContactFields {
        kind: "person".into(),
        first_name: Some("Sara".into()),
        last_name: Some(last.into()),
        notes: Some("x".repeat(4_000)),
        ..ContactFields::default()
    }
}

fn admin(db: &mut Db) -> Actor {
    let actor = match users::resolve_actor(db, "admin").expect("the first admin") {
        Resolved::FirstAdmin(actor) | Resolved::Existing(actor) => actor,
    };
    assert_eq!(actor.role, Role::Admin);
    actor
}

/// Ends every other session on the store's database, as a server restart does to them.
fn drop_other_sessions(url: &str) {
    let mut other = db::connect(&StoreUrl::parse(url)).expect("another session");
    diesel::sql_query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .execute(&mut other)
    .expect("sessions ended");
}

/// The server ends the session's connection: the next save fails saying the connection was lost
/// (not a driver's text), the link finds the connection dead and connects again, and the same
/// save then goes through. A link whose server cannot be reached says it is lost and tries again
/// only after its pause.
#[test]
fn a_session_whose_connection_the_server_dropped_connects_again() {
    let Some(server) = pg::server() else {
        return;
    };
    let database = server.migrated_database();
    let url = StoreUrl::parse(&database.url);
    let mut db = db::connect(&url).expect("connected");
    let actor = admin(&mut db);
    contacts::create(&mut db, &actor, person("Before")).expect("saved");

    drop_other_sessions(&database.url);
    let error = contacts::create(&mut db, &actor, person("During")).expect_err("no connection");
    assert_eq!(error.fault(), Some(StoreFault::ConnectionLost), "{error}");
    assert!(
        error
            .to_string()
            .contains("the connection to the store was lost"),
        "{error}"
    );

    let mut link = Link::new(&url);
    assert_eq!(
        link.keep(&mut db, false),
        None,
        "nothing failed: not looked at"
    );
    assert_eq!(link.keep(&mut db, true), Some(News::Back));
    assert!(!link.is_lost());
    contacts::create(&mut db, &actor, person("During")).expect("saved once back");
    assert_eq!(link.keep(&mut db, true), None, "it answers");

    // A server that cannot be reached: lost, and not tried again before the pause is over.
    drop_other_sessions(&database.url);
    let mut unreachable = Link::new(&StoreUrl::parse("postgres://peygir@127.0.0.1:1/none"));
    assert_eq!(unreachable.keep(&mut db, true), Some(News::Lost));
    assert!(unreachable.is_lost());
    assert_eq!(unreachable.keep(&mut db, false), None);
    assert!(unreachable.is_lost());
}

/// A SQLite store that can be read but no longer written (its file made read-only under a running
/// session), then one whose disk is full: each save is refused naming the cause, and the same
/// save goes through once the store can be written again. (`PRAGMA query_only` and
/// `PRAGMA max_page_count` make SQLite give the very errors a read-only file and a full disk
/// give.)
#[test]
fn a_sqlite_store_that_cannot_be_written_says_why_and_saves_once_it_can() {
    let mut store = TestStore::migrated(Backend::Sqlite).expect("a SQLite store");
    let db = &mut store.db;
    let actor = admin(db);

    diesel::sql_query("PRAGMA query_only = 1")
        .execute(db)
        .expect("read only");
    let error = contacts::create(db, &actor, person("Ahmadi")).expect_err("read-only");
    assert_eq!(error.fault(), Some(StoreFault::ReadOnly), "{error}");
    assert!(error.to_string().contains("read-only"), "{error}");
    diesel::sql_query("PRAGMA query_only = 0")
        .execute(db)
        .expect("writable");
    contacts::create(db, &actor, person("Ahmadi")).expect("saved once writable");

    #[derive(diesel::QueryableByName)]
    struct Pages {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        page_count: i64,
    }
    let pages = diesel::sql_query("PRAGMA page_count")
        .get_result::<Pages>(db)
        .expect("pages")
        .page_count;
    diesel::sql_query(format!("PRAGMA max_page_count = {pages}"))
        .execute(db)
        .expect("no room");
    let many: Vec<ContactFields> = (0..50).map(|i| person(&format!("Full {i}"))).collect();
    let error = many
        .into_iter()
        .map(|fields| contacts::create(db, &actor, fields))
        .find_map(Result::err)
        .expect("the disk filled up");
    assert_eq!(error.fault(), Some(StoreFault::DiskFull), "{error}");
    assert!(error.to_string().contains("the disk is full"), "{error}");
    diesel::sql_query("PRAGMA max_page_count = 1073741823")
        .execute(db)
        .expect("room again");
    contacts::create(db, &actor, person("After")).expect("saved once there is room");
}

/// The real binary on PostgreSQL, a new person half typed when the server drops every session:
/// `ctrl-s` fails, the screen connects again by itself and says so, the form still holds what was
/// typed, and `ctrl-s` then saves it.
#[test]
fn a_form_keeps_its_text_through_a_lost_connection_and_saves_once_connected_again() {
    let Some(server) = pg::server() else {
        return;
    };
    let database = server.migrated_database();
    let home = tempfile::tempdir().expect("a home");
    let mut screen = start(home.path(), Path::new(&database.url), &[]);
    screen.wait_for("[1 Inbox]");
    screen.keys("2");
    screen.wait_for("Contacts (0)");
    screen.keys("n");
    screen.wait_for("New person");
    screen.keys("Sara\tAhmadi");
    screen.wait_for("Ahmadi");

    drop_other_sessions(&database.url);
    screen.keys("\x13");
    screen.wait_for("Connected to the store again.");
    let shown = screen.contents();
    assert!(
        shown.contains("New person") && shown.contains("Sara") && shown.contains("Ahmadi"),
        "the form is still open with what was typed:\n{shown}"
    );
    screen.keys("\x13");
    screen.wait_for("Added Sara Ahmadi.");
    screen.wait_for("Contacts (1)");
    screen.keys("q");
    assert!(screen.wait_for_exit());
}
