//! `peygir unit …` through the real binary, on SQLite and on PostgreSQL: units added at the top
//! and under another, renamed, moved, listed with their paths and audited; a unit put inside
//! itself, a twin name, an unknown parent and an agent refused with exit code 1, nothing
//! changed.

use peygir::store::users::{self, Resolved};
use peygir::store::{Role, audit};

use crate::support::Backend;
use crate::support::binary;

struct Setup {
    store: binary::Store,
}

/// A store whose first admin is the login running the tests, and the agent sara.
fn setup(backend: Backend) -> Option<Setup> {
    let mut store = binary::Store::open(backend, "units-cli")?;
    match users::resolve_actor(&mut store.db, &users::os_login()).expect("the first admin") {
        Resolved::FirstAdmin(_) | Resolved::Existing(_) => {}
    }
    users::insert_user(&mut store.db, "sara", "Sara Rahimi", Role::Agent, None).expect("sara");
    Some(Setup { store })
}

cli_tests! {
    fn units_are_added_renamed_moved_and_listed(s) {
        s.store.run(&["unit", "list"]).ok().stdout_has("No organisational units yet");
        s.store.run(&["unit", "add", "Head office"]).ok().stdout_has("Added the unit Head office.");
        s.store.run(&["unit", "add", "Tehran sales", "--parent", "head office"]).ok()
            .stdout_has("Added the unit Head office / Tehran sales.");
        s.store.run(&["unit", "add", "Isfahan"]).ok();
        s.store.run(&["unit", "rename", "Isfahan", "Isfahan sales"]).ok()
            .stdout_has("Saved the unit Isfahan sales.");
        s.store.run(&["unit", "move", "Isfahan sales", "--parent", "Head office"]).ok()
            .stdout_has("Saved the unit Head office / Isfahan sales.");
        let listed = s.store.run(&["unit", "list", "--format", "json"]).ok();
        let units: serde_json::Value = serde_json::from_str(&listed.stdout).expect("JSON");
        let paths: Vec<&str> = units
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|u| u["path"].as_str())
            .collect();
        assert_eq!(
            paths,
            ["Head office", "Head office / Isfahan sales", "Head office / Tehran sales"]
        );
        // A user is put in a unit by its own name.
        s.store.run(&["user", "set-unit", "sara", "Tehran sales"]).ok();
        let trail = audit::search(
            &mut s.store.db,
            &audit::AuditFilter {
                entity: Some("org-unit".into()),
                limit: 100,
                ..audit::AuditFilter::default()
            },
        )
        .expect("the audit log");
        assert_eq!(trail.len(), 5, "three added, one renamed, one moved");
    }

    fn bad_changes_are_refused_and_change_nothing(s) {
        s.store.run(&["unit", "add", "Head office"]).ok();
        s.store.run(&["unit", "add", "Tehran sales", "--parent", "Head office"]).ok();
        s.store.run(&["unit", "move", "Head office", "--parent", "Tehran sales"])
            .refused(1, "cannot be put inside itself");
        s.store.run(&["unit", "add", "tehran SALES", "--parent", "Head office"])
            .refused(1, "already a unit called");
        s.store.run(&["unit", "add", "Shiraz", "--parent", "Mars office"])
            .refused(1, "Mars office");
        s.store.run(&["unit", "add", "  "]).refused(1, "is required");
        s.store.run(&["--user", "sara", "unit", "add", "Shiraz"])
            .refused(1, "sara may not add or change organisational units");
        let listed = s.store.run(&["unit", "list", "--format", "json"]).ok();
        assert_eq!(listed.stdout.matches("\"path\"").count(), 2, "{listed}");
    }
}
