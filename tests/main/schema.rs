//! The schema itself: both backends' migrations build the same tables, columns, nullability, keys
//! and indexes; every `down.sql` undoes its `up.sql`; and the hand-kept `src/db/schema.rs` and
//! its `TABLES` list match what the migrations build.

use std::collections::{BTreeMap, BTreeSet};

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::query_builder::SqlQuery;
use diesel::query_dsl::LoadQuery;
use diesel::sql_types::{Bool, Integer, Nullable, Text};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{FileBasedMigrations, MigrationHarness};

use peygir::db::{Db, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS, schema};

use crate::support::{Backend, TestStore};

/// diesel's own bookkeeping table, which is not part of our schema.
const DIESEL_TABLE: &str = "__diesel_schema_migrations";

#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    name: String,
    /// The type as diesel's `table!` would name it (`BigInt`, `Integer`, `Text`, …).
    diesel_type: String,
    nullable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct ForeignKey {
    column: String,
    table: String,
    to: String,
    on_delete: String,
    on_update: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    name: String,
    columns: Vec<String>,
    unique: bool,
    partial: bool,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Table {
    columns: Vec<Column>,
    primary_key: Vec<String>,
    foreign_keys: BTreeSet<ForeignKey>,
    /// Indexes made with `CREATE INDEX`.
    indexes: BTreeSet<Index>,
    /// Column lists of `UNIQUE` constraints (which make unnamed indexes on SQLite).
    unique_constraints: BTreeSet<Vec<String>>,
    /// Column lists of trigram indexes, which find a text anywhere in a column: an FTS5 table
    /// with the trigram tokenizer over the table's columns on SQLite, a GIN index with
    /// `gin_trgm_ops` on PostgreSQL.
    trigram_indexes: BTreeSet<Vec<String>>,
}

#[derive(Debug, Default)]
struct Schema {
    /// Our tables, diesel's left out.
    tables: BTreeMap<String, Table>,
    /// Every object in the database as the backend lists it (diesel's included), in more detail
    /// than `tables`: the before and after of a migration are compared on it too.
    objects: BTreeSet<String>,
}

/// The portable kind of a diesel type, for comparing the backends.
fn category(diesel_type: &str) -> String {
    match diesel_type {
        "BigInt" | "Integer" | "SmallInt" => "integer".into(),
        "Text" => "text".into(),
        "Bool" => "boolean".into(),
        "Timestamp" => "timestamp".into(),
        "Date" => "date".into(),
        other => format!("unportable type {other}"),
    }
}

impl Schema {
    /// One line per fact, for comparing two schemas and showing how they differ.
    fn facts(&self) -> Vec<String> {
        let mut facts = Vec::new();
        for (name, table) in &self.tables {
            facts.push(format!("table {name}"));
            for (i, c) in table.columns.iter().enumerate() {
                facts.push(format!(
                    "{name}: column {:>2} {} {}{}",
                    i + 1,
                    c.name,
                    category(&c.diesel_type),
                    if c.nullable { "" } else { " not null" }
                ));
            }
            facts.push(format!(
                "{name}: primary key ({})",
                table.primary_key.join(", ")
            ));
            for fk in &table.foreign_keys {
                facts.push(format!(
                    "{name}: {} references {}({}) on delete {} on update {}",
                    fk.column, fk.table, fk.to, fk.on_delete, fk.on_update
                ));
            }
            for index in &table.indexes {
                facts.push(format!(
                    "{name}: {}index {} on ({}){}",
                    if index.unique { "unique " } else { "" },
                    index.name,
                    index.columns.join(", "),
                    if index.partial { " where …" } else { "" }
                ));
            }
            for columns in &table.unique_constraints {
                facts.push(format!("{name}: unique ({})", columns.join(", ")));
            }
            for columns in &table.trigram_indexes {
                facts.push(format!("{name}: trigram index on ({})", columns.join(", ")));
            }
        }
        facts
    }

    /// Everything a migration could change: the facts and the backend's own list of objects.
    fn snapshot(&self) -> Vec<String> {
        let mut all = self.facts();
        all.extend(self.objects.iter().cloned());
        all
    }
}

/// Panics with the lines only one side has, if any.
fn assert_same(what: &str, left_name: &str, left: &[String], right_name: &str, right: &[String]) {
    let l: BTreeSet<&String> = left.iter().collect();
    let r: BTreeSet<&String> = right.iter().collect();
    let only_left: Vec<&&String> = l.difference(&r).collect();
    let only_right: Vec<&&String> = r.difference(&l).collect();
    if only_left.is_empty() && only_right.is_empty() {
        return;
    }
    let mut message = format!("{what}: they differ\n");
    for (name, lines) in [(left_name, &only_left), (right_name, &only_right)] {
        message.push_str(&format!("  only in {name} ({}):\n", lines.len()));
        for line in lines.iter() {
            message.push_str(&format!("    {line}\n"));
        }
    }
    panic!("{message}");
}

fn load<'a, C, T>(conn: &'a mut C, query: &str) -> Vec<T>
where
    C: Connection,
    SqlQuery: LoadQuery<'a, C, T>,
{
    diesel::sql_query(query)
        .load(conn)
        .unwrap_or_else(|e| panic!("read the schema with {query}: {e}"))
}

