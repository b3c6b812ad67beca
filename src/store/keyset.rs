//! Where the next page of a list starts: a row-value comparison `(a, b) > (x, y)` over the
//! columns of the list's order. Both backends seek it in an index on those columns: PostgreSQL by
//! the whole row value, SQLite by its first column (`a >= x`), checking the rest on the rows that
//! tie with the key there. A page then costs a seek and a page's walk wherever it is in the list.
//!
//! The same condition written out, `a > x OR (a = x AND b > y)`, means the same rows, but
//! neither planner reads it as one range: SQLite walks the index from the list's start and
//! filters, and PostgreSQL does the same (or gathers every row after the key and sorts them), so
//! a page near the end of a long list costs as much as reading the whole list (a page near the
//! end of a million follow-ups on SQLite: 235 ms, against 0.4 ms as a row value).
//!
//! A row value holds only for an order whose columns all go the same way and are never NULL in
//! the range it bounds: `(a, b) > (x, y)` is NULL, so false, for a row whose `a` is NULL. A list
//! ordered otherwise is read as consecutive runs that an index holds in order (the complaints
//! with a due time, then those without; each priority's cases), as its module explains.
//!
//! SQLite (3.15 and later) and PostgreSQL both compare row values element by element, left to
//! right, deciding at the first pair that differs.

use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, AsExpression, Expression, SelectableExpression};
use diesel::expression::{TypedExpressionType, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::sql_types::{Bool, SqlType};

/// Which way a read goes through a list read as runs (see the module's doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// In list order, from the key (or the start) on.
    Forward,
    /// Against it, from the key (or the end) back.
    Backward,
}

/// A page of up to `limit` rows read from `runs` in turn (the runs in the way the page goes),
/// each asked by `read(run, left)` for the `left` rows still missing, until the page is full or
/// the runs are done.
pub fn fill<R, T, E>(
    runs: impl IntoIterator<Item = R>,
    limit: i64,
    mut read: impl FnMut(R, i64) -> Result<Vec<T>, E>,
) -> Result<Vec<T>, E> {
    let mut rows: Vec<T> = Vec::new();
    for run in runs {
        let left = limit - i64::try_from(rows.len()).unwrap_or(i64::MAX);
        if left <= 0 {
            break;
        }
        rows.extend(read(run, left)?);
    }
    Ok(rows)
}

/// `(columns…) > (values…)`: the rows after the key in the columns' ascending order.
pub fn greater<C, V>(columns: C, values: V) -> RowCompare<C, C::Values>
where
    C: Columns<V>,
{
    RowCompare {
        values: C::values(values),
        columns,
        operator: " > ",
    }
}

/// `(columns…) < (values…)`: the rows before the key in the columns' ascending order (after it
/// when the list runs the other way, newest first).
pub fn less<C, V>(columns: C, values: V) -> RowCompare<C, C::Values>
where
    C: Columns<V>,
{
    RowCompare {
        values: C::values(values),
        columns,
        operator: " < ",
    }
}

/// A tuple of columns, and the key's values for them: each value is bound as its column's SQL
/// type (a time as a timestamp, an id as an integer), so a key of the wrong shape does not build.
pub trait Columns<V> {
    /// The values as bound parameters.
    type Values;

    fn values(values: V) -> Self::Values;
}

macro_rules! columns {
    ($($column:ident $value:ident $index:tt),+) => {
        impl<$($column,)+ $($value,)+> Columns<($($value,)+)> for ($($column,)+)
        where
            $(
                $column: Expression,
                $column::SqlType: SqlType + TypedExpressionType,
                $value: AsExpression<$column::SqlType>,
            )+
        {
            type Values = ($($value::Expression,)+);

            fn values(values: ($($value,)+)) -> Self::Values {
                ($(values.$index.as_expression(),)+)
            }
        }
    };
}

columns!(C0 V0 0, C1 V1 1);
columns!(C0 V0 0, C1 V1 1, C2 V2 2);

