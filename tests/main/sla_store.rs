//! Service levels through the store, on both backends: the defaults every store starts with, an
//! admin changing a severity's hours (zero, negative, too many and a resolution sooner than the
//! first response refused), the working week, holidays added all or none and removed, the
//! calendar the clocks run on, who may change them, and the audit rows.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use peygir::db::Db;
use peygir::domain::working_time::WorkingWeek;
use peygir::error::Error;
use peygir::store::audit;
use peygir::store::sla::{self, HolidayErrors, NewHoliday, Severity};
use peygir::store::users;
use peygir::store::{self as store, Actor, Role};

use crate::support::admin;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, min, 0).expect("a time")
}

fn agent(db: &mut Db) -> Actor {
    let id = users::insert_user(db, "sara", "Sara Rahimi", Role::Agent, None).expect("a user");
    Actor {
        id,
        login: "sara".into(),
        role: Role::Agent,
    }
}

fn holiday(y: i32, m: u32, d: u32, name: &str) -> NewHoliday {
    NewHoliday {
        day: day(y, m, d),
        name: name.into(),
    }
}

/// The fields a refused change names.
fn fields(result: Result<impl std::fmt::Debug, Error>) -> Vec<&'static str> {
    match result {
        Err(Error::Invalid(errors)) => errors.iter().map(|e| e.field).collect(),
        other => panic!("expected the change refused as invalid, got {other:?}"),
    }
}

