//! `peygir plan …` through the real binary, on SQLite and on PostgreSQL: a plan created with
//! three lines (dates in either calendar, an amount with thousands separators), shown as JSON and
//! as a table, split by the quarters of the Jalali calendar, renamed with its lines replaced, and
//! deleted; bad lines, a taken name, overlapping lines and an unknown plan refused with exit code
//! 1 and one line naming what is wrong; and plans imported from CSV: two plans at once, a file
//! with a bad row refused whole with each problem by its row and column, a dry run, and a name on
//! file refused unless replaced.

use peygir::store::Role;
use peygir::store::plans;
use peygir::store::users::{self, Resolved};

use crate::support::Backend;
use crate::support::binary::{self, Run};

/// The store the binary and the test both open, with the login running the tests as its first
/// admin and the agent `sara`.
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

fn setup(backend: Backend) -> Option<Setup> {
    let mut store = binary::Store::open(backend, "plans-cli")?;
    let db = &mut store.db;
    match users::resolve_actor(db, &users::os_login()).expect("the first admin") {
        Resolved::FirstAdmin(_) | Resolved::Existing(_) => {}
    }
    users::insert_user(db, "sara", "Sara Rahimi", Role::Agent, None).expect("add sara");
    Some(Setup { store })
}

impl Setup {
    fn show(&self, name: &str) -> serde_json::Value {
        json(&self.run(&["plan", "show", name, "--format", "json"]).ok())
    }

    /// A CSV file in the store's home.
    fn file(&self, name: &str, text: &str) -> String {
        let path = self.home.path().join(name);
        std::fs::write(&path, text).expect("write the file");
        path.to_str().expect("UTF-8 path").to_string()
    }
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON ({e}):\n{run}"))
}

/// Each line of a shown plan as (group, region, expert, amount, from, to).
fn lines(shown: &serde_json::Value) -> Vec<(String, String, String, i64, String, String)> {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("all").to_string();
    shown["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| {
            (
                text(&l["product_group"]),
                text(&l["region"]),
                text(&l["expert"]),
                l["amount"].as_i64().expect("an amount"),
                text(&l["from"]),
                text(&l["to"]),
            )
        })
        .collect()
}

const YEAR: [&str; 13] = [
    "plan",
    "create",
    "Year 1405",
    "--market",
    "b2b",
    "--term",
    "long",
    "--from",
    "1405/01/01",
    "--to",
    "2027-03-20",
    "--notes",
    "The whole year",
];

