//! A list that is a window onto the store, shared by every pane that lists rows. Rows are fetched
//! a chunk at a time with keyset pagination, so the thousandth screen costs what the first does,
//! and memory holds about one screen of rows plus a margin on either side; moving past the window
//! fetches the next chunk and lets go of the far end. The top and the bottom are one query each,
//! never a walk.
//!
//! A pane says where its rows come from (a [`Source`]) and which columns it shows (a [`View`]);
//! the window does the paging, the selection, the column widths and the drawing.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, HighlightSpacing, Paragraph, Row, Table, TableState, Wrap};

use crate::db::Db;
use crate::error::Result;
use crate::store::audit;
use crate::t;
use crate::tui::bidi;
use crate::tui::panes::Effect;
use crate::tui::text::{cells, clean, fit, group_thousands};
use crate::tui::theme::Theme;

/// Rows assumed visible before the list is first given an area.
const DEFAULT_VISIBLE: usize = 20;
/// The smallest chunk fetched at a time; a short screen still fetches a useful amount.
const MIN_CHUNK: usize = 8;
/// Marks the selected row where colour and reverse video may not show.
pub const SELECTED_MARK: &str = "> ";

/// Where a list's rows come from: pages in one fixed order, each starting after (or ending
/// before) the key of a row.
pub trait Source {
    type Row;
    type Key: Clone + PartialEq;

    /// Up to `limit` rows after `after` (from the first row when `None`), in list order.
    fn page(&self, db: &mut Db, after: Option<&Self::Key>, limit: i64) -> Result<Vec<Self::Row>>;
    /// Up to `limit` rows just before `before`, in list order.
    fn page_before(&self, db: &mut Db, before: &Self::Key, limit: i64) -> Result<Vec<Self::Row>>;
    /// The last `limit` rows, in list order.
    fn last_page(&self, db: &mut Db, limit: i64) -> Result<Vec<Self::Row>>;
    /// How many rows the whole list has.
    fn count(&self, db: &mut Db) -> Result<i64>;
    /// Where `row` stands in the order.
    fn key(row: &Self::Row) -> Self::Key;
}

/// The actions a list answers.
const ACTIONS: &[&str] = &[
    "list-down",
    "list-up",
    "list-page-down",
    "list-page-up",
    "list-half-down",
    "list-half-up",
    "list-top",
    "list-bottom",
];

pub struct ListWindow<S: Source> {
    source: S,
    /// The window: consecutive rows in list order.
    rows: Vec<S::Row>,
    /// Where `rows[0]` stands in the whole list, counted from 0 (for the position shown).
    first: usize,
    /// The selected row, as an index into `rows`.
    selected: usize,
    /// The first row drawn, as an index into `rows`.
    offset: usize,
    /// Whether the window begins at the list's first row.
    at_start: bool,
    /// Whether the window ends at the list's last row.
    at_end: bool,
    /// How many rows the whole list has.
    total: i64,
    /// How many rows the last given area shows.
    visible: usize,
    loaded: bool,
    /// Lines the pane draws above the table, inside the frame.
    above: u16,
    /// How many times rows were fetched from the store, for tests of the paging.
    fetches: usize,
    /// Where the store stood when the window was last read whole.
    read_at: audit::Mark,
}

impl<S: Source> ListWindow<S> {
    pub fn new(source: S) -> ListWindow<S> {
        ListWindow {
            source,
            rows: Vec::new(),
            first: 0,
            selected: 0,
            offset: 0,
            at_start: true,
            at_end: true,
            total: 0,
            visible: DEFAULT_VISIBLE,
            loaded: false,
            above: 0,
            fetches: 0,
            read_at: audit::Mark::default(),
        }
    }

    /// Keeps `lines` lines inside the frame, above the table, for the pane to draw in (a
    /// summary line).
    pub fn lines_above(mut self, lines: u16) -> ListWindow<S> {
        self.above = lines;
        self
    }

    pub fn source(&self) -> &S {
        &self.source
    }

    /// The source, to change what it lets through; `reset` then shows the change.
    pub fn source_mut(&mut self) -> &mut S {
        &mut self.source
    }

    /// The list from its top again (after its source changed what it lets through).
    pub fn reset(&mut self, db: &mut Db) -> Effect {
        outcome(self.load_top(db))
    }

