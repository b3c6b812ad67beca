//! How the screens feel on a company-sized store, on SQLite or PostgreSQL: how long the real
//! binary takes to draw its first frame, how long a key press takes to reach the next frame,
//! how many bytes a frame sends to the terminal, and how much memory a browsing session holds.
//!
//! ```text
//! PEYGIR_BENCH_DB=/tmp/big.db cargo bench --bench ui
//! PEYGIR_BENCH_DB=postgres://postgres@127.0.0.1:PORT/big cargo bench --bench ui
//! ```
//!
//! The store is an existing one, filled beforehand with
//! `peygir --db STORE demo --contacts 100000 --cases 300000 --followups 1000000`, run by the same
//! login that runs the bench: that login is the store's first admin, and the bench acts as the
//! first admin (`--user`, which only an admin may use), so that every pane shows everything.
//!
//! What is measured, in this order:
//!
//! 1. Start to first full frame: `target/release/peygir --db STORE --user ADMIN` (the binary
//!    `cargo bench` builds with the release settings) spawned in a pseudo-terminal of 120x40,
//!    with a home of its own and a neutral locale, its output read through a terminal emulator
//!    (vt100) until the screen shows the tab bar (and the status bar under the pane), then quit
//!    with `q`.
//! 2. A key press to the next frame, in this process: the app built as `tui::run` builds it
//!    (`App::new`, `start`, the store's change watch), and for each key what `tui::run` does
//!    between reading a key and having drawn the frame after it: `App::handle_key`,
//!    `Watch::saw_own_changes`, `Terminal::draw`. The terminal is ratatui's crossterm backend
//!    writing into a byte counter instead of a tty, so the escape sequences are the real ones.
//!    Scrolling the contacts, the cases and the inbox (`j`, `pagedown`), switching panes (`1`
//!    to `9` in turn), and typing a surname in the contacts search a key at a time.
//! 3. Opening the case with the most follow-ups (`enter` on it, in the Cases pane) and showing
//!    the inbox of the expert with the most open planned actions: as the admin, choosing the
//!    expert (`u`, then `ctrl-s`, timed); and as that expert's own login (`1` from another pane).
//!    The store is first given such a case with 1,000 follow-ups and such an expert with 5,000
//!    open planned actions, through `followups::record` as a user adds them, when it has none;
//!    the output says what was added. A rerun finds them and adds nothing.
//! 4. The bytes written to the terminal per `j` while scrolling a list.
//! 5. Resident memory: the binary of (1) driven through every pane, with scrolling, searching
//!    and a case opened, then its `VmHWM` (the peak) and `VmRSS` from `/proc/PID/status`.
//!
//! One table is printed on standard output (Markdown, to paste into BENCHMARKS.md): for each
//! row the number of samples, the median, the 95th and 99th percentiles (nearest rank) and the
//! worst. Progress, and each row as it is measured, go to standard error. Every timed sequence is first checked to have done what
//! it says (the screen read back, outside the timing), so that a changed key or an empty store
//! cannot make a benchmark time nothing.

use std::cell::Cell;
use std::io::{self, Read, Write};
use std::path::Path;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use diesel::dsl::count_star;
use diesel::prelude::*;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use ratatui::Terminal;
use ratatui::TerminalOptions;
use ratatui::Viewport;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::{Rect, Size};

use peygir::db::ids::{CaseId, UserId};
use peygir::db::schema::{case_statuses, cases, followups, planned_actions, users};
use peygir::db::{self, Db, StoreUrl};
use peygir::store::cases::ClosingInfo;
use peygir::store::changes::Watch;
use peygir::store::followups::{FollowUpInput, NextAction, Subject};
use peygir::store::lookups::{self, List};
use peygir::store::users::{Resolved, User};
use peygir::store::{self, Actor};
use peygir::tui::app::App;
use peygir::tui::keymap::Keymap;
use peygir::tui::theme::Theme;

/// The terminal every screen is measured on, in process and in the pseudo-terminal.
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

/// Starts of the binary.
const STARTS: usize = 20;
/// `j` presses on each list, from its top.
const DOWN_KEYS: usize = 500;
/// `pagedown` presses on each list, from its top.
const PAGE_KEYS: usize = 100;
/// The `j` presses of a list from its top that move the selection within the first screen
/// (the lists show 34 or 35 rows at 40 lines), and the press after which every `j` scrolls the
/// view a row: the bytes of the two are also shown apart.
const WITHIN_VIEW: usize = 30;
const SCROLLING_FROM: usize = 40;
/// Rounds of `1` to `9`, after one round that is not timed (the first showing of each pane).
const PANE_ROUNDS: usize = 20;
/// Times each surname is typed in the contacts search.
const SEARCH_ROUNDS: usize = 10;
/// Surnames typed in the contacts search, a key at a time: an English one and a Persian one, both
/// among the demo's names.
const SURNAMES: [&str; 2] = ["Anderson", "کرمانی"];
/// Samples of opening the case and showing the inbox.
const OPEN_SAMPLES: usize = 50;
/// The follow-ups of the case opened.
const CASE_FOLLOWUPS: i64 = 1_000;
/// The open planned actions of the inbox shown.
const INBOX_ACTIONS: i64 = 5_000;

