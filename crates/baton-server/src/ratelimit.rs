//! Token-bucket rate limiting keyed by anything hashable (a conversation, an address, an account).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Allows `burst` events at once and `per_period` events per `period` sustained.
#[derive(Debug)]
pub struct RateLimiter<K> {
    burst: f64,
    refill_per_second: f64,
    buckets: Mutex<HashMap<K, Bucket>>,
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl<K: Eq + Hash + Clone> RateLimiter<K> {
    pub fn new(burst: u32, per_period: u32, period: Duration) -> Self {
        RateLimiter {
            burst: f64::from(burst.max(1)),
            refill_per_second: f64::from(per_period) / period.as_secs_f64().max(0.001),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key`, or says how long to wait until one is available.
    pub fn take(&self, key: &K, now: Instant) -> Result<(), Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = self.refilled(&mut buckets, key, now);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(self.wait_for_one(bucket.tokens))
        }
    }

    /// Whether a token is available, without taking it.
    pub fn check(&self, key: &K, now: Instant) -> Result<(), Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = self.refilled(&mut buckets, key, now);
        if bucket.tokens >= 1.0 {
            Ok(())
        } else {
            Err(self.wait_for_one(bucket.tokens))
        }
    }

    /// Forgets buckets that are full again (they behave exactly like absent ones).
    pub fn purge(&self, now: Instant) {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let (burst, rate) = (self.burst, self.refill_per_second);
        buckets
            .retain(|_, b| b.tokens + now.duration_since(b.updated).as_secs_f64() * rate < burst);
    }

    fn refilled<'a>(
        &self,
        buckets: &'a mut HashMap<K, Bucket>,
        key: &K,
        now: Instant,
    ) -> &'a mut Bucket {
        let bucket = buckets.entry(key.clone()).or_insert(Bucket {
            tokens: self.burst,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.refill_per_second).min(self.burst);
        bucket.updated = now;
        bucket
    }

    fn wait_for_one(&self, tokens: f64) -> Duration {
        if self.refill_per_second <= 0.0 {
            return Duration::from_secs(3600);
        }
        Duration::from_secs_f64(((1.0 - tokens) / self.refill_per_second).max(0.001))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_rate_applies() {
        let limiter = RateLimiter::new(3, 60, Duration::from_secs(60));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.take(&"k", t0).is_ok());
        }
        let wait = limiter.take(&"k", t0).unwrap_err();
        assert!(wait <= Duration::from_secs(1) && wait > Duration::from_millis(900));
        assert!(limiter.take(&"k", t0 + Duration::from_secs(1)).is_ok());
        assert!(limiter.take(&"k", t0 + Duration::from_secs(1)).is_err());
    }

    #[test]
    fn keys_are_independent() {
        let limiter = RateLimiter::new(1, 1, Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(limiter.take(&1, t0).is_ok());
        assert!(limiter.take(&1, t0).is_err());
        assert!(limiter.take(&2, t0).is_ok());
    }

    #[test]
    fn check_does_not_consume() {
        let limiter = RateLimiter::new(1, 1, Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(limiter.check(&"k", t0).is_ok());
        assert!(limiter.check(&"k", t0).is_ok());
        assert!(limiter.take(&"k", t0).is_ok());
        assert!(limiter.check(&"k", t0).is_err());
    }

    #[test]
    fn purge_drops_only_full_buckets() {
        let limiter = RateLimiter::new(2, 2, Duration::from_secs(2));
        let t0 = Instant::now();
        limiter.take(&"a", t0).unwrap();
        limiter.purge(t0);
        assert_eq!(limiter.buckets.lock().unwrap().len(), 1);
        limiter.purge(t0 + Duration::from_secs(5));
        assert_eq!(limiter.buckets.lock().unwrap().len(), 0);
    }
}
