"""Bad input never makes a 500: a table of odd requests against the main pages and API endpoints,
sent as an anonymous visitor, a signed-in seller and an inspector."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from rest_framework.test import APIClient

from accounts.roles import INSPECTORS, OPERATIONS
from inspection.services.workbench import inspection_claim
from tests.factories import InspectionFactory, ListingFactory, SubmissionFactory, UserFactory
from tests.inspection.desk_fixtures import check, queued_inspection

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
LONG = "x" * 10_000
NUL = "a\x00b"
SCRIPT = "<script>alert(1)</script>"

# (method, path, data): {listing}, {submission} and {inspection} are filled in with real ids.
PAGES = [
    ("get", "/", {}),
    ("get", "/search/", {"q": NUL}),
    ("get", "/search/", {"q": LONG}),
    ("get", "/search/", {"q": SCRIPT, "sort": "nonsense"}),
    ("get", "/search/", {"price_min": "-5", "price_max": HUGE}),
    ("get", "/search/", {"price_min": "abc", "price_max": "1e999"}),
    ("get", "/search/", {"price_min": "NaN", "price_max": "Infinity"}),
    ("get", "/search/", {"brand": ["x", "y", NUL], "grade": ["nope", ""], "inspected": "maybe"}),
    ("get", "/search/", {"cursor": "not-a-cursor"}),
    ("get", "/search/", {"cursor": "\x00\xff" * 50}),
    ("get", "/search/", {"cursor": LONG}),
    ("get", "/c/nope/", {"cursor": "!!"}),
    ("get", f"/l/{HUGE}/", {}),
    ("get", "/l/{listing}/", {"cursor": NUL}),
    ("post", f"/l/{HUGE}/favourite/", {"action": "add"}),
    ("post", "/l/{listing}/favourite/", {"action": ["add", "remove"], "next": "//evil.example/"}),
    ("get", "/u/nobody/", {"cursor": "x"}),
    ("get", f"/u/{NUL}/", {}),
    ("get", "/u/" + "x" * 500 + "/", {}),
    ("get", "/favourites/", {"cursor": "garbage"}),
    ("get", "/sell/listings/", {"cursor": "garbage"}),
    ("post", "/sell/listings/new/", {"title": NUL, "price": "-1", "grade": "mint", "category": HUGE}),
    ("post", "/sell/listings/new/", {"title": LONG, "price": HUGE, "category": "abc"}),
    ("post", "/sell/listings/new/", {"price": "1e999", "brand": "-1", "catalog_model": ["1", "2"]}),
    ("post", "/sell/listings/{listing}/edit/", {"price": "NaN", "category": NUL}),
    ("post", f"/sell/listings/{HUGE}/edit/", {}),
    ("post", "/sell/listings/{listing}/photos/", {}),
    ("post", f"/sell/photos/{HUGE}/remove/", {}),
    ("post", f"/sell/listings/{HUGE}/withdraw/", {}),
    ("get", "/sell-with-us/mine/", {"cursor": "garbage"}),
    ("get", "/sell-with-us/new/", {"category": NUL}),
    ("post", "/sell-with-us/new/", {"category": HUGE}),
    ("post", "/sell-with-us/new/", {"category": ["1", "2"]}),
    ("get", "/sell-with-us/new/model/", {"q": NUL}),
    ("get", "/sell-with-us/new/model/search/", {"q": LONG, "brand": HUGE, "category": "x"}),
    ("post", "/sell-with-us/new/model/", {"brand": HUGE, "catalog_model": "abc"}),
    ("post", "/sell-with-us/new/details/", {"storage": NUL}),
    ("post", "/sell-with-us/new/condition/", {"screen": "unknown"}),
    ("post", "/sell-with-us/new/photos/front/", {}),
    ("post", "/sell-with-us/new/photos/nope/", {}),
    ("post", "/sell-with-us/new/submit/", {}),
    ("get", f"/sell-with-us/{HUGE}/", {}),
    ("get", "/sell-with-us/{submission}/", {}),
    ("get", "/sell-with-us/{submission}/live/", {}),
    ("post", f"/sell-with-us/{HUGE}/cancel/", {}),
    ("post", "/sell-with-us/{submission}/new-estimate/", {}),
    ("get", f"/sell-with-us/{HUGE}/photos/front/replace/", {}),
    ("post", "/sell-with-us/{submission}/photos/front/replace/", {"photo": "not a file"}),
    ("post", "/sell-with-us/{submission}/photos/" + "x" * 500 + "/replace/", {"photo": LONG}),
    ("get", f"/sell-with-us/photos/{HUGE}/", {"w": "abc"}),
    ("get", "/sell-with-us/shipping/{submission}/", {}),
    ("post", "/sell-with-us/shipping/{submission}/", {"method": "teleport", "slot": HUGE}),
    ("post", "/sell-with-us/shipping/{submission}/", {"method": "pickup", "slot": "-" + HUGE}),
    ("get", f"/sell-with-us/shipping/{HUGE}/label.pdf", {}),
    ("get", "/staff/receiving/", {"reference": NUL}),
    ("post", "/staff/receiving/", {"reference": LONG}),
    ("get", "/staff/inspection/", {"cursor": "garbage", "category": HUGE}),
    ("post", "/staff/inspection/take-next/", {"category": "abc"}),
    ("post", f"/staff/inspection/{HUGE}/take/", {}),
    ("get", "/staff/inspection/{inspection}/", {}),
    ("post", "/staff/inspection/{inspection}/groups/" + HUGE + "/", {"result": "maybe", "note": NUL}),
    ("post", "/staff/inspection/{claimed}/groups/" + NUL + "/", {"check-{check}-outcome": "pass"}),
    (
        "post",
        "/staff/inspection/{claimed}/groups/{group}/",
        {"check-" + HUGE + "-outcome": "pass", "action": NUL},
    ),
    ("post", "/staff/inspection/{claimed}/groups/{group}/", {"check-x-outcome": ["pass", "defect"]}),
    ("post", "/staff/inspection/{inspection}/complete/", {"grade": "mint"}),
    ("post", "/staff/inspection/{inspection}/release/", {}),
    ("get", "/staff/inspection/{claimed}/", {"cursor": NUL}),
    (
        "post",
        "/staff/inspection/{claimed}/groups/{group}/",
        {"check-{check}-outcome": "maybe", "check-{check}-measured_value": "1e999"},
    ),
    (
        "post",
        "/staff/inspection/{claimed}/groups/{group}/",
        {"check-{check}-outcome": "pass", "check-{check}-measured_value": HUGE},
    ),
    (
        "post",
        "/staff/inspection/{claimed}/groups/{group}/",
        {"check-{check}-outcome": "defect", "check-{check}-measured_value": "NaN", "check-{check}-note": NUL},
    ),
    ("post", "/staff/inspection/{claimed}/groups/{group}/", {"check-{check}-photo": "not a file"}),
    ("post", "/staff/inspection/{claimed}/complete/", {"grade": "mint", "override_reason": LONG}),
    ("post", "/staff/inspection/{claimed}/complete/", {"grade": ["a", "b"], "note": NUL}),
    ("get", "/staff/inspection/authentication/", {"cursor": NUL}),
    ("post", f"/staff/inspection/authentication/{HUGE}/verdict/", {"verdict": "nope"}),
    ("get", "/staff/inspection/escalations/", {"cursor": "x"}),
    ("post", f"/staff/inspection/escalations/{HUGE}/resolve/", {"verdict": NUL}),
    ("get", "/r/ZZZZZZ/", {}),
    ("get", "/r/zzzzzzzz.pdf", {}),
    ("get", "/accounts/login/", {"next": NUL}),
    ("post", "/accounts/login/", {"username": NUL, "password": LONG}),
    ("post", "/accounts/signup/", {"username": NUL, "email": "x", "password1": "a", "password2": "b"}),
    ("post", "/accounts/signup/", {"username": LONG, "email": LONG, "display_name": NUL}),
    ("post", "/i18n/setlang/", {"language": NUL, "next": LONG}),
]

API = [
    ("get", "/api/v1/listings/", {"cursor": "garbage"}, None),
    ("get", "/api/v1/listings/", {"price_min": "-1", "price_max": HUGE, "grade": "mint"}, None),
    ("get", "/api/v1/listings/", {"q": NUL, "brand": HUGE, "category": "abc", "sort": "x"}, None),
    ("get", "/api/v1/listings/", {"page_size": HUGE, "limit": "-1"}, None),
    ("get", f"/api/v1/listings/{HUGE}/", {}, None),
    ("get", "/api/v1/brands/", {"category": NUL}, None),
    ("get", "/api/v1/my/listings/", {"cursor": "\x00"}, None),
    ("post", "/api/v1/my/listings/", {"title": NUL, "price": "-1"}, "json"),
    ("post", "/api/v1/my/listings/", {"title": ["a"], "price": {"x": 1}, "category": [1]}, "json"),
    ("post", "/api/v1/my/listings/", {"title": "t", "price": "1e999", "category": HUGE}, "json"),
    ("post", "/api/v1/my/listings/", {"title": "t", "price": "NaN", "grade": "mint"}, "json"),
    ("post", "/api/v1/my/listings/", "not json at all", "text"),
    ("post", "/api/v1/my/listings/", "{broken", "json-raw"),
    ("post", "/api/v1/my/listings/", {}, "multipart"),
    ("patch", "/api/v1/my/listings/{listing}/", {"price": "-0.001", "title": LONG}, "json"),
    ("patch", "/api/v1/my/listings/{listing}/", ["a", "list"], "json"),
    ("patch", f"/api/v1/my/listings/{HUGE}/", {}, "json"),
    ("post", "/api/v1/my/listings/{listing}/withdraw/", {}, "json"),
    ("post", "/api/v1/my/listings/{listing}/photos/", {}, "multipart"),
    ("post", "/api/v1/my/listings/{listing}/photos/", {"photos": "not a file"}, "multipart"),
    ("delete", f"/api/v1/my/listings/{{listing}}/photos/{HUGE}/", {}, None),
    ("post", "/api/v1/auth/token/", {"username": NUL, "password": ["a"]}, "json"),
    ("get", "/api/v1/shipping/pickup-slots/", {"date": "31/12/2026"}, None),
    ("get", "/api/v1/submissions/", {"cursor": "garbage", "status": "nope"}, None),
    ("post", "/api/v1/submissions/", {"category": HUGE, "attributes": "x", "condition_answers": [1]}, "json"),
    ("post", "/api/v1/submissions/", {"category": "abc", "title": NUL, "declared_grade": "x"}, "json"),
    ("post", "/api/v1/submissions/", {"attributes": {"storage": {"deep": [NUL]}}}, "json"),
    ("post", "/api/v1/submissions/", {}, "multipart"),
    ("get", f"/api/v1/submissions/{HUGE}/", {}, None),
    (
        "post",
        "/api/v1/submissions/{submission}/shipping/",
        {"method": "x", "pickup_start": "yesterday"},
        "json",
    ),
    (
        "post",
        "/api/v1/submissions/{submission}/shipping/",
        {"method": "pickup", "pickup_start": HUGE},
        "json",
    ),
    ("post", "/api/v1/submissions/{submission}/cancel/", ["x"], "json"),
    ("get", "/api/v1/inspections/queue/", {"cursor": "garbage", "category": HUGE}, None),
    ("post", "/api/v1/inspections/claim/", {"category": NUL}, "json"),
    ("get", f"/api/v1/inspections/{HUGE}/", {}, None),
    ("post", "/api/v1/inspections/{inspection}/claim/", [], "json"),
    ("post", "/api/v1/inspections/{inspection}/checks/", {"checks": "nope"}, "json"),
    ("post", "/api/v1/inspections/{inspection}/checks/", [{"check": HUGE, "result": NUL}], "json"),
    ("post", "/api/v1/inspections/{inspection}/complete/", {"grade": "mint", "note": LONG}, "json"),
    ("post", "/api/v1/inspections/{inspection}/verdicts/", {"verdict": ["a"], "note": NUL}, "json"),
    ("get", "/api/v1/inspections/{claimed}/", {}, None),
    (
        "post",
        "/api/v1/inspections/{claimed}/checks/",
        {"check": "battery-health", "measured_value": "1e999"},
        "json",
    ),
    (
        "post",
        "/api/v1/inspections/{claimed}/checks/",
        {"check": "battery-health", "measured_value": "NaN"},
        "json",
    ),
    (
        "post",
        "/api/v1/inspections/{claimed}/checks/",
        {"check": "battery-health", "measured_value": HUGE},
        "json",
    ),
    ("post", "/api/v1/inspections/{claimed}/checks/", {"check": NUL, "outcome": "pass"}, "json"),
    ("post", "/api/v1/inspections/{claimed}/checks/", {"check": ["x"], "outcome": {"a": 1}}, "json"),
    (
        "post",
        "/api/v1/inspections/{claimed}/checks/",
        {"check": "back-glass", "outcome": "defect", "note": NUL},
        "json",
    ),
    ("post", "/api/v1/inspections/{claimed}/complete/", {"grade": "mint", "override_reason": NUL}, "json"),
    ("post", "/api/v1/inspections/{claimed}/complete/", ["x"], "json"),
    ("post", "/api/v1/inspections/{claimed}/verdicts/", {"verdict": "genuine", "note": NUL}, "json"),
]


@pytest.fixture
def objects():
    seller = UserFactory(username="bad-input-seller")
    inspector = UserFactory(username="bad-input-inspector")
    for group in (INSPECTORS, OPERATIONS):
        inspector.groups.add(Group.objects.get_or_create(name=group)[0])
    claimed = queued_inspection()
    inspection_claim(inspection_id=claimed.pk, inspector=inspector)
    return {
        "seller": seller,
        "inspector": inspector,
        "ids": {
            "listing": ListingFactory(seller=seller).pk,
            "submission": SubmissionFactory(seller=seller).pk,
            "inspection": InspectionFactory().pk,
            "claimed": claimed.pk,
            "check": check(claimed, "battery-health").pk,
            "group": check(claimed, "battery-health").group,
        },
    }


def _who(objects, who):
    return None if who == "anonymous" else objects[who]


@pytest.mark.parametrize("who", ["anonymous", "seller", "inspector"])
@pytest.mark.parametrize(("method", "path", "data"), PAGES)
def test_pages_never_answer_bad_input_with_a_500(objects, who, method, path, data):
    client = Client(raise_request_exception=False)
    user = _who(objects, who)
    if user is not None:
        client.force_login(user)
    ids = objects["ids"]
    data = {key.format(**ids): value for key, value in data.items()}
    response = getattr(client, method)(path.format(**ids), data)
    assert response.status_code < 500


@pytest.mark.parametrize("who", ["anonymous", "seller", "inspector"])
@pytest.mark.parametrize(("method", "path", "data", "kind"), API)
def test_api_never_answers_bad_input_with_a_500(objects, who, method, path, data, kind):
    client = APIClient(raise_request_exception=False)
    user = _who(objects, who)
    if user is not None:
        client.force_authenticate(user)
    url = path.format(**objects["ids"])
    send = getattr(client, method)
    if kind == "json":
        response = send(url, data, format="json")
    elif kind == "json-raw":
        response = send(url, data, content_type="application/json")
    elif kind == "text":
        response = send(url, data, content_type="text/plain")
    elif kind == "multipart":
        response = send(url, data, format="multipart")
    else:
        response = send(url, data)
    assert response.status_code < 500
