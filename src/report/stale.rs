//! Stale cases: the open cases nobody has followed up for a while, per expert: how many, what
//! they are expected to bring, and the oldest last contact among them, with a total row. A case
//! is stale when it has had no follow-up in the `days` days before `today` (local) nor on
//! `today`; a case never followed up is stale once it was opened that long ago, its opening
//! counting as its last contact. It has no date range: it is about now.
//!
//! Each open case's last contact is the latest `happened_at` of its follow-ups, read from the
//! index of follow-ups by case and time (`followups_case_idx`), a seek per case rather than a
//! scan of the follow-ups.

use chrono::{Days, NaiveDateTime};
use diesel::dsl::{count_star, min, sql};
use diesel::expression::SqlLiteral;
use diesel::prelude::*;
use diesel::sql_types::Timestamp;

use super::activity::{column, per_expert, start_of};
use super::{Filters, Table, Value};
use crate::db::ids::{CaseStatusId, UserId};
use crate::db::schema::cases;
use crate::db::{self, Db};
use crate::domain::when;
use crate::error::Result;
use crate::store::statuses::{self, Outcome};
use crate::t;

/// The stale open cases per expert: their number, their expected amount, and the oldest last
/// contact.
pub fn run(db: &mut Db, filters: &Filters) -> Result<Table> {
    let open: Vec<CaseStatusId> = statuses::all(db)?
        .into_iter()
        .filter(|s| s.outcome() == Outcome::Open)
        .map(|s| s.id)
        .collect();
    let cutoff = filters
        .today
        .checked_sub_days(Days::new(u64::try_from(filters.days).unwrap_or(0)))
        .map_or(NaiveDateTime::MIN, start_of);
    let mut query = cases::table
        .filter(cases::status_id.eq_any(open))
        .filter(last_contact().lt(cutoff))
        .group_by(cases::expert_id)
        .select((
            cases::expert_id,
            count_star(),
            db::sum("cases.expected_amount"),
            min(last_contact()),
        ))
        .into_boxed();
    if let Some(experts) = filters.experts(db)? {
        query = query.filter(cases::expert_id.eq_any(experts));
    }
    let groups: Vec<(UserId, i64, i64, Option<NaiveDateTime>)> = query.load(db)?;
    let rows = groups
        .into_iter()
        .map(|(expert, count, expected, oldest)| {
            (
                expert,
                vec![
                    Value::Count(count),
                    Value::Money(expected),
                    oldest.map_or(Value::Empty, |at| Value::Date(when::to_local(at).date())),
                ],
            )
        })
        .collect();
    per_expert(
        db,
        t!("report.stale-cases.title"),
        vec![
            column("cases", t!("report.col.cases"), Value::Count(0)),
            column(
                "expected_amount",
                t!("report.col.expected-amount"),
                Value::Money(0),
            ),
            column(
                "oldest_contact",
                t!("report.col.oldest-contact"),
                Value::Empty,
            ),
        ],
        rows,
        vec![1],
    )
}

/// A case's last contact: its latest follow-up, or its opening when it has none.
fn last_contact() -> SqlLiteral<Timestamp> {
    sql(
        "COALESCE((SELECT MAX(f.happened_at) FROM followups f WHERE f.case_id = cases.id), \
         cases.created_at)",
    )
}
