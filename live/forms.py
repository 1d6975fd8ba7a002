"""The host's forms: scheduling a show. The services check what matters (live.services.shows); the
form only reads the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from listings.models import Listing


class ScheduleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    cover = forms.FileField(
        label=_("Cover photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("Optional: without one, the first item's photo stands in."),
    )
    listings = forms.MultipleChoiceField(
        label=_("Line-up"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick what you will show; during the show you pin them in any order."),
    )

    def __init__(self, *args, choices: list[Listing], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        lineup = self.fields["listings"]
        assert isinstance(lineup, forms.MultipleChoiceField)
        lineup.choices = [(listing.pk, listing.title) for listing in choices]

    def listing_ids(self) -> list[int]:
        return [int(value) for value in self.cleaned_data["listings"]]
