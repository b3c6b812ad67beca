//! The Plans pane: the sales plans, the latest period first, and under them the selected plan's
//! report: target, actual, attainment, gap and pace per product group, region, expert or
//! period (`g b` switches), a bar for each group, drill-down from a group into its parts
//! (`enter`, back with `esc`), the other market's plan of the same period beside it (`m`), and
//! the report exported to xlsx or CSV (`x`). `n` makes a plan with its first line, `e` edits the
//! selected plan's fields, `a` adds a line to it (the forms are in `form.rs`).

mod form;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Row, Table};

use super::{Clock, Effect, Mode, Pane, PaneId};
use crate::db::Db;
use crate::db::ids::SalesPlanId;
use crate::error::Result;
use crate::report::plan_vs_actual::{self as plan_report, By, Figures, Key, PlanReport};
use crate::store::Actor;
use crate::store::plans::{self, PlanKey, PlanRow};
use crate::t;
use crate::tui::action::Context;
use crate::tui::format;
use crate::tui::forms::export;
use crate::tui::text::{cells, clean, fit, group_thousands};
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Form, FormEvent, Values};
use crate::tui::widgets::list::{Column, ListWindow, Source, View, Width};

/// Rows the plan list keeps above the report (its borders and header included).
const LIST_HEIGHT: u16 = 8;
/// The width of a bar.
const BAR_WIDTH: usize = 12;
/// The width of a percentage column: `1,250%`.
const PERCENT_WIDTH: usize = 7;
/// Every sales plan, the latest start first.
pub struct PlanSource;

impl Source for PlanSource {
    type Row = PlanRow;
    type Key = PlanKey;

    fn page(&self, db: &mut Db, after: Option<&PlanKey>, limit: i64) -> Result<Vec<PlanRow>> {
        plans::page(db, after, limit)
    }

    fn page_before(&self, db: &mut Db, before: &PlanKey, limit: i64) -> Result<Vec<PlanRow>> {
        plans::page_before(db, before, limit)
    }

    fn last_page(&self, db: &mut Db, limit: i64) -> Result<Vec<PlanRow>> {
        plans::last_page(db, limit)
    }

    fn count(&self, db: &mut Db) -> Result<i64> {
        plans::count(db)
    }

    fn key(row: &PlanRow) -> PlanKey {
        plans::key(row)
    }
}

/// Which half of the pane the list keys move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Focus {
    Plans,
    Report,
}

/// The report on screen, with the plan it was read for.
struct Shown {
    plan: PlanKey,
    report: PlanReport,
    /// The other market's plan of the same period, when asked for and there is one.
    beside: Option<PlanReport>,
}

pub struct Plans {
    list: ListWindow<PlanSource>,
    clock: Clock,
    focus: Focus,
    by: By,
    /// The groups drilled into, outermost first.
    within: Vec<Key>,
    /// Whether to show the other market's plan beside.
    beside: bool,
    shown: Option<Shown>,
    /// The selected group of the report.
    row: usize,
    /// The open form and what it is for.
    form: Option<(form::Purpose, Form)>,
    actor: Actor,
}

impl Plans {
    pub fn new(actor: Actor, clock: Clock) -> Plans {
        Plans {
            list: ListWindow::new(PlanSource),
            clock,
            focus: Focus::Plans,
            by: By::Product,
            within: Vec::new(),
            beside: false,
            shown: None,
            row: 0,
            form: None,
            actor,
        }
    }

    fn open_form(&mut self, form: Form, purpose: form::Purpose) -> Effect {
        self.form = Some((purpose, form));
        Effect::Done
    }

    /// After plan `id` was saved: the list and the report read again.
    fn after_save(&mut self, db: &mut Db, id: SalesPlanId) {
        let _ = self.list.reload_now(db);
        self.list.select_where(|p| p.id == id);
        let _ = self.read_report(db, true);
    }

    fn today(&self) -> NaiveDate {
        crate::domain::when::to_local((self.clock)()).date()
    }

    /// The list above, the report below.
    fn split(area: Rect) -> [Rect; 2] {
        Layout::vertical([Constraint::Length(LIST_HEIGHT), Constraint::Fill(1)]).areas(area)
    }

