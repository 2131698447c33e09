"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the tests of the reporter's messages, and what it received."""
import email
import email.policy
import threading

from aiosmtpd.controller import Controller


class Inbox:
    """What the SMTP server received: each message parsed, with its envelope."""

    def __init__(self):
        self.messages, self.lock = [], threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 OK"


def mail_server(port, inbox):
    """A real SMTP server on 127.0.0.1:`port`, started."""
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def bodies(message):
    """The plain text and the HTML of a received message."""
    return [part.get_content() for part in message.walk() if part.get_content_type() in ("text/plain", "text/html")]
