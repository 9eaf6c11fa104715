//! The rules: each in its own file, with a stable kebab-case name, a default severity and a
//! doc comment in four parts (What it does / Why is this bad? / Example / Use instead) from
//! which the catalogue `docs/rules.md` is generated.

use crate::diag::{Diagnostic, Severity};
use crate::env::Env;
use crate::model::Plan;
use crate::parse::KindHint;
use crate::span::Span;

pub(crate) mod links;

pub mod approval_incomplete;
pub mod broken_link;
pub mod coarse_step;
pub mod dangling_dependency;
pub mod dependency_cycle;
pub mod duplicate_step;
pub mod external_link;
pub mod frozen_plan_modified;
pub mod graph_section_mismatch;
pub mod implicit_dependency;
pub mod invalid_encoding;
pub mod invalid_field_value;
pub mod invalid_json;
pub mod invalid_slug;
pub mod missing_acceptance_criteria;
pub mod missing_child_plan;
pub mod missing_field;
pub mod missing_living_section;
pub mod missing_recovery_path;
pub mod missing_section;
pub mod missing_verification;
pub mod nesting_too_deep;
pub mod order_violation;
pub mod over_planning;
pub mod placeholder_text;
pub mod roadmap_status_mismatch;
pub mod roadmap_with_steps;
pub mod roi_suggestion;
pub mod self_dependency;
pub mod stale_backreference;
pub mod stale_index;
pub mod superseded_without_successor;
pub mod unclosed_code_fence;
pub mod uncovered_requirement;
pub mod undefined_term;
pub mod unknown_path;
pub mod unobservable_acceptance;
pub mod unresolved_requirement;
pub mod vague_step;

/// The repository path a link `target` written in the file at `from` points to (`..` and
/// `.` resolved), or `None` when it points outside the repository, to the web, or nowhere.
pub fn link_path(from: &str, target: &str) -> Option<String> {
    match links::resolve(from, target) {
        links::Target::Local(p) => Some(p),
        _ => None,
    }
}

/// Does a link target leave the repository for the web (`http://`, `https://`, `//`)?
pub fn is_external_link(target: &str) -> bool {
    crate::parse::blocks::is_external(target)
}

/// What a rule sees: the source, the model, where the file is, and the repository.
pub struct Context<'a> {
    pub src: &'a str,
    pub plan: &'a Plan,
    /// Path relative to the repository root, with `/`; `None` when unknown.
    pub path: Option<&'a str>,
    pub env: &'a dyn Env,
    deps: std::cell::OnceCell<Vec<Vec<usize>>>,
    refs: std::cell::OnceCell<RefFacts>,
}

/// What one pass over the dependency references tells the rules that need the graph.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RefFacts {
    /// Every resolved reference points to an earlier step (no cycle, no order violation).
    pub backwards: bool,
    /// Some reference names no step (and is not the step itself).
    pub dangling: bool,
}

impl<'a> Context<'a> {
    pub fn new(src: &'a str, plan: &'a Plan, path: Option<&'a str>, env: &'a dyn Env) -> Self {
        Context {
            src,
            plan,
            path,
            env,
            deps: std::cell::OnceCell::new(),
            refs: std::cell::OnceCell::new(),
        }
    }

    /// One look at every reference, shared by the graph rules: most plans only depend on
    /// earlier steps and name no missing one, and those rules leave without building the
    /// graph.
    pub(crate) fn ref_facts(&self) -> RefFacts {
        *self.refs.get_or_init(|| {
            let index = crate::graph::IdIndex::new(self.plan);
            let mut facts = RefFacts {
                backwards: true,
                dangling: false,
            };
            for (i, step) in self.plan.steps.iter().enumerate() {
                for r in step.depends_on.iter().flat_map(|d| &d.refs) {
                    match index.get(&r.id) {
                        Some(j) if j > i => facts.backwards = false,
                        Some(_) => {}
                        None if r.id != step.id => facts.dangling = true,
                        None => {}
                    }
                }
            }
            facts
        })
    }

    /// The resolved dependencies of every step ([`crate::graph::dependencies`]), computed once.
    pub fn deps(&self) -> &[Vec<usize>] {
        self.deps
            .get_or_init(|| crate::graph::dependencies(self.plan))
    }
}

