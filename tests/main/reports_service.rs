//! The complaint and contact-base reports on a small known data set, on both backends, each
//! row checked against figures worked out by hand: complaints by status, category and severity;
//! the service levels per severity (late first responses and resolutions as the complaint
//! screens count them, wall-clock averages, satisfaction), measured at a fixed day; contacts by
//! kind, top-level category and province (a contact filed twice under one top counted once
//! there); new contacts per Gregorian and Jalali month. Each with the expert filter where it
//! takes one, and the range's first and last days (local midnight on either side).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use peygir::db::Db;
use peygir::db::ids::{ContactId, LookupId, UserId};
use peygir::db::schema::{complaints as complaints_table, contacts as contacts_table};
use peygir::domain::locale::{self, Calendar, Digits};
use peygir::domain::when;
use peygir::report::{self, Filters, Table, Value};
use peygir::store::complaints::NewComplaint;
use peygir::store::contacts::{self, ContactFields};
use peygir::store::lookups::{self, List};
use peygir::store::{self as store, Actor, Role, bulk, categories, users};

use crate::support::admin;

/// A wall-clock time in the office, as the UTC time the store keeps.
fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    when::to_utc(day(y, m, d).and_hms_opt(h, min, 0).expect("a time"))
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn lookup(db: &mut Db, list: List, code: &str) -> LookupId {
    lookups::id_of(db, list, code)
        .expect("read")
        .unwrap_or_else(|| panic!("{code} is a default entry"))
}

/// The report's rows as scripts read them.
fn plain(table: &Table) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .map(|row| row.iter().map(Value::plain).collect())
        .collect()
}

