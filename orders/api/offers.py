"""Offers (议价): make one on a listing, see the offers on your listings and the ones you made, and
answer: accept, decline, counter, withdraw.

Every endpoint needs a signed-in user (401 otherwise). An offer is found only by the two people of its
thread (the shopper and the listing's seller); for anyone else it answers 404, exactly as a missing
one does. Answering an offer that is not yours to answer (the maker accepting their own) is 403
`not_allowed`; one no longer open 400 `not_open`, one past its time 400 `expired`. Bad amounts (0,
below 0, three decimals, not below the price) answer 400 with the message under `amount`.

A new offer may come back already answered: `declined` with `decline_reason` `below_floor` when it is
under the seller's floor, or `accepted` with its `order` when Reloop's own stock accepts it by rule.
Accepting reserves the item for the shopper at the offer's price: `order` is then the order to pay,
within OFFER_PAYMENT_HOURS.
"""

from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_user
from listings.api.serializers import ErrorSerializer
from marketplace.api import MONEY, LocalizedAPIView
from marketplace.errors import InvalidTransition
from marketplace.pagination import page_data, page_serializer
from orders.models import Offer
from orders.selectors import offer_for_party, offers_for_user
from orders.services.offers import offer_accept, offer_counter, offer_decline, offer_make, offer_withdraw


class ShopperOfferSerializer(serializers.ModelSerializer):
    listing = serializers.IntegerField(source="listing_id", read_only=True)
    title = serializers.CharField(source="listing.title", read_only=True)
    buyer = serializers.CharField(
        source="buyer.public_name", read_only=True, help_text="The shopper's public name."
    )
    seller = serializers.CharField(source="seller.public_name", read_only=True)
    currency = serializers.SerializerMethodField()
    in_reply_to = serializers.IntegerField(
        source="in_reply_to_id", read_only=True, allow_null=True, help_text="The offer this one answers."
    )
    order = serializers.CharField(
        source="order.number",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The order to pay, once the offer is accepted.",
    )
    yours_to_answer = serializers.SerializerMethodField(
        help_text="True when the offer is open and you are the one to accept, decline or counter it."
    )

    class Meta:
        model = Offer
        fields = [
            "id",
            "listing",
            "title",
            "buyer",
            "seller",
            "by_seller",
            "amount",
            "asking_price",
            "currency",
            "status",
            "decline_reason",
            "in_reply_to",
            "order",
            "expires_at",
            "answered_at",
            "created_at",
            "yours_to_answer",
        ]
        read_only_fields = fields

    def get_currency(self, offer: Offer) -> str:
        return settings.CURRENCY

    def get_yours_to_answer(self, offer: Offer) -> bool:
        user = self.context["request"].user
        return offer.status == "pending" and offer.answerer_id() == user.pk


OfferPageSerializer = page_serializer(ShopperOfferSerializer, name="ShopperOfferPage")


class OfferQuerySerializer(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=[("received", "received"), ("made", "made")],
        default="received",
        help_text="`received`: offers on your listings; `made`: your offers on other people's.",
    )
    cursor = serializers.CharField(required=False, max_length=200)


class OfferMakeSerializer(serializers.Serializer):
    listing = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    amount = serializers.DecimalField(**MONEY, min_value=Decimal("0.01"))


class OfferCounterSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY, min_value=Decimal("0.01"))


BAD_INPUT = OpenApiResponse(ErrorSerializer, description="Bad input, with `code`, `detail` and the `field`.")
NOT_FOUND = OpenApiResponse(description="No such offer among yours.")
NOT_YOURS = OpenApiResponse(ErrorSerializer, description="`not_allowed`: not yours to answer.")
UNAVAILABLE = OpenApiResponse(
    ErrorSerializer, description="`item_unavailable`: the item is reserved by someone or sold."
)


