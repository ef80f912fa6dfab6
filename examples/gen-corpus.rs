//! Benchmark corpus generator for planguide.
//!
//! ```sh
//! cargo run --release --example gen-corpus -- --pages 1000 --out /tmp/corpus [--hugo /tmp/corpus-hugo]
//! ```
//!
//! Writes a complete planguide site with `--pages` guide pages **per language** (zh and en),
//! spread over `--countries` sections (default 50), each section with its own `plans.yaml`.
//! The repository's `themes/` and `i18n/` are copied in, so `planguide build --root DIR`
//! works. With `--hugo DIR2` the same corpus is also written as a Hugo site (same Markdown
//! bodies, Hugo front matter, `@/` links turned into plain `/lang/...` URLs, layouts copied
//! from `scripts/bench-hugo/`).
//!
//! Everything is fictional example data (example.com URLs, 555 numbers) and the output is
//! byte-for-byte deterministic for the same arguments: all variation comes from a fixed-seed
//! generator keyed by the page number, and nothing depends on the clock.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use clap::Parser;
use rayon::prelude::*;

/// Generates a planguide benchmark corpus (and optionally the same corpus for Hugo).
#[derive(Debug, Parser)]
#[command(name = "gen-corpus")]
struct Args {
    /// Guide pages per language (the site gets 2 × N guides, plus sections and home pages).
    #[arg(long)]
    pages: usize,
    /// Output folder for the planguide site (created; a previous corpus there is replaced).
    #[arg(long)]
    out: PathBuf,
    /// Also write the same corpus as a Hugo site into this folder.
    #[arg(long)]
    hugo: Option<PathBuf>,
    /// Number of country sections.
    #[arg(long, default_value_t = 50)]
    countries: usize,
}

/// Marker file that identifies a folder this tool wrote (and may therefore replace).
const MARKER: &str = ".planguide-corpus";
const LANGS: [Lang; 2] = [Lang::Zh, Lang::En];
const SEED: u64 = 0x706c_616e_6775_6964; // "planguid"

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Zh,
    En,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
    fn pick(self, pair: &(&'static str, &'static str)) -> &'static str {
        match self {
            Lang::Zh => pair.0,
            Lang::En => pair.1,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Deterministic generator
// ---------------------------------------------------------------------------------------------

/// SplitMix64: tiny, fast, and good enough to vary text.
struct Rng(u64);

impl Rng {
    fn new(stream: u64, index: u64) -> Rng {
        let mut rng = Rng(SEED ^ stream.wrapping_mul(0xA076_1D64_78BD_642F) ^ index);
        rng.next();
        rng
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi_inclusive: usize) -> usize {
        lo + self.below(hi_inclusive - lo + 1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// `k` distinct indices of `0..n`, in ascending order (keeps steps in a sensible order).
    fn subset(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut chosen: Vec<usize> = (0..n).collect();
        for i in 0..k.min(n) {
            let j = i + self.below(n - i);
            chosen.swap(i, j);
        }
        chosen.truncate(k.min(n));
        chosen.sort_unstable();
        chosen
    }
}

// ---------------------------------------------------------------------------------------------
// Countries and plans
// ---------------------------------------------------------------------------------------------

const SYLLABLES: [(&str, &str); 10] = [
    ("Ka", "卡"),
    ("Lo", "洛"),
    ("Mi", "米"),
    ("Ra", "拉"),
    ("Ve", "维"),
    ("Sa", "萨"),
    ("To", "托"),
    ("Ni", "尼"),
    ("Be", "贝"),
    ("Da", "达"),
];
const MIDDLES: [(&str, &str); 10] = [
    ("ro", "罗"),
    ("ma", "马"),
    ("le", "勒"),
    ("ta", "塔"),
    ("si", "西"),
    ("ne", "内"),
    ("ba", "巴"),
    ("vo", "沃"),
    ("ri", "里"),
    ("ga", "加"),
];
const SUFFIXES: [(&str, &str); 6] = [
    ("nia", "尼亚"),
    ("land", "兰"),
    ("stan", "斯坦"),
    ("via", "维亚"),
    ("ria", "利亚"),
    ("dor", "多尔"),
];
const CITIES: [(&str, &str); 8] = [
    ("Port Alder", "阿尔德港"),
    ("Nova Reka", "诺瓦雷卡"),
    ("San Ober", "圣奥贝"),
    ("Kelmar", "凯尔马"),
    ("Velden", "韦尔登"),
    ("Tarsa", "塔尔萨"),
    ("Mirabel", "米拉贝尔"),
    ("Oskhaven", "奥斯克港"),
];
/// (code, decimals, units per US dollar, calling code)
const CURRENCIES: [(&str, u32, f64, u32); 20] = [
    ("QAR", 2, 3.64, 974),
    ("JPY", 0, 150.0, 81),
    ("THB", 2, 36.0, 66),
    ("SGD", 2, 1.35, 65),
    ("MYR", 2, 4.7, 60),
    ("EUR", 2, 0.92, 351),
    ("KRW", 0, 1350.0, 82),
    ("AED", 2, 3.67, 971),
    ("GBP", 2, 0.79, 44),
    ("USD", 2, 1.0, 1),
    ("CHF", 2, 0.88, 41),
    ("OMR", 3, 0.385, 968),
    ("TRY", 2, 32.0, 90),
    ("VND", 0, 25000.0, 84),
    ("INR", 2, 83.0, 91),
    ("MXN", 2, 17.0, 52),
    ("BRL", 2, 5.0, 55),
    ("ZAR", 2, 18.5, 27),
    ("KWD", 3, 0.307, 965),
    ("NZD", 2, 1.65, 64),
];
const PROVIDERS: [&str; 8] = [
    "Example Mobile",
    "Demo Telecom",
    "Sample Connect",
    "Placeholder Wireless",
    "Testnet Cellular",
    "Mock Mobile",
    "Fixture Telecom",
    "Dummy Data Co",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlanKind {
    Visitor,
    Data,
    Unlimited,
    Tourist,
}

#[derive(Debug, Clone)]
struct PlanSpec {
    id: String,
    kind: PlanKind,
    provider: String,
    name: (String, String),
    amount: String,
    data: String,
    validity: u32,
    verified: String,
    online: bool,
    phone: bool,
    in_store: bool,
    ussd: String,
    number: String,
    minutes: (u32, u32, u32),
}

impl PlanSpec {
    fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name.0,
            Lang::En => &self.name.1,
        }
    }
    fn offers(&self, channel: Channel) -> bool {
        match channel {
            Channel::Online => self.online,
            Channel::Phone => self.phone,
            Channel::InStore => self.in_store,
            _ => true,
        }
    }
}

#[derive(Debug, Clone)]
struct Country {
    index: usize,
    slug: String,
    name: (String, String),
    city: (&'static str, &'static str),
    currency: &'static str,
    plans: Vec<PlanSpec>,
}

impl Country {
    fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name.0,
            Lang::En => &self.name.1,
        }
    }
}

fn format_amount(usd: f64, per_usd: f64, decimals: u32) -> String {
    let local = usd * per_usd;
    match decimals {
        0 => {
            // Round to a "price-like" step: 10, 100 or 1000 units.
            let step = if local >= 10_000.0 {
                1000.0
            } else if local >= 1000.0 {
                100.0
            } else {
                10.0
            };
            format!("{}", ((local / step).round().max(1.0) * step) as u64)
        }
        3 => format!("{:.3}", (local * 4.0).round().max(1.0) / 4.0),
        _ => format!("{:.2}", local.round().max(1.0)),
    }
}

