//! An exchange rate as an exact decimal: an integer mantissa and a number of decimals, never a
//! float. Parsed once from the decimal string a user or the ECB wrote, printed back as written.

use std::fmt;

use crate::money::{ScaledError, format_minor, parse_scaled};
use crate::rates::MAX_RATE_DECIMALS;

/// A positive exact rate: `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rate {
    mantissa: i64,
    scale: u8,
}

impl Rate {
    /// Parses a plain positive decimal string (`"0.9245"`, `"157"`); the error says what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let decimals = text.split_once('.').map_or(0, |(_, fraction)| fraction.len());
        if decimals > usize::from(MAX_RATE_DECIMALS) {
            return Err(format!(
                "has {decimals} decimals; a rate has at most {MAX_RATE_DECIMALS}"
            ));
        }
        let scale = decimals as u8;
        let mantissa = parse_scaled(text, scale).map_err(|problem| match problem {
            ScaledError::TooLarge => "has too many digits for a rate".to_owned(),
            _ => "must be a positive decimal such as \"0.9245\" or \"157.3\"".to_owned(),
        })?;
        Self::from_parts(mantissa, scale)
    }

    /// A rate as a store keeps it; refuses what could not have been written.
    pub fn from_parts(mantissa: i64, scale: u8) -> Result<Self, String> {
        if mantissa <= 0 {
            return Err("must be more than zero: one unit of a currency is worth something".into());
        }
        if scale > MAX_RATE_DECIMALS {
            return Err(format!("has more than {MAX_RATE_DECIMALS} decimals"));
        }
        Ok(Self { mantissa, scale })
    }

    /// The digits, without the decimal point.
    pub fn mantissa(self) -> i64 {
        self.mantissa
    }

    /// How many of the digits are decimals.
    pub fn scale(self) -> u8 {
        self.scale
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_minor(self.mantissa, self.scale))
    }
}

#[cfg(test)]
mod tests {
    use super::Rate;

    #[test]
    fn rates_print_as_written() {
        for text in ["0.9245", "157.10", "1", "0.000001", "17045.44"] {
            assert_eq!(Rate::parse(text).unwrap().to_string(), text);
        }
        let rate = Rate::parse("1.0876").unwrap();
        assert_eq!((rate.mantissa(), rate.scale()), (10876, 4));
    }

    #[test]
    fn what_is_not_a_positive_decimal_is_refused() {
        for text in ["0", "0.000", "-1.2", "1e3", "", "1,5", ".5", "5.", " 1", "N/A"] {
            assert!(Rate::parse(text).is_err(), "{text:?} was accepted");
        }
        assert!(Rate::parse("0.1234567890123").unwrap_err().contains("at most 12"));
        assert!(
            Rate::parse("12345678901234567890")
                .unwrap_err()
                .contains("too many digits")
        );
    }
}
