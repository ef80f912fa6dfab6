//! What `planguide new` and `planguide stamp` write, computed without I/O: a starter site
//! (with the embedded default theme), a new guide in every configured language with its
//! front matter and a step and checklist skeleton, and front matter stamped with the hash of
//! the source text a translation was made from. The caller writes the files.

use serde::Serialize;

use crate::config::Config;
use crate::content::{body_hash, Channel, Date, GuideKind, PlanFile};
use crate::i18n::I18n;

include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));

/// A file to create: site-relative path and contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    /// Path relative to the site root.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

impl NewFile {
    fn text(path: impl Into<String>, text: impl Into<String>) -> Self {
        NewFile {
            path: path.into(),
            bytes: text.into().into_bytes(),
        }
    }
}

/// A working bilingual starter site: config, a home page, one country with a plan and a
/// renewal guide, the default theme and its strings. All data is marked as example data.
pub fn new_site(today: Date) -> Vec<NewFile> {
    let mut files: Vec<NewFile> = EMBEDDED
        .iter()
        .map(|(path, bytes)| NewFile {
            path: path.to_string(),
            bytes: bytes.to_vec(),
        })
        .collect();
    let verified = today.to_string();
    let zh_body = "## 续费前须知\n\n- 示例数据：运营商、价格和网址均为虚构。\n\n## 操作步骤\n\n1. 打开上方显示的网址。\n2. 选择你的套餐并付款。\n\n## 检查清单\n\n- [ ] 已确认余额\n- [ ] 已收到确认短信\n";
    let en_body = "## Before you renew\n\n- Example data: the provider, price and URL are fictional.\n\n## Steps\n\n1. Open the website shown above.\n2. Choose your plan and pay.\n\n## Checklist\n\n- [ ] Balance checked\n- [ ] Confirmation SMS received\n";
    files.extend([
        NewFile::text("site.yaml", STARTER_CONFIG),
        NewFile::text("content/_index.zh.md", "---\ntitle: 旅行流量卡指南\n---\n\n这是一个示例站点：所有运营商、价格和网址均为虚构。\n"),
        NewFile::text("content/_index.en.md", format!("---\ntitle: Travel SIM guides\nsource_hash: {}\n---\n\nAn example site: every provider, price and URL is fictional.\n", body_hash("\n这是一个示例站点：所有运营商、价格和网址均为虚构。\n"))),
        NewFile::text("content/example-land/_index.zh.md", "---\ntitle: 示例国家\nweight: 10\n---\n"),
        NewFile::text("content/example-land/_index.en.md", format!("---\ntitle: Example Land\nweight: 10\nsource_hash: {}\n---\n", body_hash(""))),
        NewFile::text("content/example-land/plans.yaml", format!("# Example data: the provider, price and URL are fictional.\nplans:\n  - id: ex-visitor-7\n    country: example-land\n    provider: Example Mobile (fictional)\n    name: {{ zh: 访客 7 天卡, en: Visitor 7-day SIM }}\n    price: {{ amount: \"10.00\", currency: USD }}\n    data: 5GB\n    validity_days: 7\n    verified: {verified}\n    renewal:\n      online:\n        website: https://renew.example.com/\n        payment: [card]\n        credit_minutes: 5\n")),
        NewFile::text("content/example-land/renew-online.zh.md", format!("---\ntitle: 在线续费\nkind: renewal\nchannel: online\nplans: [ex-visitor-7]\nupdated: {verified}\nweight: 10\n---\n\n{zh_body}")),
        NewFile::text("content/example-land/renew-online.en.md", format!("---\ntitle: Renew online\nkind: renewal\nchannel: online\nplans: [ex-visitor-7]\nupdated: {verified}\nweight: 10\nsource_hash: {}\n---\n\n{en_body}", body_hash(&format!("\n{zh_body}")))),
    ]);
    files
}

const STARTER_CONFIG: &str = "# planguide site. Every key is described in the planguide README, section site.yaml.\nbase_url: https://guides.example.com/\ndefault_language: zh\ntheme: default\nlanguages:\n  - code: zh\n    locale: zh-CN\n    name: 中文\n    title: 旅行流量卡指南\n    description: 示例站点\n  - code: en\n    locale: en\n    name: English\n    title: Travel SIM guides\n    description: An example site\n";

