from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import accounts, limits, sessions
from .access import has_plus, is_subscriber
from .forms import (
    DeleteAccountForm,
    EmailForm,
    ReaderLoginForm,
    ReaderPasswordResetForm,
    SignupForm,
)
from .models import GiftLink, MemberFeed, valid_until


def refuse_without_plus(request):
    """The 403 for a members-only action or page: what POZIRK+ is."""
    return render(request, "paywall/plus_about.html", {"refused": True}, status=403)


class LoginView(auth_views.LoginView):
    """Log in; `next` is honoured only for this site (LoginView checks the host)."""

    form_class = ReaderLoginForm
    template_name = "paywall/login.html"
    redirect_authenticated_user = True

    def get_redirect_url(self):
        # A `next` leading back to this page would send a logged-in reader
        # round in a circle (Django refuses with an error): the account page
        # is where they are sent instead.
        url = super().get_redirect_url()
        if url and urlsplit(url).path == self.request.path:
            return ""
        return url


class LogoutView(auth_views.LogoutView):
    """POST only, so no link or image on another site can log a reader out."""


def next_page(request):
    """The page of this site a reader was on their way to (`next`), or ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if len(url) > 500 or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return url


def signup(request):
    """Create an account; the confirmation link leads on to `next`, e.g. the
    plan a reader chose before they had an account."""
    next_url = next_page(request)
    if request.user.is_authenticated:
        return redirect(next_url or "paywall:account")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Past the client's limit nothing happens, and the page says the same.
        if limits.may_ask(request, "signup"):
            accounts.sign_up(
                request, form.cleaned_data["email"], form.cleaned_data["password1"], next_url
            )
        return redirect("paywall:signup-done")
    return render(request, "paywall/signup.html", {"form": form, "next": next_url})


def signup_done(request):
    return render(request, "paywall/signup_done.html")


def confirm_email(request, token):
    user, next_url = accounts.confirm(token)
    if user is None:
        return render(request, "paywall/confirm_invalid.html", status=400)
    login(request, user, backend="paywall.backends.ReaderBackend")
    messages.success(request, _("Your email address is confirmed. Welcome."))
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
        return redirect(next_url)
    return redirect("paywall:account")


def resend_confirmation(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if limits.may_ask(request, "resend-confirmation"):
            accounts.resend_confirmation(request, form.cleaned_data["email"])
        return redirect("paywall:signup-done")
    return render(request, "paywall/resend_confirmation.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with the mail limits: past the client's limit nothing is
    sent and the next page says the same (paywall.limits)."""

    form_class = ReaderPasswordResetForm
    template_name = "paywall/password_reset.html"
    email_template_name = "paywall/email/password_reset.txt"
    subject_template_name = "paywall/email/password_reset_subject.txt"
    success_url = reverse_lazy("paywall:password-reset-sent")
    extra_email_context = {"site_name": settings.SITE_NAME}

    def form_valid(self, form):
        if limits.may_ask(self.request, "password-reset"):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


def sign_in_link(request):
    """Ask for a one-time sign-in link: the way in for an owner whose account
    someone locked by trying passwords. Limited like every message."""
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if limits.may_ask(request, "sign-in-link"):
            accounts.send_sign_in_link(request, form.cleaned_data["email"])
        return redirect("paywall:sign-in-link-sent")
    return render(request, "paywall/sign_in_link.html", {"form": form})


def sign_in_link_sent(request):
    return render(
        request,
        "paywall/sign_in_link_sent.html",
        {"minutes": settings.POZIRK_SIGN_IN_LINK_MINUTES},
    )


def sign_in(request, uidb64, token):
    """Open a sign-in link. The link only shows a button (GET): mail
    scanners that fetch links must not use it up; the POST logs in, which
    changes the last login and so voids the link."""
    user = accounts.user_of_sign_in_link(uidb64, token)
    if user is None:
        return render(request, "paywall/sign_in_invalid.html", status=400)
    if request.method == "POST":
        login(request, user, backend="paywall.backends.ReaderBackend")
        messages.success(request, _("You are logged in."))
        return redirect("paywall:account")
    return render(request, "paywall/sign_in.html")


def locked_out(request, original_response=None, credentials=None):
    """The lockout's answer (AXES_LOCKOUT_CALLABLE): 429, when to try again,
    and the way in by a sign-in link."""
    cool_off = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(
        request,
        "paywall/locked_out.html",
        {"minutes": max(1, cool_off // 60)},
        status=429,
    )
    response["Retry-After"] = str(cool_off)
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "paywall/password_change.html"
    success_url = reverse_lazy("paywall:account")

    def form_valid(self, form):
        old_key = self.request.session.session_key
        response = super().form_valid(form)
        # Django keeps this session alive under a new key; every other device
        # is logged out.
        sessions.follow_key_change(old_key, self.request.session.session_key)
        sessions.end_other_sessions(self.request, self.request.user)
        messages.success(self.request, _("Password changed. Your other devices are logged out."))
        return response


@login_required
def account(request):
    user = request.user
    return render(
        request,
        "paywall/account.html",
        {
            "has_plus": has_plus(user),
            "member_feed": MemberFeed.objects.for_user(user) if has_plus(user) else None,
            "is_subscriber": is_subscriber(user),
            "valid_until": valid_until(user),
            "device_sessions": user.device_sessions.all(),
            "current_session_key": request.session.session_key,
            "gift_links": user.gift_links.select_related("article__section")[:20],
            "gift_allowance": GiftLink.objects.created_this_month(user).count(),
        },
    )


@login_required
@require_POST
def end_other_sessions(request):
    sessions.end_other_sessions(request, request.user)
    messages.success(request, _("All your other devices are logged out."))
    return redirect("paywall:account")


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.delete_account(request.user)
        except accounts.AccountNotDeletable as refusal:
            messages.error(request, str(refusal))
            return redirect("paywall:account")
        request.session.flush()
        return render(request, "paywall/account_deleted.html")
    return render(request, "paywall/account_delete.html", {"form": form})


def plus_about(request):
    return render(request, "paywall/plus_about.html")


@login_required
@require_POST
def revoke_gift_link(request, key):
    gift = get_object_or_404(GiftLink, key=key, created_by=request.user)
    if gift.revoked_at is None:
        gift.revoked_at = timezone.now()
        gift.save(update_fields=["revoked_at"])
    messages.success(request, _("The gift link no longer opens the article."))
    return redirect(f"{reverse('paywall:account')}#gift-links")


@login_required
@require_POST
def rotate_member_feed(request):
    """A new secret address for the member's private feed, for when the old
    one has been shared or leaked: it stops working at once."""
    if not has_plus(request.user):
        return refuse_without_plus(request)
    MemberFeed.objects.rotate(request.user)
    messages.success(
        request, _("Your private feed has a new address. The old one no longer works.")
    )
    return redirect(f"{reverse('paywall:account')}#member-feed")
