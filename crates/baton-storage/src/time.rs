//! Timestamps are stored as UTC RFC 3339 text with exactly six fractional digits, so that text
//! order is time order in every database.

use jiff::Timestamp;

use crate::StoreError;

pub fn format_timestamp(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub fn parse_timestamp(text: &str) -> Result<Timestamp, StoreError> {
    text.parse().map_err(|_| StoreError::Corrupt("timestamp"))
}

/// Now, truncated to the stored precision so a value read back equals the value written.
pub(crate) fn now() -> Timestamp {
    let now = Timestamp::now();
    Timestamp::from_microsecond(now.as_microsecond()).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_text_sorts_like_time() {
        let a: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let b: Timestamp = "2026-01-01T00:00:00.5Z".parse().unwrap();
        let c: Timestamp = "2026-01-01T00:00:01Z".parse().unwrap();
        let (fa, fb, fc) = (
            format_timestamp(a),
            format_timestamp(b),
            format_timestamp(c),
        );
        assert_eq!(fa, "2026-01-01T00:00:00.000000Z");
        assert!(fa < fb && fb < fc);
        assert_eq!(parse_timestamp(&fb).unwrap(), b);
    }
}
