//! Complaints through the store, on both backends: recording one (its number, its first history
//! step, its due times counted in working time across a Thursday half-day, a Friday and the
//! Nowruz holidays), the process with the rule of each step, reopening, a stale version, bad
//! input, corrective and preventive actions, the service-level clocks, and the list in due
//! order with its filters, paged every way through tied and missing due times.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use peygir::db::Db;
use peygir::db::ids::{ComplaintId, ContactId, LookupId};
use peygir::db::schema::complaints as complaints_table;
use peygir::domain::when;
use peygir::error::Error;
use peygir::store::complaints::{
    self, ActionKind, Clock, Complaint, ComplaintFields, ComplaintFilter, ComplaintStatus,
    StatusChange,
};
use peygir::store::contacts::{self, ContactFields};
use peygir::store::inbox;
use peygir::store::lookups::{self, List};
use peygir::store::sla::{self, NewHoliday, Severity};
use peygir::store::{self as store, Actor};

use crate::cases_store::pages_agree;
use crate::support::admin;

/// A wall-clock time in the office, as the UTC time the store keeps.
fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    let day = NaiveDate::from_ymd_opt(y, m, d).expect("a date");
    when::to_utc(day.and_hms_opt(h, min, 0).expect("a time"))
}

struct World {
    admin: Actor,
    customer: ContactId,
    root_cause: LookupId,
}

fn world(db: &mut Db) -> World {
    store::ensure_defaults(db).expect("defaults");
    let admin = admin(db);
    let customer = contacts::create(
        db,
        &admin,
        ContactFields {
            kind: "company".into(),
            company_name: Some("Azar Steel".into()),
            ..ContactFields::default()
        },
    )
    .expect("a customer")
    .id;
    let root_cause = lookups::id_of(db, List::RootCause, "delivery")
        .expect("read")
        .expect("a default root cause");
    World {
        admin,
        customer,
        root_cause,
    }
}

fn fields(w: &World, received_at: NaiveDateTime) -> ComplaintFields {
    ComplaintFields {
        title: "Pump delivered with a cracked housing".into(),
        description: "The housing was cracked on arrival.".into(),
        contact_id: w.customer,
        severity: Severity::Critical,
        expert_id: w.admin.id,
        received_at: Some(received_at),
        remedy_requested: Some("Replace the pump".into()),
        ..ComplaintFields::default()
    }
}

/// The fields a refused change names.
fn invalid(result: Result<impl std::fmt::Debug, Error>) -> Vec<&'static str> {
    match result {
        Err(Error::Invalid(errors)) => errors.iter().map(|e| e.field).collect(),
        other => panic!("expected the change refused as invalid, got {other:?}"),
    }
}

fn step(
    db: &mut Db,
    w: &World,
    complaint: &Complaint,
    to: ComplaintStatus,
    change: StatusChange,
) -> Result<Complaint, Error> {
    complaints::change_status(db, &w.admin, complaint.id, complaint.version, to, change)
}

fn note(text: &str) -> StatusChange {
    StatusChange {
        note: Some(text.into()),
        ..StatusChange::default()
    }
}

