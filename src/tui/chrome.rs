//! What frames every pane: the tab bar at the top (the app's name, the panes by number, the user
//! at the right) and the status bar at the bottom (key hints at the left, the message line at
//! the right), and the notice shown instead of all that when the terminal is too small. Drawn
//! left to right like everything else; a right-to-left language turns the finished frame around
//! (see [`super::bidi`]), so the tabs then start at the right and the hints too.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::app::Message;
use super::bidi;
use super::text::{cells, fit};
use super::theme::Theme;
use crate::t;

/// One tab: the key that shows the pane, the pane's name, and a count worth seeing from any
/// pane (the inbox's overdue work), which stays when the name is shortened.
pub struct Tab {
    pub key: String,
    pub name: String,
    pub badge: Option<String>,
}

impl Tab {
    /// The tab's label with its name cut to `length` cells (`None`: the whole name, `Some(0)`:
    /// the key alone), the badge kept.
    fn label(&self, length: Option<usize>) -> String {
        let mut label = match length {
            None => format!("{} {}", self.key, self.name),
            Some(0) => self.key.clone(),
            Some(n) => format!("{} {}", self.key, fit(&self.name, n)),
        };
        if let Some(badge) = &self.badge {
            label.push(' ');
            label.push_str(badge);
        }
        label
    }
}

/// The shortest a shortened tab name gets before only its key is shown.
const SHORTEST_NAME: usize = 4;

/// The tab labels (without the brackets or spaces around each) that fit in `room` cells: full
/// names if they fit, else the other tabs' names shortened (down to [`SHORTEST_NAME`] cells),
/// else those short names for as many of the other tabs as fit, from the first on, and only the
/// keys of the rest. The focused tab keeps its whole name, and every badge stays.
fn labels(tabs: &[Tab], active: usize, room: usize) -> Vec<String> {
    let with_names = |length: usize| -> Vec<String> {
        tabs.iter()
            .enumerate()
            .map(|(i, tab)| tab.label((i != active).then_some(length)))
            .collect()
    };
    let longest = tabs.iter().map(|t| cells(&t.name)).max().unwrap_or(0);
    for length in (SHORTEST_NAME..=longest).rev() {
        let labels = with_names(length);
        if width_of(&labels) <= room {
            return labels;
        }
    }
    let short = with_names(SHORTEST_NAME);
    let mut labels = with_names(0);
    for (i, name) in short.into_iter().enumerate() {
        let key = std::mem::replace(&mut labels[i], name);
        if width_of(&labels) > room {
            labels[i] = key;
            break;
        }
    }
    labels
}

/// The cells the labels take: a space before each, and the focused one's brackets.
fn width_of(labels: &[String]) -> usize {
    labels.iter().map(|l| cells(l) + 1).sum::<usize>() + 2
}

/// The top line: ` Peygir  1 Inbox [2 Contacts] 3 Cases …        sara (agent) `. The focused tab
/// is in brackets as well as highlighted, so it shows without colour too.
pub fn tab_bar(
    frame: &mut Frame,
    area: Rect,
    tabs: &[Tab],
    active: usize,
    user: &str,
    theme: &Theme,
) {
    let width = usize::from(area.width);
    let user = fit(user, width / 3);
    let user_width = cells(&user) + 2;
    let room = width.saturating_sub(user_width);
    let title = format!(" {} ", t!("app.title"));
    // The app's name comes only when every tab has its whole name.
    let whole = labels(tabs, active, usize::MAX);
    let show_title = width_of(&whole) + cells(&title) <= room;
    let labels = if show_title {
        whole
    } else {
        labels(tabs, active, room)
    };

    let mut spans = Vec::new();
    let mut x = area.x;
    if show_title {
        x = x.saturating_add(width_u16(&title));
        spans.push(Span::styled(title, theme.app_title()));
    }
    for (i, label) in labels.iter().enumerate() {
        spans.push(Span::raw(" "));
        x = x.saturating_add(1);
        // Each tab is a stretch of its own, kept whole when the frame is turned around.
        bidi::cut(x, area.y);
        let label = if i == active {
            Span::styled(format!("[{label}]"), theme.active_tab())
        } else {
            Span::raw(label.clone())
        };
        x = x.saturating_add(width_u16(&label.content));
        spans.push(label);
    }
    let [left, right] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(width_u16(&" ".repeat(user_width))),
    ])
    .areas(area);
    draw_spans(frame, left, &spans);
    // Right-aligned by counting cells, not by ratatui (which counts "لا" as one).
    bidi::cut(right.x, right.y);
    frame.render_widget(
        Line::from(align_right(&format!(" {user} "), right.width)),
        right,
    );
}

