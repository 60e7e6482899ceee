"""Pins: the editor-chosen top of the home page and of each section.

Curation is the editors' work: besides Django's model permissions, adding,
changing or removing a pin takes the "curate" permission, whichever screen
it is done from. The two pinning actions at the end are for the article
list; they append after the pins already on a page.
"""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import SEARCH_FIELDS, Article, Pin, Section
from ..workflow import CURATE

REFUSAL = _(
    "Only editors can pin stories: choosing the top of a page takes the "
    "“Can pin articles and choose related ones” permission. Ask an editor."
)


def may_curate(request):
    return request.user.has_perm(CURATE)


class PinAdminForm(forms.ModelForm):
    class Meta:
        model = Pin
        fields = ["article", "section", "position", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "position" in self.fields:
            self.fields["position"].widget.attrs["min"] = 1

    def clean_position(self):
        position = self.cleaned_data["position"]
        if position is not None and position < 1:
            raise forms.ValidationError(_("Position 1 is the lead story; use 1 or more."))
        return position

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        # An old pin keeps its past time; a newly chosen one must lie ahead,
        # or the pin would never show and nobody would know why.
        if expires_at and "expires_at" in self.changed_data and expires_at <= timezone.now():
            raise forms.ValidationError(
                _("That time has passed, so the pin would never show. Choose a later time.")
            )
        return expires_at


class PageListFilter(admin.SimpleListFilter):
    title = _("page")
    parameter_name = "page"

    def lookups(self, request, model_admin):
        return [
            ("home", _("Home page")),
            *((str(section.pk), section.name) for section in Section.objects.only("pk", "name")),
        ]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if self.value() == "home":
            return queryset.on_home()
        if not self.value().isdigit():
            return queryset.none()
        return queryset.filter(section_id=self.value())


class PinStateListFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("current", _("Current")),
            ("waiting", _("Current, article not live")),
            ("expired", _("Expired")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.current()
        if self.value() == "waiting":
            return queryset.current().exclude(article__in=Article.objects.published())
        if self.value() == "expired":
            return queryset.expired()
        return queryset


@admin.register(Pin)
class PinAdmin(admin.ModelAdmin):
    form = PinAdminForm
    list_display = [
        "headline",
        "page",
        "position",
        "expires_at",
        "article_state",
        "showing",
        "created_by",
    ]
    list_display_links = ["headline"]
    list_editable = ["position", "expires_at"]
    list_filter = [PageListFilter, PinStateListFilter]
    # The home page (no section) first on every database, then the sections
    # in navigation order, each from its lead story down.
    ordering = [
        F("section__position").asc(nulls_first=True),
        "section__name",
        "position",
        "-created_at",
    ]
    search_fields = ["article__headline"]
    autocomplete_fields = ["article"]
    actions = ["lapse_now"]

    def get_queryset(self, request):
        # Everything a row shows in one query; the articles' long texts are
        # not among it.
        heavy = ["body", "dek", *SEARCH_FIELDS]
        return (
            super()
            .get_queryset(request)
            .select_related("article", "section", "created_by")
            .defer(*(f"article__{field}" for field in heavy))
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and may_curate(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_curate(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and may_curate(request)

    def has_curate_permission(self, request):
        return self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and not may_curate(request):
            self.message_user(request, REFUSAL, messages.INFO)
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("article"), ordering="article__headline")
    def headline(self, pin):
        return pin.article.headline

    @admin.display(description=_("page"), ordering=F("section__position").asc(nulls_first=True))
    def page(self, pin):
        return pin.section.name if pin.section_id else _("Home page")

    @admin.display(description=_("article state"))
    def article_state(self, pin):
        return pin.article.state_label()

    @admin.display(description=_("showing"), boolean=True)
    def showing(self, pin):
        return pin.article.is_published and pin.is_current()

    @admin.action(description=_("End the selected pins now"), permissions=["curate"])
    def lapse_now(self, request, queryset):
        now = timezone.now()
        ended = 0
        for pin in queryset.current(now):
            pin.expires_at = now
            pin.save(update_fields=["expires_at"])
            ended += 1
        self.message_user(
            request,
            ngettext("%d pin ended.", "%d pins ended.", ended) % ended,
            messages.SUCCESS,
        )


def _pin(modeladmin, request, queryset, page_of, where):
    """Pin each selected article to the page `page_of(article)` gives (None
    is the home page), after the pins already there, in the list's order."""
    if not may_curate(request):
        modeladmin.message_user(request, REFUSAL, messages.ERROR)
        return
    now = timezone.now()
    articles = list(queryset.select_related("section").defer("body", *SEARCH_FIELDS))
    pages = {page_of(article) for article in articles}
    with transaction.atomic():
        earlier = {
            (pin.article_id, pin.section_id): pin
            for pin in Pin.objects.filter(article__in=articles)
        }
        last_position = {
            row["section"]: row["last"]
            for row in Pin.objects.current(now)
            .order_by()
            .values("section")
            .annotate(last=Max("position"))
        }
        pinned, already, not_live = [], [], []
        for article in articles:
            page = page_of(article)
            page_id = page.pk if page else None
            pin = earlier.get((article.pk, page_id))
            if pin is not None and pin.is_current(now):
                already.append(article)
                continue
            last_position[page_id] = last_position.get(page_id, 0) + 1
            if pin is None:
                pin = Pin(article=article, section=page)
            # A lapsed pin on the same page is renewed: one pin per article
            # and page.
            pin.position = last_position[page_id]
            pin.expires_at = None
            pin.created_by = request.user
            pin.save()
            pinned.append(article)
            if not article.is_published:
                not_live.append(article)

    if pinned:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d article pinned to %(where)s, after the pins already there.",
                "%(count)d articles pinned to %(where)s, after the pins already there.",
                len(pinned),
            )
            % {"count": len(pinned), "where": where(pages)},
            messages.SUCCESS,
        )
    if already:
        modeladmin.message_user(
            request,
            _("Already pinned there, so left where it is: %(headlines)s.")
            % {"headlines": _headlines(already)},
            messages.WARNING,
        )
    if not_live:
        modeladmin.message_user(
            request,
            _("Not live yet, so its pin will show only once it goes live: %(headlines)s.")
            % {
                "headlines": ", ".join(
                    f"“{article.headline}” ({article.state_label()})" for article in not_live
                )
            },
            messages.WARNING,
        )


def _headlines(articles):
    return ", ".join(f"“{article.headline}”" for article in articles)


@admin.action(description=_("Pin to the home page"), permissions=["change"])
def pin_to_home(modeladmin, request, queryset):
    _pin(modeladmin, request, queryset, lambda article: None, lambda pages: _("the home page"))


@admin.action(description=_("Pin to their primary section's page"), permissions=["change"])
def pin_to_section(modeladmin, request, queryset):
    def where(pages):
        return ", ".join(sorted(section.name for section in pages))

    _pin(modeladmin, request, queryset, lambda article: article.section, where)
