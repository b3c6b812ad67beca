//! Sales recorded on their own through the store, on both backends: a sale read back and audited
//! with its market taken from the customer, many sales at once all or nothing, every rule
//! refused with each problem named (a negative amount or quantity, unknown and inactive lists and
//! experts, entries of the wrong list, an unknown customer, a market against the customer's, a
//! case that is missing or another customer's), validation that writes nothing, and an agent.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use diesel::prelude::*;

use peygir::db::Db;
use peygir::db::ids::{CaseId, ContactId, LookupId, UserId};
use peygir::db::schema::{audit_log, lookups as lookups_table, users as users_table};
use peygir::error::Error;
use peygir::store::cases::{self, CaseFields};
use peygir::store::contacts::{self, ContactFields};
use peygir::store::lookups::{self, List};
use peygir::store::plans::Market;
use peygir::store::sales::{self, SaleFields, field};
use peygir::store::users;
use peygir::store::{self as store, Actor, Role};

use crate::support::admin;

/// A store with its defaults, the admin, the expert Sara, a company and a person.
struct World {
    admin: Actor,
    sara: UserId,
    company: ContactId,
    person: ContactId,
    group: LookupId,
    region: LookupId,
}

fn world(db: &mut Db) -> World {
    store::ensure_defaults(db).expect("defaults");
    let admin = admin(db);
    let sara = users::insert_user(db, "sara", "Sara Rahimi", Role::Agent, None).expect("sara");
    let company = contact(db, &admin, "company", "Taban Shimi");
    let person = contact(db, &admin, "person", "Kazemi");
    let group = lookups::items(db, List::ProductGroup).expect("groups")[0].id;
    let region = lookup(db, List::Region, "tehran");
    World {
        admin,
        sara,
        company,
        person,
        group,
        region,
    }
}

fn contact(db: &mut Db, admin: &Actor, kind: &str, name: &str) -> ContactId {
    let fields = if kind == "company" {
        ContactFields {
            kind: kind.into(),
            company_name: Some(name.into()),
            ..ContactFields::default()
        }
    } else {
        ContactFields {
            kind: kind.into(),
            last_name: Some(name.into()),
            ..ContactFields::default()
        }
    };
    contacts::create(db, admin, fields).expect("a contact").id
}

fn lookup(db: &mut Db, list: List, code: &str) -> LookupId {
    lookups::id_of(db, list, code)
        .expect("read")
        .unwrap_or_else(|| panic!("{code} is a default entry"))
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// A good sale to `customer` by Sara.
fn sale(w: &World, customer: ContactId, amount: i64) -> SaleFields {
    SaleFields {
        sold_on: day(2026, 5, 1),
        amount,
        quantity: 2,
        product_group_id: Some(w.group),
        region_id: Some(w.region),
        expert_id: w.sara,
        market: None,
        contact_id: customer,
        case_id: None,
        note: Some("  Invoice 4711 \u{7}".into()),
    }
}

/// The fields a refused write names.
fn refused<T: std::fmt::Debug>(result: peygir::error::Result<T>) -> BTreeSet<&'static str> {
    match result {
        Err(Error::Invalid(errors)) => errors.iter().map(|e| e.field).collect(),
        other => panic!("expected the sale refused as invalid, got {other:?}"),
    }
}

fn stored(db: &mut Db) -> i64 {
    peygir::db::schema::sales::table
        .count()
        .get_result(db)
        .expect("count")
}

fn audited(db: &mut Db) -> i64 {
    audit_log::table
        .filter(audit_log::entity.eq(sales::ENTITY))
        .count()
        .get_result(db)
        .expect("count")
}

/// A case of `customer` (a company) opened by the admin for Sara.
fn case_of(db: &mut Db, w: &World, company: ContactId) -> CaseId {
    cases::create(
        db,
        &w.admin,
        CaseFields {
            title: "Packaging line".into(),
            company_id: Some(company),
            expert_id: w.sara,
            ..CaseFields::default()
        },
    )
    .expect("a case")
    .id
}

