//! `peygir report plan-vs-actual` through the real binary, on SQLite and on PostgreSQL: the
//! known quarter of `plan_report` as JSON, CSV and an aligned table, drilled into, beside the
//! other market's plan, written to an xlsx file with its chart sheet, and bad input refused
//! with exit code 1 and one line naming what is wrong.

use peygir::store::plans::{self, Market};
use peygir::store::users::{self, Resolved};

use crate::plan_report::{Known, first_quarter, known_as, line, quarter_with_sales};
use crate::support::Backend;
use crate::support::binary;

struct Setup {
    store: binary::Store,
    known: Known,
}

/// A store with the known quarter and its sales, recorded by the login running the tests.
fn setup(backend: Backend) -> Option<Setup> {
    let mut store = binary::Store::open(backend, "plan-report-cli")?;
    let db = &mut store.db;
    let admin = match users::resolve_actor(db, &users::os_login()).expect("the first admin") {
        Resolved::FirstAdmin(a) | Resolved::Existing(a) => a,
    };
    let known = known_as(db, admin);
    quarter_with_sales(db, &known);
    Some(Setup { store, known })
}

const REPORT: [&str; 4] = ["report", "plan-vs-actual", "--plan", "Q1 B2B"];

fn args<'a>(more: &[&'a str]) -> Vec<&'a str> {
    REPORT.iter().copied().chain(more.iter().copied()).collect()
}

cli_tests! {
    fn the_report_prints_as_json_csv_and_a_table(s) {
        let run = s.store.run(&args(&["--by", "expert", "--today", "2026-02-14", "--format", "json"])).ok();
        let rows: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        let row = |i: usize, key: &str| rows[i][key].clone();
        assert_eq!(row(0, "group"), "sara", "{run}");
        assert_eq!(row(0, "target"), 1_500);
        assert_eq!(row(0, "actual"), 900);
        assert_eq!(row(0, "attainment"), 60.0);
        assert_eq!(row(1, "group"), "ali");
        assert_eq!(row(1, "target_quantity"), 10);
        assert_eq!(row(1, "quantity"), 3);
        assert_eq!(row(2, "group"), "Outside the plan's lines");
        assert_eq!(row(2, "actual"), 150);
        assert_eq!(row(2, "target"), serde_json::Value::Null);
        assert_eq!(row(3, "group"), "Total");
        assert_eq!(row(3, "gap"), 750);
        assert_eq!(row(3, "due_by_today"), 900);
        assert_eq!(row(3, "actual_by_today"), 850);

        let csv = s.store.run(&args(&["--by", "region", "--format", "csv"])).ok();
        let mut lines = csv.stdout.lines();
        assert_eq!(
            lines.next(),
            Some("group,target,actual,attainment,gap,due_by_today,actual_by_today,pace,target_quantity,quantity"),
            "{csv}"
        );
        assert!(csv.stdout.contains("All regions,300,150,50.0,150,"), "{csv}");

        s.store.run(&args(&["--by", "region", "--within", "expert=sara", "--today", "2026-02-14"])).ok()
            .stdout_has("Q1 B2B › sara by region")
            .stdout_has("Total");
        // Without --plan, the latest plan; the same report is in the catalogue.
        s.store.run(&["report", "plan-vs-actual"]).ok().stdout_has("Q1 B2B by product group");
        s.store.run(&["report", "list"]).ok().stdout_has("plan-vs-actual");
    }

    fn the_other_markets_plan_stands_beside_and_xlsx_has_a_chart(s) {
        let k = &s.known;
        plans::create(
            &mut s.store.db,
            &k.admin,
            first_quarter("Q1 B2C", Market::B2c),
            vec![line(None, Some(k.tehran), None, 4_000)],
        )
        .expect("the B2C plan");
        s.store.run(&args(&["--by", "region", "--beside", "--format", "json"])).ok()
            .stdout_has("\"other_actual\": 5000");
        let file = s.store.home.path().join("plan.xlsx");
        let file_arg = file.to_str().expect("a path");
        s.store.run(&args(&["--by", "region", "-o", file_arg])).ok()
            .stdout_has("Wrote 5 rows to");
        let bytes = std::fs::read(&file).expect("the xlsx");
        assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip");
        let listing = String::from_utf8_lossy(&bytes);
        assert!(listing.contains("xl/chartsheets/sheet1.xml"), "a chart sheet");
        assert!(listing.contains("xl/charts/chart1.xml"), "a chart");
    }

    fn bad_input_is_refused(s) {
        s.store.run(&["report", "plan-vs-actual", "--plan", "Nope"])
            .refused(1, "There is no sales plan named \"Nope\"");
        s.store.run(&args(&["--format", "xlsx"]))
            .refused(1, "-o FILE.xlsx");
        s.store.run(&args(&["--within", "colour=red"]))
            .refused(1, "--within colour=red");
        s.store.run(&args(&["--within", "expert=nobody"]))
            .refused(1, "nobody");
        s.store.run(&args(&["--beside"]))
            .refused(1, "No plan of the other market");
        s.store.run(&args(&["-o", "/nonexistent/folder/plan.csv"]))
            .refused(1, "/nonexistent/folder/plan.csv");
    }
}
