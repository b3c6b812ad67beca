//! A tree in a frame: nodes indented by depth under a first row that stands for them all, folded
//! and unfolded from the keyboard, one row selected, one node marked in bold, and nodes out of use
//! drawn dim. It knows nothing of what the nodes are: its owner hands it the nodes (depth first)
//! and the words to show, and reads back which row is selected.
//!
//! Rows are drawn with ASCII only (indentation, `+`/`-` fold markers, `>` on the selected row),
//! so a `TERM=linux` console and a screen without colour show everything.

use std::collections::HashSet;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::tui::bidi;
use crate::tui::text::{cells, clean, fit};
use crate::tui::theme::Theme;

/// Marks the selected row where colour and reverse video may not show.
const SELECTED_MARK: &str = "> ";
const UNSELECTED_MARK: &str = "  ";
/// Each level of depth indents by this much.
const INDENT: &str = "  ";
/// The cells a node's name keeps however deep it is (when the row is that wide).
const NAME_ROOM: usize = 8;
const FOLDED: &str = "+ ";
const UNFOLDED: &str = "- ";
const LEAF: &str = "  ";

/// One node: its id, its parent's, how deep it is (0 at the top), its name, the note shown after
/// the name (a count such as `(12)`, a mark such as `(inactive)`, or nothing), and whether it is
/// drawn dim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: i64,
    pub parent: Option<i64>,
    pub depth: usize,
    pub name: String,
    pub note: String,
    pub dim: bool,
}

/// The words a tree is drawn with.
pub struct Labels {
    /// The frame's title.
    pub title: String,
    /// The first row's name.
    pub root: String,
    /// Said below the first row when there are no nodes.
    pub empty: String,
}

pub struct Tree {
    /// Every node, depth first.
    nodes: Vec<Node>,
    /// The note on the first row.
    root_note: String,
    folded: HashSet<i64>,
    /// The rows shown: `None` is the first row, `Some(i)` is `nodes[i]`.
    visible: Vec<Option<usize>>,
    /// The selected row, an index into `visible`.
    selected: usize,
    /// The first row drawn.
    offset: usize,
    /// How many rows the last drawing had room for.
    height: usize,
}

impl Default for Tree {
    fn default() -> Self {
        Tree::new()
    }
}

impl Tree {
    pub fn new() -> Tree {
        Tree {
            nodes: Vec::new(),
            root_note: String::new(),
            folded: HashSet::new(),
            visible: vec![None],
            selected: 0,
            offset: 0,
            height: 20,
        }
    }

    /// Puts `nodes` (depth first) in place of those shown: folded nodes stay folded and the
    /// selection stays on its node while it is there.
    pub fn set(&mut self, root_note: String, nodes: Vec<Node>) {
        let keep = self.selected_row();
        let ids: HashSet<i64> = nodes.iter().map(|n| n.id).collect();
        self.folded.retain(|id| ids.contains(id));
        self.nodes = nodes;
        self.root_note = root_note;
        self.rebuild();
        match keep {
            Some(Some(id)) if ids.contains(&id) => self.select(Some(id)),
            Some(None) => self.selected = 0,
            _ => self.selected = self.selected.min(self.visible.len() - 1),
        }
    }

    /// The node with this id.
    pub fn node(&self, id: i64) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Every node, depth first.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Works out which rows show, from the nodes and what is folded.
    fn rebuild(&mut self) {
        let mut visible = Vec::with_capacity(self.nodes.len() + 1);
        visible.push(None);
        let mut hidden_below: Option<usize> = None;
        for (i, node) in self.nodes.iter().enumerate() {
            if let Some(depth) = hidden_below {
                if node.depth > depth {
                    continue;
                }
                hidden_below = None;
            }
            visible.push(Some(i));
            if self.folded.contains(&node.id) && self.has_children(i) {
                hidden_below = Some(node.depth);
            }
        }
        self.visible = visible;
        self.selected = self.selected.min(self.visible.len() - 1);
    }

    fn has_children(&self, i: usize) -> bool {
        match (self.nodes.get(i), self.nodes.get(i + 1)) {
            (Some(node), Some(next)) => next.depth > node.depth,
            _ => false,
        }
    }

    fn index_of(&self, id: i64) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    /// The node and every node below it.
    pub fn subtree(&self, id: i64) -> HashSet<i64> {
        match self.index_of(id) {
            Some(i) => {
                let depth = self.nodes[i].depth;
                std::iter::once(id)
                    .chain(
                        self.nodes[i + 1..]
                            .iter()
                            .take_while(|n| n.depth > depth)
                            .map(|n| n.id),
                    )
                    .collect()
            }
            None => HashSet::from([id]),
        }
    }

