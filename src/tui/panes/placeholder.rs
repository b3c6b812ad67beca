//! A pane that is not built yet: its frame and a sentence saying what is coming, so every tab
//! leads somewhere.

use ratatui::Frame;
use ratatui::layout::Constraint::{Fill, Length};
use ratatui::layout::{Alignment, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{Effect, Pane, PaneId};
use crate::db::Db;
use crate::t;
use crate::tui::action::Context;
use crate::tui::theme::Theme;

pub struct Placeholder {
    id: PaneId,
}

impl Placeholder {
    pub fn new(id: PaneId) -> Placeholder {
        Placeholder { id }
    }
}

impl Pane for Placeholder {
    fn id(&self) -> PaneId {
        self.id
    }

    fn contexts(&self) -> &'static [Context] {
        // Nothing is built yet, so nothing of its own is bound.
        &[]
    }

    fn handle(&mut self, _action: &str, _db: &mut Db) -> Effect {
        Effect::Ignored
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let block = Block::bordered().title(Line::styled(
            format!(" {} ", self.title()),
            theme.pane_title(),
        ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [_, middle, _] = Layout::vertical([Fill(1), Length(4), Fill(1)]).areas(inner);
        frame.render_widget(
            Paragraph::new(match self.id {
                PaneId::Reports => t!("reports.coming"),
                _ => t!("pane.not-yet"),
            })
            .style(theme.note())
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
            middle,
        );
    }
}
