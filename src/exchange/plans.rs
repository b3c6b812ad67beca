//! Sales plans in from CSV: one row per plan line, under a header of stable column names
//! ([`COLUMNS`], in any order; the product group, region, expert, quantity and the line's own
//! period may be left out). A plan's own columns (`plan`, `market`, `term`, `plan_from`,
//! `plan_to`) are repeated on each of its rows and must agree; an empty product group, region or
//! expert is "all". Product groups and regions are named by their list's code or name (active
//! entries), experts by their login, dates in either calendar (`1405/01/01` Jalali, a year before 1700, or `2026-03-21`),
//! amounts with or without thousands separators, in any digit script.
//!
//! Every row is checked on its own and every plan as the store checks it, each problem named by
//! its row and column; one problem and nothing is written. Otherwise the plans are written in one
//! transaction: a new name is created, a name already on file refused unless `replace` is asked,
//! when that plan's fields and lines are replaced (its notes kept).

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::contacts::limits;
use super::{
    Error, Problem, Result, cell_value, header_columns, list_entry, read_csv, whole_number,
};
use crate::db::Db;
use crate::db::ids::UserId;
use crate::domain::{text, when};
use crate::store::lookups::{self, List, Lookup};
use crate::store::plans::{
    self, LineFields, LinePart, Market, PlanFields, PlanProblem, SalesPlan, Term,
};
use crate::store::{self, Actor, Role, users};
use crate::t;

/// The columns of a plan file; stable, whatever the language.
pub const COLUMNS: [&str; 12] = [
    "plan",
    "market",
    "term",
    "plan_from",
    "plan_to",
    "product_group",
    "region",
    "expert",
    "amount",
    "quantity",
    "from",
    "to",
];

/// The columns a plan file must have; without the others a line is for all product groups,
/// regions and experts, with no quantity, over the plan's whole period.
const REQUIRED: [&str; 6] = ["plan", "market", "term", "plan_from", "plan_to", "amount"];

/// How a plan import runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanImportOptions {
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// Replace the fields and lines of a plan whose name is already on file, instead of refusing
    /// the plan.
    pub replace: bool,
}

/// One plan of an imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPlan {
    pub name: String,
    /// How many lines (rows) it has.
    pub lines: usize,
    /// Whether it replaces a plan of the same name.
    pub replaced: bool,
}

/// What a plan import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanImportReport {
    /// Data rows in the file (rows with every cell empty are not counted).
    pub rows: u64,
    /// Rows with at least one problem.
    pub bad_rows: u64,
    /// The plans of the file, in the order the file first names them: stored, or (on a dry run
    /// or a refused import) as they would have been.
    pub plans: Vec<ImportedPlan>,
    /// Whether anything was written: false on a dry run and when any problem stopped the import.
    pub written: bool,
    /// Every problem, in row order.
    pub problems: Vec<Problem>,
}

