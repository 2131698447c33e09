"""How a message reaches a reporter. A channel has a name, a way to check an address, and `send(address,
message)` that raises Undelivered (with a short reason, never the address) when it fails. Email goes
through the office's own mail server (KIOSK_SMTP_*); SMS is written into gammu-smsd's outbox (kiosk.sms)."""
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

from ..sms import gammu, notice

SMTP_TIMEOUT = 20  # seconds: a stalled server costs one message's attempt, not the sender's whole run


class Undelivered(Exception):
    """A message that did not go out; `reason` is a short word for the attempt's record."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def send_email(address, message):
    """Send `message` (subject, text, html) to `address` through KIOSK_SMTP_HOST."""
    config = current_app.config
    if not config["SMTP_HOST"]:
        raise Undelivered("no mail server")
    mail = EmailMessage()
    mail["Subject"], mail["From"], mail["To"] = message.subject, config["MAIL_FROM"], address
    mail["Date"], mail["Message-ID"] = formatdate(localtime=False), make_msgid(domain="pojok-laporan")
    if message.unsubscribe_url:
        mail["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
    mail.set_content(message.text)
    mail.add_alternative(message.html, subtype="html")
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=SMTP_TIMEOUT) as server:
            if config["SMTP_STARTTLS"]:
                server.starttls(context=ssl.create_default_context())
            if config["SMTP_USER"]:
                server.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
            server.send_message(mail)
    except smtplib.SMTPRecipientsRefused:
        raise Undelivered("address refused")
    except smtplib.SMTPException:
        raise Undelivered("refused")
    except (OSError, TimeoutError):
        raise Undelivered("unreachable")


def send_sms(address, message):
    """Queue the SMS telling `message` for the number `address` in gammu-smsd's outbox (KIOSK_SMSD_OUTBOX)."""
    outbox = current_app.config["SMSD_OUTBOX"]
    if not outbox:
        raise Undelivered("no SMS outbox")
    try:
        gammu.queue(outbox, address, notice.text_of(message))
    except OSError:
        raise Undelivered("outbox unwritable")


CHANNELS = {"email": send_email, "sms": send_sms}
