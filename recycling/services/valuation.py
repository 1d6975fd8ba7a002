"""The pre-valuation job's writes: the estimate itself, its expiry, and a new estimate on request.

submission_prevalue runs in the Celery worker (recycling.tasks.prevalue_submission). The slow part,
decoding photos, happens before any row is locked; the writes (photo hashes, the Valuation and the
move to ESTIMATED) happen together in one short transaction under the submission's row lock, after
checking that it is still VALUING. So a task delivered twice, or run by two workers at once, makes
one valuation.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from listings import photos
from listings.models import Category, ListingEvent, ListingStatus
from marketplace.jobs import enqueue, enqueue_on_commit
from recycling import photo_checks
from recycling.errors import SubmissionError
from recycling.models import Submission, SubmissionPhoto, SubmissionStatus, Valuation
from recycling.services.transitions import submission_move
from recycling.tasks import prevalue_submission
from recycling.valuation import COMPARABLES_WINDOW_DAYS, Comparable, PriceInputs, estimate

# Expiry claims this many submissions per transaction, so a backlog never holds locks for long.
EXPIRY_BATCH_SIZE = 200


def _category_slugs(category: Category) -> tuple[str, ...]:
    """The category's slug and its ancestors', nearest first (the tree is two or three levels)."""
    slugs: list[str] = []
    node: Category | None = category
    while node is not None and len(slugs) < 10:
        slugs.append(node.slug)
        node = node.parent
    return tuple(slugs)


def _comparables(*, catalog_model_id: int) -> tuple[Comparable, ...]:
    """Sales of the catalog model in the channel within the window: listings sold, dated by the
    event that moved them to sold."""
    since = timezone.now() - timedelta(days=COMPARABLES_WINDOW_DAYS)
    sold = (
        ListingEvent.objects.filter(
            new=ListingStatus.SOLD,
            at__gte=since,
            listing__catalog_model_id=catalog_model_id,
            listing__status=ListingStatus.SOLD,
        )
        .order_by("listing_id", "-at")
        .values_list("listing_id", "listing__price", "listing__grade", "at")
    )
    seen: dict[int, Comparable] = {}
    for listing_id, price, grade, at in sold:
        if listing_id not in seen:  # newest sale event per listing
            seen[listing_id] = Comparable(
                price=price, grade=grade, sold_on=timezone.localdate(at), listing_id=listing_id
            )
    return tuple(seen.values())


def _check_photos(submission: Submission) -> tuple[dict[int, str], list[dict]]:
    """Analyse each stored photo: returns the hashes to store (photo id → hash) and the flags."""
    storage = photos.private_storage()
    hashes: dict[int, str] = {}
    analyses: list[photo_checks.PhotoAnalysis] = []
    flags: list[dict] = []
    views: dict[int, str] = {}
    for photo in submission.photos.all():
        views[photo.pk] = photo.view
        try:
            with storage.open(photos.stored_name(photo.key), "rb") as stored:
                analysis = photo_checks.analyse_photo(stored)
        except OSError:  # the file is gone
            analysis = photo_checks.PhotoAnalysis(flags=(photo_checks.FlagCode.UNREADABLE,))
        for code in analysis.flags:
            flags.append(
                photo_checks.photo_flag(view=photo.view, code=code, params=analysis.params.get(code))
            )
        if analysis.phash:
            hashes[photo.pk] = analysis.phash
            analyses.append(analysis)
    duplicates = photo_checks.duplicate_flags(
        analyses=analyses, submission_id=submission.pk, seller_id=submission.seller_id
    )
    for photo_id, phash in hashes.items():
        if phash in duplicates:
            flags.append(photo_checks.photo_flag(view=views[photo_id], code=duplicates[phash]))
    return hashes, flags


def submission_prevalue(*, submission_id: int) -> Valuation | None:
    """Check the photos, price the item, store the Valuation and move VALUING → ESTIMATED.

    Returns the new Valuation, or None when there was nothing to do: the submission is gone or no
    longer VALUING (already estimated, cancelled), which makes a repeated task harmless.
    """
    submission = (
        Submission.objects.select_related("category__parent__parent", "catalog_model")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or submission.status != SubmissionStatus.VALUING:
        return None

    hashes, flags = _check_photos(submission)
    today = timezone.localdate()
    model = submission.catalog_model
    result = estimate(
        PriceInputs(
            declared_grade=submission.declared_grade,
            today=today,
            category_slugs=_category_slugs(submission.category),
            launch_price=model.launch_price if model else None,
            launch_year=model.launch_year if model else None,
            comparables=_comparables(catalog_model_id=model.pk) if model else (),
            photo_flag_count=len({flag["view"] for flag in flags}),
            strong_photo_flag=any(flag["strong"] for flag in flags),
        )
    )

    with transaction.atomic():
        locked = Submission.objects.select_for_update().filter(pk=submission_id).first()
        if locked is None or locked.status != SubmissionStatus.VALUING:
            return None  # another run finished first, or the seller cancelled meanwhile
        for photo_id, phash in hashes.items():
            SubmissionPhoto.objects.filter(pk=photo_id, submission_id=submission_id).update(phash=phash)
        now = timezone.now()
        valuation = Valuation.objects.create(
            submission=locked,
            model_version=result.model_version,
            cash_low=result.cash_low,
            cash_high=result.cash_high,
            consign_low=result.consign_low,
            consign_high=result.consign_high,
            confidence=result.confidence,
            reasons=result.reasons,
            inputs=result.inputs,
            photo_flags=flags,
            created_at=now,
            expires_at=now + timedelta(days=settings.ESTIMATE_VALID_DAYS),
        )
        submission_move(submission_id=submission_id, to=SubmissionStatus.ESTIMATED, by=None)
    return valuation


def estimates_expire(*, now: datetime | None = None) -> int:
    """Move ESTIMATED submissions whose current (newest) valuation has expired to ESTIMATE_EXPIRED.

    Works in batches of EXPIRY_BATCH_SIZE, one transaction each, skipping rows another transaction
    holds (they are picked up on the next run). Returns how many were moved.
    """
    now = now or timezone.now()
    current_expiry = Subquery(
        Valuation.objects.filter(submission_id=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("expires_at")[:1]
    )
    moved = 0
    while True:
        with transaction.atomic():
            claimed = list(
                Submission.objects.select_for_update(skip_locked=True)
                .filter(status=SubmissionStatus.ESTIMATED)
                .annotate(current_expiry=current_expiry)
                .filter(current_expiry__lte=now)
                .order_by("pk")
                .values_list("pk", flat=True)[:EXPIRY_BATCH_SIZE]
            )
            for submission_id in claimed:
                submission_move(submission_id=submission_id, to=SubmissionStatus.ESTIMATE_EXPIRED, by=None)
        moved += len(claimed)
        if len(claimed) < EXPIRY_BATCH_SIZE:
            return moved


@transaction.atomic
def submission_revalue(*, submission_id: int, seller: User) -> Submission:
    """Ask for a new estimate after the last one expired: ESTIMATE_EXPIRED → VALUING, and the
    pre-valuation job starts once this commits.

    Someone else's submission raises Submission.DoesNotExist (pages answer 404 without revealing
    it); any other status raises SubmissionError.
    """
    submission = Submission.objects.select_for_update().get(pk=submission_id, seller=seller)
    if submission.status != SubmissionStatus.ESTIMATE_EXPIRED:
        raise SubmissionError(
            _("Only an expired estimate can be renewed; this submission is %(status)s.")
            % {"status": submission.get_status_display().lower()},
            code="estimate_not_expired",
        )
    submission = submission_move(submission_id=submission_id, to=SubmissionStatus.VALUING, by=seller)
    enqueue_on_commit(prevalue_submission, submission_id)
    return submission


# A submission still valuing this long after it was sent lost its pre-valuation job (the broker was
# down, or the worker died): the sweep queues it again. An estimate takes seconds.
VALUATION_REQUEUE_AFTER = timedelta(minutes=5)
VALUATION_REQUEUE_BATCH = 200


def submissions_requeue_valuing(*, now: datetime | None = None, limit: int = VALUATION_REQUEUE_BATCH) -> int:
    """The periodic sweep for `prevalue_submission`: queue it again for up to `limit` submissions,
    oldest first, VALUING for longer than VALUATION_REQUEUE_AFTER. The job values a submission only
    while it is VALUING, under its row lock, so one queued twice gets one estimate. Returns how many
    were queued."""
    cutoff = (now or timezone.now()) - VALUATION_REQUEUE_AFTER
    waiting = (
        Submission.objects.filter(status=SubmissionStatus.VALUING, updated_at__lte=cutoff)
        .order_by("updated_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(enqueue(prevalue_submission, submission_id) for submission_id in waiting)
