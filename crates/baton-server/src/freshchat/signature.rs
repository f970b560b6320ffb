//! FreshChat webhook signatures (docs/freshchat.md, "Webhook signatures"): RSA PKCS#1 v1.5 with
//! SHA-256 over the exact raw request body, base64 in `X-Freshchat-Signature`, checked with the
//! public key from FreshChat's webhook settings page.
//!
//! FreshChat labels that key `-----BEGIN RSA PUBLIC KEY-----` but the base64 inside is an X.509
//! SubjectPublicKeyInfo, and admins often paste it on one line. So the armour and all whitespace
//! are stripped and the DER is read as SPKI first, then as PKCS#1. This module owns only the
//! cryptography: it never parses the body.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::sha2::Sha256;
use rsa::signature::Verifier;

/// The largest key text accepted (a 4096-bit key in PEM is about 800 bytes).
pub const MAX_KEY_CHARS: usize = 8192;

/// A FreshChat webhook verification key, parsed.
#[derive(Clone, Debug)]
pub struct WebhookKey(VerifyingKey<Sha256>);

/// Why a pasted key was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the key is empty")]
    Empty,
    #[error("the key is too long")]
    TooLong,
    #[error("the key is not base64 between BEGIN/END lines")]
    NotBase64,
    #[error("the key is not an RSA public key")]
    NotRsa,
}

