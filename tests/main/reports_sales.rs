//! The reports of where sales come from and how cases end (channels, referrers, win-loss) on a
//! small known set of cases, on both backends: each row against figures worked out by hand,
//! narrowed to an expert and to an organisational unit, and the first and last moments of the
//! days a range covers counted in, those just outside left out.

use chrono::{NaiveDate, NaiveDateTime};

use peygir::db::Db;
use peygir::db::ids::{CaseStatusId, ContactId, LookupId, OrgUnitId, UserId};
use peygir::domain::when;
use peygir::report::{self, Filters, Table};
use peygir::store::cases::{self, NewCase};
use peygir::store::contacts::{self, ContactFields};
use peygir::store::lookups::{self, List};
use peygir::store::{self as store, Role, bulk, names, org_units, statuses, users};

use crate::support::admin;

/// The ids and names the tests use: two experts in two units under one, two channels, two
/// referrers, a product group and two close reasons.
struct Known {
    sara: UserId,
    ali: UserId,
    /// The units of sara and of ali, and the one above both.
    tehran: OrgUnitId,
    shiraz: OrgUnitId,
    sales: OrgUnitId,
    channels: [(LookupId, String); 2],
    /// The referrers and their names.
    zand: (ContactId, String),
    arash: (ContactId, String),
    group: (LookupId, String),
    price: (LookupId, String),
    other: (LookupId, String),
}

/// A day of January 2026 at a local time, as the store keeps it (UTC).
fn at(day: u32, hour: u32, minute: u32, second: u32) -> NaiveDateTime {
    let local = NaiveDate::from_ymd_opt(2026, 1, day)
        .and_then(|d| d.and_hms_opt(hour, minute, second))
        .expect("a time");
    when::to_utc(local)
}

fn jan(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, day).expect("a day")
}

fn status(db: &mut Db, code: &str) -> CaseStatusId {
    statuses::find(db, code)
        .expect("read the statuses")
        .unwrap_or_else(|| panic!("no status {code}"))
        .id
}

fn entry(db: &mut Db, list: List, index: usize) -> (LookupId, String) {
    let entries = lookups::items(db, list).expect("read the list");
    let e = &entries[index];
    (e.id, e.name.clone())
}

/// One case of the set.
struct Made {
    expert: UserId,
    channel: Option<LookupId>,
    referrer: Option<ContactId>,
    group: Option<LookupId>,
    status: &'static str,
    opened: NaiveDateTime,
    closed: Option<NaiveDateTime>,
    expected: i64,
    won: Option<i64>,
    reason: Option<LookupId>,
}

