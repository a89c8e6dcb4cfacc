//! Password hashing with argon2id. A hash is deliberately slow and takes
//! 19 MiB of memory, so `Passwords` runs a bounded number at once on the
//! blocking pool: a burst of logins (no account needed) waits its turn
//! briefly and is then refused with 503, instead of growing the process by
//! 19 MiB per request. The work areas are reused while hashing is busy and
//! given back when it is idle, so memory returns to where it was.

use crate::domain::user::Password;
use argon2::password_hash::{PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::Semaphore;

/// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
/// The most memory hashing may take at once when no limit is given; the
/// default number of concurrent hashes is the cores, at most this / 19 MiB.
const DEFAULT_MEMORY_BUDGET_KIB: usize = 256 * 1024;
/// A stored hash asking for more memory than this is not ours and never
/// matches, so a tampered row cannot make one login allocate gigabytes.
const MAX_MEMORY_KIB: u32 = 256 * 1024;
/// How long a hash waits for its turn before the request is refused.
pub const DEFAULT_QUEUE_WAIT: Duration = Duration::from_secs(5);

fn params() -> Params {
    Params::new(MEMORY_KIB, PASSES, 1, None).unwrap_or_default()
}

/// How many hashes run at once by default: one per core, and never more
/// than fit in the memory budget.
pub fn default_max_concurrent() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let fit = DEFAULT_MEMORY_BUDGET_KIB / MEMORY_KIB as usize;
    cores.min(fit).max(1)
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every permit stayed taken for the whole queue wait.
    #[error("too many passwords are being checked at once")]
    Busy,
    #[error("password hashing failed: {0}")]
    Failed(String),
}

/// A failed hash is our fault: a 500 whose cause is logged, never shown; a
/// busy hasher is a 503 the client may retry.
impl From<HashError> for crate::error::AppError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => crate::error::AppError::Busy {
                retry_after_secs: 2,
            },
            HashError::Failed(e) => crate::error::AppError::Internal(e),
        }
    }
}

/// Hashes and checks passwords, a bounded number at once.
#[derive(Debug)]
pub struct Passwords {
    permits: Semaphore,
    max: usize,
    queue_wait: Duration,
    /// Work areas of finished hashes, for the next ones while busy.
    spare: Mutex<Vec<Vec<Block>>>,
    /// Verified against when a login names no account, so a failed login
    /// takes as long whether or not the name is known; made at first use.
    dummy_hash: tokio::sync::OnceCell<String>,
}

impl Passwords {
    pub fn new(max_concurrent: usize, queue_wait: Duration) -> Self {
        let max = max_concurrent.max(1);
        Self {
            permits: Semaphore::new(max),
            max,
            queue_wait,
            spare: Mutex::new(Vec::new()),
            dummy_hash: tokio::sync::OnceCell::new(),
        }
    }

    /// For one-off commands (the CLI, the demo): one hash at a time.
    pub fn one_at_a_time() -> Self {
        Self::new(1, DEFAULT_QUEUE_WAIT)
    }

    /// Hashes a password into a PHC string (algorithm, parameters, salt, hash).
    pub async fn hash(&self, password: &Password) -> Result<String, HashError> {
        let salt = SaltString::encode_b64(&super::random_bytes::<16>())
            .map_err(|e| HashError::Failed(e.to_string()))?;
        let password = password.expose().as_bytes().to_vec();
        let params = params();
        let output_len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
        let job = Job {
            algorithm: Algorithm::Argon2id,
            version: Version::V0x13,
            params: params.clone(),
            password,
            salt: decode_salt(salt.as_salt())?,
            output_len,
        };
        let output = self.run(job).await?;
        let output = argon2::password_hash::Output::new(&output)
            .map_err(|e| HashError::Failed(e.to_string()))?;
        let phc = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: argon2::password_hash::ParamsString::try_from(&params)
                .map_err(|e| HashError::Failed(e.to_string()))?,
            salt: Some(salt.as_salt()),
            hash: Some(output),
        };
        Ok(phc.to_string())
    }

    /// Checks a password against a stored hash. A malformed hash never
    /// matches; `Busy` when no turn came within the queue wait.
    pub async fn verify(&self, password: &str, stored_hash: &str) -> Result<bool, HashError> {
        let Some((job, expected)) = Job::to_verify(password, stored_hash) else {
            return Ok(false);
        };
        let computed = self.run(job).await?;
        // Output compares in constant time.
        Ok(argon2::password_hash::Output::new(&computed).is_ok_and(|c| c == expected))
    }

    /// Spends the time of a real check when there is no account to check.
    pub async fn verify_dummy(&self, password: &str) -> Result<(), HashError> {
        let dummy = self
            .dummy_hash
            .get_or_try_init(|| async {
                let random = super::hex(&super::random_bytes::<16>());
                let password = Password::parse(&random).map_err(|e| HashError::Failed(e.0))?;
                self.hash(&password).await
            })
            .await?;
        self.verify(password, dummy).await.map(|_| ())
    }

    async fn run(&self, job: Job) -> Result<Vec<u8>, HashError> {
        let permit = tokio::time::timeout(self.queue_wait, self.permits.acquire())
            .await
            .map_err(|_| HashError::Busy)?
            .map_err(|_| HashError::Busy)?;
        let memory = self.take_spare();
        let outcome = crate::telemetry::spawn_blocking_in_span(move || job.run(memory))
            .await
            .map_err(|e| HashError::Failed(e.to_string()));
        let outcome = outcome.and_then(|(output, memory)| {
            self.give_back(memory);
            output.map_err(|e| HashError::Failed(e.to_string()))
        });
        drop(permit);
        self.release_if_idle();
        outcome
    }

    fn take_spare(&self) -> Vec<Block> {
        self.spare
            .lock()
            .map(|mut spare| spare.pop().unwrap_or_default())
            .unwrap_or_default()
    }

    fn give_back(&self, memory: Vec<Block>) {
        if let Ok(mut spare) = self.spare.lock() {
            spare.push(memory);
        }
    }

    /// With no hash running, the work areas go back to the system.
    fn release_if_idle(&self) {
        if self.permits.available_permits() == self.max {
            let released = self
                .spare
                .lock()
                .map(|mut spare| std::mem::take(&mut *spare));
            if let Ok(released) = released
                && !released.is_empty()
            {
                drop(released);
            }
        }
    }
}

