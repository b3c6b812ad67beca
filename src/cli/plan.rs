//! `peygir plan …`: sales plans for managers and scripts. `list` and `show` write them (a table
//! or JSON); `create`, `edit` and `delete` change one (a manager's work, audited by the store);
//! `import` records the plans of a CSV file, a row per line.
//!
//! A line is typed as `group=CODE,region=CODE,expert=LOGIN,amount=N[,quantity=N]
//! [,from=DATE,to=DATE]`, with the product group, region or expert left out for all; a group or
//! region by its list's code or name, an amount with or without thousands separators
//! (`amount=1,500,000`), in any digit script. Dates are read in either calendar, whatever the one
//! in force: a year before 1700 is Jalali (`1405/01/01`), a later one Gregorian (`2026-03-21`).
//! `--split month|quarter` makes each line over the whole plan one line per month (or quarter)
//! of the calendar in force, the target divided by the days of each.
//!
//! ```text
//! peygir plan create "Q1 1405" --market b2b --term short --from 1405/01/01 --to 1405/03/31 \
//!     --line group=industrial,region=tehran,amount=5,000,000,000 --line region=fars,amount=2,000,000,000
//! peygir plan edit "Q1 1405" --split month
//! peygir plan import plans.csv --dry-run
//! ```

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand};

