from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Language, Section
from articles.search import MAX_QUERY_LENGTH, clean_query


class SearchForm(forms.Form):
    # The language choice that searches every edition's articles.
    ANY_LANGUAGE = "any"

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _(
                "Searches can be at most %(limit_value)d characters long; this one has "
                "%(show_value)d. Try a few distinctive words."
            )
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_('Use "quotes" for a phrase and a minus sign to leave a word out.'),
    )
    section = forms.ModelChoiceField(
        label=_("Section"),
        queryset=Section.objects.active(),
        to_field_name="slug",
        required=False,
        empty_label=_("All sections"),
        error_messages={"invalid_choice": _("There is no such section.")},
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("This edition's")), (ANY_LANGUAGE, _("Any language")), *Language.choices],
        required=False,
        error_messages={"invalid_choice": _("There is no such language.")},
    )

    def offer_sections(self, sections):
        """Offer `sections` (Section.objects.active(), already read) in the
        section menu, rather than reading them again as it renders."""
        field = self.fields["section"]
        field.choices = [
            ("", field.empty_label),
            *((section.slug, field.label_from_instance(section)) for section in sections),
        ]

    def clean_q(self):
        return clean_query(self.cleaned_data["q"])
