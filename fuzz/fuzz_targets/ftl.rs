//! UI strings (`I18n::load`): the fuzzed text is the default language's `.ftl` file, next to a
//! fixed, valid file in the other language; then every key is formatted in both languages,
//! with and without arguments, as templates' `t()` and Rust's optional strings do.
#![no_main]

mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use planguide::config::Config;
use planguide::content::normalize_text;
use planguide::i18n::{Arg, FtlFile, I18n};

const FILE: &str = "i18n/zh/main.ftl";
const OTHER_FILE: &str = "i18n/en/main.ftl";
const OTHER: &str = "hello = Hello { $name }\nsteps = { $n ->\n    [one] one step\n   *[other] { $n } steps\n}\n-brand = Guide\ntitle = { -brand }: { hello }\n";
const SITE: &str = "base_url: https://x.example/\ndefault_language: zh\nlanguages:\n  - {code: zh, locale: zh-CN, name: 中文, title: 指南}\n  - {code: en, locale: en, name: English, title: Guides}\n";

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::parse(SITE).unwrap_or_else(|problems| panic!("fuzz site.yaml: {problems:?}"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let text = normalize_text(raw);
    let files = [
        FtlFile {
            path: FILE,
            lang: "zh",
            text: &text,
        },
        FtlFile {
            path: OTHER_FILE,
            lang: "en",
            text: OTHER,
        },
    ];
    let (i18n, problems) = I18n::load(config(), &files);
    let (own, other): (Vec<_>, Vec<_>) = problems.into_iter().partition(|d| d.file == FILE);
    common::check_diagnostics(&own, FILE, &text);
    for d in &other {
        assert!(
            d.line.is_none(),
            "a position outside the fuzzed file: {d:?}"
        );
    }
    common::check_diagnostics(&other, OTHER_FILE, OTHER);

    let args = [
        ("n".to_string(), Arg::Number(2.0)),
        ("name".to_string(), Arg::Text("A".to_string())),
    ];
    let keys: Vec<String> = ["zh", "en"]
        .iter()
        .flat_map(|lang| i18n.keys(lang))
        .map(|(key, _)| key.to_string())
        .collect();
    for lang in ["zh", "en"] {
        for key in &keys {
            for args in [&args[..], &[]] {
                let formatted = i18n.format(lang, key, args);
                let optional = i18n.format_optional(lang, key, args);
                match &formatted {
                    Ok(text) => {
                        // Isolation marks are off (HTML output); the input may hold its own.
                        assert!(
                            raw.contains('\u{2068}') || !text.contains('\u{2068}'),
                            "isolation marks in {text:?}"
                        );
                        assert_eq!(optional.as_ref(), Some(text), "format_optional differs");
                    }
                    Err(message) => {
                        assert!(message.contains(key.as_str()), "{message:?} lacks {key:?}")
                    }
                }
            }
        }
    }
});
