//! What the lists' filter forms share: the "any" choice that leaves a criterion out, a no / yes
//! choice, a list's entries as choices, and reading a chosen value back.

use crate::db::Db;
use crate::error::Result;
use crate::store::lookups::{self, List};
use crate::t;
use crate::tui::text::clean;
use crate::tui::widgets::form::{Choice, FieldValue, Values};

/// The value of the "any" choice.
pub const ANY: &str = "";

/// The choice that leaves a criterion out.
pub fn any() -> Choice {
    Choice {
        value: ANY.to_string(),
        label: t!("filter.any"),
    }
}

/// "Any", then each of `choices`.
pub fn any_or(choices: impl IntoIterator<Item = Choice>) -> Vec<Choice> {
    std::iter::once(any()).chain(choices).collect()
}

/// "Any", then each active entry of `list` by its name.
pub fn any_of_list(db: &mut Db, list: List) -> Result<Vec<Choice>> {
    Ok(any_or(lookups::items(db, list)?.into_iter().map(|item| {
        Choice {
            value: item.id.to_string(),
            label: clean(&item.name),
        }
    })))
}

/// A no / yes choice.
pub fn yes_no() -> Vec<Choice> {
    vec![
        Choice {
            value: "no".to_string(),
            label: t!("filter.no"),
        },
        Choice {
            value: "yes".to_string(),
            label: t!("filter.yes"),
        },
    ]
}

/// The value a no / yes choice takes for `on`.
pub fn yes_no_value(on: bool) -> &'static str {
    if on { "yes" } else { "no" }
}

/// `id` as a choice's value; none is "any".
pub fn id_value(id: Option<impl std::fmt::Display>) -> String {
    id.map(|id| id.to_string()).unwrap_or_default()
}

/// The chosen value of a choice field, `None` for "any".
pub fn chosen<'a>(values: &'a [(&'static str, FieldValue)], key: &str) -> Option<&'a str> {
    Values(values).choice(key).filter(|c| *c != ANY)
}

/// The id a choice field's chosen value is, `None` for "any".
pub fn chosen_id<Id: std::str::FromStr>(
    values: &[(&'static str, FieldValue)],
    key: &str,
) -> Option<Id> {
    chosen(values, key).and_then(|v| v.parse().ok())
}

/// Whether a no / yes field says yes.
pub fn said_yes(values: &[(&'static str, FieldValue)], key: &str) -> bool {
    chosen(values, key) == Some("yes")
}
