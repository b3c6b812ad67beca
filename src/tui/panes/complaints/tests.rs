//! The Complaints pane's tests: the list and its service levels, the filter and the search, a
//! complaint's page, moving it on, and a new complaint; on their own and through the app.

use chrono::{NaiveDateTime, TimeDelta};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use diesel::prelude::*;
use ratatui::layout::Rect;

use super::list::{clock_text, resolution_clock};
use super::*;
use crate::db::schema::complaints as table;
use crate::store::complaints::{self, ComplaintRow};
use crate::store::lookups::{self, List};
use crate::tui::panes::{Effect, Pane};
use crate::tui::testing::{self, draw_pane, fixed_now};
use crate::tui::theme::Theme;
use crate::tui::widgets::form::FieldValue;

/// Gives the working store its service levels and working week, and its complaints due times
/// around [`fixed_now`]: the critical one's resolution ran over two hours ago (its first
/// response was in time), the others' are a day and five days off.
fn with_due_times(store: &mut testing::Store) {
    crate::store::sla::ensure_defaults(&mut store.db).expect("service levels");
    let now = fixed_now();
    let hours = TimeDelta::hours;
    let due: [(
        &str,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
        NaiveDateTime,
    ); 3] = [
        (
            "C-1405-00107",
            Some(now - TimeDelta::days(3) + hours(2)),
            Some(now - TimeDelta::days(3) + hours(1)),
            now - hours(2),
        ),
        ("C-1405-00101", None, None, now + TimeDelta::days(1)),
        ("C-1405-00099", None, None, now + TimeDelta::days(5)),
    ];
    for (number, response, acknowledged, resolution) in due {
        diesel::update(table::table.filter(table::number.eq(number)))
            .set((
                table::response_due_at.eq(response),
                table::acknowledged_at.eq(acknowledged),
                table::resolution_due_at.eq(Some(resolution)),
            ))
            .execute(&mut store.db)
            .expect("due times set");
    }
}

/// The pane on the working store with due times, shown on 100 x 30.
fn shown() -> (testing::Store, Complaints) {
    let mut store = testing::store();
    store.add_work();
    with_due_times(&mut store);
    let mut pane = Complaints::new(store.actor.clone(), fixed_now);
    assert_eq!(
        pane.show(Rect::new(0, 0, 100, 28), &mut store.db),
        Effect::Done
    );
    (store, pane)
}

fn number(pane: &Complaints) -> Option<String> {
    pane.list
        .selected()
        .map(|r: &ComplaintRow| r.number.clone())
}

/// A key for the pane's open form or search box, with the action the keymap makes of it.
fn key(pane: &mut Complaints, db: &mut Db, action: Option<&'static str>, code: KeyCode) -> Effect {
    let modifiers = if action == Some("form-save") {
        KeyModifiers::CONTROL
    } else {
        KeyModifiers::NONE
    };
    pane.key(action, KeyEvent::new(code, modifiers), fixed_now(), db)
}

/// The filter form's values: `status`, `late` and the rest left to "any" / "no".
fn filter_values(status: &str, late: &str) -> Vec<(&'static str, FieldValue)> {
    vec![
        ("status", FieldValue::Choice(status.into())),
        ("severity", FieldValue::Choice(String::new())),
        ("category", FieldValue::Choice(String::new())),
        ("expert", FieldValue::Empty),
        ("open", FieldValue::Choice("no".into())),
        ("late", FieldValue::Choice(late.into())),
    ]
}

