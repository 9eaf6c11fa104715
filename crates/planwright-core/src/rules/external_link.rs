//! A plan sends its reader to the web.
//!
//! ## What it does
//! Reports links and bare addresses that leave the repository (`http://`, `https://`). The
//! JSON output of `check` carries a self-containment score per plan: the share of its prose
//! lines that need no external reference (seed 001's metric).
//!
//! ## Why is this bad?
//! Plans are meant to be self-contained (seed 001): an agent may not reach the address, the
//! page may change or vanish, and two readers may see two different versions of it. Embed the
//! part the reader needs instead.
//!
//! ## Example
//! ```markdown
//! Configure OAuth2 following https://developers.example.com/oauth2
//! ```
//!
//! ## Use instead
//! ```markdown
//! Configure OAuth2 (from the provider's guide):
//! 1. Create an OAuth client id; set the redirect URI to http://localhost:3000/callback.
//! 2. Request the scopes `openid`, `email`, `profile`.
//! ```
//! (or raise this rule's severity to `error`, or turn it `off`, in `planwright.toml`).

/// The rule's name, as configuration and output spell it.
pub const NAME: &str = "external-link";

use super::{Context, Sink};
use crate::parse::is_external;

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if !cx.plan.kind.is_plan() {
        return;
    }
    for link in cx.plan.links.iter().filter(|l| is_external(&l.target)) {
        out.report(
            link.span,
            format!("external link to `{}`", short(&link.target)),
        )
        .help("a plan should be self-contained: embed what the reader needs from that page");
    }
    for url in &cx.plan.bare_urls {
        let text = url.span.text(cx.src);
        out.report(url.span, format!("external address `{}`", short(text)))
            .help("a plan should be self-contained: embed what the reader needs from that page");
    }
}

fn short(s: &str) -> String {
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}…")
    } else {
        s.to_owned()
    }
}
