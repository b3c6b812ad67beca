//! `peygir audit`: the audit log, newest first, narrowed by entity, row, user and time; one line
//! a change for people (when in their calendar, who, what, and the fields it changed), or JSON
//! with the full values before and after for scripts. Managers and admins read it; an agent is
//! refused.

use std::collections::HashMap;

use chrono::NaiveTime;
use clap::{Args, ValueEnum};

use super::common::{self, Outcome, failed, print_out, refused};
use crate::db::Db;
use crate::db::ids::UserId;
use crate::store::audit::{self, AuditAction, AuditEntry, AuditFilter};
use crate::store::{Actor, Role};
use crate::t;
use crate::tui::forms::history::{action_word, change_line};

/// How the log is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// A line a change, for people
    #[default]
    Table,
    /// An array of objects with the full values before and after, UTC times and logins
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// Only changes of this entity (case, contact, complaint, …)
    #[arg(long)]
    pub entity: Option<String>,
    /// Only changes of the row with this id (with --entity)
    #[arg(long, value_name = "ID", allow_hyphen_values = true)]
    pub id: Option<i64>,
    /// Only changes this user made (`--user` is whom Peygir acts as)
    #[arg(long, value_name = "LOGIN")]
    pub by: Option<String>,
    /// Only changes made on this day or later (a date, or a date and time, in your calendar)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// At most this many changes, the newest
    #[arg(long, value_name = "N", default_value_t = audit::DEFAULT_LIMIT as u32,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
    /// table or json
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// How many entries one read of the log takes; a longer listing reads page after page.
const PAGE: u32 = 500;

/// The cells a value before or after a change keeps on a line of the table.
const VALUE_CELLS: usize = 30;

/// Runs `peygir audit`.
pub fn run(db: &mut Db, actor: &Actor, args: &AuditArgs) -> Outcome {
    actor
        .require(Role::Manager, &t!("forbidden.read-audit"))
        .map_err(failed)?;
    let filter = filter(db, args)?;
    match args.format {
        Format::Table => {
            let headers = [
                t!("audit.col.when"),
                t!("audit.col.who"),
                t!("audit.col.action"),
                t!("audit.col.entity"),
                t!("audit.col.id"),
                t!("audit.col.changes"),
            ];
            // The widths over every line first, then the lines: a page in memory at a time.
            let mut widths = common::column_widths(&headers);
            let mut count = 0;
            pages(db, &filter, args.limit, |rows| {
                count += rows.len();
                for row in rows {
                    common::widen(&mut widths, row);
                }
            })?;
            if count == 0 {
                print_out(&format!("{}\n", t!("audit.none")));
                return Ok(());
            }
            print_out(&common::table_line(&headers, &widths, &[4]));
            pages(db, &filter, args.limit, |rows| {
                let lines: String = rows
                    .iter()
                    .map(|row| common::table_line(row, &widths, &[4]))
                    .collect();
                print_out(&lines);
            })
        }
        Format::Json => {
            // An array written an entry at a time.
            let mut first = true;
            let mut failure = None;
            each_page(db, &filter, args.limit, |entries, people| {
                let mut text = String::new();
                for entry in entries {
                    match serde_json::to_string_pretty(&as_json(entry, people)) {
                        Ok(object) => {
                            text.push_str(if first { "[\n  " } else { ",\n  " });
                            text.push_str(&object.replace('\n', "\n  "));
                            first = false;
                        }
                        Err(e) => failure = Some(e.to_string()),
                    }
                }
                print_out(&text);
            })?;
            if let Some(e) = failure {
                return Err(refused(e));
            }
            print_out(if first { "[]\n" } else { "\n]\n" });
            Ok(())
        }
    }
}

