//! Newsroom: a self-hosted news publishing platform.
//!
//! `web` (the site) and `api` (JSON) turn HTTP into calls on `domain` types
//! and the `store`; `auth` and `editorial` hold what both surfaces share
//! about accounts and articles; `app` assembles the router; `main.rs` is
//! the CLI.

pub mod api;
pub mod app;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod editorial;
pub mod error;
pub mod http;
pub mod media;
pub mod state;
pub mod store;
pub mod tagging;
pub mod telemetry;
pub mod web;

pub use app::{AppState, router, serve};
