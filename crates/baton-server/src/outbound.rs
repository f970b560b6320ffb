//! Where a workspace admin may point Baton's outbound requests: the webhook URL, the workspace's
//! AI model base URL and FreshChat's API. The operator's own server-wide settings
//! (`--llm-base-url`, SMTP) are not restricted.
//!
//! An admin-supplied URL must be `https://` and may not reach loopback, private, link-local,
//! shared (CGNAT) or cloud-metadata addresses, so a workspace admin cannot make the server probe
//! its own network. The operator can allow a host with `baton serve --allow-outbound-host
//! HOST[:PORT]` (e.g. a local FreshChat stand-in); only such hosts may also use `http://`.
//!
//! The check runs twice: on the URL when it is saved and before each request (literal addresses
//! and names), and on every address DNS returns ([`GuardedResolver`]), so a name that resolves to
//! a private address later is refused too. Redirects are never followed by clients using this.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::Url;

/// One `--allow-outbound-host` entry: a host name or address, and optionally one port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedHost {
    pub host: String,
    pub port: Option<u16>,
}

impl AllowedHost {
    /// Parses `HOST[:PORT]` (`[v6]:PORT` for IPv6 addresses).
    pub fn parse(text: &str) -> Result<AllowedHost, String> {
        let text = text.trim();
        let bad = || format!("{text:?} is not HOST or HOST:PORT");
        if text.is_empty() || text.contains('/') || text.chars().any(char::is_whitespace) {
            return Err(bad());
        }
        let url = Url::parse(&format!("http://{text}/")).map_err(|_| bad())?;
        let host = url
            .host_str()
            .ok_or_else(bad)?
            .trim_start_matches('[')
            .trim_end_matches(']');
        let port = url.port();
        if port.is_none()
            && text
                .rsplit_once(':')
                .is_some_and(|(h, _)| !h.ends_with(']'))
        {
            // "host:80" for http: the url crate drops the default port; keep it.
            if let Some((_, p)) = text.rsplit_once(':') {
                let p: u16 = p.parse().map_err(|_| bad())?;
                return Ok(AllowedHost {
                    host: host.to_ascii_lowercase(),
                    port: Some(p),
                });
            }
        }
        Ok(AllowedHost {
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    fn matches(&self, host: &str, port: Option<u16>) -> bool {
        self.host.eq_ignore_ascii_case(host) && self.port.is_none_or(|p| Some(p) == port)
    }
}

/// The operator's outbound rules.
#[derive(Clone, Debug, Default)]
pub struct OutboundPolicy {
    pub allowed_hosts: Vec<AllowedHost>,
}

impl OutboundPolicy {
    /// Checks an admin-supplied URL; the error is a sentence for the admin.
    pub fn check_url(&self, raw: &str) -> Result<Url, String> {
        let url = Url::parse(raw).map_err(|_| "it is not a valid URL".to_owned())?;
        let host = url
            .host_str()
            .ok_or_else(|| "it has no host".to_owned())?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        if !url.username().is_empty() || url.password().is_some() {
            return Err("it may not contain a user name or password".to_owned());
        }
        let allowed = self
            .allowed_hosts
            .iter()
            .any(|a| a.matches(&host, url.port_or_known_default()));
        match url.scheme() {
            "https" => {}
            "http" if allowed => {}
            "http" => {
                return Err("it must start with https:// (http:// is only accepted for hosts the operator allowed with --allow-outbound-host)".to_owned());
            }
            _ => return Err("it must start with https://".to_owned()),
        }
        if allowed {
            return Ok(url);
        }
        if let Ok(ip) = host.parse::<IpAddr>()
            && !is_public(ip)
        {
            return Err(format!(
                "{host} is a loopback, private, link-local or metadata address; the operator can allow it with --allow-outbound-host"
            ));
        }
        if is_internal_name(&host) {
            return Err(format!(
                "{host} is an internal name; the operator can allow it with --allow-outbound-host"
            ));
        }
        Ok(url)
    }

    fn host_allowed(&self, host: &str) -> bool {
        self.allowed_hosts
            .iter()
            .any(|a| a.host.eq_ignore_ascii_case(host))
    }

    /// An HTTP client for admin-supplied URLs: the guarded resolver, no redirects.
    pub fn client(&self, timeout: std::time::Duration) -> reqwest::Result<reqwest::Client> {
        self.client_builder().timeout(timeout).build()
    }

    /// What [`OutboundPolicy::client`] builds on, for clients that set their own timeouts (a
    /// streamed model reply has no total time limit).
    pub fn client_builder(&self) -> reqwest::ClientBuilder {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(GuardedResolver {
                policy: Arc::new(self.clone()),
            })
    }
}

/// Names that always mean "this machine" or the cloud metadata service.
fn is_internal_name(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "metadata"
        || host == "metadata.google.internal"
        || host.ends_with(".internal")
}

/// Whether an address is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link-local
                || v6 == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254)) // AWS metadata
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // 169.254/16, the metadata address included
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && ip.octets()[2] == 0) // IETF protocol assignments
        || a >= 240)
}

