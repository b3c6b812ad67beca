//! The reference lists edited through the store, on both backends: an entry added (its code made
//! from its name, under its parent's code, or numbered for a name without Latin letters) and
//! audited, renamed, moved within its tree and taken out of use and back; and every bad change
//! refused with the field named: an empty name, a code taken, a parent that is not there, in
//! another list or under the entry itself, a parent in a flat list, a stale version, an agent.

use peygir::db::Db;
use peygir::db::ids::LookupId;
use peygir::error::Error;
use peygir::store::audit;
use peygir::store::lookups::{self, List, Lookup};
use peygir::store::users;
use peygir::store::{self as store, Actor, Role};

use crate::support::admin;

/// The default entry `code` of `list`.
fn entry(db: &mut Db, list: List, code: &str) -> Lookup {
    lookups::find(db, list, code)
        .expect("read")
        .unwrap_or_else(|| panic!("{code} is a default entry"))
}

/// The store with its defaults, and its admin.
fn ready(db: &mut Db) -> Actor {
    store::ensure_defaults(db).expect("defaults");
    admin(db)
}

/// The fields (as catalog keys) a refused change names.
fn refused_fields<T: std::fmt::Debug>(result: Result<T, Error>) -> Vec<&'static str> {
    match result {
        Err(Error::Invalid(errors)) => errors.iter().map(|e| e.field).collect(),
        other => panic!("expected the change refused as invalid, got {other:?}"),
    }
}

/// The reasons a refused change gives, joined.
fn reasons<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Invalid(errors)) => errors
            .iter()
            .map(|e| e.reason.clone())
            .collect::<Vec<_>>()
            .join("; "),
        other => panic!("expected the change refused as invalid, got {other:?}"),
    }
}

fn codes(db: &mut Db, list: List) -> Vec<String> {
    lookups::items(db, list)
        .expect("items")
        .into_iter()
        .map(|e| e.code)
        .collect()
}

#[test]
fn the_tree_shaped_lists_are_product_groups_regions_and_complaint_categories() {
    let trees: Vec<List> = List::ALL.into_iter().filter(|l| l.is_tree()).collect();
    assert_eq!(
        trees,
        [List::ProductGroup, List::Region, List::ComplaintCategory]
    );
    for list in List::ALL {
        assert_eq!(List::parse_cli(list.cli_name()), Some(list));
        assert_eq!(List::parse_cli(list.as_str()), Some(list));
    }
    assert_eq!(List::parse_cli("regions"), None);
}

