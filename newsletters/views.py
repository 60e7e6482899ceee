from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import subscriptions
from .forms import ChoicesForm, SubscribeForm
from .models import Kind, Newsletter, Subscriber


def _invalid_link(request):
    """Unknown, forged or spent links: one plain page, whichever it was."""
    return render(request, "newsletters/invalid_link.html", status=404)


def _default_choice(request):
    return Newsletter.objects.active().filter(
        kind=Kind.DIGEST, language=getattr(request, "LANGUAGE_CODE", "en")
    )


@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None, initial={"newsletters": _default_choice(request)})
    if request.method == "POST" and form.is_valid():
        subscriptions.request_subscription(
            request,
            form.cleaned_data["email"],
            list(form.cleaned_data["newsletters"]),
            form.cleaned_data["discreet"],
        )
        return redirect("newsletters:subscribe-sent")
    return render(request, "newsletters/subscribe.html", {"form": form})


def subscribe_sent(request):
    return render(request, "newsletters/subscribe_sent.html")


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows what the link asks for and a button; POST subscribes. (Mail
    scanners open links by themselves; only the reader presses buttons.)"""
    asked = subscriptions.read_token(token)
    if asked is None:
        return _invalid_link(request)
    email, newsletters, discreet = asked
    if request.method == "POST":
        subscriber = subscriptions.confirm(email, newsletters, discreet)
        return render(request, "newsletters/confirmed.html", {"subscriber": subscriber})
    return render(
        request,
        "newsletters/confirm.html",
        {"email": email, "newsletters": newsletters, "discreet": discreet},
    )


@csrf_exempt  # the secret key in the address is the authority; mail clients post without a form
@require_http_methods(["GET", "POST"])
def unsubscribe(request, key, newsletter):
    """The link in every letter. GET asks, POST (the page's button, or a mail
    client's RFC 8058 one-click request) unsubscribes at once, no login."""
    subscriber = Subscriber.objects.filter(key=key).first()
    kind, _sep, language = newsletter.partition("-")
    chosen = Newsletter.objects.filter(kind=kind, language=language).first()
    if subscriber is None or chosen is None:
        return _invalid_link(request)
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber, chosen)
        return render(request, "newsletters/unsubscribed.html", {"newsletter": chosen})
    return render(
        request,
        "newsletters/unsubscribe.html",
        {
            "subscriber": subscriber,
            "newsletter": chosen,
            "subscribed": subscriber.newsletters.filter(pk=chosen.pk).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def manage(request, key):
    """Every choice of one subscriber, reached from the link in a letter."""
    subscriber = Subscriber.objects.filter(key=key).first()
    if subscriber is None:
        return _invalid_link(request)
    initial = {"newsletters": subscriber.newsletters.all(), "discreet": subscriber.discreet}
    form = ChoicesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        kept = subscriptions.save_choices(
            subscriber, list(form.cleaned_data["newsletters"]), form.cleaned_data["discreet"]
        )
        if kept is None:
            return render(request, "newsletters/unsubscribed.html", {"newsletter": None})
        messages.success(request, _("Your newsletters are saved."))
        return redirect("newsletters:manage", key=kept.key)
    return render(request, "newsletters/manage.html", {"form": form, "subscriber": subscriber})


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """A logged-in reader's newsletters, for the address of their account
    (confirmed when the account was), so no further confirmation."""
    subscriber = subscriptions.for_account(request.user)
    initial = {
        "newsletters": subscriber.newsletters.all() if subscriber else [],
        "discreet": subscriber.discreet if subscriber else False,
    }
    form = ChoicesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        subscriptions.save_choices(
            subscriber,
            list(form.cleaned_data["newsletters"]),
            form.cleaned_data["discreet"],
            user=request.user,
            email=request.user.email,
        )
        messages.success(request, _("Your newsletters are saved."))
        return redirect("newsletters:account")
    return render(request, "newsletters/account.html", {"form": form, "subscriber": subscriber})
