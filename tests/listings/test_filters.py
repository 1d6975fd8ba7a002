from decimal import Decimal

from django.http import QueryDict

from listings.filters import ChannelFilterForm
from tests.factories import BrandFactory, CategoryFactory


def form_for(query: str, **kwargs) -> ChannelFilterForm:
    return ChannelFilterForm(QueryDict(query), **kwargs)


def test_empty_form_is_valid_and_sorts_newest():
    form = form_for("")

    assert form.is_valid()
    assert form.sort_name == "newest"
    filters = form.to_filters()
    assert filters.q == ""
    assert filters.brand_slugs == ()
    assert filters.price_min is None


def test_search_defaults_to_relevance_and_explicit_sort_wins():
    assert form_for("q=iphone").sort_name == "relevance"
    assert form_for("q=iphone&sort=price_asc").sort_name == "price_asc"


def test_all_fields_become_filters(db):
    category = CategoryFactory()
    form = form_for(
        "brand=apple&brand=sony&grade=A&grade=S&price_min=10&price_max=99.5&inspected=on&authenticated=1&q=+phone+"
    )

    assert form.is_valid(), form.errors
    filters = form.to_filters(category=category)
    assert filters.category == category
    assert filters.brand_slugs == ("apple", "sony")
    assert filters.grades == ("A", "S")
    assert filters.price_min == Decimal("10")
    assert filters.price_max == Decimal("99.5")
    assert filters.inspected_only and filters.authenticated_only
    assert filters.q == "phone"


def test_price_min_above_max_is_an_error_and_the_rest_still_filters():
    form = form_for("price_min=500&price_max=100&grade=B")

    assert not form.is_valid()
    assert "The maximum price must not be lower than the minimum price." in form.errors["price_max"]
    filters = form.to_filters()
    assert filters.grades == ("B",)
    assert filters.price_min == Decimal("500")
    assert filters.price_max is None


def test_bad_values_are_errors():
    form = form_for("price_min=-1&grade=Z&sort=cheapest&brand=not a slug&q=" + "x" * 101)

    assert not form.is_valid()
    assert set(form.errors) == {"price_min", "grade", "sort", "brand", "q"}
    assert form.sort_name == "newest"
    assert form.to_filters().q == ""


def test_brand_choices_restrict_brands_when_given(db):
    apple = BrandFactory(slug="apple", name="Apple")

    assert form_for("brand=apple", brands=[apple]).is_valid()
    assert not form_for("brand=sony", brands=[apple]).is_valid()
    assert form_for("brand=sony").is_valid()


def test_seller_becomes_seller_id(db):
    from tests.factories import UserFactory

    seller = UserFactory()

    assert form_for("").to_filters(seller=seller).seller_id == seller.pk
