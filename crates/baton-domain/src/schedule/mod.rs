//! Availability schedules (PRODUCT.md §3–§4, issue 3): weekly slots in an IANA timezone, overrides
//! by date, never-available; `is_open` and `next_change`, exact to the second, DST-correct.