store_tests! {
    fn a_sale_is_recorded_in_its_customers_market_and_audited(db, backend) {
        let w = world(db);
        let b2b = sales::create(db, &w.admin, sale(&w, w.company, 1_250_000)).expect("recorded");
        assert_eq!(b2b.market, "b2b");
        assert_eq!((b2b.amount, b2b.quantity), (1_250_000, 2));
        assert_eq!(b2b.sold_on, day(2026, 5, 1));
        assert_eq!(b2b.expert_id, w.sara);
        assert_eq!(b2b.note.as_deref(), Some("Invoice 4711"), "the note is cleaned");
        let b2c = sales::create(db, &w.admin, sale(&w, w.person, 0)).expect("recorded");
        assert_eq!(b2c.market, "b2c");
        // A market that agrees with the customer is kept.
        let given = SaleFields { market: Some(Market::B2b), ..sale(&w, w.company, 5) };
        assert_eq!(sales::create(db, &w.admin, given).expect("recorded").market, "b2b");
        let history = store::audit::history(db, sales::ENTITY, b2b.id).expect("history");
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].action, "create");
        assert!(history[0].new_values.as_deref().unwrap_or("").contains("1250000"));
        // The sale of the company's case, which is the company's.
        let case = case_of(db, &w, w.company);
        let with_case = SaleFields { case_id: Some(case), ..sale(&w, w.company, 7) };
        assert_eq!(sales::create(db, &w.admin, with_case).expect("recorded").case_id, Some(case));
    }

    fn every_problem_of_a_sale_is_named_at_once(db, backend) {
        let w = world(db);
        let before = (stored(db), audited(db));
        let bad = SaleFields {
            amount: -1,
            quantity: -2,
            product_group_id: Some(LookupId(999_999)),
            region_id: Some(w.group),
            expert_id: UserId(999_999),
            market: Some(Market::B2c),
            case_id: Some(CaseId(999_999)),
            ..sale(&w, w.company, 0)
        };
        assert_eq!(
            refused(sales::create(db, &w.admin, bad.clone())),
            BTreeSet::from([
                field::AMOUNT, field::QUANTITY, field::PRODUCT_GROUP, field::REGION,
                field::EXPERT, field::MARKET, field::CASE,
            ]),
        );
        assert_eq!(
            sales::validate(db, &bad).expect("validated").len(),
            7,
            "validate names the same problems"
        );
        // An unknown customer; a person's sale given as B2B.
        let unknown = SaleFields { contact_id: ContactId(999_999), ..sale(&w, w.company, 1) };
        assert_eq!(refused(sales::create(db, &w.admin, unknown)), BTreeSet::from([field::CUSTOMER]));
        let person_b2b = SaleFields { market: Some(Market::B2b), ..sale(&w, w.person, 1) };
        let errors = sales::validate(db, &person_b2b).expect("validated");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].reason.contains("Kazemi") && errors[0].reason.contains("b2c"), "{errors:?}");
        assert_eq!((stored(db), audited(db)), before, "nothing half-saved");
    }

    fn inactive_experts_and_entries_are_refused_by_name(db, backend) {
        let w = world(db);
        diesel::update(users_table::table.find(w.sara))
            .set(users_table::active.eq(false))
            .execute(db)
            .expect("sara leaves");
        diesel::update(lookups_table::table.find(w.region))
            .set(lookups_table::active.eq(false))
            .execute(db)
            .expect("the region is retired");
        let errors = sales::validate(db, &sale(&w, w.company, 1)).expect("validated");
        let text: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.field, e.reason)).collect();
        assert_eq!(errors.len(), 2, "{text:?}");
        assert!(text.iter().any(|t| t.starts_with(field::EXPERT) && t.contains("Sara Rahimi is inactive")), "{text:?}");
        assert!(text.iter().any(|t| t.starts_with(field::REGION) && t.contains("no longer in use")), "{text:?}");
    }

    fn a_case_of_another_customer_is_refused(db, backend) {
        let w = world(db);
        let other = contact(db, &w.admin, "company", "Pars Pump");
        let case = case_of(db, &w, other);
        let wrong = SaleFields { case_id: Some(case), ..sale(&w, w.company, 1) };
        let errors = sales::validate(db, &wrong).expect("validated");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, field::CASE);
        let number = cases::get(db, case).expect("case").number;
        assert!(errors[0].reason.contains(&number), "{errors:?}");
    }

    fn many_sales_are_recorded_all_or_nothing(db, backend) {
        let w = world(db);
        let good = vec![sale(&w, w.company, 10), sale(&w, w.person, 20), sale(&w, w.company, 30)];
        assert_eq!(sales::create_many(db, &w.admin, good.clone()).expect("recorded"), 3);
        assert_eq!((stored(db), audited(db)), (3, 3), "one audit row per sale");
        let markets: Vec<String> = peygir::db::schema::sales::table
            .order(peygir::db::schema::sales::id.asc())
            .select(peygir::db::schema::sales::market)
            .load(db)
            .expect("markets");
        assert_eq!(markets, ["b2b", "b2c", "b2b"]);
        // One bad sale refuses them all, named by its place.
        let mut batch = good;
        batch[1].amount = -5;
        match sales::create_many(db, &w.admin, batch) {
            Err(Error::Invalid(errors)) => {
                assert_eq!(errors.len(), 1, "{errors:?}");
                assert_eq!(errors[0].field, field::AMOUNT);
                assert!(errors[0].reason.contains('2'), "{errors:?}");
            }
            other => panic!("expected the batch refused, got {other:?}"),
        }
        assert_eq!((stored(db), audited(db)), (3, 3), "nothing of the bad batch");
        assert_eq!(sales::create_many(db, &w.admin, Vec::new()).expect("nothing"), 0);
    }

    fn an_agent_records_no_sale(db, backend) {
        let w = world(db);
        let sara = Actor { id: w.sara, login: "sara".into(), role: Role::Agent };
        assert!(matches!(
            sales::create(db, &sara, sale(&w, w.company, 1)),
            Err(Error::Forbidden { .. })
        ));
        assert!(matches!(
            sales::create_many(db, &sara, vec![sale(&w, w.company, 1)]),
            Err(Error::Forbidden { .. })
        ));
        let manager = users::insert_user(db, "mina", "Mina Manager", Role::Manager, None).expect("mina");
        let mina = Actor { id: manager, login: "mina".into(), role: Role::Manager };
        sales::create(db, &mina, sale(&w, w.company, 1)).expect("a manager records sales");
        assert_eq!(stored(db), 1);
    }

    fn a_customer_is_found_by_id_identifier_or_mobile(db, backend) {
        let w = world(db);
        let fields = ContactFields {
            kind: "person".into(),
            last_name: Some("Ahmadi".into()),
            national_code: Some("0499370899".into()),
            mobile: Some("0912 123 4567".into()),
            ..ContactFields::default()
        };
        let ahmadi = contacts::create(db, &w.admin, fields).expect("ahmadi").id;
        let company = ContactFields {
            kind: "company".into(),
            company_name: Some("Sepid".into()),
            company_national_id: Some("10101010103".into()),
            ..ContactFields::default()
        };
        let sepid = contacts::create(db, &w.admin, company).expect("sepid").id;
        let found = |db: &mut Db, typed: &str| -> Vec<ContactId> {
            contacts::by_number(db, typed, 5).expect("found").into_iter().map(|(id, _)| id).collect()
        };
        assert_eq!(found(db, &ahmadi.to_string()), [ahmadi]);
        assert_eq!(found(db, "۰۴۹۹۳۷۰۸۹۹"), [ahmadi]);
        assert_eq!(found(db, "+98 912 123-4567"), [ahmadi]);
        assert_eq!(found(db, "10101010103"), [sepid]);
        assert!(found(db, "0912 000 0000").is_empty());
        assert!(found(db, "Ahmadi").is_empty());
    }
}
