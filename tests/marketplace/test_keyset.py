"""A hand-edited page token is refused as invalid, never a database error, on every paged page."""

import pytest
from rest_framework.test import APIClient

from marketplace.keyset import InvalidCursor, encode_cursor, paginate
from recycling.models import Submission
from tests.factories import SubmissionFactory
from tests.inspection.desk_fixtures import inspector

pytestmark = pytest.mark.django_db

EDITED = [
    ["not a date", "abc"],
    ["9999-99-99", "-1"],
    ["a\x00b", "1"],
    ["2026-01-01T00:00:00Z", "1.5"],
]


@pytest.mark.parametrize("values", EDITED)
def test_paginate_refuses_values_that_do_not_fit_their_fields(values):
    SubmissionFactory()

    with pytest.raises(InvalidCursor):
        paginate(
            Submission.objects.all(), order_by=("-created_at", "-id"), cursor=encode_cursor(values), size=5
        )


def test_a_well_formed_token_still_pages():
    older, newer = SubmissionFactory(), SubmissionFactory()
    first = paginate(Submission.objects.all(), order_by=("-created_at", "-id"), cursor=None, size=1)

    second = paginate(
        Submission.objects.all(), order_by=("-created_at", "-id"), cursor=first.next_cursor, size=1
    )

    assert first.items == [newer] and second.items == [older]


@pytest.mark.parametrize("values", EDITED)
@pytest.mark.parametrize(
    "path", ["/sell-with-us/mine/", "/api/v1/submissions/", "/api/v1/inspections/queue/"]
)
def test_an_edited_token_is_not_a_server_error(path, values):
    client = APIClient(raise_request_exception=False)
    client.force_login(inspector())

    response = client.get(path, {"cursor": encode_cursor(values)})

    assert response.status_code in (200, 400)
