//! Numbering scopes (`case:1405`, `complaint:1405`): the last number taken in each, kept in
//! `number_sequences` so numbers are never reused.
//!
//! A number is taken by one statement that adds the scope's row or increments it and returns
//! the new value, inside the transaction that uses the number: PostgreSQL holds the row's lock
//! until that transaction ends (a second writer waits, then sees the new value), SQLite lets one
//! writer in at a time. Two writers never get the same number, and a number rolled back with its
//! transaction is taken again by the next writer, so there are no gaps either.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::Db;
use crate::db::schema::number_sequences;
use crate::domain::jalali::JalaliDate;
use crate::error::Result;
use crate::on_backend;

/// Sets a numbering scope's last value, never lowering it.
pub fn raise_to(db: &mut Db, scope: &str, last: i64) -> Result<()> {
    let current: Option<i64> = number_sequences::table
        .find(scope)
        .select(number_sequences::last_value)
        .first(db)
        .optional()?;
    match current {
        Some(value) if value >= last => {}
        Some(_) => {
            diesel::update(number_sequences::table.find(scope))
                .set(number_sequences::last_value.eq(last))
                .execute(db)?;
        }
        None => {
            diesel::insert_into(number_sequences::table)
                .values((
                    number_sequences::scope.eq(scope),
                    number_sequences::last_value.eq(last),
                ))
                .execute(db)?;
        }
    }
    Ok(())
}

/// Takes the next number of `scope` (1 for a new scope). Call it inside the transaction that
/// stores the number, as late as possible: on PostgreSQL other writers of the scope wait for
/// that transaction to end.
pub fn take_next(db: &mut Db, scope: &str) -> Result<i64> {
    let value = on_backend!(db, |c| diesel::insert_into(number_sequences::table)
        .values((
            number_sequences::scope.eq(scope),
            number_sequences::last_value.eq(1_i64),
        ))
        .on_conflict(number_sequences::scope)
        .do_update()
        .set(number_sequences::last_value.eq(number_sequences::last_value + 1_i64))
        .returning(number_sequences::last_value)
        .get_result::<i64>(c))?;
    Ok(value)
}

/// The last number taken in `scope`, if any.
pub fn last(db: &mut Db, scope: &str) -> Result<Option<i64>> {
    Ok(number_sequences::table
        .find(scope)
        .select(number_sequences::last_value)
        .first(db)
        .optional()?)
}

/// The Jalali year `day` falls in (numbers are per Jalali year).
pub fn jalali_year(day: NaiveDate) -> i32 {
    JalaliDate::from_gregorian(day).map_or_else(
        // Outside the converted range (622-3798 AD): the Gregorian year shifted as usual.
        || chrono::Datelike::year(&day) - 621,
        |d| d.year,
    )
}

/// The scope case numbers of a Jalali year are taken from: `case:1405`.
pub fn case_scope(year: i32) -> String {
    format!("case:{year}")
}

/// A case number as people read it: `1405-00042`.
pub fn case_number(year: i32, value: i64) -> String {
    format!("{year}-{value:05}")
}

/// The numbering scope of complaints received in a Jalali year: `complaint:1405`.
pub fn complaint_scope(year: i32) -> String {
    format!("complaint:{year}")
}

/// A complaint number as people read it: `C-1405-00042`.
pub fn complaint_number(year: i32, value: i64) -> String {
    format!("C-{year}-{value:05}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_year_and_sequence() {
        assert_eq!(case_number(1405, 42), "1405-00042");
        assert_eq!(case_number(1405, 123_456), "1405-123456");
        assert_eq!(case_scope(1405), "case:1405");
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a real date");
        // Nowruz 1405 is 21 March 2026.
        assert_eq!(jalali_year(day(2026, 3, 20)), 1404);
        assert_eq!(jalali_year(day(2026, 3, 21)), 1405);
        assert_eq!(jalali_year(day(2026, 12, 31)), 1405);
    }
}
