//! The complaint reports. `complaints`: how many complaints stand at each status, by category
//! and severity, with a total. `complaint-service`: per severity, the complaints received, how
//! many missed their first-response and resolution service levels, the average hours to the
//! first response and to a resolution, and the customers' average satisfaction.
//!
//! The date range of both is of the day a complaint was received; the expert and unit filters
//! keep the complaints handled by the experts chosen.
//!
//! A service level is missed as the complaint screens show it (`store::complaints::clocks`):
//! the first response is late when the complaint was acknowledged (or closed, which also stops
//! that clock) after its response due time, or is still not given when the due time has come;
//! the resolution is late when the complaint was closed or rejected after its resolution due
//! time, or is still open when that has come. "Now" is the moment the report is run, or the end
//! of the filters' `today` when that is earlier. A complaint recorded before service levels (no
//! due time) misses neither.
//!
//! The averages are of wall-clock hours (nights, Fridays and holidays included, unlike the
//! service-level clocks, which count working time): from receipt to the first response, over
//! the complaints acknowledged; from receipt to the resolution proposed (or, for one closed or
//! rejected without a proposal, to its closing), over the complaints resolved. Satisfaction is
//! the 1-to-5 score given at closing, averaged over the complaints rated.

use std::collections::HashMap;

use chrono::{NaiveDateTime, NaiveTime};
use diesel::dsl::{case_when, count, count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::{Double, Integer, Nullable};

use super::{Column, Filters, Table, Value};
use crate::db::Db;
use crate::db::ids::{LookupId, UserId};
use crate::db::schema::complaints;
use crate::domain::when;
use crate::error::Result;
use crate::store::complaints::ComplaintStatus;
use crate::store::lookups::{self, List};
use crate::store::sla::Severity;
use crate::t;

/// Narrows a grouped query of complaints to those received in `range` (UTC bounds) and handled
/// by `experts` (`None`: everyone); the query is boxed first.
macro_rules! narrowed {
    ($query:expr, $range:expr, $experts:expr) => {{
        let mut query = $query.into_boxed();
        let (from, to): (Option<NaiveDateTime>, Option<NaiveDateTime>) = $range;
        if let Some(from) = from {
            query = query.filter(complaints::received_at.ge(from));
        }
        if let Some(to) = to {
            query = query.filter(complaints::received_at.lt(to));
        }
        if let Some(experts) = $experts {
            query = query.filter(complaints::expert_id.eq_any(experts));
        }
        query
    }};
}

/// The name of a status or severity as the complaint screens show it: from the catalog, or the
/// stored code when it is not one we know (the table's checks prevent that).
fn named(key: Option<&'static str>, code: &str) -> String {
    key.map_or_else(|| code.to_string(), |k| crate::i18n::tr(k).to_string())
}

fn status_name(code: &str) -> String {
    named(
        ComplaintStatus::parse(code).map(ComplaintStatus::message_key),
        code,
    )
}

fn severity_name(code: &str) -> String {
    named(Severity::parse(code).map(Severity::message_key), code)
}

/// Where a stored code stands among `codes`; an unknown one after them all.
fn place(codes: impl IntoIterator<Item = &'static str>, code: &str) -> usize {
    codes
        .into_iter()
        .position(|c| c == code)
        .unwrap_or(usize::MAX)
}

/// The complaint categories in tree order, each with its path from the top (`Parent / Child`).
fn categories(db: &mut Db) -> Result<Vec<(LookupId, String)>> {
    let entries = lookups::items_all(db, List::ComplaintCategory)?;
    let names: HashMap<LookupId, (Option<LookupId>, String)> = entries
        .iter()
        .map(|e| (e.id, (e.parent_id, e.name.clone())))
        .collect();
    Ok(lookups::depth_first(entries)
        .into_iter()
        .map(|(_, entry)| {
            let mut path = vec![entry.name.clone()];
            let mut up = entry.parent_id;
            while let Some((parent, name)) = up.and_then(|id| names.get(&id)) {
                if path.len() > names.len() {
                    break;
                }
                path.push(name.clone());
                up = *parent;
            }
            path.reverse();
            (entry.id, path.join(" / "))
        })
        .collect())
}

/// `complaints`: the complaints per status × category × severity, with a total.
pub fn run(db: &mut Db, filters: &Filters) -> Result<Table> {
    let experts: Option<Vec<UserId>> = filters.experts(db)?;
    let query = narrowed!(
        complaints::table
            .group_by((
                complaints::status,
                complaints::category_id,
                complaints::severity,
            ))
            .select((
                complaints::status,
                complaints::category_id,
                complaints::severity,
                count_star(),
            )),
        filters.utc_range(),
        experts
    );
    let mut groups: Vec<(String, Option<LookupId>, String, i64)> = query.load(db)?;
    let categories = categories(db)?;
    let category = |id: Option<LookupId>| -> (usize, String) {
        match id.and_then(|id| categories.iter().position(|c| c.0 == id)) {
            Some(i) => (i, categories[i].1.clone()),
            None if id.is_some() => (categories.len(), String::new()),
            None => (categories.len() + 1, t!("report.no-category")),
        }
    };
    groups.sort_by_key(|(status, category_id, severity, _)| {
        (
            place(ComplaintStatus::ALL.map(ComplaintStatus::as_str), status),
            category(*category_id).0,
            place(Severity::ALL.map(Severity::as_str), severity),
        )
    });
    let mut rows: Vec<Vec<Value>> = groups
        .iter()
        .map(|(status, category_id, severity, count)| {
            vec![
                Value::Text(status_name(status)),
                Value::Text(category(*category_id).1),
                Value::Text(severity_name(severity)),
                Value::Count(*count),
            ]
        })
        .collect();
    let chart_rows = rows.len();
    rows.push(vec![
        Value::Text(t!("report.total")),
        Value::Empty,
        Value::Empty,
        Value::Count(groups.iter().map(|g| g.3).sum()),
    ]);
    Ok(Table {
        title: t!("report.complaints.title"),
        columns: vec![
            Column::new("status", t!("report.col.status")),
            Column::new("category", t!("report.col.category")),
            Column::new("severity", t!("report.col.severity")),
            Column::new("complaints", t!("report.col.complaints")),
        ],
        rows,
        chart: vec![3],
        chart_rows,
    })
}

/// The figures of one severity, or of all: received, late first responses, late resolutions,
/// average hours to the first response and to a resolution, average satisfaction, rated.
type Service = (
    i64,
    Option<i64>,
    Option<i64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    i64,
);

/// An average as a cell: one decimal in the user's digits (as a percentage is shown), or empty
/// when there was nothing to average. A report cell has no decimal kind of its own, so it is
/// text, like the time spent of the activity report.
fn average(value: Option<f64>) -> Value {
    value.map_or(Value::Empty, Value::Decimal)
}

/// The wall-clock hours from a complaint's receipt to `moment` (an SQL expression of its
/// columns), as SQL of the store's backend; NULL when `moment` is.
fn hours_since_received(db: &Db, moment: &str) -> String {
    match db {
        Db::Sqlite(_) => {
            format!("(julianday({moment}) - julianday(complaints.received_at)) * 24.0")
        }
        Db::Pg(_) => {
            format!("EXTRACT(EPOCH FROM ({moment} - complaints.received_at)) / 3600.0")
        }
    }
}

/// The average of an SQL expression as a double on both backends (PostgreSQL averages a
/// `NUMERIC` to `NUMERIC`); NULL over no values.
fn avg(expression: &str) -> diesel::expression::SqlLiteral<Nullable<Double>> {
    sql(&format!("CAST(AVG({expression}) AS DOUBLE PRECISION)"))
}

/// `complaint-service`: the service levels kept per severity, with a total.
pub fn service(db: &mut Db, filters: &Filters) -> Result<Table> {
    let experts: Option<Vec<UserId>> = filters.experts(db)?;
    let range = filters.utc_range();
    let end_of_today = filters.today.succ_opt().map_or(NaiveDateTime::MAX, |d| {
        when::to_utc(d.and_time(NaiveTime::MIN))
    });
    let now = crate::store::now().min(end_of_today);
    let response_hours = hours_since_received(db, "complaints.acknowledged_at");
    let resolution_hours =
        hours_since_received(db, "COALESCE(complaints.resolved_at, complaints.closed_at)");
    let satisfaction = "CAST(complaints.satisfaction AS DOUBLE PRECISION)";
    // What stops each clock, as `clocks` reads it: the first response (or the closing), and
    // the closing.
    let unanswered = complaints::acknowledged_at
        .is_null()
        .and(complaints::closed_at.is_null());
    let response_late = complaints::response_due_at.is_not_null().and(
        complaints::acknowledged_at
            .gt(complaints::response_due_at)
            .or(complaints::acknowledged_at
                .is_null()
                .and(complaints::closed_at.gt(complaints::response_due_at)))
            .or(unanswered.and(complaints::response_due_at.le(now))),
    );
    let resolution_late = complaints::resolution_due_at.is_not_null().and(
        complaints::closed_at
            .gt(complaints::resolution_due_at)
            .or(complaints::closed_at
                .is_null()
                .and(complaints::resolution_due_at.le(now))),
    );
    let figures = || {
        (
            count_star(),
            diesel::dsl::sum(case_when::<_, _, Integer>(response_late, 1).otherwise(0)),
            diesel::dsl::sum(case_when::<_, _, Integer>(resolution_late, 1).otherwise(0)),
            avg(&response_hours),
            avg(&resolution_hours),
            avg(satisfaction),
            count(complaints::satisfaction),
        )
    };
    let grouped: Vec<(String, Service)> = narrowed!(
        complaints::table
            .group_by(complaints::severity)
            .select((complaints::severity, figures())),
        range,
        experts.clone()
    )
    .load(db)?;
    let total: Service =
        narrowed!(complaints::table.select(figures()), range, experts).first(db)?;
    let cells = |name: String, f: Option<&Service>| -> Vec<Value> {
        let mut row = vec![Value::Text(name)];
        let f = f.copied().unwrap_or((0, None, None, None, None, None, 0));
        row.extend([
            Value::Count(f.0),
            Value::Count(f.1.unwrap_or(0)),
            Value::Count(f.2.unwrap_or(0)),
            average(f.3),
            average(f.4),
            average(f.5),
            Value::Count(f.6),
        ]);
        row
    };
    // Every severity, those with no complaints too; then any code the table's check let by.
    let mut rows: Vec<Vec<Value>> = Severity::ALL
        .iter()
        .map(|s| {
            let found = grouped.iter().find(|g| g.0 == s.as_str()).map(|g| &g.1);
            cells(severity_name(s.as_str()), found)
        })
        .collect();
    rows.extend(
        grouped
            .iter()
            .filter(|g| Severity::parse(&g.0).is_none())
            .map(|g| cells(severity_name(&g.0), Some(&g.1))),
    );
    let chart_rows = rows.len();
    rows.push(cells(t!("report.total"), Some(&total)));
    Ok(Table {
        title: t!("report.complaint-service.title"),
        columns: vec![
            Column::new("severity", t!("report.col.severity")),
            Column::new("received", t!("report.col.complaints")),
            Column::new("response_breaches", t!("report.col.response-breaches")),
            Column::new("resolution_breaches", t!("report.col.resolution-breaches")),
            Column::new("avg_response_hours", t!("report.col.response-hours")),
            Column::new("avg_resolution_hours", t!("report.col.resolution-hours")),
            Column::new("avg_satisfaction", t!("report.col.satisfaction")),
            Column::new("rated", t!("report.col.rated")),
        ],
        rows,
        chart: vec![1, 2, 3],
        chart_rows,
    })
}
