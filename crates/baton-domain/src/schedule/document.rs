//! The schedule document: the JSON shape that the API, the Agent Editor and the CLI exchange.
//!
//! This is the *unvalidated* form. Times, dates, day names and the time zone are kept as the strings
//! the user typed, so that validation (in `validate.rs`) can report every problem at once with its
//! field path instead of stopping at the first one, as serde would. Only structural problems (wrong
//! JSON types, unknown fields, a day given twice) are rejected while deserializing.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// A bot's availability schedule as exchanged in JSON.
///
/// ```json
/// { "timezone": "Europe/Berlin", "never_available": false,
///   "weekly": { "monday": { "enabled": true, "slots": [ {"start": "09:00", "end": "12:00"} ] } },
///   "overrides": [ { "date": "2026-12-25", "slots": [] } ] }
/// ```
///
/// `never_available`, `weekly` and `overrides` may be omitted (false, no days, no overrides).
/// Turn it into a [`Schedule`](super::Schedule) with
/// [`Schedule::from_document`](super::Schedule::from_document) to use it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleDocument {
    /// IANA time zone name, e.g. `Europe/Berlin`.
    pub timezone: String,
    /// When true, live chat is never offered, whatever the slots say.
    #[serde(default)]
    pub never_available: bool,
    /// Day name (`monday` … `sunday`) → that day's rule. A missing day has no slots.
    #[serde(default, deserialize_with = "days_without_duplicates")]
    pub weekly: BTreeMap<String, DayDocument>,
    /// Dates whose slots replace the weekly rule (holidays, special openings).
    #[serde(default)]
    pub overrides: Vec<OverrideDocument>,
}

/// One day of the weekly rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayDocument {
    /// A disabled day has no slots; its slots are kept (and still validated) so that toggling the
    /// day back on in the Agent Editor restores them. Defaults to `true` when omitted.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    #[serde(default)]
    pub slots: Vec<SlotDocument>,
}

/// A time slot, `HH:MM` to `HH:MM` local wall-clock time; `end` may be `24:00`, and an `end` at or
/// before `start` runs past midnight into the next date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotDocument {
    pub start: String,
    pub end: String,
}

/// The slots that start on one date, replacing the weekly rule for that date. No slots = closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideDocument {
    /// `YYYY-MM-DD`, a date in the schedule's time zone.
    pub date: String,
    #[serde(default)]
    pub slots: Vec<SlotDocument>,
}

impl SlotDocument {
    pub fn new(start: impl Into<String>, end: impl Into<String>) -> SlotDocument {
        SlotDocument {
            start: start.into(),
            end: end.into(),
        }
    }
}

fn enabled_by_default() -> bool {
    true
}

/// Like the standard map deserializer, but a day given twice is an error instead of the last one
/// silently winning.
fn days_without_duplicates<'de, D>(
    deserializer: D,
) -> Result<BTreeMap<String, DayDocument>, D::Error>
where
    D: Deserializer<'de>,
{
    struct Days;

    impl<'de> Visitor<'de> for Days {
        type Value = BTreeMap<String, DayDocument>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object mapping day names to day rules")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut days = BTreeMap::new();
            while let Some((name, day)) = map.next_entry::<String, DayDocument>()? {
                if days.contains_key(&name) {
                    return Err(serde::de::Error::custom(format_args!(
                        "weekly.{name} is given twice"
                    )));
                }
                days.insert(name, day);
            }
            Ok(days)
        }
    }

    deserializer.deserialize_map(Days)
}
