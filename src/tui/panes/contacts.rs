//! The contact list: a window onto the store's contacts in name order. Rows are fetched a chunk
//! at a time with keyset pagination, so the thousandth screen costs what the first does, and
//! memory holds about one screen of rows plus a margin on either side; moving past the window
//! fetches the next chunk and lets go of the far end.

use ratatui::Frame;
use ratatui::layout::{Constraint, Margin, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, HighlightSpacing, Paragraph, Row, Table, TableState, Wrap};

use super::{Effect, Pane, PaneId};
use crate::db::Db;
use crate::store::contacts::{self, ContactKind, ContactRow, PageKey};
use crate::t;
use crate::tui::action::Context;
use crate::tui::text::{cells, clean, fit, group_thousands};
use crate::tui::theme::Theme;

/// Rows assumed visible before the pane is first given an area.
const DEFAULT_VISIBLE: usize = 20;
/// The smallest chunk fetched at a time; a short screen still fetches a useful amount.
const MIN_CHUNK: usize = 8;
/// The widest the name column gets; on a wide screen the e-mail has the rest.
const NAME_MOST: usize = 40;
/// Marks the selected row where colour and reverse video may not show.
const SELECTED_MARK: &str = "> ";

pub struct Contacts {
    /// The window: consecutive contacts in list order.
    rows: Vec<ContactRow>,
    /// Where `rows[0]` stands in the whole list, counted from 0 (for the position shown).
    first: usize,
    /// The selected row, as an index into `rows`.
    selected: usize,
    /// The first row drawn, as an index into `rows`.
    offset: usize,
    /// Whether the window begins at the list's first contact.
    at_start: bool,
    /// Whether the window ends at the list's last contact.
    at_end: bool,
    /// How many contacts the list has.
    total: i64,
    /// How many rows the last given area shows.
    visible: usize,
    loaded: bool,
    /// How many windows were fetched from the store, for tests of the paging.
    fetches: usize,
}

impl Default for Contacts {
    fn default() -> Self {
        Contacts::new()
    }
}

impl Contacts {
    pub fn new() -> Contacts {
        Contacts {
            rows: Vec::new(),
            first: 0,
            selected: 0,
            offset: 0,
            at_start: true,
            at_end: true,
            total: 0,
            visible: DEFAULT_VISIBLE,
            loaded: false,
            fetches: 0,
        }
    }

    /// The rows fetched when the selection leaves the window.
    fn chunk(&self) -> usize {
        (self.visible / 2).max(MIN_CHUNK)
    }

    /// The rows `area` shows: the frame's two borders and the header take three lines.
    fn rows_in(area: Rect) -> usize {
        usize::from(area.height.saturating_sub(3)).max(1)
    }

    fn limit(n: usize) -> i64 {
        i64::try_from(n).unwrap_or(i64::MAX)
    }

    fn key(row: &ContactRow) -> PageKey {
        (row.display_name.clone(), row.id)
    }

    /// Fetches the list's first screen (and a chunk more).
    fn load_top(&mut self, db: &mut Db) -> crate::error::Result<()> {
        let limit = self.visible + self.chunk();
        let rows = contacts::page(db, None, Self::limit(limit))?;
        self.fetches += 1;
        self.total = contacts::count(db)?;
        self.at_start = true;
        self.at_end = rows.len() < limit;
        self.rows = rows;
        self.first = 0;
        self.selected = 0;
        self.offset = 0;
        self.loaded = true;
        Ok(())
    }

    /// Fetches the list's last screen (and a chunk before it) and selects the last contact.
    fn load_bottom(&mut self, db: &mut Db) -> crate::error::Result<()> {
        let limit = self.visible + self.chunk();
        let rows = query::last_page(db, Self::limit(limit))?;
        self.fetches += 1;
        self.total = contacts::count(db)?;
        self.at_start = rows.len() < limit;
        self.at_end = true;
        self.first = usize::try_from(self.total)
            .unwrap_or(0)
            .saturating_sub(rows.len());
        self.selected = rows.len().saturating_sub(1);
        self.offset = rows.len().saturating_sub(self.visible);
        self.rows = rows;
        self.loaded = true;
        Ok(())
    }

