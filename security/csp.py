"""The Content-Security-Policy header, built once for the pages that keep
the site's policy as it is.

django-csp builds the header anew for every response (a dataclass turned
into a dict, every directive joined): about 0.1 ms, a twentieth of a page
the page cache missed. Nearly every page sends the same policy, so it is
built once per process and settings; a page that changes its policy (the
embed frame, the checkout) or asked for a nonce takes django-csp's own way.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# Where a view leaves its own policy for django-csp to build.
PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)

# {report_only: (the header's value, the address prefixes it is not sent on)}
_built = {}


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _built.clear()


def _site_policy(report_only):
    built = _built.get(report_only)
    if built is None:
        name = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        prefixes = tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
        built = _built[report_only] = (build_policy(report_only=report_only), prefixes)
    return built


class SitePolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site's own policy built once."""

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in PER_RESPONSE
        ):
            return super().process_response(request, response)
        # As django-csp decides: no header where a view set one, exempted
        # itself, or the address is excluded; none on debug error pages.
        if settings.DEBUG and response.status_code in (404, 500):
            return response
        for report_only, header, exempt in (
            (False, HEADER, "_csp_exempt"),
            (True, HEADER_REPORT_ONLY, "_csp_exempt_ro"),
        ):
            policy, prefixes = _site_policy(report_only)
            if (
                policy
                and header not in response
                and not getattr(response, exempt, False)
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = policy
        # As django-csp does: a nonce asked for now would be in no header.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