fn make_countries(count: usize) -> Vec<Country> {
    let width = digits(count.saturating_sub(1)).max(2);
    (0..count)
        .map(|c| {
            let mut rng = Rng::new(1, c as u64);
            let a = SYLLABLES[c % 10];
            let b = MIDDLES[(c / 10 + c * 3) % 10];
            let s = SUFFIXES[(c / 10) % SUFFIXES.len()];
            let mut name_en = format!("{}{}{}", a.0, b.0, s.0);
            let mut name_zh = format!("{}{}{}", a.1, b.1, s.1);
            if c >= 60 {
                // Keep names unique beyond 60 countries.
                let _ = write!(name_en, " {}", c / 60 + 1);
                let _ = write!(name_zh, "{}", c / 60 + 1);
            }
            let (currency, decimals, per_usd, calling) = CURRENCIES[c % CURRENCIES.len()];
            let slug = format!("country-{c:0width$}");
            let short = format!("c{c:0width$}");
            let plan_count = 3 + c % 2;
            let kinds = [
                PlanKind::Visitor,
                PlanKind::Data,
                PlanKind::Unlimited,
                PlanKind::Tourist,
            ];
            let plans = kinds[..plan_count]
                .iter()
                .enumerate()
                .map(|(p, &kind)| {
                    let provider = format!(
                        "{} {}",
                        PROVIDERS[(c + p * 3) % PROVIDERS.len()],
                        name_en.chars().take(2).collect::<String>().to_uppercase()
                    );
                    let (validity, data, usd, name) = match kind {
                        PlanKind::Visitor => {
                            let d = [7u32, 10, 15][rng.below(3)];
                            (
                                d,
                                format!("{}GB", [5, 8, 10][rng.below(3)]),
                                10.0 + d as f64,
                                (format!("访客 {d} 天流量卡"), format!("Visitor {d}-day SIM")),
                            )
                        }
                        PlanKind::Data => {
                            let d = [28u32, 30, 31][rng.below(3)];
                            (
                                d,
                                format!("{}GB", [20, 30, 50][rng.below(3)]),
                                25.0 + rng.below(15) as f64,
                                (format!("{d} 天数据 eSIM"), format!("Data {d}-day eSIM")),
                            )
                        }
                        PlanKind::Unlimited => {
                            let d = [5u32, 7, 8][rng.below(3)];
                            (
                                d,
                                "unlimited".to_string(),
                                18.0 + rng.below(10) as f64,
                                (
                                    format!("{d} 天不限量套餐"),
                                    format!("Unlimited {d}-day plan"),
                                ),
                            )
                        }
                        PlanKind::Tourist => {
                            let d = [3u32, 5][rng.below(2)];
                            (
                                d,
                                ["500MB", "1.5GB", "3GB"][rng.below(3)].to_string(),
                                5.0 + rng.below(5) as f64,
                                (format!("游客 {d} 天卡"), format!("Tourist {d}-day card")),
                            )
                        }
                    };
                    let tag = match kind {
                        PlanKind::Visitor => "visitor",
                        PlanKind::Data => "data",
                        PlanKind::Unlimited => "unlimited",
                        PlanKind::Tourist => "tourist",
                    };
                    PlanSpec {
                        id: format!("{short}-{tag}-{validity}"),
                        kind,
                        provider,
                        name,
                        amount: format_amount(usd, per_usd, decimals),
                        data,
                        validity,
                        verified: format!("2026-{:02}-{:02}", 9 + rng.below(2), rng.range(1, 28)),
                        online: kind != PlanKind::Tourist,
                        phone: kind != PlanKind::Unlimited,
                        in_store: kind != PlanKind::Data,
                        ussd: format!("*555*{}#", c * 10 + p + 1),
                        number: format!("+{calling} 555 01{:02}", (c * 4 + p) % 100),
                        minutes: (
                            [2u32, 5, 10][rng.below(3)],
                            [5u32, 10, 15][rng.below(3)],
                            [10u32, 15, 30][rng.below(3)],
                        ),
                    }
                })
                .collect();
            Country {
                index: c,
                slug,
                name: (name_zh, name_en),
                city: CITIES[c % CITIES.len()],
                currency,
                plans,
            }
        })
        .collect()
}

fn plans_yaml(country: &Country) -> String {
    let mut y = String::with_capacity(2048);
    y.push_str(
        "# Benchmark corpus: providers, prices, phone numbers and URLs are fictional.\nplans:\n",
    );
    for (i, p) in country.plans.iter().enumerate() {
        if i > 0 {
            y.push('\n');
        }
        let _ = writeln!(y, "  - id: {}", p.id);
        let _ = writeln!(y, "    country: {}", country.slug);
        let _ = writeln!(y, "    provider: {}", p.provider);
        let _ = writeln!(
            y,
            "    name:\n      zh: {}\n      en: {}",
            p.name.0, p.name.1
        );
        let _ = writeln!(
            y,
            "    price: {{ amount: \"{}\", currency: {} }}",
            p.amount, country.currency
        );
        let _ = writeln!(y, "    data: {}", p.data);
        let _ = writeln!(y, "    validity_days: {}", p.validity);
        let _ = writeln!(y, "    verified: {}", p.verified);
        y.push_str("    renewal:\n");
        if p.online {
            let pay = if p.kind == PlanKind::Data {
                "[card, bank-transfer]"
            } else {
                "[card, e-wallet]"
            };
            let _ = writeln!(
                y,
                "      online:\n        website: https://renew.example.com/{}/{}\n        payment: {pay}\n        credit_minutes: {}",
                country.slug, p.id, p.minutes.0
            );
        }
        if p.phone {
            y.push_str("      phone:\n");
            if p.kind != PlanKind::Data {
                let _ = writeln!(y, "        number: \"{}\"", p.number);
            }
            let _ =
                writeln!(
                y,
                "        ussd: \"{}\"\n        payment: [airtime{}]\n        credit_minutes: {}",
                p.ussd,
                if p.kind == PlanKind::Visitor { ", card" } else { "" },
                p.minutes.1
            );
        }
        if p.in_store {
            let kinds = match p.kind {
                PlanKind::Visitor => "[operator-store, convenience-store]",
                PlanKind::Unlimited => "[operator-store, airport-kiosk]",
                _ => "[phone-shop, supermarket, convenience-store]",
            };
            let open = 8 + (country.index % 3);
            let _ = writeln!(
                y,
                "      in_store:\n        store_kinds: {kinds}\n        hours_note:\n          zh: 多数门店 {open}:00–21:00 营业，节假日可能提前关门。\n          en: Most stores open {open}:00–21:00; some close early on public holidays.\n        payment: [cash, card]\n        credit_minutes: {}",
                p.minutes.2
            );
        }
    }
    y
}

// ---------------------------------------------------------------------------------------------
// Guide pages
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Channel {
    Online,
    Airport,
    LocalShop,
    RenewOnline,
    Phone,
    InStore,
}

impl Channel {
    const ALL: [Channel; 6] = [
        Channel::Online,
        Channel::Airport,
        Channel::LocalShop,
        Channel::RenewOnline,
        Channel::Phone,
        Channel::InStore,
    ];
    fn kind(self) -> &'static str {
        match self {
            Channel::Online | Channel::Airport | Channel::LocalShop => "purchase",
            _ => "renewal",
        }
    }
    fn code(self) -> &'static str {
        match self {
            Channel::Online | Channel::RenewOnline => "online",
            Channel::Airport => "airport",
            Channel::LocalShop => "local-shop",
            Channel::Phone => "phone",
            Channel::InStore => "in-store",
        }
    }
    /// The renewal channel whose plan facts matter for this guide.
    fn renewal(self) -> Option<Channel> {
        match self {
            Channel::RenewOnline => Some(Channel::Online),
            Channel::Phone => Some(Channel::Phone),
            Channel::InStore => Some(Channel::InStore),
            _ => None,
        }
    }
    fn idx(self) -> usize {
        Channel::ALL.iter().position(|&c| c == self).unwrap_or(0)
    }
}

/// What every page needs to know about every other page (for titles of links).
#[derive(Debug, Clone)]
struct PageMeta {
    index: usize,
    country: usize,
    local: usize,
    channel: Channel,
    plans: Vec<usize>,
    qualifier: usize,
    title_plan: usize,
    updated: String,
    links: Vec<usize>,
}

