//! Text as the terminal draws it: made safe to draw, measured in cells, and cut to fit a column.
//!
//! Widths are counted one character at a time, the way terminals draw: every character that is
//! not zero-width takes at least one cell, and a combining mark (harakat), ZWNJ or ZWJ takes none.
//! `unicode-width` measures some sequences of a whole string as narrower than their characters
//! (Persian "لا" is one cell to it, two on a terminal, which draws lam and alef in a cell each),
//! so a string's width is never asked of it directly.

use unicode_width::UnicodeWidthChar;

/// Whether the interface is laid out right to left (the language is Persian). The one switch
/// every widget and [`super::bidi::finish`] read, so no pane decides for itself.
pub fn rtl() -> bool {
    crate::i18n::lang().is_rtl()
}

/// What a truncated value ends with. Plain ASCII, so a `TERM=linux` console can draw it.
pub const CUT_MARK: char = '~';

/// Text from the store or the system, fit to draw on one line: control characters (escape
/// sequences included) and the invisible marks that reorder a line (bidi overrides, embeddings
/// and isolates) are dropped, so a stored name cannot move the cursor, recolour the screen or
/// make the rest of a row read backwards.
pub fn clean(text: &str) -> String {
    crate::domain::text::printable(text)
}

/// The cells one character takes: none for a zero-width character (a combining mark, ZWNJ),
/// otherwise at least one.
pub fn char_cells(c: char) -> usize {
    match c.width() {
        Some(0) => 0,
        Some(w) => w,
        None => 1,
    }
}

/// The cells `text` takes on one line.
pub fn cells(text: &str) -> usize {
    text.chars().map(char_cells).sum()
}

/// `text` cut to at most `max` cells; a cut value ends with [`CUT_MARK`]. Zero-width marks that
/// belong to the last character kept stay with it.
pub fn fit(text: &str, max: usize) -> String {
    if cells(text) <= max {
        return text.to_string();
    }
    let Some(room) = max.checked_sub(1) else {
        return String::new();
    };
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_cells(c);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push(CUT_MARK);
    out
}

/// A count or an amount with its thousands grouped, in the digits setting: 1204 → `1,204`, or
/// `۱٬۲۰۴` with Persian digits (the domain's rule, shared with the command line and exports).
pub fn group_thousands(n: i64) -> String {
    crate::domain::locale::group_thousands(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_lam_alef_is_two_cells() {
        // unicode-width alone says 1 for the pair; a terminal draws two cells.
        assert_eq!(cells("لا"), 2);
        assert_eq!(cells("سلام"), 4);
        // A combining mark and ZWNJ take no cell of their own.
        assert_eq!(cells("مُحمد"), 4);
        assert_eq!(cells("می\u{200c}خواهم"), 7);
        assert_eq!(cells("漢字"), 4);
    }

    #[test]
    fn zero_width_marks_take_no_cell() {
        use unicode_width::UnicodeWidthStr;
        // What unicode-width says of the whole string, and what a terminal draws.
        assert_eq!("لا".width(), 1);
        assert_eq!(cells("لا"), 2);
        assert_eq!(cells("کلاس"), 4);
        assert_eq!(char_cells('\u{200c}'), 0);
        assert_eq!(char_cells('\u{200d}'), 0);
        for mark in [
            '\u{064b}', '\u{064e}', '\u{064f}', '\u{0650}', '\u{0651}', '\u{0652}', '\u{0670}',
        ] {
            assert_eq!(char_cells(mark), 0, "{mark:?}");
        }
        assert_eq!(cells("پیگیری\u{200c}ها"), 8);
        assert_eq!(cells("۱۴۰۴/۰۱/۱۵"), 10);
        assert_eq!(cells("۱٬۲۳۴"), 5);
    }

    #[test]
    fn money_in_the_digits_setting() {
        use crate::domain::locale::{self, Calendar, Digits};
        assert_eq!(group_thousands(1_250_000), "1,250,000");
        let persian = locale::with(Calendar::Jalali, Digits::Persian, || {
            group_thousands(1_250_000)
        });
        assert_eq!(persian, "۱٬۲۵۰٬۰۰۰");
    }

    #[test]
    fn fitting_counts_cells() {
        assert_eq!(fit("Pars Tejarat", 20), "Pars Tejarat");
        assert_eq!(fit("Pars Tejarat", 6), "Pars ~");
        assert_eq!(fit("لالالا", 4), "لال~");
        assert_eq!(cells(&fit("لالالا", 4)), 4);
        assert_eq!(fit("漢字漢字", 4), "漢~");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit("abc", 1), "~");
        // The mark on the last letter kept stays with it.
        assert_eq!(fit("مُحَمَّد", 3), "مُحَ~");
    }

    #[test]
    fn clean_drops_controls_and_reordering_marks() {
        assert_eq!(clean("Ali\x1b[2J\u{7} Rezaei"), "Ali[2J Rezaei");
        assert_eq!(clean("abc\u{202e}fed\u{2066}x\u{2069}"), "abcfedx");
        // ZWNJ is part of how Persian is written; it stays.
        assert_eq!(clean("می\u{200c}خواهم"), "می\u{200c}خواهم");
    }
}
