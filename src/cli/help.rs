//! The command line's help in the user's language. The English help is the doc comments of the
//! argument structs (clap's derive); the Persian one is [`PERSIAN`], keyed by the command's path
//! and the argument's id, laid over the derived command before it parses. A test keeps the table
//! complete: every command and argument has its Persian text, and no entry is left over.

use clap::{Arg, ArgAction, Command};

use crate::config;
use crate::i18n::Lang;

/// The language the help is shown in: `--lang` on the command line (read before clap parses, as
/// the help is made before), else the config file's, else the locale's.
pub fn language(args: &[std::ffi::OsString]) -> Lang {
    let mut given = None;
    for (i, arg) in args.iter().enumerate() {
        let arg = arg.to_string_lossy();
        if let Some(value) = arg.strip_prefix("--lang=") {
            given = value.parse().ok();
        } else if arg == "--lang" {
            given = args
                .get(i + 1)
                .and_then(|v| v.to_string_lossy().parse().ok());
        }
    }
    let (file, _) = config::config_path()
        .map(|p| config::load(&p))
        .unwrap_or_default();
    let chosen = config::Given {
        lang: given,
        ..config::Given::default()
    };
    config::choose_settings(chosen, &file, |name| std::env::var(name).ok())
        .0
        .lang
}

/// `command` with its help in `lang`.
pub fn localized(command: Command, lang: Lang) -> Command {
    match lang {
        Lang::En => command,
        Lang::Fa => in_persian(command, "")
            .disable_help_flag(true)
            .disable_version_flag(true)
            .arg(
                Arg::new("help")
                    .short('h')
                    .long("help")
                    .action(ArgAction::Help)
                    .global(true)
                    .help(persian(":help"))
                    .help_heading(OPTIONS),
            )
            .arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help(persian(":version"))
                    .help_heading(OPTIONS),
            ),
    }
}

const OPTIONS: &str = "گزینه‌ها";
const COMMANDS: &str = "فرمان‌ها";
const TEMPLATE: &str = "{about-with-newline}\nکاربرد: {usage}\n\n{all-args}{after-help}";

/// The Persian text for `key`, or the key itself (which the completeness test forbids).
fn persian(key: &str) -> &'static str {
    PERSIAN
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, text)| text)
}

fn in_persian(mut command: Command, path: &str) -> Command {
    command = command
        .about(persian(path))
        .help_template(TEMPLATE)
        .subcommand_help_heading(COMMANDS)
        .disable_help_flag(true);
    let ids: Vec<String> = command
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let text = persian(&format!("{path}:{id}"));
        command = command.mut_arg(&id, |a| a.help(text).help_heading(OPTIONS));
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        let sub = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        command = command.mut_subcommand(&name, |c| in_persian(c, &sub));
    }
    command
}

