//! A case on a page of its own: its fields, its planned actions and its follow-ups, and over
//! them, on `history`, the case's audit trail.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::db::Db;
use crate::db::ids::CaseId;
use crate::error::Result;
use crate::store::cases::{self, Case};
use crate::store::followups::{self, FollowUpRow, Subject};
use crate::store::planned::{self, PlannedRow};
use crate::store::{names, users};
use crate::t;
use crate::tui::format;
use crate::tui::forms::history::{self, History};
use crate::tui::panes::Effect;
use crate::tui::text::{clean, group_thousands};
use crate::tui::theme::Theme;

/// A case on a page of its own.
pub struct CasePage {
    pub case: Case,
    customer: String,
    expert: String,
    status: String,
    actions: Vec<PlannedRow>,
    followups: Vec<FollowUpRow>,
    pub scroll: u16,
    /// The case's history, while it is open over the page.
    history: Option<History>,
}

impl CasePage {
    pub fn load(db: &mut Db, id: CaseId) -> Result<CasePage> {
        let case = cases::get(db, id)?;
        let people = names::contacts(db, [case.company_id, case.contact_id].into_iter().flatten())?;
        let customer = names::customer(&people, case.company_id, case.contact_id);
        let expert = users::get(db, case.expert_id)?.display_name;
        let status = names::statuses(db)?
            .remove(&case.status_id)
            .map(|(name, _)| name)
            .unwrap_or_default();
        Ok(CasePage {
            actions: planned::of_subject(db, Subject::Case(id))?,
            followups: followups::of_subject(db, Subject::Case(id), 50)?,
            case,
            customer,
            expert,
            status,
            scroll: 0,
            history: None,
        })
    }

