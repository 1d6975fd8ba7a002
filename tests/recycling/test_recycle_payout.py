"""After a recycle purchase: the payout to the seller's wallet, and the item listed as platform stock
(with its report, grade and photos), each exactly once however often the job runs."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone, translation

from inspection.models import Inspection, InspectionResult, InspectionStatus, Report
from listings.models import Grade, Listing, ListingSource, ListingStatus
from listings.services import listing_move
from recycling.errors import SubmissionError
from recycling.models import Offer, OfferDecision, SubmissionStatus
from recycling.services.listing import submission_listing_create
from recycling.services.offers import (
    PAYOUT_CATCH_UP_AFTER,
    buyout_offer_make,
    offer_accept_recycle,
    offer_make,
    recycle_payout,
    recycle_payouts_catch_up,
)
from recycling.services.transitions import submission_move
from recycling.tasks import pay_recycle_offer
from tests.factories import CatalogModelFactory, InspectionFactory, SubmissionFactory
from tests.recycling.photo_samples import jpeg, scene, store_submission_photo
from tests.recycling.test_offers import offered_submission
from wallet.models import AccountPurpose, Cause, Transaction
from wallet.services.ledger import platform_account, wallet_account

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
    assert listing.description == ""
    assert [part["message"] for part in listing.description_parts] == ["inspected", "grade", "report"]
    with translation.override("zh-hans"):
        assert "Reloop 质检中心" in listing.description_text
    assert "Inspected by Reloop" in listing.description_text
    assert report.code in listing.description_text
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


def balance(account) -> Decimal:
    account.refresh_from_db()
    return account.balance


def test_taking_the_cash_pays_the_wallet_once_and_lists_platform_stock_once(
    django_capture_on_commit_callbacks,
):
    # given
    submission = offered_submission(django_capture_on_commit_callbacks)
    offer = Offer.objects.get(submission=submission)
    wallet = wallet_account(user=submission.seller)
    purchases = platform_account(purpose=AccountPurpose.RECYCLE_PURCHASES)
    # when: accepting queues the payout job after commit (run here in process)
    with django_capture_on_commit_callbacks(execute=True):
        offer_accept_recycle(submission_id=submission.pk, seller=submission.seller)
    # then
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PAID
    assert [e.new for e in submission.events.all()][-2:] == ["recycle_accepted", "paid"]
    offer.refresh_from_db()
    assert offer.decision == OfferDecision.RECYCLE and offer.decided_at is not None
    assert balance(wallet) == offer.cash_amount
    assert balance(purchases) == -offer.cash_amount
    txn = Transaction.objects.get(idempotency_key=f"recycle:submission:{submission.pk}")
    assert txn.cause == Cause.RECYCLE_PAYOUT
    listing = Listing.objects.get(source=ListingSource.PLATFORM)
    report = Report.objects.get(inspection__subject_code=submission.code)
    assert (listing.price, listing.grade, listing.report_code) == (offer.list_price, offer.grade, report.code)
    assert listing.status == ListingStatus.ACTIVE

    # when: the job is delivered again
    pay_recycle_offer.delay(submission.pk)
    recycle_payout(submission_id=submission.pk)
    # then: nothing more
    assert balance(wallet) == offer.cash_amount
    assert Transaction.objects.filter(cause=Cause.RECYCLE_PAYOUT).count() == 1
    assert Listing.objects.count() == 1
    assert submission.events.filter(new=SubmissionStatus.PAID).count() == 1


def test_accepting_twice_is_refused_and_pays_once(django_capture_on_commit_callbacks):
    submission = offered_submission(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        offer_accept_recycle(submission_id=submission.pk, seller=submission.seller)
    with pytest.raises(SubmissionError) as error:
        offer_accept_recycle(submission_id=submission.pk, seller=submission.seller)
    assert error.value.code == "already_accepted"
    assert (
        balance(wallet_account(user=submission.seller))
        == Offer.objects.get(submission=submission).cash_amount
    )


def test_a_payout_that_cannot_list_yet_still_pays_and_lists_on_the_next_run(
    django_capture_on_commit_callbacks, monkeypatch
):
    submission = offered_submission(django_capture_on_commit_callbacks)
    offer_accept_recycle(submission_id=submission.pk, seller=submission.seller)

    def broken(**kwargs):
        raise OSError("storage is away")

    monkeypatch.setattr("recycling.services.offers.submission_listing_create", broken)
    with pytest.raises(OSError):
        recycle_payout(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PAID
    assert not Listing.objects.exists()
    monkeypatch.undo()
    recycle_payout(submission_id=submission.pk)
    assert Listing.objects.filter(source=ListingSource.PLATFORM).count() == 1
    assert Transaction.objects.filter(cause=Cause.RECYCLE_PAYOUT).count() == 1


def test_a_lost_payout_job_is_caught_up_once_and_not_before_its_time(django_capture_on_commit_callbacks):
    # given: the seller took the cash, but the job queued after commit never ran (outside the capture
    # the on-commit callback does not run in this test's transaction: the message was lost)
    submission = offered_submission(django_capture_on_commit_callbacks)
    offer_accept_recycle(submission_id=submission.pk, seller=submission.seller)
    offer = Offer.objects.get(submission=submission)
    wallet = wallet_account(user=submission.seller)
    # when: the catch-up runs too soon, then after the grace period, then again
    too_soon = recycle_payouts_catch_up()
    later = timezone.now() + PAYOUT_CATCH_UP_AFTER
    caught = recycle_payouts_catch_up(now=later)
    again = recycle_payouts_catch_up(now=later)
    # then: paid and listed once
    assert (too_soon, caught, again) == (0, 1, 0)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PAID
    assert balance(wallet) == offer.cash_amount
    assert Transaction.objects.filter(cause=Cause.RECYCLE_PAYOUT).count() == 1
    assert Listing.objects.filter(source=ListingSource.PLATFORM, status=ListingStatus.ACTIVE).count() == 1


def test_a_paid_item_whose_listing_failed_is_listed_by_the_catch_up(
    django_capture_on_commit_callbacks, monkeypatch
):
    submission = offered_submission(django_capture_on_commit_callbacks)
    offer_accept_recycle(submission_id=submission.pk, seller=submission.seller)

    def broken(**kwargs):
        raise OSError("storage is away")

    monkeypatch.setattr("recycling.services.offers.submission_listing_create", broken)
    with pytest.raises(OSError):
        recycle_payout(submission_id=submission.pk)
    monkeypatch.undo()

    assert recycle_payouts_catch_up(now=timezone.now() + PAYOUT_CATCH_UP_AFTER) == 1

    assert Listing.objects.filter(source=ListingSource.PLATFORM, status=ListingStatus.ACTIVE).count() == 1
    assert Transaction.objects.filter(cause=Cause.RECYCLE_PAYOUT).count() == 1


def test_a_buyout_offer_accepted_pays_the_fresh_cash_offer(django_capture_on_commit_callbacks):
    submission = offered_submission(django_capture_on_commit_callbacks)
    for status in (SubmissionStatus.CONSIGN_ACCEPTED, SubmissionStatus.LISTED, SubmissionStatus.UNSOLD):
        submission_move(submission_id=submission.pk, to=status, by=None)
    offer = buyout_offer_make(submission_id=submission.pk)
    with django_capture_on_commit_callbacks(execute=True):
        offer_accept_recycle(submission_id=submission.pk, seller=submission.seller)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PAID
    assert balance(wallet_account(user=submission.seller)) == offer.cash_amount


# --- Under real concurrency (PostgreSQL: each thread has its own connection) --------------------

THREADS = 8
TIMEOUT = 30


def at_once(work) -> list:
    """Run `work(index)` in THREADS threads released together; each answer or exception is kept."""
    start = threading.Barrier(THREADS)
    answers: list = [None] * THREADS

    def run(index: int) -> None:
        try:
            start.wait(TIMEOUT)
            answers[index] = work(index)
        except Exception as error:
            answers[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    return answers


def accepted_offer():
    submission = inspected(photos=1)
    inspection = Inspection.objects.get(subject_code=submission.code)
    offer = offer_make(submission_id=submission.pk, inspection=inspection)
    return submission, offer


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_payout_job_run_by_several_workers_at_once_pays_once_and_lists_once():
    submission, offer = accepted_offer()
    Offer.objects.filter(pk=offer.pk).update(decision=OfferDecision.RECYCLE, decided_at=timezone.now())
    submission_move(submission_id=submission.pk, to=SubmissionStatus.RECYCLE_ACCEPTED, by=None)

    answers = at_once(lambda index: recycle_payout(submission_id=submission.pk))

    assert not [answer for answer in answers if isinstance(answer, Exception)], answers
    assert Transaction.objects.filter(idempotency_key=f"recycle:submission:{submission.pk}").count() == 1
    assert balance(wallet_account(user=submission.seller)) == offer.cash_amount
    assert Listing.objects.count() == 1
    assert submission.events.filter(new=SubmissionStatus.PAID).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_take_the_cash_pressed_in_several_tabs_at_once_is_accepted_and_paid_once():
    submission, offer = accepted_offer()

    answers = at_once(
        lambda index: offer_accept_recycle(submission_id=submission.pk, seller=submission.seller)
    )

    accepted = [answer for answer in answers if not isinstance(answer, Exception)]
    refused = [answer for answer in answers if isinstance(answer, SubmissionError)]
    assert len(accepted) == 1 and len(refused) == THREADS - 1, answers
    assert {error.code for error in refused} == {"already_accepted"}
    assert balance(wallet_account(user=submission.seller)) == offer.cash_amount
    assert Transaction.objects.filter(cause=Cause.RECYCLE_PAYOUT).count() == 1
    assert Listing.objects.count() == 1


def test_a_bought_out_consigned_item_becomes_platform_stock_in_a_new_listing(
    django_capture_on_commit_callbacks,
):
    # given: consigned and listed, then withdrawn unsold at the end of its term
    submission = inspected(status=SubmissionStatus.UNSOLD, photos=1)
    consigned = submission_listing_create(
        submission_id=submission.pk, source=ListingSource.CONSIGNED, price=Decimal("3000")
    )
    listing_move(listing_id=consigned.pk, to=ListingStatus.WITHDRAWN, by=None)
    offer = buyout_offer_make(submission_id=submission.pk)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        offer_accept_recycle(submission_id=submission.pk, seller=submission.seller)
    recycle_payout(submission_id=submission.pk)
    # then
    stock = Listing.objects.get(source=ListingSource.PLATFORM)
    assert stock.pk != consigned.pk and stock.status == ListingStatus.ACTIVE
    assert stock.price == Decimal(offer.inputs["list_price"])
    assert Inspection.objects.get(subject_code=submission.code).listing_id == stock.pk
    assert Listing.objects.count() == 2
    assert balance(wallet_account(user=submission.seller)) == offer.cash_amount


def test_an_item_on_sale_as_consigned_is_not_listed_again_as_stock():
    submission = inspected(photos=0)
    submission_listing_create(
        submission_id=submission.pk, source=ListingSource.CONSIGNED, price=Decimal("10")
    )
    with pytest.raises(SubmissionError) as error:
        submission_listing_create(
            submission_id=submission.pk, source=ListingSource.PLATFORM, price=Decimal("10")
        )
    assert error.value.code == "already_listed"
    assert Listing.objects.count() == 1
