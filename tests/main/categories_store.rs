//! The category tree through the store, on both backends: counts over a subtree (a contact filed
//! twice counted once, the archived left out), paths and finding by path, adding, renaming,
//! moving (never under itself), deleting (children move up, contacts stay), filings of a contact
//! and of a batch for export, roles, and the audit rows every change leaves.

use std::collections::HashMap;

use diesel::prelude::*;
use serde_json::Value;

use peygir::db::Db;
use peygir::db::ids::{CategoryId, ContactId};
use peygir::db::schema::{audit_log, categories as categories_table, contact_categories};
use peygir::error::Error;
use peygir::store::audit;
use peygir::store::categories::{self, CategoryNode, DeleteOutcome};
use peygir::store::contacts::{self, ContactFields};
use peygir::store::users;
use peygir::store::{Actor, Role};

use crate::support::admin;

fn person(last: &str) -> ContactFields {
    ContactFields {
        kind: "person".into(),
        last_name: Some(last.into()),
        ..ContactFields::default()
    }
}

fn contact(db: &mut Db, actor: &Actor, last: &str) -> ContactId {
    contacts::create(db, actor, person(last))
        .unwrap_or_else(|e| panic!("create a contact: {e}"))
        .id
}

fn user(db: &mut Db, login: &str, role: Role) -> Actor {
    let id = users::insert_user(db, login, login, role, None).expect("add a user");
    Actor {
        id,
        login: login.into(),
        role,
    }
}

fn add(db: &mut Db, actor: &Actor, parent: Option<CategoryId>, name: &str) -> CategoryId {
    categories::add(db, actor, parent, name).unwrap_or_else(|e| panic!("add {name}: {e}"))
}

fn file(db: &mut Db, actor: &Actor, contact: ContactId, under: &[CategoryId]) {
    categories::set_for_contact(db, actor, contact, under)
        .unwrap_or_else(|e| panic!("file a contact: {e}"));
}

fn tree(db: &mut Db) -> Vec<CategoryNode> {
    categories::tree(db).expect("read the tree")
}

/// The tree as (path-like indentation, own, total) for comparing at a glance.
fn shape(db: &mut Db) -> Vec<(String, i64, i64)> {
    tree(db)
        .into_iter()
        .map(|n| {
            (
                format!("{}{}", "  ".repeat(n.depth), n.name),
                n.own,
                n.total,
            )
        })
        .collect()
}

fn path(db: &mut Db, id: CategoryId) -> String {
    categories::path_of(db, id).expect("read a path")
}

/// The reasons a refused change gave.
fn reasons<T: std::fmt::Debug>(result: peygir::error::Result<T>) -> Vec<(&'static str, String)> {
    match result {
        Err(Error::Invalid(errors)) => errors.into_iter().map(|e| (e.field, e.reason)).collect(),
        other => panic!("expected the change to be refused as invalid, got {other:?}"),
    }
}

fn audit_rows(db: &mut Db, entity: &str) -> i64 {
    audit_log::table
        .filter(audit_log::entity.eq(entity))
        .count()
        .get_result(db)
        .expect("count audit rows")
}

fn json(text: Option<&String>) -> Value {
    let text = text.expect("audit values are recorded");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("audit values are not JSON ({e}): {text}"))
}

/// Customers (Industrial (Steel), Retail), Prospects.
struct Tree {
    customers: CategoryId,
    industrial: CategoryId,
    steel: CategoryId,
    retail: CategoryId,
    prospects: CategoryId,
}

fn sample(db: &mut Db, actor: &Actor) -> Tree {
    let customers = add(db, actor, None, "Customers");
    let prospects = add(db, actor, None, "Prospects");
    let retail = add(db, actor, Some(customers), "Retail");
    let industrial = add(db, actor, Some(customers), "Industrial");
    let steel = add(db, actor, Some(industrial), "Steel");
    Tree {
        customers,
        industrial,
        steel,
        retail,
        prospects,
    }
}

