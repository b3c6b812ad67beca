//! The screen where an admin edits the case statuses and the moves allowed between them: one line
//! per status with its outcome, whether new cases start in it, and the statuses it may move to.
//! The Cases pane hosts it; the store refuses a user who is not an admin, and the screen shows
//! why.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::db::Db;
use crate::db::ids::CaseStatusId;
use crate::error::Result;
use crate::store::Actor;
use crate::store::statuses::{self, CaseStatus, NewStatus, Outcome};
use crate::t;
use crate::tui::panes::Effect;
use crate::tui::text::{cells, clean, fit};
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Choice, FieldKind, FieldValue, Form, FormEvent};

/// The widest a name column gets; longer names are cut.
const NAME_WIDTH: usize = 24;

/// What the open form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Add,
    Rename { id: CaseStatusId, version: i64 },
    Allow { from: CaseStatusId },
    Forbid { from: CaseStatusId },
}

/// The case statuses and the moves allowed between them, with the form being filled, if any.
pub struct StatusScreen {
    actor: Actor,
    statuses: Vec<CaseStatus>,
    transitions: Vec<(CaseStatusId, CaseStatusId)>,
    selected: usize,
    form: Option<(Purpose, Form)>,
}

/// The outcome in the user's language.
fn outcome_word(outcome: Outcome) -> String {
    match outcome {
        Outcome::Open => t!("status.outcome.open"),
        Outcome::Won => t!("status.outcome.won"),
        Outcome::Lost => t!("status.outcome.lost"),
        Outcome::Cancelled => t!("status.outcome.cancelled"),
    }
}

fn choice(value: impl Into<String>, label: impl Into<String>) -> Choice {
    Choice {
        value: value.into(),
        label: label.into(),
    }
}

