//! One integration-test binary. Every test gets a fresh temporary database
//! (`db.rs`); HTTP tests start their own server on port 0 and talk to it
//! over real HTTP (`helpers.rs`), `browser.rs` drives a real Chromium,
//! `store_contract.rs` calls the store on both backends, and `cli.rs` and
//! `ops.rs` run the real binary.

mod accounts;
mod api;
mod api_writing;
mod auto_tags;
mod bad_input;
mod browser;
mod cli;
mod comments;
mod db;
mod desk;
mod discovery;
mod entities;
mod helpers;
mod images;
mod likes;
mod limits;
mod live;
mod openapi;
mod ops;
mod reader;
mod sanitiser;
mod scale;
mod store_contract;
