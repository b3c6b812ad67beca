//! Users (experts) and the acting user every write is made by.

use diesel::prelude::*;

use crate::db::Db;
use crate::db::ids::{OrgUnitId, UserId};
use crate::db::schema::users;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Agent,
    Manager,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "agent" => Some(Role::Agent),
            "manager" => Some(Role::Manager),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub org_unit_id: Option<OrgUnitId>,
    pub active: bool,
    pub version: i64,
}

/// The user a change is made by, as resolved at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: UserId,
    pub login: String,
    pub role: Role,
}

impl Actor {
    /// Refuses the action unless the actor has at least `role`.
    pub fn require(&self, role: Role, what: &str) -> Result<()> {
        if self.role >= role {
            Ok(())
        } else {
            Err(Error::Forbidden {
                user: self.login.clone(),
                what: what.to_string(),
            })
        }
    }
}

pub const ENTITY: &str = "user";

pub fn get(db: &mut Db, id: UserId) -> Result<User> {
    <User as super::versioned::Stored>::get(db, id)
}

super::versioned::stored!(User, UserId, users, ENTITY, "entity.user");

/// The login name of the person running Peygir.
pub fn os_login() -> String {
    whoami::username()
}

/// What `resolve_actor` found.
pub enum Resolved {
    Existing(Actor),
    /// The store had no users: this login was registered as its first admin.
    FirstAdmin(Actor),
}

/// The acting user for `login`. On a store with no users yet, `login` becomes its first admin,
/// so every write from the first day has a real author.
pub fn resolve_actor(db: &mut Db, login: &str) -> Result<Resolved> {
    super::write(db, |db| {
        let user: Option<User> = users::table
            .filter(users::login.eq(login))
            .select(User::as_select())
            .first(db)
            .optional()?;
        if let Some(user) = user {
            if !user.active {
                return Err(Error::InactiveUser {
                    user: login.to_string(),
                });
            }
            let role = Role::parse(&user.role).unwrap_or(Role::Agent);
            return Ok(Resolved::Existing(Actor {
                id: user.id,
                login: user.login,
                role,
            }));
        }
        let any: i64 = users::table.count().get_result(db)?;
        if any > 0 {
            return Err(Error::UnknownUser {
                user: login.to_string(),
            });
        }
        let id = insert_user(db, login, login, Role::Admin, None)?;
        let actor = Actor {
            id,
            login: login.to_string(),
            role: Role::Admin,
        };
        let user = get(db, id)?;
        super::audit::record(
            db,
            &actor,
            ENTITY,
            id,
            super::audit::AuditAction::Create,
            None,
            Some(&user),
        )?;
        Ok(Resolved::FirstAdmin(actor))
    })
}

/// Adds a user and returns its id (admin work; the caller checks the role).
pub fn insert_user(
    db: &mut Db,
    login: &str,
    display_name: &str,
    role: Role,
    org_unit_id: Option<OrgUnitId>,
) -> Result<UserId> {
    let now = super::now();
    let values = (
        users::login.eq(login),
        users::display_name.eq(display_name),
        users::role.eq(role.as_str()),
        users::org_unit_id.eq(org_unit_id),
        users::active.eq(true),
        users::created_at.eq(now),
        users::updated_at.eq(now),
    );
    let id: UserId = super::insert_one!(db, users, values)?;
    Ok(id)
}

/// The user with `login`, active or not.
pub fn by_login(db: &mut Db, login: &str) -> Result<Option<User>> {
    Ok(users::table
        .filter(users::login.eq(login))
        .select(User::as_select())
        .first(db)
        .optional()?)
}

/// The active users, by display name: whom a case or an action can be given to.
pub fn experts(db: &mut Db) -> Result<Vec<User>> {
    Ok(users::table
        .filter(users::active.eq(true))
        .order((users::display_name.asc(), users::id.asc()))
        .select(User::as_select())
        .load(db)?)
}

/// `unit` and every unit below it, `unit` first.
pub fn units_under(db: &mut Db, unit: OrgUnitId) -> Result<Vec<OrgUnitId>> {
    use crate::db::schema::org_units;
    let all: Vec<(OrgUnitId, Option<OrgUnitId>)> = org_units::table
        .select((org_units::id, org_units::parent_id))
        .load(db)?;
    let mut found = vec![unit];
    let mut next = 0;
    while next < found.len() {
        let parent = found[next];
        for (id, _) in all.iter().filter(|(_, p)| *p == Some(parent)) {
            if !found.contains(id) {
                found.push(*id);
            }
        }
        next += 1;
    }
    Ok(found)
}

/// The users whose inbox `viewer` may look at, by display name, the inactive included (their
/// open actions may need reassigning): an admin sees everyone; a manager the users of their
/// organisational unit and the units below it (themselves included); anyone else only
/// themselves.
pub fn team_of(db: &mut Db, viewer: &Actor) -> Result<Vec<User>> {
    let ordered = users::table
        .order((users::display_name.asc(), users::id.asc()))
        .select(User::as_select())
        .into_boxed();
    let team = match viewer.role {
        Role::Admin => ordered.load(db)?,
        Role::Manager => {
            let me = get(db, viewer.id)?;
            match me.org_unit_id {
                Some(unit) => {
                    let units = units_under(db, unit)?;
                    ordered
                        .filter(users::org_unit_id.eq_any(units).or(users::id.eq(viewer.id)))
                        .load(db)?
                }
                None => vec![me],
            }
        }
        Role::Agent => vec![get(db, viewer.id)?],
    };
    Ok(team)
}

/// Whether `viewer` may look at the inbox of (and plan work for) the user `user_id`.
pub fn in_team_of(db: &mut Db, viewer: &Actor, user_id: UserId) -> Result<bool> {
    Ok(viewer.id == user_id || team_of(db, viewer)?.iter().any(|u| u.id == user_id))
}
