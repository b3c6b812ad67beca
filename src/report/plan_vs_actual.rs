//! The plan report: a sales plan's targets against the sales made in its market and period,
//! grouped by product group, region, expert or part of the period, with totals, pacing (what
//! the targets call for by today against what was sold by today), drill-down from a group to
//! its parts, and the plan of the other market for the same period beside it.
//!
//! A sale counts toward the one line of the plan that covers it: the line's product group and
//! region are the sale's or above it in their trees (or "all"), its expert is the sale's (or
//! "all"), and its days hold the sale's date. The plan's lines never overlap (the store refuses
//! a plan whose lines could count the same sale), so no sale is counted twice; a sale that no
//! line covers is counted apart, as "outside the plan's lines". The database sums the sales per
//! product group × region × expert for each stretch of days the lines' periods cut the plan
//! into; only those sums come back, never the sales themselves.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::ids::{LookupId, SalesPlanId, UserId};
use crate::db::schema::{sales, sales_plans};
use crate::db::{self, Db};
use crate::error::Result;
use crate::report::{Column, Table, Value};
use crate::store::lookups::List;
use crate::store::names;
use crate::store::plans::{self, LineFields, SalesPlan};
use crate::t;

/// What the report's groups are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum By {
    Product,
    Region,
    Expert,
    /// The months or quarters the plan is split into (the whole period when it is not).
    Period,
}

impl By {
    pub const ALL: [By; 4] = [By::Product, By::Region, By::Expert, By::Period];

    pub fn as_str(self) -> &'static str {
        match self {
            By::Product => "product",
            By::Region => "region",
            By::Expert => "expert",
            By::Period => "period",
        }
    }

    /// The dimension's name in the user's language.
    pub fn name(self) -> String {
        match self {
            By::Product => t!("report.by.product"),
            By::Region => t!("report.by.region"),
            By::Expert => t!("report.by.expert"),
            By::Period => t!("report.by.period"),
        }
    }

    /// The dimension's name as a column's heading.
    pub fn heading(self) -> String {
        match self {
            By::Product => t!("report.heading.product"),
            By::Region => t!("report.heading.region"),
            By::Expert => t!("report.heading.expert"),
            By::Period => t!("report.heading.period"),
        }
    }

    /// The next dimension after this one that `within` has not fixed yet.
    pub fn next(self, within: &[Key]) -> By {
        let start = By::ALL.iter().position(|&b| b == self).unwrap_or(0);
        (1..=By::ALL.len())
            .map(|step| By::ALL[(start + step) % By::ALL.len()])
            .find(|b| !within.iter().any(|k| k.by() == *b))
            .unwrap_or(self)
    }
}

/// The value of one dimension a group stands for; `None` is a line's "all".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Key {
    Product(Option<LookupId>),
    Region(Option<LookupId>),
    Expert(Option<UserId>),
    Period(Option<(NaiveDate, NaiveDate)>),
}

impl Key {
    pub fn by(self) -> By {
        match self {
            Key::Product(_) => By::Product,
            Key::Region(_) => By::Region,
            Key::Expert(_) => By::Expert,
            Key::Period(_) => By::Period,
        }
    }

    /// The line's value in dimension `by`.
    fn of(line: &LineFields, by: By) -> Key {
        match by {
            By::Product => Key::Product(line.product_group_id),
            By::Region => Key::Region(line.region_id),
            By::Expert => Key::Expert(line.expert_id),
            By::Period => Key::Period(line.period),
        }
    }

    /// Whether `line` belongs to this group.
    fn holds(self, line: &LineFields) -> bool {
        Key::of(line, self.by()) == self
    }
}

/// A group's figures, in the plan's currency units and pieces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// The lines' target amounts.
    pub target: i64,
    /// The sales counted toward the lines.
    pub actual: i64,
    /// The lines' target quantities, when any line sets one.
    pub target_quantity: Option<i64>,
    /// The quantity of those sales.
    pub quantity: i64,
    /// What the targets call for by today: each line's target in proportion to the days of its
    /// period gone by (all of it once the period is over, nothing before it starts).
    pub due_by_today: i64,
    /// The sales dated today or earlier.
    pub actual_by_today: i64,
}

impl Figures {
    /// Actual as a percentage of target; `None` without a target.
    pub fn attainment(&self) -> Option<f64> {
        (self.target > 0).then(|| self.actual as f64 * 100.0 / self.target as f64)
    }

