"""A seller's own listings: list, create, read, change, withdraw, add and remove photos, and the
listing's video (which staff may change on Reloop's stock too).

Every endpoint needs a signed-in user and only ever finds that user's listings: another seller's
listing answers 404 exactly as a missing one does, so ids reveal nothing about who owns what.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_user
from listings import services
from listings.api.serializers import (
    ErrorSerializer,
    ListingCreateSerializer,
    ListingUpdateSerializer,
    OwnListingCardSerializer,
    OwnListingSerializer,
    OwnPhotoSerializer,
    PhotoUploadSerializer,
    VideoStateSerializer,
    VideoUploadSerializer,
)
from listings.models import Listing, ListingPhoto, ListingStatus, ListingVideo
from listings.selectors import (
    category_tree,
    listing_for_owner,
    listing_for_video,
    listing_video_state,
    listings_for_owner,
)
from listings.services.videos import listing_video_remove, listing_video_upload
from listings.videos import video_upload_handlers
from marketplace.api import LocalizedAPIView
from marketplace.pagination import page_data, page_serializer
from marketplace.rate_limits import PhotoUploadLimit

PAGE_SIZE = 24

# --- Views --------------------------------------------------------------------------------------------

OwnListingPageSerializer = page_serializer(OwnListingCardSerializer, name="OwnListingPage")

NOT_FOUND = OpenApiResponse(description="No such listing among yours.")
DOMAIN_ERROR = OpenApiResponse(ErrorSerializer, description="Field errors, or a domain error with its code.")
NOT_NOW = OpenApiResponse(ErrorSerializer, description="`invalid_transition`: not possible in its status.")


class OwnListingQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=ListingStatus.choices, required=False, help_text="Only listings in this status."
    )
    cursor = serializers.CharField(required=False, max_length=512)


class SellerAPIView(LocalizedAPIView):
    """Signed-in users only (401 otherwise); listings are looked up among the user's own."""

    permission_classes = (IsAuthenticated,)

    def own_listing(self, listing_id: int) -> Listing:
        try:
            return listing_for_owner(listing_id=listing_id, seller=api_user(self.request))
        except Listing.DoesNotExist as error:
            raise Http404 from error

    def render_listing(self, listing_id: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        # Read back through the selector so that the answer has the same shape (and joins) as a GET.
        listing = self.own_listing(listing_id)
        return Response(
            OwnListingSerializer(listing, context={"request": self.request}).data, status=status_code
        )


class OwnListingListView(SellerAPIView):
    @extend_schema(
        operation_id="my_listings_list",
        summary="Your listings, newest first, in every status",
        parameters=[OwnListingQuerySerializer],
        responses={200: OwnListingPageSerializer, 400: DOMAIN_ERROR},
        tags=["selling"],
    )
    def get(self, request: Request) -> Response:
        query = OwnListingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = listings_for_owner(
            seller=api_user(request),
            status=query.validated_data.get("status"),
            cursor=query.validated_data.get("cursor"),
            size=PAGE_SIZE,
        )
        categories = {category.pk: category for category in category_tree().categories}
        return Response(
            page_data(
                page,
                request=request,
                serializer_class=OwnListingCardSerializer,
                context={"categories": categories},
            )
        )

    @extend_schema(
        operation_id="my_listings_create",
        summary="List an item",
        request=ListingCreateSerializer,
        responses={
            201: OwnListingSerializer,
            400: DOMAIN_ERROR,
            403: OpenApiResponse(
                ErrorSerializer, description="`email_unconfirmed`: confirm your e-mail address first."
            ),
        },
        tags=["selling"],
    )
    def post(self, request: Request) -> Response:
        serializer = ListingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        listing = services.listing_create(seller=api_user(request), **serializer.validated_data)
        return self.render_listing(listing.pk, status_code=status.HTTP_201_CREATED)


class OwnListingDetailView(SellerAPIView):
    @extend_schema(
        operation_id="my_listings_retrieve",
        summary="One of your listings",
        responses={200: OwnListingSerializer, 404: NOT_FOUND},
        tags=["selling"],
    )
    def get(self, request: Request, listing_id: int) -> Response:
        return self.render_listing(listing_id)

    @extend_schema(
        operation_id="my_listings_partial_update",
        summary="Change one of your listings",
        request=ListingUpdateSerializer(partial=True),
        responses={200: OwnListingSerializer, 400: DOMAIN_ERROR, 404: NOT_FOUND},
        tags=["selling"],
    )
    def patch(self, request: Request, listing_id: int) -> Response:
        serializer = ListingUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            services.listing_update(
                listing_id=listing_id, seller=api_user(request), **serializer.validated_data
            )
        except Listing.DoesNotExist as error:
            raise Http404 from error
        return self.render_listing(listing_id)


class OwnListingWithdrawView(SellerAPIView):
    @extend_schema(
        operation_id="my_listings_withdraw",
        summary="Take one of your listings off sale",
        request=None,
        responses={200: OwnListingSerializer, 404: NOT_FOUND, 409: NOT_NOW},
        tags=["selling"],
    )
    def post(self, request: Request, listing_id: int) -> Response:
        try:
            services.listing_withdraw(listing_id=listing_id, seller=api_user(request))
        except Listing.DoesNotExist as error:
            raise Http404 from error
        return self.render_listing(listing_id)


class OwnListingPhotoListView(SellerAPIView):
    parser_classes = (MultiPartParser, FormParser)
    throttle_classes = (PhotoUploadLimit,)

    @extend_schema(
        operation_id="my_listings_photos_create",
        summary="Add a photo to one of your listings",
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={
            201: OwnPhotoSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="No file, or a file rejected by the photo checks (see `code`)."
            ),
            404: NOT_FOUND,
            413: OpenApiResponse(
                ErrorSerializer,
                description="`too_large`: the file is past the photo size limit, refused before it is stored.",
            ),
            429: OpenApiResponse(ErrorSerializer, description="`throttled`: too many photos lately."),
        },
        tags=["selling"],
    )
    def post(self, request: Request, listing_id: int) -> Response:
        serializer = PhotoUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            photo = services.listing_photo_add(
                listing_id=listing_id, seller=api_user(request), upload=serializer.validated_data["image"]
            )
        except Listing.DoesNotExist as error:
            raise Http404 from error
        data = OwnPhotoSerializer(photo, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class OwnListingPhotoDetailView(SellerAPIView):
    @extend_schema(
        operation_id="my_listings_photos_destroy",
        summary="Remove a photo from one of your listings",
        parameters=[OpenApiParameter("photo_id", int, OpenApiParameter.PATH)],
        responses={204: None, 404: NOT_FOUND},
        tags=["selling"],
    )
    def delete(self, request: Request, listing_id: int, photo_id: int) -> Response:
        # The photo must belong to the listing in the URL, and the listing to the user.
        if not ListingPhoto.objects.filter(pk=photo_id, listing_id=listing_id).exists():
            raise Http404
        try:
            services.listing_photo_remove(photo_id=photo_id, seller=api_user(request))
        except (Listing.DoesNotExist, ListingPhoto.DoesNotExist) as error:
            raise Http404 from error
        return Response(status=status.HTTP_204_NO_CONTENT)


NOT_YOURS = gettext_lazy("No such listing among those you may change.")
VIDEO_NOT_FOUND = OpenApiResponse(
    ErrorSerializer, description="`not_found`: no such listing among those you may change."
)


class OwnListingVideoView(SellerAPIView):
    """A listing's video: its seller's, or staff's on Reloop's stock (listings.selectors.listing_for_video).
    Anyone else's listing answers 404, as a missing one does, and nothing is stored."""

    parser_classes = (MultiPartParser, FormParser)

    def initial(self, request: Request, *args, **kwargs) -> None:
        # Before anything reads the body (the session's CSRF check does): a video's size limit, not
        # a photo's, for its file.
        if request.method == "POST":
            request._request.upload_handlers = video_upload_handlers(request._request)
        super().initial(request, *args, **kwargs)

    def video_listing(self, listing_id: int) -> Listing:
        try:
            return listing_for_video(listing_id=listing_id, user=api_user(self.request))
        except Listing.DoesNotExist as error:
            raise NotFound(NOT_YOURS) from error

    def state(self, listing_id: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        video = listing_video_state(listing_id=listing_id)
        return Response(
            VideoStateSerializer(video, context={"request": self.request}).data, status=status_code
        )

    @extend_schema(
        operation_id="my_listings_video_retrieve",
        summary="A listing's video, and the video job's progress on a new one",
        responses={200: VideoStateSerializer, 404: VIDEO_NOT_FOUND},
        tags=["selling"],
    )
    def get(self, request: Request, listing_id: int) -> Response:
        return self.state(self.video_listing(listing_id).pk)

    @extend_schema(
        operation_id="my_listings_video_create",
        summary="Send a video for a listing; it replaces the one shown once it is ready",
        request={"multipart/form-data": VideoUploadSerializer},
        responses={
            202: VideoStateSerializer,
            400: OpenApiResponse(ErrorSerializer, description="No file, or `listing_not_editable`."),
            404: VIDEO_NOT_FOUND,
            413: OpenApiResponse(
                ErrorSerializer,
                description="`too_large`: the file is past LISTING_VIDEO_MAX_BYTES, refused before it is stored.",
            ),
        },
        tags=["selling"],
    )
    def post(self, request: Request, listing_id: int) -> Response:
        listing = self.video_listing(listing_id)
        serializer = VideoUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            listing_video_upload(
                listing_id=listing.pk, by=api_user(request), upload=serializer.validated_data["video"]
            )
        except Listing.DoesNotExist as error:
            raise NotFound(NOT_YOURS) from error
        return self.state(listing.pk, status_code=status.HTTP_202_ACCEPTED)

    @extend_schema(
        operation_id="my_listings_video_destroy",
        summary="Remove a listing's video, and any on its way",
        responses={204: None, 400: DOMAIN_ERROR, 404: VIDEO_NOT_FOUND},
        tags=["selling"],
    )
    def delete(self, request: Request, listing_id: int) -> Response:
        listing = self.video_listing(listing_id)
        try:
            listing_video_remove(listing_id=listing.pk, by=api_user(request))
        except Listing.DoesNotExist as error:
            raise NotFound(NOT_YOURS) from error
        except ListingVideo.DoesNotExist as error:
            raise NotFound(_("This listing has no video.")) from error
        return Response(status=status.HTTP_204_NO_CONTENT)
