//! The audit log: who changed which entity, when, and its values before and after. Every change
//! writes a row ([`record`]); [`search`] reads them back newest first, a bounded page at a time,
//! and [`changes`] says which fields an entry changed.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::db::Db;
use crate::db::ids::{AuditId, UserId};
use crate::db::schema::{audit_log, users};
use crate::error::Result;

use super::Actor;

/// The entities the store audits, by the names the audit log gives them (each module's
/// `ENTITY`).
pub const ENTITIES: &[&str] = &[
    super::contacts::ENTITY,
    super::contacts::LINK_ENTITY,
    super::categories::ENTITY,
    super::categories::FILING_ENTITY,
    super::cases::ENTITY,
    super::statuses::ENTITY,
    super::statuses::TRANSITION_ENTITY,
    super::followups::ENTITY,
    super::planned::ENTITY,
    super::complaints::ENTITY,
    super::complaints::ACTION_ENTITY,
    super::sla::ENTITY,
    super::sla::HOLIDAY_ENTITY,
    super::sla::WEEKDAY_ENTITY,
    super::plans::ENTITY,
    super::sales::ENTITY,
    super::lookups::ENTITY,
    super::users::ENTITY,
    super::org_units::ENTITY,
];

/// What an audit row records was done to the entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    Create,
    Update,
    Archive,
    Delete,
}

impl AuditAction {
    /// Every action, in the order of a record's life.
    pub const ALL: [AuditAction; 4] = [
        AuditAction::Create,
        AuditAction::Update,
        AuditAction::Archive,
        AuditAction::Delete,
    ];

    /// The word the audit log stores.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Archive => "archive",
            AuditAction::Delete => "delete",
        }
    }

    /// The action the audit log stored as `text`.
    pub fn parse(text: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// One row of the audit log: who did what to which row, when (UTC), and the row as JSON before
/// (none for a create) and after (none for a delete).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: AuditId,
    pub at: chrono::NaiveDateTime,
    pub user_id: Option<UserId>,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub old_values: Option<String>,
    pub new_values: Option<String>,
}

/// Records one change of the row `entity_id` (any table's typed id). Call it inside the
/// transaction that makes the change.
pub fn record<T: Serialize>(
    db: &mut Db,
    actor: &Actor,
    entity: &str,
    entity_id: impl Into<i64>,
    action: AuditAction,
    old: Option<&T>,
    new: Option<&T>,
) -> Result<()> {
    let row = NewAuditEntry::new(actor, entity, entity_id, action, old, new, super::now());
    diesel::insert_into(audit_log::table)
        .values(&row)
        .execute(db)?;
    Ok(())
}

/// An audit row ready to insert, for a batch of changes written together ([`record_many`]):
/// the same row [`record`] writes for one change.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
pub struct NewAuditEntry {
    pub at: NaiveDateTime,
    pub user_id: Option<UserId>,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub old_values: Option<String>,
    pub new_values: Option<String>,
}

impl super::bulk::BulkRow for NewAuditEntry {
    const COLUMNS: usize = 7;
}

impl NewAuditEntry {
    /// The row [`record`] would write for this change, made `at` (its values as JSON).
    pub fn new<T: Serialize>(
        actor: &Actor,
        entity: &str,
        entity_id: impl Into<i64>,
        action: AuditAction,
        old: Option<&T>,
        new: Option<&T>,
        at: NaiveDateTime,
    ) -> NewAuditEntry {
        let to_json = |v: Option<&T>| v.and_then(|v| serde_json::to_string(v).ok());
        NewAuditEntry {
            at,
            user_id: Some(actor.id),
            entity: entity.to_string(),
            entity_id: entity_id.into(),
            action: action.as_str().to_string(),
            old_values: to_json(old),
            new_values: to_json(new),
        }
    }
}

/// Records many changes at once, in as few statements as the backend allows. Call it inside
/// the transaction that makes the changes.
pub fn record_many(db: &mut Db, entries: &[NewAuditEntry]) -> Result<()> {
    super::bulk::audit_log(db, entries)?;
    Ok(())
}

/// The newest audit row's id, 0 on a store with none. Every change the store makes writes an
/// audit row, so this moves with each change anyone makes, this session's own included: a screen
/// that keeps what it read with this id knows whether it may be stale. One read of the primary
/// key's index.
pub fn newest(db: &mut Db) -> Result<i64> {
    Ok(audit_log::table
        .select(diesel::dsl::max(audit_log::id))
        .first::<Option<i64>>(db)?
        .unwrap_or(0))
}

/// Where the store stood when a screen read something from it: the newest audit row then
/// ([`newest`]), and the moment. The screen reads again only once the mark no longer
/// [holds](Mark::holds).
#[derive(Debug, Clone, Copy, Default)]
pub struct Mark(Option<(i64, std::time::Instant)>);

