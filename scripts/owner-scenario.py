#!/usr/bin/env python3
"""Generate a realistic test mailbox for bouncescope, written independently of its rules.

usage: owner-scenario.py OUTDIR
Creates OUTDIR/Maildir (Maildir++, sent folder .Sent) and OUTDIR/truth.tsv
(file, verdict, what); verdict: real | backscatter | abuse | none.
Python 3 stdlib only; deterministic (fixed seed).

Written by a session that had not read bouncescope's verdict rules, from how real MTAs
write bounces (no other project's sample mails), so that tests/owner_scenario.rs measures the
verdicts on mail they were not fitted to.
"""
import base64, os, quopri, random, shutil, string, sys, textwrap
from datetime import datetime, timedelta, timezone
from email import quoprimime
from email.utils import format_datetime

R = random.Random(20261005)
OWNER_NAME, OWNER = "Marieke de Vries", "marieke@bakkerij-devries.nl"
DOM = "bakkerij-devries.nl"
SUB = ("smtp.provider-mail.nl", "195.121.84.17")   # submission host of her provider
OUT = [("mout-02.provider-mail.nl", "195.121.84.33"), ("mout-05.provider-mail.nl", "195.121.84.36")]
MX = ["mx1.provider-mail.nl", "mx2.provider-mail.nl"]
STORE = ["mail-store-03", "mail-store-04"]
# her two networks: office (bakery) and home
NETS = [("dsl-77-161-34-{0}.office.kpn.example", "77.161.34.{0}"), ("dsl-86-85-201-{0}.home.kpn.example", "86.85.201.{0}")]
T0 = datetime(2026, 10, 5, 6, 0, tzinfo=timezone.utc)

def tz_nl(dt): return timezone(timedelta(hours=2 if dt < datetime(2026, 10, 25, 1, 0, tzinfo=timezone.utc) else 1))

CUR_TZ = []  # time zone of the foreign MTA currently writing a bounce

def date(dt, tz=None, style="std"):
    """RFC 5322 date; styles: std '5 Oct', pad '05 Oct', pf ' 5 Oct' + (CEST) comment."""
    s = format_datetime(dt.astimezone(tz or (CUR_TZ[0] if CUR_TZ else tz_nl(dt))))
    if style == "pad":
        return s
    if style == "pf":
        s = s[:5] + (" " + s[6:] if s[5] == "0" else s[5:])
        return s + {"+0200": " (CEST)", "+0100": " (CET)", "-0000": " (UTC)", "+0000": " (UTC)"}.get(s[-5:], "")
    return s[:5] + s[5:].lstrip("0") if s[5] == "0" else s

def rstr(n, alphabet=string.ascii_letters + string.digits): return "".join(R.choice(alphabet) for _ in range(n))
def hexs(n): return rstr(n, "0123456789abcdef")
def b64s(n): return rstr(n, string.ascii_letters + string.digits + "+/")
PFQ = "BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789"
def pfqid(): return "4" + rstr(1, "NPQRSTVWXYZ") + rstr(3, PFQ) + "z" + rstr(7, PFQ)   # Postfix long queue id
def pfqid_short(): return rstr(10, "0123456789ABCDEF")
def eximid(): return "1" + rstr(5) + "-" + rstr(6) + "-" + rstr(2)

def enc_subject(s, how="q"):
    if all(ord(c) < 128 for c in s):
        return s
    if how == "b":
        return "=?UTF-8?B?" + base64.b64encode(s.encode()).decode() + "?="
    return quoprimime.header_encode(s.encode(), "utf-8")

def fold(name, value, width=76):
    """Fold a header at spaces, continuation lines start with a tab or space."""
    line, out = name + ": ", []
    if "; " in value and value.rsplit("; ", 1)[1][:3] in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        head, dt = value.rsplit("; ", 1)       # never break inside a trailing date
        value = head + "; " + dt.replace(" ", "\x00")
    for word in value.split(" "):
        if len(line) + len(word) + 1 > width and line.strip() and not line.endswith(": "):
            out.append(line.rstrip())
            line = R.choice(["\t", "    ", " "]) + word
        else:
            line += ("" if line.endswith((": ", "\t")) or line.strip() == "" else " ") + word
    out.append(line)
    return "\n".join(out).replace("\x00", " ")

def H(*pairs): return "\n".join(fold(k, v) if "\n" not in v else k + ": " + v for k, v in pairs if v is not None)
def msg(headers, body): return headers.rstrip("\n") + "\n\n" + body.rstrip("\n") + "\n"
def qp(text): return quopri.encodestring(text.encode("utf-8")).decode("ascii")

def b64(text):
    raw = base64.b64encode(text.encode() if isinstance(text, str) else text).decode()
    return "\n".join(raw[i:i + 76] for i in range(0, len(raw), 76))

def boundary(kind="mix"):
    return {"mix": "----=_Part_%d_%d.%d" % (R.randint(1000, 99999), R.randint(10**8, 10**9), R.randint(10**12, 10**13)),
            "ms": "_000_" + rstr(36, string.ascii_uppercase + string.digits) + "_",
            "g": "000000000000" + hexs(16)}[kind]

