"""The reader's pages' addresses, reversed once per process.

A feed page links to twenty articles and their sections, and every page to
each section twice (navigation and footer): Django's reverse() walks the URL
patterns each time, about a tenth of a page's render. An address depends
only on the pattern, its arguments, the edition (the language prefix), the
URLconf and the script prefix, none of which changes while a process runs
but the edition and prefix, which are part of the key; so each is reversed
once and then looked up. So is each static file's address (`asset`).
"""

from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, override

# Every article in four editions, its sections and pages, on a big archive.
ADDRESSES_KEPT = 50_000


def address(viewname, *args, language=None, **kwargs):
    """reverse(viewname, args=args, kwargs=kwargs) in the edition `language`
    (default: the current one)."""
    return _reversed(
        viewname,
        language or get_language() or settings.LANGUAGE_CODE,
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        args,
        tuple(sorted(kwargs.items())),
    )


@lru_cache(maxsize=ADDRESSES_KEPT)
def _reversed(viewname, language, urlconf, prefix, args, kwargs):
    # `prefix` is only part of the key: reverse() reads it itself.
    if language == get_language():
        return reverse(viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs))
    with override(language):
        return reverse(viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs))


def asset(path):
    """What {% static path %} gives: a static file's address, with its
    content hash once collected. The storage reads its manifest once per
    process, so the address changes only with the script prefix."""
    return _asset(path, get_script_prefix())


@lru_cache(maxsize=1_000)
def _asset(path, prefix):
    # `prefix` is only part of the key: static() reads it itself.
    return static(path)


@receiver(setting_changed)
def _forget(setting, **kwargs):
    # Tests swap the URL patterns or the editions, or where static files live.
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "PREFIX_DEFAULT_LANGUAGE"}:
        _reversed.cache_clear()
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "FORCE_SCRIPT_NAME"}:
        _asset.cache_clear()
