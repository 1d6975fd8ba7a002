"""Search that understands its shoppers: Chinese cut into words, aliases and pinyin naming categories,
brands and models, typos corrected with a "did you mean"; and the relevance benchmark's queries on
the demo data, as a test of the targets."""

import importlib.util
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from listings import search
from listings.models import ListingStatus, SearchTerm, SearchTermTrigram
from listings.selectors import ChannelFilters, search_correction
from listings.services import search_terms_refresh
from tests.factories import BrandFactory, CategoryFactory, ListingFactory

ROOT = Path(__file__).resolve().parents[2]


# --- Understanding a query (no database) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("苹果手机", ["苹果手机"]),  # one phrase the vocabulary knows
        ("香奈儿包", ["香奈儿", "包"]),
        ("Hermès  BAG!", ["hermes", "bag"]),
        ("Arc\u2019teryx jacket", ["arcteryx", "jacket"]),  # a typographic apostrophe
    ],
)
def test_a_query_is_cut_into_words_in_either_language(query, words):
    assert [named.word for named in search.plan(query).named] + list(search.plan(query).text_words) == words


def test_words_name_categories_brands_and_models_in_english_chinese_and_pinyin():
    def meaning(query: str) -> search.Meaning:
        (named,) = search.plan(query).named
        return named.meaning

    assert (
        meaning("手机").categories
        == meaning("shouji").categories
        == meaning("mobile phone").categories
        == {"phones"}
    )
    assert meaning("苹果").brands == meaning("pingguo").brands == meaning("Apple").brands == {"apple"}
    assert meaning("包").categories == {"bags"}
    assert meaning("劳力士").brands == meaning("laolishi").brands == {"rolex"}
    assert meaning("黑水鬼").models == {"Submariner Date 126610LN"}
    assert search.plan("13").named == ()  # a model number is text


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("iphnoe", "iphone"),
        ("ipone", "iphone"),
        ("dysen", "dyson"),
        ("rolx", "rolex"),
        ("nintendo swich", "nintendo switch"),
        ("ipad mni", "ipad mini"),
    ],
)
def test_typos_are_corrected_to_the_nearest_known_word(typed, meant):
    assert search.correct(typed) == meant


@pytest.mark.parametrize("query", ["iphone", "zzzzqqq", "red", "苹果手机", "lamp"])
def test_known_words_and_words_like_nothing_are_left_alone(query):
    assert search.correct(query) == ""


def test_the_similarity_is_pg_trgm_s():
    assert search.similarity("dyson", "dyson") == 1.0
    # What PostgreSQL's similarity() answers for the same pairs: 0.33333334, 0.27272728, 0.375.
    assert search.similarity("dysen", "dyson") == pytest.approx(3 / 9)
    assert search.similarity("iphnoe", "iphone") == pytest.approx(3 / 11)
    assert search.similarity("rolx", "rolex") == pytest.approx(3 / 8)
    assert search.edit_distance("iphnoe", "iphone") == 1  # two letters swapped


# --- In the channel ---------------------------------------------------------------------------------


@pytest.fixture
def shelves(db):
    """Bags, phones and a camera whose description mentions its packaging (包装), in categories and
    brands named as the catalog names them."""
    bags = CategoryFactory(slug="bags", name="Bags", name_zh="箱包")
    phones = CategoryFactory(slug="phones", name="Phones", name_zh="手机")
    cameras = CategoryFactory(slug="cameras", name="Cameras", name_zh="相机")
    apple = BrandFactory(slug="apple", name="Apple", name_zh="苹果")
    chanel = BrandFactory(slug="chanel", name="Chanel", name_zh="香奈儿")
    return {
        "bag": ListingFactory(title="Chanel Classic Flap, black caviar", category=bags, brand=chanel),
        "phone": ListingFactory(title="iPhone 13 128GB, blue", category=phones, brand=apple),
        "camera": ListingFactory(
            title="Fujifilm X100V",
            category=cameras,
            description="原包装齐全，配件未拆封。",  # noqa: RUF001 (Chinese punctuation)
        ),
    }


def _titles(client, **query) -> list[str]:
    response = client.get("/api/v1/listings/", query)
    assert response.status_code == 200
    return [row["title"] for row in response.json()["results"]]


def test_bao_ranks_bags_before_an_item_that_mentions_its_packaging(client, shelves):
    titles = _titles(client, q="包")

    assert titles[0] == shelves["bag"].title
    # 包装 (packaging) is a word of its own: the camera's description does not say 包.
    assert shelves["camera"].title not in titles


def test_chinese_text_is_matched_by_the_words_it_was_cut_into(client, shelves):
    handbag = ListingFactory(title="香奈儿经典手提包", category=CategoryFactory(slug="totes"))

    assert _titles(client, q="包装") == [shelves["camera"].title]
    assert _titles(client, q="拆封") == [shelves["camera"].title]
    # jieba's search mode keeps the words inside a longer one: 手提包 is also 手提 and 提包.
    assert handbag.title in _titles(client, q="手提包")  # with the bags: 手提包 names the category
    assert _titles(client, q="提包") == [handbag.title]
    # A run of characters that is not a word is not a match: 装齐 straddles 包装 and 齐全.
    assert _titles(client, q="装齐") == []


