//! `peygir lookup …`: the reference lists (marketing channels, follow-up and action kinds,
//! company types, fields of activity, product groups, regions, complaint categories, close
//! reasons, root causes, complaint channels). Anyone may list them; adding, renaming, moving,
//! disabling and enabling an entry is an admin's work (and audited by the store).
//!
//! A list is named in kebab-case (`product-group`, `region`); an entry by its code or its id.

use clap::{ArgGroup, Subcommand, ValueEnum};

use super::common::{Outcome, failed, print_out, refused};
use crate::db::Db;
use crate::store::lookups::{self, List, Lookup};
use crate::store::{Actor, Role};
use crate::t;

/// How a list is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum LookupCommand {
    /// The reference lists: their names on the command line and whether they are trees
    Lists {
        /// table or json
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// A list's entries in order, those under another indented beneath it
    List {
        /// The list: marketing-channel, followup-kind, action-kind, company-type, activity-field, product-group, region, complaint-category, close-reason, root-cause or complaint-channel
        list: String,
        /// The inactive entries too
        #[arg(long)]
        all: bool,
        /// table or json
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Add an entry to a list, after its last sibling (admin)
    Add {
        /// The list (product-group, region, …)
        list: String,
        /// Its name as people read it
        name: String,
        /// The entry it stands under (product-group, region and complaint-category only): code or id
        #[arg(long, value_name = "CODE|ID")]
        parent: Option<String>,
        /// The stable code scripts name it by [default: made from the name]
        #[arg(long)]
        code: Option<String>,
    },
    /// Rename an entry (admin); its code stays
    Rename {
        /// The list (product-group, region, …)
        list: String,
        /// The entry: code or id
        code: String,
        /// The new name
        name: String,
    },
    /// Move an entry, with what is under it, under another entry or to the top (admin)
    #[command(group(ArgGroup::new("to").required(true).args(["parent", "top"])))]
    Move {
        /// The list (product-group, region or complaint-category)
        list: String,
        /// The entry: code or id
        code: String,
        /// The entry to move it under: code or id
        #[arg(long, value_name = "CODE|ID")]
        parent: Option<String>,
        /// Move it to the top of the list
        #[arg(long)]
        top: bool,
    },
    /// Stop offering an entry for new records; those that have it keep it (admin)
    Disable {
        /// The list (product-group, region, …)
        list: String,
        /// The entry: code or id
        code: String,
    },
    /// Offer a disabled entry again (admin)
    Enable {
        /// The list (product-group, region, …)
        list: String,
        /// The entry: code or id
        code: String,
    },
}

pub fn run(db: &mut Db, actor: &Actor, command: &LookupCommand) -> Outcome {
    match command {
        LookupCommand::Lists { format } => lists(db, *format),
        LookupCommand::List { list, all, format } => show(db, parse_list(list)?, *all, *format),
        LookupCommand::Add {
            list,
            name,
            parent,
            code,
        } => {
            let list = parse_list(list)?;
            admin_only(actor)?;
            let parent = match parent {
                Some(typed) => Some(entry(db, list, typed)?.id),
                None => None,
            };
            let added =
                lookups::add(db, actor, list, parent, name, code.as_deref()).map_err(failed)?;
            let text = match parent_name(db, &added)? {
                Some(parent) => t!(
                    "cli.lookup-added-under",
                    name = added.name,
                    code = added.code,
                    parent = parent
                ),
                None => t!(
                    "cli.lookup-added",
                    name = added.name,
                    code = added.code,
                    list = list.name()
                ),
            };
            print_out(&format!("{text}\n"));
            Ok(())
        }
        LookupCommand::Rename { list, code, name } => {
            let list = parse_list(list)?;
            admin_only(actor)?;
            let old = entry(db, list, code)?;
            let new = lookups::rename(db, actor, old.id, old.version, name).map_err(failed)?;
            print_out(&format!(
                "{}\n",
                t!(
                    "cli.lookup-renamed",
                    old = old.name,
                    name = new.name,
                    code = new.code
                )
            ));
            Ok(())
        }
        LookupCommand::Move {
            list,
            code,
            parent,
            top: _,
        } => {
            let list = parse_list(list)?;
            admin_only(actor)?;
            let old = entry(db, list, code)?;
            let parent = match parent {
                Some(typed) => Some(entry(db, list, typed)?.id),
                None => None,
            };
            let new = lookups::move_to(db, actor, old.id, old.version, parent).map_err(failed)?;
            let text = match parent_name(db, &new)? {
                Some(parent) => t!("cli.lookup-moved-under", name = new.name, parent = parent),
                None => t!("cli.lookup-moved-top", name = new.name, list = list.name()),
            };
            print_out(&format!("{text}\n"));
            Ok(())
        }
        LookupCommand::Disable { list, code } => set_active(db, actor, list, code, false),
        LookupCommand::Enable { list, code } => set_active(db, actor, list, code, true),
    }
}

/// Refuses the work unless the actor is an admin, before anything is read.
fn admin_only(actor: &Actor) -> Outcome {
    actor
        .require(Role::Admin, &t!("forbidden.edit-lookups"))
        .map_err(failed)
}

/// The list named `typed` on the command line, or a refusal naming the lists there are.
fn parse_list(typed: &str) -> Outcome<List> {
    List::parse_cli(typed).ok_or_else(|| {
        let names: Vec<&str> = List::ALL.iter().map(|l| l.cli_name()).collect();
        refused(t!("cli.no-list", value = typed, choices = names.join(", ")))
    })
}

/// The entry of `list` whose code or id is `typed`, active or not.
fn entry(db: &mut Db, list: List, typed: &str) -> Outcome<Lookup> {
    lookups::find(db, list, typed)
        .map_err(failed)?
        .ok_or_else(|| refused(t!("cli.no-lookup", list = list.cli_name(), value = typed)))
}

/// The name of the entry `entry` stands under, if any.
fn parent_name(db: &mut Db, entry: &Lookup) -> Outcome<Option<String>> {
    match entry.parent_id {
        Some(id) => Ok(Some(lookups::get(db, id).map_err(failed)?.name)),
        None => Ok(None),
    }
}

fn set_active(db: &mut Db, actor: &Actor, list: &str, code: &str, active: bool) -> Outcome {
    let list = parse_list(list)?;
    admin_only(actor)?;
    let old = entry(db, list, code)?;
    let new = lookups::set_active(db, actor, old.id, old.version, active).map_err(failed)?;
    let key = match (active, old.active == new.active) {
        (false, false) => t!("cli.lookup-disabled", name = new.name, code = new.code),
        (false, true) => t!("cli.lookup-was-disabled", name = new.name, code = new.code),
        (true, false) => t!("cli.lookup-enabled", name = new.name, code = new.code),
        (true, true) => t!("cli.lookup-was-enabled", name = new.name, code = new.code),
    };
    print_out(&format!("{key}\n"));
    Ok(())
}

fn json(value: &serde_json::Value) -> Outcome<String> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| refused(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

fn yes_no(value: bool) -> String {
    if value {
        t!("lookup.yes")
    } else {
        t!("lookup.no")
    }
}

fn lists(db: &mut Db, format: Format) -> Outcome {
    let mut rows = Vec::with_capacity(List::ALL.len());
    for list in List::ALL {
        let entries = lookups::items_all(db, list).map_err(failed)?;
        let active = entries.iter().filter(|e| e.active).count();
        rows.push((list, active, entries.len()));
    }
    let text = match format {
        Format::Table => {
            let headers = [
                t!("lookup.col.list"),
                t!("lookup.col.name"),
                t!("lookup.col.shape"),
                t!("lookup.col.entries"),
            ];
            let rows: Vec<Vec<String>> = rows
                .iter()
                .map(|(list, active, all)| {
                    vec![
                        list.cli_name().to_string(),
                        list.name(),
                        if list.is_tree() {
                            t!("lookup.shape.tree")
                        } else {
                            t!("lookup.shape.flat")
                        },
                        entries_count(*active, *all),
                    ]
                })
                .collect();
            super::common::table(&headers, &rows, &[])
        }
        Format::Json => json(&serde_json::Value::Array(
            rows.iter()
                .map(|(list, active, all)| {
                    serde_json::json!({
                        "list": list.cli_name(),
                        "name": list.name(),
                        "tree": list.is_tree(),
                        "active": active,
                        "entries": all,
                    })
                })
                .collect(),
        ))?,
    };
    print_out(&text);
    Ok(())
}

/// `12`, or `12 (3 inactive)`.
fn entries_count(active: usize, all: usize) -> String {
    let active_text = crate::domain::locale::number(active);
    if active == all {
        active_text
    } else {
        t!(
            "lookup.count-inactive",
            count = active_text,
            inactive = crate::domain::locale::number(all - active)
        )
    }
}

fn show(db: &mut Db, list: List, all: bool, format: Format) -> Outcome {
    let entries = lookups::items_all(db, list).map_err(failed)?;
    // A parent is named by its code even when it is inactive and not listed.
    let codes: std::collections::HashMap<_, _> =
        entries.iter().map(|e| (e.id, e.code.clone())).collect();
    let shown: Vec<Lookup> = entries.into_iter().filter(|e| all || e.active).collect();
    let tree = lookups::depth_first(shown);
    let text = match format {
        Format::Table => {
            let headers = [
                t!("lookup.col.code"),
                t!("lookup.col.name"),
                t!("lookup.col.active"),
            ];
            let rows: Vec<Vec<String>> = tree
                .iter()
                .map(|(depth, e)| {
                    vec![
                        format!("{}{}", "  ".repeat(*depth), e.code),
                        e.name.clone(),
                        yes_no(e.active),
                    ]
                })
                .collect();
            if rows.is_empty() {
                format!("{}\n", t!("lookup.empty", list = list.name()))
            } else {
                super::common::table(&headers, &rows, &[])
            }
        }
        Format::Json => json(&serde_json::Value::Array(
            tree.iter()
                .map(|(depth, e)| {
                    serde_json::json!({
                        "id": e.id,
                        "code": e.code,
                        "name": e.name,
                        "parent": e.parent_id.and_then(|p| codes.get(&p)),
                        "depth": depth,
                        "active": e.active,
                    })
                })
                .collect(),
        ))?,
    };
    print_out(&text);
    Ok(())
}