class OfferAPIView(LocalizedAPIView):
    permission_classes = (IsAuthenticated,)
    error_fields = {"listing_id": "listing"}

    def render(self, offer_id: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        offer = offer_for_party(offer_id=offer_id, user=api_user(self.request))
        return Response(
            ShopperOfferSerializer(offer, context={"request": self.request}).data, status=status_code
        )


class OfferListView(OfferAPIView):
    @extend_schema(
        operation_id="offers_list",
        summary="Offers on your listings, or the ones you made, newest first",
        parameters=[OfferQuerySerializer],
        responses={200: OfferPageSerializer, 400: BAD_INPUT},
        tags=["offers"],
    )
    def get(self, request: Request) -> Response:
        query = OfferQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = offers_for_user(
            user=api_user(request),
            role=query.validated_data["role"],
            cursor=query.validated_data.get("cursor"),
        )
        return Response(page_data(page, request=request, serializer_class=ShopperOfferSerializer))

    @extend_schema(
        operation_id="offers_create",
        summary="Offer a price for a listing",
        description="Below the price, at most OFFERS_PER_LISTING per shopper and listing (counters "
        "included), one open at a time. With the seller's counter open, the offer answers it. "
        "400: `own_listing`, `not_on_sale`, `not_below_price`, `too_many_offers`, `offer_open`, "
        "`invalid_amount`; 404 `listing_not_found`; 409 `item_unavailable` for a reserved or sold item.",
        request=OfferMakeSerializer,
        responses={
            201: ShopperOfferSerializer,
            400: BAD_INPUT,
            404: OpenApiResponse(ErrorSerializer),
            409: UNAVAILABLE,
        },
        tags=["offers"],
    )
    def post(self, request: Request) -> Response:
        serializer = OfferMakeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        offer = offer_make(
            buyer=api_user(request),
            listing_id=serializer.validated_data["listing"],
            amount=serializer.validated_data["amount"],
        )
        return self.render(offer.pk, status_code=status.HTTP_201_CREATED)


class OfferDetailView(OfferAPIView):
    @extend_schema(
        operation_id="offers_retrieve",
        summary="One offer",
        responses={200: ShopperOfferSerializer, 404: NOT_FOUND},
        tags=["offers"],
    )
    def get(self, request: Request, offer_id: int) -> Response:
        try:
            return self.render(offer_id)
        except Offer.DoesNotExist:
            raise Http404 from None


def _answer_schema(operation_id: str, summary: str, *, request=None, description: str = ""):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=description,
        request=request,
        responses={
            200: ShopperOfferSerializer,
            400: BAD_INPUT,
            403: NOT_YOURS,
            404: NOT_FOUND,
            409: UNAVAILABLE,
        },
        tags=["offers"],
    )


class OfferAnswerView(OfferAPIView):
    def answer(self, pk: int, use_case, **arguments) -> Response:
        try:
            offer = use_case(offer_id=pk, by=api_user(self.request), **arguments)
        except Offer.DoesNotExist:
            raise Http404 from None
        except InvalidTransition:
            return Response(
                {"code": "not_open", "detail": "This offer is no longer open."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return self.render(offer.pk)


class OfferAcceptView(OfferAnswerView):
    @_answer_schema(
        "offers_accept",
        "Accept an offer (the seller) or a counter (the shopper)",
        description="Reserves the item for the shopper at the offer's price; `order` is the order to pay.",
    )
    def post(self, request: Request, offer_id: int) -> Response:
        return self.answer(offer_id, offer_accept)


class OfferDeclineView(OfferAnswerView):
    @_answer_schema("offers_decline", "Decline an offer or a counter")
    def post(self, request: Request, offer_id: int) -> Response:
        return self.answer(offer_id, offer_decline)


class OfferCounterView(OfferAnswerView):
    @_answer_schema(
        "offers_counter",
        "Answer with another price",
        request=OfferCounterSerializer,
        description="The seller counters with more than the offer, up to the price; the shopper with less "
        "than the seller's counter. Answers with the new, open offer.",
    )
    def post(self, request: Request, offer_id: int) -> Response:
        # Someone else's offer is a 404 before its body is looked at.
        if not Offer.objects.filter(
            Q(buyer_id=request.user.pk) | Q(seller_id=request.user.pk), pk=offer_id
        ).exists():
            raise Http404
        serializer = OfferCounterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.answer(offer_id, offer_counter, amount=serializer.validated_data["amount"])


class OfferWithdrawView(OfferAnswerView):
    @_answer_schema("offers_withdraw", "Withdraw your open offer")
    def post(self, request: Request, offer_id: int) -> Response:
        return self.answer(offer_id, offer_withdraw)
