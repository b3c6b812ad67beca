//! Contacts and users through the store, on both backends: what a create and an update store,
//! versions and conflicts, archiving, the audit trail, validation, duplicates, roles, keyset
//! paging, and who the acting user is.

use std::collections::BTreeSet;

use diesel::prelude::*;
use serde_json::Value;

use peygir::db::Db;
use peygir::db::ids::{ContactId, LookupId, UserId};
use peygir::db::schema::audit_log;
use peygir::error::Error;
use peygir::store::audit::{self, AuditEntry};
use peygir::store::contacts::{self, Contact, ContactFields, ContactFilter, ContactRow, PageKey};
use peygir::store::users::{self, Resolved};
use peygir::store::{Actor, Role};

use crate::support::admin;

fn person(first: Option<&str>, last: &str) -> ContactFields {
    ContactFields {
        kind: "person".into(),
        first_name: first.map(String::from),
        last_name: Some(last.into()),
        ..ContactFields::default()
    }
}

fn company(name: &str) -> ContactFields {
    ContactFields {
        kind: "company".into(),
        company_name: Some(name.into()),
        ..ContactFields::default()
    }
}

fn agent(db: &mut Db, login: &str) -> Actor {
    let id = users::insert_user(db, login, login, Role::Agent, None).expect("add an agent");
    Actor {
        id,
        login: login.into(),
        role: Role::Agent,
    }
}

fn create(db: &mut Db, actor: &Actor, fields: ContactFields) -> Contact {
    contacts::create(db, actor, fields).unwrap_or_else(|e| panic!("create a contact: {e}"))
}

/// The fields a refused change named, as catalog keys.
fn invalid_fields<T: std::fmt::Debug>(result: peygir::error::Result<T>) -> BTreeSet<&'static str> {
    match result {
        Err(Error::Invalid(errors)) => errors.iter().map(|e| e.field).collect(),
        other => panic!("expected the change to be refused as invalid, got {other:?}"),
    }
}

/// All contacts in the table, archived ones too.
fn stored_contacts(db: &mut Db) -> i64 {
    peygir::db::row_count(db, "contacts").expect("count contacts")
}

fn contact_audit_rows(db: &mut Db) -> i64 {
    audit_log::table
        .filter(audit_log::entity.eq(contacts::ENTITY))
        .count()
        .get_result(db)
        .expect("count the contacts' audit rows")
}

fn history(db: &mut Db, id: ContactId) -> Vec<AuditEntry> {
    audit::history(db, contacts::ENTITY, id).expect("read the audit trail")
}

fn json(text: Option<&String>) -> Value {
    let text = text.expect("audit values are recorded");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("audit values are not JSON ({e}): {text}"))
}

/// A contact's field in its audit JSON, at the top or inside `fields`.
fn field<'a>(value: &'a Value, key: &str) -> &'a Value {
    value
        .get(key)
        .or_else(|| value.get("fields").and_then(|f| f.get(key)))
        .unwrap_or_else(|| panic!("{key} is not in the audit values {value}"))
}

fn key(row: &ContactRow) -> PageKey {
    (row.display_name.clone(), row.id)
}

