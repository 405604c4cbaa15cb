//! Issue 13: which push endpoints vocdesk will post to. The endpoint comes from the
//! browser, that is from whoever holds a developer's session, so it is untrusted: the
//! server must never be made to post to itself, to the store's private network or over
//! plain HTTP. Only `https` to a public host is accepted; the test setting
//! `--allow-loopback-push` adds `http(s)://127.0.0.1`, `[::1]` and `localhost`, nothing else.
//! The sender checks the resolved addresses again (a public name may resolve to a private
//! address), with [`is_public_ip`].

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// The longest endpoint accepted. Push services' endpoints are a few hundred bytes (FCM's
/// are about 200, Apple's and Mozilla's under 400); 2,048 leaves room and keeps a 10 KB
/// "endpoint" out of the store.
pub const MAX_ENDPOINT_LEN: usize = 2048;

/// Why an endpoint is refused; each is a 422 with its own code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointRefusal {
    /// Longer than [`MAX_ENDPOINT_LEN`].
    TooLong,
    /// Not an absolute URL.
    NotUrl,
    /// Not `https` (plain HTTP would carry the VAPID token in the clear).
    NotHttps,
    /// A loopback, private, link-local or otherwise non-public host.
    NotPublic,
    /// A user name or password in the URL: no push service issues one.
    HasCredentials,
}

impl EndpointRefusal {
    /// The stable code in the problem document.
    pub fn code(self) -> &'static str {
        match self {
            EndpointRefusal::TooLong => "too_long",
            EndpointRefusal::NotUrl => "not_url",
            EndpointRefusal::NotHttps => "not_https",
            EndpointRefusal::NotPublic => "not_public",
            EndpointRefusal::HasCredentials => "credentials",
        }
    }
}

/// Issue 13: checks an endpoint a browser handed over; `allow_loopback` is the test
/// setting. Refused: anything but `https` to a public host name or address.
pub fn check_endpoint(raw: &str, allow_loopback: bool) -> Result<Url, EndpointRefusal> {
    if raw.len() > MAX_ENDPOINT_LEN {
        return Err(EndpointRefusal::TooLong);
    }
    let url = Url::parse(raw).map_err(|_| EndpointRefusal::NotUrl)?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(EndpointRefusal::HasCredentials);
    }
    let host = url.host().ok_or(EndpointRefusal::NotUrl)?;
    let loopback = is_loopback_host(&host);
    if allow_loopback && loopback && matches!(url.scheme(), "http" | "https") {
        return Ok(url);
    }
    if url.scheme() != "https" {
        return Err(EndpointRefusal::NotHttps);
    }
    let public = match host {
        Host::Ipv4(ip) => is_public_ip(IpAddr::V4(ip)),
        Host::Ipv6(ip) => is_public_ip(IpAddr::V6(ip)),
        Host::Domain(name) => is_public_name(name),
    };
    if public { Ok(url) } else { Err(EndpointRefusal::NotPublic) }
}

fn is_loopback_host(host: &Host<&str>) -> bool {
    match host {
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
    }
}

/// A name that can only mean a machine on the local network is refused before it is
/// ever resolved: single labels, `localhost`, and the special-use suffixes.
fn is_public_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    const LOCAL_SUFFIXES: [&str; 6] = [".localhost", ".local", ".internal", ".home.arpa", ".lan", ".intranet"];
    name.contains('.') && name != "localhost" && !LOCAL_SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// Issue 13: whether the sender may connect to `ip` for a push: not loopback, private,
