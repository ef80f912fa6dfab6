//! Plan data: YAML files under `content/` listing the plans guides refer to (price, data,
//! validity, and what each renewal channel needs). Strict raw schema, validated into
//! [`Plan`]. Pure; cross-file checks (duplicate ids, languages) live in the site model.

use serde::{Deserialize, Serialize};

use super::date::Date;
use super::money::{AmountText, Currency, Price};
use super::Localized;
use crate::error::Diagnostic;
use crate::yaml::{self, find_value_line, Origin};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlanFile {
    plans: Vec<RawPlan>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    id: String,
    country: String,
    provider: String,
    name: Localized,
    price: RawPrice,
    data: String,
    validity_days: u32,
    verified: Date,
    #[serde(default)]
    renewal: RawRenewal,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrice {
    amount: AmountText,
    currency: Currency,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRenewal {
    online: Option<OnlineRenewal>,
    phone: Option<PhoneRenewal>,
    in_store: Option<StoreRenewal>,
}

/// How a payment can be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PaymentMethod {
    /// Credit or debit card.
    Card,
    /// Cash at a counter.
    Cash,
    /// A mobile wallet.
    EWallet,
    /// Deducted from the SIM's own balance.
    Airtime,
    /// A scratch card or voucher code.
    Voucher,
    /// A bank transfer.
    BankTransfer,
}

/// Kinds of shop where a plan can be renewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StoreKind {
    /// The provider's own store.
    OperatorStore,
    /// A convenience store chain.
    ConvenienceStore,
    /// A kiosk at the airport.
    AirportKiosk,
    /// An independent phone shop.
    PhoneShop,
    /// A supermarket counter.
    Supermarket,
}

/// Renewing on a website.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OnlineRenewal {
    /// Where to renew (an example URL in the bundled site).
    pub website: String,
    /// Accepted payments.
    pub payment: Vec<PaymentMethod>,
    /// Minutes until the credit arrives.
    pub credit_minutes: u32,
}

/// Renewing by phone call or USSD code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneRenewal {
    /// Number to call.
    pub number: Option<String>,
    /// USSD code to dial.
    pub ussd: Option<String>,
    /// Accepted payments.
    pub payment: Vec<PaymentMethod>,
    /// Minutes until the credit arrives.
    pub credit_minutes: u32,
}

/// Renewing in a store.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StoreRenewal {
    /// Where to go.
    pub store_kinds: Vec<StoreKind>,
    /// Opening-hours advice per language.
    pub hours_note: Localized,
    /// Accepted payments.
    pub payment: Vec<PaymentMethod>,
    /// Minutes until the credit arrives.
    pub credit_minutes: u32,
}

/// The renewal channels a plan supports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Renewal {
    /// Online renewal facts.
    pub online: Option<OnlineRenewal>,
    /// Phone renewal facts.
    pub phone: Option<PhoneRenewal>,
    /// In-store renewal facts.
    pub in_store: Option<StoreRenewal>,
}

/// How much data a plan includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataAllowance {
    /// A cap in megabytes.
    Megabytes(u64),
    /// No cap.
    Unlimited,
}

impl DataAllowance {
    /// Parses `500MB`, `10GB`, `1.5GB` or `unlimited`.
    pub fn parse(text: &str) -> Result<DataAllowance, String> {
        let compact: String = text.split_whitespace().collect();
        let lower = compact.to_ascii_lowercase();
        if lower == "unlimited" {
            return Ok(DataAllowance::Unlimited);
        }
        let invalid = || {
            format!("`{text}` is not a data allowance such as \"500MB\", \"10GB\" or \"unlimited\"")
        };
        let (number, factor) = if let Some(n) = lower.strip_suffix("gb") {
            (n, 1024.0)
        } else if let Some(n) = lower.strip_suffix("mb") {
            (n, 1.0)
        } else {
            return Err(invalid());
        };
        let value: f64 = number.parse().map_err(|_| invalid())?;
        if !value.is_finite() || value <= 0.0 || value > 1.0e9 {
            return Err(invalid());
        }
        Ok(DataAllowance::Megabytes((value * factor).round() as u64))
    }
}

/// A validated plan.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Plan {
    /// Unique id guides use in `plans:`.
    pub id: String,
    /// Country (section folder name) the plan is sold in.
    pub country: String,
    /// Provider (fictional in the example site).
    pub provider: String,
    /// Plan name per language.
    pub name: Localized,
    /// Price.
    pub price: Price,
    /// Data included.
    pub data: DataAllowance,
    /// Days the plan lasts.
    pub validity_days: u32,
    /// When the facts were last checked.
    pub verified: Date,
    /// Renewal channels.
    pub renewal: Renewal,
    /// File the plan is defined in (relative to the site root).
    pub file: String,
    /// 1-based line of the plan's `id`.
    pub line: usize,
}

