"""Token sign-in for API clients, and the user's address book.

`POST /api/v1/auth/token/` with a username and password returns the token to send as
`Authorization: Token <key>` on later requests, and when it expires (API_TOKEN_DAYS after it was
issued). `DELETE /api/v1/auth/token/` with that header revokes it. Wrong passwords count towards the
sign-in lockout (django-axes, accounts.lockout): a locked-out account or address gets
`429 {"code": "locked_out", "detail", "retry_after"}` even with the right password.

`/api/v1/addresses/` is the signed-in user's address book (401 for visitors): list and add, read,
replace (PUT), change some fields (PATCH), delete, and make one the default. Another user's address
answers 404 exactly as a missing one does. An address that fails the checks in accounts.addresses
answers 400 with `code`, `detail`, `field` and the message under that field, e.g.
`{"code": "phone_invalid", "detail": "…", "field": "phone", "phone": ["…"]}`.
"""

from collections.abc import Mapping

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import addresses
from accounts.authentication import ExpiringTokenAuthentication, token_expires_at
from accounts.http import api_user
from accounts.lockout import lockout_json
from accounts.models import Address
from accounts.selectors import address_of, addresses_of
from accounts.services import auth_token_issue, auth_token_revoke
from marketplace.api import LocalizedAPIView
from marketplace.rate_limits import RateLimit


class SignInThrottle(RateLimit):
    """Slows password guessing from one address on top of the lockout (SIGN_IN_RATE)."""

    rate_setting = "SIGN_IN_RATE"
    message = gettext_lazy("Many sign-in attempts have come from your network in a short while.")
    per_address = True


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    expires_at = serializers.DateTimeField(
        help_text="After this the token answers 401 `token_expired`: sign in again for a new one."
    )


class LockedOutSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="`locked_out`.")
    detail = serializers.CharField(help_text="Until when sign-in is paused, in the client's language.")
    retry_after = serializers.IntegerField(help_text="Seconds to wait (also the Retry-After header).")


