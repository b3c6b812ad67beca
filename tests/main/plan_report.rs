//! The plan report's arithmetic on known data, on both backends: sales counted toward the line
//! that covers them (a product group's subgroups and a province's cities included, "all" lines
//! covering everything), sales outside the period or in the other market left out, sales with
//! no region or no covering line counted apart, pacing at a fixed day, drill-down, a plan split
//! by month, and the other market's plan found beside it.

use chrono::NaiveDate;

use peygir::db::Db;
use peygir::db::ids::{ContactId, LookupId, UserId};
use peygir::report::plan_vs_actual::{self as report, By, Figures, Key};
use peygir::store::contacts::{self, ContactFields};
use peygir::store::lookups::{self, List};
use peygir::store::plans::{self, LineFields, Market, PlanFields, Term};
use peygir::store::sales::NewSale;
use peygir::store::{self as store, Actor, Role, bulk, users};

use crate::support::admin;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn lookup(db: &mut Db, list: List, code: &str) -> LookupId {
    lookups::id_of(db, list, code)
        .expect("read")
        .unwrap_or_else(|| panic!("{code} is a default entry"))
}

/// The names and ids the tests use.
pub struct Known {
    pub admin: Actor,
    pub customer: ContactId,
    /// A top product group, one of its subgroups, and a group under another top.
    pub top: LookupId,
    pub sub: LookupId,
    pub elsewhere: LookupId,
    pub tehran: LookupId,
    pub tehran_city: LookupId,
    pub fars: LookupId,
    pub shiraz: LookupId,
    pub sara: UserId,
    pub ali: UserId,
}

fn known(db: &mut Db) -> Known {
    store::ensure_defaults(db).expect("defaults");
    let admin = admin(db);
    known_as(db, admin)
}

/// [`known`], recorded by `admin`.
pub fn known_as(db: &mut Db, admin: Actor) -> Known {
    let groups = lookups::items(db, List::ProductGroup).expect("groups");
    let sub = groups
        .iter()
        .find(|g| g.parent_id.is_some())
        .expect("a subgroup");
    let top = sub.parent_id.expect("its top");
    let elsewhere = groups
        .iter()
        .find(|g| g.parent_id.is_some_and(|p| p != top))
        .expect("a subgroup of another top")
        .id;
    let regions = lookups::items(db, List::Region).expect("regions");
    let tehran = lookup(db, List::Region, "tehran");
    let tehran_city = regions
        .iter()
        .find(|r| r.parent_id == Some(tehran))
        .expect("a city of Tehran")
        .id;
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
    let sara = users::insert_user(db, "sara", "Sara Rahimi", Role::Agent, None).expect("sara");
    let ali = users::insert_user(db, "ali", "Ali Karimi", Role::Agent, None).expect("ali");
    Known {
        customer,
        top,
        sub: sub.id,
        elsewhere,
        tehran,
        tehran_city,
        fars: lookup(db, List::Region, "fars"),
        shiraz: lookup(db, List::Region, "fars.shiraz"),
        sara,
        ali,
        admin,
    }
}

/// One sale, B2B unless `market` says otherwise.
fn sale(
    k: &Known,
    group: Option<LookupId>,
    region: Option<LookupId>,
    expert: UserId,
    sold_on: NaiveDate,
    amount: i64,
    quantity: i64,
) -> NewSale {
    let at = sold_on.and_hms_opt(10, 0, 0).expect("a time");
    NewSale {
        case_id: None,
        contact_id: k.customer,
        market: "b2b".into(),
        product_group_id: group,
        region_id: region,
        expert_id: expert,
        amount,
        sold_on,
        note: None,
        created_by: k.admin.id,
        updated_by: k.admin.id,
        created_at: at,
        updated_at: at,
        quantity,
    }
}

pub fn line(
    group: Option<LookupId>,
    region: Option<LookupId>,
    expert: Option<UserId>,
    target: i64,
) -> LineFields {
    LineFields {
        product_group_id: group,
        region_id: region,
        expert_id: expert,
        target_amount: target,
        ..LineFields::default()
    }
}

pub fn first_quarter(name: &str, market: Market) -> PlanFields {
    PlanFields {
        name: name.into(),
        market,
        term: Term::Short,
        starts_on: day(2026, 1, 1),
        ends_on: day(2026, 3, 31),
        notes: None,
    }
}

