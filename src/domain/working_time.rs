//! Working time, the clock deadlines such as a complaint's "first response within 8 working
//! hours" run on: the working week an admin sets (the hours worked on each weekday), the holidays
//! when nobody works, and arithmetic in the minutes that are worked.
//!
//! Times here are local wall-clock times; the caller converts from and to the stored UTC with
//! [`super::when::to_local`] and [`super::when::to_utc`]. Durations are wall-clock too: on a day
//! the clocks change, an hour skipped or repeated inside working hours is not noticed. A day has
//! at most one stretch of working hours, to the minute, which ends by midnight at the end of the
//! day it starts.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike, Weekday};

/// Why hours given for a working week were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkingWeekError {
    /// A day's hours end at or before they start (they cannot run past midnight).
    EndNotAfterStart(Weekday),
    /// A day was given hours twice.
    DayTwice(Weekday),
    /// No day of the week has working hours.
    NoWorkingDay,
    /// A weekday number not 1 (Monday) to 7 (Sunday).
    NoSuchWeekday(i32),
    /// Minutes after midnight not 0 to 1440, or a start without an end or the other way round.
    BadMinutes(Weekday),
}

/// How many days [`Calendar::add_working_minutes`] looks through, from the start's day on, for
/// the minutes asked: four years. No real deadline is that far off; the limit is there so that a
/// huge count, or a holiday list that covers every working day, still gets an answer.
pub const HORIZON_DAYS: u64 = 4 * 365 + 1;

/// The minutes in a day: the latest a day's hours can end, midnight at the end of the day.
pub const MINUTES_PER_DAY: i32 = 24 * 60;

/// Where a weekday's hours are kept in [`WorkingWeek`].
fn slot(day: Weekday) -> usize {
    day.num_days_from_monday() as usize
}

/// The whole minutes after midnight of `time` (its seconds dropped).
fn minute_of_day(time: NaiveTime) -> i32 {
    // At most 23 * 60 + 59: the cast cannot truncate.
    (time.hour() * 60 + time.minute()) as i32
}

/// The hours worked on each weekday: at most one stretch a day, from a start up to (not
/// including) a later end the same day, both whole minutes after midnight, the end at most 1440
/// (midnight at the end of the day). At least one day of the week is worked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingWeek {
    /// (start, end) of each day's hours in minutes after midnight, Monday first; `None` on a day
    /// off.
    spans: [Option<(i32, i32)>; 7],
}

impl WorkingWeek {
    /// A week worked on the days named, each as (day, start, end) to the minute (seconds are
    /// dropped); the days not named are off. Refused when a day's end is not after its start, a
    /// day is named twice, or no day is named. A day worked until midnight needs
    /// [`WorkingWeek::from_minutes`], which can say 1440.
    pub fn new(
        hours: impl IntoIterator<Item = (Weekday, NaiveTime, NaiveTime)>,
    ) -> Result<Self, WorkingWeekError> {
        let mut spans = [None; 7];
        for (day, start, end) in hours {
            Self::put(&mut spans, day, minute_of_day(start), minute_of_day(end))?;
        }
        Self::finish(spans)
    }

