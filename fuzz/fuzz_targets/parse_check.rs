//! The Markdown parser and every rule, under every kind hint: no panic, and every span of
//! the model and the findings lies inside the input on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planwright_core::{KindHint, NoEnv, RuleSet, check_bytes};

fuzz_target!(|data: &[u8]| {
    for hint in [KindHint::Auto, KindHint::Plan, KindHint::Exec, KindHint::Lite] {
        let (_, diags) = check_bytes(data, Some("spec/plans/x/README.md"), &NoEnv, &RuleSet::default(), hint);
        for d in diags {
            assert!(d.span.start <= d.span.end && d.span.end <= data.len(), "{d:?}");
            if let Ok(src) = std::str::from_utf8(data) {
                assert!(src.is_char_boundary(d.span.start) && src.is_char_boundary(d.span.end), "{d:?}");
            }
        }
    }
});
