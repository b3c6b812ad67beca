//! The category tree contacts are filed under. A node has a name unique among its siblings (as
//! Persian-normalised text), a place among them, and any number of children; a contact is filed
//! under any number of nodes. Paths are written `Parent/Child/Grandchild`.
//!
//! The tree is small (tens or hundreds of nodes) while the filings may be millions, so the reads
//! load the nodes whole and walk them in Rust, and count filings with one grouped query.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::bulk::{self, BulkRow};
use crate::db::Db;
use crate::db::ids::{CategoryId, ContactId};
use crate::db::schema::{categories, contact_categories, contacts};
use crate::domain::text;
use crate::error::{Error, FieldError, Result};
use crate::t;

use super::audit::{self, AuditAction};
use super::versioned::{self, Stored};
use super::{Actor, Role};

pub const ENTITY: &str = "category";
/// The audit entity of a contact's filings (keyed by the contact's id).
pub const FILING_ENTITY: &str = "contact-categories";
/// What separates the names of a path.
pub const SEPARATOR: char = '/';

/// How many ids go into one `IN (…)` list: well under either backend's limit on bound values.
const IDS_PER_QUERY: usize = 10_000;

/// The id of the category `name` under `parent`, added if there is none.
pub fn find_or_add(
    db: &mut Db,
    parent: Option<CategoryId>,
    name: &str,
    position: i32,
) -> Result<CategoryId> {
    let mut query = categories::table
        .filter(categories::name.eq(name))
        .select(categories::id)
        .order(categories::id.asc())
        .into_boxed();
    query = match parent {
        Some(parent) => query.filter(categories::parent_id.eq(parent)),
        None => query.filter(categories::parent_id.is_null()),
    };
    if let Some(id) = query.first::<CategoryId>(db).optional()? {
        return Ok(id);
    }
    let at = crate::store::now();
    let ids = bulk::categories(
        db,
        &[NewCategory {
            parent_id: parent,
            name: name.to_string(),
            position,
            created_at: at,
            updated_at: at,
        }],
    )?;
    ids.first()
        .copied()
        .ok_or(Error::Database(diesel::result::Error::NotFound))
}

/// A stored node, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = categories)]
pub struct Category {
    pub id: CategoryId,
    pub parent_id: Option<CategoryId>,
    pub name: String,
    pub position: i32,
    pub version: i64,
}

/// One node of the tree as it is shown: where it stands and how many contacts it holds.
/// A node of the contact category tree.
#[derive(Debug, Clone, Default, PartialEq, Insertable)]
#[diesel(table_name = categories, treat_none_as_default_value = false)]
pub struct NewCategory {
    pub parent_id: Option<CategoryId>,
    pub name: String,
    pub position: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl BulkRow for NewCategory {
    const COLUMNS: usize = 5;
}

/// A contact filed under a category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Insertable, Queryable)]
#[diesel(table_name = contact_categories, treat_none_as_default_value = false)]
pub struct ContactCategory {
    pub contact_id: ContactId,
    pub category_id: CategoryId,
}

impl BulkRow for ContactCategory {
    const COLUMNS: usize = 2;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryNode {
    pub id: CategoryId,
    pub parent_id: Option<CategoryId>,
    pub name: String,
    /// 0 for a top-level node.
    pub depth: usize,
    /// Contacts (not archived) filed directly under this node.
    pub own: i64,
    /// Distinct contacts (not archived) filed under this node or anywhere below it.
    pub total: i64,
}

/// What deleting a node did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeleteOutcome {
    /// Contacts that were filed directly under the node (they stay on file, unfiled from it).
    pub unfiled: i64,
    /// Child nodes that moved up to the deleted node's parent.
    pub moved_up: i64,
}

/// A deleted node in the audit log: the node, whom it held and which children moved up.
#[derive(Serialize)]
struct Deleted<'a> {
    category: &'a Category,
    contacts: &'a [ContactId],
    children_moved_up: &'a [CategoryId],
}

/// A contact's filings in the audit log.
#[derive(Serialize)]
struct Filings {
    categories: Vec<String>,
}

/// Every node, walked in memory.
struct Forest {
    nodes: HashMap<CategoryId, Category>,
    /// Each parent's children (`None` for the top level), in order: position, then name.
    children: HashMap<Option<CategoryId>, Vec<CategoryId>>,
}

impl Forest {
    fn load(db: &mut Db) -> Result<Forest> {
        let rows: Vec<Category> = categories::table
            .select(Category::as_select())
            .order(categories::id.asc())
            .load(db)?;
        Ok(Forest::new(rows))
    }

