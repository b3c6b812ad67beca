//! Workload: each expert's open planned actions as they stand today: how many are open, how many
//! of them are due today and how many are overdue (due before today began), and the minutes the
//! open ones are estimated to take, with a total row. Actions on cases and on complaints both
//! count. It has no date range: it is about now, measured at the filters' `today` (local).

use diesel::dsl::{case_when, count_star, sum};
use diesel::prelude::*;
use diesel::sql_types::Integer;

use super::activity::{column, per_expert, start_of};
use super::{Filters, Table, Value};
use crate::db::ids::UserId;
use crate::db::schema::planned_actions;
use crate::db::{self, Db};
use crate::error::Result;
use crate::store::planned::ActionStatus;
use crate::t;

/// The open planned actions per assignee: open, due today, overdue, estimated minutes.
pub fn run(db: &mut Db, filters: &Filters) -> Result<Table> {
    let today = start_of(filters.today);
    let tomorrow = filters
        .today
        .succ_opt()
        .map_or(chrono::NaiveDateTime::MAX, start_of);
    // Counted with `SUM(CASE WHEN … THEN 1 ELSE 0 END)`, one pass over the open actions.
    let (due, one, zero) = (
        planned_actions::due_at,
        1.into_sql::<Integer>(),
        0.into_sql::<Integer>(),
    );
    let mut query = planned_actions::table
        .filter(planned_actions::status.eq(ActionStatus::Open.as_str()))
        .group_by(planned_actions::assignee_id)
        .select((
            planned_actions::assignee_id,
            count_star(),
            sum(case_when(due.ge(today).and(due.lt(tomorrow)), one).otherwise(zero))
                .assume_not_null(),
            sum(case_when(due.lt(today), one).otherwise(zero)).assume_not_null(),
            db::sum("planned_actions.estimated_minutes"),
        ))
        .into_boxed();
    if let Some(experts) = filters.experts(db)? {
        query = query.filter(planned_actions::assignee_id.eq_any(experts));
    }
    // A group has an action at least, so its sums are never null.
    let groups: Vec<(UserId, i64, i64, i64, i64)> = query.load(db)?;
    let rows = groups
        .into_iter()
        .map(|(expert, open, due_today, overdue, minutes)| {
            (
                expert,
                vec![
                    Value::Count(open),
                    Value::Count(due_today),
                    Value::Count(overdue),
                    Value::Count(minutes),
                ],
            )
        })
        .collect();
    per_expert(
        db,
        t!("report.workload.title"),
        vec![
            column("open", t!("report.col.open-actions"), Value::Count(0)),
            column("due_today", t!("report.col.due-today"), Value::Count(0)),
            column("overdue", t!("report.col.overdue"), Value::Count(0)),
            column(
                "estimated_minutes",
                t!("report.col.estimated-minutes"),
                Value::Count(0),
            ),
        ],
        rows,
        vec![1, 3],
    )
}
