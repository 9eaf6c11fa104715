//! `planwright graph`'s formats: text for people, Mermaid (renders on GitHub), DOT
//! (Graphviz) and the JSON wire form (streamed, not built in memory first).

use crate::graph::{Graph, Node};
use serde_json::Value;
use std::fmt::Write;

// The JSON wire form, serialised straight from the graph without intermediate vectors.
#[derive(serde::Serialize)]
struct Wire<'a> {
    version: u32,
    plan: &'a str,
    file: &'a str,
    kind: &'static str,
    nodes: NodeList<'a>,
    order: IdList<'a>,
    waves: Lists<'a>,
    critical_path: IdList<'a>,
    cycles: Lists<'a>,
}

/// Node indices serialised as their ids.
struct IdList<'a>(&'a [usize], &'a [Node<'a>]);

impl serde::Serialize for IdList<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|&i| self.1[i].id))
    }
}

/// Lists of node indices (waves, cycles).
struct Lists<'a>(&'a [Vec<usize>], &'a [Node<'a>]);

impl serde::Serialize for Lists<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|l| IdList(l, self.1)))
    }
}

struct NodeList<'a>(&'a Graph<'a>);

impl serde::Serialize for NodeList<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let g = self.0;
        s.collect_seq(g.nodes.iter().enumerate().map(|(i, n)| {
            WireNode(
                n,
                IdList(&g.deps[i], &g.nodes),
                n.parent.map(|p| g.nodes[p].id),
                Kinds(&g.deps[i], &g.kinds[i], &g.nodes),
            )
        }))
    }
}

/// A node's typed dependencies: `{"1": "schema"}`.
struct Kinds<'a>(&'a [usize], &'a [Option<&'static str>], &'a [Node<'a>]);

impl Kinds<'_> {
    fn any(&self) -> bool {
        self.1.iter().any(Option::is_some)
    }
}

impl serde::Serialize for Kinds<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(
            self.0
                .iter()
                .zip(self.1)
                .filter_map(|(&d, k)| k.map(|k| (self.2[d].id, k))),
        )
    }
}

struct WireNode<'a>(&'a Node<'a>, IdList<'a>, Option<&'a str>, Kinds<'a>);

impl serde::Serialize for WireNode<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let n = self.0;
        let len = 3
            + usize::from(self.2.is_some())
            + usize::from(n.status.is_some())
            + usize::from(self.3.any());
        let mut m = s.serialize_map(Some(len))?;
        m.serialize_entry("id", &n.id)?;
        m.serialize_entry("title", &n.title)?;
        m.serialize_entry("depends_on", &self.1)?;
        if self.3.any() {
            m.serialize_entry("dependency_types", &self.3)?;
        }
        if let Some(p) = self.2 {
            m.serialize_entry("parent", p)?;
        }
        if let Some(st) = &n.status {
            m.serialize_entry("status", st)?;
        }
        m.end()
    }
}

