//! The category manager beside the contact list: the categories in a tree widget, each with how
//! many contacts its subtree holds, and the node whose contacts are listed (or all contacts).
//! Adding, renaming, moving and deleting a node each open a small form and go through the store;
//! the Contacts pane hands the form's events back through [`CategoryTree::form_event`].

use std::collections::{HashMap, HashSet};

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::db::Db;
use crate::db::ids::CategoryId;
use crate::domain::text::search_key;
use crate::error::{Error, Result};
use crate::store::contacts::{self, ContactFilter};
use crate::store::{Actor, Role};
use crate::store::{audit, categories};
use crate::t;
use crate::tui::panes::Effect;
use crate::tui::text::{clean, group_thousands};
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{Choice, FieldKind, FieldValue, Form, FormEvent};
use crate::tui::widgets::tree::{Labels, Node, Tree};

/// The most candidates a move's lookup offers at once.
const MAX_CANDIDATES: usize = 20;

/// What the open form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prompt {
    Add { parent: Option<CategoryId> },
    Rename { id: CategoryId },
    Move { id: CategoryId },
    Delete { id: CategoryId },
}

/// The form fields' keys.
const NAME: &str = "name";
const PARENT: &str = "parent";
const CONFIRM: &str = "confirm";

pub struct CategoryTree {
    /// Every node, depth first, as the store counted them, under "All contacts" (the contacts
    /// on file, not archived).
    tree: Tree,
    /// Each node's path, `Parent/Child`.
    paths: HashMap<CategoryId, String>,
    /// The node whose contacts are listed; `None` for all contacts.
    chosen: Option<CategoryId>,
    changed: bool,
    open: Option<(Prompt, Form)>,
    /// Where the store stood when the tree was read: the counts are read again only once
    /// someone (this session included) has changed the store since.
    read_at: audit::Mark,
}

impl Default for CategoryTree {
    fn default() -> Self {
        CategoryTree::new()
    }
}

impl CategoryTree {
    pub fn new() -> CategoryTree {
        CategoryTree {
            tree: Tree::new(),
            paths: HashMap::new(),
            chosen: None,
            changed: false,
            open: None,
            read_at: audit::Mark::default(),
        }
    }

    /// Reads the tree and its counts afresh if the store changed since they were read (counting
    /// takes a while on a big store; seeing that nothing changed is one index read); folded
    /// nodes stay folded and the selection stays on its node while it exists.
    pub fn load(&mut self, db: &mut Db) -> Effect {
        match self.fetch(db) {
            Ok(()) => Effect::Done,
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    fn fetch(&mut self, db: &mut Db) -> Result<()> {
        if self.read_at.holds(db) {
            return Ok(());
        }
        let mark = audit::Mark::now(db);
        let nodes = categories::tree(db)?;
        let all = contacts::count(db, &ContactFilter::default())?;
        let mut paths: HashMap<CategoryId, String> = HashMap::with_capacity(nodes.len());
        for node in &nodes {
            let path = match node.parent_id.and_then(|p| paths.get(&p)) {
                Some(parent) => format!("{parent}{}{}", categories::SEPARATOR, node.name),
                None => node.name.clone(),
            };
            paths.insert(node.id, path);
        }
        if let Some(id) = self.chosen
            && !paths.contains_key(&id)
        {
            self.chosen = None;
            self.changed = true;
        }
        self.paths = paths;
        let nodes = nodes
            .into_iter()
            .map(|node| Node {
                id: i64::from(node.id),
                parent: node.parent_id.map(i64::from),
                depth: node.depth,
                name: node.name,
                note: t!("tree.count", count = group_thousands(node.total)),
                dim: false,
            })
            .collect();
        self.tree
            .set(t!("tree.count", count = group_thousands(all)), nodes);
        self.read_at = mark;
        Ok(())
    }

    // The tree widget keys its nodes by the bare number of their id; these read and steer it
    // in categories' ids.

    /// The selected row: `Some(None)` for "All contacts", `Some(Some(id))` for a node.
    fn selected_row(&self) -> Option<Option<CategoryId>> {
        self.tree.selected_row().map(|row| row.map(CategoryId))
    }

    /// The selected node (not "All contacts"): its id, its parent's and its name.
    fn selected_node(&self) -> Option<(CategoryId, Option<CategoryId>, String)> {
        self.tree
            .selected_node()
            .map(|n| (CategoryId(n.id), n.parent.map(CategoryId), n.name.clone()))
    }

    /// Selects a node, unfolding what hides it.
    fn select(&mut self, id: CategoryId) {
        self.tree.select(Some(i64::from(id)));
    }

    /// Every node, depth first.
    fn ids(&self) -> impl Iterator<Item = CategoryId> + '_ {
        self.tree.nodes().iter().map(|n| CategoryId(n.id))
    }

    /// The node and every node below it.
    fn subtree(&self, id: CategoryId) -> HashSet<CategoryId> {
        self.tree
            .subtree(i64::from(id))
            .into_iter()
            .map(CategoryId)
            .collect()
    }

    /// The node whose contacts are listed, with its path; `None` lists every contact.
    pub fn chosen(&self) -> Option<(CategoryId, String)> {
        self.chosen
            .map(|id| (id, self.paths.get(&id).cloned().unwrap_or_default()))
    }

    /// Whether the chosen node (or what it holds) changed since last asked: the pane then
    /// lists its contacts afresh.
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }

