//! `peygir status …`: the case statuses and the transitions allowed between them. Anyone may
//! list them; changing them is an admin's work (and audited).

use clap::{Subcommand, ValueEnum};

use super::common::{Outcome, failed, print_out};
use crate::db::Db;
use crate::store::Actor;

use crate::store::statuses::{self, NewStatus, Outcome as StatusOutcome};
use crate::t;

#[derive(Debug, Subcommand)]
pub enum StatusCommand {
    /// The case statuses in funnel order, with where each may move to
    List,
    /// Add a case status (admin)
    Add {
        /// Its name as people read it
        name: String,
        /// What it means for a case: open, or closed as won, lost or cancelled
        #[arg(long, value_enum)]
        outcome: OutcomeArg,
        /// New cases start in it (instead of the status that was initial)
        #[arg(long)]
        initial: bool,
        /// The stable code scripts name it by [default: made from the name]
        #[arg(long)]
        code: Option<String>,
    },
    /// Rename a case status (admin); its code stays
    Rename {
        /// The status: its code or name
        status: String,
        /// The new name
        name: String,
    },
    /// Allow cases to move from one status to another (admin)
    Allow {
        /// The status a case leaves: code or name
        from: String,
        /// The status it moves to: code or name
        to: String,
    },
    /// Stop cases moving from one status to another (admin)
    Forbid {
        /// The status a case leaves: code or name
        from: String,
        /// The status it would move to: code or name
        to: String,
    },
    /// The allowed transitions, one status a line
    Transitions,
}

/// A status's outcome on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutcomeArg {
    Open,
    Won,
    Lost,
    Cancelled,
}

impl From<OutcomeArg> for StatusOutcome {
    fn from(arg: OutcomeArg) -> Self {
        match arg {
            OutcomeArg::Open => StatusOutcome::Open,
            OutcomeArg::Won => StatusOutcome::Won,
            OutcomeArg::Lost => StatusOutcome::Lost,
            OutcomeArg::Cancelled => StatusOutcome::Cancelled,
        }
    }
}

pub fn run(db: &mut Db, actor: &Actor, command: &StatusCommand) -> Outcome {
    match command {
        StatusCommand::List => list(db),
        StatusCommand::Transitions => transitions(db),
        StatusCommand::Add {
            name,
            outcome,
            initial,
            code,
        } => {
            let status = statuses::add(
                db,
                actor,
                NewStatus {
                    name: name.clone(),
                    code: code.clone(),
                    outcome: (*outcome).into(),
                    initial: *initial,
                },
            )
            .map_err(failed)?;
            print_out(&format!(
                "{}\n",
                t!("cli.status-added", name = status.name, code = status.code)
            ));
            Ok(())
        }
        StatusCommand::Rename { status, name } => {
            let old = super::common::case_status(db, status, "STATUS")?;
            let new = statuses::rename(db, actor, old.id, old.version, name).map_err(failed)?;
            print_out(&format!(
                "{}\n",
                t!("cli.status-renamed", old = old.name, name = new.name)
            ));
            Ok(())
        }
        StatusCommand::Allow { from, to } => {
            let from = super::common::case_status(db, from, "FROM")?;
            let to = super::common::case_status(db, to, "TO")?;
            let added = statuses::allow(db, actor, from.id, to.id).map_err(failed)?;
            let key = if added {
                t!("cli.transition-allowed", from = from.name, to = to.name)
            } else {
                t!("cli.transition-was-allowed", from = from.name, to = to.name)
            };
            print_out(&format!("{key}\n"));
            Ok(())
        }
        StatusCommand::Forbid { from, to } => {
            let from = super::common::case_status(db, from, "FROM")?;
            let to = super::common::case_status(db, to, "TO")?;
            let removed = statuses::forbid(db, actor, from.id, to.id).map_err(failed)?;
            let key = if removed {
                t!("cli.transition-forbidden", from = from.name, to = to.name)
            } else {
                t!(
                    "cli.transition-was-forbidden",
                    from = from.name,
                    to = to.name
                )
            };
            print_out(&format!("{key}\n"));
            Ok(())
        }
    }
}

fn outcome_word(outcome: StatusOutcome) -> String {
    match outcome {
        StatusOutcome::Open => t!("status.outcome.open"),
        StatusOutcome::Won => t!("status.outcome.won"),
        StatusOutcome::Lost => t!("status.outcome.lost"),
        StatusOutcome::Cancelled => t!("status.outcome.cancelled"),
    }
}

fn list(db: &mut Db) -> Outcome {
    let statuses = statuses::all(db).map_err(failed)?;
    let mut rows = Vec::with_capacity(statuses.len());
    for s in &statuses {
        let to: Vec<String> = statuses::allowed_from(db, s.id)
            .map_err(failed)?
            .into_iter()
            .map(|t| t.code)
            .collect();
        let mut marks = Vec::new();
        if s.is_initial {
            marks.push(t!("status.mark.initial"));
        }
        if !s.active {
            marks.push(t!("status.mark.inactive"));
        }
        rows.push(vec![
            s.code.clone(),
            s.name.clone(),
            outcome_word(s.outcome()),
            marks.join(", "),
            to.join(", "),
        ]);
    }
    let headers = [
        t!("status.col.code"),
        t!("status.col.name"),
        t!("status.col.outcome"),
        t!("status.col.marks"),
        t!("status.col.to"),
    ];
    print_out(&super::common::table(&headers, &rows, &[]));
    Ok(())
}

fn transitions(db: &mut Db) -> Outcome {
    let statuses = statuses::all(db).map_err(failed)?;
    let mut out = String::new();
    for s in &statuses {
        let to: Vec<String> = statuses::allowed_from(db, s.id)
            .map_err(failed)?
            .into_iter()
            .map(|t| t.name)
            .collect();
        let to = if to.is_empty() {
            t!("status.none")
        } else {
            to.join(", ")
        };
        out.push_str(&format!(
            "{}\n",
            t!("cli.transitions-from", from = s.name, to = to)
        ));
    }
    print_out(&out);
    Ok(())
}