struct Corpus {
    pages: usize,
    width: usize,
    per_country: usize,
    countries: Vec<Country>,
    metas: Vec<PageMeta>,
}

impl Corpus {
    fn new(pages: usize, country_count: usize) -> Corpus {
        let countries = make_countries(country_count);
        let per_country = pages.div_ceil(country_count).max(1);
        let metas = (0..pages)
            .map(|i| {
                let mut rng = Rng::new(2, i as u64);
                let country = i / per_country;
                let local = i % per_country;
                // Rotate through all six guide types, with a per-country offset.
                let channel = Channel::ALL[(local + country) % 6];
                let offered: Vec<usize> = countries[country]
                    .plans
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| channel.renewal().is_none_or(|r| p.offers(r)))
                    .map(|(k, _)| k)
                    .collect();
                let take = rng.range(1, offered.len().min(3));
                let plans: Vec<usize> = rng
                    .subset(offered.len(), take)
                    .into_iter()
                    .map(|k| offered[k])
                    .collect();
                let title_plan = plans[rng.below(plans.len())];
                let qualifier = rng.below(QUALIFIERS.len());
                let updated = format!("2026-10-{:02}", rng.range(1, 28));
                let mut links = Vec::new();
                if pages > 1 {
                    let n = rng.range(1, 2);
                    for _ in 0..n {
                        // Half the links stay in the country, half go anywhere.
                        let target = if rng.below(2) == 0 {
                            let start = country * per_country;
                            let len = per_country.min(pages - start);
                            start + rng.below(len)
                        } else {
                            rng.below(pages)
                        };
                        let target = if target == i { (i + 1) % pages } else { target };
                        if !links.contains(&target) && target != i {
                            links.push(target);
                        }
                    }
                }
                PageMeta {
                    index: i,
                    country,
                    local,
                    channel,
                    plans,
                    qualifier,
                    title_plan,
                    updated,
                    links,
                }
            })
            .collect();
        Corpus {
            pages,
            width: digits(pages.saturating_sub(1)).max(4),
            per_country,
            countries,
            metas,
        }
    }

    fn slug(&self, i: usize) -> String {
        format!("page-{:0w$}", i, w = self.width)
    }

    fn title(&self, meta: &PageMeta, lang: Lang) -> String {
        let country = &self.countries[meta.country];
        let plan = country.plans[meta.title_plan].name(lang);
        let q = lang.pick(&QUALIFIERS[meta.qualifier]);
        let name = country.name(lang);
        match lang {
            Lang::Zh => cjk_space(&match meta.channel {
                Channel::Online => format!("在{name}网上购买{plan}（{q}）"),
                Channel::Airport => format!("在{name}机场购买{plan}（{q}）"),
                Channel::LocalShop => format!("在{name}本地门店购买{plan}（{q}）"),
                Channel::RenewOnline => format!("在{name}网上续费{plan}（{q}）"),
                Channel::Phone => format!("在{name}通过电话续费{plan}（{q}）"),
                Channel::InStore => format!("在{name}到店续费{plan}（{q}）"),
            }),
            Lang::En => match meta.channel {
                Channel::Online => format!("Buy the {plan} online for {name} ({q})"),
                Channel::Airport => format!("Buy the {plan} at the airport in {name} ({q})"),
                Channel::LocalShop => format!("Buy the {plan} in a local shop in {name} ({q})"),
                Channel::RenewOnline => format!("Renew the {plan} online in {name} ({q})"),
                Channel::Phone => format!("Renew the {plan} by phone in {name} ({q})"),
                Channel::InStore => format!("Renew the {plan} in a store in {name} ({q})"),
            },
        }
    }

    /// Front matter (planguide's or Hugo's) plus the Markdown body with `@/` links.
    fn page(&self, meta: &PageMeta, lang: Lang, hugo: bool) -> String {
        let country = &self.countries[meta.country];
        let mut rng = Rng::new(3, meta.index as u64);
        let pools = &CHANNEL_POOLS[meta.channel.idx()];
        let title = self.title(meta, lang);
        let desc = lang.pick(rng.pick(pools.descriptions));
        let plan = &country.plans[meta.title_plan];
        let vars = Vars {
            lang,
            country: country.name(lang),
            city: lang.pick(&country.city),
            plan: plan.name(lang),
            price: format!("{} {}", plan.amount, country.currency),
            days: plan.validity,
            ussd: &plan.ussd,
            minutes: match meta.channel {
                Channel::RenewOnline => plan.minutes.0,
                Channel::Phone => plan.minutes.1,
                _ => plan.minutes.2,
            },
        };
        let plan_ids: Vec<&str> = meta
            .plans
            .iter()
            .map(|&k| country.plans[k].id.as_str())
            .collect();
        let weight = (meta.local + 1) * 10;

        let mut s = String::with_capacity(2400);
        s.push_str("---\n");
        let _ = writeln!(s, "title: {title}");
        let _ = writeln!(s, "description: {}", vars.fill(desc));
        if hugo {
            let _ = writeln!(s, "date: {}", meta.updated);
            let _ = writeln!(s, "weight: {weight}");
            let _ = writeln!(s, "guide_kind: {}", meta.channel.kind());
            let _ = writeln!(s, "channel: {}", meta.channel.code());
            let _ = writeln!(s, "plans: [{}]", plan_ids.join(", "));
        } else {
            let _ = writeln!(s, "kind: {}", meta.channel.kind());
            let _ = writeln!(s, "channel: {}", meta.channel.code());
            let _ = writeln!(s, "plans: [{}]", plan_ids.join(", "));
            let _ = writeln!(s, "updated: {}", meta.updated);
            let _ = writeln!(s, "weight: {weight}");
        }
        s.push_str("---\n\n");

        // Intro: one channel sentence and one or two general ones.
        let intro = lang.pick(rng.pick(pools.intros));
        s.push_str(&vars.fill(intro));
        let extra = rng.range(1, 2);
        for k in rng.subset(GENERAL_INTROS.len(), extra) {
            s.push_str(if lang == Lang::Zh { "" } else { " " });
            s.push_str(&vars.fill(lang.pick(&GENERAL_INTROS[k])));
        }
        s.push_str("\n\n");

        // Before you go / renew.
        let before = if meta.channel.kind() == "purchase" {
            rng.pick(&BEFORE_BUY_HEADINGS)
        } else {
            rng.pick(&BEFORE_RENEW_HEADINGS)
        };
        let _ = writeln!(s, "## {}\n", lang.pick(before));
        for k in rng.subset(TIPS.len(), 2) {
            let _ = writeln!(s, "- {}", vars.fill(lang.pick(&TIPS[k])));
        }
        s.push('\n');

        // Plan table.
        let _ = writeln!(s, "## {}\n", lang.pick(rng.pick(&COST_HEADINGS)));
        s.push_str(lang.pick(&TABLE_HEAD));
        s.push_str("\n|---|---|---|---|---|\n");
        for &k in &meta.plans {
            let p = &country.plans[k];
            let data = if p.data == "unlimited" {
                lang.pick(&("不限量", "unlimited")).to_string()
            } else {
                p.data.clone()
            };
            let validity = match lang {
                Lang::Zh => format!("{} 天", p.validity),
                Lang::En => format!("{} days", p.validity),
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} {} |",
                p.name(lang),
                p.provider,
                data,
                validity,
                p.amount,
                country.currency
            );
        }
        s.push('\n');

        // Steps.
        let _ = writeln!(s, "## {}\n", lang.pick(rng.pick(&STEPS_HEADINGS)));
        let step_count = rng.range(4, 5);
        let steps = rng.subset(pools.steps.len(), step_count);
        for (n, k) in steps.into_iter().enumerate() {
            let _ = writeln!(s, "{}. {}", n + 1, vars.fill(lang.pick(&pools.steps[k])));
        }
        s.push('\n');

        // Code block.
        s.push_str(&self.code_block(meta, country, plan, lang, &mut rng));
        s.push('\n');

        // Internal links.
        if !meta.links.is_empty() {
            let link = |t: usize| {
                let target = &self.metas[t];
                format!(
                    "[{}](@/{}/{}.md)",
                    self.title(target, lang),
                    self.countries[target.country].slug,
                    self.slug(t)
                )
            };
            let links: Vec<String> = meta.links.iter().map(|&t| link(t)).collect();
            match (lang, links.as_slice()) {
                (Lang::Zh, [a]) => {
                    let _ = writeln!(s, "需要其他办法？另请参阅{a}。");
                }
                (Lang::Zh, [a, b, ..]) => {
                    let _ = writeln!(s, "需要其他办法？另请参阅{a}和{b}。");
                }
                (Lang::En, [a]) => {
                    let _ = writeln!(s, "Need another option? See also {a}.");
                }
                (Lang::En, [a, b, ..]) => {
                    let _ = writeln!(s, "Need another option? See also {a} and {b}.");
                }
                _ => {}
            }
            s.push('\n');
        }

        // Checklist.
        let _ = writeln!(s, "## {}\n", lang.pick(&("检查清单", "Checklist")));
        let items = rng.range(3, 4);
        for k in rng.subset(pools.checklist.len(), items) {
            let _ = writeln!(s, "- [ ] {}", vars.fill(lang.pick(&pools.checklist[k])));
        }
        s.push('\n');
        s.push_str(lang.pick(&(
            "> 示例数据：本页中的运营商、价格、号码和网址均为虚构。\n",
            "> Example data: providers, prices, numbers and URLs on this page are fictional.\n",
        )));
        s
    }

    fn code_block(
        &self,
        meta: &PageMeta,
        country: &Country,
        plan: &PlanSpec,
        lang: Lang,
        rng: &mut Rng,
    ) -> String {
        let variant = match meta.channel {
            Channel::Phone => 0,
            Channel::RenewOnline | Channel::Online => 1 + rng.below(2),
            _ => 2 + rng.below(2),
        };
        match (variant, lang) {
            (0, Lang::Zh) => format!(
                "```text\n{}  → 1（续费）→ {}（{}）→ 1（话费付款）→ 1（确认）\n```\n",
                plan.ussd,
                meta.title_plan + 1,
                plan.name.0
            ),
            (0, Lang::En) => format!(
                "```text\n{}  → 1 (renew) → {} ({}) → 1 (pay with airtime) → 1 (confirm)\n```\n",
                plan.ussd,
                meta.title_plan + 1,
                plan.name.1
            ),
            (1, _) => format!(
                "```bash\n# {}\ncurl -s \"https://api.example.com/{}/plans/{}\" \\\n  -H \"Accept: application/json\" | jq '.price, .validity_days'\n```\n",
                lang.pick(&("查询套餐的当前价格（示例接口）", "check the plan's current price (example API)")),
                country.slug,
                plan.id
            ),
            (2, Lang::Zh) => format!(
                "```text\n【示例】您的{}已生效，有效期 {} 天，剩余流量 {}。查询余量请拨 {}。\n```\n",
                plan.name.0, plan.validity, plan.data, plan.ussd
            ),
            (2, Lang::En) => format!(
                "```text\nDEMO: your {} is active for {} days, data left: {}. Dial {} to check.\n```\n",
                plan.name.1, plan.validity, plan.data, plan.ussd
            ),
            (_, _) => format!(
                "```bash\n# {}\nadb shell settings get global mobile_data\nadb shell dumpsys telephony.registry | grep -m1 mServiceState\n```\n",
                lang.pick(&("用 adb 检查移动数据是否已打开", "check with adb that mobile data is on")),
            ),
        }
    }

    fn section_index(&self, country: &Country, lang: Lang, hugo: bool) -> String {
        let name = country.name(lang);
        let mut s = String::with_capacity(1500);
        s.push_str("---\n");
        let _ = writeln!(s, "title: {name}");
        let _ = match lang {
            Lang::Zh => writeln!(s, "description: 在{name}购买和续费旅行 SIM 卡或数据 eSIM 的示例指南。"),
            Lang::En => writeln!(s, "description: Example guides for buying and renewing a travel SIM or data eSIM in {name}."),
        };
        let _ = writeln!(s, "weight: {}", (country.index + 1) * 10);
        if hugo {
            s.push_str("date: 2026-10-01\n");
        }
        s.push_str("---\n\n");
        let plans: Vec<&str> = country.plans.iter().map(|p| p.name(lang)).collect();
        let _ = match lang {
            Lang::Zh => writeln!(
                s,
                "前往{name}的旅客有 {} 个示例套餐可选：{}。大多数旅客会在出发前或在{}机场购买，之后通过网上、电话或门店续费。\n",
                plans.len(),
                plans.join("、"),
                country.city.1
            ),
            Lang::En => writeln!(
                s,
                "Travellers to {name} can choose between {} example plans: {}. Most buy before flying or at the airport in {}, then renew online, by phone or in a store.\n",
                plans.len(),
                plans.join(", "),
                country.city.0
            ),
        };
        let start = country.index * self.per_country;
        let end = (start + self.per_country).min(self.pages);
        for (kind, heading) in [
            ("purchase", ("购买套餐", "Buying a plan")),
            ("renewal", ("续费套餐", "Renewing a plan")),
        ] {
            let guides: Vec<&PageMeta> = self.metas[start.min(end)..end]
                .iter()
                .filter(|m| m.channel.kind() == kind)
                .take(3)
                .collect();
            if guides.is_empty() {
                continue;
            }
            let _ = writeln!(s, "## {}\n", lang.pick(&heading));
            for m in guides {
                let _ = writeln!(
                    s,
                    "- [{}](@/{}/{}.md)",
                    self.title(m, lang),
                    country.slug,
                    self.slug(m.index)
                );
            }
            s.push('\n');
        }
        s.push_str(lang.pick(&(
            "> 示例数据：本栏目中的运营商、价格、号码和网址均为虚构。\n",
            "> Example data: all providers, prices, numbers and URLs in this section are fictional.\n",
        )));
        s
    }

    fn home(&self, lang: Lang, hugo: bool) -> String {
        let mut s = String::with_capacity(4096);
        s.push_str("---\n");
        match lang {
            Lang::Zh => s.push_str("title: 旅行 SIM 卡与 eSIM 套餐指南（基准测试语料）\ndescription: 虚构国家的旅行 SIM 卡与 eSIM 购买和续费指南，用于性能基准测试。\n"),
            Lang::En => s.push_str("title: Travel SIM and eSIM plan guides (benchmark corpus)\ndescription: Buying and renewal guides for travel SIMs and eSIMs in fictional countries, generated for benchmarks.\n"),
        }
        if hugo {
            s.push_str("date: 2026-10-01\n");
        }
        s.push_str("---\n\n");
        s.push_str(lang.pick(&(
            "本站由基准测试生成器自动生成：所有国家、运营商、价格、电话号码和网址都是虚构的。\n\n从一个国家开始：\n\n",
            "This site was generated for benchmarks: every country, provider, price, phone number and URL is fictional.\n\nStart with a country:\n\n",
        )));
        for c in &self.countries {
            let _ = writeln!(s, "- [{}](@/{}/_index.md)", c.name(lang), c.slug);
        }
        s.push('\n');
        s.push_str(lang.pick(&(
            "> 详见[关于本站](@/about.md)。\n",
            "> See [about this site](@/about.md).\n",
        )));
        s
    }

    fn about(&self, lang: Lang, hugo: bool) -> String {
        let mut s = String::from("---\n");
        match lang {
            Lang::Zh => s.push_str("title: 关于本站\ndescription: 这是自动生成的基准测试语料，所有内容均为虚构。\n"),
            Lang::En => s.push_str("title: About this site\ndescription: A generated benchmark corpus; everything in it is fictional.\n"),
        }
        if hugo {
            s.push_str("date: 2026-10-01\n");
        } else {
            s.push_str("kind: page\n");
        }
        s.push_str("---\n\n");
        let _ = match lang {
            Lang::Zh => writeln!(
                s,
                "本站由 `gen-corpus` 生成，共有 {} 个国家、每种语言 {} 篇指南。\n\n## 示例数据\n\n所有运营商、价格、电话号码和网址均为虚构，电话号码使用 555 号段，网址使用 `example.com`。",
                self.countries.len(),
                self.pages
            ),
            Lang::En => writeln!(
                s,
                "This site was written by `gen-corpus`: {} countries and {} guides per language.\n\n## Example data\n\nEvery provider, price, phone number and URL is fictional; numbers use the 555 range and addresses use `example.com`.",
                self.countries.len(),
                self.pages
            ),
        };
        s
    }
}

