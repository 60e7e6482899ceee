"""A letter as email: subject, sender, a plain-text part and an HTML part
with its CSS inlined, and the headers of a mailing list.

A letter is rendered once per kind of recipient (POZIRK+ at the moment of
sending or not, discreet or not); each message then only gets its
recipient's unsubscribe link. Nothing else in a message is per reader: no
pixels, no rewritten links, no tracking parameters.
"""

import hashlib
import html
import re
from dataclasses import dataclass
from email.utils import formataddr

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from articles import blocks
from paywall.access import reads_in_full_by_email

from .models import Kind

# Stands in for the recipient's unsubscribe address in a rendered letter;
# URL-safe, so neither HTML escaping nor CSS inlining changes it.
UNSUBSCRIBE_MARK = "https://unsubscribe.invalid/__recipient__"

_inliner = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


def site_url(path):
    return f"{settings.NEWSROOM_SITE_URL}{path}"


def unsubscribe_url(subscriber, newsletter):
    return site_url(
        reverse(
            "newsletters:unsubscribe", kwargs={"key": subscriber.key, "newsletter": newsletter.slug}
        )
    )


def html_to_text(markup):
    """Readable plain text from an article body: paragraphs apart, links
    followed by their address, entities decoded."""
    text = re.sub(r"(?is)<a\s[^>]*href=\"([^\"]+)\"[^>]*>(.*?)</a>", r"\2 (\1)", markup)
    text = re.sub(r"(?i)<br\s*/?>", "\n", text)
    text = re.sub(r"(?i)<li[^>]*>", "\n- ", text)
    text = re.sub(r"(?i)</(p|h[1-6]|blockquote|ul|ol)>", "\n\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\n\s*\n\s*\n+", "\n\n", text).strip()


@dataclass
class Rendered:
    subject: str
    from_email: str
    text: str
    html: str


class Composer:
    """Renders one letter for each kind of recipient, once."""

    def __init__(self, letter):
        self.letter = letter
        self.newsletter = letter.newsletter
        self.articles = letter.articles()
        self._rendered = {}

    def rendered(self, plus, discreet):
        key = (bool(plus), bool(discreet))
        if key not in self._rendered:
            self._rendered[key] = self._render(*key)
        return self._rendered[key]

    def _items(self, plus):
        with_body = self.newsletter.kind != Kind.DIGEST
        items = []
        for article in self.articles:
            in_full = reads_in_full_by_email(article, plus)
            body = ""
            if with_body:
                # Pictures in the body as one JPEG each, embeds as links.
                body = (
                    blocks.for_feed(article.body_html(), site_url)
                    if in_full
                    else article.teaser_html()
                )
            items.append(
                {
                    "article": article,
                    "url": site_url(article.get_absolute_url()),
                    "is_plus": article.is_plus,
                    "in_full": in_full,
                    "body": body,
                    "body_text": html_to_text(body) if body else "",
                }
            )
        return items

    def _render(self, plus, discreet):
        letter = self.letter
        with override(self.newsletter.language):
            context = {
                "letter": letter,
                "newsletter": self.newsletter,
                "kind_name": self.newsletter.get_kind_display(),
                "items": self._items(plus),
                "discreet": discreet,
                "site_name": settings.SITE_NAME,
                "site_url": settings.NEWSROOM_SITE_URL,
                "join_url": site_url(reverse("paywall:plus-about")),
                "unsubscribe_url": UNSUBSCRIBE_MARK,
                "language": self.newsletter.language,
            }
            subject = letter.subject_for(discreet)
            context["subject"] = subject
            text = render_to_string("newsletters/email/letter.txt", context)
            markup = _inliner.inline(render_to_string("newsletters/email/letter.html", context))
            if discreet:
                name = str(_("Newsletter"))
                address = settings.NEWSLETTERS_DISCREET_FROM_EMAIL
            else:
                name = settings.SITE_NAME
                address = settings.NEWSLETTERS_FROM_EMAIL
        return Rendered(subject, formataddr((name, address)), text, markup)

    def message(self, to, unsubscribe, plus, discreet, message_key=None, connection=None):
        """The message for one recipient: the rendered letter with their
        unsubscribe link, and the headers that let mail clients offer a
        one-click unsubscribe (RFC 2369, RFC 8058)."""
        rendered = self.rendered(plus, discreet)
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<{self.newsletter.slug}.{list_domain()}>",
            "Auto-Submitted": "auto-generated",
            "Precedence": "bulk",
        }
        if message_key:
            # The same delivery always has the same Message-ID: should a
            # message ever go twice (see delivery.py), mail clients that
            # fold duplicates show it once.
            digest = hashlib.sha256(f"{settings.SECRET_KEY}:{message_key}".encode()).hexdigest()
            headers["Message-ID"] = f"<{digest[:32]}@{list_domain()}>"
        message = EmailMultiAlternatives(
            subject=rendered.subject,
            body=rendered.text.replace(UNSUBSCRIBE_MARK, unsubscribe),
            from_email=rendered.from_email,
            to=[to],
            headers=headers,
            connection=connection,
        )
        message.attach_alternative(
            rendered.html.replace(UNSUBSCRIBE_MARK, unsubscribe), "text/html"
        )
        # Providers behind django-anymail may track by default: never here.
        message.track_opens = False
        message.track_clicks = False
        return message


def list_domain():
    return settings.NEWSLETTERS_FROM_EMAIL.rpartition("@")[2] or "localhost"
