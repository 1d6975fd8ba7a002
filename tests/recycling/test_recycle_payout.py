"""After a recycle purchase: the payout to the seller's wallet, and the item listed as platform stock
(with its report, grade and photos), each exactly once however often the job runs."""

from decimal import Decimal

import pytest
from django.utils import timezone

from inspection.models import Inspection, InspectionResult, InspectionStatus, Report
from listings.models import Grade, Listing, ListingSource, ListingStatus
from recycling.errors import SubmissionError
from recycling.models import SubmissionStatus
from recycling.services.listing import submission_listing_create
from tests.factories import CatalogModelFactory, InspectionFactory, SubmissionFactory
from tests.recycling.photo_samples import jpeg, scene, store_submission_photo

pytestmark = pytest.mark.django_db


def inspected(*, status=SubmissionStatus.OFFERED, grade=Grade.EXCELLENT, photos: int = 2):
    """A submission whose item passed inspection with `grade`, with its public report and photos."""
    model = CatalogModelFactory()
    submission = SubmissionFactory(
        status=status, category=model.category, brand=model.brand, catalog_model=model
    )
    for index in range(photos):
        store_submission_photo(submission, f"view{index}", jpeg(scene(seed=index + 1)))
    inspection = InspectionFactory(
        subject_code=submission.code,
        category=submission.category,
        catalog_model=model,
        title=submission.title,
        status=InspectionStatus.COMPLETED,
        result=InspectionResult.PASSED,
        grade=grade,
        computed_grade=grade,
        completed_at=timezone.now(),
    )
    Report.objects.create(inspection=inspection, content={}, content_hash="0" * 64)
    return submission


def test_an_inspected_item_is_listed_once_as_platform_stock_with_report_grade_and_photos(settings):
    # given
    submission = inspected(grade=Grade.VERY_GOOD, photos=2)
    report = Report.objects.get(inspection__subject_code=submission.code)
    # when
    listing = submission_listing_create(
        submission_id=submission.pk, source=ListingSource.PLATFORM, price=Decimal("3200")
    )
    again = submission_listing_create(
        submission_id=submission.pk, source=ListingSource.PLATFORM, price=Decimal("9999")
    )
    # then
    assert again.pk == listing.pk
    assert Listing.objects.count() == 1
    listing.refresh_from_db()
    assert listing.seller.username == settings.PLATFORM_SELLER_USERNAME
    assert (listing.source, listing.status) == (ListingSource.PLATFORM, ListingStatus.ACTIVE)
    assert listing.price == Decimal("3200.00")
    assert listing.reference_price == submission.catalog_model.launch_price
    assert (listing.title, listing.category_id, listing.catalog_model_id) == (
        submission.title,
        submission.category_id,
        submission.catalog_model_id,
    )
    assert (listing.report_code, listing.grade) == (report.code, Grade.VERY_GOOD)
    assert listing.inspected_at is not None
    assert listing.photos.count() == 2
    assert "Inspected by Reloop" in listing.description
    assert report.code in listing.description
    assert Inspection.objects.get(subject_code=submission.code).listing_id == listing.pk


def test_a_consigned_item_is_listed_under_the_same_platform_account():
    first = submission_listing_create(
        submission_id=inspected(photos=1).pk, source=ListingSource.PLATFORM, price=Decimal("100")
    )
    second = submission_listing_create(
        submission_id=inspected(photos=1).pk, source=ListingSource.CONSIGNED, price=Decimal("100")
    )
    assert second.source == ListingSource.CONSIGNED
    assert first.seller_id == second.seller_id


def test_an_item_without_a_passed_inspection_is_not_listed():
    submission = SubmissionFactory(status=SubmissionStatus.INSPECTING)
    with pytest.raises(SubmissionError):
        submission_listing_create(
            submission_id=submission.pk, source=ListingSource.PLATFORM, price=Decimal("1")
        )
    assert Listing.objects.count() == 0
