"""A person selling an item on a small phone (360 px wide): the selling pages fit the screen, every
control is a target of at least 44 px, and a listing's status badge stands apart from its title."""

import pytest

from listings.models import ListingSource
from tests.e2e.conftest import phone_context, sign_in
from tests.factories import ListingFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The controls a finger aims at; a field's label is not one (its input is), a radio's label is.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'main a, main button, main select, main textarea, main input:not([type=radio]):not([type=checkbox]):not([type=hidden]), main label:has(input[type=radio])'
  )].filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.height < 44; })
    .map(e => `${e.tagName} ${(e.textContent || e.name || '').trim().slice(0, 30)}: ${Math.round(e.getBoundingClientRect().height)} px`)"""


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_the_selling_pages_fit_a_360_px_phone_with_44_px_targets(browser, live_server, prefix):
    seller = UserFactory(username="lin")
    listing = ListingFactory(
        seller=seller, source=ListingSource.PERSON, title="Fujifilm X100V, silver, boxed"
    )
    context = phone_context(browser, live_server.url, viewport={"width": 360, "height": 800})
    sign_in(context, live_server.url, seller.username)
    page = context.new_page()

    for path in ("/sell/listings/", "/sell/listings/new/", f"/sell/listings/{listing.pk}/edit/"):
        page.goto(prefix + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        assert page.evaluate(SMALL_TARGETS) == [], path
    # On the edit page the status is a badge of its own, not part of the heading.
    assert page.locator("h1").inner_text() == listing.title
    assert page.locator("main .status").first.is_visible()
    context.close()
