//! The `Bounce` model: what one message says, reduced to what the list, the detail pane and the
//! reports need. Untrusted text in it is already sanitised for display.

use serde::Serialize;

/// What kind of automatic message this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A non-delivery report (at least one failed or delayed recipient).
    Bounce,
    /// An auto-reply (RFC 3834): out of office, vacation.
    Vacation,
    /// A feedback-loop report (RFC 5965 ARF).
    Feedback,
    /// A successful-delivery report.
    Delivered,
}

/// The four verdicts of SPEC.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Real,
    Backscatter,
    Abuse,
    #[default]
    Undetermined,
}

impl Verdict {
    pub const ALL: [Verdict; 4] = [Verdict::Real, Verdict::Backscatter, Verdict::Abuse, Verdict::Undetermined];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Real => "real",
            Verdict::Backscatter => "backscatter",
            Verdict::Abuse => "abuse",
            Verdict::Undetermined => "undetermined",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// One failed (or delayed, delivered…) recipient of a bounce.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Recipient {
    pub address: String,
    /// RFC 3463 code, empty when unknown.
    pub status: String,
    /// SMTP reply code, empty when unknown.
    pub reply_code: String,
    /// Reason name from SPEC.md.
    pub reason: String,
    pub hard: bool,
    /// The key diagnostic line (sanitised, one line).
    pub diagnostic: String,
    /// DSN `Action` (lower case) or empty.
    pub action: String,
    /// SMTP command the error answered (`RCPT`, `DATA`, …) or empty.
    pub command: String,
    pub remote_mta: String,
}

/// Headers of the returned original that the verdict and the detail pane use.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OriginalInfo {
    pub message_id: String,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub date: String,
    pub return_path: String,
    /// Received header values, top (newest) first.
    pub received: Vec<String>,
    /// `d=` / `s=` pairs of DKIM-Signature headers.
    pub dkim: Vec<(String, String)>,
    pub authentication_results: String,
    pub x_authenticated_sender: String,
    /// How it was found: `message/rfc822`, `text/rfc822-headers`, `inline`.
    pub found_as: String,
}

/// Evidence for a verdict: a signal id and a sentence a person can read. The same sentences
/// recur across thousands of bounces, so the text is shared.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Evidence {
    pub signal: &'static str,
    pub text: std::sync::Arc<str>,
}

/// One analysed message.
#[derive(Debug, Clone, Serialize)]
pub struct Bounce {
    pub source: String,
    /// Maildir++ folder or mbox name the message came from.
    pub folder: String,
    pub kind: Kind,
    /// Date header of the bounce, as Unix seconds (0 when missing or unparsable).
    pub date: i64,
    pub from: String,
    /// The bounce's own recipient (normally the mailbox owner).
    pub to: String,
    /// Where the bounce was delivered (X-Original-To / Delivered-To, else To).
    pub delivered_to: String,
    pub subject: String,
    pub reporting_mta: String,
    pub recipients: Vec<Recipient>,
    pub original: Option<OriginalInfo>,
    pub verdict: Verdict,
    pub evidence: Vec<Evidence>,
}

impl Bounce {
    /// The domain of a recipient address, lower case.
    pub fn domain(address: &str) -> String {
        address.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase()).unwrap_or_default()
    }
}
