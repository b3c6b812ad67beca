//! `peygir sla …` and `peygir holiday …` through the real binary, on SQLite and on PostgreSQL:
//! a service level set and read back as JSON, a refused one changing nothing, the working week,
//! holidays imported all or none with every bad row named by its line, a Jalali date typed in
//! Persian digits kept as the right Gregorian day, and an agent refused every change.

use chrono::{NaiveDate, Weekday};

use peygir::domain::working_time::WorkingWeek;
use peygir::store::Role;
use peygir::store::sla::{self, Severity};
use peygir::store::users::{self, Resolved};

use crate::support::Backend;
use crate::support::binary::{self, Run};

/// The store the binary and the test both open.
struct Setup {
    store: binary::Store,
}

impl std::ops::Deref for Setup {
    type Target = binary::Store;

    fn deref(&self) -> &binary::Store {
        &self.store
    }
}

impl std::ops::DerefMut for Setup {
    fn deref_mut(&mut self) -> &mut binary::Store {
        &mut self.store
    }
}

/// A store of `backend` with its defaults. The login running the tests is its first admin,
/// or, when `admin` is false, an agent beside another admin.
fn setup(backend: Backend, admin: bool) -> Option<Setup> {
    let mut store = binary::Store::open(backend, "sla-cli")?;
    let db = &mut store.db;
    let login = users::os_login();
    if admin {
        match users::resolve_actor(db, &login).expect("the first admin") {
            Resolved::FirstAdmin(_) | Resolved::Existing(_) => {}
        }
    } else {
        let boss = if login == "boss" { "chief" } else { "boss" };
        users::insert_user(db, boss, "The Boss", Role::Admin, None).expect("an admin");
        users::insert_user(db, &login, "An Agent", Role::Agent, None).expect("an agent");
    }
    Some(Setup { store })
}

impl Setup {
    /// Writes `text` to a file in the home and returns its path.
    fn file(&self, name: &str, text: &str) -> String {
        let path = self.home.path().join(name);
        std::fs::write(&path, text).expect("write the file");
        path.to_str().expect("UTF-8 path").to_string()
    }

    fn holidays(&mut self) -> Vec<(NaiveDate, String)> {
        sla::all_holidays(&mut self.db)
            .expect("holidays")
            .into_iter()
            .map(|h| (h.day, h.name))
            .collect()
    }

    fn hours(&mut self, severity: Severity) -> (i32, i32) {
        let p = sla::policy(&mut self.db, severity).expect("the policy");
        (p.response_hours, p.resolution_hours)
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON ({e}):\n{run}"))
}

/// Writes each test once for both backends, as `name::sqlite` and `name::postgres`; `admin`
/// says whether the login running the binary is an admin.
macro_rules! cli_tests {
    ($(fn $name:ident($s:ident, admin = $admin:expr) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                fn body($s: &mut Setup) $body

                #[test]
                fn sqlite() {
                    if let Some(mut s) = setup(Backend::Sqlite, $admin) {
                        body(&mut s);
                    }
                }

                #[test]
                fn postgres() {
                    if let Some(mut s) = setup(Backend::Postgres, $admin) {
                        body(&mut s);
                    }
                }
            }
        )*
    };
}

