//! Contacts out to CSV and xlsx and back in from CSV, on both backends: the round trip gives the
//! same bytes, every cell is written as the store has it, every bad input is named by row and
//! column and leaves the store as it was, and the real binary's `export` and `import` exit codes.

use std::path::{Path, PathBuf};

use diesel::prelude::*;

use peygir::db::Db;
use peygir::db::ids::{ContactId, LookupId};
use peygir::db::schema::audit_log;
use peygir::domain::iran;
use peygir::domain::locale::{self, Calendar, Digits};
use peygir::exchange::{self, Error, ExportOptions, Format, ImportOptions, ImportReport, Problem};
use peygir::store::contacts::{self, ContactFields, ContactFilter};
use peygir::store::lookups::{self, List};
use peygir::store::{Actor, categories};

use crate::support::binary::{self, Run};
use crate::support::{Backend, TestStore, admin};

/// A valid national code that starts with `first_nine`.
fn national_code(first_nine: &str) -> String {
    let digits: Vec<u8> = first_nine.bytes().map(|b| b - b'0').collect();
    let first: [u8; 9] = digits.try_into().expect("nine digits");
    format!("{first_nine}{}", iran::national_code_check_digit(&first))
}

/// A valid company national ID that starts with `first_ten`.
fn company_id(first_ten: &str) -> String {
    let digits: Vec<u8> = first_ten.bytes().map(|b| b - b'0').collect();
    let first: [u8; 10] = digits.try_into().expect("ten digits");
    format!(
        "{first_ten}{}",
        iran::company_national_id_check_digit(&first)
    )
}

/// The same national code with a wrong check digit.
fn wrong_check_digit(code: &str) -> String {
    let (head, last) = code.split_at(code.len() - 1);
    let last = (last.parse::<u8>().expect("a digit") + 1) % 10;
    format!("{head}{last}")
}

/// The store as the command line opens it: the default lists, and its first user, an admin.
fn ready(db: &mut Db) -> Actor {
    lookups::ensure_defaults(db).expect("add the default lists");
    admin(db)
}

fn lookup(db: &mut Db, list: List, code: &str) -> LookupId {
    lookups::id_of(db, list, code)
        .expect("read the list")
        .unwrap_or_else(|| panic!("{code} is a default entry of {list:?}"))
}

/// Contacts that use every column: Persian text, leading zeros, dates, money, lists, categories,
/// a multi-line note with commas and quotes, and text a spreadsheet would take for a formula.
fn fill(db: &mut Db, actor: &Actor) {
    let company_type = lookup(db, List::CompanyType, "private-joint-stock");
    let activity = lookup(db, List::ActivityField, "food");
    let region = lookup(db, List::Region, "tehran.tehran");
    let people = [
        ContactFields {
            kind: "person".into(),
            first_name: Some("علی".into()),
            last_name: Some("رضایی".into()),
            national_code: Some(national_code("001234567")),
            birth_date: chrono::NaiveDate::from_ymd_opt(1985, 3, 21),
            gender: Some("male".into()),
            marital_status: Some("married".into()),
            mobile: Some("09123456789".into()),
            phone: Some("02188887777".into()),
            email: Some("ali.rezaei@example.ir".into()),
            postal_code: Some("1234567890".into()),
            address: Some("تهران، خیابان ولیعصر، پلاک ۱۲".into()),
            region_id: Some(region),
            notes: Some("first line, with a comma\nsecond \"quoted\" line".into()),
            ..ContactFields::default()
        },
        ContactFields {
            kind: "person".into(),
            first_name: Some("Sara".into()),
            last_name: Some("=HYPERLINK(\"http://evil\",\"x\")".into()),
            notes: Some("@SUM(A1)".into()),
            ..ContactFields::default()
        },
        ContactFields {
            kind: "company".into(),
            company_name: Some("پارس تجارت (سهامی خاص)".into()),
            company_national_id: Some(company_id("1038028479")),
            economic_code: Some("411234567890".into()),
            registration_number: Some("012345".into()),
            registration_date: chrono::NaiveDate::from_ymd_opt(2001, 12, 31),
            company_type_id: Some(company_type),
            activity_field_id: Some(activity),
            staff_count: Some(120),
            turnover: Some(9_000_000_000_000),
            phone: Some("02166554433".into()),
            fax: Some("02166554434".into()),
            website: Some("www.pars-tejarat.ir".into()),
            region_id: Some(region),
            ..ContactFields::default()
        },
        ContactFields {
            kind: "person".into(),
            last_name: Some("Nobody".into()),
            ..ContactFields::default()
        },
    ];
    let mut ids = Vec::new();
    for fields in people {
        let contact = contacts::create(db, actor, fields)
            .unwrap_or_else(|e| panic!("create a sample contact: {e}"));
        ids.push(contact.id);
    }
    let retail = categories::ensure_path(db, actor, "Customers/Retail").expect("a category");
    let hot = categories::ensure_path(db, actor, "Prospects/Hot leads").expect("a category");
    let suppliers = categories::ensure_path(db, actor, "Suppliers").expect("a category");
    categories::set_for_contact(db, actor, ids[0], &[retail, hot]).expect("file");
    categories::set_for_contact(db, actor, ids[1], &[hot]).expect("file");
    categories::set_for_contact(db, actor, ids[2], &[suppliers]).expect("file");
}

