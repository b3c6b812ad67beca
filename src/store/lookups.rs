//! The reference lists an admin edits (marketing channels, follow-up and action kinds, company
//! types, fields of activity, product groups, regions, complaint categories, close reasons): the
//! defaults every store starts with, and the reads the rest of the store needs. Case statuses
//! are in [`super::statuses`], organisational units in [`super::org_units`].
//!
//! Each entry keeps a stable `code` next to its `name`, so renaming an entry never breaks the code
//! that looks it up. The defaults are named in the language in force when they are added (English
//! or Persian): a store set up in Persian has its lists and statuses in Persian.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::Db;
use crate::db::ids::LookupId;
use crate::db::schema::lookups;
use crate::domain::text;
use crate::error::{Error, FieldError, Result};
use crate::t;

use super::audit::AuditAction;
use super::versioned::{self, Changed, Stored};
use super::{Actor, Role};

/// The audit log's entity for an entry of a reference list.
pub const ENTITY: &str = "lookup";

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
    RootCause,
    ComplaintChannel,
}

impl List {
    pub const ALL: [List; 11] = [
        List::MarketingChannel,
        List::FollowupKind,
        List::ActionKind,
        List::CompanyType,
        List::ActivityField,
        List::ProductGroup,
        List::Region,
        List::ComplaintCategory,
        List::CloseReason,
        List::RootCause,
        List::ComplaintChannel,
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
            List::RootCause => "root_cause",
            List::ComplaintChannel => "complaint_channel",
        }
    }

    pub fn parse(text: &str) -> Option<List> {
        List::ALL.into_iter().find(|l| l.as_str() == text)
    }

    /// The list's name on the command line, in kebab-case: `product-group`.
    pub fn cli_name(self) -> &'static str {
        match self {
            List::MarketingChannel => "marketing-channel",
            List::FollowupKind => "followup-kind",
            List::ActionKind => "action-kind",
            List::CompanyType => "company-type",
            List::ActivityField => "activity-field",
            List::ProductGroup => "product-group",
            List::Region => "region",
            List::ComplaintCategory => "complaint-category",
            List::CloseReason => "close-reason",
            List::RootCause => "root-cause",
            List::ComplaintChannel => "complaint-channel",
        }
    }

    /// The list a command line names, in kebab-case (`product-group`) or as stored
    /// (`product_group`), letter case ignored.
    pub fn parse_cli(text: &str) -> Option<List> {
        let text = text.trim().to_ascii_lowercase().replace('_', "-");
        List::ALL.into_iter().find(|l| l.cli_name() == text)
    }

    /// The catalog key of the list's name (`list.region`).
    pub fn message_key(self) -> &'static str {
        match self {
            List::MarketingChannel => "list.marketing-channel",
            List::FollowupKind => "list.followup-kind",
            List::ActionKind => "list.action-kind",
            List::CompanyType => "list.company-type",
            List::ActivityField => "list.activity-field",
            List::ProductGroup => "list.product-group",
            List::Region => "list.region",
            List::ComplaintCategory => "list.complaint-category",
            List::CloseReason => "list.close-reason",
            List::RootCause => "list.root-cause",
            List::ComplaintChannel => "list.complaint-channel",
        }
    }

    /// The list's name in the user's language.
    pub fn name(self) -> String {
        crate::i18n::tr(self.message_key()).to_string()
    }

    /// Whether an entry of the list may stand under another (product groups, regions as
    /// province and city, complaint categories); the other lists are flat.
    pub fn is_tree(self) -> bool {
        matches!(
            self,
            List::ProductGroup | List::Region | List::ComplaintCategory
        )
    }
}

/// One entry of a reference list, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = lookups)]
pub struct Lookup {
    pub id: LookupId,
    pub list: String,
    pub parent_id: Option<LookupId>,
    pub code: String,
    pub name: String,
    pub position: i32,
    pub active: bool,
    pub version: i64,
}

versioned::stored!(Lookup, LookupId, lookups, ENTITY, "entity.lookup");
versioned::versioned!(Lookup, lookups);

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
pub(crate) struct Named {
    pub(crate) en: &'static str,
    pub(crate) fa: &'static str,
}

