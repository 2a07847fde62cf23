//! The `htu` comparison of RFC 9449 §4.3 step 9: HTTP(S) URIs without query and fragment,
//! normalized by the syntax-based rules of RFC 3986 §6.2.2 (case, percent-encoding, dot
//! segments) and the scheme-based ones of §6.2.3 (default port, empty path).

/// The normalized form of an absolute `http` or `https` URI, without its query and
/// fragment; `None` when `uri` is not one (relative, another scheme, user information,
/// a bad port or percent-encoding, a character a URI cannot hold).
pub(crate) fn normalize(uri: &str) -> Option<String> {
    // Query and fragment are ignored (RFC 9449 §4.2: htu has none; §4.3: ignore them).
    let uri = uri.split(['?', '#']).next().unwrap_or_default();
    if !uri.bytes().all(is_uri_char) {
        return None;
    }
    let (scheme, rest) = uri.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    // Credentials in a request URI are deprecated (RFC 9110 §4.2.4) and never part of a
    // resource's identity here.
    if authority.contains('@') {
        return None;
    }
    let (host, port) = split_port(authority)?;
    if host.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(uri.len());
    out.push_str(&scheme);
    out.push_str("://");
    // Decoded first, then lower-cased: `%41` and `a` name the same host.
    out.push_str(&percent_normalize(host)?.to_ascii_lowercase());
    if let Some(port) = port {
        if port != default_port {
            out.push(':');
            out.push_str(&port.to_string());
        }
    }
    let path = percent_normalize(path)?;
    out.push_str(&remove_dot_segments(if path.is_empty() {
        "/"
    } else {
        &path
    }));
    Some(out)
}

/// RFC 3986 §2: unreserved, reserved and `%`; nothing else appears in a URI.
fn is_uri_char(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b':'
                | b'/'
                | b'?'
                | b'#'
                | b'['
                | b']'
                | b'@'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b'%'
        )
}

/// Host and port of an authority; an empty port is no port (§6.2.3).
fn split_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let port_start = if authority.starts_with('[') {
        // An IP literal: the port, if any, follows the closing bracket.
        let end = authority.find(']')?;
        // `]` is one byte and the string is ASCII (checked on entry): a char boundary.
        match &authority[end + 1..] {
            "" => return Some((authority, None)),
            rest if rest.starts_with(':') => end + 1,
            _ => return None,
        }
    } else {
        match authority.rfind(':') {
            Some(i) => i,
            None => return Some((authority, None)),
        }
    };
    let (host, port) = authority.split_at(port_start);
    // `port` starts at the `:` found above (one ASCII byte).
    let digits = &port[1..];
    if digits.is_empty() {
        return Some((host, None));
    }
    if digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((host, Some(digits.parse().ok()?)))
}

/// Percent-encodings in upper case, and those of unreserved characters decoded (§6.2.2.1,
/// §6.2.2.2). `None` for a `%` not followed by two hex digits.
fn percent_normalize(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hi = hex(*bytes.get(i + 1)?)?;
            let lo = hex(*bytes.get(i + 2)?)?;
            let c = hi * 16 + lo;
            if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~') {
                out.push(char::from(c));
            } else {
                out.push('%');
                out.push(char::from(b"0123456789ABCDEF"[usize::from(hi)]));
                out.push(char::from(b"0123456789ABCDEF"[usize::from(lo)]));
            }
            i += 3;
        } else {
            out.push(char::from(bytes[i]));
            i += 1;
        }
    }
    Some(out)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// RFC 3986 §5.2.4, on an absolute path.
fn remove_dot_segments(path: &str) -> String {
    let mut output: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." => {
                if i == last {
                    output.push("");
                }
            }
            ".." => {
                output.pop();
                if i == last {
                    output.push("");
                }
            }
            s => output.push(s),
        }
    }
    let mut out = String::with_capacity(path.len());
    for s in &output {
        out.push('/');
        out.push_str(s);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn equivalent_uris_normalize_alike() {
        let same = [
            "https://server.example.com/path",
            "HTTPS://Server.Example.COM/path",
            "https://server.example.com:443/path",
            "https://server.example.com:/path",
            "https://server.example.com/path?query=1",
            "https://server.example.com/path#frag",
            "https://server.example.com/a/../path",
            "https://server.example.com/./path",
            "https://server.example.com/%70ath",
            "https://%53erver.example.com/path",
        ];
        for uri in same {
            assert_eq!(
                normalize(uri).as_deref(),
                Some("https://server.example.com/path"),
                "{uri}"
            );
        }
        assert_eq!(
            normalize("http://h.example").as_deref(),
            Some("http://h.example/")
        );
        assert_eq!(
            normalize("http://h.example:80/").as_deref(),
            Some("http://h.example/")
        );
        assert_eq!(
            normalize("http://h.example:8080/x/").as_deref(),
            Some("http://h.example:8080/x/")
        );
        assert_eq!(
            normalize("https://h.example/a%2fb").as_deref(),
            Some("https://h.example/a%2Fb")
        );
        assert_eq!(
            normalize("http://[::1]:3000/t").as_deref(),
            Some("http://[::1]:3000/t")
        );
        assert_eq!(
            normalize("https://h.example/a/b/..").as_deref(),
            Some("https://h.example/a/")
        );
    }

    #[test]
    fn different_resources_stay_different() {
        let a = normalize("https://server.example.com/path").unwrap();
        for other in [
            "http://server.example.com/path",
            "https://server.example.com:8443/path",
            "https://server.example.com/path/",
            "https://server.example.com/Path",
            "https://other.example.com/path",
            "https://server.example.com/a%2Fpath",
        ] {
            assert_ne!(normalize(other).unwrap(), a, "{other}");
        }
    }

    #[test]
    fn not_http_uris_are_refused() {
        for bad in [
            "",
            "/path",
            "server.example.com/path",
            "ftp://server.example.com/",
            "https://",
            "https://user@server.example.com/",
            "https://server.example.com:99999/",
            "https://server.example.com:x/",
            "https://server.example.com/%zz",
            "https://server.example.com/%4",
            "https://server.example.com/a b",
            "https://server.example.com/é",
            "https://[::1/",
            "https://[::1]x/",
        ] {
            assert_eq!(normalize(bad), None, "{bad:?}");
        }
    }
}
