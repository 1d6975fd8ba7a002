"""The query file of the search relevance benchmark (bench/search_relevance.py) is sound: enough
queries of each kind, every expectation names something the demo catalog has, no query twice.
Whether search meets its targets is the benchmark's to measure, not a test's."""

import json
from collections import Counter
from pathlib import Path

import pytest

from listings.catalog_data import BRANDS, CATALOG_MODELS, CATEGORY_TREE, CategoryData

QUERY_FILE = Path(__file__).resolve().parents[2] / "bench" / "search_queries.json"
KINDS = ("english", "chinese", "alias", "typo", "pinyin")
MIN_QUERIES = 60
MIN_PER_KIND = 8


def _slugs(categories: tuple[CategoryData, ...]) -> set[str]:
    return {slug for category in categories for slug in {category.slug, *_slugs(category.children)}}


CATEGORY_SLUGS = _slugs(CATEGORY_TREE)
BRAND_SLUGS = {brand.slug for brand in BRANDS}
MODEL_NAMES = Counter(model.name for model in CATALOG_MODELS)


@pytest.fixture(scope="module")
def queries() -> list[dict]:
    return json.loads(QUERY_FILE.read_text(encoding="utf-8"))["queries"]


def test_there_are_enough_queries_of_every_kind(queries):
    kinds = Counter(query["kind"] for query in queries)

    assert len(queries) >= MIN_QUERIES
    assert set(kinds) == set(KINDS)
    assert {kind: n for kind, n in kinds.items() if n < MIN_PER_KIND} == {}


def test_every_query_is_words_and_asked_once(queries):
    normalised = [" ".join(query["q"].split()).casefold() for query in queries]

    assert all(query["q"] == query["q"].strip() and query["q"] for query in queries)
    assert [q for q, n in Counter(normalised).items() if n > 1] == []


def test_every_expectation_names_one_thing_the_catalog_has(queries):
    known = {"category": CATEGORY_SLUGS, "brand": BRAND_SLUGS, "model": set(MODEL_NAMES)}

    unknown = [
        query["q"]
        for query in queries
        if len(query["expect"]) != 1
        or not all(value in known.get(name, set()) for name, value in query["expect"].items())
    ]

    assert unknown == []


def test_a_model_is_named_by_a_name_no_other_model_has(queries):
    # The benchmark matches a result's catalog model by name.
    named = {query["expect"]["model"] for query in queries if "model" in query["expect"]}

    assert {name for name in named if MODEL_NAMES[name] > 1} == set()


def test_the_examples_of_issue_13_are_measured(queries):
    asked = {query["q"]: query for query in queries}

    assert asked["苹果手机"]["expect"] == {"category": "phones"}
    assert asked["包"]["expect"] == {"category": "bags"}
    for typo in ("iphnoe", "ipone"):
        assert asked[typo]["kind"] == "typo"
    assert asked["dysen"]["expect"] == {"brand": "dyson"}
    assert asked["rolx"]["expect"] == {"brand": "rolex"}
    assert asked["pingguo"] == {"q": "pingguo", "kind": "pinyin", "expect": {"brand": "apple"}}
