//! `peygir case add` opens a case; `peygir case list` writes the case list, most urgent first,
//! as a table, CSV or JSON with stable columns.

use clap::{Args, Subcommand};

use super::common::{ListFormat, Outcome, entry, failed, print_out, refused};
use crate::db::Db;
use crate::db::ids::{ContactId, LookupId};
use crate::store::Actor;
use crate::store::cases::{self, CaseFields, CaseFilter, CaseRow, Importance};
use crate::store::lookups::List;
use crate::t;

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Open a sales case; prints its number
    Add(CaseAddArgs),
    /// List the cases, most urgent first (priority, then the earliest planned action)
    List(CaseListArgs),
}

#[derive(Debug, Clone, Args)]
pub struct CaseAddArgs {
    /// What the negotiation is about
    #[arg(long)]
    pub title: String,
    /// The customer company, by contact id
    #[arg(long, value_name = "ID")]
    pub company: Option<ContactId>,
    /// The main person on the customer's side, by contact id
    #[arg(long, value_name = "ID")]
    pub contact: Option<ContactId>,
    /// The sales expert [default: you]
    #[arg(long, value_name = "LOGIN")]
    pub expert: Option<String>,
    /// The sales representative
    #[arg(long, value_name = "LOGIN")]
    pub representative: Option<String>,
    /// Who referred the customer, by contact id
    #[arg(long, value_name = "ID")]
    pub referrer: Option<ContactId>,
    /// The customer's need
    #[arg(long)]
    pub need: Option<String>,
    /// The marketing channel: a code or name of its list
    #[arg(long)]
    pub channel: Option<String>,
    /// low, normal, high or critical
    #[arg(long, default_value = "normal")]
    pub importance: String,
    /// 1 (most urgent) to 5
    #[arg(long, default_value_t = 3, allow_hyphen_values = true)]
    pub priority: i32,
    /// The product group: a code or name of its list
    #[arg(long, value_name = "GROUP")]
    pub product_group: Option<String>,
    /// The region: a code or name of its list
    #[arg(long)]
    pub region: Option<String>,
    /// The expected amount, in the currency's smallest unit
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub expected: Option<i64>,
}