/// A name we put into a query's text: our own identifiers only.
fn checked(name: &str) -> &str {
    assert!(
        name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "unexpected name {name:?}"
    );
    name
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    declared: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct ForeignKeyRow {
    #[diesel(sql_type = Text)]
    from_column: String,
    #[diesel(sql_type = Text)]
    to_table: String,
    #[diesel(sql_type = Nullable<Text>)]
    to_column: Option<String>,
    #[diesel(sql_type = Text)]
    on_delete: String,
    #[diesel(sql_type = Text)]
    on_update: String,
}

#[derive(QueryableByName)]
struct SqliteIndex {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Integer)]
    is_unique: i32,
    #[diesel(sql_type = Text)]
    origin: String,
    #[diesel(sql_type = Integer)]
    partial: i32,
}

#[derive(QueryableByName)]
struct VirtualTable {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    definition: String,
}

#[derive(QueryableByName)]
struct IndexColumn {
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
}

/// The diesel type SQLite's declared type stands for. An `INTEGER PRIMARY KEY` is the 64-bit
/// rowid.
fn sqlite_diesel_type(declared: &str, rowid: bool) -> String {
    let declared = declared.to_ascii_uppercase();
    match declared.as_str() {
        "INTEGER" if rowid => "BigInt".into(),
        "BIGINT" => "BigInt".into(),
        "INTEGER" | "INT" => "Integer".into(),
        "SMALLINT" => "SmallInt".into(),
        "TEXT" => "Text".into(),
        "BOOLEAN" => "Bool".into(),
        "TIMESTAMP" | "DATETIME" => "Timestamp".into(),
        "DATE" => "Date".into(),
        _ => declared,
    }
}

/// The table an FTS5 table's definition names as its content (`content = 'contacts'`), if any.
fn fts_content(definition: &str) -> Option<String> {
    let compact: String = definition.chars().filter(|c| !c.is_whitespace()).collect();
    let rest = &compact[compact.find("content='")? + "content='".len()..];
    Some(rest[..rest.find('\'')?].to_string())
}

/// SQLite's FTS5 tables with the trigram tokenizer, each as the table whose content it indexes
/// and the columns it indexes; and the names of the FTS5 tables and their shadow tables, which
/// are not tables of the schema.
fn sqlite_trigram_indexes(
    conn: &mut SqliteConnection,
) -> (BTreeMap<String, BTreeSet<Vec<String>>>, BTreeSet<String>) {
    let virtual_tables: Vec<VirtualTable> = load(
        conn,
        "SELECT name, sql AS definition FROM sqlite_master \
         WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'",
    );
    let mut indexes: BTreeMap<String, BTreeSet<Vec<String>>> = BTreeMap::new();
    let mut names = BTreeSet::new();
    for table in virtual_tables {
        let compact: String = table
            .definition
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        assert!(
            compact.contains("usingfts5(") && compact.contains("tokenize='trigram'"),
            "a virtual table other than an FTS5 trigram index: {}",
            table.definition
        );
        let content = fts_content(&table.definition)
            .unwrap_or_else(|| panic!("an FTS5 table without content: {}", table.definition));
        let columns: Vec<SqliteColumn> = load(
            conn,
            &format!(
                "SELECT name, type AS declared, \"notnull\" AS not_null, pk \
                 FROM pragma_table_info('{}') ORDER BY cid",
                checked(&table.name)
            ),
        );
        indexes
            .entry(content)
            .or_default()
            .insert(columns.into_iter().map(|c| c.name).collect());
        for shadow in ["", "_data", "_idx", "_docsize", "_config", "_content"] {
            names.insert(format!("{}{shadow}", table.name));
        }
    }
    (indexes, names)
}

