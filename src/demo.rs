//! `peygir demo`: fills an empty store with realistic demo data (contacts, sales cases, follow-ups,
//! an inbox of planned actions, complaints, sales plans and sales), the same data for the same
//! seed and day.
//!
//! Everything goes in one transaction through the batch inserts of `store::bulk`, with one audit
//! row for the run as a whole. Dates are relative to the start of today (UTC): the history lies
//! in the past year, open work is overdue, due today or upcoming.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use anyhow::{Result, anyhow, bail};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::db::{Db, StoreUrl};
use crate::domain::iran;
use crate::domain::locale::number;
use crate::store::audit::{self, AuditAction};
use crate::store::bulk::{
    self, ContactCategory, NewCase, NewComplaint, NewComplaintStatusChange, NewContact,
    NewContactLink, NewFollowUp, NewPlanLine, NewPlannedAction, NewSale, NewSalesPlan,
};
use crate::store::contacts::{ContactFields, ContactKind};
use crate::store::lookups::{self, List, Lookup, Outcome};
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
    lookups::ensure_defaults(db)?;
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

// ---------------------------------------------------------------------------------------------
// Reference data: lists, statuses, org units, experts

#[derive(Debug, Clone)]
struct Kind {
    id: i64,
    code: String,
}

/// A leaf product group and the top-level group it belongs to.
#[derive(Debug, Clone)]
struct ProductGroup {
    id: i64,
    top: i64,
    noun_en: String,
    noun_fa: String,
}

/// A city (leaf region) and its province.
#[derive(Debug, Clone)]
struct City {
    id: i64,
    province: i64,
    name_en: String,
    name_fa: String,
    area_code: &'static str,
}

#[derive(Debug, Clone, Copy)]
struct Expert {
    id: i64,
    unit: i64,
}

/// What the generators pick from, loaded once after the defaults are in place.
struct Reference {
    open_statuses: Vec<i64>,
    won: i64,
    lost: i64,
    cancelled: i64,
    followup_kinds: Vec<Kind>,
    action_kinds: Vec<Kind>,
    channels: Vec<i64>,
    company_types: Vec<i64>,
    activity_fields: Vec<i64>,
    product_groups: Vec<ProductGroup>,
    top_groups: Vec<i64>,
    cities: Vec<City>,
    provinces: Vec<i64>,
    complaint_categories: Vec<Kind>,
    close_reasons: Vec<i64>,
    sales_experts: Vec<Expert>,
    after_sales_experts: Vec<Expert>,
}

impl Reference {
    fn load(db: &mut Db, actor: &Actor) -> Result<Reference> {
        let statuses = lookups::statuses(db)?;
        let active = |outcome: Outcome| {
            statuses
                .iter()
                .filter(|s| s.active && s.outcome() == outcome)
                .map(|s| s.id)
                .collect::<Vec<_>>()
        };
        let first = |outcome: Outcome| {
            active(outcome)
                .first()
                .copied()
                .ok_or_else(|| anyhow!(t!("demo.no-status", outcome = outcome.as_str())))
        };
        // The initial status first, then the other open ones in funnel order.
        let mut open_statuses: Vec<i64> = statuses
            .iter()
            .filter(|s| s.active && s.outcome() == Outcome::Open && s.is_initial)
            .map(|s| s.id)
            .collect();
        for id in active(Outcome::Open) {
            if !open_statuses.contains(&id) {
                open_statuses.push(id);
            }
        }
        if open_statuses.is_empty() {
            bail!(t!("demo.no-status", outcome = Outcome::Open.as_str()));
        }
        let won = first(Outcome::Won)?;
        let lost = first(Outcome::Lost)?;
        let cancelled = first(Outcome::Cancelled)?;

        let kinds = |db: &mut Db, list: List| -> Result<Vec<Kind>> {
            let kinds: Vec<Kind> = lookups::items(db, list)?
                .into_iter()
                .map(|l| Kind {
                    id: l.id,
                    code: l.code,
                })
                .collect();
            non_empty(kinds, list)
        };
        let ids = |db: &mut Db, list: List| -> Result<Vec<i64>> {
            non_empty(lookups::ids(db, list)?, list)
        };

        let groups = lookups::items(db, List::ProductGroup)?;
        let product_groups: Vec<ProductGroup> = leaves(&groups)
            .into_iter()
            .map(|(leaf, top)| {
                let (en, fa) = text::PRODUCT_NOUNS
                    .iter()
                    .find(|p| p.0 == leaf.code)
                    .map(|p| (p.1.to_string(), p.2.to_string()))
                    .unwrap_or_else(|| (leaf.name.to_lowercase(), leaf.name.clone()));
                ProductGroup {
                    id: leaf.id,
                    top,
                    noun_en: en,
                    noun_fa: fa,
                }
            })
            .collect();
        let product_groups = non_empty(product_groups, List::ProductGroup)?;
        let regions = lookups::items(db, List::Region)?;
        let cities: Vec<City> = leaves(&regions)
            .into_iter()
            .map(|(leaf, province)| {
                let known = text::CITIES.iter().find(|c| c.0 == leaf.code);
                City {
                    id: leaf.id,
                    province,
                    name_en: leaf.name.clone(),
                    name_fa: known.map_or_else(|| leaf.name.clone(), |c| c.1.to_string()),
                    area_code: known.map_or("021", |c| c.2),
                }
            })
            .collect();
        let cities = non_empty(cities, List::Region)?;

        let (sales_experts, after_sales_experts) = experts(db, actor)?;
        Ok(Reference {
            open_statuses,
            won,
            lost,
            cancelled,
            followup_kinds: kinds(db, List::FollowupKind)?,
            action_kinds: kinds(db, List::ActionKind)?,
            channels: ids(db, List::MarketingChannel)?,
            company_types: ids(db, List::CompanyType)?,
            activity_fields: ids(db, List::ActivityField)?,
            top_groups: distinct(product_groups.iter().map(|g| g.top)),
            product_groups,
            provinces: distinct(cities.iter().map(|c| c.province)),
            cities,
            complaint_categories: kinds(db, List::ComplaintCategory)?,
            close_reasons: ids(db, List::CloseReason)?,
            sales_experts,
            after_sales_experts,
        })
    }
}

/// One of `items`, which is never empty: every list is checked when it is loaded.
fn choose<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len().max(1))]
}

fn non_empty<T>(items: Vec<T>, list: List) -> Result<Vec<T>> {
    if items.is_empty() {
        bail!(t!("demo.empty-list", list = list.as_str()));
    }
    Ok(items)
}

fn distinct(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut seen = BTreeSet::new();
    ids.filter(|id| seen.insert(*id)).collect()
}

