//! The Jalali (Solar Hijri) calendar, Iran's official calendar: conversion to and from the
//! Gregorian calendar, validation, and the names of months and weekdays.
//!
//! The year starts at Nowruz, the day of the March equinox (the equinox before noon in Tehran, or
//! else the next day); the first six months have 31 days, the next five 30, and Esfand 29, or 30
//! in a leap year. Which years are leap follows the sun, not a fixed rule, so the conversion uses
//! Borkowski's arithmetic: 33-year cycles broken at a list of known years (the algorithm of
//! jalaali-js), which matches the official calendar for 1178-1633 AP and, outside that, is the
//! best arithmetic approximation. The tests check it against an astronomical reference for the
//! new years of 1278-1480 and against an independent implementation every seventh day of
//! 1900-2100.

use std::fmt;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// A day of the Jalali calendar. Fields are compared in order, so dates sort by day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JalaliDate {
    pub year: i32,
    /// 1 (Farvardin) to 12 (Esfand).
    pub month: u32,
    pub day: u32,
}

/// Why a Jalali year, month and day do not name a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JalaliError {
    /// Outside the years this calendar converts ([`FIRST_YEAR`]..=[`LAST_YEAR`]).
    YearOutOfRange,
    /// Not 1 to 12.
    NoSuchMonth,
    /// The month is shorter (1404/12/30: 1404 is not a leap year).
    NoSuchDay,
}

/// The first year converted (622 AD).
pub const FIRST_YEAR: i32 = 1;
/// The last year the arithmetic is defined for (3798 AD).
pub const LAST_YEAR: i32 = 3177;

/// The months in Persian, Farvardin first.
pub const MONTHS_FA: [&str; 12] = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
];

/// The months in the usual English transliteration.
pub const MONTHS_EN: [&str; 12] = [
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
];

/// The days of the week in Persian, Saturday (the first day of the Iranian week) first.
pub const WEEKDAYS_FA: [&str; 7] = [
    "شنبه",
    "یکشنبه",
    "دوشنبه",
    "سه\u{200c}شنبه",
    "چهارشنبه",
    "پنجشنبه",
    "جمعه",
];

/// The Persian name of a day of the week.
pub fn weekday_fa(day: Weekday) -> &'static str {
    // Saturday is 5 days from Monday; the Iranian week starts on it.
    WEEKDAYS_FA[(day.num_days_from_monday() as usize + 2) % 7]
}

/// The Persian name of month `month` (1-12).
pub fn month_fa(month: u32) -> Option<&'static str> {
    MONTHS_FA
        .get(usize::try_from(month).ok()?.checked_sub(1)?)
        .copied()
}

/// The transliterated name of month `month` (1-12).
pub fn month_en(month: u32) -> Option<&'static str> {
    MONTHS_EN
        .get(usize::try_from(month).ok()?.checked_sub(1)?)
        .copied()
}

/// The years at which the 33-year cycle is broken (Borkowski; jalaali-js).
const BREAKS: [i32; 20] = [
    -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324,
    2394, 2456, 3178,
];

/// Nowruz of `year` as a Gregorian date, and whether the year is leap.
fn year_start(year: i32) -> Option<(NaiveDate, bool)> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return None;
    }
    let gy = year + 621;
    // Leap years of the Jalali calendar from 621 AD to the start of `year`.
    let mut leap_j = -14;
    let mut jp = BREAKS[0];
    let mut jump = 0;
    for &jm in &BREAKS[1..] {
        jump = jm - jp;
        if year < jm {
            break;
        }
        leap_j += jump / 33 * 8 + (jump % 33) / 4;
        jp = jm;
    }
    let mut n = year - jp;
    leap_j += n / 33 * 8 + (n % 33 + 3) / 4;
    if jump % 33 == 4 && jump - n == 4 {
        leap_j += 1;
    }
    // The same count in the Gregorian calendar up to `gy`, and so the day of March of Nowruz.
    let leap_g = gy / 4 - (gy / 100 + 1) * 3 / 4 - 150;
    let march = 20 + leap_j - leap_g;
    // Years since the last leap year: 0 means this one is leap.
    if jump - n < 6 {
        n = n - jump + (jump + 4) / 33 * 33;
    }
    let since_leap = ((n + 1) % 33 - 1) % 4;
    let nowruz = NaiveDate::from_ymd_opt(gy, 3, 1)?
        .checked_add_days(Days::new(u64::try_from(march - 1).ok()?))?;
    Some((nowruz, since_leap == 0))
}

/// Whether `year` has 366 days (Esfand 30). Years outside the converted range are not.
pub fn is_leap_year(year: i32) -> bool {
    year_start(year).is_some_and(|(_, leap)| leap)
}

/// The days in `month` of `year`, or `None` for a month that is not 1-12.
pub fn month_days(year: i32, month: u32) -> Option<u32> {
    match month {
        1..=6 => Some(31),
        7..=11 => Some(30),
        12 if is_leap_year(year) => Some(30),
        12 => Some(29),
        _ => None,
    }
}

/// Days before the first of `month` in the year.
fn days_before(month: u32) -> u32 {
    if month <= 7 {
        (month - 1) * 31
    } else {
        186 + (month - 7) * 30
    }
}