    /// The rows around the selected one afresh (after a change in the store).
    pub fn reload_now(&mut self, db: &mut Db) -> Effect {
        let result = if self.loaded {
            self.reload(db)
        } else {
            self.load_top(db)
        };
        outcome(result)
    }

    /// Selects the first row of the window that `wanted` picks (a row just saved), keeping it
    /// in view; `false` when the window holds none.
    pub fn select_where(&mut self, wanted: impl Fn(&S::Row) -> bool) -> bool {
        let Some(i) = self.rows.iter().position(wanted) else {
            return false;
        };
        self.selected = i;
        if i < self.offset {
            self.offset = i;
        } else if i >= self.offset + self.visible {
            self.offset = i + 1 - self.visible;
        }
        true
    }

    /// The selected row, if the list has any.
    pub fn selected(&self) -> Option<&S::Row> {
        self.rows.get(self.selected)
    }

    /// How many rows the whole list has, as last counted.
    pub fn total(&self) -> i64 {
        self.total
    }

    /// The rows `area` shows: the frame's two borders, the lines above and the header take the
    /// rest.
    fn rows_in(&self, area: Rect) -> usize {
        usize::from(area.height.saturating_sub(3 + self.above)).max(1)
    }

    /// The rows fetched when the selection leaves the window.
    fn chunk(&self) -> usize {
        (self.visible / 2).max(MIN_CHUNK)
    }

    fn limit(n: usize) -> i64 {
        i64::try_from(n).unwrap_or(i64::MAX)
    }

    /// The list is shown in `area` (first showing, focus again, resize or refresh): fetches the
    /// rows around the selected one afresh, so what changed in the store shows, and enough of
    /// them to fill the area.
    /// Shown again in the same area with nothing changed in the store since (one index read to
    /// know), the rows already read stay: switching back to a pane of a big list costs no
    /// count of it.
    pub fn show(&mut self, area: Rect, db: &mut Db) -> Effect {
        let visible = self.rows_in(area);
        if self.loaded && visible == self.visible && self.read_at.holds(db) {
            return Effect::Done;
        }
        self.visible = visible;
        let result = if self.loaded {
            self.reload(db)
        } else {
            self.load_top(db)
        };
        outcome(result)
    }

    /// Runs a list action; `Effect::Ignored` for any other.
    pub fn handle(&mut self, action: &str, db: &mut Db) -> Effect {
        if !ACTIONS.contains(&action) {
            return Effect::Ignored;
        }
        if !self.loaded
            && let Err(e) = self.load_top(db)
        {
            return Effect::Error(e.to_string());
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
            _ => self.bottom(db),
        };
        outcome(result)
    }

    /// Notes where the store stands before the window is read whole.
    fn reading(&mut self, db: &mut Db) {
        self.read_at = audit::Mark::now(db);
    }

    /// How many rows the whole list has: `whole` when the rows just read are all of it (a short
    /// list, or a search that found few), else counted by the store.
    fn count(&self, db: &mut Db, whole: Option<usize>) -> Result<i64> {
        match whole {
            Some(rows) => Ok(i64::try_from(rows).unwrap_or(i64::MAX)),
            None => self.source.count(db),
        }
    }

    /// Fetches the list's first screen (and a chunk more).
    fn load_top(&mut self, db: &mut Db) -> Result<()> {
        self.reading(db);
        let limit = self.visible + self.chunk();
        let rows = self.source.page(db, None, Self::limit(limit))?;
        self.fetches += 1;
        self.total = self.count(db, (rows.len() < limit).then_some(rows.len()))?;
        self.at_start = true;
        self.at_end = rows.len() < limit;
        self.rows = rows;
        self.first = 0;
        self.selected = 0;
        self.offset = 0;
        self.loaded = true;
        Ok(())
    }