/// The Persian help: `path` is a command's (`""` for `peygir`, `case add`), `path:id` an
/// argument's.
const PERSIAN: &[(&str, &str)] = &[
    (
        "",
        "سامانهٔ مدیریت ارتباط با مشتری برای ترمینال، با صفحه‌کلید",
    ),
    (
        ":db",
        "پایگاه داده: postgres://USER@HOST/DB، sqlite://PATH یا یک مسیر [پیش‌فرض: peygir.db در پوشهٔ داده‌ها]",
    ),
    (
        ":keymap",
        "پروندهٔ کلیدها به‌جای $XDG_CONFIG_HOME/peygir/keymap.toml",
    ),
    (
        ":lang",
        "زبان [پیش‌فرض: lang در پروندهٔ تنظیمات، وگرنه زبان محیط (LC_ALL، LC_MESSAGES، LANG)، وگرنه en]",
    ),
    (
        ":calendar",
        "تقویمی که تاریخ‌ها با آن نمایش داده و نوشته می‌شوند [پیش‌فرض: پروندهٔ تنظیمات، وگرنه jalali برای fa و gregorian برای en]",
    ),
    (
        ":digits",
        "رقم‌هایی که عددها با آن نمایش داده می‌شوند [پیش‌فرض: پروندهٔ تنظیمات، وگرنه persian برای fa و latin برای en]",
    ),
    (
        ":bidi",
        "چه کسی متن راست‌به‌چپ را مرتب می‌کند: ترمینال (ترمینالی بر پایهٔ VTE مانند GNOME Terminal) یا خود پیگیر (برای ترمینال‌های بی‌پشتیبانی) [پیش‌فرض: پروندهٔ تنظیمات، وگرنه terminal در ترمینالی بر پایهٔ VTE (با VTE_VERSION، بیرون از tmux و screen)، وگرنه app]",
    ),
    (":help", "نمایش راهنما"),
    (":version", "نمایش نسخه"),
    (
        "db",
        "پایگاه داده: به‌روزرسانی ساختار، نمایش وضعیت یا گرفتن پشتیبان",
    ),
    (
        "db migrate",
        "اعمال به‌روزرسانی‌هایی که پایگاه داده هنوز ندارد",
    ),
    (
        "db status",
        "نوع پایگاه، محل، به‌روزرسانی‌های اعمال‌شده و مانده، و شمار سطرها",
    ),
    (
        "db backup",
        "کپی یکدست پایگاه SQLite در FILE در حین کار دیگران (برای PostgreSQL از pg_dump استفاده کنید)",
    ),
    (
        "db backup:file",
        "پرونده‌ای که کپی در آن نوشته می‌شود و تنها مالک و گروهش آن را می‌خوانند؛ پوشه‌اش باید وجود داشته باشد",
    ),
    ("db backup:force", "جایگزینی پرونده اگر از پیش وجود دارد"),
    ("demo", "پر کردن یک پایگاه خالی با داده‌های نمونهٔ واقع‌نما"),
    ("demo:contacts", "شمار مخاطبان (اشخاص و شرکت‌ها)"),
    ("demo:cases", "شمار پرونده‌های فروش"),
    ("demo:followups", "شمار پیگیری‌ها"),
    ("demo:seed", "بذر تصادفی: بذر یکسان داده‌های یکسان می‌دهد"),
    ("export", "نوشتن یک فهرست در پروندهٔ xlsx یا CSV"),
    (
        "audit",
        "گزارش تغییرات، تازه‌ترین نخست: چه کسی چه چیزی را کی تغییر داد (مدیران و مدیران سیستم)",
    ),
    (
        "audit:entity",
        "فقط تغییرات این موجودیت (case، contact، complaint، …)",
    ),
    (
        "audit:id",
        "فقط تغییرات سطری با این شناسه (همراه با ‎--entity)",
    ),
    (
        "audit:by",
        "فقط تغییراتی که این کاربر داده است (‎--user کاربری است که پیگیر به جای او کار می‌کند)",
    ),
    (
        "audit:since",
        "فقط تغییرات این روز و پس از آن (یک تاریخ، یا تاریخ و ساعت، در تقویم شما)",
    ),
    ("audit:limit", "حداکثر این تعداد تغییر، تازه‌ترین‌ها"),
    ("audit:format", "table یا json"),
    (
        "unit",
        "واحدهای سازمانی: فهرستشان؛ مدیر سامانه می‌افزاید، نام دیگری می‌دهد و جابه‌جا می‌کند",
    ),
    ("unit list", "واحدها، هر یک با واحدهای بالای آن"),
    ("unit list:format", "table یا json"),
    (
        "unit add",
        "افزودن یک واحد، در بالاترین سطح یا زیر واحدی دیگر (مدیر سامانه)",
    ),
    ("unit add:name", "نام واحد"),
    (
        "unit add:parent",
        "واحدی که این واحد از آن است، با نام یا مسیر [پیش‌فرض: هیچ، واحدی در بالاترین سطح]",
    ),
    ("unit rename", "نام دیگری برای یک واحد (مدیر سامانه)"),
    ("unit rename:unit", "واحد، با نام یا مسیر"),
    ("unit rename:name", "نام تازه‌اش"),
    (
        "unit move",
        "گذاشتن یک واحد زیر واحدی دیگر یا در بالاترین سطح (مدیر سامانه)",
    ),
    ("unit move:unit", "واحد، با نام یا مسیر"),
    (
        "unit move:parent",
        "واحدی که این واحد باید از آن باشد، با نام یا مسیر",
    ),
    ("unit move:top", "در بالاترین سطح"),
    (
        "report",
        "گزارش‌ها: report list نام آن‌ها را می‌آورد و report NAME یکی را چاپ می‌کند یا در CSV یا xlsx می‌نویسد",
    ),
    (
        "report:name",
        "نام گزارش (peygir report list آن‌ها را نشان می‌دهد)",
    ),
    (
        "report:from",
        "نخستین روز بازه، در هر دو تقویم (2026-03-21، 1405/01/01، ‎-30d)",
    ),
    ("report:to", "واپسین روز بازه، در هر دو تقویم"),
    ("report:expert", "فقط سوابق این کارشناس"),
    (
        "report:unit",
        "فقط سوابق کارشناسان این واحد سازمانی و واحدهای زیر آن",
    ),
    (
        "report:days",
        "شمار روزهای بی‌پیگیری که پروندهٔ باز را راکد می‌کند [پیش‌فرض: ۱۴]",
    ),
    ("report:plan", "برنامهٔ فروش، با نامش [پیش‌فرض: تازه‌ترین]"),
    (
        "report:today",
        "روزی که سررسید امروز و گذشته از آن سنجیده می‌شود [پیش‌فرض: امروز]",
    ),
    (
        "report:format",
        "table، csv، xlsx یا json [پیش‌فرض: از نام پروندهٔ خروجی، وگرنه table]",
    ),
    (
        "report:output",
        "پرونده‌ای که نوشته می‌شود (اگر باشد جایگزین می‌شود) [پیش‌فرض: خروجی استاندارد؛ برای xlsx لازم است]",
    ),
    (
        "report list",
        "گزارش‌های موجود، با پالایه‌هایی که هر یک می‌پذیرد",
    ),
    ("report list:format", "table یا json"),
    (
        "report plan-vs-actual",
        "هدف‌های یک برنامهٔ فروش در برابر فروش انجام‌شده: هدف، فروش، تحقق، فاصله و آهنگ هر گروه",
    ),
    (
        "report plan-vs-actual:plan",
        "نام برنامه [پیش‌فرض: تازه‌ترین]",
    ),
    ("report plan-vs-actual:by", "سطرها به تفکیک چه باشند"),
    (
        "report plan-vs-actual:within",
        "فقط بخشی از برنامه درون یک گروه، به شکل بُعد=مقدار (product=کد، region=کد، expert=نام کاربری، period=تاریخ؛ مقدار all برای «همه»)؛ تکرارپذیر",
    ),
    (
        "report plan-vs-actual:beside",
        "برنامهٔ بازار دیگر (B2B یا B2C) در همان دوره را کنارش نشان بده",
    ),
    (
        "report plan-vs-actual:today",
        "روزی که آهنگ فروش در آن سنجیده می‌شود [پیش‌فرض: امروز]",
    ),
    (
        "report plan-vs-actual:format",
        "table، csv، xlsx یا json [پیش‌فرض: از نام پروندهٔ خروجی، وگرنه table]",
    ),
    (
        "report plan-vs-actual:output",
        "پرونده‌ای که نوشته می‌شود (اگر باشد جایگزین می‌شود) [پیش‌فرض: خروجی استاندارد؛ برای xlsx لازم است]",
    ),
    ("export contacts", "مخاطبان، با همهٔ فیلدها و دسته‌هایشان"),
    (
        "export contacts:format",
        "قالب پرونده [پیش‌فرض: از نام پرونده، ‎.xlsx یا ‎.csv]",
    ),
    (
        "export contacts:output",
        "پرونده‌ای که نوشته می‌شود (اگر باشد جایگزین می‌شود)",
    ),
    (
        "export contacts:category",
        "فقط مخاطبانی که در این دسته یا زیر آن‌اند، به‌صورت Parent/Child",
    ),
    (
        "export contacts:search",
        "فقط مخاطبانی که نام، تلفن همراه، تلفن، کد ملی، شناسهٔ ملی شرکت یا ایمیلشان همهٔ واژه‌ها را دارد",
    ),
    (
        "export contacts:bom",
        "آغاز پروندهٔ CSV با نشانهٔ ترتیب بایت تا Excel آن را UTF-8 بخواند",
    ),
    ("import", "خواندن یک فهرست از پروندهٔ CSV"),
    (
        "import contacts",
        "مخاطبان از یک CSV با ستون‌های خروجی؛ اگر سطری ایراد داشته باشد هیچ چیز وارد نمی‌شود",
    ),
    (
        "import contacts:file",
        "پروندهٔ CSV با کدگذاری UTF-8 و سطر سرستون‌های خروجی (ستون‌ها به هر ترتیبی)",
    ),
    (
        "import contacts:dry_run",
        "بررسی همهٔ سطرها و گزارش، بی‌آنکه چیزی نوشته شود",
    ),
    (
        "import contacts:skip_invalid",
        "وارد کردن سطرهای درست و گزارش سطرهای نادرست، به‌جای وارد نکردن هیچ چیز",
    ),
    (
        "import sales",
        "فروش‌ها از CSV سامانهٔ حسابداری یا ERP، هر سطر یک فروش؛ اگر سطری ایراد داشته باشد هیچ چیز وارد نمی‌شود",
    ),
    (
        "import sales:file",
        "پروندهٔ CSV با کدگذاری UTF-8، هر سطر یک فروش، با ستون‌های sold_on، amount، customer و expert و در صورت نیاز quantity، product_group، region، market، case و note (به هر ترتیبی، با نام انگلیسی یا فارسی)",
    ),
    (
        "import sales:dry_run",
        "بررسی همهٔ سطرها و گزارش، بی‌آنکه چیزی نوشته شود",
    ),
    (
        "import sales:skip_invalid",
        "وارد کردن سطرهای درست و گزارش سطرهای نادرست، به‌جای وارد نکردن هیچ چیز",
    ),
    (
        "keymap",
        "کلیدها: بررسی پروندهٔ کلیدها یا چاپ کلیدهای در کار",
    ),
    (
        "keymap check",
        "فهرست همهٔ ایرادهای یک پروندهٔ کلیدها (پیش‌فرض: پروندهٔ شما)؛ اگر ایرادی باشد با کد ۱ پایان می‌یابد",
    ),
    ("keymap check:file", "پروندهٔ کلیدها [پیش‌فرض: پروندهٔ شما]"),
    (
        "keymap print",
        "چاپ کلیدهای در کار: پیش‌فرض‌ها با پروندهٔ شما روی آن‌ها",
    ),
    (
        "case",
        "پرونده‌های فروش: گشودن یکی، یا فهرست آن‌ها برای اسکریپت",
    ),
    ("case add", "گشودن یک پروندهٔ فروش؛ شماره‌اش را چاپ می‌کند"),
    ("case add:title", "موضوع مذاکره"),
    ("case add:company", "شرکت مشتری، با شناسهٔ مخاطب"),
    ("case add:contact", "شخص اصلی در طرف مشتری، با شناسهٔ مخاطب"),
    ("case add:expert", "کارشناس فروش [پیش‌فرض: شما]"),
    ("case add:representative", "نمایندهٔ فروش"),
    ("case add:referrer", "معرف مشتری، با شناسهٔ مخاطب"),
    ("case add:need", "نیاز مشتری"),
    (
        "case add:channel",
        "کانال بازاریابی: کد یا نامی از فهرست آن",
    ),
    (
        "case add:importance",
        "low، normal، high یا critical (کم، عادی، زیاد یا بحرانی)",
    ),
    ("case add:priority", "از ۱ (فوری‌ترین) تا ۵"),
    ("case add:product_group", "گروه کالا: کد یا نامی از فهرست آن"),
    ("case add:region", "منطقه: کد یا نامی از فهرست آن"),
    ("case add:expected", "مبلغ پیش‌بینی، به کوچک‌ترین واحد پول"),
    (
        "case list",
        "فهرست پرونده‌ها، فوری‌ترین نخست (اولویت، سپس نزدیک‌ترین اقدام برنامه‌ریزی‌شده)",
    ),
    ("case list:status", "فقط پرونده‌های این وضعیت (کد یا نام)"),
    ("case list:expert", "فقط پرونده‌های این کارشناس"),
    (
        "case list:importance",
        "فقط پرونده‌های این اهمیت (low، normal، high، critical)",
    ),
    ("case list:priority", "فقط پرونده‌های این اولویت (۱ تا ۵)"),
    (
        "case list:channel",
        "فقط پرونده‌های این کانال بازاریابی (کد یا نام)",
    ),
    ("case list:open", "فقط پرونده‌های باز"),
    (
        "case list:search",
        "فقط پرونده‌هایی که شماره، عنوان یا مشتری‌شان همهٔ واژه‌های این را دارد",
    ),
    ("case list:limit", "حداکثر این تعداد پرونده"),
    ("case list:format", "table، csv یا json"),
    (
        "followup",
        "دفتر پیگیری‌ها: ثبت یک پیگیری (برای سامانه‌های تلفن و اسکریپت‌ها)",
    ),
    (
        "followup add",
        "ثبت پیگیری روی یک پرونده، با وضعیت تازهٔ پرونده و اقدام بعدی؛ شناسهٔ پیگیری و موعد اقدام بعدی را چاپ می‌کند",
    ),
    ("followup add:case", "پرونده، با شماره (1405-00042)"),
    (
        "followup add:kind",
        "نوع: کد یا نامی از فهرست انواع پیگیری (phone، email، fax، social، …)",
    ),
    ("followup add:minutes", "زمانی که گرفت، به دقیقه"),
    ("followup add:text", "آنچه گفته یا انجام شد"),
    (
        "followup add:at",
        "زمان آن (now، 10:30، yesterday 16:00، ‎-2h، 1405/09/08 11:00) [پیش‌فرض: اکنون]",
    ),
    ("followup add:expert", "چه کسی پیگیری کرد [پیش‌فرض: شما]"),
    (
        "followup add:status",
        "وضعیت پرونده پس از آن (کد یا نام)، طبق انتقال‌های مجاز",
    ),
    (
        "followup add:won_amount",
        "برای وضعیت موفق: مبلغ فروش، به کوچک‌ترین واحد پول",
    ),
    (
        "followup add:won_on",
        "برای وضعیت موفق: روز فروش [پیش‌فرض: امروز]",
    ),
    (
        "followup add:close_reason",
        "برای وضعیت ناموفق یا لغوشده: دلیل (کد یا نامی از فهرست آن)",
    ),
    ("followup add:close_note", "برای وضعیت بستن: یادداشت"),
    (
        "followup add:next_kind",
        "نوع اقدام بعدی (کد یا نامی از فهرست انواع اقدام)",
    ),
    ("followup add:next_text", "آنچه اقدام بعدی باید انجام دهد"),
    (
        "followup add:next_due",
        "موعد اقدام بعدی (tomorrow 10:30، ‎+2d، 1405/09/10 14:00، 2026-12-01)؛ روزِ تنها ساعت ۰۹:۰۰ است",
    ),
    (
        "followup add:next_to",
        "چه کسی اقدام بعدی را انجام می‌دهد [پیش‌فرض: شما]",
    ),
    (
        "followup add:next_minutes",
        "زمانی که اقدام بعدی می‌گیرد، به دقیقه",
    ),
    (
        "followup add:completes",
        "اقدام برنامه‌ریزی‌شدهٔ باز پرونده که این پیگیری انجامش داد: به‌عنوان انجام‌شده بسته می‌شود",
    ),
    ("followup add:format", "text یا json"),
    ("status", "وضعیت‌های پرونده و انتقال‌های مجاز میان آن‌ها"),
    (
        "status list",
        "وضعیت‌های پرونده به ترتیب قیف فروش، با اینکه هر یک به کجا می‌تواند برود",
    ),
    ("status add", "افزودن وضعیت پرونده (مدیر)"),
    ("status add:name", "نامش، چنان‌که مردم می‌خوانند"),
    (
        "status add:outcome",
        "معنایش برای پرونده: open (باز)، یا بسته با won، lost یا cancelled",
    ),
    (
        "status add:initial",
        "پرونده‌های تازه در آن آغاز می‌شوند (به‌جای وضعیت آغازین کنونی)",
    ),
    (
        "status add:code",
        "کد پایداری که اسکریپت‌ها با آن نامش می‌برند [پیش‌فرض: ساخته از نام]",
    ),
    ("status rename", "تغییر نام وضعیت پرونده (مدیر)؛ کدش می‌ماند"),
    ("status rename:status", "وضعیت: کد یا نامش"),
    ("status rename:name", "نام تازه"),
    (
        "status allow",
        "اجازهٔ رفتن پرونده‌ها از یک وضعیت به وضعیتی دیگر (مدیر)",
    ),
    (
        "status allow:from",
        "وضعیتی که پرونده از آن می‌رود: کد یا نام",
    ),
    ("status allow:to", "وضعیتی که پرونده به آن می‌رود: کد یا نام"),
    (
        "status forbid",
        "بستن راه رفتن پرونده‌ها از یک وضعیت به وضعیتی دیگر (مدیر)",
    ),
    (
        "status forbid:from",
        "وضعیتی که پرونده از آن می‌رود: کد یا نام",
    ),
    (
        "status forbid:to",
        "وضعیتی که پرونده به آن می‌رفت: کد یا نام",
    ),
    ("status transitions", "انتقال‌های مجاز، هر وضعیت در یک سطر"),
    (
        "sla",
        "سطح خدمت شکایت‌ها: ساعت‌های کاری تا نخستین پاسخ و تا رفع شکایت، و هفتهٔ کاری",
    ),
    (
        "sla list",
        "ساعت‌های کاری هر شدت تا نخستین پاسخ و تا رفع شکایت، و هفتهٔ کاری",
    ),
    ("sla list:format", "table یا json"),
    (
        "sla set",
        "تعیین ساعت‌های کاری یک شدت تا نخستین پاسخ و تا رفع شکایت (مدیر)",
    ),
    (
        "sla set:severity",
        "low، medium، high یا critical (یا نامش به هر یک از دو زبان: کم، متوسط، زیاد، بحرانی)",
    ),
    ("sla set:response", "ساعت‌های کاری تا موعد نخستین پاسخ"),
    (
        "sla set:resolution",
        "ساعت‌های کاری تا موعد رفع شکایت (نه کمتر از ساعت‌های تا نخستین پاسخ)",
    ),
    (
        "sla week",
        "هفتهٔ کاری‌ای که ساعت‌ها در آن شمرده می‌شوند؛ set یک روز را تغییر می‌دهد",
    ),
    ("sla week:format", "table یا json"),
    (
        "sla week set",
        "تعیین ساعت کاری یک روز، یا تعطیل کردن آن (مدیر)؛ هفته را پس از تغییر نشان می‌دهد",
    ),
    (
        "sla week set:day",
        "sat، sun، mon، tue، wed، thu یا fri، یا نام روز (شنبه، یکشنبه، …)",
    ),
    (
        "sla week set:hours",
        "HH:MM-HH:MM (۲۴:۰۰ برای نیمه‌شب)، یا off برای تعطیل",
    ),
    ("holiday", "تعطیلی‌هایی که ساعت‌های سطح خدمت از آن‌ها می‌گذرند"),
    ("holiday list", "تعطیلی‌ها به ترتیب تاریخ"),
    (
        "holiday list:year",
        "فقط تعطیلی‌های این سال (سال خورشیدی وقتی تقویم خورشیدی است)",
    ),
    ("holiday list:format", "table یا json"),
    ("holiday add", "تعطیل کردن یک روز (مدیر)"),
    (
        "holiday add:date",
        "روز: ۱۴۰۵/۰۱/۰۱ (خورشیدی، سال پیش از ۱۷۰۰) یا 2026-03-21 (میلادی)",
    ),
    ("holiday add:name", "نام تعطیلی"),
    ("holiday remove", "کاری کردن دوبارهٔ یک روز تعطیل (مدیر)"),
    (
        "holiday remove:date",
        "روز: ۱۴۰۵/۰۱/۰۱ (خورشیدی، سال پیش از ۱۷۰۰) یا 2026-03-21 (میلادی)",
    ),
    (
        "holiday import",
        "افزودن تعطیلی‌های یک پروندهٔ CSV با سرستون‌های date,name (مدیر)؛ اگر سطری ایراد داشته باشد هیچ چیز افزوده نمی‌شود",
    ),
    (
        "holiday import:file",
        "پروندهٔ CSV با کدگذاری UTF-8: سطر سرستون date,name، سپس هر تعطیلی در یک سطر، تاریخ‌ها به هر یک از دو تقویم",
    ),
    (
        "holiday import:dry_run",
        "بررسی همهٔ سطرها و گزارش، بی‌آنکه چیزی نوشته شود",
    ),
    (
        "complaint",
        "شکایت‌های مشتریان: ثبت، فهرست، گذر از مراحل رسیدگی، نمایش، و اقدام‌هایشان",
    ),
    (
        "complaint list",
        "فهرست شکایت‌ها، نزدیک‌ترین موعد نخست (دیرکردها پیش از همه)، با جایگاه رفع هر یک نسبت به سطح خدمتش",
    ),
    (
        "complaint list:status",
        "فقط شکایت‌های این وضعیت (received، acknowledged، investigating، action_taken، resolution_proposed، escalated، closed، rejected، یا نامش)",
    ),
    (
        "complaint list:open",
        "فقط شکایت‌هایی که هنوز در دست رسیدگی‌اند (نه بسته یا ردشده)",
    ),
    (
        "complaint list:late",
        "فقط شکایت‌های بازی که موعد رفعشان گذشته است",
    ),
    (
        "complaint list:severity",
        "فقط شکایت‌های این شدت (low، medium، high، critical، یا نامش)",
    ),
    ("complaint list:expert", "فقط شکایت‌های این کارشناس"),
    (
        "complaint list:search",
        "فقط شکایت‌هایی که شماره، عنوان یا مشتری‌شان همهٔ واژه‌های این را دارد",
    ),
    ("complaint list:format", "table، csv یا json"),
    ("complaint add", "ثبت یک شکایت؛ شماره‌اش را چاپ می‌کند"),
    ("complaint add:customer", "مشتری: شناسهٔ مخاطب، یا نامش"),
    ("complaint add:title", "موضوع شکایت، در یک سطر"),
    ("complaint add:description", "آنچه مشتری می‌گوید رخ داده است"),
    (
        "complaint add:severity",
        "low، medium، high یا critical (یا نامش به هر یک از دو زبان: کم، متوسط، زیاد، بحرانی) [پیش‌فرض: medium]",
    ),
    (
        "complaint add:category",
        "دستهٔ شکایت: کد یا نامی از فهرست آن",
    ),
    (
        "complaint add:channel",
        "راه رسیدن شکایت: کد یا نامی از فهرست کانال‌های بازاریابی",
    ),
    (
        "complaint add:case",
        "پروندهٔ فروشی که شکایت دربارهٔ آن است، با شماره (1405-00042)",
    ),
    (
        "complaint add:expert",
        "چه کسی به آن رسیدگی می‌کند [پیش‌فرض: شما]",
    ),
    (
        "complaint add:received",
        "زمان دریافت (10:30، yesterday 16:00، ‎-3d، 1405/09/08 11:00) [پیش‌فرض: اکنون]",
    ),
    ("complaint add:remedy", "آنچه مشتری می‌خواهد انجام شود"),
    (
        "complaint move",
        "بردن شکایت به وضعیتی دیگر، چنان‌که مراحل رسیدگی اجازه می‌دهد",
    ),
    ("complaint move:number", "شکایت، با شماره (C-1405-00042)"),
    (
        "complaint move:status",
        "وضعیت مقصد: received، acknowledged، investigating، action_taken، resolution_proposed، escalated، closed، rejected، یا نامش",
    ),
    (
        "complaint move:note",
        "چرا: در گردش کار می‌ماند (برای رد کردن لازم است)",
    ),
    (
        "complaint move:root_cause",
        "آنچه بررسی یافت: کد یا نامی از فهرست علت‌های ریشه‌ای (برای action_taken لازم است)",
    ),
    (
        "complaint move:resolution",
        "راه‌حلی که به مشتری پیشنهاد می‌شود (برای resolution_proposed لازم است)",
    ),
    (
        "complaint move:satisfaction",
        "رضایت مشتری هنگام بستن، از ۱ تا ۵",
    ),
    (
        "complaint show",
        "یک شکایت با ساعت‌های سطح خدمتش و گردش کارش: مراحلش، سپس اقدام‌هایش",
    ),
    ("complaint show:number", "شکایت، با شماره (C-1405-00042)"),
    ("complaint show:format", "table یا json"),
    ("complaint action", "اقدام‌های اصلاحی و پیشگیرانهٔ یک شکایت"),
    (
        "complaint action add",
        "افزودن اقدام اصلاحی یا پیشگیرانه به یک شکایت باز؛ شناسه‌اش را چاپ می‌کند",
    ),
    (
        "complaint action add:number",
        "شکایت، با شماره (C-1405-00042)",
    ),
    (
        "complaint action add:kind",
        "corrective (اصلاحی، برای همین مشتری) یا preventive (پیشگیرانه، برای کالا یا فرایند)",
    ),
    ("complaint action add:owner", "چه کسی انجامش می‌دهد"),
    (
        "complaint action add:due",
        "روز موعد (tomorrow، ‎+7d، 1405/09/10، 2026-12-01)",
    ),
    ("complaint action add:description", "آنچه باید انجام شود"),
    ("complaint action done", "انجام‌شده کردن اقدامی از یک شکایت"),
    (
        "complaint action done:number",
        "شکایت، با شماره (C-1405-00042)",
    ),
    (
        "complaint action done:action",
        "شناسهٔ اقدام، چنان‌که action add و show نشانش می‌دهند",
    ),
    (
        "plan",
        "برنامه‌های فروش: فهرست، نمایش، ساختن، ویرایش (با تقسیم به ماه یا فصل)، حذف، وارد کردن از CSV",
    ),
    (
        "plan list",
        "برنامه‌های فروش، تازه‌ترین آغاز نخست، با شمار سطرها و هدف هر یک",
    ),
    ("plan list:format", "table یا json"),
    (
        "plan show",
        "یک برنامه با سطرهایش: گروه کالا، منطقه، کارشناس، دوره و هدف هر یک",
    ),
    ("plan show:name", "نام برنامه"),
    ("plan show:format", "table یا json"),
    ("plan create", "ثبت یک برنامهٔ فروش با سطرهایش (مدیر)"),
    ("plan create:name", "نام برنامه، که برنامهٔ دیگری ندارد"),
    (
        "plan create:market",
        "خرید چه کسانی را می‌شمارد: b2b (شرکت‌ها) یا b2c (اشخاص)",
    ),
    (
        "plan create:term",
        "short (یک ماه، یک فصل) یا long (یک سال)",
    ),
    ("plan create:from", "نخستین روزش (۱۴۰۵/۰۱/۰۱ یا 2026-03-21)"),
    ("plan create:to", "واپسین روزش (۱۴۰۵/۱۲/۲۹ یا 2027-03-20)"),
    ("plan create:notes", "یادداشت‌های برنامه"),
    (
        "plan create:lines",
        "یک سطر هدف: group=CODE,region=CODE,expert=LOGIN,amount=N[,quantity=N][,from=DATE,to=DATE]؛ گروه، منطقه یا کارشناسِ ناگفته یعنی «همه»؛ برای هر سطر یک بار",
    ),
    (
        "plan create:split",
        "تقسیم هر سطرِ همهٔ دوره به یک سطر برای هر ماه یا فصل",
    ),
    (
        "plan edit",
        "تغییر یک برنامه: نام تازه، دوره یا یادداشت تازه، جایگزینی یا تقسیم سطرها (مدیر)",
    ),
    ("plan edit:name", "نام برنامه"),
    ("plan edit:rename", "نام تازه‌اش"),
    ("plan edit:market", "b2b یا b2c"),
    ("plan edit:term", "short یا long"),
    ("plan edit:from", "نخستین روز تازه‌اش"),
    ("plan edit:to", "واپسین روز تازه‌اش"),
    ("plan edit:notes", "یادداشت‌های تازه (خالی برای پاک کردنشان)"),
    (
        "plan edit:lines",
        "یک سطر هدف، چنان‌که در create؛ اگر یک بار یا بیشتر بیاید، همهٔ سطرهای برنامه را جایگزین می‌کند",
    ),
    (
        "plan edit:split",
        "تقسیم هر سطرِ همهٔ دوره به یک سطر برای هر ماه یا فصل",
    ),
    ("plan delete", "حذف یک برنامه با سطرهایش (مدیر)"),
    ("plan delete:name", "نام برنامه"),
    (
        "plan import",
        "ثبت برنامه‌های یک پروندهٔ CSV، هر سطر یک سطر هدف (مدیر)؛ اگر سطری ایراد داشته باشد هیچ چیز ثبت نمی‌شود",
    ),
    (
        "plan import:file",
        "پروندهٔ CSV با کدگذاری UTF-8 با سرستون‌های plan,market,term,plan_from,plan_to,product_group,region,expert,amount,quantity,from,to و یک سطر برای هر سطر هدف",
    ),
    (
        "plan import:dry_run",
        "بررسی همهٔ سطرها و گزارش، بی‌آنکه چیزی نوشته شود",
    ),
    (
        "plan import:replace",
        "جایگزینی فیلدها و سطرهای برنامه‌ای که با همین نام هست، به‌جای رد کردنش",
    ),
    (
        "lookup",
        "فهرست‌های پایه (گروه‌های کالا، مناطق، کانال‌ها، انواع، …): نمایش؛ افزودن، تغییر نام، جابه‌جایی، غیرفعال و فعال کردن اقلام کار مدیر است",
    ),
    (
        "lookup lists",
        "فهرست‌های پایه: نامشان در خط فرمان و این‌که درختی‌اند یا نه",
    ),
    ("lookup lists:format", "table یا json"),
    (
        "lookup list",
        "اقلام یک فهرست به ترتیب، هر قلم زیرِ قلم بالادستش با تورفتگی",
    ),
    (
        "lookup list:list",
        "فهرست: marketing-channel، followup-kind، action-kind، company-type، activity-field، product-group، region، complaint-category، close-reason، root-cause یا complaint-channel",
    ),
    ("lookup list:all", "اقلام غیرفعال هم"),
    ("lookup list:format", "table یا json"),
    (
        "lookup add",
        "افزودن قلمی به فهرست، پس از آخرین هم‌سطحش (مدیر)",
    ),
    ("lookup add:list", "فهرست (product-group، region، …)"),
    ("lookup add:name", "نامش، چنان‌که مردم می‌خوانند"),
    (
        "lookup add:parent",
        "قلمی که زیرش می‌رود (فقط product-group، region و complaint-category): کد یا شناسه",
    ),
    (
        "lookup add:code",
        "کد پایداری که اسکریپت‌ها با آن نامش می‌برند [پیش‌فرض: ساخته از نام]",
    ),
    ("lookup rename", "تغییر نام یک قلم (مدیر)؛ کدش می‌ماند"),
    ("lookup rename:list", "فهرست (product-group، region، …)"),
    ("lookup rename:code", "قلم: کد یا شناسه"),
    ("lookup rename:name", "نام تازه"),
    (
        "lookup move",
        "بردن یک قلم، با هرچه زیرش است، به زیر قلمی دیگر یا به بالای فهرست (مدیر)",
    ),
    (
        "lookup move:list",
        "فهرست (product-group، region یا complaint-category)",
    ),
    ("lookup move:code", "قلم: کد یا شناسه"),
    ("lookup move:parent", "قلمی که به زیرش می‌رود: کد یا شناسه"),
    ("lookup move:top", "بردن به بالای فهرست"),
    (
        "lookup disable",
        "دیگر پیشنهاد نکردن قلمی برای سوابق تازه؛ سوابقی که دارندش نگهش می‌دارند (مدیر)",
    ),
    ("lookup disable:list", "فهرست (product-group، region، …)"),
    ("lookup disable:code", "قلم: کد یا شناسه"),
    ("lookup enable", "دوباره پیشنهاد کردن قلمی غیرفعال (مدیر)"),
    ("lookup enable:list", "فهرست (product-group، region، …)"),
    ("lookup enable:code", "قلم: کد یا شناسه"),
    (
        ":user",
        "کار به نام این کاربر (فقط مدیر سیستم؛ دیگران فقط نام خودشان را می‌توانند بدهند) [پیش‌فرض: کاربری که پیگیر را اجرا می‌کند]",
    ),
    (
        "user",
        "کاربران (کارشناسان): فهرستشان؛ مدیران سیستم کاربر می‌افزایند، نقش یا واحدش را تغییر می‌دهند، غیرفعال و دوباره فعالش می‌کنند",
    ),
    (
        "user list",
        "کاربران: نام کاربری، نام، نقش، واحد سازمانی و فعال بودن هر یک",
    ),
    ("user list:format", "table یا json"),
    (
        "user add",
        "افزودن کاربری که پیگیر را با نام کاربری LOGIN اجرا می‌کند (مدیر سیستم)",
    ),
    (
        "user add:login",
        "نام کاربری او در رایانه‌ای که پیگیر روی آن اجرا می‌شود: حروف کوچک لاتین، رقم، '.'، '_' و '-'، با یک حرف در آغاز",
    ),
    ("user add:name", "نام کاربر، چنان‌که مردم می‌خوانند"),
    (
        "user add:role",
        "آنچه کاربر می‌تواند بکند: agent (کارمند)، manager (مدیر سیستم) یا admin (مدیر سیستم)",
    ),
    (
        "user add:unit",
        "واحد سازمانی کاربر، با نام یا مسیرش [پیش‌فرض: هیچ]",
    ),
    (
        "user disable",
        "بازداشتن کاربر از کار با پیگیر؛ کارهایی که کرده به نام او می‌ماند (مدیر سیستم)",
    ),
    ("user disable:login", "نام کاربری"),
    (
        "user enable",
        "دادن اجازهٔ کار با پیگیر دوباره به کاربری غیرفعال (مدیر سیستم)",
    ),
    ("user enable:login", "نام کاربری"),
    ("user set-role", "دادن نقشی دیگر به کاربر (مدیر سیستم)"),
    ("user set-role:login", "نام کاربری"),
    ("user set-role:role", "نقش تازه"),
    (
        "user set-unit",
        "گذاشتن کاربر در یک واحد سازمانی، یا در هیچ واحدی (مدیر سیستم)",
    ),
    ("user set-unit:login", "نام کاربری"),
    ("user set-unit:unit", "واحد سازمانی، با نام یا مسیرش"),
    ("user set-unit:none", "در هیچ واحد سازمانی"),
];

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Every (key, English text) the command tree has.
    fn keys(command: &Command, path: &str, out: &mut Vec<(String, String)>) {
        out.push((
            path.to_string(),
            command
                .get_about()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ));
        for arg in command.get_arguments() {
            out.push((
                format!("{path}:{}", arg.get_id()),
                arg.get_help().map(ToString::to_string).unwrap_or_default(),
            ));
        }
        for sub in command.get_subcommands() {
            let name = sub.get_name();
            let sub_path = if path.is_empty() {
                name.to_string()
            } else {
                format!("{path} {name}")
            };
            keys(sub, &sub_path, out);
        }
    }

    #[test]
    fn every_command_and_argument_has_its_persian_help_and_no_entry_is_left_over() {
        let mut all = Vec::new();
        keys(&super::super::Cli::command(), "", &mut all);
        all.push((":help".into(), "Print help".into()));
        all.push((":version".into(), "Print version".into()));
        let missing: Vec<String> = all
            .iter()
            .filter(|(key, _)| persian(key).is_empty())
            .map(|(key, en)| format!("    (\"{key}\", \"\"), // {en}"))
            .collect();
        assert!(
            missing.is_empty(),
            "no Persian help for:\n{}",
            missing.join("\n")
        );
        let stale: Vec<&str> = PERSIAN
            .iter()
            .map(|(key, _)| *key)
            .filter(|key| !all.iter().any(|(k, _)| k == key))
            .collect();
        assert!(stale.is_empty(), "Persian help for nothing: {stale:?}");
    }

    #[test]
    fn the_language_is_read_before_parsing() {
        let args =
            |list: &[&str]| -> Vec<std::ffi::OsString> { list.iter().map(Into::into).collect() };
        assert_eq!(
            language(&args(&["peygir", "--lang", "fa", "--help"])),
            Lang::Fa
        );
        assert_eq!(
            language(&args(&["peygir", "case", "--lang=fa", "-h"])),
            Lang::Fa
        );
        assert_eq!(language(&args(&["peygir", "--lang", "en"])), Lang::En);
    }

    #[test]
    fn the_persian_help_is_persian() {
        let help = |args: &[&str]| {
            let command = localized(super::super::Cli::command(), Lang::Fa);
            match command.try_get_matches_from(args) {
                Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelp => e.to_string(),
                other => panic!("no help: {other:?}"),
            }
        };
        for args in [
            &["peygir", "--help"][..],
            &["peygir", "case", "add", "--lang", "fa", "-h"],
            &["peygir", "followup", "add", "--help"],
        ] {
            let text = help(args);
            assert!(text.contains("کاربرد:") && text.contains(OPTIONS), "{text}");
            assert!(text.contains("نمایش راهنما"), "{text}");
            for english in ["Usage:", "Options:", "Print help", "Commands:"] {
                assert!(!text.contains(english), "{english} in {text}");
            }
        }
        assert!(help(&["peygir", "-h"]).contains(COMMANDS));
        assert!(help(&["peygir", "case", "add", "-h"]).contains("موضوع مذاکره"));
    }
}
