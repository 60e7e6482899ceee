"""A reader subscribes to newsletters: double opt-in with no account needed,
managing them from a letter's link or the account page, and unsubscribing
in one click, without logging in. Bad links and bad input get a plain page,
and nothing tells anyone whether an address is subscribed."""

import re
from base64 import b64encode

import pytest
from django.core import mail
from django.urls import reverse

from newsletters.models import Kind, Newsletter, Subscriber

pytestmark = pytest.mark.django_db


def newsletter(kind=Kind.DIGEST, language="en"):
    return Newsletter.objects.get(kind=kind, language=language)


def ask(client, email, *newsletters, discreet=False):
    data = {"email": email, "newsletters": [n.pk for n in newsletters]}
    if discreet:
        data["discreet"] = "on"
    return client.post(reverse("newsletters:subscribe"), data)


def confirmation_link(message):
    return re.search(r"https?://\S+/newsletters/confirm/\S+/", message.body).group(0)


def test_nothing_is_kept_or_sent_until_the_reader_confirms(client):
    digest, breaking = newsletter(), newsletter(Kind.BREAKING, "be")
    response = ask(client, "Reader@Example.org", digest, breaking)

    assert response.status_code == 302
    assert response["Location"] == reverse("newsletters:subscribe-sent")
    assert not Subscriber.objects.exists()
    [message] = mail.outbox
    assert message.to == ["Reader@Example.org"]
    assert "Daily digest (English)" in message.body
    assert "Breaking news (Belarusian)" in message.body

    link = confirmation_link(message)
    page = client.get(link)
    assert page.status_code == 200
    assert not Subscriber.objects.exists(), "opening the link (a mail scanner may) is not consent"
    assert client.post(link).status_code == 200

    subscriber = Subscriber.objects.get()
    assert subscriber.email == "Reader@Example.org"
    assert set(subscriber.newsletters.all()) == {digest, breaking}
    assert not subscriber.discreet


def test_repeated_sign_ups_look_the_same_and_stop_flooding_the_mailbox(client, settings):
    settings.NEWSLETTERS_CONFIRMATIONS_PER_HOUR = 3
    Subscriber.objects.create(email="known@example.org").newsletters.add(newsletter())

    known = ask(client, "known@example.org", newsletter())
    unknown = ask(client, "new@example.org", newsletter())
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.subject for m in mail.outbox if m.to == ["known@example.org"]] == [
        m.subject for m in mail.outbox if m.to == ["new@example.org"]
    ]

    for _ in range(5):
        assert ask(client, "new@example.org", newsletter()).status_code == 302
    assert len([m for m in mail.outbox if m.to == ["new@example.org"]]) == 3


def test_a_second_confirmation_adds_newsletters_and_keeps_one_subscriber(client):
    ask(client, "twice@example.org", newsletter())
    client.post(confirmation_link(mail.outbox[-1]))
    ask(client, "TWICE@example.org", newsletter(Kind.PLUS, "ru"))
    client.post(confirmation_link(mail.outbox[-1]))

    subscriber = Subscriber.objects.get()
    assert subscriber.newsletters.count() == 2


@pytest.mark.parametrize(
    "email",
    ["not-an-address", "two@@example.org", "", "a" * 300 + "@example.org", "nul\x00@example.org"],
)
def test_malformed_addresses_get_the_form_back_with_an_error(client, email):
    response = ask(client, email, newsletter())
    assert response.status_code == 200
    assert b"form-field--error" in response.content
    assert not mail.outbox


def test_choosing_nothing_or_an_unknown_newsletter_is_a_form_error(client):
    response = client.post(reverse("newsletters:subscribe"), {"email": "a@example.org"})
    assert response.status_code == 200
    assert b"Choose at least one newsletter." in response.content
    response = client.post(
        reverse("newsletters:subscribe"), {"email": "a@example.org", "newsletters": ["999999"]}
    )
    assert response.status_code == 200
    response = client.post(
        reverse("newsletters:subscribe"), {"email": "a@example.org", "newsletters": ["x\x00"]}
    )
    assert response.status_code == 200
    assert not mail.outbox


