//! The differential test: a long random sequence of edits (bodies, titles, pages and
//! translations added and removed, plan prices, front matter broken and fixed, a heading
//! other pages link to renamed and restored, templates and strings changed, a section's
//! list length set and removed, a stylesheet changed, `updated` dates set, a plain link to
//! a file that the next step adds) applied to a copy of the example site. After every step the
//! incremental rebuild must equal a fresh full build of the same files, byte for byte, or
//! fail with the same errors.

use std::collections::BTreeMap;
use std::sync::Arc;

use planguide::incremental::BuildCache;
use planguide::pipeline::{compile, compile_with, SiteOptions};
use planguide::serve::ServeEvent;

use crate::harness::TestSite;

/// A tiny deterministic generator (xorshift), so failures replay exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A heading that other pages link to by its anchor, and the name the edits give it.
const HEADING: &str = "\n## Before you renew\n";
const RENAMED_HEADING: &str = "\n## Before renewing\n";
/// Ways the edits break a page's front matter: an unknown key, YAML that does not parse.
const BREAKS: [&str; 2] = ["\nbroken_key: yes\n", "\nbroken: [yaml\n"];

/// Pages the edits added, and translations they removed (with their text, to restore).
#[derive(Default)]
struct Edited {
    added: Vec<String>,
    removed: Vec<(String, String)>,
    /// A file next to content that a page links to by plain URL before it exists.
    awaited: Option<String>,
}

