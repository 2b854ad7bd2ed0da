//! The `Bounce` model: what one message says, reduced to what the list, the detail pane and the
//! reports need. Untrusted text in it is already sanitised for display.

use serde::Serialize;

/// Text in the model: strings of up to 24 bytes (codes, statuses, reasons, most addresses and
/// host names) live inside the struct without a heap allocation of their own.
pub type Text = compact_str::CompactString;

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

/// What decided a recipient's reason (SPEC.md `decided_by`), in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default, Hash)]
#[serde(rename_all = "snake_case")]
pub enum DecidedBy {
    /// A provider's or MTA's code table or documented text (`decisive` rules).
    Provider,
    /// A phrase rule of the diagnostic text.
    Phrase,
    /// The enhanced status code (RFC 3463), or its class and subject.
    Status,
    /// The SMTP reply code alone.
    ReplyCode,
    /// Nothing specific: the fallback (`onhold`, `undefined`, or what the report's form implies).
    #[default]
    Default,
}

impl DecidedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            DecidedBy::Provider => "provider",
            DecidedBy::Phrase => "phrase",
            DecidedBy::Status => "status",
            DecidedBy::ReplyCode => "reply_code",
            DecidedBy::Default => "default",
        }
    }

    /// Decided by a code alone or by the fallback: an answer worth double-checking.
    pub fn is_unsure(self) -> bool {
        matches!(self, DecidedBy::Status | DecidedBy::ReplyCode | DecidedBy::Default)
    }
}

/// One failed (or delayed, delivered…) recipient of a bounce.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Recipient {
    pub address: Text,
    /// RFC 3463 code, empty when unknown.
    pub status: Text,
    /// SMTP reply code, empty when unknown.
    pub reply_code: Text,
    /// Reason name from SPEC.md.
    pub reason: Text,
    pub hard: bool,
    /// The key diagnostic line (sanitised, one line).
    pub diagnostic: Text,
    /// DSN `Action` (lower case) or empty.
    pub action: Text,
    /// SMTP command the error answered (`RCPT`, `DATA`, …) or empty.
    pub command: Text,
    pub remote_mta: Text,
    /// What decided `reason`.
    pub decided_by: DecidedBy,
    /// The block list that refused the mail (`spamhaus-zen`), and what it lists; empty for none.
    pub blocklist: Text,
    pub listed: Text,
    /// The phrase rule that decided: its index in `Rules::phrases` plus one; 0 for none.
    #[serde(skip)]
    pub rule: u32,
}

/// Headers of the returned original that the verdict and the detail pane use.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OriginalInfo {
    pub message_id: Text,
    pub from: Text,
    pub to: Text,
    pub subject: Text,
    pub date: Text,
    /// How it was found: `message/rfc822`, `text/rfc822-headers`, `inline`.
    pub found_as: Text,
    /// The sender-side trace the verdict reads; `None` when the original carries none of it
    /// (only headers are returned, or a minimal copy), which costs one pointer.
    /// Shared, not copied, by the verdict's [`crate::verdict::Case`].
    pub trace: Option<std::sync::Arc<Trace>>,
}

/// Return-Path, Received chain, DKIM signatures and authentication results of an original.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Trace {
    pub return_path: Text,
    /// Received header values, top (newest) first.
    pub received: Vec<Text>,
    /// `d=` / `s=` pairs of DKIM-Signature headers.
    pub dkim: Vec<(Text, Text)>,
    pub authentication_results: Text,
    pub x_authenticated_sender: Text,
}

static NO_TRACE: Trace = Trace {
    return_path: Text::const_new(""),
    received: Vec::new(),
    dkim: Vec::new(),
    authentication_results: Text::const_new(""),
    x_authenticated_sender: Text::const_new(""),
};

impl Trace {
    pub fn is_empty(&self) -> bool {
        self.return_path.is_empty()
            && self.received.is_empty()
            && self.dkim.is_empty()
            && self.authentication_results.is_empty()
            && self.x_authenticated_sender.is_empty()
    }
}

impl OriginalInfo {
    /// The trace headers (empty when there are none).
    pub fn trace(&self) -> &Trace {
        self.trace.as_deref().unwrap_or(&NO_TRACE)
    }

    /// Set the trace, keeping nothing when it is empty.
    pub fn set_trace(&mut self, trace: Trace) {
        self.trace = (!trace.is_empty()).then(|| std::sync::Arc::new(trace));
    }
}

/// What a verdict's evidence line stands for: one of the signals of `verdict::signals`, or
/// `Verdict`, the decision's own note (why abuse, what is missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Signal {
    SentMid,
    SentFuzzy,
    SentNear,
    KnownRcpt,
    BatvTag,
    Handoff,
    RelayMention,
    ArDkimPass,
    DkimOwn,
    ClientKnown,
    SentAbsent,
    UnknownRcpt,
    Burst,
    Catchall,
    BatvMissing,
    AuthfailDsn,
    ArFail,
    NoOwnRelay,
    ForgedHelo,
    ForeignAuth,
    EnvMismatch,
    DateFuture,
    DateOld,
    OwnAuth,
    ClientForeign,
    #[default]
    Verdict,
}

