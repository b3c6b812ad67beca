//! The Complaints pane: customer complaints in due order, the late ones first, each with where
//! its resolution's service level stands (time left, time over, or met / late once closed). A
//! search box narrows the list as the user types and a filter form by status, severity,
//! category, expert, open and late ones; the frame's title says what they let through, and
//! `back` drops them. A complaint's page shows its fields, its two clocks and a timeline of its
//! history, actions and follow-ups; a form moves it on to a status its process allows, another
//! records a new one, and the cases' own follow-up form logs what was said on it and the next
//! action, which goes to its assignee's inbox.
//!
//! `list` holds the list's source and columns, `page` a complaint's page, `filter` the filter
//! form, `form` the status and new-complaint forms.

mod filter;
mod form;
mod list;
mod page;
#[cfg(test)]
mod tests;

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};

use super::{Clock, Effect, Mode, PageKey, Pane, PaneId, Record};
use crate::db::Db;
use crate::db::ids::ComplaintId;
use crate::domain::working_time::Calendar;
use crate::store::complaints::ComplaintFilter;
use crate::store::contacts::{self, ContactFilter};
use crate::store::{Actor, sla, users};
use crate::t;
use crate::tui::action::Context;
use crate::tui::forms::followup::{FollowUpForm, Start};
use crate::tui::forms::user_candidates;
use crate::tui::text::{cells, clean, group_thousands};
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Form, FormEvent};
use crate::tui::widgets::list::{self as list_widget, ListWindow, SELECTED_MARK, View};
use crate::tui::widgets::search::{SearchBox, SearchEvent};

use filter::narrows;
use list::{ComplaintSource, SLA_COLUMN, columns};
use page::ComplaintPage;

/// A form the pane has open.
enum ComplaintForm {
    /// What the list lets through.
    Filter(Form),
    /// Moving a complaint (its id and version) on to another status.
    Status(Form, ComplaintId, i64),
    /// A new complaint.
    New(Form),
    /// A follow-up on a complaint, with the next action planned in it.
    FollowUp(Box<FollowUpForm>),
}

/// The status-bar hints of the complaint list.
const HINTS: &[&[&str]] = &[
    &["list-down", "list-up"],
    &["complaint-status"],
    &["new"],
    &["search"],
];

pub struct Complaints {
    actor: Actor,
    clock: Clock,
    list: ListWindow<ComplaintSource>,
    search: SearchBox,
    page: Option<ComplaintPage>,
    form: Option<ComplaintForm>,
    /// The working calendar the service-level clocks count on, read when the pane is shown.
    calendar: Option<Calendar>,
    /// The filter in words, for the title; empty when there is none.
    filter_text: String,
    /// Whether the filter keeps the late ones only (late as of the last showing).
    late_only: bool,
}

impl Complaints {
    pub fn new(actor: Actor, clock: Clock) -> Complaints {
        Complaints {
            actor,
            clock,
            list: ListWindow::new(ComplaintSource::default()),
            search: SearchBox::new(),
            page: None,
            form: None,
            calendar: None,
            filter_text: String::new(),
            late_only: false,
        }
    }

    /// The complaint the actions apply to: the one on its page, else the selected row.
    fn current(&self) -> Option<ComplaintId> {
        match &self.page {
            Some(page) => Some(page.complaint.id),
            None => self.list.selected().map(|r| r.id),
        }
    }