/// One hash to compute, owned so it can move to the blocking pool.
struct Job {
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: Vec<u8>,
    salt: Vec<u8>,
    output_len: usize,
}

impl Job {
    /// The computation that reproduces `stored_hash` for the right
    /// password, and the output it must give.
    fn to_verify(
        password: &str,
        stored_hash: &str,
    ) -> Option<(Self, argon2::password_hash::Output)> {
        let parsed = PasswordHash::new(stored_hash).ok()?;
        let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
        let version = parsed
            .version
            .map_or(Ok(Version::default()), Version::try_from)
            .ok()?;
        let params = Params::try_from(&parsed).ok()?;
        if params.m_cost() > MAX_MEMORY_KIB {
            return None;
        }
        let expected = parsed.hash?;
        let job = Self {
            algorithm,
            version,
            params,
            password: password.as_bytes().to_vec(),
            salt: decode_salt(parsed.salt?).ok()?,
            output_len: expected.len(),
        };
        Some((job, expected))
    }

    /// Computes the hash in `memory` (grown to fit) and hands it back.
    fn run(self, mut memory: Vec<Block>) -> (argon2::Result<Vec<u8>>, Vec<Block>) {
        let blocks = self.params.block_count();
        if memory.len() < blocks {
            memory = work_area(blocks);
        }
        let mut output = vec![0; self.output_len];
        let outcome = Argon2::new(self.algorithm, self.version, self.params)
            .hash_password_into_with_memory(&self.password, &self.salt, &mut output, &mut memory)
            .map(|()| output);
        (outcome, memory)
    }
}

/// glibc serves a request of 32 MiB or more straight from the system and
/// gives it back when freed; smaller ones it keeps in its arenas once it has
/// seen a block that size freed, so freed work areas would stay resident.
const SYSTEM_ALLOCATION_BYTES: usize = 33 * 1024 * 1024;

/// A work area of `blocks` blocks. Reserving room for more than
/// `SYSTEM_ALLOCATION_BYTES` costs no memory (pages never touched are never
/// resident) and makes freeing it return the memory to the system.
fn work_area(blocks: usize) -> Vec<Block> {
    let reserve = blocks.max(SYSTEM_ALLOCATION_BYTES / std::mem::size_of::<Block>());
    let mut memory = Vec::with_capacity(reserve);
    memory.resize(blocks, Block::default());
    memory
}

fn decode_salt(salt: argon2::password_hash::Salt<'_>) -> Result<Vec<u8>, HashError> {
    let mut buffer = [0u8; 64];
    salt.decode_b64(&mut buffer)
        .map(<[u8]>::to_vec)
        .map_err(|e| HashError::Failed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let passwords = Passwords::new(2, DEFAULT_QUEUE_WAIT);
        let password = Password::parse("correct horse battery").expect("valid");
        let stored = passwords.hash(&password).await.expect("hashes");
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            passwords
                .verify("correct horse battery", &stored)
                .await
                .expect("runs")
        );
        assert!(
            !passwords
                .verify("correct horse battery!", &stored)
                .await
                .expect("runs")
        );
        assert!(
            !passwords
                .verify("anything", "not a hash")
                .await
                .expect("runs")
        );
    }

    #[tokio::test]
    async fn hashes_made_by_the_argon2_crate_still_verify() {
        use argon2::password_hash::PasswordHasher;
        let salt = SaltString::encode_b64(b"sixteen byte slt").expect("salt");
        let stored = Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
            .hash_password(b"an older password", &salt)
            .expect("hashes")
            .to_string();
        let passwords = Passwords::one_at_a_time();
        assert!(
            passwords
                .verify("an older password", &stored)
                .await
                .expect("runs")
        );
        assert!(
            !passwords
                .verify("an older passwort", &stored)
                .await
                .expect("runs")
        );
    }

    #[tokio::test]
    async fn a_stored_hash_asking_for_gigabytes_never_matches() {
        let huge = "$argon2id$v=19$m=4194304,t=1,p=1$c2l4dGVlbiBieXRlIHNsdA$\
                    AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        let passwords = Passwords::one_at_a_time();
        assert!(!passwords.verify("anything", huge).await.expect("runs"));
    }

    #[tokio::test]
    async fn a_full_hasher_refuses_after_the_queue_wait() {
        let passwords = std::sync::Arc::new(Passwords::new(1, Duration::from_millis(1)));
        let password = Password::parse("correct horse battery").expect("valid");
        let runs: Vec<_> = (0..8)
            .map(|_| {
                let (passwords, password) = (passwords.clone(), password.clone());
                tokio::spawn(async move { passwords.hash(&password).await })
            })
            .collect();
        let mut busy = 0;
        for run in runs {
            if matches!(run.await.expect("joins"), Err(HashError::Busy)) {
                busy += 1;
            }
        }
        assert!(
            busy > 0,
            "eight hashes at once, one at a time, 1 ms of patience"
        );
        assert!(
            passwords.spare.lock().expect("lock").is_empty(),
            "memory given back"
        );
    }
}
