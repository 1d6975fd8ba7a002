from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from listings import selectors
from listings.models import Favourite, Grade, Listing, ListingPhoto, ListingStatus, PhotoStatus
from listings.selectors import (
    ChannelFilters,
    brands_for_category,
    category_by_slug,
    category_is_luxury,
    category_tree,
    favourite_ids,
    favourites_for_user,
    home_sections,
    listing_for_detail,
    listings_for_channel,
    listings_for_storefront,
    seller_for_storefront,
    similar_listings,
)
from tests.factories import BrandFactory, CategoryFactory, ListingFactory, UserFactory

pytestmark = pytest.mark.django_db


def titles(filters: ChannelFilters, sort: str = "newest") -> set[str]:
    return {listing.title for listing in listings_for_channel(filters=filters, sort=sort, cursor=None).items}


def test_only_active_listings_are_in_the_channel():
    ListingFactory(title="on sale")
    for status in (ListingStatus.DRAFT, ListingStatus.RESERVED, ListingStatus.SOLD, ListingStatus.WITHDRAWN):
        ListingFactory(title=f"{status} item", status=status)

    assert titles(ChannelFilters()) == {"on sale"}


def test_brand_filter():
    apple, sony = BrandFactory(slug="apple"), BrandFactory(slug="sony")
    ListingFactory(title="iPhone", brand=apple)
    ListingFactory(title="Walkman", brand=sony)
    ListingFactory(title="No brand", brand=None)

    assert titles(ChannelFilters(brand_slugs=("apple",))) == {"iPhone"}
    assert titles(ChannelFilters(brand_slugs=("apple", "sony"))) == {"iPhone", "Walkman"}
    assert titles(ChannelFilters(brand_slugs=("nokia",))) == set()


def test_grade_filter():
    ListingFactory(title="new", grade=Grade.NEW)
    ListingFactory(title="good", grade=Grade.GOOD)
    ListingFactory(title="fair", grade=Grade.FAIR)

    assert titles(ChannelFilters(grades=("N", "C"))) == {"new", "good"}


def test_price_range_filter_includes_its_bounds():
    for price in ("99.99", "100.00", "250.00", "500.00", "500.01"):
        ListingFactory(title=price, price=Decimal(price))

    assert titles(ChannelFilters(price_min=Decimal(100), price_max=Decimal(500))) == {
        "100.00",
        "250.00",
        "500.00",
    }
    assert titles(ChannelFilters(price_min=Decimal(500))) == {"500.00", "500.01"}
    assert titles(ChannelFilters(price_max=Decimal(100))) == {"99.99", "100.00"}


def test_inspected_and_authenticated_filters():
    ListingFactory(title="plain")
    ListingFactory(title="inspected", inspected_at=timezone.now())
    ListingFactory(title="both", inspected_at=timezone.now(), authenticated=True)

    assert titles(ChannelFilters(inspected_only=True)) == {"inspected", "both"}
    assert titles(ChannelFilters(authenticated_only=True)) == {"both"}


def test_seller_filter():
    seller = UserFactory()
    ListingFactory(title="mine", seller=seller)
    ListingFactory(title="theirs")

    assert titles(ChannelFilters(seller_id=seller.pk)) == {"mine"}


def test_a_parent_category_includes_every_category_below_it():
    phones = CategoryFactory(slug="phones")
    android = CategoryFactory(slug="android", parent=phones)
    foldables = CategoryFactory(slug="foldables", parent=android)
    laptops = CategoryFactory(slug="laptops")
    ListingFactory(title="Pixel", category=android)
    ListingFactory(title="Fold", category=foldables)
    ListingFactory(title="ThinkPad", category=laptops)

    assert titles(ChannelFilters(category=phones)) == {"Pixel", "Fold"}
    assert titles(ChannelFilters(category=android)) == {"Pixel", "Fold"}
    assert titles(ChannelFilters(category=foldables)) == {"Fold"}


def test_filters_combine():
    phones = CategoryFactory()
    apple = BrandFactory(slug="apple")
    ListingFactory(title="match", category=phones, brand=apple, grade=Grade.LIKE_NEW, price=Decimal(300))
    ListingFactory(title="too dear", category=phones, brand=apple, grade=Grade.LIKE_NEW, price=Decimal(900))
    ListingFactory(title="worn", category=phones, brand=apple, grade=Grade.FAIR, price=Decimal(300))
    ListingFactory(title="elsewhere", brand=apple, grade=Grade.LIKE_NEW, price=Decimal(300))

    filters = ChannelFilters(category=phones, brand_slugs=("apple",), grades=("S",), price_max=Decimal(500))

    assert titles(filters) == {"match"}


