//! Prices: an ISO 4217 currency and an exact amount in minor units, so `50.00 QAR` never
//! becomes `49.999999`. The currency table is written here rather than pulled from a crate
//! because planguide needs only the code list and each currency's number of decimals.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// Active ISO 4217 codes (2024 list) whose minor unit is 2 decimals.
const TWO_DECIMALS: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB \
BRL BSD BTN BWP BYN BZD CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP \
GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP \
LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB \
PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL \
THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWG";
/// Codes without minor units.
const ZERO_DECIMALS: &str = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
/// Codes with three decimals.
const THREE_DECIMALS: &str = "BHD IQD JOD KWD LYD OMR TND";

/// A validated ISO 4217 currency code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency {
    code: [u8; 3],
    decimals: u8,
}

impl Currency {
    /// Looks up a code such as `QAR`; unknown or lowercase codes are rejected.
    pub fn parse(code: &str) -> Result<Currency, String> {
        let bytes: [u8; 3] = code
            .as_bytes()
            .try_into()
            .map_err(|_| format!("`{code}` is not a three-letter ISO 4217 currency code"))?;
        let listed = |table: &str| table.split_ascii_whitespace().any(|c| c == code);
        let decimals = if listed(TWO_DECIMALS) {
            2
        } else if listed(ZERO_DECIMALS) {
            0
        } else if listed(THREE_DECIMALS) {
            3
        } else {
            return Err(format!(
                "`{code}` is not an ISO 4217 currency code (use upper case, e.g. QAR, JPY, THB)"
            ));
        };
        Ok(Currency {
            code: bytes,
            decimals,
        })
    }

    /// The three-letter code.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// Number of decimals in the currency's minor unit.
    pub fn decimals(&self) -> u8 {
        self.decimals
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An exact price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Price {
    /// Amount in minor units (cents, dirhams…): `50.00 QAR` is 5000.
    pub minor_units: i64,
    /// Currency of the amount.
    pub currency: Currency,
}

impl Price {
    /// Parses a decimal amount for a currency, refusing more decimals than it has.
    pub fn parse(amount: &str, currency: Currency) -> Result<Price, String> {
        let amount = amount.trim();
        let invalid = || format!("`{amount}` is not a price amount such as \"50.00\"");
        let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) {
            return Err(invalid());
        }
        let decimals = usize::from(currency.decimals());
        if fraction.len() > decimals {
            return Err(format!(
                "`{amount}` has more decimals than {currency} allows ({decimals})"
            ));
        }
        let padded = format!("{whole}{fraction:0<decimals$}");
        let minor_units = padded.parse::<i64>().map_err(|_| invalid())?;
        Ok(Price {
            minor_units,
            currency,
        })
    }

    /// The amount with the currency's decimals and `grouping` between thousands, e.g.
    /// `1,234.50`; the currency code is added by the caller's localized pattern.
    pub fn format_amount(&self, grouping: char, decimal: char) -> String {
        let scale = 10_i64.pow(u32::from(self.currency.decimals()));
        let whole = (self.minor_units / scale).to_string();
        let mut grouped = String::new();
        for (index, digit) in whole.chars().enumerate() {
            if index > 0 && (whole.len() - index).is_multiple_of(3) {
                grouped.push(grouping);
            }
            grouped.push(digit);
        }
        if self.currency.decimals() > 0 {
            let width = usize::from(self.currency.decimals());
            grouped.push(decimal);
            grouped.push_str(&format!("{:0width$}", self.minor_units % scale));
        }
        grouped
    }

    /// The amount as a plain decimal string (`50.00`), for machine-readable output.
    pub fn plain_amount(&self) -> String {
        self.format_amount('\0', '.').replace('\0', "")
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Currency::parse(&code).map_err(de::Error::custom)
    }
}

/// An amount as editors write it: `"50.00"` (preferred) or a bare YAML number.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AmountText {
    /// Quoted decimal.
    Text(String),
    /// Unquoted integer.
    Integer(u64),
    /// Unquoted decimal (YAML floats lose trailing zeros but not value).
    Float(f64),
}

impl AmountText {
    /// The amount as decimal text.
    pub fn as_text(&self) -> String {
        match self {
            AmountText::Text(text) => text.clone(),
            AmountText::Integer(n) => n.to_string(),
            AmountText::Float(f) => format!("{f}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(amount: &str, code: &str) -> Result<Price, String> {
        Price::parse(amount, Currency::parse(code)?)
    }

    #[test]
    fn can_parse_per_currency_decimals() {
        assert_eq!(price("50", "QAR").unwrap().minor_units, 5000);
        assert_eq!(price("50.5", "QAR").unwrap().minor_units, 5050);
        assert_eq!(price("3000", "JPY").unwrap().minor_units, 3000);
        assert_eq!(price("1.250", "KWD").unwrap().minor_units, 1250);
    }

    #[test]
    fn errors_when_amount_or_code_is_wrong() {
        assert!(price("30.5", "JPY").is_err());
        assert!(price("-1", "QAR").is_err());
        assert!(price("1e3", "QAR").is_err());
        assert!(price("5", "qar").is_err());
        assert!(price("5", "ABC").is_err());
    }

    #[test]
    fn formats_with_grouping() {
        assert_eq!(
            price("1234567.5", "THB").unwrap().format_amount(',', '.'),
            "1,234,567.50"
        );
        assert_eq!(
            price("3000", "JPY").unwrap().format_amount(',', '.'),
            "3,000"
        );
        assert_eq!(price("3000", "JPY").unwrap().plain_amount(), "3000");
    }
}
