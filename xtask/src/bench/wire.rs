//! The load generator's HTTP/1.1 client: a blocking `std::net::TcpStream`, requests written as
//! bytes built before the measured window, and answers parsed only as far as framing needs (the
//! status line, `Content-Length`, `Transfer-Encoding: chunked`, `Connection: close`), with the
//! whole body read off the socket. One request in flight per connection, keep-alive.
//!
//! It exists because a general client (hyper, reqwest) spends more CPU per request than the
//! servers it measures can afford to share two cores with (docs/benchmarks.md, "The load
//! generator"). It must not grow into one: no redirects, no pipelining, no TLS, no compression.
//! What the servers under test send is all it handles: expense-server (axum) answers with
//! `Content-Length`; PocketBase (Go's net/http) answers large bodies, such as a list page, chunked.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use anyhow::{Context, bail};

/// How many bytes a response head may take before the answer counts as broken.
const MAX_HEAD: usize = 64 * 1024;
/// The read buffer's starting size: a list page of 50 (≈ 15 KiB) fits in one read.
const BUFFER: usize = 64 * 1024;

/// One request, as every load generator (ours, wrk, the hyper-based one) sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSpec {
    pub method: &'static str,
    /// Path and query, already URL-encoded.
    pub path: String,
    /// The whole `Authorization` value (`Bearer …`), if any.
    pub authorization: Option<String>,
    /// A JSON body, if any.
    pub body: Option<String>,
}

impl RequestSpec {
    pub fn get(path: impl Into<String>, authorization: Option<&str>) -> Self {
        Self {
            method: "GET",
            path: path.into(),
            authorization: authorization.map(str::to_owned),
            body: None,
        }
    }

    pub fn post_json(path: impl Into<String>, authorization: Option<&str>, body: String) -> Self {
        Self {
            method: "POST",
            path: path.into(),
            authorization: authorization.map(str::to_owned),
            body: Some(body),
        }
    }

    /// The request on the wire, for a server reached as `host`.
    pub fn to_bytes(&self, host: &str) -> Vec<u8> {
        let mut head = format!("{} {} HTTP/1.1\r\nHost: {host}\r\n", self.method, self.path);
        if let Some(authorization) = &self.authorization {
            head.push_str(&format!("Authorization: {authorization}\r\n"));
        }
        match &self.body {
            Some(body) => head.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )),
            None => head.push_str("\r\n"),
        }
        head.into_bytes()
    }
}

/// How a response's body ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// After this many bytes (`Content-Length`, or 0 for 1xx, 204 and 304).
    Length(usize),
    /// At the zero-sized chunk and the trailers after it.
    Chunked,
    /// When the server closes the connection (neither header given).
    UntilClose,
}

/// What the head of a response says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub status: u16,
    /// Bytes of the status line and headers, including the empty line that ends them.
    pub length: usize,
    pub framing: Framing,
    /// Whether the server will close the connection after this answer.
    pub close: bool,
}

/// Parses a response head at the start of `bytes`: `None` until the empty line ending it has
/// arrived.
pub fn parse_head(bytes: &[u8]) -> anyhow::Result<Option<Head>> {
    let Some(end) = find(bytes, b"\r\n\r\n") else {
        if bytes.len() > MAX_HEAD {
            bail!("no end of the response head within {MAX_HEAD} bytes");
        }
        return Ok(None);
    };
    let text = std::str::from_utf8(&bytes[..end]).context("a response head that is not UTF-8")?;
    let mut lines = text.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    let http_10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => bail!("not an HTTP/1.x status line: {status_line:?}"),
    };
    let status: u16 = parts
        .next()
        .and_then(|code| code.parse().ok())
        .filter(|code| (100..600).contains(code))
        .with_context(|| format!("no status code in {status_line:?}"))?;
    let mut content_length = None;
    let mut chunked = false;
    let mut close = http_10;
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .with_context(|| format!("a header line without a colon: {line:?}"))?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            let length: usize = value
                .parse()
                .with_context(|| format!("an unreadable Content-Length: {value:?}"))?;
            if content_length.is_some_and(|seen| seen != length) {
                bail!("two different Content-Length headers");
            }
            content_length = Some(length);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // Chunked must be the last coding applied; anything else is read until close.
            chunked = value
                .rsplit(',')
                .next()
                .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"));
            if !chunked {
                bail!("an unsupported Transfer-Encoding: {value:?}");
            }
        } else if name.eq_ignore_ascii_case("connection") {
            for token in value.split(',').map(str::trim) {
                if token.eq_ignore_ascii_case("close") {
                    close = true;
                } else if token.eq_ignore_ascii_case("keep-alive") && http_10 {
                    close = false;
                }
            }
        }
    }
    let framing = if status < 200 || status == 204 || status == 304 {
        Framing::Length(0)
    } else if chunked {
        Framing::Chunked
    } else if let Some(length) = content_length {
        Framing::Length(length)
    } else {
        Framing::UntilClose
    };
    Ok(Some(Head {
        status,
        length: end + 4,
        framing,
        close: close || framing == Framing::UntilClose,
    }))
}

