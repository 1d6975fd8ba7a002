"""The whole loop in the browser, each person on their own phone-sized screen: a seller's estimated
iPhone is sent in with free shipping, received at the desk, inspected, consigned from the final
offer page, bought and paid for by a shopper, shipped and delivered by operations; then the return
window passes (time moved in the test), the settlement job runs, and the seller finds the payout in
the wallet and, with its fee lines, on the item's money timeline; the ledger agrees.

The seller's description and photos go in through `submission_create`, as the "Sell with us" pages
send them (test_seller_submits.py walks those pages); with Celery eager the estimate is ready when
the seller first opens the submission. The carrier's scans come in through its webhook service, as
they would from outside. Every other step is a page.
"""

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from consignment.models import Consignment, ConsignmentStatus
from consignment.settlement import consignments_settle
from inspection.models import Inspection, InspectionStatus
from listings.models import Grade, ListingSource, ListingStatus
from marketplace.templatetags.money import money
from orders.models import Order, OrderStatus
from orders.services.fulfilment import orders_complete_due
from recycling.models import Offer, SubmissionStatus
from recycling.services.intake import submission_create
from tests.factories import BrandFactory, CatalogModelFactory, CategoryFactory, UserFactory
from tests.inspection.desk_fixtures import inspector, small_checklist
from tests.listings import images
from tests.recycling.photo_samples import jpeg, scene
from tests.recycling.shipping_fixtures import operations_user
from tests.shipping.helpers import record_event
from wallet.models import AccountPurpose
from wallet.services.ledger import platform_account, wallet_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
TITLE = "Apple iPhone 13 Pro"


@pytest.fixture
def submission():
    """Lin's iPhone, described and photographed, with its estimate ready; the phones checklist and the
    staff who will handle it."""
    electronics = CategoryFactory(name="Electronics", name_zh="电子数码", slug="electronics", position=1)
    phones = CategoryFactory(name="Phones", name_zh="手机", slug="phones", parent=electronics)
    small_checklist(phones)
    iphone = CatalogModelFactory(
        brand=BrandFactory(name="Apple", slug="apple"),
        category=phones,
        name="iPhone 13 Pro",
        launch_price=Decimal("7999.00"),
        launch_year=timezone.now().year - 3,
    )
    lin = UserFactory(username="lin", password=PASSWORD)
    operations_user(username="ops", password=PASSWORD)
    inspector(username="mei", password=PASSWORD)
    UserFactory(username="zhang", password=PASSWORD)
    created = submission_create(
        seller=lin,
        category=phones,
        brand=iphone.brand,
        catalog_model=iphone,
        attributes={
            "storage": "256 GB",
            "colour": "Sierra Blue",
            "carrier_lock": "unlocked",
            "account_removed": "yes",
        },
        condition_answers={
            "usage": "light",
            "screen_cracks": "no",
            "screen_marks": "none",
            "body": "light",
            "battery": "90",
            "works": "all",
            "repairs": "never",
        },
        photos={
            view: images.upload(jpeg(scene(seed=seed)), name=f"{view}.jpg")
            for seed, view in enumerate(("front", "back", "screen_on"), start=1)
        },
    )
    created.refresh_from_db()
    assert created.status == SubmissionStatus.ESTIMATED
    return created


@pytest.fixture
def person(browser, live_server) -> Iterator[Callable[[str], Page]]:
    """A signed-in phone for each person; closed at the end of the test."""
    contexts = []

    def sign_in(username: str) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            locale="en-US",
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        return page

    yield sign_in
    for context in contexts:
        context.close()


def _answer(page: Page, label: str, *, value: str = "") -> None:
    """Pass one check and save its group (the group with checks to answer is the open one)."""
    row = page.locator("[data-check]", has_text=label)
    row.get_by_text("Pass", exact=True).click()
    if value:
        row.get_by_label(re.compile(r"^Measured value")).fill(value)
    page.locator("section.ib-group", has=row).get_by_role("button", name="Save group").click()
    expect(page.locator("[data-check]", has_text=label)).to_contain_text("Saved: Pass")


