"""A shopper buys an inspected item: "Buy now" → checkout with the address → the payment provider's
hosted page (the sandbox) → back on the order, which turns to "Paid" once the provider's signed
webhook has arrived over HTTP. Then the money is where the ledger says it is."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from listings.models import Grade, ListingSource, ListingStatus
from orders.models import Order, OrderStatus
from tests.factories import CategoryFactory, ListingFactory, UserFactory
from wallet.models import Account, AccountPurpose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def item():
    cameras = CategoryFactory(name="Cameras", name_zh="相机", slug="cameras")
    return ListingFactory(
        category=cameras,
        title="Fujifilm X100V, silver, boxed",
        price=Decimal("6800.00"),
        grade=Grade.EXCELLENT,
        source=ListingSource.PLATFORM,
        inspected_at=timezone.now(),
        report_code="RLX100",
    )


def _sign_in(page, username: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_shopper_buys_pays_on_the_sandbox_page_and_sees_the_order(page, item, live_server, settings):
    # The sandbox posts its webhook to the running site, as a real provider would.
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = f"{live_server.url}/api/v1/payments/webhook/"
    settings.SITE_URL = live_server.url
    UserFactory(username="mei", password=PASSWORD)

    page.goto(f"/l/{item.pk}/")
    page.get_by_role("link", name="Buy now").click()  # a visitor signs in first
    _sign_in(page, "mei")
    expect(page).to_have_url(re.compile(rf"/l/{item.pk}/$"))
    page.get_by_role("button", name="Buy now").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    expect(page.get_by_text("Fujifilm X100V, silver, boxed").first).to_be_visible()
    page.get_by_role("button", name="Pay ¥6,800.00").click()  # nothing filled in yet
    expect(page.get_by_text("Enter the name of the person the parcel is for.")).to_be_visible()
    page.get_by_label("Recipient").fill("Mei Lin")
    page.get_by_label("Phone").fill("13912345678")
    page.get_by_label("Province or state").fill("Shanghai")
    page.get_by_label("City").fill("Shanghai")
    page.get_by_label("Street address").fill("Room 501, 12 Anfu Road, Xuhui")
    page.get_by_label("Postcode").fill("200031")
    page.get_by_role("button", name="Pay ¥6,800.00").click()

    # The provider's hosted page: a declined card first, then one that goes through.
    expect(page.get_by_role("heading", level=1)).to_have_text("Pay by card")
    expect(page.get_by_text("No real card is charged")).to_be_visible()
    page.get_by_label("Card number").fill("4000 0000 0000 0002")
    page.get_by_label("Expiry (MM/YY)").fill("12/34")
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_role("button", name="Pay ¥6,800.00").click()

    # Back on the order, which says so once the provider's webhook is in; paying again opens a new
    # payment on the provider's page.
    order = Order.objects.get(listing=item)
    expect(page).to_have_url(re.compile(rf"/orders/{order.number}/$"))
    expect(page.get_by_text("Your payment did not go through.")).to_be_visible()
    expect(page.get_by_text("Your bank declined the card.", exact=False)).to_be_visible()
    page.goto(f"/orders/{order.number}/pay/")
    expect(page.get_by_label("Recipient")).to_have_value("Mei Lin")
    page.get_by_role("button", name="Pay ¥6,800.00").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pay by card")
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry (MM/YY)").fill("12/34")
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_role("button", name="Pay ¥6,800.00").click()

    # Back on the order: paid once the webhook is in (the page updates itself while it waits).
    expect(page).to_have_url(re.compile(rf"/orders/{order.number}/$"))
    expect(page.locator(".od-status")).to_have_text("Paid")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fujifilm X100V, silver, boxed")

    page.goto("/orders/")
    expect(page.get_by_text("Fujifilm X100V, silver, boxed")).to_be_visible()
    expect(page.get_by_text("Paid", exact=True).first).to_be_visible()

    # And the money: held in escrow for the order, the listing sold to this buyer alone.
    order.refresh_from_db()
    item.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert item.status == ListingStatus.SOLD
    escrow = Account.objects.get(purpose=AccountPurpose.ESCROW, user=None)
    clearing = Account.objects.get(purpose=AccountPurpose.PAYMENTS_CLEARING, user=None)
    assert escrow.balance == Decimal("6800.00")
    assert clearing.balance == Decimal("-6800.00")
    assert order.payments.filter(status="succeeded").count() == 1
    assert order.payments.filter(status="failed").count() == 1
