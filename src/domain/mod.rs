//! Plain Rust with no database or terminal in it: identifiers, validation, text rules, and the
//! calendars, digits and date formats a user works in.

pub mod iran;
pub mod jalali;
pub mod locale;
pub mod money;
pub mod text;
pub mod tree;
pub mod when;
pub mod working_time;
