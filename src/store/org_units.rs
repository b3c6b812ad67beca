//! Organisational units: the tree of teams and branches that cases and users belong to.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use serde::Serialize;

use crate::db::Db;
use crate::db::ids::OrgUnitId;
use crate::db::schema::org_units;
use crate::domain::text;
use crate::error::{Error, FieldError, Result};
use crate::t;

use super::audit::AuditAction;
use super::bulk::BulkRow;
use super::versioned::{self, Changed, Stored};
use super::{Actor, Role};

/// The audit log's entity for an organisational unit.
pub const ENTITY: &str = "org-unit";

/// A stored organisational unit, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = org_units)]
pub struct OrgUnit {
    pub id: OrgUnitId,
    pub parent_id: Option<OrgUnitId>,
    pub name: String,
    pub version: i64,
}

versioned::stored!(OrgUnit, OrgUnitId, org_units, ENTITY, "entity.org-unit");
versioned::versioned!(OrgUnit, org_units);

/// Everything wrong with naming a unit `name` under `parent` (`id` itself when it is renamed or
/// moved): an empty name, a sibling of the same name, an unknown parent, or a parent inside it.
fn unit_errors(
    db: &mut Db,
    id: Option<OrgUnitId>,
    parent: Option<OrgUnitId>,
    name: &str,
) -> Result<Vec<FieldError>> {
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push(FieldError::new("field.unit-name", t!("invalid.required")));
    }
    let all: Vec<OrgUnit> = org_units::table.select(OrgUnit::as_select()).load(db)?;
    if let Some(parent) = parent {
        if !all.iter().any(|u| u.id == parent) {
            errors.push(FieldError::new(
                "field.parent-unit",
                t!("invalid.no-such", id = parent),
            ));
        } else if let Some(id) = id {
            // The parent, or a unit above it, is the unit itself: a loop.
            let mut up = Some(parent);
            let mut steps = 0;
            while let Some(unit) = up.filter(|_| steps <= all.len()) {
                if unit == id {
                    errors.push(FieldError::new(
                        "field.parent-unit",
                        t!("invalid.unit-inside-itself"),
                    ));
                    break;
                }
                up = all.iter().find(|u| u.id == unit).and_then(|u| u.parent_id);
                steps += 1;
            }
        }
    }
    let twin = all.iter().any(|u| {
        Some(u.id) != id
            && u.parent_id == parent
            && text::search_key(&u.name) == text::search_key(name)
    });
    if !name.is_empty() && twin {
        errors.push(FieldError::new(
            "field.unit-name",
            t!("invalid.unit-twin", name = name),
        ));
    }
    Ok(errors)
}

/// Adds a unit called `name` under `parent` (or at the top): an admin's work, audited; an empty
/// name, a sibling of the same name or an unknown parent is refused.
pub fn add(db: &mut Db, actor: &Actor, parent: Option<OrgUnitId>, name: &str) -> Result<OrgUnit> {
    actor.require(Role::Admin, &t!("forbidden.edit-units"))?;
    let name = text::clean_line(name);
    super::write(db, |db| {
        let errors = unit_errors(db, None, parent, &name)?;
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let now = super::now();
        let row = NewOrgUnit {
            parent_id: parent,
            name: name.clone(),
            created_at: now,
            updated_at: now,
        };
        let id: OrgUnitId = super::insert_one!(db, org_units, &row)?;
        versioned::created(db, actor, id)
    })
}

/// Renames unit `id`, still at `expected_version`, and puts it under `parent` (or at the top):
/// an admin's work, audited; a parent inside the unit itself is refused, as are the checks of
/// [`add`].
pub fn change(
    db: &mut Db,
    actor: &Actor,
    id: OrgUnitId,
    expected_version: i64,
    parent: Option<OrgUnitId>,
    name: &str,
) -> Result<OrgUnit> {
    actor.require(Role::Admin, &t!("forbidden.edit-units"))?;
    let name = text::clean_line(name);
    versioned::update(
        db,
        actor,
        id,
        expected_version,
        AuditAction::Update,
        |_: &OrgUnit| Ok(()),
        |db, old, _| {
            let errors = unit_errors(db, Some(id), parent, &name)?;
            if !errors.is_empty() {
                return Err(Error::Invalid(errors));
            }
            if old.parent_id == parent && old.name == name {
                return Ok(Changed::No);
            }
            diesel::update(org_units::table.find(id))
                .set((org_units::parent_id.eq(parent), org_units::name.eq(&name)))
                .execute(db)?;
            Ok(Changed::Yes)
        },
    )
}

/// The unit with `id`.
pub fn get(db: &mut Db, id: OrgUnitId) -> Result<OrgUnit> {
    <OrgUnit as Stored>::get(db, id)
}

