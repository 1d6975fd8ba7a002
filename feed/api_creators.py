"""Creators (达人) through the API: the signed-in user's application, a creator's videos with their
tracked links, the links with their clicks and orders, the statement of their commission, and a private
seller's own commission rate for one of their items.

Every endpoint needs a signed-in user (401 otherwise). Videos, links and the statement are an approved
creator's alone: anyone else is answered 403 `not_a_creator`. A user only ever finds their own rows:
someone else's video or listing answers 404 exactly as a missing one does. Refusals of the services
(feed.errors, listings.errors) answer 400 (403 for NotACreator) with `code`, `detail` and the input at
fault (marketplace.api). Writes go through feed.services.creators; the reads are here, each a fixed
number of queries whatever the number of rows (tests/feed/test_api_creators.py pins them).
"""

from collections.abc import Sequence

from django.db.models import OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_user
from accounts.models import User
from feed import creators
from feed.creator_selectors import count_of, with_totals
from feed.errors import NotACreator
from feed.models import (
    Commission,
    Creator,
    CreatorLink,
    CreatorStatus,
    CreatorVideo,
    LinkClick,
    rate_percent,
)
from feed.services.creators import creator_apply, creator_link_add, creator_video_upload, listing_rate_set
from listings.api.serializers import ErrorSerializer
from listings.models import Listing, VideoStatus
from listings.videos import video_upload_handlers
from marketplace.api import MONEY, LocalizedAPIView
from marketplace.keyset import paginate
from marketplace.pagination import page_data, page_link, page_serializer

PAGE_SIZE = 20
# Newest first; the ordering ends with the id, as keyset pages need (marketplace.keyset).
NEWEST_FIRST = ("-created_at", "-id")

REFUSED = OpenApiResponse(
    ErrorSerializer, description="A domain error: `code`, `detail` and the `field` at fault."
)
NOT_A_CREATOR = OpenApiResponse(
    ErrorSerializer,
    description="`not_a_creator`: only an approved creator has videos, links and a statement.",
)
TOO_LARGE = OpenApiResponse(
    ErrorSerializer,
    description="`too_large`: the file is past LISTING_VIDEO_MAX_BYTES, refused before it is stored.",
)


# --- Reads ---------------------------------------------------------------------------------------------


def _creator_of(user: User) -> Creator:
    """The user's application, whatever its status; 404 when they never applied. One query."""
    creator = Creator.objects.filter(user=user).first()
    if creator is None:
        raise Http404(_("You are not a creator yet."))
    return creator


def _approved(user: User, *, rows: QuerySet[Creator] | None = None) -> Creator:
    """The user's creator row when staff approved it (from `rows`, which may carry annotations);
    NotACreator (403) otherwise. One query."""
    creator = (rows if rows is not None else Creator.objects.all()).filter(user=user).first()
    if creator is None or creator.status != CreatorStatus.APPROVED:
        # The services' own words for it, so that the page, the API and the services agree.
        raise NotACreator(_("Only an approved creator can post videos and share links."))
    return creator


def _videos(creator_id: int) -> QuerySet[CreatorVideo]:
    """A creator's videos, each with its links and their items' titles: two queries a page."""
    links = (
        CreatorLink.objects.select_related("listing")
        .only("code", "video", "listing", "listing__title")
        .order_by("id")
    )
    return CreatorVideo.objects.filter(creator_id=creator_id).prefetch_related(
        Prefetch("links", queryset=links)
    )


def _links(creator_id: int) -> QuerySet[CreatorLink]:
    """A creator's links across their videos, with the item's title and, as columns (subqueries, not
    joins, which would multiply the rows), the clicks on each and the orders bought through it: one
    query a page."""
    return (
        CreatorLink.objects.filter(video__creator_id=creator_id)
        .select_related("listing")
        .only("code", "video", "listing", "rate", "rate_locked_until", "created_at", "listing__title")
        .annotate(
            click_count=count_of(LinkClick.objects.filter(link=OuterRef("pk"))),
            order_count=count_of(Commission.objects.filter(link=OuterRef("pk"))),
        )
    )


