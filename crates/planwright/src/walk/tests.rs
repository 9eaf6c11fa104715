//! Tests of [`super`].

use super::*;

#[test]
fn walks_every_folder_once_with_ignore_files() {
    let (_dir, root, plans) = repo();
    // More folders than one batch holds, so that several workers share them.
    let name = |i: usize| format!("p{i:03}");
    make_plans(&plans, 600, name);
    std::fs::create_dir_all(plans.join("p001/deep/er")).expect("mkdir");
    std::fs::write(plans.join("p001/deep/er/README.md"), "").expect("write");
    std::fs::write(plans.join("p001/.gitignore"), "deep/\n").expect("write");
    std::fs::write(root.join(".gitignore"), "spec/plans/p00[2-3]/\n").expect("write");
    std::fs::create_dir_all(plans.join(".hidden")).expect("mkdir");
    std::fs::write(plans.join(".hidden/README.md"), "").expect("write");
    std::fs::create_dir_all(plans.join("p004/kept")).expect("mkdir");
    std::fs::write(plans.join("p004/kept/README.md"), "").expect("write");
    // A link to a folder outside the root is not followed.
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("README.md"), "").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), plans.join("link")).expect("symlink");

    assert_eq!(
        sorted_finds(&root, &plans),
        expected_finds(600, name, "spec/plans/p004/kept/README.md")
    );
    // Absolute paths agree with the relative ones.
    for (abs, rel) in files(&root, &plans) {
        assert_eq!(abs, root.join(&rel));
    }
}

#[test]
fn a_wide_folder_is_listed_in_parts_with_its_own_ignore_file() {
    let (_dir, root, plans) = repo();
    // More entries than a folder read whole holds, so that its subfolders are shared out
    // while it is still being listed, and its own `.gitignore` is asked for directly.
    let n = WIDE + 300;
    let name = |i: usize| format!("p{i:04}");
    make_plans(&plans, n, name);
    std::fs::write(plans.join("notes.md"), "").expect("write");
    std::fs::write(plans.join("scratch.tmp"), "").expect("write");
    std::fs::write(plans.join(".gitignore"), "p000[2-3]/\n*.tmp\n").expect("write");
    std::fs::create_dir_all(plans.join(".hidden")).expect("mkdir");
    std::fs::write(plans.join(".hidden/README.md"), "").expect("write");

    assert_eq!(
        sorted_finds(&root, &plans),
        expected_finds(n, name, "spec/plans/notes.md")
    );
}

/// A temporary repository: its folder (removed when dropped), its root and its
/// `spec/plans`.
fn repo() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    let plans = root.join("spec/plans");
    (dir, root, plans)
}

/// `n` plan folders under `plans`, each with a README.
fn make_plans(plans: &Path, n: usize, name: impl Fn(usize) -> String) {
    for i in 0..n {
        let d = plans.join(name(i));
        std::fs::create_dir_all(&d).expect("mkdir");
        std::fs::write(d.join("README.md"), "# x\n").expect("write");
    }
}

/// Every file the walk finds under `plans`, root-relative and sorted.
fn sorted_finds(root: &Path, plans: &Path) -> Vec<String> {
    let mut found: Vec<String> = files(root, plans).into_iter().map(|(_, r)| r).collect();
    found.sort();
    found
}

/// The READMEs of the `n` plans but the ignored second and third, and one more file.
fn expected_finds(n: usize, name: impl Fn(usize) -> String, extra: &str) -> Vec<String> {
    let mut expected: Vec<String> = (0..n)
        .filter(|i| !(2..=3).contains(i))
        .map(|i| format!("spec/plans/{}/README.md", name(i)))
        .chain([extra.to_owned()])
        .collect();
    expected.sort();
    expected
}

proptest::proptest! {
    // Merging sorted lists gives what sorting them all together and removing repeats
    // would.
    #[test]
    fn merge_is_sort_and_dedup(parts in proptest::collection::vec(
        proptest::collection::vec("[a-c]{0,3}", 0..20), 0..4)
    ) {
        let sorted: Vec<Vec<String>> = parts
            .iter()
            .map(|p| {
                let mut p = p.clone();
                p.sort();
                p
            })
            .collect();
        let mut expected: Vec<String> = parts.concat();
        expected.sort();
        expected.dedup();
        proptest::prop_assert_eq!(merge_sorted(sorted, |s| s.as_str()), expected);
    }
}
