//! Generic widgets shared by the panes, knowing nothing of the domain and never calling the
//! store: the list window (which pages through whatever `Source` its owner gives it), the entry
//! form, the search box over a list, the tree, the command palette and the help overlay.

pub mod form;
pub mod help;
pub mod list;
pub mod palette;
pub mod search;
pub mod tree;

use ratatui::layout::Rect;

/// Where an overlay (a form, the palette, the help) goes: centred over the pane, at most 100
/// cells wide and `height` high.
pub fn overlay_area(pane: Rect, height: u16) -> Rect {
    let width = pane.width.min(100);
    let height = height.min(pane.height).max(3.min(pane.height));
    Rect {
        x: pane.x + (pane.width - width) / 2,
        y: pane.y,
        width,
        height,
    }
}
