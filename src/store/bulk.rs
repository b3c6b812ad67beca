//! Batch inserts for demo data and imports: many rows of one table in as few statements as the
//! backend allows. These write exactly the rows given: no role check, no validation and no audit
//! row per insert. The caller checks, validates, wraps the work in one transaction and records
//! one audit row for the batch as a whole.
//!
//! A statement carries at most as many bound values as the backend accepts (SQLite 32,766,
//! PostgreSQL 65,535), so rows go in chunks of `floor(limit / columns)`. The row structs say
//! `treat_none_as_default_value = false`: every row then binds every column and the chunk is one
//! multi-row `INSERT`, which SQLite cannot build when a row may fall back to a column default.
//!
//! The row structs are each entity's insert form, kept in its store module beside the stored row
//! and used by its single writes too; this module holds only the machinery and one loader a table.

use diesel::prelude::*;

use super::audit::NewAuditEntry;
use super::cases::NewCase;
use super::categories::{ContactCategory, NewCategory};
use super::complaints::{NewComplaint, NewComplaintStatusChange};
use super::contacts::{NewContact, NewContactLink};
use super::followups::NewFollowUp;
use super::org_units::NewOrgUnit;
use super::planned::NewPlannedAction;
use super::plans::{NewPlanLine, NewSalesPlan};
use super::sales::NewSale;
use crate::db::Db;
use crate::db::ids::{
    CaseId, CategoryId, ComplaintId, ContactId, FollowUpId, LookupId, OrgUnitId, SaleId,
    SalesPlanId, UserId,
};
use crate::db::schema::{
    audit_log, cases, categories, complaint_status_history, complaints, contact_categories,
    contact_links, contacts, followups, org_units, plan_lines, planned_actions, sales, sales_plans,
};
use crate::error::Result;

/// The most values SQLite binds in one statement (its default `SQLITE_MAX_VARIABLE_NUMBER`).
pub const SQLITE_MAX_BINDS: usize = 32_766;
/// The most values PostgreSQL's protocol binds in one statement.
pub const POSTGRES_MAX_BINDS: usize = 65_535;

/// A row struct for a batch insert: how many columns each row binds.
pub trait BulkRow {
    const COLUMNS: usize;
}

/// How many rows of `R` fit in one statement of at most `limit` bound values.
pub const fn rows_within<R: BulkRow>(limit: usize) -> usize {
    let rows = limit / R::COLUMNS;
    if rows == 0 { 1 } else { rows }
}

/// How many rows of `R` fit in one statement on this connection's backend.
pub fn rows_per_statement<R: BulkRow>(db: &Db) -> usize {
    match db {
        Db::Sqlite(_) => rows_within::<R>(SQLITE_MAX_BINDS),
        Db::Pg(_) => rows_within::<R>(POSTGRES_MAX_BINDS),
    }
}

/// An index or constraint as its backend describes it: its name and how to make it again.
#[derive(Debug, Clone, PartialEq, Eq, diesel::QueryableByName)]
struct Definition {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    definition: String,
}

/// The secondary indexes of `table` that can be dropped and made again (not the primary key,
/// nor an index that backs a constraint), with their `CREATE INDEX` statements.
fn secondary_indexes(db: &mut Db, table: &str) -> Result<Vec<Definition>> {
    use diesel::sql_types::Text;
    let indexes = match db {
        Db::Sqlite(c) => diesel::sql_query(
            "SELECT name, sql AS definition FROM sqlite_master \
             WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
        )
        .bind::<Text, _>(table)
        .load(c)?,
        Db::Pg(c) => diesel::sql_query(
            "SELECT i.relname::text AS name, pg_get_indexdef(i.oid) AS definition \
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
             JOIN pg_class t ON t.oid = x.indrelid \
             WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace \
             AND NOT x.indisprimary \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) \
             ORDER BY 1",
        )
        .bind::<Text, _>(table)
        .load(c)?,
    };
    Ok(indexes)
}

/// The foreign keys of `table` on PostgreSQL, with the clause that adds each back. SQLite keeps
/// its foreign keys in the table's own definition, and checks them cheaply anyway: none there.
fn foreign_keys(db: &mut Db, table: &str) -> Result<Vec<Definition>> {
    let keys = match db {
        Db::Sqlite(_) => Vec::new(),
        Db::Pg(c) => diesel::sql_query(
            "SELECT k.conname::text AS name, pg_get_constraintdef(k.oid) AS definition \
             FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid \
             WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace \
             AND k.contype = 'f' ORDER BY 1",
        )
        .bind::<diesel::sql_types::Text, _>(table)
        .load(c)?,
    };
    Ok(keys)
}