#[test]
fn the_late_ones_come_first_with_the_time_left_or_over() {
    let (mut store, mut pane) = shown();
    assert_eq!(number(&pane).as_deref(), Some("C-1405-00107"));
    let calendar = pane.calendar.clone().expect("the calendar read on showing");
    let mut seen = Vec::new();
    for _ in 0..3 {
        let row = pane.list.selected().cloned().expect("a row");
        seen.push((
            row.number.clone(),
            clock_text(resolution_clock(&calendar, &row, fixed_now())),
        ));
        pane.handle("list-down", &mut store.db);
    }
    assert_eq!(seen[0].0, "C-1405-00107");
    assert!(seen[0].1.starts_with("!-"), "over: {seen:?}");
    assert!(seen[0].1.ends_with('m'), "{seen:?}");
    for (_, text) in &seen[1..] {
        assert!(
            !text.starts_with('!') && text.ends_with('m'),
            "left: {seen:?}"
        );
    }
    assert_eq!(
        seen.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        ["C-1405-00107", "C-1405-00101", "C-1405-00099"]
    );
    let screen = draw_pane(&mut pane, 100, 28).join("\n");
    for text in ["investigating", "critical", "proposed", "SLA", &seen[0].1] {
        assert!(screen.contains(text), "{text} in\n{screen}");
    }
}

#[test]
fn the_clocks_read_met_or_late_once_closed() {
    use crate::store::complaints::Clock;
    assert_eq!(clock_text(Some(Clock::Stopped { late: false })), "met");
    assert_eq!(clock_text(Some(Clock::Stopped { late: true })), "late");
    assert_eq!(
        clock_text(Some(Clock::Running { minutes_left: 200 })),
        "3h 20m"
    );
    assert_eq!(
        clock_text(Some(Clock::Over { minutes_over: 65 })),
        "!-1h 05m"
    );
    assert_eq!(
        clock_text(Some(Clock::Running { minutes_left: 6000 })),
        "100h"
    );
    assert_eq!(clock_text(None), "");
}

#[test]
fn the_filter_and_the_search_narrow_the_list_and_back_drops_them() {
    let (mut store, mut pane) = shown();
    let db = &mut store.db;
    assert_eq!(pane.handle("filter", db), Effect::Done);
    assert_eq!(pane.mode(), Mode::Form);
    assert_eq!(
        pane.form_event(FormEvent::Save(filter_values("received", "no")), db),
        Effect::Done
    );
    assert_eq!(pane.mode(), Mode::Normal);
    assert_eq!(pane.list.total(), 1);
    assert_eq!(number(&pane).as_deref(), Some("C-1405-00099"));
    assert_eq!(pane.filter_text, "status received");
    // Late ones only: the critical one, whose resolution ran over.
    pane.handle("filter", db);
    pane.form_event(FormEvent::Save(filter_values("", "yes")), db);
    assert_eq!(pane.list.total(), 1);
    assert_eq!(number(&pane).as_deref(), Some("C-1405-00107"));
    assert_eq!(pane.filter_text, "late only");
    // Back drops the filter.
    assert_eq!(pane.handle("back", db), Effect::Done);
    assert_eq!(pane.list.total(), 3);
    assert!(pane.filter_text.is_empty());
    // The search, on the customer's name.
    assert_eq!(pane.handle("search", db), Effect::Done);
    assert_eq!(pane.mode(), Mode::Search);
    for c in "nova".chars() {
        key(&mut pane, db, None, KeyCode::Char(c));
    }
    assert_eq!(pane.list.total(), 1);
    assert_eq!(number(&pane).as_deref(), Some("C-1405-00101"));
    key(&mut pane, db, Some("search-accept"), KeyCode::Enter);
    assert_eq!(pane.mode(), Mode::Normal);
    // And on the number.
    pane.handle("back", db);
    pane.handle("search", db);
    for c in "00099".chars() {
        key(&mut pane, db, None, KeyCode::Char(c));
    }
    assert_eq!(number(&pane).as_deref(), Some("C-1405-00099"));
    assert_eq!(pane.list.total(), 1);
}

#[test]
fn enter_opens_the_complaint_and_back_goes_to_the_list() {
    let (mut store, mut pane) = shown();
    let db = &mut store.db;
    pane.handle("list-down", db);
    assert_eq!(pane.handle("open", db), Effect::Done);
    let page = pane.page.as_ref().expect("a page");
    assert_eq!(page.complaint.number, "C-1405-00101");
    assert_eq!(pane.current(), Some(page.complaint.id));
    let screen = draw_pane(&mut pane, 100, 28).join("\n");
    for text in ["C-1405-00101", "Nova Foods", "Resolution due", "Timeline"] {
        assert!(screen.contains(text), "{text} in\n{screen}");
    }
    assert_eq!(pane.handle("back", db), Effect::Done);
    assert!(pane.page.is_none());
    assert_eq!(number(&pane).as_deref(), Some("C-1405-00101"));
}

