//! Text rules for data people type: control characters stripped, digit scripts unified and Persian
//! letter variants folded, so that search and duplicate checks find what the user means.

/// A one-line text as it is stored: control characters out, trimmed.
pub fn clean_line(text: &str) -> String {
    strip_controls(text, false).trim().to_string()
}

/// A longer text as it is stored (line breaks kept), `None` when blank.
pub fn clean_text(text: Option<&str>) -> Option<String> {
    text.map(|t| strip_controls(t, true).trim().to_string())
        .filter(|t| !t.is_empty())
}

/// Removes control characters (escape sequences included) but keeps line breaks and tabs when
/// `multiline` is set.
pub fn strip_controls(text: &str, multiline: bool) -> String {
    text.chars()
        .filter(|&c| !c.is_control() || (multiline && (c == '\n' || c == '\t')))
        .collect()
}

/// Text fit to print on one line of a terminal: control characters (escape sequences included)
/// and the invisible marks that reorder a line (bidi overrides, embeddings and isolates) are
/// dropped, so that quoted text cannot move the cursor, set the clipboard or make the rest of a
/// line read backwards.
pub fn printable(text: &str) -> String {
    text.chars()
        .filter(|&c| !c.is_control() && !is_bidi_control(c))
        .collect()
}

/// Whether `c` is one of the marks that reorder a line of text.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
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

/// Whether `text` has the shape of an email address: one `@` with something before it, a domain
/// with a dot inside it after it, and no spaces.
pub fn is_email(text: &str) -> bool {
    if text.chars().any(char::is_whitespace) {
        return false;
    }
    let mut parts = text.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty() && is_host(domain)
}

/// Whether `text` has the shape of a web address: an optional `http://` or `https://`, a host
/// with a dot inside it (and maybe a port), then anything after a `/`, `?` or `#`; no spaces.
pub fn is_web_address(text: &str) -> bool {
    if text.chars().any(char::is_whitespace) {
        return false;
    }
    let lower = text.to_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => host,
        Some(_) => return false,
        None => authority,
    };
    is_host(host)
}

/// A host name: at least two names separated by single dots, none of them empty.
fn is_host(host: &str) -> bool {
    let mut labels = 0;
    for label in host.split('.') {
        if label.is_empty() {
            return false;
        }
        labels += 1;
    }
    labels >= 2
}

/// The words a search box's text asks for, after [`search_key`]: a text matches when it holds
/// every one of them.
pub fn search_words(search: &str) -> Vec<String> {
    search_key(search)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// A word of a search as a `LIKE` pattern: `%word%`, with `%`, `_` and `\` in it escaped by `\`
/// so that typed text matches itself (`LIKE … ESCAPE '\'`).
pub fn like_pattern(word: &str) -> String {
    let mut pattern = String::with_capacity(word.len() + 2);
    pattern.push('%');
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The fewest characters a word needs to be looked up in a trigram index: a shorter one holds
/// no trigram.
const TRIGRAM: usize = 3;

/// Whether `word` is long enough to be looked up in a trigram index.
pub fn has_trigram(word: &str) -> bool {
    word.chars().nth(TRIGRAM - 1).is_some()
}

/// An FTS5 query, for a table with the `trigram` tokenizer, that finds the texts holding every
/// one of `words` of at least [`TRIGRAM`] characters: each such word as an FTS5 string (in double
/// quotes, a double quote in it doubled), which the trigram tokenizer matches anywhere in a text,
/// as `LIKE '%word%'` does. `None` when no word is that long; shorter words are left out, to be
/// matched otherwise.
pub fn trigram_query<S: AsRef<str>>(words: &[S]) -> Option<String> {
    let strings: Vec<String> = words
        .iter()
        .map(AsRef::as_ref)
        .filter(|w| has_trigram(w))
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    (!strings.is_empty()).then(|| strings.join(" "))
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

    #[test]
    fn email_shapes() {
        for good in [
            "ali@example.com",
            "a.b+c@mail.example.ir",
            "info@شرکت.ایران",
        ] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "ali",
            "@example.com",
            "ali@example",
            "ali@@example.com",
            "ali@exa@mple.com",
            "ali @example.com",
            "ali@.example.com",
            "ali@example.com.",
            "ali@example..com",
            "",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn web_address_shapes() {
        for good in [
            "example.com",
            "www.example.com",
            "https://example.com",
            "HTTP://Example.com/path?q=1#top",
            "shop.example.ir:8080/x",
            "پارس.ایران",
        ] {
            assert!(is_web_address(good), "{good}");
        }
        for bad in [
            "example",
            "https://",
            "ftp://example.com",
            "exa mple.com",
            "example.com:port",
            ".example.com",
            "example..com",
            "",
        ] {
            assert!(!is_web_address(bad), "{bad}");
        }
    }

    #[test]
    fn search_words_become_escaped_like_patterns() {
        let patterns: Vec<String> = search_words("  علي  50%_off ")
            .iter()
            .map(|w| like_pattern(w))
            .collect();
        assert_eq!(patterns, ["%علی%", "%50\\%\\_off%"]);
        assert!(search_words("   ").is_empty());
    }

    #[test]
    fn search_words_of_three_characters_or_more_become_a_trigram_query() {
        assert_eq!(search_words(" علي  Ab\u{200c}c "), ["علی", "ab", "c"]);
        assert_eq!(
            trigram_query(&search_words("علي ab 0912 a\"b\"c")),
            Some("\"علی\" \"0912\" \"a\"\"b\"\"c\"".to_string())
        );
        // Characters, not bytes: a Persian letter takes two bytes.
        assert!(has_trigram("abc") && has_trigram("محم") && !has_trigram("مح"));
        assert_eq!(trigram_query(&search_words("ab مح 9")), None);
        assert_eq!(trigram_query::<String>(&[]), None);
    }
}