fn sqlite_schema(conn: &mut SqliteConnection) -> Schema {
    let mut schema = Schema::default();
    let objects: Vec<Name> = load(
        conn,
        "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') AS name FROM sqlite_master \
         WHERE name NOT LIKE 'sqlite_%'",
    );
    schema.objects = objects.into_iter().map(|o| o.name).collect();
    let (mut trigram_indexes, not_tables) = sqlite_trigram_indexes(conn);
    let tables: Vec<Name> = load(
        conn,
        &format!(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> '{DIESEL_TABLE}'"
        ),
    );
    let mut primary_keys = BTreeMap::new();
    for Name { name: table_name } in tables {
        if not_tables.contains(&table_name) {
            continue;
        }
        let t = checked(&table_name);
        let columns: Vec<SqliteColumn> = load(
            conn,
            &format!(
                "SELECT name, type AS declared, \"notnull\" AS not_null, pk \
                 FROM pragma_table_info('{t}') ORDER BY cid"
            ),
        );
        let mut key: Vec<(i32, String)> = columns
            .iter()
            .filter(|c| c.pk > 0)
            .map(|c| (c.pk, c.name.clone()))
            .collect();
        key.sort();
        let primary_key: Vec<String> = key.into_iter().map(|(_, name)| name).collect();
        let mut table = Table {
            columns: columns
                .iter()
                .map(|c| {
                    let rowid = primary_key.len() == 1
                        && c.pk == 1
                        && c.declared.eq_ignore_ascii_case("INTEGER");
                    Column {
                        name: c.name.clone(),
                        diesel_type: sqlite_diesel_type(&c.declared, rowid),
                        // A rowid is never NULL, though SQLite does not mark it NOT NULL.
                        nullable: c.not_null == 0 && !rowid,
                    }
                })
                .collect(),
            primary_key: primary_key.clone(),
            trigram_indexes: trigram_indexes.remove(&table_name).unwrap_or_default(),
            ..Table::default()
        };
        primary_keys.insert(table_name.clone(), primary_key);

        let keys: Vec<ForeignKeyRow> = load(
            conn,
            &format!(
                "SELECT \"from\" AS from_column, \"table\" AS to_table, \"to\" AS to_column, \
                 on_delete, on_update FROM pragma_foreign_key_list('{t}')"
            ),
        );
        for fk in keys {
            table.foreign_keys.insert(ForeignKey {
                column: fk.from_column,
                table: fk.to_table,
                // Filled in below when the reference names no column (the primary key).
                to: fk.to_column.unwrap_or_default(),
                on_delete: fk.on_delete.to_ascii_uppercase(),
                on_update: fk.on_update.to_ascii_uppercase(),
            });
        }

        let indexes: Vec<SqliteIndex> = load(
            conn,
            &format!(
                "SELECT name, \"unique\" AS is_unique, origin, partial \
                 FROM pragma_index_list('{t}')"
            ),
        );
        for index in indexes {
            let columns: Vec<IndexColumn> = load(
                conn,
                &format!(
                    "SELECT name FROM pragma_index_info('{}') ORDER BY seqno",
                    checked(&index.name)
                ),
            );
            let columns: Vec<String> = columns
                .into_iter()
                .map(|c| c.name.unwrap_or_else(|| "<expression>".into()))
                .collect();
            match index.origin.as_str() {
                "pk" => {}
                "u" => {
                    table.unique_constraints.insert(columns);
                }
                _ => {
                    table.indexes.insert(Index {
                        name: index.name,
                        columns,
                        unique: index.is_unique != 0,
                        partial: index.partial != 0,
                    });
                }
            }
        }
        schema.tables.insert(table_name, table);
    }
    for table in schema.tables.values_mut() {
        table.foreign_keys = std::mem::take(&mut table.foreign_keys)
            .into_iter()
            .map(|mut fk| {
                if fk.to.is_empty() {
                    fk.to = primary_keys
                        .get(&fk.table)
                        .map(|k| k.join(","))
                        .unwrap_or_default();
                }
                fk
            })
            .collect();
    }
    schema
}

