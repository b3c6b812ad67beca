//! Test support for the interface: a throwaway SQLite store with an acting user, contacts put in
//! through the store, and screens rendered into ratatui's `TestBackend` and read back as text.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Size;

use super::app::App;
use super::theme::Theme;
use crate::db::{self, Db, StoreUrl};
use crate::store::contacts::{self, ContactFields};
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

    /// An app on this store, started on a screen of `width` x `height`.
    pub fn app(&mut self, width: u16, height: u16, theme: Theme) -> App {
        let mut app = App::new(&self.actor, theme, crate::tui::keymap::Keymap::defaults());
        app.start(Size::new(width, height), &mut self.db);
        app
    }
}

/// Draws `app` on a screen of `width` x `height` and returns the buffer.
pub fn render(app: &mut App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|frame| app.draw(frame)).expect("drawn");
    terminal.backend().buffer().clone()
}

/// The buffer's lines, one string per row of cells.
pub fn lines(buffer: &Buffer) -> Vec<String> {
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
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
    let symbols: Vec<&str> = (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect();
    let wanted: Vec<String> = needle.chars().map(String::from).collect();
    symbols
        .windows(wanted.len())
        .position(|w| w.iter().zip(&wanted).all(|(a, b)| *a == b))
        .and_then(|x| u16::try_from(x).ok())
}
