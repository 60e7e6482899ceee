"""What the tests of reaching readers share: the onion name, a signing key,
settings as in production (HTTPS, HSTS, secure cookies)."""

import base64

import pytest

ONION = "bpnnewsxq2vgygbi7bqzynl6hr6m7v6usdxrktgc6gnykq7ubbp4lyyd.onion"
PUBLIC = "news.example.org"
# A fixed key for tests only (32 bytes, base64).
SIGNING_KEY = base64.b64encode(bytes(range(32))).decode()


@pytest.fixture
def reach_settings(settings):
    """The newsroom as deployed: HTTPS everywhere with HSTS and secure cookies,
    a public domain, an onion service and a signing key."""
    settings.NEWSROOM_HOSTS = [PUBLIC, "testserver"]
    settings.NEWSROOM_PUBLIC_URL = f"https://{PUBLIC}"
    settings.NEWSROOM_ONION_HOST = ONION
    settings.NEWSROOM_SIGNING_KEY = SIGNING_KEY
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings
