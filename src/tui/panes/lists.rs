//! The reference lists an admin edits: on the left the lists (marketing channels, kinds, product
//! groups, regions, …), on the right the chosen list's entries as a tree, the inactive ones dim
//! and marked. Adding, renaming and moving an entry each open a small form and go through the
//! store; disabling and enabling one is a key. Anyone may look; the store lets only an admin
//! change a list, and a refused key says why before any form opens.

use std::collections::HashSet;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::{Effect, Mode, Pane, PaneId};
use crate::db::Db;
use crate::db::ids::LookupId;
use crate::domain::text::search_key;
use crate::error::{Error, Result};
use crate::store::lookups::{self, List, Lookup};
use crate::store::{Actor, Role};
use crate::t;
use crate::tui::action::Context;
use crate::tui::text::{cells, clean, fit, group_thousands};
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{FieldKind, FieldValue, Form, FormEvent, Values};
use crate::tui::widgets::tree::{Labels, Node, Tree};

/// The narrowest pane that shows the lists beside the entries; a narrower one shows the side
/// that has the focus.
const BESIDE_FROM: u16 = 60;
/// The most candidates the move's lookup offers at once.
const MAX_CANDIDATES: usize = 20;
/// The id the move's lookup gives "the top of the list".
const TOP: i64 = 0;

/// The form fields' keys.
const NAME: &str = "name";
const CODE: &str = "code";
const PARENT: &str = "parent";

/// Which side has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Lists,
    Entries,
}

/// What the open form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prompt {
    Add { parent: Option<LookupId> },
    Rename { id: LookupId },
    Move { id: LookupId },
}

pub struct Lists {
    actor: Actor,
    /// The selected list, an index into [`List::ALL`]; its entries are the ones shown.
    selected: usize,
    side: Side,
    /// The shown list's entries, active or not, in tree order.
    entries: Vec<Lookup>,
    tree: Tree,
    open: Option<(Prompt, Form)>,
}

impl Lists {
    pub fn new(actor: Actor) -> Lists {
        Lists {
            actor,
            selected: 0,
            side: Side::Lists,
            entries: Vec::new(),
            tree: Tree::new(),
            open: None,
        }
    }

    /// The list whose entries are shown.
    fn list(&self) -> List {
        List::ALL[self.selected.min(List::ALL.len() - 1)]
    }

