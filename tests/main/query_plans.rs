//! Every list and search the screens show reads through an index, on both backends.
//!
//! A store is filled with a small demo, the statements the store runs are recorded (diesel's
//! instrumentation), and the reads behind each list, search, page, count and report are made as
//! the screens and the command line make them ([`screen_reads`]). Each `SELECT` recorded is then
//! handed back to the backend for its plan: SQLite's `EXPLAIN QUERY PLAN` (the `?` left unbound),
//! and PostgreSQL's generic plan of the statement prepared as it is (`EXPLAIN EXECUTE` with a
//! `NULL` for every parameter) with `enable_seqscan` off, so that a `Seq Scan` left in the plan
//! means no index could serve it.
//!
//! A plan fails when it reads a whole table that grows with the business (contacts, cases,
//! follow-ups, planned actions, complaints, the audit log, sales, category memberships, …):
//! SQLite's `SCAN t` without an index, PostgreSQL's `Seq Scan on t`. The small reference tables
//! may be read whole ([`SMALL_TABLES`]). A read that is whole by its nature is allowed by the
//! names of the reads and the table, with the reason ([`WHOLE_BY_NATURE`]), and so is a list no
//! index serves yet, with what would ([`UNSERVED`]); an allowance no longer needed fails too.
//!
//! What it does not see: a walk of a whole index (SQLite's `SCAN t USING INDEX i`, PostgreSQL's
//! index scan without an index condition) passes, as it does for a page read in the index's
//! order that stops at the page's end.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{Days, NaiveDateTime, Utc};
use diesel::connection::{Connection, InstrumentationEvent, SimpleConnection};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

use peygir::db::{Db, StoreUrl};
use peygir::demo::{self, DemoOptions};
use peygir::report::{self, Filters};
use peygir::store::audit::{self, AuditFilter};
use peygir::store::cases::{self, CaseFilter, Importance};
use peygir::store::complaints::{self, ComplaintFilter, ComplaintStatus};
use peygir::store::contacts::{self, ContactFilter};
use peygir::store::followups::{self, FollowUpFilter, Subject};
use peygir::store::lookups::{self, List};
use peygir::store::sla::{self, Severity};
use peygir::store::statuses::{self, Outcome};
use peygir::store::{
    self as store, Actor, categories, inbox, org_units, planned, plans, sales, users,
};

use crate::support::{Backend, admin};

/// The tables that stay small whatever the business does (a few to a few hundred rows, entered
/// by hand): read whole, they cost next to nothing, and an index would not be used anyway.
const SMALL_TABLES: &[&str] = &[
    // The reference lists (channels, kinds, regions, …) and the case statuses and their
    // transitions.
    "lookups",
    "case_statuses",
    "case_status_transitions",
    // The team and its organisational units.
    "users",
    "org_units",
    // The category tree is a tree of names: tens of nodes (its memberships are not small).
    "categories",
    // Service levels, the working week and the holidays.
    "sla_policies",
    "working_hours",
    "holidays",
    // Sales plans and their lines: a few a year.
    "sales_plans",
    "plan_lines",
    // One row per numbering scope (a year of case or complaint numbers).
    "number_sequences",
];

/// The backends an allowance holds on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum On {
    Both,
    Sqlite,
}

impl On {
    fn holds(self, backend: Backend) -> bool {
        self == On::Both || backend == Backend::Sqlite
    }
}

/// A big table some reads go through whole, allowed: every read that runs the statement must be
/// named.
struct Allowed {
    /// The reads, as [`screen_reads`] names them.
    reads: &'static [&'static str],
    table: &'static str,
    on: On,
}

