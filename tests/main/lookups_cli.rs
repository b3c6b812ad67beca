//! `peygir lookup …` through the real binary, on SQLite and on PostgreSQL: the lists named, a
//! tree-shaped list shown indented and as JSON, a city added under a province, moved to another,
//! renamed, disabled (out of the list, in it with --all) and enabled again; and bad input refused
//! with exit code 1 and one line naming what is wrong: an unknown list (naming those there are),
//! an unknown entry, a taken code, a cycle, a parent in a flat list, and an agent.

use diesel::prelude::*;

use peygir::db::schema::users as users_table;
use peygir::store::lookups::{self, List, Lookup};
use peygir::store::users::{self, Resolved};

use crate::support::Backend;
use crate::support::binary::{self, Run};

/// The store the binary and the test both open; the login running the tests is its first admin.
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
    let mut store = binary::Store::open(backend, "lookups-cli")?;
    match users::resolve_actor(&mut store.db, &users::os_login()).expect("the first admin") {
        Resolved::FirstAdmin(_) | Resolved::Existing(_) => {}
    }
    Some(Setup { store })
}

impl Setup {
    fn entry(&mut self, list: List, code: &str) -> Option<Lookup> {
        lookups::find(&mut self.db, list, code).expect("read")
    }

    /// Makes the login running the binary an agent.
    fn demote(&mut self) {
        diesel::update(users_table::table.filter(users_table::login.eq(users::os_login())))
            .set(users_table::role.eq("agent"))
            .execute(&mut self.db)
            .expect("demoted");
    }
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON ({e}):\n{run}"))
}