/// The leaves of a tree-shaped list, each with the top-level entry it hangs under (an entry
/// without children is its own leaf and top).
fn leaves(items: &[Lookup]) -> Vec<(&Lookup, i64)> {
    let by_id: BTreeMap<i64, &Lookup> = items.iter().map(|l| (l.id, l)).collect();
    let parents: BTreeSet<i64> = items.iter().filter_map(|l| l.parent_id).collect();
    items
        .iter()
        .filter(|l| !parents.contains(&l.id))
        .map(|leaf| {
            let mut top = leaf;
            // The depth bound guards against a cycle an admin might have made.
            for _ in 0..32 {
                match top.parent_id.and_then(|p| by_id.get(&p)) {
                    Some(parent) => top = parent,
                    None => break,
                }
            }
            (leaf, top.id)
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Head,
    TehranSales,
    IsfahanSales,
    AfterSales,
}

/// The demo's experts and the units they work in. A login already on file is used as it is.
fn experts(db: &mut Db, actor: &Actor) -> Result<(Vec<Expert>, Vec<Expert>)> {
    let head = lookups::org_unit(db, None, "Head office")?;
    let tehran = lookups::org_unit(db, Some(head), "Tehran sales")?;
    let isfahan = lookups::org_unit(db, Some(head), "Isfahan sales")?;
    let after_sales = lookups::org_unit(db, Some(head), "After-sales and complaints")?;
    let unit_id = |unit: Unit| match unit {
        Unit::Head => head,
        Unit::TehranSales => tehran,
        Unit::IsfahanSales => isfahan,
        Unit::AfterSales => after_sales,
    };
    // The person running the demo sells in Tehran, so their inbox has work in it.
    let mut sales = vec![Expert {
        id: actor.id,
        unit: tehran,
    }];
    let mut after = Vec::new();
    for (login, name, role, unit) in text::EXPERTS {
        let id = match crate::store::users::by_login(db, login)? {
            Some(user) => user.id,
            None => crate::store::users::insert_user(db, login, name, *role, Some(unit_id(*unit)))?,
        };
        let expert = Expert {
            id,
            unit: unit_id(*unit),
        };
        match unit {
            Unit::TehranSales | Unit::IsfahanSales if id != actor.id => sales.push(expert),
            Unit::AfterSales => after.push(expert),
            _ => {}
        }
    }
    Ok((sales, after))
}

// ---------------------------------------------------------------------------------------------
// The generator

struct Demo {
    rng: ChaCha8Rng,
    actor: i64,
    today: NaiveDate,
    /// The start of today: everything before it has happened.
    present: NaiveDateTime,
    reference: Reference,
}

/// The category tree's nodes the generator files contacts under.
struct Categories {
    for_companies: Vec<(i64, u32)>,
    for_persons: Vec<(i64, u32)>,
}

#[derive(Debug, Clone)]
struct ContactInfo {
    id: i64,
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
    id: i64,
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
    id: i64,
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

    // --- categories ---

    fn categories(&mut self, db: &mut Db) -> Result<Categories> {
        let mut ids: BTreeMap<&str, i64> = BTreeMap::new();
        for (position, (name, children)) in (1..).zip(text::CATEGORIES) {
            let parent = crate::store::categories::find_or_add(db, None, name, position)?;
            ids.insert(name, parent);
            for (child_position, child) in (1..).zip(*children) {
                ids.insert(
                    child,
                    crate::store::categories::find_or_add(db, Some(parent), child, child_position)?,
                );
            }
        }
        let weights = |table: &[(&str, u32)]| {
            table
                .iter()
                .filter_map(|(name, w)| ids.get(name).map(|id| (*id, *w)))
                .collect::<Vec<_>>()
        };
        Ok(Categories {
            for_companies: weights(text::COMPANY_CATEGORIES),
            for_persons: weights(text::PERSON_CATEGORIES),
        })
    }

    // --- contacts ---

    fn contacts(
        &mut self,
        db: &mut Db,
        count: usize,
        categories: &Categories,
        progress: &Progress,
    ) -> Result<Contacts> {
        let bar = progress.step(t!("demo.step.contacts"), count as u64);
        let mut national_codes = Unique::new(
            self.rng.random_range(0..1_000_000_000),
            1_000_000_000,
            387_420_489,
        );
        let mut company_ids = Unique::new(
            self.rng.random_range(0..100_000_000),
            100_000_000,
            43_046_721,
        );
        let mut all = Vec::with_capacity(count);
        let mut buffer: Vec<NewContact> = Vec::with_capacity(FLUSH_ROWS.min(count));
        let mut pending: Vec<ContactInfo> = Vec::new();
        for i in 0..count {
            let company = match i {
                0 => true,
                1 => false,
                _ => self.chance(0.3),
            };
            let english = self.chance(if company { 0.4 } else { 0.35 });
            let city = self.index(self.reference.cities.len());
            let fields = if company {
                self.company(english, city, &mut company_ids)
            } else {
                self.person(english, city, &mut national_codes)
            }
            .prepare()?;
            let created = self.present - self.days(366..=1095);
            let created = self.office_time(created.date());
            buffer.push(NewContact::new(fields, self.actor, created));
            pending.push(ContactInfo {
                id: 0,
                company,
                english,
                city,
            });
            if buffer.len() >= FLUSH_ROWS || i + 1 == count {
                let ids = bulk::contacts(db, &buffer)?;
                for (mut info, id) in pending.drain(..).zip(ids) {
                    info.id = id;
                    all.push(info);
                }
                bar.inc(buffer.len() as u64);
                buffer.clear();
            }
        }
        let companies: Vec<usize> = (0..all.len()).filter(|&i| all[i].company).collect();
        let persons: Vec<usize> = (0..all.len()).filter(|&i| !all[i].company).collect();
        let mut contacts = Contacts {
            all,
            companies,
            persons,
            staff: BTreeMap::new(),
        };
        self.contact_links(db, &mut contacts)?;
        self.file_contacts(db, &contacts, categories)?;
        bar.finish();
        Ok(contacts)
    }

    fn person(&mut self, english: bool, city: usize, codes: &mut Unique) -> ContactFields {
        let female = self.chance(0.45);
        let (first, last, first_latin, last_latin) = if english {
            let first = if female {
                *self.pick(text::FIRST_NAMES_EN_F)
            } else {
                *self.pick(text::FIRST_NAMES_EN_M)
            };
            let last = *self.pick(text::LAST_NAMES_EN);
            (first.to_string(), last.to_string(), first, last)
        } else {
            let first = if female {
                *self.pick(text::FIRST_NAMES_FA_F)
            } else {
                *self.pick(text::FIRST_NAMES_FA_M)
            };
            let last = *self.pick(text::LAST_NAMES_FA);
            // Names typed on an Arabic keyboard: ي and ك for ی and ک.
            let arabic = self.chance(0.12);
            let spell = |s: &str| {
                if arabic {
                    s.replace('ی', "ي").replace('ک', "ك")
                } else {
                    s.to_string()
                }
            };
            (spell(first.0), spell(last.0), first.1, last.1)
        };
        let national_code = if self.chance(if english { 0.4 } else { 0.95 }) {
            Some(national_code(codes))
        } else {
            None
        };
        let birth_date = self
            .chance(0.8)
            .then(|| ymd(1950, 1, 1) + Duration::days(self.rng.random_range(0..365 * 55)));
        let email = self.chance(if english { 0.8 } else { 0.5 }).then(|| {
            let number = if self.chance(0.5) {
                self.rng.random_range(1..100).to_string()
            } else {
                String::new()
            };
            let domain = self.pick(text::MAIL_DOMAINS);
            format!(
                "{}.{}{number}@{domain}",
                first_latin.to_lowercase(),
                last_latin.to_lowercase()
            )
        });
        let area = self.reference.cities[city].area_code;
        ContactFields {
            kind: ContactKind::Person.as_str().to_string(),
            first_name: Some(first),
            last_name: Some(last),
            national_code,
            birth_date,
            gender: self
                .chance(0.9)
                .then(|| if female { "female" } else { "male" }.to_string()),
            marital_status: self.chance(0.7).then(|| {
                if self.chance(0.65) {
                    "married"
                } else {
                    "single"
                }
                .to_string()
            }),
            mobile: self.chance(0.95).then(|| self.mobile()),
            phone: self
                .chance(0.3)
                .then(|| format!("{area}-{}", self.digits(8))),
            email,
            postal_code: self.chance(0.6).then(|| self.postal_code()),
            address: self.chance(0.6).then(|| self.address(english, city)),
            region_id: self.chance(0.95).then(|| self.reference.cities[city].id),
            notes: self.chance(0.05).then(|| {
                if english {
                    "Prefers calls in the morning.".to_string()
                } else {
                    "ترجیح می‌دهد صبح‌ها با او تماس بگیرید.".to_string()
                }
            }),
            ..ContactFields::default()
        }
    }

    fn company(&mut self, english: bool, city: usize, ids: &mut Unique) -> ContactFields {
        let (name, domain) = if english {
            let first = *self.pick(text::COMPANY_EN_FIRST);
            let second = *self.pick(text::COMPANY_EN_SECOND);
            let form = *self.pick(text::COMPANY_EN_FORM);
            let name = [first, second, form]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let domain = format!("{first}{second}.com")
                .to_lowercase()
                .replace(' ', "");
            (name, domain)
        } else {
            let core = *self.pick(text::COMPANY_FA_CORE);
            let trade = *self.pick(text::COMPANY_FA_TRADE);
            let suffix = *self.pick(text::COMPANY_FA_SUFFIX);
            let mut name = format!("{} {}{}", core.0, trade.0, suffix.0);
            if self.chance(0.3) {
                name = format!("شرکت {name}");
            }
            if self.chance(0.1) {
                name.push_str(" (سهامی خاص)");
            }
            (name, format!("{}{}{}.ir", core.1, trade.1, suffix.1))
        };
        let staff = self.chance(0.8).then(|| {
            let scale = 10i64.pow(self.rng.random_range(0..3));
            self.rng.random_range(3..50) * scale
        });
        let turnover = self.chance(0.7).then(|| {
            let per_head_millions: i64 = self.rng.random_range(300..3_000);
            staff.unwrap_or(20) * per_head_millions * 1_000_000
        });
        let area = self.reference.cities[city].area_code;
        let company_type = *choose(&mut self.rng, &self.reference.company_types);
        let activity = *choose(&mut self.rng, &self.reference.activity_fields);
        ContactFields {
            kind: ContactKind::Company.as_str().to_string(),
            company_name: Some(name),
            company_national_id: self.chance(0.95).then(|| company_national_id(ids)),
            economic_code: self.chance(0.85).then(|| format!("411{}", self.digits(9))),
            registration_number: self
                .chance(0.85)
                .then(|| self.rng.random_range(1_000..999_999).to_string()),
            registration_date: self
                .chance(0.8)
                .then(|| ymd(1975, 1, 1) + Duration::days(self.rng.random_range(0..365 * 48))),
            company_type_id: self.chance(0.9).then_some(company_type),
            activity_field_id: self.chance(0.9).then_some(activity),
            staff_count: staff,
            turnover,
            phone: self
                .chance(0.95)
                .then(|| format!("{area}-{}", self.digits(8))),
            fax: self
                .chance(0.4)
                .then(|| format!("{area}-{}", self.digits(8))),
            mobile: self.chance(0.3).then(|| self.mobile()),
            email: self.chance(0.8).then(|| {
                let mailbox = *self.pick(&["info", "sales", "office"]);
                format!("{mailbox}@{domain}")
            }),
            website: self.chance(0.7).then(|| format!("www.{domain}")),
            postal_code: self.chance(0.8).then(|| self.postal_code()),
            address: self.chance(0.9).then(|| self.address(english, city)),
            region_id: self.chance(0.98).then(|| self.reference.cities[city].id),
            ..ContactFields::default()
        }
    }

    fn mobile(&mut self) -> String {
        let prefix = *self.pick(text::MOBILE_PREFIXES);
        format!("{prefix}{}", self.digits(7))
    }

    /// Ten digits; the first five avoid 0 and 2, as Iranian postal codes do.
    fn postal_code(&mut self) -> String {
        let head: String = (0..5)
            .map(|_| *self.pick(&['1', '3', '4', '5', '6', '7', '8', '9']))
            .collect();
        format!("{head}{}", self.digits(5))
    }

    fn address(&mut self, english: bool, city: usize) -> String {
        let street = *self.pick(text::STREETS);
        let alley = self.rng.random_range(1..40);
        let number = self.rng.random_range(1..300);
        let city = &self.reference.cities[city];
        if english {
            format!(
                "No. {number}, Alley {alley}, {} St., {}",
                street.1, city.name_en
            )
        } else {
            format!(
                "{}، خیابان {}، کوچه {}، پلاک {}",
                city.name_fa,
                street.0,
                persian_digits(&alley.to_string()),
                persian_digits(&number.to_string())
            )
        }
    }

    /// Links about half the persons to a company (a few to two), with job titles.
    fn contact_links(&mut self, db: &mut Db, contacts: &mut Contacts) -> Result<()> {
        if contacts.companies.is_empty() {
            return Ok(());
        }
        let mut rows = Vec::new();
        let persons = contacts.persons.clone();
        for person in persons {
            if !self.chance(0.45) {
                continue;
            }
            let jobs = if self.chance(0.1) { 2 } else { 1 };
            let mut taken = BTreeSet::new();
            for _ in 0..jobs {
                let company = *self.pick(&contacts.companies);
                if !taken.insert(company) {
                    continue;
                }
                let english = contacts.all[person].english;
                let title = if english {
                    *self.pick(text::JOB_TITLES_EN)
                } else {
                    *self.pick(text::JOB_TITLES_FA)
                };
                let day = self.today - self.days(300..=700);
                let at = self.office_time(day);
                rows.push(NewContactLink {
                    person_id: contacts.all[person].id,
                    company_id: contacts.all[company].id,
                    job_title: self.chance(0.9).then(|| title.to_string()),
                    created_at: at,
                    updated_at: at,
                });
                contacts.staff.entry(company).or_default().push(person);
            }
        }
        bulk::contact_links(db, &rows)?;
        Ok(())
    }

    /// Files each contact under one category, some under two.
    fn file_contacts(
        &mut self,
        db: &mut Db,
        contacts: &Contacts,
        categories: &Categories,
    ) -> Result<()> {
        let mut rows = Vec::with_capacity(contacts.all.len() * 5 / 4);
        for contact in &contacts.all {
            let table = if contact.company {
                &categories.for_companies
            } else {
                &categories.for_persons
            };
            if table.is_empty() {
                continue;
            }
            let first = self.weighted(table);
            rows.push(ContactCategory {
                contact_id: contact.id,
                category_id: first,
            });
            if self.chance(0.25) {
                let second = self.weighted(table);
                if second != first {
                    rows.push(ContactCategory {
                        contact_id: contact.id,
                        category_id: second,
                    });
                }
            }
            if rows.len() >= FLUSH_ROWS {
                bulk::contact_categories(db, &rows)?;
                rows.clear();
            }
        }
        bulk::contact_categories(db, &rows)?;
        Ok(())
    }

    // --- cases ---

    fn cases(
        &mut self,
        db: &mut Db,
        contacts: &Contacts,
        count: usize,
        progress: &Progress,
    ) -> Result<Vec<CaseInfo>> {
        let count = if contacts.all.is_empty() { 0 } else { count };
        let bar = progress.step(t!("demo.step.cases"), count as u64);
        let open_count = self.reference.open_statuses.len();
        // Every status and every importance appears in the first few cases.
        let mut fates: Vec<(Fate, usize)> = (0..open_count).map(|i| (Fate::Open, i)).collect();
        fates.extend([(Fate::Won, 0), (Fate::Lost, 0), (Fate::Cancelled, 0)]);
        let mut drafts: Vec<(NewCase, CaseInfo)> = Vec::with_capacity(count);
        for i in 0..count {
            let (fate, reached) = match fates.get(i) {
                Some(forced) => *forced,
                None => self.fate(),
            };
            let importance = match text::IMPORTANCE.get(i) {
                Some(forced) => forced.0,
                None => self.weighted(text::IMPORTANCE),
            };
            drafts.push(self.case(contacts, fate, reached, importance));
        }
        // Numbers follow the order cases were opened in, one sequence per (Jalali) year.
        drafts.sort_by_key(|(row, _)| row.created_at);
        let mut sequences: BTreeMap<i32, i64> = BTreeMap::new();
        for (row, _) in &mut drafts {
            let year = jalali_year(row.created_at.date());
            let next = sequences.entry(year).or_insert(0);
            *next += 1;
            row.number = crate::store::numbers::case_number(year, *next);
            row.search_text = crate::store::cases::search_text(&row.number, &row.title);
        }
        let mut cases = Vec::with_capacity(count);
        for chunk in drafts.chunks(FLUSH_ROWS) {
            let rows: Vec<NewCase> = chunk.iter().map(|d| d.0.clone()).collect();
            let ids = bulk::cases(db, &rows)?;
            for ((_, info), id) in chunk.iter().zip(ids) {
                cases.push(CaseInfo { id, ..info.clone() });
            }
            bar.inc(rows.len() as u64);
        }
        for (year, last) in sequences {
            crate::store::numbers::raise_to(db, &format!("case:{year}"), last)?;
        }
        bar.finish();
        Ok(cases)
    }

    fn fate(&mut self) -> (Fate, usize) {
        let open_count = self.reference.open_statuses.len();
        let fate = self.weighted(&[
            (Fate::Open, 56),
            (Fate::Won, 22),
            (Fate::Lost, 14),
            (Fate::Cancelled, 8),
        ]);
        let reached = match fate {
            Fate::Open => self.index(open_count),
            // A won case got at least halfway down the funnel; a lost one could stop anywhere.
            Fate::Won => self.rng.random_range(open_count / 2..open_count),
            _ => self.index(open_count),
        };
        (fate, reached)
    }

    fn case(
        &mut self,
        contacts: &Contacts,
        fate: Fate,
        reached: usize,
        importance: &'static str,
    ) -> (NewCase, CaseInfo) {
        let (company, person) = self.case_parties(contacts);
        let customer = company.or(person).unwrap_or(0);
        let english = contacts.all[customer].english;
        let city = contacts.all[customer].city;
        let expert = *choose(&mut self.rng, &self.reference.sales_experts);
        let representative = if self.chance(0.5) {
            let other = *choose(&mut self.rng, &self.reference.sales_experts);
            (other.id != expert.id).then_some(other.id)
        } else {
            None
        };
        let referrer = if self.chance(0.25) {
            let other = contacts.all[self.index(contacts.all.len())].id;
            (other != contacts.all[customer].id).then_some(other)
        } else {
            None
        };
        let group = self.index(self.reference.product_groups.len());
        let (created_at, closed_at) = match fate {
            Fate::Open => {
                let created = self.today - self.days(1..=180);
                (self.office_time(created), None)
            }
            _ => {
                let age = self.rng.random_range(30..=365);
                let created = self.today - Duration::days(age);
                let open_days = self.rng.random_range(3..=(age - 1).min(120));
                let closed = created + Duration::days(open_days);
                (self.office_time(created), Some(self.office_time(closed)))
            }
        };
        let expected = self.rials(9..12);
        let won = (fate == Fate::Won).then(|| {
            let percent: i64 = self.rng.random_range(70..=115);
            let amount = whole_millions(expected / 100 * percent);
            (amount, closed_at.map_or(self.today, |c| c.date()))
        });
        let status_id = match fate {
            Fate::Open => self.reference.open_statuses[reached],
            Fate::Won => self.reference.won,
            Fate::Lost => self.reference.lost,
            Fate::Cancelled => self.reference.cancelled,
        };
        let closed_badly = matches!(fate, Fate::Lost | Fate::Cancelled);
        let (title, need) = self.case_text(english, group, created_at.date());
        let close_reason = *choose(&mut self.rng, &self.reference.close_reasons);
        let close_note = if english {
            *self.pick(text::CLOSE_NOTES_EN)
        } else {
            *self.pick(text::CLOSE_NOTES_FA)
        };
        let row = NewCase {
            number: String::new(),
            title,
            company_id: company.map(|c| contacts.all[c].id),
            contact_id: person.map(|p| contacts.all[p].id),
            expert_id: expert.id,
            representative_id: representative,
            referrer_id: referrer,
            need: self.chance(0.9).then_some(need),
            channel_id: Some(*choose(&mut self.rng, &self.reference.channels)),
            org_unit_id: Some(expert.unit),
            status_id,
            importance: importance.to_string(),
            priority: self.rng.random_range(1..=5),
            product_group_id: Some(self.reference.product_groups[group].id),
            region_id: Some(self.reference.cities[city].id),
            expected_amount: self.chance(0.9).then_some(expected),
            won_amount: won.map(|w| w.0),
            won_on: won.map(|w| w.1),
            close_reason_id: closed_badly.then_some(close_reason),
            close_note: closed_badly.then(|| close_note.to_string()),
            closed_at,
            search_text: String::new(),
            created_by: self.actor,
            updated_by: self.actor,
            created_at,
            updated_at: closed_at.unwrap_or(created_at),
        };
        let info = CaseInfo {
            id: 0,
            fate,
            reached,
            created_at,
            closed_at,
            expert,
            customer,
            english,
            group,
            city,
            won,
        };
        (row, info)
    }

    /// A case's company and person: both (the person usually works there), or one of them.
    fn case_parties(&mut self, contacts: &Contacts) -> (Option<usize>, Option<usize>) {
        let roll = self.rng.random_range(0..100);
        let with_company =
            !contacts.companies.is_empty() && (roll < 70 || contacts.persons.is_empty());
        let with_person =
            !contacts.persons.is_empty() && (roll >= 15 || contacts.companies.is_empty());
        let company = with_company.then(|| *self.pick(&contacts.companies));
        let person = with_person.then(|| match company.and_then(|c| contacts.staff.get(&c)) {
            Some(staff) if !staff.is_empty() && self.chance(0.85) => *self.pick(staff),
            _ => *self.pick(&contacts.persons),
        });
        (company, person)
    }

    fn case_text(&mut self, english: bool, group: usize, opened: NaiveDate) -> (String, String) {
        let quantity = self.rng.random_range(2..60).to_string();
        // The year as the customer writes it: Gregorian in English, Jalali in Persian.
        let year = if english {
            opened.year()
        } else {
            jalali_year(opened)
        }
        .to_string();
        let product = &self.reference.product_groups[group];
        let (titles, needs, noun, quantity, year) = if english {
            (
                text::CASE_TITLES_EN,
                text::CASE_NEEDS_EN,
                product.noun_en.clone(),
                quantity,
                year,
            )
        } else {
            (
                text::CASE_TITLES_FA,
                text::CASE_NEEDS_FA,
                product.noun_fa.clone(),
                persian_digits(&quantity),
                persian_digits(&year),
            )
        };
        let fill = |template: &str| {
            template
                .replace("{p}", &noun)
                .replace("{q}", &quantity)
                .replace("{y}", &year)
        };
        let title = *self.pick(titles);
        let need = *self.pick(needs);
        (fill(title), fill(need))
    }

    // --- complaints ---

    fn complaints(
        &mut self,
        db: &mut Db,
        contacts: &Contacts,
        cases: &[CaseInfo],
        count: usize,
        bar: &ProgressBar,
    ) -> Result<Vec<ComplaintInfo>> {
        let mut drafts: Vec<(NewComplaint, ComplaintInfo, Vec<NewComplaintStatusChange>)> =
            Vec::with_capacity(count);
        for i in 0..count {
            let status = match text::COMPLAINT_STATUSES.get(i) {
                Some(forced) => forced.0,
                None => self.weighted(text::COMPLAINT_STATUSES),
            };
            drafts.push(self.complaint(contacts, cases, status));
        }
        drafts.sort_by_key(|d| d.0.received_at);
        let mut sequences: BTreeMap<i32, i64> = BTreeMap::new();
        for (row, _, _) in &mut drafts {
            let year = jalali_year(row.received_at.date());
            let next = sequences.entry(year).or_insert(0);
            *next += 1;
            row.number = format!("C-{year}-{next:05}");
        }
        let mut complaints = Vec::with_capacity(count);
        for chunk in drafts.chunks(FLUSH_ROWS) {
            let rows: Vec<NewComplaint> = chunk.iter().map(|d| d.0.clone()).collect();
            let ids = bulk::complaints(db, &rows)?;
            let mut history = Vec::new();
            for ((_, info, steps), id) in chunk.iter().zip(ids) {
                complaints.push(ComplaintInfo { id, ..info.clone() });
                history.extend(steps.iter().cloned().map(|mut step| {
                    step.complaint_id = id;
                    step
                }));
            }
            bulk::complaint_status_history(db, &history)?;
            bar.inc(rows.len() as u64);
        }
        for (year, last) in sequences {
            crate::store::numbers::raise_to(db, &format!("complaint:{year}"), last)?;
        }
        Ok(complaints)
    }

    fn complaint(
        &mut self,
        contacts: &Contacts,
        cases: &[CaseInfo],
        status: &'static str,
    ) -> (NewComplaint, ComplaintInfo, Vec<NewComplaintStatusChange>) {
        let yesterday = self.today - Duration::days(1);
        let case = (!cases.is_empty() && self.chance(0.6)).then(|| &cases[self.index(cases.len())]);
        let (contact, received_day) = match case {
            Some(case) => {
                let opened = case.created_at.date();
                let latest = (opened + Duration::days(60)).min(yesterday).max(opened);
                let span = (latest - opened).num_days();
                (
                    case.customer,
                    opened + Duration::days(self.rng.random_range(0..=span)),
                )
            }
            None => (
                self.index(contacts.all.len()),
                self.today - self.days(1..=300),
            ),
        };
        let received_at = self.office_time(received_day);
        let english = contacts.all[contact].english;
        let category = choose(&mut self.rng, &self.reference.complaint_categories).clone();
        let template = text::COMPLAINTS
            .iter()
            .find(|c| c.0 == category.code)
            .unwrap_or(&text::COMPLAINT_OTHER);
        let (title, description) = if english {
            (template.1, template.3)
        } else {
            (template.2, template.4)
        };
        let expert = *choose(&mut self.rng, &self.reference.after_sales_experts);
        let decided = matches!(status, "resolved" | "closed" | "rejected");
        let resolved_at = decided.then(|| {
            let day = (received_day + self.days(1..=20))
                .min(yesterday)
                .max(received_day);
            self.office_time(day)
                .max(received_at + Duration::minutes(30))
        });
        let resolution = decided.then(|| {
            let texts = match (status, english) {
                ("rejected", true) => text::REJECTIONS_EN,
                ("rejected", false) => text::REJECTIONS_FA,
                (_, true) => text::RESOLUTIONS_EN,
                (_, false) => text::RESOLUTIONS_FA,
            };
            self.pick(texts).to_string()
        });
        let steps = self.complaint_history(status, received_at, resolved_at, expert.id);
        let updated_at = steps.last().map_or(received_at, |s| s.changed_at);
        let row = NewComplaint {
            number: String::new(),
            title: title.to_string(),
            description: description.to_string(),
            contact_id: contacts.all[contact].id,
            case_id: case.map(|c| c.id),
            category_id: Some(category.id),
            channel_id: Some(*choose(&mut self.rng, &self.reference.channels)),
            importance: self.weighted(text::IMPORTANCE).to_string(),
            status: status.to_string(),
            expert_id: expert.id,
            received_at,
            resolution,
            resolved_at,
            created_by: self.actor,
            updated_by: self.actor,
            created_at: received_at,
            updated_at,
        };
        let info = ComplaintInfo {
            id: 0,
            received_at,
            resolved_at,
            open: !decided,
            expert,
            english,
        };
        (row, info, steps)
    }

    /// The status changes that led to `status`, oldest first (complaint ids filled in later).
    fn complaint_history(
        &mut self,
        status: &str,
        received_at: NaiveDateTime,
        resolved_at: Option<NaiveDateTime>,
        expert: i64,
    ) -> Vec<NewComplaintStatusChange> {
        let path: &[&str] = match status {
            "new" => &["new"],
            "investigating" => &["new", "investigating"],
            "resolved" => &["new", "investigating", "resolved"],
            "closed" => &["new", "investigating", "resolved", "closed"],
            _ => &["new", "investigating", "rejected"],
        };
        let end = resolved_at.unwrap_or(self.present);
        let mut at = received_at;
        let mut from: Option<&str> = None;
        let mut steps = Vec::with_capacity(path.len());
        for (i, to) in path.iter().enumerate() {
            at = match *to {
                "new" => received_at,
                "investigating" => {
                    let latest = if resolved_at.is_some() {
                        end
                    } else {
                        self.present
                    };
                    self.moment_between(received_at + Duration::minutes(10), latest)
                }
                "closed" => {
                    let latest = (at + Duration::days(5)).min(self.present);
                    self.moment_between(at + Duration::minutes(10), latest)
                }
                _ => end.max(at),
            };
            steps.push(NewComplaintStatusChange {
                complaint_id: 0,
                from_status: from.map(str::to_string),
                to_status: to.to_string(),
                changed_by: if i == 0 { self.actor } else { expert },
                changed_at: at,
                note: None,
            });
            from = Some(to);
        }
        steps
    }

    // --- sales and plans ---

    fn sales(
        &mut self,
        db: &mut Db,
        contacts: &Contacts,
        cases: &[CaseInfo],
    ) -> Result<Vec<NewSale>> {
        let mut rows = Vec::new();
        for case in cases {
            let Some((amount, sold_on)) = case.won else {
                continue;
            };
            let contact = &contacts.all[case.customer];
            let at = self.office_time(sold_on);
            rows.push(NewSale {
                case_id: Some(case.id),
                contact_id: contact.id,
                market: if contact.company { "b2b" } else { "b2c" }.to_string(),
                product_group_id: Some(self.reference.product_groups[case.group].id),
                region_id: Some(self.reference.cities[case.city].id),
                expert_id: case.expert.id,
                amount,
                sold_on,
                note: None,
                created_by: self.actor,
                updated_by: self.actor,
                created_at: at,
                updated_at: at,
            });
        }
        // Sales without a case: walk-in and repeat orders.
        let extra = if contacts.all.is_empty() {
            0
        } else {
            cases.len() / 2 + 10
        };
        for _ in 0..extra {
            let contact = contacts.all[self.index(contacts.all.len())].clone();
            let sold_on = self.today - self.days(1..=365);
            let at = self.office_time(sold_on);
            let group = self.index(self.reference.product_groups.len());
            let expert = *choose(&mut self.rng, &self.reference.sales_experts);
            let amount = if contact.company {
                self.rials(8..11)
            } else {
                self.rials(7..10)
            };
            rows.push(NewSale {
                case_id: None,
                contact_id: contact.id,
                market: if contact.company { "b2b" } else { "b2c" }.to_string(),
                product_group_id: Some(self.reference.product_groups[group].id),
                region_id: Some(self.reference.cities[contact.city].id),
                expert_id: expert.id,
                amount,
                sold_on,
                note: self.chance(0.1).then(|| {
                    if contact.english {
                        "Repeat order".to_string()
                    } else {
                        "سفارش مجدد".to_string()
                    }
                }),
                created_by: self.actor,
                updated_by: self.actor,
                created_at: at,
                updated_at: at,
            });
        }
        bulk::sales(db, &rows)?;
        Ok(rows)
    }

    /// This half-year's B2B and B2C plans and a three-year B2B plan, by product group, province
    /// and expert, with targets near the pace of the past year's sales.
    fn plans(&mut self, db: &mut Db, sales: &[NewSale]) -> Result<usize> {
        let year = jalali_year(self.today);
        let second_half = self.today >= mehr_first(year);
        let (half_start, half_end, half) = if second_half {
            (mehr_first(year), nowruz(year + 1) - Duration::days(1), "H2")
        } else {
            (nowruz(year), mehr_first(year) - Duration::days(1), "H1")
        };
        let plans = [
            (
                format!("{year} {half} · B2B"),
                "b2b",
                "short",
                half_start,
                half_end,
            ),
            (
                format!("{year} {half} · B2C"),
                "b2c",
                "short",
                half_start,
                half_end,
            ),
            (
                format!("{year}–{} · B2B", year + 2),
                "b2b",
                "long",
                nowruz(year),
                nowruz(year + 3) - Duration::days(1),
            ),
        ];
        // The past year's sales per (market, top product group, province).
        let group_top: BTreeMap<i64, i64> = self
            .reference
            .product_groups
            .iter()
            .map(|g| (g.id, g.top))
            .collect();
        let city_province: BTreeMap<i64, i64> = self
            .reference
            .cities
            .iter()
            .map(|c| (c.id, c.province))
            .collect();
        let since = self.today - Duration::days(365);
        let mut yearly: BTreeMap<(&str, i64, i64), i64> = BTreeMap::new();
        for sale in sales.iter().filter(|s| s.sold_on >= since) {
            let top = sale.product_group_id.and_then(|g| group_top.get(&g));
            let province = sale.region_id.and_then(|r| city_province.get(&r));
            if let (Some(top), Some(province)) = (top, province) {
                *yearly
                    .entry((sale.market.as_str(), *top, *province))
                    .or_default() += sale.amount;
            }
        }
        let at = self.present - Duration::days(1);
        let rows: Vec<NewSalesPlan> = plans
            .iter()
            .map(|(name, market, term, starts_on, ends_on)| NewSalesPlan {
                name: name.clone(),
                market: market.to_string(),
                term: term.to_string(),
                starts_on: *starts_on,
                ends_on: *ends_on,
                notes: None,
                created_by: self.actor,
                updated_by: self.actor,
                created_at: at,
                updated_at: at,
            })
            .collect();
        let ids = bulk::sales_plans(db, &rows)?;
        let mut lines = Vec::new();
        let top_groups = self.reference.top_groups.clone();
        let provinces = self.reference.provinces.clone();
        let experts = self.reference.sales_experts.clone();
        for (plan_id, (_, market, term, starts_on, ends_on)) in ids.iter().zip(&plans) {
            let days = (*ends_on - *starts_on).num_days() + 1;
            let growth_percent: i128 = if *term == "long" { 125 } else { 100 };
            for top in &top_groups {
                for province in &provinces {
                    let past = yearly
                        .get(&(*market, *top, *province))
                        .copied()
                        .unwrap_or(0);
                    // The past year's pace over the plan's days, give or take, and more for a
                    // long-term plan; at least 100 million rials.
                    let percent: i128 = self.rng.random_range(90..140);
                    let total = i128::from(past) * i128::from(days) * percent * growth_percent
                        / (365 * 100 * 100);
                    let total = i64::try_from(total).unwrap_or(i64::MAX).max(100_000_000);
                    let first = self.index(experts.len());
                    let second = (first + 1 + self.index(experts.len().max(2) - 1)) % experts.len();
                    let share: i64 = if first == second {
                        100
                    } else {
                        self.rng.random_range(40..60)
                    };
                    for (expert, part) in [(first, share), (second, 100 - share)] {
                        if part <= 0 {
                            continue;
                        }
                        let target = whole_millions(total / 100 * part);
                        lines.push(NewPlanLine {
                            plan_id: *plan_id,
                            product_group_id: Some(*top),
                            region_id: Some(*province),
                            expert_id: Some(experts[expert].id),
                            target_amount: target,
                            created_at: at,
                            updated_at: at,
                        });
                    }
                }
            }
        }
        bulk::plan_lines(db, &lines)?;
        Ok(ids.len())
    }

    // --- follow-ups and planned actions ---

    /// Spreads `count` follow-ups over the cases (and a tenth over complaints), each case's in
    /// time order, moving its status along the funnel; plans the next action of every open case
    /// and complaint, and records some earlier actions as done by a follow-up.
    fn followups(
        &mut self,
        db: &mut Db,
        cases: &[CaseInfo],
        complaints: &[ComplaintInfo],
        count: usize,
        progress: &Progress,
    ) -> Result<(usize, usize)> {
        let count = if cases.is_empty() && complaints.is_empty() {
            0
        } else {
            count
        };
        let bar = progress.step(t!("demo.step.followups"), count as u64);
        let complaint_share = match (cases.is_empty(), complaints.is_empty()) {
            (_, true) => 0.0,
            (true, false) => 1.0,
            (false, false) => 0.1,
        };
        let mut per_case = vec![0u32; cases.len()];
        let mut per_complaint = vec![0u32; complaints.len()];
        for _ in 0..count {
            if self.rng.random_bool(complaint_share) {
                per_complaint[self.index(complaints.len())] += 1;
            } else {
                per_case[self.index(cases.len())] += 1;
            }
        }
        let mut writer = FollowUpWriter::new(count);
        let mut open_cases = 0usize;
        for (case, k) in cases.iter().zip(per_case) {
            let first = writer.generated();
            self.case_followups(case, k as usize, &mut writer);
            let last = (writer.generated() > first).then(|| writer.generated() - 1);
            match case.fate {
                Fate::Open => {
                    let action = self.open_case_action(case, open_cases, last, &writer);
                    writer.plan(action, last, None);
                    open_cases += 1;
                }
                Fate::Lost | Fate::Cancelled if self.chance(0.5) => {
                    let action = self.cancelled_action(case, last, &writer);
                    writer.plan(action, last, None);
                }
                _ => {}
            }
            writer.flush_if_full(db, &bar)?;
        }
        for (complaint, k) in complaints.iter().zip(per_complaint) {
            let first = writer.generated();
            self.complaint_followups(complaint, k as usize, &mut writer);
            let last = (writer.generated() > first).then(|| writer.generated() - 1);
            if complaint.open {
                let action = self.open_complaint_action(complaint, last, &writer);
                writer.plan(action, last, None);
            }
            writer.flush_if_full(db, &bar)?;
        }
        writer.finish(db, &bar)?;
        bar.finish();
        Ok((writer.followups, writer.actions))
    }

    /// The statuses a case went through, the first being the one it was opened in.
    fn status_path(&self, case: &CaseInfo) -> Vec<i64> {
        let open = &self.reference.open_statuses;
        let mut path: Vec<i64> = open[..=case.reached.min(open.len() - 1)].to_vec();
        match case.fate {
            Fate::Open => {}
            Fate::Won => path.push(self.reference.won),
            Fate::Lost => path.push(self.reference.lost),
            Fate::Cancelled => path.push(self.reference.cancelled),
        }
        path
    }

    fn case_followups(&mut self, case: &CaseInfo, k: usize, writer: &mut FollowUpWriter) {
        if k == 0 {
            return;
        }
        let end = case.closed_at.unwrap_or(self.present);
        let times = self.sorted_moments(case.created_at, end, k);
        let path = self.status_path(case);
        let moves = path.len() - 1;
        let mut stage = 0;
        for (j, happened_at) in times.into_iter().enumerate() {
            // Status changes are spread evenly; the last follow-up reaches the case's status.
            let next_stage = (j + 1) * moves / k;
            let status_after = (next_stage > stage).then(|| path[next_stage]);
            stage = next_stage;
            let expert = if self.chance(0.85) {
                case.expert
            } else {
                *choose(&mut self.rng, &self.reference.sales_experts)
            };
            let kind = self.followup_kind(writer.generated());
            let description = self.followup_text(&kind.code, case.english);
            let index = writer.push(NewFollowUp {
                case_id: Some(case.id),
                complaint_id: None,
                kind_id: kind.id,
                happened_at,
                expert_id: expert.id,
                minutes: self.minutes(&kind.code),
                description,
                status_after_id: status_after,
                created_by: self.actor,
                updated_by: self.actor,
                created_at: happened_at,
                updated_at: happened_at,
            });
            if j > 0 && self.chance(DONE_ACTION_SHARE) {
                let action =
                    self.done_action(Subject::Case(case.id), expert.id, case.english, happened_at);
                writer.plan(action, Some(index - 1), Some(index));
            }
        }
    }

    fn complaint_followups(
        &mut self,
        complaint: &ComplaintInfo,
        k: usize,
        writer: &mut FollowUpWriter,
    ) {
        if k == 0 {
            return;
        }
        let end = complaint.resolved_at.unwrap_or(self.present);
        let times = self.sorted_moments(complaint.received_at, end, k);
        for (j, happened_at) in times.into_iter().enumerate() {
            let kind = self.followup_kind(writer.generated());
            let texts = if complaint.english {
                text::COMPLAINT_FOLLOWUPS_EN
            } else {
                text::COMPLAINT_FOLLOWUPS_FA
            };
            let description = self.pick(texts).to_string();
            let index = writer.push(NewFollowUp {
                case_id: None,
                complaint_id: Some(complaint.id),
                kind_id: kind.id,
                happened_at,
                expert_id: complaint.expert.id,
                minutes: self.minutes(&kind.code),
                description,
                status_after_id: None,
                created_by: self.actor,
                updated_by: self.actor,
                created_at: happened_at,
                updated_at: happened_at,
            });
            if j > 0 && self.chance(DONE_ACTION_SHARE) {
                let action = self.done_action(
                    Subject::Complaint(complaint.id),
                    complaint.expert.id,
                    complaint.english,
                    happened_at,
                );
                writer.plan(action, Some(index - 1), Some(index));
            }
        }
    }

    /// `k` moments in `[from, until)`, oldest first.
    fn sorted_moments(
        &mut self,
        from: NaiveDateTime,
        until: NaiveDateTime,
        k: usize,
    ) -> Vec<NaiveDateTime> {
        let mut times: Vec<NaiveDateTime> =
            (0..k).map(|_| self.moment_between(from, until)).collect();
        times.sort_unstable();
        times
    }

    /// The kind of the `index`th follow-up: the first few use every kind once.
    fn followup_kind(&mut self, index: usize) -> Kind {
        let kinds = &self.reference.followup_kinds;
        if let Some(kind) = kinds.get(index) {
            return kind.clone();
        }
        let weights: Vec<(usize, u32)> = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| (i, text::kind_weight(&k.code)))
            .collect();
        let i = self.weighted(&weights);
        self.reference.followup_kinds[i].clone()
    }

    fn minutes(&mut self, kind: &str) -> i32 {
        let (low, high) = text::kind_minutes(kind);
        self.rng.random_range(low..=high)
    }

    fn followup_text(&mut self, kind: &str, english: bool) -> String {
        let (en, fa) = text::followup_texts(kind);
        self.pick(if english { en } else { fa }).to_string()
    }

    fn action_text(&mut self, kind: &str, english: bool) -> String {
        let (en, fa) = text::action_texts(kind);
        self.pick(if english { en } else { fa }).to_string()
    }

    /// An action planned in one follow-up and carried out by the next one at `done_at`.
    fn done_action(
        &mut self,
        subject: Subject,
        assignee: i64,
        english: bool,
        done_at: NaiveDateTime,
    ) -> NewPlannedAction {
        let (case_id, complaint_id) = subject.ids();
        let kind = choose(&mut self.rng, &self.reference.action_kinds).clone();
        let due_at = done_at + Duration::hours(self.rng.random_range(-48..=24));
        NewPlannedAction {
            case_id,
            complaint_id,
            kind_id: kind.id,
            description: self.action_text(&kind.code, english),
            assignee_id: assignee,
            due_at,
            estimated_minutes: 5 * self.rng.random_range(1..=12),
            status: "done".to_string(),
            planned_in_followup_id: None,
            done_by_followup_id: None,
            done_at: Some(done_at),
            created_by: self.actor,
            updated_by: self.actor,
            created_at: due_at.min(done_at) - Duration::days(1),
            updated_at: done_at,
        }
    }

    /// The next step of an open case: the first open case's is overdue, the second's due today,
    /// the rest overdue, today or upcoming by chance.
    fn open_case_action(
        &mut self,
        case: &CaseInfo,
        ordinal: usize,
        last_followup: Option<usize>,
        writer: &FollowUpWriter,
    ) -> NewPlannedAction {
        let due = match ordinal {
            0 => Due::Overdue,
            1 => Due::Today,
            _ => self.weighted(&[(Due::Overdue, 20), (Due::Today, 15), (Due::Upcoming, 65)]),
        };
        let planned_at = last_followup
            .and_then(|i| writer.happened_at(i))
            .unwrap_or(case.created_at);
        let kind = choose(&mut self.rng, &self.reference.action_kinds).clone();
        let description = self.action_text(&kind.code, case.english);
        self.open_action(
            Subject::Case(case.id),
            kind.id,
            description,
            case.expert.id,
            due,
            planned_at,
        )
    }

    fn open_complaint_action(
        &mut self,
        complaint: &ComplaintInfo,
        last_followup: Option<usize>,
        writer: &FollowUpWriter,
    ) -> NewPlannedAction {
        let due = self.weighted(&[(Due::Overdue, 30), (Due::Today, 20), (Due::Upcoming, 50)]);
        let planned_at = last_followup
            .and_then(|i| writer.happened_at(i))
            .unwrap_or(complaint.received_at);
        let kind = choose(&mut self.rng, &self.reference.action_kinds).clone();
        let description = if complaint.english {
            text::COMPLAINT_ACTION_EN
        } else {
            text::COMPLAINT_ACTION_FA
        };
        self.open_action(
            Subject::Complaint(complaint.id),
            kind.id,
            description.to_string(),
            complaint.expert.id,
            due,
            planned_at,
        )
    }

    fn open_action(
        &mut self,
        subject: Subject,
        kind_id: i64,
        description: String,
        assignee: i64,
        due: Due,
        planned_at: NaiveDateTime,
    ) -> NewPlannedAction {
        let due_day = match due {
            Due::Overdue => self.today - self.days(1..=21),
            Due::Today => self.today,
            Due::Upcoming => self.today + self.days(1..=30),
        };
        let due_at = self.office_time(due_day);
        let (case_id, complaint_id) = subject.ids();
        NewPlannedAction {
            case_id,
            complaint_id,
            kind_id,
            description,
            assignee_id: assignee,
            due_at,
            estimated_minutes: 5 * self.rng.random_range(1..=12),
            status: "open".to_string(),
            planned_in_followup_id: None,
            done_by_followup_id: None,
            done_at: None,
            created_by: self.actor,
            updated_by: self.actor,
            created_at: planned_at,
            updated_at: planned_at,
        }
    }

    /// The next step a lost or cancelled case had planned, cancelled when it closed.
    fn cancelled_action(
        &mut self,
        case: &CaseInfo,
        last_followup: Option<usize>,
        writer: &FollowUpWriter,
    ) -> NewPlannedAction {
        let closed_at = case.closed_at.unwrap_or(self.present);
        let planned_at = last_followup
            .and_then(|i| writer.happened_at(i))
            .unwrap_or(case.created_at)
            .min(closed_at);
        let kind = choose(&mut self.rng, &self.reference.action_kinds).clone();
        let description = self.action_text(&kind.code, case.english);
        let due_at = closed_at + self.days(1..=7);
        NewPlannedAction {
            case_id: Some(case.id),
            complaint_id: None,
            kind_id: kind.id,
            description,
            assignee_id: case.expert.id,
            due_at,
            estimated_minutes: 5 * self.rng.random_range(1..=12),
            status: "cancelled".to_string(),
            planned_in_followup_id: None,
            done_by_followup_id: None,
            done_at: None,
            created_by: self.actor,
            updated_by: self.actor,
            created_at: planned_at,
            updated_at: closed_at,
        }
    }
}

/// What a follow-up or planned action is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    Case(i64),
    Complaint(i64),
}