def _commissions(creator_id: int) -> QuerySet[Commission]:
    """A creator's commissions with their order's number and item, and nothing else of the order (not
    the buyer, nor where it went): one query a page."""
    return (
        Commission.objects.filter(creator_id=creator_id)
        .select_related("order")
        .only(
            "rate",
            "amount",
            "status",
            "refusal",
            "clicked_at",
            "created_at",
            "settled_at",
            "order",
            "order__number",
            "order__title",
        )
    )


def _tracked_url(link: CreatorLink, request: Request | None) -> str:
    return _absolute(link.share_path, request)


def _absolute(url: str, request: Request | None) -> str:
    return request.build_absolute_uri(url) if request is not None else url


# --- Serializers -------------------------------------------------------------------------------------


class CursorQuerySerializer(serializers.Serializer):
    cursor = serializers.CharField(required=False, max_length=500, help_text="A page's cursor, from `next`.")


class CreatorProfileSerializer(serializers.Serializer):
    handle = serializers.CharField(help_text='The name your videos carry, "@handle".')
    pitch = serializers.CharField(help_text="What you will post about, as you wrote it.")
    # A string, not an enum: several models have a `status`, and the schema names one enum per name.
    status = serializers.CharField(help_text="applied (waiting for review), approved or refused.")
    status_display = serializers.CharField(source="get_status_display", help_text="The status in words.")
    reason = serializers.CharField(
        help_text="Staff's reason for a refusal, as they wrote it; empty otherwise."
    )
    applied_at = serializers.DateTimeField(source="created_at")
    decided_at = serializers.DateTimeField(allow_null=True)


class CreatorApplySerializer(serializers.Serializer):
    # Loose limits: the service checks the handle and the pitch and says what is wrong with its `code`.
    handle = serializers.CharField(
        max_length=100, allow_blank=True, help_text="3 to 30 letters, digits, - or _."
    )
    pitch = serializers.CharField(max_length=5000, allow_blank=True, help_text="Up to 1,000 characters.")


class CreatorVideoLinkSerializer(serializers.Serializer):
    code = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The tracked link to share.")
    listing = serializers.IntegerField(source="listing_id")
    title = serializers.CharField(source="listing.title")

    @extend_schema_field(serializers.URLField())
    def get_url(self, link: CreatorLink) -> str:
        return _tracked_url(link, self.context.get("request"))


class CreatorVideoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    caption = serializers.CharField()
    status = serializers.CharField(
        help_text="uploaded (waiting for the job), checking, transcoding (see progress), ready or failed (see error)."
    )
    progress = serializers.IntegerField(help_text="Percent of the re-encoding done.")
    error = serializers.SerializerMethodField(
        help_text="Why it failed, in the request's language; null otherwise."
    )
    error_code = serializers.CharField(
        source="error",
        help_text="not_a_video, damaged, too_long, too_many_pixels or gave_up; empty otherwise.",
    )
    url = serializers.SerializerMethodField(help_text="The MP4 once ready; null before.")
    poster_url = serializers.SerializerMethodField(
        help_text="A JPEG of one of its pictures once ready; null before."
    )
    created_at = serializers.DateTimeField()
    links = CreatorVideoLinkSerializer(many=True, help_text="A tracked link to each item the video features.")

    @extend_schema_field(OpenApiTypes.STR)
    def get_error(self, video: CreatorVideo) -> str | None:
        return video.error_text or None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, video: CreatorVideo) -> str | None:
        return (
            _absolute(video.url, self.context.get("request")) if video.status == VideoStatus.READY else None
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_poster_url(self, video: CreatorVideo) -> str | None:
        if video.status != VideoStatus.READY:
            return None
        return _absolute(video.poster_url, self.context.get("request"))


class CreatorVideoUploadSerializer(serializers.Serializer):
    # A plain file field: whether it is a video is for the video job to find out, from its content.
    video = serializers.FileField(
        help_text="A video (MP4, MOV, WebM…) of at most LISTING_VIDEO_MAX_SECONDS seconds and "
        "LISTING_VIDEO_MAX_BYTES bytes."
    )
    caption = serializers.CharField(max_length=1000, allow_blank=True, help_text="Up to 200 characters.")
    listings = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        max_length=50,
        required=False,
        default=list,
        help_text="The items on sale the video features (1 to 6), one `listings` part each.",
    )


