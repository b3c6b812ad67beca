//! The Contacts pane: the list of contacts (the archived left out) in name order, narrowed by a
//! search box as the user types; a contact's page; and the form that adds and edits persons and
//! companies, links them, and files them under categories; beside the list, the category tree.
//!
//! `list` holds the list's source and columns, `detail` a contact's page, `form` the contact
//! form, `category_tree` the category manager.

mod category_tree;
mod detail;
mod form;
mod list;
#[cfg(test)]
mod tests;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use super::{Effect, Mode, PageKey, Pane, PaneId};
use crate::db::Db;
use crate::db::ids::{CategoryId, ContactId};
use crate::domain::text::search_key;
use crate::error::{ChangedBy, Error, FieldError, Result};
use crate::store::Actor;
use crate::store::categories;
use crate::store::contacts::{self, ContactFields, ContactFilter, ContactKind};
use crate::t;
use crate::tui::action::Context;
use crate::tui::forms::export;
use crate::tui::text::{clean, group_thousands};
use crate::tui::theme::Theme;
use crate::tui::widgets::form::{FieldKind, FieldValue, Form, FormEvent, Values, saved_meanwhile};
use crate::tui::widgets::list::{ListWindow, View};
use crate::tui::widgets::search::{SearchBox, SearchEvent};
use category_tree::CategoryTree;
use detail::Detail;
use list::{ContactSource, columns};

/// The narrowest pane that shows the category tree beside the list; a narrower one shows the
/// tree only while it has the focus.
const TREE_BESIDE_FROM: u16 = 72;

/// What the open form is for.
enum Purpose {
    New(ContactKind),
    Edit {
        id: ContactId,
        version: i64,
        kind: ContactKind,
    },
    Link {
        id: ContactId,
        kind: ContactKind,
        name: String,
    },
    File {
        id: ContactId,
        name: String,
    },
    Unfile {
        id: ContactId,
        name: String,
    },
    Export,
}

struct OpenForm {
    form: Form,
    purpose: Purpose,
}

pub struct Contacts {
    actor: Actor,
    tree: CategoryTree,
    tree_focused: bool,
    list: ListWindow<ContactSource>,
    search: SearchBox,
    detail: Option<Detail>,
    form: Option<OpenForm>,
    /// The contact whose archiving waits for the key again.
    confirm_archive: Option<ContactId>,
}

impl Contacts {
    pub fn new(actor: Actor) -> Contacts {
        Contacts {
            actor,
            tree: CategoryTree::new(),
            tree_focused: false,
            list: ListWindow::new(ContactSource::default()).lines_above(1),
            search: SearchBox::new(),
            detail: None,
            form: None,
            confirm_archive: None,
        }
    }

    #[cfg(test)]
    pub(crate) fn selected_row(&self) -> Option<&contacts::ContactRow> {
        self.list.selected()
    }

    /// The contact the actions apply to: the one on its page, else the selected row.
    fn current(&self) -> Option<(ContactId, String)> {
        match &self.detail {
            Some(d) => Some((d.contact.id, d.contact.fields.display_name.clone())),
            None => self.list.selected().map(|r| (r.id, r.display_name.clone())),
        }
    }

    /// The list again from its top, narrowed by what the search box holds now and the
    /// category chosen in the tree (with its subtree).
    fn refilter(&mut self, db: &mut Db) -> Effect {
        let categories = match self.tree.chosen() {
            Some((id, _)) => match categories::subtree_ids(db, id) {
                Ok(ids) => Some(ids),
                Err(e) => return Effect::Error(e.to_string()),
            },
            None => None,
        };
        let filter = &mut self.list.source_mut().filter;
        filter.search = self.search.text();
        filter.categories = categories;
        self.list.reset(db)
    }

    /// Runs an action on the focused tree; the list follows a newly chosen node.
    fn tree_action(&mut self, action: &str, db: &mut Db) -> Effect {
        let effect = self.tree.handle(action, db, &self.actor);
        self.after_tree(effect, db)
    }

