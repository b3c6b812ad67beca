//! The library's error type. Each variant's text comes from the message catalog and names what the
//! user can act on: the store, the entity and id, or the field.

use crate::t;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", t!("error.store-open", store = store, reason = reason))]
    Open { store: String, reason: String },
    #[error("{}", t!("error.migration", store = store, reason = reason))]
    Migration { store: String, reason: String },
    /// The record changed since the user read it; `by` says who saved it and when, where the
    /// store knows.
    #[error("{}", conflict_text(entity, *id, by.as_ref()))]
    Conflict {
        entity: String,
        id: i64,
        by: Option<ChangedBy>,
    },
    #[error("{}", t!("error.not-found", entity = entity, id = id))]
    NotFound { entity: String, id: i64 },
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("{}", t!("error.forbidden", user = user, what = what))]
    Forbidden { user: String, what: String },
    #[error("{}", t!("error.inactive-user", user = user))]
    InactiveUser { user: String },
    #[error("{}", t!("error.unknown-user", user = user))]
    UnknownUser { user: String },
    #[error("{}", database_text(.0))]
    Database(#[from] diesel::result::Error),
}

/// What went wrong with the store, as its cause, for the faults a user can act on or wait out:
/// the connection to the server lost, the store's file made read-only, the disk full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreFault {
    /// The server closed the connection, or it cannot be reached (restarted, network cut).
    ConnectionLost,
    /// The store may be read but not written (a SQLite file or folder made read-only).
    ReadOnly,
    /// No room left to write (the disk, or the server's).
    DiskFull,
}

impl StoreFault {
    /// The fault `error` is, if it is one of these.
    pub fn of(error: &diesel::result::Error) -> Option<StoreFault> {
        use diesel::result::{DatabaseErrorKind, Error as Diesel};
        let message = match error {
            Diesel::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
                return Some(StoreFault::ConnectionLost);
            }
            Diesel::DatabaseError(_, info) => info.message().to_lowercase(),
            other => other.to_string().to_lowercase(),
        };
        let any = |texts: &[&str]| texts.iter().any(|t| message.contains(t));
        if any(&[
            "server closed the connection",
            "terminating connection",
            "connection to server",
            "no connection to the server",
            "connection refused",
            "broken pipe",
            "the database system is shutting down",
            "the database system is starting up",
        ]) {
            Some(StoreFault::ConnectionLost)
        } else if any(&[
            "readonly database",
            "read-only database",
            "read-only file system",
        ]) {
            Some(StoreFault::ReadOnly)
        } else if any(&["database or disk is full", "no space left on device"]) {
            Some(StoreFault::DiskFull)
        } else {
            None
        }
    }
}

impl Error {
    /// The store fault behind this error, if it is one.
    pub fn fault(&self) -> Option<StoreFault> {
        match self {
            Error::Database(e) => StoreFault::of(e),
            _ => None,
        }
    }
}

fn database_text(error: &diesel::result::Error) -> String {
    match StoreFault::of(error) {
        Some(StoreFault::ConnectionLost) => t!("error.store-lost"),
        Some(StoreFault::ReadOnly) => t!("error.store-read-only"),
        Some(StoreFault::DiskFull) => t!("error.disk-full"),
        None => t!("error.database", detail = error),
    }
}

/// Who last saved a record and when (UTC), for a conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedBy {
    /// The user's display name.
    pub who: String,
    pub at: chrono::NaiveDateTime,
}

impl ChangedBy {
    /// When, in local time as people read it: the time alone on the day it is now (`10:42`),
    /// else the date and time.
    pub fn when(&self) -> String {
        use crate::domain::{locale, when};
        let at = when::to_local(self.at);
        if at.date() == when::to_local(chrono::Utc::now().naive_utc()).date() {
            locale::time(at)
        } else {
            locale::date_time(at)
        }
    }
}

fn conflict_text(entity: &str, id: i64, by: Option<&ChangedBy>) -> String {
    match by {
        Some(by) => t!(
            "error.conflict-by",
            who = by.who,
            when = by.when(),
            entity = entity,
            id = id
        ),
        None => t!("error.conflict", entity = entity, id = id),
    }
}

/// One field that failed validation, with the reason in the user's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub reason: String,
}

impl FieldError {
    pub fn new(field: &'static str, reason: String) -> FieldError {
        FieldError { field, reason }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}",
            t!(
                "error.invalid",
                field = crate::i18n::tr(self.field),
                reason = self.reason
            )
        )
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
