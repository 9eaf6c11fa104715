//! `planwright.toml`: where plans are found and how severe each rule is.
//!
//! ```toml
//! enforce_freeze = "reject" # frozen-plan-modified: "reject" (error), "warn" or "off"
//!
//! [sources]                 # globs added to the defaults, relative to the root
//! exec = ["docs/exec-plans/**/*.md"]   # read as ExecPlans
//! lite = ["tasks/**/PLAN.md"]          # read as lightweight PLANs
//! plans = ["design/plans/**/*.md"]     # read as development plans
//! exclude = ["spec/plans/archive/**"]  # never checked
//!
//! [rules]                   # "error", "warning" or "off"
//! external-link = "error"
//!
//! [check]
//! deny_warnings = false     # same as --deny-warnings
//!
//! [formats]                 # other tools' plans, read where their paths exist
//! spec-kit = true           # specs/*/tasks.md
//! kiro = true               # .kiro/specs/*/tasks.md
//! taskmaster = true         # .taskmaster/tasks/tasks.json, tasks/tasks.json
//! beads = true              # .beads/issues.jsonl
//! ```
//!
//! An unknown key is an error with a did-you-mean, so a typo never silently does nothing.

use crate::error::Error;
use planwright_core::rules::frozen_plan_modified;
use planwright_core::text::did_you_mean;
use planwright_core::{KindHint, RuleSet, Severity};
use std::path::Path;
use std::time::Duration;

/// The globs planwright always reads, relative to the root.
pub const DEFAULT_PLAN_GLOBS: &[&str] = &["spec/plans/**/README.md", "spec/plans/*.md"];
/// Where other tools keep their plans, read when the format is on (`[formats]`).
pub const FOREIGN_GLOBS: &[(&str, &str, KindHint)] = &[
    ("spec-kit", "specs/*/tasks.md", KindHint::SpecKit),
    ("kiro", ".kiro/specs/*/tasks.md", KindHint::Kiro),
    (
        "taskmaster",
        ".taskmaster/tasks/tasks.json",
        KindHint::Taskmaster,
    ),
    ("taskmaster", "tasks/tasks.json", KindHint::Taskmaster),
    ("beads", ".beads/issues.jsonl", KindHint::Beads),
];

/// Files under `spec/plans/` that are not plans: the index, What's Next, reports, criteria.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    "spec/plans/README.md",
    "spec/plans/WHATS-NEXT.md",
    "spec/plans/**/reports/**",
    "spec/plans/**/acs/**",
];

/// A set of globs and the kind of plan found through them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub globs: Vec<String>,
    pub hint: KindHint,
}

/// The effective configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// `planwright.toml` when there is one, relative to the root.
    pub file: Option<String>,
    pub sources: Vec<Source>,
    pub exclude: Vec<String>,
    pub rules: RuleSet,
    pub deny_warnings: bool,
    /// How many superseded plans the index's Recently Closed section lists.
    pub recently_closed: usize,
    /// Where work items live, relative to the root.
    pub work_dir: String,
    /// `[agent] command`: the agent `planwright run` gives each step's prompt to on stdin.
    pub agent_command: Option<String>,
    /// `[agent] timeout`: how long one agent invocation may take.
    pub agent_timeout: Option<Duration>,
    /// `[run] jobs`, `[run] retries`, `[run] timeout` (per Verify command).
    pub run_jobs: Option<usize>,
    pub run_retries: Option<u32>,
    pub run_timeout: Option<Duration>,
}

impl Default for Config {
    fn default() -> Self {
        let mut sources = vec![Source {
            globs: DEFAULT_PLAN_GLOBS.iter().map(|s| (*s).to_owned()).collect(),
            hint: KindHint::Plan,
        }];
        for (_, glob, hint) in FOREIGN_GLOBS {
            sources.push(Source {
                globs: vec![(*glob).to_owned()],
                hint: *hint,
            });
        }
        Config {
            file: None,
            sources,
            exclude: DEFAULT_EXCLUDES.iter().map(|s| (*s).to_owned()).collect(),
            rules: RuleSet::default(),
            deny_warnings: false,
            recently_closed: 5,
            work_dir: ".planwright/work".to_owned(),
            agent_command: None,
            agent_timeout: None,
            run_jobs: None,
            run_retries: None,
            run_timeout: None,
        }
    }
}