// Each query reads every table at once (with its name in `tbl`): a query per table is slow on
// PostgreSQL's catalog views, and the reversal test reads the schema many times.

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    udt: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

#[derive(QueryableByName)]
struct PgKeyColumn {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct PgForeignKey {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(embed)]
    key: ForeignKeyRow,
}

#[derive(QueryableByName)]
struct PgIndex {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    is_unique: bool,
    #[diesel(sql_type = Bool)]
    partial: bool,
    #[diesel(sql_type = Bool)]
    is_constraint: bool,
    #[diesel(sql_type = Bool)]
    trigram: bool,
    #[diesel(sql_type = Text)]
    columns: String,
}

fn pg_diesel_type(udt: &str) -> String {
    match udt {
        "int8" => "BigInt".into(),
        "int4" => "Integer".into(),
        "int2" => "SmallInt".into(),
        "text" | "varchar" => "Text".into(),
        "bool" => "Bool".into(),
        "timestamp" => "Timestamp".into(),
        "timestamptz" => "Timestamptz".into(),
        "date" => "Date".into(),
        other => other.into(),
    }
}

fn pg_action(code: &str) -> String {
    match code {
        "a" => "NO ACTION",
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        other => other,
    }
    .into()
}

fn pg_schema(conn: &mut PgConnection) -> Schema {
    let mut schema = Schema::default();
    let objects: Vec<Name> = load(
        conn,
        "SELECT 'relation ' || c.relkind::text || ' ' || c.relname::text AS name \
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
          WHERE n.nspname = current_schema() \
         UNION ALL \
         SELECT 'constraint ' || co.conname::text || ': ' || pg_get_constraintdef(co.oid) \
           FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace \
          WHERE n.nspname = current_schema() \
         UNION ALL \
         SELECT 'type ' || t.typname::text FROM pg_type t \
           JOIN pg_namespace n ON n.oid = t.typnamespace \
          WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd', 'r', 'm') \
         UNION ALL \
         SELECT 'function ' || p.proname::text FROM pg_proc p \
           JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema() \
         UNION ALL \
         SELECT 'trigger ' || tg.tgname::text FROM pg_trigger tg \
           JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
          WHERE n.nspname = current_schema() AND NOT tg.tgisinternal",
    );
    schema.objects = objects.into_iter().map(|o| o.name).collect();
    let tables: Vec<Name> = load(
        conn,
        &format!(
            "SELECT c.relname::text AS name FROM pg_class c \
               JOIN pg_namespace n ON n.oid = c.relnamespace \
              WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') \
                AND c.relname <> '{DIESEL_TABLE}'"
        ),
    );
    for Name { name } in tables {
        schema.tables.insert(name, Table::default());
    }
    let columns: Vec<PgColumn> = load(
        conn,
        "SELECT c.relname::text AS tbl, a.attname::text AS name, t.typname::text AS udt, \
                NOT a.attnotnull AS nullable \
           FROM pg_attribute a \
           JOIN pg_class c ON c.oid = a.attrelid \
           JOIN pg_namespace n ON n.oid = c.relnamespace \
           JOIN pg_type t ON t.oid = a.atttypid \
          WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') \
            AND a.attnum > 0 AND NOT a.attisdropped \
          ORDER BY c.relname, a.attnum",
    );
    for c in columns {
        if let Some(table) = schema.tables.get_mut(&c.tbl) {
            table.columns.push(Column {
                name: c.name,
                diesel_type: pg_diesel_type(&c.udt),
                nullable: c.nullable,
            });
        }
    }
    let primary_keys: Vec<PgKeyColumn> = load(
        conn,
        "SELECT t.relname::text AS tbl, a.attname::text AS name FROM pg_index ix \
           JOIN pg_class t ON t.oid = ix.indrelid \
           JOIN pg_namespace n ON n.oid = t.relnamespace \
           CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
          WHERE ix.indisprimary AND n.nspname = current_schema() \
          ORDER BY t.relname, k.ord",
    );
    for k in primary_keys {
        if let Some(table) = schema.tables.get_mut(&k.tbl) {
            table.primary_key.push(k.name);
        }
    }
    let foreign_keys: Vec<PgForeignKey> = load(
        conn,
        "SELECT t.relname::text AS tbl, a.attname::text AS from_column, \
                cf.relname::text AS to_table, af.attname::text AS to_column, \
                c.confdeltype::text AS on_delete, c.confupdtype::text AS on_update \
           FROM pg_constraint c \
           JOIN pg_class t ON t.oid = c.conrelid \
           JOIN pg_namespace n ON n.oid = t.relnamespace \
           JOIN pg_class cf ON cf.oid = c.confrelid \
           CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(attnum, fattnum) \
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum \
           JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = k.fattnum \
          WHERE c.contype = 'f' AND n.nspname = current_schema()",
    );
    for PgForeignKey { tbl, key: fk } in foreign_keys {
        if let Some(table) = schema.tables.get_mut(&tbl) {
            table.foreign_keys.insert(ForeignKey {
                column: fk.from_column,
                table: fk.to_table,
                to: fk.to_column.unwrap_or_default(),
                on_delete: pg_action(&fk.on_delete),
                on_update: pg_action(&fk.on_update),
            });
        }
    }
    let indexes: Vec<PgIndex> = load(
        conn,
        "SELECT t.relname::text AS tbl, i.relname::text AS name, ix.indisunique AS is_unique, \
                ix.indpred IS NOT NULL AS partial, \
                EXISTS (SELECT 1 FROM pg_constraint c \
                         WHERE c.conindid = ix.indexrelid AND c.contype = 'u') AS is_constraint, \
                EXISTS (SELECT 1 FROM unnest(ix.indclass::oid[]) AS k(opclass) \
                          JOIN pg_opclass o ON o.oid = k.opclass \
                         WHERE o.opcname = 'gin_trgm_ops') AS trigram, \
                COALESCE((SELECT string_agg(COALESCE(a.attname::text, '<expression>'), ',' \
                                            ORDER BY k.ord) \
                            FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                            LEFT JOIN pg_attribute a \
                              ON a.attrelid = ix.indrelid AND a.attnum = k.attnum), '') \
                  AS columns \
           FROM pg_index ix \
           JOIN pg_class i ON i.oid = ix.indexrelid \
           JOIN pg_class t ON t.oid = ix.indrelid \
           JOIN pg_namespace n ON n.oid = t.relnamespace \
          WHERE n.nspname = current_schema() AND NOT ix.indisprimary",
    );
    for index in indexes {
        let Some(table) = schema.tables.get_mut(&index.tbl) else {
            continue;
        };
        let columns: Vec<String> = index.columns.split(',').map(String::from).collect();
        if index.is_constraint {
            table.unique_constraints.insert(columns);
        } else if index.trigram {
            table.trigram_indexes.insert(columns);
        } else {
            table.indexes.insert(Index {
                name: index.name,
                columns,
                unique: index.is_unique,
                partial: index.partial,
            });
        }
    }
    schema
}

