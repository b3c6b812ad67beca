//! Right-to-left on a terminal. Panes and widgets draw as if for a left-to-right language; when
//! the language is written right to left, the finished frame is seen turned around (the tab bar
//! starts at the right, list columns run right to left, labels stand right of their inputs,
//! frames keep their corners) with each stretch of text in a readable order. Who does that is the
//! `bidi` setting, and [`finish`] prepares the frame for it:
//!
//! - `terminal`: a terminal that implements the Unicode bidi algorithm and the terminal working
//!   group's recommendation (VTE) lays each line out right to left; Peygir sends the text in
//!   logical order, each stretch kept apart from the next by a mark ([`for_terminal`]).
//! - `app`: Peygir lays the frame out itself with the Unicode bidi algorithm (`unicode-bidi`),
//!   one stretch at a time, so a terminal without bidi shows Persian the right way round. Joining
//!   Arabic-script letters (shaping) stays the terminal's job.
//!
//! A stretch is what one cell, label, hint or title holds: text between frame lines, between
//! changes of style, between two or more blank cells, and at the places a widget marks with
//! [`cut`] (a table's column boundaries), so neighbouring columns never run into one another.

use std::cell::{Cell, RefCell};
use std::str::FromStr;
use std::sync::atomic::{AtomicU8, Ordering};

use ratatui::buffer::{Buffer, Cell as Square, CellDiffOption, CellWidth};
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use unicode_bidi::{BidiClass, Level, ParagraphBidiInfo, bidi_class};

use super::text::{CUT_MARK, rtl};
use crate::domain::locale::{self, Digits};

/// [`CUT_MARK`] as a cell's symbol.
const CUT_MARK_TEXT: &str = {
    assert!(CUT_MARK == '~');
    "~"
};

/// Who puts mixed right-to-left and left-to-right text in the order it is seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Bidi {
    /// The terminal (one that implements bidi): text goes out in logical order.
    #[default]
    Terminal,
    /// Peygir, with the Unicode bidi algorithm: text goes out in visual order.
    App,
}

impl Bidi {
    /// The value on the command line and in the config file.
    pub fn code(self) -> &'static str {
        match self {
            Bidi::Terminal => "terminal",
            Bidi::App => "app",
        }
    }
}

impl FromStr for Bidi {
    type Err = ();
    fn from_str(text: &str) -> Result<Bidi, ()> {
        match text.trim().to_ascii_lowercase().as_str() {
            "terminal" => Ok(Bidi::Terminal),
            "app" => Ok(Bidi::App),
            _ => Err(()),
        }
    }
}

static MODE: AtomicU8 = AtomicU8::new(0);

thread_local! {
    /// A mode for this thread only, set by [`with_mode`].
    static THREAD_MODE: Cell<Option<Bidi>> = const { Cell::new(None) };
    /// Where stretches start, as (x, y), marked while the frame is drawn.
    static CUTS: RefCell<Vec<(u16, u16)>> = const { RefCell::new(Vec::new()) };
}

/// Chooses the mode for the whole process; called once at start, from the settings.
pub fn set_mode(mode: Bidi) {
    MODE.store(mode as u8, Ordering::Relaxed);
}

/// The mode in force.
pub fn mode() -> Bidi {
    if let Some(mode) = THREAD_MODE.with(Cell::get) {
        return mode;
    }
    match MODE.load(Ordering::Relaxed) {
        1 => Bidi::App,
        _ => Bidi::Terminal,
    }
}

/// Runs `work` with `mode` in force on this thread only (for tests).
pub fn with_mode<R>(mode: Bidi, work: impl FnOnce() -> R) -> R {
    struct Restore(Option<Bidi>);
    impl Drop for Restore {
        fn drop(&mut self) {
            THREAD_MODE.with(|m| m.set(self.0));
        }
    }
    let _restore = Restore(THREAD_MODE.with(|m| m.replace(Some(mode))));
    work()
}

/// The most cuts one frame keeps (a huge screen of tables stays far below it).
const MAX_CUTS: usize = 20_000;

/// Marks that a new stretch of text starts at cell (x, y) of this frame, whatever is left of it:
/// where a table column or an input begins right after other text.
pub fn cut(x: u16, y: u16) {
    CUTS.with(|cuts| {
        let mut cuts = cuts.borrow_mut();
        if cuts.len() < MAX_CUTS {
            cuts.push((x, y));
        }
    });
}

