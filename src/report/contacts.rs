//! The contact-base reports. `contact-base`: the contacts on file (archived ones left out) by
//! kind, top-level category and province, with a total. `new-contacts`: the contacts added each
//! month, persons and companies, oldest month first, for a trend line.
//!
//! The date range of both is of the day a contact was added: `contact-base` then counts the
//! contacts added in those days, `new-contacts` the months those days fall in.
//!
//! In `contact-base` a contact filed under a category, or under any category below it, counts
//! once under that top-level category; one filed under two top-level categories counts under
//! each (so the rows can add up to more than the total, which counts every contact once), and
//! one filed nowhere counts as "not filed". A contact's region counts under its province (the
//! top of the region list's tree: a city under its province). The trees are walked in the
//! database, so the counts are of distinct contacts.
//!
//! The months of `new-contacts` are those of the calendar in force (Jalali months `1405/09`,
//! or Gregorian `2026-11`, in the user's digits), each from local midnight of its first day;
//! every month of the span is listed, those with no new contact too. The span is the range's
//! months, or, on a side the range leaves open, up to the first or last contact added.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::dsl::{max, min, sql};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};

use super::{Column, Filters, Table, Value};
use crate::db::ids::{CategoryId, LookupId};
use crate::db::schema::contacts;
use crate::db::{self, Db};
use crate::domain::jalali::JalaliDate;
use crate::domain::locale::{self, Calendar};
use crate::domain::when;
use crate::error::Result;
use crate::store::categories;
use crate::store::contacts::ContactKind;
use crate::store::lookups::{self, List};
use crate::t;

/// A stored time as an SQL literal both backends compare with a timestamp column (SQLite keeps
/// timestamps as text in this form). The time is ours, digits and separators only.
fn literal(at: NaiveDateTime) -> String {
    format!("'{}'", at.format("%Y-%m-%d %H:%M:%S%.f"))
}

/// The SQL condition of the contacts a report counts: not archived, added in the filters' days.
fn added(filters: &Filters) -> String {
    let mut condition = String::from("NOT contacts.archived");
    let (from, to) = filters.utc_range();
    if let Some(from) = from {
        condition.push_str(&format!(" AND contacts.created_at >= {}", literal(from)));
    }
    if let Some(to) = to {
        condition.push_str(&format!(" AND contacts.created_at < {}", literal(to)));
    }
    condition
}

/// The kinds in the order the reports list them, with their names.
fn kinds() -> [(ContactKind, String); 2] {
    [ContactKind::Person, ContactKind::Company].map(|k| {
        let name = match k {
            ContactKind::Person => t!("contacts.kind.person"),
            ContactKind::Company => t!("contacts.kind.company"),
        };
        (k, name)
    })
}

/// The contacts of one kind × top-level category × province.
#[derive(QueryableByName)]
struct BaseGroup {
    #[diesel(sql_type = Text)]
    kind: String,
    /// The top-level category; `None`: filed nowhere.
    #[diesel(sql_type = Nullable<BigInt>)]
    top: Option<CategoryId>,
    /// The province; `None`: no region.
    #[diesel(sql_type = Nullable<BigInt>)]
    province: Option<LookupId>,
    #[diesel(sql_type = BigInt)]
    contacts: i64,
}

