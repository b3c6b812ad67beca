//! Wins and losses: the closed cases (in a status whose outcome is won, lost or cancelled) by
//! outcome, close reason, expert and product group, how many and for how much, sorted by outcome
//! (won, lost, cancelled), then the most cases first. The amount is the won amount for won cases
//! and the expected amount for lost and cancelled ones (what was lost). Won cases have no reason,
//! so their reason is left empty; a lost or cancelled case with no reason is counted under "no
//! reason", one with no product group under "no product group". A total row per outcome follows
//! the rows, then the total of all closed cases, whose amount is left empty: won and lost
//! amounts are not added together. The date range is of the day a case was closed.

use std::collections::BTreeMap;

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::cases::{Dated, kept};
use super::{Column, Filters, Table, Value};
use crate::db::ids::{CaseStatusId, LookupId, UserId};
use crate::db::schema::cases;
use crate::db::{self, Db};
use crate::error::Result;
use crate::store::names;
use crate::store::statuses::{self, Outcome};
use crate::t;

/// The outcome's name in the user's language.
fn outcome_name(outcome: Outcome) -> String {
    match outcome {
        Outcome::Open => t!("status.outcome.open"),
        Outcome::Won => t!("status.outcome.won"),
        Outcome::Lost => t!("status.outcome.lost"),
        Outcome::Cancelled => t!("status.outcome.cancelled"),
    }
}

/// One row's group: outcome, close reason, expert, product group.
type Group = (Outcome, Option<LookupId>, UserId, Option<LookupId>);

/// The report: a row per outcome × reason × expert × product group, a total per outcome, and
/// the number of closed cases.
pub fn run(db: &mut Db, filters: &Filters) -> Result<Table> {
    let outcomes: BTreeMap<CaseStatusId, Outcome> = statuses::all(db)?
        .into_iter()
        .filter(|s| s.outcome() != Outcome::Open)
        .map(|s| (s.id, s.outcome()))
        .collect();
    let mut query = cases::table
        .filter(cases::status_id.eq_any(outcomes.keys().copied().collect::<Vec<_>>()))
        .group_by((
            cases::status_id,
            cases::close_reason_id,
            cases::expert_id,
            cases::product_group_id,
        ))
        .select((
            cases::status_id,
            cases::close_reason_id,
            cases::expert_id,
            cases::product_group_id,
            count_star(),
            db::sum("cases.won_amount"),
            db::sum("cases.expected_amount"),
        ))
        .into_boxed();
    for condition in kept(db, filters, Dated::Closed)? {
        query = query.filter(condition);
    }
    type Sums = (
        CaseStatusId,
        Option<LookupId>,
        UserId,
        Option<LookupId>,
        i64,
        i64,
        i64,
    );
    let sums: Vec<Sums> = query.load(db)?;
    // Statuses of the same outcome are one group: (cases, amount).
    let mut groups: BTreeMap<Group, (i64, i64)> = BTreeMap::new();
    for (status, reason, expert, product, count, won, expected) in sums {
        let Some(&outcome) = outcomes.get(&status) else {
            continue;
        };
        let group = groups
            .entry((outcome, reason, expert, product))
            .or_default();
        group.0 += count;
        group.1 += if outcome == Outcome::Won {
            won
        } else {
            expected
        };
    }
    let lookups = names::lookups(db, groups.keys().flat_map(|g| [g.1, g.3]).flatten())?;
    let experts = names::users(db, groups.keys().map(|g| g.2))?;
    let lookup = |id: Option<LookupId>, none: String| match id {
        Some(id) => lookups.get(&id).cloned().unwrap_or_else(|| id.to_string()),
        None => none,
    };
    let mut order: Vec<(&Group, &(i64, i64))> = groups.iter().collect();
    order.sort_by_key(|((outcome, reason, expert, product), (count, amount))| {
        (
            *outcome,
            -count,
            -amount,
            lookup(*reason, String::new()),
            experts.get(expert).cloned(),
            lookup(*product, String::new()),
        )
    });
    let mut rows: Vec<Vec<Value>> = order
        .iter()
        .map(|((outcome, reason, expert, product), (count, amount))| {
            vec![
                Value::Text(outcome_name(*outcome)),
                match (outcome, reason) {
                    (Outcome::Won, None) => Value::Empty,
                    _ => Value::Text(lookup(*reason, t!("report.no-reason"))),
                },
                Value::Text(experts.get(expert).cloned().unwrap_or_default()),
                Value::Text(lookup(*product, t!("report.no-product-group"))),
                Value::Count(*count),
                Value::Money(*amount),
            ]
        })
        .collect();
    let chart_rows = rows.len();
    let mut totals: BTreeMap<Outcome, (i64, i64)> = BTreeMap::new();
    for ((outcome, ..), (count, amount)) in &groups {
        let total = totals.entry(*outcome).or_default();
        total.0 += count;
        total.1 += amount;
    }
    for (outcome, (count, amount)) in &totals {
        rows.push(vec![
            Value::Text(outcome_name(*outcome)),
            Value::Text(t!("report.total")),
            Value::Empty,
            Value::Empty,
            Value::Count(*count),
            Value::Money(*amount),
        ]);
    }
    rows.push(vec![
        Value::Text(t!("report.total")),
        Value::Empty,
        Value::Empty,
        Value::Empty,
        Value::Count(totals.values().map(|t| t.0).sum()),
        Value::Empty,
    ]);
    Ok(Table {
        title: t!("report.win-loss.title"),
        columns: vec![
            Column::new("outcome", t!("status.col.outcome")),
            Column::new("reason", t!("report.col.reason")),
            Column::new("expert", t!("report.heading.expert")),
            Column::new("product_group", t!("report.heading.product")),
            Column::new("cases", t!("report.col.cases")),
            Column::new("amount", t!("report.col.amount")),
        ],
        rows,
        chart: vec![4],
        chart_rows,
    })
}
