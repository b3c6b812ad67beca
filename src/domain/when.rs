//! Dates and times as people type them: `today`, `tomorrow 10:30`, `+2d`, `+3h`, `2026-12-01`,
//! `2026-12-01 14:00`, `10:30`, in any digit script. Parsing is relative to a given "now" so it
//! can be tested; the result is local time, converted to UTC at the store's edge.

use chrono::{Days, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::text::ascii_digits;

/// Why a typed date or time was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhenError {
    /// Not any of the accepted shapes.
    Unrecognised,
    /// The shape is right but the day does not exist (2026-02-30).
    NoSuchDate,
    /// The time is not a real clock time (25:00).
    NoSuchTime,
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

fn parse_iso_date(text: &str) -> Result<NaiveDate, WhenError> {
    let parts: Vec<&str> = text.split(['-', '/']).collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(WhenError::Unrecognised);
    };
    if y.len() != 4 || !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
        return Err(WhenError::Unrecognised);
    }
    let num = |s: &str| s.parse::<u32>().map_err(|_| WhenError::Unrecognised);
    let year = i32::try_from(num(y)?).map_err(|_| WhenError::Unrecognised)?;
    NaiveDate::from_ymd_opt(year, num(m)?, num(d)?).ok_or(WhenError::NoSuchDate)
}

/// A date: `today`, `tomorrow`, `yesterday`, `+3d`, `-1d`, `+2w`, or `YYYY-MM-DD`.
pub fn parse_date(text: &str, today: NaiveDate) -> Result<NaiveDate, WhenError> {
    let text = ascii_digits(text.trim()).to_lowercase();
    match text.as_str() {
        "today" | "t" => return Ok(today),
        "tomorrow" => return Ok(today + Days::new(1)),
        "yesterday" => return Ok(today - Days::new(1)),
        _ => {}
    }
    if let Some(delta) = parse_offset(&text) {
        return match delta {
            Offset::Days(d) => today
                .checked_add_signed(Duration::days(d))
                .ok_or(WhenError::NoSuchDate),
            Offset::Hours(_) => Err(WhenError::Unrecognised),
        };
    }
    parse_iso_date(&text)
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

/// A date and time: anything `parse_date` takes with an optional `HH:MM` after it (the time
/// defaults to `default_time`), a bare `HH:MM` (today), `now`, or `+3h`.
pub fn parse_datetime(
    text: &str,
    now: NaiveDateTime,
    default_time: NaiveTime,
) -> Result<NaiveDateTime, WhenError> {
    let text = ascii_digits(text.trim()).to_lowercase();
    if text == "now" {
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
    let (date_part, time_part) = match text.split_once(' ') {
        Some((d, t)) => (d, Some(t.trim())),
        None => (text.as_str(), None),
    };
    let date = parse_date(date_part, now.date())?;
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

    #[test]
    fn words_offsets_and_dates() {
        let nine = NaiveTime::from_hms_opt(9, 0, 0).expect("nine");
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
            assert_eq!(parse_datetime(text, now(), nine), Ok(expected), "{text}");
        }
    }

    #[test]
    fn dates_that_do_not_exist_are_refused() {
        let nine = NaiveTime::from_hms_opt(9, 0, 0).expect("nine");
        assert_eq!(
            parse_datetime("2026-02-30", now(), nine),
            Err(WhenError::NoSuchDate)
        );
        assert_eq!(
            parse_datetime("tomorrow 25:00", now(), nine),
            Err(WhenError::NoSuchTime)
        );
        assert_eq!(
            parse_datetime("next tuesday", now(), nine),
            Err(WhenError::Unrecognised)
        );
        assert_eq!(
            parse_datetime("+3x", now(), nine),
            Err(WhenError::Unrecognised)
        );
        assert_eq!(
            parse_date("+3h", now().date()),
            Err(WhenError::Unrecognised)
        );
        assert_eq!(
            parse_datetime("", now(), nine),
            Err(WhenError::Unrecognised)
        );
    }
}
