//! A token's lifetime at a glance: how far it has got from issue towards the kubelet's refresh
//! point and its expiry, as the TUI's lifetime bar and timeline show it.

use super::age::{countdown, seconds};
use crate::sim::clock::{SimTime, from_unix_seconds, unix_seconds};
use crate::sim::tokens::ledger::{Holder, TokenRecord};

/// Where a token stands on its lifetime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Before the refresh point.
    Fresh,
    /// Past the refresh point: the kubelet replaces it now (a client should have re-read it).
    RefreshDue,
    /// An extended token past `warnafter`: still accepted, but the API server logs it as stale.
    Stale,
    Expired,
}

/// One cell of a lifetime bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BarCell {
    /// Time already lived.
    Elapsed,
    /// Time still to come.
    Remaining,
    /// The refresh point, not reached yet.
    Mark,
    /// The refresh point, passed.
    MarkPassed,
    /// The bar ends at `warnafter`; the token itself lives on to `exp` (a year for
    /// `kube-api-access` tokens with `--service-account-extend-token-expiration`).
    Extension,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifetime {
    pub issued: i64,
    /// When the kubelet will refresh it, or 80 % of the lifetime for tokens nobody refreshes
    /// (TokenRequest callers are advised to refresh there too).
    pub refresh_at: i64,
    /// Whether `refresh_at` is a scheduled kubelet refresh.
    pub refresh_scheduled: bool,
    pub warn_after: Option<i64>,
    pub expires: i64,
    pub now: i64,
    /// A legacy (secret-based) token: no `exp`, nothing to refresh.
    pub never_expires: bool,
}

impl Lifetime {
    pub fn of(record: &TokenRecord, now: SimTime) -> Lifetime {
        let horizon = record.warnafter.unwrap_or(record.exp);
        // kubelet: refresh past 80 % of the requested TTL (or after 24 h); the ledger keeps the
        // exact instant, jitter included.
        // (i128: a legacy token's `exp` is i64::MAX, "never".)
        let eighty =
            i128::from(record.iat) + (i128::from(horizon) - i128::from(record.iat)) * 8 / 10;
        let eighty = i64::try_from(eighty).unwrap_or(i64::MAX);
        Lifetime {
            issued: record.iat,
            refresh_at: record.refresh_due_at.map(unix_seconds).unwrap_or(eighty),
            refresh_scheduled: record.refresh_due_at.is_some(),
            warn_after: record.warnafter,
            expires: record.exp,
            now: unix_seconds(now),
            never_expires: record.expires().is_none(),
        }
    }

    /// Where the bar ends: `warnafter` for extended tokens (the requested lifetime), else `exp`.
    pub fn horizon(&self) -> i64 {
        self.warn_after.unwrap_or(self.expires)
    }

    pub fn extended(&self) -> bool {
        self.warn_after.is_some_and(|w| w < self.expires)
    }

    fn fraction(&self, t: i64) -> f64 {
        let span = (self.horizon() - self.issued).max(1) as f64;
        ((t - self.issued) as f64 / span).clamp(0.0, 1.0)
    }

    /// How much of the (requested) lifetime has passed, 0 to 1.
    pub fn age_fraction(&self) -> f64 {
        self.fraction(self.now)
    }

    pub fn refresh_fraction(&self) -> f64 {
        self.fraction(self.refresh_at)
    }

    pub fn phase(&self) -> Phase {
        if self.never_expires {
            Phase::Fresh
        } else if self.now >= self.expires {
            Phase::Expired
        } else if self.warn_after.is_some_and(|w| self.now > w) {
            Phase::Stale
        } else if self.now >= self.refresh_at {
            Phase::RefreshDue
        } else {
            Phase::Fresh
        }
    }

    /// The bar in `width` cells: elapsed cells, the refresh mark, remaining cells, and for an
    /// extended token a last cell saying it lives on past the bar.
    pub fn bar(&self, width: usize) -> Vec<BarCell> {
        if width == 0 {
            return Vec::new();
        }
        if self.never_expires {
            // Nothing to measure against: the bar only says it goes on.
            let mut cells = vec![BarCell::Remaining; width - 1];
            cells.push(BarCell::Extension);
            return cells;
        }
        let body = if self.extended() && width > 2 {
            width - 1
        } else {
            width
        };
        let position = |f: f64| ((f * body as f64).round() as usize).min(body.saturating_sub(1));
        let elapsed = (self.age_fraction() * body as f64).round() as usize;
        let mark = position(self.refresh_fraction());
        let mut cells: Vec<BarCell> = (0..body)
            .map(|i| {
                if i == mark {
                    if self.now >= self.refresh_at {
                        BarCell::MarkPassed
                    } else {
                        BarCell::Mark
                    }
                } else if i < elapsed {
                    BarCell::Elapsed
                } else {
                    BarCell::Remaining
                }
            })
            .collect();
        if body < width {
            cells.push(BarCell::Extension);
        }
        cells
    }

