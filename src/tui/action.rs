//! The one registry of actions. Every action has a stable kebab-case name and the context whose
//! keys can run it; the keymap, the command palette, the help overlay and the status-bar hints are
//! all drawn from this list and the keymap built on it.

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
    Inbox,
    Contacts,
    Cases,
    Followups,
    Complaints,
    Plans,
    Reports,
}

impl Context {
    pub const ALL: [Context; 14] = [
        Context::Global,
        Context::List,
        Context::Tree,
        Context::Form,
        Context::Search,
        Context::Palette,
        Context::Help,
        Context::Inbox,
        Context::Contacts,
        Context::Cases,
        Context::Followups,
        Context::Complaints,
        Context::Plans,
        Context::Reports,
    ];

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
            Context::Inbox => "inbox",
            Context::Contacts => "contacts",
            Context::Cases => "cases",
            Context::Followups => "followups",
            Context::Complaints => "complaints",
            Context::Plans => "plans",
            Context::Reports => "reports",
        }
    }

    pub fn parse(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// One action: its stable name and the context whose section binds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionDef {
    pub name: &'static str,
    pub context: Context,
}

macro_rules! actions {
    ($($context:ident: [$($name:literal),* $(,)?]),* $(,)?) => {
        /// Every action Peygir knows, grouped by context.
        pub const ACTIONS: &[ActionDef] = &[
            $($(ActionDef { name: $name, context: Context::$context },)*)*
        ];
    };
}

actions! {
    Global: [
        "quit", "pane-inbox", "pane-contacts", "pane-cases", "pane-followups", "pane-complaints",
        "pane-plans", "pane-reports", "pane-next", "pane-prev", "log-call", "search", "palette",
        "help", "refresh",
    ],
    List: [
        "list-down", "list-up", "list-top", "list-bottom", "list-half-down", "list-half-up",
        "list-page-down", "list-page-up", "open", "new", "edit", "export", "filter", "sort",
        "back",
    ],
    Tree: [
        "tree-fold", "tree-unfold", "tree-choose", "tree-add", "tree-rename", "tree-move",
        "tree-delete",
    ],
    Form: ["form-next", "form-prev", "form-save", "form-cancel", "form-timer"],
    Search: ["search-accept", "search-cancel", "search-down", "search-up"],
    Palette: ["palette-run", "palette-close", "palette-down", "palette-up"],
    Help: ["help-close", "help-down", "help-up"],
    Inbox: ["inbox-done", "inbox-reschedule", "inbox-reassign", "inbox-expert"],
    Contacts: [
        "contact-new-company", "contact-link", "contact-file", "contact-unfile", "contact-archive",
        "focus-tree", "focus-list",
    ],
    Cases: ["case-status", "followup-add", "case-statuses", "case-allow", "case-forbid"],
    Followups: [],
    Complaints: ["complaint-status"],
    Plans: ["plan-group-by"],
    Reports: [],
}

/// The action with this name.
pub fn find(name: &str) -> Option<&'static ActionDef> {
    ACTIONS.iter().find(|a| a.name == name)
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
