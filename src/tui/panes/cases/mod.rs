//! The Cases pane: the sales cases, most urgent first (priority, then the earliest open planned
//! action). A search box narrows the list as the user types; a case's page shows its fields,
//! planned actions and follow-ups; a follow-up (with the status after it and the next action) and
//! a new case are entered in forms. A filter form narrows the list; the frame's title says what
//! the filter lets through, and `back` drops the filter and the search. The case statuses and
//! the moves allowed between them are managed on a screen of their own inside the pane.
//!
//! `list` holds the list's source and columns, `page` a case's page, `filter` the filter form,
//! `form` the case form, `statuses` the statuses screen.

mod filter;
mod form;
mod list;
mod page;
mod statuses;
#[cfg(test)]
mod tests;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Clock, Effect, Mode, PageKey, Pane, PaneId, Record};
use crate::db::Db;
use crate::db::ids::CaseId;
use crate::error::Error;
use crate::store::cases::CaseFilter;
use crate::store::contacts::{self, ContactFilter};
use crate::store::{Actor, users};
use crate::t;
use crate::tui::action::Context;
use crate::tui::forms::followup::{FollowUpForm, Start};
use crate::tui::forms::user_candidates;
use crate::tui::text::{clean, group_thousands};
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Form, FormEvent};
use crate::tui::widgets::list::{ListWindow, View};
use crate::tui::widgets::search::{SearchBox, SearchEvent};

use filter::narrows;
use list::{CaseSource, columns};
use page::CasePage;
use statuses::StatusScreen;

/// A form the pane has open.
enum CaseForm {
    FollowUp(Box<FollowUpForm>),
    /// A new case, or (with its id and version) a case being edited.
    New(Form, Option<(CaseId, i64)>),
    /// What the list lets through.
    Filter(Form),
}

/// The status-bar hints of the case list.
const HINTS: &[&[&str]] = &[
    &["list-down", "list-up"],
    &["followup-add"],
    &["new"],
    &["search"],
];

pub struct Cases {
    actor: Actor,
    clock: Clock,
    list: ListWindow<CaseSource>,
    search: SearchBox,
    page: Option<CasePage>,
    form: Option<CaseForm>,
    /// The case statuses and the moves allowed between them (admins edit them here).
    statuses: Option<StatusScreen>,
    /// The filter in words, for the title; empty when there is none.
    filter_text: String,
}

impl Cases {
    pub fn new(actor: Actor, clock: Clock) -> Cases {
        Cases {
            actor,
            clock,
            list: ListWindow::new(CaseSource::default()),
            search: SearchBox::new(),
            page: None,
            form: None,
            statuses: None,
            filter_text: String::new(),
        }
    }

    /// The case the actions apply to: the one on its page, else the selected row.
    fn current(&self) -> Option<CaseId> {
        match &self.page {
            Some(page) => Some(page.case.id),
            None => self.list.selected().map(|r| r.id),
        }
    }

