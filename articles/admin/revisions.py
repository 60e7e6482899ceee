"""Article revisions in the admin: history, a readable diff, restore.

Every save of an article keeps a version (django-simple-history). Editors
read the versions as a list of who changed what and when, compare any two of
them word by word, and bring back the text of an earlier one. Restoring is
about words and pictures only: the status, publication time, paywall, address
and sections stay as they are now, so going back to an old text never takes a
story off the site, publishes it, changes who may read it or breaks a link.
"""

import re
from difflib import SequenceMatcher
from html.parser import HTMLParser

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

# What a restore brings back: the words and the lead image. Everything else
# (status, publication time, access, slug, sections…) is the desk's current
# decision and is left alone.
TEXT_FIELDS = ("headline", "dek", "body")
RESTORED_FIELDS = (
    *TEXT_FIELDS,
    "dateline_source",
    "language",
    "lead_image_alt",
    "lead_image_caption",
    "lead_image_credit",
)
# Restored with care: the file may be gone from storage, and the picture
# from the library may have been deleted since.
RESTORED_IMAGE_FIELDS = ("lead_image", "library_image")

# Words, runs of white space, and each other character on its own, so that a
# changed comma does not mark the whole word next to it as changed.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")

# Elements that start a paragraph of their own in the body.
_BLOCK_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "ul", "ol", "hr", "div"}
)

# Below this share of words in common, two paragraphs are shown as one removed
# and one added rather than as a tangle of small edits.
_SAME_PARAGRAPH_RATIO = 0.3

# Runs of unchanged paragraphs longer than this are folded away.
_UNCHANGED_SHOWN = 2


# ---------------------------------------------------------------------------
# Readable differences


def _tokens(text):
    return _TOKEN.findall(text or "")


def _chunks(old, new):
    """(kind, old text, new text) runs between two texts, with the white
    space between two edits folded into them: "a b c" → "x y z" reads as one
    replacement, not three."""
    a, b = _tokens(old), _tokens(new)
    merged = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for kind, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text, new_text = "".join(a[i1:i2]), "".join(b[j1:j2])
        if kind == "equal":
            merged.append(["equal", old_text, new_text])
            continue
        if (
            len(merged) >= 2
            and merged[-1][0] == "equal"
            and not merged[-1][1].strip()
            and merged[-2][0] != "equal"
        ):
            space = merged.pop()[1]
            merged[-1][1] += space
            merged[-1][2] += space
        if merged and merged[-1][0] != "equal":
            merged[-1][1] += old_text
            merged[-1][2] += new_text
        else:
            merged.append(["change", old_text, new_text])
    return merged


def _removed(text):
    # The hidden words tell screen readers what the strike-through shows.
    return format_html('<del><span class="visually-hidden">{} </span>{}</del>', _("removed:"), text)


def _added(text):
    return format_html('<ins><span class="visually-hidden">{} </span>{}</ins>', _("added:"), text)


def word_diff(old, new):
    """`old` → `new` as escaped HTML, removed words in <del>, added ones in <ins>."""
    parts = []
    for kind, old_text, new_text in _chunks(old, new):
        if kind == "equal":
            parts.append(format_html("{}", old_text))
            continue
        if old_text:
            parts.append(_removed(old_text))
        if new_text:
            parts.append(_added(new_text))
    return mark_safe("".join(parts))


def _similarity(old, new):
    return SequenceMatcher(None, old.split(), new.split(), autojunk=False).ratio()


class _BodyReader(HTMLParser):
    """The visible text of a body, a paragraph at a time, and where its
    links point. Character references arrive decoded: "&lt;" is the text "<"
    here and is escaped again when shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs = []
        self.links = []
        self._words = []

    def _end_paragraph(self):
        text = " ".join("".join(self._words).split())
        if text:
            self.paragraphs.append(text)
        self._words = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self._end_paragraph()
        elif tag == "br":
            self._words.append(" ")
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS:
            self._end_paragraph()

    def handle_data(self, data):
        self._words.append(data)

    def close(self):
        super().close()
        self._end_paragraph()


def read_body(html):
    """(paragraphs of visible text, link targets) of a body's HTML."""
    reader = _BodyReader()
    reader.feed(html or "")
    reader.close()
    return reader.paragraphs, reader.links


