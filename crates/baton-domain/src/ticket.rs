//! Tickets: what a lead captured on the offline path becomes, with its status and priority rules.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::contact::single_line;
use crate::handoff::Trigger;

/// The longest ticket subject.
pub const MAX_SUBJECT_CHARS: usize = 120;

crate::named_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum TicketStatus {
        Open = "open",
        PendingInternal = "pending_internal",
        PendingVisitor = "pending_visitor",
        Resolved = "resolved",
    }
}

crate::named_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum TicketPriority {
        Low = "low",
        Medium = "medium",
        High = "high",
        Urgent = "urgent",
    }
}

/// "`what` must be one of a, b, c": the answer to a name that is not one of `names`.
fn one_of<'a>(what: &str, names: impl Iterator<Item = &'a str>) -> String {
    format!(
        "{what} must be one of {}",
        names.collect::<Vec<_>>().join(", ")
    )
}

impl FromStr for TicketStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        TicketStatus::parse(s)
            .ok_or_else(|| one_of("status", TicketStatus::ALL.iter().map(|v| v.as_str())))
    }
}

impl FromStr for TicketPriority {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        TicketPriority::parse(s)
            .ok_or_else(|| one_of("priority", TicketPriority::ALL.iter().map(|v| v.as_str())))
    }
}

/// The priority a new ticket gets from what started the handoff: sales opportunities and
/// frustrated visitors are High by default, everything else Medium.
pub fn default_priority(trigger: Option<Trigger>) -> TicketPriority {
    match trigger {
        Some(Trigger::SalesOpportunity | Trigger::Frustration) => TicketPriority::High,
        _ => TicketPriority::Medium,
    }
}

/// A one-line subject of at most [`MAX_SUBJECT_CHARS`] from a summary or the visitor's first
/// question.
pub fn subject_from(text: &str) -> String {
    let line = single_line(text);
    if line.chars().count() <= MAX_SUBJECT_CHARS {
        return if line.is_empty() {
            "Conversation with a visitor".to_owned()
        } else {
            line
        };
    }
    let mut cut: String = line.chars().take(MAX_SUBJECT_CHARS - 1).collect();
    if let Some(space) = cut.rfind(' ').filter(|&i| i > MAX_SUBJECT_CHARS / 2) {
        cut.truncate(space);
    }
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_explained() {
        for s in TicketStatus::ALL {
            assert_eq!(s.as_str().parse::<TicketStatus>(), Ok(s));
        }
        for p in TicketPriority::ALL {
            assert_eq!(p.as_str().parse::<TicketPriority>(), Ok(p));
        }
        let err = "urgentish".parse::<TicketPriority>().unwrap_err();
        assert!(err.contains("low, medium, high, urgent"), "{err}");
    }

    #[test]
    fn sales_and_frustration_are_high_priority() {
        assert_eq!(
            default_priority(Some(Trigger::SalesOpportunity)),
            TicketPriority::High
        );
        assert_eq!(
            default_priority(Some(Trigger::Frustration)),
            TicketPriority::High
        );
        assert_eq!(
            default_priority(Some(Trigger::UserRequest)),
            TicketPriority::Medium
        );
        assert_eq!(default_priority(None), TicketPriority::Medium);
    }

    #[test]
    fn subjects_are_one_short_line() {
        assert_eq!(subject_from("Where is\r\nmy order?"), "Where is my order?");
        let long = "word ".repeat(60);
        let subject = subject_from(&long);
        assert!(subject.chars().count() <= MAX_SUBJECT_CHARS && subject.ends_with('…'));
        assert_eq!(subject_from("  "), "Conversation with a visitor");
    }
}
