//! The form every entry screen uses: labelled fields of a few kinds (text, multi-line text, whole
//! numbers, money, dates, date-times, choices, and lookups with incremental search), a message
//! beside each field that fails, a call timer, and a guard against losing typed text. The form
//! knows nothing of the store: a lookup asks its owner for candidates through `FormEvent::Search`,
//! and a save hands back typed values for the owner to store.
//!
//! When someone else saved the record while the form was open, the owner's save is refused and
//! the owner hands the form what is stored now ([`Form::conflict`]): the form keeps what was
//! typed, says who saved and when, and offers the keys to save over it, to compare the two field
//! by field, or to take the stored values instead.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui_textarea::TextArea;

use crate::domain::money;
use crate::domain::when::{self, WhenError};
use crate::error::{ChangedBy, FieldError};
use crate::t;
use crate::tui::text::{cells, clean, fit};
use crate::tui::{bidi, keymap};

/// One choice of a choice field: the value stored and the label shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    /// The choice of nothing, for an optional field: its value is empty.
    pub fn none() -> Choice {
        Choice {
            value: String::new(),
            label: crate::t!("choice.none"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Multiline,
    Whole,
    Money,
    Date,
    DateTime,
    Choice(Vec<Choice>),
    /// A row chosen by typing part of its name; the owner supplies candidates.
    Lookup,
}

/// A field's value once the form has checked it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Empty,
    Text(String),
    Whole(i64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Choice(String),
    Lookup(i64),
}

/// The values a saved form handed back, read by field key: what a field holds when it holds a
/// value of that kind, `None` otherwise (an empty field, another kind, no such field).
#[derive(Debug, Clone, Copy)]
pub struct Values<'a>(pub &'a [(&'static str, FieldValue)]);

impl<'a> Values<'a> {
    fn get(&self, key: &str) -> Option<&'a FieldValue> {
        self.0.iter().find_map(|(k, v)| (*k == key).then_some(v))
    }

    /// The text of a text field, when it is not blank.
    pub fn text(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            FieldValue::Text(t) if !t.trim().is_empty() => Some(t.clone()),
            _ => None,
        }
    }

    /// The value of the choice made.
    pub fn choice(&self, key: &str) -> Option<&'a str> {
        match self.get(key)? {
            FieldValue::Choice(c) => Some(c.as_str()),
            _ => None,
        }
    }

    /// The choice made, as the id its value is (none for a choice like "any").
    pub fn choice_id<Id: std::str::FromStr>(&self, key: &str) -> Option<Id> {
        self.choice(key)?.parse().ok()
    }

    pub fn whole(&self, key: &str) -> Option<i64> {
        match self.get(key)? {
            FieldValue::Whole(n) => Some(*n),
            _ => None,
        }
    }

    /// The id of the row chosen in a lookup field, as the owner's id type.
    pub fn lookup<Id: From<i64>>(&self, key: &str) -> Option<Id> {
        match self.get(key)? {
            FieldValue::Lookup(id) => Some(Id::from(*id)),
            _ => None,
        }
    }

    pub fn date(&self, key: &str) -> Option<NaiveDate> {
        match self.get(key)? {
            FieldValue::Date(d) => Some(*d),
            _ => None,
        }
    }

    pub fn date_time(&self, key: &str) -> Option<NaiveDateTime> {
        match self.get(key)? {
            FieldValue::DateTime(at) => Some(*at),
            _ => None,
        }
    }
}

/// What a key did to the form, for its owner to act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormEvent {
    None,
    /// Every field checked out: store these values.
    Save(Vec<(&'static str, FieldValue)>),
    /// Closed without saving (after the user confirmed dropping changes).
    Cancel,
    /// The text of a lookup field changed: send candidates with `set_candidates`.
    Search {
        field: &'static str,
        query: String,
    },
    /// A candidate of a lookup field was chosen (the owner may fill other fields from it).
    Chosen {
        field: &'static str,
        id: i64,
    },
}

struct Field {
    key: &'static str,
    label: String,
    kind: FieldKind,
    required: bool,
    editor: TextArea<'static>,
    choice: usize,
    candidates: Vec<(i64, String)>,
    candidate: usize,
    chosen: Option<(i64, String)>,
    error: Option<String>,
}

impl Field {
    fn text(&self) -> String {
        self.editor.lines().join("\n")
    }

    fn height(&self) -> u16 {
        let body = match self.kind {
            FieldKind::Multiline => 4,
            _ => 1,
        };
        body + u16::from(self.error.is_some())
    }

    fn set_text(&mut self, text: &str) {
        let mut editor = TextArea::new(text.split('\n').map(str::to_string).collect());
        editor.set_cursor_line_style(Style::default());
        editor.move_cursor(ratatui_textarea::CursorMove::Bottom);
        editor.move_cursor(ratatui_textarea::CursorMove::End);
        self.editor = editor;
    }
}

/// A record saved by someone else after the form was opened.
struct Conflict {
    /// Who saved it and when, in the owner's words.
    notice: String,
    /// The form as the owner would open it for the record now, when its fields can be compared
    /// with the typed ones and taken instead of them.
    theirs: Option<Box<Form>>,
    /// While the two are compared: each field that differs, as its label, what was typed and
    /// what is stored now (none when no field differs).
    compared: Option<Vec<[String; 3]>>,
}

/// The notice of a record saved after the form was opened, by whom and when where the store
/// knows: the words every form says it in.
pub fn saved_meanwhile(by: Option<&ChangedBy>) -> String {
    match by {
        Some(by) => t!("form.conflict", who = clean(&by.who), when = by.when()),
        None => t!("form.conflict-unknown"),
    }
}

/// An open form.
pub struct Form {
    title: String,
    fields: Vec<Field>,
    focus: usize,
    scroll: usize,
    dirty: bool,
    confirming_cancel: bool,
    timer_field: Option<&'static str>,
    timer_started: Option<std::time::Instant>,
    /// The warnings last shown: a save that brings the same ones again goes through.
    warned: Vec<FieldError>,
    /// Someone else saved the record while the form was open.
    conflict: Option<Conflict>,
    /// A word on what the last key did, until the next key.
    flash: Option<String>,
}

/// The least room the labels get, and the most they take of the form's width (a third).
const LABEL_WIDTH: u16 = 18;
const MAX_CANDIDATES: usize = 5;

impl Form {
    pub fn new(title: impl Into<String>) -> Form {
        Form {
            title: title.into(),
            fields: Vec::new(),
            focus: 0,
            scroll: 0,
            dirty: false,
            confirming_cancel: false,
            timer_field: None,
            timer_started: None,
            warned: Vec::new(),
            conflict: None,
            flash: None,
        }
    }

    /// The form's title, when what it edits has changed (a complaint moved on meanwhile).
    pub fn set_title(&mut self, title: impl Into<String>) {
        self.title = title.into();
    }

    /// Adds a field; `label` is already in the user's language.
    pub fn field(
        mut self,
        key: &'static str,
        label: impl Into<String>,
        kind: FieldKind,
        required: bool,
    ) -> Form {
        let mut editor = TextArea::default();
        editor.set_cursor_line_style(Style::default());
        self.fields.push(Field {
            key,
            label: label.into(),
            kind,
            required,
            editor,
            choice: 0,
            candidates: Vec::new(),
            candidate: 0,
            chosen: None,
            error: None,
        });
        self
    }

    /// The whole-number field the call timer fills with the minutes it ran.
    pub fn with_timer(mut self, field: &'static str) -> Form {
        self.timer_field = Some(field);
        self
    }

    /// The fields' keys, in order.
    pub fn keys(&self) -> Vec<&'static str> {
        self.fields.iter().map(|f| f.key).collect()
    }

    fn index(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.key == key)
    }

    /// Fills a field before the user sees it (not a change the user made).
    pub fn set_value(&mut self, key: &str, text: &str) {
        if let Some(i) = self.index(key) {
            let field = &mut self.fields[i];
            match &field.kind {
                FieldKind::Choice(choices) => {
                    field.choice = choices.iter().position(|c| c.value == text).unwrap_or(0);
                }
                _ => field.set_text(text),
            }
        }
    }

    /// Fills a lookup field with a chosen row.
    pub fn set_lookup(&mut self, key: &str, id: impl Into<i64>, label: &str) {
        if let Some(i) = self.index(key) {
            let field = &mut self.fields[i];
            field.set_text(label);
            field.chosen = Some((id.into(), label.to_string()));
        }
    }

    /// The candidates for a lookup field's current text, best first, as (id, label): the id is
    /// any of the owner's id types, kept here as the number it is.
    pub fn set_candidates<Id: Into<i64>>(&mut self, key: &str, candidates: Vec<(Id, String)>) {
        if let Some(i) = self.index(key) {
            self.fields[i].candidates = candidates
                .into_iter()
                .map(|(id, label)| (id.into(), label))
                .collect();
            self.fields[i].candidate = 0;
        }
    }

    /// Replaces a choice field's choices and selects `value` (the first when it is not there).
    pub fn set_choices(&mut self, key: &str, choices: Vec<Choice>, value: &str) {
        if let Some(i) = self.index(key) {
            let field = &mut self.fields[i];
            field.choice = choices.iter().position(|c| c.value == value).unwrap_or(0);
            field.kind = FieldKind::Choice(choices);
        }
    }

    /// The text typed in a field so far (not checked).
    pub fn text_of(&self, key: &str) -> String {
        self.index(key)
            .map(|i| self.fields[i].text())
            .unwrap_or_default()
    }

    /// Shows a message beside a field (for example a check the store made).
    pub fn set_error(&mut self, key: &str, message: impl Into<String>) {
        if let Some(i) = self.index(key) {
            self.fields[i].error = Some(message.into());
        }
    }

    /// Shows the store's reasons beside the fields they name (`field.national-code` is the field
    /// `national-code`) and puts the cursor on the first; what was typed stays.
    pub fn show_errors(&mut self, errors: &[FieldError]) {
        for e in errors {
            self.set_error(field_key(e.field), e.reason.clone());
        }
        if let Some(first) = errors.first() {
            self.focus_on(field_key(first.field));
        }
    }

    /// Shows warnings beside their fields the first time they come and says so (`true`: the
    /// save waits for the user to read them). The same warnings a second time are taken as
    /// read (`false`: the save goes on).
    pub fn warn_once(&mut self, warnings: Vec<FieldError>) -> bool {
        if warnings.is_empty() || warnings == self.warned {
            return false;
        }
        for w in &warnings {
            self.set_error(field_key(w.field), t!("form.warned", reason = w.reason));
        }
        if let Some(first) = warnings.first() {
            self.focus_on(field_key(first.field));
        }
        self.warned = warnings;
        true
    }

    /// Puts the cursor in a field (the first one a check failed on).
    pub fn focus_on(&mut self, key: &str) {
        if let Some(i) = self.index(key) {
            self.leave_field();
            self.focus = i;
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    pub fn focused_key(&self) -> Option<&'static str> {
        self.fields.get(self.focus).map(|f| f.key)
    }

    pub fn timer_running(&self) -> bool {
        self.timer_started.is_some()
    }

    /// Someone saved the record after the form was opened and the owner's save was refused.
    /// The form keeps everything typed and shows `notice` (who saved it and when, see
    /// [`saved_meanwhile`]) with the keys that go on from here: `form-save` saves what was typed
    /// again (the owner now saves over the record as it is stored), `form-compare` lists the
    /// fields that differ from `theirs`, `form-theirs` takes `theirs`' values instead, and
    /// `form-cancel` leaves as ever. `theirs` is the form as the owner would open it for the
    /// record now; without it there is nothing to compare or take, and saving tries again.
    pub fn conflict(&mut self, notice: impl Into<String>, theirs: Option<Form>) {
        self.confirming_cancel = false;
        self.conflict = Some(Conflict {
            notice: notice.into(),
            theirs: theirs.map(Box::new),
            compared: None,
        });
    }

    /// Whether the form shows a record saved by someone else meanwhile.
    pub fn in_conflict(&self) -> bool {
        self.conflict.is_some()
    }

    /// Whether the fields that differ from the stored ones are shown.
    pub fn comparing(&self) -> bool {
        self.conflict.as_ref().is_some_and(|c| c.compared.is_some())
    }

    /// Lists the fields whose typed value differs from the stored one; says so when there is
    /// nothing stored to compare with.
    fn compare(&mut self, now: NaiveDateTime) {
        self.leave_field();
        let theirs = self.conflict.as_ref().and_then(|c| c.theirs.as_deref());
        let Some(theirs) = theirs else {
            self.flash = Some(t!("form.conflict-nothing"));
            return;
        };
        let rows = self
            .fields
            .iter()
            .filter_map(|mine| {
                let stored = theirs.fields.iter().find(|f| f.key == mine.key)?;
                differ(mine, stored, now).then(|| [clean(&mine.label), shown(mine), shown(stored)])
            })
            .collect();
        if let Some(conflict) = self.conflict.as_mut() {
            conflict.compared = Some(rows);
        }
    }

    /// Replaces the typed values with the stored ones: the form is then the record as it is
    /// stored, and the conflict is over.
    fn take_theirs(&mut self) {
        let Some(theirs) = self.conflict.as_mut().and_then(|c| c.theirs.take()) else {
            self.flash = Some(t!("form.conflict-nothing"));
            return;
        };
        for field in &mut self.fields {
            let Some(stored) = theirs.fields.iter().find(|f| f.key == field.key) else {
                continue;
            };
            field.kind = stored.kind.clone();
            field.choice = stored.choice;
            field.chosen = stored.chosen.clone();
            field.set_text(&stored.text());
            field.candidates.clear();
            field.candidate = 0;
            field.error = None;
        }
        self.conflict = None;
        self.dirty = false;
        self.warned.clear();
        self.flash = Some(t!("form.took-theirs"));
    }

    /// Handles a key: `action` is what the keymap's form section made of it, if anything.
    pub fn handle(&mut self, action: Option<&str>, key: KeyEvent, now: NaiveDateTime) -> FormEvent {
        self.flash = None;
        // While the differing fields are shown, any key goes back to the form.
        if let Some(conflict) = self.conflict.as_mut()
            && conflict.compared.take().is_some()
        {
            return FormEvent::None;
        }
        if self.confirming_cancel {
            self.confirming_cancel = false;
            // `y` answers, or the key in its place on a Persian layout (غ).
            return match key.code {
                KeyCode::Char(c)
                    if matches!(keymap::on_persian_layout(c).unwrap_or(c), 'y' | 'Y') =>
                {
                    FormEvent::Cancel
                }
                _ => FormEvent::None,
            };
        }
        // While a lookup offers candidates, the arrows move among them, even where the keymap
        // makes them the next and previous field.
        let choosing = self
            .fields
            .get(self.focus)
            .is_some_and(|f| f.kind == FieldKind::Lookup && !f.candidates.is_empty());
        if choosing && matches!(key.code, KeyCode::Up | KeyCode::Down) {
            return self.edit(key);
        }
        match action {
            Some("form-next") => self.move_focus(1),
            Some("form-prev") => self.move_focus(-1),
            Some("form-save") => return self.save(now),
            Some("form-cancel") => {
                if self.dirty {
                    self.confirming_cancel = true;
                } else {
                    return FormEvent::Cancel;
                }
            }
            Some("form-timer") => self.toggle_timer(),
            // Without a conflict these keys are the editor's, as they always were.
            Some("form-compare") if self.conflict.is_some() => self.compare(now),
            Some("form-theirs") if self.conflict.is_some() => self.take_theirs(),
            _ => return self.edit(key),
        }
        FormEvent::None
    }

    fn move_focus(&mut self, step: isize) {
        if self.fields.is_empty() {
            return;
        }
        self.leave_field();
        let n = self.fields.len() as isize;
        self.focus = ((self.focus as isize + step).rem_euclid(n)) as usize;
    }

    /// Tidies the field being left: money is shown grouped.
    fn leave_field(&mut self) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        if field.kind == FieldKind::Money
            && let Ok(n) = money::parse_whole(&field.text())
        {
            field.set_text(&money::group_thousands(n));
        }
    }

    fn toggle_timer(&mut self) {
        match self.timer_started.take() {
            None => self.timer_started = Some(std::time::Instant::now()),
            Some(started) => {
                let minutes = started.elapsed().as_secs().div_ceil(60).max(1);
                if let Some(key) = self.timer_field {
                    self.set_value(key, &minutes.to_string());
                    self.dirty = true;
                }
            }
        }
    }

    fn edit(&mut self, key: KeyEvent) -> FormEvent {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return FormEvent::None;
        };
        match &field.kind {
            FieldKind::Choice(choices) => {
                let n = choices.len().max(1);
                match key.code {
                    KeyCode::Right | KeyCode::Char(' ') => field.choice = (field.choice + 1) % n,
                    KeyCode::Left => field.choice = (field.choice + n - 1) % n,
                    KeyCode::Char(c) => {
                        let c = c.to_lowercase().next().unwrap_or(c);
                        if let Some(i) = choices
                            .iter()
                            .position(|ch| ch.label.to_lowercase().starts_with(c))
                        {
                            field.choice = i;
                        }
                    }
                    _ => return FormEvent::None,
                }
                field.error = None;
                self.dirty = true;
                FormEvent::None
            }
            FieldKind::Lookup => match key.code {
                KeyCode::Down if !field.candidates.is_empty() => {
                    field.candidate = (field.candidate + 1).min(field.candidates.len() - 1);
                    FormEvent::None
                }
                KeyCode::Up => {
                    field.candidate = field.candidate.saturating_sub(1);
                    FormEvent::None
                }
                KeyCode::Enter => {
                    if let Some((id, label)) = field.candidates.get(field.candidate).cloned() {
                        let key = field.key;
                        field.set_text(&label);
                        field.chosen = Some((id, label));
                        field.candidates.clear();
                        field.error = None;
                        self.dirty = true;
                        self.move_focus(1);
                        return FormEvent::Chosen { field: key, id };
                    }
                    FormEvent::None
                }
                _ => {
                    if field.editor.input(key) {
                        field.chosen = None;
                        field.error = None;
                        self.dirty = true;
                        return FormEvent::Search {
                            field: field.key,
                            query: field.text(),
                        };
                    }
                    FormEvent::None
                }
            },
            FieldKind::Multiline => {
                if field.editor.input(key) {
                    field.error = None;
                    self.dirty = true;
                }
                FormEvent::None
            }
            _ => {
                if key.code == KeyCode::Enter {
                    self.move_focus(1);
                    return FormEvent::None;
                }
                // One line only: no newlines, even pasted ones.
                if key.code == KeyCode::Char('m') && key.modifiers.contains(KeyModifiers::CONTROL) {
                    return FormEvent::None;
                }
                if field.editor.input(key) {
                    field.error = None;
                    self.dirty = true;
                }
                FormEvent::None
            }
        }
    }

    /// Checks every field; on success hands back the values, otherwise marks each failing field
    /// and moves to the first.
    fn save(&mut self, now: NaiveDateTime) -> FormEvent {
        self.leave_field();
        let mut values = Vec::with_capacity(self.fields.len());
        let mut first_error = None;
        for (i, field) in self.fields.iter_mut().enumerate() {
            match check(field, now) {
                Ok(value) => {
                    field.error = None;
                    values.push((field.key, value));
                }
                Err(message) => {
                    field.error = Some(message);
                    first_error.get_or_insert(i);
                }
            }
        }
        match first_error {
            Some(i) => {
                self.focus = i;
                FormEvent::None
            }
            None => FormEvent::Save(values),
        }
    }

    /// The number of rows the form would like, for the owner to size its area.
    pub fn wanted_height(&self) -> u16 {
        self.height_for(100)
    }

    /// The rows the form would like when it is `width` cells wide: its fields (or the fields
    /// compared), and the notice of a conflict above them.
    fn height_for(&self, width: u16) -> u16 {
        let fields = self.fields.iter().map(Field::height).sum::<u16>();
        let Some(conflict) = &self.conflict else {
            return fields + 3;
        };
        let inner = width.saturating_sub(2);
        let notice = u16::try_from(conflict.lines(inner).len()).unwrap_or(0);
        let compared = conflict.compared.as_ref().map_or(0, |rows| {
            let lines = compared_lines(rows, self.label_width(inner), inner).len();
            u16::try_from(lines).unwrap_or(u16::MAX)
        });
        fields.max(compared) + notice + 3
    }

    /// The room the labels get in a form `width` cells wide inside its frame: what the longest
    /// needs (the focus mark, the name, a star for a required field, a space), at least
    /// LABEL_WIDTH and at most a third of the width.
    fn label_width(&self, width: u16) -> u16 {
        let longest = self
            .fields
            .iter()
            .map(|f| cells(&f.label) + 4)
            .max()
            .unwrap_or(0);
        u16::try_from(longest)
            .unwrap_or(u16::MAX)
            .clamp(LABEL_WIDTH, (width / 3).max(LABEL_WIDTH))
    }

    /// Draws the form over the top of `pane`, as high as its fields want.
    pub fn render_over(&mut self, frame: &mut Frame, pane: Rect) {
        let width = super::overlay_area(pane, 0).width;
        let area = super::overlay_area(pane, self.height_for(width));
        self.render(frame, area);
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect) {
        frame.render_widget(Clear, area);
        bidi::forget(area);
        let hint = if self.confirming_cancel {
            t!("form.confirm-cancel")
        } else if self.comparing() {
            t!("form.compare-back")
        } else if let Some(flash) = &self.flash {
            flash.clone()
        } else if self.timer_started.is_some() {
            t!("form.timer-running")
        } else {
            String::new()
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .title(format!(" {} ", self.title))
            .title_bottom(hint);
        let mut inner = block.inner(area);
        frame.render_widget(block, area);
        let label_width = self.label_width(inner.width);
        if inner.width < label_width + 8 || inner.height == 0 {
            return;
        }
        // A conflict's notice stands above the fields, or above the fields compared.
        if let Some(conflict) = &self.conflict {
            let lines = conflict.lines(inner.width);
            let shown = u16::try_from(lines.len())
                .unwrap_or(u16::MAX)
                .min(inner.height);
            for (y, line) in (inner.y..).zip(lines.into_iter().take(usize::from(shown))) {
                bidi::cut(inner.x, y);
                frame.render_widget(
                    Paragraph::new(line).style(Style::default().add_modifier(Modifier::BOLD)),
                    Rect {
                        x: inner.x,
                        y,
                        width: inner.width,
                        height: 1,
                    },
                );
            }
            inner.y += shown;
            inner.height -= shown;
            if let Some(rows) = &conflict.compared {
                render_compared(frame, inner, label_width, rows);
                return;
            }
            if inner.height == 0 {
                return;
            }
        }
        // Scroll so the focused field (and its candidates) is in view.
        let heights: Vec<u16> = self.fields.iter().map(Field::height).collect();
        let focus_bottom: u16 = heights[..=self.focus.min(heights.len().saturating_sub(1))]
            .iter()
            .sum();
        let scroll_top: u16 = heights[..self.scroll.min(heights.len())].iter().sum();
        if self.focus < self.scroll {
            self.scroll = self.focus;
        } else if focus_bottom.saturating_sub(scroll_top) > inner.height {
            while self.scroll < self.focus
                && focus_bottom.saturating_sub(heights[..self.scroll].iter().sum::<u16>())
                    > inner.height
            {
                self.scroll += 1;
            }
        }
        let mut y = inner.y;
        let bottom = inner.y + inner.height;
        let mut cursor_spot = None;
        for (i, field) in self.fields.iter().enumerate().skip(self.scroll) {
            let h = field.height();
            if y + h > bottom {
                break;
            }
            let focused = i == self.focus;
            let marker = if focused { "> " } else { "  " };
            let star = if field.required { "*" } else { "" };
            let label = format!("{marker}{}{star}", field.label);
            let label_style = if focused {
                Style::default().add_modifier(Modifier::BOLD)
            } else {
                Style::default()
            };
            frame.render_widget(
                Paragraph::new(Span::styled(label, label_style)),
                Rect {
                    x: inner.x,
                    y,
                    width: label_width,
                    height: 1,
                },
            );
            let input_area = Rect {
                x: inner.x + label_width,
                y,
                width: inner.width - label_width,
                height: h - u16::from(field.error.is_some()),
            };
            // The marker, the label and the value (or its message) are stretches of their own,
            // which a right-to-left screen turns around as one.
            for row in y..y + h {
                bidi::cut(inner.x + 2, row);
                bidi::cut(input_area.x, row);
            }
            match &field.kind {
                FieldKind::Choice(choices) => {
                    let text = choices
                        .get(field.choice)
                        .map_or(String::new(), |c| format!("< {} >", c.label));
                    frame.render_widget(Paragraph::new(text), input_area);
                }
                _ => {
                    if focused {
                        frame.render_widget(&field.editor, input_area);
                        cursor_spot = Some((input_area, field));
                    } else {
                        let shown = match (&field.kind, &field.chosen) {
                            (FieldKind::Lookup, Some((_, label))) => label.clone(),
                            _ => field.text(),
                        };
                        let lines: Vec<Line> =
                            shown.lines().map(|l| Line::from(l.to_string())).collect();
                        frame.render_widget(Paragraph::new(lines), input_area);
                    }
                }
            }
            if let Some(error) = &field.error {
                frame.render_widget(
                    Paragraph::new(format!("! {error}"))
                        .style(Style::default().add_modifier(Modifier::BOLD)),
                    Rect {
                        x: inner.x + label_width,
                        y: y + h - 1,
                        width: inner.width - label_width,
                        height: 1,
                    },
                );
            }
            y += h;
        }
        // A lookup's candidates drop down below it, over the fields that follow.
        if let Some((input_area, field)) = cursor_spot
            && field.kind == FieldKind::Lookup
            && !field.candidates.is_empty()
        {
            let rows = field.candidates.len().min(MAX_CANDIDATES) as u16;
            let top = (input_area.y + 1).min(bottom.saturating_sub(rows));
            let area = Rect {
                x: input_area.x,
                y: top,
                width: input_area.width,
                height: rows.min(bottom - top),
            };
            let lines: Vec<Line> = field
                .candidates
                .iter()
                .take(MAX_CANDIDATES)
                .enumerate()
                .map(|(i, (_, label))| {
                    if i == field.candidate {
                        Line::from(Span::styled(
                            format!("> {label}"),
                            Style::default().add_modifier(Modifier::REVERSED),
                        ))
                    } else {
                        Line::from(format!("  {label}"))
                    }
                })
                .collect();
            frame.render_widget(Clear, area);
            frame.render_widget(Paragraph::new(lines), area);
        }
    }
}

