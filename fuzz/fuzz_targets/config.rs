//! `site.yaml` (`Config::parse`): languages, base URL, theme, build switches.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use planguide::config::Config;
use planguide::content::normalize_text;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let text = normalize_text(raw);
    match Config::parse(&text) {
        Ok(config) => {
            assert!(
                !config.languages.is_empty(),
                "accepted a site without languages"
            );
            assert_eq!(
                config.languages[0].code, config.default_language,
                "the default language must come first"
            );
            for (i, language) in config.languages.iter().enumerate() {
                assert!(
                    config.languages[..i]
                        .iter()
                        .all(|l| l.code != language.code),
                    "language {:?} listed twice",
                    language.code
                );
            }
            let prefix = config.base_url.path_prefix();
            assert!(
                prefix.starts_with('/') && prefix.ends_with('/'),
                "base path {prefix:?}"
            );
            // Joining site paths onto the base URL must not panic.
            let _ = config.base_url.href("/zh/japan/");
            let _ = config.base_url.absolute("/zh/japan/");
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "rejected without a diagnostic");
            common::check_diagnostics(&problems, "site.yaml", &text);
        }
    }
});
