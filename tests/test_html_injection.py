"""User text (titles, descriptions, notes, display names) is shown as text on every page, never as HTML."""

import pytest
from django.core.cache import cache

from inspection.services.reports import report_publish
from tests.factories import ListingFactory, SubmissionFactory, UserFactory
from tests.inspection.test_reports import completed_inspection

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def assert_shown_as_text(response):
    assert response.status_code == 200
    page = response.content.decode()
    assert SCRIPT not in page
    assert ESCAPED in page


@pytest.fixture
def listing():
    seller = UserFactory(username="mallory", display_name=SCRIPT)
    cache.clear()
    return ListingFactory(seller=seller, title=f"Phone {SCRIPT}", description=SCRIPT)


def test_the_listing_page_escapes_the_title_description_and_seller(client, listing):
    assert_shown_as_text(client.get(f"/l/{listing.pk}/"))


def test_the_storefront_escapes_the_display_name_and_titles(client, listing):
    assert_shown_as_text(client.get("/u/mallory/"))


def test_search_escapes_the_query_and_titles(client, listing):
    assert_shown_as_text(client.get("/search/", {"q": f"Phone {SCRIPT}"}))


def test_the_submission_page_escapes_its_title(client):
    submission = SubmissionFactory(title=SCRIPT)
    client.force_login(submission.seller)
    assert_shown_as_text(client.get(f"/sell-with-us/{submission.pk}/"))


def test_the_public_report_escapes_the_title_and_notes(client):
    inspection, _owner, _submission = completed_inspection(title=SCRIPT)
    inspection.results.filter(note__gt="").update(note=SCRIPT)
    report = report_publish(inspection=inspection)
    assert_shown_as_text(client.get(f"/r/{report.code}/"))
