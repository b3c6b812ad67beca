use std::collections::BTreeSet;

use diesel::prelude::*;

use super::identifiers::{jalali_year, persian_digits, ymd};
use super::*;
use crate::db::schema::{
    audit_log, case_statuses, cases, complaints, contacts, followups, lookups, number_sequences,
    planned_actions, sales,
};
use crate::domain::iran;
use crate::store::users::{Resolved, resolve_actor};

/// A fixed day, so that two runs compare equal whatever the clock says.
fn today() -> NaiveDate {
    ymd(2026, 11, 15)
}

fn store(dir: &tempfile::TempDir, name: &str) -> (Db, Actor) {
    let url = StoreUrl::Sqlite(dir.path().join(name));
    let mut db = crate::db::open(&url).expect("open the store");
    let actor = match resolve_actor(&mut db, "tester").expect("actor") {
        Resolved::FirstAdmin(actor) | Resolved::Existing(actor) => actor,
    };
    (db, actor)
}

fn small(seed: u64) -> DemoOptions {
    DemoOptions {
        contacts: 300,
        cases: 120,
        followups: 1_500,
        seed,
    }
}

fn fill_small(db: &mut Db, actor: &Actor, seed: u64) -> Summary {
    let hidden = Progress::new(ProgressDrawTarget::hidden());
    fill(db, actor, &small(seed), today(), &hidden).expect("demo data")
}

type ContactKey = (String, Option<String>, Option<String>, Option<String>);
type CaseKey = (String, String, i64, Option<i64>, NaiveDateTime);
type FollowUpKey = (Option<i64>, Option<i64>, NaiveDateTime, String, Option<i64>);

fn snapshot(
    db: &mut Db,
) -> (
    Vec<ContactKey>,
    Vec<CaseKey>,
    Vec<FollowUpKey>,
    Vec<NaiveDateTime>,
) {
    let people = contacts::table
        .order(contacts::id)
        .select((
            contacts::display_name,
            contacts::national_code,
            contacts::company_national_id,
            contacts::mobile,
        ))
        .load(db)
        .expect("contacts");
    let files = cases::table
        .order(cases::id)
        .select((
            cases::number,
            cases::title,
            cases::status_id,
            cases::expected_amount,
            cases::created_at,
        ))
        .load(db)
        .expect("cases");
    let log = followups::table
        .order(followups::id)
        .select((
            followups::case_id,
            followups::complaint_id,
            followups::happened_at,
            followups::description,
            followups::status_after_id,
        ))
        .load(db)
        .expect("follow-ups");
    let due = planned_actions::table
        .order(planned_actions::id)
        .select(planned_actions::due_at)
        .load(db)
        .expect("planned actions");
    (people, files, log, due)
}

#[test]
fn the_same_seed_gives_the_same_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut first, actor) = store(&dir, "first.db");
    let (mut second, actor2) = store(&dir, "second.db");
    let (mut other, actor3) = store(&dir, "other.db");
    assert_eq!(
        fill_small(&mut first, &actor, 7),
        fill_small(&mut second, &actor2, 7)
    );
    fill_small(&mut other, &actor3, 8);
    let a = snapshot(&mut first);
    assert_eq!(a.0.len(), 300);
    assert_eq!(a.1.len(), 120);
    assert_eq!(a.2.len(), 1_500);
    assert_eq!(a, snapshot(&mut second));
    assert_ne!(a.0, snapshot(&mut other).0);
}

