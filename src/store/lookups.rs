//! The reference lists an admin edits (marketing channels, follow-up and action kinds, company
//! types, fields of activity, product groups, regions, complaint categories, close reasons), the
//! case statuses with the transitions allowed between them, and organisational units: the
//! defaults every store starts with, and the reads the rest of the store needs.
//!
//! Each entry keeps a stable `code` next to its `name`, so renaming an entry never breaks the code
//! that looks it up. The defaults are named in the language in force when they are added (English
//! or Persian): a store set up in Persian has its lists and statuses in Persian.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::Db;
use crate::db::schema::{case_status_transitions, case_statuses, lookups, org_units};
use crate::domain::text;
use crate::error::{Error, FieldError, Result};
use crate::{on_backend, t};

use super::audit::{self, AuditAction};
use super::bulk::BulkRow;
use super::versioned::{self, Changed, Versioned};
use super::{Actor, Role};

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
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = case_statuses)]
pub struct CaseStatus {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub outcome: String,
    pub is_initial: bool,
    pub position: i32,
    pub active: bool,
    pub version: i64,
}

impl CaseStatus {
    /// The status's outcome; an unknown value (which the table's check prevents) counts as open.
    pub fn outcome(&self) -> Outcome {
        Outcome::parse(&self.outcome).unwrap_or(Outcome::Open)
    }
}

/// A default entry: its code, its name in English and in Persian, and children (for the
/// tree-shaped lists) as (code, English, Persian).
struct DefaultEntry {
    code: &'static str,
    name: Named,
    children: &'static [(&'static str, &'static str, &'static str)],
}

/// A default name in English and in Persian: a store gets its lists in the language in force
/// when they are added (an admin renames them at will afterwards).
#[derive(Clone, Copy)]
struct Named {
    en: &'static str,
    fa: &'static str,
}

impl Named {
    fn in_force(self) -> &'static str {
        match crate::i18n::lang() {
            crate::i18n::Lang::Fa => self.fa,
            crate::i18n::Lang::En => self.en,
        }
    }
}

const fn leaf(code: &'static str, en: &'static str, fa: &'static str) -> DefaultEntry {
    DefaultEntry {
        code,
        name: Named { en, fa },
        children: &[],
    }
}

const fn tree(
    code: &'static str,
    en: &'static str,
    fa: &'static str,
    children: &'static [(&'static str, &'static str, &'static str)],
) -> DefaultEntry {
    DefaultEntry {
        code,
        name: Named { en, fa },
        children,
    }
}

const MARKETING_CHANNELS: &[DefaultEntry] = &[
    leaf("website", "Website", "وب‌سایت"),
    leaf("inbound-call", "Inbound call", "تماس ورودی"),
    leaf("referral", "Referral", "معرفی"),
    leaf("exhibition", "Exhibition", "نمایشگاه"),
    leaf("social", "Social media", "شبکه‌های اجتماعی"),
    leaf("email-campaign", "Email campaign", "کارزار ایمیلی"),
    leaf("field-sales", "Field sales visit", "بازدید فروش حضوری"),
    leaf("advertising", "Advertising", "تبلیغات"),
];

const FOLLOWUP_KINDS: &[DefaultEntry] = &[
    leaf("phone", "Phone call", "تماس تلفنی"),
    leaf("email", "Email", "ایمیل"),
    leaf("fax", "Fax", "نمابر"),
    leaf("social", "Social network", "شبکهٔ اجتماعی"),
    leaf("visit", "Visit", "بازدید"),
    leaf("sms", "SMS", "پیامک"),
    leaf("meeting", "Meeting", "جلسه"),
];

const ACTION_KINDS: &[DefaultEntry] = &[
    leaf("call", "Call", "تماس"),
    leaf("send-quote", "Send a quote", "ارسال پیش‌فاکتور"),
    leaf("visit", "Visit", "بازدید"),
    leaf("email", "Email", "ایمیل"),
    leaf("meeting", "Meeting", "جلسه"),
    leaf("demo", "Product demo", "نمایش محصول"),
    leaf("collect-payment", "Follow up payment", "پیگیری پرداخت"),
];

