//! The real `peygir` binary as a telephony system or a script runs it, on SQLite and on
//! PostgreSQL: `case add`, `followup add` (with the next action's due time typed as people type
//! it, in Tehran's time zone), `case list` as a table, CSV and JSON, `status …`, and exit codes a
//! script can trust (0 done, 1 refused with one line on standard error, 2 the store failed).

use chrono::{NaiveDateTime, TimeDelta, Utc};
use diesel::prelude::*;

use peygir::db::ids::ContactId;
use peygir::store::contacts::{self, ContactFields};
use peygir::store::statuses;
use peygir::store::users::{self, Resolved};
use peygir::store::{Role, numbers, planned};

use crate::support::Backend;
use crate::support::binary::{self, Run};

/// The store the binary and the test both open, and the customers its cases are for.
struct Setup {
    store: binary::Store,
    company: ContactId,
    person: ContactId,
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

/// A store of `backend` with its defaults, the login running the tests as its first admin, the
/// agent `sara`, a company and a person.
fn setup(backend: Backend) -> Option<Setup> {
    let mut store = binary::Store::open(backend, "cases-cli")?;
    let db = &mut store.db;
    let admin = match users::resolve_actor(db, &users::os_login()).expect("the first admin") {
        Resolved::FirstAdmin(a) | Resolved::Existing(a) => a,
    };
    users::insert_user(db, "sara", "Sara Rahimi", Role::Agent, None).expect("add sara");
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
            first_name: Some("Ali".into()),
            last_name: Some("Kazemi".into()),
            ..ContactFields::default()
        },
    )
    .expect("a person")
    .id;
    Some(Setup {
        store,
        company,
        person,
    })
}

impl Setup {
    fn case_number(&self, n: i64) -> String {
        numbers::case_number(numbers::jalali_year(tehran_now().date()), n)
    }
}

/// Now on a clock in Tehran (UTC+03:30, no daylight saving since 2022).
fn tehran_now() -> NaiveDateTime {
    Utc::now().naive_utc() + TimeDelta::minutes(210)
}

/// Tomorrow at `hh:mm` in Tehran, as the UTC time the store keeps.
fn tehran_tomorrow_at(hour: u32, minute: u32) -> NaiveDateTime {
    let day = tehran_now().date() + TimeDelta::days(1);
    day.and_hms_opt(hour, minute, 0).expect("a time") - TimeDelta::minutes(210)
}

