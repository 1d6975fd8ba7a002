"""The channel's filter form, shared by the browse pages and the API.

The form validates what a shopper (or an API client) asked for and turns it into a `ChannelFilters`
plus a sort name for `listings.selectors.listings_for_channel`. Fields that fail validation are left
out of the filters, so a page can show the message and still list results for the rest.
"""

from decimal import Decimal
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.core.validators import validate_slug
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from listings.models import Brand, Category, Grade
from listings.selectors import ChannelFilters

SORT_CHOICES = [
    ("newest", _("Newest first")),
    ("price_asc", _("Price: low to high")),
    ("price_desc", _("Price: high to low")),
    ("relevance", _("Best match")),
]


class BrandSlugsField(forms.MultipleChoiceField):
    """Brand slugs. With choices (the brands a page offers) only those are valid; without them (the
    API, which has no facet list at hand) any well-formed slug is, and an unknown one matches nothing."""

    def valid_value(self, value: str) -> bool:
        if not self.choices:
            try:
                validate_slug(value)
            except forms.ValidationError:
                return False
            return True
        return super().valid_value(value)


class ChannelFilterForm(forms.Form):
    brand = BrandSlugsField(label=_("Brand"), required=False, widget=forms.CheckboxSelectMultiple)
    grade = forms.MultipleChoiceField(
        label=_("Grade"), choices=Grade.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    price_min = forms.DecimalField(
        label=_("Min price"), required=False, min_value=Decimal(0), max_digits=12, decimal_places=2
    )
    price_max = forms.DecimalField(
        label=_("Max price"), required=False, min_value=Decimal(0), max_digits=12, decimal_places=2
    )
    inspected = forms.BooleanField(label=_("Platform inspected only"), required=False)
    authenticated = forms.BooleanField(label=_("Authenticated only"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100, strip=True)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    cursor = forms.CharField(required=False, max_length=512, widget=forms.HiddenInput)

    def __init__(self, *args, brands: list[Brand] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if brands is not None:
            brand_field = cast(forms.ChoiceField, self.fields["brand"])
            brand_field.choices = [(brand.slug, brand.label) for brand in brands]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        low, high = cleaned.get("price_min"), cleaned.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("The maximum price must not be lower than the minimum price."))
        return cleaned

    def _value(self, name: str, default=None):
        """A cleaned value, or `default` when the field was missing or invalid."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value

    @property
    def sort_name(self) -> str:
        """The chosen sort; by default best match when searching, newest otherwise."""
        return self._value("sort") or ("relevance" if self._value("q") else "newest")

    @property
    def cursor_value(self) -> str | None:
        return self._value("cursor")

    def to_filters(self, *, category: Category | None = None, seller=None) -> ChannelFilters:
        return ChannelFilters(
            category=category,
            brand_slugs=tuple(self._value("brand", [])),
            grades=tuple(self._value("grade", [])),
            price_min=self._value("price_min"),
            price_max=self._value("price_max"),
            inspected_only=bool(self._value("inspected", False)),
            authenticated_only=bool(self._value("authenticated", False)),
            q=self._value("q", ""),
            seller_id=seller.pk if seller is not None else None,
        )


# The query-string fields a saved search keeps: the words and filters, not the order or the page.
SAVED_FIELDS = ("q", "brand", "grade", "price_min", "price_max", "inspected", "authenticated")


def saved_query(form: ChannelFilterForm) -> str:
    """The form's words and filters as a canonical query string (fields in one order, values sorted),
    so that one search saved twice is one row. Only valid values are kept."""
    pairs: list[tuple[str, str]] = []
    for name in SAVED_FIELDS:
        value = form._value(name)
        if value in (None, "", False, []):
            continue
        if isinstance(value, list | tuple):
            pairs.extend((name, str(item)) for item in sorted(value))
        elif value is True:
            pairs.append((name, "1"))
        else:
            pairs.append((name, str(value)))
    return urlencode(pairs)


def saved_filters(query: str, *, category: Category | None) -> ChannelFilters:
    """The filters a saved search's query string stands for."""
    form = ChannelFilterForm(QueryDict(query))
    return form.to_filters(category=category)