/// shared (CGNAT), link-local, unspecified, broadcast, documentation, benchmarking,
/// multicast, unique-local or an IPv4 address hidden in IPv6.
pub fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    let shared = a == 100 && (64..128).contains(&b);
    let benchmarking = a == 198 && (b == 18 || b == 19);
    let reserved = a >= 240 || a == 0;
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || shared
        || benchmarking
        || reserved)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let unique_local = (first & 0xfe00) == 0xfc00;
    let link_local = (first & 0xffc0) == 0xfe80;
    let documentation = first == 0x2001 && ip.segments()[1] == 0x0db8;
    let nat64 = first == 0x0064 && ip.segments()[1] == 0xff9b;
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || unique_local
        || link_local
        || documentation
        || nat64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue13_only_https_to_a_public_host_is_accepted() {
        assert!(check_endpoint("https://fcm.googleapis.com/fcm/send/abc:def", false).is_ok());
        assert!(check_endpoint("https://updates.push.services.mozilla.com/wpush/v2/gAAA", false).is_ok());
        assert!(check_endpoint("https://8.8.8.8/push", false).is_ok());
        let refused = [
            ("http://fcm.googleapis.com/x", EndpointRefusal::NotHttps),
            ("ftp://fcm.googleapis.com/x", EndpointRefusal::NotHttps),
            ("https://127.0.0.1/x", EndpointRefusal::NotPublic),
            ("https://localhost/x", EndpointRefusal::NotPublic),
            ("https://10.1.2.3/x", EndpointRefusal::NotPublic),
            ("https://192.168.0.1/x", EndpointRefusal::NotPublic),
            ("https://172.16.5.5/x", EndpointRefusal::NotPublic),
            ("https://169.254.169.254/latest/meta-data", EndpointRefusal::NotPublic),
            ("https://100.64.0.1/x", EndpointRefusal::NotPublic),
            ("https://[::1]/x", EndpointRefusal::NotPublic),
            ("https://[fd00::1]/x", EndpointRefusal::NotPublic),
            ("https://[fe80::1]/x", EndpointRefusal::NotPublic),
            ("https://[::ffff:10.0.0.1]/x", EndpointRefusal::NotPublic),
            ("https://0.0.0.0/x", EndpointRefusal::NotPublic),
            ("https://printer/x", EndpointRefusal::NotPublic),
            ("https://db.internal/x", EndpointRefusal::NotPublic),
            ("https://nas.local/x", EndpointRefusal::NotPublic),
            ("https://a.localhost/x", EndpointRefusal::NotPublic),
            ("https://user:pw@fcm.googleapis.com/x", EndpointRefusal::HasCredentials),
            ("not a url", EndpointRefusal::NotUrl),
            ("/relative", EndpointRefusal::NotUrl),
        ];
        for (raw, why) in refused {
            assert_eq!(check_endpoint(raw, false).err(), Some(why), "{raw}");
        }
    }

    #[test]
    fn issue13_an_endpoint_over_2048_bytes_is_refused() {
        let long = format!("https://fcm.googleapis.com/{}", "a".repeat(10 * 1024));
        assert_eq!(check_endpoint(&long, false).err(), Some(EndpointRefusal::TooLong));
    }

    #[test]
    fn issue13_the_loopback_test_setting_admits_loopback_and_nothing_else() {
        assert!(check_endpoint("http://127.0.0.1:8080/push/1", true).is_ok());
        assert!(check_endpoint("http://localhost:8080/push/1", true).is_ok());
        assert!(check_endpoint("http://[::1]:8080/push/1", true).is_ok());
        assert_eq!(check_endpoint("http://10.0.0.1/push", true).err(), Some(EndpointRefusal::NotHttps));
        assert_eq!(check_endpoint("https://10.0.0.1/push", true).err(), Some(EndpointRefusal::NotPublic));
        assert_eq!(check_endpoint("http://127.0.0.1:8080/push/1", false).err(), Some(EndpointRefusal::NotHttps));
    }

    #[test]
    fn issue13_resolved_addresses_are_checked_the_same_way() {
        for private in ["127.0.0.1", "10.0.0.8", "192.168.1.1", "169.254.1.1", "::1", "fc00::5", "::ffff:127.0.0.1"] {
            assert!(!is_public_ip(private.parse().expect("an address")), "{private}");
        }
        for public in ["142.250.1.1", "2607:f8b0::1"] {
            assert!(is_public_ip(public.parse().expect("an address")), "{public}");
        }
    }
}
