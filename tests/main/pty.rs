//! The real binary in a pseudo-terminal, its screen read back through a terminal emulator as a
//! user would see it: the inbox first, panes switched by number, help and the palette opened,
//! and `q` quitting with exit code 0. Every wait polls the screen with a deadline.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
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
}

#[test]
fn a_user_switches_panes_opens_help_and_the_palette_and_quits() {
    let home = tempfile::tempdir().expect("temporary home");
    let store = home.path().join("pty.db");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_peygir"))
        .args([
            "--db",
            store.to_str().expect("utf-8 path"),
            "demo",
            "--contacts",
            "60",
            "--cases",
            "20",
            "--followups",
            "80",
        ])
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .status()
        .expect("demo ran");
    assert!(status.success());

    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pty");
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_peygir"));
    command.args(["--db", store.to_str().expect("utf-8 path")]);
    command.env("HOME", home.path());
    command.env("XDG_CONFIG_HOME", home.path().join("config"));
    command.env("TERM", "xterm-256color");
    command.env_remove("PEYGIR_DB");
    let mut child = pty.slave.spawn_command(command).expect("peygir started");
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
    let mut screen = Screen {
        parser,
        writer: pty.master.take_writer().expect("pty writer"),
    };

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
    let deadline = Instant::now() + Duration::from_secs(20);
    let exit = loop {
        if let Some(status) = child.try_wait().expect("child status") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "peygir did not quit:\n{}",
            screen.contents()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "exit status {exit:?}");
}
