//! Contacts: persons and companies. `ContactFields` is what a user edits; the store derives the
//! display name and search text from it, validates it, and keeps version and audit.

use diesel::prelude::*;
use serde::Serialize;

use crate::db::Db;
use crate::db::schema::contacts;
use crate::domain::{iran, text};
use crate::error::{Error, FieldError, Result};
use crate::on_backend;
use crate::t;

use super::audit::{self, AuditAction};
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
    pub company_type_id: Option<i64>,
    pub activity_field_id: Option<i64>,
    pub staff_count: Option<i64>,
    pub turnover: Option<i64>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub postal_code: Option<String>,
    pub address: Option<String>,
    pub region_id: Option<i64>,
    pub notes: Option<String>,
}

/// A stored contact.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = contacts)]
pub struct Contact {
    pub id: i64,
    #[diesel(embed)]
    pub fields: ContactFields,
    pub archived: bool,
    pub version: i64,
    pub created_by: i64,
    pub updated_by: i64,
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
    pub created_by: i64,
    pub updated_by: i64,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl NewContact {
    pub fn new(fields: ContactFields, actor_id: i64, at: chrono::NaiveDateTime) -> NewContact {
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
            &mut self.registration_number,
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
        if let Some(code) = &self.national_code
            && !iran::is_valid_national_code(code)
        {
            errors.push(FieldError {
                field: "field.national-code",
                reason: t!("invalid.national-code"),
            });
        }
        if let Some(id) = &self.company_national_id
            && !iran::is_valid_company_national_id(id)
        {
            errors.push(FieldError {
                field: "field.company-national-id",
                reason: t!("invalid.company-national-id"),
            });
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
fn check_unique(db: &mut Db, fields: &ContactFields, except: Option<i64>) -> Result<()> {
    let mut errors = Vec::new();
    let others = contacts::table
        .filter(contacts::id.ne(except.unwrap_or(-1)))
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
    db.transaction(|db| {
        check_unique(db, &fields, None)?;
        let row = NewContact::new(fields, actor.id, super::now());
        let id = on_backend!(db, |c| diesel::insert_into(contacts::table)
            .values(&row)
            .returning(contacts::id)
            .get_result::<i64>(c))?;
        let contact = get(db, id)?;
        audit::record(
            db,
            actor,
            ENTITY,
            id,
            AuditAction::Create,
            None,
            Some(&contact),
        )?;
        Ok(contact)
    })
}

/// Replaces a contact's fields if it is still at `expected_version`; returns the stored contact.
pub fn update(
    db: &mut Db,
    actor: &Actor,
    id: i64,
    expected_version: i64,
    fields: ContactFields,
) -> Result<Contact> {
    actor.require(Role::Agent, "change contacts")?;
    let fields = fields.prepare()?;
    db.transaction(|db| {
        let old = get(db, id)?;
        check_unique(db, &fields, Some(id))?;
        let changed = diesel::update(
            contacts::table
                .filter(contacts::id.eq(id))
                .filter(contacts::version.eq(expected_version)),
        )
        .set((
            &fields,
            contacts::version.eq(contacts::version + 1),
            contacts::updated_by.eq(actor.id),
            contacts::updated_at.eq(super::now()),
        ))
        .execute(db)?;
        if changed == 0 {
            return Err(Error::Conflict {
                entity: t!("entity.contact"),
                id,
            });
        }
        let new = get(db, id)?;
        audit::record(
            db,
            actor,
            ENTITY,
            id,
            AuditAction::Update,
            Some(&old),
            Some(&new),
        )?;
        Ok(new)
    })
}

/// Archives a contact: it leaves the lists but stays on file for the cases that point at it.
pub fn archive(db: &mut Db, actor: &Actor, id: i64, expected_version: i64) -> Result<Contact> {
    actor.require(Role::Agent, "archive contacts")?;
    db.transaction(|db| {
        let old = get(db, id)?;
        let changed = diesel::update(
            contacts::table
                .filter(contacts::id.eq(id))
                .filter(contacts::version.eq(expected_version)),
        )
        .set((
            contacts::archived.eq(true),
            contacts::version.eq(contacts::version + 1),
            contacts::updated_by.eq(actor.id),
            contacts::updated_at.eq(super::now()),
        ))
        .execute(db)?;
        if changed == 0 {
            return Err(Error::Conflict {
                entity: t!("entity.contact"),
                id,
            });
        }
        let new = get(db, id)?;
        audit::record(
            db,
            actor,
            ENTITY,
            id,
            AuditAction::Archive,
            Some(&old),
            Some(&new),
        )?;
        Ok(new)
    })
}

pub fn get(db: &mut Db, id: i64) -> Result<Contact> {
    contacts::table
        .find(id)
        .select(Contact::as_select())
        .first(db)
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: t!("entity.contact"),
            id,
        })
}

/// One line of the contact list.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct ContactRow {
    pub id: i64,
    pub kind: String,
    pub display_name: String,
    pub mobile: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Where a page of the list starts: after this (display name, id).
pub type PageKey = (String, i64);

/// Which contacts a list or an export shows. The archived are never in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactFilter {
    /// What was typed in the search box: every word of it must appear in the contact's name,
    /// company, mobile, phone, national code, company ID or e-mail (Persian-normalised).
    pub search: String,
    /// Only contacts filed under one of these categories (a node and its subtree).
    pub categories: Option<Vec<i64>>,
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
        text::search_key(&self.search)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| format!("%{}%", escape_like(w)))
            .collect()
    }
}

/// `LIKE` wildcards in typed text match themselves.
fn escape_like(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

type BoxedContacts<'a> = contacts::BoxedQuery<'a, crate::db::MultiBackend>;

/// The contacts `filter` lets through, not yet ordered or limited.
fn filtered(filter: &ContactFilter) -> BoxedContacts<'static> {
    use crate::db::schema::contact_categories;
    let mut query = contacts::table
        .filter(contacts::archived.eq(false))
        .into_boxed();
    for word in filter.words() {
        query = query.filter(contacts::search_text.like(word).escape('\\'));
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
    query
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
    let mut query = filtered(filter)
        .select(ROW_COLUMNS)
        .order((contacts::display_name.asc(), contacts::id.asc()))
        .limit(limit);
    if let Some((name, id)) = after {
        query = query.filter(
            contacts::display_name
                .gt(name.clone())
                .or(contacts::display_name
                    .eq(name.clone())
                    .and(contacts::id.gt(*id))),
        );
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
    let mut rows: Vec<ContactRow> = filtered(filter)
        .filter(
            contacts::display_name
                .lt(name.clone())
                .or(contacts::display_name
                    .eq(name.clone())
                    .and(contacts::id.lt(*id))),
        )
        .select(ROW_COLUMNS)
        .order((contacts::display_name.desc(), contacts::id.desc()))
        .limit(limit)
        .load(db)?;
    rows.reverse();
    Ok(rows)
}

/// The last `limit` contacts `filter` lets through, in name order.
pub fn last_page(db: &mut Db, filter: &ContactFilter, limit: i64) -> Result<Vec<ContactRow>> {
    let mut rows: Vec<ContactRow> = filtered(filter)
        .select(ROW_COLUMNS)
        .order((contacts::display_name.desc(), contacts::id.desc()))
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
    after_id: i64,
    limit: i64,
) -> Result<Vec<Contact>> {
    Ok(filtered(filter)
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
        .first::<i64>(db)
        .optional()?
        .is_some())
}

/// How many contacts `filter` lets through.
pub fn count(db: &mut Db, filter: &ContactFilter) -> Result<i64> {
    Ok(filtered(filter).count().get_result(db)?)
}
