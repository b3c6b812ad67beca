//! The contact form: which fields a person or a company has, how a stored contact fills them,
//! and how the typed values become `ContactFields` for the store. A field's key is its catalog
//! name without `field.`, so a check the store makes lands beside the field it names.

use std::collections::HashMap;

use crate::db::Db;
use crate::db::ids::LookupId;
use crate::domain::text::search_key;
use crate::error::Result;
use crate::i18n;
use crate::store::contacts::{Contact, ContactFields, ContactKind};
use crate::store::lookups::{self, List};
use crate::t;
use crate::tui::widgets::form::{Choice, FieldKind, FieldValue, Form};

/// How a field is typed.
#[derive(Clone, Copy)]
enum Spec {
    Text,
    Multiline,
    Whole,
    Money,
    Date,
    Gender,
    Marital,
    Lookup(List),
}

/// The fields, in the order the form shows them, with the kinds that have each.
const FIELDS: &[(&str, Spec, Has)] = &[
    ("first-name", Spec::Text, Has::Person),
    ("last-name", Spec::Text, Has::Person),
    ("national-code", Spec::Text, Has::Person),
    ("birth-date", Spec::Date, Has::Person),
    ("gender", Spec::Gender, Has::Person),
    ("marital-status", Spec::Marital, Has::Person),
    ("company-name", Spec::Text, Has::Company),
    ("company-national-id", Spec::Text, Has::Company),
    ("economic-code", Spec::Text, Has::Company),
    ("registration-number", Spec::Text, Has::Company),
    ("registration-date", Spec::Date, Has::Company),
    (
        "company-type",
        Spec::Lookup(List::CompanyType),
        Has::Company,
    ),
    (
        "activity-field",
        Spec::Lookup(List::ActivityField),
        Has::Company,
    ),
    ("staff-count", Spec::Whole, Has::Company),
    ("turnover", Spec::Money, Has::Company),
    ("mobile", Spec::Text, Has::Both),
    ("phone", Spec::Text, Has::Both),
    ("fax", Spec::Text, Has::Both),
    ("email", Spec::Text, Has::Both),
    ("website", Spec::Text, Has::Both),
    ("postal-code", Spec::Text, Has::Both),
    ("address", Spec::Multiline, Has::Both),
    ("region", Spec::Lookup(List::Region), Has::Both),
    ("notes", Spec::Multiline, Has::Both),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Has {
    Person,
    Company,
    Both,
}

impl Has {
    fn includes(self, kind: ContactKind) -> bool {
        match self {
            Has::Both => true,
            Has::Person => kind == ContactKind::Person,
            Has::Company => kind == ContactKind::Company,
        }
    }
}

fn label(key: &str) -> String {
    i18n::lookup(&format!("field.{key}")).map_or_else(|| key.to_string(), str::to_string)
}

fn choices(pairs: &[(&str, String)]) -> FieldKind {
    let mut all = vec![Choice {
        value: String::new(),
        label: t!("choice.unset"),
    }];
    all.extend(pairs.iter().map(|(value, label)| Choice {
        value: (*value).to_string(),
        label: label.clone(),
    }));
    FieldKind::Choice(all)
}

fn field_kind(spec: Spec) -> FieldKind {
    match spec {
        Spec::Text => FieldKind::Text,
        Spec::Multiline => FieldKind::Multiline,
        Spec::Whole => FieldKind::Whole,
        Spec::Money => FieldKind::Money,
        Spec::Date => FieldKind::Date,
        Spec::Gender => choices(&[("male", t!("gender.male")), ("female", t!("gender.female"))]),
        Spec::Marital => choices(&[
            ("single", t!("marital.single")),
            ("married", t!("marital.married")),
        ]),
        Spec::Lookup(_) => FieldKind::Lookup,
    }
}

/// The keys of the form's fields that the store requires for `kind`.
fn required(kind: ContactKind) -> &'static str {
    match kind {
        ContactKind::Person => "last-name",
        ContactKind::Company => "company-name",
    }
}

/// An empty form for a contact of `kind`.
pub fn build(kind: ContactKind, title: String) -> Form {
    FIELDS.iter().filter(|(_, _, has)| has.includes(kind)).fold(
        Form::new(title),
        |form, &(key, spec, _)| {
            form.field(key, label(key), field_kind(spec), key == required(kind))
        },
    )
}

/// The list a lookup field picks from.
pub fn lookup_list(key: &str) -> Option<List> {
    FIELDS.iter().find_map(|&(k, spec, _)| match spec {
        Spec::Lookup(list) if k == key => Some(list),
        _ => None,
    })
}

/// The entries of `list` whose name holds `query` (Persian-normalised), first few.
pub fn candidates(db: &mut Db, list: List, query: &str) -> Result<Vec<(LookupId, String)>> {
    let query = search_key(query);
    Ok(lookups::items(db, list)?
        .into_iter()
        .filter(|item| search_key(&item.name).contains(&query))
        .map(|item| (item.id, item.name))
        .take(20)
        .collect())
}

