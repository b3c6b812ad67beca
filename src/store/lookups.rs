//! The reference lists an admin edits (marketing channels, follow-up and action kinds, company
//! types, fields of activity, product groups, regions, complaint categories, close reasons), the
//! case statuses with the transitions allowed between them, and organisational units: the
//! defaults every store starts with, and the reads the rest of the store needs.
//!
//! Each entry keeps a stable `code` next to its English `name`; a translated name comes from the
//! message catalog by code, so renaming an entry never breaks the code that looks it up.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::Db;
use crate::db::schema::{case_status_transitions, case_statuses, lookups, org_units};
use crate::error::Result;
use crate::on_backend;

/// Which reference list an entry belongs to (the `lookups.list` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum List {
    MarketingChannel,
    FollowupKind,
    ActionKind,
    CompanyType,
    ActivityField,
    ProductGroup,
    Region,
    ComplaintCategory,
    CloseReason,
}

impl List {
    pub const ALL: [List; 9] = [
        List::MarketingChannel,
        List::FollowupKind,
        List::ActionKind,
        List::CompanyType,
        List::ActivityField,
        List::ProductGroup,
        List::Region,
        List::ComplaintCategory,
        List::CloseReason,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            List::MarketingChannel => "marketing_channel",
            List::FollowupKind => "followup_kind",
            List::ActionKind => "action_kind",
            List::CompanyType => "company_type",
            List::ActivityField => "activity_field",
            List::ProductGroup => "product_group",
            List::Region => "region",
            List::ComplaintCategory => "complaint_category",
            List::CloseReason => "close_reason",
        }
    }

    pub fn parse(text: &str) -> Option<List> {
        List::ALL.into_iter().find(|l| l.as_str() == text)
    }
}

/// What a case status means for the case: still open, or closed and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    Open,
    Won,
    Lost,
    Cancelled,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Open => "open",
            Outcome::Won => "won",
            Outcome::Lost => "lost",
            Outcome::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Outcome> {
        match text {
            "open" => Some(Outcome::Open),
            "won" => Some(Outcome::Won),
            "lost" => Some(Outcome::Lost),
            "cancelled" => Some(Outcome::Cancelled),
            _ => None,
        }
    }
}

/// One entry of a reference list.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = lookups)]
pub struct Lookup {
    pub id: i64,
    pub list: String,
    pub parent_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub position: i32,
    pub active: bool,
}

/// One case status.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = case_statuses)]
pub struct CaseStatus {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub outcome: String,
    pub is_initial: bool,
    pub position: i32,
    pub active: bool,
}

impl CaseStatus {
    /// The status's outcome; an unknown value (which the table's check prevents) counts as open.
    pub fn outcome(&self) -> Outcome {
        Outcome::parse(&self.outcome).unwrap_or(Outcome::Open)
    }
}

/// A default entry: its code, English name, and children (for the tree-shaped lists).
struct DefaultEntry {
    code: &'static str,
    name: &'static str,
    children: &'static [(&'static str, &'static str)],
}

const fn leaf(code: &'static str, name: &'static str) -> DefaultEntry {
    DefaultEntry {
        code,
        name,
        children: &[],
    }
}

const fn tree(
    code: &'static str,
    name: &'static str,
    children: &'static [(&'static str, &'static str)],
) -> DefaultEntry {
    DefaultEntry {
        code,
        name,
        children,
    }
}

const MARKETING_CHANNELS: &[DefaultEntry] = &[
    leaf("website", "Website"),
    leaf("inbound-call", "Inbound call"),
    leaf("referral", "Referral"),
    leaf("exhibition", "Exhibition"),
    leaf("social", "Social media"),
    leaf("email-campaign", "Email campaign"),
    leaf("field-sales", "Field sales visit"),
    leaf("advertising", "Advertising"),
];

const FOLLOWUP_KINDS: &[DefaultEntry] = &[
    leaf("phone", "Phone call"),
    leaf("email", "Email"),
    leaf("fax", "Fax"),
    leaf("social", "Social network"),
    leaf("visit", "Visit"),
    leaf("sms", "SMS"),
    leaf("meeting", "Meeting"),
];

const ACTION_KINDS: &[DefaultEntry] = &[
    leaf("call", "Call"),
    leaf("send-quote", "Send a quote"),
    leaf("visit", "Visit"),
    leaf("email", "Email"),
    leaf("meeting", "Meeting"),
    leaf("demo", "Product demo"),
    leaf("collect-payment", "Follow up payment"),
];

