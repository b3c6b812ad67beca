//! The panes: one per part of the work, each owning its state and drawing itself. A pane is told
//! about the actions meant for it (and, while its form or search box is open, every key) and
//! answers with an [`Effect`] for the app to apply; it never calls another pane.
//!
//! The table of panes ([`PANES`]) is the one list of them: the tabs, the keymap sections, the
//! actions that switch to each pane, the tab keys and hints are all drawn from it. A new pane is
//! its own file or folder here and one entry in the table.

pub mod cases;
pub mod complaints;
pub mod contacts;
pub mod followups;
pub mod inbox;
pub mod lists;
pub mod plans;
pub mod reports;
pub mod users;

use chrono::NaiveDateTime;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::action::Context;
use super::forms::followup;
use super::theme::Theme;
use super::widgets::form::{Form, FormEvent};
use super::widgets::search::{SearchBox, SearchEvent};
use crate::db::Db;
use crate::db::ids::{CaseId, ComplaintId};
use crate::store::Actor;

/// Where a pane reads the time (UTC, to the second): the store's clock, or a fixed one in tests.
pub type Clock = fn() -> chrono::NaiveDateTime;

/// The status-bar hints of a pane that is a list.
pub const LIST_HINTS: &[&[&str]] = &[&["list-down", "list-up"], &["list-top", "list-bottom"]];

/// One row of the table of panes: everything the app, the keymap and the tab bar need to know
/// of a pane besides the pane itself.
pub struct PaneDef {
    pub id: PaneId,
    /// The keymap section of the pane's own actions (`[cases]` in `keymap.toml`).
    pub section: &'static str,
    /// The global action that shows the pane.
    pub action: &'static str,
    /// The catalog key of the pane's name on its tab.
    pub title: &'static str,
    /// The pane's own actions, bound in its section.
    pub actions: &'static [&'static str],
    /// Whether the pane shows records of this kind when another pane asks (`Effect::Open`).
    pub opens: fn(&Record) -> bool,
    /// The pane, made for the acting user, reading the time from the clock.
    pub new: fn(&Actor, Clock) -> Box<dyn Pane>,
}

/// Declares the panes once: the `PaneId` enum and the table `PANES`, in tab order.
macro_rules! panes {
    ($($id:ident { $($field:ident: $value:expr),* $(,)? }),* $(,)?) => {
        /// A pane, as the table of panes names it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum PaneId {
            $($id),*
        }

        /// The panes, in tab order.
        pub const PANES: &[PaneDef] = &[$(PaneDef { id: PaneId::$id, $($field: $value),* }),*];
    };
}