/// Per-language values substituted into `{name}` placeholders.
struct Vars<'a> {
    lang: Lang,
    country: &'a str,
    city: &'a str,
    plan: &'a str,
    price: String,
    days: u32,
    ussd: &'a str,
    minutes: u32,
}

impl Vars<'_> {
    fn fill(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            match &after[..close] {
                "country" => out.push_str(self.country),
                "city" => out.push_str(self.city),
                "plan" => out.push_str(self.plan),
                "price" => out.push_str(&self.price),
                "days" => {
                    let _ = write!(out, "{}", self.days);
                }
                "ussd" => {
                    out.push('`');
                    out.push_str(self.ussd);
                    out.push('`');
                }
                "minutes" => {
                    let _ = write!(out, "{}", self.minutes);
                }
                other => {
                    let _ = write!(out, "{{{other}}}");
                }
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        match self.lang {
            Lang::Zh => cjk_space(&out),
            Lang::En => out,
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Chinese typesetting: a space between Han characters and Latin letters or digits
/// (`购买5 天` → `购买 5 天`, `eSIM的` → `eSIM 的`), as the hand-written pages do.
fn cjk_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if let Some(p) = prev {
            if (is_cjk(p) && c.is_ascii_alphanumeric()) || (p.is_ascii_alphanumeric() && is_cjk(c))
            {
                out.push(' ');
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Text pools: parallel (zh, en) pairs, so the two languages are real translations
// ---------------------------------------------------------------------------------------------

type Pair = (&'static str, &'static str);

const QUALIFIERS: [Pair; 12] = [
    ("短途旅行", "short trips"),
    ("商务出差", "business trips"),
    ("带孩子出行", "travelling with children"),
    ("双卡手机", "dual-SIM phones"),
    ("深夜到达", "late-night arrivals"),
    ("长期停留", "long stays"),
    ("只用流量", "data only"),
    ("留学生", "students"),
    ("自驾游", "road trips"),
    ("背包旅行", "backpackers"),
    ("周末游", "weekend trips"),
    ("转机停留", "layovers"),
];

const BEFORE_BUY_HEADINGS: [Pair; 3] = [
    ("出发前须知", "Before you go"),
    ("需要准备什么", "What to bring"),
    ("购买前须知", "Before you buy"),
];
const BEFORE_RENEW_HEADINGS: [Pair; 3] = [
    ("续费前须知", "Before you renew"),
    ("需要注意什么", "Things to know"),
    ("续费之前", "Before renewing"),
];
const COST_HEADINGS: [Pair; 3] = [
    ("费用一览", "What it costs"),
    ("套餐与价格", "Plans and prices"),
    ("适用套餐", "Plans covered"),
];
const STEPS_HEADINGS: [Pair; 3] = [
    ("操作步骤", "Steps"),
    ("具体步骤", "How to do it"),
    ("办理流程", "How it works"),
];
const TABLE_HEAD: Pair = (
    "| 套餐 | 运营商 | 流量 | 有效期 | 价格 |",
    "| Plan | Provider | Data | Validity | Price |",
);

const GENERAL_INTROS: [Pair; 10] = [
    ("本页列出的价格和续费方式都在最近一次核实时确认过。", "The prices and renewal options on this page were confirmed when the plan facts were last checked."),
    ("大多数旅客在落地后的第一个小时内就需要上网，提前了解流程可以省下不少时间。", "Most travellers need data within the first hour after landing, so knowing the steps in advance saves time."),
    ("如果你的手机支持双卡，可以保留国内号码接收验证码短信。", "If your phone has two SIM slots, keep your home number active to receive verification texts."),
    ("套餐的有效期从第一次连接网络时开始计算，而不是从购买时开始。", "The validity period starts when the plan first connects, not when you buy it."),
    ("{city}的信号覆盖很好，但郊区和山区的速度可能明显变慢。", "Coverage in {city} is good, but speeds can drop noticeably in rural and mountain areas."),
    ("节假日期间排队的人较多，建议预留额外的时间。", "Queues are longer around public holidays, so leave some extra time."),
    ("付款时请保留收据或确认邮件，售后和退款都需要用到。", "Keep the receipt or confirmation email; you need it for support and refunds."),
    ("本页所有示例均为虚构，请勿拨打其中的号码。", "Every example on this page is fictional; do not dial the numbers."),
    ("套餐价格为 {price}，已包含当地的税费。", "The plan costs {price}, local taxes included."),
    ("流量用完后网速会降到很低，但仍可以收发短信。", "Once the data runs out, speed drops sharply, but texts still work."),
];

const TIPS: [Pair; 12] = [
    (
        "确认手机已经解锁，否则无法使用当地的 SIM 卡。",
        "Make sure your phone is unlocked, or a local SIM card will not work.",
    ),
    (
        "随身携带护照，实名登记时需要出示。",
        "Carry your passport: registration requires it.",
    ),
    (
        "{plan}的有效期为 {days} 天，到期后需要续费。",
        "The {plan} lasts {days} days and then needs renewing.",
    ),
    (
        "部分手机需要手动打开数据漫游，才能使用当地线路上网。",
        "Some phones need data roaming switched on even for a local line.",
    ),
    (
        "查询余额请拨打 {ussd}，费用为零。",
        "Dial {ussd} to check your balance; it is free.",
    ),
    (
        "机场柜台的价格有时比市区略高，可以先比较再购买。",
        "Airport prices are sometimes a little higher than in town, so compare first.",
    ),
    (
        "把国内 SIM 卡放在安全的地方，它很小，容易丢失。",
        "Put your home SIM card somewhere safe; it is tiny and easy to lose.",
    ),
    (
        "到账时间一般为 {minutes} 分钟左右，高峰时段可能更长。",
        "Credit usually arrives within about {minutes} minutes, longer at peak times.",
    ),
    (
        "公共 Wi-Fi 可以用来完成续费，但不要在上面输入银行卡信息。",
        "Public Wi-Fi is fine for renewing, but avoid typing card details on it.",
    ),
    (
        "在{city}，大部分便利店都可以购买充值卡。",
        "In {city}, most convenience stores sell top-up vouchers.",
    ),
    (
        "客服电话在工作日的上午最容易接通。",
        "The support line is easiest to reach on weekday mornings.",
    ),
    (
        "如果短信迟迟没有到达，重启手机通常可以解决问题。",
        "If the confirmation text does not arrive, restarting the phone usually helps.",
    ),
];

struct ChannelPools {
    descriptions: &'static [Pair],
    intros: &'static [Pair],
    steps: &'static [Pair],
    checklist: &'static [Pair],
}

const CHANNEL_POOLS: [ChannelPools; 6] = [
    // purchase / online
    ChannelPools {
        descriptions: &[
            ("出发前在网上购买 eSIM，扫描二维码即可安装，落地就能上网。", "Buy an eSIM online before you fly; scan the QR code and data works when you land."),
            ("在运营商网站下单，几分钟内就能收到 eSIM 二维码。", "Order on the provider's website and get the eSIM QR code within minutes."),
        ],
        intros: &[
            ("在{country}，最省事的办法是出发前在网上买好{plan}，落地就能上网。", "In {country}, the easiest option is to buy the {plan} online before you fly, so data works as soon as you land."),
            ("网上商店接受银行卡付款，eSIM 的二维码通常几分钟内就会发到邮箱。", "The web shop takes cards, and the eSIM QR code usually arrives by email within minutes."),
            ("不想在机场排队？网上购买{plan}只需要五分钟。", "Not keen on airport queues? Buying the {plan} online takes five minutes."),
        ],
        steps: &[
            ("打开运营商网站，选择{plan}并填写出行日期。", "Open the provider's website, choose the {plan} and enter your travel dates."),
            ("用银行卡付款，等待确认邮件。", "Pay by card and wait for the confirmation email."),
            ("用另一块屏幕显示二维码，在手机设置中扫描安装 eSIM。", "Show the QR code on a second screen and scan it in your phone's settings to install the eSIM."),
            ("把新线路设为移动数据线路，并打开数据漫游。", "Set the new line as the mobile data line and switch on data roaming."),
            ("落地后重启手机，打开任意网页确认可以上网。", "After landing, restart the phone and open any web page to check that data works."),
            ("在账户页面记下套餐的到期日。", "Note the plan's expiry date on your account page."),
            ("保存好订单号，续费和售后都会用到。", "Keep the order number; you need it for renewals and support."),
        ],
        checklist: &[
            ("手机已解锁并支持 eSIM", "Phone unlocked and eSIM-capable"),
            ("已收到二维码邮件", "QR code email received"),
            ("出行日期填写无误", "Travel dates entered correctly"),
            ("已设置数据线路", "Data line selected"),
            ("落地后已测试上网", "Data tested after landing"),
        ],
    },
    // purchase / airport
    ChannelPools {
        descriptions: &[
            ("在到达大厅的柜台购买 SIM 卡，工作人员会用护照登记并当场激活。", "Pick up a SIM card at a kiosk in the arrivals hall; staff register it with your passport and activate it on the spot."),
            ("落地后在机场柜台买卡，十分钟内就能上网。", "Buy a card at the airport kiosk after landing and be online within ten minutes."),
        ],
        intros: &[
            ("如果手机不支持 eSIM，或者希望有人帮忙设置，可以在{city}机场到达大厅的柜台购买{plan}。", "If your phone does not support eSIM, or you prefer someone to set it up, buy the {plan} at a kiosk in the arrivals hall in {city}."),
            ("{country}的主要机场都设有运营商柜台，大部分国际航班到达时都在营业。", "The main airports in {country} have provider kiosks that are open for most international arrivals."),
            ("机场柜台可以用现金或银行卡付款，工作人员会帮你完成激活。", "Airport kiosks take cash or cards, and staff activate the plan for you."),
        ],
        steps: &[
            ("出海关后，按指示牌前往到达大厅的运营商柜台。", "After customs, follow the signs to the provider kiosks in the arrivals hall."),
            ("出示护照，告诉工作人员你要买{plan}。", "Show your passport and tell the staff you want the {plan}."),
            ("用现金或银行卡支付 {price}。", "Pay {price} in cash or by card."),
            ("请工作人员插入 SIM 卡，或自己扫描打印的二维码。", "Let the staff insert the SIM card, or scan the printed QR code yourself."),
            ("离开柜台前打开网页，确认流量可用。", "Before leaving the counter, open a web page to check that data works."),
            ("收好收据，上面印有新号码和续费用的 USSD 代码。", "Keep the receipt: it shows your new number and the USSD code for renewals."),
        ],
        checklist: &[
            ("护照在手边", "Passport at hand"),
            ("已带取卡针", "SIM tray pin packed"),
            ("离开柜台前已测试上网", "Data tested before leaving the kiosk"),
            ("已保存收据", "Receipt kept"),
            ("已记下新号码", "New number noted"),
        ],
    },
    // purchase / local shop
    ChannelPools {
        descriptions: &[
            ("在市区的运营商门店或便利店购买 SIM 卡，价格通常比机场便宜。", "Buy a SIM card at an operator store or convenience store in town, usually cheaper than at the airport."),
            ("在本地门店买卡需要护照，店员会帮你完成登记和激活。", "Buying in a local shop needs your passport; staff handle registration and activation."),
        ],
        intros: &[
            ("在{city}市区，运营商门店和便利店都可以买到{plan}，价格通常比机场便宜。", "In {city}, operator stores and convenience stores sell the {plan}, usually for less than at the airport."),
            ("本地门店的店员会帮你完成实名登记，整个过程大约十分钟。", "Shop staff handle the registration for you; it takes about ten minutes."),
            ("{country}的门店大多只收现金，出门前请准备好零钱。", "Most shops in {country} take cash only, so bring small notes."),
        ],
        steps: &[
            ("在市中心找一家运营商门店或便利店。", "Find an operator store or convenience store in the city centre."),
            ("出示护照完成实名登记。", "Show your passport to register the SIM card."),
            ("选择{plan}，付款 {price}。", "Choose the {plan} and pay {price}."),
            ("店员会帮你插卡并激活，大约需要十分钟。", "The staff insert and activate the card; it takes about ten minutes."),
            ("拨打 {ussd} 查询剩余流量，确认套餐已生效。", "Dial {ussd} to check the remaining data and confirm the plan is active."),
            ("把旧 SIM 卡收好，回国后还要用。", "Keep your old SIM card safe; you need it back home."),
        ],
        checklist: &[
            ("护照已带", "Passport packed"),
            ("已准备现金", "Cash ready"),
            ("已确认套餐生效", "Plan confirmed active"),
            ("旧 SIM 卡已收好", "Old SIM card stored safely"),
            ("已保存门店收据", "Shop receipt kept"),
        ],
    },
    // renewal / online
    ChannelPools {
        descriptions: &[
            ("在运营商网站上为套餐续期，可以用银行卡或电子钱包付款。", "Renew the plan on the provider's website and pay by card or e-wallet."),
            ("流量快用完时，在网上续费最快，几分钟内到账。", "When data runs low, renewing online is fastest; credit arrives within minutes."),
        ],
        intros: &[
            ("{plan}可以在网上续费，续费价格与首次购买相同。", "The {plan} can be renewed online for the same price as the first purchase."),
            ("在当前周期结束前续费，新的天数会叠加在剩余天数之后。", "Renew before the current period ends and the new days are added after the remaining ones."),
            ("网上续费一般在 {minutes} 分钟内到账，是最省事的方式。", "Online renewals usually arrive within {minutes} minutes, which makes this the easiest way."),
        ],
        steps: &[
            ("如果流量已经用完，先连接 Wi-Fi。", "If your data has run out, connect to Wi-Fi first."),
            ("打开续费网站，用手机号码登录。", "Open the renewal website and sign in with your phone number."),
            ("选择{plan}，点击“续费”。", "Choose the {plan} and tap \"Renew\"."),
            ("用银行卡或电子钱包付款 {price}。", "Pay {price} by card or e-wallet."),
            ("等待确认邮件，大约 {minutes} 分钟内到账。", "Wait for the confirmation email; the credit arrives in about {minutes} minutes."),
            ("在账户中核对新的到期日。", "Check the new expiry date in your account."),
        ],
        checklist: &[
            ("已连接 Wi-Fi", "Connected to Wi-Fi"),
            ("已确认付款", "Payment confirmed"),
            ("已收到确认邮件", "Confirmation email received"),
            ("新的到期日已显示", "New expiry date shown"),
            ("已恢复上网", "Data working again"),
        ],
    },
    // renewal / phone
    ChannelPools {
        descriptions: &[
            ("拨打 USSD 代码或客服号码续费，可以用话费余额或银行卡付款。", "Renew with a USSD code or the support number, paying with airtime or a card."),
            ("电话续费不需要联网，流量用完时最合适。", "Renewing by phone needs no data, which is ideal once it has run out."),
        ],
        intros: &[
            ("电话续费完全不需要联网，流量已经用完时这是最合适的方式。", "Renewing by phone needs no data at all, so it is the best option once your data has run out."),
            ("{plan}的续费代码是 {ussd}，菜单大约 30 秒后会超时。", "The renewal code for the {plan} is {ussd}; the menu times out after about 30 seconds."),
            ("只有话费余额足够支付 {price} 时，才能用话费付款。", "You can pay with airtime only if your balance covers {price}."),
        ],
        steps: &[
            ("查询话费余额；查询代码印在购卡收据上。", "Check your airtime balance; the code is printed on your receipt."),
            ("拨打 {ussd}，或拨打客服号码进入语音菜单。", "Dial {ussd}, or call the support number for the voice menu."),
            ("选择“续费”，然后选择{plan}。", "Choose \"Renew\", then the {plan}."),
            ("选择付款方式并确认。", "Choose how to pay and confirm."),
            ("等待确认短信；如果仍无法上网，请重启手机。", "Wait for the confirmation text; restart the phone if data still does not work."),
            ("余额不足时，先用充值卡充值再续费。", "If your balance is too low, top up with a voucher first."),
        ],
        checklist: &[
            ("已查询话费余额", "Airtime balance checked"),
            ("拨号前已记下菜单编号", "Menu numbers noted before dialling"),
            ("已收到续费确认短信", "Confirmation text received"),
            ("已恢复上网", "Data working again"),
            ("已记下新的到期日", "New expiry date noted"),
        ],
    },
    // renewal / in store
    ChannelPools {
        descriptions: &[
            ("带上护照到运营商门店或便利店续费，可以用现金或银行卡付款。", "Renew at an operator store or convenience store with your passport, paying in cash or by card."),
            ("不方便在网上付款？到店续费只需要几分钟。", "Cannot pay online? Renewing in a store takes a few minutes."),
        ],
        intros: &[
            ("如果不方便在网上付款，可以到{city}的运营商门店或便利店为{plan}续费。", "If paying online is awkward, renew the {plan} at an operator store or convenience store in {city}."),
            ("到店续费可以用现金付款，店员会当场确认到账。", "In a store you can pay in cash, and the staff confirm the credit on the spot."),
            ("门店续费一般在 {minutes} 分钟内生效。", "In-store renewals usually take effect within {minutes} minutes."),
        ],
        steps: &[
            ("带上护照和购卡时的收据。", "Bring your passport and the receipt from when you bought the card."),
            ("前往最近的运营商门店或便利店。", "Go to the nearest operator store or convenience store."),
            ("告诉店员你要续费{plan}，出示手机号码。", "Tell the staff you want to renew the {plan} and show your phone number."),
            ("用现金或银行卡付款 {price}。", "Pay {price} in cash or by card."),
            ("等待约 {minutes} 分钟，收到短信后重启手机。", "Wait about {minutes} minutes and restart the phone after the text arrives."),
            ("核对收据上的新到期日。", "Check the new expiry date on the receipt."),
        ],
        checklist: &[
            ("护照已带", "Passport packed"),
            ("收据已带", "Purchase receipt packed"),
            ("已付款并拿到收据", "Paid and got a receipt"),
            ("已恢复上网", "Data working again"),
            ("已核对到期日", "Expiry date checked"),
        ],
    },
];

// ---------------------------------------------------------------------------------------------
// Hugo conversion
// ---------------------------------------------------------------------------------------------

/// Rewrites `](@/a/b.md)` links to Hugo's plain URLs: `](/zh/a/b/)`.
fn hugo_links(body: &str, lang: Lang) -> String {
    let mut out = String::with_capacity(body.len() + 64);
    let mut rest = body;
    while let Some(at) = rest.find("](@/") {
        out.push_str(&rest[..at + 2]);
        let target = &rest[at + 4..];
        let end = target.find(')').unwrap_or(target.len());
        let (path, anchor) = match target[..end].split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (&target[..end], None),
        };
        let path = path.strip_suffix(".md").unwrap_or(path);
        let path = path.strip_suffix("_index").unwrap_or(path);
        let path = path.trim_end_matches('/');
        let _ = write!(out, "/{}/", lang.code());
        if !path.is_empty() {
            out.push_str(path);
            out.push('/');
        }
        if let Some(a) = anchor {
            out.push('#');
            out.push_str(a);
        }
        rest = &target[end..];
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

fn digits(n: usize) -> usize {
    n.to_string().len()
}

fn prepare_dir(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty {
            if !dir.join(MARKER).exists() {
                return Err(format!(
                    "{} exists and was not written by gen-corpus (no {MARKER}); refusing to replace it",
                    dir.display()
                ));
            }
            fs::remove_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
    }
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let rel = entry.path().strip_prefix(from).map_err(|e| e.to_string())?;
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).map_err(|e| format!("{}: {e}", dest.display()))?;
        } else {
            fs::copy(entry.path(), &dest).map_err(|e| format!("{}: {e}", dest.display()))?;
        }
    }
    Ok(())
}

const SITE_YAML: &str = "\
# planguide benchmark corpus written by `cargo run --example gen-corpus`. Every country,
# provider, price, phone number and URL in content/ is fictional example data.
base_url: https://guides.example.com/
default_language: zh
theme: default
languages:
  - code: zh
    locale: zh-CN
    name: 中文
    title: 旅行流量卡指南
    description: 在哪里买旅行 SIM / eSIM 流量卡、如何续费——基准测试语料，所有国家、运营商与价格均为虚构。
  - code: en
    locale: en
    name: English
    title: Travel SIM Guides
    description: Where to buy a travel SIM or eSIM plan and how to renew it — a benchmark corpus; every country, provider and price is fictional.
build:
  minify_html: true
  page_weight_budget_kb: 30
  stale_after_days: 180
";

/// Returns (files written, Markdown bytes of guide pages).
fn write_planguide(corpus: &Corpus, out: &Path, repo: &Path) -> Result<(usize, u64), String> {
    prepare_dir(out)?;
    write(&out.join(MARKER), &marker(corpus))?;
    write(&out.join("site.yaml"), SITE_YAML)?;
    copy_tree(&repo.join("themes"), &out.join("themes"))?;
    copy_tree(&repo.join("i18n"), &out.join("i18n"))?;
    let content = out.join("content");
    fs::create_dir_all(&content).map_err(|e| e.to_string())?;
    write_pair(&content, "_index", |lang| corpus.home(lang, false))?;
    write_pair(&content, "about", |lang| corpus.about(lang, false))?;
    let mut files = 7;
    for country in &corpus.countries {
        let dir = content.join(&country.slug);
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        write(&dir.join("plans.yaml"), &plans_yaml(country))?;
        write_pair(&dir, "_index", |lang| {
            corpus.section_index(country, lang, false)
        })?;
        files += 3;
    }
    let bytes = corpus
        .metas
        .par_iter()
        .map(|meta| {
            let dir = content.join(&corpus.countries[meta.country].slug);
            write_pair(&dir, &corpus.slug(meta.index), |lang| {
                corpus.page(meta, lang, false)
            })
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    Ok((files + 2 * corpus.pages, bytes))
}

const HUGO_CONFIG: &str = r#"# Hugo version of the planguide benchmark corpus (written by gen-corpus; layouts come from
# scripts/bench-hugo/). Everything in content/ is fictional example data.
baseURL = "https://guides.example.com/"
defaultContentLanguage = "zh"
defaultContentLanguageInSubdir = true
hasCJKLanguage = true
disableKinds = ["taxonomy", "term"]
enableRobotsTXT = true
buildFuture = true
timeZone = "UTC"

# Like planguide: one feed per language home, a sitemap, robots.txt, minified HTML.
[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML"]

[minify]
  minifyOutput = true

[markup.goldmark.renderer]
  unsafe = false

[markup.goldmark.parser.attribute]
  title = true

[languages.zh]
  languageCode = "zh-CN"
  languageName = "中文"
  title = "旅行流量卡指南"
  weight = 1
  [languages.zh.params]
    description = "在哪里买旅行 SIM / eSIM 流量卡、如何续费——基准测试语料，所有国家、运营商与价格均为虚构。"

[languages.en]
  languageCode = "en"
  languageName = "English"
  title = "Travel SIM Guides"
  weight = 2
  [languages.en.params]
    description = "Where to buy a travel SIM or eSIM plan and how to renew it — a benchmark corpus; every country, provider and price is fictional."
"#;

fn write_hugo(corpus: &Corpus, out: &Path, repo: &Path) -> Result<usize, String> {
    prepare_dir(out)?;
    write(&out.join(MARKER), &marker(corpus))?;
    write(&out.join("config.toml"), HUGO_CONFIG)?;
    let layouts = repo.join("scripts/bench-hugo");
    for part in ["layouts", "i18n"] {
        copy_tree(&layouts.join(part), &out.join(part))?;
    }
    copy_tree(&repo.join("themes/default/static"), &out.join("static"))?;
    let content = out.join("content");
    let data = out.join("data/plans");
    fs::create_dir_all(&content).map_err(|e| e.to_string())?;
    fs::create_dir_all(&data).map_err(|e| e.to_string())?;
    for lang in LANGS {
        write(
            &content.join(format!("_index.{}.md", lang.code())),
            &hugo_links(&corpus.home(lang, true), lang),
        )?;
        write(
            &content.join(format!("about.{}.md", lang.code())),
            &hugo_links(&corpus.about(lang, true), lang),
        )?;
    }
    for country in &corpus.countries {
        let dir = content.join(&country.slug);
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        write(
            &data.join(format!("{}.yaml", country.slug)),
            &plans_yaml(country),
        )?;
        for lang in LANGS {
            write(
                &dir.join(format!("_index.{}.md", lang.code())),
                &hugo_links(&corpus.section_index(country, lang, true), lang),
            )?;
        }
    }
    corpus.metas.par_iter().try_for_each(|meta| {
        let dir = content.join(&corpus.countries[meta.country].slug);
        for lang in LANGS {
            write(
                &dir.join(format!("{}.{}.md", corpus.slug(meta.index), lang.code())),
                &hugo_links(&corpus.page(meta, lang, true), lang),
            )?;
        }
        Ok::<(), String>(())
    })?;
    Ok(2 * corpus.pages + 4 + 3 * corpus.countries.len())
}

/// Splits one of our documents into (front matter lines, body).
fn split_front(text: &str) -> (&str, &str) {
    let inner = text.strip_prefix("---\n").unwrap_or(text);
    match inner.find("\n---\n") {
        Some(end) => (&inner[..end + 1], &inner[end + 5..]),
        None => ("", inner),
    }
}

/// The translation `en`, stamped with the `source_hash` of the source-language `zh` body, as
/// `planguide stamp` would write it ([`planguide::content::body_hash`]).
fn stamped(en: &str, zh: &str) -> String {
    let (_, source_body) = split_front(zh);
    let hash = planguide::content::body_hash(source_body);
    let (front, body) = split_front(en);
    format!("---\n{front}source_hash: {hash}\n---\n{body}")
}

/// Writes both language versions of a document; the English one is a stamped translation.
fn write_pair(dir: &Path, stem: &str, mut doc: impl FnMut(Lang) -> String) -> Result<u64, String> {
    let zh = doc(Lang::Zh);
    let en = stamped(&doc(Lang::En), &zh);
    write(&dir.join(format!("{stem}.zh.md")), &zh)?;
    write(&dir.join(format!("{stem}.en.md")), &en)?;
    Ok((zh.len() + en.len()) as u64)
}

fn marker(corpus: &Corpus) -> String {
    format!(
        "gen-corpus pages={} countries={}\n",
        corpus.pages,
        corpus.countries.len()
    )
}

fn main() {
    let args = Args::parse();
    if args.countries == 0 {
        eprintln!("gen-corpus: --countries must be at least 1");
        std::process::exit(2);
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = Corpus::new(args.pages, args.countries);
    let plans: usize = corpus.countries.iter().map(|c| c.plans.len()).sum();
    match write_planguide(&corpus, &args.out, repo) {
        Ok((files, bytes)) => {
            let guides = 2 * corpus.pages;
            eprintln!(
                "gen-corpus: {} — {} guide pages ({} per language) in {} sections with {} plans; {} files; guide Markdown {} bytes ({} bytes/page on average)",
                args.out.display(),
                guides,
                corpus.pages,
                corpus.countries.len(),
                plans,
                files,
                bytes,
                bytes.checked_div(guides as u64).unwrap_or(0)
            );
        }
        Err(message) => {
            eprintln!("gen-corpus: {message}");
            std::process::exit(1);
        }
    }
    if let Some(hugo) = &args.hugo {
        match write_hugo(&corpus, hugo, repo) {
            Ok(files) => eprintln!(
                "gen-corpus: {} — Hugo site, {files} content files",
                hugo.display()
            ),
            Err(message) => {
                eprintln!("gen-corpus: {message}");
                std::process::exit(1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use planguide::pipeline::{build, BuildOptions, SiteOptions};

    /// Where a guide's page is published: `/<lang>/<country>/<page>/index.html` in both
    /// planguide's and Hugo's output.
    fn guide_page(out: &Path, corpus: &Corpus, meta: &PageMeta, lang: Lang) -> PathBuf {
        out.join(lang.code())
            .join(&corpus.countries[meta.country].slug)
            .join(corpus.slug(meta.index))
            .join("index.html")
    }

    /// The benchmark builds what this writes: a small corpus must build in planguide
    /// without a single warning (every plan a page names is defined, every date and link
    /// resolves), each guide in both languages showing the plan in its title, no
    /// translation marked stale (each carries its source's hash), and its Hugo twin must
    /// build every guide too.
    #[test]
    fn a_small_corpus_builds_cleanly_in_planguide_and_in_hugo() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let (site, hugo, out) = (
            tmp.path().join("site"),
            tmp.path().join("hugo"),
            tmp.path().join("out"),
        );
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let corpus = Corpus::new(24, 3);
        write_planguide(&corpus, &site, repo).expect("planguide corpus");
        write_hugo(&corpus, &hugo, repo).expect("Hugo corpus");

        let report = build(&BuildOptions {
            root: site,
            output: out.clone(),
            site: SiteOptions::default(),
            changed_since: None,
        })
        .expect("the corpus builds");
        assert!(
            report.diagnostics.is_empty(),
            "{:?}",
            report.diagnostics.sorted()
        );
        for meta in &corpus.metas {
            let plan = &corpus.countries[meta.country].plans[meta.title_plan].id;
            for lang in LANGS {
                let page = guide_page(&out, &corpus, meta, lang);
                let html = fs::read_to_string(&page).expect("every guide is built");
                assert!(
                    html.contains(plan.as_str()),
                    "{}: no {plan}",
                    page.display()
                );
                assert!(!html.contains("notice stale"), "{}", page.display());
            }
        }

        let Ok(version) = std::process::Command::new("hugo").arg("version").output() else {
            assert!(
                std::env::var("PLANGUIDE_REQUIRE_TOOLS").as_deref() != Ok("1"),
                "hugo is missing (scripts/install-test-deps.sh installs it)"
            );
            eprintln!("skipped the Hugo half: hugo is not installed");
            return;
        };
        assert!(version.status.success());
        let hugo_out = tmp.path().join("hugo-out");
        let built = std::process::Command::new("hugo")
            .arg("--source")
            .arg(&hugo)
            .arg("--destination")
            .arg(&hugo_out)
            .arg("--quiet")
            .output()
            .expect("hugo runs");
        assert!(
            built.status.success(),
            "{}",
            String::from_utf8_lossy(&built.stderr)
        );
        for meta in &corpus.metas {
            for lang in LANGS {
                let page = guide_page(&hugo_out, &corpus, meta, lang);
                assert!(page.is_file(), "Hugo did not build {}", page.display());
            }
        }
    }
}
