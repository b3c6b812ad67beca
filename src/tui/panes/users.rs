//! The users, who are the experts work is given to: login, name, role, organisational unit and
//! whether each is active, by login. An admin adds a user (a form), changes a user's role or
//! unit (a small form each) and disables or enables one (a key), each through the store, which
//! refuses what would leave no active admin; a refusal of a field is shown beside it and the
//! form stays open. Anyone may look; a key that changes something says, for anyone but an admin,
//! why it is refused before any form opens.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Effect, LIST_HINTS, Mode, Pane, PaneId};
use crate::db::Db;
use crate::db::ids::{OrgUnitId, UserId};
use crate::error::{Error, Result};
use crate::store::users::{self, User};
use crate::store::{Actor, Role, org_units};
use crate::t;
use crate::tui::action::Context;
use crate::tui::text::{clean, group_thousands};
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Choice, FieldKind, Form, FormEvent, Values, field_key};
use crate::tui::widgets::list::{Column, ListWindow, Source, View, Width};

/// The form fields' keys: the store's field names without `field.`, so its refusals land
/// beside them.
const LOGIN: &str = "login";
const NAME: &str = "display-name";
const ROLE: &str = "role";
const UNIT: &str = "org-unit";

/// Every user, active or not, by login.
pub struct UserSource;

impl Source for UserSource {
    type Row = User;
    type Key = String;

    fn page(&self, db: &mut Db, after: Option<&String>, limit: i64) -> Result<Vec<User>> {
        users::page(db, after.map(String::as_str), limit)
    }

    fn page_before(&self, db: &mut Db, before: &String, limit: i64) -> Result<Vec<User>> {
        users::page_before(db, before, limit)
    }

    fn last_page(&self, db: &mut Db, limit: i64) -> Result<Vec<User>> {
        users::last_page(db, limit)
    }

    fn count(&self, db: &mut Db) -> Result<i64> {
        users::count(db)
    }

    fn key(row: &User) -> String {
        row.login.clone()
    }
}

/// What the open form is for: a new user, or the role or unit of the user `id` as it was read
/// (at `version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prompt {
    Add,
    Role { id: UserId, version: i64 },
    Unit { id: UserId, version: i64 },
}

pub struct Users {
    actor: Actor,
    list: ListWindow<UserSource>,
    /// The organisational units as (id, path), read when the pane is shown.
    units: Vec<(OrgUnitId, String)>,
    open: Option<(Prompt, Form)>,
}

/// The status-bar hints: an admin's changes, or only moving for anyone else.
const ADMIN_HINTS: &[&[&str]] = &[
    &["list-down", "list-up"],
    &["user-add"],
    &["user-role"],
    &["user-unit"],
    &["user-toggle"],
];

/// The roles, as a choice field offers them.
fn role_choices() -> Vec<Choice> {
    Role::ALL
        .into_iter()
        .map(|role| Choice {
            value: role.as_str().to_string(),
            label: role.name(),
        })
        .collect()
}

impl Users {
    pub fn new(actor: Actor) -> Users {
        Users {
            actor,
            list: ListWindow::new(UserSource),
            units: Vec::new(),
            open: None,
        }
    }

    /// The path of the organisational unit `id`, if any.
    fn unit_name(&self, id: Option<OrgUnitId>) -> Option<String> {
        let id = id?;
        Some(
            self.units
                .iter()
                .find(|(unit, _)| *unit == id)
                .map_or_else(|| id.to_string(), |(_, path)| path.clone()),
        )
    }

    /// The units, as a choice field offers them, "none" first.
    fn unit_choices(&self) -> Vec<Choice> {
        std::iter::once(Choice {
            value: String::new(),
            label: t!("user.no-unit"),
        })
        .chain(self.units.iter().map(|(id, path)| Choice {
            value: id.to_string(),
            label: clean(path),
        }))
        .collect()
    }

    /// Refuses a change unless the user is an admin (the store refuses it anyway).
    fn admin_only(&self) -> Option<Effect> {
        self.actor
            .require(Role::Admin, &t!("forbidden.manage-users"))
            .err()
            .map(|e| Effect::Error(e.to_string()))
    }

