//! `peygir followup add`: logs a follow-up on a case, for telephony systems and scripts, with
//! the case's new status and the next action in the same transaction.
//!
//! ```text
//! peygir followup add --case 1405-00042 --kind phone --minutes 4 --text "Asked for a quote" \
//!     --next-kind send-quote --next-text "Send the quote" --next-due "tomorrow 10:30"
//! ```

use chrono::NaiveTime;
use clap::{Args, Subcommand};

use super::common::{Outcome, ResultFormat, entry, failed, print_out, refused};
use crate::db::Db;
use crate::db::ids::PlannedActionId;
use crate::store::Actor;
use crate::store::cases::{self, ClosingInfo};
use crate::store::followups::{self, FollowUpInput, NextAction, Subject};
use crate::store::lookups::List;
use crate::t;

#[derive(Debug, Subcommand)]
pub enum FollowupCommand {
    /// Log a follow-up on a case, with the case's new status and the next action; prints the
    /// follow-up's id and when the next action is due
    Add(FollowupAddArgs),
}

#[derive(Debug, Clone, Args)]
pub struct FollowupAddArgs {
    /// The case, by number (1405-00042)
    #[arg(long, value_name = "NUMBER")]
    pub case: String,
    /// The kind: a code or name of the follow-up kind list (phone, email, fax, social, …)
    #[arg(long)]
    pub kind: String,
    /// The minutes it took
    #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
    pub minutes: i32,
    /// What was said or done
    #[arg(long)]
    pub text: String,
    /// When it happened (now, 10:30, yesterday 16:00, -2h, 1405/09/08 11:00) [default: now]
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// Who followed up [default: you]
    #[arg(long, value_name = "LOGIN")]
    pub expert: Option<String>,
    /// The case's status after it (code or name), by the allowed transitions
    #[arg(long)]
    pub status: Option<String>,
    /// For a won status: the amount won, in the currency's smallest unit
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub won_amount: Option<i64>,
    /// For a won status: the day it was won [default: today]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub won_on: Option<String>,
    /// For a lost or cancelled status: the reason (code or name of its list)
    #[arg(long, value_name = "REASON")]
    pub close_reason: Option<String>,
    /// For a closing status: a note
    #[arg(long, value_name = "TEXT")]
    pub close_note: Option<String>,
    /// The next action's kind (code or name of the action kind list)
    #[arg(long, value_name = "KIND")]
    pub next_kind: Option<String>,
    /// What the next action is to do
    #[arg(long, value_name = "TEXT")]
    pub next_text: Option<String>,
    /// When the next action is due (tomorrow 10:30, +2d, 1405/09/10 14:00, 2026-12-01); a day
    /// alone is at 09:00
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
    pub next_due: Option<String>,
    /// Who is to do the next action [default: you]
    #[arg(long, value_name = "LOGIN")]
    pub next_to: Option<String>,
    /// The minutes the next action will take
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        allow_hyphen_values = true
    )]
    pub next_minutes: i32,
    /// The open planned action of the case this follow-up carried out: it is closed as done
    #[arg(long, value_name = "ACTION_ID")]
    pub completes: Option<PlannedActionId>,
    /// text or json
    #[arg(long, value_enum, default_value_t = ResultFormat::Text)]
    pub format: ResultFormat,
}

