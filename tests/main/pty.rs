//! The real binary in a pseudo-terminal, its screen read back through a terminal emulator as a
//! user would see it: the inbox first, panes switched by number, help and the palette opened,
//! a person added through the Contacts pane, and `q` quitting with exit code 0. Every wait polls
//! the screen with a deadline.

use std::io::{Read, Write};
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

    /// Waits until the screen shows `text`, or fails with what it showed.
    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "the screen never showed {text:?}; it showed:\n{}",
            self.contents()
        );
    }

    fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("keys sent");
        self.writer.flush().expect("keys flushed");
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

/// Runs `peygir --db STORE ARGS` to its end (demo data, a check of the store).
fn run(home: &std::path::Path, store: &std::path::Path, args: &[&str]) -> std::process::Output {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_peygir"))
        .arg("--db")
        .arg(store)
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("PEYGIR_DB")
        .output()
        .expect("peygir ran");
    assert!(output.status.success(), "{output:?}");
    output
}

/// Starts the interface on `store` in an 80x24 pseudo-terminal.
fn start(home: &std::path::Path, store: &std::path::Path) -> Screen {
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
    command.env("HOME", home);
    command.env("XDG_CONFIG_HOME", home.join("config"));
    command.env("TERM", "xterm-256color");
    // A zone away from UTC, so times shown and typed are seen to be local.
    command.env("TZ", "Asia/Tehran");
    // The developer's own locale never picks the language these tests read.
    command.env("LANG", "C.UTF-8");
    command.env_remove("LC_ALL");
    command.env_remove("LC_MESSAGES");
    command.env_remove("PEYGIR_DB");
    let child = pty.slave.spawn_command(command).expect("peygir started");
    drop(pty.slave);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
    let mut reader = pty.master.try_clone_reader().expect("pty reader");
    let feed = Arc::clone(&parser);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
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
fn a_user_switches_panes_opens_help_and_the_palette_and_quits() {
    let home = tempfile::tempdir().expect("temporary home");
    let store = home.path().join("pty.db");
    run(
        home.path(),
        &store,
        &[
            "demo",
            "--contacts",
            "60",
            "--cases",
            "20",
            "--followups",
            "80",
        ],
    );
    let mut screen = start(home.path(), &store);
    screen.wait_for("[1 Inbox]");
    screen.keys("3");
    screen.wait_for("[3 Cases]");
    screen.wait_for("Cases (20)");
    screen.keys("2");
    screen.wait_for("Contacts (60)");
    screen.keys("?");
    screen.wait_for("Move down");
    screen.keys("\x1b");
    std::thread::sleep(Duration::from_millis(300));
    screen.keys(":");
    screen.wait_for("Commands");
    screen.keys("follow-up log");
    screen.wait_for("pane-followups");
    screen.keys("\r");
    screen.wait_for("Follow-ups (80)");
    screen.keys("q");
    assert!(screen.wait_for_exit());
}

#[test]
fn a_user_adds_a_person_through_the_contacts_pane() {
    let home = tempfile::tempdir().expect("temporary home");
    let store = home.path().join("pty.db");
    run(home.path(), &store, &["db", "migrate"]);
    let mut screen = start(home.path(), &store);
    screen.wait_for("[1 Inbox]");
    screen.keys("2");
    screen.wait_for("Contacts (0)");
    screen.keys("n");
    screen.wait_for("New person");
    // First name, last name, and a national code in Persian digits (a valid one).
    screen.keys("Sara\tAhmadi\t");
    screen.keys("۰۰۸۴۵۷۵۹۴۸");
    screen.keys("\x13");
    screen.wait_for("Added Sara Ahmadi.");
    screen.wait_for("Contacts (1)");
    screen.keys("\r");
    screen.wait_for("0084575948");
    screen.keys("q");
    assert!(screen.wait_for_exit());
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
    assert!(csv.contains("Sara,Ahmadi,0084575948"), "{csv}");
}

/// The call-logging sequence the README gives, on the real binary: `L`, a fragment of the
/// customer's name, `enter` (her one open case is chosen), what was said, `tab`, the next
/// action, `ctrl-s`. The inbox then shows the next action, due tomorrow.
#[test]
fn a_call_is_logged_with_its_next_action_in_four_keys() {
    let home = tempfile::tempdir().expect("temporary home");
    let store = home.path().join("pty.db");
    let people = home.path().join("people.csv");
    std::fs::write(
        &people,
        "kind,first_name,last_name,mobile\nperson,Mina,Karimi,09121234567\n",
    )
    .expect("a csv");
    run(
        home.path(),
        &store,
        &["import", "contacts", people.to_str().expect("utf-8 path")],
    );
    run(
        home.path(),
        &store,
        &[
            "case",
            "add",
            "--title",
            "Price list for 2026",
            "--contact",
            "1",
        ],
    );
    let mut screen = start(home.path(), &store);
    screen.wait_for("[1 Inbox]");
    screen.keys("L");
    screen.wait_for("Log a call");
    screen.keys("karimi");
    screen.wait_for("Mina Karimi");
    screen.keys("\r");
    screen.wait_for("Price list for 2026");
    screen.keys("Wants the new price list");
    screen.keys("\t");
    screen.keys("Send the price list");
    screen.keys("\x13");
    screen.wait_for("Logged on 1405-00001");
    screen.wait_for("Send the price list");
    screen.keys("q");
    assert!(screen.wait_for_exit());
    let listed = run(home.path(), &store, &["case", "list", "--format", "json"]);
    // Due tomorrow at 10:00 in Tehran, which the store keeps as 06:30 UTC.
    let json = String::from_utf8_lossy(&listed.stdout);
    assert!(json.contains("T06:30:00Z"), "{json}");
}
