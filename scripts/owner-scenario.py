#!/usr/bin/env python3
"""Generate a realistic test mailbox for bouncescope, written independently of its rules.

usage: owner-scenario.py OUTDIR
Creates OUTDIR/Maildir (Maildir++, sent folder .Sent) and OUTDIR/truth.tsv
(file, verdict, what); verdict: real | backscatter | abuse | none.
Python 3 stdlib only; deterministic (fixed seed).
"""
import base64, os, random, shutil, string, sys
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

def tz_nl(dt):  # CEST until 25 Oct 2026 01:00 UTC, then CET
    return timezone(timedelta(hours=2 if dt < datetime(2026, 10, 25, 1, 0, tzinfo=timezone.utc) else 1))

def date(dt, tz=None):
    return format_datetime(dt.astimezone(tz or tz_nl(dt)))

def rstr(n, alphabet=string.ascii_letters + string.digits):
    return "".join(R.choice(alphabet) for _ in range(n))

def hexs(n):
    return rstr(n, "0123456789abcdef")

def b64s(n):
    return rstr(n, string.ascii_letters + string.digits + "+/")

def pfqid():  # Postfix long queue id
    return "4" + rstr(1, "NPQRSTVWXYZ") + rstr(3, "BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789") + "z" + rstr(7, "BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789")

def pfqid_short():
    return rstr(10, "0123456789ABCDEF")

def eximid():
    c = string.ascii_letters + string.digits
    return "1" + rstr(5, c) + "-" + rstr(6, c) + "-" + rstr(2, c)

def enc_subject(s, how="q"):
    if all(ord(c) < 128 for c in s):
        return s
    if how == "b":
        return "=?UTF-8?B?" + base64.b64encode(s.encode()).decode() + "?="
    return quoprimime.header_encode(s.encode(), "utf-8")

def fold(name, value, width=76):
    """Fold a header at spaces, continuation lines start with a tab or space."""
    line, out = name + ": ", []
    for word in value.split(" "):
        if len(line) + len(word) + 1 > width and line.strip() and not line.endswith(": "):
            out.append(line.rstrip())
            line = R.choice(["\t", "    ", " "]) + word
        else:
            line += ("" if line.endswith((": ", "\t")) or line.strip() == "" else " ") + word
    out.append(line)
    return "\n".join(out)

def H(*pairs):
    return "\n".join(fold(k, v) if "\n" not in v else k + ": " + v for k, v in pairs if v is not None)

def msg(headers, body):
    return headers.rstrip("\n") + "\n\n" + body.rstrip("\n") + "\n"

def qp(text):
    return quoprimime.body_encode(text)

def b64(text):
    raw = base64.b64encode(text.encode() if isinstance(text, str) else text).decode()
    return "\n".join(raw[i:i + 76] for i in range(0, len(raw), 76))

def boundary(kind="mix"):
    return {"pf": None, "mix": "----=_Part_%d_%d.%d" % (R.randint(1000, 99999), R.randint(10**8, 10**9), R.randint(10**12, 10**13)),
            "ms": "_000_" + rstr(36, string.ascii_uppercase + string.digits) + "_",
            "g": "000000000000" + hexs(16)}[kind]

