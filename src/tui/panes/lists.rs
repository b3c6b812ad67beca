//! The reference lists an admin edits: on the left the lists (marketing channels, kinds, product
//! groups, regions, …, and last the organisational units), on the right the chosen list's
//! entries as a tree, the inactive ones dim and marked. Adding, renaming and moving an entry each
//! open a small form and go through the store; disabling and enabling one is a key (units have
//! no such state: the key says so). Anyone may look; the store lets only an admin change a list,
//! and a refused key says why before any form opens.

use std::collections::HashSet;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::{Effect, Mode, Pane, PaneId};
use crate::db::Db;
use crate::db::ids::{LookupId, OrgUnitId};
use crate::domain::text::search_key;
use crate::error::{Error, Result};
use crate::store::lookups::{self, List, Lookup};
use crate::store::org_units::{self, OrgUnit};
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

/// A list on the left: a reference list, or the organisational units (the last).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Lookup(List),
    OrgUnits,
}

impl Shown {
    /// How many lists the left side has.
    const COUNT: usize = List::ALL.len() + 1;

    /// The list at `index` on the left (the last past the end).
    fn at(index: usize) -> Shown {
        List::ALL
            .get(index)
            .map_or(Shown::OrgUnits, |list| Shown::Lookup(*list))
    }

    fn all() -> impl Iterator<Item = Shown> {
        (0..Shown::COUNT).map(Shown::at)
    }

    fn name(self) -> String {
        match self {
            Shown::Lookup(list) => list.name(),
            Shown::OrgUnits => t!("lists.org-units"),
        }
    }

    fn is_tree(self) -> bool {
        match self {
            Shown::Lookup(list) => list.is_tree(),
            Shown::OrgUnits => true,
        }
    }

    /// What the store says a user who may not change the list may not do.
    fn forbidden(self) -> String {
        match self {
            Shown::Lookup(_) => t!("forbidden.edit-lookups"),
            Shown::OrgUnits => t!("forbidden.edit-units"),
        }
    }

    /// The label of an entry's name in the forms.
    fn name_label(self) -> String {
        match self {
            Shown::Lookup(_) => t!("field.lookup-name"),
            Shown::OrgUnits => t!("field.unit-name"),
        }
    }
}

/// An entry on the right, a reference list's or a unit (which has no code and is always in use),
/// its ids as the tree holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    id: i64,
    parent_id: Option<i64>,
    name: String,
    code: String,
    active: bool,
    version: i64,
}

impl From<Lookup> for Entry {
    fn from(entry: Lookup) -> Entry {
        Entry {
            id: i64::from(entry.id),
            parent_id: entry.parent_id.map(i64::from),
            name: entry.name,
            code: entry.code,
            active: entry.active,
            version: entry.version,
        }
    }
}

impl From<OrgUnit> for Entry {
    fn from(unit: OrgUnit) -> Entry {
        Entry {
            id: i64::from(unit.id),
            parent_id: unit.parent_id.map(i64::from),
            name: unit.name,
            code: String::new(),
            active: true,
            version: unit.version,
        }
    }
}

/// What the open form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prompt {
    Add { parent: Option<i64> },
    Rename { id: i64 },
    Move { id: i64 },
}