class CreatorLinkSerializer(serializers.Serializer):
    code = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The tracked link to share.")
    video = serializers.IntegerField(source="video_id")
    listing = serializers.IntegerField(source="listing_id")
    title = serializers.CharField(source="listing.title")
    rate = serializers.CharField(
        source="percent", help_text='The commission rate it carries, in percent: "12.5".'
    )
    rate_locked_until = serializers.DateTimeField(help_text="Until when the rate holds, whatever it becomes.")
    clicks = serializers.IntegerField(source="click_count")
    orders = serializers.IntegerField(source="order_count", help_text="Orders bought through it.")
    created_at = serializers.DateTimeField()

    @extend_schema_field(serializers.URLField())
    def get_url(self, link: CreatorLink) -> str:
        return _tracked_url(link, self.context.get("request"))


class CreatorLinkAddSerializer(serializers.Serializer):
    video = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="One of your videos.")
    listing = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="An item on sale.")


class CreatorTotalsSerializer(serializers.Serializer):
    clicks = serializers.IntegerField(source="total_clicks", help_text="On all your links.")
    orders = serializers.IntegerField(source="total_orders", help_text="Bought through your links.")
    pending = serializers.DecimalField(
        source="total_pending", **MONEY, help_text="Paid once the orders complete."
    )
    paid = serializers.DecimalField(source="total_paid", **MONEY, help_text="Paid into your wallet.")


class CreatorCommissionSerializer(serializers.Serializer):
    order = serializers.CharField(source="order.number", help_text="The order's number.")
    title = serializers.CharField(source="order.title", help_text="The item.")
    status = serializers.CharField(help_text="pending, paid, reversed (refunded) or refused (see refusal).")
    status_display = serializers.CharField(source="get_status_display", help_text="The status in words.")
    amount = serializers.DecimalField(**MONEY, help_text="0 when reversed or refused.")
    rate = serializers.CharField(source="percent", help_text='In percent: "12.5".')
    refusal = serializers.SerializerMethodField(
        help_text="Why it earns nothing: own_link, own_item, shared_address or shared_payout; null otherwise."
    )
    refusal_text = serializers.SerializerMethodField(help_text="The same in the request's language.")
    clicked_at = serializers.DateTimeField(help_text="The buyer's click that earned it.")
    created_at = serializers.DateTimeField()
    settled_at = serializers.DateTimeField(allow_null=True, help_text="When it was paid or reversed.")

    @extend_schema_field(OpenApiTypes.STR)
    def get_refusal(self, commission: Commission) -> str | None:
        return commission.refusal or None

    @extend_schema_field(OpenApiTypes.STR)
    def get_refusal_text(self, commission: Commission) -> str | None:
        return str(creators.REFUSALS[commission.refusal]) if commission.refusal in creators.REFUSALS else None


class CreatorStatementSerializer(serializers.Serializer):
    totals = CreatorTotalsSerializer()
    next = serializers.URLField(allow_null=True, help_text="The next (older) page, or null on the last.")
    previous = serializers.URLField(
        allow_null=True, help_text="The previous (newer) page, or null on the first."
    )
    results = CreatorCommissionSerializer(many=True, help_text="Your commissions, newest first.")


class ListingCreatorRateSerializer(serializers.Serializer):
    rate = serializers.CharField(
        max_length=20, help_text='In percent, from the category\'s rate to 50, two decimals at most: "12.5".'
    )


