//! Locale-aware formatting of dates, prices, data allowances and durations. The patterns come
//! from Fluent (`date-format`, `price-format`, `data-gb`, …) so translators own them; Rust
//! only supplies the numbers. A missing pattern falls back to a neutral ISO-style form.

use crate::content::{DataAllowance, Date, Price};
use crate::i18n::{Arg, I18n};

fn number(name: &str, value: impl Into<f64>) -> (String, Arg) {
    (name.to_string(), Arg::Number(value.into()))
}

fn text(name: &str, value: impl Into<String>) -> (String, Arg) {
    (name.to_string(), Arg::Text(value.into()))
}

/// `2026-10-15` as `2026年10月15日` or `15 October 2026`, per the `date-format` string.
pub fn date(i18n: &I18n, lang: &str, date: Date) -> String {
    let args = [
        number("year", date.year),
        number("month", date.month),
        number("day", date.day),
    ];
    i18n.format_optional(lang, "date-format", &args)
        .unwrap_or_else(|| date.to_string())
}

/// A price with grouping, e.g. `QAR 1,250.00`, per the `price-format` string.
pub fn price(i18n: &I18n, lang: &str, price: &Price) -> String {
    let amount = price.format_amount(',', '.');
    let args = [
        text("amount", amount.clone()),
        text("currency", price.currency.code()),
    ];
    i18n.format_optional(lang, "price-format", &args)
        .unwrap_or_else(|| format!("{} {amount}", price.currency.code()))
}

/// `10 GB`, `500 MB` or "unlimited" in the reader's language.
pub fn data(i18n: &I18n, lang: &str, data: DataAllowance) -> String {
    match data {
        DataAllowance::Unlimited => i18n
            .format_optional(lang, "data-unlimited", &[])
            .unwrap_or_else(|| "unlimited".to_string()),
        DataAllowance::Megabytes(mb) if mb >= 1024 => {
            let gb = mb as f64 / 1024.0;
            let shown = if (gb - gb.round()).abs() < 0.05 {
                format!("{}", gb.round())
            } else {
                format!("{gb:.1}")
            };
            i18n.format_optional(lang, "data-gb", &[text("amount", shown.clone())])
                .unwrap_or_else(|| format!("{shown} GB"))
        }
        DataAllowance::Megabytes(mb) => i18n
            .format_optional(lang, "data-mb", &[text("amount", mb.to_string())])
            .unwrap_or_else(|| format!("{mb} MB")),
    }
}

/// "15 days" / "15 天", with plural rules.
pub fn days(i18n: &I18n, lang: &str, days: u32) -> String {
    i18n.format_optional(lang, "duration-days", &[number("days", days)])
        .unwrap_or_else(|| format!("{days} d"))
}

/// "about 5 minutes" / "约 5 分钟", with plural rules.
pub fn minutes(i18n: &I18n, lang: &str, minutes: u32) -> String {
    i18n.format_optional(lang, "duration-minutes", &[number("minutes", minutes)])
        .unwrap_or_else(|| format!("{minutes} min"))
}

/// A label for an enumerated value (`payment-card`, `store-convenience-store`, …).
pub fn label(i18n: &I18n, lang: &str, prefix: &str, code: &str) -> String {
    i18n.format_optional(lang, &format!("{prefix}-{code}"), &[])
        .unwrap_or_else(|| code.replace('-', " "))
}

/// The Open Graph form of a BCP-47 locale, `language_TERRITORY` (`zh-CN` → `zh_CN`). Open
/// Graph wants a territory even where the site's locale rightly has none (`en` is the
/// better `hreflang` for English readers anywhere), so a bare language gets the region
/// CLDR considers most likely for it (`en` → `en_US`, `zh-Hant` → `zh_TW`); a language
/// not in that short list stays as it is.
pub fn og_locale(locale: &str) -> String {
    let mut subtags = locale.split(['-', '_']).filter(|s| !s.is_empty());
    let language = subtags.next().unwrap_or("").to_ascii_lowercase();
    let mut script = None;
    for subtag in subtags {
        // A one-letter subtag starts an extension (`-u-ca-gregory`) or private use: no
        // region can follow.
        if subtag.len() == 1 {
            break;
        }
        if subtag.len() == 2 && subtag.chars().all(|c| c.is_ascii_alphabetic()) {
            return format!("{language}_{}", subtag.to_ascii_uppercase());
        }
        if language == "es" && subtag == "419" {
            return "es_LA".to_string();
        }
        if subtag.len() == 4 && script.is_none() {
            script = Some(subtag.to_ascii_lowercase());
        }
    }
    let region = match (language.as_str(), script.as_deref()) {
        ("zh", Some("hant")) => "TW",
        ("zh", _) => "CN",
        ("en", _) => "US",
        ("ja", _) => "JP",
        ("ko", _) => "KR",
        ("fr", _) => "FR",
        ("de", _) => "DE",
        ("es", _) => "ES",
        ("pt", _) => "BR",
        ("it", _) => "IT",
        ("ru", _) => "RU",
        ("ar", _) => "EG",
        ("th", _) => "TH",
        ("vi", _) => "VN",
        ("id", _) => "ID",
        ("ms", _) => "MY",
        ("nl", _) => "NL",
        ("tr", _) => "TR",
        ("hi", _) => "IN",
        _ => return language,
    };
    format!("{language}_{region}")
}

#[cfg(test)]
mod tests {
    use super::og_locale;

    #[test]
    fn og_locale_has_a_territory_whenever_one_can_be_named() {
        assert_eq!(og_locale("zh-CN"), "zh_CN");
        assert_eq!(og_locale("en"), "en_US");
        assert_eq!(og_locale("en-GB"), "en_GB");
        assert_eq!(og_locale("zh-Hant"), "zh_TW");
        assert_eq!(og_locale("zh-Hant-HK"), "zh_HK");
        assert_eq!(og_locale("pt"), "pt_BR");
        assert_eq!(og_locale("es-419"), "es_LA");
        assert_eq!(og_locale("es"), "es_ES");
        assert_eq!(og_locale("ar"), "ar_EG");
        assert_eq!(og_locale("en-u-ca-gregory"), "en_US");
        assert_eq!(og_locale("EN_us"), "en_US");
        assert_eq!(og_locale("tlh"), "tlh");
    }
}
