//! A minimal blocking HTTP/1.1 client over `std::net::TcpStream`, shared by the
//! notification sender (feature `notify-send`) and the registry client (feature `oci`).
//!
//! Plain `http://` only: one request per connection (`Connection: close`), connect/read/
//! write timeouts plus an overall deadline for reading the answer, the response read up to
//! a byte cap, `Content-Length` and chunked bodies. `https://` is reported as
//! [`UrlError::Tls`]: no TLS stack is built in. Callers turn these errors into their own
//! module's `Error` (with secrets masked).

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

/// Where a request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target<'a> {
    /// Host name or IP (IPv6 without brackets).
    pub host: &'a str,
    /// TCP port (80 unless given).
    pub port: u16,
    /// `host[:port]` as written: the `Host` header.
    pub host_header: &'a str,
    /// Path and query, starting with `/`, without the fragment.
    pub path: String,
}

/// Why a URL cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UrlError {
    /// `https://`: no TLS stack is built in.
    Tls,
    /// Anything else, with the reason.
    Bad(&'static str),
}

/// Splits an `http://host[:port][/path]` URL.
pub(crate) fn parse_url(url: &str) -> Result<Target<'_>, UrlError> {
    let bad = UrlError::Bad;
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(bad("not an absolute URL"));
    };
    if scheme.eq_ignore_ascii_case("https") {
        return Err(UrlError::Tls);
    }
    if !scheme.eq_ignore_ascii_case("http") {
        return Err(bad("only http:// URLs are supported"));
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if authority.contains('@') {
        return Err(bad("user info in the URL is not supported"));
    }
    let tail = tail.split('#').next().unwrap_or("");
    let path = if tail.starts_with('/') { tail.to_string() } else { format!("/{tail}") };
    if path.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(bad("space or control character in the path"));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']').ok_or(bad("unclosed IPv6 bracket"))?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().map_err(|_| bad("invalid port"))?,
            None if after.is_empty() => 80,
            None => return Err(bad("invalid port")),
        };
        (h, port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, p.parse().map_err(|_| bad("invalid port"))?),
            None => (authority, 80),
        }
    };
    if host.is_empty() {
        return Err(bad("missing host"));
    }
    Ok(Target { host, port, host_header: authority, path })
}

/// One request.
pub(crate) struct Request<'a> {
    /// `GET`, `POST`, ...
    pub method: &'a str,
    /// Where to.
    pub target: &'a Target<'a>,
    /// The `User-Agent` header.
    pub user_agent: &'a str,
    /// More headers; `Host`, `Content-Length`, `Connection` and `Transfer-Encoding` given
    /// here are ignored (the client sets them).
    pub headers: &'a [(String, String)],
    /// The body (`Content-Length` is sent unless this is empty on GET/HEAD).
    pub body: &'a [u8],
    /// Connect, read and write timeout each; the whole answer must arrive within four
    /// times this.
    pub timeout: Duration,
    /// The most response bytes kept (status line, headers and body).
    pub max_response: u64,
}

/// What went wrong with a request.
#[derive(Debug)]
pub(crate) enum RequestError {
    /// A header name or value has a line break or NUL (the header name).
    BadHeader(String),
    /// Connecting, writing or reading failed (timeouts included).
    Io(std::io::Error),
    /// The answer is not HTTP/1.x (why).
    BadResponse(String),
}

/// A parsed answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawResponse {
    /// The status code.
    pub status: u16,
    /// The headers in order, names as sent, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body (de-chunked).
    pub body: Vec<u8>,
    /// The answer was longer than `max_response` and was cut there.
    pub truncated: bool,
}