#[test]
fn a_move_the_store_refuses_keeps_the_form_open_and_a_good_one_goes_through() {
    let (mut store, mut pane) = shown();
    let db = &mut store.db;
    // The critical one, under investigation: action taken needs a root cause.
    assert_eq!(pane.handle("complaint-status", db), Effect::Done);
    assert_eq!(pane.mode(), Mode::Form);
    let values = |cause: String| {
        vec![
            ("status", FieldValue::Choice("action_taken".into())),
            ("note", FieldValue::Text("Housing replaced".into())),
            ("root-cause", FieldValue::Choice(cause)),
            ("resolution", FieldValue::Empty),
            ("satisfaction", FieldValue::Empty),
        ]
    };
    let refused = pane.form_event(FormEvent::Save(values(String::new())), db);
    assert!(
        matches!(&refused, Effect::Error(text) if text.contains("Root cause")),
        "{refused:?}"
    );
    assert_eq!(pane.mode(), Mode::Form, "the form stays open");
    let screen = draw_pane(&mut pane, 100, 28).join("\n");
    assert!(screen.contains("is required"), "{screen}");
    let cause = lookups::items(db, List::RootCause)
        .expect("root causes")
        .first()
        .map(|item| item.id.to_string())
        .expect("a root cause");
    let moved = pane.form_event(FormEvent::Save(values(cause)), db);
    assert_eq!(
        moved,
        Effect::Message("Moved C-1405-00107 to action taken.".into())
    );
    assert_eq!(pane.mode(), Mode::Normal);
    let id = pane.current().expect("a complaint");
    let complaint = complaints::get(db, id).expect("the complaint");
    assert_eq!(complaint.status, "action_taken");
    assert!(complaint.root_cause_id.is_some());
    // The page shows the step, who made it and why.
    pane.handle("open", db);
    let screen = draw_pane(&mut pane, 120, 30).join("\n");
    for text in ["investigating → action taken", "tester", "Housing replaced"] {
        assert!(screen.contains(text), "{text} in\n{screen}");
    }
}

#[test]
fn a_new_complaint_is_recorded_and_shown_on_its_page() {
    let (mut store, mut pane) = shown();
    let db = &mut store.db;
    assert_eq!(pane.handle("new", db), Effect::Done);
    assert_eq!(pane.mode(), Mode::Form);
    // The customer found by name.
    for c in "Nova".chars() {
        key(&mut pane, db, None, KeyCode::Char(c));
    }
    key(&mut pane, db, None, KeyCode::Enter);
    for c in "Late delivery".chars() {
        key(&mut pane, db, None, KeyCode::Char(c));
    }
    key(&mut pane, db, Some("form-next"), KeyCode::Tab);
    for c in "Two weeks late".chars() {
        key(&mut pane, db, None, KeyCode::Char(c));
    }
    let effect = key(&mut pane, db, Some("form-save"), KeyCode::Char('s'));
    assert!(
        matches!(&effect, Effect::Message(text) if text.starts_with("Added complaint C-")),
        "{effect:?}"
    );
    assert_eq!(pane.mode(), Mode::Normal);
    let page = pane.page.as_ref().expect("its page");
    assert_eq!(page.complaint.title, "Late delivery");
    assert_eq!(page.complaint.status, "received");
    assert!(page.complaint.resolution_due_at.is_some());
    assert_eq!(pane.list.total(), 4);
}

#[test]
fn an_empty_list_says_what_would_be_here() {
    let mut store = testing::store();
    let mut pane = Complaints::new(store.actor.clone(), fixed_now);
    pane.show(Rect::new(0, 0, 80, 22), &mut store.db);
    let screen = draw_pane(&mut pane, 80, 22).join("\n");
    assert!(screen.contains("Complaints (0)"), "{screen}");
    assert!(screen.contains("peygir demo"), "{screen}");
}

