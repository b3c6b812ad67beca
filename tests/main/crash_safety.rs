//! What a killed process leaves behind: each kind of write is all or nothing.
//!
//! Each operation is run once to its end, to learn how long it takes and what it adds to the
//! store; then the real binary is started again and again and killed with SIGKILL at a moment
//! spread evenly over that time. After each kill the store holds the operation's whole effect or
//! none of it, with every table's row count either as it was or as the whole operation leaves
//! it, the schema's indexes and constraints as migrated (a batch load drops and makes them again
//! in its transaction), SQLite's own checks passing, and the store opening and taking a new
//! write:
//!
//! - `peygir import contacts FILE`: every contact with its audit row and category filings, or
//!   none;
//! - `peygir demo`: the whole demo data, or an empty store that a new demo fills;
//! - `peygir followup add`: the follow-up, the case's new status (won, with its sale), the next
//!   action planned in it and the planned action it carried out, or none of them, and the case's
//!   next due time always that of its open planned actions;
//! - `peygir complaint move`: the complaint's status with its status-history step and its new
//!   deadline, or neither, and its number its own.
//!
//! [`KILLS`] kills per operation and backend keep the run short; `PEYGIR_CRASH_KILLS=200` runs
//! more by hand, and `PEYGIR_CRASH_SEED` picks other moments.

use std::collections::BTreeMap;
use std::fmt;
use std::os::unix::process::ExitStatusExt as _;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use peygir::db::ids::{CaseId, ComplaintId, ContactId, PlannedActionId};
use peygir::db::schema::{
    audit_log, case_statuses, cases, complaint_status_history, complaints, contact_categories,
    contacts, followups, number_sequences, planned_actions, sales,
};
use peygir::db::{self, Db, StoreUrl};
use peygir::domain::iran;
use peygir::store::cases::{CaseFields, ClosingInfo};
use peygir::store::complaints::ComplaintFields;
use peygir::store::contacts::ContactFields;
use peygir::store::followups::{FollowUpInput, NextAction, Subject};
use peygir::store::lookups::{self, List};
use peygir::store::users::{self, Resolved};
use peygir::store::{Actor, categories};

use crate::support::Backend;
use crate::support::binary::{self, Store};

/// How many times each operation is killed on each backend, unless `PEYGIR_CRASH_KILLS` says.
const KILLS: usize = 10;

/// The kill moments' seed, unless `PEYGIR_CRASH_SEED` says.
const SEED: u64 = 1405;