/// What `planguide new guide` was asked for.
#[derive(Debug, Clone)]
pub struct GuideRequest<'a> {
    /// `qatar/renew-sms`, `content/qatar/renew-sms` or with `.md`.
    pub path: &'a str,
    /// Purchase, renewal or plain page.
    pub kind: GuideKind,
    /// Channel (required for purchase and renewal).
    pub channel: Option<Channel>,
    /// Today's date for `updated`.
    pub today: Date,
}

/// Plan files as (path, text), to pre-fill `plans:` with the country's plans.
pub type PlanSources<'a> = &'a [(String, String)];

/// The new guide's file in every configured language.
pub fn new_guide(
    config: &Config,
    i18n: &I18n,
    plans: PlanSources<'_>,
    request: &GuideRequest<'_>,
) -> Result<Vec<NewFile>, String> {
    let stem = normalize_guide_path(request.path)?;
    check_kind_channel(request.kind, request.channel)?;
    let country = stem.split_once('/').map(|(folder, _)| folder.to_string());
    let plan_ids = matching_plans(plans, country.as_deref(), request);
    let default_body = skeleton(i18n, &config.default_language, request.kind);
    let source_hash = body_hash(&default_body);
    let files = config
        .languages
        .iter()
        .map(|language| {
            let is_source = language.code == config.default_language;
            let body = if is_source {
                default_body.clone()
            } else {
                skeleton(i18n, &language.code, request.kind)
            };
            let front = FrontMatterOut {
                title: string(i18n, &language.code, "scaffold-title", "TODO: title"),
                description: String::new(),
                kind: request.kind.as_str(),
                channel: request.channel.map(Channel::as_str),
                plans: plan_ids.clone(),
                updated: request.today.to_string(),
                weight: 100,
                source_hash: (!is_source).then(|| source_hash.clone()),
            };
            let yaml = serde_yaml::to_string(&front).unwrap_or_default();
            NewFile::text(
                format!("content/{stem}.{}.md", language.code),
                format!("---\n{yaml}---\n{body}"),
            )
        })
        .collect();
    Ok(files)
}

#[derive(Serialize)]
struct FrontMatterOut<'a> {
    title: String,
    description: String,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    channel: Option<&'a str>,
    plans: Vec<String>,
    updated: String,
    weight: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_hash: Option<String>,
}

fn normalize_guide_path(path: &str) -> Result<String, String> {
    if std::path::Path::new(path.trim()).is_absolute() {
        return Err(format!(
            "`{path}` is an absolute path; give the guide's path inside content/, e.g. `qatar/renew-sms`"
        ));
    }
    let trimmed = path
        .trim()
        .trim_start_matches("./")
        .trim_start_matches("content/")
        .trim_end_matches(".md")
        .trim_matches('/');
    if trimmed.is_empty() {
        return Err("give the guide's path inside content/, e.g. `qatar/renew-sms`".into());
    }
    for segment in trimmed.split('/') {
        crate::content::document::check_slug(segment)?;
        if segment.contains('.') {
            return Err(format!(
                "`{segment}`: leave out the language suffix; planguide creates every language"
            ));
        }
    }
    Ok(trimmed.to_string())
}