impl Plan {
    /// Whether the plan has facts for a renewal walkthrough of `channel`; other guides fit
    /// any plan. Scaffolding fills in only fitting plans, and a walkthrough naming a plan
    /// without them is warned about, since its facts box would stay empty.
    pub fn renews_by(&self, kind: super::GuideKind, channel: Option<super::Channel>) -> bool {
        use super::{Channel, GuideKind};
        match (kind, channel) {
            (GuideKind::Renewal, Some(Channel::Online)) => self.renewal.online.is_some(),
            (GuideKind::Renewal, Some(Channel::Phone)) => self.renewal.phone.is_some(),
            (GuideKind::Renewal, Some(Channel::InStore)) => self.renewal.in_store.is_some(),
            _ => true,
        }
    }
}

/// All plans of one YAML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFile {
    /// Plans in file order.
    pub plans: Vec<Plan>,
}

/// The plan ids a plan file declares, read line by line so it works on a file that does not
/// parse: a page naming a plan from a broken file is not also told that the plan does not
/// exist (one mistake, one message).
pub fn declared_ids(text: &str) -> std::collections::BTreeSet<String> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let line = line.strip_prefix("- ").unwrap_or(line).trim_start();
            // `id：` too: a full-width colon breaks the file, and its plan is still known.
            let value = line
                .strip_prefix("id:")
                .or_else(|| line.strip_prefix("id："))?;
            let value = value.split(" #").next().unwrap_or(value).trim();
            let value = value.trim_matches(|c| c == '"' || c == '\'');
            (!value.is_empty()).then(|| value.to_string())
        })
        .collect()
}

impl PlanFile {
    /// Parses and validates one plan-data file, reporting every problem in it.
    pub fn parse(file: &str, text: &str) -> Result<PlanFile, Vec<Diagnostic>> {
        let origin = Origin {
            file,
            line_offset: 0,
        };
        let (raw, mut problems) = match yaml::parse_all::<RawPlanFile>(text, origin) {
            Ok(raw) => (raw, Vec::new()),
            // The plans that did parse are still checked, so every problem shows at once.
            Err(yaml::Partial {
                value: Some(raw),
                problems,
            }) => (raw, problems),
            Err(partial) => return Err(partial.problems),
        };
        let mut plans = Vec::new();
        let mut search_from = 1;
        for raw_plan in raw.plans {
            let line = find_value_line(text, &format!("id: {}", raw_plan.id), search_from)
                .or_else(|| find_value_line(text, &raw_plan.id, search_from))
                .unwrap_or(search_from);
            search_from = line + 1;
            match resolve(raw_plan, file, text, line) {
                Ok(plan) => plans.push(plan),
                Err(mut found) => problems.append(&mut found),
            }
        }
        if problems.is_empty() {
            Ok(PlanFile { plans })
        } else {
            problems.sort_by_key(|p| p.line);
            Err(problems)
        }
    }
}

fn resolve(raw: RawPlan, file: &str, text: &str, line: usize) -> Result<Plan, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let at = |needle: &str| find_value_line(text, needle, line).unwrap_or(line);
    let mut error = |needle: &str, message: String| {
        problems.push(Diagnostic::error("plan", file, message).at(at(needle), 1));
    };
    if !is_plan_id(&raw.id) {
        error(
            &raw.id,
            format!(
                "plan id `{}` must use lowercase letters, digits and `-`",
                raw.id
            ),
        );
    }
    let price = Price::parse(&raw.price.amount.as_text(), raw.price.currency);
    if let Err(message) = &price {
        error("amount", message.clone());
    }
    let data = DataAllowance::parse(&raw.data);
    if let Err(message) = &data {
        error("data:", message.clone());
    }
    if raw.validity_days == 0 {
        error("validity_days", "`validity_days` must be at least 1".into());
    }
    for message in check_renewal(&raw.renewal) {
        error(message.0, message.1);
    }
    match (price, data) {
        (Ok(price), Ok(data)) if problems.is_empty() => Ok(Plan {
            id: raw.id,
            country: raw.country,
            provider: raw.provider,
            name: raw.name,
            price,
            data,
            validity_days: raw.validity_days,
            verified: raw.verified,
            renewal: Renewal {
                online: raw.renewal.online,
                phone: raw.renewal.phone,
                in_store: raw.renewal.in_store,
            },
            file: file.to_string(),
            line,
        }),
        _ => Err(problems),
    }
}

