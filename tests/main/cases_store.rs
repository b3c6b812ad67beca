//! Sales cases, the follow-up log, planned actions, case statuses and the inbox through the
//! store, on both backends: numbering (also with many writers at once), validation, versions and
//! conflicts, allowed transitions, a won case's sale, the atomic follow-up with its status change
//! and next action (and nothing written when its last part fails), completing, rescheduling and
//! reassigning actions, the inbox's groups, the case list's order, filters and paging (also
//! through ties and missing due times, every way a screen pages, against the list read whole),
//! and teams.

use std::collections::BTreeSet;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use peygir::db::ids::{
    CaseId, CaseStatusId, ContactId, FollowUpId, LookupId, OrgUnitId, PlannedActionId, UserId,
};
use peygir::db::schema::{
    audit_log, cases as cases_table, followups as followups_table, planned_actions,
};
use peygir::db::{self, Db, StoreUrl};
use peygir::error::Error;
use peygir::store::cases::{self, Case, CaseFields, CaseFilter, CaseRow, ClosingInfo, Importance};
use peygir::store::contacts::{self, ContactFields};
use peygir::store::followups::{self, FollowUpFilter, FollowUpInput, NextAction, Subject};
use peygir::store::inbox;
use peygir::store::lookups::{self, List};
use peygir::store::org_units;
use peygir::store::planned::{self, ActionStatus};
use peygir::store::statuses::{self, NewStatus, Outcome};
use peygir::store::users::{self, Resolved};
use peygir::store::{Actor, Role, numbers};

use crate::support::{self, Backend};

/// Who and what the tests work with: the default lists and statuses, an admin, a manager and
/// two agents in a unit under the manager's, an agent elsewhere, and a company with a person.
struct World {
    admin: Actor,
    manager: Actor,
    sara: Actor,
    reza: Actor,
    other: Actor,
    company: ContactId,
    person: ContactId,
    phone: LookupId,
    call: LookupId,
}

fn actor(db: &mut Db, login: &str, role: Role, unit: Option<OrgUnitId>) -> Actor {
    let id = users::insert_user(db, login, login, role, unit).expect("add a user");
    Actor {
        id,
        login: login.into(),
        role,
    }
}

fn world(db: &mut Db) -> World {
    lookups::ensure_defaults(db).expect("default lists and statuses");
    let admin = match users::resolve_actor(db, "admin").expect("the first admin") {
        Resolved::FirstAdmin(a) | Resolved::Existing(a) => a,
    };
    let head = org_units::find_or_add(db, None, "Head office").expect("unit");
    let sales_unit = org_units::find_or_add(db, Some(head), "Sales").expect("unit");
    let tehran = org_units::find_or_add(db, Some(sales_unit), "Tehran sales").expect("unit");
    let support_unit = org_units::find_or_add(db, Some(head), "Support").expect("unit");
    let manager = actor(db, "ali", Role::Manager, Some(sales_unit));
    let sara = actor(db, "sara", Role::Agent, Some(tehran));
    let reza = actor(db, "reza", Role::Agent, Some(sales_unit));
    let other = actor(db, "mina", Role::Agent, Some(support_unit));
    let company = contacts::create(
        db,
        &admin,
        ContactFields {
            kind: "company".into(),
            company_name: Some("Taban Shimi".into()),
            ..ContactFields::default()
        },
    )
    .expect("a company")
    .id;
    let person = contacts::create(
        db,
        &admin,
        ContactFields {
            kind: "person".into(),
            first_name: Some("علی".into()),
            last_name: Some("کاظمی".into()),
            mobile: Some("09121234567".into()),
            ..ContactFields::default()
        },
    )
    .expect("a person")
    .id;
    let phone = lookups::id_of(db, List::FollowupKind, "phone")
        .expect("read")
        .expect("phone");
    let call = lookups::id_of(db, List::ActionKind, "call")
        .expect("read")
        .expect("call");
    World {
        admin,
        manager,
        sara,
        reza,
        other,
        company,
        person,
        phone,
        call,
    }
}

fn status_id(db: &mut Db, code: &str) -> CaseStatusId {
    statuses::find(db, code)
        .expect("read the statuses")
        .unwrap_or_else(|| panic!("no status {code}"))
        .id
}

fn fields(w: &World, title: &str) -> CaseFields {
    CaseFields {
        title: title.into(),
        company_id: Some(w.company),
        contact_id: Some(w.person),
        expert_id: w.sara.id,
        ..CaseFields::default()
    }
}

fn open_case(db: &mut Db, w: &World, title: &str) -> Case {
    cases::create(db, &w.sara, fields(w, title)).unwrap_or_else(|e| panic!("open a case: {e}"))
}

fn invalid_fields<T: std::fmt::Debug>(result: peygir::error::Result<T>) -> BTreeSet<&'static str> {
    match result {
        Err(Error::Invalid(errors)) => errors.iter().map(|e| e.field).collect(),
        other => panic!("expected the change to be refused as invalid, got {other:?}"),
    }
}

fn invalid_text<T: std::fmt::Debug>(result: peygir::error::Result<T>) -> String {
    match result {
        Err(e @ Error::Invalid(_)) => e.to_string(),
        other => panic!("expected the change to be refused as invalid, got {other:?}"),
    }
}

fn now() -> NaiveDateTime {
    peygir::store::now()
}

/// A follow-up on `case` by `by`, of kind phone, with nothing else.
fn call_on(w: &World, case: &Case, by: &Actor, text: &str) -> FollowUpInput {
    FollowUpInput {
        subject: Subject::Case(case.id),
        subject_version: Some(case.version),
        kind_id: w.phone,
        happened_at: now(),
        expert_id: by.id,
        minutes: 4,
        description: text.into(),
        status_after_id: None,
        closing: ClosingInfo::default(),
        next: None,
        completes: None,
    }
}

fn next(w: &World, to: &Actor, due_at: NaiveDateTime, text: &str) -> NextAction {
    NextAction {
        kind_id: w.call,
        description: text.into(),
        assignee_id: to.id,
        due_at,
        estimated_minutes: 15,
    }
}

/// Plans an action on `case` for `to`, due `due_at`, through a follow-up.
fn plan(
    db: &mut Db,
    w: &World,
    case: &Case,
    to: &Actor,
    due_at: NaiveDateTime,
) -> planned::PlannedAction {
    let input = FollowUpInput {
        subject_version: None,
        next: Some(next(w, to, due_at, "call back")),
        ..call_on(w, case, to, "called")
    };
    followups::record(db, to, input)
        .expect("record a follow-up with a next action")
        .next_action
        .expect("the next action")
}

fn count(db: &mut Db, table: &str) -> i64 {
    db::row_count(db, table).expect("count rows")
}

fn numbers_of(rows: &[CaseRow]) -> Vec<String> {
    rows.iter().map(|r| r.number.clone()).collect()
}