    /// Adds the chunk after the window; false when there was nothing more.
    fn fetch_after(&mut self, db: &mut Db) -> crate::error::Result<bool> {
        let Some(last) = self.rows.last() else {
            self.at_end = true;
            return Ok(false);
        };
        let chunk = self.chunk();
        let more = contacts::page(db, Some(&Self::key(last)), Self::limit(chunk))?;
        self.fetches += 1;
        self.at_end = more.len() < chunk;
        let got = more.len();
        self.rows.extend(more);
        Ok(got > 0)
    }

    /// Adds the chunk before the window; false when there was nothing more.
    fn fetch_before(&mut self, db: &mut Db) -> crate::error::Result<bool> {
        let Some(head) = self.rows.first() else {
            self.at_start = true;
            return Ok(false);
        };
        let chunk = self.chunk();
        let more = contacts::page_before(db, &Self::key(head), Self::limit(chunk))?;
        self.fetches += 1;
        self.at_start = more.len() < chunk;
        let got = more.len();
        self.rows.splice(0..0, more);
        self.selected += got;
        self.offset += got;
        self.first = self.first.saturating_sub(got);
        Ok(got > 0)
    }

    /// Moves the selection `delta` rows, fetching across the window's ends as needed.
    fn move_by(&mut self, delta: isize, db: &mut Db) -> crate::error::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut target = self.selected.saturating_add_signed(delta);
        while target >= self.rows.len() && !self.at_end {
            if !self.fetch_after(db)? {
                break;
            }
        }
        if delta < 0 {
            let mut short = delta.unsigned_abs().saturating_sub(self.selected);
            while short > 0 && !self.at_start {
                let before = self.rows.len();
                if !self.fetch_before(db)? {
                    break;
                }
                short = short.saturating_sub(self.rows.len() - before);
            }
            // `selected` moved with the rows put in front of it.
            target = self.selected.saturating_sub(delta.unsigned_abs());
        }
        self.selected = target.min(self.rows.len() - 1);
        self.scroll_to_selection();
        self.trim();
        Ok(())
    }

    fn top(&mut self, db: &mut Db) -> crate::error::Result<()> {
        if self.at_start {
            self.selected = 0;
            self.scroll_to_selection();
            self.trim();
            Ok(())
        } else {
            self.load_top(db)
        }
    }

    fn bottom(&mut self, db: &mut Db) -> crate::error::Result<()> {
        if self.at_end {
            self.selected = self.rows.len().saturating_sub(1);
            self.scroll_to_selection();
            self.trim();
            Ok(())
        } else {
            self.load_bottom(db)
        }
    }

    /// After the area changed: fetches what the taller view needs and keeps the selection in it.
    fn fill(&mut self, db: &mut Db) -> crate::error::Result<()> {
        while self.rows.len() < self.offset + self.visible && !self.at_end {
            if !self.fetch_after(db)? {
                break;
            }
        }
        self.scroll_to_selection();
        self.trim();
        Ok(())
    }

    /// Scrolls as little as needed to show the selected row, and never leaves the bottom of the
    /// view empty while rows above it are loaded.
    fn scroll_to_selection(&mut self) {
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + self.visible {
            self.offset = self.selected + 1 - self.visible;
        }
        self.offset = self
            .offset
            .min(self.rows.len().saturating_sub(self.visible));
    }

    /// Lets go of rows more than a chunk away from the view.
    fn trim(&mut self) {
        let chunk = self.chunk();
        let front = self.offset.saturating_sub(chunk);
        if front > 0 {
            self.rows.drain(..front);
            self.offset -= front;
            self.selected -= front;
            self.first += front;
            self.at_start = false;
        }
        let back = self
            .rows
            .len()
            .saturating_sub(self.offset + self.visible)
            .saturating_sub(chunk);
        if back > 0 {
            self.rows.truncate(self.rows.len() - back);
            self.at_end = false;
        }
    }

    fn outcome(result: crate::error::Result<()>) -> Effect {
        match result {
            Ok(()) => Effect::Done,
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    #[cfg(test)]
    pub(crate) fn selected_row(&self) -> Option<&ContactRow> {
        self.rows.get(self.selected)
    }
}

impl Pane for Contacts {
    fn id(&self) -> PaneId {
        PaneId::Contacts
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Contacts, Context::List]
    }

    fn hints(&self) -> &'static [&'static [&'static str]] {
        &[&["list-down", "list-up"], &["list-top", "list-bottom"]]
    }

    fn show(&mut self, area: Rect, db: &mut Db) -> Effect {
        self.visible = Self::rows_in(area);
        let result = if self.loaded {
            self.fill(db)
        } else {
            self.load_top(db)
        };
        Self::outcome(result)
    }

    fn handle(&mut self, action: &str, db: &mut Db) -> Effect {
        if !self.loaded {
            if let Err(e) = self.load_top(db) {
                return Effect::Error(e.to_string());
            }
        }
        let page = isize::try_from(self.visible).unwrap_or(isize::MAX);
        let result = match action {
            "list-down" => self.move_by(1, db),
            "list-up" => self.move_by(-1, db),
            "list-page-down" => self.move_by(page, db),
            "list-page-up" => self.move_by(-page, db),
            "list-half-down" => self.move_by((page / 2).max(1), db),
            "list-half-up" => self.move_by(-(page / 2).max(1), db),
            "list-top" => self.top(db),
            "list-bottom" => self.bottom(db),
            _ => return Effect::Ignored,
        };
        Self::outcome(result)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let title = t!("contacts.title", count = group_thousands(self.total));
        let mut block =
            Block::bordered().title(Line::styled(format!(" {title} "), theme.pane_title()));
        if !self.rows.is_empty() {
            let at = group_thousands(i64::try_from(self.first + self.selected + 1).unwrap_or(0));
            let position = t!(
                "list.position",
                at = at,
                total = group_thousands(self.total)
            );
            block = block.title_bottom(Line::from(format!(" {position} ")).right_aligned());
        }
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if self.loaded && self.rows.is_empty() {
            frame.render_widget(
                Paragraph::new(t!("contacts.empty"))
                    .style(theme.note())
                    .wrap(Wrap { trim: true }),
                inner.inner(Margin::new(1, 0)),
            );
            return;
        }

        let (columns, spacing) = columns(usize::from(inner.width));
        let header = Row::new(
            columns
                .iter()
                .map(|(column, width)| fit(&column.heading(), *width)),
        )
        .style(theme.header());
        let shown = usize::from(inner.height.saturating_sub(1));
        let end = (self.offset + shown).min(self.rows.len());
        let start = self.offset.min(end);
        let rows = self.rows[start..end].iter().map(|row| {
            Row::new(
                columns
                    .iter()
                    .map(|(column, width)| fit(&column.text(row), *width)),
            )
        });
        let widths = columns
            .iter()
            .map(|(_, width)| Constraint::Length(u16::try_from(*width).unwrap_or(u16::MAX)));
        let table = Table::new(rows, widths)
            .header(header)
            .column_spacing(u16::try_from(spacing).unwrap_or(1))
            .highlight_symbol(SELECTED_MARK)
            .highlight_spacing(HighlightSpacing::Always)
            .row_highlight_style(theme.selected());
        let mut state = TableState::default().with_selected(self.selected.checked_sub(start));
        frame.render_stateful_widget(table, inner, &mut state);
    }
}