    fn new(rows: Vec<Category>) -> Forest {
        let ids: HashSet<CategoryId> = rows.iter().map(|c| c.id).collect();
        let mut children: HashMap<Option<CategoryId>, Vec<CategoryId>> = HashMap::new();
        for c in &rows {
            // A parent that is gone leaves its children at the top.
            let parent = c.parent_id.filter(|p| ids.contains(p));
            children.entry(parent).or_default().push(c.id);
        }
        let nodes: HashMap<CategoryId, Category> = rows.into_iter().map(|c| (c.id, c)).collect();
        let sort_key = |id: &CategoryId| {
            nodes
                .get(id)
                .map(|c| (c.position, text::search_key(&c.name), c.id))
        };
        for list in children.values_mut() {
            list.sort_by_cached_key(sort_key);
        }
        Forest { nodes, children }
    }

    fn get(&self, id: CategoryId) -> Result<&Category> {
        self.nodes
            .get(&id)
            .ok_or_else(|| versioned::not_found::<Category>(id))
    }

    fn children_of(&self, parent: Option<CategoryId>) -> &[CategoryId] {
        self.children.get(&parent).map_or(&[], Vec::as_slice)
    }

    /// Every node in depth-first order with its depth. A node caught in a loop of parents (which
    /// the store never makes) is still listed once, at the top.
    fn depth_first(&self) -> Vec<(CategoryId, usize)> {
        let mut out = Vec::with_capacity(self.nodes.len());
        let mut seen = HashSet::with_capacity(self.nodes.len());
        self.walk(None, 0, &mut seen, &mut out);
        let mut rest: Vec<CategoryId> = self
            .nodes
            .keys()
            .filter(|id| !seen.contains(*id))
            .copied()
            .collect();
        rest.sort_unstable();
        for id in rest {
            if seen.insert(id) {
                out.push((id, 0));
                self.walk(Some(id), 1, &mut seen, &mut out);
            }
        }
        out
    }

    fn walk(
        &self,
        parent: Option<CategoryId>,
        depth: usize,
        seen: &mut HashSet<CategoryId>,
        out: &mut Vec<(CategoryId, usize)>,
    ) {
        for &id in self.children_of(parent) {
            if seen.insert(id) {
                out.push((id, depth));
                self.walk(Some(id), depth + 1, seen, out);
            }
        }
    }

    /// The node and every node below it, the node first.
    fn subtree(&self, id: CategoryId) -> Vec<CategoryId> {
        let mut out = vec![id];
        let mut seen = HashSet::from([id]);
        let mut i = 0;
        while i < out.len() {
            for &child in self.children_of(Some(out[i])) {
                if seen.insert(child) {
                    out.push(child);
                }
            }
            i += 1;
        }
        out
    }

    /// The node and its ancestors, the node first.
    fn lineage(&self, id: CategoryId) -> Vec<CategoryId> {
        let mut out = Vec::new();
        let mut at = Some(id);
        while let Some(node) = at.and_then(|id| self.nodes.get(&id)) {
            if out.contains(&node.id) {
                break;
            }
            out.push(node.id);
            at = node.parent_id;
        }
        out
    }

    fn path(&self, id: CategoryId) -> String {
        let mut names: Vec<&str> = self
            .lineage(id)
            .iter()
            .filter_map(|id| self.nodes.get(id))
            .map(|c| c.name.as_str())
            .collect();
        names.reverse();
        names.join(&SEPARATOR.to_string())
    }

    /// The child of `parent` whose name reads as `name` (Persian-normalised), other than `except`.
    fn child_named(
        &self,
        parent: Option<CategoryId>,
        name: &str,
        except: Option<CategoryId>,
    ) -> Option<CategoryId> {
        let key = text::search_key(name);
        self.children_of(parent).iter().copied().find(|id| {
            Some(*id) != except
                && self
                    .nodes
                    .get(id)
                    .is_some_and(|c| text::search_key(&c.name) == key)
        })
    }

    fn find_path(&self, path: &str) -> Option<CategoryId> {
        let mut parent = None;
        let mut found = None;
        for segment in segments(path) {
            let id = self.child_named(parent, &segment, None)?;
            parent = Some(id);
            found = Some(id);
        }
        found
    }
}

fn invalid(field: &'static str, reason: String) -> Error {
    Error::Invalid(vec![FieldError { field, reason }])
}

