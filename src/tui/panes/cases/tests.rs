//! The Cases pane's tests: the list, the case page, the forms, the filter and the statuses
//! screen, on their own and through the app.

use ratatui::layout::Rect;

use crate::store::org_units;
use crate::tui::panes::{Effect, Pane};
use crate::tui::theme::Theme;

use super::*;
use crate::store::cases::CaseRow;
use crate::tui::testing::{self, draw_pane};
use crate::tui::widgets::form::FieldValue;

#[test]
fn cases_come_most_urgent_first_and_the_keys_move_through_them() {
    let mut store = testing::store();
    store.add_work();
    let mut pane = Cases::new(store.actor.clone(), testing::fixed_now);
    assert_eq!(
        pane.show(Rect::new(0, 0, 80, 22), &mut store.db),
        Effect::Done
    );
    let number = |pane: &Cases| pane.list.selected().map(|r: &CaseRow| r.number.clone());
    assert_eq!(number(&pane).as_deref(), Some("1405-00051"), "P1 first");
    for (action, expected) in [
        ("list-down", "1405-00060"),
        ("list-down", "1405-00042"),
        ("list-bottom", "1405-00009"),
        ("list-up", "1405-00038"),
        ("list-top", "1405-00051"),
    ] {
        assert_eq!(pane.handle(action, &mut store.db), Effect::Done);
        assert_eq!(number(&pane).as_deref(), Some(expected), "after {action}");
    }
    assert_eq!(pane.handle("inbox-done", &mut store.db), Effect::Ignored);
}

#[test]
fn closed_cases_and_importance_read_without_colour() {
    let mut store = testing::store();
    store.add_work();
    let mut pane = Cases::new(store.actor.clone(), testing::fixed_now);
    pane.show(Rect::new(0, 0, 120, 20), &mut store.db);
    let screen = draw_pane(&mut pane, 120, 20).join("\n");
    for text in [
        "[Won]",
        "[Lost]",
        "Negotiation",
        "critical",
        "P1",
        "2,400,000,000",
    ] {
        assert!(screen.contains(text), "{text} in\n{screen}");
    }
    assert!(!screen.contains("[Negotiation]"), "{screen}");
}

#[test]
fn an_empty_list_says_how_to_load_demo_data() {
    let mut store = testing::store();
    let mut pane = Cases::new(store.actor.clone(), testing::fixed_now);
    pane.show(Rect::new(0, 0, 80, 22), &mut store.db);
    let screen = draw_pane(&mut pane, 80, 22).join("\n");
    assert!(screen.contains("Cases (0)"), "{screen}");
    assert!(screen.contains("peygir demo"), "{screen}");
}

#[test]
fn the_cases_at_80x24_and_120x40() {
    let mut store = testing::store();
    store.add_work();
    for (width, height) in [(80, 24), (120, 40)] {
        let mut app = store.app(width, height, Theme::plain());
        testing::press(&mut app, &mut store.db, '3');
        let screen = testing::text(&testing::render(&mut app, width, height));
        insta::assert_snapshot!(format!("cases_{width}x{height}"), screen);
    }
}

