"""Serializers for the submissions API. They read and validate; writes go through recycling.services.

A submission's photos are private: the API says which views were sent, their size and what the
photo checks found, but never gives a URL to the pictures themselves.
"""

import json
from functools import cached_property

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api import AddressInputSerializer
from listings.api.serializers import BrandSerializer, CategorySerializer
from listings.models import CatalogModel, Grade
from marketplace.api import MONEY
from recycling.models import (
    Offer,
    OfferKind,
    Submission,
    SubmissionEvent,
    SubmissionPhoto,
    SubmissionStatus,
    Valuation,
)
from recycling.offers import offer_figures
from recycling.photo_checks import photo_flag_text
from recycling.questionnaire import DEFAULT, QUESTIONNAIRES
from recycling.selectors import INSPECTED_STATUSES, offers_for, report_code_for
from recycling.services.transitions import ALLOWED, CANCELLABLE
from recycling.valuation import reason_text
from shipping.models import Shipment, ShipmentStatus, ShippingMethod

PHOTO_FIELD_PREFIX = "photo_"
# Generous for any category's questions, small enough that a request cannot make us parse megabytes.
ANSWERS_MAX_CHARACTERS = 10_000
ANSWERS_MAX_KEYS = 60
ANSWER_MAX_LENGTH = 200


def photo_field(view: str) -> str:
    """The multipart field that carries the photo of `view`: `photo_front`, `photo_screen_on`…"""
    return f"{PHOTO_FIELD_PREFIX}{view}"


# --- Input --------------------------------------------------------------------------------------------


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]},
    }
)
class AnswersField(serializers.Field):
    """A flat JSON object of answers, sent in a multipart form as one field holding JSON text
    (`{"storage": "128 GB", "colour": "black"}`). Values are text, numbers or true/false; which keys
    and values a category accepts is checked by recycling.services against its questionnaire."""

    default_error_messages = {
        "invalid_json": _('This is not valid JSON; send an object such as {{"storage": "128 GB"}}.'),
        "not_an_object": _('Send a JSON object such as {{"storage": "128 GB"}}.'),
        "too_long": _("These answers are too long."),
        "bad_value": _("Each answer must be text, a number, or true or false."),
    }

    def to_internal_value(self, data: object) -> dict:
        if isinstance(data, str):
            if len(data) > ANSWERS_MAX_CHARACTERS:
                self.fail("too_long")
            try:
                data = json.loads(data)
            except (ValueError, RecursionError):
                self.fail("invalid_json")
        if not isinstance(data, dict):
            self.fail("not_an_object")
        if len(data) > ANSWERS_MAX_KEYS:
            self.fail("too_long")
        for key, value in data.items():
            if len(key) > 50:
                self.fail("too_long")
            if not self._is_scalar(value):
                self.fail("bad_value")
        return data

    def to_representation(self, value: dict) -> dict:
        return value

    @staticmethod
    def _is_scalar(value: object) -> bool:
        if isinstance(value, str):  # PostgreSQL's jsonb cannot store U+0000
            return len(value) <= ANSWER_MAX_LENGTH and "\x00" not in value
        return isinstance(value, bool | int | float) and value == value  # NaN is no answer


def _photo_fields() -> dict[str, serializers.FileField]:
    """One optional file field per photo view any category asks for; which of them a category
    requires is checked by recycling.services (a missing one is a 400 under its field)."""
    fields: dict[str, serializers.FileField] = {}
    for each in (*QUESTIONNAIRES.values(), DEFAULT):
        for view in each.photo_views:
            fields.setdefault(
                photo_field(view.name),
                serializers.FileField(
                    required=False,
                    help_text=f"The {view.name.replace('_', ' ')} view (JPEG, PNG or WebP), where the "
                    "category asks for it.",
                ),
            )
    return fields