const COMPANY_TYPES: &[DefaultEntry] = &[
    leaf("private-joint-stock", "Private joint-stock company"),
    leaf("public-joint-stock", "Public joint-stock company"),
    leaf("limited-liability", "Limited liability company"),
    leaf("cooperative", "Cooperative"),
    leaf("partnership", "Partnership"),
    leaf("public-sector", "Public sector"),
    leaf("non-profit", "Non-profit institution"),
];

const ACTIVITY_FIELDS: &[DefaultEntry] = &[
    leaf("manufacturing", "Manufacturing"),
    leaf("food", "Food and beverage"),
    leaf("retail", "Retail and distribution"),
    leaf("construction", "Construction"),
    leaf("petrochemical", "Oil, gas and petrochemicals"),
    leaf("healthcare", "Healthcare and pharmaceuticals"),
    leaf("it", "Information technology"),
    leaf("logistics", "Transport and logistics"),
    leaf("agriculture", "Agriculture"),
    leaf("automotive", "Automotive"),
    leaf("textile", "Textiles"),
    leaf("services", "Services"),
];

const PRODUCT_GROUPS: &[DefaultEntry] = &[
    tree(
        "equipment",
        "Industrial equipment",
        &[
            ("equipment.pumps", "Pumps"),
            ("equipment.compressors", "Compressors"),
            ("equipment.valves", "Valves"),
        ],
    ),
    tree(
        "parts",
        "Spare parts",
        &[
            ("parts.filters", "Filters"),
            ("parts.seals", "Seals and gaskets"),
            ("parts.bearings", "Bearings"),
        ],
    ),
    tree(
        "services",
        "Services",
        &[
            ("services.installation", "Installation"),
            ("services.maintenance", "Maintenance contracts"),
            ("services.training", "Training"),
        ],
    ),
    tree(
        "consumables",
        "Consumables",
        &[
            ("consumables.lubricants", "Lubricants"),
            ("consumables.packaging", "Packaging film"),
        ],
    ),
];

const REGIONS: &[DefaultEntry] = &[
    tree(
        "tehran",
        "Tehran province",
        &[
            ("tehran.tehran", "Tehran"),
            ("tehran.eslamshahr", "Eslamshahr"),
            ("tehran.shahriar", "Shahriar"),
            ("tehran.varamin", "Varamin"),
        ],
    ),
    tree(
        "isfahan",
        "Isfahan province",
        &[
            ("isfahan.isfahan", "Isfahan"),
            ("isfahan.kashan", "Kashan"),
            ("isfahan.najafabad", "Najafabad"),
        ],
    ),
    tree(
        "khorasan-razavi",
        "Khorasan-Razavi province",
        &[
            ("khorasan-razavi.mashhad", "Mashhad"),
            ("khorasan-razavi.neyshabur", "Neyshabur"),
            ("khorasan-razavi.sabzevar", "Sabzevar"),
        ],
    ),
    tree(
        "fars",
        "Fars province",
        &[
            ("fars.shiraz", "Shiraz"),
            ("fars.marvdasht", "Marvdasht"),
            ("fars.kazerun", "Kazerun"),
        ],
    ),
    tree(
        "east-azerbaijan",
        "East-Azerbaijan province",
        &[
            ("east-azerbaijan.tabriz", "Tabriz"),
            ("east-azerbaijan.maragheh", "Maragheh"),
            ("east-azerbaijan.marand", "Marand"),
        ],
    ),
];

const COMPLAINT_CATEGORIES: &[DefaultEntry] = &[
    leaf("delivery-delay", "Late delivery"),
    leaf("product-defect", "Defective product"),
    leaf("billing", "Billing and invoices"),
    leaf("staff-behaviour", "Staff behaviour"),
    leaf("warranty", "Warranty and repairs"),
    leaf("installation", "Installation"),
    leaf("other", "Other"),
];

const CLOSE_REASONS: &[DefaultEntry] = &[
    leaf("price", "Price too high"),
    leaf("competitor", "Chose a competitor"),
    leaf("no-budget", "No budget"),
    leaf("no-response", "Customer stopped responding"),
    leaf("postponed", "Purchase postponed"),
    leaf("requirements-changed", "Requirements changed"),
    leaf("duplicate", "Duplicate case"),
    leaf("other", "Other"),
];