fn read_schema(db: &mut Db) -> Schema {
    match db {
        Db::Sqlite(c) => sqlite_schema(c),
        Db::Pg(c) => pg_schema(c),
    }
}

#[test]
fn both_backends_build_the_same_schema() {
    let mut sqlite = TestStore::migrated(Backend::Sqlite).expect("a SQLite store");
    let Some(mut pg) = TestStore::migrated(Backend::Postgres) else {
        return;
    };
    let sqlite_facts = read_schema(&mut sqlite.db).facts();
    let pg_facts = read_schema(&mut pg.db).facts();
    // The reading itself works, or the comparison would prove nothing.
    for expected in [
        "contacts: column  1 id integer not null",
        "contacts: column  5 first_name text",
        "contacts: primary key (id)",
        "contacts: created_by references users(id) on delete NO ACTION on update NO ACTION",
        "contacts: unique index contacts_national_code_idx on (national_code)",
        "contacts: index contacts_display_name_idx on (display_name, id)",
        "contacts: trigram index on (search_text)",
        "contact_categories: primary key (contact_id, category_id)",
        "contact_categories: category_id references categories(id) on delete CASCADE on update NO ACTION",
    ] {
        for (name, facts) in [("SQLite", &sqlite_facts), ("PostgreSQL", &pg_facts)] {
            assert!(
                facts.iter().any(|f| f == expected),
                "{name}'s schema as read lacks {expected:?}; it has:\n{}",
                facts.join("\n")
            );
        }
    }
    assert_same(
        "The schemas the two backends' migrations build",
        "SQLite",
        &sqlite_facts,
        "PostgreSQL",
        &pg_facts,
    );
}

