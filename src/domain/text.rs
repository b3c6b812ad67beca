//! Text rules for data people type: control characters stripped, digit scripts unified and Persian
//! letter variants folded, so that search and duplicate checks find what the user means.

/// Removes control characters (escape sequences included) but keeps line breaks and tabs when
/// `multiline` is set.
pub fn strip_controls(text: &str, multiline: bool) -> String {
    text.chars()
        .filter(|&c| !c.is_control() || (multiline && (c == '\n' || c == '\t')))
        .collect()
}

/// Persian (۰-۹) and Arabic-Indic (٠-٩) digits as ASCII digits; other characters unchanged.
pub fn ascii_digits(text: &str) -> String {
    text.chars().map(ascii_digit).collect()
}

fn ascii_digit(c: char) -> char {
    match c {
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        _ => c,
    }
}

/// The form text is searched in: lower case, ASCII digits, Arabic ي/ك/ى/ة as Persian ی/ک/ی/ه,
/// no diacritics or tatweel, and ZWNJ and runs of spaces as one space.
pub fn search_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for c in text.chars() {
        let c = match ascii_digit(c) {
            'ي' | 'ى' => 'ی',
            'ك' => 'ک',
            'ة' => 'ه',
            'أ' | 'إ' | 'آ' => 'ا',
            'ؤ' => 'و',
            '\u{200c}' | '\u{200d}' => ' ',
            c => c,
        };
        // Harakat, tanwin, shadda, sukun, superscript alef, and tatweel.
        if ('\u{064b}'..='\u{065f}').contains(&c) || c == '\u{0670}' || c == 'ـ' {
            continue;
        }
        if c.is_whitespace() || c.is_control() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        out.extend(c.to_lowercase());
        last_space = false;
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_stripped() {
        assert_eq!(
            strip_controls("Ali\x1b[31m Rezaei\u{7}", false),
            "Ali[31m Rezaei"
        );
        assert_eq!(strip_controls("a\nb\tc\r", true), "a\nb\tc");
    }

    #[test]
    fn digits_of_every_script() {
        assert_eq!(ascii_digits("۰۹۱۲-٣٤٥"), "0912-345");
    }

    #[test]
    fn persian_variants_fold_together() {
        assert_eq!(search_key("علي كريمي"), search_key("علی کریمی"));
        assert_eq!(search_key("می\u{200c}خواهم"), "می خواهم");
        assert_eq!(search_key("مُحَمَّد"), "محمد");
        assert_eq!(search_key("  Pars   TEJARAT "), "pars tejarat");
    }
}