    /// The bar as plain text: `█` lived, `░` to come, `│`/`┃` the refresh point, `»` extended.
    pub fn bar_text(&self, width: usize) -> String {
        self.bar(width)
            .into_iter()
            .map(|c| match c {
                BarCell::Elapsed => '█',
                BarCell::Remaining => '░',
                BarCell::Mark => '│',
                BarCell::MarkPassed => '┃',
                BarCell::Extension => '»',
            })
            .collect()
    }

    /// Milestones in time order, for a timeline: (label, instant, "in 12m3s" / "3m ago").
    pub fn milestones(&self) -> Vec<(&'static str, SimTime)> {
        let mut m = vec![("issued", from_unix_seconds(self.issued))];
        if self.never_expires {
            return m;
        }
        m.push((
            if self.refresh_scheduled {
                "kubelet refresh"
            } else {
                "80 % (refresh advised)"
            },
            from_unix_seconds(self.refresh_at),
        ));
        if let Some(w) = self.warn_after {
            m.push(("warnafter", from_unix_seconds(w)));
        }
        m.push(("expires", from_unix_seconds(self.expires)));
        m.sort_by_key(|(_, t)| *t);
        m
    }

    /// `refresh in 47m2s`, `expires in 9s`, `stale for 3m`, `expired 2m ago`: the next thing.
    pub fn next_step(&self) -> String {
        if self.never_expires {
            return "never expires (legacy token)".into();
        }
        match self.phase() {
            Phase::Fresh => format!(
                "{} in {}",
                if self.refresh_scheduled {
                    "refresh"
                } else {
                    "80 %"
                },
                countdown(seconds(self.refresh_at - self.now))
            ),
            Phase::RefreshDue => format!(
                "expires in {}",
                countdown(seconds(self.horizon() - self.now))
            ),
            Phase::Stale => format!(
                "stale for {}, expires in {}",
                countdown(seconds(self.now - self.warn_after.unwrap_or(self.now))),
                countdown(seconds(self.expires - self.now))
            ),
            Phase::Expired => format!(
                "expired {} ago",
                countdown(seconds(self.now - self.expires))
            ),
        }
    }
}

/// A holder in a few words, for narrow columns: `nginx vault-token`, `TokenRequest`.
pub fn holder_short(holder: &Holder) -> String {
    match holder {
        Holder::Projected { pod, volume, .. } => format!("pod {pod} {volume}"),
        Holder::TokenRequest { .. } => "TokenRequest".into(),
        Holder::Secret { secret, .. } => format!("secret {secret}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lifetime(now: i64, warn_after: Option<i64>, expires: i64, refresh: i64) -> Lifetime {
        Lifetime {
            issued: 0,
            refresh_at: refresh,
            refresh_scheduled: true,
            warn_after,
            expires,
            now,
            never_expires: false,
        }
    }

    #[test]
    fn a_legacy_token_never_expires() {
        let l = Lifetime {
            never_expires: true,
            refresh_scheduled: false,
            ..lifetime(100, None, i64::MAX, i64::MAX)
        };
        assert_eq!(l.phase(), Phase::Fresh);
        assert_eq!(l.next_step(), "never expires (legacy token)");
        assert_eq!(l.bar_text(5), "░░░░»");
        assert_eq!(l.milestones().len(), 1);
    }

    #[test]
    fn the_bar_fills_with_age_and_marks_the_refresh_point() {
        let l = lifetime(0, None, 100, 80);
        assert_eq!(l.bar_text(10), "░░░░░░░░│░");
        let l = lifetime(50, None, 100, 80);
        assert_eq!(l.bar_text(10), "█████░░░│░");
        assert_eq!(l.phase(), Phase::Fresh);
        let l = lifetime(90, None, 100, 80);
        assert_eq!(l.bar_text(10), "████████┃░");
        assert_eq!(l.phase(), Phase::RefreshDue);
        assert_eq!(lifetime(100, None, 100, 80).phase(), Phase::Expired);
    }

    #[test]
    fn extended_tokens_end_the_bar_at_warnafter() {
        let l = lifetime(3000, Some(3607), 31_536_000, 2884);
        assert!(l.extended());
        assert_eq!(l.bar_text(11), "████████┃░»");
        assert_eq!(l.phase(), Phase::RefreshDue);
        let stale = lifetime(4000, Some(3607), 31_536_000, 2884);
        assert_eq!(stale.phase(), Phase::Stale);
        assert!(stale.next_step().starts_with("stale for 6m33s"));
    }
}