/// Finds where a chunked body ends as its bytes arrive, without copying them. Each call resumes
/// at the first chunk it could not finish last time.
#[derive(Debug, Default, Clone, Copy)]
pub struct ChunkedBody {
    /// Where the next chunk-size line starts, from the start of the body.
    next: usize,
    /// Bytes of data in the chunks passed so far.
    data: usize,
}

impl ChunkedBody {
    /// `Some((raw, data))` once `body` (everything after the head received so far) holds the
    /// whole body: `raw` bytes on the wire, `data` of them content; `None` while more must come.
    pub fn end(&mut self, body: &[u8]) -> anyhow::Result<Option<(usize, usize)>> {
        loop {
            let rest = &body[self.next..];
            let Some(line_end) = find(rest, b"\r\n") else {
                if rest.len() > 1024 {
                    bail!("a chunk-size line longer than 1 KiB");
                }
                return Ok(None);
            };
            let line =
                std::str::from_utf8(&rest[..line_end]).context("a chunk-size line that is not UTF-8")?;
            let digits = line.split(';').next().unwrap_or_default().trim();
            let size = usize::from_str_radix(digits, 16)
                .with_context(|| format!("an unreadable chunk size: {line:?}"))?;
            let data_start = self.next + line_end + 2;
            if size == 0 {
                // Trailers, if any, end with an empty line; without them only the empty line comes.
                let trailers = &body[data_start..];
                if trailers.starts_with(b"\r\n") {
                    return Ok(Some((data_start + 2, self.data)));
                }
                return Ok(find(trailers, b"\r\n\r\n").map(|end| (data_start + end + 4, self.data)));
            }
            let data_end = data_start + size;
            if body.len() < data_end + 2 {
                return Ok(None);
            }
            if &body[data_end..data_end + 2] != b"\r\n" {
                bail!("a chunk not followed by CRLF");
            }
            self.data += size;
            self.next = data_end + 2;
        }
    }
}

/// The content of a chunked body (for checks and tests; the load generator never copies bodies).
pub fn dechunk(mut raw: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut data = Vec::new();
    loop {
        let line_end = find(raw, b"\r\n").context("a chunked body cut short")?;
        let line = std::str::from_utf8(&raw[..line_end])?;
        let size = usize::from_str_radix(line.split(';').next().unwrap_or_default().trim(), 16)?;
        raw = &raw[line_end + 2..];
        if size == 0 {
            return Ok(data);
        }
        data.extend_from_slice(raw.get(..size).context("a chunk cut short")?);
        raw = raw.get(size + 2..).context("a chunk cut short")?;
    }
}

/// One answer, as read by [`Connection::exchange`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// Bytes of content in the body (after removing chunk framing).
    pub body_length: usize,
    /// Whether the connection must be opened again before the next request.
    pub close: bool,
    /// How the body was framed.
    pub framing: Framing,
}

impl Answer {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// One keep-alive connection with a reusable read buffer.
pub struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
    /// Where the last answer's head and body are in `buffer`.
    last: (Head, usize),
}

impl Connection {
    /// Connects to `address`; any read or write taking longer than `timeout` fails.
    pub fn open(address: SocketAddr, timeout: Duration) -> anyhow::Result<Self> {
        let stream = TcpStream::connect_timeout(&address, timeout)
            .with_context(|| format!("cannot connect to {address}"))?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        Ok(Self {
            stream,
            buffer: vec![0; BUFFER],
            last: (
                Head {
                    status: 0,
                    length: 0,
                    framing: Framing::Length(0),
                    close: false,
                },
                0,
            ),
        })
    }

