//! Iranian identifiers: the 10-digit national code (kod-e melli) of a person and the 11-digit
//! national ID (shenase-ye melli) of a legal entity, each ending in a check digit. Validation is
//! `rust-persian-tools`'; the check-digit functions here make valid identifiers (demo data, tests)
//! and are tested against it.

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

/// Whether `code` (any digit script) is a valid national code.
pub fn is_valid_national_code(code: &str) -> bool {
    let Some(d) = digits::<10>(&ascii_digits(code)) else {
        return false;
    };
    if d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let first: [u8; 9] = d[..9].try_into().unwrap_or([0; 9]);
    national_code_check_digit(&first) == d[9]
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

/// Whether `id` (any digit script) is a valid company national ID.
pub fn is_valid_company_national_id(id: &str) -> bool {
    let Some(d) = digits::<11>(&ascii_digits(id)) else {
        return false;
    };
    let first: [u8; 10] = d[..10].try_into().unwrap_or([0; 10]);
    company_national_id_check_digit(&first) == d[10]
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
