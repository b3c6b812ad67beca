//! Who may change what, decided in the store, on both backends: an agent works their own cases
//! and planned actions, a manager those of their organisational unit and the units below it, an
//! admin everything. Each refusal names what was refused and why, and leaves the record as it
//! was.

use chrono::{NaiveDateTime, TimeDelta};

use peygir::db::Db;
use peygir::db::ids::{ContactId, LookupId, OrgUnitId};
use peygir::error::Error;
use peygir::store::cases::{self, Case, CaseFields, ClosingInfo};
use peygir::store::contacts::{self, ContactFields};
use peygir::store::followups::{self, FollowUpInput, NextAction, Subject};
use peygir::store::lookups::{self, List};
use peygir::store::org_units;
use peygir::store::planned::{self, ActionStatus, PlannedAction};
use peygir::store::statuses;
use peygir::store::users::{self, Resolved};
use peygir::store::{Actor, Role};

/// An admin; the manager ali over Sales (and Tehran sales below it); the agents sara (Tehran
/// sales) and reza (Sales); the agent mina in Support, outside ali's units; the manager nima
/// of Support; a customer and the kinds a follow-up needs.
struct World {
    admin: Actor,
    ali: Actor,
    sara: Actor,
    reza: Actor,
    mina: Actor,
    nima: Actor,
    customer: ContactId,
    phone: LookupId,
    call: LookupId,
}

fn actor(db: &mut Db, login: &str, name: &str, role: Role, unit: OrgUnitId) -> Actor {
    let id = users::insert_user(db, login, name, role, Some(unit)).expect("add a user");
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
    let sales = org_units::find_or_add(db, Some(head), "Sales").expect("unit");
    let tehran = org_units::find_or_add(db, Some(sales), "Tehran sales").expect("unit");
    let support = org_units::find_or_add(db, Some(head), "Support").expect("unit");
    let customer = contacts::create(
        db,
        &admin,
        ContactFields {
            kind: "company".into(),
            company_name: Some("Taban Shimi".into()),
            ..ContactFields::default()
        },
    )
    .expect("a customer")
    .id;
    World {
        ali: actor(db, "ali", "Ali", Role::Manager, sales),
        sara: actor(db, "sara", "Sara", Role::Agent, tehran),
        reza: actor(db, "reza", "Reza", Role::Agent, sales),
        mina: actor(db, "mina", "Mina", Role::Agent, support),
        nima: actor(db, "nima", "Nima", Role::Manager, support),
        admin,
        customer,
        phone: lookups::id_of(db, List::FollowupKind, "phone")
            .expect("read")
            .expect("phone"),
        call: lookups::id_of(db, List::ActionKind, "call")
            .expect("read")
            .expect("call"),
    }
}

fn fields(w: &World, expert: &Actor, title: &str) -> CaseFields {
    CaseFields {
        title: title.into(),
        company_id: Some(w.customer),
        expert_id: expert.id,
        ..CaseFields::default()
    }
}

/// A case `expert` opened for themselves.
fn case_of(db: &mut Db, w: &World, expert: &Actor) -> Case {
    cases::create(db, expert, fields(w, expert, "Dosing pumps")).expect("open a case")
}

fn now() -> NaiveDateTime {
    peygir::store::now()
}

/// A phone follow-up on `case` by `by`.
fn call_on(w: &World, case: &Case, by: &Actor) -> FollowUpInput {
    FollowUpInput {
        subject: Subject::Case(case.id),
        subject_version: Some(case.version),
        kind_id: w.phone,
        happened_at: now(),
        expert_id: by.id,
        minutes: 3,
        description: "called".into(),
        status_after_id: None,
        closing: ClosingInfo::default(),
        next: None,
        completes: None,
    }
}

/// An action on `case` for its expert `to`, planned by `to` in a follow-up.
fn action_for(db: &mut Db, w: &World, case: &Case, to: &Actor) -> PlannedAction {
    let input = FollowUpInput {
        subject_version: None,
        next: Some(NextAction {
            kind_id: w.call,
            description: "call back".into(),
            assignee_id: to.id,
            due_at: now() + TimeDelta::days(1),
            estimated_minutes: 10,
        }),
        ..call_on(w, case, to)
    };
    followups::record(db, to, input)
        .expect("plan an action")
        .next_action
        .expect("the action")
}

