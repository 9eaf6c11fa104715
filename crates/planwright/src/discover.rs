//! Which files to check: the configured globs over the repository (honouring `.gitignore`),
//! or the paths and plan names given on the command line.

use crate::config::Config;
use crate::error::Error;
use crate::root;
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use planwright_core::KindHint;
use planwright_core::text::did_you_mean;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A file to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub abs: PathBuf,
    /// Relative to the root, with `/`.
    pub rel: String,
    pub hint: KindHint,
}

fn glob(pattern: &str) -> Result<Glob, Error> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| Error::Usage(format!("bad glob `{pattern}`: {e}")))
}

/// The compiled source globs of a configuration.
pub struct Matcher {
    sets: Vec<(GlobSet, KindHint)>,
    exclude: GlobSet,
    bases: Vec<String>,
}

impl Matcher {
    pub fn new(cfg: &Config) -> Result<Matcher, Error> {
        let mut sets = Vec::new();
        let mut bases = Vec::new();
        for s in &cfg.sources {
            let mut b = GlobSetBuilder::new();
            for g in &s.globs {
                b.add(glob(g)?);
                bases.push(base_dir(g));
            }
            sets.push((
                b.build().map_err(|e| crate::error::usage(e.to_string()))?,
                s.hint,
            ));
        }
        let mut ex = GlobSetBuilder::new();
        for g in &cfg.exclude {
            ex.add(glob(g)?);
        }
        bases.sort();
        bases.dedup();
        // Drop bases inside other bases.
        let mut kept: Vec<String> = Vec::new();
        for b in bases {
            if !kept
                .iter()
                .any(|k| k.is_empty() || b == *k || b.starts_with(&format!("{k}/")))
            {
                kept.push(b);
            }
        }
        Ok(Matcher {
            sets,
            exclude: ex.build().map_err(|e| crate::error::usage(e.to_string()))?,
            bases: kept,
        })
    }

    /// The kind hint for a root-relative path, or `None` when no source glob matches it.
    pub fn hint(&self, rel: &str) -> Option<KindHint> {
        if self.exclude.is_match(rel) {
            return None;
        }
        self.sets
            .iter()
            .find(|(s, _)| s.is_match(rel))
            .map(|(_, h)| *h)
    }

    pub fn is_excluded(&self, rel: &str) -> bool {
        self.exclude.is_match(rel)
    }

    /// Walks the configuration's sources on all cores, handing each matched file to `each`
    /// on the worker thread that found it and each worker's state to `finish` (see
    /// [`crate::walk::walk`]). Files come in no particular order; bases inside other bases
    /// were dropped when the matcher was built, so none comes twice. With `listings`, folders
    /// whose `stat` did not change are not listed again.
    pub fn walk<S, T: Send>(
        &self,
        root: &Path,
        listings: Option<&crate::walk::Listings>,
        init: impl Fn() -> S + Sync,
        each: impl Fn(&mut S, Target) + Sync,
        finish: impl Fn(S) -> T + Sync,
    ) -> Vec<T> {
        let bases: Vec<PathBuf> = self
            .bases
            .iter()
            .map(|b| {
                if b.is_empty() {
                    root.to_path_buf()
                } else {
                    root.join(b)
                }
            })
            .filter(|d| d.is_dir())
            .collect();
        crate::walk::walk(
            root,
            &bases,
            listings,
            init,
            |state, (abs, rel)| {
                if let Some(hint) = self.hint(&rel) {
                    each(state, Target { abs, rel, hint });
                }
            },
            finish,
        )
    }
}

/// The literal folder a glob starts with (`spec/plans` for `spec/plans/**/README.md`).
fn base_dir(pattern: &str) -> String {
    let mut parts = Vec::new();
    for seg in pattern.split('/') {
        if seg.contains(['*', '?', '[', '{']) {
            break;
        }
        parts.push(seg);
    }
    // The last literal segment may be a file name.
    if parts.len() == pattern.split('/').count() {
        parts.pop();
    }
    parts.join("/")
}

/// Every file under `root` matched by the configuration's sources, sorted by path.
pub fn discover(root: &Path, m: &Matcher) -> Vec<Target> {
    let parts = m.walk(
        root,
        None,
        Vec::new,
        |all: &mut Vec<Target>, t| all.push(t),
        |mut all| {
            all.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
            all
        },
    );
    crate::walk::merge_sorted(parts, |t| &t.rel)
}

pub use planwright_core::text::slug_of;

