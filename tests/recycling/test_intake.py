"""submission_create and submission_cancel: what a seller's description becomes, every way it can be
refused, and that a refusal leaves nothing behind."""

import uuid
from pathlib import Path

import pytest
from django.conf import settings

from listings.errors import PhotoRejected
from listings.models import Grade
from listings.photos import stored_name
from marketplace.errors import InvalidTransition
from recycling import questionnaire as questions
from recycling.errors import SubmissionError
from recycling.models import Submission, SubmissionEvent, SubmissionPhoto, SubmissionStatus, Valuation
from recycling.services import intake
from recycling.services.intake import submission_cancel, submission_create
from recycling.services.transitions import CANCELLABLE
from tests.factories import BrandFactory, CatalogModelFactory, CategoryFactory, SubmissionFactory, UserFactory
from tests.listings import images

pytestmark = pytest.mark.django_db

PHONE_ATTRIBUTES = {
    "storage": "256 GB",
    "colour": "Sierra Blue",
    "carrier_lock": "unlocked",
    "account_removed": "yes",
}
PHONE_CONDITION = {
    "usage": "light",
    "screen_cracks": "no",
    "screen_marks": "none",
    "body": "light",
    "battery": "90",
    "works": "all",
    "repairs": "never",
}


@pytest.fixture
def phones():
    electronics = CategoryFactory(slug="electronics", name="Electronics")
    return CategoryFactory(slug="phones", name="Phones", parent=electronics)


@pytest.fixture
def iphone(phones):
    apple = BrandFactory(slug="apple", name="Apple")
    return CatalogModelFactory(brand=apple, category=phones, name="iPhone 13 Pro")


def _photos(views=("front", "back", "screen_on")):
    return {view: images.upload(images.jpeg_bytes((1200, 900))) for view in views}


def _create(seller, category, **overrides):
    arguments = {
        "seller": seller,
        "category": category,
        "attributes": dict(PHONE_ATTRIBUTES),
        "condition_answers": dict(PHONE_CONDITION),
        "photos": _photos(),
    } | overrides
    return submission_create(**arguments)


def _private_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_create_stores_the_submission_its_photos_and_starts_the_valuation(
    phones, iphone, django_capture_on_commit_callbacks
):
    seller = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        submission = _create(
            seller, phones, catalog_model=iphone, attributes=PHONE_ATTRIBUTES | {"accessories": ""}
        )

    assert submission.status == SubmissionStatus.VALUING
    assert submission.title == "Apple iPhone 13 Pro"  # from the catalog model when none is given
    assert submission.brand == iphone.brand
    assert submission.declared_grade == Grade.EXCELLENT  # "light use" and "light body marks" cap at A
    assert submission.attributes == PHONE_ATTRIBUTES  # the blank optional answer is left out
    assert submission.condition_answers == PHONE_CONDITION
    photos = list(submission.photos.order_by("view"))
    assert [photo.view for photo in photos] == ["back", "front", "screen_on"]
    assert all((photo.width, photo.height) == (1200, 900) for photo in photos)
    assert sorted(_private_files()) == sorted(
        Path(settings.PRIVATE_MEDIA_ROOT) / stored_name(photo.key) for photo in photos
    )
    event = SubmissionEvent.objects.get(submission=submission)
    assert (event.old, event.new, event.by) == (SubmissionStatus.DRAFT, SubmissionStatus.VALUING, seller)

    # The job is dispatched once the transaction commits (Celery runs eagerly in the tests).
    assert len(callbacks) == 1
    callbacks[0]()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ESTIMATED
    assert Valuation.objects.filter(submission=submission).count() == 1


def test_other_brand_and_free_text(phones):
    brand = BrandFactory(name="Nokia")
    submission = _create(UserFactory(), phones, brand=brand, title="  Nokia 8110 4G  ")
    assert (submission.brand, submission.catalog_model, submission.title) == (brand, None, "Nokia 8110 4G")


def _case(code, field, **overrides):
    return pytest.param(overrides, code, field, id=code)


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        _case("category_not_leaf", "category", category="parent"),
        _case("catalog_model_brand_mismatch", "catalog_model", brand="other brand"),
        _case("catalog_model_category_mismatch", "catalog_model", catalog_model="laptop model"),
        _case("brand_required", "brand", catalog_model=None, title="Some phone"),
        _case("title_required", "title", catalog_model=None, brand="other brand", title="  "),
        _case("title_too_long", "title", title="x" * 121),
        _case("attribute_missing", "attributes", attributes={**PHONE_ATTRIBUTES, "storage": ""}),
        _case("attribute_invalid", "attributes", attributes={**PHONE_ATTRIBUTES, "storage": "3 GB"}),
        _case("attribute_unknown", "attributes", attributes={**PHONE_ATTRIBUTES, "shoe_size": "42"}),
        _case("condition_missing", "condition_answers", condition_answers={**PHONE_CONDITION, "battery": ""}),
        _case(
            "condition_invalid", "condition_answers", condition_answers={**PHONE_CONDITION, "battery": "100"}
        ),
        _case(
            "condition_unknown", "condition_answers", condition_answers={**PHONE_CONDITION, "odour": "none"}
        ),
        _case("photo_missing", "photos", photos="front and back only"),
        _case("photo_unknown_view", "photos", photos="with a sole"),
    ],
)
def test_invalid_input_is_refused_with_its_code_and_field(phones, iphone, overrides, code, field):
    laptops = CategoryFactory(slug="laptops", parent=phones.parent)
    replacements = {
        "parent": phones.parent,
        "other brand": BrandFactory(),
        "laptop model": CatalogModelFactory(brand=iphone.brand, category=laptops),
        "front and back only": _photos(("front", "back")),
        "with a sole": _photos() | {"sole": images.upload(images.jpeg_bytes())},
    }
    arguments = {"catalog_model": iphone} | {
        name: replacements.get(value, value) if isinstance(value, str) else value
        for name, value in overrides.items()
    }
    category = arguments.pop("category", phones)

    with pytest.raises(SubmissionError) as raised:
        _create(UserFactory(), category, **arguments)

    assert (raised.value.code, raised.value.field) == (code, field)
    assert raised.value.message
    assert not Submission.objects.exists()
    assert not _private_files()


