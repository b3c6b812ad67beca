//! `peygir demo`: fills an empty store with realistic demo data (contacts, sales cases, follow-ups,
//! an inbox of planned actions, complaints, sales plans and sales), the same data for the same
//! seed and day.
//!
//! Everything goes in one transaction through the batch inserts of `store::bulk`, with one audit
//! row for the run as a whole. Dates are relative to the start of today (UTC): the history lies
//! in the past year, open work is overdue, due today or upcoming.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{Result, bail};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::db::ids::{CaseId, CategoryId, ComplaintId, ContactId, UserId};
use crate::db::{Db, StoreUrl};
use crate::domain::locale::number;
use crate::store::audit::{self, AuditAction};
use crate::store::bulk::{self};

use crate::store::{Actor, Role};
use crate::t;

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

/// What a demo run made; also the audit row's new values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub seed: u64,
    pub contacts: usize,
    pub cases: usize,
    pub followups: usize,
    pub planned_actions: usize,
    pub complaints: usize,
    pub sales: usize,
    pub sales_plans: usize,
}

/// The audit log's entity name for a demo run.
pub const ENTITY: &str = "demo";

/// The share of follow-ups (after a subject's first) that carried out an action planned in the
/// follow-up before.
const DONE_ACTION_SHARE: f64 = 0.15;

/// Rows generated before they are written; bounds memory for a million follow-ups.
const FLUSH_ROWS: usize = 20_000;

/// Fills the store with demo data and returns the summary line. Refuses a store that already has
/// contacts. Progress goes to standard error when it is a terminal.
pub fn run(db: &mut Db, actor: &Actor, options: &DemoOptions, url: &StoreUrl) -> Result<String> {
    let started = Instant::now();
    let progress = Progress::new(ProgressDrawTarget::stderr());
    progress.println(&t!("demo.start", store = url, seed = options.seed));
    let summary = fill(db, actor, options, Utc::now().date_naive(), &progress)?;
    let seconds = format!("{:.1}", started.elapsed().as_secs_f64());
    Ok(t!(
        "demo.done",
        contacts = number(summary.contacts),
        cases = number(summary.cases),
        followups = number(summary.followups),
        actions = number(summary.planned_actions),
        complaints = number(summary.complaints),
        sales = number(summary.sales),
        seconds = number(seconds),
    ))
}

/// Generates everything as of `today`, in one transaction.
fn fill(
    db: &mut Db,
    actor: &Actor,
    options: &DemoOptions,
    today: NaiveDate,
    progress: &Progress,
) -> Result<Summary> {
    actor.require(Role::Admin, "fill the store with demo data")?;
    // One transaction; the indexes (and PostgreSQL's foreign keys) of the tables it fills are
    // built and checked once, at the end.
    let (summary, finishing) = bulk::load(db, LOADED_TABLES, |db| {
        let summary = generate(db, actor, options, today, progress)?;
        Ok::<_, anyhow::Error>((summary, progress.spinner(t!("demo.step.finish"))))
    })?;
    finishing.finish();
    Ok(summary)
}

/// The tables the demo fills with many rows.
const LOADED_TABLES: &[&str] = &[
    "contacts",
    "contact_links",
    "contact_categories",
    "cases",
    "complaints",
    "complaint_status_history",
    "followups",
    "planned_actions",
    "sales",
];

/// Everything the demo makes, inside the caller's transaction.
fn generate(
    db: &mut Db,
    actor: &Actor,
    options: &DemoOptions,
    today: NaiveDate,
    progress: &Progress,
) -> Result<Summary> {
    if crate::store::contacts::any(db)? {
        bail!(t!("demo.not-empty"));
    }
    let bar = progress.step(t!("demo.step.reference"), 3);
    crate::store::ensure_defaults(db)?;
    bar.inc(1);
    let reference = Reference::load(db, actor)?;
    bar.inc(1);
    let mut demo = Demo {
        rng: ChaCha8Rng::seed_from_u64(options.seed),
        actor: actor.id,
        today,
        present: today.and_time(NaiveTime::MIN),
        reference,
    };
    let categories = demo.categories(db)?;
    bar.inc(1);
    bar.finish();

    let contacts = demo.contacts(db, options.contacts as usize, &categories, progress)?;
    let cases = demo.cases(db, &contacts, options.cases as usize, progress)?;

    let complaint_count = if contacts.all.is_empty() {
        0
    } else {
        (cases.len() / 10).max(5)
    };
    let bar = progress.step(t!("demo.step.rest"), complaint_count as u64 + 2);
    let complaints = demo.complaints(db, &contacts, &cases, complaint_count, &bar)?;
    let sales = demo.sales(db, &contacts, &cases)?;
    bar.inc(1);
    let plans = demo.plans(db, &sales)?;
    bar.inc(1);
    bar.finish();

    let (followups, actions) = demo.followups(
        db,
        &cases,
        &complaints,
        options.followups as usize,
        progress,
    )?;
    // The case list's order: when each case's earliest open action is due.
    crate::store::cases::refresh_all_next_due(db)?;

    let summary = Summary {
        seed: options.seed,
        contacts: contacts.all.len(),
        cases: cases.len(),
        followups,
        planned_actions: actions,
        complaints: complaints.len(),
        sales: sales.len(),
        sales_plans: plans,
    };
    audit::record(
        db,
        actor,
        ENTITY,
        0,
        AuditAction::Create,
        None,
        Some(&summary),
    )?;
    Ok(summary)
}

// ---------------------------------------------------------------------------------------------
// Progress

/// One progress bar per step, drawn only where the target is visible.
struct Progress {
    multi: MultiProgress,
}

