//! The rules a contact's fields follow, through the store on both backends: identifiers in any
//! digit script with spaces or dashes, the published check-digit vectors, phone numbers in every
//! spelling stored alike, the shape of email and web addresses, dates not in the future, every
//! message, the warnings a save may go past, and links between persons and companies.

use std::collections::BTreeMap;

use diesel::prelude::*;

use peygir::db::Db;
use peygir::db::ids::{ContactId, ContactLinkId};
use peygir::db::schema::contact_links;
use peygir::error::{Error, FieldError};
use peygir::store::audit;
use peygir::store::contacts::{self, Contact, ContactFields, LinkRow};
use peygir::store::users;
use peygir::store::{Actor, Role};

use crate::support::admin;

fn person(last: &str) -> ContactFields {
    ContactFields {
        kind: "person".into(),
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

/// Each refused field with its reason.
fn refused<T: std::fmt::Debug>(result: peygir::error::Result<T>) -> BTreeMap<&'static str, String> {
    match result {
        Err(Error::Invalid(errors)) => errors.into_iter().map(|e| (e.field, e.reason)).collect(),
        other => panic!("expected the change to be refused as invalid, got {other:?}"),
    }
}

/// `fields` prepared, or the refusal.
fn prepared(fields: ContactFields) -> ContactFields {
    fields
        .prepare()
        .unwrap_or_else(|e| panic!("the fields should be accepted: {e}"))
}

fn warnings(db: &mut Db, fields: ContactFields, except: Option<ContactId>) -> Vec<FieldError> {
    let fields = prepared(fields);
    contacts::warnings(db, &fields, except).expect("read warnings")
}

/// The national codes `rust-persian-tools` tests as valid (its ten-digit ones) and as invalid.
const GOOD_NATIONAL_CODES: &[&str] = &[
    "1583250689",
    "0499370899",
    "0790419904",
    "0084575948",
    "0963695398",
    "0684159414",
    "0067749828",
    "0650451252",
    "4032152314",
    "0076229645",
    "4271467685",
    "0200203241",
];
const BAD_NATIONAL_CODES: &[&str] = &[
    "1230000000",
    "0000000000",
    "4444444444",
    "9999999999",
    "0684159415",
    "1111111111",
    "12300000",
    "123000000",
];
/// The company national IDs `rust-persian-tools` tests.
const GOOD_COMPANY_IDS: &[&str] = &["10380284790"];
const BAD_COMPANY_IDS: &[&str] = &[
    "11111111111",
    "10380284792",
    "10380285692",
    "09748208301",
    "123000000",
    "1111111111",
];

/// ASCII digits in Persian (`۰`-`۹`) or Arabic-Indic (`٠`-`٩`) script.
fn script(text: &str, zero: char) -> String {
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(zero as u32 + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

fn persian(text: &str) -> String {
    script(text, '۰')
}

fn arabic(text: &str) -> String {
    script(text, '٠')
}

store_tests! {
    fn the_published_check_digit_vectors_hold(db, backend) {
        for code in GOOD_NATIONAL_CODES {
            let fields = ContactFields {
                national_code: Some(persian(code)),
                ..person("Rezaei")
            };
            assert_eq!(prepared(fields).national_code.as_deref(), Some(*code), "{code}");
        }
        for code in BAD_NATIONAL_CODES {
            let fields = ContactFields {
                national_code: Some((*code).into()),
                ..person("Rezaei")
            };
            assert_eq!(
                refused(fields.prepare()).get("field.national-code").map(String::as_str),
                Some("is not a valid national code (10 digits with a check digit)"),
                "{code}"
            );
        }
        for id in GOOD_COMPANY_IDS {
            let fields = ContactFields {
                company_national_id: Some(arabic(id)),
                ..company("Pars")
            };
            assert_eq!(prepared(fields).company_national_id.as_deref(), Some(*id), "{id}");
        }
        for id in BAD_COMPANY_IDS {
            let fields = ContactFields {
                company_national_id: Some((*id).into()),
                ..company("Pars")
            };
            assert_eq!(
                refused(fields.prepare())
                    .get("field.company-national-id")
                    .map(String::as_str),
                Some("is not a valid company national ID (11 digits with a check digit)"),
                "{id}"
            );
        }
        // Stored through the store in Persian digits with dashes, found again in ASCII.
        let actor = admin(db);
        let stored = create(
            db,
            &actor,
            ContactFields {
                national_code: Some("۰۰۸۴-۵۷۵۹۴-۸".into()),
                ..person("Karimi")
            },
        );
        assert_eq!(stored.fields.national_code.as_deref(), Some("0084575948"));
        let twin = contacts::create(
            db,
            &actor,
            ContactFields {
                national_code: Some("٠٠٨٤٥٧٥٩٤٨".into()),
                ..person("Other")
            },
        );
        assert_eq!(
            refused(twin).get("field.national-code").map(String::as_str),
            Some("is already on file for Karimi"),
            "on {backend}"
        );
    }

    fn every_identifier_takes_any_digit_script(db, backend) {
        let actor = admin(db);
        let fields = ContactFields {
            company_national_id: Some(persian("10380284790")),
            economic_code: Some(persian("4111 2222 3333")),
            registration_number: Some(arabic("123-456")),
            postal_code: Some(persian("13456-78901")),
            registration_date: chrono::NaiveDate::from_ymd_opt(1999, 3, 21),
            phone: Some(persian("021-8888 7777")),
            fax: Some(arabic("(021) 8888-7778")),
            mobile: Some(persian("+98 912 123 4567")),
            email: Some("info@pars.example.ir".into()),
            website: Some("https://pars.example.ir".into()),
            ..company("Pars Tejarat")
        };
        let stored = create(db, &actor, fields);
        let f = &stored.fields;
        assert_eq!(f.company_national_id.as_deref(), Some("10380284790"));
        assert_eq!(f.economic_code.as_deref(), Some("411122223333"));
        assert_eq!(f.registration_number.as_deref(), Some("123456"));
        assert_eq!(f.postal_code.as_deref(), Some("1345678901"));
        assert_eq!(f.phone.as_deref(), Some("02188887777"));
        assert_eq!(f.fax.as_deref(), Some("02188887778"));
        assert_eq!(f.mobile.as_deref(), Some("09121234567"));
        assert_eq!(f.email.as_deref(), Some("info@pars.example.ir"));
        assert_eq!(f.website.as_deref(), Some("https://pars.example.ir"));
        let reread = contacts::get(db, stored.id).expect("read back");
        assert_eq!(reread.fields, stored.fields, "on {backend}");
        // The mobile is found in its stored form by any spelling typed in the search box.
        let found = contacts::count(db, &contacts::ContactFilter::search("۹۱۲۱۲۳۴۵۶۷")).expect("count");
        assert_eq!(found, 1);
    }

    fn phones_of_every_spelling_store_alike(db, backend) {
        let actor = admin(db);
        for (i, typed) in [
            "+98 912 123 4567",
            "0098-912-1234567",
            "09121234567",
            "9121234567",
            "+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷",
            "(0912) 123 45 67",
        ]
        .into_iter()
        .enumerate()
        {
            let fields = ContactFields {
                mobile: Some(typed.into()),
                phone: Some(typed.into()),
                fax: Some(typed.into()),
                ..person(&format!("Person {i}"))
            };
            let stored = create(db, &actor, fields);
            for value in [&stored.fields.mobile, &stored.fields.phone, &stored.fields.fax] {
                assert_eq!(value.as_deref(), Some("09121234567"), "{typed}");
            }
        }
        let landline = |typed: &str| {
            prepared(ContactFields {
                phone: Some(typed.into()),
                ..person("L")
            })
            .phone
        };
        assert_eq!(landline("+98 21 8888 7777").as_deref(), Some("02188887777"));
        assert_eq!(landline("0098 (21) 88887777").as_deref(), Some("02188887777"));
        assert_eq!(landline("2188887777").as_deref(), Some("02188887777"));
        assert_eq!(landline("8888-7777").as_deref(), Some("88887777"));
        assert_eq!(landline("+44 20 7946 0958").as_deref(), Some("+442079460958"));
    }

    fn every_bad_field_is_named_with_its_reason_together(db, backend) {
        let actor = admin(db);
        let tomorrow = chrono::Utc::now().date_naive() + chrono::Duration::days(2);
        let fields = ContactFields {
            national_code: Some("00845x5948".into()),
            company_national_id: Some("1038O284790".into()),
            economic_code: Some("4111-22٢2-abc".into()),
            registration_number: Some("12/ت".into()),
            postal_code: Some("13456 7890".into()),
            birth_date: Some(tomorrow),
            registration_date: Some(tomorrow),
            phone: Some("021 8888 77۷۷ ext 12".into()),
            fax: Some("021 888".into()),
            mobile: Some("021 8888 7777".into()),
            email: Some("ali at example.com".into()),
            website: Some("pars tejarat".into()),
            ..person("Rezaei")
        };
        let stored_before = peygir::db::row_count(db, "contacts").expect("count");
        let reasons = refused(contacts::create(db, &actor, fields));
        let expected: BTreeMap<&str, &str> = BTreeMap::from([
            ("field.national-code", "takes digits only (found \u{201c}x\u{201d})"),
            ("field.company-national-id", "takes digits only (found \u{201c}O\u{201d})"),
            ("field.economic-code", "takes digits only (found \u{201c}a\u{201d})"),
            ("field.registration-number", "takes digits only (found \u{201c}ت\u{201d})"),
            ("field.postal-code", "must be exactly 10 digits"),
            ("field.birth-date", "must not be in the future"),
            ("field.registration-date", "must not be in the future"),
            ("field.phone", "takes digits only (found \u{201c}e\u{201d})"),
            (
                "field.fax",
                "is not a phone number (a local number, or the city code and number like 021 \
                 8888 7777, or + and the country code)",
            ),
            ("field.mobile", "is not an Iranian mobile number (like 0912 123 4567)"),
            ("field.email", "is not an email address (like name@example.com)"),
            (
                "field.website",
                "is not a web address (like example.com or https://example.com)",
            ),
        ]);
        let got: BTreeMap<&str, &str> = reasons.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(got, expected, "on {backend}");
        assert_eq!(
            peygir::db::row_count(db, "contacts").expect("count"),
            stored_before,
            "nothing stored"
        );
        // The whole message names each field.
        let message = contacts::create(
            db,
            &actor,
            ContactFields {
                mobile: Some("0912-12a".into()),
                ..person("Rezaei")
            },
        )
        .expect_err("refused")
        .to_string();
        assert_eq!(
            message,
            format!(
                "{}: takes digits only (found \u{201c}a\u{201d})",
                peygir::i18n::tr("field.mobile")
            )
        );
        // Today is not the future.
        let today = chrono::Utc::now().date_naive();
        let fields = ContactFields {
            birth_date: Some(today),
            ..person("Born today")
        };
        assert_eq!(prepared(fields).birth_date, Some(today));
    }

    fn email_and_web_address_shapes(db, backend) {
        let email = |text: &str| {
            ContactFields {
                email: Some(text.into()),
                ..person("E")
            }
            .prepare()
            .is_ok()
        };
        for good in ["ali@example.com", " a.b+c@mail.example.ir ", "info@شرکت.ایران"] {
            assert!(email(good), "{good}");
        }
        for bad in ["ali", "@example.com", "ali@example", "a@b@example.com", "ali @x.com", "ali@x..com"] {
            assert!(!email(bad), "{bad}");
        }
        let web = |text: &str| {
            ContactFields {
                website: Some(text.into()),
                ..person("W")
            }
            .prepare()
            .is_ok()
        };
        for good in ["example.com", "www.example.com", "http://example.com/a?b", "HTTPS://Example.ir:8443"] {
            assert!(web(good), "{good}");
        }
        for bad in ["example", "https://", "ftp://example.com", "exa mple.com", "example..com"] {
            assert!(!web(bad), "{bad}");
        }
    }

    fn warnings_name_what_is_unusual(db, backend) {
        let actor = admin(db);
        for (code, warned) in [
            ("41111111111", false),
            ("411111111111", false),
            ("41111111111111", false),
            ("4111111111", true),
            ("4111111111111", true),
        ] {
            let found = warnings(
                db,
                ContactFields {
                    economic_code: Some(persian(code)),
                    ..company("Pars")
                },
                None,
            );
            assert_eq!(!found.is_empty(), warned, "{code}");
            if warned {
                assert_eq!(found[0].field, "field.economic-code");
                assert_eq!(
                    found[0].reason,
                    format!(
                        "has {} digits; economic codes usually have 12 (older ones 11 or 14)",
                        code.len()
                    )
                );
            }
        }
        let reza = create(
            db,
            &actor,
            ContactFields {
                first_name: Some("Reza".into()),
                mobile: Some("09121234567".into()),
                ..person("Ahmadi")
            },
        );
        // The same mobile in another spelling, for someone else: named.
        let found = warnings(
            db,
            ContactFields {
                mobile: Some("+98 912 123 4567".into()),
                ..person("Karimi")
            },
            None,
        );
        assert_eq!(
            found,
            [FieldError {
                field: "field.mobile",
                reason: "is also the mobile of Reza Ahmadi".into(),
            }],
            "on {backend}"
        );
        // Not for the contact itself, and not for an archived one.
        let own = warnings(
            db,
            ContactFields {
                mobile: Some("09121234567".into()),
                ..person("Ahmadi")
            },
            Some(reza.id),
        );
        assert!(own.is_empty(), "{own:?}");
        contacts::archive(db, &actor, reza.id, reza.version).expect("archive");
        let found = warnings(
            db,
            ContactFields {
                mobile: Some("09121234567".into()),
                ..person("Karimi")
            },
            None,
        );
        assert!(found.is_empty(), "{found:?}");
        // A warning does not stop a save.
        create(
            db,
            &actor,
            ContactFields {
                economic_code: Some("123".into()),
                ..company("Odd Code Co.")
            },
        );
    }

    fn persons_and_companies_are_linked_both_ways(db, backend) {
        let actor = admin(db);
        let pars = create(db, &actor, company("Pars Tejarat")).id;
        let nova = create(db, &actor, company("Nova Foods")).id;
        let reza = create(
            db,
            &actor,
            ContactFields {
                first_name: Some("Reza".into()),
                ..person("Ahmadi")
            },
        )
        .id;
        let mina = create(db, &actor, person("Karimi")).id;
        contacts::link(db, &actor, reza, pars, Some(" Buyer\u{1b} ".into())).expect("link");
        contacts::link(db, &actor, reza, nova, None).expect("link");
        contacts::link(db, &actor, mina, pars, Some("CEO".into())).expect("link");
        assert_eq!(
            contacts::links_of(db, reza).expect("links"),
            [
                LinkRow {
                    other_id: nova,
                    other_name: "Nova Foods".into(),
                    other_kind: "company".into(),
                    job_title: None,
                },
                LinkRow {
                    other_id: pars,
                    other_name: "Pars Tejarat".into(),
                    other_kind: "company".into(),
                    job_title: Some("Buyer".into()),
                },
            ]
        );
        assert_eq!(
            contacts::links_of(db, pars).expect("links"),
            [
                LinkRow {
                    other_id: mina,
                    other_name: "Karimi".into(),
                    other_kind: "person".into(),
                    job_title: Some("CEO".into()),
                },
                LinkRow {
                    other_id: reza,
                    other_name: "Reza Ahmadi".into(),
                    other_kind: "person".into(),
                    job_title: Some("Buyer".into()),
                },
            ],
            "on {backend}"
        );
        // Linking again changes the job title; nothing is doubled.
        contacts::link(db, &actor, reza, pars, Some("Head of purchasing".into())).expect("link");
        let links: i64 = contact_links::table.count().get_result(db).expect("count");
        assert_eq!(links, 3);
        let pars_links = contacts::links_of(db, pars).expect("links");
        assert_eq!(pars_links[1].job_title.as_deref(), Some("Head of purchasing"));

        // The ends must be a person and a company, named when they are not.
        let wrong = refused(contacts::link(db, &actor, pars, nova, None));
        assert_eq!(
            wrong.get("field.linked").map(String::as_str),
            Some("Pars Tejarat is a company; a link joins a person to a company")
        );
        match contacts::link(db, &actor, pars, mina, None) {
            Err(Error::Invalid(errors)) => {
                let reasons: Vec<&str> = errors.iter().map(|e| e.reason.as_str()).collect();
                assert_eq!(
                    reasons,
                    [
                        "Pars Tejarat is a company; a link joins a person to a company",
                        "Karimi is a person; a link joins a person to a company",
                    ]
                );
            }
            other => panic!("a reversed link should be refused, got {other:?}"),
        }
        assert!(matches!(
            contacts::link(db, &actor, reza, ContactId(999_999), None),
            Err(Error::NotFound { .. })
        ));

        // An archived contact leaves the links shown.
        let nova_version = contacts::get(db, nova).expect("read").version;
        contacts::archive(db, &actor, nova, nova_version).expect("archive");
        assert_eq!(contacts::links_of(db, reza).expect("links").len(), 1);

        // Unlinking removes the one link; again is nothing.
        contacts::unlink(db, &actor, mina, pars).expect("unlink");
        contacts::unlink(db, &actor, mina, pars).expect("unlink again");
        assert!(contacts::links_of(db, mina).expect("links").is_empty());
        assert_eq!(contacts::links_of(db, pars).expect("links").len(), 1);
    }

    fn links_are_audited_and_need_an_agent(db, backend) {
        let actor = admin(db);
        let pars = create(db, &actor, company("Pars Tejarat")).id;
        let reza = create(db, &actor, person("Ahmadi")).id;
        contacts::link(db, &actor, reza, pars, Some("Buyer".into())).expect("link");
        contacts::link(db, &actor, reza, pars, Some("Buyer".into())).expect("the same again");
        contacts::link(db, &actor, reza, pars, Some("CEO".into())).expect("a new title");
        let id: ContactLinkId = contact_links::table
            .select(contact_links::id)
            .first(db)
            .expect("the link");
        contacts::unlink(db, &actor, reza, pars).expect("unlink");
        let trail = audit::history(db, contacts::LINK_ENTITY, id).expect("history");
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create", "update", "delete"], "on {backend}");
        assert!(trail.iter().all(|e| e.user_id == Some(actor.id)));
        let new: serde_json::Value =
            serde_json::from_str(trail[1].new_values.as_deref().expect("values")).expect("json");
        assert_eq!(new["job_title"], "CEO");
        assert_eq!(new["version"], 2);
        let old: serde_json::Value =
            serde_json::from_str(trail[2].old_values.as_deref().expect("values")).expect("json");
        assert_eq!(old["person_id"], i64::from(reza));
        assert_eq!(old["company_id"], i64::from(pars));

        // Every role from agent up may link; the check is there.
        let agent_id = users::insert_user(db, "sara", "Sara", Role::Agent, None).expect("user");
        let agent = Actor {
            id: agent_id,
            login: "sara".into(),
            role: Role::Agent,
        };
        contacts::link(db, &agent, reza, pars, None).expect("an agent links");
    }
}
