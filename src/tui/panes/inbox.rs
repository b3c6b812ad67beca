//! The inbox, an agent's home: the open planned actions assigned to the acting user, oldest due
//! first. A line at the top counts what is overdue, due today and upcoming; each row starts with
//! its group's marker: `!` and how long overdue, the time when due today, the date when later.

use chrono::{NaiveDateTime, TimeDelta};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Clock, Effect, Mode, Pane, PaneId, Record};
use crate::db::Db;
use crate::db::ids::{PlannedActionId, UserId};
use crate::error::Result;
use crate::store::followups::Subject;
use crate::store::inbox::{self, InboxCounts, InboxKey, InboxRow};
use crate::store::{Actor, planned, users};
use crate::t;
use crate::tui::action::Context;
use crate::tui::format;
use crate::tui::forms::followup::{FollowUpForm, Start};
use crate::tui::forms::user_candidates;
use crate::tui::text::clean;
use crate::tui::text::group_thousands;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{FieldKind, FieldValue, Form, FormEvent, Values};
use crate::tui::widgets::list::{Column, ListWindow, Source, View, Width};

/// One user's open planned actions.
pub struct InboxSource {
    user: UserId,
}

impl Source for InboxSource {
    type Row = InboxRow;
    type Key = InboxKey;

    fn page(&self, db: &mut Db, after: Option<&InboxKey>, limit: i64) -> Result<Vec<InboxRow>> {
        inbox::page(db, self.user, after, limit)
    }

    fn page_before(&self, db: &mut Db, before: &InboxKey, limit: i64) -> Result<Vec<InboxRow>> {
        inbox::page_before(db, self.user, before, limit)
    }

    fn last_page(&self, db: &mut Db, limit: i64) -> Result<Vec<InboxRow>> {
        inbox::last_page(db, self.user, limit)
    }

    fn count(&self, db: &mut Db) -> Result<i64> {
        inbox::count(db, self.user)
    }

    fn key(row: &InboxRow) -> InboxKey {
        inbox::key(row)
    }
}

/// Which group a planned action falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Overdue,
    Today,
    Upcoming,
}

/// The time the inbox was last shown at, and the day it falls in (UTC, until the calendar
/// setting is built).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Moment {
    now: NaiveDateTime,
    day_start: NaiveDateTime,
}

impl Moment {
    fn at(now: NaiveDateTime) -> Moment {
        Moment {
            now,
            // Today is the user's day: from local midnight, as UTC like the stored times.
            day_start: crate::domain::when::to_utc(
                crate::domain::when::to_local(now)
                    .date()
                    .and_time(chrono::NaiveTime::MIN),
            ),
        }
    }

    fn group(&self, due: NaiveDateTime) -> Group {
        if due < self.now {
            Group::Overdue
        } else if due < self.day_start + TimeDelta::days(1) {
            Group::Today
        } else {
            Group::Upcoming
        }
    }

    /// The row's marker: `! 2d` when overdue, `10:30` when due today, the date when later.
    fn marker(&self, due: NaiveDateTime) -> String {
        match self.group(due) {
            Group::Overdue => t!("inbox.overdue", by = format::overdue_by(self.now - due)),
            Group::Today => format::time(due),
            Group::Upcoming => format::date(crate::domain::when::to_local(due).date()),
        }
    }
}

/// What a planned action is about: its case or its complaint.
fn subject_of(row: &InboxRow) -> Option<Subject> {
    match (row.case_id, row.complaint_id) {
        (Some(case), _) => Some(Subject::Case(case)),
        (None, Some(complaint)) => Some(Subject::Complaint(complaint)),
        (None, None) => None,
    }
}

/// A form the inbox has open.
enum InboxForm {
    /// Done: the follow-up that carried the action out.
    Done(Box<FollowUpForm>),
    Reschedule {
        form: Form,
        id: PlannedActionId,
        version: i64,
    },
    Reassign {
        form: Form,
        id: PlannedActionId,
        version: i64,
    },
    /// Whose inbox to look at (a manager).
    Expert(Form),
}