#[test]
fn the_complaints_at_80x24_and_120x40() {
    let mut store = testing::store();
    store.add_work();
    with_due_times(&mut store);
    for (width, height) in [(80, 24), (120, 40)] {
        let mut app = store.app(width, height, Theme::plain());
        testing::press(&mut app, &mut store.db, '5');
        let screen = testing::text(&testing::render(&mut app, width, height));
        insta::assert_snapshot!(format!("complaints_{width}x{height}"), screen);
        testing::press_key(&mut app, &mut store.db, KeyCode::Enter, KeyModifiers::NONE);
        let screen = testing::text(&testing::render(&mut app, width, height));
        insta::assert_snapshot!(format!("complaint_page_{width}x{height}"), screen);
        testing::press(&mut app, &mut store.db, 'S');
        let screen = testing::text(&testing::render(&mut app, width, height));
        insta::assert_snapshot!(format!("complaint_status_{width}x{height}"), screen);
    }
}

#[test]
fn over_time_is_drawn_in_the_error_style() {
    let mut store = testing::store();
    store.add_work();
    with_due_times(&mut store);
    let mut app = store.app(100, 24, Theme::coloured());
    testing::press(&mut app, &mut store.db, '5');
    let buffer = testing::render(&mut app, 100, 24);
    let y = (0..24)
        .find(|&y| testing::lines(&buffer)[usize::from(y)].contains("C-1405-00107"))
        .expect("the late row");
    let x = testing::column_of(&buffer, y, "!-").expect("the time over");
    assert_eq!(buffer[(x, y)].fg, ratatui::style::Color::Red);
    let other = (0..24)
        .find(|&y| testing::lines(&buffer)[usize::from(y)].contains("C-1405-00101"))
        .expect("a row in time");
    assert_ne!(buffer[(x, other)].fg, ratatui::style::Color::Red);
}

#[test]
fn the_filter_form_through_the_app_says_what_it_lets_through() {
    use testing::{press, press_key, render, text};
    let mut store = testing::store();
    store.add_work();
    with_due_times(&mut store);
    let mut app = store.app(100, 30, Theme::plain());
    let db = &mut store.db;
    press(&mut app, db, '5');
    press(&mut app, db, 'f');
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("Filter complaints"), "{screen}");
    // Status: the first that starts with `i`.
    press(&mut app, db, 'i');
    press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let screen = text(&render(&mut app, 100, 30));
    assert!(
        screen.contains("Complaints (1) · filtered: status investigating "),
        "{screen}"
    );
    press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("Complaints (3) "), "{screen}");
}

#[test]
fn f_logs_a_follow_up_on_the_complaint_and_its_next_action_reaches_the_inbox() {
    use crate::store::followups::{self, FollowUpFilter};
    use testing::{press, press_key, render, text, type_text};
    let mut store = testing::store();
    store.add_work();
    with_due_times(&mut store);
    let mut app = store.app(120, 40, Theme::plain());
    let db = &mut store.db;
    let before = followups::count(db, &FollowUpFilter::default()).expect("count");
    press(&mut app, db, '5');
    // The critical one is selected: F opens the follow-up form on it, without the case's fields.
    press(&mut app, db, 'F');
    let screen = text(&render(&mut app, 120, 40));
    assert!(
        screen.contains("Follow-up on complaint C-1405-00107 · Azar Steel"),
        "{screen}"
    );
    for absent in [
        "Status after",
        "Won amount",
        "Closed because",
        "New case title",
    ] {
        assert!(!screen.contains(absent), "{absent} in\n{screen}");
    }
    type_text(&mut app, db, "Agreed to replace the housing");
    press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
    type_text(&mut app, db, "Ship the replacement housing");
    press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let screen = text(&render(&mut app, 120, 40));
    assert!(
        screen.contains("Logged on C-1405-00107; next action due"),
        "{screen}"
    );
    assert_eq!(
        followups::count(db, &FollowUpFilter::default()).expect("count"),
        before + 1
    );
    // The page's timeline shows it beside the complaint's earlier follow-up.
    press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
    let screen = text(&render(&mut app, 120, 40));
    for said in [
        "Agreed to replace the housing",
        "Customer sent photos of the cracked housing.",
    ] {
        assert!(screen.contains(said), "{said} in\n{screen}");
    }
    // The next action is in the inbox, on the complaint's number and customer.
    press(&mut app, db, '1');
    let screen = text(&render(&mut app, 120, 40));
    let row = screen
        .lines()
        .find(|line| line.contains("Ship the replacement housing"))
        .unwrap_or_else(|| panic!("the next action in\n{screen}"));
    assert!(row.contains("C-1405-00107"), "{row}");
    assert!(row.contains("Azar Steel"), "{row}");
}