impl WebhookKey {
    /// Parses a key in any of the forms FreshChat's page and admins produce: PEM with either
    /// label, one line or several, or the bare base64; SPKI or PKCS#1 inside.
    pub fn parse(text: &str) -> Result<WebhookKey, KeyError> {
        if text.len() > MAX_KEY_CHARS {
            return Err(KeyError::TooLong);
        }
        let mut body = text.trim().to_owned();
        // Drop every "-----BEGIN …-----" / "-----END …-----" marker wherever it sits.
        while let Some(start) = body.find("-----") {
            let rest = &body[start + 5..];
            let Some(end) = rest.find("-----") else {
                return Err(KeyError::NotBase64);
            };
            body.replace_range(start..start + 5 + end + 5, " ");
        }
        let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(KeyError::Empty);
        }
        let der = STANDARD
            .decode(compact.as_bytes())
            .map_err(|_| KeyError::NotBase64)?;
        let key = rsa::PublicKey::from_public_key_der(&der)
            .or_else(|_| rsa::PublicKey::from_pkcs1_der(&der))
            .map_err(|_| KeyError::NotRsa)?;
        Ok(WebhookKey(VerifyingKey::new(key)))
    }

    /// Whether `signature_header` (base64) is this key's signature of exactly `body`.
    pub fn verify(&self, body: &[u8], signature_header: &str) -> bool {
        let Ok(raw) = STANDARD.decode(signature_header.trim().as_bytes()) else {
            return false;
        };
        let Ok(signature) = Signature::try_from(raw.as_slice()) else {
            return false;
        };
        self.0.verify(body, &signature).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Public test data from courier's FreshChat handler tests (docs/freshchat.md).
    const KEY: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuGJLF4hTTtxWogT6dNkGf3CEgLAR2mGJzlds5cNbrHFoJNFnmVhkRYGzLYxx4EtDiezNCZVHfyMI2AKuNSQW2fEdDatVIG+q3Zr/X9eeDl8kQOGy804J/fgCYDrN8RQu0n5Dh1inv4puca0wb29SCvoAwrWb33ehDBIvv6+rUKBdjtv2xTV65kNiVDo5VRCaYRVeE10osxeONgw55HVY4nczuxnR+dmc2282de6WHe5LXtr0ZBdJ8yttFOLIluZ/sNM5DIWZBkIWQhyT581tbA7bTpsIbrT/IMBlmioIILw8WGtI7zcmNkjU5dnq5HnlVKEDhj/Ug/dLiyno8+Vp7QIDAQAB";
    const BODY: &str = r#"{"actor":{"actor_type":"user","actor_id":"882f3926-b292-414b-a411-96380db373cd"},"action":"message_create","action_time":"2019-06-21T17:43:20.875Z","data":{"message":{"message_parts":[{"text":{"content":"Test 2"}}],"app_id":"55b190fa-5d3c-45c4-bc49-74ddcfcf53d7","actor_id":"882f3926-b292-414b-a411-96380db373cd","id":"7a454fde-c720-4c97-a61d-0ffe70449eb6","channel_id":"c8fddfaf-622a-4a0e-b060-4f3ccbeab606","conversation_id":"c327498e-f713-481e-8d83-0603e03d2521","message_type":"normal","actor_type":"user","created_time":"2019-06-21T17:43:20.866Z"}}}"#;
    const SIGNATURE: &str = "AhrmypOSWoewHG6LmIRuWjxyokuMDmPklrSU9p0gpUNjdSRCJzvpL6rjuTi5poV/ZLzWRWNM7X9yWjT5m9YFPshYrvigcd1ph4Ot2xmaJGYoUNJHijQccE6oDtDIp6i/8oLRafHgObQnGukZWPbP9OE5EiKz/VcsMP0Wv7hawI/sfIviM0w+6fNOKXWi0jDBH9ap1mj5CqOUOojni7OD5iYmIrjV/h33dyNmbvAta9E+trzcEhYqxfHIN4Z8R2FsatfRHWicoQ4PE5cQ8+UONVya8qr85nQ9w8N7Ql7yNg9fEViYG4/W/JnGEbPPEf8WrYtKzoVyuupDz4mVHdfKWg==";

    fn one_line() -> String {
        format!("-----BEGIN RSA PUBLIC KEY----- {KEY} -----END RSA PUBLIC KEY-----")
    }

    #[test]
    fn the_published_test_vector_verifies() {
        let key = WebhookKey::parse(&one_line()).unwrap();
        assert!(key.verify(BODY.as_bytes(), SIGNATURE));
    }

    #[test]
    fn every_pasted_form_of_the_key_parses() {
        let wrapped: String = KEY
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join("\n");
        for text in [
            KEY.to_owned(),
            one_line(),
            format!("-----BEGIN PUBLIC KEY-----\n{wrapped}\n-----END PUBLIC KEY-----\n"),
            format!("-----BEGIN RSA PUBLIC KEY-----\r\n{wrapped}\r\n-----END RSA PUBLIC KEY-----"),
        ] {
            let key = WebhookKey::parse(&text).unwrap();
            assert!(key.verify(BODY.as_bytes(), SIGNATURE), "{text}");
        }
    }

    #[test]
    fn any_change_to_the_body_or_signature_fails() {
        let key = WebhookKey::parse(KEY).unwrap();
        assert!(!key.verify(format!("{BODY}\n").as_bytes(), SIGNATURE));
        let pretty =
            serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(BODY).unwrap())
                .unwrap();
        assert!(!key.verify(pretty.as_bytes(), SIGNATURE));
        let mut body = BODY.as_bytes().to_vec();
        body[40] ^= 1;
        assert!(!key.verify(&body, SIGNATURE));
        let mut raw = STANDARD.decode(SIGNATURE).unwrap();
        raw[10] ^= 1;
        assert!(!key.verify(BODY.as_bytes(), &STANDARD.encode(raw)));
        assert!(!key.verify(BODY.as_bytes(), ""));
        assert!(!key.verify(BODY.as_bytes(), "not base64 at all!"));
    }

    #[test]
    fn junk_keys_are_refused() {
        assert_eq!(WebhookKey::parse("  ").unwrap_err(), KeyError::Empty);
        assert_eq!(WebhookKey::parse("%%%").unwrap_err(), KeyError::NotBase64);
        assert_eq!(WebhookKey::parse("aGVsbG8=").unwrap_err(), KeyError::NotRsa);
        assert_eq!(
            WebhookKey::parse("-----BEGIN RSA PUBLIC KEY abc").unwrap_err(),
            KeyError::NotBase64
        );
        assert_eq!(
            WebhookKey::parse(&"A".repeat(MAX_KEY_CHARS + 1)).unwrap_err(),
            KeyError::TooLong
        );
    }
}
