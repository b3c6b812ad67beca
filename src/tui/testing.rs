//! Test support for the interface: a throwaway SQLite store with an acting user, contacts put in
//! through the store, a small working store of cases, complaints, follow-ups, planned actions,
//! plans and sales laid out around a fixed "now", and screens rendered into ratatui's
//! `TestBackend` and read back as text.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Size;

use super::app::App;
use super::bidi;
use super::panes::Pane;
use super::theme::Theme;
use crate::db::ids::{CaseStatusId, ContactId, LookupId};
use crate::db::schema::{
    cases, complaints, followups, plan_lines, planned_actions, sales, sales_plans,
};
use crate::db::{self, Db, StoreUrl};
use crate::on_backend;
use crate::store::contacts::{self, ContactFields};
use crate::store::lookups::{self, List};
use crate::store::statuses;
use crate::store::users::{self, Resolved};
use crate::store::{Actor, Role};

/// A store in a temporary folder, removed when dropped (the connection goes first).
pub struct Store {
    pub db: Db,
    pub actor: Actor,
    _dir: tempfile::TempDir,
}

pub fn store() -> Store {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut db = db::open(&StoreUrl::Sqlite(dir.path().join("t.db"))).expect("test store");
    let actor = match users::resolve_actor(&mut db, "tester").expect("acting user") {
        Resolved::FirstAdmin(actor) | Resolved::Existing(actor) => actor,
    };
    assert_eq!(actor.role, Role::Admin);
    Store {
        db,
        actor,
        _dir: dir,
    }
}

pub fn person(first: &str, last: &str) -> ContactFields {
    ContactFields {
        kind: "person".into(),
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        ..Default::default()
    }
}

pub fn company(name: &str) -> ContactFields {
    ContactFields {
        kind: "company".into(),
        company_name: Some(name.into()),
        ..Default::default()
    }
}

impl Store {
    pub fn add(&mut self, fields: ContactFields) {
        contacts::create(&mut self.db, &self.actor, fields).expect("contact stored");
    }

    /// `n` people named `Person 000`, `Person 001`, …, which is also their list order; in one
    /// transaction, so a thousand take a moment rather than a thousand commits.
    pub fn add_people(&mut self, n: usize) {
        use diesel::Connection;
        let actor = self.actor.clone();
        self.db
            .transaction::<_, crate::error::Error, _>(|db| {
                for i in 0..n {
                    let mut fields = person("Person", &format!("{i:03}"));
                    fields.mobile = Some(format!("0912{i:07}"));
                    fields.email = Some(format!("p{i}@example.com"));
                    contacts::create(db, &actor, fields)?;
                }
                Ok(())
            })
            .expect("contacts stored");
    }

    /// An app on this store with the clock at [`fixed_now`], started on a screen of `width` x
    /// `height`.
    pub fn app(&mut self, width: u16, height: u16, theme: Theme) -> App {
        let keymap = crate::tui::keymap::Keymap::defaults();
        let mut app = App::with_clock(&self.actor, theme, keymap, fixed_now);
        app.start(Size::new(width, height), &mut self.db);
        app
    }
}

/// The fixed "now" of the interface's tests, a Tuesday morning (UTC): data is laid out around it
/// and panes read it as their clock, so what is overdue or due today never depends on the day
/// the tests run.
pub fn fixed_now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 10)
        .and_then(|d| d.and_hms_opt(9, 30, 0))
        .expect("a valid time")
}

/// What [`Store::add_work`] put in, for tests to check against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Work {
    /// The acting user's open planned actions.
    pub open_for_actor: i64,
    /// How many of those are overdue at [`fixed_now`].
    pub overdue: i64,
}

/// Inserts one row and gives its id back; the values are a tuple of `column.eq(value)`.
macro_rules! insert {
    ($db:expr, $table:ident, $values:expr) => {
        on_backend!($db, |c| diesel::insert_into($table::table)
            .values($values)
            .returning($table::id)
            .get_result::<i64>(c))
        .expect(concat!("a row in ", stringify!($table)))
    };
}

impl Store {
    /// A contact put in through the store; its id.
    pub fn add_contact(&mut self, fields: ContactFields) -> ContactId {
        contacts::create(&mut self.db, &self.actor, fields)
            .expect("contact stored")
            .id
    }

    fn lookup(&mut self, list: List, code: &str) -> LookupId {
        lookups::id_of(&mut self.db, list, code)
            .expect("lookups read")
            .unwrap_or_else(|| panic!("{code} is a default entry"))
    }

