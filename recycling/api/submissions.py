"""A seller's submissions: submit an item with its photos, follow it, book free shipping, cancel.

Every endpoint needs a signed-in user (401 otherwise). A seller finds only their own submissions;
staff may read any (recycling.selectors.submissions_visible_to). Anyone else's answers 404 exactly as
a missing one does, so ids reveal nothing about who owns what.

Submitting is `multipart/form-data`, because photos travel with the description:

- `category`: the category's slug; `catalog_model`: a catalog model's id, or else `brand` (a brand's
  slug, optional) and `title`;
- `attributes` and `condition_answers`: each one form field holding a JSON object;
- one file field per photo view, named `photo_<view>` (`photo_front`, `photo_back`, …) after the
  views recycling.questionnaire lists for the category.

Bad input answers 400 with the messages under the field to fix (`{"photo_back": ["…"]}`); errors
found by the services also carry their `code` and `detail`.
"""

from django.core.exceptions import SuspiciousOperation
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.addresses import clean_postal_address
from accounts.http import api_user
from listings.api.serializers import ErrorSerializer
from listings.errors import PhotoRejected
from listings.models import Brand, CatalogModel, Category
from marketplace.api import LocalizedAPIView, domain_error_response
from marketplace.keyset import paginate
from marketplace.pagination import page_data, page_serializer
from marketplace.rate_limits import EstimateLimit, PhotoUploadLimit
from recycling.api.serializers import (
    PHOTO_FIELD_PREFIX,
    PickupSlotSerializer,
    ShipmentSerializer,
    ShippingBookSerializer,
    SubmissionCardSerializer,
    SubmissionCreateSerializer,
    SubmissionDetailSerializer,
    SubmissionQuerySerializer,
    photo_field,
)
from recycling.errors import ShippingError, SubmissionError
from recycling.models import Submission, SubmissionEvent
from recycling.questionnaire import questionnaire_for
from recycling.selectors import submissions_visible_to
from recycling.services.intake import submission_cancel, submission_create
from recycling.services.shipping import live_inbound_shipment, pickup_slots, shipping_book
from shipping.carriers import CarrierUnavailable

PAGE_SIZE = 24
OWN_ORDER = ("-created_at", "-id")  # the submission_seller_newest index

SubmissionPageSerializer = page_serializer(SubmissionCardSerializer, name="SubmissionPage")

NOT_FOUND = OpenApiResponse(description="No such submission among those you may see.")
BAD_INPUT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Field errors: `{field: [messages]}`. Errors found while submitting also carry `code` "
    'and `detail`, e.g. `{"code": "photo_missing", "detail": "…", "photo_back": ["…"]}`.',
)
DOMAIN_ERROR = OpenApiResponse(ErrorSerializer, description="A domain error with its `code`.")
NOT_NOW = OpenApiResponse(ErrorSerializer, description="`invalid_transition`: not possible in its status.")


def _own_submissions(user) -> QuerySet[Submission]:
    """The user's own submissions with what a list row shows: category, brand, catalog model (joined)
    and valuations (one more query per page)."""
    return (
        Submission.objects.filter(seller_id=user.pk)
        .select_related("category", "brand", "catalog_model")
        .prefetch_related("valuations")
    )


def _with_details(queryset: QuerySet[Submission]) -> QuerySet[Submission]:
    """What one submission's page shows: one query each for its timeline, photos, valuations and
    shipments."""
    return queryset.prefetch_related(
        Prefetch("events", queryset=SubmissionEvent.objects.order_by("at", "id")),
        "photos",
        "valuations",
    )


