//! Property tests of the engine: for random valid schedules in zones with awkward DST
//! rules and random instants over two years, `next_change` is exactly where `is_open` first flips.

use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

use super::*;

const ZONES: [&str; 10] = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Australia/Sydney",
    "America/Santiago",
    "Africa/Casablanca",
    "Pacific/Chatham",
];

/// 2025-01-01T00:00:00Z and the two years after it.
const RANGE_START: i64 = 1_735_689_600;
const RANGE_SECONDS: i64 = 2 * 365 * 86_400;

/// A list of non-overlapping slots: cut points on the 24-hour clock, and for each arc between
/// consecutive cut points (the last one wrapping past midnight) whether it is a slot. Consecutive
/// chosen arcs make touching slots; the wrapping arc makes an overnight slot.
#[derive(Clone, Debug)]
struct SlotList {
    cuts: Vec<u16>,
    chosen: Vec<bool>,
    /// Write an end of 00:00 as 24:00.
    midnight_as_24: bool,
}

fn slot_list() -> impl Strategy<Value = SlotList> {
    // Half-hour cut points hit DST transitions (all at :00 or :30); a few odd minutes too.
    let cut = prop_oneof![
        3 => (0u16..48).prop_map(|h| h * 30),
        1 => 0u16..1440,
    ];
    (
        proptest::collection::btree_set(cut, 2..=8),
        proptest::collection::vec(any::<bool>(), 16),
        any::<bool>(),
    )
        .prop_map(|(cuts, chosen, midnight_as_24)| SlotList {
            cuts: cuts.into_iter().collect(),
            chosen,
            midnight_as_24,
        })
}

impl SlotList {
    /// The slots, with `extra_cuts` added to the cut points.
    fn to_documents(&self, extra_cuts: &[u16]) -> Vec<SlotDocument> {
        let hhmm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        let mut cuts = self.cuts.clone();
        cuts.extend_from_slice(extra_cuts);
        cuts.sort_unstable();
        cuts.dedup();
        let n = cuts.len();
        (0..n)
            .filter(|&i| self.chosen[i])
            .map(|i| {
                let (start, end) = (cuts[i], cuts[(i + 1) % n]);
                let end = if end == 0 && self.midnight_as_24 {
                    "24:00".to_string()
                } else {
                    hhmm(end)
                };
                SlotDocument::new(hhmm(start), end)
            })
            .collect()
    }
}

#[derive(Clone, Debug)]
struct Case {
    zone: &'static str,
    never_available: bool,
    /// Per weekday: absent, or (enabled, slots).
    days: Vec<Option<(bool, SlotList)>>,
    /// Overrides as (days after the instant's UTC date, minus 3; slots or closed).
    overrides: Vec<(i64, Option<SlotList>)>,
    /// Seconds after RANGE_START, plus nanoseconds.
    second: i64,
    nanosecond: i32,
    /// Move the instant to this many seconds before the zone's next transition (negative: after).
    near_transition: Option<i64>,
    /// With `near_transition`: quarter-hours around the transition's local wall-clock times
    /// (before and after it) that become cut points of every slot list, so that slot boundaries
    /// land in gaps, repeated hours and on the transition itself.
    transition_cuts: Vec<i16>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        proptest::sample::select(&ZONES[..]),
        prop::bool::weighted(0.05),
        proptest::collection::vec(
            proptest::option::weighted(0.7, (prop::bool::weighted(0.9), slot_list())),
            7,
        ),
        proptest::collection::vec((0i64..10, proptest::option::of(slot_list())), 0..4),
        0..RANGE_SECONDS,
        prop_oneof![3 => Just(0), 1 => 0i32..1_000_000_000],
        proptest::option::weighted(
            0.75,
            prop_oneof![3 => -2 * 3600..4 * 3600i64, 1 => -2 * 3600..48 * 3600i64],
        ),
        proptest::collection::vec(-8i16..=8, 0..=2),
    )
        .prop_map(
            |(
                zone,
                never_available,
                days,
                overrides,
                second,
                nanosecond,
                near_transition,
                transition_cuts,
            )| Case {
                zone,
                never_available,
                days,
                overrides,
                second,
                nanosecond,
                near_transition,
                transition_cuts,
            },
        )
}

