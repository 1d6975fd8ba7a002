"""Reads shared by the submission pages and the API."""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import JSONField, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.functional import Promise

from accounts.models import User
from accounts.roles import STAFF_GROUPS
from inspection.models import Report
from inspection.subjects import SubjectDetails, SubjectPhotoFlag
from listings.models import Category
from providers.scope import scoped, within
from recycling import questionnaire as questions
from recycling.models import (
    Offer,
    OfferKind,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    Valuation,
)
from recycling.photo_checks import photo_flag_problem
from shipping.models import Shipment, ShipmentPurpose, ShipmentStatus

SUBMISSION_PURPOSES = (ShipmentPurpose.INBOUND, ShipmentPurpose.SELLER_RETURN)


def is_staff_member(user: User | AnonymousUser) -> bool:
    """Anyone in a staff group (or a superuser) may look at any submission."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=STAFF_GROUPS).exists()


# Statuses a submission only reaches once its inspection is complete and its report published.
INSPECTED_STATUSES = frozenset(
    {
        SubmissionStatus.OFFERED,
        SubmissionStatus.RECYCLE_ACCEPTED,
        SubmissionStatus.PAID,
        SubmissionStatus.CONSIGN_ACCEPTED,
        SubmissionStatus.LISTED,
        SubmissionStatus.SOLD,
        SubmissionStatus.SETTLED,
        SubmissionStatus.UNSOLD,
        SubmissionStatus.DECLINED,
        SubmissionStatus.EXPIRED,
        SubmissionStatus.REJECTED,
        SubmissionStatus.RETURNING,
        SubmissionStatus.RETURNED,
    }
)


def report_code_for(submission: Submission) -> str | None:
    """The public inspection report's code, once the inspection is complete. One query then, none before."""
    if submission.status not in INSPECTED_STATUSES:
        return None
    return (
        Report.objects.filter(inspection__subject_code=submission.code).values_list("code", flat=True).first()
    )


def offers_for(submission: Submission) -> dict[str, Offer]:
    """The submission's offers by kind ("final", "buyout"): one query."""
    return {offer.kind: offer for offer in Offer.objects.filter(submission=submission)}


def offer_to_answer(offers: dict[str, Offer], submission: Submission) -> Offer | None:
    """The offer the seller is asked about now: the buy-out once the item came back unsold, else the
    final offer."""
    if submission.status == SubmissionStatus.UNSOLD and OfferKind.BUYOUT in offers:
        return offers[OfferKind.BUYOUT]
    return offers.get(OfferKind.FINAL)


def submissions_visible_to(user: User | AnonymousUser) -> QuerySet[Submission]:
    """The submissions this person may see: their own, or for staff every one their provider works
    (every provider's for the platform's staff: providers.scope). Anything else is a 404."""
    queryset = Submission.objects.select_related("category", "brand", "catalog_model", "seller")
    if is_staff_member(user):
        return scoped(queryset, user) | queryset.filter(seller_id=user.pk)
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(seller_id=user.pk)


# --- Photo flags, for staff ----------------------------------------------------------------------------


def current_photo_flags() -> Subquery:
    """The photo flags of each submission's current (newest) estimate, as a subquery to annotate a
    queryset of submissions with (None before the first estimate)."""
    newest = Valuation.objects.filter(submission_id=OuterRef("pk")).order_by("-created_at", "-id")
    return Subquery(newest.values("photo_flags")[:1], output_field=JSONField())


def photo_flag_notes(flags: Iterable[dict] | None, category: Category) -> list[SubjectPhotoFlag]:
    """Stored photo flags worded for staff in the active language: each photo by its view's label in
    the category's questionnaire ("Front", never "front"), the strong flags first."""
    questionnaire = questions.questionnaire_for(category)
    notes = [
        SubjectPhotoFlag(
            view=str(questionnaire.view_label(flag.get("view", ""))),
            problem=photo_flag_problem(flag),
            strong=bool(flag.get("strong")),
        )
        for flag in flags or ()
        if isinstance(flag, dict)
    ]
    return sorted(notes, key=lambda note: not note.strong)  # stable: the checks' order otherwise