# ---------------------------------------------------------------- people & places
FIRST = "Jan Piet Kees Anouk Sanne Ingrid Willem Ruud Femke Lotte Bram Daan Sophie Emma Thijs Hanneke Gerrit Joost Mirjam Wouter Esther Marco Karin Peter Linda".split()
LAST = ["de Jong", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Brouwer", "de Wit", "van Leeuwen", "Kok", "Verhoeven", "Schouten"]
# domain -> (mta kind, mx host, mx ip); kind decides what an accept-then-bounce looks like
DOMAINS = {d: (k, h, ip) for d, k, h, ip in (l.split() for l in """
    gmail.com gmail gmail-smtp-in.l.google.com 142.250.102.27  hotmail.com exchange hotmail-com.olc.protection.outlook.com 52.101.68.14
    outlook.com exchange outlook-com.olc.protection.outlook.com 52.101.73.2  ziggo.nl postfix mx.ziggo.nl 212.54.42.170
    kpnmail.nl qmail mx.kpnmail.nl 195.121.65.40  xs4all.nl postfix mxdrop101.xs4all.net 194.109.24.31
    hotel-dewaag.nl exchange-nl hoteldewaag-nl.mail.protection.outlook.com 52.101.73.15  lunchroom-zoet.nl exim mail.lunchroom-zoet.nl 185.87.187.20
    molen-dehoop.nl exim mx.molen-dehoop.nl 149.210.140.9  verpakkingen-bos.nl exchange-nl verpakkingenbos-nl.mail.protection.outlook.com 52.101.68.30
    cafe-hetanker.nl qmail mail.cafe-hetanker.nl 83.96.200.11  zuivelhoeve.nl sendmail mail.zuivelhoeve.nl 80.113.14.66
    graanhandel-noord.nl sendmail smtp.graanhandel-noord.nl 217.21.240.5  restaurant-delinde.nl gmail aspmx.l.google.com 142.250.27.26
    bloemenhuis-desmet.be exim mx.bloemenhuis-desmet.be 91.183.20.44  web.de postfix mx-ha03.web.de 212.227.17.8
    gemeente-example.nl exchange mail.gemeente-example.nl 145.12.30.4  sportclub-vooruit.nl terse mail.sportclub-vooruit.nl 46.30.211.70
    kinderopvang-beertje.nl terse mx.kinderopvang-beertje.nl 37.97.132.20""".replace("  ", "\n").split("\n") if l.strip())}
BODY_NL = ["Hallo {f},\n\nHierbij de bestelling voor volgende week, zoals besproken.\nLaat even weten of het lukt.\n",
           "Beste {f},\n\nDank voor je bericht. De levering komt donderdag rond 7 uur.\nDe factuur volgt per mail.\n",
           "Hoi {f},\n\nZaterdag is prima! Ik neem de appeltaart mee.\n",
           "Beste {f},\n\nIn de bijlage/onder deze mail vind je de prijzen voor het najaar.\nBij vragen hoor ik het graag.\n"]
BODY_EN = ["Dear {f},\n\nThank you for your order. We can deliver on Friday morning.\nPlease confirm the quantities below.\n",
           "Hi {f},\n\nCould you send us the updated price list for rye flour?\nWe would like to order 20 bags before the end of the month.\n"]
SIG = "\n--\nMarieke de Vries\nBakkerij De Vries\nDorpsstraat 12, 3881 AB Putten\n06-12345678\n"
SUBJ = ["Bestelling week {w}", "Offerte kerststollen", "Re: levering roggebloem", "Factuur 2026-0{n}", "Verjaardagstaart zaterdag",
        "Re: Borrel vrijdag?", "Order confirmation – croissants", "Prijslijst najaar 2026", "Re: Bestelling week {w}", "Broodjes voor de vergadering",
        "Afspraak keuring oven", "Re: Kerstmarkt stand", "Question about rye flour delivery", "Taart voor het jubileum – ideeën?", "Ophalen kratten"]

def person(domain=None):
    f, l = R.choice(FIRST), R.choice(LAST)
    domain = domain or R.choice(list(DOMAINS))
    lp = R.choice(["{f}", "{f}.{l}", "{i}.{l}", "info", "{f}{l}"]).format(f=f.lower(), l=l.lower().replace(" ", ""), i=f[0].lower())
    return (f, f + " " + l, lp + "@" + domain)

CONTACTS = [person(d) for d in DOMAINS for _ in range(2)] + [person() for _ in range(12)]

# ---------------------------------------------------------------- output
FILES, TRUTH = [], []

def mdname(dt, host, content, sub, flags):
    n = "%d.M%dP%d.%s,S=%d,W=%d" % (dt.timestamp(), R.randint(1, 999999), R.randint(1000, 60000), host,
                                    len(content.encode()), len(content.encode()) + content.count("\n"))
    return sub + "/" + n + ("" if sub.endswith("new") else ":2," + flags)

def store(rel, content, dt, verdict=None, what=""):
    FILES.append((rel, content, dt))
    if verdict:
        TRUTH.append((rel, verdict, what))

# ---------------------------------------------------------------- her sent mail
def addr(c): return '"%s" <%s>' % (c[1], c[2]) if R.random() < 0.3 else "%s <%s>" % (c[1], c[2])

def new_sent(dt, to, cc=(), subject=None, client=None, net=None, attach=0):
    client = client or R.choice(["tb", "tb", "tb", "iphone"])
    subject = subject or R.choice(SUBJ).format(w=dt.isocalendar()[1] + 1, n=R.randint(400, 520))
    tpl = R.choice(BODY_EN if "rye" in subject or "Order" in subject or to[0][2].endswith(("web.de", ".be")) else BODY_NL)
    mid = "<%s-%s-4%s-%s-%s@%s>" % (hexs(8), hexs(4), hexs(3), hexs(4), hexs(12), DOM)   # UUID; Apple Mail writes it in upper case
    mid = mid if client == "tb" else mid.upper().replace(DOM.upper(), DOM)
    net = NETS[R.randint(0, 1) if net is None else net]
    octet = R.randint(2, 250)
    return dict(dt=dt, to=list(to), cc=list(cc), subject=subject, tpl=tpl, client=client, mid=mid,
                net=(net[0].format(octet), net[1].format(octet)), lan="192.168.1.%d" % R.randint(20, 60),
                attach=attach, qid=pfqid(), oqid=pfqid(), out=R.choice(OUT))

def client_headers(m):
    to = ", ".join(addr(c) for c in m["to"])
    cc = ", ".join(addr(c) for c in m["cc"]) or None
    subj = enc_subject(m["subject"], R.choice("qb"))
    reply = ("<%s@%s>" % (rstr(20), m["to"][0][2].split("@")[1])) if m["subject"].startswith("Re:") else None
    if m["client"] == "tb":
        ct = "text/plain; charset=UTF-8; format=flowed"
        if m["attach"]:
            ct = 'multipart/mixed; boundary="------------%s"' % rstr(24, string.ascii_letters + string.digits)
        return H(("Message-ID", m["mid"]), ("Date", date(m["dt"])), ("MIME-Version", "1.0"),
                 ("User-Agent", "Mozilla Thunderbird"), ("Content-Language", "nl"), ("To", to), ("Cc", cc),
                 ("References", reply), ("In-Reply-To", reply),
                 ("From", "%s <%s>" % (OWNER_NAME, OWNER)), ("Subject", subj), ("Content-Type", ct),
                 ("Content-Transfer-Encoding", None if m["attach"] else ("8bit" if any(ord(c) > 127 for c in m["body"]) else "7bit")))
    return H(("Content-Type", "text/plain; charset=utf-8"), ("Content-Transfer-Encoding", "quoted-printable"),
             ("From", "%s <%s>" % (OWNER_NAME, OWNER)), ("Mime-Version", "1.0 (1.0)"), ("Subject", subj),
             ("Date", date(m["dt"])), ("Message-Id", m["mid"]), ("References", reply), ("In-Reply-To", reply), ("Cc", cc), ("To", to),
             ("X-Mailer", "iPhone Mail (22B83)"))

def make_attachment(m, text_headers):
    bnd = text_headers.split('boundary="')[1].split('"')[0]
    blob = bytes(R.getrandbits(8) for _ in range(m["attach"]))
    return ("This is a multi-part message in MIME format.\n--%s\nContent-Type: text/plain; charset=UTF-8; format=flowed\n"
            "Content-Transfer-Encoding: 7bit\n\n%s\n--%s\nContent-Type: image/jpeg; name=\"IMG_4512.jpeg\"\n"
            "Content-Disposition: attachment; filename=\"IMG_4512.jpeg\"\nContent-Transfer-Encoding: base64\n\n%s\n--%s--\n"
            % (bnd, m["body"], bnd, b64(b"\xff\xd8\xff\xe0" + blob), bnd))

def sent_text(m):
    m["body"] = m["tpl"].format(f=m["to"][0][0]) + SIG
    h = client_headers(m)
    body = m["body"] if m["client"] == "tb" else qp(m["body"].replace("\n--\n", "\n\nVerstuurd vanaf mijn iPhone\n--\n"))
    return msg(h, make_attachment(m, h) if m["attach"] else body), h

def dkim(m, hdrs):
    return ("v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s;\n\ts=pm2026; t=%d;\n\tbh=%s=;\n\th=From:To:Cc:Subject:Date:Message-ID:In-Reply-To:References;\n\tb=%s\n\t %s\n\t %s"
            % (DOM, m["dt"].timestamp() + 1, b64s(43), b64s(70), b64s(70), b64s(42) + "="))

def provider_received(m):
    if "_prov" in m:
        return m["_prov"]
    t1, t2 = m["dt"] + timedelta(seconds=R.randint(1, 4)), m["dt"] + timedelta(seconds=R.randint(5, 9))
    rcpt = m["to"][0][2] if len(m["to"]) + len(m["cc"]) == 1 else None
    via = m.get("via") or "[%s] (%s [%s])" % (m["lan"], m["net"][0], m["net"][1])
    s = H(("Received", "from %s (%s [%s]) by %s (Postfix) with ESMTPS id %s%s; %s" % (
                 SUB[0], SUB[0], SUB[1], m["out"][0], m["oqid"], " for <%s>" % rcpt if rcpt else "", date(t2))),
             ("Received", "from %s (Authenticated sender: %s) by %s (Postfix) with ESMTPSA id %s%s; %s" % (
                 via, OWNER, SUB[0], m["qid"], " for <%s>" % rcpt if rcpt else "", date(t1))),
             ("DKIM-Signature", dkim(m, None)))
    m["_prov"] = s
    return s

def recv_line(kind, frm, helo, host, rcpt, when, sender):
    """The Received line (plus Return-Path for qmail) a receiving MTA of this kind writes."""
    tls = "TLS_AES_256_GCM_SHA384"
    if kind == "qmail":
        return ("Return-Path: <%s>\nReceived: (qmail %d invoked from network); %s\nReceived: from %s (HELO %s) (%s)\n  by %s with ESMTPS (%s encrypted); %s"
                % (sender, R.randint(2000, 60000), qdate(when), frm[0], helo, frm[1], host, tls, qdate(when)))
    if kind == "exim":
        v = ("from %s ([%s] helo=%s)\n\tby %s with esmtps  (TLS1.3) tls %s\n\t(Exim 4.96)\n\t(envelope-from <%s>)\n\tid %s\n\tfor %s; %s"
             % (frm[0], frm[1], helo, host, tls, sender, eximid(), rcpt, date(when, style="pad")))
    elif kind == "sendmail":
        v = ("from %s (%s [%s])\n\tby %s (8.17.1/8.17.1) with ESMTPS id %s\n\t(version=TLSv1.3 cipher=%s bits=256 verify=NOT)\n\tfor <%s>; %s"
             % (helo, frm[0], frm[1], host, rstr(8) + "%06d" % R.randint(1000, 99999), tls, rcpt, date(when)))
    elif kind == "gmail":
        v = ("from %s (%s. [%s])\n        by mx.google.com with ESMTPS id %s.%d.%d\n        for <%s>\n        (version=TLS1_3 cipher=%s bits=256/256);\n        %s"
             % (helo, frm[0], frm[1], rstr(20).lower(), R.randint(10**6, 10**7), R.randint(10**6, 10**7), rcpt, tls, pacific(when)))
    elif kind.startswith("exchange"):
        v = ("from %s (%s [%s]) by %s.mail.protection.outlook.com\n (2603:10a6:10:%x::%x) with Microsoft SMTP Server (version=TLS1_3,\n cipher=%s) id 15.20.%d.%d via Frontend Transport; %s"
             % (helo, frm[0], frm[1], "AM4PEPF%08X" % R.getrandbits(32), R.randint(16, 4000), R.randint(1, 99), tls, R.randint(8000, 8300), R.randint(1, 40), date(when, timezone.utc)))
    else:
        v = ("from %s (%s [%s])\n\t(using TLSv1.3 with cipher %s (256/256 bits)\n\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256)\n\t(No client certificate requested)\n\tby %s (Postfix) with ESMTPS id %s\n\tfor <%s>; %s"
             % (helo, frm[0], frm[1], tls, host, pfqid_short(), rcpt, date(when, style="pf")))
    return "Received: " + v

def wire(m, remote=None, ar=None, kind="postfix"):
    """The message as it left (or arrived at) the receiver: her headers plus provider and receiver trace."""
    text, _ = m["_sent"]
    top = ""
    ar = None if kind == "qmail" else ar
    if remote:
        host, ip, when = remote
        top = recv_line(kind, m["out"], m["out"][0], host, m["_fail"], when, OWNER) + "\n"
        if ar == "ms":
            top = H(("Authentication-Results", "spf=pass (sender IP is %s) smtp.mailfrom=%s; dkim=pass (signature was verified) header.d=%s;dmarc=pass action=none header.from=%s;compauth=pass reason=100" % (m["out"][1], DOM, DOM, DOM)),
                    ("Received-SPF", "Pass (protection.outlook.com: domain of %s designates %s as permitted sender) receiver=protection.outlook.com; client-ip=%s; helo=%s; pr=C" % (DOM, m["out"][1], m["out"][1], m["out"][0]))) + "\n" + top
        elif ar:
            top = H(("Authentication-Results", "%s; dkim=pass (2048-bit key) header.d=%s header.i=@%s header.b=%s; spf=pass (%s: domain of %s designates %s as permitted sender) smtp.mailfrom=%s; dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=%s"
                     % (host, DOM, DOM, b64s(8), host, OWNER, m["out"][1], OWNER, DOM))) + "\n" + top
    return top + provider_received(m) + "\n" + text

SENT = []
day = T0
while len(SENT) < 80:
    for _ in range(R.choice([1, 2, 2, 3])):
        local = day + timedelta(hours=R.randint(0, 11), minutes=R.randint(0, 59), seconds=R.randint(0, 59))
        if len(SENT) < 80:
            SENT.append(new_sent(local, [R.choice(CONTACTS)]))
    day += timedelta(days=1 if day.weekday() < 5 else R.choice([1, 2]))
SENT.sort(key=lambda m: m["dt"])

# ---------------------------------------------------------------- failure causes
PROVIDER_OUT_IP = "195.121.84.33"

def reply(cause, rcpt, kind="postfix", ip=None):
    """(status, SMTP reply text) a receiving server of this kind would give."""
    PROVIDER_OUT_IP = ip or globals()["PROVIDER_OUT_IP"]
    if cause == "unknown":
        return "5.1.1", {"gmail": "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser %s-%sgsmtp" % (rstr(22), rstr(6)),
                         "exchange": "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [%s.eurprd04.prod.outlook.com 2026-10-05T06:12:50.8421Z 08DCE3A1B%s]" % (rstr(14, string.ascii_uppercase + string.digits), hexs(7).upper()),
                         "qmail": "511 sorry, no mailbox here by that name (#5.1.1 - chkuser)",
                         "exim": "550 5.1.1 <%s>: Recipient address rejected: User unknown" % rcpt}.get(kind, "550 5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table" % rcpt)
    if cause == "full":
        return "5.2.2", {"gmail": "552-5.2.2 The recipient's inbox is out of storage space and inactive. Please direct the recipient to 552 5.2.2  https://support.google.com/mail/?p=OverQuotaPerm %s-%sgsmtp" % (rstr(22), rstr(6)),
                         "qmail": "552 sorry, mailbox %s is over quota (#5.2.2)" % rcpt}.get(kind, "552 5.2.2 <%s>: Recipient address rejected: Mailbox full" % rcpt)
    if cause == "spam":
        return "5.7.1", {"gmail": "550-5.7.1 [%s] Gmail has detected that this message is likely 550-5.7.1 suspicious due to the very low reputation of the sending domain. 550 5.7.1  https://support.google.com/mail/answer/188131 %s-%sgsmtp" % (PROVIDER_OUT_IP, rstr(22), rstr(6)),
                         "sendmail": "554 5.7.1 Message rejected: message looks like spam (score %.1f)" % R.uniform(6, 12),
                         "qmail": "553 sorry, message rejected as spam (#5.7.1)",
                         "exchange": "550 5.7.1 Service unavailable, Client host [%s] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/ip/%s (AS3130). [AM4PEPF00027A5C.eurprd04.prod.outlook.com]" % (PROVIDER_OUT_IP, PROVIDER_OUT_IP)
                         }.get(kind, "554 5.7.1 Service unavailable; Client host [%s] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/%s" % (PROVIDER_OUT_IP, PROVIDER_OUT_IP))
    if cause == "size":
        return "5.3.4", "552 5.3.4 Message size exceeds fixed limit"
    if cause == "nxdomain":
        return "5.4.4", None
    if cause == "delay":
        return "4.4.1", None
    raise ValueError(cause)

def pf_wrap(text): return "\n".join(textwrap.wrap(text, 72, subsequent_indent="    ", break_long_words=False, break_on_hyphens=False))
def split_copy(text, mode): return {"full": text, "headers": text.split("\n\n", 1)[0] + "\n", "none": ""}[mode]
def mime_part(headers, body): return headers + "\n\n" + body.rstrip("\n") + "\n"

def multipart(bnd, parts, preamble="This is a MIME-encapsulated message.\n\n"):
    return preamble + "".join("--%s\n%s\n" % (bnd, p) for p in parts) + "--%s--\n" % bnd

# ---------------------------------------------------------------- Postfix
def postfix_bounce(reporter, sender, fails, copy, mode, when, arrival, delay=False, wrap_to=None):
    """fails: list of (rcpt, status, smtp reply or None, remote (host, ip) or None, cause)"""
    qid = pfqid() if reporter.endswith("provider-mail.nl") else pfqid_short()
    lines, recs = [], []
    for rcpt, status, text, remote, cause in fails:
        if cause == "nxdomain":
            d = rcpt.split("@")[1]
            human = "<%s>: Host or domain name not found. Name service error for name=%s type=MX: Host not found" % (rcpt, d)
            diag = None
        elif cause == "delay":
            human = "<%s>: connect to %s[%s]:25: Connection timed out" % (rcpt, remote[0], remote[1])
            diag = None
        elif remote:
            human = "<%s>: host %s[%s] said: %s (in reply to %s command)" % (rcpt, remote[0], remote[1], text,
                                                                         "end of DATA" if cause in ("spam", "size") and R.random() < .6 else "RCPT TO")
            diag = "smtp; " + text
        else:
            human = "<%s>: %s" % (rcpt, text)
            diag = "x-unix; " + text
        lines.append(pf_wrap(human))
        rec = ["Final-Recipient: rfc822; " + rcpt, "Original-Recipient: rfc822;" + rcpt,
               "Action: " + ("delayed" if delay else "failed"), "Status: " + status]
        if remote:
            rec.append("Remote-MTA: dns; " + remote[0])
        if diag:
            rec.append("Diagnostic-Code: " + diag)
        elif cause == "delay":
            rec.append("Diagnostic-Code: X-Postfix; connect to %s[%s]:25: Connection timed out" % remote)
        if delay:
            rec.append("Will-Retry-Until: " + date(arrival + timedelta(days=5), style="pf"))
        recs.append("\n".join(rec))
    if delay:
        intro = ("####################################################################\n"
                 "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n"
                 "####################################################################\n\n"
                 "Your message could not be delivered for more than 4 hour(s).\nIt will be retried until it is 5 day(s) old.\n")
    else:
        intro = ("I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. "
                 "It's attached below.\n")
    note = ("This is the mail system at host %s.\n\n%s\nFor further assistance, please send mail to postmaster.\n\n"
            "If you do so, please include this problem report. You can\ndelete your own text from the attached returned message.\n\n"
            "                   The mail system\n\n%s\n") % (reporter, intro, "\n".join(lines))
    dsn = ("Reporting-MTA: dns; %s\nX-Postfix-Queue-ID: %s\nX-Postfix-Sender: rfc822; %s\nArrival-Date: %s\n\n%s\n"
           % (reporter, qid, sender, date(arrival, style="pf"), "\n\n".join(recs)))
    bnd = "%s.%d/%s" % (qid, when.timestamp(), reporter)
    parts = [mime_part("Content-Description: Notification\nContent-Type: text/plain; charset=us-ascii", note),
             mime_part("Content-Description: %s report\nContent-Type: message/delivery-status" % ("Delay" if delay else "Delivery"), dsn)]
    if mode == "full":
        parts.append(mime_part("Content-Description: Undelivered Message\nContent-Type: message/rfc822\nContent-Transfer-Encoding: 8bit", copy))
    elif mode == "headers":
        parts.append(mime_part("Content-Description: %s Message Headers\nContent-Type: text/rfc822-headers" % ("Delayed" if delay else "Undelivered"), copy))
    h = H(("Received", "by %s (Postfix) id %s; %s" % (reporter, qid, date(when, style="pf"))),
          ("Date", date(when, style="pf")), ("From", "MAILER-DAEMON@%s (Mail Delivery System)" % reporter),
          ("Subject", "Delayed Mail (still being retried)" if delay else "Undelivered Mail Returned to Sender"),
          ("To", wrap_to or sender), ("Auto-Submitted", "auto-replied"), ("MIME-Version", "1.0"),
          ("Content-Type", 'multipart/report; report-type=delivery-status; boundary="%s"' % bnd),
          ("Content-Transfer-Encoding", "8bit"),
          ("Message-Id", "<%s.%s@%s>" % (when.strftime("%Y%m%d%H%M%S"), qid, reporter)))
    return msg(h, multipart(bnd, parts))

# ---------------------------------------------------------------- Exim
def exim_bounce(c):
    host, rcpt, cause = c["mxhost"], c["rcpt"], c["cause"]
    failed, why = rcpt, []
    if cause == "unknown":
        why = ["Unrouteable address"]
    elif cause == "full":
        why = R.choice([["mailbox is full: retry timeout exceeded"],
                        ["LMTP error after end of data:", "552 5.2.2 <%s> Quota exceeded (mailbox for user is full)" % rcpt]])
    elif cause == "spam":   # forwarded onwards, forward target rejects
        failed = c["rcpt"].split("@")[0].replace(".", "") + R.choice(["", "73", ".nl"]) + "@gmail.com"
        st, text = reply("spam", failed, "gmail", c["mxip"])
        why = ["(generated from %s)" % rcpt, "host gmail-smtp-in.l.google.com [142.250.102.27]",
               "SMTP error from remote mail server after end of data:"] + text.replace(" 550", "\n550").split("\n")
    else:
        st, text = reply(cause, rcpt, "postfix")
        why = ["host %s [%s]" % (c.get("inner", "mbox.internal"), "10.1.0.%d" % R.randint(2, 90)),
               "SMTP error from remote mail server after RCPT TO:<%s>:" % rcpt, text]
    xid = eximid()
    body = ("This message was created automatically by mail delivery software.\n\n"
            "A message that you sent could not be delivered to one or more of its\n"
            "recipients. This is a permanent error. The following address(es) failed:\n\n  %s\n%s\n"
            % (failed, "\n".join("    " + w for w in why)))
    if c["mode"] == "full":
        body += "\n------ This is a copy of the message, including all the headers. ------\n\n" + c["copy"]
    elif c["mode"] == "headers":
        body += "\n------ This is a copy of the message's headers. ------\n\n" + split_copy(c["copy"], "headers")
    to = c.get("to") or c["sender"]
    h = H(("Received", "from %s by %s with local (Exim 4.%s) id %s for %s; %s" % (
              R.choice(["mail", "Debian-exim", "mailnull"]), host, R.choice(["96", "97.1", "95"]), xid, to, date(c["when"], style="pad"))),
          ("X-Failed-Recipients", failed), ("Auto-Submitted", "auto-replied"),
          ("From", "Mail Delivery System <Mailer-Daemon@%s>" % host), ("To", to),
          ("Content-Type", "text/plain; charset=us-ascii" if R.random() < .5 else None),
          ("Subject", "Mail delivery failed: returning message to sender"),
          ("Message-Id", "<E%s@%s>" % (xid, host)), ("Date", date(c["when"], style="pad")))
    return msg(h, body)

# ---------------------------------------------------------------- Exchange / Office 365
MS_TXT = {"en": dict(subj="Undeliverable: ", top="Your message to {r} couldn't be delivered.",
                     unknown="{lp} wasn't found at {d}.", full="The recipient's mailbox is full and can't accept messages now.",
                     size="Your message is too big to be delivered to the recipient.", diag="Diagnostic information for administrators:",
                     gen="Generating server: ", ret="Remote Server returned '{x}'", orig="Original message headers:",
                     old="Delivery has failed to these recipients or groups:"),
          "nl": dict(subj="Onbestelbaar: ", top="Uw bericht aan {r} kan niet worden bezorgd.",
                     unknown="{lp} is niet gevonden op {d}.", full="Het postvak van de ontvanger is vol en kan momenteel geen berichten accepteren.",
                     size="Uw bericht is te groot om aan de ontvanger te worden bezorgd.", diag="Diagnostische gegevens voor beheerders:",
                     gen="Genererende server: ", ret="De externe server heeft '{x}' geretourneerd", orig="Oorspronkelijke berichtkoppen:",
                     old="Bezorging is mislukt voor deze ontvangers of groepen:")}
MS_CODE = {"unknown": ("5.1.10", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"),
           "full": ("5.2.2", "554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot open mailbox."),
           "size": ("5.2.3", "550 5.2.3 RESOLVER.RST.RecipSizeLimit; message too large for this recipient"),
           "spam": ("5.7.1", "550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized"),
           "nxdomain": ("5.4.310", "550 5.4.310 DNS domain does not exist [Message=InfoDomainNonexistent]")}

def exchange_bounce(c):
    lang = "nl" if c["style"].endswith("-nl") or c.get("lang") == "nl" else "en"
    t, rcpt, cause = MS_TXT[lang], c["rcpt"], c["cause"]
    lp, d = rcpt.split("@")
    online = "outlook" in c["mxhost"]
    gen = ("%s%04dMB%04d.eurprd0%d.prod.outlook.com" % (R.choice(["AM9PR", "DB9PR", "PAXPR", "AS8PR"]), R.randint(1, 9999), R.randint(1000, 9999), R.randint(1, 9))
           if online else "EXCH0%d.%s" % (R.randint(1, 3), d.split(".")[0] + ".local"))
    status, code = MS_CODE.get(cause, MS_CODE["unknown"])
    hdrs = split_copy(c["copy"], "headers")
    when = c["when"]
    if online:
        text = "\n\n".join([t["top"].format(r=rcpt), t.get(cause, t["unknown"]).format(lp=lp, d=d), t["diag"], t["gen"] + gen,
                            rcpt + "\n" + t["ret"].format(x=code), t["orig"], hdrs])
    else:
        text = "\n\n".join([t["old"], rcpt, t.get(cause, t["unknown"]).format(lp=lp, d=d), t["diag"], t["gen"] + gen,
                            rcpt + "\n#" + code + " ##", t["orig"], hdrs])
    html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body><p><b><font color=\"#000066\" size=\"3\">%s</font></b></p><p>%s</p><p>%s<br>%s</p></body></html>" % (
        t["top"].format(r=rcpt), t.get(cause, t["unknown"]).format(lp=lp, d=d), t["gen"] + gen, code)
    enc = "base64" if lang == "nl" else "quoted-printable"
    alt = boundary("ms")
    ptxt = b64(text) if enc == "base64" else qp(text)
    alternative = multipart(alt, [mime_part("Content-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: " + enc, ptxt),
                                  mime_part("Content-Type: text/html; charset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable", qp(html))], "")
    dsn = "Reporting-MTA: dns;%s\nReceived-From-MTA: dns;%s\nArrival-Date: %s\n\nFinal-Recipient: rfc822;%s\nAction: failed\nStatus: %s\nDiagnostic-Code: smtp;%s\n" % (
        gen, c.get("from_mta", OUT[0])[0], date(c["arrival"], timezone.utc), rcpt, status, code)
    if cause == "full":
        dsn += "X-Display-Name: %s\n" % lp.replace(".", " ").title()
    bnd = boundary("ms")
    parts = [mime_part('Content-Type: multipart/alternative; differences=Content-Type;\n\tboundary="%s"' % alt, alternative),
             mime_part("Content-Type: message/delivery-status", dsn)]
    if c["mode"] == "full":
        parts.append(mime_part("Content-Type: message/rfc822", c["copy"]))
    else:
        parts.append(mime_part("Content-Type: text/rfc822-headers", hdrs))
    tenant = d.replace(".", "").replace("-", "")
    frm = ("Microsoft Outlook <postmaster@outlook.com>" if d in ("outlook.com", "hotmail.com") else
           "Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@%s.onmicrosoft.com>" % tenant if online else
           "Microsoft Exchange <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@%s>" % d)
    to = c.get("to") or c["sender"]
    subj = c["subject"]
    h = H(("Received", "from %s (2603:10a6:20b:%x::%x) by %s with HTTPS; %s" % (gen, R.randint(16, 4095), R.randint(1, 99), gen.replace("MB", "MB0", 1), date(when, timezone.utc)) if online else None),
          ("MIME-Version", "1.0"), ("From", frm), ("To", "<%s>" % to), ("Date", date(when, timezone.utc)),
          ("Content-Type", 'multipart/report; report-type=delivery-status;\n\tboundary="%s"' % bnd),
          ("X-MS-Exchange-Message-Is-Ndr", ""), ("Content-Language", "nl-NL" if lang == "nl" else "en-US"),
          ("Message-ID", "<%s-%s-%s-%s-%s@%s>" % (hexs(8), hexs(4), hexs(4), hexs(4), hexs(12), gen)),
          ("In-Reply-To", c.get("mid")), ("References", c.get("mid")), ("Thread-Topic", enc_subject(subj, "b")),
          ("Thread-Index", base64.b64encode(bytes(R.getrandbits(8) for _ in range(22))).decode()),
          ("Subject", enc_subject(t["subj"] + subj, "b")), ("Auto-Submitted", "auto-replied"),
          ("X-MS-PublicTrafficType", "Email" if online else None))
    if online:
        n = R.randint(2010, 2099)
        c["src"] = ("mail-am6eur05on%d.outbound.protection.outlook.com" % n, "40.107.22.%d" % (n % 250))
    return msg(h, multipart(bnd, parts, ""))

# ---------------------------------------------------------------- Gmail / Google Workspace
G_TXT = {"unknown": ("Address not found", "Your message wasn't delivered to {r} because the address couldn't be found, or is unable to receive mail.", "NoSuchUser"),
         "full": ("Mailbox full", "Your message couldn't be delivered to {r}. Their inbox is full, or it's getting too much mail right now.", "OverQuotaPerm"),
         "spam": ("Message blocked", "Your message to {r} has been blocked. See technical details below for more information.", "MessageRejected"),
         "nxdomain": ("Address not found", "Your message wasn't delivered to {r} because the domain {d} couldn't be found. Check for typos or unnecessary spaces and try again.", "BadRcptDomain")}

def pacific(dt):
    pdt = dt < datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
    return date(dt, timezone(timedelta(hours=-7 if pdt else -8)), "pad") + (" (PDT)" if pdt else " (PST)")

def gmail_bounce(c):
    rcpt, cause = c["rcpt"], c["cause"]
    title, expl, p = G_TXT.get(cause, G_TXT["unknown"])
    if cause == "unknown":
        resp = "The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser"
        status, remote = "5.1.1", None
    else:
        status, resp = reply(cause, rcpt, "postfix", "209.85.220.%d" % R.randint(40, 90))
        remote = c.get("fwd_mx", "mx.%s" % rcpt.split("@")[1])
    text = "\n** %s **\n\n%s\n\n%s\n\nThe response %s:\n\n%s\n" % (
        title, expl.format(r=rcpt, d=rcpt.split("@")[1]), "Learn more here: https://support.google.com/mail/?p=" + p,
        "from the remote server was" if remote else "was", resp)
    html = "<html><head></head><body><div style=\"font-family:Google Sans,Roboto,Arial\"><h2>%s</h2><p>%s</p><p>%s</p></div></body></html>" % (
        title, expl.format(r="<a style='color:#212121'>%s</a>" % rcpt, d=rcpt.split("@")[1]), resp)
    outer, alt = boundary("g"), boundary("g")
    alternative = multipart(alt, [mime_part('Content-Type: text/plain; charset="UTF-8"', text),
                                  mime_part('Content-Type: text/html; charset="UTF-8"\nContent-Transfer-Encoding: quoted-printable', qp(html))], "")
    dsn = "Reporting-MTA: dns; googlemail.com\nArrival-Date: %s\n\nFinal-Recipient: rfc822; %s\nAction: failed\nStatus: %s\n" % (pacific(c["arrival"]), rcpt, status)
    if remote:
        dsn += "Remote-MTA: dns; %s. (%s, the server for the domain %s.)\n" % (remote, c.get("fwd_ip", "203.0.113.%d" % R.randint(2, 250)), rcpt.split("@")[1])
    dsn += "Diagnostic-Code: smtp; %s\nLast-Attempt-Date: %s\n" % (resp, pacific(c["when"]))
    parts = [mime_part('Content-Type: multipart/alternative; boundary="%s"' % alt, alternative),
             mime_part("Content-Type: message/delivery-status", dsn)]
    if c["mode"] == "full":
        parts.append(mime_part("Content-Type: message/rfc822", c["copy"]))
    else:
        parts.append(mime_part("Content-Type: text/rfc822-headers", split_copy(c["copy"], "headers")))
    gid = "%s.%s.%s.%s.GMR@mx.google.com" % (hexs(8), hexs(9), hexs(5), hexs(4))
    h = H(("Received", "by 2002:a05:6000:%x:b0:%x:%x:%x with SMTP id %scsp%d%s; %s" % (R.randint(256, 8191), R.randint(256, 4095), R.randint(256, 65535), R.randint(256, 65535),
                                                                                     rstr(3, string.ascii_lowercase), R.randint(10**6, 10**7), rstr(3, string.ascii_lowercase), pacific(c["when"]))),
          ("X-Google-Smtp-Source", b64s(60)), ("X-Received", "by 2002:a05:6000:%x with SMTP id %s.%d.%d; %s" % (R.randint(256, 8191), rstr(18), R.randint(10**8, 10**9), R.randint(10**12, 10**13), pacific(c["when"]))),
          ("MIME-Version", "1.0"), ("From", "Mail Delivery Subsystem <mailer-daemon@googlemail.com>"),
          ("To", c.get("to") or c["sender"]), ("Auto-Submitted", "auto-replied"), ("Subject", "Delivery Status Notification (Failure)"),
          ("References", c.get("mid")), ("In-Reply-To", c.get("mid")), ("X-Failed-Recipients", rcpt),
          ("Message-ID", "<%s>" % gid), ("Date", pacific(c["when"])),
          ("Content-Type", 'multipart/report; boundary="%s"; report-type=delivery-status' % outer))
    c["src"] = ("mail-sor-f%d.google.com" % R.randint(41, 73), "209.85.220.%d" % R.randint(41, 73))
    return msg(h, multipart(outer, parts, ""))

# ---------------------------------------------------------------- qmail
def qdate(dt): return "%d %s -0000" % (dt.day, dt.astimezone(timezone.utc).strftime("%b %Y %H:%M:%S"))

def qmail_bounce(c):
    rcpt, cause, host, ip = c["rcpt"], c["cause"], c["mxhost"], c["mxip"]
    if cause == "unknown":
        why = "Sorry, no mailbox here by that name. (#5.1.1)"
    elif cause == "full":
        why = R.choice(["The users mailbox is over quota. (#5.2.2)", "user is over quota (#5.2.2)"])
    else:
        fip = "10.20.0.%d" % R.randint(2, 40)
        why = "Connected to %s but sender was rejected.\nRemote host said: %s\nGiving up on %s." % (fip, reply(cause, rcpt, "qmail")[1], fip)
    pid = R.randint(2000, 60000)
    body = ("Hi. This is the qmail-send program at %s.\nI'm afraid I wasn't able to deliver your message to the following addresses.\n"
            "This is a permanent error; I've given up. Sorry it didn't work out.\n\n<%s>:\n%s\n\n--- Below this line is a copy of the message.\n\n"
            % (host, rcpt, why))
    copy = split_copy(c["copy"], c["mode"])
    h = H(("Return-Path", "<>"), ("Received", "(qmail %d invoked for bounce); %s" % (pid, qdate(c["when"]))),
          ("Date", qdate(c["when"])), ("From", "MAILER-DAEMON@" + host), ("To", c.get("to") or c["sender"]),
          ("Subject", "failure notice"))
    return msg(h, body + copy)

# ---------------------------------------------------------------- Sendmail
def sendmail_bounce(c):
    rcpt, cause, host = c["rcpt"], c["cause"], c["mxhost"]
    qid = rstr(8, string.ascii_letters + string.digits) + "%06d" % R.randint(1000, 99999)
    tz = c.get("tz")
    frm = c.get("from_mta", OUT[0])
    inner = "mailhost." + rcpt.split("@")[1]
    if cause == "unknown" and R.random() < .6:
        diag, trans, remote = "550 5.1.1 <%s>... User unknown" % rcpt, "550 5.1.1 <%s>... User unknown" % rcpt, None
    else:
        st, text = reply(cause, rcpt, "sendmail")
        diag = text
        cmd = "DATA" if cause in ("spam", "size") else "RCPT To:<%s>" % rcpt
        trans = "... while talking to %s.:\n>>> %s\n<<< %s\n%s" % (inner, cmd, text, "554 5.0.0 Service unavailable" if cmd == "DATA" else "550 5.1.1 <%s>... User unknown" % rcpt)
        remote = inner
    status = {"unknown": "5.1.1", "full": "5.2.2", "spam": "5.7.1", "size": "5.3.4"}.get(cause, "5.0.0")
    bnd = "%s.%d/%s" % (qid, c["when"].timestamp(), host)
    note = ("The original message was received at %s\nfrom %s [%s]\n\n   ----- The following addresses had permanent fatal errors -----\n<%s>\n"
            "    (reason: %s)\n\n   ----- Transcript of session follows -----\n%s\n" % (date(c["arrival"], tz), frm[0], frm[1], rcpt, diag, trans))
    dsn = ("Reporting-MTA: dns; %s\nReceived-From-MTA: DNS; %s\nArrival-Date: %s\n\nFinal-Recipient: RFC822; %s\nAction: failed\nStatus: %s\n"
           % (host, frm[0], date(c["arrival"], tz), rcpt, status))
    if remote:
        dsn += "Remote-MTA: DNS; %s\n" % remote
    dsn += "Diagnostic-Code: SMTP; %s\nLast-Attempt-Date: %s\n" % (diag, date(c["when"], tz))
    parts = [mime_part("", note).lstrip("\n"), mime_part("Content-Type: message/delivery-status", dsn),
             mime_part("Content-Type: message/rfc822", c["copy"]) if c["mode"] == "full" else
             mime_part("Content-Type: text/rfc822-headers", split_copy(c["copy"], "headers"))]
    parts[0] = "\n" + parts[0]
    h = H(("Received", "from localhost (localhost) by %s (8.%s) id %s; %s" % (host, R.choice(["17.1/8.17.1", "15.2/8.15.2", "14.7/8.14.7"]), qid, date(c["when"], tz))),
          ("Date", date(c["when"], tz)), ("From", "Mail Delivery Subsystem <MAILER-DAEMON@%s>" % host),
          ("Message-Id", "<%s.%s@%s>" % (c["when"].astimezone(timezone.utc).strftime("%Y%m%d%H%M"), qid, host)),
          ("To", "<%s>" % (c.get("to") or c["sender"])), ("MIME-Version", "1.0"),
          ("Content-Type", 'multipart/report; report-type=delivery-status;\n\tboundary="%s"' % bnd),
          ("Subject", "Returned mail: see transcript for details"), ("Auto-Submitted", "auto-generated (failure)"))
    return msg(h, multipart(bnd, parts, "This is a MIME-encapsulated message\n\n"))

# ---------------------------------------------------------------- terse (no copy of the original at all)
TERSE = {"unknown": "550 5.1.1 <{r}>: user unknown", "full": "552 5.2.2 <{r}>: mailbox is full",
         "spam": "554 5.7.1 <{r}>: message rejected as spam", "size": "552 5.3.4 <{r}>: message too big",
         "nxdomain": "550 5.1.2 <{r}>: domain not found"}

def terse_bounce(c):
    line, host, v = TERSE[c["cause"]].format(r=c["rcpt"]), c["mxhost"], R.randint(0, 2)
    to = c.get("to") or c["sender"]
    if v == 0:
        subj, frm = "Undeliverable mail" + (": " + c["subject"] if R.random() < .5 else ""), "postmaster@" + host
        body = "Your message could not be delivered to the following recipient:\n\n" + line + "\n"
    elif v == 1:
        subj, frm, body = "Delivery failure", '"Mail Administrator" <postmaster@%s>' % host, line + "\n"
    else:
        subj, frm = "Returned mail: " + {"unknown": "User unknown", "full": "Mailbox full"}.get(c["cause"], "Service unavailable"), "MAILER-DAEMON@" + host
        body = "   ----- Transcript of session follows -----\n" + line.replace(">:", ">...") + "\n"
    h = H(("Date", date(c["when"], c.get("tz"))), ("From", frm), ("To", to), ("Subject", enc_subject(subj)),
          ("Message-ID", "<%s@%s>" % (rstr(16, string.digits + string.ascii_uppercase), host)) if v != 1 else ("X-Mailer", "MDaemon 23.5.2"),
          ("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=utf-8" if v == 0 else "text/plain; charset=us-ascii"))
    return msg(h, body)

# ---------------------------------------------------------------- dispatch
def kind_of(a): return DOMAINS.get(a.split("@")[1], ("postfix", "mx." + a.split("@")[1], "0.0.0.0"))[0]

def pf_provider(c):
    remote = None if c["cause"] == "nxdomain" else (c["mxhost"], c["mxip"])
    status, text = reply(c["cause"], c["rcpt"], c["kind"], dict(OUT).get(c["reporter"]))
    return postfix_bounce(c["reporter"], c["sender"], [(c["rcpt"], status, text, remote, c["cause"])] + c.get("more", []),
                          split_copy(c["copy"], c["mode"]), c["mode"], c["when"], c["arrival"], c["cause"] == "delay" and not c.get("final"), c.get("to"))

def pf_remote(c):  # accept-then-bounce by a Postfix gateway in front of an internal mail server
    status, text = reply(c["cause"], c["rcpt"], "postfix")
    inner = R.choice(["10.0.%d.%d" % (R.randint(0, 9), R.randint(2, 60)), "192.168.10.%d" % R.randint(2, 60)])
    remote = (R.choice(["exch01.", "mailstore.", "zimbra.", "mbx."]) + c["mxhost"].split(".", 1)[1], inner)
    return postfix_bounce(c["mxhost"], c["sender"], [(c["rcpt"], status, text, remote, c["cause"])],
                          split_copy(c["copy"], c["mode"]), c["mode"], c["when"], c["arrival"], False, c.get("to"))

STYLES = {"provider": pf_provider, "postfix": pf_remote, "exim": exim_bounce, "exchange": exchange_bounce, "exchange-nl": exchange_bounce, "gmail": gmail_bounce, "qmail": qmail_bounce, "sendmail": sendmail_bounce, "terse": terse_bounce}

def render(c): return STYLES.get(c["style"], pf_provider)(c)

def emit(c, verdict, what, text=None):
    CUR_TZ[:] = [c["tz"]] if c.get("tz") else []
    text = text or render(c)
    CUR_TZ[:] = []
    src = c.get("src") or ((c["reporter"], dict(OUT)[c["reporter"]]) if c["style"] == "provider" else (c["mxhost"], c["mxip"]))
    return deliver(text, c.get("to") or c["sender"], c["when"], verdict, what, src=src)

# ---------------------------------------------------------------- real failures
REAL_PLAN = ([("provider", "unknown")] * 6 + [("provider", "full")] * 2 + [("provider", "nxdomain")] * 3 + [("provider", "spam")] * 2
             + [("provider", "delay")] * 2 + [("exim", "unknown")] * 2 + [("exim", "full")] * 3 + [("exim", "spam")]
             + [("exchange", "unknown")] * 2 + [("exchange", "full"), ("exchange", "size")] + [("exchange-nl", "unknown")] * 2
             + [("exchange-nl", "full"), ("gmail", "unknown"), ("gmail", "full"), ("gmail", "spam")] + [("qmail", "unknown")] * 2
             + [("qmail", "full"), ("sendmail", "unknown"), ("sendmail", "unknown"), ("sendmail", "spam")]
             + [("terse", c) for c in ("unknown", "unknown", "full", "spam", "unknown")])

def mangle_local(a):
    lp, d = a.split("@")
    i = R.randint(1, len(lp) - 2) if len(lp) > 3 else 1
    new = lp[:i] + lp[i + 1] + lp[i] + lp[i + 2:] if R.random() < .5 else lp + R.choice("sen")
    return (new if new != lp else lp + "s") + "@" + d

def mangle_domain(a):
    lp, d = a.split("@")
    name, tld = d.rsplit(".", 1)
    return lp + "@" + R.choice([name + "." + tld + tld[-1], name[:2] + name[3:] + "." + tld, name.replace("-", "") + "." + tld])

def plan_real():
    fails, idx = [], R.sample(range(len(SENT)), len(REAL_PLAN))
    multi_done = False
    for (style, cause), i in zip(REAL_PLAN, idx):
        m = SENT[i]
        pool = [c for c in CONTACTS if (kind_of(c[2]) != "terse") if style == "provider"] or \
               [c for c in CONTACTS if kind_of(c[2]) == style.replace("-nl", "-nl")]
        if cause == "delay":   # a small self-hosted server that is down for days
            pool = [c for c in CONTACTS if c[2].endswith(("graanhandel-noord.nl", "cafe-hetanker.nl", "bloemenhuis-desmet.be"))]
        c = R.choice(pool)
        if cause == "unknown":
            c = (c[0], c[1], mangle_local(c[2]))
        elif cause == "nxdomain":
            c = (c[0], c[1], mangle_domain(c[2]))
        elif cause == "size":
            m["attach"], m["client"] = 150000, "tb"
            m["subject"] = "Foto's van de taart voor het jubileum"
        m["to"] = [c]
        if style == "provider" and cause == "unknown" and not multi_done:
            m["to"], m["cc"], multi_done = [c] + R.sample(CONTACTS, 2), [R.choice(CONTACTS)], True
            m["subject"] = "Kerstbestelling 2026 – graag vóór 20 november doorgeven"
        fails.append(dict(m=m, rcpt=c[2], style=style, cause=cause, multi=len(m["to"]) > 1))
    return fails

def real_bounces(fails):
    for f in fails:
        m, rcpt, style, cause = f["m"], f["rcpt"], f["style"], f["cause"]
        kind, mxhost, mxip = DOMAINS.get(rcpt.split("@")[1], ("postfix", "mx." + rcpt.split("@")[1], "0.0.0.0"))
        m["_fail"] = rcpt
        if style == "provider":
            when = m["dt"] + timedelta(seconds=R.randint(8, 240))
            copy = wire(m)
        else:
            when = m["dt"] + timedelta(minutes=R.choice([1, 3, 20, 95, 600, 2900]), seconds=R.randint(0, 59))
            copy = wire(m, (mxhost, mxip, m["dt"] + timedelta(seconds=12)), ar="ms" if "outlook" in mxhost else R.random() < .35, kind=kind)
        mode = "headers" if m["attach"] or R.random() < .15 else "full"
        c = dict(rcpt=rcpt, cause=cause, kind=kind, style=style, mxhost=mxhost, mxip=mxip, copy=copy, mode=mode, when=when,
                 arrival=m["dt"] + timedelta(seconds=6), sender=OWNER, from_mta=m["out"], reporter=m["out"][0], subject=m["subject"], mid=m["mid"])
        what = "%s %s to %s%s" % (style, cause, rcpt, " (1 of 4 recipients of this mail)" if f["multi"] else "")
        if cause == "delay":
            c["when"] = m["dt"] + timedelta(hours=4, minutes=R.randint(1, 50))
            emit(c, "real", "provider delay warning (Action: delayed) to " + rcpt)
            if f is [x for x in fails if x["cause"] == "delay"][0]:
                c = dict(c, when=m["dt"] + timedelta(days=5, minutes=R.randint(1, 50)), final=True, mode="full")
                emit(c, "real", "provider final failure after 5 days of timeouts to " + rcpt)
            continue
        emit(c, "real", what)

# ---------------------------------------------------------------- backscatter: forged mail, never sent by her
BOTS = ["{a}-{b}-{c}-{d}.dynamic.telecom.br.example", "host-{a}-{b}-{c}-{d}.retail.telecomitalia.example", "{d}.{c}.{b}.{a}.dynamic-ip.3bb.example",
        "ip-{a}-{b}-{c}-{d}.speedy.ar.example", "{a}.{b}.{c}.{d}.static.vnpt.example", "dsl-{d}.cust.ttnet.example", "unknown"]
TLDS = ["com", "com", "de", "fr", "it", "pl", "com.br", "co.uk", "es", "ro", "ru", "in", "net", "nl", "org"]
SYL = "ab ar bel con dor el fin gar hel in kar lo mar nor ost pra ri sol tek ul ver zan fo mi ta".split()
SPAM = ["Exclusive offer: 80% off all watches", "Your account has been suspended", "Re: Invoice #{n} overdue", "Ihre Bestellung #{n} wurde versandt",
        "Get rich with crypto – 500% return guaranteed", "Cialis 20mg -70% today only", "You have (1) new voicemail", "Payment confirmation {n}",
        "Hot singles near you 💋", "Your parcel could not be delivered", "Réclamez votre cadeau maintenant", "Zaproszenie do współpracy", "Re: Offerte"]
VICTIM_STYLES = ["postfix"] * 7 + ["exim"] * 6 + ["exchange"] * 4 + ["exchange-nl"] + ["qmail"] * 3 + ["sendmail"] * 3 + ["gmail"] + ["terse"] * 4
FOREIGN_TZ = [timezone.utc, timezone(timedelta(hours=-3)), timezone(timedelta(hours=1)), timezone(timedelta(hours=3)), timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-5))]

