//! What a verdict looks at in one bounce: its envelope, its first recipient and the returned
//! original. A `Case` is small to keep (the original's few header values are copied, its trace
//! of Received lines is shared), so the scan's loader can keep one per message and judge them
//! all again once the mailbox is read, while the bounces themselves have gone on to the screen.

use crate::bounce::{Bounce, Kind, OriginalInfo, Text};

#[derive(Debug, Clone)]
pub struct Case {
    pub kind: Kind,
    /// The bounce's own date (Unix seconds; 0 when unknown).
    pub date: i64,
    /// Where the bounce was delivered (the envelope's recipient: the owner's address).
    pub delivered_to: Text,
    /// The first bounced recipient's address.
    pub recipient: Text,
    /// Some recipient was refused for failed authentication (a sign of a stolen login).
    pub authfailure: bool,
    pub original: Option<OriginalInfo>,
}

impl Case {
    pub fn of(b: &Bounce) -> Case {
        Case {
            kind: b.kind,
            date: b.date,
            delivered_to: b.delivered_to.clone(),
            recipient: b.recipients.first().map(|r| r.address.clone()).unwrap_or_default(),
            authfailure: b.recipients.iter().any(|r| r.reason == "authfailure"),
            original: b.original.clone(),
        }
    }
}