    /// The selected user, for a change: refused for anyone but an admin, and when the list is
    /// empty.
    fn target(&self) -> std::result::Result<User, Effect> {
        if let Some(refused) = self.admin_only() {
            return Err(refused);
        }
        self.list
            .selected()
            .cloned()
            .ok_or_else(|| Effect::Error(t!("users.pick-a-user")))
    }

    fn open_add(&mut self) -> Effect {
        if let Some(refused) = self.admin_only() {
            return refused;
        }
        let form = Form::new(t!("users.add-title"))
            .field(LOGIN, t!("field.login"), FieldKind::Text, true)
            .field(NAME, t!("field.display-name"), FieldKind::Text, true)
            .field(
                ROLE,
                t!("field.role"),
                FieldKind::Choice(role_choices()),
                true,
            )
            .field(
                UNIT,
                t!("field.org-unit"),
                FieldKind::Choice(self.unit_choices()),
                false,
            );
        self.open = Some((Prompt::Add, form));
        Effect::Done
    }

    fn open_role(&mut self) -> Effect {
        let user = match self.target() {
            Ok(user) => user,
            Err(effect) => return effect,
        };
        let mut form = Form::new(t!("users.role-title", user = clean(&users::who(&user)))).field(
            ROLE,
            t!("field.role"),
            FieldKind::Choice(role_choices()),
            true,
        );
        form.set_value(ROLE, user.role().as_str());
        let prompt = Prompt::Role {
            id: user.id,
            version: user.version,
        };
        self.open = Some((prompt, form));
        Effect::Done
    }

    fn open_unit(&mut self) -> Effect {
        let user = match self.target() {
            Ok(user) => user,
            Err(effect) => return effect,
        };
        let mut form = Form::new(t!("users.unit-title", user = clean(&users::who(&user)))).field(
            UNIT,
            t!("field.org-unit"),
            FieldKind::Choice(self.unit_choices()),
            false,
        );
        form.set_value(
            UNIT,
            &user
                .org_unit_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
        );
        let prompt = Prompt::Unit {
            id: user.id,
            version: user.version,
        };
        self.open = Some((prompt, form));
        Effect::Done
    }

    /// Disables the selected user, or enables them again.
    fn toggle(&mut self, db: &mut Db) -> Effect {
        let user = match self.target() {
            Ok(user) => user,
            Err(effect) => return effect,
        };
        let result = users::set_active(db, &self.actor, user.id, user.version, !user.active);
        let reloaded = self.list.reload_now(db);
        let effect = match result {
            Ok(new) => Effect::Message(clean(&users::active_message(&new, true))),
            Err(e) => Effect::Error(e.to_string()),
        };
        unless_reload_failed(effect, reloaded)
    }

    /// Stores what the open form holds; a refused field keeps the form open with the reason
    /// beside it.
    fn save(&mut self, values: Values<'_>, db: &mut Db) -> Effect {
        let Some((prompt, _)) = &self.open else {
            return Effect::Ignored;
        };
        let prompt = *prompt;
        let role = values
            .choice(ROLE)
            .and_then(Role::parse)
            .unwrap_or(Role::Agent);
        let unit = values.choice_id::<i64>(UNIT).map(OrgUnitId);
        let result = match prompt {
            Prompt::Add => {
                let login = values.text(LOGIN).unwrap_or_default();
                let name = values.text(NAME).unwrap_or_default();
                users::add(db, &self.actor, &login, &name, role, unit).map(|new| {
                    let unit = self.unit_name(new.org_unit_id);
                    let text = users::added_message(&new, unit.as_deref());
                    (new, text)
                })
            }
            Prompt::Role { id, version } => users::set_role(db, &self.actor, id, version, role)
                .map(|new| {
                    let text = users::role_message(&new, new.version != version);
                    (new, text)
                }),
            Prompt::Unit { id, version } => users::set_unit(db, &self.actor, id, version, unit)
                .map(|new| {
                    let unit = self.unit_name(new.org_unit_id);
                    let text = users::unit_message(&new, unit.as_deref(), new.version != version);
                    (new, text)
                }),
        };
        match result {
            Ok((new, text)) => {
                self.open = None;
                let reloaded = self.list.reload_now(db);
                self.list.select_where(|u| u.id == new.id);
                unless_reload_failed(Effect::Message(clean(&text)), reloaded)
            }
            Err(Error::Invalid(errors)) => {
                let message = Error::Invalid(errors.clone()).to_string();
                if let Some((_, form)) = self.open.as_mut() {
                    form.show_errors(&errors);
                    // A refusal of the whole user (the last admin disabled) has no field of its
                    // own here: it goes beside the field the form has.
                    for error in &errors {
                        if !form.keys().contains(&field_key(error.field)) {
                            let first = form.keys().first().copied().unwrap_or(ROLE);
                            form.set_error(first, error.reason.clone());
                        }
                    }
                }
                Effect::Error(message)
            }
            Err(e) => {
                // Changed by someone else, or refused: the form goes and the list shows the
                // user as stored now.
                self.open = None;
                let _ = self.list.reload_now(db);
                Effect::Error(e.to_string())
            }
        }
    }