/// A form filled with a stored contact; `names` gives the names of its lookup entries.
pub fn filled(contact: &Contact, title: String, names: &HashMap<LookupId, String>) -> Form {
    let kind = ContactKind::parse(&contact.fields.kind).unwrap_or_default();
    let mut form = build(kind, title);
    let f = &contact.fields;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |v: &Option<chrono::NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
    let number = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    for (key, value) in [
        ("first-name", text(&f.first_name)),
        ("last-name", text(&f.last_name)),
        ("national-code", text(&f.national_code)),
        ("birth-date", date(&f.birth_date)),
        ("gender", text(&f.gender)),
        ("marital-status", text(&f.marital_status)),
        ("company-name", text(&f.company_name)),
        ("company-national-id", text(&f.company_national_id)),
        ("economic-code", text(&f.economic_code)),
        ("registration-number", text(&f.registration_number)),
        ("registration-date", date(&f.registration_date)),
        ("staff-count", number(f.staff_count)),
        (
            "turnover",
            f.turnover
                .map(crate::domain::money::group_thousands)
                .unwrap_or_default(),
        ),
        ("mobile", text(&f.mobile)),
        ("phone", text(&f.phone)),
        ("fax", text(&f.fax)),
        ("email", text(&f.email)),
        ("website", text(&f.website)),
        ("postal-code", text(&f.postal_code)),
        ("address", text(&f.address)),
        ("notes", text(&f.notes)),
    ] {
        if !value.is_empty() {
            form.set_value(key, &value);
        }
    }
    for (key, id) in [
        ("company-type", f.company_type_id),
        ("activity-field", f.activity_field_id),
        ("region", f.region_id),
    ] {
        if let Some(id) = id {
            let name = names.get(&id).cloned().unwrap_or_else(|| id.to_string());
            form.set_lookup(key, id, &name);
        }
    }
    form
}

/// The typed values as the fields of a contact of `kind`.
pub fn fields(kind: ContactKind, values: &[(&'static str, FieldValue)]) -> ContactFields {
    let mut f = ContactFields {
        kind: kind.as_str().to_string(),
        ..ContactFields::default()
    };
    for (key, value) in values {
        let text = match value {
            FieldValue::Text(t) | FieldValue::Choice(t) if !t.is_empty() => Some(t.clone()),
            _ => None,
        };
        let date = match value {
            FieldValue::Date(d) => Some(*d),
            _ => None,
        };
        let whole = match value {
            FieldValue::Whole(n) => Some(*n),
            _ => None,
        };
        let id = match value {
            FieldValue::Lookup(id) => Some(LookupId(*id)),
            _ => None,
        };
        match *key {
            "first-name" => f.first_name = text,
            "last-name" => f.last_name = text,
            "national-code" => f.national_code = text,
            "birth-date" => f.birth_date = date,
            "gender" => f.gender = text,
            "marital-status" => f.marital_status = text,
            "company-name" => f.company_name = text,
            "company-national-id" => f.company_national_id = text,
            "economic-code" => f.economic_code = text,
            "registration-number" => f.registration_number = text,
            "registration-date" => f.registration_date = date,
            "company-type" => f.company_type_id = id,
            "activity-field" => f.activity_field_id = id,
            "staff-count" => f.staff_count = whole,
            "turnover" => f.turnover = whole,
            "mobile" => f.mobile = text,
            "phone" => f.phone = text,
            "fax" => f.fax = text,
            "email" => f.email = text,
            "website" => f.website = text,
            "postal-code" => f.postal_code = text,
            "address" => f.address = text,
            "region" => f.region_id = id,
            "notes" => f.notes = text,
            _ => {}
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_a_label_in_the_catalog() {
        for (key, _, _) in FIELDS {
            assert!(
                i18n::lookup(&format!("field.{key}")).is_some(),
                "field.{key} is missing from the catalog"
            );
        }
    }

    #[test]
    fn typed_values_become_the_contact_fields() {
        let values = vec![
            ("last-name", FieldValue::Text("Ahmadi".into())),
            ("gender", FieldValue::Choice("female".into())),
            ("marital-status", FieldValue::Choice(String::new())),
            ("birth-date", FieldValue::Date(chrono::NaiveDate::MIN)),
            ("region", FieldValue::Lookup(7)),
            ("mobile", FieldValue::Empty),
        ];
        let f = fields(ContactKind::Person, &values);
        assert_eq!(f.kind, "person");
        assert_eq!(f.last_name.as_deref(), Some("Ahmadi"));
        assert_eq!(f.gender.as_deref(), Some("female"));
        assert_eq!(f.marital_status, None);
        assert_eq!(f.birth_date, Some(chrono::NaiveDate::MIN));
        assert_eq!(f.region_id, Some(LookupId(7)));
        assert_eq!(f.mobile, None);
    }
}