impl Named {
    pub(crate) fn in_force(self) -> &'static str {
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

/// How a complaint came in.
const COMPLAINT_CHANNELS: &[DefaultEntry] = &[
    leaf("phone", "Phone", "تلفن"),
    leaf("email", "Email", "ایمیل"),
    leaf("in-person", "In person", "حضوری"),
    leaf("letter", "Letter", "نامه"),
    leaf("social", "Social network", "شبکهٔ اجتماعی"),
    leaf("website", "Website", "وب‌سایت"),
];

/// What a complaint's investigation found behind it.
const ROOT_CAUSES: &[DefaultEntry] = &[
    leaf("product-defect", "Product defect", "ایراد کالا"),
    leaf(
        "delivery",
        "Late or wrong delivery",
        "تأخیر یا خطا در تحویل",
    ),
    leaf("installation", "Installation or setup", "نصب و راه‌اندازی"),
    leaf("billing", "Billing error", "خطای صورت‌حساب"),
    leaf("service", "Service quality", "کیفیت خدمات"),
    leaf("communication", "Miscommunication", "سوءتفاهم در ارتباط"),
    leaf(
        "customer-use",
        "Use outside the instructions",
        "استفادهٔ نادرست مشتری",
    ),
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
        List::RootCause => ROOT_CAUSES,
        List::ComplaintChannel => COMPLAINT_CHANNELS,
    }
}

#[derive(Insertable)]
#[diesel(table_name = lookups)]
struct NewLookup<'a> {
    list: &'a str,
    parent_id: Option<LookupId>,
    code: &'a str,
    name: &'a str,
    position: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Adds the default lists, case statuses and transitions a store is missing, in one transaction.
/// An entry is matched by (list, code) and a status by code, so an entry an admin renamed or
/// deactivated stays as the admin left it. Transitions are added only for statuses this call
/// creates: a default transition an admin removed between existing statuses stays removed.
pub fn ensure_defaults(db: &mut Db) -> Result<()> {
    super::write(db, |db| {
        let now = super::now();
        for list in List::ALL {
            ensure_list(db, list, now)?;
        }
        super::statuses::ensure_defaults(db, now)
    })
}

fn ensure_list(db: &mut Db, list: List, now: NaiveDateTime) -> Result<()> {
    let existing: BTreeMap<String, LookupId> = lookups::table
        .filter(lookups::list.eq(list.as_str()))
        .select((lookups::code, lookups::id))
        .load::<(String, LookupId)>(db)?
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
    parent_id: Option<LookupId>,
    code: &str,
    name: &str,
    position: i32,
    now: NaiveDateTime,
) -> Result<LookupId> {
    let row = NewLookup {
        list: list.as_str(),
        parent_id,
        code,
        name,
        position,
        created_at: now,
        updated_at: now,
    };
    let id: LookupId = super::insert_one!(db, lookups, &row)?;
    Ok(id)
}

