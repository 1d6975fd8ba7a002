"""Creators through the API: applying, posting a video with its tracked links, adding a link, the links
with their clicks and orders, the statement of commissions, and a seller's own rate for an item. Only
an approved creator has videos, links and a statement; nobody reaches anyone else's rows; bad input is
a 400 with its code and leaves nothing behind. List endpoints cost the same for many rows as for few.

Clients are signed in with force_authenticate, which reads nothing: the pinned counts are the
endpoints' own."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from feed.models import (
    Commission,
    CommissionStatus,
    Creator,
    CreatorLink,
    CreatorStatus,
    CreatorVideo,
    LinkClick,
    ListingCommissionRate,
)
from listings import videos
from listings.models import ListingSource, ListingStatus, VideoStatus
from listings.photos import new_key, private_storage
from tests.factories import ListingFactory, UserFactory
from tests.orders.helpers import paid_order

pytestmark = pytest.mark.django_db

PITCH = "Film cameras I tried out, and what they are worth today."


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _creator(*, status: str = CreatorStatus.APPROVED, **fields) -> Creator:
    user = fields.pop("user", None) or UserFactory()
    return Creator.objects.create(user=user, handle=f"maker{user.pk}", pitch=PITCH, status=status, **fields)


def _video(creator: Creator, *listings, status: str = VideoStatus.UPLOADED, **fields) -> CreatorVideo:
    """A video as the upload and the video job leave it, with a link to each of `listings`."""
    video = CreatorVideo.objects.create(
        creator=creator,
        key=new_key(),
        size=1000,
        caption="Three cameras under 1,000",
        status=status,
        **fields,
    )
    for listing in listings:
        _link(video, listing)
    return video


def _link(video: CreatorVideo, listing, *, rate: str = "0.05") -> CreatorLink:
    now = timezone.now()
    return CreatorLink.objects.create(
        video=video,
        listing=listing,
        code=new_key()[:10],
        rate=Decimal(rate),
        rate_locked_until=now + timedelta(days=30),
        created_at=now,
    )


def _commission(link: CreatorLink, *, status: str = CommissionStatus.PENDING, refusal: str = "", **fields):
    """A commission as feed.services.commissions leaves it, on an order paid for the link's item."""
    order = paid_order(listing=ListingFactory(title=f"Bought through {link.code}"))
    amount = Decimal("0") if refusal else (link.rate * order.price).quantize(Decimal("0.01"))
    return Commission.objects.create(
        order=order,
        creator=link.video.creator,
        link=link,
        rate=link.rate,
        amount=fields.pop("amount", amount),
        status=CommissionStatus.REFUSED if refusal else status,
        refusal=refusal,
        clicked_at=timezone.now() - timedelta(hours=2),
        **fields,
    )


def _tracked(code: str) -> str:
    with translation.override("en"):
        return f"http://testserver{reverse('feed:creator_link', args=[code])}"


def _upload(data: bytes = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 2000) -> SimpleUploadedFile:
    # The job is not run here: what is sent is stored as sent, whatever it holds.
    return SimpleUploadedFile("clip.mp4", data, content_type="video/mp4")


def _kept_uploads() -> list[Path]:
    return list(Path(private_storage().path("")).rglob("*.upload"))


# --- The application ------------------------------------------------------------------------------


