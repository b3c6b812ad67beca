//! `peygir complaint …` through the real binary, on SQLite and on PostgreSQL: a complaint
//! recorded and found in the JSON list with its due times, taken through its process step by
//! step (a refused step changing nothing) with every step and note in `show`'s timeline, a
//! closing straight from the investigation refused, the late list, corrective actions, and bad
//! input refused with exit code 1 and one line naming what is wrong.

use peygir::db::ids::ContactId;
use peygir::store::complaints::{self, ComplaintFilter};
use peygir::store::contacts::{self, ContactFields};
use peygir::store::users::{self, Resolved};
use peygir::store::{Actor, Role};

use crate::support::Backend;
use crate::support::binary::{self, Run};

/// The store the binary and the test both open, the admin running the tests and the customer
/// who complains.
struct Setup {
    store: binary::Store,
    person: ContactId,
    admin: Actor,
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
/// agent `sara`, the person Ali Kazemi and the company Taban Shimi.
fn setup(backend: Backend) -> Option<Setup> {
    let mut store = binary::Store::open(backend, "complaints-cli")?;
    let db = &mut store.db;
    let admin = match users::resolve_actor(db, &users::os_login()).expect("the first admin") {
        Resolved::FirstAdmin(a) | Resolved::Existing(a) => a,
    };
    users::insert_user(db, "sara", "Sara Rahimi", Role::Agent, None).expect("add sara");
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
    contacts::create(
        db,
        &admin,
        ContactFields {
            kind: "company".into(),
            company_name: Some("Taban Shimi".into()),
            ..ContactFields::default()
        },
    )
    .expect("a company");
    Some(Setup {
        store,
        person,
        admin,
    })
}

impl Setup {
    /// Records a complaint by Ali Kazemi with `extra` options; returns its number.
    fn add(&self, title: &str, extra: &[&str]) -> String {
        let mut args = vec![
            "complaint",
            "add",
            "--customer",
            "Ali Kazemi",
            "--title",
            title,
            "--description",
            "What happened",
        ];
        args.extend_from_slice(extra);
        let run = self.run(&args).ok();
        number_in(&run)
    }

    fn show(&self, number: &str) -> serde_json::Value {
        json(
            &self
                .run(&["complaint", "show", number, "--format", "json"])
                .ok(),
        )
    }

    fn count(&mut self) -> i64 {
        complaints::count(&mut self.db, &ComplaintFilter::default()).expect("count")
    }
}

/// The number in `Recorded complaint C-1405-00001 (id 1).`
fn number_in(run: &Run) -> String {
    let line = run.stdout.trim();
    let number = line
        .strip_prefix("Recorded complaint ")
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("no number in:\n{run}"));
    assert!(number.starts_with("C-"), "{run}");
    number.to_string()
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON ({e}):\n{run}"))
}

/// The numbers in a JSON list.
fn numbers(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|c| c["number"].as_str().expect("a number").to_string())
        .collect()
}

