//! UI strings: Fluent `.ftl` files in `i18n/<lang>/`, one thread-safe bundle per language,
//! looked up with an explicit language. A key missing in a language falls back to the
//! default language and is reported (once, at load) as a warning naming key and language.
//! Pure: the caller supplies the file texts.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};

use crate::config::Config;
use crate::error::Diagnostic;

/// An argument passed to a Fluent message from a template or from Rust.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Text, used as-is.
    Text(String),
    /// A number, which selects plural forms.
    Number(f64),
}

/// Language → key → preformatted text, looked up by `&str` without allocating.
type PlainTexts = HashMap<String, HashMap<String, String>>;

/// All languages' UI strings.
pub struct I18n {
    bundles: BTreeMap<String, FluentBundle<FluentResource>>,
    /// Language → key → where it is defined (file, line), for `check`'s key reports.
    keys: BTreeMap<String, BTreeMap<String, Definition>>,
    default_language: String,
    /// Configured language codes in the site's order (default first).
    languages: Vec<String>,
    /// Messages that need no arguments, formatted once per language: templates ask for
    /// them on every page, and Fluent formatting is the costliest part of a template call.
    plain: PlainTexts,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("I18n").field("keys", &self.keys).finish()
    }
}

/// Where a UI string is defined: its `.ftl` file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// Site-relative path of the `.ftl` file.
    pub file: String,
    /// 1-based line of `key =`.
    pub line: usize,
}

/// One `.ftl` file: its site-relative path, language folder and text.
#[derive(Debug, Clone, Copy)]
pub struct FtlFile<'a> {
    /// Site-relative path, for diagnostics.
    pub path: &'a str,
    /// The language folder it sits in (`i18n/<lang>/...`).
    pub lang: &'a str,
    /// File text.
    pub text: &'a str,
}

impl I18n {
    /// Builds bundles for every configured language. Keys missing or unused across
    /// languages are `check`'s to report, which knows which keys templates use.
    pub fn load(config: &Config, files: &[FtlFile<'_>]) -> (I18n, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let mut bundles = BTreeMap::new();
        let mut keys: BTreeMap<String, BTreeMap<String, Definition>> = BTreeMap::new();
        for language in &config.languages {
            let locale = language.locale.parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![locale]);
            bundle.set_use_isolating(false);
            for file in files.iter().filter(|f| f.lang == language.code) {
                add_file(
                    &mut bundle,
                    file,
                    keys.entry(language.code.clone()).or_default(),
                    &mut problems,
                );
            }
            bundles.insert(language.code.clone(), bundle);
        }
        for file in files {
            if !config.has_language(file.lang) {
                problems.push(Diagnostic::warning(
                    "i18n",
                    file.path,
                    format!(
                        "`{}` is not a configured language; this file is not used",
                        file.lang
                    ),
                ));
            }
        }
        let mut i18n = I18n {
            bundles,
            keys,
            default_language: config.default_language.clone(),
            languages: config.languages.iter().map(|l| l.code.clone()).collect(),
            plain: PlainTexts::new(),
        };
        i18n.plain = i18n.preformat(config);
        (i18n, problems)
    }

    /// Every message that formats without arguments and without errors, per language (with
    /// the default-language fallback already applied).
    fn preformat(&self, config: &Config) -> PlainTexts {
        let all_keys: BTreeSet<&String> = self.keys.values().flat_map(BTreeMap::keys).collect();
        let of_language = |code: &str| -> HashMap<String, String> {
            all_keys
                .iter()
                .filter_map(|key| Some(((*key).clone(), self.format_without_args(code, key)?)))
                .collect()
        };
        config
            .languages
            .iter()
            .map(|language| (language.code.clone(), of_language(&language.code)))
            .collect()
    }

    fn format_without_args(&self, lang: &str, key: &str) -> Option<String> {
        match self.resolve(lang, key, None).1 {
            Outcome::Text(text) => Some(text),
            Outcome::Missing | Outcome::Broken { .. } => None,
        }
    }

