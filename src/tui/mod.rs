//! The terminal interface: the terminal set up and always given back, and the loop that reads a
//! key, lets the app act on it and draws the screen. Only the cells that changed are written
//! (ratatui keeps the last frame and sends the difference), which matters over a slow SSH link.
//! With `bidi = "app"` the terminal is asked not to reorder right-to-left text itself while
//! Peygir runs (see [`bidi`]), and given its own ordering back on the way out.

pub mod action;
pub mod app;
pub mod bidi;
mod chrome;
pub mod format;
pub mod forms;
#[cfg(test)]
mod hostile_tests;
pub mod keymap;
pub mod link;
pub mod panes;
#[cfg(test)]
mod rtl_tests;
#[cfg(test)]
mod testing;
pub mod text;
pub mod theme;
pub mod widgets;

use std::io::{self, IsTerminal, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{self, Event, KeyEventKind};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::db::{Db, StoreUrl};
use crate::store::{self, Actor};
use crate::t;

use app::App;
use theme::Theme;

/// Runs the interface until the user quits; the terminal is restored on every way out.
pub fn run(
    db: &mut Db,
    url: &StoreUrl,
    actor: Actor,
    keymap: keymap::Keymap,
    problems: &[keymap::Problem],
) -> anyhow::Result<()> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        anyhow::bail!(t!("error.terminal", reason = t!("terminal.not-a-tty")));
    }
    let mut guard = TerminalGuard::enter().map_err(terminal_error)?;
    let mut app = App::new(&actor, Theme::from_env(), keymap);
    app.report_keymap_problems(problems);
    let size = guard.terminal.size().map_err(terminal_error)?;
    app.start(size, db);
    let mut watch = store::changes::Watch::new(db, url);
    let mut link = link::Link::new(url);
    while !app.should_quit() {
        guard
            .terminal
            .draw(|frame| app.draw(frame))
            .map_err(terminal_error)?;
        // Idle, look whether someone else changed the store; if so, the screen reads what it
        // shows again without a key press.
        if !event::poll(watch.wait()).map_err(terminal_error)? {
            if !link.is_lost() && watch.changed_elsewhere(db) {
                app.changed_elsewhere(db);
            }
            let suspect = link.is_lost() || watch.failed();
            keep_link(&mut link, &mut watch, &mut app, db, url, suspect);
            continue;
        }
        match event::read().map_err(terminal_error)? {
            Event::Key(key) if key.kind != KeyEventKind::Release => app.handle_key(&key, db),
            Event::Resize(width, height) => app.resize(ratatui::layout::Size { width, height }, db),
            _ => {}
        }
        // A key that failed may have met a server that went away.
        let suspect = app.message().is_some_and(|m| m.error);
        keep_link(&mut link, &mut watch, &mut app, db, url, suspect);
        // What this session changed itself is not news.
        watch.saw_own_changes(db);
    }
    Ok(())
}

/// Asks the link after the connection, and tells the user what became of it: lost, or back (the
/// screen then reads what it shows again, and the watch starts afresh on the new connection).
fn keep_link(
    link: &mut link::Link,
    watch: &mut store::changes::Watch,
    app: &mut App,
    db: &mut Db,
    url: &StoreUrl,
    suspect: bool,
) {
    match link.keep(db, suspect) {
        Some(link::News::Lost) => app.tell(t!("store.lost"), true),
        Some(link::News::Back) => {
            *watch = store::changes::Watch::new(db, url);
            app.changed_elsewhere(db);
            app.tell(t!("store.reconnected"), false);
        }
        None => {}
    }
}

fn terminal_error(e: io::Error) -> anyhow::Error {
    anyhow::anyhow!(t!("error.terminal", reason = e))
}

/// Whether the terminal is in raw mode on the alternate screen, so that it is given back exactly
/// once, whichever comes first: the guard dropped or the panic hook.
static TAKEN: AtomicBool = AtomicBool::new(false);
/// What undoes the terminal's bidi setting Peygir asked for ([`tell_bidi`]), if it asked.
static UNDO_BIDI: Mutex<Option<&'static str>> = Mutex::new(None);

/// Holds the terminal in raw mode on the alternate screen, and gives it back when dropped: on a
/// normal return, on an error (`?`) and while a panic unwinds. A panic hook gives it back before
/// the panic message is printed, so the message lands on the normal screen where it can be read.
struct TerminalGuard {
    terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        enable_raw_mode()?;
        TAKEN.store(true, Ordering::SeqCst);
        let entered = execute!(io::stdout(), EnterAlternateScreen, Hide)
            .and_then(|()| tell_bidi())
            .and_then(|()| Terminal::new(CrosstermBackend::new(io::stdout())));
        match entered {
            Ok(terminal) => Ok(TerminalGuard { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Tells a terminal that orders right-to-left text itself (VTE) how to treat what Peygir sends:
/// in `app` mode, to leave it as drawn, since it is already in visual order; in `terminal` mode
/// in a right-to-left language, to lay out every line right to left. What was asked is undone
/// by [`restore`]; terminals that do not know these sequences ignore them.
fn tell_bidi() -> io::Result<()> {
    let (on, off) = match bidi::mode() {
        bidi::Bidi::App => (bidi::EXPLICIT_MODE, bidi::IMPLICIT_MODE),
        bidi::Bidi::Terminal if text::rtl() => (bidi::RTL_LINES, bidi::DEFAULT_LINES),
        bidi::Bidi::Terminal => return Ok(()),
    };
    *UNDO_BIDI
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(off);
    let mut out = io::stdout();
    out.write_all(on.as_bytes())?;
    out.flush()
}

/// Gives the terminal back if it is taken: cooked mode, the normal screen, a visible cursor,
/// and its own ordering of right-to-left text. Each step is tried even if one before it failed.
fn restore() {
    if TAKEN.swap(false, Ordering::SeqCst) {
        let raw = disable_raw_mode();
        let undo = UNDO_BIDI
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        let implicit = undo.map_or(Ok(()), |undo| {
            let mut out = io::stdout();
            out.write_all(undo.as_bytes()).and_then(|()| out.flush())
        });
        let screen = execute!(io::stdout(), LeaveAlternateScreen, Show);
        if let Err(e) = raw.and(implicit).and(screen) {
            eprintln!("peygir: {}", t!("error.terminal", reason = e));
        }
    }
}

/// Puts a hook before the current panic hook that gives the terminal back first. Installed once
/// per process, however often the interface is started.
fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