fn defaults(list: List) -> &'static [DefaultEntry] {
    match list {
        List::MarketingChannel => MARKETING_CHANNELS,
        List::FollowupKind => FOLLOWUP_KINDS,
        List::ActionKind => ACTION_KINDS,
        List::CompanyType => COMPANY_TYPES,
        List::ActivityField => ACTIVITY_FIELDS,
        List::ProductGroup => PRODUCT_GROUPS,
        List::Region => REGIONS,
        List::ComplaintCategory => COMPLAINT_CATEGORIES,
        List::CloseReason => CLOSE_REASONS,
    }
}

/// The default case statuses in funnel order: (code, name, outcome). The first is the initial one.
const STATUSES: &[(&str, &str, Outcome)] = &[
    ("new", "New", Outcome::Open),
    ("contacted", "Contacted", Outcome::Open),
    ("qualified", "Qualified", Outcome::Open),
    ("proposal", "Proposal sent", Outcome::Open),
    ("negotiation", "Negotiation", Outcome::Open),
    ("won", "Won", Outcome::Won),
    ("lost", "Lost", Outcome::Lost),
    ("cancelled", "Cancelled", Outcome::Cancelled),
];

/// Where a closed case is reopened to.
const REOPEN_TO: &str = "negotiation";

/// The default transitions as (from, to) codes: an open status moves forward to any later open
/// status or to won, back to any earlier open status, and to lost or cancelled; a closed status
/// can only be reopened to negotiation.
fn default_transitions() -> Vec<(&'static str, &'static str)> {
    let open: Vec<&str> = STATUSES
        .iter()
        .filter(|s| s.2 == Outcome::Open)
        .map(|s| s.0)
        .collect();
    let closed: Vec<&str> = STATUSES
        .iter()
        .filter(|s| s.2 != Outcome::Open)
        .map(|s| s.0)
        .collect();
    let mut pairs = Vec::new();
    for (i, from) in open.iter().enumerate() {
        for (j, to) in open.iter().enumerate() {
            if i != j {
                pairs.push((*from, *to));
            }
        }
        for to in &closed {
            pairs.push((*from, *to));
        }
    }
    for from in &closed {
        pairs.push((*from, REOPEN_TO));
    }
    pairs
}

#[derive(Insertable)]
#[diesel(table_name = lookups)]
struct NewLookup<'a> {
    list: &'a str,
    parent_id: Option<i64>,
    code: &'a str,
    name: &'a str,
    position: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = case_statuses)]
struct NewCaseStatus<'a> {
    code: &'a str,
    name: &'a str,
    outcome: &'a str,
    is_initial: bool,
    position: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Adds the default lists, case statuses and transitions a store is missing, in one transaction.
/// An entry is matched by (list, code) and a status by code, so an entry an admin renamed or
/// deactivated stays as the admin left it. Transitions are added only for statuses this call
/// creates: a default transition an admin removed between existing statuses stays removed.
pub fn ensure_defaults(db: &mut Db) -> Result<()> {
    db.transaction(|db| {
        let now = super::now();
        for list in List::ALL {
            ensure_list(db, list, now)?;
        }
        ensure_case_statuses(db, now)
    })
}

fn ensure_list(db: &mut Db, list: List, now: NaiveDateTime) -> Result<()> {
    let existing: BTreeMap<String, i64> = lookups::table
        .filter(lookups::list.eq(list.as_str()))
        .select((lookups::code, lookups::id))
        .load::<(String, i64)>(db)?
        .into_iter()
        .collect();
    for (position, item) in (1..).zip(defaults(list)) {
        let parent_id = match existing.get(item.code) {
            Some(&id) => id,
            None => insert_lookup(db, list, None, item.code, item.name, position, now)?,
        };
        for (child_position, (code, name)) in (1..).zip(item.children) {
            if !existing.contains_key(*code) {
                insert_lookup(db, list, Some(parent_id), code, name, child_position, now)?;
            }
        }
    }
    Ok(())
}

fn insert_lookup(
    db: &mut Db,
    list: List,
    parent_id: Option<i64>,
    code: &str,
    name: &str,
    position: i32,
    now: NaiveDateTime,
) -> Result<i64> {
    let row = NewLookup {
        list: list.as_str(),
        parent_id,
        code,
        name,
        position,
        created_at: now,
        updated_at: now,
    };
    let id = on_backend!(db, |c| diesel::insert_into(lookups::table)
        .values(&row)
        .returning(lookups::id)
        .get_result::<i64>(c))?;
    Ok(id)
}

