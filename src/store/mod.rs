//! Every read and write of the data, one module per aggregate. A write takes the acting user,
//! runs in one transaction, bumps the row's `version` (a stale version is a conflict, never a
//! silent overwrite) and records an `audit_log` row.

pub mod audit;
pub mod bulk;
pub mod cases;
pub mod categories;
pub mod complaints;
pub mod contacts;
pub mod followups;
pub mod inbox;
pub mod lookups;
pub mod names;
pub mod numbers;
pub mod plans;
pub mod users;

use chrono::{NaiveDateTime, Utc};

pub use users::{Actor, Role};

/// Now, in UTC, to the second: what every timestamp column stores.
pub fn now() -> NaiveDateTime {
    let now = Utc::now().naive_utc();
    now.with_nanosecond_zero()
}

trait SecondsOnly {
    fn with_nanosecond_zero(self) -> Self;
}

impl SecondsOnly for NaiveDateTime {
    fn with_nanosecond_zero(self) -> Self {
        chrono::Timelike::with_nanosecond(&self, 0).unwrap_or(self)
    }
}
