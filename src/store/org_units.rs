//! Organisational units: the tree of teams and branches that cases and users belong to.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::Db;
use crate::db::ids::OrgUnitId;
use crate::db::schema::org_units;
use crate::error::Result;

use super::bulk::BulkRow;

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
}
