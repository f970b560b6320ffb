//! Validation: a [`ScheduleDocument`] becomes the compiled rules a [`Schedule`](super::Schedule)
//! runs on, or the complete list of what is wrong with it, each error naming its field path
//! (an unknown time zone, a bad time or date, too many slots or overrides, overlapping slots, a
//! date overridden twice, …). Nothing half-valid gets through.
//!
//! Overlap rule (no two slots within one day's list may overlap): slots of one
//! list are compared as arcs on a 24-hour clock, so an overnight slot's part after midnight
//! counts too. `22:00–06:00` with `05:00–08:00` in the same list is rejected, because wherever that
//! list applies on two consecutive dates (the usual case after "Copy to other days") the two slots
//! overlap. Slots that only touch (`09:00–12:00` and `12:00–14:00`, or `22:00–06:00` and
//! `06:00–08:00`) are fine. Slots of *different* lists (Monday's overnight slot running into
//! Tuesday's morning slot, or into an override) are never an error: the schedule is open when any
//! slot covers the instant.

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;
use jiff::tz::{TimeZone, TimeZoneDatabase};

use super::document::{ScheduleDocument, SlotDocument};

/// Most slots one day (or one override) may have.
pub const MAX_SLOTS_PER_DAY: usize = 12;
/// Most overrides one schedule may have.
pub const MAX_OVERRIDES: usize = 366;

/// Day keys of `weekly`, Monday first (jiff's Monday-zero offset is the index).
pub(super) const DAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

const MINUTES_PER_DAY: u16 = 24 * 60;

/// One problem with a schedule document: the field path (`weekly.monday.slots[1]`,
/// `overrides[2].date`, `timezone`, …) and what is wrong there. The path is empty when the
/// document as a whole could not be read (malformed JSON).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleError {
    pub field: String,
    pub message: String,
}

impl ScheduleError {
    pub(super) fn new(field: impl Into<String>, message: impl Into<String>) -> ScheduleError {
        ScheduleError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// `field: message`, or just `message` when there is no field.
impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for ScheduleError {}

/// A valid slot in minutes after midnight of the date it starts on. `start` is 0..=1439, `end`
/// 0..=1440 (1440 = `24:00`), never equal; `end < start` (or `end == 0`) runs past midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Slot {
    pub start: u16,
    pub end: u16,
}

impl Slot {
    /// Whether the slot ends on the next date.
    pub fn is_overnight(self) -> bool {
        self.end <= self.start
    }

    /// The end in minutes after midnight of the start date (so 1440 and above is the next date).
    pub fn end_on_start_timeline(self) -> u16 {
        if self.is_overnight() {
            self.end + MINUTES_PER_DAY
        } else {
            self.end
        }
    }

    /// The slot as one or two half-open arcs of the 24-hour clock.
    fn arcs(self) -> [(u16, u16); 2] {
        if self.is_overnight() {
            [(self.start, MINUTES_PER_DAY), (0, self.end)]
        } else {
            [(self.start, self.end), (0, 0)]
        }
    }

