"""localstripe, a stateful fake Stripe server, run by the suite on a free port.

The site talks to it through the official stripe library (`STRIPE_API_BASE`)
and readers' browsers load its stand-in of Stripe.js. Webhooks reach the site
two ways: localstripe itself calls a live server (`live_webhooks`), and tests
with the Django client hand the site the very events localstripe recorded,
signed as Stripe signs them (`deliver`).
"""

import hashlib
import hmac
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import requests

from tests.servers import free_port

SECRET_KEY = "sk_test_newsroom"
PUBLISHABLE_KEY = "pk_test_newsroom"
WEBHOOK_SECRET = "whsec_newsroom_tests"

GOOD_CARD = "4242424242424242"
# Attached without complaint; every charge on it fails.
FAILING_CARD = "4000000000000341"


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory):
    """The server's address; started once for the session, stopped after it."""
    port = free_port()
    log = tmp_path_factory.mktemp("localstripe") / "localstripe.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"{base}/js.stripe.com/v3/", timeout=2):
                break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"localstripe did not start:\n{log.read_text()}")
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def stripe_keys(settings, localstripe):
    """Card payments on, against localstripe."""
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe
    settings.STRIPE_JS_URL = f"{localstripe}/js.stripe.com/v3/"
    return localstripe


def stripe_get(base, path, **params):
    answer = requests.get(f"{base}{path}", params=params, auth=(SECRET_KEY, ""), timeout=10)
    answer.raise_for_status()
    return answer.json()


def confirm_card(base, client_secret, number=GOOD_CARD):
    """What Stripe.js does when the reader submits the card form: send the
    card to Stripe (here localstripe) with the publishable key. Returns the
    SetupIntent's id, or Stripe's error."""
    intent = client_secret.split("_secret_")[0]
    answer = requests.post(
        f"{base}/v1/setup_intents/{intent}/confirm",
        json={
            "key": PUBLISHABLE_KEY,
            "use_stripe_sdk": True,
            "client_secret": client_secret,
            "payment_method_data": {
                "type": "card",
                "card": {"number": number, "exp_month": "12", "exp_year": "2034", "cvc": "123"},
            },
        },
        timeout=10,
    )
    body = answer.json()
    if answer.status_code != 200:
        return body["error"]
    return body["id"]


def signature(payload, timestamp=None, secret=WEBHOOK_SECRET):
    """A Stripe-Signature header for `payload`, made as Stripe makes it."""
    timestamp = int(time.time() if timestamp is None else timestamp)
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def recorded_events(base, event_type, about):
    """The events localstripe recorded of `event_type` about an object whose
    id (or subscription) is `about`, oldest first."""
    events = stripe_get(base, "/v1/events", limit=100, type=event_type)["data"]
    found = [
        event
        for event in events
        if about in (event["data"]["object"].get("id"), event["data"]["object"].get("subscription"))
    ]
    return sorted(found, key=lambda event: event["created"])


def post_event(client, event, **signature_args):
    payload = json.dumps(event).encode()
    return client.post(
        "/plus/stripe/webhook/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature(payload, **signature_args),
    )


def deliver(client, base, event_type, about):
    """Deliver to the site, through its webhook, the latest event of
    `event_type` localstripe recorded about `about`; return the response."""
    deadline = time.monotonic() + 5
    # localstripe records some events a moment after the call that made them.
    while not (events := recorded_events(base, event_type, about)):
        assert time.monotonic() < deadline, f"localstripe recorded no {event_type} for {about}"
        time.sleep(0.1)
    return post_event(client, events[-1])
