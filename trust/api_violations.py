"""Violation points through the API.

- `/api/v1/account-health/`: the signed-in seller's points, each decision with its statement of
  reasons and appeal, the restrictions in force with their reasons, and the published thresholds.
- `/api/v1/violations/<id>/appeal/`: appeal one's own decision, within 6 months.
- `/api/v1/staff/violations/`, `/api/v1/staff/appeals/<id>/decide/`, `/api/v1/staff/thresholds/`:
  for Reloop's own operations staff; an appeal is decided by someone other than whoever decided.

Refusals of the services (trust.errors) answer 400 with `code`, `detail` and the input at fault.
"""

from collections.abc import Sequence

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_user
from accounts.models import User
from listings.api.serializers import ErrorSerializer
from marketplace.api import LocalizedAPIView
from providers.permissions import PlatformOperations
from trust import selectors
from trust.models import Appeal, Threshold, Violation
from trust.services import violations

REFUSED = OpenApiResponse(
    ErrorSerializer, description="A domain error: `code`, `detail` and the `field` at fault."
)


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField(source="label", help_text="In the request's language.")
    description = serializers.CharField(source="explanation")


class AppealSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField(help_text="open, upheld or overturned.")
    statement = serializers.CharField(help_text="The seller's, as typed.")
    reason = serializers.CharField(help_text="The decision's reason, as typed; empty while open.")
    decided_at = serializers.DateTimeField(allow_null=True)


class ViolationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="violation.id")
    rule = RuleSerializer(source="violation.rule")
    points = serializers.IntegerField(source="violation.points")
    evidence = serializers.CharField(source="violation.evidence")
    decided_at = serializers.DateTimeField(source="violation.decided_at")
    expires_at = serializers.DateTimeField(source="violation.expires_at")
    appeal_until = serializers.DateTimeField(source="violation.appeal_until")
    overturned_at = serializers.DateTimeField(source="violation.overturned_at", allow_null=True)
    counts = serializers.BooleanField(help_text="Whether its points count now.")
    may_appeal = serializers.BooleanField()
    appeal = AppealSerializer(allow_null=True)


class HoldSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="block, cap or no_flash_sales.")
    category = serializers.CharField(source="category.slug", allow_null=True, default=None)
    cap = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(source="text", help_text="Why, in the request's language.")


class ThresholdSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="no_flash_sales, listing_cap or suspension.")
    points = serializers.IntegerField()
    cap = serializers.IntegerField(allow_null=True)


class HealthSerializer(serializers.Serializer):
    points = serializers.IntegerField()
    violations = ViolationSerializer(many=True)
    restrictions = HoldSerializer(source="holds", many=True)
    thresholds = ThresholdSerializer(many=True)


class AppealCreateSerializer(serializers.Serializer):
    statement = serializers.CharField(max_length=5000, allow_blank=True)


class StaffViolationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seller = serializers.CharField(source="seller.username")
    rule = serializers.CharField(source="rule.code")
    points = serializers.IntegerField()
    evidence = serializers.CharField()
    decided_by = serializers.CharField(source="decided_by.username")
    decided_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    overturned_at = serializers.DateTimeField(allow_null=True)


class ViolationCreateSerializer(serializers.Serializer):
    seller = serializers.CharField(max_length=150, help_text="The seller's username.")
    rule = serializers.CharField(max_length=40, help_text="A rule's code.")
    evidence = serializers.CharField(max_length=5000, allow_blank=True)


class AppealDecideSerializer(serializers.Serializer):
    overturn = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class ThresholdSetSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=20)
    points = serializers.CharField(max_length=10)
    cap = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")


class HealthView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated,)

    @extend_schema(
        operation_id="account_health_retrieve",
        summary="Your points, each decision with its reasons, your restrictions and the thresholds",
        responses={200: HealthSerializer},
        tags=["violations"],
    )
    def get(self, request: Request) -> Response:
        return Response(HealthSerializer(selectors.health_of(user=api_user(request))).data)