/// A finding of a repository-level rule (a generated view out of date, a roadmap whose status
/// its children contradict): the file, the 1-based line and byte range, and what to say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoFinding {
    pub rule: &'static str,
    pub file: String,
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub help: String,
}

/// The repository-level findings about the views that are out of date: `stale-index` for the
/// plans index, `stale-backreference` for a feature's table or a proposal's Plan field.
pub fn view_findings(views: &[crate::views::View]) -> Vec<RepoFinding> {
    use crate::views::ViewKind;
    views
        .iter()
        .map(|v| match v.kind {
            ViewKind::Index => stale_index::finding(v),
            ViewKind::FeatureTable | ViewKind::ProposalField => stale_backreference::finding(v),
        })
        .collect()
}

/// The finding of `rule` about the view `v`, which is out of date (`what` says which view), at
/// the first line where it differs from what it should contain.
pub(crate) fn view_finding(
    rule: &'static str,
    v: &crate::views::View,
    what: String,
) -> RepoFinding {
    let line = crate::views::first_difference(&v.old, &v.new);
    let start = v
        .old
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum::<usize>();
    RepoFinding {
        rule,
        file: v.rel.clone(),
        line,
        start,
        end: start,
        message: if v.old.is_empty() {
            format!("{what}: {} does not exist", v.rel)
        } else {
            what
        },
        help: "run `planwright index` to rewrite it (only its generated part changes)".to_owned(),
    }
}

/// Collects one rule's diagnostics.
pub struct Sink {
    rule: &'static str,
    severity: Severity,
    out: Vec<Diagnostic>,
}

impl Sink {
    /// Reports a finding; add a fix hint with `.with_help` on the returned diagnostic.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        self.out
            .push(Diagnostic::new(self.rule, self.severity, span, message));
        let last = self.out.len() - 1;
        &mut self.out[last]
    }
}

impl Diagnostic {
    /// Sets the fix hint in place (for use on [`Sink::report`]'s result).
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }
}

/// A rule: its name, default severity, whether the parser runs it, and its check.
pub struct Rule {
    pub name: &'static str,
    pub default_severity: Severity,
    /// Syntax rules need only the text; [`parse`] reports them too.
    pub syntax: bool,
    /// The rule's source file, from which its documentation is read.
    source: &'static str,
    check: fn(&Context<'_>, &mut Sink),
}

impl Rule {
    /// The rule's doc comment: the `//!` lines at the top of its file.
    pub fn docs(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines() {
            if let Some(rest) = line.strip_prefix("//!") {
                out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
                out.push('\n');
            } else if !line.trim().is_empty() {
                break;
            }
        }
        out
    }

