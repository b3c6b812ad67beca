//! The audit log read back, on SQLite and on PostgreSQL: `audit::search` newest first, narrowed
//! by entity, row, user and time and read a bounded page at a time; `audit::changes` on real
//! rows; a conflict naming who saved the record first and when (from its `updated_by`, or the
//! audit log for a table without one); and `peygir audit` through the real binary: a line a
//! change in local time, JSON with the full values, UTC times and logins, an agent refused, and
//! an unknown entity, user or date refused with exit code 1 and one line.

use diesel::prelude::*;

use peygir::db::Db;
use peygir::db::schema::users as users_table;
use peygir::error::{ChangedBy, Error};
use peygir::store::audit::{self, AuditAction, AuditFilter, FieldChange};
use peygir::store::cases::{self, Case, CaseFields};
use peygir::store::contacts::{self, ContactFields};
use peygir::store::lookups::{self, List};
use peygir::store::users::{self, Resolved};
use peygir::store::{Actor, Role};

use crate::support::binary::{self, Run};
use crate::support::{Backend, admin};

/// A user added with `role`, as the actor they would be.
fn user(db: &mut Db, login: &str, name: &str, role: Role) -> Actor {
    let id = users::insert_user(db, login, name, role, None).expect("a user");
    Actor {
        id,
        login: login.into(),
        role,
    }
}

/// A person on file.
fn ali(db: &mut Db, by: &Actor) -> contacts::Contact {
    let fields = ContactFields {
        kind: "person".into(),
        first_name: Some("Ali".into()),
        last_name: Some("Kazemi".into()),
        ..ContactFields::default()
    };
    contacts::create(db, by, fields).expect("a person")
}

/// A case for `customer` with `expert` as its expert, opened by `by`.
fn a_case(db: &mut Db, by: &Actor, expert: &Actor, customer: &contacts::Contact) -> Case {
    peygir::store::ensure_defaults(db).expect("the default statuses");
    let fields = CaseFields {
        title: "Boilers for the new wing".into(),
        contact_id: Some(customer.id),
        expert_id: expert.id,
        ..CaseFields::default()
    };
    cases::create(db, by, fields).expect("a case")
}

/// `case` made most urgent by `by`, from the version `case` has.
fn urgent(db: &mut Db, by: &Actor, case: &Case) -> peygir::error::Result<Case> {
    let fields = CaseFields {
        priority: 1,
        ..case.fields()
    };
    cases::update(db, by, case.id, case.version, fields)
}