/// Imports the plans of the CSV file at `path`. See [`import_plans_from_bytes`].
pub fn import_plans(
    db: &mut Db,
    actor: &Actor,
    path: &Path,
    options: &PlanImportOptions,
) -> Result<PlanImportReport> {
    let bytes = std::fs::read(path).map_err(|e| Error::Read {
        file: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    import_plans_from_bytes(db, actor, path, &bytes, options)
}

/// Imports sales plans from CSV `bytes` (named `file` in messages), a manager's work, all or
/// nothing. A file that cannot be read as a table (not UTF-8, broken quotes, a bad header) is
/// refused whole with `Error::Refused`; the problems of rows and plans are in the report.
pub fn import_plans_from_bytes(
    db: &mut Db,
    actor: &Actor,
    file: &Path,
    bytes: &[u8],
    options: &PlanImportOptions,
) -> Result<PlanImportReport> {
    actor.require(Role::Manager, &t!("forbidden.edit-plans"))?;
    let table = read_csv(file, bytes, &COLUMNS)?;
    let header = Header::read(&table.header).map_err(|problems| Error::Refused {
        file: file.to_path_buf(),
        problems,
    })?;
    let mut lists = Lists::load(db)?;
    let mut report = PlanImportReport::default();
    let mut groups: Vec<Group> = Vec::new();
    for (number, record) in &table.rows {
        report.rows += 1;
        if let Some(problem) = table.misshapen(*number, record) {
            report.problems.push(problem);
            continue;
        }
        let row = read_row(db, *number, record, &header, &mut lists)?;
        report.problems.extend(group(&mut groups, row));
    }

    let mut writes: Vec<(Option<SalesPlan>, PlanFields, Vec<LineFields>)> = Vec::new();
    for mut group in groups {
        let Some(mut fields) = group.plan.take().filter(|_| !group.bad) else {
            continue;
        };
        let existing = plans::by_name(db, &fields.name)?;
        if existing.is_some() && !options.replace {
            report.problems.push(Problem::cell(
                group.first,
                "plan",
                t!("exchange.invalid.plan-exists", name = fields.name),
            ));
        }
        if let Some(plan) = &existing {
            fields.notes.clone_from(&plan.notes);
        }
        let found = plans::problems(db, existing.as_ref().map(|p| p.id), &fields, &group.lines)?;
        report
            .problems
            .extend(found.into_iter().map(|p| problem(&group, p)));
        report.plans.push(ImportedPlan {
            name: fields.name.clone(),
            lines: group.lines.len(),
            replaced: existing.is_some(),
        });
        writes.push((existing, fields, group.lines));
    }
    report.problems.sort_by_key(|p| {
        let column = p
            .column
            .as_deref()
            .and_then(|c| COLUMNS.iter().position(|&known| known == c));
        (p.row, column)
    });
    let mut bad: Vec<u64> = report.problems.iter().map(|p| p.row).collect();
    bad.dedup();
    report.bad_rows = bad.len() as u64;
    if options.dry_run || !report.problems.is_empty() {
        return Ok(report);
    }
    store::write(db, |db| {
        for (existing, fields, lines) in writes {
            match existing {
                Some(plan) => plans::update(db, actor, plan.id, plan.version, fields, lines)?,
                None => plans::create(db, actor, fields, lines)?,
            };
        }
        Ok(())
    })?;
    report.written = true;
    Ok(report)
}

/// Where each known column is in the file.
struct Header {
    /// The column of each of the file's cells, by position.
    columns: Vec<&'static str>,
}

impl Header {
    /// The header's columns, or every problem with it (an unknown or repeated name, a required
    /// column missing).
    fn read(header: &csv::StringRecord) -> std::result::Result<Header, Vec<Problem>> {
        let find = |name: &str| {
            COLUMNS
                .iter()
                .find(|c| c.eq_ignore_ascii_case(name))
                .copied()
        };
        let (columns, mut problems) = header_columns(header, find, &COLUMNS.join(", "));
        for column in REQUIRED {
            if !columns.contains(&column) {
                problems.push(Problem::row(
                    1,
                    t!("exchange.invalid.missing-column", column = column),
                ));
            }
        }
        if problems.is_empty() {
            Ok(Header { columns })
        } else {
            Err(problems)
        }
    }

    /// The cell of `column` in `record`, empty when the file has no such column.
    fn cell<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        self.columns
            .iter()
            .position(|&c| c == column)
            .and_then(|i| record.get(i))
            .unwrap_or_default()
    }
}

/// The entries a line may name, and the experts met so far (each login looked up once).
struct Lists {
    groups: Vec<Lookup>,
    regions: Vec<Lookup>,
    experts: HashMap<String, Option<UserId>>,
}

impl Lists {
    fn load(db: &mut Db) -> Result<Lists> {
        Ok(Lists {
            groups: lookups::items(db, List::ProductGroup)?,
            regions: lookups::items(db, List::Region)?,
            experts: HashMap::new(),
        })
    }

    fn expert(&mut self, db: &mut Db, login: &str) -> crate::error::Result<Option<UserId>> {
        if let Some(&id) = self.experts.get(login) {
            return Ok(id);
        }
        let id = users::by_login(db, login)?.map(|u| u.id);
        self.experts.insert(login.to_string(), id);
        Ok(id)
    }
}

/// How many of [`COLUMNS`] are the plan's own (the rest are the line's).
const PLAN_COLUMNS: usize = 5;

/// One data row as read: its plan's fields and its line, each `None` when a cell of it is bad.
struct Row {
    number: u64,
    name: String,
    plan: Option<PlanFields>,
    line: Option<LineFields>,
    problems: Vec<Problem>,
}

/// Reads one row's cells, with every problem found on the way (each about a cell).
fn read_row(
    db: &mut Db,
    number: u64,
    record: &csv::StringRecord,
    header: &Header,
    lists: &mut Lists,
) -> Result<Row> {
    let mut problems = Vec::new();
    let mut cells: HashMap<&str, String> = HashMap::new();
    for (i, column) in COLUMNS.into_iter().enumerate() {
        let limit = if i == 0 { limits::NAME } else { limits::SHORT };
        match cell_value(header.cell(record, column), limit) {
            Ok(value) => {
                cells.insert(column, text::clean_line(value));
            }
            Err(reason) => problems.push(Problem::cell(number, column, reason)),
        }
    }
    let value = |column: &str| cells.get(column).map_or("", String::as_str);
    let mut refuse = |column: &'static str, reason: String| {
        problems.push(Problem::cell(number, column, reason));
    };

    let name = value("plan").to_string();
    let mut plan = PlanFields {
        name: name.clone(),
        ..PlanFields::default()
    };
    if name.is_empty() {
        refuse("plan", t!("invalid.required"));
    }
    match required(value("market"))
        .and_then(|v| Market::parse(v).ok_or_else(|| t!("exchange.invalid.market", value = v)))
    {
        Ok(market) => plan.market = market,
        Err(reason) => refuse("market", reason),
    }
    match required(value("term"))
        .and_then(|v| Term::parse(v).ok_or_else(|| t!("exchange.invalid.term", value = v)))
    {
        Ok(term) => plan.term = term,
        Err(reason) => refuse("term", reason),
    }
    for (column, slot) in [
        ("plan_from", &mut plan.starts_on),
        ("plan_to", &mut plan.ends_on),
    ] {
        match required(value(column)).and_then(date) {
            Ok(day) => *slot = day,
            Err(reason) => refuse(column, reason),
        }
    }

    let mut line = LineFields::default();
    for (column, entries, slot) in [
        ("product_group", &lists.groups, &mut line.product_group_id),
        ("region", &lists.regions, &mut line.region_id),
    ] {
        let typed = value(column);
        if typed.is_empty() {
            continue;
        }
        match list_entry(entries, typed) {
            Ok(id) => *slot = Some(id),
            Err(reason) => refuse(column, reason),
        }
    }
    let login = value("expert");
    if !login.is_empty() {
        match lists.expert(db, login)? {
            Some(id) => line.expert_id = Some(id),
            None => refuse("expert", t!("exchange.invalid.no-user", value = login)),
        }
    }
    match required(value("amount")).and_then(whole_number) {
        Ok(amount) => line.target_amount = amount.unwrap_or_default(),
        Err(reason) => refuse("amount", reason),
    }
    match whole_number(value("quantity")) {
        Ok(quantity) => line.target_quantity = quantity,
        Err(reason) => refuse("quantity", reason),
    }
    let mut period = [None, None];
    for (slot, (column, other)) in period.iter_mut().zip([("from", "to"), ("to", "from")]) {
        match (value(column), value(other)) {
            ("", "") => {}
            ("", _) => refuse(column, t!("exchange.invalid.period-half")),
            (typed, _) => match date(typed) {
                Ok(day) => *slot = Some(day),
                Err(reason) => refuse(column, reason),
            },
        }
    }
    line.period = period[0].zip(period[1]);

    let bad = |columns: &[&str]| {
        problems
            .iter()
            .any(|p| p.column.as_deref().is_some_and(|c| columns.contains(&c)))
    };
    let plan_good = !bad(&COLUMNS[..PLAN_COLUMNS]);
    let line_good = !bad(&COLUMNS[PLAN_COLUMNS..]);
    Ok(Row {
        number,
        name,
        plan: plan_good.then_some(plan),
        line: line_good.then_some(line),
        problems,
    })
}