/// `contact-base`: the contacts per kind × top-level category × province, with a total.
pub fn base(db: &mut Db, filters: &Filters) -> Result<Table> {
    let condition = added(filters);
    // Each category with the top of its tree, each region with its province: walked in the
    // database, so a contact filed twice under one top is counted once there.
    let statement = format!(
        "WITH RECURSIVE \
           tops (id, top) AS ( \
             SELECT id, id FROM categories WHERE parent_id IS NULL \
             UNION ALL \
             SELECT categories.id, tops.top FROM categories \
               JOIN tops ON categories.parent_id = tops.id), \
           provinces (id, province) AS ( \
             SELECT id, id FROM lookups WHERE list = '{region}' AND parent_id IS NULL \
             UNION ALL \
             SELECT lookups.id, provinces.province FROM lookups \
               JOIN provinces ON lookups.parent_id = provinces.id) \
         SELECT contacts.kind AS kind, tops.top AS top, provinces.province AS province, \
                COUNT(DISTINCT contacts.id) AS contacts \
         FROM contacts \
           LEFT JOIN contact_categories ON contact_categories.contact_id = contacts.id \
           LEFT JOIN tops ON tops.id = contact_categories.category_id \
           LEFT JOIN provinces ON provinces.id = contacts.region_id \
         WHERE {condition} \
         GROUP BY contacts.kind, tops.top, provinces.province",
        region = List::Region.as_str(),
    );
    let mut groups: Vec<BaseGroup> = diesel::sql_query(statement).load(db)?;
    let total: i64 = contacts::table
        .filter(sql::<Bool>(&condition))
        .count()
        .get_result(db)?;

    let kinds = kinds();
    // Every category in tree order; the path of a top-level one is its name.
    let tops: Vec<(CategoryId, String)> = categories::paths(db)?;
    let provinces: Vec<(LookupId, String)> = lookups::items_all(db, List::Region)?
        .into_iter()
        .filter(|r| r.parent_id.is_none())
        .map(|r| (r.id, r.name))
        .collect();
    // Where a row stands and what it is called: known entries in their order, then the rest.
    fn named<T: PartialEq + Copy>(
        entries: &[(T, String)],
        id: Option<T>,
        none: &str,
    ) -> (usize, String) {
        match id {
            Some(id) => entries
                .iter()
                .position(|e| e.0 == id)
                .map_or((entries.len(), String::new()), |i| {
                    (i, entries[i].1.clone())
                }),
            None => (entries.len() + 1, none.to_string()),
        }
    }
    let not_filed = t!("report.not-filed");
    let no_region = t!("report.no-region");
    let kind_place = |kind: &str| {
        kinds
            .iter()
            .position(|k| k.0.as_str() == kind)
            .unwrap_or(kinds.len())
    };
    groups.sort_by_cached_key(|g| {
        (
            kind_place(&g.kind),
            named(&tops, g.top, &not_filed),
            named(&provinces, g.province, &no_region),
        )
    });
    let mut rows: Vec<Vec<Value>> = groups
        .iter()
        .map(|g| {
            let kind = kinds
                .get(kind_place(&g.kind))
                .map_or_else(|| g.kind.clone(), |k| k.1.clone());
            vec![
                Value::Text(kind),
                Value::Text(named(&tops, g.top, &not_filed).1),
                Value::Text(named(&provinces, g.province, &no_region).1),
                Value::Count(g.contacts),
            ]
        })
        .collect();
    let chart_rows = rows.len();
    rows.push(vec![
        Value::Text(t!("report.total")),
        Value::Empty,
        Value::Empty,
        Value::Count(total),
    ]);
    Ok(Table {
        title: t!("report.contact-base.title"),
        columns: vec![
            Column::new("kind", t!("report.col.kind")),
            Column::new("category", t!("report.col.category")),
            Column::new("province", t!("report.col.province")),
            Column::new("contacts", t!("report.col.contacts")),
        ],
        rows,
        chart: vec![3],
        chart_rows,
    })
}

/// A month of `calendar`: its label (`1405/09`, `2026-11`) and its first day.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Month {
    label: String,
    starts: NaiveDate,
}

/// The month of `calendar` that holds `day`.
fn month_of(day: NaiveDate, calendar: Calendar) -> Month {
    let gregorian = || Month {
        label: day.format("%Y-%m").to_string(),
        starts: day.with_day(1).unwrap_or(day),
    };
    match calendar {
        Calendar::Gregorian => gregorian(),
        Calendar::Jalali => JalaliDate::from_gregorian(day)
            .and_then(|j| {
                let starts = JalaliDate::new(j.year, j.month, 1).ok()?.to_gregorian()?;
                Some(Month {
                    label: format!("{:04}/{:02}", j.year, j.month),
                    starts,
                })
            })
            .unwrap_or_else(gregorian),
    }
}

/// The months of `calendar` from the one holding `first` to the one holding `last`, oldest
/// first, and the day after the last of them.
fn months(first: NaiveDate, last: NaiveDate, calendar: Calendar) -> (Vec<Month>, NaiveDate) {
    let mut months = vec![month_of(first, calendar)];
    loop {
        // A month is 28 to 31 days long: 31 days after one starts is always in the next.
        let starts = months.last().map_or(first, |m| m.starts);
        let next = month_of(starts + chrono::Days::new(31), calendar);
        if next.starts > last {
            return (months, next.starts);
        }
        months.push(next);
    }
}

