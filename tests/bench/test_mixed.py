"""The pure parts of bench/mixed.py: its figures, how it reads pages and what it sends. The load itself
runs on demand (bench/ is not timed by the tests)."""

import email.parser
import importlib
import io
import random
import sys
from email.message import Message
from http.client import HTTPMessage
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
mixed = importlib.import_module("mixed")


def test_percentile_is_the_nearest_rank():
    values = [float(n) for n in range(100, 0, -1)]  # 100 … 1, unsorted on purpose

    assert mixed.percentile(values, 50) == 50.0
    assert mixed.percentile(values, 99) == 99.0
    assert mixed.percentile(values, 100) == 100.0
    assert mixed.percentile([7.0], 99) == 7.0
    assert mixed.percentile([], 50) == 0.0


def test_percentile_of_a_few_values_rounds_up():
    # p99 of 10 values is the 10th, p50 the 5th: never a value interpolated between two.
    values = [float(n) for n in range(1, 11)]

    assert mixed.percentile(values, 99) == 10.0
    assert mixed.percentile(values, 50) == 5.0


def test_weighted_choice_follows_the_weights():
    rng = random.Random(1)

    picks = [mixed.weighted_choice(rng, {"browse": 80, "buy": 20, "never": 0}) for _n in range(10_000)]

    assert "never" not in picks
    assert 0.77 < picks.count("browse") / len(picks) < 0.83


def test_the_mix_adds_up_to_the_workload_shares():
    groups = {name: sum(mixed.MIX[action] for action in actions) for name, actions, _rows in mixed.GROUPS}

    assert groups == {
        "browse and search": 80,
        "favourites and offers": 10,
        "buy and pay": 5,
        "sell with photos": 5,
    }
    assert {action for _name, actions, _rows in mixed.GROUPS for action in actions} == set(mixed.MIX)


PAGE = """
<ul class="messages"><li class="error">This item has been sold.</li></ul>
<form class="search" action="/search/" method="get"><input name="q" value=""></form>
<form method="post" action="/i18n/setlang/"><input type="hidden" name="csrfmiddlewaretoken" value="t0k">
  <select name="language"><option value="en" selected>English</option><option value="zh-hans">中文</option></select></form>
<form method="post" action="/sell/listings/new/" enctype="multipart/form-data">
  <input type="hidden" name="csrfmiddlewaretoken" value="t0k">
  <input type="file" name="photos" multiple>
  <input type="text" name="title" value="Lamp &amp; shade">
  <select name="category"><option value="">Choose a category</option><option value="4">Phones</option>
    <option value="9">Bags</option></select>
  <select name="brand"><option value="" selected>No brand</option><option value="2">Apple</option></select>
  <textarea name="description">
Hello</textarea>
  <input type="radio" name="grade" value="A"><input type="radio" name="grade" value="B" checked>
  <input type="checkbox" name="save_to_book"><input type="checkbox" name="inspected" value="1" checked>
  <ul class="errorlist"><li>Enter a price.</li></ul>
  <button type="submit" name="go">Put it on sale</button>
</form>
<nav><a class="button" rel="next" href="?cursor=abc&amp;q=x">Next →</a></nav>
"""


def test_a_page_is_read_as_a_browser_would_submit_it():
    page = mixed.parse_page(PAGE)

    form = mixed.form_posting_to(page, "/sell/listings/new/")
    assert form is not None
    assert form.fields == [
        ("csrfmiddlewaretoken", "t0k"),
        ("title", "Lamp & shade"),
        ("category", ""),  # no option selected: the first one
        ("brand", ""),
        ("description", "Hello"),  # the line break after <textarea> is not part of the value
        ("grade", "B"),
        ("inspected", "1"),  # an unchecked box and the buttons send nothing
    ]
    assert form.choices["category"] == ["", "4", "9"]
    assert form.choices["grade"] == ["A", "B"]
    assert page.next_links == ["?cursor=abc&q=x"]
    assert page.messages == ["This item has been sold."]
    assert page.form_errors == ["Enter a price."]
    assert mixed.form_posting_to(page, "/search/") is None  # a GET form


def test_a_submission_replaces_and_drops_fields():
    form = mixed.Form(action="/x/", method="post", fields=[("a", "1"), ("b", "2"), ("c", "3")])

    assert form.submission({"b": "20", "c": None, "d": "4"}) == [("a", "1"), ("b", "20"), ("d", "4")]
    assert form.value("a") == "1"
    assert form.value("z") is None


def test_only_the_sites_sold_or_reserved_answers_are_refusals():
    assert mixed.is_refusal(["This item has been sold."])
    assert mixed.is_refusal(["Someone else is buying this item right now. If they do not pay, …"])
    assert mixed.is_refusal(["Someone is paying for this item right now."])
    assert not mixed.is_refusal(["You already have 3 items waiting for payment."])
    assert not mixed.is_refusal([])


def test_multipart_body_carries_fields_and_files():
    jpeg = b"\xff\xd8 not really \xff\xd9"

    body, content_type = mixed.multipart_body(
        [("title", "台灯"), ("price", "12")], [("photos", "a.jpg", "image/jpeg", jpeg)]
    )

    message = email.parser.BytesParser().parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    parts: list[Message] = message.get_payload()
    assert [part.get_param("name", header="content-disposition") for part in parts] == [
        "title",
        "price",
        "photos",
    ]
    assert parts[0].get_payload(decode=True).decode() == "台灯"
    assert parts[2].get_filename() == "a.jpg"
    assert parts[2].get_payload(decode=True) == jpeg


def _headers(*cookies: str) -> HTTPMessage:
    headers = HTTPMessage()
    for cookie in cookies:
        headers["Set-Cookie"] = cookie
    return headers


def test_cookies_are_kept_replaced_and_deleted():
    jar = mixed.CookieJar()

    jar.update(
        _headers("csrftoken=abc; expires=Thu, 01 Jan 2099 00:00:00 GMT; Path=/", "sessionid=s1; HttpOnly")
    )
    jar.update(_headers("sessionid=s2; HttpOnly; Path=/"))
    jar.update(
        _headers(
            'messages=".eJy:1x:sig"; Path=/', "csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0"
        )
    )

    assert jar.values == {"sessionid": "s2", "messages": '".eJy:1x:sig"'}
    assert jar.header() == 'sessionid=s2; messages=".eJy:1x:sig"'


def test_each_photo_is_a_jpeg_of_its_own():
    rng = random.Random(3)

    first, second = mixed.photo_jpeg(rng), mixed.photo_jpeg(rng)

    assert first != second
    with Image.open(io.BytesIO(first)) as image:
        assert (image.format, image.size) == ("JPEG", (800, 600))


def test_the_totals_count_requests_not_flows():
    stats = {
        "home": mixed.Stat(count=10, latencies=[10.0] * 10),
        "offer": mixed.Stat(count=2, errors=1, latencies=[300.0]),  # a flow: its requests are below
        "offer.form": mixed.Stat(count=2, latencies=[100.0, 100.0]),
        "offer.make": mixed.Stat(count=2, errors=1, latencies=[100.0, 100.0]),
        "buy.confirmed": mixed.Stat(count=1, errors=1),  # a wait: its error counts, its count does not
    }

    lines = mixed.table(stats, elapsed=2.0)

    total = lines[-1].split()
    assert total[:3] == ["total", "(requests)", "14"]
    assert total[3] == "7.0"  # per second
    assert total[-2:] == ["2", "0"]  # errors, refusals