    /// The list's columns; the unit gives up its place first on a narrow screen.
    fn columns(&self) -> Vec<Column<'_, User>> {
        let role_width = Role::ALL
            .iter()
            .map(|r| crate::tui::text::cells(&r.name()))
            .max()
            .unwrap_or(6);
        vec![
            Column::new(
                t!("user.col.login"),
                Width::Share {
                    weight: 1,
                    min: 8,
                    max: 20,
                },
                |u: &User| u.login.clone(),
            ),
            Column::new(t!("user.col.name"), Width::share(2, 12), |u: &User| {
                u.display_name.clone()
            }),
            Column::new(t!("user.col.role"), Width::Fixed(role_width), |u: &User| {
                u.role().name()
            }),
            Column::new(t!("user.col.unit"), Width::share(2, 10), move |u: &User| {
                self.unit_name(u.org_unit_id).unwrap_or_default()
            })
            .drops(1),
            Column::new(t!("user.col.active"), Width::Fixed(3), |u: &User| {
                if u.active {
                    t!("lookup.yes")
                } else {
                    t!("lookup.no")
                }
            }),
        ]
    }
}

/// `effect`, unless reading the list again failed (`reloaded`): then that failure.
fn unless_reload_failed(effect: Effect, reloaded: Effect) -> Effect {
    match reloaded {
        Effect::Error(_) => reloaded,
        _ => effect,
    }
}