/// An organisational unit.
#[derive(Debug, Clone, Default, PartialEq, Insertable)]
#[diesel(table_name = org_units, treat_none_as_default_value = false)]
pub struct NewOrgUnit {
    pub parent_id: Option<OrgUnitId>,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl BulkRow for NewOrgUnit {
    const COLUMNS: usize = 4;
}

/// The id of the organisational unit called `name` under `parent_id`, added if there is none.
pub fn find_or_add(db: &mut Db, parent_id: Option<OrgUnitId>, name: &str) -> Result<OrgUnitId> {
    let mut query = org_units::table
        .filter(org_units::name.eq(name))
        .select(org_units::id)
        .order(org_units::id.asc())
        .into_boxed();
    query = match parent_id {
        Some(parent) => query.filter(org_units::parent_id.eq(parent)),
        None => query.filter(org_units::parent_id.is_null()),
    };
    if let Some(id) = query.first::<OrgUnitId>(db).optional()? {
        return Ok(id);
    }
    let now = super::now();
    let row = NewOrgUnit {
        parent_id,
        name: name.to_string(),
        created_at: now,
        updated_at: now,
    };
    let id: OrgUnitId = super::insert_one!(db, org_units, &row)?;
    Ok(id)
}

/// Every organisational unit as (id, name), the name with the units above it (`Head office /
/// Tehran sales`), in the order of those names: a unit follows its parent.
pub fn all(db: &mut Db) -> Result<Vec<(OrgUnitId, String)>> {
    let all: Vec<(OrgUnitId, Option<OrgUnitId>, String)> = org_units::table
        .select((org_units::id, org_units::parent_id, org_units::name))
        .order(org_units::id.asc())
        .load(db)?;
    let parent_of: BTreeMap<OrgUnitId, (Option<OrgUnitId>, &str)> = all
        .iter()
        .map(|(id, parent, name)| (*id, (*parent, name.as_str())))
        .collect();
    let mut units: Vec<(OrgUnitId, String)> = all
        .iter()
        .map(|(id, parent, name)| {
            let mut path = vec![name.as_str()];
            let mut seen = BTreeSet::from([*id]);
            let mut up = *parent;
            // A loop in the parent links (which the store never makes) ends the path.
            while let Some(p) = up.filter(|p| seen.insert(*p)) {
                match parent_of.get(&p) {
                    Some((grand, name)) => {
                        path.push(name);
                        up = *grand;
                    }
                    None => break,
                }
            }
            path.reverse();
            (*id, path.join(" / "))
        })
        .collect();
    units.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Ok(units)
}

/// Every organisational unit in tree order with its depth (0 at the top): each unit followed by
/// the units under it, siblings by name. A unit whose parent is missing, or caught in a loop of
/// parents (which the store never makes), stands at the top.
pub fn tree(db: &mut Db) -> Result<Vec<(usize, OrgUnit)>> {
    let mut units: Vec<OrgUnit> = org_units::table.select(OrgUnit::as_select()).load(db)?;
    units.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(crate::domain::tree::depth_first(
        units,
        |u| u.id,
        |u| u.parent_id,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::StoreUrl;

    fn store() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = StoreUrl::Sqlite(dir.path().join("units.db"));
        let db = crate::db::open(&url).expect("open store");
        (dir, db)
    }

    #[test]
    fn org_units_are_found_or_added() {
        let (_dir, mut db) = store();
        let head = find_or_add(&mut db, None, "Head office").expect("head");
        let sales = find_or_add(&mut db, Some(head), "Tehran sales").expect("sales");
        assert_eq!(
            find_or_add(&mut db, None, "Head office").expect("again"),
            head
        );
        assert_eq!(
            find_or_add(&mut db, Some(head), "Tehran sales").expect("again"),
            sales
        );
        assert_ne!(
            find_or_add(&mut db, None, "Tehran sales").expect("top"),
            sales
        );
    }

    #[test]
    fn the_tree_puts_each_unit_after_its_parent_and_siblings_by_name() {
        let (_dir, mut db) = store();
        let head = find_or_add(&mut db, None, "Head office").expect("head");
        find_or_add(&mut db, Some(head), "Tehran sales").expect("tehran");
        find_or_add(&mut db, Some(head), "Isfahan sales").expect("isfahan");
        // Its path would sort between "Head office" and "Head office / Isfahan sales".
        find_or_add(&mut db, None, "Head office - archive").expect("archive");
        let tree: Vec<(usize, String)> = tree(&mut db)
            .expect("tree")
            .into_iter()
            .map(|(depth, unit)| (depth, unit.name))
            .collect();
        assert_eq!(
            tree,
            [
                (0, "Head office".to_string()),
                (1, "Isfahan sales".to_string()),
                (1, "Tehran sales".to_string()),
                (0, "Head office - archive".to_string()),
            ]
        );
    }
}
