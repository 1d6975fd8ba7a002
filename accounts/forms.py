from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from accounts.addresses import FIELDS, MAX_LENGTHS, PostalAddress, address_errors, clean_postal_address
from accounts.models import User
from marketplace.errors import DomainError


class SignupForm(UserCreationForm):
    """A new shopper-and-seller account. Django's password validators run on the first password."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "For order and payout notices. We send a link to confirm it before you buy or sell. "
            "Not shown to other people."
        ),
    )
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
        help_text=_("What buyers and sellers see. Your username is used when this is empty."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "display_name")

    def clean_email(self) -> str:
        # Whether the address has an account is not said here (accounts.services.user_signup).
        return User.objects.normalize_email(self.cleaned_data["email"]).strip()

    def clean_display_name(self) -> str:
        return self.cleaned_data["display_name"].strip()


class TelInput(forms.TextInput):
    input_type = "tel"


class AddressTextField(forms.CharField):
    """One field of a postal address, passed on as typed: accounts.addresses trims, measures and checks
    it (NUL included), so that a form says what the API and the services say. The input still carries
    `required` and `maxlength` for browsers and screen readers."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        super().__init__(required=False, strip=False, max_length=max_length, **kwargs)
        self.validators = []

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "required": True}


class AddressForm(forms.Form):
    """A postal address: recipient, phone, province or state, city, street and postcode.

    `clean()` runs accounts.addresses' checks, so each field shows its own error; once valid,
    `cleaned_data` holds the address as it will be stored (`postal_address()` gives it as a
    PostalAddress). Render the fields with `{% include "accounts/_address_fields.html" with form=... %}`.
    """

    name = AddressTextField(
        label=_("Recipient"),
        max_length=MAX_LENGTHS["name"],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = AddressTextField(
        label=_("Phone"),
        # Room for the spaces and dashes people type between the digits; they are not stored.
        max_length=MAX_LENGTHS["phone"] + 8,
        help_text=_("A mainland China mobile number, or + and the country code for a number elsewhere."),
        widget=TelInput(attrs={"autocomplete": "tel"}),
    )
    region = AddressTextField(
        label=_("Province or state"),
        max_length=MAX_LENGTHS["region"],
        widget=forms.TextInput(attrs={"autocomplete": "address-level1"}),
    )
    city = AddressTextField(
        label=_("City"),
        max_length=MAX_LENGTHS["city"],
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    street = AddressTextField(
        label=_("Street address"),
        max_length=MAX_LENGTHS["street"],
        help_text=_("District, street, building and room number."),
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}),
    )
    postcode = AddressTextField(
        label=_("Postcode"),
        max_length=MAX_LENGTHS["postcode"],
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        errors = address_errors(cleaned)
        for field, message in errors.items():
            self.add_error(field, message)
        if not errors:
            cleaned.update(clean_postal_address(cleaned).as_dict())
        return cleaned

    def postal_address(self) -> PostalAddress:
        """The address typed, as it will be stored; call it once the form is valid."""
        return clean_postal_address(self.cleaned_data)

    def postal_fields(self) -> list[BoundField]:
        """The six address fields, in order, for templates/accounts/_address_fields.html."""
        return [self[field] for field in FIELDS]

    def add_service_error(self, error: DomainError) -> None:
        """Show an error from the address services under the field it names, or above the form."""
        self.add_error(error.field if error.field in self.fields else None, error.message)


class AddressBookForm(AddressForm):
    """An address for the address book: the fields, and whether it becomes the default."""

    make_default = forms.BooleanField(
        label=_("Make this my default address"),
        required=False,
        help_text=_("Checkout and courier pickup offer your default address first."),
    )
