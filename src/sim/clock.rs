//! Simulated time. The simulator never reads a wall clock: `now` is a value that only moves
//! when the caller advances it.

use chrono::{DateTime, TimeDelta, Utc};

/// An instant on the simulated clock (UTC).
pub type SimTime = DateTime<Utc>;
/// A span of simulated time.
pub type SimDuration = TimeDelta;

/// Whole Unix seconds of an instant, as JWT NumericDate claims carry them.
pub fn unix_seconds(t: SimTime) -> i64 {
    t.timestamp()
}

/// The instant `secs` Unix seconds describe; out-of-range values saturate at chrono's limits.
pub fn from_unix_seconds(secs: i64) -> SimTime {
    DateTime::from_timestamp(secs, 0).unwrap_or(if secs < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

/// Truncates an instant to whole seconds (Kubernetes timestamps carry no fraction).
pub fn whole_seconds(t: SimTime) -> SimTime {
    from_unix_seconds(t.timestamp())
}

/// RFC 3339 with a `Z` suffix and no fraction, as Kubernetes prints `metav1.Time`.
pub fn format_rfc3339(t: SimTime) -> String {
    Rfc3339(t).to_string()
}

/// `Display` of an instant as `2026-11-23T10:00:00Z` (written field by field: chrono's
/// strftime-style `format` re-parses its pattern on every call).
pub struct Rfc3339(pub SimTime);

impl std::fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use chrono::{Datelike, Timelike};
        let t = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }
}

/// Parses an RFC 3339 instant (any offset) into UTC.
pub fn parse_rfc3339(s: &str) -> Result<SimTime, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("invalid time {s:?}: {e} (want RFC 3339, e.g. 2026-01-01T00:00:00Z)"))
}

/// Parses a duration in Go's `time.ParseDuration` form: `300ms`, `1.5h`, `1h30m`, `7200s`, `-2m`.
/// Units: ns, us (µs), ms, s, m, h. A bare `0` is allowed, as in Go. Errors use Go's wording.
pub fn parse_go_duration(input: &str) -> Result<SimDuration, String> {
    let invalid = || format!("time: invalid duration {input:?}");
    let mut s = input;
    let mut negative = false;
    if let Some(rest) = s.strip_prefix('-') {
        negative = true;
        s = rest;
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest;
    }
    if s == "0" {
        return Ok(SimDuration::zero());
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total_nanos: i128 = 0;
    while !s.is_empty() {
        let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
        let (int_part, rest) = s.split_at(int_len);
        let (frac_part, rest) = match rest.strip_prefix('.') {
            Some(r) => {
                let n = r.bytes().take_while(u8::is_ascii_digit).count();
                r.split_at(n)
            }
            None => ("", rest),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(invalid());
        }
        let unit_len = rest
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit() || *c == '.')
            .map_or(rest.len(), |(i, _)| i);
        let (unit, rest) = rest.split_at(unit_len);
        let unit_nanos: i128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60 * 1_000_000_000,
            "h" => 3600 * 1_000_000_000,
            "" => return Err(format!("time: missing unit in duration {input:?}")),
            other => {
                return Err(format!(
                    "time: unknown unit {other:?} in duration {input:?}"
                ));
            }
        };
        let whole: i128 = if int_part.is_empty() {
            0
        } else {
            int_part.parse::<i128>().map_err(|_| invalid())?
        };
        let mut nanos = whole.checked_mul(unit_nanos).ok_or_else(invalid)?;
        if !frac_part.is_empty() {
            let digits = frac_part.len().min(30) as u32;
            let frac: i128 = frac_part[..digits as usize]
                .parse()
                .map_err(|_| invalid())?;
            nanos += frac * unit_nanos / 10i128.pow(digits);
        }
        total_nanos = total_nanos.checked_add(nanos).ok_or_else(invalid)?;
        if total_nanos > i64::MAX as i128 {
            return Err(invalid());
        }
        s = rest;
    }
    let nanos = if negative { -total_nanos } else { total_nanos };
    Ok(SimDuration::nanoseconds(nanos as i64))
}

/// Formats a duration the way Go's `time.Duration.String` does: `2h0m0s`, `1m30s`, `0s`.
pub fn format_go_duration(d: SimDuration) -> String {
    GoDuration(d).to_string()
}

/// `Display` of a duration in Go's form, for formatting without an intermediate string.
pub struct GoDuration(pub SimDuration);

impl std::fmt::Display for GoDuration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let total = self.0.num_seconds();
        let sign = if total < 0 { "-" } else { "" };
        let total = total.unsigned_abs();
        let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60);
        if h > 0 {
            write!(f, "{sign}{h}h{m}m{s}s")
        } else if m > 0 {
            write!(f, "{sign}{m}m{s}s")
        } else {
            write!(f, "{sign}{s}s")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_go_durations() {
        assert_eq!(parse_go_duration("10m").unwrap(), SimDuration::seconds(600));
        assert_eq!(parse_go_duration("2h").unwrap(), SimDuration::seconds(7200));
        assert_eq!(
            parse_go_duration("1h30m").unwrap(),
            SimDuration::seconds(5400)
        );
        assert_eq!(
            parse_go_duration("7200s").unwrap(),
            SimDuration::seconds(7200)
        );
        assert_eq!(
            parse_go_duration("1.5h").unwrap(),
            SimDuration::seconds(5400)
        );
        assert_eq!(
            parse_go_duration("300ms").unwrap(),
            SimDuration::milliseconds(300)
        );
        assert_eq!(
            parse_go_duration("-2m").unwrap(),
            SimDuration::seconds(-120)
        );
        assert_eq!(parse_go_duration("0").unwrap(), SimDuration::zero());
    }

    #[test]
    fn rejects_bad_durations_with_go_wording() {
        assert_eq!(
            parse_go_duration("abc").unwrap_err(),
            "time: invalid duration \"abc\""
        );
        assert_eq!(
            parse_go_duration("10").unwrap_err(),
            "time: missing unit in duration \"10\""
        );
        assert_eq!(
            parse_go_duration("3d").unwrap_err(),
            "time: unknown unit \"d\" in duration \"3d\""
        );
        assert!(parse_go_duration("").is_err());
        assert!(parse_go_duration("99999999999999h").is_err());
    }

    #[test]
    fn formats_rfc3339_like_kubernetes() {
        assert_eq!(
            format_rfc3339(from_unix_seconds(1795428000)),
            "2026-11-23T10:00:00Z"
        );
        assert_eq!(format_rfc3339(from_unix_seconds(0)), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn formats_like_go() {
        assert_eq!(format_go_duration(SimDuration::seconds(7200)), "2h0m0s");
        assert_eq!(format_go_duration(SimDuration::seconds(90)), "1m30s");
        assert_eq!(format_go_duration(SimDuration::zero()), "0s");
    }
}
