//! Settings: the store URL, the language, the calendar, the digits and who orders right-to-left
//! text (the terminal or Peygir). The command line wins
//! over the environment, which wins over `$XDG_CONFIG_HOME/peygir/config.toml`, which wins over
//! defaults. The language falls back to the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`); the
//! calendar and the digits follow the language (Persian: Jalali and Persian digits).

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Deserialize;

use crate::db::StoreUrl;
use crate::domain::locale::{self, Calendar, Digits};
use crate::i18n::{self, Lang};
use crate::t;
use crate::tui::bidi::{self, Bidi};

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The store: `postgres://…`, `sqlite://PATH` or a path.
    pub db: Option<String>,
    /// `en` or `fa`.
    pub lang: Option<String>,
    /// `gregorian` or `jalali`.
    pub calendar: Option<String>,
    /// `latin` or `persian`.
    pub digits: Option<String>,
    /// `terminal` or `app`: who orders mixed right-to-left and left-to-right text.
    pub bidi: Option<String>,
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "peygir")
}

/// `$XDG_CONFIG_HOME/peygir/config.toml` (or `~/.config/peygir/config.toml`).
pub fn config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// `$XDG_CONFIG_HOME/peygir/keymap.toml`: the user's key bindings over the defaults.
pub fn keymap_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("keymap.toml"))
}

/// `$XDG_DATA_HOME/peygir/peygir.db` (or `~/.local/share/peygir/peygir.db`).
pub fn default_store_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().join("peygir.db"))
}

/// Why the config file, or a setting in it, was ignored. It is put into words when shown, so it
/// reads in the language the file itself may have chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigProblem {
    /// The file could not be read or is not valid TOML: all of it is ignored.
    File { path: PathBuf, reason: String },
    /// One setting has a value we do not know: that setting is ignored.
    Value {
        key: &'static str,
        value: String,
        choices: &'static str,
    },
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The reason may quote the file's own line, control characters and all.
            Self::File { path, reason } => f.write_str(&t!(
                "error.config",
                path = path.display(),
                reason = crate::domain::text::printable(reason)
            )),
            Self::Value {
                key,
                value,
                choices,
            } => f.write_str(&t!(
                "error.config-value",
                key = key,
                value = crate::domain::text::strip_controls(value, false),
                choices = choices
            )),
        }
    }
}

/// Why a settings file (the config file, a keymap) could not be read as text.
#[derive(Debug)]
pub enum Unreadable {
    Io(std::io::Error),
    /// The file is not UTF-8; `line` (from 1) holds the first byte that is not.
    NotUtf8 {
        line: usize,
    },
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => e.fmt(f),
            Self::NotUtf8 { line } => f.write_str(&t!("file.not-utf8", line = line)),
        }
    }
}

/// The text of the settings file at `path`; when it is not UTF-8, the line where it stops being.
pub fn read_text(path: &Path) -> Result<String, Unreadable> {
    let bytes = std::fs::read(path).map_err(Unreadable::Io)?;
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..good].iter().filter(|&&b| b == b'\n').count() + 1;
        Unreadable::NotUtf8 { line }
    })
}

/// Reads the config file. A missing file is no settings; a bad one is reported in the returned
/// problem and ignored, so a typo never keeps anyone out of their data.
pub fn load(path: &Path) -> (ConfigFile, Option<ConfigProblem>) {
    let text = match read_text(path) {
        Ok(text) => text,
        Err(Unreadable::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return (ConfigFile::default(), None);
        }
        Err(e) => {
            let problem = ConfigProblem::File {
                path: path.to_path_buf(),
                reason: e.to_string(),
            };
            return (ConfigFile::default(), Some(problem));
        }
    };
    let (config, problem) = parse(&text);
    let problem = problem.map(|problem| match problem {
        ConfigProblem::File { reason, .. } => ConfigProblem::File {
            path: path.to_path_buf(),
            reason,
        },
        other => other,
    });
    (config, problem)
}

