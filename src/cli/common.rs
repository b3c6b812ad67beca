//! What the subcommands share: reading their arguments (a user by login, a list entry or a
//! status by name, a date or time in the user's calendar) and writing their results (tables for
//! people, CSV and JSON for scripts), with one outcome type for the exit code.
//!
//! Exit codes (as everywhere): 0 done; 1 refused or bad input, with one line on standard error
//! naming what is wrong; 2 the store could not be used.

use std::io::Write as _;

use chrono::NaiveDateTime;

use super::exit;
use crate::db::Db;
use crate::db::ids::{LookupId, OrgUnitId};
use crate::domain::text;
use crate::error::Error;
use crate::store::lookups::{self, List};
use crate::store::org_units;
use crate::store::statuses;
use crate::store::users::{self, User};
use crate::t;

/// What a subcommand ends with: `Err((exit code, one line for standard error))`.
pub type Outcome<T = ()> = std::result::Result<T, (u8, String)>;

/// A library error as an exit code and message: the store failing is 2, anything a user can act
/// on (bad input, a refusal, a conflict, something not on file) is 1.
pub fn failed(error: Error) -> (u8, String) {
    let code = match error {
        Error::Database(_) | Error::Open { .. } | Error::Migration { .. } => exit::STORE,
        _ => exit::FAILED,
    };
    (code, error.to_string())
}

/// Bad input on the command line: exit code 1 with `message`.
pub fn refused(message: String) -> (u8, String) {
    (exit::FAILED, message)
}

/// Writes to standard output, ignoring a closed pipe (`peygir case list | head`).
pub fn print_out(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// A warning on standard error: the work was done anyway.
pub fn warn(text: &str) {
    eprintln!("peygir: {}", t!("cli.warning", warning = text));
}

/// How a list is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ListFormat {
    /// Aligned columns for people, headings in the chosen language
    #[default]
    Table,
    /// Comma-separated, with a header row of stable column names
    Csv,
    /// An array of objects with stable keys
    Json,
}

/// How the result of a write is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ResultFormat {
    /// Sentences in the chosen language
    #[default]
    Text,
    /// One object with stable keys
    Json,
}

/// The user with `login`, for the option `flag`.
pub fn user(db: &mut Db, login: &str, flag: &str) -> Outcome<User> {
    match users::by_login(db, login.trim()).map_err(failed)? {
        Some(user) => Ok(user),
        None => Err(refused(t!("cli.no-user", flag = flag, login = login))),
    }
}

/// The organisational unit named `typed` for the option `flag`: by its whole path (`Head office
/// / Tehran sales`) or its own name, letter case, digit script and Persian letter variants
/// ignored; a name no unit has is refused, naming the units there are.
pub fn unit(db: &mut Db, typed: &str, flag: &str) -> Outcome<OrgUnitId> {
    let units = org_units::all(db).map_err(failed)?;
    let wanted = text::search_key(typed.trim());
    let found = units.iter().find(|(_, path)| {
        let own = path.rsplit(" / ").next().unwrap_or(path);
        [path.as_str(), own]
            .iter()
            .any(|name| text::search_key(name) == wanted)
    });
    match found {
        Some((id, _)) => Ok(*id),
        None if units.is_empty() => Err(refused(t!("cli.no-units", flag = flag, unit = typed))),
        None => {
            let names: Vec<&str> = units.iter().map(|(_, name)| name.as_str()).collect();
            Err(refused(t!(
                "cli.no-unit",
                flag = flag,
                unit = typed,
                units = names.join(", ")
            )))
        }
    }
}

/// The active entry of `list` whose code or name is `typed` (letter case, digit script and
/// Persian letter variants ignored), for the option `flag`.
pub fn entry(db: &mut Db, list: List, typed: &str, flag: &str) -> Outcome<LookupId> {
    let key = text::search_key(typed.trim());
    let items = lookups::items(db, list).map_err(failed)?;
    let found = items
        .iter()
        .find(|e| text::search_key(&e.code) == key)
        .or_else(|| items.iter().find(|e| text::search_key(&e.name) == key));
    match found {
        Some(entry) => Ok(entry.id),
        None => {
            let choices: Vec<&str> = items.iter().map(|e| e.code.as_str()).collect();
            Err(refused(t!(
                "cli.no-entry",
                flag = flag,
                value = typed,
                choices = choices.join(", ")
            )))
        }
    }
}

/// The case status whose code or name is `typed`, for the option `flag`.
pub fn case_status(db: &mut Db, typed: &str, flag: &str) -> Outcome<statuses::CaseStatus> {
    match statuses::find(db, typed).map_err(failed)? {
        Some(status) => Ok(status),
        None => {
            let all = statuses::all(db).map_err(failed)?;
            let choices: Vec<&str> = all.iter().map(|s| s.code.as_str()).collect();
            Err(refused(t!(
                "cli.no-entry",
                flag = flag,
                value = typed,
                choices = choices.join(", ")
            )))
        }
    }
}

pub use crate::domain::when::{to_local, to_utc};

/// Now in local time, to the second.
fn local_now() -> NaiveDateTime {
    to_local(crate::store::now())
}

