//! Whole numbers and money as people read and type them: thousands grouped with commas, any
//! digit script accepted, commas and spaces ignored on input. Money is a whole number of the
//! currency's smallest unit, never a float.

use super::text::ascii_digits;

/// `1234567` → `1,234,567`; negative numbers keep their sign.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Why typed text is not a whole number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    NotANumber,
    TooLarge,
}

/// Parses `1,250,000`, `۱۲۵۰۰۰۰`, `1 250 000` or `-5`.
pub fn parse_whole(text: &str) -> Result<i64, NumberError> {
    let cleaned: String = ascii_digits(text.trim())
        .chars()
        .filter(|c| !matches!(c, ',' | '٬' | '،' | ' ' | '_'))
        .collect();
    let (negative, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumberError::NotANumber);
    }
    let value: i64 = digits.parse().map_err(|_| NumberError::TooLarge)?;
    Ok(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(850_000_000), "850,000,000");
        assert_eq!(group_thousands(-1_234_567), "-1,234,567");
        assert_eq!(group_thousands(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn parsing() {
        assert_eq!(parse_whole("1,250,000"), Ok(1_250_000));
        assert_eq!(parse_whole("۱۲۵۰۰۰۰"), Ok(1_250_000));
        assert_eq!(parse_whole("١٢٥٬٠٠٠"), Ok(125_000));
        assert_eq!(parse_whole(" -5 "), Ok(-5));
        assert_eq!(parse_whole("12a"), Err(NumberError::NotANumber));
        assert_eq!(parse_whole(""), Err(NumberError::NotANumber));
        assert_eq!(
            parse_whole("99999999999999999999"),
            Err(NumberError::TooLarge)
        );
    }
}
