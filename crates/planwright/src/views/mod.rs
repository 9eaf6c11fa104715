//! The generated views of a repository as they stand on disk: each view's file read (inside
//! the root) and compared with what [`planwright_core::views`] says it should contain.

pub use planwright_core::views::*;
use std::path::Path;

/// Every view that is out of date, with what it should contain, for the plans found.
pub fn expected(root: &Path, plans: &[&Summary], recently_closed: usize) -> Vec<View> {
    stale(plans, recently_closed, &|rel| read_view(root, rel))
}

/// The text of a view's file, when it exists inside the root. A file that a link puts
/// outside the root is not planwright's to keep: it has no view (and `update` refuses it).
fn read_view(root: &Path, rel: &str) -> Option<String> {
    let real = crate::confine::resolve_rel(root, rel).ok()?;
    std::fs::read_to_string(real).ok()
}