/// Reads a config file's text as [`load`] reads the file: its settings, or no settings and the
/// reason, on one line, when the text is not valid TOML (a file problem naming `config.toml`,
/// which [`load`] names by the file's path).
pub fn parse(text: &str) -> (ConfigFile, Option<ConfigProblem>) {
    match toml::from_str(text) {
        Ok(config) => (config, None),
        Err(e) => {
            let reason = e
                .to_string()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let problem = ConfigProblem::File {
                path: PathBuf::from("config.toml"),
                reason,
            };
            (ConfigFile::default(), Some(problem))
        }
    }
}

/// How the user reads and types: language, calendar, digits, and who orders right-to-left text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Settings {
    pub lang: Lang,
    pub calendar: Calendar,
    pub digits: Digits,
    pub bidi: Bidi,
}

/// The settings named on the command line, each of which wins over the file and the locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Given {
    pub lang: Option<Lang>,
    pub calendar: Option<Calendar>,
    pub digits: Option<Digits>,
    pub bidi: Option<Bidi>,
}

/// The language the locale names: the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is set
/// and not empty decides (as the C library does), and a value we have no table for, or cannot
/// read, is English.
pub fn locale_lang(var: impl Fn(&str) -> Option<String>) -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(var)
        .find(|value| !value.trim().is_empty())
        .and_then(|value| Lang::from_locale(&value))
        .unwrap_or_default()
}

/// The settings in force: `given`, else the file's, else the locale's language (read through
/// `var`) with the calendar and digits that go with it. A value in the file that means nothing
/// is reported and ignored.
pub fn choose_settings(
    given: Given,
    file: &ConfigFile,
    var: impl Fn(&str) -> Option<String>,
) -> (Settings, Vec<ConfigProblem>) {
    let mut problems = Vec::new();
    let file_lang = from_file("lang", &file.lang, "en, fa", &mut problems);
    let file_calendar = from_file(
        "calendar",
        &file.calendar,
        "gregorian, jalali",
        &mut problems,
    );
    let file_digits = from_file("digits", &file.digits, "latin, persian", &mut problems);
    let file_bidi = from_file("bidi", &file.bidi, "terminal, app", &mut problems);
    let lang = given
        .lang
        .or(file_lang)
        .unwrap_or_else(|| locale_lang(&var));
    let persian = lang == Lang::Fa;
    let settings = Settings {
        lang,
        calendar: given.calendar.or(file_calendar).unwrap_or(if persian {
            Calendar::Jalali
        } else {
            Calendar::Gregorian
        }),
        digits: given.digits.or(file_digits).unwrap_or(if persian {
            Digits::Persian
        } else {
            Digits::Latin
        }),
        bidi: given
            .bidi
            .or(file_bidi)
            .unwrap_or_else(|| default_bidi(&var)),
    };
    (settings, problems)
}

/// Who orders right-to-left text when nothing says: the terminal when it is known to be built
/// on VTE (`VTE_VERSION`, which GNOME Terminal and its kin set) and not inside tmux or screen,
/// which do no bidi of their own; otherwise Peygir, which reads right on any terminal. Over SSH
/// the variable does not travel, so a remote session takes `app` unless told.
fn default_bidi(var: impl Fn(&str) -> Option<String>) -> Bidi {
    let vte = var("VTE_VERSION").is_some_and(|v| !v.is_empty());
    let multiplexed = ["TMUX", "STY"]
        .iter()
        .any(|name| var(name).is_some_and(|v| !v.is_empty()));
    if vte && !multiplexed {
        Bidi::Terminal
    } else {
        Bidi::App
    }
}

/// A setting's value from the file, or `None` with a problem when it means nothing.
fn from_file<T: FromStr>(
    key: &'static str,
    value: &Option<String>,
    choices: &'static str,
    problems: &mut Vec<ConfigProblem>,
) -> Option<T> {
    let value = value.as_deref()?;
    let parsed = value.parse().ok();
    if parsed.is_none() {
        problems.push(ConfigProblem::Value {
            key,
            value: value.to_string(),
            choices,
        });
    }
    parsed
}

