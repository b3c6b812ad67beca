//! Iranian identifiers: any text is checked and normalised without a panic; a normalised phone
//! or mobile number normalises to itself; validity does not depend on the digit script; and a
//! national code or company national ID made with the check-digit functions is valid.

#![no_main]

use libfuzzer_sys::fuzz_target;
use peygir::domain::iran;
use peygir::domain::locale::{self, Digits};

fn digits_text(digits: &[u8]) -> String {
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

/// The validator's rules besides the check digit: digits 4 to 9 are not all zero, and the code,
/// read as a number, is not one digit repeated.
fn national_code_may_be_valid(code: &str) -> bool {
    let number = code.trim_start_matches('0');
    code[3..9].bytes().any(|b| b != b'0')
        && !number.is_empty()
        && !number.bytes().all(|b| Some(b) == number.bytes().next())
}

/// The validator's rules besides the check digit: not all zero, and digits 4 to 9 not all zero.
fn company_id_may_be_valid(id: &str) -> bool {
    id[3..9].bytes().any(|b| b != b'0')
}

fn made(seed: &[u8]) {
    let mut digits = [0u8; 10];
    for (d, s) in digits
        .iter_mut()
        .zip(seed.iter().chain(std::iter::repeat(&0)))
    {
        *d = s % 10;
    }
    let nine: [u8; 9] = digits[..9].try_into().expect("nine digits");
    let code = format!(
        "{}{}",
        digits_text(&nine),
        iran::national_code_check_digit(&nine)
    );
    if national_code_may_be_valid(&code) {
        assert!(iran::is_valid_national_code(&code), "{code}");
    }
    let id = format!(
        "{}{}",
        digits_text(&digits),
        iran::company_national_id_check_digit(&digits)
    );
    if company_id_may_be_valid(&id) {
        assert!(iran::is_valid_company_national_id(&id), "{id}");
    }
}

fn typed(text: &str) {
    let persian = locale::localize_digits(text, Digits::Persian);
    let valid = iran::is_valid_national_code(text);
    assert_eq!(iran::is_valid_national_code(&persian), valid, "{text:?}");
    if valid {
        assert_eq!(text.chars().count(), 10, "{text:?}");
    }
    let valid = iran::is_valid_company_national_id(text);
    assert_eq!(
        iran::is_valid_company_national_id(&persian),
        valid,
        "{text:?}"
    );

    let compact = iran::compact_number(text);
    assert_eq!(iran::compact_number(&compact), compact, "{text:?}");

    let phone = iran::normalise_phone(text);
    assert_eq!(iran::normalise_phone(&persian), phone, "{text:?}");
    if let Ok(phone) = &phone {
        assert_eq!(iran::normalise_phone(phone).as_ref(), Ok(phone), "{text:?}");
        assert!(iran::first_non_digit(phone, true).is_none(), "{phone:?}");
    }
    let mobile = iran::normalise_mobile(text);
    assert_eq!(iran::normalise_mobile(&persian), mobile, "{text:?}");
    if let Ok(mobile) = &mobile {
        assert_eq!(
            iran::normalise_mobile(mobile).as_ref(),
            Ok(mobile),
            "{text:?}"
        );
        assert_eq!(
            iran::normalise_phone(mobile).as_ref(),
            Ok(mobile),
            "{text:?}"
        );
        assert!(mobile.len() == 11 && mobile.starts_with("09"), "{mobile:?}");
    }
}

fuzz_target!(|bytes: &[u8]| {
    made(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        typed(text);
    }
});
