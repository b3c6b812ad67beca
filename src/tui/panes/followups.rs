//! The follow-up log across every case and complaint, newest first: when, about what, how, by
//! whom, how long, and what was said, cut to fit. A filter form narrows it to one expert, one kind
//! and a range of days; the frame's title says what the filter lets through, and `back` drops it.

use chrono::{NaiveDate, NaiveTime};
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Effect, Mode, Pane, PaneId};
use crate::db::Db;
use crate::domain::when;
use crate::error::Result;
use crate::store::followups::{self, FollowUpFilter, FollowUpKey, FollowUpRow};
use crate::store::lookups::List;
use crate::store::{names, users};
use crate::t;
use crate::tui::action::Context;
use crate::tui::format;
use crate::tui::forms::filter::any_of_list;
use crate::tui::forms::user_candidates;
use crate::tui::text::{clean, group_thousands};
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{FieldKind, FieldValue, Form, FormEvent, Values};
use crate::tui::widgets::list::{Column, ListWindow, Source, View, Width};

/// The follow-ups the filter lets through, newest first.
#[derive(Default)]
pub struct FollowUpSource {
    pub filter: FollowUpFilter,
}

impl Source for FollowUpSource {
    type Row = FollowUpRow;
    type Key = FollowUpKey;

    fn page(
        &self,
        db: &mut Db,
        after: Option<&FollowUpKey>,
        limit: i64,
    ) -> Result<Vec<FollowUpRow>> {
        followups::page(db, &self.filter, after, limit)
    }

    fn page_before(
        &self,
        db: &mut Db,
        before: &FollowUpKey,
        limit: i64,
    ) -> Result<Vec<FollowUpRow>> {
        followups::page_before(db, &self.filter, before, limit)
    }

    fn last_page(&self, db: &mut Db, limit: i64) -> Result<Vec<FollowUpRow>> {
        followups::last_page(db, &self.filter, limit)
    }

    fn count(&self, db: &mut Db) -> Result<i64> {
        followups::count(db, &self.filter)
    }

    fn key(row: &FollowUpRow) -> FollowUpKey {
        followups::key(row)
    }
}

pub struct FollowUps {
    list: ListWindow<FollowUpSource>,
    /// The filter form, while it is open.
    form: Option<Form>,
    /// The filter in words, for the title; empty when there is none.
    filter_text: String,
}

impl Default for FollowUps {
    fn default() -> Self {
        FollowUps::new()
    }
}

/// The first moment of `day` (UTC, as the store keeps times).
/// The start of `day` in local time, as the UTC time the store compares with: a day of the log
/// is a day on the user's clock.
fn midnight(day: NaiveDate) -> chrono::NaiveDateTime {
    when::to_utc(day.and_time(NaiveTime::MIN))
}

/// The local day a bound made by [`midnight`] starts.
fn day_of(bound: chrono::NaiveDateTime) -> NaiveDate {
    when::to_local(bound).date()
}