    /// A small working store around [`fixed_now`]: contacts (Persian ones among them), two more
    /// experts, six cases in several statuses, three complaints, follow-ups, planned actions
    /// (overdue, due today and upcoming for the acting user; one for someone else; one done and
    /// one cancelled), four sales plans with their lines, and sales.
    pub fn add_work(&mut self) -> Work {
        lookups::ensure_defaults(&mut self.db).expect("default lists");
        let now = fixed_now();
        let ago = |minutes: i64| now - TimeDelta::minutes(minutes);
        let day = 24 * 60;
        let me = self.actor.id;
        let sara = users::insert_user(&mut self.db, "sara", "Sara Rahimi", Role::Agent, None)
            .expect("a user");
        let ali = users::insert_user(&mut self.db, "ali", "Ali Moradi", Role::Manager, None)
            .expect("a user");

        let pars = self.add_contact(company("Pars Tejarat Co."));
        let reza = self.add_contact(person("Reza", "Ahmadi"));
        let nova = self.add_contact(company("Nova Foods"));
        let mina = self.add_contact(person("Mina", "Karimi"));
        let azar = self.add_contact(company("Azar Steel"));
        let laleh = self.add_contact(company("شرکت لاله‌زار تولیدی و بازرگانی"));
        let mohammad = self.add_contact(person("محمد", "احمدی"));

        let statuses: Vec<(String, CaseStatusId)> = statuses::all(&mut self.db)
            .expect("statuses")
            .into_iter()
            .map(|s| (s.code, s.id))
            .collect();
        let status = |code: &str| {
            statuses
                .iter()
                .find(|s| s.0 == code)
                .map(|s| s.1)
                .unwrap_or_else(|| panic!("{code} is a default status"))
        };
        let cases_in = [
            (
                "1405-00042",
                "Price list for 2026",
                Some(pars),
                Some(reza),
                me,
                "negotiation",
                "high",
                2,
                Some(850_000_000),
            ),
            (
                "1405-00038",
                "Revised quotation for packaging film",
                Some(nova),
                Some(mina),
                sara,
                "proposal",
                "normal",
                3,
                Some(120_000_000),
            ),
            (
                "1405-00051",
                "Delivery schedule for the second half",
                Some(pars),
                None,
                me,
                "qualified",
                "critical",
                1,
                Some(2_400_000_000),
            ),
            (
                "1405-00017",
                "Annual maintenance contract",
                Some(laleh),
                Some(mohammad),
                ali,
                "won",
                "normal",
                3,
                Some(300_000_000),
            ),
            (
                "1405-00009",
                "Compressor replacement",
                Some(azar),
                None,
                sara,
                "lost",
                "low",
                5,
                None,
            ),
            (
                "1405-00060",
                "خرید پمپ‌های صنعتی برای کارخانه",
                Some(laleh),
                Some(mohammad),
                me,
                "new",
                "high",
                2,
                Some(45_500_000),
            ),
        ];
        let mut case_ids = Vec::new();
        for (number, title, company, contact, expert, code, importance, priority, amount) in
            cases_in
        {
            case_ids.push(insert!(
                &mut self.db,
                cases,
                (
                    cases::number.eq(number),
                    cases::title.eq(title),
                    cases::search_text.eq(crate::store::cases::search_text(number, title)),
                    cases::company_id.eq(company),
                    cases::contact_id.eq(contact),
                    cases::expert_id.eq(expert),
                    cases::status_id.eq(status(code)),
                    cases::importance.eq(importance),
                    cases::priority.eq(priority),
                    cases::expected_amount.eq(amount),
                    cases::created_by.eq(me),
                    cases::updated_by.eq(me),
                    cases::created_at.eq(ago(30 * day)),
                    cases::updated_at.eq(ago(30 * day)),
                )
            ));
        }

        let complaints_in = [
            (
                "C-1405-00107",
                3 * day,
                "Pump delivered with a cracked housing",
                azar,
                "investigating",
                "critical",
                sara,
            ),
            (
                "C-1405-00101",
                20 * day,
                "Invoice amount does not match the quote",
                nova,
                "resolution_proposed",
                "medium",
                me,
            ),
            (
                "C-1405-00099",
                40 * day,
                "تاخیر در تحویل سفارش",
                laleh,
                "received",
                "high",
                ali,
            ),
        ];
        let mut complaint_ids = Vec::new();
        for (number, received, title, contact, code, severity, expert) in complaints_in {
            complaint_ids.push(insert!(
                &mut self.db,
                complaints,
                (
                    complaints::number.eq(number),
                    complaints::title.eq(title),
                    complaints::description.eq(title),
                    complaints::contact_id.eq(contact),
                    complaints::severity.eq(severity),
                    complaints::status.eq(code),
                    complaints::expert_id.eq(expert),
                    complaints::received_at.eq(ago(received)),
                    complaints::created_by.eq(me),
                    complaints::updated_by.eq(me),
                    complaints::created_at.eq(ago(received)),
                    complaints::updated_at.eq(ago(received)),
                )
            ));
        }
        let case = |i: usize| -> (Option<i64>, Option<i64>) { (Some(case_ids[i]), None) };
        let complaint = |i: usize| -> (Option<i64>, Option<i64>) { (None, Some(complaint_ids[i])) };

        let followups_in = [
            (
                case(0),
                "phone",
                2 * day - 40,
                me,
                12,
                "Asked for a discount on volume; sent to manager.",
            ),
            (case(0), "email", 8 * day, me, 5, "Sent the price list."),
            (
                case(1),
                "visit",
                day + 180,
                sara,
                60,
                "Visited the factory to demo the film; they want samples in two thicknesses before deciding.",
            ),
            (
                complaint(0),
                "phone",
                3 * day - 60,
                sara,
                20,
                "Customer sent photos of the cracked housing.",
            ),
            (
                case(5),
                "meeting",
                240,
                me,
                45,
                "جلسه با مدیر خرید؛ قیمت نهایی هفته بعد اعلام می‌شود",
            ),
            (
                case(2),
                "phone",
                30,
                me,
                8,
                "Confirmed the delivery address.",
            ),
        ];
        let mut followup_ids = Vec::new();
        for ((case_id, complaint_id), kind, when, expert, minutes, description) in followups_in {
            let kind = self.lookup(List::FollowupKind, kind);
            followup_ids.push(insert!(
                &mut self.db,
                followups,
                (
                    followups::case_id.eq(case_id),
                    followups::complaint_id.eq(complaint_id),
                    followups::kind_id.eq(kind),
                    followups::happened_at.eq(ago(when)),
                    followups::expert_id.eq(expert),
                    followups::minutes.eq(minutes),
                    followups::description.eq(description),
                    followups::created_by.eq(me),
                    followups::updated_by.eq(me),
                    followups::created_at.eq(ago(when)),
                    followups::updated_at.eq(ago(when)),
                )
            ));
        }

        // (subject, kind, minutes from now, assignee, estimate, what, status)
        let actions_in = [
            (
                case(0),
                "call",
                -2 * day,
                me,
                15,
                "Call back about the price list",
                "open",
            ),
            (
                case(1),
                "send-quote",
                -day - 120,
                me,
                30,
                "Send the revised quotation",
                "open",
            ),
            (
                complaint(0),
                "visit",
                -180,
                me,
                60,
                "Visit to inspect the cracked housing",
                "open",
            ),
            (
                case(2),
                "call",
                60,
                me,
                10,
                "Confirm the delivery date",
                "open",
            ),
            (
                case(5),
                "meeting",
                330,
                me,
                45,
                "جلسه پیگیری با مدیر خرید",
                "open",
            ),
            (
                case(0),
                "email",
                2 * day,
                me,
                20,
                "Send the contract draft",
                "open",
            ),
            (
                case(5),
                "demo",
                6 * day,
                me,
                90,
                "Product demo at the Isfahan plant",
                "open",
            ),
            (
                complaint(1),
                "call",
                10 * day,
                me,
                5,
                "Check the corrected invoice arrived",
                "open",
            ),
            (case(1), "call", -day, sara, 15, "Sara's own call", "open"),
            (case(0), "call", -5 * day, me, 10, "Already done", "done"),
            (
                case(2),
                "visit",
                -4 * day,
                me,
                10,
                "Cancelled visit",
                "cancelled",
            ),
        ];
        for ((case_id, complaint_id), kind, due, assignee, estimate, description, state) in
            actions_in
        {
            let kind = self.lookup(List::ActionKind, kind);
            let done = (state == "done").then_some(followup_ids[1]);
            insert!(
                &mut self.db,
                planned_actions,
                (
                    planned_actions::case_id.eq(case_id),
                    planned_actions::complaint_id.eq(complaint_id),
                    planned_actions::kind_id.eq(kind),
                    planned_actions::description.eq(description),
                    planned_actions::assignee_id.eq(assignee),
                    planned_actions::due_at.eq(now + TimeDelta::minutes(due)),
                    planned_actions::estimated_minutes.eq(estimate),
                    planned_actions::status.eq(state),
                    planned_actions::done_by_followup_id.eq(done),
                    planned_actions::created_by.eq(me),
                    planned_actions::updated_by.eq(me),
                    planned_actions::created_at.eq(ago(10 * day)),
                    planned_actions::updated_at.eq(ago(10 * day)),
                )
            );
        }

        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a valid date");
        let plans_in = [
            (
                "1405 H2",
                "b2b",
                "short",
                date(2026, 9, 23),
                date(2027, 3, 20),
                &[1_200_000_000_i64, 600_000_000, 500_000_000][..],
            ),
            (
                "1405 H2 retail",
                "b2c",
                "short",
                date(2026, 9, 23),
                date(2027, 3, 20),
                &[400_000_000][..],
            ),
            (
                "1405",
                "b2b",
                "long",
                date(2026, 3, 21),
                date(2027, 3, 20),
                &[4_000_000_000][..],
            ),
            (
                "1404 H2",
                "b2b",
                "short",
                date(2025, 9, 23),
                date(2026, 3, 20),
                &[2_000_000_000][..],
            ),
        ];
        for (name, market, term, starts, ends, targets) in plans_in {
            let plan = insert!(
                &mut self.db,
                sales_plans,
                (
                    sales_plans::name.eq(name),
                    sales_plans::market.eq(market),
                    sales_plans::term.eq(term),
                    sales_plans::starts_on.eq(starts),
                    sales_plans::ends_on.eq(ends),
                    sales_plans::created_by.eq(me),
                    sales_plans::updated_by.eq(me),
                    sales_plans::created_at.eq(ago(60 * day)),
                    sales_plans::updated_at.eq(ago(60 * day)),
                )
            );
            for target in targets {
                insert!(
                    &mut self.db,
                    plan_lines,
                    (
                        plan_lines::plan_id.eq(plan),
                        plan_lines::target_amount.eq(*target),
                        plan_lines::created_at.eq(ago(60 * day)),
                        plan_lines::updated_at.eq(ago(60 * day)),
                    )
                );
            }
        }
        let sales_in = [
            (pars, "b2b", 890_000_000_i64, date(2026, 10, 1)),
            (nova, "b2b", 420_000_000, date(2026, 11, 2)),
            (reza, "b2c", 75_000_000, date(2026, 10, 15)),
            (laleh, "b2b", 1_000_000_000, date(2026, 5, 10)),
            (azar, "b2b", 1_500_000_000, date(2026, 1, 10)),
        ];
        for (contact, market, amount, sold_on) in sales_in {
            insert!(
                &mut self.db,
                sales,
                (
                    sales::contact_id.eq(contact),
                    sales::market.eq(market),
                    sales::expert_id.eq(me),
                    sales::amount.eq(amount),
                    sales::sold_on.eq(sold_on),
                    sales::created_by.eq(me),
                    sales::updated_by.eq(me),
                    sales::created_at.eq(ago(day)),
                    sales::updated_at.eq(ago(day)),
                )
            );
        }
        Work {
            open_for_actor: 8,
            overdue: 3,
        }
    }
}