store_tests! {
    fn the_log_is_read_newest_first_narrowed_and_a_page_at_a_time(db, backend) {
        let admin = admin(db);
        let sara = user(db, "sara", "Sara Rahimi", Role::Agent);
        let person = ali(db, &admin);
        let case = a_case(db, &admin, &sara, &person);
        urgent(db, &sara, &case).expect("sara saves");

        let everything = audit::search(db, &AuditFilter::default()).expect("the log");
        let ids: Vec<i64> = everything.iter().map(|e| i64::from(e.id)).collect();
        let mut newest_first = ids.clone();
        newest_first.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(ids, newest_first, "newest first");
        assert_eq!(everything[0].action, "update");
        assert_eq!(everything[0].user_id, Some(sara.id));

        let of_case = audit::search(db, &AuditFilter::of(cases::ENTITY, case.id)).expect("read");
        let actions: Vec<&str> = of_case.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["update", "create"]);
        assert!(of_case.iter().all(|e| e.entity == "case" && e.entity_id == i64::from(case.id)));

        let by_sara = AuditFilter { user: Some(sara.id), ..AuditFilter::default() };
        assert_eq!(audit::search(db, &by_sara).expect("read").len(), 1);
        let contacts_only = AuditFilter { entity: Some(contacts::ENTITY.into()), ..AuditFilter::default() };
        let found = audit::search(db, &contacts_only).expect("read");
        assert!(!found.is_empty() && found.iter().all(|e| e.entity == "contact"), "{found:?}");
        let tomorrow = peygir::store::now() + chrono::Duration::days(1);
        let later = AuditFilter { since: Some(tomorrow), ..AuditFilter::default() };
        assert!(audit::search(db, &later).expect("read").is_empty());
        let today = AuditFilter { since: Some(everything[0].at), ..AuditFilter::default() };
        assert!(!audit::search(db, &today).expect("read").is_empty());

        // Two at a time, each page after the last one's id, comes to the whole log.
        let mut paged = Vec::new();
        let mut page = AuditFilter { limit: 2, ..AuditFilter::default() };
        loop {
            let entries = audit::search(db, &page).expect("a page");
            assert!(entries.len() <= 2);
            let Some(last) = entries.last() else { break };
            page.before = Some(last.id);
            paged.extend(entries.iter().map(|e| i64::from(e.id)));
        }
        assert_eq!(paged, ids, "on {backend}");

        let people = audit::authors(db, &everything).expect("who");
        assert_eq!(people.get(&sara.id), Some(&("sara".to_string(), "Sara Rahimi".to_string())));
    }

    fn an_entry_says_which_fields_it_changed(db, backend) {
        let admin = admin(db);
        let person = ali(db, &admin);
        let case = a_case(db, &admin, &admin, &person);
        urgent(db, &admin, &case).expect("saved");
        let trail = audit::search(db, &AuditFilter::of(cases::ENTITY, case.id)).expect("read");
        assert_eq!(
            audit::changes(&trail[0]),
            vec![FieldChange {
                field: "priority".into(),
                before: Some(3.into()),
                after: Some(1.into()),
            }],
            "only the priority, not the version, time or author"
        );
        let made = audit::changes(&trail[1]);
        assert!(made.iter().all(|c| c.before.is_none() && c.after.is_some()), "{made:?}");
        assert!(made.iter().any(|c| c.field == "title"
            && c.after == Some("Boilers for the new wing".into())), "{made:?}");
        assert!(!made.iter().any(|c| c.field == "version"), "{made:?}");
        assert_eq!(AuditAction::parse(&trail[1].action), Some(AuditAction::Create));
    }

    fn the_second_of_two_editors_is_told_who_saved_first_and_keeps_nothing_half_written(db, backend) {
        let admin = admin(db);
        let sara = user(db, "sara", "Sara Rahimi", Role::Agent);
        let reza = user(db, "reza", "Reza Ahmadi", Role::Agent);
        let person = ali(db, &admin);
        let case = a_case(db, &admin, &sara, &person);
        // Both opened the case at the same version; Sara saves first.
        let saved = urgent(db, &sara, &case).expect("sara saves");
        let refused = cases::update(db, &reza, case.id, case.version, CaseFields {
            title: "Reza's title".into(),
            ..case.fields()
        });
        match refused {
            Err(Error::Conflict { by: Some(ChangedBy { ref who, at }), id, .. }) => {
                assert_eq!(who, "Sara Rahimi");
                assert_eq!(at, saved.updated_at);
                assert_eq!(id, i64::from(case.id));
            }
            other => panic!("a conflict naming Sara, not {other:?}"),
        }
        let message = refused.unwrap_err().to_string();
        assert!(message.starts_with("Sara Rahimi saved Case"), "{message}");
        assert!(message.contains("after you opened it"), "{message}");
        let stored = cases::get(db, case.id).expect("the case");
        assert_eq!((stored.title.as_str(), stored.priority), ("Boilers for the new wing", 1));
        assert_eq!(stored.version, saved.version, "nothing of Reza's written");
    }

    fn a_conflict_on_a_row_without_its_author_names_the_audit_logs(db, backend) {
        let admin = admin(db);
        peygir::store::ensure_defaults(db).expect("the default lists");
        let other = user(db, "reza", "Reza Ahmadi", Role::Admin);
        let fax = lookups::find(db, List::FollowupKind, "fax")
            .expect("read")
            .expect("the fax kind");
        lookups::rename(db, &other, fax.id, fax.version, "Fax machine").expect("reza renames");
        let refused = lookups::rename(db, &admin, fax.id, fax.version, "Telefax");
        let message = refused.expect_err("a conflict").to_string();
        assert!(message.starts_with("Reza Ahmadi saved"), "{message}");
    }
}

/// The store the binary and the test both open: the login running the tests is its first admin;
/// Sara, an agent, has made a case most urgent.
struct Setup {
    store: binary::Store,
    case: Case,
}

impl std::ops::Deref for Setup {
    type Target = binary::Store;

    fn deref(&self) -> &binary::Store {
        &self.store
    }
}

fn setup(backend: Backend) -> Option<Setup> {
    let mut store = binary::Store::open(backend, "audit-cli")?;
    let db = &mut store.db;
    let admin = match users::resolve_actor(db, &users::os_login()).expect("the first admin") {
        Resolved::FirstAdmin(a) | Resolved::Existing(a) => a,
    };
    let sara = user(db, "sara", "Sara Rahimi", Role::Agent);
    let person = ali(db, &admin);
    let case = a_case(db, &admin, &sara, &person);
    let case = urgent(db, &sara, &case).expect("sara saves");
    Some(Setup { store, case })
}

