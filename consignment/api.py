"""The seller's consignment through the API, as the pages allow it: accept the consignment terms of
a final offer (with the floor the price never drops below), and read the money timeline (where the
item is, the price drops, what is expected and what was paid). Someone else's submission answers 404;
an expired or answered offer, or a floor out of bounds, answers 400 with its `code` and `field`."""

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_user
from consignment import selectors
from consignment.services.agreement import consignment_accept
from listings.api.serializers import ErrorSerializer
from marketplace.api import MONEY, LocalizedAPIView
from recycling.models import Submission

NOT_FOUND = {"description": "No such submission among yours, or no final offer to consign."}


class ConsignSerializer(serializers.Serializer):
    floor = serializers.DecimalField(
        **MONEY,
        required=False,
        allow_null=True,
        help_text="The lowest price the item drops to; leave it out for the offer's proposed floor.",
    )


class FeeLineSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field: the serializer's metaclass takes it off the class
    amount = serializers.DecimalField(**MONEY)
    kind = serializers.ChoiceField(
        choices=["", "deduction", "total"], help_text="`deduction` is taken off; `total` is the sum."
    )


class AppliedPriceDropSerializer(serializers.Serializer):
    step = serializers.IntegerField()
    old_price = serializers.DecimalField(**MONEY)
    new_price = serializers.DecimalField(**MONEY)
    applied_at = serializers.DateTimeField()


class ConsignmentSerializer(serializers.Serializer):
    status = serializers.CharField()
    listing = serializers.IntegerField(source="listing_id")
    price = serializers.DecimalField(source="listing.price", **MONEY)
    list_price = serializers.DecimalField(**MONEY)
    floor_price = serializers.DecimalField(**MONEY)
    commission_rate = serializers.DecimalField(max_digits=4, decimal_places=3)
    listed_at = serializers.DateTimeField()
    term_ends_at = serializers.DateTimeField()
    sale_price = serializers.DecimalField(**MONEY, allow_null=True)
    payout = serializers.DecimalField(**MONEY, allow_null=True)
    settled_at = serializers.DateTimeField(allow_null=True)


class MoneyTimelineSerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="submission.pk")
    status = serializers.CharField(source="submission.status")
    currency = serializers.SerializerMethodField()
    consignment = ConsignmentSerializer(allow_null=True)
    price_drops = AppliedPriceDropSerializer(source="drops", many=True)
    expected = FeeLineSerializer(source="expected_lines", many=True, help_text="What the sale pays you.")
    expected_basis = serializers.ChoiceField(
        choices=["", "sale", "price"],
        help_text="`sale`: from the price paid; `price`: if it sells at today's price; empty: nothing expected.",
    )
    settlement = FeeLineSerializer(
        source="settlement_lines", many=True, help_text="What was paid, line by line."
    )
    recycle_paid = serializers.DecimalField(**MONEY, allow_null=True)
    return_window_ends_at = serializers.DateTimeField(allow_null=True)

    def get_currency(self, timeline: selectors.MoneyTimeline) -> str:
        return settings.CURRENCY


class MoneyAPIView(LocalizedAPIView):
    permission_classes = (IsAuthenticated,)

    def render_timeline(self, submission_id: int) -> Response:
        try:
            timeline = selectors.money_timeline(submission_id=submission_id, user=api_user(self.request))
        except Submission.DoesNotExist as error:
            raise Http404 from error
        return Response(MoneyTimelineSerializer(timeline).data)


class ConsignView(MoneyAPIView):
    @extend_schema(
        operation_id="submissions_offer_consign",
        summary="Consign the item: accept the consignment terms of the final offer",
        description="The item goes on sale at the offer's list price under Reloop's account; the term "
        "and the price drops start now, never below the floor. Answers with the money timeline.",
        request=ConsignSerializer,
        responses={200: MoneyTimelineSerializer, 400: ErrorSerializer, 404: NOT_FOUND},
        tags=["consignment"],
    )
    def post(self, request: Request, submission_id: int) -> Response:
        form = ConsignSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            consignment_accept(
                submission_id=submission_id, seller=api_user(request), floor=form.validated_data.get("floor")
            )
        except Submission.DoesNotExist as error:
            raise Http404 from error
        return self.render_timeline(submission_id)


class MoneyView(MoneyAPIView):
    @extend_schema(
        operation_id="submissions_money",
        summary="Where the item and the money are",
        description="The consignment (if any), its price drops, the expected payout with its fee lines, "
        "the settlement as paid, and a cash payout if the item was sold to Reloop.",
        responses={200: MoneyTimelineSerializer, 404: NOT_FOUND},
        tags=["consignment"],
    )
    def get(self, request: Request, submission_id: int) -> Response:
        return self.render_timeline(submission_id)
