//! Raw bytes → a flat, owned view of a message: top headers, decoded text parts, and the
//! returned original (if the bounce carries one as `message/rfc822` or `text/rfc822-headers`).

use crate::header::{Headers, header_block, normalize_newlines, utf8_lossy};
use mail_parser::{MessageParser, MimeHeaders, PartType};
use std::borrow::Cow;

/// A decoded leaf part of the bounce (outside the returned original).
#[derive(Debug, Clone)]
pub struct Part {
    /// `type/subtype`, lower case.
    pub ctype: String,
    /// Decoded text with `\n` line ends (binary parts are lossily decoded).
    pub text: String,
}

/// The returned original message (headers, and a body excerpt when it came whole).
#[derive(Debug, Clone, Default)]
pub struct Original {
    pub headers: Headers,
    /// How the original was found: `message/rfc822`, `text/rfc822-headers`, `inline`.
    pub found_as: String,
}

/// A parsed message.
#[derive(Debug, Clone, Default)]
pub struct Mail {
    pub headers: Headers,
    /// Decoded Subject.
    pub subject: String,
    /// `type/subtype` of the top level, lower case.
    pub content_type: String,
    /// `report-type` parameter of a `multipart/report`, lower case.
    pub report_type: String,
    pub parts: Vec<Part>,
    pub original: Option<Original>,
    /// Date header as Unix seconds (0 when missing or unparsable).
    pub date: i64,
    /// The part tree was deeper or larger than we follow.
    pub overflow: bool,
    /// A message that is not itself a report but carries one as an attached `message/rfc822`
    /// (a bounce forwarded as an attachment, a gateway's wrapper): the attached message's bytes.
    pub wrapped_report: Option<Vec<u8>>,
}

/// Limits on hostile structure: past them the rest is ignored (and `overflow` set).
const MAX_PARTS: usize = 2_000;
const MAX_PART_TEXT: usize = 2 * 1024 * 1024;

fn normalize_text(s: Cow<'_, str>) -> String {
    if !s.contains('\r') {
        return s.into_owned();
    }
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// The parser reads only what it needs: the MIME structure, Subject and Date. Every other field
/// comes from [`Headers::parse`]; parsing Received chains and address lists twice would double
/// the cost of a bounce.
static PARSER: std::sync::LazyLock<MessageParser> = std::sync::LazyLock::new(|| {
    MessageParser::new()
        .with_mime_headers()
        .header_text(mail_parser::HeaderName::Subject)
        .header_date(mail_parser::HeaderName::Date)
        .default_header_ignore()
});

/// Parse raw bytes (any line ends) into a [`Mail`]. Returns `None` when there is no header at all.
pub fn parse(raw: &[u8]) -> Option<Mail> {
    crate::ui_thread::forbid("parsing a message");
    let data = normalize_newlines(raw);
    // An mbox envelope line (`From sender date`) is not a header: skip it.
    let data: Cow<'_, [u8]> = if data.starts_with(b"From ") {
        match memchr::memchr(b'\n', &data) {
            Some(i) => Cow::Owned(data[i + 1..].to_vec()),
            None => data,
        }
    } else {
        data
    };
    let headers = Headers::parse(&header_block(&data));
    if headers.is_empty() {
        return None;
    }
    let trimmed = parser_input(&data);
    let message = PARSER.parse(trimmed.as_deref().unwrap_or(&data))?;
    let mut mail = Mail {
        subject: message.subject().map(crate::text::one_line).unwrap_or_default(),
        date: message.date().map(|d| d.to_timestamp()).unwrap_or(0),
        headers,
        ..Default::default()
    };
    if let Some(ct) = message.root_part().content_type() {
        mail.content_type = mime_name(ct.ctype(), ct.subtype());
        mail.report_type = ct.attribute("report-type").unwrap_or("").to_ascii_lowercase();
    }
    for (i, part) in message.parts.iter().enumerate() {
        if i >= MAX_PARTS {
            mail.overflow = true;
            break;
        }
        let ctype = part
            .content_type()
            .map(|ct| mime_name(ct.ctype(), ct.subtype()))
            .unwrap_or_else(|| "text/plain".to_string());
        match &part.body {
            PartType::Multipart(_) => {}
            PartType::Message(inner) => {
                let raw_inner = inner.raw_message();
                if mail.wrapped_report.is_none()
                    && mail.content_type != "multipart/report"
                    && looks_like_report(raw_inner)
                {
                    mail.wrapped_report = Some(raw_inner.to_vec());
                }
                if mail.original.is_none() {
                    let block = header_block(raw_inner);
                    mail.original = Some(Original { headers: Headers::parse(&block), found_as: ctype.clone() });
                }
            }
            PartType::Text(t) | PartType::Html(t) => {
                let mut text = normalize_text(Cow::Borrowed(t.as_ref()));
                cap(&mut text);
                if (ctype == "text/rfc822-headers" || ctype == "message/global-headers") && mail.original.is_none() {
                    mail.original = Some(Original { headers: Headers::parse(&text), found_as: ctype.clone() });
                }
                let text = if matches!(part.body, PartType::Html(_)) { html_to_text(&text) } else { text };
                mail.parts.push(Part { ctype, text });
            }
            PartType::Binary(b) | PartType::InlineBinary(b) => {
                // message/delivery-status, message/global-headers … arrive as bytes.
                if ctype.starts_with("message/") || ctype.starts_with("text/") {
                    let mut text = normalize_text(utf8_lossy(b));
                    cap(&mut text);
                    if ctype == "message/global-headers" && mail.original.is_none() {
                        mail.original = Some(Original { headers: Headers::parse(&text), found_as: ctype.clone() });
                    }
                    mail.parts.push(Part { ctype, text });
                }
            }
        }
    }
    // A multipart whose boundaries are missing yields no text: fall back to the raw body.
    if !mail.parts.iter().any(|p| p.ctype.starts_with("text/") || p.ctype.contains("delivery-status"))
        && let Some(start) = memchr::memmem::find(&data, b"\n\n")
    {
        let mut text = utf8_lossy(&data[start + 2..]).into_owned();
        cap(&mut text);
        mail.parts.push(Part { ctype: "text/plain".into(), text });
    }
    Some(mail)
}

