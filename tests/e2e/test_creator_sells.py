"""跟着买 on a phone: a shopper scrolls the for-you feed (the item's video plays, muted, and the card
says why it is shown), opens a creator's video, buys an item through its tracked link and pays on the
sandbox's page; once the order completes, the creator's dashboard shows the commission paid, and the
seller's wallet shows the fee line."""

import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files import File
from django.utils import timezone
from playwright.sync_api import expect

from feed.models import Commission, CommissionStatus, Creator, CreatorStatus
from feed.services.creator_videos import creator_video_process
from feed.services.creators import creator_video_upload
from listings.models import Grade, ListingSource
from listings.services.videos import listing_video_process, listing_video_upload
from marketplace.video import recording_of_bars
from orders.models import Order, OrderStatus
from orders.services.fulfilment import order_confirm_receipt, order_mark_delivered, order_mark_shipped
from tests.e2e.conftest import phone_context, sign_in
from tests.factories import CategoryFactory, ListingFactory, UserFactory
from wallet.models import Account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _with_video(path: Path, label: str, upload):
    recording_of_bars(path, seconds=3, label=label)
    with path.open("rb") as handle:
        return upload(File(handle, name=path.name))


@pytest.fixture
def story(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the jobs run below, here and now
    cameras = CategoryFactory(name="Cameras", name_zh="相机", slug="cameras")
    seller = UserFactory(username="chen")
    item = ListingFactory(
        seller=seller,
        category=cameras,
        title="Leica M6, black, serviced",
        price=Decimal("2000.00"),
        grade=Grade.EXCELLENT,
        source=ListingSource.PERSON,
        published_at=timezone.now(),
    )
    maya = UserFactory(username="maya")
    creator = Creator.objects.create(
        user=maya, handle="maya-films", pitch="Film cameras.", status=CreatorStatus.APPROVED
    )
    with tempfile.TemporaryDirectory() as work:
        listing_video = _with_video(
            Path(work) / "item.mp4",
            "M6",
            lambda upload: listing_video_upload(listing_id=item.pk, by=seller, upload=upload),
        )
        listing_video_process(video_id=listing_video.pk)
        video = _with_video(
            Path(work) / "maya.mp4",
            "@maya-films",
            lambda upload: creator_video_upload(
                by=maya, upload=upload, caption="A camera I would buy again", listing_ids=[item.pk]
            ),
        )
        creator_video_process(video_id=video.pk)
    UserFactory(username="mei")
    return {"item": item, "creator": creator, "video": video, "seller": seller}


def test_a_shopper_buys_through_a_creators_video_and_the_creator_is_paid(
    browser, live_server, settings, story
):
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = f"{live_server.url}/api/v1/payments/webhook/"
    settings.SITE_URL = live_server.url
    item, video = story["item"], story["video"]
    context = phone_context(browser, live_server.url)
    sign_in(context, live_server.url, "mei")
    page = context.new_page()

    # The feed on a phone: one item a screen, its video playing muted, with why it is shown.
    page.goto("/for-you/")
    card = page.locator(".feed-item").filter(has_text="Leica M6, black, serviced")
    card.scroll_into_view_if_needed()
    expect(card.locator(".feed-why")).to_have_text("New in Cameras")
    feed_video = card.locator("video.feed-video")
    page.wait_for_function(
        "v => !v.paused && v.currentTime > 0", arg=feed_video.element_handle(), timeout=10_000
    )
    assert feed_video.evaluate("v => v.muted") is True

    # The creator's video, and "buy what I show".
    page.goto(f"/creators/videos/{video.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("A camera I would buy again")
    page.get_by_role("link", name="See it and buy").click()
    expect(page).to_have_url(re.compile(rf"/l/{item.pk}/$"))
    page.get_by_role("button", name="Buy now").click()
    page.get_by_label("Recipient").fill("Mei Lin")
    page.get_by_label("Phone").fill("13912345678")
    page.get_by_label("Province or state").fill("Shanghai")
    page.get_by_label("City").fill("Shanghai")
    page.get_by_label("Street address").fill("Room 501, 12 Anfu Road, Xuhui")
    page.get_by_label("Postcode").fill("200031")
    page.get_by_role("button", name=re.compile(r"^Pay ¥")).click()
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry (MM/YY)").fill("12/34")
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_role("button", name=re.compile(r"^Pay ¥")).click()
    order = Order.objects.get(listing=item)
    expect(page.locator(".od-status")).to_have_text("Paid")
    commission = Commission.objects.get(order=order)
    assert (commission.status, commission.amount) == (CommissionStatus.PENDING, Decimal("100.00"))  # 5%

    # The seller ships, the parcel arrives, the shopper confirms: the order completes.
    order_mark_shipped(order_id=order.pk, by=story["seller"], carrier="sf", tracking_number="SF1234567890")
    order_mark_delivered(order_id=order.pk, by=None)
    order_confirm_receipt(order_id=order.pk, buyer=order.buyer)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.COMPLETED

    # The creator's dashboard: one click, one order, the commission paid; the seller's wallet: the fee.
    creator_context = phone_context(browser, live_server.url)
    sign_in(creator_context, live_server.url, "maya")
    dashboard = creator_context.new_page()
    dashboard.goto("/creators/dashboard/")
    expect(dashboard.locator("#total-clicks")).to_have_text("1")
    expect(dashboard.locator("#total-orders")).to_have_text("1")
    expect(dashboard.locator("#total-paid")).to_have_text("¥100.00")
    expect(dashboard.locator("#total-pending")).to_have_text("¥0.00")
    dashboard.goto("/wallet/")
    expect(
        dashboard.get_by_text("Your commission on “Leica M6, black, serviced”", exact=False)
    ).to_be_visible()
    assert Account.objects.get(user=story["creator"].user).balance == Decimal("100.00")
    # 2,000 less the 5% platform fee (100), less the creator's 100, and the buyer's shipping fee: the
    # seller sent the parcel themselves.
    assert Account.objects.get(user=story["seller"]).balance == Decimal("1800.00") + order.shipping_fee
    creator_context.close()
    context.close()