/// The status-bar hints of the inbox.
const HINTS: &[&[&str]] = &[
    &["list-down", "list-up"],
    &["inbox-done"],
    &["inbox-reschedule"],
];

pub struct Inbox {
    actor: Actor,
    /// Whose inbox is shown, when it is not the acting user's.
    expert: Option<String>,
    form: Option<InboxForm>,
    list: ListWindow<InboxSource>,
    clock: Clock,
    moment: Moment,
    counts: InboxCounts,
}

impl Inbox {
    /// The inbox of the user with id `user`, reading the time from `clock`.
    pub fn new(actor: Actor, clock: Clock) -> Inbox {
        Inbox {
            list: ListWindow::new(InboxSource { user: actor.id }).lines_above(1),
            actor,
            expert: None,
            form: None,
            clock,
            moment: Moment::at(clock()),
            counts: InboxCounts::default(),
        }
    }

    /// The list and its counts afresh, then `effect`.
    fn refresh(&mut self, db: &mut Db, effect: Effect) -> Effect {
        self.moment = Moment::at((self.clock)());
        let user = self.list.source().user;
        match inbox::counts(db, user, self.moment.now, self.moment.day_start) {
            Ok(counts) => self.counts = counts,
            Err(e) => return Effect::Error(e.to_string()),
        }
        match self.list.reload_now(db) {
            Effect::Error(e) => Effect::Error(e),
            _ => effect,
        }
    }

    fn choose_expert(&mut self) -> Effect {
        let form = Form::new(t!("inbox.form.expert")).field(
            "expert",
            t!("inbox.label.expert"),
            FieldKind::Lookup,
            true,
        );
        self.form = Some(InboxForm::Expert(form));
        Effect::Done
    }

    /// The people the acting user may give work to or look at: their team.
    fn people(&self, db: &mut Db, query: &str) -> Result<Vec<(UserId, String)>> {
        Ok(user_candidates(users::team_of(db, &self.actor)?, query))
    }

    fn save(&mut self, db: &mut Db, values: &[(&'static str, FieldValue)]) -> Effect {
        let Some(open) = self.form.take() else {
            return Effect::Done;
        };
        let values = Values(values);
        let when = values.date_time("due-at");
        let who = values
            .lookup::<UserId>("assignee")
            .or(values.lookup("expert"));
        let result = match &open {
            InboxForm::Reschedule { id, version, .. } => {
                planned::reschedule(db, &self.actor, *id, *version, when.unwrap_or_default())
                    .map(|a| t!("inbox.rescheduled", due = format::date_time(a.due_at)))
            }
            InboxForm::Reassign { id, version, .. } => {
                let assignee = who.unwrap_or_default();
                planned::reassign(db, &self.actor, *id, *version, assignee).and_then(|_| {
                    let name = users::get(db, assignee)?.display_name;
                    Ok(t!("inbox.reassigned", name = clean(&name)))
                })
            }
            InboxForm::Expert(_) => {
                let id = who.unwrap_or(self.actor.id);
                users::get(db, id).map(|user| {
                    self.expert = (id != self.actor.id).then(|| user.display_name.clone());
                    self.list.source_mut().user = id;
                    t!("inbox.showing", name = clean(&user.display_name))
                })
            }
            InboxForm::Done(_) => Ok(String::new()),
        };
        match result {
            Ok(message) => {
                if matches!(open, InboxForm::Expert(_)) {
                    let _ = self.list.reset(db);
                }
                self.refresh(db, Effect::Message(message))
            }
            Err(e) => {
                self.form = Some(open);
                Effect::Error(e.to_string())
            }
        }
    }

    fn columns(&self) -> Vec<Column<'_, InboxRow>> {
        let moment = self.moment;
        vec![
            Column::new(
                t!("inbox.col.when"),
                Width::Fixed(10),
                move |r: &InboxRow| moment.marker(r.due_at),
            ),
            Column::new(t!("inbox.col.subject"), Width::Fixed(12), |r: &InboxRow| {
                r.subject.clone()
            }),
            Column::new(
                t!("inbox.col.description"),
                Width::share(3, 12),
                |r: &InboxRow| r.description.clone(),
            ),
            Column::new(
                t!("inbox.col.customer"),
                Width::Share {
                    weight: 2,
                    min: 10,
                    max: 30,
                },
                |r: &InboxRow| r.customer.clone(),
            )
            .drops(2),
            Column::new(
                t!("inbox.col.kind"),
                Width::Share {
                    weight: 1,
                    min: 6,
                    max: 14,
                },
                |r: &InboxRow| r.kind.clone(),
            )
            .drops(1),
            Column::new(
                t!("inbox.col.minutes"),
                Width::Fixed(format::minutes_cells()),
                |r: &InboxRow| format::minutes(r.estimated_minutes),
            )
            .right(),
        ]
    }
}

impl Pane for Inbox {
    fn id(&self) -> PaneId {
        PaneId::Inbox
    }