    /// What is left to sell; negative when the target is passed.
    pub fn gap(&self) -> i64 {
        self.target - self.actual
    }

    /// Sold by today as a percentage of what was due by today; `None` when nothing was due.
    pub fn pace(&self) -> Option<f64> {
        (self.due_by_today > 0)
            .then(|| self.actual_by_today as f64 * 100.0 / self.due_by_today as f64)
    }

    fn add(&mut self, other: &Figures) {
        self.target += other.target;
        self.actual += other.actual;
        self.target_quantity = match (self.target_quantity, other.target_quantity) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        self.quantity += other.quantity;
        self.due_by_today += other.due_by_today;
        self.actual_by_today += other.actual_by_today;
    }
}

/// One row of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub key: Key,
    /// The product group's, region's or expert's name, "all …" for a line's "all"; a period's
    /// name is its dates, which each front end writes in the user's calendar ([`Group::label`]).
    pub name: String,
    pub figures: Figures,
}

impl Group {
    /// The name to show, with `date` writing a period's days.
    pub fn label(&self, date: impl Fn(NaiveDate) -> String) -> String {
        match self.key {
            Key::Period(Some((from, to))) => format!("{} – {}", date(from), date(to)),
            _ => self.name.clone(),
        }
    }
}

/// The plan report at one level of drill-down.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanReport {
    pub plan: SalesPlan,
    pub by: By,
    /// The groups drilled into, outermost first; the groups are their parts.
    pub within: Vec<Key>,
    /// The names of the groups drilled into.
    pub path: Vec<String>,
    /// The groups, largest target first.
    pub groups: Vec<Group>,
    /// The groups added up.
    pub total: Figures,
    /// Sales in the plan's market and period that none of its lines covers (only counted at the
    /// top level, where nothing is drilled into).
    pub outside_lines: Figures,
    /// The day pacing is measured at.
    pub today: NaiveDate,
}

/// A stretch of the plan's days that every line either covers whole or not at all.
type Stretch = (NaiveDate, NaiveDate);

/// The plan's days cut at every start and end of a line's period.
fn stretches(plan: &SalesPlan, lines: &[LineFields]) -> Vec<Stretch> {
    let mut cuts: Vec<NaiveDate> = vec![plan.starts_on, plan.ends_on + Duration::days(1)];
    for (from, to) in lines.iter().filter_map(|l| l.period) {
        cuts.push(from.max(plan.starts_on));
        cuts.push((to + Duration::days(1)).min(plan.ends_on + Duration::days(1)));
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| (w[0], w[1] - Duration::days(1)))
        .collect()
}

/// The sales of one product group × region × expert in one stretch.
struct SaleSums {
    product_group_id: Option<LookupId>,
    region_id: Option<LookupId>,
    expert_id: UserId,
    stretch: Stretch,
    amount: i64,
    quantity: i64,
    amount_by_today: i64,
}

/// The plan's market's sales in each stretch, summed per product group × region × expert.
fn sale_sums(
    db: &mut Db,
    plan: &SalesPlan,
    stretches: &[Stretch],
    today: NaiveDate,
) -> Result<Vec<SaleSums>> {
    // The date is ours, written as digits and dashes: safe to put in the statement.
    let by_today = format!(
        "CASE WHEN sales.sold_on <= '{}' THEN sales.amount ELSE 0 END",
        today.format("%Y-%m-%d")
    );
    let mut sums = Vec::new();
    for &stretch in stretches {
        type Row = (Option<LookupId>, Option<LookupId>, UserId, i64, i64, i64);
        let rows: Vec<Row> = sales::table
            .filter(sales::market.eq(&plan.market))
            .filter(sales::sold_on.between(stretch.0, stretch.1))
            .group_by((sales::product_group_id, sales::region_id, sales::expert_id))
            .select((
                sales::product_group_id,
                sales::region_id,
                sales::expert_id,
                db::sum("sales.amount"),
                db::sum("sales.quantity"),
                db::sum(&by_today),
            ))
            .load(db)?;
        sums.extend(rows.into_iter().map(
            |(product_group_id, region_id, expert_id, amount, quantity, amount_by_today)| {
                SaleSums {
                    product_group_id,
                    region_id,
                    expert_id,
                    stretch,
                    amount,
                    quantity,
                    amount_by_today,
                }
            },
        ));
    }
    Ok(sums)
}