panes! {
    Inbox {
        section: "inbox",
        action: "pane-inbox",
        title: "pane.inbox",
        actions: &["inbox-done", "inbox-reschedule", "inbox-reassign", "inbox-expert"],
        opens: |_| false,
        new: |actor, clock| Box::new(inbox::Inbox::new(actor.clone(), clock)),
    },
    Contacts {
        section: "contacts",
        action: "pane-contacts",
        title: "pane.contacts",
        actions: &[
            "contact-new-company", "contact-link", "contact-file", "contact-unfile",
            "contact-archive", "focus-tree", "focus-list", "history",
        ],
        opens: |_| false,
        new: |actor, _| Box::new(contacts::Contacts::new(actor.clone())),
    },
    Cases {
        section: "cases",
        action: "pane-cases",
        title: "pane.cases",
        actions: &[
            "case-status", "followup-add", "case-statuses", "case-allow", "case-forbid", "history",
        ],
        opens: |record| matches!(record, Record::Case(_)),
        new: |actor, clock| Box::new(cases::Cases::new(actor.clone(), clock)),
    },
    Followups {
        section: "followups",
        action: "pane-followups",
        title: "pane.followups",
        actions: &[],
        opens: |_| false,
        new: |_, _| Box::new(followups::FollowUps::new()),
    },
    Complaints {
        section: "complaints",
        action: "pane-complaints",
        title: "pane.complaints",
        actions: &["complaint-status", "complaint-followup", "history"],
        opens: |record| matches!(record, Record::Complaint(_)),
        new: |actor, clock| Box::new(complaints::Complaints::new(actor.clone(), clock)),
    },
    Plans {
        section: "plans",
        action: "pane-plans",
        title: "pane.plans",
        actions: &["plan-group-by", "plan-beside", "plan-line-add"],
        opens: |_| false,
        new: |actor, clock| Box::new(plans::Plans::new(actor.clone(), clock)),
    },
    Reports {
        section: "reports",
        action: "pane-reports",
        title: "pane.reports",
        actions: &["report-left", "report-right"],
        opens: |_| false,
        new: |_, clock| Box::new(reports::Reports::new(clock)),
    },
    Lists {
        section: "lists",
        action: "pane-lists",
        title: "pane.lists",
        actions: &["lookup-add", "lookup-rename", "lookup-move", "lookup-toggle"],
        opens: |_| false,
        new: |actor, _| Box::new(lists::Lists::new(actor.clone())),
    },
    Users {
        section: "users",
        action: "pane-users",
        title: "pane.users",
        actions: &["user-add", "user-role", "user-unit", "user-toggle"],
        opens: |_| false,
        new: |actor, _| Box::new(users::Users::new(actor.clone())),
    },
}

impl PaneId {
    /// The pane's row in the table.
    pub fn def(self) -> &'static PaneDef {
        // The table is made from the enum, so every id has its row.
        &PANES[self.index()]
    }

    /// The pane's place in the tab bar, from 0.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The global action that shows the pane.
    pub fn action(self) -> &'static str {
        self.def().action
    }

    /// The pane's name in the user's language.
    pub fn name(self) -> String {
        crate::i18n::tr(self.def().title).to_string()
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
    Case(CaseId),
    Complaint(ComplaintId),
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
/// Offers what a lookup found as the candidates of `field` in `form`, or says why it failed.
pub fn offer<Id: Into<i64>>(
    form: Option<&mut Form>,
    field: &str,
    found: crate::error::Result<Vec<(Id, String)>>,
) -> Effect {
    match (found, form) {
        (Ok(found), Some(form)) => {
            form.set_candidates(field, found);
            Effect::Done
        }
        (Err(e), _) => Effect::Error(e.to_string()),
        (Ok(_), None) => Effect::Done,
    }
}

/// What a pane's follow-up form answered, for the pane: whether the form is done with (saved or
/// cancelled), and the effect to show; a pane whose form is done reads its rows again.
pub fn followup_outcome(outcome: followup::Outcome) -> (bool, Effect) {
    match outcome {
        followup::Outcome::Open => (false, Effect::Done),
        followup::Outcome::Refused(text) => (false, Effect::Error(text)),
        followup::Outcome::Cancelled => (true, Effect::Done),
        followup::Outcome::Saved(text) => (true, Effect::Message(text)),
    }
}

/// What a record's page made of a list key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKey {
    /// It scrolled.
    Scrolled,
    /// It is done with: back to the list.
    Close,
}