#[test]
fn a_follow_up_on_a_case_moves_its_status_and_shows_on_its_page() {
    use crossterm::event::{KeyCode, KeyModifiers};
    use testing::{press, press_key, render, text, type_text};
    let mut store = testing::store();
    store.add_work();
    let mut app = store.app(100, 30, Theme::plain());
    let db = &mut store.db;
    press(&mut app, db, '3');
    // The most urgent case, 1405-00051 (qualified): a follow-up with a status after it.
    press(&mut app, db, 'F');
    type_text(&mut app, db, "Agreed on the delivery dates");
    for _ in 0..7 {
        press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
    }
    press_key(&mut app, db, KeyCode::Right, KeyModifiers::NONE);
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("> Status after"), "{screen}");
    press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("Logged on 1405-00051"), "{screen}");
    // Its place in the list may have moved: find it by number and open it.
    press(&mut app, db, '/');
    type_text(&mut app, db, "00051");
    press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
    press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("Agreed on the delivery dates"), "{screen}");
    assert!(
        !screen.contains("Status: Qualified"),
        "the status moved on: {screen}"
    );
    // A new case for a customer found by name.
    press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
    press(&mut app, db, 'n');
    type_text(&mut app, db, "Spare parts");
    press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
    type_text(&mut app, db, "Nova");
    press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
    press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("Added case 14"), "{screen}");
    assert!(screen.contains("Spare parts"), "{screen}");
    // Edited: the form comes filled with the case's fields.
    press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
    press(&mut app, db, '/');
    type_text(&mut app, db, "spare");
    press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
    press(&mut app, db, 'e');
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("Edit case 14"), "{screen}");
    assert!(screen.contains("Nova Foods"), "{screen}");
    press_key(&mut app, db, KeyCode::End, KeyModifiers::NONE);
    type_text(&mut app, db, " for 2027");
    press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("Saved case 14"), "{screen}");
    assert!(screen.contains("Spare parts for 2027"), "{screen}");
}

#[test]
fn closing_a_case_as_lost_asks_for_the_reason_rather_than_taking_the_first() {
    use crossterm::event::{KeyCode, KeyModifiers};
    use testing::{press, press_key, render, text, type_text};
    let mut store = testing::store();
    let mut app = on_cases(&mut store);
    let db = &mut store.db;
    press(&mut app, db, 'F');
    type_text(&mut app, db, "They chose another supplier");
    for _ in 0..7 {
        press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
    }
    // Right along the allowed statuses to Lost.
    for _ in 0..10 {
        if text(&render(&mut app, 100, 30)).contains("< Lost >") {
            break;
        }
        press_key(&mut app, db, KeyCode::Right, KeyModifiers::NONE);
    }
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("< Lost >"), "{screen}");
    assert!(screen.contains("< None >"), "no reason yet: {screen}");
    press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("is required"), "{screen}");
    assert!(screen.contains("They chose another supplier"), "{screen}");
    // The cursor is on the reason: one chosen, it saves.
    assert!(screen.contains("> Closed because"), "{screen}");
    press_key(&mut app, db, KeyCode::Right, KeyModifiers::NONE);
    press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("Logged on"), "{screen}");
}

/// The app on the Cases pane of the working store, 100 x 30.
fn on_cases(store: &mut testing::Store) -> crate::tui::app::App {
    store.add_work();
    let mut app = store.app(100, 30, Theme::plain());
    testing::press(&mut app, &mut store.db, '3');
    app
}

