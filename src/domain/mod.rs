//! Plain Rust with no database or terminal in it: identifiers, validation and text rules.

pub mod iran;
pub mod money;
pub mod text;
pub mod when;
