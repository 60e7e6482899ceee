"""Recovery codes (a django-otp device of our own, stored hashed) and the
security log. Authenticator apps use django-otp's TOTPDevice, security keys
django-otp-webauthn's WebAuthnCredential."""

import hashlib
import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

# Recovery codes: 16 characters from an alphabet without look-alikes (no 0/o,
# 1/l/i), 79 bits each. So much chance is beyond any guessing, online or
# against a stolen table, which is why one SHA-256 is enough to store them:
# a slow password hash protects what people choose, not random keys.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 16
RECOVERY_CODE_COUNT = 10


def normalise_code(code):
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def code_digest(code):
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def new_code():
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4))


class RecoveryCodeDevice(Device):
    """A person's set of one-time recovery codes, for a lost key or phone.

    The codes are shown once, when made; only their digests are kept, and a
    used code is marked so that it never works twice.
    """

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    @classmethod
    def replace_for(cls, user):
        """New codes for `user`, replacing any earlier ones; returns them in
        clear, for showing once."""
        codes = [new_code() for _ in range(RECOVERY_CODE_COUNT)]
        with transaction.atomic():
            cls.objects.filter(user=user).delete()
            device = cls.objects.create(user=user, name="Recovery codes", confirmed=True)
            RecoveryCode.objects.bulk_create(
                RecoveryCode(device=device, digest=code_digest(code)) for code in codes
            )
        return codes

    def remaining(self):
        return self.codes.filter(used_at__isnull=True).count()

    def verify_token(self, token):
        """True once for each code: the update that marks it used is the test."""
        if not normalise_code(token):
            return False
        return bool(
            self.codes.filter(digest=code_digest(token), used_at__isnull=True).update(
                used_at=timezone.now()
            )
        )


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "digest"], name="recovery_code_unique"),
        ]

    def __str__(self):
        return _("used recovery code") if self.used_at else _("unused recovery code")


class Factor(models.TextChoices):
    PASSWORD = "password", _("password")
    KEY = "key", _("security key or passkey")
    APP = "app", _("authenticator app")
    RECOVERY = "recovery", _("recovery code")


class Event(models.TextChoices):
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login-failed", _("failed login")
    FACTOR_ADDED = "factor-added", _("second factor added")
    FACTOR_REMOVED = "factor-removed", _("second factor removed")
    RECOVERY_CODES = "recovery-codes", _("new recovery codes")
    FACTORS_RESET = "factors-reset", _("second factors reset by an administrator")
    ROLES_CHANGED = "roles-changed", _("roles changed")
    EXPORT = "export", _("export")


class SecurityEventQuerySet(models.QuerySet):
    def record(self, kind, account, *, request=None, factor="", by=None, detail=""):
        from paywall.sessions import describe_device

        return self.create(
            kind=kind,
            account=account,
            by=by if by is not None and by != account else None,
            factor=factor,
            device=describe_device(request.META.get("HTTP_USER_AGENT")) if request else "",
            detail=detail[:200],
        )


class SecurityEvent(models.Model):
    """One line of the security log: who, what, when, with which factor.

    No IP address and no user agent: the device is "Firefox on Linux", as on
    readers' device lists. Rows are only ever added (see save and delete);
    an account's deletion leaves its lines without a name.
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True, editable=False)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="security_events",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who did it, when not the account's owner."),
    )
    kind = models.CharField(_("event"), max_length=20, choices=Event.choices)
    factor = models.CharField(_("factor"), max_length=10, choices=Factor.choices, blank=True)
    device = models.CharField(_("device"), max_length=80, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        get_latest_by = "at"
        verbose_name = _("security event")
        verbose_name_plural = _("security log")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.account or _('deleted account')}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("The security log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The security log is append-only.")
