"""The seller's consignment pages: the agreement to confirm (and its errors), and the choice for an
unsold item. Someone else's submission is a 404; nothing is written on bad input."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from consignment.models import Consignment, ConsignmentStatus
from consignment.services.lifecycle import consignment_terms_end
from marketplace.templatetags.money import money
from recycling.models import Offer, OfferKind, Submission, SubmissionStatus
from shipping.models import Shipment, ShipmentPurpose
from tests.consignment.test_agreement import accepted, offered
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _accept_url(submission_id: int) -> str:
    return f"/sell-with-us/consignment/{submission_id}/accept/"


def _unsold_url(submission_id: int) -> str:
    return f"/sell-with-us/consignment/{submission_id}/unsold/"


def _signed_in(client, user):
    client.force_login(user)
    return client


# --- The agreement -----------------------------------------------------------------------------------


def test_the_agreement_shows_the_terms_with_dates_and_prices(client):
    offer = offered(list_price="1000.00")
    _signed_in(client, offer.submission.seller)

    response = client.get(_accept_url(offer.submission_id))

    assert response.status_code == 200
    html = response.content.decode()
    day_30 = (timezone.localtime() + timedelta(days=30)).date()
    for text in (
        "¥1,000.00",  # list price
        "25% of the sale price (¥250.00 at the list price)",
        "¥750.00",  # expected payout at the list price
        "¥900.00",  # day 30
        "¥800.00",  # day 60
        "Day 30",
        str(day_30.day),
        "90 days",
        'value="600.00"',  # the proposed floor
        "¥600.00 up to the list price",
    ):
        assert text in html, text


def test_accepting_on_the_page_lists_the_item_and_shows_the_money_timeline(client):
    offer = offered(list_price="1000.00")
    _signed_in(client, offer.submission.seller)

    response = client.post(_accept_url(offer.submission_id), {"floor": "700"}, follow=True)

    assert response.redirect_chain[-1][0] == f"/sell-with-us/consignment/{offer.submission_id}/money/"
    assert Consignment.objects.get().floor_price == Decimal("700.00")
    assert "Agreed: your item is on sale." in response.content.decode()


@pytest.mark.parametrize(
    ("floor", "message"),
    [
        ("1200", "The floor cannot be above the list price of ¥1,000.00."),
        ("100", "The floor cannot be below ¥600.00."),
        ("abc", "Enter the floor as an amount"),
        ("700.123", "at most two decimal places"),
        ("7" * 30, "Ensure this value has at most 20 characters"),
    ],
)
def test_a_bad_floor_is_shown_next_to_the_field_and_nothing_is_written(client, floor, message):
    offer = offered(list_price="1000.00")
    _signed_in(client, offer.submission.seller)

    response = client.post(_accept_url(offer.submission_id), {"floor": floor})

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'class="od-errors"' in html
    assert not Consignment.objects.exists()
    assert Submission.objects.get(pk=offer.submission_id).status == SubmissionStatus.OFFERED


def test_an_expired_offer_says_so_and_offers_no_button(client):
    offer = offered(valid_for=timedelta(seconds=-1))
    _signed_in(client, offer.submission.seller)

    page = client.get(_accept_url(offer.submission_id)).content.decode()
    response = client.post(_accept_url(offer.submission_id), {"floor": ""})

    assert "This offer expired on" in page
    assert "Accept and list my item" not in page
    assert response.status_code == 400
    assert "This offer expired on" in response.content.decode()
    assert not Consignment.objects.exists()


def test_accepting_twice_on_the_page_is_a_clear_error(client):
    offer = offered()
    _signed_in(client, offer.submission.seller)
    client.post(_accept_url(offer.submission_id), {"floor": ""})

    response = client.post(_accept_url(offer.submission_id), {"floor": "700"})

    assert response.status_code == 400
    assert "You have already accepted this consignment." in response.content.decode()
    assert Consignment.objects.count() == 1
    # and the page itself now leads to the money timeline
    assert client.get(_accept_url(offer.submission_id)).status_code == 302


def test_someone_elses_agreement_is_a_404(client):
    offer = offered()
    _signed_in(client, UserFactory())

    assert client.get(_accept_url(offer.submission_id)).status_code == 404
    assert client.post(_accept_url(offer.submission_id), {"floor": ""}).status_code == 404
    assert not Consignment.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    offer = offered()

    response = client.get(_accept_url(offer.submission_id))

    assert response.status_code == 302
    assert "/login" in response["Location"] or "/accounts/" in response["Location"]


def test_the_agreement_in_chinese(client):
    offer = offered(list_price="1000.00")
    _signed_in(client, offer.submission.seller)

    response = client.get("/zh-hans" + _accept_url(offer.submission_id))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert f'action="/zh-hans{_accept_url(offer.submission_id)}"' in html
    with translation.override("zh-hans"):
        assert money(Decimal("1000.00")) in html


# --- An unsold item -----------------------------------------------------------------------------------


def _unsold(list_price: str = "1000.00") -> Consignment:
    consignment = accepted(list_price=list_price)
    consignment_terms_end(now=consignment.term_ends_at + timedelta(minutes=1))
    return Consignment.objects.get(pk=consignment.pk)


def test_the_unsold_page_offers_the_free_return_and_the_buyout_with_its_amount(client):
    consignment = _unsold()
    buyout = Offer.objects.get(kind=OfferKind.BUYOUT)
    _signed_in(client, consignment.seller)

    html = client.get(_unsold_url(consignment.submission_id)).content.decode()

    assert "Send it back to me, free" in html
    assert "Sell it to Reloop for ¥" in html
    assert f"{buyout.cash_amount:,.2f}" in html


def test_choosing_the_free_return_books_a_label(client):
    consignment = _unsold()
    _signed_in(client, consignment.seller)

    response = client.post(_unsold_url(consignment.submission_id), {"choice": "return"}, follow=True)

    assert response.status_code == 200
    assert "We are sending your item back to you, free of charge." in response.content.decode()
    assert Consignment.objects.get().status == ConsignmentStatus.ENDED
    code = Submission.objects.get(pk=consignment.submission_id).code
    assert (
        Shipment.objects.filter(reference=code, purpose=ShipmentPurpose.SELLER_RETURN)
        .exclude(tracking_number="")
        .exists()
    )


def test_choosing_the_buyout_sells_it_to_reloop(client):
    consignment = _unsold()
    _signed_in(client, consignment.seller)

    client.post(_unsold_url(consignment.submission_id), {"choice": "buyout"})

    assert Consignment.objects.get().status == ConsignmentStatus.ENDED
    assert Submission.objects.get().status == SubmissionStatus.RECYCLE_ACCEPTED


def test_the_offer_pages_buyout_button_ends_the_consignment_as_it_sells_to_reloop(client):
    consignment = _unsold()
    _signed_in(client, consignment.seller)
    offer_page = client.get(reverse("recycling:offer", args=[consignment.submission_id])).content.decode()
    assert f'action="{_unsold_url(consignment.submission_id)}"' in offer_page
    assert 'name="choice" value="buyout"' in offer_page

    client.post(_unsold_url(consignment.submission_id), {"choice": "buyout"})

    assert Consignment.objects.get().status == ConsignmentStatus.ENDED
    assert Submission.objects.get().status == SubmissionStatus.RECYCLE_ACCEPTED


def test_an_expired_buyout_is_not_offered_and_cannot_be_chosen(client):
    consignment = _unsold()
    Offer.objects.filter(kind=OfferKind.BUYOUT).update(valid_until=timezone.now() - timedelta(seconds=1))
    _signed_in(client, consignment.seller)

    html = client.get(_unsold_url(consignment.submission_id)).content.decode()
    response = client.post(_unsold_url(consignment.submission_id), {"choice": "buyout"})

    assert "Sell it to Reloop" not in html
    assert response.status_code == 400
    assert Consignment.objects.get().status == ConsignmentStatus.UNSOLD


def test_a_carrier_that_is_down_is_a_clear_message_and_the_choice_stays_open(client, settings):
    consignment = _unsold()
    settings.CARRIER_SANDBOX_FAIL = True
    _signed_in(client, consignment.seller)

    response = client.post(_unsold_url(consignment.submission_id), {"choice": "return"})

    assert response.status_code == 400
    assert "The carrier is not answering just now." in response.content.decode()
    assert Consignment.objects.get().status == ConsignmentStatus.UNSOLD


def test_a_bad_choice_is_a_form_error(client):
    consignment = _unsold()
    _signed_in(client, consignment.seller)

    response = client.post(_unsold_url(consignment.submission_id), {"choice": "burn-it"})

    assert response.status_code == 400
    assert Consignment.objects.get().status == ConsignmentStatus.UNSOLD


def test_someone_elses_unsold_item_is_a_404(client):
    consignment = _unsold()
    _signed_in(client, UserFactory())

    assert client.get(_unsold_url(consignment.submission_id)).status_code == 404
    assert client.post(_unsold_url(consignment.submission_id), {"choice": "return"}).status_code == 404
    assert Consignment.objects.get().status == ConsignmentStatus.UNSOLD


def test_a_listed_item_has_no_choice_to_make(client):
    consignment = accepted()
    _signed_in(client, consignment.seller)

    response = client.get(_unsold_url(consignment.submission_id))

    assert response.status_code == 302
    assert response["Location"].endswith(f"/sell-with-us/consignment/{consignment.submission_id}/money/")


def test_the_admin_shows_a_consignment_read_only(client):
    consignment = accepted()
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))

    listing = client.get("/admin/consignment/consignment/")
    page = client.get(f"/admin/consignment/consignment/{consignment.pk}/change/")

    assert listing.status_code == 200
    assert page.status_code == 200
    assert consignment.submission.code in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
