//! A contacts import stores its rows in batches, on both backends: each imported contact has the
//! audit rows storing it alone would have written (`contacts::create`, then its filings), the
//! national codes and company IDs already on file are found a batch of values at a time before
//! anything is written, `skip_invalid` stores the good rows and only them, and a clashing contact
//! stored by another session meanwhile refuses the import whole.

use std::path::Path;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::Value;

use peygir::db::ids::ContactId;
use peygir::db::schema::{audit_log, contact_categories};
use peygir::db::{self, Db, StoreUrl};
use peygir::domain::iran;
use peygir::exchange::{self, ImportOptions, ImportReport, Problem};
use peygir::store::audit::{self, AuditEntry};
use peygir::store::contacts::{self, ContactFields, ContactFilter};
use peygir::store::{Actor, categories, lookups};

use crate::support::binary;
use crate::support::{Backend, TestStore, admin};

/// A valid national code that starts with the nine digits of `first_nine`.
fn national_code(first_nine: u32) -> String {
    let text = format!("{first_nine:09}");
    let digits: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
    let first: [u8; 9] = digits.try_into().expect("nine digits");
    format!("{text}{}", iran::national_code_check_digit(&first))
}

/// A valid company national ID that starts with the ten digits of `first_ten`.
fn company_id(first_ten: u64) -> String {
    let text = format!("{first_ten:010}");
    let digits: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
    let first: [u8; 10] = digits.try_into().expect("ten digits");
    format!("{text}{}", iran::company_national_id_check_digit(&first))
}

/// The store as the command line opens it: the default lists, and its first user, an admin.
fn ready(db: &mut Db) -> Actor {
    lookups::ensure_defaults(db).expect("add the default lists");
    admin(db)
}

fn import(db: &mut Db, actor: &Actor, text: &str, options: ImportOptions) -> ImportReport {
    exchange::import_contacts_from_bytes(
        db,
        actor,
        Path::new("in.csv"),
        text.as_bytes(),
        &options,
        &mut |_, _| {},
    )
    .unwrap_or_else(|e| panic!("import: {e}"))
}

const SKIP: ImportOptions = ImportOptions {
    dry_run: false,
    skip_invalid: true,
};
const DRY: ImportOptions = ImportOptions {
    dry_run: true,
    skip_invalid: false,
};

/// Where a problem is: (row, column).
fn place(problem: &Problem) -> (u64, Option<&str>) {
    (problem.row, problem.column.as_deref())
}

fn count(db: &mut Db, table: &str) -> i64 {
    db::row_count(db, table).unwrap_or_else(|e| panic!("count {table}: {e}"))
}

/// The audit rows of `entity`, oldest first.
fn audited(db: &mut Db, entity: &str) -> Vec<AuditEntry> {
    audit_log::table
        .filter(audit_log::entity.eq(entity))
        .order(audit_log::id.asc())
        .select(AuditEntry::as_select())
        .load(db)
        .expect("read the audit log")
}

/// An audit row's values as JSON, without what differs between two stores holding the same
/// contact (its id, and when it was made).
fn values_apart_from_id_and_time(json: Option<&str>) -> Value {
    let mut value: Value = serde_json::from_str(json.expect("values")).expect("JSON");
    let object = value.as_object_mut().expect("an object");
    for key in ["id", "created_at", "updated_at"] {
        assert!(object.remove(key).is_some(), "{key} in {json:?}");
    }
    value
}

const HEADER: &str = "kind,first_name,last_name,national_code,birth_date,gender,marital_status,company_name,company_national_id,economic_code,registration_number,registration_date,company_type,activity_field,staff_count,turnover,phone,fax,mobile,email,website,postal_code,address,region,notes,categories";