impl JalaliDate {
    /// A checked date: 1403/12/30 is a day, 1404/12/30 and 1403/13/01 are not.
    pub fn new(year: i32, month: u32, day: u32) -> Result<Self, JalaliError> {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return Err(JalaliError::YearOutOfRange);
        }
        let days = month_days(year, month).ok_or(JalaliError::NoSuchMonth)?;
        if day == 0 || day > days {
            return Err(JalaliError::NoSuchDay);
        }
        Ok(Self { year, month, day })
    }

    /// The Jalali date of a Gregorian day, or `None` outside the converted years.
    pub fn from_gregorian(date: NaiveDate) -> Option<Self> {
        let guess = date.year() - 621;
        let (year, nowruz, leap) = match year_start(guess) {
            Some((nowruz, leap)) if date >= nowruz => (guess, nowruz, leap),
            _ => {
                let (nowruz, leap) = year_start(guess - 1)?;
                (guess - 1, nowruz, leap)
            }
        };
        let offset = u32::try_from((date - nowruz).num_days()).ok()?;
        if offset >= 365 + u32::from(leap) {
            return None;
        }
        let (month, day) = if offset < 186 {
            (offset / 31 + 1, offset % 31 + 1)
        } else {
            ((offset - 186) / 30 + 7, (offset - 186) % 30 + 1)
        };
        Some(Self { year, month, day })
    }

    /// The Gregorian day, or `None` when the fields do not name a day.
    pub fn to_gregorian(self) -> Option<NaiveDate> {
        let checked = Self::new(self.year, self.month, self.day).ok()?;
        let (nowruz, _) = year_start(checked.year)?;
        nowruz.checked_add_days(Days::new(u64::from(
            days_before(checked.month) + checked.day - 1,
        )))
    }

    /// The day of the week, or `None` when the fields do not name a day.
    pub fn weekday(self) -> Option<Weekday> {
        self.to_gregorian().map(|d| d.weekday())
    }

    /// The month's Persian name (`فروردین`).
    pub fn month_fa(self) -> Option<&'static str> {
        month_fa(self.month)
    }

    /// The month's transliterated name (`Farvardin`).
    pub fn month_en(self) -> Option<&'static str> {
        month_en(self.month)
    }
}

