"""Input no page can answer, refused before any view runs.

PostgreSQL refuses text holding a NUL character (it cannot store one), so a
`%00` that reached a query (a gift key, a session cookie, an admin filter, the
admin's autocomplete) was an error page. No address, parameter or cookie of
this site has a use for one, so they are refused here, once, rather than
checked in every view that might pass one on:

- an address holding a NUL names no page: 404;
- a query parameter, cookie or uploaded file's name holding one: 400.

Form fields are left to the forms, which answer with the form and a readable
error: Django's CharField refuses NUL characters itself (the login, sign-up
and newsletter forms, every admin form). tests/test_url_walk.py posts NULs to
every address to keep that true.
"""

from django.views.defaults import bad_request, page_not_found

NUL = "\x00"


def _query_holds_nul(query):
    return any(NUL in name or any(NUL in value for value in query.getlist(name)) for name in query)


def _refused_input(request):
    """Does a parameter, cookie or file name of `request` hold a NUL?"""
    if _query_holds_nul(request.GET):
        return True
    if any(NUL in name or NUL in value for name, value in request.COOKIES.items()):
        return True
    return request.method == "POST" and any(
        NUL in name or NUL in (upload.name or "")
        for name, uploads in request.FILES.lists()
        for upload in uploads
    )


class RefuseNulMiddleware:
    """Answer 404 or 400 to a request carrying a NUL character (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The project's own pages, without the traceback Django would log for
        # an exception: these are not faults of the site.
        if NUL in request.path:
            return page_not_found(request, exception=None, template_name="400.html")
        if _refused_input(request):
            return bad_request(request, exception=None)
        return self.get_response(request)