    /// `Inbox (3 overdue)` while anything is overdue, so the tab bar shows it from any pane.
    fn badge(&self) -> Option<String> {
        (self.counts.overdue > 0).then(|| {
            t!(
                "inbox.badge",
                overdue = group_thousands(self.counts.overdue)
            )
        })
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Pane(PaneId::Inbox), Context::List]
    }

    fn hints(&self) -> &'static [&'static [&'static str]] {
        HINTS
    }

    fn show(&mut self, area: Rect, db: &mut Db) -> Effect {
        self.moment = Moment::at((self.clock)());
        let user = self.list.source().user;
        match inbox::counts(db, user, self.moment.now, self.moment.day_start) {
            Ok(counts) => self.counts = counts,
            Err(e) => return Effect::Error(e.to_string()),
        }
        self.list.show(area, db)
    }

    fn handle(&mut self, action: &str, db: &mut Db) -> Effect {
        let selected = self.list.selected().cloned();
        let needs_row = matches!(
            action,
            "open" | "inbox-done" | "inbox-reschedule" | "inbox-reassign"
        );
        let Some(row) = selected.filter(|_| needs_row) else {
            return match action {
                "inbox-expert" => self.choose_expert(),
                _ if needs_row => Effect::Message(t!("inbox.none-selected")),
                _ => self.list.handle(action, db),
            };
        };
        match action {
            "open" => match (row.case_id, row.complaint_id) {
                (Some(case), _) => Effect::Open(Record::Case(case)),
                (None, Some(complaint)) => Effect::Open(Record::Complaint(complaint)),
                (None, None) => Effect::Message(t!("inbox.not-a-case")),
            },
            "inbox-done" => match subject_of(&row) {
                Some(subject) => {
                    let start = Start::Completes {
                        action: (row.id, row.version),
                        subject,
                    };
                    match FollowUpForm::open(db, &self.actor, start, (self.clock)()) {
                        Ok(mut form) => {
                            form.form().set_value("description", &row.description);
                            self.form = Some(InboxForm::Done(Box::new(form)));
                            Effect::Done
                        }
                        Err(e) => Effect::Error(e.to_string()),
                    }
                }
                None => Effect::Message(t!("inbox.not-a-case")),
            },
            "inbox-reschedule" => {
                let mut form = Form::new(t!(
                    "inbox.form.reschedule",
                    what = clean(&row.description)
                ))
                .field("due-at", t!("inbox.label.due"), FieldKind::DateTime, true);
                form.set_value("due-at", &format::date_time(row.due_at));
                self.form = Some(InboxForm::Reschedule {
                    form,
                    id: row.id,
                    version: row.version,
                });
                Effect::Done
            }
            _ => {
                let form = Form::new(t!("inbox.form.reassign", what = clean(&row.description)))
                    .field(
                        "assignee",
                        t!("inbox.label.assignee"),
                        FieldKind::Lookup,
                        true,
                    );
                self.form = Some(InboxForm::Reassign {
                    form,
                    id: row.id,
                    version: row.version,
                });
                Effect::Done
            }
        }
    }

