//! Referrers: per contact who referred a customer, the cases they brought and the amount won
//! from them (cases in a status whose outcome is won), the most won first, and a total. Cases
//! with no referrer are left out, so the total is of referred cases only. The date range is of
//! the day a case was opened.

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::cases::{Dated, kept};
use super::channels::{Brought, brought};
use super::{Column, Filters, Table, Value};
use crate::db::ids::{CaseStatusId, ContactId};
use crate::db::schema::cases;
use crate::db::{self, Db};
use crate::error::Result;
use crate::store::names;
use crate::t;

/// The report: a row per referrer, the most won first (then the most cases), and the total.
pub fn run(db: &mut Db, filters: &Filters) -> Result<Table> {
    let mut query = cases::table
        .filter(cases::referrer_id.is_not_null())
        .group_by((cases::referrer_id, cases::status_id))
        .select((
            cases::referrer_id.assume_not_null(),
            cases::status_id,
            count_star(),
            db::sum("cases.won_amount"),
        ))
        .into_boxed();
    for condition in kept(db, filters, Dated::Opened)? {
        query = query.filter(condition);
    }
    let sums: Vec<(ContactId, CaseStatusId, i64, i64)> = query.load(db)?;
    let groups = brought(db, sums)?;
    let names = names::contacts(db, groups.keys().copied())?;
    let name = |id: &ContactId| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let mut order: Vec<(&ContactId, &Brought)> = groups.iter().collect();
    order.sort_by_key(|(id, b)| (-b.won_amount, -b.opened, name(id)));
    let row = |name: String, b: &Brought| {
        vec![
            Value::Text(name),
            Value::Count(b.opened),
            Value::Money(b.won_amount),
        ]
    };
    let mut rows: Vec<Vec<Value>> = order.iter().map(|(id, b)| row(name(id), b)).collect();
    let chart_rows = rows.len();
    rows.push(row(t!("report.total"), &Brought::total(groups.values())));
    Ok(Table {
        title: t!("report.referrers.title"),
        columns: vec![
            Column::new("referrer", t!("report.col.referrer")),
            Column::new("cases", t!("report.col.cases")),
            Column::new("won_amount", t!("report.col.won-amount")),
        ],
        rows,
        chart: vec![2],
        chart_rows,
    })
}
