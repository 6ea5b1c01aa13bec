//! The client's IP address, for rate limits: the TCP peer, or the entry that the trusted
//! proxies (such as the ALB) appended to `X-Forwarded-For`.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;

/// The address of the client: with `trusted_hops` proxies in front of us, the entry that many
/// positions from the right of `X-Forwarded-For` (entries further left are client-controlled).
pub fn caller_address(peer: SocketAddr, headers: &HeaderMap, trusted_hops: usize) -> IpAddr {
    if trusted_hops == 0 {
        return peer.ip();
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|entry| entry.trim().parse().ok())
        .collect();
    forwarded
        .len()
        .checked_sub(trusted_hops)
        .and_then(|index| forwarded.get(index).copied())
        .unwrap_or_else(|| peer.ip())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    #[test]
    fn untrusted_forwarded_for_is_ignored() {
        let peer: SocketAddr = "10.0.0.9:5000".parse().unwrap();
        assert_eq!(caller_address(peer, &headers("1.2.3.4"), 0), peer.ip());
    }

    #[test]
    fn one_trusted_hop_takes_the_rightmost_entry() {
        let peer: SocketAddr = "10.0.0.9:5000".parse().unwrap();
        let spoofed = headers("6.6.6.6, 1.2.3.4");
        assert_eq!(
            caller_address(peer, &spoofed, 1),
            "1.2.3.4".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            caller_address(peer, &spoofed, 2),
            "6.6.6.6".parse::<IpAddr>().unwrap()
        );
        assert_eq!(caller_address(peer, &spoofed, 3), peer.ip());
    }
}