/// Forgets the cuts marked in `area`: what was drawn there is covered (by a form or an overlay
/// drawn over a list), and its column boundaries no longer hold.
pub fn forget(area: Rect) {
    CUTS.with(|cuts| {
        cuts.borrow_mut()
            .retain(|&(x, y)| !area.contains(Position { x, y }));
    });
}

/// The escape sequence that tells a terminal implementing the terminal working group's bidi
/// recommendation (VTE) not to reorder what Peygir has already ordered (explicit mode), and the
/// one that gives it back its own ordering (implicit mode). Terminals that do not know them
/// ignore them.
pub const EXPLICIT_MODE: &str = "\x1b[8l";
pub const IMPLICIT_MODE: &str = "\x1b[8h";

/// The escape sequence (SCP, select character path) that tells a terminal implementing the
/// recommendation (VTE) to lay out lines right to left, for `terminal` mode in a right-to-left
/// language, and the one that gives it back the default. VTE applies it to the line the cursor
/// is on and to lines made afresh, so the screen is cleared after it (`CSI 2 J`), as ratatui
/// clears it again when the terminal is resized.
pub const RTL_LINES: &str = "\x1b[2 k\x1b[2J";
pub const DEFAULT_LINES: &str = "\x1b[0 k";

/// One thing drawn in a row: a character (with the cells after it that a wide one covers).
#[derive(Clone)]
struct Glyph {
    cells: Vec<Square>,
}

impl Glyph {
    fn symbol(&self) -> &str {
        self.cells.first().map_or(" ", Square::symbol)
    }

    fn style(&self) -> Style {
        self.cells
            .first()
            .map_or_else(Style::default, Square::style)
    }

    fn is_blank(&self) -> bool {
        self.symbol() == " "
    }

    /// Adds a zero-width mark after the glyph's character, in its first cell.
    fn mark(&mut self, mark: char) {
        if let Some(first) = self.cells.first_mut() {
            let symbol = format!("{}{mark}", first.symbol());
            first.set_symbol(&symbol);
        }
    }

    /// A frame line or block: it stands apart from text and keeps its own place.
    fn is_line(&self) -> bool {
        let mut chars = self.symbol().chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if ('\u{2500}'..='\u{259f}').contains(&c))
    }

    /// The glyph with its symbol swapped for its mirror image, if it has one in `table`.
    fn mirrored(mut self, table: &[(char, char)]) -> Glyph {
        let mut chars = self.symbol().chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && let Some(m) = mirror_of(c, table)
            && let Some(first) = self.cells.first_mut()
        {
            first.set_char(m);
        }
        self
    }
}

fn mirror_of(c: char, table: &[(char, char)]) -> Option<char> {
    table.iter().find_map(|&(a, b)| {
        if a == c {
            Some(b)
        } else if b == c {
            Some(a)
        } else {
            None
        }
    })
}

/// Frame lines and blocks that face one way, and their mirror images.
const LINES: &[(char, char)] = &[
    ('┌', '┐'),
    ('└', '┘'),
    ('├', '┤'),
    ('╭', '╮'),
    ('╰', '╯'),
    ('┏', '┓'),
    ('┗', '┛'),
    ('┣', '┫'),
    ('╔', '╗'),
    ('╚', '╝'),
    ('╠', '╣'),
    ('╒', '╕'),
    ('╘', '╛'),
    ('╓', '╖'),
    ('╙', '╜'),
    ('╞', '╡'),
    ('╟', '╢'),
    ('╴', '╶'),
    ('╸', '╺'),
    ('▌', '▐'),
    ('▏', '▕'),
    ('▖', '▗'),
    ('▘', '▝'),
];

/// Characters the bidi algorithm shows as their mirror image in right-to-left text (the
/// Bidi_Mirrored pairs a screen of Peygir can hold).
const MIRRORED: &[(char, char)] = &[
    ('(', ')'),
    ('[', ']'),
    ('{', '}'),
    ('<', '>'),
    ('«', '»'),
    ('‹', '›'),
    ('≤', '≥'),
    ('⟨', '⟩'),
];

/// Whether `c` is written right to left.
fn is_rtl_char(c: char) -> bool {
    matches!(bidi_class(c), BidiClass::R | BidiClass::AL)
}

