//! The application's notion of "now", in Unix milliseconds. Tests use a
//! manual clock to step past a scheduled time without sleeping.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Clone, Debug, Default)]
pub enum Clock {
    #[default]
    System,
    Manual(Arc<AtomicI64>),
}

impl Clock {
    pub fn manual(start_millis: i64) -> Self {
        Clock::Manual(Arc::new(AtomicI64::new(start_millis)))
    }

    pub fn now(&self) -> i64 {
        match self {
            Clock::System => system_millis(),
            Clock::Manual(at) => at.load(Ordering::SeqCst),
        }
    }

    /// Moves a manual clock forward; the system clock cannot be moved.
    pub fn advance(&self, millis: i64) {
        if let Clock::Manual(at) = self {
            at.fetch_add(millis, Ordering::SeqCst);
        }
    }
}

pub fn system_millis() -> i64 {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
}
