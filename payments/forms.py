from django import forms
from django.utils.translation import gettext_lazy as _


class RedeemForm(forms.Form):
    code = forms.CharField(
        label=_("Access code"),
        max_length=64,
        help_text=_("16 letters and digits, with or without the dashes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
