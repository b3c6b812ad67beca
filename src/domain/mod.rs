//! Plain Rust with no database or terminal in it: identifiers, validation and text rules.

pub mod iran;
pub mod text;