def test_a_listing_whose_text_changes_is_cut_again(shelves):
    camera = shelves["camera"]
    assert " 包装 " in camera.search_words

    camera.description = "镜头完好"
    camera.save(update_fields=["description"])

    camera.refresh_from_db()
    assert " 镜头 " in camera.search_words
    assert "包装" not in camera.search_words


@pytest.mark.parametrize("query", ["苹果手机", "pingguo shouji", "iphone", "apple phone"])
def test_apple_phones_are_found_however_they_are_asked_for(client, shelves, query):
    assert _titles(client, q=query)[0] == shelves["phone"].title


def test_a_mistyped_query_is_corrected_and_says_so(client, shelves):
    response = client.get("/api/v1/listings/", {"q": "iphnoe"})

    body = response.json()
    assert body["corrected_query"] == "iphone"
    assert [row["title"] for row in body["results"]] == [shelves["phone"].title]
    assert body["next"] is None
    assert client.get("/api/v1/listings/", {"q": "iphone"}).json()["corrected_query"] is None


def test_the_search_page_says_did_you_mean_and_shows_what_it_finds(client, shelves):
    page = client.get(reverse("listings:search"), {"q": "iphnoe"}).content.decode()

    assert "No results for “iphnoe”." in page
    assert 'Did you mean <a href="?q=iphone">iphone</a>?' in page
    assert shelves["phone"].title in page


def test_a_query_that_finds_little_is_offered_the_correction(client, shelves):
    # "blue" is in the phone's title, "iphnoe" nowhere: one result, and a word that looks mistyped
    ListingFactory(title="iphnoe case, blue")

    body = client.get("/api/v1/listings/", {"q": "iphnoe"}).json()
    page = client.get(reverse("listings:search"), {"q": "iphnoe"}).content.decode()

    assert [row["title"] for row in body["results"]] == ["iphnoe case, blue"]  # its own results
    assert (body["corrected_query"], body["suggested_query"]) == (None, "iphone")
    assert 'Few results. Did you mean <a href="?q=iphone">iphone</a>?' in page


def test_a_typo_of_a_frequent_title_word_is_corrected_once_the_job_has_learnt_it(client, db):
    # given three turntables on sale, and one sold: "turntable" names no category, brand or model
    players = [ListingFactory(title=f"Vintage turntable no. {number}") for number in range(3)]
    ListingFactory(title="Turntable, sold", status=ListingStatus.SOLD)
    ListingFactory(title="Gramophone needle")  # a word only one listing uses
    assert client.get("/api/v1/listings/", {"q": "turntabel"}).json()["corrected_query"] is None

    # when the job learns the words of titles on sale
    learnt = search_terms_refresh()

    # then the mistyped word is corrected by pg_trgm (PostgreSQL) or the trigram table (SQLite)
    body = client.get("/api/v1/listings/", {"q": "turntabel"}).json()
    assert body["corrected_query"] == "turntable"
    assert sorted(row["title"] for row in body["results"]) == sorted(player.title for player in players)
    words = dict(SearchTerm.objects.values_list("word", "listings"))
    assert words["turntable"] == 3  # the sold one does not count
    assert "gramophone" not in words
    assert learnt == len(words)
    # running it again changes nothing
    assert search_terms_refresh() == learnt
    assert dict(SearchTerm.objects.values_list("word", "listings")) == words
    if connection.vendor != "postgresql":
        assert SearchTermTrigram.objects.filter(term__word="turntable").count() == len(
            search.trigrams("turntable")
        )


def test_the_correction_costs_one_query_at_most(client, shelves, django_assert_max_num_queries):
    search_terms_refresh(min_listings=1)
    filters = ChannelFilters(q="iphnoe bleu")

    with django_assert_max_num_queries(1):
        assert search_correction(filters) == "iphone blue"
    with django_assert_max_num_queries(0):
        assert search_correction(ChannelFilters(q="iphone")) == ""


def test_bad_queries_get_an_answer_never_an_error(client, shelves):
    for query in ["x" * 5000, "\x00\x01", "!!!???", "-", '"', "包" * 300]:
        response = client.get("/api/v1/listings/", {"q": query})
        assert response.status_code in (200, 400), query


# --- The relevance benchmark's targets, on the demo data --------------------------------------------


def _bench():
    spec = importlib.util.spec_from_file_location("search_relevance", ROOT / "bench" / "search_relevance.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["search_relevance"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_the_benchmark_queries_meet_their_targets_on_the_demo_data():
    # given the demo data (a small seed: queries with nothing on sale are left out, as the bench does)
    call_command("seed_demo", listings=120, jobs=0, photo_size=240, stdout=open("/dev/null", "w"))  # noqa: SIM115
    bench = _bench()
    catalog = bench.Catalog.load()
    outcomes = [
        bench.Outcome(query=query, on_sale=catalog.count_on_sale(query))
        for query in bench.load_queries(bench.DEFAULT_QUERIES)
    ]
    outcomes = [outcome for outcome in outcomes if outcome.on_sale]
    assert len(outcomes) >= 40

    # when
    bench.run(outcomes, bench.in_process_client(), catalog)

    # then: precision@10 at least 0.9, and no query with matching items on sale finds nothing
    figures = bench.Figures.of(outcomes)
    worst = sorted(outcomes, key=lambda outcome: outcome.precision)[:5]
    assert figures.precision >= 0.9, [(o.query.q, o.precision) for o in worst]
    assert figures.zero == 0, [o.query.q for o in outcomes if o.zero]
