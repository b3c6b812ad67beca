//! The real binary run to its end, as a script or an admin runs it: in a home of its own with a
//! neutral locale, and what it left as one [`Run`] that prints itself whole when an assertion
//! about it fails.

use std::fmt;
use std::path::Path;
use std::process::{Command, Stdio};

/// The environment every run of the binary gets: a home of its own (its data and config folders
/// inside it), a neutral locale, so the developer's own `LANG` or `LC_ALL` never picks the
/// language (a test names it with `--lang`), and a time zone away from UTC, so times shown and
/// typed are seen to be local. `PEYGIR_DB`, `LC_ALL` and `LC_MESSAGES` are taken away.
pub fn environment(home: &Path) -> Vec<(&'static str, std::ffi::OsString)> {
    vec![
        ("HOME", home.into()),
        ("XDG_CONFIG_HOME", home.join("config").into()),
        ("XDG_DATA_HOME", home.join("data").into()),
        ("LANG", "C.UTF-8".into()),
        ("TZ", "Asia/Tehran".into()),
    ]
}

/// The variables [`environment`] takes away.
pub const REMOVED: [&str; 3] = ["PEYGIR_DB", "LC_ALL", "LC_MESSAGES"];

/// `peygir ARGS` in [`environment`]`(home)`, with no standard input.
pub fn command(home: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_peygir"));
    command.args(args).stdin(Stdio::null());
    for (name, value) in environment(home) {
        command.env(name, value);
    }
    for name in REMOVED {
        command.env_remove(name);
    }
    command
}

/// One run of the binary.
pub struct Run {
    pub args: Vec<String>,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "peygir {}\nexit code: {:?}\n--- stdout\n{}--- stderr\n{}---",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }
}

impl Run {
    /// Runs `command` (made with `args`) to its end.
    pub fn of(mut command: Command, args: &[&str]) -> Run {
        let output = command
            .output()
            .unwrap_or_else(|e| panic!("run peygir {}: {e}", args.join(" ")));
        Run {
            args: args.iter().map(|a| a.to_string()).collect(),
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(self.code, Some(code), "unexpected exit code:\n{self}");
        self
    }

    pub fn ok(self) -> Run {
        assert_eq!(self.code, Some(0), "expected success:\n{self}");
        self
    }

    /// A refusal: exit code `code` and exactly one line on standard error.
    pub fn expect_refused(self, code: i32) -> Run {
        let run = self.expect_code(code);
        assert_eq!(
            run.stderr.lines().count(),
            1,
            "a refusal is one line on standard error:\n{run}"
        );
        run
    }

    /// Refused with exit code `code`, one line on standard error holding `text`, and nothing
    /// else printed.
    pub fn refused(self, code: i32, text: &str) -> Run {
        let run = self.expect_refused(code).stderr_has(text);
        assert!(
            run.stdout.is_empty(),
            "a refusal prints nothing else:\n{run}"
        );
        run
    }

    pub fn stderr_has(self, text: &str) -> Run {
        assert!(
            self.stderr.contains(text),
            "standard error lacks {text:?}:\n{self}"
        );
        self
    }

    pub fn stdout_has(self, text: &str) -> Run {
        assert!(
            self.stdout.contains(text),
            "standard output lacks {text:?}:\n{self}"
        );
        self
    }
}

/// A store that the binary and the test both open, with the defaults every store starts with,
/// and a home of its own for the binary: a SQLite file in a temporary folder, or a PostgreSQL
/// database of its own. `None` when PostgreSQL is wanted and there is none (outside CI).
pub struct Store {
    /// What `--db` names.
    pub url: String,
    // Declared before what it lives in, so the connection closes first.
    pub db: peygir::db::Db,
    pub home: tempfile::TempDir,
    _keep: Box<dyn std::any::Any>,
}

impl Store {
    /// A new store of `backend`; `name` tells its folders apart.
    pub fn open(backend: super::Backend, name: &str) -> Option<Store> {
        use peygir::db::{self, StoreUrl};
        let (url, keep): (String, Box<dyn std::any::Any>) = match backend {
            super::Backend::Sqlite => {
                let folder = tempfile::Builder::new()
                    .prefix(&format!("peygir-{name}-"))
                    .tempdir()
                    .expect("a temporary folder");
                let path = folder.path().join("store.db");
                let url = path.to_str().expect("UTF-8 path").to_string();
                db::open(&StoreUrl::Sqlite(path)).expect("create the store");
                (url, Box::new(folder))
            }
            super::Backend::Postgres => {
                let database = super::pg::server()?.migrated_database();
                (database.url.clone(), Box::new(database))
            }
        };
        Some(Store::at(url, keep, name))
    }

    /// The migrated store `url` names (kept alive by `keep`, dropped after the connection), with
    /// its defaults written and a home of its own; `name` tells its folders apart.
    pub fn at(url: String, keep: Box<dyn std::any::Any>, name: &str) -> Store {
        use peygir::db::{self, StoreUrl};
        let mut db = db::connect(&StoreUrl::parse(&url)).expect("connect");
        peygir::store::ensure_defaults(&mut db).expect("defaults");
        let home = tempfile::Builder::new()
            .prefix(&format!("peygir-{name}-home-"))
            .tempdir()
            .expect("a temporary home");
        Store {
            url,
            db,
            home,
            _keep: keep,
        }
    }

    /// `peygir --db STORE ARGS` run to its end in the store's home.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut command = command(self.home.path(), args);
        command
            .arg("--db")
            .arg(&self.url)
            .current_dir(self.home.path());
        Run::of(command, args)
    }
}
