//! The follow-up log across every case and complaint, newest first: when, about what, how, by
//! whom, how long, and what was said, cut to fit.

use super::PaneId;
use crate::db::Db;
use crate::error::Result;
use crate::store::followups::{self, FollowUpKey, FollowUpRow};
use crate::t;
use crate::tui::action::Context;
use crate::tui::format;
use crate::tui::widgets::list::{Column, ListWindow, Source, Width};

/// Every follow-up, newest first.
pub struct FollowUpSource;

impl Source for FollowUpSource {
    type Row = FollowUpRow;
    type Key = FollowUpKey;

    fn page(
        &self,
        db: &mut Db,
        after: Option<&FollowUpKey>,
        limit: i64,
    ) -> Result<Vec<FollowUpRow>> {
        followups::page(db, after, limit)
    }

    fn page_before(
        &self,
        db: &mut Db,
        before: &FollowUpKey,
        limit: i64,
    ) -> Result<Vec<FollowUpRow>> {
        followups::page_before(db, before, limit)
    }

    fn last_page(&self, db: &mut Db, limit: i64) -> Result<Vec<FollowUpRow>> {
        followups::last_page(db, limit)
    }

    fn count(&self, db: &mut Db) -> Result<i64> {
        followups::count(db)
    }

    fn key(row: &FollowUpRow) -> FollowUpKey {
        followups::key(row)
    }
}

pub struct FollowUps {
    list: ListWindow<FollowUpSource>,
}

impl Default for FollowUps {
    fn default() -> Self {
        FollowUps::new()
    }
}

impl FollowUps {
    pub fn new() -> FollowUps {
        FollowUps {
            list: ListWindow::new(FollowUpSource),
        }
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
            Width::Fixed(4),
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

super::list_pane!(
    FollowUps,
    PaneId::Followups,
    [Context::Followups, Context::List],
    "followups.title",
    "followups.empty"
);

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
}
