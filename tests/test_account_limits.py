"""Nobody can flood a reader's mailbox, lock a reader out for good, or learn
through a limit whether an address has an account.

The red team had one mailbox sent 30 password-reset and 30 "your account"
messages in a minute, and locked a reader out for 15 minutes with five wrong
passwords. Now each address gets at most POZIRK_MAILS_PER_HOUR messages of
each kind an hour, each client at most POZIRK_ACCOUNT_REQUESTS_PER_HOUR posts
to each form that sends mail, the pages read the same whether or not a limit
was hit, and a locked-out owner gets in with a one-time sign-in link.
"""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paywall.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a long reader passphrase"
LOGIN = reverse("paywall:login")
SIGNUP = reverse("paywall:signup")
RESET = reverse("paywall:password-reset")
RESEND = reverse("paywall:resend-confirmation")
SIGN_IN_LINK = reverse("paywall:sign-in-link")


@pytest.fixture
def owner():
    return User.objects.create_user(
        email="owner@newsroom.test", password=PASSWORD, email_confirmed_at=timezone.now()
    )


def from_anywhere(n):
    """A client at its own network address: the per-client limit stays out of
    the way of tests of the per-address one."""
    return Client(REMOTE_ADDR=f"10.1.{n // 250}.{n % 250 + 1}")


def page_text(response):
    """The page without its CSRF token, the one part that differs by browser."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.text)


def sent_to(address):
    return [message for message in mail.outbox if address in message.to]


# Per address ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        (RESET, {"email": "owner@newsroom.test"}),
        (SIGNUP, {"email": "owner@newsroom.test", "password1": PASSWORD, "password2": PASSWORD}),
        (SIGN_IN_LINK, {"email": "owner@newsroom.test"}),
    ],
    ids=["password reset", "your account", "sign-in link"],
)
def test_an_address_is_sent_at_most_three_messages_of_a_kind_an_hour(owner, url, fields):
    answers = [from_anywhere(n).post(url, fields, follow=True) for n in range(30)]

    assert len(sent_to(owner.email)) == 3
    # The 30th page reads as the first did: the limit tells nobody anything.
    assert {answer.status_code for answer in answers} == {200}
    assert page_text(answers[-1]) == page_text(answers[0])


def test_each_kind_of_message_has_its_own_allowance(owner):
    for n in range(5):
        from_anywhere(n).post(RESET, {"email": owner.email})
        from_anywhere(n).post(SIGN_IN_LINK, {"email": owner.email})

    subjects = [message.subject for message in sent_to(owner.email)]
    assert len(subjects) == 6
    assert len(set(subjects)) == 2


def test_the_confirmation_link_is_limited_too():
    for n in range(10):
        from_anywhere(n).post(
            SIGNUP, {"email": "new@newsroom.test", "password1": PASSWORD, "password2": PASSWORD}
        )
        from_anywhere(n).post(RESEND, {"email": "new@newsroom.test"})

    assert len(sent_to("new@newsroom.test")) == 3


def test_the_limit_is_a_setting(owner, settings):
    settings.POZIRK_MAILS_PER_HOUR = 1

    for n in range(3):
        from_anywhere(n).post(RESET, {"email": owner.email})

    assert len(sent_to(owner.email)) == 1


# Per client ------------------------------------------------------------------------


def test_a_client_asking_for_many_addresses_is_stopped_with_the_same_page(settings):
    settings.POZIRK_ACCOUNT_REQUESTS_PER_HOUR = 5
    for n in range(8):
        User.objects.create_user(
            email=f"reader{n}@newsroom.test", password=PASSWORD, email_confirmed_at=timezone.now()
        )
    flooder = Client(REMOTE_ADDR="203.0.113.7")

    answers = [
        flooder.post(RESET, {"email": f"reader{n}@newsroom.test"}, follow=True) for n in range(8)
    ]

    assert len(mail.outbox) == 5
    assert page_text(answers[-1]) == page_text(answers[0])
    # Another client is not held back by this one.
    Client(REMOTE_ADDR="198.51.100.2").post(RESET, {"email": "reader7@newsroom.test"})
    assert len(mail.outbox) == 6


def test_signing_up_past_the_client_limit_creates_nothing_and_says_the_same(settings):
    settings.POZIRK_ACCOUNT_REQUESTS_PER_HOUR = 2
    client = Client(REMOTE_ADDR="203.0.113.8")

    answers = [
        client.post(
            SIGNUP,
            {"email": f"bot{n}@example.org", "password1": PASSWORD, "password2": PASSWORD},
            follow=True,
        )
        for n in range(4)
    ]

    assert User.objects.count() == 2
    assert page_text(answers[-1]) == page_text(answers[0])


# The lockout and the way in -----------------------------------------------------------


def lock_out(owner, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        from_anywhere(n).post(LOGIN, {"username": owner.email, "password": "wrong"})


def test_the_lockout_says_when_to_try_again(owner, settings):
    lock_out(owner, settings)

    locked = from_anywhere(99).post(LOGIN, {"username": owner.email, "password": PASSWORD})

    assert locked.status_code == 429
    assert locked["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    assert "get a one-time sign-in link by email" in locked.text


def sign_in_link_in(message):
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def test_a_locked_out_owner_gets_in_with_a_one_time_link(owner, settings):
    lock_out(owner, settings)
    browser = from_anywhere(50)

    sent = browser.post(SIGN_IN_LINK, {"email": owner.email}, follow=True)
    assert "If the address belongs to an account" in sent.text
    link = sign_in_link_in(sent_to(owner.email)[-1])

    # Opening the link (as a mail scanner would) uses nothing up.
    assert "Log in with this link" in browser.get(link).text
    assert browser.get(reverse("paywall:account")).status_code == 302
    landed = browser.post(link, follow=True)

    assert landed.request["PATH_INFO"] == reverse("paywall:account")
    assert owner.email in landed.text
    # Told so once, on the page they land on.
    notice = '<p class="message message--success">You are logged in.</p>'
    assert notice in landed.text
    assert notice not in browser.get(reverse("paywall:account")).text
    # Once only.
    again = from_anywhere(51).post(link)
    assert again.status_code == 400
    assert "This link no longer works" in again.text


def test_a_sign_in_link_expires(owner, settings):
    from_anywhere(1).post(SIGN_IN_LINK, {"email": owner.email})
    link = sign_in_link_in(sent_to(owner.email)[-1])

    settings.POZIRK_SIGN_IN_LINK_MINUTES = -1

    assert from_anywhere(2).post(link).status_code == 400


@pytest.mark.parametrize(
    "tail", ["MQ/forged-token/", "%00/x/", "OTk5OTk5OTk5OTk5OTk5OTk5OTk5/abc-def/", "-/-/"]
)
def test_forged_sign_in_links_are_plain_refusals(owner, tail):
    response = Client().get(f"/en/accounts/sign-in/{tail}")

    assert response.status_code in (400, 404)


def test_unknown_and_unconfirmed_addresses_get_no_link_and_the_same_page(owner):
    User.objects.create_user(email="pending@newsroom.test", password=PASSWORD, is_active=False)

    pages = [
        page_text(from_anywhere(n).post(SIGN_IN_LINK, {"email": email}, follow=True))
        for n, email in enumerate([owner.email, "nobody@newsroom.test", "pending@newsroom.test"])
    ]

    assert len(mail.outbox) == 1
    assert pages[0] == pages[1] == pages[2]