/// Resolves command-line arguments: files, folders (every Markdown file below), or plan names.
pub fn resolve_args(
    root: &Path,
    cwd: &Path,
    m: &Matcher,
    args: &[String],
) -> Result<Vec<Target>, Error> {
    let mut out: BTreeMap<String, Target> = BTreeMap::new();
    let mut all: Option<Vec<Target>> = None;
    for arg in args {
        let abs = root::absolute(cwd, Path::new(arg));
        if abs.exists() {
            let canon = abs.canonicalize().map_err(|e| Error::io(&abs, e))?;
            let rel = root::relative(root, &canon).ok_or_else(|| {
                crate::error::refused(format!(
                    "{arg} is outside the repository root {}\n  help: planwright only reads inside the root; pass --root to choose another",
                    root.display()
                ))
            })?;
            if canon.is_dir() {
                for (abs, r) in crate::walk::files(root, &canon) {
                    if m.is_excluded(&r) {
                        continue;
                    }
                    // Markdown files, and the JSON task stores the configuration knows.
                    let md = abs
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("md"));
                    let hint = match m.hint(&r) {
                        Some(h) => h,
                        None if md => KindHint::Auto,
                        None => continue,
                    };
                    out.insert(r.clone(), Target { abs, rel: r, hint });
                }
            } else {
                let hint = m.hint(&rel).unwrap_or(KindHint::Auto);
                out.insert(
                    rel.clone(),
                    Target {
                        abs: canon,
                        rel,
                        hint,
                    },
                );
            }
            continue;
        }
        // A plan name: a slug, or a unique last segment of one.
        let direct = [
            format!("spec/plans/{arg}/README.md"),
            format!("spec/plans/{arg}.md"),
        ];
        if let Some(rel) = direct.iter().find(|r| root.join(r).is_file()) {
            // The name may be a link: what it leads to must lie inside the root too.
            let abs = crate::confine::resolve_rel(root, rel)?;
            out.insert(
                rel.clone(),
                Target {
                    abs,
                    rel: rel.clone(),
                    hint: m.hint(rel).unwrap_or(KindHint::Plan),
                },
            );
            continue;
        }
        let plans = all.get_or_insert_with(|| discover(root, m));
        let mut matches: Vec<&Target> = plans
            .iter()
            .filter(|t| slug_of(&t.rel).is_some_and(|s| s.rsplit('/').next() == Some(arg.as_str())))
            .collect();
        if matches.is_empty() {
            // Plans found through [sources] have no slug: their file name stands in for it.
            matches = plans
                .iter()
                .filter(|t| slug_of(&t.rel).is_none())
                .filter(|t| {
                    // `search-ranking` for docs/exec-plans/search-ranking.md; the folder for a
                    // tasks.md (`specs/004-search-filters/tasks.md` → `004-search-filters`).
                    let mut parts = t.rel.rsplit('/');
                    let file = parts.next().unwrap_or("");
                    let stem = file.strip_suffix(".md").unwrap_or(file);
                    let folder = parts.next().unwrap_or("");
                    stem == arg || (matches!(stem, "tasks" | "README" | "PLAN") && folder == arg)
                })
                .collect();
        }
        match matches.as_slice() {
            [one] => {
                out.insert(one.rel.clone(), (*one).clone());
            }
            [] => {
                let slugs: Vec<String> = plans.iter().filter_map(|t| slug_of(&t.rel)).collect();
                let mut msg = format!("no file, folder or plan named `{arg}`");
                let last = |s: &str| s.rsplit('/').next().unwrap_or(s).to_owned();
                let near = did_you_mean(arg, slugs.iter().map(String::as_str))
                    .map(str::to_owned)
                    .or_else(|| {
                        let lasts: Vec<String> = slugs.iter().map(|s| last(s)).collect();
                        let hit = did_you_mean(arg, lasts.iter().map(String::as_str))?;
                        slugs.iter().find(|s| last(s) == hit).cloned()
                    });
                if let Some(s) = near {
                    msg.push_str(&format!("\n  help: did you mean `{s}`?"));
                } else {
                    msg.push_str("\n  help: name a plan by slug (`add-batch-mode`), by path, or run `planwright check` for all");
                }
                return Err(crate::error::not_found(msg));
            }
            many => {
                let names: Vec<String> = many.iter().filter_map(|t| slug_of(&t.rel)).collect();
                return Err(Error::Usage(format!(
                    "`{arg}` names several plans: {}\n  help: use the full slug",
                    names.join(", ")
                )));
            }
        }
    }
    Ok(out.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_and_slugs() {
        assert_eq!(base_dir("spec/plans/**/README.md"), "spec/plans");
        assert_eq!(base_dir("spec/plans/*.md"), "spec/plans");
        assert_eq!(base_dir("PLAN.md"), "");
        assert_eq!(slug_of("spec/plans/a/b/README.md").as_deref(), Some("a/b"));
        assert_eq!(slug_of("spec/plans/v1.md").as_deref(), Some("v1"));
    }

    #[test]
    fn default_globs_skip_the_index() {
        let m = Matcher::new(&Config::default()).unwrap();
        assert_eq!(m.hint("spec/plans/x/README.md"), Some(KindHint::Plan));
        assert_eq!(m.hint("spec/plans/v1.md"), Some(KindHint::Plan));
        assert_eq!(m.hint("spec/plans/README.md"), None);
        assert_eq!(m.hint("spec/plans/x/reports/README.md"), None);
        assert_eq!(m.hint("spec/plans/x/notes.md"), None);
    }
}
