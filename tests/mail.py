"""A real SMTP server for the tests (aiosmtpd), on a free local port, and
Django pointed at it through its SMTP backend. Every message it accepts is
parsed as a mail client would and kept, with its envelope and the time."""

import email
import threading
import time
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests.servers import free_port


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list
    message: EmailMessage
    at: float

    @property
    def to(self):
        return self.rcpt_tos[0]

    def part(self, subtype):
        return self.message.get_body(preferencelist=(subtype,)).get_content()


class Inbox:
    """The server's handler: accepts mail, refuses the addresses in
    `refuse` with the reply given, and calls `on_recipient` (if set) with
    each address before answering it."""

    def __init__(self):
        self.messages = []
        self.refuse = {}
        self.on_recipient = None
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.on_recipient is not None:
            self.on_recipient(address)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        with self._lock:
            self.messages.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), message, time.monotonic())
            )
        return "250 Message accepted for delivery"

    def to(self, address):
        return [received for received in self.messages if address in received.rcpt_tos]

    def wait_for(self, count, timeout=30):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return len(self.messages)


@pytest.fixture
def smtp_server():
    """Start the server; yields (inbox, port)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def inbox(smtp_server, settings):
    """Django's email sent to the real SMTP server; yields its inbox."""
    server, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    return server
