"""Logging people in for tests, second factor included.

Staff reach nothing without a second factor, so a test that acts as an editor
logs them in with `log_in_staff(client, user)`: the user gets an
authenticator app (made here, no real phone) and the session is marked as
having passed it, just now, as the real second step does. `log_in_user`
does that for staff and a plain login for readers. Browser tests get a
logged-in context from `log_in_browser` (the `open_browser` fixture uses it)
or, where they type the password themselves, `pass_second_factor(page, user)`.
"""

import base64

import pyotp
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.factors import VERIFIED_AT


def give_app(user):
    """The user's authenticator app (made if missing), as a pyotp TOTP that
    gives the codes the app would show."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    return device, pyotp.TOTP(app_secret(device))


def app_secret(device):
    """The key of an authenticator app, as the app is given it (base32)."""
    return base64.b32encode(device.bin_key).decode()


def log_in_staff(client, user, *, verified_at=None):
    """`client` is logged in as `user`, with the second factor passed (at
    `verified_at`, now unless given). Returns the client."""
    device, _ = give_app(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[VERIFIED_AT] = (verified_at or timezone.now()).timestamp()
    session.save()
    return client


def log_in_browser(context, base_url, user):
    """A Playwright browser context on the live server (`base_url`), logged
    in as `user`: staff with their second factor passed, as log_in_user."""
    client = log_in_user(Client(), user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
    return context


def pass_second_factor(page, user):
    """On the second step after a password, types the code of the user's
    app (give it one with give_app before the password is typed)."""
    _, totp = give_app(user)
    page.get_by_role("textbox", name="Code").fill(totp.now())
    page.get_by_role("button", name="Continue").click()


def log_in_user(client, user):
    """Staff log in with their second factor passed (log_in_staff); readers
    as they always have, with a password alone."""
    if user.is_staff:
        return log_in_staff(client, user)
    client.force_login(user)
    return client