/// Whether a line's value `line` covers a sale's `sale`: "all", the same, or above it.
fn covers(
    line: Option<LookupId>,
    sale: Option<LookupId>,
    above: &HashMap<LookupId, Vec<LookupId>>,
) -> bool {
    match (line, sale) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(line), Some(sale)) => above.get(&sale).is_some_and(|up| up.contains(&line)),
    }
}

/// The part of `target` due by `today` over the days `from..=to`.
fn due(target: i64, (from, to): Stretch, today: NaiveDate) -> i64 {
    let days = (to - from).num_days() + 1;
    let gone = ((today - from).num_days() + 1).clamp(0, days);
    if days <= 0 {
        return 0;
    }
    (i128::from(target) * i128::from(gone) / i128::from(days)) as i64
}

/// Each line's figures, and those of the sales no line covers.
fn line_figures(
    db: &mut Db,
    plan: &SalesPlan,
    lines: &[LineFields],
    today: NaiveDate,
) -> Result<(Vec<Figures>, Figures)> {
    let groups = plans::lineages(db, List::ProductGroup)?;
    let regions = plans::lineages(db, List::Region)?;
    let mut figures: Vec<Figures> = lines
        .iter()
        .map(|line| Figures {
            target: line.target_amount,
            target_quantity: line.target_quantity,
            due_by_today: due(line.target_amount, line.span(plan), today),
            ..Figures::default()
        })
        .collect();
    let mut outside = Figures::default();
    for sums in sale_sums(db, plan, &stretches(plan, lines), today)? {
        let line = lines.iter().position(|line| {
            let (from, to) = line.span(plan);
            from <= sums.stretch.0
                && sums.stretch.1 <= to
                && covers(line.product_group_id, sums.product_group_id, &groups)
                && covers(line.region_id, sums.region_id, &regions)
                && line.expert_id.is_none_or(|e| e == sums.expert_id)
        });
        let into = match line {
            Some(i) => &mut figures[i],
            None => &mut outside,
        };
        into.actual += sums.amount;
        into.quantity += sums.quantity;
        into.actual_by_today += sums.amount_by_today;
    }
    Ok((figures, outside))
}

/// The names of the groups' keys; "all …" for a line's "all".
fn names_of(db: &mut Db, keys: &[Key]) -> Result<HashMap<Key, String>> {
    let lookups = names::lookups(
        db,
        keys.iter().filter_map(|k| match k {
            Key::Product(id) | Key::Region(id) => *id,
            _ => None,
        }),
    )?;
    let users = names::users(
        db,
        keys.iter().filter_map(|k| match k {
            Key::Expert(id) => *id,
            _ => None,
        }),
    )?;
    Ok(keys
        .iter()
        .map(|&key| {
            let name = match key {
                Key::Product(None) => t!("report.all.product"),
                Key::Region(None) => t!("report.all.region"),
                Key::Expert(None) => t!("report.all.expert"),
                Key::Period(None) => t!("report.all.period"),
                Key::Product(Some(id)) | Key::Region(Some(id)) => {
                    lookups.get(&id).cloned().unwrap_or_else(|| id.to_string())
                }
                Key::Expert(Some(id)) => users.get(&id).cloned().unwrap_or_else(|| id.to_string()),
                Key::Period(Some((from, to))) => format!("{from} – {to}"),
            };
            (key, name)
        })
        .collect())
}

/// The report of plan `id` grouped `by`, within the groups drilled into, paced at `today`.
pub fn compute(
    db: &mut Db,
    id: SalesPlanId,
    by: By,
    within: &[Key],
    today: NaiveDate,
) -> Result<PlanReport> {
    let plan = plans::get(db, id)?;
    let lines = plans::lines_of(db, id)?;
    let (figures, outside) = line_figures(db, &plan, &lines, today)?;
    let mut order: Vec<Key> = Vec::new();
    let mut sums: HashMap<Key, Figures> = HashMap::new();
    for (line, figures) in lines.iter().zip(&figures) {
        if !within.iter().all(|k| k.holds(line)) {
            continue;
        }
        let key = Key::of(line, by);
        if !sums.contains_key(&key) {
            order.push(key);
        }
        sums.entry(key).or_default().add(figures);
    }
    let names = names_of(db, &[order.as_slice(), within].concat())?;
    let mut groups: Vec<Group> = order
        .into_iter()
        .map(|key| Group {
            key,
            name: names.get(&key).cloned().unwrap_or_default(),
            figures: sums[&key],
        })
        .collect();
    if by == By::Period {
        groups.sort_by_key(|g| match g.key {
            Key::Period(period) => period,
            _ => None,
        });
    } else {
        groups.sort_by(|a, b| {
            b.figures
                .target
                .cmp(&a.figures.target)
                .then_with(|| a.name.cmp(&b.name))
        });
    }
    let mut total = Figures::default();
    for group in &groups {
        total.add(&group.figures);
    }
    Ok(PlanReport {
        plan,
        by,
        within: within.to_vec(),
        path: within
            .iter()
            .map(|k| names.get(k).cloned().unwrap_or_default())
            .collect(),
        groups,
        total,
        outside_lines: if within.is_empty() {
            outside
        } else {
            Figures::default()
        },
        today,
    })
}

