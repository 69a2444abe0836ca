//! Policy documents and Okta claims requests from arbitrary bytes: typed errors, never a panic;
//! a parsed request always merges over the default and the parsed policy.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okta_directory::claims::{parse_okta_claims_json, Policy};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let policy = serde_json::from_str(text).ok().and_then(|doc| Policy::from_json(&doc).ok());
    if let Ok(request) = parse_okta_claims_json(text) {
        let _ = Policy::default().merge_okta(&request);
        if let Some(policy) = &policy {
            let merged = policy.merge_okta(&request);
            // Every requested claim is compared, and required.
            for claim in &request.claims {
                let rule = merged.policy.rule(claim.kind).expect("a requested claim has a rule");
                assert!(rule.required);
            }
        }
    }
});