store_tests! {
    fn every_store_starts_with_a_level_for_each_severity_and_the_iranian_week(db, backend) {
        store::ensure_defaults(db).expect("defaults");
        let policies = sla::policies(db).expect("policies");
        let hours: Vec<(String, i32, i32)> = policies
            .iter()
            .map(|p| (p.severity.clone(), p.response_hours, p.resolution_hours))
            .collect();
        assert_eq!(
            hours,
            vec![
                ("low".to_string(), 16, 80),
                ("medium".to_string(), 8, 40),
                ("high".to_string(), 4, 24),
                ("critical".to_string(), 2, 8),
            ]
        );
        assert_eq!(sla::week(db).expect("week"), WorkingWeek::iran_default());
        // Twice is the same as once.
        store::ensure_defaults(db).expect("defaults again");
        assert_eq!(sla::policies(db).expect("policies").len(), 4);
    }

    fn an_admin_sets_a_severitys_hours_and_bad_hours_are_refused(db, backend) {
        store::ensure_defaults(db).expect("defaults");
        let admin = admin(db);
        let before = sla::policy(db, Severity::High).expect("high");
        let after = sla::set_policy(db, &admin, Severity::High, 3, 12).expect("set");
        assert_eq!((after.response_hours, after.resolution_hours), (3, 12));
        assert_eq!(after.version, before.version + 1);
        assert_eq!(after.updated_by, Some(admin.id));
        let trail = audit::history(db, sla::ENTITY, after.id).expect("audit");
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].action, "update");
        // Nothing to change: no new version, no audit row.
        let same = sla::set_policy(db, &admin, Severity::High, 3, 12).expect("set again");
        assert_eq!(same.version, after.version);
        assert_eq!(audit::history(db, sla::ENTITY, after.id).expect("audit").len(), 1);

        assert_eq!(
            fields(sla::set_policy(db, &admin, Severity::Low, 0, 10)),
            ["field.response-hours"]
        );
        assert_eq!(
            fields(sla::set_policy(db, &admin, Severity::Low, -4, -1)),
            ["field.response-hours", "field.resolution-hours"]
        );
        assert_eq!(
            fields(sla::set_policy(db, &admin, Severity::Low, 8, i64::from(sla::MAX_HOURS) + 1)),
            ["field.resolution-hours"]
        );
        assert_eq!(
            fields(sla::set_policy(db, &admin, Severity::Low, 8, 4)),
            ["field.resolution-hours"]
        );
        // None of those touched the low policy.
        let low = sla::policy(db, Severity::Low).expect("low");
        assert_eq!((low.response_hours, low.resolution_hours, low.version), (16, 80, 1));
    }

    fn only_an_admin_changes_service_levels_the_week_or_holidays(db, backend) {
        store::ensure_defaults(db).expect("defaults");
        admin(db);
        let sara = agent(db);
        assert!(matches!(
            sla::set_policy(db, &sara, Severity::High, 1, 2),
            Err(Error::Forbidden { .. })
        ));
        let week = WorkingWeek::new([(Weekday::Mon, NaiveTime::MIN, NaiveTime::from_hms_opt(8, 0, 0).expect("8:00"))])
            .expect("a week");
        assert!(matches!(sla::set_week(db, &sara, &week), Err(Error::Forbidden { .. })));
        assert!(matches!(
            sla::add_holidays(db, &sara, vec![holiday(2026, 3, 21, "Nowruz")]),
            Err(HolidayErrors::Store(Error::Forbidden { .. }))
        ));
        assert!(matches!(
            sla::remove_holiday(db, &sara, day(2026, 3, 21)),
            Err(Error::Forbidden { .. })
        ));
        assert_eq!(sla::week(db).expect("week"), WorkingWeek::iran_default());
        assert!(sla::all_holidays(db).expect("holidays").is_empty());
    }

    fn the_working_week_is_replaced_and_each_changed_day_audited(db, backend) {
        store::ensure_defaults(db).expect("defaults");
        let admin = admin(db);
        let eight = NaiveTime::from_hms_opt(8, 0, 0).expect("8:00");
        let five = NaiveTime::from_hms_opt(17, 0, 0).expect("17:00");
        let week = WorkingWeek::new(
            [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri]
                .into_iter()
                .map(|d| (d, eight, five)),
        )
        .expect("a week");
        sla::set_week(db, &admin, &week).expect("set the week");
        assert_eq!(sla::week(db).expect("week"), week);
        // Every day differs from the Iranian week: Saturday to Friday, seven audit rows.
        let changed: usize = (1..=7)
            .map(|weekday| {
                audit::history(db, sla::WEEKDAY_ENTITY, i64::from(weekday))
                    .expect("audit")
                    .len()
            })
            .sum();
        assert_eq!(changed, 7);
    }

    fn holidays_go_in_all_or_none_and_come_out_one_by_one(db, backend) {
        store::ensure_defaults(db).expect("defaults");
        let admin = admin(db);
        let added = sla::add_holidays(
            db,
            &admin,
            vec![holiday(2026, 3, 21, "Nowruz"), holiday(2026, 3, 22, "Nowruz")],
        )
        .unwrap_or_else(|e| panic!("add: {e:?}"));
        assert_eq!(added.len(), 2);
        // A day already on file, a day given twice and a blank name: the whole list refused,
        // each problem by its place.
        let refused = sla::add_holidays(
            db,
            &admin,
            vec![
                holiday(2026, 3, 23, "Nowruz"),
                holiday(2026, 3, 21, "again"),
                holiday(2026, 4, 1, "Islamic Republic Day"),
                holiday(2026, 4, 1, "twice"),
                holiday(2026, 4, 2, "  "),
            ],
        );
        let Err(HolidayErrors::Rows(rows)) = refused else {
            panic!("expected the rows refused, got {refused:?}");
        };
        let places: Vec<(usize, &str)> = rows.iter().map(|(row, e)| (*row, e.field)).collect();
        assert_eq!(
            places,
            [(2, "field.day"), (4, "field.day"), (5, "field.holiday-name")]
        );
        let all: Vec<NaiveDate> = sla::all_holidays(db)
            .expect("holidays")
            .into_iter()
            .map(|h| h.day)
            .collect();
        assert_eq!(all, [day(2026, 3, 21), day(2026, 3, 22)]);
        assert_eq!(
            sla::holidays(db, day(2026, 3, 22), day(2026, 3, 31))
                .expect("in range")
                .len(),
            1
        );
        assert!(sla::remove_holiday(db, &admin, day(2026, 3, 22)).expect("remove"));
        assert!(!sla::remove_holiday(db, &admin, day(2026, 3, 22)).expect("again"));
        let trail = audit::history(db, sla::HOLIDAY_ENTITY, added[1].id).expect("audit");
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create", "delete"]);
    }

    fn the_calendar_skips_the_stored_holidays(db, backend) {
        store::ensure_defaults(db).expect("defaults");
        let admin = admin(db);
        sla::add_holidays(
            db,
            &admin,
            (21..=24).map(|d| holiday(2026, 3, d, "Nowruz")).collect(),
        )
        .unwrap_or_else(|e| panic!("add: {e:?}"));
        let calendar = sla::calendar(db).expect("calendar");
        // Wednesday 18 March 15:00 with eight working hours to go: one hour on Wednesday, four
        // on Thursday's half day, then Friday off and Nowruz (Saturday 21 to Tuesday 24) off,
        // and the last three hours on Wednesday 25 March from 08:00.
        assert_eq!(
            calendar.add_working_minutes(at(2026, 3, 18, 15, 0), 8 * 60),
            at(2026, 3, 25, 11, 0)
        );
    }
}