impl Case {
    fn build(&self) -> (Schedule, Timestamp) {
        let mut at = Timestamp::new(RANGE_START + self.second, self.nanosecond).unwrap();
        let mut extra_cuts = Vec::new();
        if let Some(before) = self.near_transition {
            let tz = jiff::tz::TimeZoneDatabase::bundled()
                .get(self.zone)
                .unwrap();
            if let Some(transition) = tz.following(at).next() {
                let t = transition.timestamp();
                at = t - SignedDuration::from_secs(before);
                let minute_of_day =
                    |dt: jiff::civil::DateTime| i32::from(dt.hour()) * 60 + i32::from(dt.minute());
                let local_after = minute_of_day(tz.to_datetime(t));
                let local_before = minute_of_day(
                    tz.to_offset(t - SignedDuration::from_secs(1))
                        .to_datetime(t),
                );
                for delta in &self.transition_cuts {
                    for local in [local_before, local_after] {
                        let cut = (local + i32::from(*delta) * 15).rem_euclid(1440);
                        extra_cuts.push(u16::try_from(cut).unwrap());
                    }
                }
            }
        }
        let today = jiff::tz::Offset::UTC.to_datetime(at).date();
        let mut overrides: Vec<OverrideDocument> = Vec::new();
        for (offset, slots) in &self.overrides {
            let date = today
                .checked_add(SignedDuration::from_hours(24 * (offset - 3)))
                .unwrap()
                .to_string();
            if overrides.iter().all(|o| o.date != date) {
                overrides.push(OverrideDocument {
                    date,
                    slots: slots
                        .as_ref()
                        .map(|s| s.to_documents(&extra_cuts))
                        .unwrap_or_default(),
                });
            }
        }
        let weekly = self
            .days
            .iter()
            .zip(DAY_NAMES)
            .filter_map(|(day, name)| {
                let (enabled, slots) = day.as_ref()?;
                Some((
                    name.to_string(),
                    DayDocument {
                        enabled: *enabled,
                        slots: slots.to_documents(&extra_cuts),
                    },
                ))
            })
            .collect();
        let document = ScheduleDocument {
            timezone: self.zone.to_string(),
            never_available: self.never_available,
            weekly,
            overrides,
        };
        let schedule = Schedule::from_document(document.clone())
            .unwrap_or_else(|e| panic!("generated schedule rejected: {e:?}\n{document:?}"));
        (schedule, at)
    }
}

/// The first whole UTC minute after `at` where `is_open` differs from `is_open(at)`, scanning at
/// most `limit`. Exact because every slot boundary is a whole local minute and every offset these
/// zones have used since 2025 is a whole number of minutes.
fn brute_force_change(s: &Schedule, at: Timestamp, limit: SignedDuration) -> Option<Timestamp> {
    let open = s.is_open(at);
    let mut minute = Timestamp::from_second(at.as_second().div_euclid(60) * 60 + 60).unwrap();
    let end = at + limit;
    while minute <= end {
        if s.is_open(minute) != open {
            return Some(minute);
        }
        minute += SignedDuration::from_mins(1);
    }
    None
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// `is_open` is constant on `[t, next_change)` (checked at every minute for the first three
    /// days, and at sampled points beyond) and flips at `next_change`, which is after `t`.
    #[test]
    fn next_change_is_the_first_flip(case in case(), samples in proptest::collection::vec(0.0f64..1.0, 16)) {
        let (s, at) = case.build();
        let open = s.is_open(at);
        let next = s.next_change(at);
        let scan = SignedDuration::from_hours(72);
        let brute = brute_force_change(&s, at, scan);
        match next {
            Some(next) => {
                prop_assert!(next > at);
                prop_assert!(next <= at + NEXT_CHANGE_HORIZON);
                prop_assert_eq!(next.subsec_nanosecond(), 0);
                prop_assert_eq!(s.is_open(next), !open, "no flip at next_change {}", next);
                let last_second = next - SignedDuration::from_secs(1);
                if last_second > at {
                    prop_assert_eq!(s.is_open(last_second), open, "flip before next_change {}", next);
                }
                if next <= at + scan {
                    prop_assert_eq!(brute, Some(next));
                } else {
                    prop_assert_eq!(brute, None);
                }
                let span = next.duration_since(at);
                for fraction in &samples {
                    let point = at + span.mul_f64(*fraction);
                    prop_assert_eq!(s.is_open(point), open, "flip at {} before next_change {}", point, next);
                }
            }
            None => {
                prop_assert_eq!(brute, None);
                for fraction in &samples {
                    let point = at + NEXT_CHANGE_HORIZON.mul_f64(*fraction);
                    prop_assert_eq!(s.is_open(point), open, "flip at {} but next_change is None", point);
                }
            }
        }
    }

    /// Asking again from just before a change gives the same change: the answer does not depend on
    /// where the search started.
    #[test]
    fn next_change_is_stable(case in case()) {
        let (s, at) = case.build();
        if let Some(next) = s.next_change(at) {
            let just_before = next - SignedDuration::from_secs(1);
            if just_before > at {
                prop_assert_eq!(s.next_change(just_before), Some(next));
            }
        }
    }

    /// Validation accepts every generated list and a document survives a JSON round trip.
    #[test]
    fn documents_round_trip(case in case()) {
        let (s, _) = case.build();
        let text = serde_json::to_string(s.document()).unwrap();
        let again = Schedule::parse_json(&text).unwrap();
        prop_assert_eq!(again.document(), s.document());
    }
}