    /// The selected row: `Some(None)` for the first row, `Some(Some(id))` for a node.
    pub fn selected_row(&self) -> Option<Option<i64>> {
        self.visible
            .get(self.selected)
            .map(|row| row.and_then(|i| self.nodes.get(i)).map(|n| n.id))
    }

    /// The selected node, if a node (not the first row) is selected.
    pub fn selected_node(&self) -> Option<&Node> {
        self.visible
            .get(self.selected)
            .copied()
            .flatten()
            .and_then(|i| self.nodes.get(i))
    }

    /// The place of the selected row among those shown, from 0.
    pub fn selected_place(&self) -> usize {
        self.selected
    }

    /// Selects the row at `place` among those shown, or the last.
    pub fn select_place(&mut self, place: usize) {
        self.selected = place.min(self.visible.len() - 1);
    }

    /// Selects a node (`None`: the first row), unfolding what hides it.
    pub fn select(&mut self, id: Option<i64>) {
        let Some(id) = id else {
            self.selected = 0;
            return;
        };
        let mut parent = self.node(id).and_then(|n| n.parent);
        let mut unfolded = false;
        while let Some(p) = parent {
            unfolded |= self.folded.remove(&p);
            parent = self.node(p).and_then(|n| n.parent);
        }
        if unfolded {
            self.rebuild();
        }
        if let Some(row) = self.visible.iter().position(|row| {
            row.and_then(|i| self.nodes.get(i))
                .is_some_and(|n| n.id == id)
        }) {
            self.selected = row;
        }
    }

    /// Runs a list move or a fold; false for any other action.
    pub fn handle(&mut self, action: &str) -> bool {
        let last = self.visible.len() - 1;
        let page = self.height.max(1);
        match action {
            "list-down" => self.selected = (self.selected + 1).min(last),
            "list-up" => self.selected = self.selected.saturating_sub(1),
            "list-top" => self.selected = 0,
            "list-bottom" => self.selected = last,
            "list-page-down" => self.selected = (self.selected + page).min(last),
            "list-page-up" => self.selected = self.selected.saturating_sub(page),
            "list-half-down" => self.selected = (self.selected + (page / 2).max(1)).min(last),
            "list-half-up" => self.selected = self.selected.saturating_sub((page / 2).max(1)),
            "tree-fold" => self.fold(),
            "tree-unfold" => self.unfold(),
            _ => return false,
        }
        true
    }

    /// Whether folding does anything where the selection is: it is on a node with its children
    /// showing, or on a node with a parent to go to.
    pub fn can_fold(&self) -> bool {
        let Some(Some(i)) = self.visible.get(self.selected).copied() else {
            return false;
        };
        self.nodes.get(i).is_some_and(|node| {
            node.parent.is_some() || (self.has_children(i) && !self.folded.contains(&node.id))
        })
    }

    /// Folds the selected node; on a leaf or a folded node, goes to its parent.
    fn fold(&mut self) {
        let Some(Some(i)) = self.visible.get(self.selected).copied() else {
            return;
        };
        let Some(node) = self.nodes.get(i) else {
            return;
        };
        let id = node.id;
        let parent = node.parent;
        if self.has_children(i) && !self.folded.contains(&id) {
            self.folded.insert(id);
            self.rebuild();
            self.select(Some(id));
        } else if parent.is_some() {
            self.select(parent);
        }
    }

    /// Unfolds the selected node; on an unfolded one, goes to its first child.
    fn unfold(&mut self) {
        let Some(Some(i)) = self.visible.get(self.selected).copied() else {
            return;
        };
        if !self.has_children(i) {
            return;
        }
        let Some(id) = self.nodes.get(i).map(|n| n.id) else {
            return;
        };
        if self.folded.remove(&id) {
            self.rebuild();
            self.select(Some(id));
        } else {
            self.selected = (self.selected + 1).min(self.visible.len() - 1);
        }
    }