cli_tests! {
    fn the_lists_are_named_and_a_tree_is_shown_indented(s) {
        let run = s.run(&["lookup", "lists"]).ok();
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), 1 + List::ALL.len(), "{run}");
        assert!(lines[0].starts_with("List") && lines[0].contains("Shape"), "{run}");
        assert!(
            lines.iter().any(|l| l.starts_with("product-group") && l.contains("Product groups") && l.contains("tree")),
            "{run}"
        );
        assert!(lines.iter().any(|l| l.starts_with("marketing-channel") && l.contains("flat")), "{run}");
        // In Persian too.
        let run = s.run(&["--lang", "fa", "lookup", "lists"]).ok();
        assert!(run.stdout.contains("مناطق") && run.stdout.contains("درختی"), "{run}");

        let run = s.run(&["lookup", "list", "region"]).ok();
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert!(lines[0].starts_with("Code") && lines[0].contains("Active"), "{run}");
        assert!(lines[1].starts_with("tehran ") && lines[1].contains("Tehran province"), "{run}");
        assert!(lines[2].starts_with("  tehran.tehran ") && lines[2].ends_with("yes"), "{run}");
        // A flat list, in the store's underscore name too.
        s.run(&["lookup", "list", "followup_kind"]).ok().stdout_has("fax");

        let run = s.run(&["lookup", "list", "product-group", "--format", "json"]).ok();
        let value = json(&run);
        let rows = value.as_array().expect("an array");
        assert_eq!(rows[0]["code"], "equipment");
        assert_eq!(rows[0]["depth"], 0);
        assert_eq!(rows[0]["parent"], serde_json::Value::Null);
        assert_eq!(rows[1]["code"], "equipment.pumps");
        assert_eq!(rows[1]["parent"], "equipment");
        assert_eq!(rows[1]["depth"], 1);
        assert_eq!(rows[1]["active"], true);
    }

    fn a_city_is_added_moved_renamed_disabled_and_enabled(s) {
        let run = s.run(&["lookup", "add", "region", "Pardis", "--parent", "tehran"]).ok();
        assert_eq!(run.stdout, "Added Pardis (tehran.pardis) under Tehran province.\n", "{run}");
        let pardis = s.entry(List::Region, "tehran.pardis").expect("added");
        let tehran = s.entry(List::Region, "tehran").expect("Tehran province");
        assert_eq!(pardis.parent_id, Some(tehran.id));

        // By its id, to another province.
        let id = pardis.id.to_string();
        let run = s.run(&["lookup", "move", "region", &id, "--parent", "isfahan"]).ok();
        assert_eq!(run.stdout, "Moved Pardis under Isfahan province.\n", "{run}");
        let isfahan = s.entry(List::Region, "isfahan").expect("Isfahan province");
        assert_eq!(s.entry(List::Region, "tehran.pardis").and_then(|e| e.parent_id), Some(isfahan.id));
        let run = s.run(&["lookup", "list", "region"]).ok();
        let at = run.stdout.find("  tehran.pardis").expect("listed");
        assert!(run.stdout[..at].contains("isfahan.najafabad"), "last under Isfahan:\n{run}");

        s.run(&["lookup", "rename", "region", "tehran.pardis", "Pardis new town"])
            .ok()
            .stdout_has("Renamed Pardis to Pardis new town (tehran.pardis).");
        s.run(&["lookup", "move", "region", "tehran.pardis", "--top"])
            .ok()
            .stdout_has("Moved Pardis new town to the top of Regions.");

        let run = s.run(&["lookup", "disable", "region", "tehran.pardis"]).ok();
        assert!(run.stdout.starts_with("Disabled Pardis new town (tehran.pardis)"), "{run}");
        assert!(!s.entry(List::Region, "tehran.pardis").expect("still there").active);
        assert!(!s.run(&["lookup", "list", "region"]).ok().stdout.contains("pardis"));
        let run = s.run(&["lookup", "list", "region", "--all"]).ok();
        let line = run.stdout.lines().find(|l| l.contains("tehran.pardis")).expect("listed with --all");
        assert!(line.ends_with("no"), "{run}");
        s.run(&["lookup", "disable", "region", "tehran.pardis"]).ok().stdout_has("was already disabled");
        s.run(&["lookup", "enable", "region", "tehran.pardis"]).ok().stdout_has("Enabled Pardis new town");
        assert!(s.entry(List::Region, "tehran.pardis").expect("there").active);

        // A code given, and a name without Latin letters numbered.
        s.run(&["lookup", "add", "product-group", "Hoses", "--code", "parts.hoses", "--parent", "parts"])
            .ok()
            .stdout_has("(parts.hoses)");
        let run = s.run(&["--lang", "fa", "lookup", "add", "region", "استان گیلان"]).ok();
        assert!(run.stdout.contains("(region-"), "{run}");
    }

    fn bad_input_is_refused_with_one_line(s) {
        s.run(&["lookup", "list", "regions"])
            .refused(1, "regions is not a list; the lists are marketing-channel, followup-kind");
        s.run(&["lookup", "add", "provinces", "Qom"]).refused(1, "product-group, region");
        s.run(&["lookup", "rename", "region", "nowhere", "X"])
            .refused(1, "region: no entry has the code or id nowhere");
        s.run(&["lookup", "add", "region", "Varamin", "--parent", "tehran"])
            .refused(1, "the code tehran.varamin is already Varamin's");
        s.run(&["lookup", "add", "region", " ", "--parent", "tehran"]).refused(1, "Name:");
        s.run(&["lookup", "move", "region", "tehran", "--parent", "tehran.tehran"])
            .refused(1, "Tehran province cannot be moved under Tehran, which is inside it");
        s.run(&["lookup", "move", "region", "tehran", "--parent", "tehran"])
            .refused(1, "cannot be moved under itself");
        s.run(&["lookup", "add", "marketing-channel", "Radio", "--parent", "website"])
            .refused(1, "Marketing channels is a flat list");
        // --parent or --top, not neither.
        let run = s.run(&["lookup", "move", "region", "tehran"]).expect_code(2);
        assert!(run.stderr.contains("--parent") && run.stderr.contains("--top"), "{run}");
        assert!(s.entry(List::Region, "tehran").expect("there").parent_id.is_none());
        assert!(s.entry(List::MarketingChannel, "radio").is_none());
    }

    fn an_agent_lists_but_changes_nothing(s) {
        s.demote();
        s.run(&["lookup", "list", "region"]).ok().stdout_has("tehran.varamin");
        for args in [
            &["lookup", "add", "region", "Pardis", "--parent", "tehran"][..],
            &["lookup", "rename", "region", "tehran", "Tehran"],
            &["lookup", "move", "region", "tehran.varamin", "--top"],
            &["lookup", "disable", "region", "tehran.varamin"],
            &["lookup", "enable", "region", "tehran.varamin"],
        ] {
            s.run(args).refused(1, "may not change the reference lists");
        }
        let varamin = s.entry(List::Region, "tehran.varamin").expect("there");
        assert!(varamin.active && varamin.parent_id.is_some() && varamin.version == 1);
        assert!(s.entry(List::Region, "tehran.pardis").is_none());
    }
}