/// A date and time typed for the option `flag` (`tomorrow 10:30`, `+2d`, `1405/09/10 14:00`,
/// `2026-12-01`), in local time, as UTC; a day without a time is at `default_time`.
pub fn when(typed: &str, flag: &str, default_time: chrono::NaiveTime) -> Outcome<NaiveDateTime> {
    crate::domain::when::parse_datetime(typed, local_now(), default_time)
        .map(to_utc)
        .map_err(|e| {
            refused(t!(
                "cli.bad-when",
                flag = flag,
                value = typed,
                reason = when_reason(&e)
            ))
        })
}

/// A date typed for the option `flag`.
pub fn day(typed: &str, flag: &str) -> Outcome<chrono::NaiveDate> {
    crate::domain::when::parse_date(typed, local_now().date()).map_err(|e| {
        refused(t!(
            "cli.bad-when",
            flag = flag,
            value = typed,
            reason = when_reason(&e)
        ))
    })
}

/// A date typed for the option `flag` in either calendar, whatever the one in force: a year
/// before 1700 is Jalali (`1405/01/01`), a later one Gregorian (`2026-03-21`); `today`, `+2d`
/// and the like as well.
pub fn any_day(typed: &str, flag: &str) -> Outcome<chrono::NaiveDate> {
    use crate::domain::locale::{self, Calendar};
    locale::with(Calendar::Jalali, locale::digits(), || day(typed, flag))
}

fn when_reason(error: &crate::domain::when::WhenError) -> String {
    use crate::domain::when::WhenError;
    match error {
        WhenError::Unrecognised => t!("cli.when-unrecognised"),
        WhenError::NoSuchDate => t!("cli.when-no-such-date"),
        WhenError::NoSuchTime => t!("cli.when-no-such-time"),
    }
}

/// A UTC time as scripts read it: `2026-11-30T07:00:00Z`.
pub fn iso_utc(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A stored UTC time for people: local time, in the chosen calendar and digits.
pub fn shown(at: NaiveDateTime) -> String {
    crate::domain::locale::date_time(to_local(at))
}

/// `text` as a CSV cell: quoted when it holds a comma, quote or line break, and with `'` in
/// front when a spreadsheet would run it as a formula.
pub fn csv_cell(text: &str) -> String {
    let trimmed = text.trim_start();
    let formula = trimmed.starts_with(['=', '+', '-', '@'])
        && !(trimmed.starts_with(['+', '-'])
            && trimmed[1..].chars().all(|c| c.is_ascii_digit() || c == '.')
            && trimmed.len() > 1);
    let text = if formula {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// A CSV line of `cells`, ended with CRLF as RFC 4180 has it.
pub fn csv_line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut line = cells
        .iter()
        .map(|c| csv_cell(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// Rows as aligned columns for a terminal: each value made safe to draw, padded to its column's
/// width in cells; a column in `right` is aligned right.
pub fn table(headers: &[String], rows: &[Vec<String>], right: &[usize]) -> String {
    let mut widths = column_widths(headers);
    for row in rows {
        widen(&mut widths, row);
    }
    let mut out = table_line(headers, &widths, right);
    for row in rows {
        out.push_str(&table_line(row, &widths, right));
    }
    out
}

/// The widths in cells of columns headed `headers`, before any row: for a table written a page
/// at a time, the widths are found over every row ([`widen`]) before a line is written.
pub fn column_widths(headers: &[String]) -> Vec<usize> {
    use crate::tui::text::{cells, clean};
    headers.iter().map(|h| cells(&clean(h))).collect()
}

/// Widens `widths` to fit `row`.
pub fn widen(widths: &mut [usize], row: &[String]) {
    use crate::tui::text::{cells, clean};
    for (i, cell) in row.iter().enumerate() {
        if let Some(w) = widths.get_mut(i) {
            *w = (*w).max(cells(&clean(cell)));
        }
    }
}

/// One line of a table whose columns are `widths` wide, each value made safe to draw.
pub fn table_line(row: &[String], widths: &[usize], right: &[usize]) -> String {
    use crate::tui::text::{cells, clean};
    let last = row.len().saturating_sub(1);
    let mut out = String::new();
    for (i, cell) in row.iter().enumerate() {
        let cell = clean(cell);
        let pad = widths
            .get(i)
            .copied()
            .unwrap_or_default()
            .saturating_sub(cells(&cell));
        if right.contains(&i) {
            out.push_str(&" ".repeat(pad));
            out.push_str(&cell);
        } else {
            out.push_str(&cell);
            if i != last {
                out.push_str(&" ".repeat(pad));
            }
        }
        if i != last {
            out.push_str("  ");
        }
    }
    out.trim_end().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-5"), "-5");
        assert_eq!(csv_cell("-x"), "'-x");
        assert_eq!(csv_line(&["a", "b"]), "a,b\r\n");
    }

    #[test]
    fn tables_align_in_cells() {
        let out = table(
            &["Name".to_string(), "N".to_string()],
            &[
                vec!["علی".to_string(), "5".to_string()],
                vec!["Sara Rahimi".to_string(), "12".to_string()],
            ],
            &[1],
        );
        assert_eq!(out, "Name          N\nعلی           5\nSara Rahimi  12\n");
    }
}