impl Conflict {
    /// The notice as lines of at most `width` cells: who saved and when, then the keys.
    fn lines(&self, width: u16) -> Vec<String> {
        let keys = match self.theirs {
            Some(_) => t!("form.conflict-keys"),
            None => t!("form.conflict-retry-keys"),
        };
        let width = usize::from(width);
        let mut lines = wrap(&clean(&self.notice), width);
        lines.extend(wrap(&keys, width));
        lines
    }
}

/// `text` broken into lines of at most `width` cells, between words where it can be.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && cells(&line) + 1 + cells(word) > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|l| fit(&l, width)).collect()
}

/// Whether a typed field holds another value than the stored one: the values as a save would
/// hand them back, or, where one does not check out, the text shown.
fn differ(mine: &Field, stored: &Field, now: NaiveDateTime) -> bool {
    match (check(mine, now), check(stored, now)) {
        (Ok(a), Ok(b)) => a != b,
        _ => shown(mine) != shown(stored),
    }
}

/// A field's value on one line, as the comparison shows it: a choice's label, the row chosen
/// in a lookup, money grouped, the lines of a long text one after the other.
fn shown(field: &Field) -> String {
    let text = field.text();
    let text = match &field.kind {
        FieldKind::Choice(choices) => choices
            .get(field.choice)
            .map(|c| c.label.clone())
            .unwrap_or_default(),
        FieldKind::Lookup => field
            .chosen
            .as_ref()
            .map_or(text, |(_, label)| label.clone()),
        FieldKind::Money => money::parse_whole(&text).map_or(text, money::group_thousands),
        _ => text,
    };
    let text = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" / ");
    if text.is_empty() {
        t!("form.compare-empty")
    } else {
        clean(&text)
    }
}