impl Mark {
    /// How long a mark holds with nothing changed: past this a screen reads again anyway, for
    /// what the store works out from the clock (what is late).
    pub const KEEPS: std::time::Duration = std::time::Duration::from_secs(30);

    /// The store as it stands now; a mark that never holds when the store cannot say.
    pub fn now(db: &mut Db) -> Mark {
        Mark(
            newest(db)
                .ok()
                .map(|newest| (newest, std::time::Instant::now())),
        )
    }

    /// Whether nobody has changed the store since the mark, and it is younger than
    /// [`Mark::KEEPS`]: one read of the audit log's primary key.
    pub fn holds(&self, db: &mut Db) -> bool {
        self.0.is_some_and(|(then, at)| {
            at.elapsed() < Mark::KEEPS && newest(db).is_ok_and(|now| now == then)
        })
    }
}

/// The audit trail of one entity, oldest first.
pub fn history(db: &mut Db, entity: &str, entity_id: impl Into<i64>) -> Result<Vec<AuditEntry>> {
    let entity_id: i64 = entity_id.into();
    Ok(audit_log::table
        .filter(
            audit_log::entity
                .eq(entity)
                .and(audit_log::entity_id.eq(entity_id)),
        )
        .order(audit_log::id.asc())
        .select(AuditEntry::as_select())
        .load(db)?)
}

/// How many entries [`search`] reads when the filter does not say.
pub const DEFAULT_LIMIT: i64 = 200;

/// Which entries [`search`] reads: every condition given must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this entity (`case`, `contact`: one of [`ENTITIES`]).
    pub entity: Option<String>,
    /// Only the row with this id.
    pub entity_id: Option<i64>,
    /// Only the changes this user made.
    pub user: Option<UserId>,
    /// Only the changes made at this time (UTC) or later.
    pub since: Option<NaiveDateTime>,
    /// Only the entries older than this one: the next page after an entry already read.
    pub before: Option<AuditId>,
    /// At most this many entries.
    pub limit: i64,
}

impl Default for AuditFilter {
    fn default() -> AuditFilter {
        AuditFilter {
            entity: None,
            entity_id: None,
            user: None,
            since: None,
            before: None,
            limit: DEFAULT_LIMIT,
        }
    }
}

impl AuditFilter {
    /// The trail of one row of `entity`, newest first, at most [`DEFAULT_LIMIT`] entries.
    pub fn of(entity: &str, entity_id: impl Into<i64>) -> AuditFilter {
        AuditFilter {
            entity: Some(entity.to_string()),
            entity_id: Some(entity_id.into()),
            ..AuditFilter::default()
        }
    }
}

/// The entries `filter` lets through, newest first, at most `filter.limit` of them: one bounded
/// read, never the whole log. The next page is the same filter with `before` the last entry's
/// id.
pub fn search(db: &mut Db, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
    let mut query = audit_log::table
        .select(AuditEntry::as_select())
        .order(audit_log::id.desc())
        .limit(filter.limit.max(0))
        .into_boxed();
    if let Some(entity) = &filter.entity {
        query = query.filter(audit_log::entity.eq(entity.clone()));
    }
    if let Some(id) = filter.entity_id {
        query = query.filter(audit_log::entity_id.eq(id));
    }
    if let Some(user) = filter.user {
        query = query.filter(audit_log::user_id.eq(user));
    }
    if let Some(since) = filter.since {
        query = query.filter(audit_log::at.ge(since));
    }
    if let Some(before) = filter.before {
        query = query.filter(audit_log::id.lt(before));
    }
    Ok(query.load(db)?)
}

/// Who made the entries: user id → (login, display name), in one query.
pub fn authors(db: &mut Db, entries: &[AuditEntry]) -> Result<HashMap<UserId, (String, String)>> {
    let mut ids: Vec<UserId> = entries.iter().filter_map(|e| e.user_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(UserId, String, String)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::login, users::display_name))
        .load(db)?;
    Ok(rows
        .into_iter()
        .map(|(id, login, name)| (id, (login, name)))
        .collect())
}

/// One field an audit entry changed: its value before and after, `None` where it had none (a
/// create has nothing before, a delete nothing after).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The fields every change touches, which say nothing of what the change was, and the text the
/// store derives from a row's fields to search it by.
const BOOKKEEPING: [&str; 4] = ["version", "updated_at", "updated_by", "search_text"];

