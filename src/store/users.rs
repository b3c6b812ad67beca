//! Users (experts) and the acting user every write is made by: who runs Peygir (or whom an
//! admin acts as), and an admin's management of the team — adding a user, changing a user's role
//! or organisational unit, disabling and enabling one — each in one transaction, audited.

use diesel::prelude::*;

use crate::db::Db;
use crate::db::ids::{OrgUnitId, UserId};
use crate::db::schema::{org_units, users};
use crate::domain::text;
use crate::error::{Error, FieldError, Result};
use crate::t;

use super::audit::AuditAction;
use super::versioned::{self, Changed};

/// What a user may do: an agent their own work, a manager also their team's, an admin
/// everything (the reference lists, the service levels, the users).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Agent,
    Manager,
    Admin,
}

impl Role {
    /// Every role, the least first.
    pub const ALL: [Role; 3] = [Role::Agent, Role::Manager, Role::Admin];

    /// The role as stored and as scripts name it: `agent`, `manager`, `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    /// The role named as stored.
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The role's name in the user's language.
    pub fn name(self) -> String {
        let key = match self {
            Role::Agent => "role.agent",
            Role::Manager => "role.manager",
            Role::Admin => "role.admin",
        };
        crate::i18n::tr(key).to_string()
    }
}

/// A user as stored, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, serde::Serialize)]
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

impl User {
    /// The user's role (a role the store does not know counts as the least).
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Agent)
    }
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

/// The audit log's entity for a user.
pub const ENTITY: &str = "user";

/// The fields of a user, as refusals name them.
pub const FIELD_LOGIN: &str = "field.login";
pub const FIELD_DISPLAY_NAME: &str = "field.display-name";
pub const FIELD_ROLE: &str = "field.role";
pub const FIELD_UNIT: &str = "field.org-unit";
pub const FIELD_ACTIVE: &str = "field.user-active";

/// The longest login an operating system takes.
pub const MAX_LOGIN: usize = 32;
/// The longest display name.
pub const MAX_DISPLAY_NAME: usize = 100;

/// The user with `id`, or `Error::NotFound`.
pub fn get(db: &mut Db, id: UserId) -> Result<User> {
    <User as versioned::Stored>::get(db, id)
}

versioned::stored!(User, UserId, users, ENTITY, "entity.user");
versioned::versioned!(User, users);

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

impl Resolved {
    /// The acting user.
    pub fn actor(&self) -> &Actor {
        match self {
            Resolved::Existing(actor) | Resolved::FirstAdmin(actor) => actor,
        }
    }
}

/// The acting user of `user`, refused when `user` is disabled.
fn actor_of(user: User) -> Result<Actor> {
    if !user.active {
        return Err(Error::InactiveUser { user: user.login });
    }
    Ok(Actor {
        id: user.id,
        role: user.role(),
        login: user.login,
    })
}

/// The acting user for `login`. On a store with no users yet, `login` becomes its first admin,
/// so every write from the first day has a real author. An unknown login is refused with
/// `Error::UnknownUser`, a disabled one with `Error::InactiveUser`.
pub fn resolve_actor(db: &mut Db, login: &str) -> Result<Resolved> {
    super::write(db, |db| {
        if let Some(user) = by_login(db, login)? {
            return actor_of(user).map(Resolved::Existing);
        }
        // Two sessions starting at once on an empty store must not both become its first admin:
        // the second waits, then finds the first (each statement sees what was committed).
        super::one_at_a_time(db, super::Lock::FirstAdmin)?;
        if let Some(user) = by_login(db, login)? {
            return actor_of(user).map(Resolved::Existing);
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
        versioned::created::<User>(db, &actor, id)?;
        Ok(Resolved::FirstAdmin(actor))
    })
}

/// Who a session acts as: the person running Peygir (`login`, resolved by [`resolve_actor`]),
/// or, when `as_user` names someone else, that user, which only an admin may ask for. The
/// command line and the screens both start here. Refused, with nothing stored (not even a
/// first admin), when the login or `as_user` is unknown or disabled, or when someone who is
/// not an admin asks to act as another user.
pub fn acting(db: &mut Db, login: &str, as_user: Option<&str>) -> Result<Resolved> {
    super::write(db, |db| {
        let me = resolve_actor(db, login)?;
        let Some(other) = as_user.map(str::trim).filter(|o| *o != me.actor().login) else {
            return Ok(me);
        };
        me.actor()
            .require(Role::Admin, &t!("forbidden.act-as", login = other))?;
        let user = by_login(db, other)?.ok_or_else(|| Error::UnknownUser {
            user: other.to_string(),
        })?;
        actor_of(user).map(Resolved::Existing)
    })
}

/// Inserts a user and returns its id, with no check and no audit row: for the first admin, demo
/// data and tests. An admin adds a user with [`add`].
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

/// Every user, active or not, by login.
pub fn all(db: &mut Db) -> Result<Vec<User>> {
    Ok(users::table
        .order(users::login.asc())
        .select(User::as_select())
        .load(db)?)
}

/// Up to `limit` users after the login `after` (from the first when `None`), by login.
pub fn page(db: &mut Db, after: Option<&str>, limit: i64) -> Result<Vec<User>> {
    let mut query = users::table
        .order(users::login.asc())
        .select(User::as_select())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(users::login.gt(after.to_string()));
    }
    Ok(query.load(db)?)
}