    /// Reads the shown list's entries afresh; the selection stays on its entry while it is
    /// there, and folded entries stay folded.
    fn load(&mut self, db: &mut Db) -> Effect {
        match self.fetch(db) {
            Ok(()) => Effect::Done,
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    fn fetch(&mut self, db: &mut Db) -> Result<()> {
        let tree = lookups::depth_first(lookups::items_all(db, self.list())?);
        let active = tree.iter().filter(|(_, e)| e.active).count();
        let nodes = tree
            .iter()
            .map(|(depth, entry)| Node {
                id: i64::from(entry.id),
                parent: entry.parent_id.map(i64::from),
                depth: *depth,
                name: entry.name.clone(),
                note: if entry.active {
                    String::new()
                } else {
                    t!("lists.inactive")
                },
                dim: !entry.active,
            })
            .collect();
        self.tree.set(
            t!(
                "tree.count",
                count = group_thousands(i64::try_from(active).unwrap_or(0))
            ),
            nodes,
        );
        self.entries = tree.into_iter().map(|(_, entry)| entry).collect();
        Ok(())
    }

    /// Shows another list: its entries from the top.
    fn choose(&mut self, index: usize, db: &mut Db) -> Effect {
        let index = index.min(List::ALL.len() - 1);
        if index == self.selected {
            return Effect::Done;
        }
        self.selected = index;
        self.tree = Tree::new();
        self.load(db)
    }

    fn entry(&self, id: LookupId) -> Option<&Lookup> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// The entry selected on the right (not the first row, which stands for the whole list).
    fn selected_entry(&self) -> Option<&Lookup> {
        self.tree
            .selected_node()
            .and_then(|node| self.entry(LookupId(node.id)))
    }

    /// An entry's path from the top of its list: `Tehran province / Varamin`.
    fn path(&self, id: LookupId) -> String {
        let mut names = Vec::new();
        let mut at = self.entry(id);
        while let Some(entry) = at {
            if names.len() > self.entries.len() {
                break;
            }
            names.push(clean(&entry.name));
            at = entry.parent_id.and_then(|p| self.entry(p));
        }
        names.reverse();
        names.join(" / ")
    }

    /// Refuses a change unless the user is an admin (the store refuses it anyway).
    fn admin_only(&self) -> Option<Effect> {
        self.actor
            .require(Role::Admin, &t!("forbidden.edit-lookups"))
            .err()
            .map(|e| Effect::Error(e.to_string()))
    }

    /// The entry a change on the right is for, or why there is none.
    fn target(&self) -> std::result::Result<Lookup, Effect> {
        if self.side == Side::Lists {
            return Err(Effect::Error(t!("lists.pick-an-entry")));
        }
        self.selected_entry()
            .cloned()
            .ok_or_else(|| Effect::Error(t!("lists.pick-an-entry")))
    }

    fn open_add(&mut self) -> Effect {
        if let Some(refused) = self.admin_only() {
            return refused;
        }
        let list = self.list();
        // In a tree, under the entry selected on the right; else at the end of the list.
        let parent = match self.side {
            Side::Entries if list.is_tree() => self.selected_entry().map(|e| e.id),
            _ => None,
        };
        let title = match parent {
            Some(id) => t!("lists.add-under-title", parent = self.path(id)),
            None => t!("lists.add-title", list = list.name()),
        };
        let form = Form::new(title)
            .field(NAME, t!("field.lookup-name"), FieldKind::Text, true)
            .field(CODE, t!("lists.code-label"), FieldKind::Text, false);
        self.open = Some((Prompt::Add { parent }, form));
        Effect::Done
    }

    fn open_rename(&mut self) -> Effect {
        if let Some(refused) = self.admin_only() {
            return refused;
        }
        let entry = match self.target() {
            Ok(entry) => entry,
            Err(effect) => return effect,
        };
        let mut form = Form::new(t!("lists.rename-title", path = self.path(entry.id))).field(
            NAME,
            t!("field.lookup-name"),
            FieldKind::Text,
            true,
        );
        form.set_value(NAME, &clean(&entry.name));
        self.open = Some((Prompt::Rename { id: entry.id }, form));
        Effect::Done
    }

    fn open_move(&mut self) -> Effect {
        if let Some(refused) = self.admin_only() {
            return refused;
        }
        let list = self.list();
        if !list.is_tree() {
            return Effect::Error(t!("invalid.lookup-flat", list = list.name()));
        }
        let entry = match self.target() {
            Ok(entry) => entry,
            Err(effect) => return effect,
        };
        let mut form = Form::new(t!("lists.move-title", path = self.path(entry.id))).field(
            PARENT,
            t!("lists.parent-label"),
            FieldKind::Lookup,
            false,
        );
        if let Some(parent) = entry.parent_id {
            form.set_lookup(PARENT, parent, &self.path(parent));
        }
        self.open = Some((Prompt::Move { id: entry.id }, form));
        Effect::Done
    }

    /// Disables the selected entry, or enables it again.
    fn toggle(&mut self, db: &mut Db) -> Effect {
        if let Some(refused) = self.admin_only() {
            return refused;
        }
        let entry = match self.target() {
            Ok(entry) => entry,
            Err(effect) => return effect,
        };
        let result = lookups::set_active(db, &self.actor, entry.id, entry.version, !entry.active);
        let reload = self.load(db);
        match result {
            Ok(new) if new.active => Effect::Message(t!("lists.enabled", name = clean(&new.name))),
            Ok(new) => Effect::Message(t!("lists.disabled", name = clean(&new.name))),
            Err(e) => {
                let _ = reload;
                Effect::Error(e.to_string())
            }
        }
    }

    /// The entries the one moving may stand under whose path holds `query` (Persian-normalised):
    /// "the top of the list" first, then every entry but itself and those under it.
    fn parent_candidates(&self, moving: LookupId, query: &str) -> Vec<(i64, String)> {
        let key = search_key(query);
        let below: HashSet<i64> = self.tree.subtree(i64::from(moving));
        let top = t!("lists.top");
        let mut found: Vec<(i64, String)> = Vec::new();
        if search_key(&top).contains(&key) {
            found.push((TOP, top));
        }
        found.extend(
            self.entries
                .iter()
                .filter(|e| !below.contains(&i64::from(e.id)))
                .map(|e| (i64::from(e.id), self.path(e.id)))
                .filter(|(_, path)| search_key(path).contains(&key))
                .take(MAX_CANDIDATES),
        );
        found
    }

    fn save(&mut self, values: &[(&'static str, FieldValue)], db: &mut Db) -> Effect {
        let Some((prompt, _)) = &self.open else {
            return Effect::Ignored;
        };
        let prompt = *prompt;
        let values = Values(values);
        let name = values.text(NAME).unwrap_or_default();
        let list = self.list();
        let result: Result<(Lookup, String)> = match prompt {
            Prompt::Add { parent } => {
                let code = values.text(CODE);
                lookups::add(db, &self.actor, list, parent, &name, code.as_deref()).map(|new| {
                    let text = t!(
                        "lists.added",
                        name = clean(&new.name),
                        code = clean(&new.code)
                    );
                    (new, text)
                })
            }
            Prompt::Rename { id } => {
                let version = self.entry(id).map_or(0, |e| e.version);
                lookups::rename(db, &self.actor, id, version, &name).map(|new| {
                    let text = t!("lists.renamed", name = clean(&new.name));
                    (new, text)
                })
            }
            Prompt::Move { id } => {
                let parent = values
                    .lookup::<i64>(PARENT)
                    .filter(|&p| p != TOP)
                    .map(LookupId);
                let version = self.entry(id).map_or(0, |e| e.version);
                lookups::move_to(db, &self.actor, id, version, parent)
                    .map(|new| (new, String::new()))
            }
        };
        match result {
            Ok((new, text)) => {
                self.open = None;
                if let Err(e) = self.fetch(db) {
                    return Effect::Error(e.to_string());
                }
                self.side = Side::Entries;
                self.tree.select(Some(i64::from(new.id)));
                let text = match prompt {
                    Prompt::Move { .. } => match new.parent_id {
                        Some(parent) => t!(
                            "lists.moved-under",
                            name = clean(&new.name),
                            parent = self.path(parent)
                        ),
                        None => t!("lists.moved-top", name = clean(&new.name)),
                    },
                    _ => text,
                };
                Effect::Message(text)
            }
            Err(Error::Invalid(errors)) => {
                let message = Error::Invalid(errors.clone()).to_string();
                if let Some((_, form)) = self.open.as_mut() {
                    for error in &errors {
                        let field = match error.field {
                            "field.lookup-code" if matches!(prompt, Prompt::Add { .. }) => CODE,
                            "field.lookup-parent" if matches!(prompt, Prompt::Move { .. }) => {
                                PARENT
                            }
                            _ if matches!(prompt, Prompt::Move { .. }) => PARENT,
                            _ => NAME,
                        };
                        form.set_error(field, error.reason.clone());
                    }
                }
                Effect::Error(message)
            }
            Err(e) => {
                self.open = None;
                let _ = self.fetch(db);
                Effect::Error(e.to_string())
            }
        }
    }

    /// The lists on the left: the selected one marked while the side has the focus, bold
    /// otherwise.
    fn draw_lists(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let focused = self.side == Side::Lists;
        let block = Block::bordered().title(Line::styled(
            format!(" {} ", t!("lists.title")),
            theme.pane_title(),
        ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let width = usize::from(inner.width);
        let height = usize::from(inner.height).max(1);
        let offset = (self.selected + 1).saturating_sub(height);
        let lines: Vec<Line> = List::ALL
            .iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(i, list)| {
                let chosen = i == self.selected;
                let mark = if chosen && focused { "> " } else { "  " };
                let text = format!("{mark}{}", fit(&list.name(), width.saturating_sub(2)));
                let style = match (chosen, focused) {
                    (true, true) => theme.selected(),
                    (true, false) => Style::new().add_modifier(Modifier::BOLD),
                    _ => Style::new(),
                };
                Line::styled(text, style)
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }

    /// Where the lists and the entries go in `area`: side by side when there is room, else the
    /// side with the focus alone.
    fn split(&self, area: Rect) -> (Option<Rect>, Option<Rect>) {
        if area.width >= BESIDE_FROM {
            let widest = List::ALL
                .iter()
                .map(|l| cells(&l.name()))
                .max()
                .unwrap_or(0);
            let left = u16::try_from(widest + 5).unwrap_or(u16::MAX).clamp(16, 30);
            let [left, right] =
                Layout::horizontal([Constraint::Length(left), Constraint::Fill(1)]).areas(area);
            (Some(left), Some(right))
        } else {
            match self.side {
                Side::Lists => (Some(area), None),
                Side::Entries => (None, Some(area)),
            }
        }
    }
}

/// The status-bar hints while the lists have the focus, and while the entries have it.
const LIST_SIDE_HINTS: &[&[&str]] = &[&["list-down", "list-up"], &["open"], &["lookup-add"]];
const ENTRY_SIDE_HINTS: &[&[&str]] = &[
    &["lookup-add"],
    &["lookup-rename"],
    &["lookup-move"],
    &["lookup-toggle"],
    &["back"],
];

impl Pane for Lists {
    fn id(&self) -> PaneId {
        PaneId::Lists
    }

    fn contexts(&self) -> &'static [Context] {
        match self.side {
            Side::Lists => &[Context::Pane(PaneId::Lists), Context::List, Context::Tree],
            Side::Entries => &[Context::Pane(PaneId::Lists), Context::Tree, Context::List],
        }
    }

    fn hints(&self) -> &'static [&'static [&'static str]] {
        match self.side {
            Side::Lists => LIST_SIDE_HINTS,
            Side::Entries => ENTRY_SIDE_HINTS,
        }
    }

    fn mode(&self) -> Mode {
        if self.open.is_some() {
            Mode::Form
        } else {
            Mode::Normal
        }
    }

    fn show(&mut self, _area: Rect, db: &mut Db) -> Effect {
        self.load(db)
    }

    fn handle(&mut self, action: &str, db: &mut Db) -> Effect {
        match action {
            "lookup-add" | "tree-add" => return self.open_add(),
            "lookup-rename" | "tree-rename" => return self.open_rename(),
            "lookup-move" | "tree-move" => return self.open_move(),
            "lookup-toggle" => return self.toggle(db),
            _ => {}
        }
        match self.side {
            Side::Lists => {
                let last = List::ALL.len() - 1;
                let at = self.selected;
                match action {
                    "list-down" => self.choose((at + 1).min(last), db),
                    "list-up" => self.choose(at.saturating_sub(1), db),
                    "list-top" | "list-page-up" | "list-half-up" => self.choose(0, db),
                    "list-bottom" | "list-page-down" | "list-half-down" => self.choose(last, db),
                    "open" | "tree-unfold" | "tree-choose" => {
                        self.side = Side::Entries;
                        Effect::Done
                    }
                    _ => Effect::Ignored,
                }
            }
            Side::Entries => match action {
                "back" => {
                    self.side = Side::Lists;
                    Effect::Done
                }
                // Folding where there is nothing to fold goes back to the lists.
                "tree-fold" if !self.tree.can_fold() => {
                    self.side = Side::Lists;
                    Effect::Done
                }
                _ if self.tree.handle(action) => Effect::Done,
                _ => Effect::Ignored,
            },
        }
    }

    fn active_form(&mut self) -> Option<&mut Form> {
        self.open.as_mut().map(|(_, form)| form)
    }

    fn form_event(&mut self, event: FormEvent, db: &mut Db) -> Effect {
        match event {
            FormEvent::None | FormEvent::Chosen { .. } => Effect::Ignored,
            FormEvent::Cancel => {
                self.open = None;
                Effect::Done
            }
            FormEvent::Search { field, query } => {
                let Some((Prompt::Move { id }, _)) = &self.open else {
                    return Effect::Ignored;
                };
                let found = self.parent_candidates(*id, &query);
                if let Some((_, form)) = self.open.as_mut() {
                    form.set_candidates(field, found);
                }
                Effect::Done
            }
            FormEvent::Save(values) => self.save(&values, db),
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let (left, right) = self.split(area);
        if let Some(left) = left {
            self.draw_lists(frame, left, theme);
        }
        if let Some(right) = right {
            let list = self.list();
            let labels = Labels {
                title: if list.is_tree() {
                    t!("lists.entries-tree", list = list.name())
                } else {
                    list.name()
                },
                root: t!("lists.root"),
                empty: t!("lists.empty"),
            };
            self.tree.render(
                frame,
                right,
                theme,
                &labels,
                self.side == Side::Entries,
                None,
            );
        }
        if let Some((_, form)) = self.open.as_mut() {
            form.render_over(frame, area);
        }
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::tui::testing::{self, Store, draw_pane};

    fn ready() -> (Store, Lists) {
        let mut store = testing::store();
        crate::store::ensure_defaults(&mut store.db).expect("defaults");
        let mut pane = Lists::new(store.actor.clone());
        assert_eq!(
            pane.show(Rect::new(0, 0, 100, 30), &mut store.db),
            Effect::Done
        );
        (store, pane)
    }

    /// Sends a key to the open form and its event to the pane.
    fn key(pane: &mut Lists, db: &mut Db, action: Option<&str>, code: KeyCode) -> Effect {
        let form = pane.active_form().expect("a form is open");
        let event = form.handle(
            action,
            KeyEvent::new(code, KeyModifiers::NONE),
            testing::fixed_now(),
        );
        pane.form_event(event, db)
    }

    fn type_text(pane: &mut Lists, db: &mut Db, text: &str) {
        for c in text.chars() {
            key(pane, db, None, KeyCode::Char(c));
        }
    }

    fn clear(pane: &mut Lists, db: &mut Db) {
        for _ in 0..40 {
            key(pane, db, None, KeyCode::Backspace);
        }
    }

    fn save(pane: &mut Lists, db: &mut Db) -> Effect {
        key(pane, db, Some("form-save"), KeyCode::Char('s'))
    }

    /// Goes down the lists to `list` and over to its entries.
    fn open_list(pane: &mut Lists, db: &mut Db, list: List) {
        pane.handle("list-top", db);
        while pane.list() != list {
            assert_eq!(pane.handle("list-down", db), Effect::Done);
        }
        assert_eq!(pane.handle("open", db), Effect::Done);
    }

    fn find(db: &mut Db, list: List, code: &str) -> Option<Lookup> {
        lookups::find(db, list, code).expect("read")
    }

    #[test]
    fn the_lists_and_a_tree_of_entries_side_by_side() {
        let (mut store, mut pane) = ready();
        open_list(&mut pane, &mut store.db, List::Region);
        let screen = draw_pane(&mut pane, 80, 12);
        let text = screen.join("\n");
        assert!(
            screen[0].contains(" Lists ") && screen[0].contains(" Regions (tree) "),
            "{text}"
        );
        assert!(text.contains("Marketing channels"), "{text}");
        assert!(text.contains("  Regions"), "{text}");
        assert!(text.contains("> Top of the list (21)"), "{text}");
        assert!(text.contains("- Tehran province"), "{text}");
        assert!(text.contains("    Eslamshahr"), "{text}");
        // Moving the selection on the left shows another list's entries.
        pane.handle("back", &mut store.db);
        pane.handle("list-down", &mut store.db);
        assert_eq!(pane.list(), List::ComplaintCategory);
        assert!(
            draw_pane(&mut pane, 80, 12)
                .join("\n")
                .contains("Late delivery")
        );
    }

    #[test]
    fn an_entry_is_added_renamed_moved_and_disabled_through_the_keys() {
        let (mut store, mut pane) = ready();
        let db = &mut store.db;
        open_list(&mut pane, db, List::Region);
        // Under the selected province.
        pane.handle("list-down", db);
        assert_eq!(
            pane.selected_entry().map(|e| e.code.as_str()),
            Some("tehran")
        );
        assert_eq!(pane.handle("lookup-add", db), Effect::Done);
        type_text(&mut pane, db, "Pardis");
        assert_eq!(
            save(&mut pane, db),
            Effect::Message("Added Pardis (tehran.pardis).".into())
        );
        assert!(pane.active_form().is_none());
        let pardis = find(db, List::Region, "tehran.pardis").expect("added");
        assert_eq!(pane.selected_entry().map(|e| e.id), Some(pardis.id));

        // A taken code is refused beside the field and the form stays open.
        let tehran = find(db, List::Region, "tehran").expect("Tehran province");
        pane.tree.select(Some(i64::from(tehran.id)));
        pane.handle("lookup-add", db);
        type_text(&mut pane, db, "Varamin");
        let Effect::Error(message) = save(&mut pane, db) else {
            panic!("a taken code should be refused");
        };
        assert!(
            message.contains("the code tehran.varamin is already Varamin's"),
            "{message}"
        );
        assert!(pane.active_form().is_some());
        pane.open = None;

        // Rename.
        pane.tree.select(Some(i64::from(pardis.id)));
        pane.handle("lookup-rename", db);
        clear(&mut pane, db);
        type_text(&mut pane, db, "Pardis new town");
        assert_eq!(
            save(&mut pane, db),
            Effect::Message("Renamed to Pardis new town.".into())
        );

        // Move under Isfahan: the lookup offers the top and no entry inside the one moving.
        pane.handle("lookup-move", db);
        let offered = pane.parent_candidates(tehran.id, "tehran");
        assert!(
            offered.iter().all(|(id, _)| *id != i64::from(tehran.id)),
            "{offered:?}"
        );
        assert!(pane.parent_candidates(pardis.id, "")[0] == (TOP, "(top of the list)".into()));
        clear(&mut pane, db);
        type_text(&mut pane, db, "isfahan prov");
        key(&mut pane, db, None, KeyCode::Enter);
        assert_eq!(
            save(&mut pane, db),
            Effect::Message("Moved Pardis new town under Isfahan province.".into())
        );
        let isfahan = find(db, List::Region, "isfahan").expect("Isfahan province");
        assert_eq!(
            find(db, List::Region, "tehran.pardis").and_then(|e| e.parent_id),
            Some(isfahan.id)
        );

        // Disable: still listed here, dim and marked; enable again.
        assert_eq!(
            pane.handle("lookup-toggle", db),
            Effect::Message(
                "Disabled Pardis new town: no longer offered; the records that have it keep it."
                    .into()
            )
        );
        assert!(
            !find(db, List::Region, "tehran.pardis")
                .expect("there")
                .active
        );
        let text = draw_pane(&mut pane, 80, 30).join("\n");
        assert!(text.contains("Pardis new town (inactive)"), "{text}");
        assert!(matches!(
            pane.handle("lookup-toggle", db),
            Effect::Message(_)
        ));
        assert!(
            find(db, List::Region, "tehran.pardis")
                .expect("there")
                .active
        );
    }

    #[test]
    fn a_flat_list_adds_at_its_end_and_moves_nothing() {
        let (mut store, mut pane) = ready();
        let db = &mut store.db;
        open_list(&mut pane, db, List::MarketingChannel);
        pane.handle("list-down", db);
        pane.handle("lookup-add", db);
        type_text(&mut pane, db, "Radio");
        assert!(matches!(save(&mut pane, db), Effect::Message(_)));
        let radio = find(db, List::MarketingChannel, "radio").expect("added");
        assert_eq!(radio.parent_id, None);
        let Effect::Error(message) = pane.handle("lookup-move", db) else {
            panic!("a flat list has nothing to move under");
        };
        assert!(message.contains("flat"), "{message}");
        assert!(pane.active_form().is_none());
        // On the lists' side, a change to an entry asks for one first.
        pane.handle("back", db);
        assert_eq!(
            pane.handle("lookup-rename", db),
            Effect::Error(t!("lists.pick-an-entry"))
        );
        // Folding at the top goes back to the lists, unfolding to the entries.
        pane.handle("tree-unfold", db);
        assert_eq!(pane.side, Side::Entries);
        pane.handle("list-top", db);
        pane.handle("tree-fold", db);
        assert_eq!(pane.side, Side::Lists);
    }

    #[test]
    fn an_agent_sees_the_lists_and_a_refused_key_says_why() {
        let (mut store, _) = ready();
        let id = crate::store::users::insert_user(&mut store.db, "sara", "Sara", Role::Agent, None)
            .expect("an agent");
        let agent = Actor {
            id,
            login: "sara".into(),
            role: Role::Agent,
        };
        let mut pane = Lists::new(agent);
        pane.show(Rect::new(0, 0, 100, 30), &mut store.db);
        open_list(&mut pane, &mut store.db, List::Region);
        pane.handle("list-down", &mut store.db);
        for action in [
            "lookup-add",
            "lookup-rename",
            "lookup-move",
            "lookup-toggle",
        ] {
            let effect = pane.handle(action, &mut store.db);
            let Effect::Error(message) = effect else {
                panic!("{action} should be refused: {effect:?}");
            };
            assert!(
                message.contains("sara may not change the reference lists"),
                "{message}"
            );
            assert!(pane.active_form().is_none());
        }
        assert!(
            find(&mut store.db, List::Region, "tehran")
                .expect("there")
                .active
        );
    }

    #[test]
    fn the_lists_at_80x24_and_120x40() {
        let mut store = testing::store();
        crate::store::ensure_defaults(&mut store.db).expect("defaults");
        for (width, height) in [(80, 24), (120, 40)] {
            let mut app = store.app(width, height, Theme::plain());
            testing::press(&mut app, &mut store.db, '8');
            for _ in 0..6 {
                testing::press(&mut app, &mut store.db, 'j');
            }
            testing::press_key(&mut app, &mut store.db, KeyCode::Enter, KeyModifiers::NONE);
            testing::press(&mut app, &mut store.db, 'j');
            let screen = testing::text(&testing::render(&mut app, width, height));
            insta::assert_snapshot!(format!("lists_{width}x{height}"), screen);
        }
    }
}