/// The reads that go through a big table whole by their nature, each with the reason.
const WHOLE_BY_NATURE: &[Allowed] = &[
    // The list's title counts every contact on file that is not archived. An index on
    // `archived` would have SQLite sort the whole list for every page instead of walking the
    // names' index, and one on (archived, display_name, id) makes the search's count read the
    // contacts in name order, several times slower than reading the table.
    Allowed {
        reads: &["contacts: list"],
        table: "contacts",
        on: On::Both,
    },
    // A search finds each word typed anywhere in a search key (`LIKE '%word%'` over the
    // Persian-normalised name, mobile, phone, national code, company ID and e-mail). The
    // contacts' trigram index (SQLite's `contacts_search`, PostgreSQL's
    // `contacts_search_trgm_idx`) finds the words of three characters or more; a shorter word
    // holds no trigram, so a search of short words alone reads every contact's key (the count
    // reads them all; a page walks the names' index until it has a page of matches). On
    // PostgreSQL too, though its generic plan, made for any word, goes through the index.
    Allowed {
        reads: &["contacts: search by a short word"],
        table: "contacts",
        on: On::Sqlite,
    },
    // The case search finds the words in the case's number and title (read whole), and in its
    // customers' search keys through the contacts' trigram index (the customers' ids read once
    // for the page, `contacts::holding`).
    Allowed {
        reads: &["cases: search by number", "cases: search by customer"],
        table: "cases",
        on: On::Both,
    },
    // The complaint search: the words in the number, the title or the customer's search key
    // (the customers read as the case search reads them).
    Allowed {
        reads: &[
            "complaints: search by number",
            "complaints: search by customer",
        ],
        table: "complaints",
        on: On::Both,
    },
    // The log newest first, a page at a time: SQLite walks the table's own B-tree (its rowid,
    // the id) backwards and stops at the page's end, as PostgreSQL walks `audit_log_pkey`.
    Allowed {
        reads: &["audit: log"],
        table: "audit_log",
        on: On::Sqlite,
    },
    // Reports over every record on file (no range of days, no expert; the contact reports take
    // no unit): each is a sum over the whole table.
    Allowed {
        reads: &["report referrers"],
        table: "cases",
        on: On::Both,
    },
    Allowed {
        reads: &["report complaint-service"],
        table: "complaints",
        on: On::Both,
    },
    Allowed {
        reads: &[
            "report contact-base",
            "report contact-base: unit",
            "report new-contacts",
            "report new-contacts: unit",
        ],
        table: "contacts",
        on: On::Both,
    },
];

/// Reads of the screens that go through a big table whole and should not: no index serves them
/// as they are written. Each says what would. An entry taken out holds its reads to an index.
const UNSERVED: &[Allowed] = &[
    // The log since a moment, newest first by id: SQLite walks the whole log backwards, from the
    // newest entry down, when fewer than a page are that recent (PostgreSQL walks
    // `audit_log_pkey` the same way, with the time as a filter). Ordered by the time, it would
    // seek `audit_log_at_idx`.
    Allowed {
        reads: &["audit: since"],
        table: "audit_log",
        on: On::Sqlite,
    },
];

/// What the backend says of one statement: its plan, a line per step.
struct Plan {
    lines: Vec<String>,
    /// The big tables it reads whole.
    scanned: BTreeSet<String>,
}

/// One statement's plan on SQLite: `EXPLAIN QUERY PLAN` with its parameters unbound.
#[derive(QueryableByName)]
struct SqliteStep {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Integer)]
    parent: i32,
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

/// The names our tables go by in `sql` (`FROM followups f`, `contact_categories AS again`), each
/// with its table: SQLite's plan names a table by its alias.
fn aliases(sql: &str) -> BTreeMap<String, String> {
    const NOT_AN_ALIAS: &[&str] = &[
        "WHERE", "ON", "JOIN", "INNER", "LEFT", "RIGHT", "CROSS", "FULL", "NATURAL", "GROUP",
        "ORDER", "LIMIT", "HAVING", "UNION", "USING", "SET", "WINDOW",
    ];
    let words: Vec<&str> = sql
        .split(|c: char| c.is_whitespace() || "`\"(),;".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    let mut found = BTreeMap::new();
    for (i, pair) in words.windows(2).enumerate() {
        let [before, table] = pair else { continue };
        if !matches!(before.to_ascii_uppercase().as_str(), "FROM" | "JOIN")
            || !peygir::db::schema::TABLES.contains(table)
        {
            continue;
        }
        let alias = match words.get(i + 2) {
            Some(word) if word.eq_ignore_ascii_case("AS") => words.get(i + 3),
            other => other,
        };
        if let Some(alias) = alias
            && !NOT_AN_ALIAS.contains(&alias.to_ascii_uppercase().as_str())
        {
            found.insert(alias.to_string(), table.to_string());
        }
    }
    found
}

/// Whether `name` is one of our tables (not a view of a `WITH`, a subquery or an alias of one)
/// that grows with the business.
fn is_big(name: &str) -> bool {
    peygir::db::schema::TABLES.contains(&name) && !SMALL_TABLES.contains(&name)
}

fn sqlite_plan(db: &mut Db, sql: &str) -> Plan {
    let Db::Sqlite(conn) = db else {
        unreachable!("a SQLite store")
    };
    let steps: Vec<SqliteStep> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
        .load(conn)
        .unwrap_or_else(|e| panic!("EXPLAIN QUERY PLAN {sql}: {e}"));
    let aliases = aliases(sql);
    let mut depth: BTreeMap<i32, usize> = BTreeMap::new();
    let mut lines = Vec::new();
    let mut scanned = BTreeSet::new();
    for step in &steps {
        let level = depth.get(&step.parent).map_or(0, |d| d + 1);
        depth.insert(step.id, level);
        lines.push(format!("{}{}", "  ".repeat(level), step.detail));
        // `SCAN t`, `SCAN t USING INDEX i`, `SCAN t USING COVERING INDEX i` (`t` the table or its
        // alias): only the first reads the rows of the table itself, all of them.
        if let Some(rest) = step.detail.strip_prefix("SCAN ") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            let reads_index = words.windows(2).any(|w| w == ["USING", "INDEX"])
                || words
                    .windows(3)
                    .any(|w| w == ["USING", "COVERING", "INDEX"]);
            let table = aliases.get(words[0]).map_or(words[0], String::as_str);
            if !reads_index && is_big(table) {
                scanned.insert(table.to_string());
            }
        }
    }
    Plan { lines, scanned }
}

