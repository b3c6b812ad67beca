//! Sales plans recorded through the store, on both backends: a plan with its lines read back and
//! audited, and every kind of bad plan refused whole with each problem named: a period that
//! ends before it starts, a negative target, lines that would count the same sales (equal, one
//! of them "all", or a product group above another), an unknown region, a name another plan
//! has, and an agent; a plan found by its name, updated with its lines all or nothing (a stale
//! version a conflict), and deleted with its lines, each change audited.

use chrono::NaiveDate;

use peygir::db::Db;
use peygir::db::ids::LookupId;
use peygir::error::Error;
use peygir::store::lookups::{self, List};
use peygir::store::plans::{self, LineFields, Market, PlanFields, Term};
use peygir::store::users;
use peygir::store::{self as store, Actor, Role};

use crate::support::admin;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn lookup(db: &mut Db, list: List, code: &str) -> LookupId {
    lookups::id_of(db, list, code)
        .expect("read")
        .unwrap_or_else(|| panic!("{code} is a default entry"))
}

/// A top product group and one of its children.
fn groups(db: &mut Db) -> (LookupId, LookupId) {
    let items = lookups::items(db, List::ProductGroup).expect("groups");
    let child = items
        .iter()
        .find(|g| g.parent_id.is_some())
        .expect("a group under another");
    (child.parent_id.expect("its parent"), child.id)
}

fn quarter() -> PlanFields {
    PlanFields {
        name: "Q1 1405 industrial".into(),
        market: Market::B2b,
        term: Term::Short,
        starts_on: day(2026, 3, 21),
        ends_on: day(2026, 6, 21),
        notes: Some("First quarter".into()),
    }
}

fn line(group: Option<LookupId>, region: Option<LookupId>, target: i64) -> LineFields {
    LineFields {
        product_group_id: group,
        region_id: region,
        expert_id: None,
        target_amount: target,
        ..LineFields::default()
    }
}

/// The problems a refused plan names.
fn reasons(result: Result<plans::SalesPlan, Error>) -> Vec<String> {
    match result {
        Err(Error::Invalid(errors)) => errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.reason))
            .collect(),
        other => panic!("expected the plan refused as invalid, got {other:?}"),
    }
}