impl Progress {
    fn new(target: ProgressDrawTarget) -> Progress {
        Progress {
            multi: MultiProgress::with_draw_target(target),
        }
    }

    fn step(&self, message: String, len: u64) -> ProgressBar {
        let style = ProgressStyle::with_template(
            "{msg:>28} {wide_bar} {human_pos:>9}/{human_len:9} {elapsed:>4}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        let bar = self.multi.add(ProgressBar::new(len));
        bar.set_style(style);
        bar.set_message(message);
        bar
    }

    /// A step of unknown length: the indexes and checks at the end of the load.
    fn spinner(&self, message: String) -> ProgressBar {
        let style = ProgressStyle::with_template("{msg:>28} {spinner} {elapsed:>4}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let bar = self.multi.add(ProgressBar::new_spinner());
        bar.set_style(style);
        bar.set_message(message);
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    }

    fn println(&self, text: &str) {
        // Nothing to do when stderr is gone: the summary still goes to stdout.
        let _ = self.multi.println(text);
    }
}

mod cases;
mod complaints;
mod contacts;
mod followups;
mod identifiers;
mod reference;
mod sales;
mod text;

use identifiers::whole_millions;
use reference::{Expert, Reference, choose};
#[cfg(test)]
mod tests;

// ---------------------------------------------------------------------------------------------
// The generator

struct Demo {
    rng: ChaCha8Rng,
    actor: UserId,
    today: NaiveDate,
    /// The start of today: everything before it has happened.
    present: NaiveDateTime,
    reference: Reference,
}

/// The category tree's nodes the generator files contacts under.
struct Categories {
    for_companies: Vec<(CategoryId, u32)>,
    for_persons: Vec<(CategoryId, u32)>,
}

#[derive(Debug, Clone)]
struct ContactInfo {
    id: ContactId,
    company: bool,
    english: bool,
    city: usize,
}

struct Contacts {
    all: Vec<ContactInfo>,
    companies: Vec<usize>,
    persons: Vec<usize>,
    /// For each contact that is a company, the persons working there.
    staff: BTreeMap<usize, Vec<usize>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Open,
    Won,
    Lost,
    Cancelled,
}

/// What later steps need to know about a stored case.
#[derive(Debug, Clone)]
struct CaseInfo {
    id: CaseId,
    fate: Fate,
    /// How far along the open statuses it got (index into `open_statuses`).
    reached: usize,
    created_at: NaiveDateTime,
    closed_at: Option<NaiveDateTime>,
    expert: Expert,
    /// The company if there is one, else the person.
    customer: usize,
    english: bool,
    group: usize,
    city: usize,
    won: Option<(i64, NaiveDate)>,
}

/// What the follow-up step needs to know about a stored complaint.
#[derive(Debug, Clone)]
struct ComplaintInfo {
    id: ComplaintId,
    received_at: NaiveDateTime,
    resolved_at: Option<NaiveDateTime>,
    open: bool,
    expert: Expert,
    english: bool,
}

/// The start of office hours in Tehran (08:00, UTC+03:30), as seconds after UTC midnight.
const WORK_START: i64 = 4 * 3600 + 1800;
/// The end of office hours in Tehran (18:00).
const WORK_END: i64 = 14 * 3600 + 1800;

impl Demo {
    // --- small random helpers ---

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    /// An index into a non-empty collection of `len` items.
    fn index(&mut self, len: usize) -> usize {
        self.rng.random_range(0..len.max(1))
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        choose(&mut self.rng, items)
    }

    /// One of `items` by weight.
    fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|i| i.1).sum();
        let mut roll = self.rng.random_range(0..total.max(1));
        for (item, weight) in items {
            if roll < *weight {
                return *item;
            }
            roll -= weight;
        }
        items[items.len() - 1].0
    }

    fn days(&mut self, range: std::ops::RangeInclusive<i64>) -> Duration {
        Duration::days(self.rng.random_range(range))
    }

    /// A moment in office hours on `day`.
    fn office_time(&mut self, day: NaiveDate) -> NaiveDateTime {
        day.and_time(NaiveTime::MIN)
            + Duration::seconds(self.rng.random_range(WORK_START..WORK_END))
    }

    /// A moment in `[from, until)`, in office hours when the span allows it.
    fn moment_between(&mut self, from: NaiveDateTime, until: NaiveDateTime) -> NaiveDateTime {
        let span = (until - from).num_seconds();
        if span <= 1 {
            return from;
        }
        let at = from + Duration::seconds(self.rng.random_range(0..span));
        let office = self.office_time(at.date());
        if office >= from && office < until {
            office
        } else {
            at
        }
    }

    /// An amount of rials with a number of digits in `digits` (each as likely), in whole
    /// millions: small and large deals both show up. Integer arithmetic only, like the money
    /// columns.
    fn rials(&mut self, digits: std::ops::Range<u32>) -> i64 {
        let exponent = self.rng.random_range(digits).saturating_sub(3);
        let amount = self.rng.random_range(100..1000) * 10i64.pow(exponent);
        whole_millions(amount)
    }

    fn digits(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| char::from(b'0' + self.rng.random_range(0..10u8)))
            .collect()
    }
}

/// What a follow-up or planned action is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    Case(CaseId),
    Complaint(ComplaintId),
}

impl Subject {
    /// The (case_id, complaint_id) columns.
    fn ids(self) -> (Option<CaseId>, Option<ComplaintId>) {
        match self {
            Subject::Case(id) => (Some(id), None),
            Subject::Complaint(id) => (None, Some(id)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Due {
    Overdue,
    Today,
    Upcoming,
}