    /// Reads the selected plan's report, unless it is the one held and `again` is false.
    fn read_report(&mut self, db: &mut Db, again: bool) -> Effect {
        let Some(plan) = self.list.selected() else {
            self.shown = None;
            return Effect::Done;
        };
        let key = plans::key(plan);
        if !again && self.shown.as_ref().is_some_and(|s| s.plan == key) {
            return Effect::Done;
        }
        if self.shown.as_ref().is_some_and(|s| s.plan != key) {
            // Another plan: its groups are its own.
            self.within.clear();
            self.row = 0;
        }
        let today = self.today();
        let read = |db: &mut Db| -> Result<Shown> {
            let report = plan_report::compute(db, key.1, self.by, &self.within, today)?;
            let beside = match self.beside {
                true => match plan_report::companion(db, &report.plan)? {
                    Some(other) => Some(plan_report::compute(
                        db,
                        other.id,
                        self.by,
                        &self.within,
                        today,
                    )?),
                    None => None,
                },
                false => None,
            };
            Ok(Shown {
                plan: key,
                report,
                beside,
            })
        };
        match read(db) {
            Ok(shown) => {
                self.row = self.row.min(shown.report.groups.len().saturating_sub(1));
                self.shown = Some(shown);
                Effect::Done
            }
            Err(e) => {
                self.shown = None;
                Effect::Error(e.to_string())
            }
        }
    }

    /// The report's rows as the table shows them: each group with its figures and, beside, the
    /// other market's.
    fn rows(shown: &Shown) -> Vec<(String, Option<Figures>, Option<Figures>)> {
        let date = format::date;
        match &shown.beside {
            Some(other) => plan_report::side_by_side(&shown.report, other)
                .into_iter()
                .map(|p| {
                    let name = plan_report::Group {
                        key: p.key,
                        name: p.name,
                        figures: Figures::default(),
                    }
                    .label(date);
                    (name, p.left, p.right)
                })
                .collect(),
            None => shown
                .report
                .groups
                .iter()
                .map(|g| (g.label(date), Some(g.figures), None))
                .collect(),
        }
    }

    /// Drills into the selected group: its parts by the next dimension not fixed yet.
    fn drill(&mut self, db: &mut Db) -> Effect {
        let Some(shown) = &self.shown else {
            return Effect::Ignored;
        };
        if self.within.len() + 1 >= By::ALL.len() {
            return Effect::Message(t!("plans.report.deepest"));
        }
        let Some(key) = Plans::rows(shown)
            .get(self.row)
            .and_then(|_| Self::key_at(shown, self.row))
        else {
            return Effect::Ignored;
        };
        self.within.push(key);
        self.by = self.by.next(&self.within);
        self.row = 0;
        self.read_report(db, true)
    }

    fn key_at(shown: &Shown, row: usize) -> Option<Key> {
        match &shown.beside {
            Some(other) => plan_report::side_by_side(&shown.report, other)
                .get(row)
                .map(|p| p.key),
            None => shown.report.groups.get(row).map(|g| g.key),
        }
    }

    /// Up one level of drill-down, or back to the plan list from the top.
    fn up(&mut self, db: &mut Db) -> Effect {
        match self.within.pop() {
            Some(key) => {
                self.by = key.by();
                self.row = 0;
                self.read_report(db, true)
            }
            None => {
                self.focus = Focus::Plans;
                Effect::Done
            }
        }
    }

    /// Asks where to write the report on screen.
    fn open_export(&mut self) -> Effect {
        let Some(shown) = &self.shown else {
            return Effect::Message(t!("plans.none-selected"));
        };
        let name = format!(
            "peygir-plan-{}-{}.xlsx",
            export::file_part(&shown.report.plan.name),
            self.by.as_str()
        );
        self.open_form(
            export::form(t!("plans.form.export"), &name),
            form::Purpose::Export,
        )
    }

    /// Writes the report to the file the form names, in the format of its extension.
    fn save_export(&self, values: Values) -> Result<String> {
        let Some(shown) = &self.shown else {
            return Err(export::refused(t!("plans.none-selected")));
        };
        let table = plan_report::table(&shown.report, shown.beside.as_ref(), format::date);
        export::write_table(&table, values)
    }

