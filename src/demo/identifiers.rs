//! National codes, company ids, digits and the dates of the Iranian calendar the generator needs.

use chrono::NaiveDate;

use crate::domain::iran;

/// Walks 0..modulus in a scrambled order without repeats (`stride` is coprime to `modulus`).
pub(super) struct Unique {
    pub(super) value: u64,
    pub(super) modulus: u64,
    pub(super) stride: u64,
}

impl Unique {
    pub(super) fn new(start: u64, modulus: u64, stride: u64) -> Unique {
        Unique {
            value: start % modulus,
            modulus,
            stride,
        }
    }

    pub(super) fn next(&mut self) -> u64 {
        self.value = (self.value + self.stride) % self.modulus;
        self.value
    }
}

fn digits_of<const N: usize>(mut value: u64) -> [u8; N] {
    let mut out = [0u8; N];
    for d in out.iter_mut().rev() {
        *d = (value % 10) as u8;
        value /= 10;
    }
    out
}

fn digits_text(digits: &[u8]) -> String {
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

/// The next unused valid national code.
pub(super) fn national_code(codes: &mut Unique) -> String {
    loop {
        let first: [u8; 9] = digits_of(codes.next());
        let code = format!(
            "{}{}",
            digits_text(&first),
            iran::national_code_check_digit(&first)
        );
        // Codes of one repeated digit are invalid however their check digit comes out.
        if iran::is_valid_national_code(&code) {
            return code;
        }
    }
}

/// The next unused valid company national ID (they start with 10, as issued ones do).
pub(super) fn company_national_id(ids: &mut Unique) -> String {
    let rest: [u8; 8] = digits_of(ids.next());
    let mut first = [0u8; 10];
    first[0] = 1;
    first[2..].copy_from_slice(&rest);
    format!(
        "{}{}",
        digits_text(&first),
        iran::company_national_id_check_digit(&first)
    )
}

/// An amount rounded down to whole millions of rials, at least one million.
pub(super) fn whole_millions(rials: i64) -> i64 {
    (rials / 1_000_000).max(1) * 1_000_000
}

pub(super) fn persian_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32('۰' as u32 + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

pub(super) fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
}

/// The Jalali (Solar Hijri) year a day falls in: the year case and complaint numbers carry, as
/// the store numbers them.
pub(super) fn jalali_year(day: NaiveDate) -> i32 {
    crate::store::numbers::jalali_year(day)
}

/// 1 Farvardin of a Jalali year (approximately; see `jalali_year`).
pub(super) fn nowruz(year: i32) -> NaiveDate {
    ymd(year + 621, 3, 21)
}

/// 1 Mehr, the first day of the second half of a Jalali year (approximately).
pub(super) fn mehr_first(year: i32) -> NaiveDate {
    ymd(year + 621, 9, 23)
}