fn ensure_case_statuses(db: &mut Db, now: NaiveDateTime) -> Result<()> {
    let existing: Vec<CaseStatus> = case_statuses::table
        .select(CaseStatus::as_select())
        .load(db)?;
    let has_initial = existing.iter().any(|s| s.is_initial);
    let mut ids: BTreeMap<&str, i64> = BTreeMap::new();
    let mut created: BTreeSet<&str> = BTreeSet::new();
    for (position, (code, name, outcome)) in (1..).zip(STATUSES) {
        if let Some(status) = existing.iter().find(|s| s.code == *code) {
            ids.insert(code, status.id);
            continue;
        }
        let row = NewCaseStatus {
            code,
            name,
            outcome: outcome.as_str(),
            is_initial: !has_initial && position == 1,
            position,
            created_at: now,
            updated_at: now,
        };
        let id = on_backend!(db, |c| diesel::insert_into(case_statuses::table)
            .values(&row)
            .returning(case_statuses::id)
            .get_result::<i64>(c))?;
        ids.insert(code, id);
        created.insert(code);
    }
    let present: BTreeSet<(i64, i64)> = case_status_transitions::table
        .select((
            case_status_transitions::from_status_id,
            case_status_transitions::to_status_id,
        ))
        .load::<(i64, i64)>(db)?
        .into_iter()
        .collect();
    for (from, to) in default_transitions() {
        if !created.contains(from) && !created.contains(to) {
            continue;
        }
        let (Some(&from_id), Some(&to_id)) = (ids.get(from), ids.get(to)) else {
            continue;
        };
        if present.contains(&(from_id, to_id)) {
            continue;
        }
        diesel::insert_into(case_status_transitions::table)
            .values((
                case_status_transitions::from_status_id.eq(from_id),
                case_status_transitions::to_status_id.eq(to_id),
            ))
            .execute(db)?;
    }
    Ok(())
}

/// The active entries of a list, parents and children alike, in list order.
pub fn items(db: &mut Db, list: List) -> Result<Vec<Lookup>> {
    Ok(lookups::table
        .filter(lookups::list.eq(list.as_str()))
        .filter(lookups::active.eq(true))
        .order((lookups::position.asc(), lookups::id.asc()))
        .select(Lookup::as_select())
        .load(db)?)
}

/// The ids of a list's active entries, in list order.
pub fn ids(db: &mut Db, list: List) -> Result<Vec<i64>> {
    Ok(lookups::table
        .filter(lookups::list.eq(list.as_str()))
        .filter(lookups::active.eq(true))
        .order((lookups::position.asc(), lookups::id.asc()))
        .select(lookups::id)
        .load(db)?)
}

/// The id of the entry with `code` in `list`, active or not.
pub fn id_of(db: &mut Db, list: List, code: &str) -> Result<Option<i64>> {
    Ok(lookups::table
        .filter(lookups::list.eq(list.as_str()))
        .filter(lookups::code.eq(code))
        .select(lookups::id)
        .first(db)
        .optional()?)
}

/// Every case status, active or not, in funnel order.
pub fn statuses(db: &mut Db) -> Result<Vec<CaseStatus>> {
    Ok(case_statuses::table
        .order((case_statuses::position.asc(), case_statuses::id.asc()))
        .select(CaseStatus::as_select())
        .load(db)?)
}

/// The allowed status changes as (from, to) status ids.
pub fn transitions(db: &mut Db) -> Result<Vec<(i64, i64)>> {
    Ok(case_status_transitions::table
        .order((
            case_status_transitions::from_status_id.asc(),
            case_status_transitions::to_status_id.asc(),
        ))
        .select((
            case_status_transitions::from_status_id,
            case_status_transitions::to_status_id,
        ))
        .load(db)?)
}

