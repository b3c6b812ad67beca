//! Peygir behind a real PgBouncer in transaction mode, as a team of many SSH sessions shares a
//! few server connections: the binary adds a contact and a case, five processes log follow-ups
//! at once, the cases are listed and reports run, a new store is migrated, and one session sees
//! another's change through the change token, each with fewer server connections than clients.
//! In transaction mode each transaction may get another server connection, so nothing may rest
//! on a session's state, such as a named prepared statement.

use std::time::Duration;

use peygir::db::ids::ContactId;
use peygir::db::{self, StoreUrl};
use peygir::store::Actor;
use peygir::store::changes::{self, Watch};
use peygir::store::contacts::{self, ContactFields, ContactFilter};
use peygir::store::users::{self, Resolved};

use crate::support::binary::{self, Run};
use crate::support::{pg, pgbouncer};

/// How many processes log follow-ups at once, against a pool of [`POOL`] server connections.
const WRITERS: usize = 5;
const POOL: u32 = 2;

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON ({e}):\n{run}"))
}

/// A store reached through a PgBouncer lending it `pool_size` server connections, with the
/// login running the tests as its first admin (as the binary makes it on its first run).
fn pooled(pool_size: u32, name: &str) -> Option<(binary::Store, Actor)> {
    let mut store = pgbouncer::store(pool_size, name)?;
    match users::resolve_actor(&mut store.db, &users::os_login()).expect("the first admin") {
        Resolved::FirstAdmin(admin) | Resolved::Existing(admin) => Some((store, admin)),
    }
}

#[test]
fn the_binary_works_through_pgbouncer_in_transaction_mode() {
    let Some((store, _)) = pooled(POOL, "pgbouncer") else {
        return;
    };
    // A contact, through the import's batch insert.
    let file = store.home.path().join("contacts.csv");
    std::fs::write(&file, "kind,first_name,last_name\r\nperson,Ali,Kazemi\r\n").expect("a CSV");
    store
        .run(&["import", "contacts", file.to_str().expect("UTF-8 path")])
        .ok()
        .stdout_has("Imported 1 contacts");
    let mut db = db::connect(&StoreUrl::parse(&store.url)).expect("a session through PgBouncer");
    let found = contacts::batch(&mut db, &ContactFilter::default(), ContactId(0), 10)
        .expect("the contacts");
    assert_eq!(found.len(), 1, "one contact imported");
    let contact = found[0].id.0.to_string();

    let opened = store
        .run(&["case", "add", "--title", "A boiler", "--contact", &contact])
        .ok()
        .stdout_has("Opened case");
    let number = opened
        .stdout
        .split_whitespace()
        .find(|word| word.contains('-'))
        .unwrap_or_else(|| panic!("a case number:\n{opened}"))
        .to_string();

    // More processes than server connections, all writing at once: each waits its turn for a
    // connection, and none finds a statement another transaction left, or misses one.
    let texts: Vec<String> = (1..=WRITERS).map(|i| format!("Call {i}")).collect();
    let (url, home) = (store.url.as_str(), store.home.path());
    let runs: Vec<Run> = std::thread::scope(|scope| {
        let writers: Vec<_> = texts
            .iter()
            .map(|text| {
                let args = [
                    "followup", "add", "--case", &number, "--kind", "phone", "--text", text,
                ];
                scope.spawn(move || run_on(url, home, &args))
            })
            .collect();
        writers
            .into_iter()
            .map(|writer| writer.join().expect("a writer"))
            .collect()
    });
    for run in runs {
        run.ok().stdout_has("Recorded follow-up");
    }

    let listed = store.run(&["case", "list", "--format", "json"]).ok();
    let cases = json(&listed);
    let cases = cases.as_array().expect("a list of cases");
    assert_eq!(cases.len(), 1, "{listed}");
    assert_eq!(cases[0]["number"], number.as_str(), "{listed}");
    assert_eq!(cases[0]["customer"], "Ali Kazemi", "{listed}");

    let activity = store.run(&["report", "activity", "--format", "json"]).ok();
    let total = json(&activity)
        .as_array()
        .and_then(|rows| rows.iter().find(|row| row["expert"] == "Total").cloned())
        .unwrap_or_else(|| panic!("a total row:\n{activity}"));
    assert_eq!(
        total["followups"], WRITERS,
        "every writer's follow-up:\n{activity}"
    );
    let pipeline = store.run(&["report", "pipeline", "--format", "json"]).ok();
    let total = json(&pipeline)
        .as_array()
        .and_then(|rows| rows.iter().find(|row| row["status"] == "Total").cloned())
        .unwrap_or_else(|| panic!("a total row:\n{pipeline}"));
    assert_eq!(total["cases"], 1, "{pipeline}");
}

