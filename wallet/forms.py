"""Forms of the wallet pages. They check the shape of the input; the services check the rest (the
balance, the limits) and their errors are shown under the field they name."""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _


def new_request_key() -> str:
    """A fresh key for one render of the withdraw form: a double submit of that form withdraws once."""
    return secrets.token_urlsafe(16)


class WithdrawForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=12,
        decimal_places=2,
        error_messages={"required": _("Enter the amount to withdraw.")},
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0.01"}),
    )
    destination = forms.CharField(
        label=_("Pay to account or card number"),
        max_length=40,
        error_messages={"required": _("Enter the account or card number to pay to.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    request_key = forms.CharField(max_length=64, widget=forms.HiddenInput)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        error_messages={"required": _("Say why the withdrawal is refused.")},
    )
