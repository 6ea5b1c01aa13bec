//! Which addresses a webhook may reach: only globally routable unicast ones.
//!
//! A webhook URL is chosen by a user, so a delivery must not reach the cluster's insides, the
//! cloud's metadata service or anything else that is only reachable from where the service runs.
//! The rule is an allow-list: IPv4 outside every special-purpose block of the IANA registry
//! (RFC 6890 and its updates), IPv6 inside global unicast `2000::/3` and outside the
//! special-purpose blocks there. IPv6 forms that carry an IPv4 address (IPv4-mapped
//! `::ffff:a.b.c.d`, the deprecated IPv4-compatible `::a.b.c.d`) are judged by that IPv4
//! address; NAT64 (`64:ff9b::/96`, `64:ff9b:1::/48`), 6to4 (`2002::/16`) and Teredo
//! (`2001::/32`) are refused outright, since the IPv4 address they lead to may be private.
//! Standard library helpers such as `is_global` are not stable, and `is_private` misses most of
//! this (mapped forms, shared address space, benchmarking, multicast), hence this module.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether a webhook may connect to `ip`.
pub fn is_global(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_global_v4(v4),
        IpAddr::V6(v6) => match embedded_v4(v6) {
            Some(v4) => is_global_v4(v4),
            None => is_global_v6(v6),
        },
    }
}

/// The IPv4 address an IPv4-mapped (`::ffff:a.b.c.d`) or IPv4-compatible (`::a.b.c.d`) IPv6
/// address stands for. `::` and `::1` are neither.
fn embedded_v4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = v6.to_ipv4_mapped() {
        return Some(v4);
    }
    let segments = v6.segments();
    let compatible = segments[..6].iter().all(|s| *s == 0) && u128::from(v6) > 1;
    compatible.then(|| Ipv4Addr::from(u32::try_from(u128::from(v6) & 0xffff_ffff).expect("32 bits")))
}

/// IPv4 blocks that are not globally reachable (IANA IPv4 special-purpose registry), with
/// multicast and the reserved space above it.
const NOT_GLOBAL_V4: [(Ipv4Addr, u8); 16] = [
    (Ipv4Addr::new(0, 0, 0, 0), 8),       // "this network"
    (Ipv4Addr::new(10, 0, 0, 0), 8),      // private
    (Ipv4Addr::new(100, 64, 0, 0), 10),   // shared address space (carrier-grade NAT)
    (Ipv4Addr::new(127, 0, 0, 0), 8),     // loopback
    (Ipv4Addr::new(169, 254, 0, 0), 16),  // link-local, cloud metadata services
    (Ipv4Addr::new(172, 16, 0, 0), 12),   // private
    (Ipv4Addr::new(192, 0, 0, 0), 24),    // IETF protocol assignments
    (Ipv4Addr::new(192, 0, 2, 0), 24),    // documentation (TEST-NET-1)
    (Ipv4Addr::new(192, 88, 99, 0), 24),  // 6to4 relay anycast (deprecated)
    (Ipv4Addr::new(192, 168, 0, 0), 16),  // private
    (Ipv4Addr::new(198, 18, 0, 0), 15),   // benchmarking
    (Ipv4Addr::new(198, 51, 100, 0), 24), // documentation (TEST-NET-2)
    (Ipv4Addr::new(203, 0, 113, 0), 24),  // documentation (TEST-NET-3)
    (Ipv4Addr::new(224, 0, 0, 0), 4),     // multicast
    (Ipv4Addr::new(240, 0, 0, 0), 4),     // reserved, and the limited broadcast address
    (Ipv4Addr::new(255, 255, 255, 255), 32),
];

fn is_global_v4(v4: Ipv4Addr) -> bool {
    let address = u32::from(v4);
    !NOT_GLOBAL_V4.iter().any(|(network, prefix)| {
        let mask = u32::MAX.checked_shl(32 - u32::from(*prefix)).unwrap_or(0);
        address & mask == u32::from(*network) & mask
    })
}

/// Blocks inside `2000::/3` that are not globally reachable, or that lead to IPv4 addresses
/// which may not be.
const NOT_GLOBAL_V6: [(Ipv6Addr, u8); 5] = [
    (Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0), 23), // IETF protocol assignments, Teredo
    (Ipv6Addr::new(0x2001, 0x0db8, 0, 0, 0, 0, 0, 0), 32), // documentation
    (Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0), 16), // 6to4
    (Ipv6Addr::new(0x3fff, 0, 0, 0, 0, 0, 0, 0), 20), // documentation
    (Ipv6Addr::new(0x5f00, 0, 0, 0, 0, 0, 0, 0), 16), // segment routing identifiers
];

fn is_global_v6(v6: Ipv6Addr) -> bool {
    let address = u128::from(v6);
    let in_block = |network: Ipv6Addr, prefix: u8| {
        let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
        address & mask == u128::from(network) & mask
    };
    // Global unicast only: this leaves out loopback, unspecified, unique local, link-local,
    // site-local, multicast, NAT64 (`64:ff9b::/96` and `/48`) and discard-only `100::/64`.
    in_block(Ipv6Addr::new(0x2000, 0, 0, 0, 0, 0, 0, 0), 3)
        && !NOT_GLOBAL_V6
            .iter()
            .any(|(network, prefix)| in_block(*network, *prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(address: &str) -> bool {
        is_global(address.parse().unwrap_or_else(|_| panic!("{address} parses")))
    }

    #[test]
    fn special_purpose_addresses_in_every_disguise_are_refused() {
        for address in [
            // IPv4
            "0.0.0.0",
            "0.1.2.3",
            "10.0.0.1",
            "100.64.0.1",
            "100.127.255.254",
            "127.0.0.1",
            "127.255.0.9",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.88.99.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            // IPv4-mapped and IPv4-compatible forms of the same
            "::ffff:169.254.169.254",
            "::ffff:10.0.0.1",
            "::ffff:127.0.0.1",
            "::ffff:7f00:1",
            "::ffff:100.64.0.1",
            "::ffff:0.0.0.0",
            "::127.0.0.1",
            "::10.0.0.1",
            "::a9fe:a9fe",
            // IPv6
            "::",
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "ff0e::1",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::1",
            "100::1",
            "2001::1",
            "2001:0:4136:e378::1",
            "2001:2::1",
            "2001:db8::1",
            "2002:7f00:1::1",
            "2002:c0a8:101::1",
            "3fff::1",
            "5f00::1",
        ] {
            assert!(!check(address), "{address} must be refused");
        }
    }

    #[test]
    fn public_addresses_are_allowed() {
        for address in [
            "93.184.216.34",
            "1.1.1.1",
            "8.8.8.8",
            "100.63.255.255",
            "100.128.0.1",
            "172.32.0.1",
            "198.20.0.1",
            "223.255.255.254",
            "::ffff:93.184.216.34",
            "2606:4700:4700::1111",
            "2a00:1450:4001:80b::200e",
            "2001:4860:4860::8888",
        ] {
            assert!(check(address), "{address} must be allowed");
        }
    }
}
