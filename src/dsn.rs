//! RFC 3464 / RFC 6533 delivery-status fields: one per-message group, then one group per recipient.

/// Per-recipient fields of a DSN.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecipientFields {
    pub original_recipient: String,
    pub final_recipient: String,
    /// `failed`, `delayed`, `delivered`, `relayed`, `expanded` (lower case).
    pub action: String,
    pub status: String,
    pub remote_mta: String,
    /// Address type of Diagnostic-Code (`smtp`, `x-unix`, …), lower case.
    pub diagnostic_type: String,
    pub diagnostic_code: String,
    pub last_attempt: String,
    /// The reporting MTA's own classification of the failure (`X-PowerMTA-BounceCategory`).
    pub bounce_category: String,
}

/// A parsed delivery-status body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeliveryStatus {
    pub reporting_mta: String,
    pub arrival_date: String,
    pub recipients: Vec<RecipientFields>,
}

/// Split `type; value` (the type is optional in broken reports).
fn typed(value: &str) -> (String, String) {
    match value.split_once(';') {
        Some((t, v)) if !t.contains(' ') && t.len() < 24 => (t.trim().to_ascii_lowercase(), v.trim().to_string()),
        _ => (String::new(), value.trim().to_string()),
    }
}

/// Strip `<…>` and quotes around an address.
pub fn bare_address(value: &str) -> String {
    let v = value.trim();
    let v = match (v.find('<'), v.rfind('>')) {
        (Some(a), Some(b)) if a < b => &v[a + 1..b],
        _ => v,
    };
    v.trim().trim_matches(['"', '\'', ' ']).to_string()
}

/// The first RFC 3463 code (`5.1.1`) in a status value, if any.
pub fn status_code(value: &str) -> String {
    crate::text::find_status(value).unwrap_or_default()
}

/// DSN fields written into plain text (a report whose MIME structure was lost): the text from the
/// first `Reporting-MTA:`/`Final-Recipient:`/`Original-Recipient:` line on, if a recipient field exists.
pub fn region_in_text(text: &str) -> Option<&str> {
    let mut offset = 0;
    let mut start = None;
    for line in crate::lines::inclusive(text) {
        let is = |name: &[u8]| crate::prefilter::starts_with_ci(line.as_bytes(), name);
        if is(b"reporting-mta:") && start.is_none() {
            start = Some(offset);
        }
        if is(b"final-recipient:") || is(b"original-recipient:") {
            return Some(&text[start.unwrap_or(offset)..]);
        }
        offset += line.len();
    }
    None
}

