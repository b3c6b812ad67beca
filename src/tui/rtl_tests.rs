//! Every pane in Persian (Jalali dates, Persian digits), laid out right to left, at 80x24 and
//! 120x40, as whole-screen snapshots of what is seen. Peygir ordering the text (`bidi = "app"`)
//! and a terminal ordering what Peygir sends it (`bidi = "terminal"`) must show the same screen.
//! Keys are typed as under a Persian keyboard layout where that is what a user would do.

use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::buffer::Buffer;

use super::app::App;
use super::bidi::{self, Bidi};
use super::testing::{self, Store, lines, press, press_key, render, text};
use super::theme::Theme;
use crate::domain::locale::{self, Calendar, Digits};
use crate::i18n::{self, Lang};

/// Runs `work` in Persian with the Jalali calendar, Persian digits and `mode`.
fn persian<R>(mode: Bidi, work: impl FnOnce() -> R) -> R {
    i18n::with_lang(Lang::Fa, || {
        locale::with(Calendar::Jalali, Digits::Persian, || {
            bidi::with_mode(mode, work)
        })
    })
}

/// A store set up in Persian (its lists and statuses named in Persian) with the working data of
/// [`Store::add_work`].
fn work_store() -> Store {
    i18n::with_lang(Lang::Fa, || {
        let mut store = testing::store();
        store.add_work();
        store
    })
}

/// The app on `store` at `width` x `height` after `keys` (each a key typed as is).
fn screen(store: &mut Store, width: u16, height: u16, keys: &str) -> (App, String) {
    let mut app = store.app(width, height, Theme::plain());
    for c in keys.chars() {
        press(&mut app, &mut store.db, c);
    }
    let screen = text(&render(&mut app, width, height));
    (app, screen)
}

/// The panes by the key that shows them (as the Persian layout types it) and a name for the
/// snapshot.
const PANES: [(char, &str); 9] = [
    ('۱', "inbox"),
    ('۲', "contacts"),
    ('۳', "cases"),
    ('۴', "followups"),
    ('۵', "complaints"),
    ('۶', "plans"),
    ('۷', "reports"),
    ('۸', "lists"),
    ('۹', "users"),
];

/// The screen as it is seen: as drawn with `bidi = "app"`; with `bidi = "terminal"`, as a
/// terminal that orders text itself shows what Peygir sent it.
fn seen(mode: Bidi, drawn: &Buffer) -> Buffer {
    match mode {
        Bidi::App => drawn.clone(),
        Bidi::Terminal => bidi::shown_by_bidi_terminal(drawn),
    }
}

#[test]
fn every_pane_in_persian_is_seen_alike_whoever_orders_the_text() {
    let mut store = work_store();
    for (key, name) in PANES {
        for (width, height) in [(80, 24), (120, 40)] {
            let [app, terminal] = [Bidi::App, Bidi::Terminal].map(|mode| {
                persian(mode, || {
                    let mut app = store.app(width, height, Theme::plain());
                    press(&mut app, &mut store.db, key);
                    text(&seen(mode, &render(&mut app, width, height)))
                })
            });
            insta::assert_snapshot!(format!("{name}_{width}x{height}"), app);
            assert_eq!(terminal, app, "{name} at {width}x{height}");
        }
    }
}

