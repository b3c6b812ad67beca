//! How things look: the few styles the interface uses, with colour or without. `NO_COLOR` (set
//! and not empty, see no-color.org) turns every colour off; what matters is then carried by
//! reverse video, bold and marker characters, which read the same on a monochrome screen.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    colour: bool,
}

impl Theme {
    /// Colours unless the environment asks for none.
    pub fn from_env() -> Theme {
        let no_colour = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { colour: !no_colour }
    }

    pub const fn coloured() -> Theme {
        Theme { colour: true }
    }

    pub const fn plain() -> Theme {
        Theme { colour: false }
    }

    fn pick(&self, coloured: Style, plain: Style) -> Style {
        if self.colour { coloured } else { plain }
    }

    /// The focused pane's tab (which also carries brackets, for screens without colour).
    pub fn active_tab(&self) -> Style {
        let strong = Style::new().add_modifier(Modifier::BOLD);
        self.pick(
            strong.fg(Color::Black).bg(Color::Cyan),
            strong.add_modifier(Modifier::REVERSED),
        )
    }

    pub fn app_title(&self) -> Style {
        let strong = Style::new().add_modifier(Modifier::BOLD);
        self.pick(strong.fg(Color::Cyan), strong)
    }

    pub fn pane_title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn header(&self) -> Style {
        let strong = Style::new().add_modifier(Modifier::BOLD);
        self.pick(strong.fg(Color::Yellow), strong)
    }

    /// The selected row (which also carries a marker character).
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// A key in the status-bar hints.
    pub fn key(&self) -> Style {
        let strong = Style::new().add_modifier(Modifier::BOLD);
        self.pick(strong.fg(Color::Cyan), strong)
    }

    pub fn message(&self, error: bool) -> Style {
        if error {
            let strong = Style::new().add_modifier(Modifier::BOLD);
            self.pick(strong.fg(Color::Red), strong)
        } else {
            Style::new()
        }
    }

    /// Text that explains rather than shows data (empty lists, placeholders).
    pub fn note(&self) -> Style {
        self.pick(Style::new().fg(Color::Gray), Style::new())
    }
}