    /// Every argument-free text, preformatted per language as `(language, key, text)`, for
    /// callers that keep them in a form of their own (the template functions keep them as
    /// Tera values, so a page's many `t()` calls copy no text).
    pub fn plain_texts(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.plain.iter().flat_map(|(lang, texts)| {
            texts
                .iter()
                .map(move |(key, text)| (lang.as_str(), key.as_str(), text.as_str()))
        })
    }

    /// Formats `key` in `lang`, falling back to the default language. `Err` when the key
    /// exists nowhere, or when Fluent reports a problem (a variable the caller did not pass,
    /// a message reference that does not resolve): the message names the key, the language
    /// whose text was used and what Fluent said.
    pub fn format(&self, lang: &str, key: &str, args: &[(String, Arg)]) -> Result<String, String> {
        if let Some(text) = self.plain_text(lang, key, args) {
            return Ok(text.clone());
        }
        let fluent_args = fluent_args(args);
        match self.resolve(lang, key, Some(&fluent_args)) {
            (_, Outcome::Text(text)) => Ok(text),
            (used, Outcome::Broken { errors, .. }) => Err(format!(
                "UI string `{key}` in `{used}` could not be formatted: {}",
                describe(&errors)
            )),
            (_, Outcome::Missing) => {
                Err(format!("UI string `{key}` is not defined in any .ftl file"))
            }
        }
    }

    /// Formats a key that may be absent, for optional theme strings that have a neutral
    /// fallback: `None` only when the key exists nowhere. A string Fluent reports problems
    /// with still gives Fluent's best-effort text, as before.
    pub fn format_optional(&self, lang: &str, key: &str, args: &[(String, Arg)]) -> Option<String> {
        if let Some(text) = self.plain_text(lang, key, args) {
            return Some(text.clone());
        }
        match self.resolve(lang, key, Some(&fluent_args(args))).1 {
            Outcome::Text(text) | Outcome::Broken { text, .. } => Some(text),
            Outcome::Missing => None,
        }
    }

    /// The preformatted text of an argument-free call, if there is one.
    fn plain_text(&self, lang: &str, key: &str, args: &[(String, Arg)]) -> Option<&String> {
        if !args.is_empty() {
            return None;
        }
        self.plain.get(lang)?.get(key)
    }

    /// Formats `key` in `lang`, or in the default language when `lang` has no value for it;
    /// returns the language whose text was used with the outcome.
    fn resolve<'s>(
        &'s self,
        lang: &'s str,
        key: &str,
        args: Option<&FluentArgs<'_>>,
    ) -> (&'s str, Outcome) {
        match self.format_in(lang, key, args) {
            Outcome::Missing => {
                let default = self.default_language.as_str();
                (default, self.format_in(default, key, args))
            }
            outcome => (lang, outcome),
        }
    }

    /// Formats `key` with one language's bundle only.
    fn format_in(&self, lang: &str, key: &str, args: Option<&FluentArgs<'_>>) -> Outcome {
        let Some(bundle) = self.bundles.get(lang) else {
            return Outcome::Missing;
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return Outcome::Missing;
        };
        let mut errors = Vec::new();
        let text = bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned();
        if errors.is_empty() {
            Outcome::Text(text)
        } else {
            Outcome::Broken { text, errors }
        }
    }

    /// True when `lang` is a configured language, so template functions can refuse a
    /// `lang` argument that would otherwise fall back silently.
    pub fn has_language(&self, lang: &str) -> bool {
        self.bundles.contains_key(lang)
    }

    /// Configured language codes, default first, for messages that list them.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// Keys defined for a language with where each is defined (for `check`'s key reports).
    pub fn keys(&self, lang: &str) -> impl Iterator<Item = (&str, &Definition)> {
        self.keys
            .get(lang)
            .into_iter()
            .flatten()
            .map(|(key, at)| (key.as_str(), at))
    }

    /// Where `key` is defined for `lang`, if it is.
    pub fn definition(&self, lang: &str, key: &str) -> Option<&Definition> {
        self.keys.get(lang)?.get(key)
    }
}

