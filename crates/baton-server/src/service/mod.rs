//! Application services: the flows (a visitor's messages and the bot's replies, handoffs, the
//! offline path) run here, between the HTTP/WebSocket edge and storage. A service stores first,
//! then publishes what was stored; nothing is announced that is not durable.

mod attachments;
mod bot;
mod conversations;
mod engines;
mod error;
mod handoffs;
mod knowledge;
mod leads;
pub(crate) mod publish;
mod team;
mod transcripts;
pub mod visitor_texts;

pub use attachments::{Sender, Sent, Upload};
pub use conversations::{IdentityClaim, MAX_VISITOR_NAME_CHARS, Started};
pub use error::{ErrorChain, ServiceError, ServiceResult};
pub use handoffs::{Availability, offline_text};
pub use leads::LeadSubmission;
