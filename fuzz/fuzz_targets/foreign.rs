//! The foreign-format readers — spec-kit, Kiro, Taskmaster JSON, Beads JSONL — and their
//! rules: no panic, spans inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planwright_core::{KindHint, NoEnv, RuleSet, check_bytes};

fuzz_target!(|data: &[u8]| {
    for (hint, path) in [
        (KindHint::SpecKit, "specs/001-x/tasks.md"),
        (KindHint::Kiro, ".kiro/specs/x/tasks.md"),
        (KindHint::Taskmaster, ".taskmaster/tasks/tasks.json"),
        (KindHint::Beads, ".beads/issues.jsonl"),
    ] {
        let (_, diags) = check_bytes(data, Some(path), &NoEnv, &RuleSet::default(), hint);
        for d in diags {
            assert!(d.span.start <= d.span.end && d.span.end <= data.len(), "{d:?}");
        }
    }
});