def _paragraph_rows(old_paragraphs, new_paragraphs):
    rows = []
    matcher = SequenceMatcher(None, old_paragraphs, new_paragraphs, autojunk=False)
    for kind, i1, i2, j1, j2 in matcher.get_opcodes():
        if kind == "equal":
            rows.extend(
                {"kind": "same", "html": format_html("{}", p)} for p in old_paragraphs[i1:i2]
            )
            continue
        olds, news = old_paragraphs[i1:i2], new_paragraphs[j1:j2]
        for k in range(max(len(olds), len(news))):
            old = olds[k] if k < len(olds) else None
            new = news[k] if k < len(news) else None
            if (
                old is not None
                and new is not None
                and _similarity(old, new) >= _SAME_PARAGRAPH_RATIO
            ):
                rows.append({"kind": "changed", "html": word_diff(old, new)})
                continue
            if old is not None:
                rows.append({"kind": "removed", "html": _removed(old)})
            if new is not None:
                rows.append({"kind": "added", "html": _added(new)})
    return rows


def _fold_unchanged(rows):
    """Groups of rows; long runs of unchanged paragraphs are marked `folded`
    so the page leads with what changed."""
    groups = []
    for row in rows:
        folded = row["kind"] == "same"
        if groups and groups[-1]["unchanged"] == folded:
            groups[-1]["rows"].append(row)
        else:
            groups.append({"unchanged": folded, "rows": [row]})
    for group in groups:
        group["folded"] = group["unchanged"] and len(group["rows"]) > _UNCHANGED_SHOWN
    return groups


def body_diff(old_html, new_html):
    """The body's change for people who care about words, not markup."""
    old_paragraphs, old_links = read_body(old_html)
    new_paragraphs, new_links = read_body(new_html)
    rows = _paragraph_rows(old_paragraphs, new_paragraphs)
    words_changed = old_paragraphs != new_paragraphs
    removed_links = [link for link in old_links if link not in new_links]
    added_links = [link for link in new_links if link not in old_links]
    return {
        "groups": _fold_unchanged(rows),
        "changed": words_changed,
        # Bold, a heading, a list or a link's target: invisible in a diff of
        # words, so said in so many words.
        "markup_only": not words_changed and (old_html or "") != (new_html or ""),
        "removed_links": removed_links,
        "added_links": added_links,
    }


def text_diffs(model, old, new):
    """Headline, dek and body of `old` and `new` (versions, or the article
    itself), ready for the template."""
    fields = []
    for name in ("headline", "dek"):
        before, after = getattr(old, name) or "", getattr(new, name) or ""
        fields.append(
            {
                "label": capfirst(model._meta.get_field(name).verbose_name),
                "changed": before != after,
                "html": word_diff(before, after),
            }
        )
    return {
        "fields": fields,
        "body_label": capfirst(model._meta.get_field("body").verbose_name),
        "body": body_diff(old.body, new.body),
    }


class _Nothing:
    """Stands in for the version before the first: every field empty."""

    headline = dek = body = ""


def _display(model, name, value):
    field = model._meta.get_field(name)
    if value is None or value == "":
        return _("(empty)")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if hasattr(value, "tzinfo"):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return str(value)


def other_changes(model, old_version, new_version):
    """Changes to anything but the text, as label, old and new values."""
    delta = new_version.diff_against(
        old_version, excluded_fields=TEXT_FIELDS, foreign_keys_are_objs=True
    )
    return [
        {
            "label": capfirst(model._meta.get_field(change.field).verbose_name),
            "old": _display(model, change.field, change.old),
            "new": _display(model, change.field, change.new),
        }
        for change in delta.changes
    ]


def restorable(model, obj):
    """What a restore copies, of an article or a version, as comparable values:
    file names for the image, ids for the library picture, "" for nothing."""
    values = {}
    for name in (*RESTORED_FIELDS, *RESTORED_IMAGE_FIELDS):
        value = getattr(obj, model._meta.get_field(name).attname)
        value = getattr(value, "name", value)
        values[name] = "" if value is None else value
    return values


# ---------------------------------------------------------------------------
# The admin


