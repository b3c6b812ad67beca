//! `peygir report …`: the reports for admins on headless servers and for cron, printed as an
//! aligned table or JSON, or written to a CSV or xlsx file (typed cells, and a chart sheet).
//! `peygir report list` names the catalogue's reports; `peygir report NAME [filters]` runs one;
//! `peygir report plan-vs-actual` has options of its own (grouping, drill-down, beside).

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::common::{self, Outcome, failed, print_out, refused};
use crate::db::Db;
use crate::domain::locale;
use crate::exchange::Format;
use crate::report::plan_vs_actual::{self as plan_report, By, Key};
use crate::report::{CATALOGUE, Catalogued, Filter, Filters, Table};
use crate::store::lookups::List;
use crate::store::plans;
use crate::t;

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The reports there are, with the filters each takes
    List {
        /// table or json
        #[arg(long, value_enum, default_value_t)]
        format: common::ListFormat,
    },
    /// A sales plan's targets against the sales made: target, actual, attainment, gap and pace per group
    PlanVsActual(PlanVsActualArgs),
}

/// `peygir report NAME`: a report of the catalogue and its filters.
#[derive(Debug, Args)]
pub struct CatalogueArgs {
    /// The report's name (peygir report list shows them)
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
    /// The first day covered, in either calendar (2026-03-21, 1405/01/01, -30d)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub from: Option<String>,
    /// The last day covered, in either calendar
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub to: Option<String>,
    /// Only this expert's records
    #[arg(long, value_name = "LOGIN")]
    pub expert: Option<String>,
    /// Only the records of the experts of this organisational unit and the units below it
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// Days without a follow-up that make an open case stale [default: 14]
    #[arg(long, value_name = "N")]
    pub days: Option<i64>,
    /// The sales plan, by name [default: the latest]
    #[arg(long, value_name = "NAME")]
    pub plan: Option<String>,
    /// The day what is due and overdue is measured at [default: today]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub today: Option<String>,
    /// table, csv, xlsx or json [default: from the output file's name, else table]
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// The file to write (replaced if it exists) [default: standard output; required for xlsx]
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Aligned columns for people
    Table,
    /// Comma-separated, with a header row of stable column names
    Csv,
    /// A workbook with typed cells, a frozen header, a filter and a chart sheet
    Xlsx,
    /// An array of objects with stable keys
    Json,
}

#[derive(Debug, Args)]
pub struct PlanVsActualArgs {
    /// The plan's name [default: the latest]
    #[arg(long, value_name = "NAME")]
    pub plan: Option<String>,
    /// What the rows are
    #[arg(long, value_enum, default_value_t = By::Product)]
    pub by: By,
    /// Only the part of the plan within a group, as DIMENSION=VALUE (product=CODE, region=CODE, expert=LOGIN, period=DATE; VALUE `all` for a line's "all"); may be repeated
    #[arg(long, value_name = "DIMENSION=VALUE")]
    pub within: Vec<String>,
    /// Show the plan of the other market (B2B or B2C) for the same period beside it
    #[arg(long)]
    pub beside: bool,
    /// The day pacing is measured at [default: today]
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// table, csv, xlsx or json [default: from the output file's name, else table]
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// The file to write (replaced if it exists) [default: standard output; required for xlsx]
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(db: &mut Db, command: Option<&ReportCommand>, args: &CatalogueArgs) -> Outcome {
    match command {
        Some(ReportCommand::List { format }) => list(*format),
        Some(ReportCommand::PlanVsActual(args)) => plan_vs_actual(db, args),
        None => catalogued(db, args),
    }
}

/// `peygir report list`.
fn list(format: common::ListFormat) -> Outcome {
    let filters = |r: &Catalogued| {
        r.filters
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let text = match format {
        common::ListFormat::Json => {
            let reports: Vec<serde_json::Value> = CATALOGUE
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "name": r.name,
                        "title": crate::i18n::tr(r.title),
                        "filters": r.filters.iter().map(|f| f.name()).collect::<Vec<_>>(),
                        "about": crate::i18n::tr(r.about),
                    })
                })
                .collect();
            let mut text =
                serde_json::to_string_pretty(&reports).map_err(|e| refused(e.to_string()))?;
            text.push('\n');
            text
        }
        common::ListFormat::Csv => {
            let mut text = common::csv_line(&["name", "title", "filters", "about"]);
            for r in CATALOGUE {
                text.push_str(&common::csv_line(&[
                    r.name.to_string(),
                    crate::i18n::tr(r.title).to_string(),
                    filters(r),
                    crate::i18n::tr(r.about).to_string(),
                ]));
            }
            text
        }
        common::ListFormat::Table => {
            let headers = [
                t!("cli.report.col.name"),
                t!("cli.report.col.title"),
                t!("cli.report.col.filters"),
            ];
            let rows: Vec<Vec<String>> = CATALOGUE
                .iter()
                .map(|r| {
                    vec![
                        r.name.to_string(),
                        crate::i18n::tr(r.title).to_string(),
                        filters(r),
                    ]
                })
                .collect();
            common::table(&headers, &rows, &[])
        }
    };
    print_out(&text);
    Ok(())
}

