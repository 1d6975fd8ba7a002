"""Serializers for the orders API. They read and validate; writes go through orders.services.

Input limits follow the model fields (a reason longer than its column is a 400 here, not a database
error); ids are bounded by what the database stores, so a huge number is a 400 too.
"""

from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from listings.models import ListingSource, thumbnail_url
from marketplace.api import MONEY
from orders.actions import OrderAction, order_actions
from orders.models import (
    DisputeOutcome,
    Order,
    OrderEvent,
    OrderStatus,
    ReturnRequest,
    ReturnStatus,
)
from shipping.carriers import CARRIERS, carrier_name
from shipping.models import ShipmentPurpose, ShipmentStatus

BIGGEST_ID = 2**63 - 1  # BigAutoField
COVER_WIDTH = 240  # the smallest thumbnail: what an order row shows
ADDRESS_FIELDS = (
    "ship_to_name",
    "ship_to_phone",
    "ship_to_region",
    "ship_to_city",
    "ship_to_address",
    "ship_to_postcode",
)


def postal_values(values: dict) -> dict[str, object]:
    """The ship_to_* fields of a request as accounts.addresses names them."""
    return {
        "name": values["ship_to_name"],
        "phone": values["ship_to_phone"],
        "region": values["ship_to_region"],
        "city": values["ship_to_city"],
        "street": values["ship_to_address"],
        "postcode": values["ship_to_postcode"],
    }


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


# --- Input --------------------------------------------------------------------------------------------


class OrderAddressSerializer(serializers.Serializer):
    """Where the item goes. The services check the phone number and what else an address needs."""

    ship_to_name = serializers.CharField(help_text="The recipient's name.", trim_whitespace=False)
    ship_to_phone = serializers.CharField(
        help_text="A mainland China mobile number (11 digits), or + and the country code.",
        trim_whitespace=False,
    )
    ship_to_region = serializers.CharField(help_text="Province or state.", trim_whitespace=False)
    ship_to_city = serializers.CharField(trim_whitespace=False)
    ship_to_address = serializers.CharField(
        help_text="The street address: district, street, building and room.", trim_whitespace=False
    )
    ship_to_postcode = serializers.CharField(trim_whitespace=False)


class OrderPlaceSerializer(serializers.Serializer):
    listing = serializers.IntegerField(min_value=1, max_value=BIGGEST_ID, help_text="The listing's id.")
    ship_to_name = serializers.CharField(required=False, trim_whitespace=False)
    ship_to_phone = serializers.CharField(required=False, trim_whitespace=False)
    ship_to_region = serializers.CharField(required=False, trim_whitespace=False)
    ship_to_city = serializers.CharField(required=False, trim_whitespace=False)
    ship_to_address = serializers.CharField(required=False, trim_whitespace=False)
    ship_to_postcode = serializers.CharField(required=False, trim_whitespace=False)

    default_error_messages = {
        "address_incomplete": _("Give the recipient, the phone and the address together.")
    }

    def validate(self, data: dict) -> dict:
        given = [name for name in ADDRESS_FIELDS if name in data]
        if given and len(given) != len(ADDRESS_FIELDS):
            message = self.error_messages["address_incomplete"]
            raise serializers.ValidationError(
                {name: [message] for name in ADDRESS_FIELDS if name not in data}
            )
        return data


class PaySerializer(serializers.Serializer):
    return_url = serializers.URLField(
        required=False,
        max_length=400,
        help_text="Where the payment page sends the buyer back to; a page of this site. Without it, the "
        "order's page.",
    )


class ShipSerializer(serializers.Serializer):
    carrier = serializers.CharField(
        max_length=40,
        help_text="The carrier's code: " + ", ".join(f"`{code}` ({name})" for code, name in CARRIERS) + ".",
    )
    tracking_number = serializers.CharField(max_length=40)


class ReturnRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why the item goes back.")


class DisputeOpenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="What is not as described.")
    checks = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIGGEST_ID),
        required=False,
        default=list,
        max_length=200,
        help_text="For an inspected item: the ids of the report's checks the buyer disputes "
        "(`item.report_checks`).",
    )


class RatingSubmitSerializer(serializers.Serializer):
    accuracy = serializers.IntegerField(min_value=1, max_value=5, help_text="Item as described, 1 to 5.")
    service = serializers.IntegerField(min_value=1, max_value=5, help_text="The seller's service, 1 to 5.")
    shipping = serializers.IntegerField(min_value=1, max_value=5, help_text="Shipping, 1 to 5.")
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DisputeResolveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DisputeOutcome.choices)
    refund_amount = serializers.DecimalField(
        **MONEY,
        min_value=Decimal("0.01"),
        required=False,
        allow_null=True,
        default=None,
        help_text="For `partial_refund`: how much goes back to the buyer.",
    )
    note = serializers.CharField(
        max_length=2000, help_text="The reason for the decision; both parties see it."
    )


class PageQuerySerializer(serializers.Serializer):
    cursor = serializers.CharField(
        required=False, max_length=512, help_text="Opaque page token from `next` or `previous`."
    )


# --- Output -------------------------------------------------------------------------------------------


class PaymentLinkSerializer(serializers.Serializer):
    payment_url = serializers.URLField(help_text="The provider's payment page: send the buyer there.")


class OrderItemSerializer(serializers.Serializer):
    """The item as it was bought (the title is the order's copy), with the listing's cover and report."""

    listing = serializers.IntegerField(source="listing_id")
    title = serializers.CharField()
    cover_url = serializers.SerializerMethodField(help_text="A small thumbnail of the first photo, or null.")
    report_code = serializers.SerializerMethodField(help_text="The inspection report's code, or null.")
    report_url = serializers.SerializerMethodField(help_text="The public inspection report, or null.")

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_cover_url(self, order: Order) -> str | None:
        key = order.listing.cover_key
        return _absolute(self.context.get("request"), thumbnail_url(key, COVER_WIDTH)) if key else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_report_code(self, order: Order) -> str | None:
        return order.listing.report_code or None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_report_url(self, order: Order) -> str | None:
        code = order.listing.report_code
        return (
            _absolute(self.context.get("request"), reverse("reports:detail", args=[code])) if code else None
        )