/// Applies one random edit and returns what it was and the site-relative paths it touched.
fn random_edit(
    site: &TestSite,
    rng: &mut Rng,
    step: usize,
    edited: &mut Edited,
) -> (String, Vec<String>) {
    let added = &mut edited.added;
    let pages: Vec<String> = site_files(site)
        .into_iter()
        .filter(|p| p.starts_with("content/") && p.ends_with(".md"))
        .collect();
    let write = |rel: &str, text: &str| std::fs::write(site.root().join(rel), text).unwrap();
    let read = |rel: &str| std::fs::read_to_string(site.root().join(rel)).unwrap_or_default();
    // A broken step is followed by its repair, so most steps compare whole built sites.
    if let Some(renamed) = pages.iter().find(|p| read(p).contains(RENAMED_HEADING)) {
        write(
            renamed,
            &read(renamed).replacen(RENAMED_HEADING, HEADING, 1),
        );
        return ("restore linked heading".into(), vec![renamed.clone()]);
    }
    if let Some((rel, text)) = edited.removed.pop() {
        write(&rel, &text);
        return ("restore translation".into(), vec![rel]);
    }
    if let Some(rel) = edited.awaited.take() {
        // The link's body did not change: only the new output file can clear its error.
        write(&rel, "an example file\n");
        return ("add linked file".into(), vec![rel]);
    }
    for page in &pages {
        let text = read(page);
        if let Some(broken) = BREAKS.iter().find(|b| text.contains(**b)) {
            write(page, &text.replacen(broken, "\n", 1));
            return ("fix front matter".into(), vec![page.clone()]);
        }
    }
    // Every twentieth step the glossary's translation comes or goes, whatever the dice say.
    if step % 20 == 10 {
        return toggle_glossary(site, step);
    }
    match rng.below(15) {
        0 | 1 => {
            let page = &pages[rng.below(pages.len())];
            // Some English pages also link to the glossary, which lands on its Chinese page
            // while the English one is missing: a warning, which the incremental build must
            // give exactly as a full build does.
            let cross = if page.ends_with(".en.md") && step.is_multiple_of(2) {
                "See the [glossary](@/glossary.md).\n"
            } else {
                ""
            };
            write(
                page,
                &format!(
                    "{}\nEdit {step}: 新的一句话 and a new sentence.\n{cross}",
                    read(page)
                ),
            );
            ("body".into(), vec![page.clone()])
        }
        2 => {
            let page = &pages[rng.below(pages.len())];
            let edited = edit_lines(&read(page), "title: ", |l| format!("{l} ({step})"));
            write(page, &edited);
            ("title".into(), vec![page.clone()])
        }
        3 => {
            let lang = ["zh", "en"][rng.below(2)];
            let country = ["qatar", "japan", "thailand"][rng.below(3)];
            let rel = format!("content/{country}/extra-{step}.{lang}.md");
            write(&rel, &format!("---\ntitle: Extra {step}\nweight: {}\n---\nSee [renewing online](@/{country}/renew-online.md).\n\n1. one\n2. two\n", rng.below(90)));
            added.push(rel.clone());
            ("add page".into(), vec![rel])
        }
        4 if !added.is_empty() => {
            let rel = added.remove(rng.below(added.len()));
            let _ = std::fs::remove_file(site.root().join(&rel));
            ("remove page".into(), vec![rel])
        }
        4 | 5 => toggle_translation(site, rng, step, &pages, &mut edited.removed),
        6 => {
            let country = ["qatar", "japan", "thailand"][rng.below(3)];
            let rel = format!("content/{country}/plans.yaml");
            let text = read(&rel);
            let edited = if step.is_multiple_of(2) {
                // A new price: the first amount's digits get one more leading digit.
                text.replacen("amount: \"", &format!("amount: \"{}", 1 + rng.below(9)), 1)
            } else {
                text.replacen(
                    "validity_days: ",
                    &format!("validity_days: {}", 1 + rng.below(3)),
                    1,
                )
            };
            write(&rel, &edited);
            ("plan".into(), vec![rel])
        }
        7 => {
            // An unknown key, or YAML that does not parse; the next step fixes it.
            let page = &pages[rng.below(pages.len())];
            let with = format!("{}title: ", BREAKS[rng.below(2)]);
            write(page, &read(page).replacen("\ntitle: ", &with, 1));
            ("break front matter".into(), vec![page.clone()])
        }
        8 => {
            let rel = "themes/default/templates/partials/breadcrumbs.html".to_string();
            write(
                &rel,
                &format!("{}<span hidden>v{step}</span>\n", read(&rel).trim_end()),
            );
            ("template".into(), vec![rel])
        }
        9 => {
            // A section's own list length, set or removed in the default language's
            // `_index`: every language's list pages follow.
            let country = ["qatar", "japan", "thailand"][rng.below(3)];
            let rel = format!("content/{country}/_index.zh.md");
            let text = read(&rel);
            let edited = if text.contains("\npaginate_by: ") {
                text.lines()
                    .filter(|l| !l.starts_with("paginate_by: "))
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\n"
            } else {
                text.replacen(
                    "\ntitle: ",
                    &format!("\npaginate_by: {}\ntitle: ", 1 + rng.below(4)),
                    1,
                )
            };
            write(&rel, &edited);
            ("section paginate_by".into(), vec![rel])
        }
        10 => {
            // A heading another page links to by its anchor (`…#before-you-renew`): renamed,
            // that link breaks, though the linking page did not change; the next step
            // renames it back.
            let country = ["qatar", "thailand"][rng.below(2)];
            let rel = format!("content/{country}/renew-online.en.md");
            write(&rel, &read(&rel).replacen(HEADING, RENAMED_HEADING, 1));
            ("linked heading".into(), vec![rel])
        }
        11 => {
            // A stylesheet change: its fingerprinted name changes, so every page's link to
            // it does too.
            let rel = "themes/default/static/css/style.css".to_string();
            write(
                &rel,
                &format!("{}\n.edit-{step} {{ color: red }}\n", read(&rel)),
            );
            ("stylesheet".into(), vec![rel])
        }
        12 => {
            // A page's `updated` date: its sitemap entry's lastmod follows.
            let page = &pages[rng.below(pages.len())];
            let date = format!(
                "updated: 2026-{:02}-{:02}",
                1 + rng.below(12),
                1 + rng.below(28)
            );
            let text = read(page);
            let edited = if text.contains("\nupdated: ") {
                edit_lines(&text, "updated: ", |_| date.clone())
            } else {
                text.replacen("\ntitle: ", &format!("\n{date}\ntitle: "), 1)
            };
            write(page, &edited);
            ("updated date".into(), vec![page.clone()])
        }
        13 => {
            // A plain link to a file that does not exist yet: a broken link until the next
            // step adds the file.
            let page = &pages[rng.below(pages.len())];
            let country = ["qatar", "japan", "thailand"][rng.below(3)];
            let file = format!("{country}/map-{step}.txt");
            write(page, &format!("{}\nSee [the map](/{file}).\n", read(page)));
            edited.awaited = Some(format!("content/{file}"));
            ("plain link to a missing file".into(), vec![page.clone()])
        }
        _ => {
            let lang = ["zh", "en"][rng.below(2)];
            let rel = format!("i18n/{lang}/main.ftl");
            let edited = edit_lines(&read(&rel), "nav-home = ", |_| {
                format!("nav-home = Home {step}")
            });
            write(&rel, &edited);
            ("strings".into(), vec![rel])
        }
    }
}