/// Draws `spans` one after another on the first line of `area`, each where the one before it
/// ended as the terminal counts cells. (A ratatui `Line` places each span after the width
/// `unicode-width` gives the one before, one cell short for each "لا", so the next span would
/// cover its last letter.)
fn draw_spans(frame: &mut Frame, area: Rect, spans: &[Span]) {
    let mut x = area.x;
    for span in spans {
        if x >= area.right() {
            break;
        }
        let room = usize::from(area.right() - x);
        frame
            .buffer_mut()
            .set_stringn(x, area.y, &span.content, room, span.style);
        x = x.saturating_add(width_u16(&span.content));
    }
}

/// The cells `text` takes, as a width for an area.
fn width_u16(text: &str) -> u16 {
    u16::try_from(cells(text)).unwrap_or(u16::MAX)
}

/// `text` with spaces before it to fill `width` cells (counted as the terminal draws them).
fn align_right(text: &str, width: u16) -> String {
    let pad = usize::from(width).saturating_sub(cells(text));
    format!("{}{text}", " ".repeat(pad))
}

/// The bottom line: key hints at the left, the message at the right. A message takes the room
/// it needs before the hints do (up to two thirds of the line when the hints are long).
pub fn status_bar(
    frame: &mut Frame,
    area: Rect,
    hints: &[(String, String)],
    message: Option<&Message>,
    theme: &Theme,
) {
    let width = usize::from(area.width);
    let mut spans = vec![Span::raw(" ")];
    let mut x = area.x.saturating_add(1);
    // Where each hint's keys and words start: stretches of their own when the frame is turned
    // around (only those left of the message are marked, below).
    let mut cuts = Vec::new();
    for (i, (keys, what)) in hints.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
            x = x.saturating_add(2);
        }
        cuts.push(x);
        x = x.saturating_add(width_u16(keys) + 1);
        cuts.push(x);
        x = x.saturating_add(width_u16(what));
        spans.push(Span::styled(keys.clone(), theme.key()));
        spans.push(Span::raw(format!(" {what}")));
    }
    let hints_width: usize = spans.iter().map(|s| cells(&s.content)).sum();

    let message_width = match message {
        Some(message) => {
            let room = width
                .saturating_sub(hints_width + 1)
                .max(width * 2 / 3)
                .saturating_sub(1);
            let text = fit(&message.text, room);
            let text_width = cells(&text) + 1;
            let [_, right] = Layout::horizontal([
                Constraint::Fill(1),
                Constraint::Length(u16::try_from(text_width).unwrap_or(0)),
            ])
            .areas(area);
            bidi::cut(right.x, right.y);
            frame.render_widget(
                Line::styled(
                    align_right(&format!("{text} "), right.width),
                    theme.message(message.error),
                ),
                right,
            );
            text_width + 1
        }
        None => 0,
    };
    let left = Rect {
        width: u16::try_from(width.saturating_sub(message_width)).unwrap_or(0),
        ..area
    };
    for x in cuts.into_iter().filter(|x| *x < left.right()) {
        bidi::cut(x, area.y);
    }
    draw_spans(frame, left, &spans);
}