def bot():
    a, b, cc, d = R.randint(24, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254)
    return R.choice(BOTS).format(a=a, b=b, c=cc, d=d), "%d.%d.%d.%d" % (a, b, cc, d)

def victim_domain():
    return "".join(R.sample(SYL, R.choice([2, 3]))) + R.choice(["", "", "", "-shop", "tech", "group", "-mail"]) + "." + R.choice(TLDS)

def forged_sender():
    if R.random() < .45:
        return OWNER
    return R.choice(["info", "sales", "noreply", "admin", "marieke.devries", rstr(R.randint(5, 9), string.ascii_lowercase), R.choice(FIRST).lower() + str(R.randint(1, 99))]) + "@" + DOM

def forge(sent_at, rcpt, env_from, kind, mxhost, wave):
    """A spam run with her domain in MAIL FROM: arrives at the victim's MX straight from a bot."""
    host, ip = bot()
    helo = R.choice([DOM, DOM, host if host != "unknown" else "[%s]" % ip, "User-PC", rstr(8, string.ascii_uppercase + string.digits), "mail." + DOM])
    shown = sent_at - R.choice([timedelta(0), timedelta(0), timedelta(hours=R.randint(1, 9)), timedelta(days=R.randint(1, 6)), timedelta(minutes=R.randint(1, 40))])
    subj = R.choice(SPAM).format(n=R.randint(10000, 99999))
    mid = R.choice(["<%s.%s@%s>" % (shown.strftime("%Y%m%d%H%M%S"), rstr(10, "0123456789ABCDEF"), DOM), "<%s$%s$%s$@%s>" % (hexs(12), hexs(8), hexs(8), DOM),
                    "<%s@%s>" % (rstr(24).lower(), victim_domain()), "<%s.%d@%s>" % (hexs(16).upper(), R.randint(10**5, 10**7), helo.strip("[]"))])
    frm = R.choice(['"%s" <%s>' % (OWNER_NAME, env_from), "%s <%s>" % (R.choice(["Support", "Anna", "Sales Team", "Bakkerij De Vries", "Lisa"]), env_from), env_from])
    ar = ""
    if R.random() < .5:
        spf = R.choice(["fail", "softfail"])
        ar = H(("Authentication-Results", "%s; spf=%s (%s: domain of %s does not designate %s as permitted sender) smtp.mailfrom=%s; dkim=none; dmarc=fail (p=QUARANTINE sp=QUARANTINE dis=%s) header.from=%s"
                % (mxhost, spf, mxhost, env_from, ip, DOM, R.choice(["QUARANTINE", "NONE"]), DOM))) + "\n"
    fake = ""
    if wave == "fake-provider":   # forged trace pretending to come from her provider; the real hop above still shows the bot
        fake = H(("Received", "from [192.168.1.%d] (%s [%s]) (Authenticated sender: %s) by %s (Postfix) with ESMTPSA id %s; %s"
                  % ((R.randint(2, 99),) + bot() + (OWNER, SUB[0], pfqid(), date(shown))))) + "\n"
    elif R.random() < .3:
        fake = H(("Received", "from %s ([127.0.0.1]) by %s with Microsoft SMTPSVC(6.0.3790.4675); %s" % (helo, helo.strip("[]"), date(shown, timezone(timedelta(hours=R.choice([-8, 3, 8]))))))) + "\n"
    top = recv_line(kind, (host, ip), helo, mxhost, rcpt, sent_at, env_from) + "\n" + ar + fake
    html = '<html><body><p><a href="http://%s.%s/%s">%s</a></p><p>%s</p></body></html>' % (rstr(7, string.ascii_lowercase), R.choice(["top", "xyz", "ru", "shop"]), rstr(10), subj, rstr(60, string.ascii_lowercase + "     "))
    hdr = H(("Message-ID", mid), ("From", enc_subject(frm, "b")), ("To", rcpt), ("Subject", enc_subject(subj, R.choice("qb"))),
            ("Date", date(shown, R.choice(FOREIGN_TZ), "pad")), ("MIME-Version", "1.0"),
            ("X-Mailer", R.choice(["Microsoft Outlook Express 6.00.2900.5512", "The Bat! (v3.51.10) Professional", "Microsoft Office Outlook 12.0", None])),
            ("Content-Type", 'text/html; charset="%s"' % R.choice(["utf-8", "iso-8859-1", "windows-1251"])),
            ("Content-Transfer-Encoding", "base64" if R.random() < .5 else "7bit"))
    body = b64(html) if "base64" in hdr else html
    return top + msg(hdr, body), subj, mid, (host, ip)

