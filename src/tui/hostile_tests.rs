//! Hostile input on the screen: rows that hold escape sequences, C1 controls, NUL and bidi
//! overrides (written past the store, which would have cleaned them), text typed into a form
//! with control characters, a megabyte of text, and category trees 100 levels deep and 10,000
//! nodes wide. Every pane and record page is drawn to a `TestBackend`: no cell holds a control
//! character or a reordering mark, and drawing finishes.

use chrono::NaiveDateTime;
use crossterm::event::{KeyCode, KeyModifiers};
use diesel::prelude::*;
use ratatui::buffer::Buffer;

use super::app::App;
use super::testing::{self, Store, press, press_key, render};
use super::theme::Theme;
use crate::db::schema::{
    case_statuses, cases, categories as categories_table, complaints, contact_links, contacts,
    followups, lookups, org_units, planned_actions, sales, sales_plans, users,
};
use crate::on_backend;
use crate::store::categories::{self, NewCategory};

/// A screen clear, an OSC 52 clipboard write ended by BEL, C1 controls (NEL, CSI), a
/// right-to-left override, a pop of it and NUL, around text that must still be seen.
const HOSTILE: &str =
    "Ali\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7} Re\u{85}za\u{9b}31m\u{202e}ei\u{202c}\u{0}\u{1b}P";

/// The panes by the key that shows them.
const PANES: [char; 9] = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/// Whether a terminal would act on `c` rather than show it: a control character (C0, DEL, C1)
/// or a mark that reorders the rest of the line.
fn acted_on(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Panics, naming the cell, when a cell of `buffer` holds what a terminal would act on.
fn assert_shows_only_text(buffer: &Buffer, what: &str) {
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            assert!(
                !symbol.chars().any(acted_on),
                "{what}: cell ({x}, {y}) holds {symbol:?}\n{}",
                testing::text(buffer)
            );
        }
    }
}

/// Writes [`HOSTILE`] over every row's free-text `column`, past the store and its cleaning.
macro_rules! overwrite {
    ($db:expr, $table:ident, $($column:ident),+) => {
        $(
            on_backend!($db, |c| diesel::update($table::table)
                .set($table::$column.eq(HOSTILE))
                .execute(c))
            .expect(concat!("overwrite ", stringify!($table), ".", stringify!($column)));
        )+
    };
}

/// The working store with every free text the panes show overwritten by [`HOSTILE`].
fn hostile_store() -> Store {
    let mut store = testing::store();
    store.add_work();
    categories::add(&mut store.db, &store.actor, None, "Customers").expect("a category");
    let db = &mut store.db;
    overwrite!(
        db,
        contacts,
        display_name,
        first_name,
        last_name,
        company_name,
        address,
        notes
    );
    overwrite!(db, contact_links, job_title);
    overwrite!(db, cases, title, need, close_note);
    overwrite!(
        db,
        complaints,
        title,
        description,
        resolution,
        remedy_requested
    );
    overwrite!(db, followups, description);
    overwrite!(db, planned_actions, description);
    overwrite!(db, categories_table, name);
    overwrite!(db, lookups, name);
    overwrite!(db, case_statuses, name);
    overwrite!(db, users, display_name);
    overwrite!(db, org_units, name);
    overwrite!(db, sales_plans, name, notes);
    overwrite!(db, sales, note);
    store
}

/// Draws every pane, and the record a pane opens with `enter`, at `width` x `height`, checking
/// each screen with `check`.
fn draw_everything(store: &mut Store, width: u16, height: u16, check: impl Fn(&Buffer, &str)) {
    for key in PANES {
        let mut app = store.app(width, height, Theme::plain());
        press(&mut app, &mut store.db, key);
        check(&render(&mut app, width, height), &format!("pane {key}"));
        press_key(&mut app, &mut store.db, KeyCode::Enter, KeyModifiers::NONE);
        check(
            &render(&mut app, width, height),
            &format!("pane {key}, its selected row opened"),
        );
        press(&mut app, &mut store.db, 'H');
        check(
            &render(&mut app, width, height),
            &format!("pane {key}, the record's history"),
        );
    }
}

#[test]
fn rows_holding_escape_sequences_draw_as_plain_text_in_every_pane() {
    let mut store = hostile_store();
    for (width, height) in [(80, 24), (120, 40)] {
        draw_everything(&mut store, width, height, assert_shows_only_text);
    }
    // The visible text is still there: the contacts pane shows the name without its controls.
    let mut app = store.app(120, 40, Theme::plain());
    press(&mut app, &mut store.db, '2');
    let screen = testing::text(&render(&mut app, 120, 40));
    assert!(
        screen.contains("Ali[2J]52;c;ZXZpbA== Reza31mei"),
        "{screen}"
    );
}

#[test]
fn rows_holding_escape_sequences_draw_as_plain_text_in_persian() {
    use crate::domain::locale::{self, Calendar, Digits};
    use crate::i18n::{self, Lang};
    let mut store = hostile_store();
    i18n::with_lang(Lang::Fa, || {
        locale::with(Calendar::Jalali, Digits::Persian, || {
            draw_everything(&mut store, 120, 40, assert_shows_only_text);
        })
    });
}

