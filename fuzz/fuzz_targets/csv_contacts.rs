//! The contacts CSV importer reading and checking a file, as a dry run against a store of its
//! own: the file is refused whole or every row is counted once, good or bad, with its problems
//! in row order.

#![no_main]

#[path = "common/store.rs"]
mod store;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use peygir::db::Db;
use peygir::exchange::{self, Error, ImportOptions};
use peygir::store::Actor;

thread_local! {
    static STORE: RefCell<(Db, Actor)> = RefCell::new(store::open());
}

fuzz_target!(|bytes: &[u8]| {
    let options = ImportOptions {
        dry_run: true,
        skip_invalid: false,
    };
    let outcome = STORE.with_borrow_mut(|(db, actor)| {
        exchange::import_contacts_from_bytes(
            db,
            actor,
            Path::new("fuzz.csv"),
            bytes,
            &options,
            &mut |_, _| {},
        )
    });
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
    match outcome {
        Ok(report) => {
            assert!(text.is_ok(), "bytes that are not UTF-8 were read");
            assert!(!report.written, "a dry run wrote");
            assert_eq!(
                report.imported + report.bad_rows,
                report.rows,
                "a row neither good nor bad: {report:?}"
            );
            let bad: BTreeSet<u64> = report.problems.iter().map(|p| p.row).collect();
            assert_eq!(bad.len() as u64, report.bad_rows, "{report:?}");
            assert!(
                report.problems.windows(2).all(|w| w[0].row <= w[1].row),
                "problems out of row order: {report:?}"
            );
            let last = store::last_row(bytes);
            assert!(
                report.problems.iter().all(|p| (2..=last).contains(&p.row)),
                "a problem outside the data rows: {report:?}"
            );
        }
        Err(Error::Refused { problems, .. }) => {
            assert!(!problems.is_empty(), "refused without a reason");
            let last = store::last_row(bytes);
            assert!(
                problems.iter().all(|p| (1..=last).contains(&p.row)),
                "a problem outside the file: {problems:?}"
            );
        }
        Err(e) => panic!("the import failed: {e}"),
    }
});