/// `peygir report NAME`: the report with the filters given, each checked first.
fn catalogued(db: &mut Db, args: &CatalogueArgs) -> Outcome {
    let Some(name) = args.name.as_deref() else {
        return Err(refused(t!("cli.report.which")));
    };
    let report = crate::report::find(name.trim())
        .ok_or_else(|| refused(t!("cli.report.unknown", name = name.trim())))?;
    let given = [
        (
            Filter::Range,
            args.from.is_some() || args.to.is_some(),
            "--from/--to",
        ),
        (Filter::Expert, args.expert.is_some(), "--expert"),
        (Filter::Unit, args.unit.is_some(), "--unit"),
        (Filter::Days, args.days.is_some(), "--days"),
        (Filter::Plan, args.plan.is_some(), "--plan"),
    ];
    if let Some((_, _, flag)) = given.iter().find(|(f, set, _)| *set && !report.takes(*f)) {
        let takes: Vec<&str> = report.filters.iter().map(|f| f.name()).collect();
        return Err(refused(t!(
            "cli.report.no-such-filter",
            name = report.name,
            flag = *flag,
            takes = takes.join(", ")
        )));
    }
    let today = match &args.today {
        Some(typed) => common::any_day(typed, "--today")?,
        None => crate::domain::when::to_local(crate::store::now()).date(),
    };
    let mut filters = Filters::new(today);
    filters.from = args
        .from
        .as_deref()
        .map(|d| common::any_day(d, "--from"))
        .transpose()?;
    filters.to = args
        .to
        .as_deref()
        .map(|d| common::any_day(d, "--to"))
        .transpose()?;
    if let (Some(from), Some(to)) = (filters.from, filters.to)
        && to < from
    {
        return Err(refused(t!(
            "cli.report.range-backwards",
            from = locale::date(from),
            to = locale::date(to)
        )));
    }
    if let Some(login) = &args.expert {
        filters.expert = Some(common::user(db, login, "--expert")?.id);
    }
    if let Some(typed) = &args.unit {
        filters.unit = Some(common::unit(db, typed, "--unit")?);
    }
    if let Some(days) = args.days {
        if days < 1 {
            return Err(refused(t!("cli.report.bad-days", days = days)));
        }
        filters.days = days;
    }
    if let Some(name) = &args.plan {
        let plan = plans::by_name(db, name.trim())
            .map_err(failed)?
            .ok_or_else(|| refused(t!("cli.report.no-plan", name = name.trim())))?;
        filters.plan = Some(plan.id);
    }
    let table = (report.run)(db, &filters).map_err(failed)?;
    write(&table, args.format, args.output.as_ref())
}

fn plan_vs_actual(db: &mut Db, args: &PlanVsActualArgs) -> Outcome {
    let plan = match &args.plan {
        Some(name) => plans::by_name(db, name.trim())
            .map_err(failed)?
            .ok_or_else(|| refused(t!("cli.report.no-plan", name = name.trim())))?,
        None => {
            let latest = plans::page(db, None, 1).map_err(failed)?;
            let id = latest
                .first()
                .map(|p| p.id)
                .ok_or_else(|| refused(t!("cli.report.no-plans")))?;
            plans::get(db, id).map_err(failed)?
        }
    };
    let today = match &args.today {
        Some(typed) => common::any_day(typed, "--today")?,
        None => crate::domain::when::to_local(crate::store::now()).date(),
    };
    let lines = plans::lines_of(db, plan.id).map_err(failed)?;
    let mut within = Vec::new();
    for typed in &args.within {
        within.push(within_key(db, &lines, typed)?);
    }
    let report = plan_report::compute(db, plan.id, args.by, &within, today).map_err(failed)?;
    let beside = if args.beside {
        let other = plan_report::companion(db, &plan)
            .map_err(failed)?
            .ok_or_else(|| refused(t!("cli.report.no-companion", name = plan.name.as_str())))?;
        Some(plan_report::compute(db, other.id, args.by, &within, today).map_err(failed)?)
    } else {
        None
    };
    let table = plan_report::table(&report, beside.as_ref(), locale::date);
    write(&table, args.format, args.output.as_ref())
}