/// Persons and companies using every column, some filed under categories (one path twice in
/// different spellings), one under none.
fn every_column() -> String {
    let rows = [
        format!(
            "person,علی,رضایی,{},1985-03-21,male,married,,,,,,,,,,02188887777,,09123456789,ali@example.ir,,1234567890,\"تهران، خیابان ولیعصر\",Tehran,\"two\nlines\",Customers/Retail; Prospects/Hot leads",
            national_code(1_234_567)
        ),
        format!(
            "company,,,,,,,پارس تجارت,{},411234567890,012345,2001-12-31,Private joint-stock company,Food and beverage,120,9000000000000,02166554433,02166554434,,,www.pars.ir,,,Tehran,,Suppliers ; Customers / Retail",
            company_id(1_038_028_479)
        ),
        "person,,Nobody,,,,,,,,,,,,,,,,,,,,,,,".to_string(),
    ];
    let mut text = format!("{HEADER}\r\n");
    for row in rows {
        text.push_str(&row);
        text.push_str("\r\n");
    }
    text
}

store_tests! {
    fn the_audit_rows_of_an_import_are_those_of_storing_each_contact_alone(db, backend) {
        let actor = ready(db);
        let report = import(db, &actor, &every_column(), ImportOptions::default());
        assert_eq!((report.imported, report.bad_rows), (3, 0), "{report:?}");
        assert!(report.written);
        let imported = contacts::batch(db, &ContactFilter::default(), ContactId(0), 10).expect("read");
        assert_eq!(imported.len(), 3);

        // The same contacts stored one at a time, in a store of their own.
        let mut other = TestStore::migrated(backend).expect("a second store");
        let other_actor = ready(&mut other.db);
        let created = audited(db, contacts::ENTITY);
        assert_eq!(created.len(), 3, "one audit row a contact");
        for (contact, entry) in imported.iter().zip(&created) {
            // What `create` records: the contact as reading it back gives it, byte for byte.
            let stored = contacts::get(db, contact.id).expect("the contact");
            assert_eq!(entry.entity_id, i64::from(contact.id));
            assert_eq!(entry.action, "create");
            assert_eq!(entry.user_id, Some(actor.id));
            assert_eq!(entry.old_values, None);
            assert_eq!(
                entry.new_values.as_deref(),
                Some(serde_json::to_string(&stored).expect("JSON").as_str())
            );

            let alone = contacts::create(&mut other.db, &other_actor, contact.fields.clone())
                .expect("the same contact, stored alone");
            let paths = categories::of_contact(db, contact.id).expect("its filings");
            let mut nodes = Vec::new();
            for (_, path) in &paths {
                nodes.push(categories::ensure_path(&mut other.db, &other_actor, path).expect("a node"));
            }
            categories::set_for_contact(&mut other.db, &other_actor, alone.id, &nodes).expect("file");
            let theirs = audit::history(&mut other.db, contacts::ENTITY, alone.id).expect("history");
            assert_eq!(theirs.len(), 1);
            assert_eq!(theirs[0].action, entry.action);
            assert_eq!(theirs[0].old_values, entry.old_values);
            assert_eq!(
                values_apart_from_id_and_time(entry.new_values.as_deref()),
                values_apart_from_id_and_time(theirs[0].new_values.as_deref()),
            );

            // The filings, as `set_for_contact` records them.
            let ours = audit::history(db, categories::FILING_ENTITY, contact.id).expect("history");
            let theirs = audit::history(&mut other.db, categories::FILING_ENTITY, alone.id)
                .expect("history");
            assert_eq!(ours.len(), theirs.len(), "{paths:?}");
            for (ours, theirs) in ours.iter().zip(&theirs) {
                assert_eq!(
                    (&ours.action, &ours.old_values, &ours.new_values, ours.user_id),
                    (&theirs.action, &theirs.old_values, &theirs.new_values, Some(actor.id))
                );
            }
        }
        assert_eq!(audited(db, categories::FILING_ENTITY).len(), 2);
        // Each node made once, audited as `categories::add` audits it.
        let nodes = audited(db, categories::ENTITY);
        let paths: Vec<String> = categories::paths(db).expect("paths").into_iter().map(|p| p.1).collect();
        assert_eq!(paths, ["Customers", "Customers/Retail", "Prospects", "Prospects/Hot leads", "Suppliers"]);
        assert_eq!(nodes.len(), 5);
        assert!(nodes.iter().all(|n| n.action == "create" && n.old_values.is_none()));
        assert_eq!(count(db, "contact_categories"), 4);
        let filed: i64 = contact_categories::table
            .filter(contact_categories::contact_id.eq(imported[1].id))
            .count()
            .get_result(db)
            .expect("count");
        assert_eq!(filed, 2, "`Customers / Retail` is `Customers/Retail`");
    }

    fn duplicates_on_file_are_found_before_anything_is_written(db, backend) {
        let actor = ready(db);
        let rows = 10_005u32;
        let early = national_code(100_100_003);
        let late = national_code(100_100_000 + rows - 2);
        let low = national_code(100_000_050);
        let high = national_code(199_999_999);
        let company = company_id(2_001_000_001);
        let on_file = [
            ("Early", Some(&early), None),
            ("Late", Some(&late), None),
            ("Low", Some(&low), None),
            ("High", Some(&high), None),
            ("Firm", None, Some(&company)),
        ];
        for (name, code, id) in on_file {
            contacts::create(db, &actor, ContactFields {
                kind: if id.is_some() { "company" } else { "person" }.into(),
                last_name: id.is_none().then(|| name.to_string()),
                company_name: id.is_some().then(|| name.to_string()),
                national_code: code.cloned(),
                company_national_id: id.cloned(),
                ..ContactFields::default()
            })
            .expect("a contact on file");
        }

        // A file larger than the store: the values on file are read at once.
        let mut text = String::from("kind,last_name,company_name,national_code,company_national_id\n");
        for i in 0..rows {
            text.push_str(&format!("person,P{i},,{},\n", national_code(100_100_000 + i)));
        }
        text.push_str(&format!("company,,Other firm,,{company}\n"));
        let before = (count(db, "contacts"), count(db, "audit_log"));
        for options in [ImportOptions::default(), DRY] {
            let report = import(db, &actor, &text, options);
            assert!(!report.written);
            assert_eq!((report.rows, report.bad_rows), (u64::from(rows) + 1, 3));
            assert_eq!(report.imported, u64::from(rows) - 2);
            assert_eq!(
                report.problems.iter().map(place).collect::<Vec<_>>(),
                [
                    (5, Some("national_code")),
                    (u64::from(rows), Some("national_code")),
                    (u64::from(rows) + 2, Some("company_national_id")),
                ],
                "{:#?}",
                report.problems
            );
            for (problem, name) in report.problems.iter().zip(["Early", "Late", "Firm"]) {
                assert!(problem.reason.contains(name), "{problem}");
            }
            assert_eq!((count(db, "contacts"), count(db, "audit_log")), before);
        }
        let report = import(db, &actor, &text, SKIP);
        assert!(report.written);
        assert_eq!((report.imported, report.bad_rows), (u64::from(rows) - 2, 3));
        assert_eq!(count(db, "contacts"), before.0 + i64::from(rows) - 2);
        assert_eq!(audited(db, contacts::ENTITY).len(), usize::try_from(rows).expect("rows") + 3);

        // A file smaller than the store, with more values than one query asks about: they are
        // looked up ten thousand at a time, the clash with Low in the first batch (its value
        // sorts first) and the one with High in the second (its value sorts last).
        let fresh = rows - 2;
        let mut text = String::from("kind,last_name,national_code\n");
        text.push_str(&format!("person,Low again,{low}\n"));
        for i in 0..fresh {
            text.push_str(&format!("person,Q{i},{}\n", national_code(100_000_100 + i)));
        }
        text.push_str(&format!("person,High again,{high}\n"));
        let before = (count(db, "contacts"), count(db, "audit_log"));
        assert!(before.0 > i64::from(rows), "more contacts on file than rows in the file");
        let report = import(db, &actor, &text, DRY);
        assert_eq!((report.rows, report.imported, report.bad_rows), (u64::from(rows), u64::from(fresh), 2));
        assert_eq!(
            report.problems.iter().map(place).collect::<Vec<_>>(),
            [(2, Some("national_code")), (u64::from(rows) + 1, Some("national_code"))],
            "{:#?}",
            report.problems
        );
        assert!(report.problems[0].reason.contains("Low"), "{}", report.problems[0]);
        assert!(report.problems[1].reason.contains("High"), "{}", report.problems[1]);
        assert_eq!((count(db, "contacts"), count(db, "audit_log")), before);
    }

    fn skip_invalid_stores_the_good_rows_in_one_batch(db, backend) {
        let actor = ready(db);
        let on_file = national_code(111_222_333);
        contacts::create(db, &actor, ContactFields {
            kind: "person".into(),
            last_name: Some("Already".into()),
            national_code: Some(on_file.clone()),
            ..ContactFields::default()
        })
        .expect("a contact on file");
        let good = national_code(1_100_220);
        let firm = company_id(1_038_028_479);
        let text = [
            "kind,last_name,company_name,national_code,company_national_id,staff_count,categories".to_string(),
            format!("person,First,,{good},,,Customers/Retail; Prospects"), // 2
            "person,Many,,,,many,".to_string(),                              // 3
            format!("person,Twin,,{good},,,"),                               // 4
            format!("person,On file,,{on_file},,,Customers"),               // 5
            format!("company,,Firm,,{firm},12,Customers/Retail"),           // 6
            "person,Nowhere,,,,, / ".to_string(),                            // 7
            "person,Last,,,,,".to_string(),                                  // 8
        ]
        .join("\n");
        let before = (count(db, "contacts"), count(db, "audit_log"), count(db, "categories"));
        let expected = [
            (3, Some("staff_count")),
            (4, Some("national_code")),
            (5, Some("national_code")),
            (7, Some("categories")),
        ];

        let report = import(db, &actor, &text, ImportOptions::default());
        assert!(!report.written);
        assert_eq!((report.rows, report.imported, report.bad_rows), (7, 3, 4));
        assert_eq!(report.problems.iter().map(place).collect::<Vec<_>>(), expected);
        assert_eq!((count(db, "contacts"), count(db, "audit_log"), count(db, "categories")), before);

        let mut calls = Vec::new();
        let report = exchange::import_contacts_from_bytes(
            db,
            &actor,
            Path::new("in.csv"),
            text.as_bytes(),
            &SKIP,
            &mut |done, total| calls.push((done, total)),
        )
        .expect("import");
        assert!(report.written);
        assert_eq!((report.rows, report.imported, report.bad_rows), (7, 3, 4));
        assert_eq!(report.problems.iter().map(place).collect::<Vec<_>>(), expected);
        assert!(report.problems[1].reason.contains("row 2"), "{}", report.problems[1]);
        assert!(report.problems[2].reason.contains("Already"), "{}", report.problems[2]);
        assert_eq!(calls.first(), Some(&(0, 3)), "{calls:?}");
        assert_eq!(calls.last(), Some(&(3, 3)), "{calls:?}");
        assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0), "{calls:?}");

        let all = contacts::batch(db, &ContactFilter::default(), ContactId(0), 10).expect("read");
        let names: Vec<&str> = all.iter().map(|c| c.fields.display_name.as_str()).collect();
        assert_eq!(names, ["Already", "First", "Firm", "Last"]);
        for contact in &all[1..] {
            let history = audit::history(db, contacts::ENTITY, contact.id).expect("history");
            assert_eq!(history.len(), 1);
            assert_eq!(contact.version, 1);
            assert_eq!(contact.created_by, actor.id);
        }
        let paths = |db: &mut Db, id| -> Vec<String> {
            categories::of_contact(db, id).expect("filings").into_iter().map(|f| f.1).collect()
        };
        assert_eq!(paths(db, all[1].id), ["Customers/Retail", "Prospects"]);
        assert_eq!(paths(db, all[2].id), ["Customers/Retail"]);
        assert!(paths(db, all[3].id).is_empty());
        // `Customers`, `Customers/Retail` and `Prospects`, each made once.
        assert_eq!(count(db, "categories"), before.2 + 3);
        assert_eq!(audited(db, categories::ENTITY).len(), 3);
        assert_eq!(audited(db, categories::FILING_ENTITY).len(), 2);
        assert_eq!(count(db, "contacts"), before.0 + 3);
    }
}