    /// Writes `request` (a whole request, see [`RequestSpec::to_bytes`]) and reads the whole
    /// answer.
    pub fn exchange(&mut self, request: &[u8]) -> anyhow::Result<Answer> {
        self.stream
            .write_all(request)
            .context("cannot send the request")?;
        let mut filled = 0;
        let mut head: Option<Head> = None;
        let mut chunked = ChunkedBody::default();
        loop {
            if filled == self.buffer.len() {
                let grown = self.buffer.len() * 2;
                self.buffer.resize(grown, 0);
            }
            let read = self
                .stream
                .read(&mut self.buffer[filled..])
                .with_context(|| format!("cannot read the answer ({filled} bytes in)"))?;
            if read == 0 {
                return match head.filter(|head| head.framing == Framing::UntilClose) {
                    Some(head) => Ok(self.finish(head, filled - head.length, filled - head.length)),
                    None => bail!("the server closed the connection after {filled} bytes of the answer"),
                };
            }
            filled += read;
            loop {
                if head.is_none() {
                    head = parse_head(&self.buffer[..filled])?;
                }
                let Some(current) = head else {
                    break;
                };
                let body = &self.buffer[current.length..filled];
                let done = match current.framing {
                    Framing::Length(length) if body.len() >= length => Some((length, length)),
                    Framing::Length(_) | Framing::UntilClose => None,
                    Framing::Chunked => chunked.end(body)?,
                };
                let Some((raw, data)) = done else {
                    break;
                };
                let end = current.length + raw;
                if (100..200).contains(&current.status) && current.status != 101 {
                    // An interim answer (100 Continue, 103 Early Hints): the real one follows.
                    self.buffer.copy_within(end..filled, 0);
                    filled -= end;
                    head = None;
                    chunked = ChunkedBody::default();
                    continue;
                }
                if end < filled {
                    bail!("{} unexpected bytes after the answer", filled - end);
                }
                return Ok(self.finish(current, raw, data));
            }
        }
    }

    fn finish(&mut self, head: Head, raw: usize, data: usize) -> Answer {
        self.last = (head, raw);
        Answer {
            status: head.status,
            body_length: data,
            close: head.close,
            framing: head.framing,
        }
    }

