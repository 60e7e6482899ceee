from django.utils.cache import patch_cache_control, patch_vary_headers

from . import sessions


class ReaderPrivacyMiddleware:
    """No shared cache ever keeps a logged-in person's page.

    Every response varies on the session cookie; a response rendered for a
    logged-in user is private and not stored at all, whatever it contains.
    (Pages that unlock gated text for anyone else mark themselves.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
            sessions.touch(request)
        return response