/// Adds or removes a translation: the glossary's missing English page comes and goes, or a
/// guide's translation inside a country section is removed (its switchers, listings and
/// the links to it change; the next step puts it back).
fn toggle_translation(
    site: &TestSite,
    rng: &mut Rng,
    step: usize,
    pages: &[String],
    removed: &mut Vec<(String, String)>,
) -> (String, Vec<String>) {
    let path = |rel: &str| site.root().join(rel);
    if rng.below(2) == 0 {
        return toggle_glossary(site, step);
    }
    let guides: Vec<&String> = pages
        .iter()
        .filter(|p| {
            p.matches('/').count() == 2 && !p.contains("/_index.") && !p.contains("/extra-")
        })
        .collect();
    let rel = guides[rng.below(guides.len())].clone();
    let text = std::fs::read_to_string(path(&rel)).unwrap();
    std::fs::remove_file(path(&rel)).unwrap();
    removed.push((rel.clone(), text));
    ("remove guide translation".into(), vec![rel])
}

/// Adds the glossary's missing English page, or removes it again.
fn toggle_glossary(site: &TestSite, step: usize) -> (String, Vec<String>) {
    let glossary = "content/glossary.en.md".to_string();
    let path = site.root().join(&glossary);
    if path.exists() {
        std::fs::remove_file(path).unwrap();
        ("remove translation".into(), vec![glossary])
    } else {
        let text = format!("---\ntitle: Glossary {step}\n---\nTerms.\n");
        std::fs::write(path, text).unwrap();
        ("add translation".into(), vec![glossary])
    }
}

/// The site's files (not its build output), sorted.
fn site_files(site: &TestSite) -> Vec<String> {
    crate::harness::list_files(site.root())
        .into_iter()
        .filter(|p| !p.starts_with("public/"))
        .collect()
}

/// The output files and the warnings of a build that succeeded, or its errors.
type Outcome = Result<(BTreeMap<String, Arc<[u8]>>, Vec<String>), Vec<String>>;

fn outcome(result: Result<planguide::pipeline::Compiled, planguide::Diagnostics>) -> Outcome {
    let listed = |d: &planguide::Diagnostics, errors: bool| -> Vec<String> {
        d.sorted()
            .iter()
            .filter(|x| x.is_error() == errors)
            .map(|x| x.to_string())
            .collect()
    };
    result
        .map(|c| {
            let warnings = listed(&c.diagnostics, false);
            (c.output.files, warnings)
        })
        .map_err(|d| listed(&d, true))
}

fn assert_same(step: usize, what: &str, incremental: &Outcome, full: &Outcome) {
    match (incremental, full) {
        (Ok((a, warned_a)), Ok((b, warned_b))) => {
            assert_eq!(
                warned_a, warned_b,
                "step {step} ({what}): different warnings"
            );
            let differing: Vec<&String> = a
                .keys()
                .chain(b.keys())
                .filter(|k| a.get(*k) != b.get(*k))
                .collect();
            assert!(
                differing.is_empty(),
                "step {step} ({what}): incremental differs from full build in {differing:?}"
            );
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "step {step} ({what}): different errors"),
        (a, b) => panic!(
            "step {step} ({what}): incremental ok={} but full ok={}",
            a.is_ok(),
            b.is_ok()
        ),
    }
}

