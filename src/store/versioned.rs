//! The one way a stored row is changed. [`update`] checks that the acting user may make the
//! change, refuses a stale version, makes the caller's change, bumps the row's version (with the
//! version it read in the `WHERE`, so a writer that got in between is caught and everything rolls
//! back) and writes the audit row with the values before and after. A module that stores a new
//! kind of row implements [`Stored`] and [`Versioned`] for it (with [`stored!`] and
//! [`versioned!`]), records its creation with [`created`] and calls [`update`] from each of its
//! changes.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::db::Db;
use crate::db::ids::UserId;
use crate::error::{ChangedBy, Error, Result};

use super::Actor;
use super::audit::{self, AuditAction};

/// A row of a table with an `id`: what the audit log calls it and how to read it back.
pub trait Stored: Serialize + Sized {
    /// The audit log's entity (`case`, `contact`).
    const ENTITY: &'static str;
    /// The catalog key of its name in messages (`entity.case`).
    const NAME: &'static str;

    /// Its typed id (`CaseId`, `ContactId`).
    type Id: Copy + Into<i64>;

    /// The row with `id`, or `Error::NotFound`.
    fn get(db: &mut Db, id: Self::Id) -> Result<Self>;
}

/// A stored row with a `version` that every change bumps.
pub trait Versioned: Stored {
    fn id(&self) -> Self::Id;
    fn version(&self) -> i64;
    /// Bumps the version of row `id` if it is still at `version`, saying who changed it and
    /// when; how many rows that touched (0: another writer changed it first).
    fn claim(
        db: &mut Db,
        id: Self::Id,
        version: i64,
        by: UserId,
        at: NaiveDateTime,
    ) -> Result<usize>;
    /// Who last changed row `id` (where the table says) and when, as its row records it; `None`
    /// when there is no such row.
    fn last_change(db: &mut Db, id: Self::Id) -> Result<Option<(Option<UserId>, NaiveDateTime)>>;
}

/// Implements [`Stored`] for a row struct (`Queryable` and `Selectable` from `$table`):
/// `stored!(Case, CaseId, cases, ENTITY, "entity.case")`.
macro_rules! stored {
    ($row:ty, $id:ty, $table:ident, $entity:expr, $name:literal) => {
        impl $crate::store::versioned::Stored for $row {
            const ENTITY: &'static str = $entity;
            const NAME: &'static str = $name;

            type Id = $id;

            fn get(db: &mut $crate::db::Db, id: $id) -> $crate::error::Result<$row> {
                use diesel::prelude::*;
                $crate::db::schema::$table::table
                    .find(id)
                    .select(<$row>::as_select())
                    .first(db)
                    .optional()?
                    .ok_or_else(|| $crate::store::versioned::not_found::<$row>(id))
            }
        }
    };
}
pub(crate) use stored;

/// Implements [`Versioned`] for a stored row with `id` and `version` fields, bumping `$table`'s
/// `version`, `updated_at` and, when the table has it (`versioned!(Case, cases, updated_by)`),
/// `updated_by`, where the id and the version still match.
macro_rules! versioned {
    (@last_change $db:ident, $id:ident, $table:ident, $updated_by:ident) => {
        $table::table
            .find($id)
            .select(($table::$updated_by.nullable(), $table::updated_at))
            .first::<(Option<$crate::db::ids::UserId>, chrono::NaiveDateTime)>($db)
            .optional()
    };
    (@last_change $db:ident, $id:ident, $table:ident) => {
        $table::table
            .find($id)
            .select($table::updated_at)
            .first::<chrono::NaiveDateTime>($db)
            .optional()
            .map(|at| at.map(|at| (None, at)))
    };
    ($row:ty, $table:ident $(, $updated_by:ident)?) => {
        impl $crate::store::versioned::Versioned for $row {
            fn id(&self) -> Self::Id {
                self.id
            }

            fn version(&self) -> i64 {
                self.version
            }

            fn claim(
                db: &mut $crate::db::Db,
                id: Self::Id,
                version: i64,
                by: $crate::db::ids::UserId,
                at: chrono::NaiveDateTime,
            ) -> $crate::error::Result<usize> {
                use diesel::prelude::*;
                use $crate::db::schema::$table;
                // A table without `updated_by` records who changed it in the audit log alone.
                let _ = by;
                Ok(diesel::update(
                    $table::table
                        .filter($table::id.eq(id))
                        .filter($table::version.eq(version)),
                )
                .set((
                    $table::version.eq($table::version + 1),
                    $($table::$updated_by.eq(by),)?
                    $table::updated_at.eq(at),
                ))
                .execute(db)?)
            }

            fn last_change(
                db: &mut $crate::db::Db,
                id: Self::Id,
            ) -> $crate::error::Result<
                Option<(Option<$crate::db::ids::UserId>, chrono::NaiveDateTime)>,
            > {
                use diesel::prelude::*;
                use $crate::db::schema::$table;
                Ok($crate::store::versioned::versioned!(
                    @last_change db, id, $table $(, $updated_by)?
                )?)
            }
        }
    };
}
pub(crate) use versioned;

