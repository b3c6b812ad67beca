//! Demo data.

use crate::db::{Db, StoreUrl};
use crate::store::Actor;

#[derive(Debug, Clone, clap::Args)]
pub struct DemoOptions {
    /// How many contacts (persons and companies)
    #[arg(long, default_value_t = 2_000)]
    pub contacts: u32,
    /// How many sales cases
    #[arg(long, default_value_t = 500)]
    pub cases: u32,
    /// How many follow-ups
    #[arg(long, default_value_t = 5_000)]
    pub followups: u32,
    /// The random seed: the same seed gives the same data
    #[arg(long, default_value_t = 1405)]
    pub seed: u64,
}

pub fn run(
    _db: &mut Db,
    _actor: &Actor,
    _options: &DemoOptions,
    _url: &StoreUrl,
) -> anyhow::Result<String> {
    Ok(String::new())
}
