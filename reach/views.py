import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from paywall.access import gets_members_edition

from . import editions, hosts, mirrors, signing
from .models import Mirror


def mirrors_page(request):
    """Where else the site can be read: the current mirrors and the onion service."""
    return render(
        request,
        "reach/mirrors.html",
        {
            "mirrors": list(Mirror.objects.current().order_by("host")),
            "onion_url": hosts.onion_url(),
            "public_url": mirrors.public_url(),
        },
    )


def mirrors_json(request):
    """The same list, signed with the newsroom's key (reach/mirrors.py)."""
    if not signing.has_key():
        return HttpResponse(
            _("The mirror list is not signed yet: the newsroom's key is not configured."),
            status=503,
            content_type="text/plain; charset=utf-8",
            headers={"Retry-After": "3600"},
        )
    body = json.dumps(mirrors.signed_document(), ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    # A signed public document: any app may read it, from any page.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


# --- the daily edition files -------------------------------------------------


def editions_page(request):
    """The days whose files can be downloaded, in the edition being read."""
    edition = editions.current_edition()
    return render(
        request,
        "reach/editions.html",
        {
            "days": editions.days_with_stories(edition),
            "edition": edition,
            "members_edition": gets_members_edition(request.user),
            "formats": list(editions.FORMATS),
        },
    )


def _file(request, day, format):
    """The file this reader gets for `day`: the members' version for
    members (paywall.access), the free one for everyone else."""
    if not editions.is_offered(day):
        raise Http404(_("No edition file is kept for that day."))
    for_members = gets_members_edition(request.user)
    edition = editions.current_edition()
    try:
        kept = editions.current_file(edition, day, for_members, format)
    except editions.NoStories:
        raise Http404(_("No story was published that day.")) from None
    return kept, editions.file_name(edition, day, for_members, format)


def _download(request, content, content_type, name, members_only):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if members_only:
        # Only this member may have it: no shared cache keeps it for anyone else.
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=300)
    # The same address gives members another file.
    patch_vary_headers(response, ["Cookie"])
    return response


def edition_file(request, day, format):
    kept, name = _file(request, day, format)
    response = _download(
        request, bytes(kept.content), editions.FORMATS[format], name, kept.for_members
    )
    response["ETag"] = f'"{kept.sha256}"'
    return response


def edition_signature(request, day, format):
    """The file's detached Ed25519 signature (64 bytes, as OpenSSL reads it)."""
    kept, name = _file(request, day, format)
    return _download(
        request, bytes(kept.signature), "application/octet-stream", f"{name}.sig", kept.for_members
    )


def edition_checksum(request, day, format):
    """The file's SHA-256 as `sha256sum -c` reads it."""
    kept, name = _file(request, day, format)
    return _download(
        request,
        f"{kept.sha256}  {name}\n",
        "text/plain; charset=utf-8",
        f"{name}.sha256",
        kept.for_members,
    )
