//! The real binary in a pseudo-terminal, its screen read back through a terminal emulator
//! (vt100) as a user would see it, and the binary run to its end for set-up and checks. Every
//! wait polls the screen with a deadline.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

use super::binary::{self, environment};

pub struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
}

impl Screen {
    pub fn contents(&self) -> String {
        self.parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    /// Waits until the screen shows `text`, or fails the test with what it shows.
    pub fn wait_for(&self, text: &str) {
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

    pub fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("keys sent");
        self.writer.flush().expect("keys flushed");
    }

    /// Types `text` a character at a time, as a keyboard does.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.keys(&c.to_string());
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits for the program to end and says whether it exited with status 0.
    pub fn wait_for_exit(&mut self) -> bool {
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

/// Runs `peygir --db STORE ARGS` to its end.
pub fn run(home: &Path, store: &Path, args: &[&str]) -> std::process::Output {
    let output = binary::command(home, args)
        .arg("--db")
        .arg(store)
        .output()
        .expect("peygir ran");
    assert!(output.status.success(), "{output:?}");
    output
}

/// The contacts of `store` as the CSV export writes them.
pub fn exported_contacts(home: &Path, store: &Path) -> String {
    let out = home.join("contacts.csv");
    let path = out.to_str().expect("utf-8 path");
    run(
        home,
        store,
        &["export", "contacts", "--format", "csv", "-o", path],
    );
    std::fs::read_to_string(&out).expect("the export")
}

/// A person imported from one CSV row (`first,last,mobile`) with one open case titled `title`:
/// the customer a call is logged for.
pub fn person_with_a_case(home: &Path, store: &Path, person: &str, title: &str) {
    let people = home.join("people.csv");
    std::fs::write(
        &people,
        format!("kind,first_name,last_name,mobile\nperson,{person}\n"),
    )
    .expect("a csv");
    let path = people.to_str().expect("utf-8 path");
    run(home, store, &["import", "contacts", path]);
    run(
        home,
        store,
        &["case", "add", "--title", title, "--contact", "1"],
    );
}

/// Starts the interface on `store` with `args` in an 80x24 pseudo-terminal.
pub fn start(home: &Path, store: &Path, args: &[&str]) -> Screen {
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
    for name in binary::REMOVED {
        command.env_remove(name);
    }
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