@pytest.mark.parametrize(
    "token",
    ["forged", "eyJlIjoiYUBiLmMiLCJuIjpbMV0sImQiOmZhbHNlfQ:1abc:def", "a" * 2000, "%00"],
)
def test_forged_confirmation_links_get_a_plain_page(client, token):
    response = client.get(reverse("newsletters:confirm", args=[token]))
    assert response.status_code == 404
    assert b"This link does not work" in response.content
    assert client.post(reverse("newsletters:confirm", args=[token])).status_code == 404
    assert not Subscriber.objects.exists()


def test_an_expired_confirmation_link_does_not_subscribe(client, settings):
    ask(client, "late@example.org", newsletter())
    link = confirmation_link(mail.outbox[-1])
    settings.NEWSLETTERS_CONFIRMATION_DAYS = 0
    assert client.post(link).status_code == 404
    assert not Subscriber.objects.exists()


def subscribed(email="reader@example.org", *newsletters, discreet=False):
    subscriber = Subscriber.objects.create(email=email, discreet=discreet)
    subscriber.newsletters.add(*(newsletters or [newsletter()]))
    return subscriber


def test_the_unsubscribe_link_asks_then_unsubscribes_at_once_without_login(client):
    digest, alerts = newsletter(), newsletter(Kind.BREAKING)
    subscriber = subscribed("reader@example.org", digest, alerts)
    url = reverse("newsletters:unsubscribe", args=[subscriber.key, digest.slug])

    page = client.get(url)
    assert page.status_code == 200
    assert "Daily digest (English)" in page.content.decode()
    assert subscriber.newsletters.count() == 2, "a link opened (by a scanner too) changes nothing"

    done = client.post(url)
    assert done.status_code == 200
    assert list(subscriber.newsletters.all()) == [alerts]
    # Unsubscribing from the last one forgets the address.
    client.post(reverse("newsletters:unsubscribe", args=[subscriber.key, alerts.slug]))
    assert not Subscriber.objects.exists()


def test_one_click_unsubscribe_as_mail_clients_post_it(client):
    """RFC 8058: a POST with List-Unsubscribe=One-Click, no cookie, no CSRF token."""
    from django.test import Client

    subscriber = subscribed()
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        reverse("newsletters:unsubscribe", args=[subscriber.key, newsletter().slug]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    "key, slug",
    [
        ("x" * 32, "digest-en"),
        ("{key}", "digest-xx"),
        ("{key}", "nonsense"),
        ("{key}", "plus-"),
    ],
)
def test_forged_unsubscribe_links_get_a_plain_page(client, key, slug):
    subscriber = subscribed()
    url = reverse("newsletters:unsubscribe", args=[key.format(key=subscriber.key), slug])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 404
        assert b"This link does not work" in response.content
    assert subscriber.newsletters.count() == 1


def test_unknown_and_malformed_keys_never_reach_the_database_as_errors(client):
    for path in (
        "/en/newsletters/unsubscribe/a%00b/digest-en/",
        "/en/newsletters/manage/a%00b/",
        "/en/newsletters/manage/" + "k" * 5000 + "/",
        "/en/newsletters/confirm/%00/",
    ):
        assert client.get(path).status_code == 404


def test_a_subscriber_manages_every_choice_from_the_link_in_a_letter(client):
    subscriber = subscribed()
    url = reverse("newsletters:manage", args=[subscriber.key])
    page = client.get(url)
    assert page.status_code == 200
    assert "reader@example.org" in page.content.decode()

    ru_digest, plus = newsletter(Kind.DIGEST, "ru"), newsletter(Kind.PLUS, "be")
    response = client.post(url, {"newsletters": [ru_digest.pk, plus.pk], "discreet": "on"})
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert set(subscriber.newsletters.all()) == {ru_digest, plus}
    assert subscriber.discreet

    client.post(url, {})
    assert not Subscriber.objects.exists()