/// The refusal's text, or a panic when the result is not `Error::Forbidden`.
fn refused<T: std::fmt::Debug>(result: peygir::error::Result<T>) -> String {
    match result {
        Err(e @ Error::Forbidden { .. }) => e.to_string(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn renamed(case: &Case, title: &str) -> CaseFields {
    CaseFields {
        title: title.into(),
        ..case.fields()
    }
}

store_tests! {
    fn the_rule_is_one_function_of_role_and_unit(db, backend) {
        let w = world(db);
        let may = |db: &mut Db, who: &Actor, whom: &Actor| {
            users::may_work_for(db, who, whom.id).expect("read")
        };
        assert!(may(db, &w.sara, &w.sara));
        assert!(!may(db, &w.sara, &w.reza));
        assert!(may(db, &w.ali, &w.ali));
        assert!(may(db, &w.ali, &w.sara), "a unit below the manager's");
        assert!(may(db, &w.ali, &w.reza), "the manager's own unit");
        assert!(!may(db, &w.ali, &w.mina), "another unit");
        assert!(!may(db, &w.nima, &w.sara));
        assert!(may(db, &w.admin, &w.mina));
    }

    fn an_agent_changes_only_their_own_cases(db, backend) {
        let w = world(db);
        let sara = case_of(db, &w, &w.sara);
        let reza = case_of(db, &w, &w.reza);
        let own = cases::update(db, &w.sara, sara.id, sara.version, renamed(&sara, "Mine"))
            .expect("the expert changes their case");
        assert_eq!(own.title, "Mine");
        let text = refused(cases::update(db, &w.sara, reza.id, reza.version, renamed(&reza, "Hers")));
        assert_eq!(
            text,
            format!(
                "sara may not change case {}: it is Reza's work, and an agent works only on their own",
                reza.number
            )
        );
        assert_eq!(cases::get(db, reza.id).expect("read"), reza, "nothing changed");
        let won = statuses::find(db, "negotiation").expect("read").expect("a status").id;
        refused(cases::change_status(db, &w.sara, reza.id, reza.version, won, ClosingInfo::default()));
        assert_eq!(cases::get(db, reza.id).expect("read"), reza, "nothing changed");
        // Giving their own case to someone else is refused too.
        let given = CaseFields { expert_id: w.reza.id, ..own.fields() };
        refused(cases::update(db, &w.sara, own.id, own.version, given));
        assert_eq!(cases::get(db, own.id).expect("read").expert_id, w.sara.id);
    }

    fn an_agent_opens_cases_only_for_themselves(db, backend) {
        let w = world(db);
        let before = cases::count(db, &Default::default()).expect("count");
        let text = refused(cases::create(db, &w.sara, fields(&w, &w.reza, "For Reza")));
        assert_eq!(
            text,
            "sara may not open a case for Reza: it is Reza's work, and an agent works only on their own"
        );
        assert_eq!(cases::count(db, &Default::default()).expect("count"), before);
        cases::create(db, &w.ali, fields(&w, &w.sara, "For Sara")).expect("her manager may");
        cases::create(db, &w.admin, fields(&w, &w.mina, "For Mina")).expect("an admin may");
        refused(cases::create(db, &w.ali, fields(&w, &w.mina, "For Mina")));
    }

    fn a_manager_changes_the_cases_of_their_units_only(db, backend) {
        let w = world(db);
        let sara = case_of(db, &w, &w.sara);
        let mina = case_of(db, &w, &w.mina);
        let changed = cases::update(db, &w.ali, sara.id, sara.version, renamed(&sara, "Checked"))
            .expect("a case of a unit below the manager's");
        assert_eq!((changed.title.as_str(), changed.updated_by), ("Checked", w.ali.id));
        let text = refused(cases::update(db, &w.ali, mina.id, mina.version, renamed(&mina, "No")));
        assert!(
            text.contains("a manager works only for their own unit and the units below it"),
            "{text}"
        );
        assert_eq!(cases::get(db, mina.id).expect("read"), mina, "nothing changed");
        // Reassigning within the team is allowed; to someone outside it is refused.
        let to_reza = CaseFields { expert_id: w.reza.id, ..changed.fields() };
        let moved = cases::update(db, &w.ali, sara.id, changed.version, to_reza).expect("reassign");
        assert_eq!(moved.expert_id, w.reza.id);
        let to_mina = CaseFields { expert_id: w.mina.id, ..moved.fields() };
        let text = refused(cases::update(db, &w.ali, sara.id, moved.version, to_mina));
        assert!(text.starts_with(&format!("ali may not give case {} to Mina:", sara.number)), "{text}");
        assert_eq!(cases::get(db, sara.id).expect("read"), moved, "nothing changed");
    }

    fn an_admin_changes_any_case(db, backend) {
        let w = world(db);
        let mina = case_of(db, &w, &w.mina);
        let changed = cases::update(db, &w.admin, mina.id, mina.version, renamed(&mina, "Admin"))
            .expect("an admin changes any case");
        let to_sara = CaseFields { expert_id: w.sara.id, ..changed.fields() };
        let moved = cases::update(db, &w.admin, mina.id, changed.version, to_sara).expect("reassign");
        assert_eq!(moved.expert_id, w.sara.id);
    }

    fn a_follow_up_on_a_case_is_for_whoever_may_work_for_its_expert(db, backend) {
        let w = world(db);
        let reza = case_of(db, &w, &w.reza);
        let before = followups::count(db, &Default::default()).expect("count");
        let text = refused(followups::record(db, &w.sara, call_on(&w, &reza, &w.sara)));
        assert_eq!(
            text,
            format!(
                "sara may not log a follow-up on case {}: it is Reza's work, and an agent works only on their own",
                reza.number
            )
        );
        refused(followups::record(db, &w.nima, call_on(&w, &reza, &w.nima)));
        assert_eq!(followups::count(db, &Default::default()).expect("count"), before);
        followups::record(db, &w.reza, call_on(&w, &reza, &w.reza)).expect("the expert");
        followups::record(db, &w.ali, call_on(&w, &reza, &w.ali)).expect("their manager");
        followups::record(db, &w.admin, call_on(&w, &reza, &w.admin)).expect("an admin");
    }

    fn a_planned_action_is_changed_by_whoever_may_work_for_its_assignee(db, backend) {
        let w = world(db);
        let case = case_of(db, &w, &w.sara);
        let action = action_for(db, &w, &case, &w.sara);
        let later = now() + TimeDelta::days(3);
        // Another agent may neither reschedule, cancel nor complete it.
        let text = refused(planned::reschedule(db, &w.reza, action.id, action.version, later));
        assert_eq!(
            text,
            format!(
                "reza may not reschedule planned action {}: it is Sara's work, and an agent works only on their own",
                action.id
            )
        );
        refused(planned::cancel(db, &w.reza, action.id, action.version));
        refused(planned::reschedule(db, &w.nima, action.id, action.version, later));
        let case = cases::get(db, case.id).expect("read");
        let by_reza = FollowUpInput {
            completes: Some((action.id, action.version)),
            ..call_on(&w, &case, &w.reza)
        };
        refused(followups::record(db, &w.reza, by_reza));
        assert_eq!(planned::get(db, action.id).expect("read"), action, "nothing changed");
        // Its assignee, their manager and an admin may.
        let moved = planned::reschedule(db, &w.sara, action.id, action.version, later).expect("the assignee");
        let moved = planned::reschedule(db, &w.ali, action.id, moved.version, later + TimeDelta::hours(1))
            .expect("the manager");
        let moved = planned::reschedule(db, &w.admin, action.id, moved.version, later).expect("an admin");
        let done = FollowUpInput {
            completes: Some((action.id, moved.version)),
            ..call_on(&w, &case, &w.sara)
        };
        let done = followups::record(db, &w.sara, done).expect("the assignee completes it");
        assert_eq!(done.completed.expect("completed").status(), ActionStatus::Done);
    }

    fn reassigning_an_action_stays_within_the_managers_units(db, backend) {
        let w = world(db);
        let case = case_of(db, &w, &w.sara);
        let action = action_for(db, &w, &case, &w.sara);
        let text = refused(planned::reassign(db, &w.ali, action.id, action.version, w.mina.id));
        assert!(text.starts_with(&format!("ali may not give planned action {} to Mina:", action.id)), "{text}");
        refused(planned::reassign(db, &w.nima, action.id, action.version, w.mina.id));
        assert_eq!(planned::get(db, action.id).expect("read"), action, "nothing changed");
        let given = planned::reassign(db, &w.ali, action.id, action.version, w.reza.id).expect("within");
        assert_eq!(given.assignee_id, w.reza.id);
        let given = planned::reassign(db, &w.admin, action.id, given.version, w.mina.id).expect("an admin");
        assert_eq!(given.assignee_id, w.mina.id);
        refused(planned::reassign(db, &w.ali, action.id, given.version, w.reza.id));
    }
}