#[test]
fn the_data_covers_every_status_kind_and_due_date() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut db, actor) = store(&dir, "demo.db");
    let summary = fill_small(&mut db, &actor, 7);
    assert_eq!(summary.contacts, 300);
    assert_eq!(summary.cases, 120);
    assert_eq!(summary.followups, 1_500);
    assert_eq!(summary.complaints, 12);

    let unused_statuses: Vec<String> = case_statuses::table
        .filter(diesel::dsl::not(diesel::dsl::exists(
            cases::table.filter(cases::status_id.eq(case_statuses::id)),
        )))
        .select(case_statuses::code)
        .load(&mut db)
        .expect("statuses");
    assert!(unused_statuses.is_empty(), "no case in {unused_statuses:?}");

    let importances: BTreeSet<String> = cases::table
        .select(cases::importance)
        .load::<String>(&mut db)
        .expect("importance")
        .into_iter()
        .collect();
    assert_eq!(importances.len(), 4, "{importances:?}");

    let unused_kinds: Vec<String> = lookups::table
        .filter(lookups::list.eq("followup_kind"))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            followups::table.filter(followups::kind_id.eq(lookups::id)),
        )))
        .select(lookups::code)
        .load(&mut db)
        .expect("kinds");
    assert!(
        unused_kinds.is_empty(),
        "follow-up kinds never used: {unused_kinds:?}"
    );

    let complaint_statuses: BTreeSet<String> = complaints::table
        .select(complaints::status)
        .load::<String>(&mut db)
        .expect("complaints")
        .into_iter()
        .collect();
    let every: BTreeSet<String> = crate::store::complaints::ComplaintStatus::ALL
        .iter()
        .map(|s| s.as_str().to_string())
        .collect();
    assert_eq!(complaint_statuses, every);
    // Every complaint has its service level's due times, the resolution no sooner than the
    // first response, both after it was received.
    let due: Vec<(NaiveDateTime, Option<NaiveDateTime>, Option<NaiveDateTime>)> = complaints::table
        .select((
            complaints::received_at,
            complaints::response_due_at,
            complaints::resolution_due_at,
        ))
        .load(&mut db)
        .expect("due times");
    for (received, response, resolution) in due {
        let (Some(response), Some(resolution)) = (response, resolution) else {
            panic!("a complaint received at {received} has no due times");
        };
        assert!(
            received < response && response <= resolution,
            "{received} {response} {resolution}"
        );
    }

    let open_due: Vec<NaiveDateTime> = planned_actions::table
        .filter(planned_actions::status.eq("open"))
        .select(planned_actions::due_at)
        .load(&mut db)
        .expect("open actions");
    let midnight = today().and_time(NaiveTime::MIN);
    assert!(open_due.iter().any(|d| *d < midnight), "nothing overdue");
    assert!(
        open_due.iter().any(|d| d.date() == today()),
        "nothing due today"
    );
    assert!(
        open_due.iter().any(|d| d.date() > today()),
        "nothing upcoming"
    );
    let done_without_followup: i64 = planned_actions::table
        .filter(planned_actions::status.eq("done"))
        .filter(planned_actions::done_by_followup_id.is_null())
        .count()
        .get_result(&mut db)
        .expect("done actions");
    assert_eq!(done_without_followup, 0);
    let done: i64 = planned_actions::table
        .filter(planned_actions::status.eq("done"))
        .count()
        .get_result(&mut db)
        .expect("done actions");
    assert!(done > 0);

    let audit: Vec<(String, Option<String>)> = audit_log::table
        .filter(audit_log::entity.eq(ENTITY))
        .select((audit_log::action, audit_log::new_values))
        .load(&mut db)
        .expect("audit");
    assert_eq!(audit.len(), 1);
    assert!(
        audit[0]
            .1
            .as_deref()
            .is_some_and(|v| v.contains("\"cases\":120"))
    );
}

#[test]
fn every_open_case_has_one_next_action_and_a_closed_one_none() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut db, actor) = store(&dir, "demo.db");
    fill_small(&mut db, &actor, 11);
    let open_case_ids: Vec<i64> = cases::table
        .inner_join(case_statuses::table.on(case_statuses::id.eq(cases::status_id)))
        .filter(case_statuses::outcome.eq("open"))
        .select(cases::id)
        .load(&mut db)
        .expect("open cases");
    let with_action: Vec<Option<i64>> = planned_actions::table
        .filter(planned_actions::status.eq("open"))
        .filter(planned_actions::case_id.is_not_null())
        .select(planned_actions::case_id)
        .load(&mut db)
        .expect("actions");
    let with_action: Vec<i64> = with_action.into_iter().flatten().collect();
    let unique: BTreeSet<i64> = with_action.iter().copied().collect();
    assert_eq!(
        unique.len(),
        with_action.len(),
        "a case with two open actions"
    );
    assert_eq!(unique, open_case_ids.into_iter().collect());
    // The case list's order and search are kept: a case's next due time is its open
    // action's, and its search text holds its number.
    let due: BTreeMap<i64, NaiveDateTime> = planned_actions::table
        .filter(planned_actions::status.eq("open"))
        .filter(planned_actions::case_id.is_not_null())
        .select((planned_actions::case_id, planned_actions::due_at))
        .load::<(Option<i64>, NaiveDateTime)>(&mut db)
        .expect("actions")
        .into_iter()
        .filter_map(|(case, at)| case.map(|c| (c, at)))
        .collect();
    let kept: Vec<(i64, String, Option<NaiveDateTime>, String)> = cases::table
        .select((
            cases::id,
            cases::number,
            cases::next_due_at,
            cases::search_text,
        ))
        .load(&mut db)
        .expect("cases");
    for (id, number, next_due, search) in kept {
        assert_eq!(next_due, due.get(&id).copied(), "case {number}");
        assert!(search.contains(&number), "{search:?} lacks {number}");
    }
}

#[test]
fn a_case_reaches_its_status_in_its_last_follow_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut db, actor) = store(&dir, "demo.db");
    fill_small(&mut db, &actor, 3);
    let rows: Vec<(i64, i64, Option<i64>)> = followups::table
        .inner_join(cases::table.on(followups::case_id.eq(cases::id.nullable())))
        .order((followups::case_id, followups::happened_at, followups::id))
        .select((cases::id, cases::status_id, followups::status_after_id))
        .load(&mut db)
        .expect("follow-ups");
    let mut last: BTreeMap<i64, (i64, Option<i64>)> = BTreeMap::new();
    for (case, status, after) in rows {
        last.insert(case, (status, after));
    }
    assert!(!last.is_empty());
    let initial: i64 = case_statuses::table
        .filter(case_statuses::is_initial.eq(true))
        .select(case_statuses::id)
        .first(&mut db)
        .expect("initial status");
    for (case, (status, after)) in last {
        if status == initial {
            assert_eq!(after, None, "case {case}");
        } else {
            assert_eq!(after, Some(status), "case {case}");
        }
    }
    let moved: i64 = followups::table
        .filter(followups::status_after_id.is_not_null())
        .count()
        .get_result(&mut db)
        .expect("count");
    assert!(moved > 0);
}