/// A 90-day B2B plan of three lines and eight sales around it:
/// - line 1: the top group × Tehran × sara, 1,000; line 2: all groups × Fars × sara, 500;
///   line 3: all groups × all regions × ali, 300 and 10 pieces;
/// - counted: 400 (a subgroup in Tehran's city) and 300 (the top group in the province) toward
///   line 1, 200 in Shiraz on 1 March toward line 2, 150 with no group and no region toward
///   line 3;
/// - left out: 999 after the period, 5,000 in the B2C market;
/// - outside the lines: 70 with no region, 80 in a group under another top.
pub fn quarter_with_sales(db: &mut Db, k: &Known) -> plans::SalesPlan {
    let plan = plans::create(
        db,
        &k.admin,
        first_quarter("Q1 B2B", Market::B2b),
        vec![
            line(Some(k.top), Some(k.tehran), Some(k.sara), 1_000),
            line(None, Some(k.fars), Some(k.sara), 500),
            LineFields {
                target_quantity: Some(10),
                ..line(None, None, Some(k.ali), 300)
            },
        ],
    )
    .expect("the plan");
    let b2c = NewSale {
        market: "b2c".into(),
        ..sale(
            k,
            Some(k.top),
            Some(k.tehran),
            k.sara,
            day(2026, 1, 15),
            5_000,
            1,
        )
    };
    bulk::sales(
        db,
        &[
            sale(
                k,
                Some(k.sub),
                Some(k.tehran_city),
                k.sara,
                day(2026, 1, 10),
                400,
                2,
            ),
            sale(
                k,
                Some(k.top),
                Some(k.tehran),
                k.sara,
                day(2026, 2, 1),
                300,
                1,
            ),
            sale(
                k,
                Some(k.top),
                Some(k.tehran_city),
                k.sara,
                day(2026, 4, 1),
                999,
                1,
            ),
            sale(
                k,
                Some(k.sub),
                Some(k.shiraz),
                k.sara,
                day(2026, 3, 1),
                200,
                1,
            ),
            sale(k, None, None, k.ali, day(2026, 1, 20), 150, 3),
            sale(k, Some(k.top), None, k.sara, day(2026, 1, 5), 70, 1),
            sale(
                k,
                Some(k.elsewhere),
                Some(k.tehran),
                k.sara,
                day(2026, 2, 10),
                80,
                1,
            ),
            b2c,
        ],
    )
    .expect("the sales");
    plan
}

/// Halfway through the quarter: day 45 of 90.
fn halfway() -> NaiveDate {
    day(2026, 2, 14)
}

/// Each group's name with its (target, actual).
fn figures(report: &report::PlanReport) -> Vec<(String, i64, i64)> {
    report
        .groups
        .iter()
        .map(|g| (g.name.clone(), g.figures.target, g.figures.actual))
        .collect()
}