class ListingCreatorRateAnswerSerializer(serializers.Serializer):
    listing = serializers.IntegerField()
    rate = serializers.CharField(help_text="In percent: what a link to the item shared now carries.")
    category_rate = serializers.CharField(help_text="In percent: Reloop's rate for the item's category.")


CreatorVideoPageSerializer = page_serializer(CreatorVideoSerializer, name="CreatorVideoPage")
CreatorLinkPageSerializer = page_serializer(CreatorLinkSerializer, name="CreatorLinkPage")


def _cursor(request: Request) -> str | None:
    query = CursorQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("cursor")


# --- Views -------------------------------------------------------------------------------------------


class CreatorAPIView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated,)


class CreatorProfileView(CreatorAPIView):
    @extend_schema(
        operation_id="creator_retrieve",
        summary="Your creator application and staff's decision",
        responses={200: CreatorProfileSerializer, 404: OpenApiResponse(description="You never applied.")},
        tags=["creators"],
    )
    def get(self, request: Request) -> Response:
        return Response(CreatorProfileSerializer(_creator_of(api_user(request))).data)

    @extend_schema(
        operation_id="creator_apply",
        summary="Apply to be a creator, or again after a refusal",
        description="`already_applied` while an application waits or once approved; `handle_taken`, "
        "`handle` or `pitch` for the input to fix.",
        request=CreatorApplySerializer,
        responses={201: CreatorProfileSerializer, 400: REFUSED},
        tags=["creators"],
    )
    def post(self, request: Request) -> Response:
        form = CreatorApplySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        creator = creator_apply(user=api_user(request), **form.validated_data)
        return Response(CreatorProfileSerializer(creator).data, status=status.HTTP_201_CREATED)


