//! `peygir import sales` through the real binary, on SQLite and on PostgreSQL: a good file
//! imports its sales (customers by national ID, mobile and id, lists by code and name, a case by
//! its number), a bad row stops the whole import naming its row and column, a dry run writes
//! nothing, `--skip-invalid` imports the good rows, and a Jalali date under Persian headers.

use chrono::NaiveDate;
use diesel::prelude::*;

use peygir::db::ids::{CaseId, ContactId};
use peygir::db::schema::sales;
use peygir::store::cases::{self, CaseFields};
use peygir::store::contacts::{self, ContactFields};
use peygir::store::users::{self, Resolved};
use peygir::store::{Actor, Role};

use crate::support::Backend;
use crate::support::binary::{self, Run};

/// The store the binary and the test both open, with a company, a person and the company's case.
struct Setup {
    store: binary::Store,
    company: ContactId,
    person: ContactId,
    case: CaseId,
    case_number: String,
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

/// The company's national ID and the person's mobile.
const COMPANY_ID: &str = "10101010103";
const MOBILE: &str = "09121234567";

/// A store of `backend` with its defaults, the login running the tests as its first admin, the
/// expert `sara`, the company Taban Shimi with a case, and the person Ali Kazemi.
fn setup(backend: Backend) -> Option<Setup> {
    let mut store = binary::Store::open(backend, "sales-cli")?;
    let db = &mut store.db;
    let admin: Actor = match users::resolve_actor(db, &users::os_login()).expect("the first admin")
    {
        Resolved::FirstAdmin(a) | Resolved::Existing(a) => a,
    };
    let sara = users::insert_user(db, "sara", "Sara Rahimi", Role::Agent, None).expect("sara");
    let company = contacts::create(
        db,
        &admin,
        ContactFields {
            kind: "company".into(),
            company_name: Some("Taban Shimi".into()),
            company_national_id: Some(COMPANY_ID.into()),
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
            mobile: Some(MOBILE.into()),
            ..ContactFields::default()
        },
    )
    .expect("a person")
    .id;
    let case = cases::create(
        db,
        &admin,
        CaseFields {
            title: "Packaging line".into(),
            company_id: Some(company),
            expert_id: sara,
            ..CaseFields::default()
        },
    )
    .expect("a case");
    Some(Setup {
        store,
        company,
        person,
        case: case.id,
        case_number: case.number,
    })
}

/// A stored sale as the test reads it back.
type Stored = (
    Option<CaseId>,
    ContactId,
    String,
    i64,
    i64,
    NaiveDate,
    Option<String>,
);

impl Setup {
    /// Writes `text` to `name` in the store's home; its path.
    fn file(&self, name: &str, text: &str) -> String {
        let path = self.home.path().join(name);
        std::fs::write(&path, text).expect("write the file");
        path.to_str().expect("UTF-8 path").to_string()
    }

    fn import(&self, file: &str, extra: &[&str]) -> Run {
        let mut args = vec!["import", "sales", file];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// The sales on file, in the order they were stored.
    fn sales(&mut self) -> Vec<Stored> {
        sales::table
            .order(sales::id.asc())
            .select((
                sales::case_id,
                sales::contact_id,
                sales::market,
                sales::amount,
                sales::quantity,
                sales::sold_on,
                sales::note,
            ))
            .load(&mut self.db)
            .expect("the sales")
    }

    /// A file of a good row for the company, one for the person, and `extra` rows.
    fn good_file(&self, extra: &str) -> String {
        self.file(
            "sales.csv",
            &format!(
                "amount,sold_on,customer,expert,quantity,product_group,region,case,note\n\
                 \"1,250,000\",2026-05-01,{COMPANY_ID},sara,3,equipment.pumps,Tehran,{},Invoice 4711\n\
                 ۸۵۰۰۰۰,2026-05-02,0912 123 4567,sara,,,,,\n{extra}",
                self.case_number
            ),
        )
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

cli_tests! {
    fn a_good_file_imports_its_sales(s) {
        let file = s.good_file("");
        s.import(&file, &[]).ok().stdout_has("Imported 2 sales from");
        let (company, person, case) = (s.company, s.person, s.case);
        assert_eq!(
            s.sales(),
            vec![
                (Some(case), company, "b2b".into(), 1_250_000, 3, day(2026, 5, 1), Some("Invoice 4711".into())),
                (None, person, "b2c".into(), 850_000, 1, day(2026, 5, 2), None),
            ]
        );
    }

    fn a_bad_row_imports_nothing_and_is_named_by_row_and_column(s) {
        let file = s.good_file(&format!("-5,2026-05-03,{},nobody,,,,,\n", s.person));
        let run = s.import(&file, &[]).expect_code(1);
        let run = run
            .stderr_has("row 4, column amount: must not be negative")
            .stderr_has("row 4, column expert: nobody is not a Peygir user")
            .stderr_has("1 of 3 rows");
        assert!(run.stdout.is_empty(), "{run}");
        assert!(s.sales().is_empty(), "nothing was imported");
    }

    fn a_dry_run_writes_nothing(s) {
        let file = s.good_file("");
        s.import(&file, &["--dry-run"])
            .ok()
            .stdout_has("Checked 2 rows")
            .stdout_has("2 can be imported");
        assert!(s.sales().is_empty());
        // A bad row fails the dry run as it would fail the import.
        let file = s.good_file("5,2026-05-03,nobody,sara,,,,,\n");
        s.import(&file, &["--dry-run"])
            .expect_code(1)
            .stderr_has("row 4, column customer: no contact has");
        assert!(s.sales().is_empty());
    }

    fn skip_invalid_imports_the_good_rows(s) {
        let file = s.good_file("2026-05-03,1,nobody,sara,,,,,\n");
        s.import(&file, &["--skip-invalid"])
            .ok()
            .stdout_has("Imported 2 sales")
            .stdout_has("skipped 1 rows")
            .stderr_has("row 4, column amount: 2026-05-03 is not a whole number");
        assert_eq!(s.sales().len(), 2);
    }

    fn a_jalali_date_under_persian_headers(s) {
        let file = s.file(
            "فروش.csv",
            &format!("تاریخ فروش,مبلغ,مشتری,کارشناس,بازار\n۱۴۰۵/۰۲/۱۱,۲٬۰۰۰,{},sara,B2C\n", s.person),
        );
        s.import(&file, &[]).ok().stdout_has("Imported 1 sales");
        let sales = s.sales();
        assert_eq!(sales.len(), 1);
        assert_eq!((sales[0].5, sales[0].3, sales[0].2.as_str()), (day(2026, 5, 1), 2_000, "b2c"));
    }
}