store_tests! {
    fn a_plan_is_recorded_with_its_lines_and_audited(db, backend) {
        store::ensure_defaults(db).expect("defaults");
        let admin = admin(db);
        let (top, child) = groups(db);
        let tehran = lookup(db, List::Region, "tehran");
        let lines = vec![
            line(Some(child), Some(tehran), 5_000_000_000),
            LineFields { expert_id: Some(admin.id), ..line(Some(top), None, 0) },
        ];
        // The child under its top group is counted by both only when the experts meet too:
        // here the second line is for one expert and the first for all, so they overlap.
        let refused = reasons(plans::create(db, &admin, quarter(), lines.clone()));
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert!(refused[0].contains("line 2") && refused[0].contains("line 1"), "{refused:?}");
        // A region elsewhere does not overlap.
        let fars = lookup(db, List::Region, "fars");
        let lines = vec![
            line(Some(child), Some(tehran), 5_000_000_000),
            line(Some(top), Some(fars), 2_000_000_000),
        ];
        let plan = plans::create(db, &admin, quarter(), lines.clone()).expect("recorded");
        assert_eq!(plan.market, "b2b");
        assert_eq!(plan.term, "short");
        assert_eq!(plan.notes.as_deref(), Some("First quarter"));
        assert_eq!(plans::lines_of(db, plan.id).expect("lines"), lines);
        let trail = peygir::store::audit::history(db, plans::ENTITY, plan.id).expect("audit");
        assert_eq!(trail.len(), 1);
        assert!(trail[0].new_values.as_deref().is_some_and(|v| v.contains("5000000000")));
    }

    fn a_bad_plan_is_refused_whole_with_every_problem_named(db, backend) {
        store::ensure_defaults(db).expect("defaults");
        let admin = admin(db);
        let (_, child) = groups(db);
        let tehran = lookup(db, List::Region, "tehran");
        let bad = PlanFields {
            name: "  ".into(),
            starts_on: day(2026, 6, 21),
            ends_on: day(2026, 3, 21),
            ..quarter()
        };
        let lines = vec![
            line(Some(child), Some(tehran), 1_000),
            line(Some(child), Some(tehran), -5),
            line(None, None, 10),
            line(None, Some(LookupId(987_654)), 10),
        ];
        let refused = reasons(plans::create(db, &admin, bad, lines));
        let fields: Vec<&str> = refused.iter().map(|r| r.split(':').next().unwrap_or("")).collect();
        assert_eq!(
            fields,
            [
                "field.plan-name",
                "field.ends-on",
                "field.plan-lines",
                "field.plan-lines",
                "field.plan-lines",
                "field.plan-lines",
                "field.plan-lines",
            ],
            "{refused:?}"
        );
        assert!(refused[2].contains("line 2") && refused[2].contains("negative"), "{refused:?}");
        assert!(refused[3].contains("line 2") && refused[3].contains("line 1"), "{refused:?}");
        assert!(refused[4].contains("line 3") && refused[4].contains("line 1"), "{refused:?}");
        assert!(refused[5].contains("line 4") && refused[5].contains("987654"), "{refused:?}");
        assert!(refused[6].contains("line 4") && refused[6].contains("line 3"), "{refused:?}");
        assert!(matches!(
            plans::create(db, &admin, quarter(), Vec::new()),
            Err(Error::Invalid(_))
        ));
        // An agent records no plan, however good.
        let id = users::insert_user(db, "sara", "Sara Rahimi", Role::Agent, None).expect("sara");
        let sara = Actor { id, login: "sara".into(), role: Role::Agent };
        assert!(matches!(
            plans::create(db, &sara, quarter(), vec![line(None, None, 10)]),
            Err(Error::Forbidden { .. })
        ));
        assert_eq!(plans::count(db).expect("count"), 0, "nothing half-saved");
    }

    fn a_plan_is_found_by_its_name_and_no_two_plans_share_one(db, backend) {
        store::ensure_defaults(db).expect("defaults");
        let admin = admin(db);
        let plan = plans::create(db, &admin, quarter(), vec![line(None, None, 10)]).expect("recorded");
        assert_eq!(plans::by_name(db, " Q1 1405 industrial ").expect("read"), Some(plan.clone()));
        assert_eq!(plans::by_name(db, "Q2 1405").expect("read"), None);
        let refused = reasons(plans::create(db, &admin, quarter(), vec![line(None, None, 10)]));
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert!(refused[0].starts_with("field.plan-name"), "{refused:?}");
        assert_eq!(plans::count(db).expect("count"), 1);
    }

    fn a_plan_is_updated_with_its_lines_all_or_nothing_and_audited(db, backend) {
        store::ensure_defaults(db).expect("defaults");
        let admin = admin(db);
        let tehran = lookup(db, List::Region, "tehran");
        let fars = lookup(db, List::Region, "fars");
        let plan = plans::create(db, &admin, quarter(), vec![line(None, Some(tehran), 10)])
            .expect("recorded");
        let other = plans::create(
            db,
            &admin,
            PlanFields { name: "Other".into(), ..quarter() },
            vec![line(None, None, 1)],
        )
        .expect("another");
        let fields = PlanFields {
            name: "Q1 1405 industrial, revised".into(),
            market: Market::B2c,
            term: Term::Long,
            notes: None,
            ..quarter()
        };
        let month = LineFields {
            period: Some((day(2026, 3, 21), day(2026, 4, 20))),
            target_quantity: Some(3),
            ..line(None, Some(fars), 700)
        };
        let lines = vec![line(None, Some(tehran), 20), month];
        // Another plan's name, a line that overlaps: refused whole, nothing changed.
        let bad = vec![line(None, Some(tehran), 20), line(None, None, 5)];
        let refused = reasons(plans::update(
            db,
            &admin,
            plan.id,
            plan.version,
            PlanFields { name: "Other".into(), ..fields.clone() },
            bad,
        ));
        assert_eq!(refused.len(), 2, "{refused:?}");
        assert!(refused[0].starts_with("field.plan-name"), "{refused:?}");
        assert!(refused[1].contains("line 2") && refused[1].contains("line 1"), "{refused:?}");
        assert_eq!(plans::get(db, plan.id).expect("read"), plan);
        assert_eq!(plans::lines_of(db, plan.id).expect("lines"), vec![line(None, Some(tehran), 10)]);
        // A good change replaces the fields and every line, and bumps the version.
        let updated = plans::update(db, &admin, plan.id, plan.version, fields.clone(), lines.clone())
            .expect("updated");
        assert_eq!(updated.version, plan.version + 1);
        assert_eq!(updated.name, "Q1 1405 industrial, revised");
        assert_eq!((updated.market.as_str(), updated.term.as_str()), ("b2c", "long"));
        assert_eq!(updated.notes, None);
        assert_eq!(updated.fields(), fields);
        assert_eq!(plans::lines_of(db, plan.id).expect("lines"), lines);
        assert_eq!(plans::lines_of(db, other.id).expect("lines"), vec![line(None, None, 1)]);
        // Keeping its own name is no clash; a stale version is a conflict.
        assert!(matches!(
            plans::update(db, &admin, plan.id, plan.version, fields.clone(), lines.clone()),
            Err(Error::Conflict { .. })
        ));
        let trail = peygir::store::audit::history(db, plans::ENTITY, plan.id).expect("audit");
        assert_eq!(trail.len(), 2);
        assert_eq!(trail[1].action, "update");
        let old = trail[1].old_values.as_deref().expect("the old values");
        let new = trail[1].new_values.as_deref().expect("the new values");
        assert!(old.contains("\"target_amount\":10") && !old.contains("\"target_amount\":700"), "{old}");
        assert!(new.contains("\"target_amount\":700") && new.contains("revised"), "{new}");
        // An agent changes no plan.
        let id = users::insert_user(db, "sara", "Sara Rahimi", Role::Agent, None).expect("sara");
        let sara = Actor { id, login: "sara".into(), role: Role::Agent };
        assert!(matches!(
            plans::update(db, &sara, plan.id, updated.version, fields, lines),
            Err(Error::Forbidden { .. })
        ));
    }

    fn a_plan_is_deleted_with_its_lines_and_audited(db, backend) {
        store::ensure_defaults(db).expect("defaults");
        let admin = admin(db);
        let fars = lookup(db, List::Region, "fars");
        let plan = plans::create(db, &admin, quarter(), vec![line(None, Some(fars), 10)])
            .expect("recorded");
        let id = users::insert_user(db, "sara", "Sara Rahimi", Role::Agent, None).expect("sara");
        let sara = Actor { id, login: "sara".into(), role: Role::Agent };
        assert!(matches!(
            plans::delete(db, &sara, plan.id, plan.version),
            Err(Error::Forbidden { .. })
        ));
        assert!(matches!(
            plans::delete(db, &admin, plan.id, plan.version + 1),
            Err(Error::Conflict { .. })
        ));
        plans::delete(db, &admin, plan.id, plan.version).expect("deleted");
        assert!(matches!(plans::get(db, plan.id), Err(Error::NotFound { .. })));
        assert!(plans::lines_of(db, plan.id).expect("lines").is_empty());
        assert_eq!(plans::count(db).expect("count"), 0);
        let trail = peygir::store::audit::history(db, plans::ENTITY, plan.id).expect("audit");
        assert_eq!(trail.len(), 2);
        assert_eq!(trail[1].action, "delete");
        assert!(trail[1].new_values.is_none());
        assert!(trail[1].old_values.as_deref().is_some_and(|v| v.contains("Q1 1405 industrial")));
        // The name is free again.
        plans::create(db, &admin, quarter(), vec![line(None, None, 1)]).expect("recorded again");
    }
}
