//! Which `Host` and `Origin` values the preview server answers to.
//!
//! On a loopback bind, only its own loopback names: a page on another site
//! that makes its name resolve to 127.0.0.1 (DNS rebinding) is refused. When
//! bound beyond loopback, the preview must open from another machine too,
//! so any IP address of this machine is accepted as well; names other than
//! `localhost` still are not, which keeps rebinding out.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::http::check_host;

/// The names a server listening on one address and port answers to.
#[derive(Debug, Clone)]
pub(super) struct Hosts {
    /// `127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT` and the `--bind`
    /// address; the first one shown is [`Hosts::shown`].
    names: Vec<String>,
    port: u16,
    /// Bound beyond loopback: `ADDRESS:PORT` for any address of this
    /// machine is accepted too.
    any_local_address: bool,
}

impl Hosts {
    /// The names of a server bound to `bind:port`.
    pub(super) fn new(bind: IpAddr, port: u16) -> Hosts {
        let shown = match bind {
            IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            other => other,
        };
        let mut names = vec![SocketAddr::new(shown, port).to_string()];
        for name in [
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ] {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        Hosts {
            names,
            port,
            any_local_address: !bind.is_loopback(),
        }
    }

    /// The `host:port` to print and open: the `--bind` address, or
    /// loopback when bound to every address.
    pub(super) fn shown(&self) -> &str {
        self.names.first().map(String::as_str).unwrap_or_default()
    }

    /// True when a request with this `Host` header may be answered.
    pub(super) fn allows_host(&self, host: Option<&str>) -> bool {
        check_host(host, &self.names).is_ok()
            || (self.any_local_address
                && host.is_some_and(|h| names_address(h, self.port, &local_addresses())))
    }

    /// True when a request with this `Origin` header (if any) comes from a
    /// page of this server: `http://` and a host [`Hosts::allows_host`]
    /// accepts. Browsers send `Origin` on cross-site requests, so this
    /// keeps other sites' pages off the event stream.
    pub(super) fn allows_origin(&self, origin: Option<&str>) -> bool {
        origin.is_none_or(|o| {
            o.strip_prefix("http://")
                .is_some_and(|host| self.allows_host(Some(host)))
        })
    }
}

/// True when `host` is `ADDRESS:port` (`[ADDRESS]:port` for IPv6) and the
/// address is one of `addresses`.
fn names_address(host: &str, port: u16, addresses: &[IpAddr]) -> bool {
    host.parse::<SocketAddr>()
        .is_ok_and(|a| a.port() == port && addresses.contains(&a.ip()))
}

/// The IP addresses of this machine's interfaces. Read again on each call,
/// so an address that changes while the server runs is still accepted.
fn local_addresses() -> Vec<IpAddr> {
    if_addrs::get_if_addrs()
        .map(|list| list.iter().map(if_addrs::Interface::ip).collect())
        .unwrap_or_default()
}

/// The URLs other machines can use when the server is bound to every
/// address (`0.0.0.0` or `::`): one per non-loopback address of the same
/// family (IPv6 link-local ones need a zone and are left out). Empty for
/// any other bind.
pub(super) fn network_urls(bind: IpAddr, port: u16) -> Vec<String> {
    if !bind.is_unspecified() {
        return Vec::new();
    }
    let mut urls: Vec<String> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .iter()
        .filter(|i| !i.is_loopback() && !i.is_link_local())
        .map(if_addrs::Interface::ip)
        .filter(|ip| bind.is_ipv6() || ip.is_ipv4())
        .map(|ip| format!("http://{}/", SocketAddr::new(ip, port)))
        .collect();
    urls.sort();
    urls.dedup();
    urls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_bind_answers_to_its_own_names_only() {
        let hosts = Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 1111);
        assert_eq!(hosts.shown(), "127.0.0.1:1111");
        assert!(hosts.allows_host(Some("localhost:1111")));
        assert!(hosts.allows_host(Some("[::1]:1111")));
        assert!(!hosts.allows_host(Some("evil.example:1111")));
        for ip in local_addresses() {
            if !ip.is_loopback() {
                let lan = SocketAddr::new(ip, 1111).to_string();
                assert!(!hosts.allows_host(Some(&lan)), "{lan}");
            }
        }
    }

    #[test]
    fn unspecified_bind_shows_loopback_and_accepts_local_addresses() {
        let hosts = Hosts::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 1111);
        assert_eq!(hosts.shown(), "127.0.0.1:1111");
        assert!(!hosts.allows_host(Some("0.0.0.0:1111")));
        assert!(!hosts.allows_host(Some("evil.example:1111")));
        let v6 = Hosts::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), 1111);
        assert_eq!(v6.shown(), "[::1]:1111");
    }

    #[test]
    fn an_address_counts_only_with_the_port() {
        let lan: IpAddr = "192.0.2.7".parse().unwrap();
        let v6: IpAddr = "fd00::7".parse().unwrap();
        let addresses = [lan, v6];
        assert!(names_address("192.0.2.7:1111", 1111, &addresses));
        assert!(names_address("[fd00::7]:1111", 1111, &addresses));
        assert!(!names_address("192.0.2.7:2222", 1111, &addresses));
        assert!(!names_address("192.0.2.7", 1111, &addresses));
        assert!(!names_address("192.0.2.8:1111", 1111, &addresses));
        assert!(!names_address("evil.example:1111", 1111, &addresses));
    }

    #[test]
    fn origins_must_be_the_servers_own() {
        let hosts = Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 1111);
        assert!(hosts.allows_origin(None));
        assert!(hosts.allows_origin(Some("http://127.0.0.1:1111")));
        assert!(hosts.allows_origin(Some("http://localhost:1111")));
        assert!(!hosts.allows_origin(Some("http://evil.example")));
        assert!(!hosts.allows_origin(Some("https://127.0.0.1:1111")));
        assert!(!hosts.allows_origin(Some("http://127.0.0.1:2222")));
        assert!(!hosts.allows_origin(Some("null")));
    }
}
