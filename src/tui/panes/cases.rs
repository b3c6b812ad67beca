//! The sales cases, most urgent first (priority, then the earliest open planned action): number,
//! title, customer, status (a closed case's in brackets), importance as a word, priority, expert
//! and the expected amount. A search box narrows the list as the user types; a case's page shows
//! its fields, planned actions and follow-ups; a follow-up (with the status after it and the next
//! action) and a new case are entered in forms. A filter form narrows the list by status, expert,
//! importance, priority, marketing channel, organisational unit and open cases only; the frame's
//! title says what the filter lets through, and `back` drops the filter and the search.

use chrono::NaiveDateTime;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::statuses::StatusScreen;
use super::{Clock, Effect, Mode, Pane, PaneId, Record};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::store::cases::{self, Case, CaseFields, CaseFilter, CaseKey, CaseRow, Importance};
use crate::store::contacts::{self, ContactFilter};
use crate::store::followups::{self, FollowUpRow};
use crate::store::lookups::{self, List};
use crate::store::planned::{self, PlannedRow};
use crate::store::{Actor, names, users};
use crate::t;
use crate::tui::action::Context;
use crate::tui::format;
use crate::tui::forms::followup::{FollowUpForm, Outcome, Start};
use crate::tui::forms::user_candidates;
use crate::tui::text::{clean, group_thousands};
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Choice, FieldKind, FieldValue, Form, FormEvent, Values};
use crate::tui::widgets::list::{Column, ListWindow, Source, View, Width};
use crate::tui::widgets::search::{SearchBox, SearchEvent};

/// The cases the filter lets through, most urgent first.
#[derive(Default)]
pub struct CaseSource {
    pub filter: CaseFilter,
}

impl Source for CaseSource {
    type Row = CaseRow;
    type Key = CaseKey;

    fn page(&self, db: &mut Db, after: Option<&CaseKey>, limit: i64) -> Result<Vec<CaseRow>> {
        cases::page(db, &self.filter, after, limit)
    }

    fn page_before(&self, db: &mut Db, before: &CaseKey, limit: i64) -> Result<Vec<CaseRow>> {
        cases::page_before(db, &self.filter, before, limit)
    }

    fn last_page(&self, db: &mut Db, limit: i64) -> Result<Vec<CaseRow>> {
        cases::last_page(db, &self.filter, limit)
    }

    fn count(&self, db: &mut Db) -> Result<i64> {
        cases::count(db, &self.filter)
    }

    fn key(row: &CaseRow) -> CaseKey {
        cases::key(row)
    }
}

/// A case on a page of its own.
struct CasePage {
    case: Case,
    customer: String,
    expert: String,
    status: String,
    actions: Vec<PlannedRow>,
    followups: Vec<FollowUpRow>,
    scroll: u16,
}