#[test]
fn the_filter_narrows_the_cases_by_status_and_expert_and_back_drops_it() {
    use crossterm::event::{KeyCode, KeyModifiers};
    use testing::{press, press_key, render, text, type_text};
    let mut store = testing::store();
    let mut app = on_cases(&mut store);
    let db = &mut store.db;
    let save = |app: &mut crate::tui::app::App, db: &mut Db| {
        press_key(app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
    };
    // A status: of six cases only the new one is left.
    press(&mut app, db, 'f');
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("Filter cases"), "{screen}");
    assert!(screen.contains("> Status"), "{screen}");
    type_text(&mut app, db, "N");
    save(&mut app, db);
    let screen = text(&render(&mut app, 100, 30));
    assert!(
        screen.contains("Cases (1) · filtered: status New "),
        "{screen}"
    );
    assert!(screen.contains("1405-00060"), "{screen}");
    assert!(!screen.contains("1405-00051"), "{screen}");
    // An expert instead: the form shows the filter in force; Sara has two cases.
    press(&mut app, db, 'f');
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("< New >"), "{screen}");
    press_key(&mut app, db, KeyCode::Left, KeyModifiers::NONE);
    press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
    type_text(&mut app, db, "sara");
    press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
    save(&mut app, db);
    let screen = text(&render(&mut app, 100, 30));
    assert!(
        screen.contains("Cases (2) · filtered: expert Sara Rahimi "),
        "{screen}"
    );
    for (number, shown) in [
        ("1405-00038", true),
        ("1405-00009", true),
        ("1405-00051", false),
        ("1405-00042", false),
    ] {
        assert_eq!(screen.contains(number), shown, "{number} in\n{screen}");
    }
    // Both: Sara's case in Proposal sent.
    press(&mut app, db, 'f');
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("Sara Rahimi"), "kept in the form: {screen}");
    type_text(&mut app, db, "P");
    save(&mut app, db);
    let screen = text(&render(&mut app, 100, 30));
    assert!(
        screen.contains("Cases (1) · filtered: status Proposal sent, expert Sara Rahimi "),
        "{screen}"
    );
    assert!(screen.contains("1405-00038"), "{screen}");
    assert!(!screen.contains("1405-00009"), "{screen}");
    // The search narrows within the filter, and a new filter keeps the search.
    press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
    let screen = text(&render(&mut app, 100, 30));
    assert!(
        screen.contains("Cases (6) "),
        "back drops the filter: {screen}"
    );
    assert!(!screen.contains("filtered"), "{screen}");
    press(&mut app, db, '/');
    type_text(&mut app, db, "Compressor");
    press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
    press(&mut app, db, 'f');
    press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
    type_text(&mut app, db, "Ali");
    press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
    save(&mut app, db);
    let screen = text(&render(&mut app, 100, 30));
    assert!(
        screen.contains("Cases matching “Compressor” (0) · filtered: expert Ali Moradi"),
        "{screen}"
    );
    assert!(
        screen.contains("Nothing matches the search and filter chosen."),
        "not the empty store's text: {screen}"
    );
    press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("Cases (6) "), "{screen}");
    assert!(!screen.contains("matching"), "{screen}");
}

#[test]
fn a_priority_outside_1_to_5_is_refused_and_the_form_stays_open() {
    use crossterm::event::{KeyCode, KeyModifiers};
    use testing::{press, press_key, render, text, type_text};
    let mut store = testing::store();
    let mut app = on_cases(&mut store);
    let db = &mut store.db;
    press(&mut app, db, 'f');
    for _ in 0..3 {
        press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
    }
    type_text(&mut app, db, "9");
    press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("Filter cases"), "still open: {screen}");
    assert!(screen.contains("! must be from 1 to 5"), "{screen}");
    assert!(
        screen.contains("Priority: must be from 1 to 5"),
        "on the message line: {screen}"
    );
    // Put right, it goes through.
    press_key(&mut app, db, KeyCode::Backspace, KeyModifiers::NONE);
    type_text(&mut app, db, "2");
    press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let screen = text(&render(&mut app, 100, 30));
    assert!(
        screen.contains("Cases (2) · filtered: priority 2 "),
        "{screen}"
    );
}

