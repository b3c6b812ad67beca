//! The terminal interface.

pub mod action;
pub mod keymap;
pub mod text;
pub mod widgets;

use crate::db::Db;
use crate::store::Actor;

/// Runs the interface until the user quits; the terminal is restored on every way out.
pub fn run(_db: &mut Db, _actor: Actor) -> anyhow::Result<()> {
    Ok(())
}