store_tests! {
    fn a_complaint_is_numbered_and_its_due_times_skip_friday_and_nowruz(db, backend) {
        let w = world(db);
        sla::add_holidays(
            db,
            &w.admin,
            (21..=24)
                .map(|d| NewHoliday {
                    day: NaiveDate::from_ymd_opt(2026, 3, d).expect("a date"),
                    name: "Nowruz".into(),
                })
                .collect(),
        )
        .unwrap_or_else(|e| panic!("holidays: {e:?}"));
        // Wednesday 18 March 2026, 15:00, critical: 2 working hours to respond, 8 to resolve.
        let received = local(2026, 3, 18, 15, 0);
        let c = complaints::create(db, &w.admin, fields(&w, received)).expect("recorded");
        assert_eq!(c.number, "C-1404-00001");
        assert_eq!(c.status(), ComplaintStatus::Received);
        assert_eq!(c.severity(), Severity::Critical);
        assert_eq!(c.remedy_requested.as_deref(), Some("Replace the pump"));
        // An hour on Wednesday, then Thursday from 08:00.
        assert_eq!(c.response_due_at, Some(local(2026, 3, 19, 9, 0)));
        // One hour Wednesday, four on Thursday's half day, Friday off, Nowruz off (Saturday to
        // Tuesday), the last three on Wednesday 25 March.
        assert_eq!(c.resolution_due_at, Some(local(2026, 3, 25, 11, 0)));
        let history = complaints::history(db, c.id).expect("history");
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].to_status, "received");
        assert_eq!(history[0].changed_at, received);
        let next = complaints::create(db, &w.admin, fields(&w, received)).expect("another");
        assert_eq!(next.number, "C-1404-00002");
        assert_eq!(complaints::by_number(db, "c-1404-00002").expect("find").map(|c| c.id), Some(next.id));
    }

    fn the_process_keeps_its_rules_and_records_who_when_and_why(db, backend) {
        let w = world(db);
        let c = complaints::create(db, &w.admin, fields(&w, local(2026, 11, 30, 9, 0)))
            .expect("recorded");
        // Straight to closed is not a step of the process.
        assert_eq!(invalid(step(db, &w, &c, ComplaintStatus::Closed, note("done"))), ["field.status"]);
        let c = step(db, &w, &c, ComplaintStatus::Acknowledged, note("Called back")).expect("ack");
        assert!(c.acknowledged_at.is_some());
        let c = step(db, &w, &c, ComplaintStatus::Investigating, StatusChange::default())
            .expect("investigate");
        // Action taken needs the root cause found.
        assert_eq!(
            invalid(step(db, &w, &c, ComplaintStatus::ActionTaken, StatusChange::default())),
            ["field.root-cause"]
        );
        let c = step(
            db,
            &w,
            &c,
            ComplaintStatus::ActionTaken,
            StatusChange { root_cause_id: Some(w.root_cause), ..StatusChange::default() },
        )
        .expect("action taken");
        assert_eq!(c.root_cause_id, Some(w.root_cause));
        // Proposing needs the resolution written.
        assert_eq!(
            invalid(step(db, &w, &c, ComplaintStatus::ResolutionProposed, StatusChange::default())),
            ["field.resolution"]
        );
        let c = step(
            db,
            &w,
            &c,
            ComplaintStatus::ResolutionProposed,
            StatusChange { resolution: Some("A new pump, shipped".into()), ..StatusChange::default() },
        )
        .expect("proposed");
        assert!(c.resolved_at.is_some());
        // The customer turns it down: escalated, then proposed again.
        let c = step(db, &w, &c, ComplaintStatus::Escalated, note("Wants a refund")).expect("escalated");
        let c = step(
            db,
            &w,
            &c,
            ComplaintStatus::ResolutionProposed,
            StatusChange { resolution: Some("A refund".into()), ..StatusChange::default() },
        )
        .expect("proposed again");
        assert_eq!(
            invalid(step(
                db,
                &w,
                &c,
                ComplaintStatus::Closed,
                StatusChange { satisfaction: Some(6), ..StatusChange::default() },
            )),
            ["field.satisfaction"]
        );
        let c = step(
            db,
            &w,
            &c,
            ComplaintStatus::Closed,
            StatusChange { satisfaction: Some(4), ..note("Accepted") },
        )
        .expect("closed");
        assert_eq!(c.satisfaction, Some(4));
        assert_eq!(c.resolution.as_deref(), Some("A refund"));
        assert!(c.closed_at.is_some());
        // Reopened under its number: a repeat.
        let c = step(db, &w, &c, ComplaintStatus::Investigating, note("Pump failed again"))
            .expect("reopened");
        assert_eq!((c.repeat_count, c.closed_at), (1, None));
        // Rejecting needs a reason.
        assert_eq!(
            invalid(step(db, &w, &c, ComplaintStatus::Rejected, StatusChange::default())),
            ["field.note"]
        );
        let steps: Vec<(Option<String>, String, Option<String>)> = complaints::history(db, c.id)
            .expect("history")
            .into_iter()
            .map(|s| (s.from_status, s.to_status, s.note))
            .collect();
        let to: Vec<&str> = steps.iter().map(|s| s.1.as_str()).collect();
        assert_eq!(
            to,
            [
                "received", "acknowledged", "investigating", "action_taken",
                "resolution_proposed", "escalated", "resolution_proposed", "closed",
                "investigating",
            ]
        );
        assert_eq!(steps[5].2.as_deref(), Some("Wants a refund"));
        assert_eq!(steps[8].0.as_deref(), Some("closed"));
        // Every move is in the audit log too.
        let trail = peygir::store::audit::history(db, complaints::ENTITY, c.id).expect("audit");
        assert_eq!(trail.len(), 9, "created and eight moves");
    }

    fn a_stale_version_or_bad_input_changes_nothing(db, backend) {
        let w = world(db);
        let c = complaints::create(db, &w.admin, fields(&w, local(2026, 11, 30, 9, 0)))
            .expect("recorded");
        let moved = step(db, &w, &c, ComplaintStatus::Acknowledged, StatusChange::default())
            .expect("ack");
        // The version read before that move is stale now.
        assert!(matches!(
            step(db, &w, &c, ComplaintStatus::Rejected, note("duplicate")),
            Err(Error::Conflict { .. })
        ));
        assert_eq!(complaints::get(db, c.id).expect("read"), moved);
        let bad = ComplaintFields {
            title: "  ".into(),
            description: String::new(),
            contact_id: ContactId(999_999),
            received_at: Some(peygir::store::now() + TimeDelta::days(2)),
            ..fields(&w, local(2026, 11, 30, 9, 0))
        };
        assert_eq!(
            invalid(complaints::create(db, &w.admin, bad)),
            ["field.title", "field.complaint-description", "field.customer", "field.received-at"]
        );
        assert!(matches!(
            complaints::get(db, ComplaintId(999_999)),
            Err(Error::NotFound { .. })
        ));
        assert_eq!(complaints::count(db, &ComplaintFilter::default()).expect("count"), 1);
    }

    fn actions_are_added_to_open_complaints_and_done_once(db, backend) {
        let w = world(db);
        let c = complaints::create(db, &w.admin, fields(&w, local(2026, 11, 30, 9, 0)))
            .expect("recorded");
        let due = NaiveDate::from_ymd_opt(2026, 12, 3).expect("a date");
        let fix = complaints::add_action(
            db, &w.admin, c.id, ActionKind::Corrective, "Ship a new pump", w.admin.id, due,
        )
        .expect("corrective");
        complaints::add_action(
            db, &w.admin, c.id, ActionKind::Preventive, "Pad the crates", w.admin.id, due,
        )
        .expect("preventive");
        assert_eq!(
            invalid(complaints::add_action(
                db, &w.admin, c.id, ActionKind::Preventive, " ", w.admin.id,
                NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date"),
            )),
            ["field.action-description", "field.due-on"]
        );
        let done = complaints::complete_action(db, &w.admin, fix.id, fix.version).expect("done");
        assert!(done.done_at.is_some());
        let again = complaints::complete_action(db, &w.admin, fix.id, done.version).expect("again");
        assert_eq!(again.version, done.version, "done twice changes nothing");
        let kinds: Vec<String> = complaints::actions_of(db, c.id)
            .expect("actions")
            .into_iter()
            .map(|a| a.kind)
            .collect();
        assert_eq!(kinds, ["corrective", "preventive"]);
        // A rejected complaint takes no more actions.
        let c = step(db, &w, &c, ComplaintStatus::Rejected, note("Not our product")).expect("rejected");
        assert_eq!(
            invalid(complaints::add_action(
                db, &w.admin, c.id, ActionKind::Corrective, "Too late", w.admin.id, due,
            )),
            ["field.status"]
        );
    }

    fn the_clocks_run_in_working_time_and_the_late_come_first(db, backend) {
        let w = world(db);
        let calendar = sla::calendar(db).expect("calendar");
        // Critical, received Saturday 28 November 2026 at 09:00: response due 11:00, resolution
        // due at 17:00 working time later (Saturday 09:00 + 8h = Sunday 09:00).
        let early = complaints::create(db, &w.admin, fields(&w, local(2026, 11, 28, 9, 0)))
            .expect("recorded");
        assert_eq!(early.resolution_due_at, Some(local(2026, 11, 29, 9, 0)));
        let late_fields = ComplaintFields {
            severity: Severity::Low,
            ..fields(&w, local(2026, 11, 30, 9, 0))
        };
        let later = complaints::create(db, &w.admin, late_fields).expect("recorded");
        // On Saturday at 10:00 the first has an hour left to respond, seven to resolve.
        let (response, resolution) = complaints::clocks(&calendar, &early, local(2026, 11, 28, 10, 0));
        assert_eq!(response, Some(Clock::Running { minutes_left: 60 }));
        assert_eq!(resolution, Some(Clock::Running { minutes_left: 7 * 60 }));
        // On Sunday at 10:30 both are over: the response by a working day and a half hour.
        let (response, resolution) = complaints::clocks(&calendar, &early, local(2026, 11, 29, 10, 30));
        assert_eq!(response, Some(Clock::Over { minutes_over: 7 * 60 + 30 }));
        assert_eq!(resolution, Some(Clock::Over { minutes_over: 90 }));
        assert!(resolution.is_some_and(Clock::is_late));
        // Acknowledged late, the response clock stops late.
        let acked = step(db, &w, &early, ComplaintStatus::Acknowledged, StatusChange::default())
            .expect("ack");
        let (response, _) = complaints::clocks(&calendar, &acked, peygir::store::now());
        assert_eq!(response, Some(Clock::Stopped { late: true }));

        // The list: the one due first first; late only at a moment between their due times.
        let all = complaints::page(db, &ComplaintFilter::default(), None, 10).expect("page");
        let order: Vec<ComplaintId> = all.iter().map(|r| r.id).collect();
        assert_eq!(order, [early.id, later.id]);
        let due_between = ComplaintFilter {
            late_at: Some(local(2026, 11, 29, 12, 0)),
            ..ComplaintFilter::default()
        };
        let late: Vec<ComplaintId> = complaints::page(db, &due_between, None, 10)
            .expect("late")
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(late, [early.id]);
        let critical = ComplaintFilter {
            severity: Some(Severity::Critical),
            search: "cracked".into(),
            ..ComplaintFilter::default()
        };
        assert_eq!(complaints::count(db, &critical).expect("count"), 1);
        let second_page = complaints::page(db, &ComplaintFilter::default(), Some(&complaints::key(&all[0])), 10)
            .expect("after the first");
        assert_eq!(second_page.iter().map(|r| r.id).collect::<Vec<_>>(), [later.id]);
        let before_last = complaints::page_before(db, &ComplaintFilter::default(), &complaints::key(&all[1]), 10)
            .expect("before the last");
        assert_eq!(before_last.iter().map(|r| r.id).collect::<Vec<_>>(), [early.id]);
    }

    fn the_complaint_list_pages_the_same_every_way_through_tied_and_missing_due_times(db, backend) {
        let w = world(db);
        let received = local(2026, 11, 28, 9, 0);
        // The hours after receipt each complaint's resolution is due; none for those recorded
        // before service levels. Several due at the same moment.
        let shape: [Option<i64>; 14] = [
            Some(5), None, Some(2), Some(5), None, Some(-4), Some(5),
            None, Some(2), None, Some(9), Some(-4), None, Some(5),
        ];
        let mut made: Vec<(ComplaintId, Option<NaiveDateTime>)> = Vec::new();
        for due in shape {
            let complaint = complaints::create(db, &w.admin, fields(&w, received)).expect("recorded");
            let due = due.map(|hours| received + TimeDelta::hours(hours));
            diesel::update(complaints_table::table.find(complaint.id))
                .set(complaints_table::resolution_due_at.eq(due))
                .execute(db)
                .expect("its due time");
            made.push((complaint.id, due));
        }
        // The list from the complaints themselves: by due time, those without one last, then by
        // number of arrival.
        let in_order = |keep: &dyn Fn(Option<NaiveDateTime>) -> bool| -> Vec<ComplaintId> {
            let mut rows: Vec<_> = made.iter().filter(|r| keep(r.1)).collect();
            rows.sort_by_key(|&&(id, due)| (due.is_none(), due, id));
            rows.into_iter().map(|r| r.0).collect()
        };
        let late_at = received + TimeDelta::hours(3);
        let filters = [
            (ComplaintFilter::default(), in_order(&|_| true)),
            (ComplaintFilter { open_only: true, ..ComplaintFilter::default() }, in_order(&|_| true)),
            (
                ComplaintFilter { late_at: Some(late_at), ..ComplaintFilter::default() },
                in_order(&|due| due.is_some_and(|due| due < late_at)),
            ),
        ];
        for (filter, whole) in &filters {
            pages_agree(
                db,
                whole,
                |r: &complaints::ComplaintRow| r.id,
                complaints::key,
                |db, after, n| complaints::page(db, filter, after, n),
                |db, before, n| complaints::page_before(db, filter, before, n),
                |db, n| complaints::last_page(db, filter, n),
            );
        }
        let _ = backend;
    }

    fn the_deadline_a_complaint_waits_on_stands_in_its_owners_inbox(db, backend) {
        let w = world(db);
        let c = complaints::create(db, &w.admin, fields(&w, local(2026, 11, 30, 9, 0)))
            .expect("recorded");
        let waiting = inbox::page(db, w.admin.id, None, 10).expect("inbox");
        assert_eq!(waiting.len(), 1);
        assert_eq!(waiting[0].subject, c.number);
        assert_eq!(waiting[0].complaint_id, Some(c.id));
        assert_eq!(Some(waiting[0].due_at), c.response_due_at);
        assert!(waiting[0].description.contains(&c.number));
        let c = step(db, &w, &c, ComplaintStatus::Acknowledged, note("Called back")).expect("ack");
        let first = peygir::store::planned::get(db, waiting[0].id).expect("the action");
        assert_eq!(first.status, "cancelled");
        // Now its resolution waits there, until it is closed or rejected.
        let waiting = inbox::page(db, w.admin.id, None, 10).expect("inbox");
        assert_eq!(waiting.len(), 1);
        assert_eq!(Some(waiting[0].due_at), c.resolution_due_at);
        assert!(waiting[0].description.starts_with("Resolve complaint"));
        step(db, &w, &c, ComplaintStatus::Rejected, note("Not our product")).expect("rejected");
        assert!(inbox::page(db, w.admin.id, None, 10).expect("inbox").is_empty());
    }

    fn complaints_recorded_before_service_levels_get_their_due_times(db, backend) {
        let w = world(db);
        // As a store from before service levels has them: no due times.
        let received = local(2026, 11, 28, 9, 0);
        let old = peygir::store::complaints::NewComplaint {
            number: "C-1405-00900".into(),
            title: "Old complaint".into(),
            description: "From before".into(),
            contact_id: w.customer,
            severity: "critical".into(),
            status: "investigating".into(),
            expert_id: w.admin.id,
            received_at: received,
            created_by: w.admin.id,
            updated_by: w.admin.id,
            created_at: received,
            updated_at: received,
            ..Default::default()
        };
        let ids = peygir::store::bulk::complaints(db, &[old]).expect("loaded");
        store::ensure_defaults(db).expect("defaults");
        let c = complaints::get(db, ids[0]).expect("read");
        assert_eq!(c.response_due_at, Some(local(2026, 11, 28, 11, 0)));
        assert_eq!(c.resolution_due_at, Some(local(2026, 11, 29, 9, 0)));
        assert_eq!(c.version, 1, "bookkeeping, not an edit");
        assert_eq!(complaints::fill_due_times(db).expect("again"), 0);
    }
}