/// An identifier quoted for SQL (both backends use double quotes).
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Runs `work`, a large batch load into `tables`, with their secondary indexes dropped (and on
/// PostgreSQL their foreign keys), then makes them again from their own definitions, all in one
/// transaction (a savepoint inside the caller's).
///
/// Building an index once over sorted keys is several times faster than keeping it up to date
/// row by row in random key order; PostgreSQL checks a re-added foreign key with one join
/// instead of a lookup per row. Nothing is skipped: a row that breaks a unique index or a
/// foreign key fails the whole load. The tables are locked meanwhile, so use this for loads that
/// are large next to what the tables already hold.
pub fn load<T, E>(
    db: &mut Db,
    tables: &[&str],
    work: impl FnOnce(&mut Db) -> std::result::Result<T, E>,
) -> std::result::Result<T, E>
where
    E: From<crate::error::Error> + From<diesel::result::Error>,
{
    db.transaction(|db| {
        let mut indexes = Vec::new();
        let mut keys = Vec::new();
        for table in tables {
            debug_assert!(crate::db::schema::TABLES.contains(table));
            for key in foreign_keys(db, table)? {
                let sql = format!(
                    "ALTER TABLE {} DROP CONSTRAINT {}",
                    quoted(table),
                    quoted(&key.name)
                );
                diesel::sql_query(sql).execute(db)?;
                keys.push((*table, key));
            }
            for index in secondary_indexes(db, table)? {
                diesel::sql_query(format!("DROP INDEX {}", quoted(&index.name))).execute(db)?;
                indexes.push(index);
            }
        }
        let result = work(db)?;
        for index in &indexes {
            diesel::sql_query(index.definition.as_str()).execute(db)?;
        }
        for (table, key) in &keys {
            let sql = format!(
                "ALTER TABLE {} ADD CONSTRAINT {} {}",
                quoted(table),
                quoted(&key.name),
                key.definition
            );
            diesel::sql_query(sql).execute(db)?;
        }
        Ok(result)
    })
}

/// Inserts `$rows` into `$table` in chunks of at most `$limit` bound values, running `$run` on
/// the concrete connection for each chunk and passing its result to `$each`. Every full chunk is
/// a fixed-size array, so the statement has a stable shape: SQLite prepares it once and reuses
/// it; PostgreSQL, whose connections keep no prepared statements (so that a pooler in
/// transaction mode can serve them), parses it again for each chunk. The last, shorter chunk
/// goes as a slice.
macro_rules! in_chunks {
    ($table:ident, $limit:expr, $rows:expr, $row:ty, |$query:ident, $chunk:ident| $run:expr, $each:expr) => {{
        const ROWS: usize = rows_within::<$row>($limit);
        for slice in $rows.chunks(ROWS) {
            let $query = diesel::insert_into($table::table);
            let result = match <&[$row; ROWS]>::try_from(slice) {
                Ok($chunk) => $run,
                Err(_) => {
                    let $chunk = slice;
                    $run
                }
            };
            $each(result?);
        }
    }};
}

/// Defines a batch insert that returns the new rows' ids in the order of `rows`.
///
/// Within one statement both backends hand out ids in ascending order of the `VALUES` list
/// (SQLite's next rowid, PostgreSQL's sequence), so each chunk's ids are sorted rather than
/// trusting the order `RETURNING` yields them in, which neither backend promises.
macro_rules! insert_with_ids {
    ($(#[$doc:meta])* $name:ident, $row:ty, $table:ident, $id:ty) => {
        $(#[$doc])*
        pub fn $name(db: &mut Db, rows: &[$row]) -> Result<Vec<$id>> {
            let mut ids = Vec::with_capacity(rows.len());
            let mut collect = |mut chunk_ids: Vec<$id>| {
                chunk_ids.sort_unstable();
                ids.extend(chunk_ids);
            };
            match db {
                Db::Sqlite(c) => in_chunks!($table, SQLITE_MAX_BINDS, rows, $row, |query, chunk| {
                    query.values(chunk).returning($table::id).get_results::<$id>(c)
                }, collect),
                Db::Pg(c) => in_chunks!($table, POSTGRES_MAX_BINDS, rows, $row, |query, chunk| {
                    query.values(chunk).returning($table::id).get_results::<$id>(c)
                }, collect),
            }
            Ok(ids)
        }
    };
}

/// Defines a batch insert that returns how many rows it inserted.
macro_rules! insert_counted {
    ($(#[$doc:meta])* $name:ident, $row:ty, $table:ident) => {
        $(#[$doc])*
        pub fn $name(db: &mut Db, rows: &[$row]) -> Result<usize> {
            let mut inserted = 0;
            let mut count = |n: usize| inserted += n;
            match db {
                Db::Sqlite(c) => in_chunks!($table, SQLITE_MAX_BINDS, rows, $row, |query, chunk| {
                    query.values(chunk).execute(c)
                }, count),
                Db::Pg(c) => in_chunks!($table, POSTGRES_MAX_BINDS, rows, $row, |query, chunk| {
                    query.values(chunk).execute(c)
                }, count),
            }
            Ok(inserted)
        }
    };
}

insert_with_ids!(
    /// Inserts organisational units; returns their ids in order.
    org_units,
    NewOrgUnit,
    org_units,
    OrgUnitId
);
insert_with_ids!(
    /// Inserts category tree nodes; returns their ids in order.
    categories,
    NewCategory,
    categories,
    CategoryId
);
insert_counted!(
    /// Files contacts under categories.
    contact_categories,
    ContactCategory,
    contact_categories
);
insert_with_ids!(
    /// Inserts contacts (already prepared with `ContactFields::prepare`); returns their ids in
    /// order.
    contacts,
    NewContact,
    contacts,
    ContactId
);
insert_counted!(
    /// Links persons to companies.
    contact_links,
    NewContactLink,
    contact_links
);
insert_with_ids!(
    /// Inserts sales cases; returns their ids in order.
    cases,
    NewCase,
    cases,
    CaseId
);
insert_with_ids!(
    /// Inserts complaints; returns their ids in order.
    complaints,
    NewComplaint,
    complaints,
    ComplaintId
);
insert_counted!(
    /// Inserts steps of complaints' status histories.
    complaint_status_history,
    NewComplaintStatusChange,
    complaint_status_history
);
insert_with_ids!(
    /// Inserts follow-ups; returns their ids in order.
    followups,
    NewFollowUp,
    followups,
    FollowUpId
);
insert_counted!(
    /// Inserts planned actions.
    planned_actions,
    NewPlannedAction,
    planned_actions
);
insert_with_ids!(
    /// Inserts sales plans; returns their ids in order.
    sales_plans,
    NewSalesPlan,
    sales_plans,
    SalesPlanId
);
insert_counted!(
    /// Inserts plan lines.
    plan_lines,
    NewPlanLine,
    plan_lines
);
insert_with_ids!(
    /// Inserts sales; returns their ids in order.
    sales,
    NewSale,
    sales,
    SaleId
);

/// Defines a batch insert, returning how many rows it inserted, that on PostgreSQL sends the
/// rows through `COPY` (binary) instead of multi-row `INSERT`s: the server parses no statement
/// as wide as the rows, and `COPY` is its fastest way in. Row and statement triggers still run,
/// constraints are still checked. SQLite inserts them as [`insert_counted!`] does.
macro_rules! copy_counted {
    ($(#[$doc:meta])* $name:ident, $row:ty, $table:ident) => {
        $(#[$doc])*
        pub fn $name(db: &mut Db, rows: &[$row]) -> Result<usize> {
            if rows.is_empty() {
                return Ok(0);
            }
            match db {
                Db::Sqlite(c) => {
                    let mut inserted = 0;
                    let mut count = |n: usize| inserted += n;
                    in_chunks!($table, SQLITE_MAX_BINDS, rows, $row, |query, chunk| {
                        query.values(chunk).execute(c)
                    }, count);
                    Ok(inserted)
                }
                Db::Pg(c) => Ok(diesel::copy_from($table::table).from_insertable(rows).execute(c)?),
            }
        }
    };
}

copy_counted!(
    /// Inserts audit rows (see `audit::record_many`).
    audit_log,
    NewAuditEntry,
    audit_log
);
copy_counted!(
    /// Files contacts under categories, like [`contact_categories`]; through `COPY` on
    /// PostgreSQL.
    copy_contact_categories,
    ContactCategory,
    contact_categories
);

/// A contact as `COPY` sends it: every column of [`NewContact`], flat, and the id drawn for it.
#[derive(Insertable)]
#[diesel(table_name = contacts, treat_none_as_default_value = false)]
struct CopiedContact<'a> {
    id: ContactId,
    kind: &'a str,
    display_name: &'a str,
    search_text: &'a str,
    first_name: Option<&'a str>,
    last_name: Option<&'a str>,
    national_code: Option<&'a str>,
    birth_date: Option<chrono::NaiveDate>,
    gender: Option<&'a str>,
    marital_status: Option<&'a str>,
    company_name: Option<&'a str>,
    company_national_id: Option<&'a str>,
    economic_code: Option<&'a str>,
    registration_number: Option<&'a str>,
    registration_date: Option<chrono::NaiveDate>,
    company_type_id: Option<LookupId>,
    activity_field_id: Option<LookupId>,
    staff_count: Option<i64>,
    turnover: Option<i64>,
    phone: Option<&'a str>,
    fax: Option<&'a str>,
    mobile: Option<&'a str>,
    email: Option<&'a str>,
    website: Option<&'a str>,
    postal_code: Option<&'a str>,
    address: Option<&'a str>,
    region_id: Option<LookupId>,
    notes: Option<&'a str>,
    archived: bool,
    version: i64,
    created_by: UserId,
    updated_by: UserId,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
}

impl<'a> CopiedContact<'a> {
    fn new(id: ContactId, row: &'a NewContact) -> CopiedContact<'a> {
        let f = &row.fields;
        let text = |v: &'a Option<String>| v.as_deref();
        CopiedContact {
            id,
            kind: &f.kind,
            display_name: &f.display_name,
            search_text: &f.search_text,
            first_name: text(&f.first_name),
            last_name: text(&f.last_name),
            national_code: text(&f.national_code),
            birth_date: f.birth_date,
            gender: text(&f.gender),
            marital_status: text(&f.marital_status),
            company_name: text(&f.company_name),
            company_national_id: text(&f.company_national_id),
            economic_code: text(&f.economic_code),
            registration_number: text(&f.registration_number),
            registration_date: f.registration_date,
            company_type_id: f.company_type_id,
            activity_field_id: f.activity_field_id,
            staff_count: f.staff_count,
            turnover: f.turnover,
            phone: text(&f.phone),
            fax: text(&f.fax),
            mobile: text(&f.mobile),
            email: text(&f.email),
            website: text(&f.website),
            postal_code: text(&f.postal_code),
            address: text(&f.address),
            region_id: f.region_id,
            notes: text(&f.notes),
            archived: row.archived,
            version: row.version,
            created_by: row.created_by,
            updated_by: row.updated_by,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// An id drawn from a table's sequence.
#[derive(diesel::QueryableByName)]
struct Drawn {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

/// Inserts contacts (already prepared) like [`contacts`] and returns their ids in order. On
/// PostgreSQL the ids are drawn from the table's sequence first (one query) and the rows go
/// through `COPY`, several times faster there than a multi-row `INSERT` of 33 columns, which the
/// server parses anew for every statement.
pub fn copy_contacts(db: &mut Db, rows: &[NewContact]) -> Result<Vec<ContactId>> {
    let c = match db {
        Db::Pg(c) if !rows.is_empty() => c,
        _ => return contacts(db, rows),
    };
    let mut drawn: Vec<ContactId> = diesel::sql_query(
        "SELECT nextval(pg_get_serial_sequence('contacts', 'id')) AS id \
         FROM generate_series(1, $1)",
    )
    .bind::<diesel::sql_types::BigInt, _>(i64::try_from(rows.len()).unwrap_or(i64::MAX))
    .load::<Drawn>(c)?
    .into_iter()
    .map(|d| ContactId(d.id))
    .collect();
    drawn.sort_unstable();
    let copied: Vec<CopiedContact<'_>> = drawn
        .iter()
        .zip(rows)
        .map(|(&id, row)| CopiedContact::new(id, row))
        .collect();
    diesel::copy_from(contacts::table)
        .from_insertable(&copied)
        .execute(c)?;
    Ok(drawn)
}

#[cfg(test)]
mod tests {
    use diesel::query_builder::QueryFragment;
    use diesel::sqlite::Sqlite;

    use chrono::NaiveDateTime;

    use super::*;
    use crate::db::StoreUrl;
    use crate::db::ids::{CategoryId, UserId};
    use crate::store::contacts::ContactFields;

    /// The number of values a one-row insert binds, from the SQL diesel writes for SQLite.
    fn binds<Q: QueryFragment<Sqlite>>(query: Q) -> usize {
        let sql = diesel::debug_query::<Sqlite, _>(&query).to_string();
        let statement = sql.split(" -- binds:").next().unwrap_or_default();
        statement.matches('?').count()
    }

    #[test]
    fn column_counts_match_the_row_structs() {
        use diesel::insert_into;
        let contact = NewContact::new(
            ContactFields::default(),
            UserId(1),
            NaiveDateTime::default(),
        );
        assert_eq!(
            binds(insert_into(contacts::table).values(&contact)),
            NewContact::COLUMNS
        );
        let checks = [
            (
                binds(insert_into(org_units::table).values(&NewOrgUnit::default())),
                NewOrgUnit::COLUMNS,
            ),
            (
                binds(insert_into(categories::table).values(&NewCategory::default())),
                NewCategory::COLUMNS,
            ),
            (
                binds(insert_into(contact_categories::table).values(&ContactCategory::default())),
                ContactCategory::COLUMNS,
            ),
            (
                binds(insert_into(contact_links::table).values(&NewContactLink::default())),
                NewContactLink::COLUMNS,
            ),
            (
                binds(insert_into(cases::table).values(&NewCase::default())),
                NewCase::COLUMNS,
            ),
            (
                binds(insert_into(complaints::table).values(&NewComplaint::default())),
                NewComplaint::COLUMNS,
            ),
            (
                binds(
                    insert_into(complaint_status_history::table)
                        .values(&NewComplaintStatusChange::default()),
                ),
                NewComplaintStatusChange::COLUMNS,
            ),
            (
                binds(insert_into(followups::table).values(&NewFollowUp::default())),
                NewFollowUp::COLUMNS,
            ),
            (
                binds(insert_into(planned_actions::table).values(&NewPlannedAction::default())),
                NewPlannedAction::COLUMNS,
            ),
            (
                binds(insert_into(sales_plans::table).values(&NewSalesPlan::default())),
                NewSalesPlan::COLUMNS,
            ),
            (
                binds(insert_into(plan_lines::table).values(&NewPlanLine::default())),
                NewPlanLine::COLUMNS,
            ),
            (
                binds(insert_into(sales::table).values(&NewSale::default())),
                NewSale::COLUMNS,
            ),
            (
                binds(insert_into(audit_log::table).values(&NewAuditEntry {
                    at: NaiveDateTime::default(),
                    user_id: None,
                    entity: String::new(),
                    entity_id: 0,
                    action: String::new(),
                    old_values: None,
                    new_values: None,
                })),
                NewAuditEntry::COLUMNS,
            ),
        ];
        for (i, (bound, declared)) in checks.into_iter().enumerate() {
            assert_eq!(bound, declared, "row struct #{i}");
        }
    }

    #[test]
    fn a_load_puts_the_indexes_back_as_they_were() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut db = crate::db::open(&StoreUrl::Sqlite(dir.path().join("idx.db"))).expect("open");
        let before = secondary_indexes(&mut db, "followups").expect("indexes");
        assert_eq!(before.len(), 5);
        let during = load::<_, crate::error::Error>(&mut db, &["followups"], |db| {
            Ok(secondary_indexes(db, "followups")?.len())
        })
        .expect("load");
        assert_eq!(during, 0);
        assert_eq!(
            secondary_indexes(&mut db, "followups").expect("indexes"),
            before
        );
        // A failed load leaves them too.
        let failed = load::<(), crate::error::Error>(&mut db, &["followups"], |_| {
            Err(diesel::result::Error::RollbackTransaction.into())
        });
        assert!(failed.is_err());
        assert_eq!(
            secondary_indexes(&mut db, "followups").expect("indexes"),
            before
        );
    }

    #[test]
    fn chunks_stay_under_the_limit_and_ids_come_back_in_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut db = crate::db::open(&StoreUrl::Sqlite(dir.path().join("bulk.db"))).expect("open");
        let at = NaiveDateTime::default();
        let per_statement = rows_per_statement::<NewCategory>(&db);
        assert_eq!(per_statement, SQLITE_MAX_BINDS / 5);
        // Two full statements and a partial third.
        let rows: Vec<NewCategory> = (0..per_statement * 2 + 7)
            .map(|i| NewCategory {
                parent_id: None,
                name: format!("c{i}"),
                position: i32::try_from(i).unwrap_or(i32::MAX),
                created_at: at,
                updated_at: at,
            })
            .collect();
        let ids = categories(&mut db, &rows).expect("insert");
        assert_eq!(ids.len(), rows.len());
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        let stored: Vec<(CategoryId, String)> = crate::db::schema::categories::table
            .select((
                crate::db::schema::categories::id,
                crate::db::schema::categories::name,
            ))
            .order(crate::db::schema::categories::id.asc())
            .load(&mut db)
            .expect("load");
        for (i, (id, name)) in stored.iter().enumerate() {
            assert_eq!(*id, ids[i]);
            assert_eq!(*name, format!("c{i}"));
        }
        let links: Vec<ContactCategory> = Vec::new();
        assert_eq!(contact_categories(&mut db, &links).expect("empty"), 0);
    }
}
