//! The sales plans, the latest period first, and under them the selected plan's target against
//! the sales made in its market and period. The breakdown by region, product group and expert is
//! a report of its own.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Row, Table};

use super::{Effect, LIST_HINTS, Pane, PaneId};
use crate::db::Db;
use crate::error::Result;
use crate::store::plans::{self, PlanKey, PlanProgress, PlanRow};
use crate::t;
use crate::tui::action::Context;
use crate::tui::format;
use crate::tui::text::{cells, clean, fit, group_thousands};
use crate::tui::theme::Theme;
use crate::tui::widgets::list::{Column, ListWindow, Source, View, Width};

/// Lines the target-against-actual box takes under the list: its borders, a heading, the
/// figures and a note.
const PROGRESS_HEIGHT: u16 = 5;
/// The width of an amount column: up to 9,999,999,999,999.
const AMOUNT_WIDTH: usize = 17;

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

pub struct Plans {
    list: ListWindow<PlanSource>,
    /// The selected plan's figures, with the plan they were read for.
    progress: Option<(PlanKey, PlanProgress)>,
}

impl Default for Plans {
    fn default() -> Self {
        Plans::new()
    }
}

impl Plans {
    pub fn new() -> Plans {
        Plans {
            list: ListWindow::new(PlanSource),
            progress: None,
        }
    }

    /// The list above, the figures below.
    fn split(area: Rect) -> [Rect; 2] {
        Layout::vertical([Constraint::Fill(1), Constraint::Length(PROGRESS_HEIGHT)]).areas(area)
    }

    /// Reads the selected plan's figures, unless they are the ones held and `again` is false.
    fn read_progress(&mut self, db: &mut Db, again: bool) -> Effect {
        let Some(plan) = self.list.selected() else {
            self.progress = None;
            return Effect::Done;
        };
        let key = plans::key(plan);
        if !again && self.progress.as_ref().is_some_and(|(held, _)| *held == key) {
            return Effect::Done;
        }
        match plans::progress(db, plan) {
            Ok(progress) => {
                self.progress = Some((key, progress));
                Effect::Done
            }
            Err(e) => {
                self.progress = None;
                Effect::Error(e.to_string())
            }
        }
    }

    fn draw_progress(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let (Some(plan), Some((_, progress))) = (self.list.selected(), self.progress.as_ref())
        else {
            return;
        };
        let title = t!("plans.progress.title", name = clean(&plan.name));
        let room = usize::from(area.width.saturating_sub(4));
        let block = Block::bordered().title(Line::styled(
            format!(" {} ", fit(&title, room)),
            theme.pane_title(),
        ));
        let inner = block.inner(area).inner(Margin::new(1, 0));
        frame.render_widget(block, area);
        let [table_area, note_area] =
            Layout::vertical([Constraint::Length(2), Constraint::Length(1)]).areas(inner);
        let right = |text: String, width: usize| {
            let text = fit(&text, width);
            format!("{}{text}", " ".repeat(width.saturating_sub(cells(&text))))
        };
        let widths = [AMOUNT_WIDTH, AMOUNT_WIDTH, 5, AMOUNT_WIDTH];
        let header = Row::new(
            [
                t!("plans.progress.target"),
                t!("plans.progress.actual"),
                t!("plans.progress.percent"),
                t!("plans.progress.gap"),
            ]
            .into_iter()
            .zip(widths)
            .map(|(text, width)| right(text, width)),
        )
        .style(theme.header());
        let share = if progress.target > 0 {
            let percent = i128::from(progress.actual) * 100 / i128::from(progress.target);
            t!("plans.progress.share", percent = percent)
        } else {
            t!("plans.progress.no-target")
        };
        let figures = Row::new(
            [
                group_thousands(progress.target),
                group_thousands(progress.actual),
                share,
                group_thousands(progress.target.saturating_sub(progress.actual)),
            ]
            .into_iter()
            .zip(widths)
            .map(|(text, width)| right(text, width)),
        );
        let constraints = widths
            .iter()
            .map(|w| Constraint::Length(u16::try_from(*w).unwrap_or(u16::MAX)));
        frame.render_widget(
            Table::new([figures], constraints)
                .header(header)
                .column_spacing(2),
            table_area,
        );
        frame.render_widget(
            Paragraph::new(fit(
                &t!("plans.progress.note"),
                usize::from(note_area.width),
            ))
            .style(theme.note()),
            note_area,
        );
    }
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
        LIST_HINTS
    }

    fn show(&mut self, area: Rect, db: &mut Db) -> Effect {
        let [list, _] = Self::split(area);
        match self.list.show(list, db) {
            Effect::Done => self.read_progress(db, true),
            other => other,
        }
    }

    fn handle(&mut self, action: &str, db: &mut Db) -> Effect {
        match self.list.handle(action, db) {
            Effect::Done => self.read_progress(db, false),
            other => other,
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
            return;
        }
        let [list, progress] = Self::split(area);
        self.list.render(frame, list, view, theme);
        self.draw_progress(frame, progress, theme);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::testing::{self, draw_pane};

    #[test]
    fn the_selected_plan_shows_its_target_against_its_sales() {
        let mut store = testing::store();
        store.add_work();
        let mut pane = Plans::new();
        assert_eq!(
            pane.show(Rect::new(0, 0, 80, 22), &mut store.db),
            Effect::Done
        );
        let figures = |pane: &Plans| pane.progress.map(|(_, p)| (p.target, p.actual));
        // The latest start first; the same start in the order plans were made, the last first.
        let name = |pane: &Plans| pane.list.selected().map(|p| p.name.clone());
        assert_eq!(name(&pane).as_deref(), Some("1405 H2 retail"));
        assert_eq!(figures(&pane), Some((400_000_000, 75_000_000)));
        pane.handle("list-down", &mut store.db);
        assert_eq!(name(&pane).as_deref(), Some("1405 H2"));
        assert_eq!(figures(&pane), Some((2_300_000_000, 1_310_000_000)));
        let screen = draw_pane(&mut pane, 80, 22).join("\n");
        for text in [
            "2,300,000,000",
            "1,310,000,000",
            "56%",
            "990,000,000",
            "B2B",
            "short term",
        ] {
            assert!(screen.contains(text), "{text} in\n{screen}");
        }
        pane.handle("list-down", &mut store.db);
        assert_eq!(name(&pane).as_deref(), Some("1405"));
        assert_eq!(figures(&pane), Some((4_000_000_000, 2_310_000_000)));
        pane.handle("list-bottom", &mut store.db);
        assert_eq!(name(&pane).as_deref(), Some("1404 H2"));
        assert_eq!(figures(&pane), Some((2_000_000_000, 1_500_000_000)));
    }

    #[test]
    fn an_empty_list_says_how_to_load_demo_data() {
        let mut store = testing::store();
        let mut pane = Plans::new();
        pane.show(Rect::new(0, 0, 80, 22), &mut store.db);
        assert_eq!(pane.progress, None);
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
}