    /// Fetches the list's last screen (and a chunk before it) and selects the last row.
    fn load_bottom(&mut self, db: &mut Db) -> Result<()> {
        self.reading(db);
        let limit = self.visible + self.chunk();
        let rows = self.source.last_page(db, Self::limit(limit))?;
        self.fetches += 1;
        self.total = self.count(db, (rows.len() < limit).then_some(rows.len()))?;
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

    /// Fetches the rows around the selected one again: the screenful above it stays above it,
    /// and a row that is gone gives its place to the next.
    fn reload(&mut self, db: &mut Db) -> Result<()> {
        let Some(anchor) = self.selected().map(S::key) else {
            return self.load_top(db);
        };
        self.reading(db);
        let above =
            (self.selected - self.offset.min(self.selected)).min(self.visible.saturating_sub(1));
        let before_limit = above + self.chunk();
        let before = self
            .source
            .page_before(db, &anchor, Self::limit(before_limit))?;
        let after = before.last().map(S::key);
        let after_limit = self.visible + self.chunk();
        let from = self
            .source
            .page(db, after.as_ref(), Self::limit(after_limit))?;
        let whole = (before.len() < before_limit && from.len() < after_limit)
            .then_some(before.len() + from.len());
        let total = self.count(db, whole)?;
        self.fetches += 1;
        let position = self.first + self.selected;
        self.at_start = before.len() < before_limit;
        self.at_end = from.len() < after_limit;
        self.selected = before.len();
        self.rows = before;
        self.rows.extend(from);
        self.total = total;
        if self.rows.is_empty() {
            self.selected = 0;
            self.offset = 0;
            self.first = 0;
            return Ok(());
        }
        self.selected = self.selected.min(self.rows.len() - 1);
        // Where the window stands is known for sure only at the start; elsewhere it is where
        // it was, unless rows above it went away.
        let most = usize::try_from(total)
            .unwrap_or(0)
            .saturating_sub(self.rows.len());
        self.first = if self.at_start {
            0
        } else {
            position.saturating_sub(self.selected).min(most)
        };
        self.offset = self.selected.saturating_sub(above);
        self.fill(db)
    }

    /// Adds the chunk after the window; false when there was nothing more.
    fn fetch_after(&mut self, db: &mut Db) -> Result<bool> {
        let Some(last) = self.rows.last().map(S::key) else {
            self.at_end = true;
            return Ok(false);
        };
        let chunk = self.chunk();
        let more = self.source.page(db, Some(&last), Self::limit(chunk))?;
        self.fetches += 1;
        self.at_end = more.len() < chunk;
        let got = more.len();
        self.rows.extend(more);
        Ok(got > 0)
    }

    /// Adds the chunk before the window; false when there was nothing more.
    fn fetch_before(&mut self, db: &mut Db) -> Result<bool> {
        let Some(head) = self.rows.first().map(S::key) else {
            self.at_start = true;
            return Ok(false);
        };
        let chunk = self.chunk();
        let more = self.source.page_before(db, &head, Self::limit(chunk))?;
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
    fn move_by(&mut self, delta: isize, db: &mut Db) -> Result<()> {
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

    fn top(&mut self, db: &mut Db) -> Result<()> {
        if self.at_start {
            self.selected = 0;
            self.scroll_to_selection();
            self.trim();
            Ok(())
        } else {
            self.load_top(db)
        }
    }

    fn bottom(&mut self, db: &mut Db) -> Result<()> {
        if self.at_end {
            self.selected = self.rows.len().saturating_sub(1);
            self.scroll_to_selection();
            self.trim();
            Ok(())
        } else {
            self.load_bottom(db)
        }
    }

    /// Fetches what the view needs below the window and keeps the selection in it.
    fn fill(&mut self, db: &mut Db) -> Result<()> {
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

    /// Draws the list into `area`: a frame titled `view.title` with the position at its bottom,
    /// `view.above` under the top border, then the columns that fit, or `view.empty` when the
    /// list has no rows. Every cell is made safe to draw and cut to its column.
    pub fn render(&self, frame: &mut Frame, area: Rect, view: View<'_, S::Row>, theme: &Theme) {
        let mut block = Block::bordered().title(Line::styled(
            format!(" {} ", view.title),
            theme.pane_title(),
        ));
        if !self.rows.is_empty() {
            let at = i64::try_from(self.first + self.selected + 1).unwrap_or(0);
            let position = t!(
                "list.position",
                at = group_thousands(at),
                total = group_thousands(self.total)
            );
            block = block.title_bottom(Line::from(format!(" {position} ")).right_aligned());
        }
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [above, table_area] =
            Layout::vertical([Constraint::Length(self.above), Constraint::Fill(1)]).areas(inner);
        if !view.above.is_empty() {
            frame.render_widget(Paragraph::new(view.above), above);
        }
        if self.loaded && self.rows.is_empty() {
            frame.render_widget(
                Paragraph::new(view.empty)
                    .style(theme.note())
                    .wrap(Wrap { trim: true }),
                table_area.inner(Margin::new(1, 0)),
            );
            return;
        }

        let (layout, spacing) = layout(&view.columns, usize::from(table_area.width));
        let shown: Vec<(&Column<'_, S::Row>, usize)> = layout
            .iter()
            .filter_map(|&(i, width)| view.columns.get(i).map(|c| (c, width)))
            .collect();
        let header = Row::new(
            shown
                .iter()
                .map(|(column, width)| column.align(fit(&column.heading, *width), *width)),
        )
        .style(theme.header());
        let lines = usize::from(table_area.height.saturating_sub(1));
        let end = (self.offset + lines).min(self.rows.len());
        let start = self.offset.min(end);
        let rows = self.rows[start..end].iter().map(|row| {
            Row::new(shown.iter().map(|(column, width)| {
                column.align(fit(&clean(&(column.cell)(row)), *width), *width)
            }))
        });
        let widths = shown
            .iter()
            .map(|(_, width)| Constraint::Length(u16::try_from(*width).unwrap_or(u16::MAX)));
        let table = Table::new(rows, widths)
            .header(header)
            .column_spacing(u16::try_from(spacing).unwrap_or(1))
            .highlight_symbol(SELECTED_MARK)
            .highlight_spacing(HighlightSpacing::Always)
            .row_highlight_style(theme.selected());
        let mut state = TableState::default().with_selected(self.selected.checked_sub(start));
        frame.render_stateful_widget(table, table_area, &mut state);
        // Each column is a stretch of its own, however close the next one comes, so that when
        // the screen is turned right to left the columns turn with it and never run together.
        let mut x = table_area.x + u16::try_from(cells(SELECTED_MARK)).unwrap_or(0);
        let mut starts = Vec::with_capacity(shown.len());
        for (_, width) in &shown {
            starts.push(x);
            x = x.saturating_add(u16::try_from(width + spacing).unwrap_or(u16::MAX));
        }
        let drawn = u16::try_from(end - start)
            .unwrap_or(u16::MAX)
            .saturating_add(1);
        for y in table_area.y..table_area.y.saturating_add(drawn).min(table_area.bottom()) {
            for &x in &starts {
                bidi::cut(x, y);
            }
        }
    }
}

fn outcome(result: Result<()>) -> Effect {
    match result {
        Ok(()) => Effect::Done,
        Err(e) => Effect::Error(e.to_string()),
    }
}

/// What a pane shows of its list.
pub struct View<'a, R> {
    /// The frame's title.
    pub title: String,
    /// The lines under the top border (as many as `lines_above` kept).
    pub above: Vec<Line<'a>>,
    pub columns: Vec<Column<'a, R>>,
    /// What the frame says when the list has no rows.
    pub empty: String,
}

/// How wide a column is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// This many cells, or the heading's width if that is more.
    Fixed(usize),
    /// A share, by `weight`, of what the fixed columns leave: at least `min` cells (else a
    /// column that may drop gives up its place) and at most `max`.
    Share {
        weight: usize,
        min: usize,
        max: usize,
    },
}

impl Width {
    /// A share with no upper bound.
    pub const fn share(weight: usize, min: usize) -> Width {
        Width::Share {
            weight,
            min,
            max: usize::MAX,
        }
    }
}

/// One column of a list: its heading, its width, and the text of a row's cell.
pub struct Column<'a, R> {
    heading: String,
    width: Width,
    right: bool,
    drop: u8,
    cell: Box<dyn Fn(&R) -> String + 'a>,
}

impl<'a, R> Column<'a, R> {
    pub fn new(heading: String, width: Width, cell: impl Fn(&R) -> String + 'a) -> Column<'a, R> {
        Column {
            heading,
            width,
            right: false,
            drop: 0,
            cell: Box::new(cell),
        }
    }

    /// Aligns the column's text to the right (numbers and amounts).
    pub fn right(mut self) -> Column<'a, R> {
        self.right = true;
        self
    }

    /// Lets the column give up its place when the screen is too narrow; the highest `rank` goes
    /// first.
    pub fn drops(mut self, rank: u8) -> Column<'a, R> {
        self.drop = rank;
        self
    }

    fn fixed(&self) -> Option<usize> {
        match self.width {
            Width::Fixed(n) => Some(n.max(cells(&self.heading))),
            Width::Share { .. } => None,
        }
    }

    fn least(&self) -> usize {
        match self.width {
            Width::Fixed(_) => 0,
            Width::Share { min, .. } => min,
        }
    }

    /// `text` (already fit to `width`) placed in the column.
    fn align(&self, text: String, width: usize) -> String {
        if self.right {
            format!("{}{text}", " ".repeat(width.saturating_sub(cells(&text))))
        } else {
            text
        }
    }
}

/// The columns that fit `width` cells, as (index, width), and the spacing between them. Columns
/// that may drop give up their place, highest rank first, until the shared columns have their
/// least; the shares then split what is left by weight, up to their most.
pub fn layout<R>(columns: &[Column<'_, R>], width: usize) -> (Vec<(usize, usize)>, usize) {
    let spacing = if width >= 100 { 2 } else { 1 };
    let room = width.saturating_sub(cells(SELECTED_MARK));
    let mut kept: Vec<usize> = (0..columns.len()).collect();
    let rest = |kept: &[usize]| {
        let fixed: usize = kept.iter().filter_map(|&i| columns[i].fixed()).sum();
        room.saturating_sub(fixed + spacing * kept.len().saturating_sub(1))
    };
    loop {
        let least: usize = kept.iter().map(|&i| columns[i].least()).sum();
        if rest(&kept) >= least {
            break;
        }
        let dropped = kept
            .iter()
            .enumerate()
            .filter(|(_, i)| columns[**i].drop > 0)
            .max_by_key(|(place, i)| (columns[**i].drop, *place))
            .map(|(place, _)| place);
        match dropped {
            Some(place) => {
                kept.remove(place);
            }
            None => break,
        }
    }
    let shares: Vec<(usize, usize, usize)> = kept
        .iter()
        .filter_map(|&i| match columns[i].width {
            Width::Share { weight, min, max } => Some((weight.max(1), min, max.max(min))),
            Width::Fixed(_) => None,
        })
        .collect();
    let mut shared = split(rest(&kept), &shares).into_iter();
    let widths = kept
        .iter()
        .map(|&i| {
            let width = columns[i]
                .fixed()
                .unwrap_or_else(|| shared.next().unwrap_or(0));
            (i, width)
        })
        .collect();
    (widths, spacing)
}

/// Splits `room` cells between shares of (weight, min, max): each gets its least, then the rest
/// by weight up to each one's most. When even the least do not fit, each gets its part by weight.
fn split(room: usize, shares: &[(usize, usize, usize)]) -> Vec<usize> {
    let weights: usize = shares.iter().map(|s| s.0).sum::<usize>().max(1);
    let least: usize = shares.iter().map(|s| s.1).sum();
    if room < least {
        return shares.iter().map(|s| room * s.0 / weights).collect();
    }
    let mut widths: Vec<usize> = shares.iter().map(|s| s.1).collect();
    let mut left = room - least;
    while left > 0 {
        let open: Vec<usize> = (0..shares.len())
            .filter(|&i| widths[i] < shares[i].2)
            .collect();
        if open.is_empty() {
            break;
        }
        let weights: usize = open.iter().map(|&i| shares[i].0).sum();
        let mut given = 0;
        for &i in &open {
            let add = (left * shares[i].0 / weights).min(shares[i].2 - widths[i]);
            widths[i] += add;
            given += add;
        }
        if given == 0 {
            // What rounding left over goes to the heaviest open share, a cell at a time.
            if let Some(&i) = open.iter().max_by_key(|&&i| (shares[i].0, usize::MAX - i)) {
                widths[i] += 1;
                given = 1;
            }
        }
        left -= given;
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::testing;

    /// The numbers `0..n` as a list, with the store's handle taken but not used.
    struct Numbers(usize);

    impl Source for Numbers {
        type Row = usize;
        type Key = usize;

        fn page(&self, _db: &mut Db, after: Option<&usize>, limit: i64) -> Result<Vec<usize>> {
            let from = after.map_or(0, |a| a + 1);
            let limit = usize::try_from(limit).unwrap_or(0);
            Ok((from..self.0).take(limit).collect())
        }

        fn page_before(&self, _db: &mut Db, before: &usize, limit: i64) -> Result<Vec<usize>> {
            let limit = usize::try_from(limit).unwrap_or(0);
            let end = (*before).min(self.0);
            Ok((end.saturating_sub(limit)..end).collect())
        }

        fn last_page(&self, _db: &mut Db, limit: i64) -> Result<Vec<usize>> {
            let limit = usize::try_from(limit).unwrap_or(0);
            Ok((self.0.saturating_sub(limit)..self.0).collect())
        }

        fn count(&self, _db: &mut Db) -> Result<i64> {
            Ok(i64::try_from(self.0).unwrap_or(0))
        }

        fn key(row: &usize) -> usize {
            *row
        }
    }

    /// A list of `n` rows shown in an area with 10 rows: chunks of 8, a first fetch of 18, at
    /// most 26 rows held.
    fn list_of(n: usize) -> (testing::Store, ListWindow<Numbers>) {
        let mut store = testing::store();
        let mut list = ListWindow::new(Numbers(n));
        assert_eq!(
            list.show(Rect::new(0, 0, 80, 13), &mut store.db),
            Effect::Done
        );
        assert_eq!(list.visible, 10);
        (store, list)
    }

    fn selected(list: &ListWindow<Numbers>) -> usize {
        list.selected().copied().unwrap_or(usize::MAX)
    }

    /// Where the selection stands in the whole list, from 0.
    fn position(list: &ListWindow<Numbers>) -> usize {
        list.first + list.selected
    }

    fn act(list: &mut ListWindow<Numbers>, store: &mut testing::Store, action: &str, times: usize) {
        for _ in 0..times {
            assert_eq!(list.handle(action, &mut store.db), Effect::Done);
            let most = list.visible + 2 * list.chunk();
            assert!(list.rows.len() <= most, "window of {}", list.rows.len());
            assert_eq!(position(list), selected(list), "the position is the row's");
        }
    }

    #[test]
    fn moving_past_the_window_fetches_the_next_chunk() {
        let (mut store, mut list) = list_of(60);
        assert_eq!((list.fetches, list.rows.len()), (1, 18));
        act(&mut list, &mut store, "list-down", 17);
        assert_eq!(selected(&list), 17);
        assert_eq!(list.fetches, 1, "still inside the first window");
        act(&mut list, &mut store, "list-down", 1);
        assert_eq!(selected(&list), 18);
        assert_eq!(list.fetches, 2, "crossing the window's end fetched");
        act(&mut list, &mut store, "list-down", 100);
        assert_eq!(selected(&list), 59);
        assert!(list.at_end && !list.at_start);
        // And back up across the window's start.
        let fetches = list.fetches;
        act(&mut list, &mut store, "list-up", 30);
        assert_eq!(selected(&list), 29);
        assert!(
            list.fetches > fetches,
            "crossing the window's start fetched"
        );
        act(&mut list, &mut store, "list-up", 100);
        assert_eq!(selected(&list), 0);
        assert!(list.at_start);
    }

    #[test]
    fn pages_move_a_screen_and_keep_the_window_small() {
        let (mut store, mut list) = list_of(60);
        act(&mut list, &mut store, "list-page-down", 1);
        assert_eq!(selected(&list), 10);
        act(&mut list, &mut store, "list-page-down", 3);
        assert_eq!(selected(&list), 40);
        act(&mut list, &mut store, "list-page-down", 5);
        assert_eq!(selected(&list), 59);
        act(&mut list, &mut store, "list-page-up", 1);
        assert_eq!(selected(&list), 49);
        act(&mut list, &mut store, "list-half-up", 1);
        assert_eq!(selected(&list), 44);
        act(&mut list, &mut store, "list-page-up", 4);
        assert_eq!(selected(&list), 4);
        act(&mut list, &mut store, "list-page-up", 1);
        assert_eq!(selected(&list), 0);
        act(&mut list, &mut store, "list-half-down", 1);
        assert_eq!(selected(&list), 5);
    }

    #[test]
    fn top_and_bottom_jump_without_walking_the_list() {
        let (mut store, mut list) = list_of(60);
        act(&mut list, &mut store, "list-bottom", 1);
        assert_eq!(selected(&list), 59);
        assert_eq!(list.fetches, 2, "one query for the last screen");
        act(&mut list, &mut store, "list-up", 20);
        assert_eq!(selected(&list), 39);
        act(&mut list, &mut store, "list-top", 1);
        assert_eq!(selected(&list), 0);
        assert!(list.at_start);
        // A long list: still one query each way.
        let (mut store, mut list) = list_of(1_000_000);
        act(&mut list, &mut store, "list-bottom", 1);
        assert_eq!(selected(&list), 999_999);
        act(&mut list, &mut store, "list-top", 1);
        assert_eq!(selected(&list), 0);
        assert_eq!(list.fetches, 3);
        // Inside one window, top and bottom need no query.
        let (mut store, mut list) = list_of(5);
        act(&mut list, &mut store, "list-bottom", 1);
        act(&mut list, &mut store, "list-top", 1);
        assert_eq!(list.fetches, 1);
        assert_eq!(selected(&list), 0);
    }

    #[test]
    fn a_taller_area_fetches_what_fills_it() {
        let (mut store, mut list) = list_of(60);
        act(&mut list, &mut store, "list-down", 5);
        assert_eq!(
            list.show(Rect::new(0, 0, 80, 43), &mut store.db),
            Effect::Done
        );
        assert_eq!(list.visible, 40);
        assert!(list.rows.len() >= 40, "{}", list.rows.len());
        assert_eq!(selected(&list), 5);
        assert_eq!(list.offset, 0, "the rows above the selection stay in view");
        // Smaller again: the selection stays in sight.
        act(&mut list, &mut store, "list-down", 30);
        list.show(Rect::new(0, 0, 80, 13), &mut store.db);
        assert!(list.offset <= list.selected && list.selected < list.offset + list.visible);
        assert_eq!(selected(&list), 35);
        assert_eq!(position(&list), 35);
    }

    #[test]
    fn showing_again_fetches_afresh_around_the_selection() {
        let (mut store, mut list) = list_of(60);
        act(&mut list, &mut store, "list-page-down", 3);
        assert_eq!(selected(&list), 30);
        let row_on_screen = list.selected - list.offset;
        // The list shrank under it: the selection keeps its row while that row is there.
        list.source.0 = 40;
        store_changes(&mut store);
        list.show(Rect::new(0, 0, 80, 13), &mut store.db);
        assert_eq!(selected(&list), 30);
        assert_eq!(position(&list), 30);
        assert_eq!(list.total(), 40);
        assert_eq!(list.selected - list.offset, row_on_screen, "nothing jumped");
        // Its row went away: the selection lands on the last row there is.
        list.source.0 = 20;
        store_changes(&mut store);
        list.show(Rect::new(0, 0, 80, 13), &mut store.db);
        assert_eq!(selected(&list), 19);
        assert_eq!(position(&list), 19);
        // Everything went away.
        list.source.0 = 0;
        store_changes(&mut store);
        list.show(Rect::new(0, 0, 80, 13), &mut store.db);
        assert_eq!(list.selected(), None);
        assert_eq!(list.handle("list-down", &mut store.db), Effect::Done);
        assert_eq!(list.handle("open", &mut store.db), Effect::Ignored);
    }

    #[test]
    fn showing_again_with_the_store_unchanged_reads_nothing() {
        let (mut store, mut list) = list_of(60);
        act(&mut list, &mut store, "list-page-down", 3);
        let fetches = list.fetches;
        list.source.0 = 40;
        list.show(Rect::new(0, 0, 80, 13), &mut store.db);
        assert_eq!(list.fetches, fetches, "nothing changed in the store");
        assert_eq!(list.total(), 60);
        // Another area is read for.
        list.show(Rect::new(0, 0, 80, 20), &mut store.db);
        assert_eq!(list.fetches, fetches + 1);
        assert_eq!(list.total(), 40);
        list.source.0 = 30;
        store_changes(&mut store);
        list.show(Rect::new(0, 0, 80, 20), &mut store.db);
        assert_eq!(list.fetches, fetches + 2, "someone changed the store");
        assert_eq!(list.total(), 30);
    }

    /// A change in the store (as any change by anyone, it writes an audit row).
    fn store_changes(store: &mut testing::Store) {
        store.add(testing::person("Someone", "New"));
    }

    fn columns<'a>() -> Vec<Column<'a, usize>> {
        vec![
            Column::new(
                "Name".into(),
                Width::Share {
                    weight: 3,
                    min: 14,
                    max: 40,
                },
                |n| format!("Person {n:03}"),
            ),
            Column::new("Kind".into(), Width::Fixed(7), |_| "person".into()),
            Column::new("Mobile".into(), Width::Fixed(11), |n| format!("0912{n:07}")),
            Column::new("Phone".into(), Width::Fixed(12), |_| String::new()).drops(2),
            Column::new("Email".into(), Width::share(2, 10), |n| {
                format!("p{n}@x.com")
            })
            .drops(1),
        ]
    }

    #[test]
    fn columns_fit_every_width_and_drop_in_rank_order() {
        let columns = columns();
        for width in 20..=300 {
            let (layout, spacing) = layout(&columns, width);
            let used: usize = layout.iter().map(|(_, w)| w).sum::<usize>()
                + spacing * (layout.len() - 1)
                + cells(SELECTED_MARK);
            assert!(used <= width.max(40), "{width}: {layout:?}");
            assert_eq!(layout[0].0, 0, "the name is always first");
            assert!(layout[0].1 <= 40, "{width}: {layout:?}");
        }
        let shown =
            |width| -> Vec<usize> { layout(&columns, width).0.iter().map(|c| c.0).collect() };
        assert_eq!(shown(118), [0, 1, 2, 3, 4]);
        assert_eq!(shown(58), [0, 1, 2, 4], "the phone goes first");
        assert_eq!(shown(40), [0, 1, 2], "then the e-mail");
        // On a wide screen the name stops at its most and the e-mail takes the rest.
        let (wide, spacing) = layout(&columns, 200);
        assert_eq!(wide[0].1, 40);
        assert_eq!(spacing, 2);
        assert_eq!(wide[4].1, 200 - 2 - 40 - 7 - 11 - 12 - 4 * 2);
    }

    #[test]
    fn shares_split_by_weight_within_their_bounds() {
        assert_eq!(split(30, &[(3, 10, 100), (1, 10, 100)]), [18, 12]);
        assert_eq!(split(40, &[(3, 0, 100), (1, 0, 100)]), [30, 10]);
        assert_eq!(split(30, &[(1, 5, 8), (1, 5, 100)]), [8, 22]);
        assert_eq!(split(10, &[(1, 5, 8), (1, 5, 8)]), [5, 5]);
        assert_eq!(
            split(20, &[(1, 5, 8), (1, 5, 8)]),
            [8, 8],
            "the rest stays empty"
        );
        assert_eq!(
            split(6, &[(2, 10, 20), (1, 10, 20)]),
            [4, 2],
            "too narrow: by weight"
        );
        assert_eq!(
            split(7, &[(1, 0, 100), (1, 0, 100), (1, 0, 100)])
                .iter()
                .sum::<usize>(),
            7
        );
    }

    #[test]
    fn the_selected_row_is_marked_and_the_window_scrolls() {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;

        let (mut store, mut list) = list_of(60);
        act(&mut list, &mut store, "list-down", 12);
        let mut terminal = Terminal::new(TestBackend::new(80, 13)).expect("test terminal");
        terminal
            .draw(|frame| {
                let view = View {
                    title: "Numbers".into(),
                    above: Vec::new(),
                    columns: columns(),
                    empty: String::new(),
                };
                list.render(frame, frame.area(), view, &Theme::plain());
            })
            .expect("drawn");
        let rows = testing::lines(terminal.backend().buffer());
        assert!(rows[0].starts_with("┌ Numbers "), "{}", rows[0]);
        assert!(
            rows[1].contains("Name") && rows[1].contains("Mobile"),
            "{}",
            rows[1]
        );
        assert!(rows[2].starts_with("│  Person 003"), "{}", rows[2]);
        assert!(rows[11].starts_with("│> Person 012"), "{}", rows[11]);
        assert!(rows[12].contains("13 of 60"), "{}", rows[12]);
    }

    #[test]
    fn an_empty_list_says_what_would_be_there() {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;

        let mut store = testing::store();
        let mut list = ListWindow::new(Numbers(0)).lines_above(1);
        list.show(Rect::new(0, 0, 40, 8), &mut store.db);
        let mut terminal = Terminal::new(TestBackend::new(40, 8)).expect("test terminal");
        terminal
            .draw(|frame| {
                let view = View {
                    title: "Numbers".into(),
                    above: vec![Line::from("above")],
                    columns: columns(),
                    empty: "Nothing here.".into(),
                };
                list.render(frame, frame.area(), view, &Theme::plain());
            })
            .expect("drawn");
        let rows = testing::lines(terminal.backend().buffer());
        assert!(rows[1].starts_with("│above"), "{}", rows[1]);
        assert!(rows[2].starts_with("│ Nothing here."), "{}", rows[2]);
        assert!(!rows[7].contains(" of "), "no position: {}", rows[7]);
    }
}
