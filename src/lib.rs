//! Peygir: a keyboard-first CRM for the terminal. The library holds everything; the binary only
//! parses the command line and dispatches.

pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod exchange;
pub mod i18n;
pub mod report;
pub mod store;
pub mod tui;
