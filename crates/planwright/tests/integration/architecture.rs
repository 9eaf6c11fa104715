//! The layering of both crates, read from their sources: every `crate::module` path a module
//! names (outside its tests) is an edge. No module circle in either crate, and no edge from a
//! layer to one above it (the layers are ARCHITECTURE.md's).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module → the modules of the same crate it names.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// The layers of `crates/planwright`, lowest first: a module may use its own layer and those
/// below.
const APP_LAYERS: &[&[&str]] = &[
    // Infrastructure: the root, paths, files, git, time, configuration, discovery, and the
    // workspace they make up.
    &[
        "error",
        "root",
        "confine",
        "clock",
        "duration",
        "git",
        "write",
        "jsonl",
        "walk",
        "config",
        "discover",
        "fsenv",
        "workspace",
    ],
    // Services: typed results, no printing of their own.
    &[
        "views",
        "check",
        "plans",
        "prompts",
        "stats",
        "roi",
        "deviation",
        "draft",
        "whats_next",
        "export",
        "diff",
        "living",
        "regenerate",
        "lifecycle",
        "log",
        "work",
        "scaffold",
        "init",
        "run",
        "graph",
        "schema",
    ],
    // Renderers.
    &["render"],
    // The MCP server: a tool call is a command line, run by the dispatch it is handed.
    &["mcp", "lsp", "serve"],
    // The commands: arguments → services → renderers.
    &["commands"],
    // The command line: parsing and dispatch.
    &["cli"],
];

/// The layers of `planwright-core`, lowest first.
const CORE_LAYERS: &[&[&str]] = &[
    &[
        "span", "lines", "env", "text", "time", "json", "diag", "edit", "expect",
    ],
    &["model"],
    &["parse", "graph", "digest", "views", "progress", "estimate"],
    &["rules"],
];

/// Reads the module graph of the crate whose sources are in `src`.
fn graph_of(src: &Path) -> Graph {
    let mut g = Graph::new();
    for f in crate::files_under(src, &|p| p.extension().is_some_and(|x| x == "rs")) {
        let rel = f.strip_prefix(src).expect("under src");
        let first = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .expect("a name");
        let module = first.trim_end_matches(".rs").to_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&f).expect("read");
        // What a module's tests use is not a dependency of the module.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let edges = g.entry(module.clone()).or_default();
        for name in named_modules(code) {
            if name != module {
                edges.insert(name);
            }
        }
    }
    // Only edges to modules of this crate (not `crate::EXIT_OK`, say).
    let known: BTreeSet<String> = g.keys().cloned().collect();
    for edges in g.values_mut() {
        edges.retain(|e| known.contains(e));
    }
    g
}

/// The first segment of every `crate::…` path in `code`, `use crate::{a, b::c}` included.
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in code.match_indices("crate::") {
        // `planwright_core::…` and `$crate::` are other crates' paths.
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            for item in inner.split(',') {
                let name = ident(item.trim());
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// Every circle of modules (strongly connected components of more than one module).
fn circles(g: &Graph) -> Vec<Vec<String>> {
    // Iterative Tarjan is not needed for a few dozen modules: reachability will do.
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(m) = stack.pop() {
            for n in g.get(&m).into_iter().flatten() {
                if seen.insert(n.clone()) {
                    stack.push(n.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> = g.keys().map(|k| (k, reach(k))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for m in g.keys() {
        if done.contains(m) || !reached[m].contains(m) {
            continue;
        }
        let circle: Vec<String> = g
            .keys()
            .filter(|n| reached[m].contains(*n) && reached[*n].contains(m))
            .cloned()
            .collect();
        done.extend(circle.iter().cloned());
        out.push(circle);
    }
    out
}

/// Each edge from a module to one in a higher layer, and each module no layer names.
fn violations(g: &Graph, layers: &[&[&str]]) -> Vec<String> {
    let layer_of = |m: &str| layers.iter().position(|l| l.contains(&m));
    let mut out = Vec::new();
    for (m, edges) in g {
        let Some(lm) = layer_of(m) else {
            out.push(format!(
                "`{m}` is in no layer: add it to ARCHITECTURE.md and this test"
            ));
            continue;
        };
        for e in edges {
            if let Some(le) = layer_of(e)
                && le > lm
            {
                out.push(format!(
                    "`{m}` (layer {lm}) uses `{e}` (layer {le}), a layer above it"
                ));
            }
        }
    }
    out
}

fn check_crate(src: &str, layers: &[&[&str]]) {
    let g = graph_of(&crate::workspace().join(src));
    assert!(g.len() > 5, "read the modules of {src}: {g:?}");
    let c = circles(&g);
    assert!(c.is_empty(), "module circles in {src}: {c:?}");
    let v = violations(&g, layers);
    assert!(v.is_empty(), "layering of {src}:\n{}", v.join("\n"));
}

#[test]
fn the_app_crate_has_no_module_circle_and_no_upward_import() {
    check_crate("crates/planwright/src", APP_LAYERS);
}

#[test]
fn the_core_crate_has_no_module_circle_and_no_upward_import() {
    check_crate("crates/planwright-core/src", CORE_LAYERS);
}

#[test]
fn an_upward_import_or_a_circle_is_reported() {
    let mut g = graph_of(&crate::workspace().join("crates/planwright/src"));
    // `config` (infrastructure) reaching up into `cli`.
    g.entry("config".to_owned())
        .or_default()
        .insert("cli".to_owned());
    let v = violations(&g, APP_LAYERS);
    assert!(
        v.iter()
            .any(|l| l.contains("`config` (layer 0) uses `cli`")),
        "{v:?}"
    );
    // And a circle made by hand.
    let mut h = Graph::new();
    h.entry("a".into()).or_default().insert("b".into());
    h.entry("b".into()).or_default().insert("a".into());
    h.entry("c".into()).or_default().insert("a".into());
    assert_eq!(circles(&h), vec![vec!["a".to_owned(), "b".to_owned()]]);
    // The reader sees grouped and nested paths, and not other crates' ones.
    let seen = named_modules(
        "use crate::{work::Item, clock};\nlet x = crate::git::author(); planwright_core::text::x;",
    );
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        vec!["clock", "git", "work"]
    );
}
