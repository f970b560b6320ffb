//! Load shedding. Past its capacity a server either refuses the excess or queues it; queued work
//! makes every message late and, as the queue grows, costs more to carry than to do. Baton
//! refuses instead: while the server runs behind (a task that should wake every [`TICK`] wakes
//! late, or writes wait for the database writer, by at least the configured lag, [`SUSTAINED`]
//! times in a row: one late wake-up is the machine pausing the process, not a queue), new
//! messages and conversations are
//! refused at once with 503 `overloaded` and a retry delay (an `error` frame on a socket), which
//! costs a fraction of storing and fanning out a message, so what is accepted stays on time.
//! Nothing is dropped silently: every refusal reaches its sender, who retries with the same
//! client id.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use baton_storage::Store;
use tokio::time::{Instant, MissedTickBehavior};

/// How often the runtime's lateness is sampled.
pub const TICK: Duration = Duration::from_millis(5);
/// Late samples in a row (100 ms) that mean the server is behind: a checkpoint or a burst of
/// writes makes writes wait for a moment without any queue building up.
pub const SUSTAINED: u32 = 20;

/// Whether the server is shedding load now.
#[derive(Debug, Default)]
pub struct Overload {
    shedding: AtomicBool,
}

impl Overload {
    pub fn is_shedding(&self) -> bool {
        self.shedding.load(Ordering::Relaxed)
    }
}

/// The decision, without clocks: shed once [`SUSTAINED`] samples in a row are at least `lag`
/// late, stop at the first sample under a quarter of it (so the state does not flap around the
/// threshold).
#[derive(Clone, Copy, Debug)]
pub struct Shedder {
    lag: Duration,
    late_in_a_row: u32,
    shedding: bool,
}

impl Shedder {
    pub fn new(lag: Duration) -> Shedder {
        Shedder {
            lag,
            late_in_a_row: 0,
            shedding: false,
        }
    }

    /// Takes one lateness sample; returns whether to shed.
    pub fn observe(&mut self, late: Duration) -> bool {
        if self.shedding {
            self.shedding = late >= self.lag / 4;
            self.late_in_a_row = 0;
        } else if late >= self.lag {
            self.late_in_a_row += 1;
            self.shedding = self.late_in_a_row >= SUSTAINED;
        } else {
            self.late_in_a_row = 0;
        }
        self.shedding
    }
}

/// Samples how far behind the server runs for as long as it runs: the later of the runtime's
/// lateness and how long writes wait for the database writer (the one part that cannot spread
/// over the cores).
pub async fn watch(overload: Arc<Overload>, store: Store, lag: Duration) {
    let mut shedder = Shedder::new(lag);
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut expected = Instant::now();
    loop {
        tick.tick().await;
        let now = Instant::now();
        let late = now
            .saturating_duration_since(expected)
            .max(store.write_lag());
        expected = now + TICK;
        let shed = shedder.observe(late);
        if shed != overload.shedding.swap(shed, Ordering::Relaxed) {
            if shed {
                tracing::warn!(
                    late_ms = late.as_millis(),
                    "overloaded: refusing new messages"
                );
            } else {
                tracing::info!("load back to normal: accepting messages again");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn feed(s: &mut Shedder, samples: &[u32]) -> Vec<bool> {
        samples.iter().map(|&ms| s.observe(ms * MS)).collect()
    }

    #[test]
    fn sheds_when_behind_for_a_while_and_stops_well_below_the_threshold() {
        let mut s = Shedder::new(20 * MS);
        // A late wake-up or a short stall (the process was paused, a checkpoint) changes nothing.
        assert_eq!(feed(&mut s, &[0, 19, 45, 0]), [false; 4]);
        let stall = vec![30; SUSTAINED as usize - 1];
        assert!(feed(&mut s, &stall).iter().all(|shed| !shed));
        assert!(!s.observe(Duration::ZERO));
        // Behind for SUSTAINED samples in a row: shed; keep shedding while still somewhat behind.
        let shed = feed(&mut s, &vec![20; SUSTAINED as usize]);
        assert!(shed[..shed.len() - 1].iter().all(|shed| !shed));
        assert!(shed[shed.len() - 1]);
        assert_eq!(
            feed(&mut s, &[30, 10, 5, 4, 19]),
            [true, true, true, false, false]
        );
    }

    #[test]
    fn a_zero_lag_sheds_as_soon_as_it_has_watched() {
        let mut s = Shedder::new(Duration::ZERO);
        let shed = feed(&mut s, &vec![0; SUSTAINED as usize + 1]);
        assert_eq!(shed.iter().filter(|shed| **shed).count(), 2);
    }
}
