"""Buying and selling: place an order, pay, follow it, ship it, confirm receipt, return it, dispute it,
rate the seller.

Every endpoint needs a signed-in user (401 otherwise). A buyer and a seller find only orders they are
party to, and operations find any; for anyone else an order answers 404 exactly as a missing one
does. A party calling an action that is not theirs (a buyer marking it shipped) gets 403
`not_allowed`; an action the order's status rules out gets 409 `invalid_transition`. Bad input
answers 400 with the message under the field to fix; errors found by the services also carry their
`code` and `detail`.

Placing an order for a listing that does not exist, or that its seller has not put on sale, answers
404 `listing_not_found` (a draft is not revealed as existing); one's own listing and a withdrawn one
are 400 (`own_listing`, `not_on_sale`); a reserved or sold one is 409 `item_unavailable`.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_user
from listings.api.serializers import ErrorSerializer
from marketplace.errors import InvalidTransition
from marketplace.pagination import page_data, page_serializer
from orders.api.base import (
    BAD_INPUT,
    NOT_FOUND,
    NOT_NOW,
    NOT_YOURS,
    STAFF_ONLY,
    Operations,
    OrderAPIView,
    not_now_response,
)
from orders.api.serializers import (
    ADDRESS_FIELDS,
    DisputeOpenSerializer,
    InspectedDeliverySerializer,
    OrderAddressSerializer,
    OrderCardSerializer,
    OrderDetailSerializer,
    OrderPlaceSerializer,
    PageQuerySerializer,
    PaymentLinkSerializer,
    PaySerializer,
    RatingSubmitSerializer,
    ReturnRequestSerializer,
    SaleCardSerializer,
    ShipSerializer,
    postal_values,
)
from orders.errors import ItemUnavailable
from orders.models import Order
from orders.selectors import orders_for_buyer, sales_for_seller
from orders.services.checkout import order_address_set, order_cancel, order_place, payment_start
from orders.services.fulfilment import (
    order_confirm_receipt,
    order_label_book,
    order_mark_delivered,
    order_mark_shipped,
)
from orders.services.inspected import order_inspection_choose
from orders.services.ratings import rating_submit
from orders.services.returns import (
    dispute_open,
    return_mark_received,
    return_request,
    return_tracking_set,
    return_withdraw,
)

OrderPageSerializer = page_serializer(OrderCardSerializer, name="OrderPage")
SalePageSerializer = page_serializer(SaleCardSerializer, name="SalePage")

PAGE_ERROR = OpenApiResponse(
    ErrorSerializer, description="`invalid_cursor`: a page link that is no longer valid."
)


class UnavailableSerializer(ErrorSerializer):
    reason = serializers.ChoiceField(
        choices=[("reserved", "reserved"), ("sold", "sold")],
        help_text="`reserved`: someone else is paying for it now (it may come back on sale); `sold`.",
    )


UNAVAILABLE = OpenApiResponse(
    UnavailableSerializer,
    description="`item_unavailable`: somebody else reserved or bought the item first.",
)
PROVIDER_DOWN = OpenApiResponse(
    ErrorSerializer, description="`payment_unavailable`: the payment service is not answering; try again."
)


class OrderListView(OrderAPIView):
    @extend_schema(
        operation_id="orders_list",
        summary="Your purchases, newest first",
        parameters=[PageQuerySerializer],
        responses={200: OrderPageSerializer, 400: PAGE_ERROR},
        tags=["orders"],
    )
    def get(self, request: Request) -> Response:
        query = PageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = orders_for_buyer(buyer=api_user(request), cursor=query.validated_data.get("cursor"))
        return Response(page_data(page, request=request, serializer_class=OrderCardSerializer))

    @extend_schema(
        operation_id="orders_create",
        summary="Buy now: reserve a unique item while you pay",
        description="Reserves the listing for the buyer for `RESERVATION_MINUTES` (15 by default); pay "
        "with `orders_pay` before it lapses. Only one buyer can have it: everyone else gets 409 "
        "`item_unavailable`. Asking again for a listing you have already reserved answers 200 with that "
        "order. The address may come now (all six fields) or with `orders_address`.",
        request=OrderPlaceSerializer,
        responses={
            201: OrderDetailSerializer,
            200: OpenApiResponse(OrderDetailSerializer, description="You already reserved it: that order."),
            400: BAD_INPUT,
            404: OpenApiResponse(
                ErrorSerializer, description="`listing_not_found`: no such listing on sale."
            ),
            403: OpenApiResponse(
                ErrorSerializer,
                description="`email_unconfirmed`: confirm your e-mail address before buying.",
            ),
            409: UNAVAILABLE,
            429: OpenApiResponse(
                ErrorSerializer,
                description="`too_many_reservations`: you hold as many unpaid reservations as one "
                "account may (3 by default); `reservation_cooldown`: several of yours lapsed lately, "
                "`detail` says from when you may reserve again.",
            ),
        },
        tags=["orders"],
    )
    def post(self, request: Request) -> Response:
        asked_at = timezone.now()
        serializer = OrderPlaceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        try:
            # The address belongs to the same use case: an order is not left placed without the
            # address the buyer sent with it.
            with transaction.atomic():
                order = order_place(buyer=api_user(request), listing_id=values["listing"])
                if ADDRESS_FIELDS[0] in values:
                    order_address_set(
                        order_id=order.pk, buyer=api_user(request), address=postal_values(values)
                    )
        except ItemUnavailable as error:
            # One code for every "somebody else got it first"; `reason` says whether it is reserved
            # or sold.
            return Response(
                {"code": ItemUnavailable.code, "detail": str(error), "reason": error.code},
                status=status.HTTP_409_CONFLICT,
            )
        except InvalidTransition as error:
            return not_now_response(error)
        placed_now = order.created_at >= asked_at
        return self.render_order(
            order.number, status_code=status.HTTP_201_CREATED if placed_now else status.HTTP_200_OK
        )


class SaleListView(OrderAPIView):
    @extend_schema(
        operation_id="sales_list",
        summary="Orders for your listings, newest first",
        description="Orders that lapsed or were cancelled before payment are left out.",
        parameters=[PageQuerySerializer],
        responses={200: SalePageSerializer, 400: PAGE_ERROR},
        tags=["orders"],
    )
    def get(self, request: Request) -> Response:
        query = PageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = sales_for_seller(seller=api_user(request), cursor=query.validated_data.get("cursor"))
        return Response(page_data(page, request=request, serializer_class=SaleCardSerializer))


class OrderDetailView(OrderAPIView):
    @extend_schema(
        operation_id="orders_retrieve",
        summary="One order: status, item, address, tracking, timeline, return, dispute, rating",
        description="For its buyer and its seller (and operations). `actions` lists what you may do "
        "with it now; each is one endpoint below.",
        responses={200: OrderDetailSerializer, 404: NOT_FOUND},
        tags=["orders"],
    )
    def get(self, request: Request, number: str) -> Response:
        return self.render_order(number)


def _action_schema(operation_id: str, summary: str, *, request=None, description: str = "", forbidden=True):
    responses = {200: OrderDetailSerializer, 400: BAD_INPUT, 404: NOT_FOUND, 409: NOT_NOW}
    if forbidden:
        responses[403] = NOT_YOURS
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=description,
        request=request,
        responses=responses,
        tags=["orders"],
    )


class OrderAddressView(OrderAPIView):
    @_action_schema(
        "orders_address",
        "Set where the item goes, before paying",
        request=OrderAddressSerializer,
        description="All six fields, each checked; may be changed until the order is paid.",
    )
    def post(self, request: Request, number: str) -> Response:
        serializer = OrderAddressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        return self.act(
            number,
            order_address_set,
            buyer=api_user(request),
            address=postal_values(values),
        )


class OrderPayView(OrderAPIView):
    @extend_schema(
        operation_id="orders_pay",
        summary="Open the payment page for a reserved order",
        description="Answers the provider's hosted payment page; send the buyer there. The order turns "
        "`paid` when the provider confirms the payment (its webhook), not when the page opens. Asking "
        "again gives a page for the same payment attempt.",
        request=PaySerializer,
        responses={
            200: PaymentLinkSerializer,
            400: BAD_INPUT,
            403: NOT_YOURS,
            404: NOT_FOUND,
            409: NOT_NOW,
            503: PROVIDER_DOWN,
        },
        tags=["orders"],
    )
    def post(self, request: Request, number: str) -> Response:
        order_id = self.order_id(number)
        serializer = PaySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return_url = serializer.validated_data.get("return_url") or request.build_absolute_uri(
            reverse("orders:detail", args=[number.upper()])
        )
        if not _on_this_site(request, return_url):
            message = _("Give the address of a page on this site.")
            return Response(
                {"code": "return_url", "detail": message, "return_url": [message]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            payment = payment_start(order_id=order_id, buyer=api_user(request), return_url=return_url)
        except Order.DoesNotExist as error:
            raise Http404 from error
        except InvalidTransition as error:
            return not_now_response(error)
        return Response(PaymentLinkSerializer({"payment_url": payment.hosted_url}).data)


def _on_this_site(request: Request, url: str) -> bool:
    """Whether `url` is an absolute http(s) address on this site (the request's host or SITE_URL's):
    the payment page must not become a way to send a buyer to someone else's site."""
    hosts = {request.get_host(), urlsplit(settings.SITE_URL).netloc}
    return urlsplit(url).scheme in ("http", "https") and url_has_allowed_host_and_scheme(
        url, allowed_hosts=hosts
    )