class CreatorVideoListView(CreatorAPIView):
    parser_classes = (MultiPartParser, FormParser)

    def initial(self, request: Request, *args, **kwargs) -> None:
        # Before anything reads the body (the session's CSRF check does): a video's size limit, not
        # a photo's, for its file.
        if request.method == "POST":
            request._request.upload_handlers = video_upload_handlers(request._request)
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="creator_videos_list",
        summary="Your videos, newest first, with the video job's progress and their links",
        parameters=[CursorQuerySerializer],
        responses={200: CreatorVideoPageSerializer, 400: REFUSED, 403: NOT_A_CREATOR},
        tags=["creators"],
    )
    def get(self, request: Request) -> Response:
        creator = _approved(api_user(request))
        page = paginate(_videos(creator.pk), order_by=NEWEST_FIRST, cursor=_cursor(request), size=PAGE_SIZE)
        return Response(page_data(page, request=request, serializer_class=CreatorVideoSerializer))

    @extend_schema(
        operation_id="creator_videos_create",
        summary="Post a video featuring items on sale, with a tracked link to each",
        description="Answers at once with the video waiting for the video job; ask the list again for "
        "its progress. Each link carries the commission rate of today for CREATOR_RATE_LOCK_DAYS. "
        "`not_on_sale` or `own_item` name the item at fault; nothing is kept when refused.",
        request={"multipart/form-data": CreatorVideoUploadSerializer},
        responses={202: CreatorVideoSerializer, 400: REFUSED, 403: NOT_A_CREATOR, 413: TOO_LARGE},
        tags=["creators"],
    )
    def post(self, request: Request) -> Response:
        # Before the body is read (a token's request; a session's CSRF check has read it already): a
        # non-creator's file is not even written to a temporary file.
        _approved(api_user(request))
        form = CreatorVideoUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        video = creator_video_upload(
            by=api_user(request),
            upload=form.validated_data["video"],
            caption=form.validated_data["caption"],
            listing_ids=form.validated_data["listings"],
        )
        # Read back as the list reads it, so that the answer is a row of the list.
        row = _videos(video.creator_id).get(pk=video.pk)
        return Response(
            CreatorVideoSerializer(row, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )


class CreatorLinkListView(CreatorAPIView):
    # The service names the item at fault `listings` (as when posting a video); here it is `listing`.
    error_fields = {"listings": "listing"}

    @extend_schema(
        operation_id="creator_links_list",
        summary="Your tracked links, newest first, with their rate, clicks and orders",
        parameters=[CursorQuerySerializer],
        responses={200: CreatorLinkPageSerializer, 400: REFUSED, 403: NOT_A_CREATOR},
        tags=["creators"],
    )
    def get(self, request: Request) -> Response:
        creator = _approved(api_user(request))
        page = paginate(_links(creator.pk), order_by=NEWEST_FIRST, cursor=_cursor(request), size=PAGE_SIZE)
        return Response(page_data(page, request=request, serializer_class=CreatorLinkSerializer))

    @extend_schema(
        operation_id="creator_links_create",
        summary="Add a tracked link to one more item to one of your videos",
        description="`not_on_sale`, `own_item`, `linked_already` or `listings` (the video features as "
        "many items as it may); someone else's video answers 404.",
        request=CreatorLinkAddSerializer,
        responses={201: CreatorLinkSerializer, 400: REFUSED, 403: NOT_A_CREATOR, 404: OpenApiResponse()},
        tags=["creators"],
    )
    def post(self, request: Request) -> Response:
        form = CreatorLinkAddSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = api_user(request)
        try:
            link = creator_link_add(
                by=user, video_id=form.validated_data["video"], listing_id=form.validated_data["listing"]
            )
        except CreatorVideo.DoesNotExist as error:
            raise Http404 from error
        row = _links(link.video.creator_id).get(pk=link.pk)
        return Response(
            CreatorLinkSerializer(row, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class CreatorStatementView(CreatorAPIView):
    @extend_schema(
        operation_id="creator_statement",
        summary="Your totals and your commissions, newest first",
        description="A commission is pending from the order's payment until it completes (paid into your "
        "wallet) or is refunded (reversed). A purchase where you are on both sides earns nothing "
        "(`refused`), and `refusal` says which rule.",
        parameters=[CursorQuerySerializer],
        responses={200: CreatorStatementSerializer, 400: REFUSED, 403: NOT_A_CREATOR},
        tags=["creators"],
    )
    def get(self, request: Request) -> Response:
        creator = _approved(api_user(request), rows=with_totals(Creator.objects.all()))
        page = paginate(
            _commissions(creator.pk), order_by=NEWEST_FIRST, cursor=_cursor(request), size=PAGE_SIZE
        )
        data = {
            "totals": creator,
            "next": page_link(request, page.next_cursor),
            "previous": page_link(request, page.previous_cursor),
            "results": page.items,
        }
        return Response(CreatorStatementSerializer(data, context={"request": request}).data)


class ListingCreatorRateView(CreatorAPIView):
    @extend_schema(
        operation_id="my_listings_creator_rate",
        summary="Offer creators more than the category's commission rate on one of your items",
        description="A private seller's item only. A rate equal to the category's takes your own away; "
        "links shared before keep their rate for CREATOR_RATE_LOCK_DAYS. `rate` (not a percentage), "
        "`rate_range` (outside 0 to 50%) or `rate_below_category`.",
        request=ListingCreatorRateSerializer,
        responses={200: ListingCreatorRateAnswerSerializer, 400: REFUSED, 404: OpenApiResponse()},
        tags=["creators"],
    )
    def put(self, request: Request, listing_id: int) -> Response:
        form = ListingCreatorRateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            listing = listing_rate_set(
                listing_id=listing_id, by=api_user(request), rate=form.validated_data["rate"]
            )
        except Listing.DoesNotExist as error:
            raise Http404 from error
        answer = {
            "listing": listing.pk,
            "rate": rate_percent(creators.current_rate(listing)),
            "category_rate": rate_percent(creators.category_rate(listing)),
        }
        return Response(ListingCreatorRateAnswerSerializer(answer).data)
