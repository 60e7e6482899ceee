"""A gift link after its giver's POZIRK+ has ended.

The red team saw a gift link open its article after the giver's membership
had ended, and asked whether that was meant. It is (paywall/access.py,
`_gift_opens`; README, gift links): a gift made while a member stays valid
for its days; revoking it, its expiry or deleting the giver's account end it.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paywall.access import can_read
from paywall.models import GiftLink, Subscription
from tests.factories import ArticleFactory, make_subscriber

pytestmark = pytest.mark.django_db

CANARY = "CANARY-the-gifted-paragraph"


@pytest.fixture
def gated():
    return ArticleFactory(gated=True, body=f"<p>Teaser.</p><p>{CANARY}</p>")


@pytest.fixture
def giver():
    return make_subscriber("giver@newsroom.test")


def give(giver, article):
    member = Client()
    member.force_login(giver)
    member.post(reverse("paywall:gift-create", args=[article.pk]))
    return GiftLink.objects.get()


def end_membership(giver):
    Subscription.objects.filter(user=giver).update(ends_at=timezone.now() - timedelta(minutes=1))


def test_a_gift_made_while_a_member_stays_valid_for_its_days_after_the_membership_ends(
    giver, gated
):
    gift = give(giver, gated)
    end_membership(giver)

    assert CANARY in Client().get(gift.get_absolute_url()).text
    assert can_read(None, gated, gift.key)


def test_the_lapsed_giver_can_no_longer_make_gifts(giver, gated):
    give(giver, gated)
    end_membership(giver)
    member = Client()
    member.force_login(giver)

    assert member.post(reverse("paywall:gift-create", args=[gated.pk])).status_code == 403
    assert GiftLink.objects.count() == 1


def test_the_gift_still_ends_with_its_days(giver, gated):
    gift = give(giver, gated)
    end_membership(giver)
    GiftLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert CANARY not in Client().get(gift.get_absolute_url()).text


def test_a_lapsed_giver_may_still_revoke_it(giver, gated):
    gift = give(giver, gated)
    end_membership(giver)
    member = Client()
    member.force_login(giver)

    member.post(reverse("paywall:gift-revoke", args=[gift.key]))

    assert CANARY not in Client().get(gift.get_absolute_url()).text


def test_deleting_the_givers_account_ends_the_gift(giver, gated):
    from paywall.accounts import delete_account

    gift = give(giver, gated)
    url = gift.get_absolute_url()
    end_membership(giver)

    delete_account(giver)

    assert CANARY not in Client().get(url).text
