"""Asking for the second factor again before the most sensitive actions."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import factors


def ask_again(request, next_url):
    """Send the person to pass their second factor again, back to `next_url`."""
    messages.warning(request, _("Confirm it is you, then do it again."))
    return redirect(f"{reverse('security:verify')}?{urlencode({'next': next_url})}")


def recent_second_factor_required(view):
    """For views that export codes or members' figures, or change other staff
    accounts: the second factor must have been passed within the last
    NEWSROOM_REAUTHENTICATION_MINUTES, or it is asked for again first."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not factors.recently_passed(request):
            return ask_again(request, request.get_full_path())
        return view(request, *args, **kwargs)

    return guarded