/// Eleven cases (all in January 2026, local times; A and B are the two channels, "pg" the
/// product group):
///
/// | case | expert | channel | referrer | group | status    | opened      | closed      | expected | won  | reason |
/// |------|--------|---------|----------|-------|-----------|-------------|-------------|----------|------|--------|
/// | 1    | sara   | A       | Zand     | pg    | won       | 10th 00:00  | 12th        | 1200     | 1000 |        |
/// | 2    | sara   | A       | Zand     | pg    | lost      | 11th        | 15th        | 500      |      | price  |
/// | 3    | ali    | A       | Arash    |       | won       | 12th        | 20th 23:59  | 400      | 300  |        |
/// | 4    | ali    | B       | Arash    | pg    | new       | 20th 23:59  |             | 700      |      |        |
/// | 5    | sara   | B       | Arash    | pg    | cancelled | 15th        | 21st 00:00  | 200      |      | other  |
/// | 6    | ali    |         |          | pg    | lost      | 9th 23:59   | 16th        | 800      |      | price  |
/// | 7    | sara   |         | Zand     | pg    | won       | 21st 00:00  | 25th        | 60       | 50   |        |
/// | 8    | ali    |         |          |       | lost      | 13th        | 14th        | 100      |      |        |
/// | 9    | ali    | B       |          | pg    | lost      | 5th         | 17th        | 50       |      | price  |
/// | 10   | sara   | A       |          | pg    | cancelled | 2nd         | 10th 00:00  | 250      |      | other  |
/// | 11   | ali    |         |          | pg    | cancelled | 3rd         | 9th 23:59   | 90       |      | other  |
fn known(db: &mut Db) -> Known {
    store::ensure_defaults(db).expect("defaults");
    let admin = admin(db);
    let head = org_units::find_or_add(db, None, "Head office").expect("unit");
    let sales = org_units::find_or_add(db, Some(head), "Sales").expect("unit");
    let tehran = org_units::find_or_add(db, Some(sales), "Tehran sales").expect("unit");
    let shiraz = org_units::find_or_add(db, Some(sales), "Shiraz sales").expect("unit");
    let sara =
        users::insert_user(db, "sara", "Sara Rahimi", Role::Agent, Some(tehran)).expect("sara");
    let ali = users::insert_user(db, "ali", "Ali Karimi", Role::Agent, Some(shiraz)).expect("ali");
    let zand = contacts::create(
        db,
        &admin,
        ContactFields {
            kind: "company".into(),
            company_name: Some("Zand Trading".into()),
            ..ContactFields::default()
        },
    )
    .expect("a referrer")
    .id;
    let arash = contacts::create(
        db,
        &admin,
        ContactFields {
            kind: "person".into(),
            first_name: Some("Arash".into()),
            last_name: Some("Nouri".into()),
            mobile: Some("09121234567".into()),
            ..ContactFields::default()
        },
    )
    .expect("a referrer")
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
    let referrers = names::contacts(db, [zand, arash]).expect("their names");
    let k = Known {
        sara,
        ali,
        tehran,
        shiraz,
        sales,
        channels: [
            entry(db, List::MarketingChannel, 0),
            entry(db, List::MarketingChannel, 1),
        ],
        zand: (zand, referrers[&zand].clone()),
        arash: (arash, referrers[&arash].clone()),
        group: entry(db, List::ProductGroup, 0),
        price: entry(db, List::CloseReason, 0),
        other: entry(db, List::CloseReason, 1),
    };
    let (a, b) = (Some(k.channels[0].0), Some(k.channels[1].0));
    let (zand, arash, pg) = (Some(zand), Some(arash), Some(k.group.0));
    let (price, other) = (Some(k.price.0), Some(k.other.0));
    let made = |expert, channel, referrer, group, status, opened, closed| Made {
        expert,
        channel,
        referrer,
        group,
        status,
        opened,
        closed,
        expected: 0,
        won: None,
        reason: None,
    };
    let set = [
        Made {
            expected: 1200,
            won: Some(1000),
            ..made(
                sara,
                a,
                zand,
                pg,
                "won",
                at(10, 0, 0, 0),
                Some(at(12, 10, 0, 0)),
            )
        },
        Made {
            expected: 500,
            reason: price,
            ..made(
                sara,
                a,
                zand,
                pg,
                "lost",
                at(11, 10, 0, 0),
                Some(at(15, 10, 0, 0)),
            )
        },
        Made {
            expected: 400,
            won: Some(300),
            ..made(
                ali,
                a,
                arash,
                None,
                "won",
                at(12, 10, 0, 0),
                Some(at(20, 23, 59, 59)),
            )
        },
        Made {
            expected: 700,
            ..made(ali, b, arash, pg, "new", at(20, 23, 59, 59), None)
        },
        Made {
            expected: 200,
            reason: other,
            ..made(
                sara,
                b,
                arash,
                pg,
                "cancelled",
                at(15, 10, 0, 0),
                Some(at(21, 0, 0, 0)),
            )
        },
        Made {
            expected: 800,
            reason: price,
            ..made(
                ali,
                None,
                None,
                pg,
                "lost",
                at(9, 23, 59, 59),
                Some(at(16, 10, 0, 0)),
            )
        },
        Made {
            expected: 60,
            won: Some(50),
            ..made(
                sara,
                None,
                zand,
                pg,
                "won",
                at(21, 0, 0, 0),
                Some(at(25, 10, 0, 0)),
            )
        },
        Made {
            expected: 100,
            ..made(
                ali,
                None,
                None,
                None,
                "lost",
                at(13, 10, 0, 0),
                Some(at(14, 10, 0, 0)),
            )
        },
        Made {
            expected: 50,
            reason: price,
            ..made(
                ali,
                b,
                None,
                pg,
                "lost",
                at(5, 10, 0, 0),
                Some(at(17, 10, 0, 0)),
            )
        },
        Made {
            expected: 250,
            reason: other,
            ..made(
                sara,
                a,
                None,
                pg,
                "cancelled",
                at(2, 10, 0, 0),
                Some(at(10, 0, 0, 0)),
            )
        },
        Made {
            expected: 90,
            reason: other,
            ..made(
                ali,
                None,
                None,
                pg,
                "cancelled",
                at(3, 10, 0, 0),
                Some(at(9, 23, 59, 59)),
            )
        },
    ];
    let rows: Vec<NewCase> = set
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let number = format!("1404-{:05}", i + 1);
            let title = format!("Case {}", i + 1);
            NewCase {
                search_text: cases::search_text(&number, &title),
                number,
                title,
                company_id: Some(customer),
                expert_id: m.expert,
                referrer_id: m.referrer,
                channel_id: m.channel,
                status_id: status(db, m.status),
                importance: "normal".into(),
                priority: 3,
                product_group_id: m.group,
                expected_amount: Some(m.expected),
                won_amount: m.won,
                won_on: m.won.and(m.closed.map(|c| c.date())),
                close_reason_id: m.reason,
                closed_at: m.closed,
                created_by: admin.id,
                updated_by: admin.id,
                created_at: m.opened,
                updated_at: m.closed.unwrap_or(m.opened),
                ..NewCase::default()
            }
        })
        .collect();
    bulk::cases(db, &rows).expect("the cases");
    k
}