    fn followup(&mut self, db: &mut Db, focus: Option<&str>) -> Effect {
        let Some(id) = self.current() else {
            return Effect::Message(t!("cases.none-selected"));
        };
        match FollowUpForm::open(db, &self.actor, Start::Case(id), (self.clock)()) {
            Ok(mut form) => {
                if let Some(key) = focus {
                    form.form().focus_on(key);
                }
                self.form = Some(CaseForm::FollowUp(Box::new(form)));
                Effect::Done
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    fn show_case(&mut self, id: CaseId, db: &mut Db) -> Effect {
        match CasePage::load(db, id) {
            Ok(page) => {
                self.page = Some(page);
                Effect::Done
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    /// The list (and the open page) afresh, then `effect`.
    fn refresh(&mut self, db: &mut Db, effect: Effect) -> Effect {
        if let Some(page) = &self.page {
            match CasePage::load(db, page.case.id) {
                Ok(fresh) => self.page = Some(fresh),
                Err(e) => return Effect::Error(e.to_string()),
            }
        }
        match self.list.reload_now(db) {
            Effect::Error(e) => Effect::Error(e),
            _ => effect,
        }
    }
}

impl Pane for Cases {
    fn id(&self) -> PaneId {
        PaneId::Cases
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Pane(PaneId::Cases), Context::List]
    }

    fn hints(&self) -> &'static [&'static [&'static str]] {
        HINTS
    }

    fn show(&mut self, area: Rect, db: &mut Db) -> Effect {
        if let Some(page) = &self.page {
            self.page = CasePage::load(db, page.case.id).ok();
        }
        self.list.show(area, db)
    }

    fn open(&mut self, record: Record, db: &mut Db) -> Effect {
        match record {
            Record::Case(id) => self.show_case(id, db),
            Record::Complaint(_) => Effect::Ignored,
        }
    }

    fn mode(&self) -> Mode {
        let form = match &self.statuses {
            Some(screen) => screen.has_form(),
            None => self.form.is_some(),
        };
        if form {
            Mode::Form
        } else if self.page.is_none() && self.search.is_open() {
            Mode::Search
        } else {
            Mode::Normal
        }
    }

    /// The open form: the statuses screen's, else the pane's own.
    fn active_form(&mut self) -> Option<&mut Form> {
        if let Some(screen) = self.statuses.as_mut() {
            return screen.form();
        }
        match self.form.as_mut()? {
            CaseForm::FollowUp(f) => Some(f.form()),
            CaseForm::New(form, _) | CaseForm::Filter(form) => Some(form),
        }
    }

    /// What the open form asked for: save, cancel, or candidates for a lookup.
    fn form_event(&mut self, event: FormEvent, db: &mut Db) -> Effect {
        if let Some(screen) = self.statuses.as_mut() {
            return screen.form_event(event, db);
        }
        let now = (self.clock)();
        if let Some(CaseForm::FollowUp(f)) = self.form.as_mut() {
            let (done, effect) = super::followup_outcome(f.event(event, db, now));
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
                // Candidates as (id, label), the id as the number the form keeps.
                let found: crate::error::Result<Vec<(i64, String)>> = match field {
                    "company" | "contact" | "referrer" => {
                        contacts::page(db, &ContactFilter::search(&query), None, 30).map(|rows| {
                            rows.into_iter()
                                .filter(|r| match field {
                                    "company" => r.kind == "company",
                                    "contact" => r.kind == "person",
                                    _ => true,
                                })
                                .take(10)
                                .map(|r| (r.id.into(), r.display_name))
                                .collect()
                        })
                    }
                    _ => users::experts(db).map(|all| {
                        user_candidates(all, &query)
                            .into_iter()
                            .map(|(id, name)| (id.into(), name))
                            .collect()
                    }),
                };
                super::offer(self.active_form(), field, found)
            }
            FormEvent::Save(values) if matches!(self.form, Some(CaseForm::Filter(_))) => {
                self.save_filter(db, &values)
            }
            FormEvent::Save(values) => match self.save_case(db, &values) {
                Ok(message) => {
                    self.form = None;
                    self.refresh(db, Effect::Message(message))
                }
                Err(Error::Invalid(errors)) => {
                    if let Some(CaseForm::New(form, _)) = self.form.as_mut() {
                        form.show_errors(&errors);
                    }
                    Effect::Error(Error::Invalid(errors).to_string())
                }
                // Someone saved the case meanwhile: the form stays open with what was typed,
                // and offers to save over it, compare, or take it.
                Err(Error::Conflict { by, .. }) => self.on_conflict(db, by.as_ref()),
                Err(e) => Effect::Error(e.to_string()),
            },
        }
    }

    fn search_box(&mut self) -> Option<&mut SearchBox> {
        Some(&mut self.search)
    }

    /// What the search box asked for: narrow the list, keep the search, or drop it.
    fn search_event(&mut self, event: SearchEvent, db: &mut Db) -> Effect {
        match event {
            SearchEvent::None | SearchEvent::Accept => Effect::Done,
            SearchEvent::Changed(_) | SearchEvent::Cancel => {
                self.list.source_mut().filter.search = self.search.text();
                self.list.reset(db)
            }
            SearchEvent::Move(action) => self.list.handle(action, db),
        }
    }

    fn handle(&mut self, action: &str, db: &mut Db) -> Effect {
        if let Some(screen) = &mut self.statuses {
            let effect = screen.handle(action, db);
            if effect == Effect::Ignored && matches!(action, "back" | "case-statuses") {
                self.statuses = None;
                return Effect::Done;
            }
            return effect;
        }
        if action == "case-statuses" {
            return match StatusScreen::open(db, &self.actor) {
                Ok(screen) => {
                    self.statuses = Some(screen);
                    Effect::Done
                }
                Err(e) => Effect::Error(e.to_string()),
            };
        }
        if let Some(page) = &mut self.page {
            if let Some(effect) = page.history_key(action, db) {
                return effect;
            }
            match super::page_key(&mut page.scroll, action) {
                Some(PageKey::Scrolled) => return Effect::Done,
                Some(PageKey::Close) => {
                    self.page = None;
                    return Effect::Done;
                }
                None => {}
            }
        }
        match action {
            "open" => match self.list.selected().map(|r| r.id) {
                Some(id) => self.show_case(id, db),
                None => Effect::Message(t!("cases.none-selected")),
            },
            "followup-add" => self.followup(db, None),
            "case-status" => self.followup(db, Some("status")),
            "new" => self.new_case(db),
            "edit" => self.edit_case(db),
            "search" if self.page.is_none() => {
                self.search.open();
                Effect::Done
            }
            "filter" if self.page.is_none() => match self.filter_form(db) {
                Ok(form) => {
                    self.form = Some(CaseForm::Filter(form));
                    Effect::Done
                }
                Err(e) => Effect::Error(e.to_string()),
            },
            // The store keeps one order, the most urgent first: say so rather than pretend.
            "sort" => Effect::Message(t!("cases.sorted")),
            "back" if !self.search.text().is_empty() || narrows(&self.list.source().filter) => {
                self.search.clear();
                self.list.source_mut().filter = CaseFilter::default();
                self.filter_text.clear();
                self.list.reset(db)
            }
            _ => self.list.handle(action, db),
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if let Some(screen) = &self.statuses {
            screen.render(frame, area, theme);
        } else if let Some(page) = &self.page {
            page.render(frame, area, theme);
        } else {
            self.draw_list(frame, area, theme);
        }
        if let Some(form) = self.active_form() {
            form.render_over(frame, area);
        }
    }
}

impl Cases {
    /// The list, its title saying what the search and the filter let through.
    fn draw_list(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let count = group_thousands(self.list.total());
        let text = self.search.text();
        let mut title = if text.is_empty() && !self.search.is_open() {
            t!("cases.title", count = count)
        } else {
            t!("cases.title-search", count = count, search = clean(&text))
        };
        if !self.filter_text.is_empty() {
            title = t!("filter.title", title = title, what = &self.filter_text);
        }
        let view = View {
            title,
            above: Vec::new(),
            columns: columns(),
            empty: if text.is_empty() && !narrows(&self.list.source().filter) {
                t!("cases.empty")
            } else {
                t!("filter.none-match")
            },
        };
        self.list.render(frame, area, view, theme);
        if self.search.is_open() {
            let line = Rect {
                x: area.x + 2,
                y: area.y + area.height.saturating_sub(1),
                width: area.width.saturating_sub(20),
                height: 1,
            };
            self.search
                .render(frame, line, &t!("contacts.search"), theme);
        }
    }
}
