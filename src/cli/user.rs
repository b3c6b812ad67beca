//! `peygir user …`: the users, who are the experts cases, complaints and actions are given to.
//! Anyone may list them; adding a user, changing a user's role or organisational unit, and
//! disabling and enabling one is an admin's work (checked and audited by the store). A user is
//! named by the login they run Peygir with, an organisational unit by its name or its path.

use clap::{ArgGroup, Subcommand, ValueEnum};

use super::common::{self, Outcome, failed, print_out, refused};
use super::lookup::Format;
use crate::db::Db;
use crate::db::ids::OrgUnitId;
use crate::store::users::{self, User};
use crate::store::{Actor, Role, org_units};
use crate::t;

/// A role, as the command line names it: an agent does their own work, a manager also their
/// unit's, an admin everything (the users and the reference lists included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum RoleArg {
    #[default]
    Agent,
    Manager,
    Admin,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Role {
        match role {
            RoleArg::Agent => Role::Agent,
            RoleArg::Manager => Role::Manager,
            RoleArg::Admin => Role::Admin,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// The users: login, name, role, organisational unit, and whether each is active
    List {
        /// table or json
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Add a user who runs Peygir as LOGIN (admin)
    Add {
        /// The user's login name on the machine Peygir runs on: lowercase letters, digits, '.', '_' and '-', starting with a letter
        login: String,
        /// The user's name as people read it
        #[arg(long)]
        name: String,
        /// What the user may do
        #[arg(long, value_enum, default_value_t)]
        role: RoleArg,
        /// The user's organisational unit, by name or path [default: none]
        #[arg(long)]
        unit: Option<String>,
    },
    /// Stop a user from using Peygir; what they did stays theirs (admin)
    Disable {
        /// The user's login
        login: String,
    },
    /// Let a disabled user use Peygir again (admin)
    Enable {
        /// The user's login
        login: String,
    },
    /// Give a user another role (admin)
    SetRole {
        /// The user's login
        login: String,
        /// The new role
        #[arg(value_enum)]
        role: RoleArg,
    },
    /// Put a user in an organisational unit, or in none (admin)
    #[command(group(ArgGroup::new("to").required(true).args(["unit", "none"])))]
    SetUnit {
        /// The user's login
        login: String,
        /// The organisational unit, by name or path
        unit: Option<String>,
        /// In no organisational unit
        #[arg(long)]
        none: bool,
    },
}

/// Runs `peygir user …` as `actor`.
pub fn run(db: &mut Db, actor: &Actor, command: &UserCommand) -> Outcome {
    match command {
        UserCommand::List { format } => list(db, *format),
        UserCommand::Add {
            login,
            name,
            role,
            unit,
        } => {
            admin_only(actor)?;
            let unit = match unit {
                Some(typed) => Some(common::unit(db, typed, "--unit")?),
                None => None,
            };
            let added = users::add(db, actor, login, name, (*role).into(), unit).map_err(failed)?;
            let unit = unit_name(db, added.org_unit_id)?;
            print_out(&format!(
                "{}\n",
                users::added_message(&added, unit.as_deref())
            ));
            Ok(())
        }
        UserCommand::Disable { login } => set_active(db, actor, login, false),
        UserCommand::Enable { login } => set_active(db, actor, login, true),
        UserCommand::SetRole { login, role } => {
            admin_only(actor)?;
            let old = user(db, login)?;
            let new =
                users::set_role(db, actor, old.id, old.version, (*role).into()).map_err(failed)?;
            let changed = new.version != old.version;
            print_out(&format!("{}\n", users::role_message(&new, changed)));
            Ok(())
        }
        // The group makes it a unit or --none, never both.
        UserCommand::SetUnit { login, unit, .. } => {
            admin_only(actor)?;
            let old = user(db, login)?;
            let unit = match unit {
                Some(typed) => Some(common::unit(db, typed, "UNIT")?),
                None => None,
            };
            let new = users::set_unit(db, actor, old.id, old.version, unit).map_err(failed)?;
            let changed = new.version != old.version;
            let unit = unit_name(db, new.org_unit_id)?;
            print_out(&format!(
                "{}\n",
                users::unit_message(&new, unit.as_deref(), changed)
            ));
            Ok(())
        }
    }
}

/// Refuses the work unless the actor is an admin, before anything is read.
fn admin_only(actor: &Actor) -> Outcome {
    actor
        .require(Role::Admin, &t!("forbidden.manage-users"))
        .map_err(failed)
}

/// The user whose login is `login`, active or not.
fn user(db: &mut Db, login: &str) -> Outcome<User> {
    common::user(db, login, "LOGIN")
}

/// The path of the organisational unit `id`, if any.
fn unit_name(db: &mut Db, id: Option<OrgUnitId>) -> Outcome<Option<String>> {
    let Some(id) = id else {
        return Ok(None);
    };
    let units = org_units::all(db).map_err(failed)?;
    Ok(units
        .into_iter()
        .find(|(unit, _)| *unit == id)
        .map(|(_, path)| path))
}

fn set_active(db: &mut Db, actor: &Actor, login: &str, active: bool) -> Outcome {
    admin_only(actor)?;
    let old = user(db, login)?;
    let new = users::set_active(db, actor, old.id, old.version, active).map_err(failed)?;
    let changed = new.version != old.version;
    print_out(&format!("{}\n", users::active_message(&new, changed)));
    Ok(())
}

fn list(db: &mut Db, format: Format) -> Outcome {
    let all = users::all(db).map_err(failed)?;
    let units: std::collections::HashMap<OrgUnitId, String> =
        org_units::all(db).map_err(failed)?.into_iter().collect();
    let unit_of = |user: &User| user.org_unit_id.and_then(|id| units.get(&id).cloned());
    let text = match format {
        Format::Table => {
            let headers = [
                t!("user.col.login"),
                t!("user.col.name"),
                t!("user.col.role"),
                t!("user.col.unit"),
                t!("user.col.active"),
            ];
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|user| {
                    vec![
                        user.login.clone(),
                        user.display_name.clone(),
                        user.role().name(),
                        unit_of(user).unwrap_or_default(),
                        if user.active {
                            t!("lookup.yes")
                        } else {
                            t!("lookup.no")
                        },
                    ]
                })
                .collect();
            common::table(&headers, &rows, &[])
        }
        Format::Json => {
            let rows: Vec<serde_json::Value> = all
                .iter()
                .map(|user| {
                    serde_json::json!({
                        "id": user.id,
                        "login": user.login,
                        "name": user.display_name,
                        "role": user.role().as_str(),
                        "unit": unit_of(user),
                        "active": user.active,
                    })
                })
                .collect();
            let mut text =
                serde_json::to_string_pretty(&rows).map_err(|e| refused(e.to_string()))?;
            text.push('\n');
            text
        }
    };
    print_out(&text);
    Ok(())
}