cli_tests! {
    fn a_plan_is_created_shown_split_edited_and_deleted(s) {
        s.run(&["plan", "list"]).ok().stdout_has("No sales plans.");
        let mut args = YEAR.to_vec();
        args.extend([
            "--line", "group=equipment,region=tehran,expert=sara,amount=1,200,000,quantity=12",
            "--line", "group=parts,amount=۶۰۰۰۰۰",
            "--line", "group=services,region=fars,amount=400000,from=1405/01/01,to=1405/03/31",
        ]);
        s.run(&args).ok().stdout_has("Recorded sales plan Year 1405 with 3 lines");
        let shown = s.show("Year 1405");
        assert_eq!(shown["market"], "b2b");
        assert_eq!(shown["term"], "long");
        assert_eq!(shown["starts_on"], "2026-03-21");
        assert_eq!(shown["ends_on"], "2027-03-20");
        assert_eq!(shown["notes"], "The whole year");
        assert_eq!(shown["target"], 2_200_000);
        let all = |s: &str| s.to_string();
        assert_eq!(
            lines(&shown),
            [
                (all("equipment"), all("tehran"), all("sara"), 1_200_000, all("2026-03-21"), all("2027-03-20")),
                (all("parts"), all("all"), all("all"), 600_000, all("2026-03-21"), all("2027-03-20")),
                (all("services"), all("fars"), all("all"), 400_000, all("2026-03-21"), all("2026-06-21")),
            ],
            "{shown:#}"
        );
        assert_eq!(shown["lines"][0]["quantity"], 12);
        // The table in the Jalali calendar: names, "all", periods in Jalali.
        s.run(&["--calendar", "jalali", "plan", "show", "Year 1405"]).ok()
            .stdout_has("Industrial equipment")
            .stdout_has("all")
            .stdout_has("1405/01/01")
            .stdout_has("1,200,000");
        let list = json(&s.run(&["plan", "list", "--format", "json"]).ok());
        assert_eq!(list[0]["name"], "Year 1405");
        assert_eq!(list[0]["lines"], 3);
        assert_eq!(list[0]["target"], 2_200_000);
        // Split by the Jalali quarters: each whole-year line in four, the quarter line kept.
        s.run(&["--calendar", "jalali", "plan", "edit", "Year 1405", "--split", "quarter"]).ok()
            .stdout_has("Saved sales plan Year 1405: 9 lines.");
        let shown = s.show("Year 1405");
        let split = lines(&shown);
        assert_eq!(split.len(), 9, "{shown:#}");
        let equipment: Vec<_> = split.iter().filter(|l| l.0 == "equipment").collect();
        assert_eq!(equipment.iter().map(|l| l.3).sum::<i64>(), 1_200_000);
        let starts: Vec<&str> = equipment.iter().map(|l| l.4.as_str()).collect();
        assert_eq!(starts, ["2026-03-21", "2026-06-22", "2026-09-23", "2026-12-22"]);
        let quantities: i64 = shown["lines"].as_array().expect("lines").iter()
            .filter_map(|l| l["quantity"].as_i64()).sum();
        assert_eq!(quantities, 12);
        assert_eq!(shown["target"], 2_200_000);
        assert_eq!(shown["version"], 2);
        // Renamed, its period shortened, its lines replaced.
        s.run(&["plan", "edit", "Year 1405", "--rename", "Spring 1405", "--to", "1405/03/31",
                "--notes", "", "--line", "amount=900000"]).ok()
            .stdout_has("Saved sales plan Spring 1405: 1 lines.");
        s.run(&["plan", "show", "Year 1405"]).refused(1, "no sales plan is called Year 1405");
        let shown = s.show("Spring 1405");
        assert_eq!(shown["ends_on"], "2026-06-21");
        assert_eq!(shown["notes"], serde_json::Value::Null);
        assert_eq!(lines(&shown), [(all("all"), all("all"), all("all"), 900_000, all("2026-03-21"), all("2026-06-21"))]);
        s.run(&["plan", "delete", "Spring 1405"]).ok()
            .stdout_has("Deleted sales plan Spring 1405 and its 1 lines.");
        assert_eq!(plans::count(&mut s.store.db).expect("count"), 0);
        s.run(&["plan", "list"]).ok().stdout_has("No sales plans.");
    }

    fn bad_plans_are_refused_with_one_line(s) {
        let with = |line: &'static str| {
            let mut args = YEAR.to_vec();
            args.extend(["--line", line]);
            args
        };
        s.run(&with("group=nothing,amount=5")).refused(1, "--line 1: group: nothing is not in the list");
        s.run(&with("region=tehran")).refused(1, "--line 1: amount is required");
        s.run(&with("colour=red,amount=5")).refused(1, "--line 1: colour is not one of");
        s.run(&with("amount=5,amount=6")).refused(1, "--line 1: amount is given twice");
        s.run(&with("amount=lots")).refused(1, "--line 1: amount: lots is not a whole number");
        s.run(&with("expert=nobody,amount=5")).refused(1, "--line 1: expert: nobody is not a Peygir user");
        s.run(&with("amount=5,from=1405/01/01")).refused(1, "--line 1: from and to go together");
        let mut bad_market = YEAR.to_vec();
        bad_market[4] = "b2x";
        bad_market.extend(["--line", "amount=5"]);
        s.run(&bad_market).refused(1, "--market: b2x is not in the list");
        // The store's checks: every problem named in one line.
        let mut overlap = YEAR.to_vec();
        overlap.extend(["--line", "region=tehran,amount=5", "--line", "amount=-6"]);
        s.run(&overlap).refused(1, "line 2: must not be negative")
            .stderr_has("line 2 counts the same sales as line 1");
        s.run(&with("amount=5")).ok();
        s.run(&with("amount=7")).refused(1, "another sales plan is already called this");
        s.run(&["plan", "edit", "No such plan", "--term", "short"])
            .refused(1, "no sales plan is called No such plan");
        s.run(&["plan", "delete", "No such plan"]).refused(1, "no sales plan is called No such plan");
        assert_eq!(plans::count(&mut s.store.db).expect("count"), 1);
    }

    fn plans_are_imported_from_csv_all_or_nothing(s) {
        let good = s.file(
            "plans.csv",
            "plan,market,term,plan_from,plan_to,product_group,region,expert,amount,quantity,from,to\r\n\
             Q1 B2B,b2b,short,1405/01/01,1405/03/31,equipment,tehran,sara,\"1,000,000\",10,,\r\n\
             Q1 B2B,b2b,short,1405/01/01,1405/03/31,parts,,,500000,,1405/01/01,1405/01/31\r\n\
             Q1 B2C,B2C,short,2026-03-21,2026-06-21,,,,۲۰۰۰۰۰,,,\r\n",
        );
        s.run(&["plan", "import", &good, "--dry-run"]).ok()
            .stdout_has("Checked 3 rows")
            .stdout_has("2 plans with 3 lines can be imported");
        assert_eq!(plans::count(&mut s.store.db).expect("count"), 0);
        s.run(&["plan", "import", &good]).ok()
            .stdout_has("Imported 2 plans with 3 lines")
            .stdout_has("2 new, 0 replaced");
        let b2b = s.show("Q1 B2B");
        assert_eq!(b2b["target"], 1_500_000);
        assert_eq!(b2b["lines"][0]["quantity"], 10);
        assert_eq!(b2b["lines"][1]["to"], "2026-04-20");
        assert_eq!(s.show("Q1 B2C")["market"], "b2c");
        // Again: both names are on file.
        s.run(&["plan", "import", &good]).expect_code(1)
            .stderr_has("row 2, column plan: a sales plan called Q1 B2B is already on file")
            .stderr_has("row 4, column plan: a sales plan called Q1 B2C is already on file")
            .stderr_has("2 of 3 rows");
        s.run(&["plan", "import", &good, "--replace"]).ok().stdout_has("0 new, 2 replaced");
        assert_eq!(s.show("Q1 B2B")["version"], 2);
        // A file with bad rows: every problem by its row and column, nothing written.
        let bad = s.file(
            "bad.csv",
            "plan,market,term,plan_from,plan_to,region,amount\n\
             H1,b2b,short,1405/01/01,1405/06/31,tehran,100\n\
             H1,b2b,long,1405/01/01,1405/06/31,fars,lots\n\
             H1,b2b,short,1405/01/01,1405/06/31,,5\n\
             H2,b2c,short,1405/01/01,1405/06/31,atlantis,5\n\
             H3,b2c,short,1405/06/31,1405/01/01,,5\n\
             H4,b2c,short,1405/01/01,1405/06/31,,5\n\
             H4,b2c,short,1405/01/01,1405/06/31,tehran,5\n",
        );
        let run = s.run(&["plan", "import", &bad]).expect_code(1)
            .stderr_has("row 3, column term: differs from row 2 of the same plan")
            .stderr_has("row 3, column amount: lots is not a whole number")
            .stderr_has("row 5, column region: atlantis is not an active entry of this list")
            .stderr_has("row 6, column plan_to: must not be before the start")
            .stderr_has("row 8: counts the same sales as row 7")
            .stderr_has("4 of 7 rows of");
        assert!(run.stdout.is_empty(), "{run}");
        assert_eq!(plans::count(&mut s.store.db).expect("count"), 2);
        let header_only = s.file("header.csv", "plan,market,colour\n");
        s.run(&["plan", "import", &header_only]).expect_code(1)
            .stderr_has("column colour: unknown column")
            .stderr_has("the column term is missing");
    }
}