impl Setup {
    /// Makes the login running the binary an agent.
    fn demote(&mut self) {
        diesel::update(users_table::table.filter(users_table::login.eq(users::os_login())))
            .set(users_table::role.eq("agent"))
            .execute(&mut self.store.db)
            .expect("demoted");
    }
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON ({e}):\n{run}"))
}

cli_tests! {
    fn a_line_a_change_newest_first_in_local_time(s) {
        let run = s.run(&["audit"]).ok();
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert!(lines[0].starts_with("When") && lines[0].contains("Changes"), "{run}");
        // The newest: Sara's change, at the case's last save shown in Tehran's time (UTC+3:30).
        let local = (s.case.updated_at + chrono::Duration::minutes(210))
            .format("%Y-%m-%d %H:%M")
            .to_string();
        assert!(lines[1].starts_with(&local), "{local} first:\n{run}");
        for text in ["sara", "changed", "case", "Priority: 3 → 1"] {
            assert!(lines[1].contains(text), "{text}:\n{run}");
        }
        assert!(!lines[1].contains("version"), "{run}");
        assert!(run.stdout.contains("created  contact"), "{run}");

        // One row's trail, by user, since a day, and a limit.
        let id = s.case.id.to_string();
        let run = s.run(&["audit", "--entity", "case", "--id", &id]).ok();
        assert_eq!(run.stdout.lines().count(), 3, "heading, change and creation:\n{run}");
        let run = s.run(&["audit", "--by", "sara"]).ok();
        assert_eq!(run.stdout.lines().count(), 2, "{run}");
        let run = s.run(&["audit", "--since", "+1d"]).ok();
        assert_eq!(run.stdout.trim(), "No change in the audit log matches.", "{run}");
        let run = s.run(&["audit", "--since", "today"]).ok();
        assert!(run.stdout.contains("Priority: 3 → 1"), "{run}");
        let run = s.run(&["audit", "--limit", "1"]).ok();
        assert_eq!(run.stdout.lines().count(), 2, "{run}");

        // In Persian, with the Jalali calendar.
        let run = s.run(&["--lang", "fa", "audit", "--limit", "1"]).ok();
        assert!(run.stdout.contains("تغییر") && run.stdout.contains("۱۴۰"), "{run}");
    }

    fn json_keeps_the_full_values_utc_times_and_logins(s) {
        let run = s.run(&["audit", "--entity", "case", "--format", "json"]).ok();
        let entries = json(&run);
        let entries = entries.as_array().expect("an array");
        assert_eq!(entries.len(), 2, "{run}");
        let change = &entries[0];
        assert_eq!(change["user"], "sara");
        assert_eq!(change["action"], "update");
        assert_eq!(change["entity"], "case");
        assert_eq!(change["entity_id"], i64::from(s.case.id));
        assert_eq!(
            change["at"],
            s.case.updated_at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
        );
        assert_eq!(change["old"]["priority"], 3);
        assert_eq!(change["new"]["priority"], 1);
        assert_eq!(change["new"]["title"], "Boilers for the new wing");
        assert_eq!(change["new"]["version"], s.case.version, "the whole row");
        assert_eq!(
            change["changes"],
            serde_json::json!([{ "field": "priority", "before": 3, "after": 1 }])
        );
        assert_eq!(entries[1]["action"], "create");
        assert!(entries[1]["old"].is_null(), "{run}");
        let run = s.run(&["audit", "--since", "+1d", "--format", "json"]).ok();
        assert_eq!(run.stdout, "[]\n");
    }

    fn bad_options_are_refused_in_one_line(s) {
        s.run(&["audit", "--entity", "invoice"])
            .refused(1, "--entity: invoice is not in the list; choose one of contact, contact-link,");
        s.run(&["audit", "--entity", "invoice"]).stderr_has("complaint-action");
        s.run(&["audit", "--by", "nobody"]).refused(1, "--by: nobody is not a Peygir user");
        s.run(&["audit", "--since", "2026-02-30"]).refused(1, "--since: 2026-02-30");
        s.run(&["audit", "--since", "someday"]).refused(1, "--since: someday");
        s.run(&["audit", "--id", "1"]).refused(1, "--entity");
    }

    fn an_agent_may_not_read_the_log(s) {
        s.demote();
        s.run(&["audit"]).refused(1, "may not read the audit log");
        // Nor by the case's expert's own name.
        s.run(&["audit", "--by", "sara"]).refused(1, "may not read the audit log");
    }
}
