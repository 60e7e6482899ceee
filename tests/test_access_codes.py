"""Access codes: POZIRK+ without a card. The subscriptions manager makes a
batch in the admin and sees its codes once; readers redeem them at
/plus/redeem/; wrong guesses are stopped by the login lockout."""

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from payments import codes
from payments.models import AccessCode, CodeBatch
from paywall.models import Plan, Subscription, SubscriptionSource, User
from tests.factories import ArticleFactory
from tests.second_factor import log_in_staff

pytestmark = pytest.mark.django_db

REDEEM = reverse("payments:redeem")
CANARY = "CANARY-paid-for-by-a-code"


@pytest.fixture
def monthly():
    return Plan.objects.create(name="POZIRK+ monthly", duration_days=30)


@pytest.fixture
def manager_client(subscriptions_manager):
    return log_in_staff(Client(), subscriptions_manager)


@pytest.fixture
def reader_client(reader):
    client = Client()
    client.force_login(reader)
    return client


def make_batch(manager_client, plan, size=3, **fields):
    response = manager_client.post(
        reverse("admin:payments_codebatch_add"),
        {"plan": plan.pk, "size": size, "note": "sold via bank transfer", **fields},
    )
    assert response.status_code == 200, response.text
    shown = re.findall(r"\b[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}\b", response.text)
    return response, list(dict.fromkeys(shown))


def test_a_manager_makes_a_batch_and_sees_its_codes_once(manager_client, monthly):
    response, shown = make_batch(manager_client, monthly, size=5, days=60)

    assert len(shown) == 5
    csv_link = re.search(r'href="data:text/csv;charset=utf-8,([^"]+)"', response.text).group(1)
    csv_text = unquote(csv_link)
    assert all(code in csv_text for code in shown) and "sold via bank transfer" in csv_text
    # Only digests are kept: no code can be shown again.
    stored = " ".join(AccessCode.objects.values_list("digest", flat=True))
    assert not any(code in stored or code.replace("-", "") in stored for code in shown)
    batch = CodeBatch.objects.get()
    change_page = manager_client.get(reverse("admin:payments_codebatch_change", args=[batch.pk]))
    assert not any(code in change_page.text for code in shown)
    listing = manager_client.get(reverse("admin:payments_codebatch_changelist"))
    assert "0 / 5" in listing.text and ">60<" in listing.text


def test_a_reader_redeems_a_code_and_reads(manager_client, monthly, reader, reader_client):
    _, (code, *_) = make_batch(manager_client, monthly)
    article = ArticleFactory(gated=True, body=f"<p>Teaser.</p><p>{CANARY}</p>")
    assert CANARY not in reader_client.get(article.get_absolute_url()).text

    # Typed in lower case with spaces: still the code.
    response = reader_client.post(REDEEM, {"code": code.lower().replace("-", " ")})

    assert response.status_code == 302
    assert CANARY in reader_client.get(article.get_absolute_url()).text
    (membership,) = Subscription.objects.filter(user=reader)
    assert membership.source == SubscriptionSource.CODE
    assert membership.ends_at - membership.starts_at == timedelta(days=30)
    listing = manager_client.get(reverse("admin:payments_codebatch_changelist"))
    assert "1 / 3" in listing.text


def test_a_code_works_once(manager_client, monthly, reader_client, django_user_model):
    _, (code, *_) = make_batch(manager_client, monthly)
    reader_client.post(REDEEM, {"code": code})
    other = Client()
    other.force_login(django_user_model.objects.create_user(email="b@newsroom.test", password="x"))

    response = other.post(REDEEM, {"code": code})

    assert response.status_code == 400
    assert "already been used" in response.text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ABCD-EFGH-JKMN-PQRS", "does not exist"),
        ("not a code", "not an access code"),
        ("O0O0-I1I1-O0O0-I1I1", "not an access code"),
        ("A" * 70, "at most 64"),
        ("", "required"),
    ],
)
def test_wrong_and_malformed_codes_get_a_clear_error(reader_client, typed, message):
    response = reader_client.post(REDEEM, {"code": typed})

    assert response.status_code == 400
    assert message in response.text


