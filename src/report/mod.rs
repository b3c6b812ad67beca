//! Reports: grouped queries over the store that yield the figures a sales or service manager
//! reads. Each report gives a typed [`Table`], which the panes draw, the command line prints as
//! aligned text or JSON, and the exporters write as CSV or xlsx (with a chart where the report
//! names one).
//!
//! The reports a manager picks from are the [`CATALOGUE`]: each has a stable name for scripts,
//! the [`Filter`]s it takes, and a function from [`Filters`] to its table. A report sums in the
//! database (`GROUP BY`), so what comes back is a row per group, never the records themselves.

pub mod activity;
mod cases;
pub mod channels;
pub mod complaints;
pub mod contacts;
pub mod pipeline;
pub mod plan_vs_actual;
pub mod referrers;
pub mod stale;
pub mod win_loss;
pub mod workload;

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};

use crate::db::Db;
use crate::db::ids::{OrgUnitId, SalesPlanId, UserId};
use crate::domain::when;
use crate::error::Result;
use serde_json::{Map, Value as Json};

use crate::domain::locale;
use crate::exchange::table::{self, Cell, Heading, Writer};
use crate::exchange::{ExportOptions, Format};
use crate::t;

/// One cell of a report.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Count(i64),
    Money(i64),
    /// A percentage: `58.3` for 58.3 %.
    Percent(f64),
    /// A measure to one decimal (average hours, a satisfaction score).
    Decimal(f64),
    /// A label scripts read as written, in Latin digits (a month: `1405/09`), shown to people
    /// in their digits.
    Code(String),
    Date(NaiveDate),
}

impl Value {
    /// A percentage, or nothing when there is none (no target to measure against).
    pub fn percent(p: Option<f64>) -> Value {
        p.map_or(Value::Empty, Value::Percent)
    }

    /// The cell as people read it: digits in the user's script, thousands grouped, dates in
    /// the user's calendar.
    pub fn shown(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.clone(),
            Value::Count(n) | Value::Money(n) => locale::group_thousands(*n),
            Value::Percent(p) => locale::number(format!("{p:.1}%")),
            Value::Decimal(x) => locale::number(format!("{x:.1}")),
            Value::Code(s) => locale::number(s),
            Value::Date(d) => locale::date(*d),
        }
    }

    /// The cell as scripts read it: Latin digits, no grouping, ISO dates.
    pub fn plain(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.clone(),
            Value::Count(n) | Value::Money(n) => n.to_string(),
            Value::Percent(p) | Value::Decimal(p) => format!("{p:.1}"),
            Value::Code(s) => s.clone(),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// Whether the column is read right-aligned (a figure).
    pub fn is_figure(&self) -> bool {
        matches!(
            self,
            Value::Count(_) | Value::Money(_) | Value::Percent(_) | Value::Decimal(_)
        )
    }

    fn cell(&self) -> Cell<'_> {
        match self {
            Value::Empty => Cell::Empty,
            Value::Text(s) => Cell::Text(s),
            Value::Count(n) => Cell::Count(*n),
            Value::Money(n) => Cell::Money(*n),
            Value::Percent(p) => Cell::Percent(*p),
            Value::Decimal(x) => Cell::Decimal(*x),
            Value::Code(s) => Cell::Text(s),
            Value::Date(d) => Cell::Date(*d),
        }
    }

    fn json(&self) -> Json {
        match self {
            Value::Empty => Json::Null,
            Value::Text(s) => Json::from(s.as_str()),
            Value::Count(n) | Value::Money(n) => Json::from(*n),
            Value::Percent(p) | Value::Decimal(p) => Json::from((p * 10.0).round() / 10.0),
            Value::Code(s) => Json::from(s.as_str()),
            Value::Date(d) => Json::from(d.format("%Y-%m-%d").to_string()),
        }
    }
}

/// A column of a report: a stable key for scripts and the header people read.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The column's name in JSON, the same in every language.
    pub key: &'static str,
    /// The header in the user's language.
    pub title: String,
}

impl Column {
    pub fn new(key: &'static str, title: String) -> Column {
        Column { key, title }
    }
}

