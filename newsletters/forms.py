from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Newsletter


class NewsletterChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, newsletter):
        return str(newsletter)


class ChoicesForm(forms.Form):
    """Which newsletters, and whether they come discreetly."""

    newsletters = NewsletterChoiceField(
        label=_("Newsletters"),
        queryset=Newsletter.objects.active(),
        required=False,
    )
    discreet = forms.BooleanField(
        label=_("Discreet mode"),
        required=False,
        help_text=_(
            "The sender is shown as “Newsletter” and the subject only says what kind of "
            "letter it is (“Daily digest”), without our name, for a mailbox others may see."
        ),
    )


class SubscribeForm(ChoicesForm):
    email = forms.EmailField(label=_("Email address"), max_length=254)

    field_order = ["email", "newsletters", "discreet"]

    def clean_newsletters(self):
        chosen = self.cleaned_data["newsletters"]
        if not chosen:
            raise forms.ValidationError(_("Choose at least one newsletter."))
        return chosen