/// A `--within` value: `region=tehran`, `expert=sara`, `product=all`, `period=2026-01-01`.
fn within_key(db: &mut Db, lines: &[plans::LineFields], typed: &str) -> Outcome<Key> {
    let bad = || refused(t!("cli.report.bad-within", value = typed));
    let (dimension, value) = typed.split_once('=').ok_or_else(bad)?;
    let value = value.trim();
    let all = value.eq_ignore_ascii_case("all");
    let by = By::from_str(dimension.trim(), true).map_err(|_| bad())?;
    Ok(match by {
        By::Product | By::Region => {
            let list = if by == By::Product {
                List::ProductGroup
            } else {
                List::Region
            };
            let id = if all {
                None
            } else {
                Some(common::entry(db, list, value, "--within")?)
            };
            if by == By::Product {
                Key::Product(id)
            } else {
                Key::Region(id)
            }
        }
        By::Expert => Key::Expert(if all {
            None
        } else {
            Some(common::user(db, value, "--within")?.id)
        }),
        By::Period if all => Key::Period(None),
        By::Period => {
            // A period is named by its first day; its last is the plan line's.
            let from = common::day(value, "--within")?;
            lines
                .iter()
                .filter_map(|l| l.period)
                .find(|&(start, _)| start == from)
                .map(|period| Key::Period(Some(period)))
                .ok_or_else(bad)?
        }
    })
}

/// Prints or writes `table` in `format` (or the one `output`'s name tells).
fn write(table: &Table, format: Option<ReportFormat>, output: Option<&PathBuf>) -> Outcome {
    let format = format
        .or_else(|| {
            output.and_then(|p| match Format::from_path(p)? {
                Format::Csv => Some(ReportFormat::Csv),
                Format::Xlsx => Some(ReportFormat::Xlsx),
            })
        })
        .unwrap_or(ReportFormat::Table);
    let file_format = match format {
        ReportFormat::Csv => Some(Format::Csv),
        ReportFormat::Xlsx => Some(Format::Xlsx),
        ReportFormat::Table | ReportFormat::Json => None,
    };
    match (file_format, output) {
        (Some(file_format), Some(path)) => {
            let rows = table
                .write(path, file_format)
                .map_err(|e| refused(e.to_string()))?;
            print_out(&format!(
                "{}\n",
                t!(
                    "cli.report.written",
                    rows = locale::number(rows),
                    file = path.display().to_string()
                )
            ));
            Ok(())
        }
        (Some(Format::Xlsx), None) => Err(refused(t!("cli.report.xlsx-needs-output"))),
        (Some(Format::Csv), None) => {
            let keys: Vec<&str> = table.columns.iter().map(|c| c.key).collect();
            let mut text = common::csv_line(&keys);
            for row in &table.rows {
                let cells: Vec<String> = row.iter().map(crate::report::Value::plain).collect();
                text.push_str(&common::csv_line(&cells));
            }
            emit(&text, output)
        }
        (None, _) => {
            let text = match format {
                ReportFormat::Json => {
                    let mut text = serde_json::to_string_pretty(&table.json())
                        .map_err(|e| refused(e.to_string()))?;
                    text.push('\n');
                    text
                }
                _ => text(table),
            };
            emit(&text, output)
        }
    }
}

/// Prints `text`, or writes it to `output`.
fn emit(text: &str, output: Option<&PathBuf>) -> Outcome {
    match output {
        Some(path) => std::fs::write(path, text).map_err(|e| {
            refused(t!(
                "cli.report.cannot-write",
                file = path.display().to_string(),
                reason = e.to_string()
            ))
        }),
        None => {
            print_out(text);
            Ok(())
        }
    }
}

/// The table as aligned text for a terminal, its figures aligned right.
pub fn text(table: &Table) -> String {
    let headers: Vec<String> = table.columns.iter().map(|c| c.title.clone()).collect();
    let rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|row| row.iter().map(crate::report::Value::shown).collect())
        .collect();
    let right: Vec<usize> = (0..table.columns.len())
        .filter(|&i| {
            table
                .rows
                .iter()
                .any(|r| r.get(i).is_some_and(crate::report::Value::is_figure))
        })
        .collect();
    format!(
        "{}\n{}",
        table.title,
        common::table(&headers, &rows, &right)
    )
}
