"""A seller's submissions after submitting: the list, a submission's page with its live estimate,
cancelling, the private photos; another seller's submission is a 404 everywhere."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.roles import OPERATIONS
from listings.photos import CheckedPhoto, store_private
from recycling.models import Confidence, Submission, SubmissionPhoto, SubmissionStatus, Valuation
from recycling.valuation import ReasonCode
from tests.factories import CategoryFactory, SubmissionFactory, UserFactory
from tests.listings import images

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _valuation(submission, **overrides):
    now = timezone.now()
    fields = {
        "submission": submission,
        "model_version": "test-1",
        "cash_low": Decimal("2300.00"),
        "cash_high": Decimal("2700.00"),
        "consign_low": Decimal("2800.00"),
        "consign_high": Decimal("3300.00"),
        "confidence": Confidence.HIGH,
        "reasons": [
            {"code": ReasonCode.COMPARABLES, "params": {"count": 7, "days": 90}},
            {"code": ReasonCode.COMMISSION, "params": {"percent": 25}},
        ],
        "photo_flags": [{"view": "front", "code": "blurred", "strong": False, "params": {}}],
        "created_at": now,
        "expires_at": now + timedelta(days=7),
    }
    return Valuation.objects.create(**(fields | overrides))


def _photo(submission, view="front"):
    photo = SubmissionPhoto.objects.create(
        submission=submission, view=view, key=f"{submission.pk:032x}", width=1200, height=900
    )
    store_private(photo.key, CheckedPhoto(data=images.jpeg_bytes((1200, 900)), width=1200, height=900))
    return photo


def test_the_page_polls_while_the_estimate_is_being_made(client, seller):
    submission = SubmissionFactory(seller=seller, status=SubmissionStatus.VALUING)
    fragment_url = reverse("recycling:estimate_panel", args=[submission.pk])

    page = client.get(reverse("recycling:detail", args=[submission.pk])).content.decode()
    assert f'data-hx-get="{fragment_url}"' in page and 'data-hx-trigger="every 1s"' in page
    assert "Checking your photos" in page

    fragment = client.get(fragment_url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-hx-trigger="every 1s"' in fragment and "<html" not in fragment

    # The job finishes: the next answer has the estimate and no trigger, so the polling stops.
    _valuation(submission)
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.ESTIMATED)
    fragment = client.get(fragment_url, HTTP_HX_REQUEST="true").content.decode()
    assert "data-hx-trigger" not in fragment and "data-hx-get" not in fragment
    assert "¥2,300.00 to ¥2,700.00" in fragment
    assert "¥2,800.00 to ¥3,300.00" in fragment
    assert "Based on 7 sales of this model in the last 90 days." in fragment
    assert "This photo is blurred." in fragment
    assert "High" in fragment
    assert "Valid until" in fragment
    assert "Book free shipping" in fragment and reverse("shipping:book", args=[submission.pk]) in fragment
    assert "Cancel" in fragment


def test_a_slow_valuation_polls_less_often_and_says_so(client, seller):
    submission = SubmissionFactory(seller=seller, status=SubmissionStatus.VALUING)
    Submission.objects.filter(pk=submission.pk).update(updated_at=timezone.now() - timedelta(minutes=5))
    fragment = client.get(reverse("recycling:estimate_panel", args=[submission.pk])).content.decode()
    assert 'data-hx-trigger="every 5s"' in fragment and "taking longer than usual" in fragment


def test_shipping_shows_the_label_link_and_a_received_one_cannot_be_cancelled(client, seller):
    shipping = SubmissionFactory(seller=seller, status=SubmissionStatus.SHIPPING)
    page = client.get(reverse("recycling:detail", args=[shipping.pk])).content.decode()
    assert reverse("shipping:label", args=[shipping.pk]) in page and "Download label" in page
    received = SubmissionFactory(seller=seller, status=SubmissionStatus.RECEIVED)
    page = client.get(reverse("recycling:detail", args=[received.pk])).content.decode()
    assert reverse("recycling:cancel", args=[received.pk]) not in page


def test_detail_shows_the_answers_photos_and_timeline(client, seller, django_assert_num_queries):
    submission = SubmissionFactory(
        seller=seller,
        status=SubmissionStatus.ESTIMATED,
        attributes={"colour": "Graphite"},
        condition_answers={"usage": "light", "body": "none", "works": "all"},
    )
    submission.events.create(old=SubmissionStatus.DRAFT, new=SubmissionStatus.VALUING, by=seller)
    _valuation(submission)
    photo = _photo(submission)
    # user, submission (category, brand, catalog model and seller joined), the viewer's staff groups,
    # newest valuation, events with who moved them, its parcels (their carrier events would be one
    # more, once there is a parcel), photos; the session comes from the cache.
    with django_assert_num_queries(7):
        page = client.get(reverse("recycling:detail", args=[submission.pk])).content.decode()
    assert "Graphite" in page and "Lightly used, faint marks only up close" in page
    assert reverse("recycling:photo", args=[photo.pk]) in page
    assert "Estimating" in page  # the timeline


def test_the_seller_cancels(client, seller):
    submission = SubmissionFactory(seller=seller, status=SubmissionStatus.ESTIMATED)
    response = client.post(reverse("recycling:cancel", args=[submission.pk]), follow=True)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CANCELLED
    assert "Your submission is cancelled." in response.content.decode()


def test_cancelling_too_late_says_why(client, seller):
    submission = SubmissionFactory(seller=seller, status=SubmissionStatus.INSPECTING)
    response = client.post(reverse("recycling:cancel", args=[submission.pk]), follow=True)
    assert "can no longer be cancelled" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.INSPECTING


def test_an_expired_estimate_can_be_renewed(client, seller, django_capture_on_commit_callbacks):
    submission = SubmissionFactory(seller=seller, status=SubmissionStatus.ESTIMATE_EXPIRED)
    page = client.get(reverse("recycling:detail", args=[submission.pk])).content.decode()
    assert "Get a new estimate" in page
    with django_capture_on_commit_callbacks():
        client.post(reverse("recycling:revalue", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.VALUING


def test_photos_are_served_downsized_to_their_seller(client, seller):
    submission = SubmissionFactory(seller=seller, status=SubmissionStatus.VALUING)
    photo = _photo(submission)
    response = client.get(reverse("recycling:photo", args=[photo.pk]), {"w": "320"})
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert Image.open(io.BytesIO(response.content)).size == (320, 240)


def test_another_users_submission_is_a_404_everywhere(client, seller):
    other = SubmissionFactory(status=SubmissionStatus.ESTIMATED)
    photo = _photo(other)
    for method, name, args in [
        ("get", "recycling:detail", [other.pk]),
        ("get", "recycling:estimate_panel", [other.pk]),
        ("get", "recycling:photo", [photo.pk]),
        ("post", "recycling:cancel", [other.pk]),
        ("post", "recycling:revalue", [other.pk]),
    ]:
        response = getattr(client, method)(reverse(name, args=args))
        assert response.status_code == 404, name
    other.refresh_from_db()
    assert other.status == SubmissionStatus.ESTIMATED


def test_staff_see_any_submission_but_cannot_cancel_it(client):
    staff = UserFactory()
    staff.groups.add(Group.objects.get_or_create(name=OPERATIONS)[0])
    client.force_login(staff)
    submission = SubmissionFactory(status=SubmissionStatus.ESTIMATED)
    photo = _photo(submission)
    page = client.get(reverse("recycling:detail", args=[submission.pk])).content.decode()
    assert submission.title in page and reverse("recycling:cancel", args=[submission.pk]) not in page
    assert client.get(reverse("recycling:photo", args=[photo.pk])).status_code == 200
    assert client.post(reverse("recycling:cancel", args=[submission.pk])).status_code == 404


def test_my_submissions_lists_mine_only_with_the_current_estimate(client, seller):
    mine = SubmissionFactory(seller=seller, status=SubmissionStatus.ESTIMATED, title="My camera")
    _valuation(
        mine,
        cash_low=Decimal("100.00"),
        cash_high=Decimal("150.00"),
        created_at=timezone.now() - timedelta(days=9),
    )
    _valuation(mine, cash_low=Decimal("120.00"), cash_high=Decimal("160.00"))
    SubmissionFactory(seller=seller, status=SubmissionStatus.VALUING, title="My phone")
    SubmissionFactory(title="Someone else's bag")
    page = client.get(reverse("recycling:dashboard")).content.decode()
    assert "My camera" in page and "My phone" in page and "Someone else" not in page
    assert "Cash ¥120.00 to ¥160.00" in page and "¥100.00" not in page
    assert "Estimating…" in page


@pytest.mark.parametrize("count", [5, 500])
def test_my_submissions_query_count(client, seller, django_assert_num_queries, count):
    category = CategoryFactory()
    submissions = Submission.objects.bulk_create(
        [
            Submission(
                seller=seller,
                category=category,
                title=f"Item {index}",
                declared_grade="B",
                status=SubmissionStatus.ESTIMATED,
                code=f"RLT{index:07d}",
            )
            for index in range(count)
        ]
    )
    now = timezone.now()
    Valuation.objects.bulk_create(
        [
            Valuation(
                submission=submission,
                model_version="test-1",
                cash_low=Decimal("10.00"),
                cash_high=Decimal("20.00"),
                confidence=Confidence.MEDIUM,
                expires_at=now + timedelta(days=7),
            )
            for submission in submissions
        ]
    )
    # The user, then one page of submissions (category and brand joined, the current estimate as
    # subqueries); the session comes from the cache. The same two whatever the count.
    with django_assert_num_queries(2):
        response = client.get(reverse("recycling:dashboard"))
    assert response.status_code == 200
    assert response.content.decode().count('class="rq-row"') == min(count, 20)
    if count > 20:
        next_page = client.get(reverse("recycling:dashboard") + response.context["next_url"])
        assert next_page.content.decode().count('class="rq-row"') == 20


def test_the_polled_fragment_query_count(client, seller, django_assert_num_queries):
    submission = SubmissionFactory(seller=seller, status=SubmissionStatus.VALUING)
    # user, submission (joined as on the page), staff groups, newest valuation, events, parcels.
    with django_assert_num_queries(6):
        client.get(reverse("recycling:estimate_panel", args=[submission.pk]))
