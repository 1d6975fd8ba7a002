"""What every orders API view shares: who may find an order, how a service's error is answered, and
how an order is read back after a change."""

import re
from collections.abc import Sequence

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import roles
from accounts.http import api_user
from accounts.roles import OPERATIONS, has_role
from inspection.api.workbench import InGroup
from listings.api.serializers import ErrorSerializer
from marketplace.api import LocalizedAPIView
from marketplace.errors import InvalidTransition
from orders.api.serializers import OrderDetailSerializer
from orders.models import Order, OrderStatus
from orders.selectors import order_for_participant, order_for_staff, report_check_results

# Order numbers are "O" and nine letters or digits; anything else in the path is no order, and is
# never sent to the database (a NUL character would be a PostgreSQL error).
ORDER_NUMBER = re.compile(r"[A-Za-z0-9]{1,12}")

# Service argument names that differ from the API's field names.
API_FIELD = {
    "listing_id": "listing",
    "name": "ship_to_name",
    "phone": "ship_to_phone",
    "region": "ship_to_region",
    "city": "ship_to_city",
    "street": "ship_to_address",
    "postcode": "ship_to_postcode",
    "check_ids": "checks",
}

NOT_FOUND = OpenApiResponse(description="No such order among yours.")
SIGN_IN = OpenApiResponse(description="Not signed in.")
BAD_INPUT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Field errors: `{field: [messages]}`. Errors found by the order services also carry "
    '`code` and `detail`, e.g. `{"code": "tracking_number", "detail": "…", "tracking_number": ["…"]}`.',
)
NOT_YOURS = OpenApiResponse(
    ErrorSerializer, description="`not_allowed`: you are party to the order, but this is not yours to do."
)
NOT_NOW = OpenApiResponse(
    ErrorSerializer,
    description="`invalid_transition`: not possible in the order's status; or another domain error with "
    "its `code` that the current state rules out.",
)
STAFF_ONLY = OpenApiResponse(description="Signed in, but not in the operations group.")


class Operations(InGroup):
    groups = (roles.OPERATIONS,)


def not_now_response(error: InvalidTransition) -> Response:
    """A move the order's status rules out, said in words rather than as two status codes."""
    current = OrderStatus(error.current).label if error.current in OrderStatus.values else error.current
    detail = _("This cannot be done now: the order is “%(status)s”.") % {"status": current}
    return Response({"code": error.code, "detail": detail}, status=status.HTTP_409_CONFLICT)


class OrderAPIView(LocalizedAPIView):
    """Signed-in users only (401 otherwise). An order is found for its buyer and its seller, and for
    operations; for anyone else it answers 404, exactly as one that does not exist."""

    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated,)
    error_fields = API_FIELD  # domain errors name the service's arguments (marketplace.api)

    def in_operations(self) -> bool:
        if not hasattr(self, "_in_operations"):
            self._in_operations = has_role(self.request.user, OPERATIONS)
        return self._in_operations

    def initial(self, request: Request, *args, **kwargs) -> None:
        # Someone else's order is a 404 before its body is looked at: bad input in a request for an
        # order you cannot see must not answer 400 and so tell you the order exists. (A GET has no
        # body; its own read answers 404.)
        super().initial(request, *args, **kwargs)
        if "number" in kwargs and request.method != "GET":
            self.order_id(kwargs["number"])

    def order_id(self, number: str) -> int:
        """The id of order `number` if the user may find it; raises Http404 otherwise. Looked up once
        per request."""
        found = getattr(self, "_found_order", None)
        if found is not None and found[0] == number:
            return found[1]
        if not ORDER_NUMBER.fullmatch(number):
            raise Http404
        orders = Order.objects.filter(number=number.upper())
        if not self.in_operations():
            user_id = self.request.user.pk
            orders = orders.filter(buyer_id=user_id) | orders.filter(seller_id=user_id)
        order_id = orders.values_list("pk", flat=True).first()
        if order_id is None:
            raise Http404
        self._found_order = (number, order_id)
        return order_id

    def render_order(self, number: str, *, status_code: int = status.HTTP_200_OK) -> Response:
        """The order as a GET shows it (same joins, same shape), for a party or for operations."""
        if not ORDER_NUMBER.fullmatch(number):
            raise Http404
        number = number.upper()
        try:
            order = order_for_participant(number=number, user=api_user(self.request))
        except Order.DoesNotExist:
            if not self.in_operations():
                raise Http404 from None
            try:
                order = order_for_staff(number=number)
            except Order.DoesNotExist as error:
                raise Http404 from error
        context = {
            "request": self.request,
            "operations": self.in_operations(),
            "report_checks": report_check_results(order=order),
        }
        return Response(OrderDetailSerializer(order, context=context).data, status=status_code)

    def act(self, number: str, use_case, /, **arguments) -> Response:
        """Call the service `use_case` on order `number` with `arguments` (positional-only, so that a
        rating's `service` score is an argument like any other) and answer with the order as it is now;
        a domain error is answered with its code, its message and (for bad input) the field."""
        order_id = self.order_id(number)
        try:
            use_case(order_id=order_id, **arguments)
        except Order.DoesNotExist as error:
            raise Http404 from error
        except InvalidTransition as error:
            return not_now_response(error)
        return self.render_order(number)