#[test]
fn both_backends_have_the_same_migrations() {
    let sqlite: Vec<String> =
        MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS)
            .expect("list the SQLite migrations")
            .iter()
            .map(|m| m.name().to_string())
            .collect();
    let pg: Vec<String> = MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES_MIGRATIONS)
        .expect("list the PostgreSQL migrations")
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    assert!(!sqlite.is_empty(), "no migrations embedded");
    assert_eq!(
        sqlite, pg,
        "the two migration folders hold different migrations"
    );
}

/// The migrations that change nothing on SQLite: what they make on PostgreSQL has no SQLite
/// counterpart (they are kept so that both backends list the same migrations).
const NOTHING_ON_SQLITE: &[&str] = &["20261207000006"];

/// Runs each migration up, down and up again, checking that down leaves the schema exactly as it
/// was before up; then reverts them all, which must leave only diesel's table. Each migration
/// must change the schema, except those named in `change_nothing`.
fn check_reversible<C, B, S>(
    conn: &mut C,
    source: impl Fn() -> S,
    read: fn(&mut C) -> Schema,
    change_nothing: &[&str],
) where
    C: MigrationHarness<B>,
    B: diesel::backend::Backend,
    S: MigrationSource<B>,
{
    let total = conn
        .pending_migrations(source())
        .expect("list the pending migrations")
        .len();
    assert!(total > 0, "no migrations to check");
    for _ in 0..total {
        let before = read(conn).snapshot();
        let version = conn
            .run_next_migration(source())
            .unwrap_or_else(|e| panic!("run the next migration: {e}"))
            .as_owned();
        let after_up = read(conn).snapshot();
        if !change_nothing.contains(&version.to_string().as_str()) {
            assert_ne!(before, after_up, "migration {version} changed nothing");
        }
        let reverted = conn
            .revert_last_migration(source())
            .unwrap_or_else(|e| panic!("revert migration {version}: {e}"))
            .as_owned();
        assert_eq!(reverted, version, "reverted another migration than was run");
        assert_same(
            &format!("The schema before migration {version} and after its up and down"),
            "before up",
            &before,
            "after down",
            &read(conn).snapshot(),
        );
        conn.run_next_migration(source())
            .unwrap_or_else(|e| panic!("run migration {version} again after its down: {e}"));
        assert_same(
            &format!("Migration {version} run the first and the second time"),
            "first up",
            &after_up,
            "second up",
            &read(conn).snapshot(),
        );
    }
    conn.revert_all_migrations(source())
        .unwrap_or_else(|e| panic!("revert all migrations: {e}"));
    let left = read(conn);
    assert!(
        left.tables.is_empty(),
        "tables left after reverting every migration: {:?}",
        left.tables.keys().collect::<Vec<_>>()
    );
    let others: Vec<&String> = left
        .objects
        .iter()
        .filter(|o| !o.contains(DIESEL_TABLE))
        .collect();
    assert!(
        others.is_empty(),
        "objects left after reverting every migration: {others:?}"
    );
    let applied = conn
        .applied_migrations()
        .expect("list the applied migrations");
    assert!(
        applied.is_empty(),
        "still marked applied after reverting all: {applied:?}"
    );
}

empty_store_tests! {
    fn every_down_reverses_its_up(db, backend) {
        match db {
            Db::Sqlite(c) => {
                check_reversible(c, || SQLITE_MIGRATIONS, sqlite_schema, NOTHING_ON_SQLITE)
            }
            Db::Pg(c) => check_reversible(c, || POSTGRES_MIGRATIONS, pg_schema, &[]),
        }
    }
}

#[derive(QueryableByName)]
struct JournalMode {
    #[diesel(sql_type = Text)]
    journal_mode: String,
}

#[derive(QueryableByName)]
struct ForeignKeys {
    #[diesel(sql_type = Integer)]
    foreign_keys: i32,
}

#[derive(QueryableByName)]
struct BusyTimeout {
    #[diesel(sql_type = Integer)]
    timeout: i32,
}

