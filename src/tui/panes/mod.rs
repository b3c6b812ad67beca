//! The panes: one per part of the work, each owning its state and drawing itself. A pane is told
//! about the actions meant for it and answers with an [`Effect`] for the app to apply; it never
//! calls another pane.

pub mod cases;
pub mod complaints;
pub mod contacts;
pub mod followup_form;
pub mod followups;
pub mod inbox;
pub mod placeholder;
pub mod plans;
pub mod statuses;

use chrono::NaiveDateTime;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::action::Context;
use super::theme::Theme;
use crate::db::Db;
use crate::domain::text::search_key;
use crate::store::users::User;
use crate::t;

/// Where a pane reads the time (UTC, to the second): the store's clock, or a fixed one in tests.
pub type Clock = fn() -> chrono::NaiveDateTime;

/// The status-bar hints of a pane that is a list.
/// The `Pane` of a pane that is one list and nothing more: the struct has a `list: ListWindow`
/// field and its module a `columns()` function; the title and empty-list text are catalog keys
/// (the title takes `{count}`).
macro_rules! list_pane {
    ($pane:ty, $id:expr, [$($context:expr),+], $title:literal, $empty:literal) => {
        impl $crate::tui::panes::Pane for $pane {
            fn id(&self) -> $crate::tui::panes::PaneId {
                $id
            }

            fn contexts(&self) -> &'static [$crate::tui::action::Context] {
                &[$($context),+]
            }

            fn hints(&self) -> &'static [&'static [&'static str]] {
                $crate::tui::panes::LIST_HINTS
            }

            fn show(&mut self, area: ratatui::layout::Rect, db: &mut $crate::db::Db) -> $crate::tui::panes::Effect {
                self.list.show(area, db)
            }

            fn handle(&mut self, action: &str, db: &mut $crate::db::Db) -> $crate::tui::panes::Effect {
                self.list.handle(action, db)
            }

            fn draw(&mut self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, theme: &$crate::tui::theme::Theme) {
                let view = $crate::tui::widgets::list::View {
                    title: $crate::t!($title, count = $crate::tui::text::group_thousands(self.list.total())),
                    above: Vec::new(),
                    columns: columns(),
                    empty: $crate::t!($empty),
                };
                self.list.render(frame, area, view, theme);
            }
        }
    };
}
pub(crate) use list_pane;

pub const LIST_HINTS: &[&[&str]] = &[&["list-down", "list-up"], &["list-top", "list-bottom"]];

/// The panes, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaneId {
    Inbox,
    Contacts,
    Cases,
    Followups,
    Complaints,
    Plans,
    Reports,
}

impl PaneId {
    pub const ALL: [PaneId; 7] = [
        PaneId::Inbox,
        PaneId::Contacts,
        PaneId::Cases,
        PaneId::Followups,
        PaneId::Complaints,
        PaneId::Plans,
        PaneId::Reports,
    ];

    /// The pane's place in the tab bar, from 0.
    pub fn index(self) -> usize {
        PaneId::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// The global action that shows the pane.
    pub fn action(self) -> &'static str {
        match self {
            PaneId::Inbox => "pane-inbox",
            PaneId::Contacts => "pane-contacts",
            PaneId::Cases => "pane-cases",
            PaneId::Followups => "pane-followups",
            PaneId::Complaints => "pane-complaints",
            PaneId::Plans => "pane-plans",
            PaneId::Reports => "pane-reports",
        }
    }

    /// The pane's name in the user's language.
    pub fn name(self) -> String {
        match self {
            PaneId::Inbox => t!("pane.inbox"),
            PaneId::Contacts => t!("pane.contacts"),
            PaneId::Cases => t!("pane.cases"),
            PaneId::Followups => t!("pane.followups"),
            PaneId::Complaints => t!("pane.complaints"),
            PaneId::Plans => t!("pane.plans"),
            PaneId::Reports => t!("pane.reports"),
        }
    }
}

/// Which keys a pane takes now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Its own actions, then its list's or tree's, then the global ones.
    Normal,
    /// A form is open: it takes every key (the `form` section's actions, the rest as text).
    Form,
    /// A search box is open: it takes every key (the `search` section's actions, the rest as
    /// text).
    Search,
}

/// A record one pane asks to be shown on the pane that opens records of its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    Case(i64),
}

/// What a pane asks of the app after an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The action means nothing here.
    Ignored,
    /// Done; the next draw shows it.
    Done,
    /// Done, with a word for the message line.
    Message(String),
    /// It failed; the message line says why.
    Error(String),
    /// Show this record on the pane that opens its kind.
    Open(Record),
}

/// A part of the work on a tab of its own. It owns its state and its forms, takes the keys the
/// app hands it, draws itself (an open form included), and talks to the app only through the
/// [`Effect`]s it answers with.
pub trait Pane {
    fn id(&self) -> PaneId;

    /// The name on the pane's tab.
    fn title(&self) -> String {
        self.id().name()
    }

    /// A short count the tab bar keeps even when names are shortened (the inbox's overdue).
    fn badge(&self) -> Option<String> {
        None
    }

    /// The keymap sections whose bindings reach this pane in [`Mode::Normal`], most specific
    /// first (global is always tried last).
    fn contexts(&self) -> &'static [Context];

    /// The actions the status bar shows for this pane in [`Mode::Normal`], by name, in groups
    /// shown as one hint (`j/k move`); their keys come from the keymap.
    fn hints(&self) -> &'static [&'static [&'static str]] {
        &[]
    }

    /// Whether a form or a search box of the pane is open and takes the keys.
    fn mode(&self) -> Mode {
        Mode::Normal
    }

    /// The pane has the focus and `area` to draw in: on first showing, or after the terminal
    /// was resized. A list fetches here what it needs to fill the area.
    fn show(&mut self, _area: Rect, _db: &mut Db) -> Effect {
        Effect::Done
    }

    /// Runs one of the pane's actions (by its stable name); `Effect::Ignored` when it means
    /// nothing here.
    fn handle(&mut self, action: &str, db: &mut Db) -> Effect;

    /// A key for the pane's open form or search box (its [`Mode`] is not `Normal`): the action
    /// the `form` or `search` section binds it to, if any, the key as typed, and the time.
    fn key(
        &mut self,
        _action: Option<&'static str>,
        _event: KeyEvent,
        _now: NaiveDateTime,
        _db: &mut Db,
    ) -> Effect {
        Effect::Ignored
    }

    /// Shows `record` (a case on its page), on a pane the table says opens records of its kind.
    fn open(&mut self, _record: Record, _db: &mut Db) -> Effect {
        Effect::Ignored
    }

    /// Draws the pane into `area`, with its open form over it. Reads nothing from the store:
    /// what it shows was fetched by `show`, `handle` or `key`.
    fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme);
}

/// The users whose name or login (which the lists show) holds `query`, Persian-normalised, as a
/// lookup field's candidates: (id, name), at most ten.
pub fn user_candidates(users: Vec<User>, query: &str) -> Vec<(i64, String)> {
    let query = search_key(query);
    users
        .into_iter()
        .filter(|u| {
            search_key(&u.display_name).contains(&query) || search_key(&u.login).contains(&query)
        })
        .map(|u| (u.id, u.display_name))
        .take(10)
        .collect()
}