#[derive(Debug, Clone, Args)]
pub struct CaseListArgs {
    /// Only cases in this status (code or name)
    #[arg(long)]
    pub status: Option<String>,
    /// Only this expert's cases
    #[arg(long, value_name = "LOGIN")]
    pub expert: Option<String>,
    /// Only cases of this importance (low, normal, high, critical)
    #[arg(long)]
    pub importance: Option<String>,
    /// Only cases of this priority (1-5)
    #[arg(long, allow_hyphen_values = true)]
    pub priority: Option<i32>,
    /// Only cases from this marketing channel (code or name)
    #[arg(long)]
    pub channel: Option<String>,
    /// Only open cases
    #[arg(long)]
    pub open: bool,
    /// Only cases whose number, title or customer holds every word of this
    #[arg(long)]
    pub search: Option<String>,
    /// At most this many cases
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// table, csv or json
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

pub fn run(db: &mut Db, actor: &Actor, command: &CaseCommand) -> Outcome {
    match command {
        CaseCommand::Add(args) => add(db, actor, args),
        CaseCommand::List(args) => list(db, args),
    }
}

fn importance(typed: &str, flag: &str) -> Outcome<Importance> {
    Importance::parse(typed).ok_or_else(|| {
        let choices: Vec<&str> = Importance::ALL.iter().map(|i| i.as_str()).collect();
        refused(t!(
            "cli.no-entry",
            flag = flag,
            value = typed,
            choices = choices.join(", ")
        ))
    })
}

fn add(db: &mut Db, actor: &Actor, args: &CaseAddArgs) -> Outcome {
    let expert_id = match &args.expert {
        Some(login) => super::common::user(db, login, "--expert")?.id,
        None => actor.id,
    };
    let representative_id = match &args.representative {
        Some(login) => Some(super::common::user(db, login, "--representative")?.id),
        None => None,
    };
    let mut lookup =
        |typed: &Option<String>, list: List, flag: &str| -> Outcome<Option<LookupId>> {
            typed
                .as_deref()
                .map(|t| entry(db, list, t, flag))
                .transpose()
        };
    let channel_id = lookup(&args.channel, List::MarketingChannel, "--channel")?;
    let product_group_id = lookup(&args.product_group, List::ProductGroup, "--product-group")?;
    let region_id = lookup(&args.region, List::Region, "--region")?;
    let fields = CaseFields {
        title: args.title.clone(),
        company_id: args.company,
        contact_id: args.contact,
        expert_id,
        representative_id,
        referrer_id: args.referrer,
        need: args.need.clone(),
        channel_id,
        org_unit_id: None,
        importance: importance(&args.importance, "--importance")?,
        priority: args.priority,
        product_group_id,
        region_id,
        expected_amount: args.expected,
    };
    let case = cases::create(db, actor, fields).map_err(failed)?;
    print_out(&format!(
        "{}\n",
        t!("cli.case-added", number = case.number, id = case.id)
    ));
    Ok(())
}

/// The columns of `case list` in CSV and JSON; stable, whatever the language.
pub const COLUMNS: [&str; 11] = [
    "id",
    "number",
    "title",
    "customer",
    "status",
    "closed",
    "importance",
    "priority",
    "expert",
    "next_due",
    "expected_amount",
];

fn filter(db: &mut Db, args: &CaseListArgs) -> Outcome<CaseFilter> {
    Ok(CaseFilter {
        status_id: match &args.status {
            Some(s) => Some(super::common::case_status(db, s, "--status")?.id),
            None => None,
        },
        expert_id: match &args.expert {
            Some(login) => Some(super::common::user(db, login, "--expert")?.id),
            None => None,
        },
        importance: args
            .importance
            .as_deref()
            .map(|i| importance(i, "--importance"))
            .transpose()?,
        priority: args.priority,
        channel_id: args
            .channel
            .as_deref()
            .map(|c| entry(db, List::MarketingChannel, c, "--channel"))
            .transpose()?,
        org_unit_id: None,
        open_only: args.open,
        search: args.search.clone().unwrap_or_default(),
    })
}

/// Every case `filter` lets through (up to `limit`), a page at a time.
fn all_rows(db: &mut Db, filter: &CaseFilter, limit: Option<u64>) -> Outcome<Vec<CaseRow>> {
    const PAGE: i64 = 500;
    let mut rows: Vec<CaseRow> = Vec::new();
    loop {
        let after = rows.last().map(cases::key);
        let page = cases::page(db, filter, after.as_ref(), PAGE).map_err(failed)?;
        let done = (page.len() as i64) < PAGE;
        rows.extend(page);
        if let Some(limit) = limit
            && rows.len() as u64 >= limit
        {
            rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
            break;
        }
        if done {
            break;
        }
    }
    Ok(rows)
}

fn list(db: &mut Db, args: &CaseListArgs) -> Outcome {
    let filter = filter(db, args)?;
    if let Some(p) = args.priority
        && !(1..=5).contains(&p)
    {
        return Err(refused(t!("cli.bad-priority", value = p)));
    }
    let rows = all_rows(db, &filter, args.limit)?;
    let text = match args.format {
        ListFormat::Table => as_table(&rows),
        ListFormat::Csv => as_csv(&rows),
        ListFormat::Json => as_json(&rows)?,
    };
    print_out(&text);
    Ok(())
}

fn as_table(rows: &[CaseRow]) -> String {
    use crate::domain::locale;
    let headers = [
        t!("cases.col.number"),
        t!("cases.col.title"),
        t!("cases.col.customer"),
        t!("cases.col.status"),
        t!("cases.col.importance"),
        t!("cases.col.priority"),
        t!("cases.col.expert"),
        t!("cli.col.next-due"),
        t!("cases.col.expected"),
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.number.clone(),
                r.title.clone(),
                r.customer.clone(),
                if r.closed {
                    t!("cases.closed", status = r.status)
                } else {
                    r.status.clone()
                },
                Importance::parse(&r.importance).map_or_else(
                    || r.importance.clone(),
                    |i| crate::i18n::tr(i.message_key()).to_string(),
                ),
                t!("cases.priority", n = locale::number(r.priority)),
                r.expert.clone(),
                r.next_due_at.map(super::common::shown).unwrap_or_default(),
                r.expected_amount
                    .map(locale::group_thousands)
                    .unwrap_or_default(),
            ]
        })
        .collect();
    super::common::table(&headers, &cells, &[8])
}

fn as_csv(rows: &[CaseRow]) -> String {
    let mut out = super::common::csv_line(&COLUMNS);
    for r in rows {
        out.push_str(&super::common::csv_line(&[
            r.id.to_string(),
            r.number.clone(),
            r.title.clone(),
            r.customer.clone(),
            r.status.clone(),
            r.closed.to_string(),
            r.importance.clone(),
            r.priority.to_string(),
            r.expert.clone(),
            r.next_due_at
                .map(super::common::iso_utc)
                .unwrap_or_default(),
            r.expected_amount.map(|a| a.to_string()).unwrap_or_default(),
        ]));
    }
    out
}

fn as_json(rows: &[CaseRow]) -> Outcome<String> {
    let values: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "number": r.number,
                "title": r.title,
                "customer": r.customer,
                "status": r.status,
                "closed": r.closed,
                "importance": r.importance,
                "priority": r.priority,
                "expert": r.expert,
                "next_due": r.next_due_at.map(super::common::iso_utc),
                "expected_amount": r.expected_amount,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&values).map_err(|e| refused(e.to_string()))?;
    text.push('\n');
    Ok(text)
}