/// A report's result: a title, columns, rows, and the columns a chart draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
    /// The columns drawn as bars against the first column, over the first `chart_rows` rows (the
    /// rows below them are totals).
    pub chart: Vec<usize>,
    pub chart_rows: usize,
}

impl Table {
    /// The rows as an array of objects keyed by the columns' keys.
    pub fn json(&self) -> Json {
        Json::Array(
            self.rows
                .iter()
                .map(|row| {
                    let object: Map<String, Json> = self
                        .columns
                        .iter()
                        .zip(row)
                        .map(|(c, v)| (c.key.to_string(), v.json()))
                        .collect();
                    Json::Object(object)
                })
                .collect(),
        )
    }

    /// Writes the table to `path` as CSV (headers are the columns' keys) or xlsx (headers in
    /// the user's language, typed cells, and the chart on a sheet of its own).
    pub fn write(&self, path: &Path, format: Format) -> crate::exchange::Result<u64> {
        let headings: Vec<Heading> = self
            .columns
            .iter()
            .map(|c| Heading {
                name: match format {
                    Format::Csv => c.key,
                    Format::Xlsx => c.title.as_str(),
                },
                width: if c.key == self.columns[0].key {
                    28.0
                } else {
                    14.0
                },
                identifier: false,
            })
            .collect();
        let sheet = table::sheet_name(&self.title);
        let mut file = Writer::create(path, format, &sheet, &headings, &ExportOptions::default())?;
        if !self.chart.is_empty() {
            file.chart(table::Chart {
                title: self.title.clone(),
                sheet: t!("report.chart-sheet"),
                series: self
                    .chart
                    .iter()
                    .filter_map(|&c| u16::try_from(c).ok())
                    .collect(),
                rows: u32::try_from(self.chart_rows).unwrap_or(0),
            });
        }
        for row in &self.rows {
            let cells: Vec<Cell> = row.iter().map(Value::cell).collect();
            file.row(&cells)?;
        }
        file.finish()
    }
}

/// A way a report can be narrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// `from` and `to`: the days the report covers (what each report dates its records by is
    /// said in its description).
    Range,
    /// Only one expert's records.
    Expert,
    /// Only the records of the experts of an organisational unit and the units below it.
    Unit,
    /// `days`: how long without a follow-up makes a case stale.
    Days,
    /// `plan`: the sales plan a plan report is of.
    Plan,
}

impl Filter {
    /// The filter's name on the command line and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Filter::Range => "from/to",
            Filter::Expert => "expert",
            Filter::Unit => "unit",
            Filter::Days => "days",
            Filter::Plan => "plan",
        }
    }
}

/// The filters a report is run with; a report reads only those it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    /// The first day covered (local), if any.
    pub from: Option<NaiveDate>,
    /// The last day covered (local), if any.
    pub to: Option<NaiveDate>,
    pub expert: Option<UserId>,
    pub unit: Option<OrgUnitId>,
    /// Days without a follow-up after which an open case is stale.
    pub days: i64,
    pub plan: Option<SalesPlanId>,
    /// Today (local): what is due today and overdue is measured from it.
    pub today: NaiveDate,
}

/// How many days without a follow-up make a case stale when not said.
pub const STALE_DAYS: i64 = 14;

impl Filters {
    /// No narrowing, measured at `today`.
    pub fn new(today: NaiveDate) -> Filters {
        Filters {
            from: None,
            to: None,
            expert: None,
            unit: None,
            days: STALE_DAYS,
            plan: None,
            today,
        }
    }

    /// The covered days as UTC bounds of stored times: from the start of `from` (local) up to,
    /// not including, the start of the day after `to`.
    pub fn utc_range(&self) -> (Option<NaiveDateTime>, Option<NaiveDateTime>) {
        let start = |day: NaiveDate| when::to_utc(day.and_time(chrono::NaiveTime::MIN));
        (
            self.from.map(start),
            self.to.and_then(|d| d.succ_opt()).map(start),
        )
    }