impl Pane for Users {
    fn id(&self) -> PaneId {
        PaneId::Users
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Pane(PaneId::Users), Context::List]
    }

    fn hints(&self) -> &'static [&'static [&'static str]] {
        if self.actor.role == Role::Admin {
            ADMIN_HINTS
        } else {
            LIST_HINTS
        }
    }

    fn mode(&self) -> Mode {
        if self.open.is_some() {
            Mode::Form
        } else {
            Mode::Normal
        }
    }

    fn show(&mut self, area: Rect, db: &mut Db) -> Effect {
        match org_units::all(db) {
            Ok(units) => self.units = units,
            Err(e) => return Effect::Error(e.to_string()),
        }
        self.list.show(area, db)
    }

    fn handle(&mut self, action: &str, db: &mut Db) -> Effect {
        match action {
            "user-add" => self.open_add(),
            "user-role" => self.open_role(),
            "user-unit" => self.open_unit(),
            "user-toggle" => self.toggle(db),
            _ => self.list.handle(action, db),
        }
    }

    fn active_form(&mut self) -> Option<&mut Form> {
        self.open.as_mut().map(|(_, form)| form)
    }

    fn form_event(&mut self, event: FormEvent, db: &mut Db) -> Effect {
        match event {
            FormEvent::None | FormEvent::Chosen { .. } | FormEvent::Search { .. } => {
                Effect::Ignored
            }
            FormEvent::Cancel => {
                self.open = None;
                Effect::Done
            }
            FormEvent::Save(values) => self.save(Values(&values), db),
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let mut title = t!("users.title", count = group_thousands(self.list.total()));
        if self.actor.role != Role::Admin {
            title = t!("users.read-only", title = title);
        }
        let view = View {
            title,
            above: Vec::new(),
            columns: self.columns(),
            empty: t!("users.empty"),
        };
        self.list.render(frame, area, view, theme);
        if let Some((_, form)) = self.open.as_mut() {
            form.render_over(frame, area);
        }
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::tui::testing::{self, Store, draw_pane};

    /// A store with the tester (its first admin), a unit, and Sara, an agent in it.
    fn ready() -> (Store, OrgUnitId) {
        let mut store = testing::store();
        let unit = org_units::find_or_add(&mut store.db, None, "Tehran sales").expect("a unit");
        users::add(
            &mut store.db,
            &store.actor,
            "sara",
            "Sara Rahimi",
            Role::Agent,
            Some(unit),
        )
        .expect("sara");
        (store, unit)
    }

    fn shown(store: &mut Store, actor: Actor) -> Users {
        let mut pane = Users::new(actor);
        assert_eq!(
            pane.show(Rect::new(0, 0, 100, 20), &mut store.db),
            Effect::Done
        );
        pane
    }

    /// Sends a key to the open form and its event to the pane.
    fn key(pane: &mut Users, db: &mut Db, action: Option<&str>, code: KeyCode) -> Effect {
        let form = pane.active_form().expect("a form is open");
        let event = form.handle(
            action,
            KeyEvent::new(code, KeyModifiers::NONE),
            testing::fixed_now(),
        );
        pane.form_event(event, db)
    }

    fn type_text(pane: &mut Users, db: &mut Db, text: &str) {
        for c in text.chars() {
            key(pane, db, None, KeyCode::Char(c));
        }
    }

    fn next(pane: &mut Users, db: &mut Db) {
        key(pane, db, Some("form-next"), KeyCode::Tab);
    }

    fn save(pane: &mut Users, db: &mut Db) -> Effect {
        key(pane, db, Some("form-save"), KeyCode::Char('s'))
    }

    fn selects(pane: &mut Users, db: &mut Db, login: &str) {
        pane.handle("list-top", db);
        while pane.list.selected().is_some_and(|u| u.login != login) {
            assert_eq!(pane.handle("list-down", db), Effect::Done);
        }
        assert_eq!(pane.list.selected().map(|u| u.login.as_str()), Some(login));
    }

    fn by_login(db: &mut Db, login: &str) -> User {
        users::by_login(db, login).expect("read").expect("on file")
    }

    #[test]
    fn an_admin_adds_a_user_and_changes_their_role_unit_and_state() {
        let (mut store, unit) = ready();
        let actor = store.actor.clone();
        let mut pane = shown(&mut store, actor);
        let db = &mut store.db;
        let text = draw_pane(&mut pane, 100, 10).join("\n");
        assert!(text.contains("Users (2)"), "{text}");
        assert!(
            text.contains("sara") && text.contains("Tehran sales"),
            "{text}"
        );

        // A bad login is refused beside its field, and the form keeps what was typed.
        assert_eq!(pane.handle("user-add", db), Effect::Done);
        type_text(&mut pane, db, "Nasrin");
        next(&mut pane, db);
        type_text(&mut pane, db, "Nasrin Karimi");
        let Effect::Error(message) = save(&mut pane, db) else {
            panic!("an upper-case login should be refused");
        };
        assert!(
            message.contains("must start with a lowercase letter"),
            "{message}"
        );
        let form = pane.active_form().expect("still open");
        assert_eq!(form.text_of(NAME), "Nasrin Karimi");
        // The login put right, as a manager, in the unit.
        form.focus_on(LOGIN);
        for _ in 0..6 {
            key(&mut pane, db, None, KeyCode::Backspace);
        }
        type_text(&mut pane, db, "nasrin");
        next(&mut pane, db);
        next(&mut pane, db);
        key(&mut pane, db, None, KeyCode::Char('m'));
        next(&mut pane, db);
        key(&mut pane, db, None, KeyCode::Char('t'));
        assert_eq!(
            save(&mut pane, db),
            Effect::Message("Added nasrin (Nasrin Karimi) as manager, in Tehran sales.".into())
        );
        assert!(pane.active_form().is_none());
        let nasrin = by_login(db, "nasrin");
        assert_eq!(
            (nasrin.role(), nasrin.org_unit_id, nasrin.active),
            (Role::Manager, Some(unit), true)
        );
        assert_eq!(pane.list.selected().map(|u| u.id), Some(nasrin.id));

        // Her role, then her unit.
        assert_eq!(pane.handle("user-role", db), Effect::Done);
        key(&mut pane, db, None, KeyCode::Right);
        assert_eq!(
            save(&mut pane, db),
            Effect::Message("nasrin (Nasrin Karimi) is now admin.".into())
        );
        assert_eq!(pane.handle("user-unit", db), Effect::Done);
        key(&mut pane, db, None, KeyCode::Left);
        assert_eq!(
            save(&mut pane, db),
            Effect::Message("nasrin (Nasrin Karimi) is now in no organisational unit.".into())
        );
        assert_eq!(by_login(db, "nasrin").org_unit_id, None);

        // Disabled, shown as not active, and enabled again.
        assert!(
            matches!(pane.handle("user-toggle", db), Effect::Message(m) if m.starts_with("Disabled nasrin"))
        );
        assert!(!by_login(db, "nasrin").active);
        let text = draw_pane(&mut pane, 100, 10).join("\n");
        let row = text
            .lines()
            .find(|l| l.contains("nasrin"))
            .unwrap_or_default();
        assert!(
            row.trim_end_matches('│').trim_end().ends_with("no"),
            "{text}"
        );
        assert!(
            matches!(pane.handle("user-toggle", db), Effect::Message(m) if m.starts_with("Enabled nasrin"))
        );
        assert!(by_login(db, "nasrin").active);
    }

    #[test]
    fn the_last_admin_keeps_the_role_and_the_form_says_why() {
        let (mut store, _) = ready();
        let actor = store.actor.clone();
        let mut pane = shown(&mut store, actor);
        let db = &mut store.db;
        selects(&mut pane, db, "tester");
        pane.handle("user-role", db);
        key(&mut pane, db, None, KeyCode::Left);
        let Effect::Error(message) = save(&mut pane, db) else {
            panic!("demoting the last admin should be refused");
        };
        assert!(message.contains("last active admin"), "{message}");
        assert!(pane.active_form().is_some(), "the form stays open");
        let text = draw_pane(&mut pane, 100, 16).join("\n");
        assert!(text.contains("last active admin"), "{text}");
        pane.open = None;
        let Effect::Error(message) = pane.handle("user-toggle", db) else {
            panic!("disabling the last admin should be refused");
        };
        assert!(message.contains("last active admin"), "{message}");
        let tester = by_login(db, "tester");
        assert_eq!((tester.role(), tester.active), (Role::Admin, true));
    }

    #[test]
    fn an_agent_sees_the_users_and_a_refused_key_says_why() {
        let (mut store, _) = ready();
        let sara = by_login(&mut store.db, "sara");
        let agent = Actor {
            id: sara.id,
            login: sara.login.clone(),
            role: Role::Agent,
        };
        let mut pane = shown(&mut store, agent);
        let db = &mut store.db;
        assert_eq!(pane.hints(), LIST_HINTS);
        let text = draw_pane(&mut pane, 100, 10).join("\n");
        assert!(text.contains("Users (2) · read-only"), "{text}");
        selects(&mut pane, db, "tester");
        for action in ["user-add", "user-role", "user-unit", "user-toggle"] {
            let effect = pane.handle(action, db);
            let Effect::Error(message) = effect else {
                panic!("{action} should be refused: {effect:?}");
            };
            assert!(
                message.contains("sara may not add or change users"),
                "{message}"
            );
            assert!(pane.active_form().is_none());
        }
        let tester = by_login(db, "tester");
        assert_eq!((tester.role(), tester.active), (Role::Admin, true));
    }

    #[test]
    fn the_users_at_80x24_and_120x40() {
        let (mut store, _) = ready();
        users::add(
            &mut store.db,
            &store.actor,
            "ali",
            "Ali Moradi",
            Role::Manager,
            None,
        )
        .expect("ali");
        for (width, height) in [(80, 24), (120, 40)] {
            let mut app = store.app(width, height, Theme::plain());
            testing::press(&mut app, &mut store.db, '9');
            let screen = testing::text(&testing::render(&mut app, width, height));
            insta::assert_snapshot!(format!("users_{width}x{height}"), screen);
        }
    }
}