/// `value`, or why an empty cell will not do.
fn required(value: &str) -> std::result::Result<&str, String> {
    if value.is_empty() {
        Err(t!("invalid.required"))
    } else {
        Ok(value)
    }
}

/// A date in either calendar: Jalali for a year before 1700, Gregorian after.
fn date(value: &str) -> std::result::Result<NaiveDate, String> {
    let today = chrono::Utc::now().date_naive();
    when::parse_written_date(value, today)
        .map_err(|_| t!("exchange.invalid.plan-date", value = value))
}

/// The rows of one plan of the file.
struct Group {
    name: String,
    /// The row that first names the plan.
    first: u64,
    /// The plan's fields, as the first row whose plan columns are good has them.
    plan: Option<PlanFields>,
    /// The row `plan` was read from.
    plan_row: u64,
    /// The good rows, and their lines.
    rows: Vec<u64>,
    lines: Vec<LineFields>,
    /// Whether any of its rows has a problem.
    bad: bool,
}

/// Files `row` with the other rows of its plan. Returns the row's problems, with a problem for
/// each plan column that disagrees with the plan's first row.
fn group(groups: &mut Vec<Group>, row: Row) -> Vec<Problem> {
    let mut problems = row.problems;
    if row.name.is_empty() {
        return problems;
    }
    let at = match groups.iter().position(|g| g.name == row.name) {
        Some(at) => at,
        None => {
            groups.push(Group {
                name: row.name.clone(),
                first: row.number,
                plan: None,
                plan_row: row.number,
                rows: Vec::new(),
                lines: Vec::new(),
                bad: false,
            });
            groups.len() - 1
        }
    };
    let group = &mut groups[at];
    match (&group.plan, row.plan) {
        (None, Some(plan)) => {
            group.plan = Some(plan);
            group.plan_row = row.number;
        }
        (Some(first), Some(plan)) => {
            let differs = [
                ("market", first.market != plan.market),
                ("term", first.term != plan.term),
                ("plan_from", first.starts_on != plan.starts_on),
                ("plan_to", first.ends_on != plan.ends_on),
            ];
            for (column, _) in differs.into_iter().filter(|&(_, differs)| differs) {
                problems.push(Problem::cell(
                    row.number,
                    column,
                    t!("exchange.invalid.plan-differs", row = group.plan_row),
                ));
            }
        }
        (_, None) => {}
    }
    match row.line {
        Some(line) if problems.is_empty() => {
            group.rows.push(row.number);
            group.lines.push(line);
        }
        _ => group.bad = true,
    }
    problems
}

/// A problem the store finds with a plan of the file, at the row and column it is about.
fn problem(group: &Group, found: PlanProblem) -> Problem {
    let row = |line: usize| group.rows.get(line).copied().unwrap_or(group.first);
    match found {
        PlanProblem::Plan(error) => {
            let column = match error.field {
                "field.ends-on" => "plan_to",
                _ => "plan",
            };
            Problem::cell(group.first, column, error.reason)
        }
        PlanProblem::Line { line, part, reason } => {
            let column = match part {
                LinePart::Amount => "amount",
                LinePart::Quantity => "quantity",
                LinePart::ProductGroup => "product_group",
                LinePart::Region => "region",
                LinePart::Expert => "expert",
                LinePart::Period => "from",
            };
            Problem::cell(row(line), column, reason)
        }
        PlanProblem::Overlap { line, other } => Problem::row(
            row(line),
            t!("exchange.invalid.plan-rows-overlap", row = row(other)),
        ),
    }
}
