//! The simulated clock as the TUI drives it: paused or running at one of five speeds. Wall time
//! arrives as ticks; whole simulated seconds go to the simulator and the fraction is carried, so
//! the simulator's clock stays on whole seconds as Kubernetes timestamps do.

use std::time::Duration;

/// The speeds `+` and `-` step through.
pub const SPEEDS: [u32; 5] = [1, 10, 60, 600, 3600];

/// At most this much wall time counts per tick: after a suspend (ctrl-z, a laptop lid), the clock
/// resumes instead of leaping.
const MAX_TICK: Duration = Duration::from_secs(1);

/// Redraws are at most this frequent, however fast the simulated seconds go.
pub const FRAME: Duration = Duration::from_millis(33);

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimeControl {
    pub speed_index: usize,
    pub paused: bool,
    /// Simulated time accumulated but not yet handed to the simulator (under a second).
    carry: Duration,
}

impl TimeControl {
    pub fn speed(&self) -> u32 {
        SPEEDS[self.speed_index.min(SPEEDS.len() - 1)]
    }

    pub fn faster(&mut self) {
        self.speed_index = (self.speed_index + 1).min(SPEEDS.len() - 1);
    }

    pub fn slower(&mut self) {
        self.speed_index = self.speed_index.saturating_sub(1);
    }

    pub fn toggle_pause(&mut self) {
        self.paused = !self.paused;
        self.carry = Duration::ZERO;
    }

    /// Forgets the fraction of a second carried (after a jump, the clock restarts on a second).
    pub fn reset_carry(&mut self) {
        self.carry = Duration::ZERO;
    }

    /// Turns wall time into whole simulated seconds to advance now, keeping the fraction.
    pub fn sim_seconds(&mut self, wall: Duration) -> i64 {
        if self.paused {
            return 0;
        }
        let simulated = wall.min(MAX_TICK) * self.speed() + self.carry;
        let whole = simulated.as_secs();
        self.carry = simulated - Duration::from_secs(whole);
        i64::try_from(whole).unwrap_or(i64::MAX)
    }

    /// Wall time until the simulated clock next shows a new second, but no sooner than a frame;
    /// `None` while paused (nothing moves until a key arrives).
    pub fn next_wake(&self) -> Option<Duration> {
        if self.paused {
            return None;
        }
        let to_next_second = Duration::from_secs(1).saturating_sub(self.carry);
        Some((to_next_second / self.speed()).max(FRAME))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_time_times_speed_becomes_whole_seconds_with_the_fraction_carried() {
        let mut c = TimeControl::default();
        assert_eq!(c.sim_seconds(Duration::from_millis(600)), 0);
        assert_eq!(c.sim_seconds(Duration::from_millis(600)), 1);
        assert_eq!(c.next_wake(), Some(Duration::from_millis(800)));
        c.faster();
        c.faster();
        assert_eq!(c.speed(), 60);
        assert_eq!(c.sim_seconds(Duration::from_millis(500)), 30);
        c.toggle_pause();
        assert_eq!(c.sim_seconds(Duration::from_secs(5)), 0);
        assert_eq!(c.next_wake(), None);
    }

    #[test]
    fn speed_steps_stop_at_the_ends_and_fast_clocks_redraw_per_frame() {
        let mut c = TimeControl::default();
        c.slower();
        assert_eq!(c.speed(), 1);
        for _ in 0..10 {
            c.faster();
        }
        assert_eq!(c.speed(), 3600);
        assert_eq!(c.next_wake(), Some(FRAME));
        assert_eq!(c.sim_seconds(Duration::from_secs(60)), 3600);
    }
}