impl Signal {
    /// Every signal, in the order of the names below.
    pub const ALL: [Signal; 26] = [
        Signal::SentMid,
        Signal::SentFuzzy,
        Signal::SentNear,
        Signal::KnownRcpt,
        Signal::BatvTag,
        Signal::Handoff,
        Signal::RelayMention,
        Signal::ArDkimPass,
        Signal::DkimOwn,
        Signal::ClientKnown,
        Signal::SentAbsent,
        Signal::UnknownRcpt,
        Signal::Burst,
        Signal::Catchall,
        Signal::BatvMissing,
        Signal::AuthfailDsn,
        Signal::ArFail,
        Signal::NoOwnRelay,
        Signal::ForgedHelo,
        Signal::ForeignAuth,
        Signal::EnvMismatch,
        Signal::DateFuture,
        Signal::DateOld,
        Signal::OwnAuth,
        Signal::ClientForeign,
        Signal::Verdict,
    ];

    /// The signal's name in reports and JSON (`SENT_MID`).
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::SentMid => "SENT_MID",
            Signal::SentFuzzy => "SENT_FUZZY",
            Signal::SentNear => "SENT_NEAR",
            Signal::KnownRcpt => "KNOWN_RCPT",
            Signal::BatvTag => "BATV_TAG",
            Signal::Handoff => "HANDOFF",
            Signal::RelayMention => "RELAY_MENTION",
            Signal::ArDkimPass => "AR_DKIM_PASS",
            Signal::DkimOwn => "DKIM_OWN",
            Signal::ClientKnown => "CLIENT_KNOWN",
            Signal::SentAbsent => "SENT_ABSENT",
            Signal::UnknownRcpt => "UNKNOWN_RCPT",
            Signal::Burst => "BURST",
            Signal::Catchall => "CATCHALL",
            Signal::BatvMissing => "BATV_MISSING",
            Signal::AuthfailDsn => "AUTHFAIL_DSN",
            Signal::ArFail => "AR_FAIL",
            Signal::NoOwnRelay => "NO_OWN_RELAY",
            Signal::ForgedHelo => "FORGED_HELO",
            Signal::ForeignAuth => "FOREIGN_AUTH",
            Signal::EnvMismatch => "ENV_MISMATCH",
            Signal::DateFuture => "DATE_FUTURE",
            Signal::DateOld => "DATE_OLD",
            Signal::OwnAuth => "OWN_AUTH",
            Signal::ClientForeign => "CLIENT_FOREIGN",
            Signal::Verdict => "VERDICT",
        }
    }

    /// The signal of a name.
    pub fn parse(name: &str) -> Option<Signal> {
        Signal::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// Tests and filters name signals as reports do: `e.signal == "SENT_MID"`.
impl PartialEq<&str> for Signal {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Evidence for a verdict: the signal it stands for and the catalogue text that tells it
/// (`evidence.<key>` in rules/texts), with the values for its placeholders. It is put into
/// words only when shown, in the language of the screen or report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    pub signal: Signal,
    pub key: &'static str,
    pub args: Box<[(&'static str, Box<str>)]>,
}

impl Evidence {
    pub fn new<'a>(
        signal: Signal,
        key: &'static str,
        args: impl IntoIterator<Item = (&'static str, &'a str)>,
    ) -> Evidence {
        Evidence { signal, key, args: args.into_iter().map(|(k, v)| (k, Box::from(v))).collect() }
    }

    /// The sentence in `lang`.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        let args: Vec<(&str, &str)> = self.args.iter().map(|(k, v)| (*k, &**v)).collect();
        crate::i18n::f(lang, &format!("evidence.{}", self.key), &args)
    }
}

/// In JSON: the signal and its sentence in English (reports write their own language).
impl Serialize for Evidence {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Evidence", 2)?;
        st.serialize_field("signal", self.signal.as_str())?;
        st.serialize_field("text", &self.text(crate::i18n::Lang::En))?;
        st.end()
    }
}

/// One analysed message.
#[derive(Debug, Clone, Serialize)]
pub struct Bounce {
    pub source: Text,
    /// Where the message starts in its mbox (0 for a file of its own): it is read again from
    /// there for the detail pane, not found by counting messages.
    #[serde(skip)]
    pub offset: u64,
    /// Maildir++ folder or mbox name the message came from.
    pub folder: Text,
    pub kind: Kind,
    /// Date header of the bounce, as Unix seconds (0 when missing or unparsable).
    pub date: i64,
    pub from: Text,
    /// The bounce's own recipient (normally the mailbox owner).
    pub to: Text,
    /// Where the bounce was delivered (X-Original-To / Delivered-To, else To).
    pub delivered_to: Text,
    pub subject: Text,
    pub reporting_mta: Text,
    pub recipients: Vec<Recipient>,
    pub original: Option<OriginalInfo>,
    pub verdict: Verdict,
    /// Shared when many bounces have the same (nothing known about the owner: one note).
    pub evidence: std::sync::Arc<[Evidence]>,
}

impl Bounce {
    /// The domain of a recipient address, lower case.
    pub fn domain(address: &str) -> String {
        address.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase()).unwrap_or_default()
    }

    /// A bounce dated `date` with this verdict and these recipients, and nothing else (for
    /// unit tests of what is counted across bounces).
    #[cfg(test)]
    pub(crate) fn of(date: i64, verdict: Verdict, recipients: Vec<Recipient>) -> Bounce {
        Bounce {
            source: "t".into(),
            offset: 0,
            folder: "".into(),
            kind: Kind::Bounce,
            date,
            from: "".into(),
            to: "".into(),
            delivered_to: "".into(),
            subject: "".into(),
            reporting_mta: "".into(),
            recipients,
            original: None,
            verdict,
            evidence: Default::default(),
        }
    }
}