#[test]
fn f_on_a_complaint_page_saves_and_refreshes_the_page() {
    let (mut store, mut pane) = shown();
    let db = &mut store.db;
    assert_eq!(pane.handle("open", db), Effect::Done);
    assert_eq!(pane.handle("complaint-followup", db), Effect::Done);
    assert_eq!(pane.mode(), Mode::Form);
    for c in "Called back".chars() {
        key(&mut pane, db, None, KeyCode::Char(c));
    }
    let effect = key(&mut pane, db, Some("form-save"), KeyCode::Char('s'));
    assert_eq!(effect, Effect::Message("Logged on C-1405-00107.".into()));
    assert_eq!(pane.mode(), Mode::Normal);
    let screen = draw_pane(&mut pane, 120, 40).join("\n");
    assert!(screen.contains("Called back"), "{screen}");
}

/// The working store's critical complaint moved on to action taken by the tester, and another
/// agent, Nima Farahani, who may move it too; the pane shown with the complaint selected.
fn taken_action_on() -> (testing::Store, Complaints, ComplaintId, crate::store::Actor) {
    use crate::store::complaints::{ComplaintStatus, StatusChange};
    use crate::store::{Actor, Role};
    let (mut store, mut pane) = shown();
    let db = &mut store.db;
    let id = pane.current().expect("a complaint");
    let cause = lookups::items(db, List::RootCause)
        .expect("root causes")
        .first()
        .map(|item| item.id)
        .expect("a root cause");
    let complaint = complaints::get(db, id).expect("the complaint");
    let change = StatusChange {
        root_cause_id: Some(cause),
        ..StatusChange::default()
    };
    complaints::change_status(
        db,
        &store.actor,
        id,
        complaint.version,
        ComplaintStatus::ActionTaken,
        change,
    )
    .expect("action taken");
    let nima = users::insert_user(db, "nima", "Nima Farahani", Role::Agent, None).expect("nima");
    let nima = Actor {
        id: nima,
        login: "nima".into(),
        role: Role::Agent,
    };
    pane.show(Rect::new(0, 0, 100, 28), db);
    assert_eq!(pane.current(), Some(id), "still the one selected");
    (store, pane, id, nima)
}

