"""Consigning through the API and reading the money timeline, as the pages allow."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from consignment.models import Consignment, ConsignmentStatus
from recycling.models import Submission, SubmissionStatus
from tests.consignment.test_agreement import accepted, offered
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _consign_url(submission_id: int) -> str:
    return reverse("consignment_api:submission-offer-consign", args=[submission_id])


def _money_url(submission_id: int) -> str:
    return reverse("consignment_api:submission-money", args=[submission_id])


def test_a_seller_consigns_with_a_floor_and_reads_the_terms_back():
    offer = offered(list_price="1000.00")

    response = _client(offer.submission.seller).post(_consign_url(offer.submission_id), {"floor": "700"})

    assert response.status_code == 200, response.data
    body = response.json()
    consignment = Consignment.objects.get()
    assert consignment.status == ConsignmentStatus.LISTED
    assert consignment.floor_price == Decimal("700.00")
    assert body["status"] == SubmissionStatus.LISTED
    assert body["consignment"]["floor_price"] == "700.00"
    assert body["consignment"]["list_price"] == "1000.00"
    assert body["consignment"]["listing"] == consignment.listing_id
    # If it sells at today's price: 1,000 less the 25% commission.
    assert body["expected_basis"] == "price"
    assert [(line["amount"], line["kind"]) for line in body["expected"]] == [
        ("1000.00", ""),
        ("250.00", "deduction"),
        ("750.00", "total"),
    ]


def test_leaving_the_floor_out_takes_the_proposed_one():
    offer = offered(list_price="1000.00")
    response = _client(offer.submission.seller).post(_consign_url(offer.submission_id), {}, format="json")
    assert response.status_code == 200
    assert Consignment.objects.get().floor_price == offer.floor_default


@pytest.mark.parametrize(
    ("floor", "code"),
    [("1200", "floor_above_list_price"), ("100", "floor_below_minimum")],
)
def test_a_floor_out_of_bounds_is_a_field_error_and_nothing_is_written(floor, code):
    offer = offered(list_price="1000.00")

    response = _client(offer.submission.seller).post(_consign_url(offer.submission_id), {"floor": floor})

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == (code, "floor")
    assert body["floor"] == [body["detail"]]
    assert not Consignment.objects.exists()
    assert Submission.objects.get(pk=offer.submission_id).status == SubmissionStatus.OFFERED


def test_a_floor_that_is_not_an_amount_is_a_field_error():
    offer = offered(list_price="1000.00")
    response = _client(offer.submission.seller).post(_consign_url(offer.submission_id), {"floor": "abc"})
    assert response.status_code == 400
    assert "floor" in response.json()
    assert not Consignment.objects.exists()


def test_consigning_twice_is_a_clear_error():
    consignment = accepted()
    response = _client(consignment.seller).post(_consign_url(consignment.submission_id), {"floor": "700"})
    assert response.status_code == 400
    assert response.json()["code"]
    assert Consignment.objects.count() == 1


def test_someone_elses_submission_is_a_404_to_consign_and_to_read():
    offer = offered()
    stranger = _client(UserFactory())
    assert stranger.post(_consign_url(offer.submission_id), {"floor": "700"}).status_code == 404
    assert stranger.get(_money_url(offer.submission_id)).status_code == 404
    assert not Consignment.objects.exists()


def test_signed_out_clients_are_refused():
    offer = offered()
    assert APIClient().get(_money_url(offer.submission_id)).status_code in {401, 403}


def test_the_money_timeline_reads_in_six_queries(django_assert_num_queries):
    consignment = accepted()
    client = _client(consignment.seller)
    # The money_timeline selector's reads and nothing more for the API: the submission, its events, its
    # offers, the consignment with its listing and order, its price drops, and the ledger transactions
    # (none yet, so their entries are not read).
    with django_assert_num_queries(6):
        response = client.get(_money_url(consignment.submission_id))
    assert response.status_code == 200
    assert response.json()["consignment"]["status"] == ConsignmentStatus.LISTED
