"""Small things people saw on the pages (issue: every rough edge a new user hits)."""

from datetime import datetime

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone, translation

from listings.models import ListingSource
from tests.factories import BrandFactory, CatalogModelFactory, ListingFactory

pytestmark = pytest.mark.django_db


@override_settings(USE_TZ=True)
def test_a_time_at_the_end_of_a_sentence_ends_with_one_stop():
    at = timezone.make_aware(datetime(2026, 12, 6, 22, 24))
    template = Template('{% load timestamps %}Reserved until {{ at|time:"TIME_FORMAT"|before_stop }}.')
    with translation.override("en"):
        text = template.render(Context({"at": at}))
    assert text.endswith("p.m.") and not text.endswith("..")


def test_a_consigned_item_says_reloop_sells_it_and_the_struck_price_is_named(client):
    listing = ListingFactory(source=ListingSource.CONSIGNED, reference_price="999.00")
    html = client.get(f"/l/{listing.pk}/").content.decode()
    assert "Reloop, for its owner (consigned)" in html
    assert ">Consigned<" not in html
    grid = client.get("/").content.decode()
    assert '<s class="was"><span class="visually-hidden">Price new </span>' in grid


def test_a_model_name_that_carries_its_brand_does_not_repeat_it():
    chanel = BrandFactory(name="Chanel", slug="chanel")
    assert str(CatalogModelFactory(brand=chanel, name="Chanel 22 small handbag")) == "Chanel 22 small handbag"
    apple = BrandFactory(name="Apple", slug="apple")
    assert str(CatalogModelFactory(brand=apple, name="iPhone 13")) == "Apple iPhone 13"


def test_a_search_keeps_the_filters_closed_and_says_when_nothing_matches_the_words(client):
    ListingFactory(title="Fujifilm X100V")

    found = client.get("/search/?q=fujifilm").content.decode()
    nothing = client.get("/search/?q=zzzzqqq").content.decode()
    filtered = client.get("/search/?q=fujifilm&price_min=999999").content.decode()

    # The words searched for are not a filter: the panel stays closed, so the results come first.
    assert '<details class="filter-panel">' in found
    assert "No results for “zzzzqqq”." in nothing
    assert '<details class="filter-panel" open>' in filtered
    assert "Nothing matches these filters right now." in filtered