const TOP_KEYS: &[&str] = &[
    "sources",
    "rules",
    "check",
    "formats",
    "enforce_freeze",
    "index",
    "work",
    "agent",
    "run",
];
const SOURCE_KEYS: &[&str] = &["plans", "exec", "lite", "exclude"];
const CHECK_KEYS: &[&str] = &["deny_warnings"];

impl Config {
    /// The effective configuration as TOML: every setting, defaults included, with the rules'
    /// severities after `[rules]` and `enforce_freeze`.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "# effective configuration{}\n\n",
            self.file.as_ref().map_or_else(
                || " (defaults: no planwright.toml)".to_owned(),
                |f| format!(" from {f} and the defaults")
            )
        ));
        let freeze = match self.rules.severity(frozen_plan_modified::NAME) {
            Severity::Error => "reject",
            Severity::Warning | Severity::Info => "warn",
            Severity::Off => "off",
        };
        out.push_str(&format!("enforce_freeze = \"{freeze}\"\n\n[sources]\n"));
        let list = |v: &[String]| {
            v.iter()
                .map(|g| format!("{g:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (name, hint) in [
            ("plans", KindHint::Plan),
            ("exec", KindHint::Exec),
            ("lite", KindHint::Lite),
        ] {
            let globs: Vec<String> = self
                .sources
                .iter()
                .filter(|s| s.hint == hint)
                .flat_map(|s| s.globs.clone())
                .collect();
            if !globs.is_empty() {
                out.push_str(&format!("{name} = [{}]\n", list(&globs)));
            }
        }
        out.push_str(&format!(
            "exclude = [{}]\n\n[formats]\n",
            list(&self.exclude)
        ));
        let mut names: Vec<&str> = FOREIGN_GLOBS.iter().map(|f| f.0).collect();
        names.dedup();
        for name in names {
            let globs: Vec<&str> = FOREIGN_GLOBS
                .iter()
                .filter(|f| f.0 == name)
                .map(|f| f.1)
                .collect();
            let on = self
                .sources
                .iter()
                .any(|s| s.globs.iter().any(|g| globs.contains(&g.as_str())));
            out.push_str(&format!("{name} = {on}  # {}\n", globs.join(", ")));
        }
        out.push('\n');
        out.push_str("[rules]\n");
        for r in planwright_core::rules::RULES {
            out.push_str(&format!(
                "{} = \"{}\"\n",
                r.name,
                self.rules.severity(r.name)
            ));
        }
        out.push_str(&format!(
            "\n[check]\ndeny_warnings = {}\n",
            self.deny_warnings
        ));
        out.push_str(&format!(
            "\n[index]\nrecently_closed = {}\n",
            self.recently_closed
        ));
        out.push_str(&format!("\n[work]\ndir = {:?}\n", self.work_dir));
        let secs = |d: Option<Duration>, default: Duration| {
            format!("{:?}", format!("{}s", d.unwrap_or(default).as_secs()))
        };
        out.push_str("\n[agent]\n");
        match &self.agent_command {
            Some(c) => out.push_str(&format!("command = {c:?}\n")),
            None => out.push_str(
                "# command = \"claude -p\"  (none: steps run their Verify commands only)\n",
            ),
        }
        out.push_str(&format!(
            "timeout = {}\n",
            secs(self.agent_timeout, crate::duration::DEFAULT_AGENT_TIMEOUT)
        ));
        out.push_str("\n[run]\n");
        match self.run_jobs {
            Some(j) => out.push_str(&format!("jobs = {j}\n")),
            None => out.push_str("# jobs = 4  (default: the number of cores)\n"),
        }
        match self.run_retries {
            Some(r) => out.push_str(&format!("retries = {r}\n")),
            None => out.push_str("# retries = 2  (default: 2 with an agent, 0 without)\n"),
        }
        out.push_str(&format!(
            "timeout = {}\n",
            secs(self.run_timeout, crate::duration::DEFAULT_TIMEOUT)
        ));
        out
    }

    /// Loads `planwright.toml` from `root`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config, Error> {
        let path = root.join("planwright.toml");
        if std::fs::symlink_metadata(&path).is_ok() {
            crate::confine::resolve(root, &path)?;
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text, "planwright.toml"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Parses the text of a configuration file named `name`.
    pub fn parse(text: &str, name: &str) -> Result<Config, Error> {
        let err = |line: usize, message: String| Error::Config {
            path: name.to_owned(),
            line,
            message,
        };
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            err(line, e.message().to_owned())
        })?;
        let mut cfg = Config {
            file: Some(name.to_owned()),
            ..Config::default()
        };
        // Every key is read, and every problem reported at once.
        let mut errors: Vec<Error> = Vec::new();
        for (key, value) in &table {
            let mut one = || -> Result<(), Error> {
                match key.as_str() {
                    "sources" => {
                        let t = value.as_table().ok_or_else(|| {
                            err(
                                line_of(text, key),
                                "`sources` must be a table: [sources]".into(),
                            )
                        })?;
                        for (k, v) in t {
                            let globs = string_list(v).ok_or_else(|| {
                            err(line_of(text, k), format!("`sources.{k}` must be a list of globs, like [\"docs/plans/**/*.md\"]"))
                        })?;
                            for g in &globs {
                                globset::Glob::new(g).map_err(|e| {
                                    err(line_of(text, k), format!("bad glob `{g}`: {e}"))
                                })?;
                                // Globs are relative to the root and stay inside it.
                                if g.starts_with('/') || g.split(['/', '\\']).any(|c| c == "..") {
                                    return Err(err(
                                        line_of(text, k),
                                        format!(
                                            "the glob `{g}` leaves the repository root; planwright reads only inside it\n  help: write globs relative to the root, like \"docs/plans/**/*.md\""
                                        ),
                                    ));
                                }
                            }
                            let hint = match k.as_str() {
                                "plans" => KindHint::Plan,
                                "exec" => KindHint::Exec,
                                "lite" => KindHint::Lite,
                                "exclude" => {
                                    cfg.exclude.extend(globs);
                                    continue;
                                }
                                other => {
                                    return Err(err(
                                        line_of(text, other),
                                        unknown("sources", other, SOURCE_KEYS),
                                    ));
                                }
                            };
                            cfg.sources.push(Source { globs, hint });
                        }
                    }
                    "rules" => {
                        let t = value.as_table().ok_or_else(|| {
                            err(
                                line_of(text, key),
                                "`rules` must be a table: [rules]".into(),
                            )
                        })?;
                        for (k, v) in t {
                            let word = v.as_str().unwrap_or("");
                            let sev = Severity::parse(word).ok_or_else(|| {
                            err(line_of(text, k), format!("rule `{k}`: severity must be \"error\", \"warning\" or \"off\", not {v}"))
                        })?;
                            cfg.rules.set(k, sev).map_err(|u| {
                                let mut m = format!("unknown rule `{}`", u.name);
                                if let Some(s) = u.suggestion {
                                    m.push_str(&format!("; did you mean `{s}`?"));
                                }
                                m.push_str(" (`planwright rules` lists them)");
                                err(line_of(text, k), m)
                            })?;
                        }
                    }
                    "check" => {
                        let t = value.as_table().ok_or_else(|| {
                            err(
                                line_of(text, key),
                                "`check` must be a table: [check]".into(),
                            )
                        })?;
                        for (k, v) in t {
                            match k.as_str() {
                                "deny_warnings" => {
                                    cfg.deny_warnings = v.as_bool().ok_or_else(|| {
                                        err(
                                            line_of(text, k),
                                            "`deny_warnings` must be true or false".into(),
                                        )
                                    })?;
                                }
                                other => {
                                    return Err(err(
                                        line_of(text, other),
                                        unknown("check", other, CHECK_KEYS),
                                    ));
                                }
                            }
                        }
                    }
                    "formats" => {
                        let t = value.as_table().ok_or_else(|| {
                            err(
                                line_of(text, key),
                                "`formats` must be a table: [formats]".into(),
                            )
                        })?;
                        for (k, v) in t {
                            let globs: Vec<&str> = FOREIGN_GLOBS
                                .iter()
                                .filter(|(name, _, _)| name == k)
                                .map(|f| f.1)
                                .collect();
                            if globs.is_empty() {
                                let mut names: Vec<&str> =
                                    FOREIGN_GLOBS.iter().map(|f| f.0).collect();
                                names.dedup();
                                return Err(err(line_of(text, k), unknown("formats", k, &names)));
                            }
                            let on = v.as_bool().ok_or_else(|| {
                                err(
                                    line_of(text, k),
                                    format!("`formats.{k}` must be true or false"),
                                )
                            })?;
                            if !on {
                                cfg.sources.retain(|s| {
                                    s.globs.iter().all(|g| !globs.contains(&g.as_str()))
                                });
                            }
                        }
                    }
                    "index" => {
                        let t = value.as_table().ok_or_else(|| {
                            err(
                                line_of(text, key),
                                "`index` must be a table: [index]".into(),
                            )
                        })?;
                        for (k, v) in t {
                            match k.as_str() {
                                "recently_closed" => {
                                    cfg.recently_closed = v
                                        .as_integer()
                                        .and_then(|n| usize::try_from(n).ok())
                                        .ok_or_else(|| {
                                            err(
                                                line_of(text, k),
                                                "`recently_closed` must be a number, like 5".into(),
                                            )
                                        })?;
                                }
                                other => {
                                    return Err(err(
                                        line_of(text, other),
                                        unknown("index", other, &["recently_closed"]),
                                    ));
                                }
                            }
                        }
                    }
                    "work" => {
                        let t = value.as_table().ok_or_else(|| {
                            err(line_of(text, key), "`work` must be a table: [work]".into())
                        })?;
                        for (k, v) in t {
                            match k.as_str() {
                                "dir" => {
                                    let dir = v
                                    .as_str()
                                    .filter(|d| {
                                        !d.is_empty()
                                            && !d.starts_with('/')
                                            && !d.split(['/', '\\']).any(|c| c == "..")
                                    })
                                    .ok_or_else(|| {
                                        err(
                                            line_of(text, k),
                                            "`dir` must be a folder inside the repository, like \".planwright/work\"".into(),
                                        )
                                    })?;
                                    cfg.work_dir = dir.trim_end_matches('/').to_owned();
                                }
                                other => {
                                    return Err(err(
                                        line_of(text, other),
                                        unknown("work", other, &["dir"]),
                                    ));
                                }
                            }
                        }
                    }
                    "agent" | "run" => {
                        let t = value.as_table().ok_or_else(|| {
                            err(
                                line_of(text, key),
                                format!("`{key}` must be a table: [{key}]"),
                            )
                        })?;
                        let duration = |k: &str, v: &toml::Value| {
                            v.as_str()
                                .ok_or_else(|| "a duration in quotes, like \"10m\"".to_owned())
                                .and_then(crate::duration::parse_duration)
                                .map_err(|m| err(line_of(text, k), format!("`{k}`: {m}")))
                        };
                        let count = |k: &str, v: &toml::Value| {
                            v.as_integer()
                                .and_then(|n| u32::try_from(n).ok())
                                .ok_or_else(|| {
                                    err(line_of(text, k), format!("`{k}` must be a number, like 2"))
                                })
                        };
                        for (k, v) in t {
                            match (key.as_str(), k.as_str()) {
                                ("agent", "command") => {
                                    let c = v.as_str().filter(|c| !c.trim().is_empty()).ok_or_else(|| {
                                    err(
                                        line_of(text, k),
                                        "`command` must be a command line in quotes, like \"claude -p\"".into(),
                                    )
                                })?;
                                    cfg.agent_command = Some(c.to_owned());
                                }
                                ("agent", "timeout") => cfg.agent_timeout = Some(duration(k, v)?),
                                ("run", "timeout") => cfg.run_timeout = Some(duration(k, v)?),
                                ("run", "retries") => cfg.run_retries = Some(count(k, v)?),
                                ("run", "jobs") => {
                                    cfg.run_jobs = Some(count(k, v)?.max(1) as usize);
                                }
                                (table, other) => {
                                    let known: &[&str] = if table == "agent" {
                                        &["command", "timeout"]
                                    } else {
                                        &["jobs", "retries", "timeout"]
                                    };
                                    return Err(err(
                                        line_of(text, other),
                                        unknown(table, other, known),
                                    ));
                                }
                            }
                        }
                    }
                    "enforce_freeze" => {
                        let sev = match value.as_str() {
                            Some("reject") => Severity::Error,
                            Some("warn") => Severity::Warning,
                            Some("off") => Severity::Off,
                            _ => {
                                return Err(err(
                                    line_of(text, key),
                                    format!(
                                        "`enforce_freeze` must be \"reject\", \"warn\" or \"off\", not {value}"
                                    ),
                                ));
                            }
                        };
                        let _ = cfg.rules.set(frozen_plan_modified::NAME, sev);
                    }
                    other => return Err(err(line_of(text, other), unknown("", other, TOP_KEYS))),
                }
                Ok(())
            };
            if let Err(e) = one() {
                errors.push(e);
            }
        }
        if !errors.is_empty() {
            return Err(all_at_once(errors));
        }
        Ok(cfg)
    }
}