/// The text of a field the form checked; empty when it is not there.
fn text_value(values: &[(&'static str, FieldValue)], key: &str) -> String {
    values
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| match v {
            FieldValue::Text(s) | FieldValue::Choice(s) => s.clone(),
            FieldValue::Whole(n) | FieldValue::Lookup(n) => n.to_string(),
            _ => String::new(),
        })
        .unwrap_or_default()
}

impl StatusScreen {
    pub fn open(db: &mut Db, actor: &Actor) -> Result<StatusScreen> {
        let mut screen = StatusScreen {
            actor: actor.clone(),
            statuses: Vec::new(),
            transitions: Vec::new(),
            selected: 0,
            form: None,
        };
        screen.reload(db)?;
        Ok(screen)
    }

    /// Reads the statuses and transitions again, keeping the selection on the same status.
    fn reload(&mut self, db: &mut Db) -> Result<()> {
        let keep = self.statuses.get(self.selected).map(|s| s.id);
        self.statuses = statuses::all(db)?;
        self.transitions = statuses::transitions(db)?;
        self.selected = keep
            .and_then(|id| self.statuses.iter().position(|s| s.id == id))
            .unwrap_or(0)
            .min(self.statuses.len().saturating_sub(1));
        Ok(())
    }

    fn select_id(&mut self, id: CaseStatusId) {
        if let Some(i) = self.statuses.iter().position(|s| s.id == id) {
            self.selected = i;
        }
    }

    fn name_of(&self, id: CaseStatusId) -> String {
        self.statuses
            .iter()
            .find(|s| s.id == id)
            .map(|s| clean(&s.name))
            .unwrap_or_else(|| id.to_string())
    }

    /// The statuses `from` may move to, in list order.
    fn targets(&self, from: CaseStatusId) -> Vec<&CaseStatus> {
        self.statuses
            .iter()
            .filter(|s| self.transitions.contains(&(from, s.id)))
            .collect()
    }

    /// An action of the Cases pane's keymap while the screen is shown: "list-down"/"list-up"
    /// move the selection, "new" opens an add form (name, outcome choice, initial yes/no), "edit"
    /// a rename form for the selected status, "case-allow" a form choosing the status the
    /// selected one may move to, "case-forbid" likewise to forbid; "back" closes (returns
    /// `Effect::Ignored` so the host closes it).
    pub fn handle(&mut self, action: &str, _db: &mut Db) -> Effect {
        let selected = self.statuses.get(self.selected).cloned();
        match action {
            "list-down" => {
                if self.selected + 1 < self.statuses.len() {
                    self.selected += 1;
                }
                Effect::Done
            }
            "list-up" => {
                self.selected = self.selected.saturating_sub(1);
                Effect::Done
            }
            "new" => {
                let outcomes = [
                    Outcome::Open,
                    Outcome::Won,
                    Outcome::Lost,
                    Outcome::Cancelled,
                ]
                .into_iter()
                .map(|o| choice(o.as_str(), outcome_word(o)))
                .collect();
                let yes_no = vec![
                    choice("no", t!("statuses.no")),
                    choice("yes", t!("statuses.yes")),
                ];
                let form = Form::new(t!("statuses.form.add"))
                    .field("name", t!("statuses.label.name"), FieldKind::Text, true)
                    .field(
                        "outcome",
                        t!("statuses.label.outcome"),
                        FieldKind::Choice(outcomes),
                        true,
                    )
                    .field(
                        "initial",
                        t!("statuses.label.initial"),
                        FieldKind::Choice(yes_no),
                        true,
                    );
                self.form = Some((Purpose::Add, form));
                Effect::Done
            }
            "edit" => {
                let Some(status) = selected else {
                    return Effect::Ignored;
                };
                let mut form = Form::new(t!("statuses.form.rename", name = clean(&status.name)))
                    .field("name", t!("statuses.label.name"), FieldKind::Text, true);
                form.set_value("name", &status.name);
                self.form = Some((
                    Purpose::Rename {
                        id: status.id,
                        version: status.version,
                    },
                    form,
                ));
                Effect::Done
            }
            "case-allow" | "case-forbid" => {
                let Some(status) = selected else {
                    return Effect::Ignored;
                };
                let allow = action == "case-allow";
                let name = clean(&status.name);
                let choices: Vec<Choice> = self
                    .statuses
                    .iter()
                    .filter(|s| s.id != status.id)
                    .filter(|s| self.transitions.contains(&(status.id, s.id)) != allow)
                    .map(|s| choice(s.id.to_string(), clean(&s.name)))
                    .collect();
                if choices.is_empty() {
                    return Effect::Message(if allow {
                        t!("statuses.all-allowed", name = name)
                    } else {
                        t!("statuses.none-to-forbid", name = name)
                    });
                }
                let (title, purpose) = if allow {
                    (
                        t!("statuses.form.allow", name = name),
                        Purpose::Allow { from: status.id },
                    )
                } else {
                    (
                        t!("statuses.form.forbid", name = name),
                        Purpose::Forbid { from: status.id },
                    )
                };
                let form = Form::new(title).field(
                    "to",
                    t!("statuses.label.to"),
                    FieldKind::Choice(choices),
                    true,
                );
                self.form = Some((purpose, form));
                Effect::Done
            }
            _ => Effect::Ignored,
        }
    }

    /// Whether a form is open.
    pub fn has_form(&self) -> bool {
        self.form.is_some()
    }

    /// The open form, if any.
    pub fn form(&mut self) -> Option<&mut Form> {
        self.form.as_mut().map(|(_, form)| form)
    }

    /// What the open form asked for: a save stores the change and reads the list again; an
    /// error keeps the form open.
    pub fn form_event(&mut self, event: FormEvent, db: &mut Db) -> Effect {
        match event {
            FormEvent::Cancel => {
                self.form = None;
                Effect::Done
            }
            FormEvent::Save(values) => {
                let Some((purpose, _)) = self.form.as_ref() else {
                    return Effect::Ignored;
                };
                match self.save(*purpose, &values, db) {
                    Ok(message) => {
                        self.form = None;
                        Effect::Message(message)
                    }
                    Err(e) => Effect::Error(e.to_string()),
                }
            }
            FormEvent::None | FormEvent::Search { .. } | FormEvent::Chosen { .. } => Effect::Done,
        }
    }

    fn save(
        &mut self,
        purpose: Purpose,
        values: &[(&'static str, FieldValue)],
        db: &mut Db,
    ) -> Result<String> {
        let actor = self.actor.clone();
        let message = match purpose {
            Purpose::Add => {
                let new = NewStatus {
                    name: text_value(values, "name"),
                    code: None,
                    outcome: Outcome::parse(&text_value(values, "outcome"))
                        .unwrap_or(Outcome::Open),
                    initial: text_value(values, "initial") == "yes",
                };
                let status = statuses::add(db, &actor, new)?;
                self.reload(db)?;
                self.select_id(status.id);
                t!("statuses.added", name = clean(&status.name))
            }
            Purpose::Rename { id, version } => {
                let status =
                    statuses::rename(db, &actor, id, version, &text_value(values, "name"))?;
                self.reload(db)?;
                t!("statuses.renamed", name = clean(&status.name))
            }
            Purpose::Allow { from } | Purpose::Forbid { from } => {
                let to: CaseStatusId = text_value(values, "to").parse().unwrap_or_default();
                let (from_name, to_name) = (self.name_of(from), self.name_of(to));
                let message = if matches!(purpose, Purpose::Allow { .. }) {
                    if statuses::allow(db, &actor, from, to)? {
                        t!("statuses.allowed", from = from_name, to = to_name)
                    } else {
                        t!("statuses.already-allowed", from = from_name, to = to_name)
                    }
                } else if statuses::forbid(db, &actor, from, to)? {
                    t!("statuses.forbidden", from = from_name, to = to_name)
                } else {
                    t!("statuses.not-allowed", from = from_name, to = to_name)
                };
                self.reload(db)?;
                message
            }
        };
        Ok(message)
    }

    /// The outcome and marks of a status (`open (initial)`).
    fn marks(status: &CaseStatus) -> String {
        let mut text = outcome_word(status.outcome());
        if status.is_initial {
            text.push_str(&format!(" ({})", t!("status.mark.initial")));
        }
        if !status.active {
            text.push_str(&format!(" ({})", t!("status.mark.inactive")));
        }
        text
    }

    /// One line of the list, fit to `width` cells: the name and marks padded to their columns.
    fn line(&self, i: usize, status: &CaseStatus, widths: (usize, usize), width: usize) -> String {
        let (name_width, marks_width) = widths;
        let marker = if i == self.selected { "> " } else { "  " };
        let name = fit(&clean(&status.name), name_width);
        let name_pad = " ".repeat(name_width.saturating_sub(cells(&name)));
        let marks = Self::marks(status);
        let marks_pad = " ".repeat(marks_width.saturating_sub(cells(&marks)));
        let targets: Vec<String> = self
            .targets(status.id)
            .into_iter()
            .map(|s| clean(&s.name))
            .collect();
        let targets = if targets.is_empty() {
            t!("statuses.no-moves")
        } else {
            targets.join(", ")
        };
        fit(
            &format!("{marker}{name}{name_pad}  {marks}{marks_pad}  -> {targets}"),
            width,
        )
    }

    /// Draws the list; the open form is drawn over it by the host.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let block = Block::bordered().title(Line::styled(
            format!(" {} ", t!("statuses.title")),
            theme.pane_title(),
        ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.width == 0 || inner.height == 0 {
            return;
        }
        if self.statuses.is_empty() {
            frame.render_widget(
                Paragraph::new(t!("statuses.empty")).style(theme.note()),
                inner,
            );
            return;
        }
        let width = usize::from(inner.width);
        let name_width = self
            .statuses
            .iter()
            .map(|s| cells(&clean(&s.name)))
            .max()
            .unwrap_or(0)
            .min(NAME_WIDTH);
        let marks_width = self
            .statuses
            .iter()
            .map(|s| cells(&Self::marks(s)))
            .max()
            .unwrap_or(0);
        let height = usize::from(inner.height);
        let top = (self.selected + 1).saturating_sub(height);
        let lines: Vec<Line> = self
            .statuses
            .iter()
            .enumerate()
            .skip(top)
            .take(height)
            .map(|(i, status)| {
                let text = self.line(i, status, (name_width, marks_width), width);
                if i == self.selected {
                    Line::styled(text, theme.selected())
                } else {
                    Line::raw(text)
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::store::users;
    use crate::store::{Role, lookups};
    use crate::tui::testing::{self, fixed_now, lines};

    fn draw(screen: &StatusScreen) -> Vec<String> {
        let mut terminal = Terminal::new(TestBackend::new(150, 16)).expect("test terminal");
        terminal
            .draw(|frame| screen.render(frame, frame.area(), &Theme::plain()))
            .expect("drawn");
        lines(terminal.backend().buffer())
    }

    /// Saves the open form as the user would (every field checked by the form).
    fn save(screen: &mut StatusScreen, db: &mut Db) -> Effect {
        let form = screen.form().expect("a form is open");
        let event = form.handle(
            Some("form-save"),
            KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
            fixed_now(),
        );
        assert!(matches!(event, FormEvent::Save(_)), "{event:?}");
        screen.form_event(event, db)
    }

    fn select(screen: &mut StatusScreen, name: &str) {
        let i = screen
            .statuses
            .iter()
            .position(|s| s.name == name)
            .expect("the status is listed");
        screen.selected = i;
    }

    fn row<'a>(text: &'a [String], name: &str) -> &'a str {
        text.iter()
            .find(|l| l.contains(&format!(" {name} ")))
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no line for {name}: {text:#?}"))
    }

    #[test]
    fn an_admin_adds_a_status_allows_and_forbids_a_move_and_renames_it() {
        let mut store = testing::store();
        let db = &mut store.db;
        lookups::ensure_defaults(db).expect("default statuses");
        let mut screen = StatusScreen::open(db, &store.actor).expect("opened");
        let text = draw(&screen);
        assert!(text[0].contains("Case statuses"), "{text:#?}");
        assert!(row(&text, "New").starts_with("│> New"), "{text:#?}");
        assert!(row(&text, "New").contains("(initial)"));
        assert!(row(&text, "Won").contains("won"));

        assert_eq!(screen.handle("new", db), Effect::Done);
        screen
            .form()
            .expect("add form")
            .set_value("name", "On hold");
        let effect = save(&mut screen, db);
        assert!(matches!(effect, Effect::Message(_)), "{effect:?}");
        assert!(screen.form.is_none());
        let on_hold = screen
            .statuses
            .iter()
            .find(|s| s.name == "On hold")
            .cloned()
            .expect("added");
        assert_eq!(on_hold.outcome(), Outcome::Open);
        assert!(!on_hold.is_initial);
        assert!(row(&draw(&screen), "On hold").starts_with("│> On hold"));

        select(&mut screen, "New");
        assert_eq!(screen.handle("case-allow", db), Effect::Done);
        screen
            .form()
            .expect("allow form")
            .set_value("to", &on_hold.id.to_string());
        let effect = save(&mut screen, db);
        assert!(matches!(effect, Effect::Message(_)), "{effect:?}");
        let new_id = screen.statuses[screen.selected].id;
        assert!(screen.transitions.contains(&(new_id, on_hold.id)));
        let text = draw(&screen);
        let new_row = row(&text, "New");
        assert!(new_row.contains("->"), "{text:#?}");
        assert!(new_row.contains("On hold"), "{text:#?}");

        assert_eq!(screen.handle("case-forbid", db), Effect::Done);
        screen
            .form()
            .expect("forbid form")
            .set_value("to", &on_hold.id.to_string());
        let effect = save(&mut screen, db);
        assert!(matches!(effect, Effect::Message(_)), "{effect:?}");
        assert!(!screen.transitions.contains(&(new_id, on_hold.id)));
        assert!(!row(&draw(&screen), "New").contains("On hold"));

        select(&mut screen, "On hold");
        assert_eq!(screen.handle("edit", db), Effect::Done);
        let form = screen.form().expect("rename form");
        assert_eq!(form.text_of("name"), "On hold");
        form.set_value("name", "Paused");
        let effect = save(&mut screen, db);
        assert!(matches!(effect, Effect::Message(_)), "{effect:?}");
        assert!(screen.statuses.iter().any(|s| s.name == "Paused"));
        assert!(row(&draw(&screen), "Paused").starts_with("│> Paused"));

        screen.handle("list-up", db);
        assert_ne!(screen.statuses[screen.selected].name, "Paused");
        assert_eq!(screen.handle("back", db), Effect::Ignored);
    }

    #[test]
    fn someone_who_is_not_an_admin_is_refused_and_nothing_changes() {
        let mut store = testing::store();
        let db = &mut store.db;
        lookups::ensure_defaults(db).expect("default statuses");
        let id = users::insert_user(db, "sara", "Sara", Role::Agent, None).expect("a user");
        let sara = Actor {
            id,
            login: "sara".into(),
            role: Role::Agent,
        };
        let mut screen = StatusScreen::open(db, &sara).expect("opened");
        let before = (screen.statuses.clone(), screen.transitions.clone());

        screen.handle("new", db);
        screen
            .form()
            .expect("add form")
            .set_value("name", "On hold");
        let effect = save(&mut screen, db);
        assert!(
            matches!(&effect, Effect::Error(e) if !e.is_empty()),
            "{effect:?}"
        );
        assert!(screen.form().is_some(), "the form stays open");
        screen.form_event(FormEvent::Cancel, db);

        select(&mut screen, "Won");
        screen.handle("case-allow", db);
        let effect = save(&mut screen, db);
        assert!(matches!(effect, Effect::Error(_)), "{effect:?}");
        screen.form_event(FormEvent::Cancel, db);

        screen.handle("edit", db);
        screen
            .form()
            .expect("rename form")
            .set_value("name", "Done");
        assert!(matches!(save(&mut screen, db), Effect::Error(_)));

        assert_eq!(
            (
                statuses::all(db).expect("statuses"),
                statuses::transitions(db).expect("transitions")
            ),
            before
        );
    }
}
