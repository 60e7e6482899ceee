"""Mirror domains, and the daily edition files.

A mirror is another domain serving the whole site, for readers whose
censors have blocked the public one. Editors add one when it is ready and
retire it when it is blocked; a retired mirror keeps answering, with a page
that points to the current ones (reach/middleware.py), so a reader who
bookmarked it is not lost.
"""

import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A DNS name: labels of letters, digits and inner hyphens, at least two of them.
HOST_NAME = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def normalise_host(value):
    """`value` as a host is compared: lower case, without a trailing dot."""
    return (value or "").strip().lower().rstrip(".")


def validate_mirror_host(value):
    host = normalise_host(value)
    if not HOST_NAME.match(host):
        raise ValidationError(
            _("Enter a domain name only, such as mirror.example.net: no https://, port or path."),
            code="invalid",
        )
    if host.endswith(".onion"):
        raise ValidationError(
            _("The onion address is set by the operators (NEWSROOM_ONION_HOST), not here."),
            code="onion",
        )


# The shared cache's copy of the list of mirror hosts, read on every request
# that comes to a mirror (reach/hosts.py); every change to a mirror drops it.
HOSTS_KEY = "reach:mirror-hosts"


def forget_hosts():
    """Drop the cached list now, and again when the change is committed, so
    that a request reading the list meanwhile cannot keep the old one."""
    _forget()
    transaction.on_commit(_forget)


def _forget():
    try:
        cache.delete(HOSTS_KEY)
    except Exception:  # an outage leaves nothing cached to drop
        pass


class MirrorQuerySet(models.QuerySet):
    def current(self):
        return self.filter(retired_at__isnull=True)

    def retired(self):
        return self.filter(retired_at__isnull=False)

    def retire(self):
        """Retire these mirrors now (those already retired keep their date)."""
        count = self.current().update(retired_at=timezone.now())
        forget_hosts()
        return count

    def hosts(self):
        """{"current": frozenset, "retired": frozenset} of host names, from the
        shared cache when it has them: one round trip, no query."""
        try:
            found = cache.get(HOSTS_KEY)
        except Exception:  # a cache outage: ask the database
            found = None
        if found is None:
            current, retired = set(), set()
            for host, retired_at in Mirror.objects.values_list("host", "retired_at"):
                (current if retired_at is None else retired).add(host)
            found = {"current": frozenset(current), "retired": frozenset(retired)}
            try:
                cache.set(HOSTS_KEY, found, None)
            except Exception:
                pass
        return found


class Mirror(models.Model):
    host = models.CharField(
        _("domain"),
        max_length=253,
        unique=True,
        validators=[validate_mirror_host],
        help_text=_(
            "The mirror's domain, e.g. mirror.example.net. Add it only once it answers: "
            "its DNS and certificate are in place and its front forwards to this site."
        ),
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("For the staff only: who registered it, where it is hosted."),
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)
    retired_at = models.DateTimeField(
        _("retired at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Since then it answers with a page pointing to the current mirrors."),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = MirrorQuerySet.as_manager()

    class Meta:
        ordering = ["-added_at", "host"]
        verbose_name = _("mirror")
        verbose_name_plural = _("mirrors")
        permissions = [("rotate_mirrors", _("Can add and retire mirror domains"))]

    def __str__(self):
        return self.host

    def save(self, *args, **kwargs):
        self.host = normalise_host(self.host)
        super().save(*args, **kwargs)
        # Hosts are allowed, or pointed elsewhere, from the next request on.
        forget_hosts()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        forget_hosts()
        return result

    @property
    def is_current(self):
        return self.retired_at is None

    @property
    def url(self):
        # Mirrors are served over HTTPS, like the public domain.
        return f"https://{self.host}/"


class EditionFile(models.Model):
    """One day's edition as one file: its stories, a format, free or for members.

    Kept in the database so that every app host serves the same bytes, and
    the signature of those bytes, and so that replacing one is a single
    write. `fingerprint` sums up the day's stories as they were when the file
    was built (reach/editions.py); a download that finds it out of date, a
    story corrected or added since, builds the file again first.
    """

    class Format(models.TextChoices):
        EPUB = "epub", "EPUB"
        HTML = "html", "HTML"

    edition = models.CharField(_("edition"), max_length=8)
    day = models.DateField(_("day"))
    for_members = models.BooleanField(
        _("members' version"),
        default=False,
        help_text=_("POZIRK+ stories in full: only ever served to readers with POZIRK+."),
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    content = models.BinaryField(_("file"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    signature = models.BinaryField(_("Ed25519 signature"))
    fingerprint = models.CharField(max_length=64, editable=False)
    built_at = models.DateTimeField(_("built at"), default=timezone.now)

    class Meta:
        ordering = ["-day", "edition", "format"]
        verbose_name = _("edition file")
        verbose_name_plural = _("edition files")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "day", "for_members", "format"], name="edition_file_once"
            )
        ]

    def __str__(self):
        return f"{self.edition} {self.day.isoformat()}.{self.format}"
