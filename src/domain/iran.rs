//! Iranian identifiers: the 10-digit national code (kod-e melli) of a person and the 11-digit
//! national ID (shenase-ye melli) of a legal entity, each ending in a check digit.

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
        // Published examples of valid codes, and the same with a wrong check digit.
        for good in [
            "0499370899",
            "0790419904",
            "0084575948",
            "0013542419",
            "۰۴۹۹۳۷۰۸۹۹",
        ] {
            assert!(is_valid_national_code(good), "{good}");
        }
        for bad in [
            "0499370898",
            "1111111111",
            "049937089",
            "04993708990",
            "04993a0899",
            "",
        ] {
            assert!(!is_valid_national_code(bad), "{bad}");
        }
    }

    #[test]
    fn company_national_ids() {
        for good in ["10380284790", "10100387808", "14007650912"] {
            assert!(is_valid_company_national_id(good), "{good}");
        }
        for bad in ["10380284791", "1038028479", "103802847900"] {
            assert!(!is_valid_company_national_id(bad), "{bad}");
        }
    }
}