class RevisionsAdminMixin(SimpleHistoryAdmin):
    object_history_template = "admin/articles/article/object_history.html"
    object_history_list_template = "admin/articles/article/object_history_list.html"
    history_list_per_page = 50

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/revisions/<int:history_id>/compare/",
                wrap(self.revision_compare_view),
                name="{}_{}_revision_compare".format(*info),
            ),
            path(
                "<path:object_id>/revisions/<int:history_id>/restore/",
                wrap(self.revision_restore_view),
                name="{}_{}_revision_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    def _url(self, name, object_id, *more):
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=[quote(object_id), *more],
            current_app=self.admin_site.name,
        )

    def _versions(self, article_pk):
        history = getattr(self.model, self.opts.simple_history_manager_attribute)
        return (
            history.filter(**{self.opts.pk.attname: article_pk})
            # The related objects "other changes" names, read with the versions.
            .select_related("history_user", "section", "library_image")
            .order_by("-history_date", "-history_id")
        )

    @staticmethod
    def _before(versions, version):
        """The version saved just before `version` (same time: lower id first)."""
        return versions.filter(
            Q(history_date__lt=version.history_date)
            | Q(history_date=version.history_date, history_id__lt=version.history_id)
        ).first()

    def _article_and_version(self, request, object_id, history_id, to_change=True):
        # The admin's own queryset first: an article this person may not see
        # in the admin is as unknown here as there. Whether they may change
        # it is the admin's has_change_permission's call, workflow included.
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404(_("No article with that key."))
        # Reading versions needs only the right to see the article: a reporter
        # learns what the desk changed in their published piece.
        allowed = self.has_change_permission if to_change else self.has_view_permission
        if not allowed(request, article):
            raise PermissionDenied
        versions = self._versions(article.pk)
        version = versions.filter(history_id=history_id).first()
        if version is None:
            raise Http404(_("This article has no such version."))
        return article, versions, version

    def _version_label(self, version):
        when = date_format(timezone.localtime(version.history_date), "DATETIME_FORMAT")
        if version.history_user is None:
            # Saved from code (an import, the shell), or by an account since deleted.
            return _("%(when)s (editor not recorded)") % {"when": when}
        return _("%(when)s by %(who)s") % {"when": when, "who": version.history_user}

    def history_view(self, request, object_id, extra_context=None):
        # simple-history falls back to the newest version when the admin's
        # queryset hides an article, which would show a colleague's draft to
        # a reporter; deleted articles take their history with them anyway.
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404(_("No article with that key."))
        context = {
            "can_change_article": self.has_change_permission(request, article),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context=context)

    def history_view_title(self, request, obj):
        return _("Versions of “%(headline)s”") % {"headline": obj}

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Give each version on the page what the list shows: the fields it
        changed, whether it is the current one, and whether an earlier one
        exists to compare with. The oldest version on a page is compared with
        the newest of the next page, read in one query; nothing else is."""
        page = historical_records
        records = list(page)
        if not records:
            return
        has_newer_page = page.has_previous() if hasattr(page, "has_previous") else False
        has_older_page = page.has_next() if hasattr(page, "has_next") else False
        before_oldest = None
        if has_older_page:
            oldest = records[-1]
            before_oldest = self._before(
                self._versions(getattr(oldest, self.opts.pk.attname)), oldest
            )
        # In the order of the form, not of the alphabet: "headline, dek, body".
        position = {field.name: index for index, field in enumerate(self.opts.fields)}
        for index, record in enumerate(records):
            previous = records[index + 1] if index + 1 < len(records) else before_oldest
            record.revision_is_current = index == 0 and not has_newer_page
            record.revision_has_previous = previous is not None
            record.revision_changes = None
            if previous is not None:
                delta = record.diff_against(previous)
                record.revision_changes = ", ".join(
                    str(self.opts.get_field(name).verbose_name)
                    for name in sorted(delta.changed_fields, key=position.get)
                )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple-history's own "revert" form would put back every field,
        status and paywall included. Its address leads to the comparison,
        from where a restore keeps to the text."""
        if not version_id.isdigit():
            raise Http404(_("This article has no such version."))
        return HttpResponseRedirect(
            self._url("revision_compare", unquote(object_id), int(version_id))
        )

    def revision_compare_view(self, request, object_id, history_id):
        article, versions, version = self._article_and_version(
            request, object_id, history_id, to_change=False
        )
        other_id = request.GET.get("with", "")
        if other_id:
            other = versions.filter(history_id=other_id).first() if other_id.isdigit() else None
            if other is None:
                raise Http404(_("This article has no such version."))
        else:
            other = self._before(versions, version)

        # Whichever was chosen, the change reads from the older to the newer.
        if other is None:
            older, newer = None, version
        elif (other.history_date, other.history_id) <= (version.history_date, version.history_id):
            older, newer = other, version
        else:
            older, newer = version, other

        all_versions = list(versions)
        choices = [
            {
                "id": v.history_id,
                "label": self._version_label(v),
                "selected": other is not None and v.history_id == other.history_id,
            }
            for v in all_versions
            if v.history_id != version.history_id
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compare versions of “%(headline)s”") % {"headline": article.headline},
            "subtitle": None,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "original": article,
            "version": version,
            "version_label": self._version_label(version),
            "older_label": self._version_label(older) if older else None,
            "newer_label": self._version_label(newer),
            "diff": text_diffs(self.model, older or _Nothing, newer),
            "other_changes": other_changes(self.model, older, newer) if older else [],
            "choices": choices,
            "is_current": all_versions[0].history_id == version.history_id,
            "can_change_article": self.has_change_permission(request, article),
            "restore_url": self._url("revision_restore", article.pk, version.history_id),
            "history_url": self._url("history", article.pk),
            "change_url": self._url("change", article.pk),
        }
        return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)

    def revision_restore_view(self, request, object_id, history_id):
        """GET asks for confirmation; POST (CSRF-checked by the admin) restores."""
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        article, versions, version = self._article_and_version(request, object_id, history_id)
        # The article as stored, every column loaded: the admin's queryset
        # leaves the body out, and saving a partly loaded row writes only the
        # loaded columns.
        article = self.model._default_manager.get(pk=article.pk)
        when = date_format(timezone.localtime(version.history_date), "DATETIME_FORMAT")
        if request.method == "POST":
            return self._restore(request, article, version, when)

        now, then = restorable(self.model, article), restorable(self.model, version)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Restore the version of %(when)s?") % {"when": when},
            "subtitle": None,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "original": article,
            "version": version,
            "version_label": self._version_label(version),
            "diff": text_diffs(self.model, article, version),
            "other_restored": self._restored_details(article, version, now, then),
            "nothing_to_restore": now == then,
            "is_live": article.is_published,
            "compare_url": self._url("revision_compare", article.pk, version.history_id),
            "history_url": self._url("history", article.pk),
            "change_url": self._url("change", article.pk),
        }
        return TemplateResponse(request, "admin/articles/article/revision_restore.html", context)

    def _restored_details(self, article, version, now, then):
        """Besides the text, what a restore would change: label, now, then."""
        details = []
        for name in (*RESTORED_FIELDS, *RESTORED_IMAGE_FIELDS):
            if name in TEXT_FIELDS or now[name] == then[name]:
                continue
            if name == "library_image":
                # Pictures read as their names; a deleted one by its number.
                library = self.opts.get_field(name).related_model._default_manager
                current = article.library_image or _("(empty)")
                earlier = _("(empty)")
                if then[name] != "":
                    earlier = library.filter(pk=then[name]).first() or _(
                        "deleted picture #%(id)s"
                    ) % {"id": then[name]}
            else:
                current = _display(self.model, name, now[name])
                earlier = _display(self.model, name, then[name])
            details.append(
                {
                    "label": capfirst(self.opts.get_field(name).verbose_name),
                    "now": current,
                    "then": earlier,
                }
            )
        return details

    def _restore(self, request, article, version, when):
        before = restorable(self.model, article)
        text_changed = any(
            (getattr(article, name) or "") != (getattr(version, name) or "") for name in TEXT_FIELDS
        )
        for name in RESTORED_FIELDS:
            setattr(article, name, getattr(version, name))
        kept = self._restore_images(article, version)
        change_url = self._url("change", article.pk)
        if restorable(self.model, article) == before:
            self.message_user(
                request,
                _("The version of %(when)s reads as the article does now: nothing to restore.")
                % {"when": when},
                messages.INFO,
            )
            if kept:
                self.message_user(request, kept, messages.WARNING)
            return HttpResponseRedirect(change_url)

        reason = _("Restored the version of %(when)s") % {"when": when}
        article.last_edited_by = request.user
        article._history_user = request.user
        # The history keeps a hundred characters of reason.
        article._change_reason = reason[:100]
        if text_changed and article.is_published and not request.POST.get("minor_edit"):
            # Readers saw the other text: the article shows them it was updated.
            article.revised_at = timezone.now()
        with transaction.atomic():
            # An ordinary save: a new version, the search documents rebuilt,
            # cached pages retired.
            article.save()
            self.log_change(request, article, reason)

        self.message_user(
            request,
            _(
                "The text of the version of %(when)s is back, saved as a new version. "
                "Status, publication time, access and address are unchanged."
            )
            % {"when": when},
            messages.SUCCESS,
        )
        if kept:
            self.message_user(request, kept, messages.WARNING)
        return HttpResponseRedirect(change_url)

    def _restore_images(self, article, version):
        """Bring back the version's lead image and library picture if they still
        exist. Returns a sentence for the editor when one did not and the
        current one was kept."""
        problem = None
        then = version.lead_image or ""
        if then != (article.lead_image.name or ""):
            if not then:
                # Assigning nothing clears the stored width and height too.
                article.lead_image = None
            elif article.lead_image.storage.exists(then):
                # Assigning a file measures it: width and height follow it.
                article.lead_image = then
            else:
                problem = _(
                    "The lead image of that version is no longer stored; the current "
                    "image was kept."
                )
        library = self.opts.get_field("library_image")
        library_id = getattr(version, library.attname)
        if library_id != article.library_image_id:
            if (
                library_id is None
                or library.related_model._default_manager.filter(pk=library_id).exists()
            ):
                article.library_image_id = library_id
            else:
                problem = problem or _(
                    "The library picture of that version has been deleted; the current "
                    "one was kept."
                )
        return problem