store_tests! {
    fn sales_count_toward_the_line_that_covers_them(db, backend) {
        let k = known(db);
        let plan = quarter_with_sales(db, &k);
        let by_expert = report::compute(db, plan.id, By::Expert, &[], halfway()).expect("report");
        assert_eq!(
            figures(&by_expert),
            [("sara".to_string(), 1_500, 900), ("ali".to_string(), 300, 150)]
        );
        assert_eq!(
            by_expert.total,
            Figures {
                target: 1_800,
                actual: 1_050,
                target_quantity: Some(10),
                quantity: 2 + 1 + 1 + 3,
                // Half of every line's target is due halfway through.
                due_by_today: 900,
                // The 200 of 1 March is still to come.
                actual_by_today: 850,
            }
        );
        assert_eq!(by_expert.outside_lines.actual, 70 + 80);
        assert_eq!(by_expert.total.gap(), 750);
        let attainment = by_expert.total.attainment().expect("a target");
        assert!((attainment - 58.333).abs() < 0.01, "{attainment}");

        let by_region = report::compute(db, plan.id, By::Region, &[], halfway()).expect("report");
        let tehran = lookups::items(db, List::Region)
            .expect("regions")
            .into_iter()
            .find(|r| r.id == k.tehran)
            .expect("Tehran")
            .name;
        let fars = lookups::items(db, List::Region)
            .expect("regions")
            .into_iter()
            .find(|r| r.id == k.fars)
            .expect("Fars")
            .name;
        assert_eq!(
            figures(&by_region),
            [(tehran, 1_000, 700), (fars, 500, 200), ("All regions".to_string(), 300, 150)]
        );
        assert_eq!(by_region.total, by_expert.total);
    }

    fn a_group_drills_down_into_its_parts(db, backend) {
        let k = known(db);
        let plan = quarter_with_sales(db, &k);
        let within = [Key::Expert(Some(k.sara))];
        let parts = report::compute(db, plan.id, By::Region, &within, halfway()).expect("report");
        assert_eq!(parts.groups.len(), 2);
        assert_eq!(parts.total.target, 1_500);
        assert_eq!(parts.total.actual, 900);
        // Sales outside the lines belong to no group, so a part does not show them.
        assert_eq!(parts.outside_lines, Figures::default());
        let deeper = [Key::Expert(Some(k.sara)), Key::Region(Some(k.fars))];
        let fars = report::compute(db, plan.id, By::Product, &deeper, halfway()).expect("report");
        assert_eq!(figures(&fars), [("All product groups".to_string(), 500, 200)]);
        assert_eq!(By::Region.next(&deeper), By::Period);
        assert_eq!(By::Period.next(&deeper), By::Product);
    }

    fn a_plan_split_by_month_counts_each_sale_in_its_month(db, backend) {
        let k = known(db);
        let month = |from: NaiveDate, to: NaiveDate, target: i64| LineFields {
            period: Some((from, to)),
            ..line(Some(k.top), Some(k.tehran), Some(k.sara), target)
        };
        let plan = plans::create(
            db,
            &k.admin,
            first_quarter("Q1 by month", Market::B2b),
            vec![
                month(day(2026, 1, 1), day(2026, 1, 31), 100),
                month(day(2026, 2, 1), day(2026, 2, 28), 200),
            ],
        )
        .expect("the plan");
        bulk::sales(
            db,
            &[
                sale(&k, Some(k.sub), Some(k.tehran_city), k.sara, day(2026, 1, 31), 40, 1),
                sale(&k, Some(k.top), Some(k.tehran), k.sara, day(2026, 2, 1), 300, 1),
                // March has no line of its own.
                sale(&k, Some(k.top), Some(k.tehran), k.sara, day(2026, 3, 2), 60, 1),
            ],
        )
        .expect("the sales");
        let by_month = report::compute(db, plan.id, By::Period, &[], day(2026, 2, 14)).expect("report");
        let rows: Vec<(Key, i64, i64, i64)> = by_month
            .groups
            .iter()
            .map(|g| (g.key, g.figures.target, g.figures.actual, g.figures.due_by_today))
            .collect();
        assert_eq!(
            rows,
            [
                (Key::Period(Some((day(2026, 1, 1), day(2026, 1, 31)))), 100, 40, 100),
                // 14 of February's 28 days gone by.
                (Key::Period(Some((day(2026, 2, 1), day(2026, 2, 28)))), 200, 300, 100),
            ]
        );
        assert_eq!(by_month.outside_lines.actual, 60);
    }

    fn the_other_markets_plan_stands_beside(db, backend) {
        let k = known(db);
        let b2b = quarter_with_sales(db, &k);
        assert_eq!(report::companion(db, &b2b).expect("read"), None);
        let b2c = plans::create(
            db,
            &k.admin,
            first_quarter("Q1 B2C", Market::B2c),
            vec![line(None, Some(k.tehran), None, 4_000)],
        )
        .expect("the B2C plan");
        let found = report::companion(db, &b2b).expect("read").expect("the B2C plan");
        assert_eq!(found.id, b2c.id);
        let left = report::compute(db, b2b.id, By::Region, &[], halfway()).expect("report");
        let right = report::compute(db, b2c.id, By::Region, &[], halfway()).expect("report");
        assert_eq!(right.total.actual, 5_000);
        let rows = report::side_by_side(&left, &right);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].key, Key::Region(Some(k.tehran)));
        assert_eq!(rows[0].left.map(|f| f.actual), Some(700));
        assert_eq!(rows[0].right.map(|f| f.actual), Some(5_000));
        assert_eq!(rows[2].right, None);
    }
}
