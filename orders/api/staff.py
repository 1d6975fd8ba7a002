"""The operations queues: disputes to decide, inspected stock to ship, returns on their way back.

Signed-in members of `operations` only: anonymous requests answer 401, anyone else 403. Each queue is
a keyset page, oldest first (the order it is worked through). Shipping, delivery and receiving a
return are the order endpoints (`orders_ship`, `orders_delivered`, `orders_return_received`), which
operations may call on any order.
"""

from collections.abc import Sequence

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_user
from listings.api.serializers import ErrorSerializer
from marketplace.pagination import page_data, page_serializer
from orders.api.base import BAD_INPUT, NOT_FOUND, NOT_NOW, SIGN_IN, STAFF_ONLY, Operations, OrderAPIView
from orders.api.serializers import (
    DisputeQueueSerializer,
    DisputeResolveSerializer,
    OrderDetailSerializer,
    PageQuerySerializer,
    ReturnQueueSerializer,
    ToShipSerializer,
)
from orders.selectors import disputes_open, orders_to_ship_from_centre, returns_to_receive
from orders.services.returns import dispute_resolve
from providers.permissions import PlatformOperations
from providers.scope import provider_scope

DisputePageSerializer = page_serializer(DisputeQueueSerializer, name="DisputeQueuePage")
ToShipPageSerializer = page_serializer(ToShipSerializer, name="ToShipPage")
ReturnPageSerializer = page_serializer(ReturnQueueSerializer, name="ReturnQueuePage")

PAGE_ERROR = OpenApiResponse(
    ErrorSerializer, description="`invalid_cursor`: a page link that is no longer valid."
)


class StaffAPIView(OrderAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated, Operations)

    def in_operations(self) -> bool:
        return True  # the permission has checked the group

    def queue(self, request: Request, selector, serializer_class) -> Response:
        query = PageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        # A partner's staff see the orders of the items their centre holds (providers.scope).
        page = selector(cursor=query.validated_data.get("cursor"), provider_id=provider_scope(request.user))
        return Response(page_data(page, request=request, serializer_class=serializer_class))


QUEUE_RESPONSES = {400: PAGE_ERROR, 401: SIGN_IN, 403: STAFF_ONLY}


class DisputeQueueView(StaffAPIView):
    @extend_schema(
        operation_id="staff_disputes_list",
        summary="Open disputes, earliest delivered first",
        parameters=[PageQuerySerializer],
        responses={200: DisputePageSerializer, **QUEUE_RESPONSES},
        tags=["operations"],
    )
    def get(self, request: Request) -> Response:
        return self.queue(request, disputes_open, DisputeQueueSerializer)


class DisputeResolveView(StaffAPIView):
    # A provider is judged on the disputes about its reports: Reloop's own operations decide them.
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated, PlatformOperations)

    @extend_schema(
        operation_id="staff_disputes_resolve",
        summary="Decide a dispute: full or partial refund, or rejection, with the reason",
        description="A full refund returns the price to the buyer's card; a partial one returns "
        "`refund_amount` (more than 0, less than the price) and pays the seller side the rest; a "
        "rejection pays the seller side in full. `note` is the reason both parties see.",
        request=DisputeResolveSerializer,
        responses={
            200: OrderDetailSerializer,
            400: BAD_INPUT,
            401: SIGN_IN,
            403: STAFF_ONLY,
            404: NOT_FOUND,
            409: NOT_NOW,
        },
        tags=["operations"],
    )
    def post(self, request: Request, number: str) -> Response:
        serializer = DisputeResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.act(number, dispute_resolve, by=api_user(request), **serializer.validated_data)


class ToShipQueueView(StaffAPIView):
    @extend_schema(
        operation_id="staff_orders_to_ship",
        summary="Paid orders for platform and consigned stock, oldest first: to pack and ship",
        parameters=[PageQuerySerializer],
        responses={200: ToShipPageSerializer, **QUEUE_RESPONSES},
        tags=["operations"],
    )
    def get(self, request: Request) -> Response:
        return self.queue(request, orders_to_ship_from_centre, ToShipSerializer)


class ReturnQueueView(StaffAPIView):
    @extend_schema(
        operation_id="staff_orders_returns",
        summary="Inspected items on their way back to the centre, earliest delivered first",
        parameters=[PageQuerySerializer],
        responses={200: ReturnPageSerializer, **QUEUE_RESPONSES},
        tags=["operations"],
    )
    def get(self, request: Request) -> Response:
        return self.queue(request, returns_to_receive, ReturnQueueSerializer)