use super::common::{self, Outcome, failed, print_out, refused};
use super::exit;
use super::sla::Format;
use crate::db::Db;
use crate::db::ids::LookupId;
use crate::domain::locale;
use crate::domain::money;
use crate::exchange::plans::{PlanImportOptions, import_plans};
use crate::exchange::{self, Problem};
use crate::store::lookups::{self, List};
use crate::store::plans::{self, LineFields, Market, PlanFields, SalesPlan, Split, Term};
use crate::store::{Actor, names};
use crate::t;
use crate::tui::format;

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// The sales plans, the latest start first, with how many lines each has and their target
    List {
        /// table or json
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// A plan with its lines: product group, region, expert, period and target of each
    Show {
        /// The plan's name
        name: String,
        /// table or json
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Record a sales plan with its lines (manager)
    Create(PlanCreateArgs),
    /// Change a plan: rename it, change its period or notes, replace or split its lines (manager)
    Edit(PlanEditArgs),
    /// Delete a plan with its lines (manager)
    Delete {
        /// The plan's name
        name: String,
    },
    /// Record the plans of a CSV file, a row per line (manager); nothing is recorded if any row is bad
    Import(PlanImportArgs),
}

#[derive(Debug, Clone, Args)]
pub struct PlanCreateArgs {
    /// The plan's name, which no other plan has
    pub name: String,
    /// Whose purchases it counts: b2b (companies) or b2c (persons)
    #[arg(long)]
    pub market: String,
    /// short (a month, a quarter) or long (a year)
    #[arg(long)]
    pub term: String,
    /// Its first day (1405/01/01 or 2026-03-21)
    #[arg(long, value_name = "DATE")]
    pub from: String,
    /// Its last day (1405/12/29 or 2027-03-20)
    #[arg(long, value_name = "DATE")]
    pub to: String,
    /// Notes on the plan
    #[arg(long, value_name = "TEXT")]
    pub notes: Option<String>,
    /// A target line: group=CODE,region=CODE,expert=LOGIN,amount=N[,quantity=N][,from=DATE,to=DATE], group, region or expert left out for all; once per line
    #[arg(long = "line", value_name = "SPEC", required = true)]
    pub lines: Vec<String>,
    /// Split each line over the whole plan into one line per month or quarter
    #[arg(long, value_name = "month|quarter")]
    pub split: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct PlanEditArgs {
    /// The plan's name
    pub name: String,
    /// Its new name
    #[arg(long, value_name = "NEW")]
    pub rename: Option<String>,
    /// b2b or b2c
    #[arg(long)]
    pub market: Option<String>,
    /// short or long
    #[arg(long)]
    pub term: Option<String>,
    /// Its new first day
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Its new last day
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// New notes (empty to clear them)
    #[arg(long, value_name = "TEXT")]
    pub notes: Option<String>,
    /// A target line, as for create; given once or more, the lines replace all the plan's lines
    #[arg(long = "line", value_name = "SPEC")]
    pub lines: Vec<String>,
    /// Split each line over the whole plan into one line per month or quarter
    #[arg(long, value_name = "month|quarter")]
    pub split: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct PlanImportArgs {
    /// A UTF-8 CSV file with the header plan,market,term,plan_from,plan_to,product_group,region,expert,amount,quantity,from,to and a row per line
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Check every row and report, but write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Replace the fields and lines of a plan already on file with the same name, instead of refusing it
    #[arg(long)]
    pub replace: bool,
}

pub fn run(db: &mut Db, actor: &Actor, command: &PlanCommand) -> Outcome {
    match command {
        PlanCommand::List { format } => list(db, *format),
        PlanCommand::Show { name, format } => show(db, name, *format),
        PlanCommand::Create(args) => create(db, actor, args),
        PlanCommand::Edit(args) => edit(db, actor, args),
        PlanCommand::Delete { name } => delete(db, actor, name),
        PlanCommand::Import(args) => import(db, actor, args),
    }
}

fn json(value: &serde_json::Value) -> Outcome<String> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| refused(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// A day as scripts read it: `2026-03-21`.
fn iso(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// The plan called `name`.
fn plan(db: &mut Db, name: &str) -> Outcome<SalesPlan> {
    plans::by_name(db, name)
        .map_err(failed)?
        .ok_or_else(|| refused(t!("cli.plan-not-found", name = name)))
}

/// The choice typed for `flag` among `choices`, read by `parse`.
fn choice<T>(typed: &str, flag: &str, choices: &str, parse: fn(&str) -> Option<T>) -> Outcome<T> {
    parse(typed).ok_or_else(|| {
        refused(t!(
            "cli.no-entry",
            flag = flag,
            value = typed,
            choices = choices
        ))
    })
}

fn market(typed: &str) -> Outcome<Market> {
    choice(typed, "--market", "b2b, b2c", Market::parse)
}

fn term(typed: &str) -> Outcome<Term> {
    choice(typed, "--term", "short, long", Term::parse)
}

fn split_by(typed: &str) -> Outcome<Split> {
    choice(typed, "--split", "month, quarter", Split::parse)
}

/// The keys of a line spec.
const LINE_KEYS: [&str; 7] = [
    "group", "region", "expert", "amount", "quantity", "from", "to",
];

/// The line typed as the `number`th `--line` (see the module's note).
fn line(db: &mut Db, typed: &str, number: usize) -> Outcome<LineFields> {
    let within =
        |(code, reason): (u8, String)| (code, t!("cli.plan-line", line = number, reason = reason));
    let bad = |reason: String| within(refused(reason));
    let mut pairs: Vec<(String, String)> = Vec::new();
    for piece in typed.split(',') {
        match piece.split_once('=') {
            Some((key, value)) => {
                pairs.push((key.trim().to_ascii_lowercase(), value.trim().to_string()));
            }
            // A comma between thousands: `amount=1,500,000`.
            None => match pairs.last_mut() {
                Some((_, value)) => {
                    value.push(',');
                    value.push_str(piece.trim());
                }
                None => return Err(bad(t!("cli.plan-line-key", key = piece.trim()))),
            },
        }
    }
    let mut line = LineFields::default();
    let mut amount = None;
    let mut period = (None, None);
    for (i, (key, value)) in pairs.iter().enumerate() {
        if !LINE_KEYS.contains(&key.as_str()) {
            return Err(bad(t!("cli.plan-line-key", key = key)));
        }
        if pairs[..i].iter().any(|(earlier, _)| earlier == key) {
            return Err(bad(t!("cli.plan-line-twice", key = key)));
        }
        let number = |value: &str| {
            money::parse_whole(value).map_err(|e| {
                let reason = match e {
                    money::NumberError::TooLarge => t!("exchange.invalid.too-large", value = value),
                    money::NumberError::NotANumber => t!("exchange.invalid.number", value = value),
                };
                bad(t!("cli.plan-line-value", key = key, reason = reason))
            })
        };
        let all = value.is_empty();
        match key.as_str() {
            "group" if !all => {
                line.product_group_id =
                    Some(common::entry(db, List::ProductGroup, value, key).map_err(within)?);
            }
            "region" if !all => {
                line.region_id = Some(common::entry(db, List::Region, value, key).map_err(within)?);
            }
            "expert" if !all => {
                line.expert_id = Some(common::user(db, value, key).map_err(within)?.id);
            }
            "amount" => amount = Some(number(value)?),
            "quantity" => line.target_quantity = Some(number(value)?),
            "from" => period.0 = Some(common::any_day(value, key).map_err(within)?),
            "to" => period.1 = Some(common::any_day(value, key).map_err(within)?),
            _ => {}
        }
    }
    line.target_amount = amount.ok_or_else(|| bad(t!("cli.plan-line-amount")))?;
    line.period = match period {
        (Some(from), Some(to)) => Some((from, to)),
        (None, None) => None,
        _ => return Err(bad(t!("cli.plan-line-period"))),
    };
    Ok(line)
}

/// The lines typed, each `--line` in turn.
fn lines(db: &mut Db, typed: &[String]) -> Outcome<Vec<LineFields>> {
    typed
        .iter()
        .enumerate()
        .map(|(i, spec)| line(db, spec, i + 1))
        .collect()
}

/// `lines` split by `split` over the period `fields` has, when a split is asked for.
fn split(
    fields: &PlanFields,
    lines: Vec<LineFields>,
    split: Option<&str>,
) -> Outcome<Vec<LineFields>> {
    Ok(match split {
        Some(typed) => plans::split_period(
            (fields.starts_on, fields.ends_on),
            &lines,
            split_by(typed)?,
            locale::calendar(),
        ),
        None => lines,
    })
}

// ---------------------------------------------------------------------------------------------
// list and show

/// How many plans are read at a time.
const PAGE: i64 = 500;

/// The sum of the lines' targets.
fn target(lines: &[LineFields]) -> i64 {
    lines.iter().map(|l| l.target_amount).sum()
}

fn list(db: &mut Db, format: Format) -> Outcome {
    let mut found = Vec::new();
    let mut after = None;
    loop {
        let page = plans::page(db, after.as_ref(), PAGE).map_err(failed)?;
        for row in &page {
            let lines = plans::lines_of(db, row.id).map_err(failed)?;
            found.push((row.clone(), lines.len(), target(&lines)));
        }
        if (page.len() as i64) < PAGE {
            break;
        }
        after = page.last().map(plans::key);
    }
    let text = match format {
        Format::Table if found.is_empty() => format!("{}\n", t!("cli.plan-none")),
        Format::Table => {
            let headers = [
                t!("plans.col.name"),
                t!("plans.col.market"),
                t!("plans.col.term"),
                t!("plans.col.period"),
                t!("cli.plan-col-lines"),
                t!("cli.plan-col-target"),
            ];
            let rows: Vec<Vec<String>> = found
                .iter()
                .map(|(row, lines, target)| {
                    vec![
                        row.name.clone(),
                        format::market(&row.market),
                        format::term(&row.term),
                        format::period(row.starts_on, row.ends_on),
                        locale::number(lines),
                        locale::group_thousands(*target),
                    ]
                })
                .collect();
            common::table(&headers, &rows, &[4, 5])
        }
        Format::Json => json(
            &found
                .iter()
                .map(|(row, lines, target)| {
                    serde_json::json!({
                        "id": row.id,
                        "name": row.name,
                        "market": row.market,
                        "term": row.term,
                        "starts_on": iso(row.starts_on),
                        "ends_on": iso(row.ends_on),
                        "lines": lines,
                        "target": target,
                    })
                })
                .collect(),
        )?,
    };
    print_out(&text);
    Ok(())
}

/// The codes and names of a list's entries, by id.
fn entries(db: &mut Db, list: List) -> Outcome<HashMap<LookupId, (String, String)>> {
    Ok(lookups::items_all(db, list)
        .map_err(failed)?
        .into_iter()
        .map(|e| (e.id, (e.code, e.name)))
        .collect())
}

fn show(db: &mut Db, name: &str, format: Format) -> Outcome {
    let plan = plan(db, name)?;
    let lines = plans::lines_of(db, plan.id).map_err(failed)?;
    let groups = entries(db, List::ProductGroup)?;
    let regions = entries(db, List::Region)?;
    let experts = names::users(db, lines.iter().filter_map(|l| l.expert_id)).map_err(failed)?;
    let text = match format {
        Format::Table => {
            let all = || t!("cli.plan-all");
            let entry = |map: &HashMap<LookupId, (String, String)>, id: Option<LookupId>| {
                id.map_or_else(all, |id| {
                    map.get(&id)
                        .map_or_else(|| id.to_string(), |(_, n)| n.clone())
                })
            };
            let mut heading: Vec<Vec<String>> = vec![
                vec![t!("plans.col.name"), plan.name.clone()],
                vec![t!("plans.col.market"), format::market(&plan.market)],
                vec![t!("plans.col.term"), format::term(&plan.term)],
                vec![
                    t!("plans.col.period"),
                    format::period(plan.starts_on, plan.ends_on),
                ],
                vec![
                    t!("cli.plan-col-target"),
                    locale::group_thousands(target(&lines)),
                ],
            ];
            if let Some(notes) = &plan.notes {
                heading.push(vec![t!("field.notes"), notes.clone()]);
            }
            let mut widths = vec![0, 0];
            for row in &heading {
                common::widen(&mut widths, row);
            }
            let mut out: String = heading
                .iter()
                .map(|row| common::table_line(row, &widths, &[]))
                .collect();
            let headers = [
                t!("field.product-group"),
                t!("field.region"),
                t!("field.expert"),
                t!("plans.col.period"),
                t!("cli.plan-col-target"),
                t!("cli.plan-col-quantity"),
            ];
            let rows: Vec<Vec<String>> = lines
                .iter()
                .map(|line| {
                    let (from, to) = line.span(&plan);
                    vec![
                        entry(&groups, line.product_group_id),
                        entry(&regions, line.region_id),
                        line.expert_id.map_or_else(all, |id| {
                            experts.get(&id).cloned().unwrap_or_else(|| id.to_string())
                        }),
                        format::period(from, to),
                        locale::group_thousands(line.target_amount),
                        line.target_quantity
                            .map_or_else(|| "-".to_string(), locale::group_thousands),
                    ]
                })
                .collect();
            out.push('\n');
            out.push_str(&common::table(&headers, &rows, &[4, 5]));
            out
        }
        Format::Json => {
            let code = |map: &HashMap<LookupId, (String, String)>, id: Option<LookupId>| {
                id.and_then(|id| map.get(&id).map(|(code, _)| code.clone()))
            };
            json(&serde_json::json!({
                "id": plan.id,
                "name": plan.name,
                "market": plan.market,
                "term": plan.term,
                "starts_on": iso(plan.starts_on),
                "ends_on": iso(plan.ends_on),
                "notes": plan.notes,
                "version": plan.version,
                "target": target(&lines),
                "lines": lines
                    .iter()
                    .map(|line| {
                        let (from, to) = line.span(&plan);
                        serde_json::json!({
                            "product_group": code(&groups, line.product_group_id),
                            "region": code(&regions, line.region_id),
                            "expert": line.expert_id.and_then(|id| experts.get(&id)),
                            "amount": line.target_amount,
                            "quantity": line.target_quantity,
                            "from": iso(from),
                            "to": iso(to),
                        })
                    })
                    .collect::<Vec<_>>(),
            }))?
        }
    };
    print_out(&text);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// create, edit, delete

fn create(db: &mut Db, actor: &Actor, args: &PlanCreateArgs) -> Outcome {
    let fields = PlanFields {
        name: args.name.clone(),
        market: market(&args.market)?,
        term: term(&args.term)?,
        starts_on: common::any_day(&args.from, "--from")?,
        ends_on: common::any_day(&args.to, "--to")?,
        notes: args.notes.clone(),
    };
    let lines = lines(db, &args.lines)?;
    let lines = split(&fields, lines, args.split.as_deref())?;
    let count = lines.len();
    let plan = plans::create(db, actor, fields, lines).map_err(failed)?;
    print_out(&format!(
        "{}\n",
        t!(
            "cli.plan-created",
            name = plan.name,
            lines = locale::number(count),
            id = locale::number(plan.id)
        )
    ));
    Ok(())
}

fn edit(db: &mut Db, actor: &Actor, args: &PlanEditArgs) -> Outcome {
    let plan = plan(db, &args.name)?;
    let old = plan.fields();
    let fields = PlanFields {
        name: args.rename.clone().unwrap_or(old.name),
        market: args.market.as_deref().map_or(Ok(old.market), market)?,
        term: args.term.as_deref().map_or(Ok(old.term), term)?,
        starts_on: match &args.from {
            Some(typed) => common::any_day(typed, "--from")?,
            None => old.starts_on,
        },
        ends_on: match &args.to {
            Some(typed) => common::any_day(typed, "--to")?,
            None => old.ends_on,
        },
        notes: args.notes.clone().or(old.notes),
    };
    let lines = if args.lines.is_empty() {
        plans::lines_of(db, plan.id).map_err(failed)?
    } else {
        lines(db, &args.lines)?
    };
    let lines = split(&fields, lines, args.split.as_deref())?;
    let count = lines.len();
    let saved = plans::update(db, actor, plan.id, plan.version, fields, lines).map_err(failed)?;
    print_out(&format!(
        "{}\n",
        t!(
            "cli.plan-saved",
            name = saved.name,
            lines = locale::number(count)
        )
    ));
    Ok(())
}

fn delete(db: &mut Db, actor: &Actor, name: &str) -> Outcome {
    let plan = plan(db, name)?;
    let count = plans::lines_of(db, plan.id).map_err(failed)?.len();
    plans::delete(db, actor, plan.id, plan.version).map_err(failed)?;
    print_out(&format!(
        "{}\n",
        t!(
            "cli.plan-deleted",
            name = plan.name,
            lines = locale::number(count)
        )
    ));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// import

/// Every problem on standard error, each after the file's name.
fn report(file: &std::path::Path, problems: &[Problem]) {
    for problem in problems {
        eprintln!("{}: {problem}", file.display());
    }
}

fn import(db: &mut Db, actor: &Actor, args: &PlanImportArgs) -> Outcome {
    let options = PlanImportOptions {
        dry_run: args.dry_run,
        replace: args.replace,
    };
    let file = args.file.display();
    let outcome = match import_plans(db, actor, &args.file, &options) {
        Ok(outcome) => outcome,
        Err(exchange::Error::Refused { file, problems }) => {
            report(&file, &problems);
            let error = exchange::Error::Refused { file, problems };
            return Err((exit::FAILED, error.to_string()));
        }
        Err(exchange::Error::Store(e)) => return Err(failed(e)),
        Err(e) => return Err(refused(e.to_string())),
    };
    report(&args.file, &outcome.problems);
    if !outcome.problems.is_empty() {
        return Err(refused(t!(
            "cli.plan-import-refused",
            bad = locale::number(outcome.bad_rows),
            rows = locale::number(outcome.rows),
            file = file
        )));
    }
    let count = |replaced: bool| {
        locale::number(
            outcome
                .plans
                .iter()
                .filter(|p| p.replaced == replaced)
                .count(),
        )
    };
    let lines: usize = outcome.plans.iter().map(|p| p.lines).sum();
    let text = if outcome.written {
        t!(
            "cli.plan-imported",
            plans = locale::number(outcome.plans.len()),
            lines = locale::number(lines),
            created = count(false),
            replaced = count(true),
            file = file
        )
    } else {
        t!(
            "cli.plan-import-dry-run",
            rows = locale::number(outcome.rows),
            plans = locale::number(outcome.plans.len()),
            lines = locale::number(lines),
            file = file
        )
    };
    print_out(&format!("{text}\n"));
    Ok(())
}
