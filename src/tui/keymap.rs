//! Key bindings as data: the defaults compiled in from `keymap.toml`, a user's file merged over
//! them one binding at a time, and the resolver that turns keys (and two-key sequences) into
//! action names. A bad user file never stops the program: its problems are reported and the
//! defaults stand.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use toml::Spanned;

use super::action::{self, Context};
use crate::t;

/// The default bindings, as shipped.
pub const DEFAULT_KEYMAP: &str = include_str!("../../keymap.toml");

/// One key press: a key and the ctrl/alt modifiers (shift is part of the character itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    /// The key a terminal event stands for. Shift is dropped for characters (`G` is already
    /// upper case) and kept as `BackTab` for shift-tab.
    pub fn from_event(event: &KeyEvent) -> Key {
        let code = match event.code {
            KeyCode::Tab if event.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            code => code,
        };
        Key {
            code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// Parses `j`, `G`, `<`, `ctrl-s`, `alt-x`, `shift-tab`, `f2`, `enter`, `space`, ….
    pub fn parse(text: &str) -> Option<Key> {
        let mut rest = text;
        let (mut ctrl, mut alt, mut shift) = (false, false, false);
        loop {
            // A lone "-" is the minus key, not a modifier separator.
            if let Some(r) = rest.strip_prefix("ctrl-").filter(|r| !r.is_empty()) {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-").filter(|r| !r.is_empty()) {
                alt = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("shift-").filter(|r| !r.is_empty()) {
                shift = true;
                rest = r;
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() && c != ' ' => KeyCode::Char(if shift {
                c.to_uppercase().next().unwrap_or(c)
            } else {
                c
            }),
            _ => match rest {
                "enter" => KeyCode::Enter,
                "esc" => KeyCode::Esc,
                "tab" if shift => KeyCode::BackTab,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "backspace" => KeyCode::Backspace,
                "delete" => KeyCode::Delete,
                "insert" => KeyCode::Insert,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" => KeyCode::PageUp,
                "pagedown" => KeyCode::PageDown,
                f if f.starts_with('f') => match f[1..].parse::<u8>() {
                    Ok(n @ 1..=12) => KeyCode::F(n),
                    _ => return None,
                },
                _ => return None,
            },
        };
        if shift && !matches!(code, KeyCode::BackTab | KeyCode::Char(_)) {
            return None;
        }
        Some(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pageup"),
            KeyCode::PageDown => f.write_str("pagedown"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// A key or a sequence of keys (`g g`).
pub type Sequence = Vec<Key>;

pub fn parse_sequence(text: &str) -> Option<Sequence> {
    let keys: Option<Vec<Key>> = text.split_whitespace().map(Key::parse).collect();
    keys.filter(|k| !k.is_empty() && k.len() <= 3)
}

pub fn sequence_text(seq: &[Key]) -> String {
    seq.iter().map(Key::to_string).collect::<Vec<_>>().join(" ")
}

/// Something wrong in a keymap file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The message may quote the file (a key, an action's name), which TOML lets hold escape
        // sequences: they are dropped before they reach a terminal.
        let message = super::text::clean(&self.message);
        write!(f, "{}:{}: {}", self.file, self.line, message)
    }
}

/// The file as TOML, with where each section, action and entry stands in it.
type FileTable = BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<toml::Value>>>;

/// An entry's key strings, or what is wrong with its shape.
fn entry_keys(value: &toml::Value) -> Result<Vec<String>, String> {
    let toml::Value::Table(table) = value else {
        return Err(t!("keymap.not-a-table"));
    };
    if let Some(other) = table.keys().find(|k| *k != "keys" && *k != "desc") {
        return Err(t!("keymap.unknown-field", field = other));
    }
    if table.get("desc").is_some_and(|d| !d.is_str()) {
        return Err(t!("keymap.bad-desc"));
    }
    match table.get("keys") {
        Some(toml::Value::String(one)) => Ok(vec![one.clone()]),
        Some(toml::Value::Array(many)) => many
            .iter()
            .map(|k| {
                k.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| t!("keymap.bad-keys"))
            })
            .collect(),
        _ => Err(t!("keymap.bad-keys")),
    }
}

/// The bindings of one file, as parsed: (context, action) → key sequences.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bindings {
    pub entries: BTreeMap<(Context, &'static str), Vec<Sequence>>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Parses a keymap file's text, collecting every problem rather than stopping at the first. The
/// bindings that are sound are returned alongside.
pub fn parse(text: &str, file: &str) -> (Bindings, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut bindings = Bindings::default();
    let problem = |span: std::ops::Range<usize>, message: String| Problem {
        file: file.to_string(),
        line: line_of(text, span.start),
        message,
    };
    let table: FileTable = match toml::from_str(text) {
        Ok(table) => table,
        Err(e) => {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            let message = e.message().to_string();
            problems.push(Problem {
                file: file.to_string(),
                line,
                message: t!("keymap.bad-toml", reason = message),
            });
            return (bindings, problems);
        }
    };
    for (section, entries) in table {
        let Some(context) = Context::parse(section.get_ref()) else {
            problems.push(problem(
                section.span(),
                t!("keymap.unknown-context", context = section.get_ref()),
            ));
            continue;
        };
        // Which action each key sequence is bound to in this section, to find clashes.
        let mut taken: Vec<(Sequence, &'static str)> = Vec::new();
        for (name, entry) in entries {
            // An action several panes share (`history`) is one name in each of their sections.
            let in_context = action::all()
                .iter()
                .find(|a| a.name == name.get_ref() && a.context == context);
            let Some(def) = in_context.or_else(|| action::find(name.get_ref())) else {
                problems.push(problem(
                    name.span(),
                    t!("keymap.unknown-action", action = name.get_ref()),
                ));
                continue;
            };
            if def.context != context {
                problems.push(problem(
                    name.span(),
                    t!(
                        "keymap.wrong-context",
                        action = def.name,
                        context = def.context.name()
                    ),
                ));
                continue;
            }
            let keys = match entry_keys(entry.get_ref()) {
                Ok(keys) => keys,
                Err(message) => {
                    problems.push(problem(entry.span(), format!("{}: {message}", def.name)));
                    continue;
                }
            };
            let mut sequences = Vec::new();
            let problems_before = problems.len();
            for key in keys {
                let Some(seq) = parse_sequence(&key) else {
                    problems.push(problem(
                        entry.span(),
                        t!("keymap.bad-key", key = key, action = def.name),
                    ));
                    continue;
                };
                if let Some((_, other)) = taken
                    .iter()
                    .find(|(s, _)| s.starts_with(&seq) || seq.starts_with(s))
                {
                    problems.push(problem(
                        entry.span(),
                        t!(
                            "keymap.clash",
                            key = key,
                            action = def.name,
                            other = other,
                            context = context.name()
                        ),
                    ));
                    continue;
                }
                taken.push((seq.clone(), def.name));
                sequences.push(seq);
            }
            // An entry with any bad key is left out whole, so its action keeps the default keys.
            if problems.len() == problems_before {
                bindings.entries.insert((context, def.name), sequences);
            }
        }
    }
    problems.sort_by_key(|p| p.line);
    (bindings, problems)
}

/// The bindings in force: the defaults with a user's file merged over them.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Bindings,
}

/// What a key press came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Action(&'static str),
    /// The key starts a sequence; wait for the next one.
    Pending,
    Unbound,
}

impl Keymap {
    /// The compiled-in defaults.
    pub fn defaults() -> Keymap {
        let (bindings, _) = parse(DEFAULT_KEYMAP, "keymap.toml");
        Keymap { bindings }
    }

    /// The defaults with the user's file at `path` merged over them. A file that does not exist
    /// is no change; every problem in one that does is returned, and the bindings that are sound
    /// still apply.
    pub fn load(path: &Path) -> (Keymap, Vec<Problem>) {
        let mut keymap = Keymap::defaults();
        let file = path.display().to_string();
        let text = match crate::config::read_text(path) {
            Ok(text) => text,
            Err(crate::config::Unreadable::NotUtf8 { line }) => {
                let message = t!("file.not-utf8", line = line);
                return (
                    keymap,
                    vec![Problem {
                        file,
                        line,
                        message,
                    }],
                );
            }
            Err(crate::config::Unreadable::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                return (keymap, Vec::new());
            }
            Err(crate::config::Unreadable::Io(e)) => {
                let message = t!("keymap.unreadable", reason = e);
                return (
                    keymap,
                    vec![Problem {
                        file,
                        line: 0,
                        message,
                    }],
                );
            }
        };
        let (user, problems) = parse(&text, &file);
        keymap.merge(user);
        (keymap, problems)
    }

    /// Puts each of `user`'s bindings in place of the default for that action. A key the user
    /// gives one action is taken from any other action of the same context.
    pub fn merge(&mut self, user: Bindings) {
        for ((context, name), sequences) in user.entries {
            for ((other_context, other_name), other) in self.bindings.entries.iter_mut() {
                if *other_context == context && *other_name != name {
                    other.retain(|s| {
                        !sequences
                            .iter()
                            .any(|u| s.starts_with(u) || u.starts_with(s))
                    });
                }
            }
            self.bindings.entries.insert((context, name), sequences);
        }
    }

    /// The key sequences bound to an action.
    pub fn keys_for(&self, name: &str) -> Vec<Sequence> {
        action::find(name)
            .and_then(|def| self.bindings.entries.get(&(def.context, def.name)))
            .cloned()
            .unwrap_or_default()
    }

    /// The keys of an action as people read them: `j/down`.
    pub fn hint(&self, name: &str) -> String {
        self.keys_for(name)
            .iter()
            .map(|s| sequence_text(s))
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The bindings of one context, in the registry's order.
    pub fn context_bindings(&self, context: Context) -> Vec<(&'static str, Vec<Sequence>)> {
        action::all()
            .iter()
            .filter(|a| a.context == context)
            .map(|a| {
                let keys = self.bindings.entries.get(&(a.context, a.name));
                (a.name, keys.cloned().unwrap_or_default())
            })
            .collect()
    }

    /// Resolves `pending` followed by `key` through `contexts`, first match wins. `pending` holds
    /// the keys of an unfinished sequence and is updated. A key that means nothing as typed and
    /// comes from a Persian keyboard layout counts as the Latin key in its place (see
    /// [`latin_key`]), so the bindings work without switching layout.
    pub fn resolve(&self, contexts: &[Context], pending: &mut Vec<Key>, key: Key) -> Resolved {
        let before = pending.clone();
        let resolved = self.resolve_as_typed(contexts, pending, key);
        if resolved != Resolved::Unbound {
            return resolved;
        }
        match latin_key(key, contexts) {
            Some(latin) => {
                *pending = before;
                self.resolve_as_typed(contexts, pending, latin)
            }
            None => resolved,
        }
    }

    fn resolve_as_typed(&self, contexts: &[Context], pending: &mut Vec<Key>, key: Key) -> Resolved {
        pending.push(key);
        let mut is_prefix = false;
        for &context in contexts {
            for ((c, name), sequences) in &self.bindings.entries {
                if *c != context {
                    continue;
                }
                for seq in sequences {
                    if *seq == *pending {
                        pending.clear();
                        return Resolved::Action(name);
                    }
                    if seq.starts_with(pending) {
                        is_prefix = true;
                    }
                }
            }
        }
        if is_prefix {
            return Resolved::Pending;
        }
        // An unfinished sequence followed by a key that does not continue it: the new key counts
        // on its own.
        if pending.len() > 1 {
            pending.clear();
            return self.resolve_as_typed(contexts, pending, key);
        }
        pending.clear();
        Resolved::Unbound
    }

    /// The merged keymap as a `keymap.toml` text.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        for context in Context::all() {
            out.push_str(&format!("[{}]\n", context.name()));
            for (name, sequences) in self.context_bindings(context) {
                let keys = sequences
                    .iter()
                    .map(|s| format!("{:?}", sequence_text(s)))
                    .collect::<Vec<_>>()
                    .join(", ");
                let desc = super::action::description(name);
                out.push_str(&format!(
                    "{name} = {{ keys = [{keys}], desc = {desc:?} }}\n"
                ));
            }
            out.push('\n');
        }
        out
    }
}

/// The standard Persian keyboard layout (ISIRI 9147, as in xkb's `ir` layout) laid over a US
/// keyboard: each character it types, and the Latin key in the same place (`ت` is on `j`, `ن`
/// on `k`, `ض` on `q`, `؟` on `?`), with Persian and Arabic-Indic digits as the digits.
/// Characters it types that are ASCII already (`:`, `/`, `.`) need no entry.
const PERSIAN_LAYOUT: &[(char, char)] = &[
    // The top row of letters, plain and with shift (the harakat).
    ('ض', 'q'),
    ('ص', 'w'),
    ('ث', 'e'),
    ('ق', 'r'),
    ('ف', 't'),
    ('غ', 'y'),
    ('ع', 'u'),
    ('ه', 'i'),
    ('خ', 'o'),
    ('ح', 'p'),
    ('ج', '['),
    ('چ', ']'),
    ('\u{0652}', 'Q'),
    ('\u{064c}', 'W'),
    ('\u{064d}', 'E'),
    ('\u{064b}', 'R'),
    ('\u{064f}', 'T'),
    ('\u{0650}', 'Y'),
    ('\u{064e}', 'U'),
    ('\u{0651}', 'I'),
    // The home row.
    ('ش', 'a'),
    ('س', 's'),
    ('ی', 'd'),
    ('ب', 'f'),
    ('ل', 'g'),
    ('ا', 'h'),
    ('ت', 'j'),
    ('ن', 'k'),
    ('م', 'l'),
    ('ک', ';'),
    ('گ', '\''),
    ('ؤ', 'A'),
    ('ئ', 'S'),
    ('ي', 'D'),
    ('إ', 'F'),
    ('أ', 'G'),
    ('آ', 'H'),
    ('ة', 'J'),
    ('»', 'K'),
    ('«', 'L'),
    ('؛', '"'),
    // The bottom row.
    ('ظ', 'z'),
    ('ط', 'x'),
    ('ز', 'c'),
    ('ر', 'v'),
    ('ذ', 'b'),
    ('د', 'n'),
    ('پ', 'm'),
    ('و', ','),
    ('ك', 'Z'),
    ('\u{0653}', 'X'),
    ('ژ', 'C'),
    ('\u{0670}', 'V'),
    ('\u{0654}', 'N'),
    ('ء', 'M'),
    ('؟', '?'),
    // The number row: Persian digits, and what shift gives there.
    ('۱', '1'),
    ('۲', '2'),
    ('۳', '3'),
    ('۴', '4'),
    ('۵', '5'),
    ('۶', '6'),
    ('۷', '7'),
    ('۸', '8'),
    ('۹', '9'),
    ('۰', '0'),
    ('٬', '@'),
    ('٫', '#'),
    ('﷼', '$'),
    ('٪', '%'),
    ('×', '^'),
    ('،', '&'),
    ('÷', '~'),
    ('ـ', '_'),
    // Arabic-Indic digits, which some layouts type instead.
    ('٠', '0'),
    ('١', '1'),
    ('٢', '2'),
    ('٣', '3'),
    ('٤', '4'),
    ('٥', '5'),
    ('٦', '6'),
    ('٧', '7'),
    ('٨', '8'),
    ('٩', '9'),
];

/// The Latin key in the place of `key` on the standard Persian layout, if it is a character that
/// layout types. Where text is typed (a form field, a search box, the palette's filter) a
/// character is text and only a key with ctrl or alt is translated (`ctrl-س` saves a form).
pub fn latin_key(key: Key, contexts: &[Context]) -> Option<Key> {
    let KeyCode::Char(c) = key.code else {
        return None;
    };
    let typing = contexts
        .iter()
        .any(|c| matches!(c, Context::Form | Context::Search | Context::Palette));
    if typing && !key.ctrl && !key.alt {
        return None;
    }
    let latin = on_persian_layout(c)?;
    Some(Key {
        code: KeyCode::Char(latin),
        ..key
    })
}

/// The Latin key in the place of `c` on the standard Persian layout, if that layout types `c`.
pub fn on_persian_layout(c: char) -> Option<char> {
    PERSIAN_LAYOUT
        .iter()
        .find(|(persian, _)| *persian == c)
        .map(|(_, latin)| *latin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::panes::PaneId;

    fn key(text: &str) -> Key {
        Key::parse(text).unwrap_or_else(|| panic!("{text} should parse"))
    }

    #[test]
    fn keys_parse_and_print_back() {
        for text in [
            "j",
            "G",
            "<",
            ">",
            "-",
            "ctrl-s",
            "alt-x",
            "shift-tab",
            "f2",
            "enter",
            "space",
            "ctrl-alt-d",
            "pagedown",
        ] {
            assert_eq!(key(text).to_string(), text);
        }
        assert_eq!(key("shift-a"), key("A"));
        for bad in ["", "ctrl-", "f13", "shift-enter", "hello", "ctrl-foo"] {
            assert_eq!(Key::parse(bad), None, "{bad}");
        }
        assert_eq!(parse_sequence("g g"), Some(vec![key("g"), key("g")]));
    }

    #[test]
    fn the_defaults_have_no_problems_and_bind_every_action_they_name() {
        let (bindings, problems) = parse(DEFAULT_KEYMAP, "keymap.toml");
        assert_eq!(problems, vec![]);
        for def in action::all() {
            assert!(
                bindings.entries.contains_key(&(def.context, def.name)),
                "{} has no entry in keymap.toml",
                def.name
            );
        }
    }

    #[test]
    fn descriptions_in_the_file_match_the_catalog() {
        let table: FileTable = toml::from_str(DEFAULT_KEYMAP).expect("keymap.toml parses");
        for entries in table.values() {
            for (name, entry) in entries {
                let desc = entry
                    .get_ref()
                    .get("desc")
                    .and_then(|d| d.as_str())
                    .unwrap_or_default()
                    .to_string();
                assert_eq!(
                    desc,
                    action::description(name.get_ref()),
                    "description of {}",
                    name.get_ref()
                );
            }
        }
    }

    #[test]
    fn sequences_and_contexts_resolve_in_order() {
        let keymap = Keymap::defaults();
        let chain = [
            Context::Pane(PaneId::Contacts),
            Context::List,
            Context::Global,
        ];
        let mut pending = Vec::new();
        assert_eq!(
            keymap.resolve(&chain, &mut pending, key("j")),
            Resolved::Action("list-down")
        );
        assert_eq!(
            keymap.resolve(&chain, &mut pending, key("g")),
            Resolved::Pending
        );
        assert_eq!(
            keymap.resolve(&chain, &mut pending, key("g")),
            Resolved::Action("list-top")
        );
        // "g" then "j": the unfinished sequence is dropped and "j" counts on its own.
        assert_eq!(
            keymap.resolve(&chain, &mut pending, key("g")),
            Resolved::Pending
        );
        assert_eq!(
            keymap.resolve(&chain, &mut pending, key("j")),
            Resolved::Action("list-down")
        );
        assert_eq!(
            keymap.resolve(&chain, &mut pending, key("<")),
            Resolved::Action("focus-tree")
        );
        assert_eq!(
            keymap.resolve(&chain, &mut pending, key("ctrl-p")),
            Resolved::Action("palette")
        );
        assert_eq!(
            keymap.resolve(&chain, &mut pending, key("z")),
            Resolved::Unbound
        );
        assert!(pending.is_empty());
    }

    #[test]
    fn keys_typed_under_a_persian_layout_count_as_the_latin_keys_in_their_place() {
        let keymap = Keymap::defaults();
        let chain = [
            Context::Pane(PaneId::Contacts),
            Context::List,
            Context::Global,
        ];
        let mut pending = Vec::new();
        let mut resolve =
            |contexts: &[Context], text: &str| keymap.resolve(contexts, &mut pending, key(text));
        // ت is on j, ن on k, د on n, ض on q, ۲ on 2, ؟ on ?, أ (shift) on G.
        assert_eq!(resolve(&chain, "ت"), Resolved::Action("list-down"));
        assert_eq!(resolve(&chain, "ن"), Resolved::Action("list-up"));
        assert_eq!(resolve(&chain, "د"), Resolved::Action("new"));
        assert_eq!(resolve(&chain, "ض"), Resolved::Action("quit"));
        assert_eq!(resolve(&chain, "۲"), Resolved::Action("pane-contacts"));
        assert_eq!(resolve(&chain, "؟"), Resolved::Action("help"));
        assert_eq!(resolve(&chain, "أ"), Resolved::Action("list-bottom"));
        // A sequence: ل is on g, so ل ل is g g, and so are g ل and ل g.
        assert_eq!(resolve(&chain, "ل"), Resolved::Pending);
        assert_eq!(resolve(&chain, "ل"), Resolved::Action("list-top"));
        assert_eq!(resolve(&chain, "g"), Resolved::Pending);
        assert_eq!(resolve(&chain, "ل"), Resolved::Action("list-top"));
        assert_eq!(resolve(&chain, "ل"), Resolved::Pending);
        assert_eq!(resolve(&chain, "ت"), Resolved::Action("list-down"));
        // The help overlay's keys too.
        assert_eq!(
            resolve(&[Context::Help], "ض"),
            Resolved::Action("help-close")
        );
        // Where text is typed, a Persian letter is text; with ctrl it is still a key.
        for typing in [Context::Form, Context::Search, Context::Palette] {
            assert_eq!(resolve(&[typing], "ت"), Resolved::Unbound, "{typing:?}");
            assert_eq!(resolve(&[typing], "۲"), Resolved::Unbound, "{typing:?}");
        }
        assert_eq!(
            resolve(&[Context::Form], "ctrl-س"),
            Resolved::Action("form-save")
        );
        // A key bound as typed keeps its binding; one the layout does not type stays unbound.
        let (user, problems) = parse("[list]\nlist-down = { keys = [\"ن\"] }\n", "u.toml");
        assert!(problems.is_empty(), "{problems:?}");
        let mut rebound = Keymap::defaults();
        rebound.merge(user);
        let mut pending = Vec::new();
        assert_eq!(
            rebound.resolve(&chain, &mut pending, key("ن")),
            Resolved::Action("list-down")
        );
        assert_eq!(
            keymap.resolve(&chain, &mut pending, key("ß")),
            Resolved::Unbound
        );
        assert!(pending.is_empty());
    }

    #[test]
    fn the_persian_layout_table_is_one_to_one() {
        let mut persian: Vec<char> = PERSIAN_LAYOUT.iter().map(|(p, _)| *p).collect();
        persian.sort_unstable();
        persian.dedup();
        assert_eq!(persian.len(), PERSIAN_LAYOUT.len(), "a character twice");
        for (p, latin) in PERSIAN_LAYOUT {
            assert!(!p.is_ascii(), "{p:?}");
            assert!(latin.is_ascii() && !latin.is_ascii_control(), "{latin:?}");
        }
        // Every Latin letter and digit has its Persian key.
        for c in ('a'..='z').chain('0'..='9') {
            assert!(
                PERSIAN_LAYOUT.iter().any(|(_, latin)| *latin == c),
                "{c} has no Persian key"
            );
        }
    }

    #[test]
    fn a_user_binding_replaces_one_default_and_keeps_the_rest() {
        let mut keymap = Keymap::defaults();
        let (user, problems) = parse("[list]\nlist-down = { keys = [\"n\"] }\n", "user.toml");
        assert_eq!(problems, vec![]);
        keymap.merge(user);
        assert_eq!(keymap.hint("list-down"), "n");
        assert_eq!(keymap.hint("new"), "", "the key moved to list-down");
        assert_eq!(keymap.hint("list-up"), "k/up");
    }

    #[test]
    fn every_problem_in_a_bad_file_is_reported_with_its_line() {
        let text = "[global]\nquit = { keys = [\"ctrl-\"] }\nfly = { keys = \"x\" }\n[list]\nlist-down = { keys = \"j\" }\nlist-up = { keys = \"j\" }\nhelp = { keys = \"h\" }\n[nowhere]\n";
        let (_, problems) = parse(text, "user.toml");
        let found: Vec<(usize, bool)> = problems
            .iter()
            .map(|p| (p.line, p.file == "user.toml"))
            .collect();
        assert_eq!(
            found,
            vec![(2, true), (3, true), (6, true), (7, true), (8, true)],
            "{problems:#?}"
        );
        assert!(problems[0].message.contains("ctrl-"));
        assert!(problems[1].message.contains("fly"));
        assert!(
            problems[2].message.contains("list-down") && problems[2].message.contains("list-up")
        );
        assert!(problems[3].message.contains("help"));
        assert!(problems[4].message.contains("nowhere"));
        let mut keymap = Keymap::defaults();
        keymap.merge(parse(text, "user.toml").0);
        assert_eq!(
            keymap.hint("quit"),
            "q/ctrl-c",
            "a bad entry leaves the default in force"
        );
        assert_eq!(keymap.hint("list-up"), "k/up");
    }

    #[test]
    fn wrong_types_and_broken_toml_are_problems_not_panics() {
        let (bindings, problems) = parse(
            "[global]\nquit = { keys = 5 }\nhelp = \"h\"\nsearch = { key = \"s\" }\nrefresh = { keys = [\"x\"] }\n",
            "u.toml",
        );
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 3, 4], "{problems:#?}");
        assert!(problems[2].message.contains("key"));
        assert_eq!(bindings.entries.len(), 1, "the sound entry still counts");
        let (_, problems) = parse("[global\nquit = 1\n", "u.toml");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 1);
    }
}
