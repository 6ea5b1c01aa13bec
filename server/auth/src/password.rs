//! Password hashing with argon2id.
//!
//! Parameters follow the OWASP recommendation for argon2id: 19 MiB of memory, 2 iterations,
//! 1 lane, a random 16-byte salt, a 32-byte output (see `docs/security.md`). Hashing
//! runs on the blocking pool so it never stalls the async workers. A login for an unknown e-mail
//! still verifies against a dummy hash, so response times do not reveal which accounts exist.
//!
//! Memory is the cost that matters: each computation needs 19 MiB. Unbounded, a burst of
//! sign-ins would run as many at once as tokio has blocking threads (up to 512), and the
//! allocator keeps most of what every thread used (measured: 1.2 GiB after 33 concurrent sign-ups
//! and 33 sign-ins, over a 512 MiB container limit). So at most one computation per CPU runs at a
//! time (more would not finish sooner: the work is CPU-bound), each in one of as many working
//! memories, allocated once and reused; the server's memory for passwords is fixed at 19 MiB a
//! CPU. Hashes made with other parameters still verify, through the library's own allocation.

use std::sync::{LazyLock, Mutex};

use argon2::password_hash::PasswordVerifier;
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

/// Memory cost in KiB.
pub const MEMORY_KIB: u32 = 19 * 1024;
/// Number of passes.
pub const ITERATIONS: u32 = 2;
/// Degree of parallelism.
pub const LANES: u32 = 1;

/// Length of the hash, in bytes.
const OUTPUT_LEN: usize = 32;

fn params() -> Params {
    Params::new(MEMORY_KIB, ITERATIONS, LANES, Some(OUTPUT_LEN)).expect("valid argon2 parameters")
}

fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
}

/// What a login for an unknown e-mail verifies against, so it costs what a real one costs: a
/// hash with our parameters of a password no account has (made once with [`hash_now`]; a test
/// checks its parameters). A constant, so that starting the service computes nothing and holds
/// no argon2 memory until the first sign-in.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$ix2SJQXX1bMRQImMcId7rg$ZjScg6SNC2e+rEi37CtCfZzLKP9GX/d0yPgXx98WUDQ";

/// The working memories not in use; at most one per permit of [`RUNNING`] ever exists.
static MEMORIES: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

/// Runs `work` with a working memory of our parameters' size, taken from [`MEMORIES`] (or made,
/// the first few times) and put back after.
fn with_memory<T>(work: impl FnOnce(&mut [Block]) -> T) -> T {
    let taken = MEMORIES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .pop();
    let mut memory = taken.unwrap_or_else(|| vec![Block::new(); params().block_count()]);
    let result = work(&mut memory);
    MEMORIES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .push(memory);
    result
}

/// The PHC string of `password`, computed on this thread.
fn hash_now(password: &[u8]) -> anyhow::Result<String> {
    let salt = Salt::generate();
    let mut output = [0u8; OUTPUT_LEN];
    with_memory(|memory| hasher().hash_password_into_with_memory(password, &salt, &mut output, memory))
        .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params()).map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?,
        salt: Some(salt),
        hash: Some(Output::new(&output).map_err(|e| anyhow::anyhow!("argon2 output: {e}"))?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `stored`, computed on this thread.
fn verify_now(password: &[u8], stored: &str) -> anyhow::Result<bool> {
    let parsed = PasswordHash::new(stored).map_err(|e| anyhow::anyhow!("stored hash unreadable: {e}"))?;
    let ours = Params::try_from(&parsed)
        .ok()
        .filter(|found| found.block_count() == params().block_count());
    match (ours, &parsed.salt, &parsed.hash) {
        (Some(found), Some(salt), Some(expected))
            if parsed.algorithm == Algorithm::Argon2id.ident()
                && parsed.version == Some(Version::V0x13.into()) =>
        {
            let mut output = vec![0u8; expected.len()];
            let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, found);
            with_memory(|memory| argon2.hash_password_into_with_memory(password, salt, &mut output, memory))
                .map_err(|e| anyhow::anyhow!("argon2 verification failed: {e}"))?;
            // `Output`'s equality runs in constant time.
            Ok(Output::new(&output).is_ok_and(|computed| computed == *expected))
        }
        // Made with other parameters (before they were raised, say): the library's verifier.
        _ => Ok(hasher().verify_password(password, &parsed).is_ok()),
    }
}

