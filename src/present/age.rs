//! Durations for people: kubectl's AGE (`duration.HumanDuration`) and countdowns.

use crate::sim::clock::SimDuration;

/// `duration.HumanDuration`, as kubectl prints AGE: `119s`, `2m30s`, `179m`, `3h5m`, `47h`,
/// `2d3h`, `729d`, `2y30d`, `8y`.
pub fn human_duration(d: SimDuration) -> String {
    let secs = d.num_seconds();
    if secs < -1 {
        return "<invalid>".into();
    }
    if secs < 0 {
        return "0s".into();
    }
    if secs < 120 {
        return format!("{secs}s");
    }
    let minutes = secs / 60;
    if minutes < 10 {
        let s = secs % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = secs / 3600;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{dy}d", hours / 24 / 365)
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// `secs` seconds as a duration, saturating at chrono's limits instead of panicking (claims
/// such as `exp` come from any token, and a legacy token's "never" is `i64::MAX`).
pub fn seconds(secs: i64) -> SimDuration {
    SimDuration::try_seconds(secs).unwrap_or(if secs < 0 {
        SimDuration::MIN
    } else {
        SimDuration::MAX
    })
}

/// A countdown to the second, compact: `1h35m53s`, `47m2s`, `9s`, `364d23h`; `-` once past.
pub fn countdown(d: SimDuration) -> String {
    let secs = d.num_seconds();
    if secs < 0 {
        return "-".into();
    }
    let (days, h, m, s) = (
        secs / 86400,
        (secs % 86400) / 3600,
        (secs % 3600) / 60,
        secs % 60,
    );
    if days > 0 {
        format!("{days}d{h}h")
    } else if h > 0 {
        format!("{h}h{m}m{s}s")
    } else if m > 0 {
        format!("{m}m{s}s")
    } else {
        format!("{s}s")
    }
}

/// A signed offset from now for decoded times: `in 1h59m58s`, `2m ago`.
pub fn relative(d: SimDuration) -> String {
    if d.num_seconds() >= 0 {
        format!("in {}", countdown(d))
    } else {
        format!("{} ago", countdown(-d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_duration_boundaries_match_apimachinery() {
        let cases = [
            (0, "0s"),
            (-1, "0s"),
            (-2, "<invalid>"),
            (119, "119s"),
            (120, "2m"),
            (150, "2m30s"),
            (599, "9m59s"),
            (600, "10m"),
            (10799, "179m"),
            (10800, "3h"),
            (10860, "3h1m"),
            (28800, "8h"),
            (172799, "47h"),
            (172800, "2d"),
            (176400, "2d1h"),
            (691200, "8d"),
            (63071999, "729d"),
            (63072000, "2y"),
            (65664000, "2y30d"),
            (252288000, "8y"),
        ];
        for (secs, want) in cases {
            assert_eq!(human_duration(SimDuration::seconds(secs)), want, "{secs}s");
        }
    }

    #[test]
    fn countdowns() {
        assert_eq!(countdown(SimDuration::seconds(5753)), "1h35m53s");
        assert_eq!(countdown(SimDuration::seconds(9)), "9s");
        assert_eq!(countdown(SimDuration::seconds(-1)), "-");
        assert_eq!(countdown(seconds(i64::MAX)), "106751991167d7h");
        assert_eq!(countdown(seconds(i64::MIN)), "-");
        assert_eq!(relative(SimDuration::seconds(-120)), "2m0s ago");
    }
}
