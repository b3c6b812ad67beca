//! The message catalog: every string a user reads is looked up here by a stable key, so a second
//! language is a second table and no pane changes. Placeholders are written `{name}`.
//!
//! The language is chosen once at start ([`set_lang`], from `--lang`, the config file or the
//! locale); until then, and in tests, it is English. A key the Persian table lacks falls back to
//! English, and one neither has shows as itself; a test keeps both tables complete.

mod en;
mod fa;

use std::cell::Cell;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// The language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    En,
    Fa,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fa];

    /// The code used on the command line and in the config file: `en` or `fa`.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Fa => "fa",
        }
    }

    /// Whether the language is written right to left.
    pub fn is_rtl(self) -> bool {
        self == Self::Fa
    }

    /// The language a locale value names (`fa_IR.UTF-8` → Persian, `en_US.UTF-8` → English), or
    /// `None` for one we have no table for (`de_DE`, `C`, or garbage).
    pub fn from_locale(value: &str) -> Option<Lang> {
        let language = value
            .split(['_', '.', '@', '-'])
            .next()
            .unwrap_or_default()
            .trim();
        language.parse().ok()
    }
}

impl FromStr for Lang {
    type Err = ();
    /// `en` or `fa` (also `english`, `persian`, `farsi`), in any case.
    fn from_str(text: &str) -> Result<Self, ()> {
        match text.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Ok(Self::En),
            "fa" | "persian" | "farsi" => Ok(Self::Fa),
            _ => Err(()),
        }
    }
}

static LANG: AtomicU8 = AtomicU8::new(0);

thread_local! {
    /// A language for this thread only, set by [`with_lang`].
    static THREAD_LANG: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// Chooses the language every later lookup answers in; called once, early in `cli::run`.
pub fn set_lang(lang: Lang) {
    LANG.store(lang as u8, Ordering::Relaxed);
}

/// The language in force.
pub fn lang() -> Lang {
    if let Some(lang) = THREAD_LANG.with(Cell::get) {
        return lang;
    }
    match LANG.load(Ordering::Relaxed) {
        1 => Lang::Fa,
        _ => Lang::En,
    }
}

/// Runs `work` with `lang` in force on this thread only: how a test renders a screen in Persian
/// while the tests beside it, on other threads, stay in English.
pub fn with_lang<R>(lang: Lang, work: impl FnOnce() -> R) -> R {
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            THREAD_LANG.with(|l| l.set(self.0));
        }
    }
    let _restore = Restore(THREAD_LANG.with(|l| l.replace(Some(lang))));
    work()
}

/// The catalog's English table, for tests and tools that check keys.
pub fn english() -> &'static [(&'static str, &'static str)] {
    en::MESSAGES
}

/// The catalog's Persian table.
pub fn persian() -> &'static [(&'static str, &'static str)] {
    fa::MESSAGES
}

/// A language's table as written.
pub fn messages(lang: Lang) -> &'static [(&'static str, &'static str)] {
    match lang {
        Lang::En => en::MESSAGES,
        Lang::Fa => fa::MESSAGES,
    }
}

type Table = HashMap<&'static str, &'static str>;

fn table(lang: Lang) -> &'static Table {
    static TABLES: OnceLock<[Table; 2]> = OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        [
            en::MESSAGES.iter().copied().collect(),
            fa::MESSAGES.iter().copied().collect(),
        ]
    });
    &tables[lang as usize]
}

/// The message for `key` in `lang`, falling back to English.
pub fn lookup_in(lang: Lang, key: &str) -> Option<&'static str> {
    table(lang)
        .get(key)
        .or_else(|| table(Lang::En).get(key))
        .copied()
}

/// The message for `key`. A key missing from the catalog shows as itself, so a gap is visible
/// on screen instead of crashing; a test keeps the catalog complete.
pub fn tr(key: &'static str) -> &'static str {
    lookup_in(lang(), key).unwrap_or(key)
}

/// The message for `key` in `lang` (whatever the language in force), or the key itself.
pub fn tr_in(lang: Lang, key: &'static str) -> &'static str {
    lookup_in(lang, key).unwrap_or(key)
}

/// The message for a key made at run time (`action.list-down`), if the catalog has it.
pub fn lookup(key: &str) -> Option<&'static str> {
    lookup_in(lang(), key)
}

/// `text` with each `{name}` replaced by its value.
fn fill(text: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut text = text.to_string();
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), &value.to_string());
    }
    text
}

/// The message for `key` with each `{name}` replaced by its value.
pub fn trf(key: &'static str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    fill(tr(key), args)
}

