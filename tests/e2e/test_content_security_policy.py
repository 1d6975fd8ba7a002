"""Each persona walks every page in `site_pages.PAGES` in Chromium, with the site's
Content-Security-Policy on, on a 390 x 844 phone and a 1366 x 900 desktop, in English and in Chinese:
no console error (a CSP violation is one: "Refused to execute inline script because it violates the
following Content Security Policy directive…"), no script error, and nothing wider than the screen.

A page that answers 404 on purpose logs that one failed load; any other failed load (a missing
thumbnail, script or style sheet) is an error. The demo data is the accessibility test's
(`seed_demo`, small, and `site_pages.states_the_demo_leaves_out`).
"""

import os

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.e2e import site_pages
from tests.e2e.conftest import phone_context, sign_in


def _listen(page, problems: list[str], where: list[str], expected: list[int] | None = None) -> None:
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
LANGUAGES = {"en": "", "zh-hans": "/zh-hans"}
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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_persona_walks_every_page_on_a_phone_and_a_desktop_in_both_languages(
    browser, live_server, settings
):
    # given the demo marketplace, with every state a page shows
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = f"{live_server.url}/api/v1/payments/webhook/"
    call_command("seed_demo", listings=40, jobs=0, photo_size=240, stdout=open(os.devnull, "w"))  # noqa: SIM115
    site_pages.states_the_demo_leaves_out(live_server.url)

    # when each persona opens each of its pages, on each screen, in each language
    problems: list[str] = []
    where = [""]
    expected = [200]
    by_persona: dict[str, list[site_pages.SitePage]] = {}
    for entry in site_pages.PAGES:
        by_persona.setdefault(entry.persona, []).append(entry)
    visited = 0
    for persona, entries in by_persona.items():
        for screen, viewport in VIEWPORTS.items():
            context = (
                phone_context(browser, live_server.url)
                if screen == "phone"
                else browser.new_context(base_url=live_server.url, viewport=viewport)
            )
            if persona:
                sign_in(context, live_server.url, persona)
            page = context.new_page()
            _listen(page, problems, where, expected)
            for entry in entries:
                for language, prefix in LANGUAGES.items():
                    where[0] = f"{entry.name} ({persona or 'anonymous'}, {screen}, {language})"
                    expected[0] = entry.status
                    path = prefix + entry.path()
                    response = site_pages.open_page(page, entry, prefix, problems, where[0])
                    if response is None:
                        continue
                    if response.status != entry.status:
                        problems.append(f"{where[0]}: {path} answered {response and response.status}")
                        continue
                    policy = response.headers.get("content-security-policy", "")
                    if "script-src 'self'" not in policy or "unsafe" in policy:
                        problems.append(f"{where[0]}: the page's policy is {policy!r}")
                    page.wait_for_load_state("load")
                    overflow = page.evaluate(OVERFLOW)
                    if overflow:
                        problems.append(f"{where[0]}: {overflow}")
                    visited += 1
            context.close()
    expected[0] = 200

    # and the page scripts that carry the nonce, or replaced inline handlers, do their work
    _the_checkout_counts_down(browser, live_server.url, problems, where)
    _a_form_with_a_question_asks_it_first(browser, live_server.url, problems, where)

    # then the policy was on, and nothing broke it or spilled off the screen
    assert visited == len(site_pages.PAGES) * len(VIEWPORTS) * len(LANGUAGES)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def _the_checkout_counts_down(browser, base_url: str, problems: list[str], where: list[str]) -> None:
    """The checkout's inline script (with the nonce) counts the reservation down."""
    from accounts.models import User
    from orders.services.checkout import order_place

    order = order_place(
        buyer=User.objects.get(username=site_pages.SHOPPER), listing_id=site_pages._private_listing()
    )
    context = phone_context(browser, base_url)
    sign_in(context, base_url, site_pages.SHOPPER)
    page = context.new_page()
    _listen(page, problems, where)
    where[0] = "orders:pay (shopper)"
    page.goto(reverse("orders:pay", args=[order.number]))
    clock = page.locator(".od-countdown .od-clock")
    first = clock.inner_text()
    page.wait_for_timeout(2_000)
    if clock.inner_text() == first:
        problems.append(f"{where[0]}: the reservation clock stayed at {first}")
    context.close()


def _a_form_with_a_question_asks_it_first(
    browser, base_url: str, problems: list[str], where: list[str]
) -> None:
    """Declining an offer asks first (static/js/confirm.js); answering no sends nothing."""
    from recycling.models import Submission, SubmissionStatus

    offered = site_pages._submission("offered")()
    context = phone_context(browser, base_url)
    sign_in(context, base_url, site_pages.SELLER)
    page = context.new_page()
    _listen(page, problems, where)
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