def backscatter():
    waves = [(datetime(2026, 10, 13, 20, 40, tzinfo=timezone.utc), 26, 30, "w1"), (datetime(2026, 11, 2, 2, 10, tzinfo=timezone.utc), 18, 20, "w2"),
             (datetime(2026, 11, 10, 13, 5, tzinfo=timezone.utc), 11, 10, "w3")]
    waves += [(T0 + timedelta(days=R.randint(2, 40), hours=R.randint(0, 23)), 1, 1, "iso") for _ in range(6)]
    n = 0
    for start, count, hours, tag in waves:
        for _ in range(count):
            n += 1
            sent_at = start + timedelta(minutes=R.randint(0, hours * 60))
            style = R.choice(VICTIM_STYLES)
            d = victim_domain()
            rcpt = R.choice([R.choice(FIRST).lower(), "info", "contact", rstr(6, string.ascii_lowercase), R.choice(LAST).lower().replace(" ", "") + str(R.randint(1, 90))]) + "@" + d
            mxhost = {"exchange": d.replace(".", "-") + ".mail.protection.outlook.com", "gmail": "aspmx.l.google.com"}.get(style.replace("-nl", ""), R.choice(["mail.", "mx.", "mx1.", "smtp."]) + d)
            kind = "postfix" if style == "terse" else style
            env_from = forged_sender()
            text, subj, mid, b = forge(sent_at, rcpt, env_from, kind, mxhost, "fake-provider" if n == 40 else tag)
            when = sent_at + timedelta(seconds=R.randint(5, 50)) + R.choice([timedelta(0), timedelta(minutes=R.randint(1, 90)), timedelta(hours=R.randint(2, 30))])
            cause = R.choice(["unknown"] * 5 + ["full"] * 2 + ["spam"]) if style not in ("exchange", "exchange-nl") else R.choice(["unknown", "unknown", "full"])
            mode = "none" if style == "terse" else R.choice(["full", "full", "full", "headers"])
            c = dict(rcpt=rcpt, cause=cause, kind=kind, style=style, mxhost=mxhost, mxip=bot()[1], copy=text, mode=mode, when=when, arrival=sent_at,
                     sender=env_from, to=env_from, reporter=mxhost, subject=subj, mid=mid, from_mta=b, tz=R.choice(FOREIGN_TZ), lang="nl" if d.endswith(".nl") else "en")
            what = "%s %s %s via %s (forged %s)%s" % (tag, style, cause, rcpt, env_from, ", fake provider Received in copy" if n == 40 else "")
            emit(c, "backscatter", what)