fn kills() -> usize {
    std::env::var("PEYGIR_CRASH_KILLS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(KILLS)
}

fn seed() -> u64 {
    std::env::var("PEYGIR_CRASH_SEED")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(SEED)
}

// ---------------------------------------------------------------------------------------------
// Kill moments

/// A small seeded generator (SplitMix64) of kill moments: the same seed, the same moments.
struct Moments(u64);

impl Moments {
    /// The moments of one test: the seed mixed with the test's name.
    fn for_test(seed: u64, name: &str) -> Moments {
        let mixed = name.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        Moments(mixed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A moment spread evenly over `[0, span)`.
    fn within(&mut self, span: Duration) -> Duration {
        let nanos = u64::try_from(span.as_nanos()).unwrap_or(u64::MAX).max(1);
        Duration::from_nanos(self.next() % nanos)
    }
}

// ---------------------------------------------------------------------------------------------
// What a store holds

/// Every table's row count.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Counts(BTreeMap<&'static str, i64>);

impl Counts {
    fn of(db: &mut Db) -> Counts {
        Counts(
            db::schema::TABLES
                .iter()
                .map(|&table| {
                    let n =
                        db::row_count(db, table).unwrap_or_else(|e| panic!("count {table}: {e}"));
                    (table, n)
                })
                .collect(),
        )
    }

    /// What a run added to each table, from `self` before it to `after`.
    fn added_by(&self, after: &Counts) -> Counts {
        Counts(
            after
                .0
                .iter()
                .map(|(&table, &n)| (table, n - self.0[table]))
                .collect(),
        )
    }

    /// These counts with `added` added to them.
    fn plus(&self, added: &Counts) -> Counts {
        Counts(
            self.0
                .iter()
                .map(|(&table, &n)| (table, n + added.0[table]))
                .collect(),
        )
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nonzero: Vec<String> = self
            .0
            .iter()
            .filter(|(_, n)| **n != 0)
            .map(|(table, n)| format!("{table} {n}"))
            .collect();
        f.write_str(&nonzero.join(", "))
    }
}

/// One index or constraint: its name and definition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, QueryableByName)]
struct SchemaObject {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    definition: String,
}

/// The store's tables, indexes and constraints as the backend describes them.
fn schema_objects(db: &mut Db) -> Vec<SchemaObject> {
    let sql = match db {
        Db::Sqlite(_) => {
            "SELECT type || ' ' || name AS name, COALESCE(sql, '') AS definition \
             FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY 1"
        }
        Db::Pg(_) => {
            "SELECT 'index ' || indexname::text AS name, indexdef AS definition \
             FROM pg_indexes WHERE schemaname = current_schema() \
             UNION ALL \
             SELECT 'constraint ' || conrelid::regclass::text || '.' || conname::text, \
                    pg_get_constraintdef(oid) \
             FROM pg_constraint WHERE connamespace = current_schema()::regnamespace \
             ORDER BY 1"
        }
    };
    diesel::sql_query(sql)
        .load(db)
        .unwrap_or_else(|e| panic!("read the schema: {e}"))
}

#[derive(QueryableByName)]
struct IntegrityCheck {
    #[diesel(sql_type = diesel::sql_types::Text)]
    integrity_check: String,
}

#[derive(QueryableByName)]
struct ForeignKeyProblem {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    rowid: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    parent: String,
}

/// The store's first admin: the login the binary runs as.
fn login_admin(db: &mut Db) -> Actor {
    match users::resolve_actor(db, &users::os_login()).expect("the first admin") {
        Resolved::FirstAdmin(actor) | Resolved::Existing(actor) => actor,
    }
}

/// A new store of `backend` whose first admin is the login the binary runs as.
fn new_store(backend: Backend, name: &str) -> Option<Store> {
    let mut store = Store::open(backend, name)?;
    login_admin(&mut store.db);
    Some(store)
}

/// Whether the store's whole effect of a run is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    None,
    Whole,
}

impl Effect {
    fn is_whole(self) -> bool {
        self == Effect::Whole
    }
}

/// The store opened again after a kill as a new session would: it opens (and is found
/// migrated), passes SQLite's own checks, has the schema it was migrated with, holds `before`
/// or `before` plus `added` in every table, and passes `check`; returns which of the two it
/// holds.
fn store_after_kill(
    url: &str,
    schema: &[SchemaObject],
    before: &Counts,
    added: &Counts,
    context: &str,
    check: impl FnOnce(&mut Db, Effect),
) -> Effect {
    let mut db = db::open(&StoreUrl::parse(url))
        .unwrap_or_else(|e| panic!("the store opens again: {e}\n{context}"));
    if let Db::Sqlite(_) = db {
        let integrity: Vec<IntegrityCheck> = diesel::sql_query("PRAGMA integrity_check")
            .load(&mut db)
            .expect("integrity check");
        let said: Vec<&str> = integrity
            .iter()
            .map(|r| r.integrity_check.as_str())
            .collect();
        assert_eq!(said, ["ok"], "PRAGMA integrity_check\n{context}");
        let broken: Vec<ForeignKeyProblem> = diesel::sql_query("PRAGMA foreign_key_check")
            .load(&mut db)
            .expect("foreign key check");
        let broken: Vec<String> = broken
            .iter()
            .map(|p| format!("{} row {:?} → {}", p.table, p.rowid, p.parent))
            .collect();
        assert!(
            broken.is_empty(),
            "PRAGMA foreign_key_check: {broken:?}\n{context}"
        );
    }
    assert_eq!(
        schema_objects(&mut db),
        schema,
        "the indexes and constraints are as migrated\n{context}"
    );
    let counts = Counts::of(&mut db);
    let whole = before.plus(added);
    let effect = if counts == *before {
        Effect::None
    } else if counts == whole {
        Effect::Whole
    } else {
        panic!(
            "part of the operation was stored:\nbefore: {before}\nwhole:  {whole}\nfound:  {counts}\n{context}"
        );
    };
    check(&mut db, effect);
    effect
}

/// A new write on the store after a kill, in a session of its own: a contact added.
fn takes_a_new_write(url: &str, context: &str) {
    let mut db = db::open(&StoreUrl::parse(url))
        .unwrap_or_else(|e| panic!("the store opens again: {e}\n{context}"));
    let admin = login_admin(&mut db);
    peygir::store::contacts::create(
        &mut db,
        &admin,
        ContactFields {
            kind: "person".into(),
            first_name: Some("Written".into()),
            last_name: Some("After a kill".into()),
            ..ContactFields::default()
        },
    )
    .unwrap_or_else(|e| panic!("the store takes a new write: {e}\n{context}"));
}

// ---------------------------------------------------------------------------------------------
// Running and killing the binary

/// `peygir ARGS --db STORE` started in the store's home, its output kept.
fn start(store: &Store, args: &[String]) -> Child {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut command = binary::command(store.home.path(), &args);
    command
        .arg("--db")
        .arg(&store.url)
        .current_dir(store.home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
        .spawn()
        .unwrap_or_else(|e| panic!("start peygir {}: {e}", args.join(" ")))
}

/// How a started run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// It exited by itself before the kill.
    Exited,
    /// The kill ended it.
    Killed,
}

/// A run that was started, waited on for `delay`, killed if still running, and reaped.
struct Ended {
    ending: Ending,
    context: String,
}

/// Starts `args` on `store`, kills it with SIGKILL after `delay` unless it ended by itself
/// (which then must have succeeded), and says how it ended.
fn run_and_kill(store: &Store, args: &[String], delay: Duration, attempt: usize) -> Ended {
    let mut child = start(store, args);
    std::thread::sleep(delay);
    // Sends SIGKILL; a child that has exited already but is not reaped yet is not touched.
    let _ = child.kill();
    let output = child.wait_with_output().expect("reap the child");
    let killed = output.status.signal() == Some(SIGKILL);
    let context = format!(
        "attempt {attempt}, killed after {delay:?}, {status}\npeygir {args}\n--- stdout\n{out}--- stderr\n{err}---",
        status = output.status,
        args = args.join(" "),
        out = String::from_utf8_lossy(&output.stdout),
        err = String::from_utf8_lossy(&output.stderr),
    );
    if !killed {
        assert!(
            output.status.success(),
            "a run that ended by itself failed\n{context}"
        );
    }
    Ended {
        ending: if killed {
            Ending::Killed
        } else {
            Ending::Exited
        },
        context,
    }
}

/// SIGKILL's number (9 on every Unix).
const SIGKILL: i32 = 9;

/// What the kills of one operation on one backend found.
#[derive(Debug, Default)]
struct Tally {
    /// The run had exited by itself (its whole effect stored).
    exited: usize,
    /// Killed before its transaction committed: nothing of it stored.
    killed_before_commit: usize,
    /// Of those, killed later than a run takes to open the store and resolve its user: most
    /// likely inside the operation's work (the moments of a run vary, so this is an estimate).
    killed_after_startup: usize,
    /// Killed after its transaction committed, before it exited: all of it stored.
    killed_after_commit: usize,
}

impl Tally {
    fn count(&mut self, ending: Ending, effect: Effect, context: &str) {
        match (ending, effect) {
            (Ending::Exited, Effect::Whole) => self.exited += 1,
            (Ending::Exited, Effect::None) => {
                panic!("a run that succeeded stored nothing\n{context}")
            }
            (Ending::Killed, Effect::None) => self.killed_before_commit += 1,
            (Ending::Killed, Effect::Whole) => self.killed_after_commit += 1,
        }
    }
}

/// An operation to kill: what it runs on, with what arguments, and what is true after it.
trait Operation {
    /// Its name in the summary line.
    const NAME: &'static str;

    /// The store attempt `attempt` runs on, made ready, and the run's arguments.
    fn prepare(&mut self, attempt: usize) -> (&Store, Vec<String>);

    /// What must hold of the store, for attempt `attempt`, given whether the run's whole effect
    /// is there; the counts and the schema are checked already.
    fn check(&self, db: &mut Db, attempt: usize, effect: Effect, context: &str);

    /// A new write on the store `url` after an attempt was checked (`effect` is what it left,
    /// `added` what a whole run adds): a contact added, unless the operation says otherwise.
    fn write_after(&mut self, url: &str, effect: Effect, added: &Counts, context: &str) {
        let _ = (effect, added);
        takes_a_new_write(url, context);
    }
}

/// `--lang en` and `args`.
fn in_english(args: Vec<String>) -> Vec<String> {
    ["--lang".to_string(), "en".to_string()]
        .into_iter()
        .chain(args)
        .collect()
}

/// Runs `operation` once to its end to learn how long it takes and what it adds, then
/// [`kills`] times killed at moments spread evenly over that time, checking the store after
/// each; prints what the kills found.
fn kill_at_random_moments<O: Operation>(backend: Backend, mut operation: O) {
    let test = format!("{} on {backend}", O::NAME);
    let mut moments = Moments::for_test(seed(), &test);

    // Once to its end: how long it takes and what it adds.
    let (store, args) = operation.prepare(0);
    let args = in_english(args);
    let mut db = db::connect(&StoreUrl::parse(&store.url)).expect("connect");
    let schema = schema_objects(&mut db);
    let before = Counts::of(&mut db);
    drop(db);
    let started = Instant::now();
    let run = Store::run(store, &args.iter().map(String::as_str).collect::<Vec<_>>()).ok();
    let took = started.elapsed();
    let mut db = db::connect(&StoreUrl::parse(&store.url)).expect("connect");
    let added = before.added_by(&Counts::of(&mut db));
    drop(db);
    // How long a run takes to open the store and resolve its user, for the summary: the median
    // of a few runs of a command that then finds nothing to show.
    let mut startups: Vec<Duration> = (0..5)
        .map(|_| {
            let started = Instant::now();
            Store::run(
                store,
                &["--lang", "en", "complaint", "show", "C-0000-00000"],
            )
            .expect_code(1);
            started.elapsed()
        })
        .collect();
    startups.sort();
    let startup = startups[startups.len() / 2];
    assert!(
        added.0.values().any(|&n| n > 0) && added.0.values().all(|&n| n >= 0),
        "a finished run adds rows: {added}\n{run}"
    );
    let url = store.url.clone();
    let context = format!("the run to its end\n{run}");
    store_after_kill(&url, &schema, &before, &added, &context, |db, effect| {
        assert!(effect.is_whole(), "{context}");
        operation.check(db, 0, effect, &context);
    });
    takes_a_new_write(&url, &context);

    let mut tally = Tally::default();
    for attempt in 1..=kills() {
        let delay = moments.within(took);
        let (store, args) = operation.prepare(attempt);
        let args = in_english(args);
        let url = store.url.clone();
        let mut db = db::connect(&StoreUrl::parse(&url)).expect("connect");
        let before = Counts::of(&mut db);
        drop(db);
        let ended = run_and_kill(store, &args, delay, attempt);
        let after_startup = delay >= startup;
        let context = format!("{test}, seed {}\n{}", seed(), ended.context);
        let effect = store_after_kill(&url, &schema, &before, &added, &context, |db, effect| {
            operation.check(db, attempt, effect, &context);
        });
        tally.count(ended.ending, effect, &context);
        if ended.ending == Ending::Killed && effect == Effect::None && after_startup {
            tally.killed_after_startup += 1;
        }
        operation.write_after(&url, effect, &added, &context);
    }
    eprintln!(
        "{test}: one run {took:.2?} (start-up {startup:.2?}); {kills} kills: {mid} mid-run \
         ({before} before its commit, {inside} of them after the start-up; {after} after its \
         commit), {exited} after it had exited",
        kills = kills(),
        mid = tally.killed_before_commit + tally.killed_after_commit,
        before = tally.killed_before_commit,
        inside = tally.killed_after_startup,
        after = tally.killed_after_commit,
        exited = tally.exited,
    );
}

// ---------------------------------------------------------------------------------------------
// (a) peygir import contacts

/// Contacts in the imported file.
const IMPORTED: usize = 3_000;

/// The category paths of row `i` of the imported file.
fn paths_of(i: usize) -> &'static [&'static str] {
    match i % 4 {
        0 => &["Customers/Tehran"],
        1 => &["Customers/Isfahan", "Newsletter"],
        2 => &["Suppliers"],
        _ => &[],
    }
}

/// A valid national code that starts with the nine digits of `first_nine`.
fn national_code(first_nine: u32) -> String {
    let text = format!("{first_nine:09}");
    let digits: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
    let first: [u8; 9] = digits.try_into().expect("nine digits");
    format!("{text}{}", iran::national_code_check_digit(&first))
}

/// The file: [`IMPORTED`] persons, each with a national code of their own, most of them filed
/// under one or two categories.
fn contacts_file() -> String {
    let mut text = String::from("kind,first_name,last_name,national_code,mobile,categories\n");
    for i in 0..IMPORTED {
        text.push_str(&format!(
            "person,Maryam,Kazemi {i},{},0912{:07},{}\n",
            national_code(100_100_000 + i as u32),
            i,
            paths_of(i).join("; "),
        ));
    }
    text
}

/// Each attempt imports the file into a new store.
struct ImportContacts {
    backend: Backend,
    store: Option<Store>,
}

impl Operation for ImportContacts {
    const NAME: &'static str = "peygir import contacts";

    fn prepare(&mut self, _attempt: usize) -> (&Store, Vec<String>) {
        let store = new_store(self.backend, "crash-import").expect("a store");
        let file = store.home.path().join("contacts.csv");
        std::fs::write(&file, contacts_file()).expect("write the file");
        let store = self.store.insert(store);
        let file = file.to_str().expect("UTF-8").to_string();
        (store, vec!["import".into(), "contacts".into(), file])
    }

    fn check(&self, db: &mut Db, _attempt: usize, effect: Effect, context: &str) {
        let whole = effect.is_whole();
        let stored: i64 = contacts::table.count().get_result(db).expect("count");
        assert_eq!(stored, if whole { IMPORTED as i64 } else { 0 }, "{context}");
        let audited: i64 = audit_log::table
            .filter(audit_log::entity.eq(peygir::store::contacts::ENTITY))
            .filter(audit_log::action.eq("create"))
            .count()
            .get_result(db)
            .expect("count");
        assert_eq!(
            audited, stored,
            "every contact has its audit row\n{context}"
        );
        let filings: usize = (0..IMPORTED).map(|i| paths_of(i).len()).sum();
        let filed: i64 = contact_categories::table
            .count()
            .get_result(db)
            .expect("count");
        assert_eq!(filed, if whole { filings as i64 } else { 0 }, "{context}");
        let filed_contacts = (0..IMPORTED).filter(|&i| !paths_of(i).is_empty()).count();
        let filings_audited: i64 = audit_log::table
            .filter(audit_log::entity.eq(categories::FILING_ENTITY))
            .count()
            .get_result(db)
            .expect("count");
        assert_eq!(
            filings_audited,
            if whole { filed_contacts as i64 } else { 0 },
            "every filing has its audit row\n{context}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// (b) peygir demo

/// The demo's sizes: small, so that a run takes a moment.
const DEMO: [&str; 7] = [
    "demo",
    "--contacts",
    "2000",
    "--cases",
    "1000",
    "--followups",
    "5000",
];

/// Each attempt fills a new store with the demo data; one left empty is filled again.
struct Demo {
    backend: Backend,
    store: Option<Store>,
}

impl Operation for Demo {
    const NAME: &'static str = "peygir demo";

    fn prepare(&mut self, _attempt: usize) -> (&Store, Vec<String>) {
        let store = self
            .store
            .insert(new_store(self.backend, "crash-demo").expect("a store"));
        (store, DEMO.iter().map(|a| a.to_string()).collect())
    }

    fn check(&self, db: &mut Db, _attempt: usize, effect: Effect, context: &str) {
        let runs: Vec<Option<String>> = audit_log::table
            .filter(audit_log::entity.eq(peygir::demo::ENTITY))
            .select(audit_log::new_values)
            .load(db)
            .expect("the demo's audit row");
        if !effect.is_whole() {
            assert!(runs.is_empty(), "{context}");
            return;
        }
        assert_eq!(runs.len(), 1, "one audit row for the run\n{context}");
        let summary: serde_json::Value =
            serde_json::from_str(runs[0].as_deref().unwrap_or("null")).expect("a summary");
        let stored: i64 = contacts::table.count().get_result(db).expect("count");
        assert_eq!(summary["contacts"], stored, "{context}");
        assert_eq!(stored, 2000, "{context}");
    }

    /// A store a kill left empty is filled by a new demo, whole; a whole one takes a contact.
    fn write_after(&mut self, url: &str, effect: Effect, added: &Counts, context: &str) {
        if effect.is_whole() {
            return takes_a_new_write(url, context);
        }
        let store = self.store.as_mut().expect("the store");
        let before = Counts::of(&mut store.db);
        let mut args = vec!["--lang", "en"];
        args.extend(DEMO);
        store.run(&args).ok().stdout_has("Demo data: 2000 contacts");
        let after = Counts::of(&mut store.db);
        assert_eq!(
            before.added_by(&after),
            *added,
            "the demo run again on the store a kill left empty is whole\n{context}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// (c) peygir followup add

/// A store with a customer, where each attempt opens a case, logs a first call planning to
/// send a quote, and then has the binary log the follow-up that wins the case, carries out the
/// quote and plans a thank-you call.
struct AddFollowUp {
    store: Store,
    admin: Actor,
    customer: ContactId,
    /// The case of the current attempt and its open planned action.
    case: Option<(CaseId, PlannedActionId)>,
}

impl AddFollowUp {
    fn new(backend: Backend) -> Option<AddFollowUp> {
        let mut store = new_store(backend, "crash-followup")?;
        let admin = login_admin(&mut store.db);
        let customer = customer(&mut store.db, &admin);
        Some(AddFollowUp {
            store,
            admin,
            customer,
            case: None,
        })
    }
}

/// Ali Kazemi, a customer.
fn customer(db: &mut Db, admin: &Actor) -> ContactId {
    peygir::store::contacts::create(
        db,
        admin,
        ContactFields {
            kind: "person".into(),
            first_name: Some("Ali".into()),
            last_name: Some("Kazemi".into()),
            ..ContactFields::default()
        },
    )
    .expect("a customer")
    .id
}

fn entry(db: &mut Db, list: List, code: &str) -> peygir::db::ids::LookupId {
    lookups::find(db, list, code)
        .expect("the list")
        .unwrap_or_else(|| panic!("{code} is in the list"))
        .id
}

impl Operation for AddFollowUp {
    const NAME: &'static str = "peygir followup add";

    fn prepare(&mut self, attempt: usize) -> (&Store, Vec<String>) {
        let db = &mut self.store.db;
        let case = peygir::store::cases::create(
            db,
            &self.admin,
            CaseFields {
                title: format!("Boilers {attempt}"),
                contact_id: Some(self.customer),
                expert_id: self.admin.id,
                ..CaseFields::default()
            },
        )
        .expect("a case");
        let (phone, call) = (
            entry(db, List::FollowupKind, "phone"),
            entry(db, List::ActionKind, "call"),
        );
        let first = peygir::store::followups::record(
            db,
            &self.admin,
            FollowUpInput {
                subject: Subject::Case(case.id),
                subject_version: None,
                kind_id: phone,
                happened_at: peygir::store::now(),
                expert_id: self.admin.id,
                minutes: 2,
                description: "Asked for a quote".into(),
                status_after_id: None,
                closing: ClosingInfo::default(),
                next: Some(NextAction {
                    kind_id: call,
                    description: "Send the quote".into(),
                    assignee_id: self.admin.id,
                    due_at: peygir::store::now() + chrono::Duration::days(5),
                    estimated_minutes: 10,
                }),
                completes: None,
            },
        )
        .expect("the first call");
        let action = first.next_action.expect("the quote to send").id;
        self.case = Some((case.id, action));
        let args = [
            "followup",
            "add",
            "--case",
            &case.number,
            "--kind",
            "phone",
            "--minutes",
            "4",
            "--text",
            &format!("Quote accepted {attempt}"),
            "--status",
            "won",
            "--won-amount",
            "250000000",
            "--completes",
            &action.to_string(),
            "--next-kind",
            "call",
            "--next-text",
            "Thank the customer",
            "--next-due",
            "+2d",
        ];
        (&self.store, args.iter().map(|a| a.to_string()).collect())
    }

    fn check(&self, db: &mut Db, attempt: usize, effect: Effect, context: &str) {
        let whole = effect.is_whole();
        let (case_id, quote) = self.case.expect("a case");
        let logged: Vec<i64> = followups::table
            .filter(followups::case_id.eq(case_id))
            .filter(followups::description.eq(format!("Quote accepted {attempt}")))
            .select(followups::id)
            .load(db)
            .expect("follow-ups");
        assert_eq!(logged.len(), usize::from(whole), "the follow-up\n{context}");
        let planned_in: Vec<Option<i64>> = planned_actions::table
            .filter(planned_actions::case_id.eq(case_id))
            .filter(planned_actions::description.eq("Thank the customer"))
            .select(planned_actions::planned_in_followup_id)
            .load(db)
            .expect("planned actions");
        assert_eq!(
            planned_in,
            logged.iter().map(|&id| Some(id)).collect::<Vec<_>>(),
            "the next action is planned in the follow-up, and only with it\n{context}"
        );
        let (status_id, won_amount, version): (i64, Option<i64>, i64) = cases::table
            .find(case_id)
            .select((cases::status_id, cases::won_amount, cases::version))
            .first(db)
            .expect("the case");
        let status: String = case_statuses::table
            .find(status_id)
            .select(case_statuses::code)
            .first(db)
            .expect("its status");
        let expected = if whole {
            ("won".to_string(), Some(250_000_000), 2)
        } else {
            ("new".to_string(), None, 1)
        };
        assert_eq!(
            (status, won_amount, version),
            expected,
            "the case's status changes with the follow-up\n{context}"
        );
        let sold: i64 = sales::table
            .filter(sales::case_id.eq(case_id))
            .count()
            .get_result(db)
            .expect("sales");
        assert_eq!(sold, i64::from(whole), "the sale of a won case\n{context}");
        let (status, done_by): (String, Option<i64>) = planned_actions::table
            .find(quote)
            .select((
                planned_actions::status,
                planned_actions::done_by_followup_id,
            ))
            .first(db)
            .expect("the quote to send");
        let expected = if whole {
            ("done".to_string(), logged.first().copied())
        } else {
            ("open".to_string(), None)
        };
        assert_eq!(
            (status, done_by),
            expected,
            "the planned action is carried out by the follow-up\n{context}"
        );
        every_case_is_due_when_its_open_actions_are(db, context);
    }
}

/// Each case's next due time is the earliest of its open planned actions.
fn every_case_is_due_when_its_open_actions_are(db: &mut Db, context: &str) {
    let shown: Vec<(i64, Option<NaiveDateTime>)> = cases::table
        .select((cases::id, cases::next_due_at))
        .order(cases::id)
        .load(db)
        .expect("cases");
    let open: Vec<(Option<i64>, NaiveDateTime)> = planned_actions::table
        .filter(planned_actions::status.eq("open"))
        .filter(planned_actions::case_id.is_not_null())
        .select((planned_actions::case_id, planned_actions::due_at))
        .load(db)
        .expect("open actions");
    let mut earliest: BTreeMap<i64, NaiveDateTime> = BTreeMap::new();
    for (case, due) in open {
        let case = case.expect("a case");
        let at = earliest.entry(case).or_insert(due);
        *at = (*at).min(due);
    }
    for (case, due) in shown {
        assert_eq!(
            due,
            earliest.get(&case).copied(),
            "case {case}'s next due time is that of its open planned actions\n{context}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// (d) peygir complaint move

/// A store with a customer, where each attempt records a complaint and has the binary
/// acknowledge it: its status, a history step, the response deadline withdrawn and the
/// resolution deadline planned.
struct MoveComplaint {
    store: Store,
    admin: Actor,
    customer: ContactId,
    complaint: Option<ComplaintId>,
}

impl MoveComplaint {
    fn new(backend: Backend) -> Option<MoveComplaint> {
        let mut store = new_store(backend, "crash-complaint")?;
        let admin = login_admin(&mut store.db);
        let customer = customer(&mut store.db, &admin);
        Some(MoveComplaint {
            store,
            admin,
            customer,
            complaint: None,
        })
    }
}

impl Operation for MoveComplaint {
    const NAME: &'static str = "peygir complaint move";

    fn prepare(&mut self, attempt: usize) -> (&Store, Vec<String>) {
        let complaint = peygir::store::complaints::create(
            &mut self.store.db,
            &self.admin,
            ComplaintFields {
                title: format!("Late delivery {attempt}"),
                description: "The boiler came a week late".into(),
                contact_id: self.customer,
                expert_id: self.admin.id,
                ..ComplaintFields::default()
            },
        )
        .expect("a complaint");
        self.complaint = Some(complaint.id);
        let args = [
            "complaint",
            "move",
            &complaint.number,
            "acknowledged",
            "--note",
            "Called the customer back",
        ];
        (&self.store, args.iter().map(|a| a.to_string()).collect())
    }

    fn check(&self, db: &mut Db, _attempt: usize, effect: Effect, context: &str) {
        let whole = effect.is_whole();
        let id = self.complaint.expect("a complaint");
        let (status, version, acknowledged): (String, i64, Option<NaiveDateTime>) =
            complaints::table
                .find(id)
                .select((
                    complaints::status,
                    complaints::version,
                    complaints::acknowledged_at,
                ))
                .first(db)
                .expect("the complaint");
        assert_eq!(
            (status.as_str(), version, acknowledged.is_some()),
            if whole {
                ("acknowledged", 2, true)
            } else {
                ("received", 1, false)
            },
            "{context}"
        );
        let steps: Vec<(Option<String>, String)> = complaint_status_history::table
            .filter(complaint_status_history::complaint_id.eq(id))
            .order(complaint_status_history::id)
            .select((
                complaint_status_history::from_status,
                complaint_status_history::to_status,
            ))
            .load(db)
            .expect("its history");
        let mut expected = vec![(None, "received".to_string())];
        if whole {
            expected.push((Some("received".into()), "acknowledged".into()));
        }
        assert_eq!(steps, expected, "its status history\n{context}");
        every_complaint_is_where_its_history_took_it(db, context);
        numbers_are_unique(db, context);
    }
}

/// Each complaint's history runs without a gap from `received` to the status it has.
fn every_complaint_is_where_its_history_took_it(db: &mut Db, context: &str) {
    let statuses: Vec<(i64, String)> = complaints::table
        .select((complaints::id, complaints::status))
        .load(db)
        .expect("complaints");
    let steps: Vec<(i64, Option<String>, String)> = complaint_status_history::table
        .order((
            complaint_status_history::complaint_id,
            complaint_status_history::id,
        ))
        .select((
            complaint_status_history::complaint_id,
            complaint_status_history::from_status,
            complaint_status_history::to_status,
        ))
        .load(db)
        .expect("history");
    let mut reached: BTreeMap<i64, String> = BTreeMap::new();
    for (complaint, from, to) in steps {
        assert_eq!(
            from.as_ref(),
            reached.get(&complaint),
            "complaint {complaint}'s step to {to} starts where the one before ended\n{context}"
        );
        reached.insert(complaint, to);
    }
    for (complaint, status) in statuses {
        assert_eq!(
            reached.get(&complaint),
            Some(&status),
            "complaint {complaint}'s status is where its history took it\n{context}"
        );
    }
}

/// Every case and complaint number is given once, and each numbering scope has given exactly
/// as many as are stored.
fn numbers_are_unique(db: &mut Db, context: &str) {
    let mut given: Vec<String> = complaints::table
        .select(complaints::number)
        .load(db)
        .expect("numbers");
    given.extend(
        cases::table
            .select(cases::number)
            .load::<String>(db)
            .expect("numbers"),
    );
    let count = given.len();
    given.sort();
    given.dedup();
    assert_eq!(given.len(), count, "numbers given twice\n{context}");
    let last: i64 = number_sequences::table
        .select(number_sequences::last_value)
        .load::<i64>(db)
        .expect("the numbering scopes")
        .into_iter()
        .sum();
    assert_eq!(
        last, count as i64,
        "numbers taken but not stored\n{context}"
    );
}

// ---------------------------------------------------------------------------------------------
// The tests

/// Whether stores of `backend` can be had (PostgreSQL may be missing outside CI).
fn available(backend: Backend) -> bool {
    backend == Backend::Sqlite || crate::support::pg::server().is_some()
}

/// Writes each test once for both backends, as `name::sqlite` and `name::postgres`.
macro_rules! on_both_backends {
    ($($(#[$doc:meta])* fn $name:ident($backend:ident) $body:block)*) => {
        $(
            $(#[$doc])*
            mod $name {
                use super::*;

                fn body($backend: Backend) $body

                #[test]
                fn sqlite() {
                    body(Backend::Sqlite);
                }

                #[test]
                fn postgres() {
                    body(Backend::Postgres);
                }
            }
        )*
    };
}

on_both_backends! {
    /// An import killed at any moment stores every contact of the file, with its audit row and
    /// its category filings, or none of them.
    fn an_import_killed_at_any_moment_stores_every_contact_or_none(backend) {
        if available(backend) {
            kill_at_random_moments(backend, ImportContacts { backend, store: None });
        }
    }

    /// A demo killed at any moment leaves the whole demo data or an empty store, which a new
    /// demo then fills.
    fn a_demo_killed_at_any_moment_is_whole_or_absent(backend) {
        if available(backend) {
            kill_at_random_moments(backend, Demo { backend, store: None });
        }
    }

    /// A follow-up killed at any moment is logged with the case's new status, its sale, the
    /// planned action it carried out and the next action planned in it, or none of them is; the
    /// case is due when its open planned actions are.
    fn a_followup_killed_at_any_moment_is_logged_with_its_status_and_next_action_or_not_at_all(backend) {
        if let Some(operation) = AddFollowUp::new(backend) {
            kill_at_random_moments(backend, operation);
        }
    }

    /// A complaint move killed at any moment changes the status with its history step and
    /// deadlines, or changes nothing; numbers stay unique.
    fn a_complaint_move_killed_at_any_moment_changes_status_and_history_together(backend) {
        if let Some(operation) = MoveComplaint::new(backend) {
            kill_at_random_moments(backend, operation);
        }
    }
}