/// The glyphs of a stretch in the order they are seen, for a paragraph of `level`: the Unicode
/// bidi algorithm's levels, runs reversed by level, and mirrored characters in right-to-left runs
/// shown as their mirror images. A stretch with no right-to-left letter but with left-to-right
/// ones (`Faxed the invoice.`, `1405 H2 · B2C`) is left-to-right text whatever the screen's
/// direction, and stays as it is; one of digits alone (`۱۴۰۵/۰۹/۰۷ ۲۳:۴۲`) takes the screen's.
fn visual_order(stretch: Vec<Glyph>, level: Level) -> Vec<Glyph> {
    let chars = || stretch.iter().flat_map(|g| g.symbol().chars());
    let has_rtl = chars().any(is_rtl_char);
    let has_ltr = chars().any(|c| bidi_class(c) == BidiClass::L);
    if !has_rtl && (level.is_ltr() || has_ltr) {
        return stretch;
    }
    let mut glyph_levels = glyph_levels(&stretch, level);
    // The mark of a cut value ends the text it cuts, in that text's direction: `Pars Tej~`,
    // never `~Pars Tej` at the far end of a right-to-left line.
    if stretch.last().is_some_and(|g| g.symbol() == CUT_MARK_TEXT)
        && let Some(kept) = stretch[..stretch.len() - 1]
            .iter()
            .rposition(|g| !g.is_blank())
    {
        let before = glyph_levels[kept];
        for l in &mut glyph_levels[kept + 1..] {
            *l = before;
        }
    }
    let order = ParagraphBidiInfo::reorder_visual(&glyph_levels);
    order
        .into_iter()
        .filter_map(|i| {
            let glyph = stretch.get(i)?.clone();
            Some(if glyph_levels[i].is_rtl() {
                glyph.mirrored(MIRRORED)
            } else {
                glyph
            })
        })
        .collect()
}

/// `text` (one stretch, one line) in the order a terminal without bidi must draw it to be read
/// right: for a right-to-left interface in a right-to-left paragraph, otherwise in a
/// left-to-right one. What [`finish`] does to each stretch in `app` mode.
pub fn visual(text: &str) -> String {
    let level = if rtl() { Level::rtl() } else { Level::ltr() };
    let glyphs = text
        .chars()
        .map(|c| {
            let mut square = Square::default();
            square.set_char(c);
            Glyph {
                cells: vec![square],
            }
        })
        .collect();
    visual_order(glyphs, level)
        .iter()
        .map(Glyph::symbol)
        .collect()
}

/// What a row is made of.
enum Piece {
    /// A blank cell, a frame line or a block: it stays one cell.
    Gap(Glyph),
    /// A stretch of text.
    Text(Vec<Glyph>),
}

/// Puts the finished frame in order for the language and the bidi mode. Called once per frame,
/// after everything is drawn; the cuts marked while drawing are used up.
///
/// Numbers come out in Persian digits when that is the setting ([`persian_numbers`]).
///
/// - `app`: each row is laid out as it is to be seen: mirrored when the language is written
///   right to left, each stretch in visual order.
/// - `terminal`: the row goes out in logical order, for a terminal that orders text itself to
///   show it just so (see [`for_terminal`]).
pub fn finish(buffer: &mut Buffer) {
    let cuts = CUTS.with(|cuts| std::mem::take(&mut *cuts.borrow_mut()));
    let mirror = rtl();
    let terminal = mode() == Bidi::Terminal;
    let persian_digits = locale::digits() == Digits::Persian;
    let area = buffer.area;
    for y in area.top()..area.bottom() {
        let Some(glyphs) = read_row(buffer, y) else {
            continue;
        };
        let chars = || glyphs.iter().flat_map(|g| g.symbol().chars());
        let has_rtl = chars().any(is_rtl_char);
        let has_digits = persian_digits && chars().any(|c| c.is_ascii_digit());
        // A left-to-right row without right-to-left text or digits to change is seen as drawn.
        if !mirror && !has_rtl && !has_digits {
            continue;
        }
        let mut row_cuts: Vec<u16> = cuts
            .iter()
            .filter(|(_, cy)| *cy == y)
            .map(|(x, _)| *x)
            .collect();
        row_cuts.sort_unstable();
        let mut pieces = split(glyphs, &row_cuts);
        if has_digits {
            persian_numbers(&mut pieces);
        }
        let out = if !mirror && !has_rtl {
            pieces
                .into_iter()
                .flat_map(|piece| match piece {
                    Piece::Gap(glyph) => vec![glyph],
                    Piece::Text(stretch) => stretch,
                })
                .collect()
        } else if terminal {
            for_terminal(pieces, mirror)
        } else {
            seen_row(pieces, mirror)
        };
        write_row(buffer, y, &out);
    }
}

