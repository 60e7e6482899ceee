"""The subscriptions manager grants, finds, extends and cancels POZIRK+ in the admin."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from paywall.models import Plan, Subscription, SubscriptionStatus
from tests.factories import ArticleFactory
from tests.second_factor import log_in_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:paywall_subscription_changelist")
ADD = reverse("admin:paywall_subscription_add")
PLAN_CHANGELIST = reverse("admin:paywall_plan_changelist")

MANAGER_PERMISSIONS = [
    ("paywall", "add_subscription"),
    ("paywall", "change_subscription"),
    ("paywall", "view_subscription"),
    ("paywall", "add_plan"),
    ("paywall", "change_plan"),
    ("paywall", "view_plan"),
    ("paywall", "view_user"),
]


@pytest.fixture
def manager(django_user_model):
    """A subscriptions manager: staff with the paywall rights and nothing editorial."""
    user = django_user_model.objects.create_user(
        email="subscriptions@newsroom.test", password="correct horse battery", is_staff=True
    )
    for app_label, codename in MANAGER_PERMISSIONS:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.fixture
def manager_client(client, manager):
    return log_in_staff(client, manager)


@pytest.fixture
def monthly():
    return Plan.objects.create(name="POZIRK+ monthly", duration_days=30)


@pytest.fixture
def yearly():
    return Plan.objects.create(name="POZIRK+ yearly", duration_days=365)


@pytest.fixture
def reader_client(reader):
    """The reader's own browser, beside the manager's."""
    browser = Client()
    browser.force_login(reader)
    return browser


def a_reader(django_user_model, name):
    return django_user_model.objects.create_user(email=f"{name}@readers.test", password="x" * 12)


def subscribe(user, plan, starts_in_days, ends_in_days, **extra):
    """A subscription from `starts_in_days` to `ends_in_days` away from now
    (negative: in the past)."""
    now = timezone.now()
    return Subscription.objects.create(
        user=user,
        plan=plan,
        starts_at=now + timedelta(days=starts_in_days),
        ends_at=now + timedelta(days=ends_in_days),
        **extra,
    )


def split(moment):
    """A moment as the admin's date and time inputs take it, in local time."""
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def grant_form(user, plan, starts_at, ends_at=None, **overrides):
    starts_date, starts_time = split(starts_at)
    ends_date, ends_time = split(ends_at) if ends_at else ("", "")
    data = {
        "user": user.pk,
        "plan": plan.pk,
        "starts_at_0": starts_date,
        "starts_at_1": starts_time,
        "ends_at_0": ends_date,
        "ends_at_1": ends_time,
        "status": SubscriptionStatus.ACTIVE,
        "source": "manual",
        "note": "",
    }
    data.update(overrides)
    return data


def shown(response):
    assert response.status_code == 200
    return {subscription.pk for subscription in response.context["cl"].result_list}


def gated_article():
    return ArticleFactory(gated=True, body="<p>Teaser.</p><p>CANARY beyond the teaser.</p>")


def test_the_manager_finds_a_reader_by_email(manager_client, django_user_model, monthly):
    anna = subscribe(a_reader(django_user_model, "anna"), monthly, -1, 29)
    boris = subscribe(a_reader(django_user_model, "boris"), monthly, -1, 29)
    anonymised = subscribe(None, monthly, -1, 29)

    everything = manager_client.get(CHANGELIST)
    assert shown(everything) == {anna.pk, boris.pk, anonymised.pk}
    assert "deleted reader" in everything.text
    assert "Find a reader by email address." in everything.text

    found = manager_client.get(CHANGELIST, {"q": "ANNA@readers"})
    assert shown(found) == {anna.pk}
    assert "anna@readers.test" in found.text and "boris@readers.test" not in found.text

    assert manager_client.get(ADD).status_code == 200
    change = manager_client.get(reverse("admin:paywall_subscription_change", args=[anna.pk]))
    assert change.status_code == 200 and "anna@readers.test" in change.text