    /// Whether the tree has a form open.
    pub fn has_form(&self) -> bool {
        self.open.is_some()
    }

    /// The form the tree has open (add, rename, move, delete), if any.
    pub fn form(&mut self) -> Option<&mut Form> {
        self.open.as_mut().map(|(_, form)| form)
    }

    /// Runs a tree or list action; `Effect::Ignored` for any other.
    pub fn handle(&mut self, action: &str, db: &mut Db, actor: &Actor) -> Effect {
        if self.tree.handle(action) {
            return Effect::Done;
        }
        match action {
            "tree-choose" => {
                let chosen = self.selected_row().flatten();
                if chosen != self.chosen {
                    self.chosen = chosen;
                    self.changed = true;
                }
            }
            "tree-add" => self.open_add(),
            "tree-rename" => return self.open_rename(),
            "tree-move" => return self.open_move(),
            "tree-delete" => return self.open_delete(db, actor),
            _ => return Effect::Ignored,
        }
        Effect::Done
    }

    fn path(&self, id: CategoryId) -> String {
        clean(self.paths.get(&id).map_or("", String::as_str))
    }

    fn open_add(&mut self) {
        let parent = self.selected_node().map(|(id, _, _)| id);
        let title = match parent {
            Some(id) => t!("tree.add-title", parent = self.path(id)),
            None => t!("tree.add-top-title"),
        };
        let form = Form::new(title).field(NAME, t!("field.category-name"), FieldKind::Text, true);
        self.open = Some((Prompt::Add { parent }, form));
    }

    fn open_rename(&mut self) -> Effect {
        let Some((id, _, name)) = self.selected_node() else {
            return Effect::Error(t!("tree.pick-a-node"));
        };
        let mut form = Form::new(t!("tree.rename-title", path = self.path(id))).field(
            NAME,
            t!("field.category-name"),
            FieldKind::Text,
            true,
        );
        form.set_value(NAME, &clean(&name));
        self.open = Some((Prompt::Rename { id }, form));
        Effect::Done
    }

    fn open_move(&mut self) -> Effect {
        let Some((id, parent, _)) = self.selected_node() else {
            return Effect::Error(t!("tree.pick-a-node"));
        };
        let mut form = Form::new(t!("tree.move-title", path = self.path(id))).field(
            PARENT,
            t!("field.category-parent"),
            FieldKind::Lookup,
            false,
        );
        if let Some(parent) = parent {
            form.set_lookup(PARENT, parent, &self.path(parent));
        }
        self.open = Some((Prompt::Move { id }, form));
        Effect::Done
    }