fn check_kind_channel(kind: GuideKind, channel: Option<Channel>) -> Result<(), String> {
    let text = match channel {
        Some(c) => format!(
            "---\ntitle: x\nkind: {}\nchannel: {}\n---\n",
            kind.as_str(),
            c.as_str()
        ),
        None => format!("---\ntitle: x\nkind: {}\n---\n", kind.as_str()),
    };
    crate::content::Document::parse("new", &text)
        .map(|_| ())
        .map_err(|problems| {
            problems
                .into_iter()
                .map(|p| {
                    // The editor is on the command line, not in front matter yet.
                    let hint = p
                        .hint
                        .map(|h| h.replace("add `channel:`", "pass `--channel`"));
                    hint.map_or(p.message.clone(), |h| format!("{} ({h})", p.message))
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
}

/// Ids of the country's plans that support the requested renewal channel (all of them for
/// purchase guides).
fn matching_plans(
    plans: PlanSources<'_>,
    country: Option<&str>,
    request: &GuideRequest<'_>,
) -> Vec<String> {
    let Some(country) = country else {
        return Vec::new();
    };
    plans
        .iter()
        .filter_map(|(path, text)| PlanFile::parse(path, text).ok())
        .flat_map(|file| file.plans)
        .filter(|plan| plan.country == country)
        .filter(|plan| plan.renews_by(request.kind, request.channel))
        .map(|plan| plan.id)
        .collect()
}

fn string(i18n: &I18n, lang: &str, key: &str, fallback: &str) -> String {
    i18n.format_optional(lang, key, &[])
        .unwrap_or_else(|| fallback.to_string())
}

/// The Markdown skeleton for a kind of guide, headings in the page's language.
fn skeleton(i18n: &I18n, lang: &str, kind: GuideKind) -> String {
    let s = |key: &str, fallback: &str| string(i18n, lang, key, fallback);
    let todo = s("scaffold-todo", "TODO");
    let checklist = format!(
        "## {}\n\n- [ ] {todo}\n- [ ] {todo}\n",
        s("scaffold-checklist", "Checklist")
    );
    let steps = |heading: String| format!("## {heading}\n\n1. {todo}\n2. {todo}\n3. {todo}\n\n");
    match kind {
        GuideKind::Renewal => format!(
            "\n## {}\n\n- {todo}\n\n{}{checklist}",
            s("scaffold-before", "Before you renew"),
            steps(s("scaffold-steps", "Steps"))
        ),
        GuideKind::Purchase => format!(
            "\n## {}\n\n- {todo}\n\n## {}\n\n{todo}\n\n{}## {}\n\n- {todo}\n\n{checklist}",
            s("scaffold-what-to-bring", "What to bring"),
            s("scaffold-cost", "What it costs"),
            steps(s("scaffold-activate", "How to activate")),
            s("scaffold-pitfalls", "Pitfalls"),
        ),
        GuideKind::Page => format!("\n{todo}\n"),
    }
}

/// Sets (or adds) `source_hash` in a Markdown file's front matter, keeping every other line
/// as it is (line endings come out as `\n`).
pub fn stamp_source_hash(text: &str, hash: &str) -> Result<String, String> {
    let (bom, text) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let (rest, newline) = if let Some(rest) = text.strip_prefix("---\r\n") {
        (rest, "\r\n")
    } else if let Some(rest) = text.strip_prefix("---\n") {
        (rest, "\n")
    } else {
        return Err("the file does not start with front matter".into());
    };
    let mut offset = 3 + newline.len();
    let mut replaced = None;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let (head, tail) = text.split_at(offset);
            let stamp = format!("source_hash: {hash}{newline}");
            return Ok(match replaced {
                Some((start, end)) => format!("{bom}{}{stamp}{}", &text[..start], &text[end..]),
                None => format!("{bom}{head}{stamp}{tail}"),
            });
        }
        if line.starts_with("source_hash:") {
            replaced = Some((offset, offset + line.len()));
        }
        offset += line.len();
    }
    Err("the front matter is never closed".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        crate::config::bilingual_for_tests()
    }

    #[test]
    fn stamps_and_restamps_front_matter() {
        let once = stamp_source_hash("---\ntitle: A\n---\nbody\n", "abc").unwrap();
        assert_eq!(once, "---\ntitle: A\nsource_hash: abc\n---\nbody\n");
        let twice = stamp_source_hash(&once, "def").unwrap();
        assert_eq!(twice, "---\ntitle: A\nsource_hash: def\n---\nbody\n");
        assert!(stamp_source_hash("no front matter", "x").is_err());
    }

    /// A stamp changes one line and keeps the file's byte-order mark and line endings.
    #[test]
    fn stamps_keep_bom_and_crlf() {
        let text = "\u{feff}---\r\ntitle: A\r\nsource_hash: old\r\n---\r\nbody\r\n";
        let stamped = stamp_source_hash(text, "abc").unwrap();
        assert_eq!(
            stamped,
            "\u{feff}---\r\ntitle: A\r\nsource_hash: abc\r\n---\r\nbody\r\n"
        );
        let fresh = stamp_source_hash("---\r\ntitle: A\r\n---\r\n", "abc").unwrap();
        assert_eq!(fresh, "---\r\ntitle: A\r\nsource_hash: abc\r\n---\r\n");
    }

    #[test]
    fn new_guide_has_every_language_and_a_fresh_source_hash() {
        let (i18n, _) = I18n::load(&config(), &[]);
        let plans = vec![("content/qatar/plans.yaml".to_string(), "plans:\n  - id: qa-1\n    country: qatar\n    provider: P\n    name: {zh: 卡, en: SIM}\n    price: {amount: \"1\", currency: QAR}\n    data: 1GB\n    validity_days: 1\n    verified: 2026-10-01\n    renewal:\n      phone: {ussd: \"*555#\", payment: [airtime], credit_minutes: 1}\n  - id: qa-2\n    country: qatar\n    provider: P\n    name: {zh: 卡, en: SIM}\n    price: {amount: \"1\", currency: QAR}\n    data: 1GB\n    validity_days: 1\n    verified: 2026-10-01\n".to_string())];
        let request = GuideRequest {
            path: "content/qatar/renew-sms",
            kind: GuideKind::Renewal,
            channel: Some(Channel::Phone),
            today: Date::parse("2026-11-24").unwrap(),
        };
        let files = new_guide(&config(), &i18n, &plans, &request).unwrap();
        assert_eq!(
            files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
            [
                "content/qatar/renew-sms.zh.md",
                "content/qatar/renew-sms.en.md"
            ]
        );
        for file in &files {
            let text = String::from_utf8(file.bytes.clone()).unwrap();
            let doc = crate::content::Document::parse(&file.path, &text).unwrap();
            assert_eq!(doc.front.channel, Some(Channel::Phone));
            assert_eq!(
                doc.front
                    .plans
                    .iter()
                    .map(|p| p.value.as_str())
                    .collect::<Vec<_>>(),
                ["qa-1"]
            );
            assert!(doc.body().contains("1. ") && doc.body().contains("- [ ] "));
        }
        let zh =
            crate::content::Document::parse("a", std::str::from_utf8(&files[0].bytes).unwrap())
                .unwrap();
        let en =
            crate::content::Document::parse("b", std::str::from_utf8(&files[1].bytes).unwrap())
                .unwrap();
        assert_eq!(en.front.source_hash, Some(body_hash(&zh.body())));
    }

    #[test]
    fn new_guide_rejects_bad_paths_and_channels() {
        let (i18n, _) = I18n::load(&config(), &[]);
        let today = Date::parse("2026-11-24").unwrap();
        let bad_path = GuideRequest {
            path: "../x",
            kind: GuideKind::Page,
            channel: None,
            today,
        };
        assert!(new_guide(&config(), &i18n, &[], &bad_path).is_err());
        let absolute = GuideRequest {
            path: "/tmp/site/content/qatar/x",
            ..bad_path
        };
        assert!(new_guide(&config(), &i18n, &[], &absolute)
            .unwrap_err()
            .contains("absolute path"));
        let bad_channel = GuideRequest {
            path: "qatar/x",
            kind: GuideKind::Renewal,
            channel: Some(Channel::Airport),
            today,
        };
        assert!(new_guide(&config(), &i18n, &[], &bad_channel)
            .unwrap_err()
            .contains("not a channel"));
        let no_channel = GuideRequest {
            channel: None,
            ..bad_channel
        };
        assert!(new_guide(&config(), &i18n, &[], &no_channel)
            .unwrap_err()
            .contains("pass `--channel` with one of: online, phone, in-store"));
    }

    #[test]
    fn embedded_theme_has_templates_and_strings() {
        let names: Vec<&str> = EMBEDDED.iter().map(|(p, _)| *p).collect();
        assert!(names.contains(&"themes/default/templates/base.html"));
        assert!(names.contains(&"i18n/zh/main.ftl"));
    }
}
