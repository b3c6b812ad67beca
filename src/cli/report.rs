//! `peygir report …`: the reports for admins on headless servers and for cron, printed as an
//! aligned table or JSON, or written to a CSV or xlsx file (typed cells, and a chart sheet).

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::common::{self, Outcome, failed, print_out, refused};
use crate::db::Db;
use crate::domain::locale;
use crate::exchange::Format;
use crate::report::Table;
use crate::report::plan_vs_actual::{self as plan_report, By, Key};
use crate::store::lookups::List;
use crate::store::plans;
use crate::t;

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// A sales plan's targets against the sales made: target, actual, attainment, gap and pace per group
    PlanVsActual(PlanVsActualArgs),
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
    /// The plan's name
    #[arg(long, value_name = "NAME")]
    pub plan: String,
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

pub fn run(db: &mut Db, command: &ReportCommand) -> Outcome {
    match command {
        ReportCommand::PlanVsActual(args) => plan_vs_actual(db, args),
    }
}

fn plan_vs_actual(db: &mut Db, args: &PlanVsActualArgs) -> Outcome {
    let plan = plans::by_name(db, args.plan.trim())
        .map_err(failed)?
        .ok_or_else(|| refused(t!("cli.report.no-plan", name = args.plan.trim())))?;
    let today = match &args.today {
        Some(typed) => common::day(typed, "--today")?,
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