def test_a_user_applies_and_reads_their_application():
    user = UserFactory()
    client = _client(user)
    assert client.get("/api/v1/creator/").status_code == 404  # never applied

    answer = client.post("/api/v1/creator/", {"handle": "@Film_Fan", "pitch": PITCH}, format="json")

    assert answer.status_code == 201
    assert answer.json() | {"applied_at": None} == {
        "handle": "film_fan",
        "pitch": PITCH,
        "status": "applied",
        "status_display": "Waiting for review",
        "reason": "",
        "applied_at": None,
        "decided_at": None,
    }
    assert client.get("/api/v1/creator/").json() == answer.json()
    again = client.post("/api/v1/creator/", {"handle": "film_fan", "pitch": PITCH}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "already_applied"
    assert Creator.objects.filter(user=user).count() == 1


def test_a_refused_applicant_reads_the_reason_and_applies_again():
    creator = _creator(status=CreatorStatus.REFUSED, reason="Post a few videos elsewhere first.")
    client = _client(creator.user)

    profile = client.get("/api/v1/creator/", headers={"accept-language": "en"}).json()
    assert (profile["status"], profile["reason"]) == ("refused", "Post a few videos elsewhere first.")

    answer = client.post("/api/v1/creator/", {"handle": creator.handle, "pitch": PITCH}, format="json")
    assert answer.status_code == 201 and answer.json()["status"] == "applied"
    assert answer.json()["reason"] == ""


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"handle": "x", "pitch": PITCH}, "handle", "handle"),
        ({"handle": "film fan!", "pitch": PITCH}, "handle", "handle"),
        ({"handle": "film_fan", "pitch": "  "}, "pitch", "pitch"),
        ({"handle": "film_fan", "pitch": "x" * 1001}, "pitch", "pitch"),
    ],
)
def test_a_bad_application_is_refused_with_its_field_and_nothing_is_written(body, code, field):
    answer = _client(UserFactory()).post("/api/v1/creator/", body, format="json")

    assert answer.status_code == 400
    assert (answer.json()["code"], answer.json()["field"]) == (code, field)
    assert field in answer.json()
    assert not Creator.objects.exists()


def test_a_handle_someone_has_is_refused():
    taken = _creator()

    answer = _client(UserFactory()).post(
        "/api/v1/creator/", {"handle": taken.handle, "pitch": PITCH}, format="json"
    )

    assert answer.status_code == 400 and answer.json()["code"] == "handle_taken"
    assert Creator.objects.count() == 1


# --- Who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("applicant", ["never", CreatorStatus.APPLIED, CreatorStatus.REFUSED])
def test_only_an_approved_creator_has_videos_links_and_a_statement(applicant):
    user = UserFactory()
    if applicant != "never":
        _creator(user=user, status=applicant)
    listing = ListingFactory()
    someone_elses = _video(_creator())
    client = _client(user)

    answers = [
        client.get("/api/v1/creator/videos/"),
        client.get("/api/v1/creator/links/"),
        client.get("/api/v1/creator/statement/"),
        client.post(
            "/api/v1/creator/videos/",
            {"video": _upload(), "caption": "Mine", "listings": [listing.pk]},
            format="multipart",
        ),
        client.post(
            "/api/v1/creator/links/", {"video": someone_elses.pk, "listing": listing.pk}, format="json"
        ),
    ]

    assert [answer.status_code for answer in answers] == [403] * 5
    assert {answer.json()["code"] for answer in answers} == {"not_a_creator"}
    assert CreatorVideo.objects.count() == 1 and not CreatorLink.objects.exists()
    assert not _kept_uploads()


def test_signed_out_visitors_are_refused():
    client = _client()

    for path in (
        "/api/v1/creator/",
        "/api/v1/creator/videos/",
        "/api/v1/creator/links/",
        "/api/v1/creator/statement/",
    ):
        assert client.get(path).status_code in (401, 403), path
    listing = ListingFactory()
    assert client.put(
        f"/api/v1/my/listings/{listing.pk}/creator-rate/", {"rate": "12"}, format="json"
    ).status_code in (401, 403)
    assert not ListingCommissionRate.objects.exists()


# --- Videos ---------------------------------------------------------------------------------------


def test_a_creator_posts_a_video_with_a_tracked_link_to_each_item(django_capture_on_commit_callbacks):
    creator = _creator()
    leica, rollei = ListingFactory(title="Leica M6"), ListingFactory(title="Rolleiflex 2.8F")
    client = _client(creator.user)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = client.post(
            "/api/v1/creator/videos/",
            {"video": _upload(), "caption": "Two classics", "listings": [leica.pk, rollei.pk]},
            format="multipart",
        )

    assert answer.status_code == 202
    row = answer.json()
    video = CreatorVideo.objects.get()
    assert (row["id"], row["caption"], row["status"], row["progress"]) == (
        video.pk,
        "Two classics",
        "uploaded",
        0,
    )
    assert (row["error"], row["url"], row["poster_url"]) == (None, None, None)  # not ready yet
    assert [(link["listing"], link["title"]) for link in row["links"]] == [
        (leica.pk, "Leica M6"),
        (rollei.pk, "Rolleiflex 2.8F"),
    ]
    links = {link.listing_id: link for link in video.links.all()}
    assert [link["url"] for link in row["links"]] == [
        _tracked(links[leica.pk].code),
        _tracked(links[rollei.pk].code),
    ]
    assert {link.rate for link in links.values()} == {Decimal("0.05")}  # CREATOR_COMMISSION_RATE
    assert private_storage().exists(videos.original_name(video.key))  # kept for the job
    assert len(callbacks) == 1  # the video job, once committed
    assert client.get("/api/v1/creator/videos/").json()["results"] == [row]