pub struct Lists {
    actor: Actor,
    /// The selected list, an index into [`Shown::at`]; its entries are the ones shown.
    selected: usize,
    side: Side,
    /// The shown list's entries, active or not, in tree order.
    entries: Vec<Entry>,
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
    fn shown(&self) -> Shown {
        Shown::at(self.selected)
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
        let tree: Vec<(usize, Entry)> = match self.shown() {
            Shown::Lookup(list) => lookups::depth_first(lookups::items_all(db, list)?)
                .into_iter()
                .map(|(depth, entry)| (depth, Entry::from(entry)))
                .collect(),
            Shown::OrgUnits => org_units::tree(db)?
                .into_iter()
                .map(|(depth, unit)| (depth, Entry::from(unit)))
                .collect(),
        };
        let active = tree.iter().filter(|(_, e)| e.active).count();
        let nodes = tree
            .iter()
            .map(|(depth, entry)| Node {
                id: entry.id,
                parent: entry.parent_id,
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
        let index = index.min(Shown::COUNT - 1);
        if index == self.selected {
            return Effect::Done;
        }
        self.selected = index;
        self.tree = Tree::new();
        self.load(db)
    }

    fn entry(&self, id: i64) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// The entry selected on the right (not the first row, which stands for the whole list).
    fn selected_entry(&self) -> Option<&Entry> {
        self.tree
            .selected_node()
            .and_then(|node| self.entry(node.id))
    }

    /// An entry's path from the top of its list: `Tehran province / Varamin`.
    fn path(&self, id: i64) -> String {
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
            .require(Role::Admin, &self.shown().forbidden())
            .err()
            .map(|e| Effect::Error(e.to_string()))
    }

    /// The entry a change on the right is for, or why there is none.
    fn target(&self) -> std::result::Result<Entry, Effect> {
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
        let shown = self.shown();
        // In a tree, under the entry selected on the right; else at the end of the list.
        let parent = match self.side {
            Side::Entries if shown.is_tree() => self.selected_entry().map(|e| e.id),
            _ => None,
        };
        let title = match parent {
            Some(id) => t!("lists.add-under-title", parent = self.path(id)),
            None => t!("lists.add-title", list = shown.name()),
        };
        let mut form = Form::new(title).field(NAME, shown.name_label(), FieldKind::Text, true);
        if let Shown::Lookup(_) = shown {
            form = form.field(CODE, t!("lists.code-label"), FieldKind::Text, false);
        }
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
            self.shown().name_label(),
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
        let shown = self.shown();
        if !shown.is_tree() {
            return Effect::Error(t!("invalid.lookup-flat", list = shown.name()));
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

    /// Disables the selected entry, or enables it again; units are never disabled.
    fn toggle(&mut self, db: &mut Db) -> Effect {
        if self.shown() == Shown::OrgUnits {
            return Effect::Message(t!("lists.units-stay"));
        }
        if let Some(refused) = self.admin_only() {
            return refused;
        }
        let entry = match self.target() {
            Ok(entry) => entry,
            Err(effect) => return effect,
        };
        let id = LookupId(entry.id);
        let result = lookups::set_active(db, &self.actor, id, entry.version, !entry.active);
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
    fn parent_candidates(&self, moving: i64, query: &str) -> Vec<(i64, String)> {
        let key = search_key(query);
        let below: HashSet<i64> = self.tree.subtree(moving);
        let top = t!("lists.top");
        let mut found: Vec<(i64, String)> = Vec::new();
        if search_key(&top).contains(&key) {
            found.push((TOP, top));
        }
        found.extend(
            self.entries
                .iter()
                .filter(|e| !below.contains(&e.id))
                .map(|e| (e.id, self.path(e.id)))
                .filter(|(_, path)| search_key(path).contains(&key))
                .take(MAX_CANDIDATES),
        );
        found
    }

    /// Sends what the open form holds to the store: the entry as it now is, or why not.
    fn write(&self, prompt: Prompt, values: &Values, db: &mut Db) -> Result<Entry> {
        let name = values.text(NAME).unwrap_or_default();
        let parent = values.lookup::<i64>(PARENT).filter(|&p| p != TOP);
        let actor = &self.actor;
        let version = |id: i64| self.entry(id).map_or(0, |e| e.version);
        match (self.shown(), prompt) {
            (Shown::Lookup(list), Prompt::Add { parent }) => {
                let code = values.text(CODE);
                let parent = parent.map(LookupId);
                lookups::add(db, actor, list, parent, &name, code.as_deref()).map(Entry::from)
            }
            (Shown::Lookup(_), Prompt::Rename { id }) => {
                lookups::rename(db, actor, LookupId(id), version(id), &name).map(Entry::from)
            }
            (Shown::Lookup(_), Prompt::Move { id }) => {
                let parent = parent.map(LookupId);
                lookups::move_to(db, actor, LookupId(id), version(id), parent).map(Entry::from)
            }
            (Shown::OrgUnits, Prompt::Add { parent }) => {
                org_units::add(db, actor, parent.map(OrgUnitId), &name).map(Entry::from)
            }
            // A unit is renamed where it stands, and moved under its name.
            (Shown::OrgUnits, Prompt::Rename { id }) => {
                let parent = self.entry(id).and_then(|e| e.parent_id).map(OrgUnitId);
                org_units::change(db, actor, OrgUnitId(id), version(id), parent, &name)
                    .map(Entry::from)
            }
            (Shown::OrgUnits, Prompt::Move { id }) => {
                let name = self.entry(id).map(|e| e.name.clone()).unwrap_or_default();
                let parent = parent.map(OrgUnitId);
                org_units::change(db, actor, OrgUnitId(id), version(id), parent, &name)
                    .map(Entry::from)
            }
        }
    }

    fn save(&mut self, values: &[(&'static str, FieldValue)], db: &mut Db) -> Effect {
        let Some((prompt, _)) = &self.open else {
            return Effect::Ignored;
        };
        let prompt = *prompt;
        match self.write(prompt, &Values(values), db) {
            Ok(new) => {
                self.open = None;
                if let Err(e) = self.fetch(db) {
                    return Effect::Error(e.to_string());
                }
                self.side = Side::Entries;
                self.tree.select(Some(new.id));
                let name = clean(&new.name);
                let text = match (prompt, self.shown()) {
                    (Prompt::Add { .. }, Shown::Lookup(_)) => {
                        t!("lists.added", name = name, code = clean(&new.code))
                    }
                    (Prompt::Add { .. }, Shown::OrgUnits) => t!("lists.unit-added", name = name),
                    (Prompt::Rename { .. }, _) => t!("lists.renamed", name = name),
                    (Prompt::Move { .. }, _) => match new.parent_id {
                        Some(parent) => {
                            t!("lists.moved-under", name = name, parent = self.path(parent))
                        }
                        None => t!("lists.moved-top", name = name),
                    },
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
        let lines: Vec<Line> = Shown::all()
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
            let widest = Shown::all().map(|l| cells(&l.name())).max().unwrap_or(0);
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

/// The status-bar hints while the lists have the focus, while the entries have it, and while the
/// units have it (which are never disabled).
const LIST_SIDE_HINTS: &[&[&str]] = &[&["list-down", "list-up"], &["open"], &["lookup-add"]];
const ENTRY_SIDE_HINTS: &[&[&str]] = &[
    &["lookup-add"],
    &["lookup-rename"],
    &["lookup-move"],
    &["lookup-toggle"],
    &["back"],
];
const UNIT_SIDE_HINTS: &[&[&str]] = &[
    &["lookup-add"],
    &["lookup-rename"],
    &["lookup-move"],
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
        match (self.side, self.shown()) {
            (Side::Lists, _) => LIST_SIDE_HINTS,
            (Side::Entries, Shown::Lookup(_)) => ENTRY_SIDE_HINTS,
            (Side::Entries, Shown::OrgUnits) => UNIT_SIDE_HINTS,
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
                let last = Shown::COUNT - 1;
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
            let shown = self.shown();
            let labels = Labels {
                title: if shown.is_tree() {
                    t!("lists.entries-tree", list = shown.name())
                } else {
                    shown.name()
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

    /// Goes down the lists to `shown` and over to its entries.
    fn open(pane: &mut Lists, db: &mut Db, shown: Shown) {
        pane.handle("list-top", db);
        while pane.shown() != shown {
            assert_eq!(pane.handle("list-down", db), Effect::Done);
        }
        assert_eq!(pane.handle("open", db), Effect::Done);
    }

    fn open_list(pane: &mut Lists, db: &mut Db, list: List) {
        open(pane, db, Shown::Lookup(list));
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
        assert_eq!(pane.shown(), Shown::Lookup(List::ComplaintCategory));
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
        assert_eq!(
            pane.selected_entry().map(|e| e.id),
            Some(i64::from(pardis.id))
        );

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
        let offered = pane.parent_candidates(i64::from(tehran.id), "tehran");
        assert!(
            offered.iter().all(|(id, _)| *id != i64::from(tehran.id)),
            "{offered:?}"
        );
        assert!(
            pane.parent_candidates(i64::from(pardis.id), "")[0]
                == (TOP, "(top of the list)".into())
        );
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

    /// The pane as sara, an agent, sees it.
    fn agents_pane(db: &mut Db) -> Lists {
        let id = crate::store::users::insert_user(db, "sara", "Sara", Role::Agent, None)
            .expect("an agent");
        let mut pane = Lists::new(Actor {
            id,
            login: "sara".into(),
            role: Role::Agent,
        });
        pane.show(Rect::new(0, 0, 100, 30), db);
        pane
    }

    #[test]
    fn an_agent_sees_the_lists_and_a_refused_key_says_why() {
        let (mut store, _) = ready();
        let mut pane = agents_pane(&mut store.db);
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

    /// The unit called `name`, read from the store.
    fn unit(db: &mut Db, name: &str) -> OrgUnit {
        org_units::tree(db)
            .expect("read")
            .into_iter()
            .map(|(_, unit)| unit)
            .find(|unit| unit.name == name)
            .unwrap_or_else(|| panic!("no unit {name}"))
    }

    #[test]
    fn organisational_units_are_the_last_list_and_are_added_renamed_and_moved() {
        let (mut store, mut pane) = ready();
        let db = &mut store.db;
        pane.handle("list-bottom", db);
        assert_eq!(pane.shown(), Shown::OrgUnits);
        let text = draw_pane(&mut pane, 80, 16).join("\n");
        assert!(text.contains("Organisational units (tree)"), "{text}");
        assert!(text.contains("> Organisational units"), "{text}");
        open(&mut pane, db, Shown::OrgUnits);

        // At the top while the first row is selected: a name and no code.
        assert_eq!(pane.handle("lookup-add", db), Effect::Done);
        assert_eq!(pane.active_form().expect("open").keys(), [NAME]);
        type_text(&mut pane, db, "Head office");
        assert_eq!(
            save(&mut pane, db),
            Effect::Message("Added the unit Head office.".into())
        );
        let head = unit(db, "Head office");
        assert_eq!(head.parent_id, None);
        assert_eq!(
            pane.selected_entry().map(|e| e.id),
            Some(i64::from(head.id))
        );
        // Under the selected unit.
        for name in ["Tehran sales", "Isfahan sales"] {
            pane.tree.select(Some(i64::from(head.id)));
            pane.handle("lookup-add", db);
            type_text(&mut pane, db, name);
            assert_eq!(
                save(&mut pane, db),
                Effect::Message(format!("Added the unit {name}."))
            );
            assert_eq!(unit(db, name).parent_id, Some(head.id));
        }
        // A second unit of the same name beside it is refused beside the name, the form open.
        pane.tree.select(Some(i64::from(head.id)));
        pane.handle("lookup-add", db);
        type_text(&mut pane, db, "Tehran sales");
        let Effect::Error(message) = save(&mut pane, db) else {
            panic!("a twin should be refused");
        };
        assert!(
            message.contains("already a unit called Tehran sales"),
            "{message}"
        );
        assert_eq!(
            pane.active_form().expect("still open").text_of(NAME),
            "Tehran sales"
        );
        pane.open = None;

        // Rename where it stands.
        let tehran = unit(db, "Tehran sales");
        pane.tree.select(Some(i64::from(tehran.id)));
        pane.handle("lookup-rename", db);
        clear(&mut pane, db);
        type_text(&mut pane, db, "Tehran north");
        assert_eq!(
            save(&mut pane, db),
            Effect::Message("Renamed to Tehran north.".into())
        );
        let tehran = org_units::get(db, tehran.id).expect("there");
        assert_eq!(
            (tehran.name.as_str(), tehran.parent_id),
            ("Tehran north", Some(head.id))
        );

        // Move under a sibling, then to the top.
        pane.handle("lookup-move", db);
        clear(&mut pane, db);
        type_text(&mut pane, db, "isfahan");
        key(&mut pane, db, None, KeyCode::Enter);
        assert_eq!(
            save(&mut pane, db),
            Effect::Message("Moved Tehran north under Head office / Isfahan sales.".into())
        );
        let isfahan = unit(db, "Isfahan sales");
        assert_eq!(unit(db, "Tehran north").parent_id, Some(isfahan.id));
        let text = draw_pane(&mut pane, 80, 16).join("\n");
        assert!(text.contains("- Head office"), "{text}");
        assert!(text.contains("    - Isfahan sales"), "{text}");
        assert!(text.contains(">       Tehran north"), "{text}");
        pane.handle("lookup-move", db);
        clear(&mut pane, db);
        type_text(&mut pane, db, "top");
        key(&mut pane, db, None, KeyCode::Enter);
        assert_eq!(
            save(&mut pane, db),
            Effect::Message("Moved Tehran north to the top of the list.".into())
        );
        assert_eq!(unit(db, "Tehran north").parent_id, None);

        // Units are never disabled: the key says so and changes nothing.
        let before = unit(db, "Tehran north");
        assert_eq!(
            pane.handle("lookup-toggle", db),
            Effect::Message(t!("lists.units-stay"))
        );
        assert_eq!(unit(db, "Tehran north"), before);
        assert!(pane.active_form().is_none());
        assert!(!pane.hints().concat().contains(&"lookup-toggle"));
    }

    #[test]
    fn a_unit_moved_inside_itself_is_refused_in_the_form_with_the_choice_kept() {
        let (mut store, mut pane) = ready();
        let actor = store.actor.clone();
        let db = &mut store.db;
        let head = org_units::add(db, &actor, None, "Head office").expect("a unit");
        let branch = org_units::add(db, &actor, None, "Branch").expect("a unit");
        open(&mut pane, db, Shown::OrgUnits);
        pane.tree.select(Some(i64::from(head.id)));
        pane.handle("lookup-move", db);
        type_text(&mut pane, db, "branch");
        key(&mut pane, db, None, KeyCode::Enter);
        // Meanwhile the branch is put under the head office, from the command line.
        let moved = org_units::change(
            db,
            &actor,
            branch.id,
            branch.version,
            Some(head.id),
            "Branch",
        )
        .expect("moved");
        let Effect::Error(message) = save(&mut pane, db) else {
            panic!("a loop of units should be refused");
        };
        assert!(
            message.contains("a unit cannot be put inside itself or a unit below it"),
            "{message}"
        );
        assert_eq!(
            pane.active_form().expect("still open").text_of(PARENT),
            "Branch"
        );
        let text = draw_pane(&mut pane, 120, 30).join("\n");
        assert!(
            text.contains("a unit cannot be put inside itself"),
            "{text}"
        );
        assert_eq!(org_units::get(db, head.id).expect("there").parent_id, None);
        // Once the branch is back at the top, the same form saves what it kept.
        org_units::change(db, &actor, branch.id, moved.version, None, "Branch").expect("back");
        assert_eq!(
            save(&mut pane, db),
            Effect::Message("Moved Head office under Branch.".into())
        );
        assert_eq!(
            org_units::get(db, head.id).expect("there").parent_id,
            Some(branch.id)
        );
    }

    #[test]
    fn an_agent_is_refused_a_change_to_the_units_before_any_form_opens() {
        let (mut store, _) = ready();
        let actor = store.actor.clone();
        let head = org_units::add(&mut store.db, &actor, None, "Head office").expect("a unit");
        let mut pane = agents_pane(&mut store.db);
        open(&mut pane, &mut store.db, Shown::OrgUnits);
        pane.handle("list-down", &mut store.db);
        assert_eq!(
            pane.selected_entry().map(|e| e.id),
            Some(i64::from(head.id))
        );
        for action in ["lookup-add", "lookup-rename", "lookup-move"] {
            let effect = pane.handle(action, &mut store.db);
            let Effect::Error(message) = effect else {
                panic!("{action} should be refused: {effect:?}");
            };
            assert!(
                message.contains("sara may not add or change organisational units"),
                "{message}"
            );
            assert!(pane.active_form().is_none());
        }
        assert_eq!(
            pane.handle("lookup-toggle", &mut store.db),
            Effect::Message(t!("lists.units-stay"))
        );
        assert_eq!(org_units::get(&mut store.db, head.id).expect("there"), head);
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
