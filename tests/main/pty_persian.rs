//! The real binary in Persian (`--lang fa`), driven in a pseudo-terminal with its screen read
//! back through a terminal emulator: keys typed as a Persian keyboard layout types them, a person
//! added with a Persian name, and a birth date typed in the Jalali calendar with Persian digits
//! and shown back as typed; and the `bidi` setting read from `--bidi` and the config file. Every
//! wait polls the screen with a deadline.
//!
//! The emulator (vt100) has no bidi: with `--bidi terminal` the screen holds each stretch of text
//! in logical order, with `--bidi app` in the order Peygir laid it out for such a terminal.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
}

impl Screen {
    fn contents(&self) -> String {
        self.parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    /// Waits until the screen shows `text`, or fails the test with what it shows.
    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if self.contents().contains(text) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {text:?}; the screen shows:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("keys sent");
        self.writer.flush().expect("keys flushed");
    }

    /// Types `text` a character at a time, as a keyboard does.
    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.keys(&c.to_string());
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits for the program to end and says whether it exited with status 0.
    fn wait_for_exit(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                return status.success();
            }
            assert!(
                Instant::now() < deadline,
                "peygir did not quit:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The environment every run gets: a home of its own and a neutral locale, so the developer's
/// own `LANG` or `LC_ALL` never picks the language (the tests name it with `--lang`).
fn environment(home: &Path) -> Vec<(&'static str, std::ffi::OsString)> {
    vec![
        ("HOME", home.into()),
        ("XDG_CONFIG_HOME", home.join("config").into()),
        ("XDG_DATA_HOME", home.join("data").into()),
        ("LANG", "C.UTF-8".into()),
    ]
}

/// Runs `peygir --db STORE ARGS` to its end.
fn run(home: &Path, store: &Path, args: &[&str]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_peygir"));
    command.arg("--db").arg(store).args(args);
    for (name, value) in environment(home) {
        command.env(name, value);
    }
    let output = command
        .env_remove("PEYGIR_DB")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("peygir ran");
    assert!(output.status.success(), "{output:?}");
    output
}

/// Starts the interface on `store` with `args` in an 80x24 pseudo-terminal.
fn start(home: &Path, store: &Path, args: &[&str]) -> Screen {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pty");
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_peygir"));
    command.arg("--db");
    command.arg(store);
    command.args(args);
    for (name, value) in environment(home) {
        command.env(name, value);
    }
    command.env("TERM", "xterm-256color");
    command.env_remove("PEYGIR_DB");
    command.env_remove("LC_ALL");
    command.env_remove("LC_MESSAGES");
    let child = pty.slave.spawn_command(command).expect("peygir started");
    drop(pty.slave);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
    let mut reader = pty.master.try_clone_reader().expect("pty reader");
    let feed = Arc::clone(&parser);
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let Ok(mut p) = feed.lock() {
                p.process(&buf[..n]);
            }
        }
    });
    Screen {
        parser,
        writer: pty.master.take_writer().expect("pty writer"),
        child,
    }
}

#[test]
fn a_user_adds_a_person_with_a_persian_name_under_a_persian_keyboard_layout() {
    let home = tempfile::tempdir().expect("temporary home");
    let store = home.path().join("fa.db");
    run(home.path(), &store, &["db", "migrate"]);
    let mut screen = start(home.path(), &store, &["--lang", "fa", "--bidi", "terminal"]);
    screen.wait_for("کارتابل");
    // ۲ is where 2 is: the contacts.
    screen.keys("۲");
    screen.wait_for("مخاطبان (۰)");
    // د is where n is: a new person.
    screen.keys("د");
    screen.wait_for("شخص تازه");
    // In the form, Persian letters are text: first name, then last name.
    screen.type_text("سارا");
    screen.keys("\t");
    screen.type_text("احمدی");
    screen.keys("\x13");
    screen.wait_for("سارا احمدی افزوده شد.");
    screen.wait_for("مخاطبان (۱)");
    // The row is in the list, right to left: the name at the right end (before the selection
    // marker), in logical order.
    let row = screen
        .contents()
        .lines()
        .find(|l| l.contains("سارا احمدی") && !l.contains("افزوده"))
        .map(str::to_string)
        .unwrap_or_default();
    assert!(
        row.trim_end_matches(['│', ' ', '<'])
            .ends_with("سارا احمدی"),
        "{row}"
    );
    // ض is where q is: quit.
    screen.keys("ض");
    assert!(screen.wait_for_exit());
}

#[test]
fn a_birth_date_typed_in_the_jalali_calendar_is_shown_back_in_it() {
    let home = tempfile::tempdir().expect("temporary home");
    let store = home.path().join("fa.db");
    run(home.path(), &store, &["db", "migrate"]);
    let mut screen = start(home.path(), &store, &["--lang", "fa", "--bidi", "app"]);
    screen.wait_for("لباتراک");
    screen.keys("2");
    screen.wait_for("(۰) نابطاخم");
    screen.keys("n");
    screen.wait_for("هزات صخش");
    // First name, last name, no national code, and the birth date in Persian digits.
    screen.type_text("رضا");
    screen.keys("\t");
    screen.type_text("کریمی");
    screen.keys("\t\t");
    screen.type_text("۱۳۷۰/۰۵/۱۲");
    screen.keys("\x13");
    // In app mode the screen holds visual order: "رضا کریمی افزوده شد." read right to left.
    screen.wait_for(".دش هدوزفا یمیرک اضر");
    // The contact's page shows the date back as typed, in the Jalali calendar.
    screen.keys("\r");
    screen.wait_for("۱۳۷۰/۰۵/۱۲");
    screen.keys("q");
    assert!(screen.wait_for_exit());
    // It was stored as the Gregorian day it is: 1370/05/12 is 1991-08-03.
    let out = home.path().join("contacts.csv");
    run(
        home.path(),
        &store,
        &[
            "export",
            "contacts",
            "--format",
            "csv",
            "-o",
            out.to_str().expect("utf-8 path"),
        ],
    );
    let csv = std::fs::read_to_string(&out).expect("the export");
    assert!(csv.contains("1991-08-03"), "{csv}");
}

#[test]
fn the_bidi_setting_is_read_from_the_flag_and_the_config_file() {
    let home = tempfile::tempdir().expect("temporary home");
    let store = home.path().join("fa.db");
    // Both values are taken on the command line; any other is refused before anything runs.
    for value in ["terminal", "app"] {
        run(home.path(), &store, &["--bidi", value, "db", "migrate"]);
    }
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_peygir"));
    command.args(["--bidi", "both", "db", "migrate"]);
    for (name, value) in environment(home.path()) {
        command.env(name, value);
    }
    let refused = command.output().expect("peygir ran");
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("both"));
    // A value the config file gets wrong is reported, and that setting alone is ignored.
    let config = home.path().join("config").join("peygir");
    std::fs::create_dir_all(&config).expect("config folder");
    std::fs::write(config.join("config.toml"), "bidi = \"both\"\n").expect("config written");
    let output = run(home.path(), &store, &["db", "status"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("bidi") && stderr.contains("terminal, app"),
        "{stderr}"
    );
}
