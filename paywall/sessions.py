"""Readers' logged-in devices: listing them, capping them, ending them."""

import re
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from .models import UserSession

# last_seen is refreshed at most this often, so reading pages costs no writes.
LAST_SEEN_GRANULARITY = timedelta(minutes=5)
_SEEN_KEY = "paywall_last_seen"

_BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    (re.compile(r"Android"), "Android"),
    (re.compile(r"iPhone|iPad|iPod"), "iOS"),
    (re.compile(r"Windows"), "Windows"),
    (re.compile(r"Mac OS X|Macintosh"), "macOS"),
    (re.compile(r"CrOS"), "ChromeOS"),
    (re.compile(r"Linux"), "Linux"),
]


def describe_device(user_agent):
    """'Firefox on Android' from a user agent; the string itself is not kept."""
    user_agent = user_agent or ""
    browser = next((name for token, name in _BROWSERS if token in user_agent), None)
    system = next((name for pattern, name in _SYSTEMS if pattern.search(user_agent)), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown device"


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def end_sessions(device_sessions):
    """Log out the given devices: their sessions go from the session store."""
    store = _session_store()
    for device_session in device_sessions:
        store(session_key=device_session.session_key).delete()
        device_session.delete()


def record_login(request, user):
    """Remember the device just logged in, and end the oldest beyond the cap.

    Staff are not capped: editors move between newsroom machines all day.
    """
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "device": describe_device(request.META.get("HTTP_USER_AGENT")),
            "last_seen": timezone.now(),
        },
    )
    if user.is_staff:
        return
    surplus = list(
        UserSession.objects.filter(user=user).order_by("-last_seen", "-pk")[
            settings.POZIRK_MAX_SESSIONS :
        ]
    )
    end_sessions(surplus)


def forget_logout(request, user):
    if request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


def follow_key_change(old_key, new_key):
    """Keep a device's record when Django gives its session a new key."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def end_other_sessions(request, user):
    current = request.session.session_key
    end_sessions(UserSession.objects.filter(user=user).exclude(session_key=current))


def end_all_sessions(user):
    end_sessions(UserSession.objects.filter(user=user))


def touch(request):
    """Refresh the device's last_seen, at most once per LAST_SEEN_GRANULARITY.

    The time of the last refresh rides in the session itself, so between
    refreshes reading pages costs no query at all.
    """
    key = request.session.session_key
    if not key:
        return
    now = timezone.now()
    seen = request.session.get(_SEEN_KEY)
    if seen is not None and now.timestamp() - seen < LAST_SEEN_GRANULARITY.total_seconds():
        return
    UserSession.objects.filter(session_key=key).update(last_seen=now)
    request.session[_SEEN_KEY] = now.timestamp()
