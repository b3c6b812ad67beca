//! The reports of the sales team's work (activity, workload, stale cases) on a small known set of
//! cases, follow-ups and planned actions, on both backends: each row against figures worked out
//! by hand, narrowed to an expert and to an organisational unit, a range's first and last
//! moments counted in and those just outside left out, what is due and overdue measured at a
//! given day, and a case's staleness on either side of the `days` boundary.

use chrono::{NaiveDate, NaiveDateTime};

use peygir::db::Db;
use peygir::db::ids::{CaseId, CaseStatusId, LookupId, OrgUnitId, UserId};
use peygir::domain::when;
use peygir::report::{self, Filters, Table};
use peygir::store::cases::{self, NewCase};
use peygir::store::contacts::{self, ContactFields};
use peygir::store::followups::NewFollowUp;
use peygir::store::lookups::{self, List};
use peygir::store::planned::NewPlannedAction;
use peygir::store::{self as store, Role, bulk, names, org_units, statuses, users};

use crate::support::admin;

/// The ids and names the tests use: three experts, two in Tehran and one in Shiraz, and the
/// names of the two kinds of follow-up.
struct Known {
    sara: UserId,
    ali: UserId,
    reza: UserId,
    tehran: OrgUnitId,
    shiraz: OrgUnitId,
    /// The names of the follow-up kinds phone and email.
    phone: String,
    email: String,
}

/// A day of January 2026 at a local time, as the store keeps it (UTC).
fn at(day: u32, hour: u32, minute: u32, second: u32) -> NaiveDateTime {
    let local = jan(day).and_hms_opt(hour, minute, second).expect("a time");
    when::to_utc(local)
}

fn jan(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, day).expect("a day")
}

fn status(db: &mut Db, code: &str) -> CaseStatusId {
    statuses::find(db, code)
        .expect("read the statuses")
        .unwrap_or_else(|| panic!("no status {code}"))
        .id
}

fn entry(db: &mut Db, list: List, code: &str) -> LookupId {
    lookups::id_of(db, list, code)
        .expect("read the list")
        .unwrap_or_else(|| panic!("{code} is a default entry"))
}

