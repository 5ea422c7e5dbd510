"""Standard-client check used by DistributionSmokeTest: Python's smtplib sends, imaplib reads back.

usage: client.py SMTP_PORT IMAP_PORT SUBJECT starttls|plain|plain-send-only [SENDER]
Prints the headers of the message with SUBJECT from bob's INBOX; exits non-zero if it never arrives.
If the server refuses the mail, prints "REFUSED <code> <reply>" and exits 0.
Header lines in the environment variable SMOKE_EXTRA_HEADERS (CRLF-separated) are added to the message.
"""
import email
import imaplib
import os
import smtplib
import sys
import time

smtp_port, imap_port, subject, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
sender = sys.argv[5] if len(sys.argv) > 5 else "alice@mailsec.test"

smtp = smtplib.SMTP("127.0.0.1", smtp_port, timeout=30)
if mode.startswith("starttls"):
    smtp.starttls()  # the demo certificate is self-signed: smtplib's default context does not verify
try:
    smtp.sendmail(sender, ["bob@mailsec.test"],
                  f"From: {sender}\r\nTo: bob@mailsec.test\r\nSubject: {subject}\r\n"
                  + os.environ.get("SMOKE_EXTRA_HEADERS", "") + "\r\nhello from the smoke test\r\n")
except smtplib.SMTPSenderRefused as e:
    print(f"REFUSED {e.smtp_code} {e.smtp_error.decode('utf-8', 'replace')}")
    sys.exit(0)
smtp.quit()
if mode.endswith("send-only"):
    print("SENT")
    sys.exit(0)

deadline = time.time() + 60
last_error = None
while time.time() < deadline:
    try:
        imap = imaplib.IMAP4("127.0.0.1", imap_port, timeout=30)
        imap.starttls()
        imap.login("bob@mailsec.test", "secret")
        imap.select("INBOX")
        status, data = imap.search(None, "SUBJECT", f'"{subject}"')
        ids = data[0].split()
        if ids:
            status, msg = imap.fetch(ids[-1], "(BODY.PEEK[HEADER])")
            print(msg[0][1].decode("utf-8", "replace"))
            imap.logout()
            sys.exit(0)
        imap.logout()
    except (imaplib.IMAP4.abort, imaplib.IMAP4.error, OSError) as e:
        # a dropped or garbled IMAP exchange is retried on a new connection; the mail must still arrive
        last_error = e
    time.sleep(0.5)
if last_error is not None:
    print(f"last IMAP error: {last_error!r}", file=sys.stderr)
print(f"no message with subject {subject} in bob's INBOX after 60 s", file=sys.stderr)
sys.exit(1)