# ---------------------------------------------------------------- account abuse: her login, foreign VPS, not in .Sent
ATTACKERS = [("WIN-3KHG7Q2LM0P", "unknown", "45.139.122.17"), ("[185.244.25.61]", "vps25-61.fastvps-hosting.example", "185.244.25.61"),
             ("ubuntu-s-1vcpu-1gb-fra1-01", "static.102.55.198.88.clients.your-server.example", "88.198.55.102")]
PHISH = ["Openstaande factuur INV-2026-{n}", "Document gedeeld: Offerte_{n}.pdf", "Betalingsherinnering – laatste kans", "Uw Microsoft 365-wachtwoord verloopt vandaag"]

def abuse():
    start = datetime(2026, 11, 6, 13, 10, tzinfo=timezone.utc)
    plan = [("provider", "unknown")] * 3 + [("provider", "spam")] * 2 + [("provider", "multi"), ("provider", "nxdomain"),
            ("exchange", "unknown"), ("exchange-nl", "full"), ("exim", "unknown")]
    for i, (style, cause) in enumerate(plan):
        t = start + timedelta(minutes=i * 19 + R.randint(0, 12), seconds=R.randint(0, 59))
        helo, rdns, ip = ATTACKERS[0 if i < 4 else (1 if i < 8 else 2)]
        d = R.choice(["ziggo.nl", "kpnmail.nl", "planet.nl", "hetnet.nl", "home.nl", victim_domain(), victim_domain()]) if style == "provider" else victim_domain().rsplit(".", 1)[0] + ".nl"
        rcpt = R.choice([R.choice(FIRST).lower() + "." + R.choice(LAST).lower().replace(" ", ""), "info", "administratie", "boekhouding"]) + "@" + d
        if cause == "nxdomain":
            rcpt = mangle_domain(rcpt)
        m = new_sent(t, [("", "", rcpt), ("", "", "x@x")], client="tb")
        m["via"], m["_fail"] = "%s (%s [%s])" % (helo, rdns, ip), rcpt
        subj = R.choice(PHISH).format(n=R.randint(1000, 9999))
        html = ('<html><body><p>Geachte klant,</p><p>In de bijlage vindt u de factuur. <a href="https://%s.%s/inv/%s">Bekijk document</a></p>'
                '<p>Met vriendelijke groet,<br>Marieke de Vries</p></body></html>' % (rstr(8, string.ascii_lowercase), R.choice(["click", "page.link", "top"]), rstr(12)))
        hdr = H(("Date", date(t, timezone.utc)), ("To", "undisclosed-recipients:;"), ("From", "%s <%s>" % (OWNER_NAME, OWNER)),
                ("Subject", enc_subject(subj, "q")), ("Message-ID", "<%s@%s>" % (rstr(40), helo.strip("[]"))),
                ("X-Mailer", "PHPMailer 6.9.1 (https://github.com/PHPMailer/PHPMailer)"), ("MIME-Version", "1.0"),
                ("Content-Type", "text/html; charset=utf-8"), ("Content-Transfer-Encoding", "quoted-printable"))
        m["_sent"] = (msg(hdr, qp(html)), hdr)
        mid = hdr.split("Message-ID: ")[1].split("\n")[0]
        kind, mxhost, mxip = DOMAINS.get(d, (style if style != "provider" else "postfix", "mx." + d, bot()[1]))
        if "exchange" in style:
            mxhost = d.replace(".", "-") + ".mail.protection.outlook.com"
        remote = None if style == "provider" else (mxhost, mxip, t + timedelta(seconds=15))
        c = dict(rcpt=rcpt, cause="unknown" if cause == "multi" else cause, kind=kind, style=style, mxhost=mxhost, mxip=mxip, when=t + timedelta(seconds=R.randint(6, 400)),
                 copy=wire(m, remote, ar="ms" if "exchange" in style else True, kind=kind) if remote else wire(m), mode=R.choice(["full", "full", "headers"]),
                 arrival=t + timedelta(seconds=3), sender=OWNER, from_mta=m["out"], reporter=m["out"][0], subject=subj, mid=mid, lang="nl")
        if cause == "multi":
            c["more"] = [(r, "5.1.1", reply("unknown", r, kind)[1], (mxhost, mxip), "unknown")
                         for r in ("%s@%s" % (R.choice(FIRST).lower(), d), "%s@%s" % (R.choice(LAST).lower().replace(" ", ""), d))]
        emit(c, "abuse", "%s %s to %s, sent via her login from %s [%s]%s" % (style, cause, rcpt, rdns, ip, " (3 rcpts)" if cause == "multi" else ""))

