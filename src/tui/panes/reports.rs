//! The Reports pane: the catalogue of reports on the left; on the right the chosen report's
//! table, and under it a chart where a picture says it faster (a bar per row, or a sparkline for
//! a report by month). `enter` runs the highlighted report, `f` sets its filters (only those it
//! takes), `x` writes what is shown to xlsx or CSV, `esc` goes back to the catalogue.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Row, Sparkline, Table, TableState, Wrap};

use super::{Clock, Effect, Mode, Pane, PaneId};
use crate::db::Db;
use crate::db::ids::{OrgUnitId, SalesPlanId, UserId};
use crate::error::{Error, FieldError, Result};
use crate::report::{self, CATALOGUE, Catalogued, Filter, Filters, Table as Report, Value};
use crate::store::{org_units, plans, users};
use crate::t;
use crate::tui::action::Context;
use crate::tui::format;
use crate::tui::forms::{export, filter};
use crate::tui::text::{cells, clean, fit, group_thousands};
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Choice, FieldKind, Form, FormEvent, Values};

/// The catalogue's width.
const CATALOGUE_WIDTH: u16 = 28;
/// The most rows the chart under the table draws.
const CHART_ROWS: usize = 8;
/// The widest a text column is drawn.
const TEXT_WIDTH: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Focus {
    Catalogue,
    Table,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Filter,
    Export,
}

pub struct Reports {
    clock: Clock,
    focus: Focus,
    /// The report highlighted in the catalogue.
    chosen: usize,
    filters: Filters,
    /// The report last run (its place in the catalogue) and its table.
    shown: Option<(usize, Report)>,
    /// The selected row of the table.
    row: usize,
    /// The first column shown after the row's name, when the table is wider than the pane.
    column: usize,
    /// The names of the expert and unit the filters keep, for the line above the table.
    who: Vec<String>,
    form: Option<(Purpose, Form)>,
}

impl Reports {
    pub fn new(clock: Clock) -> Reports {
        let today = crate::domain::when::to_local(clock()).date();
        Reports {
            clock,
            focus: Focus::Catalogue,
            chosen: 0,
            filters: Filters::new(today),
            shown: None,
            row: 0,
            column: 0,
            who: Vec::new(),
            form: None,
        }
    }

