//! `peygir sla …` and `peygir holiday …`: the complaints' service levels (working hours to the
//! first response and to the resolution of each severity), the working week they are counted in,
//! and the holidays they skip. Anyone may list them; changing them is an admin's work (and
//! audited by the store).
//!
//! A holiday's date is read in either calendar whatever the one in force: a year before 1700 is
//! Jalali (`1405/01/01`), a later one Gregorian (`2026-03-21`), in any digit script.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, Weekday};
use clap::{Subcommand, ValueEnum};

use super::common::{Outcome, failed, print_out, refused};
use super::exit;
use crate::db::Db;
use crate::domain::jalali::{self, JalaliDate};
use crate::domain::locale::{self, Calendar};
use crate::domain::text;
use crate::domain::when::{self, WhenError};
use crate::domain::working_time::{MINUTES_PER_DAY, WorkingWeek, WorkingWeekError};
use crate::error::FieldError;
use crate::store::sla::{self, HolidayErrors, NewHoliday, Severity, SlaPolicy};
use crate::store::{Actor, Role};
use crate::t;

/// How a list is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum SlaCommand {
    /// Each severity's working hours to first response and to resolution, and the working week
    List {
        /// table or json
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Set a severity's working hours to first response and to resolution (admin)
    Set {
        /// low, medium, high or critical (or its name in either language)
        severity: String,
        /// Working hours until the first response is due
        #[arg(long, value_name = "HOURS", allow_hyphen_values = true)]
        response: String,
        /// Working hours until the resolution is due (no fewer than to the first response)
        #[arg(long, value_name = "HOURS", allow_hyphen_values = true)]
        resolution: String,
    },
    /// The working week the hours are counted in; `set` changes one day
    Week {
        #[command(subcommand)]
        command: Option<WeekCommand>,
        /// table or json
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum WeekCommand {
    /// Set one day's working hours, or make it a day off (admin); shows the week after
    Set {
        /// sat, sun, mon, tue, wed, thu or fri, or the day's name (Saturday, شنبه, …)
        day: String,
        /// HH:MM-HH:MM (24:00 for midnight), or off
        hours: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum HolidayCommand {
    /// The holidays in date order
    List {
        /// Only this year's (a Jalali year when the calendar is Jalali)
        #[arg(long)]
        year: Option<String>,
        /// table or json
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Make a day a holiday (admin)
    Add {
        /// The day: 1405/01/01 (Jalali, a year before 1700) or 2026-03-21 (Gregorian)
        date: String,
        /// What the holiday is called
        name: String,
    },
    /// Make a holiday a working day again (admin)
    Remove {
        /// The day: 1405/01/01 (Jalali, a year before 1700) or 2026-03-21 (Gregorian)
        date: String,
    },
    /// Add the holidays of a CSV file with the header date,name (admin); nothing is added if any row is bad
    Import {
        /// A UTF-8 CSV file: a header row date,name, then one holiday a row, dates in either calendar
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Check every row and report, but write nothing
        #[arg(long)]
        dry_run: bool,
    },
}

/// The most rows `holiday import` takes from one file.
pub const MAX_IMPORT_ROWS: usize = 5_000;

/// The days of the week as the Iranian week runs, Saturday first.
const WEEK: [Weekday; 7] = [
    Weekday::Sat,
    Weekday::Sun,
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

pub fn run(db: &mut Db, actor: &Actor, command: &SlaCommand) -> Outcome {
    match command {
        SlaCommand::List { format } => list(db, *format),
        SlaCommand::Set {
            severity,
            response,
            resolution,
        } => set(db, actor, severity, response, resolution),
        SlaCommand::Week {
            command: None,
            format,
        } => {
            let week = sla::week(db).map_err(failed)?;
            print_out(&match format {
                Format::Table => week_table(&week),
                Format::Json => json(&week_json(&week))?,
            });
            Ok(())
        }
        SlaCommand::Week {
            command: Some(WeekCommand::Set { day, hours }),
            format,
        } => set_day(db, actor, day, hours, *format),
    }
}

pub fn run_holiday(db: &mut Db, actor: &Actor, command: &HolidayCommand) -> Outcome {
    match command {
        HolidayCommand::List { year, format } => list_holidays(db, year.as_deref(), *format),
        HolidayCommand::Add { date, name } => add_holiday(db, actor, date, name),
        HolidayCommand::Remove { date } => remove_holiday(db, actor, date),
        HolidayCommand::Import { file, dry_run } => import(db, actor, file, *dry_run),
    }
}

/// Refuses the work unless the actor is an admin, before anything is read.
fn admin_only(actor: &Actor) -> Outcome {
    actor
        .require(Role::Admin, &t!("forbidden.edit-sla"))
        .map_err(failed)
}

fn json(value: &serde_json::Value) -> Outcome<String> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| refused(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// A severity's name in the user's language.
fn severity_name(severity: Severity) -> String {
    crate::i18n::tr(severity.message_key()).to_string()
}

/// A policy's severity's name in the user's language, or its code if it is not one we know.
fn policy_name(policy: &SlaPolicy) -> String {
    Severity::parse(&policy.severity).map_or_else(|| policy.severity.clone(), severity_name)
}

fn list(db: &mut Db, format: Format) -> Outcome {
    let policies = sla::policies(db).map_err(failed)?;
    let week = sla::week(db).map_err(failed)?;
    let text = match format {
        Format::Table => {
            let headers = [
                t!("sla.col.severity"),
                t!("sla.col.response"),
                t!("sla.col.resolution"),
            ];
            let rows: Vec<Vec<String>> = policies
                .iter()
                .map(|p| {
                    vec![
                        policy_name(p),
                        locale::number(p.response_hours),
                        locale::number(p.resolution_hours),
                    ]
                })
                .collect();
            format!(
                "{}\n{}\n{}",
                super::common::table(&headers, &rows, &[1, 2]),
                t!("sla.week-heading"),
                week_table(&week)
            )
        }
        Format::Json => json(&serde_json::json!({
            "policies": policies
                .iter()
                .map(|p| serde_json::json!({
                    "severity": p.severity,
                    "response_hours": p.response_hours,
                    "resolution_hours": p.resolution_hours,
                }))
                .collect::<Vec<_>>(),
            "week": week_json(&week),
        }))?,
    };
    print_out(&text);
    Ok(())
}

/// Hours typed for `field` (a catalog key), in any digit script; what is not a whole number is
/// refused with the store's message for the field.
fn hours(typed: &str, field: &'static str) -> Outcome<i64> {
    text::ascii_digits(typed.trim())
        .parse::<i64>()
        .map_err(|_| {
            refused(
                FieldError {
                    field,
                    reason: t!("invalid.hours", max = sla::MAX_HOURS),
                }
                .to_string(),
            )
        })
}

fn set(db: &mut Db, actor: &Actor, severity: &str, response: &str, resolution: &str) -> Outcome {
    admin_only(actor)?;
    let Some(level) = Severity::parse(severity) else {
        let choices: Vec<&str> = Severity::ALL.iter().map(|s| s.as_str()).collect();
        return Err(refused(t!(
            "cli.no-entry",
            flag = "SEVERITY",
            value = severity,
            choices = choices.join(", ")
        )));
    };
    let response = hours(response, "field.response-hours")?;
    let resolution = hours(resolution, "field.resolution-hours")?;
    let policy = sla::set_policy(db, actor, level, response, resolution).map_err(failed)?;
    print_out(&format!(
        "{}\n",
        t!(
            "sla.policy-set",
            severity = severity_name(level),
            response = locale::number(policy.response_hours),
            resolution = locale::number(policy.resolution_hours)
        )
    ));
    Ok(())
}

/// The stable code of a weekday in scripts and on the command line.
fn day_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
    }
}

/// The catalog key of a weekday's name.
fn day_key(day: Weekday) -> &'static str {
    match day {
        Weekday::Sat => "sla.day.sat",
        Weekday::Sun => "sla.day.sun",
        Weekday::Mon => "sla.day.mon",
        Weekday::Tue => "sla.day.tue",
        Weekday::Wed => "sla.day.wed",
        Weekday::Thu => "sla.day.thu",
        Weekday::Fri => "sla.day.fri",
    }
}

/// A weekday's name in the user's language.
fn day_name(day: Weekday) -> String {
    crate::i18n::tr(day_key(day)).to_string()
}

/// Text compared without letter case, digit script, Arabic letter forms or spaces and ZWNJ
/// (`سه‌شنبه`, `سه شنبه` and `سهشنبه` are one).
fn loose(text: &str) -> String {
    text::search_key(text).replace(' ', "")
}

/// The weekday typed: its code, its English name or its Persian name.
fn parse_day(typed: &str) -> Option<Weekday> {
    let key = loose(typed);
    WEEK.into_iter().find(|&day| {
        let names = [
            day_code(day),
            crate::i18n::tr_in(crate::i18n::Lang::En, day_key(day)),
            crate::i18n::tr_in(crate::i18n::Lang::Fa, day_key(day)),
            jalali::weekday_fa(day),
        ];
        names.iter().any(|name| loose(name) == key)
    })
}

/// `H:MM` or `HH:MM` as minutes after midnight, `24:00` the midnight that ends the day.
fn clock(text: &str) -> Option<i32> {
    let (h, m) = text.trim().split_once(':')?;
    let two = |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !two(h) || m.len() != 2 || !two(m) {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    let minutes = h * 60 + m;
    (m < 60 && minutes <= MINUTES_PER_DAY).then_some(minutes)
}

/// A day's hours typed: `HH:MM-HH:MM` as (start, end) in minutes, or `off` (or `تعطیل`) as
/// `None`; `Err` when neither.
fn parse_span(typed: &str) -> Result<Option<(i32, i32)>, ()> {
    let off = [
        "off",
        "closed",
        "تعطیل",
        crate::i18n::tr_in(crate::i18n::Lang::En, "sla.day-off"),
        crate::i18n::tr_in(crate::i18n::Lang::Fa, "sla.day-off"),
    ];
    if off.iter().any(|word| loose(word) == loose(typed)) {
        return Ok(None);
    }
    let normal = text::ascii_digits(typed.trim());
    let (start, end) = normal.split_once(['-', '–']).ok_or(())?;
    match (clock(start), clock(end)) {
        (Some(start), Some(end)) => Ok(Some((start, end))),
        _ => Err(()),
    }
}

/// Minutes after midnight as `HH:MM` in the user's digits.
fn hhmm(minutes: i32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A day's hours for people: `08:00-16:00` in the user's digits, or the word for a day off.
fn span_text(span: Option<(i32, i32)>) -> String {
    match span {
        Some((start, end)) => locale::number(format!("{}-{}", hhmm(start), hhmm(end))),
        None => t!("sla.day-off"),
    }
}

fn week_table(week: &WorkingWeek) -> String {
    let headers = [t!("sla.col.day"), t!("sla.col.hours")];
    let rows: Vec<Vec<String>> = WEEK
        .iter()
        .map(|&day| vec![day_name(day), span_text(week.span(day))])
        .collect();
    super::common::table(&headers, &rows, &[])
}

fn week_json(week: &WorkingWeek) -> serde_json::Value {
    WEEK.iter()
        .map(|&day| {
            let span = week.span(day);
            serde_json::json!({
                "day": day_code(day),
                "opens": span.map(|(start, _)| hhmm(start)),
                "closes": span.map(|(_, end)| hhmm(end)),
            })
        })
        .collect()
}

fn set_day(db: &mut Db, actor: &Actor, day: &str, hours: &str, format: Format) -> Outcome {
    admin_only(actor)?;
    let Some(weekday) = parse_day(day) else {
        let choices: Vec<&str> = WEEK.iter().map(|&d| day_code(d)).collect();
        return Err(refused(t!(
            "cli.no-entry",
            flag = "DAY",
            value = day,
            choices = choices.join(", ")
        )));
    };
    let span = parse_span(hours).map_err(|()| refused(t!("sla.bad-hours", value = hours)))?;
    let old = sla::week(db).map_err(failed)?;
    let rows: Vec<(i32, Option<i32>, Option<i32>)> = old
        .to_minutes()
        .into_iter()
        .map(|(number, current)| {
            let span = if number == weekday.number_from_monday() as i32 {
                span
            } else {
                current
            };
            (number, span.map(|s| s.0), span.map(|s| s.1))
        })
        .collect();
    let new = WorkingWeek::from_minutes(&rows).map_err(|e| match e {
        WorkingWeekError::NoWorkingDay => refused(
            FieldError {
                field: "field.working-week",
                reason: t!("invalid.working-week"),
            }
            .to_string(),
        ),
        WorkingWeekError::EndNotAfterStart(_) => refused(t!("sla.end-before-start", value = hours)),
        _ => refused(t!("sla.bad-hours", value = hours)),
    })?;
    sla::set_week(db, actor, &new).map_err(failed)?;
    let week = sla::week(db).map_err(failed)?;
    let text = match format {
        Format::Table => format!(
            "{}\n{}",
            t!(
                "sla.week-set",
                day = day_name(weekday),
                hours = span_text(week.span(weekday))
            ),
            week_table(&week)
        ),
        Format::Json => json(&week_json(&week))?,
    };
    print_out(&text);
    Ok(())
}

/// A holiday's date typed, in either calendar (see the module's note), or why it is not one.
fn holiday_date(typed: &str) -> Result<NaiveDate, String> {
    let trimmed = typed.trim();
    let reason = |e: WhenError| {
        let why = match e {
            WhenError::NoSuchDate => t!("cli.when-no-such-date"),
            WhenError::Unrecognised | WhenError::NoSuchTime => t!("cli.when-unrecognised"),
        };
        t!("holiday.bad-date", value = trimmed, reason = why)
    };
    let today = super::common::to_local(crate::store::now()).date();
    when::parse_written_date(trimmed, today).map_err(reason)
}

/// A holiday's date typed as the argument `flag`.
fn date_arg(typed: &str, flag: &str) -> Outcome<NaiveDate> {
    holiday_date(typed)
        .map_err(|reason| refused(t!("error.invalid", field = flag, reason = reason)))
}

/// The first and last day of `year` in the calendar in force.
fn year_range(typed: &str) -> Outcome<(NaiveDate, NaiveDate)> {
    let bad = || refused(t!("holiday.bad-year", value = typed));
    let year: i32 = text::ascii_digits(typed.trim())
        .parse()
        .map_err(|_| bad())?;
    let range = match locale::calendar() {
        Calendar::Jalali => {
            let first = |y: i32| {
                JalaliDate::new(y, 1, 1)
                    .ok()
                    .and_then(JalaliDate::to_gregorian)
            };
            first(year).zip(
                year.checked_add(1)
                    .and_then(first)
                    .and_then(|d| d.pred_opt()),
            )
        }
        Calendar::Gregorian => {
            NaiveDate::from_ymd_opt(year, 1, 1).zip(NaiveDate::from_ymd_opt(year, 12, 31))
        }
    };
    range.ok_or_else(bad)
}

fn list_holidays(db: &mut Db, year: Option<&str>, format: Format) -> Outcome {
    let holidays = match year {
        Some(typed) => {
            let (from, until) = year_range(typed)?;
            sla::holidays(db, from, until)
        }
        None => sla::all_holidays(db),
    }
    .map_err(failed)?;
    let text = match format {
        Format::Table if holidays.is_empty() => format!("{}\n", t!("holiday.none")),
        Format::Table => {
            let headers = [
                t!("holiday.col.date"),
                t!("holiday.col.weekday"),
                t!("holiday.col.name"),
            ];
            let rows: Vec<Vec<String>> = holidays
                .iter()
                .map(|h| {
                    vec![
                        locale::date(h.day),
                        day_name(h.day.weekday()),
                        h.name.clone(),
                    ]
                })
                .collect();
            super::common::table(&headers, &rows, &[])
        }
        Format::Json => json(
            &holidays
                .iter()
                .map(|h| {
                    serde_json::json!({
                        "date": h.day.format("%Y-%m-%d").to_string(),
                        "name": h.name,
                    })
                })
                .collect(),
        )?,
    };
    print_out(&text);
    Ok(())
}

fn add_holiday(db: &mut Db, actor: &Actor, date: &str, name: &str) -> Outcome {
    admin_only(actor)?;
    let day = date_arg(date, "DATE")?;
    let added = sla::add_holidays(
        db,
        actor,
        vec![NewHoliday {
            day,
            name: name.to_string(),
        }],
    );
    match added {
        Ok(added) => {
            let name = added.first().map_or(name, |h| h.name.as_str());
            print_out(&format!(
                "{}\n",
                t!("holiday.added", date = locale::date(day), name = name)
            ));
            Ok(())
        }
        Err(HolidayErrors::Store(e)) => Err(failed(e)),
        Err(HolidayErrors::Rows(errors)) => {
            let problems: Vec<String> = errors.iter().map(|(_, e)| e.to_string()).collect();
            Err(refused(format!(
                "{}: {}",
                locale::date(day),
                problems.join("; ")
            )))
        }
    }
}

fn remove_holiday(db: &mut Db, actor: &Actor, date: &str) -> Outcome {
    admin_only(actor)?;
    let day = date_arg(date, "DATE")?;
    if sla::remove_holiday(db, actor, day).map_err(failed)? {
        print_out(&format!(
            "{}\n",
            t!("holiday.removed", date = locale::date(day))
        ));
        Ok(())
    } else {
        Err(refused(t!("holiday.not-found", date = locale::date(day))))
    }
}

/// A problem with one line of an imported file.
struct LineProblem {
    line: u64,
    problem: String,
}

impl LineProblem {
    fn new(line: u64, problem: impl Into<String>) -> Self {
        Self {
            line,
            problem: problem.into(),
        }
    }

    fn field(line: u64, field: &'static str, reason: String) -> Self {
        Self::new(line, FieldError { field, reason }.to_string())
    }
}

/// What a holiday file holds: each good row's holiday with its line, and every problem.
#[derive(Default)]
struct Read {
    rows: usize,
    holidays: Vec<(u64, NewHoliday)>,
    /// The line and day of every row whose date was read (the first of a day given twice).
    dated: Vec<(u64, NaiveDate)>,
    problems: Vec<LineProblem>,
}

/// Reads a holiday file's `bytes`: the header (the columns `date` and `name`, in any order),
/// then each row, checked on its own and against the rows before it.
fn read_holidays(bytes: &[u8]) -> Read {
    let mut read = Read::default();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64
            + 1;
        read.problems.push(LineProblem::new(
            line,
            t!("exchange.invalid.not-utf8", byte = e.valid_up_to() + 1),
        ));
        return read;
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(e)) => {
            read.problems.push(LineProblem::new(1, e.to_string()));
            return read;
        }
        None => {
            read.problems
                .push(LineProblem::new(1, t!("exchange.invalid.empty-file")));
            return read;
        }
    };
    let (mut date_at, mut name_at) = (None, None);
    for (i, cell) in header.iter().enumerate() {
        let column = cell.trim().to_lowercase();
        let slot = match column.as_str() {
            "date" => &mut date_at,
            "name" => &mut name_at,
            _ => {
                read.problems.push(LineProblem::new(
                    1,
                    format!(
                        "{}: {}",
                        cell.trim(),
                        t!("exchange.invalid.unknown-column", columns = "date, name")
                    ),
                ));
                continue;
            }
        };
        if slot.replace(i).is_some() {
            read.problems.push(LineProblem::new(
                1,
                format!("{column}: {}", t!("exchange.invalid.duplicate-column")),
            ));
        }
    }
    for (found, column) in [(date_at, "date"), (name_at, "name")] {
        if found.is_none() {
            read.problems.push(LineProblem::new(
                1,
                t!("exchange.invalid.missing-column", column = column),
            ));
        }
    }
    let (Some(date_at), Some(name_at)) = (date_at, name_at) else {
        return read;
    };
    if !read.problems.is_empty() {
        return read;
    }
    let mut first_line: BTreeMap<NaiveDate, u64> = BTreeMap::new();
    let mut fallback = 1;
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(fallback + 1, |p| line_at(bytes, p));
                read.problems.push(LineProblem::new(line, e.to_string()));
                return read;
            }
        };
        let line = record
            .position()
            .map_or(fallback + 1, |p| line_at(bytes, p));
        fallback = line;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        read.rows += 1;
        if record.len() != header.len() {
            read.problems.push(LineProblem::new(
                line,
                t!(
                    "exchange.invalid.cell-count",
                    found = record.len(),
                    expected = header.len()
                ),
            ));
            continue;
        }
        let typed_date = record.get(date_at).unwrap_or_default().trim();
        let name = text::strip_controls(record.get(name_at).unwrap_or_default(), false)
            .trim()
            .to_string();
        let mut good = true;
        let day = if typed_date.is_empty() {
            read.problems.push(LineProblem::field(
                line,
                "field.day",
                t!("invalid.required"),
            ));
            None
        } else {
            match holiday_date(typed_date) {
                Ok(day) => Some(day),
                Err(reason) => {
                    read.problems
                        .push(LineProblem::field(line, "field.day", reason));
                    None
                }
            }
        };
        if name.is_empty() {
            read.problems.push(LineProblem::field(
                line,
                "field.holiday-name",
                t!("invalid.required"),
            ));
            good = false;
        }
        let Some(day) = day else {
            continue;
        };
        if let Some(first) = first_line.get(&day) {
            read.problems.push(LineProblem::field(
                line,
                "field.day",
                t!("holiday.twice", line = first),
            ));
            continue;
        }
        first_line.insert(day, line);
        read.dated.push((line, day));
        if good {
            read.holidays.push((line, NewHoliday { day, name }));
        }
    }
    read
}

/// The line (from 1) a record at `position` of `bytes` starts on. The reader's position is
/// where it stopped after the record before (its line end and any blank lines still ahead) and
/// its line count goes astray on CRLF ends, so both are skipped and counted here.
fn line_at(bytes: &[u8], position: &csv::Position) -> u64 {
    let mut start = usize::try_from(position.byte())
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
        start += 1;
    }
    bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// How many rows of `read` have a problem.
fn bad_rows(read: &Read) -> usize {
    read.problems
        .iter()
        .map(|p| p.line)
        .filter(|&line| line > 1)
        .collect::<BTreeSet<u64>>()
        .len()
}

fn report(file: &Path, problems: &[LineProblem]) {
    for p in problems {
        eprintln!(
            "{}: {}",
            file.display(),
            t!("holiday.problem", line = p.line, problem = p.problem)
        );
    }
}

fn import(db: &mut Db, actor: &Actor, file: &Path, dry_run: bool) -> Outcome {
    admin_only(actor)?;
    let shown = file.display();
    let bytes = std::fs::read(file).map_err(|e| {
        refused(t!(
            "exchange.error.read",
            file = shown,
            reason = e.to_string()
        ))
    })?;
    let mut read = read_holidays(&bytes);
    if read.rows > MAX_IMPORT_ROWS {
        return Err(refused(t!(
            "holiday.too-many",
            file = shown,
            count = locale::number(read.rows),
            limit = locale::number(MAX_IMPORT_ROWS)
        )));
    }
    // Days already on file, for every row whose date was read.
    let days = read.dated.iter().map(|(_, day)| *day);
    if let (Some(first), Some(last)) = (days.clone().min(), days.max()) {
        let taken: BTreeSet<NaiveDate> = sla::holidays(db, first, last)
            .map_err(failed)?
            .into_iter()
            .map(|h| h.day)
            .collect();
        for (line, day) in &read.dated {
            if taken.contains(day) {
                read.problems.push(LineProblem::field(
                    *line,
                    "field.day",
                    t!("invalid.holiday-taken"),
                ));
            }
        }
    }
    read.problems.sort_by_key(|p| p.line);
    let refusal = |read: &Read| {
        let bad = bad_rows(read);
        let message = if bad == 0 {
            t!(
                "exchange.error.refused",
                file = shown,
                count = locale::number(read.problems.len())
            )
        } else {
            t!(
                "holiday.import-refused",
                bad = locale::number(bad),
                rows = locale::number(read.rows),
                file = shown
            )
        };
        (exit::FAILED, message)
    };
    if !read.problems.is_empty() {
        report(file, &read.problems);
        return Err(refusal(&read));
    }
    if dry_run {
        print_out(&format!(
            "{}\n",
            t!(
                "holiday.dry-run",
                rows = locale::number(read.rows),
                file = shown
            )
        ));
        return Ok(());
    }
    let lines: Vec<u64> = read.holidays.iter().map(|(line, _)| *line).collect();
    let new: Vec<NewHoliday> = std::mem::take(&mut read.holidays)
        .into_iter()
        .map(|(_, h)| h)
        .collect();
    match sla::add_holidays(db, actor, new) {
        Ok(added) => {
            print_out(&format!(
                "{}\n",
                t!(
                    "holiday.imported",
                    count = locale::number(added.len()),
                    file = shown
                )
            ));
            Ok(())
        }
        Err(HolidayErrors::Store(e)) => Err(failed(e)),
        Err(HolidayErrors::Rows(errors)) => {
            // Found by the store after the checks above (another admin at the same moment).
            read.problems = errors
                .into_iter()
                .map(|(i, e)| {
                    let line = i
                        .checked_sub(1)
                        .and_then(|i| lines.get(i))
                        .copied()
                        .unwrap_or_default();
                    LineProblem::new(line, e.to_string())
                })
                .collect();
            report(file, &read.problems);
            Err(refusal(&read))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn days_are_read_by_code_and_name_in_either_language() {
        assert_eq!(parse_day("sat"), Some(Weekday::Sat));
        assert_eq!(parse_day("Thursday"), Some(Weekday::Thu));
        assert_eq!(parse_day("شنبه"), Some(Weekday::Sat));
        assert_eq!(parse_day("سه‌شنبه"), Some(Weekday::Tue));
        assert_eq!(parse_day("سه شنبه"), Some(Weekday::Tue));
        assert_eq!(parse_day("پنجشنبه"), Some(Weekday::Thu));
        assert_eq!(parse_day("جمعه"), Some(Weekday::Fri));
        assert_eq!(parse_day("someday"), None);
    }

    #[test]
    fn hours_are_read_as_spans_or_off() {
        assert_eq!(parse_span("08:00-16:00"), Ok(Some((480, 960))));
        assert_eq!(parse_span("۰۸:۳۰-۱۲:۰۰"), Ok(Some((510, 720))));
        assert_eq!(parse_span("9:00 - 24:00"), Ok(Some((540, 1440))));
        assert_eq!(parse_span("off"), Ok(None));
        assert_eq!(parse_span("OFF"), Ok(None));
        assert_eq!(parse_span("تعطیل"), Ok(None));
        assert_eq!(parse_span("24:30-25:00"), Err(()));
        assert_eq!(parse_span("8-16"), Err(()));
        assert_eq!(parse_span("08:60-09:00"), Err(()));
    }

    #[test]
    fn holiday_dates_are_read_in_either_calendar() {
        assert_eq!(holiday_date("1405/01/01"), Ok(day(2026, 3, 21)));
        assert_eq!(holiday_date("۱۴۰۵/۰۱/۰۱"), Ok(day(2026, 3, 21)));
        assert_eq!(holiday_date("2026-03-21"), Ok(day(2026, 3, 21)));
        assert!(holiday_date("1404/12/30").is_err());
        assert!(holiday_date("tomorrow").is_err());
        assert!(holiday_date("+2d").is_err());
    }

    #[test]
    fn a_file_is_read_with_every_problem_by_its_line() {
        let read = read_holidays(
            "date,name\n1405/01/01,Nowruz\n\n1405/13/01,Bad\n2026-03-21,Again\n1405/01/02,\n"
                .as_bytes(),
        );
        assert_eq!(read.rows, 4);
        let lines: Vec<u64> = read.problems.iter().map(|p| p.line).collect();
        assert_eq!(
            lines,
            vec![4, 5, 6],
            "{:?}",
            read.problems.iter().map(|p| &p.problem).collect::<Vec<_>>()
        );
        assert!(read.problems[1].problem.contains('2'));
        assert_eq!(read.holidays.len(), 1);
        let read = read_holidays(b"\xEF\xBB\xBFName,Date\r\nYalda,2026-12-21\r\n");
        assert!(read.problems.is_empty());
        assert_eq!(read.holidays[0].1.day, day(2026, 12, 21));
        let read = read_holidays(b"day,name\n");
        assert_eq!(read.problems.len(), 2);
        // Lines are counted as the file has them, with CRLF ends and a quoted line break.
        let read = read_holidays(b"date,name\r\n2026-01-01,\"A\r\nB\"\r\n\r\nbad,C\r\n");
        let lines: Vec<u64> = read.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![5]);
    }
}