/// The contact form after `text` is typed into its first field, a key per character, as a
/// terminal delivers a paste.
fn typed_into_the_contact_form(store: &mut Store, text: &str) -> App {
    let mut app = store.app(120, 40, Theme::plain());
    press(&mut app, &mut store.db, '2');
    press(&mut app, &mut store.db, 'n');
    for c in text.chars() {
        press(&mut app, &mut store.db, c);
    }
    app
}

#[test]
fn control_characters_typed_into_a_form_are_neither_drawn_nor_stored() {
    let mut store = testing::store();
    let mut app = typed_into_the_contact_form(&mut store, HOSTILE);
    assert_shows_only_text(&render(&mut app, 120, 40), "the contact form");
    press_key(&mut app, &mut store.db, KeyCode::Tab, KeyModifiers::NONE);
    for c in HOSTILE.chars() {
        press(&mut app, &mut store.db, c);
    }
    press_key(
        &mut app,
        &mut store.db,
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    );
    assert_shows_only_text(&render(&mut app, 120, 40), "the contacts pane after saving");
    let names: Vec<String> = on_backend!(&mut store.db, |c| contacts::table
        .select(contacts::display_name)
        .load(c))
    .expect("names");
    for name in &names {
        assert!(!name.chars().any(char::is_control), "{name:?}");
    }
}

/// A megabyte of text (Persian and Latin words, no line break) in a contact's notes, a case's
/// title and need, a follow-up and a complaint.
fn megabyte() -> String {
    "Pars پیگیری تماس "
        .repeat(1 << 16)
        .chars()
        .take(1 << 20)
        .collect()
}

#[test]
fn a_megabyte_of_text_in_a_row_is_drawn_in_every_pane() {
    let mut store = testing::store();
    store.add_work();
    let long = megabyte();
    let db = &mut store.db;
    for (set, what) in [
        (
            on_backend!(db, |c| diesel::update(contacts::table)
                .set(contacts::notes.eq(&long))
                .execute(c)),
            "notes",
        ),
        (
            on_backend!(db, |c| diesel::update(cases::table)
                .set((cases::title.eq(&long), cases::need.eq(&long)))
                .execute(c)),
            "cases",
        ),
        (
            on_backend!(db, |c| diesel::update(followups::table)
                .set(followups::description.eq(&long))
                .execute(c)),
            "follow-ups",
        ),
        (
            on_backend!(db, |c| diesel::update(complaints::table)
                .set(complaints::description.eq(&long))
                .execute(c)),
            "complaints",
        ),
    ] {
        set.unwrap_or_else(|e| panic!("{what}: {e}"));
    }
    // Drawing finishes; what is drawn is cut to the screen.
    draw_everything(&mut store, 120, 40, |_, _| {});
}

fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

#[test]
fn a_deep_and_a_wide_category_tree_are_drawn_and_walked() {
    let mut store = testing::store();
    let path: Vec<String> = (0..100).map(|i| format!("level {i:03}")).collect();
    let deepest =
        categories::ensure_path(&mut store.db, &store.actor, &path.join("/")).expect("deep");
    let wide = categories::add(&mut store.db, &store.actor, None, "wide").expect("a node");
    let at = now();
    let children: Vec<NewCategory> = (0..10_000)
        .map(|i| NewCategory {
            parent_id: Some(wide),
            name: format!("child {i:05}"),
            position: i,
            created_at: at,
            updated_at: at,
        })
        .collect();
    crate::store::bulk::categories(&mut store.db, &children).expect("10,000 children");
    let ali = store.add_contact(testing::person("Ali", "Rezaei"));
    categories::set_for_contact(&mut store.db, &store.actor, ali, &[deepest]).expect("filed");

    let mut app = store.app(120, 40, Theme::plain());
    press(&mut app, &mut store.db, '2');
    let first = testing::text(&render(&mut app, 120, 40));
    // Every level of the path shows (the start of) its name, however deep: the rows stop
    // moving right rather than run off the pane.
    let levels = first.lines().filter(|l| l.contains("- level")).count();
    assert!(levels >= 35, "{levels} levels shown:\n{first}");
    press(&mut app, &mut store.db, '<');
    // The deep path's top node is the first of the top nodes, or (below "wide") the last.
    let tree = categories::tree(&mut store.db).expect("the tree");
    let start = if tree[0].name == "level 000" {
        KeyCode::Home
    } else {
        KeyCode::End
    };
    press_key(&mut app, &mut store.db, start, KeyModifiers::NONE);
    // Unfold every level on the way down, then walk the whole tree to its end and back.
    for _ in 0..110 {
        press(&mut app, &mut store.db, 'l');
        press(&mut app, &mut store.db, 'j');
    }
    let deep = testing::text(&render(&mut app, 120, 40));
    assert!(deep.contains("(1)"), "{deep}");
    press_key(&mut app, &mut store.db, KeyCode::End, KeyModifiers::NONE);
    press(&mut app, &mut store.db, 'l');
    press_key(&mut app, &mut store.db, KeyCode::End, KeyModifiers::NONE);
    render(&mut app, 120, 40);
    press_key(&mut app, &mut store.db, KeyCode::Home, KeyModifiers::NONE);
    press_key(&mut app, &mut store.db, KeyCode::Enter, KeyModifiers::NONE);
    render(&mut app, 80, 24);
}