    /// The experts whose records the report counts: the expert asked for, or those of the unit
    /// and the units below it, or `None` for everyone.
    pub fn experts(&self, db: &mut Db) -> Result<Option<Vec<UserId>>> {
        use crate::db::schema::users;
        use diesel::prelude::*;
        let mut experts: Option<Vec<UserId>> = self.expert.map(|e| vec![e]);
        if let Some(unit) = self.unit {
            let units = crate::store::users::units_under(db, unit)?;
            let in_unit: Vec<UserId> = users::table
                .filter(users::org_unit_id.eq_any(units))
                .select(users::id)
                .load(db)?;
            experts = Some(match experts {
                Some(chosen) => chosen.into_iter().filter(|e| in_unit.contains(e)).collect(),
                None => in_unit,
            });
        }
        Ok(experts)
    }
}

/// A report of the catalogue.
pub struct Catalogued {
    /// The name scripts use: `peygir report NAME`.
    pub name: &'static str,
    /// The catalog key of its title.
    pub title: &'static str,
    /// The catalog key of what it shows.
    pub about: &'static str,
    /// The filters it takes.
    pub filters: &'static [Filter],
    pub run: fn(&mut Db, &Filters) -> Result<Table>,
}

impl Catalogued {
    pub fn takes(&self, filter: Filter) -> bool {
        self.filters.contains(&filter)
    }
}

/// The reports a manager picks from, in the order they are listed.
pub const CATALOGUE: &[Catalogued] = &[
    // The sales team's work.
    Catalogued {
        name: "pipeline",
        title: "report.pipeline.title",
        about: "report.pipeline.about",
        filters: &[Filter::Range, Filter::Expert, Filter::Unit],
        run: pipeline::run,
    },
    Catalogued {
        name: "activity",
        title: "report.activity.title",
        about: "report.activity.about",
        filters: &[Filter::Range, Filter::Expert, Filter::Unit],
        run: activity::run,
    },
    Catalogued {
        name: "workload",
        title: "report.workload.title",
        about: "report.workload.about",
        filters: &[Filter::Expert, Filter::Unit],
        run: workload::run,
    },
    Catalogued {
        name: "stale-cases",
        title: "report.stale-cases.title",
        about: "report.stale-cases.about",
        filters: &[Filter::Expert, Filter::Unit, Filter::Days],
        run: stale::run,
    },
    // Where sales come from and how they end.
    Catalogued {
        name: "channels",
        title: "report.channels.title",
        about: "report.channels.about",
        filters: &[Filter::Range, Filter::Expert, Filter::Unit],
        run: channels::run,
    },
    Catalogued {
        name: "referrers",
        title: "report.referrers.title",
        about: "report.referrers.about",
        filters: &[Filter::Range, Filter::Expert, Filter::Unit],
        run: referrers::run,
    },
    Catalogued {
        name: "win-loss",
        title: "report.win-loss.title",
        about: "report.win-loss.about",
        filters: &[Filter::Range, Filter::Expert, Filter::Unit],
        run: win_loss::run,
    },
    // Plans.
    Catalogued {
        name: "plan-vs-actual",
        title: "report.plan-vs-actual.title",
        about: "report.plan-vs-actual.about",
        filters: &[Filter::Plan],
        run: plan_vs_actual::run,
    },
    // Complaints and the contact base.
    Catalogued {
        name: "complaints",
        title: "report.complaints.title",
        about: "report.complaints.about",
        filters: &[Filter::Range, Filter::Expert, Filter::Unit],
        run: complaints::run,
    },
    Catalogued {
        name: "complaint-service",
        title: "report.complaint-service.title",
        about: "report.complaint-service.about",
        filters: &[Filter::Range, Filter::Expert, Filter::Unit],
        run: complaints::service,
    },
    Catalogued {
        name: "contact-base",
        title: "report.contact-base.title",
        about: "report.contact-base.about",
        filters: &[Filter::Range],
        run: contacts::base,
    },
    Catalogued {
        name: "new-contacts",
        title: "report.new-contacts.title",
        about: "report.new-contacts.about",
        filters: &[Filter::Range],
        run: contacts::new_contacts,
    },
];

/// The reports whose rows are a time series (a row per month, oldest first): drawn as a
/// sparkline rather than bars.
const TRENDS: &[&str] = &["new-contacts"];

/// Whether the report called `name` is a time series.
pub fn is_trend(name: &str) -> bool {
    TRENDS.contains(&name)
}

/// The report called `name`.
pub fn find(name: &str) -> Option<&'static Catalogued> {
    CATALOGUE.iter().find(|r| r.name == name)
}
