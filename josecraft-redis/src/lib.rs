//! josecraft's shared state in Redis: the revocation list ([`RevocationStore`]), one-time
//! identifiers ([`ReplayCache`], for DPoP proof `jti`s) and refresh-token families
//! ([`RefreshFamilies`], RFC 9700 §4.14.2), so that a logout on one instance is known to
//! every other and a refresh token rotated on one cannot be replayed on another.
//!
//! - **One round trip** per check: `EXISTS` for revocation, `SET NX` for a first use, one
//!   Lua script for a rotation (atomic: of two instances rotating the same token, exactly
//!   one wins, and the other's attempt counts as reuse and ends the family).
//! - **Nothing accumulates**: every key expires with what it describes — a revoked `jti`
//!   at the token's `exp` plus the leeway, a used id at its end, a family at its absolute
//!   end (`EXPIREAT`, on the Redis server's clock).
//! - **Failures are decided, never hung**: every call has a timeout ([`RedisOptions`]); the
//!   connection is multiplexed and reconnects on its own. A call that fails is
//!   [`Error::StoreUnavailable`] (answer 503). Only the revocation check may be configured
//!   to [fail open](FailurePolicy::FailOpen), and only for outages shorter than a bound;
//!   rotations and first uses always fail closed.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::fmt;
use std::future::Future;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use josecraft::jwt::{
    NumericDate, RefreshFamilies, ReplayCache, RevocationStore, Rotation, StoreFuture,
};
use josecraft::{Error, Result};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::Script;

/// How long a call may take by default, connecting included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(250);
/// How long past `exp` a revoked `jti` is kept by default: the validators' default leeway.
pub const DEFAULT_LEEWAY: Duration = josecraft::jwt::DEFAULT_LEEWAY;

/// What a revocation check does when Redis cannot answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailurePolicy {
    /// Refuse: the check fails with [`Error::StoreUnavailable`] (503). The default.
    FailClosed,
    /// Accept the token as not revoked while Redis last answered less than `max_staleness`
    /// ago; past that, fail closed. A revocation made during the outage is missed for at
    /// most that long.
    FailOpen {
        /// The longest outage tolerated.
        max_staleness: Duration,
    },
}

/// Settings of a [`RedisStore`].
#[derive(Debug, Clone)]
pub struct RedisOptions {
    prefix: String,
    timeout: Duration,
    leeway: Duration,
    policy: FailurePolicy,
}

impl Default for RedisOptions {
    fn default() -> Self {
        Self {
            prefix: "josecraft:".into(),
            timeout: DEFAULT_TIMEOUT,
            leeway: DEFAULT_LEEWAY,
            policy: FailurePolicy::FailClosed,
        }
    }
}

impl RedisOptions {
    /// The prefix of every key (default `josecraft:`), to share a Redis between services.
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The longest a call may take (default 250 ms); past it, the call fails.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long past its token's `exp` a revoked `jti` is kept (default 60 s): set it to
    /// your validators' leeway.
    pub fn with_leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// What a revocation check does when Redis cannot answer (default fail closed).
    pub fn with_failure_policy(mut self, policy: FailurePolicy) -> Self {
        self.policy = policy;
        self
    }
}