#[test]
fn sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout() {
    let mut store = TestStore::migrated(Backend::Sqlite).expect("a SQLite store");
    let Db::Sqlite(conn) = &mut store.db else {
        unreachable!("a SQLite store")
    };
    let mode: Vec<JournalMode> = load(conn, "PRAGMA journal_mode");
    assert_eq!(mode[0].journal_mode, "wal");
    let keys: Vec<ForeignKeys> = load(conn, "PRAGMA foreign_keys");
    assert_eq!(keys[0].foreign_keys, 1, "foreign keys are not enforced");
    let timeout: Vec<BusyTimeout> = load(conn, "PRAGMA busy_timeout");
    assert!(
        timeout[0].timeout >= 1000,
        "busy timeout {} ms",
        timeout[0].timeout
    );
}

/// The checks above could fail: a difference between two schemas is reported line by line.
#[test]
fn a_difference_between_schemas_is_seen() {
    let mut a = TestStore::migrated(Backend::Sqlite).expect("a SQLite store");
    let mut b = TestStore::migrated(Backend::Sqlite).expect("a SQLite store");
    let Db::Sqlite(conn) = &mut b.db else {
        unreachable!("a SQLite store")
    };
    conn.batch_execute(
        "CREATE INDEX contacts_email_idx ON contacts (email); \
         ALTER TABLE contacts ADD COLUMN nickname TEXT NOT NULL DEFAULT ''",
    )
    .expect("change the schema");
    let (a, b) = (
        read_schema(&mut a.db).facts(),
        read_schema(&mut b.db).facts(),
    );
    let only_b: Vec<&String> = b.iter().filter(|f| !a.contains(f)).collect();
    assert_eq!(
        only_b,
        [
            "contacts: column 35 nickname text not null",
            "contacts: index contacts_email_idx on (email)"
        ]
    );
    let caught = std::panic::catch_unwind(|| assert_same("test", "a", &a, "b", &b))
        .expect_err("the difference was not reported");
    let message = caught.downcast_ref::<String>().expect("a panic message");
    assert!(message.contains("only in b (2)"), "{message}");
}

/// The reversal check could fail: a `down.sql` that leaves a table behind is caught.
#[test]
fn a_down_that_leaves_something_behind_is_caught() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let migration = folder.path().join("2000-01-01-000001_two_tables");
    std::fs::create_dir(&migration).expect("create the migration's folder");
    std::fs::write(
        migration.join("up.sql"),
        "CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE b (id INTEGER PRIMARY KEY);",
    )
    .expect("write up.sql");
    std::fs::write(migration.join("down.sql"), "DROP TABLE a;").expect("write down.sql");
    let source = || FileBasedMigrations::from_path(folder.path()).expect("read the migrations");
    let mut store = TestStore::empty(Backend::Sqlite).expect("a SQLite store");
    let Db::Sqlite(conn) = &mut store.db else {
        unreachable!("a SQLite store")
    };
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_reversible(conn, source, sqlite_schema, &[])
    }))
    .expect_err("the leftover table was not noticed");
    let message = caught.downcast_ref::<String>().expect("a panic message");
    assert!(
        message.contains("only in after down (") && message.contains("table b"),
        "{message}"
    );
}

/// The name of a diesel SQL type, and whether it is `Nullable`.
trait SqlTypeName {
    const NAME: &'static str;
    const NULLABLE: bool = false;
}

macro_rules! sql_type_names {
    ($($t:ident),*) => {
        $(impl SqlTypeName for diesel::sql_types::$t {
            const NAME: &'static str = stringify!($t);
        })*
    };
}

sql_type_names!(
    BigInt, Integer, SmallInt, Text, Bool, Timestamp, Date, Double, Float, Binary
);

impl<T: SqlTypeName> SqlTypeName for Nullable<T> {
    const NAME: &'static str = T::NAME;
    const NULLABLE: bool = true;
}

/// One diesel column: its name, type and nullability.
trait DieselColumn {
    fn describe() -> Column;
}

impl<C> DieselColumn for C
where
    C: diesel::Column,
    C::SqlType: SqlTypeName,
{
    fn describe() -> Column {
        Column {
            name: C::NAME.into(),
            diesel_type: <C::SqlType as SqlTypeName>::NAME.into(),
            nullable: <C::SqlType as SqlTypeName>::NULLABLE,
        }
    }
}

/// A tuple of diesel columns, as `Table::AllColumns` is.
trait DieselColumns {
    fn describe() -> Vec<Column>;
}

