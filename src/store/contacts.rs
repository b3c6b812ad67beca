//! Contacts: persons and companies. `ContactFields` is what a user edits; the store derives the
//! display name and search text from it, validates it, and keeps version and audit.

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
use super::bulk::BulkRow;
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
        text::like_patterns(&self.search)
    }
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
    after_id: ContactId,
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
        .first::<ContactId>(db)
        .optional()?
        .is_some())
}

/// How many contacts `filter` lets through.
pub fn count(db: &mut Db, filter: &ContactFilter) -> Result<i64> {
    Ok(filtered(filter).count().get_result(db)?)
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
