//! Everything that turns a service's typed result into text: `check`'s formats — human
//! (rustc-style snippets), JSON, SARIF 2.1.0 and GitHub workflow commands — `graph`'s and
//! `show`'s, and what an editing service changed. Each converts the core's byte spans at the
//! edge.

pub mod changes;
pub mod github;
pub mod graph;
#[cfg(feature = "serve")]
pub mod html;
pub mod human;
pub mod json;
pub mod sarif;
pub mod show;