/// The number of parameters `$1…$n` a PostgreSQL statement takes.
fn parameters(sql: &str) -> usize {
    let bytes = sql.as_bytes();
    let mut most = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let digits: String = sql[i + 1..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if let Ok(n) = digits.parse::<usize>() {
                most = most.max(n);
            }
            i += 1 + digits.len();
        } else {
            i += 1;
        }
    }
    most
}

/// The values diesel bound, as its note of them shows them (`[1, "open", [2, 3], Some(4)]`),
/// one text per parameter.
fn bound_values(binds: &str) -> Vec<String> {
    let inner = binds
        .trim()
        .strip_prefix('[')
        .and_then(|b| b.strip_suffix(']'))
        .unwrap_or_default();
    let mut values = Vec::new();
    let (mut current, mut depth, mut quoted, mut escaped) = (String::new(), 0, false, false);
    for c in inner.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '[' | '(' | '{' if !quoted => depth += 1,
            ']' | ')' | '}' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                values.push(std::mem::take(&mut current).trim().to_string());
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        values.push(current.trim().to_string());
    }
    values
}

/// The parameter types to prepare a statement with when PostgreSQL cannot tell them all from the
/// statement alone (a number bound as the `THEN` of a `CASE` that is summed): a whole number
/// bound is a `bigint`, any other left for PostgreSQL to work out.
fn parameter_types(binds: &str) -> Vec<&'static str> {
    bound_values(binds)
        .iter()
        .map(|value| {
            let value = value
                .strip_prefix("Some(")
                .and_then(|v| v.strip_suffix(')'))
                .unwrap_or(value);
            if value.parse::<i64>().is_ok() {
                "bigint"
            } else {
                "unknown"
            }
        })
        .collect()
}

fn pg_plan(db: &mut Db, sql: &str, binds: &str) -> Plan {
    let Db::Pg(conn) = db else {
        unreachable!("a PostgreSQL store")
    };
    if conn
        .batch_execute(&format!("PREPARE peygir_plan AS {sql}"))
        .is_err()
    {
        let types = parameter_types(binds).join(", ");
        conn.batch_execute(&format!("PREPARE peygir_plan ({types}) AS {sql}"))
            .unwrap_or_else(|e| panic!("PREPARE ({types}) {sql}: {e}"));
    }
    let nulls = vec!["NULL"; parameters(sql)].join(", ");
    let execute = if nulls.is_empty() {
        "EXPLAIN EXECUTE peygir_plan".to_string()
    } else {
        format!("EXPLAIN EXECUTE peygir_plan({nulls})")
    };
    let explained: QueryResult<Vec<PgLine>> = diesel::sql_query(execute).load(conn);
    conn.batch_execute("DEALLOCATE peygir_plan")
        .expect("deallocate the statement");
    let lines: Vec<String> = explained
        .unwrap_or_else(|e| panic!("EXPLAIN {sql}: {e}"))
        .into_iter()
        .map(|l| l.line)
        .collect();
    let mut scanned = BTreeSet::new();
    for line in &lines {
        if let Some(at) = line.find("Seq Scan on ") {
            // `Seq Scan on followups f`: the table, then its alias.
            let table = line[at + "Seq Scan on ".len()..]
                .split_whitespace()
                .next()
                .unwrap_or_default();
            if is_big(table) {
                scanned.insert(table.to_string());
            }
        }
    }
    Plan { lines, scanned }
}

