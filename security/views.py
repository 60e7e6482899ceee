from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from . import factors
from .forms import CodeForm
from .models import Event, Factor, RecoveryCodeDevice, SecurityEvent


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("security:after-login")


# Larger numbers are no device's, and some databases refuse to compare them.
MAX_ID = 2**63 - 1


def _to(view_name, next_url):
    return redirect(f"{reverse(view_name)}?{urlencode({'next': next_url})}")


def _may_change_factors(request):
    """Adding or removing a factor needs one passed first, unless there is
    none yet: a password alone must never be enough to add a thief's key."""
    return request.user.is_verified() or not factors.has_any_device(request.user)


@login_required
def after_login(request):
    return redirect("admin:index" if request.user.is_staff else "paywall:account")


@never_cache
@login_required
def factor_list(request):
    user = request.user
    if not _may_change_factors(request):
        return _to("security:verify", request.get_full_path())
    recovery = factors.recovery_codes_of(user)
    return render(
        request,
        "security/factors.html",
        {
            "keys": factors.keys_of(user),
            "app": factors.app_of(user),
            "app_allowed": not factors.keys_only(user),
            "keys_only": factors.keys_only(user),
            "recovery_remaining": recovery.remaining() if recovery else None,
            "has_factor": factors.has_factor(user),
            "must_pass": factors.must_pass(request),
            "next": _next(request),
        },
    )


def _pending_app(user):
    """The authenticator app being set up: a device not confirmed until its
    first right code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@never_cache
@login_required
def add_app(request):
    user = request.user
    if not _may_change_factors(request) or factors.keys_only(user):
        return redirect("security:factors")
    if factors.app_of(user) is not None:
        messages.info(
            request, _("You have an authenticator app already. Remove it to use another.")
        )
        return redirect("security:factors")
    device = _pending_app(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            SecurityEvent.objects.record(
                Event.FACTOR_ADDED, user, request=request, factor=Factor.APP
            )
            if not user.is_verified():
                factors.mark_passed(request, device)
            return _after_first_factor(request)
        form.add_error("code", _("That code is not right. Type the six digits the app shows now."))
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request,
        "security/add_app.html",
        {
            "form": form,
            "qr": segno.make(device.config_url, error="m").svg_inline(
                scale=4, title=_("QR code for your authenticator app")
            ),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next(request),
        },
    )


def _after_first_factor(request):
    """Recovery codes come with the first factor, shown once."""
    if factors.recovery_codes_of(request.user) is None:
        return _show_new_codes(request)
    messages.success(request, _("Your authenticator app is set up."))
    return redirect(_next(request))


def _show_new_codes(request):
    codes = RecoveryCodeDevice.replace_for(request.user)
    SecurityEvent.objects.record(Event.RECOVERY_CODES, request.user, request=request)
    return render(request, "security/recovery_codes.html", {"codes": codes, "next": _next(request)})


@never_cache
@login_required
@require_POST
def new_recovery_codes(request):
    if not request.user.is_verified():
        return redirect("security:verify")
    return _show_new_codes(request)


@login_required
@require_POST
def remove(request, kind, pk):
    user = request.user
    if not user.is_verified():
        return redirect("security:verify")
    model = {"key": WebAuthnCredential, "app": TOTPDevice}.get(kind)
    if model is None or pk > MAX_ID:
        return redirect("security:factors")
    device = get_object_or_404(model, user=user, pk=pk, confirmed=True)
    other_keys = (
        factors.keys_of(user).exclude(pk=device.pk) if kind == "key" else factors.keys_of(user)
    )
    app_left = kind != "app" and factors.app_of(user) is not None
    if user.is_staff and not (other_keys.exists() or (app_left and not factors.keys_only(user))):
        messages.error(request, _("Add another factor first: staff accounts need one."))
        return redirect("security:factors")
    device.delete()
    SecurityEvent.objects.record(
        Event.FACTOR_REMOVED,
        user,
        request=request,
        factor=Factor.KEY if kind == "key" else Factor.APP,
    )
    if not (other_keys.exists() or app_left):
        # A reader who turned their last factor off logs in with a password again.
        RecoveryCodeDevice.objects.filter(user=user).delete()
        request.session.pop(factors.NEEDS_FACTOR, None)
    messages.success(request, _("The factor is removed."))
    return redirect("security:factors")


@never_cache
@login_required
def verify(request):
    """The second step of a login, and the re-check before sensitive actions:
    a security key, a code from the app, or a recovery code."""
    user = request.user
    if not factors.has_any_device(user):
        return _to("security:factors", _next(request))
    if factors.locked_out(request, user):
        return render(request, "paywall/locked_out.html", status=429)
    app = factors.app_of(user)
    # Someone held to keys may use their app only to add their first key.
    app_usable = app is not None and (not factors.keys_only(user) or not factors.keys_of(user))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        recovery = factors.recovery_codes_of(user)
        if app_usable and code.isdigit() and app.verify_token(code):
            factors.mark_passed(request, app)
            return redirect(_next(request))
        if recovery is not None and not code.isdigit() and recovery.verify_token(code):
            factors.mark_passed(request, recovery)
            messages.warning(
                request,
                _("You used a recovery code; %(count)d are left. Each works once.")
                % {"count": recovery.remaining()},
            )
            return redirect(_next(request))
        factors.record_failure(request, user, Factor.APP if code.isdigit() else Factor.RECOVERY)
        form.add_error("code", _("That code is not right, or it has been used."))
    return render(
        request,
        "security/verify.html",
        {
            "form": form,
            "has_keys": factors.keys_of(user).exists(),
            "app_usable": app_usable,
            "again": user.is_verified(),
            "next": _next(request),
        },
    )
