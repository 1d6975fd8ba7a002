"""Two flows done with the keyboard alone, on a desktop-sized window: a shopper signs in, buys and
pays; an inspector takes the next item, answers every check and completes it. No click: Tab and
Shift+Tab move the focus, Space and the arrow keys choose, Enter submits. Every stop of the focus on
the way must show a focus ring.
"""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inspection.models import InspectionStatus
from listings.models import Grade, ListingSource
from orders.models import Order, OrderStatus
from tests.e2e.test_staff_inspects import queued_item  # noqa: F401 (a fixture)
from tests.factories import CategoryFactory, ListingFactory, UserFactory
from tests.inspection.desk_fixtures import inspector

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
TAB_LIMIT = 120  # stops on the longest page (the inspection bench) are well below this

# The focused element, or the label that draws a visually hidden control, shows an outline or a
# shadow while it has the focus.
FOCUS_RING = """
() => {
  const el = document.activeElement;
  const shown = (node) => {
    if (!node) return false;
    const style = getComputedStyle(node);
    return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  };
  return shown(el) || shown(el.closest('label'));
}
"""


@pytest.fixture
def keyboard_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 800}
    )
    yield context.new_page()
    context.close()


def tab_to(page, target, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus, checking the focus ring at each stop."""
    expect(target).to_be_attached()
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
        if focused.startswith("<body"):
            continue  # the focus left the page for the browser's own controls, and comes back next
        assert page.evaluate(FOCUS_RING), f"no visible focus ring on {focused}"
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def fill_and_submit(page, fields: dict[str, str], button) -> None:
    """Tab to each labelled field in turn and type its value, then Tab to `button` and press Enter."""
    for label, value in fields.items():
        tab_to(page, page.get_by_label(label, exact=True))
        page.keyboard.type(value)
    tab_to(page, button)
    page.keyboard.press("Enter")


def test_a_shopper_signs_in_buys_and_pays_with_the_keyboard_alone(keyboard_page, live_server, settings):
    page = keyboard_page
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = f"{live_server.url}/api/v1/payments/webhook/"
    settings.SITE_URL = live_server.url
    UserFactory(username="mei", password=PASSWORD)
    item = ListingFactory(
        category=CategoryFactory(name="Cameras", name_zh="相机", slug="cameras"),
        title="Fujifilm X100V, silver, boxed",
        price=Decimal("6800.00"),
        grade=Grade.EXCELLENT,
        source=ListingSource.PLATFORM,
        inspected_at=timezone.now(),
        report_code="RLX100",
    )

    # The skip link is the first stop and leads past the header.
    page.goto(f"/l/{item.pk}/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()

    tab_to(page, page.get_by_role("link", name="Buy now"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("Username"))
    page.keyboard.type("mei")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/l/{item.pk}/$"))
    tab_to(page, page.get_by_role("button", name="Buy now"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    pay = page.get_by_role("button", name="Pay ¥6,800.00")
    address = {
        "Recipient": "Mei Lin",
        "Phone": "13912345678",
        "Province or state": "Shanghai",
        "City": "Shanghai",
        "Street address": "Room 501, 12 Anfu Road, Xuhui",
        "Postcode": "200031",
    }
    fill_and_submit(page, address, pay)

    expect(page.get_by_role("heading", level=1)).to_have_text("Pay by card")
    card = {"Card number": "4242 4242 4242 4242", "Expiry (MM/YY)": "12/34", "Security code (CVC)": "123"}
    fill_and_submit(page, card, pay)

    order = Order.objects.get(listing=item)
    expect(page).to_have_url(re.compile(rf"/orders/{order.number}/$"))
    expect(page.locator(".od-status")).to_have_text("Paid")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.ship_to_name == "Mei Lin"


def _answer(page, check: str, *, outcome: str, value: str = "", note: str = "") -> None:
    """Answer one check on the bench: Tab to its first choice (unless the bench already put the focus
    there, as it does on the next group after a save), arrow keys to the outcome, then the fields,
    then its group's Save button."""
    row = page.locator("[data-check]", has_text=check)
    choices = row.locator(".ib-outcome input[type=radio]")
    expect(choices.first).to_be_visible()
    if not choices.first.evaluate("e => e === document.activeElement"):
        tab_to(page, choices.first)
    while not row.locator(f".ib-outcome input[value={outcome}]").evaluate(
        "e => e === document.activeElement"
    ):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    if value:
        tab_to(page, row.get_by_label(re.compile("Measured value")))
        page.keyboard.type(value)
    if note:
        tab_to(page, row.get_by_label(re.compile("^Note")))
        page.keyboard.type(note)
    group = page.locator("section.ib-group", has=row)
    tab_to(page, group.get_by_role("button", name="Save group"))
    page.keyboard.press("Enter")
    expect(page.locator("[data-check]", has_text=check)).to_contain_text("Saved:")


def test_an_inspector_works_the_bench_with_the_keyboard_alone(keyboard_page, queued_item):  # noqa: F811
    page = keyboard_page
    inspector(username="mei", password=PASSWORD)

    page.goto("/staff/inspection/")
    tab_to(page, page.get_by_label("Username"))
    page.keyboard.type("mei")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Inspection queue")
    tab_to(page, page.get_by_role("button", name="Take the next item"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("iPhone 13 Pro 256GB")

    _answer(page, "No cracks in the screen", outcome="pass")
    _answer(page, "Battery health", outcome="pass", value="91")
    _answer(page, "Back glass", outcome="defect", note="Hairline scratch near the camera")
    expect(page.locator("#ib-preview")).to_contain_text("3 of 3 checks answered")

    tab_to(page, page.get_by_role("button", name="Complete as passed"))
    page.keyboard.press("Enter")
    expect(page.locator(".ib-result")).to_contain_text("Passed")
    queued_item.refresh_from_db()
    assert (queued_item.status, queued_item.grade) == (InspectionStatus.COMPLETED, "A")
