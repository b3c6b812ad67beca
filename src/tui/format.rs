//! How stored values are shown in the panes: times and dates, durations, numbers, and the codes
//! the store keeps (importance, complaint status, market, term) as words from the message catalog.
//!
//! Dates follow the calendar setting (Gregorian `2026-11-08` or Jalali `1405/08/17`) and every
//! number the digits setting (`۱۴۰۵/۰۸/۱۷`); the rules are `domain::locale`'s, shared with the
//! command line and exports. Times are stored in UTC and shown in the machine's local time (the
//! `TZ` variable, or the system's zone).

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use crate::domain::{locale, when};
use crate::i18n::{self, Lang};
use crate::store::complaints::ComplaintStatus;
use crate::store::sla::Severity;
use crate::t;
use crate::tui::text::clean;

/// `2026-11-08 10:12`, `1405/08/17 10:12` or `۱۴۰۵/۰۸/۱۷ ۱۰:۱۲`.
pub fn date_time(at: NaiveDateTime) -> String {
    locale::date_time(when::to_local(at))
}

/// `2026-11-08`, `1405/08/17` or `۱۴۰۵/۰۸/۱۷`.
pub fn date(day: NaiveDate) -> String {
    locale::date(day)
}

/// `10:12` or `۱۰:۱۲`.
pub fn time(at: NaiveDateTime) -> String {
    locale::time(when::to_local(at))
}

/// A day with its weekday and month by name, for headings: `Friday 15 Farvardin 1404`,
/// `جمعه ۱۵ فروردین ۱۴۰۴`, or `Friday 4 April 2025`.
pub fn long_date(day: NaiveDate) -> String {
    locale::long_date_in(
        day,
        locale::calendar(),
        locale::digits(),
        i18n::lang() == Lang::Fa,
    )
}

/// A number in the digits setting, ungrouped: `42` or `۴۲` (counts, percentages, priorities).
/// Money and other large numbers go through `text::group_thousands`.
pub fn number(n: impl std::fmt::Display) -> String {
    locale::number(n)
}

/// A period of days: `2026-09-23 to 2027-03-20`.
pub fn period(from: NaiveDate, to: NaiveDate) -> String {
    t!("format.period", from = date(from), to = date(to))
}

/// Minutes spent or planned: `12m`.
pub fn minutes(minutes: i32) -> String {
    t!("format.minutes", n = number(minutes))
}

/// The cells three digits of minutes take as the user's language writes them (`999m`,
/// `۹۹۹ دقیقه`): the width of a minutes column.
pub fn minutes_cells() -> usize {
    crate::tui::text::cells(&minutes(999))
}

/// How long ago something fell due, in its largest whole unit: `2d`, `3h`, `5m`.
pub fn overdue_by(by: TimeDelta) -> String {
    if by.num_days() > 0 {
        t!("format.days", n = number(by.num_days()))
    } else if by.num_hours() > 0 {
        t!("format.hours", n = number(by.num_hours()))
    } else {
        t!("format.minutes", n = number(by.num_minutes().max(0)))
    }
}

/// A case's or complaint's importance as a word, so it reads without colour.
pub fn importance(code: &str) -> String {
    match code {
        "low" => t!("importance.low"),
        "normal" => t!("importance.normal"),
        "high" => t!("importance.high"),
        "critical" => t!("importance.critical"),
        other => clean(other),
    }
}

/// A complaint's status as a word (an unknown code as it is).
pub fn complaint_status(code: &str) -> String {
    match ComplaintStatus::parse(code) {
        Some(status) => crate::i18n::tr(status.message_key()).to_string(),
        None => clean(code),
    }
}

/// A complaint's severity as a word (an unknown code as it is).
pub fn severity(code: &str) -> String {
    match Severity::parse(code) {
        Some(severity) => crate::i18n::tr(severity.message_key()).to_string(),
        None => clean(code),
    }
}

/// A planned action's status as a word.
pub fn action_status(code: &str) -> String {
    match code {
        "open" => t!("action.status.open"),
        "done" => t!("action.status.done"),
        "cancelled" => t!("action.status.cancelled"),
        other => clean(other),
    }
}

/// A plan's or sale's market: `B2B` or `B2C`.
pub fn market(code: &str) -> String {
    match code {
        "b2b" => t!("market.b2b"),
        "b2c" => t!("market.b2c"),
        other => clean(other),
    }
}

/// A plan's term: `long term` or `short term`.
pub fn term(code: &str) -> String {
    match code {
        "long" => t!("term.long"),
        "short" => t!("term.short"),
        other => clean(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("a time")
    }

    /// The process's settings are never changed by tests, so these read Gregorian and Latin;
    /// `domain::locale`'s tests cover the Jalali calendar and Persian digits.
    #[test]
    fn times_and_dates_show_as_stored() {
        assert_eq!(date_time(at("2026-11-08 09:05:59")), "2026-11-08 09:05");
        assert_eq!(time(at("2026-11-08 09:05:59")), "09:05");
        assert_eq!(date(at("2026-01-02 00:00:00").date()), "2026-01-02");
        assert_eq!(
            period(
                at("2026-09-23 00:00:00").date(),
                at("2027-03-20 00:00:00").date()
            ),
            "2026-09-23 to 2027-03-20"
        );
    }

    #[test]
    fn dates_follow_the_calendar_and_digits() {
        use crate::domain::locale::{self, Calendar, Digits};
        let t = at("2025-04-04 09:05:59");
        let shown = locale::with(Calendar::Jalali, Digits::Latin, || {
            (date_time(t), date(t.date()), long_date(t.date()))
        });
        assert_eq!(
            shown,
            (
                "1404/01/15 09:05".into(),
                "1404/01/15".into(),
                "Friday 15 Farvardin 1404".into()
            )
        );
        let persian = locale::with(Calendar::Jalali, Digits::Persian, || {
            i18n::with_lang(Lang::Fa, || {
                (
                    date_time(t),
                    time(t),
                    long_date(t.date()),
                    overdue_by(TimeDelta::days(12)),
                    period(t.date(), at("2026-03-20 00:00:00").date()),
                )
            })
        });
        assert_eq!(
            persian,
            (
                "۱۴۰۴/۰۱/۱۵ ۰۹:۰۵".into(),
                "۰۹:۰۵".into(),
                "جمعه ۱۵ فروردین ۱۴۰۴".into(),
                "۱۲ روز".into(),
                "۱۴۰۴/۰۱/۱۵ تا ۱۴۰۴/۱۲/۲۹".into()
            )
        );
    }

    #[test]
    fn overdue_counts_in_its_largest_unit() {
        assert_eq!(overdue_by(TimeDelta::days(2) + TimeDelta::hours(5)), "2d");
        assert_eq!(
            overdue_by(TimeDelta::hours(3) + TimeDelta::minutes(59)),
            "3h"
        );
        assert_eq!(overdue_by(TimeDelta::minutes(5)), "5m");
        assert_eq!(overdue_by(TimeDelta::seconds(20)), "0m");
        assert_eq!(minutes(12), "12m");
    }

    #[test]
    fn codes_read_as_words_and_unknown_ones_are_made_safe() {
        assert_eq!(importance("critical"), "critical");
        assert_eq!(complaint_status("investigating"), "investigating");
        assert_eq!(market("b2b"), "B2B");
        assert_eq!(term("short"), "short term");
        assert_eq!(importance("odd\x1b[2J"), "odd[2J");
    }
}