/// The date a value of a date field holds, if any.
fn date_of(values: &[(&'static str, FieldValue)], key: &str) -> Option<NaiveDate> {
    Values(values).date(key)
}

/// The filter in words, for the frame's title: `expert Sara Rahimi, from 2026-11-07`; empty
/// when it lets every follow-up through. The until day is the last day shown (the store's bound
/// is the midnight after it).
fn describe(db: &mut Db, filter: &FollowUpFilter) -> Result<String> {
    let mut parts = Vec::new();
    if let Some(id) = filter.expert_id {
        let name = users::get(db, id)?.display_name;
        parts.push(t!("filter.part.expert", name = clean(&name)));
    }
    if let Some(id) = filter.kind_id {
        let name = names::lookups(db, [id])?.remove(&id).unwrap_or_default();
        parts.push(t!("filter.part.kind", name = clean(&name)));
    }
    if let Some(from) = filter.from {
        parts.push(t!("filter.part.from", date = format::date(day_of(from))));
    }
    if let Some(until) = filter.until {
        let last = day_of(until).pred_opt().unwrap_or(day_of(until));
        parts.push(t!("filter.part.until", date = format::date(last)));
    }
    Ok(parts.join(&t!("filter.join")))
}

impl FollowUps {
    pub fn new() -> FollowUps {
        FollowUps {
            list: ListWindow::new(FollowUpSource::default()),
            form: None,
            filter_text: String::new(),
        }
    }

    /// The filter form, filled in with the filter in force.
    fn filter_form(&self, db: &mut Db) -> Result<Form> {
        let filter = &self.list.source().filter;
        let kinds = any_of_list(db, List::FollowupKind)?;
        let mut form = Form::new(t!("followups.filter.form"))
            .field("expert", t!("field.expert"), FieldKind::Lookup, false)
            .field("kind", t!("field.kind"), FieldKind::Choice(kinds), false)
            .field("from", t!("filter.label.from"), FieldKind::Date, false)
            .field("until", t!("filter.label.until"), FieldKind::Date, false);
        if let Some(id) = filter.expert_id {
            let expert = users::get(db, id)?;
            form.set_lookup("expert", id, &clean(&expert.display_name));
        }
        form.set_value(
            "kind",
            &filter.kind_id.map(|id| id.to_string()).unwrap_or_default(),
        );
        if let Some(from) = filter.from {
            form.set_value("from", &format::date(day_of(from)));
        }
        if let Some(until) = filter.until {
            let last = day_of(until).pred_opt().unwrap_or(day_of(until));
            form.set_value("until", &format::date(last));
        }
        Ok(form)
    }

    /// Puts the filter form's values in force, or marks what is wrong.
    fn save_filter(&mut self, db: &mut Db, values: &[(&'static str, FieldValue)]) -> Effect {
        let from = date_of(values, "from");
        let until = date_of(values, "until");
        if let (Some(from), Some(until)) = (from, until)
            && until < from
        {
            if let Some(form) = self.form.as_mut() {
                form.set_error("until", t!("filter.until-before-from"));
                form.focus_on("until");
            }
            return Effect::Error(t!(
                "error.invalid",
                field = t!("filter.label.until"),
                reason = t!("filter.until-before-from")
            ));
        }
        let filter = FollowUpFilter {
            expert_id: Values(values).lookup("expert"),
            kind_id: Values(values).choice_id("kind"),
            from: from.map(midnight),
            // The store's bound is exclusive: the midnight after the last day shown.
            until: until.map(|d| midnight(d.succ_opt().unwrap_or(d))),
            case_id: self.list.source().filter.case_id,
        };
        match describe(db, &filter) {
            Ok(text) => self.filter_text = text,
            Err(e) => return Effect::Error(e.to_string()),
        }
        self.list.source_mut().filter = filter;
        self.form = None;
        self.list.reset(db)
    }
}

/// The log's columns; what was said takes what the others leave, and on a narrow screen the
/// expert gives up its room to it.
fn columns<'a>() -> Vec<Column<'a, FollowUpRow>> {
    vec![
        Column::new(
            t!("followups.col.when"),
            Width::Fixed(16),
            |r: &FollowUpRow| format::date_time(r.happened_at),
        ),
        Column::new(
            t!("followups.col.subject"),
            Width::Fixed(12),
            |r: &FollowUpRow| r.subject.clone(),
        ),
        Column::new(
            t!("followups.col.kind"),
            Width::Share {
                weight: 1,
                min: 10,
                max: 14,
            },
            |r: &FollowUpRow| r.kind.clone(),
        ),
        Column::new(
            t!("followups.col.expert"),
            Width::Share {
                weight: 1,
                min: 6,
                max: 12,
            },
            |r: &FollowUpRow| r.expert.clone(),
        )
        .drops(1),
        Column::new(
            t!("followups.col.minutes"),
            Width::Fixed(format::minutes_cells()),
            |r: &FollowUpRow| format::minutes(r.minutes),
        )
        .right(),
        Column::new(
            t!("followups.col.description"),
            Width::share(4, 24),
            |r: &FollowUpRow| r.description.clone(),
        ),
    ]
}

impl Pane for FollowUps {
    fn id(&self) -> PaneId {
        PaneId::Followups
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Pane(PaneId::Followups), Context::List]
    }

    fn hints(&self) -> &'static [&'static [&'static str]] {
        super::LIST_HINTS
    }

    fn show(&mut self, area: Rect, db: &mut Db) -> Effect {
        self.list.show(area, db)
    }

    fn handle(&mut self, action: &str, db: &mut Db) -> Effect {
        match action {
            "filter" => match self.filter_form(db) {
                Ok(form) => {
                    self.form = Some(form);
                    Effect::Done
                }
                Err(e) => Effect::Error(e.to_string()),
            },
            // The store keeps one order, the newest first: say so rather than pretend.
            "sort" => Effect::Message(t!("followups.sorted")),
            "back" if self.list.source().filter != FollowUpFilter::default() => {
                self.list.source_mut().filter = FollowUpFilter::default();
                self.filter_text.clear();
                self.list.reset(db)
            }
            _ => self.list.handle(action, db),
        }
    }

    fn mode(&self) -> Mode {
        if self.form.is_some() {
            Mode::Form
        } else {
            Mode::Normal
        }
    }

    fn active_form(&mut self) -> Option<&mut Form> {
        self.form.as_mut()
    }

    /// What the filter form asked for: save, cancel, or candidates for the expert.
    fn form_event(&mut self, event: FormEvent, db: &mut Db) -> Effect {
        match event {
            FormEvent::None | FormEvent::Chosen { .. } => Effect::Done,
            FormEvent::Cancel => {
                self.form = None;
                Effect::Done
            }
            FormEvent::Search { field, query } => {
                let found = users::experts(db).map(|all| user_candidates(all, &query));
                super::offer(self.form.as_mut(), field, found)
            }
            FormEvent::Save(values) => self.save_filter(db, &values),
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let mut title = t!(
            "followups.title",
            count = group_thousands(self.list.total())
        );
        if !self.filter_text.is_empty() {
            title = t!("filter.title", title = title, what = &self.filter_text);
        }
        let view = View {
            title,
            above: Vec::new(),
            columns: columns(),
            empty: if self.list.source().filter == FollowUpFilter::default() {
                t!("followups.empty")
            } else {
                t!("filter.none-match")
            },
        };
        self.list.render(frame, area, view, theme);
        if let Some(form) = self.form.as_mut() {
            form.render_over(frame, area);
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;

    use crate::tui::panes::{Effect, Pane};
    use crate::tui::theme::Theme;

    use super::*;
    use crate::tui::testing::{self, draw_pane};

    #[test]
    fn the_log_runs_newest_first() {
        let mut store = testing::store();
        store.add_work();
        let mut pane = FollowUps::new();
        assert_eq!(
            pane.show(Rect::new(0, 0, 80, 22), &mut store.db),
            Effect::Done
        );
        let first = pane.list.selected().cloned().expect("a row");
        assert_eq!(first.description, "Confirmed the delivery address.");
        assert_eq!(first.subject, "1405-00051");
        assert_eq!(pane.handle("list-down", &mut store.db), Effect::Done);
        let second = pane.list.selected().cloned().expect("a row");
        assert!(second.happened_at < first.happened_at);
        assert_eq!(pane.handle("list-bottom", &mut store.db), Effect::Done);
        let last = pane.list.selected().cloned().expect("a row");
        assert_eq!(last.description, "Sent the price list.");
        // A complaint's follow-up names the complaint.
        let screen = draw_pane(&mut pane, 120, 22).join("\n");
        assert!(screen.contains("C-1405-00107"), "{screen}");
        assert!(screen.contains("Phone call"), "{screen}");
        assert!(screen.contains("60m"), "{screen}");
    }

    #[test]
    fn an_empty_log_says_what_would_be_here() {
        let mut store = testing::store();
        let mut pane = FollowUps::new();
        pane.show(Rect::new(0, 0, 80, 22), &mut store.db);
        let screen = draw_pane(&mut pane, 80, 22).join("\n");
        assert!(screen.contains("Follow-ups (0)"), "{screen}");
        assert!(screen.contains("peygir demo"), "{screen}");
    }

    #[test]
    fn the_log_at_80x24_and_120x40() {
        let mut store = testing::store();
        store.add_work();
        for (width, height) in [(80, 24), (120, 40)] {
            let mut app = store.app(width, height, Theme::plain());
            testing::press(&mut app, &mut store.db, '4');
            let screen = testing::text(&testing::render(&mut app, width, height));
            insta::assert_snapshot!(format!("followups_{width}x{height}"), screen);
        }
    }

    /// The app on the follow-up log of the working store, 100 x 30.
    fn on_the_log(store: &mut testing::Store) -> crate::tui::app::App {
        store.add_work();
        let mut app = store.app(100, 30, Theme::plain());
        testing::press(&mut app, &mut store.db, '4');
        app
    }

    #[test]
    fn the_log_filters_by_expert_and_kind_and_back_drops_the_filter() {
        use crossterm::event::{KeyCode, KeyModifiers};
        use testing::{press, press_key, render, text, type_text};
        let mut store = testing::store();
        let mut app = on_the_log(&mut store);
        let db = &mut store.db;
        press(&mut app, db, 'f');
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Filter follow-ups"), "{screen}");
        type_text(&mut app, db, "sara");
        press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 100, 30));
        assert!(
            screen.contains("Follow-ups (2) · filtered: expert Sara Rahimi "),
            "{screen}"
        );
        for (text, shown) in [
            ("Visited the factory", true),
            ("Customer sent photos", true),
            ("Confirmed the delivery", false),
            ("Sent the price list.", false),
        ] {
            assert_eq!(screen.contains(text), shown, "{text} in\n{screen}");
        }
        // The form shows Sara; a kind narrows further: her visit.
        press(&mut app, db, 'f');
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Sara Rahimi"), "{screen}");
        press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        type_text(&mut app, db, "v");
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 100, 30));
        assert!(
            screen.contains("Follow-ups (1) · filtered: expert Sara Rahimi, kind Visit "),
            "{screen}"
        );
        assert!(screen.contains("Visited the factory"), "{screen}");
        assert!(!screen.contains("Customer sent photos"), "{screen}");
        press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Follow-ups (6) "), "{screen}");
        assert!(!screen.contains("filtered"), "{screen}");
    }

    #[test]
    fn the_log_filters_by_a_range_of_days_the_last_one_included() {
        use crossterm::event::{KeyCode, KeyModifiers};
        use testing::{press, press_key, render, text, type_text};
        let mut store = testing::store();
        let mut app = on_the_log(&mut store);
        let db = &mut store.db;
        press(&mut app, db, 'f');
        press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        type_text(&mut app, db, "2026-11-07");
        press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        type_text(&mut app, db, "2026-11-09");
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 100, 30));
        assert!(
            screen.contains("Follow-ups (3) · filtered: from 2026-11-07, until 2026-11-09 "),
            "{screen}"
        );
        for (when, shown) in [
            ("2026-11-10 09:00", false),
            ("2026-11-09 06:30", true),
            ("2026-11-08 10:10", true),
            ("2026-11-07 10:30", true),
            ("2026-11-02 09:30", false),
        ] {
            assert_eq!(screen.contains(when), shown, "{when} in\n{screen}");
        }
        // The form shows the days as typed (the last one, not the store's bound after it).
        press(&mut app, db, 'f');
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("2026-11-07"), "{screen}");
        assert!(screen.contains("2026-11-09"), "{screen}");
        assert!(!screen.contains("2026-11-10"), "{screen}");
        // An until day before the from day is refused, and the form keeps what was typed.
        press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        for _ in 0..10 {
            press_key(&mut app, db, KeyCode::Backspace, KeyModifiers::NONE);
        }
        type_text(&mut app, db, "2026-11-01");
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("! is before the from day"), "{screen}");
        assert!(screen.contains("2026-11-01"), "{screen}");
        // A single day: from and until the same.
        for _ in 0..10 {
            press_key(&mut app, db, KeyCode::Backspace, KeyModifiers::NONE);
        }
        type_text(&mut app, db, "2026-11-07");
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 100, 30));
        assert!(screen.contains("Follow-ups (1) "), "{screen}");
        assert!(screen.contains("Customer sent photos"), "{screen}");
        // Nothing in range says so, not that the store is empty.
        press(&mut app, db, 'f');
        press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        for _ in 0..10 {
            press_key(&mut app, db, KeyCode::Backspace, KeyModifiers::NONE);
        }
        type_text(&mut app, db, "2027-01-01");
        press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        for _ in 0..10 {
            press_key(&mut app, db, KeyCode::Backspace, KeyModifiers::NONE);
        }
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 100, 30));
        assert!(
            screen.contains("Follow-ups (0) · filtered: from 2027-01-01 "),
            "{screen}"
        );
        assert!(
            screen.contains("Nothing matches the search and filter chosen."),
            "{screen}"
        );
    }

    #[test]
    fn sort_says_the_log_runs_newest_first() {
        let mut store = testing::store();
        store.add_work();
        let mut pane = FollowUps::new();
        pane.show(Rect::new(0, 0, 80, 22), &mut store.db);
        assert_eq!(
            pane.handle("sort", &mut store.db),
            Effect::Message("The log is listed newest first.".to_string())
        );
        assert_eq!(pane.handle("back", &mut store.db), Effect::Ignored);
    }
}