impl RawResponse {
    /// Every header called `name` (case-insensitive), in order (the registry client reads
    /// `Link` and `WWW-Authenticate`; the notification sender needs none).
    #[cfg_attr(not(feature = "oci"), allow(dead_code))]
    pub fn headers_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.headers
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `request` and reads the whole answer.
pub(crate) fn exchange(request: &Request<'_>) -> Result<RawResponse, RequestError> {
    let target = request.target;
    let mut bytes = Vec::with_capacity(256 + request.body.len());
    let mut line = |name: &str, value: &str| -> Result<(), RequestError> {
        if name.bytes().chain(value.bytes()).any(|b| matches!(b, b'\r' | b'\n' | 0)) {
            return Err(RequestError::BadHeader(name.to_string()));
        }
        bytes.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        Ok(())
    };
    if request.method.bytes().any(|b| !b.is_ascii_uppercase()) {
        return Err(RequestError::BadHeader("(method)".to_string()));
    }
    let start = format!("{} {} HTTP/1.1\r\n", request.method, target.path);
    line("Host", target.host_header)?;
    line("User-Agent", request.user_agent)?;
    if !(request.body.is_empty() && matches!(request.method, "GET" | "HEAD")) {
        line("Content-Length", &request.body.len().to_string())?;
    }
    for (name, value) in request.headers {
        let lower = name.to_ascii_lowercase();
        if matches!(lower.as_str(), "host" | "content-length" | "connection" | "transfer-encoding")
        {
            continue;
        }
        line(name, value)?;
    }
    line("Connection", "close")?;
    bytes.extend_from_slice(b"\r\n");
    bytes.splice(0..0, start.into_bytes());
    bytes.extend_from_slice(request.body);

    let io = RequestError::Io;
    let addrs = (target.host, target.port).to_socket_addrs().map_err(io)?;
    let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "host resolved to no address");
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, request.timeout) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = e,
        }
    }
    let mut stream = stream.ok_or_else(|| io(last))?;
    stream.set_read_timeout(Some(request.timeout)).map_err(io)?;
    stream.set_write_timeout(Some(request.timeout)).map_err(io)?;
    stream.write_all(&bytes).map_err(io)?;
    stream.flush().map_err(io)?;

    let deadline = Instant::now() + request.timeout.saturating_mul(4);
    let cap = usize::try_from(request.max_response).unwrap_or(usize::MAX);
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let mut truncated = false;
    loop {
        if Instant::now() > deadline {
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the response did not complete in time",
            )));
        }
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                raw.extend_from_slice(buf.get(..n).unwrap_or_default());
                if raw.len() > cap {
                    raw.truncate(cap);
                    truncated = true;
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io(e)),
        }
    }
    let mut response = parse_response(&raw).map_err(RequestError::BadResponse)?;
    response.truncated = truncated;
    Ok(response)
}

/// Parses a complete HTTP/1.x answer.
pub(crate) fn parse_response(raw: &[u8]) -> Result<RawResponse, String> {
    let head_end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| "no end of headers".to_string())?;
    let head = String::from_utf8_lossy(raw.get(..head_end).unwrap_or_default()).into_owned();
    let body = raw.get(head_end + 4..).unwrap_or_default();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/1.") {
        return Err(format!("status line {status_line:?}"));
    }
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .filter(|s| (100..1000).contains(s))
        .ok_or_else(|| format!("status line {status_line:?}"))?;
    let mut content_length = None;
    let mut chunked = false;
    let mut headers = Vec::new();
    for header in lines {
        let Some((name, value)) = header.split_once(':') else { continue };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            content_length = value.parse::<usize>().ok();
        } else if name.eq_ignore_ascii_case("transfer-encoding")
            && value.eq_ignore_ascii_case("chunked")
        {
            chunked = true;
        }
        headers.push((name.trim().to_string(), value.to_string()));
    }
    let body = if chunked {
        dechunk(body)?
    } else if let Some(n) = content_length {
        body.get(..n.min(body.len())).unwrap_or_default().to_vec()
    } else {
        body.to_vec()
    };
    Ok(RawResponse { status, headers, body, truncated: false })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let eol = data.windows(2).position(|w| w == b"\r\n").ok_or("truncated chunk size")?;
        let size_text = String::from_utf8_lossy(data.get(..eol).unwrap_or_default()).into_owned();
        let size_text = size_text.split(';').next().unwrap_or("").trim().to_string();
        let size = usize::from_str_radix(&size_text, 16)
            .map_err(|_| format!("bad chunk size {size_text:?}"))?;
        data = data.get(eol + 2..).unwrap_or_default();
        if size == 0 {
            return Ok(out);
        }
        let chunk = data.get(..size).ok_or("truncated chunk")?;
        out.extend_from_slice(chunk);
        data = data.get(size + 2..).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_kept_in_order() {
        let r = parse_response(
            b"HTTP/1.1 200 OK\r\nLink: <a>; rel=\"next\"\r\nX: 1\r\nlink: <b>\r\nContent-Length: 0\r\n\r\n",
        );
        let r = r.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.headers_named("LINK").next(), Some("<a>; rel=\"next\""));
        assert_eq!(r.headers_named("link").collect::<Vec<_>>(), ["<a>; rel=\"next\"", "<b>"]);
        assert_eq!(r.headers_named("missing").next(), None);
    }

    #[test]
    fn url_parts() {
        let t = parse_url("http://[::1]:5000/v2/x?n=1#frag").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            (t.host, t.port, t.host_header, t.path.as_str()),
            ("::1", 5000, "[::1]:5000", "/v2/x?n=1")
        );
        assert_eq!(parse_url("HTTPS://h/"), Err(UrlError::Tls));
        assert_eq!(
            parse_url("http://h/a b"),
            Err(UrlError::Bad("space or control character in the path"))
        );
    }
}
