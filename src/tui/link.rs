//! The session's connection to the store, kept. When a PostgreSQL server goes away (restarted,
//! the network cut), every read and write fails until the session connects again: the loop asks
//! the link after a key whose outcome was an error, and while idle after a failed look at the
//! store. The link then sees whether the connection still answers and, if not, says so on the
//! message line and connects again every [`RETRY`] until the server is back. An open form keeps
//! what was typed throughout: a save that failed leaves it open, to be saved again.
//!
//! A SQLite store has no connection to lose: its faults (a file made read-only, a full disk) are
//! told by the failed save's own message (`error::StoreFault`), and the form stays open.

use std::time::{Duration, Instant};

use crate::db::{self, Db, StoreUrl};

/// How often a session whose server went away tries to connect again.
pub const RETRY: Duration = Duration::from_secs(2);

/// What the user is told of the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum News {
    /// It no longer answers; the link is trying again.
    Lost,
    /// It is back, on a new connection: what the screen shows is read again.
    Back,
}

pub struct Link {
    url: StoreUrl,
    /// Since when the connection has not answered, and when the link last tried to connect.
    lost: Option<Instant>,
    tried: Option<Instant>,
}

impl Link {
    pub fn new(url: &StoreUrl) -> Link {
        Link {
            url: bounded(url),
            lost: None,
            tried: None,
        }
    }

    /// Whether the connection is known to be lost.
    pub fn is_lost(&self) -> bool {
        self.lost.is_some()
    }

    /// Looks after the connection: when something failed (`suspect`) and it no longer answers,
    /// or it was already lost, connects again (at most every [`RETRY`]); on success `db` is the
    /// new connection. What the user should be told, if anything changed.
    pub fn keep(&mut self, db: &mut Db, suspect: bool) -> Option<News> {
        if !matches!(db, Db::Pg(_)) {
            return None;
        }
        let mut news = None;
        if self.lost.is_none() {
            if !suspect || db::answers(db) {
                return None;
            }
            self.lost = Some(Instant::now());
            self.tried = None;
            news = Some(News::Lost);
        }
        if self.tried.is_some_and(|at| at.elapsed() < RETRY) {
            return news;
        }
        self.tried = Some(Instant::now());
        match db::connect(&self.url) {
            Ok(fresh) => {
                *db = fresh;
                self.lost = None;
                Some(News::Back)
            }
            Err(_) => news,
        }
    }
}

/// `url` with a bound on how long connecting may take ([`RETRY`]), unless it sets one: a server
/// cut off by the network would otherwise keep the screen waiting for the system's TCP timeout.
fn bounded(url: &StoreUrl) -> StoreUrl {
    match url {
        StoreUrl::Postgres(text) if !text.contains("connect_timeout") => {
            let joint = if text.contains('?') { '&' } else { '?' };
            StoreUrl::Postgres(format!("{text}{joint}connect_timeout={}", RETRY.as_secs()))
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connecting_again_waits_no_longer_than_the_retry() {
        let bounded = |url: &str| match bounded(&StoreUrl::parse(url)) {
            StoreUrl::Postgres(text) => text,
            StoreUrl::Sqlite(path) => path.display().to_string(),
        };
        assert_eq!(
            bounded("postgres://ali@db/team"),
            "postgres://ali@db/team?connect_timeout=2"
        );
        assert_eq!(
            bounded("postgres://ali@/team?host=/run/pg"),
            "postgres://ali@/team?host=/run/pg&connect_timeout=2"
        );
        assert_eq!(
            bounded("postgres://ali@db/team?connect_timeout=9"),
            "postgres://ali@db/team?connect_timeout=9"
        );
        assert_eq!(bounded("/tmp/p.db"), "/tmp/p.db");
    }
}
