"""The creators' pages: applying, the staff desk deciding and setting rates, the dashboard with its
figures and reasons, a video's page with its "buy what I show" links, the tracked link counting a
click (a visitor's becomes theirs at sign-in), and a seller's own rate."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import OPERATIONS
from feed.models import (
    CategoryCommissionRate,
    Commission,
    CommissionStatus,
    Creator,
    CreatorLink,
    CreatorStatus,
    CreatorVideo,
    LinkClick,
    ListingCommissionRate,
)
from listings.models import ListingSource, ListingStatus, VideoStatus
from tests.factories import CategoryFactory, ListingFactory, UserFactory
from tests.orders.helpers import paid_order

pytestmark = pytest.mark.django_db


def _operations():
    staff = UserFactory()
    staff.groups.add(Group.objects.get_or_create(name=OPERATIONS)[0])
    return staff


def _creator(**fields) -> Creator:
    return Creator.objects.create(
        user=fields.pop("user", None) or UserFactory(),
        handle=fields.pop("handle", "maya-films"),
        pitch="Film cameras.",
        status=CreatorStatus.APPROVED,
        **fields,
    )


def _video(creator: Creator, *listings, ready: bool = True) -> CreatorVideo:
    video = CreatorVideo.objects.create(
        creator=creator,
        caption="Three cameras I would buy again",
        key=f"k{CreatorVideo.objects.count()}{creator.pk}",
        size=1000,
        status=VideoStatus.READY if ready else VideoStatus.TRANSCODING,
        width=720,
        height=1280,
    )
    for number, listing in enumerate(listings):
        CreatorLink.objects.create(
            video=video,
            listing=listing,
            code=f"code{video.pk}x{number}",
            rate=Decimal("0.05"),
            rate_locked_until=timezone.now(),
        )
    return video


def test_a_shopper_applies_and_operations_approve_from_their_desk(client):
    shopper, staff = UserFactory(), _operations()
    client.force_login(shopper)

    answer = client.post("/creators/", {"handle": "@Maya-Films", "pitch": "Film cameras, tested."})

    assert answer.status_code == 302
    assert "waiting for review" in client.get("/creators/").content.decode()
    client.force_login(staff)
    desk = client.get("/staff/creators/").content.decode()
    assert "@maya-films" in desk and "Film cameras, tested." in desk
    creator = Creator.objects.get(user=shopper)
    client.post(f"/staff/creators/{creator.pk}/decide/", {"decision": "approve"})
    creator.refresh_from_db()
    assert creator.status == CreatorStatus.APPROVED and creator.decided_by == staff
    client.force_login(shopper)
    assert client.get("/creators/").url == "/creators/dashboard/"


def test_a_refusal_needs_a_reason_and_the_applicant_reads_it(client):
    shopper, staff = UserFactory(), _operations()
    creator = Creator.objects.create(user=shopper, handle="someone", pitch="Things.")
    client.force_login(staff)

    client.post(f"/staff/creators/{creator.pk}/decide/", {"decision": "refuse", "reason": ""})
    creator.refresh_from_db()
    assert creator.status == CreatorStatus.APPLIED
    client.post(f"/staff/creators/{creator.pk}/decide/", {"decision": "refuse", "reason": "No videos yet"})

    client.force_login(shopper)
    page = client.get("/creators/").content.decode()
    assert "was not approved; you may apply again. The reason: No videos yet" in page


def test_a_bad_handle_comes_back_on_its_field_and_nothing_is_written(client):
    client.force_login(UserFactory())

    answer = client.post("/creators/", {"handle": "a!", "pitch": "Things."})

    assert answer.status_code == 400
    assert "A handle is 3 to 30 letters" in answer.content.decode()
    assert not Creator.objects.exists()


def test_only_operations_open_the_desk_and_decide(client):
    creator = Creator.objects.create(user=UserFactory(), handle="someone", pitch="Things.")
    client.force_login(UserFactory())

    assert client.get("/staff/creators/").status_code == 403
    assert client.post(f"/staff/creators/{creator.pk}/decide/", {"decision": "approve"}).status_code == 403
    creator.refresh_from_db()
    assert creator.status == CreatorStatus.APPLIED


def test_staff_set_a_category_rate_and_a_rate_out_of_range_changes_nothing(client):
    cameras = CategoryFactory(name="Cameras")
    client.force_login(_operations())

    client.post(f"/staff/creators/rates/{cameras.pk}/", {"rate": "8"})
    page = client.get(
        client.post(f"/staff/creators/rates/{cameras.pk}/", {"rate": "51"}).url
    ).content.decode()

    assert CategoryCommissionRate.objects.get(category=cameras).rate == Decimal("0.08")
    assert "A commission rate must be from 0% to 50%." in page


def test_a_private_seller_raises_the_rate_on_their_item_but_not_on_anyone_elses(client):
    seller = UserFactory()
    item = ListingFactory(seller=seller, source=ListingSource.PERSON)
    client.force_login(seller)

    assert client.post(f"/sell/listings/{item.pk}/creator-rate/", {"rate": "12.5"}).status_code == 302
    refused = client.post(f"/sell/listings/{item.pk}/creator-rate/", {"rate": "60"})

    assert ListingCommissionRate.objects.get(listing=item).rate == Decimal("0.125")
    assert refused.status_code == 400 and "from 0% to 50%" in refused.content.decode()
    client.force_login(UserFactory())
    assert client.get(f"/sell/listings/{item.pk}/creator-rate/").status_code == 404


def test_a_video_page_shows_its_items_through_tracked_links_and_the_link_counts_a_click(client):
    item = ListingFactory(title="Leica M6")
    video = _video(_creator(), item)
    link = CreatorLink.objects.get(video=video)

    page = client.get(f"/creators/videos/{video.pk}/").content.decode()
    opened = client.get(f"/go/{link.code}/")

    assert f'href="/go/{link.code}/"' in page and "Leica M6" in page and "Buy what I show" in page
    assert opened.status_code == 302 and opened.url == f"/l/{item.pk}/"
    assert LinkClick.objects.filter(link=link, user=None).count() == 1


def test_a_visitors_click_becomes_theirs_when_they_sign_in(client):
    item = ListingFactory()
    link = CreatorLink.objects.get(video=_video(_creator(), item))
    shopper = UserFactory(username="li", password="a-good-long-password")
    shopper.set_password("a-good-long-password")
    shopper.save()
    client.get(f"/go/{link.code}/")

    client.post("/accounts/login/", {"username": "li", "password": "a-good-long-password"})

    assert LinkClick.objects.get(link=link).user == shopper


def test_an_unknown_link_and_a_video_not_ready_are_not_found(client):
    video = _video(_creator(), ListingFactory(), ready=False)

    assert client.get("/go/nothing/").status_code == 404
    assert client.get(f"/creators/videos/{video.pk}/").status_code == 404
    client.force_login(video.creator.user)
    assert "Preparing the video for the web" in client.get(f"/creators/videos/{video.pk}/").content.decode()


def test_the_dashboard_shows_clicks_orders_pending_paid_and_why_one_earned_nothing(
    client, django_assert_num_queries
):
    creator = _creator()
    items = [ListingFactory(title=f"Camera {number}") for number in range(4)]
    video = _video(creator, *items)
    links = list(CreatorLink.objects.filter(video=video).order_by("pk"))
    for link in links:
        LinkClick.objects.create(link=link, user=UserFactory())
    statuses = [
        (CommissionStatus.PENDING, "65.00", ""),
        (CommissionStatus.PAID, "40.00", ""),
        (CommissionStatus.REVERSED, "12.00", ""),
        (CommissionStatus.REFUSED, "0", "own_link"),
    ]
    for link, (status, amount, refusal) in zip(links, statuses, strict=True):
        order = paid_order(listing=ListingFactory(title=f"Bought {link.listing.title}"))
        Commission.objects.create(
            order=order,
            creator=creator,
            link=link,
            rate=Decimal("0.05"),
            amount=Decimal(amount),
            status=status,
            refusal=refusal,
            clicked_at=timezone.now(),
        )
    client.force_login(creator.user)

    # session and user; the creator; the totals; commissions with their orders and items; videos;
    # their links with items and clicks counted. (The bell asks for its count itself.)
    with django_assert_num_queries(6):
        page = client.get("/creators/dashboard/").content.decode()

    assert 'id="total-clicks">4<' in page and 'id="total-orders">4<' in page
    assert "65.00" in page.split('id="total-pending"')[1].split("</dd>")[0]
    assert "40.00" in page.split('id="total-paid"')[1].split("</dd>")[0]
    assert "You bought this through your own link." in page
    assert "Reversed: the buyer was refunded." in page


def test_only_an_approved_creator_posts_a_video(client):
    client.force_login(UserFactory())

    assert client.get("/creators/videos/new/").status_code == 404
    assert client.post("/creators/videos/post/", {"caption": "x"}).status_code == 404
    assert not CreatorVideo.objects.exists()


def test_a_link_to_an_item_not_on_sale_is_refused_on_the_form_and_nothing_is_written(client):
    creator = _creator()
    sold = ListingFactory(status=ListingStatus.SOLD)
    client.force_login(creator.user)

    answer = client.post(
        "/creators/videos/post/",
        {"caption": "Look", "other": str(sold.pk), "video": SimpleUploadedFile("v.mp4", b"not a video")},
    )

    assert answer.status_code == 400
    assert "is not on sale" in answer.content.decode()
    assert not CreatorVideo.objects.exists() and not CreatorLink.objects.exists()
