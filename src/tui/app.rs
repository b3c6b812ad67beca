//! The app: which pane has the focus, the key table, and the message line. It makes the panes
//! from the table of panes, turns a key into an action through the contexts the focused pane's
//! mode calls for, handles the few actions that concern the whole screen (quit, switch pane, log
//! a call, palette, help), hands the rest (and every key while the pane's form or search box is
//! open) to the focused pane, and applies the effect that comes back. Panes own their state and
//! their forms; the app only routes. The call form, the palette and the help are the app's own
//! overlays, drawn over whichever pane is shown.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect, Size};

use super::action::{self, Context};
use super::chrome::{self, Tab};
use super::forms::followup::{self, FollowUpForm, Start};
use super::keymap::{Key, Keymap, Problem, Resolved, sequence_text};
use super::panes::{Clock, Effect, Mode, PANES, Pane, PaneId};
use super::text::clean;
use super::theme::Theme;
use super::widgets::help::Help;
use super::widgets::overlay_area;
use super::widgets::palette::{Palette, PaletteEvent};
use crate::db::Db;
use crate::store::{Actor, Role};
use crate::t;

/// The smallest screen the panes are drawn on; below it, a message says so.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;

/// The global actions the status bar always shows, after the pane's own.
const GLOBAL_HINTS: &[&[&str]] = &[&["help"], &["palette"], &["quit"]];
/// What the status bar shows while a form is open.
const FORM_HINTS: &[&[&str]] = &[
    &["form-save"],
    &["form-next", "form-prev"],
    &["form-cancel"],
    &["form-timer"],
];
/// What the status bar shows while a search box is open.
const SEARCH_HINTS: &[&[&str]] = &[
    &["search-accept"],
    &["search-down", "search-up"],
    &["search-cancel"],
];

/// A line for the message line: what happened, or what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// What is drawn over the focused pane and takes its keys.
enum Overlay {
    Palette(Palette),
    Help(Help),
}

pub struct App {
    panes: Vec<Box<dyn Pane>>,
    actor: Actor,
    clock: Clock,
    /// The call being logged: a follow-up form over whichever pane is shown.
    call: Option<FollowUpForm>,
    active: usize,
    message: Option<Message>,
    /// The acting user as the tab bar shows it.
    user: String,
    theme: Theme,
    keymap: Keymap,
    /// The keys of a sequence typed so far (`g` of `g g`).
    pending: Vec<Key>,
    overlay: Option<Overlay>,
    /// The whole screen, as last measured.
    screen: Rect,
    quit: bool,
}

impl App {
    pub fn new(actor: &Actor, theme: Theme, keymap: Keymap) -> App {
        App::with_clock(actor, theme, keymap, crate::store::now)
    }

    /// An app whose panes read the time from `clock` (tests fix it).
    pub fn with_clock(actor: &Actor, theme: Theme, keymap: Keymap, clock: Clock) -> App {
        let panes = PANES.iter().map(|pane| (pane.new)(actor, clock)).collect();
        let role = match actor.role {
            Role::Agent => t!("role.agent"),
            Role::Manager => t!("role.manager"),
            Role::Admin => t!("role.admin"),
        };
        App {
            panes,
            actor: actor.clone(),
            clock,
            call: None,
            active: PaneId::Inbox.index(),
            message: None,
            user: t!("app.user", login = clean(&actor.login), role = role),
            theme,
            keymap,
            pending: Vec::new(),
            overlay: None,
            screen: Rect::default(),
            quit: false,
        }
    }

    /// Measures the screen and shows the home pane, the inbox.
    pub fn start(&mut self, size: Size, db: &mut Db) {
        self.screen = Rect::from((ratatui::layout::Position::ORIGIN, size));
        self.focus(PaneId::Inbox.index(), db);
    }