cli_tests! {
    fn a_complaint_goes_through_its_process(s) {
        let number = s.add(
            "Pump leaks",
            &["--severity", "high", "--expert", "sara", "--channel", "website",
              "--category", "Defective product", "--remedy", "Replace it"],
        );
        // Listed as JSON with its due times, raw codes and the clocks running.
        let list = s.run(&["complaint", "list", "--format", "json"]).ok();
        let value = json(&list);
        assert_eq!(numbers(&value), [number.as_str()], "{list}");
        let row = &value[0];
        let stored = complaints::by_number(&mut s.store.db, &number).expect("read").expect("the complaint");
        let iso = |at: Option<chrono::NaiveDateTime>| {
            at.expect("a due time").format("%Y-%m-%dT%H:%M:%SZ").to_string()
        };
        assert_eq!(row["response_due_at"], iso(stored.response_due_at).as_str(), "{list}");
        assert_eq!(row["resolution_due_at"], iso(stored.resolution_due_at).as_str(), "{list}");
        assert_eq!(row["status"], "received");
        assert_eq!(row["severity"], "high");
        assert_eq!(row["expert"], "sara");
        assert_eq!(row["customer"], "Ali Kazemi");
        assert_eq!(row["id"], i64::from(stored.id));
        assert_eq!(row["resolution_sla"]["state"], "running", "{list}");
        assert!(row["resolution_sla"]["minutes_left"].as_i64().is_some_and(|m| m > 0), "{list}");
        // Step by step; a status by its code or by its name in either language.
        s.run(&["complaint", "move", &number, "acknowledged"]).ok()
            .stdout_has(&format!("Complaint {number} is now acknowledged."));
        s.run(&["complaint", "move", &number, "در حال بررسی", "--note", "Checking the seals"]).ok();
        // Action taken needs a root cause: refused, and nothing changed.
        let before = complaints::by_number(&mut s.store.db, &number).expect("read").expect("it");
        s.run(&["complaint", "move", &number, "action_taken"])
            .refused(1, "Root cause: is required");
        let after = complaints::by_number(&mut s.store.db, &number).expect("read").expect("it");
        assert_eq!(after, before);
        s.run(&["complaint", "move", &number, "Action taken", "--root-cause", "product-defect",
                "--note", "The seal was faulty"]).ok();
        s.run(&["complaint", "move", &number, "resolution_proposed", "--resolution",
                "Replace the seal"]).ok();
        s.run(&["complaint", "move", &number, "closed", "--satisfaction", "5", "--note",
                "The customer is happy"]).ok()
            .stdout_has("is now closed");
        let shown = s.show(&number);
        let steps: Vec<(Option<&str>, &str, Option<&str>)> = shown["history"]
            .as_array()
            .expect("the history")
            .iter()
            .map(|h| (h["from"].as_str(), h["to"].as_str().expect("to"), h["note"].as_str()))
            .collect();
        assert_eq!(
            steps,
            [
                (None, "received", None),
                (Some("received"), "acknowledged", None),
                (Some("acknowledged"), "investigating", Some("Checking the seals")),
                (Some("investigating"), "action_taken", Some("The seal was faulty")),
                (Some("action_taken"), "resolution_proposed", None),
                (Some("resolution_proposed"), "closed", Some("The customer is happy")),
            ],
            "{shown:#}"
        );
        let login = users::os_login();
        assert!(shown["history"].as_array().expect("the history")[1..]
            .iter()
            .all(|h| h["by"] == login.as_str() && h["at"].as_str().is_some_and(|at| at.ends_with('Z'))),
            "{shown:#}");
        assert_eq!(shown["status"], "closed");
        assert_eq!(shown["satisfaction"], 5);
        assert_eq!(shown["resolution"], "Replace the seal");
        assert_eq!(shown["root_cause"], "Product defect");
        assert_eq!(shown["category"], "Defective product");
        assert_eq!(shown["channel"], "Website");
        assert_eq!(shown["remedy_requested"], "Replace it");
        assert_eq!(shown["resolution_sla"]["state"], "met", "{shown:#}");
        assert_eq!(shown["response_sla"]["state"], "met", "{shown:#}");
        assert!(shown["closed_at"].is_string(), "{shown:#}");
        // For people: the labelled lines, then the timeline, in Persian too.
        let table = s.run(&["complaint", "show", &number]).ok();
        assert!(table.stdout.contains("Timeline") && table.stdout.contains("Checking the seals"), "{table}");
        assert!(table.stdout.contains("investigating → action taken"), "{table}");
        let fa = s.run(&["--lang", "fa", "complaint", "show", &number]).ok();
        assert!(fa.stdout.contains("گردش کار") && fa.stdout.contains("بسته‌شده"), "{fa}");
        // Closed, it is out of the open list.
        let open = s.run(&["complaint", "list", "--open", "--format", "json"]).ok();
        assert_eq!(open.stdout, "[]\n", "{open}");
    }

    fn a_step_the_process_does_not_allow_is_refused(s) {
        // The customer by a part of the name that finds one contact.
        let number = number_in(&s.run(&[
            "complaint", "add", "--customer", "kazemi", "--title", "Invoice wrong",
            "--description", "Charged twice",
        ]).ok());
        s.run(&["complaint", "move", &number, "اعلام وصول"]).ok();
        s.run(&["complaint", "move", &number, "investigating"]).ok();
        s.run(&["complaint", "move", &number, "closed", "--satisfaction", "4"])
            .refused(1, "cannot go from investigating to closed");
        s.run(&["complaint", "move", &number, "rejected"]).refused(1, "Why: is required");
        s.run(&["complaint", "move", &number, "resolution_proposed"])
            .refused(1, "Resolution: is required");
        s.run(&["complaint", "move", &number, "sleeping"])
            .refused(1, "STATUS: sleeping is not in the list");
        s.run(&["complaint", "move", &number, "action_taken", "--root-cause", "gremlins"])
            .refused(1, "--root-cause: gremlins is not in the list");
        s.run(&["complaint", "move", "C-1300-00001", "acknowledged"])
            .refused(1, "no complaint is numbered C-1300-00001");
        let shown = s.show(&number);
        assert_eq!(shown["status"], "investigating");
        assert_eq!(shown["history"].as_array().map(Vec::len), Some(3), "{shown:#}");
        s.run(&["complaint", "move", &number, "rejected", "--note", "Not our product"]).ok();
        assert_eq!(s.show(&number)["status"], "rejected");
    }

    fn the_late_list_has_the_complaints_past_due(s) {
        let old = s.add("Late delivery", &["--severity", "critical", "--received", "-10d"]);
        let fresh = s.add("Scratched box", &[]);
        let late = s.run(&["complaint", "list", "--late", "--format", "json"]).ok();
        let value = json(&late);
        assert_eq!(numbers(&value), [old.as_str()], "{late}");
        assert_eq!(value[0]["resolution_sla"]["state"], "over", "{late}");
        assert!(value[0]["resolution_sla"]["minutes_over"].as_i64().is_some_and(|m| m > 0), "{late}");
        // The full list: the late one first (due first), then the fresh one.
        let all = s.run(&["complaint", "list", "--format", "csv"]).ok();
        let rows: Vec<&str> = all.stdout.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(rows.len(), 3, "{all}");
        assert!(rows[0].starts_with("id,number,received_at,title,customer,status,severity"), "{all}");
        assert!(rows[1].contains(&old) && rows[1].contains(",critical,") && rows[1].contains(",over,"), "{all}");
        assert!(rows[2].contains(&fresh) && rows[2].contains(",medium,") && rows[2].contains(",running,"), "{all}");
        // The table, in English and in Persian with its digits.
        let table = s.run(&["complaint", "list", "--late"]).ok();
        let lines: Vec<&str> = table.stdout.lines().collect();
        assert_eq!(lines.len(), 2, "{table}");
        assert!(lines[0].starts_with("Number") && lines[0].contains("Resolution SLA"), "{table}");
        assert!(lines[1].starts_with(old.as_str()) && lines[1].ends_with(" over"), "{table}");
        assert!(lines[1].contains("critical") && lines[1].contains("received"), "{table}");
        let fa = s.run(&["--lang", "fa", "complaint", "list", "--late"]).ok();
        assert!(fa.stdout.contains("بحرانی") && fa.stdout.contains("دیرکرد"), "{fa}");
        assert!(fa.stdout.chars().any(|c| ('۰'..='۹').contains(&c)), "{fa}");
        // Filters.
        let high = s.run(&["complaint", "list", "--severity", "بحرانی", "--format", "json"]).ok();
        assert_eq!(numbers(&json(&high)), [old.as_str()], "{high}");
        let found = s.run(&["complaint", "list", "--search", "scratched", "--format", "json"]).ok();
        assert_eq!(numbers(&json(&found)), [fresh.as_str()], "{found}");
        let none = s.run(&["complaint", "list", "--expert", "sara"]).ok();
        assert_eq!(none.stdout, "No complaints.\n", "{none}");
        let received = s.run(&["complaint", "list", "--status", "received", "--format", "json"]).ok();
        assert_eq!(numbers(&json(&received)).len(), 2, "{received}");
    }

    fn actions_are_added_and_done(s) {
        let number = s.add("Pump leaks", &[]);
        let run = s.run(&["complaint", "action", "add", &number, "--kind", "corrective",
                          "--owner", "sara", "--due", "+7d", "--description", "Send a new seal"]).ok();
        assert!(run.stdout.starts_with("Added action ") && run.stdout.contains(&number), "{run}");
        let shown = s.show(&number);
        let action = &shown["actions"][0];
        assert_eq!(action["kind"], "corrective");
        assert_eq!(action["owner"], "sara");
        assert!(action["done_at"].is_null(), "{shown:#}");
        let id = action["id"].as_i64().expect("an id").to_string();
        s.run(&["complaint", "action", "done", &number, &id]).ok().stdout_has("is done.");
        assert!(s.show(&number)["actions"][0]["done_at"].is_string());
        s.run(&["complaint", "action", "done", &number, &id]).ok().stdout_has("was already done");
        s.run(&["complaint", "action", "done", &number, "999999"])
            .refused(1, "has no action 999999");
        s.run(&["complaint", "action", "add", &number, "--kind", "curative", "--owner", "sara",
                "--due", "+7d", "--description", "x"])
            .refused(1, "--kind: curative is not in the list");
        s.run(&["complaint", "action", "add", &number, "--kind", "preventive", "--owner", "sara",
                "--due", "+7d", "--description", "  "])
            .refused(1, "is required");
        let table = s.run(&["complaint", "show", &number]).ok();
        assert!(table.stdout.contains("Send a new seal") && table.stdout.contains("corrective"), "{table}");
    }

    fn a_list_longer_than_a_page_is_written_whole(s) {
        for i in 0..501 {
            complaints::create(
                &mut s.store.db,
                &s.admin,
                complaints::ComplaintFields {
                    title: format!("Complaint {i}"),
                    description: "x".into(),
                    contact_id: s.person,
                    expert_id: s.admin.id,
                    ..complaints::ComplaintFields::default()
                },
            )
            .expect("a complaint");
        }
        let listed = s.run(&["complaint", "list", "--format", "json"]).ok();
        let value = json(&listed);
        let mut all = numbers(&value);
        assert_eq!(all.len(), 501);
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 501, "each once");
        let csv = s.run(&["complaint", "list", "--format", "csv"]).ok();
        assert_eq!(csv.stdout.split("\r\n").filter(|l| !l.is_empty()).count(), 502);
        let table = s.run(&["complaint", "list"]).ok();
        let lines: Vec<&str> = table.stdout.lines().collect();
        assert_eq!(lines.len(), 502);
        // One width for every page: the customer column starts at the same place on each line.
        let at = lines[1].find("Ali Kazemi").expect("the customer");
        assert!(lines.iter().skip(1).all(|l| l.find("Ali Kazemi") == Some(at)), "{table}");
    }

    fn bad_input_is_refused_with_exit_code_1(s) {
        let id = s.person.to_string();
        let base = ["complaint", "add", "--title", "x", "--description", "y"];
        let with = |extra: &[&str]| -> Vec<String> {
            base.iter().chain(extra).map(|a| a.to_string()).collect()
        };
        let run = |args: Vec<String>| s.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        run(with(&["--customer", "Nobody Known"]))
            .refused(1, "--customer: no contact is called Nobody Known");
        run(with(&["--customer", &id, "--severity", "urgent"]))
            .refused(1, "--severity: urgent is not in the list; choose one of low, medium, high, critical");
        run(with(&["--customer", "99999"])).refused(1, "Customer: 99999 is not on file");
        run(with(&["--customer", &id, "--expert", "nobody"]))
            .refused(1, "--expert: nobody is not a Peygir user");
        run(with(&["--customer", &id, "--received", "tomorrow 10:00"]))
            .refused(1, "Received: ");
        run(with(&["--customer", &id, "--case", "1300-00001"]))
            .refused(1, "--case: no case is numbered 1300-00001");
        s.run(&["complaint", "add", "--customer", &id, "--title", " ", "--description", " "])
            .refused(1, "Title: is required");
        assert_eq!(s.count(), 0, "nothing recorded");
        // A customer given by id in Persian digits is read.
        let persian: String = id
            .chars()
            .map(|c| char::from_u32('۰' as u32 + c.to_digit(10).expect("a digit")).expect("a digit"))
            .collect();
        let args = with(&["--customer", &persian]);
        s.run(&args.iter().map(String::as_str).collect::<Vec<_>>()).ok();
        assert_eq!(s.count(), 1);
    }
}
