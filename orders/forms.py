"""Forms for the order pages. Each checks the shape of what was typed (required, lengths, choices);
whether the order may take the action is the service's call, and its OrderError lands on the form
under the field it names (`OrderError.field`), or above the form when it names none."""

from collections.abc import Sequence
from decimal import Decimal
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.forms import AddressForm
from inspection.models import CheckResult
from marketplace.errors import DomainError
from marketplace.money import CENT
from orders.models import Dispute, DisputeOutcome, Rating, ReturnRequest
from shipping.carriers import CARRIERS
from shipping.models import Shipment

SCORES = [(score, str(score)) for score in range(5, 0, -1)]


def _text(label, *, max_length: int | None, required_message, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, error_messages={"required": required_message}, **kwargs
    )


class OrderForm(forms.Form):
    """A form whose service errors are shown where they belong."""

    def add_service_error(self, error: DomainError) -> None:
        field = getattr(error, "field", None)
        self.add_error(field if field in self.fields else None, error.message)


class CheckoutAddressForm(AddressForm):
    """Where the item goes, and whether to keep the address for next time."""

    save_to_book = forms.BooleanField(label=_("Save this address to my address book"), required=False)
    # Offered only for a private seller's item in an inspected category (see the checkout view).
    inspected_delivery = forms.BooleanField(label=_("Inspected delivery"), required=False)


class ShipForm(OrderForm):
    carrier = forms.ChoiceField(
        label=_("Carrier"),
        choices=[("", _("Choose the carrier")), *CARRIERS],
        error_messages={
            "required": _("Which carrier is taking the parcel?"),
            "invalid_choice": _("Choose the carrier from the list."),
        },
    )
    tracking_number = _text(
        _("Tracking number"),
        max_length=Shipment._meta.get_field("tracking_number").max_length,
        required_message=_("Enter the tracking number so the buyer can follow the parcel."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )


class ReturnForm(OrderForm):
    reason = _text(
        _("Why are you sending it back?"),
        max_length=ReturnRequest._meta.get_field("reason").max_length,
        required_message=_("Please say why you are returning the item."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnTrackingForm(ShipForm):
    """The return parcel's carrier and tracking number, entered by a person-to-person buyer."""


class DisputeForm(OrderForm):
    reason = _text(
        _("What is not as described?"),
        max_length=Dispute._meta.get_field("reason").max_length,
        required_message=_("Please describe what is not as described."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    check_ids = forms.ModelMultipleChoiceField(
        label=_("Which checks of the inspection report are wrong?"),
        queryset=CheckResult.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose checks from this item's inspection report.")},
    )

    def __init__(self, *args, check_results: Sequence[CheckResult] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["check_ids"])
        field.queryset = CheckResult.objects.filter(pk__in=[result.pk for result in check_results])
        # The choices come from the results already read for the page: no query to draw them.
        field.choices = [(result.pk, result.check_item.display_label) for result in check_results]
        if not check_results:
            del self.fields["check_ids"]


def _score(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Give a score from 1 to 5 for each."),
            "invalid_choice": _("A score is a whole number from 1 to 5."),
        },
    )


class RatingForm(OrderForm):
    accuracy = _score(_("Item as described"))
    service = _score(_("Service"))
    shipping = _score(pgettext_lazy("rating", "Shipping"))
    comment = forms.CharField(
        label=_("Comment"),
        max_length=Rating._meta.get_field("comment").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResolveForm(OrderForm):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=DisputeOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    refund_amount = forms.DecimalField(
        label=_("Refund"),
        required=False,
        min_value=CENT,
        max_digits=12,
        decimal_places=2,
        help_text=_("Only for a partial refund: how much of the price the buyer gets back."),
    )
    note = _text(
        _("Reason for the decision"),
        max_length=Dispute._meta.get_field("resolution_note").max_length,
        required_message=_("Say why: the buyer and the seller both read it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, price: Decimal, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["refund_amount"].widget.attrs.update({"max": str(price), "step": "0.01"})
