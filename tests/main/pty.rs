//! The real binary in a pseudo-terminal, its screen read back through a terminal emulator as a
//! user would see it: the inbox first, panes switched by number, help and the palette opened,
//! a person added through the Contacts pane, and `q` quitting with exit code 0. Every wait polls
//! the screen with a deadline.

use std::time::Duration;

use crate::support::terminal::{exported_contacts, person_with_a_case, run, start};

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
    let mut screen = start(home.path(), &store, &[]);
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
    let mut screen = start(home.path(), &store, &[]);
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
    let csv = exported_contacts(home.path(), &store);
    assert!(csv.contains("Sara,Ahmadi,0084575948"), "{csv}");
}

/// The call-logging sequence the README gives, on the real binary: `L`, a fragment of the
/// customer's name, `enter` (her one open case is chosen), what was said, `tab`, the next
/// action, `ctrl-s`. The inbox then shows the next action, due tomorrow.
#[test]
fn a_call_is_logged_with_its_next_action_in_four_keys() {
    let home = tempfile::tempdir().expect("temporary home");
    let store = home.path().join("pty.db");
    person_with_a_case(
        home.path(),
        &store,
        "Mina,Karimi,09121234567",
        "Price list for 2026",
    );
    let mut screen = start(home.path(), &store, &[]);
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

#[test]
fn a_user_records_a_complaint_and_takes_it_through_to_closed() {
    let home = tempfile::tempdir().expect("temporary home");
    let store = home.path().join("pty.db");
    person_with_a_case(home.path(), &store, "Mina,Karimi,09121234567", "Price list");
    let mut screen = start(home.path(), &store, &[]);
    screen.wait_for("[1 Inbox]");
    screen.keys("5");
    screen.wait_for("Complaints (0)");
    // Recorded: the customer found by name, a title and what happened.
    screen.keys("n");
    screen.wait_for("New complaint");
    screen.type_text("Karimi");
    screen.wait_for("Mina Karimi");
    screen.keys("\r");
    screen.type_text("Pump leaks after a week");
    screen.keys("\t");
    screen.type_text("Oil under the pump.");
    screen.keys("\x13");
    screen.wait_for("Added complaint C-");
    screen.wait_for("Status: received");
    // Each step as the process allows it: the form offers the next ones first.
    screen.keys("S");
    screen.wait_for("Move C-");
    screen.keys("\t");
    screen.type_text("Called her back");
    screen.keys("\x13");
    screen.wait_for("Status: acknowledged");
    screen.keys("S");
    screen.wait_for("Move C-");
    screen.keys("\x13");
    screen.wait_for("Status: investigating");
    // Action taken needs the root cause: refused first, the form on that field, then picked.
    screen.keys("S");
    screen.wait_for("Move C-");
    screen.keys("\x13");
    screen.wait_for("is required");
    screen.keys("\x1b[C");
    screen.keys("\x13");
    screen.wait_for("Status: action taken");
    screen.keys("S");
    screen.wait_for("Move C-");
    screen.keys("\t\t\t");
    screen.type_text("A new seal, fitted on site");
    screen.keys("\x13");
    screen.wait_for("Status: proposed");
    screen.keys("S");
    screen.wait_for("Move C-");
    screen.keys("\t\t\t\t");
    screen.type_text("5");
    screen.keys("\x13");
    screen.wait_for("Status: closed");
    screen.keys("q");
    assert!(screen.wait_for_exit());
    let shown = run(
        home.path(),
        &store,
        &["complaint", "list", "--format", "json"],
    );
    let json = String::from_utf8_lossy(&shown.stdout);
    assert!(json.contains("\"status\": \"closed\""), "{json}");
}

/// Another session's change shows without a key press: a follow-up with a next action logged by
/// another process (a telephony system, a colleague) appears in the inbox within seconds, and
/// the inbox's count on the tab bar goes up while another pane has the focus.
#[test]
fn another_sessions_change_shows_without_a_key_press() {
    let home = tempfile::tempdir().expect("temporary home");
    let store = home.path().join("pty.db");
    person_with_a_case(
        home.path(),
        &store,
        "Mina,Karimi,09121234567",
        "Pump repair",
    );
    let mut screen = start(home.path(), &store, &[]);
    screen.wait_for("[1 Inbox]");
    let logged = run(
        home.path(),
        &store,
        &[
            "followup",
            "add",
            "--case",
            "1405-00001",
            "--kind",
            "phone",
            "--minutes",
            "3",
            "--text",
            "Asked for a visit",
            "--next-kind",
            "visit",
            "--next-text",
            "Visit the Karimi site",
            "--next-due",
            "+2d",
        ],
    );
    assert!(logged.status.success(), "{logged:?}");
    // No key is pressed: the screen looks by itself.
    screen.wait_for("Visit the Karimi site");
    // On another pane, the inbox's count follows too.
    screen.keys("3");
    screen.wait_for("[3 Cases]");
    let before = screen.contents();
    run(
        home.path(),
        &store,
        &[
            "followup",
            "add",
            "--case",
            "1405-00001",
            "--kind",
            "phone",
            "--minutes",
            "1",
            "--text",
            "Confirmed",
            "--next-kind",
            "call",
            "--next-text",
            "Call after the visit",
            "--next-due",
            "-1d",
        ],
    );
    // The tab bar shortens names at 80 columns: the inbox is "1 Inb~ (1!)" with one overdue
    // action.
    screen.wait_for("1 Inb~ (1!)");
    assert!(!before.contains("(1!)"), "{before}");
    screen.keys("q");
    assert!(screen.wait_for_exit());
}
