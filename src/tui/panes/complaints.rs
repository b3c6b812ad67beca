//! Customer complaints, the newest first: number, when received, title, customer, status and
//! severity as words, and the expert handling it.

use super::PaneId;
use crate::db::Db;
use crate::error::Result;
use crate::store::complaints::{
    self, ComplaintFilter, ComplaintKey, ComplaintRow, ComplaintStatus,
};
use crate::t;
use crate::tui::action::Context;
use crate::tui::format;
use crate::tui::text::cells;
use crate::tui::widgets::list::{Column, ListWindow, Source, Width};

/// The complaints the filter lets through, in due order: the late ones first.
#[derive(Default)]
pub struct ComplaintSource {
    pub filter: ComplaintFilter,
}

impl Source for ComplaintSource {
    type Row = ComplaintRow;
    type Key = ComplaintKey;

    fn page(
        &self,
        db: &mut Db,
        after: Option<&ComplaintKey>,
        limit: i64,
    ) -> Result<Vec<ComplaintRow>> {
        complaints::page(db, &self.filter, after, limit)
    }

    fn page_before(
        &self,
        db: &mut Db,
        before: &ComplaintKey,
        limit: i64,
    ) -> Result<Vec<ComplaintRow>> {
        complaints::page_before(db, &self.filter, before, limit)
    }

    fn last_page(&self, db: &mut Db, limit: i64) -> Result<Vec<ComplaintRow>> {
        complaints::last_page(db, &self.filter, limit)
    }

    fn count(&self, db: &mut Db) -> Result<i64> {
        complaints::count(db, &self.filter)
    }

    fn key(row: &ComplaintRow) -> ComplaintKey {
        complaints::key(row)
    }
}

pub struct Complaints {
    list: ListWindow<ComplaintSource>,
}

impl Default for Complaints {
    fn default() -> Self {
        Complaints::new()
    }
}

impl Complaints {
    pub fn new() -> Complaints {
        Complaints {
            list: ListWindow::new(ComplaintSource::default()),
        }
    }
}

/// The list's columns. On a narrow screen the expert gives up its room.
fn columns<'a>() -> Vec<Column<'a, ComplaintRow>> {
    let status_width = ComplaintStatus::ALL
        .iter()
        .map(|s| cells(&format::complaint_status(s.as_str())))
        .max()
        .unwrap_or(0);
    vec![
        Column::new(
            t!("complaints.col.number"),
            Width::Fixed(12),
            |r: &ComplaintRow| r.number.clone(),
        ),
        Column::new(
            t!("complaints.col.received"),
            Width::Fixed(10),
            |r: &ComplaintRow| format::date(crate::domain::when::to_local(r.received_at).date()),
        ),
        Column::new(
            t!("complaints.col.title"),
            Width::share(3, 14),
            |r: &ComplaintRow| r.title.clone(),
        ),
        Column::new(
            t!("complaints.col.customer"),
            Width::Share {
                weight: 2,
                min: 10,
                max: 30,
            },
            |r: &ComplaintRow| r.customer.clone(),
        ),
        Column::new(
            t!("complaints.col.status"),
            Width::Fixed(status_width),
            |r: &ComplaintRow| format::complaint_status(&r.status),
        ),
        Column::new(
            t!("complaints.col.severity"),
            Width::Fixed(8),
            |r: &ComplaintRow| format::severity(&r.severity),
        ),
        Column::new(
            t!("complaints.col.expert"),
            Width::Share {
                weight: 1,
                min: 6,
                max: 12,
            },
            |r: &ComplaintRow| r.expert.clone(),
        )
        .drops(1),
    ]
}

super::list_pane!(
    Complaints,
    PaneId::Complaints,
    [Context::Pane(PaneId::Complaints), Context::List],
    "complaints.title",
    "complaints.empty"
);

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;

    use crate::tui::panes::{Effect, Pane};
    use crate::tui::theme::Theme;

    use super::*;
    use crate::tui::testing::{self, draw_pane};

    #[test]
    fn complaints_come_newest_first_with_status_and_severity_as_words() {
        let mut store = testing::store();
        store.add_work();
        let mut pane = Complaints::new();
        assert_eq!(
            pane.show(Rect::new(0, 0, 80, 22), &mut store.db),
            Effect::Done
        );
        let number = |pane: &Complaints| {
            pane.list
                .selected()
                .map(|r: &ComplaintRow| r.number.clone())
        };
        assert_eq!(number(&pane).as_deref(), Some("C-1405-00107"));
        for (action, expected) in [
            ("list-down", "C-1405-00101"),
            ("list-bottom", "C-1405-00099"),
            ("list-top", "C-1405-00107"),
        ] {
            assert_eq!(pane.handle(action, &mut store.db), Effect::Done);
            assert_eq!(number(&pane).as_deref(), Some(expected), "after {action}");
        }
        let screen = draw_pane(&mut pane, 80, 22).join("\n");
        for text in ["investigating", "critical", "proposed", "2026-11-07"] {
            assert!(screen.contains(text), "{text} in\n{screen}");
        }
    }

    #[test]
    fn an_empty_list_says_what_would_be_here() {
        let mut store = testing::store();
        let mut pane = Complaints::new();
        pane.show(Rect::new(0, 0, 80, 22), &mut store.db);
        let screen = draw_pane(&mut pane, 80, 22).join("\n");
        assert!(screen.contains("Complaints (0)"), "{screen}");
        assert!(screen.contains("peygir demo"), "{screen}");
    }

    #[test]
    fn the_complaints_at_80x24_and_120x40() {
        let mut store = testing::store();
        store.add_work();
        for (width, height) in [(80, 24), (120, 40)] {
            let mut app = store.app(width, height, Theme::plain());
            testing::press(&mut app, &mut store.db, '5');
            let screen = testing::text(&testing::render(&mut app, width, height));
            insta::assert_snapshot!(format!("complaints_{width}x{height}"), screen);
        }
    }
}
