//! How a screen learns, without a key press, that someone else changed the store.
//!
//! The truth is a token that moves when another session commits a change ([`token`]): on SQLite
//! `PRAGMA data_version` (which moves only for commits made through other connections to the
//! file), on PostgreSQL the newest audit row's id (every change the store makes writes one),
//! read from the primary key's index. Reading it needs no session state, so it works behind a
//! pooler such as PgBouncer in transaction mode.
//!
//! A [`Watch`] reads the token every second while the screen is idle. On PostgreSQL it first
//! tries to be told instead: every statement that writes audit rows announces itself on
//! [`CHANNEL`] (a trigger, migration `change_notices`), and the watch `LISTEN`s there on a
//! connection of its own. It trusts that ear only once a notice sent through the store's own
//! connection has come back on it: behind a pooler in transaction mode `LISTEN` is accepted but
//! nothing is heard, so the probe is lost and the watch keeps reading the token. Listening, an
//! idle screen costs the server nothing (the socket is read locally four times a second); the
//! token is read when a notice arrives, and once every [`CHECK_WHILE_LISTENING`] in case the
//! ear failed, which sends the watch back to reading the token every second.

use std::time::{Duration, Instant};

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::db::{Db, StoreUrl};
use crate::error::Result;

/// The channel every change on a PostgreSQL store is announced on.
pub const CHANNEL: &str = "peygir_changes";
/// How often an idle screen reads the token when it is not told of changes.
pub const POLL: Duration = Duration::from_secs(1);
/// How often a listening screen reads its ear (locally: no round trip to the server).
pub const LISTEN_TICK: Duration = Duration::from_millis(250);
/// How long the probe may take to come back before the ear is given up.
pub const PROBE_WAIT: Duration = Duration::from_secs(2);
/// How often a listening screen reads the token anyway, to find an ear that fell silent.
pub const CHECK_WHILE_LISTENING: Duration = Duration::from_secs(30);

#[derive(QueryableByName)]
struct DataVersion {
    #[diesel(sql_type = BigInt)]
    data_version: i64,
}

/// The store's change token as this session sees it: a different value than last time means
/// that someone else changed something since.
pub fn token(db: &mut Db) -> Result<i64> {
    Ok(match db {
        Db::Sqlite(conn) => {
            diesel::sql_query("PRAGMA data_version")
                .get_result::<DataVersion>(conn)?
                .data_version
        }
        Db::Pg(_) => super::audit::newest(db)?,
    })
}

/// How the watch hears of changes.
enum Ear {
    /// A PostgreSQL store whose ear is opened at the first look (not before the first frame).
    Unopened(String),
    /// `LISTEN` sent on its own connection; waiting for the probe sent through the store's.
    Probing {
        conn: PgConnection,
        probe: String,
        since: Instant,
    },
    Listening(PgConnection),
    /// SQLite, or an ear refused, silent or broken: the token is read every [`POLL`].
    None,
}

/// What an idle screen asks every so often: has someone else changed the store?
pub struct Watch {
    ear: Ear,
    /// The token when the screen last read what it shows; `None` until a read succeeds.
    seen: Option<i64>,
    /// When the token was last read.
    looked: Instant,
    /// Whether that read failed.
    failed: bool,
}

impl Watch {
    /// A watch on the store `db` is connected to, as it is now.
    pub fn new(db: &mut Db, url: &StoreUrl) -> Watch {
        let ear = match url {
            StoreUrl::Postgres(url) => Ear::Unopened(url.clone()),
            StoreUrl::Sqlite(_) => Ear::None,
        };
        Watch {
            ear,
            seen: token(db).ok(),
            looked: Instant::now(),
            failed: false,
        }
    }

    /// How long the screen may wait for a key before it looks again.
    pub fn wait(&self) -> Duration {
        match self.ear {
            Ear::None => POLL,
            _ => LISTEN_TICK,
        }
    }

