//! The conditions the case reports (pipeline, channels, referrers, win-loss) share: the
//! filters' days as bounds on when a case was opened or closed, and the filters' experts.

use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::Filters;
use crate::db::schema::cases;
use crate::db::{Db, MultiBackend};
use crate::error::Result;

/// What a report dates a case by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dated {
    /// The moment it was opened (`created_at`).
    Opened,
    /// The moment it was closed (`closed_at`); a case never closed falls outside any range.
    Closed,
}

/// A condition on the cases a report counts.
pub(super) type Condition = Box<dyn BoxableExpression<cases::table, MultiBackend, SqlType = Bool>>;

/// The filters as conditions on the cases: dated within the filters' days (local days, compared
/// as UTC bounds), and of the filters' experts (the one chosen, or those of the unit).
pub(super) fn kept(db: &mut Db, filters: &Filters, dated: Dated) -> Result<Vec<Condition>> {
    let mut kept: Vec<Condition> = Vec::new();
    let (from, to) = filters.utc_range();
    match dated {
        Dated::Opened => {
            if let Some(from) = from {
                kept.push(Box::new(cases::created_at.ge(from)));
            }
            if let Some(to) = to {
                kept.push(Box::new(cases::created_at.lt(to)));
            }
        }
        Dated::Closed => {
            // An empty `closed_at` compares as unknown, so the case is left out.
            if let Some(from) = from {
                kept.push(Box::new(cases::closed_at.assume_not_null().ge(from)));
            }
            if let Some(to) = to {
                kept.push(Box::new(cases::closed_at.assume_not_null().lt(to)));
            }
        }
    }
    if let Some(experts) = filters.experts(db)? {
        kept.push(Box::new(cases::expert_id.eq_any(experts)));
    }
    Ok(kept)
}
