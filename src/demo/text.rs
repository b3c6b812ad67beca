//! The words the demo data is made of, in Persian and English.

use super::reference::Unit;
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
    "0912", "0913", "0915", "0917", "0919", "0935", "0936", "0937", "0938", "0939", "0901", "0902",
    "0903", "0905", "0990", "0991", "0921",
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
pub const COMPANY_EN_FORM: &[&str] = &["Co.", "Ltd.", "Group", "Industries", "International", ""];

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
    ("received", 8),
    ("acknowledged", 10),
    ("investigating", 15),
    ("action_taken", 10),
    ("resolution_proposed", 10),
    ("escalated", 4),
    ("closed", 33),
    ("rejected", 10),
];
pub const SEVERITIES: &[(&str, u32)] =
    &[("low", 20), ("medium", 50), ("high", 22), ("critical", 8)];
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