    /// Says on the message line that the user's keymap had problems (their defaults stand).
    pub fn report_keymap_problems(&mut self, problems: &[Problem]) {
        if let Some(first) = problems.first() {
            let text = t!(
                "keymap.using-defaults",
                count = problems.len(),
                first = first
            );
            self.message = Some(Message { text, error: true });
        }
    }

    /// Puts `text` on the message line (`error` for what went wrong).
    pub fn tell(&mut self, text: String, error: bool) {
        self.message = Some(Message { text, error });
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn active(&self) -> PaneId {
        self.panes
            .get(self.active)
            .map_or(PaneId::Inbox, |p| p.id())
    }

    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    /// Someone else changed the store: the focused pane reads what it shows again, and so does
    /// the inbox, whose count is on the tab bar.
    pub fn changed_elsewhere(&mut self, db: &mut Db) {
        self.focus(self.active, db);
        let inbox = PaneId::Inbox.index();
        if self.active != inbox && !too_small(self.screen) {
            let area = layout(self.screen)[1];
            if let Some(pane) = self.panes.get_mut(inbox) {
                let _ = pane.show(area, db);
            }
        }
    }

    /// The terminal changed size: the focused pane refits to its new area.
    pub fn resize(&mut self, size: Size, db: &mut Db) {
        self.screen = Rect::from((ratatui::layout::Position::ORIGIN, size));
        self.focus(self.active, db);
    }

    /// What takes the keys: the call form, else the focused pane in its mode.
    fn mode(&self) -> Mode {
        if self.call.is_some() {
            return Mode::Form;
        }
        self.panes
            .get(self.active)
            .map_or(Mode::Normal, |p| p.mode())
    }

    /// The contexts a key is resolved through on the focused pane: its own, then global. An open
    /// form or search box takes every key its section binds and the rest as typed text.
    fn contexts(&self) -> Vec<Context> {
        match self.mode() {
            Mode::Form => vec![Context::Form],
            Mode::Search => vec![Context::Search],
            Mode::Normal => {
                let mut contexts = self
                    .panes
                    .get(self.active)
                    .map(|p| p.contexts().to_vec())
                    .unwrap_or_default();
                contexts.push(Context::Global);
                contexts
            }
        }
    }

    pub fn handle_key(&mut self, event: &KeyEvent, db: &mut Db) {
        let key = Key::from_event(event);
        let had_pending = !self.pending.is_empty();
        if !had_pending {
            self.message = None;
        }
        match self.overlay.as_mut() {
            Some(Overlay::Palette(palette)) => {
                let action = self
                    .keymap
                    .resolve(&[Context::Palette], &mut self.pending, key);
                match palette.handle(action_of(&action), *event) {
                    PaletteEvent::None => {}
                    PaletteEvent::Close => self.overlay = None,
                    PaletteEvent::Run(name) => {
                        self.overlay = None;
                        self.run(name, db);
                    }
                }
                return;
            }
            Some(Overlay::Help(help)) => {
                match self
                    .keymap
                    .resolve(&[Context::Help], &mut self.pending, key)
                {
                    Resolved::Action("help-close") => self.overlay = None,
                    Resolved::Action("help-down") => help.scroll(true),
                    Resolved::Action("help-up") => help.scroll(false),
                    _ => {}
                }
                return;
            }
            None => {}
        }
        let contexts = self.contexts();
        let resolved = self.keymap.resolve(&contexts, &mut self.pending, key);
        // An open form takes its own keys and the text typed; a help key that types nothing
        // (f1) shows the form's keys.
        if self.mode() == Mode::Form && resolved == Resolved::Unbound && self.is_help_key(key) {
            self.overlay = Some(Overlay::Help(Help::new(&self.keymap, &[Context::Form])));
            return;
        }
        if self.call.is_some() {
            self.call_key(action_of(&resolved), *event, db);
            return;
        }
        if self.mode() != Mode::Normal {
            let now = (self.clock)();
            let effect = match self.panes.get_mut(self.active) {
                Some(pane) => pane.key(action_of(&resolved), *event, now, db),
                None => Effect::Ignored,
            };
            self.apply(effect, db);
            return;
        }
        match resolved {
            Resolved::Action(name) => self.run(name, db),
            Resolved::Pending => {
                let typed = sequence_text(&self.pending);
                self.message = Some(Message {
                    text: t!("keys.pending", keys = typed),
                    error: false,
                });
            }
            Resolved::Unbound => {
                if had_pending {
                    self.message = None;
                }
            }
        }
    }

    /// Whether `key` alone opens the help and is no text a form would take (`f1`, not `?`).
    fn is_help_key(&self, key: Key) -> bool {
        let text = matches!(key.code, crossterm::event::KeyCode::Char(_)) && !key.ctrl && !key.alt;
        !text
            && self
                .keymap
                .keys_for("help")
                .iter()
                .any(|sequence| sequence.as_slice() == [key])
    }

    /// A key for the call being logged.
    fn call_key(&mut self, action: Option<&'static str>, event: KeyEvent, db: &mut Db) {
        let now = (self.clock)();
        let Some(call) = self.call.as_mut() else {
            return;
        };
        let form_event = call.form().handle(action, event, now);
        match call.event(form_event, db, now) {
            followup::Outcome::Open => {}
            followup::Outcome::Refused(text) => {
                self.message = Some(Message { text, error: true });
            }
            followup::Outcome::Cancelled => self.call = None,
            followup::Outcome::Saved(text) => {
                self.call = None;
                // The pane shown reads the store again: the inbox, the case, the log.
                self.focus(self.active, db);
                self.message = Some(Message { text, error: false });
            }
        }
    }

    /// Runs an action by name, from a key or from the palette.
    fn run(&mut self, name: &'static str, db: &mut Db) {
        let panes = self.panes.len().max(1);
        let pane_index = PANES.iter().position(|p| p.action == name);
        match name {
            "quit" => self.quit = true,
            "pane-next" => self.focus((self.active + 1) % panes, db),
            "pane-prev" => self.focus((self.active + panes - 1) % panes, db),
            "palette" => {
                let contexts = self.contexts();
                self.overlay = Some(Overlay::Palette(Palette::new(&self.keymap, &contexts)));
            }
            "help" => {
                let contexts = self.contexts();
                self.overlay = Some(Overlay::Help(Help::new(&self.keymap, &contexts)));
            }
            "refresh" => self.focus(self.active, db),
            "log-call" => match FollowUpForm::open(db, &self.actor, Start::Call, (self.clock)()) {
                Ok(form) => self.call = Some(form),
                Err(e) => {
                    self.message = Some(Message {
                        text: e.to_string(),
                        error: true,
                    });
                }
            },
            _ if pane_index.is_some() => self.focus(pane_index.unwrap_or(0), db),
            _ => {
                let effect = match self.panes.get_mut(self.active) {
                    Some(pane) => pane.handle(name, db),
                    None => Effect::Ignored,
                };
                if effect == Effect::Ignored {
                    let what = action::description(name);
                    self.message = Some(Message {
                        text: t!("action.not-here", action = what),
                        error: false,
                    });
                } else {
                    self.apply(effect, db);
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
            self.apply(effect, db);
        }
    }

    fn apply(&mut self, effect: Effect, db: &mut Db) {
        match effect {
            Effect::Open(record) => {
                let Some(index) = PANES.iter().position(|p| (p.opens)(&record)) else {
                    return;
                };
                self.focus(index, db);
                if let Some(pane) = self.panes.get_mut(self.active) {
                    let effect = pane.open(record, db);
                    self.apply(effect, db);
                }
            }
            Effect::Ignored | Effect::Done => {}
            Effect::Message(text) => self.message = Some(Message { text, error: false }),
            Effect::Error(text) => self.message = Some(Message { text, error: true }),
        }
    }

    /// The hints of the focused pane and the global ones, as (keys, what they do), drawn from
    /// the keymap in force so a rebound key shows as rebound.
    fn hints(&self) -> Vec<(String, String)> {
        let mode = self.mode();
        let in_form = mode == Mode::Form;
        let in_search = mode == Mode::Search;
        let groups: Vec<&'static [&'static str]> = match self.panes.get(self.active) {
            _ if in_form => FORM_HINTS.to_vec(),
            _ if in_search => SEARCH_HINTS.to_vec(),
            Some(pane) => pane.hints().iter().chain(GLOBAL_HINTS).copied().collect(),
            None => GLOBAL_HINTS.to_vec(),
        };
        let first_key = |name: &str| self.keymap.keys_for(name).first().map(|s| sequence_text(s));
        let mut hints: Vec<(String, String)> = groups
            .into_iter()
            .filter_map(|group| {
                let keys: Vec<String> = group.iter().filter_map(|name| first_key(name)).collect();
                let first = group.first()?;
                (!keys.is_empty()).then(|| (keys.join("/"), action::short(first)))
            })
            .collect();
        if !in_form
            && !in_search
            && let (Some(first), Some(last)) = (
                PANES.first().and_then(|p| first_key(p.action)),
                PANES.last().and_then(|p| first_key(p.action)),
            )
        {
            hints.insert(0, (format!("{first}-{last}"), t!("hint.pane")));
        }
        hints
    }

    pub fn draw(&mut self, frame: &mut Frame) {
        let area = frame.area();
        if too_small(area) {
            chrome::too_small(frame, area, MIN_WIDTH, MIN_HEIGHT, &self.theme);
            super::bidi::finish(frame.buffer_mut());
            return;
        }
        let [top, middle, bottom] = layout(area);
        let tabs: Vec<Tab> = self
            .panes
            .iter()
            .map(|pane| Tab {
                key: self
                    .keymap
                    .keys_for(pane.id().action())
                    .first()
                    .map(|s| sequence_text(s))
                    .unwrap_or_default(),
                name: pane.title(),
                badge: pane.badge(),
            })
            .collect();
        chrome::tab_bar(frame, top, &tabs, self.active, &self.user, &self.theme);
        if let Some(pane) = self.panes.get_mut(self.active) {
            pane.draw(frame, middle, &self.theme);
            if let Some(call) = self.call.as_mut() {
                call.form().render_over(frame, middle);
            }
        }
        match &mut self.overlay {
            Some(Overlay::Palette(palette)) => {
                palette.render(frame, overlay_area(middle, middle.height))
            }
            Some(Overlay::Help(help)) => help.render(frame, overlay_area(middle, middle.height)),
            None => {}
        }
        let hints = self.hints();
        chrome::status_bar(frame, bottom, &hints, self.message.as_ref(), &self.theme);
        super::bidi::finish(frame.buffer_mut());
    }
}

fn action_of(resolved: &Resolved) -> Option<&'static str> {
    match resolved {
        Resolved::Action(name) => Some(name),
        _ => None,
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

    /// An app on `store` switched from its home pane, the inbox, to the contacts.
    fn contacts_app(store: &mut testing::Store, width: u16, height: u16, theme: Theme) -> App {
        let mut app = store.app(width, height, theme);
        press(&mut app, &mut store.db, KeyCode::Char('2'));
        app
    }

    #[test]
    fn number_keys_and_tab_switch_panes() {
        let mut store = testing::store();
        let mut app = store.app(80, 24, Theme::plain());
        let db = &mut store.db;
        assert_eq!(app.active(), PaneId::Inbox, "the inbox is home");
        press(&mut app, db, KeyCode::Char('3'));
        assert_eq!(app.active(), PaneId::Cases);
        press(&mut app, db, KeyCode::Tab);
        assert_eq!(app.active(), PaneId::Followups);
        press(&mut app, db, KeyCode::BackTab);
        assert_eq!(app.active(), PaneId::Cases);
        press(&mut app, db, KeyCode::Char('1'));
        press(&mut app, db, KeyCode::BackTab);
        assert_eq!(app.active(), PaneId::Users, "shift-tab wraps to the last");
        press(&mut app, db, KeyCode::Tab);
        assert_eq!(app.active(), PaneId::Inbox, "tab wraps to the first");
        // Some terminals send shift-tab as tab with shift held.
        press_with(&mut app, db, KeyCode::Tab, KeyModifiers::SHIFT);
        assert_eq!(app.active(), PaneId::Users);
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
    fn sequences_palette_and_help_work_through_the_keymap() {
        let mut store = testing::store();
        store.add_people(30);
        let mut app = contacts_app(&mut store, 80, 24, Theme::plain());
        let db = &mut store.db;
        press(&mut app, db, KeyCode::Char('G'));
        assert!(text(&render(&mut app, 80, 24)).contains("> Person 029"));
        press(&mut app, db, KeyCode::Char('g'));
        assert!(
            text(&render(&mut app, 80, 24)).contains("g …"),
            "a started sequence shows"
        );
        press(&mut app, db, KeyCode::Char('g'));
        assert!(text(&render(&mut app, 80, 24)).contains("> Person 000"));
        // The palette: type, Enter runs the action.
        press(&mut app, db, KeyCode::Char(':'));
        for c in "go to the bottom".chars() {
            press(&mut app, db, KeyCode::Char(c));
        }
        let screen = text(&render(&mut app, 80, 24));
        assert!(
            screen.contains("Commands") && screen.contains("list-bottom"),
            "{screen}"
        );
        press(&mut app, db, KeyCode::Enter);
        assert!(text(&render(&mut app, 80, 24)).contains("> Person 029"));
        // Help lists the keys in force; q closes it rather than quitting.
        press(&mut app, db, KeyCode::Char('?'));
        assert!(text(&render(&mut app, 80, 24)).contains("Move down"));
        for _ in 0..40 {
            press(&mut app, db, KeyCode::Char('j'));
        }
        let screen = text(&render(&mut app, 80, 24));
        assert!(
            screen.contains("Quit Peygir"),
            "help scrolls to the global keys: {screen}"
        );
        press(&mut app, db, KeyCode::Char('q'));
        assert!(!app.should_quit());
        assert!(!text(&render(&mut app, 80, 24)).contains("Quit Peygir"));
    }

    #[test]
    fn rebound_keys_work_and_show_in_the_hints() {
        let mut store = testing::store();
        store.add_people(5);
        let mut keymap = Keymap::defaults();
        let (user, problems) = crate::tui::keymap::parse(
            "[list]\nlist-down = { keys = [\"ctrl-n\"] }\n[global]\nquit = { keys = [\"ctrl-q\"] }\n",
            "u.toml",
        );
        assert!(problems.is_empty());
        keymap.merge(user);
        let mut app = App::new(&store.actor, Theme::plain(), keymap);
        app.start(Size::new(80, 24), &mut store.db);
        let db = &mut store.db;
        press(&mut app, db, KeyCode::Char('2'));
        press(&mut app, db, KeyCode::Char('j'));
        assert!(
            text(&render(&mut app, 80, 24)).contains("> Person 000"),
            "j no longer moves"
        );
        press_with(&mut app, db, KeyCode::Char('n'), KeyModifiers::CONTROL);
        assert!(text(&render(&mut app, 80, 24)).contains("> Person 001"));
        let last = lines(&render(&mut app, 80, 24))[23].clone();
        assert!(
            last.contains("ctrl-n/k move") && last.contains("ctrl-q quit"),
            "{last}"
        );
        press(&mut app, db, KeyCode::Char('q'));
        assert!(!app.should_quit());
        press_with(&mut app, db, KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert!(app.should_quit());
    }

    #[test]
    fn the_frame_at_80x24_and_120x40() {
        let mut store = testing::store();
        store.add_people(25);
        store.add(company("Pars Tejarat"));
        for (width, height) in [(80, 24), (120, 40)] {
            let mut app = contacts_app(&mut store, width, height, Theme::coloured());
            let screen = text(&render(&mut app, width, height));
            let rows = lines(&render(&mut app, width, height));
            assert!(rows[0].contains("[2 Contacts]"), "{screen}");
            // At 80 columns the nine tabs have room for their keys alone.
            let (inbox, reports) = if width > 80 {
                (" 1 Inb", " 7 Rep")
            } else {
                (" 1 ", " 7 ")
            };
            assert!(rows[0].contains(inbox), "{screen}");
            assert!(rows[0].contains(reports), "{screen}");
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
            for hint in ["q quit", "1-9 pane", "j/k move", "n new", "/ search"] {
                assert!(last.contains(hint), "{hint} in {last}");
            }
            assert!(screen.contains("1 of 26"), "{screen}");
        }
        let mut app = contacts_app(&mut store, 120, 40, Theme::coloured());
        let top = lines(&render(&mut app, 120, 40))[0].clone();
        for name in [
            "Peygir",
            "1 Inbox",
            "3 Cases",
            "4 Follow-ups",
            "5 Complaints",
            "6 Plans",
            "7 Reports",
            "8 Lists",
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
        let mut app = contacts_app(&mut store, 80, 24, Theme::plain());
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
            let mut app = contacts_app(&mut store, width, height, Theme::plain());
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
    fn the_reports_pane_lists_the_catalogue_and_runs_the_first_report() {
        let mut store = testing::store();
        let mut app = store.app(80, 24, Theme::plain());
        press(&mut app, &mut store.db, KeyCode::Char('7'));
        let rows = lines(&render(&mut app, 80, 24));
        assert!(rows[0].contains("[7 Reports]"), "{}", rows[0]);
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("> Pipeline"), "{screen}");
        assert!(screen.contains("Total"), "{screen}");
        assert!(rows[23].contains("j/k"), "{}", rows[23]);
    }

    #[test]
    fn a_small_terminal_gets_a_notice_and_the_frame_comes_back() {
        let mut store = testing::store();
        store.add_people(3);
        let mut app = contacts_app(&mut store, 40, 10, Theme::plain());
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
        assert!(rows[5].contains("> Person 001"), "{}", rows[5]);
    }

    #[test]
    fn no_color_draws_without_any_colour_but_still_marks_what_is_focused() {
        let mut store = testing::store();
        store.add_people(3);
        let coloured = render(
            &mut contacts_app(&mut store, 80, 24, Theme::coloured()),
            80,
            24,
        );
        assert!(
            coloured
                .content()
                .iter()
                .any(|c| c.fg != Color::Reset || c.bg != Color::Reset),
            "the coloured theme has colours"
        );
        let plain = render(
            &mut contacts_app(&mut store, 80, 24, Theme::plain()),
            80,
            24,
        );
        for cell in plain.content() {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
        }
        let rows = lines(&plain);
        assert!(rows[0].contains("[2 Contacts]"));
        assert!(rows[4].contains("│> Person 000"), "{}", rows[4]);
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
            let mut app = contacts_app(&mut store, width, height, Theme::plain());
            let buffer = render(&mut app, width, height);
            let kind_column: Vec<Option<u16>> = (4..7)
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
        let mut app = contacts_app(&mut store, 80, 24, Theme::plain());
        diesel::sql_query("ALTER TABLE contacts RENAME TO gone")
            .execute(&mut store.db)
            .expect("renamed");
        press(&mut app, &mut store.db, KeyCode::Char('G'));
        let message = app.message().cloned().expect("a message");
        assert!(message.error);
        let rows = lines(&render(&mut app, 80, 24));
        assert!(rows[23].contains("database error"), "{}", rows[23]);
        assert!(
            rows[4].contains("> Person 000"),
            "the list stays: {}",
            rows[4]
        );
        // The next key clears it.
        press(&mut app, &mut store.db, KeyCode::Char('j'));
        assert_eq!(app.message(), None);
    }
}