class AppealView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated,)

    @extend_schema(
        operation_id="violations_appeal",
        summary="Appeal a decision about you, within 6 months",
        description="`appeal_closed`, `already_appealed`, `statement`.",
        request=AppealCreateSerializer,
        responses={
            201: AppealSerializer,
            400: REFUSED,
            404: OpenApiResponse(description="No such decision about you."),
        },
        tags=["violations"],
    )
    def post(self, request: Request, pk: int) -> Response:
        form = AppealCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            appeal = violations.appeal_open(violation_id=pk, seller=api_user(request), **form.validated_data)
        except Violation.DoesNotExist:
            raise Http404(_("No such decision about you.")) from None
        return Response(AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)


class StaffViolationsView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated, PlatformOperations)

    @extend_schema(
        operation_id="staff_violations_list",
        summary="Violations decided lately, newest first",
        responses={200: StaffViolationSerializer(many=True), 403: OpenApiResponse()},
        tags=["violations"],
    )
    def get(self, request: Request) -> Response:
        return Response(StaffViolationSerializer(selectors.violations_recent(limit=100), many=True).data)

    @extend_schema(
        operation_id="staff_violations_create",
        summary="Decide that a seller broke a rule, with the evidence they will read",
        description="`rule`, `evidence`, `own_account`; the seller is told and may appeal for 6 months.",
        request=ViolationCreateSerializer,
        responses={201: StaffViolationSerializer, 400: REFUSED, 403: OpenApiResponse()},
        tags=["violations"],
    )
    def post(self, request: Request) -> Response:
        form = ViolationCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        seller = User.objects.filter(username=form.validated_data["seller"]).first()
        if seller is None:
            raise serializers.ValidationError({"seller": [_("No user has that username.")]})
        violation = violations.violation_decide(
            seller_id=seller.pk,
            rule_code=form.validated_data["rule"],
            evidence=form.validated_data["evidence"],
            by=api_user(request),
        )
        return Response(StaffViolationSerializer(violation).data, status=status.HTTP_201_CREATED)


class StaffAppealDecideView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated, PlatformOperations)

    @extend_schema(
        operation_id="staff_appeals_decide",
        summary="Uphold or overturn an appeal, with the reason",
        description="`same_decider` when you decided the violation; `already_decided`, `reason`.",
        request=AppealDecideSerializer,
        responses={200: AppealSerializer, 400: REFUSED, 403: OpenApiResponse(), 404: OpenApiResponse()},
        tags=["violations"],
    )
    def post(self, request: Request, pk: int) -> Response:
        form = AppealDecideSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            appeal = violations.appeal_decide(appeal_id=pk, by=api_user(request), **form.validated_data)
        except Appeal.DoesNotExist:
            raise Http404(_("No such appeal.")) from None
        return Response(AppealSerializer(appeal).data)


class StaffThresholdsView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated, PlatformOperations)

    @extend_schema(
        operation_id="staff_thresholds_list",
        summary="The points at which each restriction starts",
        responses={200: ThresholdSerializer(many=True), 403: OpenApiResponse()},
        tags=["violations"],
    )
    def get(self, request: Request) -> Response:
        return Response(ThresholdSerializer(Threshold.objects.order_by("points"), many=True).data)

    @extend_schema(
        operation_id="staff_thresholds_set",
        summary="Set a restriction's threshold (and the listing cap's size)",
        description="`thresholds_out_of_order` unless they rise from no flash sales to the listing cap to "
        "suspension; `points`, `cap`, `kind`.",
        request=ThresholdSetSerializer,
        responses={200: ThresholdSerializer(many=True), 400: REFUSED, 403: OpenApiResponse()},
        tags=["violations"],
    )
    def put(self, request: Request) -> Response:
        form = ThresholdSetSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        violations.threshold_set(by=api_user(request), **form.validated_data)
        return self.get(request)
