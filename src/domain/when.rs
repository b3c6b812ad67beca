//! Dates and times as people type them: `today`, `tomorrow 10:30`, `+2d`, `+3h`, `2026-12-01`,
//! `2026-12-01 14:00`, `10:30`, the Persian words (`امروز`, `فردا ۱۰:۳۰`), in any digit script,
//! and in the Jalali calendar `1404/01/15` or `1404-01-15`. Parsing is relative to a given "now"
//! so it can be tested; the result is local time, converted to UTC at the store's edge.
//!
//! In the Jalali calendar a year before 1700 is Jalali and a later one Gregorian, so a pasted ISO
//! date still means what it says; in the Gregorian calendar every year is Gregorian.

use chrono::{Duration, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use super::jalali::JalaliDate;
use super::locale::{self, Calendar};
use super::text::ascii_digits;

/// Why a typed date or time was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhenError {
    /// Not any of the accepted shapes.
    Unrecognised,
    /// The shape is right but the day does not exist (2026-02-30, 1404/12/30).
    NoSuchDate,
    /// The time is not a real clock time (25:00).
    NoSuchTime,
}

/// The years typed in the Jalali calendar when it is in force: up to 1699 (2320 AD).
const JALALI_YEARS_BELOW: i32 = 1700;

/// A local time as the UTC time the store keeps. A time the clocks skip takes the hour after;
/// one they repeat, the first.
pub fn to_utc(local: NaiveDateTime) -> NaiveDateTime {
    match Local.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => t.naive_utc(),
        chrono::LocalResult::None => Local
            .from_local_datetime(&(local + Duration::hours(1)))
            .earliest()
            .map_or(local, |t| t.naive_utc()),
    }
}

/// A stored UTC time in the machine's local time, for people.
pub fn to_local(utc: NaiveDateTime) -> NaiveDateTime {
    Utc.from_utc_datetime(&utc)
        .with_timezone(&Local)
        .naive_local()
}

/// Typed text in one form: ASCII digits, lower case, Arabic letter forms as Persian, ZWNJ and
/// runs of spaces as one space.
fn normalise(text: &str) -> String {
    let text = ascii_digits(text).to_lowercase();
    let text: String = text
        .chars()
        .map(|c| match c {
            'ي' | 'ى' => 'ی',
            'ك' => 'ک',
            '\u{200c}' => ' ',
            c => c,
        })
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn parse_time(text: &str) -> Result<NaiveTime, WhenError> {
    let (h, m) = text.split_once(':').ok_or(WhenError::Unrecognised)?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return Err(WhenError::Unrecognised);
    }
    let (h, m) = (h.parse().unwrap_or(99), m.parse().unwrap_or(99));
    NaiveTime::from_hms_opt(h, m, 0).ok_or(WhenError::NoSuchTime)
}

/// `YYYY-MM-DD` or `YYYY/MM/DD`, Jalali when `calendar` is and the year is below 1700.
fn parse_absolute_date(text: &str, calendar: Calendar) -> Result<NaiveDate, WhenError> {
    let parts: Vec<&str> = text.split(['-', '/']).collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(WhenError::Unrecognised);
    };
    if y.len() != 4 || !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
        return Err(WhenError::Unrecognised);
    }
    let num = |s: &str| {
        if s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse::<u32>().map_err(|_| WhenError::Unrecognised)
        } else {
            Err(WhenError::Unrecognised)
        }
    };
    let year = i32::try_from(num(y)?).map_err(|_| WhenError::Unrecognised)?;
    let (month, day) = (num(m)?, num(d)?);
    if calendar == Calendar::Jalali && year < JALALI_YEARS_BELOW {
        return JalaliDate::new(year, month, day)
            .ok()
            .and_then(JalaliDate::to_gregorian)
            .ok_or(WhenError::NoSuchDate);
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(WhenError::NoSuchDate)
}

/// A date written out in a file or an argument that is read the same whatever the calendar in
/// force: a year before 1700 is Jalali (`1405/01/01`), a later one Gregorian (`2026-03-21`), in
/// any digit script. Words and shifts (`today`, `+2d`) are refused: in a list of dates they are a
/// slip.
pub fn parse_written_date(text: &str, today: NaiveDate) -> Result<NaiveDate, WhenError> {
    let text = text.trim();
    if !ascii_digits(text).starts_with(|c: char| c.is_ascii_digit()) {
        return Err(WhenError::Unrecognised);
    }
    parse_date_in(text, today, Calendar::Jalali)
}

/// [`parse_date_in`] in the process's calendar.
pub fn parse_date(text: &str, today: NaiveDate) -> Result<NaiveDate, WhenError> {
    parse_date_in(text, today, locale::calendar())
}