class SubmissionCreateSerializer(serializers.Serializer):
    """What a seller sends to submit an item. The category's questions (attributes, condition
    questions and photo views) are listed by recycling.questionnaire."""

    category = serializers.SlugField(help_text="The category's slug, e.g. `phones`.")
    catalog_model = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The catalog model's id. Without one, give `brand` (optional) and `title`.",
    )
    brand = serializers.SlugField(
        required=False, allow_blank=True, help_text="The brand's slug, when there is no catalog model."
    )
    title = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=120,
        help_text="The item in the seller's words; required without a catalog model.",
    )
    attributes = AnswersField(
        required=False,
        help_text='The category\'s attributes as a JSON object in one form field, e.g. {"storage": "128GB"}.',
    )
    condition_answers = AnswersField(
        required=False,
        help_text="Answers to the category's condition questions as a JSON object in one form field, e.g. "
        '{"screen_cracks": "no", "battery_health": 91}.',
    )

    client_token = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="A random UUID made once per form: sending the same one again (a retry, a second tab) "
        "returns the first submission instead of making another.",
    )

    def get_fields(self) -> dict:
        # The photo views come from the questionnaire, which may grow; read them when the serializer
        # is built rather than when this module is imported.
        return {**super().get_fields(), **_photo_fields()}


class ShippingBookSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=ShippingMethod.choices)
    pickup_start = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="For `pickup`: the start of one of the offered pickup slots.",
    )
    address = AddressInputSerializer(
        required=False,
        help_text="Where the courier collects the parcel (printed on the label), and where the item "
        "comes back to. Without it, the seller's default address; a pickup needs one of the two.",
    )


class PickupSlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="Send as `pickup_start` to book this slot.")
    end = serializers.DateTimeField()


class SubmissionQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=SubmissionStatus.choices, required=False, help_text="Only submissions in this status."
    )
    cursor = serializers.CharField(required=False, max_length=512)


# --- Output -------------------------------------------------------------------------------------------


class CatalogModelSerializer(serializers.ModelSerializer):
    class Meta:
        model = CatalogModel
        fields = ["id", "name", "launch_year"]


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable message id, for clients that word it themselves.")
    text = serializers.CharField(help_text="In the request's language.")


class EstimateSerializer(serializers.ModelSerializer):
    """The current estimate in a list row: the two ranges and until when they hold."""

    currency = serializers.SerializerMethodField()
    cash_low = serializers.DecimalField(**MONEY, read_only=True, allow_null=True)
    cash_high = serializers.DecimalField(**MONEY, read_only=True, allow_null=True)
    consign_low = serializers.DecimalField(**MONEY, read_only=True, allow_null=True)
    consign_high = serializers.DecimalField(**MONEY, read_only=True, allow_null=True)

    class Meta:
        model = Valuation
        fields = [
            "cash_low",
            "cash_high",
            "consign_low",
            "consign_high",
            "currency",
            "confidence",
            "expires_at",
        ]
        read_only_fields = fields

    def get_currency(self, valuation: Valuation) -> str:
        return settings.CURRENCY


class ValuationSerializer(EstimateSerializer):
    """A pre-valuation with its explanation. Null ranges mean no price could be estimated from the
    details given (e.g. no catalog model); the offer then comes after inspection."""

    confidence_label = serializers.CharField(source="get_confidence_display", read_only=True)
    reasons = serializers.SerializerMethodField()
    expired = serializers.SerializerMethodField()

    class Meta(EstimateSerializer.Meta):
        fields = [
            *EstimateSerializer.Meta.fields,
            "confidence_label",
            "reasons",
            "model_version",
            "created_at",
            "expired",
        ]
        read_only_fields = fields

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, valuation: Valuation) -> list[dict]:
        return [{"code": reason.get("code", ""), "text": reason_text(reason)} for reason in valuation.reasons]

    def get_expired(self, valuation: Valuation) -> bool:
        return valuation.expires_at <= timezone.now()


class PhotoFlagSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="e.g. `blurred`, `too_dark`, `too_small`, `duplicate`.")
    strong = serializers.BooleanField(
        help_text="Whether the estimate holds only once inspection confirms the item."
    )
    message = serializers.CharField(help_text="What to do about it, in the request's language.")


class SubmissionPhotoSerializer(serializers.ModelSerializer):
    flags = serializers.SerializerMethodField(
        help_text="What the photo checks found; empty when all is well."
    )

    class Meta:
        model = SubmissionPhoto
        fields = ["id", "view", "width", "height", "flags"]
        read_only_fields = fields

    @extend_schema_field(PhotoFlagSerializer(many=True))
    def get_flags(self, photo: SubmissionPhoto) -> list[dict]:
        valuation = self.context.get("valuation")
        if valuation is None:
            return []
        return [
            {
                "code": flag.get("code", ""),
                "strong": bool(flag.get("strong")),
                "message": photo_flag_text(flag),
            }
            for flag in valuation.photo_flags
            if flag.get("view") == photo.view
        ]


class TimelineEventSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=SubmissionStatus.choices, source="new", read_only=True)
    status_label = serializers.CharField(source="get_new_display", read_only=True)
    previous_status = serializers.ChoiceField(choices=SubmissionStatus.choices, source="old", read_only=True)
    note = serializers.CharField(
        source="text",
        read_only=True,
        help_text="What happened, in the request's language: Reloop's message, then what a person typed.",
    )
    message = serializers.CharField(
        read_only=True, help_text="The code of Reloop's message; empty when only a person wrote the note."
    )
    params = serializers.DictField(
        read_only=True,
        help_text="The message's parameters: amounts as decimal strings, dates in ISO form, reasons as codes.",
    )

    class Meta:
        model = SubmissionEvent
        fields = ["at", "previous_status", "status", "status_label", "note", "message", "params"]
        read_only_fields = fields