/// The id of the organisational unit called `name` under `parent_id`, added if there is none.
pub fn org_unit(db: &mut Db, parent_id: Option<i64>, name: &str) -> Result<i64> {
    let mut query = org_units::table
        .filter(org_units::name.eq(name))
        .select(org_units::id)
        .order(org_units::id.asc())
        .into_boxed();
    query = match parent_id {
        Some(parent) => query.filter(org_units::parent_id.eq(parent)),
        None => query.filter(org_units::parent_id.is_null()),
    };
    if let Some(id) = query.first::<i64>(db).optional()? {
        return Ok(id);
    }
    let now = super::now();
    let id = on_backend!(db, |c| diesel::insert_into(org_units::table)
        .values((
            org_units::parent_id.eq(parent_id),
            org_units::name.eq(name),
            org_units::created_at.eq(now),
            org_units::updated_at.eq(now),
        ))
        .returning(org_units::id)
        .get_result::<i64>(c))?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::StoreUrl;

    fn store() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = StoreUrl::Sqlite(dir.path().join("lookups.db"));
        let db = crate::db::open(&url).expect("open store");
        (dir, db)
    }

    #[test]
    fn defaults_are_added_once() {
        let (_dir, mut db) = store();
        ensure_defaults(&mut db).expect("first");
        let lookups_before = crate::db::row_count(&mut db, "lookups").expect("count");
        let transitions_before = transitions(&mut db).expect("transitions").len();
        ensure_defaults(&mut db).expect("second");
        assert_eq!(
            crate::db::row_count(&mut db, "lookups").expect("count"),
            lookups_before
        );
        assert_eq!(
            transitions(&mut db).expect("transitions").len(),
            transitions_before
        );
        for list in List::ALL {
            assert!(!ids(&mut db, list).expect("ids").is_empty(), "{list:?}");
        }
        for code in ["phone", "fax", "email", "social", "visit", "sms"] {
            assert!(
                id_of(&mut db, List::FollowupKind, code)
                    .expect("id")
                    .is_some(),
                "{code}"
            );
        }
    }

    #[test]
    fn a_missing_entry_is_restored_and_an_edited_one_kept() {
        let (_dir, mut db) = store();
        ensure_defaults(&mut db).expect("first");
        let fax = id_of(&mut db, List::FollowupKind, "fax")
            .expect("id")
            .expect("fax exists");
        diesel::update(lookups::table.find(fax))
            .set(lookups::name.eq("Telefax"))
            .execute(&mut db)
            .expect("rename");
        diesel::delete(
            lookups::table
                .filter(lookups::list.eq("followup_kind"))
                .filter(lookups::code.eq("sms")),
        )
        .execute(&mut db)
        .expect("delete");
        ensure_defaults(&mut db).expect("second");
        let kinds = items(&mut db, List::FollowupKind).expect("items");
        assert!(kinds.iter().any(|k| k.code == "sms"));
        assert!(kinds.iter().any(|k| k.id == fax && k.name == "Telefax"));
    }

    #[test]
    fn trees_and_the_funnel() {
        let (_dir, mut db) = store();
        ensure_defaults(&mut db).expect("defaults");
        let regions = items(&mut db, List::Region).expect("regions");
        let tehran = regions
            .iter()
            .find(|r| r.code == "tehran")
            .expect("Tehran province");
        assert!(
            regions
                .iter()
                .any(|r| r.code == "tehran.tehran" && r.parent_id == Some(tehran.id))
        );
        let statuses = statuses(&mut db).expect("statuses");
        assert_eq!(statuses.iter().filter(|s| s.is_initial).count(), 1);
        assert_eq!(statuses[0].code, "new");
        let id = |code: &str| {
            statuses
                .iter()
                .find(|s| s.code == code)
                .map(|s| s.id)
                .expect("status")
        };
        let allowed = transitions(&mut db).expect("transitions");
        assert!(allowed.contains(&(id("new"), id("contacted"))));
        assert!(allowed.contains(&(id("proposal"), id("contacted"))));
        assert!(allowed.contains(&(id("new"), id("lost"))));
        assert!(allowed.contains(&(id("won"), id("negotiation"))));
        assert!(!allowed.contains(&(id("won"), id("new"))));
        assert!(!allowed.contains(&(id("lost"), id("won"))));
    }

    #[test]
    fn org_units_are_found_or_added() {
        let (_dir, mut db) = store();
        let head = org_unit(&mut db, None, "Head office").expect("head");
        let sales = org_unit(&mut db, Some(head), "Tehran sales").expect("sales");
        assert_eq!(org_unit(&mut db, None, "Head office").expect("again"), head);
        assert_eq!(
            org_unit(&mut db, Some(head), "Tehran sales").expect("again"),
            sales
        );
        assert_ne!(org_unit(&mut db, None, "Tehran sales").expect("top"), sales);
    }
}