#[test]
fn identifiers_are_valid_and_unique_and_numbers_continue() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut db, actor) = store(&dir, "demo.db");
    fill_small(&mut db, &actor, 5);
    let codes: Vec<(Option<String>, Option<String>)> = contacts::table
        .select((contacts::national_code, contacts::company_national_id))
        .load(&mut db)
        .expect("codes");
    let national: Vec<String> = codes.iter().filter_map(|c| c.0.clone()).collect();
    let company: Vec<String> = codes.iter().filter_map(|c| c.1.clone()).collect();
    assert!(national.len() > 100 && company.len() > 30);
    assert!(national.iter().all(|c| iran::is_valid_national_code(c)));
    assert!(
        company
            .iter()
            .all(|c| iran::is_valid_company_national_id(c))
    );
    assert_eq!(
        national.iter().collect::<BTreeSet<_>>().len(),
        national.len()
    );
    assert_eq!(company.iter().collect::<BTreeSet<_>>().len(), company.len());

    // Each year's sequence stands at its last case number.
    let numbers: Vec<String> = cases::table
        .select(cases::number)
        .load(&mut db)
        .expect("numbers");
    let mut last: BTreeMap<String, i64> = BTreeMap::new();
    for number in numbers {
        let (year, seq) = number.split_once('-').expect("year-sequence");
        let seq: i64 = seq.parse().expect("a number");
        let entry = last.entry(format!("case:{year}")).or_default();
        *entry = (*entry).max(seq);
    }
    for (scope, value) in last {
        let stored: i64 = number_sequences::table
            .find(&scope)
            .select(number_sequences::last_value)
            .first(&mut db)
            .expect("sequence");
        assert_eq!(stored, value, "{scope}");
    }
}

#[test]
fn every_won_case_is_a_sale_and_plans_have_targets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut db, actor) = store(&dir, "demo.db");
    let summary = fill_small(&mut db, &actor, 9);
    let won: Vec<(i64, Option<i64>)> = cases::table
        .inner_join(case_statuses::table.on(case_statuses::id.eq(cases::status_id)))
        .filter(case_statuses::outcome.eq("won"))
        .select((cases::id, cases::won_amount))
        .load(&mut db)
        .expect("won");
    assert!(!won.is_empty());
    for (id, amount) in won {
        let sold: Vec<i64> = sales::table
            .filter(sales::case_id.eq(id))
            .select(sales::amount)
            .load(&mut db)
            .expect("sale");
        assert_eq!(sold, vec![amount.expect("won amount")]);
    }
    assert_eq!(summary.sales_plans, 3);
    let targets: Vec<i64> = crate::db::schema::plan_lines::table
        .select(crate::db::schema::plan_lines::target_amount)
        .load(&mut db)
        .expect("targets");
    assert!(!targets.is_empty() && targets.iter().all(|t| *t > 0));
}

#[test]
fn a_store_with_contacts_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut db, actor) = store(&dir, "demo.db");
    fill_small(&mut db, &actor, 7);
    let before = crate::db::row_count(&mut db, "followups").expect("count");
    let hidden = Progress::new(ProgressDrawTarget::hidden());
    let error = fill(&mut db, &actor, &small(8), today(), &hidden).expect_err("refused");
    assert_eq!(error.to_string(), t!("demo.not-empty"));
    assert_eq!(
        crate::db::row_count(&mut db, "followups").expect("count"),
        before
    );
    // The indexes dropped for the load are back after the refusal rolled it back.
    let indexes: i64 = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index' AND tbl_name = 'followups' AND sql IS NOT NULL",
    )
    .get_result::<Count>(&mut db)
    .expect("indexes")
    .n;
    assert_eq!(indexes, 5);
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[test]
fn only_an_admin_may_fill_the_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut db, _admin) = store(&dir, "demo.db");
    let id = crate::store::users::insert_user(&mut db, "agent", "Agent", Role::Agent, None)
        .expect("agent");
    let agent = Actor {
        id,
        login: "agent".into(),
        role: Role::Agent,
    };
    let hidden = Progress::new(ProgressDrawTarget::hidden());
    assert!(fill(&mut db, &agent, &small(1), today(), &hidden).is_err());
    assert_eq!(crate::db::row_count(&mut db, "contacts").expect("count"), 0);
}

#[test]
fn the_jalali_year_turns_at_nowruz() {
    assert_eq!(jalali_year(ymd(2026, 3, 20)), 1404);
    assert_eq!(jalali_year(ymd(2026, 3, 21)), 1405);
    assert_eq!(jalali_year(ymd(2026, 11, 29)), 1405);
    assert_eq!(persian_digits("1405-07"), "۱۴۰۵-۰۷");
}
