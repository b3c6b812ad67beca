//! `peygir complaint …`: customer complaints for scripts and admins. `list` writes them the
//! soonest due first (the late ones first) with where each one's resolution stands against its
//! service level, as a table, CSV or JSON, a page at a time; `add` records one; `move` takes it a
//! step along its process; `show` writes it with its clocks and timeline; `action add|done`
//! manages its corrective and preventive actions.
//!
//! ```text
//! peygir complaint add --customer "Ali Kazemi" --title "Pump leaks" --description "…" \
//!     --severity high --received "yesterday 10:00"
//! peygir complaint move C-1405-00042 investigating --note "Called the customer"
//! peygir complaint list --late --format json
//! ```

use chrono::{NaiveDateTime, NaiveTime};
use clap::{Args, Subcommand, ValueEnum};

use super::common::{self, ListFormat, Outcome, entry, failed, print_out, refused};
use crate::db::Db;
use crate::db::ids::{ComplaintActionId, ContactId, LookupId};
use crate::domain::{locale, text};
use crate::error::FieldError;
use crate::store::complaints::{
    self, ActionKind, Clock, Complaint, ComplaintAction, ComplaintFields, ComplaintFilter,
    ComplaintRow, ComplaintStatus, StatusChange, StatusStep,
};
use crate::store::contacts::{self, ContactFilter};
use crate::store::lookups::List;
use crate::store::sla::{self, Severity};
use crate::store::{Actor, cases, names};
use crate::t;

