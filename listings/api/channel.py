"""The public channel: category tree, brands, the listing list with the channel's filters, one listing.

Read-only and open to everyone. The list takes exactly the filters of the browse pages
(listings.filters.ChannelFilterForm), so a page and an API client asking the same question get the
same rows in the same order.
"""

import dataclasses
from dataclasses import dataclass
from typing import cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_slug
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from listings.api.serializers import (
    BrandSerializer,
    CategoryNodeSerializer,
    ListingCardSerializer,
    ListingDetailSerializer,
)
from listings.filters import SORT_CHOICES, ChannelFilterForm
from listings.models import Category, Grade, Listing
from listings.search import FEW_RESULTS
from listings.selectors import (
    CategoryTree,
    brands_for_category,
    category_by_slug,
    category_tree,
    listing_for_detail,
    listings_for_channel,
    search_correction,
    seller_for_storefront,
)
from marketplace.api import LocalizedAPIView
from marketplace.pagination import page_data, page_serializer

PAGE_SIZE = 24
USERNAME_MAX_LENGTH = cast(int, User._meta.get_field("username").max_length)

ListingPageSerializer = type(
    "ListingPage",
    (page_serializer(ListingCardSerializer, name="ListingCardPage"),),
    {
        "corrected_query": serializers.CharField(
            allow_null=True,
            help_text="When the query found nothing and a word of it looked mistyped, the corrected query "
            "whose results these are (the page does not go on: ask again with q=corrected_query); else null.",
        ),
        "suggested_query": serializers.CharField(
            allow_null=True,
            help_text="When the query found only a few results and a word of it looked mistyped, the query "
            "as corrected, to offer as a 'did you mean'; the results are the query's own. Else null.",
        ),
        "__module__": __name__,
    },
)


class BrandQuerySerializer(serializers.Serializer):
    category = serializers.SlugField(
        required=False, help_text="Only brands with items on sale in this category (slug)."
    )


@dataclass(frozen=True)
class CategoryNode:
    id: int
    slug: str
    name: str
    is_luxury: bool
    children: list["CategoryNode"]


def _nodes(tree: CategoryTree, categories: list[Category]) -> list[CategoryNode]:
    return [
        CategoryNode(
            id=category.pk,
            slug=category.slug,
            name=category.label,
            is_luxury=category.is_luxury,
            children=_nodes(tree, tree.children(category)),
        )
        for category in categories
    ]


def _category_or_error(slug: str | None, errors: dict) -> Category | None:
    if not slug:
        return None
    try:
        validate_slug(slug)
        return category_by_slug(slug)
    except (DjangoValidationError, Category.DoesNotExist):
        errors["category"] = [_("There is no category with this slug.")]
        return None


def _seller_or_error(username: str | None, errors: dict) -> User | None:
    if not username:
        return None
    try:
        if len(username) > USERNAME_MAX_LENGTH:
            raise User.DoesNotExist(username)
        User.username_validator(username)
        return seller_for_storefront(username)
    except (DjangoValidationError, User.DoesNotExist):
        errors["seller"] = [_("There is no seller with this username.")]
        return None


class CategoryTreeView(LocalizedAPIView):
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="categories_list",
        summary="The category tree",
        description="Root categories with their subcategories; names in the request's language "
        "(Accept-Language).",
        responses=CategoryNodeSerializer(many=True),
        tags=["channel"],
    )
    def get(self, request: Request) -> Response:
        tree = category_tree()
        return Response(CategoryNodeSerializer(_nodes(tree, tree.roots), many=True).data)


class BrandListView(LocalizedAPIView):
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="brands_list",
        summary="Brands, optionally those of one category",
        parameters=[BrandQuerySerializer],
        responses={200: BrandSerializer(many=True), 400: OpenApiResponse(description="Unknown category.")},
        tags=["channel"],
    )
    def get(self, request: Request) -> Response:
        query = BrandQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        errors: dict = {}
        category = _category_or_error(query.validated_data.get("category"), errors)
        if errors:
            raise ValidationError(errors)
        return Response(BrandSerializer(brands_for_category(category), many=True).data)


