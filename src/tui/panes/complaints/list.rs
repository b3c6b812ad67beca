//! The complaint list's source (the complaints the filter lets through, in due order: the late
//! ones first, read a page at a time) and its columns: number, when received, title, customer,
//! status and severity as words, the resolution's service level and the expert.

use chrono::NaiveDateTime;

use crate::db::Db;
use crate::domain::working_time::Calendar;
use crate::error::Result;
use crate::store::complaints::{
    self, Clock, ComplaintFilter, ComplaintKey, ComplaintRow, ComplaintStatus,
};
use crate::t;
use crate::tui::format;
use crate::tui::text::cells;
use crate::tui::widgets::list::{Column, Source, Width};

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

/// The resolution's clock of a listed complaint at `now`: the row carries what the clocks read
/// (due times, first response, closing); the rest of the complaint does not matter to them.
pub fn resolution_clock(
    calendar: &Calendar,
    row: &ComplaintRow,
    now: NaiveDateTime,
) -> Option<Clock> {
    complaints::clocks(calendar, row, now).1
}

/// Working minutes as hours and minutes: `3h 20m` (`123h` past a hundred hours).
fn span(minutes: i64) -> String {
    let (hours, minutes) = (minutes / 60, minutes % 60);
    if hours >= 100 {
        t!("complaints.sla.hours", h = format::number(hours))
    } else {
        t!(
            "complaints.sla.span",
            h = format::number(hours),
            m = format::number(format!("{minutes:02}"))
        )
    }
}

/// A service-level clock in a few cells: time left (`3h 20m`), time over (`!-1h 05m`, the `!`
/// marking it without colour), or `met` / `late` once stopped; empty with no due time.
pub fn clock_text(clock: Option<Clock>) -> String {
    match clock {
        None => String::new(),
        Some(Clock::Running { minutes_left }) => {
            t!("complaints.sla.left", time = span(minutes_left))
        }
        Some(Clock::Over { minutes_over }) => t!("complaints.sla.over", time = span(minutes_over)),
        Some(Clock::Stopped { late: false }) => t!("complaints.sla.met"),
        Some(Clock::Stopped { late: true }) => t!("complaints.sla.late"),
    }
}

/// Where the service-level column stands among [`columns`].
pub const SLA_COLUMN: usize = 6;

/// The list's columns, the service level read on `calendar` at `now`. On a narrow screen the
/// expert, then the day received, give up their room.
pub fn columns<'a>(
    calendar: Option<&'a Calendar>,
    now: NaiveDateTime,
) -> Vec<Column<'a, ComplaintRow>> {
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
        )
        .drops(1),
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
            t!("complaints.col.sla"),
            Width::Fixed(9),
            move |r: &ComplaintRow| {
                calendar
                    .map(|calendar| clock_text(resolution_clock(calendar, r, now)))
                    .unwrap_or_default()
            },
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
        .drops(2),
    ]
}