fn main() {
    let Some(given) = std::env::var("PEYGIR_BENCH_DB")
        .ok()
        .filter(|v| !v.trim().is_empty())
    else {
        eprintln!(
            "PEYGIR_BENCH_DB names the store to measure (a SQLite path or a postgres:// URL), \
             filled beforehand with `peygir --db STORE demo ...`"
        );
        std::process::exit(2);
    };
    // The settings chosen as the binary of (1) and (5) chooses them in the environment it is
    // given there: no config file and a neutral locale, so English, Gregorian dates, Latin
    // digits, and Peygir ordering right-to-left text itself (no VTE_VERSION).
    let neutral = |name: &str| (name == "LANG").then(|| "C.UTF-8".to_string());
    let (settings, _) = peygir::config::choose_settings(
        peygir::config::Given::default(),
        &peygir::config::ConfigFile::default(),
        neutral,
    );
    peygir::config::apply(settings);

    let url = StoreUrl::parse(given.trim());
    let mut db = db::open(&url).unwrap_or_else(|e| fail(&format!("open {url}: {e}")));
    store::ensure_defaults(&mut db).unwrap_or_else(|e| fail(&e.to_string()));
    let admin = first_admin(&mut db);
    let actor = acting_as(&mut db, &admin.login);
    let mut report = Report::default();
    report.note(format!(
        "Store: {url} ({}); {}. Acting user: {} (the first admin). Terminal {WIDTH}x{HEIGHT}.",
        url.backend(),
        store_size(&mut db),
        admin.login
    ));

    // The store first: the case and the inbox of (3) exist before anything is timed.
    let inbox = top_up_inbox(&mut db, &actor, &mut report);
    let case = top_up_case(&mut db, &actor, &mut report);

    let binary = Path::new(env!("CARGO_BIN_EXE_peygir"));
    let target = given.trim();
    start_up(binary, target, &admin.login, &mut report);
    switching_panes(&mut db, &url, &actor, &mut report);
    scrolling(
        &mut db,
        &url,
        &actor,
        &mut report,
        ('2', "Contacts (", "contacts"),
    );
    searching_contacts(&mut db, &url, &actor, &mut report);
    scrolling(
        &mut db,
        &url,
        &actor,
        &mut report,
        ('3', "Cases (", "cases"),
    );
    inbox_as_admin(&mut db, &url, &actor, &inbox, &mut report);
    inbox_of_own_login(&mut db, &url, &inbox, &mut report);
    opening_the_case(&mut db, &url, &actor, &case, &mut report);
    browsing_memory(binary, target, &admin.login, &case, &mut report);

    report.print();
}

/// Ends the bench with `message`.
fn fail(message: &str) -> ! {
    eprintln!("ui bench: {message}");
    std::process::exit(1);
}

fn progress(what: &str) {
    eprintln!("ui bench: {what}");
}

// ------------------------------------------------------------------------------------------------
// The store: who acts, what it holds, and the case and the inbox of (3).

/// The store's first admin: the admin with the lowest id, the login that filled the store.
fn first_admin(db: &mut Db) -> User {
    users::table
        .filter(users::role.eq("admin"))
        .filter(users::active.eq(true))
        .order(users::id.asc())
        .select(User::as_select())
        .first(db)
        .unwrap_or_else(|e| fail(&format!("the store has no active admin: {e}")))
}

/// The acting user as `peygir --user LOGIN` resolves it: the login running the bench, acting
/// as `login` (allowed when the login running it is an admin, or is `login`).
fn acting_as(db: &mut Db, login: &str) -> Actor {
    match store::users::acting(db, &store::users::os_login(), Some(login)) {
        Ok(Resolved::Existing(actor)) | Ok(Resolved::FirstAdmin(actor)) => actor,
        Err(e) => fail(&format!(
            "{e} (run the bench as the login that filled the store, or as another admin of it)"
        )),
    }
}

/// What the store holds, in a line.
fn store_size(db: &mut Db) -> String {
    let mut parts = Vec::new();
    for table in [
        "contacts",
        "cases",
        "followups",
        "planned_actions",
        "complaints",
    ] {
        let rows = db::row_count(db, table).unwrap_or_else(|e| fail(&e.to_string()));
        parts.push(format!("{} {}", grouped(rows), table.replace('_', " ")));
    }
    parts.join(", ")
}

/// The expert an inbox of `INBOX_ACTIONS` belongs to.
struct InboxOf {
    expert: User,
    open: i64,
}

/// The case opened in (3).
struct CaseOf {
    number: String,
    followups: i64,
}

