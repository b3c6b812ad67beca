//! A throwaway SQLite store for the import targets: migrated, with the default lists and a first
//! user (an admin), in a folder of its own under the system's temporary folder. Imports run as
//! dry runs, so the store stays as it was made however many inputs go through it.

use std::path::PathBuf;

use peygir::db::{self, Db, StoreUrl};
use peygir::store::users::{self, Resolved};
use peygir::store::{Actor, lookups};

/// The folder of this process's store; folders left by processes that have ended are removed.
fn folder() -> PathBuf {
    let base = std::env::temp_dir();
    let prefix = "peygir-fuzz-";
    if let Ok(entries) = std::fs::read_dir(&base) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
                continue;
            };
            if !PathBuf::from("/proc").join(pid).exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let folder = base.join(format!("{prefix}{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("make the store's folder");
    folder
}

/// A new store and its admin.
pub fn open() -> (Db, Actor) {
    let url = StoreUrl::Sqlite(folder().join("fuzz.db"));
    let mut db = db::open(&url).expect("open the store");
    lookups::ensure_defaults(&mut db).expect("add the default lists");
    let actor = match users::resolve_actor(&mut db, "admin").expect("register the first admin") {
        Resolved::FirstAdmin(actor) | Resolved::Existing(actor) => actor,
    };
    (db, actor)
}

/// The most a data row's number can be in an imported file: one more than the file's line
/// breaks, past the header.
pub fn last_row(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64 + 2
}
