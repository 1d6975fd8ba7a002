"""The pre-valuation service: what is stored, that running it twice changes nothing, expiry and renewal."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from listings.models import Grade, ListingEvent, ListingStatus
from recycling.errors import SubmissionError
from recycling.models import Confidence, Submission, SubmissionEvent, SubmissionStatus, Valuation
from recycling.photo_checks import FlagCode, analyse_photo
from recycling.services import valuation as valuation_services
from recycling.services.valuation import estimates_expire, submission_prevalue, submission_revalue
from recycling.valuation import MODEL_VERSION, ReasonCode
from tests.factories import (
    CatalogModelFactory,
    CategoryFactory,
    ListingFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.recycling.photo_samples import checkerboard, jpeg, scene, store_submission_photo

pytestmark = pytest.mark.django_db


def _phone_model():
    electronics = CategoryFactory(slug="electronics")
    phones = CategoryFactory(slug="phones", parent=electronics)
    return CatalogModelFactory(category=phones, launch_price=Decimal("5999.00"), launch_year=2023)


def _valuing(**fields) -> Submission:
    model = fields.pop("catalog_model", None) or _phone_model()
    fields.setdefault("category", model.category)
    return SubmissionFactory(catalog_model=model, status=SubmissionStatus.VALUING, **fields)


def _with_photos(submission: Submission, seed: int = 0) -> Submission:
    for offset, view in enumerate(("front", "back", "screen_on")):
        store_submission_photo(submission, view, jpeg(scene(seed=seed + offset)))
    return submission


def _sold(model, *, price: str, grade: str, days_ago: int):
    listing = ListingFactory(
        catalog_model=model,
        category=model.category,
        price=Decimal(price),
        grade=grade,
        status=ListingStatus.SOLD,
    )
    ListingEvent.objects.create(
        listing=listing,
        old=ListingStatus.RESERVED,
        new=ListingStatus.SOLD,
        at=timezone.now() - timedelta(days=days_ago),
    )
    return listing


def test_a_valuing_submission_gets_its_estimate_and_moves_to_estimated():
    submission = _with_photos(_valuing())

    valuation = submission_prevalue(submission_id=submission.pk)

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ESTIMATED
    assert valuation == Valuation.objects.get(submission=submission)
    assert valuation.model_version == MODEL_VERSION
    assert valuation.confidence == Confidence.MEDIUM  # known model, no comparables, clean photos
    assert valuation.photo_flags == []
    assert Decimal(0) < valuation.cash_low < valuation.cash_high < valuation.consign_high
    assert valuation.inputs["curve"] == "phones"
    assert valuation.expires_at - valuation.created_at == timedelta(days=7)
    assert [reason["code"] for reason in valuation.reasons][:3] == [
        ReasonCode.NO_COMPARABLES,
        ReasonCode.CURVE,
        ReasonCode.CONDITION,
    ]
    event = SubmissionEvent.objects.get(submission=submission)
    assert (event.old, event.new, event.by) == (SubmissionStatus.VALUING, SubmissionStatus.ESTIMATED, None)
    # Each photo now carries its perceptual hash, for later duplicate checks.
    for photo in submission.photos.all():
        assert len(photo.phash) == 16


def test_running_it_twice_makes_one_valuation():
    submission = _with_photos(_valuing())

    first = submission_prevalue(submission_id=submission.pk)
    second = submission_prevalue(submission_id=submission.pk)

    assert first is not None
    assert second is None
    assert Valuation.objects.filter(submission=submission).count() == 1
    assert SubmissionEvent.objects.filter(submission=submission).count() == 1


@pytest.mark.parametrize("status", [SubmissionStatus.DRAFT, SubmissionStatus.CANCELLED])
def test_a_submission_that_is_not_valuing_is_left_alone(status):
    submission = SubmissionFactory(status=status)

    assert submission_prevalue(submission_id=submission.pk) is None
    assert not Valuation.objects.filter(submission=submission).exists()


def test_a_missing_submission_is_nothing_to_do():
    assert submission_prevalue(submission_id=987654) is None


def test_sales_of_the_same_model_in_the_last_180_days_are_blended_in():
    submission = _valuing()
    model = submission.catalog_model
    recent = [
        _sold(model, price="2400", grade=Grade.VERY_GOOD, days_ago=10),
        _sold(model, price="2000", grade=Grade.GOOD, days_ago=40),
        _sold(model, price="2750", grade=Grade.EXCELLENT, days_ago=90),
    ]
    _sold(model, price="9999", grade=Grade.VERY_GOOD, days_ago=200)  # too old
    ListingFactory(catalog_model=model, category=model.category, price=Decimal("1"))  # on sale, not sold
    _sold(
        CatalogModelFactory(category=model.category), price="1", grade=Grade.GOOD, days_ago=5
    )  # other model

    valuation = submission_prevalue(submission_id=submission.pk)

    used = valuation.inputs["comparables"]
    assert sorted(c["listing_id"] for c in used) == sorted(listing.pk for listing in recent)
    # normalised to grade B: 2400 ; 2000 * 0.90 / 0.75 = 2400 ; 2750 * 0.90 = 2475 → median 2400
    assert valuation.inputs["comparables_median"] == "2400.00"
    assert valuation.confidence == Confidence.HIGH
    assert valuation.reasons[0] == {"code": ReasonCode.COMPARABLES, "params": {"count": 3, "days": 90}}


def test_without_a_catalog_model_the_estimate_has_no_range():
    submission = SubmissionFactory(status=SubmissionStatus.VALUING, catalog_model=None)

    valuation = submission_prevalue(submission_id=submission.pk)

    assert valuation.cash_low is None and valuation.consign_high is None
    assert valuation.confidence == Confidence.LOW
    assert valuation.reasons[0]["code"] == ReasonCode.NO_CATALOG_MODEL


def test_flagged_photos_are_stored_and_lower_the_confidence():
    submission = _valuing()
    store_submission_photo(submission, "front", jpeg(scene(seed=20)))
    store_submission_photo(submission, "back", jpeg(checkerboard(light=40, dark=0)))
    store_submission_photo(submission, "screen_on", jpeg(scene((1000, 700), seed=21)))

    valuation = submission_prevalue(submission_id=submission.pk)

    assert {(flag["view"], flag["code"]) for flag in valuation.photo_flags} == {
        ("back", FlagCode.TOO_DARK),
        ("screen_on", FlagCode.TOO_SMALL),
    }
    assert valuation.confidence == Confidence.LOW  # medium, one step down


def test_another_sellers_photo_is_a_strong_flag_but_two_views_alike_are_not():
    data = jpeg(scene(seed=30))
    earlier = _valuing()
    store_submission_photo(earlier, "front", data)
    submission_prevalue(submission_id=earlier.pk)  # stores the hash

    submission = _valuing(catalog_model=earlier.catalog_model)
    store_submission_photo(submission, "front", data)
    store_submission_photo(submission, "back", jpeg(scene(seed=31)))
    store_submission_photo(submission, "screen_on", jpeg(scene(seed=31)))

    valuation = submission_prevalue(submission_id=submission.pk)

    assert valuation.photo_flags == [
        {"view": "front", "code": FlagCode.DUPLICATE, "strong": True, "params": {}}
    ]
    assert valuation.confidence == Confidence.LOW
    assert analyse_photo(data).phash == submission.photos.get(view="front").phash


def test_a_photo_that_cannot_be_read_is_flagged():
    submission = _valuing()
    photo = store_submission_photo(submission, "front", jpeg(scene(seed=40)))
    photo.key = "0" * 32  # no such file
    photo.save()

    valuation = submission_prevalue(submission_id=submission.pk)

    assert valuation.photo_flags == [
        {"view": "front", "code": FlagCode.UNREADABLE, "strong": False, "params": {}}
    ]


def _estimated(*, valued_days_ago: int, seller=None) -> Submission:
    submission = _valuing(**({"seller": seller} if seller else {}))
    valuation = submission_prevalue(submission_id=submission.pk)
    then = timezone.now() - timedelta(days=valued_days_ago)
    Valuation.objects.filter(pk=valuation.pk).update(created_at=then, expires_at=then + timedelta(days=7))
    return submission


def test_expiry_moves_only_estimates_past_their_seven_days():
    stale = _estimated(valued_days_ago=8)
    fresh = _estimated(valued_days_ago=6)
    shipping = _estimated(valued_days_ago=30)
    Submission.objects.filter(pk=shipping.pk).update(status=SubmissionStatus.SHIPPING)

    moved = estimates_expire()

    assert moved == 1
    statuses = dict(Submission.objects.values_list("pk", "status"))
    assert statuses[stale.pk] == SubmissionStatus.ESTIMATE_EXPIRED
    assert statuses[fresh.pk] == SubmissionStatus.ESTIMATED
    assert statuses[shipping.pk] == SubmissionStatus.SHIPPING
    assert estimates_expire() == 0  # nothing left to do


def test_expiry_looks_at_the_newest_valuation_only():
    submission = _estimated(valued_days_ago=20)
    old = submission.valuations.get()
    now = timezone.now()
    Valuation.objects.create(
        submission=submission,
        model_version=MODEL_VERSION,
        confidence=Confidence.LOW,
        created_at=now,
        expires_at=now + timedelta(days=7),
    )

    assert estimates_expire() == 0
    assert estimates_expire(now=now + timedelta(days=8)) == 1
    assert old.expires_at < now


def test_expiry_works_through_a_backlog_in_batches(monkeypatch):
    monkeypatch.setattr(valuation_services, "EXPIRY_BATCH_SIZE", 2)
    backlog = [_estimated(valued_days_ago=10) for _i in range(5)]

    assert estimates_expire() == 5
    assert set(
        Submission.objects.filter(pk__in=[s.pk for s in backlog]).values_list("status", flat=True)
    ) == {SubmissionStatus.ESTIMATE_EXPIRED}


def test_the_owner_renews_an_expired_estimate(django_capture_on_commit_callbacks):
    seller = UserFactory()
    submission = _estimated(valued_days_ago=8, seller=seller)
    estimates_expire()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        renewed = submission_revalue(submission_id=submission.pk, seller=seller)

    assert renewed.status == SubmissionStatus.VALUING
    assert len(callbacks) == 1  # the job is sent once the move is committed
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ESTIMATED  # the (eager) job ran
    assert submission.valuations.count() == 2
    assert submission.valuations.first().expires_at > timezone.now()
    assert list(submission.events.values_list("new", "by")) == [
        (SubmissionStatus.ESTIMATED, None),
        (SubmissionStatus.ESTIMATE_EXPIRED, None),
        (SubmissionStatus.VALUING, seller.pk),
        (SubmissionStatus.ESTIMATED, None),
    ]


def test_only_the_owner_can_renew():
    submission = _estimated(valued_days_ago=8)
    estimates_expire()

    with pytest.raises(Submission.DoesNotExist):
        submission_revalue(submission_id=submission.pk, seller=UserFactory())

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ESTIMATE_EXPIRED


@pytest.mark.parametrize(
    "status", [SubmissionStatus.ESTIMATED, SubmissionStatus.DRAFT, SubmissionStatus.SHIPPING]
)
def test_only_an_expired_estimate_can_be_renewed(status, django_capture_on_commit_callbacks):
    submission = SubmissionFactory(status=status)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(SubmissionError) as error:
        submission_revalue(submission_id=submission.pk, seller=submission.seller)

    assert error.value.code == "estimate_not_expired"
    assert callbacks == []
    submission.refresh_from_db()
    assert submission.status == status
    assert not submission.events.exists()