impl Graph<'_> {
    fn ids(&self, list: &[usize]) -> Vec<&str> {
        list.iter().map(|&i| self.nodes[i].id).collect()
    }

    /// The JSON wire form (see docs/wire-format.md), as a value.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.wire()).unwrap_or(Value::Null)
    }

    /// The JSON wire form, borrowed from the graph: serialised directly, without building a
    /// tree of values (a 10,000-step plan has 10,000 nodes).
    fn wire(&self) -> Wire<'_> {
        Wire {
            version: 1,
            plan: &self.plan,
            file: &self.file,
            kind: if self.roadmap { "roadmap" } else { "plan" },
            nodes: NodeList(self),
            order: IdList(&self.analysis.order, &self.nodes),
            waves: Lists(&self.analysis.waves, &self.nodes),
            critical_path: IdList(&self.analysis.critical_path, &self.nodes),
            cycles: Lists(&self.analysis.cycles, &self.nodes),
        }
    }

    pub fn to_text(&self) -> String {
        let a = &self.analysis;
        let mut out = String::new();
        let what = if self.roadmap { "child plans" } else { "steps" };
        let _ = writeln!(out, "{} ({})", self.title, self.file);
        if self.nodes.is_empty() {
            let _ = writeln!(out, "\nNo {what}.");
            return out;
        }
        let depth = |i: usize| {
            let mut d = 0;
            let mut p = self.nodes[i].parent;
            while let Some(x) = p {
                d += 1;
                p = self.nodes[x].parent;
            }
            d
        };
        let width = (0..self.nodes.len())
            .map(|i| 2 * depth(i) + self.nodes[i].id.chars().count())
            .max()
            .unwrap_or(1);
        let mut on_path = vec![false; self.nodes.len()];
        for &i in &a.critical_path {
            on_path[i] = true;
        }
        let critical = |i: usize| on_path[i];
        let _ = writeln!(
            out,
            "{} {what} in {} {} ({what} in a wave can run at the same time; * = critical path)",
            self.nodes.len(),
            a.waves.len(),
            if a.waves.len() == 1 { "wave" } else { "waves" }
        );
        for (k, wave) in a.waves.iter().enumerate() {
            let _ = writeln!(out, "\nWave {}", k + 1);
            for &i in wave {
                let n = &self.nodes[i];
                let mark = if critical(i) { '*' } else { ' ' };
                let indented = format!("{}{}", "  ".repeat(depth(i)), n.id);
                let mut line = if self.roadmap {
                    format!("  {mark} {indented:width$}")
                } else {
                    format!("  {mark} {indented:width$}  {}", n.title)
                };
                if let Some(s) = &n.status {
                    line.push_str(&format!("  [{s}]"));
                }
                if !self.deps[i].is_empty() {
                    line.push_str(&format!("  ← {}", self.ids(&self.deps[i]).join(", ")));
                }
                let _ = writeln!(out, "{}", line.trim_end());
            }
        }
        let path = self.ids(&a.critical_path).join(" → ");
        if a.critical_path.is_empty() && !a.cycles.is_empty() {
            let _ = writeln!(
                out,
                "\nCritical path: none — a cycle leaves no order to measure"
            );
        } else if self.roadmap || a.critical_weight == a.critical_path.len() as f64 {
            let _ = writeln!(
                out,
                "\nCritical path ({} of {} {what}): {path}",
                a.critical_path.len(),
                self.nodes.len()
            );
        } else {
            let _ = writeln!(
                out,
                "\nCritical path ({:.1} h estimated): {path}",
                a.critical_weight
            );
        }
        if a.cycles.is_empty() {
            let _ = writeln!(out, "No cycles.");
        } else {
            for c in &a.cycles {
                let mut ids = self.ids(c);
                ids.push(ids[0]);
                let _ = writeln!(out, "Cycle: {}", ids.join(" → "));
            }
            let mut ordered = vec![false; self.nodes.len()];
            for &i in &a.order {
                ordered[i] = true;
            }
            let left: Vec<&str> = (0..self.nodes.len())
                .filter(|&i| !ordered[i])
                .map(|i| self.nodes[i].id)
                .collect();
            let _ = writeln!(out, "Cannot run (in or after a cycle): {}", left.join(", "));
        }
        out
    }

    /// A node's label: `2.1. Title` for a step, the name for a child plan, with its status.
    fn label(&self, i: usize) -> String {
        let n = &self.nodes[i];
        let mut l = if self.roadmap {
            n.title.to_owned()
        } else {
            format!("{}. {}", n.id, n.title)
        };
        if let Some(s) = &n.status {
            l.push_str(&format!(" ({s})"));
        }
        l
    }

    /// Sub-steps of each node.
    fn children(&self) -> Vec<Vec<usize>> {
        let mut c = vec![Vec::new(); self.nodes.len()];
        for (i, n) in self.nodes.iter().enumerate() {
            if let Some(p) = n.parent {
                c[p].push(i);
            }
        }
        c
    }

    pub fn to_mermaid(&self) -> String {
        let all_children = self.children();
        let mut seen = std::collections::HashSet::new();
        let first_of_id: Vec<bool> = self.nodes.iter().map(|n| seen.insert(n.id)).collect();
        let esc = |s: &str| {
            s.replace('"', "#quot;")
                .replace('<', "#lt;")
                .replace('>', "#gt;")
                .replace('`', "")
        };
        // `s2_1` for step 2.1, so that the drawing reads back even without its labels; a
        // repeated id gets its position appended.
        let node_id = |i: usize| {
            let raw: String = self.nodes[i]
                .id
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            let first = first_of_id[i];
            if first && !self.roadmap {
                format!("s{raw}")
            } else {
                format!("n{i}_{raw}")
            }
        };
        let label = |i: usize| esc(&self.label(i));
        let mut out = String::from("flowchart TD\n");
        for (i, children) in all_children.iter().enumerate() {
            if self.nodes[i].parent.is_some() {
                continue;
            }
            let children = children.clone();
            if children.is_empty() {
                let _ = writeln!(out, "    {}[\"{}\"]", node_id(i), label(i));
            } else {
                let _ = writeln!(out, "    subgraph g{i} [\"{}\"]", label(i));
                let _ = writeln!(out, "        {}[\"{}\"]", node_id(i), label(i));
                for c in children {
                    let _ = writeln!(out, "        {}[\"{}\"]", node_id(c), label(c));
                }
                let _ = writeln!(out, "    end");
            }
        }
        // Sub-steps of sub-steps (too deep, but drawn rather than lost).
        for i in 0..self.nodes.len() {
            if let Some(p) = self.nodes[i].parent
                && self.nodes[p].parent.is_some()
            {
                let _ = writeln!(out, "    {}[\"{}\"]", node_id(i), label(i));
            }
        }
        for (i, ds) in self.deps.iter().enumerate() {
            for (&d, kind) in ds.iter().zip(&self.kinds[i]) {
                match kind {
                    Some(k) => {
                        let _ = writeln!(out, "    {} -->|{k}| {}", node_id(d), node_id(i));
                    }
                    None => {
                        let _ = writeln!(out, "    {} --> {}", node_id(d), node_id(i));
                    }
                }
            }
        }
        if !self.analysis.critical_path.is_empty() {
            let ids: Vec<String> = self
                .analysis
                .critical_path
                .iter()
                .map(|&i| node_id(i))
                .collect();
            let _ = writeln!(out, "    classDef critical stroke:#d33,stroke-width:3px");
            let _ = writeln!(out, "    class {} critical", ids.join(","));
        }
        out
    }

    pub fn to_dot(&self) -> String {
        let all_children = self.children();
        let q = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
        let label = |i: usize| self.label(i);
        let mut on_path = vec![false; self.nodes.len()];
        for &i in &self.analysis.critical_path {
            on_path[i] = true;
        }
        let critical = |i: usize| on_path[i];
        let node = |i: usize| {
            let extra = if critical(i) {
                ", color=\"#dd3333\", penwidth=2"
            } else {
                ""
            };
            format!("{} [label={}{extra}]", q(self.nodes[i].id), q(&label(i)))
        };
        let mut out = format!(
            "digraph {} {{\n    rankdir=TB;\n    node [shape=box, style=rounded];\n",
            q(&self.plan)
        );
        for (i, children) in all_children.iter().enumerate() {
            if self.nodes[i].parent.is_some() {
                continue;
            }
            let children = children.clone();
            if children.is_empty() {
                let _ = writeln!(out, "    {};", node(i));
            } else {
                let _ = writeln!(out, "    subgraph {} {{", q(&format!("cluster_{i}")));
                let _ = writeln!(out, "        label={};", q(&label(i)));
                let _ = writeln!(out, "        {};", node(i));
                for c in children {
                    let _ = writeln!(out, "        {};", node(c));
                }
                let _ = writeln!(out, "    }}");
            }
        }
        for i in 0..self.nodes.len() {
            if let Some(p) = self.nodes[i].parent
                && self.nodes[p].parent.is_some()
            {
                let _ = writeln!(out, "    {};", node(i));
            }
        }
        for (i, ds) in self.deps.iter().enumerate() {
            for (&d, kind) in ds.iter().zip(&self.kinds[i]) {
                let label = kind.map_or(String::new(), |k| format!(" [label={}]", q(k)));
                let _ = writeln!(
                    out,
                    "    {} -> {}{label};",
                    q(self.nodes[d].id),
                    q(self.nodes[i].id)
                );
            }
        }
        out.push_str("}\n");
        out
    }

    /// The JSON wire form, streamed to `out`, with a final newline.
    pub fn write_json(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer(&mut *out, &self.wire()).map_err(std::io::Error::other)?;
        out.write_all(b"\n")
    }

    /// The JSON wire form as one line, with a final newline.
    pub fn to_json_line(&self) -> String {
        let mut s = serde_json::to_string(&self.wire()).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// `graph --reverse-read` for people: each step, last first, with what it needs.
pub fn reverse_read_text(plan: &str, steps: &[crate::graph::ReadBack]) -> String {
    let mut out = format!("{plan}, read from the last step back:\n");
    for s in steps {
        let _ = writeln!(out, "\nStep {}. {}", s.step, s.title);
        if s.needs.is_empty() && s.uses.is_empty() {
            out.push_str("  needs no other step\n");
        }
        for n in &s.needs {
            let kind = n.kind.map_or(String::new(), |k| format!(" ({k})"));
            let what = if n.produces.is_empty() {
                "which lists no Produces".to_owned()
            } else {
                let files: Vec<String> = n.produces.iter().map(|p| format!("`{p}`")).collect();
                format!("which produces {}", files.join(", "))
            };
            let _ = writeln!(out, "  needs step {}{kind}, {what}", n.step);
        }
        for u in &s.uses {
            let _ = writeln!(
                out,
                "  uses `{}`, produced by step {}{}",
                u.file,
                u.produced_by,
                if u.ordered {
                    ""
                } else {
                    " — which it does not wait for"
                }
            );
        }
    }
    out
}