/// The filter the options ask for, each checked: an entity the store audits, a user on file, a
/// date that exists.
fn filter(db: &mut Db, args: &AuditArgs) -> Outcome<AuditFilter> {
    let entity = match &args.entity {
        Some(typed) => {
            let name = typed.trim().to_lowercase();
            let known: Vec<&str> = entities().collect();
            if !known.contains(&name.as_str()) {
                return Err(refused(t!(
                    "cli.no-entry",
                    flag = "--entity",
                    value = typed,
                    choices = known.join(", ")
                )));
            }
            Some(name)
        }
        None => None,
    };
    if args.id.is_some() && entity.is_none() {
        return Err(refused(t!("audit.id-needs-entity")));
    }
    let user = match &args.by {
        Some(login) => Some(common::user(db, login, "--by")?.id),
        None => None,
    };
    let since = match &args.since {
        Some(typed) => Some(common::when(typed, "--since", NaiveTime::MIN)?),
        None => None,
    };
    Ok(AuditFilter {
        entity,
        entity_id: args.id,
        user,
        since,
        before: None,
        limit: i64::from(PAGE.min(args.limit)),
    })
}

/// Every entity name the audit log may hold: the store's, and the demo's loading of sample data.
fn entities() -> impl Iterator<Item = &'static str> {
    audit::ENTITIES
        .iter()
        .copied()
        .chain(std::iter::once(crate::demo::ENTITY))
}

/// Reads the log `filter` lets through, up to `limit` entries, a page at a time (each page
/// after the last one's id), handing each page and its authors to `work`.
fn each_page(
    db: &mut Db,
    filter: &AuditFilter,
    limit: u32,
    mut work: impl FnMut(&[AuditEntry], &HashMap<UserId, (String, String)>),
) -> Outcome {
    let mut filter = filter.clone();
    let mut left = i64::from(limit);
    while left > 0 {
        filter.limit = filter.limit.min(left);
        let entries = audit::search(db, &filter).map_err(failed)?;
        let people = audit::authors(db, &entries).map_err(failed)?;
        work(&entries, &people);
        let read = i64::try_from(entries.len()).unwrap_or(i64::MAX);
        match entries.last() {
            Some(last) if read == filter.limit => {
                filter.before = Some(last.id);
                left -= read;
            }
            _ => break,
        }
    }
    Ok(())
}

/// [`each_page`] with each entry as a line of the table.
fn pages(
    db: &mut Db,
    filter: &AuditFilter,
    limit: u32,
    mut work: impl FnMut(&[Vec<String>]),
) -> Outcome {
    each_page(db, filter, limit, |entries, people| {
        let rows: Vec<Vec<String>> = entries.iter().map(|e| as_row(e, people)).collect();
        work(&rows);
    })
}

/// The login of the user who made `entry`, if it names one.
fn login<'a>(entry: &AuditEntry, people: &'a HashMap<UserId, (String, String)>) -> Option<&'a str> {
    entry
        .user_id
        .and_then(|id| people.get(&id))
        .map(|(login, _)| login.as_str())
}

/// An entry as a line of the table.
fn as_row(entry: &AuditEntry, people: &HashMap<UserId, (String, String)>) -> Vec<String> {
    let action = AuditAction::parse(&entry.action);
    let changes: Vec<String> = audit::changes(entry)
        .iter()
        .map(|change| change_line(action, change, VALUE_CELLS))
        .collect();
    vec![
        common::shown(entry.at),
        login(entry, people).unwrap_or_default().to_string(),
        action_word(&entry.action),
        entry.entity.clone(),
        entry.entity_id.to_string(),
        changes.join("; "),
    ]
}

/// An entry for scripts: stable keys, the UTC time, the login, the full values before and after.
fn as_json(entry: &AuditEntry, people: &HashMap<UserId, (String, String)>) -> serde_json::Value {
    let values = |json: &Option<String>| {
        json.as_deref()
            .map(|text| serde_json::from_str(text).unwrap_or_else(|_| text.into()))
            .unwrap_or(serde_json::Value::Null)
    };
    serde_json::json!({
        "id": entry.id,
        "at": common::iso_utc(entry.at),
        "user": login(entry, people),
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "old": values(&entry.old_values),
        "new": values(&entry.new_values),
        "changes": audit::changes(entry),
    })
}