/// A column of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    Kind,
    Mobile,
    Phone,
    Email,
}

impl Column {
    fn heading(self) -> String {
        match self {
            Column::Name => t!("contacts.col.name"),
            Column::Kind => t!("contacts.col.kind"),
            Column::Mobile => t!("contacts.col.mobile"),
            Column::Phone => t!("contacts.col.phone"),
            Column::Email => t!("contacts.col.email"),
        }
    }

    /// The row's value in this column, safe to draw.
    fn text(self, row: &ContactRow) -> String {
        let optional = |value: &Option<String>| value.as_deref().map(clean).unwrap_or_default();
        match self {
            Column::Name => clean(&row.display_name),
            Column::Kind => match ContactKind::parse(&row.kind) {
                Some(ContactKind::Person) => t!("contacts.kind.person"),
                Some(ContactKind::Company) => t!("contacts.kind.company"),
                None => clean(&row.kind),
            },
            Column::Mobile => optional(&row.mobile),
            Column::Phone => optional(&row.phone),
            Column::Email => optional(&row.email),
        }
    }
}

/// The columns that fit `width` cells and their widths, and the spacing between them. The name
/// and the e-mail share what the fixed columns leave; on a narrow screen the phone, then the
/// e-mail, give up their room to the name.
fn columns(width: usize) -> (Vec<(Column, usize)>, usize) {
    let spacing = if width >= 100 { 2 } else { 1 };
    let room = width.saturating_sub(cells(SELECTED_MARK));
    let widest = |column: Column, values: &[String], least: usize| {
        values
            .iter()
            .map(|v| cells(v))
            .chain([cells(&column.heading()), least])
            .max()
            .unwrap_or(least)
    };
    let kind = widest(
        Column::Kind,
        &[t!("contacts.kind.person"), t!("contacts.kind.company")],
        0,
    );
    let mobile = widest(Column::Mobile, &[], 11);
    let phone = widest(Column::Phone, &[], 12);
    let split = |rest: usize| {
        let name = (rest * 3 / 5).min(NAME_MOST);
        (name, rest - name)
    };

    let rest = room.saturating_sub(kind + mobile + phone + 4 * spacing);
    if rest >= 30 {
        let (name, email) = split(rest);
        return (
            vec![
                (Column::Name, name),
                (Column::Kind, kind),
                (Column::Mobile, mobile),
                (Column::Phone, phone),
                (Column::Email, email),
            ],
            spacing,
        );
    }
    let rest = room.saturating_sub(kind + mobile + 3 * spacing);
    if rest >= 24 {
        let (name, email) = split(rest);
        return (
            vec![
                (Column::Name, name),
                (Column::Kind, kind),
                (Column::Mobile, mobile),
                (Column::Email, email),
            ],
            spacing,
        );
    }
    let name = room.saturating_sub(kind + mobile + 2 * spacing);
    (
        vec![
            (Column::Name, name),
            (Column::Kind, kind),
            (Column::Mobile, mobile),
        ],
        spacing,
    )
}