/// Every entry of a list, active or not, parents and children alike, in list order.
pub fn items_all(db: &mut Db, list: List) -> Result<Vec<Lookup>> {
    Ok(lookups::table
        .filter(lookups::list.eq(list.as_str()))
        .order((lookups::position.asc(), lookups::id.asc()))
        .select(Lookup::as_select())
        .load(db)?)
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
pub fn ids(db: &mut Db, list: List) -> Result<Vec<LookupId>> {
    Ok(lookups::table
        .filter(lookups::list.eq(list.as_str()))
        .filter(lookups::active.eq(true))
        .order((lookups::position.asc(), lookups::id.asc()))
        .select(lookups::id)
        .load(db)?)
}

/// The id of the entry with `code` in `list`, active or not.
pub fn id_of(db: &mut Db, list: List, code: &str) -> Result<Option<LookupId>> {
    Ok(lookups::table
        .filter(lookups::list.eq(list.as_str()))
        .filter(lookups::code.eq(code))
        .select(lookups::id)
        .first(db)
        .optional()?)
}

/// The entry with `id`, in any list, active or not.
pub fn get(db: &mut Db, id: LookupId) -> Result<Lookup> {
    <Lookup as Stored>::get(db, id)
}

/// The entry of `list` that `code_or_id` names: its code, else its id (a number in any digit
/// script); active or not. An id of another list's entry names nothing here.
pub fn find(db: &mut Db, list: List, code_or_id: &str) -> Result<Option<Lookup>> {
    let typed = text::clean_line(code_or_id);
    if typed.is_empty() {
        return Ok(None);
    }
    let by_code = lookups::table
        .filter(lookups::list.eq(list.as_str()))
        .filter(lookups::code.eq(&typed))
        .select(Lookup::as_select())
        .first(db)
        .optional()?;
    if by_code.is_some() {
        return Ok(by_code);
    }
    let Ok(id) = text::ascii_digits(&typed).parse::<i64>() else {
        return Ok(None);
    };
    Ok(lookups::table
        .filter(lookups::list.eq(list.as_str()))
        .filter(lookups::id.eq(LookupId(id)))
        .select(Lookup::as_select())
        .first(db)
        .optional()?)
}

/// `entries` (of one list) in tree order, each with its depth (0 at the top): every entry
/// followed by those under it, siblings in the order given. An entry whose parent is not among
/// them (not given, or caught in a loop of parents) stands at the top.
pub fn depth_first(entries: Vec<Lookup>) -> Vec<(usize, Lookup)> {
    crate::domain::tree::depth_first(entries, |e| e.id, |e| e.parent_id)
}

/// The field names of an entry's problems.
const FIELD_NAME: &str = "field.lookup-name";
const FIELD_CODE: &str = "field.lookup-code";
const FIELD_PARENT: &str = "field.lookup-parent";

fn invalid(field: &'static str, reason: String) -> Error {
    Error::Invalid(vec![FieldError::new(field, reason)])
}

fn require_admin(actor: &Actor) -> Result<()> {
    actor.require(Role::Admin, &t!("forbidden.edit-lookups"))
}

/// The list an entry read from the store belongs to.
fn list_of(entry: &Lookup) -> Result<List> {
    List::parse(&entry.list).ok_or_else(|| {
        invalid(
            FIELD_PARENT,
            t!("invalid.lookup-unknown-list", list = entry.list),
        )
    })
}

/// The entry `parent` when an entry of `list` may stand under it, or why not: the list is flat,
/// there is no such entry, or it is in another list.
fn checked_parent(
    db: &mut Db,
    list: List,
    parent: LookupId,
) -> Result<std::result::Result<Lookup, FieldError>> {
    if !list.is_tree() {
        return Ok(Err(FieldError::new(
            FIELD_PARENT,
            t!("invalid.lookup-flat", list = list.name()),
        )));
    }
    let found = lookups::table
        .find(parent)
        .select(Lookup::as_select())
        .first(db)
        .optional()?;
    Ok(match found {
        None => Err(FieldError::new(
            FIELD_PARENT,
            t!("invalid.lookup-no-parent", id = parent),
        )),
        Some(entry) if entry.list != list.as_str() => {
            let other = List::parse(&entry.list).map_or_else(|| entry.list.clone(), List::name);
            Err(FieldError::new(
                FIELD_PARENT,
                t!(
                    "invalid.lookup-other-list",
                    name = entry.name,
                    other = other,
                    list = list.name()
                ),
            ))
        }
        Some(entry) => Ok(entry),
    })
}

/// A code made from a name: its ASCII words, lower case, joined by `-` (`Spare parts` →
/// `spare-parts`); `None` when the name has no ASCII letter.
fn slug(name: &str) -> Option<String> {
    if !name.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    Some(words.join("-"))
}

/// The code an entry named `name` gets when none is given: its words (`spare-parts`), under a
/// parent the parent's code in front (`parts.filters`), or, for a name without ASCII letters, the
/// list's name and the first number free in it (`region-17`).
fn derived_code(list: List, parent: Option<&Lookup>, name: &str, taken: &[Lookup]) -> String {
    match slug(name) {
        Some(words) => match parent {
            Some(parent) => format!("{}.{words}", parent.code),
            None => words,
        },
        None => {
            let mut n = taken.len() + 1;
            loop {
                let code = format!("{}-{n}", list.cli_name());
                if !taken.iter().any(|e| e.code == code) {
                    return code;
                }
                n += 1;
            }
        }
    }
}

/// Why a code typed for an entry cannot be one, if it cannot: a code is one word (letters,
/// digits, `-`, `.`, `_`), not a bare number, which would read as an id.
fn code_problem(code: &str) -> Option<String> {
    if code.chars().any(char::is_whitespace) {
        return Some(t!("invalid.lookup-code-spaces"));
    }
    if text::ascii_digits(code).chars().all(|c| c.is_ascii_digit()) {
        return Some(t!("invalid.lookup-code-number"));
    }
    None
}

/// The place after the last of `parent`'s children in `entries`.
fn next_position(entries: &[Lookup], parent: Option<LookupId>, except: Option<LookupId>) -> i32 {
    entries
        .iter()
        .filter(|e| e.parent_id == parent && Some(e.id) != except)
        .map(|e| e.position)
        .max()
        .map_or(1, |p| p.saturating_add(1))
}

/// Adds an entry to `list` (admin work), under `parent` for a tree-shaped list, after its last
/// sibling. Its code is `code` when given, else made from the name ([`derived_code`]); a code is
/// unique within its list. Every problem is named at once.
pub fn add(
    db: &mut Db,
    actor: &Actor,
    list: List,
    parent: Option<LookupId>,
    name: &str,
    code: Option<&str>,
) -> Result<Lookup> {
    require_admin(actor)?;
    let name = text::clean_line(name);
    let given = code.map(text::clean_line).filter(|c| !c.is_empty());
    super::write(db, |db| {
        let entries = items_all(db, list)?;
        let mut errors = Vec::new();
        if name.is_empty() {
            errors.push(FieldError::new(FIELD_NAME, t!("invalid.required")));
        }
        let parent_entry = match parent {
            None => None,
            Some(id) => match checked_parent(db, list, id)? {
                Ok(entry) => Some(entry),
                Err(problem) => {
                    errors.push(problem);
                    None
                }
            },
        };
        let code = match &given {
            Some(code) => {
                if let Some(reason) = code_problem(code) {
                    errors.push(FieldError::new(FIELD_CODE, reason));
                }
                Some(code.clone())
            }
            None if name.is_empty() => None,
            None => Some(derived_code(list, parent_entry.as_ref(), &name, &entries)),
        };
        if let Some(code) = &code
            && let Some(other) = entries.iter().find(|e| e.code == *code)
        {
            errors.push(FieldError::new(
                FIELD_CODE,
                t!("invalid.lookup-code-taken", code = code, name = other.name),
            ));
        }
        let (Some(code), true) = (code, errors.is_empty()) else {
            return Err(Error::Invalid(errors));
        };
        let parent_id = parent_entry.map(|p| p.id);
        let now = super::now();
        let id = insert_lookup(
            db,
            list,
            parent_id,
            &code,
            &name,
            next_position(&entries, parent_id, None),
            now,
        )?;
        versioned::created::<Lookup>(db, actor, id)
    })
}

/// Renames an entry still at `expected_version` (admin work); its code stays, so whatever names
/// it by code still finds it.
pub fn rename(
    db: &mut Db,
    actor: &Actor,
    id: LookupId,
    expected_version: i64,
    name: &str,
) -> Result<Lookup> {
    require_admin(actor)?;
    let name = text::clean_line(name);
    versioned::update(
        db,
        actor,
        id,
        expected_version,
        AuditAction::Update,
        |_: &Lookup| Ok(()),
        |db, old, _| {
            if name.is_empty() {
                return Err(invalid(FIELD_NAME, t!("invalid.required")));
            }
            if name == old.name {
                return Ok(Changed::No);
            }
            diesel::update(lookups::table.find(id))
                .set(lookups::name.eq(&name))
                .execute(db)?;
            Ok(Changed::Yes)
        },
    )
}

/// Moves an entry still at `expected_version` (with everything under it) under `parent`, or to
/// the top of its list when `None`, after its new siblings (admin work). The parent must be in
/// the same tree-shaped list, and neither the entry itself nor anything under it.
pub fn move_to(
    db: &mut Db,
    actor: &Actor,
    id: LookupId,
    expected_version: i64,
    parent: Option<LookupId>,
) -> Result<Lookup> {
    require_admin(actor)?;
    versioned::update(
        db,
        actor,
        id,
        expected_version,
        AuditAction::Update,
        |_: &Lookup| Ok(()),
        |db, old, _| {
            let list = list_of(old)?;
            if let Some(parent) = parent {
                let target = checked_parent(db, list, parent)?
                    .map_err(|problem| Error::Invalid(vec![problem]))?;
                // Up from the new parent: meeting the entry means it would stand under itself.
                let entries = items_all(db, list)?;
                let mut at_entry = Some(&target);
                let mut steps = 0;
                while let Some(entry) = at_entry {
                    if entry.id == id {
                        let reason = if target.id == id {
                            t!("invalid.lookup-under-itself", name = old.name)
                        } else {
                            t!(
                                "invalid.lookup-cycle",
                                name = old.name,
                                target = target.name
                            )
                        };
                        return Err(invalid(FIELD_PARENT, reason));
                    }
                    steps += 1;
                    if steps > entries.len() {
                        break;
                    }
                    at_entry = entry
                        .parent_id
                        .and_then(|p| entries.iter().find(|e| e.id == p));
                }
            }
            if parent == old.parent_id {
                return Ok(Changed::No);
            }
            let entries = items_all(db, list)?;
            diesel::update(lookups::table.find(id))
                .set((
                    lookups::parent_id.eq(parent),
                    lookups::position.eq(next_position(&entries, parent, Some(id))),
                ))
                .execute(db)?;
            Ok(Changed::Yes)
        },
    )
}

/// Makes an entry still at `expected_version` active or inactive (admin work). An inactive entry
/// stays on the records that have it, but is no longer offered for new ones ([`items`] leaves it
/// out, [`items_all`] keeps it); the entries under it are left as they are.
pub fn set_active(
    db: &mut Db,
    actor: &Actor,
    id: LookupId,
    expected_version: i64,
    active: bool,
) -> Result<Lookup> {
    require_admin(actor)?;
    versioned::update(
        db,
        actor,
        id,
        expected_version,
        AuditAction::Update,
        |_: &Lookup| Ok(()),
        |db, old, _| {
            if old.active == active {
                return Ok(Changed::No);
            }
            diesel::update(lookups::table.find(id))
                .set(lookups::active.eq(active))
                .execute(db)?;
            Ok(Changed::Yes)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::StoreUrl;
    use crate::store::statuses;

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
        let funnel = statuses::all(&mut db).expect("statuses");
        assert_eq!(funnel[0].name, "جدید");
        // A script still names them by code, in any language.
        let found = statuses::find(&mut db, "won").expect("find");
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
        let transitions_before = statuses::transitions(&mut db).expect("transitions").len();
        ensure_defaults(&mut db).expect("second");
        assert_eq!(
            crate::db::row_count(&mut db, "lookups").expect("count"),
            lookups_before
        );
        assert_eq!(
            statuses::transitions(&mut db).expect("transitions").len(),
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
        let funnel = statuses::all(&mut db).expect("statuses");
        assert_eq!(funnel.iter().filter(|s| s.is_initial).count(), 1);
        assert_eq!(funnel[0].code, "new");
        let id = |code: &str| {
            funnel
                .iter()
                .find(|s| s.code == code)
                .map(|s| s.id)
                .expect("status")
        };
        let allowed = statuses::transitions(&mut db).expect("transitions");
        assert!(allowed.contains(&(id("new"), id("contacted"))));
        assert!(allowed.contains(&(id("proposal"), id("contacted"))));
        assert!(allowed.contains(&(id("new"), id("lost"))));
        assert!(allowed.contains(&(id("won"), id("negotiation"))));
        assert!(!allowed.contains(&(id("won"), id("new"))));
        assert!(!allowed.contains(&(id("lost"), id("won"))));
    }
}