cli_tests! {
    fn a_policy_is_set_and_read_back(s, admin = true) {
        let run = s.run(&["sla", "set", "high", "--response", "3", "--resolution", "12"]).ok();
        assert_eq!(
            run.stdout,
            "Service level high: first response within 3 working hours, resolution within 12.\n",
            "{run}"
        );
        // The name in Persian, and Persian digits, are read too.
        s.run(&["sla", "set", "بحرانی", "--response", "۱", "--resolution", "۶"]).ok();
        let list = s.run(&["sla", "list", "--format", "json"]).ok();
        let value = json(&list);
        let policies: Vec<(String, i64, i64)> = value["policies"]
            .as_array()
            .expect("policies")
            .iter()
            .map(|p| {
                (
                    p["severity"].as_str().expect("a severity").to_string(),
                    p["response_hours"].as_i64().expect("hours"),
                    p["resolution_hours"].as_i64().expect("hours"),
                )
            })
            .collect();
        assert_eq!(
            policies,
            [
                ("low".to_string(), 16, 80),
                ("medium".to_string(), 8, 40),
                ("high".to_string(), 3, 12),
                ("critical".to_string(), 1, 6),
            ],
            "{list}"
        );
        let week = value["week"].as_array().expect("the week");
        assert_eq!(week.len(), 7, "{list}");
        assert_eq!(week[0]["day"], "sat");
        assert_eq!(week[0]["opens"], "08:00");
        assert_eq!(week[0]["closes"], "16:00");
        assert_eq!(week[6]["day"], "fri");
        assert!(week[6]["opens"].is_null(), "{list}");
        assert_eq!(s.hours(Severity::High), (3, 12));
        // The table, in Persian: the severity's name, the hours and the week below.
        let table = s.run(&["--lang", "fa", "sla", "list"]).ok();
        assert!(table.stdout.contains("زیاد") && table.stdout.contains("۱۲"), "{table}");
        assert!(table.stdout.contains("هفتهٔ کاری") && table.stdout.contains("جمعه"), "{table}");
    }

    fn a_refused_policy_exits_1_and_changes_nothing(s, admin = true) {
        s.run(&["sla", "set", "low", "--response", "0", "--resolution", "10"])
            .refused(1, "Hours to first response: must be whole working hours from 1 to 2000");
        s.run(&["sla", "set", "low", "--response", "-3", "--resolution", "10"])
            .refused(1, "Hours to first response");
        s.run(&["sla", "set", "low", "--response", "8", "--resolution", "4"])
            .refused(1, "Hours to resolution: must not be fewer than the hours to first response");
        s.run(&["sla", "set", "low", "--response", "eight", "--resolution", "10"])
            .refused(1, "Hours to first response");
        s.run(&["sla", "set", "urgent", "--response", "1", "--resolution", "2"])
            .refused(1, "SEVERITY: urgent is not in the list; choose one of low, medium, high, critical");
        let fa = s
            .run(&["--lang", "fa", "sla", "set", "low", "--response", "0", "--resolution", "10"])
            .expect_refused(1);
        assert!(fa.stderr.contains("ساعت تا نخستین پاسخ"), "{fa}");
        assert_eq!(s.hours(Severity::Low), (16, 80));
    }

    fn the_working_week_is_changed_a_day_at_a_time(s, admin = true) {
        let run = s.run(&["sla", "week", "set", "thu", "off"]).ok();
        assert!(run.stdout.starts_with("Working hours on Thursday: off.\n"), "{run}");
        assert!(run.stdout.contains("Saturday   08:00-16:00"), "{run}");
        s.run(&["sla", "week", "set", "پنج‌شنبه", "۰۹:۰۰-۱۳:۳۰"]).ok();
        s.run(&["sla", "week", "set", "fri", "08:00-24:00"]).ok();
        let week = sla::week(&mut s.db).expect("the week");
        assert_eq!(week.span(Weekday::Thu), Some((9 * 60, 13 * 60 + 30)));
        assert_eq!(week.span(Weekday::Fri), Some((8 * 60, 24 * 60)));
        assert_eq!(week.span(Weekday::Sat), WorkingWeek::iran_default().span(Weekday::Sat));
        s.run(&["sla", "week", "set", "sun", "16:00-08:00"])
            .refused(1, "HOURS: 16:00-08:00 ends at or before it starts");
        s.run(&["sla", "week", "set", "sun", "all day"])
            .refused(1, "HOURS: all day is not HH:MM-HH:MM");
        s.run(&["sla", "week", "set", "someday", "off"])
            .refused(1, "DAY: someday is not in the list");
        assert_eq!(sla::week(&mut s.db).expect("the week"), week);
        let shown = s.run(&["sla", "week", "--format", "json"]).ok();
        assert_eq!(json(&shown)[5]["closes"], "13:30", "{shown}");
    }

    fn holidays_are_imported_all_or_none(s, admin = true) {
        let bad = s.file(
            "bad.csv",
            "date,name\n1405/01/01,Nowruz\n1405/13/01,No such month\n1405/01/12,\n2026-03-21,Nowruz again\n1405/01/13,Sizdah Bedar\n",
        );
        let run = s.run(&["holiday", "import", &bad]).expect_code(1);
        assert!(run.stdout.is_empty(), "{run}");
        assert!(run.stderr.contains("line 3: Day: 1405/13/01 is not a date"), "{run}");
        assert!(run.stderr.contains("line 4: Name: is required"), "{run}");
        assert!(run.stderr.contains("line 5: Day: is in the file twice (first on line 2)"), "{run}");
        assert!(!run.stderr.contains("line 2:") && !run.stderr.contains("line 6:"), "{run}");
        assert!(run.stderr.contains("3 of 5 rows of"), "{run}");
        assert!(s.holidays().is_empty(), "nothing imported");
        // A dry run checks and writes nothing.
        let good = s.file(
            "good.csv",
            "\u{feff}name,date\r\nNowruz,1405/01/01\r\nNowruz,۱۴۰۵/۰۱/۰۲\r\n\r\n\"Yalda, the longest night\",2026-12-21\r\n",
        );
        let dry = s.run(&["holiday", "import", &good, "--dry-run"]).ok();
        assert!(dry.stdout.contains("Checked 3 rows"), "{dry}");
        assert!(s.holidays().is_empty(), "a dry run writes nothing");
        let run = s.run(&["holiday", "import", &good]).ok();
        assert!(run.stdout.starts_with("Imported 3 holidays from "), "{run}");
        assert_eq!(
            s.holidays(),
            [
                (day(2026, 3, 21), "Nowruz".to_string()),
                (day(2026, 3, 22), "Nowruz".to_string()),
                (day(2026, 12, 21), "Yalda, the longest night".to_string()),
            ]
        );
        // The same file again: every day is taken, by its line.
        let again = s.run(&["holiday", "import", &good]).expect_code(1);
        assert!(again.stderr.contains("line 2: Day: is already a holiday"), "{again}");
        assert!(again.stderr.contains("line 5: Day: is already a holiday"), "{again}");
        assert_eq!(s.holidays().len(), 3);
        let list = s.run(&["holiday", "list", "--year", "2026", "--format", "json"]).ok();
        assert_eq!(json(&list).as_array().map(Vec::len), Some(3), "{list}");
        s.run(&["holiday", "import", "no-such-file.csv"]).refused(1, "cannot read");
    }

    fn a_jalali_date_in_persian_digits_is_kept_as_its_gregorian_day(s, admin = true) {
        let run = s.run(&["--lang", "fa", "holiday", "add", "۱۴۰۵/۰۱/۰۱", "نوروز"]).ok();
        assert!(run.stdout.contains("۱۴۰۵/۰۱/۰۱") && run.stdout.contains("نوروز"), "{run}");
        // The same rule whatever the calendar in force: a year before 1700 is Jalali.
        s.run(&["--calendar", "gregorian", "holiday", "add", "1405/01/13", "Sizdah\u{7} Bedar"]).ok();
        assert_eq!(
            s.holidays(),
            [
                (day(2026, 3, 21), "نوروز".to_string()),
                (day(2026, 4, 2), "Sizdah Bedar".to_string()),
            ]
        );
        let list = s.run(&["--lang", "fa", "holiday", "list", "--year", "۱۴۰۵"]).ok();
        assert!(list.stdout.contains("۱۴۰۵/۰۱/۱۳") && list.stdout.contains("شنبه"), "{list}");
        let none = s.run(&["--lang", "fa", "holiday", "list", "--year", "1404"]).ok();
        assert_eq!(none.stdout, "تعطیلی‌ای ثبت نشده است.\n", "{none}");
        let gregorian = s.run(&["holiday", "list", "--calendar", "gregorian"]).ok();
        assert!(gregorian.stdout.contains("2026-03-21  Saturday  نوروز"), "{gregorian}");
        s.run(&["holiday", "add", "2026-03-21", "Again"]).refused(1, "Day: is already a holiday");
        s.run(&["holiday", "add", "1404/12/30", "Leap"]).refused(1, "DATE: 1404/12/30 is not a date (no such day)");
        s.run(&["holiday", "remove", "۱۴۰۵/۰۱/۱۳"]).ok().stdout_has("is no longer a holiday");
        s.run(&["holiday", "remove", "1405/01/13"]).refused(1, "is not a holiday");
        assert_eq!(s.holidays(), [(day(2026, 3, 21), "نوروز".to_string())]);
    }

    fn an_agent_is_refused_every_change(s, admin = false) {
        let file = s.file("holidays.csv", "date,name\n1405/01/01,Nowruz\n");
        for args in [
            &["sla", "set", "high", "--response", "1", "--resolution", "2"][..],
            &["sla", "week", "set", "fri", "08:00-12:00"],
            &["holiday", "add", "1405/01/01", "Nowruz"],
            &["holiday", "remove", "1405/01/01"],
            &["holiday", "import", &file],
            &["holiday", "import", &file, "--dry-run"],
        ] {
            s.run(args).refused(1, "may not change service levels, the working week or holidays");
        }
        assert_eq!(s.hours(Severity::High), (4, 24));
        assert_eq!(sla::week(&mut s.db).expect("the week"), WorkingWeek::iran_default());
        assert!(s.holidays().is_empty());
        // Reading is anyone's.
        s.run(&["sla", "list"]).ok();
        s.run(&["sla", "week"]).ok();
        s.run(&["holiday", "list"]).ok().stdout_has("No holidays.");
    }
}
