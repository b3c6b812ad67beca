//! Iranian identifiers: the 10-digit national code (kod-e melli) of a person and the 11-digit
//! national ID (shenase-ye melli) of a legal entity, each ending in a check digit. Validation is
//! `rust-persian-tools`'; the check-digit functions here make valid identifiers (demo data, tests)
//! and are tested against it. Phone and mobile numbers are brought to the one national form they
//! are stored in.

use super::text::ascii_digits;

/// The check digit of a national code's first nine digits.
pub fn national_code_check_digit(first_nine: &[u8; 9]) -> u8 {
    let sum: u32 = first_nine
        .iter()
        .enumerate()
        .map(|(i, &d)| u32::from(d) * (10 - i as u32))
        .sum();
    let r = (sum % 11) as u8;
    if r < 2 { r } else { 11 - r }
}

/// Whether `code` (any digit script) is a valid national code: ten digits (the form it is
/// stored in), valid to `rust-persian-tools`.
pub fn is_valid_national_code(code: &str) -> bool {
    let ascii = ascii_digits(code);
    digits::<10>(&ascii).is_some()
        && rust_persian_tools::national_id::verify_iranian_national_id(&ascii).is_ok()
}

const COMPANY_WEIGHTS: [u32; 10] = [29, 27, 23, 19, 17, 29, 27, 23, 19, 17];

/// The check digit of a company national ID's first ten digits.
pub fn company_national_id_check_digit(first_ten: &[u8; 10]) -> u8 {
    let decimal = u32::from(first_ten[9]) + 2;
    let sum: u32 = first_ten
        .iter()
        .zip(COMPANY_WEIGHTS)
        .map(|(&d, w)| (u32::from(d) + decimal) * w)
        .sum();
    ((sum % 11) % 10) as u8
}

/// Whether `id` (any digit script) is a valid company national ID, to `rust-persian-tools`.
pub fn is_valid_company_national_id(id: &str) -> bool {
    let ascii = ascii_digits(id);
    digits::<11>(&ascii).is_some()
        && rust_persian_tools::legal_id::verify_iranian_legal_id(&ascii).is_ok()
}

/// Why a typed phone number cannot be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneError {
    /// Something other than digits, separators and a leading `+`: the character found.
    NotDigits(char),
    /// Digits, but not a number of the kind asked for.
    Shape,
}

/// A typed number with what people put between digits dropped (spaces of every kind, dashes,
/// dots, slashes, parentheses, direction marks) and every digit script as ASCII.
pub fn compact_number(text: &str) -> String {
    ascii_digits(text)
        .chars()
        .filter(|&c| {
            !(c.is_whitespace()
                || matches!(
                    c,
                    '-' | '\u{2010}'..='\u{2015}' | '.' | '/' | '(' | ')' | '\u{200b}'..='\u{200f}'
                        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}'
                ))
        })
        .collect()
}

/// The first character of `text` that is not an ASCII digit (a leading `+` allowed when
/// `plus`).
pub fn first_non_digit(text: &str, plus: bool) -> Option<char> {
    let body = if plus {
        text.strip_prefix('+').unwrap_or(text)
    } else {
        text
    };
    body.chars().find(|c| !c.is_ascii_digit())
}

/// A phone or fax number in the one form it is stored in. Iranian numbers take their national
/// form: `+98 21 8888 7777`, `0098-21-88887777`, `(021) 8888-7777` and `2188887777` are all
/// `02188887777`; a local number without a city code (4 to 8 digits) stays as it is; a foreign
/// number is `+` and its digits.
pub fn normalise_phone(text: &str) -> Result<String, PhoneError> {
    let compact = compact_number(text);
    if let Some(c) = first_non_digit(&compact, true) {
        return Err(PhoneError::NotDigits(c));
    }
    let (plus, digits) = match compact.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    let international = if plus {
        Some(digits)
    } else {
        digits.strip_prefix("00")
    };
    let national = match international {
        Some(number) => match number.strip_prefix("98") {
            Some(rest) => format!("0{rest}"),
            None if (7..=15).contains(&number.len()) => return Ok(format!("+{number}")),
            None => return Err(PhoneError::Shape),
        },
        None if digits.len() == 12 && digits.starts_with("98") => format!("0{}", &digits[2..]),
        None if digits.len() == 10 && !digits.starts_with('0') => format!("0{digits}"),
        None => digits.to_string(),
    };
    let fits = if national.starts_with('0') {
        national.len() == 11 && !national.starts_with("00")
    } else {
        (4..=8).contains(&national.len())
    };
    if fits {
        Ok(national)
    } else {
        Err(PhoneError::Shape)
    }
}

