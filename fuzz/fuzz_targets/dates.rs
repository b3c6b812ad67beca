//! Typed dates and times in both calendars: any text is read without a panic; a written date
//! reads as the same date whatever the calendar says; a date reads the same with a time of day
//! defaulted; a day (and a time) formatted by the project's own formatter reads back as itself,
//! in either digit script, in the years the calendar reads; and `+Nd` is N days on.

#![no_main]

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use libfuzzer_sys::fuzz_target;
use peygir::domain::jalali::JalaliDate;
use peygir::domain::locale::{self, Calendar, Digits};
use peygir::domain::when::{self, WhenError};

/// Years typed in the Jalali calendar when it is in force (the module's rule: a year before 1700
/// is Jalali, a later one Gregorian), and the years a date is written with four digits.
const JALALI_BELOW: i32 = 1700;
const FOUR_DIGITS: std::ops::RangeInclusive<i32> = 1000..=9999;

/// Whether `date_in(day, calendar, _)` is text that reads back as `day` in `calendar`.
fn reads_back(day: NaiveDate, calendar: Calendar) -> bool {
    match (calendar, JalaliDate::from_gregorian(day)) {
        (Calendar::Gregorian, _) => FOUR_DIGITS.contains(&day.year()),
        (Calendar::Jalali, Some(j)) => (1000..JALALI_BELOW).contains(&j.year),
        (Calendar::Jalali, None) => (JALALI_BELOW..=9999).contains(&day.year()),
    }
}

fn round_trips(day: NaiveDate, time: NaiveTime, today: NaiveDate) {
    let nine = NaiveTime::from_hms_opt(9, 0, 0).expect("nine");
    let now = today.and_time(nine);
    for calendar in [Calendar::Gregorian, Calendar::Jalali] {
        if !reads_back(day, calendar) {
            continue;
        }
        for digits in [Digits::Latin, Digits::Persian] {
            let text = locale::date_in(day, calendar, digits);
            assert_eq!(
                when::parse_date_in(&text, today, calendar),
                Ok(day),
                "{text:?} in {calendar:?}"
            );
            let at = day.and_time(time);
            let text = locale::date_time_in(at, calendar, digits);
            assert_eq!(
                when::parse_datetime_in(&text, now, nine, calendar),
                Ok(at),
                "{text:?} in {calendar:?}"
            );
            if calendar == Calendar::Jalali {
                let text = locale::date_in(day, calendar, digits);
                assert_eq!(when::parse_written_date(&text, today), Ok(day), "{text:?}");
            }
        }
    }
    if (JALALI_BELOW..=9999).contains(&day.year()) {
        let text = locale::iso_date(day);
        assert_eq!(when::parse_written_date(&text, today), Ok(day), "{text:?}");
    }
}

fn shifts(days: i64, today: NaiveDate) {
    let expected = today
        .checked_add_signed(Duration::days(days))
        .ok_or(WhenError::NoSuchDate);
    let sign = if days < 0 { '-' } else { '+' };
    let text = format!("{sign}{}d", days.unsigned_abs());
    for calendar in [Calendar::Gregorian, Calendar::Jalali] {
        assert_eq!(
            when::parse_date_in(&text, today, calendar),
            expected,
            "{text}"
        );
        let persian = locale::localize_digits(&text, Digits::Persian);
        assert_eq!(
            when::parse_date_in(&persian, today, calendar),
            expected,
            "{persian}"
        );
    }
}

fn typed(text: &str, today: NaiveDate) {
    let nine = NaiveTime::from_hms_opt(9, 0, 0).expect("nine");
    let now = today.and_time(nine);
    let written = when::parse_written_date(text, today);
    if let Ok(day) = written {
        assert_eq!(
            when::parse_date_in(text, today, Calendar::Jalali),
            Ok(day),
            "{text:?}"
        );
    }
    for calendar in [Calendar::Gregorian, Calendar::Jalali] {
        let date = when::parse_date_in(text, today, calendar);
        let date_time = when::parse_datetime_in(text, now, nine, calendar);
        if let Ok(day) = date {
            assert_eq!(
                date_time,
                Ok(day.and_time(nine)),
                "{text:?} in {calendar:?}"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = data.split_first_chunk::<12>() else {
        return;
    };
    let number =
        |at: usize| i32::from_le_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    // Today anywhere chrono can name; the day formatted, anywhere too.
    let Some(today) = NaiveDate::from_num_days_from_ce_opt(number(0)) else {
        return;
    };
    if let Some(day) = NaiveDate::from_num_days_from_ce_opt(number(4)) {
        let minutes = u32::from(u16::from_le_bytes([head[8], head[9]])) % (24 * 60);
        let time = NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).expect("a time");
        round_trips(day, time, today);
    }
    let days = i64::from(i32::from_le_bytes([head[8], head[9], head[10], head[11]]) % 100_001);
    shifts(days, today);
    if let Ok(text) = std::str::from_utf8(rest) {
        typed(text, today);
    }
});