/// A connection to Redis holding josecraft's shared state; cheap to clone (one
/// multiplexed connection, shared).
#[derive(Clone)]
pub struct RedisStore {
    conn: ConnectionManager,
    options: Arc<RedisOptions>,
    /// Since when revocation checks have been failing (monotonic), for fail-open: set by
    /// the first failed check, cleared only by a successful one — other calls (a ping, a
    /// first use) say nothing about whether revocations can be read.
    outage_since: Arc<Mutex<Option<Instant>>>,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

fn unavailable(why: impl fmt::Display) -> Error {
    Error::StoreUnavailable(format!("redis: {why}"))
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

// Loaded once: redis-rs sends EVALSHA and falls back to EVAL after a restart.
static ROTATE: LazyLock<Script> = LazyLock::new(|| Script::new(ROTATE_LUA));
static REVOKE_FAMILY: LazyLock<Script> = LazyLock::new(|| Script::new(REVOKE_FAMILY_LUA));
static START_FAMILY: LazyLock<Script> = LazyLock::new(|| Script::new(START_FAMILY_LUA));

const ROTATE_LUA: &str = r"
local f = redis.call('HMGET', KEYS[1], 'current', 'revoked')
if not f[1] or f[2] == '1' then return 'ended' end
if f[1] == ARGV[1] then
  redis.call('HSET', KEYS[1], 'current', ARGV[2])
  return 'rotated'
end
redis.call('HSET', KEYS[1], 'revoked', '1')
return 'reused'
";

const REVOKE_FAMILY_LUA: &str = r"
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'revoked', '1') end
return 1
";

const START_FAMILY_LUA: &str = r"
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'current', ARGV[1], 'revoked', '0')
redis.call('EXPIREAT', KEYS[1], ARGV[2])
return 1
";

impl RedisStore {
    /// Connects to the Redis at `url` (`redis://host:port/db`, `rediss://` for TLS when
    /// the `redis` crate is built with it).
    ///
    /// # Errors
    /// [`Error::StoreUnavailable`] when Redis cannot be reached within the timeout.
    pub async fn connect(url: &str, options: RedisOptions) -> Result<Self> {
        let client = redis::Client::open(url).map_err(|e| unavailable(format!("bad URL: {e}")))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(options.timeout)
            .set_response_timeout(options.timeout)
            // Reconnect attempts are bounded by each call's own timeout.
            .set_number_of_retries(1)
            .set_max_delay(500);
        let conn = tokio::time::timeout(
            options.timeout.saturating_mul(4),
            client.get_connection_manager_with_config(config),
        )
        .await
        .map_err(|_| unavailable("connecting timed out"))?
        .map_err(|e| unavailable(format!("cannot connect: {e}")))?;
        Ok(Self {
            conn,
            options: Arc::new(options),
            outage_since: Arc::new(Mutex::new(None)),
        })
    }

    fn key(&self, kind: &str, id: &str) -> String {
        format!("{}{kind}:{id}", self.options.prefix)
    }

    /// Runs one call under the timeout.
    async fn call<T>(
        &self,
        what: &str,
        fut: impl Future<Output = redis::RedisResult<T>>,
    ) -> Result<T> {
        // The connection and the timeout need a Tokio runtime; elsewhere (say under
        // `keysource::block_on`) the call fails instead of panicking.
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(unavailable(format!(
                "{what}: a RedisStore works within a Tokio runtime only"
            )));
        }
        match tokio::time::timeout(self.options.timeout, fut).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(unavailable(format!("{what}: {e}"))),
            Err(_) => Err(unavailable(format!(
                "{what}: timed out after {:?}",
                self.options.timeout
            ))),
        }
    }

    /// Checks that Redis answers (`PING`), for readiness probes.
    ///
    /// # Errors
    /// [`Error::StoreUnavailable`].
    pub async fn ping(&self) -> Result<()> {
        let mut c = self.conn.clone();
        self.call("PING", async move {
            redis::cmd("PING").query_async::<String>(&mut c).await
        })
        .await
        .map(drop)
    }
}

/// Expiry times run on the Redis server's clock, validation on ours: entries are kept this
/// much longer, so that a Redis clock running ahead does not drop them early.
const CLOCK_MARGIN: Duration = Duration::from_secs(300);

/// Seconds since the epoch of `date` plus `extra` and the clock margin, for `EXPIREAT`.
fn expire_at(date: NumericDate, extra: Duration) -> i64 {
    let extra = extra.saturating_add(CLOCK_MARGIN);
    date.unix()
        .saturating_add(i64::try_from(extra.as_secs()).unwrap_or(i64::MAX))
}