/// A query the store does not offer yet. It belongs in `store::contacts` beside `page` and
/// `page_before` (same filter, same order), and moves there when the store takes it.
mod query {
    use diesel::prelude::*;

    use crate::db::Db;
    use crate::db::schema::contacts;
    use crate::store::contacts::ContactRow;

    /// The last `limit` contacts that are not archived, in name order.
    pub fn last_page(db: &mut Db, limit: i64) -> crate::error::Result<Vec<ContactRow>> {
        let mut rows: Vec<ContactRow> = contacts::table
            .filter(contacts::archived.eq(false))
            .select((
                contacts::id,
                contacts::kind,
                contacts::display_name,
                contacts::mobile,
                contacts::phone,
                contacts::email,
            ))
            .order((contacts::display_name.desc(), contacts::id.desc()))
            .limit(limit)
            .load(db)?;
        rows.reverse();
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::tui::testing::{self, Store, lines};

    /// A pane on `n` people, shown in an area with 10 rows: chunks of 8, a first fetch of 18, at
    /// most 26 rows held.
    fn pane_on(n: usize) -> (Store, Contacts) {
        let mut store = testing::store();
        store.add_people(n);
        let mut pane = Contacts::new();
        assert_eq!(
            pane.show(Rect::new(0, 0, 80, 13), &mut store.db),
            Effect::Done
        );
        assert_eq!(pane.visible, 10);
        (store, pane)
    }

    fn selected(pane: &Contacts) -> String {
        pane.selected_row()
            .map(|r| r.display_name.clone())
            .unwrap_or_default()
    }

    /// Where the selection stands in the whole list, from 0.
    fn position(pane: &Contacts) -> usize {
        pane.first + pane.selected
    }

    fn act(pane: &mut Contacts, store: &mut Store, action: &str, times: usize) {
        for _ in 0..times {
            assert_eq!(pane.handle(action, &mut store.db), Effect::Done);
            let most = pane.visible + 2 * pane.chunk();
            assert!(pane.rows.len() <= most, "window of {}", pane.rows.len());
        }
    }

    #[test]
    fn moving_past_the_window_fetches_the_next_chunk() {
        let (mut store, mut pane) = pane_on(60);
        assert_eq!((pane.fetches, pane.rows.len()), (1, 18));
        act(&mut pane, &mut store, "list-down", 17);
        assert_eq!(selected(&pane), "Person 017");
        assert_eq!(pane.fetches, 1, "still inside the first window");
        act(&mut pane, &mut store, "list-down", 1);
        assert_eq!(selected(&pane), "Person 018");
        assert_eq!(pane.fetches, 2, "crossing the window's end fetched");
        act(&mut pane, &mut store, "list-down", 100);
        assert_eq!(selected(&pane), "Person 059");
        assert_eq!(position(&pane), 59);
        assert!(pane.at_end && !pane.at_start);
        // And back up across the window's start.
        let fetches = pane.fetches;
        act(&mut pane, &mut store, "list-up", 30);
        assert_eq!(selected(&pane), "Person 029");
        assert_eq!(position(&pane), 29);
        assert!(
            pane.fetches > fetches,
            "crossing the window's start fetched"
        );
        act(&mut pane, &mut store, "list-up", 100);
        assert_eq!(selected(&pane), "Person 000");
        assert_eq!(position(&pane), 0);
        assert!(pane.at_start);
    }

    #[test]
    fn pages_move_a_screen_and_keep_the_window_small() {
        let (mut store, mut pane) = pane_on(60);
        act(&mut pane, &mut store, "list-page-down", 1);
        assert_eq!(selected(&pane), "Person 010");
        act(&mut pane, &mut store, "list-page-down", 3);
        assert_eq!(selected(&pane), "Person 040");
        act(&mut pane, &mut store, "list-page-down", 5);
        assert_eq!(selected(&pane), "Person 059");
        act(&mut pane, &mut store, "list-page-up", 1);
        assert_eq!(selected(&pane), "Person 049");
        act(&mut pane, &mut store, "list-half-up", 1);
        assert_eq!(selected(&pane), "Person 044");
        act(&mut pane, &mut store, "list-page-up", 4);
        assert_eq!(selected(&pane), "Person 004");
        assert_eq!(position(&pane), 4);
        act(&mut pane, &mut store, "list-page-up", 1);
        assert_eq!(selected(&pane), "Person 000");
        act(&mut pane, &mut store, "list-half-down", 1);
        assert_eq!(selected(&pane), "Person 005");
    }

    #[test]
    fn top_and_bottom_jump_without_walking_the_list() {
        let (mut store, mut pane) = pane_on(60);
        act(&mut pane, &mut store, "list-bottom", 1);
        assert_eq!(selected(&pane), "Person 059");
        assert_eq!(position(&pane), 59);
        assert_eq!(pane.fetches, 2, "one query for the last screen");
        act(&mut pane, &mut store, "list-up", 20);
        assert_eq!(selected(&pane), "Person 039");
        assert_eq!(position(&pane), 39);
        act(&mut pane, &mut store, "list-top", 1);
        assert_eq!(selected(&pane), "Person 000");
        assert!(pane.at_start);
        // Inside one window, top and bottom need no query.
        let (mut store, mut pane) = pane_on(5);
        act(&mut pane, &mut store, "list-bottom", 1);
        act(&mut pane, &mut store, "list-top", 1);
        assert_eq!(pane.fetches, 1);
        assert_eq!(selected(&pane), "Person 000");
    }

    #[test]
    fn a_taller_area_fetches_what_fills_it() {
        let (mut store, mut pane) = pane_on(60);
        act(&mut pane, &mut store, "list-down", 5);
        assert_eq!(
            pane.show(Rect::new(0, 0, 80, 43), &mut store.db),
            Effect::Done
        );
        assert_eq!(pane.visible, 40);
        assert!(pane.rows.len() >= 40, "{}", pane.rows.len());
        assert_eq!(selected(&pane), "Person 005");
        // Smaller again: the selection stays in sight.
        act(&mut pane, &mut store, "list-down", 30);
        pane.show(Rect::new(0, 0, 80, 13), &mut store.db);
        assert!(pane.offset <= pane.selected && pane.selected < pane.offset + pane.visible);
        assert_eq!(selected(&pane), "Person 035");
    }

    #[test]
    fn drawn_values_carry_no_control_characters() {
        let row = ContactRow {
            id: 1,
            kind: "per\x1b[2Json".into(),
            display_name: "Evil\x1b]0;owned\x07 Name\u{202e}eman".into(),
            mobile: Some("0912\r\n".into()),
            phone: None,
            email: Some("a@b\x1b[31m.c".into()),
        };
        for column in [
            Column::Name,
            Column::Kind,
            Column::Mobile,
            Column::Phone,
            Column::Email,
        ] {
            let text = column.text(&row);
            assert!(
                !text.chars().any(|c| c.is_control() || c == '\u{202e}'),
                "{column:?}: {text:?}"
            );
        }
        assert_eq!(Column::Name.text(&row), "Evil]0;owned Nameeman");
    }

    #[test]
    fn the_columns_fit_every_width() {
        for width in 20..=300 {
            let (columns, spacing) = columns(width);
            let used: usize = columns.iter().map(|(_, w)| w).sum::<usize>()
                + spacing * (columns.len() - 1)
                + cells(SELECTED_MARK);
            assert!(used <= width.max(40), "{width}: {columns:?}");
            assert_eq!(columns[0].0, Column::Name);
        }
        let (wide, _) = columns(118);
        assert_eq!(wide.len(), 5);
        let (narrow, _) = columns(58);
        assert!(narrow.iter().all(|(c, _)| *c != Column::Phone));
    }

    #[test]
    fn the_selected_row_is_marked_and_the_window_scrolls() {
        let (mut store, mut pane) = pane_on(60);
        act(&mut pane, &mut store, "list-down", 12);
        let mut terminal = Terminal::new(TestBackend::new(80, 13)).expect("test terminal");
        terminal
            .draw(|frame| pane.draw(frame, frame.area(), &Theme::plain()))
            .expect("drawn");
        let rows = lines(terminal.backend().buffer());
        assert!(rows[0].contains("Contacts (60)"), "{}", rows[0]);
        assert!(
            rows[1].contains("Name") && rows[1].contains("Mobile"),
            "{}",
            rows[1]
        );
        assert!(rows[2].starts_with("│  Person 003"), "{}", rows[2]);
        assert!(rows[11].starts_with("│> Person 012"), "{}", rows[11]);
        assert!(rows[12].contains("13 of 60"), "{}", rows[12]);
    }
}