#[test]
fn importance_open_cases_and_a_unit_with_the_units_below_it() {
    use diesel::prelude::*;
    let mut store = testing::store();
    store.add_work();
    let db = &mut store.db;
    let head = org_units::find_or_add(db, None, "Head office").expect("a unit");
    let tehran = org_units::find_or_add(db, Some(head), "Tehran sales").expect("a unit");
    let branch = org_units::find_or_add(db, None, "Branch").expect("a unit");
    assert_eq!(
        org_units::all(db).expect("units"),
        [
            (branch, "Branch".to_string()),
            (head, "Head office".to_string()),
            (tehran, "Head office / Tehran sales".to_string()),
        ]
    );
    {
        use crate::db::schema::cases;
        crate::on_backend!(db, |c| diesel::update(
            cases::table.filter(cases::number.eq("1405-00017"))
        )
        .set(cases::org_unit_id.eq(Some(tehran)))
        .execute(c))
        .expect("a unit on a case");
    }
    let mut pane = Cases::new(store.actor.clone(), testing::fixed_now);
    pane.show(Rect::new(0, 0, 100, 22), db);
    let numbers = |pane: &mut Cases, db: &mut Db| {
        let mut found = Vec::new();
        pane.handle("list-top", db);
        while let Some(row) = pane.list.selected() {
            if found.contains(&row.number) {
                break;
            }
            found.push(row.number.clone());
            pane.handle("list-down", db);
        }
        found
    };
    let filter = |pane: &mut Cases, db: &mut Db, values: Vec<(&'static str, FieldValue)>| {
        assert_eq!(pane.handle("filter", db), Effect::Done);
        assert!(pane.active_form().is_some());
        assert_eq!(pane.form_event(FormEvent::Save(values), db), Effect::Done);
        assert!(pane.active_form().is_none());
    };
    let choice = |v: &str| FieldValue::Choice(v.to_string());
    filter(&mut pane, db, vec![("importance", choice("high"))]);
    assert_eq!(numbers(&mut pane, db), ["1405-00060", "1405-00042"]);
    filter(&mut pane, db, vec![("open", choice("yes"))]);
    assert_eq!(
        numbers(&mut pane, db),
        ["1405-00051", "1405-00060", "1405-00042", "1405-00038"]
    );
    filter(&mut pane, db, vec![("unit", choice(&head.to_string()))]);
    assert_eq!(numbers(&mut pane, db), ["1405-00017"]);
    let screen = draw_pane(&mut pane, 100, 10).join("\n");
    assert!(
        screen.contains("Cases (1) · filtered: unit Head office "),
        "{screen}"
    );
    assert_eq!(pane.handle("back", db), Effect::Done);
    assert_eq!(numbers(&mut pane, db).len(), 6);
}

#[test]
fn sort_says_the_one_order_and_moves_nothing() {
    let mut store = testing::store();
    let mut app = on_cases(&mut store);
    let db = &mut store.db;
    testing::press(&mut app, db, 'j');
    testing::press(&mut app, db, 's');
    let screen = testing::text(&testing::render(&mut app, 100, 30));
    assert!(
        screen.contains("Listed most urgent first: priority, then the next planned action."),
        "{screen}"
    );
    assert!(
        screen.contains("> 1405-00060"),
        "still the second row: {screen}"
    );
}

#[test]
fn the_statuses_screen_opens_from_the_cases_and_esc_closes_it() {
    use crossterm::event::{KeyCode, KeyModifiers};
    use testing::{press, press_key, render, text};
    let mut store = testing::store();
    store.add_work();
    let mut app = store.app(100, 30, Theme::plain());
    let db = &mut store.db;
    press(&mut app, db, '3');
    press(&mut app, db, 'T');
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("Case statuses"), "{screen}");
    assert!(screen.contains("-> "), "{screen}");
    press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
    let screen = text(&render(&mut app, 100, 30));
    assert!(screen.contains("Cases ("), "{screen}");
}

/// The screen's row that holds `needle`.
fn row_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle} in\n{screen}"))
}