/// The most lines one value takes when the fields are compared.
const COMPARED_LINES: usize = 4;

/// The fields compared as lines `width` cells wide: a heading, then for each field that differs
/// its label beside what was typed and what is stored now, each value wrapped to its column
/// (up to [`COMPARED_LINES`]), or a line saying no field differs. Each line is its three columns'
/// text and where they start.
fn compared_lines(rows: &[[String; 3]], label_width: u16, width: u16) -> Vec<[(u16, String); 3]> {
    let value_width = width.saturating_sub(label_width) / 2;
    let xs = [0, label_width, label_width + value_width];
    let widths = [
        label_width,
        value_width,
        width.saturating_sub(label_width + value_width),
    ];
    // Two blank cells before a column's text, and two after it.
    let room = |column: usize| usize::from(widths[column].saturating_sub(4)).max(1);
    let line = |cells: [String; 3]| -> [(u16, String); 3] {
        let [a, b, c] = cells;
        [(xs[0], a), (xs[1], b), (xs[2], c)]
    };
    let mut lines = vec![line([
        t!("form.compare-field"),
        t!("form.compare-yours"),
        t!("form.compare-theirs"),
    ])];
    if rows.is_empty() {
        lines.push([
            (0, t!("form.compare-same")),
            (xs[1], String::new()),
            (xs[2], String::new()),
        ]);
    }
    for [label, yours, theirs] in rows {
        let columns = [
            vec![fit(label, room(0))],
            wrap(yours, room(1)),
            wrap(theirs, room(2)),
        ];
        let tall = columns.iter().map(Vec::len).max().unwrap_or(1);
        for i in 0..tall.clamp(1, COMPARED_LINES) {
            let cell = |column: usize| {
                let wrapped = &columns[column];
                match wrapped.get(i) {
                    // The last line shown says when there is more.
                    Some(text) if i + 1 == COMPARED_LINES && wrapped.len() > COMPARED_LINES => {
                        fit(&format!("{text} {}", wrapped[i + 1]), room(column))
                    }
                    Some(text) => text.clone(),
                    None => String::new(),
                }
            };
            lines.push(line([cell(0), cell(1), cell(2)]));
        }
    }
    lines
}