# ---------------------------------------------------------------- not bounces
OOO = {"nl": ("Automatisch antwoord: ", "Beste afzender,\n\nIk ben afwezig tot en met {d} en lees mijn e-mail niet. Voor dringende zaken kunt u bellen met 0341-{n}.\n\nMet vriendelijke groet,\n{name}\n"),
       "nl2": ("Afwezig: ", "Hallo,\n\nIk ben met vakantie en vanaf {d} weer bereikbaar. Uw bericht wordt niet doorgestuurd.\n\n{name}\n"),
       "en": ("Automatic reply: ", "Thank you for your email. I am out of the office until {d} with limited access to email.\nFor urgent matters please contact our office.\n\nKind regards,\n{name}\n"),
       "en2": ("Out of Office: ", "I'm currently away and will return on {d}. I will respond to your message when I'm back.\n\n{name}\n"),
       "de": ("Automatische Antwort: ", "Vielen Dank für Ihre Nachricht.\n\nIch bin bis einschließlich {d} nicht im Büro. Ihre E-Mail wird nicht weitergeleitet.\n\nMit freundlichen Grüßen\n{name}\n"),
       "de2": ("Abwesenheitsnotiz: ", "Guten Tag,\n\nich bin derzeit im Urlaub und ab dem {d} wieder für Sie erreichbar.\n\nViele Grüße\n{name}\n")}