/// Stores a contact with `code` from another connection, in a transaction that stays open
/// until the import on `store` has started and is waiting for it, then commits; the import must
/// refuse the whole file, naming that contact at the row with its code.
fn a_contact_stored_meanwhile_refuses_the_import_whole(backend: Backend) {
    let Some(mut store) = binary::Store::open(backend, "import-meanwhile") else {
        return;
    };
    let actor = admin(&mut store.db);
    let code = national_code(123_123_123);
    let mut text = String::from("kind,last_name,national_code,categories\n");
    for i in 0..50u32 {
        text.push_str(&format!(
            "person,P{i},{},Customers\n",
            national_code(300_100_000 + i)
        ));
    }
    text.push_str(&format!("person,Clash,{code},Customers\n")); // row 52
    let url = StoreUrl::parse(&store.url);
    let mut other = db::connect(&url).expect("a second connection");
    let mut watcher = db::connect(&url).expect("a third connection");
    let other_actor = admin(&mut other);

    let report = std::thread::scope(|scope| {
        let importing = other
            .transaction(|other| {
                contacts::create(
                    other,
                    &other_actor,
                    ContactFields {
                        kind: "person".into(),
                        last_name: Some("Meanwhile".into()),
                        national_code: Some(code.clone()),
                        ..ContactFields::default()
                    },
                )?;
                let db = &mut store.db;
                let (actor, text) = (&actor, &text);
                let importing =
                    scope.spawn(move || import(db, actor, text, ImportOptions::default()));
                wait_until_blocked(backend, &mut watcher);
                Ok::<_, peygir::error::Error>(importing)
            })
            .expect("store the clashing contact");
        importing.join().expect("the import")
    });

    assert!(!report.written, "{report:?}");
    assert_eq!(
        report.problems.iter().map(place).collect::<Vec<_>>(),
        [(52, Some("national_code"))]
    );
    assert!(
        report.problems[0].reason.contains("Meanwhile"),
        "{}",
        report.problems[0]
    );
    let db = &mut store.db;
    assert_eq!(
        count(db, "contacts"),
        1,
        "only the contact stored meanwhile"
    );
    assert_eq!(audited(db, contacts::ENTITY).len(), 1);
    assert_eq!(count(db, "categories"), 0);
    assert_eq!(count(db, "contact_categories"), 0);
}