def test_a_rejected_photo_leaves_no_row_and_no_file(phones, iphone):
    photos = _photos() | {"screen_on": images.upload(images.SHELL_SCRIPT, "screen.jpg")}
    with pytest.raises(PhotoRejected) as raised:
        _create(UserFactory(), phones, catalog_model=iphone, photos=photos)
    assert raised.value.code == "not_a_photo"
    assert (raised.value.field, raised.value.view) == ("photos", "screen_on")
    assert "Screen on" in raised.value.message
    assert not Submission.objects.exists()
    assert not SubmissionPhoto.objects.exists()
    assert not _private_files()


def test_a_storage_failure_part_way_leaves_no_row_and_no_file(phones, iphone, monkeypatch):
    real_store = intake.store_private
    stored = []

    def store_then_fail(key, photo):
        if stored:
            raise OSError("disk full")
        stored.append(key)
        real_store(key, photo)

    monkeypatch.setattr(intake, "store_private", store_then_fail)
    with pytest.raises(OSError):
        _create(UserFactory(), phones, catalog_model=iphone)
    assert stored  # one photo had been written
    assert not Submission.objects.exists()
    assert not _private_files()


def test_the_same_token_twice_makes_one_submission(phones, iphone):
    seller = UserFactory()
    token = uuid.uuid4()
    first = _create(seller, phones, catalog_model=iphone, client_token=token)
    second = _create(seller, phones, catalog_model=iphone, client_token=token)
    assert first.pk == second.pk
    assert Submission.objects.count() == 1
    assert SubmissionPhoto.objects.count() == 3
    assert len(_private_files()) == 3


def test_another_sellers_token_is_refused(phones, iphone):
    token = uuid.uuid4()
    _create(UserFactory(), phones, catalog_model=iphone, client_token=token)
    with pytest.raises(SubmissionError) as raised:
        _create(UserFactory(), phones, catalog_model=iphone, client_token=token)
    assert raised.value.code == "token_used"
    assert Submission.objects.count() == 1


def test_a_watch_with_papers_needs_the_papers_photo():
    watches = CategoryFactory(slug="watches")
    watch = questions.questionnaire_for(watches)
    attributes = {"reference": "126610LN", "movement": "automatic", "box": "yes", "papers": "yes"}
    condition = {question.name: question.answers[0].value for question in watch.questions}
    common = {"seller": UserFactory(), "category": watches, "brand": BrandFactory(), "title": "Submariner"}
    with pytest.raises(SubmissionError) as raised:
        submission_create(
            **common,
            attributes=attributes,
            condition_answers=condition,
            photos=_photos(("dial", "case_back", "clasp")),
        )
    assert raised.value.code == "photo_missing" and "Papers" in raised.value.message

    submission = submission_create(
        **common,
        attributes=attributes | {"papers": "no"},
        condition_answers=condition,
        photos=_photos(("dial", "case_back", "clasp")),
    )
    assert submission.declared_grade == Grade.NEW


@pytest.mark.parametrize("status", sorted(CANCELLABLE))
def test_the_owner_cancels_before_the_parcel_arrives(status):
    submission = SubmissionFactory(status=status)
    cancelled = submission_cancel(submission_id=submission.pk, seller=submission.seller)
    assert cancelled.status == SubmissionStatus.CANCELLED
    event = submission.events.get()
    assert (event.old, event.new, event.by) == (status, SubmissionStatus.CANCELLED, submission.seller)


@pytest.mark.parametrize("status", sorted(set(SubmissionStatus) - CANCELLABLE))
def test_no_cancelling_once_it_has_arrived(status):
    submission = SubmissionFactory(status=status)
    with pytest.raises(SubmissionError) as raised:
        submission_cancel(submission_id=submission.pk, seller=submission.seller)
    assert raised.value.code == "not_cancellable"
    submission.refresh_from_db()
    assert submission.status == status
    assert not submission.events.exists()


def test_only_the_owner_may_cancel():
    submission = SubmissionFactory(status=SubmissionStatus.ESTIMATED)
    with pytest.raises(Submission.DoesNotExist):
        submission_cancel(submission_id=submission.pk, seller=UserFactory())
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ESTIMATED


def test_a_status_change_after_the_check_is_refused_under_the_lock(monkeypatch):
    submission = SubmissionFactory(status=SubmissionStatus.SHIPPING)
    real_move = intake.submission_move

    def move_after_the_parcel_arrived(**kwargs):
        Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.RECEIVED)
        return real_move(**kwargs)

    monkeypatch.setattr(intake, "submission_move", move_after_the_parcel_arrived)
    with pytest.raises(InvalidTransition):
        submission_cancel(submission_id=submission.pk, seller=submission.seller)
    assert not submission.events.exists()
