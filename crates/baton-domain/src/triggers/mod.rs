//! Trigger detection (PRODUCT.md §1, issue 5): does the conversation call for a person, and why.
