//! Amazon SES notifications (JSON, optionally inside an SNS envelope): bounces, complaints and
//! deliveries reported by mail instead of as DSNs.

use crate::bounce::{Kind, OriginalInfo};
use crate::fact::Fact;
use serde_json::Value;

/// Parse an SES notification from a message body. `None` when the body is not one.
pub fn parse(body: &str) -> Option<(Kind, Vec<Fact>, Option<OriginalInfo>)> {
    let start = body.find('{')?;
    let first = |text: &str| serde_json::Deserializer::from_str(text).into_iter::<Value>().next().and_then(Result::ok);
    // Mail systems wrap long lines, which breaks JSON strings: retry with the line breaks removed.
    let mut v = match first(&body[start..]) {
        Some(v) => v,
        None => first(&body[start..].replace('\n', ""))?,
    };
    // SNS wraps the SES JSON in a string field "Message".
    if let Some(inner) = v.get("Message").and_then(Value::as_str) {
        v = serde_json::from_str(inner).ok()?;
    }
    let kind_name = v.get("notificationType").or_else(|| v.get("eventType")).and_then(Value::as_str)?;
    let text = |x: &Value, k: &str| x.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let (kind, facts) = match kind_name {
        "Bounce" => {
            let b = v.get("bounce")?;
            let sub = text(b, "bounceSubType");
            let facts = b
                .get("bouncedRecipients")?
                .as_array()?
                .iter()
                .map(|r| {
                    let diag = text(r, "diagnosticCode");
                    let diag = diag
                        .split_once(';')
                        .filter(|(t, _)| !t.contains(' '))
                        .map(|(_, d)| d.trim().to_string())
                        .unwrap_or(diag);
                    let diag =
                        if diag.is_empty() { format!("SES bounce: {} / {}", text(b, "bounceType"), sub) } else { diag };
                    Fact {
                        address: text(r, "emailAddress"),
                        status: crate::text::find_status(&text(r, "status")).unwrap_or_default(),
                        reply_code: crate::text::find_reply_code(&diag).unwrap_or_default(),
                        action: text(r, "action"),
                        diagnostic_type: "smtp".into(),
                        command: crate::fact::command_of(&diag),
                        diagnostic: diag,
                        // SES's own classification, read through rules/status.toml [category].
                        category: if sub.is_empty() {
                            String::new()
                        } else {
                            format!("ses-{}", sub.to_ascii_lowercase())
                        },
                        ..Default::default()
                    }
                })
                .collect();
            (Kind::Bounce, facts)
        }
        "Complaint" => {
            let c = v.get("complaint")?;
            let facts = c
                .get("complainedRecipients")?
                .as_array()?
                .iter()
                .map(|r| Fact {
                    address: text(r, "emailAddress"),
                    diagnostic: text(c, "complaintFeedbackType"),
                    ..Default::default()
                })
                .collect();
            (Kind::Feedback, facts)
        }
        "Delivery" => {
            let d = v.get("delivery")?;
            let resp = text(d, "smtpResponse");
            let facts = d
                .get("recipients")?
                .as_array()?
                .iter()
                .filter_map(Value::as_str)
                .map(|r| Fact {
                    address: r.to_string(),
                    status: crate::text::find_status(&resp).unwrap_or_default(),
                    reply_code: crate::text::find_reply_code(&resp).unwrap_or_default(),
                    action: "delivered".into(),
                    diagnostic: resp.clone(),
                    ..Default::default()
                })
                .collect();
            (Kind::Delivered, facts)
        }
        _ => return None,
    };
    let original = v.get("mail").map(|m| {
        let header = |name: &str| {
            m.get("headers")
                .and_then(Value::as_array)
                .and_then(|hs| hs.iter().find(|h| text(h, "name").eq_ignore_ascii_case(name)))
                .map(|h| text(h, "value"))
                .unwrap_or_default()
        };
        let common = m.get("commonHeaders");
        let mut info = OriginalInfo {
            message_id: {
                let id = header("Message-ID");
                if id.is_empty() { text(m, "messageId") } else { id }
            }
            .into(),
            from: header("From").into(),
            to: header("To").into(),
            subject: common
                .map(|c| text(c, "subject"))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| header("Subject"))
                .into(),
            date: header("Date").into(),
            found_as: "ses-notification".into(),
            trace: None,
        };
        info.set_trace(crate::bounce::Trace { return_path: text(m, "source").into(), ..Default::default() });
        info
    });
    Some((kind, facts, original))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sns_wrapped_bounce() {
        let inner = r#"{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"a@b.example","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}]},"mail":{"messageId":"m1","headers":[{"name":"Subject","value":"hi"}]}}"#;
        let body =
            format!("{{\"Type\":\"Notification\",\"Message\":{}}}\n--\nfooter", serde_json::to_string(inner).unwrap());
        let (kind, facts, orig) = parse(&body).unwrap();
        assert_eq!(kind, Kind::Bounce);
        assert_eq!(facts[0].address, "a@b.example");
        assert_eq!(facts[0].diagnostic, "550 5.1.1 user unknown");
        assert_eq!(orig.unwrap().message_id, "m1");
    }

    #[test]
    fn not_json() {
        assert!(parse("hello { not json").is_none());
    }
}

#[cfg(test)]
mod category_tests {
    #[test]
    fn the_bounce_sub_type_reaches_the_classifier_as_a_category() {
        let body = r#"{"notificationType":"Bounce","bounce":{"bounceType":"Transient","bounceSubType":"MailboxFull","bouncedRecipients":[{"emailAddress":"a@b.example","action":"failed","status":"5.0.0"}]},"mail":{"messageId":"m1"}}"#;
        let (_, facts, _) = super::parse(body).expect("an SES notification");
        assert_eq!(facts[0].category, "ses-mailboxfull");
        let rules = crate::classify::Rules::builtin();
        assert_eq!(crate::classify::classify(&rules, &facts[0], "").reason, "mailboxfull");
    }
}