/// The fields of the top header that [`PARSER`] reads: the MIME fields, Subject and Date. The
/// rest ([`Headers::parse`] reads them) would only be scanned and dropped.
const PARSER_FIELDS: [&[u8]; 3] = [b"content-", b"subject:", b"date:"];

/// The message with only the [`PARSER_FIELDS`] of its top header (and their folded lines), then
/// the blank line and the body as they are: a bounce's Received, DKIM and ARC fields are often
/// the larger part of its header. `None` (parse the message as it is) unless every header line is
/// a plain field or its continuation and a blank line ends the header: elsewhere the parser may
/// read the header otherwise (a first line indented, a message that is all header).
fn parser_input(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    let mut keep = false;
    let mut at = 0;
    while at < data.len() {
        let end = memchr::memchr(b'\n', &data[at..]).map_or(data.len(), |i| at + i + 1);
        let line = &data[at..end];
        if line == b"\n" {
            out.extend_from_slice(&data[at..]);
            return Some(out);
        }
        if line[0] == b' ' || line[0] == b'\t' {
            if at == 0 || line.trim_ascii().is_empty() {
                return None;
            }
        } else {
            let colon = memchr::memchr(b':', line)?;
            if colon == 0 || !line[..colon].iter().all(|b| b.is_ascii_graphic()) {
                return None;
            }
            keep = PARSER_FIELDS.iter().any(|f| crate::prefilter::starts_with_ci(line, f));
        }
        if keep {
            out.extend_from_slice(line);
        }
        at = end;
    }
    None
}

/// Does an attached message look like a delivery report by its header alone (a report
/// content type, a null or daemon sender, a bounce subject)? Only such attachments are unwrapped.
fn looks_like_report(raw: &[u8]) -> bool {
    // The header first look of a scan, which allocates nothing: the attached message is only
    // unwrapped later if its analysis finds a bounce.
    crate::prefilter::candidate(&raw[..crate::prefilter::header_end(raw).unwrap_or(raw.len())])
}

fn cap(text: &mut String) {
    text.truncate(text.floor_char_boundary(MAX_PART_TEXT));
}

/// `type/subtype` in lower case, made in one allocation (it is made for every part).
fn mime_name(ctype: &str, sub: Option<&str>) -> String {
    let mut name = String::with_capacity(ctype.len() + sub.map_or(0, |s| s.len() + 1));
    name.push_str(ctype);
    if let Some(sub) = sub {
        name.push('/');
        name.push_str(sub);
    }
    name.make_ascii_lowercase();
    name
}

