from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.template import loader
from django.utils.translation import gettext_lazy as _

from . import mail
from .models import User


class ReaderLoginForm(AuthenticationForm):
    """Django's login form, worded for readers. Its one error message is the
    same for an unknown email, a wrong password and an unconfirmed account."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That email and password do not match an active account."),
        "inactive": _("That email and password do not match an active account."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email")
        self.fields["username"].widget.input_type = "email"
        self.fields["username"].widget.attrs["autocomplete"] = "email"


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to confirm it. It is all we keep about you."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"]).strip()

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first and cleaned.get("email"):
            try:
                password_validation.validate_password(first, User(email=cleaned["email"]))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class ReaderPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the mail limits, and the message rehearsed
    for an address without an account (paywall.mail): the answer takes as
    long either way (tests/test_account_timing.py)."""

    def save(self, *args, **kwargs):
        self._mailed = False
        super().save(*args, **kwargs)
        if not self._mailed:
            email = self.cleaned_data["email"]
            nobody = User(pk=0, email=email)
            stand_in = {
                "email": email,
                "domain": "example.org",
                "site_name": "",
                "uid": "MA",
                "user": nobody,
                "token": default_token_generator.make_token(nobody),
                "protocol": "https",
                **(kwargs.get("extra_email_context") or {}),
            }
            self._send(kwargs["subject_template_name"], kwargs["email_template_name"],
                       stand_in, email, really=False)  # fmt: skip

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):  # fmt: skip
        self._mailed = True
        self._send(subject_template_name, email_template_name, context, to_email)

    @staticmethod
    def _send(subject_template_name, email_template_name, context, to_email, really=True):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        mail.send("password_reset", to_email, subject, body, really=really)
