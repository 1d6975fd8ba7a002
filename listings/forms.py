"""Forms for the selling pages. They check what a person typed; listings.services decides."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from listings import photos
from listings.errors import PhotoRejected
from listings.models import GRADE_MEANINGS, Brand, CatalogModel, Category, Grade
from listings.services import PRICE_LIMIT
from marketplace.money import CENT

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one `<input type="file" multiple>`; cleans to a list (empty when none)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        files = data if isinstance(data, list | tuple) else [data]
        files = [upload for upload in files if upload]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        single_clean = super().clean
        return [single_clean(upload, initial) for upload in files]


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.parent.label} / {obj.label}" if obj.parent is not None else obj.label


def _photo_help() -> "StrOrPromise":
    return format_lazy(
        _("Up to {count} photos: JPEG, PNG or WebP, each up to {megabytes} MB. The first is the cover."),
        count=settings.LISTING_PHOTO_MAX_COUNT,
        megabytes=settings.LISTING_PHOTO_MAX_BYTES // (1024 * 1024),
    )


class PhotosMixin:
    """Checks every chosen photo and keeps the checked copies, so that one answer names every file
    that was refused and the service does not decode them again."""

    existing_photos = 0
    cleaned_data: dict[str, Any]  # the form's, which this is mixed into

    def clean_photos(self) -> list[photos.CheckedPhoto]:
        uploads = self.cleaned_data.get("photos") or []
        room = settings.LISTING_PHOTO_MAX_COUNT - self.existing_photos
        if len(uploads) > room:
            raise ValidationError(
                ngettext(
                    "You can add %(room)d more photo; you chose %(chosen)d.",
                    "You can add %(room)d more photos; you chose %(chosen)d.",
                    room,
                )
                % {"room": room, "chosen": len(uploads)},
                code="too_many_photos",
            )
        try:
            photos.check_pixel_budget(uploads)
        except PhotoRejected as rejected:
            raise ValidationError(rejected.message, code=rejected.code) from None
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(photos.check_photo(upload))
            except PhotoRejected as rejected:
                errors.append(
                    ValidationError(
                        "%(name)s: %(reason)s",
                        params={"name": upload.name, "reason": rejected.message},
                        code=rejected.code,
                    )
                )
        if errors:
            raise ValidationError(errors)
        return checked


class ListingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What it is, how it has been used, what comes with it, any faults."),
    )
    category = CategoryChoiceField(
        label=_("Category"),
        # Listings sit on leaves of the tree only.
        queryset=Category.objects.filter(children__isnull=True).select_related("parent"),
        empty_label=_("Choose a category"),
    )
    brand = forms.ModelChoiceField(
        label=_("Brand"), queryset=Brand.objects.all(), required=False, empty_label=_("No brand / other")
    )
    catalog_model = forms.ModelChoiceField(
        label=_("Model"),
        queryset=CatalogModel.objects.select_related("brand"),
        required=False,
        empty_label=_("Not in the list"),
    )
    price = forms.DecimalField(
        label=_("Price"), max_digits=12, decimal_places=2, min_value=CENT, max_value=PRICE_LIMIT - CENT
    )
    reference_price = forms.DecimalField(
        label=_("Price new"),
        max_digits=12,
        decimal_places=2,
        min_value=CENT,
        max_value=PRICE_LIMIT - CENT,
        required=False,
        help_text=_("What it cost new, if you know: shoppers see it beside your price."),
    )
    offer_floor = forms.DecimalField(
        label=_("Decline offers below"),
        max_digits=12,
        decimal_places=2,
        min_value=CENT,
        max_value=PRICE_LIMIT - CENT,
        required=False,
        help_text=_("Optional. Offers lower than this are declined for you at once; buyers do not see it."),
    )
    grade = forms.ChoiceField(
        label=_("Condition"),
        choices=[
            (grade.value, format_lazy("{} — {}", grade.label, GRADE_MEANINGS[grade])) for grade in Grade
        ],
        widget=forms.RadioSelect,
    )

    def details(self) -> dict:
        """The cleaned fields as listing_create / listing_update take them."""
        return {name: self.cleaned_data[name] for name in ListingForm.base_fields}


class ListingCreateForm(PhotosMixin, ListingForm):
    photos = MultipleFileField(label=_("Photos"), required=False, help_text=_photo_help())


class PhotoAddForm(PhotosMixin, forms.Form):
    photos = MultipleFileField(label=_("Add photos"), help_text=_photo_help())

    def __init__(self, *args, existing_photos: int = 0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.existing_photos = existing_photos


def _video_help() -> str:
    return _("MP4, MOV or WebM, up to %(seconds)s seconds and %(size)s. Sound is kept.") % {
        "seconds": settings.LISTING_VIDEO_MAX_SECONDS,
        "size": filesizeformat(settings.LISTING_VIDEO_MAX_BYTES),
    }


class VideoUploadForm(forms.Form):
    """One video file. Whether it is a video is for the video job to find out, from its content."""

    video = forms.FileField(
        label=_("Video"),
        widget=forms.ClearableFileInput(attrs={"accept": "video/*"}),
        error_messages={"required": _("Choose a video to send.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["video"].help_text = _video_help()