    fn draw_report(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let Some(shown) = &self.shown else {
            return;
        };
        let report = &shown.report;
        let mut path = clean(&report.plan.name);
        for name in &report.path {
            path.push_str(" › ");
            path.push_str(&clean(name));
        }
        let title = t!(
            "plans.report.title",
            plan = path,
            by = report.by.name(),
            today = format::date(report.today)
        );
        let room = usize::from(area.width.saturating_sub(4));
        let focused = self.focus == Focus::Report;
        let block = Block::bordered()
            .border_style(if focused {
                theme.pane_title()
            } else {
                Style::default()
            })
            .title(Line::styled(
                format!(" {} ", fit(&title, room)),
                theme.pane_title(),
            ));
        let inner = block.inner(area).inner(Margin::new(1, 0));
        frame.render_widget(block, area);
        let [table_area, note_area] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
        let rows = Plans::rows(shown);
        let wide = inner.width >= 110;
        let amount_width = rows
            .iter()
            .flat_map(|(_, l, r)| [l, r])
            .flatten()
            .chain([&report.total])
            .map(|f| cells(&group_thousands(f.target)).max(cells(&group_thousands(f.actual))))
            .max()
            .unwrap_or(1)
            .max(6);
        // Figures read right-aligned, each padded to its column.
        let money = |n: i64| right(group_thousands(n), amount_width);
        let percent = |p: Option<f64>| {
            right(
                p.map_or(String::new(), |p| {
                    t!(
                        "plans.report.share",
                        percent = group_thousands(p.round() as i64)
                    )
                }),
                PERCENT_WIDTH,
            )
        };
        let amount_heading = |text: String| right(text, amount_width);
        let percent_heading = |text: String| right(text, PERCENT_WIDTH);
        let mut header = vec![
            report.by.heading(),
            String::new(),
            amount_heading(t!("report.col.target")),
            amount_heading(t!("report.col.actual")),
            percent_heading(t!("plans.report.percent")),
        ];
        if let Some(other) = &shown.beside {
            let market = format::market(&other.plan.market);
            header.extend([
                amount_heading(t!("report.col.other-target", market = market.as_str())),
                amount_heading(t!("report.col.other-actual", market = market.as_str())),
                percent_heading(t!("plans.report.percent")),
            ]);
        } else if wide {
            header.extend([
                amount_heading(t!("report.col.gap")),
                percent_heading(t!("report.col.pace")),
            ]);
        }
        let line = |name: String, f: Option<&Figures>, other: Option<Option<&Figures>>| {
            let mut cells_: Vec<String> = vec![name];
            match f {
                Some(f) => cells_.extend([
                    bar(f),
                    money(f.target),
                    money(f.actual),
                    percent(f.attainment()),
                ]),
                None => cells_.extend([String::new(), String::new(), String::new(), String::new()]),
            }
            match other {
                Some(Some(o)) => {
                    cells_.extend([money(o.target), money(o.actual), percent(o.attainment())])
                }
                Some(None) => cells_.extend([String::new(), String::new(), String::new()]),
                None if wide => cells_.extend(match f {
                    Some(f) => [money(f.gap()), percent(f.pace())],
                    None => [String::new(), String::new()],
                }),
                None => {}
            }
            cells_
        };
        let mut table_rows: Vec<Row> = rows
            .iter()
            .enumerate()
            .map(|(i, (name, l, r))| {
                let row = Row::new(line(
                    clean(name),
                    l.as_ref(),
                    shown.beside.as_ref().map(|_| r.as_ref()),
                ));
                if focused && i == self.row {
                    row.style(theme.selected())
                } else {
                    row
                }
            })
            .collect();
        if report.outside_lines != Figures::default() {
            let outside = &report.outside_lines;
            let mut cells_ = vec![
                t!("report.outside-lines"),
                String::new(),
                String::new(),
                money(outside.actual),
            ];
            cells_.resize(header.len(), String::new());
            table_rows.push(Row::new(cells_).style(theme.note()));
        }
        table_rows.push(
            Row::new(line(
                t!("report.total"),
                Some(&report.total),
                shown.beside.as_ref().map(|o| Some(&o.total)),
            ))
            .style(theme.header()),
        );
        let amount = u16::try_from(amount_width).unwrap_or(u16::MAX);
        let mut widths = vec![
            Constraint::Fill(1),
            Constraint::Length(BAR_WIDTH as u16),
            Constraint::Length(amount),
            Constraint::Length(amount),
            Constraint::Length(PERCENT_WIDTH as u16),
        ];
        if shown.beside.is_some() {
            widths.extend([
                Constraint::Length(amount),
                Constraint::Length(amount),
                Constraint::Length(PERCENT_WIDTH as u16),
            ]);
        } else if wide {
            widths.extend([
                Constraint::Length(amount),
                Constraint::Length(PERCENT_WIDTH as u16),
            ]);
        }
        frame.render_widget(
            Table::new(table_rows, widths)
                .header(Row::new(header).style(theme.header()))
                .column_spacing(1),
            table_area,
        );
        let note = if rows.is_empty() {
            t!("plans.report.empty")
        } else {
            t!("plans.report.note")
        };
        frame.render_widget(
            Paragraph::new(fit(&note, usize::from(note_area.width))).style(theme.note()),
            note_area,
        );
    }
}