class SubmissionAPIView(LocalizedAPIView):
    """Signed-in users only (401 otherwise)."""

    permission_classes = (IsAuthenticated,)

    def visible_submission(self, submission_id: int) -> Submission:
        try:
            submission = _with_details(submissions_visible_to(api_user(self.request))).get(pk=submission_id)
        except Submission.DoesNotExist as error:
            raise Http404 from error
        submission.inbound_shipment = live_inbound_shipment(submission)  # read by the serializer
        return submission

    def own_submission_id(self, submission_id: int) -> int:
        """The id, if the submission is the user's own (staff read others' but do not act for them)."""
        if not Submission.objects.filter(pk=submission_id, seller_id=self.request.user.pk).exists():
            raise Http404
        return submission_id

    def render_submission(self, submission_id: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        # Read back with the same joins as a GET, so that every answer has the same shape.
        submission = self.visible_submission(submission_id)
        data = SubmissionDetailSerializer(submission, context={"request": self.request}).data
        return Response(data, status=status_code)


class SubmissionListView(SubmissionAPIView):
    parser_classes = (MultiPartParser, FormParser)
    # Only a POST (a new submission: photos and an estimate) is counted; listing yours is free.
    throttle_classes = (PhotoUploadLimit, EstimateLimit)

    @extend_schema(
        operation_id="submissions_list",
        summary="Your submissions, newest first",
        parameters=[SubmissionQuerySerializer],
        responses={200: SubmissionPageSerializer, 400: DOMAIN_ERROR},
        tags=["recycling"],
    )
    def get(self, request: Request) -> Response:
        query = SubmissionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        queryset = _own_submissions(api_user(request))
        if query.validated_data.get("status"):
            queryset = queryset.filter(status=query.validated_data["status"])
        page = paginate(
            queryset, order_by=OWN_ORDER, cursor=query.validated_data.get("cursor"), size=PAGE_SIZE
        )
        return Response(page_data(page, request=request, serializer_class=SubmissionCardSerializer))

    @extend_schema(
        operation_id="submissions_create",
        summary="Submit an item for recycle or consignment",
        description="Multipart form: the description, the answers as JSON text, and one file field per "
        "photo view (`photo_<view>`). The estimate is made in the background: poll the submission "
        "until its status is `estimated`.",
        request={"multipart/form-data": SubmissionCreateSerializer},
        responses={
            201: SubmissionDetailSerializer,
            400: BAD_INPUT,
            403: OpenApiResponse(
                ErrorSerializer, description="`email_unconfirmed`: confirm your e-mail address first."
            ),
            413: OpenApiResponse(
                ErrorSerializer,
                description="`too_large` (one photo past its size limit, named by `field`) or "
                "`request_too_large` (the photos together): refused before anything is stored.",
            ),
            429: OpenApiResponse(
                ErrorSerializer, description="`throttled`: too many photos or estimates lately."
            ),
        },
        tags=["recycling"],
    )
    def post(self, request: Request) -> Response:
        data = self._form(request)
        serializer = SubmissionCreateSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        errors: dict[str, list[str]] = {}
        category = self._lookup(Category, "category", slug=values["category"], errors=errors)
        catalog_model = None
        if values.get("catalog_model"):
            catalog_model = self._lookup(
                CatalogModel, "catalog_model", pk=values["catalog_model"], errors=errors
            )
        brand = None
        if values.get("brand"):
            brand = self._lookup(Brand, "brand", slug=values["brand"], errors=errors)
        photos = self._photos(request, errors)
        if errors:
            raise ValidationError(errors)
        try:
            submission = submission_create(
                seller=api_user(request),
                category=category,
                brand=brand,
                catalog_model=catalog_model,
                title=values.get("title", ""),
                attributes=values.get("attributes", {}),
                condition_answers=values.get("condition_answers", {}),
                photos=photos,
                client_token=values.get("client_token"),
            )
        except SubmissionError as error:
            fields = [error.field] if error.field else []
            if error.field == "photos":
                fields = self._photo_fields(
                    error, category=category, attributes=values.get("attributes", {}), photos=photos
                )
            return domain_error_response(error, fields)
        except PhotoRejected as error:
            view = getattr(error, "view", None)
            return domain_error_response(error, [photo_field(view)] if view else ["photos"])
        return self.render_submission(submission.pk, status_code=status.HTTP_201_CREATED)

    @staticmethod
    def _form(request: Request):
        """The parsed form. A body past the upload limits (too many fields or files, too many bytes
        outside files) is the client's mistake: 400, not the bare error page Django would show."""
        try:
            return request.data
        except SuspiciousOperation as error:
            raise ParseError(_("This request is too large or has too many fields.")) from error

    @staticmethod
    def _lookup(model, field: str, *, errors: dict, **where):
        try:
            return model.objects.get(**where)
        except model.DoesNotExist:
            errors[field] = [_("There is no such %(thing)s.") % {"thing": model._meta.verbose_name}]
            return None

    @staticmethod
    def _photos(request: Request, errors: dict) -> dict:
        """`photo_<view>` file fields as {view: file}, exactly one file per view."""
        photos = {}
        for name in request.FILES:
            if not name.startswith(PHOTO_FIELD_PREFIX):
                continue
            files = request.FILES.getlist(name)
            if len(files) != 1:
                errors[name] = [_("Send one photo per view.")]
                continue
            photos[name.removeprefix(PHOTO_FIELD_PREFIX)] = files[0]
        return photos

    @staticmethod
    def _photo_fields(
        error: SubmissionError, *, category: Category, attributes: dict, photos: dict
    ) -> list[str]:
        """The photo fields a service error is about: the missing views, or the ones not asked for."""
        asked = questionnaire_for(category)
        if error.code == "photo_missing":
            views = [view.name for view in asked.required_views(attributes) if view.name not in photos]
        else:
            views = [view for view in photos if asked.view(view) is None]
        return ["photos", *(photo_field(view) for view in views)]


class SubmissionDetailView(SubmissionAPIView):
    @extend_schema(
        operation_id="submissions_retrieve",
        summary="One submission: status, timeline, photo checks, estimate and shipping",
        responses={200: SubmissionDetailSerializer, 404: NOT_FOUND},
        tags=["recycling"],
    )
    def get(self, request: Request, submission_id: int) -> Response:
        return self.render_submission(submission_id)


class SubmissionShippingView(SubmissionAPIView):
    @extend_schema(
        operation_id="submissions_shipping_create",
        summary="Book free shipping for an estimated submission",
        description="Courier `pickup` in one of the offered slots (see `pickup_slots_list`), or "
        "`drop_off` at a carrier point. Returns the tracking number and the label to print. Booking "
        "again while a label is live (a retry, a second tab) returns that shipment with 200.",
        request=ShippingBookSerializer,
        responses={
            201: ShipmentSerializer,
            200: OpenApiResponse(ShipmentSerializer, description="Already booked: the live shipment."),
            400: OpenApiResponse(
                ErrorSerializer,
                description="Field errors, or a domain error with its `code`: `not_estimated`, "
                "`estimate_expired`, `slot_required`, `slot_unavailable`.",
            ),
            404: NOT_FOUND,
            503: OpenApiResponse(ErrorSerializer, description="`carrier_unavailable`: try again shortly."),
        },
        tags=["recycling"],
    )
    def post(self, request: Request, submission_id: int) -> Response:
        asked_at = timezone.now()
        submission_id = self.own_submission_id(submission_id)
        serializer = ShippingBookSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        address = serializer.validated_data.get("address")
        shipment = shipping_book(
            submission_id=submission_id,
            seller=api_user(request),
            method=serializer.validated_data["method"],
            pickup_start=serializer.validated_data.get("pickup_start"),
            address=clean_postal_address(address) if address is not None else None,
        )
        data = ShipmentSerializer(shipment, context={"request": request, "submission_id": submission_id}).data
        booked_now = shipment.created_at >= asked_at
        return Response(data, status=status.HTTP_201_CREATED if booked_now else status.HTTP_200_OK)


class PickupSlotListView(SubmissionAPIView):
    @extend_schema(
        operation_id="pickup_slots_list",
        summary="Courier pickup windows on offer now, earliest first",
        responses={
            200: PickupSlotSerializer(many=True),
            503: OpenApiResponse(ErrorSerializer, description="`carrier_unavailable`: try again shortly."),
        },
        tags=["recycling"],
    )
    def get(self, request: Request) -> Response:
        try:
            slots = pickup_slots()
        except CarrierUnavailable:
            error = ShippingError(
                _("The carrier is not answering right now. Please try again in a few minutes."),
                code="carrier_unavailable",
            )
            error.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
            raise error from None
        return Response(PickupSlotSerializer([{"start": s, "end": e} for s, e in slots], many=True).data)


class SubmissionCancelView(SubmissionAPIView):
    @extend_schema(
        operation_id="submissions_cancel",
        summary="Cancel a submission before the parcel reaches the centre",
        request=None,
        responses={200: SubmissionDetailSerializer, 404: NOT_FOUND, 409: NOT_NOW},
        tags=["recycling"],
    )
    def post(self, request: Request, submission_id: int) -> Response:
        submission_id = self.own_submission_id(submission_id)
        submission_cancel(submission_id=submission_id, seller=api_user(request))
        return self.render_submission(submission_id)
