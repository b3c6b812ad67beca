//! Activity: the follow-ups each expert logged, by kind of follow-up: how many, and the time they
//! took (in minutes for scripts, in hours and minutes for people), with a total row. Follow-ups on
//! cases and on complaints both count. The date range is of the moment a follow-up happened.
//!
//! The reports of the sales team's work (this one, [`super::workload`] and [`super::stale`]) are
//! all a row per expert with a total row; the table they share is made here, by [`per_expert`].

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::{Column, Filters, Table, Value};
use crate::db::ids::{LookupId, UserId};
use crate::db::schema::followups;
use crate::db::{self, Db};
use crate::domain::{locale, when};
use crate::error::Result;
use crate::store::names;
use crate::t;

/// The follow-ups per expert and kind: their number, their minutes, and those minutes as hours
/// and minutes.
pub fn run(db: &mut Db, filters: &Filters) -> Result<Table> {
    let mut query = followups::table
        .group_by((followups::expert_id, followups::kind_id))
        .select((
            followups::expert_id,
            followups::kind_id,
            count_star(),
            db::sum("followups.minutes"),
        ))
        .into_boxed();
    let (from, to) = filters.utc_range();
    if let Some(from) = from {
        query = query.filter(followups::happened_at.ge(from));
    }
    if let Some(to) = to {
        query = query.filter(followups::happened_at.lt(to));
    }
    if let Some(experts) = filters.experts(db)? {
        query = query.filter(followups::expert_id.eq_any(experts));
    }
    let groups: Vec<(UserId, LookupId, i64, i64)> = query.load(db)?;
    let kinds = names::lookups(db, groups.iter().map(|g| g.1))?;
    let mut rows: Vec<(UserId, Vec<Value>)> = groups
        .into_iter()
        .map(|(expert, kind, count, minutes)| {
            let kind = kinds.get(&kind).cloned().unwrap_or_default();
            (
                expert,
                vec![
                    Value::Text(kind),
                    Value::Count(count),
                    Value::Count(minutes),
                    Value::Empty,
                ],
            )
        })
        .collect();
    // Each expert's kinds by name: `per_expert` keeps this order within an expert.
    rows.sort_by_cached_key(|(_, cells)| cells[0].plain());
    let mut table = per_expert(
        db,
        t!("report.activity.title"),
        vec![
            column("kind", t!("report.col.followup-kind"), Value::Empty),
            column("followups", t!("report.col.followups"), Value::Count(0)),
            column("minutes", t!("report.col.minutes"), Value::Count(0)),
            column("time", t!("report.col.time-spent"), Value::Empty),
        ],
        rows,
        vec![2],
    )?;
    // The time as people read it, the total row's too.
    for row in &mut table.rows {
        if let Value::Count(minutes) = row[3] {
            row[4] = Value::Text(hours_and_minutes(minutes));
        }
    }
    Ok(table)
}

/// `minutes` as hours and minutes: `12h 5m`, in the user's digits.
fn hours_and_minutes(minutes: i64) -> String {
    t!(
        "report.hours-minutes",
        hours = locale::group_thousands(minutes / 60),
        minutes = locale::number(minutes % 60)
    )
}

/// A table of a row per expert, by the experts' logins, and a total row under them.
///
/// Each of `rows` is an expert and the cells after the expert's column; an expert may have
/// several rows (kept in the order given). `columns` are those cells' columns, each with what
/// its total starts from: `Count(0)` or `Money(0)` for a figure that is summed, `Empty` for text
/// (left empty in the total row) and for dates (the earliest is taken). `chart` counts the
/// expert's column as column 0.
pub(super) fn per_expert(
    db: &mut Db,
    title: String,
    columns: Vec<(Column, Value)>,
    mut rows: Vec<(UserId, Vec<Value>)>,
    chart: Vec<usize>,
) -> Result<Table> {
    let experts = names::users(db, rows.iter().map(|r| r.0))?;
    let login = |id: &UserId| experts.get(id).cloned().unwrap_or_default();
    rows.sort_by_cached_key(|(expert, _)| (login(expert), *expert));
    let mut total_row = vec![Value::Text(t!("report.total"))];
    total_row.extend(columns.iter().enumerate().map(|(c, (_, start))| {
        rows.iter()
            .fold(start.clone(), |total, (_, cells)| add(total, &cells[c]))
    }));
    let mut table_rows: Vec<Vec<Value>> = rows
        .iter()
        .map(|(expert, cells)| {
            let mut row = vec![Value::Text(login(expert))];
            row.extend(cells.iter().cloned());
            row
        })
        .collect();
    let chart_rows = table_rows.len();
    table_rows.push(total_row);
    let mut all_columns = vec![Column::new("expert", t!("report.heading.expert"))];
    all_columns.extend(columns.into_iter().map(|(column, _)| column));
    Ok(Table {
        title,
        columns: all_columns,
        rows: table_rows,
        chart,
        chart_rows,
    })
}

/// A column after the expert's for [`per_expert`]: its key, its header, and what its total
/// starts from.
pub(super) fn column(key: &'static str, title: String, total: Value) -> (Column, Value) {
    (Column::new(key, title), total)
}

/// Adds `cell` to the total of its column: counts and amounts are summed, the earliest date is
/// kept, text is left out.
fn add(total: Value, cell: &Value) -> Value {
    match (total, cell) {
        (Value::Count(a), Value::Count(b)) => Value::Count(a + b),
        (Value::Money(a), Value::Money(b)) => Value::Money(a + b),
        (Value::Date(a), Value::Date(b)) => Value::Date(a.min(*b)),
        (Value::Empty, Value::Date(b)) => Value::Date(*b),
        (total, _) => total,
    }
}

/// The UTC moment the local day `day` starts.
pub(super) fn start_of(day: NaiveDate) -> NaiveDateTime {
    when::to_utc(day.and_time(NaiveTime::MIN))
}