    /// The first line of the docs: a one-sentence summary.
    pub fn summary(&self) -> String {
        let docs = self.docs();
        docs.lines().next().unwrap_or("").trim().to_owned()
    }
}

macro_rules! rule {
    ($module:ident, $severity:ident, syntax = $syntax:literal) => {
        Rule {
            name: $module::NAME,
            default_severity: Severity::$severity,
            syntax: $syntax,
            source: include_str!(concat!(stringify!($module), ".rs")),
            check: $module::check,
        }
    };
}

/// A repository-level rule: its name is its file's `NAME`, and it has nothing to check in one
/// file alone (its findings come from [`view_findings`] and [`roadmap_status_mismatch::findings`]).
macro_rules! repo_rule {
    ($module:ident, $severity:ident) => {
        Rule {
            name: $module::NAME,
            default_severity: Severity::$severity,
            syntax: false,
            source: include_str!(concat!(stringify!($module), ".rs")),
            check: |_, _| {},
        }
    };
}

/// Every rule, in catalogue order.
pub static RULES: &[Rule] = &[
    rule!(missing_field, Error, syntax = false),
    rule!(missing_section, Error, syntax = false),
    rule!(invalid_field_value, Error, syntax = false),
    rule!(invalid_slug, Error, syntax = false),
    rule!(nesting_too_deep, Error, syntax = true),
    rule!(duplicate_step, Error, syntax = true),
    rule!(self_dependency, Error, syntax = false),
    rule!(dangling_dependency, Error, syntax = false),
    rule!(dependency_cycle, Error, syntax = false),
    rule!(order_violation, Error, syntax = false),
    rule!(graph_section_mismatch, Error, syntax = false),
    rule!(broken_link, Error, syntax = false),
    rule!(approval_incomplete, Error, syntax = false),
    rule!(frozen_plan_modified, Error, syntax = false),
    rule!(superseded_without_successor, Error, syntax = false),
    rule!(roadmap_with_steps, Error, syntax = false),
    rule!(missing_child_plan, Error, syntax = false),
    repo_rule!(roadmap_status_mismatch, Error),
    repo_rule!(stale_index, Error),
    repo_rule!(stale_backreference, Error),
    rule!(external_link, Warning, syntax = false),
    rule!(missing_acceptance_criteria, Warning, syntax = false),
    rule!(missing_verification, Error, syntax = false),
    rule!(placeholder_text, Error, syntax = false),
    rule!(missing_living_section, Error, syntax = false),
    rule!(unclosed_code_fence, Error, syntax = true),
    rule!(over_planning, Warning, syntax = false),
    rule!(unresolved_requirement, Error, syntax = false),
    rule!(invalid_encoding, Error, syntax = true),
    rule!(invalid_json, Error, syntax = true),
    rule!(missing_recovery_path, Warning, syntax = false),
    rule!(undefined_term, Warning, syntax = false),
    rule!(unobservable_acceptance, Warning, syntax = false),
    rule!(uncovered_requirement, Warning, syntax = false),
    rule!(implicit_dependency, Warning, syntax = false),
    rule!(unknown_path, Warning, syntax = false),
    rule!(coarse_step, Warning, syntax = false),
    rule!(vague_step, Warning, syntax = false),
    rule!(roi_suggestion, Info, syntax = false),
];

/// Calls `$callback!` with the module name of every rule, in catalogue order (a test holds it
/// to [`RULES`]): for code that needs one item per rule, such as a test per rule fixture.
#[macro_export]
macro_rules! for_each_rule {
    ($callback:ident) => {
        $callback!(
            missing_field,
            missing_section,
            invalid_field_value,
            invalid_slug,
            nesting_too_deep,
            duplicate_step,
            self_dependency,
            dangling_dependency,
            dependency_cycle,
            order_violation,
            graph_section_mismatch,
            broken_link,
            approval_incomplete,
            frozen_plan_modified,
            superseded_without_successor,
            roadmap_with_steps,
            missing_child_plan,
            roadmap_status_mismatch,
            stale_index,
            stale_backreference,
            external_link,
            missing_acceptance_criteria,
            missing_verification,
            placeholder_text,
            missing_living_section,
            unclosed_code_fence,
            over_planning,
            unresolved_requirement,
            invalid_encoding,
            invalid_json,
            missing_recovery_path,
            undefined_term,
            unobservable_acceptance,
            uncovered_requirement,
            implicit_dependency,
            unknown_path,
            coarse_step,
            vague_step,
            roi_suggestion
        );
    };
}

/// Looks a rule up by name.
pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

/// The severity of every rule, after configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSet {
    severities: Vec<Severity>,
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet {
            severities: RULES.iter().map(|r| r.default_severity).collect(),
        }
    }
}

/// An unknown rule name in configuration, with the closest known name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRule {
    pub name: String,
    pub suggestion: Option<&'static str>,
}

impl RuleSet {
    /// Changes one rule's severity (`Severity::Off` disables it).
    pub fn set(&mut self, name: &str, severity: Severity) -> Result<(), UnknownRule> {
        match RULES.iter().position(|r| r.name == name) {
            Some(i) => {
                self.severities[i] = severity;
                Ok(())
            }
            None => Err(UnknownRule {
                name: name.to_owned(),
                suggestion: crate::text::did_you_mean(name, RULES.iter().map(|r| r.name)),
            }),
        }
    }

    pub fn severity(&self, name: &str) -> Severity {
        RULES
            .iter()
            .position(|r| r.name == name)
            .map_or(Severity::Off, |i| self.severities[i])
    }
}

fn run(cx: &Context<'_>, rules: &RuleSet, syntax_only: bool) -> Vec<Diagnostic> {
    let mut all = Vec::new();
    for (i, r) in RULES.iter().enumerate() {
        let severity = rules.severities[i];
        if severity == Severity::Off || (syntax_only && !r.syntax) {
            continue;
        }
        let mut sink = Sink {
            rule: r.name,
            severity,
            out: Vec::new(),
        };
        (r.check)(cx, &mut sink);
        all.append(&mut sink.out);
    }
    all.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(a.rule.cmp(b.rule)));
    all
}

