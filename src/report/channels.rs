//! Marketing channels: per channel the cases opened, how many of them are won (in a status whose
//! outcome is won), the conversion rate (won ÷ opened) and the amount won; the cases with no
//! channel as one row of their own, and a total. The date range is of the day a case was opened:
//! a case opened in the range counts as won however late it was won.
//!
//! Also the pieces the other reports of where sales come from and how they end share: the
//! filters as conditions on the cases (`kept`), and the figures of a group folded from its
//! sums per status (`brought`).

use std::collections::BTreeMap;

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::cases::{Dated, kept};
use super::{Column, Filters, Table, Value};
use crate::db::ids::{CaseStatusId, LookupId};
use crate::db::schema::cases;
use crate::db::{self, Db};
use crate::error::Result;
use crate::store::names;
use crate::store::statuses::{self, Outcome};
use crate::t;

/// What the cases of one group brought.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Brought {
    /// How many cases.
    pub opened: i64,
    /// How many of them are won.
    pub won: i64,
    /// The amount the won ones were won for.
    pub won_amount: i64,
}

impl Brought {
    /// Won as a percentage of opened; `None` without cases.
    pub fn conversion(&self) -> Option<f64> {
        (self.opened > 0).then(|| self.won as f64 * 100.0 / self.opened as f64)
    }

    fn add(&mut self, other: &Brought) {
        self.opened += other.opened;
        self.won += other.won;
        self.won_amount += other.won_amount;
    }

    /// The groups added up.
    pub fn total<'a>(all: impl IntoIterator<Item = &'a Brought>) -> Brought {
        let mut total = Brought::default();
        for b in all {
            total.add(b);
        }
        total
    }
}

/// Each group's figures from the database's sums per group and status, as (group, status,
/// cases, won amount): a status whose outcome is won counts its cases as won and its amount;
/// the others count only their cases.
pub(super) fn brought<K: Ord>(
    db: &mut Db,
    sums: Vec<(K, CaseStatusId, i64, i64)>,
) -> Result<BTreeMap<K, Brought>> {
    let won: Vec<CaseStatusId> = statuses::all(db)?
        .into_iter()
        .filter(|s| s.outcome() == Outcome::Won)
        .map(|s| s.id)
        .collect();
    let mut groups: BTreeMap<K, Brought> = BTreeMap::new();
    for (key, status, count, won_amount) in sums {
        let group = groups.entry(key).or_default();
        group.opened += count;
        if won.contains(&status) {
            group.won += count;
            group.won_amount += won_amount;
        }
    }
    Ok(groups)
}

/// The report: a row per channel, the most cases first (then the most won), then the cases
/// with no channel and the total.
pub fn run(db: &mut Db, filters: &Filters) -> Result<Table> {
    let mut query = cases::table
        .group_by((cases::channel_id, cases::status_id))
        .select((
            cases::channel_id,
            cases::status_id,
            count_star(),
            db::sum("cases.won_amount"),
        ))
        .into_boxed();
    for condition in kept(db, filters, Dated::Opened)? {
        query = query.filter(condition);
    }
    let sums: Vec<(Option<LookupId>, CaseStatusId, i64, i64)> = query.load(db)?;
    let groups = brought(db, sums)?;
    let names = names::lookups(db, groups.keys().flatten().copied())?;
    let name = |channel: &Option<LookupId>| match channel {
        Some(id) => names.get(id).cloned().unwrap_or_else(|| id.to_string()),
        None => t!("report.no-channel"),
    };
    let mut order: Vec<(&Option<LookupId>, &Brought)> = groups.iter().collect();
    // The channels by cases, then by cases won, then by name; the cases with no channel last.
    order.sort_by_key(|(channel, b)| (channel.is_none(), -b.opened, -b.won, name(channel)));
    let row = |name: String, b: &Brought| {
        vec![
            Value::Text(name),
            Value::Count(b.opened),
            Value::Count(b.won),
            Value::percent(b.conversion()),
            Value::Money(b.won_amount),
        ]
    };
    let mut rows: Vec<Vec<Value>> = order.iter().map(|(c, b)| row(name(c), b)).collect();
    let chart_rows = rows.len();
    rows.push(row(t!("report.total"), &Brought::total(groups.values())));
    Ok(Table {
        title: t!("report.channels.title"),
        columns: vec![
            Column::new("channel", t!("report.col.channel")),
            Column::new("cases", t!("report.col.cases")),
            Column::new("won", t!("report.col.won")),
            Column::new("conversion", t!("report.col.conversion")),
            Column::new("won_amount", t!("report.col.won-amount")),
        ],
        rows,
        chart: vec![1, 2],
        chart_rows,
    })
}