@pytest.mark.parametrize(
    ("item", "code"),
    [("sold", "not_on_sale"), ("own", "own_item"), ("missing", "not_on_sale")],
)
def test_a_video_of_an_item_that_cannot_be_linked_is_refused_and_nothing_is_kept(item, code):
    creator = _creator()
    on_sale = ListingFactory()
    other = {
        "sold": lambda: ListingFactory(status=ListingStatus.SOLD).pk,
        "own": lambda: ListingFactory(seller=creator.user).pk,
        "missing": lambda: 2**40,
    }[item]()

    answer = _client(creator.user).post(
        "/api/v1/creator/videos/",
        {"video": _upload(), "caption": "Two classics", "listings": [on_sale.pk, other]},
        format="multipart",
    )

    assert answer.status_code == 400
    assert (answer.json()["code"], answer.json()["field"]) == (code, "listings")
    assert not CreatorVideo.objects.exists() and not CreatorLink.objects.exists()
    assert not _kept_uploads()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"caption": "No file", "listings": [1]}, "video"),
        ({"video": "not a file", "caption": "x", "listings": [1]}, "video"),
        ({"caption": "Bad ids", "listings": ["one"]}, "listings"),
    ],
)
def test_a_malformed_upload_is_a_field_error(body, field):
    creator = _creator()
    if "video" not in body and field != "video":
        body["video"] = _upload()

    answer = _client(creator.user).post("/api/v1/creator/videos/", body, format="multipart")

    assert answer.status_code == 400 and field in answer.json()
    assert not CreatorVideo.objects.exists() and not _kept_uploads()


def test_a_video_without_items_or_caption_is_refused_with_its_code():
    creator = _creator()
    client = _client(creator.user)

    no_items = client.post(
        "/api/v1/creator/videos/", {"video": _upload(), "caption": "Hi"}, format="multipart"
    )
    no_caption = client.post(
        "/api/v1/creator/videos/",
        {"video": _upload(), "caption": "", "listings": [ListingFactory().pk]},
        format="multipart",
    )

    assert (no_items.status_code, no_items.json()["code"], no_items.json()["field"]) == (
        400,
        "listings",
        "listings",
    )
    assert (no_caption.status_code, no_caption.json()["code"]) == (400, "caption")
    assert not CreatorVideo.objects.exists() and not _kept_uploads()


def test_a_video_past_the_size_limit_is_refused_before_it_is_stored(settings):
    settings.LISTING_VIDEO_MAX_BYTES = 50_000
    creator = _creator()

    answer = _client(creator.user).post(
        "/api/v1/creator/videos/",
        {"video": _upload(b"\0" * 80_000), "caption": "Long", "listings": [ListingFactory().pk]},
        format="multipart",
    )

    assert answer.status_code == 413 and answer.json()["code"] == "too_large"
    assert not CreatorVideo.objects.exists() and not _kept_uploads()


def test_a_ready_video_has_its_urls_and_a_failed_one_says_why_in_the_readers_language():
    creator = _creator()
    ready = _video(creator, ListingFactory(), status=VideoStatus.READY, progress=100)
    failed = _video(creator, status=VideoStatus.FAILED, error="not_a_video")
    client = _client(creator.user)

    rows = {row["id"]: row for row in client.get("/api/v1/creator/videos/").json()["results"]}
    chinese = {
        row["id"]: row
        for row in client.get("/api/v1/creator/videos/", headers={"accept-language": "zh-hans"}).json()[
            "results"
        ]
    }

    assert rows[ready.pk]["url"] == f"http://testserver{ready.url}"
    assert rows[ready.pk]["poster_url"] == f"http://testserver{ready.poster_url}"
    assert (rows[failed.pk]["url"], rows[failed.pk]["error_code"]) == (None, "not_a_video")
    assert rows[failed.pk]["error"].startswith("This file is not a video")
    with translation.override("zh-hans"):
        assert chinese[failed.pk]["error"] == failed.error_text != rows[failed.pk]["error"]


