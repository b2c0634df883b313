//! The player's idea of now: the wall clock, or, for tests and benchmarks, a clock that starts at
//! a given instant and runs at a given speed (0 freezes it).

use std::time::{Duration, Instant};

use chrono::TimeDelta;

use crate::model::{Timestamp, beijing_offset};

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    origin: Timestamp,
    wall_origin: Instant,
    speed: f64,
}

impl Clock {
    /// `start`: the instant the clock shows now (default: the system clock). `speed`: how many
    /// seconds pass per real second.
    pub fn new(start: Option<Timestamp>, speed: f64) -> Clock {
        let origin = start.unwrap_or_else(|| chrono::Utc::now().with_timezone(&beijing_offset()));
        Clock {
            origin,
            wall_origin: Instant::now(),
            speed,
        }
    }

    pub fn now(&self) -> Timestamp {
        self.at(Instant::now())
    }

    pub fn at(&self, wall: Instant) -> Timestamp {
        let real = wall
            .saturating_duration_since(self.wall_origin)
            .as_secs_f64();
        self.origin + TimeDelta::microseconds((real * self.speed * 1e6) as i64)
    }

    /// When the clock will show `t`; `None` if never (a frozen clock, or a time already past).
    pub fn when(&self, t: Timestamp) -> Option<Instant> {
        if self.speed <= 0.0 {
            return None;
        }
        let ahead = (t - self.now()).num_microseconds()? as f64 / 1e6 / self.speed;
        (ahead >= 0.0).then(|| Instant::now() + Duration::from_secs_f64(ahead))
    }

    pub fn frozen(&self) -> bool {
        self.speed <= 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        Timestamp::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn an_accelerated_clock_runs_faster_and_a_frozen_one_stands() {
        let start = t("2026-11-27T10:00:00+08:00");
        let fast = Clock::new(Some(start), 60.0);
        let later = fast.at(fast.wall_origin + Duration::from_secs(2));
        assert_eq!(later, t("2026-11-27T10:02:00+08:00"));
        let when = fast.when(t("2026-11-27T10:01:00+08:00")).unwrap();
        let real = when.duration_since(fast.wall_origin).as_secs_f64();
        assert!((real - 1.0).abs() < 0.1, "{real}");

        let frozen = Clock::new(Some(start), 0.0);
        assert!(frozen.frozen());
        assert_eq!(
            frozen.at(frozen.wall_origin + Duration::from_secs(3600)),
            start
        );
        assert_eq!(frozen.when(t("2026-11-27T10:01:00+08:00")), None);
    }
}