/// The names of a path, trimmed, the empty ones left out.
fn segments(path: &str) -> Vec<String> {
    path.split(SEPARATOR)
        .map(clean_name)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A typed name without control characters or surrounding spaces.
fn clean_name(name: &str) -> String {
    text::clean_line(name)
}

/// The name a node may be given under `parent`, or why not.
fn checked_name(
    forest: &Forest,
    parent: Option<CategoryId>,
    name: &str,
    except: Option<CategoryId>,
) -> Result<String> {
    let name = clean_name(name);
    if name.is_empty() {
        return Err(invalid("field.category-name", t!("invalid.required")));
    }
    // `/` separates a path's names; `; ` separates a contact's paths in an export's cell.
    if let Some(separator) = name.chars().find(|c| [SEPARATOR, ';'].contains(c)) {
        return Err(invalid(
            "field.category-name",
            t!("invalid.category-separator", separator = separator),
        ));
    }
    if let Some(other) = forest.child_named(parent, &name, except) {
        return Err(invalid(
            "field.category-name",
            t!("invalid.category-sibling", path = forest.path(other)),
        ));
    }
    Ok(name)
}

/// The place after the last child of `parent`.
fn next_position(forest: &Forest, parent: Option<CategoryId>) -> i32 {
    forest
        .children_of(parent)
        .iter()
        .filter_map(|id| forest.nodes.get(id))
        .map(|c| c.position)
        .max()
        .map_or(1, |p| p.saturating_add(1))
}

fn get(db: &mut Db, id: CategoryId) -> Result<Category> {
    <Category as Stored>::get(db, id)
}

/// Every node in depth-first order (siblings by position, then name) with its contact counts:
/// three queries however large the tree or the contact list.
pub fn tree(db: &mut Db) -> Result<Vec<CategoryNode>> {
    let forest = Forest::load(db)?;
    let live = contact_categories::table
        .inner_join(contacts::table.on(contacts::id.eq(contact_categories::contact_id)))
        .filter(contacts::archived.eq(false));
    let own: HashMap<CategoryId, i64> = live
        .group_by(contact_categories::category_id)
        .select((contact_categories::category_id, diesel::dsl::count_star()))
        .load::<(CategoryId, i64)>(db)?
        .into_iter()
        .collect();
    // Only a contact filed more than once can be counted twice in a subtree.
    let again = diesel::alias!(contact_categories as again);
    let multi = again
        .group_by(again.field(contact_categories::contact_id))
        .having(diesel::dsl::count_star().gt(1))
        .select(again.field(contact_categories::contact_id));
    let mut repeated: Vec<(ContactId, CategoryId)> = live
        .filter(contact_categories::contact_id.eq_any(multi))
        .select((
            contact_categories::contact_id,
            contact_categories::category_id,
        ))
        .load(db)?;
    repeated.sort_unstable();

    let order = forest.depth_first();
    let mut total: HashMap<CategoryId, i64> = HashMap::with_capacity(order.len());
    // Sums of the own counts, children before parents.
    for &(id, _) in order.iter().rev() {
        let below: i64 = forest
            .children_of(Some(id))
            .iter()
            .map(|c| total.get(c).copied().unwrap_or(0))
            .sum();
        total.insert(id, own.get(&id).copied().unwrap_or(0) + below);
    }
    // A contact filed k times within one subtree was summed k times there: take k - 1 off.
    for filings in repeated.chunk_by(|a, b| a.0 == b.0) {
        let mut times: HashMap<CategoryId, i64> = HashMap::new();
        for &(_, category) in filings {
            for node in forest.lineage(category) {
                *times.entry(node).or_default() += 1;
            }
        }
        for (node, k) in times {
            if k > 1
                && let Some(t) = total.get_mut(&node)
            {
                *t -= k - 1;
            }
        }
    }
    Ok(order
        .into_iter()
        .filter_map(|(id, depth)| {
            let c = forest.nodes.get(&id)?;
            Some(CategoryNode {
                id,
                parent_id: c.parent_id,
                name: c.name.clone(),
                depth,
                own: own.get(&id).copied().unwrap_or(0),
                total: total.get(&id).copied().unwrap_or(0),
            })
        })
        .collect())
}

/// The node and every node below it.
pub fn subtree_ids(db: &mut Db, id: CategoryId) -> Result<Vec<CategoryId>> {
    let forest = Forest::load(db)?;
    forest.get(id)?;
    Ok(forest.subtree(id))
}

/// The node's path from the top: `Parent/Child/Grandchild`.
pub fn path_of(db: &mut Db, id: CategoryId) -> Result<String> {
    let forest = Forest::load(db)?;
    forest.get(id)?;
    Ok(forest.path(id))
}

/// The node a path names (each name trimmed, compared Persian-normalised), if there is one.
pub fn find_path(db: &mut Db, path: &str) -> Result<Option<CategoryId>> {
    Ok(Forest::load(db)?.find_path(path))
}

/// Every node with its path, in tree order: the choices of a category picker.
pub fn paths(db: &mut Db) -> Result<Vec<(CategoryId, String)>> {
    let forest = Forest::load(db)?;
    Ok(forest
        .depth_first()
        .into_iter()
        .map(|(id, _)| (id, forest.path(id)))
        .collect())
}

/// Adds a node in the transaction the caller runs; its id.
fn insert(
    db: &mut Db,
    actor: &Actor,
    forest: &Forest,
    parent: Option<CategoryId>,
    name: &str,
) -> Result<CategoryId> {
    if let Some(parent) = parent {
        forest.get(parent)?;
    }
    let name = checked_name(forest, parent, name, None)?;
    let at = super::now();
    let row = NewCategory {
        parent_id: parent,
        name,
        position: next_position(forest, parent),
        created_at: at,
        updated_at: at,
    };
    let id: CategoryId = super::insert_one!(db, categories, &row)?;
    versioned::created::<Category>(db, actor, id)?;
    Ok(id)
}

/// Adds a node named `name` under `parent` (the top level when `None`), after its last sibling.
pub fn add(
    db: &mut Db,
    actor: &Actor,
    parent: Option<CategoryId>,
    name: &str,
) -> Result<CategoryId> {
    actor.require(Role::Agent, "add categories")?;
    super::write(db, |db| {
        let forest = Forest::load(db)?;
        insert(db, actor, &forest, parent, name)
    })
}

/// Refuses a path that names no category (only separators and spaces), as [`ensure_path`]
/// would: what an import checks before it stores anything.
pub fn check_path(path: &str) -> Result<()> {
    if segments(path).is_empty() {
        return Err(invalid("field.category", t!("invalid.required")));
    }
    Ok(())
}

/// The node a path names, adding each name that is missing (for imports). Each name is trimmed
/// and matched Persian-normalised.
pub fn ensure_path(db: &mut Db, actor: &Actor, path: &str) -> Result<CategoryId> {
    check_path(path)?;
    let names = segments(path);
    if let Some(id) = Forest::load(db)?.find_path(path) {
        return Ok(id);
    }
    actor.require(Role::Agent, "add categories")?;
    super::write(db, |db| {
        let mut forest = Forest::load(db)?;
        let mut parent = None;
        for name in &names {
            let id = match forest.child_named(parent, name, None) {
                Some(id) => id,
                None => {
                    let id = insert(db, actor, &forest, parent, name)?;
                    forest = Forest::load(db)?;
                    id
                }
            };
            parent = Some(id);
        }
        parent.ok_or_else(|| invalid("field.category", t!("invalid.required")))
    })
}

/// Writes a node's new parent, name and position; [`versioned::finish`] bumps its version
/// (a conflict if it changed meanwhile) and records the change.
fn save(
    db: &mut Db,
    actor: &Actor,
    old: &Category,
    parent: Option<CategoryId>,
    name: &str,
    position: i32,
) -> Result<()> {
    diesel::update(categories::table.find(old.id))
        .set((
            categories::parent_id.eq(parent),
            categories::name.eq(name),
            categories::position.eq(position),
        ))
        .execute(db)?;
    versioned::finish(db, actor, old, AuditAction::Update, super::now())?;
    Ok(())
}

versioned::stored!(Category, CategoryId, categories, ENTITY, "entity.category");
versioned::versioned!(Category, categories);

/// Renames a node; the name must be new among its siblings.
pub fn rename(db: &mut Db, actor: &Actor, id: CategoryId, name: &str) -> Result<()> {
    actor.require(Role::Agent, "rename categories")?;
    super::write(db, |db| {
        let forest = Forest::load(db)?;
        let old = forest.get(id)?.clone();
        let name = checked_name(&forest, old.parent_id, name, Some(id))?;
        if name == old.name {
            return Ok(());
        }
        save(db, actor, &old, old.parent_id, &name, old.position)
    })
}

/// Moves a node (with everything below it) under `new_parent`, or to the top level when `None`,
/// after its new siblings. A node cannot move under itself or anything below it.
pub fn move_to(
    db: &mut Db,
    actor: &Actor,
    id: CategoryId,
    new_parent: Option<CategoryId>,
) -> Result<()> {
    actor.require(Role::Agent, "move categories")?;
    super::write(db, |db| {
        let forest = Forest::load(db)?;
        let old = forest.get(id)?.clone();
        if let Some(parent) = new_parent {
            forest.get(parent)?;
            if forest.subtree(id).contains(&parent) {
                let reason = if parent == id {
                    t!("invalid.category-under-itself", name = old.name)
                } else {
                    t!(
                        "invalid.category-cycle",
                        name = old.name,
                        target = forest.path(parent)
                    )
                };
                return Err(invalid("field.category-parent", reason));
            }
        }
        if new_parent == old.parent_id {
            return Ok(());
        }
        let name = checked_name(&forest, new_parent, &old.name, Some(id))?;
        save(
            db,
            actor,
            &old,
            new_parent,
            &name,
            next_position(&forest, new_parent),
        )
    })
}

/// What deleting the node would do: (contacts filed directly under it, its child nodes).
pub fn delete_preview(db: &mut Db, id: CategoryId) -> Result<(i64, i64)> {
    get(db, id)?;
    let filed: i64 = contact_categories::table
        .filter(contact_categories::category_id.eq(id))
        .count()
        .get_result(db)?;
    let children: i64 = categories::table
        .filter(categories::parent_id.eq(id))
        .count()
        .get_result(db)?;
    Ok((filed, children))
}

/// Deletes a node. Its children move up to its parent (in its place among its siblings); the
/// contacts filed under it leave the category but stay on file. Refused when a child would meet
/// a sibling of the same name up there.
pub fn delete(db: &mut Db, actor: &Actor, id: CategoryId) -> Result<DeleteOutcome> {
    actor.require(Role::Manager, "delete categories")?;
    super::write(db, |db| {
        let forest = Forest::load(db)?;
        let old = forest.get(id)?.clone();
        let children: Vec<CategoryId> = forest.children_of(Some(id)).to_vec();
        let mut clashes = Vec::new();
        for &child in &children {
            let name = &forest.get(child)?.name;
            if let Some(other) = forest.child_named(old.parent_id, name, Some(id)) {
                clashes.push(FieldError {
                    field: "field.category-name",
                    reason: t!(
                        "invalid.category-move-up-clash",
                        child = forest.path(child),
                        other = forest.path(other)
                    ),
                });
            }
        }
        if !clashes.is_empty() {
            return Err(Error::Invalid(clashes));
        }
        let filed: Vec<ContactId> = contact_categories::table
            .filter(contact_categories::category_id.eq(id))
            .select(contact_categories::contact_id)
            .order(contact_categories::contact_id.asc())
            .load(db)?;
        for &child in &children {
            let before = forest.get(child)?.clone();
            // The children take the deleted node's place, keeping their order.
            save(
                db,
                actor,
                &before,
                old.parent_id,
                &before.name,
                old.position,
            )?;
        }
        let unfiled = diesel::delete(
            contact_categories::table.filter(contact_categories::category_id.eq(id)),
        )
        .execute(db)?;
        diesel::delete(categories::table.filter(categories::id.eq(id))).execute(db)?;
        audit::record(
            db,
            actor,
            ENTITY,
            id,
            AuditAction::Delete,
            Some(&Deleted {
                category: &old,
                contacts: &filed,
                children_moved_up: &children,
            }),
            None,
        )?;
        Ok(DeleteOutcome {
            unfiled: i64::try_from(unfiled).unwrap_or(i64::MAX),
            moved_up: i64::try_from(children.len()).unwrap_or(i64::MAX),
        })
    })
}

/// The nodes a contact is filed under, with their paths, in path order.
pub fn of_contact(db: &mut Db, contact_id: ContactId) -> Result<Vec<(CategoryId, String)>> {
    let ids: Vec<CategoryId> = contact_categories::table
        .filter(contact_categories::contact_id.eq(contact_id))
        .select(contact_categories::category_id)
        .load(db)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let forest = Forest::load(db)?;
    let mut out: Vec<(CategoryId, String)> = ids
        .into_iter()
        .filter(|id| forest.nodes.contains_key(id))
        .map(|id| (id, forest.path(id)))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Ok(out)
}

/// The paths each of `contact_ids` is filed under, in path order (for exports: one query per
/// ten thousand contacts; an id given twice is read once). A contact filed nowhere is not in
/// the map.
pub fn paths_by_contact(
    db: &mut Db,
    contact_ids: &[ContactId],
) -> Result<HashMap<ContactId, Vec<String>>> {
    let mut out: HashMap<ContactId, Vec<String>> = HashMap::new();
    if contact_ids.is_empty() {
        return Ok(out);
    }
    let forest = Forest::load(db)?;
    let mut ids = contact_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut paths: HashMap<CategoryId, String> = HashMap::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let rows: Vec<(ContactId, CategoryId)> = contact_categories::table
            .filter(contact_categories::contact_id.eq_any(chunk))
            .select((
                contact_categories::contact_id,
                contact_categories::category_id,
            ))
            .load(db)?;
        for (contact, category) in rows {
            if !forest.nodes.contains_key(&category) {
                continue;
            }
            let path = paths
                .entry(category)
                .or_insert_with(|| forest.path(category))
                .clone();
            out.entry(contact).or_default().push(path);
        }
    }
    for list in out.values_mut() {
        list.sort();
    }
    Ok(out)
}