impl Subject {
    /// The (case_id, complaint_id) columns.
    fn ids(self) -> (Option<i64>, Option<i64>) {
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

/// Buffers follow-ups and the planned actions that point at them, and writes both in batches:
/// an action's follow-up ids are known only once those follow-ups are stored.
struct FollowUpWriter {
    /// Generated, not yet written.
    buffer: Vec<NewFollowUp>,
    /// When each generated follow-up happened, by its index in generation order.
    happened: Vec<NaiveDateTime>,
    /// The ids of the written follow-ups, by index.
    ids: Vec<i64>,
    /// Actions waiting for their follow-ups' ids: (action, planned in, done by).
    waiting: Vec<(NewPlannedAction, Option<usize>, Option<usize>)>,
    actions_buffer: Vec<NewPlannedAction>,
    followups: usize,
    actions: usize,
}

impl FollowUpWriter {
    fn new(expected: usize) -> FollowUpWriter {
        FollowUpWriter {
            buffer: Vec::with_capacity(FLUSH_ROWS.min(expected)),
            happened: Vec::with_capacity(expected),
            ids: Vec::with_capacity(expected),
            waiting: Vec::new(),
            actions_buffer: Vec::new(),
            followups: 0,
            actions: 0,
        }
    }

    /// How many follow-ups have been generated so far.
    fn generated(&self) -> usize {
        self.happened.len()
    }

    fn happened_at(&self, index: usize) -> Option<NaiveDateTime> {
        self.happened.get(index).copied()
    }

    /// Adds a follow-up; returns its index.
    fn push(&mut self, row: NewFollowUp) -> usize {
        self.happened.push(row.happened_at);
        self.buffer.push(row);
        self.happened.len() - 1
    }

    fn plan(
        &mut self,
        action: NewPlannedAction,
        planned_in: Option<usize>,
        done_by: Option<usize>,
    ) {
        self.waiting.push((action, planned_in, done_by));
    }

    fn flush_if_full(&mut self, db: &mut Db, bar: &ProgressBar) -> Result<()> {
        if self.buffer.len() >= FLUSH_ROWS {
            self.flush(db, bar)?;
        }
        if self.actions_buffer.len() >= FLUSH_ROWS {
            self.actions += bulk::planned_actions(db, &self.actions_buffer)?;
            self.actions_buffer.clear();
        }
        Ok(())
    }

    /// Writes the buffered follow-ups, then gives the waiting actions their ids.
    fn flush(&mut self, db: &mut Db, bar: &ProgressBar) -> Result<()> {
        if !self.buffer.is_empty() {
            let ids = bulk::followups(db, &self.buffer)?;
            self.followups += ids.len();
            self.ids.extend(ids);
            bar.inc(self.buffer.len() as u64);
            self.buffer.clear();
        }
        for (mut action, planned_in, done_by) in self.waiting.drain(..) {
            action.planned_in_followup_id = planned_in.and_then(|i| self.ids.get(i).copied());
            action.done_by_followup_id = done_by.and_then(|i| self.ids.get(i).copied());
            self.actions_buffer.push(action);
        }
        Ok(())
    }

    fn finish(&mut self, db: &mut Db, bar: &ProgressBar) -> Result<()> {
        self.flush(db, bar)?;
        self.actions += bulk::planned_actions(db, &self.actions_buffer)?;
        self.actions_buffer.clear();
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Identifiers, numbers and dates

/// Walks 0..modulus in a scrambled order without repeats (`stride` is coprime to `modulus`).
struct Unique {
    value: u64,
    modulus: u64,
    stride: u64,
}

impl Unique {
    fn new(start: u64, modulus: u64, stride: u64) -> Unique {
        Unique {
            value: start % modulus,
            modulus,
            stride,
        }
    }

    fn next(&mut self) -> u64 {
        self.value = (self.value + self.stride) % self.modulus;
        self.value
    }
}

fn digits_of<const N: usize>(mut value: u64) -> [u8; N] {
    let mut out = [0u8; N];
    for d in out.iter_mut().rev() {
        *d = (value % 10) as u8;
        value /= 10;
    }
    out
}

fn digits_text(digits: &[u8]) -> String {
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

/// The next unused valid national code.
fn national_code(codes: &mut Unique) -> String {
    loop {
        let first: [u8; 9] = digits_of(codes.next());
        let code = format!(
            "{}{}",
            digits_text(&first),
            iran::national_code_check_digit(&first)
        );
        // Codes of one repeated digit are invalid however their check digit comes out.
        if iran::is_valid_national_code(&code) {
            return code;
        }
    }
}

/// The next unused valid company national ID (they start with 10, as issued ones do).
fn company_national_id(ids: &mut Unique) -> String {
    let rest: [u8; 8] = digits_of(ids.next());
    let mut first = [0u8; 10];
    first[0] = 1;
    first[2..].copy_from_slice(&rest);
    format!(
        "{}{}",
        digits_text(&first),
        iran::company_national_id_check_digit(&first)
    )
}

/// An amount rounded down to whole millions of rials, at least one million.
fn whole_millions(rials: i64) -> i64 {
    (rials / 1_000_000).max(1) * 1_000_000
}

fn persian_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32('۰' as u32 + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
}

/// The Jalali (Solar Hijri) year a day falls in: the year case and complaint numbers carry, as
/// the store numbers them.
fn jalali_year(day: NaiveDate) -> i32 {
    crate::store::numbers::jalali_year(day)
}

/// 1 Farvardin of a Jalali year (approximately; see `jalali_year`).
fn nowruz(year: i32) -> NaiveDate {
    ymd(year + 621, 3, 21)
}

/// 1 Mehr, the first day of the second half of a Jalali year (approximately).
fn mehr_first(year: i32) -> NaiveDate {
    ymd(year + 621, 9, 23)
}

// ---------------------------------------------------------------------------------------------
// The words the data is made of

mod text {
    use super::Unit;
    use crate::store::Role;

    /// (login, display name, role, unit)
    pub const EXPERTS: &[(&str, &str, Role, Unit)] = &[
        ("sara", "سارا رحیمی", Role::Agent, Unit::TehranSales),
        ("ali", "علی موسوی", Role::Manager, Unit::TehranSales),
        ("reza", "رضا کاظمی", Role::Agent, Unit::TehranSales),
        ("mina", "مینا جعفری", Role::Agent, Unit::TehranSales),
        ("david", "David Miller", Role::Agent, Unit::TehranSales),
        ("narges", "نرگس صادقی", Role::Manager, Unit::IsfahanSales),
        ("hamid", "حمید نوری", Role::Agent, Unit::IsfahanSales),
        ("amir", "امیر یزدانی", Role::Agent, Unit::IsfahanSales),
        ("javad", "جواد قاسمی", Role::Manager, Unit::AfterSales),
        ("leila", "لیلا مرادی", Role::Agent, Unit::AfterSales),
        ("parisa", "پریسا عباسی", Role::Agent, Unit::AfterSales),
        ("emma", "Emma Wilson", Role::Admin, Unit::Head),
    ];

    /// (parent, children)
    pub const CATEGORIES: &[(&str, &[&str])] = &[
        (
            "Customers",
            &["Industrial", "Retail", "Food and beverage", "Public sector"],
        ),
        ("Prospects", &["Hot leads", "Cold leads"]),
        ("Suppliers", &[]),
        ("Partners", &["Distributors", "Resellers"]),
    ];
    pub const COMPANY_CATEGORIES: &[(&str, u32)] = &[
        ("Industrial", 30),
        ("Food and beverage", 15),
        ("Public sector", 8),
        ("Hot leads", 10),
        ("Cold leads", 10),
        ("Suppliers", 10),
        ("Distributors", 8),
        ("Resellers", 9),
    ];
    pub const PERSON_CATEGORIES: &[(&str, u32)] = &[
        ("Retail", 50),
        ("Hot leads", 15),
        ("Cold leads", 25),
        ("Industrial", 10),
    ];

    /// (code, English noun, Persian noun) for the default product groups.
    pub const PRODUCT_NOUNS: &[(&str, &str, &str)] = &[
        ("equipment.pumps", "industrial pumps", "پمپ صنعتی"),
        ("equipment.compressors", "air compressors", "کمپرسور هوا"),
        ("equipment.valves", "control valves", "شیر کنترل"),
        ("parts.filters", "filters", "فیلتر"),
        ("parts.seals", "seals and gaskets", "کاسه‌نمد و واشر"),
        ("parts.bearings", "bearings", "بلبرینگ"),
        ("services.installation", "installation", "نصب و راه‌اندازی"),
        (
            "services.maintenance",
            "a maintenance contract",
            "قرارداد نگهداری",
        ),
        ("services.training", "operator training", "آموزش اپراتورها"),
        ("consumables.lubricants", "lubricants", "روغن صنعتی"),
        ("consumables.packaging", "packaging film", "فیلم بسته‌بندی"),
    ];

    /// (code, Persian name, telephone area code) for the default cities.
    pub const CITIES: &[(&str, &str, &str)] = &[
        ("tehran.tehran", "تهران", "021"),
        ("tehran.eslamshahr", "اسلامشهر", "021"),
        ("tehran.shahriar", "شهریار", "021"),
        ("tehran.varamin", "ورامین", "021"),
        ("isfahan.isfahan", "اصفهان", "031"),
        ("isfahan.kashan", "کاشان", "031"),
        ("isfahan.najafabad", "نجف‌آباد", "031"),
        ("khorasan-razavi.mashhad", "مشهد", "051"),
        ("khorasan-razavi.neyshabur", "نیشابور", "051"),
        ("khorasan-razavi.sabzevar", "سبزوار", "051"),
        ("fars.shiraz", "شیراز", "071"),
        ("fars.marvdasht", "مرودشت", "071"),
        ("fars.kazerun", "کازرون", "071"),
        ("east-azerbaijan.tabriz", "تبریز", "041"),
        ("east-azerbaijan.maragheh", "مراغه", "041"),
        ("east-azerbaijan.marand", "مرند", "041"),
    ];

    /// (Persian, transliteration)
    pub const FIRST_NAMES_FA_M: &[(&str, &str)] = &[
        ("رضا", "reza"),
        ("علی", "ali"),
        ("محمد", "mohammad"),
        ("حسین", "hossein"),
        ("مهدی", "mahdi"),
        ("امیر", "amir"),
        ("سعید", "saeed"),
        ("حمید", "hamid"),
        ("مجید", "majid"),
        ("کاظم", "kazem"),
        ("یوسف", "yousef"),
        ("مصطفی", "mostafa"),
        ("جواد", "javad"),
        ("بهرام", "bahram"),
        ("کیوان", "keyvan"),
        ("آرش", "arash"),
        ("پیمان", "peyman"),
        ("فرهاد", "farhad"),
        ("داریوش", "dariush"),
        ("نیما", "nima"),
    ];
    pub const FIRST_NAMES_FA_F: &[(&str, &str)] = &[
        ("مینا", "mina"),
        ("سارا", "sara"),
        ("زهرا", "zahra"),
        ("فاطمه", "fatemeh"),
        ("مریم", "maryam"),
        ("نرگس", "narges"),
        ("لیلا", "leila"),
        ("شیرین", "shirin"),
        ("الهام", "elham"),
        ("نازنین", "nazanin"),
        ("پریسا", "parisa"),
        ("سمیرا", "samira"),
        ("یاسمن", "yasaman"),
        ("کیمیا", "kimia"),
        ("نگار", "negar"),
        ("آزاده", "azadeh"),
        ("مهسا", "mahsa"),
        ("رویا", "roya"),
        ("ژاله", "zhaleh"),
        ("طاهره", "tahereh"),
    ];
    pub const LAST_NAMES_FA: &[(&str, &str)] = &[
        ("احمدی", "ahmadi"),
        ("کریمی", "karimi"),
        ("محمدی", "mohammadi"),
        ("حسینی", "hosseini"),
        ("رضایی", "rezaei"),
        ("موسوی", "mousavi"),
        ("جعفری", "jafari"),
        ("کاظمی", "kazemi"),
        ("رحیمی", "rahimi"),
        ("صادقی", "sadeghi"),
        ("نوری", "nouri"),
        ("یزدانی", "yazdani"),
        ("تهرانی", "tehrani"),
        ("اصفهانی", "esfahani"),
        ("شیرازی", "shirazi"),
        ("قاسمی", "ghasemi"),
        ("مرادی", "moradi"),
        ("کرمانی", "kermani"),
        ("نیک‌نام", "niknam"),
        ("فرهادی", "farhadi"),
        ("طاهری", "taheri"),
        ("شریفی", "sharifi"),
        ("عباسی", "abbasi"),
        ("اکبری", "akbari"),
        ("بهرامی", "bahrami"),
        ("کیانی", "kiani"),
        ("ملکی", "maleki"),
        ("زمانی", "zamani"),
        ("یوسفی", "yousefi"),
        ("امینی", "amini"),
    ];
    pub const FIRST_NAMES_EN_M: &[&str] = &[
        "James", "John", "Robert", "Michael", "David", "William", "Richard", "Thomas", "Daniel",
        "Mark", "Paul", "Steven", "Andrew", "Peter", "George", "Oliver", "Lucas", "Henry",
    ];
    pub const FIRST_NAMES_EN_F: &[&str] = &[
        "Mary",
        "Patricia",
        "Jennifer",
        "Linda",
        "Elizabeth",
        "Susan",
        "Sarah",
        "Karen",
        "Emma",
        "Olivia",
        "Sophia",
        "Anna",
        "Laura",
        "Julia",
        "Claire",
        "Helen",
    ];
    pub const LAST_NAMES_EN: &[&str] = &[
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
        "Taylor", "Thomas", "Moore", "Martin", "Jackson", "White", "Harris", "Clark", "Lewis",
        "Walker", "Young", "Hall", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams",
        "Nelson", "Hill",
    ];
    pub const MAIL_DOMAINS: &[&str] = &["gmail.com", "yahoo.com", "outlook.com", "chmail.ir"];
    pub const MOBILE_PREFIXES: &[&str] = &[
        "0912", "0913", "0915", "0917", "0919", "0935", "0936", "0937", "0938", "0939", "0901",
        "0902", "0903", "0905", "0990", "0991", "0921",
    ];

    pub const COMPANY_FA_CORE: &[(&str, &str)] = &[
        ("پارس", "pars"),
        ("آریا", "arya"),
        ("البرز", "alborz"),
        ("سپاهان", "sepahan"),
        ("تابان", "taban"),
        ("کاوه", "kaveh"),
        ("دماوند", "damavand"),
        ("زاگرس", "zagros"),
        ("آذر", "azar"),
        ("مهر", "mehr"),
        ("کیان", "kian"),
        ("سیمرغ", "simorgh"),
        ("نگین", "negin"),
        ("فراز", "faraz"),
        ("پویا", "pouya"),
        ("آرمان", "arman"),
        ("ستاره", "setareh"),
        ("خلیج فارس", "khalijfars"),
        ("ایران", "iran"),
        ("شایان", "shayan"),
    ];
    pub const COMPANY_FA_TRADE: &[(&str, &str)] = &[
        ("تجارت", "tejarat"),
        ("صنعت", "sanat"),
        ("پخش", "pakhsh"),
        ("فولاد", "foulad"),
        ("غذا", "ghaza"),
        ("پلاستیک", "plastic"),
        ("الکتریک", "electric"),
        ("ماشین", "machine"),
        ("شیمی", "shimi"),
        ("بسته‌بندی", "pack"),
        ("سازه", "sazeh"),
        ("دارو", "darou"),
        ("نساجی", "nasaji"),
        ("پمپ", "pump"),
        ("انرژی", "energy"),
    ];
    pub const COMPANY_FA_SUFFIX: &[(&str, &str)] = &[
        ("", ""),
        ("", ""),
        (" گستر", "gostar"),
        (" نوین", "novin"),
        (" سازان", "sazan"),
        (" پژوه", "pajouh"),
        (" آوران", "avaran"),
        (" ایرانیان", "iranian"),
    ];
    pub const COMPANY_EN_FIRST: &[&str] = &[
        "Nova",
        "Atlas",
        "Summit",
        "Apex",
        "Blue River",
        "Golden Gate",
        "Silver Line",
        "Green Valley",
        "North Star",
        "Pioneer",
        "Horizon",
        "Crescent",
        "Evergreen",
        "Delta",
        "Orion",
        "Zenith",
        "Persepolis",
        "Caspian",
        "Alborz",
        "Simorgh",
    ];
    pub const COMPANY_EN_SECOND: &[&str] = &[
        "Foods",
        "Steel",
        "Logistics",
        "Pharma",
        "Packaging",
        "Electric",
        "Plastics",
        "Machinery",
        "Textiles",
        "Chemicals",
        "Trading",
        "Systems",
        "Pumps",
        "Energy",
    ];
    pub const COMPANY_EN_FORM: &[&str] =
        &["Co.", "Ltd.", "Group", "Industries", "International", ""];

    /// (Persian, transliteration)
    pub const STREETS: &[(&str, &str)] = &[
        ("ولیعصر", "Valiasr"),
        ("انقلاب", "Enghelab"),
        ("آزادی", "Azadi"),
        ("شریعتی", "Shariati"),
        ("مطهری", "Motahari"),
        ("بهشتی", "Beheshti"),
        ("فاطمی", "Fatemi"),
        ("کارگر", "Kargar"),
        ("امام خمینی", "Imam Khomeini"),
        ("چهارباغ", "Chaharbagh"),
        ("حافظ", "Hafez"),
        ("فردوسی", "Ferdowsi"),
        ("سعدی", "Saadi"),
        ("ملاصدرا", "Mollasadra"),
        ("پاسداران", "Pasdaran"),
    ];

    pub const JOB_TITLES_EN: &[&str] = &[
        "CEO",
        "Purchasing manager",
        "Buyer",
        "Technical manager",
        "Finance manager",
        "Warehouse supervisor",
        "Commercial manager",
    ];
    pub const JOB_TITLES_FA: &[&str] = &[
        "مدیرعامل",
        "مدیر خرید",
        "کارشناس خرید",
        "مدیر فنی",
        "مدیر مالی",
        "مسئول انبار",
        "مدیر بازرگانی",
    ];

    /// (importance, weight)
    pub const IMPORTANCE: &[(&str, u32)] =
        &[("low", 20), ("normal", 50), ("high", 22), ("critical", 8)];

    /// {p} product, {q} quantity, {y} year.
    pub const CASE_TITLES_EN: &[&str] = &[
        "Quote for {p}",
        "Offer for {p}",
        "Annual contract: {p}",
        "New production line: {p}",
        "Price list for {y}",
    ];
    pub const CASE_TITLES_FA: &[&str] = &[
        "پیش‌فاکتور {p}",
        "پیشنهاد قیمت {p}",
        "قرارداد سالانه {p}",
        "خط تولید جدید: {p}",
        "لیست قیمت {y}",
    ];
    pub const CASE_NEEDS_EN: &[&str] = &[
        "Needs {p} before the end of the month",
        "Comparing offers for {p} from three suppliers",
        "Budget approved for {p}; wants it within {q} days",
        "Asked for {p} for the new production line",
    ];
    pub const CASE_NEEDS_FA: &[&str] = &[
        "نیاز به {p} تا پایان ماه",
        "مقایسه پیشنهاد سه تامین‌کننده برای {p}",
        "بودجه {p} تصویب شده؛ تحویل ظرف {q} روز",
        "درخواست {p} برای خط تولید جدید",
    ];
    pub const CLOSE_NOTES_EN: &[&str] = &[
        "Went with a cheaper offer.",
        "Project postponed to next year.",
        "No answer after three calls.",
        "Their budget was cut.",
    ];
    pub const CLOSE_NOTES_FA: &[&str] = &[
        "پیشنهاد ارزان‌تری را انتخاب کردند.",
        "پروژه به سال بعد موکول شد.",
        "پس از سه تماس پاسخی ندادند.",
        "بودجه‌شان حذف شد.",
    ];

    /// (status, weight)
    pub const COMPLAINT_STATUSES: &[(&str, u32)] = &[
        ("new", 15),
        ("investigating", 25),
        ("resolved", 20),
        ("closed", 30),
        ("rejected", 10),
    ];
    /// (category code, English title, Persian title, English description, Persian description)
    pub type ComplaintText = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    );
    pub const COMPLAINTS: &[ComplaintText] = &[
        (
            "delivery-delay",
            "Order delivered late",
            "تاخیر در تحویل سفارش",
            "The order arrived two weeks after the promised date.",
            "سفارش دو هفته پس از تاریخ تعهدشده رسید.",
        ),
        (
            "product-defect",
            "Pump leaking after installation",
            "نشتی پمپ پس از نصب",
            "The pump started leaking a week after it was installed.",
            "پمپ یک هفته پس از نصب دچار نشتی شد.",
        ),
        (
            "billing",
            "Invoice does not match the quote",
            "مغایرت فاکتور با پیش‌فاکتور",
            "The invoice total is higher than the agreed quotation.",
            "مبلغ فاکتور از پیش‌فاکتور توافق‌شده بیشتر است.",
        ),
        (
            "staff-behaviour",
            "Rude answer on the phone",
            "برخورد نامناسب پشت تلفن",
            "The customer says the support line was impolite.",
            "مشتری از برخورد نامناسب پشتیبانی تلفنی گله دارد.",
        ),
        (
            "warranty",
            "Warranty repair refused",
            "رد تعمیر در دوره گارانتی",
            "The service centre refused a repair within the warranty period.",
            "مرکز خدمات تعمیر در دوره گارانتی را نپذیرفت.",
        ),
        (
            "installation",
            "Installation left unfinished",
            "نیمه‌کاره ماندن نصب",
            "The installer left before commissioning the unit.",
            "نصاب پیش از راه‌اندازی دستگاه محل را ترک کرد.",
        ),
    ];
    pub const COMPLAINT_OTHER: ComplaintText = (
        "other",
        "Customer complaint",
        "شکایت مشتری",
        "The customer is unhappy with our service.",
        "مشتری از خدمات ما ناراضی است.",
    );
    pub const RESOLUTIONS_EN: &[&str] = &[
        "Replaced the faulty part free of charge.",
        "Issued a corrected invoice.",
        "Delivered the missing items with an apology.",
        "A technician fixed the unit on site.",
    ];
    pub const RESOLUTIONS_FA: &[&str] = &[
        "قطعه معیوب رایگان تعویض شد.",
        "فاکتور اصلاحی صادر شد.",
        "اقلام جامانده با عذرخواهی تحویل شد.",
        "تکنسین دستگاه را در محل تعمیر کرد.",
    ];
    pub const REJECTIONS_EN: &[&str] = &[
        "Damage caused by misuse; not covered by the warranty.",
        "The delivery date in the contract was met.",
    ];
    pub const REJECTIONS_FA: &[&str] = &[
        "آسیب ناشی از استفاده نادرست است و مشمول گارانتی نیست.",
        "تاریخ تحویل طبق قرارداد رعایت شده بود.",
    ];
    pub const COMPLAINT_FOLLOWUPS_EN: &[&str] = &[
        "Asked the warehouse about the delay.",
        "Called the customer to apologise and explain.",
        "Sent a technician to inspect the unit.",
        "Checked the invoice with the finance team.",
    ];
    pub const COMPLAINT_FOLLOWUPS_FA: &[&str] = &[
        "پیگیری از انبار درباره تاخیر.",
        "تماس با مشتری برای عذرخواهی و توضیح.",
        "اعزام تکنسین برای بررسی دستگاه.",
        "بررسی فاکتور با واحد مالی.",
    ];
    pub const COMPLAINT_ACTION_EN: &str = "Call the customer with the inspection result";
    pub const COMPLAINT_ACTION_FA: &str = "تماس با مشتری و اعلام نتیجه بررسی";

    /// How often each follow-up kind is used, relative to the others.
    pub fn kind_weight(kind: &str) -> u32 {
        match kind {
            "phone" => 40,
            "email" => 20,
            "social" => 10,
            "meeting" => 8,
            "visit" => 8,
            "sms" => 8,
            "fax" => 3,
            _ => 5,
        }
    }

    /// The range of minutes a follow-up of this kind takes.
    pub fn kind_minutes(kind: &str) -> (i32, i32) {
        match kind {
            "phone" => (2, 30),
            "email" => (2, 15),
            "fax" => (2, 10),
            "social" => (1, 10),
            "sms" => (1, 5),
            "visit" => (30, 180),
            "meeting" => (20, 120),
            _ => (5, 30),
        }
    }

    type Texts = (&'static [&'static str], &'static [&'static str]);

    /// What a follow-up of this kind says, in English and in Persian.
    pub fn followup_texts(kind: &str) -> Texts {
        match kind {
            "phone" => (
                &[
                    "Called; they asked for a discount on volume.",
                    "Phone call: confirmed the delivery date.",
                    "No answer; left a message with the secretary.",
                    "Talked to the purchasing manager; waiting for the budget approval.",
                    "Called to check that the quotation arrived.",
                ],
                &[
                    "تماس تلفنی؛ برای حجم بالا تخفیف خواستند.",
                    "تماس گرفته شد؛ تاریخ تحویل تایید شد.",
                    "پاسخ ندادند؛ به منشی پیغام داده شد.",
                    "با مدیر خرید صحبت شد؛ منتظر تصویب بودجه هستند.",
                    "تماس برای اطمینان از دریافت پیش‌فاکتور.",
                ],
            ),
            "email" => (
                &[
                    "Sent the price list.",
                    "Sent the revised quotation.",
                    "Emailed the technical datasheet.",
                    "Sent the draft contract for review.",
                ],
                &[
                    "لیست قیمت ارسال شد.",
                    "پیش‌فاکتور اصلاح‌شده ارسال شد.",
                    "کاتالوگ فنی ایمیل شد.",
                    "پیش‌نویس قرارداد برای بررسی ارسال شد.",
                ],
            ),
            "fax" => (
                &[
                    "Faxed the signed order form.",
                    "Faxed the proforma invoice.",
                ],
                &["فرم سفارش امضاشده فکس شد.", "پیش‌فاکتور فکس شد."],
            ),
            "social" => (
                &[
                    "Sent the catalogue on WhatsApp.",
                    "Answered their questions on Telegram.",
                    "Shared photos of an installed unit on WhatsApp.",
                ],
                &[
                    "کاتالوگ در واتس‌اپ ارسال شد.",
                    "به سوالاتشان در تلگرام پاسخ داده شد.",
                    "عکس‌های یک دستگاه نصب‌شده در واتس‌اپ ارسال شد.",
                ],
            ),
            "visit" => (
                &[
                    "Visited the plant and measured the installation site.",
                    "Demonstrated the product to their technical team on site.",
                    "Visited their office to negotiate the terms.",
                ],
                &[
                    "بازدید از کارخانه و اندازه‌گیری محل نصب.",
                    "نمایش محصول برای تیم فنی در محل مشتری.",
                    "مراجعه به دفتر مشتری برای مذاکره درباره شرایط.",
                ],
            ),
            "sms" => (
                &[
                    "Sent an SMS reminder about tomorrow's meeting.",
                    "Texted the account number for the prepayment.",
                ],
                &[
                    "پیامک یادآوری جلسه فردا ارسال شد.",
                    "شماره حساب برای پیش‌پرداخت پیامک شد.",
                ],
            ),
            "meeting" => (
                &[
                    "Meeting with the purchasing team; presented our offer.",
                    "Meeting with the CEO; agreed on a trial order.",
                ],
                &[
                    "جلسه با واحد خرید؛ پیشنهاد ارائه شد.",
                    "جلسه با مدیرعامل؛ روی سفارش آزمایشی توافق شد.",
                ],
            ),
            _ => (
                &["Followed up on the open questions."],
                &["موارد باز پیگیری شد."],
            ),
        }
    }

    /// What a planned action of this kind says, in English and in Persian.
    pub fn action_texts(kind: &str) -> Texts {
        match kind {
            "call" => (
                &[
                    "Call back with the manager's answer",
                    "Call to confirm the order",
                ],
                &["تماس برای اعلام پاسخ مدیر", "تماس برای تایید سفارش"],
            ),
            "send-quote" => (
                &[
                    "Send the revised quotation",
                    "Send a quote for the extra items",
                ],
                &["ارسال پیش‌فاکتور اصلاح‌شده", "ارسال پیش‌فاکتور اقلام اضافی"],
            ),
            "visit" => (
                &[
                    "Visit to demo the product",
                    "Visit the site before installation",
                ],
                &["بازدید برای نمایش محصول", "بازدید از محل پیش از نصب"],
            ),
            "email" => (
                &["Email the technical datasheet", "Email the contract draft"],
                &["ایمیل کاتالوگ فنی", "ایمیل پیش‌نویس قرارداد"],
            ),
            "meeting" => (
                &["Meeting with the purchasing committee"],
                &["جلسه با کمیسیون خرید"],
            ),
            "demo" => (
                &["Product demo for the technical team"],
                &["نمایش محصول برای تیم فنی"],
            ),
            "collect-payment" => (&["Follow up the prepayment"], &["پیگیری پیش‌پرداخت"]),
            _ => (&["Follow up"], &["پیگیری"]),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use diesel::prelude::*;

    use super::*;
    use crate::db::schema::{
        audit_log, case_statuses, cases, complaints, contacts, followups, lookups,
        number_sequences, planned_actions, sales,
    };
    use crate::store::users::{Resolved, resolve_actor};

    /// A fixed day, so that two runs compare equal whatever the clock says.
    fn today() -> NaiveDate {
        ymd(2026, 11, 15)
    }

    fn store(dir: &tempfile::TempDir, name: &str) -> (Db, Actor) {
        let url = StoreUrl::Sqlite(dir.path().join(name));
        let mut db = crate::db::open(&url).expect("open the store");
        let actor = match resolve_actor(&mut db, "tester").expect("actor") {
            Resolved::FirstAdmin(actor) | Resolved::Existing(actor) => actor,
        };
        (db, actor)
    }

    fn small(seed: u64) -> DemoOptions {
        DemoOptions {
            contacts: 300,
            cases: 120,
            followups: 1_500,
            seed,
        }
    }

    fn fill_small(db: &mut Db, actor: &Actor, seed: u64) -> Summary {
        let hidden = Progress::new(ProgressDrawTarget::hidden());
        fill(db, actor, &small(seed), today(), &hidden).expect("demo data")
    }

    type ContactKey = (String, Option<String>, Option<String>, Option<String>);
    type CaseKey = (String, String, i64, Option<i64>, NaiveDateTime);
    type FollowUpKey = (Option<i64>, Option<i64>, NaiveDateTime, String, Option<i64>);

    fn snapshot(
        db: &mut Db,
    ) -> (
        Vec<ContactKey>,
        Vec<CaseKey>,
        Vec<FollowUpKey>,
        Vec<NaiveDateTime>,
    ) {
        let people = contacts::table
            .order(contacts::id)
            .select((
                contacts::display_name,
                contacts::national_code,
                contacts::company_national_id,
                contacts::mobile,
            ))
            .load(db)
            .expect("contacts");
        let files = cases::table
            .order(cases::id)
            .select((
                cases::number,
                cases::title,
                cases::status_id,
                cases::expected_amount,
                cases::created_at,
            ))
            .load(db)
            .expect("cases");
        let log = followups::table
            .order(followups::id)
            .select((
                followups::case_id,
                followups::complaint_id,
                followups::happened_at,
                followups::description,
                followups::status_after_id,
            ))
            .load(db)
            .expect("follow-ups");
        let due = planned_actions::table
            .order(planned_actions::id)
            .select(planned_actions::due_at)
            .load(db)
            .expect("planned actions");
        (people, files, log, due)
    }

    #[test]
    fn the_same_seed_gives_the_same_data() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut first, actor) = store(&dir, "first.db");
        let (mut second, actor2) = store(&dir, "second.db");
        let (mut other, actor3) = store(&dir, "other.db");
        assert_eq!(
            fill_small(&mut first, &actor, 7),
            fill_small(&mut second, &actor2, 7)
        );
        fill_small(&mut other, &actor3, 8);
        let a = snapshot(&mut first);
        assert_eq!(a.0.len(), 300);
        assert_eq!(a.1.len(), 120);
        assert_eq!(a.2.len(), 1_500);
        assert_eq!(a, snapshot(&mut second));
        assert_ne!(a.0, snapshot(&mut other).0);
    }

    #[test]
    fn the_data_covers_every_status_kind_and_due_date() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut db, actor) = store(&dir, "demo.db");
        let summary = fill_small(&mut db, &actor, 7);
        assert_eq!(summary.contacts, 300);
        assert_eq!(summary.cases, 120);
        assert_eq!(summary.followups, 1_500);
        assert_eq!(summary.complaints, 12);

        let unused_statuses: Vec<String> = case_statuses::table
            .filter(diesel::dsl::not(diesel::dsl::exists(
                cases::table.filter(cases::status_id.eq(case_statuses::id)),
            )))
            .select(case_statuses::code)
            .load(&mut db)
            .expect("statuses");
        assert!(unused_statuses.is_empty(), "no case in {unused_statuses:?}");

        let importances: BTreeSet<String> = cases::table
            .select(cases::importance)
            .load::<String>(&mut db)
            .expect("importance")
            .into_iter()
            .collect();
        assert_eq!(importances.len(), 4, "{importances:?}");

        let unused_kinds: Vec<String> = lookups::table
            .filter(lookups::list.eq("followup_kind"))
            .filter(diesel::dsl::not(diesel::dsl::exists(
                followups::table.filter(followups::kind_id.eq(lookups::id)),
            )))
            .select(lookups::code)
            .load(&mut db)
            .expect("kinds");
        assert!(
            unused_kinds.is_empty(),
            "follow-up kinds never used: {unused_kinds:?}"
        );

        let complaint_statuses: BTreeSet<String> = complaints::table
            .select(complaints::status)
            .load::<String>(&mut db)
            .expect("complaints")
            .into_iter()
            .collect();
        assert_eq!(complaint_statuses.len(), 5, "{complaint_statuses:?}");

        let open_due: Vec<NaiveDateTime> = planned_actions::table
            .filter(planned_actions::status.eq("open"))
            .select(planned_actions::due_at)
            .load(&mut db)
            .expect("open actions");
        let midnight = today().and_time(NaiveTime::MIN);
        assert!(open_due.iter().any(|d| *d < midnight), "nothing overdue");
        assert!(
            open_due.iter().any(|d| d.date() == today()),
            "nothing due today"
        );
        assert!(
            open_due.iter().any(|d| d.date() > today()),
            "nothing upcoming"
        );
        let done_without_followup: i64 = planned_actions::table
            .filter(planned_actions::status.eq("done"))
            .filter(planned_actions::done_by_followup_id.is_null())
            .count()
            .get_result(&mut db)
            .expect("done actions");
        assert_eq!(done_without_followup, 0);
        let done: i64 = planned_actions::table
            .filter(planned_actions::status.eq("done"))
            .count()
            .get_result(&mut db)
            .expect("done actions");
        assert!(done > 0);

        let audit: Vec<(String, Option<String>)> = audit_log::table
            .filter(audit_log::entity.eq(ENTITY))
            .select((audit_log::action, audit_log::new_values))
            .load(&mut db)
            .expect("audit");
        assert_eq!(audit.len(), 1);
        assert!(
            audit[0]
                .1
                .as_deref()
                .is_some_and(|v| v.contains("\"cases\":120"))
        );
    }

    #[test]
    fn every_open_case_has_one_next_action_and_a_closed_one_none() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut db, actor) = store(&dir, "demo.db");
        fill_small(&mut db, &actor, 11);
        let open_case_ids: Vec<i64> = cases::table
            .inner_join(case_statuses::table.on(case_statuses::id.eq(cases::status_id)))
            .filter(case_statuses::outcome.eq("open"))
            .select(cases::id)
            .load(&mut db)
            .expect("open cases");
        let with_action: Vec<Option<i64>> = planned_actions::table
            .filter(planned_actions::status.eq("open"))
            .filter(planned_actions::case_id.is_not_null())
            .select(planned_actions::case_id)
            .load(&mut db)
            .expect("actions");
        let with_action: Vec<i64> = with_action.into_iter().flatten().collect();
        let unique: BTreeSet<i64> = with_action.iter().copied().collect();
        assert_eq!(
            unique.len(),
            with_action.len(),
            "a case with two open actions"
        );
        assert_eq!(unique, open_case_ids.into_iter().collect());
        // The case list's order and search are kept: a case's next due time is its open
        // action's, and its search text holds its number.
        let due: BTreeMap<i64, NaiveDateTime> = planned_actions::table
            .filter(planned_actions::status.eq("open"))
            .filter(planned_actions::case_id.is_not_null())
            .select((planned_actions::case_id, planned_actions::due_at))
            .load::<(Option<i64>, NaiveDateTime)>(&mut db)
            .expect("actions")
            .into_iter()
            .filter_map(|(case, at)| case.map(|c| (c, at)))
            .collect();
        let kept: Vec<(i64, String, Option<NaiveDateTime>, String)> = cases::table
            .select((
                cases::id,
                cases::number,
                cases::next_due_at,
                cases::search_text,
            ))
            .load(&mut db)
            .expect("cases");
        for (id, number, next_due, search) in kept {
            assert_eq!(next_due, due.get(&id).copied(), "case {number}");
            assert!(search.contains(&number), "{search:?} lacks {number}");
        }
    }

    #[test]
    fn a_case_reaches_its_status_in_its_last_follow_up() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut db, actor) = store(&dir, "demo.db");
        fill_small(&mut db, &actor, 3);
        let rows: Vec<(i64, i64, Option<i64>)> = followups::table
            .inner_join(cases::table.on(followups::case_id.eq(cases::id.nullable())))
            .order((followups::case_id, followups::happened_at, followups::id))
            .select((cases::id, cases::status_id, followups::status_after_id))
            .load(&mut db)
            .expect("follow-ups");
        let mut last: BTreeMap<i64, (i64, Option<i64>)> = BTreeMap::new();
        for (case, status, after) in rows {
            last.insert(case, (status, after));
        }
        assert!(!last.is_empty());
        let initial: i64 = case_statuses::table
            .filter(case_statuses::is_initial.eq(true))
            .select(case_statuses::id)
            .first(&mut db)
            .expect("initial status");
        for (case, (status, after)) in last {
            if status == initial {
                assert_eq!(after, None, "case {case}");
            } else {
                assert_eq!(after, Some(status), "case {case}");
            }
        }
        let moved: i64 = followups::table
            .filter(followups::status_after_id.is_not_null())
            .count()
            .get_result(&mut db)
            .expect("count");
        assert!(moved > 0);
    }

    #[test]
    fn identifiers_are_valid_and_unique_and_numbers_continue() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut db, actor) = store(&dir, "demo.db");
        fill_small(&mut db, &actor, 5);
        let codes: Vec<(Option<String>, Option<String>)> = contacts::table
            .select((contacts::national_code, contacts::company_national_id))
            .load(&mut db)
            .expect("codes");
        let national: Vec<String> = codes.iter().filter_map(|c| c.0.clone()).collect();
        let company: Vec<String> = codes.iter().filter_map(|c| c.1.clone()).collect();
        assert!(national.len() > 100 && company.len() > 30);
        assert!(national.iter().all(|c| iran::is_valid_national_code(c)));
        assert!(
            company
                .iter()
                .all(|c| iran::is_valid_company_national_id(c))
        );
        assert_eq!(
            national.iter().collect::<BTreeSet<_>>().len(),
            national.len()
        );
        assert_eq!(company.iter().collect::<BTreeSet<_>>().len(), company.len());

        // Each year's sequence stands at its last case number.
        let numbers: Vec<String> = cases::table
            .select(cases::number)
            .load(&mut db)
            .expect("numbers");
        let mut last: BTreeMap<String, i64> = BTreeMap::new();
        for number in numbers {
            let (year, seq) = number.split_once('-').expect("year-sequence");
            let seq: i64 = seq.parse().expect("a number");
            let entry = last.entry(format!("case:{year}")).or_default();
            *entry = (*entry).max(seq);
        }
        for (scope, value) in last {
            let stored: i64 = number_sequences::table
                .find(&scope)
                .select(number_sequences::last_value)
                .first(&mut db)
                .expect("sequence");
            assert_eq!(stored, value, "{scope}");
        }
    }

    #[test]
    fn every_won_case_is_a_sale_and_plans_have_targets() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut db, actor) = store(&dir, "demo.db");
        let summary = fill_small(&mut db, &actor, 9);
        let won: Vec<(i64, Option<i64>)> = cases::table
            .inner_join(case_statuses::table.on(case_statuses::id.eq(cases::status_id)))
            .filter(case_statuses::outcome.eq("won"))
            .select((cases::id, cases::won_amount))
            .load(&mut db)
            .expect("won");
        assert!(!won.is_empty());
        for (id, amount) in won {
            let sold: Vec<i64> = sales::table
                .filter(sales::case_id.eq(id))
                .select(sales::amount)
                .load(&mut db)
                .expect("sale");
            assert_eq!(sold, vec![amount.expect("won amount")]);
        }
        assert_eq!(summary.sales_plans, 3);
        let targets: Vec<i64> = crate::db::schema::plan_lines::table
            .select(crate::db::schema::plan_lines::target_amount)
            .load(&mut db)
            .expect("targets");
        assert!(!targets.is_empty() && targets.iter().all(|t| *t > 0));
    }

    #[test]
    fn a_store_with_contacts_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut db, actor) = store(&dir, "demo.db");
        fill_small(&mut db, &actor, 7);
        let before = crate::db::row_count(&mut db, "followups").expect("count");
        let hidden = Progress::new(ProgressDrawTarget::hidden());
        let error = fill(&mut db, &actor, &small(8), today(), &hidden).expect_err("refused");
        assert_eq!(error.to_string(), t!("demo.not-empty"));
        assert_eq!(
            crate::db::row_count(&mut db, "followups").expect("count"),
            before
        );
        // The indexes dropped for the load are back after the refusal rolled it back.
        let indexes: i64 = diesel::sql_query(
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index' AND tbl_name = 'followups' AND sql IS NOT NULL",
        )
        .get_result::<Count>(&mut db)
        .expect("indexes")
        .n;
        assert_eq!(indexes, 4);
    }

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }

    #[test]
    fn only_an_admin_may_fill_the_store() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut db, _admin) = store(&dir, "demo.db");
        let id = crate::store::users::insert_user(&mut db, "agent", "Agent", Role::Agent, None)
            .expect("agent");
        let agent = Actor {
            id,
            login: "agent".into(),
            role: Role::Agent,
        };
        let hidden = Progress::new(ProgressDrawTarget::hidden());
        assert!(fill(&mut db, &agent, &small(1), today(), &hidden).is_err());
        assert_eq!(crate::db::row_count(&mut db, "contacts").expect("count"), 0);
    }

    #[test]
    fn the_jalali_year_turns_at_nowruz() {
        assert_eq!(jalali_year(ymd(2026, 3, 20)), 1404);
        assert_eq!(jalali_year(ymd(2026, 3, 21)), 1405);
        assert_eq!(jalali_year(ymd(2026, 11, 29)), 1405);
        assert_eq!(persian_digits("1405-07"), "۱۴۰۵-۰۷");
    }
}