#[test]
fn incremental_rebuilds_equal_full_builds_after_every_random_edit() {
    // Three guides per listing page, so country sections span pages that come and go as
    // guides are added and removed.
    let site = TestSite::example().edit(
        "site.yaml",
        "  stale_after_days: 180",
        "  stale_after_days: 180\n  paginate_by: 3",
    );
    let options = SiteOptions {
        serving: true,
        minify_html: Some(false),
        base_url: Some("http://127.0.0.1:1111/".into()),
        ..Default::default()
    };
    let mut tree = planguide::pipeline::load(site.root()).unwrap();
    let mut cache = BuildCache::new();
    let first =
        outcome(
            compile_with(&tree, &options, &mut cache).map(|c| planguide::pipeline::Compiled {
                pages: c.site.pages.len(),
                output: c.output,
                diagnostics: c.diagnostics,
                timings: c.timings,
            }),
        );
    assert!(first.is_ok());
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut edited = Edited::default();
    let mut reused_pages = 0;
    // Steps whose build had warnings, so comparing them compared something.
    let mut warned_steps = 0;
    let mut pager_counts = std::collections::BTreeSet::new();
    let mut kinds: BTreeMap<String, [usize; 2]> = BTreeMap::new();
    for step in 0..160 {
        let (what, changed) = random_edit(&site, &mut rng, step, &mut edited);
        planguide::source::refresh(site.root(), "default", &mut tree, &changed);
        let incremental = outcome(compile_with(&tree, &options, &mut cache).map(|c| {
            planguide::pipeline::Compiled {
                pages: c.site.pages.len(),
                output: c.output,
                diagnostics: c.diagnostics,
                timings: c.timings,
            }
        }));
        reused_pages += cache.stats.reused;
        let fresh_tree = planguide::pipeline::load(site.root()).unwrap();
        let full = outcome(compile(&fresh_tree, &options));
        assert_same(step, &what, &incremental, &full);
        if let Ok((files, warnings)) = &full {
            warned_steps += usize::from(!warnings.is_empty());
            pager_counts.insert(files.keys().filter(|k| k.contains("/page/")).count());
        }
        kinds.entry(what).or_insert([0, 0])[usize::from(full.is_ok())] += 1;
    }
    eprintln!("edits (failed, built): {kinds:?}; {warned_steps} built with warnings");
    assert!(
        warned_steps >= 40,
        "only {warned_steps} steps had warnings to compare"
    );
    let built: usize = kinds.values().map(|[_, ok]| ok).sum();
    assert!(
        built >= 80,
        "most steps must build, or the comparison is of error lists: {kinds:?}"
    );
    for kind in [
        "remove guide translation",
        "restore translation",
        "add translation",
        "linked heading",
        "stylesheet",
        "updated date",
        "plain link to a missing file",
        "add linked file",
    ] {
        assert!(kinds.contains_key(kind), "no `{kind}` edit: {kinds:?}");
    }
    assert!(
        pager_counts.len() > 1 && !pager_counts.contains(&0),
        "listing pages must come and go during the run: {pager_counts:?}"
    );
    assert!(
        reused_pages > 1000,
        "the cache must actually be used ({reused_pages} reuses)"
    );
}

#[test]
fn the_served_tree_equals_a_fresh_full_build_after_every_edit() {
    let site = TestSite::example();
    let options = crate::serve::loopback_options(&site);
    let server = planguide::serve::start(&options).unwrap();
    let build_options = planguide::serve::site_options(server.address(), false);
    let mut last_good = None;
    let mut rng = Rng(0x0dd_ba11_cafe_0042);
    let mut edited = Edited::default();
    for step in 0..40 {
        let (what, changed) = random_edit(&site, &mut rng, step, &mut edited);
        loop {
            let event = server
                .next_event(std::time::Duration::from_secs(20))
                .unwrap_or_else(|| panic!("step {step}: no rebuild"));
            let seen = match &event {
                ServeEvent::Rebuilt(summary) => summary.changed.clone(),
                ServeEvent::Failed { changed, .. } => changed.clone(),
                ServeEvent::Listening { .. } => Vec::new(),
            };
            if changed.iter().all(|c| seen.contains(c)) {
                break;
            }
        }
        let fresh = compile(
            &planguide::pipeline::load(site.root()).unwrap(),
            &build_options,
        );
        let expected = fresh.as_ref().ok().map(|full| &full.output.files);
        let served = settled_tree(&server, expected.or(last_good.as_ref()));
        match fresh {
            Ok(full) => {
                // The served tree carries no warnings: files are compared.
                let full_files = full.output.files.clone();
                assert_same(
                    step,
                    &what,
                    &Ok((served, vec![])),
                    &Ok((full_files, vec![])),
                );
                last_good = Some(full.output.files);
            }
            Err(_) => {
                if let Some(good) = &last_good {
                    assert_same(
                        step,
                        &format!("{what} (broken: last good kept)"),
                        &Ok((served, vec![])),
                        &Ok((good.clone(), vec![])),
                    );
                }
            }
        }
    }
}

/// The served tree once it equals `expected`, or as it is when the server has had no
/// further rebuild for 3 s. A test write truncates before it writes, so the watcher may
/// rebuild from a half-written file and then again when the write lands: the property under
/// test is that the server ends up equal to a full build, not that it never saw the
/// half-written file.
fn settled_tree(
    server: &planguide::serve::ServerHandle,
    expected: Option<&std::collections::BTreeMap<String, std::sync::Arc<[u8]>>>,
) -> std::collections::BTreeMap<String, std::sync::Arc<[u8]>> {
    loop {
        let served = server.served().unwrap().files.clone();
        if expected.is_none_or(|e| *e == served) {
            return served;
        }
        match server.next_event(std::time::Duration::from_secs(3)) {
            Some(_) => eprintln!("differential: a later rebuild followed a half-written file"),
            None => return served,
        }
    }
}

/// `text` with every line starting with `prefix` replaced by `edit(line)`.
fn edit_lines(text: &str, prefix: &str, edit: impl Fn(&str) -> String) -> String {
    text.lines()
        .map(|l| {
            if l.starts_with(prefix) {
                edit(l)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