/// Records the statements a read runs, and checks their plans.
struct Reads<'a> {
    db: &'a mut Db,
    backend: Backend,
    recording: Arc<AtomicBool>,
    log: Arc<Mutex<Vec<(String, String)>>>,
    /// Statement, the values it was first run with (as diesel notes them), and the reads that ran
    /// it, in the order first seen.
    statements: Vec<(String, String, BTreeSet<String>)>,
}

impl<'a> Reads<'a> {
    fn new(db: &'a mut Db, backend: Backend) -> Reads<'a> {
        let recording = Arc::new(AtomicBool::new(false));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (on, into) = (recording.clone(), log.clone());
        db.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { query, .. } = event
                && on.load(Ordering::SeqCst)
            {
                // The statement as the backend gets it, without diesel's note of the values.
                let text = query.to_string();
                let (sql, binds) = text.split_once(" -- binds: ").unwrap_or((&text, "[]"));
                into.lock()
                    .expect("the log")
                    .push((sql.to_string(), binds.to_string()));
            }
        });
        Reads {
            db,
            backend,
            recording,
            log,
            statements: Vec::new(),
        }
    }

    /// Runs one read of a screen, named `name`, recording its statements.
    fn read<T>(&mut self, name: &str, run: impl FnOnce(&mut Db) -> peygir::error::Result<T>) -> T {
        let name = name.to_string();
        self.recording.store(true, Ordering::SeqCst);
        let result = run(self.db);
        self.recording.store(false, Ordering::SeqCst);
        let result = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        let ran = std::mem::take(&mut *self.log.lock().expect("the log"));
        assert!(!ran.is_empty(), "{name} ran no statement");
        for (sql, binds) in ran {
            match self.statements.iter_mut().find(|(s, _, _)| *s == sql) {
                Some((_, _, names)) => {
                    names.insert(name.clone());
                }
                None => self
                    .statements
                    .push((sql, binds, BTreeSet::from([name.clone()]))),
            }
        }
        result
    }

    /// The plans of every `SELECT` recorded that reads a big table whole unless allowed, and the
    /// allowances no statement needed.
    fn problems(&mut self) -> Vec<String> {
        let statements = std::mem::take(&mut self.statements);
        if let Db::Pg(conn) = &mut *self.db {
            conn.batch_execute(
                "SET enable_seqscan = off; SET plan_cache_mode = force_generic_plan;",
            )
            .expect("planner settings");
        }
        let mut found = Vec::new();
        let mut used: BTreeSet<(String, String)> = BTreeSet::new();
        for (sql, binds, names) in statements {
            let head = sql.trim_start().to_ascii_uppercase();
            if !(head.starts_with("SELECT") || head.starts_with("WITH")) {
                continue;
            }
            let plan = match self.backend {
                Backend::Sqlite => sqlite_plan(self.db, &sql),
                Backend::Postgres => pg_plan(self.db, &sql, &binds),
            };
            let mut not_allowed = Vec::new();
            for table in &plan.scanned {
                let allowance = WHOLE_BY_NATURE.iter().chain(UNSERVED).find(|a| {
                    a.table == table
                        && a.on.holds(self.backend)
                        && names.iter().all(|name| a.reads.contains(&name.as_str()))
                });
                match allowance {
                    Some(_) => used.extend(names.iter().map(|name| (name.clone(), table.clone()))),
                    None => not_allowed.push(table.as_str()),
                }
            }
            if !not_allowed.is_empty() {
                found.push(format!(
                    "{} read {} whole:\n  {sql}\n  {}",
                    names.iter().cloned().collect::<Vec<_>>().join(", "),
                    not_allowed.join(", "),
                    plan.lines.join("\n  ")
                ));
            }
        }
        // An allowance nothing needs any more is taken out, so that its reads are held to an
        // index from then on.
        for allowance in WHOLE_BY_NATURE.iter().chain(UNSERVED) {
            if !allowance.on.holds(self.backend) {
                continue;
            }
            for read in allowance.reads {
                if !used.contains(&(read.to_string(), allowance.table.to_string())) {
                    found.push(format!(
                        "{read} is allowed to read {} whole and no longer does: take it out of \
                         the allowances",
                        allowance.table
                    ));
                }
            }
        }
        found
    }
}