fn export(db: &mut Db, filter: &ContactFilter, format: Format, options: ExportOptions) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join(format!("contacts.{}", format.as_str()));
    let mut calls = Vec::new();
    let rows = exchange::export_contacts(db, filter, format, &path, &options, &mut |d, t| {
        calls.push((d, t))
    })
    .unwrap_or_else(|e| panic!("export: {e}"));
    let expected = u64::try_from(contacts::count(db, filter).expect("count")).expect("a count");
    assert_eq!(rows, expected);
    assert_eq!(
        calls.first(),
        Some(&(0, expected)),
        "progress starts at 0 of all"
    );
    assert_eq!(
        calls.last().map(|c| c.0),
        Some(rows),
        "progress ends at all"
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list the folder")
        .map(|e| e.expect("an entry").file_name())
        .collect();
    assert_eq!(names.len(), 1, "no temporary file is left: {names:?}");
    std::fs::read(&path).expect("read the export")
}

fn csv(db: &mut Db) -> Vec<u8> {
    export(
        db,
        &ContactFilter::default(),
        Format::Csv,
        ExportOptions::default(),
    )
}

fn import(
    db: &mut Db,
    actor: &Actor,
    bytes: &[u8],
    options: ImportOptions,
) -> Result<ImportReport, Error> {
    exchange::import_contacts_from_bytes(
        db,
        actor,
        Path::new("in.csv"),
        bytes,
        &options,
        &mut |_, _| {},
    )
}

fn imported(db: &mut Db, actor: &Actor, bytes: &[u8]) -> ImportReport {
    import(db, actor, bytes, ImportOptions::default()).unwrap_or_else(|e| panic!("import: {e}"))
}

/// Where a problem is: (row, column).
type Place<'a> = (u64, Option<&'a str>);

/// A problem's place, for comparing.
fn place(problem: &Problem) -> Place<'_> {
    (problem.row, problem.column.as_deref())
}

fn refused(result: Result<ImportReport, Error>) -> Vec<Problem> {
    match result {
        Err(Error::Refused { problems, .. }) => problems,
        other => panic!("expected the file to be refused whole, got {other:?}"),
    }
}

fn stored(db: &mut Db) -> i64 {
    peygir::db::row_count(db, "contacts").expect("count contacts")
}