store_tests! {
    fn an_entry_is_added_after_its_siblings_with_a_code_made_from_its_name(db, backend) {
        let admin = ready(db);
        let tehran = entry(db, List::Region, "tehran");
        // Under a province: the province's code in front, after its last city.
        let city = lookups::add(db, &admin, List::Region, Some(tehran.id), "  Pardis ", None)
            .expect("added");
        assert_eq!(city.code, "tehran.pardis");
        assert_eq!(city.name, "Pardis");
        assert_eq!(city.parent_id, Some(tehran.id));
        assert!(city.active);
        assert_eq!(city.version, 1);
        let siblings: Vec<Lookup> = lookups::items(db, List::Region)
            .expect("regions")
            .into_iter()
            .filter(|e| e.parent_id == Some(tehran.id))
            .collect();
        assert_eq!(siblings.last().map(|e| e.id), Some(city.id), "last among its siblings");
        assert!(siblings.iter().all(|e| e.id == city.id || e.position < city.position));

        // At the top: its ASCII words, lower case; a name without Latin letters is numbered.
        let top = lookups::add(db, &admin, List::ProductGroup, None, "Hydraulic Parts & Kits", None)
            .expect("added");
        assert_eq!(top.code, "hydraulic-parts-kits");
        assert_eq!(top.parent_id, None);
        let persian = lookups::add(db, &admin, List::Region, None, "استان گیلان", None)
            .expect("added");
        assert!(persian.code.starts_with("region-"), "{}", persian.code);
        assert!(persian.code["region-".len()..].parse::<u32>().is_ok(), "{}", persian.code);
        let other = lookups::add(db, &admin, List::Region, Some(persian.id), "رشت", None)
            .expect("added");
        assert_ne!(other.code, persian.code);
        // A code given is kept as given.
        let given = lookups::add(db, &admin, List::MarketingChannel, None, "Radio", Some("radio-ads"))
            .expect("added");
        assert_eq!(given.code, "radio-ads");

        // Found by its code or its id, in its own list only.
        assert_eq!(lookups::find(db, List::Region, "tehran.pardis").expect("find"), Some(city.clone()));
        assert_eq!(lookups::find(db, List::Region, &city.id.to_string()).expect("find"), Some(city.clone()));
        assert_eq!(lookups::find(db, List::ProductGroup, &city.id.to_string()).expect("find"), None);
        assert_eq!(lookups::find(db, List::Region, "nowhere").expect("find"), None);

        // Audited as created.
        let trail = audit::history(db, lookups::ENTITY, city.id).expect("audit");
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].action, "create");
        assert!(trail[0].new_values.as_deref().is_some_and(|v| v.contains("tehran.pardis")));
    }

    fn a_bad_entry_is_refused_with_each_problem_named(db, backend) {
        let admin = ready(db);
        let before = lookups::items_all(db, List::Region).expect("regions").len();
        let tehran = entry(db, List::Region, "tehran");
        // An empty name, and a parent that is not there, at once.
        let fields = refused_fields(lookups::add(
            db, &admin, List::Region, Some(LookupId(987_654)), " \u{7} ", None,
        ));
        assert_eq!(fields, ["field.lookup-name", "field.lookup-parent"]);
        // A code taken in the list, made or given.
        let taken = reasons(lookups::add(db, &admin, List::Region, Some(tehran.id), "Varamin", None));
        assert!(taken.contains("tehran.varamin"), "{taken}");
        let fields = refused_fields(lookups::add(db, &admin, List::Region, None, "Alborz", Some("fars")));
        assert_eq!(fields, ["field.lookup-code"]);
        // The same code in another list is no clash.
        lookups::add(db, &admin, List::ProductGroup, None, "Fars goods", Some("fars")).expect("added");
        // A code with a space, or a bare number.
        assert_eq!(
            refused_fields(lookups::add(db, &admin, List::Region, None, "Qom", Some("qom province"))),
            ["field.lookup-code"]
        );
        assert_eq!(
            refused_fields(lookups::add(db, &admin, List::Region, None, "Qom", Some("42"))),
            ["field.lookup-code"]
        );
        // A parent in another list.
        let pumps = entry(db, List::ProductGroup, "equipment.pumps");
        let other = reasons(lookups::add(db, &admin, List::Region, Some(pumps.id), "Karaj", None));
        assert!(other.contains("Pumps") && other.contains("Product groups"), "{other}");
        // A flat list takes no parent.
        let website = entry(db, List::MarketingChannel, "website");
        let flat = reasons(lookups::add(
            db, &admin, List::MarketingChannel, Some(website.id), "Landing page", None,
        ));
        assert!(flat.contains("Marketing channels") && flat.contains("flat"), "{flat}");
        assert_eq!(lookups::items_all(db, List::Region).expect("regions").len(), before);
    }

    fn an_entry_is_renamed_keeping_its_code_and_a_stale_version_is_a_conflict(db, backend) {
        let admin = ready(db);
        let fax = entry(db, List::FollowupKind, "fax");
        let renamed = lookups::rename(db, &admin, fax.id, fax.version, " Telefax ").expect("renamed");
        assert_eq!(renamed.name, "Telefax");
        assert_eq!(renamed.code, "fax");
        assert_eq!(renamed.version, fax.version + 1);
        // The same name again changes nothing.
        let same = lookups::rename(db, &admin, fax.id, renamed.version, "Telefax").expect("same");
        assert_eq!(same.version, renamed.version);
        // An empty name is refused; a stale version is a conflict.
        assert_eq!(
            refused_fields(lookups::rename(db, &admin, fax.id, renamed.version, "  ")),
            ["field.lookup-name"]
        );
        assert!(matches!(
            lookups::rename(db, &admin, fax.id, fax.version, "Fax machine"),
            Err(Error::Conflict { .. })
        ));
        let trail = audit::history(db, lookups::ENTITY, fax.id).expect("audit");
        assert_eq!(trail.len(), 1);
        assert!(trail[0].old_values.as_deref().is_some_and(|v| v.contains("\"Fax\"")));
        assert!(trail[0].new_values.as_deref().is_some_and(|v| v.contains("Telefax")));
    }

    fn an_entry_moves_within_its_tree_but_never_under_itself(db, backend) {
        let admin = ready(db);
        let tehran = entry(db, List::Region, "tehran");
        let isfahan = entry(db, List::Region, "isfahan");
        let varamin = entry(db, List::Region, "tehran.varamin");
        // A city to another province: last among its new siblings, its code unchanged.
        let moved = lookups::move_to(db, &admin, varamin.id, varamin.version, Some(isfahan.id))
            .expect("moved");
        assert_eq!(moved.parent_id, Some(isfahan.id));
        assert_eq!(moved.code, "tehran.varamin");
        let under_isfahan: Vec<LookupId> = lookups::items(db, List::Region)
            .expect("regions")
            .into_iter()
            .filter(|e| e.parent_id == Some(isfahan.id))
            .map(|e| e.id)
            .collect();
        assert_eq!(under_isfahan.last(), Some(&varamin.id));
        // To the top, and back.
        let top = lookups::move_to(db, &admin, varamin.id, moved.version, None).expect("to the top");
        assert_eq!(top.parent_id, None);
        let back = lookups::move_to(db, &admin, varamin.id, top.version, Some(tehran.id))
            .expect("back");
        assert_eq!(back.parent_id, Some(tehran.id));

        // Under itself, or under what is under it.
        let itself = reasons(lookups::move_to(db, &admin, tehran.id, tehran.version, Some(tehran.id)));
        assert!(itself.contains("under itself"), "{itself}");
        let city = entry(db, List::Region, "tehran.tehran");
        let below = lookups::add(db, &admin, List::Region, Some(city.id), "District 1", None)
            .expect("a district");
        assert_eq!(below.code, "tehran.tehran.district-1");
        let cycle = refused_fields(lookups::move_to(db, &admin, tehran.id, tehran.version, Some(below.id)));
        assert_eq!(cycle, ["field.lookup-parent"]);
        // Under another list's entry, or a missing one.
        let pumps = entry(db, List::ProductGroup, "equipment.pumps");
        assert_eq!(
            refused_fields(lookups::move_to(db, &admin, varamin.id, back.version, Some(pumps.id))),
            ["field.lookup-parent"]
        );
        assert_eq!(
            refused_fields(lookups::move_to(db, &admin, varamin.id, back.version, Some(LookupId(987_654)))),
            ["field.lookup-parent"]
        );
        // A flat list's entry stands under no other.
        let phone = entry(db, List::FollowupKind, "phone");
        let email = entry(db, List::FollowupKind, "email");
        assert_eq!(
            refused_fields(lookups::move_to(db, &admin, phone.id, phone.version, Some(email.id))),
            ["field.lookup-parent"]
        );
        // A stale version is a conflict.
        assert!(matches!(
            lookups::move_to(db, &admin, varamin.id, varamin.version, None),
            Err(Error::Conflict { .. })
        ));
        // Nothing refused was written: the tree is as the three moves left it.
        assert_eq!(entry(db, List::Region, "tehran").parent_id, None);
        assert_eq!(audit::history(db, lookups::ENTITY, varamin.id).expect("audit").len(), 3);
    }

    fn an_inactive_entry_is_no_longer_offered_but_stays_on_file(db, backend) {
        let admin = ready(db);
        let fax = entry(db, List::FollowupKind, "fax");
        let off = lookups::set_active(db, &admin, fax.id, fax.version, false).expect("disabled");
        assert!(!off.active);
        assert!(!codes(db, List::FollowupKind).contains(&"fax".to_string()));
        assert!(!lookups::ids(db, List::FollowupKind).expect("ids").contains(&fax.id));
        assert!(lookups::items_all(db, List::FollowupKind).expect("all").iter().any(|e| e.id == fax.id && !e.active));
        // Still found by its code, for a record that has it.
        assert_eq!(lookups::id_of(db, List::FollowupKind, "fax").expect("id"), Some(fax.id));
        // Disabling it again changes nothing; a stale version is a conflict.
        let again = lookups::set_active(db, &admin, fax.id, off.version, false).expect("again");
        assert_eq!(again.version, off.version);
        assert!(matches!(
            lookups::set_active(db, &admin, fax.id, fax.version, true),
            Err(Error::Conflict { .. })
        ));
        let on = lookups::set_active(db, &admin, fax.id, off.version, true).expect("enabled");
        assert!(on.active);
        assert!(codes(db, List::FollowupKind).contains(&"fax".to_string()));
        assert_eq!(audit::history(db, lookups::ENTITY, fax.id).expect("audit").len(), 2);
    }

    fn only_an_admin_changes_the_lists(db, backend) {
        ready(db);
        let id = users::insert_user(db, "sara", "Sara Rahimi", Role::Agent, None).expect("an agent");
        let agent = Actor { id, login: "sara".into(), role: Role::Agent };
        let manager_id = users::insert_user(db, "reza", "Reza Ahmadi", Role::Manager, None)
            .expect("a manager");
        let manager = Actor { id: manager_id, login: "reza".into(), role: Role::Manager };
        let tehran = entry(db, List::Region, "tehran");
        let fax = entry(db, List::FollowupKind, "fax");
        for actor in [&agent, &manager] {
            assert!(matches!(
                lookups::add(db, actor, List::Region, Some(tehran.id), "Pardis", None),
                Err(Error::Forbidden { .. })
            ));
            assert!(matches!(
                lookups::rename(db, actor, fax.id, fax.version, "Telefax"),
                Err(Error::Forbidden { .. })
            ));
            assert!(matches!(
                lookups::move_to(db, actor, tehran.id, tehran.version, None),
                Err(Error::Forbidden { .. })
            ));
            let refused = lookups::set_active(db, actor, fax.id, fax.version, false);
            let Err(Error::Forbidden { what, .. }) = refused else {
                panic!("expected a refusal, got {refused:?}");
            };
            assert!(what.contains("reference lists"), "{what}");
        }
        assert_eq!(entry(db, List::FollowupKind, "fax"), fax);
        assert_eq!(lookups::find(db, List::Region, "tehran.pardis").expect("find"), None);
    }
}