    fn open_delete(&mut self, db: &mut Db, actor: &Actor) -> Effect {
        let Some((id, _, _)) = self.selected_node() else {
            return Effect::Error(t!("tree.pick-a-node"));
        };
        if let Err(e) = actor.require(Role::Manager, "delete categories") {
            return Effect::Error(e.to_string());
        }
        let (contacts, children) = match categories::delete_preview(db, id) {
            Ok(preview) => preview,
            Err(e) => return Effect::Error(e.to_string()),
        };
        let choices = vec![
            Choice {
                value: "no".into(),
                label: t!("tree.delete-no"),
            },
            Choice {
                value: "yes".into(),
                label: t!("tree.delete-yes", what = consequences(contacts, children)),
            },
        ];
        let form = Form::new(t!("tree.delete-title", path = self.path(id))).field(
            CONFIRM,
            t!("tree.delete-label"),
            FieldKind::Choice(choices),
            false,
        );
        self.open = Some((Prompt::Delete { id }, form));
        Effect::Done
    }

    /// What the open form asked for: save, cancel, or candidates for the move's lookup.
    pub fn form_event(&mut self, event: FormEvent, db: &mut Db, actor: &Actor) -> Effect {
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
            FormEvent::Save(values) => self.save(&values, db, actor),
        }
    }

    /// The nodes `moving` may move under whose path holds `query` (Persian-normalised): every
    /// node but itself and those below it.
    fn parent_candidates(&self, moving: CategoryId, query: &str) -> Vec<(CategoryId, String)> {
        let key = search_key(query);
        let below = self.subtree(moving);
        self.ids()
            .filter(|id| !below.contains(id))
            .map(|id| (id, self.path(id)))
            .filter(|(_, path)| search_key(path).contains(&key))
            .take(MAX_CANDIDATES)
            .collect()
    }

    fn save(
        &mut self,
        values: &[(&'static str, FieldValue)],
        db: &mut Db,
        actor: &Actor,
    ) -> Effect {
        let Some((prompt, _)) = &self.open else {
            return Effect::Ignored;
        };
        let prompt = *prompt;
        let value = |key: &str| {
            values
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(FieldValue::Empty, |(_, v)| v.clone())
        };
        let text = |key: &str| match value(key) {
            FieldValue::Text(text) => text,
            _ => String::new(),
        };
        let result: Result<Outcome> = match prompt {
            Prompt::Add { parent } => {
                categories::add(db, actor, parent, &text(NAME)).map(Outcome::Added)
            }
            Prompt::Rename { id } => {
                categories::rename(db, actor, id, &text(NAME)).map(|()| Outcome::Renamed(id))
            }
            Prompt::Move { id } => {
                let parent = match value(PARENT) {
                    FieldValue::Lookup(parent) => Some(CategoryId(parent)),
                    _ => None,
                };
                categories::move_to(db, actor, id, parent).map(|()| Outcome::Moved(id))
            }
            Prompt::Delete { id } => match value(CONFIRM) {
                FieldValue::Choice(choice) if choice == "yes" => {
                    let path = self.path(id);
                    categories::delete(db, actor, id).map(|_| Outcome::Deleted(path))
                }
                _ => Ok(Outcome::Kept),
            },
        };
        match result {
            Ok(outcome) => {
                self.open = None;
                self.after(outcome, db)
            }
            Err(Error::Invalid(errors)) => {
                let field = match prompt {
                    Prompt::Add { .. } | Prompt::Rename { .. } => NAME,
                    Prompt::Move { .. } => PARENT,
                    Prompt::Delete { .. } => CONFIRM,
                };
                let message = Error::Invalid(errors.clone()).to_string();
                if let Some((_, form)) = self.open.as_mut() {
                    let reasons: Vec<&str> = errors.iter().map(|e| e.reason.as_str()).collect();
                    form.set_error(field, reasons.join("; "));
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

    /// Reloads after a change, selects what it touched and says what was done.
    fn after(&mut self, outcome: Outcome, db: &mut Db) -> Effect {
        if outcome == Outcome::Kept {
            return Effect::Done;
        }
        let at = self.tree.selected_place();
        if let Err(e) = self.fetch(db) {
            return Effect::Error(e.to_string());
        }
        // Renaming, moving or deleting may change what the chosen node lists or its path.
        if self.chosen.is_some() && !matches!(outcome, Outcome::Added(_)) {
            self.changed = true;
        }
        let message = match outcome {
            Outcome::Added(id) => {
                self.select(id);
                t!("tree.added", path = self.path(id))
            }
            Outcome::Renamed(id) => {
                self.select(id);
                t!("tree.renamed", path = self.path(id))
            }
            Outcome::Moved(id) => {
                self.select(id);
                t!("tree.moved", path = self.path(id))
            }
            Outcome::Deleted(path) => {
                self.tree.select_place(at);
                t!("tree.deleted", path = path)
            }
            Outcome::Kept => String::new(),
        };
        Effect::Message(message)
    }

    /// Draws the tree into `area`; the selected row carries `>` (and reverse video) while the
    /// tree has the focus, and the chosen node is bold.
    pub fn render(&mut self, frame: &mut Frame, area: Rect, theme: &Theme, focused: bool) {
        let labels = Labels {
            title: t!("tree.title"),
            root: t!("tree.all"),
            empty: t!("tree.empty"),
        };
        self.tree.render(
            frame,
            area,
            theme,
            &labels,
            focused,
            self.chosen.map(i64::from),
        );
    }
}

/// What a saved form did.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Added(CategoryId),
    Renamed(CategoryId),
    Moved(CategoryId),
    Deleted(String),
    /// The delete was not confirmed.
    Kept,
}

/// What deleting a node with these contacts and children does, in words.
fn consequences(contacts: i64, children: i64) -> String {
    let mut parts = Vec::new();
    match contacts {
        0 => {}
        1 => parts.push(t!("tree.delete-contacts-one")),
        n => parts.push(t!("tree.delete-contacts", count = group_thousands(n))),
    }
    match children {
        0 => {}
        1 => parts.push(t!("tree.delete-children-one")),
        n => parts.push(t!("tree.delete-children", count = group_thousands(n))),
    }
    if parts.is_empty() {
        t!("tree.delete-empty")
    } else {
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::testing::{self, Store};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    struct Fixture {
        store: Store,
        tree: CategoryTree,
        customers: CategoryId,
        retail: CategoryId,
        industrial: CategoryId,
        prospects: CategoryId,
    }

    /// Customers (Industrial, Retail) and Prospects; four contacts, one filed twice under
    /// Customers, one archived.
    fn fixture() -> Fixture {
        let mut store = testing::store();
        let actor = store.actor.clone();
        let db = &mut store.db;
        let customers = categories::add(db, &actor, None, "Customers").expect("added");
        let prospects = categories::add(db, &actor, None, "Prospects").expect("added");
        let industrial = categories::add(db, &actor, Some(customers), "Industrial").expect("added");
        let retail = categories::add(db, &actor, Some(customers), "Retail").expect("added");
        let reza = store.add_contact(testing::person("Reza", "Ahmadi"));
        let mina = store.add_contact(testing::person("Mina", "Karimi"));
        let pars = store.add_contact(testing::company("Pars Tejarat"));
        let gone = store.add_contact(testing::company("Gone Co."));
        let db = &mut store.db;
        categories::set_for_contact(db, &actor, reza, &[industrial, retail]).expect("filed");
        categories::set_for_contact(db, &actor, mina, &[retail]).expect("filed");
        categories::set_for_contact(db, &actor, pars, &[prospects, customers]).expect("filed");
        categories::set_for_contact(db, &actor, gone, &[retail]).expect("filed");
        contacts::archive(db, &actor, gone, 1).expect("archived");
        let mut tree = CategoryTree::new();
        assert_eq!(tree.load(&mut store.db), Effect::Done);
        Fixture {
            store,
            tree,
            customers,
            retail,
            industrial,
            prospects,
        }
    }

    impl Fixture {
        fn act(&mut self, action: &str) -> Effect {
            self.tree
                .handle(action, &mut self.store.db, &self.store.actor)
        }

        fn selected(&self) -> Option<CategoryId> {
            self.tree.selected_row().flatten()
        }

        fn screen(&mut self, width: u16, height: u16, focused: bool) -> Vec<String> {
            let mut terminal =
                Terminal::new(TestBackend::new(width, height)).expect("test terminal");
            terminal
                .draw(|frame| {
                    self.tree
                        .render(frame, frame.area(), &Theme::plain(), focused)
                })
                .expect("drawn");
            testing::lines(terminal.backend().buffer())
        }

        /// Sends a key to the open form and its event to the tree.
        fn key(&mut self, action: Option<&str>, code: KeyCode) -> Effect {
            let form = self.tree.form().expect("a form is open");
            let event = form.handle(
                action,
                KeyEvent::new(code, KeyModifiers::NONE),
                testing::fixed_now(),
            );
            self.tree
                .form_event(event, &mut self.store.db, &self.store.actor)
        }

        fn type_text(&mut self, text: &str) {
            for c in text.chars() {
                self.key(None, KeyCode::Char(c));
            }
        }

        fn clear_field(&mut self) {
            for _ in 0..40 {
                self.key(None, KeyCode::Backspace);
            }
        }

        fn save(&mut self) -> Effect {
            self.key(Some("form-save"), KeyCode::Char('s'))
        }
    }

    #[test]
    fn rows_show_depth_fold_markers_and_subtree_counts() {
        let mut f = fixture();
        let rows = f.screen(40, 8, true);
        assert!(rows[0].starts_with("┌ Categories "), "{}", rows[0]);
        let row = |i: usize| rows[i].trim_end_matches(['│', ' ']).to_string();
        assert_eq!(row(1), "│> All contacts (3)");
        // Reza is filed twice under Customers and counted once; the archived one not at all.
        assert_eq!(row(2), "│  - Customers (3)");
        assert_eq!(row(3), "│      Industrial (1)");
        assert_eq!(row(4), "│      Retail (2)");
        assert_eq!(row(5), "│    Prospects (1)");
        assert_eq!(row(6), "");
        // Only ASCII and the frame's box-drawing characters: a TERM=linux console draws it.
        for row in &rows {
            assert!(
                row.chars()
                    .all(|c| c.is_ascii() || ('\u{2500}'..='\u{257f}').contains(&c)),
                "{row}"
            );
        }
        let _ = (f.customers, f.prospects);
    }

    #[test]
    fn a_long_name_is_cut_and_the_count_stays() {
        let mut f = fixture();
        let actor = f.store.actor.clone();
        categories::rename(
            &mut f.store.db,
            &actor,
            f.retail,
            "Retail shops across every province",
        )
        .expect("renamed");
        f.tree.load(&mut f.store.db);
        let rows = f.screen(24, 8, false);
        assert_eq!(rows[4], "│      Retail shop~ (2)│");
        assert!(
            rows[1].starts_with("│  All contacts"),
            "not marked unfocused: {}",
            rows[1]
        );
    }

    #[test]
    fn moving_stops_at_the_ends_and_follows_folding() {
        let mut f = fixture();
        assert_eq!(f.selected(), None, "All contacts first");
        f.act("list-up");
        assert_eq!(f.selected(), None);
        f.act("list-down");
        assert_eq!(f.selected(), Some(f.customers));
        f.act("list-bottom");
        assert_eq!(f.selected(), Some(f.prospects));
        f.act("list-down");
        assert_eq!(f.selected(), Some(f.prospects));
        f.act("list-top");
        assert_eq!(f.selected(), None);

        // Fold Customers: its children hide, and a reload keeps it folded.
        f.act("list-down");
        f.act("tree-fold");
        assert_eq!(f.selected(), Some(f.customers));
        f.act("list-down");
        assert_eq!(f.selected(), Some(f.prospects));
        f.tree.load(&mut f.store.db);
        let rows = f.screen(40, 8, true);
        assert!(rows[2].starts_with("│  + Customers (3)"), "{}", rows[2]);
        assert!(rows[3].starts_with("│>   Prospects (1)"), "{}", rows[3]);

        // Unfold, then unfold again goes to the first child; fold on a child goes to its parent.
        f.act("list-up");
        f.act("tree-unfold");
        assert_eq!(f.selected(), Some(f.customers));
        f.act("tree-unfold");
        assert_eq!(f.selected(), Some(f.industrial));
        f.act("tree-fold");
        assert_eq!(f.selected(), Some(f.customers));
        assert_eq!(f.act("open"), Effect::Ignored);
    }

    #[test]
    fn choosing_a_node_reports_the_change_once() {
        let mut f = fixture();
        assert_eq!(f.tree.chosen(), None);
        assert!(!f.tree.take_changed());
        f.act("list-down");
        f.act("tree-unfold");
        assert_eq!(f.selected(), Some(f.industrial));
        f.act("list-down");
        assert_eq!(f.selected(), Some(f.retail));
        f.act("tree-choose");
        assert_eq!(
            f.tree.chosen(),
            Some((f.retail, "Customers/Retail".to_string()))
        );
        assert!(f.tree.take_changed());
        assert!(!f.tree.take_changed(), "only once");
        f.act("tree-choose");
        assert!(!f.tree.take_changed(), "the same node again is no change");
        let rows = f.screen(40, 8, false);
        assert!(rows[4].contains("Retail (2)"), "{}", rows[4]);
        f.act("list-top");
        f.act("tree-choose");
        assert_eq!(f.tree.chosen(), None);
        assert!(f.tree.take_changed());
    }

    #[test]
    fn a_node_is_added_renamed_and_moved_through_forms() {
        let mut f = fixture();
        // Under the selected node.
        f.act("list-down");
        assert_eq!(f.act("tree-add"), Effect::Done);
        f.type_text("Wholesale");
        let Effect::Message(message) = f.save() else {
            panic!("the add should be stored");
        };
        assert_eq!(message, "Added Customers/Wholesale.");
        assert!(f.tree.form().is_none());
        let wholesale = categories::find_path(&mut f.store.db, "Customers/Wholesale")
            .expect("read")
            .expect("added");
        assert_eq!(f.selected(), Some(wholesale));

        // A sibling's name is refused beside the field, and the form stays open.
        f.act("tree-rename");
        f.clear_field();
        f.type_text("retail");
        let Effect::Error(message) = f.save() else {
            panic!("a twin name should be refused");
        };
        assert!(
            message.contains("Customers/Retail is already there"),
            "{message}"
        );
        assert!(f.tree.form().is_some());
        f.clear_field();
        f.type_text("Wholesale trade");
        assert!(matches!(f.save(), Effect::Message(_)));
        assert_eq!(
            categories::path_of(&mut f.store.db, wholesale).expect("read"),
            "Customers/Wholesale trade"
        );

        // Move it under Prospects: the lookup offers no node inside the one moving.
        f.act("tree-move");
        f.clear_field();
        f.type_text("s");
        let offered: Vec<String> = f
            .tree
            .parent_candidates(wholesale, "s")
            .into_iter()
            .map(|(_, path)| path)
            .collect();
        assert_eq!(
            offered,
            [
                "Customers",
                "Customers/Industrial",
                "Customers/Retail",
                "Prospects"
            ]
        );
        assert!(
            f.tree
                .parent_candidates(f.customers, "")
                .iter()
                .all(|(id, _)| *id == f.prospects),
            "a node cannot move under itself or below itself"
        );
        f.clear_field();
        f.type_text("prosp");
        f.key(None, KeyCode::Enter);
        let Effect::Message(message) = f.save() else {
            panic!("the move should be stored");
        };
        assert_eq!(message, "Moved to Prospects/Wholesale trade.");

        // An empty field moves it to the top level.
        f.act("tree-move");
        f.clear_field();
        assert!(matches!(f.save(), Effect::Message(_)));
        assert_eq!(
            categories::path_of(&mut f.store.db, wholesale).expect("read"),
            "Wholesale trade"
        );
        // Rename on "All contacts" says what to do.
        f.act("list-top");
        assert_eq!(f.act("tree-rename"), Effect::Error(t!("tree.pick-a-node")));
    }

    #[test]
    fn delete_asks_first_with_what_it_will_do() {
        let mut f = fixture();
        f.act("list-down");
        f.act("tree-choose");
        f.tree.take_changed();
        assert_eq!(f.act("tree-delete"), Effect::Done);
        let mut terminal = Terminal::new(TestBackend::new(100, 6)).expect("test terminal");
        terminal
            .draw(|frame| {
                if let Some(form) = f.tree.form() {
                    form.render(frame, frame.area());
                }
            })
            .expect("drawn");
        let text = testing::text(terminal.backend().buffer());
        assert!(text.contains("Delete Customers?"), "{text}");
        assert!(text.contains("< No, keep it >"), "{text}");

        // Saving on "No" keeps everything.
        assert_eq!(f.save(), Effect::Done);
        assert!(f.tree.form().is_none());
        assert_eq!(
            categories::find_path(&mut f.store.db, "Customers").expect("read"),
            Some(f.customers)
        );

        // "Yes" says what happens, and deletes.
        f.act("tree-delete");
        f.key(None, KeyCode::Right);
        let mut terminal = Terminal::new(TestBackend::new(120, 6)).expect("test terminal");
        terminal
            .draw(|frame| {
                if let Some(form) = f.tree.form() {
                    form.render(frame, frame.area());
                }
            })
            .expect("drawn");
        let text = testing::text(terminal.backend().buffer());
        assert!(
            text.contains(
                "< Yes: its one contact stays on file but leaves it; its 2 sub-categories move up >"
            ),
            "{text}"
        );
        let Effect::Message(message) = f.save() else {
            panic!("the delete should be done");
        };
        assert_eq!(message, "Deleted Customers.");
        assert_eq!(f.tree.chosen(), None, "the chosen node is gone");
        assert!(f.tree.take_changed());
        let rows = f.screen(40, 8, true);
        assert!(rows[1].contains("All contacts (3)"), "{}", rows[1]);
        // The children took their parent's place, before Prospects.
        assert!(rows[2].contains("Industrial (1)"), "{}", rows[2]);
        assert!(rows[3].contains("Retail (2)"), "{}", rows[3]);
        assert!(rows[4].contains("Prospects (1)"), "{}", rows[4]);
    }

    #[test]
    fn an_agent_may_not_delete() {
        let mut f = fixture();
        let id =
            crate::store::users::insert_user(&mut f.store.db, "sara", "Sara", Role::Agent, None)
                .expect("an agent");
        let agent = Actor {
            id,
            login: "sara".into(),
            role: Role::Agent,
        };
        f.act("list-down");
        let effect = f.tree.handle("tree-delete", &mut f.store.db, &agent);
        assert!(matches!(effect, Effect::Error(_)), "{effect:?}");
        assert!(f.tree.form().is_none());
    }

    #[test]
    fn an_empty_tree_says_so() {
        let mut store = testing::store();
        let mut tree = CategoryTree::new();
        tree.load(&mut store.db);
        let mut terminal = Terminal::new(TestBackend::new(30, 5)).expect("test terminal");
        terminal
            .draw(|frame| tree.render(frame, frame.area(), &Theme::plain(), true))
            .expect("drawn");
        let rows = testing::lines(terminal.backend().buffer());
        assert!(rows[1].starts_with("│> All contacts (0)"), "{}", rows[1]);
        assert!(rows[2].starts_with("│  No categories yet."), "{}", rows[2]);
    }
}
