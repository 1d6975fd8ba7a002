"""/api/v1/staff/routing-rules/: which provider receives the submissions of a category from a region
(recycling.routing), for Reloop's own operations staff."""

from collections.abc import Sequence

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from listings.api.serializers import ErrorSerializer
from listings.models import Category
from marketplace.api import LocalizedAPIView
from providers.models import Provider
from providers.permissions import PlatformOperations
from recycling.models import RoutingRule
from recycling.routing import routing_rule_set

REFUSED = OpenApiResponse(
    ErrorSerializer, description="`rule_too_wide` (neither a category nor a region), `no_active_provider`."
)


class RoutingRuleSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), allow_null=True, required=False
    )
    provider = serializers.SlugRelatedField(slug_field="code", queryset=Provider.objects.all())
    region = serializers.CharField(max_length=60, allow_blank=True, required=False, default="")

    class Meta:
        model = RoutingRule
        fields = ["id", "category", "region", "provider", "created_at"]
        read_only_fields = ["id", "created_at"]
        # routing_rule_set replaces the rule for the same place: no unique-together refusal here.
        validators: list = []


class RoutingRuleListView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated, PlatformOperations)

    @extend_schema(
        operation_id="staff_routing_rules_list",
        summary="Every routing rule, by category then region",
        responses={200: RoutingRuleSerializer(many=True), 401: OpenApiResponse(), 403: OpenApiResponse()},
        tags=["providers"],
    )
    def get(self, request: Request) -> Response:
        rules = RoutingRule.objects.select_related("category", "provider").order_by(
            "category__slug", "region"
        )
        return Response(RoutingRuleSerializer(rules, many=True).data)

    @extend_schema(
        operation_id="staff_routing_rules_set",
        summary="Send a category's submissions from a region to a provider",
        description="Replaces the rule for the same category and region. An empty category is every "
        "category, an empty region every region; one of them must be named.",
        request=RoutingRuleSerializer,
        responses={201: RoutingRuleSerializer, 400: REFUSED, 401: OpenApiResponse(), 403: OpenApiResponse()},
        tags=["providers"],
    )
    def post(self, request: Request) -> Response:
        form = RoutingRuleSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        rule = routing_rule_set(
            category=form.validated_data.get("category"),
            region=form.validated_data.get("region", ""),
            provider=form.validated_data["provider"],
        )
        return Response(RoutingRuleSerializer(rule).data, status=status.HTTP_201_CREATED)
