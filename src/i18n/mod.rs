//! The message catalog: every string a user reads is looked up here by a stable key, so a second
//! language is a second table and no pane changes. Placeholders are written `{name}`.

mod en;

use std::collections::HashMap;
use std::sync::OnceLock;

/// The catalog's English table, for tests and tools that check keys.
pub fn english() -> &'static [(&'static str, &'static str)] {
    en::MESSAGES
}

fn table() -> &'static HashMap<&'static str, &'static str> {
    static TABLE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| en::MESSAGES.iter().copied().collect())
}

/// The message for `key`. A key missing from the catalog shows as itself, so a gap is visible
/// on screen instead of crashing; a test keeps the catalog complete.
pub fn tr(key: &'static str) -> &'static str {
    table().get(key).copied().unwrap_or(key)
}

/// The message for a key made at run time (`action.list-down`), if the catalog has it.
pub fn lookup(key: &str) -> Option<&'static str> {
    table().get(key).copied()
}

/// The message for `key` with each `{name}` replaced by its value.
pub fn trf(key: &'static str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut text = tr(key).to_string();
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), &value.to_string());
    }
    text
}

/// `t!("key")` or `t!("key", name = value, ...)`: the catalog's text for the key.
#[macro_export]
macro_rules! t {
    ($key:literal) => {
        $crate::i18n::tr($key).to_string()
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::trf($key, &[$((stringify!($name), &$value as &dyn std::fmt::Display)),+])
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled() {
        let text = trf(
            "error.store-open",
            &[("store", &"x.db"), ("reason", &"gone")],
        );
        assert_eq!(text, "cannot open the store x.db: gone");
    }

    #[test]
    fn keys_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for (key, _) in english() {
            assert!(seen.insert(key), "{key} is in the catalog twice");
        }
    }
}