const COMPANY_TYPES: &[DefaultEntry] = &[
    leaf(
        "private-joint-stock",
        "Private joint-stock company",
        "سهامی خاص",
    ),
    leaf(
        "public-joint-stock",
        "Public joint-stock company",
        "سهامی عام",
    ),
    leaf(
        "limited-liability",
        "Limited liability company",
        "با مسئولیت محدود",
    ),
    leaf("cooperative", "Cooperative", "تعاونی"),
    leaf("partnership", "Partnership", "تضامنی"),
    leaf("public-sector", "Public sector", "دولتی"),
    leaf("non-profit", "Non-profit institution", "مؤسسهٔ غیرتجاری"),
];

const ACTIVITY_FIELDS: &[DefaultEntry] = &[
    leaf("manufacturing", "Manufacturing", "تولیدی"),
    leaf("food", "Food and beverage", "مواد غذایی و آشامیدنی"),
    leaf("retail", "Retail and distribution", "خرده‌فروشی و پخش"),
    leaf("construction", "Construction", "ساختمان"),
    leaf(
        "petrochemical",
        "Oil, gas and petrochemicals",
        "نفت، گاز و پتروشیمی",
    ),
    leaf(
        "healthcare",
        "Healthcare and pharmaceuticals",
        "بهداشت و دارو",
    ),
    leaf("it", "Information technology", "فناوری اطلاعات"),
    leaf("logistics", "Transport and logistics", "حمل‌ونقل و لجستیک"),
    leaf("agriculture", "Agriculture", "کشاورزی"),
    leaf("automotive", "Automotive", "خودرو"),
    leaf("textile", "Textiles", "نساجی"),
    leaf("services", "Services", "خدمات"),
];

const PRODUCT_GROUPS: &[DefaultEntry] = &[
    tree(
        "equipment",
        "Industrial equipment",
        "تجهیزات صنعتی",
        &[
            ("equipment.pumps", "Pumps", "پمپ"),
            ("equipment.compressors", "Compressors", "کمپرسور"),
            ("equipment.valves", "Valves", "شیرآلات"),
        ],
    ),
    tree(
        "parts",
        "Spare parts",
        "قطعات یدکی",
        &[
            ("parts.filters", "Filters", "فیلتر"),
            ("parts.seals", "Seals and gaskets", "کاسه‌نمد و واشر"),
            ("parts.bearings", "Bearings", "بلبرینگ"),
        ],
    ),
    tree(
        "services",
        "Services",
        "خدمات",
        &[
            ("services.installation", "Installation", "نصب"),
            (
                "services.maintenance",
                "Maintenance contracts",
                "قرارداد نگهداری",
            ),
            ("services.training", "Training", "آموزش"),
        ],
    ),
    tree(
        "consumables",
        "Consumables",
        "مواد مصرفی",
        &[
            ("consumables.lubricants", "Lubricants", "روان‌کار"),
            ("consumables.packaging", "Packaging film", "فیلم بسته‌بندی"),
        ],
    ),
];

const REGIONS: &[DefaultEntry] = &[
    tree(
        "tehran",
        "Tehran province",
        "استان تهران",
        &[
            ("tehran.tehran", "Tehran", "تهران"),
            ("tehran.eslamshahr", "Eslamshahr", "اسلامشهر"),
            ("tehran.shahriar", "Shahriar", "شهریار"),
            ("tehran.varamin", "Varamin", "ورامین"),
        ],
    ),
    tree(
        "isfahan",
        "Isfahan province",
        "استان اصفهان",
        &[
            ("isfahan.isfahan", "Isfahan", "اصفهان"),
            ("isfahan.kashan", "Kashan", "کاشان"),
            ("isfahan.najafabad", "Najafabad", "نجف‌آباد"),
        ],
    ),
    tree(
        "khorasan-razavi",
        "Khorasan-Razavi province",
        "استان خراسان رضوی",
        &[
            ("khorasan-razavi.mashhad", "Mashhad", "مشهد"),
            ("khorasan-razavi.neyshabur", "Neyshabur", "نیشابور"),
            ("khorasan-razavi.sabzevar", "Sabzevar", "سبزوار"),
        ],
    ),
    tree(
        "fars",
        "Fars province",
        "استان فارس",
        &[
            ("fars.shiraz", "Shiraz", "شیراز"),
            ("fars.marvdasht", "Marvdasht", "مرودشت"),
            ("fars.kazerun", "Kazerun", "کازرون"),
        ],
    ),
    tree(
        "east-azerbaijan",
        "East-Azerbaijan province",
        "استان آذربایجان شرقی",
        &[
            ("east-azerbaijan.tabriz", "Tabriz", "تبریز"),
            ("east-azerbaijan.maragheh", "Maragheh", "مراغه"),
            ("east-azerbaijan.marand", "Marand", "مرند"),
        ],
    ),
];