/// Files contacts stored in this same transaction, and filed nowhere yet, each under its nodes
/// (an import): the filings and audit rows [`set_for_contact`] writes for each, in a few
/// multi-row statements. A contact with no nodes is left as it is, as `set_for_contact` leaves
/// it. An unknown node refuses the whole batch.
pub fn file_new_contacts(
    db: &mut Db,
    actor: &Actor,
    filings: &[(ContactId, Vec<CategoryId>)],
) -> Result<()> {
    actor.require(Role::Agent, "file contacts under categories")?;
    super::write(db, |db| {
        let forest = Forest::load(db)?;
        let mut paths: HashMap<CategoryId, String> = HashMap::new();
        let mut rows = Vec::new();
        let mut entries = Vec::new();
        let at = super::now();
        for (contact_id, category_ids) in filings {
            let mut wanted = category_ids.clone();
            wanted.sort_unstable();
            wanted.dedup();
            if wanted.is_empty() {
                continue;
            }
            let mut categories = Vec::with_capacity(wanted.len());
            for &category_id in &wanted {
                forest.get(category_id)?;
                let path = paths
                    .entry(category_id)
                    .or_insert_with(|| forest.path(category_id));
                categories.push(path.clone());
                rows.push(ContactCategory {
                    contact_id: *contact_id,
                    category_id,
                });
            }
            categories.sort();
            entries.push(audit::NewAuditEntry::new(
                actor,
                FILING_ENTITY,
                *contact_id,
                AuditAction::Update,
                Some(&Filings {
                    categories: Vec::new(),
                }),
                Some(&Filings { categories }),
                at,
            ));
        }
        bulk::copy_contact_categories(db, &rows)?;
        audit::record_many(db, &entries)
    })
}