/// A list key on a page scrolled `scroll` lines down: down and up scroll it, back and open
/// close it; `None` for a key the page leaves to its pane.
pub fn page_key(scroll: &mut u16, action: &str) -> Option<PageKey> {
    match action {
        "list-down" => {
            *scroll = scroll.saturating_add(1);
            Some(PageKey::Scrolled)
        }
        "list-up" => {
            *scroll = scroll.saturating_sub(1);
            Some(PageKey::Scrolled)
        }
        "back" | "open" => Some(PageKey::Close),
        _ => None,
    }
}

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

    /// The form that takes the keys in [`Mode::Form`], if one is open.
    fn active_form(&mut self) -> Option<&mut Form> {
        None
    }

    /// What the open form asked for: save, cancel, or candidates for a lookup.
    fn form_event(&mut self, _event: FormEvent, _db: &mut Db) -> Effect {
        Effect::Ignored
    }

    /// The search box that takes the keys in [`Mode::Search`], if the pane has one.
    fn search_box(&mut self) -> Option<&mut SearchBox> {
        None
    }

    /// What the search box asked for: narrow the list, keep the search, or drop it.
    fn search_event(&mut self, _event: SearchEvent, _db: &mut Db) -> Effect {
        Effect::Ignored
    }

    /// A key for the pane's open form or search box (its [`Mode`] is not `Normal`): the action
    /// the `form` or `search` section binds it to, if any, the key as typed, and the time. The
    /// form or search box reads the key, and the pane acts on what it asked for.
    fn key(
        &mut self,
        action: Option<&'static str>,
        event: KeyEvent,
        now: NaiveDateTime,
        db: &mut Db,
    ) -> Effect {
        match self.mode() {
            Mode::Form => match self
                .active_form()
                .map(|form| form.handle(action, event, now))
            {
                None | Some(FormEvent::None) => Effect::Done,
                Some(form_event) => self.form_event(form_event, db),
            },
            Mode::Search => match self.search_box().map(|search| search.handle(action, event)) {
                None | Some(SearchEvent::None) => Effect::Done,
                Some(search_event) => self.search_event(search_event, db),
            },
            Mode::Normal => Effect::Ignored,
        }
    }

    /// Shows `record` (a case on its page), on a pane the table says opens records of its kind.
    fn open(&mut self, _record: Record, _db: &mut Db) -> Effect {
        Effect::Ignored
    }

    /// Draws the pane into `area`, with its open form over it. Reads nothing from the store:
    /// what it shows was fetched by `show`, `handle` or `key`.
    fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme);
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::tui::keymap::{DEFAULT_KEYMAP, parse};

    #[test]
    fn every_pane_in_the_table_has_its_section_its_key_and_its_name() {
        let (bindings, problems) = parse(DEFAULT_KEYMAP, "keymap.toml");
        assert_eq!(problems, vec![]);
        let file: toml::Table = toml::from_str(DEFAULT_KEYMAP).expect("keymap.toml parses");
        let mut sections = HashSet::new();
        for (index, pane) in PANES.iter().enumerate() {
            assert_eq!(pane.id.index(), index, "{:?} is in its place", pane.id);
            assert!(sections.insert(pane.section), "{} twice", pane.section);
            assert!(
                file.contains_key(pane.section),
                "keymap.toml has no [{}] section",
                pane.section
            );
            assert!(
                bindings
                    .entries
                    .get(&(Context::Global, pane.action))
                    .is_some_and(|keys| !keys.is_empty()),
                "{} has no key in keymap.toml",
                pane.action
            );
            for action in pane.actions {
                assert!(
                    bindings
                        .entries
                        .contains_key(&(Context::Pane(pane.id), *action)),
                    "{action} has no entry in [{}]",
                    pane.section
                );
            }
            assert!(
                crate::i18n::lookup(pane.title).is_some(),
                "{} is not in the catalog",
                pane.title
            );
        }
    }

    #[test]
    fn a_case_opens_on_the_cases_pane_and_a_complaint_on_the_complaints_pane() {
        let opening: Vec<PaneId> = PANES
            .iter()
            .filter(|pane| (pane.opens)(&Record::Case(CaseId(1))))
            .map(|pane| pane.id)
            .collect();
        assert_eq!(opening, [PaneId::Cases]);
        let opening: Vec<PaneId> = PANES
            .iter()
            .filter(|pane| (pane.opens)(&Record::Complaint(ComplaintId(1))))
            .map(|pane| pane.id)
            .collect();
        assert_eq!(opening, [PaneId::Complaints]);
    }
}
