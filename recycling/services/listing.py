"""An inspected submission becomes a listing in the channel, under the platform's account: platform
stock after a recycle purchase, or a consigned item that Reloop sells for its seller.

The listing is made once: the submission's Inspection keeps it in its `listing` field, and a second
call (a retried job, two workers) finds it there instead of listing the item twice.
"""

from contextlib import ExitStack
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services import platform_seller
from inspection.models import Inspection, InspectionResult, Report
from listings.models import Grade, Listing, ListingSource, ListingStatus
from listings.photos import private_storage, stored_name
from listings.services import DescriptionPart, listing_create, listing_mark_inspected
from recycling.errors import SubmissionError
from recycling.models import Submission


def listing_description(*, inspection: Inspection, report_code: str) -> list[DescriptionPart]:
    """What the listing says about the item: that Reloop inspected it, the grade and what it means,
    and the report's code. Lines of listings.messages.DESCRIPTION, shown in each reader's language."""
    grade = Grade(inspection.grade).value
    parts: list[DescriptionPart] = [
        ("inspected", {}),
        ("grade", {"grade": grade, "label": grade, "meaning": grade}),
    ]
    if inspection.authenticated:
        parts.append(("authenticated", {}))
    if report_code:
        parts.append(("report", {"code": report_code}))
    return parts


@transaction.atomic
def submission_listing_create(
    *, submission_id: int, source: ListingSource, price: Decimal, offer_floor: Decimal | None = None
) -> Listing:
    """List an inspected submission under the platform's account, published, with its photos, the
    inspected grade and the report's badges, and link it to the inspection; `offer_floor` is the
    consignment floor, below which offers are declined. Calling it again with the
    same source returns the listing made the first time (its price is not changed: use
    listings.services.listing_reprice); a withdrawn listing of the other source (a consigned item
    bought out at the end of its term) is replaced by a new one.

    Raises SubmissionError when the submission has no passed inspection, ListingError for an invalid
    price, and changes nothing then.
    """
    submission = Submission.objects.select_related("category", "brand", "catalog_model", "provider").get(
        pk=submission_id
    )
    # The inspection's row lock makes two concurrent calls list the item once.
    inspection = Inspection.objects.select_for_update().filter(subject_code=submission.code).first()
    if inspection is None or inspection.result != InspectionResult.PASSED or not inspection.grade:
        raise SubmissionError(_("Only an item that passed inspection can be listed."), code="not_inspected")
    if inspection.listing_id is not None:
        linked = Listing.objects.get(pk=inspection.listing_id)
        if linked.source == source:
            return linked
        # A consigned item bought out at the end of its term: its consigned listing was withdrawn,
        # and it comes back as platform stock in a listing of its own (linked from then on).
        if linked.status != ListingStatus.WITHDRAWN:
            raise SubmissionError(
                _("This item is already on sale in another listing."), code="already_listed"
            )

    report = Report.objects.filter(inspection=inspection).first()
    report_code = report.code if report is not None else ""
    catalog_model = submission.catalog_model
    storage = private_storage()
    with ExitStack() as files:
        uploads = [
            files.enter_context(storage.open(stored_name(key), "rb"))
            for key in submission.photos.order_by("id").values_list("key", flat=True)
        ]
        listing = listing_create(
            seller=platform_seller(),
            title=submission.title,
            description="",
            description_parts=listing_description(inspection=inspection, report_code=report_code),
            category=submission.category,
            brand=submission.brand,
            catalog_model=catalog_model,
            price=price,
            offer_floor=offer_floor,
            reference_price=catalog_model.launch_price if catalog_model is not None else None,
            grade=inspection.grade,
            publish=True,
            uploads=uploads,
            source=ListingSource(source),
            provider=submission.provider,
        )
    if report is not None:
        listing = listing_mark_inspected(
            listing_id=listing.pk,
            report_code=report.code,
            inspected_at=inspection.completed_at or report.published_at,
            grade=inspection.grade,
            authenticated=inspection.authenticated is True,
        )
    # The inspection app has no service that links a listing to an inspection; this is its only field
    # that recycling writes, under the row lock taken above.
    inspection.listing = listing
    inspection.save(update_fields=["listing", "updated_at"])
    return listing