store_tests! {
    fn the_tree_counts_each_contact_once_per_subtree(db, backend) {
        let actor = admin(db);
        let t = sample(db, &actor);
        let a = contact(db, &actor, "A");
        let b = contact(db, &actor, "B");
        let c = contact(db, &actor, "C");
        let d = contact(db, &actor, "D");
        let gone = contact(db, &actor, "Gone");
        // A is in two children of Customers and in Customers itself: once in Customers' total.
        file(db, &actor, a, &[t.steel, t.retail, t.customers]);
        file(db, &actor, b, &[t.retail]);
        file(db, &actor, c, &[t.steel, t.prospects]);
        file(db, &actor, d, &[t.industrial, t.steel]);
        file(db, &actor, gone, &[t.steel, t.retail]);
        contacts::archive(db, &actor, gone, 1).expect("archive");
        // Siblings by position: Retail was added before Industrial.
        assert_eq!(
            shape(db),
            vec![
                ("Customers".to_string(), 1, 4),
                ("  Retail".to_string(), 2, 2),
                ("  Industrial".to_string(), 1, 3),
                ("    Steel".to_string(), 3, 3),
                ("Prospects".to_string(), 1, 1),
            ],
            "on {backend}"
        );
        let nodes = tree(db);
        assert_eq!(nodes[0].parent_id, None);
        assert_eq!(nodes[3].parent_id, Some(t.industrial));
        assert_eq!(nodes[3].id, t.steel);

        let mut below = categories::subtree_ids(db, t.customers).expect("subtree");
        below.sort_unstable();
        let mut expected = vec![t.customers, t.industrial, t.steel, t.retail];
        expected.sort_unstable();
        assert_eq!(below, expected);
        assert_eq!(categories::subtree_ids(db, t.steel).expect("subtree"), vec![t.steel]);
        assert!(matches!(
            categories::subtree_ids(db, CategoryId(999_999)),
            Err(Error::NotFound { .. })
        ));
    }

    fn siblings_sort_by_position_then_name(db, backend) {
        let actor = admin(db);
        let root = add(db, &actor, None, "Root");
        // Put straight into the table with equal positions: the names decide.
        let now = peygir::store::now();
        for name in ["Zeta", "alpha", "Beta"] {
            diesel::insert_into(categories_table::table)
                .values((
                    categories_table::parent_id.eq(Some(root)),
                    categories_table::name.eq(name),
                    categories_table::position.eq(7),
                    categories_table::created_at.eq(now),
                    categories_table::updated_at.eq(now),
                ))
                .execute(db)
                .expect("insert");
        }
        add(db, &actor, Some(root), "Last");
        let names: Vec<String> = tree(db).into_iter().map(|n| n.name).collect();
        assert_eq!(names, ["Root", "alpha", "Beta", "Zeta", "Last"]);
    }

    fn paths_are_written_and_found(db, backend) {
        let actor = admin(db);
        let t = sample(db, &actor);
        assert_eq!(path(db, t.steel), "Customers/Industrial/Steel");
        assert_eq!(path(db, t.prospects), "Prospects");
        assert!(matches!(categories::path_of(db, CategoryId(999_999)), Err(Error::NotFound { .. })));
        let find = |db: &mut Db, p: &str| categories::find_path(db, p).expect("find a path");
        assert_eq!(find(db, "Customers/Industrial/Steel"), Some(t.steel));
        assert_eq!(find(db, "  customers / INDUSTRIAL/steel "), Some(t.steel));
        assert_eq!(find(db, "Customers"), Some(t.customers));
        assert_eq!(find(db, "Customers/Steel"), None);
        assert_eq!(find(db, "Nowhere"), None);
        assert_eq!(find(db, ""), None);
        // Persian letter variants and digit scripts find the same node.
        let persian = add(db, &actor, None, "مشتریان ۱۴۰۵");
        let kind = add(db, &actor, Some(persian), "کارخانه‌ها");
        assert_eq!(find(db, "مشتريان 1405/كارخانه‌ها"), Some(kind));

        let picker = categories::paths(db).expect("paths");
        assert_eq!(picker[0], (t.customers, "Customers".to_string()));
        assert!(picker.contains(&(t.steel, "Customers/Industrial/Steel".to_string())));
    }

    fn ensure_path_adds_only_what_is_missing(db, backend) {
        let actor = admin(db);
        let t = sample(db, &actor);
        let before = audit_rows(db, categories::ENTITY);
        assert_eq!(
            categories::ensure_path(db, &actor, " Customers / Industrial ").expect("ensure"),
            t.industrial
        );
        assert_eq!(audit_rows(db, categories::ENTITY), before, "nothing added");
        let pipes = categories::ensure_path(db, &actor, "customers/Industrial/Pipes/Seamless")
            .expect("ensure");
        assert_eq!(path(db, pipes), "Customers/Industrial/Pipes/Seamless");
        assert_eq!(audit_rows(db, categories::ENTITY), before + 2, "two nodes added");
        assert_eq!(
            categories::ensure_path(db, &actor, "Customers/Industrial/Pipes/Seamless")
                .expect("ensure"),
            pipes
        );
        assert_eq!(
            reasons(categories::ensure_path(db, &actor, " / ")),
            [("field.category", "is required".to_string())]
        );
    }

    fn names_must_be_given_and_new_among_siblings(db, backend) {
        let actor = admin(db);
        let t = sample(db, &actor);
        assert_eq!(
            reasons(categories::add(db, &actor, None, " \u{1b} ")),
            [("field.category-name", "is required".to_string())]
        );
        assert_eq!(
            reasons(categories::add(db, &actor, Some(t.customers), " retail ")),
            [("field.category-name", "Customers/Retail is already there".to_string())]
        );
        let reason = reasons(categories::add(db, &actor, None, "A/B"));
        assert!(reason[0].1.contains("must not hold /"), "{reason:?}");
        let reason = reasons(categories::add(db, &actor, None, "A; B"));
        assert!(reason[0].1.contains("must not hold ;"), "{reason:?}");
        assert!(matches!(
            categories::add(db, &actor, Some(CategoryId(999_999)), "Orphan"),
            Err(Error::NotFound { .. })
        ));
        // The same name elsewhere in the tree is fine, and names are stored clean.
        let other = add(db, &actor, Some(t.prospects), "  Retail\u{7} ");
        assert_eq!(path(db, other), "Prospects/Retail");
        assert_eq!(
            reasons(categories::rename(db, &actor, t.industrial, "RETAIL")),
            [("field.category-name", "Customers/Retail is already there".to_string())]
        );
        categories::rename(db, &actor, t.industrial, "Heavy industry").expect("rename");
        assert_eq!(path(db, t.steel), "Customers/Heavy industry/Steel");
        // A rename to its own name, or a change of case, is allowed.
        categories::rename(db, &actor, t.retail, "RETAIL").expect("rename");
        assert_eq!(path(db, t.retail), "Customers/RETAIL");
    }

    fn a_node_never_moves_under_itself(db, backend) {
        let actor = admin(db);
        let t = sample(db, &actor);
        let itself = reasons(categories::move_to(db, &actor, t.customers, Some(t.customers)));
        assert_eq!(
            itself,
            [("field.category-parent", "Customers cannot be moved under itself".to_string())]
        );
        let below = reasons(categories::move_to(db, &actor, t.customers, Some(t.steel)));
        assert_eq!(
            below,
            [(
                "field.category-parent",
                "Customers cannot be moved under Customers/Industrial/Steel, which is inside it"
                    .to_string()
            )]
        );
        assert_eq!(path(db, t.steel), "Customers/Industrial/Steel", "nothing moved");

        categories::move_to(db, &actor, t.industrial, Some(t.prospects)).expect("move");
        assert_eq!(path(db, t.steel), "Prospects/Industrial/Steel");
        categories::move_to(db, &actor, t.steel, None).expect("move to the top");
        assert_eq!(path(db, t.steel), "Steel");
        let names: Vec<String> = tree(db).into_iter().map(|n| n.name).collect();
        assert_eq!(names, ["Customers", "Retail", "Prospects", "Industrial", "Steel"]);

        // A node meets a sibling of its name: refused.
        let other = add(db, &actor, Some(t.prospects), "Retail");
        let clash = reasons(categories::move_to(db, &actor, other, Some(t.customers)));
        assert_eq!(clash[0].0, "field.category-name");
        assert!(matches!(
            categories::move_to(db, &actor, t.steel, Some(CategoryId(999_999))),
            Err(Error::NotFound { .. })
        ));
    }

    fn deleting_moves_children_up_and_keeps_the_contacts(db, backend) {
        let actor = admin(db);
        let t = sample(db, &actor);
        let a = contact(db, &actor, "A");
        let b = contact(db, &actor, "B");
        file(db, &actor, a, &[t.industrial, t.retail]);
        file(db, &actor, b, &[t.industrial]);
        let steel_contact = contact(db, &actor, "S");
        file(db, &actor, steel_contact, &[t.steel]);
        assert_eq!(categories::delete_preview(db, t.industrial).expect("preview"), (2, 1));
        assert_eq!(categories::delete_preview(db, t.steel).expect("preview"), (1, 0));

        let outcome = categories::delete(db, &actor, t.industrial).expect("delete");
        assert_eq!(outcome, DeleteOutcome { unfiled: 2, moved_up: 1 });
        assert_eq!(categories::find_path(db, "Customers/Industrial").expect("find"), None);
        assert_eq!(path(db, t.steel), "Customers/Steel");
        // Steel took Industrial's place, after Retail.
        let names: Vec<String> = tree(db).into_iter().map(|n| n.name).collect();
        assert_eq!(names, ["Customers", "Retail", "Steel", "Prospects"]);
        // The contacts are all still on file; only the filing under Industrial went.
        assert!(contacts::get(db, a).is_ok() && contacts::get(db, b).is_ok());
        assert_eq!(
            categories::of_contact(db, a).expect("filings"),
            [(t.retail, "Customers/Retail".to_string())]
        );
        assert!(categories::of_contact(db, b).expect("filings").is_empty());
        assert_eq!(
            categories::of_contact(db, steel_contact).expect("filings"),
            [(t.steel, "Customers/Steel".to_string())]
        );
        assert_eq!(tree(db)[0].total, 2, "A and S under Customers");

        // The trail: the node with whom it held, and the child's move.
        let trail = audit::history(db, categories::ENTITY, t.industrial).expect("history");
        let last = trail.last().expect("a delete row");
        assert_eq!(last.action, "delete");
        assert_eq!(last.user_id, Some(actor.id));
        assert!(last.new_values.is_none());
        let old = json(last.old_values.as_ref());
        assert_eq!(old["category"]["name"], "Industrial");
        assert_eq!(old["contacts"], serde_json::json!([a, b]));
        assert_eq!(old["children_moved_up"], serde_json::json!([t.steel]));
        let moved = audit::history(db, categories::ENTITY, t.steel).expect("history");
        let moved = moved.last().expect("an update row");
        assert_eq!(moved.action, "update");
        assert_eq!(json(moved.old_values.as_ref())["parent_id"], i64::from(t.industrial));
        assert_eq!(json(moved.new_values.as_ref())["parent_id"], i64::from(t.customers));

        // A child that would meet a sibling of its name up there: refused, nothing changed.
        let other = add(db, &actor, Some(t.prospects), "customers");
        let clash = reasons(categories::delete(db, &actor, t.prospects));
        assert_eq!(
            clash,
            [(
                "field.category-name",
                "Prospects/customers cannot move up: Customers is already there; rename one of \
                 them first"
                    .to_string()
            )]
        );
        assert_eq!(categories::find_path(db, "Prospects/Customers").expect("find"), Some(other));
        assert!(matches!(
            categories::delete(db, &actor, CategoryId(999_999)),
            Err(Error::NotFound { .. })
        ));
    }

    fn deleting_a_top_node_moves_its_children_to_the_top(db, backend) {
        let actor = admin(db);
        let t = sample(db, &actor);
        let outcome = categories::delete(db, &actor, t.customers).expect("delete");
        assert_eq!(outcome, DeleteOutcome { unfiled: 0, moved_up: 2 });
        assert_eq!(path(db, t.retail), "Retail");
        assert_eq!(path(db, t.steel), "Industrial/Steel");
        let remaining: i64 = categories_table::table.count().get_result(db).expect("count");
        assert_eq!(remaining, 4);
    }

    fn a_contacts_filings_are_replaced_and_audited(db, backend) {
        let actor = admin(db);
        let t = sample(db, &actor);
        let a = contact(db, &actor, "A");
        assert!(categories::of_contact(db, a).expect("filings").is_empty());
        file(db, &actor, a, &[t.steel, t.prospects, t.steel]);
        assert_eq!(
            categories::of_contact(db, a).expect("filings"),
            [
                (t.steel, "Customers/Industrial/Steel".to_string()),
                (t.prospects, "Prospects".to_string()),
            ]
        );
        file(db, &actor, a, &[t.retail]);
        assert_eq!(
            categories::of_contact(db, a).expect("filings"),
            [(t.retail, "Customers/Retail".to_string())]
        );
        // The same filings again change nothing and leave no row.
        file(db, &actor, a, &[t.retail]);
        let trail = audit::history(db, categories::FILING_ENTITY, a).expect("history");
        assert_eq!(trail.len(), 2);
        assert_eq!(trail[1].action, "update");
        assert_eq!(trail[1].user_id, Some(actor.id));
        assert_eq!(
            json(trail[1].old_values.as_ref())["categories"],
            serde_json::json!(["Customers/Industrial/Steel", "Prospects"])
        );
        assert_eq!(
            json(trail[1].new_values.as_ref())["categories"],
            serde_json::json!(["Customers/Retail"])
        );
        file(db, &actor, a, &[]);
        assert!(categories::of_contact(db, a).expect("filings").is_empty());

        // A missing node or contact is refused and nothing is half-written.
        file(db, &actor, a, &[t.steel]);
        assert!(matches!(
            categories::set_for_contact(db, &actor, a, &[t.retail, CategoryId(999_999)]),
            Err(Error::NotFound { .. })
        ));
        assert_eq!(
            categories::of_contact(db, a).expect("filings"),
            [(t.steel, "Customers/Industrial/Steel".to_string())]
        );
        assert!(matches!(
            categories::set_for_contact(db, &actor, ContactId(999_999), &[t.retail]),
            Err(Error::NotFound { .. })
        ));
    }

    fn paths_by_contact_serves_an_export_batch(db, backend) {
        let actor = admin(db);
        let t = sample(db, &actor);
        let a = contact(db, &actor, "A");
        let b = contact(db, &actor, "B");
        let c = contact(db, &actor, "C");
        file(db, &actor, a, &[t.prospects, t.steel]);
        file(db, &actor, b, &[t.retail]);
        let paths = categories::paths_by_contact(db, &[a, b, c, ContactId(999_999)]).expect("paths");
        let expected: HashMap<ContactId, Vec<String>> = HashMap::from([
            (
                a,
                vec!["Customers/Industrial/Steel".to_string(), "Prospects".to_string()],
            ),
            (b, vec!["Customers/Retail".to_string()]),
        ]);
        assert_eq!(paths, expected);
        assert!(categories::paths_by_contact(db, &[]).expect("paths").is_empty());
        // More ids than one IN list takes.
        let many: Vec<ContactId> = (1..=25_000).map(ContactId).chain([a]).collect();
        let paths = categories::paths_by_contact(db, &many).expect("paths");
        assert_eq!(paths.get(&a).map(Vec::len), Some(2));
    }

    fn every_change_to_the_tree_is_audited(db, backend) {
        let actor = admin(db);
        let id = add(db, &actor, None, "Suppliers");
        categories::rename(db, &actor, id, "Vendors").expect("rename");
        let other = add(db, &actor, None, "Partners");
        categories::move_to(db, &actor, id, Some(other)).expect("move");
        // Moving to where it already is, or renaming to the same name, records nothing.
        categories::move_to(db, &actor, id, Some(other)).expect("move");
        categories::rename(db, &actor, id, "Vendors").expect("rename");
        categories::delete(db, &actor, id).expect("delete");
        let trail = audit::history(db, categories::ENTITY, id).expect("history");
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create", "update", "update", "delete"]);
        assert!(trail.iter().all(|e| e.user_id == Some(actor.id)));
        assert_eq!(json(trail[0].new_values.as_ref())["name"], "Suppliers");
        assert_eq!(json(trail[1].old_values.as_ref())["name"], "Suppliers");
        assert_eq!(json(trail[1].new_values.as_ref())["name"], "Vendors");
        assert_eq!(json(trail[1].new_values.as_ref())["version"], 2);
        assert_eq!(json(trail[2].new_values.as_ref())["parent_id"], i64::from(other));
        assert_eq!(json(trail[2].new_values.as_ref())["version"], 3);
        let filings: i64 = contact_categories::table.count().get_result(db).expect("count");
        assert_eq!(filings, 0);
    }

    fn agents_shape_the_tree_and_managers_delete(db, backend) {
        let admin = admin(db);
        let agent = user(db, "sara", Role::Agent);
        let manager = user(db, "ali", Role::Manager);
        let id = add(db, &agent, None, "Leads");
        categories::rename(db, &agent, id, "Hot leads").expect("an agent renames");
        let a = contact(db, &agent, "A");
        file(db, &agent, a, &[id]);
        assert!(matches!(
            categories::delete(db, &agent, id),
            Err(Error::Forbidden { .. })
        ));
        assert_eq!(categories::find_path(db, "Hot leads").expect("find"), Some(id));
        categories::delete(db, &manager, id).expect("a manager deletes");
        let _ = admin;
    }
}