def test_sorts():
    now = timezone.now()
    ListingFactory(title="old cheap", price=Decimal(10), published_at=now - timedelta(days=2))
    ListingFactory(title="new dear", price=Decimal(90), published_at=now)
    ListingFactory(title="mid", price=Decimal(50), published_at=now - timedelta(days=1))

    def order(sort: str) -> list[str]:
        return [
            item.title
            for item in listings_for_channel(filters=ChannelFilters(), sort=sort, cursor=None).items
        ]

    assert order("newest") == ["new dear", "mid", "old cheap"]
    assert order("price_asc") == ["old cheap", "mid", "new dear"]
    assert order("price_desc") == ["new dear", "mid", "old cheap"]
    # Without a search there is nothing to rank: relevance means newest.
    assert order("relevance") == order("newest")


def test_unknown_sort_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown sort"):
        listings_for_channel(filters=ChannelFilters(), sort="cheapest", cursor=None)


def test_search_matches_every_word_in_title_or_description():
    ListingFactory(title="iPhone 13 Pro", description="Blue, 256 GB")
    ListingFactory(title="iPhone 12", description="Red")
    ListingFactory(title="Galaxy S23", description="Comes with an iPhone adapter")

    assert titles(ChannelFilters(q="iphone")) == {"iPhone 13 Pro", "iPhone 12", "Galaxy S23"}
    assert titles(ChannelFilters(q="iphone blue")) == {"iPhone 13 Pro"}
    assert titles(ChannelFilters(q="nokia")) == set()
    assert titles(ChannelFilters(q="   ")) == {"iPhone 13 Pro", "iPhone 12", "Galaxy S23"}


