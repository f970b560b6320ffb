//! What words mean to the trigger rules, in English, Spanish, French, German and Portuguese:
//! the concept set (`concepts`), the word lists that carry each concept (`words`) and the tagger
//! that puts concepts on a tokenised turn (`tagging`, which builds the [`Doc`] every detector
//! reads).
//!
//! Owns no rules about what a conversation means: the detectors decide that from the concepts.

mod concepts;
mod tagging;
mod words;

pub(super) use concepts::Concepts;
pub(super) use tagging::Doc;
pub(super) use words::{WordMap, bits_by_word};
