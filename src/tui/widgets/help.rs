//! The help overlay: the bindings of the current screen as they are now, rebound keys included,
//! drawn from the same keymap the keys are resolved with.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::tui::action::{self, Context};
use crate::tui::bidi;
use crate::tui::keymap::{Keymap, sequence_text};
use crate::tui::text::{cells, fit};

pub struct Help {
    /// Each line: whether it is a heading, its text, and the cell its description starts at.
    lines: Vec<(bool, String, usize)>,
    scroll: usize,
}

impl Help {
    /// The help for a screen whose keys go through `contexts`, in that order.
    pub fn new(keymap: &Keymap, contexts: &[Context]) -> Help {
        let mut lines = Vec::new();
        for &context in contexts {
            let bindings = keymap.context_bindings(context);
            if bindings.is_empty() {
                continue;
            }
            lines.push((
                true,
                crate::i18n::lookup(&format!("context.{}", context.name()))
                    .unwrap_or(context.name())
                    .to_string(),
                0,
            ));
            for (name, sequences) in bindings {
                let keys = sequences
                    .iter()
                    .map(|s| sequence_text(s))
                    .collect::<Vec<_>>()
                    .join(", ");
                let keys = if keys.is_empty() {
                    "-".to_string()
                } else {
                    keys
                };
                let description = 2 + cells(&keys).max(16) + 1;
                lines.push((
                    false,
                    format!("  {keys:<16} {}", action::description(name)),
                    description,
                ));
            }
        }
        Help { lines, scroll: 0 }
    }

    /// The overlay's text, one entry a line (headings included).
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.lines.iter().map(|(_, l, _)| l.as_str())
    }

    pub fn scroll(&mut self, down: bool) {
        self.scroll = if down {
            (self.scroll + 1).min(self.lines.len().saturating_sub(1))
        } else {
            self.scroll.saturating_sub(1)
        };
    }

    /// Draws the help; the scroll stops where the last line shows at the bottom.
    pub fn render(&mut self, frame: &mut Frame, area: Rect) {
        frame.render_widget(Clear, area);
        bidi::forget(area);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(format!(" {} ", crate::t!("help.title")));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let width = usize::from(inner.width);
        self.scroll = self
            .scroll
            .min(self.lines.len().saturating_sub(usize::from(inner.height)));
        let shown = self
            .lines
            .iter()
            .skip(self.scroll)
            .take(usize::from(inner.height));
        // The keys and what they do are two stretches, which a right-to-left screen turns
        // around: keys at the right, descriptions to their left.
        for (y, (_, _, description)) in (inner.y..inner.bottom()).zip(shown.clone()) {
            if let Ok(at) = u16::try_from(*description)
                && *description > 0
            {
                bidi::cut(inner.x.saturating_add(at), y);
            }
        }
        let lines: Vec<Line> = shown
            .map(|(heading, text, _)| {
                if *heading {
                    Line::from(Span::styled(
                        fit(&format!("[{text}]"), width),
                        Style::default().add_modifier(Modifier::BOLD),
                    ))
                } else {
                    Line::from(fit(text, width))
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_shows_the_keys_in_force() {
        let mut keymap = Keymap::defaults();
        let (user, _) =
            crate::tui::keymap::parse("[list]\nlist-down = { keys = [\"ctrl-j\"] }\n", "u.toml");
        keymap.merge(user);
        let help = Help::new(&keymap, &[Context::List, Context::Global]);
        let text: Vec<&str> = help.lines().collect();
        assert!(
            text.iter()
                .any(|l| l.contains("ctrl-j") && l.contains("Move down")),
            "{text:#?}"
        );
        assert!(
            !text.iter().any(|l| l.trim_start().starts_with("j, down")),
            "{text:#?}"
        );
        assert!(text.iter().any(|l| l.contains("Quit Peygir")));
    }
}
