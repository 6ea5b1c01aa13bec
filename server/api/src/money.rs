//! Exact money: integer minor units and a currency, parsed from and printed as decimal strings.
//!
//! A float never touches money. `"12.50"` EUR is stored as 1250 minor units because EUR has two
//! decimals; JPY has none and KWD three (ISO 4217 exponents). A string with more decimals than
//! the currency has is refused rather than rounded, and so is anything that is not a plain
//! decimal (`1e3`, `+5`, ` 5`, `5.`, `.5`, `1,000`).

use std::fmt;
use std::str::FromStr;

/// Largest magnitude of an amount, in minor units (10^12: ten billion euros). Keeps every sum of
/// up to a million amounts inside an `i64`.
pub const MAX_MINOR_UNITS: i64 = 1_000_000_000_000;

/// A currency money can be recorded in: an ISO 4217 code with a minor-unit exponent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    iso: iso_currency::Currency,
    exponent: u8,
}

impl Currency {
    /// The three-letter code, such as `EUR`.
    pub fn code(self) -> &'static str {
        self.iso.code()
    }

    /// Digits after the decimal point: 0 for JPY, 2 for EUR, 3 for KWD.
    pub fn exponent(self) -> u8 {
        self.exponent
    }
}

impl FromStr for Currency {
    type Err = String;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(format!(
                "{code:?} is not an ISO 4217 code such as \"EUR\" (three capital letters)"
            ));
        }
        let iso = iso_currency::Currency::from_code(code)
            .ok_or_else(|| format!("{code} is not an ISO 4217 currency"))?;
        let exponent = iso
            .exponent()
            .and_then(|e| u8::try_from(e).ok())
            .filter(|e| *e <= 4)
            .ok_or_else(|| {
                format!(
                    "{code} has no minor unit (precious metals, test codes): amounts cannot be recorded in it"
                )
            })?;
        Ok(Self { iso, exponent })
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An amount of money: integer minor units of a currency. Negative amounts are refunds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    /// Parses a decimal string in `currency`; the error says what is wrong.
    pub fn parse(amount: &str, currency: Currency) -> Result<Self, String> {
        let minor = parse_scaled(amount, currency.exponent()).map_err(|problem| match problem {
            ScaledError::TooManyDecimals => match currency.exponent() {
                0 => format!("{currency} has no minor unit: give a whole number, such as \"1200\""),
                n => format!("{currency} has {n} decimals: \"{amount}\" has more"),
            },
            other => other.to_string(),
        })?;
        Self::from_minor(minor, currency)
    }

    /// Money from minor units, checked against [`MAX_MINOR_UNITS`].
    pub fn from_minor(minor: i64, currency: Currency) -> Result<Self, String> {
        if minor.unsigned_abs() > MAX_MINOR_UNITS.unsigned_abs() {
            return Err(format!(
                "is larger than this tracker records (at most {} {currency})",
                format_minor(MAX_MINOR_UNITS, currency.exponent())
            ));
        }
        Ok(Self { minor, currency })
    }

    /// Money as a store keeps it: minor units and a currency code (surrounding spaces allowed,
    /// as fixed-width columns pad it). An unknown code or an amount out of range is an error,
    /// never a guessed number of decimals.
    pub fn from_code(minor: i64, code: &str) -> Result<Self, String> {
        Self::from_minor(minor, code.trim().parse()?)
    }

    pub fn minor(self) -> i64 {
        self.minor
    }

    pub fn currency(self) -> Currency {
        self.currency
    }

    /// The decimal string with exactly the currency's number of decimals: `"12.50"`, `"1200"`.
    pub fn amount(self) -> String {
        format_minor(self.minor, self.currency.exponent())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount(), self.currency)
    }
}

/// Why a decimal string was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaledError {
    NotADecimal,
    TooManyDecimals,
    TooLarge,
}