def test_the_reader_field_looks_readers_up_by_email(manager_client, django_user_model):
    a_reader(django_user_model, "anna")
    a_reader(django_user_model, "boris")

    response = manager_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "anna",
            "app_label": "paywall",
            "model_name": "subscription",
            "field_name": "user",
        },
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["anna@readers.test"]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("active", {"active", "expiring"}),
        ("expiring", {"expiring"}),
        ("expired", {"expired"}),
        ("upcoming", {"upcoming"}),
        ("cancelled", {"cancelled"}),
        (None, {"active", "expiring", "expired", "upcoming", "cancelled"}),
    ],
)
def test_each_state_filter_shows_exactly_its_subscriptions(
    manager_client, django_user_model, monthly, state, expected
):
    subscriptions = {
        "active": subscribe(a_reader(django_user_model, "active"), monthly, -10, 20),
        "expiring": subscribe(a_reader(django_user_model, "expiring"), monthly, -25, 3),
        "expired": subscribe(a_reader(django_user_model, "expired"), monthly, -40, -10),
        "upcoming": subscribe(a_reader(django_user_model, "upcoming"), monthly, 2, 32),
        "cancelled": subscribe(
            a_reader(django_user_model, "cancelled"),
            monthly,
            -5,
            25,
            status=SubscriptionStatus.CANCELLED,
        ),
    }

    response = manager_client.get(CHANGELIST, {"state": state} if state else {})

    assert shown(response) == {subscriptions[name].pk for name in expected}
    for name in subscriptions:
        assert (f"{name}@readers.test" in response.text) == (name in expected), name


def test_the_state_column_says_where_each_subscription_stands(
    manager_client, django_user_model, monthly
):
    subscribe(a_reader(django_user_model, "anna"), monthly, -10, 20)
    subscribe(a_reader(django_user_model, "boris"), monthly, -40, -10)
    subscribe(a_reader(django_user_model, "carol"), monthly, 2, 32)
    subscribe(
        a_reader(django_user_model, "dan"), monthly, -5, 25, status=SubscriptionStatus.CANCELLED
    )

    html = manager_client.get(CHANGELIST).text

    for label in ["Active", "Expired", "Starts later", "Cancelled"]:
        assert f'<td class="field-current_state">{label}</td>' in html


def test_a_grant_with_no_end_runs_for_the_plan(
    manager_client, reader, reader_client, monthly, yearly
):
    article = gated_article()
    assert "CANARY" not in reader_client.get(article.get_absolute_url()).text
    starts_at = timezone.now().replace(microsecond=0) - timedelta(hours=1)

    response = manager_client.post(ADD, grant_form(reader, yearly, starts_at))

    assert response.status_code == 302, response.context["adminform"].form.errors
    subscription = Subscription.objects.get()
    assert subscription.user == reader and subscription.plan == yearly
    assert subscription.starts_at == starts_at
    assert subscription.ends_at == starts_at + timedelta(days=365)
    assert subscription.state == "Active"
    assert "CANARY" in reader_client.get(article.get_absolute_url()).text


def test_a_grant_ending_before_it_starts_is_refused_plainly(manager_client, reader, monthly):
    starts_at = timezone.now()

    response = manager_client.post(
        ADD, grant_form(reader, monthly, starts_at, ends_at=starts_at - timedelta(days=1))
    )

    assert response.status_code == 200
    assert "The end must come after the start." in response.text
    assert not Subscription.objects.exists()


def test_a_plan_no_longer_offered_cannot_be_granted(manager_client, reader, monthly):
    monthly.is_active = False
    monthly.save()

    response = manager_client.post(ADD, grant_form(reader, monthly, timezone.now()))

    assert response.status_code == 200
    assert "plan" in response.context["adminform"].form.errors
    assert not Subscription.objects.exists()


def extend(client, *subscriptions):
    return client.post(
        CHANGELIST,
        {"action": "extend", "_selected_action": [s.pk for s in subscriptions]},
        follow=True,
    )


def test_extending_a_lapsed_subscription_counts_from_now(manager_client, reader, monthly):
    lapsed = subscribe(reader, monthly, -40, -10)

    before = timezone.now()
    response = extend(manager_client, lapsed)
    after = timezone.now()

    lapsed.refresh_from_db()
    assert before + timedelta(days=30) <= lapsed.ends_at <= after + timedelta(days=30)
    assert lapsed.status == SubscriptionStatus.ACTIVE
    assert "1 subscription was extended by its plan&#x27;s duration." in response.text
    assert Subscription.objects.current().filter(user=reader).exists()


