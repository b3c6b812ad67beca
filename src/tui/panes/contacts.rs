//! The contact list: a window onto the store's contacts in name order (the archived left out).

use super::PaneId;
use crate::db::Db;
use crate::error::Result;
use crate::store::contacts::{self, ContactFilter, ContactKind, ContactRow, PageKey};
use crate::t;
use crate::tui::action::Context;
use crate::tui::text::cells;
use crate::tui::widgets::list::{Column, ListWindow, Source, Width};

/// The contacts the filter lets through, in name order.
#[derive(Default)]
pub struct ContactSource {
    pub filter: ContactFilter,
}

impl Source for ContactSource {
    type Row = ContactRow;
    type Key = PageKey;

    fn page(&self, db: &mut Db, after: Option<&PageKey>, limit: i64) -> Result<Vec<ContactRow>> {
        contacts::page(db, &self.filter, after, limit)
    }

    fn page_before(&self, db: &mut Db, before: &PageKey, limit: i64) -> Result<Vec<ContactRow>> {
        contacts::page_before(db, &self.filter, before, limit)
    }

    fn last_page(&self, db: &mut Db, limit: i64) -> Result<Vec<ContactRow>> {
        contacts::last_page(db, &self.filter, limit)
    }

    fn count(&self, db: &mut Db) -> Result<i64> {
        contacts::count(db, &self.filter)
    }

    fn key(row: &ContactRow) -> PageKey {
        (row.display_name.clone(), row.id)
    }
}

pub struct Contacts {
    list: ListWindow<ContactSource>,
}

impl Default for Contacts {
    fn default() -> Self {
        Contacts::new()
    }
}

impl Contacts {
    pub fn new() -> Contacts {
        Contacts {
            list: ListWindow::new(ContactSource::default()),
        }
    }

    #[cfg(test)]
    pub(crate) fn selected_row(&self) -> Option<&ContactRow> {
        self.list.selected()
    }
}

/// A contact's kind as a word.
fn kind(row: &ContactRow) -> String {
    match ContactKind::parse(&row.kind) {
        Some(ContactKind::Person) => t!("contacts.kind.person"),
        Some(ContactKind::Company) => t!("contacts.kind.company"),
        None => row.kind.clone(),
    }
}

/// The list's columns. The name and the e-mail share what the fixed columns leave; on a narrow
/// screen the phone, then the e-mail, give up their room to the name.
fn columns<'a>() -> Vec<Column<'a, ContactRow>> {
    let kind_width = [t!("contacts.kind.person"), t!("contacts.kind.company")]
        .iter()
        .map(|k| cells(k))
        .max()
        .unwrap_or(0);
    let optional = |value: &Option<String>| value.clone().unwrap_or_default();
    vec![
        Column::new(
            t!("contacts.col.name"),
            Width::Share {
                weight: 3,
                min: 14,
                max: 40,
            },
            |r: &ContactRow| r.display_name.clone(),
        ),
        Column::new(t!("contacts.col.kind"), Width::Fixed(kind_width), kind),
        Column::new(
            t!("contacts.col.mobile"),
            Width::Fixed(11),
            move |r: &ContactRow| optional(&r.mobile),
        ),
        Column::new(
            t!("contacts.col.phone"),
            Width::Fixed(12),
            move |r: &ContactRow| optional(&r.phone),
        )
        .drops(2),
        Column::new(
            t!("contacts.col.email"),
            Width::share(2, 10),
            move |r: &ContactRow| optional(&r.email),
        )
        .drops(1),
    ]
}

super::list_pane!(
    Contacts,
    PaneId::Contacts,
    [Context::Contacts, Context::List],
    "contacts.title",
    "contacts.empty"
);

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;

    use crate::tui::panes::{Effect, Pane};
    use crate::tui::theme::Theme;

    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::tui::testing::{self, lines};

    #[test]
    fn drawn_values_carry_no_control_characters() {
        let mut store = testing::store();
        let mut evil = testing::person("Evil\x1b]0;owned\x07", "Name\u{202e}eman");
        evil.email = Some("a@b\x1b[31m.c".into());
        store.add(evil);
        let mut pane = Contacts::new();
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
        assert!(rows[2].contains("Evil"), "{}", rows[2]);
    }

    #[test]
    fn the_pane_pages_through_the_store() {
        let mut store = testing::store();
        store.add_people(60);
        let mut pane = Contacts::new();
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
            ("list-page-up", "Person 049"),
            ("list-up", "Person 048"),
            ("list-top", "Person 000"),
            ("list-half-down", "Person 005"),
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
        let mut pane = Contacts::new();
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
        assert!(
            rows[1].contains("Name") && rows[1].contains("Mobile"),
            "{}",
            rows[1]
        );
        assert!(rows[2].starts_with("│  Person 003"), "{}", rows[2]);
        assert!(rows[11].starts_with("│> Person 012"), "{}", rows[11]);
        assert!(rows[12].contains("13 of 60"), "{}", rows[12]);
    }
}
