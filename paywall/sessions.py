"""Readers' logged-in devices: listing them, capping them, ending them."""

import re
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from .backends import reader_kept_in, reader_key
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
    if not _touch_due(request.session, now):
        return
    UserSession.objects.filter(session_key=key).update(last_seen=now)
    request.session[_SEEN_KEY] = now.timestamp()


def _touch_due(session, now):
    seen = session.get(_SEEN_KEY)
    return seen is None or now.timestamp() - seen >= LAST_SEEN_GRANULARITY.total_seconds()


# --- a logged-in reader from the cache alone -----------------------------------

READER_BACKEND = "paywall.backends.ReaderBackend"
# Whose session is whose, in this process ({session key: user id}): the reader
# is then read in the same round trip as the session. A login always begins
# a session under a new key, and the session read must name the same reader.
_SESSION_READERS = {}
_SESSION_READERS_KEPT = 10_000


def reader_from_cache(request, also=()):
    """(reader, session data, {key: value} of the cache keys in `also`) for a
    request whose logged-in reader may be known from the cache alone, with
    nothing to write: the session and the kept reader (ReaderBackend) read in
    one round trip, the session's auth hash checked as Django checks it.

    None whenever the full request path must decide: no kept session (never
    loaded, logged out on another device, expired), no kept reader (their
    account or subscriptions changed, or READER_SECONDS passed), a hash that
    differs (the password changed), a reader who may not log in, a session
    that last-seen bookkeeping (`touch`) is due to write, or a cache that
    fails. The first request of a session also reads the session alone."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    store = _session_store()(session_key)
    if settings.SESSION_CACHE_ALIAS != "default" or not store._validate_session_key(session_key):
        return None
    user_id = _SESSION_READERS.get(session_key)
    keys = [store.cache_key, *also]
    if user_id is not None:
        keys.append(reader_key(user_id))
    try:
        found = cache.get_many(keys)
        session = found.get(store.cache_key)
        if session is None or session.get(BACKEND_SESSION_KEY) != READER_BACKEND:
            return None
        if user_id is None or session.get(SESSION_KEY) != user_id:
            user_id = session.get(SESSION_KEY)
            if user_id is None:
                return None
            found[reader_key(user_id)] = cache.get(reader_key(user_id))
            if len(_SESSION_READERS) >= _SESSION_READERS_KEPT:
                _SESSION_READERS.clear()
            _SESSION_READERS[session_key] = user_id
    except Exception:  # an outage: the full path reads the database
        return None
    user = reader_kept_in(found.get(reader_key(user_id)))
    if (
        user is None
        or str(user.pk) != str(user_id)
        or not user.is_active
        or not constant_time_compare(
            session.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()
        )
        or _touch_due(session, timezone.now())
    ):
        return None
    store._session_cache = session
    return user, store, {key: found[key] for key in also if key in found}