/// The expert with the most open planned actions, given more through the store (a follow-up
/// on one of their open cases with the next action planned for them) until they have
/// `INBOX_ACTIONS`.
fn top_up_inbox(db: &mut Db, actor: &Actor, report: &mut Report) -> InboxOf {
    let top: Option<(UserId, i64)> = planned_actions::table
        .filter(planned_actions::status.eq("open"))
        .group_by(planned_actions::assignee_id)
        .select((planned_actions::assignee_id, count_star()))
        .order((count_star().desc(), planned_actions::assignee_id.asc()))
        .first(db)
        .optional()
        .unwrap_or_else(|e| fail(&e.to_string()));
    let Some((expert_id, before)) = top else {
        fail("the store has no open planned actions: fill it with `peygir demo` first");
    };
    let expert = store::users::get(db, expert_id).unwrap_or_else(|e| fail(&e.to_string()));
    let missing = INBOX_ACTIONS - before;
    if missing <= 0 {
        report.note(format!(
            "Inbox: {} ({}) has {} open planned actions, as found.",
            expert.login,
            expert.role,
            grouped(before)
        ));
        return InboxOf {
            expert,
            open: before,
        };
    }
    progress(&format!(
        "giving {} {} more open planned actions ({} now)",
        expert.login,
        grouped(missing),
        grouped(before)
    ));
    // Their open cases take the follow-ups in turn, so that no one case is made big.
    let open_statuses = case_statuses::table
        .filter(case_statuses::outcome.eq("open"))
        .select(case_statuses::id);
    let mut their_cases: Vec<CaseId> = cases::table
        .filter(cases::expert_id.eq(expert_id))
        .filter(cases::status_id.eq_any(open_statuses))
        .order(cases::id.asc())
        .select(cases::id)
        .limit(1_000)
        .load(db)
        .unwrap_or_else(|e| fail(&e.to_string()));
    if their_cases.is_empty() {
        their_cases = cases::table
            .order(cases::id.asc())
            .select(cases::id)
            .limit(1_000)
            .load(db)
            .unwrap_or_else(|e| fail(&e.to_string()));
    }
    if their_cases.is_empty() {
        fail("the store has no cases: fill it with `peygir demo` first");
    }
    let followup_kind = lookup(db, List::FollowupKind, "phone");
    let action_kind = lookup(db, List::ActionKind, "call");
    let now = store::now();
    let missing = usize::try_from(missing).unwrap_or(0);
    record_many(db, actor, missing, |i| FollowUpInput {
        subject: Subject::Case(their_cases[i % their_cases.len()]),
        subject_version: None,
        kind_id: followup_kind,
        happened_at: now - chrono::TimeDelta::minutes(i as i64 * 7 + 5),
        expert_id,
        minutes: 5 + (i % 25) as i32,
        description: text_for(i, "Called about the order", "تماس درباره سفارش"),
        status_after_id: None,
        closing: ClosingInfo::default(),
        // Due from 60 days ago to 120 days ahead, so every group of the inbox is full.
        next: Some(NextAction {
            kind_id: action_kind,
            description: text_for(i, "Call back with the revised price", "تماس برای اعلام قیمت"),
            assignee_id: expert_id,
            due_at: now + chrono::TimeDelta::minutes((i as i64 * 9_973) % (180 * 24 * 60))
                - chrono::TimeDelta::days(60),
            estimated_minutes: 10 + (i % 6) as i32 * 10,
        }),
        completes: None,
    });
    let open = open_actions(db, expert_id);
    report.note(format!(
        "Inbox: {} ({}) had {} open planned actions, the most of anyone; {} were added through \
         the store (followups::record with a next action) to make {}.",
        expert.login,
        expert.role,
        grouped(before),
        grouped(missing as i64),
        grouped(open)
    ));
    InboxOf { expert, open }
}

/// The case with the most follow-ups, given more through the store until it has
/// `CASE_FOLLOWUPS`.
fn top_up_case(db: &mut Db, actor: &Actor, report: &mut Report) -> CaseOf {
    let top: Option<(Option<CaseId>, i64)> = followups::table
        .filter(followups::case_id.is_not_null())
        .group_by(followups::case_id)
        .select((followups::case_id, count_star()))
        .order((count_star().desc(), followups::case_id.asc()))
        .first(db)
        .optional()
        .unwrap_or_else(|e| fail(&e.to_string()));
    let Some((Some(id), before)) = top else {
        fail("the store has no follow-ups on cases: fill it with `peygir demo` first");
    };
    let case = store::cases::get(db, id).unwrap_or_else(|e| fail(&e.to_string()));
    let missing = CASE_FOLLOWUPS - before;
    if missing > 0 {
        progress(&format!(
            "giving case {} {} more follow-ups",
            case.number,
            grouped(missing)
        ));
        let kind = lookup(db, List::FollowupKind, "phone");
        let now = store::now();
        record_many(db, actor, usize::try_from(missing).unwrap_or(0), |i| {
            FollowUpInput {
                subject: Subject::Case(id),
                subject_version: None,
                kind_id: kind,
                // One every few hours, going back from now.
                happened_at: now - chrono::TimeDelta::minutes(i as i64 * 173 + 30),
                expert_id: case.expert_id,
                minutes: 5 + (i % 40) as i32,
                description: text_for(
                    i,
                    "Talked through the delivery schedule and the payment terms",
                    "گفتگو درباره زمان تحویل و شرایط پرداخت",
                ),
                status_after_id: None,
                closing: ClosingInfo::default(),
                next: None,
                completes: None,
            }
        });
    }
    let followups: i64 = followups::table
        .filter(followups::case_id.eq(id))
        .count()
        .get_result(db)
        .unwrap_or_else(|e| fail(&e.to_string()));
    report.note(if missing > 0 {
        format!(
            "Case: {} had {} follow-ups, the most of any case; {} were added through the store \
             (followups::record) to make {}.",
            case.number,
            grouped(before),
            grouped(missing),
            grouped(followups)
        )
    } else {
        format!(
            "Case: {} has {} follow-ups, as found.",
            case.number,
            grouped(followups)
        )
    });
    CaseOf {
        number: case.number,
        followups,
    }
}

