//! Engine and validation tests with hand-computed instants. Transition instants
//! used below (2026 unless noted):
//! - America/New_York: 03-08 07:00Z (02:00 EST → 03:00 EDT), 11-01 06:00Z (02:00 EDT → 01:00 EST).
//! - Europe/London: 03-29 01:00Z (01:00 GMT → 02:00 BST), 10-25 01:00Z (02:00 BST → 01:00 GMT).
//! - Australia/Lord_Howe: 04-04 15:00Z (02:00 +11 → 01:30 +10:30), 10-03 15:30Z (02:00 +10:30 →
//!   02:30 +11).
//! - Australia/Sydney: 04-04 16:00Z (03:00 +11 → 02:00 +10), 10-03 16:00Z (02:00 +10 → 03:00 +11).
//! - Asia/Kathmandu: 1985-12-31 18:30Z (00:00 +05:30 → 00:15 +05:45); +05:45 ever since.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::*;

fn ts(text: &str) -> Timestamp {
    text.parse()
        .unwrap_or_else(|e| panic!("bad instant {text}: {e}"))
}

fn schedule(doc: Value) -> Schedule {
    Schedule::parse_json(&doc.to_string()).unwrap_or_else(|errors| {
        panic!("schedule rejected: {errors:?}");
    })
}