store_tests! {
    fn cases_are_numbered_by_jalali_year_and_never_reuse_a_number(db, backend) {
        let w = world(db);
        let year = numbers::jalali_year(chrono::Local::now().date_naive());
        let first = open_case(db, &w, "First");
        let second = open_case(db, &w, "Second");
        assert_eq!(first.number, format!("{year}-00001"));
        assert_eq!(second.number, format!("{year}-00002"));
        assert_eq!(first.status_id, status_id(db, "new"));
        assert_eq!(first.version, 1);
        assert_eq!(first.created_by, w.sara.id);
        // The expert's unit when none is given.
        let tehran = users::get(db, w.sara.id).expect("sara").org_unit_id;
        assert_eq!(first.org_unit_id, tehran);
        // A refused case takes no number.
        let refused = cases::create(db, &w.sara, CaseFields { title: " ".into(), ..fields(&w, "") });
        assert!(refused.is_err());
        assert_eq!(open_case(db, &w, "Third").number, format!("{year}-00003"));
        // The sequence raised (as the demo does) continues from there.
        numbers::raise_to(db, &numbers::case_scope(year), 41).expect("raise");
        assert_eq!(open_case(db, &w, "Fourth").number, format!("{year}-00042"));
        // A number written by something else is skipped, never given twice.
        diesel::update(cases_table::table.find(first.id))
            .set(cases_table::number.eq(format!("{year}-00043")))
            .execute(db)
            .expect("renumber");
        assert_eq!(open_case(db, &w, "Fifth").number, format!("{year}-00044"));
        assert_eq!(
            numbers::last(db, &numbers::case_scope(year)).expect("read"),
            Some(44)
        );
        let found = cases::by_number(db, &format!("{year}-۰۰۰۴۴")).expect("find");
        assert_eq!(found.map(|c| c.title), Some("Fifth".to_string()));
    }

    fn a_case_is_validated_as_a_whole(db, backend) {
        let w = world(db);
        users::insert_user(db, "gone", "Parisa Gone", Role::Agent, None).expect("add");
        let gone = users::by_login(db, "gone").expect("read").expect("gone");
        diesel::update(peygir::db::schema::users::table.find(gone.id))
            .set(peygir::db::schema::users::active.eq(false))
            .execute(db)
            .expect("deactivate");
        let region = lookups::id_of(db, List::Region, "tehran").expect("read").expect("region");
        let bad = CaseFields {
            title: "\u{1b}\u{7} \u{9b}".into(),
            company_id: Some(w.person),
            contact_id: None,
            expert_id: gone.id,
            priority: 9,
            expected_amount: Some(-1),
            // A region where a channel belongs.
            channel_id: Some(region),
            ..CaseFields::default()
        };
        let result = cases::create(db, &w.sara, bad.clone());
        let text = invalid_text(cases::create(db, &w.sara, bad));
        assert_eq!(
            invalid_fields(result),
            BTreeSet::from([
                "field.title",
                "field.company",
                "field.expert",
                "field.priority",
                "field.expected-amount",
                "field.channel",
            ])
        );
        assert!(text.contains("Parisa Gone is inactive"), "{text}");
        assert!(text.contains("is a person, not a company"), "{text}");
        let none = CaseFields { company_id: None, contact_id: None, ..fields(&w, "x") };
        assert_eq!(invalid_fields(cases::create(db, &w.sara, none)), BTreeSet::from(["field.customer"]));
        assert_eq!(count(db, "cases"), 0);
        assert_eq!(count(db, "number_sequences"), 0, "no number was taken");
    }

    fn an_update_bumps_the_version_and_a_stale_or_missing_one_is_refused(db, backend) {
        let w = world(db);
        let case = open_case(db, &w, "Pumps for the new line");
        let changed = CaseFields {
            title: "Pumps and valves".into(),
            importance: Importance::Critical,
            priority: 1,
            expected_amount: Some(5_000_000),
            ..case.fields()
        };
        let updated = cases::update(db, &w.manager, case.id, case.version, changed.clone())
            .expect("update");
        assert_eq!(updated.version, 2);
        assert_eq!(updated.title, "Pumps and valves");
        assert_eq!(updated.importance(), Importance::Critical);
        assert_eq!(updated.updated_by, w.manager.id);
        assert_eq!(updated.number, case.number);
        assert!(matches!(
            cases::update(db, &w.manager, case.id, case.version, changed.clone()),
            Err(Error::Conflict { .. })
        ));
        assert!(matches!(
            cases::update(db, &w.manager, CaseId(9_999), 1, changed),
            Err(Error::NotFound { .. })
        ));
        let trail = peygir::store::audit::history(db, cases::ENTITY, case.id).expect("audit");
        assert_eq!(trail.len(), 2);
        assert_eq!(trail[1].action, "update");
        assert_eq!(trail[1].user_id, Some(w.manager.id));
    }

    fn a_transition_not_allowed_is_refused_naming_the_allowed_ones(db, backend) {
        let w = world(db);
        let case = open_case(db, &w, "Compressors");
        let negotiation = status_id(db, "negotiation");
        let won = status_id(db, "won");
        let lost = status_id(db, "lost");
        let moved = cases::change_status(db, &w.sara, case.id, 1, negotiation, ClosingInfo::default())
            .expect("new → negotiation is allowed");
        assert_eq!(moved.version, 2);
        assert_eq!(moved.status_id, negotiation);
        // Lost needs a reason; then it closes the case.
        assert_eq!(
            invalid_fields(cases::change_status(db, &w.sara, case.id, 2, lost, ClosingInfo::default())),
            BTreeSet::from(["field.close-reason"])
        );
        let price = lookups::id_of(db, List::CloseReason, "price").expect("read").expect("price");
        let closed = cases::change_status(
            db,
            &w.sara,
            case.id,
            2,
            lost,
            ClosingInfo {
                close_reason_id: Some(price),
                close_note: Some(" too dear \u{7}".into()),
                ..ClosingInfo::default()
            },
        )
        .expect("negotiation → lost");
        assert!(closed.closed_at.is_some());
        assert_eq!(closed.close_reason_id, Some(price));
        assert_eq!(closed.close_note.as_deref(), Some("too dear"));
        // From lost only negotiation is allowed, and the refusal says so.
        let text = invalid_text(cases::change_status(db, &w.sara, case.id, 3, won, ClosingInfo::default()));
        assert!(
            text.contains("cannot move from Lost to Won") && text.contains("it can move to Negotiation"),
            "{text}"
        );
        // An admin forbids that too: then no move is allowed at all.
        statuses::forbid(db, &w.admin, lost, negotiation).expect("forbid");
        let text = invalid_text(cases::change_status(db, &w.sara, case.id, 3, negotiation, ClosingInfo::default()));
        assert!(text.contains("no move from Lost is allowed"), "{text}");
        // Moving to the status it is in changes nothing; a stale version is a conflict.
        let same = cases::change_status(db, &w.sara, case.id, 3, lost, ClosingInfo::default())
            .expect("no change");
        assert_eq!(same.version, 3);
        assert!(matches!(
            cases::change_status(db, &w.sara, case.id, 2, lost, ClosingInfo::default()),
            Err(Error::Conflict { .. })
        ));
    }

    fn winning_records_a_sale_and_reopening_removes_it(db, backend) {
        let w = world(db);
        let group = lookups::id_of(db, List::ProductGroup, "equipment.pumps").expect("read").expect("group");
        let region = lookups::id_of(db, List::Region, "tehran.tehran").expect("read").expect("region");
        let case = cases::create(
            db,
            &w.sara,
            CaseFields {
                product_group_id: Some(group),
                region_id: Some(region),
                expected_amount: Some(900),
                ..fields(&w, "Pumps")
            },
        )
        .expect("open");
        let won = status_id(db, "won");
        let negotiation = status_id(db, "negotiation");
        assert_eq!(
            invalid_fields(cases::change_status(db, &w.sara, case.id, 1, won, ClosingInfo::default())),
            BTreeSet::from(["field.won-amount", "field.won-on"])
        );
        let tomorrow = chrono::Utc::now().date_naive() + TimeDelta::days(2);
        assert_eq!(
            invalid_fields(cases::change_status(
                db,
                &w.sara,
                case.id,
                1,
                won,
                ClosingInfo { won_amount: Some(-5), won_on: Some(tomorrow), ..ClosingInfo::default() }
            )),
            BTreeSet::from(["field.won-amount", "field.won-on"])
        );
        assert_eq!(count(db, "sales"), 0);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("a day");
        let closed = cases::change_status(
            db,
            &w.sara,
            case.id,
            1,
            won,
            ClosingInfo { won_amount: Some(1_200), won_on: Some(day), ..ClosingInfo::default() },
        )
        .expect("win");
        assert_eq!(closed.won_amount, Some(1_200));
        assert_eq!(closed.won_on, Some(day));
        assert!(closed.closed_at.is_some());
        let sold = peygir::store::sales::of_case(db, case.id).expect("sales");
        assert_eq!(sold.len(), 1);
        let sale = &sold[0];
        assert_eq!(
            (sale.amount, sale.sold_on, sale.market.as_str(), sale.contact_id),
            (1_200, day, "b2b", w.company)
        );
        assert_eq!(
            (sale.product_group_id, sale.region_id, sale.expert_id),
            (Some(group), Some(region), w.sara.id)
        );
        // Reopened: the sale goes, and so do the closing details.
        let reopened = cases::change_status(db, &w.manager, case.id, 2, negotiation, ClosingInfo::default())
            .expect("reopen");
        assert_eq!(reopened.closed_at, None);
        assert_eq!(reopened.won_amount, None);
        assert_eq!(count(db, "sales"), 0);
        let sale_trail = peygir::store::audit::history(db, peygir::store::sales::ENTITY, sale.id).expect("audit");
        assert_eq!(
            sale_trail.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["create", "delete"]
        );
    }

    fn a_follow_up_with_status_change_next_action_and_completion_is_one_transaction(db, backend) {
        let w = world(db);
        let case = open_case(db, &w, "Valves");
        let due = now() - TimeDelta::hours(2);
        let first = plan(db, &w, &case, &w.sara, due);
        let case = cases::get(db, case.id).expect("case");
        assert_eq!(case.next_due_at, Some(due));
        assert_eq!(case.version, 1, "planning an action is not an edit of the case");
        let proposal = status_id(db, "proposal");
        let later = now() + TimeDelta::days(1);
        let input = FollowUpInput {
            status_after_id: Some(proposal),
            next: Some(next(&w, &w.reza, later, "send the quote")),
            completes: Some((first.id, first.version)),
            description: "  Asked for a quote \u{1b}[31m".into(),
            ..call_on(&w, &case, &w.sara, "")
        };
        assert!(followups::warnings(&input, now()).is_empty());
        let recorded = followups::record(db, &w.sara, input).expect("record");
        let followup = &recorded.followup;
        assert_eq!(followup.description, "Asked for a quote [31m");
        assert_eq!(followup.status_after_id, Some(proposal));
        assert_eq!(followup.case_id, Some(case.id));
        assert!(recorded.status_changed);
        let after = recorded.case.clone().expect("the case");
        assert_eq!(after.status_id, proposal);
        assert_eq!(after.version, 2);
        let new = recorded.next_action.clone().expect("the next action");
        assert_eq!(new.planned_in_followup_id, Some(followup.id));
        assert_eq!(new.assignee_id, w.reza.id);
        assert_eq!(new.status(), ActionStatus::Open);
        let done = recorded.completed.clone().expect("the completed action");
        assert_eq!(done.status(), ActionStatus::Done);
        assert_eq!(done.done_by_followup_id, Some(followup.id));
        assert_eq!(done.done_at, Some(followup.happened_at));
        assert_eq!(done.version, first.version + 1);
        // The case is now ordered by the new action.
        assert_eq!(after.next_due_at, Some(later));
        // Everything is on file and audited.
        assert_eq!(planned::get(db, first.id).expect("read"), done);
        assert_eq!(planned::open_of_case(db, case.id).expect("open"), vec![new.clone()]);
        let log = followups::of_subject(db, Subject::Case(case.id), 10).expect("log");
        assert_eq!(log.len(), 2);
        assert_eq!(log[0].id, followup.id);
        for (entity, id, actions) in [
            (followups::ENTITY, i64::from(followup.id), vec!["create"]),
            (planned::ENTITY, new.id.into(), vec!["create"]),
            (planned::ENTITY, first.id.into(), vec!["create", "update"]),
            (cases::ENTITY, case.id.into(), vec!["create", "update"]),
        ] {
            let trail = peygir::store::audit::history(db, entity, id).expect("audit");
            assert_eq!(
                trail.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
                actions,
                "{entity} {id}"
            );
        }
        // Completing it again (someone else did it meanwhile) is refused, saying so.
        let again = FollowUpInput {
            completes: Some((first.id, first.version)),
            ..call_on(&w, &after, &w.sara, "again")
        };
        let text = invalid_text(followups::record(db, &w.sara, again.clone()));
        assert!(text.contains("Planned action: is already done or cancelled"), "{text}");
        assert_eq!(
            invalid_fields(followups::record(db, &w.sara, again)),
            BTreeSet::from(["field.planned-action"])
        );
        // An action of another case cannot be completed from this one.
        let elsewhere = open_case(db, &w, "Elsewhere");
        let theirs = plan(db, &w, &elsewhere, &w.sara, later);
        let wrong = FollowUpInput {
            completes: Some((theirs.id, theirs.version)),
            ..call_on(&w, &after, &w.sara, "wrong case")
        };
        assert_eq!(
            invalid_fields(followups::record(db, &w.sara, wrong)),
            BTreeSet::from(["field.planned-action"])
        );
    }

    fn a_failure_at_the_last_step_writes_nothing(db, backend) {
        let w = world(db);
        let case = open_case(db, &w, "Bearings");
        let action = plan(db, &w, &case, &w.sara, now() + TimeDelta::hours(3));
        // Someone reschedules the action while the form is open.
        planned::reschedule(db, &w.sara, action.id, action.version, now() + TimeDelta::hours(5))
            .expect("reschedule");
        let case = cases::get(db, case.id).expect("case");
        let before: Vec<i64> = ["followups", "planned_actions", "audit_log", "sales", "cases"]
            .iter()
            .map(|t| count(db, t))
            .collect();
        let won = status_id(db, "won");
        let input = FollowUpInput {
            status_after_id: Some(won),
            closing: ClosingInfo {
                won_amount: Some(700),
                won_on: Some(chrono::Utc::now().date_naive()),
                ..ClosingInfo::default()
            },
            next: Some(next(&w, &w.sara, now() + TimeDelta::days(3), "deliver")),
            // The version the form read: stale by now, found out at the very last step.
            completes: Some((action.id, action.version)),
            ..call_on(&w, &case, &w.sara, "They signed")
        };
        let result = followups::record(db, &w.sara, input);
        assert!(matches!(result, Err(Error::Conflict { .. })), "{result:?}");
        let after: Vec<i64> = ["followups", "planned_actions", "audit_log", "sales", "cases"]
            .iter()
            .map(|t| count(db, t))
            .collect();
        assert_eq!(before, after, "rows were written by a failed follow-up");
        let unchanged = cases::get(db, case.id).expect("case");
        assert_eq!(unchanged, case);
        assert_eq!(planned::get(db, action.id).expect("action").status(), ActionStatus::Open);
    }

    fn a_case_opened_with_its_first_follow_up_is_all_or_nothing(db, backend) {
        let w = world(db);
        let template = open_case(db, &w, "Template");
        let tables = ["cases", "followups", "planned_actions", "audit_log"];
        let counts = |db: &mut Db| tables.iter().map(|t| count(db, t)).collect::<Vec<i64>>();
        // A follow-up that fails (nothing said) takes the new case with it.
        let before = counts(db);
        let bad = FollowUpInput {
            description: "  ".into(),
            ..call_on(&w, &template, &w.sara, "")
        };
        let result = followups::record_on_new_case(db, &w.sara, fields(&w, "Spare parts"), bad);
        assert!(matches!(result, Err(Error::Invalid(_))), "{result:?}");
        assert_eq!(counts(db), before, "a failed first follow-up left rows behind");
        // A good one stores both, the follow-up on the new case.
        let good = FollowUpInput {
            next: Some(next(&w, &w.sara, now() + TimeDelta::days(1), "Send the quote")),
            ..call_on(&w, &template, &w.sara, "Needs spare parts")
        };
        let recorded = followups::record_on_new_case(db, &w.sara, fields(&w, "Spare parts"), good)
            .expect("recorded");
        let case = recorded.case.expect("the new case");
        assert_eq!(case.title, "Spare parts");
        assert_ne!(case.id, template.id);
        assert_eq!(recorded.followup.case_id, Some(case.id));
        assert!(recorded.next_action.is_some());
    }

    fn a_bad_follow_up_names_every_field_and_writes_nothing(db, backend) {
        let w = world(db);
        let case = open_case(db, &w, "Filters");
        users::insert_user(db, "left", "Kaveh Left", Role::Agent, None).expect("add");
        let left = users::by_login(db, "left").expect("read").expect("left");
        diesel::update(peygir::db::schema::users::table.find(left.id))
            .set(peygir::db::schema::users::active.eq(false))
            .execute(db)
            .expect("deactivate");
        let won = status_id(db, "won");
        let input = FollowUpInput {
            kind_id: w.call,
            expert_id: left.id,
            minutes: -3,
            description: " \n\t".into(),
            status_after_id: Some(won),
            next: Some(NextAction {
                description: "".into(),
                kind_id: w.phone,
                estimated_minutes: -1,
                ..next(&w, &w.sara, now(), "x")
            }),
            ..call_on(&w, &case, &w.sara, "")
        };
        let before = count(db, "audit_log");
        let text = invalid_text(followups::record(db, &w.sara, input.clone()));
        assert!(text.contains("Kaveh Left is inactive"), "{text}");
        assert_eq!(
            invalid_fields(followups::record(db, &w.sara, input)),
            BTreeSet::from([
                "field.description",
                "field.kind",
                "field.minutes",
                "field.expert",
                "field.won-amount",
                "field.won-on",
                "field.next-kind",
                "field.next-description",
                "field.estimated-minutes",
            ])
        );
        assert_eq!(count(db, "followups"), 0);
        assert_eq!(count(db, "audit_log"), before);
    }

    fn a_case_deleted_or_changed_while_the_form_was_open_is_refused(db, backend) {
        let w = world(db);
        let case = open_case(db, &w, "Seals");
        let input = call_on(&w, &case, &w.sara, "called");
        cases::update(db, &w.manager, case.id, case.version, CaseFields { priority: 1, ..case.fields() })
            .expect("her manager edits it");
        assert!(matches!(
            followups::record(db, &w.sara, input.clone()),
            Err(Error::Conflict { .. })
        ));
        // Without a version (a script), the follow-up is recorded on the case as it is now.
        let unversioned = FollowUpInput { subject_version: None, ..input.clone() };
        followups::record(db, &w.sara, unversioned).expect("record without a version");
        diesel::delete(followups_table::table).execute(db).expect("clear the log");
        diesel::delete(peygir::db::schema::planned_actions::table).execute(db).expect("clear");
        diesel::delete(cases_table::table.find(case.id)).execute(db).expect("delete the case");
        let result = followups::record(db, &w.sara, input);
        match result {
            Err(e @ Error::NotFound { .. }) => assert!(e.to_string().contains("Case"), "{e}"),
            other => panic!("expected NotFound, got {other:?}"),
        }
        // A follow-up dated ahead and an action due in the past are warned of, not refused.
        let case = open_case(db, &w, "Gaskets");
        let ahead = FollowUpInput {
            happened_at: now() + TimeDelta::hours(3),
            next: Some(next(&w, &w.sara, now() - TimeDelta::days(1), "late already")),
            ..call_on(&w, &case, &w.sara, "x")
        };
        let warned: BTreeSet<&str> = followups::warnings(&ahead, now()).iter().map(|e| e.field).collect();
        assert_eq!(warned, BTreeSet::from(["field.happened-at", "field.due-at"]));
        followups::record(db, &w.sara, ahead).expect("recorded all the same");
    }

    fn rescheduling_reassigning_and_cancelling_check_versions_and_roles(db, backend) {
        let w = world(db);
        let case = open_case(db, &w, "Training");
        let due = now() + TimeDelta::days(2);
        let action = plan(db, &w, &case, &w.sara, due);
        // The assignee reschedules; a stale version is a conflict.
        let sooner = now() + TimeDelta::hours(1);
        let moved = planned::reschedule(db, &w.sara, action.id, action.version, sooner).expect("reschedule");
        assert_eq!((moved.due_at, moved.version), (sooner, action.version + 1));
        assert_eq!(cases::get(db, case.id).expect("case").next_due_at, Some(sooner));
        assert!(matches!(
            planned::reschedule(db, &w.sara, action.id, action.version, due),
            Err(Error::Conflict { .. })
        ));
        // Another agent may not touch it; reassigning is a manager's.
        assert!(matches!(
            planned::reschedule(db, &w.reza, action.id, moved.version, due),
            Err(Error::Forbidden { .. })
        ));
        assert!(matches!(
            planned::reassign(db, &w.sara, action.id, moved.version, w.reza.id),
            Err(Error::Forbidden { .. })
        ));
        users::insert_user(db, "away", "Away Person", Role::Agent, None).expect("add");
        let away = users::by_login(db, "away").expect("read").expect("away");
        diesel::update(peygir::db::schema::users::table.find(away.id))
            .set(peygir::db::schema::users::active.eq(false))
            .execute(db)
            .expect("deactivate");
        assert_eq!(
            invalid_fields(planned::reassign(db, &w.manager, action.id, moved.version, away.id)),
            BTreeSet::from(["field.assignee"])
        );
        let given = planned::reassign(db, &w.manager, action.id, moved.version, w.reza.id).expect("reassign");
        assert_eq!((given.assignee_id, given.updated_by), (w.reza.id, w.manager.id));
        assert_eq!(inbox::count(db, w.sara.id).expect("count"), 0);
        assert_eq!(inbox::count(db, w.reza.id).expect("count"), 1);
        // The new assignee cancels it: it leaves the inbox and the case's order.
        let cancelled = planned::cancel(db, &w.reza, action.id, given.version).expect("cancel");
        assert_eq!(cancelled.status(), ActionStatus::Cancelled);
        assert_eq!(inbox::count(db, w.reza.id).expect("count"), 0);
        assert_eq!(cases::get(db, case.id).expect("case").next_due_at, None);
        assert_eq!(
            invalid_fields(planned::reschedule(db, &w.reza, action.id, cancelled.version, due)),
            BTreeSet::from(["field.planned-action"])
        );
        assert!(matches!(planned::get(db, PlannedActionId(9_999)), Err(Error::NotFound { .. })));
        let trail = peygir::store::audit::history(db, planned::ENTITY, action.id).expect("audit");
        assert_eq!(trail.len(), 4, "created, rescheduled, reassigned, cancelled");
    }

    fn the_inbox_groups_open_actions_oldest_due_first(db, backend) {
        let w = world(db);
        let case = open_case(db, &w, "Maintenance");
        let at = now();
        let day_start = at.date().and_time(chrono::NaiveTime::MIN);
        let dues = [
            at - TimeDelta::days(3),
            at - TimeDelta::minutes(5),
            day_start + TimeDelta::hours(23) + TimeDelta::minutes(59),
            at + TimeDelta::days(2),
            at + TimeDelta::days(9),
        ];
        // Planned in scrambled order; one of them done, one someone else's.
        for &i in &[3, 0, 4, 2, 1] {
            plan(db, &w, &case, &w.sara, dues[i]);
        }
        let for_reza = FollowUpInput {
            subject_version: None,
            next: Some(next(&w, &w.reza, at - TimeDelta::days(1), "hand over")),
            ..call_on(&w, &case, &w.sara, "called")
        };
        let others = followups::record(db, &w.sara, for_reza)
            .expect("sara plans an action for reza")
            .next_action
            .expect("the action");
        let rows = inbox::page(db, w.sara.id, None, 50).expect("page");
        let mut expected = dues.to_vec();
        expected.sort();
        assert_eq!(rows.iter().map(|r| r.due_at).collect::<Vec<_>>(), expected);
        assert!(rows.iter().all(|r| r.case_id == Some(case.id) && r.subject == case.number));
        assert!(rows.iter().all(|r| r.kind == "Call" && r.customer.contains("Taban Shimi")));
        let counts = inbox::counts(db, w.sara.id, at, day_start).expect("counts");
        let today_late = if dues[2] >= at { 1 } else { 0 };
        assert_eq!(counts.overdue, 2 + (1 - today_late));
        assert_eq!(counts.today, today_late);
        assert_eq!(counts.upcoming, 2);
        assert_eq!(inbox::group(dues[0], at, day_start), inbox::Group::Overdue);
        assert_eq!(inbox::group(dues[4], at, day_start), inbox::Group::Upcoming);
        // Paging both ways gives the same order.
        let first = inbox::page(db, w.sara.id, None, 2).expect("page");
        let rest = inbox::page(db, w.sara.id, Some(&inbox::key(&first[1])), 10).expect("page");
        let back = inbox::page_before(db, w.sara.id, &inbox::key(&rest[0]), 10).expect("page");
        assert_eq!(back, first);
        assert_eq!(inbox::last_page(db, w.sara.id, 3).expect("last"), rest);
        // Completing an action takes it out.
        let done = FollowUpInput {
            completes: Some((rows[0].id, rows[0].version)),
            subject_version: None,
            ..call_on(&w, &case, &w.sara, "done")
        };
        followups::record(db, &w.sara, done).expect("complete");
        assert_eq!(inbox::count(db, w.sara.id).expect("count"), 4);
        assert_eq!(inbox::page(db, w.reza.id, None, 5).expect("page")[0].id, others.id);
    }

    fn the_case_list_is_most_urgent_first_filtered_and_paged(db, backend) {
        let w = world(db);
        let at = now();
        let make = |db: &mut Db, title: &str, priority: i32, due: Option<i64>, importance: Importance| {
            let case = cases::create(
                db,
                &w.sara,
                CaseFields { priority, importance, ..fields(&w, title) },
            )
            .expect("open");
            if let Some(hours) = due {
                plan(db, &w, &case, &w.sara, at + TimeDelta::hours(hours));
            }
            case
        };
        let a = make(db, "a", 2, None, Importance::Low);
        let b = make(db, "b", 1, Some(30), Importance::High);
        let c = make(db, "c", 2, Some(5), Importance::Normal);
        let d = make(db, "d", 1, Some(-10), Importance::Normal);
        let e = make(db, "e", 1, None, Importance::Normal);
        let f = make(db, "قیمت پمپ‌ها", 2, Some(5), Importance::Critical);
        let g = make(db, "g", 3, None, Importance::Normal);
        let h = make(db, "h", 2, None, Importance::Normal);
        // Priority 1 by due time, then those without an action (newest first); and so on.
        let expected: Vec<String> = [&d, &b, &e, &f, &c, &h, &a, &g].iter().map(|c| c.number.clone()).collect();
        let all = CaseFilter::default();
        let list = cases::page(db, &all, None, 50).expect("page");
        assert_eq!(numbers_of(&list), expected);
        assert_eq!(cases::page(db, &CaseFilter::default(), None, 50).expect("page"), list);
        assert_eq!(cases::count(db, &all).expect("count"), 8);
        // Page by two forwards, then backwards from the end: the same list.
        let mut forward: Vec<CaseRow> = Vec::new();
        loop {
            let after = forward.last().map(cases::key);
            let page = cases::page(db, &all, after.as_ref(), 2).expect("page");
            if page.is_empty() {
                break;
            }
            forward.extend(page);
        }
        assert_eq!(numbers_of(&forward), expected);
        let mut backward = cases::last_page(db, &all, 2).expect("last");
        loop {
            let page = cases::page_before(db, &all, &cases::key(&backward[0]), 2).expect("page");
            if page.is_empty() {
                break;
            }
            backward.splice(0..0, page);
        }
        assert_eq!(numbers_of(&backward), expected);
        // Filters.
        let only = |filter: CaseFilter, db: &mut Db| numbers_of(&cases::page(db, &filter, None, 50).expect("page"));
        assert_eq!(only(CaseFilter { priority: Some(1), ..all.clone() }, db), numbers_of_cases(&[&d, &b, &e]));
        assert_eq!(
            only(CaseFilter { importance: Some(Importance::Critical), ..all.clone() }, db),
            numbers_of_cases(&[&f])
        );
        // Persian letter variants and digits: Arabic yeh and kaf find the Persian title.
        assert_eq!(only(CaseFilter { search: "قيمت".into(), ..all.clone() }, db), numbers_of_cases(&[&f]));
        assert_eq!(only(CaseFilter { search: f.number.clone(), ..all.clone() }, db), numbers_of_cases(&[&f]));
        // The customer's name or mobile finds every case of theirs.
        assert_eq!(only(CaseFilter { search: "كاظمي ۰۹۱۲".into(), ..all.clone() }, db), expected);
        assert!(only(CaseFilter { search: "nobody".into(), ..all.clone() }, db).is_empty());
        let lost = status_id(db, "lost");
        let price = lookups::id_of(db, List::CloseReason, "price").expect("read").expect("price");
        cases::change_status(
            db,
            &w.sara,
            g.id,
            g.version,
            lost,
            ClosingInfo { close_reason_id: Some(price), ..ClosingInfo::default() },
        )
        .expect("lose g");
        let open: Vec<String> = expected.iter().filter(|n| **n != g.number).cloned().collect();
        assert_eq!(only(CaseFilter { open_only: true, ..all.clone() }, db), open);
        assert_eq!(only(CaseFilter { status_id: Some(lost), ..all.clone() }, db), numbers_of_cases(&[&g]));
        let closed_row = cases::page(db, &CaseFilter { status_id: Some(lost), ..all.clone() }, None, 5)
            .expect("page");
        assert!(closed_row[0].closed && closed_row[0].status == "Lost");
        assert_eq!(only(CaseFilter { expert_id: Some(w.reza.id), ..all.clone() }, db), Vec::<String>::new());
        // The unit filter takes the units below it too.
        let sales_unit = users::get(db, w.manager.id).expect("ali").org_unit_id;
        assert_eq!(only(CaseFilter { org_unit_id: sales_unit, ..all.clone() }, db), expected);
        let support = users::get(db, w.other.id).expect("mina").org_unit_id;
        assert!(only(CaseFilter { org_unit_id: support, ..all.clone() }, db).is_empty());
        // The open cases of a contact, newest first.
        let of_person = cases::open_of_contact(db, w.person).expect("open of contact");
        let mut newest_first: Vec<String> = open.clone();
        newest_first.sort();
        newest_first.reverse();
        assert_eq!(numbers_of(&of_person), newest_first);
        // The demo's way: actions written directly, then every case's next due time refreshed.
        diesel::update(cases_table::table)
            .set(cases_table::next_due_at.eq(None::<NaiveDateTime>))
            .execute(db)
            .expect("forget");
        cases::refresh_all_next_due(db).expect("refresh");
        assert_eq!(numbers_of(&cases::page(db, &all, None, 50).expect("page")), expected);
    }

    fn the_follow_up_log_filters_by_expert_kind_dates_and_case(db, backend) {
        let w = world(db);
        let one = open_case(db, &w, "One");
        let two = open_case(db, &w, "Two");
        let email = lookups::id_of(db, List::FollowupKind, "email").expect("read").expect("email");
        let at = now();
        let log = |db: &mut Db, case: &Case, by: &Actor, kind: LookupId, days_ago: i64| {
            let input = FollowUpInput {
                subject_version: None,
                kind_id: kind,
                happened_at: at - TimeDelta::days(days_ago),
                ..call_on(&w, case, by, &format!("{days_ago} days ago"))
            };
            // Her manager may log on Sara's cases what anyone on the team did.
            followups::record(db, &w.manager, input).expect("record").followup.id
        };
        let a = log(db, &one, &w.sara, w.phone, 1);
        let b = log(db, &two, &w.reza, email, 2);
        let c = log(db, &one, &w.reza, w.phone, 3);
        let d = log(db, &two, &w.sara, email, 10);
        let e = log(db, &one, &w.sara, w.phone, 30);
        let ids = |filter: FollowUpFilter, db: &mut Db| -> Vec<FollowUpId> {
            followups::page(db, &filter, None, 50)
                .expect("page")
                .iter()
                .map(|r| r.id)
                .collect()
        };
        let all = FollowUpFilter::default();
        assert_eq!(ids(all.clone(), db), [a, b, c, d, e]);
        assert_eq!(ids(FollowUpFilter { expert_id: Some(w.sara.id), ..all.clone() }, db), [a, d, e]);
        assert_eq!(ids(FollowUpFilter { kind_id: Some(email), ..all.clone() }, db), [b, d]);
        assert_eq!(ids(FollowUpFilter { case_id: Some(one.id), ..all.clone() }, db), [a, c, e]);
        let week = FollowUpFilter {
            from: Some(at - TimeDelta::days(7)),
            until: Some(at - TimeDelta::days(1)),
            ..all.clone()
        };
        assert_eq!(ids(week.clone(), db), [b, c]);
        assert_eq!(followups::count(db, &week).expect("count"), 2);
        // Paging both ways within a filter.
        let sara = FollowUpFilter { expert_id: Some(w.sara.id), ..all.clone() };
        let first = followups::page(db, &sara, None, 2).expect("page");
        let rest = followups::page(db, &sara, Some(&followups::key(&first[1])), 5).expect("page");
        assert_eq!(rest.iter().map(|r| r.id).collect::<Vec<_>>(), [e]);
        assert_eq!(followups::page_before(db, &sara, &followups::key(&rest[0]), 5).expect("page"), first);
        assert_eq!(followups::last_page(db, &sara, 1).expect("last"), rest);
        assert_eq!(first[0].case_id, Some(one.id));
        assert_eq!(first[0].subject, one.number);
        assert_eq!(followups::page(db, &FollowUpFilter::default(), None, 50).expect("page").len(), 5);
    }

    fn statuses_are_data_an_admin_edits(db, backend) {
        let w = world(db);
        let hold = NewStatus {
            name: "On hold".into(),
            code: None,
            outcome: Outcome::Open,
            initial: false,
        };
        assert!(matches!(statuses::add(db, &w.manager, hold.clone()), Err(Error::Forbidden { .. })));
        let added = statuses::add(db, &w.admin, hold.clone()).expect("add");
        assert_eq!((added.code.as_str(), added.name.as_str(), added.is_initial), ("on-hold", "On hold", false));
        assert_eq!(
            invalid_fields(statuses::add(db, &w.admin, hold)),
            BTreeSet::from(["field.status-name", "field.status-code"])
        );
        assert_eq!(
            invalid_fields(statuses::add(
                db,
                &w.admin,
                NewStatus { name: "Signed".into(), code: None, outcome: Outcome::Won, initial: true }
            )),
            BTreeSet::from(["field.initial"])
        );
        // A new initial status takes the mark from the old one.
        let first = statuses::add(
            db,
            &w.admin,
            NewStatus { name: "Lead".into(), code: Some("lead".into()), outcome: Outcome::Open, initial: true },
        )
        .expect("add");
        assert_eq!(statuses::initial(db).expect("read").map(|s| s.id), Some(first.id));
        let new_status = status_id(db, "new");
        assert!(!statuses::get(db, new_status).expect("new").is_initial);
        assert!(open_case(db, &w, "x").status_id == first.id);
        // Transitions.
        let negotiation = status_id(db, "negotiation");
        assert!(statuses::allow(db, &w.admin, negotiation, added.id).expect("allow"));
        assert!(!statuses::allow(db, &w.admin, negotiation, added.id).expect("again"));
        assert!(statuses::allowed_from(db, negotiation).expect("read").iter().any(|s| s.id == added.id));
        assert!(matches!(
            statuses::allow(db, &w.sara, added.id, negotiation),
            Err(Error::Forbidden { .. })
        ));
        assert_eq!(
            invalid_fields(statuses::allow(db, &w.admin, added.id, added.id)),
            BTreeSet::from(["field.status"])
        );
        assert!(statuses::forbid(db, &w.admin, negotiation, added.id).expect("forbid"));
        assert!(!statuses::forbid(db, &w.admin, negotiation, added.id).expect("again"));
        // Renaming keeps the code; a stale version is a conflict.
        let renamed = statuses::rename(db, &w.admin, added.id, added.version, "Paused").expect("rename");
        assert_eq!((renamed.code.as_str(), renamed.name.as_str()), ("on-hold", "Paused"));
        assert!(matches!(
            statuses::rename(db, &w.admin, added.id, added.version, "Frozen"),
            Err(Error::Conflict { .. })
        ));
        assert_eq!(statuses::find(db, "PAUSED").expect("find").map(|s| s.id), Some(added.id));
        let trail = audit_log::table
            .filter(audit_log::entity.eq_any([statuses::ENTITY, statuses::TRANSITION_ENTITY]))
            .count()
            .get_result::<i64>(db)
            .expect("count");
        // on-hold, lead and its taking the mark from new, allow, forbid, rename.
        assert_eq!(trail, 6);
    }

    fn the_case_list_pages_the_same_every_way_through_tied_and_missing_due_times(db, backend) {
        let w = world(db);
        let at = now();
        // Each case's priority and the hours until its next action is due (none: no open
        // action). Ties in both; cases without a due time in most priorities, none at all in
        // priority 4, only due times in 3, none in 5.
        let shape: [(i32, Option<i64>); 24] = [
            (2, Some(5)), (1, None), (2, None), (5, None), (1, Some(-3)), (2, Some(5)),
            (3, Some(1)), (1, Some(-3)), (5, None), (2, Some(5)), (1, None), (3, Some(1)),
            (2, None), (1, Some(8)), (3, Some(-2)), (5, None), (1, Some(-3)), (2, Some(2)),
            (1, None), (3, Some(1)), (2, None), (1, Some(8)), (5, None), (2, Some(5)),
        ];
        let mut made: Vec<(CaseId, i32, Option<i64>, UserId)> = Vec::new();
        for (i, &(priority, due)) in shape.iter().enumerate() {
            let expert = if i % 3 == 0 { w.reza.id } else { w.sara.id };
            let case = cases::create(
                db,
                &w.admin,
                CaseFields { priority, expert_id: expert, ..fields(&w, &format!("case {i}")) },
            )
            .expect("open");
            diesel::update(cases_table::table.find(case.id))
                .set(cases_table::next_due_at.eq(due.map(|hours| at + TimeDelta::hours(hours))))
                .execute(db)
                .expect("its due time");
            made.push((case.id, priority, due, expert));
        }
        // The list from the cases themselves: by priority; within one, those with a due time by
        // it, then those without; the newest first among equals.
        let in_order = |keep: &dyn Fn(i32, UserId) -> bool| -> Vec<CaseId> {
            let mut rows: Vec<_> = made.iter().filter(|r| keep(r.1, r.3)).collect();
            rows.sort_by_key(|&&(id, priority, due, _)| (priority, due.is_none(), due, std::cmp::Reverse(id)));
            rows.into_iter().map(|r| r.0).collect()
        };
        let filters = [
            (CaseFilter::default(), in_order(&|_, _| true)),
            (CaseFilter { expert_id: Some(w.reza.id), ..CaseFilter::default() }, in_order(&|_, e| e == w.reza.id)),
            (CaseFilter { priority: Some(2), ..CaseFilter::default() }, in_order(&|p, _| p == 2)),
            (CaseFilter { priority: Some(4), ..CaseFilter::default() }, Vec::new()),
            (CaseFilter { open_only: true, ..CaseFilter::default() }, in_order(&|_, _| true)),
        ];
        for (filter, whole) in &filters {
            pages_agree(
                db,
                whole,
                |r: &CaseRow| r.id,
                cases::key,
                |db, after, n| cases::page(db, filter, after, n),
                |db, before, n| cases::page_before(db, filter, before, n),
                |db, n| cases::last_page(db, filter, n),
            );
        }
        let _ = backend;
    }

    fn the_follow_up_log_and_the_inbox_page_the_same_every_way_through_ties(db, backend) {
        let w = world(db);
        let case = open_case(db, &w, "Ties");
        let at = now();
        // Minutes before now each follow-up happened, and after now the action it plans is due:
        // several at the same moment.
        let shape: [i64; 16] = [30, 10, 30, 5, 10, 30, 60, 5, 10, 30, 1, 60, 10, 5, 30, 1];
        for (i, &minutes) in shape.iter().enumerate() {
            let by = if i % 2 == 0 { &w.sara } else { &w.reza };
            let input = FollowUpInput {
                subject_version: None,
                happened_at: at - TimeDelta::minutes(minutes),
                next: Some(next(&w, &w.sara, at + TimeDelta::minutes(minutes), "again")),
                ..call_on(&w, &case, by, &format!("call {i}"))
            };
            followups::record(db, &w.manager, input).expect("record");
        }
        // The log newest first, the latest recorded first among equal times.
        let mut logged: Vec<(NaiveDateTime, FollowUpId, UserId)> = followups_table::table
            .select((followups_table::happened_at, followups_table::id, followups_table::expert_id))
            .load(db)
            .expect("the log");
        logged.sort_by(|a, b| b.cmp(a));
        let log_of = |expert: Option<UserId>| -> Vec<FollowUpId> {
            logged.iter().filter(|r| expert.is_none_or(|e| e == r.2)).map(|r| r.1).collect()
        };
        let filters = [
            (FollowUpFilter::default(), log_of(None)),
            (FollowUpFilter { expert_id: Some(w.reza.id), ..FollowUpFilter::default() }, log_of(Some(w.reza.id))),
            (FollowUpFilter { case_id: Some(case.id), ..FollowUpFilter::default() }, log_of(None)),
        ];
        for (filter, whole) in &filters {
            pages_agree(
                db,
                whole,
                |r: &followups::FollowUpRow| r.id,
                followups::key,
                |db, after, n| followups::page(db, filter, after, n),
                |db, before, n| followups::page_before(db, filter, before, n),
                |db, n| followups::last_page(db, filter, n),
            );
        }
        // Sara's inbox, the earliest due first, the first planned first among equal times.
        let mut open: Vec<(NaiveDateTime, PlannedActionId)> = planned_actions::table
            .filter(planned_actions::assignee_id.eq(w.sara.id))
            .filter(planned_actions::status.eq("open"))
            .select((planned_actions::due_at, planned_actions::id))
            .load(db)
            .expect("the open actions");
        open.sort();
        assert_eq!(open.len(), shape.len());
        let whole: Vec<PlannedActionId> = open.iter().map(|r| r.1).collect();
        let sara = w.sara.id;
        pages_agree(
            db,
            &whole,
            |r: &inbox::InboxRow| r.id,
            inbox::key,
            |db, after, n| inbox::page(db, sara, after, n),
            |db, before, n| inbox::page_before(db, sara, before, n),
            |db, n| inbox::last_page(db, sara, n),
        );
        let _ = backend;
    }

    fn a_manager_sees_their_units_team_and_experts_are_the_active_users(db, backend) {
        let w = world(db);
        let logins = |users: Vec<users::User>| users.into_iter().map(|u| u.login).collect::<BTreeSet<_>>();
        assert_eq!(
            logins(users::team_of(db, &w.manager).expect("team")),
            BTreeSet::from(["ali".to_string(), "reza".to_string(), "sara".to_string()])
        );
        assert_eq!(logins(users::team_of(db, &w.sara).expect("team")), BTreeSet::from(["sara".to_string()]));
        assert_eq!(users::team_of(db, &w.admin).expect("team").len(), 5);
        assert!(users::in_team_of(db, &w.manager, w.sara.id).expect("read"));
        assert!(!users::in_team_of(db, &w.manager, w.other.id).expect("read"));
        diesel::update(peygir::db::schema::users::table.find(w.reza.id))
            .set(peygir::db::schema::users::active.eq(false))
            .execute(db)
            .expect("deactivate");
        let experts = logins(users::experts(db).expect("experts"));
        assert!(!experts.contains("reza") && experts.contains("sara"), "{experts:?}");
        // The inactive stay in the team: their open work may need reassigning.
        assert!(logins(users::team_of(db, &w.manager).expect("team")).contains("reza"));
        let _ = backend;
    }
}

