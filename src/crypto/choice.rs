//! Which crypto provider a process runs on.
//!
//! Providers are compiled in by Cargo features: `ring` (the default) and `aws-lc`. With one
//! of them, that one is used. With both, the process uses one for its whole life: the one
//! given to [`CryptoProvider::install_default`] before the first cryptographic operation,
//! else the one the `JOSECRAFT_CRYPTO_PROVIDER` environment variable names (`ring` or
//! `aws-lc`, read once; other values are ignored), else ring. Keys are always used by the
//! provider that built them.
//!
//! Cargo unifies features across a build: a dependency that enables josecraft's default
//! features compiles ring in beside aws-lc. A program that must run on aws-lc calls
//! `CryptoProvider::AwsLc.install_default()` at start-up and treats an `Err` as fatal.

use std::sync::OnceLock;

/// A crypto provider josecraft can run on; the variants that exist are the ones compiled in.
///
/// ```
/// use josecraft::CryptoProvider;
///
/// // The provider in use can always be installed again; another one cannot, once in use.
/// let current = CryptoProvider::get_default();
/// assert!(CryptoProvider::available().contains(&current));
/// assert_eq!(current.install_default(), Ok(()));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CryptoProvider {
    /// ring, with RustCrypto crates for what ring lacks (feature `ring`, the default).
    #[cfg(feature = "ring")]
    Ring,
    /// aws-lc-rs (feature `aws-lc`).
    #[cfg(feature = "aws-lc")]
    AwsLc,
}

/// The environment variable read, once, when both providers are compiled in and the
/// program installed none: `ring` or `aws-lc`. Any other value is ignored.
pub const CRYPTO_PROVIDER_ENV: &str = "JOSECRAFT_CRYPTO_PROVIDER";

static CHOSEN: OnceLock<CryptoProvider> = OnceLock::new();

impl CryptoProvider {
    /// Every provider compiled into this build, the default first.
    pub const fn available() -> &'static [CryptoProvider] {
        &[
            #[cfg(feature = "ring")]
            CryptoProvider::Ring,
            #[cfg(feature = "aws-lc")]
            CryptoProvider::AwsLc,
        ]
    }

    /// The provider's name, as [`CRYPTO_PROVIDER_ENV`] spells it.
    pub const fn name(self) -> &'static str {
        match self {
            #[cfg(feature = "ring")]
            CryptoProvider::Ring => "ring",
            #[cfg(feature = "aws-lc")]
            CryptoProvider::AwsLc => "aws-lc",
        }
    }

    /// The provider this process uses; the first call fixes it if nothing was installed.
    pub fn get_default() -> CryptoProvider {
        *CHOSEN.get_or_init(initial)
    }

    /// Makes `self` the provider of this process. Call it at start-up, before any key is
    /// built: once a provider is in use it stays, and installing another one returns it
    /// as `Err`. Installing the provider already in use is `Ok`.
    ///
    /// # Errors
    /// The provider already in force, when it is not `self`.
    pub fn install_default(self) -> Result<(), CryptoProvider> {
        match CHOSEN.set(self) {
            Ok(()) => Ok(()),
            Err(_) => {
                let current = Self::get_default();
                if current == self {
                    Ok(())
                } else {
                    Err(current)
                }
            }
        }
    }
}

fn initial() -> CryptoProvider {
    let named = std::env::var(CRYPTO_PROVIDER_ENV).ok();
    CryptoProvider::available()
        .iter()
        .copied()
        .find(|p| named.as_deref() == Some(p.name()))
        .unwrap_or(DEFAULT)
}

#[cfg(feature = "ring")]
const DEFAULT: CryptoProvider = CryptoProvider::Ring;
#[cfg(not(feature = "ring"))]
const DEFAULT: CryptoProvider = CryptoProvider::AwsLc;