/// Parse delivery-status text. Tolerates missing blank lines between groups and folded values.
pub fn parse(text: &str) -> DeliveryStatus {
    let mut ds = DeliveryStatus::default();
    let mut current: Option<RecipientFields> = None;
    let mut last_field = String::new();
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in crate::lines::lines(text) {
        if line.starts_with([' ', '\t']) && !fields.is_empty() {
            let last = fields.last_mut().unwrap();
            last.1.push(' ');
            last.1.push_str(line.trim());
            continue;
        }
        if line.trim().is_empty() {
            fields.push((String::new(), String::new()));
            continue;
        }
        if let Some((name, value)) = line.split_once(':')
            && !name.contains(' ')
            && !name.is_empty()
        {
            fields.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
            continue;
        }
        fields.push(("#junk".into(), line.to_string()));
    }
    for (name, value) in fields {
        if name.is_empty() {
            if let Some(r) = current.take() {
                push_recipient(&mut ds, r);
            }
            last_field.clear();
            continue;
        }
        match name.as_str() {
            "reporting-mta" => ds.reporting_mta = typed(&value).1,
            "arrival-date" => ds.arrival_date = value,
            "original-recipient" | "x-actual-recipient" | "final-recipient" => {
                let starts_new = match &current {
                    Some(r) => {
                        (name == "final-recipient" && !r.final_recipient.is_empty())
                            || (name == "original-recipient"
                                && (!r.original_recipient.is_empty()
                                    || (!r.final_recipient.is_empty()
                                        && (!r.status.is_empty() || !r.diagnostic_code.is_empty()))))
                    }
                    None => false,
                };
                if starts_new {
                    push_recipient(&mut ds, current.take().unwrap());
                }
                let r = current.get_or_insert_with(RecipientFields::default);
                let addr = bare_address(&typed(&value).1);
                match name.as_str() {
                    "final-recipient" => r.final_recipient = addr,
                    "original-recipient" => r.original_recipient = addr,
                    _ => {
                        if r.final_recipient.is_empty() {
                            r.final_recipient = addr
                        }
                    }
                }
            }
            "x-powermta-bouncecategory" | "x-bounce-category" => {
                let r = current.get_or_insert_with(RecipientFields::default);
                r.bounce_category = value.trim().to_ascii_lowercase();
            }
            "action" | "status" | "remote-mta" | "diagnostic-code" | "last-attempt-date" => {
                let r = current.get_or_insert_with(RecipientFields::default);
                match name.as_str() {
                    "action" => r.action = value.split_whitespace().next().unwrap_or("").to_ascii_lowercase(),
                    "status" => r.status = status_code(&value),
                    "remote-mta" => r.remote_mta = typed(&value).1,
                    "diagnostic-code" => {
                        let (t, v) = typed(&value);
                        r.diagnostic_type = t;
                        r.diagnostic_code = v;
                    }
                    _ => r.last_attempt = value,
                }
            }
            // Continuation lines without indentation (seen in broken reports) extend Diagnostic-Code.
            "#junk" if last_field == "diagnostic-code" => {
                if let Some(r) = current.as_mut() {
                    r.diagnostic_code.push(' ');
                    r.diagnostic_code.push_str(value.trim());
                }
                continue;
            }
            _ => {}
        }
        last_field = name;
    }
    if let Some(r) = current.take() {
        push_recipient(&mut ds, r);
    }
    prefer_original(&mut ds);
    ds
}

/// Is this a mail address (`local@domain`), not an X.400 form (`/S=smith/O=corp/`), an
/// Exchange legacy DN (`/O=EXCHANGE/OU=…`) or a bare name?
pub fn is_mail_address(a: &str) -> bool {
    let Some((local, domain)) = a.rsplit_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !a.starts_with('/')
        && !a.contains(char::is_whitespace)
        && !domain.contains('/')
}

/// The failed recipient of a group is the address the sender wrote: the `Original-Recipient`
/// when it is a mail address (the envelope's ORCPT), else the `Final-Recipient` (the address
/// after the receiver's rewriting), so an alias expanded or an X.400 form is never reported in
/// its place.
/// An Original-Recipient shared by several groups (an alias expanded to its members) names none
/// of them: those keep their Final-Recipient.
fn prefer_original(ds: &mut DeliveryStatus) {
    let mut count: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for r in &ds.recipients {
        *count.entry(r.original_recipient.to_ascii_lowercase()).or_default() += 1;
    }
    for r in &mut ds.recipients {
        let unique = count.get(&r.original_recipient.to_ascii_lowercase()) == Some(&1);
        if unique
            && is_mail_address(&r.original_recipient)
            && !r.original_recipient.eq_ignore_ascii_case(&r.final_recipient)
        {
            let rewritten = std::mem::take(&mut r.final_recipient);
            r.final_recipient = std::mem::replace(&mut r.original_recipient, rewritten);
        }
    }
}

