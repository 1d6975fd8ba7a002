"""Every page in `site_pages.PAGES`, opened by its persona in Chromium with the site's
Content-Security-Policy on, runs with no violation: no inline script, style, event handler or eval
that the policy refuses, and no script error.

Chromium reports each violation as a console error ("Refused to execute inline script because it
violates the following Content Security Policy directive…"); a refused script that a page needed
shows up as a page error too. The demo data is the accessibility test's (`seed_demo`, small, and
`site_pages.states_the_demo_leaves_out`).
"""

import os

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.e2e import site_pages
from tests.e2e.conftest import phone_context, sign_in


def _listen(page, problems: list[str], where: list[str]) -> None:
    """Record CSP violations from the console, and uncaught script errors, against the page open."""

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"{where[0]}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{where[0]}: script error: {error}"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_page_runs_under_the_content_security_policy(browser, live_server, settings):
    # given the demo marketplace, with every state a page shows
    settings.PAYMENT_SANDBOX_WEBHOOK_URL = f"{live_server.url}/api/v1/payments/webhook/"
    call_command("seed_demo", listings=40, jobs=0, photo_size=240, stdout=open(os.devnull, "w"))  # noqa: SIM115
    site_pages.states_the_demo_leaves_out(live_server.url)

    # when each persona opens each of its pages
    problems: list[str] = []
    where = [""]
    by_persona: dict[str, list[site_pages.SitePage]] = {}
    for entry in site_pages.PAGES:
        by_persona.setdefault(entry.persona, []).append(entry)
    visited = 0
    for persona, entries in by_persona.items():
        context = phone_context(browser, live_server.url)
        if persona:
            sign_in(context, live_server.url, persona)
        page = context.new_page()
        _listen(page, problems, where)
        for entry in entries:
            where[0] = f"{entry.name} ({persona or 'anonymous'})"
            path = entry.path()
            try:
                if entry.reach is not None:
                    entry.reach(page, "")
                    response = page.reload()
                else:
                    response = page.goto(path)
            except PlaywrightError as error:
                problems.append(f"{where[0]}: {path} did not load: {error.message.splitlines()[0]}")
                continue
            if response is None or response.status != entry.status:
                problems.append(f"{where[0]}: {path} answered {response and response.status}")
                continue
            policy = response.headers.get("content-security-policy", "")
            if "script-src 'self'" not in policy or "unsafe" in policy:
                problems.append(f"{where[0]}: the page's policy is {policy!r}")
            page.wait_for_load_state("load")
            visited += 1
        context.close()

    # and the page scripts that carry the nonce, or replaced inline handlers, do their work
    _the_checkout_counts_down(browser, live_server.url, problems, where)
    _a_form_with_a_question_asks_it_first(browser, live_server.url, problems, where)

    # then the policy was on, and nothing broke it
    assert visited == len(site_pages.PAGES)
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