def nb(to, dt, frm, subj, body, what, extra=(), ct="text/plain; charset=utf-8", cte=None, rp=None, mid_host=None):
    host = mid_host or frm.split("@")[-1].strip(">")
    if cte is None:
        cte = "8bit" if any(ord(ch) > 127 for ch in body) else "7bit"
    h = H(("Date", date(dt)), ("From", enc_subject(frm, "q") if "@" not in frm.split("<")[0] else frm), ("To", to), ("Subject", enc_subject(subj, R.choice("qb"))),
          ("Message-ID", "<%s@%s>" % (rstr(R.choice([20, 32])), host)), *extra, ("MIME-Version", "1.0"), ("Content-Type", ct), ("Content-Transfer-Encoding", cte))
    body = b64(body) if cte == "base64" else qp(body) if cte == "quoted-printable" else body
    deliver(msg(h, body), to.split("<")[-1].strip(">"), dt, "none", what, src=("mail." + host, bot()[1]), rp=rp or "<%s>" % frm.split("<")[-1].strip(">"))

def not_bounces(failed):
    ok = [m for m in SENT if m not in failed]
    for i, lang in enumerate(["nl", "nl", "nl2", "nl2", "nl", "en", "en2", "en", "en2", "de", "de2", "de", "nl"]):
        m = R.choice(ok)
        f, name, a = m["to"][0]
        dt = m["dt"] + timedelta(seconds=R.randint(4, 90))
        pre, tpl = OOO[lang]
        body = tpl.format(d=(dt + timedelta(days=R.randint(3, 14))).strftime("%d-%m-%Y"), n=R.randint(100000, 999999), name=name)
        sieve = lang.endswith("2")
        extra = [("In-Reply-To", m["mid"]), ("References", m["mid"])]
        extra += [("Auto-Submitted", "auto-replied")] if sieve else [("X-Auto-Response-Suppress", "All"), ("Auto-Submitted", "auto-generated")] if i % 4 else [("X-Mailer", "Microsoft Outlook 16.0")]
        nb(OWNER, dt, "%s <%s>" % (name, a), pre + m["subject"], body, "out-of-office %s%s" % (lang, "" if "Auto-Submitted" in str(extra) else " without Auto-Submitted"),
           extra, cte=R.choice([None, "quoted-printable", "base64"]), rp="<>" if sieve else None)
    for k in range(2):   # auto-replies provoked by the forged spam (to random local parts): still not bounces
        dt = datetime(2026, 10, 14, 7 + k * 5, R.randint(0, 59), tzinfo=timezone.utc)
        lp = forged_sender()
        nb(lp, dt, "Office <office@%s>" % victim_domain(), OOO["en"][0] + R.choice(SPAM).format(n=R.randint(10000, 99999)),
           OOO["en"][1].format(d="20-10-2026", n=1, name="Office"), "out-of-office reply to forged spam", [("Auto-Submitted", "auto-replied")])
    chats = [("Re: {s}", "Hoi Marieke,\n\nTop, dank je! Donderdag is goed.\n\nGroet,\n{f}\n\n> {q}\n"),
             ("Re: {s}", "Hi Marieke,\n\nThanks, confirmed. Invoice received.\n\nBest,\n{f}\n"),
             ("Bestelling zaterdag", "Hallo Marieke,\n\nKunnen we voor zaterdag 40 krentenbollen en 2 taarten bestellen?\n\n{f}\n"),
             ("Vraag over glutenvrij brood", "Beste mevrouw De Vries,\n\nVerkoopt u ook glutenvrij brood? Mijn dochter heeft coeliakie.\n\nMet vriendelijke groet,\n{f}\n"),
             ("Re: {s}", "Hoi Marieke,\n\nJe vorige mail kwam bij mij terug met 'mailbox full' / 'Undeliverable'. Ik heb wat opgeruimd, stuur je hem nog een keer?\n\n{f}\n"),
             ("Factuur oktober", "Beste Marieke,\n\nIn de bijlage de factuur voor oktober. Betaling graag binnen 14 dagen.\n\nGroeten,\n{f}\n"),
             ("Re: {s}", "Prima, ik zet het in de agenda.\n\n{f}\n\nOp {d} schreef Marieke de Vries:\n> {q}\n"),
             ("Kerstmarkt 12 december", "Hoi allemaal,\n\nDe kerstmarkt is op 12 december; kraam nr. 14 is voor jullie.\n\n{f}\n"),
             ("Re: {s}", "Dear Marieke,\n\nPlease find the updated price list attached. Delivery next Tuesday is fine.\n\nKind regards,\n{f}\n"),
             ("Afspraak", "Hoi Marieke, zullen we dinsdag om 10 uur bellen over de nieuwe oven? {f}\n")]
    for subj, body in chats:
        m = R.choice(ok)
        f, name, a = m["to"][0]
        dt = m["dt"] + timedelta(hours=R.randint(1, 30))
        nb(OWNER, dt, "%s <%s>" % (name, a), subj.format(s=m["subject"]), body.format(f=f, q=m["body"].split("\n")[2], d=date(m["dt"])),
           "ordinary mail from " + a, [("In-Reply-To", m["mid"])] if subj.startswith("Re:") else [], cte=R.choice([None, "quoted-printable"]))
    for k in range(2):
        dt = datetime(2026, 10, 8 + 21 * k, 5, 30, tzinfo=timezone.utc)
        html = "<html><body><h1>Bakkerswereld nieuwsbrief</h1><p>Graanprijzen stijgen, nieuwe regels voor allergenen en meer.</p><p><a href=\"https://bakkerswereld.example/u/%s\">Afmelden</a></p></body></html>" % rstr(16)
        bnd = boundary()
        body = multipart(bnd, [mime_part("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable", qp("Bakkerswereld nieuwsbrief – week %d\n\nGraanprijzen stijgen, nieuwe regels voor allergenen.\n" % dt.isocalendar()[1])),
                               mime_part("Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable", qp(html))], "")
        nb(OWNER, dt, "Bakkerswereld <nieuwsbrief@bakkerswereld.example>", "Bakkerswereld nieuwsbrief – week %d" % dt.isocalendar()[1], body, "newsletter",
           [("List-Unsubscribe", "<https://bakkerswereld.example/u/%s>, <mailto:unsubscribe@bakkerswereld.example>" % rstr(16)), ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("List-Id", "Bakkerswereld <nieuws.bakkerswereld.example>"), ("Precedence", "bulk")],
           ct='multipart/alternative; boundary="%s"' % bnd, cte="7bit", rp="<bounces+marieke=bakkerij-devries.nl@mail.bakkerswereld.example>")
    for k, (pre, txt) in enumerate([("Gelezen: ", "Dit is een leesbevestiging voor het bericht dat u hebt verzonden aan {a}.\nOpmerking: deze bevestiging betekent alleen dat het bericht is weergegeven op de computer van de ontvanger."),
                                    ("Read: ", "Your message to {a} was read on {d}.")]):
        m = R.choice(ok)
        f, name, a = m["to"][0]
        dt = m["dt"] + timedelta(hours=R.randint(1, 20))
        bnd = boundary("ms")
        body = multipart(bnd, [mime_part("Content-Type: text/plain; charset=utf-8", txt.format(a=a, d=date(dt))),
                               mime_part("Content-Type: message/disposition-notification", "Reporting-UA: %s; Microsoft Outlook 16.0\nFinal-Recipient: rfc822;%s\nOriginal-Message-ID: %s\nDisposition: manual-action/MDN-sent-manually; displayed\n" % (a.split("@")[1], a, m["mid"]))], "")
        nb(OWNER, dt, "%s <%s>" % (name, a), pre + m["subject"], body, "read receipt (MDN)", [("In-Reply-To", m["mid"])],
           ct='multipart/report; report-type=disposition-notification; boundary="%s"' % bnd, cte="7bit", rp="<>")
    for k in range(2):
        m = R.choice(ok)
        a = m["to"][0][2] if k == 0 else "contact@" + victim_domain()
        to = OWNER if k == 0 else forged_sender()
        nb(to, (m["dt"] if k == 0 else datetime(2026, 11, 2, 9, 12, tzinfo=timezone.utc)) + timedelta(minutes=2), "Mail Guard <verify@mailguard-cr.example>",
           "Please verify your message to %s" % a, "Hello,\n\nYou recently sent a message to %s. This address is protected by Mail Guard.\nPlease confirm you are a human by clicking the link below; your message will then be delivered.\n\nhttps://mailguard-cr.example/v/%s\n\nSubject of your message: %s\n" % (a, rstr(24), m["subject"] if k == 0 else "Re: Offerte"),
           "challenge-response verification" + ("" if k == 0 else " provoked by forged spam"), [("Auto-Submitted", "auto-replied")])