#[derive(Debug, Subcommand)]
pub enum ComplaintCommand {
    /// List the complaints, the soonest due first (the late ones first), with where each one's resolution stands against its service level
    List(ComplaintListArgs),
    /// Record a complaint; prints its number
    Add(ComplaintAddArgs),
    /// Move a complaint to another status, as its process allows
    Move(ComplaintMoveArgs),
    /// A complaint with its service-level clocks and its timeline: its steps, then its actions
    Show(ComplaintShowArgs),
    /// A complaint's corrective and preventive actions
    Action {
        #[command(subcommand)]
        command: ActionCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ActionCommand {
    /// Add a corrective or preventive action to an open complaint; prints its id
    Add(ActionAddArgs),
    /// Mark a complaint's action done
    Done(ActionDoneArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ComplaintListArgs {
    /// Only complaints in this status (received, acknowledged, investigating, action_taken, resolution_proposed, escalated, closed, rejected, or its name)
    #[arg(long)]
    pub status: Option<String>,
    /// Only complaints still being worked on (not closed or rejected)
    #[arg(long)]
    pub open: bool,
    /// Only open complaints whose resolution is past due
    #[arg(long)]
    pub late: bool,
    /// Only complaints of this severity (low, medium, high, critical, or its name)
    #[arg(long)]
    pub severity: Option<String>,
    /// Only this expert's complaints
    #[arg(long, value_name = "LOGIN")]
    pub expert: Option<String>,
    /// Only complaints whose number, title or customer holds every word of this
    #[arg(long)]
    pub search: Option<String>,
    /// table, csv or json
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Args)]
pub struct ComplaintAddArgs {
    /// The customer: a contact's id, or its name
    #[arg(long, value_name = "NAME_OR_ID")]
    pub customer: String,
    /// What the complaint is about, in a line
    #[arg(long)]
    pub title: String,
    /// What the customer says happened
    #[arg(long)]
    pub description: String,
    /// low, medium, high or critical (or its name in either language) [default: medium]
    #[arg(long)]
    pub severity: Option<String>,
    /// The complaint category: a code or name of its list
    #[arg(long)]
    pub category: Option<String>,
    /// How it came in: a code or name of the marketing channel list
    #[arg(long)]
    pub channel: Option<String>,
    /// The sales case it is about, by number (1405-00042)
    #[arg(long, value_name = "NUMBER")]
    pub case: Option<String>,
    /// Who handles it [default: you]
    #[arg(long, value_name = "LOGIN")]
    pub expert: Option<String>,
    /// When it was received (10:30, yesterday 16:00, -3d, 1405/09/08 11:00) [default: now]
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
    pub received: Option<String>,
    /// What the customer asks to be done
    #[arg(long, value_name = "TEXT")]
    pub remedy: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ComplaintMoveArgs {
    /// The complaint, by number (C-1405-00042)
    pub number: String,
    /// The status to move to: received, acknowledged, investigating, action_taken, resolution_proposed, escalated, closed, rejected, or its name
    pub status: String,
    /// Why: kept in the timeline (required to reject)
    #[arg(long, value_name = "WHY")]
    pub note: Option<String>,
    /// What the investigation found: a code or name of the root cause list (required for action_taken)
    #[arg(long, value_name = "NAME")]
    pub root_cause: Option<String>,
    /// The resolution proposed to the customer (required for resolution_proposed)
    #[arg(long, value_name = "TEXT")]
    pub resolution: Option<String>,
    /// The customer's satisfaction at closing, 1 to 5
    #[arg(long, value_name = "1-5", allow_hyphen_values = true)]
    pub satisfaction: Option<String>,
}

/// How one complaint is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ShowFormat {
    /// Labelled lines for people, in the chosen language
    #[default]
    Table,
    /// One object with stable keys
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ComplaintShowArgs {
    /// The complaint, by number (C-1405-00042)
    pub number: String,
    /// table or json
    #[arg(long, value_enum, default_value_t = ShowFormat::Table)]
    pub format: ShowFormat,
}

#[derive(Debug, Clone, Args)]
pub struct ActionAddArgs {
    /// The complaint, by number (C-1405-00042)
    pub number: String,
    /// corrective (for this customer) or preventive (for the product or process)
    #[arg(long)]
    pub kind: String,
    /// Who is to carry it out
    #[arg(long, value_name = "LOGIN")]
    pub owner: String,
    /// The day it is due (tomorrow, +7d, 1405/09/10, 2026-12-01)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub due: String,
    /// What is to be done
    #[arg(long, value_name = "TEXT")]
    pub description: String,
}

#[derive(Debug, Clone, Args)]
pub struct ActionDoneArgs {
    /// The complaint, by number (C-1405-00042)
    pub number: String,
    /// The action's id, as `action add` and `show` give it
    #[arg(value_name = "ACTION_ID")]
    pub action: String,
}

pub fn run(db: &mut Db, actor: &Actor, command: &ComplaintCommand) -> Outcome {
    match command {
        ComplaintCommand::List(args) => list(db, args),
        ComplaintCommand::Add(args) => add(db, actor, args),
        ComplaintCommand::Move(args) => move_to(db, actor, args),
        ComplaintCommand::Show(args) => show(db, args),
        ComplaintCommand::Action {
            command: ActionCommand::Add(args),
        } => add_action(db, actor, args),
        ComplaintCommand::Action {
            command: ActionCommand::Done(args),
        } => action_done(db, actor, args),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the arguments

/// Text compared without letter case, digit script, Arabic letter forms, spaces, ZWNJ, `-` or
/// `_` (`action_taken`, `action taken` and `Action-Taken` are one).
fn loose(typed: &str) -> String {
    text::search_key(typed)
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .collect()
}

/// The status typed: its code, or its name in either language.
pub fn parse_status(typed: &str) -> Option<ComplaintStatus> {
    use crate::i18n::{Lang, tr_in};
    let key = loose(typed);
    ComplaintStatus::ALL.into_iter().find(|s| {
        [
            s.as_str(),
            tr_in(Lang::En, s.message_key()),
            tr_in(Lang::Fa, s.message_key()),
        ]
        .iter()
        .any(|name| loose(name) == key)
    })
}

fn status(typed: &str, flag: &str) -> Outcome<ComplaintStatus> {
    parse_status(typed).ok_or_else(|| {
        let choices: Vec<&str> = ComplaintStatus::ALL.iter().map(|s| s.as_str()).collect();
        refused(t!(
            "cli.no-entry",
            flag = flag,
            value = typed,
            choices = choices.join(", ")
        ))
    })
}

fn severity(typed: &str, flag: &str) -> Outcome<Severity> {
    Severity::parse(typed).ok_or_else(|| {
        let choices: Vec<&str> = Severity::ALL.iter().map(|s| s.as_str()).collect();
        refused(t!(
            "cli.no-entry",
            flag = flag,
            value = typed,
            choices = choices.join(", ")
        ))
    })
}

/// The kind of action typed: its code, or its name in either language.
fn action_kind(typed: &str, flag: &str) -> Outcome<ActionKind> {
    use crate::i18n::{Lang, tr_in};
    let key = loose(typed);
    [ActionKind::Corrective, ActionKind::Preventive]
        .into_iter()
        .find(|k| {
            [
                k.as_str(),
                tr_in(Lang::En, kind_key(*k)),
                tr_in(Lang::Fa, kind_key(*k)),
            ]
            .iter()
            .any(|name| loose(name) == key)
        })
        .ok_or_else(|| {
            refused(t!(
                "cli.no-entry",
                flag = flag,
                value = typed,
                choices = "corrective, preventive"
            ))
        })
}

fn kind_key(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Corrective => "cli.complaint-kind-corrective",
        ActionKind::Preventive => "cli.complaint-kind-preventive",
    }
}

/// The customer typed for `--customer`: a contact's id (in any digit script), else the one
/// contact whose name it is (or the only one it finds).
fn customer(db: &mut Db, typed: &str) -> Outcome<ContactId> {
    const FLAG: &str = "--customer";
    let trimmed = typed.trim();
    if let Ok(id) = text::ascii_digits(trimmed).parse::<i64>() {
        return Ok(ContactId(id));
    }
    let found = if trimmed.is_empty() {
        Vec::new()
    } else {
        contacts::page(db, &ContactFilter::search(trimmed), None, 20).map_err(failed)?
    };
    let key = text::search_key(trimmed);
    let exact: Vec<_> = found
        .iter()
        .filter(|c| text::search_key(&c.display_name) == key)
        .collect();
    match (exact.as_slice(), found.as_slice()) {
        ([one], _) => Ok(one.id),
        ([], [one]) => Ok(one.id),
        ([], []) => Err(refused(t!(
            "cli.complaint-no-customer",
            flag = FLAG,
            value = trimmed
        ))),
        (several, all) => {
            let shown = if several.is_empty() {
                all.iter().collect()
            } else {
                several.to_vec()
            };
            let matches: Vec<String> = shown
                .iter()
                .take(5)
                .map(|c| format!("{} ({})", c.display_name, c.id))
                .collect();
            Err(refused(t!(
                "cli.complaint-many-customers",
                flag = FLAG,
                value = trimmed,
                matches = matches.join(", ")
            )))
        }
    }
}

/// The complaint numbered `number`, or a refusal naming it.
fn complaint(db: &mut Db, number: &str) -> Outcome<Complaint> {
    complaints::by_number(db, number)
        .map_err(failed)?
        .ok_or_else(|| refused(t!("cli.complaint-not-found", number = number.trim())))
}

/// A satisfaction typed (in any digit script); the store checks its range.
fn satisfaction(typed: &str) -> Outcome<i32> {
    text::ascii_digits(typed.trim())
        .parse::<i32>()
        .map_err(|_| {
            refused(
                FieldError {
                    field: "field.satisfaction",
                    reason: t!("invalid.satisfaction"),
                }
                .to_string(),
            )
        })
}

fn lookup(db: &mut Db, typed: Option<&str>, list: List, flag: &str) -> Outcome<Option<LookupId>> {
    typed.map(|t| entry(db, list, t, flag)).transpose()
}

// ---------------------------------------------------------------------------------------------
// Writing the results

fn status_name(code: &str) -> String {
    ComplaintStatus::parse(code).map_or_else(
        || code.to_string(),
        |s| crate::i18n::tr(s.message_key()).to_string(),
    )
}

fn severity_name(code: &str) -> String {
    Severity::parse(code).map_or_else(
        || code.to_string(),
        |s| crate::i18n::tr(s.message_key()).to_string(),
    )
}

fn kind_name(code: &str) -> String {
    ActionKind::parse(code).map_or_else(
        || code.to_string(),
        |k| crate::i18n::tr(kind_key(k)).to_string(),
    )
}

/// Working minutes as hours and minutes, in the user's digits.
fn working_time(minutes: i64) -> String {
    let minutes = minutes.max(0);
    t!(
        "cli.complaint-duration",
        hours = locale::number(minutes / 60),
        minutes = locale::number(format!("{:02}", minutes % 60))
    )
}

/// Where a clock stands, for people: time left or over, or met or late once stopped.
fn clock_text(clock: Option<Clock>) -> String {
    match clock {
        None => String::new(),
        Some(Clock::Running { minutes_left }) => {
            t!(
                "cli.complaint-clock-left",
                time = working_time(minutes_left)
            )
        }
        Some(Clock::Over { minutes_over }) => {
            t!(
                "cli.complaint-clock-over",
                time = working_time(minutes_over)
            )
        }
        Some(Clock::Stopped { late: false }) => t!("cli.complaint-clock-met"),
        Some(Clock::Stopped { late: true }) => t!("cli.complaint-clock-late"),
    }
}

/// A clock's stable code for scripts: running, over, met or late.
fn clock_state(clock: Clock) -> &'static str {
    match clock {
        Clock::Running { .. } => "running",
        Clock::Over { .. } => "over",
        Clock::Stopped { late: false } => "met",
        Clock::Stopped { late: true } => "late",
    }
}

fn clock_json(clock: Option<Clock>) -> serde_json::Value {
    let Some(clock) = clock else {
        return serde_json::Value::Null;
    };
    let (left, over) = match clock {
        Clock::Running { minutes_left } => (Some(minutes_left), None),
        Clock::Over { minutes_over } => (None, Some(minutes_over)),
        Clock::Stopped { .. } => (None, None),
    };
    serde_json::json!({
        "state": clock_state(clock),
        "late": clock.is_late(),
        "minutes_left": left,
        "minutes_over": over,
    })
}

fn iso(at: Option<NaiveDateTime>) -> Option<String> {
    at.map(common::iso_utc)
}

/// `value` as pretty JSON, ended with a line break.
fn json(value: &serde_json::Value) -> Outcome<String> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| refused(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

// ---------------------------------------------------------------------------------------------
// list

/// The columns of `complaint list` in CSV; stable, whatever the language.
pub const COLUMNS: [&str; 14] = [
    "id",
    "number",
    "received_at",
    "title",
    "customer",
    "status",
    "severity",
    "expert",
    "response_due_at",
    "resolution_due_at",
    "acknowledged_at",
    "closed_at",
    "resolution_sla",
    "resolution_minutes",
];

/// How many complaints are read at a time.
const PAGE: i64 = 500;

/// Runs `work` on every page of the complaints `filter` lets through, in list order.
fn each_page(
    db: &mut Db,
    filter: &ComplaintFilter,
    mut work: impl FnMut(&[ComplaintRow]) -> Outcome,
) -> Outcome {
    let mut after = None;
    loop {
        let page = complaints::page(db, filter, after.as_ref(), PAGE).map_err(failed)?;
        work(&page)?;
        if (page.len() as i64) < PAGE {
            return Ok(());
        }
        after = page.last().map(complaints::key);
    }
}

fn filter(db: &mut Db, args: &ComplaintListArgs, now: NaiveDateTime) -> Outcome<ComplaintFilter> {
    Ok(ComplaintFilter {
        status: args
            .status
            .as_deref()
            .map(|s| status(s, "--status"))
            .transpose()?,
        open_only: args.open,
        severity: args
            .severity
            .as_deref()
            .map(|s| severity(s, "--severity"))
            .transpose()?,
        category_id: None,
        expert_id: match &args.expert {
            Some(login) => Some(common::user(db, login, "--expert")?.id),
            None => None,
        },
        late_at: args.late.then_some(now),
        search: args.search.clone().unwrap_or_default(),
    })
}

fn list(db: &mut Db, args: &ComplaintListArgs) -> Outcome {
    let now = crate::store::now();
    let filter = filter(db, args, now)?;
    let calendar = sla::calendar(db).map_err(failed)?;
    let resolution = |row: &ComplaintRow| complaints::clocks(&calendar, row, now).1;
    match args.format {
        ListFormat::Table => {
            let headers = [
                t!("complaints.col.number"),
                t!("complaints.col.received"),
                t!("complaints.col.title"),
                t!("complaints.col.customer"),
                t!("complaints.col.status"),
                t!("complaints.col.severity"),
                t!("complaints.col.expert"),
                t!("cli.complaint-col-resolution"),
            ];
            let cells = |r: &ComplaintRow| -> Vec<String> {
                vec![
                    r.number.clone(),
                    common::shown(r.received_at),
                    r.title.clone(),
                    r.customer.clone(),
                    status_name(&r.status),
                    severity_name(&r.severity),
                    r.expert.clone(),
                    clock_text(resolution(r)),
                ]
            };
            // The widths over every page first, then the lines: a page at a time both ways.
            let mut widths = common::column_widths(&headers);
            let mut any = false;
            each_page(db, &filter, |rows| {
                for r in rows {
                    common::widen(&mut widths, &cells(r));
                }
                any |= !rows.is_empty();
                Ok(())
            })?;
            if !any {
                print_out(&format!("{}\n", t!("cli.complaint-none")));
                return Ok(());
            }
            print_out(&common::table_line(&headers, &widths, &[]));
            each_page(db, &filter, |rows| {
                let text: String = rows
                    .iter()
                    .map(|r| common::table_line(&cells(r), &widths, &[]))
                    .collect();
                print_out(&text);
                Ok(())
            })
        }
        ListFormat::Csv => {
            print_out(&common::csv_line(&COLUMNS));
            each_page(db, &filter, |rows| {
                let mut text = String::new();
                for r in rows {
                    let clock = resolution(r);
                    let minutes = match clock {
                        Some(Clock::Running { minutes_left }) => minutes_left.to_string(),
                        Some(Clock::Over { minutes_over }) => (-minutes_over).to_string(),
                        _ => String::new(),
                    };
                    text.push_str(&common::csv_line(&[
                        r.id.to_string(),
                        r.number.clone(),
                        common::iso_utc(r.received_at),
                        r.title.clone(),
                        r.customer.clone(),
                        r.status.clone(),
                        r.severity.clone(),
                        r.expert.clone(),
                        iso(r.response_due_at).unwrap_or_default(),
                        iso(r.resolution_due_at).unwrap_or_default(),
                        iso(r.acknowledged_at).unwrap_or_default(),
                        iso(r.closed_at).unwrap_or_default(),
                        clock.map(clock_state).unwrap_or_default().to_string(),
                        minutes,
                    ]));
                }
                print_out(&text);
                Ok(())
            })
        }
        ListFormat::Json => {
            // One array written a page at a time, as `to_string_pretty` writes it whole.
            let mut first = true;
            print_out("[");
            each_page(db, &filter, |rows| {
                let mut text = String::new();
                for r in rows {
                    let (response, resolution) = complaints::clocks(&calendar, r, now);
                    let value = serde_json::json!({
                        "id": r.id,
                        "number": r.number,
                        "received_at": common::iso_utc(r.received_at),
                        "title": r.title,
                        "customer": r.customer,
                        "status": r.status,
                        "severity": r.severity,
                        "expert": r.expert,
                        "response_due_at": iso(r.response_due_at),
                        "resolution_due_at": iso(r.resolution_due_at),
                        "acknowledged_at": iso(r.acknowledged_at),
                        "closed_at": iso(r.closed_at),
                        "response_sla": clock_json(response),
                        "resolution_sla": clock_json(resolution),
                        "version": r.version,
                    });
                    let pretty =
                        serde_json::to_string_pretty(&value).map_err(|e| refused(e.to_string()))?;
                    text.push_str(if first { "\n" } else { ",\n" });
                    first = false;
                    for (i, line) in pretty.lines().enumerate() {
                        if i > 0 {
                            text.push('\n');
                        }
                        text.push_str("  ");
                        text.push_str(line);
                    }
                }
                print_out(&text);
                Ok(())
            })?;
            print_out(if first { "]\n" } else { "\n]\n" });
            Ok(())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// add, move

fn add(db: &mut Db, actor: &Actor, args: &ComplaintAddArgs) -> Outcome {
    let contact_id = customer(db, &args.customer)?;
    let severity = match &args.severity {
        Some(s) => severity(s, "--severity")?,
        None => Severity::default(),
    };
    let category_id = lookup(
        db,
        args.category.as_deref(),
        List::ComplaintCategory,
        "--category",
    )?;
    let channel_id = lookup(
        db,
        args.channel.as_deref(),
        List::ComplaintChannel,
        "--channel",
    )?;
    let case_id = match &args.case {
        Some(number) => match cases::by_number(db, number).map_err(failed)? {
            Some(case) => Some(case.id),
            None => return Err(refused(t!("cli.no-case", number = number))),
        },
        None => None,
    };
    let expert_id = match &args.expert {
        Some(login) => common::user(db, login, "--expert")?.id,
        None => actor.id,
    };
    let received_at = args
        .received
        .as_deref()
        .map(|r| common::when(r, "--received", NaiveTime::MIN))
        .transpose()?;
    let fields = ComplaintFields {
        title: args.title.clone(),
        description: args.description.clone(),
        contact_id,
        case_id,
        category_id,
        channel_id,
        severity,
        expert_id,
        received_at,
        remedy_requested: args.remedy.clone(),
    };
    let complaint = complaints::create(db, actor, fields).map_err(failed)?;
    print_out(&format!(
        "{}\n",
        t!(
            "cli.complaint-added",
            number = complaint.number,
            id = locale::number(complaint.id)
        )
    ));
    Ok(())
}

fn move_to(db: &mut Db, actor: &Actor, args: &ComplaintMoveArgs) -> Outcome {
    let old = complaint(db, &args.number)?;
    let to = status(&args.status, "STATUS")?;
    let change = StatusChange {
        note: args.note.clone(),
        root_cause_id: lookup(
            db,
            args.root_cause.as_deref(),
            List::RootCause,
            "--root-cause",
        )?,
        resolution: args.resolution.clone(),
        satisfaction: args.satisfaction.as_deref().map(satisfaction).transpose()?,
    };
    let moved =
        complaints::change_status(db, actor, old.id, old.version, to, change).map_err(failed)?;
    print_out(&format!(
        "{}\n",
        t!(
            "cli.complaint-moved",
            number = moved.number,
            status = status_name(&moved.status)
        )
    ));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// show

/// Everything `show` writes about a complaint, its names looked up.
struct Shown {
    complaint: Complaint,
    customer: String,
    expert: String,
    case: Option<String>,
    category: Option<String>,
    channel: Option<String>,
    root_cause: Option<String>,
    response: Option<Clock>,
    resolution: Option<Clock>,
    /// Each step with the login of who took it.
    history: Vec<(StatusStep, String)>,
    /// Each action with its owner's login.
    actions: Vec<(ComplaintAction, String)>,
}

fn gather(db: &mut Db, complaint: Complaint) -> Outcome<Shown> {
    let now = crate::store::now();
    let calendar = sla::calendar(db).map_err(failed)?;
    let (response, resolution) = complaints::clocks(&calendar, &complaint, now);
    let history = complaints::history(db, complaint.id).map_err(failed)?;
    let actions = complaints::actions_of(db, complaint.id).map_err(failed)?;
    let logins = names::users(
        db,
        std::iter::once(complaint.expert_id)
            .chain(history.iter().map(|h| h.changed_by))
            .chain(actions.iter().map(|a| a.owner_id)),
    )
    .map_err(failed)?;
    let login = |id| logins.get(&id).cloned().unwrap_or_default();
    let customer = names::contacts(db, [complaint.contact_id])
        .map_err(failed)?
        .remove(&complaint.contact_id)
        .unwrap_or_default();
    let lists = names::lookups(
        db,
        [
            complaint.category_id,
            complaint.channel_id,
            complaint.root_cause_id,
        ]
        .into_iter()
        .flatten(),
    )
    .map_err(failed)?;
    let name = |id: Option<LookupId>| id.and_then(|id| lists.get(&id).cloned());
    let case = match complaint.case_id {
        Some(id) => Some(cases::get(db, id).map_err(failed)?.number),
        None => None,
    };
    Ok(Shown {
        customer,
        expert: login(complaint.expert_id),
        case,
        category: name(complaint.category_id),
        channel: name(complaint.channel_id),
        root_cause: name(complaint.root_cause_id),
        response,
        resolution,
        history: history
            .into_iter()
            .map(|h| {
                let by = login(h.changed_by);
                (h, by)
            })
            .collect(),
        actions: actions
            .into_iter()
            .map(|a| {
                let owner = login(a.owner_id);
                (a, owner)
            })
            .collect(),
        complaint,
    })
}

fn show(db: &mut Db, args: &ComplaintShowArgs) -> Outcome {
    let complaint = complaint(db, &args.number)?;
    let shown = gather(db, complaint)?;
    print_out(&match args.format {
        ShowFormat::Table => show_text(&shown),
        ShowFormat::Json => json(&show_json(&shown))?,
    });
    Ok(())
}

/// A due time and where its clock stands: `1405/09/10 14:00 (3h 20m left)`.
fn due_text(due: Option<NaiveDateTime>, clock: Option<Clock>) -> String {
    match due {
        Some(due) => format!("{} ({})", common::shown(due), clock_text(clock)),
        None => String::new(),
    }
}

fn show_text(s: &Shown) -> String {
    let c = &s.complaint;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = |label: String, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            rows.push(vec![label, value]);
        }
    };
    row(t!("complaints.col.number"), Some(c.number.clone()));
    row(t!("complaints.col.title"), Some(c.title.clone()));
    row(t!("complaints.col.customer"), Some(s.customer.clone()));
    row(t!("complaints.col.status"), Some(status_name(&c.status)));
    row(
        t!("complaints.col.severity"),
        Some(severity_name(&c.severity)),
    );
    row(t!("complaints.col.expert"), Some(s.expert.clone()));
    row(
        t!("complaints.col.received"),
        Some(common::shown(c.received_at)),
    );
    row(t!("cli.complaint-label-category"), s.category.clone());
    row(t!("cli.complaint-label-channel"), s.channel.clone());
    row(t!("cli.complaint-label-case"), s.case.clone());
    row(
        t!("cli.complaint-label-response-due"),
        Some(due_text(c.response_due_at, s.response)),
    );
    row(
        t!("cli.complaint-label-resolution-due"),
        Some(due_text(c.resolution_due_at, s.resolution)),
    );
    row(
        t!("cli.complaint-label-acknowledged"),
        c.acknowledged_at.map(common::shown),
    );
    row(
        t!("cli.complaint-label-closed"),
        c.closed_at.map(common::shown),
    );
    row(t!("cli.complaint-label-remedy"), c.remedy_requested.clone());
    row(t!("cli.complaint-label-root-cause"), s.root_cause.clone());
    row(t!("cli.complaint-label-resolution"), c.resolution.clone());
    row(
        t!("cli.complaint-label-satisfaction"),
        c.satisfaction.map(locale::number),
    );
    row(
        t!("cli.complaint-label-reopened"),
        (c.repeat_count > 0).then(|| locale::number(c.repeat_count)),
    );
    let mut widths = vec![0, 0];
    for r in &rows {
        common::widen(&mut widths, r);
    }
    let mut out: String = rows
        .iter()
        .map(|r| common::table_line(r, &widths, &[]))
        .collect();
    out.push_str(&format!("\n{}\n", t!("cli.complaint-label-description")));
    for line in c.description.lines() {
        out.push_str(&format!("  {}\n", crate::tui::text::clean(line)));
    }
    out.push_str(&format!("\n{}\n", t!("cli.complaint-timeline")));
    let steps: Vec<Vec<String>> = s
        .history
        .iter()
        .map(|(step, by)| {
            let moved = match &step.from_status {
                Some(from) => t!(
                    "cli.transitions-from",
                    from = status_name(from),
                    to = status_name(&step.to_status)
                ),
                None => status_name(&step.to_status),
            };
            vec![
                common::shown(step.changed_at),
                by.clone(),
                moved,
                step.note.clone().unwrap_or_default(),
            ]
        })
        .collect();
    out.push_str(&indented(&steps));
    out.push_str(&format!("\n{}\n", t!("cli.complaint-actions")));
    if s.actions.is_empty() {
        out.push_str(&format!("  {}\n", t!("cli.complaint-no-actions")));
    } else {
        let actions: Vec<Vec<String>> = s
            .actions
            .iter()
            .map(|(a, owner)| {
                vec![
                    locale::number(a.id),
                    kind_name(&a.kind),
                    owner.clone(),
                    t!("cli.complaint-action-due", date = locale::date(a.due_on)),
                    match a.done_at {
                        Some(at) => t!("cli.complaint-action-done-at", at = common::shown(at)),
                        None => t!("cli.complaint-action-open"),
                    },
                    a.description.clone(),
                ]
            })
            .collect();
        out.push_str(&indented(&actions));
    }
    out
}

/// Rows as aligned columns with no headings, each line indented by two spaces.
fn indented(rows: &[Vec<String>]) -> String {
    let mut widths = vec![0; rows.first().map_or(0, Vec::len)];
    for r in rows {
        common::widen(&mut widths, r);
    }
    rows.iter()
        .map(|r| format!("  {}", common::table_line(r, &widths, &[])))
        .collect()
}

fn show_json(s: &Shown) -> serde_json::Value {
    let c = &s.complaint;
    serde_json::json!({
        "id": c.id,
        "number": c.number,
        "title": c.title,
        "description": c.description,
        "customer_id": c.contact_id,
        "customer": s.customer,
        "case": s.case,
        "category_id": c.category_id,
        "category": s.category,
        "channel_id": c.channel_id,
        "channel": s.channel,
        "severity": c.severity,
        "status": c.status,
        "expert": s.expert,
        "received_at": common::iso_utc(c.received_at),
        "remedy_requested": c.remedy_requested,
        "root_cause_id": c.root_cause_id,
        "root_cause": s.root_cause,
        "resolution": c.resolution,
        "resolved_at": iso(c.resolved_at),
        "satisfaction": c.satisfaction,
        "acknowledged_at": iso(c.acknowledged_at),
        "response_due_at": iso(c.response_due_at),
        "resolution_due_at": iso(c.resolution_due_at),
        "closed_at": iso(c.closed_at),
        "repeat_count": c.repeat_count,
        "version": c.version,
        "response_sla": clock_json(s.response),
        "resolution_sla": clock_json(s.resolution),
        "history": s.history.iter().map(|(step, by)| serde_json::json!({
            "from": step.from_status,
            "to": step.to_status,
            "by": by,
            "at": common::iso_utc(step.changed_at),
            "note": step.note,
        })).collect::<Vec<_>>(),
        "actions": s.actions.iter().map(|(a, owner)| serde_json::json!({
            "id": a.id,
            "kind": a.kind,
            "description": a.description,
            "owner": owner,
            "due_on": a.due_on.format("%Y-%m-%d").to_string(),
            "done_at": iso(a.done_at),
            "version": a.version,
        })).collect::<Vec<_>>(),
    })
}

// ---------------------------------------------------------------------------------------------
// actions

fn add_action(db: &mut Db, actor: &Actor, args: &ActionAddArgs) -> Outcome {
    let complaint = complaint(db, &args.number)?;
    let kind = action_kind(&args.kind, "--kind")?;
    let owner = common::user(db, &args.owner, "--owner")?.id;
    let due = common::day(&args.due, "--due")?;
    let action =
        complaints::add_action(db, actor, complaint.id, kind, &args.description, owner, due)
            .map_err(failed)?;
    print_out(&format!(
        "{}\n",
        t!(
            "cli.complaint-action-added",
            id = locale::number(action.id),
            number = complaint.number,
            date = locale::date(action.due_on)
        )
    ));
    Ok(())
}

fn action_done(db: &mut Db, actor: &Actor, args: &ActionDoneArgs) -> Outcome {
    let complaint = complaint(db, &args.number)?;
    let typed = text::ascii_digits(args.action.trim());
    let wanted = typed.parse::<i64>().ok().map(ComplaintActionId);
    let Some(action) = complaints::actions_of(db, complaint.id)
        .map_err(failed)?
        .into_iter()
        .find(|a| Some(a.id) == wanted)
    else {
        return Err(refused(t!(
            "cli.complaint-no-such-action",
            id = args.action.trim(),
            number = complaint.number
        )));
    };
    let message = if action.done_at.is_some() {
        t!(
            "cli.complaint-action-was-done",
            id = locale::number(action.id),
            number = complaint.number
        )
    } else {
        complaints::complete_action(db, actor, action.id, action.version).map_err(failed)?;
        t!(
            "cli.complaint-action-now-done",
            id = locale::number(action.id),
            number = complaint.number
        )
    };
    print_out(&format!("{message}\n"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_read_by_code_and_name_in_either_language() {
        assert_eq!(
            parse_status("action_taken"),
            Some(ComplaintStatus::ActionTaken)
        );
        assert_eq!(
            parse_status("Action taken"),
            Some(ComplaintStatus::ActionTaken)
        );
        assert_eq!(
            parse_status("resolution-proposed"),
            Some(ComplaintStatus::ResolutionProposed)
        );
        assert_eq!(
            parse_status("proposed"),
            Some(ComplaintStatus::ResolutionProposed)
        );
        assert_eq!(
            parse_status("در حال بررسی"),
            Some(ComplaintStatus::Investigating)
        );
        assert_eq!(parse_status("بسته‌شده"), Some(ComplaintStatus::Closed));
        assert_eq!(parse_status("bliss"), None);
    }

    #[test]
    fn working_time_is_hours_and_minutes() {
        crate::i18n::with_lang(crate::i18n::Lang::En, || {
            locale::with(locale::Calendar::Gregorian, locale::Digits::Latin, || {
                assert_eq!(working_time(125), "2h 05m");
                assert_eq!(
                    clock_text(Some(Clock::Over { minutes_over: 60 })),
                    "1h 00m over"
                );
            });
        });
    }
}
