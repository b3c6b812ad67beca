//! How an idle screen learns of another session's change, on both backends: the change token
//! stays put while nothing changes and moves when another connection commits a change, and a
//! [`changes::Watch`] reports that change once, within two seconds. On PostgreSQL the watch is
//! told by a notice rather than reading the token every second; a watch that stops hearing goes
//! back to reading it.

use std::time::{Duration, Instant};

use peygir::db::{self, Db, StoreUrl};
use peygir::store::Actor;
use peygir::store::changes::{self, Watch};
use peygir::store::contacts::{self, ContactFields};

use crate::support::binary;
use crate::support::{Backend, admin};

/// How soon a screen must show another session's change.
const WITHIN: Duration = Duration::from_secs(2);

struct Setup {
    store: binary::Store,
    backend: Backend,
}

fn setup(backend: Backend) -> Option<Setup> {
    Some(Setup {
        store: binary::Store::open(backend, "changes")?,
        backend,
    })
}

/// Another session adds a contact.
pub(crate) fn add_contact(db: &mut Db, actor: &Actor) {
    contacts::create(
        db,
        actor,
        ContactFields {
            kind: "person".into(),
            last_name: Some("Karimi".into()),
            ..ContactFields::default()
        },
    )
    .expect("a contact");
}

/// Asks `watch` as an idle screen does, at the pace it sets, until it reports a change or
/// `within` has passed; how long that took.
pub(crate) fn heard_within(watch: &mut Watch, db: &mut Db, within: Duration) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < within {
        std::thread::sleep(watch.wait());
        if watch.changed_elsewhere(db) {
            return Some(start.elapsed());
        }
    }
    None
}

/// Lets `watch` open its ear and hear its probe (or give it up), with nothing changing.
pub(crate) fn settle(watch: &mut Watch, db: &mut Db) {
    let start = Instant::now();
    while start.elapsed() < changes::PROBE_WAIT + Duration::from_millis(500) {
        std::thread::sleep(watch.wait());
        assert!(!watch.changed_elsewhere(db), "nothing changed yet");
    }
}

cli_tests! {
    fn another_sessions_change_moves_the_token(s) {
        let mut other = db::connect(&StoreUrl::parse(&s.store.url)).expect("a second session");
        let actor = admin(&mut other);
        let mine = &mut s.store.db;
        let before = changes::token(mine).expect("token");
        assert_eq!(changes::token(mine).expect("token"), before, "nothing changed");
        add_contact(&mut other, &actor);
        let after = changes::token(mine).expect("token");
        assert_ne!(after, before, "another session's change is seen");
        assert_eq!(changes::token(mine).expect("token"), after, "and seen once");
    }

    fn a_watch_reports_another_sessions_change_once_within_two_seconds(s) {
        let url = StoreUrl::parse(&s.store.url);
        let mut other = db::connect(&url).expect("a second session");
        let actor = admin(&mut other);
        let mine = &mut s.store.db;
        let mut watch = Watch::new(mine, &url);
        settle(&mut watch, mine);
        // On PostgreSQL the watch is told of changes; SQLite has no one to tell it.
        assert_eq!(watch.listening(), s.backend == Backend::Postgres);

        add_contact(&mut other, &actor);
        let took = heard_within(&mut watch, mine, WITHIN).expect("the change is reported");
        assert!(!watch.changed_elsewhere(mine), "and reported once");
        assert_eq!(watch.listening(), s.backend == Backend::Postgres, "still listening");
        if watch.listening() {
            // Told, the screen hears of it at its next look, not at the next second.
            assert!(took < Duration::from_millis(900), "heard after {took:?}");
        }

        // What this session does itself is not news.
        add_contact(mine, &actor);
        watch.saw_own_changes(mine);
        assert_eq!(heard_within(&mut watch, mine, Duration::from_millis(1500)), None);
    }
}

#[test]
fn a_watch_whose_ear_falls_silent_reads_the_token_again() {
    let Some(mut store) = binary::Store::open(Backend::Postgres, "changes-silent") else {
        return;
    };
    let url = StoreUrl::parse(&store.url);
    let mut other = db::connect(&url).expect("a second session");
    let actor = admin(&mut other);
    let mine = &mut store.db;
    let mut watch = Watch::new(mine, &url);
    settle(&mut watch, mine);
    assert!(watch.listening());
    // The ear's connection is cut, as when the server restarts: the watch notices at its next
    // look and reads the token every second from then on.
    diesel::RunQueryDsl::execute(
        diesel::sql_query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE query LIKE 'LISTEN%' AND datname = current_database() \
               AND pid <> pg_backend_pid()",
        ),
        &mut other,
    )
    .expect("the ear cut");
    add_contact(&mut other, &actor);
    heard_within(&mut watch, mine, WITHIN).expect("the change is still reported");
    assert!(!watch.listening());
    add_contact(&mut other, &actor);
    heard_within(&mut watch, mine, WITHIN).expect("and the next one");
}
