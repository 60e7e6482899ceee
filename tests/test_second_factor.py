"""Staff accounts a stolen password does not open: the second factor, as an
editor, an administrator and a reader meet it."""

import time
from datetime import timedelta

import pyotp
import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.urls import urlpatterns as site_urlpatterns
from paywall.models import UserSession
from security import factors
from security.decorators import recent_second_factor_required
from security.middleware import VerifiedUserMiddleware
from security.models import Event, Factor, RecoveryCodeDevice, SecurityEvent
from tests.factories import ArticleFactory
from tests.second_factor import app_secret, give_app, log_in_staff

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
ADMIN_LOGIN = reverse("admin:login")
ARTICLES = reverse("admin:articles_article_changelist")
FACTORS = reverse("security:factors")
VERIFY = reverse("security:verify")


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    """django-otp slows down an app after a wrong code (a second, doubling);
    the lockout is what these tests are about."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def give_password(client, user, password=PASSWORD):
    return client.post(ADMIN_LOGIN, {"username": user.email, "password": password})


def enter(client, code, next_url=ARTICLES):
    return client.post(VERIFY, {"code": code, "next": next_url})


def events(user, kind):
    return SecurityEvent.objects.filter(account=user, kind=kind)


# Staff without a factor ----------------------------------------------------------


def test_staff_without_a_factor_are_sent_to_set_one_up_and_reach_nothing_else(client, desk_editor):
    article = ArticleFactory()
    assert give_password(client, desk_editor).status_code == 302

    for address in [
        reverse("admin:index"),
        ARTICLES,
        reverse("admin:articles_article_change", args=[article.pk]),
        "/en/",
        article.get_absolute_url(),
        reverse("paywall:account"),
    ]:
        response = client.get(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(FACTORS), address
    refused = client.post(reverse("admin:articles_article_add"), {"headline": "Forged"})
    assert refused["Location"] == FACTORS

    setup = client.get(FACTORS)
    assert "Staff accounts need a second factor" in setup.text
    assert "Add a security key" in setup.text
    assert client.post(reverse("admin:logout")).status_code in (200, 302)
    assert client.get(ARTICLES)["Location"].startswith(ADMIN_LOGIN)


def test_an_editor_sets_up_an_authenticator_app_and_gets_recovery_codes_once(client, desk_editor):
    give_password(client, desk_editor)
    page = client.get(reverse("security:add-app"), {"next": ARTICLES})
    assert "<svg" in page.text and "QR code for your authenticator app" in page.text
    assert "https://" not in page.text.split("<svg", 1)[1].split("</svg>")[0], "no outside QR"
    device = TOTPDevice.objects.get(user=desk_editor, confirmed=False)
    totp = pyotp.TOTP(app_secret(device))
    assert totp.secret[:4] in page.text.replace(" ", "")

    wrong = client.post(reverse("security:add-app"), {"code": "000000", "next": ARTICLES})
    assert "That code is not right" in wrong.text
    done = client.post(reverse("security:add-app"), {"code": totp.now(), "next": ARTICLES})

    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and all(code in done.text for code in codes)
    assert "shown only now" in done.text
    # Kept as digests only.
    stored = RecoveryCodeDevice.objects.get(user=desk_editor).codes.values_list("digest", flat=True)
    assert not set(codes) & set(stored)
    assert client.get(ARTICLES).status_code == 200
    assert "shown only now" not in client.get(FACTORS).text
    assert events(desk_editor, Event.FACTOR_ADDED).get().factor == Factor.APP
    assert events(desk_editor, Event.LOGIN).get().factor == Factor.APP


def test_a_password_alone_cannot_add_a_factor_to_an_account_that_has_one(client, desk_editor):
    give_app(desk_editor)
    give_password(client, desk_editor)

    assert client.get(FACTORS)["Location"].startswith(VERIFY)
    assert client.get(reverse("security:add-app"))["Location"] == FACTORS
    begin = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert begin.status_code == 403


# Authenticator-app codes at login -------------------------------------------------


def test_login_asks_for_the_code_after_the_password_and_takes_the_right_one(client, desk_editor):
    _, totp = give_app(desk_editor)
    give_password(client, desk_editor)

    assert client.get(ARTICLES)["Location"].startswith(VERIFY)
    page = client.get(VERIFY, {"next": ARTICLES})
    assert "Your password was right" in page.text
    passed = enter(client, totp.now())

    assert passed["Location"] == ARTICLES
    assert client.get(ARTICLES).status_code == 200
    login = events(desk_editor, Event.LOGIN).get()
    assert login.factor == Factor.APP and login.device == "Unknown device"


def test_a_wrong_a_reused_and_an_old_code_are_refused(client, desk_editor):
    device, totp = give_app(desk_editor)
    give_password(client, desk_editor)

    wrong = enter(client, "123456" if totp.now() != "123456" else "654321")
    assert wrong.status_code == 200 and "That code is not right" in wrong.text
    old = enter(client, totp.at(time.time() - 120))
    assert "That code is not right" in old.text
    from_the_future = enter(client, totp.at(time.time() + 120))
    assert "That code is not right" in from_the_future.text
    assert client.get(ARTICLES).status_code == 302

    code = totp.now()
    assert enter(client, code)["Location"] == ARTICLES
    # The same code again, in another browser: used once, it is spent.
    thief = Client()
    give_password(thief, desk_editor)
    assert "That code is not right" in enter(thief, code).text
    assert thief.get(ARTICLES).status_code == 302
    assert events(desk_editor, Event.LOGIN_FAILED).filter(factor=Factor.APP).count() == 4


# Recovery codes ------------------------------------------------------------------


def test_a_recovery_code_works_once(client, desk_editor):
    give_app(desk_editor)
    codes = RecoveryCodeDevice.replace_for(desk_editor)

    give_password(client, desk_editor)
    passed = enter(client, codes[0].upper().replace("-", " "))
    assert passed["Location"] == ARTICLES
    assert "9 are left" in client.get(ARTICLES).text
    assert events(desk_editor, Event.LOGIN).get().factor == Factor.RECOVERY

    again = Client()
    give_password(again, desk_editor)
    assert "That code is not right, or it has been used" in enter(again, codes[0]).text
    assert enter(again, codes[1])["Location"] == ARTICLES


def test_new_recovery_codes_replace_the_old_ones(client, desk_editor):
    log_in_staff(client, desk_editor)
    old = RecoveryCodeDevice.replace_for(desk_editor)

    new = client.post(reverse("security:recovery-codes")).context["codes"]

    assert not set(old) & set(new)
    other = Client()
    give_password(other, desk_editor)
    assert "That code is not right" in enter(other, old[0]).text
    assert enter(other, new[0])["Location"] == ARTICLES
    assert events(desk_editor, Event.RECOVERY_CODES).exists()


# The lockout ----------------------------------------------------------------------


def test_wrong_second_factors_lock_the_account_and_a_new_password_login_does_not_unlock_it(
    settings, desk_editor
):
    settings.AXES_FAILURE_LIMIT = 3
    _, totp = give_app(desk_editor)
    # A thief with the password, from several addresses.
    for address in ["10.0.0.1", "10.0.0.2"]:
        thief = Client(REMOTE_ADDR=address)
        give_password(thief, desk_editor)
        assert enter(thief, "000000").status_code == 200
    thief = Client(REMOTE_ADDR="10.0.0.3")
    give_password(thief, desk_editor)
    locked = enter(thief, "000000")
    assert locked.status_code == 429
    assert "Too many" in locked.text

    # The right code, after a fresh password login from elsewhere, is refused too.
    owner = Client(REMOTE_ADDR="10.0.0.9")
    assert give_password(owner, desk_editor).status_code == 302
    refused = enter(owner, totp.now())
    assert refused.status_code == 429
    assert owner.get(ARTICLES).status_code == 302
    # Until the cool-off has passed.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert enter(owner, totp.now())["Location"] == ARTICLES


def test_a_wrong_password_for_a_staff_account_is_in_the_security_log(client, desk_editor, reader):
    give_password(client, desk_editor, "wrong")
    Client().post(reverse("paywall:login"), {"username": reader.email, "password": "wrong"})

    failed = SecurityEvent.objects.get(kind=Event.LOGIN_FAILED)
    assert failed.account == desk_editor and failed.factor == Factor.PASSWORD


# Session length and asking again -------------------------------------------------


def test_staff_sessions_last_hours_not_the_readers_thirty_days(settings, client, desk_editor):
    settings.NEWSROOM_STAFF_SESSION_HOURS = 8
    log_in_staff(client, desk_editor)
    assert client.get(ARTICLES).status_code == 200
    assert 7.9 * 3600 < client.session.get_expiry_age() <= 8 * 3600

    session = client.session
    session[factors.LOGGED_IN_AT] -= 8 * 3600 + 1
    session.save()
    expired = client.get(ARTICLES)

    assert expired["Location"].startswith(ADMIN_LOGIN)
    assert client.get(ARTICLES)["Location"].startswith(ADMIN_LOGIN)

    reader = Client()
    reader.force_login(make_reader())
    assert reader.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def make_reader():
    from paywall.models import User

    return User.objects.create_user(email="someone@newsroom.test", password="x")


@pytest.fixture
def administrator(django_user_model):
    return django_user_model.objects.create_superuser(
        email="chief@newsroom.test", password=PASSWORD
    )


def test_changing_another_staff_accounts_roles_asks_for_the_second_factor_again(
    settings, client, administrator, reporter
):
    settings.NEWSROOM_REAUTHENTICATION_MINUTES = 10
    log_in_staff(client, administrator, verified_at=timezone.now() - timedelta(minutes=11))
    change = reverse("admin:paywall_user_change", args=[reporter.pk])

    asked = client.get(change)
    assert asked["Location"].startswith(VERIFY)
    page = client.get(asked["Location"])
    assert "Confirm it is you" in page.text
    _, totp = give_app(administrator)
    assert enter(client, totp.now(), change)["Location"] == change

    form = client.get(change)
    assert form.status_code == 200
    editor_role = Group.objects.get(name="Editor")
    data = {
        "email": reporter.email,
        "display_name": "",
        "is_active": "on",
        "is_staff": "on",
        "groups": [editor_role.pk],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    assert client.post(change, data).status_code == 302
    assert list(reporter.groups.all()) == [editor_role]
    changed = events(reporter, Event.ROLES_CHANGED).get()
    assert changed.by == administrator and "groups" in changed.detail
    # Their own account, and readers' accounts, need no second asking.
    log_in_staff(client, administrator, verified_at=timezone.now() - timedelta(hours=1))
    own = reverse("admin:paywall_user_change", args=[administrator.pk])
    assert client.get(own).status_code == 200


def test_an_administrator_resets_a_lost_factor_and_the_admin_log_says_so(
    client, administrator, desk_editor
):
    give_app(desk_editor)
    RecoveryCodeDevice.replace_for(desk_editor)
    editor_browser = log_in_staff(Client(), desk_editor)
    assert UserSession.objects.filter(user=desk_editor).exists()
    changelist = reverse("admin:paywall_user_changelist")
    action = {"action": "reset_second_factors", "_selected_action": [desk_editor.pk]}

    log_in_staff(client, administrator, verified_at=timezone.now() - timedelta(hours=1))
    assert client.post(changelist, action)["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=desk_editor).exists()

    log_in_staff(client, administrator)
    done = client.post(changelist, action, follow=True)
    assert "second factors were reset" in done.text

    assert not factors.has_any_device(desk_editor)
    entry = LogEntry.objects.get(object_id=str(desk_editor.pk))
    assert entry.change_message == "Second factors reset." and entry.user == administrator
    assert events(desk_editor, Event.FACTORS_RESET).get().by == administrator
    # Logged out everywhere; at the next login they set up a factor again.
    assert editor_browser.get(ARTICLES)["Location"].startswith(ADMIN_LOGIN)
    give_password(editor_browser, desk_editor)
    assert editor_browser.get(ARTICLES)["Location"].startswith(FACTORS)


# Security keys only, for roles that publish ---------------------------------------


def test_roles_that_publish_can_be_held_to_security_keys(settings, client, desk_editor, reporter):
    settings.NEWSROOM_SECURITY_KEYS_ONLY_FOR_PUBLISHERS = True
    _, totp = give_app(desk_editor)

    give_password(client, desk_editor)
    # The app lets them in only as far as adding their first key.
    assert enter(client, totp.now())["Location"] == ARTICLES
    sent = client.get(ARTICLES)
    assert sent["Location"].startswith(FACTORS)
    page = client.get(FACTORS)
    assert "needs a security key" in page.text
    assert "Set up an authenticator app" not in page.text
    assert client.get(reverse("security:add-app"))["Location"] == FACTORS

    # A reporter, who does not publish, keeps the app.
    reporter_browser = Client()
    _, reporters_app = give_app(reporter)
    give_password(reporter_browser, reporter)
    enter(reporter_browser, reporters_app.now())
    assert reporter_browser.get(ARTICLES).status_code == 200


# The security log ---------------------------------------------------------------


def test_the_security_log_is_for_administrators_and_cannot_be_changed(
    client, administrator, desk_editor
):
    SecurityEvent.objects.record(Event.LOGIN, desk_editor, factor=Factor.KEY)
    log_url = reverse("admin:security_securityevent_changelist")

    assert log_in_staff(Client(), desk_editor).get(log_url).status_code == 403
    log_in_staff(client, administrator)
    page = client.get(log_url)
    assert page.status_code == 200 and desk_editor.email in page.text
    assert "Add security event" not in page.text
    event = SecurityEvent.objects.get(account=desk_editor)
    assert client.post(
        reverse("admin:security_securityevent_change", args=[event.pk]), {"detail": "x"}
    ).status_code in (403, 200)
    assert SecurityEvent.objects.get(pk=event.pk).detail == ""
    assert (
        client.post(reverse("admin:security_securityevent_delete", args=[event.pk])).status_code
        == 403
    )
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    assert not {"ip", "ip_address", "address", "user_agent"} & {
        field.name for field in SecurityEvent._meta.get_fields()
    }


# Readers, optionally ---------------------------------------------------------------


def test_a_reader_may_add_a_second_factor_and_is_then_asked_for_it(client, reader):
    reader.email_confirmed_at = timezone.now()
    reader.save()
    login = reverse("paywall:login")
    client.post(login, {"username": reader.email, "password": PASSWORD})
    account = client.get(reverse("paywall:account"))
    assert account.status_code == 200 and "Second factor" in account.text

    client.get(reverse("security:add-app"))
    device = TOTPDevice.objects.get(user=reader)
    totp = pyotp.TOTP(app_secret(device))
    assert client.post(reverse("security:add-app"), {"code": totp.now()}).status_code == 200

    other = Client()
    other.post(login, {"username": reader.email, "password": PASSWORD})
    assert other.get(reverse("paywall:account"))["Location"].startswith(VERIFY)
    assert other.get("/en/")["Location"].startswith(VERIFY)


def test_a_reader_without_a_factor_logs_in_with_the_password_alone(client, reader):
    reader.email_confirmed_at = timezone.now()
    reader.save()
    client.post(reverse("paywall:login"), {"username": reader.email, "password": PASSWORD})

    assert client.get(reverse("paywall:account")).status_code == 200
    assert not SecurityEvent.objects.exists()


def test_the_key_ceremony_needs_a_logged_in_person_and_answers_bad_input_plainly(client):
    begin = client.post(reverse("otp_webauthn:credential-authentication-begin"))
    assert begin.status_code == 403
    complete = reverse("otp_webauthn:credential-authentication-complete")
    assert client.get(complete).status_code in (403, 405)
    junk = client.post(
        reverse("otp_webauthn:credential-authentication-complete"),
        "{not json",
        content_type="application/json",
    )
    assert junk.status_code in (400, 403)


# An export, as a view the decorator guards (the newsroom has none of its own yet).


@recent_second_factor_required
def export_member_counts(request):
    return HttpResponse("plan,readers\nPOZIRK+ monthly,3\n", content_type="text/csv")


urlpatterns = [
    path("export/members.csv", export_member_counts, name="export-members"),
    *site_urlpatterns,
]


def test_an_export_asks_for_the_second_factor_again_after_ten_minutes(
    settings, client, subscriptions_manager
):
    settings.ROOT_URLCONF = __name__
    settings.NEWSROOM_REAUTHENTICATION_MINUTES = 10
    log_in_staff(client, subscriptions_manager, verified_at=timezone.now() - timedelta(minutes=9))
    assert client.get("/export/members.csv").status_code == 200

    log_in_staff(client, subscriptions_manager, verified_at=timezone.now() - timedelta(minutes=11))
    asked = client.get("/export/members.csv")
    assert asked["Location"] == f"{VERIFY}?next=%2Fexport%2Fmembers.csv"
    _, totp = give_app(subscriptions_manager)
    assert enter(client, totp.now(), "/export/members.csv")["Location"] == "/export/members.csv"
    assert client.get("/export/members.csv").text.startswith("plan,readers")


def test_a_reader_turns_the_factor_off_but_staff_keep_at_least_one(client, reader, desk_editor):
    device, _ = give_app(reader)
    RecoveryCodeDevice.replace_for(reader)
    log_in_staff(client, reader)

    client.post(reverse("security:remove", args=["app", device.pk]))
    assert not factors.has_any_device(reader)
    assert events(reader, Event.FACTOR_REMOVED).get().factor == Factor.APP
    assert client.get(reverse("paywall:account")).status_code == 200

    editors_app, _ = give_app(desk_editor)
    editor = log_in_staff(Client(), desk_editor)
    refused = editor.post(reverse("security:remove", args=["app", editors_app.pk]), follow=True)
    assert "staff accounts need one" in refused.text
    assert factors.has_factor(desk_editor)
    # Someone else's device, or no device at all, is not found.
    assert editor.post(reverse("security:remove", args=["app", device.pk])).status_code == 404
    huge = editor.post(reverse("security:remove", args=["key", 2**70]))
    assert huge["Location"] == FACTORS


def test_bad_input_to_the_second_step_is_never_an_error_page_nor_a_way_elsewhere(
    client, desk_editor
):
    give_app(desk_editor)
    give_password(client, desk_editor)
    for next_url in ["\x00", "//evil.example/", "javascript:alert(1)", "http://[::1", "%"]:
        assert client.get(VERIFY, {"next": next_url}).status_code in (200, 400), next_url
        answer = client.post(VERIFY, {"next": next_url, "code": "12\x0034"})
        assert answer.status_code in (200, 400), next_url
        assert "evil" not in answer.get("Location", "")
    assert client.post(VERIFY, {"code": "x" * 5000}).status_code == 200
    for name in ["security:factors", "security:add-app", "security:after-login"]:
        assert client.get(reverse(name), {"next": "\x00"}).status_code < 500, name
    for ceremony in [
        "credential-registration-begin",
        "credential-registration-complete",
        "credential-authentication-begin",
        "credential-authentication-complete",
    ]:
        for body in ["[]", "{}", "null", '{"id": 5}', "\x00"]:
            answer = client.post(
                reverse(f"otp_webauthn:{ceremony}"), body, content_type="application/json"
            )
            # Beginning needs no body; completing refuses one that is not a key's answer.
            assert answer.status_code < 500, (ceremony, body)
            if "complete" in ceremony:
                assert answer.status_code >= 400, (ceremony, body)


def test_a_visitor_without_a_session_is_anonymous_and_unverified_without_a_lookup():
    """security.middleware.VerifiedUserMiddleware answers a request without a
    session cookie at once; Django's lazy user is not even looked at."""
    seen = {}

    def view(request):
        seen["user"] = request.user
        # Run to its end by hand: it awaits nothing, and the browser tests
        # may leave an event loop running in this thread.
        with pytest.raises(StopIteration) as done:
            request.auser().send(None)
        seen["auser"] = done.value.value
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = SimpleLazyObject(lambda: pytest.fail("the session was read"))
    VerifiedUserMiddleware(view)(request)

    visitor = seen["user"]
    assert visitor.is_anonymous and seen["auser"] is visitor
    assert visitor.otp_device is None and visitor.is_verified() is False


def test_a_staff_session_still_goes_through_django_otp(client, desk_editor):
    """With a session cookie, the user is django-otp's: verified or not as the
    session says. An editor who passed their factor reaches the admin."""
    log_in_staff(client, desk_editor)

    page = client.get(ARTICLES)

    assert page.status_code == 200
    assert page.wsgi_request.user.is_verified() is True
    assert page.wsgi_request.user.otp_device is not None