/// Shown instead of everything else while the terminal is smaller than the least Peygir needs.
pub fn too_small(frame: &mut Frame, area: Rect, min_width: u16, min_height: u16, theme: &Theme) {
    let text = t!(
        "terminal.too-small",
        width = area.width,
        height = area.height,
        min_width = min_width,
        min_height = min_height,
    );
    let [_, middle, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(3),
        Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(text)
            .style(theme.message(true))
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        middle,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tabs() -> Vec<Tab> {
        [
            "Inbox",
            "Contacts",
            "Cases",
            "Follow-ups",
            "Complaints",
            "Plans",
            "Reports",
        ]
        .iter()
        .enumerate()
        .map(|(i, name)| Tab {
            key: (i + 1).to_string(),
            name: (*name).to_string(),
            badge: (i == 0).then(|| "(3!)".to_string()),
        })
        .collect()
    }

    #[test]
    fn tabs_shorten_to_fit_but_the_focused_one_stays_whole() {
        let tabs = tabs();
        let full = labels(&tabs, 1, 200);
        assert_eq!(full[3], "4 Follow-ups");
        let short = labels(&tabs, 1, 60);
        assert!(width_of(&short) <= 60, "{short:?}");
        assert_eq!(short[1], "2 Contacts");
        assert!(short[3].starts_with("4 Fo"), "{short:?}");
        assert!(
            short[0].starts_with("1 In") && short[0].ends_with("~ (3!)"),
            "the badge stays: {short:?}"
        );
        let keys_only = labels(&tabs, 1, 34);
        assert_eq!(keys_only[0], "1 (3!)");
        assert_eq!(keys_only[1], "2 Contacts");
        assert_eq!(keys_only[2], "3");
        // Between the two, the first tabs keep their short names as far as there is room.
        let some = labels(&tabs, 1, 40);
        assert!(width_of(&some) <= 40, "{some:?}");
        assert_eq!(
            some,
            ["1 Inb~ (3!)", "2 Contacts", "3 Cas~", "4", "5", "6", "7"]
        );
    }

    /// The top line of an 80-column screen with each pane focused in turn (by `keys`), in the
    /// language, calendar and digits in force.
    fn tab_bars_at_80(keys: [char; 9]) -> String {
        use crate::tui::testing::{self, lines, press, render};
        let mut store = testing::store();
        store.add_work();
        let mut app = store.app(80, 24, Theme::plain());
        let mut bars = Vec::new();
        for key in keys {
            press(&mut app, &mut store.db, key);
            let line = lines(&render(&mut app, 80, 24)).swap_remove(0);
            // The inbox's overdue count shows whichever pane is focused.
            assert!(line.contains('!'), "{line}");
            bars.push(line);
        }
        bars.join("\n")
    }

    #[test]
    fn the_tab_bar_at_80_columns_names_what_fits() {
        let bars = tab_bars_at_80(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
        let first = bars.lines().next().unwrap_or_default();
        assert!(first.contains("[1 Inbox (3!)] 2 Con~ 3 Cas~"), "{bars}");
        insta::assert_snapshot!("tab_bar_80_en", bars);
    }

    #[test]
    fn the_tab_bar_at_80_columns_names_what_fits_in_persian() {
        use crate::domain::locale::{self, Calendar, Digits};
        use crate::i18n::{self, Lang};
        let bars = i18n::with_lang(Lang::Fa, || {
            locale::with(Calendar::Jalali, Digits::Persian, || {
                bidi::with_mode(bidi::Bidi::App, || {
                    tab_bars_at_80(['۱', '۲', '۳', '۴', '۵', '۶', '۷', '۸', '۹'])
                })
            })
        });
        insta::assert_snapshot!("tab_bar_80_fa", bars);
    }

    #[test]
    fn hints_with_lam_alef_keep_every_letter_and_their_places() {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;

        // "بالا" is four cells on a terminal and three to unicode-width: each hint after it must
        // still start where it belongs, and no letter is covered.
        let hints = vec![
            ("g g/G".to_string(), "بالا/پایین".to_string()),
            ("?".to_string(), "راهنما".to_string()),
        ];
        let user = "لالا (مدیر)";
        let mut terminal = Terminal::new(TestBackend::new(60, 2)).expect("test terminal");
        terminal
            .draw(|frame| {
                let [top, bottom] =
                    Layout::vertical([Constraint::Length(1), Constraint::Length(1)])
                        .areas(frame.area());
                tab_bar(frame, top, &tabs(), 0, user, &Theme::plain());
                status_bar(frame, bottom, &hints, None, &Theme::plain());
            })
            .expect("drawn");
        let rows = crate::tui::testing::lines(terminal.backend().buffer());
        assert!(
            rows[1].contains(" g g/G بالا/پایین  ? راهنما"),
            "{}",
            rows[1]
        );
        assert!(rows[0].ends_with(" لالا (مدیر) "), "{}", rows[0]);
    }
}
