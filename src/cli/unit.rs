//! `peygir unit …`: the organisational units, the tree of teams and branches users belong to
//! (a manager works for their unit and the units below it). Anyone may list them; adding,
//! renaming and moving one is an admin's work, checked and audited by the store. A unit is
//! named by its own name or its path (`Head office / Tehran sales`).

use clap::{ArgGroup, Subcommand};

use super::common::{self, Outcome, failed, print_out, refused};
use super::lookup::Format;
use crate::db::Db;
use crate::store::{Actor, org_units};
use crate::t;

#[derive(Debug, Subcommand)]
pub enum UnitCommand {
    /// The units, each with the units above it
    List {
        /// table or json
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Add a unit, at the top or under another (admin)
    Add {
        /// The unit's name
        name: String,
        /// The unit it belongs to, by name or path [default: none, a unit at the top]
        #[arg(long)]
        parent: Option<String>,
    },
    /// Give a unit another name (admin)
    Rename {
        /// The unit, by name or path
        unit: String,
        /// Its new name
        name: String,
    },
    /// Put a unit under another, or at the top (admin)
    #[command(group(ArgGroup::new("to").required(true).args(["parent", "top"])))]
    Move {
        /// The unit, by name or path
        unit: String,
        /// The unit it is to belong to, by name or path
        #[arg(long)]
        parent: Option<String>,
        /// Put it at the top
        #[arg(long)]
        top: bool,
    },
}

pub fn run(db: &mut Db, actor: &Actor, command: &UnitCommand) -> Outcome {
    match command {
        UnitCommand::List { format } => list(db, *format),
        UnitCommand::Add { name, parent } => {
            let parent = parent
                .as_deref()
                .map(|p| common::unit(db, p, "--parent"))
                .transpose()?;
            let unit = org_units::add(db, actor, parent, name).map_err(failed)?;
            print_out(&format!(
                "{}\n",
                t!("cli.unit.added", unit = path_of(db, unit.id)?)
            ));
            Ok(())
        }
        UnitCommand::Rename { unit, name } => {
            let id = common::unit(db, unit, "UNIT")?;
            let old = org_units::get(db, id).map_err(failed)?;
            org_units::change(db, actor, id, old.version, old.parent_id, name).map_err(failed)?;
            print_out(&format!(
                "{}\n",
                t!("cli.unit.saved", unit = path_of(db, id)?)
            ));
            Ok(())
        }
        UnitCommand::Move { unit, parent, .. } => {
            let id = common::unit(db, unit, "UNIT")?;
            let parent = parent
                .as_deref()
                .map(|p| common::unit(db, p, "--parent"))
                .transpose()?;
            let old = org_units::get(db, id).map_err(failed)?;
            org_units::change(db, actor, id, old.version, parent, &old.name).map_err(failed)?;
            print_out(&format!(
                "{}\n",
                t!("cli.unit.saved", unit = path_of(db, id)?)
            ));
            Ok(())
        }
    }
}

/// The unit's path, `Head office / Tehran sales`.
fn path_of(db: &mut Db, id: crate::db::ids::OrgUnitId) -> Outcome<String> {
    Ok(org_units::all(db)
        .map_err(failed)?
        .into_iter()
        .find(|(unit, _)| *unit == id)
        .map(|(_, path)| path)
        .unwrap_or_default())
}

fn list(db: &mut Db, format: Format) -> Outcome {
    let units = org_units::all(db).map_err(failed)?;
    let text = match format {
        Format::Table if units.is_empty() => format!("{}\n", t!("cli.unit.none")),
        Format::Table => {
            let rows: Vec<Vec<String>> = units
                .iter()
                .map(|(id, path)| vec![id.to_string(), path.clone()])
                .collect();
            common::table(
                &[t!("cli.unit.col.id"), t!("cli.unit.col.unit")],
                &rows,
                &[0],
            )
        }
        Format::Json => {
            let value: Vec<serde_json::Value> = units
                .iter()
                .map(|(id, path)| serde_json::json!({ "id": id, "path": path }))
                .collect();
            let mut text =
                serde_json::to_string_pretty(&value).map_err(|e| refused(e.to_string()))?;
            text.push('\n');
            text
        }
    };
    print_out(&text);
    Ok(())
}
