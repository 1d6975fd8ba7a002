"""The seller's free-shipping pages: choose a courier pickup slot or a drop-off, then the tracking
number and the label.

Booking is the owner's alone: anyone else's submission is a 404, as one that does not exist. The
label may also be opened by staff (the receiving desk reprints torn labels).
"""

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.addresses import FIELDS
from accounts.errors import AddressError
from accounts.forms import AddressForm
from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import default_address_of
from listings.photos import private_file_response
from recycling.errors import ShippingError
from recycling.models import Submission, SubmissionStatus
from recycling.selectors import submissions_visible_to
from recycling.services.shipping import live_inbound_shipment, pickup_slots, shipping_book
from shipping.carriers import CarrierUnavailable
from shipping.models import ShippingMethod
from shipping.services import address_of, label_file

# Which form field a service error belongs under; anything else is shown above the form.
ERROR_FIELDS = {"slot_required": "slot", "slot_unavailable": "slot", "method_invalid": "method"}


def slot_value(start: datetime) -> str:
    return str(int(start.timestamp()))


def slot_label(start: datetime, end: datetime) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    return _("%(day)s, %(start)s to %(end)s") % {
        # The weekday and the locale's own month-day order ("Monday, November 23" / "11月23日 星期一").
        "day": _("%(weekday)s, %(month_day)s")
        % {"weekday": date_format(start, "l"), "month_day": date_format(start, "MONTH_DAY_FORMAT")},
        "start": date_format(start, "H:i"),
        "end": date_format(end, "H:i"),
    }


class ShippingForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("How will the parcel leave?"),
        choices=ShippingMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose a courier pickup or a drop-off.")},
    )
    # A slot's start as a Unix timestamp; the carrier decides whether it is still free.
    slot = forms.CharField(required=False, max_length=20)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("method") != ShippingMethod.PICKUP:
            cleaned["pickup_start"] = None
            return cleaned
        raw = (cleaned.get("slot") or "").strip()
        try:
            cleaned["pickup_start"] = datetime.fromtimestamp(int(raw), tz=UTC)
        except (ValueError, OverflowError, OSError):
            self.add_error("slot", _("Choose a pickup slot."))
        return cleaned


def _address_form(submission: Submission, data=None) -> AddressForm:
    """The address the courier collects from and the item comes back to: the seller's default
    address to start with."""
    default = default_address_of(submission.seller) if data is None else None
    return AddressForm(data, prefix="address", initial=default.postal.as_dict() if default else {})


def _wants_address(data) -> bool:
    """A pickup needs an address; a drop-off takes one when the seller typed one."""
    return data.get("method") == ShippingMethod.PICKUP or any(
        str(data.get(f"address-{field}", "")).strip() for field in FIELDS
    )


def _booking_page(
    request: HttpRequest,
    submission: Submission,
    form: ShippingForm | None = None,
    address_form: AddressForm | None = None,
) -> HttpResponse:
    shipment = live_inbound_shipment(submission)
    slots: list[dict] = []
    slots_unavailable = False
    bookable = shipment is None and submission.status == SubmissionStatus.ESTIMATED
    if bookable:
        try:
            slots = [
                {"value": slot_value(start), "label": slot_label(start, end)} for start, end in pickup_slots()
            ]
        except CarrierUnavailable:
            slots_unavailable = True
    chosen = form["slot"].value() if form is not None else ""
    return render(
        request,
        "recycling/shipping/book.html",
        {
            "submission": submission,
            "shipment": shipment,
            "window": slot_label(shipment.pickup_start, shipment.pickup_end)
            if shipment is not None and shipment.pickup_start and shipment.pickup_end
            else "",
            "bookable": bookable,
            "form": form or ShippingForm(initial={"method": ShippingMethod.PICKUP}),
            "address_form": address_form or _address_form(submission),
            "sender": address_of(shipment.sender) if shipment is not None else None,
            "slots": slots,
            "chosen_slot": chosen,
            "slots_unavailable": slots_unavailable,
            "cancel_days": settings.LABEL_UNUSED_CANCEL_DAYS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def book(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(
        Submission.objects.select_related("category", "seller"), pk=pk, seller_id=request.user.pk
    )
    if request.method != "POST":
        return _booking_page(request, submission)
    form = ShippingForm(request.POST)
    address_form = _address_form(submission, request.POST)
    wants_address = _wants_address(request.POST)
    if form.is_valid() and (not wants_address or address_form.is_valid()):
        try:
            shipment = shipping_book(
                submission_id=submission.pk,
                seller=request.user,
                method=form.cleaned_data["method"],
                pickup_start=form.cleaned_data["pickup_start"],
                address=address_form.postal_address() if wants_address else None,
            )
        except AddressError as error:
            address_form.add_service_error(error)
        except ShippingError as error:
            if error.code == "address_required":
                address_form.add_error(None, error.message)
            else:
                form.add_error(ERROR_FIELDS.get(error.code), error.message)
        except Submission.DoesNotExist:
            raise Http404 from None
        else:
            messages.success(
                request,
                _("Free shipping is booked. Your tracking number is %(tracking)s.")
                % {"tracking": shipment.tracking_number},
            )
            return redirect("shipping:book", pk=submission.pk)
    submission.refresh_from_db(fields=["status"])
    return _booking_page(request, submission, form, address_form)


@login_required
@require_GET
def label(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The label PDF of the submission's live inbound shipment: its owner and staff only."""
    submission = get_object_or_404(submissions_visible_to(request.user), pk=pk)
    shipment = live_inbound_shipment(submission)
    if shipment is None:
        raise Http404
    return private_file_response(
        label_file(shipment),
        content_type="application/pdf",
        cache_control="private, no-store",
        filename=f"reloop-label-{submission.code}.pdf",
    )
