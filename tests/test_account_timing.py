"""Whether an address has an account cannot be told by how long the answer takes.

The red team found sign-up answering a registered address in about 9 ms and a
new one in about 270 ms: the new one got an Argon2 hash, the registered one
skipped it. Every account form is timed here for an address with an account
and one without: 30 tries of each, interleaved (so a busy machine slows both
alike), the fastest tenth of each within 20% of the other's. (On a quiet machine,
with the collector off, thirty tries of a path spread over a tenth of a
millisecond: whether the two ranges touch then says nothing.) Load on a shared
machine only ever adds time, and in bursts that can land in one path's tries
more than the other's (under a parallel job, each path's tries spread from
25 to 90 ms, and their medians and quartiles fell wherever the bursts did):
so the tenth percentile, near the cost of the work itself, rather than the
median, and a pair that differs is timed once more, with fresh addresses and
accounts, before the test fails. A real difference in work shows both times.

Sign-up is timed with the production password hasher, since hashing is what
differed. Login is timed with Argon2 at a smaller memory cost: both paths must
hash, and at that cost a skipped hash would still be most of the difference.
Password reset, sending the confirmation again and the sign-in link hash
nothing and use the suite's cheap hasher.

Each try comes from its own network address and (where it matters) for its
own account, so the per-client limits and the login lockout stay out of the
measurement.
"""

import gc
from statistics import median, quantiles
from time import perf_counter

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paywall.models import User

pytestmark = pytest.mark.django_db

TRIES = 30
WARM_UP = 3
PASSWORD = "a long reader passphrase"


class LoginArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 at 8 MB: tens of milliseconds, far above the rest of a login."""

    memory_cost = 8 * 1024
    parallelism = 2


def client(n):
    return Client(REMOTE_ADDR=f"10.2.{n // 250}.{n % 250 + 1}")


def interleaved(registered, unknown, first=0):
    """Time `registered(n)` and `unknown(n)` alternately (each going first
    every other round), after a few untimed tries, for `n` from `first`;
    seconds, per path."""
    for n in range(first + TRIES, first + ROUND):
        registered(n)
        unknown(n)
    times = {registered: [], unknown: []}
    gc.disable()  # a collection landing in one path's tries is not its cost
    try:
        for n in range(first, first + TRIES):
            for path in (registered, unknown) if n % 2 == 0 else (unknown, registered):
                start = perf_counter()
                response = path(n)
                times[path].append(perf_counter() - start)
                assert response.status_code in (200, 302), response
    finally:
        gc.enable()
    return times[registered], times[unknown]


def fastest_tenth(times):
    return quantiles(times, n=10)[0]


def summary(registered, unknown):
    return "; ".join(
        f"{name}: tenth percentile {fastest_tenth(times) * 1000:.1f} ms, "
        f"median {median(times) * 1000:.1f}, {min(times) * 1000:.1f}–{max(times) * 1000:.1f}"
        for name, times in (("registered", registered), ("unknown", unknown))
    )


def assert_same_cost(registered, unknown):
    """`registered` and `unknown` (functions of a try's number) cost the same
    work: timed once, and again with fresh numbers if they seem not to."""
    rounds = []
    for first in (0, ROUND):
        times = interleaved(registered, unknown, first)
        fast, slow = sorted(fastest_tenth(path) for path in times)
        if slow <= fast * 1.2:
            return
        rounds.append(summary(*times))
    pytest.fail("the two paths differ, twice:\n" + "\n".join(rounds))


def readers(prefix, count, password_hash=None, **fields):
    """`count` accounts, sharing one password hash (made once)."""
    encoded = password_hash or make_password(PASSWORD)
    return User.objects.bulk_create(
        [User(email=f"{prefix}{n}@newsroom.test", password=encoded, **fields) for n in range(count)]
    )


CONFIRMED = {"email_confirmed_at": timezone.now(), "is_active": True}
ROUND = TRIES + WARM_UP
ACCOUNTS = 2 * ROUND  # a try's own account, in either round


def test_signing_up_costs_the_same_for_a_registered_and_a_new_address(settings):
    readers("registered", ACCOUNTS, **CONFIRMED)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    signup = reverse("paywall:signup")

    def sign_up(prefix):
        def path(n):
            fields = {"email": f"{prefix}{n}@newsroom.test", "password1": PASSWORD}
            return client(n).post(signup, {**fields, "password2": PASSWORD})

        return path

    assert_same_cost(sign_up("registered"), sign_up("new"))


def test_logging_in_costs_the_same_for_a_registered_and_an_unknown_address(settings):
    settings.PASSWORD_HASHERS = ["tests.test_account_timing.LoginArgon2PasswordHasher"]
    readers("registered", ACCOUNTS, make_password(PASSWORD), **CONFIRMED)
    login = reverse("paywall:login")

    def log_in(prefix):
        def path(n):
            fields = {"username": f"{prefix}{n}@newsroom.test", "password": "a wrong guess"}
            return client(n).post(login, fields)

        return path

    assert_same_cost(log_in("registered"), log_in("unknown"))


@pytest.mark.parametrize(
    ("url_name", "account"),
    [
        ("paywall:password-reset", CONFIRMED),
        ("paywall:resend-confirmation", {"is_active": False}),
        ("paywall:sign-in-link", CONFIRMED),
    ],
    ids=["password reset", "confirmation again", "sign-in link"],
)
def test_asking_for_a_link_costs_the_same_with_or_without_an_account(url_name, account):
    readers("registered", ACCOUNTS, **account)
    url = reverse(url_name)

    def ask(prefix):
        return lambda n: client(n).post(url, {"email": f"{prefix}{n}@newsroom.test"})

    assert_same_cost(ask("registered"), ask("unknown"))
