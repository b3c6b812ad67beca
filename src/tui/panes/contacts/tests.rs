//! The Contacts pane's tests: drawing, paging, and the pane through the app.

use ratatui::layout::Rect;

use crate::tui::panes::{Effect, Pane};
use crate::tui::theme::Theme;

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::store::contacts::ContactRow;
use crate::tui::testing::{self, lines};

#[test]
fn drawn_values_carry_no_control_characters() {
    let mut store = testing::store();
    let evil = testing::person("Evil\x1b]0;owned\x07", "Name\u{202e}eman");
    store.add(evil);
    let mut pane = Contacts::new(store.actor.clone());
    pane.show(Rect::new(0, 0, 120, 10), &mut store.db);
    let mut terminal = Terminal::new(TestBackend::new(120, 10)).expect("test terminal");
    terminal
        .draw(|frame| pane.draw(frame, frame.area(), &Theme::plain()))
        .expect("drawn");
    let rows = lines(terminal.backend().buffer());
    for row in &rows {
        assert!(
            !row.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{row:?}"
        );
    }
    // The store strips what it can when saving; the screen strips the rest when drawing.
    assert!(rows[3].contains("Evil"), "{}", rows[3]);
}

#[test]
fn the_pane_pages_through_the_store() {
    let mut store = testing::store();
    store.add_people(60);
    let mut pane = Contacts::new(store.actor.clone());
    assert_eq!(
        pane.show(Rect::new(0, 0, 80, 13), &mut store.db),
        Effect::Done
    );
    let name = |pane: &Contacts| {
        pane.selected_row()
            .map(|r: &ContactRow| r.display_name.clone())
            .unwrap_or_default()
    };
    for (action, expected) in [
        ("list-bottom", "Person 059"),
        ("list-page-up", "Person 050"),
        ("list-up", "Person 049"),
        ("list-top", "Person 000"),
        ("list-half-down", "Person 004"),
    ] {
        assert_eq!(pane.handle(action, &mut store.db), Effect::Done);
        assert_eq!(name(&pane), expected, "after {action}");
    }
    assert_eq!(pane.handle("inbox-done", &mut store.db), Effect::Ignored);
}

#[test]
fn the_selected_row_is_marked_with_its_position() {
    let mut store = testing::store();
    store.add_people(60);
    let mut pane = Contacts::new(store.actor.clone());
    pane.show(Rect::new(0, 0, 80, 13), &mut store.db);
    for _ in 0..12 {
        pane.handle("list-down", &mut store.db);
    }
    let mut terminal = Terminal::new(TestBackend::new(80, 13)).expect("test terminal");
    terminal
        .draw(|frame| pane.draw(frame, frame.area(), &Theme::plain()))
        .expect("drawn");
    let rows = lines(terminal.backend().buffer());
    assert!(rows[0].contains("Contacts (60)"), "{}", rows[0]);
    assert!(rows[1].contains("Search:"), "{}", rows[1]);
    assert!(
        rows[2].contains("Name") && rows[2].contains("Mobile"),
        "{}",
        rows[2]
    );
    assert!(rows[3].contains("│  Person 004"), "{}", rows[3]);
    assert!(rows[11].contains("│> Person 012"), "{}", rows[11]);
    assert!(rows[12].contains("13 of 60"), "{}", rows[12]);
}

mod through_the_app {
    use crossterm::event::{KeyCode, KeyModifiers};

    use crate::store::contacts::{self, ContactFilter};
    use crate::tui::panes::PaneId;
    use crate::tui::testing::{self, press, press_key, render, text, type_text};
    use crate::tui::theme::Theme;