#[test]
fn a_case_saved_meanwhile_is_compared_saved_over_or_taken_in_its_form() {
    use crate::store::cases::{self, CaseFields};
    use crate::store::{Role, users};
    use crossterm::event::{KeyCode, KeyModifiers};
    use testing::{press, press_key, render, text, type_text};
    let mut store = testing::store();
    crate::store::ensure_defaults(&mut store.db).expect("the default statuses");
    let ali = store.add_contact(testing::person("Ali", "Kazemi"));
    let id =
        users::insert_user(&mut store.db, "sara", "Sara Rahimi", Role::Agent, None).expect("sara");
    let sara = Actor {
        id,
        login: "sara".into(),
        role: Role::Agent,
    };
    let fields = CaseFields {
        title: "Boilers for the new wing".into(),
        contact_id: Some(ali),
        expert_id: sara.id,
        ..CaseFields::default()
    };
    let case = cases::create(&mut store.db, &store.actor, fields).expect("a case");
    let mut app = store.app(120, 30, Theme::plain());
    let db = &mut store.db;
    let ctrl = |app: &mut crate::tui::app::App, db: &mut Db, c: char| {
        press_key(app, db, KeyCode::Char(c), KeyModifiers::CONTROL);
    };
    // Sara makes the case most urgent, at the version the form was opened at.
    let sara_saves = |db: &mut Db, priority: i32| {
        let now = cases::get(db, case.id).expect("the case");
        let fields = CaseFields {
            priority,
            ..now.fields()
        };
        cases::update(db, &sara, case.id, now.version, fields).expect("sara saves");
    };
    press(&mut app, db, '3');
    press(&mut app, db, 'e');
    type_text(&mut app, db, " (lobby)");
    sara_saves(db, 1);
    ctrl(&mut app, db, 's');
    let screen = text(&render(&mut app, 120, 30));
    assert!(screen.contains("Sara Rahimi saved this at"), "{screen}");
    assert!(screen.contains("ctrl-d: compare"), "{screen}");
    assert!(
        screen.contains("Boilers for the new wing (lobby)"),
        "the form stays open with what was typed:\n{screen}"
    );
    assert_eq!(
        cases::get(db, case.id).expect("the case").title,
        "Boilers for the new wing"
    );
    // f1 lists the form's keys, these among them; esc goes back to the form as it was.
    press_key(&mut app, db, KeyCode::F(1), KeyModifiers::NONE);
    let screen = text(&render(&mut app, 120, 30));
    assert!(screen.contains("Forms"), "{screen}");
    assert!(
        row_with(&screen, "ctrl-d")
            .contains("Compare what you typed with what was saved meanwhile"),
        "{screen}"
    );
    assert!(
        row_with(&screen, "ctrl-r")
            .contains("Take what was saved meanwhile instead of what you typed"),
        "{screen}"
    );
    press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
    let screen = text(&render(&mut app, 120, 30));
    assert!(screen.contains("Sara Rahimi saved this at"), "{screen}");
    // Compared: the title typed and the priority Sara set, each with both values.
    ctrl(&mut app, db, 'd');
    let screen = text(&render(&mut app, 120, 30));
    assert!(screen.contains("Stored now"), "{screen}");
    let title = row_with(&screen, "Title");
    assert!(
        title.contains("Boilers for the new wing (lobby)")
            && title.matches("Boilers for the new wing").count() == 2,
        "{screen}"
    );
    let priority = row_with(&screen, "Pri ");
    assert!(
        priority.contains(" 3 ") && priority.contains(" 1 "),
        "{screen}"
    );
    assert!(!screen.contains("Importance"), "the same on both: {screen}");
    // Any key goes back to the form; ctrl-s then saves what was typed over Sara's save.
    press(&mut app, db, 'x');
    let screen = text(&render(&mut app, 120, 30));
    assert!(!screen.contains("Stored now"), "{screen}");
    assert!(!screen.contains("(lobby)x"), "{screen}");
    ctrl(&mut app, db, 's');
    let screen = text(&render(&mut app, 120, 30));
    assert!(screen.contains("Saved case"), "{screen}");
    let stored = cases::get(db, case.id).expect("the case");
    assert_eq!(stored.title, "Boilers for the new wing (lobby)");
    assert_eq!(stored.priority, 3, "what the form held goes over Sara's");
    assert_eq!(stored.version, case.version + 2);
    // Again, and this time the stored values are taken: the form shows them and leaves
    // without asking, and nothing of what was typed is saved.
    press(&mut app, db, 'e');
    type_text(&mut app, db, " east");
    sara_saves(db, 2);
    ctrl(&mut app, db, 's');
    ctrl(&mut app, db, 'r');
    let screen = text(&render(&mut app, 120, 30));
    assert!(!screen.contains("(lobby) east"), "{screen}");
    assert!(row_with(&screen, "Pri*").contains(" 2 "), "{screen}");
    assert!(
        screen.contains("the stored values are in the form now"),
        "{screen}"
    );
    press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
    let screen = text(&render(&mut app, 120, 30));
    assert!(!screen.contains("Edit case"), "{screen}");
    let stored = cases::get(db, case.id).expect("the case");
    assert_eq!(stored.title, "Boilers for the new wing (lobby)");
    assert_eq!((stored.priority, stored.version), (2, case.version + 3));
}