fn rows(expected: &[&[&str]]) -> Vec<Vec<String>> {
    expected
        .iter()
        .map(|row| row.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// Runs the catalogue's report `name` in English and the Gregorian calendar.
fn run(db: &mut Db, name: &str, filters: &Filters) -> Table {
    run_in(db, name, filters, Calendar::Gregorian)
}

fn run_in(db: &mut Db, name: &str, filters: &Filters, calendar: Calendar) -> Table {
    let report = report::find(name).unwrap_or_else(|| panic!("{name} is in the catalogue"));
    locale::with(calendar, Digits::Latin, || (report.run)(db, filters))
        .unwrap_or_else(|e| panic!("run {name}: {e}"))
}

/// The day the service levels are measured at: the end of it is "now".
fn measured_at(today: NaiveDate) -> Filters {
    Filters::new(today)
}

fn with_range(from: NaiveDate, to: NaiveDate) -> Filters {
    Filters {
        from: Some(from),
        to: Some(to),
        ..measured_at(day(2026, 2, 28))
    }
}

struct Experts {
    sara: UserId,
    ali: UserId,
}

/// One complaint of the data set: the times its clocks read.
struct Sample {
    expert: UserId,
    category: Option<&'static str>,
    severity: &'static str,
    status: &'static str,
    received: NaiveDateTime,
    response_due: NaiveDateTime,
    resolution_due: NaiveDateTime,
    acknowledged: Option<NaiveDateTime>,
    resolved: Option<NaiveDateTime>,
    closed: Option<NaiveDateTime>,
    satisfaction: Option<i32>,
}

/// Seven complaints, two severities, two categories and one with none; received in January
/// and February 2026:
///
/// | | expert | category | severity | status | to response | late response | to resolution | late resolution | rated |
/// |---|---|---|---|---|---|---|---|---|---|
/// | c1 | sara | delivery | critical | closed | 1 h | no | 48 h | yes (closed after due) | 4 |
/// | c2 | ali | delivery | high | investigating | 6 h | yes | - | no (due after now) | |
/// | c3 | sara | defect | critical | received | - | yes (unanswered) | - | yes (open past due) | |
/// | c4 | sara | defect | high | closed, received Jan 31 23:30 | 2 h | no | 48 h | no | 3 |
/// | c5 | ali | delivery | critical | rejected, received Feb 1 00:00 | - | no (closed at the due time) | 2 h | no | |
/// | c6 | sara | none | high | acknowledged | 0.5 h | no | - | yes after Feb 27 10:00 | |
/// | c7 | sara | delivery | critical | closed | 1 h | no | 6 h | no | |
fn complaints_world(db: &mut Db) -> Experts {
    store::ensure_defaults(db).expect("defaults");
    let admin = admin(db);
    let customer = contacts::create(
        db,
        &admin,
        ContactFields {
            kind: "company".into(),
            company_name: Some("Azar Steel".into()),
            ..ContactFields::default()
        },
    )
    .expect("a customer")
    .id;
    let sara = users::insert_user(db, "sara", "Sara Rahimi", Role::Agent, None).expect("sara");
    let ali = users::insert_user(db, "ali", "Ali Karimi", Role::Agent, None).expect("ali");
    let t = local;
    let cases = [
        Sample {
            expert: sara,
            category: Some("delivery-delay"),
            severity: "critical",
            status: "closed",
            received: t(2026, 1, 5, 9, 0),
            response_due: t(2026, 1, 5, 11, 0),
            resolution_due: t(2026, 1, 6, 9, 0),
            acknowledged: Some(t(2026, 1, 5, 10, 0)),
            resolved: Some(t(2026, 1, 7, 9, 0)),
            closed: Some(t(2026, 1, 7, 15, 0)),
            satisfaction: Some(4),
        },
        Sample {
            expert: ali,
            category: Some("delivery-delay"),
            severity: "high",
            status: "investigating",
            received: t(2026, 1, 10, 9, 0),
            response_due: t(2026, 1, 10, 13, 0),
            resolution_due: t(2026, 3, 31, 9, 0),
            acknowledged: Some(t(2026, 1, 10, 15, 0)),
            resolved: None,
            closed: None,
            satisfaction: None,
        },
        Sample {
            expert: sara,
            category: Some("product-defect"),
            severity: "critical",
            status: "received",
            received: t(2026, 1, 20, 10, 0),
            response_due: t(2026, 1, 20, 12, 0),
            resolution_due: t(2026, 1, 21, 10, 0),
            acknowledged: None,
            resolved: None,
            closed: None,
            satisfaction: None,
        },
        Sample {
            expert: sara,
            category: Some("product-defect"),
            severity: "high",
            status: "closed",
            received: t(2026, 1, 31, 23, 30),
            response_due: t(2026, 2, 1, 3, 30),
            resolution_due: t(2026, 2, 5, 9, 0),
            acknowledged: Some(t(2026, 2, 1, 1, 30)),
            resolved: Some(t(2026, 2, 2, 23, 30)),
            closed: Some(t(2026, 2, 3, 0, 0)),
            satisfaction: Some(3),
        },
        Sample {
            expert: ali,
            category: Some("delivery-delay"),
            severity: "critical",
            status: "rejected",
            received: t(2026, 2, 1, 0, 0),
            response_due: t(2026, 2, 1, 2, 0),
            resolution_due: t(2026, 2, 2, 0, 0),
            acknowledged: None,
            resolved: None,
            closed: Some(t(2026, 2, 1, 2, 0)),
            satisfaction: None,
        },
        Sample {
            expert: sara,
            category: None,
            severity: "high",
            status: "acknowledged",
            received: t(2026, 2, 10, 10, 0),
            response_due: t(2026, 2, 10, 14, 0),
            resolution_due: t(2026, 2, 27, 10, 0),
            acknowledged: Some(t(2026, 2, 10, 10, 30)),
            resolved: None,
            closed: None,
            satisfaction: None,
        },
        Sample {
            expert: sara,
            category: Some("delivery-delay"),
            severity: "critical",
            status: "closed",
            received: t(2026, 1, 6, 12, 0),
            response_due: t(2026, 1, 6, 14, 0),
            resolution_due: t(2026, 1, 7, 12, 0),
            acknowledged: Some(t(2026, 1, 6, 13, 0)),
            resolved: Some(t(2026, 1, 6, 18, 0)),
            closed: Some(t(2026, 1, 6, 19, 0)),
            satisfaction: None,
        },
    ];
    let mut rows = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let category = c
            .category
            .map(|code| lookup(db, List::ComplaintCategory, code));
        rows.push(NewComplaint {
            number: format!("C-1404-{:05}", i + 1),
            title: format!("Complaint {}", i + 1),
            description: "Known data".into(),
            contact_id: customer,
            category_id: category,
            severity: c.severity.into(),
            status: c.status.into(),
            expert_id: c.expert,
            received_at: c.received,
            resolved_at: c.resolved,
            acknowledged_at: c.acknowledged,
            response_due_at: Some(c.response_due),
            resolution_due_at: Some(c.resolution_due),
            closed_at: c.closed,
            created_by: admin.id,
            updated_by: admin.id,
            created_at: c.received,
            updated_at: c.received,
            ..NewComplaint::default()
        });
    }
    let ids = bulk::complaints(db, &rows).expect("complaints loaded");
    for (id, c) in ids.iter().zip(&cases) {
        if let Some(score) = c.satisfaction {
            diesel::update(complaints_table::table.find(*id))
                .set(complaints_table::satisfaction.eq(Some(score)))
                .execute(db)
                .expect("rated");
        }
    }
    Experts { sara, ali }
}

/// Contacts of both kinds under the categories `Industry/Steel`, `Industry/Cement`, `Industry`
/// and `Retail` and in cities and provinces, added in January and February 2026:
///
/// | | kind | filed under | region | added | |
/// |---|---|---|---|---|---|
/// | p1 | person | Industry/Steel, Industry/Cement | Tehran (city) | Jan 10 | |
/// | p2 | person | Retail | Tehran province | Jan 31 23:30 | |
/// | p3 | person | nothing | none | Feb 1 00:00 | |
/// | k1 | company | Industry/Steel, Retail | Shiraz (city of Fars) | Jan 15 | |
/// | k2 | company | Industry | Fars province | Feb 20 | |
/// | k3 | company | Industry | Fars province | Feb 5 | archived |
fn contacts_world(db: &mut Db) {
    store::ensure_defaults(db).expect("defaults");
    let admin = admin(db);
    let steel = categories::ensure_path(db, &admin, "Industry/Steel").expect("steel");
    let cement = categories::ensure_path(db, &admin, "Industry/Cement").expect("cement");
    let industry = categories::find_path(db, "Industry")
        .expect("read")
        .expect("industry");
    let retail = categories::ensure_path(db, &admin, "Retail").expect("retail");
    let tehran_city = lookup(db, List::Region, "tehran.tehran");
    let tehran = lookup(db, List::Region, "tehran");
    let shiraz = lookup(db, List::Region, "fars.shiraz");
    let fars = lookup(db, List::Region, "fars");
    let add = |db: &mut Db,
               admin: &Actor,
               kind: &str,
               name: &str,
               region: Option<LookupId>,
               filed: &[peygir::db::ids::CategoryId],
               added: NaiveDateTime|
     -> ContactId {
        let fields = match kind {
            "person" => ContactFields {
                kind: kind.into(),
                last_name: Some(name.into()),
                region_id: region,
                ..ContactFields::default()
            },
            _ => ContactFields {
                kind: kind.into(),
                company_name: Some(name.into()),
                region_id: region,
                ..ContactFields::default()
            },
        };
        let id = contacts::create(db, admin, fields).expect("a contact").id;
        categories::set_for_contact(db, admin, id, filed).expect("filed");
        diesel::update(contacts_table::table.find(id))
            .set(contacts_table::created_at.eq(added))
            .execute(db)
            .expect("dated");
        id
    };
    add(
        db,
        &admin,
        "person",
        "Ahmadi",
        Some(tehran_city),
        &[steel, cement],
        local(2026, 1, 10, 10, 0),
    );
    add(
        db,
        &admin,
        "person",
        "Bahrami",
        Some(tehran),
        &[retail],
        local(2026, 1, 31, 23, 30),
    );
    add(
        db,
        &admin,
        "person",
        "Chamani",
        None,
        &[],
        local(2026, 2, 1, 0, 0),
    );
    add(
        db,
        &admin,
        "company",
        "Pars Tile",
        Some(shiraz),
        &[steel, retail],
        local(2026, 1, 15, 10, 0),
    );
    add(
        db,
        &admin,
        "company",
        "Fars Cement",
        Some(fars),
        &[industry],
        local(2026, 2, 20, 10, 0),
    );
    let gone = add(
        db,
        &admin,
        "company",
        "Closed Down",
        Some(fars),
        &[industry],
        local(2026, 2, 5, 10, 0),
    );
    let version = contacts::get(db, gone).expect("read").version;
    contacts::archive(db, &admin, gone, version).expect("archived");
}

store_tests! {
    fn complaints_are_counted_by_status_category_and_severity(db, backend) {
        let experts = complaints_world(db);
        let all = run(db, "complaints", &measured_at(day(2026, 2, 28)));
        assert_eq!(
            plain(&all),
            rows(&[
                &["received", "Defective product", "critical", "1"],
                &["acknowledged", "No category", "high", "1"],
                &["investigating", "Late delivery", "high", "1"],
                &["closed", "Late delivery", "critical", "2"],
                &["closed", "Defective product", "high", "1"],
                &["rejected", "Late delivery", "critical", "1"],
                &["Total", "", "", "7"],
            ]),
            "{backend}"
        );
        assert_eq!(all.chart, vec![3]);
        assert_eq!(all.chart_rows, 6);

        let sara = Filters {
            expert: Some(experts.sara),
            ..measured_at(day(2026, 2, 28))
        };
        assert_eq!(
            plain(&run(db, "complaints", &sara)),
            rows(&[
                &["received", "Defective product", "critical", "1"],
                &["acknowledged", "No category", "high", "1"],
                &["closed", "Late delivery", "critical", "2"],
                &["closed", "Defective product", "high", "1"],
                &["Total", "", "", "5"],
            ])
        );
        // January's last day holds the complaint received at 23:30; February's first, the one
        // received at midnight.
        assert_eq!(
            plain(&run(db, "complaints", &with_range(day(2026, 1, 1), day(2026, 1, 31)))),
            rows(&[
                &["received", "Defective product", "critical", "1"],
                &["investigating", "Late delivery", "high", "1"],
                &["closed", "Late delivery", "critical", "2"],
                &["closed", "Defective product", "high", "1"],
                &["Total", "", "", "5"],
            ])
        );
        assert_eq!(
            plain(&run(db, "complaints", &with_range(day(2026, 2, 1), day(2026, 2, 28)))),
            rows(&[
                &["acknowledged", "No category", "high", "1"],
                &["rejected", "Late delivery", "critical", "1"],
                &["Total", "", "", "2"],
            ])
        );
    }

    fn the_service_levels_are_measured_as_the_complaint_screens_show_them(db, backend) {
        let experts = complaints_world(db);
        // Measured at the end of February 28th: every due time but c2's resolution has come.
        let all = run(db, "complaint-service", &measured_at(day(2026, 2, 28)));
        assert_eq!(
            all.columns.iter().map(|c| c.key).collect::<Vec<_>>(),
            [
                "severity",
                "received",
                "response_breaches",
                "resolution_breaches",
                "avg_response_hours",
                "avg_resolution_hours",
                "avg_satisfaction",
                "rated",
            ]
        );
        assert_eq!(
            plain(&all),
            rows(&[
                &["low", "0", "0", "0", "", "", "", "0"],
                &["medium", "0", "0", "0", "", "", "", "0"],
                // First responses (6 + 2 + 0.5) / 3 hours; the one resolution 48 hours.
                &["high", "3", "1", "1", "2.8", "48.0", "3.0", "1"],
                // First responses (1 + 1) / 2 hours; resolutions (48 + 6 + 2) / 3.
                &["critical", "4", "1", "2", "1.0", "18.7", "4.0", "1"],
                &["Total", "7", "2", "3", "2.1", "26.0", "3.5", "2"],
            ]),
            "{backend}"
        );

        // A day earlier c6's resolution (due February 27th, 10:00) is not late yet.
        let earlier = run(db, "complaint-service", &measured_at(day(2026, 2, 26)));
        assert_eq!(plain(&earlier)[2][3], "0");
        assert_eq!(plain(&earlier)[4][3], "2");

        let ali = Filters {
            expert: Some(experts.ali),
            ..measured_at(day(2026, 2, 28))
        };
        assert_eq!(
            plain(&run(db, "complaint-service", &ali)),
            rows(&[
                &["low", "0", "0", "0", "", "", "", "0"],
                &["medium", "0", "0", "0", "", "", "", "0"],
                &["high", "1", "1", "0", "6.0", "", "", "0"],
                &["critical", "1", "0", "0", "", "2.0", "", "0"],
                &["Total", "2", "1", "0", "6.0", "2.0", "", "0"],
            ])
        );

        assert_eq!(
            plain(&run(
                db,
                "complaint-service",
                &with_range(day(2026, 1, 1), day(2026, 1, 31))
            )),
            rows(&[
                &["low", "0", "0", "0", "", "", "", "0"],
                &["medium", "0", "0", "0", "", "", "", "0"],
                &["high", "2", "1", "0", "4.0", "48.0", "3.0", "1"],
                &["critical", "3", "1", "2", "1.0", "27.0", "4.0", "1"],
                &["Total", "5", "2", "2", "2.5", "34.0", "3.5", "2"],
            ])
        );
        assert_eq!(
            plain(&run(
                db,
                "complaint-service",
                &with_range(day(2026, 2, 1), day(2026, 2, 1))
            )),
            rows(&[
                &["low", "0", "0", "0", "", "", "", "0"],
                &["medium", "0", "0", "0", "", "", "", "0"],
                &["high", "0", "0", "0", "", "", "", "0"],
                &["critical", "1", "0", "0", "", "2.0", "", "0"],
                &["Total", "1", "0", "0", "", "2.0", "", "0"],
            ])
        );
    }

    fn the_contact_base_counts_each_contact_once_under_each_top_category(db, backend) {
        contacts_world(db);
        let all = run(db, "contact-base", &measured_at(day(2026, 2, 28)));
        assert_eq!(
            plain(&all),
            rows(&[
                // Filed twice under Industry, counted once there.
                &["person", "Industry", "Tehran province", "1"],
                &["person", "Retail", "Tehran province", "1"],
                &["person", "Not filed", "No region", "1"],
                &["company", "Industry", "Fars province", "2"],
                &["company", "Retail", "Fars province", "1"],
                // Pars Tile is in both of its top categories' rows, once in the total; the
                // archived company in none.
                &["Total", "", "", "5"],
            ]),
            "{backend}"
        );
        assert_eq!(all.chart, vec![3]);
        assert_eq!(all.chart_rows, 5);
        assert_eq!(
            plain(&run(db, "contact-base", &with_range(day(2026, 1, 1), day(2026, 1, 31)))),
            rows(&[
                &["person", "Industry", "Tehran province", "1"],
                &["person", "Retail", "Tehran province", "1"],
                &["company", "Industry", "Fars province", "1"],
                &["company", "Retail", "Fars province", "1"],
                &["Total", "", "", "3"],
            ])
        );
        assert_eq!(
            plain(&run(db, "contact-base", &with_range(day(2026, 2, 1), day(2026, 2, 28)))),
            rows(&[
                &["person", "Not filed", "No region", "1"],
                &["company", "Industry", "Fars province", "1"],
                &["Total", "", "", "2"],
            ])
        );
    }

    fn new_contacts_are_counted_per_month_of_the_calendar_in_force(db, backend) {
        contacts_world(db);
        let gregorian = run(db, "new-contacts", &measured_at(day(2026, 2, 28)));
        assert_eq!(
            plain(&gregorian),
            rows(&[
                &["2026-01", "2", "1", "3"],
                &["2026-02", "1", "1", "2"],
                &["Total", "3", "2", "5"],
            ]),
            "{backend}"
        );
        assert_eq!(gregorian.chart, vec![3]);
        assert_eq!(gregorian.chart_rows, 2);
        // Dey 1404 ends on January 20th, Bahman on February 19th.
        assert_eq!(
            plain(&run_in(
                db,
                "new-contacts",
                &measured_at(day(2026, 2, 28)),
                Calendar::Jalali
            )),
            rows(&[
                &["1404/10", "1", "1", "2"],
                &["1404/11", "2", "0", "2"],
                &["1404/12", "0", "1", "1"],
                &["Total", "3", "2", "5"],
            ])
        );
        // Every month of the range, the empty ones too.
        assert_eq!(
            plain(&run(db, "new-contacts", &with_range(day(2025, 12, 1), day(2026, 3, 31)))),
            rows(&[
                &["2025-12", "0", "0", "0"],
                &["2026-01", "2", "1", "3"],
                &["2026-02", "1", "1", "2"],
                &["2026-03", "0", "0", "0"],
                &["Total", "3", "2", "5"],
            ])
        );
        assert_eq!(
            plain(&run(db, "new-contacts", &with_range(day(2026, 1, 1), day(2026, 1, 31)))),
            rows(&[&["2026-01", "2", "1", "3"], &["Total", "2", "1", "3"]])
        );
        assert_eq!(
            plain(&run(db, "new-contacts", &with_range(day(2026, 2, 1), day(2026, 2, 1)))),
            rows(&[&["2026-02", "1", "0", "1"], &["Total", "1", "0", "1"]])
        );
    }
}