impl fmt::Display for ScaledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ScaledError::NotADecimal => "must be a decimal number such as \"12.50\" or \"-3\" (a refund)",
            ScaledError::TooManyDecimals => "has too many decimals",
            ScaledError::TooLarge => "is too large",
        })
    }
}

/// Parses a plain decimal string into an integer scaled by 10^`scale`: `("12.5", 2)` → 1250.
/// Refuses more than `scale` decimals instead of rounding.
pub fn parse_scaled(text: &str, scale: u8) -> Result<i64, ScaledError> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !is_digits(whole) || fraction.is_some_and(|f| !is_digits(f)) {
        return Err(ScaledError::NotADecimal);
    }
    let fraction = fraction.unwrap_or("");
    if fraction.len() > usize::from(scale) {
        return Err(ScaledError::TooManyDecimals);
    }
    let mut value: i64 = 0;
    for byte in whole.bytes().chain(fraction.bytes()) {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(byte - b'0')))
            .ok_or(ScaledError::TooLarge)?;
    }
    for _ in fraction.len()..usize::from(scale) {
        value = value.checked_mul(10).ok_or(ScaledError::TooLarge)?;
    }
    Ok(if negative { -value } else { value })
}

/// Formats minor units with `exponent` decimals: `(1250, 2)` → `"12.50"`, `(-5, 3)` → `"-0.005"`.
pub fn format_minor(minor: i64, exponent: u8) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let magnitude = minor.unsigned_abs();
    if exponent == 0 {
        return format!("{sign}{magnitude}");
    }
    let divisor = 10u64.pow(u32::from(exponent));
    format!(
        "{sign}{}.{:0width$}",
        magnitude / divisor,
        magnitude % divisor,
        width = usize::from(exponent)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn currency(code: &str) -> Currency {
        code.parse().unwrap()
    }

    #[test]
    fn exponents_follow_iso_4217() {
        assert_eq!(currency("JPY").exponent(), 0);
        assert_eq!(currency("EUR").exponent(), 2);
        assert_eq!(currency("KWD").exponent(), 3);
        assert!("eur".parse::<Currency>().is_err());
        assert!("ABC".parse::<Currency>().is_err());
        assert!("XAU".parse::<Currency>().unwrap_err().contains("no minor unit"));
    }

    #[test]
    fn amounts_parse_exactly() {
        let check = |amount: &str, code: &str, minor: i64, printed: &str| {
            let money = Money::parse(amount, currency(code)).unwrap();
            assert_eq!(money.minor(), minor, "{amount} {code}");
            assert_eq!(money.amount(), printed);
        };
        check("12.50", "EUR", 1250, "12.50");
        check("12.5", "EUR", 1250, "12.50");
        check("12", "EUR", 1200, "12.00");
        check("-3.99", "EUR", -399, "-3.99");
        check("0.01", "EUR", 1, "0.01");
        check("-0.005", "KWD", -5, "-0.005");
        check("1200", "JPY", 1200, "1200");
        check("007.10", "EUR", 710, "7.10");
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "", "-", "12.", ".5", "+5", " 5", "5 ", "1e3", "1,000", "12.5.0", "NaN", "--1", "0x10", "١٢",
        ] {
            assert!(
                Money::parse(bad, currency("EUR")).is_err(),
                "{bad:?} was accepted"
            );
        }
        assert!(
            Money::parse("12.345", currency("EUR"))
                .unwrap_err()
                .contains("EUR has 2 decimals")
        );
        assert!(
            Money::parse("12.5", currency("JPY"))
                .unwrap_err()
                .contains("whole number")
        );
        assert!(
            Money::parse("10000000000.01", currency("EUR"))
                .unwrap_err()
                .contains("at most")
        );
        assert!(Money::parse("99999999999999999999999", currency("EUR")).is_err());
    }

    /// Hostile input (docs/security.md): cheap cases, so 10,000 a property. XorShift, because the
    /// default ChaCha generator is several times slower in unoptimised test builds.
    fn config() -> proptest::test_runner::Config {
        proptest::test_runner::Config {
            cases: 10_000,
            rng_algorithm: proptest::test_runner::RngAlgorithm::XorShift,
            ..proptest::test_runner::Config::default()
        }
    }

    /// What a correct parser answers for `text` in a currency of `exponent` decimals, computed
    /// independently: the minor units of a plain ASCII decimal (optional leading `-`, digits,
    /// optionally `.` and 1 to `exponent` digits) within [`MAX_MINOR_UNITS`], and `None` for
    /// anything else. Inputs are at most 30 characters, so `i128` cannot overflow.
    fn oracle(text: &str, exponent: u8) -> Option<i64> {
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !digits(whole) || (body.contains('.') && !digits(fraction)) {
            return None;
        }
        if fraction.len() > usize::from(exponent) {
            return None;
        }
        let padded = format!("{whole}{fraction:0<width$}", width = usize::from(exponent));
        let magnitude: i128 = padded.parse().ok()?;
        if magnitude > i128::from(MAX_MINOR_UNITS) {
            return None;
        }
        let magnitude = i64::try_from(magnitude).ok()?;
        Some(if negative { -magnitude } else { magnitude })
    }

    /// A currency of each exponent the tracker records: 0, 2 and 3.
    fn any_currency() -> impl proptest::strategy::Strategy<Value = Currency> {
        proptest::sample::select(vec!["JPY", "EUR", "KWD"]).prop_map(currency)
    }

    /// Text made of what amounts are made of, and of what they must not contain: signs,
    /// exponents, separators, spaces and non-ASCII digits.
    const AMOUNT_LIKE: &str = "[-+0-9.,eE _\\x{0660}-\\x{0669}\\x{FF10}-\\x{FF19}\\x{0966}]{0,30}";

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(config())]

        /// Any string at all: an answer, never a panic.
        #[test]
        fn any_string_is_answered_without_panicking(
            text in proptest::collection::vec(any::<char>(), 0..64).prop_map(String::from_iter),
            currency in any_currency(),
        ) {
            let _ = Money::parse(&text, currency);
            for scale in 0..=6 {
                let _ = parse_scaled(&text, scale);
            }
        }

        /// The parser accepts exactly the plain decimals with at most the currency's decimals
        /// and at most `MAX_MINOR_UNITS`, with the exact value; everything else is refused.
        #[test]
        fn accepts_exactly_plain_decimals(text in AMOUNT_LIKE, currency in any_currency()) {
            let parsed = Money::parse(&text, currency).ok().map(Money::minor);
            prop_assert_eq!(parsed, oracle(&text, currency.exponent()), "{:?} in {}", text, currency);
        }

        /// Formatting then parsing gives the same minor units, for exponents 0, 2 and 3.
        #[test]
        fn format_and_parse_round_trip(
            currency in any_currency(),
            minor in -MAX_MINOR_UNITS..=MAX_MINOR_UNITS,
        ) {
            let money = Money::from_minor(minor, currency).unwrap();
            let text = money.amount();
            let parsed = Money::parse(&text, currency).unwrap();
            prop_assert_eq!(parsed, money);
            prop_assert_eq!(parsed.amount(), text);
        }

        /// A generated valid amount (leading zeros, fewer decimals than allowed, a minus) parses
        /// to its value, and prints in the canonical form with exactly the currency's decimals.
        #[test]
        fn valid_text_parses_and_prints_canonically(
            currency in any_currency(),
            negative in any::<bool>(),
            zeros in 0usize..3,
            whole in 0i64..=MAX_MINOR_UNITS / 1000,
            fraction in 0u32..1000,
            decimals in 0u8..=3,
        ) {
            let decimals = decimals.min(currency.exponent());
            let fraction = fraction % 10u32.pow(u32::from(decimals));
            let mut text = format!("{}{}{whole}", if negative { "-" } else { "" }, "0".repeat(zeros));
            if decimals > 0 {
                text.push_str(&format!(".{fraction:0width$}", width = usize::from(decimals)));
            }
            let scale = 10i64.pow(u32::from(currency.exponent()));
            let unit = 10i64.pow(u32::from(currency.exponent() - decimals));
            let magnitude = whole * scale + i64::from(fraction) * unit;
            let money = Money::parse(&text, currency).unwrap();
            prop_assert_eq!(money.minor(), if negative { -magnitude } else { magnitude });
            prop_assert_eq!(money.amount(), format_minor(money.minor(), currency.exponent()));
            prop_assert_eq!(Money::parse(&money.amount(), currency).unwrap(), money);
        }

        /// More decimals than the currency has: refused, never rounded.
        #[test]
        fn too_many_decimals_are_refused(
            currency in any_currency(),
            whole in 0u32..1_000_000,
            extra in 1usize..6,
            digit in 1u8..=9,
        ) {
            let decimals = usize::from(currency.exponent()) + extra;
            let text = format!("{whole}.{}{digit}", "0".repeat(decimals - 1));
            prop_assert!(Money::parse(&text, currency).is_err(), "{:?} accepted", text);
        }

        /// A sign anywhere but first, a second sign, an exponent, a separator, a space or a
        /// non-ASCII digit inside a valid amount: refused.
        #[test]
        fn malformed_amounts_are_refused(
            currency in any_currency(),
            minor in -MAX_MINOR_UNITS..=MAX_MINOR_UNITS,
            position in any::<proptest::sample::Index>(),
            intruder in proptest::sample::select(vec![
                "+", "-", "e3", "E-2", ",", " ", "_", "\u{0663}", "\u{FF13}", "\u{0969}", "..", "\u{00A0}",
            ]),
        ) {
            let valid = format_minor(minor, currency.exponent());
            let at = position.index(valid.len() + 1);
            let text = format!("{}{intruder}{}", &valid[..at], &valid[at..]);
            // A `-` put first on a positive amount is a valid refund; anything else is refused.
            prop_assume!(oracle(&text, currency.exponent()).is_none());
            prop_assert!(Money::parse(&text, currency).is_err(), "{:?} accepted", text);
        }

        /// Past `MAX_MINOR_UNITS`, up to far past `i64`: refused as too large, never wrapped.
        #[test]
        fn huge_amounts_are_refused_not_wrapped(
            currency in any_currency(),
            digits in "[1-9][0-9]{13,40}",
            negative in any::<bool>(),
        ) {
            let text = format!("{}{digits}", if negative { "-" } else { "" });
            let error = Money::parse(&text, currency).unwrap_err();
            prop_assert!(error.contains("larger") || error.contains("too large"), "{}", error);
            // Unscaled, the parser agrees with the standard library on where `i64` ends.
            prop_assert_eq!(parse_scaled(&digits, 0).ok(), digits.parse::<i64>().ok());
        }
    }

    #[test]
    fn the_edges_of_i64_are_refused_not_wrapped() {
        for text in [
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "92233720368547758.08",
            "18446744073709551616",
            "1000000000000.001",
        ] {
            for code in ["JPY", "EUR", "KWD"] {
                assert!(Money::parse(text, currency(code)).is_err(), "{text} {code}");
            }
        }
        assert_eq!(parse_scaled("9223372036854775807", 0), Ok(i64::MAX));
        assert_eq!(parse_scaled("9223372036854775808", 0), Err(ScaledError::TooLarge));
        assert_eq!(
            parse_scaled("922337203685477580.8", 2),
            Err(ScaledError::TooLarge)
        );
        assert_eq!(
            Money::parse("10000000000.00", currency("EUR")).unwrap().minor(),
            MAX_MINOR_UNITS
        );
        assert_eq!(
            Money::parse("-1000000000000", currency("JPY")).unwrap().minor(),
            -MAX_MINOR_UNITS
        );
    }
}