/// One permit per CPU: how many hashes may run at once.
static RUNNING: LazyLock<Semaphore> = LazyLock::new(|| {
    let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    Semaphore::new(cpus)
});

/// Runs one argon2 computation on the blocking pool once a permit is free.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    let _permit = RUNNING.acquire().await?;
    Ok(tokio::task::spawn_blocking(move || {
        #[cfg(test)]
        let _running = tests::Running::start();
        work()
    })
    .await?)
}

/// The PHC string of `password`.
pub async fn hash(password: String) -> anyhow::Result<String> {
    bounded(move || hash_now(password.as_bytes())).await?
}

/// Whether `password` matches `stored`. With no stored hash, spends the same time and says no.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    bounded(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let matches = verify_now(password.as_bytes(), &stored)?;
        Ok(known && matches)
    })
    .await?
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    static NOW: AtomicUsize = AtomicUsize::new(0);
    static MOST: AtomicUsize = AtomicUsize::new(0);

    /// Counts the computations running at once, and the most seen.
    pub(super) struct Running;

    impl Running {
        pub(super) fn start() -> Running {
            let now = NOW.fetch_add(1, Ordering::SeqCst) + 1;
            MOST.fetch_max(now, Ordering::SeqCst);
            Running
        }
    }

    impl Drop for Running {
        fn drop(&mut self) {
            NOW.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Our hashes are the library's: it verifies ours, we verify its, with the same parameters,
    /// and hashes made with other parameters still verify.
    #[test]
    fn hashes_agree_with_the_library_both_ways() {
        use argon2::password_hash::phc::PasswordHash;
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};

        let ours = super::hash_now(b"correct horse battery").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            super::hasher()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        assert!(
            super::hasher()
                .verify_password(b"correct horse batterz", &parsed)
                .is_err()
        );

        let theirs = super::hasher()
            .hash_password(b"staple battery horse")
            .unwrap()
            .to_string();
        assert!(super::verify_now(b"staple battery horse", &theirs).unwrap());
        assert!(!super::verify_now(b"staple battery horsf", &theirs).unwrap());

        let weaker = argon2::Params::new(8 * 1024, 1, 1, Some(32)).unwrap();
        let older = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, weaker)
            .hash_password(b"an older account")
            .unwrap()
            .to_string();
        assert!(older.contains("m=8192,t=1,p=1"), "{older}");
        assert!(super::verify_now(b"an older account", &older).unwrap());
        assert!(!super::verify_now(b"an older accounts", &older).unwrap());
        assert!(super::verify_now(b"x", "not a phc string").is_err());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_hashes_run_at_once_than_there_are_cpus() {
        let cpus = std::thread::available_parallelism().unwrap().get();
        let all: Vec<_> = (0..cpus * 3)
            .map(|i| tokio::spawn(super::hash(format!("password number {i}"))))
            .collect();
        for one in all {
            one.await.unwrap().unwrap();
        }
        let most = MOST.load(Ordering::SeqCst);
        assert!(
            (1..=cpus).contains(&most),
            "{most} hashes ran at once on {cpus} CPUs"
        );
    }

    /// The dummy an unknown e-mail's login verifies against has exactly our parameters (so it
    /// costs what a real login costs) and matches nothing anyone would type.
    #[test]
    fn the_dummy_hash_costs_what_a_real_one_costs() {
        let ours = super::hash_now(b"anything").unwrap();
        let parameters = |phc: &str| phc.split('$').nth(3).unwrap().to_owned();
        assert_eq!(parameters(super::DUMMY_HASH), parameters(&ours));
        assert!(super::DUMMY_HASH.starts_with("$argon2id$v=19$"));
        for guess in ["", "password", "correct horse battery staple"] {
            assert!(!super::verify_now(guess.as_bytes(), super::DUMMY_HASH).unwrap());
        }
    }

    #[tokio::test]
    async fn hashes_verify_and_record_their_parameters() {
        let stored = super::hash("correct horse battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
        assert!(
            super::verify("correct horse battery".into(), Some(stored.clone()))
                .await
                .unwrap()
        );
        assert!(
            !super::verify("wrong horse battery".into(), Some(stored))
                .await
                .unwrap()
        );
        assert!(!super::verify("anything at all".into(), None).await.unwrap());
    }
}