class OrderCancelView(OrderAPIView):
    @_action_schema("orders_cancel", "Give up a reserved order before paying; the item goes back on sale")
    def post(self, request: Request, number: str) -> Response:
        return self.act(number, order_cancel, buyer=api_user(request))


class OrderInspectedDeliveryView(OrderAPIView):
    @_action_schema(
        "orders_inspected_delivery",
        "Choose inspected delivery (验货宝) before paying",
        request=InspectedDeliverySerializer,
        description="For a private seller's item in a category Reloop inspects: the seller ships to the "
        "inspection centre, which checks the item against the listing; if it matches it goes on to you "
        "with its report, if not it goes back to the seller and you are refunded in full. Adds "
        "`inspection_fee` to `total`. 400 `not_inspectable` for other items, `payment_open` while a "
        "payment page for the old total is open.",
    )
    def post(self, request: Request, number: str) -> Response:
        serializer = InspectedDeliverySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.act(
            number,
            order_inspection_choose,
            buyer=api_user(request),
            chosen=serializer.validated_data["chosen"],
        )


class OrderShipView(OrderAPIView):
    @_action_schema(
        "orders_ship",
        "Mark a paid order shipped, with its tracking number",
        request=ShipSerializer,
        description="The seller of a person-to-person sale; operations for platform and consigned stock.",
    )
    def post(self, request: Request, number: str) -> Response:
        serializer = ShipSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.act(number, order_mark_shipped, by=api_user(request), **serializer.validated_data)