    fn mode(&self) -> Mode {
        if self.form.is_some() {
            Mode::Form
        } else {
            Mode::Normal
        }
    }

    /// The open form, if any.
    fn active_form(&mut self) -> Option<&mut Form> {
        match self.form.as_mut()? {
            InboxForm::Done(followup) => Some(followup.form()),
            InboxForm::Reschedule { form, .. }
            | InboxForm::Reassign { form, .. }
            | InboxForm::Expert(form) => Some(form),
        }
    }

    /// What the open form asked for: save, cancel, or candidates for a lookup.
    fn form_event(&mut self, event: FormEvent, db: &mut Db) -> Effect {
        let now = (self.clock)();
        if let Some(InboxForm::Done(followup)) = self.form.as_mut() {
            let (done, effect) = super::followup_outcome(followup.event(event, db, now));
            if done {
                self.form = None;
                return self.refresh(db, effect);
            }
            return effect;
        }
        match event {
            FormEvent::None | FormEvent::Chosen { .. } => Effect::Done,
            FormEvent::Cancel => {
                self.form = None;
                Effect::Done
            }
            FormEvent::Search { field, query } => {
                let found = self.people(db, &query);
                super::offer(self.active_form(), field, found)
            }
            FormEvent::Save(values) => self.save(db, &values),
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let summary = t!(
            "inbox.summary",
            overdue = group_thousands(self.counts.overdue),
            today = group_thousands(self.counts.today),
            upcoming = group_thousands(self.counts.upcoming),
        );
        let count = group_thousands(self.list.total());
        let view = View {
            title: match &self.expert {
                Some(name) => t!("inbox.frame-of", name = clean(name), count = count),
                None => t!("inbox.frame", count = count),
            },
            above: vec![Line::styled(format!(" {summary}"), theme.header())],
            columns: self.columns(),
            empty: t!("inbox.empty"),
        };
        self.list.render(frame, area, view, theme);
        if let Some(form) = self.active_form() {
            form.render_over(frame, area);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::testing::{self, Store, draw_pane, fixed_now};

    fn inbox_on(store: &mut Store, width: u16, height: u16) -> Inbox {
        let mut pane = Inbox::new(store.actor.clone(), fixed_now);
        assert_eq!(
            pane.show(Rect::new(0, 0, width, height - 2), &mut store.db),
            Effect::Done
        );
        pane
    }

    #[test]
    fn rows_are_grouped_by_when_they_fall_due() {
        let now = fixed_now();
        let moment = Moment::at(now);
        let at = |minutes: i64| now + TimeDelta::minutes(minutes);
        assert_eq!(moment.group(at(-1)), Group::Overdue);
        assert_eq!(moment.marker(at(-(2 * 24 + 3) * 60)), "! 2d");
        assert_eq!(moment.marker(at(-3 * 60 - 10)), "! 3h");
        assert_eq!(moment.marker(at(-5)), "! 5m");
        assert_eq!(moment.group(at(0)), Group::Today, "due now is not late yet");
        assert_eq!(moment.marker(at(60)), "10:30");
        // The fixed now is 09:30, so the day ends 14h30m later.
        assert_eq!(moment.group(at(14 * 60 + 29)), Group::Today);
        assert_eq!(moment.group(at(14 * 60 + 30)), Group::Upcoming);
        assert_eq!(moment.marker(at(3 * 24 * 60)), "2026-11-13");
    }

    #[test]
    fn the_title_counts_what_is_overdue_and_the_list_starts_with_the_oldest() {
        let mut store = testing::store();
        let data = store.add_work();
        let mut pane = inbox_on(&mut store, 80, 24);
        assert_eq!(pane.badge(), Some(format!("({}!)", data.overdue)));
        assert_eq!(pane.counts.overdue, data.overdue);
        assert_eq!(
            pane.counts.overdue + pane.counts.today + pane.counts.upcoming,
            pane.list.total()
        );
        let first = pane.list.selected().cloned().expect("a row");
        assert!(first.due_at < fixed_now());
        // Only the acting user's open actions: another expert's and the done ones are left out.
        pane.handle("list-bottom", &mut store.db);
        let last = pane.list.selected().cloned().expect("a row");
        assert!(last.due_at > first.due_at);
        assert_eq!(pane.list.total(), data.open_for_actor);
        assert_eq!(pane.handle("list-top", &mut store.db), Effect::Done);
        assert_eq!(pane.list.selected(), Some(&first));
        assert_eq!(pane.handle("list-down", &mut store.db), Effect::Done);
        assert_ne!(pane.list.selected(), Some(&first));
        // Done opens the follow-up form, filled with what was planned.
        assert_eq!(pane.handle("inbox-done", &mut store.db), Effect::Done);
        assert!(pane.active_form().is_some());
    }

    #[test]
    fn done_on_a_complaint_s_action_logs_the_follow_up_on_the_complaint() {
        use crate::store::followups::{self, FollowUpFilter};
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let mut store = testing::store();
        store.add_work();
        let mut pane = inbox_on(&mut store, 120, 40);
        let db = &mut store.db;
        while pane
            .list
            .selected()
            .is_some_and(|r| r.complaint_id.is_none())
        {
            assert_eq!(pane.handle("list-down", db), Effect::Done);
        }
        let row = pane.list.selected().cloned().expect("a complaint's action");
        assert_eq!(row.subject, "C-1405-00107");
        assert_eq!(row.customer, "Azar Steel");
        let before = followups::count(db, &FollowUpFilter::default()).expect("count");
        assert_eq!(pane.handle("inbox-done", db), Effect::Done);
        let screen = draw_pane(&mut pane, 120, 40).join("\n");
        assert!(
            screen.contains("Done on C-1405-00107 · Azar Steel"),
            "{screen}"
        );
        assert!(!screen.contains("Status after"), "{screen}");
        // What was planned is what was said: saving as it is carries it out.
        let save = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        let effect = pane.key(Some("form-save"), save, fixed_now(), db);
        assert_eq!(effect, Effect::Message("Logged on C-1405-00107.".into()));
        assert_eq!(pane.mode(), Mode::Normal);
        assert_eq!(
            followups::count(db, &FollowUpFilter::default()).expect("count"),
            before + 1
        );
        let action = planned::get(db, row.id).expect("the action");
        assert_eq!(action.status(), planned::ActionStatus::Done);
        assert!(action.done_by_followup_id.is_some());
    }

    #[test]
    fn an_empty_inbox_says_what_would_be_here() {
        let mut store = testing::store();
        let mut pane = inbox_on(&mut store, 80, 24);
        assert_eq!(pane.badge(), None);
        let screen = draw_pane(&mut pane, 80, 22).join("\n");
        assert!(
            screen.contains("Overdue 0 · Today 0 · Upcoming 0"),
            "{screen}"
        );
        assert!(screen.contains("peygir demo"), "{screen}");
    }

    #[test]
    fn the_inbox_at_80x24_and_120x40() {
        let mut store = testing::store();
        store.add_work();
        for (width, height) in [(80, 24), (120, 40)] {
            let mut app = store.app(width, height, Theme::plain());
            let screen = testing::text(&testing::render(&mut app, width, height));
            insta::assert_snapshot!(format!("inbox_{width}x{height}"), screen);
        }
    }
}
