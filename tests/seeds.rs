//! Every bounce phrasing quoted in the help articles the product grew from (../shared/seeds:
//! Dutch, English and German ISP pages) lands in its evident category.

use bouncescope::analyze::{command_of, Fact};
use bouncescope::classify::{classify, Rules};

/// (phrase as the articles quote it, expected reason)
const SEEDS: &[(&str, &str)] = &[
    // Oni (nl): "Enkele veel voorkomende foutmeldingen"
    ("User unknown", "userunknown"),
    ("Mailbox unavailable", "userunknown"),
    ("Recipient rejected", "userunknown"),
    ("Sorry, no mailbox here by that name", "userunknown"),
    ("Message rejected due to content restrictions", "spamdetected"),
    ("Message blocked due to virus content of the message", "virusdetected"),
    ("Host or domain name not found. Name service error for name=example.nl type=MX: Host not found", "hostunknown"),
    ("Message size exceeds fixed limit", "mesgtoobig"),
    ("Quota exceeded (mailbox for user is full)", "mailboxfull"),
    ("Connection timed out", "expired"),
    // Carerix (nl)
    ("554 Invalid recipient (in reply to RCPT TO command)", "userunknown"),
    ("550 sorry, no mailbox here by that name 550 no mailbox by that name is currently available (in reply to RCPT TO command) #550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##", "userunknown"),
    ("Recipient address rejected: undeliverable address:", "userunknown"),
    ("mailbox unavailable (in reply to RCPT TO command)", "userunknown"),
    ("#5.1.0 Address rejected emailadres@domein.nl (in reply to RCPT TO command)", "userunknown"),
    ("Recipient address rejected: User unknown in virtual alias table", "userunknown"),
    ("550 High probability of spam", "spamdetected"),
    ("5.7.1 Unable to relay", "norelaying"),
    ("Relay access denied. (in reply to RCPT TO command)", "norelaying"),
    ("5.7.1 rejected content, black listed", "blocked"),
    ("Recipient's mailbox is full, message returned to sender.", "mailboxfull"),
    ("Mail quota exceeded.", "mailboxfull"),
    ("Delivery temporarily suspended: SASL authentication failed; server mail.example.nl[192.0.2.1] said: 535 Sorry.", "securityerror"),
    // businessknowhow (en)
    ("553 sorry, relaying denied from your location [10.10.10.10] (#5.7.1)", "norelaying"),
    ("550 5.1.1 <somewhere@example.com>... User unknown", "userunknown"),
    ("503 RCPT first (#5.5.1)", "syntaxerror"),
    ("10.10.10.10. does not like recipient. Remote host said: 550 MAILBOX NOT FOUND Giving up on 10.10.10.10.", "userunknown"),
    ("invalid mailbox", "userunknown"),
    ("not our customer", "userunknown"),
    ("Mailbox full", "mailboxfull"),
    ("Quota Exceeded", "mailboxfull"),
    ("Host unknown", "hostunknown"),
    ("Domain Lookup Failed", "hostunknown"),
    ("Unable to Relay", "norelaying"),
    ("no adequate servers", "systemerror"),
    ("Resources temporarily unavailable.", "systemerror"),
    ("Out of memory", "systemerror"),
    ("Your mail was blocked: 192.0.2.7 listed in bl.spamcop.net", "blocked"),
    ("rejected: client in dynablock list", "blocked"),
    ("blocked using zen.spamhaus.org", "blocked"),
    ("Message looks like spam", "spamdetected"),
    ("keywords rejected by the antispam content filter", "spamdetected"),
    ("Message scored too high on spam scale", "spamdetected"),
    // Bounce Message lexicon (de)
    ("550 Empfänger unbekannt", "userunknown"),
    ("550 recipient e-mail address unknown", "userunknown"),
    ("451 temporary local problem - please try later", "mailboxfull"),
    ("554 Error writing message to safe storage", "systemerror"),
    // Strato (nl / de)
    ("mailbox is overquota", "mailboxfull"),
    ("User has exhausted allowed storage space", "mailboxfull"),
    ("Refused by local policy. No SPAM please! (B-URL)", "spamdetected"),
    ("Refused by local policy. No SPAM please! (B-SCORE)", "spamdetected"),
    ("Refused by local policy. No SPAM please! (B-ATTACH)", "virusdetected"),
    ("Suspected phishing attempt", "spamdetected"),
    ("SPF failed for 192.0.2.8", "authfailure"),
    ("Unknown user", "userunknown"),
    ("Mailbox unknown", "userunknown"),
    ("Unknown local part", "userunknown"),
    ("Unknown Address", "userunknown"),
    ("No such mailbox", "userunknown"),
    ("No such user here", "userunknown"),
    ("Recipient unknown", "userunknown"),
    ("Mailbox not found", "userunknown"),
    ("Not known to us", "userunknown"),
    ("This account is not allowed", "userunknown"),
    ("Recipient e-mail adress unknown", "userunknown"),
    ("Relaying denied", "norelaying"),
    ("Relay not permitted", "norelaying"),
    ("Too many recipients", "toomanyconn"),
    ("Too many recipients given", "toomanyconn"),
    ("You are not authorized to send mail from: <info@example.org>", "rejected"),
    ("<info@example.nl> has been temporarily rate limited (B-TRIAL)", "speeding"),
    ("Transmit rate limit exceeded, try again later (ACC)", "speeding"),
    ("Transmit rate limit exceeded, try again later (RID)", "speeding"),
    ("Non-ASCII addresses not permitted for that sender", "contenterror"),
    ("Email rejected per DMARC policy", "authfailure"),
    ("No Author Domain Signature was found on the message, and the published ADSP was 'all'", "authfailure"),
    ("SPF check failed", "authfailure"),
    ("Sender not authorized", "authfailure"),
    ("No authorization to send this mail", "rejected"),
    ("Mailbox is blocked", "suspend"),
    ("Mailbox is disabled", "suspend"),
    ("User is inactive", "suspend"),
    ("Mail forward-loop detected", "systemerror"),
    ("Temporary failure, try again later", "systemerror"),
    ("SMTP-Service currently not available due to resource limitations", "systemerror"),
    ("Authentication failed", "securityerror"),
    ("You are not allowed to send mail", "securityerror"),
    ("Das Versenden von Mails ist Ihnen nicht erlaubt", "securityerror"),
    ("Too many concurrent SMTP connections by this user", "toomanyconn"),
    ("Insufficient privacy level (TLS required)", "failedstarttls"),
    ("Unerlaubte Domain 'example.de' im Envelope-From (B-EFROM-STRATO)", "rejected"),
];