class TokenSignInView(LocalizedAPIView):
    """Sign-in takes no credentials but the body's; revoking takes the token itself."""

    throttle_classes = (SignInThrottle,)

    def get_authenticators(self):
        # A client signing in again may still send its old, expired token: it must not be refused.
        if self.request is not None and self.request.method == "DELETE":
            return [ExpiringTokenAuthentication()]
        return []

    def get_permissions(self):
        if self.request is not None and self.request.method == "DELETE":
            return [IsAuthenticated()]
        return [AllowAny()]

    @extend_schema(
        operation_id="auth_token_create",
        summary="Sign in and get an API token",
        request=AuthTokenSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Missing fields, or a username and password that do not match."),
            429: OpenApiResponse(
                LockedOutSerializer,
                description="Too many wrong passwords for this account or from this address "
                "(`locked_out`), or too many attempts (`throttled`).",
            ),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            # django-axes marks the request it refused, or the failure that reached the limit.
            if getattr(request, "axes_locked_out", False):
                return lockout_json(request._request)  # type: ignore[return-value]
            raise ValidationError(serializer.errors)
        token = auth_token_issue(user=serializer.validated_data["user"])
        return Response(TokenSerializer({"token": token.key, "expires_at": token_expires_at(token)}).data)

    @extend_schema(
        operation_id="auth_token_destroy",
        summary="Revoke your API token",
        description="The token in the Authorization header stops working at once.",
        request=None,
        responses={204: None, 401: OpenApiResponse(description="No token, or one not valid any more.")},
        tags=["auth"],
    )
    def delete(self, request: Request) -> Response:
        auth_token_revoke(user=api_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- The address book -------------------------------------------------------------------------------


class AddressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The recipient.")
    phone = serializers.CharField(help_text="Digits only; an international number starts with +.")
    region = serializers.CharField(help_text="Province, autonomous region or municipality; state elsewhere.")
    city = serializers.CharField()
    street = serializers.CharField(help_text="District, street, building and room.")
    postcode = serializers.CharField()
    is_default = serializers.BooleanField(help_text="Checkout and courier pickup offer it first.")
    lines = serializers.ListField(
        child=serializers.CharField(),
        source="postal.lines",
        help_text="As a label prints it: recipient, phone, street, city and region, postcode.",
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class AddressInputSerializer(serializers.Serializer):
    """The body of a new or replaced address. The services check it (accounts.addresses): spaces and
    dashes in the phone are dropped, a postcode's letters are stored in capitals."""

    name = serializers.CharField(max_length=60, help_text="The recipient.")
    phone = serializers.CharField(
        help_text="A mainland China mobile number (11 digits), or + and 7 to 15 digits for a number elsewhere."
    )
    region = serializers.CharField(max_length=60, help_text="Province or state.")
    city = serializers.CharField(max_length=60)
    street = serializers.CharField(max_length=200, help_text="District, street, building and room.")
    postcode = serializers.CharField(
        help_text="3 to 10 letters and digits, with at most one space or dash (6 digits in mainland China)."
    )


class AddressCreateSerializer(AddressInputSerializer):
    is_default = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Make it the default address. A user's first address is the default in any case.",
    )


class MakeDefaultSerializer(serializers.Serializer):
    """Reads only `is_default` from a new address's body: the address fields go to the services as
    they came, so that their errors carry a `code` like every other domain error."""

    is_default = serializers.BooleanField(required=False, default=False)


class AddressErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="e.g. `phone_invalid`, `postcode_invalid`, `too_many_addresses`.")
    detail = serializers.CharField()
    field = serializers.CharField(required=False, help_text="The input to fix, when one is at fault.")


ADDRESS_NOT_FOUND = OpenApiResponse(description="No such address among yours.")
ADDRESS_ERROR = OpenApiResponse(
    AddressErrorSerializer,
    description="The address fails a check, or the address book is full; the message is also under "
    "the field at fault.",
)


def _body(request: Request) -> Mapping[str, object]:
    """The request's body as an object: the services read the address fields from it as they came."""
    if not isinstance(request.data, Mapping):
        raise ParseError(_("Send the address as an object with its fields."))
    return request.data


class AddressAPIView(LocalizedAPIView):
    """Signed-in users only (401 otherwise); addresses are looked up among the user's own."""

    permission_classes = (IsAuthenticated,)

    def own_address(self, address_id: int) -> Address:
        try:
            return address_of(api_user(self.request), address_id)
        except Address.DoesNotExist as error:
            raise Http404 from error


class AddressListView(AddressAPIView):
    @extend_schema(
        operation_id="addresses_list",
        summary="Your address book: the default first, then the newest",
        description=f"At most {addresses.MAX_ADDRESSES} addresses, all in one answer.",
        responses={200: AddressSerializer(many=True)},
        tags=["addresses"],
    )
    def get(self, request: Request) -> Response:
        return Response(AddressSerializer(addresses_of(api_user(request)), many=True).data)

    @extend_schema(
        operation_id="addresses_create",
        summary="Add an address",
        request=AddressCreateSerializer,
        responses={201: AddressSerializer, 400: ADDRESS_ERROR},
        tags=["addresses"],
    )
    def post(self, request: Request) -> Response:
        body = _body(request)
        options = MakeDefaultSerializer(data=body)
        options.is_valid(raise_exception=True)
        address = addresses.address_create(
            user=api_user(request),
            data={field: body.get(field) for field in addresses.FIELDS},
            make_default=options.validated_data["is_default"],
        )
        return Response(AddressSerializer(address).data, status=status.HTTP_201_CREATED)


class AddressDetailView(AddressAPIView):
    @extend_schema(
        operation_id="addresses_retrieve",
        summary="One of your addresses",
        responses={200: AddressSerializer, 404: ADDRESS_NOT_FOUND},
        tags=["addresses"],
    )
    def get(self, request: Request, address_id: int) -> Response:
        return Response(AddressSerializer(self.own_address(address_id)).data)

    @extend_schema(
        operation_id="addresses_update",
        summary="Replace one of your addresses",
        description="Every field is required. Whether it is the default does not change.",
        request=AddressInputSerializer,
        responses={200: AddressSerializer, 400: ADDRESS_ERROR, 404: ADDRESS_NOT_FOUND},
        tags=["addresses"],
    )
    def put(self, request: Request, address_id: int) -> Response:
        body = _body(request)
        return self._update(address_id, {field: body.get(field) for field in addresses.FIELDS})

    @extend_schema(
        operation_id="addresses_partial_update",
        summary="Change some fields of one of your addresses",
        description="Fields left out keep their value. Whether it is the default does not change.",
        request=AddressInputSerializer(partial=True),
        responses={200: AddressSerializer, 400: ADDRESS_ERROR, 404: ADDRESS_NOT_FOUND},
        tags=["addresses"],
    )
    def patch(self, request: Request, address_id: int) -> Response:
        body = _body(request)
        return self._update(address_id, {field: body[field] for field in addresses.FIELDS if field in body})

    def _update(self, address_id: int, data: Mapping[str, object]) -> Response:
        try:
            address = addresses.address_update(user=api_user(self.request), address_id=address_id, data=data)
        except Address.DoesNotExist as error:
            raise Http404 from error
        return Response(AddressSerializer(address).data)

    @extend_schema(
        operation_id="addresses_destroy",
        summary="Delete one of your addresses",
        description="When it was the default, your newest other address becomes the default.",
        responses={204: None, 404: ADDRESS_NOT_FOUND},
        tags=["addresses"],
    )
    def delete(self, request: Request, address_id: int) -> Response:
        try:
            addresses.address_delete(user=api_user(request), address_id=address_id)
        except Address.DoesNotExist as error:
            raise Http404 from error
        return Response(status=status.HTTP_204_NO_CONTENT)


class AddressDefaultView(AddressAPIView):
    @extend_schema(
        operation_id="addresses_make_default",
        summary="Make one of your addresses the default",
        request=None,
        responses={200: AddressSerializer, 404: ADDRESS_NOT_FOUND},
        tags=["addresses"],
    )
    def post(self, request: Request, address_id: int) -> Response:
        try:
            address = addresses.address_make_default(user=api_user(request), address_id=address_id)
        except Address.DoesNotExist as error:
            raise Http404 from error
        return Response(AddressSerializer(address).data)
