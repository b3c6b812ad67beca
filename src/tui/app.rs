//! The app: which pane has the focus, the key table, and the message line. It turns a key into
//! an action, handles the few that concern the whole screen (quit, switch pane), hands the rest to
//! the focused pane and shows what comes back. Panes own their state; the app only routes.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect, Size};

use super::chrome::{self, Tab};
use super::panes::contacts::Contacts;
use super::panes::placeholder::Placeholder;
use super::panes::{Effect, Pane, PaneId};
use super::text::clean;
use super::theme::Theme;
use crate::db::Db;
use crate::store::{Actor, Role};
use crate::t;

/// The smallest screen the panes are drawn on; below it, a message says so.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;

/// What a key can ask for. The names are the stable action names of `keymap.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    ShowPane(PaneId),
    NextPane,
    PrevPane,
    Down,
    Up,
    Top,
    Bottom,
    PageDown,
    PageUp,
    HalfPageDown,
    HalfPageUp,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::ShowPane(PaneId::Inbox) => "pane-inbox",
            Action::ShowPane(PaneId::Contacts) => "pane-contacts",
            Action::ShowPane(PaneId::Cases) => "pane-cases",
            Action::ShowPane(PaneId::Followups) => "pane-followups",
            Action::ShowPane(PaneId::Complaints) => "pane-complaints",
            Action::ShowPane(PaneId::Plans) => "pane-plans",
            Action::ShowPane(PaneId::Reports) => "pane-reports",
            Action::NextPane => "pane-next",
            Action::PrevPane => "pane-prev",
            Action::Down => "list-down",
            Action::Up => "list-up",
            Action::Top => "list-top",
            Action::Bottom => "list-bottom",
            Action::PageDown => "list-page-down",
            Action::PageUp => "list-page-up",
            Action::HalfPageDown => "list-half-down",
            Action::HalfPageUp => "list-half-up",
        }
    }

    /// What the action does, as a status-bar hint says it.
    fn hint(self) -> String {
        match self {
            Action::Quit => t!("hint.quit"),
            Action::ShowPane(_) | Action::NextPane | Action::PrevPane => t!("hint.pane"),
            Action::Down | Action::Up => t!("hint.move"),
            Action::Top | Action::Bottom => t!("hint.top-bottom"),
            Action::PageDown | Action::PageUp | Action::HalfPageDown | Action::HalfPageUp => {
                t!("hint.page")
            }
        }
    }
}

/// One binding: a key, whether ctrl is held, and its action.
type Binding = (KeyCode, bool, Action);

/// The key table. An action's first binding is the one the hints show. (Shift is part of the
/// character: `G` is shift-g.)
const KEYS: &[Binding] = &[
    (KeyCode::Char('q'), false, Action::Quit),
    (KeyCode::Char('c'), true, Action::Quit),
    (KeyCode::Char('1'), false, Action::ShowPane(PaneId::Inbox)),
    (
        KeyCode::Char('2'),
        false,
        Action::ShowPane(PaneId::Contacts),
    ),
    (KeyCode::Char('3'), false, Action::ShowPane(PaneId::Cases)),
    (
        KeyCode::Char('4'),
        false,
        Action::ShowPane(PaneId::Followups),
    ),
    (
        KeyCode::Char('5'),
        false,
        Action::ShowPane(PaneId::Complaints),
    ),
    (KeyCode::Char('6'), false, Action::ShowPane(PaneId::Plans)),
    (KeyCode::Char('7'), false, Action::ShowPane(PaneId::Reports)),
    (KeyCode::Tab, false, Action::NextPane),
    (KeyCode::BackTab, false, Action::PrevPane),
    (KeyCode::Char('j'), false, Action::Down),
    (KeyCode::Down, false, Action::Down),
    (KeyCode::Char('k'), false, Action::Up),
    (KeyCode::Up, false, Action::Up),
    (KeyCode::Char('g'), false, Action::Top),
    (KeyCode::Home, false, Action::Top),
    (KeyCode::Char('G'), false, Action::Bottom),
    (KeyCode::End, false, Action::Bottom),
    (KeyCode::PageDown, false, Action::PageDown),
    (KeyCode::PageUp, false, Action::PageUp),
    (KeyCode::Char('d'), true, Action::HalfPageDown),
    (KeyCode::Char('u'), true, Action::HalfPageUp),
];