/// Waits until the import is held up by the open transaction: on PostgreSQL until a session
/// waits for a lock (its insert, on the clashing contact's key); on SQLite a moment, the import
/// waiting for the store's write lock meanwhile.
fn wait_until_blocked(backend: Backend, watcher: &mut Db) {
    #[derive(QueryableByName)]
    struct Waiting {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    match backend {
        Backend::Sqlite => std::thread::sleep(Duration::from_millis(500)),
        Backend::Postgres => {
            let started = Instant::now();
            loop {
                let waiting: Waiting = diesel::sql_query(
                    "SELECT COUNT(*) AS n FROM pg_stat_activity \
                     WHERE datname = current_database() AND wait_event_type = 'Lock'",
                )
                .get_result(watcher)
                .expect("read pg_stat_activity");
                if waiting.n > 0 {
                    return;
                }
                assert!(
                    started.elapsed() < Duration::from_secs(30),
                    "the import never waited"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

mod a_contact_stored_meanwhile {
    use super::*;

    #[test]
    fn sqlite() {
        a_contact_stored_meanwhile_refuses_the_import_whole(Backend::Sqlite);
    }

    #[test]
    fn postgres() {
        a_contact_stored_meanwhile_refuses_the_import_whole(Backend::Postgres);
    }
}