def test_search_in_chinese_matches_substrings():
    ListingFactory(title="苹果手机 iPhone 13", description="")
    ListingFactory(title="华为手表", description="九成新")

    assert titles(ChannelFilters(q="手机")) == {"苹果手机 iPhone 13"}
    assert titles(ChannelFilters(q="九成")) == {"华为手表"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite fallback")
def test_on_sqlite_search_falls_back_to_matching_and_relevance_means_newest():
    now = timezone.now()
    ListingFactory(title="Leica camera", published_at=now - timedelta(days=1))
    ListingFactory(title="Camera bag", published_at=now)
    ListingFactory(
        title="Camera strap",
        description="for any camera, camera, camera",
        published_at=now - timedelta(days=2),
    )

    page = listings_for_channel(filters=ChannelFilters(q="camera"), sort="relevance", cursor=None)

    assert [item.title for item in page.items] == ["Camera bag", "Leica camera", "Camera strap"]


@pytest.mark.postgres
def test_on_postgres_search_ranks_title_matches_first_and_pages_through_ties():
    # given: the word in the title (weight A) outranks it in the description (weight C)
    description_only = ListingFactory(title="Leather strap", description="Fits a vintage camera")
    title_matches = [ListingFactory(title=f"Vintage camera no. {n}", description="") for n in range(5)]
    ListingFactory(title="Tripod", description="Aluminium")

    # when: walking the ranked results two at a time
    seen, cursor = [], None
    while True:
        page = listings_for_channel(
            filters=ChannelFilters(q="camera"), sort="relevance", cursor=cursor, size=2
        )
        seen.extend(page.items)
        if not page.has_next:
            break
        cursor = page.next_cursor

    # then: the title matches come first (ties by newest id), each once, the description match last
    assert [item.pk for item in seen] == [item.pk for item in reversed(title_matches)] + [description_only.pk]
    assert seen[0].rank > seen[-1].rank
    # English stemming: "cameras" finds "camera"; websearch syntax excludes with a minus sign
    assert titles(ChannelFilters(q="cameras")) == {item.title for item in seen}
    assert titles(ChannelFilters(q="camera -strap")) == {item.title for item in title_matches}


@pytest.mark.postgres
def test_on_postgres_search_uses_brand_and_category_names():
    apple = BrandFactory(name="Apple", slug="apple")
    ListingFactory(title="Phone 13", brand=apple)
    ListingFactory(title="Other phone")

    assert titles(ChannelFilters(q="apple")) == {"Phone 13"}


def test_category_tree_is_read_once_then_cached(django_assert_num_queries):
    phones = CategoryFactory(slug="phones", position=1)
    CategoryFactory(slug="android", parent=phones)
    CategoryFactory(slug="bags", position=0)

    with django_assert_num_queries(1):
        category_tree()
    with django_assert_num_queries(0):
        tree = category_tree()
        android = category_by_slug("android")

    assert [category.slug for category in tree.roots] == ["bags", "phones"]
    assert [category.slug for category in tree.ancestors(android)] == ["phones"]
    assert [category.slug for category in tree.children(phones)] == ["android"]


def test_category_by_slug_finds_a_category_created_after_the_tree_was_cached():
    category_tree()
    CategoryFactory(slug="watches")

    assert category_by_slug("watches").slug == "watches"
    with pytest.raises(Listing.category.field.related_model.DoesNotExist):
        category_by_slug("nothing-here")


def test_brand_facets_are_brands_on_sale_in_the_category_and_below(django_assert_num_queries):
    phones = CategoryFactory()
    android = CategoryFactory(parent=phones)
    apple, google, sony, nokia = (
        BrandFactory(name=name, slug=name.lower()) for name in ("Apple", "Google", "Sony", "Nokia")
    )
    ListingFactory(category=phones, brand=apple)
    ListingFactory(category=android, brand=google)
    ListingFactory(brand=sony)
    ListingFactory(category=phones, brand=nokia, status=ListingStatus.SOLD)
    category_tree()

    with django_assert_num_queries(1):
        assert brands_for_category(phones) == [apple, google]
    with django_assert_num_queries(0):
        assert brands_for_category(phones) == [apple, google]
    assert brands_for_category(None) == [apple, google, sony]


def test_detail_hides_drafts_and_withdrawn_listings_from_everyone_but_the_seller():
    seller, stranger = UserFactory(), UserFactory()
    for status in (ListingStatus.DRAFT, ListingStatus.WITHDRAWN):
        listing = ListingFactory(seller=seller, status=status)
        for viewer in (None, stranger):
            with pytest.raises(Listing.DoesNotExist):
                listing_for_detail(listing_id=listing.pk, viewer=viewer)
        assert listing_for_detail(listing_id=listing.pk, viewer=seller) == listing
    for status in (ListingStatus.RESERVED, ListingStatus.SOLD):
        listing = ListingFactory(seller=seller, status=status)
        assert listing_for_detail(listing_id=listing.pk, viewer=None) == listing


def test_detail_loads_ready_photos_seller_count_and_favourite_in_one_query(django_assert_num_queries):
    seller, shopper = UserFactory(), UserFactory()
    listing = ListingFactory(seller=seller)
    ListingFactory(seller=seller)
    ListingFactory(seller=seller, status=ListingStatus.SOLD)
    for position, status in enumerate([PhotoStatus.READY, PhotoStatus.PROCESSING, PhotoStatus.READY]):
        ListingPhoto.objects.create(
            listing=listing, key=f"k{position}", position=position, width=800, height=600, status=status
        )
    Favourite.objects.create(user=shopper, listing=listing)
    category_tree()  # held by the process, as on any page after the first

    with django_assert_num_queries(1):
        found = listing_for_detail(listing_id=listing.pk, viewer=shopper)
        assert [photo.key for photo in found.ready_photos] == ["k0", "k2"]
        assert [(photo.position, photo.width, photo.height) for photo in found.ready_photos] == [
            (0, 800, 600),
            (2, 800, 600),
        ]
        assert found.seller_active_count == 2
        assert found.is_favourite is True
        assert found.seller.public_name == seller.public_name
    assert listing_for_detail(listing_id=listing.pk, viewer=None).is_favourite is False


def test_similar_listings_are_others_on_sale_in_the_same_category():
    category = CategoryFactory()
    listing = ListingFactory(category=category)
    other = ListingFactory(category=category)
    ListingFactory(category=category, status=ListingStatus.SOLD)
    ListingFactory()

    assert similar_listings(listing=listing) == [other]


def test_storefront_shows_active_reserved_and_sold_listings_of_an_active_seller():
    seller = UserFactory(username="mei")
    for status in ListingStatus:
        ListingFactory(seller=seller, status=status, title=str(status))

    found = seller_for_storefront("mei")
    page = listings_for_storefront(seller=found, cursor=None)

    assert found.active_listing_count == 1
    assert {item.title for item in page.items} == {"active", "reserved", "sold"}
    found.is_active = False
    found.save()
    with pytest.raises(found.DoesNotExist):
        seller_for_storefront("mei")


def test_favourite_ids_and_favourites_for_user_see_only_the_users_own():
    shopper, other = UserFactory(), UserFactory()
    saved, not_saved, withdrawn = ListingFactory(), ListingFactory(), ListingFactory()
    Favourite.objects.create(user=shopper, listing=saved)
    Favourite.objects.create(user=shopper, listing=withdrawn)
    Favourite.objects.create(user=other, listing=not_saved)
    Listing.objects.filter(pk=withdrawn.pk).update(status=ListingStatus.WITHDRAWN)

    assert favourite_ids(user=shopper, listing_ids=[saved.pk, not_saved.pk]) == {saved.pk}
    assert favourite_ids(user=None, listing_ids=[saved.pk]) == set()
    page = favourites_for_user(user=shopper, cursor=None)
    assert [favourite.listing for favourite in page.items] == [saved]


def test_home_sections_in_one_query(django_assert_num_queries):
    now = timezone.now()
    plain = [ListingFactory(published_at=now - timedelta(minutes=n)) for n in range(12)]
    inspected = ListingFactory(published_at=now - timedelta(days=3), inspected_at=now)
    authenticated = ListingFactory(published_at=now - timedelta(days=4), authenticated=True)
    ListingFactory(status=ListingStatus.DRAFT, inspected_at=now, authenticated=True)

    with django_assert_num_queries(1):
        sections = home_sections(size=10)

    assert sections["new"] == plain[:10]
    assert sections["inspected"] == [inspected]
    assert sections["authenticated"] == [authenticated]


def test_a_category_is_luxury_through_any_category_above_it():
    luxury = CategoryFactory(slug="luxury-top", is_luxury=True)
    bags = CategoryFactory(slug="luxury-bags", parent=luxury, is_luxury=False)
    phones = CategoryFactory(slug="plain-phones", is_luxury=False)

    assert category_is_luxury(bags)
    assert category_is_luxury(luxury)
    assert not category_is_luxury(phones)


def test_a_storefront_username_with_a_nul_character_is_no_seller():
    UserFactory(username="mei")

    with pytest.raises(User.DoesNotExist):
        seller_for_storefront("mei\x00")


@pytest.mark.postgres
def test_relevance_pages_walk_back_to_the_pages_they_came_from():
    # given: matches of several ranks, some tied
    for n in range(7):
        ListingFactory(title=f"Camera {n}" if n % 3 else f"Camera camera {n}", description="camera" * (n % 2))

    def page(cursor):
        return listings_for_channel(
            filters=ChannelFilters(q="camera"), sort="relevance", cursor=cursor, size=2
        )

    # when: walking forward to the last page, then back with each page's "previous" link
    forward = [page(None)]
    while forward[-1].has_next:
        forward.append(page(forward[-1].next_cursor))
    back = [forward[-1]]
    while back[-1].has_previous:
        back.append(page(back[-1].previous_cursor))

    # then: the same pages in reverse, every match once, by rank
    assert [[c.pk for c in p.items] for p in reversed(back)] == [[c.pk for c in p.items] for p in forward]
    ranks = [(c.rank, c.pk) for p in forward for c in p.items]
    assert len(ranks) == 7 and ranks == sorted(ranks, reverse=True)
    assert not back[-1].has_previous


@pytest.mark.postgres
def test_relevance_ranks_the_newest_matches_and_newest_order_lists_them_all(monkeypatch):
    monkeypatch.setattr(selectors, "RANK_WINDOW", 3)
    now = timezone.now()
    old_best = ListingFactory(title="Camera camera camera", published_at=now - timedelta(days=30))
    recent = [
        ListingFactory(
            title=f"Strap {index}", description="fits a camera", published_at=now - timedelta(hours=index)
        )
        for index in range(4)
    ]

    ranked = listings_for_channel(filters=ChannelFilters(q="camera"), sort="relevance", cursor=None)
    newest = listings_for_channel(filters=ChannelFilters(q="camera"), sort="newest", cursor=None)

    assert {item.pk for item in ranked.items} == {listing.pk for listing in recent[:3]}
    assert ranked.next_cursor is None
    assert [item.pk for item in newest.items] == [listing.pk for listing in recent] + [old_best.pk]


def test_cards_read_by_written_sql_carry_the_values_the_orm_gives():
    # given: a listing and a similar one with every card column set
    category = CategoryFactory()
    shown = ListingFactory(category=category)
    other = ListingFactory(
        category=category,
        price=Decimal("1299.99"),
        reference_price=Decimal("5999.00"),
        inspected_at=timezone.now(),
        authenticated=True,
        brand=BrandFactory(),
    )

    # when: similar items (SQL written in the selector) and the same listing through the ORM
    (card,) = similar_listings(listing=shown)
    expected = Listing.objects.get(pk=other.pk)

    # then: the same Python values, whatever the database's driver returns (SQLite's is text and floats)
    for name in selectors.CARD_COLUMNS:
        assert getattr(card, name) == getattr(expected, name), name
        assert type(getattr(card, name)) is type(getattr(expected, name)), name
    assert card.brand.name == expected.brand.name
