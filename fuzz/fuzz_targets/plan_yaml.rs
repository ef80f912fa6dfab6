//! Plan data files (`PlanFile::parse`): strict YAML schema, prices, data allowances, dates,
//! renewal channels.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use planguide::content::plan::is_plan_id;
use planguide::content::{normalize_text, PlanFile};

const FILE: &str = "content/japan/plans.yaml";

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let text = normalize_text(raw);
    match PlanFile::parse(FILE, &text) {
        Ok(parsed) => {
            for plan in &parsed.plans {
                assert!(is_plan_id(&plan.id), "accepted plan id {:?}", plan.id);
                assert_eq!(plan.file, FILE);
                common::assert_line_in_text(plan.line, &text, &plan.id);
                // Formatting a validated price must not panic either.
                let _ = plan.price.format_amount(',', '.');
                let _ = plan.price.plain_amount();
            }
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "rejected without a diagnostic");
            common::check_diagnostics(&problems, FILE, &text);
        }
    }
});