def submission_photo_flags(code: str) -> list[SubjectPhotoFlag]:
    """What the photo checks of a submission's current estimate found, by the submission's code,
    worded for staff in the active language (`SubjectPhotoFlag(view="Front", problem="Blurred",
    strong=False)`), the strong flags first; [] for no such submission or clean photos. One query.

    For the inspection desk, which cannot import recycling: the same notes also come with
    `inspection.subjects.subject_details(codes)` (the `subjects_described` signal), as
    `SubjectDetails.photo_flags`."""
    valuation = (
        Valuation.objects.filter(submission__code=code)
        .select_related("submission__category")
        .order_by("-created_at", "-id")
        .first()
    )
    if valuation is None:
        return []
    return photo_flag_notes(valuation.photo_flags, valuation.submission.category)


# --- The receiving desk -----------------------------------------------------------------------------


def parcels_in_transit(scope: int | None) -> QuerySet[Submission]:
    """Submissions of the provider `scope` (of every provider: None, providers.scope) whose inbound parcel the carrier has scanned and the
    desk has not received yet, oldest booking first, each with `parcel_tracking`, `parcel_status`,
    `parcel_booked_at` and `current_photo_flags` (see photo_flag_notes)."""
    parcels = Shipment.objects.filter(
        purpose=ShipmentPurpose.INBOUND,
        reference=OuterRef("code"),
        status__in=(ShipmentStatus.IN_TRANSIT, ShipmentStatus.DELIVERED),
    ).order_by("-created_at")
    return (
        within(Submission.objects.filter(status=SubmissionStatus.SHIPPING), scope)
        .annotate(
            parcel_tracking=Subquery(parcels.values("tracking_number")[:1]),
            parcel_status=Subquery(parcels.values("status")[:1]),
            parcel_booked_at=Subquery(parcels.values("created_at")[:1]),
            current_photo_flags=current_photo_flags(),
        )
        .filter(parcel_tracking__isnull=False)
        .select_related("seller", "category")
        .order_by("parcel_booked_at", "id")
    )


def submissions_received(scope: int | None) -> QuerySet[Submission]:
    """Received submissions of the provider `scope` (every provider's: None), waiting for inspection, the longest-waiting
    first, each with `received_at` and `current_photo_flags` (see photo_flag_notes)."""
    received_at = (
        SubmissionEvent.objects.filter(submission=OuterRef("pk"), new=SubmissionStatus.RECEIVED)
        .order_by("-at")
        .values("at")[:1]
    )
    return (
        within(Submission.objects.filter(status=SubmissionStatus.RECEIVED), scope)
        .select_related("seller", "category")
        .annotate(received_at=Subquery(received_at), current_photo_flags=current_photo_flags())
        .order_by("received_at", "id")
    )


def submission_parcels(submission: Submission) -> list[Shipment]:
    """The submission's parcels (to the centre, and back), with their carrier events: two queries."""
    return list(
        Shipment.objects.filter(reference=submission.code, purpose__in=SUBMISSION_PURPOSES)
        .exclude(tracking_number="")
        .prefetch_related("events")
        .order_by("created_at", "id")
    )


def submission_declarations(*, codes: list[str]) -> dict[str, SubjectDetails]:
    """What the sellers of these submissions declared (attributes, condition answers), their photos
    and what the photo checks of the current estimate flagged on them (photo_flag_notes), by
    submission code, for the inspection desk. Two queries whatever the number of codes."""
    found = {}
    for submission in (
        Submission.objects.filter(code__in=codes)
        .select_related("category")
        .annotate(current_photo_flags=current_photo_flags())
        .prefetch_related("photos")
    ):
        questionnaire = questions.questionnaire_for(submission.category)
        answers: list[tuple[str | Promise, str | Promise]] = [
            (attribute.label, attribute.display(submission.attributes[attribute.name]))
            for attribute in questionnaire.attributes
            if submission.attributes.get(attribute.name)
        ]
        for question in questionnaire.questions:
            answer = question.answer(submission.condition_answers.get(question.name))
            if answer is not None:
                answers.append((question.label, answer.label))
        photos: list[tuple[str, str | Promise]] = [
            (reverse("recycling:photo", args=[photo.pk]), questionnaire.view_label(photo.view))
            for photo in sorted(
                submission.photos.all(), key=lambda photo: questionnaire.view_order(photo.view)
            )
        ]
        found[submission.code] = SubjectDetails(
            answers=answers,
            photos=photos,
            photo_flags=photo_flag_notes(submission.current_photo_flags, submission.category),
        )
    return found