fn classify_phrase(rules: &Rules, phrase: &str) -> String {
    // The articles quote these lines as the answer about the recipient's address (the RCPT TO
    // stage) unless the line names another stage itself.
    let command = match command_of(phrase) {
        c if c.is_empty() => "RCPT".to_string(),
        c => c,
    };
    let fact = Fact {
        diagnostic: phrase.to_string(),
        command,
        status: bouncescope::text::find_status(phrase).unwrap_or_default(),
        plain_text: true,
        ..Default::default()
    };
    classify(rules, &fact, "").reason
}

#[test]
fn every_seed_phrasing_lands_in_its_category() {
    let rules = Rules::builtin();
    let wrong: Vec<String> = SEEDS
        .iter()
        .filter_map(|(phrase, want)| {
            let got = classify_phrase(&rules, phrase);
            (got != *want).then(|| format!("{phrase:?}: want {want}, got {got}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{} of {} seed phrasings misclassified:\n{}", wrong.len(), SEEDS.len(), wrong.join("\n"));
}

#[test]
fn seed_reasons_have_texts_in_three_languages() {
    let rules = Rules::builtin();
    for (_, reason) in SEEDS {
        let info = rules.info(reason);
        assert_eq!(&info.name, reason);
        for lang in [bouncescope::classify::Lang::En, bouncescope::classify::Lang::Nl, bouncescope::classify::Lang::De] {
            assert!(info.texts(lang).remedy.len() > 20, "{reason} {lang:?}");
        }
    }
}