def test_a_creator_sees_only_their_own_videos():
    creator = _creator()
    mine = _video(creator)
    _video(_creator(), ListingFactory())

    rows = _client(creator.user).get("/api/v1/creator/videos/").json()["results"]

    assert [row["id"] for row in rows] == [mine.pk]


@pytest.mark.parametrize("rows", [3, 25])
def test_the_videos_cost_three_queries_however_many(rows, django_assert_num_queries):
    creator = _creator()
    for _ in range(rows):
        _video(creator, ListingFactory(), ListingFactory())
    client = _client(creator.user)

    # 1: the creator (approved?); 2: the page of videos; 3: their links with each item's title
    # (prefetched for the whole page).
    with django_assert_num_queries(3):
        answer = client.get("/api/v1/creator/videos/").json()

    assert len(answer["results"]) == min(rows, 20)
    assert all(len(row["links"]) == 2 for row in answer["results"])
    assert (answer["next"] is not None) == (rows > 20)


def test_the_videos_page_on():
    creator = _creator()
    made = [_video(creator) for _ in range(23)]
    client = _client(creator.user)

    first = client.get("/api/v1/creator/videos/").json()
    second = client.get(first["next"]).json()

    assert [row["id"] for row in first["results"] + second["results"]] == [
        video.pk for video in reversed(made)
    ]
    assert second["next"] is None
    assert client.get("/api/v1/creator/videos/?cursor=nonsense").json()["code"] == "invalid_cursor"


# --- Links ----------------------------------------------------------------------------------------


def test_a_creator_adds_a_link_to_one_more_item():
    creator = _creator()
    video = _video(creator, ListingFactory())
    hasselblad = ListingFactory(title="Hasselblad 500C/M")
    client = _client(creator.user)

    answer = client.post(
        "/api/v1/creator/links/", {"video": video.pk, "listing": hasselblad.pk}, format="json"
    )

    assert answer.status_code == 201
    link = CreatorLink.objects.get(video=video, listing=hasselblad)
    assert answer.json() | {"rate_locked_until": None, "created_at": None} == {
        "code": link.code,
        "url": _tracked(link.code),
        "video": video.pk,
        "listing": hasselblad.pk,
        "title": "Hasselblad 500C/M",
        "rate": "5",
        "rate_locked_until": None,
        "created_at": None,
        "clicks": 0,
        "orders": 0,
    }
    again = client.post(
        "/api/v1/creator/links/", {"video": video.pk, "listing": hasselblad.pk}, format="json"
    )
    assert (again.status_code, again.json()["code"], again.json()["field"]) == (
        400,
        "linked_already",
        "listing",
    )


def test_the_tracked_url_opens_the_link_page():
    from django.urls import resolve

    link = _link(_video(_creator()), ListingFactory())

    assert resolve(reverse("feed:creator_link", args=[link.code])).url_name == "creator_link"


@pytest.mark.parametrize("status", [ListingStatus.SOLD, ListingStatus.RESERVED, ListingStatus.WITHDRAWN])
def test_a_link_to_an_item_not_on_sale_is_refused_and_no_link_is_written(status):
    creator = _creator()
    video = _video(creator)
    item = ListingFactory(status=status)

    answer = _client(creator.user).post(
        "/api/v1/creator/links/", {"video": video.pk, "listing": item.pk}, format="json"
    )

    assert answer.status_code == 400
    assert (answer.json()["code"], answer.json()["field"]) == ("not_on_sale", "listing")
    assert "listing" in answer.json()
    assert not CreatorLink.objects.exists()


