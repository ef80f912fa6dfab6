//! planguide's integration tests: one binary, a chainable fixture-site harness, and modules
//! by behaviour. Every test builds a real site into a temp folder and reads what came out.

mod harness;

mod authoring;
mod broken_sites;
mod browser;
mod build_errors;
mod build_example;
mod check;
mod deploy;
mod differential;
mod search;
mod serve;
mod tools;