const COMPLAINT_CATEGORIES: &[DefaultEntry] = &[
    leaf("delivery-delay", "Late delivery", "تأخیر در تحویل"),
    leaf("product-defect", "Defective product", "کالای معیوب"),
    leaf("billing", "Billing and invoices", "صورتحساب و فاکتور"),
    leaf("staff-behaviour", "Staff behaviour", "رفتار کارکنان"),
    leaf("warranty", "Warranty and repairs", "گارانتی و تعمیر"),
    leaf("installation", "Installation", "نصب"),
    leaf("other", "Other", "سایر"),
];

const CLOSE_REASONS: &[DefaultEntry] = &[
    leaf("price", "Price too high", "قیمت بالا"),
    leaf("competitor", "Chose a competitor", "انتخاب رقیب"),
    leaf("no-budget", "No budget", "نبود بودجه"),
    leaf(
        "no-response",
        "Customer stopped responding",
        "پاسخ ندادن مشتری",
    ),
    leaf("postponed", "Purchase postponed", "تعویق خرید"),
    leaf(
        "requirements-changed",
        "Requirements changed",
        "تغییر نیازها",
    ),
    leaf("duplicate", "Duplicate case", "پروندهٔ تکراری"),
    leaf("other", "Other", "سایر"),
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
const STATUSES: &[(&str, Named, Outcome)] = &[
    (
        "new",
        Named {
            en: "New",
            fa: "جدید",
        },
        Outcome::Open,
    ),
    (
        "contacted",
        Named {
            en: "Contacted",
            fa: "تماس گرفته شد",
        },
        Outcome::Open,
    ),
    (
        "qualified",
        Named {
            en: "Qualified",
            fa: "واجد شرایط",
        },
        Outcome::Open,
    ),
    (
        "proposal",
        Named {
            en: "Proposal sent",
            fa: "پیشنهاد ارسال شد",
        },
        Outcome::Open,
    ),
    (
        "negotiation",
        Named {
            en: "Negotiation",
            fa: "مذاکره",
        },
        Outcome::Open,
    ),
    (
        "won",
        Named {
            en: "Won",
            fa: "موفق",
        },
        Outcome::Won,
    ),
    (
        "lost",
        Named {
            en: "Lost",
            fa: "ناموفق",
        },
        Outcome::Lost,
    ),
    (
        "cancelled",
        Named {
            en: "Cancelled",
            fa: "لغوشده",
        },
        Outcome::Cancelled,
    ),
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
            None => insert_lookup(
                db,
                list,
                None,
                item.code,
                item.name.in_force(),
                position,
                now,
            )?,
        };
        for (child_position, &(code, en, fa)) in (1..).zip(item.children) {
            if !existing.contains_key(code) {
                let name = Named { en, fa }.in_force();
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
            name: name.in_force(),
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

/// An organisational unit.
#[derive(Debug, Clone, Default, PartialEq, Insertable)]
#[diesel(table_name = org_units, treat_none_as_default_value = false)]
pub struct NewOrgUnit {
    pub parent_id: Option<i64>,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl BulkRow for NewOrgUnit {
    const COLUMNS: usize = 4;
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
    let row = NewOrgUnit {
        parent_id,
        name: name.to_string(),
        created_at: now,
        updated_at: now,
    };
    let id = on_backend!(db, |c| diesel::insert_into(org_units::table)
        .values(&row)
        .returning(org_units::id)
        .get_result::<i64>(c))?;
    Ok(id)
}

// ---------------------------------------------------------------------------------------------
// Case statuses and the transitions between them, as an admin edits them

/// The audit log's entity for a case status.
pub const STATUS_ENTITY: &str = "case-status";
/// The audit log's entity for an allowed transition; its id is the status it leaves.
pub const TRANSITION_ENTITY: &str = "case-status-transition";

/// An allowed transition, as the audit log records it.
#[derive(Debug, Clone, serde::Serialize)]
struct TransitionRecord {
    from_status_id: i64,
    to_status_id: i64,
    from: String,
    to: String,
}

/// The case status with `id`, active or not.
pub fn status(db: &mut Db, id: i64) -> Result<CaseStatus> {
    case_statuses::table
        .find(id)
        .select(CaseStatus::as_select())
        .first(db)
        .optional()?
        .ok_or_else(|| versioned::not_found::<CaseStatus>(id))
}

/// The status whose code or name is `text` (letter case, digit script and Persian letter
/// variants ignored), active or not; a code wins over another status's name.
pub fn find_status(db: &mut Db, text: &str) -> Result<Option<CaseStatus>> {
    let key = text::search_key(text.trim());
    let all = statuses(db)?;
    let found = all
        .iter()
        .find(|s| text::search_key(&s.code) == key)
        .or_else(|| all.iter().find(|s| text::search_key(&s.name) == key));
    Ok(found.cloned())
}

/// The status a new case starts in: the active one marked initial, if any.
pub fn initial_status(db: &mut Db) -> Result<Option<CaseStatus>> {
    Ok(case_statuses::table
        .filter(case_statuses::is_initial.eq(true))
        .filter(case_statuses::active.eq(true))
        .order(case_statuses::id.asc())
        .select(CaseStatus::as_select())
        .first(db)
        .optional()?)
}

/// The active statuses a case in status `from` may move to, in funnel order.
pub fn allowed_from(db: &mut Db, from: i64) -> Result<Vec<CaseStatus>> {
    Ok(case_statuses::table
        .filter(
            case_statuses::id.eq_any(
                case_status_transitions::table
                    .filter(case_status_transitions::from_status_id.eq(from))
                    .select(case_status_transitions::to_status_id),
            ),
        )
        .filter(case_statuses::active.eq(true))
        .order((case_statuses::position.asc(), case_statuses::id.asc()))
        .select(CaseStatus::as_select())
        .load(db)?)
}

/// Whether a case may move from status `from` to status `to`.
pub fn is_allowed(db: &mut Db, from: i64, to: i64) -> Result<bool> {
    Ok(case_status_transitions::table
        .find((from, to))
        .count()
        .get_result::<i64>(db)?
        > 0)
}

/// A status an admin adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStatus {
    pub name: String,
    /// The stable code scripts name it by; made from the name when not given.
    pub code: Option<String>,
    pub outcome: Outcome,
    /// Whether new cases start in it (the status that was initial no longer is). Only an open
    /// status can be initial.
    pub initial: bool,
}

/// A code made from a name: its words, Persian-normalised and lower case, joined by `-`.
fn code_from(name: &str) -> String {
    text::search_key(name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn clean_name(name: &str) -> String {
    text::strip_controls(name, false).trim().to_string()
}

/// Refuses a status name or code another status already has, naming it.
fn check_status_unique(
    db: &mut Db,
    name: &str,
    code: Option<&str>,
    except: Option<i64>,
) -> Result<Vec<FieldError>> {
    let mut errors = Vec::new();
    let others: Vec<CaseStatus> = statuses(db)?
        .into_iter()
        .filter(|s| Some(s.id) != except)
        .collect();
    let key = text::search_key(name);
    if let Some(other) = others.iter().find(|s| text::search_key(&s.name) == key) {
        errors.push(FieldError {
            field: "field.status-name",
            reason: t!("invalid.status-taken", name = other.name, code = other.code),
        });
    }
    if let Some(code) = code
        && let Some(other) = others.iter().find(|s| s.code == code)
    {
        errors.push(FieldError {
            field: "field.status-code",
            reason: t!("invalid.status-taken", name = other.name, code = other.code),
        });
    }
    Ok(errors)
}

/// Clears the initial mark of every status but `except`, auditing each change.
fn clear_initial(db: &mut Db, actor: &Actor, except: i64) -> Result<()> {
    let marked: Vec<CaseStatus> = case_statuses::table
        .filter(case_statuses::is_initial.eq(true))
        .filter(case_statuses::id.ne(except))
        .select(CaseStatus::as_select())
        .load(db)?;
    for old in marked {
        diesel::update(case_statuses::table.find(old.id))
            .set(case_statuses::is_initial.eq(false))
            .execute(db)?;
        versioned::finish(db, actor, &old, AuditAction::Update, super::now())?;
    }
    Ok(())
}

/// Adds a case status (admin work). It can be moved to and from only once transitions are
/// allowed for it.
pub fn add_status(db: &mut Db, actor: &Actor, new: NewStatus) -> Result<CaseStatus> {
    actor.require(Role::Admin, &t!("forbidden.edit-statuses"))?;
    let name = clean_name(&new.name);
    let code = match new.code.as_deref().map(clean_name) {
        Some(code) if !code.is_empty() => code,
        _ => code_from(&name),
    };
    super::write(db, |db| {
        let mut errors = Vec::new();
        if name.is_empty() {
            errors.push(FieldError {
                field: "field.status-name",
                reason: t!("invalid.required"),
            });
        } else {
            errors.extend(check_status_unique(db, &name, Some(&code), None)?);
        }
        if new.initial && new.outcome != Outcome::Open {
            errors.push(FieldError {
                field: "field.initial",
                reason: t!("invalid.initial-not-open"),
            });
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let position = case_statuses::table
            .select(diesel::dsl::max(case_statuses::position))
            .first::<Option<i32>>(db)?
            .unwrap_or(0)
            + 1;
        let now = super::now();
        let row = NewCaseStatus {
            code: &code,
            name: &name,
            outcome: new.outcome.as_str(),
            is_initial: new.initial,
            position,
            created_at: now,
            updated_at: now,
        };
        let id = on_backend!(db, |c| diesel::insert_into(case_statuses::table)
            .values(&row)
            .returning(case_statuses::id)
            .get_result::<i64>(c))?;
        if new.initial {
            clear_initial(db, actor, id)?;
        }
        let created = status(db, id)?;
        audit::record(
            db,
            actor,
            STATUS_ENTITY,
            id,
            AuditAction::Create,
            None,
            Some(&created),
        )?;
        Ok(created)
    })
}

/// Renames a status still at `expected_version` (admin work); its code stays.
pub fn rename_status(
    db: &mut Db,
    actor: &Actor,
    id: i64,
    expected_version: i64,
    name: &str,
) -> Result<CaseStatus> {
    actor.require(Role::Admin, &t!("forbidden.edit-statuses"))?;
    let name = clean_name(name);
    versioned::update(
        db,
        actor,
        id,
        expected_version,
        AuditAction::Update,
        |_: &CaseStatus| Ok(()),
        |db, _, _| {
            if name.is_empty() {
                return Err(Error::Invalid(vec![FieldError {
                    field: "field.status-name",
                    reason: t!("invalid.required"),
                }]));
            }
            let errors = check_status_unique(db, &name, None, Some(id))?;
            if !errors.is_empty() {
                return Err(Error::Invalid(errors));
            }
            diesel::update(case_statuses::table.find(id))
                .set(case_statuses::name.eq(&name))
                .execute(db)?;
            Ok(Changed::Yes)
        },
    )
}

impl Versioned for CaseStatus {
    const ENTITY: &'static str = STATUS_ENTITY;
    const NAME: &'static str = "entity.case-status";

    fn get(db: &mut Db, id: i64) -> Result<CaseStatus> {
        status(db, id)
    }

    fn id(&self) -> i64 {
        self.id
    }

    fn version(&self) -> i64 {
        self.version
    }

    versioned::claim!(case_statuses, without updated_by);
}

fn transition_record(from: &CaseStatus, to: &CaseStatus) -> TransitionRecord {
    TransitionRecord {
        from_status_id: from.id,
        to_status_id: to.id,
        from: from.name.clone(),
        to: to.name.clone(),
    }
}

/// Allows cases to move from status `from` to status `to` (admin work). Returns whether the
/// transition is new (allowing one that is allowed already changes nothing).
pub fn allow_transition(db: &mut Db, actor: &Actor, from: i64, to: i64) -> Result<bool> {
    actor.require(Role::Admin, &t!("forbidden.edit-statuses"))?;
    super::write(db, |db| {
        let from_status = status(db, from)?;
        let to_status = status(db, to)?;
        if from == to {
            return Err(Error::Invalid(vec![FieldError {
                field: "field.status",
                reason: t!("invalid.transition-to-itself", status = from_status.name),
            }]));
        }
        if is_allowed(db, from, to)? {
            return Ok(false);
        }
        diesel::insert_into(case_status_transitions::table)
            .values((
                case_status_transitions::from_status_id.eq(from),
                case_status_transitions::to_status_id.eq(to),
            ))
            .execute(db)?;
        audit::record(
            db,
            actor,
            TRANSITION_ENTITY,
            from,
            AuditAction::Create,
            None,
            Some(&transition_record(&from_status, &to_status)),
        )?;
        Ok(true)
    })
}

/// Stops cases moving from status `from` to status `to` (admin work); cases already moved stay.
/// Returns whether the transition was allowed until now.
pub fn forbid_transition(db: &mut Db, actor: &Actor, from: i64, to: i64) -> Result<bool> {
    actor.require(Role::Admin, &t!("forbidden.edit-statuses"))?;
    super::write(db, |db| {
        let from_status = status(db, from)?;
        let to_status = status(db, to)?;
        let removed =
            diesel::delete(case_status_transitions::table.find((from, to))).execute(db)?;
        if removed == 0 {
            return Ok(false);
        }
        audit::record(
            db,
            actor,
            TRANSITION_ENTITY,
            from,
            AuditAction::Delete,
            Some(&transition_record(&from_status, &to_status)),
            None,
        )?;
        Ok(true)
    })
}

/// Every organisational unit as (id, name), the name with the units above it (`Head office /
/// Tehran sales`), in the order of those names: a unit follows its parent.
pub fn org_units(db: &mut Db) -> Result<Vec<(i64, String)>> {
    let all: Vec<(i64, Option<i64>, String)> = org_units::table
        .select((org_units::id, org_units::parent_id, org_units::name))
        .order(org_units::id.asc())
        .load(db)?;
    let parent_of: BTreeMap<i64, (Option<i64>, &str)> = all
        .iter()
        .map(|(id, parent, name)| (*id, (*parent, name.as_str())))
        .collect();
    let mut units: Vec<(i64, String)> = all
        .iter()
        .map(|(id, parent, name)| {
            let mut path = vec![name.as_str()];
            let mut seen = BTreeSet::from([*id]);
            let mut up = *parent;
            // A loop in the parent links (which the store never makes) ends the path.
            while let Some(p) = up.filter(|p| seen.insert(*p)) {
                match parent_of.get(&p) {
                    Some((grand, name)) => {
                        path.push(name);
                        up = *grand;
                    }
                    None => break,
                }
            }
            path.reverse();
            (*id, path.join(" / "))
        })
        .collect();
    units.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Ok(units)
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
    fn a_store_set_up_in_persian_gets_its_lists_and_statuses_in_persian() {
        let (_dir, mut db) = store();
        crate::i18n::with_lang(crate::i18n::Lang::Fa, || ensure_defaults(&mut db))
            .expect("defaults");
        let kinds = items(&mut db, List::FollowupKind).expect("kinds");
        let phone = kinds.iter().find(|k| k.code == "phone").expect("phone");
        assert_eq!(phone.name, "تماس تلفنی");
        let regions = items(&mut db, List::Region).expect("regions");
        let shiraz = regions.iter().find(|r| r.code == "fars.shiraz");
        assert_eq!(shiraz.map(|r| r.name.as_str()), Some("شیراز"));
        let statuses = statuses(&mut db).expect("statuses");
        assert_eq!(statuses[0].name, "جدید");
        // A script still names them by code, in any language.
        let found = find_status(&mut db, "won").expect("find");
        assert_eq!(found.map(|s| s.name), Some("موفق".to_string()));
        // Every default has a Persian name of its own.
        for list in List::ALL {
            for entry in defaults(list) {
                assert!(!entry.name.fa.is_empty() && entry.name.fa != entry.name.en);
                for (code, en, fa) in entry.children {
                    assert!(!fa.is_empty() && fa != en, "{code}");
                }
            }
        }
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
