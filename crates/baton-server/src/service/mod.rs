//! Application services: the flows of PRODUCT.md §2 run here, between the HTTP/WebSocket edge and
//! storage. A service stores first, then publishes what was stored; nothing is announced that is
//! not durable.

mod bot;
mod conversations;
mod engines;
mod handoffs;
mod knowledge;
mod leads;
pub(crate) mod publish;

pub use conversations::Started;
pub use handoffs::{Availability, offline_text};
pub use leads::LeadSubmission;