/// [`trf`] in `lang`, whatever the language in force.
pub fn trf_in(lang: Lang, key: &'static str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    fill(tr_in(lang, key), args)
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
    use std::collections::{BTreeSet, HashSet};

    use super::*;

    #[test]
    fn placeholders_are_filled() {
        let text = trf_in(
            Lang::En,
            "error.store-open",
            &[("store", &"x.db"), ("reason", &"gone")],
        );
        assert_eq!(text, "cannot open the store x.db: gone");
        let text = trf_in(
            Lang::Fa,
            "error.store-open",
            &[("store", &"x.db"), ("reason", &"gone")],
        );
        assert!(text.contains("x.db") && text.contains("gone"), "{text}");
        assert!(!text.contains('{'), "{text}");
    }

    #[test]
    fn keys_are_unique() {
        for lang in Lang::ALL {
            let mut seen = HashSet::new();
            for (key, _) in messages(lang) {
                assert!(seen.insert(key), "{key} is in the {lang:?} catalog twice");
            }
        }
    }

    /// The `{names}` in a message: an opening brace, a name of letters, digits, `_` or `-`, and
    /// a closing brace (`{ keys = … }` in a keymap example is not one).
    fn placeholders(text: &str) -> BTreeSet<&str> {
        let mut found = BTreeSet::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            rest = &rest[open + 1..];
            if let Some(close) = rest.find('}') {
                let name = &rest[..close];
                if !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                {
                    found.insert(name);
                }
            }
        }
        found
    }

    /// Whoever adds a key to `en.rs` adds its Persian to `fa.rs`, with the same placeholders.
    #[test]
    fn every_message_is_in_both_languages_with_the_same_placeholders() {
        let en: HashMap<_, _> = english().iter().copied().collect();
        let fa: HashMap<_, _> = persian().iter().copied().collect();
        let mut problems = Vec::new();
        for (key, text) in english() {
            match fa.get(key) {
                None => problems.push(format!("{key}: no Persian in src/i18n/fa.rs")),
                Some(fa) if placeholders(fa) != placeholders(text) => problems.push(format!(
                    "{key}: the Persian has {:?}, the English {:?}",
                    placeholders(fa),
                    placeholders(text)
                )),
                Some(fa) if fa.trim().is_empty() => problems.push(format!("{key}: empty")),
                Some(_) => {}
            }
        }
        for (key, _) in persian() {
            if !en.contains_key(key) {
                problems.push(format!("{key}: in fa.rs but not in en.rs"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn lookups_answer_in_the_language_asked() {
        assert_eq!(tr_in(Lang::En, "pane.inbox"), "Inbox");
        assert_eq!(tr_in(Lang::Fa, "pane.inbox"), "کارتابل");
        assert_eq!(lookup_in(Lang::Fa, "no.such-key"), None);
        assert_eq!(tr_in(Lang::Fa, "no.such-key"), "no.such-key");
    }

    #[test]
    fn a_thread_can_work_in_another_language() {
        assert_eq!(lang(), Lang::En);
        let inside = with_lang(Lang::Fa, || (lang(), tr("pane.inbox"), t!("pane.cases")));
        assert_eq!(inside, (Lang::Fa, "کارتابل", "پرونده‌ها".to_string()));
        assert_eq!(lang(), Lang::En);
        // Restored even when the work panics.
        let _ = std::panic::catch_unwind(|| with_lang(Lang::Fa, || panic!("in Persian")));
        assert_eq!(lang(), Lang::En);
    }

    #[test]
    fn languages_from_codes_and_locales() {
        assert_eq!("fa".parse(), Ok(Lang::Fa));
        assert_eq!(" EN ".parse(), Ok(Lang::En));
        assert_eq!("de".parse::<Lang>(), Err(()));
        assert_eq!(Lang::from_locale("fa_IR.UTF-8"), Some(Lang::Fa));
        assert_eq!(Lang::from_locale("fa"), Some(Lang::Fa));
        assert_eq!(Lang::from_locale("fa_AF"), Some(Lang::Fa));
        assert_eq!(Lang::from_locale("en_GB.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_locale("C.UTF-8"), None);
        assert_eq!(Lang::from_locale("de_DE@euro"), None);
        assert_eq!(Lang::from_locale("xx_YY.garbage"), None);
        assert_eq!(Lang::from_locale("fake_XX"), None);
        assert_eq!(Lang::from_locale(""), None);
        assert_eq!(Lang::from_locale("\u{0}\u{ff}_."), None);
    }
}
