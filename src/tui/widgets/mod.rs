//! Widgets shared by the panes: the entry form, the command palette and the help overlay.

pub mod form;
pub mod help;
pub mod palette;
