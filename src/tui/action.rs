//! The one registry of actions. Every action has a stable kebab-case name and the context whose
//! keys can run it; the keymap, the command palette, the help overlay and the status-bar hints are
//! all drawn from this list and the keymap built on it. The shared contexts' actions are listed
//! here; each pane's own, and the global action that shows it, come from the table of panes
//! ([`super::panes::PANES`]).

use std::sync::LazyLock;

use super::panes::{PANES, PaneId};

/// Where a binding applies. A pane's own context is tried first, then its list or tree, then
/// global; an overlay (form, palette, help) takes only its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    List,
    Tree,
    Form,
    Search,
    Palette,
    Help,
    /// A pane's own actions, in the section the table of panes names.
    Pane(PaneId),
}

/// The contexts every screen shares, before the panes' own.
const SHARED: [Context; 7] = [
    Context::Global,
    Context::List,
    Context::Tree,
    Context::Form,
    Context::Search,
    Context::Palette,
    Context::Help,
];

impl Context {
    /// Every context, in the order of `keymap.toml`: the shared ones, then the panes'.
    pub fn all() -> impl Iterator<Item = Context> {
        SHARED
            .into_iter()
            .chain(PANES.iter().map(|pane| Context::Pane(pane.id)))
    }

    /// The section name in `keymap.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Tree => "tree",
            Context::Form => "form",
            Context::Search => "search",
            Context::Palette => "palette",
            Context::Help => "help",
            Context::Pane(id) => id.def().section,
        }
    }

    pub fn parse(name: &str) -> Option<Context> {
        Context::all().find(|c| c.name() == name)
    }
}

/// One action: its stable name and the context whose section binds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionDef {
    pub name: &'static str,
    pub context: Context,
}

/// The global actions, around the panes' switching actions (which come from the table of panes
/// and go between `quit` and these).
const GLOBAL: &[&str] = &[
    "pane-next",
    "pane-prev",
    "log-call",
    "search",
    "palette",
    "help",
    "refresh",
];

/// The actions of the other shared contexts.
const SHARED_ACTIONS: &[(Context, &[&str])] = &[
    (
        Context::List,
        &[
            "list-down",
            "list-up",
            "list-top",
            "list-bottom",
            "list-half-down",
            "list-half-up",
            "list-page-down",
            "list-page-up",
            "open",
            "new",
            "edit",
            "export",
            "filter",
            "sort",
            "back",
        ],
    ),
    (
        Context::Tree,
        &[
            "tree-fold",
            "tree-unfold",
            "tree-choose",
            "tree-add",
            "tree-rename",
            "tree-move",
            "tree-delete",
        ],
    ),
    (
        Context::Form,
        &[
            "form-next",
            "form-prev",
            "form-save",
            "form-cancel",
            "form-timer",
            "form-compare",
            "form-theirs",
        ],
    ),
    (
        Context::Search,
        &["search-accept", "search-cancel", "search-down", "search-up"],
    ),
    (
        Context::Palette,
        &["palette-run", "palette-close", "palette-down", "palette-up"],
    ),
    (Context::Help, &["help-close", "help-down", "help-up"]),
];

/// Every action Peygir knows, grouped by context in the order of `keymap.toml`.
static ACTIONS: LazyLock<Vec<ActionDef>> = LazyLock::new(|| {
    let def = |context, name| ActionDef { name, context };
    let global = std::iter::once("quit")
        .chain(PANES.iter().map(|pane| pane.action))
        .chain(GLOBAL.iter().copied())
        .map(|name| def(Context::Global, name));
    let shared = SHARED_ACTIONS
        .iter()
        .flat_map(|(context, names)| names.iter().map(|name| def(*context, name)));
    let panes = PANES.iter().flat_map(|pane| {
        pane.actions
            .iter()
            .map(|name| def(Context::Pane(pane.id), name))
    });
    global.chain(shared).chain(panes).collect()
});

/// Every action Peygir knows, grouped by context.
pub fn all() -> &'static [ActionDef] {
    &ACTIONS
}

/// The action with this name.
pub fn find(name: &str) -> Option<&'static ActionDef> {
    all().iter().find(|a| a.name == name)
}

/// What an action does, in the user's language.
pub fn description(name: &str) -> String {
    crate::i18n::lookup(&format!("action.{name}")).map_or_else(|| name.to_string(), str::to_string)
}

/// What an action does in a word or two, for the status bar: the catalog's `hint.NAME` where it
/// has one, else the full description.
pub fn short(name: &str) -> String {
    crate::i18n::lookup(&format!("hint.{name}")).map_or_else(|| description(name), str::to_string)
}