/// A date: `today`, `tomorrow`, `yesterday` (or `امروز`, `فردا`, `دیروز`, `پس‌فردا`, `پریروز`),
/// `+3d`, `-1d`, `+2w`, or a date in `calendar` (see the module's note on years).
pub fn parse_date_in(
    text: &str,
    today: NaiveDate,
    calendar: Calendar,
) -> Result<NaiveDate, WhenError> {
    let text = normalise(text);
    let shift = |days: i64| {
        today
            .checked_add_signed(Duration::days(days))
            .ok_or(WhenError::NoSuchDate)
    };
    match text.as_str() {
        "today" | "t" | "امروز" => return Ok(today),
        "tomorrow" | "فردا" => return shift(1),
        "yesterday" | "دیروز" => return shift(-1),
        "پس فردا" => return shift(2),
        "پریروز" => return shift(-2),
        _ => {}
    }
    if let Some(delta) = parse_offset(&text) {
        return match delta {
            Offset::Days(d) => shift(d),
            Offset::Hours(_) => Err(WhenError::Unrecognised),
        };
    }
    parse_absolute_date(&text, calendar)
}

enum Offset {
    Days(i64),
    Hours(i64),
}

/// `+2d`, `-1d`, `+1w`, `+3h`.
fn parse_offset(text: &str) -> Option<Offset> {
    let sign = match text.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let body = &text[1..];
    // The sign is the one in front: a second one (`+-3d`) would reach `parse` and let any i64
    // through, past the bound below.
    if !body.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let unit = body.chars().last()?;
    let n: i64 = body[..body.len() - unit.len_utf8()].parse().ok()?;
    if n > 100_000 {
        return None;
    }
    match unit {
        'd' => Some(Offset::Days(sign * n)),
        'w' => Some(Offset::Days(sign * n * 7)),
        'h' => Some(Offset::Hours(sign * n)),
        _ => None,
    }
}

/// [`parse_datetime_in`] in the process's calendar.
pub fn parse_datetime(
    text: &str,
    now: NaiveDateTime,
    default_time: NaiveTime,
) -> Result<NaiveDateTime, WhenError> {
    parse_datetime_in(text, now, default_time, locale::calendar())
}