    /// A week from rows of (ISO weekday, 1 Monday to 7 Sunday; start; end), the times in minutes
    /// after midnight (0 to 1440), as [`WorkingWeek::to_minutes`] gives them. A row without start
    /// and end, or a day without a row, is a day off. Refused as [`WorkingWeek::new`] refuses,
    /// and for a weekday or minute out of range or a start without an end.
    pub fn from_minutes(
        rows: &[(i32, Option<i32>, Option<i32>)],
    ) -> Result<Self, WorkingWeekError> {
        let mut spans = [None; 7];
        let mut seen = [false; 7];
        for &(number, start, end) in rows {
            let day = u8::try_from(number)
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|n| Weekday::try_from(n).ok())
                .ok_or(WorkingWeekError::NoSuchWeekday(number))?;
            if std::mem::replace(&mut seen[slot(day)], true) {
                return Err(WorkingWeekError::DayTwice(day));
            }
            match (start, end) {
                (None, None) => {}
                (Some(start), Some(end)) => Self::put(&mut spans, day, start, end)?,
                _ => return Err(WorkingWeekError::BadMinutes(day)),
            }
        }
        Self::finish(spans)
    }

    /// Checks a day's span and puts it in `spans`.
    fn put(
        spans: &mut [Option<(i32, i32)>; 7],
        day: Weekday,
        start: i32,
        end: i32,
    ) -> Result<(), WorkingWeekError> {
        let day_range = 0..=MINUTES_PER_DAY;
        if !day_range.contains(&start) || !day_range.contains(&end) {
            return Err(WorkingWeekError::BadMinutes(day));
        }
        if end <= start {
            return Err(WorkingWeekError::EndNotAfterStart(day));
        }
        let span = &mut spans[slot(day)];
        if span.is_some() {
            return Err(WorkingWeekError::DayTwice(day));
        }
        *span = Some((start, end));
        Ok(())
    }

    fn finish(spans: [Option<(i32, i32)>; 7]) -> Result<Self, WorkingWeekError> {
        if spans.iter().all(Option::is_none) {
            return Err(WorkingWeekError::NoWorkingDay);
        }
        Ok(Self { spans })
    }

    /// The usual Iranian office week: Saturday to Wednesday 08:00-16:00, Thursday 08:00-12:00,
    /// Friday off.
    pub fn iran_default() -> Self {
        let day = Some((8 * 60, 16 * 60));
        let thursday = Some((8 * 60, 12 * 60));
        // Monday first: Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday.
        Self {
            spans: [day, day, day, thursday, None, day, day],
        }
    }

    /// The hours worked on `day` as (start, end) in minutes after midnight, the end at most 1440;
    /// `None` on a day off.
    pub fn span(&self, day: Weekday) -> Option<(i32, i32)> {
        self.spans[slot(day)]
    }

    /// Every day as (ISO weekday, 1 Monday to 7 Sunday; its [`WorkingWeek::span`]), Monday
    /// first: the rows [`WorkingWeek::from_minutes`] reads back.
    pub fn to_minutes(&self) -> [(i32, Option<(i32, i32)>); 7] {
        let mut day = Weekday::Mon;
        std::array::from_fn(|_| {
            let row = (day.number_from_monday() as i32, self.span(day));
            day = day.succ();
            row
        })
    }

    /// The minutes worked on `day` (0 on a day off).
    pub fn minutes_on(&self, day: Weekday) -> i64 {
        self.span(day)
            .map_or(0, |(start, end)| i64::from(end - start))
    }

    /// The minutes worked in a week without holidays.
    pub fn minutes_per_week(&self) -> i64 {
        self.spans
            .iter()
            .flatten()
            .map(|&(start, end)| i64::from(end - start))
            .sum()
    }
}

impl Default for WorkingWeek {
    /// [`WorkingWeek::iran_default`].
    fn default() -> Self {
        Self::iran_default()
    }
}