/// The filters of the first to the twentieth of January.
fn mid_january() -> Filters {
    Filters {
        from: Some(jan(10)),
        to: Some(jan(20)),
        ..Filters::new(jan(31))
    }
}

/// The table's rows as scripts read them.
fn rows(table: &Table) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .map(|row| row.iter().map(report::Value::plain).collect())
        .collect()
}

/// The report called `name` with `filters`, as plain rows.
fn run(db: &mut Db, name: &str, filters: &Filters) -> Vec<Vec<String>> {
    let report = report::find(name).unwrap_or_else(|| panic!("{name} is catalogued"));
    rows(&(report.run)(db, filters).expect("the report"))
}

/// A row of plain cells.
fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

store_tests! {
    fn channels_count_opened_and_won_cases(db, backend) {
        let k = known(db);
        let (a, b) = (k.channels[0].1.as_str(), k.channels[1].1.as_str());
        // Opened from the 10th to the 20th: cases 1 to 5 and 8.
        let table = (report::find("channels").expect("catalogued").run)(db, &mid_january())
            .expect("the report");
        assert_eq!(table.chart, [1, 2]);
        assert_eq!(table.chart_rows, 3);
        assert_eq!(
            rows(&table),
            [
                row(&[a, "3", "2", "66.7", "1300"]),
                row(&[b, "2", "0", "0.0", "0"]),
                row(&["No channel", "1", "0", "0.0", "0"]),
                row(&["Total", "6", "2", "33.3", "1300"]),
            ]
        );
        // Every case: the cases with no channel still come last.
        assert_eq!(
            run(db, "channels", &Filters::new(jan(31))),
            [
                row(&[a, "4", "2", "50.0", "1300"]),
                row(&[b, "3", "0", "0.0", "0"]),
                row(&["No channel", "4", "1", "25.0", "50"]),
                row(&["Total", "11", "3", "27.3", "1350"]),
            ]
        );
    }

    fn channels_narrowed_to_an_expert_or_a_unit(db, backend) {
        let k = known(db);
        let (a, b) = (k.channels[0].1.as_str(), k.channels[1].1.as_str());
        let sara = Filters { expert: Some(k.sara), ..mid_january() };
        assert_eq!(
            run(db, "channels", &sara),
            [
                row(&[a, "2", "1", "50.0", "1000"]),
                row(&[b, "1", "0", "0.0", "0"]),
                row(&["Total", "3", "1", "33.3", "1000"]),
            ]
        );
        let shiraz = Filters { unit: Some(k.shiraz), ..mid_january() };
        assert_eq!(
            run(db, "channels", &shiraz),
            [
                row(&[a, "1", "1", "100.0", "300"]),
                row(&[b, "1", "0", "0.0", "0"]),
                row(&["No channel", "1", "0", "0.0", "0"]),
                row(&["Total", "3", "1", "33.3", "300"]),
            ]
        );
        // The unit above both holds every expert.
        let sales = Filters { unit: Some(k.sales), ..mid_january() };
        assert_eq!(run(db, "channels", &sales), run(db, "channels", &mid_january()));
        // An expert outside the unit: nothing, and no rate without cases.
        let none = Filters { expert: Some(k.sara), unit: Some(k.shiraz), ..mid_january() };
        assert_eq!(run(db, "channels", &none), [row(&["Total", "0", "0", "", "0"])]);
    }

    fn a_range_holds_the_first_and_last_moment_of_its_days(db, backend) {
        let k = known(db);
        let total = |rows: Vec<Vec<String>>| rows.last().expect("a total").clone();
        // Case 7 was opened at midnight starting the 21st, case 6 a second before the 10th.
        let the_21st = Filters { from: Some(jan(21)), to: Some(jan(21)), ..Filters::new(jan(31)) };
        assert_eq!(
            run(db, "channels", &the_21st),
            [
                row(&["No channel", "1", "1", "100.0", "50"]),
                row(&["Total", "1", "1", "100.0", "50"]),
            ]
        );
        // Up to the 9th: cases 6, 9, 10 and 11; from the 10th: cases 1 to 5, 7 and 8.
        let to_9th = Filters { to: Some(jan(9)), ..Filters::new(jan(31)) };
        assert_eq!(total(run(db, "channels", &to_9th)), row(&["Total", "4", "0", "0.0", "0"]));
        let from_10th = Filters { from: Some(jan(10)), ..Filters::new(jan(31)) };
        assert_eq!(
            total(run(db, "channels", &from_10th)),
            row(&["Total", "7", "3", "42.9", "1350"])
        );
        // Win-loss dates by closing: case 10 closed at midnight starting the 10th, case 3 a
        // second before the 21st (both in); case 11 a second before the 10th, case 5 at
        // midnight starting the 21st (both out).
        let closed = run(db, "win-loss", &mid_january());
        assert_eq!(closed.last(), Some(&row(&["Total", "", "", "", "7", ""])));
        let on_the_10th = Filters { from: Some(jan(10)), to: Some(jan(10)), ..Filters::new(jan(31)) };
        assert_eq!(
            run(db, "win-loss", &on_the_10th),
            [
                row(&["cancelled", &k.other.1, "sara", &k.group.1, "1", "250"]),
                row(&["cancelled", "Total", "", "", "1", "250"]),
                row(&["Total", "", "", "", "1", ""]),
            ]
        );
    }

    fn referrers_the_most_won_first(db, backend) {
        let k = known(db);
        let (zand, arash) = (k.zand.1.as_str(), k.arash.1.as_str());
        // Zand brought fewer cases than Arash but more was won from them; case 8, with no
        // referrer, is left out.
        let table = (report::find("referrers").expect("catalogued").run)(db, &mid_january())
            .expect("the report");
        assert_eq!(table.chart, [2]);
        assert_eq!(
            rows(&table),
            [
                row(&[zand, "2", "1000"]),
                row(&[arash, "3", "300"]),
                row(&["Total", "5", "1300"]),
            ]
        );
        assert_eq!(
            run(db, "referrers", &Filters::new(jan(31))),
            [
                row(&[zand, "3", "1050"]),
                row(&[arash, "3", "300"]),
                row(&["Total", "6", "1350"]),
            ]
        );
        let ali = Filters { expert: Some(k.ali), ..mid_january() };
        assert_eq!(
            run(db, "referrers", &ali),
            [row(&[arash, "2", "300"]), row(&["Total", "2", "300"])]
        );
        let tehran = Filters { unit: Some(k.tehran), ..mid_january() };
        assert_eq!(
            run(db, "referrers", &tehran),
            [
                row(&[zand, "2", "1000"]),
                row(&[arash, "1", "0"]),
                row(&["Total", "3", "1000"]),
            ]
        );
    }

    fn win_loss_by_outcome_reason_expert_and_group(db, backend) {
        let k = known(db);
        let (pg, price, other) = (k.group.1.as_str(), k.price.1.as_str(), k.other.1.as_str());
        // Closed from the 10th to the 20th: cases 1, 2, 3, 6, 8, 9 and 10.
        let table = (report::find("win-loss").expect("catalogued").run)(db, &mid_january())
            .expect("the report");
        assert_eq!(table.chart, [4]);
        assert_eq!(table.chart_rows, 6);
        assert_eq!(
            rows(&table),
            [
                row(&["won", "", "sara", pg, "1", "1000"]),
                row(&["won", "", "ali", "No product group", "1", "300"]),
                // Cases 6 and 9, their expected amounts.
                row(&["lost", price, "ali", pg, "2", "850"]),
                row(&["lost", price, "sara", pg, "1", "500"]),
                row(&["lost", "No reason", "ali", "No product group", "1", "100"]),
                row(&["cancelled", other, "sara", pg, "1", "250"]),
                row(&["won", "Total", "", "", "2", "1300"]),
                row(&["lost", "Total", "", "", "4", "1450"]),
                row(&["cancelled", "Total", "", "", "1", "250"]),
                row(&["Total", "", "", "", "7", ""]),
            ]
        );
        // Every closed case: cases 5, 7 and 11 join in.
        assert_eq!(
            run(db, "win-loss", &Filters::new(jan(31))),
            [
                row(&["won", "", "sara", pg, "2", "1050"]),
                row(&["won", "", "ali", "No product group", "1", "300"]),
                row(&["lost", price, "ali", pg, "2", "850"]),
                row(&["lost", price, "sara", pg, "1", "500"]),
                row(&["lost", "No reason", "ali", "No product group", "1", "100"]),
                row(&["cancelled", other, "sara", pg, "2", "450"]),
                row(&["cancelled", other, "ali", pg, "1", "90"]),
                row(&["won", "Total", "", "", "3", "1350"]),
                row(&["lost", "Total", "", "", "4", "1450"]),
                row(&["cancelled", "Total", "", "", "3", "540"]),
                row(&["Total", "", "", "", "10", ""]),
            ]
        );
    }

    fn win_loss_narrowed_to_an_expert_or_a_unit(db, backend) {
        let k = known(db);
        let (pg, price, other) = (k.group.1.as_str(), k.price.1.as_str(), k.other.1.as_str());
        let sara = Filters { expert: Some(k.sara), ..mid_january() };
        assert_eq!(
            run(db, "win-loss", &sara),
            [
                row(&["won", "", "sara", pg, "1", "1000"]),
                row(&["lost", price, "sara", pg, "1", "500"]),
                row(&["cancelled", other, "sara", pg, "1", "250"]),
                row(&["won", "Total", "", "", "1", "1000"]),
                row(&["lost", "Total", "", "", "1", "500"]),
                row(&["cancelled", "Total", "", "", "1", "250"]),
                row(&["Total", "", "", "", "3", ""]),
            ]
        );
        let shiraz = Filters { unit: Some(k.shiraz), ..mid_january() };
        assert_eq!(
            run(db, "win-loss", &shiraz),
            [
                row(&["won", "", "ali", "No product group", "1", "300"]),
                row(&["lost", price, "ali", pg, "2", "850"]),
                row(&["lost", "No reason", "ali", "No product group", "1", "100"]),
                row(&["won", "Total", "", "", "1", "300"]),
                row(&["lost", "Total", "", "", "3", "950"]),
                row(&["Total", "", "", "", "4", ""]),
            ]
        );
    }
}