/// `text` padded on the left to `width` cells.
fn right(text: String, width: usize) -> String {
    format!("{}{text}", " ".repeat(width.saturating_sub(cells(&text))))
}

/// A group's attainment as a bar: filled to the share of the target sold (full at 100 % or
/// more), with a mark where the sales should be by today.
fn bar(f: &Figures) -> String {
    if f.target <= 0 {
        return String::new();
    }
    let share = |n: i64| {
        let cells = i128::from(n.max(0)) * BAR_WIDTH as i128 / i128::from(f.target);
        usize::try_from(cells).unwrap_or(usize::MAX).min(BAR_WIDTH)
    };
    let filled = share(f.actual);
    let due = share(f.due_by_today).min(BAR_WIDTH - 1);
    (0..BAR_WIDTH)
        .map(|i| match (i < filled, i == due && f.due_by_today > 0) {
            (_, true) if i >= filled => '┃',
            (true, _) => '█',
            _ => '░',
        })
        .collect()
}

/// The list's columns.
fn columns<'a>() -> Vec<Column<'a, PlanRow>> {
    let widest = |words: [String; 2]| words.iter().map(|w| cells(w)).max().unwrap_or(0);
    vec![
        Column::new(t!("plans.col.name"), Width::share(1, 12), |r: &PlanRow| {
            r.name.clone()
        }),
        Column::new(
            t!("plans.col.market"),
            Width::Fixed(widest([format::market("b2b"), format::market("b2c")])),
            |r: &PlanRow| format::market(&r.market),
        ),
        Column::new(
            t!("plans.col.term"),
            Width::Fixed(widest([format::term("long"), format::term("short")])),
            |r: &PlanRow| format::term(&r.term),
        ),
        Column::new(t!("plans.col.period"), Width::Fixed(24), |r: &PlanRow| {
            format::period(r.starts_on, r.ends_on)
        }),
    ]
}