/// Audit rows, and categories: what a refused or dry-run import must not have added either.
fn traces(db: &mut Db) -> (i64, i64, i64) {
    (
        stored(db),
        audit_log::table
            .count()
            .get_result(db)
            .expect("count audit rows"),
        peygir::db::row_count(db, "categories").expect("count categories"),
    )
}

const HEADER: &str = "kind,first_name,last_name,national_code,birth_date,gender,marital_status,company_name,company_national_id,economic_code,registration_number,registration_date,company_type,activity_field,staff_count,turnover,phone,fax,mobile,email,website,postal_code,address,region,notes,categories";

/// A file with the short header `kind,last_name,national_code,staff_count,notes,region` and
/// these rows.
fn short_file(rows: &[String]) -> Vec<u8> {
    let mut text = String::from("kind,last_name,national_code,staff_count,notes,region\r\n");
    for row in rows {
        text.push_str(row);
        text.push_str("\r\n");
    }
    text.into_bytes()
}

store_tests! {
    fn a_csv_round_trip_gives_the_same_bytes(db, backend) {
        let actor = ready(db);
        fill(db, &actor);
        for options in [ExportOptions::default(), ExportOptions { bom: true }] {
            let first = export(db, &ContactFilter::default(), Format::Csv, options);
            let mut other = TestStore::migrated(backend).expect("a second store");
            let other_actor = ready(&mut other.db);
            let report = imported(&mut other.db, &other_actor, &first);
            assert_eq!((report.rows, report.imported, report.bad_rows), (4, 4, 0), "{report:?}");
            assert!(report.written && report.problems.is_empty(), "{report:?}");
            let second = export(&mut other.db, &ContactFilter::default(), Format::Csv, options);
            assert_eq!(
                String::from_utf8_lossy(&first),
                String::from_utf8_lossy(&second),
                "the second export differs"
            );
            assert_eq!(first, second);
        }
    }

    fn in_the_jalali_calendar_dates_carry_their_jalali_text(db, backend) {
        let actor = ready(db);
        fill(db, &actor);
        let jalali = |db: &mut Db| {
            locale::with(Calendar::Jalali, Digits::Persian, || {
                export(db, &ContactFilter::default(), Format::Csv, ExportOptions::default())
            })
        };
        let first = jalali(db);
        let text = String::from_utf8(first.clone()).expect("UTF-8");
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().expect("a header").iter().map(String::from).collect();
        let at = |name: &str| header.iter().position(|h| h == name).expect(name);
        assert_eq!(at("birth_date_jalali"), at("birth_date") + 1);
        assert_eq!(at("registration_date_jalali"), at("registration_date") + 1);
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a record")).collect();
        // 1985-03-21 is 1 Farvardin 1364; the date itself stays Gregorian, in Latin digits.
        assert_eq!(&rows[0][at("birth_date")], "1985-03-21");
        assert_eq!(&rows[0][at("birth_date_jalali")], "1364/01/01");
        assert_eq!(&rows[2][at("registration_date_jalali")], "1380/10/10");
        // The Gregorian export has no Jalali columns.
        assert!(!String::from_utf8(csv(db)).expect("UTF-8").contains("_jalali"));

        // The file comes back the same through another store.
        let mut other = TestStore::migrated(backend).expect("a second store");
        let other_actor = ready(&mut other.db);
        let report = imported(&mut other.db, &other_actor, &first);
        assert_eq!((report.imported, report.bad_rows), (4, 0), "{report:?}");
        assert_eq!(jalali(&mut other.db), first);

        // A Jalali date alone is the date; one that disagrees with its date is named.
        let file = "kind,last_name,birth_date,birth_date_jalali\r\n\
                    person,Alone,,۱۳۷۰/۰۵/۱۲\r\n\
                    person,Agrees,1991-08-03,1370/05/12\r\n\
                    person,Differs,1991-08-03,1370/05/13\r\n\
                    person,Nonsense,,1404/12/30\r\n";
        let report = imported(db, &actor, file.as_bytes());
        assert!(!report.written);
        assert_eq!(
            report.problems.iter().map(place).collect::<Vec<_>>(),
            [(4, Some("birth_date_jalali")), (5, Some("birth_date_jalali"))],
            "{report:?}"
        );
        let report = import(db, &actor, file.as_bytes(), ImportOptions { skip_invalid: true, dry_run: false })
            .expect("import");
        assert_eq!(report.imported, 2, "{report:?}");
        let all = contacts::batch(db, &ContactFilter::default(), ContactId(0), 100).expect("read");
        let birth = |name: &str| {
            all.iter()
                .find(|c| c.fields.last_name.as_deref() == Some(name))
                .and_then(|c| c.fields.birth_date)
        };
        let day = chrono::NaiveDate::from_ymd_opt(1991, 8, 3);
        assert_eq!((birth("Alone"), birth("Agrees")), (day, day));
    }

    fn every_cell_is_written_as_the_store_has_it(db, backend) {
        let actor = ready(db);
        fill(db, &actor);
        let bytes = csv(db);
        assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM unless asked");
        let text = String::from_utf8(bytes).expect("UTF-8");
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().expect("a header").iter().map(String::from).collect();
        assert_eq!(header.join(","), HEADER);
        assert_eq!(header, exchange::contacts::header());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a record")).collect();
        assert_eq!(rows.len(), 4);
        let cell = |row: usize, column: &str| {
            let i = header.iter().position(|h| h == column).expect("a column");
            rows[row].get(i).expect("a cell").to_string()
        };
        assert_eq!(cell(0, "kind"), "person");
        assert_eq!(cell(0, "first_name"), "علی");
        assert_eq!(cell(0, "national_code"), national_code("001234567"));
        assert!(cell(0, "national_code").starts_with("00"));
        assert_eq!(cell(0, "birth_date"), "1985-03-21");
        assert_eq!(cell(0, "region"), "Tehran");
        assert_eq!(cell(0, "notes"), "first line, with a comma\nsecond \"quoted\" line");
        assert_eq!(cell(0, "categories"), "Customers/Retail; Prospects/Hot leads");
        // Formulas carry the text mark in CSV.
        assert_eq!(cell(1, "last_name"), "'=HYPERLINK(\"http://evil\",\"x\")");
        assert_eq!(cell(1, "notes"), "'@SUM(A1)");
        assert_eq!(cell(2, "kind"), "company");
        assert_eq!(cell(2, "registration_number"), "012345");
        assert_eq!(cell(2, "registration_date"), "2001-12-31");
        assert_eq!(cell(2, "company_type"), "Private joint-stock company");
        assert_eq!(cell(2, "activity_field"), "Food and beverage");
        assert_eq!(cell(2, "staff_count"), "120");
        assert_eq!(cell(2, "turnover"), "9000000000000");
        assert_eq!(cell(2, "categories"), "Suppliers");
        assert_eq!(cell(3, "categories"), "");
        // RFC 4180: CRLF between records; the note's own line break stays LF inside quotes.
        assert!(text.starts_with(&format!("{HEADER}\r\n")));
        assert_eq!(text.matches("\r\n").count(), 5);
        assert!(text.contains("\"first line, with a comma\nsecond \"\"quoted\"\" line\""));
        let with_bom = export(db, &ContactFilter::default(), Format::Csv, ExportOptions { bom: true });
        assert_eq!(&with_bom[..3], b"\xEF\xBB\xBF");
        assert_eq!(&with_bom[3..], text.as_bytes());
    }

    fn the_export_follows_the_filter(db, backend) {
        let actor = ready(db);
        fill(db, &actor);
        let count_rows = |bytes: Vec<u8>| {
            csv::Reader::from_reader(bytes.as_slice()).records().count()
        };
        let search = ContactFilter::search("رضایی");
        assert_eq!(count_rows(export(db, &search, Format::Csv, ExportOptions::default())), 1);
        let prospects = categories::find_path(db, "Prospects").expect("find").expect("a node");
        let filter = ContactFilter {
            categories: Some(categories::subtree_ids(db, prospects).expect("subtree")),
            ..ContactFilter::default()
        };
        assert_eq!(count_rows(export(db, &filter, Format::Csv, ExportOptions::default())), 2);
        let nobody = ContactFilter::search("no such words");
        let bytes = export(db, &nobody, Format::Csv, ExportOptions::default());
        assert_eq!(String::from_utf8(bytes).expect("UTF-8"), format!("{HEADER}\r\n"));
    }

    fn an_xlsx_export_is_a_workbook(db, backend) {
        let actor = ready(db);
        fill(db, &actor);
        let bytes = export(db, &ContactFilter::default(), Format::Xlsx, ExportOptions::default());
        assert!(bytes.starts_with(b"PK\x03\x04"), "an xlsx is a zip");
        let has = |name: &str| bytes.windows(name.len()).any(|w| w == name.as_bytes());
        assert!(has("xl/worksheets/sheet1.xml"), "the zip has the sheet");
        assert!(has("xl/workbook.xml"));
        // An empty list still makes a workbook with its header.
        let empty = export(db, &ContactFilter::search("no such words"), Format::Xlsx, ExportOptions::default());
        assert!(empty.starts_with(b"PK\x03\x04"));
    }

    fn imported_contacts_are_stored_through_the_store(db, backend) {
        let actor = ready(db);
        fill(db, &actor);
        let bytes = csv(db);
        let mut other = TestStore::migrated(backend).expect("a second store");
        let other_actor = ready(&mut other.db);
        imported(&mut other.db, &other_actor, &bytes);
        let all = contacts::batch(&mut other.db, &ContactFilter::default(), ContactId(0), 100).expect("read");
        assert_eq!(all.len(), 4);
        for contact in &all {
            assert_eq!(contact.version, 1);
            assert_eq!(contact.created_by, other_actor.id);
            let history = peygir::store::audit::history(&mut other.db, contacts::ENTITY, contact.id)
                .expect("history");
            assert_eq!(history.len(), 1, "one audit row for the creation");
        }
        assert_eq!(all[1].fields.last_name.as_deref(), Some("=HYPERLINK(\"http://evil\",\"x\")"));
        assert_eq!(all[2].fields.turnover, Some(9_000_000_000_000));
        let files = categories::of_contact(&mut other.db, all[0].id).expect("filings");
        let paths: Vec<&str> = files.iter().map(|f| f.1.as_str()).collect();
        assert_eq!(paths, ["Customers/Retail", "Prospects/Hot leads"]);
    }

    fn columns_in_any_order_with_a_bom(db, backend) {
        let actor = ready(db);
        let code = national_code("098765432");
        let text = format!(
            "\u{feff}Last_Name , KIND,national_code,region,categories\n\
             Karimi,person,{code},tehran province,A / B ;C\n\
             ,,,,\n\
             \"Ahmadi\",Company,,,\n"
        );
        let report = imported(db, &actor, text.as_bytes());
        assert!(!report.written, "{report:?}");
        // The second row is a company without a company name.
        assert_eq!(report.problems.iter().map(place).collect::<Vec<_>>(), [(4, Some("company_name"))]);
        let report = import(db, &actor, text.as_bytes(), ImportOptions { skip_invalid: true, dry_run: false })
            .expect("import");
        assert_eq!((report.rows, report.imported, report.bad_rows), (2, 1, 1), "{report:?}");
        let all = contacts::batch(db, &ContactFilter::default(), ContactId(0), 10).expect("read");
        assert_eq!(all.len(), 1);
        let f = &all[0].fields;
        assert_eq!(f.last_name.as_deref(), Some("Karimi"));
        assert_eq!(f.national_code.as_deref(), Some(code.as_str()));
        assert_eq!(f.region_id, Some(lookup(db, List::Region, "tehran")), "found without case");
        let files = categories::of_contact(db, all[0].id).expect("filings");
        let paths: Vec<&str> = files.iter().map(|f| f.1.as_str()).collect();
        assert_eq!(paths, ["A/B", "C"]);
    }

    fn bad_rows_are_named_by_row_and_column_and_nothing_is_imported(db, backend) {
        let actor = ready(db);
        let on_file = national_code("111222333");
        contacts::create(db, &actor, ContactFields {
            kind: "person".into(),
            last_name: Some("Already".into()),
            national_code: Some(on_file.clone()),
            ..ContactFields::default()
        })
        .expect("a contact on file");
        let before = traces(db);
        let good = national_code("001100220");
        let rows = [
            format!("person,Good,{good},12,,Tehran"),                       // 2
            format!("person,Bad check,{},,,", wrong_check_digit(&good)),    // 3
            "person,Letters,,twelve,,".to_string(),                         // 4
            format!("person,Long note,,,{},", "x".repeat(1_000_000)),       // 5
            "person,=cmd|' /C calc'!A0,,,,".to_string(),                    // 6
            "person,Unknown region,,,,Atlantis".to_string(),                // 7
            format!("person,Twin,{good},,,"),                               // 8
            format!("person,On file,{on_file},,,"),                         // 9
            "robot,Kind,,,,".to_string(),                                   // 10
            "person,,,,,".to_string(),                                      // 11
            "person,Cells,,".to_string(),                                   // 12
            "person,Several,12345,-3,+1+1,Nowhere".to_string(),             // 13
        ];
        let file = short_file(&rows);
        let report = imported(db, &actor, &file);
        assert!(!report.written);
        assert_eq!(report.rows, 12);
        assert_eq!(report.bad_rows, 11, "{:#?}", report.problems);
        let places: Vec<_> = report.problems.iter().map(place).collect();
        assert_eq!(
            places,
            [
                (3, Some("national_code")),
                (4, Some("staff_count")),
                (5, Some("notes")),
                (6, Some("last_name")),
                (7, Some("region")),
                (8, Some("national_code")),
                (9, Some("national_code")),
                (10, Some("kind")),
                (11, Some("last_name")),
                (12, None),
                (13, Some("national_code")),
                (13, Some("staff_count")),
                (13, Some("notes")),
                (13, Some("region")),
            ],
            "{:#?}",
            report.problems
        );
        let reason = |row: u64, column: &str| {
            report
                .problems
                .iter()
                .find(|p| p.row == row && p.column.as_deref() == Some(column))
                .map(|p| p.to_string())
                .unwrap_or_default()
        };
        assert!(reason(4, "staff_count").contains("twelve"), "{}", reason(4, "staff_count"));
        assert!(reason(5, "notes").contains("1000000"), "{}", reason(5, "notes"));
        assert!(reason(6, "last_name").contains("formula"), "{}", reason(6, "last_name"));
        assert!(reason(7, "region").contains("Atlantis"), "{}", reason(7, "region"));
        assert!(reason(8, "national_code").contains("row 2"), "{}", reason(8, "national_code"));
        assert!(reason(9, "national_code").contains("Already"), "{}", reason(9, "national_code"));
        assert!(reason(10, "kind").contains("robot"), "{}", reason(10, "kind"));
        assert!(
            report.problems[0].to_string().starts_with("row 3, column national_code: "),
            "{}",
            report.problems[0]
        );
        assert_eq!(traces(db), before, "a refused import leaves nothing behind");

        // The same with skip_invalid: the good row only.
        let report = import(db, &actor, &file, ImportOptions { skip_invalid: true, dry_run: false })
            .expect("import");
        assert!(report.written);
        assert_eq!((report.imported, report.bad_rows), (1, 11));
        assert_eq!(stored(db), before.0 + 1);
    }

    fn names_lose_their_control_characters(db, backend) {
        let actor = ready(db);
        let file = short_file(&["person,\"Rezaei\u{1b}[31m\u{9b}2J\u{7}\",,,\"a\u{1b}]0;x\u{7}\nb\",".to_string()]);
        imported(db, &actor, &file);
        let all = contacts::batch(db, &ContactFilter::default(), ContactId(0), 10).expect("read");
        assert_eq!(all[0].fields.last_name.as_deref(), Some("Rezaei[31m2J"));
        assert_eq!(all[0].fields.notes.as_deref(), Some("a]0;x\nb"));
    }

    fn a_dry_run_checks_everything_and_writes_nothing(db, backend) {
        let actor = ready(db);
        fill(db, &actor);
        let bytes = csv(db);
        let mut other = TestStore::migrated(backend).expect("a second store");
        let other_actor = ready(&mut other.db);
        let before = traces(&mut other.db);
        let dry = ImportOptions { dry_run: true, skip_invalid: false };
        let report = import(&mut other.db, &other_actor, &bytes, dry).expect("a dry run");
        assert_eq!((report.rows, report.imported, report.bad_rows), (4, 4, 0));
        assert!(!report.written);
        assert_eq!(traces(&mut other.db), before, "a dry run writes nothing");
        // A dry run sees duplicates against the store as a real import does.
        let report = import(db, &actor, &bytes, dry).expect("a dry run");
        let places: Vec<_> = report.problems.iter().map(place).collect();
        assert_eq!(places, [(2, Some("national_code")), (4, Some("company_national_id"))]);
        assert_eq!(report.imported, 2);
    }

    fn a_file_that_is_not_a_table_is_refused_whole(db, backend) {
        let actor = ready(db);
        let before = traces(db);
        let cases: Vec<(&str, Vec<u8>, Place)> = vec![
            ("missing column", b"last_name\nKarimi\n".to_vec(), (1, None)),
            ("extra column", b"kind,last_name,shoe_size\nperson,Karimi,42\n".to_vec(), (1, Some("shoe_size"))),
            ("twice", b"kind,last_name,kind\nperson,Karimi,person\n".to_vec(), (1, Some("kind"))),
            ("empty", Vec::new(), (1, None)),
            ("Windows-1256", b"kind,last_name\nperson,Karimi\nperson,\xd1\xd6\xc7\xdb\xed\n".to_vec(), (3, Some("last_name"))),
            ("unclosed", b"kind,last_name\nperson,\"Karimi\nperson,Ahmadi\n".to_vec(), (2, Some("last_name"))),
            ("stray quote", b"kind,last_name\nperson,Kar\"imi\n".to_vec(), (2, Some("last_name"))),
            ("after quote", b"kind,last_name\nperson,\"Kar\"imi\n".to_vec(), (2, Some("last_name"))),
        ];
        for (what, bytes, expected) in cases {
            let problems = refused(import(db, &actor, &bytes, ImportOptions::default()));
            assert_eq!(problems.first().map(place), Some(expected), "{what}: {problems:#?}");
            let problems = refused(import(db, &actor, &bytes, ImportOptions { skip_invalid: true, dry_run: false }));
            assert!(!problems.is_empty(), "{what}");
        }
        let problems = refused(import(db, &actor, b"kind,last_name\nperson,Karimi\nperson,\xd1\xd6\n", ImportOptions::default()));
        assert!(problems[0].to_string().contains("UTF-8"), "{}", problems[0]);
        assert!(problems[0].to_string().contains("byte 37"), "{}", problems[0]);
        assert_eq!(traces(db), before);
    }
}