/// `R` with `id` was changed by someone else since it was read.
pub fn conflict<R: Stored>(id: R::Id) -> Error {
    conflict_by::<R>(id, None)
}

/// `R` with `id` was changed by someone else since it was read, saying who saved it last and
/// when: its `updated_by` and `updated_at`, or, for a table that does not keep who, the author
/// of its latest audit row. A conflict without the names when they cannot be read.
pub fn changed_since<R: Versioned>(db: &mut Db, id: R::Id) -> Error {
    conflict_by::<R>(id, last_change::<R>(db, id).ok().flatten())
}

fn conflict_by<R: Stored>(id: R::Id, by: Option<ChangedBy>) -> Error {
    Error::Conflict {
        entity: crate::i18n::tr(R::NAME).to_string(),
        id: id.into(),
        by,
    }
}

fn last_change<R: Versioned>(db: &mut Db, id: R::Id) -> Result<Option<ChangedBy>> {
    use diesel::prelude::*;

    use crate::db::schema::users;
    let Some((by, at)) = R::last_change(db, id)? else {
        return Ok(None);
    };
    let by = match by {
        Some(by) => Some(by),
        None => {
            let latest = audit::AuditFilter {
                limit: 1,
                ..audit::AuditFilter::of(R::ENTITY, id)
            };
            audit::search(db, &latest)?
                .first()
                .and_then(|entry| entry.user_id)
        }
    };
    let Some(by) = by else {
        return Ok(None);
    };
    let who: Option<String> = users::table
        .find(by)
        .select(users::display_name)
        .first(db)
        .optional()?;
    Ok(who.map(|who| ChangedBy { who, at }))
}

/// `R` with `id` is not on file.
pub fn not_found<R: Stored>(id: R::Id) -> Error {
    Error::NotFound {
        entity: crate::i18n::tr(R::NAME).to_string(),
        id: id.into(),
    }
}

/// What a change did to the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    /// It changed the row: bump the version and audit it.
    Yes,
    /// Nothing needed changing (the value asked for is the one stored): the row stays as it is.
    No,
}

/// Changes the row `id` of `R` if it is still at `expected_version`, in one write transaction,
/// and returns it as stored. `allowed` refuses the change for the acting user or the row's
/// state (it sees the row as it is); `change` validates and writes the caller's columns at the
/// time it is given (the one the row records), and says whether it changed anything. Fails
/// with `Error::NotFound`, `Error::Conflict` (stale, or changed meanwhile), or whatever
/// `allowed` or `change` returns, with nothing written.
pub(crate) fn update<R: Versioned>(
    db: &mut Db,
    actor: &Actor,
    id: R::Id,
    expected_version: i64,
    action: AuditAction,
    allowed: impl FnOnce(&R) -> Result<()>,
    change: impl FnOnce(&mut Db, &R, NaiveDateTime) -> Result<Changed>,
) -> Result<R> {
    super::write(db, |db| {
        let old = R::get(db, id)?;
        if old.version() != expected_version {
            return Err(changed_since::<R>(db, id));
        }
        allowed(&old)?;
        let now = super::now();
        match change(db, &old, now)? {
            Changed::No => Ok(old),
            Changed::Yes => finish(db, actor, &old, action, now),
        }
    })
}

/// The end of every change of a row already checked and written in this transaction: bumps
/// `old`'s version (a conflict when another writer got in between), reloads it and audits it.
pub(crate) fn finish<R: Versioned>(
    db: &mut Db,
    actor: &Actor,
    old: &R,
    action: AuditAction,
    at: NaiveDateTime,
) -> Result<R> {
    if R::claim(db, old.id(), old.version(), actor.id, at)? == 0 {
        return Err(changed_since::<R>(db, old.id()));
    }
    let new = R::get(db, old.id())?;
    audit::record(
        db,
        actor,
        R::ENTITY,
        old.id(),
        action,
        Some(old),
        Some(&new),
    )?;
    Ok(new)
}

/// The row `id` of `R` just inserted in this transaction, read back and audited as created.
pub(crate) fn created<R: Stored>(db: &mut Db, actor: &Actor, id: R::Id) -> Result<R> {
    let new = R::get(db, id)?;
    audit::record(
        db,
        actor,
        R::ENTITY,
        id,
        AuditAction::Create,
        None,
        Some(&new),
    )?;
    Ok(new)
}
