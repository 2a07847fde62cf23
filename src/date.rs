//! NumericDate (RFC 7519 §2) and the clock everything time-dependent reads it from. A leaf:
//! errors, claims validation and key caches all speak in these dates.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::time::{Duration, SystemTime};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// A JWT date: seconds since 1970-01-01T00:00:00Z, possibly fractional (RFC 7519 §2).
///
/// Parsed from integer or fractional JSON numbers; written as whole seconds; dates outside
/// the years −9999 to 9999 are refused. Shown as RFC 3339.
///
/// ```
/// use josecraft::jwt::NumericDate;
///
/// let d = NumericDate::from_unix(1_300_819_380).unwrap();
/// assert_eq!(d.to_string(), "2011-03-22T18:43:00Z");
/// assert_eq!(d.unix(), 1_300_819_380);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NumericDate(OffsetDateTime);

impl NumericDate {
    /// The date `seconds` after the epoch, if it is in range.
    pub fn from_unix(seconds: i64) -> Option<Self> {
        OffsetDateTime::from_unix_timestamp(seconds).ok().map(Self)
    }

    /// A date from a `time` date-time (converted to UTC).
    pub fn from_datetime(at: OffsetDateTime) -> Self {
        Self(at.to_offset(time::UtcOffset::UTC))
    }

    /// Now, from the system clock, in whole seconds (the resolution of JWT dates, and what
    /// error messages show).
    pub fn now() -> Self {
        let now = OffsetDateTime::now_utc();
        Self(now.replace_nanosecond(0).unwrap_or(now))
    }

    /// Whole seconds since the epoch (rounded down).
    pub fn unix(self) -> i64 {
        self.0.unix_timestamp()
    }

    /// The date as a `time` date-time in UTC.
    pub fn as_datetime(self) -> OffsetDateTime {
        self.0
    }

    /// This date plus `d`, if in range.
    pub fn checked_add(self, d: Duration) -> Option<Self> {
        self.0
            .checked_add(time::Duration::try_from(d).ok()?)
            .map(Self)
    }

    /// This date minus `d`, if in range.
    pub fn checked_sub(self, d: Duration) -> Option<Self> {
        self.0
            .checked_sub(time::Duration::try_from(d).ok()?)
            .map(Self)
    }

    /// A date from a `SystemTime`, if it is in range.
    pub fn from_system_time(at: SystemTime) -> Option<Self> {
        let nanos = match at.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(after) => i128::try_from(after.as_nanos()).ok()?,
            Err(before) => -i128::try_from(before.duration().as_nanos()).ok()?,
        };
        OffsetDateTime::from_unix_timestamp_nanos(nanos)
            .ok()
            .map(Self)
    }

    /// The date as a `SystemTime`, if the platform's `SystemTime` can represent it.
    pub fn to_system_time(self) -> Option<SystemTime> {
        let nanos = self.0.unix_timestamp_nanos();
        let n = nanos.unsigned_abs();
        let magnitude = Duration::new(
            u64::try_from(n / 1_000_000_000).ok()?,
            u32::try_from(n % 1_000_000_000).ok()?,
        );
        if nanos >= 0 {
            SystemTime::UNIX_EPOCH.checked_add(magnitude)
        } else {
            SystemTime::UNIX_EPOCH.checked_sub(magnitude)
        }
    }

    /// From a JSON number: integer or fractional seconds.
    pub(crate) fn from_json_number(n: &serde_json::Number) -> Option<Self> {
        if let Some(i) = n.as_i64() {
            return Self::from_unix(i);
        }
        let f = n.as_f64()?;
        if !f.is_finite() || f.abs() > 1e15 {
            return None;
        }
        let nanos = (f * 1e9).round() as i128;
        OffsetDateTime::from_unix_timestamp_nanos(nanos)
            .ok()
            .map(Self)
    }
}

impl fmt::Display for NumericDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.format(&Rfc3339) {
            Ok(s) => f.write_str(&s),
            Err(_) => write!(f, "{}", self.unix()),
        }
    }
}

impl fmt::Debug for NumericDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NumericDate({self})")
    }
}

impl Serialize for NumericDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.unix())
    }
}

impl<'de> Deserialize<'de> for NumericDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = serde_json::Number::deserialize(d)?;
        Self::from_json_number(&n).ok_or_else(|| serde::de::Error::custom("date out of range"))
    }
}

/// Where validation gets the current time. Inject one to test, or to replay tokens at a
/// fixed instant; there are no test-only fields anywhere else.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> NumericDate;
}

/// A shared clock is a clock (one `Arc<dyn Clock>` can drive a validation, a key cache and
/// an issuer together).
impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now(&self) -> NumericDate {
        (**self).now()
    }
}

impl<C: Clock + ?Sized> Clock for Box<C> {
    fn now(&self) -> NumericDate {
        (**self).now()
    }
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> NumericDate {
        NumericDate::now()
    }
}

/// A clock that always says the same time.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub NumericDate);

impl Clock for FixedClock {
    fn now(&self) -> NumericDate {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<NumericDate, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn parses_integers_and_fractions_and_writes_integers() {
        assert_eq!(parse("1300819380").unwrap().unix(), 1_300_819_380);
        let f = parse("1300819380.75").unwrap();
        assert_eq!(f.unix(), 1_300_819_380);
        assert!(f > parse("1300819380").unwrap());
        assert_eq!(serde_json::to_string(&f).unwrap(), "1300819380");
        assert_eq!(parse("-1").unwrap().unix(), -1);
        assert_eq!(parse("0").unwrap().to_string(), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn rejects_out_of_range_and_wrong_types() {
        for bad in [
            "1e20",
            "99999999999999",
            "-99999999999999",
            "18446744073709551615",
            "\"1\"",
            "null",
            "true",
            "[]",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(NumericDate::from_unix(i64::MAX).is_none());
    }
}