/// Parses a plan. Never fails and never panics: problems come back as diagnostics.
pub fn parse(src: &str) -> (Plan, Vec<Diagnostic>) {
    parse_with(src, KindHint::Auto)
}

/// Parses a plan with a hint about its kind.
pub fn parse_with(src: &str, hint: KindHint) -> (Plan, Vec<Diagnostic>) {
    let plan = crate::parse::build_plan(src, hint);
    let diags = syntax_diagnostics(src, &plan);
    (plan, diags)
}

/// Parses raw bytes: a file that is not UTF-8 yields an empty document and an
/// `invalid-encoding` diagnostic at the first bad byte.
pub fn parse_bytes(bytes: &[u8], hint: KindHint) -> (Plan, Vec<Diagnostic>) {
    match std::str::from_utf8(bytes) {
        Ok(src) => parse_with(src, hint),
        Err(e) => {
            let at = e.valid_up_to();
            let plan = crate::parse::empty_plan(bytes.len());
            let d = invalid_encoding::diagnostic(at, bytes.get(at).copied());
            (plan, vec![d])
        }
    }
}

/// Diagnostics of the syntax rules, which [`parse`] reports.
pub(crate) fn syntax_diagnostics(src: &str, plan: &Plan) -> Vec<Diagnostic> {
    let cx = Context::new(src, plan, None, &crate::env::NoEnv);
    run(&cx, &RuleSet::default(), true)
}

/// Parses a plan and runs every enabled rule on it.
pub fn check(
    src: &str,
    path: Option<&str>,
    env: &dyn Env,
    rules: &RuleSet,
    hint: KindHint,
) -> (Plan, Vec<Diagnostic>) {
    let plan = crate::parse::build_plan(src, hint);
    let cx = Context::new(src, &plan, path, env);
    let diags = run(&cx, rules, false);
    (plan, diags)
}

/// [`check`] on raw bytes: a file that is not UTF-8 gets an `invalid-encoding` finding.
pub fn check_bytes(
    bytes: &[u8],
    path: Option<&str>,
    env: &dyn Env,
    rules: &RuleSet,
    hint: KindHint,
) -> (Plan, Vec<Diagnostic>) {
    match std::str::from_utf8(bytes) {
        Ok(src) => check(src, path, env, rules, hint),
        Err(e) => {
            let plan = crate::parse::empty_plan(bytes.len());
            let sev = rules.severity(invalid_encoding::NAME);
            let mut out = Vec::new();
            if sev != Severity::Off {
                let mut d = invalid_encoding::diagnostic(
                    e.valid_up_to(),
                    bytes.get(e.valid_up_to()).copied(),
                );
                d.severity = sev;
                out.push(d);
            }
            (plan, out)
        }
    }
}

/// The rule catalogue as Markdown, generated from the rules' doc comments.
pub fn catalogue_markdown() -> String {
    let mut out = String::from(
        "# Rules\n\n<!-- Generated from the rules' doc comments by `planwright rules --format markdown`. Do not edit. -->\n\n\
         Every rule has a stable name. Change a rule's severity in `planwright.toml`:\n\n\
         ```toml\n[rules]\nexternal-link = \"error\"   # or \"warning\", \"info\" or \"off\"\n```\n\n\
         An `info` finding is a suggestion: shown, never a failure, even under `--deny-warnings`.\n\n\
         | Rule | Default | Summary |\n|---|---|---|\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} |\n",
            r.name,
            r.name,
            r.default_severity,
            r.summary().replace('|', "\\|")
        ));
    }
    for r in RULES {
        out.push_str(&format!(
            "\n## {}\n\nDefault severity: **{}**.\n\n",
            r.name, r.default_severity
        ));
        let docs = r.docs();
        // Skip the summary line, which the table already shows; demote headings.
        for line in docs.lines().skip(1) {
            if let Some(h) = line.strip_prefix("## ") {
                out.push_str("### ");
                out.push_str(h);
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The title line of a plan, or the start of the file: where whole-plan findings point.
pub(crate) fn plan_anchor(cx: &Context<'_>) -> Span {
    if let Some(t) = &cx.plan.title {
        return t.span;
    }
    let first = cx.src.find('\n').unwrap_or(cx.src.len());
    let line = cx.src[..first].trim_end_matches('\r');
    Span::new(0, line.len())
}