/// Several configuration errors as one, in line order: the first as the error, the others
/// after it, each on its own `path:line:` line.
fn all_at_once(mut errors: Vec<Error>) -> Error {
    let line = |e: &Error| match e {
        Error::Config { line, .. } => *line,
        _ => 0,
    };
    errors.sort_by_key(line);
    let mut it = errors.into_iter();
    let Some(first) = it.next() else {
        return crate::error::refused("no error");
    };
    let rest: Vec<String> = it.map(|e| e.to_string()).collect();
    match first {
        Error::Config {
            path,
            line,
            mut message,
        } => {
            for r in rest {
                message.push('\n');
                message.push_str(&r);
            }
            Error::Config {
                path,
                line,
                message,
            }
        }
        other => other,
    }
}

fn string_list(v: &toml::Value) -> Option<Vec<String>> {
    match v {
        toml::Value::String(s) => Some(vec![s.clone()]),
        toml::Value::Array(a) => a.iter().map(|x| x.as_str().map(str::to_owned)).collect(),
        _ => None,
    }
}

fn unknown(table: &str, key: &str, known: &[&str]) -> String {
    let place = if table.is_empty() {
        String::new()
    } else {
        format!(" in [{table}]")
    };
    let mut m = format!("unknown key `{key}`{place}");
    if let Some(s) = did_you_mean(key, known.iter().copied()) {
        m.push_str(&format!("; did you mean `{s}`?"));
    } else {
        m.push_str(&format!("; expected one of: {}", known.join(", ")));
    }
    m
}

