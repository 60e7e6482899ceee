"""Environment for the test run, loaded before Django reads its settings.

Debug is off in tests, as in production, so the settings insist on a secret
key; this one exists only here. Anything already set (DATABASE_URL for the
PostgreSQL run, REDIS_URL) is left as it is.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-not-for-any-real-site")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The newsroom's signing key (reach/signing.py), as production has one.
os.environ.setdefault("NEWSROOM_SIGNING_KEY", "dGVzdHMtb25seS1zaWduaW5nLWtleS0zMi1ieXRlcyE=")
# Production redirects every plain-HTTP request to HTTPS; the test client and
# the browser tests' live server speak plain HTTP.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
