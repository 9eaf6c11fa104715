//! `planwright diff`: a superseded plan and its successor with one change of every kind
//! (`examples/reports`), told exactly; a plan against an earlier commit of itself; and
//! `supersede` printing the diff.

use crate::lifecycle::{call, done, git};

fn example() -> std::path::PathBuf {
    crate::workspace().join("examples/reports")
}

#[test]
fn every_kind_of_change_is_named_exactly() {
    let text = done(&example(), &["diff", "report-v1", "report-v2"]);
    let expected = "--- spec/plans/report-v1/README.md
+++ spec/plans/report-v2/README.md
added    step 7. Publish to the dashboard
removed  step 6. Email the report
renamed  step 3. Render as HTML → 5. Render the report as HTML
moved    step 1. Document the report
split    step 2. Gather figures into 3. Collect figures from runs; 4. Store the figures
merged   steps 4. Plain text output; 5. Spreadsheet export into 6. Render text and CSV
+ edge   step 5 depends on step 2
- edge   step 1 depends on step 2
criteria step 1. Document the report
  + An example of each format
verify   step 1. Document the report
  - test -f docs/usage.md
  + grep -q Example docs/usage.md
";
    assert_eq!(text, expected);
    // The example's README shows this very output, and the example checks clean.
    let readme = std::fs::read_to_string(example().join("README.md")).expect("README");
    assert!(
        readme.contains(&format!("report-v2\n{expected}```")),
        "examples/reports/README.md shows another diff"
    );
    assert!(
        done(&example(), &["check", "--no-cache"]).contains("no problems"),
        "examples/reports does not check clean"
    );
    let v: serde_json::Value = serde_json::from_str(&done(
        &example(),
        &["diff", "report-v1", "report-v2", "--format", "json"],
    ))
    .expect("json");
    crate::schema::assert_valid(
        &crate::schema::validator(&planwright::schema::one("diff").expect("schema")),
        &v,
        "diff",
    );
    assert_eq!(v["split"][0][1].as_array().map(Vec::len), Some(2));
    // A plan against itself: nothing.
    assert!(done(&example(), &["diff", "report-v2", "report-v2"]).contains("no changes"));
}

#[test]
fn a_plan_against_an_earlier_commit_and_supersede_prints_the_diff() {
    let dir = crate::lifecycle::shop("diff-revisions");
    assert!(git(&dir, &["init", "-q"]).status.success());
    assert!(git(&dir, &["add", "-A"]).status.success());
    assert!(git(&dir, &["commit", "-q", "-m", "shop"]).status.success());
    let plan = dir.join("spec/plans/search-index/README.md");
    let text = std::fs::read_to_string(&plan).expect("read");
    std::fs::write(
        &plan,
        text.replace("### 2. Incremental updates", "### 2. Live updates"),
    )
    .expect("write");
    let out = done(&dir, &["diff", "search-index@HEAD", "search-index"]);
    assert!(
        out.contains("--- spec/plans/search-index/README.md@HEAD\n"),
        "{out}"
    );
    assert!(
        out.contains("renamed  step 2. Incremental updates → 2. Live updates"),
        "{out}"
    );
    let o = call(&dir, &["diff", "search-index@no-such-rev", "search-index"]);
    assert_eq!(o.status.code(), Some(2));
    let out = done(&dir, &["supersede", "json-output", "--by", "search-index"]);
    assert!(
        out.contains("What search-index changes:\n--- spec/plans/json-output/README.md"),
        "{out}"
    );
}
