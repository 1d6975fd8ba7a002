"""Submit over HTTP, value in a real Celery worker: the estimate a seller waits for.

The API runs in pytest-django's live server (a real HTTP server in this process); the submission's
pre-valuation task goes through Redis to the worker process (see conftest.py), which reads the
photos from the private media folder it shares with the server and writes the valuation to the same
PostgreSQL test database. The test polls the API as a client would.
"""

import json
import time
import urllib.error
import urllib.request
from decimal import Decimal

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from rest_framework.authtoken.models import Token

from demo import images as demo_images
from recycling.models import Submission, SubmissionPhoto, SubmissionStatus
from tests.factories import BrandFactory, CatalogModelFactory, CategoryFactory, UserFactory
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Issue 3: with the worker up, the estimate is on screen within 2 seconds. A shared CI machine gets
# some slack; the measured time is printed either way.
ESTIMATE_WITHIN_SECONDS = 5.0


class UploadFile:
    """What django.test.client.encode_multipart needs of a file: a name and bytes to read."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self._data = data

    def read(self) -> bytes:
        return self._data


def _call(method: str, url: str, *, token: str, body: bytes | None = None, content_type: str = "") -> tuple:
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Authorization", f"Token {token}")
    request.add_header("Accept", "application/json")
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_submitted_phone_gets_its_estimate_from_the_worker(live_server, worker, capsys, record_property):
    # given: a catalog phone and a seller with an API token
    phones = CategoryFactory(slug="phones", name="Phones")
    iphone = CatalogModelFactory(
        brand=BrandFactory(slug="apple", name="Apple"),
        category=phones,
        name="iPhone 15 Pro 128GB",
        launch_price=Decimal("7999.00"),
        launch_year=2023,
    )
    token = Token.objects.create(user=UserFactory(username="integration-seller")).key
    photos = {
        f"photo_{view}": UploadFile(
            f"{view}.jpg",
            demo_images.product_photo(
                "phone", seed=4242, colour="#2a2a2d", view=index, size=1200, label=iphone.name
            ),
        )
        for index, view in enumerate(("front", "back", "screen_on"))
    }
    form = {
        "category": "phones",
        "catalog_model": str(iphone.pk),
        "attributes": json.dumps(
            {
                "storage": "128 GB",
                "colour": "Natural Titanium",
                "carrier_lock": "unlocked",
                "account_removed": "yes",
            }
        ),
        "condition_answers": json.dumps(
            {
                "usage": "light",
                "screen_cracks": "no",
                "screen_marks": "none",
                "body": "light",
                "battery": "90",
                "works": "all",
                "repairs": "never",
            }
        ),
        **photos,
    }
    body = encode_multipart(BOUNDARY, form)

    # when: the seller submits over HTTP and polls until the estimate is there
    started = time.monotonic()
    status, created = _call(
        "POST",
        f"{live_server.url}/api/v1/submissions/",
        token=token,
        body=body,
        content_type=MULTIPART_CONTENT,
    )
    assert status == 201, created
    assert created["status"] == SubmissionStatus.VALUING
    url = f"{live_server.url}/api/v1/submissions/{created['id']}/"

    def estimated() -> dict | None:
        code, detail = _call("GET", url, token=token)
        assert code == 200, detail
        return detail if detail["status"] == SubmissionStatus.ESTIMATED else None

    detail = wait_for(estimated, timeout=30, what="the worker to value the submission", worker=worker)
    elapsed = time.monotonic() - started

    # then: a cash range for a catalog model, explained, and there within seconds
    record_property("estimate_seconds", round(elapsed, 3))  # in the JUnit report, for trends
    with capsys.disabled():
        print(f"\nestimate on screen {elapsed:.2f} s after the submit (3 photos, 1200 px square)")
    valuation = detail["valuation"]
    assert Decimal(valuation["cash_low"]) > 0
    assert Decimal(valuation["cash_high"]) >= Decimal(valuation["cash_low"])
    assert Decimal(valuation["consign_low"]) > 0
    assert valuation["model_version"]
    assert valuation["reasons"]
    assert all(photo["flags"] == [] for photo in detail["photos"]), detail["photos"]
    assert [event["status"] for event in detail["timeline"]] == ["valuing", "estimated"]
    assert elapsed < ESTIMATE_WITHIN_SECONDS, f"the estimate took {elapsed:.2f} s"
    # The worker read the photos the server stored: each got its perceptual hash there.
    submission = Submission.objects.get(pk=created["id"])
    assert SubmissionPhoto.objects.filter(submission=submission).exclude(phash="").count() == 3