/// Records `n` follow-ups, the `i`th as `input(i)`, in one transaction (each is the store's own
/// `followups::record`, as the follow-up form saves it).
fn record_many(db: &mut Db, actor: &Actor, n: usize, input: impl Fn(usize) -> FollowUpInput) {
    let result = store::write(db, |db| {
        for i in 0..n {
            store::followups::record(db, actor, input(i))?;
        }
        Ok(())
    });
    if let Err(e) = result {
        fail(&format!("adding follow-ups: {e}"));
    }
}

fn lookup(db: &mut Db, list: List, code: &str) -> db::ids::LookupId {
    lookups::id_of(db, list, code)
        .unwrap_or_else(|e| fail(&e.to_string()))
        .unwrap_or_else(|| fail(&format!("the store's lists have no {code}")))
}

fn open_actions(db: &mut Db, expert: UserId) -> i64 {
    planned_actions::table
        .filter(planned_actions::assignee_id.eq(expert))
        .filter(planned_actions::status.eq("open"))
        .count()
        .get_result(db)
        .unwrap_or_else(|e| fail(&e.to_string()))
}

/// English for even `i`, Persian for odd, as the demo's data mixes them.
fn text_for(i: usize, english: &str, persian: &str) -> String {
    if i % 2 == 0 { english } else { persian }.to_string()
}

// ------------------------------------------------------------------------------------------------
// In process: the app, a key, the frame.

