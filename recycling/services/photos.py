"""Replacing a flagged photo: the seller sends a new photo for a view the photo checks flagged, while
the item has not been sent yet, and the estimate is made again with it.

The new photo goes through the same checks as at intake (listings.photos.check_photo: content, size,
pixels; re-encoded without metadata) and is stored in private storage under a new key with a new
SubmissionPhoto row, so that no page or browser cache can show the old picture under the new one's
address. The old row goes in the same transaction, and its file once that transaction has committed;
the move back to VALUING queues the pre-valuation job (recycling.services.valuation), which checks
every photo again and writes a new current estimate with the flags it finds now.
"""

from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from listings.errors import PhotoRejected
from listings.photos import CheckedPhoto, check_photo, new_key, private_storage, store_private, stored_name
from marketplace.jobs import enqueue_on_commit
from recycling.errors import SubmissionError
from recycling.models import Submission, SubmissionPhoto, SubmissionStatus, Valuation
from recycling.services.transitions import submission_move
from recycling.tasks import prevalue_submission

# Estimated, before any label is booked: the estimate can still be made again.
REPLACEABLE_STATUSES = frozenset({SubmissionStatus.ESTIMATED, SubmissionStatus.ESTIMATE_EXPIRED})


def photo_replace_check(*, submission: Submission, view: str) -> list[dict]:
    """The current estimate's flags on the submission's photo of `view`, if the seller may replace it
    now. Raises SubmissionError, code "photo_not_replaceable" when the submission is past the
    estimate (shipping, received…) or not estimated yet, "photo_not_flagged" when the checks found
    nothing wrong with that photo (or it has no such photo). One query."""
    if submission.status not in REPLACEABLE_STATUSES:
        raise SubmissionError(
            _(
                "Photos can be replaced only while the estimate is waiting for you; this submission is %(status)s."
            )
            % {"status": submission.get_status_display().lower()},
            code="photo_not_replaceable",
        )
    valuation = Valuation.objects.filter(submission=submission).order_by("-created_at", "-id").first()
    flags = [flag for flag in (valuation.photo_flags if valuation else []) if flag.get("view") == view]
    if not flags:
        raise SubmissionError(
            _("Our checks found nothing to fix on this photo, so it does not need replacing."),
            code="photo_not_flagged",
            field="photo",
        )
    return flags


def submission_photo_replace(
    *, submission_id: int, seller: User, view: str, photo: IO[bytes] | CheckedPhoto
) -> Submission:
    """Replace the seller's flagged photo of `view` with `photo` (an upload, or a photo already checked
    by check_photo) and make the estimate again: ESTIMATED or ESTIMATE_EXPIRED → VALUING, with the
    pre-valuation job queued once this commits and the old photo's file removed then.

    Raises Submission.DoesNotExist for anyone but the submission's seller (pages answer 404),
    SubmissionError from photo_replace_check (checked again under the row lock), or PhotoRejected
    (`field` "photo") for a file that is not a photo we accept. On any error nothing changes: no row,
    no file, the old photo stays.
    """
    submission = Submission.objects.get(pk=submission_id, seller=seller)
    photo_replace_check(submission=submission, view=view)
    if not isinstance(photo, CheckedPhoto):
        try:
            photo = check_photo(photo)
        except PhotoRejected as rejected:
            rejected.field = "photo"
            raise
    checked: CheckedPhoto = photo

    key = new_key()
    written = False
    try:
        with transaction.atomic():
            locked = Submission.objects.select_for_update().get(pk=submission_id, seller=seller)
            photo_replace_check(
                submission=locked, view=view
            )  # a second tab or the expiry job may have moved it
            old = SubmissionPhoto.objects.select_for_update().filter(submission=locked, view=view).first()
            if old is None:
                raise SubmissionError(
                    _("Our checks found nothing to fix on this photo, so it does not need replacing."),
                    code="photo_not_flagged",
                    field="photo",
                )
            old_key = old.key
            old.delete()
            SubmissionPhoto.objects.create(
                submission=locked, view=view, key=key, width=checked.width, height=checked.height
            )
            store_private(key, checked)  # cleans up after itself when it fails
            written = True
            submission = submission_move(
                submission_id=submission_id,
                to=SubmissionStatus.VALUING,
                by=seller,
                message="photo.replaced",
                params={"view": view},
            )
            transaction.on_commit(lambda: private_storage().delete(stored_name(old_key)), robust=True)
            enqueue_on_commit(prevalue_submission, submission_id)
    except BaseException:
        if written:
            private_storage().delete(stored_name(key))
        raise
    return submission
