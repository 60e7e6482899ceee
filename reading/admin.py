"""Preview buttons and shareable preview links on the article admin page.

Whoever may change an article may preview it, as a free reader or as a
subscriber, and share a preview link with someone who has no account. The
admin's own queryset and change permission decide, so a reporter previews
and shares only what the workflow lets them edit.

A preview is the reader's page (this app's templates, views and cache), so
the editorial ArticleAdmin (articles/admin/article.py), which knows nothing
of the reader's site, gets its preview views here: the site registers it
again with them.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.admin.article import ArticleAdmin
from articles.models import Article

from .preview import DEFAULT_LINK_DAYS, LINK_LIFETIMES, link_urls, render_preview, sign_link


class PreviewLinkForm(forms.Form):
    days = forms.TypedChoiceField(
        label=gettext_lazy("The link works for"),
        choices=LINK_LIFETIMES,
        coerce=int,
        initial=DEFAULT_LINK_DAYS,
        help_text=gettext_lazy("After that it shows “Page not found”."),
    )


class PreviewAdminMixin:
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/preview/",
                wrap(self.preview_view),
                {"as_subscriber": False},
                name="{}_{}_preview".format(*info),
            ),
            path(
                "<path:object_id>/preview/subscriber/",
                wrap(self.preview_view),
                {"as_subscriber": True},
                name="{}_{}_preview_subscriber".format(*info),
            ),
            path(
                "<path:object_id>/preview/share/",
                wrap(self.preview_link_view),
                name="{}_{}_preview_link".format(*info),
            ),
            *super().get_urls(),
        ]

    def _article_to_preview(self, request, object_id):
        # The admin's queryset first: an article this person may not even see
        # in the admin is as unknown here as there.
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("No article with that key."))
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        article = Article.objects.for_preview().filter(pk=obj.pk).first()
        if article is None:
            raise Http404(_("No article with that key."))
        return article

    def _admin_url(self, name, article):
        info = self.opts.app_label, self.opts.model_name
        return reverse(
            "admin:{}_{}_{}".format(*info, name),
            args=[quote(article.pk)],
            current_app=self.admin_site.name,
        )

    def preview_view(self, request, object_id, as_subscriber):
        article = self._article_to_preview(request, object_id)
        reader_url = self._admin_url("preview", article)
        subscriber_url = self._admin_url("preview_subscriber", article)
        # The page as the article's edition will show it, whatever language
        # the editor's admin speaks.
        with translation.override(article.language):
            return render_preview(
                request,
                article,
                as_subscriber=as_subscriber,
                reader_url=reader_url,
                subscriber_url=subscriber_url,
            )

    def preview_link_view(self, request, object_id):
        article = self._article_to_preview(request, object_id)
        form = PreviewLinkForm(request.POST if request.method == "POST" else None)
        link = None
        if form.is_valid():
            expires_at = timezone.now() + timedelta(days=form.cleaned_data["days"])
            reader_url, subscriber_url = link_urls(sign_link(article, expires_at), article.language)
            link = {
                "reader": request.build_absolute_uri(reader_url),
                "subscriber": request.build_absolute_uri(subscriber_url),
                "expires_at": expires_at,
            }
            # Who shared an unpublished piece, and until when, stays on record.
            self.log_change(
                request,
                article,
                _("Shared a preview link valid until %(when)s.")
                % {"when": date_format(timezone.localtime(expires_at), "DATETIME_FORMAT")},
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Share a preview of “%(headline)s”") % {"headline": article.headline},
            "subtitle": None,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "original": article,
            "has_view_permission": self.has_view_permission(request, article),
            "form": form,
            "link": link,
            "preview_url": self._admin_url("preview", article),
        }
        return TemplateResponse(request, "admin/articles/article/preview_link.html", context)


class ArticleAdminWithPreviews(PreviewAdminMixin, ArticleAdmin):
    pass


admin.site.unregister(Article)
admin.site.register(Article, ArticleAdminWithPreviews)