/// The line where `key` is defined (as `key =` or `[key]`), for error messages.
fn line_of(text: &str, key: &str) -> usize {
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let t = t.strip_prefix('[').unwrap_or(t);
        let t = t.trim_start_matches('"');
        if let Some(rest) = t.strip_prefix(key)
            && rest
                .trim_start_matches('"')
                .trim_start()
                .starts_with(['=', ']', '.'])
        {
            return i + 1;
        }
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_get_a_suggestion() {
        let e = Config::parse("[rulez]\nx = 1\n", "planwright.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `rules`"), "{e}");
        let e = Config::parse("[rules]\nexternal-links = \"off\"\n", "planwright.toml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("planwright.toml:2:"), "{e}");
        assert!(e.contains("did you mean `external-link`"), "{e}");
    }

    #[test]
    fn the_printed_configuration_reads_back() {
        let c = Config::parse("enforce_freeze = \"warn\"\n[rules]\nexternal-link = \"off\"\n[formats]\nbeads = false\n", "planwright.toml").unwrap();
        let printed = c.to_toml();
        let back = Config::parse(&printed, "printed").unwrap();
        assert_eq!(back.rules, c.rules);
        assert_eq!(
            back.rules.severity("frozen-plan-modified"),
            Severity::Warning
        );
        assert!(back.sources.iter().all(|s| s.hint != KindHint::Beads));
    }

    #[test]
    fn rule_severities_and_sources() {
        let c = Config::parse(
            "[sources]\nexec = [\"docs/exec-plans/**/*.md\"]\n[rules]\nexternal-link = \"error\"\n",
            "planwright.toml",
        )
        .unwrap();
        assert_eq!(c.rules.severity("external-link"), Severity::Error);
        assert_eq!(c.sources.last().map(|s| s.hint), Some(KindHint::Exec));
        let off = Config::parse("[formats]\nspec-kit = false\n", "planwright.toml").unwrap();
        assert!(off.sources.iter().all(|s| s.hint != KindHint::SpecKit));
        let e = Config::parse("[formats]\nspeckit = false\n", "planwright.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `spec-kit`"), "{e}");
    }

    #[test]
    fn every_config_error_is_reported_at_once() {
        let text = "[rules]\nexternl-link = \"error\"\n\n[index]\nrecently_closed = \"five\"\n\n[sourcez]\nx = 1\n";
        let e = Config::parse(text, "planwright.toml")
            .expect_err("three errors")
            .to_string();
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(lines.len(), 3, "{e}");
        assert!(
            lines[0].starts_with("planwright.toml:2: unknown rule `externl-link`"),
            "{e}"
        );
        assert!(lines[1].starts_with("planwright.toml:5: "), "{e}");
        assert!(
            lines[2].starts_with("planwright.toml:7: unknown key `sourcez`"),
            "{e}"
        );
    }
}
