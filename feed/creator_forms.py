"""The creators' forms. They read what was typed; what it may be is the services' to say
(feed.services.creators), and their errors come back on the field at fault."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from listings.models import Listing


class ApplyForm(forms.Form):
    handle = forms.CharField(
        label=_("Handle"),
        max_length=31,
        help_text=_("How your videos are signed: @handle. Letters, digits, “-” and “_”."),
        error_messages={"required": _("Choose a handle.")},
    )
    pitch = forms.CharField(
        label=_("What you will post about"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what you will post about.")},
    )


class CreatorVideoForm(forms.Form):
    video = forms.FileField(
        label=_("Video"),
        widget=forms.ClearableFileInput(attrs={"accept": "video/*"}),
        error_messages={"required": _("Choose a video to send.")},
    )
    caption = forms.CharField(
        label=_("Caption"), max_length=200, error_messages={"required": _("Write a caption.")}
    )
    listings = forms.TypedMultipleChoiceField(
        label=_("Items your video shows"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From your saved items on sale. Each gets a tracked link under the video."),
    )
    other = forms.CharField(
        label=_("Other items, by number"),
        required=False,
        max_length=200,
        help_text=_("Item numbers from their pages, separated by spaces or commas."),
    )

    def __init__(self, *args: Any, choices: list[Listing], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        listings = self.fields["listings"]
        assert isinstance(listings, forms.MultipleChoiceField)
        listings.choices = [(listing.pk, listing.title) for listing in choices]

    def listing_ids(self) -> list[str]:
        typed = self.cleaned_data.get("other", "").replace(",", " ").replace("#", " ").split()
        return [str(each) for each in self.cleaned_data.get("listings", [])] + typed


class DecideForm(forms.Form):
    reason = forms.CharField(label=_("Reason (needed to refuse)"), max_length=300, required=False)


class RateForm(forms.Form):
    rate = forms.CharField(
        label=_("Commission rate, %"), max_length=8, error_messages={"required": _("Give a rate.")}
    )
