//! Tickets: what a lead captured on the offline path becomes, with its status and priority rules.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::contact::single_line;
use crate::handoff::Trigger;

/// The longest ticket subject.
pub const MAX_SUBJECT_CHARS: usize = 120;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    Open,
    PendingInternal,
    PendingVisitor,
    Resolved,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketPriority {
    Low,
    Medium,
    High,
    Urgent,
}

macro_rules! names {
    ($ty:ty, $what:literal, $($variant:ident = $name:literal),+) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];
            pub fn as_str(&self) -> &'static str {
                match self { $(<$ty>::$variant => $name),+ }
            }
        }
        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                <$ty>::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    let names: Vec<&str> = <$ty>::ALL.iter().map(|v| v.as_str()).collect();
                    format!("{} must be one of {}", $what, names.join(", "))
                })
            }
        }
    };
}

names!(
    TicketStatus,
    "status",
    Open = "open",
    PendingInternal = "pending_internal",
    PendingVisitor = "pending_visitor",
    Resolved = "resolved"
);
names!(
    TicketPriority,
    "priority",
    Low = "low",
    Medium = "medium",
    High = "high",
    Urgent = "urgent"
);

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
            assert_eq!(s.as_str().parse::<TicketStatus>(), Ok(*s));
        }
        for p in TicketPriority::ALL {
            assert_eq!(p.as_str().parse::<TicketPriority>(), Ok(*p));
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
