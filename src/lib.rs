//! Newsroom: a self-hosted news publishing platform.
//!
//! `web` (the site) and `api` (JSON) turn HTTP into calls on `domain` types
//! and the `store`; `auth`, `editorial` and `comments` hold what both
//! surfaces share about accounts, articles and comments; `app` assembles the router; `main.rs` is
//! the CLI.

pub mod api;
pub mod app;
pub mod auth;
pub mod cli;
pub mod clock;
pub(crate) mod comments;
pub mod config;
pub mod demo;
pub mod domain;
pub(crate) mod editorial;
pub mod error;
pub(crate) mod http;
pub mod limits;
pub mod media;
pub mod server;
pub(crate) mod state;
pub mod store;
pub(crate) mod tagging;
pub mod telemetry;
pub(crate) mod web;

pub use app::{AppState, router, serve};