macro_rules! diesel_columns_for_tuples {
    () => {};
    ($first:ident $(, $rest:ident)*) => {
        impl<$first: DieselColumn $(, $rest: DieselColumn)*> DieselColumns for ($first, $($rest,)*) {
            fn describe() -> Vec<Column> {
                vec![<$first as DieselColumn>::describe() $(, <$rest as DieselColumn>::describe())*]
            }
        }
        diesel_columns_for_tuples!($($rest),*);
    };
}

diesel_columns_for_tuples!(
    C01, C02, C03, C04, C05, C06, C07, C08, C09, C10, C11, C12, C13, C14, C15, C16, C17, C18, C19,
    C20, C21, C22, C23, C24, C25, C26, C27, C28, C29, C30, C31, C32, C33, C34, C35, C36, C37, C38,
    C39, C40, C41, C42, C43, C44, C45, C46, C47, C48
);

fn diesel_table<T>() -> Vec<Column>
where
    T: diesel::Table,
    T::AllColumns: DieselColumns,
{
    <T::AllColumns as DieselColumns>::describe()
}

/// Every table in `src/db/schema.rs`, with its columns as diesel sees them. A table added there
/// and not here fails `the_tables_are_the_listed_ones` (it compares with `TABLES`).
fn diesel_schema() -> BTreeMap<&'static str, Vec<Column>> {
    macro_rules! tables {
        ($($t:ident),* $(,)?) => {
            BTreeMap::from([$((stringify!($t), diesel_table::<schema::$t::table>())),*])
        };
    }
    tables!(
        org_units,
        users,
        audit_log,
        holidays,
        number_sequences,
        lookups,
        case_statuses,
        case_status_transitions,
        contacts,
        contact_links,
        categories,
        contact_categories,
        cases,
        complaints,
        complaint_status_history,
        followups,
        planned_actions,
        sales_plans,
        plan_lines,
        sales,
        sla_policies,
        working_hours,
        complaint_actions,
    )
}

store_tests! {
    fn the_tables_are_the_listed_ones(db, backend) {
        let found = read_schema(db);
        let in_database: BTreeSet<&str> = found.tables.keys().map(String::as_str).collect();
        let listed: BTreeSet<&str> = schema::TABLES.iter().copied().collect();
        assert_eq!(
            listed.len(),
            schema::TABLES.len(),
            "schema::TABLES names a table twice"
        );
        assert_eq!(in_database, listed, "{backend}: the tables differ from schema::TABLES");
        let in_diesel: BTreeSet<&str> = diesel_schema().keys().copied().collect();
        assert_eq!(
            in_diesel, listed,
            "the tables in src/db/schema.rs (as listed in tests/schema.rs) differ from TABLES"
        );
        // TABLES lists parents before children: deleting in reverse order, or inserting in order,
        // never trips a foreign key.
        for (position, name) in schema::TABLES.iter().enumerate() {
            for fk in &found.tables[*name].foreign_keys {
                let parent = schema::TABLES.iter().position(|t| *t == fk.table);
                assert!(
                    parent.is_some_and(|p| p <= position),
                    "{backend}: TABLES lists {name} before {}, which its {} refers to",
                    fk.table,
                    fk.column
                );
            }
        }
    }

    fn the_diesel_schema_matches_the_database(db, backend) {
        let found = read_schema(db);
        let describe = |table: &str, columns: &[Column]| -> Vec<String> {
            columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    format!(
                        "{table}: column {:>2} {} -> {}",
                        i + 1,
                        c.name,
                        if c.nullable {
                            format!("Nullable<{}>", c.diesel_type)
                        } else {
                            c.diesel_type.clone()
                        }
                    )
                })
                .collect()
        };
        let mut in_diesel = Vec::new();
        let mut in_database = Vec::new();
        for (table, columns) in diesel_schema() {
            in_diesel.extend(describe(table, &columns));
            let db_columns = found
                .tables
                .get(table)
                .map(|t| t.columns.as_slice())
                .unwrap_or_default();
            in_database.extend(describe(table, db_columns));
        }
        assert!(in_diesel.len() > 100, "too few columns read from src/db/schema.rs");
        assert_same(
            &format!("src/db/schema.rs and the {backend} migrations"),
            "src/db/schema.rs",
            &in_diesel,
            &format!("the {backend} database"),
            &in_database,
        );
    }
}