/// Seven cases, ten follow-ups and eight planned actions (January 2026, local times):
///
/// | case | expert | status      | opened | expected | follow-ups (kind, when, minutes)                           |
/// |------|--------|-------------|--------|----------|------------------------------------------------------------|
/// | 1    | sara   | negotiation | 1st    | 1000     | phone 15th 10:00 10; email 12th 14:00 95; phone 20th 23:59:59 7 |
/// | 2    | sara   | new         | 2nd    | 500      | email 3rd 09:00 5; phone 5th 23:59:59 20                   |
/// | 3    | sara   | proposal    | 4th    | 300      | none                                                       |
/// | 4    | ali    | qualified   | 3rd    | 700      | phone 6th 00:00 30                                         |
/// | 5    | ali    | new         | 18th   | 200      | none                                                       |
/// | 6    | ali    | won         | 1st    | 900      | phone 9th 23:59:59 12; phone 10th 00:00 8; email 21st 00:00 40 |
/// | 7    | reza   | new         | 2nd    | none     | email 2nd 12:00 15                                         |
///
/// Planned actions (assignee, due, estimated minutes, status): sara 19th 15:00 30, 20th 00:00
/// 15, 20th 23:59:59 10, 21st 00:00 20, all open; ali 19th 23:59:59 45 open, 20th 11:00 60 done,
/// 25th 5 cancelled; reza 22nd 25 open.
fn known(db: &mut Db) -> Known {
    store::ensure_defaults(db).expect("defaults");
    let admin = admin(db);
    let head = org_units::find_or_add(db, None, "Head office").expect("unit");
    let tehran = org_units::find_or_add(db, Some(head), "Tehran sales").expect("unit");
    let shiraz = org_units::find_or_add(db, Some(head), "Shiraz sales").expect("unit");
    let sara =
        users::insert_user(db, "sara", "Sara Rahimi", Role::Agent, Some(tehran)).expect("sara");
    let ali = users::insert_user(db, "ali", "Ali Karimi", Role::Agent, Some(shiraz)).expect("ali");
    let reza =
        users::insert_user(db, "reza", "Reza Ahmadi", Role::Agent, Some(tehran)).expect("reza");
    let customer = contacts::create(
        db,
        &admin,
        ContactFields {
            kind: "company".into(),
            company_name: Some("Pars Tile".into()),
            ..ContactFields::default()
        },
    )
    .expect("a customer")
    .id;
    let (phone, email) = (
        entry(db, List::FollowupKind, "phone"),
        entry(db, List::FollowupKind, "email"),
    );
    let kinds = names::lookups(db, [phone, email]).expect("their names");

    let set = [
        (sara, "negotiation", at(1, 10, 0, 0), Some(1000)),
        (sara, "new", at(2, 10, 0, 0), Some(500)),
        (sara, "proposal", at(4, 10, 0, 0), Some(300)),
        (ali, "qualified", at(3, 10, 0, 0), Some(700)),
        (ali, "new", at(18, 10, 0, 0), Some(200)),
        (ali, "won", at(1, 10, 0, 0), Some(900)),
        (reza, "new", at(2, 10, 0, 0), None),
    ];
    let rows: Vec<NewCase> = set
        .iter()
        .enumerate()
        .map(|(i, &(expert, code, opened, expected))| {
            let number = format!("1404-{:05}", i + 1);
            let title = format!("Case {}", i + 1);
            NewCase {
                search_text: cases::search_text(&number, &title),
                number,
                title,
                company_id: Some(customer),
                expert_id: expert,
                status_id: status(db, code),
                importance: "normal".into(),
                priority: 3,
                expected_amount: expected,
                created_by: admin.id,
                updated_by: admin.id,
                created_at: opened,
                updated_at: opened,
                ..NewCase::default()
            }
        })
        .collect();
    let case: Vec<CaseId> = bulk::cases(db, &rows).expect("the cases");

    // (case, expert, kind, when, minutes)
    let followups = [
        (0, sara, phone, at(15, 10, 0, 0), 10),
        (0, sara, email, at(12, 14, 0, 0), 95),
        (0, sara, phone, at(20, 23, 59, 59), 7),
        (1, sara, email, at(3, 9, 0, 0), 5),
        (1, sara, phone, at(5, 23, 59, 59), 20),
        (3, ali, phone, at(6, 0, 0, 0), 30),
        (5, ali, phone, at(9, 23, 59, 59), 12),
        (5, ali, phone, at(10, 0, 0, 0), 8),
        (5, ali, email, at(21, 0, 0, 0), 40),
        (6, reza, email, at(2, 12, 0, 0), 15),
    ];
    let rows: Vec<NewFollowUp> = followups
        .iter()
        .map(|&(i, expert, kind, happened, minutes)| NewFollowUp {
            case_id: Some(case[i]),
            kind_id: kind,
            happened_at: happened,
            expert_id: expert,
            minutes,
            description: "Talked it over.".into(),
            created_by: admin.id,
            updated_by: admin.id,
            created_at: happened,
            updated_at: happened,
            ..NewFollowUp::default()
        })
        .collect();
    let followup_ids = bulk::followups(db, &rows).expect("the follow-ups");

    let call = entry(db, List::ActionKind, "call");
    // (case, assignee, due, estimated minutes, status)
    let actions = [
        (0, sara, at(19, 15, 0, 0), 30, "open"),
        (1, sara, at(20, 0, 0, 0), 15, "open"),
        (2, sara, at(20, 23, 59, 59), 10, "open"),
        (0, sara, at(21, 0, 0, 0), 20, "open"),
        (3, ali, at(19, 23, 59, 59), 45, "open"),
        (3, ali, at(20, 11, 0, 0), 60, "done"),
        (4, ali, at(25, 10, 0, 0), 5, "cancelled"),
        (6, reza, at(22, 10, 0, 0), 25, "open"),
    ];
    let rows: Vec<NewPlannedAction> = actions
        .iter()
        .map(|&(i, assignee, due, minutes, state)| {
            let done = state == "done";
            NewPlannedAction {
                case_id: Some(case[i]),
                kind_id: call,
                description: "Call back.".into(),
                assignee_id: assignee,
                due_at: due,
                estimated_minutes: minutes,
                status: state.into(),
                done_by_followup_id: done.then_some(followup_ids[5]),
                done_at: done.then_some(due),
                created_by: admin.id,
                updated_by: admin.id,
                created_at: at(1, 9, 0, 0),
                updated_at: at(1, 9, 0, 0),
                ..NewPlannedAction::default()
            }
        })
        .collect();
    bulk::planned_actions(db, &rows).expect("the planned actions");

    Known {
        sara,
        ali,
        reza,
        tehran,
        shiraz,
        phone: kinds[&phone].clone(),
        email: kinds[&email].clone(),
    }
}