class OrderCardSerializer(serializers.ModelSerializer):
    """An order in a list: what a row shows, from the order and its listing (joined)."""

    status = serializers.ChoiceField(choices=OrderStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    shipping_fee = serializers.DecimalField(
        **MONEY,
        read_only=True,
        help_text="What the buyer pays for shipping on top of the price: a private seller's parcel; "
        "0 for Reloop's stock, which ships free.",
    )
    inspected_delivery = serializers.BooleanField(
        read_only=True,
        help_text="Inspected delivery (验货宝): the item goes through Reloop's inspection centre, which "
        "checks it against the listing; statuses `to_centre`, `inspecting` and `inspected` on the way.",
    )
    inspection_fee = serializers.DecimalField(
        **MONEY, read_only=True, help_text="What the buyer pays for inspected delivery; 0 without it."
    )
    total = serializers.DecimalField(
        **MONEY,
        read_only=True,
        help_text="What the buyer pays: the price, the shipping fee and any inspection fee.",
    )
    currency = serializers.SerializerMethodField()
    item = OrderItemSerializer(source="*", read_only=True)

    class Meta:
        model = Order
        fields = [
            "number",
            "status",
            "status_label",
            "price",
            "shipping_fee",
            "inspected_delivery",
            "inspection_fee",
            "total",
            "currency",
            "item",
            "created_at",
        ]
        read_only_fields = fields

    def get_currency(self, order: Order) -> str:
        return settings.CURRENCY


class OrderPartySerializer(serializers.Serializer):
    """A buyer or seller as the other side of an order sees them: never the e-mail address."""

    username = serializers.CharField()
    name = serializers.CharField(source="public_name")


class SaleCardSerializer(OrderCardSerializer):
    buyer = OrderPartySerializer(read_only=True)

    class Meta(OrderCardSerializer.Meta):
        fields = [*OrderCardSerializer.Meta.fields, "buyer"]
        read_only_fields = fields


class ShipToSerializer(serializers.Serializer):
    name = serializers.CharField(source="ship_to_name")
    phone = serializers.CharField(source="ship_to_phone")
    region = serializers.CharField(source="ship_to_region")
    city = serializers.CharField(source="ship_to_city")
    address = serializers.CharField(source="ship_to_address", help_text="The street address.")
    postcode = serializers.CharField(source="ship_to_postcode")


class CarrierEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField(source="occurred_at")
    kind = serializers.CharField(
        help_text="`picked_up`, `in_transit`, `out_for_delivery`, `delivered`, or as the carrier says."
    )
    text = serializers.CharField(help_text="What happened, in the request's language.")
    location = serializers.CharField(help_text="Where, as the carrier says; may be empty.")


class OrderTrackingSerializer(serializers.Serializer):
    carrier = serializers.CharField(help_text="The carrier's code.")
    carrier_name = serializers.SerializerMethodField(
        help_text="The carrier's name, in the request's language."
    )
    tracking_number = serializers.CharField()
    shipped_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    events = CarrierEventSerializer(
        source="shipment.events", many=True, read_only=True, help_text="The carrier's news, oldest first."
    )

    def get_carrier_name(self, order: Order) -> str:
        return carrier_name(order.carrier)


class PrepaidLabelSerializer(serializers.Serializer):
    """The label Reloop books for a private seller's parcel, paid from the buyer's shipping fee."""

    status = serializers.ChoiceField(
        choices=ShipmentStatus.choices,
        help_text="`requested` until the carrier has issued it (the order is then `shipped`), then as "
        "the parcel travels.",
    )
    status_label = serializers.CharField(source="get_status_display")
    label_url = serializers.SerializerMethodField(
        help_text="The label PDF to print, for the seller once issued; else null."
    )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_label_url(self, shipment) -> str | None:
        # The label is a page of the site (session sign-in), for the seller only.
        order, request = self.context.get("order"), self.context.get("request")
        if (
            order is None
            or request is None
            or order.seller_id != request.user.pk
            or not shipment.booked
            or not shipment.tracking_number
        ):
            return None
        return _absolute(request, reverse("orders:shipping_label", args=[order.number]))


class OrderEventSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices, source="new", read_only=True)
    status_label = serializers.CharField(source="get_new_display", read_only=True)
    previous_status = serializers.CharField(
        source="old", read_only=True, help_text="Empty for the first event."
    )
    note = serializers.CharField(
        source="text",
        read_only=True,
        help_text="What happened, in the request's language: Reloop's message, then what a person typed.",
    )
    message = serializers.CharField(
        read_only=True, help_text="The code of Reloop's message; empty when only a person wrote the note."
    )
    params = serializers.DictField(
        read_only=True,
        help_text="The message's parameters: amounts as decimal strings, dates in ISO form, reasons as codes.",
    )

    class Meta:
        model = OrderEvent
        fields = ["at", "previous_status", "status", "status_label", "note", "message", "params"]
        read_only_fields = fields


class OrderReturnSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=ReturnStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    carrier = serializers.CharField(read_only=True, help_text="The carrier's code; empty until there is one.")
    carrier_name = serializers.SerializerMethodField()
    tracking_number = serializers.CharField(read_only=True)
    has_label = serializers.SerializerMethodField(
        help_text="Whether a free return label was issued (inspected items go back to the centre)."
    )
    label_url = serializers.SerializerMethodField(
        help_text="The label PDF to print, for the buyer; else null."
    )

    class Meta:
        model = ReturnRequest
        fields = [
            "status",
            "status_label",
            "reason",
            "carrier",
            "carrier_name",
            "tracking_number",
            "has_label",
            "label_url",
            "created_at",
            "received_at",
        ]
        read_only_fields = fields

    def get_carrier_name(self, returned: ReturnRequest) -> str:
        return carrier_name(returned.carrier) if returned.carrier else ""

    def get_has_label(self, returned: ReturnRequest) -> bool:
        # Booking a label stores its tracking number with it; a person-to-person buyer's own tracking
        # number comes with no label. The PDF itself is read only when it is downloaded.
        return bool(returned.tracking_number) and returned.order.is_inspected_stock

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_label_url(self, returned: ReturnRequest) -> str | None:
        # The label is a page of the site (session sign-in), for the buyer only.
        order, request = self.context.get("order"), self.context.get("request")
        if (
            not self.get_has_label(returned)
            or order is None
            or request is None
            or order.buyer_id != request.user.pk
        ):
            return None
        return _absolute(request, reverse("orders:return_label", args=[order.number]))


class OrderDisputeSerializer(serializers.Serializer):
    reason = serializers.CharField()
    checks = serializers.SerializerMethodField(help_text="The ids of the report's checks it disputes.")
    outcome = serializers.CharField(
        help_text="`full_refund`, `partial_refund` or `rejected`; empty until staff decide."
    )
    outcome_label = serializers.CharField(source="get_outcome_display")
    refund_amount = serializers.DecimalField(**MONEY, allow_null=True)
    resolution_note = serializers.CharField()
    created_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_checks(self, dispute) -> list[int]:
        # The detail read prefetches them; the staff queue does not show them.
        return [check.pk for check in dispute.disputed_checks.all()]


class ReportCheckSerializer(serializers.Serializer):
    """One check of the item's inspection report, as a dispute may point at it."""

    id = serializers.IntegerField(help_text="Send in a dispute's `checks`.")
    code = serializers.CharField(source="check_item.code")
    label = serializers.CharField(source="check_item.display_label", help_text="In the request's language.")  # type: ignore[assignment]  # a declared field: the serializer's metaclass takes it off the class
    outcome = serializers.CharField(help_text="`pass` or `defect`.")
    outcome_label = serializers.CharField(source="get_outcome_display")
    note = serializers.CharField()