/// Numbers in Persian digits, whatever drew them: a case number, a phone number, a count, a
/// page's `1 of 26`. A stretch with Latin letters keeps its digits, since there they belong to a
/// word (`anna.hall57@…`, `B2C`, `P1`, `Send 2 quotes`).
fn persian_numbers(pieces: &mut [Piece]) {
    for piece in pieces {
        let Piece::Text(stretch) = piece else {
            continue;
        };
        let chars = || stretch.iter().flat_map(|g| g.symbol().chars());
        if chars().any(|c| bidi_class(c) == BidiClass::L) || !chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        for glyph in stretch.iter_mut() {
            if let Some(first) = glyph.cells.first_mut()
                && first.symbol().chars().any(|c| c.is_ascii_digit())
            {
                let symbol = locale::localize_digits(first.symbol(), Digits::Persian);
                first.set_symbol(&symbol);
            }
        }
    }
}

/// A row as it is to be seen: its pieces in reverse order when `mirror` (frame lines turned to
/// face the other way), each stretch in visual order for the screen's direction.
fn seen_row(pieces: Vec<Piece>, mirror: bool) -> Vec<Glyph> {
    let mut out: Vec<Glyph> = Vec::with_capacity(pieces.len());
    if mirror {
        for piece in pieces.into_iter().rev() {
            match piece {
                Piece::Gap(glyph) => out.push(glyph.mirrored(LINES)),
                Piece::Text(stretch) => out.extend(visual_order(stretch, Level::rtl())),
            }
        }
    } else {
        for piece in pieces {
            match piece {
                Piece::Gap(glyph) => out.push(glyph),
                Piece::Text(stretch) => out.extend(visual_order(stretch, Level::ltr())),
            }
        }
    }
    out
}

/// Left-to-right and right-to-left marks: zero-width letters of one direction.
const LRM: char = '\u{200e}';
const RLM: char = '\u{200f}';

/// A cell's symbol as it is seen: without the marks [`for_terminal`] adds, which a terminal
/// draws as nothing.
pub fn unmarked(symbol: &str) -> String {
    symbol.chars().filter(|&c| c != LRM && c != RLM).collect()
}

/// A row for a terminal that orders text itself (VTE), so that it shows what [`seen_row`]
/// draws.
///
/// Such a terminal runs the Unicode bidi algorithm over each whole line, in the line's direction
/// (right to left when Peygir asked for it with [`RTL_LINES`]). A right-to-left line then comes
/// out mirrored by itself, so the row goes out as drawn, frame corners turned. What the terminal
/// cannot know is where one cell of text ends and the next begins: two neighbouring Latin cells
/// would read as one left-to-right run and swap places, and the digits of `۱۵ دقیقه` next to a
/// Latin cell would take its direction. So each stretch ends in a mark of the screen's direction,
/// which keeps it apart from the next, as each stretch is kept apart in `app` mode; a stretch of
/// Latin text alone in a right-to-left screen is held in marks of its own direction, as `app`
/// mode keeps it as it is written. The marks are zero-width and ride in a cell that is written
/// (the gap after the stretch, or its last letter), where the terminal keeps them with that
/// cell's character.
///
/// Terminals other than VTE were tried and do not fit a full-screen layout: mlterm lays out
/// every line holding a frame line left to right and gives a mark a cell of its own, and Konsole
/// gives a mark a cell as well. They need `app` mode with their own bidi turned off.
fn for_terminal(pieces: Vec<Piece>, rtl_screen: bool) -> Vec<Glyph> {
    let screen_mark = if rtl_screen { RLM } else { LRM };
    let mut out: Vec<Glyph> = Vec::new();
    // A stretch was sent and waits for the mark that ends it: it goes on the gap after it when
    // there is one (VTE does not mirror a bracket that carries a mark), else on its last glyph.
    let mut unended = false;
    for piece in pieces {
        match piece {
            Piece::Gap(glyph) => {
                let mut glyph = if rtl_screen {
                    glyph.mirrored(LINES)
                } else {
                    glyph
                };
                if std::mem::take(&mut unended) {
                    glyph.mark(screen_mark);
                }
                out.push(glyph);
            }
            Piece::Text(mut stretch) => {
                if std::mem::take(&mut unended)
                    && let Some(before) = out.last_mut()
                {
                    before.mark(screen_mark);
                }
                let chars = || stretch.iter().flat_map(|g| g.symbol().chars());
                let latin_alone = rtl_screen
                    && !chars().any(is_rtl_char)
                    && chars().any(|c| bidi_class(c) == BidiClass::L);
                if latin_alone {
                    if let Some(before) = out.last_mut() {
                        before.mark(LRM);
                    }
                    if let Some(last) = stretch.last_mut() {
                        last.mark(LRM);
                    }
                }
                out.extend(stretch);
                unended = true;
            }
        }
    }
    out
}