/// The filters at the 20th of January, with no range.
fn on_the_20th() -> Filters {
    Filters::new(jan(20))
}

/// The filters of the 10th to the 20th of January.
fn tenth_to_20th() -> Filters {
    Filters {
        from: Some(jan(10)),
        to: Some(jan(20)),
        ..on_the_20th()
    }
}

/// The table's rows as scripts read them.
fn rows(table: &Table) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .map(|row| row.iter().map(report::Value::plain).collect())
        .collect()
}

/// The report called `name` with `filters`.
fn table(db: &mut Db, name: &str, filters: &Filters) -> Table {
    let report = report::find(name).unwrap_or_else(|| panic!("{name} is catalogued"));
    (report.run)(db, filters).expect("the report")
}

/// The report called `name` with `filters`, as plain rows.
fn run(db: &mut Db, name: &str, filters: &Filters) -> Vec<Vec<String>> {
    rows(&table(db, name, filters))
}

/// A row of plain cells.
fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

store_tests! {
    fn activity_counts_follow_ups_and_their_time(db, backend) {
        let k = known(db);
        let (phone, email) = (k.phone.as_str(), k.email.as_str());
        // An expert's kinds come by name.
        assert!(email < phone);
        // The 10th to the 20th: sara's three on case 1 and ali's at midnight starting the 10th;
        // ali's a second before it and at midnight ending the 20th left out, as are the older.
        let activity = table(db, "activity", &tenth_to_20th());
        assert_eq!(activity.chart, [2]);
        assert_eq!(activity.chart_rows, 3);
        assert_eq!(
            activity.columns.iter().map(|c| c.key).collect::<Vec<_>>(),
            ["expert", "kind", "followups", "minutes", "time"]
        );
        assert_eq!(
            rows(&activity),
            [
                row(&["ali", phone, "1", "8", "0h 8m"]),
                row(&["sara", email, "1", "95", "1h 35m"]),
                row(&["sara", phone, "2", "17", "0h 17m"]),
                row(&["Total", "", "4", "120", "2h 0m"]),
            ]
        );
        // Every follow-up.
        assert_eq!(
            run(db, "activity", &on_the_20th()),
            [
                row(&["ali", email, "1", "40", "0h 40m"]),
                row(&["ali", phone, "3", "50", "0h 50m"]),
                row(&["reza", email, "1", "15", "0h 15m"]),
                row(&["sara", email, "2", "100", "1h 40m"]),
                row(&["sara", phone, "3", "37", "0h 37m"]),
                row(&["Total", "", "10", "242", "4h 2m"]),
            ]
        );
    }

    fn activity_range_holds_its_first_and_last_moments(db, backend) {
        let k = known(db);
        let (phone, email) = (k.phone.as_str(), k.email.as_str());
        let days = |from: u32, to: u32| Filters {
            from: Some(jan(from)),
            to: Some(jan(to)),
            ..on_the_20th()
        };
        // The 20th: sara's call a second before midnight; ali's email at midnight is the 21st's.
        assert_eq!(
            run(db, "activity", &days(20, 20)),
            [row(&["sara", phone, "1", "7", "0h 7m"]), row(&["Total", "", "1", "7", "0h 7m"])]
        );
        assert_eq!(
            run(db, "activity", &days(21, 21)),
            [row(&["ali", email, "1", "40", "0h 40m"]), row(&["Total", "", "1", "40", "0h 40m"])]
        );
        // The 9th holds ali's call a second before midnight, not the one at midnight.
        assert_eq!(
            run(db, "activity", &days(9, 9)),
            [row(&["ali", phone, "1", "12", "0h 12m"]), row(&["Total", "", "1", "12", "0h 12m"])]
        );
        // Only a start, only an end.
        let since_the_21st = Filters { from: Some(jan(21)), ..on_the_20th() };
        assert_eq!(run(db, "activity", &since_the_21st), run(db, "activity", &days(21, 21)));
        let up_to_the_5th = Filters { to: Some(jan(5)), ..on_the_20th() };
        assert_eq!(
            run(db, "activity", &up_to_the_5th),
            [
                row(&["reza", email, "1", "15", "0h 15m"]),
                row(&["sara", email, "1", "5", "0h 5m"]),
                row(&["sara", phone, "1", "20", "0h 20m"]),
                row(&["Total", "", "3", "40", "0h 40m"]),
            ]
        );
        // No follow-up in the range: the total alone.
        assert_eq!(
            run(db, "activity", &days(25, 31)),
            [row(&["Total", "", "0", "0", "0h 0m"])]
        );
    }

    fn activity_narrowed_to_an_expert_or_a_unit(db, backend) {
        let k = known(db);
        let (phone, email) = (k.phone.as_str(), k.email.as_str());
        let ali = Filters { expert: Some(k.ali), ..tenth_to_20th() };
        assert_eq!(
            run(db, "activity", &ali),
            [row(&["ali", phone, "1", "8", "0h 8m"]), row(&["Total", "", "1", "8", "0h 8m"])]
        );
        let tehran = Filters { unit: Some(k.tehran), ..on_the_20th() };
        assert_eq!(
            run(db, "activity", &tehran),
            [
                row(&["reza", email, "1", "15", "0h 15m"]),
                row(&["sara", email, "2", "100", "1h 40m"]),
                row(&["sara", phone, "3", "37", "0h 37m"]),
                row(&["Total", "", "6", "152", "2h 32m"]),
            ]
        );
        // An expert and a unit: only if the expert is in it.
        let reza_in_tehran = Filters { expert: Some(k.reza), ..tehran.clone() };
        assert_eq!(
            run(db, "activity", &reza_in_tehran),
            [row(&["reza", email, "1", "15", "0h 15m"]), row(&["Total", "", "1", "15", "0h 15m"])]
        );
        let reza_in_shiraz = Filters { unit: Some(k.shiraz), ..reza_in_tehran };
        assert_eq!(
            run(db, "activity", &reza_in_shiraz),
            [row(&["Total", "", "0", "0", "0h 0m"])]
        );
    }

    fn workload_counts_open_due_today_and_overdue(db, backend) {
        let k = known(db);
        let workload = table(db, "workload", &on_the_20th());
        assert_eq!(workload.chart, [1, 3]);
        assert_eq!(workload.chart_rows, 3);
        assert_eq!(
            workload.columns.iter().map(|c| c.key).collect::<Vec<_>>(),
            ["expert", "open", "due_today", "overdue", "estimated_minutes"]
        );
        // On the 20th: sara's yesterday overdue, midnight and a second before the next due
        // today, tomorrow's neither; ali's done and cancelled actions left out.
        assert_eq!(
            rows(&workload),
            [
                row(&["ali", "1", "0", "1", "45"]),
                row(&["reza", "1", "0", "0", "25"]),
                row(&["sara", "4", "2", "1", "75"]),
                row(&["Total", "6", "2", "2", "145"]),
            ]
        );
        // A day later, today's are overdue and tomorrow's is due.
        let the_21st = Filters::new(jan(21));
        assert_eq!(
            run(db, "workload", &the_21st),
            [
                row(&["ali", "1", "0", "1", "45"]),
                row(&["reza", "1", "0", "0", "25"]),
                row(&["sara", "4", "1", "3", "75"]),
                row(&["Total", "6", "1", "4", "145"]),
            ]
        );
        // Narrowed.
        let shiraz = Filters { unit: Some(k.shiraz), ..on_the_20th() };
        assert_eq!(
            run(db, "workload", &shiraz),
            [row(&["ali", "1", "0", "1", "45"]), row(&["Total", "1", "0", "1", "45"])]
        );
        let sara = Filters { expert: Some(k.sara), ..on_the_20th() };
        assert_eq!(
            run(db, "workload", &sara),
            [row(&["sara", "4", "2", "1", "75"]), row(&["Total", "4", "2", "1", "75"])]
        );
        let sara_in_shiraz = Filters { unit: Some(k.shiraz), ..sara };
        assert_eq!(run(db, "workload", &sara_in_shiraz), [row(&["Total", "0", "0", "0", "0"])]);
    }

    fn stale_cases_are_open_ones_without_a_recent_follow_up(db, backend) {
        let k = known(db);
        // Fourteen days before the 20th: a follow-up since midnight starting the 6th keeps a
        // case fresh. Sara's case 2 was last followed up a second before, her case 3 never
        // (opened on the 4th); reza's case 7 last on the 2nd with no amount. Ali's case 4 was
        // followed up at midnight, his case 5 opened on the 18th, his case 6 is won.
        let stale = table(db, "stale-cases", &on_the_20th());
        assert_eq!(stale.chart, [1]);
        assert_eq!(stale.chart_rows, 2);
        assert_eq!(
            stale.columns.iter().map(|c| c.key).collect::<Vec<_>>(),
            ["expert", "cases", "expected_amount", "oldest_contact"]
        );
        assert_eq!(
            rows(&stale),
            [
                row(&["reza", "1", "0", "2026-01-02"]),
                row(&["sara", "2", "800", "2026-01-04"]),
                row(&["Total", "3", "800", "2026-01-02"]),
            ]
        );
        // A day fewer: ali's case 4 is stale too.
        let thirteen = Filters { days: 13, ..on_the_20th() };
        assert_eq!(
            run(db, "stale-cases", &thirteen),
            [
                row(&["ali", "1", "700", "2026-01-06"]),
                row(&["reza", "1", "0", "2026-01-02"]),
                row(&["sara", "2", "800", "2026-01-04"]),
                row(&["Total", "4", "1500", "2026-01-02"]),
            ]
        );
        // A day more: sara's case 2 is fresh; her case 3, never followed up, still stale.
        let fifteen = Filters { days: 15, ..on_the_20th() };
        assert_eq!(
            run(db, "stale-cases", &fifteen),
            [
                row(&["reza", "1", "0", "2026-01-02"]),
                row(&["sara", "1", "300", "2026-01-04"]),
                row(&["Total", "2", "300", "2026-01-02"]),
            ]
        );
        // Three days before the 22nd: ali's case 5, opened on the 18th and never followed up,
        // is stale too; sara's case 1, followed up on the 20th, is not.
        let later = Filters { days: 3, ..Filters::new(jan(22)) };
        assert_eq!(
            run(db, "stale-cases", &later),
            [
                row(&["ali", "2", "900", "2026-01-06"]),
                row(&["reza", "1", "0", "2026-01-02"]),
                row(&["sara", "2", "800", "2026-01-04"]),
                row(&["Total", "5", "1700", "2026-01-02"]),
            ]
        );
    }

    fn stale_cases_narrowed_to_an_expert_or_a_unit(db, backend) {
        let k = known(db);
        let thirteen = Filters { days: 13, ..on_the_20th() };
        let ali = Filters { expert: Some(k.ali), ..thirteen.clone() };
        assert_eq!(
            run(db, "stale-cases", &ali),
            [row(&["ali", "1", "700", "2026-01-06"]), row(&["Total", "1", "700", "2026-01-06"])]
        );
        let tehran = Filters { unit: Some(k.tehran), ..thirteen.clone() };
        assert_eq!(
            run(db, "stale-cases", &tehran),
            [
                row(&["reza", "1", "0", "2026-01-02"]),
                row(&["sara", "2", "800", "2026-01-04"]),
                row(&["Total", "3", "800", "2026-01-02"]),
            ]
        );
        // Nobody stale in Shiraz at fourteen days: the total alone, with no oldest contact.
        let shiraz = Filters { unit: Some(k.shiraz), ..on_the_20th() };
        assert_eq!(run(db, "stale-cases", &shiraz), [row(&["Total", "0", "0", ""])]);
        let sara = Filters { expert: Some(k.sara), ..on_the_20th() };
        assert_eq!(
            run(db, "stale-cases", &sara),
            [row(&["sara", "2", "800", "2026-01-04"]), row(&["Total", "2", "800", "2026-01-04"])]
        );
    }
}