/// A comparison of two row values, made by [`greater`] or [`less`].
#[derive(Debug, Clone, Copy)]
pub struct RowCompare<C, V> {
    columns: C,
    values: V,
    operator: &'static str,
}

impl<C, V> Expression for RowCompare<C, V> {
    type SqlType = Bool;
}

impl<C, V, DB> QueryFragment<DB> for RowCompare<C, V>
where
    DB: Backend,
    C: QueryFragment<DB>,
    V: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("(");
        self.columns.walk_ast(out.reborrow())?;
        out.push_sql(")");
        out.push_sql(self.operator);
        out.push_sql("(");
        self.values.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}

impl<C, V> QueryId for RowCompare<C, V> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C, V, QS> AppearsOnTable<QS> for RowCompare<C, V>
where
    C: AppearsOnTable<QS>,
    V: AppearsOnTable<QS>,
{
}

impl<C, V, QS> SelectableExpression<QS> for RowCompare<C, V>
where
    C: SelectableExpression<QS>,
    V: SelectableExpression<QS>,
{
}

impl<C, V, GB> ValidGrouping<GB> for RowCompare<C, V>
where
    (C, V): ValidGrouping<GB>,
{
    type IsAggregate = <(C, V) as ValidGrouping<GB>>::IsAggregate;
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveDateTime};
    use diesel::pg::Pg;
    use diesel::prelude::*;
    use diesel::sqlite::Sqlite;

    use super::*;
    use crate::db::ids::{ComplaintId, FollowUpId};
    use crate::db::schema::{complaints, followups};

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .expect("a time")
    }

    #[test]
    fn a_key_is_one_row_value_compared_with_the_columns_of_the_order() {
        let query = followups::table.select(followups::id).filter(less(
            (followups::happened_at, followups::id),
            (at(7, 9), FollowUpId(42)),
        ));
        let sql = diesel::debug_query::<Sqlite, _>(&query).to_string();
        assert!(
            sql.contains("WHERE (`followups`.`happened_at`, `followups`.`id`) < (?, ?)"),
            "{sql}"
        );
        let sql = diesel::debug_query::<Pg, _>(&query).to_string();
        assert!(
            sql.contains(r#"WHERE ("followups"."happened_at", "followups"."id") < ($1, $2)"#),
            "{sql}"
        );
        // A nullable column takes the key's value as is: a key never holds a NULL.
        let query = complaints::table.select(complaints::id).filter(greater(
            (complaints::resolution_due_at, complaints::id),
            (at(7, 9), ComplaintId(3)),
        ));
        let sql = diesel::debug_query::<Pg, _>(&query).to_string();
        assert!(
            sql.contains(r#"("complaints"."resolution_due_at", "complaints"."id") > ($1, $2)"#),
            "{sql}"
        );
    }

    #[derive(QueryableByName)]
    struct Answer {
        #[diesel(sql_type = diesel::sql_types::Nullable<Bool>)]
        answer: Option<bool>,
    }

    #[test]
    fn row_values_compare_left_to_right_and_a_null_before_the_first_difference_is_no_match() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = crate::db::StoreUrl::Sqlite(dir.path().join("keyset.db"));
        let crate::db::Db::Sqlite(mut conn) = crate::db::open(&url).expect("open") else {
            unreachable!("a SQLite store")
        };
        let mut ask = |sql: &str| -> Option<bool> {
            diesel::sql_query(format!("SELECT {sql} AS answer"))
                .get_result::<Answer>(&mut conn)
                .expect("compare")
                .answer
        };
        assert_eq!(ask("(1, 5) > (1, 4)"), Some(true));
        assert_eq!(ask("(1, 5) > (1, 5)"), Some(false));
        assert_eq!(ask("(2, 0) > (1, 9)"), Some(true));
        // Decided by the first pair that differs, whatever comes after it.
        assert_eq!(ask("(1, 1, NULL) > (1, 0, 7)"), Some(true));
        // A NULL met first leaves the answer unknown: the row is not in the range.
        assert_eq!(ask("(NULL, 5) > (1, 4)"), None);
        assert_eq!(ask("(NULL, 5) < (1, 4)"), None);
    }
}