/// The pane drawn on `width` x `height`, its rows' text (frame lines and margins dropped) run
/// together, so a notice wrapped over two rows reads as one.
fn flat(pane: &mut Complaints, width: u16, height: u16) -> String {
    draw_pane(pane, width, height)
        .iter()
        .map(|row| row.trim_matches(|c: char| c == '│' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Types `text` into the pane's open form.
fn type_in(pane: &mut Complaints, db: &mut Db, text: &str) {
    for c in text.chars() {
        key(pane, db, None, KeyCode::Char(c));
    }
}

#[test]
fn a_complaint_moved_meanwhile_keeps_the_note_and_ctrl_s_tries_the_move_again() {
    use crate::store::complaints::{ComplaintStatus, StatusChange};
    let (mut store, mut pane, id, nima) = taken_action_on();
    let db = &mut store.db;
    let opened = complaints::get(db, id).expect("the complaint");
    assert_eq!(pane.handle("complaint-status", db), Effect::Done);
    // Proposed, the first move from action taken, with why and the resolution.
    key(&mut pane, db, Some("form-next"), KeyCode::Tab);
    type_in(&mut pane, db, "Customer agreed to a replacement");
    key(&mut pane, db, Some("form-next"), KeyCode::Tab);
    key(&mut pane, db, Some("form-next"), KeyCode::Tab);
    type_in(&mut pane, db, "Replace the housing");
    // Nima sends it back to investigation while the form is open.
    let back = StatusChange {
        note: Some("Needs another look".into()),
        ..StatusChange::default()
    };
    complaints::change_status(
        db,
        &nima,
        id,
        opened.version,
        ComplaintStatus::Investigating,
        back,
    )
    .expect("nima moves it");
    assert_eq!(
        key(&mut pane, db, Some("form-save"), KeyCode::Char('s')),
        Effect::Done
    );
    assert_eq!(pane.mode(), Mode::Form, "the form stays open");
    let screen = flat(&mut pane, 100, 28);
    for text in [
        "Nima Farahani changed this complaint at",
        "it is now investigating",
        "ctrl-s: try yours again",
        "Move C-1405-00107 on from investigating",
        "Customer agreed to a replacement",
        "< proposed >",
    ] {
        assert!(screen.contains(text), "{text} in\n{screen}");
    }
    assert_eq!(
        complaints::get(db, id).expect("the complaint").status,
        "investigating"
    );
    // A move has nothing stored to compare or take: the keys say so and the note stays.
    for (action, c) in [("form-compare", 'd'), ("form-theirs", 'r')] {
        assert_eq!(
            key(&mut pane, db, Some(action), KeyCode::Char(c)),
            Effect::Done
        );
        let screen = draw_pane(&mut pane, 100, 28).join("\n");
        assert!(screen.contains("nothing to compare here"), "{screen}");
        assert!(
            screen.contains("Customer agreed to a replacement"),
            "{screen}"
        );
    }
    // ctrl-s tries the move again, on the complaint as it is now.
    assert_eq!(
        key(&mut pane, db, Some("form-save"), KeyCode::Char('s')),
        Effect::Message("Moved C-1405-00107 to proposed.".into())
    );
    assert_eq!(pane.mode(), Mode::Normal);
    let stored = complaints::get(db, id).expect("the complaint");
    assert_eq!(stored.status, "resolution_proposed");
    assert_eq!(stored.resolution.as_deref(), Some("Replace the housing"));
    assert_eq!(stored.version, opened.version + 2);
}

#[test]
fn a_move_no_longer_allowed_after_a_change_meanwhile_is_refused_beside_the_status() {
    use crate::store::complaints::{ComplaintStatus, StatusChange};
    let (mut store, mut pane, id, nima) = taken_action_on();
    let db = &mut store.db;
    let opened = complaints::get(db, id).expect("the complaint");
    pane.handle("complaint-status", db);
    // Back to investigation, the second move from action taken.
    key(&mut pane, db, None, KeyCode::Right);
    key(&mut pane, db, Some("form-next"), KeyCode::Tab);
    type_in(&mut pane, db, "Not the housing after all");
    let proposed = StatusChange {
        resolution: Some("Replace the housing".into()),
        ..StatusChange::default()
    };
    complaints::change_status(
        db,
        &nima,
        id,
        opened.version,
        ComplaintStatus::ResolutionProposed,
        proposed,
    )
    .expect("nima proposes a resolution");
    assert_eq!(
        key(&mut pane, db, Some("form-save"), KeyCode::Char('s')),
        Effect::Done
    );
    let screen = flat(&mut pane, 120, 30);
    for text in [
        "it is now proposed",
        "cannot go from proposed to investigating",
        "Not the housing after all",
        "Move C-1405-00107 on from proposed",
    ] {
        assert!(screen.contains(text), "{text} in\n{screen}");
    }
    assert_eq!(
        complaints::get(db, id).expect("the complaint").version,
        opened.version + 1
    );
}