/// `peygir ARGS` on `url`, a run of its own in the folder `home`.
fn run_on(url: &str, home: &std::path::Path, args: &[&str]) -> Run {
    let mut command = binary::command(home, args);
    command.arg("--db").arg(url);
    Run::of(command, args)
}

#[test]
fn a_new_store_is_migrated_through_pgbouncer() {
    let Some(server) = pg::server() else {
        return;
    };
    let home = tempfile::Builder::new()
        .prefix("peygir-pgbouncer-migrate-")
        .tempdir()
        .expect("a home");
    let home = home.path();

    // By the admin's command.
    let database = server.empty_database();
    let Some(pooler) = pgbouncer::Pooler::start(&database, 1) else {
        return;
    };
    let url = pooler.url(&database);
    run_on(&url, home, &["db", "migrate"])
        .ok()
        .stdout_has("Applied");
    run_on(&url, home, &["db", "status"])
        .ok()
        .stdout_has("Pending migrations   none");

    // By sessions starting at once on a new store, more of them than server connections: each
    // migration is one transaction, and a session that finds one applied meanwhile goes on.
    let database = server.empty_database();
    let Some(pooler) = pgbouncer::Pooler::start(&database, 1) else {
        return;
    };
    let url = pooler.url(&database);
    let args = ["case", "list", "--format", "json"];
    let runs: Vec<Run> = std::thread::scope(|scope| {
        let sessions: Vec<_> = (0..3)
            .map(|_| scope.spawn(|| run_on(&url, home, &args)))
            .collect();
        sessions
            .into_iter()
            .map(|session| session.join().expect("a session"))
            .collect()
    });
    for run in runs {
        run.ok().stdout_has("[]");
    }
    run_on(&url, home, &["db", "status"])
        .ok()
        .stdout_has("Pending migrations   none");
}

#[test]
fn another_sessions_change_moves_the_token_through_pgbouncer() {
    // Two sessions, one server connection: both run every transaction on it in turn.
    let Some((mut store, actor)) = pooled(1, "pgbouncer-changes") else {
        return;
    };
    let mut other = db::connect(&StoreUrl::parse(&store.url)).expect("a second session");
    let mine = &mut store.db;
    let before = changes::token(mine).expect("token");
    assert_eq!(
        changes::token(mine).expect("token"),
        before,
        "nothing changed"
    );
    contacts::create(
        &mut other,
        &actor,
        ContactFields {
            kind: "person".into(),
            last_name: Some("Karimi".into()),
            ..ContactFields::default()
        },
    )
    .expect("a contact");
    let after = changes::token(mine).expect("token");
    assert_ne!(after, before, "another session's change is seen");
    assert_eq!(changes::token(mine).expect("token"), after, "and seen once");
}

#[test]
fn a_watch_behind_pgbouncer_reads_the_token_and_sees_another_sessions_change() {
    // `LISTEN` is accepted in transaction mode but nothing is heard there: the watch's probe is
    // lost, and it reads the token every second instead.
    let Some((mut store, actor)) = pooled(POOL, "pgbouncer-watch") else {
        return;
    };
    let url = StoreUrl::parse(&store.url);
    let mut other = db::connect(&url).expect("a second session");
    let mine = &mut store.db;
    let mut watch = Watch::new(mine, &url);
    crate::changes::settle(&mut watch, mine);
    assert!(!watch.listening(), "nothing is heard behind the pooler");
    crate::changes::add_contact(&mut other, &actor);
    crate::changes::heard_within(&mut watch, mine, Duration::from_secs(2))
        .expect("the change is reported within two seconds");
    assert!(!watch.changed_elsewhere(mine), "and reported once");
}