/// Up to `limit` users just before the login `before`, by login.
pub fn page_before(db: &mut Db, before: &str, limit: i64) -> Result<Vec<User>> {
    let mut rows: Vec<User> = users::table
        .filter(users::login.lt(before))
        .order(users::login.desc())
        .select(User::as_select())
        .limit(limit)
        .load(db)?;
    rows.reverse();
    Ok(rows)
}

/// The last `limit` users by login.
pub fn last_page(db: &mut Db, limit: i64) -> Result<Vec<User>> {
    let mut rows: Vec<User> = users::table
        .order(users::login.desc())
        .select(User::as_select())
        .limit(limit)
        .load(db)?;
    rows.reverse();
    Ok(rows)
}

/// How many users there are, active or not.
pub fn count(db: &mut Db) -> Result<i64> {
    Ok(users::table.count().get_result(db)?)
}

/// Refuses managing users unless the actor is an admin.
fn require_admin(actor: &Actor) -> Result<()> {
    actor.require(Role::Admin, &t!("forbidden.manage-users"))
}

/// Why `login` is not a login name an operating system takes (lowercase letters, digits, `.`,
/// `_` and `-`, starting with a letter, at most [`MAX_LOGIN`] characters), if it is not.
pub fn login_problem(login: &str) -> Option<String> {
    let Some(first) = login.chars().next() else {
        return Some(t!("invalid.required"));
    };
    if login.chars().count() > MAX_LOGIN {
        return Some(t!("invalid.too-long", max = MAX_LOGIN));
    }
    if !first.is_ascii_lowercase() {
        return Some(t!("invalid.login-start", login = login));
    }
    login
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')))
        .map(|c| t!("invalid.login-char", login = login, character = c))
}

/// Whether the organisational unit `id` is on file.
fn unit_exists(db: &mut Db, id: OrgUnitId) -> Result<bool> {
    Ok(org_units::table
        .find(id)
        .select(org_units::id)
        .first::<OrgUnitId>(db)
        .optional()?
        .is_some())
}

/// The refusal of a login someone already has.
fn login_taken(login: &str, holder: &str) -> FieldError {
    FieldError::new(
        FIELD_LOGIN,
        t!("invalid.login-taken", login = login, name = holder),
    )
}