    fn overlaps(self, other: Slot) -> bool {
        self.arcs().iter().any(|&(a0, a1)| {
            other
                .arcs()
                .iter()
                .any(|&(b0, b1)| a0 < a1 && b0 < b1 && a0 < b1 && b0 < a1)
        })
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", Hhmm(self.start), Hhmm(self.end))
    }
}

struct Hhmm(u16);

impl fmt::Display for Hhmm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// The rules a valid document compiles to.
#[derive(Clone, Debug)]
pub(super) struct Compiled {
    pub time_zone: TimeZone,
    /// The zone's canonical IANA spelling (the lookup ignores ASCII case).
    pub time_zone_name: String,
    /// Slots starting on each weekday, Monday first; empty for a missing or disabled day.
    pub weekly: [Vec<Slot>; 7],
    /// Slots starting on each overridden date, replacing that weekday's slots.
    pub overrides: BTreeMap<Date, Vec<Slot>>,
}

/// Checks every validation rule of a schedule document and collects every violation.
pub(super) fn compile(doc: &ScheduleDocument) -> Result<Compiled, Vec<ScheduleError>> {
    let mut errors = Vec::new();

    let time_zone = resolve_time_zone(&doc.timezone);
    if time_zone.is_none() {
        errors.push(ScheduleError::new(
            "timezone",
            format!("unknown time zone {:?}", doc.timezone),
        ));
    }

    let mut weekly: [Vec<Slot>; 7] = Default::default();
    for (index, name) in DAY_NAMES.iter().enumerate() {
        if let Some(day) = doc.weekly.get(*name) {
            let slots = compile_slots(&format!("weekly.{name}.slots"), &day.slots, &mut errors);
            if day.enabled {
                weekly[index] = slots;
            }
        }
    }
    for name in doc.weekly.keys() {
        if !DAY_NAMES.contains(&name.as_str()) {
            errors.push(ScheduleError::new(
                format!("weekly.{name}"),
                "unknown day; expected monday, tuesday, wednesday, thursday, friday, saturday \
                 or sunday",
            ));
        }
    }

    if doc.overrides.len() > MAX_OVERRIDES {
        errors.push(ScheduleError::new(
            "overrides",
            format!(
                "{} overrides; at most {MAX_OVERRIDES} are allowed",
                doc.overrides.len()
            ),
        ));
    }
    let mut overrides = BTreeMap::new();
    let mut first_index_of_date: BTreeMap<Date, usize> = BTreeMap::new();
    for (index, entry) in doc.overrides.iter().enumerate() {
        let slots = compile_slots(
            &format!("overrides[{index}].slots"),
            &entry.slots,
            &mut errors,
        );
        let field = format!("overrides[{index}].date");
        match parse_date(&entry.date) {
            Err(message) => errors.push(ScheduleError::new(field, message)),
            Ok(date) => match first_index_of_date.get(&date) {
                Some(first) => errors.push(ScheduleError::new(
                    field,
                    format!("{date} is already overridden by overrides[{first}]"),
                )),
                None => {
                    first_index_of_date.insert(date, index);
                    overrides.insert(date, slots);
                }
            },
        }
    }

    match time_zone {
        Some(time_zone) if errors.is_empty() => Ok(Compiled {
            time_zone_name: time_zone
                .iana_name()
                .unwrap_or(doc.timezone.as_str())
                .to_string(),
            time_zone,
            weekly,
            overrides,
        }),
        _ => Err(errors),
    }
}

/// Looks the name up in the tz database bundled into the binary, never the host's, so a schedule
/// means the same on every machine.
fn resolve_time_zone(name: &str) -> Option<TimeZone> {
    TimeZoneDatabase::bundled()
        .get(name)
        .ok()
        .filter(|tz| !tz.is_unknown())
}

/// Validates one list of slots (a weekday's or an override's); `path` is the list's field path.
/// Returns the valid slots (all of them when no error was pushed).
fn compile_slots(path: &str, slots: &[SlotDocument], errors: &mut Vec<ScheduleError>) -> Vec<Slot> {
    if slots.len() > MAX_SLOTS_PER_DAY {
        errors.push(ScheduleError::new(
            path,
            format!(
                "{} slots; at most {MAX_SLOTS_PER_DAY} are allowed",
                slots.len()
            ),
        ));
    }
    let mut valid: Vec<(usize, Slot)> = Vec::new();
    for (index, slot) in slots.iter().enumerate() {
        let start = parse_time(&slot.start, false)
            .map_err(|m| errors.push(ScheduleError::new(format!("{path}[{index}].start"), m)));
        let end = parse_time(&slot.end, true)
            .map_err(|m| errors.push(ScheduleError::new(format!("{path}[{index}].end"), m)));
        let (Ok(start), Ok(end)) = (start, end) else {
            continue;
        };
        let field = format!("{path}[{index}]");
        if start == end {
            errors.push(ScheduleError::new(
                field,
                format!(
                    "start and end are both {}; a slot must not be empty (00:00–24:00 is the whole \
                     day)",
                    Hhmm(start)
                ),
            ));
            continue;
        }
        let slot = Slot { start, end };
        if let Some((_, earlier)) = valid.iter().find(|(_, other)| other.overlaps(slot)) {
            errors.push(ScheduleError::new(
                field,
                format!("{slot} overlaps {earlier}"),
            ));
        }
        valid.push((index, slot));
    }
    valid.into_iter().map(|(_, slot)| slot).collect()
}

/// `HH:MM`, 00:00–23:59; an end may also be `24:00`. Returns minutes after midnight.
fn parse_time(text: &str, is_end: bool) -> Result<u16, String> {
    let range = if is_end {
        "00:00 to 24:00"
    } else {
        "00:00 to 23:59"
    };
    let invalid = || format!("{text:?} is not a time; expected HH:MM from {range}");
    let bytes = text.as_bytes();
    let digit = |i: usize| -> Option<u16> {
        bytes
            .get(i)
            .filter(|b| b.is_ascii_digit())
            .map(|b| u16::from(b - b'0'))
    };
    if bytes.len() != 5 || bytes[2] != b':' {
        return Err(invalid());
    }
    let (Some(h1), Some(h2), Some(m1), Some(m2)) = (digit(0), digit(1), digit(3), digit(4)) else {
        return Err(invalid());
    };
    let (hour, minute) = (h1 * 10 + h2, m1 * 10 + m2);
    match (hour, minute) {
        (0..=23, 0..=59) => Ok(hour * 60 + minute),
        (24, 0) if is_end => Ok(MINUTES_PER_DAY),
        _ => Err(invalid()),
    }
}

/// `YYYY-MM-DD`, a real calendar date.
fn parse_date(text: &str) -> Result<Date, String> {
    let bytes = text.as_bytes();
    let grammar_ok = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !grammar_ok {
        return Err(format!("{text:?} is not a valid date; expected YYYY-MM-DD"));
    }
    let number = |range: std::ops::Range<usize>| -> i16 {
        bytes[range]
            .iter()
            .fold(0i16, |n, b| n * 10 + i16::from(b - b'0'))
    };
    Date::new(number(0..4), number(5..7) as i8, number(8..10) as i8)
        .map_err(|_| format!("{text} is not a valid date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_follow_the_grammar() {
        assert_eq!(parse_time("00:00", false), Ok(0));
        assert_eq!(parse_time("09:30", false), Ok(570));
        assert_eq!(parse_time("23:59", false), Ok(1439));
        assert_eq!(parse_time("24:00", true), Ok(1440));
        for bad in [
            "24:00",
            "9:00",
            "09:0",
            "09-00",
            "24:01",
            "12:60",
            "",
            " 9:00",
            "0900",
            "１２:00",
        ] {
            assert!(
                parse_time(bad, false).is_err(),
                "{bad:?} accepted as a start"
            );
        }
        for bad in ["24:01", "25:00", "99:99", "09:00 "] {
            assert!(parse_time(bad, true).is_err(), "{bad:?} accepted as an end");
        }
        assert_eq!(
            parse_time("9:00", false),
            Err(r#""9:00" is not a time; expected HH:MM from 00:00 to 23:59"#.to_string())
        );
        assert_eq!(
            parse_time("24:30", true),
            Err(r#""24:30" is not a time; expected HH:MM from 00:00 to 24:00"#.to_string())
        );
    }

    #[test]
    fn dates_must_exist() {
        assert_eq!(parse_date("2028-02-29"), Ok(jiff::civil::date(2028, 2, 29)));
        assert_eq!(
            parse_date("2026-02-30"),
            Err("2026-02-30 is not a valid date".to_string())
        );
        assert_eq!(
            parse_date("2026-13-01"),
            Err("2026-13-01 is not a valid date".to_string())
        );
        assert_eq!(
            parse_date("2026-00-10"),
            Err("2026-00-10 is not a valid date".to_string())
        );
        assert_eq!(
            parse_date("2026-1-5"),
            Err(r#""2026-1-5" is not a valid date; expected YYYY-MM-DD"#.to_string())
        );
        assert!(parse_date("2026-12-25T00:00").is_err());
    }

    fn slot(start: u16, end: u16) -> Slot {
        Slot { start, end }
    }

    #[test]
    fn overlap_is_on_the_24_hour_clock() {
        let h = |n: u16| n * 60;
        // Same-day overlap and touching.
        assert!(slot(h(9), h(12)).overlaps(slot(h(11), h(13))));
        assert!(!slot(h(9), h(12)).overlaps(slot(h(12), h(14))));
        // An overnight slot's tail after midnight counts.
        assert!(slot(h(22), h(6)).overlaps(slot(h(5), h(8))));
        assert!(slot(h(22), h(6)).overlaps(slot(h(1), h(3))));
        assert!(!slot(h(22), h(6)).overlaps(slot(h(6), h(8))));
        assert!(!slot(h(22), h(6)).overlaps(slot(h(8), h(22))));
        assert!(slot(h(22), h(6)).overlaps(slot(h(21), h(23))));
        // Ending at midnight: 22:00–00:00 has no tail.
        assert!(!slot(h(22), 0).overlaps(slot(0, h(8))));
        assert!(!slot(h(22), 0).overlaps(slot(h(8), h(22))));
        // Two overnight slots always meet around midnight.
        assert!(slot(h(22), h(2)).overlaps(slot(h(23), h(1))));
        // The whole day overlaps everything.
        assert!(slot(0, 1440).overlaps(slot(h(23), h(1))));
        assert!(slot(0, 1440).overlaps(slot(h(3), h(4))));
    }
}
