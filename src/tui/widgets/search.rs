//! A one-line search box over a list: every change of its text is handed to the owner at once, so
//! the list narrows as the user types; up and down move in the list without leaving the box.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui_textarea::TextArea;

use crate::tui::text::{cells, clean};
use crate::tui::theme::Theme;

/// What a key did to the search box, for its owner to act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchEvent {
    None,
    /// The text changed: narrow the list to it.
    Changed(String),
    /// Enter: keep the text as the list's filter and give the keys back to the list.
    Accept,
    /// Esc: the text is dropped and the box closed.
    Cancel,
    /// A list action to run while the box stays open (`list-down`, `list-up`).
    Move(&'static str),
}

pub struct SearchBox {
    editor: TextArea<'static>,
    open: bool,
}

impl Default for SearchBox {
    fn default() -> Self {
        SearchBox::new()
    }
}

impl SearchBox {
    pub fn new() -> SearchBox {
        let mut editor = TextArea::default();
        editor.set_cursor_line_style(Style::default());
        SearchBox {
            editor,
            open: false,
        }
    }

    /// Takes the keys: typing goes into the box.
    pub fn open(&mut self) {
        self.open = true;
        self.editor.move_cursor(ratatui_textarea::CursorMove::End);
    }

    /// Whether the box takes the keys now.
    pub fn is_open(&self) -> bool {
        self.open
    }

    pub fn text(&self) -> String {
        self.editor.lines().join(" ")
    }

    /// Empties and closes the box.
    pub fn clear(&mut self) {
        *self = SearchBox::new();
    }

    /// Handles a key: `action` is what the keymap's search section made of it, if anything.
    pub fn handle(&mut self, action: Option<&str>, key: KeyEvent) -> SearchEvent {
        match action {
            Some("search-accept") => {
                self.open = false;
                SearchEvent::Accept
            }
            Some("search-cancel") => {
                self.clear();
                SearchEvent::Cancel
            }
            Some("search-down") => SearchEvent::Move("list-down"),
            Some("search-up") => SearchEvent::Move("list-up"),
            _ => {
                // One line only: a newline (typed or pasted) is not text here.
                let newline = key.code == KeyCode::Enter
                    || (key.code == KeyCode::Char('m')
                        && key.modifiers.contains(KeyModifiers::CONTROL));
                if !newline && self.editor.input(key) {
                    SearchEvent::Changed(self.text())
                } else {
                    SearchEvent::None
                }
            }
        }
    }

    /// Draws `label: text` in one line, with the cursor when the box is open.
    pub fn render(&self, frame: &mut Frame, area: Rect, label: &str, theme: &Theme) {
        let label = format!("{label}: ");
        let width = u16::try_from(cells(&label)).unwrap_or(u16::MAX);
        frame.render_widget(
            Line::from(Span::styled(label, theme.header())),
            Rect {
                width: width.min(area.width),
                ..area
            },
        );
        let input = Rect {
            x: area.x + width.min(area.width),
            width: area.width.saturating_sub(width),
            ..area
        };
        if self.open {
            frame.render_widget(&self.editor, input);
        } else {
            frame.render_widget(Line::from(clean(&self.text())), input);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn typing_reports_each_change_and_enter_keeps_the_text() {
        let mut search = SearchBox::new();
        search.open();
        assert_eq!(
            search.handle(None, key('س')),
            SearchEvent::Changed("س".into())
        );
        assert_eq!(
            search.handle(None, key('ا')),
            SearchEvent::Changed("سا".into())
        );
        assert_eq!(
            search.handle(Some("search-down"), KeyEvent::from(KeyCode::Down)),
            SearchEvent::Move("list-down")
        );
        assert_eq!(
            search.handle(Some("search-accept"), KeyEvent::from(KeyCode::Enter)),
            SearchEvent::Accept
        );
        assert!(!search.is_open());
        assert_eq!(search.text(), "سا");
    }

    #[test]
    fn esc_drops_the_text() {
        let mut search = SearchBox::new();
        search.open();
        search.handle(None, key('x'));
        assert_eq!(
            search.handle(Some("search-cancel"), KeyEvent::from(KeyCode::Esc)),
            SearchEvent::Cancel
        );
        assert_eq!(search.text(), "");
        assert!(!search.is_open());
    }

    #[test]
    fn a_newline_is_not_text() {
        let mut search = SearchBox::new();
        search.open();
        let ctrl_m = KeyEvent::new(KeyCode::Char('m'), KeyModifiers::CONTROL);
        assert_eq!(search.handle(None, ctrl_m), SearchEvent::None);
        assert_eq!(search.text(), "");
    }
}