/// The action a key press stands for, if any.
pub fn resolve(key: &KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::ALT) {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let code = match key.code {
        // Some terminals send shift-tab as tab with shift held.
        KeyCode::Tab if key.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
        code => code,
    };
    KEYS.iter()
        .find(|(c, k, _)| *c == code && *k == ctrl)
        .map(|(_, _, action)| *action)
}

/// How a key is written in the hints.
fn key_label(code: KeyCode, ctrl: bool) -> String {
    let name = match code {
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Tab => "tab".into(),
        KeyCode::BackTab => "shift-tab".into(),
        KeyCode::Up => "up".into(),
        KeyCode::Down => "down".into(),
        KeyCode::Home => "home".into(),
        KeyCode::End => "end".into(),
        KeyCode::PageUp => "pgup".into(),
        KeyCode::PageDown => "pgdn".into(),
        other => format!("{other:?}").to_lowercase(),
    };
    if ctrl { format!("ctrl-{name}") } else { name }
}

/// The keys of an action's first binding, as the hints write it.
fn first_key(action: Action) -> Option<String> {
    KEYS.iter()
        .find(|(_, _, a)| *a == action)
        .map(|(code, ctrl, _)| key_label(*code, *ctrl))
}

/// A line for the message line: what happened, or what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

pub struct App {
    panes: Vec<Box<dyn Pane>>,
    active: usize,
    message: Option<Message>,
    /// The acting user as the tab bar shows it.
    user: String,
    theme: Theme,
    /// The whole screen, as last measured.
    screen: Rect,
    quit: bool,
}

impl App {
    pub fn new(actor: &Actor, theme: Theme) -> App {
        let panes = PaneId::ALL
            .into_iter()
            .map(|id| -> Box<dyn Pane> {
                match id {
                    PaneId::Contacts => Box::new(Contacts::new()),
                    other => Box::new(Placeholder::new(other)),
                }
            })
            .collect();
        let role = match actor.role {
            Role::Agent => t!("role.agent"),
            Role::Manager => t!("role.manager"),
            Role::Admin => t!("role.admin"),
        };
        App {
            panes,
            active: PaneId::Contacts.index(),
            message: None,
            user: t!("app.user", login = clean(&actor.login), role = role),
            theme,
            screen: Rect::default(),
            quit: false,
        }
    }

    /// Measures the screen and shows the first pane (the contacts, until the inbox is built).
    pub fn start(&mut self, size: Size, db: &mut Db) {
        self.screen = Rect::from((ratatui::layout::Position::ORIGIN, size));
        self.focus(PaneId::Contacts.index(), db);
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn active(&self) -> PaneId {
        self.panes
            .get(self.active)
            .map_or(PaneId::Contacts, |p| p.id())
    }

    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    /// The terminal changed size: the focused pane refits to its new area.
    pub fn resize(&mut self, size: Size, db: &mut Db) {
        self.screen = Rect::from((ratatui::layout::Position::ORIGIN, size));
        self.focus(self.active, db);
    }

    pub fn handle_key(&mut self, key: &KeyEvent, db: &mut Db) {
        let Some(action) = resolve(key) else {
            return;
        };
        self.message = None;
        let panes = self.panes.len().max(1);
        match action {
            Action::Quit => self.quit = true,
            Action::ShowPane(id) => self.focus(id.index(), db),
            Action::NextPane => self.focus((self.active + 1) % panes, db),
            Action::PrevPane => self.focus((self.active + panes - 1) % panes, db),
            action => {
                if let Some(pane) = self.panes.get_mut(self.active) {
                    let effect = pane.handle(action, db);
                    self.apply(effect);
                }
            }
        }
    }

    fn focus(&mut self, index: usize, db: &mut Db) {
        self.active = index.min(self.panes.len().saturating_sub(1));
        if too_small(self.screen) {
            return;
        }
        let area = layout(self.screen)[1];
        if let Some(pane) = self.panes.get_mut(self.active) {
            let effect = pane.show(area, db);
            self.apply(effect);
        }
    }

    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Ignored | Effect::Done => {}
            Effect::Message(text) => self.message = Some(Message { text, error: false }),
            Effect::Error(text) => self.message = Some(Message { text, error: true }),
        }
    }

    /// The hints of the focused pane and the global ones, as (keys, what they do).
    fn hints(&self) -> Vec<(String, String)> {
        let mut hints = Vec::new();
        let mut push = |keys: Option<String>, action: Action| {
            if let Some(keys) = keys {
                hints.push((keys, action.hint()));
            }
        };
        push(first_key(Action::Quit), Action::Quit);
        let panes = first_key(Action::ShowPane(PaneId::Inbox))
            .zip(first_key(Action::ShowPane(PaneId::Reports)))
            .map(|(a, b)| format!("{a}-{b}"));
        push(panes, Action::NextPane);
        if let Some(pane) = self.panes.get(self.active) {
            for group in pane.hints() {
                let keys: Option<Vec<String>> = group.iter().map(|a| first_key(*a)).collect();
                if let (Some(keys), Some(first)) = (keys, group.first()) {
                    push(Some(keys.join("/")), *first);
                }
            }
        }
        hints
    }

    pub fn draw(&mut self, frame: &mut Frame) {
        let area = frame.area();
        if too_small(area) {
            chrome::too_small(frame, area, MIN_WIDTH, MIN_HEIGHT, &self.theme);
            return;
        }
        let [top, middle, bottom] = layout(area);
        let tabs: Vec<Tab> = self
            .panes
            .iter()
            .map(|pane| Tab {
                key: first_key(Action::ShowPane(pane.id())).unwrap_or_default(),
                name: pane.title(),
            })
            .collect();
        chrome::tab_bar(frame, top, &tabs, self.active, &self.user, &self.theme);
        if let Some(pane) = self.panes.get_mut(self.active) {
            pane.draw(frame, middle, &self.theme);
        }
        chrome::status_bar(
            frame,
            bottom,
            &self.hints(),
            self.message.as_ref(),
            &self.theme,
        );
    }
}

fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// The tab bar, the focused pane, the status bar.
fn layout(area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::style::Color;

    use super::*;
    use crate::tui::testing::{self, column_of, company, lines, person, render, text};

    fn press(app: &mut App, db: &mut Db, code: KeyCode) {
        app.handle_key(&KeyEvent::new(code, KeyModifiers::NONE), db);
    }

    fn press_with(app: &mut App, db: &mut Db, code: KeyCode, modifiers: KeyModifiers) {
        app.handle_key(&KeyEvent::new(code, modifiers), db);
    }

    #[test]
    fn number_keys_and_tab_switch_panes() {
        let mut store = testing::store();
        let mut app = store.app(80, 24, Theme::plain());
        let db = &mut store.db;
        assert_eq!(app.active(), PaneId::Contacts);
        press(&mut app, db, KeyCode::Char('3'));
        assert_eq!(app.active(), PaneId::Cases);
        press(&mut app, db, KeyCode::Tab);
        assert_eq!(app.active(), PaneId::Followups);
        press(&mut app, db, KeyCode::BackTab);
        assert_eq!(app.active(), PaneId::Cases);
        press(&mut app, db, KeyCode::Char('1'));
        press(&mut app, db, KeyCode::BackTab);
        assert_eq!(app.active(), PaneId::Reports, "shift-tab wraps to the last");
        press(&mut app, db, KeyCode::Tab);
        assert_eq!(app.active(), PaneId::Inbox, "tab wraps to the first");
        // Some terminals send shift-tab as tab with shift held.
        press_with(&mut app, db, KeyCode::Tab, KeyModifiers::SHIFT);
        assert_eq!(app.active(), PaneId::Reports);
        press(&mut app, db, KeyCode::Char('2'));
        assert_eq!(app.active(), PaneId::Contacts);
        // An unbound key and a bound one with alt held do nothing.
        press(&mut app, db, KeyCode::Char('z'));
        press_with(&mut app, db, KeyCode::Char('3'), KeyModifiers::ALT);
        assert_eq!(app.active(), PaneId::Contacts);
        assert!(!app.should_quit());
    }

    #[test]
    fn q_and_ctrl_c_quit_but_c_does_not() {
        let mut store = testing::store();
        let mut app = store.app(80, 24, Theme::plain());
        press(&mut app, &mut store.db, KeyCode::Char('c'));
        assert!(!app.should_quit());
        press_with(
            &mut app,
            &mut store.db,
            KeyCode::Char('c'),
            KeyModifiers::CONTROL,
        );
        assert!(app.should_quit());

        let mut app = store.app(80, 24, Theme::plain());
        press(&mut app, &mut store.db, KeyCode::Char('q'));
        assert!(app.should_quit());
    }

    #[test]
    fn shifted_letters_resolve_without_their_shift() {
        let key = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(resolve(&key), Some(Action::Bottom));
        let key = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL);
        assert_eq!(resolve(&key), Some(Action::HalfPageDown));
    }

    #[test]
    fn every_action_name_is_in_the_shipped_keymap() {
        let keymap = include_str!("../../keymap.toml");
        for (_, _, action) in KEYS {
            let entry = format!("\n{} = ", action.name());
            assert!(
                keymap.contains(&entry),
                "{} is not in keymap.toml",
                action.name()
            );
        }
    }

    #[test]
    fn the_frame_at_80x24_and_120x40() {
        let mut store = testing::store();
        store.add_people(25);
        store.add(company("Pars Tejarat"));
        for (width, height) in [(80, 24), (120, 40)] {
            let mut app = store.app(width, height, Theme::coloured());
            let screen = text(&render(&mut app, width, height));
            let rows = lines(&render(&mut app, width, height));
            assert!(rows[0].contains("[2 Contacts]"), "{screen}");
            assert!(rows[0].contains(" 1 Inb"), "{screen}");
            assert!(rows[0].contains(" 7 Rep"), "{screen}");
            assert!(rows[0].trim_end().ends_with("tester (admin)"), "{screen}");
            assert!(rows[1].contains("Contacts (26)"), "{screen}");
            assert!(screen.contains("Pars Tejarat"), "{screen}");
            assert!(
                screen.contains("> Pars Tejarat"),
                "the first row is selected: {screen}"
            );
            assert!(screen.contains("Person 000"), "{screen}");
            assert!(screen.contains("09120000000"), "{screen}");
            let last = &rows[usize::from(height) - 1];
            for hint in ["q quit", "1-7 pane", "j/k move", "g/G top/bottom"] {
                assert!(last.contains(hint), "{hint} in {last}");
            }
            assert!(screen.contains("1 of 26"), "{screen}");
        }
        let mut app = store.app(120, 40, Theme::coloured());
        let top = lines(&render(&mut app, 120, 40))[0].clone();
        for name in [
            "Peygir",
            "1 Inbox",
            "3 Cases",
            "4 Follow-ups",
            "5 Complaints",
            "6 Plans",
            "7 Reports",
        ] {
            assert!(top.contains(name), "{name} in {top}");
        }
        // 120x40 shows 35 rows: every contact fits, the last one included.
        assert!(text(&render(&mut app, 120, 40)).contains("Person 024"));
    }

    #[test]
    fn the_count_is_grouped_in_thousands() {
        let mut store = testing::store();
        store.add_people(1_001);
        let mut app = store.app(80, 24, Theme::plain());
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("Contacts (1,001)"), "{screen}");
        press(&mut app, &mut store.db, KeyCode::Char('G'));
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("> Person 999"), "{screen}");
        assert!(screen.contains("1,001 of 1,001"), "{screen}");
    }

    #[test]
    fn an_empty_store_says_how_to_load_demo_data() {
        let mut store = testing::store();
        for (width, height) in [(80, 24), (120, 40)] {
            let mut app = store.app(width, height, Theme::plain());
            let screen = text(&render(&mut app, width, height));
            assert!(screen.contains("Contacts (0)"), "{screen}");
            assert!(
                screen.contains("The store has no contacts yet."),
                "{screen}"
            );
            assert!(screen.contains("peygir demo"), "{screen}");
            // Moving in an empty list is harmless.
            press(&mut app, &mut store.db, KeyCode::Char('j'));
            press(&mut app, &mut store.db, KeyCode::Char('G'));
            assert_eq!(app.message(), None);
        }
    }

    #[test]
    fn other_panes_say_they_are_not_built_yet() {
        let mut store = testing::store();
        let mut app = store.app(80, 24, Theme::plain());
        press(&mut app, &mut store.db, KeyCode::Char('5'));
        let rows = lines(&render(&mut app, 80, 24));
        assert!(rows[0].contains("[5 Complaints]"), "{}", rows[0]);
        assert!(text(&render(&mut app, 80, 24)).contains("This pane is not built yet."));
        // The list's keys are not shown where they do nothing.
        assert!(!rows[23].contains("j/k"), "{}", rows[23]);
    }

    #[test]
    fn a_small_terminal_gets_a_notice_and_the_frame_comes_back() {
        let mut store = testing::store();
        store.add_people(3);
        let mut app = store.app(40, 10, Theme::plain());
        let screen = text(&render(&mut app, 40, 10));
        assert!(screen.contains("too small"), "{screen}");
        assert!(screen.contains("40x10"), "{screen}");
        assert!(screen.contains("60x12"), "{screen}");
        // Keys still work while it is too small.
        press(&mut app, &mut store.db, KeyCode::Char('j'));
        app.resize(Size::new(80, 24), &mut store.db);
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("[2 Contacts]"), "{screen}");
        assert!(screen.contains("> Person 001"), "{screen}");
        // Just at the least size, the frame is drawn.
        app.resize(Size::new(60, 12), &mut store.db);
        let rows = lines(&render(&mut app, 60, 12));
        assert!(rows[0].contains("[2 Contacts]"), "{}", rows[0]);
        assert!(
            !rows[0].contains("Peygir"),
            "the tabs' names come before the app's: {}",
            rows[0]
        );
        assert!(rows[4].contains("> Person 001"), "{}", rows[4]);
    }

    #[test]
    fn no_color_draws_without_any_colour_but_still_marks_what_is_focused() {
        let mut store = testing::store();
        store.add_people(3);
        let coloured = render(&mut store.app(80, 24, Theme::coloured()), 80, 24);
        assert!(
            coloured
                .content()
                .iter()
                .any(|c| c.fg != Color::Reset || c.bg != Color::Reset),
            "the coloured theme has colours"
        );
        let plain = render(&mut store.app(80, 24, Theme::plain()), 80, 24);
        for cell in plain.content() {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
        }
        let rows = lines(&plain);
        assert!(rows[0].contains("[2 Contacts]"));
        assert!(rows[3].starts_with("│> Person 000"), "{}", rows[3]);
        // Only ASCII and box drawing, which a TERM=linux console has.
        for row in &rows {
            for c in row.chars() {
                assert!(
                    c.is_ascii() || ('\u{2500}'..='\u{257f}').contains(&c),
                    "{c:?} in {row}"
                );
            }
        }
    }

    #[test]
    fn persian_names_do_not_break_the_columns() {
        let mut store = testing::store();
        store.add(person("محمد", "احمدی"));
        store.add(company(
            "شرکت لاله‌زار تولیدی و بازرگانی پارس تجارت ایرانیان لا لا لا لا لا",
        ));
        store.add(person("Ali", "Rezaei"));
        for (width, height) in [(80, 24), (120, 40)] {
            let mut app = store.app(width, height, Theme::plain());
            let buffer = render(&mut app, width, height);
            let kind_column: Vec<Option<u16>> = (3..6)
                .map(|y| column_of(&buffer, y, "person").or(column_of(&buffer, y, "company")))
                .collect();
            assert!(kind_column[0].is_some(), "{}", text(&buffer));
            assert!(
                kind_column.iter().all(|x| *x == kind_column[0]),
                "{kind_column:?}\n{}",
                text(&buffer)
            );
            assert!(text(&buffer).contains('~'), "the long name is cut");
        }
    }

    #[test]
    fn a_failing_store_shows_on_the_message_line_instead_of_crashing() {
        use diesel::RunQueryDsl;
        let mut store = testing::store();
        store.add_people(100);
        let mut app = store.app(80, 24, Theme::plain());
        diesel::sql_query("ALTER TABLE contacts RENAME TO gone")
            .execute(&mut store.db)
            .expect("renamed");
        press(&mut app, &mut store.db, KeyCode::Char('G'));
        let message = app.message().cloned().expect("a message");
        assert!(message.error);
        let rows = lines(&render(&mut app, 80, 24));
        assert!(rows[23].contains("database error"), "{}", rows[23]);
        assert!(
            rows[3].contains("> Person 000"),
            "the list stays: {}",
            rows[3]
        );
        // The next key clears it.
        press(&mut app, &mut store.db, KeyCode::Char('j'));
        assert_eq!(app.message(), None);
    }
}