impl Pane for Plans {
    fn id(&self) -> PaneId {
        PaneId::Plans
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Pane(PaneId::Plans), Context::List]
    }

    fn hints(&self) -> &'static [&'static [&'static str]] {
        &[
            &["list-down", "list-up"],
            &["open"],
            &["back"],
            &["plan-group-by"],
            &["plan-beside"],
            &["new", "edit", "plan-line-add"],
            &["export"],
        ]
    }

    fn mode(&self) -> Mode {
        if self.form.is_some() {
            Mode::Form
        } else {
            Mode::Normal
        }
    }

    fn show(&mut self, area: Rect, db: &mut Db) -> Effect {
        let [list, _] = Self::split(area);
        match self.list.show(list, db) {
            Effect::Done => self.read_report(db, true),
            other => other,
        }
    }

    fn handle(&mut self, action: &str, db: &mut Db) -> Effect {
        match (action, self.focus) {
            ("plan-group-by", _) => {
                self.by = self.by.next(&self.within);
                self.row = 0;
                self.read_report(db, true)
            }
            ("plan-beside", _) => {
                self.beside = !self.beside;
                let effect = self.read_report(db, true);
                match &self.shown {
                    Some(shown) if self.beside && shown.beside.is_none() => {
                        Effect::Message(t!("plans.report.no-companion"))
                    }
                    _ => effect,
                }
            }
            ("export", _) => self.open_export(),
            ("new", _) => self.open_new(db),
            ("edit", _) => self.open_edit(db),
            ("plan-line-add", _) => self.open_line(db),
            ("refresh", _) => self.read_report(db, true),
            ("open", Focus::Plans) if self.shown.is_some() => {
                self.focus = Focus::Report;
                Effect::Done
            }
            ("open", Focus::Report) => self.drill(db),
            ("back", Focus::Report) => self.up(db),
            (_, Focus::Report) => {
                let count = self.shown.as_ref().map_or(0, |s| Plans::rows(s).len());
                let last = count.saturating_sub(1);
                self.row = match action {
                    "list-down" => (self.row + 1).min(last),
                    "list-up" => self.row.saturating_sub(1),
                    "list-top" => 0,
                    "list-bottom" => last,
                    _ => return Effect::Ignored,
                };
                Effect::Done
            }
            (_, Focus::Plans) => match self.list.handle(action, db) {
                Effect::Done => self.read_report(db, false),
                other => other,
            },
        }
    }

    fn active_form(&mut self) -> Option<&mut Form> {
        self.form.as_mut().map(|(_, form)| form)
    }

    fn form_event(&mut self, event: FormEvent, db: &mut Db) -> Effect {
        match event {
            FormEvent::Cancel => {
                self.form = None;
                Effect::Done
            }
            FormEvent::Save(values) => self.save_form(db, values),
            _ => Effect::Ignored,
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let view = View {
            title: t!("plans.title", count = group_thousands(self.list.total())),
            above: Vec::new(),
            columns: columns(),
            empty: t!("plans.empty"),
        };
        if self.list.selected().is_none() {
            self.list.render(frame, area, view, theme);
        } else {
            let [list, report] = Self::split(area);
            self.list.render(frame, list, view, theme);
            self.draw_report(frame, report, theme);
        }
        if let Some((_, form)) = &mut self.form {
            form.render_over(frame, area);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::testing::{self, draw_pane, fixed_now};
    use crate::tui::widgets::form::FieldValue;

    fn totals(pane: &Plans) -> Option<(i64, i64)> {
        pane.shown
            .as_ref()
            .map(|s| (s.report.total.target, s.report.total.actual))
    }

    fn name(pane: &Plans) -> Option<String> {
        pane.list.selected().map(|p| p.name.clone())
    }

    #[test]
    fn the_selected_plan_shows_its_report() {
        let mut store = testing::store();
        store.add_work();
        let mut pane = Plans::new(store.actor.clone(), fixed_now);
        assert_eq!(
            pane.show(Rect::new(0, 0, 100, 24), &mut store.db),
            Effect::Done
        );
        // The latest start first; the same start in the order plans were made, the last first.
        assert_eq!(name(&pane).as_deref(), Some("1405 H2 retail"));
        assert_eq!(totals(&pane), Some((400_000_000, 75_000_000)));
        pane.handle("list-down", &mut store.db);
        assert_eq!(name(&pane).as_deref(), Some("1405 H2"));
        assert_eq!(totals(&pane), Some((2_300_000_000, 1_310_000_000)));
        let screen = draw_pane(&mut pane, 100, 24).join("\n");
        for text in [
            "2,300,000,000",
            "1,310,000,000",
            "57%",
            "B2B",
            "short term",
            "All product groups",
            "pace at 2026-11-10",
        ] {
            assert!(screen.contains(text), "{text} in\n{screen}");
        }
        pane.handle("list-down", &mut store.db);
        assert_eq!(name(&pane).as_deref(), Some("1405"));
        assert_eq!(totals(&pane), Some((4_000_000_000, 2_310_000_000)));
        pane.handle("list-bottom", &mut store.db);
        assert_eq!(name(&pane).as_deref(), Some("1404 H2"));
        assert_eq!(totals(&pane), Some((2_000_000_000, 1_500_000_000)));
    }

    #[test]
    fn the_report_regroups_drills_down_and_shows_the_other_market_beside() {
        let mut store = testing::store();
        store.add_work();
        let mut pane = Plans::new(store.actor.clone(), fixed_now);
        pane.show(Rect::new(0, 0, 100, 24), &mut store.db);
        pane.handle("list-down", &mut store.db);
        assert_eq!(pane.handle("open", &mut store.db), Effect::Done);
        assert_eq!(pane.focus, Focus::Report);
        pane.handle("plan-group-by", &mut store.db);
        assert_eq!(pane.by, By::Region);
        // Drilling into "all regions" lists its parts by expert.
        assert_eq!(pane.handle("open", &mut store.db), Effect::Done);
        assert_eq!(pane.within, [Key::Region(None)]);
        assert_eq!(pane.by, By::Expert);
        assert_eq!(totals(&pane), Some((2_300_000_000, 1_310_000_000)));
        let screen = draw_pane(&mut pane, 100, 24).join("\n");
        assert!(
            screen.contains("1405 H2 › All regions by expert"),
            "{screen}"
        );
        pane.handle("back", &mut store.db);
        assert_eq!((pane.by, pane.within.len()), (By::Region, 0));
        // The B2C plan of the same half year stands beside.
        pane.handle("plan-beside", &mut store.db);
        let screen = draw_pane(&mut pane, 100, 24).join("\n");
        assert!(screen.contains("B2C target"), "{screen}");
        assert!(screen.contains("400,000,000"), "{screen}");
        pane.handle("back", &mut store.db);
        assert_eq!(pane.focus, Focus::Plans);
    }

    /// A form's values as a save hands them over.
    fn filled(pairs: &[(&'static str, FieldValue)]) -> FormEvent {
        FormEvent::Save(pairs.to_vec())
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a day")
    }

    #[test]
    fn a_plan_is_made_split_by_month_and_given_lines_in_the_pane() {
        let mut store = testing::store();
        store.add_work();
        let mut pane = Plans::new(store.actor.clone(), fixed_now);
        pane.show(Rect::new(0, 0, 100, 24), &mut store.db);
        pane.handle("new", &mut store.db);
        assert_eq!(pane.mode(), Mode::Form);
        let plan = [
            ("plan-name", FieldValue::Text("Winter push".into())),
            ("market", FieldValue::Choice("b2b".into())),
            ("term", FieldValue::Choice("short".into())),
            ("starts-on", FieldValue::Date(day(2026, 12, 1))),
            ("ends-on", FieldValue::Date(day(2027, 2, 28))),
            ("split", FieldValue::Choice("month".into())),
            ("notes", FieldValue::Empty),
        ];
        let all_groups = [
            ("product-group", FieldValue::Choice(String::new())),
            ("region", FieldValue::Choice(String::new())),
            ("expert", FieldValue::Choice(store.actor.id.to_string())),
            ("amount", FieldValue::Whole(900)),
            ("quantity", FieldValue::Empty),
        ];
        let effect = pane.form_event(
            filled(&[&plan[..], &all_groups[..]].concat()),
            &mut store.db,
        );
        assert_eq!(
            effect,
            Effect::Message("Saved the plan Winter push.".into())
        );
        assert_eq!(pane.mode(), Mode::Normal);
        let made = plans::by_name(&mut store.db, "Winter push")
            .expect("read")
            .expect("the plan");
        let lines = plans::lines_of(&mut store.db, made.id).expect("lines");
        // Gregorian months: December, January, February, the target shared by their days.
        let periods: Vec<_> = lines.iter().map(|l| (l.period, l.target_amount)).collect();
        assert_eq!(
            periods,
            [
                (Some((day(2026, 12, 1), day(2026, 12, 31))), 310),
                (Some((day(2027, 1, 1), day(2027, 1, 31))), 310),
                (Some((day(2027, 2, 1), day(2027, 2, 28))), 280),
            ]
        );
        assert_eq!(name(&pane).as_deref(), Some("Winter push"));
        // A second line for the same expert counts the same sales: refused beside its amount,
        // what was typed kept.
        pane.handle("plan-line-add", &mut store.db);
        let effect = pane.form_event(filled(&all_groups), &mut store.db);
        assert_eq!(effect, Effect::Done);
        assert_eq!(pane.mode(), Mode::Form);
        let screen = draw_pane(&mut pane, 100, 24).join("\n");
        assert!(screen.contains("counts the same sales"), "{screen}");
        pane.form_event(FormEvent::Cancel, &mut store.db);
        // Another expert's line goes in.
        let ali = crate::store::users::insert_user(
            &mut store.db,
            "ali.plan",
            "Ali Planner",
            crate::store::Role::Agent,
            None,
        )
        .expect("ali");
        pane.handle("plan-line-add", &mut store.db);
        let other = [
            ("product-group", FieldValue::Choice(String::new())),
            ("region", FieldValue::Choice(String::new())),
            ("expert", FieldValue::Choice(ali.to_string())),
            ("amount", FieldValue::Whole(100)),
            ("quantity", FieldValue::Whole(4)),
        ];
        assert_eq!(
            pane.form_event(filled(&other), &mut store.db),
            Effect::Message("Saved the plan Winter push.".into())
        );
        assert_eq!(totals(&pane), Some((1_000, 0)));
    }

    #[test]
    fn the_report_is_exported_to_the_file_named() {
        let mut store = testing::store();
        store.add_work();
        let mut pane = Plans::new(store.actor.clone(), fixed_now);
        pane.show(Rect::new(0, 0, 100, 24), &mut store.db);
        let dir = tempfile::tempdir().expect("a folder");
        let file = dir.path().join("plan.csv");
        pane.handle("export", &mut store.db);
        assert_eq!(pane.mode(), Mode::Form);
        let values = vec![(
            "file",
            crate::tui::widgets::form::FieldValue::Text(file.display().to_string()),
        )];
        let effect = pane.form_event(FormEvent::Save(values), &mut store.db);
        assert!(
            matches!(effect, Effect::Message(ref m) if m.contains("Wrote 2 rows")),
            "{effect:?}"
        );
        let text = std::fs::read_to_string(&file).expect("the file");
        assert!(text.starts_with("group,target,actual,attainment"), "{text}");
        assert!(text.contains("400000000,75000000,18.8"), "{text}");
        // A name without .xlsx or .csv is refused in the form, which stays open.
        pane.handle("export", &mut store.db);
        let values = vec![(
            "file",
            crate::tui::widgets::form::FieldValue::Text("plan.txt".into()),
        )];
        assert_eq!(
            pane.form_event(FormEvent::Save(values), &mut store.db),
            Effect::Done
        );
        assert_eq!(pane.mode(), Mode::Form);
    }

    #[test]
    fn an_empty_list_says_how_to_load_demo_data() {
        let mut store = testing::store();
        let mut pane = Plans::new(store.actor.clone(), fixed_now);
        pane.show(Rect::new(0, 0, 80, 22), &mut store.db);
        assert!(pane.shown.is_none());
        let screen = draw_pane(&mut pane, 80, 22).join("\n");
        assert!(screen.contains("Sales plans (0)"), "{screen}");
        assert!(screen.contains("peygir demo"), "{screen}");
    }

    #[test]
    fn the_plans_at_80x24_and_120x40() {
        let mut store = testing::store();
        store.add_work();
        for (width, height) in [(80, 24), (120, 40)] {
            let mut app = store.app(width, height, Theme::plain());
            testing::press(&mut app, &mut store.db, '6');
            testing::press(&mut app, &mut store.db, 'j');
            let screen = testing::text(&testing::render(&mut app, width, height));
            insta::assert_snapshot!(format!("plans_{width}x{height}"), screen);
        }
    }

    /// The row of `lines` that holds `needle`.
    fn row_with<'a>(lines: &'a [String], needle: &str) -> &'a str {
        lines
            .iter()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no row with {needle} in\n{}", lines.join("\n")))
    }

    #[test]
    fn a_plan_saved_meanwhile_is_compared_saved_over_or_taken_in_its_form() {
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let mut store = testing::store();
        store.add_work();
        let id = crate::store::users::insert_user(
            &mut store.db,
            "mina.plans",
            "Mina Jafari",
            crate::store::Role::Manager,
            None,
        )
        .expect("mina");
        let mina = Actor {
            id,
            login: "mina.plans".into(),
            role: crate::store::Role::Manager,
        };
        let mut pane = Plans::new(store.actor.clone(), fixed_now);
        let db = &mut store.db;
        pane.show(Rect::new(0, 0, 100, 30), db);
        let plan = plans::by_name(db, "1405 H2 retail")
            .expect("read")
            .expect("the plan");
        // Mina gives the plan notes, over the plan as it is stored now.
        let mina_saves = |db: &mut Db, notes: &str| {
            let now = plans::get(db, plan.id).expect("the plan");
            let lines = plans::lines_of(db, plan.id).expect("its lines");
            let fields = plans::PlanFields {
                notes: Some(notes.into()),
                ..now.fields()
            };
            plans::update(db, &mina, plan.id, now.version, fields, lines).expect("mina saves");
        };
        let key = |pane: &mut Plans, db: &mut Db, action: Option<&'static str>, code: KeyCode| {
            let modifiers = match action {
                Some(_) => KeyModifiers::CONTROL,
                None => KeyModifiers::NONE,
            };
            pane.key(action, KeyEvent::new(code, modifiers), fixed_now(), db)
        };
        let type_in = |pane: &mut Plans, db: &mut Db, text: &str| {
            for c in text.chars() {
                key(pane, db, None, KeyCode::Char(c));
            }
        };
        assert_eq!(pane.handle("edit", db), Effect::Done);
        type_in(&mut pane, db, " (revised)");
        mina_saves(db, "Targets agreed with the board");
        assert_eq!(
            key(&mut pane, db, Some("form-save"), KeyCode::Char('s')),
            Effect::Done
        );
        assert_eq!(pane.mode(), Mode::Form, "the form stays open");
        let screen = draw_pane(&mut pane, 100, 30);
        let all = screen.join("\n");
        assert!(all.contains("Mina Jafari saved this at"), "{all}");
        assert!(all.contains("ctrl-d: compare"), "{all}");
        assert!(
            row_with(&screen, "Plan name").contains("1405 H2 retail (revised)"),
            "what was typed stays:\n{all}"
        );
        // Compared: the name typed and the notes Mina wrote, each with both values.
        key(&mut pane, db, Some("form-compare"), KeyCode::Char('d'));
        let screen = draw_pane(&mut pane, 100, 30);
        let all = screen.join("\n");
        assert!(all.contains("Stored now"), "{all}");
        let name = row_with(&screen, "Plan name");
        assert!(
            name.contains("1405 H2 retail (revised)")
                && name.matches("1405 H2 retail").count() == 2,
            "{all}"
        );
        let notes = row_with(&screen, "Notes");
        assert!(
            notes.contains("(empty)") && notes.contains("Targets agreed with the board"),
            "{all}"
        );
        assert!(!all.contains("Market"), "the same on both: {all}");
        // Any key goes back to the form; ctrl-s then saves what was typed over Mina's save.
        key(&mut pane, db, None, KeyCode::Char('x'));
        assert_eq!(
            key(&mut pane, db, Some("form-save"), KeyCode::Char('s')),
            Effect::Message("Saved the plan 1405 H2 retail (revised).".into())
        );
        let stored = plans::get(db, plan.id).expect("the plan");
        assert_eq!(stored.name, "1405 H2 retail (revised)");
        assert_eq!(stored.notes, None, "what the form held goes over Mina's");
        assert_eq!(stored.version, plan.version + 2);
        // Again, and this time the stored values are taken: the form leaves without asking.
        pane.handle("edit", db);
        type_in(&mut pane, db, " x");
        mina_saves(db, "Second thoughts");
        key(&mut pane, db, Some("form-save"), KeyCode::Char('s'));
        key(&mut pane, db, Some("form-theirs"), KeyCode::Char('r'));
        let form = pane.active_form().expect("the form");
        assert_eq!(form.text_of("plan-name"), "1405 H2 retail (revised)");
        assert_eq!(form.text_of("notes"), "Second thoughts");
        assert_eq!(
            key(&mut pane, db, Some("form-cancel"), KeyCode::Esc),
            Effect::Done
        );
        assert_eq!(pane.mode(), Mode::Normal);
        let stored = plans::get(db, plan.id).expect("the plan");
        assert_eq!(stored.name, "1405 H2 retail (revised)");
        assert_eq!(stored.version, plan.version + 3);
    }
}