/// A rough HTML → text conversion: tags dropped, block ends become new lines, common entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut skip_until: Option<&str> = None;
    while let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) {
        if skip_until.is_none() {
            out.push_str(&rest[..lt]);
        }
        let after = &rest[lt + 1..];
        // An unclosed tag runs to the end of the text.
        let (tag, gt) = match memchr::memchr(b'>', after.as_bytes()) {
            Some(g) => (&after[..g], g + 1),
            None => (after, after.len()),
        };
        let tag = tag.trim();
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/');
        let name = &body[..body.bytes().take_while(u8::is_ascii_alphanumeric).count()];
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        if let Some(end) = skip_until {
            if closing && is(end) {
                skip_until = None;
            }
        } else if let Some(skipped) = ["style", "script", "head"].into_iter().find(|n| is(n)) {
            if !closing && !tag.ends_with('/') {
                skip_until = Some(skipped);
            }
        } else if ["br", "p", "div", "tr", "li", "h1", "h2", "h3", "table", "pre"].into_iter().any(is) {
            out.push('\n');
        } else if is("td") || is("th") {
            out.push(' ');
        }
        rest = &after[gt..];
    }
    if skip_until.is_none() {
        out.push_str(rest);
    }
    let decoded = if out.contains('&') {
        out.replace("&nbsp;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    } else {
        out
    };
    // Collapse runs of blank lines and trailing spaces.
    let mut text = String::with_capacity(decoded.len());
    let mut blank = 0;
    for line in crate::lines::lines(&decoded) {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        text.push_str(line.trim_start_matches([' ', '\t']));
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_tag_ending_in_a_multibyte_character_is_dropped() {
        // Found by the soak run: the tag's last byte was taken as its '>'.
        assert_eq!(html_to_text("550 user unknown</html\u{fffd}").trim_end(), "550 user unknown");
        assert_eq!(html_to_text("<p>a<b").trim(), "a");
    }

    #[test]
    fn unfolds_and_lowercases() {
        let h = Headers::parse("Subject: a\n b\nX-Thing:c\n\nbody: no\n");
        assert_eq!(h.get("subject"), Some("a b"));
        assert_eq!(h.get("x-thing"), Some("c"));
        assert_eq!(h.get("body"), None);
    }

    #[test]
    fn newlines_normalised() {
        assert_eq!(normalize_newlines(b"a\r\nb\rc\n").as_ref(), b"a\nb\nc\n");
        assert_eq!(normalize_newlines(b"\r\r\nx\r").as_ref(), b"\n\nx\n");
        assert_eq!(normalize_newlines(b"x\r\n\r\n").as_ref(), b"x\n\n");
    }

    #[test]
    fn parses_dsn_parts_and_original() {
        let raw = "From: MAILER-DAEMON@x.example\nSubject: Undelivered\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nhello\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x.example\n\nFinal-Recipient: rfc822; a@y.example\nAction: failed\nStatus: 5.1.1\n--b\nContent-Type: message/rfc822\n\nMessage-ID: <m1@x.example>\nFrom: me@x.example\n\nbody\n--b--\n";
        let m = parse(raw.as_bytes()).unwrap();
        assert_eq!(m.content_type, "multipart/report");
        assert_eq!(m.report_type, "delivery-status");
        assert!(m.parts.iter().any(|p| p.ctype == "message/delivery-status" && p.text.contains("Status: 5.1.1")));
        assert_eq!(m.original.unwrap().headers.get("message-id"), Some("<m1@x.example>"));
    }

    #[test]
    fn the_parser_reads_an_indented_first_line_and_a_message_without_body_as_before() {
        // The parser takes a first line indented as a field of its own.
        assert_eq!(parse(b" Subject: Undelivered\nFrom: a@x.example\n\nbody\n").unwrap().subject, "Undelivered");
        // All header, no blank line (a cut message): still a message.
        let m = parse(b"From: MAILER-DAEMON@x.example\nTo: y@x.example\n").unwrap();
        assert_eq!(m.headers.get("from"), Some("MAILER-DAEMON@x.example"));
        // Fields the parser reads, among others it does not.
        let m = parse(b"Received: from a\n by b\nSubject: =?utf-8?q?Unzustellbar?=\nX-A: 1\nContent-Type: multipart/report;\n boundary=\"b\"\nDate: Tue, 1 Dec 2026 10:00:00 +0000\n\n--b\nContent-Type: text/plain\n\nhello\n--b--\n").unwrap();
        assert_eq!(
            (m.subject.as_str(), m.content_type.as_str(), m.date),
            ("Unzustellbar", "multipart/report", 1796119200)
        );
        assert!(m.parts.iter().any(|p| p.text.contains("hello")));
    }

    #[test]
    fn html_tags_are_read_in_any_case() {
        let t = html_to_text(
            "<HTML><HEAD><TITLE>t</TITLE></HEAD><BODY>550 user<BR/>unknown<TABLE><TR><TD>a</TD><Td>b</tD></TR></TABLE><SCRIPT>x()</SCRIPT>end &lt;ok&gt;</BODY>",
        );
        assert_eq!(t, "550 user\nunknown\n\na  b\n\nend <ok>\n");
    }

    #[test]
    fn html_becomes_text() {
        let t = html_to_text("<html><head><style>p{}</style></head><body><p>Hello &amp; bye</p><br>x</body></html>");
        assert!(t.contains("Hello & bye"));
        assert!(!t.contains("p{}"));
    }
}
