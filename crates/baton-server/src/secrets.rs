//! Tokens and passwords: random bearer tokens (stored only as hashes), constant-time comparison,
//! and argon2id password hashing off the async threads.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// A fresh random token: 32 bytes, base64url without padding.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A password made up for someone (a new agent, a reset, a new workspace's admin), shown to
/// whoever asked once and never again: 20 random base64url characters (120 bits).
pub fn one_time_password() -> String {
    new_token()[..20].to_owned()
}

/// The signature a site sends for a known visitor: hex HMAC-SHA256 of their `external_id` under
/// the workspace's identity secret (docs/api.md, "Known visitors").
pub fn identity_signature(secret: &str, external_id: &str) -> String {
    use hmac::{KeyInit, Mac};
    let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes keys of any size");
    mac.update(external_id.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The signature of a capability link to an attachment (docs/api.md, "Attachments"): hex
/// HMAC-SHA256 of `"<attachment id>.<expiry in unix seconds>"` under the installation's link
/// secret. The expiry is signed with the id, so neither can be changed on its own.
pub fn attachment_link_signature(secret: &str, attachment_id: &str, expires: u64) -> String {
    identity_signature(secret, &format!("{attachment_id}.{expires}"))
}

/// Whether `signature` (hex, any case) is `external_id`'s under `secret`, compared in constant
/// time.
pub fn identity_signature_valid(secret: &str, external_id: &str, signature: &str) -> bool {
    let expected = identity_signature(secret, external_id);
    constant_time_eq(
        expected.as_bytes(),
        signature.to_ascii_lowercase().as_bytes(),
    )
}

/// The stored form of a bearer token (SHA-256, hex). Tokens are high-entropy, so a fast hash is
/// enough; the point is that a leaked database holds no usable token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in time that depends only on their length.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Hashes a password with argon2id (PHC string). Slow by design: call from `spawn_blocking`.
pub fn hash_password(password: &str) -> Result<String, String> {
    let hash = Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| format!("could not hash the password: {e}"));
    release_freed_memory();
    hash
}

/// Checks a password against a stored PHC string. Slow by design: call from `spawn_blocking`.
pub fn verify_password(password: &str, stored: &str) -> bool {
    let verified = match PasswordHash::new(stored) {
        Ok(hash) => Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok(),
        Err(_) => false,
    };
    release_freed_memory();
    verified
}

/// Each argon2 run allocates its 19 MiB work area on a blocking thread; glibc keeps such freed
/// memory in that thread's arena, so 500 logins left the server at ~900 MiB RSS (measured by
/// baton-bench). Handing it back to the system after each run keeps the server small.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory back to the operating system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// A valid hash of a password nobody has, checked when the email is unknown so that a login
/// attempt takes as long whether or not the account exists.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&new_token()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_signatures_are_hmac_sha256_hex() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        assert_eq!(
            identity_signature("Jefe", "what do ya want for nothing?"),
            expected
        );
        assert!(identity_signature_valid(
            "Jefe",
            "what do ya want for nothing?",
            &expected.to_uppercase()
        ));
        assert!(!identity_signature_valid("Jefe", "someone else", expected));
        assert!(!identity_signature_valid(
            "Jefe",
            "what do ya want for nothing?",
            "5bdc"
        ));
    }

    #[test]
    fn attachment_link_signatures_bind_the_id_and_the_expiry() {
        let sig = attachment_link_signature("k", "a1", 100);
        assert_eq!(sig, identity_signature("k", "a1.100"));
        assert_ne!(sig, attachment_link_signature("k", "a1", 101));
        assert_ne!(sig, attachment_link_signature("k", "a2", 100));
        assert_ne!(sig, attachment_link_signature("other", "a1", 100));
    }

    #[test]
    fn tokens_are_unique_and_url_safe() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
    }

    #[test]
    fn token_hash_is_stable_hex() {
        assert_eq!(token_hash("abc"), token_hash("abc"));
        assert_ne!(token_hash("abc"), token_hash("abd"));
        assert_eq!(token_hash("abc").len(), 64);
    }

    #[test]
    fn constant_time_eq_compares_exactly() {
        assert!(constant_time_eq(b"same", b"same"));
        assert!(!constant_time_eq(b"same", b"sane"));
        assert!(!constant_time_eq(b"short", b"longer"));
    }

    #[test]
    fn passwords_verify_only_with_the_right_password() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong horse battery", &hash));
        assert!(!verify_password("anything", "not a phc string"));
    }
}
