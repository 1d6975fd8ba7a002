"""A seller's journey through "Sell with us" on a phone-sized screen: sign in, describe an iPhone,
answer the condition questions, photograph the three views, submit, and see the estimate.

Celery runs eagerly in the tests, so the estimate is made in the server thread right after the
submission commits; the page then shows it without waiting for a worker.
"""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recycling.models import Submission, SubmissionStatus
from tests.e2e.site_pages import photo
from tests.factories import BrandFactory, CatalogModelFactory, CategoryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def catalogue():
    electronics = CategoryFactory(name="Electronics", name_zh="电子数码", slug="electronics", position=1)
    phones = CategoryFactory(name="Phones", name_zh="手机", slug="phones", parent=electronics)
    apple = BrandFactory(name="Apple", slug="apple")
    samsung = BrandFactory(name="Samsung", slug="samsung")
    CatalogModelFactory(
        brand=samsung, category=phones, name="Galaxy S21", launch_year=timezone.now().year - 3
    )
    return CatalogModelFactory(
        brand=apple,
        category=phones,
        name="iPhone 13 Pro",
        launch_price=Decimal("7999.00"),
        launch_year=timezone.now().year - 3,
    )


def test_seller_describes_photographs_and_sees_the_estimate(page, catalogue):
    UserFactory(username="lin", password=PASSWORD)

    page.goto("/")
    page.get_by_role("link", name="Sell with us: get an estimate in seconds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sell with us")
    page.get_by_role("link", name="Get an estimate").click()

    # Signing in leads straight back to the first step.
    page.get_by_label("Username").fill("lin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What are you selling?")

    page.get_by_role("button", name="Continue").click()  # nothing chosen yet
    expect(page.locator(".form-errors")).to_contain_text("Please choose a category.")
    page.get_by_text("Phones", exact=True).click()
    page.get_by_role("button", name="Continue").click()

    # The model list filters as the seller types (htmx).
    expect(page.get_by_role("heading", level=1)).to_have_text("Which model is it?")
    page.get_by_label("Search the models").fill("iphone")
    expect(page.locator("#model-list").get_by_text("Galaxy S21")).to_have_count(0)
    page.locator("#model-list").get_by_text("Apple iPhone 13 Pro").click()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("About your item")
    page.get_by_text("256 GB", exact=True).click()
    page.get_by_label("Colour").fill("Sierra Blue")
    page.get_by_role("button", name="Continue").click()
    # The page says what is missing and keeps what was entered.
    expect(page.locator(".form-errors")).to_contain_text("Please answer “Carrier lock”.")
    expect(page.get_by_label("Colour")).to_have_value("Sierra Blue")
    page.get_by_text("Unlocked: works with any carrier").click()
    page.locator("input[name=account_removed][value=yes]").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("What condition is it in?")
    for name, value in {
        "usage": "light",
        "screen_cracks": "no",
        "screen_marks": "none",
        "body": "light",
        "battery": "85",
        "works": "all",
        "repairs": "never",
    }.items():
        page.locator(f"input[name={name}][value='{value}']").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Photos")
    expect(page.get_by_text("The screen on a white page at full brightness")).to_be_visible()
    for seed, view in enumerate(("front", "back", "screen_on")):
        page.locator(f"input[name={view}]").set_input_files(
            {"name": f"{view}.jpg", "mimeType": "image/jpeg", "buffer": photo(seed)}
        )
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check and send")
    expect(page.locator("main")).to_contain_text("Apple iPhone 13 Pro")
    expect(page.locator(".rq-grade")).to_contain_text("Excellent")
    expect(page.locator(".rq-thumbs img")).to_have_count(3)
    page.get_by_role("button", name="Get my estimate").click()

    expect(page).to_have_url(re.compile(r"/sell-with-us/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Apple iPhone 13 Pro")
    expect(page.locator(".rq-status-line")).to_contain_text("Estimate ready")
    expect(page.locator(".rq-amount")).to_have_count(2)
    expect(page.locator(".rq-amount").first).to_contain_text("¥")
    expect(page.locator(".rq-reasons")).to_contain_text("Launched in")
    expect(page.get_by_role("link", name="Book free shipping")).to_be_visible()
    expect(page.locator(".rq-thumbs img")).to_have_count(3)

    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.ESTIMATED
    assert submission.photos.count() == 3

    page.get_by_role("link", name="My submissions").first.click()
    expect(page.locator(".rq-row")).to_contain_text("Estimate ready")