/// Puts the settings in force for the whole process: every later message, date and number
/// follows them.
pub fn apply(settings: Settings) {
    i18n::set_lang(settings.lang);
    locale::set(settings.calendar, settings.digits);
    bidi::set_mode(settings.bidi);
}

/// The store to use: `given` (from `--db` or `PEYGIR_DB`), else the config file's, else the
/// default SQLite file, whose folder is created on first use.
pub fn choose_store(given: Option<&str>, file: &ConfigFile) -> std::io::Result<StoreUrl> {
    // A variable set to nothing (`PEYGIR_DB=`) is no setting.
    fn named(url: Option<&str>) -> Option<&str> {
        url.map(str::trim).filter(|url| !url.is_empty())
    }
    if let Some(url) = named(given).or(named(file.db.as_deref())) {
        return Ok(StoreUrl::parse(url));
    }
    let path = default_store_path().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no home directory to keep the data in",
        )
    })?;
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    Ok(StoreUrl::Sqlite(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_wins_over_file() {
        let file = ConfigFile {
            db: Some("from-file.db".into()),
            ..Default::default()
        };
        assert_eq!(
            choose_store(Some("given.db"), &file).ok(),
            Some(StoreUrl::Sqlite("given.db".into()))
        );
        assert_eq!(
            choose_store(None, &file).ok(),
            Some(StoreUrl::Sqlite("from-file.db".into()))
        );
    }

    #[test]
    fn a_bad_file_is_reported_and_ignored() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "db = \n").expect("write");
        let (config, warning) = load(&path);
        assert_eq!(config, ConfigFile::default());
        assert!(warning.is_some_and(|w| w.to_string().contains("config.toml")));
        std::fs::write(&path, "colour = 'red'\n").expect("write");
        assert!(
            load(&path)
                .1
                .is_some_and(|w| w.to_string().contains("colour"))
        );
        assert_eq!(
            load(&dir.path().join("missing.toml")),
            (ConfigFile::default(), None)
        );
    }

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn the_locale_chooses_the_language() {
        assert_eq!(locale_lang(env(&[("LANG", "fa_IR.UTF-8")])), Lang::Fa);
        assert_eq!(locale_lang(env(&[("LANG", "en_US.UTF-8")])), Lang::En);
        // A broken value, or one we have no table for, is English, never a panic.
        assert_eq!(locale_lang(env(&[("LANG", "xx_YY.garbage")])), Lang::En);
        assert_eq!(locale_lang(env(&[("LANG", "\u{1b}[2J")])), Lang::En);
        assert_eq!(locale_lang(env(&[("LANG", "de_DE.UTF-8")])), Lang::En);
        assert_eq!(locale_lang(env(&[])), Lang::En);
        // LC_ALL over LC_MESSAGES over LANG; an empty one is not set.
        assert_eq!(
            locale_lang(env(&[("LC_ALL", "C"), ("LANG", "fa_IR.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            locale_lang(env(&[
                ("LC_ALL", ""),
                ("LC_MESSAGES", "fa_IR.UTF-8"),
                ("LANG", "en_GB.UTF-8")
            ])),
            Lang::Fa
        );
    }

    #[test]
    fn settings_follow_the_language_unless_named() {
        let fa_locale = env(&[("LANG", "fa_IR.UTF-8")]);
        let none = ConfigFile::default();
        let (settings, problems) = choose_settings(Given::default(), &none, &fa_locale);
        assert!(problems.is_empty());
        assert_eq!(
            settings,
            Settings {
                lang: Lang::Fa,
                calendar: Calendar::Jalali,
                digits: Digits::Persian,
                bidi: Bidi::App,
            }
        );
        assert_eq!(
            choose_settings(Given::default(), &none, env(&[])).0,
            Settings {
                lang: Lang::En,
                calendar: Calendar::Gregorian,
                digits: Digits::Latin,
                bidi: Bidi::App,
            }
        );
        // The file over the locale, the command line over the file.
        let file = ConfigFile {
            lang: Some("en".into()),
            calendar: Some("jalali".into()),
            ..Default::default()
        };
        assert_eq!(
            choose_settings(Given::default(), &file, &fa_locale).0,
            Settings {
                lang: Lang::En,
                calendar: Calendar::Jalali,
                digits: Digits::Latin,
                bidi: Bidi::App,
            }
        );
        let given = Given {
            lang: Some(Lang::Fa),
            calendar: Some(Calendar::Gregorian),
            digits: None,
            bidi: None,
        };
        assert_eq!(
            choose_settings(given, &file, env(&[])).0,
            Settings {
                lang: Lang::Fa,
                calendar: Calendar::Gregorian,
                digits: Digits::Persian,
                bidi: Bidi::App,
            }
        );
    }

    #[test]
    fn a_bad_setting_is_reported_and_the_rest_kept() {
        let file = ConfigFile {
            db: Some("kept.db".into()),
            lang: Some("klingon".into()),
            calendar: Some("jalali".into()),
            digits: Some("roman".into()),
            bidi: None,
        };
        let (settings, problems) = choose_settings(Given::default(), &file, env(&[]));
        assert_eq!(settings.lang, Lang::En);
        assert_eq!(settings.calendar, Calendar::Jalali);
        assert_eq!(settings.digits, Digits::Latin);
        assert_eq!(problems.len(), 2);
        assert_eq!(
            problems[0],
            ConfigProblem::Value {
                key: "lang",
                value: "klingon".into(),
                choices: "en, fa"
            }
        );
        let text = problems[1].to_string();
        assert!(text.contains("digits") && text.contains("roman"), "{text}");
    }

    #[test]
    fn the_file_names_the_settings() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "lang = \"fa\"\ncalendar = \"gregorian\"\ndigits = \"latin\"\n",
        )
        .expect("write");
        let (file, problem) = load(&path);
        assert_eq!(problem, None);
        assert_eq!(
            choose_settings(Given::default(), &file, env(&[])).0,
            Settings {
                lang: Lang::Fa,
                calendar: Calendar::Gregorian,
                digits: Digits::Latin,
                bidi: Bidi::App,
            }
        );
    }

    #[test]
    fn who_orders_right_to_left_text_is_a_setting() {
        let none = ConfigFile::default();
        assert_eq!(
            choose_settings(Given::default(), &none, env(&[])).0.bidi,
            Bidi::App,
            "Peygir by default"
        );
        assert_eq!(
            choose_settings(Given::default(), &none, env(&[("VTE_VERSION", "7006")]))
                .0
                .bidi,
            Bidi::Terminal,
            "the terminal when it is built on VTE"
        );
        assert_eq!(
            choose_settings(
                Given::default(),
                &none,
                env(&[("VTE_VERSION", "7006"), ("TMUX", "/tmp/tmux-0/default,1,0")])
            )
            .0
            .bidi,
            Bidi::App,
            "but not inside tmux"
        );
        let file = ConfigFile {
            bidi: Some("app".into()),
            ..Default::default()
        };
        assert_eq!(
            choose_settings(Given::default(), &file, env(&[])).0.bidi,
            Bidi::App
        );
        let given = Given {
            bidi: Some(Bidi::Terminal),
            ..Default::default()
        };
        assert_eq!(
            choose_settings(given, &file, env(&[])).0.bidi,
            Bidi::Terminal
        );
        let bad = ConfigFile {
            bidi: Some("both".into()),
            ..Default::default()
        };
        let (settings, problems) = choose_settings(Given::default(), &bad, env(&[]));
        assert_eq!(settings.bidi, Bidi::App);
        let text = problems[0].to_string();
        assert!(
            text.contains("bidi") && text.contains("terminal, app"),
            "{text}"
        );
    }
}
