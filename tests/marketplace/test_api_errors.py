"""The one API exception handler: domain errors answer with their code, message and field; anything
else is not dressed up as the client's mistake."""

import pytest
from rest_framework.exceptions import ValidationError

from marketplace.api import exception_handler
from marketplace.errors import DomainError


class View:
    error_fields = {"listing_id": "listing"}


def test_a_domain_error_answers_its_code_message_and_field_under_the_apis_name():
    error = DomainError("Choose an item on sale.", code="not_on_sale", field="listing_id")
    response = exception_handler(error, {"view": View()})
    assert response.status_code == 400
    assert response.data == {
        "code": "not_on_sale",
        "detail": "Choose an item on sale.",
        "field": "listing",
        "listing": ["Choose an item on sale."],
    }


def test_a_domain_error_without_a_field_answers_code_and_message():
    response = exception_handler(DomainError("No.", code="no"), {"view": object()})
    assert response.data == {"code": "no", "detail": "No."}


@pytest.mark.parametrize("error", [ValueError("invalid literal for int()"), TypeError("unexpected keyword")])
def test_an_error_nobody_expected_is_left_to_become_a_logged_500(error):
    assert exception_handler(error, {"view": object()}) is None


def test_drf_still_answers_its_own_errors():
    response = exception_handler(ValidationError({"amount": ["Required."]}), {"view": object()})
    assert (response.status_code, response.data) == (400, {"amount": ["Required."]})
