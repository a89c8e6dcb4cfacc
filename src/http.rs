//! Small HTTP pieces both surfaces use: the client's address, query-string
//! encoding and the request body limits.

use crate::config::SiteConfig;
use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::request::Parts;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

/// The largest request body accepted: room for a long article in a form.
pub const MAX_BODY_BYTES: usize = 512 * 1024;

/// Room in an upload's body for the form's other fields.
const UPLOAD_FORM_ROOM: usize = 64 * 1024;

/// The largest body of a request that uploads an image of at most
/// `max_upload` bytes, with the form around it.
pub fn upload_body_limit(max_upload: usize) -> usize {
    max_upload + UPLOAD_FORM_ROOM
}

/// Percent-encodes a value for a query string.
pub fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The client's address: the connection's peer, or with
/// `--trust-forwarded-for` the last hop of `X-Forwarded-For`.
pub struct ClientAddress(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress
where
    Arc<SiteConfig>: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let config = Arc::<SiteConfig>::from_ref(state);
        Ok(ClientAddress(client_address(
            parts,
            config.trust_forwarded_for,
        )))
    }
}

pub fn client_address(parts: &Parts, trust_forwarded_for: bool) -> IpAddr {
    let forwarded = trust_forwarded_for
        .then(|| parts.headers.get("x-forwarded-for")?.to_str().ok())
        .flatten()
        .and_then(|list| list.rsplit(',').next()?.trim().parse().ok());
    forwarded.unwrap_or_else(|| {
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ConnectInfo(addr)| {
                addr.ip()
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode_query("/a b?c=d&e"), "/a%20b%3Fc%3Dd%26e");
    }
}