def test_extending_a_running_subscription_counts_from_its_end(
    manager_client, django_user_model, monthly, yearly
):
    running = subscribe(a_reader(django_user_model, "anna"), monthly, -10, 5)
    upcoming = subscribe(a_reader(django_user_model, "boris"), yearly, 3, 368)
    running_end, upcoming_end = running.ends_at, upcoming.ends_at

    response = extend(manager_client, running, upcoming)

    running.refresh_from_db()
    upcoming.refresh_from_db()
    assert running.ends_at == running_end + timedelta(days=30)
    assert upcoming.ends_at == upcoming_end + timedelta(days=365)
    assert running.status == upcoming.status == SubscriptionStatus.ACTIVE
    assert "2 subscriptions were extended by their plan&#x27;s duration." in response.text


def test_extending_a_cancelled_subscription_restores_it_and_says_so(
    manager_client, reader, monthly
):
    cancelled = subscribe(reader, monthly, -10, 20, status=SubscriptionStatus.CANCELLED)
    end = cancelled.ends_at

    response = extend(manager_client, cancelled)

    cancelled.refresh_from_db()
    assert cancelled.status == SubscriptionStatus.ACTIVE
    assert cancelled.ends_at == end + timedelta(days=30)
    assert "1 of them had been cancelled: it is active again." in response.text


