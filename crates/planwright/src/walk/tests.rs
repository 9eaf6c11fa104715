//! Tests of [`super`].

use super::*;

/// Folders read without listing them, in this process.
pub(super) static UNLISTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

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

#[test]
fn folders_without_subfolders_are_read_without_listing_them() {
    let (_dir, root, plans) = repo();
    let name = |i: usize| format!("p{i:03}");
    make_plans(&plans, 300, name);
    let put = |rel: &str, text: &str| {
        let p = plans.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    // A folder's own ignore file, one that lets a parent's pattern through again, a file
    // no glob names, a nested plan (its folder is listed), a README that is a link, one
    // that is a folder, and an empty folder.
    put("p001/.gitignore", "README.md\n");
    put(".gitignore", "p00[5-6]/README.md\n");
    put("p006/.gitignore", "!README.md\n");
    put("p002/notes.md", "");
    put("p003/deep/README.md", "");
    std::fs::remove_file(plans.join("p004/README.md")).expect("rm");
    #[cfg(unix)]
    std::os::unix::fs::symlink(plans.join("p000/README.md"), plans.join("p004/README.md"))
        .expect("symlink");
    std::fs::remove_file(plans.join("p007/README.md")).expect("rm");
    std::fs::create_dir_all(plans.join("p007/README.md")).expect("mkdir");
    std::fs::create_dir_all(plans.join("p008/empty")).expect("mkdir");

    let readme = |rel: &str, out: &mut Vec<&str>| {
        out.push("README.md");
        rel.starts_with("spec/plans/")
    };
    let finds = |names: Option<Names<'_>>| {
        let parts = walk(
            &root,
            std::slice::from_ref(&plans),
            names,
            Vec::new,
            |v: &mut Vec<String>, f, seen| {
                // A name looked up is only a file when it opens as one.
                if exists(&f.0, &seen) {
                    v.push(f.1);
                }
            },
            |v| v,
        );
        let mut all: Vec<String> = parts.into_iter().flatten().collect();
        all.sort();
        all
    };
    let before = UNLISTED.load(std::sync::atomic::Ordering::Relaxed);
    let unlisted = finds(Some(&readme));
    let listed: Vec<String> = finds(None)
        .into_iter()
        .filter(|r| r.ends_with("/README.md"))
        .collect();
    assert_eq!(unlisted, listed);
    assert!(unlisted.contains(&"spec/plans/p003/deep/README.md".to_owned()));
    assert!(unlisted.contains(&"spec/plans/p006/README.md".to_owned()));
    for gone in ["p001", "p004", "p005", "p007"] {
        assert!(
            !unlisted.contains(&format!("spec/plans/{gone}/README.md")),
            "{gone}"
        );
    }
    // Where the file system keeps link counts, the plain plan folders were not listed.
    if leaves(&root, Some(&readme)).is_some() {
        let after = UNLISTED.load(std::sync::atomic::Ordering::Relaxed);
        assert!(after - before >= 290, "{}", after - before);
    }
}

#[test]
fn a_named_file_opens_only_when_it_is_a_regular_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::create_dir_all(root.join("p/a")).expect("mkdir");
    std::fs::write(root.join("p/a/README.md"), "# plan\n").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("p/a/README.md"), root.join("p/a/LINK.md"))
        .expect("symlink");
    std::fs::create_dir_all(root.join("p/a/DIR.md")).expect("mkdir");
    #[cfg(target_os = "linux")]
    nix::unistd::mkfifo(&root.join("p/a/FIFO.md"), nix::sys::stat::Mode::S_IRWXU).expect("mkfifo");
    let handle = Handle::open(&root.join("p"));
    for h in [handle, None] {
        let seen = Seen::Named(h);
        let len = |name: &str| {
            open(&root.join("p/a").join(name), &seen)
                .expect("open")
                .map(|(_, len)| len)
        };
        assert_eq!(len("README.md"), Some(7));
        assert!(exists(&root.join("p/a/README.md"), &seen));
        for name in ["LINK.md", "DIR.md", "FIFO.md", "GONE.md"] {
            assert_eq!(len(name), None, "{name}");
            assert!(!exists(&root.join("p/a").join(name), &seen), "{name}");
        }
    }
    // A listed file that is gone is an error, not passed over.
    assert!(open(&root.join("p/a/GONE.md"), &Seen::Listed).is_err());
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