    /// Whether changes are announced to this watch (rather than looked for every second).
    pub fn listening(&self) -> bool {
        matches!(self.ear, Ear::Listening(_))
    }

    /// Whether someone else changed the store since the last look; cheap enough to ask at every
    /// [`wait`](Self::wait). A failed read is tried again at the next look.
    pub fn changed_elsewhere(&mut self, db: &mut Db) -> bool {
        if let Db::Pg(conn) = db {
            // Behind a pooler the store's connection may be lent a server connection an ear
            // listens on; what it was told there is not for it, and would pile up unread.
            let _ = drain(conn);
        }
        let heard = self.listen(db);
        let due = match self.ear {
            Ear::Listening(_) => heard || self.looked.elapsed() >= CHECK_WHILE_LISTENING,
            _ => heard || self.looked.elapsed() >= POLL,
        };
        if !due {
            return false;
        }
        self.looked = Instant::now();
        let Ok(now) = token(db) else {
            self.failed = true;
            return false;
        };
        self.failed = false;
        let before = self.seen.replace(now);
        let changed = before.is_some_and(|before| before != now);
        if changed && !heard && self.listening() {
            // A change nobody announced: the ear no longer hears; look every second instead.
            self.ear = Ear::None;
        }
        changed
    }

    /// Whether the last look at the store failed (the server gone away, say).
    pub fn failed(&self) -> bool {
        self.failed
    }

    /// After this session changed the store itself: what it did is not news.
    pub fn saw_own_changes(&mut self, db: &mut Db) {
        if let Ok(now) = token(db) {
            self.seen = Some(now);
        }
    }

    /// Opens the ear, or reads what it heard; whether it heard of a change.
    fn listen(&mut self, db: &mut Db) -> bool {
        let ear = std::mem::replace(&mut self.ear, Ear::None);
        let (ear, heard) = match ear {
            Ear::Unopened(url) => (open_ear(&url, db).unwrap_or(Ear::None), false),
            Ear::Probing {
                mut conn,
                probe,
                since,
            } => match drain(&mut conn) {
                Some(notices) if notices.contains(&probe) => {
                    let heard = notices.iter().any(|n| *n != probe);
                    (Ear::Listening(conn), heard)
                }
                Some(notices) if since.elapsed() < PROBE_WAIT => {
                    let heard = !notices.is_empty();
                    (Ear::Probing { conn, probe, since }, heard)
                }
                Some(_) => {
                    // The probe never came back: `LISTEN` is accepted here but nothing is heard.
                    let _ = diesel::sql_query("UNLISTEN *").execute(&mut conn);
                    (Ear::None, false)
                }
                None => (Ear::None, false),
            },
            Ear::Listening(mut conn) => match drain(&mut conn) {
                Some(notices) => (Ear::Listening(conn), !notices.is_empty()),
                None => (Ear::None, false),
            },
            Ear::None => (Ear::None, false),
        };
        self.ear = ear;
        heard
    }
}

/// Connects an ear to `url`, `LISTEN`s and sends the probe through the store's connection.
fn open_ear(url: &str, db: &mut Db) -> Option<Ear> {
    let Db::Pg(store) = db else {
        return None;
    };
    let mut conn = PgConnection::establish(url).ok()?;
    diesel::sql_query(format!("LISTEN {CHANNEL}"))
        .execute(&mut conn)
        .ok()?;
    let probe = format!("probe {} {:?}", std::process::id(), Instant::now());
    diesel::sql_query("SELECT pg_notify($1, $2)")
        .bind::<Text, _>(CHANNEL)
        .bind::<Text, _>(&probe)
        .execute(store)
        .ok()?;
    Some(Ear::Probing {
        conn,
        probe,
        since: Instant::now(),
    })
}

/// The notices' payloads the ear has received so far; `None` if its connection broke.
fn drain(conn: &mut PgConnection) -> Option<Vec<String>> {
    conn.notifications_iter()
        .map(|notice| notice.ok().map(|n| n.payload))
        .collect()
}