impl CasePage {
    fn load(db: &mut Db, id: i64) -> Result<CasePage> {
        let case = cases::get(db, id)?;
        let people = names::contacts(db, [case.company_id, case.contact_id].into_iter().flatten())?;
        let customer = names::customer(&people, case.company_id, case.contact_id);
        let expert = users::get(db, case.expert_id)?.display_name;
        let status = names::statuses(db)?
            .remove(&case.status_id)
            .map(|(name, _)| name)
            .unwrap_or_default();
        Ok(CasePage {
            actions: planned::of_case(db, id)?,
            followups: followups::of_case(db, id, 50)?,
            case,
            customer,
            expert,
            status,
            scroll: 0,
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

    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
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
    }
}

/// A form the pane has open.
enum CaseForm {
    FollowUp(Box<FollowUpForm>),
    /// A new case, or (with its id and version) a case being edited.
    New(Form, Option<(i64, i64)>),
    /// What the list lets through.
    Filter(Form),
}

/// The value of a filter form's "any" choice.
const ANY: &str = "";

/// The choice that leaves a criterion out.
fn any() -> Choice {
    Choice {
        value: ANY.to_string(),
        label: t!("filter.any"),
    }
}

/// `id` as a choice's value; none is "any".
fn id_value(id: Option<i64>) -> String {
    id.map(|id| id.to_string()).unwrap_or_default()
}

/// The chosen value of a choice field, `None` for "any".
fn chosen<'a>(values: &'a [(&'static str, FieldValue)], key: &str) -> Option<&'a str> {
    Values(values).choice(key).filter(|c| *c != ANY)
}

/// The row chosen in a lookup field, if any.
fn looked_up(values: &[(&'static str, FieldValue)], key: &str) -> Option<i64> {
    Values(values).lookup(key)
}

/// The filter in words, for the frame's title: `status New, expert Sara Rahimi`; empty when it
/// lets every case through (the search is shown apart).
fn describe(db: &mut Db, filter: &CaseFilter) -> Result<String> {
    let mut parts = Vec::new();
    if let Some(id) = filter.status_id {
        let name = lookups::status(db, id)?.name;
        parts.push(t!("filter.part.status", name = clean(&name)));
    }
    if let Some(id) = filter.expert_id {
        let name = users::get(db, id)?.display_name;
        parts.push(t!("filter.part.expert", name = clean(&name)));
    }
    if let Some(importance) = filter.importance {
        let name = crate::i18n::tr(importance.message_key());
        parts.push(t!("filter.part.importance", name = name));
    }
    if let Some(priority) = filter.priority {
        parts.push(t!("filter.part.priority", n = priority));
    }
    if let Some(id) = filter.channel_id {
        let name = names::lookups(db, [id])?.remove(&id).unwrap_or_default();
        parts.push(t!("filter.part.channel", name = clean(&name)));
    }
    if let Some(id) = filter.org_unit_id {
        let name = lookups::org_units(db)?
            .into_iter()
            .find_map(|(unit, name)| (unit == id).then_some(name))
            .unwrap_or_default();
        parts.push(t!("filter.part.unit", name = clean(&name)));
    }
    if filter.open_only {
        parts.push(t!("filter.part.open"));
    }
    Ok(parts.join(&t!("filter.join")))
}

/// Whether `filter` holds back any case besides what the search does.
fn narrows(filter: &CaseFilter) -> bool {
    let search = CaseFilter {
        search: filter.search.clone(),
        ..CaseFilter::default()
    };
    *filter != search
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
    fn current(&self) -> Option<i64> {
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

    /// The case form: empty for a new case, or filled with `editing`'s fields.
    fn case_form(&mut self, db: &mut Db, editing: Option<&Case>) -> Result<Form> {
        let importance = Importance::ALL
            .iter()
            .map(|i| Choice {
                value: i.as_str().to_string(),
                label: crate::i18n::tr(i.message_key()).to_string(),
            })
            .collect();
        let with_none = |choices: Vec<(i64, String)>| {
            std::iter::once(Choice::none())
                .chain(choices.into_iter().map(|(id, name)| Choice {
                    value: id.to_string(),
                    label: name,
                }))
                .collect::<Vec<_>>()
        };
        let items = |db: &mut Db, list: List| -> Result<Vec<(i64, String)>> {
            Ok(lookups::items(db, list)?
                .into_iter()
                .map(|i| (i.id, i.name))
                .collect())
        };
        let channels = with_none(items(db, List::MarketingChannel)?);
        let groups = with_none(items(db, List::ProductGroup)?);
        let regions = with_none(items(db, List::Region)?);
        let units = with_none(lookups::org_units(db)?);
        let title = match editing {
            Some(case) => t!("cases.form.edit", number = clean(&case.number)),
            None => t!("cases.form.new"),
        };
        let mut form = Form::new(title)
            .field("title", t!("cases.label.title"), FieldKind::Text, true)
            .field(
                "company",
                t!("cases.label.company"),
                FieldKind::Lookup,
                false,
            )
            .field(
                "contact",
                t!("cases.label.contact"),
                FieldKind::Lookup,
                false,
            )
            .field("need", t!("cases.label.need"), FieldKind::Multiline, false)
            .field(
                "importance",
                t!("cases.col.importance"),
                FieldKind::Choice(importance),
                true,
            )
            .field("priority", t!("cases.col.priority"), FieldKind::Whole, true)
            .field(
                "expected-amount",
                t!("cases.col.expected"),
                FieldKind::Money,
                false,
            )
            .field("expert", t!("cases.col.expert"), FieldKind::Lookup, true)
            .field(
                "representative",
                t!("cases.label.representative"),
                FieldKind::Lookup,
                false,
            )
            .field(
                "referrer",
                t!("cases.label.referrer"),
                FieldKind::Lookup,
                false,
            )
            .field(
                "channel",
                t!("cases.label.channel"),
                FieldKind::Choice(channels),
                false,
            )
            .field(
                "org-unit",
                t!("cases.label.unit"),
                FieldKind::Choice(units),
                false,
            )
            .field(
                "product-group",
                t!("cases.label.product-group"),
                FieldKind::Choice(groups),
                false,
            )
            .field(
                "region",
                t!("cases.label.region"),
                FieldKind::Choice(regions),
                false,
            );
        let me = users::get(db, self.actor.id)?;
        let Some(case) = editing else {
            form.set_value("importance", Importance::Normal.as_str());
            form.set_value("priority", "3");
            form.set_lookup("expert", me.id, &me.display_name);
            return Ok(form);
        };
        form.set_value("title", &case.title);
        if let Some(need) = &case.need {
            form.set_value("need", need);
        }
        form.set_value("importance", &case.importance);
        form.set_value("priority", &case.priority.to_string());
        if let Some(amount) = case.expected_amount {
            form.set_value(
                "expected-amount",
                &crate::domain::money::group_thousands(amount),
            );
        }
        let people = names::contacts(
            db,
            [case.company_id, case.contact_id, case.referrer_id]
                .into_iter()
                .flatten(),
        )?;
        for (key, id) in [
            ("company", case.company_id),
            ("contact", case.contact_id),
            ("referrer", case.referrer_id),
        ] {
            if let Some(id) = id {
                form.set_lookup(key, id, people.get(&id).map_or("", String::as_str));
            }
        }
        for (key, id) in [
            ("expert", Some(case.expert_id)),
            ("representative", case.representative_id),
        ] {
            if let Some(id) = id {
                let user = users::get(db, id)?;
                form.set_lookup(key, id, &user.display_name);
            }
        }
        for (key, id) in [
            ("channel", case.channel_id),
            ("org-unit", case.org_unit_id),
            ("product-group", case.product_group_id),
            ("region", case.region_id),
        ] {
            if let Some(id) = id {
                form.set_value(key, &id.to_string());
            }
        }
        Ok(form)
    }

    fn new_case(&mut self, db: &mut Db) -> Effect {
        match self.case_form(db, None) {
            Ok(form) => {
                self.form = Some(CaseForm::New(form, None));
                Effect::Done
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    fn edit_case(&mut self, db: &mut Db) -> Effect {
        let Some(id) = self.current() else {
            return Effect::Message(t!("cases.none-selected"));
        };
        let result = cases::get(db, id).and_then(|case| {
            let form = self.case_form(db, Some(&case))?;
            Ok((form, (case.id, case.version)))
        });
        match result {
            Ok((form, editing)) => {
                self.form = Some(CaseForm::New(form, Some(editing)));
                Effect::Done
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    fn save_case(&mut self, db: &mut Db, values: &[(&'static str, FieldValue)]) -> Result<String> {
        let values = Values(values);
        let text = |key: &str| values.text(key);
        let whole = |key: &str| values.whole(key);
        let lookup = |key: &str| values.lookup(key);
        let chosen = |key: &str| values.choice_id(key);
        let importance = values
            .choice("importance")
            .and_then(Importance::parse)
            .unwrap_or_default();
        let fields = CaseFields {
            title: text("title").unwrap_or_default(),
            company_id: lookup("company"),
            contact_id: lookup("contact"),
            expert_id: lookup("expert").unwrap_or(self.actor.id),
            representative_id: lookup("representative"),
            referrer_id: lookup("referrer"),
            need: text("need"),
            channel_id: chosen("channel"),
            org_unit_id: chosen("org-unit"),
            importance,
            priority: i32::try_from(whole("priority").unwrap_or(3)).unwrap_or(0),
            product_group_id: chosen("product-group"),
            region_id: chosen("region"),
            expected_amount: whole("expected-amount"),
        };
        let editing = match &self.form {
            Some(CaseForm::New(_, editing)) => *editing,
            _ => None,
        };
        let case = match editing {
            Some((id, version)) => cases::update(db, &self.actor, id, version, fields)?,
            None => cases::create(db, &self.actor, fields)?,
        };
        let (number, title) = (clean(&case.number), clean(&case.title));
        Ok(match editing {
            Some(_) => t!("cases.saved", number = number, title = title),
            None => t!("cases.added", number = number, title = title),
        })
    }

    /// The filter form, filled in with the filter in force.
    fn filter_form(&self, db: &mut Db) -> Result<Form> {
        let filter = &self.list.source().filter;
        let statuses = std::iter::once(any())
            .chain(lookups::statuses(db)?.into_iter().map(|s| Choice {
                value: s.id.to_string(),
                label: clean(&s.name),
            }))
            .collect();
        let importance = std::iter::once(any())
            .chain(Importance::ALL.iter().map(|i| Choice {
                value: i.as_str().to_string(),
                label: crate::i18n::tr(i.message_key()).to_string(),
            }))
            .collect();
        let channels = std::iter::once(any())
            .chain(
                lookups::items(db, List::MarketingChannel)?
                    .into_iter()
                    .map(|item| Choice {
                        value: item.id.to_string(),
                        label: clean(&item.name),
                    }),
            )
            .collect();
        let units = std::iter::once(any())
            .chain(
                lookups::org_units(db)?
                    .into_iter()
                    .map(|(id, name)| Choice {
                        value: id.to_string(),
                        label: clean(&name),
                    }),
            )
            .collect();
        let open = vec![
            Choice {
                value: "no".to_string(),
                label: t!("filter.no"),
            },
            Choice {
                value: "yes".to_string(),
                label: t!("filter.yes"),
            },
        ];
        let mut form = Form::new(t!("cases.filter.form"))
            .field(
                "status",
                t!("field.status"),
                FieldKind::Choice(statuses),
                false,
            )
            .field("expert", t!("field.expert"), FieldKind::Lookup, false)
            .field(
                "importance",
                t!("cases.col.importance"),
                FieldKind::Choice(importance),
                false,
            )
            .field("priority", t!("field.priority"), FieldKind::Whole, false)
            .field(
                "channel",
                t!("filter.label.channel"),
                FieldKind::Choice(channels),
                false,
            )
            .field(
                "unit",
                t!("filter.label.unit"),
                FieldKind::Choice(units),
                false,
            )
            .field(
                "open",
                t!("filter.label.open-only"),
                FieldKind::Choice(open),
                false,
            );
        form.set_value("status", &id_value(filter.status_id));
        if let Some(id) = filter.expert_id {
            let expert = users::get(db, id)?;
            form.set_lookup("expert", id, &clean(&expert.display_name));
        }
        form.set_value(
            "importance",
            filter.importance.map_or(ANY, Importance::as_str),
        );
        if let Some(priority) = filter.priority {
            form.set_value("priority", &priority.to_string());
        }
        form.set_value("channel", &id_value(filter.channel_id));
        form.set_value("unit", &id_value(filter.org_unit_id));
        form.set_value("open", if filter.open_only { "yes" } else { "no" });
        Ok(form)
    }

    /// Puts the filter form's values in force (the search stays), or marks what is wrong.
    fn save_filter(&mut self, db: &mut Db, values: &[(&'static str, FieldValue)]) -> Effect {
        let id = |key: &str| chosen(values, key).and_then(|v| v.parse::<i64>().ok());
        let priority = Values(values).whole("priority");
        let priority = match priority.map(i32::try_from) {
            None => None,
            Some(Ok(p)) if (1..=5).contains(&p) => Some(p),
            Some(_) => {
                if let Some(CaseForm::Filter(form)) = self.form.as_mut() {
                    form.set_error("priority", t!("invalid.priority"));
                    form.focus_on("priority");
                }
                return Effect::Error(t!(
                    "error.invalid",
                    field = t!("field.priority"),
                    reason = t!("invalid.priority")
                ));
            }
        };
        let filter = CaseFilter {
            status_id: id("status"),
            expert_id: looked_up(values, "expert"),
            importance: chosen(values, "importance").and_then(Importance::parse),
            priority,
            channel_id: id("channel"),
            org_unit_id: id("unit"),
            open_only: chosen(values, "open") == Some("yes"),
            search: self.list.source().filter.search.clone(),
        };
        match describe(db, &filter) {
            Ok(text) => self.filter_text = text,
            Err(e) => return Effect::Error(e.to_string()),
        }
        self.list.source_mut().filter = filter;
        self.form = None;
        self.list.reset(db)
    }

    fn show_case(&mut self, id: i64, db: &mut Db) -> Effect {
        match CasePage::load(db, id) {
            Ok(page) => {
                self.page = Some(page);
                Effect::Done
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    /// The open form: the statuses screen's, else the pane's own.
    fn form(&mut self) -> Option<&mut Form> {
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
            return match f.event(event, db, now) {
                Outcome::Open => Effect::Done,
                Outcome::Refused(text) => Effect::Error(text),
                Outcome::Cancelled => {
                    self.form = None;
                    Effect::Done
                }
                Outcome::Saved(text) => {
                    self.form = None;
                    self.refresh(db, Effect::Message(text))
                }
            };
        }
        match event {
            FormEvent::None | FormEvent::Chosen { .. } => Effect::Done,
            FormEvent::Cancel => {
                self.form = None;
                Effect::Done
            }
            FormEvent::Search { field, query } => {
                let found = match field {
                    "company" | "contact" | "referrer" => {
                        contacts::page(db, &ContactFilter::search(&query), None, 30).map(|rows| {
                            rows.into_iter()
                                .filter(|r| match field {
                                    "company" => r.kind == "company",
                                    "contact" => r.kind == "person",
                                    _ => true,
                                })
                                .take(10)
                                .map(|r| (r.id, r.display_name))
                                .collect()
                        })
                    }
                    _ => users::experts(db).map(|all| user_candidates(all, &query)),
                };
                match (found, self.form()) {
                    (Ok(found), Some(form)) => {
                        form.set_candidates(field, found);
                        Effect::Done
                    }
                    (Err(e), _) => Effect::Error(e.to_string()),
                    _ => Effect::Done,
                }
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
                Err(e) => Effect::Error(e.to_string()),
            },
        }
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

    fn key(
        &mut self,
        action: Option<&'static str>,
        event: KeyEvent,
        now: NaiveDateTime,
        db: &mut Db,
    ) -> Effect {
        match self.mode() {
            Mode::Form => match self.form().map(|form| form.handle(action, event, now)) {
                None | Some(FormEvent::None) => Effect::Done,
                Some(form_event) => self.form_event(form_event, db),
            },
            Mode::Search => match self.search.handle(action, event) {
                SearchEvent::None => Effect::Done,
                search_event => self.search_event(search_event, db),
            },
            Mode::Normal => Effect::Ignored,
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
            match action {
                "list-down" | "list-up" => {
                    page.scroll = if action == "list-down" {
                        page.scroll.saturating_add(1)
                    } else {
                        page.scroll.saturating_sub(1)
                    };
                    return Effect::Done;
                }
                "back" | "open" => {
                    self.page = None;
                    return Effect::Done;
                }
                _ => {}
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
        if let Some(form) = self.form() {
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

/// The status as shown: a closed case's in brackets, so it reads as closed without colour.
fn status(row: &CaseRow) -> String {
    if row.closed {
        t!("cases.closed", status = row.status)
    } else {
        row.status.clone()
    }
}

/// The list's columns. On a narrow screen the amount, then the expert, give up their room.
fn columns<'a>() -> Vec<Column<'a, CaseRow>> {
    vec![
        Column::new(t!("cases.col.number"), Width::Fixed(10), |r: &CaseRow| {
            r.number.clone()
        }),
        Column::new(t!("cases.col.title"), Width::share(3, 14), |r: &CaseRow| {
            r.title.clone()
        }),
        Column::new(
            t!("cases.col.customer"),
            Width::Share {
                weight: 2,
                min: 12,
                max: 36,
            },
            |r: &CaseRow| r.customer.clone(),
        ),
        Column::new(
            t!("cases.col.status"),
            Width::Share {
                weight: 1,
                min: 11,
                max: 16,
            },
            status,
        ),
        Column::new(
            t!("cases.col.importance"),
            Width::Fixed(8),
            |r: &CaseRow| format::importance(&r.importance),
        ),
        Column::new(t!("cases.col.priority"), Width::Fixed(2), |r: &CaseRow| {
            t!("cases.priority", n = r.priority)
        }),
        Column::new(
            t!("cases.col.expert"),
            Width::Share {
                weight: 1,
                min: 6,
                max: 12,
            },
            |r: &CaseRow| r.expert.clone(),
        )
        .drops(1),
        Column::new(t!("cases.col.expected"), Width::Fixed(15), |r: &CaseRow| {
            r.expected_amount.map(group_thousands).unwrap_or_default()
        })
        .right()
        .drops(2),
    ]
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;

    use crate::tui::panes::{Effect, Pane};
    use crate::tui::theme::Theme;

    use super::*;
    use crate::tui::testing::{self, draw_pane};

    #[test]
    fn cases_come_most_urgent_first_and_the_keys_move_through_them() {
        let mut store = testing::store();
        store.add_work();
        let mut pane = Cases::new(store.actor.clone(), testing::fixed_now);
        assert_eq!(
            pane.show(Rect::new(0, 0, 80, 22), &mut store.db),
            Effect::Done
        );
        let number = |pane: &Cases| pane.list.selected().map(|r: &CaseRow| r.number.clone());
        assert_eq!(number(&pane).as_deref(), Some("1405-00051"), "P1 first");
        for (action, expected) in [
            ("list-down", "1405-00060"),
            ("list-down", "1405-00042"),
            ("list-bottom", "1405-00009"),
            ("list-up", "1405-00038"),
            ("list-top", "1405-00051"),
        ] {
            assert_eq!(pane.handle(action, &mut store.db), Effect::Done);
            assert_eq!(number(&pane).as_deref(), Some(expected), "after {action}");
        }
        assert_eq!(pane.handle("inbox-done", &mut store.db), Effect::Ignored);
    }

    #[test]
    fn closed_cases_and_importance_read_without_colour() {
        let mut store = testing::store();
        store.add_work();
        let mut pane = Cases::new(store.actor.clone(), testing::fixed_now);
        pane.show(Rect::new(0, 0, 120, 20), &mut store.db);
        let screen = draw_pane(&mut pane, 120, 20).join("\n");
        for text in [
            "[Won]",
            "[Lost]",
            "Negotiation",
            "critical",
            "P1",
            "2,400,000,000",
        ] {
            assert!(screen.contains(text), "{text} in\n{screen}");
        }
        assert!(!screen.contains("[Negotiation]"), "{screen}");
    }

    #[test]
    fn an_empty_list_says_how_to_load_demo_data() {
        let mut store = testing::store();
        let mut pane = Cases::new(store.actor.clone(), testing::fixed_now);
        pane.show(Rect::new(0, 0, 80, 22), &mut store.db);
        let screen = draw_pane(&mut pane, 80, 22).join("\n");
        assert!(screen.contains("Cases (0)"), "{screen}");
        assert!(screen.contains("peygir demo"), "{screen}");
    }

    #[test]
    fn the_cases_at_80x24_and_120x40() {
        let mut store = testing::store();
        store.add_work();
        for (width, height) in [(80, 24), (120, 40)] {
            let mut app = store.app(width, height, Theme::plain());
            testing::press(&mut app, &mut store.db, '3');
            let screen = testing::text(&testing::render(&mut app, width, height));
            insta::assert_snapshot!(format!("cases_{width}x{height}"), screen);
        }
    }

    #[test]
    fn a_follow_up_on_a_case_moves_its_status_and_shows_on_its_page() {
        use crossterm::event::{KeyCode, KeyModifiers};
        use testing::{press, press_key, render, text, type_text};
        let mut store = testing::store();
        store.add_work();
        let mut app = store.app(100, 30, Theme::plain());
        let db = &mut store.db;
        press(&mut app, db, '3');
        // The most urgent case, 1405-00051 (qualified): a follow-up with a status after it.
        press(&mut app, db, 'F');
        type_text(&mut app, db, "Agreed on the delivery dates");
        for _ in 0..7 {
            press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        }
        press_key(&mut app, db, KeyCode::Right, KeyModifiers::NONE);
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("> Status after"), "{screen}");
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Logged on 1405-00051"), "{screen}");
        // Its place in the list may have moved: find it by number and open it.
        press(&mut app, db, '/');
        type_text(&mut app, db, "00051");
        press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
        press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Agreed on the delivery dates"), "{screen}");
        assert!(
            !screen.contains("Status: Qualified"),
            "the status moved on: {screen}"
        );
        // A new case for a customer found by name.
        press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
        press(&mut app, db, 'n');
        type_text(&mut app, db, "Spare parts");
        press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        type_text(&mut app, db, "Nova");
        press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Added case 14"), "{screen}");
        assert!(screen.contains("Spare parts"), "{screen}");
        // Edited: the form comes filled with the case's fields.
        press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
        press(&mut app, db, '/');
        type_text(&mut app, db, "spare");
        press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
        press(&mut app, db, 'e');
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Edit case 14"), "{screen}");
        assert!(screen.contains("Nova Foods"), "{screen}");
        press_key(&mut app, db, KeyCode::End, KeyModifiers::NONE);
        type_text(&mut app, db, " for 2027");
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Saved case 14"), "{screen}");
        assert!(screen.contains("Spare parts for 2027"), "{screen}");
    }

    #[test]
    fn closing_a_case_as_lost_asks_for_the_reason_rather_than_taking_the_first() {
        use crossterm::event::{KeyCode, KeyModifiers};
        use testing::{press, press_key, render, text, type_text};
        let mut store = testing::store();
        let mut app = on_cases(&mut store);
        let db = &mut store.db;
        press(&mut app, db, 'F');
        type_text(&mut app, db, "They chose another supplier");
        for _ in 0..7 {
            press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        }
        // Right along the allowed statuses to Lost.
        for _ in 0..10 {
            if text(&render(&mut app, 100, 30)).contains("< Lost >") {
                break;
            }
            press_key(&mut app, db, KeyCode::Right, KeyModifiers::NONE);
        }
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("< Lost >"), "{screen}");
        assert!(screen.contains("< None >"), "no reason yet: {screen}");
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("is required"), "{screen}");
        assert!(screen.contains("They chose another supplier"), "{screen}");
        // The cursor is on the reason: one chosen, it saves.
        assert!(screen.contains("> Closed because"), "{screen}");
        press_key(&mut app, db, KeyCode::Right, KeyModifiers::NONE);
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Logged on"), "{screen}");
    }

    /// The app on the Cases pane of the working store, 100 x 30.
    fn on_cases(store: &mut testing::Store) -> crate::tui::app::App {
        store.add_work();
        let mut app = store.app(100, 30, Theme::plain());
        testing::press(&mut app, &mut store.db, '3');
        app
    }

    #[test]
    fn the_filter_narrows_the_cases_by_status_and_expert_and_back_drops_it() {
        use crossterm::event::{KeyCode, KeyModifiers};
        use testing::{press, press_key, render, text, type_text};
        let mut store = testing::store();
        let mut app = on_cases(&mut store);
        let db = &mut store.db;
        let save = |app: &mut crate::tui::app::App, db: &mut Db| {
            press_key(app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        };
        // A status: of six cases only the new one is left.
        press(&mut app, db, 'f');
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Filter cases"), "{screen}");
        assert!(screen.contains("> Status"), "{screen}");
        type_text(&mut app, db, "N");
        save(&mut app, db);
        let screen = text(&render(&mut app, 100, 30));
        assert!(
            screen.contains("Cases (1) · filtered: status New "),
            "{screen}"
        );
        assert!(screen.contains("1405-00060"), "{screen}");
        assert!(!screen.contains("1405-00051"), "{screen}");
        // An expert instead: the form shows the filter in force; Sara has two cases.
        press(&mut app, db, 'f');
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("< New >"), "{screen}");
        press_key(&mut app, db, KeyCode::Left, KeyModifiers::NONE);
        press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        type_text(&mut app, db, "sara");
        press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
        save(&mut app, db);
        let screen = text(&render(&mut app, 100, 30));
        assert!(
            screen.contains("Cases (2) · filtered: expert Sara Rahimi "),
            "{screen}"
        );
        for (number, shown) in [
            ("1405-00038", true),
            ("1405-00009", true),
            ("1405-00051", false),
            ("1405-00042", false),
        ] {
            assert_eq!(screen.contains(number), shown, "{number} in\n{screen}");
        }
        // Both: Sara's case in Proposal sent.
        press(&mut app, db, 'f');
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Sara Rahimi"), "kept in the form: {screen}");
        type_text(&mut app, db, "P");
        save(&mut app, db);
        let screen = text(&render(&mut app, 100, 30));
        assert!(
            screen.contains("Cases (1) · filtered: status Proposal sent, expert Sara Rahimi "),
            "{screen}"
        );
        assert!(screen.contains("1405-00038"), "{screen}");
        assert!(!screen.contains("1405-00009"), "{screen}");
        // The search narrows within the filter, and a new filter keeps the search.
        press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
        let screen = text(&render(&mut app, 100, 30));
        assert!(
            screen.contains("Cases (6) "),
            "back drops the filter: {screen}"
        );
        assert!(!screen.contains("filtered"), "{screen}");
        press(&mut app, db, '/');
        type_text(&mut app, db, "Compressor");
        press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
        press(&mut app, db, 'f');
        press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        type_text(&mut app, db, "Ali");
        press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
        save(&mut app, db);
        let screen = text(&render(&mut app, 100, 30));
        assert!(
            screen.contains("Cases matching “Compressor” (0) · filtered: expert Ali Moradi"),
            "{screen}"
        );
        assert!(
            screen.contains("Nothing matches the search and filter chosen."),
            "not the empty store's text: {screen}"
        );
        press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Cases (6) "), "{screen}");
        assert!(!screen.contains("matching"), "{screen}");
    }

    #[test]
    fn a_priority_outside_1_to_5_is_refused_and_the_form_stays_open() {
        use crossterm::event::{KeyCode, KeyModifiers};
        use testing::{press, press_key, render, text, type_text};
        let mut store = testing::store();
        let mut app = on_cases(&mut store);
        let db = &mut store.db;
        press(&mut app, db, 'f');
        for _ in 0..3 {
            press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        }
        type_text(&mut app, db, "9");
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Filter cases"), "still open: {screen}");
        assert!(screen.contains("! must be from 1 to 5"), "{screen}");
        assert!(
            screen.contains("Priority: must be from 1 to 5"),
            "on the message line: {screen}"
        );
        // Put right, it goes through.
        press_key(&mut app, db, KeyCode::Backspace, KeyModifiers::NONE);
        type_text(&mut app, db, "2");
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 100, 30));
        assert!(
            screen.contains("Cases (2) · filtered: priority 2 "),
            "{screen}"
        );
    }

    #[test]
    fn importance_open_cases_and_a_unit_with_the_units_below_it() {
        use diesel::prelude::*;
        let mut store = testing::store();
        store.add_work();
        let db = &mut store.db;
        let head = lookups::org_unit(db, None, "Head office").expect("a unit");
        let tehran = lookups::org_unit(db, Some(head), "Tehran sales").expect("a unit");
        let branch = lookups::org_unit(db, None, "Branch").expect("a unit");
        assert_eq!(
            lookups::org_units(db).expect("units"),
            [
                (branch, "Branch".to_string()),
                (head, "Head office".to_string()),
                (tehran, "Head office / Tehran sales".to_string()),
            ]
        );
        {
            use crate::db::schema::cases;
            crate::on_backend!(db, |c| diesel::update(
                cases::table.filter(cases::number.eq("1405-00017"))
            )
            .set(cases::org_unit_id.eq(Some(tehran)))
            .execute(c))
            .expect("a unit on a case");
        }
        let mut pane = Cases::new(store.actor.clone(), testing::fixed_now);
        pane.show(Rect::new(0, 0, 100, 22), db);
        let numbers = |pane: &mut Cases, db: &mut Db| {
            let mut found = Vec::new();
            pane.handle("list-top", db);
            while let Some(row) = pane.list.selected() {
                if found.contains(&row.number) {
                    break;
                }
                found.push(row.number.clone());
                pane.handle("list-down", db);
            }
            found
        };
        let filter = |pane: &mut Cases, db: &mut Db, values: Vec<(&'static str, FieldValue)>| {
            assert_eq!(pane.handle("filter", db), Effect::Done);
            assert!(pane.form().is_some());
            assert_eq!(pane.form_event(FormEvent::Save(values), db), Effect::Done);
            assert!(pane.form().is_none());
        };
        let choice = |v: &str| FieldValue::Choice(v.to_string());
        filter(&mut pane, db, vec![("importance", choice("high"))]);
        assert_eq!(numbers(&mut pane, db), ["1405-00060", "1405-00042"]);
        filter(&mut pane, db, vec![("open", choice("yes"))]);
        assert_eq!(
            numbers(&mut pane, db),
            ["1405-00051", "1405-00060", "1405-00042", "1405-00038"]
        );
        filter(&mut pane, db, vec![("unit", choice(&head.to_string()))]);
        assert_eq!(numbers(&mut pane, db), ["1405-00017"]);
        let screen = draw_pane(&mut pane, 100, 10).join("\n");
        assert!(
            screen.contains("Cases (1) · filtered: unit Head office "),
            "{screen}"
        );
        assert_eq!(pane.handle("back", db), Effect::Done);
        assert_eq!(numbers(&mut pane, db).len(), 6);
    }

    #[test]
    fn sort_says_the_one_order_and_moves_nothing() {
        let mut store = testing::store();
        let mut app = on_cases(&mut store);
        let db = &mut store.db;
        testing::press(&mut app, db, 'j');
        testing::press(&mut app, db, 's');
        let screen = testing::text(&testing::render(&mut app, 100, 30));
        assert!(
            screen.contains("Listed most urgent first: priority, then the next planned action."),
            "{screen}"
        );
        assert!(
            screen.contains("> 1405-00060"),
            "still the second row: {screen}"
        );
    }

    #[test]
    fn the_statuses_screen_opens_from_the_cases_and_esc_closes_it() {
        use crossterm::event::{KeyCode, KeyModifiers};
        use testing::{press, press_key, render, text};
        let mut store = testing::store();
        store.add_work();
        let mut app = store.app(100, 30, Theme::plain());
        let db = &mut store.db;
        press(&mut app, db, '3');
        press(&mut app, db, 'T');
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Case statuses"), "{screen}");
        assert!(screen.contains("-> "), "{screen}");
        press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Cases ("), "{screen}");
    }
}