store_tests! {
    fn a_person_is_stored_clean(db, backend) {
        let actor = admin(db);
        let fields = ContactFields {
            kind: "person".into(),
            // An escape sequence and a C1 control in a name must not reach anyone's terminal.
            first_name: Some("  Ali\u{1b}[31m\u{9b}2J ".into()),
            last_name: Some("Rezaei\u{7}".into()),
            national_code: Some("۰۴۹۹۳۷۰۸۹۹".into()),
            mobile: Some("۰۹۱۲۳۴۵۶۷۸۹".into()),
            phone: Some("٠٢١٨٨٨٨٧٧٧٧".into()),
            notes: Some("first line\nsecond\u{1b}]0;title\u{7} line\r".into()),
            ..ContactFields::default()
        };
        let contact = create(db, &actor, fields);
        assert_eq!(contact.version, 1);
        assert!(i64::from(contact.id) > 0);
        assert!(!contact.archived);
        assert_eq!(contact.created_by, actor.id);
        assert_eq!(contact.updated_by, actor.id);
        let f = &contact.fields;
        assert_eq!(f.kind, "person");
        assert_eq!(f.first_name.as_deref(), Some("Ali[31m2J"));
        assert_eq!(f.last_name.as_deref(), Some("Rezaei"));
        assert_eq!(f.display_name, "Ali[31m2J Rezaei");
        assert_eq!(f.national_code.as_deref(), Some("0499370899"));
        assert_eq!(f.mobile.as_deref(), Some("09123456789"));
        assert_eq!(f.phone.as_deref(), Some("02188887777"));
        assert_eq!(f.notes.as_deref(), Some("first line\nsecond]0;title line"));
        for fragment in ["ali", "rezaei", "09123456789", "02188887777", "0499370899"] {
            assert!(
                f.search_text.contains(fragment),
                "search text {:?} lacks {fragment:?}",
                f.search_text
            );
        }
        for text in [&f.display_name, &f.search_text] {
            assert!(!text.chars().any(char::is_control), "control character in {text:?}");
        }
        // What was returned is what is stored.
        let stored = contacts::get(db, contact.id).expect("read the contact back");
        assert_eq!(stored.fields, contact.fields);
        assert_eq!(stored.version, 1);
        assert_eq!(contacts::count(db, &ContactFilter::default()).expect("count"), 1);
    }

    fn a_company_is_stored(db, backend) {
        let actor = admin(db);
        let fields = ContactFields {
            company_national_id: Some("۱۰۳۸۰۲۸۴۷۹۰".into()),
            staff_count: Some(120),
            turnover: Some(9_000_000_000_000),
            ..company("  Pars Tejarat ")
        };
        let contact = create(db, &actor, fields);
        assert_eq!(contact.fields.kind, "company");
        assert_eq!(contact.fields.display_name, "Pars Tejarat");
        assert_eq!(contact.fields.company_national_id.as_deref(), Some("10380284790"));
        assert_eq!(contact.fields.turnover, Some(9_000_000_000_000));
        assert!(contact.fields.search_text.contains("pars tejarat"));
    }

    fn an_update_bumps_the_version_and_a_stale_one_is_refused(db, backend) {
        let actor = admin(db);
        let v1 = create(db, &actor, person(Some("Sara"), "Karimi"));
        let changed = ContactFields {
            mobile: Some("09121112233".into()),
            ..person(Some("Sara"), "Karimi-Nejad")
        };
        let v2 = contacts::update(db, &actor, v1.id, 1, changed).expect("update at version 1");
        assert_eq!(v2.version, 2);
        assert_eq!(v2.fields.display_name, "Sara Karimi-Nejad");
        assert_eq!(v2.fields.mobile.as_deref(), Some("09121112233"));

        // Someone who opened the contact at version 1 saves: refused, and nothing changes.
        let stale = contacts::update(db, &actor, v1.id, 1, person(Some("Sara"), "Overwritten"));
        match stale {
            Err(Error::Conflict { id, .. }) => assert_eq!(id, i64::from(v1.id)),
            other => panic!("expected a conflict, got {other:?}"),
        }
        let stored = contacts::get(db, v1.id).expect("read the contact back");
        assert_eq!(stored.version, 2);
        assert_eq!(stored.fields, v2.fields);
        assert_eq!(history(db, v1.id).len(), 2, "a refused update left an audit row");

        let missing = contacts::update(db, &actor, ContactId(v1.id.0 + 1000), 1, person(None, "Nobody"));
        assert!(matches!(missing, Err(Error::NotFound { .. })), "{missing:?}");
    }

    fn archiving_takes_a_contact_off_the_list(db, backend) {
        let actor = admin(db);
        let kept = create(db, &actor, person(Some("Kept"), "Ahmadi"));
        let gone = create(db, &actor, person(Some("Gone"), "Bahrami"));
        assert_eq!(contacts::page(db, &ContactFilter::default(), None, 50).expect("page").len(), 2);

        let archived = contacts::archive(db, &actor, gone.id, 1).expect("archive");
        assert!(archived.archived);
        assert_eq!(archived.version, 2);
        let ids: Vec<ContactId> = contacts::page(db, &ContactFilter::default(), None, 50)
            .expect("page")
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(ids, vec![kept.id]);
        assert_eq!(contacts::count(db, &ContactFilter::default()).expect("count"), 1);
        // Still on file, for the cases that point at it.
        assert!(contacts::get(db, gone.id).expect("get").archived);
        assert_eq!(stored_contacts(db), 2);

        let again = contacts::archive(db, &actor, gone.id, 1);
        assert!(matches!(again, Err(Error::Conflict { .. })), "{again:?}");
    }

    fn every_change_is_audited_with_its_author(db, backend) {
        let admin = admin(db);
        let agent = agent(db, "sara");
        let created = create(db, &admin, person(Some("Reza"), "Moradi"));
        let updated = contacts::update(
            db,
            &agent,
            created.id,
            1,
            ContactFields {
                mobile: Some("09350001122".into()),
                ..person(Some("Reza"), "Moradi")
            },
        )
        .expect("update");
        assert_eq!(updated.updated_by, agent.id);
        contacts::archive(db, &admin, created.id, 2).expect("archive");

        let trail = history(db, created.id);
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create", "update", "archive"]);
        let authors: Vec<Option<UserId>> = trail.iter().map(|e| e.user_id).collect();
        assert_eq!(authors, [Some(admin.id), Some(agent.id), Some(admin.id)]);
        for entry in &trail {
            assert_eq!(entry.entity, contacts::ENTITY);
            assert_eq!(entry.entity_id, i64::from(created.id));
        }

        assert!(trail[0].old_values.is_none(), "a create has no old values");
        let new = json(trail[0].new_values.as_ref());
        assert_eq!(field(&new, "last_name"), "Moradi");
        assert_eq!(field(&new, "version"), 1);

        let (old, new) = (json(trail[1].old_values.as_ref()), json(trail[1].new_values.as_ref()));
        assert_eq!(field(&old, "mobile"), &Value::Null);
        assert_eq!(field(&new, "mobile"), "09350001122");
        assert_eq!(field(&old, "version"), 1);
        assert_eq!(field(&new, "version"), 2);

        let (old, new) = (json(trail[2].old_values.as_ref()), json(trail[2].new_values.as_ref()));
        assert_eq!(field(&old, "archived"), false);
        assert_eq!(field(&new, "archived"), true);
        assert_eq!(field(&new, "version"), 3);
    }

    fn bad_input_names_every_bad_field_and_stores_nothing(db, backend) {
        let actor = admin(db);
        let bad = ContactFields {
            kind: "person".into(),
            first_name: Some("Ali".into()),
            // A last name of nothing but spaces and controls is no last name.
            last_name: Some(" \u{1b} ".into()),
            national_code: Some("0499370898".into()),
            company_national_id: Some("10380284791".into()),
            staff_count: Some(-1),
            ..ContactFields::default()
        };
        let result = contacts::create(db, &actor, bad.clone());
        let message = match &result {
            Err(e) => e.to_string(),
            Ok(_) => String::new(),
        };
        assert_eq!(
            invalid_fields(result),
            BTreeSet::from([
                "field.last-name",
                "field.national-code",
                "field.company-national-id",
                "field.staff-count",
            ])
        );
        for name in ["Last name", "National code", "Company national ID", "Number of staff"] {
            assert!(message.contains(name), "the message {message:?} does not name {name}");
        }
        assert_eq!(stored_contacts(db), 0);
        assert_eq!(contact_audit_rows(db), 0);

        let nameless = ContactFields {
            turnover: Some(-5),
            ..company(" \t ")
        };
        assert_eq!(
            invalid_fields(contacts::create(db, &actor, nameless)),
            BTreeSet::from(["field.company-name", "field.turnover"])
        );

        // An update with bad fields leaves the stored contact as it was.
        let good = create(db, &actor, person(Some("Ali"), "Rezaei"));
        assert_eq!(
            invalid_fields(contacts::update(db, &actor, good.id, 1, bad)).len(),
            4
        );
        let stored = contacts::get(db, good.id).expect("get");
        assert_eq!(stored.version, 1);
        assert_eq!(stored.fields, good.fields);
        assert_eq!(contact_audit_rows(db), 1);
    }

    fn a_duplicate_national_code_is_refused_naming_the_holder(db, backend) {
        let actor = admin(db);
        let first = create(
            db,
            &actor,
            ContactFields {
                national_code: Some("0499370899".into()),
                ..person(Some("Ali"), "Rezaei")
            },
        );
        // The same code in Persian digits is the same code.
        let second = contacts::create(
            db,
            &actor,
            ContactFields {
                national_code: Some("۰۴۹۹۳۷۰۸۹۹".into()),
                ..person(Some("Sara"), "Karimi")
            },
        );
        match &second {
            Err(Error::Invalid(errors)) => {
                assert_eq!(errors.len(), 1, "{errors:?}");
                assert_eq!(errors[0].field, "field.national-code");
                assert!(errors[0].reason.contains("Ali Rezaei"), "{:?}", errors[0].reason);
            }
            other => panic!("expected the duplicate to be refused, got {other:?}"),
        }
        assert!(second.is_err_and(|e| e.to_string().contains("Ali Rezaei")));
        assert_eq!(stored_contacts(db), 1);

        // A contact keeps its own code when it is saved again.
        let resaved = contacts::update(
            db,
            &actor,
            first.id,
            1,
            ContactFields {
                national_code: Some("0499370899".into()),
                ..person(Some("Ali"), "Rezaei")
            },
        )
        .expect("save a contact with its own national code");
        assert_eq!(resaved.version, 2);

        let with_id = |name: &str| ContactFields {
            company_national_id: Some("10380284790".into()),
            ..company(name)
        };
        create(db, &actor, with_id("Pars Tejarat"));
        let twin = contacts::create(db, &actor, with_id("Pars Trading"));
        assert!(
            twin.as_ref().is_err_and(|e| e.to_string().contains("Pars Tejarat")),
            "{twin:?}"
        );
        assert_eq!(invalid_fields(twin), BTreeSet::from(["field.company-national-id"]));
    }

    fn a_reference_to_nothing_is_refused_and_nothing_is_half_written(db, backend) {
        let actor = admin(db);
        let result = contacts::create(
            db,
            &actor,
            ContactFields {
                region_id: Some(LookupId(987_654)),
                ..person(Some("Ali"), "Rezaei")
            },
        );
        assert!(matches!(result, Err(Error::Database(_))), "{backend}: {result:?}");
        assert_eq!(stored_contacts(db), 0);
        assert_eq!(contact_audit_rows(db), 0);
        // The store is usable after the failed transaction.
        create(db, &actor, person(Some("Ali"), "Rezaei"));
    }

    fn an_agent_can_add_contacts(db, backend) {
        admin(db);
        let agent = agent(db, "sara");
        let contact = create(db, &agent, person(Some("Mina"), "Jafari"));
        assert_eq!(contact.created_by, agent.id);
        match users::resolve_actor(db, "sara").expect("resolve the agent") {
            Resolved::Existing(actor) => assert_eq!(actor, agent),
            Resolved::FirstAdmin(_) => panic!("a second user became an admin"),
        }
    }

    fn the_list_pages_by_name_both_ways(db, backend) {
        let actor = admin(db);
        // Twenty names, five of them twice: paging must go by (name, id), not name alone.
        let mut expected: Vec<(String, ContactId)> = (0..25)
            .map(|i| {
                let contact = create(db, &actor, person(None, &format!("Karimi {:02}", i % 20)));
                (contact.fields.display_name, contact.id)
            })
            .collect();
        expected.sort();

        let mut pages: Vec<Vec<ContactRow>> = Vec::new();
        let mut after: Option<PageKey> = None;
        loop {
            let page = contacts::page(db, &ContactFilter::default(), after.as_ref(), 10).expect("a page");
            if page.is_empty() {
                break;
            }
            assert!(pages.len() < 5, "paging does not end");
            after = page.last().map(key);
            pages.push(page);
        }
        let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
        assert_eq!(sizes, [10, 10, 5]);
        let seen: Vec<(String, ContactId)> = pages.iter().flatten().map(key).collect();
        assert_eq!(seen, expected, "the pages are not the contacts in name order");
        let distinct: BTreeSet<ContactId> = seen.iter().map(|(_, id)| *id).collect();
        assert_eq!(distinct.len(), 25);

        let ids = |rows: &[ContactRow]| rows.iter().map(|r| r.id).collect::<Vec<_>>();
        let back = contacts::page_before(db, &ContactFilter::default(), &key(&pages[2][0]), 10).expect("page back");
        assert_eq!(ids(&back), ids(&pages[1]));
        let back = contacts::page_before(db, &ContactFilter::default(), &key(&pages[1][0]), 10).expect("page back");
        assert_eq!(ids(&back), ids(&pages[0]));
        let back = contacts::page_before(db, &ContactFilter::default(), &key(&pages[0][0]), 10).expect("page back");
        assert!(back.is_empty(), "there is a page before the first: {back:?}");
        // A short step back from the middle of a page.
        let back = contacts::page_before(db, &ContactFilter::default(), &key(&pages[1][3]), 5).expect("page back");
        let mut want = ids(&pages[0])[8..].to_vec();
        want.extend(&ids(&pages[1])[..3]);
        assert_eq!(ids(&back), want);
    }

    fn the_first_login_becomes_admin_and_strangers_are_refused(db, backend) {
        let first = match users::resolve_actor(db, "nasrin").expect("the first login") {
            Resolved::FirstAdmin(actor) => actor,
            Resolved::Existing(_) => panic!("an empty store already knew nasrin"),
        };
        assert_eq!(first.role, Role::Admin);
        assert_eq!(first.login, "nasrin");
        match users::resolve_actor(db, "nasrin").expect("the second login") {
            Resolved::Existing(actor) => assert_eq!(actor, first),
            Resolved::FirstAdmin(_) => panic!("nasrin was registered twice"),
        }
        match users::resolve_actor(db, "stranger") {
            Err(Error::UnknownUser { user }) => assert_eq!(user, "stranger"),
            Err(e) => panic!("expected an unknown user, got {e:?}"),
            Ok(_) => panic!("a stranger was let in"),
        }
        assert_eq!(peygir::db::row_count(db, "users").expect("count users"), 1);

        let id = users::insert_user(db, "left", "Left the company", Role::Agent, None)
            .expect("add a user");
        diesel::update(peygir::db::schema::users::table.find(id))
            .set(peygir::db::schema::users::active.eq(false))
            .execute(db)
            .expect("deactivate the user");
        assert!(matches!(
            users::resolve_actor(db, "left"),
            Err(Error::InactiveUser { .. })
        ));
    }
}