/// What formatting one message with one language's bundle gave.
enum Outcome {
    /// The language has no value for the key.
    Missing,
    /// Formatted without problems.
    Text(String),
    /// Fluent reported problems; `text` is its best-effort output (`{$name}` for a missing
    /// variable).
    Broken {
        text: String,
        errors: Vec<FluentError>,
    },
}

/// Arguments as Fluent takes them; numbers stay numbers so plural selectors work.
fn fluent_args(args: &[(String, Arg)]) -> FluentArgs<'_> {
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        match value {
            Arg::Text(text) => fluent_args.set(name.as_str(), FluentValue::from(text.as_str())),
            Arg::Number(number) => fluent_args.set(name.as_str(), FluentValue::from(*number)),
        }
    }
    fluent_args
}

/// Fluent's errors in one line, without its `Resolver error:` prefixes.
fn describe(errors: &[FluentError]) -> String {
    let described: Vec<String> = errors
        .iter()
        .map(|error| match error {
            FluentError::ResolverError(error) => error.to_string(),
            other => other.to_string(),
        })
        .collect();
    described.join("; ")
}

/// The deepest nesting of placeables (and call arguments inside them) an `.ftl` file may
/// have. Real strings nest two or three deep; the Fluent parser recurses once per level, so
/// without a limit a file of a few thousand `{` overflows the stack and aborts the process.
pub const MAX_FTL_NESTING: usize = 32;

/// Input the Fluent parser cannot be trusted with: it would overflow the stack or panic.
#[derive(Debug, PartialEq)]
enum Hazard {
    /// Placeables nest deeper than [`MAX_FTL_NESTING`]; the parser recurses once per level.
    TooDeep,
    /// A `\u` / `\U` escape with too few hex digits right before a non-ASCII character:
    /// fluent-syntax 0.12 slices its error text inside that character and panics
    /// (projectfluent/fluent-rs#389).
    BrokenEscape(String),
}

impl Hazard {
    fn diagnostic(&self, file: &str, line: usize) -> Diagnostic {
        let (message, hint) = match self {
            Hazard::TooDeep => (
                format!("placeables nest more than {MAX_FTL_NESTING} deep; this file is not loaded"),
                "real strings nest placeables two or three deep; look for unclosed `{`".to_string(),
            ),
            Hazard::BrokenEscape(escape) => (
                format!("invalid unicode escape `{escape}` in a string literal; this file is not loaded"),
                "`\\u` takes exactly 4 hex digits and `\\U` exactly 6, e.g. `\\u00E9`".to_string(),
            ),
        };
        Diagnostic::error("ftl-syntax", file, message)
            .at(line, 1)
            .hint(hint)
    }
}

/// The first [`Hazard`] in `text` and its 1-based line, checked before parsing. Conservative:
/// braces, parentheses and backslashes count wherever they appear inside a placeable, even
/// in a string literal, which can only turn absurd input into an error.
fn hazard_in(text: &str) -> Option<(Hazard, usize)> {
    let bytes = text.as_bytes();
    let mut open: Vec<u8> = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        i += 1;
        match byte {
            b'\n' => line += 1,
            b'{' => open.push(byte),
            // Parentheses only nest inside a placeable (function call arguments).
            b'(' if !open.is_empty() => open.push(byte),
            b')' if open.last() == Some(&b'(') => {
                open.pop();
            }
            // Closes the innermost placeable and any call left unclosed inside it.
            b'}' => while open.pop().is_some_and(|top| top != b'{') {},
            // Escapes only mean something in string literals, which sit inside placeables.
            b'\\' if !open.is_empty() => match broken_escape(&bytes[i..]) {
                Ok(skip) => i += skip,
                Err(escape) => return Some((Hazard::BrokenEscape(escape), line)),
            },
            _ => {}
        }
        if open.len() > MAX_FTL_NESTING {
            return Some((Hazard::TooDeep, line));
        }
    }
    None
}