/// Resolves names like the system does, then drops every address that is not public (unless the
/// operator allowed the host), so DNS cannot point a saved URL at the internal network.
struct GuardedResolver {
    policy: Arc<OutboundPolicy>,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        let allowed = self.policy.host_allowed(&host);
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| allowed || is_public(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(format!("{host} does not resolve to a public address").into());
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(hosts: &[&str]) -> OutboundPolicy {
        OutboundPolicy {
            allowed_hosts: hosts
                .iter()
                .map(|h| AllowedHost::parse(h).unwrap())
                .collect(),
        }
    }

    #[test]
    fn public_https_urls_pass() {
        let p = policy(&[]);
        assert!(p.check_url("https://acme.freshchat.com/v2").is_ok());
        assert!(p.check_url("https://api.eu.freshchat.com/v2").is_ok());
        assert!(p.check_url("https://8.8.8.8/v2").is_ok());
    }

    #[test]
    fn internal_addresses_and_plain_http_are_refused() {
        let p = policy(&[]);
        for url in [
            "http://acme.freshchat.com/v2",
            "ftp://acme.freshchat.com/v2",
            "https://127.0.0.1/v2",
            "https://localhost:8443/v2",
            "https://10.1.2.3/v2",
            "https://172.16.0.1/v2",
            "https://192.168.1.1/v2",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/",
            "https://0.0.0.0/",
            "https://[::1]/v2",
            "https://[fd00::1]/v2",
            "https://[fe80::1]/v2",
            "https://[::ffff:127.0.0.1]/v2",
            "https://metadata.google.internal/",
            "https://user:pw@acme.freshchat.com/v2",
            "not a url",
        ] {
            assert!(p.check_url(url).is_err(), "{url}");
        }
    }

    #[test]
    fn the_operator_can_allow_a_host_and_port() {
        let p = policy(&["127.0.0.1:9000", "fake.test"]);
        assert!(p.check_url("http://127.0.0.1:9000/v2").is_ok());
        assert!(p.check_url("https://127.0.0.1:9000/v2").is_ok());
        assert!(p.check_url("http://127.0.0.1:9001/v2").is_err());
        assert!(p.check_url("http://fake.test:1234/v2").is_ok());
        assert!(p.check_url("http://other.test/v2").is_err());
    }

    #[test]
    fn allowed_host_entries_parse() {
        assert_eq!(
            AllowedHost::parse("Example.COM:80").unwrap(),
            AllowedHost {
                host: "example.com".into(),
                port: Some(80)
            }
        );
        assert_eq!(
            AllowedHost::parse("[::1]:9000").unwrap(),
            AllowedHost {
                host: "::1".into(),
                port: Some(9000)
            }
        );
        assert!(AllowedHost::parse("").is_err());
        assert!(AllowedHost::parse("a/b").is_err());
        assert!(AllowedHost::parse("host:notaport").is_err());
    }
}
