"""Which of the newsroom's addresses a request came to.

- the public domains (DJANGO_ALLOWED_HOSTS), where readers who can reach
  them read, over HTTPS;
- the onion service (NEWSROOM_ONION_HOST), over plain HTTP inside Tor, which
  encrypts and authenticates the connection itself;
- the mirrors editors keep in the admin (reach.models.Mirror): current ones
  serve the whole site, retired ones a page pointing to the current ones.

Any other name is refused (400), as Django refuses hosts it does not know.
Django's own check reads a fixed list (ALLOWED_HOSTS) that would need a
restart for every new mirror, so it is left open ("*") and the check is made
here instead, first thing, by reach.middleware.ReachMiddleware.
"""

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from .models import Mirror, normalise_host

PUBLIC = "public"
ONION = "onion"
MIRROR = "mirror"
RETIRED = "retired"

# Django's own allowance for a developer's machine (debug on, no list).
_DEBUG_HOSTS = [".localhost", "127.0.0.1", "[::1]"]


def onion_host():
    return normalise_host(settings.NEWSROOM_ONION_HOST)


def onion_url(path="/"):
    """`path` on the onion service, or None without one."""
    host = onion_host()
    return f"http://{host}{path}" if host else None


def public_hosts():
    hosts = settings.NEWSROOM_HOSTS
    if settings.DEBUG and not hosts:
        return _DEBUG_HOSTS
    return hosts


def kind_of(host):
    """PUBLIC, ONION, MIRROR, RETIRED, or None for a host that is none of
    ours. `host` as request.get_host() gives it (a port is allowed). The
    mirror list is only looked at for names that are not the public ones."""
    domain = normalise_host(split_domain_port(host)[0])
    if not domain:
        return None
    if validate_host(domain, public_hosts()):
        return PUBLIC
    if domain == onion_host():
        return ONION
    mirrors = Mirror.objects.hosts()
    if domain in mirrors["current"]:
        return MIRROR
    if domain in mirrors["retired"]:
        return RETIRED
    return None


def is_onion(request):
    onion = onion_host()
    return bool(onion) and normalise_host(split_domain_port(request.get_host())[0]) == onion