    fn after_tree(&mut self, effect: Effect, db: &mut Db) -> Effect {
        if self.tree.take_changed() {
            if let Effect::Error(e) = self.refilter(db) {
                return Effect::Error(e);
            }
        }
        effect
    }

    /// The list, the tree's counts and the open page afresh from the store.
    fn reload(&mut self, db: &mut Db) -> Effect {
        if let Effect::Error(e) = self.tree.load(db) {
            return Effect::Error(e);
        }
        if let Some(detail) = &self.detail {
            match Detail::load(db, detail.contact.id) {
                Ok(fresh) => self.detail = Some(fresh),
                Err(e) => return Effect::Error(e.to_string()),
            }
        }
        self.list.reload_now(db)
    }

    fn open_form(&mut self, form: Form, purpose: Purpose) -> Effect {
        self.form = Some(OpenForm { form, purpose });
        Effect::Done
    }

    fn new_contact(&mut self, kind: ContactKind) -> Effect {
        let title = match kind {
            ContactKind::Person => t!("contacts.form.new-person"),
            ContactKind::Company => t!("contacts.form.new-company"),
        };
        self.open_form(form::build(kind, title), Purpose::New(kind))
    }

    fn edit(&mut self, db: &mut Db) -> Effect {
        let Some((id, _)) = self.current() else {
            return Effect::Message(t!("contacts.none-selected"));
        };
        match edit_form(db, id) {
            Ok((form, purpose)) => self.open_form(form, purpose),
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    /// Someone saved the contact being edited after its form was opened: the form keeps what
    /// was typed and is handed the contact as it is stored now, whose version the next save
    /// goes over.
    fn on_conflict(&mut self, db: &mut Db, open: &mut OpenForm, by: Option<&ChangedBy>) -> Effect {
        let Purpose::Edit { id, .. } = open.purpose else {
            return Effect::Ignored;
        };
        match edit_form(db, id) {
            Ok((theirs, purpose)) => {
                open.purpose = purpose;
                open.form.conflict(saved_meanwhile(by), Some(theirs));
                Effect::Done
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    fn link(&mut self, db: &mut Db) -> Effect {
        let Some((id, name)) = self.current() else {
            return Effect::Message(t!("contacts.none-selected"));
        };
        let kind = match contacts::get(db, id) {
            Ok(c) => ContactKind::parse(&c.fields.kind).unwrap_or_default(),
            Err(e) => return Effect::Error(e.to_string()),
        };
        let form = Form::new(t!("contacts.form.link", name = clean(&name)))
            .field("linked", t!("field.linked"), FieldKind::Lookup, true)
            .field("job-title", t!("field.job-title"), FieldKind::Text, false);
        self.open_form(form, Purpose::Link { id, kind, name })
    }

    fn file(&mut self, unfile: bool) -> Effect {
        let Some((id, name)) = self.current() else {
            return Effect::Message(t!("contacts.none-selected"));
        };
        let title = if unfile {
            t!("contacts.form.unfile", name = clean(&name))
        } else {
            t!("contacts.form.file", name = clean(&name))
        };
        let form =
            Form::new(title).field("category", t!("field.category"), FieldKind::Lookup, true);
        let purpose = if unfile {
            Purpose::Unfile { id, name }
        } else {
            Purpose::File { id, name }
        };
        self.open_form(form, purpose)
    }

    /// Asks where to export what the list shows now (its category and search).
    fn export(&mut self) -> Effect {
        let day = crate::store::now().date().format("%Y-%m-%d");
        let form = export::form(
            t!(
                "contacts.form.export",
                count = group_thousands(self.list.total())
            ),
            &format!("peygir-contacts-{day}.xlsx"),
        );
        self.open_form(form, Purpose::Export)
    }

    /// Writes the listed contacts to the file the form names, in the format of its extension.
    fn save_export(
        &mut self,
        db: &mut Db,
        values: &[(&'static str, FieldValue)],
    ) -> Result<String> {
        use crate::exchange::{self, ExportOptions};
        let (path, format) = export::target(Values(values))?;
        let filter = self.list.source().filter.clone();
        match exchange::export_contacts(
            db,
            &filter,
            format,
            &path,
            &ExportOptions::default(),
            &mut |_, _| {},
        ) {
            Ok(rows) => Ok(t!(
                "contacts.exported",
                count = group_thousands(i64::try_from(rows).unwrap_or(i64::MAX)),
                file = clean(&path.display().to_string())
            )),
            Err(e) => Err(export::refused(e.to_string())),
        }
    }

    /// Archives the current contact on the second press of the key; the first says what will
    /// happen. Any other action in between calls it off.
    fn archive(&mut self, db: &mut Db) -> Effect {
        let Some((id, name)) = self.current() else {
            return Effect::Message(t!("contacts.none-selected"));
        };
        if self.confirm_archive != Some(id) {
            self.confirm_archive = Some(id);
            return Effect::Message(t!("contacts.archive-confirm", name = clean(&name)));
        }
        self.confirm_archive = None;
        let result =
            contacts::get(db, id).and_then(|c| contacts::archive(db, &self.actor, id, c.version));
        match result {
            Ok(_) => {
                self.detail = None;
                if let Effect::Error(e) = self.list.reload_now(db) {
                    return Effect::Error(e);
                }
                Effect::Message(t!("contacts.archived", name = clean(&name)))
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    /// Candidates for a lookup field of the open form, as the form keeps them: the bare
    /// number of the id (a contact's, a category's or a list entry's, by the field) and a label.
    fn candidates(&mut self, db: &mut Db, field: &str, query: &str) -> Result<Vec<(i64, String)>> {
        let Some(open) = &self.form else {
            return Ok(Vec::new());
        };
        let matching = |paths: Vec<(CategoryId, String)>| -> Vec<(i64, String)> {
            let query = search_key(query);
            keyed(
                paths
                    .into_iter()
                    .filter(|(_, path)| search_key(path).contains(&query))
                    .take(20),
            )
        };
        match &open.purpose {
            Purpose::Link { id, kind, .. } => {
                let other = match kind {
                    ContactKind::Person => ContactKind::Company,
                    ContactKind::Company => ContactKind::Person,
                };
                Ok(keyed(
                    contacts::page(db, &ContactFilter::search(query), None, 60)?
                        .into_iter()
                        .filter(|r| r.id != *id && r.kind == other.as_str())
                        .take(20)
                        .map(|r| (r.id, r.display_name)),
                ))
            }
            Purpose::Unfile { id, .. } => Ok(matching(categories::of_contact(db, *id)?)),
            Purpose::Export => Ok(Vec::new()),
            Purpose::File { .. } => Ok(matching(categories::paths(db)?)),
            Purpose::New(_) | Purpose::Edit { .. } => match form::lookup_list(field) {
                Some(list) => form::candidates(db, list, query).map(keyed),
                None => Ok(Vec::new()),
            },
        }
    }

    /// Stores a contact from the form: warnings first (shown once beside their fields; the
    /// same save again goes through), then the store's checks.
    fn save_contact(
        &mut self,
        db: &mut Db,
        open: &mut OpenForm,
        values: &[(&'static str, FieldValue)],
    ) -> Result<Option<(String, ContactId)>> {
        let (kind, edit) = match open.purpose {
            Purpose::New(kind) => (kind, None),
            Purpose::Edit { id, version, kind } => (kind, Some((id, version))),
            _ => return Ok(None),
        };
        let fields = form::fields(kind, values);
        let warnings = warnings(db, &fields, edit.map(|(id, _)| id))?;
        if open.form.warn_once(warnings) {
            return Ok(None);
        }
        let contact = match edit {
            Some((id, version)) => contacts::update(db, &self.actor, id, version, fields)?,
            None => contacts::create(db, &self.actor, fields)?,
        };
        let name = clean(&contact.fields.display_name);
        let message = match edit {
            Some(_) => t!("contacts.saved", name = name),
            None => t!("contacts.added", name = name),
        };
        Ok(Some((message, contact.id)))
    }

    /// Links the current contact to the person or company chosen.
    fn save_link(
        &mut self,
        db: &mut Db,
        open: &OpenForm,
        values: &[(&'static str, FieldValue)],
    ) -> Result<String> {
        let Purpose::Link { id, kind, name } = &open.purpose else {
            return Ok(String::new());
        };
        let other = Values(values)
            .lookup::<ContactId>("linked")
            .unwrap_or_default();
        let job_title = Values(values).text("job-title");
        let (person, company) = match kind {
            ContactKind::Person => (*id, other),
            ContactKind::Company => (other, *id),
        };
        contacts::link(db, &self.actor, person, company, job_title)?;
        let other_name = contacts::get(db, other)?.fields.display_name;
        Ok(t!(
            "contacts.linked",
            name = clean(name),
            other = clean(&other_name)
        ))
    }

    /// Files the current contact under the chosen category, or takes it out.
    fn save_filing(
        &mut self,
        db: &mut Db,
        open: &OpenForm,
        values: &[(&'static str, FieldValue)],
    ) -> Result<String> {
        let (id, name, unfile) = match &open.purpose {
            Purpose::File { id, name } => (*id, name, false),
            Purpose::Unfile { id, name } => (*id, name, true),
            _ => return Ok(String::new()),
        };
        let chosen = Values(values)
            .lookup::<CategoryId>("category")
            .unwrap_or_default();
        let mut ids: Vec<CategoryId> = categories::of_contact(db, id)?
            .into_iter()
            .map(|(c, _)| c)
            .filter(|c| *c != chosen)
            .collect();
        if !unfile {
            ids.push(chosen);
        }
        categories::set_for_contact(db, &self.actor, id, &ids)?;
        let path = clean(&categories::path_of(db, chosen)?);
        Ok(if unfile {
            t!("contacts.unfiled", name = clean(name), category = path)
        } else {
            t!("contacts.filed", name = clean(name), category = path)
        })
    }

    /// Stores what the form holds. On a failure the form stays open with the reasons beside
    /// the fields: nothing typed is lost.
    fn save(&mut self, db: &mut Db, values: Vec<(&'static str, FieldValue)>) -> Effect {
        let Some(mut open) = self.form.take() else {
            return Effect::Ignored;
        };
        let result = match open.purpose {
            Purpose::New(_) | Purpose::Edit { .. } => {
                match self.save_contact(db, &mut open, &values) {
                    Ok(None) => {
                        // Warnings to read first: the form stays.
                        self.form = Some(open);
                        return Effect::Done;
                    }
                    Ok(Some((message, id))) => {
                        if self.detail.is_some() {
                            self.detail = Detail::load(db, id).ok();
                        }
                        Ok(message)
                    }
                    Err(e) => Err(e),
                }
            }
            Purpose::Link { .. } => self.save_link(db, &open, &values),
            Purpose::Export => self.save_export(db, &values),
            Purpose::File { .. } | Purpose::Unfile { .. } => self.save_filing(db, &open, &values),
        };
        match result {
            Ok(message) => match self.reload(db) {
                Effect::Error(e) => Effect::Error(e),
                _ => Effect::Message(message),
            },
            Err(Error::Invalid(errors)) => {
                open.form.show_errors(&errors);
                self.form = Some(open);
                Effect::Error(Error::Invalid(errors).to_string())
            }
            // Someone saved the contact meanwhile: the form stays open with what was typed,
            // and offers to save over it, compare, or take it.
            Err(Error::Conflict { by, .. }) if matches!(open.purpose, Purpose::Edit { .. }) => {
                let effect = self.on_conflict(db, &mut open, by.as_ref());
                self.form = Some(open);
                effect
            }
            Err(e) => {
                self.form = Some(open);
                Effect::Error(e.to_string())
            }
        }
    }
}

/// The form that edits contact `id` as it is stored, and what it is for (its version in it).
fn edit_form(db: &mut Db, id: ContactId) -> Result<(Form, Purpose)> {
    let detail = Detail::load(db, id)?;
    let contact = &detail.contact;
    let kind = ContactKind::parse(&contact.fields.kind).unwrap_or_default();
    let title = t!(
        "contacts.form.edit",
        name = clean(&contact.fields.display_name)
    );
    let form = form::filled(contact, title, &detail.names);
    let purpose = Purpose::Edit {
        id,
        version: contact.version,
        kind,
    };
    Ok((form, purpose))
}

/// Lookup candidates as the form keeps them, whatever rows they name: the bare number of each
/// id, with its label.
fn keyed<Id: Into<i64>>(rows: impl IntoIterator<Item = (Id, String)>) -> Vec<(i64, String)> {
    rows.into_iter()
        .map(|(id, label)| (id.into(), label))
        .collect()
}

/// What the store warns of for these fields (an unusual economic code, a mobile already on
/// file), after the same cleaning a save does.
fn warnings(
    db: &mut Db,
    fields: &ContactFields,
    except: Option<ContactId>,
) -> Result<Vec<FieldError>> {
    match fields.clone().prepare() {
        Ok(prepared) => contacts::warnings(db, &prepared, except),
        // The save itself reports what is wrong, field by field.
        Err(_) => Ok(Vec::new()),
    }
}

/// The status-bar hints of the list (the rest are in help).
const HINTS: &[&[&str]] = &[&["list-down", "list-up"], &["new"], &["search"]];
/// The status-bar hints while the category tree has the focus.
const TREE_HINTS: &[&[&str]] = &[&["tree-choose"], &["tree-add"], &["focus-list"]];

/// Where the tree and the list go in `area`: side by side when there is room, else the tree
/// alone while it has the focus and the list alone otherwise.
fn split(area: Rect, tree_focused: bool) -> (Option<Rect>, Rect) {
    if area.width >= TREE_BESIDE_FROM {
        let tree = (area.width / 4).clamp(18, 32);
        let [left, right] =
            Layout::horizontal([Constraint::Length(tree), Constraint::Fill(1)]).areas(area);
        (Some(left), right)
    } else if tree_focused {
        (Some(area), Rect { width: 0, ..area })
    } else {
        (None, area)
    }
}

impl Pane for Contacts {
    fn id(&self) -> PaneId {
        PaneId::Contacts
    }

    fn contexts(&self) -> &'static [Context] {
        if self.tree_focused && self.detail.is_none() {
            &[
                Context::Tree,
                Context::Pane(PaneId::Contacts),
                Context::List,
            ]
        } else {
            &[Context::Pane(PaneId::Contacts), Context::List]
        }
    }

    fn hints(&self) -> &'static [&'static [&'static str]] {
        if self.tree_focused && self.detail.is_none() {
            TREE_HINTS
        } else {
            HINTS
        }
    }

    fn show(&mut self, area: Rect, db: &mut Db) -> Effect {
        if let Some(detail) = &self.detail {
            self.detail = Detail::load(db, detail.contact.id).ok();
        }
        if let Effect::Error(e) = self.tree.load(db) {
            return Effect::Error(e);
        }
        let (_, list_area) = split(area, self.tree_focused);
        self.list.show(list_area, db)
    }

    fn handle(&mut self, action: &str, db: &mut Db) -> Effect {
        if action != "contact-archive" {
            self.confirm_archive = None;
        }
        if let Some(detail) = &mut self.detail {
            if let Some(effect) = detail.history_key(action, db) {
                return effect;
            }
            match super::page_key(&mut detail.scroll, action) {
                Some(PageKey::Scrolled) => return Effect::Done,
                Some(PageKey::Close) => {
                    self.detail = None;
                    return Effect::Done;
                }
                None => {}
            }
        }
        if self.tree_focused && self.detail.is_none() {
            match action {
                "focus-list" | "back" => {
                    self.tree_focused = false;
                    return Effect::Done;
                }
                "search" => {}
                _ => {
                    let effect = self.tree_action(action, db);
                    if effect != Effect::Ignored {
                        return effect;
                    }
                }
            }
        }
        match action {
            "focus-tree" if self.detail.is_none() => {
                self.tree_focused = true;
                Effect::Done
            }
            "focus-list" => Effect::Done,
            "open" => match self.list.selected().map(|r| r.id) {
                Some(id) => match Detail::load(db, id) {
                    Ok(detail) => {
                        self.detail = Some(detail);
                        Effect::Done
                    }
                    Err(e) => Effect::Error(e.to_string()),
                },
                None => Effect::Message(t!("contacts.none-selected")),
            },
            "new" => self.new_contact(ContactKind::Person),
            "contact-new-company" => self.new_contact(ContactKind::Company),
            "edit" => self.edit(db),
            "contact-link" => self.link(db),
            "contact-file" => self.file(false),
            "contact-unfile" => self.file(true),
            "contact-archive" => self.archive(db),
            "export" => self.export(),
            "search" if self.detail.is_none() => {
                self.tree_focused = false;
                self.search.open();
                Effect::Done
            }
            "back" if !self.search.text().is_empty() => {
                self.search.clear();
                self.refilter(db)
            }
            _ => self.list.handle(action, db),
        }
    }

    fn mode(&self) -> Mode {
        if self.tree.has_form() || self.form.is_some() {
            Mode::Form
        } else if self.detail.is_none() && self.search.is_open() {
            Mode::Search
        } else {
            Mode::Normal
        }
    }

    /// The open form: the category tree's, else the pane's own.
    fn active_form(&mut self) -> Option<&mut Form> {
        if self.tree.form().is_some() {
            return self.tree.form();
        }
        self.form.as_mut().map(|open| &mut open.form)
    }

    /// What the open form asked for: save, cancel, or candidates for a lookup.
    fn form_event(&mut self, event: FormEvent, db: &mut Db) -> Effect {
        if self.tree.form().is_some() {
            let effect = self.tree.form_event(event, db, &self.actor);
            return self.after_tree(effect, db);
        }
        match event {
            FormEvent::None | FormEvent::Chosen { .. } => Effect::Ignored,
            FormEvent::Cancel => {
                self.form = None;
                Effect::Done
            }
            FormEvent::Search { field, query } => {
                let found = self.candidates(db, field, &query);
                super::offer(self.form.as_mut().map(|open| &mut open.form), field, found)
            }
            FormEvent::Save(values) => self.save(db, values),
        }
    }

    fn search_box(&mut self) -> Option<&mut SearchBox> {
        Some(&mut self.search)
    }

    /// What the search box asked for: narrow the list, keep the search, or drop it.
    fn search_event(&mut self, event: SearchEvent, db: &mut Db) -> Effect {
        match event {
            SearchEvent::None | SearchEvent::Accept => Effect::Done,
            SearchEvent::Changed(_) | SearchEvent::Cancel => self.refilter(db),
            SearchEvent::Move(action) => self.list.handle(action, db),
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        match &self.detail {
            Some(detail) => detail.render(frame, area, theme),
            None => self.draw_list(frame, area, theme),
        }
        if let Some(form) = self.active_form() {
            form.render_over(frame, area);
        }
    }
}

impl Contacts {
    /// The category tree (when it shows) and the list with its search line.
    fn draw_list(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let (tree_area, area) = split(area, self.tree_focused);
        if let Some(tree_area) = tree_area {
            self.tree.render(frame, tree_area, theme, self.tree_focused);
        }
        if area.width == 0 {
            return;
        }
        let count = group_thousands(self.list.total());
        let view = View {
            title: match self.tree.chosen() {
                Some((_, path)) => t!("contacts.title-in", count = count, category = clean(&path)),
                None => t!("contacts.title", count = count),
            },
            above: Vec::new(),
            columns: columns(),
            empty: if self.list.source().filter == ContactFilter::default() {
                t!("contacts.empty")
            } else {
                t!("contacts.none-match")
            },
        };
        self.list.render(frame, area, view, theme);
        // The search line sits inside the frame, above the table.
        let [_, line, _] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(area);
        let line = Rect {
            x: line.x + 2,
            width: line.width.saturating_sub(4),
            ..line
        };
        let label = t!("contacts.search");
        if self.search.is_open() || !self.search.text().is_empty() {
            self.search.render(frame, line, &label, theme);
        } else {
            let hint = Line::from(vec![
                Span::styled(format!("{label}: "), theme.header()),
                Span::styled(t!("contacts.search-hint"), theme.note()),
            ]);
            frame.render_widget(hint, line);
        }
    }
}
