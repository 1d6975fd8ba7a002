"""The final offer page and its answers: what the seller sees (English and Chinese), who may see and
answer it, and what each button does."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from inspection.models import Report
from inspection.services.workbench import inspection_claim_next, inspection_complete
from recycling.models import Offer, OfferDecision, SubmissionStatus
from recycling.services.offers import buyout_offer_make
from recycling.services.shipping import submission_receive
from recycling.services.transitions import submission_move
from tests.factories import SubmissionFactory, UserFactory
from tests.inspection.desk_fixtures import answer_all, inspector, small_checklist
from tests.recycling.shipping_fixtures import booked_shipment, operations_user
from tests.recycling.test_offers import offered_submission
from wallet.models import Transaction
from wallet.services.ledger import wallet_account

pytestmark = pytest.mark.django_db


def money(amount) -> str:
    return f"¥{amount:,.2f}"


@pytest.fixture
def offered(django_capture_on_commit_callbacks):
    return offered_submission(django_capture_on_commit_callbacks)


def test_the_page_shows_both_options_side_by_side_with_every_term(client, offered, django_assert_num_queries):
    offer = Offer.objects.get(submission=offered)
    report = Report.objects.get(inspection__subject_code=offered.code)
    client.force_login(offered.seller)
    # session, user, the submission, its offers, the report's code
    with django_assert_num_queries(5):
        response = client.get(f"/sell-with-us/{offered.pk}/offer/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/r/{report.code}/"' in html
    assert money(offer.cash_amount) in html
    assert money(offer.list_price) in html
    assert money(offer.floor_default) in html
    percent = int(offer.commission_rate * 100)
    commission = (offer.list_price * offer.commission_rate).quantize(offer.list_price)
    assert f"{percent}% ({money(commission)})" in html
    assert money(offer.list_price - commission) in html  # expected payout
    assert "Day 30" in html and "Day 60" in html
    assert "90 days" in html
    assert "7 days left" in html
    assert (
        "Why this offer" in html and "our inspection graded it" in html
    ) or "confirmed the condition" in html
    assert "Take the cash" in html
    assert "Decline and get it back free" in html
    # The proposed floor pays at least the cash; a lower one is allowed, and the page says what it costs.
    assert offer.floor_default * (1 - offer.commission_rate) >= offer.cash_amount
    assert (
        f"A floor below {money(offer.floor_default)} pays you less than the {money(offer.cash_amount)} cash offer"
        in html
    )


def test_the_page_in_chinese(client, offered):
    client.force_login(offered.seller)
    response = client.get(f"/zh-hans/sell-with-us/{offered.pk}/offer/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    assert f"/zh-hans/sell-with-us/{offered.pk}/offer/recycle/" in html


def test_the_submission_page_links_to_the_offer(client, offered):
    client.force_login(offered.seller)
    html = client.get(f"/sell-with-us/{offered.pk}/").content.decode()
    assert f'href="/sell-with-us/{offered.pk}/offer/"' in html
    assert "See your offer and decide" in html


def test_someone_elses_offer_is_a_404_to_see_and_to_answer(client, offered):
    client.force_login(UserFactory())
    assert client.get(f"/sell-with-us/{offered.pk}/offer/").status_code == 404
    assert client.post(f"/sell-with-us/{offered.pk}/offer/recycle/").status_code == 404
    assert client.post(f"/sell-with-us/{offered.pk}/offer/decline/").status_code == 404
    assert Offer.objects.get(submission=offered).decision == ""
    assert not Transaction.objects.exists()


def test_staff_see_the_offer_but_cannot_answer_it(client, offered):
    client.force_login(operations_user())
    html = client.get(f"/sell-with-us/{offered.pk}/offer/").content.decode()
    assert "Take the cash" not in html
    assert client.post(f"/sell-with-us/{offered.pk}/offer/recycle/").status_code == 404


def test_taking_the_cash_pays_and_the_page_shows_the_choice(
    client, offered, django_capture_on_commit_callbacks
):
    offer = Offer.objects.get(submission=offered)
    client.force_login(offered.seller)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/sell-with-us/{offered.pk}/offer/recycle/")
    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.status == SubmissionStatus.PAID
    assert wallet_account(user=offered.seller).balance == offer.cash_amount
    html = client.get(response["Location"]).content.decode()
    assert "Cash offer accepted" in html
    assert "Take the cash" not in html
    # pressed again (a second tab): a clear message, no second payment
    html = client.post(f"/sell-with-us/{offered.pk}/offer/recycle/", follow=True).content.decode()
    assert "You have already accepted the cash offer." in html
    assert Transaction.objects.count() == 1


def test_an_expired_offer_says_so_and_accepting_it_moves_no_money(client, offered):
    Offer.objects.filter(submission=offered).update(valid_until=timezone.now() - timedelta(minutes=1))
    client.force_login(offered.seller)
    html = client.get(f"/sell-with-us/{offered.pk}/offer/").content.decode()
    assert "This offer expired on" in html
    assert "Take the cash" not in html
    html = client.post(f"/sell-with-us/{offered.pk}/offer/recycle/", follow=True).content.decode()
    assert "can no longer be accepted" in html
    assert not Transaction.objects.exists()


def test_declining_sends_it_back_and_the_page_says_so(client, offered, django_capture_on_commit_callbacks):
    client.force_login(offered.seller)
    with django_capture_on_commit_callbacks(execute=True):
        html = client.post(f"/sell-with-us/{offered.pk}/offer/decline/", follow=True).content.decode()
    offered.refresh_from_db()
    assert offered.status == SubmissionStatus.RETURNING
    assert Offer.objects.get(submission=offered).decision == OfferDecision.DECLINED
    assert "The item comes back to you free of charge." in html


def test_a_get_to_an_answer_is_refused(client, offered):
    client.force_login(offered.seller)
    assert client.get(f"/sell-with-us/{offered.pk}/offer/recycle/").status_code == 405


def test_the_buyout_offer_is_shown_and_can_be_taken(client, offered, django_capture_on_commit_callbacks):
    for status in (SubmissionStatus.CONSIGN_ACCEPTED, SubmissionStatus.LISTED, SubmissionStatus.UNSOLD):
        submission_move(submission_id=offered.pk, to=status, by=None)
    Offer.objects.filter(submission=offered).update(decision=OfferDecision.CONSIGN)
    buyout = buyout_offer_make(submission_id=offered.pk)
    client.force_login(offered.seller)
    html = client.get(f"/sell-with-us/{offered.pk}/offer/").content.decode()
    assert "It did not sell: a fresh cash offer" in html
    assert "Take the cash" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/sell-with-us/{offered.pk}/offer/recycle/")
    offered.refresh_from_db()
    assert offered.status == SubmissionStatus.PAID
    assert wallet_account(user=offered.seller).balance == buyout.cash_amount


def test_the_consign_form_posts_the_proposed_floor_to_the_consignment_app(client, offered):
    try:
        target = reverse("consignment:accept", args=[offered.pk])
    except NoReverseMatch:
        pytest.skip("the consignment app's accept view is not there yet")
    offer = Offer.objects.get(submission=offered)
    client.force_login(offered.seller)
    html = client.get(f"/sell-with-us/{offered.pk}/offer/").content.decode()
    assert f'action="{target}"' in html
    assert f'name="floor" id="id_floor" value="{offer.floor_default:.0f}"' in html
    assert f'min="{offer.floor_min:.0f}" max="{offer.list_price:.0f}"' in html
    assert f"Between {money(offer.floor_min)} and {money(offer.list_price)}." in html
    assert "Consign it" in html


# --- API ----------------------------------------------------------------------------------------


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_submission_detail_includes_the_offer_with_its_terms(offered, django_assert_num_queries):
    offer = Offer.objects.get(submission=offered)
    api = api_for(offered.seller)
    # groups, the submission, its events, photos, valuations, shipments, the report's code, the offers
    with django_assert_num_queries(8):
        data = api.get(f"/api/v1/submissions/{offered.pk}/").json()
    body = data["offer"]
    assert body["kind"] == "final"
    assert body["grade"] == offer.grade
    assert Decimal(body["cash_amount"]) == offer.cash_amount
    assert Decimal(body["list_price"]) == offer.list_price
    assert Decimal(body["floor_default"]) == offer.floor_default
    assert Decimal(body["floor_max"]) == offer.list_price
    assert Decimal(body["commission"]) == (offer.list_price * offer.commission_rate).quantize(Decimal("0.01"))
    assert Decimal(body["expected_payout"]) == offer.list_price - Decimal(body["commission"])
    assert [drop["day"] for drop in body["price_drops"]] == [30, 60]
    assert body["term_days"] == 90
    assert body["days_left"] == 7 and body["open"] is True and body["decision"] == ""
    assert body["reasons"] and all(reason["text"] for reason in body["reasons"])
    assert data["buyout_offer"] is None


def test_the_reasons_come_in_the_requests_language(offered):
    api = api_for(offered.seller)
    english = api.get(f"/api/v1/submissions/{offered.pk}/").json()["offer"]["reasons"]
    chinese = api.get(f"/api/v1/submissions/{offered.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["offer"][
        "reasons"
    ]
    assert [r["code"] for r in english] == [r["code"] for r in chinese]
    assert [r["text"] for r in english] != [r["text"] for r in chinese]


def test_taking_the_cash_through_the_api(offered, django_capture_on_commit_callbacks):
    offer = Offer.objects.get(submission=offered)
    api = api_for(offered.seller)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/submissions/{offered.pk}/offer/recycle/")
    assert response.status_code == 200
    assert response.json()["offer"]["decision"] == "recycle"
    assert wallet_account(user=offered.seller).balance == offer.cash_amount
    again = api.post(f"/api/v1/submissions/{offered.pk}/offer/recycle/")
    assert again.status_code == 400
    assert again.json()["code"] == "already_accepted"
    assert Transaction.objects.count() == 1


def test_an_expired_offer_through_the_api_is_a_400_and_moves_no_money(offered):
    Offer.objects.filter(submission=offered).update(valid_until=timezone.now() - timedelta(seconds=1))
    response = api_for(offered.seller).post(f"/api/v1/submissions/{offered.pk}/offer/recycle/")
    assert response.status_code == 400
    assert response.json()["code"] == "offer_expired"
    assert not Transaction.objects.exists()


def test_declining_through_the_api(offered, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(offered.seller).post(f"/api/v1/submissions/{offered.pk}/offer/decline/")
    assert response.status_code == 200
    assert response.json()["status"] == "returning"
    assert response.json()["offer"]["decision"] == "declined"


def test_someone_elses_offer_through_the_api_is_a_404(offered):
    api = api_for(UserFactory())
    assert api.get(f"/api/v1/submissions/{offered.pk}/").status_code == 404
    assert api.post(f"/api/v1/submissions/{offered.pk}/offer/recycle/").status_code == 404
    assert api.post(f"/api/v1/submissions/{offered.pk}/offer/decline/").status_code == 404
    staff = api_for(operations_user())
    assert staff.get(f"/api/v1/submissions/{offered.pk}/").json()["offer"]["cash_amount"]
    assert staff.post(f"/api/v1/submissions/{offered.pk}/offer/recycle/").status_code == 404
    assert not Transaction.objects.exists()


def test_before_inspection_the_offer_page_says_there_is_none_yet(client):
    submission = SubmissionFactory(status=SubmissionStatus.INSPECTING)
    client.force_login(submission.seller)
    html = client.get(f"/sell-with-us/{submission.pk}/offer/").content.decode()
    assert "There is no offer for this item yet." in html
    assert "Take the cash" not in html
    assert (
        f'href="/sell-with-us/{submission.pk}/offer/"'
        not in client.get(f"/sell-with-us/{submission.pk}/").content.decode()
    )


def test_an_item_outside_the_catalog_passes_without_an_offer_and_the_page_says_why(
    client, django_capture_on_commit_callbacks
):
    shipment = booked_shipment()  # no catalog model: the model has no launch price to start from
    small_checklist(shipment.submission.category)
    submission = submission_receive(reference=shipment.tracking_number, by=operations_user())
    staff = inspector()
    with django_capture_on_commit_callbacks(execute=True):
        inspection = inspection_claim_next(inspector=staff)
    answer_all(inspection, staff)
    with django_capture_on_commit_callbacks(execute=True):
        inspection_complete(inspection_id=inspection.pk, inspector=staff, passed=True)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.OFFERED
    assert not Offer.objects.filter(submission=submission).exists()
    client.force_login(submission.seller)
    html = client.get(f"/sell-with-us/{submission.pk}/offer/").content.decode()
    assert "our team prices it by hand" in html