fn errors(doc: Value) -> Vec<String> {
    match Schedule::parse_json(&doc.to_string()) {
        Ok(_) => panic!("schedule accepted: {doc}"),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

/// A schedule in `zone` whose only rule is `slots` on `day`.
fn one_day(zone: &str, day: &str, slots: &[(&str, &str)]) -> Schedule {
    let slots: Vec<Value> = slots
        .iter()
        .map(|(start, end)| json!({"start": start, "end": end}))
        .collect();
    schedule(json!({"timezone": zone, "weekly": {day: {"enabled": true, "slots": slots}}}))
}

/// Asserts `is_open(at)` and `next_change(at)`, and that `next_change` is consistent: open just
/// before the change as at `at`, and flipped at the change.
#[track_caller]
fn assert_state(s: &Schedule, at: &str, open: bool, next: Option<&str>) {
    let at = ts(at);
    assert_eq!(s.is_open(at), open, "is_open({at})");
    assert_eq!(s.next_change(at), next.map(ts), "next_change({at})");
    if let Some(next) = next.map(ts) {
        let before = next - jiff::SignedDuration::from_secs(1);
        assert_eq!(s.is_open(before), open, "is_open({before})");
        assert_eq!(s.is_open(next), !open, "is_open({next})");
    }
}

/// The successive changes from `from`, alternating from `open_at_from`.
#[track_caller]
fn assert_changes(s: &Schedule, from: &str, open_at_from: bool, changes: &[&str]) {
    let mut at = ts(from);
    let mut open = open_at_from;
    assert_eq!(s.is_open(at), open, "is_open({at})");
    for change in changes {
        let next = s.next_change(at);
        assert_eq!(next, Some(ts(change)), "next_change({at})");
        at = ts(change);
        open = !open;
        assert_eq!(s.is_open(at), open, "is_open({at})");
    }
}

// ---- Plain weekly rules ---------------------------------------------------------------------

#[test]
fn split_shift_in_berlin_winter() {
    // Monday 2026-11-23, Berlin is UTC+1.
    let s = one_day(
        "Europe/Berlin",
        "monday",
        &[("09:00", "12:00"), ("14:00", "18:00")],
    );
    assert_state(
        &s,
        "2026-11-23T07:59:59Z",
        false,
        Some("2026-11-23T08:00:00Z"),
    );
    assert_state(
        &s,
        "2026-11-23T08:00:00Z",
        true,
        Some("2026-11-23T11:00:00Z"),
    );
    assert_state(
        &s,
        "2026-11-23T10:59:59.999Z",
        true,
        Some("2026-11-23T11:00:00Z"),
    );
    assert_state(
        &s,
        "2026-11-23T11:00:00Z",
        false,
        Some("2026-11-23T13:00:00Z"),
    );
    assert_state(
        &s,
        "2026-11-23T16:00:00Z",
        true,
        Some("2026-11-23T17:00:00Z"),
    );
    // After Monday's last slot the next opening is the following Monday.
    assert_state(
        &s,
        "2026-11-23T17:00:00Z",
        false,
        Some("2026-11-30T08:00:00Z"),
    );
    // Other days are closed.
    assert!(!s.is_open(ts("2026-11-24T10:00:00Z")));
    assert_eq!(s.timezone_name(), "Europe/Berlin");
}

#[test]
fn sub_second_instants_are_exact() {
    let s = one_day("UTC", "monday", &[("09:00", "12:00")]);
    assert_state(
        &s,
        "2026-11-23T08:59:59.999999999Z",
        false,
        Some("2026-11-23T09:00:00Z"),
    );
    assert_state(
        &s,
        "2026-11-23T09:00:00.5Z",
        true,
        Some("2026-11-23T12:00:00Z"),
    );
    assert_state(
        &s,
        "2026-11-23T11:59:59.999999999Z",
        true,
        Some("2026-11-23T12:00:00Z"),
    );
}

#[test]
fn adjacent_slots_do_not_produce_a_false_change() {
    let s = one_day(
        "Europe/Berlin",
        "monday",
        &[("12:00", "14:00"), ("09:00", "12:00")],
    );
    assert_state(
        &s,
        "2026-11-23T09:00:00Z",
        true,
        Some("2026-11-23T13:00:00Z"),
    );
    assert_state(
        &s,
        "2026-11-23T10:59:59Z",
        true,
        Some("2026-11-23T13:00:00Z"),
    );
}

#[test]
fn every_day_all_day_never_changes() {
    for s in [
        Schedule::always_open_utc(),
        schedule(json!({"timezone": "Europe/Berlin", "weekly": {
            "monday": {"enabled": true, "slots": [{"start": "00:00", "end": "24:00"}]},
            "tuesday": {"enabled": true, "slots": [{"start": "00:00", "end": "24:00"}]},
            "wednesday": {"enabled": true, "slots": [{"start": "00:00", "end": "24:00"}]},
            "thursday": {"enabled": true, "slots": [{"start": "00:00", "end": "24:00"}]},
            "friday": {"enabled": true, "slots": [{"start": "00:00", "end": "24:00"}]},
            "saturday": {"enabled": true, "slots": [{"start": "00:00", "end": "24:00"}]},
            "sunday": {"enabled": true, "slots": [{"start": "00:00", "end": "24:00"}]},
        }})),
    ] {
        // Across midnights and both Berlin DST transitions of 2026.
        for at in [
            "2026-01-01T00:00:00Z",
            "2026-03-28T23:00:00Z",
            "2026-03-29T01:30:00Z",
            "2026-10-25T00:30:00Z",
            "2026-12-31T23:00:00Z",
        ] {
            assert_state(&s, at, true, None);
        }
    }
    let default = Schedule::always_open_utc();
    assert_eq!(default.timezone_name(), "UTC");
    assert_eq!(default.document().weekly.len(), 7);
    assert!(!default.document().never_available);
}

#[test]
fn no_slots_at_all_is_closed_and_never_changes() {
    let s = schedule(json!({"timezone": "Asia/Tokyo"}));
    assert_state(&s, "2026-06-01T00:00:00Z", false, None);
    // A disabled day keeps its slots but has none in effect.
    let s = schedule(json!({"timezone": "Asia/Tokyo", "weekly": {
        "monday": {"enabled": false, "slots": [{"start": "09:00", "end": "17:00"}]}
    }}));
    assert_state(&s, "2026-11-23T01:00:00Z", false, None);
    assert_eq!(s.document().weekly["monday"].slots.len(), 1);
}

#[test]
fn next_change_looks_at_most_366_days_ahead() {
    // Only 2027-12-01 is open (an override on a schedule with no weekly slots).
    let s = schedule(json!({"timezone": "UTC", "overrides": [
        {"date": "2027-12-01", "slots": [{"start": "10:00", "end": "11:00"}]}
    ]}));
    // 366 days before 2027-12-01T10:00Z is 2026-11-30T10:00Z (no leap day in between).
    assert_state(
        &s,
        "2026-11-30T10:00:00Z",
        false,
        Some("2027-12-01T10:00:00Z"),
    );
    assert_state(&s, "2026-11-30T09:59:59Z", false, None);
}

// ---- Overnight slots and 24:00 --------------------------------------------------------------

#[test]
fn overnight_slot_belongs_to_the_date_it_starts_on() {
    // Friday 2026-11-27 22:00 Berlin (21:00Z) to Saturday 06:00 (05:00Z).
    let s = one_day("Europe/Berlin", "friday", &[("22:00", "06:00")]);
    assert_state(
        &s,
        "2026-11-27T20:59:59Z",
        false,
        Some("2026-11-27T21:00:00Z"),
    );
    assert_state(
        &s,
        "2026-11-27T21:00:00Z",
        true,
        Some("2026-11-28T05:00:00Z"),
    );
    assert_state(
        &s,
        "2026-11-28T04:59:59Z",
        true,
        Some("2026-11-28T05:00:00Z"),
    );
    assert_state(
        &s,
        "2026-11-28T05:00:00Z",
        false,
        Some("2026-12-04T21:00:00Z"),
    );
    // Friday morning is not open: the slot of the Friday before ended on Saturday.
    assert!(!s.is_open(ts("2026-11-27T02:00:00Z")));
}

#[test]
fn overnight_slot_ending_at_midnight_is_the_same_as_24_00() {
    let a = one_day("UTC", "friday", &[("22:00", "00:00")]);
    let b = one_day("UTC", "friday", &[("22:00", "24:00")]);
    for s in [a, b] {
        assert_state(
            &s,
            "2026-11-27T22:00:00Z",
            true,
            Some("2026-11-28T00:00:00Z"),
        );
        assert!(!s.is_open(ts("2026-11-28T00:00:00Z")));
    }
}

#[test]
fn overnight_slot_meeting_the_next_days_slot_is_one_opening() {
    let s = schedule(json!({"timezone": "Europe/Berlin", "weekly": {
        "friday": {"enabled": true, "slots": [{"start": "22:00", "end": "06:00"}]},
        "saturday": {"enabled": true, "slots": [{"start": "06:00", "end": "10:00"}]},
    }}));
    assert_state(
        &s,
        "2026-11-27T21:00:00Z",
        true,
        Some("2026-11-28T09:00:00Z"),
    );
    assert_state(
        &s,
        "2026-11-28T05:00:00Z",
        true,
        Some("2026-11-28T09:00:00Z"),
    );
}

#[test]
fn slot_ending_at_24_00_meets_the_next_days_midnight_slot() {
    let s = schedule(json!({"timezone": "America/New_York", "weekly": {
        "monday": {"enabled": true, "slots": [{"start": "18:00", "end": "24:00"}]},
        "tuesday": {"enabled": true, "slots": [{"start": "00:00", "end": "02:00"}]},
    }}));
    // Monday 2026-11-23 18:00 EST = 23:00Z, to Tuesday 02:00 EST = 07:00Z.
    assert_state(
        &s,
        "2026-11-23T23:00:00Z",
        true,
        Some("2026-11-24T07:00:00Z"),
    );
    assert_state(
        &s,
        "2026-11-24T05:00:00Z",
        true,
        Some("2026-11-24T07:00:00Z"),
    );
}

#[test]
fn overnight_slots_overlapping_across_days_are_one_opening() {
    // Monday 20:00–04:00 and Tuesday 02:00–06:00 overlap on Tuesday morning; that is allowed
    // (different lists) and simply open from Monday 20:00 to Tuesday 06:00.
    let s = schedule(json!({"timezone": "UTC", "weekly": {
        "monday": {"enabled": true, "slots": [{"start": "20:00", "end": "04:00"}]},
        "tuesday": {"enabled": true, "slots": [{"start": "02:00", "end": "06:00"}]},
    }}));
    assert_state(
        &s,
        "2026-11-23T20:00:00Z",
        true,
        Some("2026-11-24T06:00:00Z"),
    );
}

// ---- Overrides and never-available ----------------------------------------------------------

fn holiday_schedule() -> Schedule {
    let day = json!({"enabled": true, "slots": [{"start": "09:00", "end": "17:00"}]});
    schedule(json!({
        "timezone": "Europe/Berlin",
        "weekly": {"monday": day, "tuesday": day, "wednesday": day, "thursday": day,
                   "friday": day, "saturday": day, "sunday": day},
        "overrides": [
            {"date": "2026-12-25", "slots": []},
            {"date": "2026-12-24", "slots": [{"start": "09:00", "end": "13:00"}]},
        ],
    }))
}

#[test]
fn overrides_replace_the_weekly_rule_for_their_date() {
    let s = holiday_schedule();
    // Christmas Eve (a Thursday) closes at 13:00 local = 12:00Z; Christmas Day is closed; the 26th
    // opens as usual at 09:00 = 08:00Z.
    assert_state(
        &s,
        "2026-12-24T08:00:00Z",
        true,
        Some("2026-12-24T12:00:00Z"),
    );
    assert_state(
        &s,
        "2026-12-24T12:00:00Z",
        false,
        Some("2026-12-26T08:00:00Z"),
    );
    assert!(!s.is_open(ts("2026-12-25T10:00:00Z")));
    // Other days follow the weekly rule.
    assert_state(
        &s,
        "2026-12-23T08:00:00Z",
        true,
        Some("2026-12-23T16:00:00Z"),
    );
}

#[test]
fn an_overnight_slot_runs_into_an_overridden_date() {
    // Wednesday 2026-12-23 20:00 Berlin (19:00Z) to Thursday 04:00 (03:00Z); Thursday is a
    // closed override, which only removes the slots starting on Thursday.
    let s = schedule(json!({"timezone": "Europe/Berlin",
        "weekly": {
            "wednesday": {"enabled": true, "slots": [{"start": "20:00", "end": "04:00"}]},
            "thursday": {"enabled": true, "slots": [{"start": "08:00", "end": "12:00"}]},
        },
        "overrides": [{"date": "2026-12-24", "slots": []}]}));
    assert_state(
        &s,
        "2026-12-23T19:00:00Z",
        true,
        Some("2026-12-24T03:00:00Z"),
    );
    assert_state(
        &s,
        "2026-12-24T02:00:00Z",
        true,
        Some("2026-12-24T03:00:00Z"),
    );
    // No Thursday-morning slot; next is Wednesday 2026-12-30 20:00 = 19:00Z.
    assert_state(
        &s,
        "2026-12-24T03:00:00Z",
        false,
        Some("2026-12-30T19:00:00Z"),
    );
}

#[test]
fn an_overnight_override_runs_into_the_next_date() {
    // New Year's Eve override 20:00–02:00 on a schedule with no weekly slots.
    let s = schedule(json!({"timezone": "Europe/Berlin", "overrides": [
        {"date": "2026-12-31", "slots": [{"start": "20:00", "end": "02:00"}]}
    ]}));
    assert_state(
        &s,
        "2026-12-31T12:00:00Z",
        false,
        Some("2026-12-31T19:00:00Z"),
    );
    assert_state(
        &s,
        "2026-12-31T19:00:00Z",
        true,
        Some("2027-01-01T01:00:00Z"),
    );
    assert_state(&s, "2027-01-01T01:00:00Z", false, None);
}

#[test]
fn an_override_can_open_a_day_the_weekly_rule_keeps_closed() {
    let s = schedule(json!({"timezone": "Europe/Berlin",
        "weekly": {"monday": {"enabled": true, "slots": [{"start": "09:00", "end": "17:00"}]}},
        "overrides": [{"date": "2026-11-29", "slots": [{"start": "10:00", "end": "12:00"}]}]}));
    // Sunday 2026-11-29 10:00 = 09:00Z.
    assert_state(
        &s,
        "2026-11-28T12:00:00Z",
        false,
        Some("2026-11-29T09:00:00Z"),
    );
    assert_state(
        &s,
        "2026-11-29T09:00:00Z",
        true,
        Some("2026-11-29T11:00:00Z"),
    );
    assert_state(
        &s,
        "2026-11-29T11:00:00Z",
        false,
        Some("2026-11-30T08:00:00Z"),
    );
}

#[test]
fn never_available_is_always_closed() {
    let mut doc = Schedule::always_open_utc().document().clone();
    doc.never_available = true;
    let s = Schedule::from_document(doc).unwrap();
    assert_state(&s, "2026-11-23T10:00:00Z", false, None);
    assert_state(&s, "2027-06-01T00:00:00Z", false, None);
}

// ---- DST ------------------------------------------------------------------------------------

#[test]
fn new_york_spring_forward() {
    // Sunday 2026-03-08: 02:00–03:00 local does not exist; 03:00 EDT = 07:00Z.
    // A slot starting at the gap opens at the first instant after it.
    let s = one_day("America/New_York", "sunday", &[("02:00", "04:00")]);
    assert_state(
        &s,
        "2026-03-08T06:59:59Z",
        false,
        Some("2026-03-08T07:00:00Z"),
    );
    assert_state(
        &s,
        "2026-03-08T07:00:00Z",
        true,
        Some("2026-03-08T08:00:00Z"),
    );

    // A slot starting inside the gap.
    let s = one_day("America/New_York", "sunday", &[("02:30", "05:00")]);
    assert_state(
        &s,
        "2026-03-08T06:00:00Z",
        false,
        Some("2026-03-08T07:00:00Z"),
    );
    assert_state(
        &s,
        "2026-03-08T07:00:00Z",
        true,
        Some("2026-03-08T09:00:00Z"),
    );

    // A slot entirely inside the gap is never open that day; the next Sunday it opens at
    // 02:00 EDT = 06:00Z.
    let s = one_day("America/New_York", "sunday", &[("02:00", "02:30")]);
    assert_state(
        &s,
        "2026-03-08T05:00:00Z",
        false,
        Some("2026-03-15T06:00:00Z"),
    );

    // A slot ending inside the gap closes when the gap starts (01:59:59 EST is followed by
    // 03:00 EDT, which is after 02:30).
    let s = one_day("America/New_York", "sunday", &[("01:00", "02:30")]);
    assert_state(
        &s,
        "2026-03-08T06:00:00Z",
        true,
        Some("2026-03-08T07:00:00Z"),
    );

    // Saturday 22:00 EST (03:00Z) to Sunday 06:00 EDT (10:00Z): 7 hours.
    let s = one_day("America/New_York", "saturday", &[("22:00", "06:00")]);
    assert_state(
        &s,
        "2026-03-08T03:00:00Z",
        true,
        Some("2026-03-08T10:00:00Z"),
    );
}

#[test]
fn new_york_fall_back_repeats_the_hour() {
    // Sunday 2026-11-01: 01:00–02:00 local happens at 05:00Z–06:00Z (EDT) and again at
    // 06:00Z–07:00Z (EST).
    let s = one_day("America/New_York", "sunday", &[("01:00", "01:30")]);
    assert_changes(
        &s,
        "2026-11-01T04:00:00Z",
        false,
        &[
            "2026-11-01T05:00:00Z",
            "2026-11-01T05:30:00Z",
            "2026-11-01T06:00:00Z",
            "2026-11-01T06:30:00Z",
            "2026-11-08T06:00:00Z",
        ],
    );

    // 00:30–01:30: reopens at the transition itself, when local time jumps back to 01:00.
    let s = one_day("America/New_York", "sunday", &[("00:30", "01:30")]);
    assert_changes(
        &s,
        "2026-11-01T04:00:00Z",
        false,
        &[
            "2026-11-01T04:30:00Z",
            "2026-11-01T05:30:00Z",
            "2026-11-01T06:00:00Z",
            "2026-11-01T06:30:00Z",
        ],
    );

    // 01:30–03:00: closes at the transition (local time jumps back to 01:00), reopens at
    // 01:30 EST, closes at 03:00 EST = 08:00Z.
    let s = one_day("America/New_York", "sunday", &[("01:30", "03:00")]);
    assert_changes(
        &s,
        "2026-11-01T05:00:00Z",
        false,
        &[
            "2026-11-01T05:30:00Z",
            "2026-11-01T06:00:00Z",
            "2026-11-01T06:30:00Z",
            "2026-11-01T08:00:00Z",
        ],
    );

    // A slot covering the whole repeated hour is open without a break through the transition:
    // 00:00 EDT = 04:00Z to 03:00 EST = 08:00Z.
    let s = one_day("America/New_York", "sunday", &[("00:00", "03:00")]);
    assert_state(
        &s,
        "2026-11-01T04:00:00Z",
        true,
        Some("2026-11-01T08:00:00Z"),
    );
}

#[test]
fn london_overnight_slots_across_both_transitions() {
    // Saturday 2026-03-28 22:00 GMT = 22:00Z to Sunday 06:00 BST = 05:00Z (7 hours).
    let s = one_day("Europe/London", "saturday", &[("22:00", "06:00")]);
    assert_state(
        &s,
        "2026-03-28T22:00:00Z",
        true,
        Some("2026-03-29T05:00:00Z"),
    );
    // Saturday 2026-10-24 22:00 BST = 21:00Z to Sunday 06:00 GMT = 06:00Z (9 hours).
    assert_state(
        &s,
        "2026-10-24T21:00:00Z",
        true,
        Some("2026-10-25T06:00:00Z"),
    );
    assert!(s.is_open(ts("2026-10-25T01:30:00Z")));
}

#[test]
fn london_slot_inside_the_gap_and_in_the_repeated_hour() {
    // 2026-03-29: 01:00–02:00 does not exist.
    let s = one_day("Europe/London", "sunday", &[("00:00", "01:30")]);
    assert_state(
        &s,
        "2026-03-29T00:00:00Z",
        true,
        Some("2026-03-29T01:00:00Z"),
    );
    let s = one_day("Europe/London", "sunday", &[("01:00", "02:00")]);
    assert!(!s.is_open(ts("2026-03-29T00:59:59Z")));
    assert!(!s.is_open(ts("2026-03-29T01:00:00Z")));
    assert_state(
        &s,
        "2026-03-29T00:30:00Z",
        false,
        Some("2026-04-05T00:00:00Z"),
    );
    // 2026-10-25: 01:00–02:00 happens at 00:00Z (BST) and again at 01:00Z (GMT), so one
    // two-hour opening.
    assert_state(
        &s,
        "2026-10-24T23:00:00Z",
        false,
        Some("2026-10-25T00:00:00Z"),
    );
    assert_state(
        &s,
        "2026-10-25T00:00:00Z",
        true,
        Some("2026-10-25T02:00:00Z"),
    );
}

#[test]
fn lord_howe_half_hour_dst() {
    // 2026-10-04 (Sunday): 02:00–02:30 does not exist; 02:30 +11 = 2026-10-03T15:30Z.
    let s = one_day("Australia/Lord_Howe", "sunday", &[("02:00", "03:00")]);
    assert_state(
        &s,
        "2026-10-03T15:00:00Z",
        false,
        Some("2026-10-03T15:30:00Z"),
    );
    assert_state(
        &s,
        "2026-10-03T15:30:00Z",
        true,
        Some("2026-10-03T16:00:00Z"),
    );
    let s = one_day("Australia/Lord_Howe", "sunday", &[("02:15", "02:45")]);
    assert_state(
        &s,
        "2026-10-03T15:00:00Z",
        false,
        Some("2026-10-03T15:30:00Z"),
    );
    assert_state(
        &s,
        "2026-10-03T15:30:00Z",
        true,
        Some("2026-10-03T15:45:00Z"),
    );

    // 2026-04-05 (Sunday): 01:30–02:00 happens twice, at 14:30Z–15:00Z (+11) and 15:00Z–15:30Z
    // (+10:30): one unbroken hour.
    let s = one_day("Australia/Lord_Howe", "sunday", &[("01:30", "02:00")]);
    assert_state(
        &s,
        "2026-04-04T14:00:00Z",
        false,
        Some("2026-04-04T14:30:00Z"),
    );
    assert_state(
        &s,
        "2026-04-04T14:30:00Z",
        true,
        Some("2026-04-04T15:30:00Z"),
    );
    // 01:00–01:45: 14:00Z–14:45Z (+11), then again from the transition (local 01:30 +10:30)
    // to 01:45 +10:30 = 15:15Z.
    let s = one_day("Australia/Lord_Howe", "sunday", &[("01:00", "01:45")]);
    assert_changes(
        &s,
        "2026-04-04T13:00:00Z",
        false,
        &[
            "2026-04-04T14:00:00Z",
            "2026-04-04T14:45:00Z",
            "2026-04-04T15:00:00Z",
            "2026-04-04T15:15:00Z",
        ],
    );
}

#[test]
fn kathmandu_quarter_hour_offset() {
    // Monday 2026-11-23 09:00–17:00 +05:45 = 03:15Z–11:15Z.
    let s = one_day("Asia/Kathmandu", "monday", &[("09:00", "17:00")]);
    assert_state(
        &s,
        "2026-11-23T03:00:00Z",
        false,
        Some("2026-11-23T03:15:00Z"),
    );
    assert_state(
        &s,
        "2026-11-23T03:15:00Z",
        true,
        Some("2026-11-23T11:15:00Z"),
    );
    // 1986-01-01 00:00 +05:30 became 00:15 +05:45: a slot starting inside that gap opens at
    // 00:15 +05:45 = 1985-12-31T18:30Z.
    let s = schedule(json!({"timezone": "Asia/Kathmandu", "overrides": [
        {"date": "1986-01-01", "slots": [{"start": "00:05", "end": "01:00"}]}
    ]}));
    assert_state(
        &s,
        "1985-12-31T18:00:00Z",
        false,
        Some("1985-12-31T18:30:00Z"),
    );
    assert_state(
        &s,
        "1985-12-31T18:30:00Z",
        true,
        Some("1985-12-31T19:15:00Z"),
    );
}

#[test]
fn sydney_transitions() {
    // Saturday 2026-10-03 22:00 AEST = 12:00Z to Sunday 06:00 AEDT = 19:00Z (7 hours).
    let s = one_day("Australia/Sydney", "saturday", &[("22:00", "06:00")]);
    assert_state(
        &s,
        "2026-10-03T12:00:00Z",
        true,
        Some("2026-10-03T19:00:00Z"),
    );
    // Saturday 2026-04-04 22:00 AEDT = 11:00Z to Sunday 06:00 AEST = 20:00Z (9 hours).
    assert_state(
        &s,
        "2026-04-04T11:00:00Z",
        true,
        Some("2026-04-04T20:00:00Z"),
    );
    // 2026-10-04 02:00–03:00 does not exist: a 02:30 start opens at 03:00 AEDT = 16:00Z.
    let s = one_day("Australia/Sydney", "sunday", &[("02:30", "04:00")]);
    assert_state(
        &s,
        "2026-10-03T15:00:00Z",
        false,
        Some("2026-10-03T16:00:00Z"),
    );
    assert_state(
        &s,
        "2026-10-03T16:00:00Z",
        true,
        Some("2026-10-03T17:00:00Z"),
    );
    // 2026-04-05 02:00–03:00 happens twice (15:00Z–16:00Z, 16:00Z–17:00Z): one 2-hour opening.
    let s = one_day("Australia/Sydney", "sunday", &[("02:00", "03:00")]);
    assert_state(
        &s,
        "2026-04-04T15:00:00Z",
        true,
        Some("2026-04-04T17:00:00Z"),
    );
}

#[test]
fn santiago_midnight_transition() {
    // America/Santiago falls back at 24:00 Saturday (00:00 -03 → 23:00 -04 Saturday) on
    // 2026-04-05 03:00Z. Saturday 22:00–24:00 local is 01:00Z–03:00Z (-03), and 23:00–24:00
    // happens again 03:00Z–04:00Z (-04).
    let s = one_day("America/Santiago", "saturday", &[("22:00", "24:00")]);
    assert_state(
        &s,
        "2026-04-05T01:00:00Z",
        true,
        Some("2026-04-05T04:00:00Z"),
    );
}

// ---- Documents and validation ---------------------------------------------------------------

#[test]
fn the_issue_example_is_valid_and_round_trips() {
    let text = r#"{ "timezone": "Europe/Berlin", "never_available": false,
      "weekly": { "monday": { "enabled": true, "slots": [ {"start": "09:00", "end": "12:00"}, {"start": "14:00", "end": "18:00"} ] },
                  "friday": { "enabled": true, "slots": [ {"start": "22:00", "end": "06:00"} ] } },
      "overrides": [ { "date": "2026-12-25", "slots": [] }, { "date": "2026-12-24", "slots": [ {"start": "09:00", "end": "13:00"} ] } ] }"#;
    let s = Schedule::parse_json(text).unwrap();
    let again = serde_json::to_string(s.document()).unwrap();
    let t = Schedule::parse_json(&again).unwrap();
    assert_eq!(s.document(), t.document());
    assert_eq!(s.document().overrides[1].date, "2026-12-24");
}

#[test]
fn time_zone_names_are_canonicalised() {
    let s = schedule(json!({"timezone": "europe/berlin"}));
    assert_eq!(s.timezone_name(), "Europe/Berlin");
    assert_eq!(s.document().timezone, "Europe/Berlin");
}

#[test]
fn optional_fields_default() {
    let s = schedule(json!({"timezone": "UTC", "weekly": {"monday": {"slots": [
        {"start": "09:00", "end": "10:00"}]}}}));
    assert!(s.document().weekly["monday"].enabled);
    assert!(s.is_open(ts("2026-11-23T09:30:00Z")));
}

#[test]
fn unknown_time_zones_are_rejected() {
    assert_eq!(
        errors(json!({"timezone": "Mars/Olympus"})),
        [r#"timezone: unknown time zone "Mars/Olympus""#]
    );
    assert_eq!(
        errors(json!({"timezone": ""})),
        [r#"timezone: unknown time zone """#]
    );
    // jiff's placeholder for "no zone" is not a real zone.
    assert_eq!(
        errors(json!({"timezone": "Etc/Unknown"})),
        [r#"timezone: unknown time zone "Etc/Unknown""#]
    );
}

#[test]
fn every_error_is_reported_with_its_field() {
    let doc = json!({
        "timezone": "Mars/Olympus",
        "weekly": {
            "monday": {"enabled": true, "slots": [
                {"start": "09:00", "end": "12:00"},
                {"start": "11:00", "end": "13:00"},
                {"start": "9:00", "end": "25:00"},
                {"start": "15:00", "end": "15:00"},
            ]},
            "funday": {"enabled": true, "slots": []},
            "friday": {"enabled": false, "slots": [
                {"start": "22:00", "end": "06:00"},
                {"start": "05:00", "end": "08:00"},
                {"start": "24:00", "end": "24:00"},
            ]},
        },
        "overrides": [
            {"date": "2026-12-25", "slots": []},
            {"date": "2026-13-01", "slots": []},
            {"date": "2026-02-30", "slots": []},
            {"date": "2026-12-25", "slots": [{"start": "10:00", "end": "11:00"}]},
            {"date": "25.12.2026", "slots": []},
        ],
    });
    assert_eq!(
        errors(doc),
        [
            r#"timezone: unknown time zone "Mars/Olympus""#,
            "weekly.monday.slots[1]: 11:00–13:00 overlaps 09:00–12:00",
            r#"weekly.monday.slots[2].start: "9:00" is not a time; expected HH:MM from 00:00 to 23:59"#,
            r#"weekly.monday.slots[2].end: "25:00" is not a time; expected HH:MM from 00:00 to 24:00"#,
            "weekly.monday.slots[3]: start and end are both 15:00; a slot must not be empty \
             (00:00–24:00 is the whole day)",
            "weekly.friday.slots[1]: 05:00–08:00 overlaps 22:00–06:00",
            r#"weekly.friday.slots[2].start: "24:00" is not a time; expected HH:MM from 00:00 to 23:59"#,
            "weekly.funday: unknown day; expected monday, tuesday, wednesday, thursday, friday, \
             saturday or sunday",
            "overrides[1].date: 2026-13-01 is not a valid date",
            "overrides[2].date: 2026-02-30 is not a valid date",
            "overrides[3].date: 2026-12-25 is already overridden by overrides[0]",
            r#"overrides[4].date: "25.12.2026" is not a valid date; expected YYYY-MM-DD"#,
        ]
    );
}

#[test]
fn errors_expose_field_and_message_separately() {
    let Err(errors) = Schedule::parse_json(
        &json!({"timezone": "UTC", "overrides": [{"date": "2026-02-30"}]}).to_string(),
    ) else {
        panic!("accepted");
    };
    assert_eq!(
        errors,
        [ScheduleError {
            field: "overrides[0].date".to_string(),
            message: "2026-02-30 is not a valid date".to_string(),
        }]
    );
}

#[test]
fn overlaps_within_one_list_include_the_overnight_tail() {
    let overnight = |second: Value| {
        json!({"timezone": "UTC", "weekly": {"sunday": {"enabled": true, "slots": [
            {"start": "22:00", "end": "06:00"}, second]}}})
    };
    assert_eq!(
        errors(overnight(json!({"start": "01:00", "end": "03:00"}))),
        ["weekly.sunday.slots[1]: 01:00–03:00 overlaps 22:00–06:00"]
    );
    assert_eq!(
        errors(overnight(json!({"start": "21:00", "end": "22:30"}))),
        ["weekly.sunday.slots[1]: 21:00–22:30 overlaps 22:00–06:00"]
    );
    assert_eq!(
        errors(overnight(json!({"start": "23:00", "end": "01:00"}))),
        ["weekly.sunday.slots[1]: 23:00–01:00 overlaps 22:00–06:00"]
    );
    // Touching is fine, at either end.
    schedule(overnight(json!({"start": "06:00", "end": "22:00"})));
    // In an override list too.
    assert_eq!(
        errors(
            json!({"timezone": "UTC", "overrides": [{"date": "2026-12-31", "slots": [
            {"start": "20:00", "end": "02:00"}, {"start": "00:00", "end": "24:00"}]}]})
        ),
        ["overrides[0].slots[1]: 00:00–24:00 overlaps 20:00–02:00"]
    );
}

#[test]
fn too_many_slots_and_overrides() {
    let slots: Vec<Value> = (0..13)
        .map(|h| json!({"start": format!("{h:02}:00"), "end": format!("{h:02}:30")}))
        .collect();
    assert_eq!(
        errors(
            json!({"timezone": "UTC", "weekly": {"tuesday": {"enabled": true, "slots": slots}}})
        ),
        ["weekly.tuesday.slots: 13 slots; at most 12 are allowed"]
    );
    assert_eq!(
        errors(json!({"timezone": "UTC", "overrides": [{"date": "2026-01-01", "slots": slots}]})),
        ["overrides[0].slots: 13 slots; at most 12 are allowed"]
    );
    // Exactly 12 is fine.
    schedule(
        json!({"timezone": "UTC", "weekly": {"tuesday": {"enabled": true, "slots": slots[..12]}}}),
    );

    let first = jiff::civil::date(2026, 1, 1);
    let overrides = |n: i64| -> Vec<Value> {
        (0..n)
            .map(|i| {
                let date = first
                    .checked_add(jiff::SignedDuration::from_hours(24 * i))
                    .unwrap();
                json!({"date": date.to_string(), "slots": []})
            })
            .collect()
    };
    schedule(json!({"timezone": "UTC", "overrides": overrides(366)}));
    assert_eq!(
        errors(json!({"timezone": "UTC", "overrides": overrides(367)})),
        ["overrides: 367 overrides; at most 366 are allowed"]
    );
}

#[test]
fn malformed_json_is_one_error_with_its_position() {
    let errors = Schedule::parse_json("{\"timezone\": \"UTC\",\n \"weekly\": [}").unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "");
    assert!(
        errors[0].message.contains("line 2"),
        "{}",
        errors[0].message
    );

    // Unknown fields at any level, and a day given twice, are structural errors.
    for text in [
        r#"{"timezone": "UTC", "timezon": "UTC"}"#,
        r#"{"timezone": "UTC", "weekly": {"monday": {"slot": []}}}"#,
        r#"{"timezone": "UTC", "weekly": {"monday": {}, "monday": {}}}"#,
        r#"{"weekly": {}}"#,
        r#"{"timezone": 3}"#,
    ] {
        let errors = Schedule::parse_json(text).unwrap_err();
        assert_eq!(errors.len(), 1, "{text}");
        assert!(
            errors[0].message.contains("line 1"),
            "{}",
            errors[0].message
        );
    }
    let errors =
        Schedule::parse_json(r#"{"timezone": "UTC", "weekly": {"monday": {}, "monday": {}}}"#)
            .unwrap_err();
    assert!(
        errors[0].message.contains("weekly.monday is given twice"),
        "{}",
        errors[0].message
    );
}

#[test]
fn error_display_is_field_colon_message() {
    let error = ScheduleError::new("timezone", "unknown time zone \"X\"");
    assert_eq!(error.to_string(), "timezone: unknown time zone \"X\"");
    assert_eq!(ScheduleError::new("", "bad JSON").to_string(), "bad JSON");
}

#[test]
fn the_ends_of_time_do_not_panic() {
    let schedules = [
        Schedule::always_open_utc(),
        one_day("Pacific/Kiritimati", "friday", &[("22:00", "06:00")]),
        one_day("Pacific/Pago_Pago", "monday", &[("09:00", "17:00")]),
    ];
    let day = jiff::SignedDuration::from_hours(24);
    for s in &schedules {
        for at in [
            Timestamp::MIN,
            Timestamp::MIN + day * 3,
            Timestamp::MAX - day * 3,
            Timestamp::MAX,
        ] {
            let open = s.is_open(at);
            if let Some(next) = s.next_change(at) {
                assert!(next > at);
                assert_eq!(s.is_open(next), !open);
            }
        }
    }
}
