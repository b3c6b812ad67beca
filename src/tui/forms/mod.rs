//! The entry forms shared by several panes, built on the generic form widget: the follow-up
//! form (logging a call from anywhere, a follow-up on a case, carrying out a planned action from
//! the inbox), a record's history (the overlay of its audit trail), and the candidates a lookup
//! of users offers.

pub mod export;
pub mod filter;
pub mod followup;
pub mod history;

use crate::db::ids::UserId;
use crate::domain::text::search_key;
use crate::store::users::User;

/// The users whose name or login (which the lists show) holds `query`, Persian-normalised, as a
/// lookup field's candidates: (id, name), at most ten.
pub fn user_candidates(users: Vec<User>, query: &str) -> Vec<(UserId, String)> {
    let query = search_key(query);
    users
        .into_iter()
        .filter(|u| {
            search_key(&u.display_name).contains(&query) || search_key(&u.login).contains(&query)
        })
        .map(|u| (u.id, u.display_name))
        .take(10)
        .collect()
}