def test_a_link_on_someone_elses_video_is_a_404_and_no_link_is_written():
    creator = _creator()
    theirs = _video(_creator())

    answer = _client(creator.user).post(
        "/api/v1/creator/links/", {"video": theirs.pk, "listing": ListingFactory().pk}, format="json"
    )

    assert answer.status_code == 404
    assert not CreatorLink.objects.exists()


def test_a_malformed_link_is_a_field_error():
    creator = _creator()

    answer = _client(creator.user).post("/api/v1/creator/links/", {"video": "first"}, format="json")

    assert answer.status_code == 400 and {"video", "listing"} <= set(answer.json())


def test_each_link_counts_its_clicks_and_its_orders():
    creator = _creator()
    video = _video(creator)
    busy, quiet = _link(video, ListingFactory()), _link(video, ListingFactory(), rate="0.125")
    _link(_video(_creator()), ListingFactory())  # someone else's
    for _ in range(3):
        LinkClick.objects.create(link=busy, session_key="visitor")
    _commission(busy)
    _commission(busy, refusal="own_link")

    rows = {row["code"]: row for row in _client(creator.user).get("/api/v1/creator/links/").json()["results"]}

    assert set(rows) == {busy.code, quiet.code}
    assert (rows[busy.code]["clicks"], rows[busy.code]["orders"], rows[busy.code]["rate"]) == (3, 2, "5")
    assert (rows[quiet.code]["clicks"], rows[quiet.code]["orders"], rows[quiet.code]["rate"]) == (
        0,
        0,
        "12.5",
    )


@pytest.mark.parametrize("rows", [3, 25])
def test_the_links_cost_two_queries_however_many(rows, django_assert_num_queries):
    creator = _creator()
    video = _video(creator)
    for _ in range(rows):
        link = _link(video, ListingFactory())
        LinkClick.objects.create(link=link, session_key="visitor")
        LinkClick.objects.create(link=link, session_key="another")
    _commission(link)
    client = _client(creator.user)

    # 1: the creator (approved?); 2: the page of links with each item's title joined, and their clicks
    # and orders counted in subqueries.
    with django_assert_num_queries(2):
        answer = client.get("/api/v1/creator/links/").json()

    assert len(answer["results"]) == min(rows, 20)
    assert {row["clicks"] for row in answer["results"]} == {2}
    assert answer["results"][0]["orders"] == 1  # the newest link


# --- The statement --------------------------------------------------------------------------------


def test_the_statement_totals_and_lists_the_commissions_newest_first():
    creator = _creator()
    video = _video(creator)
    link = _link(video, ListingFactory())
    LinkClick.objects.create(link=link, session_key="visitor")
    LinkClick.objects.create(link=_link(video, ListingFactory()), session_key="visitor")
    now = timezone.now()
    pending = _commission(link, amount=Decimal("64.95"), created_at=now - timedelta(days=3))
    paid = _commission(
        link,
        status=CommissionStatus.PAID,
        amount=Decimal("30.00"),
        created_at=now - timedelta(days=2),
        settled_at=now,
    )
    reversed_ = _commission(
        link, status=CommissionStatus.REVERSED, amount=Decimal("0"), created_at=now - timedelta(days=1)
    )
    refused = _commission(link, refusal="shared_address", created_at=now)
    others = _commission(_link(_video(_creator()), ListingFactory()))
    client = _client(creator.user)

    answer = client.get("/api/v1/creator/statement/", headers={"accept-language": "en"}).json()

    assert answer["totals"] == {"clicks": 2, "orders": 4, "pending": "64.95", "paid": "30.00"}
    assert [row["order"] for row in answer["results"]] == [
        refused.order.number,
        reversed_.order.number,
        paid.order.number,
        pending.order.number,
    ]
    assert others.order.number not in {row["order"] for row in answer["results"]}
    last = answer["results"][-1]
    assert (last["title"], last["status"], last["amount"], last["rate"]) == (
        pending.order.title,
        "pending",
        "64.95",
        "5",
    )
    assert (last["refusal"], last["refusal_text"], last["settled_at"]) == (None, None, None)
    first = answer["results"][0]
    assert (first["status"], first["amount"], first["refusal"]) == ("refused", "0.00", "shared_address")
    assert first["refusal_text"] == "The buyer's delivery address is one of yours."
    chinese = client.get("/api/v1/creator/statement/", headers={"accept-language": "zh-hans"}).json()
    with translation.override("zh-hans"):
        assert chinese["results"][0]["refusal_text"] == refused.refusal_text
    assert answer["next"] is None and answer["previous"] is None


