"""The hosted payment page's card form. Only the sandbox's test cards are taken."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sandbox.payments import TEST_CARDS
from shipping.carriers.sandbox import luhn_digit


def luhn_valid(digits: str) -> bool:
    """The Luhn check every card number passes: a mistyped digit fails it."""
    return len(digits) > 1 and luhn_digit(digits[:-1]) == digits[-1]


class CardForm(forms.Form):
    card_number = forms.CharField(
        label=_("Card number"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "cc-number", "placeholder": "4242 4242 4242 4242"}
        ),
    )
    expiry = forms.CharField(
        label=_("Expiry (MM/YY)"),
        max_length=7,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "cc-exp", "placeholder": "12/34"}
        ),
    )
    cvc = forms.CharField(
        label=_("Security code (CVC)"),
        max_length=4,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "cc-csc", "placeholder": "123"}
        ),
    )

    def clean_card_number(self) -> str:
        digits = "".join(self.cleaned_data["card_number"].split()).replace("-", "")
        if not digits.isascii() or not digits.isdigit() or not 12 <= len(digits) <= 19:
            raise forms.ValidationError(_("Enter the card number: 12 to 19 digits."))
        if not luhn_valid(digits):
            raise forms.ValidationError(_("This card number is not valid. Check it for a typing mistake."))
        if digits not in TEST_CARDS:
            raise forms.ValidationError(_("This is the sandbox: use one of the test cards listed below."))
        return digits

    def clean_expiry(self) -> tuple[int, int]:
        month, _sep, year = self.cleaned_data["expiry"].replace(" ", "").partition("/")
        if not (month.isascii() and month.isdigit() and year.isascii() and year.isdigit()) or len(year) != 2:
            raise forms.ValidationError(_("Enter the expiry date as MM/YY."))
        month_number, year_number = int(month), 2000 + int(year)
        if not 1 <= month_number <= 12:
            raise forms.ValidationError(_("Enter the expiry date as MM/YY."))
        today = timezone.localdate()
        if (year_number, month_number) < (today.year, today.month):
            raise forms.ValidationError(_("This card has expired."))
        return month_number, year_number

    def clean_cvc(self) -> str:
        cvc = self.cleaned_data["cvc"].strip()
        if not cvc.isascii() or not cvc.isdigit() or len(cvc) not in (3, 4):
            raise forms.ValidationError(_("Enter the 3 or 4 digits on the back of the card."))
        return cvc