/// A working week and the holidays (whole days off) that interrupt it: the calendar working-time
/// deadlines are counted in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    week: WorkingWeek,
    holidays: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// The calendar of `week` with `holidays` off (in any order; repeats are harmless).
    pub fn new(week: WorkingWeek, holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self {
            week,
            holidays: holidays.into_iter().collect(),
        }
    }

    /// The working week.
    pub fn week(&self) -> &WorkingWeek {
        &self.week
    }

    /// The holidays, earliest first.
    pub fn holidays(&self) -> &BTreeSet<NaiveDate> {
        &self.holidays
    }

    /// Whether `date` is one of the holidays (whatever day of the week it is).
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.contains(&date)
    }

    /// When work starts and ends on `date` (an end of 1440 minutes is the next midnight), or
    /// `None` on a holiday or a day off.
    pub fn hours_on(&self, date: NaiveDate) -> Option<(NaiveDateTime, NaiveDateTime)> {
        if self.is_holiday(date) {
            return None;
        }
        let (start, end) = self.week.span(date.weekday())?;
        let midnight = date.and_time(NaiveTime::MIN);
        let open = midnight.checked_add_signed(TimeDelta::minutes(i64::from(start)))?;
        let close = midnight
            .checked_add_signed(TimeDelta::minutes(i64::from(end)))
            .unwrap_or(NaiveDateTime::MAX);
        Some((open, close))
    }

    /// Whether `t` is in working hours: from the start of a working day's hours up to, not
    /// including, their end.
    pub fn is_working_moment(&self, t: NaiveDateTime) -> bool {
        self.hours_on(t.date())
            .is_some_and(|(open, close)| open <= t && t < close)
    }

    /// The first moment by which `minutes` of working time have passed since `start`. From a
    /// `start` outside working hours the count begins at the next working moment; a deadline that
    /// falls at the end of a day's hours is that end, not the next working day's start. Zero or a
    /// negative count gives `start` itself.
    ///
    /// The search looks through [`HORIZON_DAYS`] days from `start`'s day; when the minutes do not
    /// fit in them (a count of years of work, or holidays on every working day) the answer is the
    /// midnight that ends that search, or the last representable moment if that is past the end
    /// of the calendar.
    pub fn add_working_minutes(&self, start: NaiveDateTime, minutes: i64) -> NaiveDateTime {
        if minutes <= 0 {
            return start;
        }
        let beyond = start
            .date()
            .checked_add_days(Days::new(HORIZON_DAYS))
            .map_or(NaiveDateTime::MAX, |day| day.and_time(NaiveTime::MIN));
        let Some(mut remaining) = TimeDelta::try_minutes(minutes) else {
            return beyond;
        };
        let mut date = start.date();
        for _ in 0..HORIZON_DAYS {
            if let Some((open, close)) = self.hours_on(date) {
                let from = open.max(start);
                if from < close {
                    let available = close - from;
                    if remaining <= available {
                        return from.checked_add_signed(remaining).unwrap_or(close);
                    }
                    remaining -= available;
                }
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        beyond
    }

    /// The whole minutes of working time in `[from, to)`; when `to` is before `from`, the minutes
    /// in `[to, from)` as a negative number, so `working_minutes_between(now, deadline)` is the
    /// working time left, negative once it is over. A part of a minute is not counted, in either
    /// direction. Outside working hours the count does not move: at 18:00 a deadline of 16:00
    /// the same day is 0 minutes away, so whether a deadline has passed is `deadline <= now`.
    pub fn working_minutes_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
        if from <= to {
            self.working_time(from, to).num_minutes()
        } else {
            -self.working_time(to, from).num_minutes()
        }
    }

    /// The working time in `[from, to)`, `from` not after `to`: the partial first and last days,
    /// and the whole days between counted a week at a time, so a span of centuries costs no more
    /// than the holidays in it.
    fn working_time(&self, from: NaiveDateTime, to: NaiveDateTime) -> TimeDelta {
        let (first, last) = (from.date(), to.date());
        let mut total = self.worked_in(first, from, to);
        if first == last {
            return total;
        }
        total += self.worked_in(last, from, to);
        if let Some(next) = first.succ_opt() {
            total += self.whole_days(next, last);
        }
        total
    }

    /// The working time of `date` that falls in `[from, to)`.
    fn worked_in(&self, date: NaiveDate, from: NaiveDateTime, to: NaiveDateTime) -> TimeDelta {
        match self.hours_on(date) {
            Some((open, close)) => {
                let (start, end) = (open.max(from), close.min(to));
                if start < end {
                    end - start
                } else {
                    TimeDelta::zero()
                }
            }
            None => TimeDelta::zero(),
        }
    }

    /// The working time of the days from `first` up to, not including, `end`.
    fn whole_days(&self, first: NaiveDate, end: NaiveDate) -> TimeDelta {
        let days = (end - first).num_days();
        if days <= 0 {
            return TimeDelta::zero();
        }
        // At most 7 * 1440 minutes a week and some 27 million weeks in the calendar: no overflow.
        let mut minutes = (days / 7).saturating_mul(self.week.minutes_per_week());
        let mut day = first.weekday();
        for _ in 0..days % 7 {
            minutes = minutes.saturating_add(self.week.minutes_on(day));
            day = day.succ();
        }
        for holiday in self.holidays.range(first..end) {
            minutes = minutes.saturating_sub(self.week.minutes_on(holiday.weekday()));
        }
        TimeDelta::try_minutes(minutes).unwrap_or(TimeDelta::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::jalali::JalaliDate;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        date(y, m, d).and_hms_opt(h, min, 0).expect("a real time")
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("a real time")
    }

    /// 1 to 4 Farvardin 1405, the Nowruz holidays of 2026.
    fn nowruz_1405() -> Vec<NaiveDate> {
        (1..=4)
            .map(|day| {
                JalaliDate::new(1405, 1, day)
                    .ok()
                    .and_then(JalaliDate::to_gregorian)
                    .expect("a Jalali day")
            })
            .collect()
    }

    fn with_nowruz() -> Calendar {
        Calendar::new(WorkingWeek::iran_default(), nowruz_1405())
    }

    #[test]
    fn the_days_these_tests_rely_on() {
        let days = [
            (date(2026, 3, 7), Weekday::Sat),
            (date(2026, 3, 11), Weekday::Wed),
            (date(2026, 3, 12), Weekday::Thu),
            (date(2026, 3, 13), Weekday::Fri),
            (date(2026, 3, 14), Weekday::Sat),
            (date(2026, 3, 15), Weekday::Sun),
            (date(2026, 3, 17), Weekday::Tue),
            (date(2026, 3, 18), Weekday::Wed),
            (date(2026, 3, 19), Weekday::Thu),
            (date(2026, 3, 20), Weekday::Fri),
            (date(2026, 3, 21), Weekday::Sat),
            (date(2026, 3, 22), Weekday::Sun),
            (date(2026, 3, 24), Weekday::Tue),
            (date(2026, 3, 25), Weekday::Wed),
            (date(2026, 3, 26), Weekday::Thu),
            (date(2026, 3, 29), Weekday::Sun),
            (date(2026, 4, 11), Weekday::Sat),
        ];
        for (day, weekday) in days {
            assert_eq!(day.weekday(), weekday, "{day}");
        }
        assert_eq!(
            nowruz_1405(),
            [
                date(2026, 3, 21),
                date(2026, 3, 22),
                date(2026, 3, 23),
                date(2026, 3, 24)
            ]
        );
        // The last day of 1404 (not a leap year) is the Friday before Nowruz.
        assert_eq!(
            JalaliDate::new(1404, 12, 29)
                .ok()
                .and_then(JalaliDate::to_gregorian),
            Some(date(2026, 3, 20))
        );
    }

    #[test]
    fn the_iranian_week() {
        let week = WorkingWeek::iran_default();
        for day in [
            Weekday::Sat,
            Weekday::Sun,
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
        ] {
            assert_eq!(week.span(day), Some((480, 960)), "{day}");
            assert_eq!(week.minutes_on(day), 480, "{day}");
        }
        assert_eq!(week.span(Weekday::Thu), Some((480, 720)));
        assert_eq!(week.minutes_on(Weekday::Thu), 240);
        assert_eq!(week.span(Weekday::Fri), None);
        assert_eq!(week.minutes_on(Weekday::Fri), 0);
        assert_eq!(week.minutes_per_week(), 5 * 480 + 240);
        assert_eq!(WorkingWeek::default(), week);
        let day = (hm(8, 0), hm(16, 0));
        let built = WorkingWeek::new([
            (Weekday::Sat, day.0, day.1),
            (Weekday::Sun, day.0, day.1),
            (Weekday::Mon, day.0, day.1),
            (Weekday::Tue, day.0, day.1),
            (Weekday::Wed, day.0, day.1),
            (Weekday::Thu, hm(8, 0), hm(12, 0)),
        ]);
        assert_eq!(built, Ok(week));
    }

    #[test]
    fn invalid_weeks_are_refused() {
        assert_eq!(
            WorkingWeek::new([(Weekday::Sat, hm(8, 0), hm(8, 0))]),
            Err(WorkingWeekError::EndNotAfterStart(Weekday::Sat))
        );
        assert_eq!(
            WorkingWeek::new([
                (Weekday::Sat, hm(8, 0), hm(16, 0)),
                (Weekday::Sun, hm(16, 0), hm(8, 0)),
            ]),
            Err(WorkingWeekError::EndNotAfterStart(Weekday::Sun))
        );
        assert_eq!(
            WorkingWeek::new([
                (Weekday::Mon, hm(8, 0), hm(16, 0)),
                (Weekday::Mon, hm(17, 0), hm(18, 0)),
            ]),
            Err(WorkingWeekError::DayTwice(Weekday::Mon))
        );
        assert_eq!(WorkingWeek::new([]), Err(WorkingWeekError::NoWorkingDay));
    }

    #[test]
    fn a_week_of_another_shape() {
        // Monday to Friday 09:00-17:30, and a week worked on Sundays only.
        let weekdays = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ];
        let week = WorkingWeek::new(weekdays.map(|day| (day, hm(9, 0), hm(17, 30))))
            .expect("a valid week");
        assert_eq!(week.minutes_on(Weekday::Fri), 510);
        assert_eq!(week.minutes_on(Weekday::Sat), 0);
        assert_eq!(week.minutes_per_week(), 5 * 510);
        let calendar = Calendar::new(week, []);
        // Friday 2026-03-13 17:00 plus an hour: half an hour on Friday, half on Monday.
        assert_eq!(
            calendar.add_working_minutes(at(2026, 3, 13, 17, 0), 60),
            at(2026, 3, 16, 9, 30)
        );
        assert_eq!(
            calendar.working_minutes_between(at(2026, 3, 13, 17, 0), at(2026, 3, 16, 9, 30)),
            60
        );

        let sundays = WorkingWeek::new([(Weekday::Sun, hm(10, 0), hm(11, 0))]).expect("valid");
        let calendar = Calendar::new(sundays, [date(2026, 3, 15)]);
        // From Monday 2026-03-09, 90 minutes: Sunday the 15th is a holiday, so the 22nd and
        // the 29th.
        assert_eq!(
            calendar.add_working_minutes(at(2026, 3, 9, 12, 0), 90),
            at(2026, 3, 29, 10, 30)
        );
    }

    #[test]
    fn working_moments() {
        let calendar = with_nowruz();
        let cases = [
            (at(2026, 3, 14, 8, 0), true),
            (at(2026, 3, 14, 15, 59), true),
            (at(2026, 3, 14, 16, 0), false),
            (at(2026, 3, 14, 7, 59), false),
            (at(2026, 3, 12, 11, 59), true),
            (at(2026, 3, 12, 12, 0), false),
            // A Friday, and a Saturday that is Nowruz.
            (at(2026, 3, 13, 10, 0), false),
            (at(2026, 3, 21, 10, 0), false),
            (at(2026, 3, 25, 10, 0), true),
        ];
        for (t, working) in cases {
            assert_eq!(calendar.is_working_moment(t), working, "{t}");
        }
        assert!(calendar.is_holiday(date(2026, 3, 24)));
        assert!(!calendar.is_holiday(date(2026, 3, 25)));
        assert_eq!(calendar.hours_on(date(2026, 3, 22)), None);
        assert_eq!(calendar.hours_on(date(2026, 3, 20)), None);
        assert_eq!(
            calendar.hours_on(date(2026, 3, 19)),
            Some((at(2026, 3, 19, 8, 0), at(2026, 3, 19, 12, 0)))
        );
    }

    #[test]
    fn a_wednesday_afternoon_before_the_holidays() {
        let calendar = with_nowruz();
        let received = at(2026, 3, 18, 15, 0);
        // The hour left on Wednesday ends at closing time.
        assert_eq!(
            calendar.add_working_minutes(received, 60),
            at(2026, 3, 18, 16, 0)
        );
        assert_eq!(
            calendar.add_working_minutes(received, 61),
            at(2026, 3, 19, 8, 1)
        );
        // 8 hours: 1 on Wednesday, 4 on Thursday, Friday off, Nowruz Saturday to Tuesday, 3 on
        // the next Wednesday.
        assert_eq!(
            calendar.add_working_minutes(received, 8 * 60),
            at(2026, 3, 25, 11, 0)
        );
        // 16 hours: 1 + 4, then all 8 of the next Wednesday, then 3 on Thursday.
        assert_eq!(
            calendar.add_working_minutes(received, 16 * 60),
            at(2026, 3, 26, 11, 0)
        );
    }

    #[test]
    fn a_thursday_half_day_and_a_friday() {
        let calendar = with_nowruz();
        let received = at(2026, 3, 12, 10, 0);
        // 5 hours: 2 on Thursday until noon, Friday off, 3 on Saturday.
        assert_eq!(
            calendar.add_working_minutes(received, 5 * 60),
            at(2026, 3, 14, 11, 0)
        );
        // 2 hours end at Thursday's noon closing.
        assert_eq!(
            calendar.add_working_minutes(received, 2 * 60),
            at(2026, 3, 12, 12, 0)
        );
        assert_eq!(
            calendar.add_working_minutes(received, 2 * 60 + 1),
            at(2026, 3, 14, 8, 1)
        );
    }

    #[test]
    fn across_nowruz() {
        let calendar = with_nowruz();
        // 24 hours from Thursday 2026-03-19 09:00: 3 on Thursday, Friday off, Nowruz, 8 on
        // Wednesday the 25th, 4 on Thursday, Friday off, 8 on Saturday the 28th, 1 on Sunday.
        assert_eq!(
            calendar.add_working_minutes(at(2026, 3, 19, 9, 0), 24 * 60),
            at(2026, 3, 29, 9, 0)
        );
        // 24 hours from Tuesday 2026-03-17 10:00: 6 + 8 + 4, then 6 on Wednesday the 25th.
        assert_eq!(
            calendar.add_working_minutes(at(2026, 3, 17, 10, 0), 24 * 60),
            at(2026, 3, 25, 14, 0)
        );
        // Without the holidays the same 24 hours end on Sunday the 22nd: 6 + 8 + 4 + 6.
        let plain = Calendar::new(WorkingWeek::iran_default(), []);
        assert_eq!(
            plain.add_working_minutes(at(2026, 3, 17, 10, 0), 24 * 60),
            at(2026, 3, 21, 14, 0)
        );
    }

    #[test]
    fn received_outside_working_hours() {
        let calendar = with_nowruz();
        let cases = [
            // Before opening, after closing, late at night, on a Thursday afternoon.
            (at(2026, 3, 14, 6, 30), 30, at(2026, 3, 14, 8, 30)),
            (at(2026, 3, 14, 17, 0), 30, at(2026, 3, 15, 8, 30)),
            (at(2026, 3, 18, 23, 30), 30, at(2026, 3, 19, 8, 30)),
            (at(2026, 3, 12, 13, 0), 30, at(2026, 3, 14, 8, 30)),
            // On a Friday, and on the Friday before Nowruz.
            (at(2026, 3, 13, 10, 0), 30, at(2026, 3, 14, 8, 30)),
            (at(2026, 3, 20, 10, 0), 60, at(2026, 3, 25, 9, 0)),
            // On a holiday.
            (at(2026, 3, 22, 10, 0), 60, at(2026, 3, 25, 9, 0)),
            (at(2026, 3, 24, 15, 0), 8 * 60, at(2026, 3, 25, 16, 0)),
        ];
        for (received, minutes, deadline) in cases {
            assert_eq!(
                calendar.add_working_minutes(received, minutes),
                deadline,
                "{received} + {minutes}"
            );
        }
    }

    #[test]
    fn zero_or_negative_minutes_leave_the_start() {
        let calendar = with_nowruz();
        for start in [
            at(2026, 3, 14, 10, 0),
            at(2026, 3, 14, 16, 0),
            at(2026, 3, 13, 10, 0),
            at(2026, 3, 22, 10, 0),
        ] {
            assert_eq!(calendar.add_working_minutes(start, 0), start);
            assert_eq!(calendar.add_working_minutes(start, -60), start);
            assert_eq!(calendar.add_working_minutes(start, i64::MIN), start);
        }
    }

    #[test]
    fn a_deadline_at_closing_time_stays_there() {
        let calendar = with_nowruz();
        assert_eq!(
            calendar.add_working_minutes(at(2026, 3, 14, 8, 0), 8 * 60),
            at(2026, 3, 14, 16, 0)
        );
        assert_eq!(
            calendar.add_working_minutes(at(2026, 3, 14, 12, 0), 4 * 60),
            at(2026, 3, 14, 16, 0)
        );
        // From before opening, a whole day's minutes end at that day's closing.
        assert_eq!(
            calendar.add_working_minutes(at(2026, 3, 14, 7, 0), 8 * 60),
            at(2026, 3, 14, 16, 0)
        );
        // From closing time itself the count starts the next working morning.
        assert_eq!(
            calendar.add_working_minutes(at(2026, 3, 14, 16, 0), 1),
            at(2026, 3, 15, 8, 1)
        );
        assert_eq!(
            calendar.add_working_minutes(at(2026, 3, 14, 16, 0), 8 * 60),
            at(2026, 3, 15, 16, 0)
        );
    }

    #[test]
    fn minutes_between_both_ways() {
        let calendar = with_nowruz();
        let between = |a, b| calendar.working_minutes_between(a, b);
        let (ten, half_past_eleven) = (at(2026, 3, 14, 10, 0), at(2026, 3, 14, 11, 30));
        assert_eq!(between(ten, half_past_eleven), 90);
        assert_eq!(between(half_past_eleven, ten), -90);
        assert_eq!(between(ten, ten), 0);
        // Across closing time: 10:00 to 16:00 on Saturday and 08:00 to 09:00 on Sunday.
        assert_eq!(between(ten, at(2026, 3, 15, 9, 0)), 7 * 60);
        assert_eq!(between(at(2026, 3, 15, 9, 0), ten), -7 * 60);
        // Nothing is worked on a Friday, or after closing.
        assert_eq!(between(at(2026, 3, 13, 10, 0), at(2026, 3, 13, 20, 0)), 0);
        assert_eq!(between(at(2026, 3, 13, 20, 0), at(2026, 3, 13, 10, 0)), 0);
        assert_eq!(between(at(2026, 3, 14, 18, 0), at(2026, 3, 14, 16, 0)), 0);
        // A part of a minute is not counted, either way.
        let later = ten + TimeDelta::seconds(59);
        assert_eq!(between(ten, later), 0);
        assert_eq!(between(later, ten), 0);
        assert_eq!(between(ten, ten + TimeDelta::seconds(61)), 1);
        assert_eq!(between(ten + TimeDelta::seconds(61), ten), -1);
    }

    #[test]
    fn minutes_between_across_a_weekend() {
        let calendar = with_nowruz();
        let between = |a, b| calendar.working_minutes_between(a, b);
        // Thursday 10:00 to Saturday 10:00: 2 hours on Thursday, 2 on Saturday.
        let (thursday, saturday) = (at(2026, 3, 12, 10, 0), at(2026, 3, 14, 10, 0));
        assert_eq!(between(thursday, saturday), 240);
        assert_eq!(between(saturday, thursday), -240);
        // Wednesday 14:00 to Saturday 09:00: 2 + 4 + 1 hours.
        assert_eq!(between(at(2026, 3, 11, 14, 0), at(2026, 3, 14, 9, 0)), 420);
        // A whole week, midnight Saturday to midnight Saturday.
        assert_eq!(
            between(at(2026, 3, 7, 0, 0), at(2026, 3, 14, 0, 0)),
            calendar.week().minutes_per_week()
        );
    }

    #[test]
    fn minutes_between_across_nowruz() {
        let calendar = with_nowruz();
        let between = |a, b| calendar.working_minutes_between(a, b);
        let (received, deadline) = (at(2026, 3, 18, 15, 0), at(2026, 3, 25, 11, 0));
        assert_eq!(between(received, deadline), 60 + 240 + 180);
        assert_eq!(between(deadline, received), -(60 + 240 + 180));
        // Four weeks from Saturday 2026-03-14, less the four Nowruz days (Saturday to Tuesday).
        assert_eq!(
            between(at(2026, 3, 14, 0, 0), at(2026, 4, 11, 0, 0)),
            4 * 2640 - 4 * 480
        );
        // A holiday on a Friday takes nothing away.
        let with_friday = Calendar::new(WorkingWeek::iran_default(), [date(2026, 3, 20)]);
        assert_eq!(
            with_friday.working_minutes_between(at(2026, 3, 14, 0, 0), at(2026, 3, 21, 0, 0)),
            2640
        );
    }

    #[test]
    fn adding_and_counting_agree() {
        let calendar = with_nowruz();
        // Minute by minute over three weeks around Nowruz, the count is the working minutes seen.
        let first = at(2026, 3, 10, 0, 0);
        let mut seen = 0;
        let mut t = first;
        while t < at(2026, 4, 1, 0, 0) {
            assert_eq!(calendar.working_minutes_between(first, t), seen, "{t}");
            if calendar.is_working_moment(t) {
                seen += 1;
            }
            t += TimeDelta::minutes(1);
        }
        // Deadlines from starts all over the clock: exactly the minutes asked have passed, and
        // the minute before the deadline is a working one (it is the first moment, not a later).
        let mut start = first;
        while start < at(2026, 3, 31, 0, 0) {
            for minutes in [1, 30, 239, 240, 241, 479, 480, 481, 1000, 2640, 5000] {
                let deadline = calendar.add_working_minutes(start, minutes);
                assert_eq!(
                    calendar.working_minutes_between(start, deadline),
                    minutes,
                    "{start} + {minutes}"
                );
                assert!(
                    calendar.is_working_moment(deadline - TimeDelta::minutes(1)),
                    "{start} + {minutes}"
                );
            }
            start += TimeDelta::minutes(37);
        }
    }

    #[test]
    fn every_search_ends() {
        let start = at(2026, 3, 14, 10, 0);
        let horizon = date(2026, 3, 14)
            .checked_add_days(Days::new(HORIZON_DAYS))
            .expect("a date")
            .and_time(NaiveTime::MIN);
        // Holidays on every day of more than the horizon: no working time at all.
        let every_day = date(2026, 3, 14)
            .iter_days()
            .take(HORIZON_DAYS as usize + 10);
        let closed = Calendar::new(WorkingWeek::iran_default(), every_day);
        assert_eq!(closed.add_working_minutes(start, 1), horizon);
        let calendar = with_nowruz();
        assert_eq!(calendar.add_working_minutes(start, i64::MAX), horizon);
        // Ten years of working minutes are past the horizon.
        assert_eq!(calendar.add_working_minutes(start, 10 * 52 * 2640), horizon);
        // At the ends of the calendar nothing overflows.
        assert_eq!(
            calendar.add_working_minutes(NaiveDateTime::MAX, 60),
            NaiveDateTime::MAX
        );
        let everything = calendar.working_minutes_between(NaiveDateTime::MIN, NaiveDateTime::MAX);
        assert!(everything > 0);
        assert_eq!(
            calendar.working_minutes_between(NaiveDateTime::MAX, NaiveDateTime::MIN),
            -everything
        );
    }

    #[test]
    fn weeks_in_minutes() {
        let week = WorkingWeek::iran_default();
        let rows = week.to_minutes();
        assert_eq!(
            rows,
            [
                (1, Some((480, 960))),
                (2, Some((480, 960))),
                (3, Some((480, 960))),
                (4, Some((480, 720))),
                (5, None),
                (6, Some((480, 960))),
                (7, Some((480, 960))),
            ]
        );
        let stored: Vec<(i32, Option<i32>, Option<i32>)> = rows
            .iter()
            .map(|&(day, span)| (day, span.map(|s| s.0), span.map(|s| s.1)))
            .collect();
        assert_eq!(WorkingWeek::from_minutes(&stored), Ok(week));
        // Missing days are days off; the end of the day is 1440.
        assert_eq!(
            WorkingWeek::from_minutes(&[(7, Some(0), Some(1440))]).map(|w| w.minutes_per_week()),
            Ok(1440)
        );
        let refused = [
            (
                vec![(0, Some(480), Some(960))],
                WorkingWeekError::NoSuchWeekday(0),
            ),
            (
                vec![(8, Some(480), Some(960))],
                WorkingWeekError::NoSuchWeekday(8),
            ),
            (
                vec![(6, Some(-1), Some(960))],
                WorkingWeekError::BadMinutes(Weekday::Sat),
            ),
            (
                vec![(6, Some(480), Some(1441))],
                WorkingWeekError::BadMinutes(Weekday::Sat),
            ),
            (
                vec![(6, Some(480), None)],
                WorkingWeekError::BadMinutes(Weekday::Sat),
            ),
            (
                vec![(6, Some(960), Some(480))],
                WorkingWeekError::EndNotAfterStart(Weekday::Sat),
            ),
            (
                vec![(6, Some(480), Some(960)), (6, None, None)],
                WorkingWeekError::DayTwice(Weekday::Sat),
            ),
            (vec![(5, None, None)], WorkingWeekError::NoWorkingDay),
            (vec![], WorkingWeekError::NoWorkingDay),
        ];
        for (rows, error) in refused {
            assert_eq!(WorkingWeek::from_minutes(&rows), Err(error), "{rows:?}");
        }
        // Seconds are dropped.
        let odd = WorkingWeek::new([(
            Weekday::Mon,
            NaiveTime::from_hms_opt(9, 0, 59).expect("a time"),
            hm(9, 30),
        )]);
        assert_eq!(odd.map(|w| w.minutes_on(Weekday::Mon)), Ok(30));
    }

    #[test]
    fn a_day_worked_until_midnight() {
        // Saturday 2026-03-14 worked 22:00-24:00, Sunday 00:00-02:00.
        let week =
            WorkingWeek::from_minutes(&[(6, Some(1320), Some(1440)), (7, Some(0), Some(120))])
                .expect("a valid week");
        let calendar = Calendar::new(week, []);
        assert_eq!(
            calendar.hours_on(date(2026, 3, 14)),
            Some((at(2026, 3, 14, 22, 0), at(2026, 3, 15, 0, 0)))
        );
        assert!(calendar.is_working_moment(at(2026, 3, 14, 23, 59)));
        assert!(calendar.is_working_moment(at(2026, 3, 15, 0, 0)));
        assert!(!calendar.is_working_moment(at(2026, 3, 15, 2, 0)));
        assert_eq!(
            calendar.add_working_minutes(at(2026, 3, 14, 23, 0), 60),
            at(2026, 3, 15, 0, 0)
        );
        assert_eq!(
            calendar.add_working_minutes(at(2026, 3, 14, 23, 0), 90),
            at(2026, 3, 15, 0, 30)
        );
        assert_eq!(
            calendar.working_minutes_between(at(2026, 3, 14, 12, 0), at(2026, 3, 15, 12, 0)),
            240
        );
        assert_eq!(
            calendar.working_minutes_between(at(2026, 3, 15, 1, 0), at(2026, 3, 14, 23, 30)),
            -90
        );
    }
}