def test_the_key_in_a_subscribers_link_is_not_kept_by_the_process(client):
    """The page's alternates in the other editions are built for it and
    forgotten: only the reader's public pages keep theirs (reading/head.py)."""
    from reading import editions, head

    subscriber = subscribed()
    translations = editions._translated.cache_info().currsize
    page = client.get(reverse("newsletters:manage", args=[subscriber.key]))

    assert f"/ru/newsletters/manage/{subscriber.key}/" in page.content.decode()
    assert not any(subscriber.key in repr(key) for key in head._heads)
    assert editions._translated.cache_info().currsize == translations
    client.get("/en/")
    assert any(key[0] == "alternates" for key in head._heads)


def test_a_logged_in_reader_chooses_newsletters_on_the_account_page(client, reader):
    client.force_login(reader)
    account = client.get(reverse("paywall:account"))
    assert reverse("newsletters:account") in account.content.decode()

    response = client.post(
        reverse("newsletters:account"),
        {"newsletters": [newsletter().pk, newsletter(Kind.BREAKING, "be").pk], "discreet": "on"},
    )
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.email == reader.email
    assert subscriber.user == reader
    assert subscriber.discreet
    assert not mail.outbox, "the account's address was confirmed with the account"

    page = client.get(reverse("newsletters:account"))
    assert page.status_code == 200
    assert "checked" in page.content.decode()

    # Deleting the account ends its newsletters.
    reader.delete()
    assert not Subscriber.objects.exists()


def test_the_account_page_finds_a_subscription_made_before_logging_in(client, reader):
    subscribed(reader.email.upper())
    client.force_login(reader)
    client.post(reverse("newsletters:account"), {"newsletters": [newsletter(Kind.PLUS).pk]})
    subscriber = Subscriber.objects.get()
    assert subscriber.user == reader
    assert list(subscriber.newsletters.all()) == [newsletter(Kind.PLUS)]


def test_the_newsletter_pages_need_no_login_and_the_account_one_does(client):
    assert client.get(reverse("newsletters:subscribe")).status_code == 200
    assert client.get(reverse("newsletters:subscribe-sent")).status_code == 200
    assert client.get(reverse("newsletters:account")).status_code == 302


def test_a_bounce_reported_by_the_provider_unsubscribes_the_address(client, settings):
    """Postmark's bounce webhook, as django-anymail receives it."""
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}
    subscribed("bounced@example.org")
    subscribed("fine@example.org")
    from django.urls import clear_url_caches, set_urlconf

    settings.NEWSLETTERS_PROVIDER = "postmark"
    import importlib

    import newsroom.urls

    importlib.reload(newsroom.urls)
    clear_url_caches()
    set_urlconf(None)
    try:
        payload = {
            "RecordType": "Bounce",
            "Type": "HardBounce",
            "TypeCode": 1,
            "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
            "Email": "bounced@example.org",
            "BouncedAt": "2026-12-04T10:00:00Z",
            "Description": "The server was unable to deliver your message",
            "Details": "smtp;550 5.1.1 unknown user",
            "Inactive": True,
            "CanActivate": True,
            "Subject": "Daily digest",
        }
        url = "/newsletters/provider/postmark/tracking/"
        unauthorised = client.post(url, payload, content_type="application/json")
        assert unauthorised.status_code in (400, 401, 403)
        auth = "Basic " + b64encode(b"hook:secret").decode()
        response = client.post(
            url, payload, content_type="application/json", HTTP_AUTHORIZATION=auth
        )
        assert response.status_code == 200
        assert list(Subscriber.objects.values_list("email", flat=True)) == ["fine@example.org"]
    finally:
        settings.NEWSLETTERS_PROVIDER = ""
        importlib.reload(newsroom.urls)
        clear_url_caches()
        set_urlconf(None)
