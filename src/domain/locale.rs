//! The user's calendar and digits: which calendar dates are shown and typed in, which digits
//! numbers are shown with, and the text of dates and numbers in them.
//!
//! Both are process-wide settings, chosen once at start (`config::apply`) like the language;
//! every function that depends on them also has a form that takes them as arguments, and a test
//! that needs them in force uses [`with`], which sets them for its own thread only (a test never
//! changes the process's settings under its neighbours).

use std::cell::Cell;
use std::str::FromStr;
use std::sync::atomic::{AtomicU8, Ordering};

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::jalali::{self, JalaliDate};

/// The calendar dates are shown and typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Calendar {
    #[default]
    Gregorian,
    /// The Solar Hijri calendar: `1404/01/15`.
    Jalali,
}

/// The digits numbers are shown with. Input accepts every script whatever this says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Digits {
    /// 0-9, with `,` between thousands.
    #[default]
    Latin,
    /// ۰-۹, with the Persian thousands separator `٬`.
    Persian,
}

impl Calendar {
    /// The name used on the command line and in the config file.
    pub fn code(self) -> &'static str {
        match self {
            Self::Gregorian => "gregorian",
            Self::Jalali => "jalali",
        }
    }
}

impl FromStr for Calendar {
    type Err = ();
    /// `gregorian` or `jalali` (also `shamsi` and `persian`), in any case.
    fn from_str(text: &str) -> Result<Self, ()> {
        match text.trim().to_ascii_lowercase().as_str() {
            "gregorian" => Ok(Self::Gregorian),
            "jalali" | "shamsi" | "persian" => Ok(Self::Jalali),
            _ => Err(()),
        }
    }
}

impl Digits {
    /// The name used on the command line and in the config file.
    pub fn code(self) -> &'static str {
        match self {
            Self::Latin => "latin",
            Self::Persian => "persian",
        }
    }
}

impl FromStr for Digits {
    type Err = ();
    /// `latin` or `persian`, in any case.
    fn from_str(text: &str) -> Result<Self, ()> {
        match text.trim().to_ascii_lowercase().as_str() {
            "latin" | "ascii" => Ok(Self::Latin),
            "persian" => Ok(Self::Persian),
            _ => Err(()),
        }
    }
}

static CALENDAR: AtomicU8 = AtomicU8::new(0);
static DIGITS: AtomicU8 = AtomicU8::new(0);

thread_local! {
    /// Settings for this thread only, set by [`with`].
    static THREAD: Cell<Option<(Calendar, Digits)>> = const { Cell::new(None) };
}

/// Chooses the process's calendar and digits; called once at start.
pub fn set(calendar: Calendar, digits: Digits) {
    CALENDAR.store(calendar as u8, Ordering::Relaxed);
    DIGITS.store(digits as u8, Ordering::Relaxed);
}

/// The calendar in force (Gregorian until [`set`] says otherwise).
pub fn calendar() -> Calendar {
    if let Some((calendar, _)) = THREAD.with(Cell::get) {
        return calendar;
    }
    match CALENDAR.load(Ordering::Relaxed) {
        1 => Calendar::Jalali,
        _ => Calendar::Gregorian,
    }
}

/// The digits in force (Latin until [`set`] says otherwise).
pub fn digits() -> Digits {
    if let Some((_, digits)) = THREAD.with(Cell::get) {
        return digits;
    }
    match DIGITS.load(Ordering::Relaxed) {
        1 => Digits::Persian,
        _ => Digits::Latin,
    }
}

/// Runs `work` with `calendar` and `digits` in force on this thread only: how a test shows a
/// screen in the Jalali calendar while the tests beside it, on other threads, do not.
pub fn with<R>(calendar: Calendar, digits: Digits, work: impl FnOnce() -> R) -> R {
    struct Restore(Option<(Calendar, Digits)>);
    impl Drop for Restore {
        fn drop(&mut self) {
            THREAD.with(|t| t.set(self.0));
        }
    }
    let _restore = Restore(THREAD.with(|t| t.replace(Some((calendar, digits)))));
    work()
}