/// Adds a user (admin work): `login` the name they log in to the operating system with (see
/// [`login_problem`]), no one else's; a display name (control characters taken out, trimmed);
/// a role; and an organisational unit on file, or none. Every bad field is named at
/// once (`Error::Invalid`), with nothing stored.
pub fn add(
    db: &mut Db,
    actor: &Actor,
    login: &str,
    display_name: &str,
    role: Role,
    unit: Option<OrgUnitId>,
) -> Result<User> {
    require_admin(actor)?;
    let login = login.trim();
    let name = text::clean_line(display_name);
    super::write(db, |db| {
        let mut errors = Vec::new();
        if let Some(reason) = login_problem(login) {
            errors.push(FieldError::new(FIELD_LOGIN, reason));
        } else if let Some(other) = by_login(db, login)? {
            errors.push(login_taken(login, &other.display_name));
        }
        if name.is_empty() {
            errors.push(FieldError::new(FIELD_DISPLAY_NAME, t!("invalid.required")));
        } else if name.chars().count() > MAX_DISPLAY_NAME {
            errors.push(FieldError::new(
                FIELD_DISPLAY_NAME,
                t!("invalid.too-long", max = MAX_DISPLAY_NAME),
            ));
        }
        if let Some(unit) = unit
            && !unit_exists(db, unit)?
        {
            errors.push(FieldError::new(
                FIELD_UNIT,
                t!("invalid.no-such-unit", id = unit),
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let id = match insert_user(db, login, &name, role, unit) {
            // Another admin added the same login in the meantime.
            Err(Error::Database(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ))) => return Err(Error::Invalid(vec![login_taken(login, login)])),
            other => other?,
        };
        versioned::created::<User>(db, actor, id)
    })
}

/// Refuses taking `user` out of the active admins (a new role, or disabled) when no other active
/// admin would be left: the store always keeps one who can manage it. On PostgreSQL the active
/// admins' rows are locked first, so two admins demoting each other at once cannot both go
/// through; on SQLite the write lock taken when the transaction began does the same.
fn keep_an_admin(db: &mut Db, user: &User, field: &'static str) -> Result<()> {
    if user.role() != Role::Admin || !user.active {
        return Ok(());
    }
    let admins = users::table
        .filter(users::role.eq(Role::Admin.as_str()))
        .filter(users::active.eq(true))
        .select(users::id);
    let admins: Vec<UserId> = match db {
        Db::Pg(c) => admins.for_update().load(c)?,
        Db::Sqlite(c) => admins.load(c)?,
    };
    if admins.iter().any(|id| *id != user.id) {
        return Ok(());
    }
    let reason = if field == FIELD_ACTIVE {
        t!("invalid.last-admin-disable", name = user.display_name)
    } else {
        t!("invalid.last-admin-demote", name = user.display_name)
    };
    Err(Error::Invalid(vec![FieldError::new(field, reason)]))
}

/// Gives the user `id`, still at `expected_version`, another role (admin work). The last active
/// admin keeps the role, whoever asks (themselves included).
pub fn set_role(
    db: &mut Db,
    actor: &Actor,
    id: UserId,
    expected_version: i64,
    role: Role,
) -> Result<User> {
    require_admin(actor)?;
    versioned::update(
        db,
        actor,
        id,
        expected_version,
        AuditAction::Update,
        |_: &User| Ok(()),
        |db, old, _| {
            if old.role == role.as_str() {
                return Ok(Changed::No);
            }
            if role != Role::Admin {
                keep_an_admin(db, old, FIELD_ROLE)?;
            }
            diesel::update(users::table.find(id))
                .set(users::role.eq(role.as_str()))
                .execute(db)?;
            Ok(Changed::Yes)
        },
    )
}

/// Puts the user `id`, still at `expected_version`, in the organisational unit `unit` (one on
/// file), or in none (admin work).
pub fn set_unit(
    db: &mut Db,
    actor: &Actor,
    id: UserId,
    expected_version: i64,
    unit: Option<OrgUnitId>,
) -> Result<User> {
    require_admin(actor)?;
    versioned::update(
        db,
        actor,
        id,
        expected_version,
        AuditAction::Update,
        |_: &User| Ok(()),
        |db, old, _| {
            if let Some(unit) = unit
                && !unit_exists(db, unit)?
            {
                return Err(Error::Invalid(vec![FieldError::new(
                    FIELD_UNIT,
                    t!("invalid.no-such-unit", id = unit),
                )]));
            }
            if old.org_unit_id == unit {
                return Ok(Changed::No);
            }
            diesel::update(users::table.find(id))
                .set(users::org_unit_id.eq(unit))
                .execute(db)?;
            Ok(Changed::Yes)
        },
    )
}

/// Disables the user `id`, still at `expected_version` (`active` false: they can no longer use
/// Peygir, and are no longer offered as an expert; what they did stays theirs), or enables them
/// again (admin work). The last active admin stays enabled, whoever asks (themselves included).
pub fn set_active(
    db: &mut Db,
    actor: &Actor,
    id: UserId,
    expected_version: i64,
    active: bool,
) -> Result<User> {
    require_admin(actor)?;
    versioned::update(
        db,
        actor,
        id,
        expected_version,
        AuditAction::Update,
        |_: &User| Ok(()),
        |db, old, _| {
            if old.active == active {
                return Ok(Changed::No);
            }
            if !active {
                keep_an_admin(db, old, FIELD_ACTIVE)?;
            }
            diesel::update(users::table.find(id))
                .set(users::active.eq(active))
                .execute(db)?;
            Ok(Changed::Yes)
        },
    )
}

/// A user as messages name them: `nasrin (Nasrin Rahimi)`.
pub fn who(user: &User) -> String {
    t!("user.who", login = user.login, name = user.display_name)
}

/// What the front ends say when `user` was added: as which role, and in `unit` (the path of
/// their organisational unit), if any.
pub fn added_message(user: &User, unit: Option<&str>) -> String {
    let (who, role) = (who(user), user.role().name());
    match unit {
        Some(unit) => t!("user.added-in", user = who, role = role, unit = unit),
        None => t!("user.added", user = who, role = role),
    }
}

/// What the front ends say when `user` was put in `unit` (the path of their organisational
/// unit, or none): that they are now (`changed`), or were already.
pub fn unit_message(user: &User, unit: Option<&str>, changed: bool) -> String {
    let who = who(user);
    match (unit, changed) {
        (Some(unit), true) => t!("user.unit-set", user = who, unit = unit),
        (Some(unit), false) => t!("user.unit-was", user = who, unit = unit),
        (None, true) => t!("user.unit-none", user = who),
        (None, false) => t!("user.unit-was-none", user = who),
    }
}

/// What the front ends say when `user` was given their role (`changed`), or had it already.
pub fn role_message(user: &User, changed: bool) -> String {
    let (who, role) = (who(user), user.role().name());
    if changed {
        t!("user.role-set", user = who, role = role)
    } else {
        t!("user.role-was", user = who, role = role)
    }
}

/// What the front ends say when `user` was disabled or enabled (`changed`), or already was.
pub fn active_message(user: &User, changed: bool) -> String {
    let who = who(user);
    match (user.active, changed) {
        (false, true) => t!("user.disabled", user = who),
        (false, false) => t!("user.was-disabled", user = who),
        (true, true) => t!("user.enabled", user = who),
        (true, false) => t!("user.was-enabled", user = who),
    }
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

/// Whether `actor` may work for `expert` (change what `expert` is the expert or assignee of,
/// or give work to them): an agent only for themselves, a manager for the users of their
/// organisational unit and the units below it (themselves included, see [`in_team_of`]), an
/// admin for everyone.
pub fn may_work_for(db: &mut Db, actor: &Actor, expert: UserId) -> Result<bool> {
    match actor.role {
        Role::Admin => Ok(true),
        Role::Manager => in_team_of(db, actor, expert),
        Role::Agent => Ok(actor.id == expert),
    }
}

/// Refuses `what` (the change, as `Error::Forbidden` names it: "change case 1405-00012")
/// unless `actor` may work for `expert` ([`may_work_for`]); the refusal says whose work it is
/// and which rule of the actor's role keeps them out.
pub(crate) fn require_work_for(
    db: &mut Db,
    actor: &Actor,
    expert: UserId,
    what: &str,
) -> Result<()> {
    if may_work_for(db, actor, expert)? {
        return Ok(());
    }
    let owner = get(db, expert)?.display_name;
    let what = match actor.role {
        Role::Manager => t!("forbidden.only-team", what = what, owner = owner),
        Role::Agent | Role::Admin => t!("forbidden.only-own", what = what, owner = owner),
    };
    Err(Error::Forbidden {
        user: actor.login.clone(),
        what,
    })
}