/// A date and time: anything [`parse_date_in`] takes with an optional `HH:MM` after it (the time
/// defaults to `default_time`), a bare `HH:MM` (today), `now` (`الان`, `اکنون`), or `+3h`.
pub fn parse_datetime_in(
    text: &str,
    now: NaiveDateTime,
    default_time: NaiveTime,
    calendar: Calendar,
) -> Result<NaiveDateTime, WhenError> {
    let text = normalise(text);
    if matches!(text.as_str(), "now" | "الان" | "اکنون") {
        return Ok(now);
    }
    if let Some(Offset::Hours(h)) = parse_offset(&text) {
        return now
            .checked_add_signed(Duration::hours(h))
            .ok_or(WhenError::NoSuchDate);
    }
    if !text.contains(' ') && text.contains(':') {
        return Ok(now.date().and_time(parse_time(&text)?));
    }
    // The time, if any, is the last word (`پس فردا 10:30` has a space in its date).
    let (date_part, time_part) = match text.rsplit_once(' ') {
        Some((d, t)) if t.contains(':') => (d, Some(t)),
        _ => (text.as_str(), None),
    };
    let date = parse_date_in(date_part, now.date(), calendar)?;
    let time = match time_part {
        Some(t) => parse_time(t)?,
        None => default_time,
    };
    Ok(date.and_time(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 29)
            .and_then(|d| d.and_hms_opt(9, 15, 0))
            .expect("a real date")
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .expect("a real date")
    }

    fn nine() -> NaiveTime {
        NaiveTime::from_hms_opt(9, 0, 0).expect("nine")
    }

    fn gregorian(text: &str) -> Result<NaiveDateTime, WhenError> {
        parse_datetime_in(text, now(), nine(), Calendar::Gregorian)
    }

    fn jalali(text: &str) -> Result<NaiveDateTime, WhenError> {
        parse_datetime_in(text, now(), nine(), Calendar::Jalali)
    }

    #[test]
    fn words_offsets_and_dates() {
        let cases = [
            ("now", at(2026, 11, 29, 9, 15)),
            ("today", at(2026, 11, 29, 9, 0)),
            ("tomorrow 10:30", at(2026, 11, 30, 10, 30)),
            ("+2d", at(2026, 12, 1, 9, 0)),
            ("+3h", at(2026, 11, 29, 12, 15)),
            ("+1w 8:05", at(2026, 12, 6, 8, 5)),
            ("2027-01-05", at(2027, 1, 5, 9, 0)),
            ("2027/1/5 17:00", at(2027, 1, 5, 17, 0)),
            ("14:00", at(2026, 11, 29, 14, 0)),
            ("۱۴۰۵-۰۱-۰۱", at(1405, 1, 1, 9, 0)),
            ("  TOMORROW  ", at(2026, 11, 30, 9, 0)),
        ];
        for (text, expected) in cases {
            assert_eq!(gregorian(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn persian_words() {
        let cases = [
            ("امروز", at(2026, 11, 29, 9, 0)),
            ("فردا ۱۰:۳۰", at(2026, 11, 30, 10, 30)),
            ("دیروز", at(2026, 11, 28, 9, 0)),
            // Arabic yeh, as an Arabic keyboard types it.
            ("ديروز", at(2026, 11, 28, 9, 0)),
            ("پس\u{200c}فردا ۸:۰۰", at(2026, 12, 1, 8, 0)),
            ("پس فردا", at(2026, 12, 1, 9, 0)),
            ("پریروز", at(2026, 11, 27, 9, 0)),
            ("الان", at(2026, 11, 29, 9, 15)),
            ("+۲d", at(2026, 12, 1, 9, 0)),
        ];
        for (text, expected) in cases {
            assert_eq!(jalali(text), Ok(expected), "{text}");
            assert_eq!(gregorian(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn jalali_dates() {
        let cases = [
            ("1404/01/15", at(2025, 4, 4, 9, 0)),
            ("1404-01-15", at(2025, 4, 4, 9, 0)),
            ("1404/1/15 10:30", at(2025, 4, 4, 10, 30)),
            ("۱۴۰۴/۰۱/۱۵ ۱۰:۳۰", at(2025, 4, 4, 10, 30)),
            ("١٤٠٤/٠١/١٥", at(2025, 4, 4, 9, 0)),
            // Mixed digit scripts name the same day.
            ("۱۴۰۴/01/۱۵", at(2025, 4, 4, 9, 0)),
            ("1403/12/30", at(2025, 3, 20, 9, 0)),
            ("1404/01/01", at(2025, 3, 21, 9, 0)),
            // A Gregorian year is still Gregorian.
            ("2027-01-05 17:00", at(2027, 1, 5, 17, 0)),
            ("today", at(2026, 11, 29, 9, 0)),
        ];
        for (text, expected) in cases {
            assert_eq!(jalali(text), Ok(expected), "{text}");
        }
        assert_eq!(
            parse_date_in("1405/09/08", now().date(), Calendar::Jalali),
            Ok(now().date())
        );
    }

    #[test]
    fn jalali_dates_that_do_not_exist_are_refused() {
        for text in [
            "1404/12/30",
            "1403/13/01",
            "1403/00/10",
            "1404/07/31",
            "۱۴۰۴/۱۲/۳۰ ۱۰:۰۰",
        ] {
            assert_eq!(jalali(text), Err(WhenError::NoSuchDate), "{text}");
        }
        assert_eq!(jalali("1404/01/15 24:00"), Err(WhenError::NoSuchTime));
        assert_eq!(jalali("1404/01"), Err(WhenError::Unrecognised));
        assert_eq!(jalali("14040115"), Err(WhenError::Unrecognised));
        assert_eq!(jalali("1404/+1/15"), Err(WhenError::Unrecognised));
    }

    #[test]
    fn dates_that_do_not_exist_are_refused() {
        assert_eq!(gregorian("2026-02-30"), Err(WhenError::NoSuchDate));
        assert_eq!(gregorian("tomorrow 25:00"), Err(WhenError::NoSuchTime));
        assert_eq!(gregorian("next tuesday"), Err(WhenError::Unrecognised));
        assert_eq!(gregorian("+3x"), Err(WhenError::Unrecognised));
        assert_eq!(
            parse_date_in("+3h", now().date(), Calendar::Gregorian),
            Err(WhenError::Unrecognised)
        );
        assert_eq!(gregorian(""), Err(WhenError::Unrecognised));
        assert_eq!(gregorian("+100001d"), Err(WhenError::Unrecognised));
    }

    /// A shift takes one sign, in front: a second sign is refused, so that a huge negative count
    /// (found by the `dates` fuzz target) is refused rather than overflowing the date arithmetic.
    #[test]
    fn shifts_with_a_second_sign_are_refused() {
        for text in [
            "+-9223372036854775808d",
            "+-9223372036854775808h",
            "--1000000000000000w",
            "+-3d",
            "--3d",
            "++3d",
        ] {
            assert_eq!(gregorian(text), Err(WhenError::Unrecognised), "{text}");
            assert_eq!(
                parse_date_in(text, now().date(), Calendar::Jalali),
                Err(WhenError::Unrecognised),
                "{text}"
            );
        }
        assert_eq!(gregorian("-3d"), Ok(at(2026, 11, 26, 9, 0)));
    }
}