/// Returns (text to locate, message) pairs for every renewal fact that is malformed.
fn check_renewal(renewal: &RawRenewal) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    if let Some(online) = &renewal.online {
        let ok = (online.website.starts_with("https://") || online.website.starts_with("http://"))
            && !online.website.contains(char::is_whitespace);
        if !ok {
            problems.push((
                "website",
                format!("`{}` is not an http(s) URL", online.website),
            ));
        }
    }
    if let Some(phone) = &renewal.phone {
        if phone.number.is_none() && phone.ussd.is_none() {
            problems.push((
                "phone:",
                "phone renewal needs a `number` or a `ussd` code".into(),
            ));
        }
        if let Some(number) = &phone.number {
            let ok = number.chars().any(|c| c.is_ascii_digit())
                && number
                    .chars()
                    .all(|c| c.is_ascii_digit() || " +-().".contains(c));
            if !ok {
                problems.push(("number", format!("`{number}` is not a phone number")));
            }
        }
        if let Some(ussd) = &phone.ussd {
            let ok = ussd.starts_with(['*', '#'])
                && ussd.ends_with('#')
                && ussd
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '*' || c == '#');
            if !ok {
                problems.push((
                    "ussd",
                    format!("`{ussd}` is not a USSD code such as *555*1#"),
                ));
            }
        }
    }
    if let Some(store) = &renewal.in_store {
        if store.store_kinds.is_empty() {
            problems.push((
                "store_kinds",
                "`store_kinds` needs at least one kind of store".into(),
            ));
        }
    }
    problems
}

/// Plan ids appear in URLs and HTML ids, so they keep to a safe alphabet.
pub fn is_plan_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "content/qatar/plans.yaml";
    const GOOD: &str = r#"plans:
  - id: qa-visitor-15
    country: qatar
    provider: Example Mobile QA
    name: { zh: 访客卡, en: Visitor SIM }
    price: { amount: "50.00", currency: QAR }
    data: 10GB
    validity_days: 15
    verified: 2026-10-15
    renewal:
      phone:
        number: "+974 555 0100"
        ussd: "*555*1#"
        payment: [airtime]
        credit_minutes: 10
"#;

    #[test]
    fn declared_ids_are_found_in_a_file_that_does_not_parse() {
        let broken = GOOD.replace("validity_days: 15", "validity_days: [")
            + "  - id: 'qa-two' # second\n  - id：qa-three\n";
        assert!(PlanFile::parse(FILE, &broken).is_err());
        let ids: Vec<String> = declared_ids(&broken).into_iter().collect();
        assert_eq!(ids, ["qa-three", "qa-two", "qa-visitor-15"]);
    }

    #[test]
    fn can_parse_a_plan() {
        let file = PlanFile::parse(FILE, GOOD).unwrap();
        let plan = &file.plans[0];
        assert_eq!(plan.line, 2);
        assert_eq!(plan.price.minor_units, 5000);
        assert_eq!(plan.data, DataAllowance::Megabytes(10240));
        assert_eq!(
            plan.renewal.phone.as_ref().unwrap().payment,
            vec![PaymentMethod::Airtime]
        );
    }

    #[test]
    fn errors_when_type_is_wrong() {
        let text = GOOD.replace("validity_days: 15", "validity_days: fifteen");
        let problems = PlanFile::parse(FILE, &text).unwrap_err();
        assert_eq!(problems[0].code, "wrong-type");
        assert_eq!(problems[0].line, Some(8));
    }

    #[test]
    fn errors_when_field_is_unknown_or_missing() {
        let text = GOOD.replace("    data: 10GB\n", "    data: 10GB\n    colour: red\n");
        let problems = PlanFile::parse(FILE, &text).unwrap_err();
        assert_eq!(problems[0].code, "unknown-key");
        assert_eq!(problems[0].line, Some(8));
        let text = GOOD.replace("    provider: Example Mobile QA\n", "");
        let problems = PlanFile::parse(FILE, &text).unwrap_err();
        assert_eq!(problems[0].code, "missing-key");
        assert!(problems[0].message.contains("provider"));
    }

    #[test]
    fn errors_when_values_are_malformed() {
        let text = GOOD
            .replace("\"*555*1#\"", "\"555\"")
            .replace("10GB", "lots");
        let problems = PlanFile::parse(FILE, &text).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems
            .iter()
            .any(|p| p.message.contains("USSD") && p.line == Some(13)));
        assert!(problems
            .iter()
            .any(|p| p.message.contains("lots") && p.line == Some(7)));
    }

    #[test]
    fn parses_data_allowances() {
        assert_eq!(
            DataAllowance::parse("500MB"),
            Ok(DataAllowance::Megabytes(500))
        );
        assert_eq!(
            DataAllowance::parse("1.5 GB"),
            Ok(DataAllowance::Megabytes(1536))
        );
        assert_eq!(
            DataAllowance::parse("Unlimited"),
            Ok(DataAllowance::Unlimited)
        );
        assert!(DataAllowance::parse("-1GB").is_err());
    }
}
