//! The sales plan and sales CSV importers reading and checking a file (dry runs against a store of
//! their own), and the CSV cell functions: a value written with `csv_cell` reads back with
//! `from_csv_cell` as itself, and a cell read as a formula is one.

#![no_main]

#[path = "common/store.rs"]
mod store;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use peygir::db::Db;
use peygir::exchange::plans::{self, PlanImportOptions};
use peygir::exchange::sales;
use peygir::exchange::table::{csv_cell, from_csv_cell, is_formula};
use peygir::exchange::{Error, ImportOptions, Problem};
use peygir::store::Actor;

thread_local! {
    static STORE: RefCell<(Db, Actor)> = RefCell::new(store::open());
}

fn check_refused(bytes: &[u8], problems: &[Problem]) {
    assert!(!problems.is_empty(), "refused without a reason");
    let last = store::last_row(bytes);
    assert!(
        problems.iter().all(|p| (1..=last).contains(&p.row)),
        "a problem outside the file: {problems:?}"
    );
}

fn is_utf8(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).is_ok()
}

fn plans(db: &mut Db, actor: &Actor, bytes: &[u8]) {
    let options = PlanImportOptions {
        dry_run: true,
        replace: false,
    };
    match plans::import_plans_from_bytes(db, actor, Path::new("plans.csv"), bytes, &options) {
        Ok(report) => {
            assert!(is_utf8(bytes), "bytes that are not UTF-8 were read");
            assert!(!report.written, "a dry run wrote");
            let last = store::last_row(bytes);
            assert!(
                report.problems.iter().all(|p| (2..=last).contains(&p.row)),
                "a problem outside the data rows: {report:?}"
            );
        }
        Err(Error::Refused { problems, .. }) => check_refused(bytes, &problems),
        Err(e) => panic!("the plan import failed: {e}"),
    }
}

fn sales(db: &mut Db, actor: &Actor, bytes: &[u8]) {
    let options = ImportOptions {
        dry_run: true,
        skip_invalid: false,
    };
    let file = Path::new("sales.csv");
    match sales::import_sales_from_bytes(db, actor, file, bytes, &options, &mut |_, _| {}) {
        Ok(report) => {
            assert!(is_utf8(bytes), "bytes that are not UTF-8 were read");
            assert!(!report.written, "a dry run wrote");
            assert_eq!(
                report.imported + report.bad_rows,
                report.rows,
                "a row neither good nor bad: {report:?}"
            );
            let bad: BTreeSet<u64> = report.problems.iter().map(|p| p.row).collect();
            assert_eq!(bad.len() as u64, report.bad_rows, "{report:?}");
            let last = store::last_row(bytes);
            assert!(
                report.problems.iter().all(|p| (2..=last).contains(&p.row)),
                "a problem outside the data rows: {report:?}"
            );
        }
        Err(Error::Refused { problems, .. }) => check_refused(bytes, &problems),
        Err(e) => panic!("the sales import failed: {e}"),
    }
}

fn cells(text: &str) {
    // Any value survives a round trip through a CSV cell.
    let cell = csv_cell(text);
    assert_eq!(from_csv_cell(&cell), Ok(text), "cell {cell:?}");
    // A cell read as a value is that value written again, and a refused cell is a formula.
    match from_csv_cell(text) {
        Ok(value) => assert_eq!(from_csv_cell(&csv_cell(value)), Ok(value)),
        Err(_) => assert!(is_formula(text), "{text:?} refused but no formula"),
    }
    // A written cell is never a formula a spreadsheet would run.
    assert!(!is_formula(&cell), "{cell:?} would run");
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    match which % 3 {
        0 => STORE.with_borrow_mut(|(db, actor)| plans(db, actor, bytes)),
        1 => STORE.with_borrow_mut(|(db, actor)| sales(db, actor, bytes)),
        _ => {
            if let Ok(text) = std::str::from_utf8(bytes) {
                cells(text);
            }
        }
    }
});