class ShipmentSerializer(serializers.ModelSerializer):
    label_url = serializers.SerializerMethodField(
        help_text="The label PDF to print (signed-in owner or staff)."
    )
    method_label = serializers.CharField(source="get_method_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Shipment
        fields = [
            "id",
            "carrier",
            "tracking_number",
            "method",
            "method_label",
            "pickup_start",
            "pickup_end",
            "status",
            "status_label",
            "label_url",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_label_url(self, shipment: Shipment) -> str | None:
        if not shipment.label_path or shipment.status == ShipmentStatus.CANCELLED:
            return None
        submission_id = self.context.get("submission_id")
        if submission_id is None:
            return None
        url = reverse("shipping:label", args=[submission_id])  # the live label of the submission
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class PriceDropSerializer(serializers.Serializer):
    day = serializers.IntegerField(help_text="Days after listing.")
    share = serializers.DecimalField(
        max_digits=4, decimal_places=2, help_text="Share of the list price taken off."
    )
    price = serializers.DecimalField(**MONEY, help_text="The price from then on (never below the floor).")
    on = serializers.DateField(help_text="The date, if the item were listed today.")


class OfferSerializer(serializers.Serializer):
    """A final (or buy-out) offer: the cash offer and, on a final offer, the consignment terms worked
    out, with the reasons in the request's language and how long it is valid."""

    kind = serializers.ChoiceField(choices=OfferKind.choices)
    grade = serializers.ChoiceField(choices=Grade.choices, help_text="The inspected grade.")
    grade_label = serializers.CharField()
    currency = serializers.CharField()
    cash_amount = serializers.DecimalField(**MONEY, help_text="Recycle: what Reloop pays now.")
    list_price = serializers.DecimalField(**MONEY, allow_null=True)
    commission_rate = serializers.DecimalField(max_digits=4, decimal_places=3, allow_null=True)
    commission = serializers.DecimalField(**MONEY, allow_null=True)
    floor_min = serializers.DecimalField(**MONEY, allow_null=True, help_text="The lowest floor allowed.")
    floor_max = serializers.DecimalField(**MONEY, allow_null=True, help_text="The highest floor allowed.")
    floor_default = serializers.DecimalField(**MONEY, allow_null=True, help_text="The proposed floor.")
    price_drops = PriceDropSerializer(many=True)
    term_days = serializers.IntegerField(allow_null=True)
    expected_payout = serializers.DecimalField(
        **MONEY, allow_null=True, help_text="Consignment: the payout at the list price."
    )
    expected_payout_at_floor = serializers.DecimalField(**MONEY, allow_null=True)
    reasons = ReasonSerializer(many=True, help_text="Why the offer differs from the estimate.")
    valid_until = serializers.DateTimeField()
    days_left = serializers.IntegerField()
    open = serializers.BooleanField(help_text="Whether the seller may still answer it.")
    decision = serializers.CharField(help_text="Empty until answered: recycle, consign, declined, expired.")
    decided_at = serializers.DateTimeField(allow_null=True)


def offer_data(offer: Offer) -> dict:
    """An Offer with its worked-out figures, as OfferSerializer reads it."""
    figures = offer_figures(offer, now=timezone.now(), listed_on=timezone.localdate())
    return {
        "kind": offer.kind,
        "grade": offer.grade,
        "grade_label": offer.get_grade_display(),
        "currency": settings.CURRENCY,
        "cash_amount": offer.cash_amount,
        "list_price": offer.list_price,
        "commission_rate": offer.commission_rate,
        "commission": figures.get("commission"),
        "floor_min": offer.floor_min,
        "floor_max": figures.get("floor_max"),
        "floor_default": offer.floor_default,
        "price_drops": figures.get("drops", []),
        "term_days": offer.term_days,
        "expected_payout": figures.get("expected_payout"),
        "expected_payout_at_floor": figures.get("expected_payout_at_floor"),
        "reasons": [
            {"code": reason.get("code", ""), "text": text}
            for reason, text in zip(offer.reasons, figures["reasons"], strict=True)
        ],
        "valid_until": offer.valid_until,
        "days_left": figures["days_left"],
        "open": figures["open"],
        "decision": offer.decision,
        "decided_at": offer.decided_at,
    }


class SubmissionCardSerializer(serializers.ModelSerializer):
    """A submission in a list: what the seller's dashboard shows in a row."""

    status = serializers.ChoiceField(choices=SubmissionStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    category = CategorySerializer(read_only=True)
    brand = BrandSerializer(read_only=True, allow_null=True)
    catalog_model = CatalogModelSerializer(read_only=True, allow_null=True)
    declared_grade = serializers.ChoiceField(
        choices=Grade.choices, read_only=True, help_text="From the condition answers."
    )
    declared_grade_label = serializers.CharField(source="get_declared_grade_display", read_only=True)
    estimate = serializers.SerializerMethodField(
        help_text="The current estimate, or null before it is ready."
    )

    class Meta:
        model = Submission
        fields = [
            "id",
            "code",
            "title",
            "status",
            "status_label",
            "category",
            "brand",
            "catalog_model",
            "declared_grade",
            "declared_grade_label",
            "estimate",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(EstimateSerializer(allow_null=True))
    def get_estimate(self, submission: Submission) -> dict | None:
        valuation = current_valuation(submission)
        return EstimateSerializer(valuation).data if valuation is not None else None


class SubmissionDetailSerializer(SubmissionCardSerializer):
    """One submission with everything its owner (or staff) may see: answers, photos and their flags,
    the estimate with its reasons, the shipping label, and the timeline."""

    valuation = serializers.SerializerMethodField(
        help_text="The current pre-valuation with its reasons; null while it is being made."
    )
    photos = serializers.SerializerMethodField()
    shipment = serializers.SerializerMethodField(help_text="The inbound shipment once booked, else null.")
    timeline = TimelineEventSerializer(source="events", many=True, read_only=True)
    can_cancel = serializers.SerializerMethodField()
    can_book_shipping = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField(
        help_text="The public inspection report, once the inspection is complete; else null."
    )
    offer = serializers.SerializerMethodField(help_text="The final offer after inspection, else null.")
    buyout_offer = serializers.SerializerMethodField(
        help_text="The fresh cash offer for a consigned item that did not sell, else null."
    )

    class Meta(SubmissionCardSerializer.Meta):
        fields = [
            *SubmissionCardSerializer.Meta.fields,
            "attributes",
            "condition_answers",
            "valuation",
            "photos",
            "shipment",
            "timeline",
            "can_cancel",
            "can_book_shipping",
            "report_url",
            "offer",
            "buyout_offer",
        ]
        read_only_fields = fields

    @cached_property
    def _offers_read(self) -> dict[int, dict[str, Offer]]:
        return {}

    def _offers(self, submission: Submission) -> dict[str, Offer]:
        """The submission's offers, read once per answer and only after inspection."""
        if submission.pk not in self._offers_read:
            self._offers_read[submission.pk] = (
                offers_for(submission) if submission.status in INSPECTED_STATUSES else {}
            )
        return self._offers_read[submission.pk]

    @extend_schema_field(OfferSerializer(allow_null=True))
    def get_offer(self, submission: Submission) -> dict | None:
        offer = self._offers(submission).get(OfferKind.FINAL)
        return OfferSerializer(offer_data(offer)).data if offer is not None else None

    @extend_schema_field(OfferSerializer(allow_null=True))
    def get_buyout_offer(self, submission: Submission) -> dict | None:
        offer = self._offers(submission).get(OfferKind.BUYOUT)
        return OfferSerializer(offer_data(offer)).data if offer is not None else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_report_url(self, submission: Submission) -> str | None:
        code = report_code_for(submission)
        if code is None:
            return None
        path = reverse("reports:detail", args=[code])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(ValuationSerializer(allow_null=True))
    def get_valuation(self, submission: Submission) -> dict | None:
        valuation = current_valuation(submission)
        return ValuationSerializer(valuation).data if valuation is not None else None

    @extend_schema_field(SubmissionPhotoSerializer(many=True))
    def get_photos(self, submission: Submission) -> list[dict]:
        context = {**self.context, "valuation": current_valuation(submission)}
        return SubmissionPhotoSerializer(submission.photos.all(), many=True, context=context).data  # type: ignore[return-value]  # many=True gives a ListSerializer, whose data is a list

    @extend_schema_field(ShipmentSerializer(allow_null=True))
    def get_shipment(self, submission: Submission) -> dict | None:
        shipment = current_shipment(submission)
        context = {**self.context, "submission_id": submission.pk}
        return ShipmentSerializer(shipment, context=context).data if shipment is not None else None

    def _is_owner(self, submission: Submission) -> bool:
        """Only the seller acts on a submission; staff who read it are shown no actions."""
        request = self.context.get("request")
        return request is not None and submission.seller_id == request.user.pk

    def get_can_cancel(self, submission: Submission) -> bool:
        return self._is_owner(submission) and submission.status in CANCELLABLE

    def get_can_book_shipping(self, submission: Submission) -> bool:
        valuation = current_valuation(submission)
        return (
            self._is_owner(submission)
            and SubmissionStatus.SHIPPING in ALLOWED[SubmissionStatus(submission.status)]
            and valuation is not None
            and valuation.expires_at > timezone.now()
        )


def current_valuation(submission: Submission) -> Valuation | None:
    """The newest valuation, from the prefetched `valuations` (newest first by the model's ordering)."""
    valuations = submission.valuations.all()
    return valuations[0] if valuations else None


def current_shipment(submission: Submission) -> Shipment | None:
    """The live inbound shipment, as the view attached it (`inbound_shipment`)."""
    return getattr(submission, "inbound_shipment", None)