/// The bidi level of each glyph of a line in a paragraph of `level`.
fn glyph_levels(glyphs: &[Glyph], level: Level) -> Vec<Level> {
    let mut text = String::new();
    let mut starts = Vec::with_capacity(glyphs.len());
    for glyph in glyphs {
        starts.push(text.len());
        text.push_str(glyph.symbol());
    }
    let info = ParagraphBidiInfo::new(&text, Some(level));
    let levels = info.reordered_levels(0..text.len());
    starts
        .iter()
        .map(|&at| levels.get(at).copied().unwrap_or(level))
        .collect()
}

/// The glyphs of row `y`, or `None` when the row holds a cell with a diff option of its own
/// (drawn by other means, or of a forced width), which must keep its place.
fn read_row(buffer: &Buffer, y: u16) -> Option<Vec<Glyph>> {
    let area = buffer.area;
    let mut glyphs = Vec::with_capacity(usize::from(area.width));
    let mut x = area.left();
    while x < area.right() {
        let square = &buffer[(x, y)];
        if square.diff_option != CellDiffOption::None {
            return None;
        }
        // As wide as ratatui drew it: a wide character's second cell goes with it.
        let width = square.cell_width().clamp(1, area.right() - x);
        let cells = (x..x + width).map(|cx| buffer[(cx, y)].clone()).collect();
        glyphs.push(Glyph { cells });
        x += width;
    }
    Some(glyphs)
}

fn write_row(buffer: &mut Buffer, y: u16, glyphs: &[Glyph]) {
    let area = buffer.area;
    let squares = glyphs.iter().flat_map(|g| &g.cells);
    for (x, square) in (area.left()..area.right()).zip(squares) {
        buffer[(x, y)] = square.clone();
    }
}

/// Splits a row into gaps and stretches of text. A stretch ends at a frame line, at a change of
/// style, at a cut, and at two blank cells in a row; a single blank between two characters of
/// the same style belongs to the stretch (the space between two words).
fn split(glyphs: Vec<Glyph>, cuts: &[u16]) -> Vec<Piece> {
    let mut x: u16 = 0;
    let xs: Vec<u16> = glyphs
        .iter()
        .map(|g| {
            let at = x;
            x = x.saturating_add(u16::try_from(g.cells.len()).unwrap_or(1));
            at
        })
        .collect();
    let cut_at = |i: usize| cuts.binary_search(&xs[i]).is_ok();
    // A text field's cursor is one reverse-video cell in plain text: it belongs to the text it
    // stands in (or at the end of), so it moves with it and never splits it.
    let reversed = |i: usize| {
        glyphs
            .get(i)
            .is_some_and(|g| g.style().add_modifier.contains(Modifier::REVERSED))
    };
    let cursor: Vec<bool> = (0..glyphs.len())
        .map(|i| {
            reversed(i)
                && i > 0
                && !reversed(i - 1)
                && !glyphs[i - 1].is_blank()
                && !glyphs[i - 1].is_line()
                && glyphs
                    .get(i + 1)
                    .is_none_or(|next| next.style() == glyphs[i - 1].style())
        })
        .collect();
    let style_of = |i: usize| {
        if cursor[i] {
            glyphs[i - 1].style()
        } else {
            glyphs[i].style()
        }
    };
    let mut pieces = Vec::new();
    let mut stretch: Vec<Glyph> = Vec::new();
    let mut stretch_style = Style::default();
    let flush = |stretch: &mut Vec<Glyph>, pieces: &mut Vec<Piece>| {
        if !stretch.is_empty() {
            pieces.push(Piece::Text(std::mem::take(stretch)));
        }
    };
    for i in 0..glyphs.len() {
        let glyph = &glyphs[i];
        let style = style_of(i);
        let starts = cut_at(i) || (!stretch.is_empty() && stretch_style != style);
        if starts {
            flush(&mut stretch, &mut pieces);
        }
        stretch_style = style;
        if glyph.is_line() {
            flush(&mut stretch, &mut pieces);
            pieces.push(Piece::Gap(glyph.clone()));
            continue;
        }
        if glyph.is_blank() && !cursor[i] {
            let joins = !stretch.is_empty()
                && glyphs.get(i + 1).is_some_and(|next| {
                    (!next.is_blank() || cursor[i + 1])
                        && !next.is_line()
                        && style_of(i + 1) == style
                        && !cut_at(i + 1)
                });
            if joins {
                stretch.push(glyph.clone());
            } else {
                flush(&mut stretch, &mut pieces);
                pieces.push(Piece::Gap(glyph.clone()));
            }
            continue;
        }
        stretch.push(glyph.clone());
    }
    flush(&mut stretch, &mut pieces);
    pieces
}

