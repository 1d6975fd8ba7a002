"""Forms for the "Sell with us" steps. Each checks one step of what the seller typed; the category's
questionnaire (recycling.questionnaire) says what is asked, and recycling.services.intake decides
when everything is submitted together."""

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from listings import photos
from listings.errors import PhotoRejected
from listings.models import Brand, CatalogModel, Category
from recycling import questionnaire as questions
from recycling.services.intake import TITLE_MAX_LENGTH

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ACCEPTED_PHOTO_TYPES = "image/jpeg,image/png,image/webp"


class LabelledChoiceField(forms.ModelChoiceField):
    """Choices named in the reader's language (brands and categories have Chinese names)."""

    def label_from_instance(self, obj) -> str:
        return obj.label


class CategoryForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("What are you selling?"),
        # Submissions sit on leaves of the tree only.
        queryset=Category.objects.filter(children__isnull=True),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose a category."),
            "invalid_choice": _("Please choose one of the categories shown."),
        },
    )


class ItemForm(forms.Form):
    """The catalog model, or ("other") a brand and the seller's own words."""

    catalog_model = forms.ModelChoiceField(
        label=_("Model"),
        queryset=CatalogModel.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("This model is not in the list for this category.")},
    )
    brand = LabelledChoiceField(
        label=_("Brand"),
        queryset=Brand.objects.order_by("name"),
        required=False,
        empty_label=_("Choose the brand"),
        error_messages={"invalid_choice": _("Please choose a brand from the list.")},
    )
    title = forms.CharField(
        label=_("What is it?"),
        max_length=TITLE_MAX_LENGTH,
        required=False,
        help_text=_("Model, size or capacity and colour, e.g. “Galaxy S21 128GB, grey”."),
    )

    def __init__(self, *args, category: Category, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.category = category
        models = cast(forms.ModelChoiceField, self.fields["catalog_model"])
        models.queryset = CatalogModel.objects.filter(category=category).select_related("brand")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        if cleaned.get("catalog_model") is not None:
            cleaned["brand"] = None
            cleaned["title"] = ""
            return cleaned
        if cleaned.get("brand") is None:
            self.add_error(
                "brand",
                ValidationError(
                    _("Choose your model from the list, or choose the brand and say what it is."),
                    code="brand_required",
                ),
            )
        if not cleaned.get("title"):
            self.add_error(
                "title",
                ValidationError(_("Please say what the item is in a few words."), code="title_required"),
            )
        return cleaned


def _choice_field(label, options, *, required: bool, help_text="") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[(option.value, option.label) for option in options],
        widget=forms.RadioSelect,
        required=required,
        help_text=help_text,
        error_messages={
            "required": format_lazy(_("Please answer “{}”."), label),
            "invalid_choice": _("Please choose one of the answers shown."),
        },
    )


class AttributesForm(forms.Form):
    """One field per attribute of the category's questionnaire, but those the chosen catalog model
    already fixes (`fixed`, from questionnaire.fixed_by_model): the storage of an "iPhone 13 128GB"
    is not asked."""

    def __init__(
        self, *args, questionnaire: questions.Questionnaire, fixed: dict[str, str] | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for attribute in questionnaire.attributes_to_ask(fixed or {}):
            if attribute.is_choice:
                self.fields[attribute.name] = _choice_field(
                    attribute.label,
                    attribute.options,
                    required=attribute.required,
                    help_text=attribute.help_text,
                )
            else:
                self.fields[attribute.name] = forms.CharField(
                    label=attribute.label,
                    required=attribute.required,
                    max_length=questions.TEXT_MAX_LENGTH,
                    help_text=attribute.help_text,
                    error_messages={"required": format_lazy(_("Please answer “{}”."), attribute.label)},
                )

    def answers(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if value}


class ConditionForm(forms.Form):
    """One question per condition question of the category's questionnaire."""

    def __init__(self, *args, questionnaire: questions.Questionnaire, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for question in questionnaire.questions:
            self.fields[question.name] = _choice_field(
                question.label, question.answers, required=True, help_text=question.help_text
            )

    def answers(self) -> dict[str, str]:
        return dict(self.cleaned_data)


class PhotosForm(forms.Form):
    """One file input per photo view the item needs. A view already held from an earlier visit is
    not required again; a file chosen for it replaces the held one.

    Every chosen file is checked (listings.photos.check_photo); `checked` holds those that passed,
    even when another failed, so that the page keeps them and asks only for the ones to fix.
    """

    def __init__(self, *args, views: tuple[questions.PhotoView, ...], held: set[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.views = views
        self.held = held
        self.checked: dict[str, photos.CheckedPhoto] = {}
        for view in views:
            self.fields[view.name] = forms.FileField(
                label=view.label,
                help_text=view.hint,
                required=view.name not in held,
                widget=forms.FileInput(attrs={"accept": ACCEPTED_PHOTO_TYPES}),
                error_messages={"required": format_lazy(_("Please add the photo “{}”."), view.label)},
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        try:
            photos.check_pixel_budget([cleaned[view.name] for view in self.views if cleaned.get(view.name)])
        except PhotoRejected as rejected:
            raise ValidationError(rejected.message, code=rejected.code) from None
        for view in self.views:
            upload = cleaned.get(view.name)
            if not upload:
                continue
            try:
                self.checked[view.name] = photos.check_photo(upload)
            except PhotoRejected as rejected:
                self.add_error(view.name, ValidationError(rejected.message, code=rejected.code))
        return cleaned


class PhotoReplaceForm(forms.Form):
    """A new photo for one flagged view of a submission, checked like every photo
    (listings.photos.check_photo); `checked` holds it once valid."""

    def __init__(self, *args, view: questions.PhotoView | None, label: "StrOrPromise", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.checked: photos.CheckedPhoto | None = None
        self.fields["photo"] = forms.FileField(
            label=format_lazy(_("New photo: {}"), label),
            help_text=view.hint if view is not None else "",
            widget=forms.FileInput(attrs={"accept": ACCEPTED_PHOTO_TYPES}),
            error_messages={
                "required": _("Please choose the new photo."),
                "empty": _("This file is empty; please choose the photo again."),
            },
        )

    def clean_photo(self) -> Any:
        upload = self.cleaned_data["photo"]
        try:
            self.checked = photos.check_photo(upload)
        except PhotoRejected as rejected:
            raise ValidationError(rejected.message, code=rejected.code) from None
        return upload


def photo_limits_text() -> "StrOrPromise":
    return format_lazy(
        _("JPEG, PNG or WebP, each up to {megabytes} MB. Use your camera's full resolution and daylight."),
        megabytes=settings.LISTING_PHOTO_MAX_BYTES // (1024 * 1024),
    )


class SubmitForm(forms.Form):
    """The review page's button: carries the one-time token that makes a double submit harmless."""

    token = forms.UUIDField(widget=forms.HiddenInput)
