//! The sales cases, most urgent first: number, title, customer, status (a closed case's in
//! brackets), importance as a word, priority, expert and the expected amount.

use super::PaneId;
use crate::db::Db;
use crate::error::Result;
use crate::store::cases::{self, CaseKey, CaseRow};
use crate::t;
use crate::tui::action::Context;
use crate::tui::format;
use crate::tui::text::group_thousands;
use crate::tui::widgets::list::{Column, ListWindow, Source, Width};

/// Every case, by priority.
pub struct CaseSource;

impl Source for CaseSource {
    type Row = CaseRow;
    type Key = CaseKey;

    fn page(&self, db: &mut Db, after: Option<&CaseKey>, limit: i64) -> Result<Vec<CaseRow>> {
        cases::page(db, after, limit)
    }

    fn page_before(&self, db: &mut Db, before: &CaseKey, limit: i64) -> Result<Vec<CaseRow>> {
        cases::page_before(db, before, limit)
    }

    fn last_page(&self, db: &mut Db, limit: i64) -> Result<Vec<CaseRow>> {
        cases::last_page(db, limit)
    }

    fn count(&self, db: &mut Db) -> Result<i64> {
        cases::count(db)
    }

    fn key(row: &CaseRow) -> CaseKey {
        cases::key(row)
    }
}

pub struct Cases {
    list: ListWindow<CaseSource>,
}

impl Default for Cases {
    fn default() -> Self {
        Cases::new()
    }
}

impl Cases {
    pub fn new() -> Cases {
        Cases {
            list: ListWindow::new(CaseSource),
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

super::list_pane!(
    Cases,
    PaneId::Cases,
    [Context::Cases, Context::List],
    "cases.title",
    "cases.empty"
);

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
        let mut pane = Cases::new();
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
        let mut pane = Cases::new();
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
        let mut pane = Cases::new();
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
}