    fn ctrl(c: char) -> (KeyCode, KeyModifiers) {
        (KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn a_person_is_added_through_the_form() {
        let mut store = testing::store();
        let mut app = store.app(80, 24, Theme::plain());
        press(&mut app, &mut store.db, '2');
        assert_eq!(app.active(), PaneId::Contacts);
        press(&mut app, &mut store.db, 'n');
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("New person"), "{screen}");
        type_text(&mut app, &mut store.db, "Sara");
        press_key(&mut app, &mut store.db, KeyCode::Tab, KeyModifiers::NONE);
        type_text(&mut app, &mut store.db, "Ahmadi");
        let (code, mods) = ctrl('s');
        press_key(&mut app, &mut store.db, code, mods);
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("Added Sara Ahmadi."), "{screen}");
        assert!(screen.contains("Contacts (1)"), "{screen}");
        assert!(screen.contains("Sara Ahmadi"), "{screen}");
        let stored =
            contacts::page(&mut store.db, &ContactFilter::default(), None, 5).expect("page");
        assert_eq!(stored.len(), 1);
    }

    #[test]
    fn a_form_that_fails_stays_open_with_the_reasons_and_the_text() {
        let mut store = testing::store();
        let mut app = store.app(100, 30, Theme::plain());
        press(&mut app, &mut store.db, '2');
        press(&mut app, &mut store.db, 'n');
        type_text(&mut app, &mut store.db, "Sara");
        // To the national code, two fields down, with a wrong check digit.
        for _ in 0..2 {
            press_key(&mut app, &mut store.db, KeyCode::Tab, KeyModifiers::NONE);
        }
        type_text(&mut app, &mut store.db, "0012345678");
        let (code, mods) = ctrl('s');
        press_key(&mut app, &mut store.db, code, mods);
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("New person"), "the form stays: {screen}");
        assert!(screen.contains("is required"), "{screen}");
        assert!(screen.contains("Sara"), "{screen}");
        // The cursor went to the first failing field; with the last name typed the store
        // checks the national code and refuses it.
        type_text(&mut app, &mut store.db, "Ahmadi");
        press_key(&mut app, &mut store.db, code, mods);
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("New person"), "the form stays: {screen}");
        assert!(screen.contains("0012345678"), "{screen}");
        assert!(
            screen.to_lowercase().contains("check digit"),
            "the national code's reason shows: {screen}"
        );
        assert_eq!(
            contacts::count(&mut store.db, &ContactFilter::default()).expect("count"),
            0
        );
    }

    #[test]
    fn search_narrows_the_list_as_you_type_arabic_letters_matching_persian() {
        let mut store = testing::store();
        store.add_people(30);
        store.add(testing::person("علی", "کریمی"));
        let mut app = store.app(80, 24, Theme::plain());
        press(&mut app, &mut store.db, '2');
        press(&mut app, &mut store.db, '/');
        // Arabic kaf and yeh, as an Arabic keyboard types them.
        type_text(&mut app, &mut store.db, "كري");
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("Contacts (1)"), "{screen}");
        assert!(screen.contains("کریمی"), "{screen}");
        // Enter keeps the search; esc in the list clears it.
        press_key(&mut app, &mut store.db, KeyCode::Enter, KeyModifiers::NONE);
        press(&mut app, &mut store.db, 'j');
        press_key(&mut app, &mut store.db, KeyCode::Esc, KeyModifiers::NONE);
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("Contacts (31)"), "{screen}");
    }

    #[test]
    fn archiving_asks_first_and_the_archived_leave_the_list() {
        let mut store = testing::store();
        store.add_people(3);
        let mut app = store.app(80, 24, Theme::plain());
        press(&mut app, &mut store.db, '2');
        let (code, mods) = ctrl('x');
        press_key(&mut app, &mut store.db, code, mods);
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("Archive Person 000?"), "{screen}");
        // Moving calls it off.
        press(&mut app, &mut store.db, 'j');
        press_key(&mut app, &mut store.db, code, mods);
        press_key(&mut app, &mut store.db, code, mods);
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("Archived Person 001."), "{screen}");
        assert!(screen.contains("Contacts (2)"), "{screen}");
    }

    #[test]
    fn a_contact_page_shows_its_fields_and_edit_keeps_them() {
        let mut store = testing::store();
        let mut sara = testing::person("Sara", "Ahmadi");
        sara.mobile = Some("09121234567".into());
        sara.notes = Some("Prefers calls after 4pm".into());
        store.add(sara);
        let mut app = store.app(80, 24, Theme::plain());
        press(&mut app, &mut store.db, '2');
        press_key(&mut app, &mut store.db, KeyCode::Enter, KeyModifiers::NONE);
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("09121234567"), "{screen}");
        assert!(screen.contains("Prefers calls after 4pm"), "{screen}");
        assert!(screen.contains("Cases"), "{screen}");
        press(&mut app, &mut store.db, 'e');
        press_key(&mut app, &mut store.db, KeyCode::End, KeyModifiers::NONE);
        type_text(&mut app, &mut store.db, "h");
        let (code, mods) = ctrl('s');
        press_key(&mut app, &mut store.db, code, mods);
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("Saved Sarah Ahmadi."), "{screen}");
        assert!(screen.contains("09121234567"), "{screen}");
    }

    #[test]
    fn the_contacts_with_their_category_tree_at_80x24_and_120x40() {
        use crate::store::categories;
        let mut store = testing::store();
        store.add_people(12);
        store.add(testing::company("Pars Tejarat"));
        let db = &mut store.db;
        let actor = store.actor.clone();
        let customers = categories::add(db, &actor, None, "Customers").expect("added");
        let vip = categories::add(db, &actor, Some(customers), "VIP").expect("added");
        categories::add(db, &actor, None, "Suppliers").expect("added");
        let rows = contacts::page(db, &ContactFilter::default(), None, 5).expect("page");
        for row in &rows[..3] {
            categories::set_for_contact(db, &actor, row.id, &[customers]).expect("filed");
        }
        categories::set_for_contact(db, &actor, rows[4].id, &[vip]).expect("filed");
        for (width, height) in [(80, 24), (120, 40)] {
            let mut app = store.app(width, height, Theme::plain());
            press(&mut app, &mut store.db, '2');
            let screen = text(&render(&mut app, width, height));
            insta::assert_snapshot!(format!("contacts_{width}x{height}"), screen);
        }
        // The tree: down to Customers, choose it; the list holds its subtree's four.
        let mut app = store.app(80, 24, Theme::plain());
        press(&mut app, &mut store.db, '2');
        press(&mut app, &mut store.db, '<');
        press(&mut app, &mut store.db, 'j');
        press_key(&mut app, &mut store.db, KeyCode::Enter, KeyModifiers::NONE);
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("Contacts in Customers (4)"), "{screen}");
        press(&mut app, &mut store.db, '>');
        press(&mut app, &mut store.db, 'j');
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("> Person 000"), "{screen}");
    }

    #[test]
    fn the_listed_contacts_export_from_the_pane() {
        let mut store = testing::store();
        store.add_people(5);
        store.add(testing::person("Sara", "Ahmadi"));
        let dir = tempfile::tempdir().expect("temporary folder");
        let file = dir.path().join("sara.csv");
        let mut app = store.app(100, 30, Theme::plain());
        press(&mut app, &mut store.db, '2');
        press(&mut app, &mut store.db, '/');
        type_text(&mut app, &mut store.db, "sara");
        press_key(&mut app, &mut store.db, KeyCode::Enter, KeyModifiers::NONE);
        press(&mut app, &mut store.db, 'x');
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Export the 1 contacts listed"), "{screen}");
        for _ in 0..300 {
            press_key(
                &mut app,
                &mut store.db,
                KeyCode::Backspace,
                KeyModifiers::NONE,
            );
        }
        type_text(&mut app, &mut store.db, &file.display().to_string());
        let (code, mods) = ctrl('s');
        press_key(&mut app, &mut store.db, code, mods);
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Exported 1 contacts to"), "{screen}");
        let csv = std::fs::read_to_string(&file).expect("the export");
        assert_eq!(csv.lines().count(), 2, "{csv}");
        assert!(csv.contains("Sara,Ahmadi"), "{csv}");
    }

    /// The screen's row that holds `needle`.
    fn row_with<'a>(screen: &'a str, needle: &str) -> &'a str {
        screen
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no row with {needle} in\n{screen}"))
    }

    #[test]
    fn a_contact_saved_meanwhile_is_compared_saved_over_or_taken_in_its_form() {
        use crate::db::Db;
        use crate::store::{Actor, Role, users};
        let mut store = testing::store();
        let mut sara = testing::person("Sara", "Ahmadi");
        sara.mobile = Some("09121234567".into());
        store.add(sara);
        let id = users::insert_user(&mut store.db, "reza", "Reza Karimi", Role::Agent, None)
            .expect("reza");
        let reza = Actor {
            id,
            login: "reza".into(),
            role: Role::Agent,
        };
        let first = contacts::page(&mut store.db, &ContactFilter::default(), None, 1)
            .expect("page")
            .remove(0)
            .id;
        let opened = contacts::get(&mut store.db, first).expect("the contact");
        // Reza changes the contact as it is stored now.
        let reza_saves = |db: &mut Db, change: &dyn Fn(&mut contacts::ContactFields)| {
            let now = contacts::get(db, first).expect("the contact");
            let mut fields = now.fields.clone();
            change(&mut fields);
            contacts::update(db, &reza, first, now.version, fields).expect("reza saves");
        };
        let mut app = store.app(120, 40, Theme::plain());
        let db = &mut store.db;
        let (s, mods) = ctrl('s');
        press(&mut app, db, '2');
        press(&mut app, db, 'e');
        press_key(&mut app, db, KeyCode::End, KeyModifiers::NONE);
        type_text(&mut app, db, "h");
        reza_saves(db, &|f| f.mobile = Some("09127654321".into()));
        press_key(&mut app, db, s, mods);
        let screen = text(&render(&mut app, 120, 40));
        assert!(screen.contains("Reza Karimi saved this at"), "{screen}");
        assert!(screen.contains("ctrl-r: take theirs"), "{screen}");
        assert!(
            row_with(&screen, "First name").contains("Sarah"),
            "the form stays open with what was typed:\n{screen}"
        );
        // Compared: the first name typed and the mobile Reza changed, each with both values.
        let (d, _) = ctrl('d');
        press_key(&mut app, db, d, mods);
        let screen = text(&render(&mut app, 120, 40));
        assert!(screen.contains("Stored now"), "{screen}");
        let name = row_with(&screen, "First name");
        assert!(
            name.contains("Sarah") && name.matches("Sara").count() == 2,
            "{screen}"
        );
        let mobile = row_with(&screen, "Mobile");
        assert!(
            mobile.contains("09121234567") && mobile.contains("09127654321"),
            "{screen}"
        );
        assert!(!screen.contains("Last name"), "the same on both: {screen}");
        // Any key goes back to the form; ctrl-s then saves what was typed over Reza's save.
        press(&mut app, db, 'x');
        press_key(&mut app, db, s, mods);
        let screen = text(&render(&mut app, 120, 40));
        assert!(screen.contains("Saved Sarah Ahmadi."), "{screen}");
        let stored = contacts::get(db, first).expect("the contact");
        assert_eq!(stored.fields.first_name.as_deref(), Some("Sarah"));
        assert_eq!(stored.fields.mobile.as_deref(), Some("09121234567"));
        assert_eq!(stored.version, opened.version + 2);
        // Again, and this time the stored values are taken: the form leaves without asking.
        press(&mut app, db, 'e');
        press_key(&mut app, db, KeyCode::End, KeyModifiers::NONE);
        type_text(&mut app, db, "x");
        reza_saves(db, &|f| f.notes = Some("Prefers calls after 4pm".into()));
        press_key(&mut app, db, s, mods);
        let (r, _) = ctrl('r');
        press_key(&mut app, db, r, mods);
        let screen = text(&render(&mut app, 120, 40));
        assert!(!screen.contains("Sarahx"), "{screen}");
        assert!(
            row_with(&screen, "Notes").contains("Prefers calls after 4pm"),
            "{screen}"
        );
        press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
        let screen = text(&render(&mut app, 120, 40));
        assert!(!screen.contains("Edit Sarah"), "{screen}");
        let stored = contacts::get(db, first).expect("the contact");
        assert_eq!(stored.fields.first_name.as_deref(), Some("Sarah"));
        assert_eq!(stored.version, opened.version + 3);
    }
}