/// Looks at what follows a backslash: `Ok(bytes to skip)`, or `Err(the escape)` when it is a
/// short `\u` / `\U` escape followed by a non-ASCII byte.
fn broken_escape(after: &[u8]) -> Result<usize, String> {
    let wanted = match after.first() {
        Some(b'\\') => return Ok(1),
        Some(b'u') => 4,
        Some(b'U') => 6,
        _ => return Ok(0),
    };
    let digits = after[1..]
        .iter()
        .take(wanted)
        .take_while(|b| b.is_ascii_hexdigit())
        .count();
    match after.get(1 + digits) {
        Some(next) if digits < wanted && !next.is_ascii() => Err(format!(
            "\\{}",
            String::from_utf8_lossy(&after[..1 + digits])
        )),
        _ => Ok(1 + digits),
    }
}

fn add_file(
    bundle: &mut FluentBundle<FluentResource>,
    file: &FtlFile<'_>,
    keys: &mut BTreeMap<String, Definition>,
    problems: &mut Vec<Diagnostic>,
) {
    if let Some((hazard, line)) = hazard_in(file.text) {
        problems.push(hazard.diagnostic(file.path, line));
        return;
    }
    let resource = match FluentResource::try_new(file.text.to_string()) {
        Ok(resource) => resource,
        Err((resource, errors)) => {
            for error in errors {
                let start = error.slice.as_ref().map_or(error.pos.start, |s| s.start);
                let before = &file.text.as_bytes()[..start.min(file.text.len())];
                let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
                problems.push(
                    Diagnostic::error(
                        "ftl-syntax",
                        file.path,
                        format!("Fluent syntax error: {}", error.kind),
                    )
                    .at(line, 1)
                    .hint("see https://projectfluent.org/fluent/guide/ for the syntax"),
                );
            }
            resource
        }
    };
    for entry in resource.entries() {
        if let fluent_syntax::ast::Entry::Message(message) = entry {
            let key = message.id.name;
            keys.entry(key.to_string()).or_insert_with(|| Definition {
                file: file.path.to_string(),
                line: definition_lines(file.text, key).next().unwrap_or(1),
            });
        }
    }
    if let Err(errors) = bundle.add_resource(resource) {
        let mut repeats = HashMap::new();
        for error in errors {
            problems.push(duplicate_key(file, keys, &error, &mut repeats));
        }
    }
}

/// 1-based lines where `key` is defined (`key =` at the start of a line) in an .ftl text.
fn definition_lines<'t>(text: &'t str, key: &'t str) -> impl Iterator<Item = usize> + 't {
    text.lines().enumerate().filter_map(move |(index, line)| {
        let rest = line.strip_prefix(key)?;
        rest.trim_start().starts_with('=').then_some(index + 1)
    })
}

