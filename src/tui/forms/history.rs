//! A record's history: the overlay a record's page (a case, a complaint, a contact) opens with
//! `history`, listing the audit log's entries for that record, newest first (when, who, what,
//! and the fields each changed), scrolled with the list keys and closed with `back`. The same
//! lines of changes serve `peygir audit`.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::db::Db;
use crate::error::Result;
use crate::store::audit::{self, AuditAction, AuditFilter, FieldChange};
use crate::store::versioned::Stored;
use crate::t;
use crate::tui::format;
use crate::tui::panes::Effect;
use crate::tui::text::{clean, fit};
use crate::tui::theme::Theme;
use crate::tui::widgets::overlay_area;

/// The cells a value before or after a change keeps in the overlay.
const VALUE_CELLS: usize = 40;

/// The audit trail of one record, as lines ready to draw.
pub struct History {
    /// What the record is, for the title (`Case 1405-00042`).
    what: String,
    /// Each line, and whether it heads an entry (when, who, what).
    lines: Vec<(bool, String)>,
    scroll: usize,
    /// The lines the last drawing had room for, where scrolling down stops.
    room: Cell<usize>,
}

impl History {
    /// The trail of `R`'s row `id`, newest first (the latest [`audit::DEFAULT_LIMIT`] entries);
    /// `label` names the record in the title (its number or name).
    pub fn load<R: Stored>(db: &mut Db, id: R::Id, label: &str) -> Result<History> {
        let filter = AuditFilter::of(R::ENTITY, id);
        let entries = audit::search(db, &filter)?;
        let people = audit::authors(db, &entries)?;
        let mut lines = Vec::new();
        for entry in &entries {
            let who = entry
                .user_id
                .and_then(|id| people.get(&id))
                .map_or_else(String::new, |(_, name)| clean(name));
            lines.push((
                true,
                format!(
                    "{}  {}  {}",
                    format::date_time(entry.at),
                    who,
                    action_word(&entry.action)
                ),
            ));
            let action = AuditAction::parse(&entry.action);
            for change in audit::changes(entry) {
                lines.push((
                    false,
                    format!("  {}", change_line(action, &change, VALUE_CELLS)),
                ));
            }
        }
        if entries.is_empty() {
            lines.push((false, t!("history.none")));
        } else if i64::try_from(entries.len()).unwrap_or(i64::MAX) >= filter.limit {
            lines.push((false, t!("history.more", n = format::number(filter.limit))));
        }
        Ok(History {
            what: format!("{} {}", crate::i18n::tr(R::NAME), clean(label)),
            lines,
            scroll: 0,
            room: Cell::new(0),
        })
    }

