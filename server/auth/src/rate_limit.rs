//! Login rate limits, per account and per client address.
//!
//! In-memory (governor's GCRA) and therefore per process: with N replicas an attacker gets at
//! most N times the configured rate. That bounds online guessing well enough next to argon2's
//! cost; a shared limiter (in the database or at the load balancer) is the next step if needed.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Limits on login attempts.
pub struct LoginLimiter {
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl LoginLimiter {
    /// Allows `per_account` attempts a minute for one e-mail address and `per_address` attempts a
    /// minute from one client address, each with a burst of the same size.
    pub fn new(per_account: NonZeroU32, per_address: NonZeroU32) -> Self {
        Self {
            per_account: RateLimiter::keyed(Quota::per_minute(per_account)),
            per_address: RateLimiter::keyed(Quota::per_minute(per_address)),
            clock: DefaultClock::default(),
        }
    }

    /// `Err(wait)` when this attempt is over a limit.
    pub fn check(&self, account: &str, address: IpAddr) -> Result<(), Duration> {
        let now = self.clock.now();
        self.per_address
            .check_key(&address)
            .map_err(|not_until| not_until.wait_time_from(now))?;
        self.per_account
            .check_key(&account.to_owned())
            .map_err(|not_until| not_until.wait_time_from(now))
    }

    /// Forgets keys whose limits have fully recovered; call now and then to bound memory.
    pub fn forget_idle(&self) {
        self.per_account.retain_recent();
        self.per_address.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_limit_applies_across_addresses() {
        let limiter = LoginLimiter::new(NonZeroU32::new(3).unwrap(), NonZeroU32::new(100).unwrap());
        for n in 0..3 {
            let address: IpAddr = format!("10.0.0.{n}").parse().unwrap();
            assert!(limiter.check("ada@example.com", address).is_ok());
        }
        let wait = limiter
            .check("ada@example.com", "10.0.0.9".parse().unwrap())
            .unwrap_err();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(20),
            "{wait:?}"
        );
        assert!(
            limiter
                .check("bob@example.com", "10.0.0.9".parse().unwrap())
                .is_ok()
        );
    }

    #[test]
    fn the_address_limit_applies_across_accounts() {
        let limiter = LoginLimiter::new(NonZeroU32::new(100).unwrap(), NonZeroU32::new(2).unwrap());
        let address: IpAddr = "192.0.2.1".parse().unwrap();
        assert!(limiter.check("a@example.com", address).is_ok());
        assert!(limiter.check("b@example.com", address).is_ok());
        assert!(limiter.check("c@example.com", address).is_err());
    }
}