def test_the_whole_loop_from_estimate_to_payout(page, person, submission, live_server, settings):
    # The sandbox posts its payment webhook to the running site, as a real provider would.
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = f"{live_server.url}/api/v1/payments/webhook/"
    settings.SITE_URL = live_server.url

    # --- The seller sees the estimate and books free shipping (the `page` fixture is the seller's).
    page.goto(f"/sell-with-us/{submission.pk}/")
    page.get_by_label("Username").fill("lin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".rq-status-line")).to_contain_text("Estimate ready")
    expect(page.locator(".rq-amount").first).to_contain_text("¥")
    expect(page.locator(".rq-thumbs img")).to_have_count(3)
    page.get_by_role("link", name="Book free shipping").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Free shipping")
    page.get_by_text("Drop-off", exact=True).click()
    page.get_by_role("button", name="Book free shipping").click()
    expect(page.get_by_text("Free shipping is booked.")).to_be_visible()
    tracking = page.locator("#booked .tracking").inner_text().strip()
    assert tracking

    # The carrier collects the parcel and brings it to the centre (its webhook, played here).
    for number, kind in enumerate(("picked_up", "delivered"), start=1):
        record_event(
            event_id=f"loop-{number}", tracking_number=tracking, kind=kind, occurred_at=timezone.now()
        )

    # --- Operations receive the parcel at the desk by its tracking number.
    ops = person("ops")
    ops.goto("/staff/receiving/")
    expect(ops.get_by_role("heading", level=1)).to_have_text("Receiving desk")
    expect(ops.locator("#in-transit")).to_contain_text(submission.code)
    ops.get_by_label("Tracking number or submission code").fill(tracking)
    ops.get_by_role("button", name="Receive").click()
    expect(ops.get_by_text(f"Received {submission.code}")).to_be_visible()
    expect(ops.locator("#received")).to_contain_text(submission.code)

    # --- An inspector takes it, records every check, and completes it as passed.
    bench = person("mei")
    bench.goto("/staff/inspection/")
    expect(bench.locator("#queue li").first).to_contain_text(TITLE)
    bench.get_by_role("button", name="Take the next item").click()
    expect(bench.get_by_role("heading", level=1)).to_have_text(TITLE)
    _answer(bench, "Activation lock off")
    _answer(bench, "Battery health", value="91")
    _answer(bench, "Back glass")
    expect(bench.locator("#ib-preview")).to_contain_text("3 of 3 checks answered")
    expect(bench.locator("#ib-grade")).to_have_text("Like new")
    bench.get_by_role("button", name="Complete as passed").click()
    expect(bench.locator(".ib-result")).to_contain_text("Passed")
    inspection = Inspection.objects.get(subject_code=submission.code)
    assert (inspection.status, inspection.grade) == (InspectionStatus.COMPLETED, Grade.LIKE_NEW)

    # --- The seller opens the final offer: cash and consignment side by side; consigns at the
    # proposed floor.
    offer = Offer.objects.get(submission=submission)
    commission = (offer.list_price * offer.commission_rate).quantize(Decimal("0.01"))
    page.goto(f"/sell-with-us/{submission.pk}/")
    page.get_by_role("link", name="See your offer and decide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your offer for {TITLE}")
    cash = page.get_by_role("region", name="Recycle: cash now")
    consign = page.get_by_role("region", name="Consign: more, later")
    expect(cash.locator(".rq-amount")).to_have_text(money(offer.cash_amount))
    expect(cash.get_by_role("button", name="Take the cash")).to_be_visible()
    expect(consign).to_contain_text(money(offer.list_price))
    expect(consign).to_contain_text(money(commission))
    expect(consign).to_contain_text(money(offer.list_price - commission))
    expect(consign).to_contain_text(money(offer.floor_default))
    expect(consign.locator(".rq-drops li")).to_have_count(3)  # day 30, day 60, end of the term
    expect(page.locator(".rq-validity")).to_contain_text("7 days left")
    expect(page.get_by_role("link", name="Read the inspection report")).to_be_visible()
    expect(page.get_by_role("region", name="Why this offer").locator("li").first).to_be_visible()
    expect(consign.get_by_label("Your floor")).to_have_value(f"{offer.floor_default:.0f}")
    consign.get_by_role("button", name="Consign it").click()

    expect(page).to_have_url(re.compile(rf"/sell-with-us/consignment/{submission.pk}/money/$"))
    expect(page.get_by_text("Agreed: your item is on sale.")).to_be_visible()
    consignment = Consignment.objects.select_related("listing").get(submission=submission)
    assert consignment.status == ConsignmentStatus.LISTED
    assert consignment.floor_price == offer.floor_default
    listing = consignment.listing
    assert (listing.source, listing.status, listing.price) == (
        ListingSource.CONSIGNED,
        ListingStatus.ACTIVE,
        offer.list_price,
    )

    # --- A shopper finds the consigned listing, buys it and pays on the provider's page.
    price = money(listing.price)
    shop = person("zhang")
    shop.goto("/search/?q=iPhone")
    shop.get_by_role("link", name=re.compile("iPhone 13 Pro")).first.click()
    expect(shop).to_have_url(re.compile(rf"/l/{listing.pk}/$"))
    expect(shop.locator("main")).to_contain_text(price)
    expect(shop.locator("main")).to_contain_text("Reloop, for its owner (consigned)")
    expect(shop.get_by_role("link", name="Read the inspection report")).to_be_visible()
    shop.get_by_role("button", name="Buy now").click()
    expect(shop.get_by_role("heading", level=1)).to_have_text("Checkout")
    shop.get_by_label("Recipient").fill("Zhang Wei")
    shop.get_by_label("Phone").fill("13912345678")
    shop.get_by_label("Province or state").fill("Shanghai")
    shop.get_by_label("City").fill("Shanghai")
    shop.get_by_label("Street address").fill("Room 501, 12 Anfu Road, Xuhui")
    shop.get_by_label("Postcode").fill("200031")
    shop.get_by_role("button", name=f"Pay {price}").click()
    expect(shop.get_by_role("heading", level=1)).to_have_text("Pay by card")
    shop.get_by_label("Card number").fill("4242 4242 4242 4242")
    shop.get_by_label("Expiry (MM/YY)").fill("12/34")
    shop.get_by_label("Security code (CVC)").fill("123")
    shop.get_by_role("button", name=f"Pay {price}").click()
    order = Order.objects.get(listing=listing)
    expect(shop).to_have_url(re.compile(rf"/orders/{order.number}/$"))
    expect(shop.locator(".od-status")).to_have_text("Paid")
    consignment.refresh_from_db()
    assert consignment.status == ConsignmentStatus.SOLD

    # --- Operations ship it from the centre and mark it delivered.
    ops.goto("/staff/orders/")
    card = ops.locator("#to-ship li", has_text=order.number)
    card.get_by_label("Carrier").select_option("sf")
    card.get_by_label("Tracking number").fill("SF1234567890")
    card.get_by_role("button", name="Mark as shipped").click()
    expect(ops.get_by_text(f"{order.number} “{order.title}” is shipped.")).to_be_visible()
    ops.locator("#shipped li", has_text=order.number).get_by_role("button", name="Mark delivered").click()
    expect(ops.get_by_text("the return window runs from now")).to_be_visible()
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED

    # --- Time moves past the return window; the completion and settlement jobs run.
    later = timezone.now() + timedelta(days=settings.RETURN_WINDOW_DAYS + 1)
    assert orders_complete_due(now=later) == 1
    assert consignments_settle(now=later) == 1
    assert consignments_settle(now=later) == 0  # run again: nothing more to pay
    order.refresh_from_db()
    consignment.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert consignment.status == ConsignmentStatus.SETTLED
    sale = order.price
    commission = (sale * consignment.commission_rate).quantize(Decimal("0.01"))
    payout = sale - commission

    # --- The seller sees the payout in the wallet and, line by line, on the money timeline.
    page.goto("/wallet/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wallet")
    expect(page.locator("#balance")).to_have_text(money(payout))
    entry = page.locator("#entries li").first
    expect(entry).to_contain_text(f"Consigned “{TITLE}” sold and settled")
    expect(entry).to_contain_text(f"sold for {money(sale)}, less Reloop's commission of {money(commission)}")
    expect(entry).to_contain_text(f"+{money(payout)}")

    page.goto(f"/sell-with-us/consignment/{submission.pk}/money/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Where your item is, and your money")
    paid = page.get_by_role("region", name="Paid", exact=True)
    expect(paid).to_contain_text("Settled to your wallet on")
    fees = paid.locator("table.cs-fees tr")
    expect(fees).to_have_count(3)
    expect(fees.nth(0)).to_contain_text("Sale price")
    expect(fees.nth(0)).to_contain_text(money(sale))
    expect(fees.nth(1)).to_contain_text("Reloop's commission")
    expect(fees.nth(1)).to_contain_text(f"−{money(commission)}")  # noqa: RUF001 (the page's minus sign)
    expect(fees.nth(2)).to_contain_text("Paid to your wallet")
    expect(fees.nth(2)).to_contain_text(money(payout))
    expect(page.locator(".cs-money")).to_contain_text(f"Sold for {money(sale)}")

    # --- And the ledger: the seller holds the price less the commission, nothing is left owing.
    assert wallet_account(user=submission.seller).balance == payout
    assert platform_account(purpose=AccountPurpose.CONSIGNMENT_PAYABLE).balance == Decimal("0.00")
    assert platform_account(purpose=AccountPurpose.COMMISSION_REVENUE).balance == commission
    assert platform_account(purpose=AccountPurpose.ESCROW).balance == Decimal("0.00")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SETTLED
