//! Baton's domain core: the rules of the product, free of I/O.
//!
//! This crate owns conversation ownership (who may speak in a conversation at any instant), the
//! handoff policy (when a live handoff is offered and what happens otherwise), availability
//! schedules, and trigger detection. It must not touch the network, the database, the clock or the
//! file system: callers pass in instants and facts, and get decisions back. That keeps every rule
//! testable exhaustively and lets the HTTP edge, storage and AI providers change without touching it.

/// Declares a fieldless enum whose variants have stable names (stored in the database and sent on
/// the wire), with `ALL`, `as_str` and `parse`: one list of variants and names, not three.
#[macro_export]
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            /// The stable name.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The variant with this name.
            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

pub mod account;
pub mod analytics;
pub mod attachment;
pub mod brief;
pub mod contact;
pub mod entity;
pub mod fold;
pub mod handoff;
pub mod ids;
pub mod language;
pub mod message;
pub mod notes;
pub mod ownership;
pub mod schedule;
pub mod texts;
pub mod ticket;
pub mod triggers;

#[cfg(test)]
mod tests {
    crate::named_enum! {
        /// A test enum.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        enum Colour {
            /// The first.
            Red = "red",
            DarkBlue = "dark_blue",
        }
    }

    #[test]
    fn named_enums_round_trip_their_names() {
        assert_eq!(Colour::ALL, [Colour::Red, Colour::DarkBlue]);
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.as_str()), Some(c));
        }
        assert_eq!(Colour::DarkBlue.as_str(), "dark_blue");
        assert_eq!(Colour::parse("Red"), None);
        assert_eq!(Colour::parse(""), None);
    }
}