    fn lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let c = &self.case;
        let heading = |text: String| Line::from(Span::styled(text, theme.header()));
        let mut lines = vec![
            Line::from(format!(
                "{}: {}   {}: {}",
                t!("cases.col.customer"),
                clean(&self.customer),
                t!("cases.col.expert"),
                clean(&self.expert)
            )),
            Line::from(format!(
                "{}: {}   {}: {}   {}: {}",
                t!("cases.col.status"),
                clean(&self.status),
                t!("cases.col.importance"),
                format::importance(&c.importance),
                t!("cases.col.priority"),
                t!("cases.priority", n = c.priority)
            )),
        ];
        if let Some(amount) = c.expected_amount {
            lines.push(Line::from(format!(
                "{}: {}",
                t!("cases.col.expected"),
                group_thousands(amount)
            )));
        }
        if let Some(need) = &c.need {
            lines.push(Line::from(clean(need)));
        }
        lines.push(Line::default());
        lines.push(heading(t!("cases.page.actions")));
        if self.actions.is_empty() {
            lines.push(Line::from(format!("  {}", t!("contacts.detail.none"))));
        }
        for row in &self.actions {
            let a = &row.action;
            lines.push(Line::from(format!(
                "  {}  [{}]  {}  {}  {}",
                format::date_time(a.due_at),
                format::action_status(&a.status),
                clean(&row.kind),
                clean(&row.assignee),
                clean(&a.description)
            )));
        }
        lines.push(Line::default());
        lines.push(heading(t!("contacts.detail.followups")));
        if self.followups.is_empty() {
            lines.push(Line::from(format!("  {}", t!("contacts.detail.none"))));
        }
        for f in &self.followups {
            lines.push(Line::from(format!(
                "  {}  {}  {}  {}  {}",
                format::date_time(f.happened_at),
                clean(&f.kind),
                clean(&f.expert),
                format::minutes(f.minutes),
                clean(&f.description)
            )));
        }
        lines
    }

    /// What the page's history overlay makes of `action` (see [`history::key`]); `None` for an
    /// action the pane handles.
    pub fn history_key(&mut self, action: &str, db: &mut Db) -> Option<Effect> {
        history::key::<Case>(
            &mut self.history,
            action,
            db,
            self.case.id,
            &self.case.number,
        )
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let title = format!(
            " {}  {} ",
            clean(&self.case.number),
            clean(&self.case.title)
        );
        let block = Block::bordered().title(Line::styled(title, theme.pane_title()));
        frame.render_widget(
            Paragraph::new(self.lines(theme))
                .block(block)
                .wrap(Wrap { trim: false })
                .scroll((self.scroll, 0)),
            area,
        );
        if let Some(history) = &self.history {
            history.render(frame, area, theme);
        }
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyModifiers};

    use crate::store::cases::{self, CaseFields};
    use crate::store::{Actor, Role, users};
    use crate::tui::testing::{self, person, press, press_key, render, text, type_text};
    use crate::tui::theme::Theme;

    /// A store with one case for Ali Kazemi, opened by the tester for Sara Rahimi, an agent and
    /// its expert.
    fn one_case() -> (testing::Store, cases::Case, Actor) {
        let mut store = testing::store();
        crate::store::ensure_defaults(&mut store.db).expect("the default statuses");
        let ali = store.add_contact(person("Ali", "Kazemi"));
        let id = users::insert_user(&mut store.db, "sara", "Sara Rahimi", Role::Agent, None)
            .expect("sara");
        let sara = Actor {
            id,
            login: "sara".into(),
            role: Role::Agent,
        };
        let fields = CaseFields {
            title: "Boilers for the new wing".into(),
            contact_id: Some(ali),
            expert_id: sara.id,
            ..CaseFields::default()
        };
        let case = cases::create(&mut store.db, &store.actor, fields).expect("a case");
        (store, case, sara)
    }

    /// Sara makes the case most urgent, at the version `case` has.
    fn sara_saves(store: &mut testing::Store, sara: &Actor, case: &cases::Case) -> cases::Case {
        let fields = CaseFields {
            priority: 1,
            ..case.fields()
        };
        cases::update(&mut store.db, sara, case.id, case.version, fields).expect("sara saves")
    }

    #[test]
    fn h_on_a_case_page_lists_its_history_newest_first_and_esc_closes_it() {
        let (mut store, case, sara) = one_case();
        sara_saves(&mut store, &sara, &case);
        let mut app = store.app(100, 14, Theme::plain());
        let db = &mut store.db;
        press(&mut app, db, '3');
        press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
        press(&mut app, db, 'H');
        let screen = text(&render(&mut app, 100, 14));
        assert!(
            screen.contains(&format!("History of Case {}", case.number)),
            "{screen}"
        );
        let changed = screen.find("Sara Rahimi  changed").expect(&screen);
        let created = screen.find("tester  created").expect(&screen);
        assert!(changed < created, "newest first:\n{screen}");
        assert!(screen.contains("Priority: 3 → 1"), "{screen}");
        // j scrolls the overlay, not the page under it, down to the last fields.
        for _ in 0..5 {
            press(&mut app, db, 'j');
        }
        let scrolled = text(&render(&mut app, 100, 14));
        assert!(!scrolled.contains("Sara Rahimi  changed"), "{scrolled}");
        assert!(
            scrolled.contains("Title: Boilers for the new wing"),
            "{scrolled}"
        );
        press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
        let screen = text(&render(&mut app, 100, 14));
        assert!(!screen.contains("History of"), "{screen}");
        assert!(
            screen.contains("Boilers for the new wing"),
            "the page stays:\n{screen}"
        );
    }

    #[test]
    fn a_case_saved_meanwhile_names_who_saved_it_and_the_form_keeps_the_text() {
        let (mut store, case, sara) = one_case();
        let mut app = store.app(120, 30, Theme::plain());
        let db = &mut store.db;
        press(&mut app, db, '3');
        press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
        press(&mut app, db, 'e');
        type_text(&mut app, db, " and the lobby");
        // Sara saves the case while the form is open.
        let fields = CaseFields {
            priority: 1,
            ..case.fields()
        };
        cases::update(db, &sara, case.id, case.version, fields).expect("sara saves");
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 120, 30));
        assert!(
            screen.contains("Sara Rahimi saved this at"),
            "who saved it:\n{screen}"
        );
        assert!(screen.contains("what you typed is kept"), "{screen}");
        assert!(
            screen.contains("Boilers for the new wing and the lobby"),
            "the form stays open with what was typed:\n{screen}"
        );
        let stored = cases::get(db, case.id).expect("the case");
        assert_eq!(
            stored.title, "Boilers for the new wing",
            "nothing of it saved"
        );
        assert_eq!(stored.priority, 1, "Sara's change stands");
    }
}
