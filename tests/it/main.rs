//! One integration-test binary: every test starts its own server on port 0
//! with a fresh temporary database and talks to it over real HTTP.

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
mod live;
mod openapi;
mod ops;
mod reader;
mod sanitiser;
mod scale;
mod store_contract;