# The API names the sort `ordering`, as DRF clients expect; the shared form calls it `sort`.
FORM_FIELD_FOR_PARAMETER = {"ordering": "sort"}
PARAMETER_FOR_FORM_FIELD = {form: api for api, form in FORM_FIELD_FOR_PARAMETER.items()}

LISTING_FILTER_PARAMETERS = [
    OpenApiParameter(
        "category", str, description="Category slug; a parent category includes its subcategories."
    ),
    OpenApiParameter("seller", str, description="Seller's username."),
    OpenApiParameter("brand", str, many=True, explode=True, description="Brand slug; repeat for several."),
    OpenApiParameter(
        "grade", str, many=True, explode=True, enum=Grade.values, description="Repeat for several."
    ),
    OpenApiParameter("price_min", OpenApiTypes.DECIMAL),
    OpenApiParameter("price_max", OpenApiTypes.DECIMAL),
    OpenApiParameter("inspected", bool, description="Only items inspected by the platform."),
    OpenApiParameter("authenticated", bool, description="Only items whose authenticity was verified."),
    OpenApiParameter("q", str, description="Search words."),
    OpenApiParameter(
        "ordering",
        str,
        enum=[value for value, _label in SORT_CHOICES],
        description="Default: relevance when searching, newest otherwise.",
    ),
    OpenApiParameter("cursor", str, description="Opaque page token from `next` or `previous`."),
]


class ListingListView(LocalizedAPIView):
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="listings_list",
        summary="Listings in the channel",
        parameters=LISTING_FILTER_PARAMETERS,
        responses={
            200: ListingPageSerializer,
            400: OpenApiResponse(description="Field errors, or `invalid_cursor` for a stale page link."),
        },
        tags=["channel"],
    )
    def get(self, request: Request) -> Response:
        form = ChannelFilterForm(data=self._form_data(request.query_params))
        errors = {} if form.is_valid() else dict(form.errors)
        category = _category_or_error(request.query_params.get("category"), errors)
        seller = _seller_or_error(request.query_params.get("seller"), errors)
        if errors:
            raise ValidationError(
                {
                    PARAMETER_FOR_FORM_FIELD.get(name, name): list(messages)  # type: ignore[arg-type]  # an ErrorList yields its messages (the stubs type the stored errors)
                    for name, messages in errors.items()
                }
            )
        filters = form.to_filters(category=category, seller=seller)
        page = listings_for_channel(
            filters=filters, sort=form.sort_name, cursor=form.cursor_value, size=PAGE_SIZE
        )
        # A query that finds nothing, with a word that looks mistyped: the corrected query's first page.
        corrected = suggested = ""
        if not page.items and form.cursor_value is None and (corrected := search_correction(filters)):
            page = listings_for_channel(
                filters=dataclasses.replace(filters, q=corrected),
                sort=form.sort_name,
                cursor=None,
                size=PAGE_SIZE,
            )
        # One that finds little: the correction is offered (no query: it is worked out from words).
        elif form.cursor_value is None and len(page.items) < FEW_RESULTS and not page.has_next:
            suggested = search_correction(filters)
        categories = {category.pk: category for category in category_tree().categories}
        data = page_data(
            page,
            request=request,
            serializer_class=ListingCardSerializer,
            context={"categories": categories},
        )
        if corrected:
            data["next"] = None  # the corrected query pages on with ?q=<corrected_query>
        return Response({**data, "corrected_query": corrected or None, "suggested_query": suggested or None})

    @staticmethod
    def _form_data(query: QueryDict) -> QueryDict:
        data = QueryDict(mutable=True)
        for name, values in query.lists():
            if name in PARAMETER_FOR_FORM_FIELD:
                continue  # only the API's own name for a parameter counts
            data.setlist(FORM_FIELD_FOR_PARAMETER.get(name, name), values)
        return data


class ListingDetailView(LocalizedAPIView):
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="listings_retrieve",
        summary="One listing, with its photos, grade and inspection details",
        responses={
            200: ListingDetailSerializer,
            404: OpenApiResponse(description="No such listing on show."),
        },
        tags=["channel"],
    )
    def get(self, request: Request, listing_id: int) -> Response:
        try:
            listing = listing_for_detail(listing_id=listing_id, viewer=request.user)
        except Listing.DoesNotExist as error:
            raise Http404 from error
        return Response(ListingDetailSerializer(listing, context={"request": request}).data)