class OrderRatingSerializer(serializers.Serializer):
    accuracy = serializers.IntegerField()
    service = serializers.IntegerField()
    shipping = serializers.IntegerField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class OrderDetailSerializer(OrderCardSerializer):
    """One order with everything its buyer, its seller or operations may see, and what the reader may
    do with it now (`actions`)."""

    source = serializers.ChoiceField(choices=ListingSource.choices, read_only=True)  # type: ignore[assignment]  # a declared field: the serializer's metaclass takes it off the class
    buyer = OrderPartySerializer(read_only=True)
    seller = OrderPartySerializer(read_only=True)
    address = ShipToSerializer(source="*", read_only=True)
    tracking = serializers.SerializerMethodField(help_text="Once shipped; else null.")
    prepaid_label = serializers.SerializerMethodField(
        help_text="The prepaid label of a private seller's parcel, once the seller asked for one "
        "(`orders_label`); else null."
    )
    timeline = OrderEventSerializer(source="events", many=True, read_only=True)
    return_request = serializers.SerializerMethodField(help_text="The return, if the buyer asked for one.")
    dispute = serializers.SerializerMethodField(help_text="The dispute, if the buyer opened one.")
    rating = serializers.SerializerMethodField(help_text="The buyer's rating of the seller, once given.")
    return_window_closes_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Until when a return or dispute may be opened."
    )
    report_checks = serializers.SerializerMethodField(
        help_text="The checks of the item's inspection report, in checklist order; empty for a person's "
        "item, which had none."
    )
    actions = serializers.SerializerMethodField(help_text="What you may do with this order now.")

    class Meta(OrderCardSerializer.Meta):
        fields = [
            *OrderCardSerializer.Meta.fields,
            "source",
            "buyer",
            "seller",
            "reserved_until",
            "paid_at",
            "completed_at",
            "address",
            "tracking",
            "prepaid_label",
            "timeline",
            "return_request",
            "dispute",
            "rating",
            "return_window_closes_at",
            "report_checks",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(OrderTrackingSerializer(allow_null=True))
    def get_tracking(self, order: Order) -> dict | None:
        return OrderTrackingSerializer(order).data if order.tracking_number else None

    @extend_schema_field(PrepaidLabelSerializer(allow_null=True))
    def get_prepaid_label(self, order: Order) -> dict | None:
        shipment = order.shipment
        if (
            shipment is None
            or shipment.purpose != ShipmentPurpose.PERSON_TO_PERSON
            or shipment.status == ShipmentStatus.CANCELLED
            or not (shipment.booked or shipment.status == ShipmentStatus.REQUESTED)
        ):
            return None
        return PrepaidLabelSerializer(shipment, context={**self.context, "order": order}).data

    @extend_schema_field(OrderReturnSerializer(allow_null=True))
    def get_return_request(self, order: Order) -> dict | None:
        returned = getattr(order, "return_request", None)
        if returned is None:
            return None
        return OrderReturnSerializer(returned, context={**self.context, "order": order}).data

    @extend_schema_field(OrderDisputeSerializer(allow_null=True))
    def get_dispute(self, order: Order) -> dict | None:
        dispute = getattr(order, "dispute", None)
        return OrderDisputeSerializer(dispute).data if dispute is not None else None

    @extend_schema_field(OrderRatingSerializer(allow_null=True))
    def get_rating(self, order: Order) -> dict | None:
        rating = getattr(order, "rating", None)
        return OrderRatingSerializer(rating).data if rating is not None else None

    @extend_schema_field(ReportCheckSerializer(many=True))
    def get_report_checks(self, order: Order) -> list[dict]:
        # Read by the view (`report_checks` in the context), so that serializing queries nothing.
        return ReportCheckSerializer(self.context.get("report_checks", ()), many=True).data  # type: ignore[return-value]  # many=True gives a ListSerializer, whose data is a list

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=OrderAction.choices)))
    def get_actions(self, order: Order) -> list[str]:
        request = self.context["request"]
        operations = self.context.get("operations", False)
        return [action.value for action in order_actions(order, user=request.user, operations=operations)]


# --- Staff queues -------------------------------------------------------------------------------------


class DisputeSummarySerializer(serializers.Serializer):
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class DisputeQueueSerializer(OrderCardSerializer):
    """An order in dispute, as the operations queue lists it; its detail has the disputed checks."""

    buyer = OrderPartySerializer(read_only=True)
    seller = OrderPartySerializer(read_only=True)
    delivered_at = serializers.DateTimeField(read_only=True)
    dispute = DisputeSummarySerializer(read_only=True)

    class Meta(OrderCardSerializer.Meta):
        fields = [*OrderCardSerializer.Meta.fields, "buyer", "seller", "delivered_at", "dispute"]
        read_only_fields = fields


class ToShipSerializer(OrderCardSerializer):
    """A paid order for inspected stock, with where to send it."""

    paid_at = serializers.DateTimeField(read_only=True)
    address = ShipToSerializer(source="*", read_only=True)

    class Meta(OrderCardSerializer.Meta):
        fields = [*OrderCardSerializer.Meta.fields, "paid_at", "address"]
        read_only_fields = fields


class ReturnQueueSerializer(OrderCardSerializer):
    """An inspected item on its way back to the centre, with its return's tracking."""

    return_request = OrderReturnSerializer(read_only=True)

    class Meta(OrderCardSerializer.Meta):
        fields = [*OrderCardSerializer.Meta.fields, "return_request"]
        read_only_fields = fields


class InspectedDeliverySerializer(serializers.Serializer):
    chosen = serializers.BooleanField(
        help_text="True to have Reloop inspect the item on the way (INSPECTED_DELIVERY_FEE more), false to drop it."
    )