/// The plan of the other market for the same period, to show beside `plan` (B2B and B2C side
/// by side); the first made when there are several.
pub fn companion(db: &mut Db, plan: &SalesPlan) -> Result<Option<SalesPlan>> {
    let other = if plan.market == "b2b" { "b2c" } else { "b2b" };
    let id: Option<SalesPlanId> = sales_plans::table
        .filter(sales_plans::market.eq(other))
        .filter(sales_plans::starts_on.eq(plan.starts_on))
        .filter(sales_plans::ends_on.eq(plan.ends_on))
        .order(sales_plans::id.asc())
        .select(sales_plans::id)
        .first(db)
        .optional()?;
    id.map(|id| plans::get(db, id)).transpose()
}

/// One row of two reports side by side: the group, and its figures in each (`None` where the
/// report has no such group).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paired {
    pub key: Key,
    pub name: String,
    pub left: Option<Figures>,
    pub right: Option<Figures>,
}

/// Two reports grouped the same way, row by row: `left`'s groups in its order, then those only
/// `right` has.
pub fn side_by_side(left: &PlanReport, right: &PlanReport) -> Vec<Paired> {
    let mut rows: Vec<Paired> = left
        .groups
        .iter()
        .map(|g| Paired {
            key: g.key,
            name: g.name.clone(),
            left: Some(g.figures),
            right: right
                .groups
                .iter()
                .find(|r| r.key == g.key)
                .map(|r| r.figures),
        })
        .collect();
    rows.extend(
        right
            .groups
            .iter()
            .filter(|r| !left.groups.iter().any(|g| g.key == r.key))
            .map(|r| Paired {
                key: r.key,
                name: r.name.clone(),
                left: None,
                right: Some(r.figures),
            }),
    );
    rows
}