fn push_recipient(ds: &mut DeliveryStatus, mut r: RecipientFields) {
    if r.final_recipient.is_empty() {
        r.final_recipient = r.original_recipient.clone();
    }
    if !r.final_recipient.is_empty() || !r.status.is_empty() || !r.diagnostic_code.is_empty() {
        ds.recipients.push(r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_folding() {
        let ds = parse(
            "Reporting-MTA: dns; mx.example\nArrival-Date: today\n\nFinal-Recipient: rfc822; <a@b.example>\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user\n unknown\n\nFinal-Recipient: rfc822; c@d.example\nAction: delayed\nStatus: 4.4.7\n",
        );
        assert_eq!(ds.reporting_mta, "mx.example");
        assert_eq!(ds.recipients.len(), 2);
        assert_eq!(ds.recipients[0].final_recipient, "a@b.example");
        assert_eq!(ds.recipients[0].diagnostic_code, "550 5.1.1 user unknown");
        assert_eq!(ds.recipients[0].diagnostic_type, "smtp");
        assert_eq!(ds.recipients[1].action, "delayed");
    }

    #[test]
    fn original_recipient_after_final_is_the_same_group() {
        let ds = parse(
            "Final-Recipient: rfc822; a@b\nOriginal-Recipient: rfc822;a@b\nAction: failed\nStatus: 5.7.1\nDiagnostic-Code: smtp; 550 x\n",
        );
        assert_eq!(ds.recipients.len(), 1);
        assert_eq!(ds.recipients[0].diagnostic_code, "550 x");
    }

    #[test]
    fn action_before_final_recipient() {
        let ds = parse(
            "Action: failed\nFinal-Recipient: rfc822; a@b\nOriginal-Recipient: rfc822; a@b\nDiagnostic-Code: smtp; 550 5.1.1 x\nStatus: 5.1.1\n",
        );
        assert_eq!(ds.recipients.len(), 1);
        assert_eq!(ds.recipients[0].status, "5.1.1");
    }

    #[test]
    fn the_address_the_sender_wrote_is_the_recipient() {
        let ds = parse(
            "Original-Recipient: rfc822; sales@example.com\nFinal-Recipient: rfc822; s.jones@mail01.internal.example.com\nAction: failed\nStatus: 5.2.2\n",
        );
        assert_eq!(ds.recipients[0].final_recipient, "sales@example.com");
        let ds = parse(
            "Final-Recipient: x400; /S=Smith/G=John/O=Corp/PRMD=corp/ADMD=x/C=de/\nOriginal-Recipient: rfc822; john.smith@corp.example\nAction: failed\nStatus: 5.1.1\n",
        );
        assert_eq!(ds.recipients[0].final_recipient, "john.smith@corp.example");
        let ds = parse("Final-Recipient: rfc822; a@b.example\nOriginal-Recipient: rfc822; <>\nAction: failed\n");
        assert_eq!(ds.recipients[0].final_recipient, "a@b.example");
        // An alias expanded to two members: both keep their own address.
        let ds = parse(
            "Original-Recipient: rfc822; team@example.com\nFinal-Recipient: rfc822; ann@example.com\nAction: failed\nStatus: 5.1.1\n\nOriginal-Recipient: rfc822; team@example.com\nFinal-Recipient: rfc822; bob@example.com\nAction: failed\nStatus: 5.2.2\n",
        );
        let got: Vec<&str> = ds.recipients.iter().map(|r| r.final_recipient.as_str()).collect();
        assert_eq!(got, ["ann@example.com", "bob@example.com"]);
        assert!(!is_mail_address("/O=EXCHANGE/OU=FIRST/CN=RECIPIENTS/CN=jsmith"));
        assert!(!is_mail_address("IMCEAEX-_O=ORG_OU=X@example.com/"));
        assert!(is_mail_address("a.b+c@example.co.uk"));
    }

    #[test]
    fn groups_without_blank_lines() {
        let ds = parse("Final-Recipient: rfc822; a@b\nStatus: 5.0.0\nFinal-Recipient: rfc822; c@d\nStatus: 5.2.2\n");
        assert_eq!(ds.recipients.len(), 2);
        assert_eq!(ds.recipients[1].status, "5.2.2");
    }
}
