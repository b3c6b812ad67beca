//! The command palette: every action of the current screen by name and description, narrowed by
//! a fuzzy filter as the user types; Enter runs the chosen one.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::tui::action::{self, Context};
use crate::tui::bidi;
use crate::tui::keymap::Keymap;
use crate::tui::text::{cells, fit};

/// One row of the palette.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub action: &'static str,
    pub description: String,
    pub keys: String,
}

/// What a key did to the palette.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaletteEvent {
    None,
    Run(&'static str),
    Close,
}

pub struct Palette {
    query: String,
    entries: Vec<Entry>,
    shown: Vec<usize>,
    selected: usize,
    matcher: Matcher,
}

impl Palette {
    /// A palette over the actions of `contexts`, with their keys as bound now.
    pub fn new(keymap: &Keymap, contexts: &[Context]) -> Palette {
        let entries: Vec<Entry> = action::all()
            .iter()
            .filter(|a| contexts.contains(&a.context))
            .map(|a| Entry {
                action: a.name,
                description: action::description(a.name),
                keys: keymap.hint(a.name),
            })
            .collect();
        let shown = (0..entries.len()).collect();
        Palette {
            query: String::new(),
            entries,
            shown,
            selected: 0,
            matcher: Matcher::new(Config::DEFAULT),
        }
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    /// The entries that match the query, best first.
    pub fn shown(&self) -> Vec<&Entry> {
        self.shown
            .iter()
            .filter_map(|&i| self.entries.get(i))
            .collect()
    }

    fn refilter(&mut self) {
        self.selected = 0;
        if self.query.trim().is_empty() {
            self.shown = (0..self.entries.len()).collect();
            return;
        }
        let pattern = Pattern::parse(&self.query, CaseMatching::Ignore, Normalization::Smart);
        let haystacks: Vec<String> = self
            .entries
            .iter()
            .map(|e| format!("{} {}", e.action, e.description))
            .collect();
        let mut scored: Vec<(usize, u32)> = Vec::new();
        let mut buf = Vec::new();
        for (i, hay) in haystacks.iter().enumerate() {
            let utf32 = nucleo_matcher::Utf32Str::new(hay, &mut buf);
            if let Some(score) = pattern.score(utf32, &mut self.matcher) {
                scored.push((i, score));
            }
        }
        scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        self.shown = scored.into_iter().map(|(i, _)| i).collect();
    }

    /// Handles a key: `action` is what the keymap's palette section made of it, if anything;
    /// anything else edits the query.
    pub fn handle(&mut self, action: Option<&str>, key: KeyEvent) -> PaletteEvent {
        match action {
            Some("palette-close") => return PaletteEvent::Close,
            Some("palette-run") => {
                return self
                    .shown
                    .get(self.selected)
                    .and_then(|&i| self.entries.get(i))
                    .map_or(PaletteEvent::None, |e| PaletteEvent::Run(e.action));
            }
            Some("palette-down") => {
                self.selected = (self.selected + 1).min(self.shown.len().saturating_sub(1));
                return PaletteEvent::None;
            }
            Some("palette-up") => {
                self.selected = self.selected.saturating_sub(1);
                return PaletteEvent::None;
            }
            _ => {}
        }
        match key.code {
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.query.push(c);
                self.refilter();
            }
            KeyCode::Backspace => {
                self.query.pop();
                self.refilter();
            }
            _ => {}
        }
        PaletteEvent::None
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        frame.render_widget(Clear, area);
        bidi::forget(area);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(format!(" {} ", crate::t!("palette.title")));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height == 0 {
            return;
        }
        let width = usize::from(inner.width);
        let mut lines = vec![Line::from(format!("> {}_", self.query))];
        let rows = usize::from(inner.height.saturating_sub(1));
        let start = self.selected.saturating_sub(rows.saturating_sub(1));
        let rows_at = inner.y.saturating_add(1)..inner.bottom();
        for (y, (n, entry)) in
            rows_at.zip(self.shown().into_iter().enumerate().skip(start).take(rows))
        {
            // The marker, the action, its keys and its description are stretches of their own,
            // which a right-to-left screen turns around as columns.
            let action_at = 2;
            let keys_at = action_at + cells(entry.action).max(18) + 1;
            let description_at = keys_at + cells(&entry.keys).max(12) + 1;
            for at in [action_at, keys_at, description_at] {
                if let Ok(at) = u16::try_from(at) {
                    bidi::cut(inner.x.saturating_add(at), y);
                }
            }
            let marker = if n == self.selected { "> " } else { "  " };
            let text = format!(
                "{marker}{:<18} {:<12} {}",
                entry.action, entry.keys, entry.description
            );
            let style = if n == self.selected {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            lines.push(Line::from(Span::styled(fit(&text, width), style)));
        }
        if self.shown.is_empty() {
            lines.push(Line::from(crate::t!("palette.no-match")));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::panes::PaneId;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn typing_narrows_and_enter_runs() {
        let keymap = Keymap::defaults();
        let mut palette = Palette::new(
            &keymap,
            &[
                Context::Pane(PaneId::Contacts),
                Context::List,
                Context::Global,
            ],
        );
        assert!(palette.shown().iter().any(|e| e.action == "list-down"));
        assert!(
            !palette.shown().iter().any(|e| e.action == "form-save"),
            "only this screen's actions"
        );
        for c in "logcal".chars() {
            palette.handle(None, key(c));
        }
        assert_eq!(palette.shown().first().map(|e| e.action), Some("log-call"));
        assert_eq!(
            palette.handle(
                Some("palette-run"),
                KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)
            ),
            PaletteEvent::Run("log-call")
        );
        for c in "zzzzqq".chars() {
            palette.handle(None, key(c));
        }
        assert!(palette.shown().is_empty());
        assert_eq!(
            palette.handle(
                Some("palette-run"),
                KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)
            ),
            PaletteEvent::None
        );
        assert_eq!(
            palette.handle(
                Some("palette-close"),
                KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)
            ),
            PaletteEvent::Close
        );
    }

    #[test]
    fn rebound_keys_show_in_the_palette() {
        let mut keymap = Keymap::defaults();
        let (user, _) =
            crate::tui::keymap::parse("[global]\nlog-call = { keys = [\"ctrl-l\"] }\n", "u.toml");
        keymap.merge(user);
        let palette = Palette::new(&keymap, &[Context::Global]);
        let entry = palette
            .shown()
            .into_iter()
            .find(|e| e.action == "log-call")
            .cloned();
        assert_eq!(entry.map(|e| e.keys), Some("ctrl-l".to_string()));
    }
}
