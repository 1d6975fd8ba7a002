"""/api/v1/staff/providers/: every service provider's figures side by side (operations.
provider_figures), for Reloop's own staff."""

from collections.abc import Sequence

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from marketplace.api import LocalizedAPIView
from operations.provider_figures import provider_figures
from providers.permissions import PlatformOperations


class ProviderFiguresSerializer(serializers.Serializer):
    code = serializers.CharField(source="provider.code")
    name = serializers.CharField(source="provider.label")
    kind = serializers.CharField(source="provider.kind")
    is_platform = serializers.BooleanField(source="provider.is_platform")
    active = serializers.BooleanField(source="provider.active")
    inspections = serializers.IntegerField()
    turnaround_hours = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    orders = serializers.IntegerField()
    disputes = serializers.IntegerField()
    disputes_per_100_orders = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    overturned_share = serializers.DecimalField(max_digits=4, decimal_places=3, allow_null=True)


class ProviderFiguresView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated, PlatformOperations)

    @extend_schema(
        operation_id="staff_providers_list",
        summary="Every service provider with its figures over the last 90 days",
        responses={200: ProviderFiguresSerializer(many=True), 401: OpenApiResponse(), 403: OpenApiResponse()},
        tags=["providers"],
    )
    def get(self, request: Request) -> Response:
        return Response(ProviderFiguresSerializer(provider_figures(), many=True).data)