/// `1404/01/15`, with ASCII digits.
impl fmt::Display for JalaliDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}/{:02}/{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a Gregorian date")
    }

    fn j(y: i32, m: u32, d: u32) -> JalaliDate {
        JalaliDate::new(y, m, d).expect("a Jalali date")
    }

    #[test]
    fn known_days() {
        assert_eq!(j(1403, 12, 30).to_gregorian(), Some(g(2025, 3, 20)));
        assert_eq!(j(1404, 1, 1).to_gregorian(), Some(g(2025, 3, 21)));
        assert_eq!(
            JalaliDate::from_gregorian(g(2025, 3, 20)),
            Some(j(1403, 12, 30))
        );
        assert_eq!(
            JalaliDate::from_gregorian(g(2025, 3, 21)),
            Some(j(1404, 1, 1))
        );
        assert_eq!(
            JalaliDate::from_gregorian(g(2024, 3, 20)),
            Some(j(1403, 1, 1))
        );
        // The Islamic Revolution's anniversary: 22 Bahman 1357.
        assert_eq!(
            JalaliDate::from_gregorian(g(1979, 2, 11)),
            Some(j(1357, 11, 22))
        );
        assert_eq!(
            JalaliDate::from_gregorian(g(2026, 11, 29)),
            Some(j(1405, 9, 8))
        );
        assert_eq!(j(1404, 1, 15).to_string(), "1404/01/15");
    }

    #[test]
    fn days_that_do_not_exist() {
        assert_eq!(JalaliDate::new(1404, 12, 30), Err(JalaliError::NoSuchDay));
        assert_eq!(JalaliDate::new(1403, 13, 1), Err(JalaliError::NoSuchMonth));
        assert_eq!(JalaliDate::new(1403, 0, 1), Err(JalaliError::NoSuchMonth));
        assert_eq!(JalaliDate::new(1403, 1, 0), Err(JalaliError::NoSuchDay));
        assert_eq!(JalaliDate::new(1403, 7, 31), Err(JalaliError::NoSuchDay));
        assert_eq!(JalaliDate::new(1403, 6, 31).map(|d| d.day), Ok(31));
        assert_eq!(JalaliDate::new(0, 1, 1), Err(JalaliError::YearOutOfRange));
        assert_eq!(
            JalaliDate::new(3178, 1, 1),
            Err(JalaliError::YearOutOfRange)
        );
        let unchecked = JalaliDate {
            year: 1404,
            month: 12,
            day: 30,
        };
        assert_eq!(unchecked.to_gregorian(), None);
        assert_eq!(unchecked.weekday(), None);
    }

    #[test]
    fn leap_years() {
        // The official calendar's leap years around today.
        let leap: Vec<i32> = (1370..=1420).filter(|&y| is_leap_year(y)).collect();
        assert_eq!(
            leap,
            [
                1370, 1375, 1379, 1383, 1387, 1391, 1395, 1399, 1403, 1408, 1412, 1416, 1420
            ]
        );
        assert_eq!(month_days(1403, 12), Some(30));
        assert_eq!(month_days(1404, 12), Some(29));
        assert_eq!(month_days(1404, 13), None);
    }

    #[test]
    fn names() {
        assert_eq!(j(1404, 1, 15).month_fa(), Some("فروردین"));
        assert_eq!(j(1404, 12, 1).month_en(), Some("Esfand"));
        assert_eq!(month_fa(0), None);
        assert_eq!(month_en(13), None);
        // 1404/01/01 was a Friday.
        assert_eq!(j(1404, 1, 1).weekday(), Some(Weekday::Fri));
        assert_eq!(weekday_fa(Weekday::Fri), "جمعه");
        assert_eq!(weekday_fa(Weekday::Sat), "شنبه");
        assert_eq!(weekday_fa(Weekday::Tue), "سه\u{200c}شنبه");
    }

    #[test]
    fn the_ends_of_the_range() {
        let first = j(FIRST_YEAR, 1, 1)
            .to_gregorian()
            .expect("the first day converts");
        assert_eq!(first.year(), 622);
        assert_eq!(JalaliDate::from_gregorian(first), Some(j(1, 1, 1)));
        assert_eq!(first.pred_opt().and_then(JalaliDate::from_gregorian), None);
        assert_eq!(JalaliDate::from_gregorian(g(1, 1, 1)), None);
        assert_eq!(JalaliDate::from_gregorian(g(9999, 1, 1)), None);
        assert_eq!(JalaliDate::from_gregorian(NaiveDate::MIN), None);
        assert_eq!(JalaliDate::from_gregorian(NaiveDate::MAX), None);
        let last = j(LAST_YEAR, 12, month_days(LAST_YEAR, 12).unwrap_or(29));
        let day = last.to_gregorian().expect("the last day converts");
        assert_eq!(JalaliDate::from_gregorian(day), Some(last));
        assert_eq!(day.succ_opt().and_then(JalaliDate::from_gregorian), None);
    }

    /// Every day of 1399-1410 converts there and back, in order, one day after the other.
    #[test]
    fn every_day_of_1399_to_1410() {
        let mut previous: Option<(JalaliDate, NaiveDate)> = None;
        let mut count = 0;
        for year in 1399..=1410 {
            for month in 1..=12 {
                let days = month_days(year, month).expect("a month");
                for day in 1..=days {
                    let date = j(year, month, day);
                    let gregorian = date.to_gregorian().expect("converts");
                    assert_eq!(JalaliDate::from_gregorian(gregorian), Some(date));
                    if let Some((before, before_g)) = previous {
                        assert!(before < date, "{before} < {date}");
                        assert_eq!(before_g.succ_opt(), Some(gregorian), "{date}");
                    }
                    previous = Some((date, gregorian));
                    count += 1;
                }
            }
        }
        // 12 years of which 1399, 1403 and 1408 are leap.
        assert_eq!(count, 12 * 365 + 3);
    }

    fn fixture_numbers(text: &str) -> impl Iterator<Item = Vec<i32>> + '_ {
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                l.split([' ', '-', '/'])
                    .map(|n| n.parse::<i32>().expect("a number in the fixture"))
                    .collect()
            })
    }

    /// Every seventh day from 1900-01-01 to 2100-12-31 against jdatetime (Python), an
    /// independent implementation; see the file's header for the command that made it.
    #[test]
    fn every_seventh_day_of_1900_to_2100() {
        let text = include_str!("testdata/jalali-every-7th-day.txt");
        let start = g(1900, 1, 1);
        let mut lines = 0u64;
        for (i, numbers) in fixture_numbers(text).enumerate() {
            let [jy, jm, jd] = numbers[..] else {
                panic!("line {i}: {numbers:?}");
            };
            let expected = j(jy, jm as u32, jd as u32);
            let day = start + Days::new(7 * i as u64);
            assert_eq!(JalaliDate::from_gregorian(day), Some(expected), "{day}");
            assert_eq!(expected.to_gregorian(), Some(day), "{expected}");
            lines += 1;
        }
        assert_eq!(start + Days::new(7 * (lines - 1)), g(2100, 12, 27));
    }

    /// Nowruz of 1278-1480 against the March equinox computed astronomically (convertdate,
    /// Python, with pymeeus); see the file's header for the command that made it.
    #[test]
    fn new_years_against_the_equinox() {
        let text = include_str!("testdata/jalali-nowruz.txt");
        let mut years = 0;
        for numbers in fixture_numbers(text) {
            let [jy, gy, gm, gd] = numbers[..] else {
                panic!("{numbers:?}");
            };
            let nowruz = g(gy, gm as u32, gd as u32);
            assert_eq!(j(jy, 1, 1).to_gregorian(), Some(nowruz), "{jy}");
            assert_eq!(JalaliDate::from_gregorian(nowruz), Some(j(jy, 1, 1)));
            years += 1;
        }
        assert_eq!(years, 1480 - 1278 + 1);
    }
}
