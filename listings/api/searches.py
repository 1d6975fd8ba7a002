"""The saved searches API: a shopper's saved searches, keeping one, changing how often, removing one.

Every endpoint needs a signed-in user (session or token; 401 otherwise); anyone else's saved search
answers 404 as a missing one does. A search is given as the channel's query string (`q`, `brand`,
`grade`, `price_min`, `price_max`, `inspected`, `authenticated`) and an optional category slug, as
`/api/v1/listings/` takes them. Bad input answers 400 with `code` and `detail`.
"""

from collections.abc import Sequence

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_user
from listings.models import Category, SavedSearch, SearchFrequency
from listings.selectors import saved_searches_for
from listings.services import saved_search_add, saved_search_remove, saved_search_update
from marketplace.api import LocalizedAPIView


class SavedSearchSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    query = serializers.CharField(allow_blank=True, max_length=500, help_text="The channel's query string.")
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), allow_null=True, required=False
    )
    frequency = serializers.ChoiceField(choices=SearchFrequency.choices)
    created_at = serializers.DateTimeField(read_only=True)


class FrequencySerializer(serializers.Serializer):
    frequency = serializers.ChoiceField(choices=SearchFrequency.choices)


NOT_FOUND = OpenApiResponse(description="No such saved search among yours.")


class SavedSearchAPIView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated,)


class SavedSearchListView(SavedSearchAPIView):
    @extend_schema(
        operation_id="saved_searches_list",
        summary="Your saved searches, newest first",
        responses={200: SavedSearchSerializer(many=True)},
        tags=["saved searches"],
    )
    def get(self, request: Request) -> Response:
        return Response(SavedSearchSerializer(saved_searches_for(api_user(request)), many=True).data)

    @extend_schema(
        operation_id="saved_searches_create",
        summary="Keep a search and hear of new items that match it (the same search again changes how often)",
        request=SavedSearchSerializer,
        responses={201: SavedSearchSerializer, 400: OpenApiResponse()},
        tags=["saved searches"],
    )
    def post(self, request: Request) -> Response:
        form = SavedSearchSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        search = saved_search_add(
            user=api_user(request),
            query=form.validated_data["query"],
            category=form.validated_data.get("category"),
            frequency=form.validated_data["frequency"],
        )
        return Response(SavedSearchSerializer(search).data, status=status.HTTP_201_CREATED)


class SavedSearchDetailView(SavedSearchAPIView):
    @extend_schema(
        operation_id="saved_searches_update",
        summary="Change how often you hear of a saved search's new items",
        request=FrequencySerializer,
        responses={200: SavedSearchSerializer, 404: NOT_FOUND},
        tags=["saved searches"],
    )
    def patch(self, request: Request, search_id: int) -> Response:
        form = FrequencySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            search = saved_search_update(
                user=api_user(request), search_id=search_id, frequency=form.validated_data["frequency"]
            )
        except SavedSearch.DoesNotExist:
            raise Http404 from None
        return Response(SavedSearchSerializer(search).data)

    @extend_schema(
        operation_id="saved_searches_delete",
        summary="Remove a saved search",
        responses={204: None, 404: NOT_FOUND},
        tags=["saved searches"],
    )
    def delete(self, request: Request, search_id: int) -> Response:
        try:
            saved_search_remove(user=api_user(request), search_id=search_id)
        except SavedSearch.DoesNotExist:
            raise Http404 from None
        return Response(status=status.HTTP_204_NO_CONTENT)