/// The report as a table: a row per group, then the sales outside the plan's lines (when
/// there are any) and the total; with `beside` (the other market's plan, grouped the same way)
/// its target, actual and attainment in columns of their own. `date` writes a period's days.
pub fn table(
    report: &PlanReport,
    beside: Option<&PlanReport>,
    date: impl Fn(NaiveDate) -> String,
) -> Table {
    let mut columns = vec![
        Column::new("group", report.by.heading()),
        Column::new("target", t!("report.col.target")),
        Column::new("actual", t!("report.col.actual")),
        Column::new("attainment", t!("report.col.attainment")),
        Column::new("gap", t!("report.col.gap")),
        Column::new("due_by_today", t!("report.col.due-by-today")),
        Column::new("actual_by_today", t!("report.col.actual-by-today")),
        Column::new("pace", t!("report.col.pace")),
        Column::new("target_quantity", t!("report.col.target-quantity")),
        Column::new("quantity", t!("report.col.quantity")),
    ];
    if let Some(other) = beside {
        let market = other.plan.market.to_uppercase();
        columns.extend([
            Column::new(
                "other_target",
                t!("report.col.other-target", market = market.as_str()),
            ),
            Column::new(
                "other_actual",
                t!("report.col.other-actual", market = market.as_str()),
            ),
            Column::new(
                "other_attainment",
                t!("report.col.other-attainment", market = market.as_str()),
            ),
        ]);
    }
    let figures = |name: String, f: Option<&Figures>, other: Option<Option<&Figures>>| {
        let mut row = vec![Value::Text(name)];
        match f {
            Some(f) => row.extend([
                Value::Money(f.target),
                Value::Money(f.actual),
                Value::percent(f.attainment()),
                Value::Money(f.gap()),
                Value::Money(f.due_by_today),
                Value::Money(f.actual_by_today),
                Value::percent(f.pace()),
                f.target_quantity.map_or(Value::Empty, Value::Count),
                Value::Count(f.quantity),
            ]),
            None => row.extend(std::iter::repeat_n(Value::Empty, 9)),
        }
        if let Some(other) = other {
            match other {
                Some(o) => row.extend([
                    Value::Money(o.target),
                    Value::Money(o.actual),
                    Value::percent(o.attainment()),
                ]),
                None => row.extend(std::iter::repeat_n(Value::Empty, 3)),
            }
        }
        row
    };
    let mut rows: Vec<Vec<Value>> = match beside {
        Some(other) => side_by_side(report, other)
            .into_iter()
            .map(|p| {
                let name = Group {
                    key: p.key,
                    name: p.name,
                    figures: Figures::default(),
                }
                .label(&date);
                figures(name, p.left.as_ref(), Some(p.right.as_ref()))
            })
            .collect(),
        None => report
            .groups
            .iter()
            .map(|g| figures(g.label(&date), Some(&g.figures), None))
            .collect(),
    };
    let chart_rows = rows.len();
    let other_total = beside.map(|o| Some(&o.total));
    if report.outside_lines != Figures::default() {
        // Sales no line covers: what was sold, with no target to measure it against.
        let outside = &report.outside_lines;
        let mut row = vec![Value::Empty; columns.len()];
        row[0] = Value::Text(t!("report.outside-lines"));
        row[2] = Value::Money(outside.actual);
        row[6] = Value::Money(outside.actual_by_today);
        row[9] = Value::Count(outside.quantity);
        if let Some(other) = beside {
            row[11] = Value::Money(other.outside_lines.actual);
        }
        rows.push(row);
    }
    rows.push(figures(
        t!("report.total"),
        Some(&report.total),
        other_total,
    ));
    let mut plan = report.plan.name.clone();
    for name in &report.path {
        plan.push_str(" › ");
        plan.push_str(name);
    }
    let title = t!("report.plan.title", plan = plan, by = report.by.name());
    Table {
        title,
        columns,
        rows,
        chart: vec![1, 2],
        chart_rows,
    }
}

/// The catalogue's entry: the plan's report by product group at the filters' day, the other
/// market's plan beside it when there is one; the latest plan when none is chosen.
pub fn run(db: &mut Db, filters: &super::Filters) -> Result<Table> {
    let id = match filters.plan {
        Some(id) => Some(id),
        None => plans::page(db, None, 1)?.first().map(|p| p.id),
    };
    let Some(id) = id else {
        return Ok(Table {
            title: t!("report.plan-vs-actual.title"),
            columns: Vec::new(),
            rows: Vec::new(),
            chart: Vec::new(),
            chart_rows: 0,
        });
    };
    let report = compute(db, id, By::Product, &[], filters.today)?;
    let beside = match companion(db, &report.plan)? {
        Some(other) => Some(compute(db, other.id, By::Product, &[], filters.today)?),
        None => None,
    };
    Ok(table(&report, beside.as_ref(), crate::domain::locale::date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a day")
    }

    #[test]
    fn the_days_gone_by_set_what_is_due() {
        let q = (day(2026, 1, 1), day(2026, 1, 10));
        assert_eq!(due(1_000, q, day(2025, 12, 31)), 0);
        assert_eq!(due(1_000, q, day(2026, 1, 1)), 100);
        assert_eq!(due(1_000, q, day(2026, 1, 5)), 500);
        assert_eq!(due(1_000, q, day(2026, 1, 10)), 1_000);
        assert_eq!(due(1_000, q, day(2027, 1, 1)), 1_000);
    }

    #[test]
    fn the_next_dimension_skips_those_drilled_into() {
        assert_eq!(By::Product.next(&[]), By::Region);
        assert_eq!(By::Product.next(&[Key::Region(None)]), By::Expert);
        assert_eq!(By::Period.next(&[Key::Product(None)]), By::Region);
    }

    #[test]
    fn attainment_gap_and_pace() {
        let f = Figures {
            target: 200,
            actual: 150,
            due_by_today: 100,
            actual_by_today: 150,
            ..Figures::default()
        };
        assert_eq!(f.attainment(), Some(75.0));
        assert_eq!(f.gap(), 50);
        assert_eq!(f.pace(), Some(150.0));
        assert_eq!(Figures::default().attainment(), None);
    }
}
