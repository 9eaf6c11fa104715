//! The core's integration tests, in one binary: properties of the parser, rule fixtures with
//! snapshots, and the generated rule catalogue.

mod catalogue;
mod exec;
mod graph;
mod model;
mod props;
mod rules;
