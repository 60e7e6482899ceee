"""Media quoted in an article's body: YouTube and Vimeo videos, Telegram, X
and Instagram posts.

The body stores an embed as a plain link (`<figure class="embed"><a href=…>`).
Only a link this module recognises becomes an embed, and the address loaded
from the provider is built here from the parts it matched (a video's id, a
channel and a post number), never copied from what was stored: an editor, or
a pasted page, cannot make the site frame anything else.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext_lazy as _

VIDEO = "video"
POST = "post"


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    label: str  # what the reader is offered: "a YouTube video"
    kind: str  # VIDEO keeps 16:9; POST is a tall card
    origin: str  # the only host its frame may load, for the CSP's frame-src


@dataclass(frozen=True)
class Embed:
    provider: Provider
    url: str  # the link as the editor gave it, for feeds and "open on …"
    src: str  # what the frame loads, built from the matched parts only

    @property
    def name(self):
        return self.provider.name

    @property
    def label(self):
        return self.provider.label

    @property
    def kind(self):
        return self.provider.kind


YOUTUBE = Provider(
    "youtube", "YouTube", _("YouTube video"), VIDEO, "https://www.youtube-nocookie.com"
)
VIMEO = Provider("vimeo", "Vimeo", _("Vimeo video"), VIDEO, "https://player.vimeo.com")
TELEGRAM = Provider("telegram", "Telegram", _("Telegram post"), POST, "https://t.me")
X = Provider("x", "X", _("X (Twitter) post"), POST, "https://platform.twitter.com")
INSTAGRAM = Provider(
    "instagram", "Instagram", _("Instagram post"), POST, "https://www.instagram.com"
)
PROVIDERS = (YOUTUBE, VIMEO, TELEGRAM, X, INSTAGRAM)

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_DIGITS = re.compile(r"[0-9]{1,20}")
_TELEGRAM_CHANNEL = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
_X_USER = re.compile(r"[A-Za-z0-9_]{1,15}")
_INSTAGRAM_CODE = re.compile(r"[A-Za-z0-9_-]{5,40}")

MAX_URL_LENGTH = 500


def _host(parts):
    host = (parts.hostname or "").lower()
    return host.removeprefix("www.").removeprefix("m.").removeprefix("mobile.")


def _segments(parts):
    return [segment for segment in parts.path.split("/") if segment]


def _youtube(parts, host, segments):
    video = None
    if host == "youtu.be" and len(segments) == 1:
        video = segments[0]
    elif host == "youtube.com":
        if segments == ["watch"]:
            video = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(segments) == 2 and segments[0] in {"shorts", "embed", "live"}:
            video = segments[1]
    if video and _YOUTUBE_ID.fullmatch(video):
        return f"{YOUTUBE.origin}/embed/{video}"
    return None


def _vimeo(parts, host, segments):
    if host == "vimeo.com" and len(segments) == 1 and _DIGITS.fullmatch(segments[0]):
        return f"{VIMEO.origin}/video/{segments[0]}?dnt=1"
    return None


def _telegram(parts, host, segments):
    if host not in {"t.me", "telegram.me"}:
        return None
    if segments[:1] == ["s"]:
        segments = segments[1:]
    if (
        len(segments) == 2
        and _TELEGRAM_CHANNEL.fullmatch(segments[0])
        and _DIGITS.fullmatch(segments[1])
    ):
        return f"{TELEGRAM.origin}/{segments[0]}/{segments[1]}?embed=1"
    return None


def _x(parts, host, segments):
    if host not in {"twitter.com", "x.com"}:
        return None
    if (
        len(segments) == 3
        and _X_USER.fullmatch(segments[0])
        and segments[1] == "status"
        and _DIGITS.fullmatch(segments[2])
    ):
        return f"{X.origin}/embed/Tweet.html?id={segments[2]}&dnt=true"
    return None


def _instagram(parts, host, segments):
    if host != "instagram.com":
        return None
    if (
        len(segments) == 2
        and segments[0] in {"p", "reel"}
        and _INSTAGRAM_CODE.fullmatch(segments[1])
    ):
        return f"{INSTAGRAM.origin}/p/{segments[1]}/embed/"
    return None


_MATCHERS = (
    (YOUTUBE, _youtube),
    (VIMEO, _vimeo),
    (TELEGRAM, _telegram),
    (X, _x),
    (INSTAGRAM, _instagram),
)


def recognise(url):
    """The Embed for a link to a post or video we can show, or None."""
    url = (url or "").strip()
    if not url or len(url) > MAX_URL_LENGTH or any(c.isspace() or ord(c) < 32 for c in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or parts.username or parts.password or port:
        return None
    host, segments = _host(parts), _segments(parts)
    for provider, match in _MATCHERS:
        src = match(parts, host, segments)
        if src:
            return Embed(provider, url, src)
    return None