impl RevocationStore for RedisStore {
    fn revoke<'a>(&'a self, jti: &'a str, exp: NumericDate) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let key = self.key("revoked", jti);
            let at = expire_at(exp, self.options.leeway);
            let mut c = self.conn.clone();
            self.call("revoke", async move {
                redis::pipe()
                    .atomic()
                    .cmd("SET")
                    .arg(&key)
                    .arg(1)
                    .ignore()
                    .cmd("EXPIREAT")
                    .arg(&key)
                    .arg(at)
                    .ignore()
                    .query_async::<()>(&mut c)
                    .await
            })
            .await
        })
    }

    fn is_revoked<'a>(&'a self, jti: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let key = self.key("revoked", jti);
            let mut c = self.conn.clone();
            let answer = self
                .call("revocation check", async move {
                    redis::cmd("EXISTS")
                        .arg(&key)
                        .query_async::<bool>(&mut c)
                        .await
                })
                .await;
            let mut outage = self.outage_since.lock().unwrap_or_else(|p| p.into_inner());
            match (answer, self.options.policy) {
                (Ok(revoked), _) => {
                    *outage = None;
                    Ok(revoked)
                }
                (Err(e), FailurePolicy::FailOpen { max_staleness }) => {
                    // Monotonic, from the first failed check; only a successful check
                    // ends the outage.
                    let since = *outage.get_or_insert_with(Instant::now);
                    if since.elapsed() <= max_staleness {
                        tracing::warn!(error = %e, "josecraft-redis: revocation unknown, failing open");
                        Ok(false)
                    } else {
                        Err(e)
                    }
                }
                (Err(e), _) => {
                    outage.get_or_insert_with(Instant::now);
                    Err(e)
                }
            }
        })
    }
}

impl ReplayCache for RedisStore {
    fn first_use<'a>(&'a self, id: &'a str, until: NumericDate) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let key = self.key("seen", id);
            // With the clock margin. When even that has passed, the floor of "the current
            // second" is a relative expiry: an absolute one would be read against Redis's
            // clock, and one ahead of ours would drop the key at once.
            let at = expire_at(until, Duration::ZERO);
            let expiry = if at > now_ms() / 1000 + 1 {
                ("EXAT", at)
            } else {
                ("EX", 2)
            };
            let mut c = self.conn.clone();
            let set: Option<String> = self
                .call("first use", async move {
                    redis::cmd("SET")
                        .arg(&key)
                        .arg(1)
                        .arg("NX")
                        .arg(expiry.0)
                        .arg(expiry.1)
                        .query_async(&mut c)
                        .await
                })
                .await?;
            Ok(set.is_some())
        })
    }
}

impl RefreshFamilies for RedisStore {
    fn start<'a>(
        &'a self,
        family: &'a str,
        token: &'a str,
        ends: NumericDate,
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let key = self.key("family", family);
            let mut c = self.conn.clone();
            self.call("start family", async move {
                START_FAMILY
                    .key(&key)
                    .arg(token)
                    .arg(ends.unix())
                    .invoke_async::<i64>(&mut c)
                    .await
            })
            .await
            .map(drop)
        })
    }

    fn rotate<'a>(
        &'a self,
        family: &'a str,
        presented: &'a str,
        next: &'a str,
    ) -> StoreFuture<'a, Rotation> {
        Box::pin(async move {
            let key = self.key("family", family);
            let mut c = self.conn.clone();
            let outcome: String = self
                .call("rotate", async move {
                    ROTATE
                        .key(&key)
                        .arg(presented)
                        .arg(next)
                        .invoke_async(&mut c)
                        .await
                })
                .await?;
            match outcome.as_str() {
                "rotated" => Ok(Rotation::Rotated),
                "reused" => Ok(Rotation::ReuseDetected),
                "ended" => Ok(Rotation::Ended),
                other => Err(unavailable(format!("rotate: unexpected answer {other:?}"))),
            }
        })
    }

    fn revoke_family<'a>(&'a self, family: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let key = self.key("family", family);
            let mut c = self.conn.clone();
            self.call("revoke family", async move {
                REVOKE_FAMILY.key(&key).invoke_async::<i64>(&mut c).await
            })
            .await
            .map(drop)
        })
    }
}
