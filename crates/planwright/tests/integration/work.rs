//! Execution: living-section logging, work items, progress and next.

use crate::lifecycle::{err, pw, read, shop};

mod log {
    use super::*;

    #[test]
    fn logging_keeps_an_approved_plan_frozen() {
        let dir = shop("log");
        let ok = |args: &[&str]| {
            let o = pw(&dir, args);
            assert_eq!(
                o.status.code(),
                Some(0),
                "{args:?}: {}{}",
                String::from_utf8_lossy(&o.stdout),
                err(&o)
            );
            String::from_utf8_lossy(&o.stdout).into_owned()
        };
        ok(&[
            "approve",
            "search-index",
            "--approver",
            "@kim",
            "--date",
            "2026-11-21",
        ]);
        let plan = "spec/plans/search-index/README.md";
        let before = read(&dir, plan);
        ok(&[
            "log",
            "search-index",
            "progress",
            "Indexer merged",
            "--at",
            "2026-11-21 14:05Z",
        ]);
        ok(&[
            "log",
            "search-index",
            "progress",
            "Backfill done",
            "--at",
            "2026-11-22 09:30Z",
        ]);
        ok(&[
            "log",
            "search-index",
            "decision",
            "Rebuild nightly",
            "--rationale",
            "Drift stays under a day",
            "--author",
            "kim",
            "--at",
            "2026-11-22",
        ]);
        ok(&[
            "log",
            "search-index",
            "surprise",
            "Tokenizer splits SKUs",
            "--evidence",
            "SKU-12 finds SKU and 12",
        ]);
        ok(&[
            "log",
            "search-index",
            "outcome",
            "Search is live",
            "--at",
            "2026-11-23 08:00Z",
        ]);
        let after = read(&dir, plan);
        assert!(after.starts_with(&before), "only appended:\n{after}");
        assert!(after.contains("## Progress\n\n- [x] (2026-11-21 14:05Z) Indexer merged\n- [x] (2026-11-22 09:30Z) Backfill done\n"), "{after}");
        assert!(after.contains("- Decision: Rebuild nightly\n  Rationale: Drift stays under a day\n  Date/Author: 2026-11-22, @kim\n"), "{after}");
        assert!(after.contains("## Surprises & Discoveries\n\n- Observation: Tokenizer splits SKUs\n  Evidence: SKU-12 finds SKU and 12\n"), "{after}");
        assert!(
            after.contains("## Outcomes & Retrospective\n\n- (2026-11-23 08:00Z) Search is live\n"),
            "{after}"
        );
        // Still approved, still frozen, still clean.
        assert!(ok(&["check", "search-index"]).contains("no problems"));
        // Dry run writes nothing; bad input is refused with a reason.
        let o = pw(
            &dir,
            &["log", "search-index", "progress", "Not yet", "--dry-run"],
        );
        assert!(String::from_utf8_lossy(&o.stdout).contains("+- [x] ("));
        assert_eq!(read(&dir, plan), after);
        for (args, why) in [
            (
                &["log", "search-index", "progress", "x", "--at", "soon"][..],
                "not a time",
            ),
            (
                &["log", "search-index", "progress", "x", "--evidence", "e"],
                "--evidence goes with a surprise",
            ),
            (&["log", "search-index", "progress", "  "], "empty"),
            (&["log", "nope", "progress", "x"], "nope"),
        ] {
            let o = pw(&dir, args);
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            assert!(err(&o).contains(why), "{args:?}: {}", err(&o));
        }
        assert_eq!(read(&dir, plan), after);
    }
}