/// A store with the demo's data: 300 contacts, 300 cases, 1,000 follow-ups and what comes with
/// them (planned actions, complaints, sales, plans).
fn fill(db: &mut Db) -> Actor {
    store::ensure_defaults(db).expect("the defaults");
    let actor = admin(db);
    let options = DemoOptions {
        contacts: 300,
        cases: 300,
        followups: 1_000,
        seed: 1405,
    };
    demo::run(db, &actor, &options, &StoreUrl::Sqlite("demo".into())).expect("the demo");
    actor
}

/// What the reads look for: a contact, a case, a complaint, an expert with an inbox, … as the
/// demo made them.
struct Sample {
    contact: contacts::Contact,
    name_word: String,
    case: cases::CaseRow,
    complaint: complaints::ComplaintRow,
    expert: users::User,
}

fn sample(db: &mut Db) -> Sample {
    let rows = contacts::page(db, &ContactFilter::default(), None, 300).expect("contacts");
    let contact = rows
        .iter()
        .map(|r| contacts::get(db, r.id).expect("a contact"))
        .find(|c| c.fields.national_code.is_some() && c.fields.mobile.is_some())
        .expect("a person with a national code and a mobile");
    let name_word = contact
        .fields
        .last_name
        .clone()
        .expect("a person's last name");
    let case = cases::page(db, &CaseFilter::default(), None, 1)
        .expect("cases")
        .remove(0);
    let complaint = complaints::page(db, &ComplaintFilter::default(), None, 1)
        .expect("complaints")
        .remove(0);
    let mut busiest = None;
    for user in users::experts(db).expect("experts") {
        let open = inbox::count(db, user.id).expect("an inbox");
        if busiest.as_ref().is_none_or(|(most, _)| open > *most) {
            busiest = Some((open, user));
        }
    }
    let (open, expert) = busiest.expect("an expert");
    assert!(open > 0, "the demo gives an expert open actions");
    Sample {
        contact,
        name_word,
        case,
        complaint,
        expert,
    }
}