# ---------------------------------------------------------------- main
def finish(outdir):
    md = os.path.join(outdir, "Maildir")
    if os.path.exists(md):
        shutil.rmtree(md)
    for sub in ["", ".Sent"]:
        for d in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(md, sub, d), exist_ok=True)
    open(os.path.join(md, "subscriptions"), "w").write("Sent\n")
    for rel, content, dt in FILES:
        path = os.path.join(md, rel)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
        os.utime(path, (dt.timestamp(), dt.timestamp()))
    with open(os.path.join(outdir, "truth.tsv"), "w") as fh:
        fh.write("file\tverdict\twhat\n")
        for row in sorted(TRUTH):
            fh.write("\t".join(row) + "\n")

def deliver(text, to, dt, verdict, what, src=None, rp=None):
    """Wrap a message as her provider's MX/LMTP delivered it and file it in the inbox."""
    mx = R.choice(MX)
    st = R.choice(STORE)
    rp = "<>" if verdict in ("real", "backscatter", "abuse") else rp
    hop = ""
    if src and not src[0].endswith("provider-mail.nl"):
        hop = H(("Authentication-Results", "%s; spf=%s smtp.helo=%s; dkim=none; dmarc=none" % (mx, R.choice(["pass", "none"]), src[0])),
                ("Received", "from %s (%s [%s]) by %s (Postfix) with ESMTPS id %s for <%s>; %s" % (
                    src[0], src[0], src[1], mx, pfqid(), to, date(dt + timedelta(seconds=1))))) + "\n"
    elif src:
        hop = H(("Received", "from %s (%s [%s]) by %s (Postfix) with ESMTP id %s for <%s>; %s" % (
                    src[0], src[0], src[1], mx, pfqid(), to, date(dt + timedelta(seconds=1))))) + "\n"
    h = H(("Return-Path", rp), ("Delivered-To", to),
          ("Received", "from %s by %s with LMTP id %s (envelope-from <%s>) for <%s>; %s" % (
              mx, st, b64s(22), (rp or "<->").strip("<>"), to, date(dt + timedelta(seconds=2)))),
          ("Received", "from mx-in (localhost [127.0.0.1]) by %s (Postfix) with ESMTP id %s for <%s>; %s" % (
              mx, pfqid(), to, date(dt + timedelta(seconds=1)))),
          ("X-Spam-Status", "No, score=%.1f required=6.0" % R.uniform(-1.5, 4.5)))
    content = h + "\n" + hop + text
    unread = (dt > datetime(2026, 11, 11, tzinfo=timezone.utc) and R.random() < .6) or (verdict == "backscatter" and R.random() < .25)
    rel = mdname(dt + timedelta(seconds=3), st, content, "new" if unread else "cur", R.choice(["S", "S", "S", "RS", ""]))
    store(rel, content, dt, verdict, what)
    return rel

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: owner-scenario.py OUTDIR")
    FAILS = plan_real()
    for m in SENT:
        m["_sent"] = sent_text(m)
        store(mdname(m["dt"] + timedelta(seconds=9), R.choice(STORE), m["_sent"][0], ".Sent/cur", "S"), m["_sent"][0], m["dt"])
    real_bounces(FAILS)
    backscatter()
    abuse()
    not_bounces([f["m"] for f in FAILS])
    finish(sys.argv[1])
    print("%d files, %d truth rows" % (len(FILES), len(TRUTH)))