/// `new-contacts`: the contacts added per month of the calendar in force, persons and
/// companies, oldest first, with a total row.
pub fn new_contacts(db: &mut Db, filters: &Filters) -> Result<Table> {
    let condition = added(filters);
    let (first, last): (Option<NaiveDateTime>, Option<NaiveDateTime>) = contacts::table
        .filter(sql::<Bool>(&condition))
        .select((min(contacts::created_at), max(contacts::created_at)))
        .first(db)?;
    let local_day = |at: NaiveDateTime| when::to_local(at).date();
    let span = match (
        filters.from.or(first.map(local_day)),
        filters.to.or(last.map(local_day)),
    ) {
        (Some(from), Some(to)) if from <= to => Some(months(from, to, locale::calendar())),
        _ => None,
    };
    let (months, ends) = span.unwrap_or_default();
    let start = |day: NaiveDate| literal(when::to_utc(day.and_time(NaiveTime::MIN)));
    // The month each contact falls in, by the months' UTC bounds: exact whatever the offset.
    let mut case = String::from("CAST(CASE");
    for (i, bound) in months
        .iter()
        .skip(1)
        .map(|m| m.starts)
        .chain([ends])
        .enumerate()
    {
        case.push_str(&format!(
            " WHEN contacts.created_at < {} THEN {i}",
            start(bound)
        ));
    }
    case.push_str(&format!(" ELSE {} END AS BIGINT)", months.len()));
    let kind_count = |kind: ContactKind| {
        db::sum(&format!(
            "CASE WHEN contacts.kind = '{}' THEN 1 ELSE 0 END",
            kind.as_str()
        ))
    };
    let counted: HashMap<i64, (i64, i64)> = if months.is_empty() {
        HashMap::new()
    } else {
        contacts::table
            .filter(sql::<Bool>(&condition))
            .group_by(sql::<BigInt>(&case))
            .select((
                sql::<BigInt>(&case),
                kind_count(ContactKind::Person),
                kind_count(ContactKind::Company),
            ))
            .load::<(i64, i64, i64)>(db)?
            .into_iter()
            .map(|(month, persons, companies)| (month, (persons, companies)))
            .collect()
    };
    let mut totals = (0, 0);
    let mut rows: Vec<Vec<Value>> = months
        .iter()
        .enumerate()
        .map(|(i, month)| {
            let (persons, companies) = i64::try_from(i)
                .ok()
                .and_then(|i| counted.get(&i))
                .copied()
                .unwrap_or((0, 0));
            totals = (totals.0 + persons, totals.1 + companies);
            vec![
                Value::Code(month.label.clone()),
                Value::Count(persons),
                Value::Count(companies),
                Value::Count(persons + companies),
            ]
        })
        .collect();
    let chart_rows = rows.len();
    rows.push(vec![
        Value::Text(t!("report.total")),
        Value::Count(totals.0),
        Value::Count(totals.1),
        Value::Count(totals.0 + totals.1),
    ]);
    Ok(Table {
        title: t!("report.new-contacts.title"),
        columns: vec![
            Column::new("month", t!("report.col.month")),
            Column::new("persons", t!("report.col.persons")),
            Column::new("companies", t!("report.col.companies")),
            Column::new("total", t!("report.total")),
        ],
        rows,
        chart: vec![3],
        chart_rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    fn labels(months: &[Month]) -> Vec<&str> {
        months.iter().map(|m| m.label.as_str()).collect()
    }

    #[test]
    fn months_follow_the_calendar_in_force() {
        // Esfand 1403 (a leap year) has 30 days: Farvardin 1404 starts on March 21st, 2025.
        let (jalali, ends) = months(day(2025, 2, 25), day(2025, 4, 20), Calendar::Jalali);
        assert_eq!(labels(&jalali), ["1403/12", "1404/01"]);
        assert_eq!(jalali[0].starts, day(2025, 2, 19));
        assert_eq!(jalali[1].starts, day(2025, 3, 21));
        assert_eq!(ends, day(2025, 4, 21));
        // A February of 28 days, and a single day's month.
        let (gregorian, ends) = months(day(2026, 1, 31), day(2026, 3, 1), Calendar::Gregorian);
        assert_eq!(labels(&gregorian), ["2026-01", "2026-02", "2026-03"]);
        assert_eq!(ends, day(2026, 4, 1));
        let (one, ends) = months(day(2026, 2, 10), day(2026, 2, 10), Calendar::Gregorian);
        assert_eq!(labels(&one), ["2026-02"]);
        assert_eq!(ends, day(2026, 3, 1));
    }
}
