//! The pipeline: the open cases by status and expert, how many and what they are expected to
//! bring, the statuses in funnel order. The date range is of the day a case was opened.

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::cases::{Dated, kept};
use super::{Column, Filters, Table, Value};
use crate::db::ids::{CaseStatusId, UserId};
use crate::db::schema::cases;
use crate::db::{self, Db};
use crate::error::Result;
use crate::store::names;
use crate::store::statuses::{self, CaseStatus, Outcome};
use crate::t;

pub fn run(db: &mut Db, filters: &Filters) -> Result<Table> {
    // The statuses in funnel order; the open ones are counted.
    let funnel: Vec<CaseStatus> = statuses::all(db)?
        .into_iter()
        .filter(|s| s.outcome() == Outcome::Open)
        .collect();
    let mut query = cases::table
        .filter(cases::status_id.eq_any(funnel.iter().map(|s| s.id).collect::<Vec<_>>()))
        .group_by((cases::status_id, cases::expert_id))
        .select((
            cases::status_id,
            cases::expert_id,
            count_star(),
            db::sum("cases.expected_amount"),
        ))
        .into_boxed();
    for condition in kept(db, filters, Dated::Opened)? {
        query = query.filter(condition);
    }
    let mut rows: Vec<(CaseStatusId, UserId, i64, i64)> = query.load(db)?;
    let experts = names::users(db, rows.iter().map(|r| r.1))?;
    let place = |status: CaseStatusId| funnel.iter().position(|s| s.id == status);
    rows.sort_by_key(|r| (place(r.0), experts.get(&r.1).cloned()));
    let mut table_rows: Vec<Vec<Value>> = rows
        .iter()
        .map(|(status, expert, count, expected)| {
            vec![
                Value::Text(
                    place(*status)
                        .map(|i| funnel[i].name.clone())
                        .unwrap_or_default(),
                ),
                Value::Text(experts.get(expert).cloned().unwrap_or_default()),
                Value::Count(*count),
                Value::Money(*expected),
            ]
        })
        .collect();
    let chart_rows = table_rows.len();
    table_rows.push(vec![
        Value::Text(t!("report.total")),
        Value::Empty,
        Value::Count(rows.iter().map(|r| r.2).sum()),
        Value::Money(rows.iter().map(|r| r.3).sum()),
    ]);
    Ok(Table {
        title: t!("report.pipeline.title"),
        columns: vec![
            Column::new("status", t!("report.col.status")),
            Column::new("expert", t!("report.heading.expert")),
            Column::new("cases", t!("report.col.cases")),
            Column::new("expected_amount", t!("report.col.expected-amount")),
        ],
        rows: table_rows,
        chart: vec![2],
        chart_rows,
    })
}