    /// The content of the last answer's body (chunk framing removed).
    pub fn last_body(&self) -> anyhow::Result<Vec<u8>> {
        let (head, raw) = self.last;
        let body = &self.buffer[head.length..head.length + raw];
        match head.framing {
            Framing::Chunked => dechunk(body),
            Framing::Length(_) | Framing::UntilClose => Ok(body.to_vec()),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader};
    use std::net::TcpListener;

    use super::*;

    fn head(text: &str) -> Head {
        parse_head(text.as_bytes()).unwrap().expect("a whole head")
    }

    #[test]
    fn reads_what_axum_sends() {
        let text = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\nlocation: /v1/expenses/1\r\n\
                    content-length: 12\r\ndate: Mon, 07 Dec 2026 10:00:00 GMT\r\n\r\n{\"id\":\"1\"}..";
        let parsed = head(text);
        assert_eq!(parsed.status, 201);
        assert_eq!(parsed.framing, Framing::Length(12));
        assert!(!parsed.close);
        assert_eq!(&text[parsed.length..], "{\"id\":\"1\"}..");
    }

    #[test]
    fn reads_what_go_sends_for_large_bodies() {
        let parsed = head(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: x\r\nTransfer-Encoding: chunked\r\n\r\n",
        );
        assert_eq!(parsed.framing, Framing::Chunked);
        assert!(!parsed.close);
    }

    #[test]
    fn waits_for_the_whole_head() {
        assert_eq!(parse_head(b"HTTP/1.1 200 OK\r\nContent-Le").unwrap(), None);
        assert_eq!(parse_head(b"").unwrap(), None);
    }

    #[test]
    fn knows_when_the_server_will_close() {
        assert!(head("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").close);
        assert!(head("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").close);
        assert!(!head("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n").close);
        let until_close = head("HTTP/1.1 200 OK\r\n\r\n");
        assert_eq!(until_close.framing, Framing::UntilClose);
        assert!(until_close.close);
    }

    #[test]
    fn some_statuses_have_no_body() {
        for status in ["204 No Content", "304 Not Modified", "100 Continue"] {
            let parsed = head(&format!("HTTP/1.1 {status}\r\nContent-Length: 10\r\n\r\n"));
            assert_eq!(parsed.framing, Framing::Length(0), "{status}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_frame() {
        for text in [
            "HTTP/2 200\r\n\r\n",
            "HTTP/1.1 abc OK\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
            "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
        ] {
            assert!(parse_head(text.as_bytes()).is_err(), "{text:?}");
        }
        assert!(parse_head(&vec![b'a'; MAX_HEAD + 1]).is_err());
    }

    #[test]
    fn finds_the_end_of_a_chunked_body_in_pieces() {
        let body = b"5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n";
        for split in 0..body.len() {
            let mut chunked = ChunkedBody::default();
            assert_eq!(chunked.end(&body[..split]).unwrap(), None, "split at {split}");
            assert_eq!(
                chunked.end(body).unwrap(),
                Some((body.len(), 12)),
                "split at {split}"
            );
        }
        assert_eq!(dechunk(body).unwrap(), b"hello, world");
    }

    #[test]
    fn reads_trailers_and_refuses_broken_chunks() {
        let with_trailers = b"3\r\nabc\r\n0\r\nX-Check: 1\r\n\r\n";
        let mut chunked = ChunkedBody::default();
        assert_eq!(
            chunked.end(with_trailers).unwrap(),
            Some((with_trailers.len(), 3))
        );
        assert!(ChunkedBody::default().end(b"zz\r\n").is_err());
        assert!(ChunkedBody::default().end(b"3\r\nabcXY0\r\n\r\n").is_err());
    }

    #[test]
    fn builds_requests_with_their_length() {
        let post = RequestSpec::post_json("/v1/expenses", Some("Bearer t"), "{\"a\":1}".to_owned());
        assert_eq!(
            String::from_utf8(post.to_bytes("127.0.0.1:8080")).unwrap(),
            "POST /v1/expenses HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAuthorization: Bearer t\r\n\
             Content-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}"
        );
        let get = RequestSpec::get("/readyz", None);
        assert_eq!(
            String::from_utf8(get.to_bytes("h")).unwrap(),
            "GET /readyz HTTP/1.1\r\nHost: h\r\n\r\n"
        );
    }

    /// A server answering each request with the next canned answer, in pieces of `piece` bytes.
    fn serve(answers: Vec<&'static [u8]>, piece: usize) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut writer = stream;
            for answer in answers {
                let mut line = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                        break;
                    }
                }
                for chunk in answer.chunks(piece) {
                    writer.write_all(chunk).unwrap();
                    writer.flush().unwrap();
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        });
        address
    }

    #[test]
    fn reads_whole_answers_off_a_socket_however_they_arrive() {
        let length = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        let chunked =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        let no_content = b"HTTP/1.1 204 No Content\r\n\r\n";
        let interim = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
        let until_close = b"HTTP/1.1 500 Oops\r\nConnection: close\r\n\r\nbroken";
        for piece in [1, 7, 4096] {
            let address = serve(vec![length, chunked, no_content, interim, until_close], piece);
            let mut connection = Connection::open(address, Duration::from_secs(5)).unwrap();
            let request = RequestSpec::get("/", None).to_bytes("h");
            let answer = connection.exchange(&request).unwrap();
            assert_eq!((answer.status, answer.body_length, answer.close), (200, 5, false));
            assert_eq!(connection.last_body().unwrap(), b"hello");
            let answer = connection.exchange(&request).unwrap();
            assert_eq!((answer.status, answer.body_length), (200, 5));
            assert_eq!(answer.framing, Framing::Chunked);
            assert_eq!(connection.last_body().unwrap(), b"abcde");
            let answer = connection.exchange(&request).unwrap();
            assert_eq!((answer.status, answer.body_length), (204, 0));
            let answer = connection.exchange(&request).unwrap();
            assert_eq!((answer.status, answer.body_length), (201, 2));
            assert_eq!(connection.last_body().unwrap(), b"ok");
            let answer = connection.exchange(&request).unwrap();
            assert_eq!((answer.status, answer.body_length, answer.close), (500, 6, true));
            assert!(!answer.is_success());
            assert_eq!(connection.last_body().unwrap(), b"broken");
        }
    }

    #[test]
    fn a_closed_connection_is_an_error() {
        let address = serve(vec![b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"], 4096);
        let mut connection = Connection::open(address, Duration::from_secs(5)).unwrap();
        let error = connection
            .exchange(&RequestSpec::get("/", None).to_bytes("h"))
            .unwrap_err();
        assert!(
            format!("{error:#}").contains("closed the connection"),
            "{error:#}"
        );
    }
}