/// What a terminal that orders text itself (VTE) shows of `buffer`, as Peygir models it in
/// [`for_terminal`]: each row put through the Unicode bidi algorithm, right to left when the
/// language is (Peygir asks for that with [`RTL_LINES`]), right-to-left runs mirrored, and the
/// zero-width marks drawn as nothing. For tests.
#[cfg(test)]
pub fn shown_by_bidi_terminal(buffer: &Buffer) -> Buffer {
    let level = if rtl() { Level::rtl() } else { Level::ltr() };
    let mut shown = buffer.clone();
    for y in buffer.area.top()..buffer.area.bottom() {
        let Some(glyphs) = read_row(buffer, y) else {
            continue;
        };
        let levels = glyph_levels(&glyphs, level);
        let row: Vec<Glyph> = ParagraphBidiInfo::reorder_visual(&levels)
            .into_iter()
            .map(|i| {
                let mut glyph = glyphs[i].clone();
                if let Some(first) = glyph.cells.first_mut() {
                    let symbol = unmarked(first.symbol());
                    first.set_symbol(&symbol);
                }
                if levels[i].is_rtl() {
                    glyph.mirrored(MIRRORED)
                } else {
                    glyph
                }
            })
            .collect();
        write_row(&mut shown, y, &row);
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, with_lang};

    fn row(text: &str) -> Buffer {
        let width = u16::try_from(text.chars().count()).unwrap_or(0);
        let mut buffer = Buffer::empty(Rect::new(0, 0, width, 1));
        buffer.set_string(0, 0, text, Style::default());
        buffer
    }

    fn line(buffer: &Buffer) -> String {
        (0..buffer.area.width)
            .map(|x| buffer[(x, 0)].symbol())
            .collect()
    }

    /// The row as it is seen once finished: as drawn in `app` mode, and as a terminal that orders
    /// text itself shows what was sent in `terminal` mode.
    fn finished(lang: Lang, mode: Bidi, buffer: &mut Buffer) -> String {
        line(&seen(lang, mode, buffer))
    }

    /// The row as it is seen once finished, cells and styles.
    fn seen(lang: Lang, mode: Bidi, buffer: &mut Buffer) -> Buffer {
        with_lang(lang, || {
            with_mode(mode, || finish(buffer));
            match mode {
                Bidi::App => buffer.clone(),
                Bidi::Terminal => shown_by_bidi_terminal(buffer),
            }
        })
    }

    /// Both modes show `drawn` as `seen` once finished.
    fn seen_alike(lang: Lang, drawn: &Buffer, seen: &str) {
        for mode in [Bidi::Terminal, Bidi::App] {
            let mut buffer = drawn.clone();
            assert_eq!(finished(lang, mode, &mut buffer), seen, "{mode:?}");
        }
    }

    #[test]
    fn the_setting_reads_its_two_values() {
        assert_eq!("terminal".parse(), Ok(Bidi::Terminal));
        assert_eq!(" App ".parse(), Ok(Bidi::App));
        assert_eq!("both".parse::<Bidi>(), Err(()));
        assert_eq!(Bidi::default(), Bidi::Terminal);
        assert_eq!(Bidi::App.code(), "app");
    }

    #[test]
    fn persian_text_is_put_in_visual_order_with_latin_and_numbers_kept_readable() {
        with_lang(Lang::Fa, || {
            assert_eq!(visual("سلام"), "مالس");
            // Words keep their order right to left; a Latin name stays as it is written.
            assert_eq!(visual("محمد احمدی"), "یدمحا دمحم");
            assert_eq!(visual("مخاطب Sara Ahmadi"), "Sara Ahmadi بطاخم");
            // Digits run left to right inside right-to-left text; a date stays whole.
            assert_eq!(visual("تاریخ ۱۴۰۴/۰۱/۱۵"), "۱۴۰۴/۰۱/۱۵ خیرات");
            assert_eq!(visual("۱ از ۲۶"), "۲۶ زا ۱");
            // Brackets face the right way in right-to-left text.
            assert_eq!(visual("[۲ مخاطبان]"), "[نابطاخم ۲]");
            assert_eq!(visual("Person 000"), "Person 000");
            // Latin text alone keeps its own direction, its full stop included.
            assert_eq!(visual("Faxed the invoice."), "Faxed the invoice.");
            assert_eq!(visual("1405 H2 · B2C"), "1405 H2 · B2C");
            // Digits alone take the screen's: the date first, at the right.
            assert_eq!(visual("۱۴۰۵/۰۹/۰۷ ۲۳:۴۲"), "۲۳:۴۲ ۱۴۰۵/۰۹/۰۷");
            // A cut value's mark stays at its end, in its own direction.
            assert_eq!(visual("Follow up the prepa~"), "Follow up the prepa~");
            assert_eq!(visual("پیش‌فاکتور~"), "~روتکاف‌شیپ");
            assert_eq!(visual("Food ~"), "Food ~");
            assert_eq!(visual("۱۳۷۰/۰۵/۱۲"), "۱۳۷۰/۰۵/۱۲");
        });
        with_lang(Lang::En, || {
            assert_eq!(visual("Added محمد احمدی."), "Added یدمحا دمحم.");
            assert_eq!(visual("plain"), "plain");
        });
    }

    #[test]
    fn an_english_row_is_seen_as_drawn_with_persian_words_readable() {
        seen_alike(Lang::En, &row("│ Ali  محمد │"), "│ Ali  دمحم │");
        // Nothing is sent differently for a row without right-to-left text.
        let mut buffer = row("│ Ali  (0912) │");
        assert_eq!(
            finished(Lang::En, Bidi::Terminal, &mut buffer),
            "│ Ali  (0912) │"
        );
    }

    #[test]
    fn a_persian_row_is_mirrored_and_each_stretch_kept_whole() {
        // Columns (two blanks apart), a frame, a marker: the order of the pieces turns around,
        // the frame's corners face the other way, and each stretch reads right.
        seen_alike(
            Lang::Fa,
            &row("┌> محمد احمدی  Ali  ۰۹۱۲┐"),
            "┌۰۹۱۲  Ali  یدمحا دمحم <┐",
        );
    }

    #[test]
    fn the_terminal_is_sent_persian_in_logical_order_and_columns_kept_apart() {
        // Two Latin columns next to each other: sent as drawn, a bidi terminal would read them as
        // one left-to-right run and swap them. What is sent keeps each where it is to be seen,
        // with the Persian in logical order, for the terminal to join its letters.
        let drawn = row("محمد احمدی  Green Valley  0912  ۱۴۰۵/۰۹/۰۷");
        seen_alike(
            Lang::Fa,
            &drawn,
            "۱۴۰۵/۰۹/۰۷  0912  Green Valley  یدمحا دمحم",
        );
        let mut sent = drawn.clone();
        with_lang(Lang::Fa, || with_mode(Bidi::Terminal, || finish(&mut sent)));
        assert!(line(&sent).contains("محمد احمدی"), "{}", line(&sent));
        // Brackets in right-to-left text go out so that the terminal's mirroring shows them
        // facing the right way.
        seen_alike(Lang::Fa, &row("تماس (۲)  [ورود]"), "[دورو]  (۲) سامت");
    }

    #[test]
    fn cuts_keep_neighbouring_columns_apart() {
        // One blank between two columns: without a cut, one stretch; with it, two.
        let text = "Ali 0912";
        let mut joined = row(text);
        assert_eq!(finished(Lang::Fa, Bidi::Terminal, &mut joined), "Ali 0912");
        let mut apart = row(text);
        cut(4, 0);
        assert_eq!(finished(Lang::Fa, Bidi::Terminal, &mut apart), "0912 Ali");
        // The cuts are used up by the frame they were made for.
        let mut again = row(text);
        assert_eq!(finished(Lang::Fa, Bidi::Terminal, &mut again), "Ali 0912");
    }

    #[test]
    fn a_change_of_style_ends_a_stretch() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 10, 1));
        let key = Style::default().add_modifier(Modifier::BOLD);
        buffer.set_string(0, 0, "j/k", key);
        buffer.set_string(3, 0, " move", Style::default());
        seen_alike(Lang::Fa, &buffer, "  move j/k");
        for mode in [Bidi::Terminal, Bidi::App] {
            let shown = seen(Lang::Fa, mode, &mut buffer.clone());
            assert!(
                shown[(7, 0)].modifier.contains(Modifier::BOLD),
                "{mode:?}: the style goes with its text"
            );
        }
    }

    #[test]
    fn wide_characters_and_marks_keep_their_cells() {
        // A wide character covers two cells; ZWNJ rides with the letter before it.
        let mut buffer = Buffer::empty(Rect::new(0, 0, 13, 1));
        buffer.set_string(0, 0, "漢字  می\u{200c}خواهم", Style::default());
        finished(Lang::Fa, Bidi::App, &mut buffer);
        let symbols: Vec<&str> = (0..13).map(|x| buffer[(x, 0)].symbol()).collect();
        assert_eq!(symbols[..7], ["م", "ه", "ا", "و", "خ", "ی\u{200c}", "م"]);
        assert_eq!((symbols[9], symbols[11]), ("漢", "字"));
    }

    #[test]
    fn a_text_fields_cursor_stays_with_its_text() {
        let reversed = Style::default().add_modifier(Modifier::REVERSED);
        // At the end of Latin text in a right-to-left screen: right of it, where typing goes on.
        let mut buffer = Buffer::empty(Rect::new(0, 0, 10, 1));
        buffer.set_string(0, 0, "Sara", Style::default());
        buffer.set_string(4, 0, " ", reversed);
        for mode in [Bidi::Terminal, Bidi::App] {
            let shown = seen(Lang::Fa, mode, &mut buffer.clone());
            assert_eq!(line(&shown), "     Sara ");
            assert!(
                shown[(9, 0)].modifier.contains(Modifier::REVERSED),
                "{mode:?}"
            );
        }
        // At the end of Persian text: left of it.
        let mut buffer = Buffer::empty(Rect::new(0, 0, 10, 1));
        buffer.set_string(0, 0, "سارا", Style::default());
        buffer.set_string(4, 0, " ", reversed);
        for mode in [Bidi::Terminal, Bidi::App] {
            let shown = seen(Lang::Fa, mode, &mut buffer.clone());
            assert_eq!(line(&shown), "      اراس");
            assert!(
                shown[(5, 0)].modifier.contains(Modifier::REVERSED),
                "{mode:?}"
            );
        }
        // In the middle of Latin text: the word stays whole, the cursor on its letter.
        let mut buffer = Buffer::empty(Rect::new(0, 0, 10, 1));
        buffer.set_string(0, 0, "Sara", Style::default());
        buffer.set_string(2, 0, "r", reversed);
        assert_eq!(finished(Lang::Fa, Bidi::App, &mut buffer), "      Sara");
        assert!(buffer[(8, 0)].modifier.contains(Modifier::REVERSED));
        // A selected row (all reverse video) is no cursor: its cells split as usual.
        let mut buffer = Buffer::empty(Rect::new(0, 0, 10, 1));
        buffer.set_string(0, 0, "Ali  0912 ", reversed);
        assert_eq!(
            finished(Lang::Fa, Bidi::Terminal, &mut buffer),
            " 0912  Ali"
        );
    }
}
