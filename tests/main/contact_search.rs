//! The contact search and the case search by customer, on both backends. Every word typed must
//! appear somewhere in a contact's search text (the Persian-normalised name, company, mobile,
//! phone, national code, company ID and e-mail, joined by spaces), however short the word, and
//! the contacts come in name order. The store looks the words of three characters or more up in
//! a trigram index (an FTS5 table on SQLite, `pg_trgm` on PostgreSQL); what it finds is compared
//! here with the words looked for in each contact's search text directly.

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::prelude::*;
use diesel_migrations::MigrationHarness;

use peygir::db::ids::ContactId;
use peygir::db::schema::contacts as contacts_table;
use peygir::db::{Db, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
use peygir::domain::text;
use peygir::store::cases::{self, CaseFields, CaseFilter};
use peygir::store::contacts::{self, Contact, ContactFields, ContactFilter, ContactRow};
use peygir::store::users;
use peygir::store::{self as store, Actor, Role, org_units};

use crate::support::admin;

fn person(first: &str, last: &str) -> ContactFields {
    ContactFields {
        kind: "person".into(),
        first_name: Some(first.into()),
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

fn create(db: &mut Db, actor: &Actor, fields: ContactFields) -> Contact {
    contacts::create(db, actor, fields).unwrap_or_else(|e| panic!("create a contact: {e}"))
}

/// How many contacts [`fill`] makes besides those it returns, none of them found by the searches
/// below: with them, a word few contacts hold is read by id, one many hold through the names'
/// index, and both ways are tried.
const OTHERS: usize = 64;

/// Contacts with names in both scripts, digits in their numbers, e-mails, and signs that mean
/// something to `LIKE` or to FTS5 in their names.
fn fill(db: &mut Db, actor: &Actor) -> Vec<Contact> {
    for _ in 0..OTHERS {
        create(db, actor, company("Qqq Www"));
    }
    let people = vec![
        ContactFields {
            mobile: Some("09121234567".into()),
            email: Some("ali.rezaei@example.com".into()),
            national_code: Some("0084575948".into()),
            ..person("Ali", "Rezaei")
        },
        // The same name again: the list orders them by id.
        ContactFields {
            mobile: Some("09357654321".into()),
            ..person("Ali", "Rezaei")
        },
        // Arabic yeh and kaf, found by their Persian forms and the other way round.
        ContactFields {
            mobile: Some("09351112233".into()),
            ..person("علي", "كريمي")
        },
        person("Reza", "Karimi"),
        // Persian digits in the mobile, stored as ASCII digits.
        ContactFields {
            mobile: Some("۰۹۱۲۷۶۵۴۳۲۱".into()),
            ..person("محمد", "رضایی")
        },
        person("Oliver", "MILLER"),
        ContactFields {
            email: Some("info@pars.ir".into()),
            phone: Some("02188776655".into()),
            ..company("Pars Tejarat")
        },
        company("50%_off Trading"),
        company("Quote \"Best\" AND (Near) Co*"),
        person("Zahra", "Ahmadi"),
    ];
    people.into_iter().map(|f| create(db, actor, f)).collect()
}

/// The contacts a search should find, as the store lists them: every contact not archived whose
/// search text holds each word typed, in the list's own order (by name, then id).
fn expected(db: &mut Db, typed: &str) -> Vec<ContactRow> {
    let words = text::search_words(typed);
    contacts::page(db, &ContactFilter::default(), None, 1_000)
        .expect("the whole list")
        .into_iter()
        .filter(|row| {
            let stored = contacts::get(db, row.id).expect("a contact");
            words.iter().all(|w| stored.fields.search_text.contains(w))
        })
        .collect()
}

/// Every read of the list with `typed` in the search box gives exactly the contacts `expected`
/// gives: the first page, the count, page after page forwards and backwards.
fn check(db: &mut Db, typed: &str) -> Vec<ContactRow> {
    let want = expected(db, typed);
    let filter = ContactFilter::search(typed);
    let found = contacts::page(db, &filter, None, 1_000).expect("a page");
    assert_eq!(found, want, "searching {typed:?}");
    let count = contacts::count(db, &filter).expect("a count");
    assert_eq!(count, want.len() as i64, "the count of {typed:?}");
    let mut forward: Vec<ContactRow> = Vec::new();
    loop {
        let after = forward.last().map(|r| (r.display_name.clone(), r.id));
        let page = contacts::page(db, &filter, after.as_ref(), 2).expect("a page");
        if page.is_empty() {
            break;
        }
        forward.extend(page);
    }
    assert_eq!(forward, want, "page by page, searching {typed:?}");
    let mut backward = contacts::last_page(db, &filter, 2).expect("the last page");
    while let Some(first) = backward.first() {
        let key = (first.display_name.clone(), first.id);
        let page = contacts::page_before(db, &filter, &key, 2).expect("a page");
        if page.is_empty() {
            break;
        }
        backward.splice(0..0, page);
    }
    assert_eq!(backward, want, "backwards, searching {typed:?}");
    found
}

fn ids(rows: &[ContactRow]) -> Vec<ContactId> {
    rows.iter().map(|r| r.id).collect()
}

/// On SQLite, that the trigram index holds exactly the contacts' search texts.
fn index_is_whole(db: &mut Db) {
    if let Db::Sqlite(conn) = db {
        conn.batch_execute(
            "INSERT INTO contacts_search (contacts_search, rank) VALUES ('integrity-check', 1)",
        )
        .expect("the search index matches the contacts");
    }
}

/// Reverts the migration that makes the contacts' search index, or (`make`) runs it again.
fn search_index(db: &mut Db, make: bool) {
    fn on<B, C>(conn: &mut C, source: impl MigrationSource<B>, make: bool)
    where
        B: diesel::backend::Backend,
        C: MigrationHarness<B>,
    {
        let all = source.migrations().expect("the migrations");
        let index = all
            .iter()
            .find(|m| m.name().to_string().ends_with("_contact_search"))
            .expect("the search index's migration");
        if make {
            conn.run_migration(&**index).expect("make the search index");
        } else {
            conn.revert_migration(&**index)
                .expect("revert the search index");
        }
    }
    match db {
        Db::Sqlite(conn) => on(conn, SQLITE_MIGRATIONS, make),
        Db::Pg(conn) => on(conn, POSTGRES_MIGRATIONS, make),
    }
}

store_tests! {
    fn a_search_finds_every_word_wherever_it_is(db, backend) {
        let actor = admin(db);
        let c = fill(db, &actor);
        let [ali, ali_again, ali_karimi, reza, mohammad, oliver, pars, off, quote, zahra] =
            &c[..]
        else {
            unreachable!("ten contacts")
        };
        // Words of three characters or more, of one and two, and both together.
        assert_eq!(ids(&check(db, "rezaei")), [ali.id, ali_again.id]);
        assert_eq!(ids(&check(db, "Rez")), [ali.id, ali_again.id, reza.id]);
        assert_eq!(ids(&check(db, "re")), [ali.id, ali_again.id, reza.id]);
        assert_eq!(ids(&check(db, "z")).len(), 4, "Rezaei twice, Reza and Zahra");
        assert_eq!(ids(&check(db, "al rezaei")), [ali.id, ali_again.id]);
        assert_eq!(ids(&check(db, "ri ka")), [reza.id]);
        assert!(check(db, "al karimi").is_empty());
        assert_eq!(ids(&check(db, "ali rez 12")), [ali.id]);
        // ASCII in any case: the search text and the words are both lower case.
        assert_eq!(ids(&check(db, "MILLER")), [oliver.id]);
        assert_eq!(ids(&check(db, "oLiVeR mi")), [oliver.id]);
        assert_eq!(ids(&check(db, "LI")), [ali.id, ali_again.id, oliver.id]);
        // Persian: letter forms and digits of either script, long and short words.
        assert_eq!(ids(&check(db, "علی کریمی")), [ali_karimi.id]);
        assert_eq!(ids(&check(db, "علي")), [ali_karimi.id]);
        assert_eq!(ids(&check(db, "كري")), [ali_karimi.id]);
        assert_eq!(ids(&check(db, "رضا")), [mohammad.id]);
        assert_eq!(ids(&check(db, "مح")), [mohammad.id]);
        assert_eq!(ids(&check(db, "ی")), [ali_karimi.id, mohammad.id]);
        assert_eq!(ids(&check(db, "محمد ۰۹۱۲۷")), [mohammad.id]);
        // Digits anywhere in a mobile, a phone or a national code.
        assert_eq!(ids(&check(db, "1234")), [ali.id]);
        assert_eq!(ids(&check(db, "۱۲۳۴")), [ali.id]);
        assert_eq!(ids(&check(db, "0084575948")), [ali.id]);
        assert_eq!(ids(&check(db, "4575")), [ali.id]);
        assert_eq!(ids(&check(db, "8877")), [pars.id]);
        assert_eq!(ids(&check(db, "12")), [ali.id, ali_karimi.id, mohammad.id]);
        assert_eq!(ids(&check(db, "0912 123")), [ali.id]);
        // A word never spans two fields: they are joined by a space, and a word holds none.
        assert!(check(db, "alirezaei").is_empty());
        assert!(check(db, "rezaei09121234567").is_empty());
        assert!(check(db, "tejaratinfo").is_empty());
        assert_eq!(ids(&check(db, "rezaei 09121234567")), [ali.id]);
        assert_eq!(ids(&check(db, "tejarat info@pars")), [pars.id]);
        // E-mails, dots and signs: each means itself.
        assert_eq!(ids(&check(db, "ali.rezaei@example.com")), [ali.id]);
        assert_eq!(ids(&check(db, ".ir")), [pars.id]);
        assert_eq!(ids(&check(db, "50%_off")), [off.id]);
        assert_eq!(ids(&check(db, "%_o")), [off.id]);
        assert!(check(db, "50%x").is_empty());
        assert!(check(db, "5_%").is_empty());
        assert_eq!(ids(&check(db, "\"best\"")), [quote.id]);
        assert_eq!(ids(&check(db, "quote \"be")), [quote.id]);
        assert_eq!(ids(&check(db, "and (near) co*")), [quote.id]);
        assert!(check(db, "\"best").len() == 1 && check(db, "best\"\"").is_empty());
        assert!(check(db, "NOT").is_empty());
        // Nothing typed: every contact.
        assert_eq!(check(db, "  ").len(), c.len() + OTHERS);
        assert_eq!(check(db, "qqq www").len(), OTHERS);
        assert_eq!(ids(&check(db, "ahmadi")), [zahra.id]);
        index_is_whole(db);
    }

    fn a_changed_archived_or_removed_contact_is_found_as_it_is_now(db, backend) {
        let actor = admin(db);
        let c = fill(db, &actor);
        let (ali, oliver, zahra) = (&c[1], &c[5], &c[9]);
        assert_eq!(ids(&check(db, "rezaei")), [c[0].id, ali.id]);
        // A new last name: found by it, no longer by the old one.
        let renamed = contacts::update(
            db,
            &actor,
            ali.id,
            ali.version,
            ContactFields {
                last_name: Some("Tehrani".into()),
                ..ali.fields.clone()
            },
        )
        .expect("rename");
        assert_eq!(ids(&check(db, "rezaei")), [c[0].id]);
        assert_eq!(ids(&check(db, "tehrani")), [ali.id]);
        assert_eq!(ids(&check(db, "ali teh")), [ali.id]);
        assert_eq!(ids(&check(db, "te ali")), [ali.id]);
        assert_eq!(ids(&check(db, "ali")), [c[0].id, ali.id]);
        // A change that leaves the search text as it was keeps the contact found.
        let noted = contacts::update(
            db,
            &actor,
            ali.id,
            renamed.version,
            ContactFields {
                notes: Some("Prefers calls after noon".into()),
                ..renamed.fields.clone()
            },
        )
        .expect("add a note");
        assert_eq!(noted.fields.search_text, renamed.fields.search_text);
        assert_eq!(ids(&check(db, "tehrani")), [ali.id]);
        // An archived contact is found by no search.
        contacts::archive(db, &actor, oliver.id, oliver.version).expect("archive");
        assert!(check(db, "miller").is_empty());
        assert!(check(db, "ol").is_empty());
        // A contact removed from the table is gone from the index too.
        diesel::delete(contacts_table::table.find(zahra.id))
            .execute(db)
            .expect("remove a contact");
        assert!(check(db, "ahmadi").is_empty());
        index_is_whole(db);
    }

    fn a_case_is_found_by_its_customers_words(db, backend) {
        store::ensure_defaults(db).expect("the defaults");
        let actor = admin(db);
        let unit = org_units::find_or_add(db, None, "Sales").expect("a unit");
        let expert = users::insert_user(db, "sara", "Sara", Role::Agent, Some(unit))
            .expect("an expert");
        let taban = create(db, &actor, company("Taban Shimi"));
        let kazemi = create(
            db,
            &actor,
            ContactFields {
                mobile: Some("09121234567".into()),
                ..person("علی", "کاظمی")
            },
        );
        let other = create(db, &actor, person("Reza", "Karimi"));
        let open = |db: &mut Db, title: &str, company_id, contact_id| {
            cases::create(
                db,
                &actor,
                CaseFields {
                    title: title.into(),
                    company_id,
                    contact_id,
                    expert_id: expert,
                    ..CaseFields::default()
                },
            )
            .expect("open a case")
            .id
        };
        let pumps = open(db, "Pumps", Some(taban.id), Some(kazemi.id));
        let valves = open(db, "Valves", None, Some(other.id));
        let found = |db: &mut Db, typed: &str| -> Vec<_> {
            let filter = CaseFilter {
                search: typed.into(),
                ..CaseFilter::default()
            };
            let rows = cases::page(db, &filter, None, 50).expect("a page");
            assert_eq!(
                cases::count(db, &filter).expect("a count"),
                rows.len() as i64,
                "the count of {typed:?}"
            );
            let mut ids: Vec<_> = rows.into_iter().map(|r| r.id).collect();
            ids.sort();
            ids
        };
        // The company's or the person's words, long or short, and the title's.
        assert_eq!(found(db, "shimi"), [pumps]);
        assert_eq!(found(db, "ta"), [pumps]);
        assert_eq!(found(db, "كاظمي"), [pumps]);
        assert_eq!(found(db, "۱۲۳۴"), [pumps]);
        assert_eq!(found(db, "kar"), [valves]);
        assert_eq!(found(db, "ri va"), [valves]);
        assert_eq!(found(db, "shimi pu"), [pumps]);
        assert!(found(db, "shimi valves").is_empty());
        assert_eq!(found(db, "s").len(), 2);
        // Each word may be in another place: the title, the company, the person.
        assert_eq!(found(db, "pumps taban علی"), [pumps]);
        // The person's new name finds the case, the old one no longer does.
        contacts::update(
            db,
            &actor,
            kazemi.id,
            kazemi.version,
            ContactFields {
                last_name: Some("احمدی".into()),
                ..kazemi.fields.clone()
            },
        )
        .expect("rename");
        assert!(found(db, "کاظمی").is_empty());
        assert_eq!(found(db, "احمدی"), [pumps]);
        // An archived customer's words still find the customer's cases.
        contacts::archive(db, &actor, taban.id, taban.version).expect("archive");
        assert_eq!(found(db, "shimi"), [pumps]);
        index_is_whole(db);
    }

    fn the_contacts_stored_before_the_search_index_are_found_through_it(db, backend) {
        let actor = admin(db);
        // The store as it was before the index: contacts written without it.
        search_index(db, false);
        let c = fill(db, &actor);
        search_index(db, true);
        index_is_whole(db);
        assert_eq!(ids(&check(db, "rezaei")), [c[0].id, c[1].id]);
        assert_eq!(ids(&check(db, "كريمي")), [c[2].id]);
        assert_eq!(ids(&check(db, "0084575948")), [c[0].id]);
        assert_eq!(ids(&check(db, "al rezaei")), [c[0].id, c[1].id]);
        // And the contacts written after it.
        let later = create(db, &actor, person("Kaveh", "Rezaei"));
        assert_eq!(ids(&check(db, "rezaei")), [c[0].id, c[1].id, later.id]);
        index_is_whole(db);
    }
}