/// An Iranian mobile number in its national form `09xxxxxxxxx`, however it was typed
/// (`+98 912 123 4567`, `0098-912-1234567`, `09121234567`, `9121234567`).
pub fn normalise_mobile(text: &str) -> Result<String, PhoneError> {
    let compact = compact_number(text);
    if let Some(c) = first_non_digit(&compact, true) {
        return Err(PhoneError::NotDigits(c));
    }
    let national = rust_persian_tools::phone_number::phone_number_normalizer(&compact, "0")
        .map_err(|_| PhoneError::Shape)?;
    if national.len() == 11
        && national.starts_with("09")
        && first_non_digit(&national, false).is_none()
    {
        Ok(national)
    } else {
        Err(PhoneError::Shape)
    }
}

fn digits<const N: usize>(text: &str) -> Option<[u8; N]> {
    let bytes = text.as_bytes();
    if bytes.len() != N || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut out = [0u8; N];
    for (o, b) in out.iter_mut().zip(bytes) {
        *o = b - b'0';
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_codes() {
        // The published examples, in two digit scripts, and the same with a wrong check digit.
        for good in [
            "3020588391",
            "0200203241",
            "0067749828",
            "0499370899",
            "۳۰۲۰۵۸۸۳۹۱",
        ] {
            assert!(is_valid_national_code(good), "{good}");
        }
        for bad in [
            "3020588392",
            "1111111111",
            "1230000000",
            "68415941",
            "30205883910",
            "30205a8391",
            "",
        ] {
            assert!(!is_valid_national_code(bad), "{bad}");
        }
    }

    #[test]
    fn company_national_ids() {
        for good in ["10380284790", "۱۰۳۸۰۲۸۴۷۹۰"] {
            assert!(is_valid_company_national_id(good), "{good}");
        }
        for bad in [
            "10380284791",
            "11111111111",
            "123000000",
            "103802847900",
            "00000000000",
        ] {
            assert!(!is_valid_company_national_id(bad), "{bad}");
        }
    }

    #[test]
    fn phones_of_every_spelling_store_alike() {
        for typed in [
            "+98 912 123 4567",
            "0098-912-1234567",
            "09121234567",
            "9121234567",
            "۰۹۱۲ ۱۲۳ ۴۵۶۷",
            "(0912) 123-4567",
            "989121234567",
        ] {
            assert_eq!(normalise_mobile(typed), Ok("09121234567".into()), "{typed}");
            assert_eq!(normalise_phone(typed), Ok("09121234567".into()), "{typed}");
        }
        for typed in [
            "+98 21 8888 7777",
            "0098 21 88887777",
            "(021) 8888-7777",
            "2188887777",
        ] {
            assert_eq!(normalise_phone(typed), Ok("02188887777".into()), "{typed}");
        }
        assert_eq!(normalise_phone("8888 7777"), Ok("88887777".into()));
        assert_eq!(
            normalise_phone("+1 (555) 123-4567"),
            Ok("+15551234567".into())
        );
        assert_eq!(
            normalise_phone("001 555 123 4567"),
            Ok("+15551234567".into())
        );
        assert_eq!(
            normalise_phone("0912 12x 4567"),
            Err(PhoneError::NotDigits('x'))
        );
        assert_eq!(normalise_phone("021 888"), Err(PhoneError::Shape));
        assert_eq!(normalise_phone("0218888777712"), Err(PhoneError::Shape));
        assert_eq!(normalise_mobile("021 8888 7777"), Err(PhoneError::Shape));
        assert_eq!(normalise_mobile("0912 123 456"), Err(PhoneError::Shape));
        assert_eq!(normalise_mobile("+1 555 123 4567"), Err(PhoneError::Shape));
        assert_eq!(
            normalise_mobile("0912-abc"),
            Err(PhoneError::NotDigits('a'))
        );
        assert_eq!(normalise_mobile("+"), Err(PhoneError::Shape));
    }

    #[test]
    fn made_check_digits_are_valid() {
        for n in 0..2_000u64 {
            let seed = n.wrapping_mul(2_654_435_761).wrapping_add(12_345);
            let mut nine = [0u8; 9];
            let mut ten = [0u8; 10];
            for (i, d) in nine.iter_mut().enumerate() {
                *d = ((seed >> (i * 3)) % 10) as u8;
            }
            for (i, d) in ten.iter_mut().enumerate() {
                *d = ((seed >> (i * 3 + 1)) % 10) as u8;
            }
            nine[3] = 1 + nine[3] % 9;
            ten[3] = 1 + ten[3] % 9;
            let code: String = nine
                .iter()
                .chain([national_code_check_digit(&nine)].iter())
                .map(|d| char::from(b'0' + d))
                .collect();
            let id: String = ten
                .iter()
                .chain([company_national_id_check_digit(&ten)].iter())
                .map(|d| char::from(b'0' + d))
                .collect();
            if !code
                .chars()
                .all(|c| c == code.chars().next().unwrap_or('x'))
            {
                assert!(is_valid_national_code(&code), "{code}");
            }
            assert!(is_valid_company_national_id(&id), "{id}");
        }
    }
}