/// The reads of every list, search, page and report, as the screens and the command line make
/// them.
fn screen_reads(reads: &mut Reads<'_>, actor: &Actor, s: &Sample) {
    let now: NaiveDateTime = Utc::now().naive_utc();
    let today = Utc::now().date_naive();
    let month_ago = today.checked_sub_days(Days::new(30)).expect("a day");

    // Contacts: the list, its pages both ways, and its searches.
    let all = ContactFilter::default();
    let first = reads.read("contacts: list", |db| contacts::page(db, &all, None, 50));
    let key = {
        let last = first.last().expect("a page of contacts");
        (last.display_name.clone(), last.id)
    };
    reads.read("contacts: list", |db| contacts::count(db, &all));
    reads.read("contacts: next page", |db| {
        contacts::page(db, &all, Some(&key), 50)
    });
    reads.read("contacts: previous page", |db| {
        contacts::page_before(db, &all, &key, 50)
    });
    reads.read("contacts: last page", |db| {
        contacts::last_page(db, &all, 50)
    });
    let short_word: String = s.name_word.chars().take(2).collect();
    for (name, typed) in [
        ("contacts: search by name", s.name_word.clone()),
        ("contacts: search by a short word", short_word.clone()),
        (
            "contacts: search by name and a short word",
            format!("{short_word} {}", s.name_word),
        ),
        (
            "contacts: search by mobile",
            s.contact.fields.mobile.clone().expect("a mobile"),
        ),
        (
            "contacts: search by national code",
            s.contact.fields.national_code.clone().expect("a code"),
        ),
    ] {
        let filter = ContactFilter::search(&typed);
        let found = reads.read(name, |db| contacts::page(db, &filter, None, 50));
        assert!(!found.is_empty(), "{name}: {typed} finds the contact");
        reads.read(name, |db| contacts::count(db, &filter));
    }
    let number = s.contact.fields.national_code.clone().expect("a code");
    reads.read("contacts: by number", |db| {
        contacts::by_number(db, &number, 10)
    });
    let mobile = s.contact.fields.mobile.clone().expect("a mobile");
    reads.read("contacts: by number", |db| {
        contacts::by_number(db, &mobile, 10)
    });

    // The category tree and a category's contacts.
    let tree = reads.read("categories: tree", categories::tree);
    let node = tree
        .iter()
        .find(|n| n.total > 0)
        .expect("a category with contacts");
    let subtree = reads.read("categories: a category's contacts", |db| {
        categories::subtree_ids(db, node.id)
    });
    let filed = ContactFilter {
        search: String::new(),
        categories: Some(subtree),
    };
    let page = reads.read("categories: a category's contacts", |db| {
        contacts::page(db, &filed, None, 50)
    });
    assert!(!page.is_empty(), "the category has contacts");
    reads.read("categories: a category's contacts", |db| {
        contacts::count(db, &filed)
    });
    reads.read("categories: paths", categories::paths);

    // A contact's page.
    let id = s.contact.id;
    reads.read("contact page", |db| contacts::get(db, id));
    reads.read("contact page", |db| categories::of_contact(db, id));
    reads.read("contact page", |db| contacts::links_of(db, id));
    reads.read("contact page", |db| cases::of_contact(db, id, 20));
    reads.read("contact page", |db| cases::open_of_contact(db, id));
    reads.read("contact page", |db| complaints::of_contact(db, id, 20));
    reads.read("contact page", |db| followups::of_contact(db, id, 20));
    reads.read("contact page: history", |db| {
        audit::search(db, &AuditFilter::of(contacts::ENTITY, id))
    });

    // Cases: the list, its pages, each filter and the search.
    let open_status = statuses::all(&mut *reads.db)
        .expect("statuses")
        .into_iter()
        .find(|st| st.outcome() == Outcome::Open)
        .expect("an open status");
    let channel = lookups::ids(&mut *reads.db, List::MarketingChannel).expect("channels")[0];
    let unit = org_units::all(&mut *reads.db).expect("units")[0].0;
    let case_filters: Vec<(&'static str, CaseFilter)> = vec![
        ("cases: list", CaseFilter::default()),
        (
            "cases: by status",
            CaseFilter {
                status_id: Some(open_status.id),
                ..CaseFilter::default()
            },
        ),
        (
            "cases: by expert",
            CaseFilter {
                expert_id: Some(s.case.expert_id),
                ..CaseFilter::default()
            },
        ),
        (
            "cases: by importance",
            CaseFilter {
                importance: Some(Importance::High),
                ..CaseFilter::default()
            },
        ),
        (
            "cases: by priority",
            CaseFilter {
                priority: Some(2),
                ..CaseFilter::default()
            },
        ),
        (
            "cases: by channel",
            CaseFilter {
                channel_id: Some(channel),
                ..CaseFilter::default()
            },
        ),
        (
            "cases: by unit",
            CaseFilter {
                org_unit_id: Some(unit),
                ..CaseFilter::default()
            },
        ),
        (
            "cases: open only",
            CaseFilter {
                open_only: true,
                ..CaseFilter::default()
            },
        ),
        (
            "cases: search by number",
            CaseFilter {
                search: s.case.number.clone(),
                ..CaseFilter::default()
            },
        ),
        (
            "cases: search by customer",
            CaseFilter {
                search: s.name_word.clone(),
                ..CaseFilter::default()
            },
        ),
        (
            "cases: expert's open cases",
            CaseFilter {
                expert_id: Some(s.case.expert_id),
                open_only: true,
                ..CaseFilter::default()
            },
        ),
    ];
    for (name, filter) in &case_filters {
        let rows = reads.read(name, |db| cases::page(db, filter, None, 50));
        reads.read(name, |db| cases::count(db, filter));
        if let Some(row) = rows.last() {
            let key = cases::key(row);
            reads.read(name, |db| cases::page(db, filter, Some(&key), 50));
            reads.read(name, |db| cases::page_before(db, filter, &key, 50));
        }
        reads.read(name, |db| cases::last_page(db, filter, 50));
    }

    // A case's page: its follow-ups, planned actions, sales and history.
    let case = s.case.id;
    reads.read("case page", |db| cases::get(db, case));
    reads.read("case page", |db| {
        statuses::allowed_from(db, s.case.status_id)
    });
    reads.read("case page: follow-ups", |db| {
        followups::of_subject(db, Subject::Case(case), 50)
    });
    reads.read("case page: planned actions", |db| {
        planned::of_subject(db, Subject::Case(case))
    });
    reads.read("case page: planned actions", |db| {
        planned::open_of_case(db, case)
    });
    reads.read("case page: sales", |db| sales::of_case(db, case));
    reads.read("case page: history", |db| {
        audit::search(db, &AuditFilter::of(cases::ENTITY, case))
    });
    reads.read("case page: by number", |db| {
        cases::by_number(db, &s.case.number)
    });

    // The follow-up log and its filters.
    let kind = lookups::ids(&mut *reads.db, List::FollowupKind).expect("kinds")[0];
    let followup_filters: Vec<(&'static str, FollowUpFilter)> = vec![
        ("follow-ups: log", FollowUpFilter::default()),
        (
            "follow-ups: by expert",
            FollowUpFilter {
                expert_id: Some(s.case.expert_id),
                ..FollowUpFilter::default()
            },
        ),
        (
            "follow-ups: by kind",
            FollowUpFilter {
                kind_id: Some(kind),
                ..FollowUpFilter::default()
            },
        ),
        (
            "follow-ups: by days",
            FollowUpFilter {
                from: Some(month_ago.and_time(chrono::NaiveTime::MIN)),
                until: Some(now),
                ..FollowUpFilter::default()
            },
        ),
        (
            "follow-ups: a case's",
            FollowUpFilter {
                case_id: Some(case),
                ..FollowUpFilter::default()
            },
        ),
    ];
    for (name, filter) in &followup_filters {
        let rows = reads.read(name, |db| followups::page(db, filter, None, 50));
        reads.read(name, |db| followups::count(db, filter));
        if let Some(row) = rows.last() {
            let key = followups::key(row);
            reads.read(name, |db| followups::page(db, filter, Some(&key), 50));
            reads.read(name, |db| followups::page_before(db, filter, &key, 50));
        }
        reads.read(name, |db| followups::last_page(db, filter, 50));
    }

    // The inbox: an expert's open planned actions, and their counts.
    let expert = s.expert.id;
    let rows = reads.read("inbox", |db| inbox::page(db, expert, None, 50));
    let key = inbox::key(rows.last().expect("an open action"));
    reads.read("inbox", |db| inbox::page(db, expert, Some(&key), 50));
    reads.read("inbox", |db| inbox::page_before(db, expert, &key, 50));
    reads.read("inbox", |db| inbox::last_page(db, expert, 50));
    reads.read("inbox: counts", |db| inbox::count(db, expert));
    let day_start = today.and_time(chrono::NaiveTime::MIN);
    reads.read("inbox: counts", |db| {
        inbox::counts(db, expert, now, day_start)
    });
    reads.read("inbox: team", |db| users::team_of(db, actor));

    // Complaints: the list, its filters and the search; a complaint's page.
    let category = lookups::ids(&mut *reads.db, List::ComplaintCategory).expect("categories")[0];
    let complaint_filters: Vec<(&'static str, ComplaintFilter)> = vec![
        ("complaints: list", ComplaintFilter::default()),
        (
            "complaints: by status",
            ComplaintFilter {
                status: Some(ComplaintStatus::Investigating),
                ..ComplaintFilter::default()
            },
        ),
        (
            "complaints: open only",
            ComplaintFilter {
                open_only: true,
                ..ComplaintFilter::default()
            },
        ),
        (
            "complaints: by severity",
            ComplaintFilter {
                severity: Some(Severity::High),
                ..ComplaintFilter::default()
            },
        ),
        (
            "complaints: by category",
            ComplaintFilter {
                category_id: Some(category),
                ..ComplaintFilter::default()
            },
        ),
        (
            "complaints: by expert",
            ComplaintFilter {
                expert_id: Some(s.complaint.expert_id),
                ..ComplaintFilter::default()
            },
        ),
        (
            "complaints: late",
            ComplaintFilter {
                late_at: Some(now),
                ..ComplaintFilter::default()
            },
        ),
        (
            "complaints: search by number",
            ComplaintFilter {
                search: s.complaint.number.clone(),
                ..ComplaintFilter::default()
            },
        ),
        (
            "complaints: search by customer",
            ComplaintFilter {
                search: s.name_word.clone(),
                ..ComplaintFilter::default()
            },
        ),
    ];
    for (name, filter) in &complaint_filters {
        let rows = reads.read(name, |db| complaints::page(db, filter, None, 50));
        reads.read(name, |db| complaints::count(db, filter));
        if let Some(row) = rows.last() {
            let key = complaints::key(row);
            reads.read(name, |db| complaints::page(db, filter, Some(&key), 50));
            reads.read(name, |db| complaints::page_before(db, filter, &key, 50));
        }
        reads.read(name, |db| complaints::last_page(db, filter, 50));
    }
    let complaint = s.complaint.id;
    reads.read("complaint page", |db| complaints::get(db, complaint));
    reads.read("complaint page", |db| complaints::history(db, complaint));
    reads.read("complaint page", |db| complaints::actions_of(db, complaint));
    reads.read("complaint page", sla::calendar);
    reads.read("complaint page: follow-ups", |db| {
        followups::of_subject(db, Subject::Complaint(complaint), 50)
    });
    reads.read("complaint page: planned actions", |db| {
        planned::of_subject(db, Subject::Complaint(complaint))
    });
    reads.read("complaint page: by number", |db| {
        complaints::by_number(db, &s.complaint.number)
    });

    // The audit log: newest first, by record, by user, since a moment, the next page.
    let entries = reads.read("audit: log", |db| {
        audit::search(db, &AuditFilter::default())
    });
    reads.read("audit: log", |db| audit::authors(db, &entries));
    reads.read("audit: by record", |db| {
        audit::search(db, &AuditFilter::of(cases::ENTITY, case))
    });
    reads.read("audit: by record", |db| {
        audit::history(db, cases::ENTITY, case)
    });
    reads.read("audit: by user", |db| {
        audit::search(
            db,
            &AuditFilter {
                user: Some(actor.id),
                ..AuditFilter::default()
            },
        )
    });
    reads.read("audit: since", |db| {
        audit::search(
            db,
            &AuditFilter {
                since: Some(month_ago.and_time(chrono::NaiveTime::MIN)),
                ..AuditFilter::default()
            },
        )
    });
    let oldest = entries.last().expect("an audit entry").id;
    reads.read("audit: next page", |db| {
        audit::search(
            db,
            &AuditFilter {
                before: Some(oldest),
                ..AuditFilter::default()
            },
        )
    });
    reads.read("audit: next page by user", |db| {
        audit::search(
            db,
            &AuditFilter {
                user: Some(actor.id),
                before: Some(oldest),
                ..AuditFilter::default()
            },
        )
    });

    // Users, the reference lists, statuses, units, service levels, plans.
    let users_page = reads.read("users", |db| users::page(db, None, 50));
    let login = users_page.last().expect("a user").login.clone();
    reads.read("users", |db| users::page(db, Some(&login), 50));
    reads.read("users", |db| users::page_before(db, &login, 50));
    reads.read("users", |db| users::last_page(db, 50));
    reads.read("users", users::count);
    reads.read("users", users::all);
    reads.read("users", users::experts);
    for list in List::ALL {
        reads.read("lookups", |db| lookups::items(db, list));
        reads.read("lookups", |db| lookups::items_all(db, list));
        reads.read("lookups", |db| lookups::ids(db, list));
        reads.read("lookups", |db| lookups::find(db, list, "1"));
    }
    reads.read("statuses", statuses::all);
    reads.read("statuses", statuses::transitions);
    reads.read("units", org_units::all);
    reads.read("units", org_units::tree);
    reads.read("service levels", sla::policies);
    reads.read("service levels", sla::week);
    reads.read("service levels", sla::all_holidays);
    let plan_rows = reads.read("plans", |db| plans::page(db, None, 50));
    reads.read("plans", plans::count);
    reads.read("plans", |db| plans::last_page(db, 50));
    let plan = plan_rows.first().expect("a sales plan").id;
    reads.read("plans", |db| plans::lines_of(db, plan));

    // Every report of the catalogue: over all time, over a range of days, over a range of days
    // for one expert, and for an organisational unit.
    for entry in report::CATALOGUE {
        let mut all_time = Filters::new(today);
        all_time.plan = Some(plan);
        let days = Filters {
            from: Some(month_ago),
            to: Some(today),
            ..all_time.clone()
        };
        let expert = Filters {
            expert: Some(s.case.expert_id),
            ..days.clone()
        };
        let unit = Filters {
            unit: Some(unit),
            ..all_time.clone()
        };
        for (variant, filters) in [
            ("", &all_time),
            (": days", &days),
            (": days, expert", &expert),
            (": unit", &unit),
        ] {
            let name = format!("report {}{variant}", entry.name);
            reads.read(&name, |db| (entry.run)(db, filters));
        }
    }
}

store_tests! {
    fn every_list_and_search_reads_through_an_index(db, backend) {
        let actor = fill(db);
        let sample = sample(db);
        let mut reads = Reads::new(db, backend);
        screen_reads(&mut reads, &actor, &sample);
        let problems = reads.problems();
        assert!(
            problems.is_empty(),
            "{} problem(s) with the plans on {backend}:\n\n{}",
            problems.len(),
            problems.join("\n\n")
        );
    }
}