#[test]
fn the_frame_is_mirrored_tabs_from_the_right_user_at_the_left() {
    let mut store = work_store();
    for mode in [Bidi::Terminal, Bidi::App] {
        persian(mode, || {
            let mut app = store.app(80, 24, Theme::plain());
            press(&mut app, &mut store.db, '۲');
            let rows = lines(&seen(mode, &render(&mut app, 80, 24)));
            let top = &rows[0];
            // The first tab is the rightmost, the focused one left of it; the user starts the
            // line at the left.
            let first = top.rfind("۱ ").or_else(|| top.rfind(" ۱"));
            let focused = top.find("[۲").or_else(|| top.find("۲]"));
            assert!(first > focused && focused.is_some(), "{mode:?}: {top}");
            assert!(top.find("tester") < Some(25), "{mode:?}: {top}");
            // Frames keep their corners: the list's frame opens at the left, the tree's closes
            // at the right, and the tree stands right of the list.
            assert!(
                rows[1].starts_with('┌') && rows[1].ends_with('┐'),
                "{}",
                rows[1]
            );
            let tree_title = rows[1].rfind("دسته").or_else(|| rows[1].rfind("تسد"));
            let list_title = rows[1].find("مخاطبان").or_else(|| rows[1].find("نابطاخم"));
            assert!(
                tree_title > list_title,
                "{mode:?}: the tree is right of the list: {}",
                rows[1]
            );
            // The selected row's marker is at the right end of the row.
            assert!(
                rows.iter()
                    .any(|r| r.trim_end().ends_with("│") && (r.contains("> ") || r.contains(" <"))),
                "{mode:?}: {rows:#?}"
            );
            // The hints start at the right: the pane keys come last on the line.
            let hints = rows[23].trim_end();
            assert!(hints.ends_with("۱-۹"), "{mode:?}: {hints}");
        });
    }
}

#[test]
fn columns_run_right_to_left_and_line_up() {
    let mut store = work_store();
    persian(Bidi::App, || {
        let (_, screen) = screen(&mut store, 120, 40, "۲");
        let rows: Vec<&str> = screen.lines().collect();
        // The name column is the rightmost: the header's name heading is right of its mobile
        // heading, and every row ends in the same place.
        let header = rows
            .iter()
            .find(|r| r.contains("نفلت") || r.contains("تلفن"))
            .copied()
            .unwrap_or_default();
        let name = header.rfind("مان").unwrap_or(0);
        let mobile = header.find("هارمه").unwrap_or(usize::MAX);
        assert!(name > mobile, "{header}");
        // Persian in visual order: "محمد احمدی" reads right to left on a terminal without bidi.
        assert!(screen.contains("یدمحا دمحم"), "{screen}");
        // Latin stays as it is written, and a Jalali date stays whole.
        assert!(screen.contains("Pars Tejarat"), "{screen}");
    });
    persian(Bidi::Terminal, || {
        let (_, sent) = screen(&mut store, 120, 40, "۲");
        assert!(sent.contains("محمد احمدی"), "sent in logical order: {sent}");
    });
}

#[test]
fn a_persian_form_right_to_left_and_the_help() {
    let mut store = work_store();
    persian(Bidi::App, || {
        let mut app = store.app(80, 24, Theme::plain());
        // Under a Persian layout: ۲ shows the contacts, د (on n) opens a new person.
        for c in ['۲', 'د'] {
            press(&mut app, &mut store.db, c);
        }
        // In the form, Persian letters are text.
        for c in "سارا".chars() {
            press(&mut app, &mut store.db, c);
        }
        press_key(&mut app, &mut store.db, KeyCode::Tab, KeyModifiers::NONE);
        for c in "احمدی".chars() {
            press(&mut app, &mut store.db, c);
        }
        let screen = text(&render(&mut app, 80, 24));
        insta::assert_snapshot!("contact_form_app_80x24", screen);
        let rows: Vec<&str> = screen.lines().collect();
        // Labels at the right, the typed value left of them, in visual order.
        let first = rows
            .iter()
            .find(|r| r.contains("مان"))
            .copied()
            .unwrap_or_default();
        assert!(first.contains("اراس"), "{screen}");
        assert!(first.find("اراس") < first.find("مان"), "{first}");
        // Leave the form, open the help with ؟ (on ?).
        press_key(&mut app, &mut store.db, KeyCode::Esc, KeyModifiers::NONE);
        press(&mut app, &mut store.db, 'y');
        press(&mut app, &mut store.db, '؟');
        let screen = text(&render(&mut app, 80, 24));
        insta::assert_snapshot!("help_app_80x24", screen);
        assert!(screen.contains("j, down"), "{screen}");
        // ض (on q) closes the help rather than quitting.
        press(&mut app, &mut store.db, 'ض');
        assert!(!app.should_quit());
        assert!(!text(&render(&mut app, 80, 24)).contains("j, down"));
    });
}
