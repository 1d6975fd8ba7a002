"""What the page walk (`test_accessibility.py`) checks on each page besides axe and the Nu Html
Checker, with the site's Content-Security-Policy on: no console error (a CSP violation is one:
"Refused to execute inline script because it violates the following Content Security Policy
directive…"), no script error, and nothing wider than the screen; and that the page scripts that
carry the nonce, or replaced inline handlers, do their work.

A page that answers 404 on purpose logs that one failed load; any other failed load (a missing
thumbnail, script or style sheet) is an error.
"""

from django.urls import reverse

from tests.e2e import site_pages
from tests.e2e.conftest import phone_context, sign_in


def listen(page, problems: list[str], where: list[str], expected: list[int] | None = None) -> None:
    """Record console errors (CSP violations among them) and uncaught script errors against the page
    open; `expected` holds the status the page answers on purpose, whose failed load is not an error."""

    def on_console(message) -> None:
        if message.type != "error":
            return
        if expected and expected[0] != 200 and f"status of {expected[0]}" in message.text:
            return
        problems.append(f"{where[0]}: console error: {message.text} ({message.location.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{where[0]}: script error: {error}"))


VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
# What sticks out past the right edge of the screen, if anything: the page's width and the widest
# elements' selectors.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : ''));
  return `${document.documentElement.scrollWidth} px wide on a ${width} px screen: ${wide.join(', ')}`;
}"""


def the_checkout_counts_down(browser, base_url: str, problems: list[str], where: list[str]) -> None:
    """The checkout's inline script (with the nonce) counts the reservation down."""
    from accounts.models import User
    from orders.services.checkout import order_place

    order = order_place(
        buyer=User.objects.get(username=site_pages.SHOPPER), listing_id=site_pages._private_listing()
    )
    context = phone_context(browser, base_url)
    sign_in(context, base_url, site_pages.SHOPPER)
    page = context.new_page()
    listen(page, problems, where)
    where[0] = "orders:pay (shopper)"
    page.goto(reverse("orders:pay", args=[order.number]))
    clock = page.locator(".od-countdown .od-clock")
    first = clock.inner_text()
    page.wait_for_timeout(2_000)
    if clock.inner_text() == first:
        problems.append(f"{where[0]}: the reservation clock stayed at {first}")
    context.close()


def a_form_with_a_question_asks_it_first(
    browser, base_url: str, problems: list[str], where: list[str]
) -> None:
    """Declining an offer asks first (static/js/confirm.js); answering no sends nothing."""
    from recycling.models import Submission, SubmissionStatus

    offered = site_pages._submission("offered")()
    context = phone_context(browser, base_url)
    sign_in(context, base_url, site_pages.SELLER)
    page = context.new_page()
    listen(page, problems, where)
    where[0] = "recycling:offer (seller)"
    page.goto(reverse("recycling:offer", args=[offered]))
    questions: list[str] = []

    def answer_no(dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer_no)
    page.locator("form[data-confirm] button[type=submit]").click()
    page.wait_for_timeout(500)
    if questions != ["Decline the offer and get the item back?"]:
        problems.append(f"{where[0]}: asked {questions} before declining")
    if Submission.objects.get(pk=offered).status != SubmissionStatus.OFFERED:
        problems.append(f"{where[0]}: the offer was declined although the seller answered no")
    context.close()
