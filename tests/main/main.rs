//! The integration tests, as one binary (one link instead of one per file: Cargo makes a test
//! binary of every `tests/*.rs`, so the modules live in this folder). Store tests are written once
//! and run on SQLite and on PostgreSQL: see `support` for how each test gets its own store.

#[macro_use]
mod support;

mod audit_cli;
mod cases_cli;
mod cases_store;
mod categories_store;
mod changes;
mod cli;
mod complaints_cli;
mod complaints_store;
mod concurrency;
mod contact_search;
mod contacts_import;
mod contacts_rules;
mod contacts_store;
mod crash_safety;
mod exchange;
mod faults;
mod hostile_input;
mod lookups_cli;
mod lookups_store;
mod pgbouncer;
mod plan_report;
mod plan_report_cli;
mod plans_cli;
mod plans_store;
mod pty;
mod pty_persian;
mod query_plans;
mod reports_cli;
mod reports_sales;
mod reports_service;
mod reports_work;
mod roles_store;
mod sales_cli;
mod sales_store;
mod schema;
mod sla_cli;
mod sla_store;
mod units_cli;
mod users_cli;
mod users_store;