def test_a_new_creators_statement_is_empty():
    answer = _client(_creator().user).get("/api/v1/creator/statement/").json()

    assert answer == {
        "totals": {"clicks": 0, "orders": 0, "pending": "0.00", "paid": "0.00"},
        "next": None,
        "previous": None,
        "results": [],
    }


@pytest.mark.parametrize("rows", [3, 22])
def test_the_statement_costs_two_queries_however_long(rows, django_assert_num_queries):
    creator = _creator()
    link = _link(_video(creator), ListingFactory())
    LinkClick.objects.create(link=link, session_key="visitor")
    for _ in range(rows):
        _commission(link, amount=Decimal("10.00"))
    client = _client(creator.user)

    # 1: the creator (approved?) with the totals as subqueries of the same query; 2: the page of
    # commissions with their order's number and item joined.
    with django_assert_num_queries(2):
        answer = client.get("/api/v1/creator/statement/").json()

    assert len(answer["results"]) == min(rows, 20)
    assert answer["totals"] == {"clicks": 1, "orders": rows, "pending": f"{10 * rows}.00", "paid": "0.00"}
    if rows > 20:
        assert len(client.get(answer["next"]).json()["results"]) == rows - 20


# --- A seller's own rate --------------------------------------------------------------------------


def test_a_seller_offers_creators_more_on_an_item():
    listing = ListingFactory(source=ListingSource.PERSON)
    client = _client(listing.seller)
    url = f"/api/v1/my/listings/{listing.pk}/creator-rate/"

    answer = client.put(url, {"rate": "12.5"}, format="json")

    assert answer.status_code == 200
    assert answer.json() == {"listing": listing.pk, "rate": "12.5", "category_rate": "5"}
    assert ListingCommissionRate.objects.get(listing=listing).rate == Decimal("0.125")
    back = client.put(url, {"rate": "5"}, format="json")  # the category's rate: their own goes
    assert back.json()["rate"] == "5" and not ListingCommissionRate.objects.exists()


@pytest.mark.parametrize(
    ("rate", "code"),
    [
        ("50.01", "rate_range"),
        ("-1", "rate_range"),
        ("80", "rate_range"),
        ("abc", "rate"),
        ("12.345", "rate"),
        ("3", "rate_below_category"),
    ],
)
def test_a_rate_out_of_range_is_refused_and_nothing_changes(rate, code):
    listing = ListingFactory(source=ListingSource.PERSON)
    ListingCommissionRate.objects.create(listing=listing, rate=Decimal("0.08"))

    answer = _client(listing.seller).put(
        f"/api/v1/my/listings/{listing.pk}/creator-rate/", {"rate": rate}, format="json"
    )

    assert answer.status_code == 400
    assert (answer.json()["code"], answer.json()["field"]) == (code, "rate")
    assert ListingCommissionRate.objects.get(listing=listing).rate == Decimal("0.08")


def test_a_rate_on_someone_elses_item_or_reloops_stock_is_a_404():
    stranger = UserFactory()
    theirs = ListingFactory(source=ListingSource.PERSON)
    stock = ListingFactory(source=ListingSource.PLATFORM, seller=stranger)
    client = _client(stranger)

    for listing in (theirs, stock):
        answer = client.put(f"/api/v1/my/listings/{listing.pk}/creator-rate/", {"rate": "12"}, format="json")
        assert answer.status_code == 404
    assert (
        client.put("/api/v1/my/listings/999999/creator-rate/", {"rate": "12"}, format="json").status_code
        == 404
    )
    assert not ListingCommissionRate.objects.exists()


def test_a_missing_rate_is_a_field_error():
    listing = ListingFactory(source=ListingSource.PERSON)

    answer = _client(listing.seller).put(f"/api/v1/my/listings/{listing.pk}/creator-rate/", {}, format="json")

    assert answer.status_code == 400 and "rate" in answer.json()
    assert not ListingCommissionRate.objects.exists()