# ---------------------------------------------------------------- people & places
FIRST = "Jan Piet Kees Anouk Sanne Ingrid Willem Ruud Femke Lotte Bram Daan Sophie Emma Thijs Hanneke Gerrit Joost Mirjam Wouter Esther Marco Karin Peter Linda".split()
LAST = ["de Jong", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Brouwer", "de Wit", "van Leeuwen", "Kok", "Verhoeven", "Schouten"]
# domain -> (mta kind, mx host, mx ip); kind decides what an accept-then-bounce looks like
DOMAINS = {
    "gmail.com": ("gmail", "gmail-smtp-in.l.google.com", "142.250.102.27"),
    "hotmail.com": ("exchange", "hotmail-com.olc.protection.outlook.com", "52.101.68.14"),
    "outlook.com": ("exchange", "outlook-com.olc.protection.outlook.com", "52.101.73.2"),
    "ziggo.nl": ("postfix", "mx.ziggo.nl", "212.54.42.170"),
    "kpnmail.nl": ("qmail", "mx.kpnmail.nl", "195.121.65.40"),
    "xs4all.nl": ("postfix", "mxdrop101.xs4all.net", "194.109.24.31"),
    "hotel-dewaag.nl": ("exchange-nl", "hoteldewaag-nl.mail.protection.outlook.com", "52.101.73.15"),
    "lunchroom-zoet.nl": ("exim", "mail.lunchroom-zoet.nl", "185.87.187.20"),
    "molen-dehoop.nl": ("exim", "mx.molen-dehoop.nl", "149.210.140.9"),
    "verpakkingen-bos.nl": ("exchange-nl", "verpakkingenbos-nl.mail.protection.outlook.com", "52.101.68.30"),
    "cafe-hetanker.nl": ("qmail", "mail.cafe-hetanker.nl", "83.96.200.11"),
    "zuivelhoeve.nl": ("sendmail", "mail.zuivelhoeve.nl", "80.113.14.66"),
    "graanhandel-noord.nl": ("sendmail", "smtp.graanhandel-noord.nl", "217.21.240.5"),
    "restaurant-delinde.nl": ("gmail", "aspmx.l.google.com", "142.250.27.26"),
    "bloemenhuis-desmet.be": ("exim", "mx.bloemenhuis-desmet.be", "91.183.20.44"),
    "web.de": ("postfix", "mx-ha03.web.de", "212.227.17.8"),
    "gemeente-example.nl": ("exchange", "mail.gemeente-example.nl", "145.12.30.4"),
    "sportclub-vooruit.nl": ("terse", "mail.sportclub-vooruit.nl", "46.30.211.70"),
    "kinderopvang-beertje.nl": ("terse", "mx.kinderopvang-beertje.nl", "37.97.132.20"),
}
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
def addr(c):
    return '"%s" <%s>' % (c[1], c[2]) if R.random() < 0.3 else "%s <%s>" % (c[1], c[2])

def new_sent(dt, to, cc=(), subject=None, client=None, net=None, attach=0):
    client = client or R.choice(["tb", "tb", "tb", "iphone"])
    f = to[0][0]
    subject = subject or R.choice(SUBJ).format(w=dt.isocalendar()[1] + 1, n=R.randint(400, 520))
    body = R.choice(BODY_EN if "rye" in subject or "Order" in subject or to[0][2].endswith(("web.de", ".be")) else BODY_NL).format(f=f)
    if client == "tb":
        mid = "<%s-%s-%s-%s-%s@%s>" % (hexs(8), hexs(4), hexs(4), hexs(4), hexs(12), DOM)
    else:
        mid = "<%s-%s-%s-%s-%s@%s>" % (hexs(8).upper(), hexs(4).upper(), hexs(4).upper(), hexs(4).upper(), hexs(12).upper(), DOM)
    net = NETS[R.randint(0, 1) if net is None else net]
    octet = R.randint(2, 250)
    return dict(dt=dt, to=list(to), cc=list(cc), subject=subject, body=body + SIG, client=client, mid=mid,
                net=(net[0].format(octet), net[1].format(octet)), lan="192.168.1.%d" % R.randint(20, 60),
                attach=attach, qid=pfqid(), oqid=pfqid(), out=R.choice(OUT), bounced=[])

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

def client_body(m):
    if m["client"] != "tb":
        return qp(m["body"].replace("\n--\n", "\n\nVerstuurd vanaf mijn iPhone\n--\n"))
    if not m["attach"]:
        return m["body"]
    b = m["_ctb"] if "_ctb" in m else None
    return m["body"]  # replaced in make_attachment

def make_attachment(m, text_headers):
    bnd = text_headers.split('boundary="')[1].split('"')[0]
    blob = bytes(R.getrandbits(8) for _ in range(m["attach"]))
    return ("This is a multi-part message in MIME format.\n--%s\nContent-Type: text/plain; charset=UTF-8; format=flowed\n"
            "Content-Transfer-Encoding: 7bit\n\n%s\n--%s\nContent-Type: image/jpeg; name=\"IMG_4512.jpeg\"\n"
            "Content-Disposition: attachment; filename=\"IMG_4512.jpeg\"\nContent-Transfer-Encoding: base64\n\n%s\n--%s--\n"
            % (bnd, m["body"], bnd, b64(b"\xff\xd8\xff\xe0" + blob), bnd))

def sent_text(m):
    h = client_headers(m)
    return msg(h, make_attachment(m, h) if m["attach"] else client_body(m)), h

def dkim(m, hdrs):
    return ("v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s;\n\ts=pm2026; t=%d;\n\tbh=%s=;\n\th=From:To:Cc:Subject:Date:Message-ID:In-Reply-To:References;\n\tb=%s\n\t %s\n\t %s"
            % (DOM, m["dt"].timestamp() + 1, b64s(43), b64s(70), b64s(70), b64s(42) + "="))

def provider_received(m):
    t1, t2 = m["dt"] + timedelta(seconds=R.randint(1, 4)), m["dt"] + timedelta(seconds=R.randint(5, 9))
    rcpt = m["to"][0][2] if len(m["to"]) + len(m["cc"]) == 1 else None
    via = m.get("via") or "[%s] (%s [%s])" % (m["lan"], m["net"][0], m["net"][1])
    return H(("Received", "from %s (%s [%s]) by %s (Postfix) with ESMTPS id %s%s; %s" % (
                 SUB[0], SUB[0], SUB[1], m["out"][0], m["oqid"], " for <%s>" % rcpt if rcpt else "", date(t2))),
             ("Received", "from %s (Authenticated sender: %s) by %s (Postfix) with ESMTPSA id %s%s; %s" % (
                 via, OWNER, SUB[0], m["qid"], " for <%s>" % rcpt if rcpt else "", date(t1))),
             ("DKIM-Signature", dkim(m, None)))

def wire(m, remote=None, ar=None):
    """The message as it left (or arrived at) the receiver: her headers plus provider and receiver trace."""
    text, _ = m["_sent"]
    top = ""
    if remote:
        host, ip, when = remote
        top = H(("Received", "from %s (%s [%s]) by %s with ESMTPS id %s for <%s>; %s" % (
            m["out"][0], m["out"][0], m["out"][1], host, rstr(12), m["_fail"], date(when, timezone.utc)))) + "\n"
        if ar:
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