    fn report(&self) -> &'static Catalogued {
        &CATALOGUE[self.chosen.min(CATALOGUE.len() - 1)]
    }

    /// Runs the highlighted report with the filters set.
    fn run(&mut self, db: &mut Db) -> Effect {
        self.filters.today = crate::domain::when::to_local((self.clock)()).date();
        let report = self.report();
        match (report.run)(db, &self.filters) {
            Ok(table) => {
                self.shown = Some((self.chosen, table));
                self.row = 0;
                self.column = 0;
                Effect::Done
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    /// The filter form, with only the filters the report takes.
    fn open_filters(&mut self, db: &mut Db) -> Effect {
        match self.filter_form(db) {
            Ok(form) => {
                self.form = Some((Purpose::Filter, form));
                Effect::Done
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    fn filter_form(&self, db: &mut Db) -> Result<Form> {
        let report = self.report();
        let entries = |pairs: Vec<(String, String)>| -> Vec<Choice> {
            filter::any_or(
                pairs
                    .into_iter()
                    .map(|(value, label)| Choice { value, label }),
            )
        };
        let mut form = Form::new(t!(
            "reports.form.filters",
            report = crate::i18n::tr(report.title)
        ));
        if report.takes(Filter::Range) {
            form = form
                .field("from", t!("reports.label.from"), FieldKind::Date, false)
                .field("to", t!("reports.label.to"), FieldKind::Date, false);
        }
        if report.takes(Filter::Expert) {
            let experts = users::experts(db)?
                .into_iter()
                .map(|u| (u.id.to_string(), u.display_name))
                .collect();
            form = form.field(
                "expert",
                t!("report.heading.expert"),
                FieldKind::Choice(entries(experts)),
                false,
            );
        }
        if report.takes(Filter::Unit) {
            let units = org_units::all(db)?
                .into_iter()
                .map(|(id, name)| (id.to_string(), name))
                .collect();
            form = form.field(
                "unit",
                t!("reports.label.unit"),
                FieldKind::Choice(entries(units)),
                false,
            );
        }
        if report.takes(Filter::Days) {
            form = form.field("days", t!("reports.label.days"), FieldKind::Whole, true);
        }
        if report.takes(Filter::Plan) {
            let mut choices = vec![Choice {
                value: String::new(),
                label: t!("reports.latest-plan"),
            }];
            choices.extend(plans::page(db, None, 200)?.into_iter().map(|p| Choice {
                value: p.id.to_string(),
                label: p.name,
            }));
            form = form.field(
                "plan",
                t!("reports.label.plan"),
                FieldKind::Choice(choices),
                false,
            );
        }
        let day = |d: Option<NaiveDate>| d.map(format::date).unwrap_or_default();
        form.set_value("from", &day(self.filters.from));
        form.set_value("to", &day(self.filters.to));
        let id = |id: Option<i64>| id.map(|i| i.to_string()).unwrap_or_default();
        form.set_value("expert", &id(self.filters.expert.map(i64::from)));
        form.set_value("unit", &id(self.filters.unit.map(i64::from)));
        form.set_value("days", &self.filters.days.to_string());
        form.set_value("plan", &id(self.filters.plan.map(i64::from)));
        Ok(form)
    }

    /// Takes the filters the form holds and runs the report again; a range that ends before it
    /// starts stays in the form.
    fn save_filters(&mut self, db: &mut Db, values: Values) -> Result<()> {
        let from = values.date("from");
        let to = values.date("to");
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            return Err(Error::Invalid(vec![FieldError::new(
                "to",
                t!("invalid.ends-before-start"),
            )]));
        }
        let report = self.report();
        if report.takes(Filter::Days) && values.whole("days").is_some_and(|d| d < 1) {
            return Err(Error::Invalid(vec![FieldError::new(
                "days",
                t!("reports.invalid.days"),
            )]));
        }
        if report.takes(Filter::Range) {
            self.filters.from = from;
            self.filters.to = to;
        }
        if report.takes(Filter::Expert) {
            self.filters.expert = values.choice_id::<UserId>("expert");
        }
        if report.takes(Filter::Unit) {
            self.filters.unit = values.choice_id::<OrgUnitId>("unit");
        }
        if report.takes(Filter::Days) {
            self.filters.days = values.whole("days").unwrap_or(report::STALE_DAYS);
        }
        if report.takes(Filter::Plan) {
            self.filters.plan = values.choice_id::<SalesPlanId>("plan");
        }
        self.who = self.names_kept(db)?;
        match self.run(db) {
            Effect::Error(e) => Err(Error::Invalid(vec![FieldError::new("from", e)])),
            _ => Ok(()),
        }
    }

    /// The expert's and the unit's names the filters keep.
    fn names_kept(&self, db: &mut Db) -> Result<Vec<String>> {
        let mut names = Vec::new();
        if let Some(expert) = self.filters.expert {
            names.push(users::get(db, expert)?.display_name);
        }
        if let Some(unit) = self.filters.unit {
            let units = org_units::all(db)?;
            if let Some((_, name)) = units.into_iter().find(|(id, _)| *id == unit) {
                names.push(name);
            }
        }
        Ok(names)
    }

    fn open_export(&mut self) -> Effect {
        let Some((place, _)) = &self.shown else {
            return Effect::Message(t!("reports.run-first"));
        };
        let name = format!(
            "peygir-{}-{}.xlsx",
            CATALOGUE[*place].name,
            self.filters.today.format("%Y-%m-%d")
        );
        self.form = Some((
            Purpose::Export,
            export::form(t!("reports.form.export"), &name),
        ));
        Effect::Done
    }

    fn save_export(&self, values: Values) -> Result<String> {
        let Some((_, table)) = &self.shown else {
            return Err(export::refused(t!("reports.run-first")));
        };
        export::write_table(table, values)
    }

    /// What the filters set say, for the line above the table.
    fn filters_line(&self, report: &Catalogued) -> String {
        let mut said = Vec::new();
        if report.takes(Filter::Range) && (self.filters.from.is_some() || self.filters.to.is_some())
        {
            let day = |d: Option<NaiveDate>| d.map(format::date).unwrap_or_else(|| "…".into());
            said.push(format!(
                "{} – {}",
                day(self.filters.from),
                day(self.filters.to)
            ));
        }
        if report.takes(Filter::Expert) || report.takes(Filter::Unit) {
            said.extend(self.who.iter().cloned());
        }
        if report.takes(Filter::Days) {
            said.push(t!("reports.days", days = self.filters.days));
        }
        if said.is_empty() {
            t!("reports.filters-none")
        } else {
            said.join(" · ")
        }
    }

    fn draw_catalogue(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let focused = self.focus == Focus::Catalogue;
        let block = Block::bordered()
            .border_style(if focused {
                theme.pane_title()
            } else {
                Style::default()
            })
            .title(Line::styled(
                format!(" {} ", t!("pane.reports")),
                theme.pane_title(),
            ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let width = usize::from(inner.width);
        let lines: Vec<Line> = CATALOGUE
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mark = if i == self.chosen { "> " } else { "  " };
                let text = fit(&format!("{mark}{}", crate::i18n::tr(r.title)), width);
                if i == self.chosen && focused {
                    Line::styled(text, theme.selected())
                } else {
                    Line::from(text)
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }

    fn draw_report(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let report = self.report();
        let table = match &self.shown {
            Some((place, table)) if *place == self.chosen => Some(table),
            _ => None,
        };
        let title = table.map_or_else(
            || crate::i18n::tr(report.title).to_string(),
            |t| t.title.clone(),
        );
        let block = Block::bordered().title(Line::styled(
            format!(
                " {} ",
                fit(&clean(&title), usize::from(area.width.saturating_sub(4)))
            ),
            theme.pane_title(),
        ));
        let inner = block.inner(area).inner(Margin::new(1, 0));
        frame.render_widget(block, area);
        let chart_height = table.map_or(0, |t| chart_height(report, t));
        let [filters_area, about_area, table_area, chart_area, note_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(2),
            Constraint::Fill(1),
            Constraint::Length(chart_height),
            Constraint::Length(1),
        ])
        .areas(inner);
        frame.render_widget(
            Paragraph::new(fit(
                &self.filters_line(report),
                usize::from(filters_area.width),
            )),
            filters_area,
        );
        frame.render_widget(
            Paragraph::new(crate::i18n::tr(report.about).to_string())
                .style(theme.note())
                .wrap(Wrap { trim: true }),
            about_area,
        );
        let note = match table {
            None => t!("reports.press-enter"),
            Some(t) if t.rows.is_empty() => t!("reports.nothing"),
            Some(_) => t!("reports.note"),
        };
        frame.render_widget(
            Paragraph::new(fit(&note, usize::from(note_area.width))).style(theme.note()),
            note_area,
        );
        let Some(table) = table else {
            return;
        };
        self.draw_table(frame, table_area, table, theme);
        if chart_height > 0 {
            draw_chart(frame, chart_area, report, table, theme);
        }
    }

    fn draw_table(&self, frame: &mut Frame, area: Rect, table: &Report, theme: &Theme) {
        let shown: Vec<Vec<String>> = table
            .rows
            .iter()
            .map(|row| row.iter().map(|v| clean(&v.shown())).collect())
            .collect();
        let figure: Vec<bool> = (0..table.columns.len())
            .map(|i| {
                table
                    .rows
                    .iter()
                    .any(|r| r.get(i).is_some_and(Value::is_figure))
            })
            .collect();
        let widths: Vec<usize> = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let widest = shown
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|s| cells(s))
                    .max()
                    .unwrap_or(0)
                    .max(cells(&c.title));
                if figure[i] {
                    widest
                } else {
                    widest.min(TEXT_WIDTH)
                }
            })
            .collect();
        // The first column (what the row is) always shows; the others from `self.column` on, as
        // many as fit.
        let room = usize::from(area.width);
        let mut shown_columns = vec![0];
        let mut used = widths.first().copied().unwrap_or(0);
        let first = 1 + self.column.min(widths.len().saturating_sub(2));
        for (i, width) in widths.iter().enumerate().skip(first) {
            if used + 2 + width > room {
                break;
            }
            used += 2 + width;
            shown_columns.push(i);
        }
        let align = |i: usize, text: &str| {
            let width = widths[i];
            let text = fit(text, width);
            if figure[i] {
                format!("{}{text}", " ".repeat(width.saturating_sub(cells(&text))))
            } else {
                text
            }
        };
        let header = Row::new(
            shown_columns
                .iter()
                .map(|&i| align(i, &table.columns[i].title)),
        )
        .style(theme.header());
        let last = shown.len().saturating_sub(1);
        let rows: Vec<Row> = shown
            .iter()
            .enumerate()
            .map(|(n, r)| {
                let row = Row::new(
                    shown_columns
                        .iter()
                        .map(|&i| align(i, r.get(i).map_or("", String::as_str))),
                );
                // The rows below the chart's are totals.
                if n >= table.chart_rows && n <= last && table.chart_rows > 0 {
                    row.style(theme.header())
                } else {
                    row
                }
            })
            .collect();
        let constraints = shown_columns
            .iter()
            .map(|&i| Constraint::Length(u16::try_from(widths[i]).unwrap_or(u16::MAX)));
        let mut state = TableState::default()
            .with_selected((self.focus == Focus::Table && !shown.is_empty()).then_some(self.row));
        frame.render_stateful_widget(
            Table::new(rows, constraints)
                .header(header)
                .column_spacing(2)
                .row_highlight_style(theme.selected()),
            area,
            &mut state,
        );
    }
}

/// The lines the chart takes under `table`: none without a chart.
fn chart_height(report: &Catalogued, table: &Report) -> u16 {
    if table.chart.is_empty() || table.chart_rows == 0 {
        0
    } else if report::is_trend(report.name) {
        5
    } else {
        u16::try_from(table.chart_rows.min(CHART_ROWS)).unwrap_or(0) + 2
    }
}

/// The first charted column of `table` as a bar per row (the largest rows first, as many as fit),
/// or as a sparkline for a report by month.
fn draw_chart(frame: &mut Frame, area: Rect, report: &Catalogued, table: &Report, theme: &Theme) {
    let Some(&column) = table.chart.first() else {
        return;
    };
    let title = table
        .columns
        .get(column)
        .map(|c| c.title.clone())
        .unwrap_or_default();
    let block = Block::bordered().title(Line::styled(format!(" {title} "), theme.note()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let figure = |row: &[Value]| match row.get(column) {
        Some(Value::Count(n) | Value::Money(n)) => *n,
        Some(Value::Percent(p)) => p.round() as i64,
        _ => 0,
    };
    let rows = &table.rows[..table.chart_rows.min(table.rows.len())];
    if report::is_trend(report.name) {
        let data: Vec<u64> = rows
            .iter()
            .map(|r| u64::try_from(figure(r)).unwrap_or(0))
            .collect();
        frame.render_widget(Sparkline::default().data(&data), inner);
        return;
    }
    let label = |row: &[Value]| {
        row.iter()
            .take_while(|v| !v.is_figure())
            .map(|v| clean(&v.shown()))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(LABEL_JOIN)
    };
    let mut ranked: Vec<(String, i64)> = rows.iter().map(|r| (label(r), figure(r))).collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.1));
    ranked.truncate(usize::from(inner.height));
    let most = ranked.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let label_width = (usize::from(inner.width) / 3).clamp(8, 30);
    let value_width = ranked
        .iter()
        .map(|r| cells(&group_thousands(r.1)))
        .max()
        .unwrap_or(1);
    let bar_room = usize::from(inner.width).saturating_sub(label_width + value_width + 2);
    // A row of three cells (the name, the bar, the figure), so that a name in one script and a
    // figure in another are each ordered on their own.
    let rows: Vec<Row> = ranked
        .iter()
        .map(|(name, n)| {
            let filled =
                usize::try_from(i128::from((*n).max(0)) * bar_room as i128 / i128::from(most))
                    .unwrap_or(0)
                    .min(bar_room);
            let value = group_thousands(*n);
            Row::new([
                label_fit(name, label_width),
                "█".repeat(filled),
                format!(
                    "{}{value}",
                    " ".repeat(value_width.saturating_sub(cells(&value)))
                ),
            ])
        })
        .collect();
    let widths = [label_width, bar_room, value_width]
        .map(|w| Constraint::Length(u16::try_from(w).unwrap_or(u16::MAX)));
    frame.render_widget(Table::new(rows, widths).column_spacing(1), inner);
}

/// A bar's label in `width` cells: as many of its parts (`status · expert`) as fit whole, so that
/// a part in one script is never cut beside a part in another (which a terminal would order
/// differently from Peygir); the first part cut when even it is too wide.
fn label_fit(label: &str, width: usize) -> String {
    let mut kept = String::new();
    for part in label.split(LABEL_JOIN) {
        let next = if kept.is_empty() {
            part.to_string()
        } else {
            format!("{kept}{LABEL_JOIN}{part}")
        };
        if cells(&next) > width {
            break;
        }
        kept = next;
    }
    if kept.is_empty() {
        fit(label, width)
    } else {
        kept
    }
}

/// What joins the parts of a bar's label.
const LABEL_JOIN: &str = " · ";

impl Pane for Reports {
    fn id(&self) -> PaneId {
        PaneId::Reports
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Pane(PaneId::Reports), Context::List]
    }

    fn hints(&self) -> &'static [&'static [&'static str]] {
        &[
            &["list-down", "list-up"],
            &["open"],
            &["back"],
            &["report-left", "report-right"],
            &["filter"],
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

    fn show(&mut self, _area: Rect, db: &mut Db) -> Effect {
        if self.shown.is_none() {
            return self.run(db);
        }
        Effect::Done
    }

    fn handle(&mut self, action: &str, db: &mut Db) -> Effect {
        match (action, self.focus) {
            ("filter", _) => self.open_filters(db),
            ("report-right", _) => {
                let columns = self.shown.as_ref().map_or(0, |(_, t)| t.columns.len());
                self.column = (self.column + 1).min(columns.saturating_sub(2));
                Effect::Done
            }
            ("report-left", _) => {
                self.column = self.column.saturating_sub(1);
                Effect::Done
            }
            ("export", _) => self.open_export(),
            ("refresh", _) => self.run(db),
            ("open", Focus::Catalogue) => {
                let effect = self.run(db);
                if effect == Effect::Done {
                    self.focus = Focus::Table;
                }
                effect
            }
            ("back", Focus::Table) => {
                self.focus = Focus::Catalogue;
                Effect::Done
            }
            ("list-down", Focus::Catalogue) => {
                self.chosen = (self.chosen + 1).min(CATALOGUE.len() - 1);
                Effect::Done
            }
            ("list-up", Focus::Catalogue) => {
                self.chosen = self.chosen.saturating_sub(1);
                Effect::Done
            }
            ("list-top", Focus::Catalogue) => {
                self.chosen = 0;
                Effect::Done
            }
            ("list-bottom", Focus::Catalogue) => {
                self.chosen = CATALOGUE.len() - 1;
                Effect::Done
            }
            (_, Focus::Table) => {
                let count = self.shown.as_ref().map_or(0, |(_, t)| t.rows.len());
                let last = count.saturating_sub(1);
                self.row = match action {
                    "list-down" => (self.row + 1).min(last),
                    "list-up" => self.row.saturating_sub(1),
                    "list-top" => 0,
                    "list-bottom" => last,
                    "list-page-down" | "list-half-down" => (self.row + 10).min(last),
                    "list-page-up" | "list-half-up" => self.row.saturating_sub(10),
                    _ => return Effect::Ignored,
                };
                Effect::Done
            }
            _ => Effect::Ignored,
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
            FormEvent::Save(values) => {
                let Some((purpose, _)) = &self.form else {
                    return Effect::Ignored;
                };
                let saved = match purpose {
                    Purpose::Filter => self.save_filters(db, Values(&values)).map(|()| None),
                    Purpose::Export => self.save_export(Values(&values)).map(Some),
                };
                match saved {
                    Ok(message) => {
                        self.form = None;
                        message.map_or(Effect::Done, Effect::Message)
                    }
                    Err(Error::Invalid(errors)) => {
                        if let Some((_, form)) = &mut self.form {
                            form.show_errors(&errors);
                        }
                        Effect::Done
                    }
                    Err(e) => Effect::Error(e.to_string()),
                }
            }
            _ => Effect::Ignored,
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let [catalogue, report] =
            Layout::horizontal([Constraint::Length(CATALOGUE_WIDTH), Constraint::Fill(1)])
                .areas(area);
        self.draw_catalogue(frame, catalogue, theme);
        self.draw_report(frame, report, theme);
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

    #[test]
    fn the_catalogue_runs_a_report_filters_it_and_exports_it() {
        let mut store = testing::store();
        store.add_work();
        let mut pane = Reports::new(fixed_now);
        assert_eq!(
            pane.show(Rect::new(0, 0, 120, 30), &mut store.db),
            Effect::Done
        );
        // The first report runs on first showing.
        let screen = draw_pane(&mut pane, 120, 30).join("\n");
        assert!(screen.contains("Pipeline"), "{screen}");
        assert!(screen.contains("Total"), "{screen}");
        // Another report is highlighted, then run.
        let plan = CATALOGUE
            .iter()
            .position(|r| r.name == "plan-vs-actual")
            .expect("the plan report");
        for _ in 0..plan {
            pane.handle("list-down", &mut store.db);
        }
        let screen = draw_pane(&mut pane, 120, 30).join("\n");
        assert!(screen.contains("enter runs it"), "{screen}");
        assert_eq!(pane.handle("open", &mut store.db), Effect::Done);
        assert_eq!(pane.focus, Focus::Table);
        let screen = draw_pane(&mut pane, 120, 30).join("\n");
        assert!(
            screen.contains("1405 H2 retail by product group"),
            "{screen}"
        );
        // A backwards range stays in the form.
        pane.handle("back", &mut store.db);
        pane.chosen = 0;
        pane.handle("filter", &mut store.db);
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).expect("a day");
        let backwards = vec![
            ("from", FieldValue::Date(day(10))),
            ("to", FieldValue::Date(day(1))),
            ("expert", FieldValue::Choice(String::new())),
            ("unit", FieldValue::Choice(String::new())),
        ];
        assert_eq!(
            pane.form_event(FormEvent::Save(backwards), &mut store.db),
            Effect::Done
        );
        assert_eq!(pane.mode(), Mode::Form);
        let range = vec![
            ("from", FieldValue::Date(day(1))),
            ("to", FieldValue::Date(day(10))),
            ("expert", FieldValue::Choice(store.actor.id.to_string())),
            ("unit", FieldValue::Choice(String::new())),
        ];
        assert_eq!(
            pane.form_event(FormEvent::Save(range), &mut store.db),
            Effect::Done
        );
        assert_eq!(pane.mode(), Mode::Normal);
        assert_eq!(pane.filters.expert, Some(store.actor.id));
        assert_eq!(pane.filters.from, Some(day(1)));
        // The table is written where the form says.
        let dir = tempfile::tempdir().expect("a folder");
        let file = dir.path().join("pipeline.csv");
        pane.handle("export", &mut store.db);
        let values = vec![("file", FieldValue::Text(file.display().to_string()))];
        let effect = pane.form_event(FormEvent::Save(values), &mut store.db);
        assert!(
            matches!(effect, Effect::Message(ref m) if m.contains("Wrote")),
            "{effect:?}"
        );
        let text = std::fs::read_to_string(&file).expect("the file");
        assert!(
            text.starts_with("status,expert,cases,expected_amount"),
            "{text}"
        );
    }
}