/// `text` with its ASCII digits in `digits`' script (and nothing else changed).
pub fn localize_digits(text: &str, digits: Digits) -> String {
    match digits {
        Digits::Latin => text.to_string(),
        Digits::Persian => text
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => char::from_u32('۰' as u32 + d).unwrap_or(c),
                _ => c,
            })
            .collect(),
    }
}

/// `1234567` → `1,234,567`, or `۱٬۲۳۴٬۵۶۷` in Persian digits.
pub fn group_thousands_in(n: i64, digits: Digits) -> String {
    let grouped = super::money::group_thousands(n);
    match digits {
        Digits::Latin => grouped,
        Digits::Persian => localize_digits(&grouped.replace(',', "\u{066c}"), digits),
    }
}

/// A day: `2026-11-08`, or `1405/08/17` in the Jalali calendar. A day the Jalali calendar cannot
/// convert (before 622 AD) is shown in the Gregorian one rather than not at all.
pub fn date_in(day: NaiveDate, calendar: Calendar, digits: Digits) -> String {
    let text = match calendar {
        Calendar::Jalali => JalaliDate::from_gregorian(day).map(|j| j.to_string()),
        Calendar::Gregorian => None,
    }
    .unwrap_or_else(|| iso_date(day));
    localize_digits(&text, digits)
}

/// A Gregorian day as `2026-11-08` (ISO 8601). Written out directly: an export writes one for
/// each dated cell, and chrono's `format` parses its pattern every time.
pub fn iso_date(day: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
}

/// A day and time of day: `2026-11-08 10:12`, or `1405/08/17 10:12`.
pub fn date_time_in(at: NaiveDateTime, calendar: Calendar, digits: Digits) -> String {
    format!(
        "{} {}",
        date_in(at.date(), calendar, digits),
        time_in(at, digits)
    )
}

/// The time of day: `10:12`.
pub fn time_in(at: NaiveDateTime, digits: Digits) -> String {
    localize_digits(&at.format("%H:%M").to_string(), digits)
}

/// The Gregorian months in Persian, January first.
pub const GREGORIAN_MONTHS_FA: [&str; 12] = [
    "ژانویه",
    "فوریه",
    "مارس",
    "آوریل",
    "مه",
    "ژوئن",
    "ژوئیه",
    "اوت",
    "سپتامبر",
    "اکتبر",
    "نوامبر",
    "دسامبر",
];

/// A day written out with its weekday and month name, for headings: `Friday 15 Farvardin 1404`,
/// `جمعه ۱۵ فروردین ۱۴۰۴` when `persian_words`, or `Friday 4 April 2025` in the Gregorian
/// calendar.
pub fn long_date_in(
    day: NaiveDate,
    calendar: Calendar,
    digits: Digits,
    persian_words: bool,
) -> String {
    let weekday = if persian_words {
        jalali::weekday_fa(day.weekday()).to_string()
    } else {
        day.format("%A").to_string()
    };
    let jalali = match calendar {
        Calendar::Jalali => JalaliDate::from_gregorian(day),
        Calendar::Gregorian => None,
    };
    let (d, month, year) = match jalali {
        Some(j) => {
            let month = if persian_words {
                j.month_fa()
            } else {
                j.month_en()
            };
            (j.day, month.unwrap_or_default().to_string(), j.year)
        }
        None => {
            let month = if persian_words {
                GREGORIAN_MONTHS_FA
                    .get(day.month0() as usize)
                    .copied()
                    .unwrap_or_default()
                    .to_string()
            } else {
                day.format("%B").to_string()
            };
            (day.day(), month, day.year())
        }
    };
    localize_digits(&format!("{weekday} {d} {month} {year}"), digits)
}

/// [`date_in`] with the process's settings.
pub fn date(day: NaiveDate) -> String {
    date_in(day, calendar(), digits())
}

/// [`date_time_in`] with the process's settings.
pub fn date_time(at: NaiveDateTime) -> String {
    date_time_in(at, calendar(), digits())
}