class OrderLabelView(OrderAPIView):
    @_action_schema(
        "orders_label",
        "Book a prepaid label for a paid person-to-person order",
        description="The seller of a private sale whose buyer paid a shipping fee (`shipping_fee`): "
        "Reloop books a drop-off label from the seller's default address to the buyer's with its "
        "carrier, paid from that fee. When the carrier has issued it (usually at once; if the carrier "
        "is down, within minutes) the order is `shipped`, `tracking` has the tracking number and "
        "`prepaid_label.label_url` the PDF to print; until then `prepaid_label.status` is `requested`. "
        "Asking again books nothing more. 403 `not_allowed` for the buyer and for Reloop's own stock; "
        "409 `invalid_transition` for an order that is not paid, `already_shipped` once it has shipped; "
        "400 `no_shipping_fee` for an order the buyer paid no shipping fee for.",
    )
    def post(self, request: Request, number: str) -> Response:
        return self.act(number, order_label_book, by=api_user(request))


class OrderDeliveredView(OrderAPIView):
    permission_classes = (IsAuthenticated, Operations)

    @extend_schema(
        operation_id="orders_delivered",
        summary="Mark a shipped order delivered (operations)",
        description="The carrier's webhook usually does this; the return window starts now.",
        request=None,
        responses={200: OrderDetailSerializer, 403: STAFF_ONLY, 404: NOT_FOUND, 409: NOT_NOW},
        tags=["orders"],
    )
    def post(self, request: Request, number: str) -> Response:
        return self.act(number, order_mark_delivered, by=api_user(request))


class OrderConfirmView(OrderAPIView):
    @_action_schema(
        "orders_confirm",
        "Confirm receipt: the sale completes and the seller is paid",
        description="The buyer, once the order is shipped or delivered. Without it the order completes "
        "by itself when the return window closes.",
    )
    def post(self, request: Request, number: str) -> Response:
        return self.act(number, order_confirm_receipt, buyer=api_user(request))


class ReturnRequestView(OrderAPIView):
    @_action_schema(
        "orders_return",
        "Ask to return the item, within the return window",
        request=ReturnRequestSerializer,
        description="Inspected items go back to the centre on a free label (`return_request.has_label`); "
        "a person-to-person buyer sends it to the seller and adds the tracking number.",
    )
    def post(self, request: Request, number: str) -> Response:
        serializer = ReturnRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.act(number, return_request, buyer=api_user(request), **serializer.validated_data)


class ReturnTrackingView(OrderAPIView):
    @_action_schema(
        "orders_return_tracking",
        "Add (or correct) the tracking number of the parcel sent back to the seller",
        request=ShipSerializer,
    )
    def post(self, request: Request, number: str) -> Response:
        serializer = ShipSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.act(number, return_tracking_set, buyer=api_user(request), **serializer.validated_data)


class ReturnWithdrawView(OrderAPIView):
    @_action_schema("orders_return_withdraw", "Keep the item after all: the return is withdrawn")
    def post(self, request: Request, number: str) -> Response:
        return self.act(number, return_withdraw, buyer=api_user(request))


class ReturnReceivedView(OrderAPIView):
    @_action_schema(
        "orders_return_received",
        "The returned item arrived: the buyer is refunded in full",
        description="The seller of a person-to-person sale; operations for inspected stock.",
    )
    def post(self, request: Request, number: str) -> Response:
        return self.act(number, return_mark_received, by=api_user(request))


class DisputeOpenView(OrderAPIView):
    @_action_schema(
        "orders_dispute",
        "Not as described: open a dispute, within the return window",
        request=DisputeOpenSerializer,
        description="For an inspected item, `checks` may name checks of its inspection report.",
    )
    def post(self, request: Request, number: str) -> Response:
        serializer = DisputeOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        return self.act(
            number,
            dispute_open,
            buyer=api_user(request),
            reason=values["reason"],
            check_ids=values["checks"],
        )


class RatingView(OrderAPIView):
    @_action_schema(
        "orders_rating",
        "Rate the seller of a completed order",
        request=RatingSubmitSerializer,
    )
    def post(self, request: Request, number: str) -> Response:
        serializer = RatingSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.act(number, rating_submit, buyer=api_user(request), **serializer.validated_data)