#[test]
fn tree_order_puts_each_entry_after_its_parent_with_its_depth() {
    let row = |id: i64, parent: Option<i64>, code: &str| Lookup {
        id: LookupId(id),
        list: "region".into(),
        parent_id: parent.map(LookupId),
        code: code.into(),
        name: code.into(),
        position: 1,
        active: true,
        version: 1,
    };
    let rows = vec![
        row(1, None, "a"),
        row(2, None, "b"),
        row(3, Some(1), "a.x"),
        row(4, Some(3), "a.x.y"),
        row(5, Some(2), "b.z"),
        // Its parent is not among them: it stands at the top.
        row(6, Some(99), "orphan"),
        // A loop of parents is still listed once.
        row(7, Some(8), "loop-1"),
        row(8, Some(7), "loop-2"),
    ];
    let order: Vec<(usize, String)> = lookups::depth_first(rows)
        .into_iter()
        .map(|(depth, e)| (depth, e.code))
        .collect();
    let expected: Vec<(usize, String)> = [
        (0, "a"),
        (1, "a.x"),
        (2, "a.x.y"),
        (0, "b"),
        (1, "b.z"),
        (0, "orphan"),
        (0, "loop-1"),
        (1, "loop-2"),
    ]
    .into_iter()
    .map(|(d, c)| (d, c.to_string()))
    .collect();
    assert_eq!(order, expected);
}