/// Counts the bytes written to it: the terminal of the in-process screen. The count is shared
/// with the [`Session`], since the backend keeps its writer to itself.
#[derive(Default, Clone)]
struct Counter(Rc<Cell<u64>>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.set(self.0.get() + buf.len() as u64);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The screen in process: the app as `tui::run` builds it, drawn by ratatui's crossterm backend
/// into a [`Counter`] of `WIDTH` x `HEIGHT` instead of a tty.
struct Session {
    app: App,
    terminal: Terminal<CrosstermBackend<Counter>>,
    /// What the terminal was sent so far, in bytes.
    written: Counter,
    watch: Watch,
}

/// What one key press cost: from the key to the frame drawn after it, and the bytes that frame
/// wrote.
struct Press {
    millis: f64,
    bytes: u64,
}

impl Session {
    /// A new app for `actor` on its home pane (the inbox), its first frame drawn.
    fn start(db: &mut Db, url: &StoreUrl, actor: &Actor) -> Session {
        let mut app = App::new(actor, Theme::from_env(), Keymap::defaults());
        app.start(Size::new(WIDTH, HEIGHT), db);
        let watch = Watch::new(db, url);
        // A fixed viewport: the backend is never asked for a tty's size.
        let options = TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, WIDTH, HEIGHT)),
        };
        let written = Counter::default();
        let mut terminal = Terminal::with_options(CrosstermBackend::new(written.clone()), options)
            .unwrap_or_else(|e| fail(&format!("terminal: {e}")));
        terminal
            .draw(|frame| app.draw(frame))
            .unwrap_or_else(|e| fail(&format!("draw: {e}")));
        Session {
            app,
            terminal,
            written,
            watch,
        }
    }

    /// One key, timed, as `tui::run` takes it: the app acts on it, what the session changed
    /// itself is marked as seen, and the next frame is drawn (only the cells that changed are
    /// written).
    fn press(&mut self, db: &mut Db, key: KeyEvent) -> Press {
        let before = self.written.0.get();
        let started = Instant::now();
        self.app.handle_key(&key, db);
        self.watch.saw_own_changes(db);
        let app = &mut self.app;
        self.terminal
            .draw(|frame| app.draw(frame))
            .unwrap_or_else(|e| fail(&format!("draw: {e}")));
        let millis = started.elapsed().as_secs_f64() * 1_000.0;
        let bytes = self.written.0.get() - before;
        Press { millis, bytes }
    }

    /// Keys pressed (and drawn) without being counted: the way to what is measured.
    fn keys(&mut self, db: &mut Db, keys: &[KeyEvent]) {
        for key in keys {
            self.press(db, *key);
        }
    }

    /// What the screen shows now, as text without the marks sent for a terminal's bidi: drawn
    /// apart on a test backend, outside any timing.
    fn text(&mut self) -> String {
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT))
            .unwrap_or_else(|e| fail(&format!("terminal: {e}")));
        terminal
            .draw(|frame| self.app.draw(frame))
            .unwrap_or_else(|e| fail(&format!("draw: {e}")));
        let buffer = terminal.backend().buffer();
        (0..HEIGHT)
            .map(|y| {
                (0..WIDTH)
                    .map(|x| peygir::tui::bidi::unmarked(buffer[(x, y)].symbol()))
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Ends the bench, showing the screen, unless it shows what `wanted` looks for.
    fn check(&mut self, what: &str, wanted: impl Fn(&str) -> bool) {
        let screen = self.text();
        if !wanted(&screen) {
            fail(&format!("expected {what}; the screen shows:\n{screen}"));
        }
    }
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn special(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn typed(text: &str) -> Vec<KeyEvent> {
    text.chars().map(key).collect()
}

/// The bytes per `j` of a list: all of them, then apart while the selection moves within the
/// view and once the view scrolls a row at each key.
fn bytes_per_j(report: &mut Report, list: &str, bytes: Vec<f64>) {
    report.bytes(&format!("{list}, bytes written per j"), bytes.clone());
    report.bytes(
        &format!("  the selection moving within the view (first {WITHIN_VIEW} j)"),
        bytes[..WITHIN_VIEW.min(bytes.len())].to_vec(),
    );
    report.bytes(
        &format!("  the view scrolling a row (from the {SCROLLING_FROM}th j)"),
        bytes[SCROLLING_FROM.min(bytes.len())..].to_vec(),
    );
}

/// Presses `key` `n` times, timing each; the times and the bytes of each frame.
fn repeat(session: &mut Session, db: &mut Db, key: KeyEvent, n: usize) -> (Vec<f64>, Vec<f64>) {
    let presses: Vec<Press> = (0..n).map(|_| session.press(db, key)).collect();
    (
        presses.iter().map(|p| p.millis).collect(),
        presses.iter().map(|p| p.bytes as f64).collect(),
    )
}

/// The number a screen shows after `label` and before the next `)`, such as the count in
/// `Contacts (1,234)`.
fn count_after(screen: &str, label: &str) -> Option<i64> {
    let rest = &screen[screen.find(label)? + label.len()..];
    let digits: String = rest
        .chars()
        .take_while(|c| *c != ')')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// `1` to `9` in turn: one round to show each pane once, then `PANE_ROUNDS` timed.
fn switching_panes(db: &mut Db, url: &StoreUrl, actor: &Actor, report: &mut Report) {
    progress("switching panes");
    let mut session = Session::start(db, url, actor);
    let panes: Vec<char> = ('1'..='9').collect();
    session.keys(db, &panes.iter().map(|c| key(*c)).collect::<Vec<_>>());
    session.check("the users pane after 9", |s| s.contains("[9 Users]"));
    let mut each: Vec<Vec<f64>> = vec![Vec::new(); panes.len()];
    for _ in 0..PANE_ROUNDS {
        for (i, c) in panes.iter().enumerate() {
            each[i].push(session.press(db, key(*c)).millis);
        }
    }
    let names = peygir::tui::panes::PANES.iter().map(|p| p.id.name());
    let all: Vec<f64> = each.iter().flatten().copied().collect();
    report.time("switch pane, 1 to 9 in turn (all)", all);
    for ((c, samples), name) in panes.iter().zip(each).zip(names) {
        report.time(&format!("  switch to {c} {name}"), samples);
    }
}

/// A list (`what`, on the pane `pane` whose title starts with `title`): `j` from the top, then
/// `pagedown` from the top.
fn scrolling(
    db: &mut Db,
    url: &StoreUrl,
    actor: &Actor,
    report: &mut Report,
    (pane, title, what): (char, &str, &str),
) {
    progress(&format!("scrolling the {what}"));
    let mut session = Session::start(db, url, actor);
    session.keys(db, &[key(pane)]);
    let total = list_total(&mut session, title);
    let (times, bytes) = repeat(&mut session, db, key('j'), DOWN_KEYS);
    session.check(&format!("the selection moved down the {what}"), |s| {
        s.contains(&format!(
            "{} of {}",
            DOWN_KEYS.min(total) + 1,
            grouped(total as i64)
        )) || total <= DOWN_KEYS
    });
    report.time(
        &format!("{what} list, j (of {})", grouped(total as i64)),
        times,
    );
    bytes_per_j(report, &format!("{what} list"), bytes);
    session.keys(db, &[special(KeyCode::Home)]);
    let (times, _) = repeat(&mut session, db, special(KeyCode::PageDown), PAGE_KEYS);
    report.time(&format!("{what} list, pagedown"), times);
}

/// The count a list's title shows, or the end of the bench when it shows none.
fn list_total(session: &mut Session, label: &str) -> usize {
    let screen = session.text();
    match count_after(&screen, label) {
        Some(n) if n > 0 => usize::try_from(n).unwrap_or(0),
        _ => fail(&format!(
            "expected a list titled {label}…); the screen shows:\n{screen}"
        )),
    }
}

/// Each surname typed in the contacts search a key at a time, `SEARCH_ROUNDS` times; each key
/// narrows the list (a query over every contact) and draws it. `esc` between rounds drops the
/// search, not timed.
fn searching_contacts(db: &mut Db, url: &StoreUrl, actor: &Actor, report: &mut Report) {
    progress("typing in the contacts search");
    let mut session = Session::start(db, url, actor);
    session.keys(db, &[key('2')]);
    let total = list_total(&mut session, "Contacts (");
    let mut all = Vec::new();
    let mut each = Vec::new();
    for name in SURNAMES {
        let mut samples = Vec::new();
        for round in 0..SEARCH_ROUNDS {
            session.keys(db, &[key('/')]);
            for c in name.chars() {
                samples.push(session.press(db, key(c)).millis);
            }
            if round == 0 {
                let found = count_after(&session.text(), "Contacts (").unwrap_or(0);
                if found == 0 || found as usize >= total {
                    session.check(&format!("the contacts narrowed to {name}"), |_| false);
                }
                report.note(format!(
                    "Search: {name} finds {} of {} contacts.",
                    grouped(found),
                    grouped(total as i64)
                ));
            }
            session.keys(db, &[special(KeyCode::Esc)]);
        }
        all.extend(samples.iter().copied());
        each.push((name, samples));
    }
    report.time(
        &format!(
            "incremental contact search over {} contacts (a key typed)",
            grouped(total as i64)
        ),
        all,
    );
    for (name, samples) in each {
        report.time(&format!("  typing {name}"), samples);
    }
}

/// The admin shows the expert's inbox: `u`, the expert's login typed and chosen (not timed),
/// then `ctrl-s`, timed: the inbox read afresh for that expert and drawn. Then the inbox of
/// `INBOX_ACTIONS` scrolled.
fn inbox_as_admin(
    db: &mut Db,
    url: &StoreUrl,
    actor: &Actor,
    inbox: &InboxOf,
    report: &mut Report,
) {
    progress("showing the expert's inbox as the admin");
    let mut session = Session::start(db, url, actor);
    let mut samples = Vec::new();
    let wanted = format!("1 of {}", grouped(inbox.open));
    for i in 0..OPEN_SAMPLES {
        let mut way = vec![key('u')];
        way.extend(typed(&inbox.expert.login));
        way.push(special(KeyCode::Enter));
        session.keys(db, &way);
        samples.push(session.press(db, ctrl('s')).millis);
        if i == 0 {
            session.check(
                &format!("the inbox of {} ({wanted})", inbox.expert.login),
                |s| s.contains(&wanted),
            );
        }
    }
    report.time(
        &format!(
            "inbox of {} open actions, shown by the admin (u, ctrl-s)",
            grouped(inbox.open)
        ),
        samples,
    );
    let (times, bytes) = repeat(&mut session, db, key('j'), DOWN_KEYS);
    report.time(&format!("inbox of {}, j", grouped(inbox.open)), times);
    bytes_per_j(report, "inbox", bytes);
    session.keys(db, &[special(KeyCode::Home)]);
    let (times, _) = repeat(&mut session, db, special(KeyCode::PageDown), PAGE_KEYS);
    report.time(
        &format!("inbox of {}, pagedown", grouped(inbox.open)),
        times,
    );
}

/// The expert's own login (`--user EXPERT`): back to the inbox, its home pane, with `1` from the
/// Lists pane.
fn inbox_of_own_login(db: &mut Db, url: &StoreUrl, inbox: &InboxOf, report: &mut Report) {
    progress("showing the inbox as the expert's own login");
    let expert = acting_as(db, &inbox.expert.login);
    let mut session = Session::start(db, url, &expert);
    let wanted = format!("Planned for you ({})", grouped(inbox.open));
    session.check(&wanted, |s| s.contains(&wanted));
    let mut samples = Vec::new();
    for _ in 0..OPEN_SAMPLES {
        session.keys(db, &[key('8')]);
        samples.push(session.press(db, key('1')).millis);
    }
    session.check(&wanted, |s| s.contains(&wanted));
    report.time(
        &format!(
            "inbox of {} open actions, as {} (--user), 1 from another pane",
            grouped(inbox.open),
            inbox.expert.login
        ),
        samples,
    );
}

/// The case with `CASE_FOLLOWUPS` follow-ups found in the Cases pane by its number (not timed),
/// then opened with `enter` (timed) and closed with `esc` (not timed), `OPEN_SAMPLES` times.
fn opening_the_case(
    db: &mut Db,
    url: &StoreUrl,
    actor: &Actor,
    case: &CaseOf,
    report: &mut Report,
) {
    progress("opening the case");
    let mut session = Session::start(db, url, actor);
    let mut way = vec![key('3'), key('/')];
    way.extend(typed(&case.number));
    way.push(special(KeyCode::Enter));
    session.keys(db, &way);
    session.check(&format!("case {} selected", case.number), |s| {
        s.contains(&format!("> {}", case.number))
    });
    let mut samples = Vec::new();
    for i in 0..OPEN_SAMPLES {
        samples.push(session.press(db, special(KeyCode::Enter)).millis);
        if i == 0 {
            // The page shows the case's follow-ups, not the list.
            session.check(&format!("the page of case {}", case.number), |s| {
                !s.contains(&format!("> {}", case.number)) && s.contains("Latest follow-ups")
            });
        }
        session.keys(db, &[special(KeyCode::Esc)]);
    }
    report.time(
        &format!(
            "open case {} ({} follow-ups), enter",
            case.number,
            grouped(case.followups)
        ),
        samples,
    );
}

// ------------------------------------------------------------------------------------------------
// The real binary in a pseudo-terminal.

/// What the reader thread has seen of the binary's output.
struct Seen {
    parser: vt100::Parser,
    /// When the screen first showed a full frame.
    first_frame: Option<Instant>,
    /// The screen's text, and when it last changed.
    text: String,
    changed: Instant,
}

/// `peygir --db STORE --user ADMIN` in a pseudo-terminal of `WIDTH` x `HEIGHT`, its output read
/// by a thread of its own into a terminal emulator.
struct Pty {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    seen: Arc<Mutex<Seen>>,
    reader: Option<JoinHandle<()>>,
    _master: Box<dyn MasterPty + Send>,
    _home: tempfile::TempDir,
}

/// A full frame: the tab bar on the first row (the inbox's tab marked as shown) and the status
/// bar's hints on the last.
fn full_frame(screen: &vt100::Screen) -> bool {
    let rows: Vec<String> = screen.rows(0, WIDTH).collect();
    rows.first().is_some_and(|r| r.contains("[1 "))
        && rows.last().is_some_and(|r| r.contains("quit"))
}

impl Pty {
    /// Starts the binary; also when it was started (just before the process was spawned).
    fn spawn(binary: &Path, store: &str, admin: &str) -> (Pty, Instant) {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: HEIGHT,
                cols: WIDTH,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap_or_else(|e| fail(&format!("a pseudo-terminal: {e}")));
        // A home of its own, so no config file or keymap of the one running the bench counts,
        // and a neutral locale: the settings the in-process screens have.
        let home = tempfile::tempdir().unwrap_or_else(|e| fail(&e.to_string()));
        let mut command = CommandBuilder::new(binary);
        command.args(["--db", store, "--user", admin]);
        command.env("HOME", home.path());
        command.env("XDG_CONFIG_HOME", home.path().join("config"));
        command.env("XDG_DATA_HOME", home.path().join("data"));
        command.env("LANG", "C.UTF-8");
        command.env("TERM", "xterm-256color");
        for name in ["PEYGIR_DB", "LC_ALL", "LC_MESSAGES", "VTE_VERSION"] {
            command.env_remove(name);
        }
        let mut reader = pair
            .master
            .try_clone_reader()
            .unwrap_or_else(|e| fail(&format!("pty reader: {e}")));
        let writer = pair
            .master
            .take_writer()
            .unwrap_or_else(|e| fail(&format!("pty writer: {e}")));
        let seen = Arc::new(Mutex::new(Seen {
            parser: vt100::Parser::new(HEIGHT, WIDTH, 0),
            first_frame: None,
            text: String::new(),
            changed: Instant::now(),
        }));
        let started = Instant::now();
        let child = pair
            .slave
            .spawn_command(command)
            .unwrap_or_else(|e| fail(&format!("start {}: {e}", binary.display())));
        drop(pair.slave);
        let feed = Arc::clone(&seen);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 16 * 1024];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let now = Instant::now();
                let Ok(mut seen) = feed.lock() else { break };
                seen.parser.process(&buf[..n]);
                if seen.first_frame.is_none() && full_frame(seen.parser.screen()) {
                    seen.first_frame = Some(now);
                }
                let text = seen.parser.screen().contents();
                if text != seen.text {
                    seen.text = text;
                    seen.changed = now;
                }
            }
        });
        let pty = Pty {
            child,
            writer,
            seen,
            reader: Some(reader),
            _master: pair.master,
            _home: home,
        };
        (pty, started)
    }

    fn screen(&self) -> String {
        self.seen.lock().map(|s| s.text.clone()).unwrap_or_default()
    }

    /// Ends the bench, showing the screen and whether the binary is still running.
    fn fail(&mut self, what: &str) -> ! {
        let status = self.child.try_wait();
        let _ = self.child.kill();
        fail(&format!(
            "{what}; peygir: {status:?}; the screen shows:\n{}",
            self.screen()
        ))
    }

    /// When the first full frame was seen.
    fn first_frame(&mut self) -> Instant {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Some(at) = self.seen.lock().ok().and_then(|s| s.first_frame) {
                return at;
            }
            if Instant::now() > deadline || matches!(self.child.try_wait(), Ok(Some(_))) {
                self.fail("no first frame");
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    fn keys(&mut self, keys: &str) {
        if let Err(e) = self
            .writer
            .write_all(keys.as_bytes())
            .and(self.writer.flush())
        {
            self.fail(&format!("keys not sent: {e}"));
        }
    }

    /// Types `text` a key at a time, as a keyboard does.
    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.keys(&c.to_string());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the screen has not changed for half a second: the keys sent have been
    /// handled and drawn.
    fn settle(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(300);
        loop {
            std::thread::sleep(Duration::from_millis(50));
            let quiet = self
                .seen
                .lock()
                .map(|s| s.changed.elapsed() >= Duration::from_millis(500))
                .unwrap_or(true);
            if quiet {
                return;
            }
            if Instant::now() > deadline {
                self.fail("the screen never settled");
            }
        }
    }

    /// Waits until the screen shows `text`.
    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(120);
        while !self.screen().contains(text) {
            if Instant::now() > deadline {
                self.fail(&format!("waited for {text:?}"));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// `VmHWM` and `VmRSS` of the binary, in KiB.
    fn memory(&mut self) -> (f64, f64) {
        let Some(pid) = self.child.process_id() else {
            self.fail("no process id");
        };
        let status = match std::fs::read_to_string(format!("/proc/{pid}/status")) {
            Ok(status) => status,
            Err(e) => self.fail(&format!("/proc/{pid}/status: {e}")),
        };
        let field = |name: &str| -> f64 {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse().ok())
                .unwrap_or(f64::NAN)
        };
        (field("VmHWM:"), field("VmRSS:"))
    }

    /// `q`, and the binary's end (killed if it does not end).
    fn quit(mut self) {
        self.keys("q");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) if status.success() => break,
                Ok(Some(status)) => self.fail(&format!("peygir ended with {status:?}")),
                Ok(None) if Instant::now() > deadline => self.fail("peygir did not quit"),
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => self.fail(&format!("peygir's status: {e}")),
            }
        }
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

/// (1) `STARTS` starts of the binary to its first full frame.
fn start_up(binary: &Path, store: &str, admin: &str, report: &mut Report) {
    progress(&format!("starting {} {STARTS} times", binary.display()));
    let mut samples = Vec::new();
    for _ in 0..STARTS {
        let (mut pty, started) = Pty::spawn(binary, store, admin);
        let frame = pty.first_frame();
        samples.push((frame - started).as_secs_f64() * 1_000.0);
        pty.quit();
    }
    report.time(
        "start to first full frame (release binary in a pty)",
        samples,
    );
}

/// (5) The binary driven through every pane, with scrolling, searching and the case opened;
/// then its memory.
fn browsing_memory(binary: &Path, store: &str, admin: &str, case: &CaseOf, report: &mut Report) {
    progress("browsing in the binary for its memory");
    let (mut pty, _) = Pty::spawn(binary, store, admin);
    pty.first_frame();
    pty.settle();
    let (_, at_start) = pty.memory();
    let down = "j".repeat(200);
    for pane in '1'..='9' {
        pty.keys(&pane.to_string());
        pty.wait_for(&format!("[{pane} "));
        pty.settle();
    }
    // The inbox, the contacts and the cases scrolled; each surname searched for.
    for pane in ["1", "2", "3", "4", "5"] {
        pty.keys(pane);
        pty.settle();
        pty.keys(&down);
        pty.settle();
        pty.keys("\x1b[6~".repeat(20).as_str());
        pty.settle();
        pty.keys("G");
        pty.settle();
        pty.keys("gg");
        pty.settle();
    }
    pty.keys("2");
    pty.settle();
    for name in SURNAMES {
        pty.keys("/");
        pty.type_text(name);
        pty.settle();
        pty.keys("\r");
        pty.keys(&down);
        pty.settle();
        pty.keys("\x1b");
        pty.settle();
    }
    // The case with the most follow-ups, found and opened, its page scrolled.
    pty.keys("3");
    pty.settle();
    pty.keys("/");
    pty.type_text(&case.number);
    pty.keys("\r");
    pty.settle();
    pty.keys("\r");
    pty.settle();
    pty.keys(&"j".repeat(50));
    pty.settle();
    let (peak, now) = pty.memory();
    pty.quit();
    report.memory("binary's VmRSS at its first frame", at_start);
    report.memory("binary's VmHWM after browsing (the peak)", peak);
    report.memory("binary's VmRSS after browsing", now);
}

// ------------------------------------------------------------------------------------------------
// The table.

#[derive(Clone, Copy)]
enum Unit {
    Millis,
    Bytes,
    /// Given in KiB, shown in MiB.
    Memory,
}

struct Row {
    what: String,
    unit: Unit,
    samples: Vec<f64>,
}

#[derive(Default)]
struct Report {
    notes: Vec<String>,
    rows: Vec<Row>,
}

impl Report {
    fn note(&mut self, text: String) {
        eprintln!("ui bench: {text}");
        self.notes.push(text);
    }

    fn add(&mut self, what: &str, unit: Unit, samples: Vec<f64>) {
        let row = Row {
            what: what.to_string(),
            unit,
            samples,
        };
        eprintln!("ui bench: {}", row.line());
        self.rows.push(row);
    }

    fn time(&mut self, what: &str, samples: Vec<f64>) {
        self.add(what, Unit::Millis, samples);
    }

    fn bytes(&mut self, what: &str, samples: Vec<f64>) {
        self.add(what, Unit::Bytes, samples);
    }

    fn memory(&mut self, what: &str, kib: f64) {
        self.add(what, Unit::Memory, vec![kib]);
    }

    fn print(&self) {
        let mut out = String::new();
        for note in &self.notes {
            out.push_str(note);
            out.push('\n');
        }
        out.push('\n');
        out.push_str("| What | n | median | p95 | p99 | worst |\n");
        out.push_str("|---|--:|--:|--:|--:|--:|\n");
        for row in &self.rows {
            out.push_str(&row.line());
            out.push('\n');
        }
        print!("{out}");
    }
}

impl Row {
    /// The row as a line of the Markdown table. Percentiles are nearest-rank: p95 is the
    /// smallest sample at least 95% of the samples are not above.
    fn line(&self) -> String {
        let mut sorted = self.samples.clone();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let at = |p: f64| -> Option<f64> {
            let rank = ((p * n as f64).ceil() as usize).clamp(1, n.max(1));
            sorted.get(rank - 1).copied()
        };
        let show = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| self.unit.show(v));
        // One sample (memory) is one value, not a distribution.
        let (p95, p99) = if n > 1 {
            (show(at(0.95)), show(at(0.99)))
        } else {
            ("—".to_string(), "—".to_string())
        };
        format!(
            "| {} | {n} | {} | {p95} | {p99} | {} |",
            self.what.replace('|', "/"),
            show(at(0.5)),
            show(sorted.last().copied())
        )
    }
}

impl Unit {
    fn show(self, v: f64) -> String {
        match self {
            Unit::Millis if v < 10.0 => format!("{v:.2} ms"),
            Unit::Millis => format!("{v:.1} ms"),
            Unit::Bytes => format!("{} B", grouped(v.round() as i64)),
            Unit::Memory => format!("{:.1} MiB", v / 1024.0),
        }
    }
}

/// `1234567` as `1,234,567`.
fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}