cli_tests! {
    fn a_call_is_logged_with_its_next_action(s) {
        let company = s.company.to_string();
        let person = s.person.to_string();
        s.run(&[
            "case", "add", "--title", "Pumps for the new line", "--company", &company,
            "--contact", &person, "--expert", "sara", "--priority", "2", "--channel", "website",
            "--product-group", "equipment.pumps", "--region", "Tehran", "--expected", "1000",
        ])
        .ok();
        let number = s.case_number(1);
        let run = s
            .run(&[
                "followup", "add", "--case", &number, "--kind", "Phone call", "--minutes", "4",
                "--text", "Asked for a quote", "--next-kind", "send-quote", "--next-text",
                "Send the quote", "--next-due", "tomorrow 10:30", "--next-to", "sara",
                "--next-minutes", "20",
            ])
            .ok();
        assert!(run.stderr.is_empty(), "{run}");
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), 2, "{run}");
        assert!(lines[0].starts_with("Recorded follow-up ") && lines[0].ends_with(&format!("on case {number}.")), "{run}");
        assert!(lines[1].contains("10:30, for sara."), "{run}");
        // The due time typed in Tehran is kept in UTC.
        let case = peygir::store::cases::by_number(&mut s.db, &number)
            .expect("read")
            .expect("the case");
        let open = planned::open_of_case(&mut s.db, case.id).expect("open actions");
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].due_at, tehran_tomorrow_at(10, 30));
        assert_eq!(open[0].estimated_minutes, 20);
        assert_eq!(case.next_due_at, Some(open[0].due_at));
        let sara = users::by_login(&mut s.db, "sara").expect("read").expect("sara");
        assert_eq!(open[0].assignee_id, sara.id);
        // JSON for scripts: the ids, and the status change and completion in the same call.
        let action = open[0].id.to_string();
        let run = s
            .run(&[
                "followup", "add", "--case", &number, "--kind", "email", "--text", "Sent it",
                "--status", "Proposal sent", "--completes", &action, "--at", "-1h", "--format",
                "json",
            ])
            .ok();
        let value: serde_json::Value = serde_json::from_str(run.stdout.trim()).expect("JSON");
        assert_eq!(value["case"], number.as_str());
        assert_eq!(value["status"], "Proposal sent");
        assert_eq!(value["status_changed"], true);
        assert_eq!(value["completed_action_id"], i64::from(open[0].id));
        assert!(value["followup_id"].as_i64().is_some_and(|id| id > 0), "{run}");
        assert!(value["next_action_id"].is_null(), "{run}");
        let done = planned::get(&mut s.db, open[0].id).expect("read");
        assert_eq!(done.status, "done");
        assert_eq!(
            done.done_by_followup_id.map(i64::from),
            value["followup_id"].as_i64()
        );
        // A due time in the past is recorded, with a warning.
        let run = s
            .run(&[
                "followup", "add", "--case", &number, "--kind", "phone", "--text", "Late",
                "--next-kind", "call", "--next-text", "Call again", "--next-due", "-2d",
            ])
            .ok();
        assert!(run.stderr.contains("warning: Due: is in the past"), "{run}");
    }

    fn bad_input_is_refused_with_one_line_and_exit_code_1(s) {
        let company = s.company.to_string();
        s.run(&["case", "add", "--title", "Seals", "--company", &company]).ok();
        let number = s.case_number(1);
        let base = ["followup", "add", "--case", number.as_str(), "--kind", "phone", "--text", "x"];
        let with = |extra: &[&str]| -> Vec<String> {
            base.iter().chain(extra).map(|a| a.to_string()).collect()
        };
        let run = |args: Vec<String>| s.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        s.run(&["followup", "add", "--case", "1300-00001", "--kind", "phone", "--text", "x"])
            .refused(1, "no case is numbered 1300-00001");
        s.run(&["followup", "add", "--case", &number, "--kind", "telepathy", "--text", "x"])
            .refused(1, "--kind: telepathy is not in the list; choose one of phone, email");
        s.run(&["followup", "add", "--case", &number, "--kind", "phone", "--text", "  "])
            .refused(1, "What was said or done: is required");
        run(with(&["--next-kind", "call"]))
            .refused(1, "missing --next-text, --next-due");
        run(with(&["--next-kind", "call", "--next-text", "y", "--next-due", "someday"]))
            .refused(1, "--next-due: someday is not a date and time");
        let mut jalali = vec!["--calendar".to_string(), "jalali".to_string()];
        jalali.extend(with(&["--next-kind", "call", "--next-text", "y", "--next-due", "1403/12/31"]));
        run(jalali).refused(1, "no such day");
        run(with(&["--next-kind", "call", "--next-text", "y", "--next-due", "+1d", "--next-to", "nobody"]))
            .refused(1, "--next-to: nobody is not a Peygir user");
        run(with(&["--minutes", "5000"])).refused(1, "Minutes: must be from 0 to 1440");
        // A status that needs more, and a move that is not allowed, name what is wrong.
        run(with(&["--status", "lost"])).refused(1, "Reason: is required");
        run(with(&["--status", "won", "--won-amount", "700"])).ok();
        run(with(&["--status", "new"]))
            .refused(1, "a case cannot move from Won to New; from Won it can move to Negotiation");
        // Nothing was written by the refusals: one follow-up, the one that won the case.
        let logged: i64 = peygir::db::schema::followups::table
            .count()
            .get_result(&mut s.db)
            .expect("count");
        assert_eq!(logged, 1);
        let sales = peygir::db::row_count(&mut s.db, "sales").expect("count");
        assert_eq!(sales, 1);
        s.run(&["case", "add", "--title", "x", "--company", "99999", "--priority", "7"])
            .refused(1, "Company: 99999 is not on file; Priority: must be from 1 to 5");
        s.run(&["case", "list", "--status", "dreaming"]).refused(1, "--status: dreaming is not in the list");
    }

    fn the_case_list_comes_as_a_table_csv_or_json(s) {
        let company = s.company.to_string();
        let person = s.person.to_string();
        for (title, priority, who) in [
            ("Valves, 2 sets", "3", "--company"),
            ("=cmd|' /C calc'!A0", "1", "--contact"),
            ("Training", "2", "--company"),
        ] {
            let id = if who == "--company" { &company } else { &person };
            s.run(&["case", "add", "--title", title, who, id, "--priority", priority, "--expected", "1250000"]).ok();
        }
        let (one, two, three) = (s.case_number(1), s.case_number(2), s.case_number(3));
        s.run(&[
            "followup", "add", "--case", &three, "--kind", "phone", "--text", "x", "--next-kind",
            "call", "--next-text", "y", "--next-due", "tomorrow 09:15",
        ])
        .ok();
        let table = s.run(&["case", "list"]).ok();
        let lines: Vec<&str> = table.stdout.lines().collect();
        assert_eq!(lines.len(), 4, "{table}");
        assert!(lines[0].starts_with("Number") && lines[0].contains("Next due"), "{table}");
        // Most urgent first: priority 1, then 2, then 3.
        for (line, number) in lines[1..].iter().zip([&two, &three, &one]) {
            assert!(line.starts_with(number.as_str()), "{table}");
        }
        assert!(lines[2].contains("09:15") && lines[1].contains("1,250,000"), "{table}");
        // The columns line up: the title column starts at the same place on every line.
        let title_at = lines[0].find("Title").expect("a Title heading");
        assert!(lines[1..].iter().all(|l| l.char_indices().nth(title_at).is_some()), "{table}");
        let csv = s.run(&["case", "list", "--format", "csv"]).ok();
        let rows: Vec<&str> = csv.stdout.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(
            rows[0],
            "id,number,title,customer,status,closed,importance,priority,expert,next_due,expected_amount"
        );
        assert_eq!(rows.len(), 4, "{csv}");
        // A formula is neutralised; a comma is quoted.
        assert!(rows[1].contains(",'=cmd|' /C calc'!A0,Ali Kazemi,New,false,normal,1,"), "{csv}");
        assert!(rows[3].contains(",\"Valves, 2 sets\",Taban Shimi,"), "{csv}");
        let due = tehran_tomorrow_at(9, 15).format("%Y-%m-%dT%H:%M:%SZ").to_string();
        assert!(rows[2].ends_with(&format!(",{due},1250000")), "{csv}");
        let json = s.run(&["case", "list", "--format", "json", "--priority", "2"]).ok();
        let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
        let list = value.as_array().expect("an array");
        assert_eq!(list.len(), 1);
        assert_eq!(list[0]["number"], three.as_str());
        assert_eq!(list[0]["next_due"], due.as_str());
        assert_eq!(list[0]["expected_amount"], 1_250_000);
        assert_eq!(list[0]["closed"], false);
        // Filters and the open switch.
        s.run(&["followup", "add", "--case", &one, "--kind", "phone", "--text", "no budget", "--status", "cancelled", "--close-reason", "no-budget"]).ok();
        let open = s.run(&["case", "list", "--open", "--format", "json"]).ok();
        let numbers: Vec<String> = serde_json::from_str::<serde_json::Value>(&open.stdout)
            .expect("JSON")
            .as_array()
            .expect("an array")
            .iter()
            .map(|c| c["number"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(numbers, [two.clone(), three.clone()]);
        let none = s.run(&["case", "list", "--expert", "sara", "--format", "json"]).ok();
        assert_eq!(none.stdout.trim(), "[]");
        let found = s.run(&["case", "list", "--search", "kazemi", "--format", "csv"]).ok();
        assert_eq!(found.stdout.split("\r\n").filter(|l| !l.is_empty()).count(), 2, "{found}");
        let limited = s.run(&["case", "list", "--limit", "1", "--format", "csv"]).ok();
        assert_eq!(limited.stdout.split("\r\n").filter(|l| !l.is_empty()).count(), 2, "{limited}");
    }

    fn statuses_are_edited_from_the_command_line(s) {
        let added = s.run(&["status", "add", "On hold", "--outcome", "open"]).ok();
        assert!(added.stdout.contains("Added the status On hold (on-hold)"), "{added}");
        s.run(&["status", "add", "On hold", "--outcome", "open"])
            .refused(1, "is already used by the status On hold (on-hold)");
        s.run(&["status", "allow", "negotiation", "on-hold"]).ok();
        s.run(&["status", "allow", "on-hold", "Negotiation"]).ok();
        let list = s.run(&["status", "list"]).ok();
        let hold = list.stdout.lines().find(|l| l.starts_with("on-hold")).expect("on-hold listed");
        assert!(hold.contains("On hold") && hold.ends_with("negotiation"), "{list}");
        let new = list.stdout.lines().find(|l| l.starts_with("new ")).expect("new listed");
        assert!(new.contains("initial"), "{list}");
        s.run(&["status", "forbid", "negotiation", "won"]).ok();
        let transitions = s.run(&["status", "transitions"]).ok();
        let line = transitions
            .stdout
            .lines()
            .find(|l| l.starts_with("Negotiation →"))
            .expect("a line for Negotiation");
        assert!(line.contains("On hold") && !line.contains("Won"), "{transitions}");
        s.run(&["status", "rename", "on-hold", "Paused"]).ok();
        s.run(&["status", "allow", "paused", "paused"]).refused(1, "Paused cannot lead to itself");
        s.run(&["status", "allow", "nowhere", "paused"]).refused(1, "FROM: nowhere is not in the list");
        let trail: i64 = peygir::db::schema::audit_log::table
            .filter(peygir::db::schema::audit_log::entity.eq_any([
                statuses::ENTITY,
                statuses::TRANSITION_ENTITY,
            ]))
            .count()
            .get_result(&mut s.db)
            .expect("count");
        assert_eq!(trail, 5, "added, two allowed, one forbidden, renamed");
    }
}

#[test]
fn a_store_that_cannot_be_opened_is_exit_code_2() {
    let home = tempfile::tempdir().expect("a temporary folder");
    let missing = home.path().join("no/such/folder/store.db");
    let args = ["--db", missing.to_str().expect("UTF-8"), "case", "list"];
    Run::of(binary::command(home.path(), &args), &args).expect_refused(2);
}