/// Checks a list's keyset reads against `whole`, the ids of the list in order worked out from
/// the rows themselves: the list in one page; paging forwards from the start and backwards from
/// the last page, a page of 1, 2, 3 and 7 rows at a time; and the few rows after and before
/// each row's key, as a screen reads them when it scrolls from there.
pub(crate) fn pages_agree<R, K, I>(
    db: &mut Db,
    whole: &[I],
    id: impl Fn(&R) -> I,
    key: impl Fn(&R) -> K,
    page: impl Fn(&mut Db, Option<&K>, i64) -> peygir::error::Result<Vec<R>>,
    page_before: impl Fn(&mut Db, &K, i64) -> peygir::error::Result<Vec<R>>,
    last_page: impl Fn(&mut Db, i64) -> peygir::error::Result<Vec<R>>,
) where
    I: PartialEq + std::fmt::Debug,
{
    let ids = |rows: &[R]| rows.iter().map(&id).collect::<Vec<I>>();
    let all = page(db, None, 1_000).expect("the whole list");
    assert_eq!(ids(&all), whole, "the whole list in one page");
    for size in [1, 2, 3, 7] {
        let mut forward: Vec<R> = Vec::new();
        for _ in 0..=whole.len() {
            let after = forward.last().map(&key);
            let more = page(db, after.as_ref(), size).expect("the next page");
            assert!(
                more.len() as i64 <= size,
                "a page of {size} holds {}",
                more.len()
            );
            if more.is_empty() {
                break;
            }
            forward.extend(more);
        }
        assert_eq!(ids(&forward), whole, "forwards, {size} at a time");
        let mut backward = last_page(db, size).expect("the last page");
        for _ in 0..=whole.len() {
            let Some(first) = backward.first() else {
                break;
            };
            let earlier = page_before(db, &key(first), size).expect("the page before");
            if earlier.is_empty() {
                break;
            }
            backward.splice(0..0, earlier);
        }
        assert_eq!(
            ids(&backward),
            whole,
            "backwards from the last page, {size} at a time"
        );
    }
    for (i, row) in all.iter().enumerate() {
        let at = key(row);
        let after = page(db, Some(&at), 4).expect("the rows after");
        assert_eq!(
            ids(&after),
            whole[i + 1..(i + 5).min(whole.len())],
            "after row {i}"
        );
        let before = page_before(db, &at, 4).expect("the rows before");
        assert_eq!(
            ids(&before),
            whole[i.saturating_sub(4)..i],
            "before row {i}"
        );
    }
}