/// The fields `entry` changed, in the order of their names: for an update, those whose value
/// differs between before and after; for a create, every field it was made with; for a delete,
/// every field it had (a field without a value, JSON `null`, is left out of both). The version,
/// the last change's time and author, and the search text are never listed. A group of fields stored inside the
/// row (a contact's `fields`) counts as its fields; a value that is not an object is one field
/// named `value`.
pub fn changes(entry: &AuditEntry) -> Vec<FieldChange> {
    let parse = |json: &Option<String>| {
        json.as_deref()
            .and_then(|text| serde_json::from_str::<Value>(text).ok())
            .map(flatten)
    };
    let (old, new) = (parse(&entry.old_values), parse(&entry.new_values));
    let mut fields: Vec<&String> = old
        .iter()
        .chain(new.iter())
        .flat_map(|values| values.keys())
        .filter(|field| !BOOKKEEPING.contains(&field.as_str()))
        .collect();
    fields.sort_unstable();
    fields.dedup();
    let value = |values: &Option<HashMap<String, Value>>, field: &str| {
        values
            .as_ref()
            .and_then(|v| v.get(field))
            .filter(|v| !v.is_null())
            .cloned()
    };
    fields
        .into_iter()
        .filter_map(|field| {
            let (before, after) = (value(&old, field), value(&new, field));
            (before != after).then(|| FieldChange {
                field: field.clone(),
                before,
                after,
            })
        })
        .collect()
}

/// A row's JSON as field → value, the fields of a group inside it (an object) taken as its own.
fn flatten(value: Value) -> HashMap<String, Value> {
    let mut out = HashMap::new();
    match value {
        Value::Object(fields) => {
            for (field, value) in fields {
                match value {
                    Value::Object(_) => out.extend(flatten(value)),
                    value => {
                        out.insert(field, value);
                    }
                }
            }
        }
        value => {
            out.insert("value".to_string(), value);
        }
    }
    out
}

/// A JSON value as a person reads it: text without quotes, nothing for `null`, numbers and
/// yes/no as written, a list or a group as compact JSON.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: AuditAction, old: Option<&str>, new: Option<&str>) -> AuditEntry {
        AuditEntry {
            id: AuditId(1),
            at: NaiveDateTime::default(),
            user_id: Some(UserId(1)),
            entity: "case".into(),
            entity_id: 7,
            action: action.as_str().into(),
            old_values: old.map(str::to_string),
            new_values: new.map(str::to_string),
        }
    }

    fn change(field: &str, before: Option<Value>, after: Option<Value>) -> FieldChange {
        FieldChange {
            field: field.into(),
            before,
            after,
        }
    }

    #[test]
    fn an_update_lists_the_fields_that_differ_but_not_the_bookkeeping() {
        let e = entry(
            AuditAction::Update,
            Some(
                r#"{"id":7,"title":"Boilers","priority":3,"need":null,"version":1,"updated_at":"a","updated_by":1}"#,
            ),
            Some(
                r#"{"id":7,"title":"Boilers","priority":1,"need":"two","version":2,"updated_at":"b","updated_by":2,"search_text":"boilers two"}"#,
            ),
        );
        assert_eq!(
            changes(&e),
            vec![
                change("need", None, Some("two".into())),
                change("priority", Some(3.into()), Some(1.into())),
            ]
        );
    }

    #[test]
    fn a_create_lists_what_it_was_made_with_and_a_delete_what_it_had() {
        let row = r#"{"id":7,"title":"Boilers","need":null,"version":1}"#;
        assert_eq!(
            changes(&entry(AuditAction::Create, None, Some(row))),
            vec![
                change("id", None, Some(7.into())),
                change("title", None, Some("Boilers".into())),
            ]
        );
        assert_eq!(
            changes(&entry(AuditAction::Delete, Some(row), None)),
            vec![
                change("id", Some(7.into()), None),
                change("title", Some("Boilers".into()), None),
            ]
        );
    }

    #[test]
    fn a_group_of_fields_counts_as_its_fields_and_a_bare_value_as_one() {
        let e = entry(
            AuditAction::Update,
            Some(r#"{"id":3,"fields":{"first_name":"Ali","mobile":"0912"},"archived":false}"#),
            Some(r#"{"id":3,"fields":{"first_name":"Ali","mobile":"0935"},"archived":true}"#),
        );
        assert_eq!(
            changes(&e),
            vec![
                change("archived", Some(false.into()), Some(true.into())),
                change("mobile", Some("0912".into()), Some("0935".into())),
            ]
        );
        let day = entry(AuditAction::Update, Some("480"), Some("540"));
        assert_eq!(
            changes(&day),
            vec![change("value", Some(480.into()), Some(540.into()))]
        );
        assert_eq!(value_text(&Value::Null), "");
        assert_eq!(value_text(&"x".into()), "x");
        assert_eq!(value_text(&serde_json::json!([1, 2])), "[1,2]");
    }

    #[test]
    fn every_action_reads_back_as_itself() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
        assert_eq!(AuditAction::parse("rename"), None);
    }
}
