//! Settings: the store URL and, later, language and calendar. The command line wins over the
//! environment, which wins over `$XDG_CONFIG_HOME/peygir/config.toml`, which wins over defaults.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::db::StoreUrl;
use crate::t;

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The store: `postgres://…`, `sqlite://PATH` or a path.
    pub db: Option<String>,
    /// `en` or `fa`.
    pub lang: Option<String>,
    /// `gregorian` or `jalali`.
    pub calendar: Option<String>,
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

/// Reads the config file. A missing file is no settings; a bad one is reported in the returned
/// warning and ignored, so a typo never keeps anyone out of their data.
pub fn load(path: &Path) -> (ConfigFile, Option<String>) {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (ConfigFile::default(), None),
        Err(e) => {
            return (
                ConfigFile::default(),
                Some(t!("error.config", path = path.display(), reason = e)),
            );
        }
    };
    match toml::from_str(&text) {
        Ok(config) => (config, None),
        Err(e) => {
            let reason = e
                .to_string()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            (
                ConfigFile::default(),
                Some(t!("error.config", path = path.display(), reason = reason)),
            )
        }
    }
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
        assert!(warning.is_some_and(|w| w.contains("config.toml")));
        std::fs::write(&path, "colour = 'red'\n").expect("write");
        assert!(load(&path).1.is_some_and(|w| w.contains("colour")));
        assert_eq!(
            load(&dir.path().join("missing.toml")),
            (ConfigFile::default(), None)
        );
    }
}
