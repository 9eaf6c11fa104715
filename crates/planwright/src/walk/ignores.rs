//! The `.gitignore` files in force in a folder: its own over its parents', as a chain
//! shared between the jobs of one subtree.

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::path::Path;
use std::sync::Arc;

pub(super) fn load(dir: &Path, file: &Path) -> Option<Gitignore> {
    let mut b = GitignoreBuilder::new(dir);
    if b.add(file).is_some() {
        // A partly unreadable ignore file still contributes the lines that parsed.
    }
    b.build().ok().filter(|g| !g.is_empty())
}

/// The ignore files that apply inside a folder, innermost first: a shared list, so that a
/// folder's jobs share their parents' ignore files instead of copying them.
#[derive(Clone, Default)]
pub(super) struct Ignores(Option<Arc<Layer>>);

struct Layer {
    gi: Gitignore,
    outer: Ignores,
}

impl Ignores {
    pub(super) fn with(&self, gi: Gitignore) -> Ignores {
        Ignores(Some(Arc::new(Layer {
            gi,
            outer: self.clone(),
        })))
    }

    pub(super) fn ignored(&self, path: &Path, is_dir: bool) -> bool {
        let mut layer = self.0.as_deref();
        while let Some(l) = layer {
            match l.gi.matched(path, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
            layer = l.outer.0.as_deref();
        }
        false
    }

    /// The ignore files of `.git/info/exclude`, of `root` and of the folders between `root`
    /// and `base`.
    pub(super) fn above(root: &Path, base: &Path) -> Ignores {
        let mut out = Ignores::default();
        let exclude = root.join(".git/info/exclude");
        if exclude.is_file()
            && let Some(gi) = load(root, &exclude)
        {
            out = out.with(gi);
        }
        let mut dirs: Vec<&Path> = base
            .ancestors()
            .skip(1)
            .take_while(|d| d.starts_with(root))
            .collect();
        dirs.reverse();
        for d in dirs {
            let f = d.join(".gitignore");
            if f.is_file()
                && let Some(gi) = load(d, &f)
            {
                out = out.with(gi);
            }
        }
        out
    }
}