/// [`time_in`] with the process's digits.
pub fn time(at: NaiveDateTime) -> String {
    time_in(at, digits())
}

/// A whole number in the process's digits, ungrouped: `42` or `۴۲`.
pub fn number(n: impl std::fmt::Display) -> String {
    localize_digits(&n.to_string(), digits())
}

/// [`group_thousands_in`] with the process's digits.
pub fn group_thousands(n: i64) -> String {
    group_thousands_in(n, digits())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("a time")
    }

    #[test]
    fn dates_in_each_calendar_and_script() {
        let t = at("2025-04-04 09:05:00");
        use Calendar::*;
        use Digits::*;
        assert_eq!(date_time_in(t, Gregorian, Latin), "2025-04-04 09:05");
        assert_eq!(date_time_in(t, Jalali, Latin), "1404/01/15 09:05");
        assert_eq!(date_time_in(t, Jalali, Persian), "۱۴۰۴/۰۱/۱۵ ۰۹:۰۵");
        assert_eq!(date_in(t.date(), Gregorian, Persian), "۲۰۲۵-۰۴-۰۴");
        assert_eq!(time_in(t, Persian), "۰۹:۰۵");
        // Too early for the Jalali calendar: shown as Gregorian, never as nothing.
        let early = NaiveDate::from_ymd_opt(500, 1, 2).expect("a day");
        assert_eq!(date_in(early, Jalali, Latin), "0500-01-02");
    }

    #[test]
    fn long_dates() {
        let day = NaiveDate::from_ymd_opt(2025, 4, 4).expect("a day");
        use Calendar::*;
        use Digits::*;
        assert_eq!(
            long_date_in(day, Jalali, Persian, true),
            "جمعه ۱۵ فروردین ۱۴۰۴"
        );
        assert_eq!(
            long_date_in(day, Jalali, Latin, false),
            "Friday 15 Farvardin 1404"
        );
        assert_eq!(
            long_date_in(day, Gregorian, Latin, false),
            "Friday 4 April 2025"
        );
        assert_eq!(
            long_date_in(day, Gregorian, Persian, true),
            "جمعه ۴ آوریل ۲۰۲۵"
        );
    }

    #[test]
    fn numbers_in_persian_digits() {
        assert_eq!(group_thousands_in(1_234_567, Digits::Latin), "1,234,567");
        assert_eq!(group_thousands_in(1_234_567, Digits::Persian), "۱٬۲۳۴٬۵۶۷");
        assert_eq!(group_thousands_in(-1000, Digits::Persian), "-۱٬۰۰۰");
        assert_eq!(localize_digits("P3 (x9)", Digits::Persian), "P۳ (x۹)");
        // What is shown in Persian digits is read back as the same number.
        assert_eq!(
            super::super::money::parse_whole(&group_thousands_in(850_000_000, Digits::Persian)),
            Ok(850_000_000)
        );
    }

    #[test]
    fn settings_for_one_thread() {
        let day = NaiveDate::from_ymd_opt(2025, 3, 21).expect("a day");
        assert_eq!(date(day), "2025-03-21");
        let inside = with(Calendar::Jalali, Digits::Persian, || {
            (date(day), group_thousands(1500), number(42))
        });
        assert_eq!(inside, ("۱۴۰۴/۰۱/۰۱".into(), "۱٬۵۰۰".into(), "۴۲".into()));
        assert_eq!((calendar(), digits()), (Calendar::Gregorian, Digits::Latin));
    }

    #[test]
    fn setting_names() {
        assert_eq!("Jalali".parse(), Ok(Calendar::Jalali));
        assert_eq!(" gregorian ".parse(), Ok(Calendar::Gregorian));
        assert_eq!("julian".parse::<Calendar>(), Err(()));
        assert_eq!("persian".parse(), Ok(Digits::Persian));
        assert_eq!("LATIN".parse(), Ok(Digits::Latin));
        assert_eq!("arabic".parse::<Digits>(), Err(()));
        assert_eq!(Calendar::Jalali.code(), "jalali");
        assert_eq!(Digits::Persian.code(), "persian");
    }
}
