"""The seller's money timeline: where the item is and what has been paid or is expected, with each
fee line, from the offer to the recycle payout or the consignment's settlement."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from consignment.models import Consignment
from consignment.services.lifecycle import consignment_terms_end
from consignment.services.pricing import price_drops_apply
from marketplace.templatetags.money import money
from orders.models import Order, OrderStatus
from orders.services.money import sale_release_post
from recycling.services.offers import offer_accept_recycle, recycle_payout
from tests.consignment.test_agreement import accepted, offered
from tests.consignment.test_lifecycle import buy
from tests.factories import UserFactory
from wallet.models import AccountPurpose, Cause
from wallet.services.ledger import ledger_post, platform_account, wallet_account

pytestmark = pytest.mark.django_db

MINUS = "\u2212"  # the minus sign the page writes before a deduction


def _url(submission_id: int) -> str:
    return f"/sell-with-us/consignment/{submission_id}/money/"


def _page(client, user, submission_id: int, prefix: str = "") -> str:
    client.force_login(user)
    response = client.get(prefix + _url(submission_id))
    assert response.status_code == 200
    return response.content.decode()


def _settle(consignment: Consignment) -> None:
    """What the settlement job posts (consignment.services.settlement): the sale price out of
    consignment payable, the commission to revenue, the rest to the seller's wallet."""
    consignment.refresh_from_db()
    commission = (consignment.sale_price * consignment.commission_rate).quantize(Decimal("0.01"))
    ledger_post(
        key=f"settle:consignment:{consignment.pk}",
        cause=Cause.CONSIGNMENT_SETTLEMENT,
        lines=[
            (platform_account(purpose=AccountPurpose.CONSIGNMENT_PAYABLE), -consignment.sale_price),
            (platform_account(purpose=AccountPurpose.COMMISSION_REVENUE), commission),
            (wallet_account(user=consignment.seller), consignment.sale_price - commission),
        ],
        reference=consignment.submission.code,
        detail=consignment.submission.title,
    )


def test_an_open_offer_leads_to_the_agreement(client):
    offer = offered()

    html = _page(client, offer.submission.seller, offer.submission_id)

    assert "Offer made" in html
    assert f'href="/sell-with-us/consignment/{offer.submission_id}/accept/"' in html


def test_a_listed_item_shows_its_drops_and_the_payout_expected_at_todays_price(client):
    consignment = accepted(list_price="1000.00", floor="700")
    price_drops_apply(now=consignment.listed_at + timedelta(days=31))

    html = _page(client, consignment.seller, consignment.submission_id)

    assert "¥1,000.00 → ¥900.00" in html
    assert "If it sells at today&#x27;s price:" in html or "If it sells at today's price:" in html
    for line in (
        "Sale price",
        "¥900.00",
        "Reloop&#x27;s commission (25%)",
        MINUS + "¥225.00",
        "Your payout",
        "¥675.00",
    ):
        assert line in html, line
    assert "Consignment agreed" in html and "On sale" in html  # the submission's timeline


def test_a_sold_item_shows_the_sale_the_return_window_and_the_fee_lines(
    client, django_capture_on_commit_callbacks
):
    consignment = accepted(list_price="1000.00")
    order = buy(consignment, django_capture_on_commit_callbacks)
    delivered = timezone.now() - timedelta(days=2)
    type(order).objects.filter(pk=order.pk).update(status=OrderStatus.DELIVERED, delivered_at=delivered)

    html = _page(client, consignment.seller, consignment.submission_id)

    assert f"order {order.number}" in html
    assert "Sold for ¥1,000.00" in html
    assert "The buyer may return it until" in html
    for line in ("Sale price", "¥1,000.00", MINUS + "¥250.00", "Your payout", "¥750.00"):
        assert line in html, line


def test_once_settled_the_page_shows_the_payout_actually_posted(client, django_capture_on_commit_callbacks):
    consignment = accepted(list_price="1000.00")
    order = buy(consignment, django_capture_on_commit_callbacks)
    sale_release_post(order=order, amount=order.price)
    _settle(consignment)
    Order.objects.filter(pk=order.pk).update(delivered_at=timezone.now() - timedelta(days=8))

    html = _page(client, consignment.seller, consignment.submission_id)

    assert "Settled to your wallet on" in html
    # What already happened is told as past: no promise of a payment to come.
    assert "return window closed on" in html and "you are paid once that has passed" not in html
    assert "Paid to your wallet" in html
    assert "¥750.00" in html and MINUS + "¥250.00" in html
    assert "Expected payout" not in html


def test_a_recycled_item_shows_the_cash_paid_from_the_ledger(client):
    offer = offered(list_price="1000.00")
    seller = offer.submission.seller
    offer_accept_recycle(submission_id=offer.submission_id, seller=seller)
    recycle_payout(submission_id=offer.submission_id)

    html = _page(client, seller, offer.submission_id)

    assert f"{money(offer.cash_amount)} paid to your wallet on" in html


def test_an_unsold_item_leads_to_the_choice(client):
    consignment = accepted()
    consignment_terms_end(now=consignment.term_ends_at + timedelta(minutes=1))

    html = _page(client, consignment.seller, consignment.submission_id)

    assert f'href="/sell-with-us/consignment/{consignment.submission_id}/unsold/"' in html


def test_someone_elses_timeline_or_one_without_an_offer_is_a_404(client):
    consignment = accepted()
    client.force_login(UserFactory())
    assert client.get(_url(consignment.submission_id)).status_code == 404
    assert client.get(_url(999999)).status_code == 404


def test_the_timeline_in_chinese(client, django_capture_on_commit_callbacks):
    consignment = accepted(list_price="1000.00")
    buy(consignment, django_capture_on_commit_callbacks)

    html = _page(client, consignment.seller, consignment.submission_id, prefix="/zh-hans")

    assert '<html lang="zh-hans">' in html
    with translation.override("zh-hans"):
        assert money(Decimal("750.00")) in html


def test_the_page_takes_the_same_queries_however_long_the_history(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    consignment = accepted(list_price="1000.00")
    client.force_login(consignment.seller)
    with CaptureQueriesContext(connection) as short:
        client.get(_url(consignment.submission_id))
    price_drops_apply(now=consignment.listed_at + timedelta(days=61))
    order = buy(consignment, django_capture_on_commit_callbacks)
    sale_release_post(order=order, amount=order.price)
    _settle(consignment)

    # The signed-in user; then the submission, its events, its offers, the consignment with its
    # listing and order, its price drops, the ledger transactions, their entries with their accounts.
    with django_assert_num_queries(8):
        response = client.get(_url(consignment.submission_id))

    assert response.status_code == 200
    assert len(short.captured_queries) == 7  # no ledger transaction yet: no entries to fetch