/// The fields compared, in `area` (see [`compared_lines`]); the heading in bold.
fn render_compared(frame: &mut Frame, area: Rect, label_width: u16, rows: &[[String; 3]]) {
    let lines = compared_lines(rows, label_width, area.width);
    for (i, (y, line)) in (area.y..area.y + area.height).zip(lines).enumerate() {
        let style = if i == 0 {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        // A column's text may run on over the columns left blank after it.
        let starts: Vec<Option<u16>> = line
            .iter()
            .map(|(x, text)| (!text.is_empty()).then_some(*x))
            .collect();
        for (column, (x, text)) in line.into_iter().enumerate() {
            if text.is_empty() {
                continue;
            }
            let end = starts[column + 1..]
                .iter()
                .find_map(|start| *start)
                .unwrap_or(area.width);
            bidi::cut(area.x + x, y);
            frame.render_widget(
                Paragraph::new(format!("  {text}")).style(style),
                Rect {
                    x: area.x + x,
                    y,
                    width: end.saturating_sub(x),
                    height: 1,
                },
            );
        }
    }
}

fn when_message(e: WhenError) -> String {
    match e {
        WhenError::Unrecognised => t!("form.bad-date"),
        WhenError::NoSuchDate => t!("form.no-such-date"),
        WhenError::NoSuchTime => t!("form.no-such-time"),
    }
}

/// The form field a store message names: the catalog key without `field.`.
pub fn field_key(field: &str) -> &str {
    field.strip_prefix("field.").unwrap_or(field)
}

/// A field's value, or the message to show beside it.
fn check(field: &Field, now: NaiveDateTime) -> Result<FieldValue, String> {
    let text = field.text();
    let trimmed = text.trim();
    let empty = match field.kind {
        FieldKind::Choice(_) => false,
        FieldKind::Lookup => field.chosen.is_none() && trimmed.is_empty(),
        _ => trimmed.is_empty(),
    };
    if empty {
        return if field.required {
            Err(t!("invalid.required"))
        } else {
            Ok(FieldValue::Empty)
        };
    }
    let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default();
    match &field.kind {
        FieldKind::Text => Ok(FieldValue::Text(trimmed.to_string())),
        FieldKind::Multiline => Ok(FieldValue::Text(text.trim_end().to_string())),
        FieldKind::Whole | FieldKind::Money => money::parse_whole(trimmed)
            .map(FieldValue::Whole)
            .map_err(|_| t!("form.not-a-number")),
        FieldKind::Date => when::parse_date(trimmed, when::to_local(now).date())
            .map(FieldValue::Date)
            .map_err(when_message),
        // Typed in local time, relative to local now; kept as UTC like every stored time.
        FieldKind::DateTime => when::parse_datetime(trimmed, when::to_local(now), nine)
            .map(|at| FieldValue::DateTime(when::to_utc(at)))
            .map_err(when_message),
        FieldKind::Choice(choices) => Ok(choices
            .get(field.choice)
            .map_or(FieldValue::Empty, |c| FieldValue::Choice(c.value.clone()))),
        FieldKind::Lookup => field
            .chosen
            .as_ref()
            .map(|(id, _)| FieldValue::Lookup(*id))
            .ok_or_else(|| t!("form.pick-from-list")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 29)
            .and_then(|d| d.and_hms_opt(9, 15, 0))
            .expect("a real date")
    }

    fn type_text(form: &mut Form, text: &str) -> FormEvent {
        let mut last = FormEvent::None;
        for c in text.chars() {
            last = form.handle(None, press(KeyCode::Char(c)), now());
        }
        last
    }

    fn sample() -> Form {
        let choices = vec![
            Choice {
                value: "low".into(),
                label: "Low".into(),
            },
            Choice {
                value: "high".into(),
                label: "High".into(),
            },
        ];
        Form::new("Test")
            .field("name", "Name", FieldKind::Text, true)
            .field("amount", "Amount", FieldKind::Money, false)
            .field("due", "Due", FieldKind::DateTime, false)
            .field(
                "importance",
                "Importance",
                FieldKind::Choice(choices),
                false,
            )
            .field("who", "Who", FieldKind::Lookup, false)
            .field("minutes", "Minutes", FieldKind::Whole, false)
            .with_timer("minutes")
    }

    fn screen(form: &mut Form, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
        terminal.draw(|f| form.render(f, f.area())).expect("draw");
        let buffer = terminal.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..height {
            for x in 0..width {
                out.push_str(buffer[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }

    #[test]
    fn every_invalid_field_gets_a_message_and_nothing_is_saved() {
        let mut form = sample();
        assert_eq!(
            form.handle(Some("form-next"), press(KeyCode::Tab), now()),
            FormEvent::None
        );
        type_text(&mut form, "12x");
        form.handle(Some("form-next"), press(KeyCode::Tab), now());
        type_text(&mut form, "2026-02-30");
        assert_eq!(
            form.handle(Some("form-save"), press(KeyCode::Char('s')), now()),
            FormEvent::None
        );
        assert_eq!(
            form.focused_key(),
            Some("name"),
            "the first failing field takes the focus"
        );
        let text = screen(&mut form, 80, 24);
        assert!(text.contains("! is required"), "{text}");
        assert!(text.contains("! not a number"), "{text}");
        assert!(text.contains("! there is no such date"), "{text}");
    }

    #[test]
    fn a_valid_form_hands_back_typed_values() {
        let mut form = sample();
        type_text(&mut form, "Pars Tejarat");
        form.handle(Some("form-next"), press(KeyCode::Tab), now());
        type_text(&mut form, "۸۵۰۰۰۰۰۰۰");
        form.handle(Some("form-next"), press(KeyCode::Tab), now());
        type_text(&mut form, "tomorrow 10:30");
        form.handle(Some("form-next"), press(KeyCode::Tab), now());
        type_text(&mut form, "h");
        form.handle(Some("form-next"), press(KeyCode::Tab), now());
        assert_eq!(
            type_text(&mut form, "re"),
            FormEvent::Search {
                field: "who",
                query: "re".into()
            }
        );
        form.set_candidates(
            "who",
            vec![(7, "Reza Ahmadi".into()), (9, "Reyhaneh Azizi".into())],
        );
        // The default keymap makes down the next field; with candidates shown it picks the next
        // candidate instead.
        form.handle(Some("form-next"), press(KeyCode::Down), now());
        assert_eq!(form.focused_key(), Some("who"));
        form.handle(None, press(KeyCode::Enter), now());
        assert_eq!(form.focused_key(), Some("minutes"));
        let FormEvent::Save(values) =
            form.handle(Some("form-save"), press(KeyCode::Char('s')), now())
        else {
            panic!("the form should save");
        };
        let tomorrow = NaiveDate::from_ymd_opt(2026, 11, 30)
            .and_then(|d| d.and_hms_opt(10, 30, 0))
            .expect("date");
        assert_eq!(
            values,
            vec![
                ("name", FieldValue::Text("Pars Tejarat".into())),
                ("amount", FieldValue::Whole(850_000_000)),
                ("due", FieldValue::DateTime(tomorrow)),
                ("importance", FieldValue::Choice("high".into())),
                ("who", FieldValue::Lookup(9)),
                ("minutes", FieldValue::Empty),
            ]
        );
        assert!(
            screen(&mut form, 80, 24).contains("850,000,000"),
            "money is shown grouped"
        );
    }

    #[test]
    fn cancelling_a_changed_form_asks_first() {
        let mut form = sample();
        assert_eq!(
            form.handle(Some("form-cancel"), press(KeyCode::Esc), now()),
            FormEvent::Cancel
        );
        let mut form = sample();
        type_text(&mut form, "x");
        assert_eq!(
            form.handle(Some("form-cancel"), press(KeyCode::Esc), now()),
            FormEvent::None
        );
        assert!(screen(&mut form, 80, 24).contains("Discard"));
        assert_eq!(
            form.handle(None, press(KeyCode::Char('n')), now()),
            FormEvent::None
        );
        assert_eq!(
            form.handle(Some("form-cancel"), press(KeyCode::Esc), now()),
            FormEvent::None
        );
        assert_eq!(
            form.handle(None, press(KeyCode::Char('y')), now()),
            FormEvent::Cancel
        );
        // Under a Persian layout the key in the place of y types غ: it answers yes too.
        let mut form = sample();
        type_text(&mut form, "x");
        form.handle(Some("form-cancel"), press(KeyCode::Esc), now());
        assert_eq!(
            form.handle(None, press(KeyCode::Char('غ')), now()),
            FormEvent::Cancel
        );
    }

    #[test]
    fn a_long_form_scrolls_to_the_focused_field() {
        let mut form = Form::new("Long");
        const KEYS: [&str; 30] = [
            "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12", "f13",
            "f14", "f15", "f16", "f17", "f18", "f19", "f20", "f21", "f22", "f23", "f24", "f25",
            "f26", "f27", "f28", "f29",
        ];
        for key in KEYS {
            form = form.field(key, format!("Field {key}"), FieldKind::Text, false);
        }
        for _ in 0..25 {
            form.handle(Some("form-next"), press(KeyCode::Tab), now());
        }
        let text = screen(&mut form, 80, 24);
        assert!(text.contains("> Field f25"), "{text}");
        assert!(!text.contains("Field f0 "), "{text}");
    }

    #[test]
    fn the_timer_fills_the_minutes() {
        let mut form = sample();
        form.handle(Some("form-timer"), press(KeyCode::Char('t')), now());
        assert!(form.timer_running());
        form.handle(Some("form-timer"), press(KeyCode::Char('t')), now());
        assert!(!form.timer_running());
        let FormEvent::None = form.handle(Some("form-save"), press(KeyCode::Char('s')), now())
        else {
            panic!("name is still missing");
        };
        assert!(screen(&mut form, 80, 24).contains("Minutes"));
        assert!(form.is_dirty());
    }

    #[test]
    fn warnings_stop_the_first_save_only_and_errors_land_beside_their_fields() {
        let mut form = Form::new("t")
            .field("name", "Name", FieldKind::Text, false)
            .field("mobile", "Mobile", FieldKind::Text, false);
        let shared = || {
            vec![FieldError {
                field: "field.mobile",
                reason: "is on file for Sara".into(),
            }]
        };
        assert!(form.warn_once(shared()), "shown the first time");
        assert_eq!(form.focused_key(), Some("mobile"));
        assert!(!form.warn_once(shared()), "the same ones again: read");
        assert!(!form.warn_once(Vec::new()));
        form.show_errors(&[FieldError {
            field: "field.name",
            reason: "is required".into(),
        }]);
        assert_eq!(form.focused_key(), Some("name"));
        assert_eq!(form.fields[0].error.as_deref(), Some("is required"));
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    /// The screen's row that holds `needle`.
    fn row_with<'a>(screen: &'a str, needle: &str) -> &'a str {
        screen
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no row with {needle} in\n{screen}"))
    }

    #[test]
    fn a_record_saved_meanwhile_keeps_the_typed_values_compares_and_takes_the_stored_ones() {
        let mut form = sample();
        type_text(&mut form, "Pars Tejarat");
        form.handle(Some("form-next"), press(KeyCode::Tab), now());
        type_text(&mut form, "850000000");
        // Without a conflict the keys are the editor's: nothing to compare, nothing taken.
        form.handle(Some("form-compare"), ctrl('d'), now());
        form.handle(Some("form-theirs"), ctrl('r'), now());
        assert!(!form.comparing());
        assert_eq!(form.text_of("name"), "Pars Tejarat");
        let mut theirs = sample();
        theirs.set_value("name", "Pars Trading");
        theirs.set_value("amount", "850,000,000");
        theirs.set_value("importance", "high");
        form.conflict("Sara Rahimi saved this at 10:42", Some(theirs));
        assert!(form.in_conflict());
        let text = screen(&mut form, 100, 24);
        assert!(text.contains("Sara Rahimi saved this at 10:42"), "{text}");
        assert!(text.contains("ctrl-d: compare"), "{text}");
        assert!(
            text.contains("Pars Tejarat"),
            "what was typed stays:\n{text}"
        );
        form.handle(Some("form-compare"), ctrl('d'), now());
        assert!(form.comparing());
        let text = screen(&mut form, 100, 24);
        assert!(text.contains("Stored now"), "{text}");
        let name = row_with(&text, "Name");
        assert!(
            name.contains("Pars Tejarat") && name.contains("Pars Trading"),
            "{text}"
        );
        let importance = row_with(&text, "Importance");
        assert!(
            importance.contains("Low") && importance.contains("High"),
            "{text}"
        );
        // The same amount, typed without grouping, is no difference.
        assert!(!text.contains("Amount"), "{text}");
        assert!(text.contains("any key returns to the form"), "{text}");
        // Any key goes back to the form, and is not typed.
        assert_eq!(
            form.handle(None, press(KeyCode::Char('x')), now()),
            FormEvent::None
        );
        assert!(!form.comparing());
        assert_eq!(form.text_of("name"), "Pars Tejarat");
        // Saving hands back what was typed, for the owner to save over the stored record.
        let FormEvent::Save(values) = form.handle(Some("form-save"), ctrl('s'), now()) else {
            panic!("the form should save");
        };
        assert_eq!(values[0], ("name", FieldValue::Text("Pars Tejarat".into())));
        // Taking theirs puts the stored values in the form; leaving then asks nothing.
        form.handle(Some("form-theirs"), ctrl('r'), now());
        assert!(!form.in_conflict());
        assert_eq!(form.text_of("name"), "Pars Trading");
        assert!(!form.is_dirty());
        let text = screen(&mut form, 100, 24);
        assert!(row_with(&text, "Importance").contains("High"), "{text}");
        assert!(
            text.contains("the stored values are in the form now"),
            "{text}"
        );
        assert_eq!(
            form.handle(Some("form-cancel"), press(KeyCode::Esc), now()),
            FormEvent::Cancel
        );
    }

    #[test]
    fn a_conflict_with_nothing_to_compare_says_so_and_keeps_the_text() {
        let mut form = sample();
        type_text(&mut form, "Pars Tejarat");
        form.conflict("Sara Rahimi changed this at 10:42", None);
        let text = screen(&mut form, 100, 24);
        assert!(text.contains("ctrl-s: try yours again"), "{text}");
        assert!(!text.contains("ctrl-d"), "{text}");
        for (action, c) in [("form-compare", 'd'), ("form-theirs", 'r')] {
            form.handle(Some(action), ctrl(c), now());
            assert!(!form.comparing());
            assert!(form.in_conflict());
            assert_eq!(form.text_of("name"), "Pars Tejarat");
            let text = screen(&mut form, 100, 24);
            assert!(text.contains("nothing to compare here"), "{text}");
        }
        // A record stored just as it was typed: no field differs.
        let mut theirs = sample();
        theirs.set_value("name", "Pars Tejarat");
        form.conflict("Sara Rahimi saved this at 10:42", Some(theirs));
        form.handle(Some("form-compare"), ctrl('d'), now());
        let text = screen(&mut form, 100, 24);
        assert!(text.contains("No field differs."), "{text}");
    }

    #[test]
    fn long_values_compared_wrap_so_their_ends_can_be_told_apart() {
        let mut form = sample();
        type_text(
            &mut form,
            "Alborz Machinery International Company, head office",
        );
        let mut theirs = sample();
        theirs.set_value(
            "name",
            "Alborz Machinery International Company, Tabriz branch",
        );
        form.conflict("Sara Rahimi saved this at 10:42", Some(theirs));
        form.handle(Some("form-compare"), ctrl('d'), now());
        let text = screen(&mut form, 70, 24);
        assert!(text.contains("head office"), "{text}");
        assert!(text.contains("Company, Tabriz"), "{text}");
        let name = row_with(&text, "Name");
        assert!(
            name.contains("Alborz") && name.matches("Alborz").count() == 2,
            "{text}"
        );
    }
}