/// Draws `pane` alone on a screen of `width` x `height`, as lines of text.
pub fn draw_pane(pane: &mut dyn Pane, width: u16, height: u16) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| pane.draw(frame, frame.area(), &Theme::plain()))
        .expect("drawn");
    lines(terminal.backend().buffer())
}

/// Presses the key of `c` (no modifiers) in `app`.
pub fn press(app: &mut App, db: &mut Db, c: char) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    app.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), db);
}

/// Presses a key with modifiers in `app`.
pub fn press_key(
    app: &mut App,
    db: &mut Db,
    code: crossterm::event::KeyCode,
    modifiers: crossterm::event::KeyModifiers,
) {
    app.handle_key(&crossterm::event::KeyEvent::new(code, modifiers), db);
}

/// Types `text` into `app`, a key per character.
pub fn type_text(app: &mut App, db: &mut Db, text: &str) {
    for c in text.chars() {
        press(app, db, c);
    }
}

/// Draws `app` on a screen of `width` x `height` and returns the buffer.
pub fn render(app: &mut App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|frame| app.draw(frame)).expect("drawn");
    terminal.backend().buffer().clone()
}

/// The buffer's lines, one string per row of cells, as they are seen: without the zero-width
/// marks sent for a terminal's bidi.
pub fn lines(buffer: &Buffer) -> Vec<String> {
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| bidi::unmarked(buffer[(x, y)].symbol()))
                .collect()
        })
        .collect()
}

/// The whole screen as text, rows joined by newlines.
pub fn text(buffer: &Buffer) -> String {
    lines(buffer).join("\n")
}

/// The column (in cells) where `needle` starts on row `y`, matching one character per cell.
pub fn column_of(buffer: &Buffer, y: u16, needle: &str) -> Option<u16> {
    let symbols: Vec<String> = (0..buffer.area.width)
        .map(|x| bidi::unmarked(buffer[(x, y)].symbol()))
        .collect();
    let wanted: Vec<String> = needle.chars().map(String::from).collect();
    symbols
        .windows(wanted.len())
        .position(|w| w.iter().zip(&wanted).all(|(a, b)| a == b))
        .and_then(|x| u16::try_from(x).ok())
}
