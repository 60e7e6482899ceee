"""Input no page can answer, refused before any view runs.

PostgreSQL refuses text holding a NUL character (it cannot store one), so a
`%00` that reached a query (a gift key, a session cookie, an admin filter, a
search) was an error page. No address, form or cookie of this site has a use
for one: a request carrying a NUL anywhere a view could read it is a 400, here,
once, rather than a check in every view that might pass it on.
"""

from django.views.defaults import bad_request

NUL = "\x00"


def _holds_nul(values):
    return any(NUL in value for value in values)


def _query_holds_nul(query):
    return any(NUL in name or _holds_nul(query.getlist(name)) for name in query)


def carries_nul(request):
    """Does anything a view could read from `request` hold a NUL character?
    (Path, query, cookies; a form post's fields and file names.)"""
    if NUL in request.path or _query_holds_nul(request.GET):
        return True
    if any(NUL in name or NUL in value for name, value in request.COOKIES.items()):
        return True
    if request.method == "POST":
        if _query_holds_nul(request.POST):
            return True
        return any(
            NUL in name or NUL in (upload.name or "")
            for name, uploads in request.FILES.lists()
            for upload in uploads
        )
    return False


class RefuseNulMiddleware:
    """Answer 400 to a request carrying a NUL character (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_nul(request):
            # The project's 400 page, without the traceback Django would log
            # for a BadRequest raised: this is not a fault of the site.
            return bad_request(request, exception=None)
        return self.get_response(request)
