"""User-written text is marked with its language where a page in the other language shows it."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from listings.models import Grade
from listings.services import listing_update
from marketplace.templatetags.languages import lang_attr
from marketplace.templatetags.timestamps import machine_datetime
from marketplace.text_language import written_language
from tests.factories import CategoryFactory, ListingFactory


@pytest.mark.parametrize(
    ("texts", "language"),
    [
        (("iPhone 13 Pro 256GB", ""), "en"),
        (("iPhone 13 Pro 国行", ""), "zh-hans"),
        (("Speedy 30", "九成新 无划痕"), "zh-hans"),
        (("", ""), "en"),
        (("Café crème, 3 € off",), "en"),
    ],
)
def test_text_with_han_characters_is_chinese_and_other_text_english(texts, language):
    assert written_language(*texts) == language


def test_lang_attr_marks_only_text_in_the_other_language():
    with translation.override("en"):
        assert lang_attr("zh-hans") == ' lang="zh-hans"'
        assert lang_attr("en") == ""
    with translation.override("zh-hans"):
        assert lang_attr("en") == ' lang="en"'
        assert lang_attr("zh-hans") == ""


def test_machine_datetime_is_valid_html_to_the_second():
    assert (
        machine_datetime(datetime(2026, 12, 6, 11, 37, 42, 672191, tzinfo=UTC)) == "2026-12-06T19:37:42+08:00"
    )
    assert machine_datetime(None) == ""


@pytest.mark.django_db
def test_a_listing_keeps_the_language_it_was_written_in_and_pages_mark_it(client):
    listing = ListingFactory(
        category=CategoryFactory(slug="bags"),
        title="LV Speedy 30",
        description="Light wear.",
        grade=Grade.GOOD,
    )
    listing_update(
        listing_id=listing.pk, seller=listing.seller, title="LV Speedy 30 老花", price=Decimal("3000")
    )
    listing.refresh_from_db()
    assert listing.language == "zh-hans"

    english = client.get(f"/l/{listing.pk}/").content.decode()
    chinese = client.get(f"/zh-hans/l/{listing.pk}/").content.decode()
    assert '<h1 lang="zh-hans">LV Speedy 30 老花</h1>' in english
    assert "<h1>LV Speedy 30 老花</h1>" in chinese


@pytest.mark.django_db
def test_a_sellers_profile_keeps_its_language_and_the_storefront_marks_it(client):
    seller = ListingFactory(category=CategoryFactory(slug="bags")).seller
    seller.display_name = "小美的闲置"
    seller.save(update_fields=["display_name"])
    seller.refresh_from_db()
    assert seller.profile_language == "zh-hans"

    english = client.get(f"/u/{seller.username}/").content.decode()
    chinese = client.get(f"/zh-hans/u/{seller.username}/").content.decode()
    assert '<h1 lang="zh-hans">小美的闲置</h1>' in english
    assert "<h1>小美的闲置</h1>" in chinese
