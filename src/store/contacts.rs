//! Contacts: persons and companies. `ContactFields` is what a user edits; the store derives the
//! display name and search text from it, validates it, and keeps version and audit.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::Db;
use crate::db::ids::{CategoryId, ContactId, ContactLinkId, LookupId, UserId};
use crate::db::schema::contacts;
use crate::domain::{iran, text};
use crate::error::{Error, FieldError, Result};
use crate::t;

use super::audit::{self, AuditAction};
use super::bulk::{self, BulkRow};
use super::keyset;
use super::versioned::{self, Changed, Stored};
use super::{Actor, Role};

pub const ENTITY: &str = "contact";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum ContactKind {
    #[default]
    Person,
    Company,
}

impl ContactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactKind::Person => "person",
            ContactKind::Company => "company",
        }
    }

    pub fn parse(text: &str) -> Option<ContactKind> {
        match text {
            "person" => Some(ContactKind::Person),
            "company" => Some(ContactKind::Company),
            _ => None,
        }
    }
}

/// The fields a user edits, as columns. `display_name` and `search_text` are filled by
/// `ContactFields::prepare`, never typed.
#[derive(
    Debug, Clone, Default, PartialEq, Insertable, AsChangeset, Queryable, Selectable, Serialize,
)]
#[diesel(table_name = contacts, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct ContactFields {
    pub kind: String,
    pub display_name: String,
    pub search_text: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub national_code: Option<String>,
    pub birth_date: Option<chrono::NaiveDate>,
    pub gender: Option<String>,
    pub marital_status: Option<String>,
    pub company_name: Option<String>,
    pub company_national_id: Option<String>,
    pub economic_code: Option<String>,
    pub registration_number: Option<String>,
    pub registration_date: Option<chrono::NaiveDate>,
    pub company_type_id: Option<LookupId>,
    pub activity_field_id: Option<LookupId>,
    pub staff_count: Option<i64>,
    pub turnover: Option<i64>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub postal_code: Option<String>,
    pub address: Option<String>,
    pub region_id: Option<LookupId>,
    pub notes: Option<String>,
}

/// A stored contact.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = contacts)]
pub struct Contact {
    pub id: ContactId,
    #[diesel(embed)]
    pub fields: ContactFields,
    pub archived: bool,
    pub version: i64,
    pub created_by: UserId,
    pub updated_by: UserId,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

/// A row for inserting, the user's fields plus who and when.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = contacts, treat_none_as_default_value = false)]
pub struct NewContact {
    #[diesel(embed)]
    pub fields: ContactFields,
    pub archived: bool,
    pub version: i64,
    pub created_by: UserId,
    pub updated_by: UserId,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl BulkRow for NewContact {
    const COLUMNS: usize = 33;
}

impl NewContact {
    pub fn new(fields: ContactFields, actor_id: UserId, at: chrono::NaiveDateTime) -> NewContact {
        NewContact {
            fields,
            archived: false,
            version: 1,
            created_by: actor_id,
            updated_by: actor_id,
            created_at: at,
            updated_at: at,
        }
    }
}

fn clean(value: &mut Option<String>, multiline: bool) {
    if let Some(v) = value.take() {
        let v = text::strip_controls(&v, multiline).trim().to_string();
        if !v.is_empty() {
            *value = Some(v);
        }
    }
}

fn clean_digits(value: &mut Option<String>) {
    clean(value, false);
    if let Some(v) = value.as_mut() {
        *v = text::ascii_digits(v);
    }
}

impl ContactFields {
    /// Cleans the typed values (control characters out, digits to ASCII), fills the derived
    /// columns, and checks every field; all failures are returned together.
    pub fn prepare(mut self) -> Result<ContactFields> {
        for v in [
            &mut self.first_name,
            &mut self.last_name,
            &mut self.company_name,
            &mut self.gender,
            &mut self.marital_status,
            &mut self.email,
            &mut self.website,
        ] {
            clean(v, false);
        }
        for v in [&mut self.address, &mut self.notes] {
            clean(v, true);
        }
        for v in [
            &mut self.national_code,
            &mut self.company_national_id,
            &mut self.economic_code,
            &mut self.registration_number,
            &mut self.postal_code,
            &mut self.phone,
            &mut self.fax,
            &mut self.mobile,
        ] {
            clean_digits(v);
        }
        let kind = ContactKind::parse(&self.kind).unwrap_or_default();
        self.kind = kind.as_str().to_string();

        let mut errors = Vec::new();
        let required =
            |errors: &mut Vec<FieldError>, value: &Option<String>, field: &'static str| {
                if value.is_none() {
                    errors.push(FieldError {
                        field,
                        reason: t!("invalid.required"),
                    });
                }
            };
        match kind {
            ContactKind::Person => required(&mut errors, &self.last_name, "field.last-name"),
            ContactKind::Company => required(&mut errors, &self.company_name, "field.company-name"),
        }
        // Identifiers: digits only (spaces and dashes between them dropped), then each its rule.
        for (value, field) in [
            (&mut self.national_code, "field.national-code"),
            (&mut self.company_national_id, "field.company-national-id"),
            (&mut self.economic_code, "field.economic-code"),
            (&mut self.registration_number, "field.registration-number"),
            (&mut self.postal_code, "field.postal-code"),
        ] {
            if let Some(error) = identifier(value, field) {
                errors.push(error);
            }
        }
        if let Some(code) = &self.national_code
            && !iran::is_valid_national_code(code)
            && !errors.iter().any(|e| e.field == "field.national-code")
        {
            errors.push(FieldError {
                field: "field.national-code",
                reason: t!("invalid.national-code"),
            });
        }
        if let Some(id) = &self.company_national_id
            && !iran::is_valid_company_national_id(id)
            && !errors
                .iter()
                .any(|e| e.field == "field.company-national-id")
        {
            errors.push(FieldError {
                field: "field.company-national-id",
                reason: t!("invalid.company-national-id"),
            });
        }
        if let Some(code) = &self.postal_code
            && code.len() != 10
            && !errors.iter().any(|e| e.field == "field.postal-code")
        {
            errors.push(FieldError {
                field: "field.postal-code",
                reason: t!("invalid.postal-code"),
            });
        }
        // Numbers people dial: one stored form however they were typed.
        let phone: fn(&str) -> std::result::Result<String, iran::PhoneError> =
            iran::normalise_phone;
        for (value, field, normalise) in [
            (&mut self.phone, "field.phone", phone),
            (&mut self.fax, "field.fax", phone),
            (&mut self.mobile, "field.mobile", iran::normalise_mobile),
        ] {
            if let Some(error) = dialled(value, field, normalise) {
                errors.push(error);
            }
        }
        // The store holds the codes only (the form offers them as choices; an import may not).
        for (value, field, codes) in [
            (&self.gender, "field.gender", ["female", "male"]),
            (
                &self.marital_status,
                "field.marital-status",
                ["single", "married"],
            ),
        ] {
            if value.as_deref().is_some_and(|v| !codes.contains(&v)) {
                errors.push(FieldError {
                    field,
                    reason: t!("invalid.one-of", values = codes.join(", ")),
                });
            }
        }
        if let Some(email) = &self.email
            && !text::is_email(email)
        {
            errors.push(FieldError {
                field: "field.email",
                reason: t!("invalid.email"),
            });
        }
        if let Some(site) = &self.website
            && !text::is_web_address(site)
        {
            errors.push(FieldError {
                field: "field.website",
                reason: t!("invalid.website"),
            });
        }
        let today = today();
        for (value, field) in [
            (self.birth_date, "field.birth-date"),
            (self.registration_date, "field.registration-date"),
        ] {
            if value.is_some_and(|d| d > today) {
                errors.push(FieldError {
                    field,
                    reason: t!("invalid.future-date"),
                });
            }
        }
        for (value, field) in [
            (self.staff_count, "field.staff-count"),
            (self.turnover, "field.turnover"),
        ] {
            if value.is_some_and(|v| v < 0) {
                errors.push(FieldError {
                    field,
                    reason: t!("invalid.negative"),
                });
            }
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }

