//! Widgets shared by the panes: the list window onto the store, the entry form, the search box
//! over a list, the command palette and the help overlay.

pub mod form;
pub mod help;
pub mod list;
pub mod palette;
pub mod search;
pub mod tree;
