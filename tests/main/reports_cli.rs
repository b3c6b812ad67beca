//! `peygir report list` and `peygir report NAME` through the real binary, on SQLite and on
//! PostgreSQL: the catalogue listed, the pipeline of a small known set of cases checked by hand
//! (narrowed to an expert, to a unit and to a range), every report run as JSON and written to
//! an xlsx with its chart sheet, and bad input refused with exit code 1 and one line naming what
//! is wrong.

use peygir::db::ids::UserId;
use peygir::store::cases::{self, CaseFields};
use peygir::store::contacts::{self, ContactFields};
use peygir::store::users::{self, Resolved};
use peygir::store::{Role, org_units};

use crate::support::Backend;
use crate::support::binary;

struct Setup {
    store: binary::Store,
}

/// Cases of two experts in two units, all opened today: sara (Tehran sales) has two new cases
/// expecting 100 and 250; ali (Shiraz sales) one new case expecting 40 and one without an
/// amount.
fn setup(backend: Backend) -> Option<Setup> {
    let mut store = binary::Store::open(backend, "reports-cli")?;
    let db = &mut store.db;
    let admin = match users::resolve_actor(db, &users::os_login()).expect("the first admin") {
        Resolved::FirstAdmin(a) | Resolved::Existing(a) => a,
    };
    let tehran = org_units::find_or_add(db, None, "Tehran sales").expect("a unit");
    let shiraz = org_units::find_or_add(db, None, "Shiraz sales").expect("a unit");
    let sara =
        users::insert_user(db, "sara", "Sara Rahimi", Role::Agent, Some(tehran)).expect("sara");
    let ali = users::insert_user(db, "ali", "Ali Karimi", Role::Agent, Some(shiraz)).expect("ali");
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
    let case = |expert: UserId, expected: Option<i64>| CaseFields {
        title: "Pumps".into(),
        company_id: Some(customer),
        expert_id: expert,
        expected_amount: expected,
        ..CaseFields::default()
    };
    for (expert, expected) in [
        (sara, Some(100)),
        (sara, Some(250)),
        (ali, Some(40)),
        (ali, None),
    ] {
        cases::create(db, &admin, case(expert, expected)).expect("a case");
    }
    Some(Setup { store })
}

fn json(run: &binary::Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON: {e}\n{run}"))
}

cli_tests! {
    fn the_pipeline_is_counted_and_narrowed(s) {
        let rows = json(&s.store.run(&["report", "pipeline", "--format", "json"]).ok());
        let row = |i: usize| {
            (
                rows[i]["expert"].as_str().unwrap_or("").to_string(),
                rows[i]["cases"].as_i64(),
                rows[i]["expected_amount"].as_i64(),
            )
        };
        assert_eq!(rows.as_array().map(Vec::len), Some(3), "{rows}");
        assert_eq!(row(0), ("ali".into(), Some(2), Some(40)));
        assert_eq!(row(1), ("sara".into(), Some(2), Some(350)));
        assert_eq!(row(2), (String::new(), Some(4), Some(390)));
        assert_eq!(rows[2]["status"], "Total");
        // One expert, one unit, and a range that ends before today.
        let sara = json(&s.store.run(&["report", "pipeline", "--expert", "sara", "--format", "json"]).ok());
        assert_eq!(sara[0]["cases"], 2);
        let shiraz = json(&s.store.run(&["report", "pipeline", "--unit", "Shiraz sales", "--format", "json"]).ok());
        assert_eq!(shiraz[0]["expert"], "ali");
        let before = json(&s.store.run(&["report", "pipeline", "--to", "-1d", "--format", "json"]).ok());
        assert_eq!(before.as_array().map(Vec::len), Some(1), "only the total: {before}");
        assert_eq!(before[0]["cases"], 0);
    }

    fn every_report_runs_and_writes_an_xlsx(s) {
        let list = json(&s.store.run(&["report", "list", "--format", "json"]).ok());
        let names: Vec<String> = list
            .as_array()
            .expect("a list")
            .iter()
            .map(|r| r["name"].as_str().expect("a name").to_string())
            .collect();
        assert!(names.len() >= 12, "{names:?}");
        for name in &names {
            if name == "plan-vs-actual" {
                // A store without plans says how to make one.
                s.store.run(&["report", name]).refused(1, "There are no sales plans yet");
                continue;
            }
            s.store.run(&["report", name, "--format", "json"]).ok();
            let file = s.store.home.path().join(format!("{name}.xlsx"));
            let run = s.store.run(&["report", name, "-o", file.to_str().expect("a path")]).ok();
            assert!(run.stdout.starts_with("Wrote "), "{run}");
            let bytes = std::fs::read(&file).expect("the xlsx");
            assert_eq!(&bytes[..2], b"PK", "{name}: an xlsx is a zip");
        }
        let file = s.store.home.path().join("pipeline.xlsx");
        let bytes = String::from_utf8_lossy(&std::fs::read(file).expect("the xlsx")).into_owned();
        assert!(bytes.contains("xl/chartsheets/sheet1.xml"), "the pipeline has a chart sheet");
    }

    fn bad_input_is_refused(s) {
        s.store.run(&["report", "nope"])
            .refused(1, "There is no report named \"nope\"");
        s.store.run(&["report", "pipeline", "--days", "3"])
            .refused(1, "does not take --days");
        s.store.run(&["report", "contact-base", "--expert", "sara"])
            .refused(1, "does not take --expert");
        s.store.run(&["report", "pipeline", "--from", "2026-03-01", "--to", "2026-02-01"])
            .refused(1, "is before --from");
        s.store.run(&["report", "pipeline", "--expert", "nobody"])
            .refused(1, "nobody");
        s.store.run(&["report", "pipeline", "--unit", "Mars office"])
            .refused(1, "There is no organisational unit \"Mars office\"");
        s.store.run(&["report", "stale-cases", "--days", "0"])
            .refused(1, "--days 0");
        s.store.run(&["report", "pipeline", "--from", "someday"])
            .refused(1, "--from");
        s.store.run(&["report", "pipeline", "--format", "xlsx"])
            .refused(1, "-o FILE.xlsx");
        s.store.run(&["report", "pipeline", "-o", "/nonexistent/folder/p.xlsx"])
            .refused(1, "/nonexistent/folder/p.xlsx");
        s.store.run(&["report"])
            .refused(1, "Name a report");
    }
}