def test_an_expired_code_is_refused(manager_client, monthly, reader_client):
    _, (code, *_) = make_batch(manager_client, monthly)
    CodeBatch.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = reader_client.post(REDEEM, {"code": code})

    assert response.status_code == 400 and "expired" in response.text


def test_a_code_extends_a_membership_from_its_end(manager_client, monthly, reader, reader_client):
    ends = timezone.now() + timedelta(days=10)
    Subscription.objects.create(user=reader, plan=monthly, ends_at=ends)
    _, (code, *_) = make_batch(manager_client, monthly, days=14)

    reader_client.post(REDEEM, {"code": code})

    added = Subscription.objects.get(user=reader, source=SubscriptionSource.CODE)
    assert added.starts_at == ends and added.ends_at == ends + timedelta(days=14)


def test_guessing_codes_is_stopped_per_account_and_per_address(settings, reader, reader_client):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        reader_client.post(REDEEM, {"code": f"ABCD-EFGH-JKMN-PQR{n + 2}"})

    locked = reader_client.post(REDEEM, {"code": "ABCD-EFGH-JKMN-PQRS"})
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0

    # Another account from the same address is stopped too.
    other = Client()
    other.force_login(User.objects.create_user(email="c@newsroom.test", password="x"))
    assert other.post(REDEEM, {"code": "ABCD-EFGH-JKMN-PQRS"}).status_code == 429
    # The lockout holds the codes' guesses, not who: no code, no email.
    assert "ABCD" not in str(list(CodeBatch.objects.values()))


def test_logged_out_readers_are_asked_to_log_in(client):
    response = client.get(REDEEM)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_subscriptions_manager_sees_revenue_at_a_glance(
    manager_client, monthly, reader, django_user_model
):
    now = timezone.now()
    Subscription.objects.create(user=reader, plan=monthly, source=SubscriptionSource.MANUAL)
    other = django_user_model.objects.create_user(email="d@newsroom.test", password="x")
    Subscription.objects.create(user=other, plan=monthly, source=SubscriptionSource.CODE)
    Subscription.objects.create(
        user=other,
        plan=monthly,
        starts_at=now - timedelta(days=90),
        ends_at=now - timedelta(hours=1),
    )

    page = manager_client.get(reverse("admin:payments_revenue"))

    assert page.status_code == 200
    assert 'data-revenue="members"><strong>2<' in page.text
    assert 'data-revenue="new-this">' in page.text
    assert "Staff grant" in page.text and "Access code" in page.text


def test_readers_and_editors_see_no_revenue(reader_client, editor):
    assert reader_client.get(reverse("admin:payments_revenue")).status_code == 302
    editor_client = log_in_staff(Client(), editor)
    assert editor_client.get(reverse("admin:payments_revenue")).status_code == 403


def test_codes_are_kept_as_keyed_digests():
    code = codes.normalise(codes.new_code())
    assert len(code) == 16
    assert codes.digest(code) != codes.digest(code, secret="another key")
    assert Group.objects.filter(name="Subscriptions manager").exists()


def test_codes_and_revenue_ask_for_the_second_factor_again_when_it_is_stale(
    settings, subscriptions_manager, monthly
):
    settings.NEWSROOM_REAUTHENTICATION_MINUTES = 10
    stale = log_in_staff(
        Client(), subscriptions_manager, verified_at=timezone.now() - timedelta(minutes=11)
    )
    for address in (reverse("admin:payments_codebatch_add"), reverse("admin:payments_revenue")):
        asked = stale.get(address)
        assert asked.status_code == 302
        assert asked["Location"].startswith(reverse("security:verify"))
    made = stale.post(reverse("admin:payments_codebatch_add"), {"plan": monthly.pk, "size": 3})
    assert made.status_code == 302 and not CodeBatch.objects.exists()
