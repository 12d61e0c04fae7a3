//! Flux durations: the CRD pattern `^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$` and the
//! Kustomization timeout rule.

use std::time::Duration;

/// The pattern every Flux duration field must match.
pub const DURATION_PATTERN: &str = r"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$";

/// Why a duration was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid duration '{text}', must match '{}'", DURATION_PATTERN)]
pub struct DurationError {
    /// The text as written.
    pub text: String,
}

/// Parse a Flux duration (`10m`, `1h30m`, `1.5s`, `250ms`): one or more
/// `<digits>[.<digits>]<unit>` groups with unit `ms`, `s`, `m` or `h`, summed as Go's
/// `time.ParseDuration` does. Anything else (a sign, `us`, `d`, spaces, empty) is refused.
///
/// ```
/// use gitops_core::flux::parse_duration;
/// use std::time::Duration;
/// assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
/// assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
/// assert!(parse_duration("10d").is_err());
/// ```
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let err = || DurationError { text: text.to_owned() };
    let b = text.as_bytes();
    if b.is_empty() {
        return Err(err());
    }
    let mut i = 0;
    let mut total: u128 = 0; // nanoseconds
    while i < b.len() {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(err());
        }
        let int_part = &text[start..i];
        let mut frac_part = "";
        if i < b.len() && b[i] == b'.' {
            i += 1;
            let fs = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == fs {
                return Err(err());
            }
            frac_part = &text[fs..i];
        }
        let unit: u128 = if text[i..].starts_with("ms") {
            i += 2;
            1_000_000
        } else if text[i..].starts_with('s') {
            i += 1;
            1_000_000_000
        } else if text[i..].starts_with('m') {
            i += 1;
            60_000_000_000
        } else if text[i..].starts_with('h') {
            i += 1;
            3_600_000_000_000
        } else {
            return Err(err());
        };
        let whole: u128 = int_part.parse().map_err(|_| err())?;
        let mut ns = whole.checked_mul(unit).ok_or_else(err)?;
        // Fraction: Go keeps it to nanosecond precision, truncating.
        let mut scale = unit;
        for d in frac_part.bytes().take(30) {
            scale /= 10;
            if scale == 0 {
                break;
            }
            ns = ns.checked_add(u128::from(d - b'0') * scale).ok_or_else(err)?;
        }
        total = total.checked_add(ns).ok_or_else(err)?;
    }
    // Go's Duration is an int64 of nanoseconds.
    if total > i64::MAX as u128 {
        return Err(err());
    }
    let secs = u64::try_from(total / 1_000_000_000).map_err(|_| err())?;
    let nanos = u32::try_from(total % 1_000_000_000).map_err(|_| err())?;
    Ok(Duration::new(secs, nanos))
}

/// The Kustomization timeout (`GetTimeout`): `timeout` when set, else `interval − 30s`;
/// never below 30 seconds.
///
/// ```
/// use gitops_core::flux::effective_timeout;
/// use std::time::Duration;
/// let m = |s| Duration::from_secs(s);
/// assert_eq!(effective_timeout(m(600), None), m(570));
/// assert_eq!(effective_timeout(m(600), Some(m(5))), m(30));
/// assert_eq!(effective_timeout(m(40), None), m(30));
/// ```
pub fn effective_timeout(interval: Duration, timeout: Option<Duration>) -> Duration {
    let floor = Duration::from_secs(30);
    let t = timeout.unwrap_or_else(|| interval.saturating_sub(floor));
    t.max(floor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_table() {
        let ms = Duration::from_millis;
        let cases: &[(&str, Option<Duration>)] = &[
            ("10m", Some(ms(600_000))),
            ("10m0s", Some(ms(600_000))),
            ("1h", Some(ms(3_600_000))),
            ("1h30m10s", Some(ms(5_410_000))),
            ("250ms", Some(ms(250))),
            ("1.5h", Some(ms(5_400_000))),
            ("0.001s", Some(ms(1))),
            ("0s", Some(ms(0))),
            ("1m1m", Some(ms(120_000))),
            ("", None),
            ("10", None),
            ("-1m", None),
            ("+1m", None),
            ("1d", None),
            ("1us", None),
            ("1.m", None),
            (".5m", None),
            ("1 m", None),
            ("m", None),
            ("99999999999999999999h", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_duration(text).ok(), *want, "{text}");
        }
        assert_eq!(
            parse_duration("5x").unwrap_err().to_string(),
            r"invalid duration '5x', must match '^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$'"
        );
    }

    #[test]
    fn timeout_table() {
        let s = Duration::from_secs;
        let cases = [
            (s(600), None, s(570)),
            (s(600), Some(s(300)), s(300)),
            (s(3600), Some(s(10)), s(30)),
            (s(30), None, s(30)),
            (s(10), None, s(30)),
            (s(60), Some(s(7200)), s(7200)),
        ];
        for (interval, timeout, want) in cases {
            assert_eq!(effective_timeout(interval, timeout), want, "{interval:?} {timeout:?}");
        }
    }
}