/// Files a contact under exactly these nodes (its other filings are removed), recorded in the
/// audit log under [`FILING_ENTITY`] with the paths before and after.
pub fn set_for_contact(
    db: &mut Db,
    actor: &Actor,
    contact_id: ContactId,
    category_ids: &[CategoryId],
) -> Result<()> {
    actor.require(Role::Agent, "file contacts under categories")?;
    let mut wanted: Vec<CategoryId> = category_ids.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    super::write(db, |db| {
        super::contacts::get(db, contact_id)?;
        let forest = Forest::load(db)?;
        for &id in &wanted {
            forest.get(id)?;
        }
        let mut current: Vec<CategoryId> = contact_categories::table
            .filter(contact_categories::contact_id.eq(contact_id))
            .select(contact_categories::category_id)
            .load(db)?;
        current.sort_unstable();
        if current == wanted {
            return Ok(());
        }
        diesel::delete(
            contact_categories::table.filter(contact_categories::contact_id.eq(contact_id)),
        )
        .execute(db)?;
        let rows: Vec<ContactCategory> = wanted
            .iter()
            .map(|&category_id| ContactCategory {
                contact_id,
                category_id,
            })
            .collect();
        bulk::contact_categories(db, &rows)?;
        let described = |ids: &[CategoryId]| {
            let mut categories: Vec<String> = ids.iter().map(|&id| forest.path(id)).collect();
            categories.sort();
            Filings { categories }
        };
        audit::record(
            db,
            actor,
            FILING_ENTITY,
            contact_id,
            AuditAction::Update,
            Some(&described(&current)),
            Some(&described(&wanted)),
        )
    })
}