fn numbers_of_cases(cases: &[&Case]) -> Vec<String> {
    cases.iter().map(|c| c.number.clone()).collect()
}

/// A store of `backend` that several connections can open: its URL, and what keeps it alive.
fn shared_store(backend: Backend) -> Option<(String, Box<dyn std::any::Any>)> {
    match backend {
        Backend::Sqlite => {
            let folder = tempfile::Builder::new()
                .prefix("peygir-shared-")
                .tempdir()
                .expect("a temporary folder");
            let path = folder.path().join("shared.db");
            let url = path.to_str().expect("UTF-8 path").to_string();
            db::open(&StoreUrl::Sqlite(path)).expect("create the store");
            Some((url, Box::new(folder)))
        }
        Backend::Postgres => {
            let database = support::pg::server()?.migrated_database();
            Some((database.url.clone(), Box::new(database)))
        }
    }
}

/// Four writers, each with its own connection, open 25 cases each at once: 100 distinct numbers,
/// 1 to 100 with none missing, and nothing refused (a busy SQLite writer waits its turn).
fn cases_opened_at_once_get_distinct_consecutive_numbers(backend: Backend) {
    let Some((url, _keep)) = shared_store(backend) else {
        return;
    };
    let store = StoreUrl::parse(&url);
    let mut db = db::connect(&store).expect("connect");
    let w = world(&mut db);
    let (company, person, expert) = (w.company, w.person, w.sara.clone());
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let store = store.clone();
            let expert = expert.clone();
            std::thread::spawn(move || {
                let mut db = db::connect(&store).expect("connect");
                (0..25)
                    .map(|i| {
                        cases::create(
                            &mut db,
                            &expert,
                            CaseFields {
                                title: format!("writer {t} case {i}"),
                                company_id: Some(company),
                                contact_id: Some(person),
                                expert_id: expert.id,
                                ..CaseFields::default()
                            },
                        )
                        .unwrap_or_else(|e| panic!("{backend}: writer {t}, case {i}: {e}"))
                        .number
                    })
                    .collect::<Vec<String>>()
            })
        })
        .collect();
    let mut numbers: Vec<String> = threads
        .into_iter()
        .flat_map(|t| t.join().expect("a writer panicked"))
        .collect();
    numbers.sort();
    let year = numbers::jalali_year(chrono::Local::now().date_naive());
    let expected: Vec<String> = (1..=100).map(|n| numbers::case_number(year, n)).collect();
    assert_eq!(numbers, expected, "{backend}");
    assert_eq!(count(&mut db, "cases"), 100);
}

mod cases_opened_at_once_get_distinct_consecutive_numbers {
    use super::*;

    #[test]
    fn sqlite() {
        cases_opened_at_once_get_distinct_consecutive_numbers(Backend::Sqlite);
    }

    #[test]
    fn postgres() {
        cases_opened_at_once_get_distinct_consecutive_numbers(Backend::Postgres);
    }
}