/// When a next action due on a day without a time is due.
const DEFAULT_DUE_TIME: NaiveTime = match NaiveTime::from_hms_opt(9, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

pub fn run(db: &mut Db, actor: &Actor, command: &FollowupCommand) -> Outcome {
    match command {
        FollowupCommand::Add(args) => add(db, actor, args),
    }
}

/// The next action the options describe: none when no `--next-…` option is given; all of
/// kind, text and due when any is.
fn next_action(db: &mut Db, actor: &Actor, args: &FollowupAddArgs) -> Outcome<Option<NextAction>> {
    let given = args.next_kind.is_some()
        || args.next_text.is_some()
        || args.next_due.is_some()
        || args.next_to.is_some();
    if !given {
        return Ok(None);
    }
    let missing: Vec<&str> = [
        ("--next-kind", args.next_kind.is_none()),
        ("--next-text", args.next_text.is_none()),
        ("--next-due", args.next_due.is_none()),
    ]
    .into_iter()
    .filter_map(|(flag, absent)| absent.then_some(flag))
    .collect();
    if !missing.is_empty() {
        return Err(refused(t!(
            "cli.next-incomplete",
            missing = missing.join(", ")
        )));
    }
    let (Some(kind), Some(text), Some(due)) = (&args.next_kind, &args.next_text, &args.next_due)
    else {
        return Ok(None);
    };
    let assignee_id = match &args.next_to {
        Some(login) => super::common::user(db, login, "--next-to")?.id,
        None => actor.id,
    };
    Ok(Some(NextAction {
        kind_id: entry(db, List::ActionKind, kind, "--next-kind")?,
        description: text.clone(),
        assignee_id,
        due_at: super::common::when(due, "--next-due", DEFAULT_DUE_TIME)?,
        estimated_minutes: args.next_minutes,
    }))
}

fn add(db: &mut Db, actor: &Actor, args: &FollowupAddArgs) -> Outcome {
    let Some(case) = cases::by_number(db, &args.case).map_err(failed)? else {
        return Err(refused(t!("cli.no-case", number = args.case)));
    };
    let kind_id = entry(db, List::FollowupKind, &args.kind, "--kind")?;
    let expert_id = match &args.expert {
        Some(login) => super::common::user(db, login, "--expert")?.id,
        None => actor.id,
    };
    let now = crate::store::now();
    let happened_at = match &args.at {
        Some(at) => super::common::when(at, "--at", NaiveTime::MIN)?,
        None => now,
    };
    let status = args
        .status
        .as_deref()
        .map(|s| super::common::case_status(db, s, "--status"))
        .transpose()?;
    let closing = ClosingInfo {
        won_amount: args.won_amount,
        won_on: match &args.won_on {
            Some(day) => Some(super::common::day(day, "--won-on")?),
            None => status
                .as_ref()
                .filter(|s| s.outcome() == crate::store::statuses::Outcome::Won)
                .map(|_| super::common::to_local(now).date()),
        },
        close_reason_id: args
            .close_reason
            .as_deref()
            .map(|r| entry(db, List::CloseReason, r, "--close-reason"))
            .transpose()?,
        close_note: args.close_note.clone(),
    };
    let next = next_action(db, actor, args)?;
    let completes = match args.completes {
        Some(id) => Some((
            id,
            crate::store::planned::get(db, id).map_err(failed)?.version,
        )),
        None => None,
    };
    let input = FollowUpInput {
        subject: Subject::Case(case.id),
        subject_version: None,
        kind_id,
        happened_at,
        expert_id,
        minutes: args.minutes,
        description: args.text.clone(),
        status_after_id: status.as_ref().map(|s| s.id),
        closing,
        next,
        completes,
    };
    let warnings = followups::warnings(&input, now);
    let recorded = followups::record(db, actor, input).map_err(failed)?;
    for warning in &warnings {
        super::common::warn(&warning.to_string());
    }
    let case = recorded.case.as_ref().unwrap_or(&case);
    let status_name = crate::store::statuses::get(db, case.status_id)
        .map_err(failed)?
        .name;
    let assignee = match &recorded.next_action {
        Some(a) => Some(
            crate::store::users::get(db, a.assignee_id)
                .map_err(failed)?
                .login,
        ),
        None => None,
    };
    let text = match args.format {
        super::common::ResultFormat::Text => {
            let mut out = format!(
                "{}\n",
                t!(
                    "cli.followup-recorded",
                    id = recorded.followup.id,
                    number = case.number
                )
            );
            if recorded.status_changed {
                out.push_str(&format!(
                    "{}\n",
                    t!(
                        "cli.case-status-now",
                        number = case.number,
                        status = status_name
                    )
                ));
            }
            if let Some(done) = &recorded.completed {
                out.push_str(&format!("{}\n", t!("cli.action-completed", id = done.id)));
            }
            if let Some(next) = &recorded.next_action {
                out.push_str(&format!(
                    "{}\n",
                    t!(
                        "cli.next-planned",
                        id = next.id,
                        due = super::common::shown(next.due_at),
                        login = assignee.clone().unwrap_or_default()
                    )
                ));
            }
            out
        }
        super::common::ResultFormat::Json => {
            let value = serde_json::json!({
                "followup_id": recorded.followup.id,
                "case": case.number,
                "status": status_name,
                "status_changed": recorded.status_changed,
                "completed_action_id": recorded.completed.as_ref().map(|a| a.id),
                "next_action_id": recorded.next_action.as_ref().map(|a| a.id),
                "next_due": recorded.next_action.as_ref().map(|a| super::common::iso_utc(a.due_at)),
                "next_to": assignee,
                "warnings": warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
            });
            format!("{value}\n")
        }
    };
    print_out(&text);
    Ok(())
}