        self.display_name = self.compute_display_name(kind);
        self.search_text = self.compute_search_text();
        Ok(self)
    }

    fn compute_display_name(&self, kind: ContactKind) -> String {
        match kind {
            ContactKind::Company => self.company_name.clone().unwrap_or_default(),
            ContactKind::Person => [&self.first_name, &self.last_name]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    fn compute_search_text(&self) -> String {
        let parts = [
            &self.first_name,
            &self.last_name,
            &self.company_name,
            &self.mobile,
            &self.phone,
            &self.national_code,
            &self.company_national_id,
            &self.email,
        ];
        let joined = parts
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        text::search_key(&joined)
    }
}

/// Refuses a national code or company ID that another contact already has, naming that contact.
fn check_unique(db: &mut Db, fields: &ContactFields, except: Option<ContactId>) -> Result<()> {
    let mut errors = Vec::new();
    let others = contacts::table
        .filter(contacts::id.ne(except.map_or(-1, i64::from)))
        .select(contacts::display_name);
    if let Some(code) = &fields.national_code
        && let Some(name) = others
            .filter(contacts::national_code.eq(code))
            .first::<String>(db)
            .optional()?
    {
        errors.push(FieldError {
            field: "field.national-code",
            reason: t!("invalid.duplicate", name = name),
        });
    }
    if let Some(id) = &fields.company_national_id
        && let Some(name) = others
            .filter(contacts::company_national_id.eq(id))
            .first::<String>(db)
            .optional()?
    {
        errors.push(FieldError {
            field: "field.company-national-id",
            reason: t!("invalid.duplicate", name = name),
        });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Stores a new contact and returns it.
pub fn create(db: &mut Db, actor: &Actor, fields: ContactFields) -> Result<Contact> {
    actor.require(Role::Agent, "add contacts")?;
    let fields = fields.prepare()?;
    super::write(db, |db| {
        check_unique(db, &fields, None)?;
        let row = NewContact::new(fields, actor.id, super::now());
        let id: ContactId = super::insert_one!(db, contacts, &row)?;
        let contact: Contact = versioned::created(db, actor, id)?;
        Ok(contact)
    })
}

/// Contact fields that passed [`ContactFields::prepare`]: cleaned, their derived columns
/// filled, every field valid. What [`duplicates`] checks and [`create_many`] stores, so that a
/// batch checked once is not cleaned and checked again.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared(ContactFields);

impl Prepared {
    pub fn fields(&self) -> &ContactFields {
        &self.0
    }
}

impl ContactFields {
    /// [`ContactFields::prepare`], the result marked as prepared.
    pub fn prepared(self) -> Result<Prepared> {
        self.prepare().map(Prepared)
    }
}

/// How many values go into one `IN (…)` list: well under either backend's limit on bound values.
const VALUES_PER_QUERY: usize = 10_000;

/// The national codes and company IDs of `contacts` that are taken: by a stored contact, or by
/// an earlier one of `contacts` (as if they were created one after another). Each as the error
/// [`create`] gives for it, naming the contact that has it, with its index in `contacts`; in
/// order of index, then of field as [`create`] checks them. A few queries however many
/// contacts: one for every ten thousand values, or, when the store holds fewer contacts than
/// `contacts`, one reading the values on file.
pub fn duplicates(db: &mut Db, contacts: &[Prepared]) -> Result<Vec<(usize, FieldError)>> {
    type Value = fn(&ContactFields) -> Option<&String>;
    if contacts.is_empty() {
        return Ok(Vec::new());
    }
    let checks: [(Value, &'static str); 2] = [
        (|f| f.national_code.as_ref(), "field.national-code"),
        (
            |f| f.company_national_id.as_ref(),
            "field.company-national-id",
        ),
    ];
    // When the store holds fewer contacts than the batch, reading its values once costs less
    // than asking about each of the batch's.
    let read_all =
        crate::db::row_count(db, "contacts")? <= i64::try_from(contacts.len()).unwrap_or(i64::MAX);
    let mut found: Vec<(usize, usize, FieldError)> = Vec::new();
    for (order, (value, field)) in checks.into_iter().enumerate() {
        let mut on_file: HashMap<String, String> = HashMap::new();
        if read_all {
            on_file.extend(holders(db, order == 0, None)?);
        } else {
            let mut wanted: Vec<&str> = contacts
                .iter()
                .filter_map(|c| value(&c.0))
                .map(String::as_str)
                .collect();
            wanted.sort_unstable();
            wanted.dedup();
            for chunk in wanted.chunks(VALUES_PER_QUERY) {
                on_file.extend(holders(db, order == 0, Some(chunk))?);
            }
        }
        // Each value's first holder in the batch, by index.
        let mut first: HashMap<&str, usize> = HashMap::with_capacity(contacts.len());
        for (index, contact) in contacts.iter().enumerate() {
            let Some(v) = value(&contact.0) else {
                continue;
            };
            let name = match on_file.get(v) {
                Some(name) => name,
                None => match first.entry(v.as_str()) {
                    Entry::Vacant(slot) => {
                        slot.insert(index);
                        continue;
                    }
                    Entry::Occupied(holder) => &contacts[*holder.get()].0.display_name,
                },
            };
            found.push((
                index,
                order,
                FieldError {
                    field,
                    reason: t!("invalid.duplicate", name = name),
                },
            ));
        }
    }
    found.sort_by_key(|&(index, order, _)| (index, order));
    Ok(found.into_iter().map(|(index, _, e)| (index, e)).collect())
}

/// The stored contacts' national codes (`national`) or company IDs, each with the display name
/// of the contact that has it: those among `values`, or every one when `None`.
fn holders(db: &mut Db, national: bool, values: Option<&[&str]>) -> Result<Vec<(String, String)>> {
    let name = contacts::display_name;
    Ok(match (national, values) {
        (true, None) => contacts::table
            .filter(contacts::national_code.is_not_null())
            .select((contacts::national_code.assume_not_null(), name))
            .load(db)?,
        (true, Some(values)) => contacts::table
            .filter(contacts::national_code.eq_any(values))
            .select((contacts::national_code.assume_not_null(), name))
            .load(db)?,
        (false, None) => contacts::table
            .filter(contacts::company_national_id.is_not_null())
            .select((contacts::company_national_id.assume_not_null(), name))
            .load(db)?,
        (false, Some(values)) => contacts::table
            .filter(contacts::company_national_id.eq_any(values))
            .select((contacts::company_national_id.assume_not_null(), name))
            .load(db)?,
    })
}

/// Stores many new contacts at once (an import) and returns their ids, in order: the rows and
/// audit rows [`create`] writes for each, in a few multi-row statements instead of several
/// statements a contact. All or nothing: when [`duplicates`] finds a taken national code or
/// company ID, the batch is refused with the errors of the first contact that has one, as
/// [`create`] gives them (to report every one, call [`duplicates`] first). `progress(done)` is
/// called as the contacts are stored, a statement's worth at a time.
///
/// A batch at least as large as the contacts on file is loaded on SQLite with the table's
/// secondary indexes dropped and made again at the end ([`bulk::load`]): building an index once
/// is several times faster than keeping it up to date row by row. Readers keep their snapshot
/// meanwhile and another writer waits for the write lock anyway. PostgreSQL keeps its indexes
/// (dropping them would lock the table against every other session's reads until the end).
///
/// On SQLite the check and the insert see the same store (the writer holds its one write lock).
/// On PostgreSQL another session may store a clashing national code or company ID between them;
/// the unique index then refuses the insert (`DatabaseErrorKind::UniqueViolation`) and nothing
/// of the batch is written.
pub fn create_many(
    db: &mut Db,
    actor: &Actor,
    contacts: Vec<Prepared>,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<ContactId>> {
    actor.require(Role::Agent, "add contacts")?;
    super::write(db, |db| {
        let found = duplicates(db, &contacts)?;
        if let Some(&(first, _)) = found.first() {
            let errors = found
                .into_iter()
                .filter(|(index, _)| *index == first)
                .map(|(_, e)| e)
                .collect();
            return Err(Error::Invalid(errors));
        }
        let large = matches!(db, Db::Sqlite(_))
            && !contacts.is_empty()
            && i64::try_from(contacts.len()).unwrap_or(i64::MAX)
                >= crate::db::row_count(db, "contacts")?;
        if large {
            bulk::load(db, &["contacts"], |db| {
                insert_many(db, actor, contacts, progress)
            })
        } else {
            insert_many(db, actor, contacts, progress)
        }
    })
}

/// The inserts of [`create_many`]: the contacts a statement's worth at a time, each batch with
/// its audit rows (the contact as reading it back gives it, as [`versioned::created`] records).
fn insert_many(
    db: &mut Db,
    actor: &Actor,
    contacts: Vec<Prepared>,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<ContactId>> {
    let at = super::now();
    let per_statement = bulk::rows_per_statement::<NewContact>(db);
    // Audit rows go in whole statements (SQLite prepares one such statement once).
    let audit_per_statement = bulk::rows_per_statement::<audit::NewAuditEntry>(db);
    let mut entries: Vec<audit::NewAuditEntry> = Vec::new();
    let mut ids = Vec::with_capacity(contacts.len());
    let mut rows = contacts
        .into_iter()
        .map(|Prepared(fields)| NewContact::new(fields, actor.id, at));
    loop {
        let chunk: Vec<NewContact> = rows.by_ref().take(per_statement).collect();
        if chunk.is_empty() {
            break;
        }
        let chunk_ids = bulk::copy_contacts(db, &chunk)?;
        let audited = super::now();
        entries.extend(chunk.into_iter().zip(&chunk_ids).map(|(row, &id)| {
            audit::NewAuditEntry::new(
                actor,
                ENTITY,
                id,
                AuditAction::Create,
                None,
                Some(&Contact::stored_as(id, row)),
                audited,
            )
        }));
        let whole = entries.len() / audit_per_statement * audit_per_statement;
        audit::record_many(db, &entries[..whole])?;
        entries.drain(..whole);
        ids.extend(chunk_ids);
        progress(ids.len());
    }
    audit::record_many(db, &entries)?;
    Ok(ids)
}

impl Contact {
    /// The contact `row` became when it was inserted as `id`: what reading it back gives.
    fn stored_as(id: ContactId, row: NewContact) -> Contact {
        Contact {
            id,
            fields: row.fields,
            archived: row.archived,
            version: row.version,
            created_by: row.created_by,
            updated_by: row.updated_by,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// Replaces a contact's fields if it is still at `expected_version`; returns the stored contact.
pub fn update(
    db: &mut Db,
    actor: &Actor,
    id: ContactId,
    expected_version: i64,
    fields: ContactFields,
) -> Result<Contact> {
    actor.require(Role::Agent, "change contacts")?;
    let fields = fields.prepare()?;
    versioned::update(
        db,
        actor,
        id,
        expected_version,
        AuditAction::Update,
        |_: &Contact| Ok(()),
        |db, _, _| {
            check_unique(db, &fields, Some(id))?;
            diesel::update(contacts::table.find(id))
                .set(&fields)
                .execute(db)?;
            Ok(Changed::Yes)
        },
    )
}

/// Archives a contact: it leaves the lists but stays on file for the cases that point at it.
pub fn archive(
    db: &mut Db,
    actor: &Actor,
    id: ContactId,
    expected_version: i64,
) -> Result<Contact> {
    actor.require(Role::Agent, "archive contacts")?;
    versioned::update(
        db,
        actor,
        id,
        expected_version,
        AuditAction::Archive,
        |_: &Contact| Ok(()),
        |db, _, _| {
            diesel::update(contacts::table.find(id))
                .set(contacts::archived.eq(true))
                .execute(db)?;
            Ok(Changed::Yes)
        },
    )
}

versioned::stored!(Contact, ContactId, contacts, ENTITY, "entity.contact");
versioned::versioned!(Contact, contacts, updated_by);

pub fn get(db: &mut Db, id: ContactId) -> Result<Contact> {
    <Contact as Stored>::get(db, id)
}

/// The contacts, archived ones too, that `typed` names by a number: a contact's id, a company's
/// national ID, a person's national code or a mobile number, in any digit script and with
/// spaces or dashes between the digits; each with its display name, by id. More than one when
/// the number is several contacts' (a shared mobile); at most `limit`.
pub fn by_number(db: &mut Db, typed: &str, limit: i64) -> Result<Vec<(ContactId, String)>> {
    let compact = iran::compact_number(typed);
    if compact.is_empty() || iran::first_non_digit(&compact, true).is_some() {
        return Ok(Vec::new());
    }
    let mut query = contacts::table
        .filter(
            contacts::national_code
                .eq(compact.clone())
                .or(contacts::company_national_id.eq(compact.clone())),
        )
        .into_boxed();
    // An id is written without a leading zero, as identifiers and mobiles are not.
    if !compact.starts_with('0')
        && let Ok(id) = compact.parse::<i64>()
    {
        query = query.or_filter(contacts::id.eq(id));
    }
    if let Ok(mobile) = iran::normalise_mobile(&compact) {
        query = query.or_filter(contacts::mobile.eq(mobile));
    }
    Ok(query
        .select((contacts::id, contacts::display_name))
        .order(contacts::id.asc())
        .limit(limit)
        .load(db)?)
}

/// One line of the contact list.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct ContactRow {
    pub id: ContactId,
    pub kind: String,
    pub display_name: String,
    pub mobile: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Where a page of the list starts: after this (display name, id).
pub type PageKey = (String, ContactId);

/// Which contacts a list or an export shows. The archived are never in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactFilter {
    /// What was typed in the search box: every word of it must appear in the contact's name,
    /// company, mobile, phone, national code, company ID or e-mail (Persian-normalised).
    pub search: String,
    /// Only contacts filed under one of these categories (a node and its subtree).
    pub categories: Option<Vec<CategoryId>>,
}

impl ContactFilter {
    pub fn search(text: &str) -> ContactFilter {
        ContactFilter {
            search: text.to_string(),
            categories: None,
        }
    }

    /// The words a contact's search text must hold.
    fn words(&self) -> Vec<String> {
        text::search_words(&self.search)
    }
}

type BoxedContacts<'a> = contacts::BoxedQuery<'a, crate::db::MultiBackend>;

/// The condition that a contact's search text holds every one of some words (words of
/// [`text::search_words`]): each word anywhere in the text, as `search_text LIKE '%word%'` finds
/// it. Made by [`holds_words`]; usable in a query of contacts and in a subquery of contacts.
///
/// No B-tree index serves a word in the middle of a text; a trigram index does, for words of
/// three characters or more (a shorter word holds no trigram). On SQLite that is
/// `contacts_search`, an FTS5 table with the trigram tokenizer over `contacts.search_text`, kept
/// by triggers on `contacts`: its `MATCH` finds the contacts holding every such word, and the
/// `LIKE` of each word then reads only those, so that what matches is exactly what the `LIKE`s
/// alone match. When every word is shorter, the `LIKE`s read every contact. On PostgreSQL the
/// `LIKE`s are the whole condition: `contacts_search_trgm_idx`, a `pg_trgm` index over
/// `search_text`, serves those of three characters or more.
#[derive(Debug, Clone)]
pub struct HoldsWords {
    /// The FTS5 query of the words of three characters or more, on SQLite.
    matching: Option<String>,
    /// Whether a word is long enough for the trigram index.
    indexed: bool,
    /// Each word as a `LIKE` pattern.
    patterns: Vec<String>,
    /// How a page in name order reads the contacts that hold the words.
    reading: Reading,
}

/// How a page in name order goes from the contacts the trigram index names to the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Reads each of them (on SQLite by its id), then sorts them: the cost grows with how many
    /// hold the words.
    Sorting,
    /// Walks the names' index, testing each entry (on SQLite against the list of ids the FTS5
    /// table gave, without reading the contact unless it is on it): a page of many matches ends
    /// early; with few, the walk may read the index to its end.
    Walking,
}

/// When at least this share of the contacts (one in so many) hold the words, a page in name
/// order walks the names' index ([`Reading::Walking`]) rather than reading every contact that
/// holds them and sorting them ([`Reading::Sorting`]). Neither backend can tell the two apart by
/// itself: SQLite reads by id whatever the number, and PostgreSQL takes a word for as common as
/// its statistics guess and walks the index even for a name a few thousand contacts share, all
/// of them far down the list.
///
/// The share is where sorting costs about what the walk may cost at worst (reading the index to
/// its end when the matches come last). Measured on 100,000 contacts: SQLite tests an entry
/// against the FTS5 table's ids in passing (the whole index in 10 ms), and reads and sorts 1,000
/// contacts in 4.5 ms, so one in 64; PostgreSQL reads the row of every entry it walks (40,000
/// entries in 40 ms) and sorts 1,000 contacts in 2.6 ms, so one in 16, which keeps a sort under
/// 17 ms.
fn walk_share(db: &Db) -> i64 {
    match db {
        Db::Sqlite(_) => 64,
        Db::Pg(_) => 16,
    }
}

/// The condition that a contact's search text holds every one of `words`; `None` when there are
/// none (every contact holds them).
pub fn holds_words<S: AsRef<str>>(db: &Db, words: &[S]) -> Option<HoldsWords> {
    if words.is_empty() {
        return None;
    }
    Some(HoldsWords {
        matching: match db {
            Db::Sqlite(_) => text::trigram_query(words),
            Db::Pg(_) => None,
        },
        indexed: words.iter().any(|w| text::has_trigram(w.as_ref())),
        patterns: words
            .iter()
            .map(|w| text::like_pattern(w.as_ref()))
            .collect(),
        reading: Reading::Sorting,
    })
}

/// The most contacts' ids [`holding`] hands back: a list that finds its rows by their contacts
/// binds them twice at most (a case's company and person), well under either backend's limit on
/// bound values.
pub const HOLDERS_BOUND: usize = 10_000;

/// The ids of the contacts, archived ones too, whose search text holds `word`, for a list that
/// also finds its rows by their contacts' words (cases, complaints): read once for the several
/// statements of a page, instead of the condition being tested again in each. `None` when more
/// than [`HOLDERS_BOUND`] hold it: the list then tests the condition itself.
pub fn holding(db: &mut Db, word: &str) -> Result<Option<Vec<ContactId>>> {
    let Some(holding) = holds_words(db, &[word]) else {
        return Ok(None);
    };
    let bound = i64::try_from(HOLDERS_BOUND).unwrap_or(i64::MAX);
    let ids: Vec<ContactId> = contacts::table
        .filter(holding)
        .select(contacts::id)
        .limit(bound + 1)
        .load(db)?;
    Ok((ids.len() <= HOLDERS_BOUND).then_some(ids))
}

/// A searched word and the contacts that hold it ([`holding`]).
pub type SearchedWord = (String, Option<Vec<ContactId>>);

/// The words of what was typed in a list's search box, each with the contacts that hold it.
pub fn searched_words(db: &mut Db, search: &str) -> Result<Vec<SearchedWord>> {
    text::search_words(search)
        .into_iter()
        .map(|word| {
            let holders = holding(db, &word)?;
            Ok((word, holders))
        })
        .collect()
}

/// How many contacts PostgreSQL reads, about, to estimate the share that holds some words.
const SAMPLE: f64 = 2_000.0;

impl HoldsWords {
    /// The condition as a page in name order reads it best ([`walk_share`]). SQLite counts the
    /// contacts the FTS5 table names, stopping at the number that decides; PostgreSQL, whose
    /// trigram index cannot count without reading the rows, estimates the share from a sample of
    /// the table's pages (about [`SAMPLE`] contacts, 1 ms on 100,000). Words too short for the
    /// index leave the backend to choose.
    fn for_a_page(mut self, db: &mut Db) -> Result<HoldsWords> {
        use diesel::dsl::max;
        use diesel::sql_types::{BigInt, Text};
        let contacts: Option<i64> = contacts::table.select(max(contacts::id)).first(db)?;
        let contacts = contacts.unwrap_or(0);
        if !self.indexed || contacts == 0 {
            return Ok(self);
        }
        let share = walk_share(db);
        let walk = match (&mut *db, &self.matching) {
            (Db::Sqlite(conn), Some(matching)) => {
                let enough = contacts / share + 1;
                let found = diesel::sql_query(
                    "SELECT rowid AS id FROM contacts_search WHERE contacts_search MATCH ? \
                     LIMIT ?",
                )
                .bind::<Text, _>(matching)
                .bind::<BigInt, _>(enough)
                .load::<FoundId>(conn)?;
                found.len() as i64 >= enough
            }
            (Db::Pg(conn), _) => {
                let percent = (SAMPLE * 100.0 / contacts as f64).min(100.0);
                let holding: Vec<String> = (1..=self.patterns.len())
                    .map(|i| format!("search_text LIKE ${i} ESCAPE '\\'"))
                    .collect();
                let mut sample = diesel::sql_query(format!(
                    "SELECT COUNT(*) FILTER (WHERE {}) AS found, COUNT(*) AS sampled \
                     FROM contacts TABLESAMPLE SYSTEM ({percent}) REPEATABLE (0)",
                    holding.join(" AND ")
                ))
                .into_boxed();
                for pattern in &self.patterns {
                    sample = sample.bind::<Text, _>(pattern.clone());
                }
                let Sample { found, sampled } = sample.get_result(conn)?;
                found * share >= sampled && found > 0
            }
            _ => false,
        };
        if walk {
            self.reading = Reading::Walking;
        }
        Ok(self)
    }
}

/// What a sample of the contacts holds.
#[derive(QueryableByName)]
struct Sample {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    found: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    sampled: i64,
}

/// A contact's id as the FTS5 table names it.
#[derive(QueryableByName)]
struct FoundId {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    #[allow(dead_code)]
    id: i64,
}

impl diesel::expression::Expression for HoldsWords {
    type SqlType = diesel::sql_types::Bool;
}

impl diesel::expression::ValidGrouping<()> for HoldsWords {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

/// Wherever the contacts' columns may be named: a query of contacts, or a subquery of contacts
/// inside a query of another table.
impl<QS> diesel::expression::AppearsOnTable<QS> for HoldsWords where
    contacts::search_text: diesel::expression::AppearsOnTable<QS>
{
}

impl<QS> diesel::expression::SelectableExpression<QS> for HoldsWords where
    contacts::search_text: diesel::expression::SelectableExpression<QS>
{
}

/// The statement's text depends on the words (how many, and whether any is looked up in the
/// index): no id of its own for the statement cache.
impl diesel::query_builder::QueryId for HoldsWords {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<DB> diesel::query_builder::QueryFragment<DB> for HoldsWords
where
    DB: diesel::backend::Backend + diesel::sql_types::HasSqlType<diesel::sql_types::Text>,
    String: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
    contacts::id: diesel::query_builder::QueryFragment<DB>,
    contacts::search_text: diesel::query_builder::QueryFragment<DB>,
{
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, DB>,
    ) -> QueryResult<()> {
        use diesel::sql_types::Text;
        out.push_sql("(");
        if let Some(matching) = &self.matching {
            if self.reading == Reading::Walking {
                // A unary plus keeps SQLite from reading the contacts by these ids.
                out.push_sql("+");
            }
            contacts::id.walk_ast(out.reborrow())?;
            out.push_sql(" IN (SELECT rowid FROM contacts_search WHERE contacts_search MATCH ");
            out.push_bind_param::<Text, _>(matching)?;
            out.push_sql(") AND ");
        }
        for (i, pattern) in self.patterns.iter().enumerate() {
            if i > 0 {
                out.push_sql(" AND ");
            }
            contacts::search_text.walk_ast(out.reborrow())?;
            out.push_sql(" LIKE ");
            out.push_bind_param::<Text, _>(pattern)?;
            out.push_sql(" ESCAPE '\\'");
        }
        out.push_sql(")");
        Ok(())
    }
}

/// The contacts `filter` lets through, not yet ordered or limited; and, when `a_page` is read in
/// name order, how ([`Reading`]).
fn filtered(
    db: &mut Db,
    filter: &ContactFilter,
    a_page: bool,
) -> Result<(BoxedContacts<'static>, Reading)> {
    use crate::db::schema::contact_categories;
    let mut query = contacts::table
        .filter(contacts::archived.eq(false))
        .into_boxed();
    // Without a word the trigram index serves, the names' index is walked, as for the whole list.
    let mut reading = Reading::Walking;
    if let Some(mut holds) = holds_words(db, &filter.words()) {
        if a_page {
            holds = holds.for_a_page(db)?;
        }
        if holds.indexed {
            reading = holds.reading;
        }
        query = query.filter(holds);
    }
    if let Some(ids) = &filter.categories {
        query = query.filter(
            contacts::id.eq_any(
                contact_categories::table
                    .filter(contact_categories::category_id.eq_any(ids.clone()))
                    .select(contact_categories::contact_id),
            ),
        );
    }
    Ok((query, reading))
}

/// A page of `filter`'s contacts in name order (`backwards` from the end), read as `reading`
/// says: PostgreSQL, to sort the contacts the trigram index found rather than walk the names'
/// index, is given the order as an expression that index does not serve (the same order: the
/// name with nothing added, then the id). SQLite sorts them by itself when it reads them by id.
fn in_name_order(
    db: &Db,
    query: BoxedContacts<'static>,
    reading: Reading,
    backwards: bool,
) -> BoxedContacts<'static> {
    let sort = reading == Reading::Sorting && matches!(db, Db::Pg(_));
    match (sort, backwards) {
        (false, false) => query.order((contacts::display_name.asc(), contacts::id.asc())),
        (false, true) => query.order((contacts::display_name.desc(), contacts::id.desc())),
        (true, false) => query.order((contacts::display_name.concat("").asc(), contacts::id.asc())),
        (true, true) => query.order((
            contacts::display_name.concat("").desc(),
            contacts::id.desc(),
        )),
    }
}

type RowColumns = (
    contacts::id,
    contacts::kind,
    contacts::display_name,
    contacts::mobile,
    contacts::phone,
    contacts::email,
);

const ROW_COLUMNS: RowColumns = (
    contacts::id,
    contacts::kind,
    contacts::display_name,
    contacts::mobile,
    contacts::phone,
    contacts::email,
);

/// Up to `limit` contacts `filter` lets through, in name order, after `after` (keyset paging:
/// the cost does not grow with how far down the list the user is).
pub fn page(
    db: &mut Db,
    filter: &ContactFilter,
    after: Option<&PageKey>,
    limit: i64,
) -> Result<Vec<ContactRow>> {
    let (query, reading) = filtered(db, filter, true)?;
    let mut query = in_name_order(db, query, reading, false)
        .select(ROW_COLUMNS)
        .limit(limit);
    if let Some((name, id)) = after {
        query = query.filter(keyset::greater(
            (contacts::display_name, contacts::id),
            (name.clone(), *id),
        ));
    }
    Ok(query.load(db)?)
}

/// Up to `limit` contacts before `before`, nearest first reversed into name order.
pub fn page_before(
    db: &mut Db,
    filter: &ContactFilter,
    before: &PageKey,
    limit: i64,
) -> Result<Vec<ContactRow>> {
    let (name, id) = before;
    let (query, reading) = filtered(db, filter, true)?;
    let mut rows: Vec<ContactRow> = in_name_order(db, query, reading, true)
        .filter(keyset::less(
            (contacts::display_name, contacts::id),
            (name.clone(), *id),
        ))
        .select(ROW_COLUMNS)
        .limit(limit)
        .load(db)?;
    rows.reverse();
    Ok(rows)
}

/// The last `limit` contacts `filter` lets through, in name order.
pub fn last_page(db: &mut Db, filter: &ContactFilter, limit: i64) -> Result<Vec<ContactRow>> {
    let (query, reading) = filtered(db, filter, true)?;
    let mut rows: Vec<ContactRow> = in_name_order(db, query, reading, true)
        .select(ROW_COLUMNS)
        .limit(limit)
        .load(db)?;
    rows.reverse();
    Ok(rows)
}

/// Up to `limit` whole contacts `filter` lets through, in id order after `after_id`: what an
/// export streams through, a batch at a time.
pub fn batch(
    db: &mut Db,
    filter: &ContactFilter,
    after_id: ContactId,
    limit: i64,
) -> Result<Vec<Contact>> {
    Ok(filtered(db, filter, false)?
        .0
        .filter(contacts::id.gt(after_id))
        .select(Contact::as_select())
        .order(contacts::id.asc())
        .limit(limit)
        .load(db)?)
}

/// Whether the store holds any contact at all, archived ones included.
pub fn any(db: &mut Db) -> Result<bool> {
    Ok(contacts::table
        .select(contacts::id)
        .first::<ContactId>(db)
        .optional()?
        .is_some())
}

/// How many contacts `filter` lets through.
pub fn count(db: &mut Db, filter: &ContactFilter) -> Result<i64> {
    Ok(filtered(db, filter, false)?.0.count().get_result(db)?)
}

/// Cleans an identifier typed with spaces or dashes between its digits to its digits; a letter
/// or other sign left in it is reported, naming the field.
fn identifier(value: &mut Option<String>, field: &'static str) -> Option<FieldError> {
    let compact = iran::compact_number(value.as_deref()?);
    let found = iran::first_non_digit(&compact, false);
    *value = Some(compact);
    found.map(|c| FieldError {
        field,
        reason: t!("invalid.digits-only", found = c),
    })
}

/// Brings a phone, fax or mobile number to its stored form, or says what is wrong with it.
fn dialled(
    value: &mut Option<String>,
    field: &'static str,
    normalise: fn(&str) -> std::result::Result<String, iran::PhoneError>,
) -> Option<FieldError> {
    let typed = value.as_deref()?;
    match normalise(typed) {
        Ok(number) => {
            *value = Some(number);
            None
        }
        Err(iran::PhoneError::NotDigits(c)) => Some(FieldError {
            field,
            reason: t!("invalid.digits-only", found = c),
        }),
        Err(iran::PhoneError::Shape) => Some(FieldError {
            field,
            reason: if field == "field.mobile" {
                t!("invalid.mobile")
            } else {
                t!("invalid.phone")
            },
        }),
    }
}

/// Today's date, as late as it is anywhere the store is used from (the machine's zone or UTC):
/// a date typed as today is never in the future.
fn today() -> chrono::NaiveDate {
    chrono::Local::now()
        .date_naive()
        .max(chrono::Utc::now().date_naive())
}

/// Economic codes are 12 digits; older ones 11 or 14.
const ECONOMIC_CODE_LENGTHS: [usize; 3] = [11, 12, 14];

/// What is allowed but unusual in `fields` (already prepared): an economic code of an unusual
/// length, and a mobile already on file for another contact that is not archived (named). The
/// user may save anyway.
pub fn warnings(
    db: &mut Db,
    fields: &ContactFields,
    except: Option<ContactId>,
) -> Result<Vec<FieldError>> {
    let mut warnings = Vec::new();
    if let Some(code) = &fields.economic_code
        && !ECONOMIC_CODE_LENGTHS.contains(&code.chars().count())
    {
        warnings.push(FieldError {
            field: "field.economic-code",
            reason: t!(
                "warning.economic-code-length",
                digits = code.chars().count()
            ),
        });
    }
    if let Some(mobile) = &fields.mobile
        && let Some(name) = contacts::table
            .filter(contacts::mobile.eq(mobile))
            .filter(contacts::archived.eq(false))
            .filter(contacts::id.ne(except.map_or(-1, i64::from)))
            .order(contacts::id.asc())
            .select(contacts::display_name)
            .first::<String>(db)
            .optional()?
    {
        warnings.push(FieldError {
            field: "field.mobile",
            reason: t!("warning.mobile-shared", name = name),
        });
    }
    Ok(warnings)
}

/// The audit entity of a link between a person and a company.
pub const LINK_ENTITY: &str = "contact-link";

/// A stored link, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = crate::db::schema::contact_links)]
pub struct Link {
    pub id: ContactLinkId,
    pub person_id: ContactId,
    pub company_id: ContactId,
    pub job_title: Option<String>,
    pub version: i64,
}

/// A person working at a company.
#[derive(Debug, Clone, Default, PartialEq, Insertable)]
#[diesel(table_name = crate::db::schema::contact_links, treat_none_as_default_value = false)]
pub struct NewContactLink {
    pub person_id: ContactId,
    pub company_id: ContactId,
    pub job_title: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl BulkRow for NewContactLink {
    const COLUMNS: usize = 5;
}

versioned::stored!(
    Link,
    ContactLinkId,
    contact_links,
    LINK_ENTITY,
    "entity.contact-link"
);
versioned::versioned!(Link, contact_links);

/// One contact linked to another, seen from the other: a person's companies, a company's people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRow {
    pub other_id: ContactId,
    pub other_name: String,
    /// `person` or `company`.
    pub other_kind: String,
    pub job_title: Option<String>,
}

fn find_link(db: &mut Db, person_id: ContactId, company_id: ContactId) -> Result<Option<Link>> {
    use crate::db::schema::contact_links;
    Ok(contact_links::table
        .filter(contact_links::person_id.eq(person_id))
        .filter(contact_links::company_id.eq(company_id))
        .select(Link::as_select())
        .first(db)
        .optional()?)
}

/// Refuses a link whose ends are not a person and a company, naming the one that is not.
fn check_link_ends(db: &mut Db, person_id: ContactId, company_id: ContactId) -> Result<()> {
    let person = get(db, person_id)?;
    let company = get(db, company_id)?;
    let mut errors = Vec::new();
    if ContactKind::parse(&person.fields.kind) != Some(ContactKind::Person) {
        errors.push(FieldError {
            field: "field.linked",
            reason: t!("invalid.link-not-person", name = person.fields.display_name),
        });
    }
    if ContactKind::parse(&company.fields.kind) != Some(ContactKind::Company) {
        errors.push(FieldError {
            field: "field.linked",
            reason: t!(
                "invalid.link-not-company",
                name = company.fields.display_name
            ),
        });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Links a person to a company they work at, with their job title there. Linking them again
/// changes the job title.
pub fn link(
    db: &mut Db,
    actor: &Actor,
    person_id: ContactId,
    company_id: ContactId,
    job_title: Option<String>,
) -> Result<()> {
    use crate::db::schema::contact_links;
    actor.require(Role::Agent, "link contacts")?;
    let mut job_title = job_title;
    clean(&mut job_title, false);
    super::write(db, |db| {
        check_link_ends(db, person_id, company_id)?;
        let at = super::now();
        match find_link(db, person_id, company_id)? {
            Some(old) if old.job_title == job_title => Ok(()),
            Some(old) => {
                diesel::update(contact_links::table.find(old.id))
                    .set(contact_links::job_title.eq(&job_title))
                    .execute(db)?;
                versioned::finish(db, actor, &old, AuditAction::Update, at)?;
                Ok(())
            }
            None => {
                let row = NewContactLink {
                    person_id,
                    company_id,
                    job_title,
                    created_at: at,
                    updated_at: at,
                };
                let id: ContactLinkId = super::insert_one!(db, contact_links, &row)?;
                let new = find_link(db, person_id, company_id)?;
                audit::record(
                    db,
                    actor,
                    LINK_ENTITY,
                    id,
                    AuditAction::Create,
                    None,
                    new.as_ref(),
                )
            }
        }
    })
}

/// Removes the link between a person and a company, if there is one.
pub fn unlink(
    db: &mut Db,
    actor: &Actor,
    person_id: ContactId,
    company_id: ContactId,
) -> Result<()> {
    use crate::db::schema::contact_links;
    actor.require(Role::Agent, "link contacts")?;
    super::write(db, |db| {
        let Some(old) = find_link(db, person_id, company_id)? else {
            return Ok(());
        };
        diesel::delete(contact_links::table.filter(contact_links::id.eq(old.id))).execute(db)?;
        audit::record(
            db,
            actor,
            LINK_ENTITY,
            old.id,
            AuditAction::Delete,
            Some(&old),
            None,
        )
    })
}

/// The contacts linked to this one, either way round (a person's companies, a company's
/// people), the archived left out, by name.
pub fn links_of(db: &mut Db, contact_id: ContactId) -> Result<Vec<LinkRow>> {
    use crate::db::schema::contact_links;
    let row = |(other_id, other_name, other_kind, job_title)| LinkRow {
        other_id,
        other_name,
        other_kind,
        job_title,
    };
    let columns = (
        contacts::id,
        contacts::display_name,
        contacts::kind,
        contact_links::job_title,
    );
    let companies: Vec<(ContactId, String, String, Option<String>)> = contact_links::table
        .inner_join(contacts::table.on(contacts::id.eq(contact_links::company_id)))
        .filter(contact_links::person_id.eq(contact_id))
        .filter(contacts::archived.eq(false))
        .select(columns)
        .load(db)?;
    let people: Vec<(ContactId, String, String, Option<String>)> = contact_links::table
        .inner_join(contacts::table.on(contacts::id.eq(contact_links::person_id)))
        .filter(contact_links::company_id.eq(contact_id))
        .filter(contacts::archived.eq(false))
        .select(columns)
        .load(db)?;
    let mut rows: Vec<LinkRow> = companies.into_iter().chain(people).map(row).collect();
    rows.sort_by(|a, b| {
        text::search_key(&a.other_name)
            .cmp(&text::search_key(&b.other_name))
            .then(a.other_id.cmp(&b.other_id))
    });
    Ok(rows)
}