// ---------------------------------------------------------------------------------------------
// The real binary

/// A store the binary can be pointed at: a SQLite file or a PostgreSQL database of its own.
struct BinaryStore {
    url: String,
    dir: tempfile::TempDir,
    _database: Option<crate::support::pg::Database>,
}

impl BinaryStore {
    fn new(backend: Backend) -> Option<BinaryStore> {
        let dir = tempfile::Builder::new()
            .prefix("peygir-exchange-")
            .tempdir()
            .expect("a temporary folder");
        for sub in ["home", "data", "config"] {
            std::fs::create_dir(dir.path().join(sub)).expect("a folder");
        }
        Some(match backend {
            Backend::Sqlite => BinaryStore {
                url: dir.path().join("store.db").display().to_string(),
                dir,
                _database: None,
            },
            Backend::Postgres => {
                let database = crate::support::pg::server()?.migrated_database();
                BinaryStore {
                    url: database.url.clone(),
                    dir,
                    _database: Some(database),
                }
            }
        })
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `peygir --db URL args…`: (exit code, stdout, stderr).
    fn run(&self, args: &[&str]) -> (Option<i32>, String, String) {
        let mut command = binary::command(self.dir.path(), args);
        command.arg("--db").arg(&self.url);
        let run = Run::of(command, args);
        (run.code, run.stdout, run.stderr)
    }
}

fn the_commands_round_trip_and_exit_with_their_codes(backend: Backend) {
    let Some(store) = BinaryStore::new(backend) else {
        return;
    };
    let Some(empty) = BinaryStore::new(backend) else {
        return;
    };
    let (code, out, err) = store.run(&[
        "demo",
        "--contacts",
        "300",
        "--cases",
        "5",
        "--followups",
        "5",
    ]);
    assert_eq!(code, Some(0), "{out}{err}");
    let first = store.path("first.csv");
    let xlsx = store.path("contacts.xlsx");
    let (code, out, err) = store.run(&["export", "contacts", "-o", first.to_str().expect("UTF-8")]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("Exported 300 contacts"), "{out}");
    let (code, out, err) = store.run(&[
        "export",
        "contacts",
        "--format",
        "xlsx",
        "-o",
        xlsx.to_str().expect("UTF-8"),
        "--category",
        "Customers",
    ]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(std::fs::read(&xlsx).expect("the xlsx").starts_with(b"PK"));
    let (code, _, err) = store.run(&["export", "contacts", "-o", "x.csv", "--category", "No/Such"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("No/Such"), "{err}");
    let (code, _, err) = store.run(&[
        "export",
        "contacts",
        "-o",
        store.path("x.txt").to_str().expect("UTF-8"),
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("--format"), "{err}");

    let first_text = first.to_str().expect("UTF-8");
    let (code, out, err) = empty.run(&["import", "contacts", first_text, "--dry-run"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("300 can be imported"), "{out}");
    let (code, out, err) = empty.run(&["import", "contacts", first_text]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("Imported 300 contacts"), "{out}");
    let second = empty.path("second.csv");
    let (code, out, err) =
        empty.run(&["export", "contacts", "-o", second.to_str().expect("UTF-8")]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(
        std::fs::read(&first).expect("first"),
        std::fs::read(&second).expect("second"),
        "export → import → export gives the same bytes"
    );

    // Importing the same file again: every row is a duplicate of a stored one.
    let (code, out, err) = empty.run(&["import", "contacts", first_text]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(err.contains("first.csv: row 2, column "), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    let bad = empty.path("bad.csv");
    std::fs::write(&bad, b"kind,last_name\nperson,\xff\n").expect("write");
    let (code, _, err) = empty.run(&["import", "contacts", bad.to_str().expect("UTF-8")]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("row 2, column last_name"), "{err}");
    let (code, _, err) = empty.run(&["import", "contacts", "/no/such/file.csv"]);
    assert_eq!(code, Some(1), "{err}");
}

mod the_commands {
    use super::*;

    #[test]
    fn sqlite() {
        the_commands_round_trip_and_exit_with_their_codes(Backend::Sqlite);
    }

    #[test]
    fn postgres() {
        the_commands_round_trip_and_exit_with_their_codes(Backend::Postgres);
    }
}