    fn show_complaint(&mut self, id: ComplaintId, db: &mut Db) -> Effect {
        match ComplaintPage::load(db, id) {
            Ok(page) => {
                self.page = Some(page);
                Effect::Done
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    /// The follow-up form on the current complaint.
    fn followup(&mut self, db: &mut Db) -> Effect {
        let Some(id) = self.current() else {
            return Effect::Message(t!("complaints.none-selected"));
        };
        match FollowUpForm::open(db, &self.actor, Start::Complaint(id), (self.clock)()) {
            Ok(form) => {
                self.form = Some(ComplaintForm::FollowUp(Box::new(form)));
                Effect::Done
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    /// The list (and the open page) afresh, then `effect`.
    fn refresh(&mut self, db: &mut Db, effect: Effect) -> Effect {
        if let Some(page) = &self.page {
            match ComplaintPage::load(db, page.complaint.id) {
                Ok(fresh) => self.page = Some(fresh),
                Err(e) => return Effect::Error(e.to_string()),
            }
        }
        match self.list.reload_now(db) {
            Effect::Error(e) => Effect::Error(e),
            _ => effect,
        }
    }

    /// Candidates for a lookup field of the open form.
    fn candidates(&mut self, db: &mut Db, field: &'static str, query: &str) -> Effect {
        let found: crate::error::Result<Vec<(i64, String)>> = match field {
            "customer" => contacts::page(db, &ContactFilter::search(query), None, 10).map(|rows| {
                rows.into_iter()
                    .map(|r| (r.id.into(), r.display_name))
                    .collect()
            }),
            _ => users::experts(db).map(|all| {
                user_candidates(all, query)
                    .into_iter()
                    .map(|(id, name)| (id.into(), name))
                    .collect()
            }),
        };
        super::offer(self.active_form(), field, found)
    }
}

impl Pane for Complaints {
    fn id(&self) -> PaneId {
        PaneId::Complaints
    }

    fn open(&mut self, record: Record, db: &mut Db) -> Effect {
        match record {
            Record::Complaint(id) => self.show_complaint(id, db),
            Record::Case(_) => Effect::Ignored,
        }
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Pane(PaneId::Complaints), Context::List]
    }

    fn hints(&self) -> &'static [&'static [&'static str]] {
        HINTS
    }

    /// Reads the working calendar once for the clocks drawn until the next showing, and the
    /// list (and the open page) afresh; a late-only filter counts from now.
    fn show(&mut self, area: Rect, db: &mut Db) -> Effect {
        match sla::calendar(db) {
            Ok(calendar) => self.calendar = Some(calendar),
            Err(e) => return Effect::Error(e.to_string()),
        }
        if self.late_only {
            self.list.source_mut().filter.late_at = Some((self.clock)());
        }
        if let Some(page) = &self.page {
            self.page = ComplaintPage::load(db, page.complaint.id).ok();
        }
        self.list.show(area, db)
    }

    fn mode(&self) -> Mode {
        if self.form.is_some() {
            Mode::Form
        } else if self.page.is_none() && self.search.is_open() {
            Mode::Search
        } else {
            Mode::Normal
        }
    }

    fn active_form(&mut self) -> Option<&mut Form> {
        match self.form.as_mut()? {
            ComplaintForm::Filter(form)
            | ComplaintForm::Status(form, ..)
            | ComplaintForm::New(form) => Some(form),
            ComplaintForm::FollowUp(followup) => Some(followup.form()),
        }
    }

    /// What the open form asked for: save, cancel, or candidates for a lookup.
    fn form_event(&mut self, event: FormEvent, db: &mut Db) -> Effect {
        if let Some(ComplaintForm::FollowUp(followup)) = self.form.as_mut() {
            let (done, effect) = super::followup_outcome(followup.event(event, db, (self.clock)()));
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
            FormEvent::Search { field, query } => self.candidates(db, field, &query),
            FormEvent::Save(values) => match &self.form {
                Some(ComplaintForm::Filter(_)) => self.save_filter(db, &values),
                Some(ComplaintForm::Status(..)) => self.save_status(db, &values),
                Some(ComplaintForm::New(_)) => self.save_new(db, &values),
                Some(ComplaintForm::FollowUp(_)) | None => Effect::Ignored,
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
                Some(id) => self.show_complaint(id, db),
                None => Effect::Message(t!("complaints.none-selected")),
            },
            "complaint-status" => self.status_form(db),
            "complaint-followup" => self.followup(db),
            "new" => self.new_form(db),
            "search" if self.page.is_none() => {
                self.search.open();
                Effect::Done
            }
            "filter" if self.page.is_none() => match self.filter_form(db) {
                Ok(form) => {
                    self.form = Some(ComplaintForm::Filter(form));
                    Effect::Done
                }
                Err(e) => Effect::Error(e.to_string()),
            },
            // The store keeps one order, the late ones first: say so rather than pretend.
            "sort" => Effect::Message(t!("complaints.sorted")),
            "back" if !self.search.text().is_empty() || narrows(&self.list.source().filter) => {
                self.search.clear();
                self.list.source_mut().filter = ComplaintFilter::default();
                self.filter_text.clear();
                self.late_only = false;
                self.list.reset(db)
            }
            _ if self.page.is_some() => Effect::Ignored,
            _ => self.list.handle(action, db),
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let now = (self.clock)();
        if let Some(page) = &self.page {
            page.render(frame, area, theme, self.calendar.as_ref(), now);
        } else {
            self.draw_list(frame, area, theme);
        }
        if let Some(form) = self.active_form() {
            form.render_over(frame, area);
        }
    }
}

impl Complaints {
    /// The list, its title saying what the search and the filter let through; the service
    /// levels run over are drawn in the error style besides their `!`.
    fn draw_list(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let now = (self.clock)();
        let count = group_thousands(self.list.total());
        let text = self.search.text();
        let mut title = if text.is_empty() && !self.search.is_open() {
            t!("complaints.title", count = count)
        } else {
            t!(
                "complaints.title-search",
                count = count,
                search = clean(&text)
            )
        };
        if !self.filter_text.is_empty() {
            title = t!("filter.title", title = title, what = &self.filter_text);
        }
        let view = View {
            title,
            above: Vec::new(),
            columns: columns(self.calendar.as_ref(), now),
            empty: if text.is_empty() && !narrows(&self.list.source().filter) {
                t!("complaints.none-yet")
            } else {
                t!("filter.none-match")
            },
        };
        self.list.render(frame, area, view, theme);
        if self.list.total() > 0 {
            mark_over(frame, area, theme, &self.calendar, now);
        }
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

/// Draws the service-level cells that ran over (they start with `!`) in the error style: the
/// list draws every cell alike, so the column is found where the list's layout puts it.
fn mark_over(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    calendar: &Option<Calendar>,
    now: chrono::NaiveDateTime,
) {
    let inner = area.inner(Margin::new(1, 1));
    let columns = columns(calendar.as_ref(), now);
    let (layout, spacing) = list_widget::layout(&columns, usize::from(inner.width));
    let mut x = usize::from(inner.x) + cells(SELECTED_MARK);
    let mut found = None;
    for (index, width) in layout {
        if index == SLA_COLUMN {
            found = Some((x, width));
            break;
        }
        x += width + spacing;
    }
    let Some((x, width)) = found else {
        return;
    };
    let (Ok(x), Ok(width)) = (u16::try_from(x), u16::try_from(width)) else {
        return;
    };
    let buffer = frame.buffer_mut();
    let bounds = buffer.area;
    for y in inner.y.saturating_add(1)..inner.bottom() {
        if x >= bounds.right() || y >= bounds.bottom() {
            break;
        }
        if buffer[(x, y)].symbol() == "!" {
            let width = width.min(bounds.right() - x);
            buffer.set_style(Rect::new(x, y, width, 1), theme.message(true));
        }
    }
}
