"""A shopper's journey through the channel: home → a category → a filter → a listing, in English and
in Chinese. Assertions are on what a person sees on the page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from listings.models import Grade
from tests.factories import CategoryFactory, ListingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def channel():
    phones = CategoryFactory(name="Phones", name_zh="手机", slug="phones", position=1)
    bags = CategoryFactory(name="Bags", name_zh="箱包", slug="bags", position=2)
    inspected = ListingFactory(
        category=phones,
        title="iPhone 13 Pro 256GB Sierra Blue",
        grade=Grade.EXCELLENT,
        inspected_at=timezone.now(),
        report_code="RL7Q2K",
    )
    ListingFactory(category=phones, title="iPhone 12 mini 128GB", grade=Grade.GOOD)
    ListingFactory(category=bags, title="Canvas tote, navy", grade=Grade.VERY_GOOD)
    return inspected


def test_browse_filter_and_open_a_listing_in_english(page, channel):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Second-hand, checked by people who know.")

    page.get_by_role("link", name="Phones", exact=True).click()
    expect(page).to_have_url(re.compile(r"/c/phones/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Phones")
    results = page.locator(".channel-results")
    expect(results.get_by_text("iPhone 13 Pro 256GB Sierra Blue")).to_be_visible()
    expect(results.get_by_text("iPhone 12 mini 128GB")).to_be_visible()
    expect(results.get_by_text("Canvas tote, navy")).to_have_count(0)

    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Platform inspected only").check()
    page.get_by_role("button", name="Show results").click()
    expect(results.get_by_text("iPhone 12 mini 128GB")).to_have_count(0)
    card = results.get_by_role("link", name=re.compile("iPhone 13 Pro 256GB Sierra Blue"))
    expect(card.get_by_text("Inspected", exact=True)).to_be_visible()

    card.click()
    expect(page).to_have_url(re.compile(rf"/l/{channel.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("iPhone 13 Pro 256GB Sierra Blue")
    expect(page.locator(".grade-box")).to_contain_text("Grade A · Excellent")
    expect(page.get_by_text("Platform inspected", exact=True)).to_be_visible()


def test_browse_filter_and_open_a_listing_in_chinese(page, channel):
    page.goto("/")
    page.locator(".account-nav details.menu summary").click()  # the language menu
    page.locator("select#language").select_option("zh-hans")
    page.get_by_role("button", name="Change language").click()
    expect(page).to_have_url(re.compile(r"/zh-hans/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    page.get_by_role("link", name="手机", exact=True).click()
    expect(page).to_have_url(re.compile(r"/zh-hans/c/phones/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("手机")
    results = page.locator(".channel-results")
    expect(results.get_by_text("iPhone 12 mini 128GB")).to_be_visible()

    page.locator(".filter-panel summary").click()
    page.locator("input[name=grade][value=A]").check()
    page.get_by_role("button", name="查看结果").click()  # "Show results", from the translation catalogue
    expect(page).to_have_url(re.compile(r"grade=A"))
    expect(results.get_by_text("iPhone 12 mini 128GB")).to_have_count(0)

    results.get_by_text("iPhone 13 Pro 256GB Sierra Blue").click()
    expect(page).to_have_url(re.compile(rf"/zh-hans/l/{channel.pk}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("iPhone 13 Pro 256GB Sierra Blue")
    expect(page.locator(".breadcrumbs")).to_contain_text("手机")
    expect(page.locator(".grade-box")).to_contain_text("成色 A · 95新")
