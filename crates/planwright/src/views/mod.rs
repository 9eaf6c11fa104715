//! The generated views of a repository as they stand on disk: each view's file read (inside
//! the root) and compared with what [`planwright_core::views`] says it should contain.

use crate::fsenv::Stat;
pub use planwright_core::views::*;
use std::path::Path;

/// Every view that is out of date, with what it should contain, for the plans found.
pub fn expected(root: &Path, plans: &[&Summary], recently_closed: usize) -> Vec<View> {
    let base = real_root(root);
    stale(plans, recently_closed, &|rel| read_view(root, &base, rel).0)
}

/// Each file the views read, with its `stat` as read (`None`: it could not be read).
pub type Reads = Vec<(String, Option<Stat>)>;

/// [`expected`], and the files it read: the views come out the same while the plans'
/// summaries and these files' `stat`s do.
pub fn expected_read(
    root: &Path,
    plans: &[&Summary],
    recently_closed: usize,
) -> (Vec<View>, Reads) {
    let reads = std::cell::RefCell::new(Vec::new());
    let base = real_root(root);
    let views = stale(plans, recently_closed, &|rel| {
        let (text, stat) = read_view(root, &base, rel);
        reads.borrow_mut().push((rel.to_owned(), stat));
        text
    });
    (views, reads.into_inner())
}

/// The root's real path, found once for all the views' files.
fn real_root(root: &Path) -> std::path::PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// The text of a view's file and its `stat`, when it exists inside the root. A file that a
/// link puts outside the root is not planwright's to keep: it has no view (and `update`
/// refuses it).
fn read_view(root: &Path, base: &Path, rel: &str) -> (Option<String>, Option<Stat>) {
    let Ok(real) = crate::confine::resolve_rel_in(root, base, rel) else {
        return (None, None);
    };
    let Ok(mut f) = std::fs::File::open(real) else {
        return (None, None);
    };
    let stat = f.metadata().ok().map(|m| Stat::of(&m));
    let mut text = String::new();
    match std::io::Read::read_to_string(&mut f, &mut text) {
        Ok(_) => (Some(text), stat),
        Err(_) => (None, None),
    }
}