    /// The overlay's text, a line at a time (entries' headings included).
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.lines.iter().map(|(_, line)| line.as_str())
    }

    /// Draws the overlay over `area` (a record's page); the scroll stops where the last line
    /// shows at the bottom.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let area = overlay_area(area, area.height);
        frame.render_widget(Clear, area);
        crate::tui::bidi::forget(area);
        let block = Block::default().borders(Borders::ALL).title(Line::styled(
            format!(" {} ", t!("history.title", what = self.what)),
            theme.pane_title(),
        ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let width = usize::from(inner.width);
        let height = usize::from(inner.height);
        self.room.set(height);
        let lines: Vec<Line> = self
            .lines
            .iter()
            .skip(self.scroll.min(self.last(height)))
            .take(height)
            .map(|(heading, text)| {
                let text = fit(text, width);
                if *heading {
                    Line::from(Span::styled(text, theme.header()))
                } else {
                    Line::from(text)
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }

    /// The furthest scroll that leaves no room below the last line, with `room` lines shown.
    fn last(&self, room: usize) -> usize {
        self.lines.len().saturating_sub(room.max(1))
    }

    /// Scrolls by a list key; `None` for a key that does not scroll.
    fn scroll(&mut self, action: &str) -> Option<()> {
        let last = self.last(self.room.get());
        self.scroll = match action {
            "list-down" => self.scroll.saturating_add(1).min(last),
            "list-up" => self.scroll.saturating_sub(1),
            "list-half-down" | "list-page-down" => self.scroll.saturating_add(10).min(last),
            "list-half-up" | "list-page-up" => self.scroll.saturating_sub(10),
            "list-top" => 0,
            "list-bottom" => last,
            _ => return None,
        };
        Some(())
    }
}

/// What a record's page does with `action` for its history overlay (`overlay`): `history` opens
/// the trail of `R`'s row `id` (named `label`) or closes it; while it is open the list keys
/// scroll it and `back` closes it. `None` for an action the page handles itself.
pub fn key<R: Stored>(
    overlay: &mut Option<History>,
    action: &str,
    db: &mut Db,
    id: R::Id,
    label: &str,
) -> Option<Effect> {
    match overlay {
        Some(_) if matches!(action, "back" | "history") => {
            *overlay = None;
            Some(Effect::Done)
        }
        Some(history) => history.scroll(action).map(|()| Effect::Done),
        None if action == "history" => Some(match History::load::<R>(db, id, label) {
            Ok(history) => {
                *overlay = Some(history);
                Effect::Done
            }
            Err(e) => Effect::Error(e.to_string()),
        }),
        None => None,
    }
}

/// What the audit log stored as the action, in the user's language.
pub fn action_word(action: &str) -> String {
    match AuditAction::parse(action) {
        Some(AuditAction::Create) => t!("audit.action.create"),
        Some(AuditAction::Update) => t!("audit.action.update"),
        Some(AuditAction::Archive) => t!("audit.action.archive"),
        Some(AuditAction::Delete) => t!("audit.action.delete"),
        None => clean(action),
    }
}

/// The name of a stored field in the user's language where the catalog has it (`expert_id` as
/// the catalog's `field.expert`), else as stored.
fn field_name(field: &str) -> String {
    let key = field.replace('_', "-");
    let plain = key.strip_suffix("-id").unwrap_or(&key);
    crate::i18n::lookup(&format!("field.{key}"))
        .or_else(|| crate::i18n::lookup(&format!("field.{plain}")))
        .map_or_else(|| clean(field), str::to_string)
}

/// A stored value as people read it: a time (stored in UTC) in local time and the calendar in
/// force, a day in that calendar, anything else as [`audit::value_text`] has it.
fn shown(value: &serde_json::Value) -> String {
    let text = audit::value_text(value);
    if let Ok(at) = chrono::NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S%.f") {
        format::date_time(at)
    } else if let Ok(day) = chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        format::date(day)
    } else {
        text
    }
}

/// A changed field on one line, each value cut to `max` cells: `Priority: 3 → 1` for a change,
/// `Title: Boilers` for a record made (`action` create) or removed (delete), with `—` for a
/// value that was not there.
pub fn change_line(action: Option<AuditAction>, change: &FieldChange, max: usize) -> String {
    let text = |value: &Option<serde_json::Value>| match value {
        Some(value) => fit(&clean(&shown(value)), max),
        None => "—".to_string(),
    };
    let name = field_name(&change.field);
    match action {
        Some(AuditAction::Create) => format!("{name}: {}", text(&change.after)),
        Some(AuditAction::Delete) => format!("{name}: {}", text(&change.before)),
        _ => format!("{name}: {} → {}", text(&change.before), text(&change.after)),
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::store::contacts::{self, Contact};
    use crate::tui::testing::{self, person};

    /// A contact made, then its mobile changed: its history, drawn on a screen of 60 x 12.
    fn drawn() -> (History, Vec<String>) {
        let mut s = testing::store();
        let mut fields = person("Ali", "Kazemi");
        fields.mobile = Some("09121234567".into());
        let made = contacts::create(&mut s.db, &s.actor, fields.clone()).expect("made");
        fields.mobile = Some("09351234567".into());
        contacts::update(&mut s.db, &s.actor, made.id, made.version, fields).expect("changed");
        let history = History::load::<Contact>(&mut s.db, made.id, "Ali Kazemi").expect("read");
        let mut terminal = Terminal::new(TestBackend::new(60, 12)).expect("terminal");
        terminal
            .draw(|frame| history.render(frame, frame.area(), &Theme::plain()))
            .expect("drawn");
        (history, testing::lines(terminal.backend().buffer()))
    }

    #[test]
    fn the_overlay_lists_a_records_changes_newest_first() {
        let (_, screen) = drawn();
        let text = screen.join("\n");
        assert!(text.contains("History of Contact Ali Kazemi"), "{text}");
        let at = |needle: &str| {
            screen
                .iter()
                .position(|l| l.contains(needle))
                .unwrap_or_else(|| panic!("{needle} not on\n{text}"))
        };
        assert!(at("tester  changed") < at("tester  created"), "{text}");
        assert!(text.contains("Mobile: 09121234567 → 09351234567"), "{text}");
        assert!(text.contains("First name: Ali"), "{text}");
        assert!(!text.contains("version"), "{text}");
    }

    #[test]
    fn the_list_keys_scroll_it_and_back_closes_it() {
        let (history, _) = drawn();
        let mut s = testing::store();
        let mut overlay = Some(history);
        let id = crate::db::ids::ContactId(1);
        let scroll = |o: &Option<History>| o.as_ref().map(|h| h.scroll);
        let mut press =
            |o: &mut Option<History>, action| key::<Contact>(o, action, &mut s.db, id, "");
        assert_eq!(press(&mut overlay, "list-down"), Some(Effect::Done));
        assert_eq!(scroll(&overlay), Some(1));
        assert_eq!(press(&mut overlay, "list-bottom"), Some(Effect::Done));
        assert_eq!(press(&mut overlay, "list-top"), Some(Effect::Done));
        assert_eq!(scroll(&overlay), Some(0));
        // A key of the page's own is left to it, the overlay staying open.
        assert_eq!(press(&mut overlay, "edit"), None);
        assert!(overlay.is_some());
        assert_eq!(press(&mut overlay, "back"), Some(Effect::Done));
        assert!(overlay.is_none());
        assert_eq!(press(&mut overlay, "back"), None);
        assert_eq!(press(&mut overlay, "history"), Some(Effect::Done));
        assert!(overlay.is_some(), "history opens it");
    }

    #[test]
    fn a_change_is_one_line_with_its_values_cut() {
        let change = FieldChange {
            field: "priority".into(),
            before: Some(3.into()),
            after: Some(1.into()),
        };
        assert_eq!(
            change_line(Some(AuditAction::Update), &change, 10),
            "Priority: 3 → 1"
        );
        let long = FieldChange {
            field: "need".into(),
            before: None,
            after: Some("a very long need indeed".into()),
        };
        assert_eq!(
            change_line(Some(AuditAction::Update), &long, 10),
            "need: — → a very lo~"
        );
        assert_eq!(
            change_line(Some(AuditAction::Create), &long, 10),
            "need: a very lo~"
        );
    }
}
