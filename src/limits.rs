//! Rate limits, the shared step every surface calls before an action that
//! one client could repeat to hurt others (commenting, liking, registering,
//! searching, API calls). The counters live in the database
//! (`Store::take_rate`), so the limits hold across every instance; each
//! check is one upsert per rule, and closed windows are pruned now and then.

use crate::domain::rate::{Rate, Rates, Window, decide};
use crate::error::{AppError, AppResult};
use crate::store::Store;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};

/// What is limited. Each has its own rules and counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Comments per account.
    Comments,
    /// Comments per client address, whichever accounts write them.
    CommentsPerAddress,
    /// Likes and unlikes per account.
    Likes,
    RegistrationsPerAddress,
    SearchesPerAddress,
    /// Requests per API token.
    ApiPerToken,
}

impl Limit {
    /// The name in counters' keys and in `/metrics`.
    pub fn name(self) -> &'static str {
        match self {
            Limit::Comments => "comments",
            Limit::CommentsPerAddress => "comments_per_address",
            Limit::Likes => "likes",
            Limit::RegistrationsPerAddress => "registrations_per_address",
            Limit::SearchesPerAddress => "searches_per_address",
            Limit::ApiPerToken => "api_per_token",
        }
    }

    /// What the person was doing, for "You're … too often".
    pub fn doing(self) -> &'static str {
        match self {
            Limit::Comments | Limit::CommentsPerAddress => "commenting",
            Limit::Likes => "liking",
            Limit::RegistrationsPerAddress => "opening accounts",
            Limit::SearchesPerAddress => "searching",
            Limit::ApiPerToken => "calling the API",
        }
    }
}

/// The rules of every limit, set by flags (see the README's table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    pub comments: Rates,
    pub comments_per_address: Rates,
    pub likes: Rates,
    pub registrations_per_address: Rates,
    pub searches_per_address: Rates,
    pub api_per_token: Rates,
}

/// The defaults, as flags would write them.
pub const DEFAULT_COMMENTS: &str = "1/15s,30/h";
pub const DEFAULT_COMMENTS_PER_ADDRESS: &str = "20/min,200/h";
pub const DEFAULT_LIKES: &str = "120/min";
pub const DEFAULT_REGISTRATIONS_PER_ADDRESS: &str = "5/h";
pub const DEFAULT_SEARCHES_PER_ADDRESS: &str = "60/min";
pub const DEFAULT_API_PER_TOKEN: &str = "600/min";

impl Default for RateLimits {
    fn default() -> Self {
        let rates = |raw: &str| raw.parse().unwrap_or_default();
        Self {
            comments: rates(DEFAULT_COMMENTS),
            comments_per_address: rates(DEFAULT_COMMENTS_PER_ADDRESS),
            likes: rates(DEFAULT_LIKES),
            registrations_per_address: rates(DEFAULT_REGISTRATIONS_PER_ADDRESS),
            searches_per_address: rates(DEFAULT_SEARCHES_PER_ADDRESS),
            api_per_token: rates(DEFAULT_API_PER_TOKEN),
        }
    }
}

impl RateLimits {
    /// Every limit off (tests of other features, benchmarks).
    pub fn off() -> Self {
        Self {
            comments: Rates::off(),
            comments_per_address: Rates::off(),
            likes: Rates::off(),
            registrations_per_address: Rates::off(),
            searches_per_address: Rates::off(),
            api_per_token: Rates::off(),
        }
    }

    fn of(&self, limit: Limit) -> &Rates {
        match limit {
            Limit::Comments => &self.comments,
            Limit::CommentsPerAddress => &self.comments_per_address,
            Limit::Likes => &self.likes,
            Limit::RegistrationsPerAddress => &self.registrations_per_address,
            Limit::SearchesPerAddress => &self.searches_per_address,
            Limit::ApiPerToken => &self.api_per_token,
        }
    }
}

/// Who a limit counts.
pub enum Subject<'a> {
    Account(i64),
    /// IPv6 clients are counted by their /64, the block one subscriber
    /// usually holds, so rotating addresses within it does not help.
    Address(IpAddr),
    /// An API token, by its hash.
    Token(&'a str),
}

impl Subject<'_> {
    fn key(&self) -> String {
        match self {
            Subject::Account(id) => format!("account:{id}"),
            Subject::Address(IpAddr::V4(v4)) => format!("address:{v4}"),
            Subject::Address(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => format!("address:{v4}"),
                None => {
                    let s = v6.segments();
                    format!("address:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
            Subject::Token(hash) => format!("token:{hash}"),
        }
    }
}

/// Checks one in this many prune the counters.
const PRUNE_EVERY: u64 = 1024;

/// Applies the site's rate limits.
#[derive(Debug)]
pub struct Limiter {
    rates: RateLimits,
    checks: AtomicU64,
}

impl Limiter {
    pub fn new(rates: RateLimits) -> Self {
        Self {
            rates,
            checks: AtomicU64::new(0),
        }
    }

    pub fn rates(&self) -> &RateLimits {
        &self.rates
    }

    /// Counts one action of `subject` under `limit`: `RateLimited` with the
    /// time to wait when a rule is used up.
    pub async fn check(
        &self,
        store: &Store,
        limit: Limit,
        subject: Subject<'_>,
        now: i64,
    ) -> AppResult<()> {
        let rules = self.rates.of(limit).rules();
        if rules.is_empty() {
            return Ok(());
        }
        if self.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
            store.prune_rates(now).await?;
        }
        let subject = subject.key();
        for &rule in rules {
            let bucket = format!("{}:{}:{subject}", limit.name(), rule.period_name());
            if store.take_rate(&bucket, rule, now).await?.is_none() {
                return Err(refusal(limit, rule, store.rate_window(&bucket).await?, now));
            }
        }
        Ok(())
    }
}

fn refusal(limit: Limit, rule: Rate, window: Option<Window>, now: i64) -> AppError {
    metrics::counter!("rate_limited_total", "limit" => limit.name()).increment(1);
    let wait_ms = decide(rule, window, now).err().unwrap_or(1000);
    AppError::RateLimited {
        limit,
        retry_after_secs: ((wait_ms + 999) / 1000).max(1) as u64,
    }
}

/// "12 seconds", "3 minutes", "2 hours": how long to wait, rounded up.
pub fn wait_words(secs: u64) -> String {
    let (amount, unit) = match secs {
        0..=90 => (secs.max(1), "second"),
        91..=5400 => (secs.div_ceil(60), "minute"),
        _ => (secs.div_ceil(3600), "hour"),
    };
    if amount == 1 {
        format!("1 {unit}")
    } else {
        format!("{amount} {unit}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_counted_by_what_one_client_holds() {
        let key = |raw: &str| Subject::Address(raw.parse().expect("address")).key();
        assert_eq!(key("192.0.2.7"), "address:192.0.2.7");
        assert_eq!(key("::ffff:192.0.2.7"), "address:192.0.2.7");
        assert_eq!(key("2001:db8:1:2:3:4:5:6"), key("2001:db8:1:2:ffff::1"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
    }

    #[test]
    fn waits_are_said_in_words() {
        assert_eq!(wait_words(1), "1 second");
        assert_eq!(wait_words(14), "14 seconds");
        assert_eq!(wait_words(120), "2 minutes");
        assert_eq!(wait_words(3 * 3600), "3 hours");
    }
}