    /// Draws the tree into `area`; the selected row carries `>` (and reverse video) while the
    /// tree has the focus, and the `marked` node (`None`: the first row) is bold.
    pub fn render(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        labels: &Labels,
        focused: bool,
        marked: Option<i64>,
    ) {
        let block = Block::bordered().title(Line::styled(
            format!(" {} ", labels.title),
            theme.pane_title(),
        ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        self.height = usize::from(inner.height).max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + self.height {
            self.offset = self.selected + 1 - self.height;
        }
        self.offset = self
            .offset
            .min(self.visible.len().saturating_sub(self.height));
        let width = usize::from(inner.width);
        let mut lines: Vec<Line> = self
            .visible
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(self.height)
            .zip(inner.y..inner.bottom())
            .map(|((row, &node), y)| {
                let selected = focused && row == self.selected;
                let (text, name_at, note_at) = self.row_text(node, selected, width, &labels.root);
                // The marks, the name and the note are stretches of their own, so a
                // right-to-left screen shows the note left of the name whatever its script.
                for at in [name_at, note_at] {
                    if let Ok(at) = u16::try_from(at) {
                        bidi::cut(inner.x.saturating_add(at), y);
                    }
                }
                let mut style = Style::new();
                let shown = node.and_then(|i| self.nodes.get(i));
                if shown.map(|n| n.id) == marked {
                    style = style.add_modifier(Modifier::BOLD);
                }
                if shown.is_some_and(|n| n.dim) {
                    style = style.patch(theme.note()).add_modifier(Modifier::DIM);
                }
                if selected {
                    style = style.patch(theme.selected());
                }
                Line::from(Span::styled(text, style))
            })
            .collect();
        if self.nodes.is_empty() && lines.len() < self.height {
            lines.push(Line::styled(
                format!(
                    "{UNSELECTED_MARK}{}",
                    fit(&labels.empty, width.saturating_sub(2))
                ),
                theme.note(),
            ));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }

    /// One row as text, `width` cells at most: the mark, the indentation, the fold marker, the
    /// name (cut if need be) and the note; with the cells where the name and the note start.
    fn row_text(
        &self,
        row: Option<usize>,
        selected: bool,
        width: usize,
        root: &str,
    ) -> (String, usize, usize) {
        let mark = if selected {
            SELECTED_MARK
        } else {
            UNSELECTED_MARK
        };
        let (lead, name, note) = match row.and_then(|i| self.nodes.get(i).map(|n| (i, n))) {
            None => (String::new(), root.to_string(), clean(&self.root_note)),
            Some((i, node)) => {
                let fold = if !self.has_children(i) {
                    LEAF
                } else if self.folded.contains(&node.id) {
                    FOLDED
                } else {
                    UNFOLDED
                };
                let note = clean(&node.note);
                // However deep the node, its name keeps some room: past that depth the rows
                // stop moving right.
                let levels = width
                    .saturating_sub(cells(mark) + cells(fold) + cells(&note) + 1 + NAME_ROOM)
                    / cells(INDENT);
                (
                    format!("{}{fold}", INDENT.repeat(node.depth.min(levels))),
                    clean(&node.name),
                    note,
                )
            }
        };
        let gap = usize::from(!note.is_empty());
        let room = width.saturating_sub(cells(mark) + cells(&lead) + gap + cells(&note));
        let name = fit(&name, room);
        let name_at = cells(mark) + cells(&lead);
        let note_at = name_at + cells(&name) + gap;
        let space = if note.is_empty() { "" } else { " " };
        (format!("{mark}{lead}{name}{space}{note}"), name_at, note_at)
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::tui::testing;

    fn node(id: i64, parent: Option<i64>, depth: usize, name: &str) -> Node {
        Node {
            id,
            parent,
            depth,
            name: name.to_string(),
            note: format!("({id})"),
            dim: false,
        }
    }

    fn draw(tree: &mut Tree, marked: Option<i64>) -> Vec<String> {
        let labels = Labels {
            title: "Things".to_string(),
            root: "Everything".to_string(),
            empty: "Nothing".to_string(),
        };
        let mut terminal = Terminal::new(TestBackend::new(30, 6)).expect("test terminal");
        terminal
            .draw(|frame| tree.render(frame, frame.area(), &Theme::plain(), &labels, true, marked))
            .expect("drawn");
        testing::lines(terminal.backend().buffer())
    }

    #[test]
    fn nodes_fold_under_their_parent_and_the_selection_survives_new_nodes() {
        let mut tree = Tree::new();
        assert!(draw(&mut tree, None)[2].starts_with("│  Nothing"));
        tree.set(
            "(9)".to_string(),
            vec![
                node(1, None, 0, "A"),
                node(2, Some(1), 1, "B"),
                node(3, None, 0, "C"),
            ],
        );
        let rows = draw(&mut tree, None);
        assert!(rows[0].starts_with("┌ Things "), "{}", rows[0]);
        assert!(rows[1].starts_with("│> Everything (9)"), "{}", rows[1]);
        assert!(rows[2].starts_with("│  - A (1)"), "{}", rows[2]);
        assert!(rows[3].starts_with("│      B (2)"), "{}", rows[3]);
        assert!(tree.handle("list-down"));
        assert!(tree.handle("tree-fold"));
        assert!(!tree.handle("open"));
        assert!(draw(&mut tree, None)[3].starts_with("│    C (3)"));
        // Selecting a folded node's child unfolds its parent.
        tree.select(Some(2));
        assert_eq!(tree.selected_row(), Some(Some(2)));
        assert_eq!(tree.subtree(1), HashSet::from([1, 2]));
        tree.set(
            "(9)".to_string(),
            vec![node(3, None, 0, "C"), node(2, None, 0, "B")],
        );
        assert_eq!(tree.selected_node().map(|n| n.id), Some(2));
    }
}