def test_an_anonymised_subscription_can_still_be_edited(manager_client, monthly):
    anonymised = subscribe(None, monthly, -40, -10)
    change = reverse("admin:paywall_subscription_change", args=[anonymised.pk])
    starts_date, starts_time = split(anonymised.starts_at)
    ends_date, ends_time = split(anonymised.ends_at)

    response = manager_client.post(
        change,
        {
            "plan": monthly.pk,
            "starts_at_0": starts_date,
            "starts_at_1": starts_time,
            "ends_at_0": ends_date,
            "ends_at_1": ends_time,
            "status": SubscriptionStatus.CANCELLED,
            "source": "manual",
            "note": "",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    anonymised.refresh_from_db()
    assert anonymised.user is None and anonymised.status == SubscriptionStatus.CANCELLED


def test_cancelling_ends_the_readers_access_at_once(manager_client, reader, reader_client, monthly):
    subscription = subscribe(reader, monthly, -3, 27)
    article = gated_article()
    assert "CANARY" in reader_client.get(article.get_absolute_url()).text

    response = manager_client.post(
        CHANGELIST,
        {"action": "cancel_now", "_selected_action": [subscription.pk]},
        follow=True,
    )

    assert "1 subscription was cancelled: its reader has lost access now." in response.text
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CANCELLED
    page = reader_client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Teaser." in page.text and "CANARY" not in page.text


def test_the_summary_counts_readers_with_access_now_once_per_plan(
    manager_client, django_user_model, monthly, yearly
):
    Plan.objects.create(name="POZIRK+ quarterly", duration_days=90)
    anna = a_reader(django_user_model, "anna")
    subscribe(anna, monthly, -20, 10)
    subscribe(anna, monthly, 5, 35)  # a renewal, not yet started
    subscribe(anna, monthly, -2, 28)  # granted twice by mistake: still one reader
    subscribe(anna, yearly, -100, 265)
    subscribe(a_reader(django_user_model, "boris"), monthly, -1, 29)
    subscribe(a_reader(django_user_model, "carol"), monthly, -40, -10)
    subscribe(
        a_reader(django_user_model, "dan"), yearly, -5, 360, status=SubscriptionStatus.CANCELLED
    )
    subscribe(None, monthly, -3, 27)  # a reader who deleted their account
    subscribe(a_reader(django_user_model, "eve"), yearly, 1, 366)

    response = manager_client.get(CHANGELIST)

    summary = {row["plan"].name: row["readers"] for row in response.context["plan_summary"]}
    assert summary == {"POZIRK+ monthly": 2, "POZIRK+ yearly": 1, "POZIRK+ quarterly": 0}
    assert response.context["active_readers_total"] == 2
    assert f'data-plan-readers="{monthly.pk}">2<' in response.text
    assert f'data-plan-readers="{yearly.pk}">1<' in response.text
    assert 'data-plan-readers="total"><strong>2<' in response.text


def test_the_plan_list_counts_subscriptions_active_now(
    manager_client, django_user_model, monthly, yearly
):
    anna = a_reader(django_user_model, "anna")
    subscribe(anna, monthly, -20, 10)
    subscribe(anna, monthly, -2, 28)
    subscribe(a_reader(django_user_model, "boris"), monthly, -40, -10)
    subscribe(a_reader(django_user_model, "carol"), yearly, 1, 366)

    response = manager_client.get(PLAN_CHANGELIST)

    assert response.status_code == 200
    counts = {plan.name: plan.num_active for plan in response.context["cl"].result_list}
    assert counts == {"POZIRK+ monthly": 2, "POZIRK+ yearly": 0}
    assert '<td class="field-active_subscriptions">2</td>' in response.text


def build_subscriptions(django_user_model, plans, up_to):
    """Subscriptions up to `up_to` in all, of every plan and state, some anonymised."""
    for i in range(Subscription.objects.count(), up_to):
        subscribe(
            a_reader(django_user_model, f"reader{i}") if i % 5 else None,
            plans[i % len(plans)],
            -i - 1,
            30 - 2 * i,
            status=SubscriptionStatus.CANCELLED if i % 7 == 3 else SubscriptionStatus.ACTIVE,
        )


def count_queries(client, url, **params):
    """Queries for one page and its number of rows, in the steady state: the
    first page after logging in also records when the device was last seen."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


@pytest.mark.parametrize("params", [{}, {"state": "active"}, {"q": "reader"}])
def test_the_change_list_costs_the_same_for_5_and_30_subscriptions(
    manager_client, django_user_model, monthly, yearly, params
):
    plans = [monthly, yearly, Plan.objects.create(name="POZIRK+ quarterly", duration_days=90)]
    build_subscriptions(django_user_model, plans, 5)
    small, small_rows = count_queries(manager_client, CHANGELIST, **params)
    build_subscriptions(django_user_model, plans, 30)
    large, large_rows = count_queries(manager_client, CHANGELIST, **params)

    assert large_rows > small_rows
    assert large == small


def test_the_plan_list_costs_the_same_for_few_and_many_subscriptions(
    manager_client, django_user_model, monthly, yearly
):
    build_subscriptions(django_user_model, [monthly, yearly], 5)
    small, _ = count_queries(manager_client, PLAN_CHANGELIST)
    build_subscriptions(django_user_model, [monthly, yearly], 30)
    large, _ = count_queries(manager_client, PLAN_CHANGELIST)

    assert large == small


def test_an_editor_cannot_see_subscriptions(editor_client, monthly, reader):
    subscription = subscribe(reader, monthly, -1, 29)

    assert editor_client.get(CHANGELIST).status_code == 403
    assert editor_client.get(ADD).status_code == 403
    assert editor_client.get(PLAN_CHANGELIST).status_code == 403
    change = reverse("admin:paywall_subscription_change", args=[subscription.pk])
    assert editor_client.get(change).status_code == 403
    refused = editor_client.post(
        CHANGELIST, {"action": "cancel_now", "_selected_action": [subscription.pk]}
    )
    assert refused.status_code == 403
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE


def test_the_manager_cannot_delete_subscriptions(manager_client, reader, monthly):
    subscription = subscribe(reader, monthly, -1, 29)

    html = manager_client.get(CHANGELIST).text

    assert 'value="delete_selected"' not in html
    delete = reverse("admin:paywall_subscription_delete", args=[subscription.pk])
    assert manager_client.get(delete).status_code == 403


def test_the_admin_history_records_who_did_what_without_naming_the_reader(
    manager_client, manager, reader, monthly
):
    manager_client.post(ADD, grant_form(reader, monthly, timezone.now()))
    subscription = Subscription.objects.get()
    extend(manager_client, subscription)
    manager_client.post(CHANGELIST, {"action": "cancel_now", "_selected_action": [subscription.pk]})

    entries = LogEntry.objects.filter(object_id=str(subscription.pk)).order_by("pk")
    assert [(e.user, e.action_flag) for e in entries] == [
        (manager, ADDITION),
        (manager, CHANGE),
        (manager, CHANGE),
    ]
    assert [e.get_change_message() for e in entries][1:] == [
        "Extended by the plan's duration.",
        "Cancelled.",
    ]
    assert all(
        e.object_repr == f"Subscription {subscription.pk} (POZIRK+ monthly)" for e in entries
    )
    history = reverse("admin:paywall_subscription_history", args=[subscription.pk])
    assert "Cancelled." in manager_client.get(history).text

    reader.delete()
    assert not LogEntry.objects.filter(object_repr__icontains="reader@newsroom.test").exists()