/// A key defined again for one language: named at the definition that loses, with where
/// the one that counts is. The library reports each repeat in order; `repeats` counts them
/// per key, so the third definition is named for the second report.
fn duplicate_key(
    file: &FtlFile<'_>,
    keys: &BTreeMap<String, Definition>,
    error: &FluentError,
    repeats: &mut HashMap<String, usize>,
) -> Diagnostic {
    let FluentError::Overriding { id, .. } = error else {
        return Diagnostic::error("ftl-duplicate", file.path, error.to_string());
    };
    let repeat = repeats.entry(id.clone()).or_insert(0);
    *repeat += 1;
    let first = keys.get(id);
    let line = definition_lines(file.text, id)
        .filter(|&line| first.is_none_or(|f| f.file != file.path || f.line != line))
        .nth(*repeat - 1);
    let problem = Diagnostic::error(
        "ftl-duplicate",
        file.path,
        format!(
            "`{id}` is defined more than once for `{}`; only the first definition counts",
            file.lang
        ),
    )
    .hint(match first {
        Some(first) => format!("the first is at {}:{}; remove one", first.file, first.line),
        None => "remove one of them".to_string(),
    });
    match line {
        Some(line) => problem.at(line, 1),
        None => problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        crate::config::bilingual_for_tests()
    }

    fn load(zh: &str, en: &str) -> (I18n, Vec<Diagnostic>) {
        let files = [
            FtlFile {
                path: "i18n/zh/main.ftl",
                lang: "zh",
                text: zh,
            },
            FtlFile {
                path: "i18n/en/main.ftl",
                lang: "en",
                text: en,
            },
        ];
        I18n::load(&config(), &files)
    }

    #[test]
    fn formats_variables_and_plurals_without_isolation_marks() {
        let (i18n, problems) = load(
            "steps = 共 { $n } 步\n",
            "steps = { $n ->\n    [one] { $n } step\n   *[other] { $n } steps\n}\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let one = i18n
            .format("en", "steps", &[("n".into(), Arg::Number(1.0))])
            .unwrap();
        let many = i18n
            .format("en", "steps", &[("n".into(), Arg::Number(4.0))])
            .unwrap();
        assert_eq!(one, "1 step");
        assert_eq!(many, "4 steps");
        let zh = i18n
            .format("zh", "steps", &[("n".into(), Arg::Number(4.0))])
            .unwrap();
        assert_eq!(zh, "共 4 步");
        assert!(!zh.contains('\u{2068}'));
    }

    /// Loading reports nothing about keys across languages (`check` does, knowing which
    /// keys templates use) and records where each key is defined.
    #[test]
    fn missing_key_falls_back_to_default_and_definitions_are_located() {
        let (i18n, problems) = load("hello = 你好\nbye = 再见\n", "hello = Hello\n");
        assert_eq!(i18n.format("en", "bye", &[]).unwrap(), "再见");
        assert!(problems.is_empty(), "{problems:?}");
        assert!(i18n.format("en", "nothing", &[]).is_err());
        let bye = i18n.definition("zh", "bye").unwrap();
        assert_eq!((bye.file.as_str(), bye.line), ("i18n/zh/main.ftl", 2));
        assert!(i18n.definition("en", "bye").is_none());
    }

    #[test]
    fn a_key_defined_twice_is_named_at_the_second_definition() {
        let (_, problems) = load(
            "hello = 你好\nbye = 再见\n\nhello = 您好\nhello = 嗨\n",
            "hello = Hello\n",
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].code, "ftl-duplicate");
        assert_eq!(problems[0].line, Some(4));
        assert_eq!(problems[1].line, Some(5), "each repeat at its own line");
        assert!(problems[0]
            .message
            .contains("`hello` is defined more than once for `zh`"));
        assert!(problems[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("i18n/zh/main.ftl:1")));
    }

    #[test]
    fn errors_when_placeables_nest_absurdly_deep_without_overflowing_the_stack() {
        let handle = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(|| {
                let deep = format!("hello = 你好\nk = {}\n", "{".repeat(100_000));
                let calls = format!("hello = 你好\n\nk = {{ {}\n", "F(".repeat(100_000));
                (
                    load(&deep, "hello = Hello\n").1,
                    load(&calls, "hello = Hello\n").1,
                )
            })
            .unwrap();
        let (deep, calls) = handle
            .join()
            .expect("the loader overflowed a 256 KiB stack");
        for (problems, line) in [(deep, 2), (calls, 3)] {
            let error = problems.iter().find(|p| p.code == "ftl-syntax").unwrap();
            assert_eq!(error.file, "i18n/zh/main.ftl");
            assert_eq!(error.line, Some(line));
            assert!(error.message.contains("nest"), "{}", error.message);
        }
    }

    #[test]
    fn errors_when_a_short_unicode_escape_precedes_a_non_ascii_character() {
        let zh = "hello = 你好\n\nbad = { \"\\u00é\" }\n";
        let (_, problems) = load(zh, "hello = Hello\n");
        let error = problems.iter().find(|p| p.code == "ftl-syntax").unwrap();
        assert_eq!(error.line, Some(3));
        assert!(error.message.contains("`\\u00`"), "{}", error.message);
        let (_, problems) = load("bad = { F(x: \"\\U1é\") }\n", "");
        assert!(problems.iter().any(|p| p.message.contains("`\\U1`")));
    }

    #[test]
    fn can_load_escapes_and_backslashes_that_the_parser_handles() {
        let zh = "a = { \"\\u00E9\\\\u00é\" }\nb = C:\\u00é\\Users\nc = { \"\\U01F600\" }\n";
        let (i18n, problems) = load(zh, "");
        assert!(
            problems.iter().all(|p| p.code != "ftl-syntax"),
            "{problems:?}"
        );
        assert_eq!(i18n.format("zh", "a", &[]).unwrap(), "é\\u00é");
        assert_eq!(i18n.format("zh", "b", &[]).unwrap(), "C:\\u00é\\Users");
        assert_eq!(i18n.format("zh", "c", &[]).unwrap(), "😀");
    }

    #[test]
    fn can_load_ordinary_nesting_and_braces_in_text_after_closed_placeables() {
        let zh = "a = { $n ->\n    [one] { NUMBER($n, minimumFractionDigits: 0) }\n   *[other] { $n } { \"{\" }\n}\n";
        let (i18n, problems) = load(&format!("{zh}{}", "b = { \"}\" }\n".repeat(100)), "");
        assert!(
            problems.iter().all(|p| p.code != "ftl-syntax"),
            "{problems:?}"
        );
        assert_eq!(
            i18n.format("zh", "a", &[("n".into(), Arg::Number(1.0))])
                .unwrap(),
            "1 {"
        );
    }

    #[test]
    fn errors_when_a_variable_is_missing_naming_key_language_and_variable() {
        let (i18n, problems) = load("hi = 你好 { $name }\n", "hi = Hello { $name }\n");
        assert!(problems.is_empty(), "{problems:?}");
        let error = i18n.format("en", "hi", &[]).unwrap_err();
        for part in ["`hi`", "`en`", "$name"] {
            assert!(error.contains(part), "{part} missing from {error}");
        }
        let error = i18n
            .format("zh", "hi", &[("other".into(), Arg::Text("x".into()))])
            .unwrap_err();
        assert!(error.contains("`zh`") && error.contains("$name"), "{error}");
        assert_eq!(
            i18n.format("en", "hi", &[("name".into(), Arg::Text("A".into()))]),
            Ok("Hello A".to_string())
        );
    }

    #[test]
    fn errors_name_the_fallback_language_whose_text_was_used() {
        let (i18n, _) = load("hi = 你好 { -brand }\n", "");
        let error = i18n.format("en", "hi", &[]).unwrap_err();
        assert!(
            error.contains("`zh`") && error.contains("-brand"),
            "{error}"
        );
    }

    thread_local! {
        /// Allocations made by the current thread while counting is on (`None`: off).
        static ALLOCATIONS: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
    }

    /// The system allocator, counting this thread's allocations for [`allocations_in`].
    /// Installed for the library's unit-test binary only.
    struct Counting;

    // SAFETY: forwards every call unchanged to the system allocator.
    unsafe impl std::alloc::GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
            let _ = ALLOCATIONS.try_with(|n| n.set(n.get().map(|n| n + 1)));
            // SAFETY: same contract as the caller's.
            unsafe { std::alloc::System.alloc(layout) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
            // SAFETY: same contract as the caller's.
            unsafe { std::alloc::System.dealloc(ptr, layout) }
        }
    }

    #[global_allocator]
    static COUNTING: Counting = Counting;

    fn allocations_in<T>(f: impl FnOnce() -> T) -> (T, usize) {
        ALLOCATIONS.with(|n| n.set(Some(0)));
        let result = f();
        let count = ALLOCATIONS.with(|n| n.replace(None)).unwrap_or(0);
        (result, count)
    }

    #[test]
    fn can_format_a_plain_string_allocating_only_the_returned_text() {
        let (i18n, _) = load("hello = 你好\n", "hello = Hello\n");
        let (text, count) = allocations_in(|| i18n.format("en", "hello", &[]));
        assert_eq!(text.as_deref(), Ok("Hello"));
        assert_eq!(count, 1, "allocations for one t() call of a plain string");
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        let (_, problems) = load("hello = 你好\n\nbroken = {\n", "hello = Hello\n");
        let error = problems.iter().find(|p| p.code == "ftl-syntax").unwrap();
        assert_eq!(error.file, "i18n/zh/main.ftl");
        assert_eq!(error.line, Some(3));
    }
}
