"""System checks for reaching readers: the host check and the HTTPS checks
stay in force with the middleware that replaces Django's.

Django's deploy checks of HTTPS, HSTS and the like look for its
SecurityMiddleware by name; reach.middleware.SecurityMiddleware extends it
(to leave the onion service on plain HTTP), so they are run here as if it
were named, and Django's "SecurityMiddleware is missing" warning
(security.W001) is silenced in the settings in favour of reach.E001.
"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.checks.security import base
from django.test.utils import override_settings

OUR_SECURITY = "reach.middleware.SecurityMiddleware"
DJANGOS_SECURITY = "django.middleware.security.SecurityMiddleware"
HOST_CHECK = "reach.middleware.ReachMiddleware"

_DJANGOS_CHECKS = (
    base.check_sts,
    base.check_sts_include_subdomains,
    base.check_sts_preload,
    base.check_content_type_nosniff,
    base.check_ssl_redirect,
    base.check_referrer_policy,
    base.check_cross_origin_opener_policy,
)


@register(Tags.security)
def middleware_in_place(app_configs, **kwargs):
    errors = []
    if OUR_SECURITY not in settings.MIDDLEWARE:
        errors.append(
            Error(
                f"{OUR_SECURITY} is not in MIDDLEWARE: no HTTPS redirect, no HSTS.", id="reach.E001"
            )
        )
    if HOST_CHECK not in settings.MIDDLEWARE and "*" in settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                f"{HOST_CHECK} is not in MIDDLEWARE, and ALLOWED_HOSTS lets any host through.",
                id="reach.E002",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def deployment(app_configs, **kwargs):
    warnings = []
    if OUR_SECURITY in settings.MIDDLEWARE:
        with override_settings(MIDDLEWARE=[*settings.MIDDLEWARE, DJANGOS_SECURITY]):
            for check in _DJANGOS_CHECKS:
                warnings.extend(check(app_configs))
    if not settings.NEWSROOM_HOSTS:
        warnings.append(
            Warning("DJANGO_ALLOWED_HOSTS is empty: only mirrors would be served.", id="reach.W001")
        )
    if not settings.NEWSROOM_SIGNING_KEY:
        warnings.append(
            Warning(
                "NEWSROOM_SIGNING_KEY is not set: /mirrors.json and the daily edition files "
                "cannot be signed.",
                hint="manage.py signing_key --new; see deploy/CHECKLIST.md.",
                id="reach.W002",
            )
        )
    if settings.NEWSROOM_ONION_HOST and not settings.NEWSROOM_PUBLIC_URL:
        warnings.append(
            Warning(
                "NEWSROOM_ONION_HOST is set without NEWSROOM_PUBLIC_URL: onion pages would "
                "name themselves as canonical.",
                id="reach.W003",
            )
        )
    return warnings
