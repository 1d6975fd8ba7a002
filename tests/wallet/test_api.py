from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.orders.helpers import paid_order
from tests.wallet.conftest import fund
from wallet.models import Account, Transaction, Withdrawal, WithdrawalStatus
from wallet.services.withdrawals import withdrawal_request

pytestmark = pytest.mark.django_db

WALLET = "/api/v1/wallet/"
WITHDRAWALS = "/api/v1/wallet/withdrawals/"
STAFF = "/api/v1/staff/withdrawals/"
ACCOUNT = "6222020200116789"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_everything_needs_a_signed_in_user():
    anonymous = APIClient()
    for path in (WALLET, WITHDRAWALS, f"{WITHDRAWALS}1/", STAFF):
        assert anonymous.get(path).status_code == 401
    assert anonymous.post(WITHDRAWALS, {}).status_code == 401


def test_a_token_reads_the_wallet(seller):
    fund(seller, "12.50")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=seller).key}")

    data = client.get(WALLET).json()

    assert (data["balance"], data["held"], data["currency"]) == ("12.50", "0.00", "CNY")


def test_the_wallet_has_balance_held_and_entries_with_their_cause_in_words(settings):
    settings.WITHDRAWAL_APPROVAL_THRESHOLD = Decimal("100")
    order = paid_order(price="1300.00")
    from orders.services.money import sale_release_post

    sale_release_post(order=order, amount=Decimal("1300.00"))
    withdrawal_request(user=order.seller, amount="200.00", destination=ACCOUNT, request_key="a")

    data = api(order.seller).get(WALLET).json()
    chinese = api(order.seller).get(WALLET, HTTP_ACCEPT_LANGUAGE="zh-hans").json()

    assert (data["balance"], data["held"]) == ("1035.00", "200.00")
    assert [(e["cause"], e["amount"]) for e in data["entries"]] == [
        ("withdrawal", "-200.00"),
        ("sale", "1235.00"),
    ]
    assert data["entries"][1]["words"] == (
        f"Sale of “{order.title}” (order {order.number}), less the 5% platform fee of ¥65.00"
    )
    assert data["next"] is None and data["next_cursor"] is None
    assert chinese["entries"][1]["cause"] == "sale"


def test_the_wallet_pages_by_cursor_and_refuses_a_bad_one(seller):
    for number in range(30):
        fund(seller, "1.00", key=f"fund:{number}")
    client = api(seller)

    first = client.get(WALLET).json()
    second = client.get(WALLET, {"cursor": first["next_cursor"]}).json()
    bad = client.get(WALLET, {"cursor": "nonsense"})

    assert len(first["entries"]) == 25 and len(second["entries"]) == 5
    assert first["next"].endswith(f"cursor={first['next_cursor']}")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_cursor"


@pytest.mark.parametrize("entries", [3, 30])
def test_the_wallet_endpoint_costs_the_same_queries_for_3_or_30_entries(
    seller, entries, django_assert_num_queries
):
    for number in range(entries):
        fund(seller, "1.00", key=f"fund:{number}")
    client = api(seller)

    # the entries page (account, transaction and what it corrects joined), the entries of those
    # transactions (a sale's fee), the balance, the held sum.
    with django_assert_num_queries(4):
        client.get(WALLET)


def test_a_new_withdrawal_is_201_and_the_same_request_again_is_200_with_the_same_withdrawal(seller):
    fund(seller, "800.00")
    client = api(seller)
    body = {"amount": "300.00", "destination": ACCOUNT, "request_key": "press-1"}

    first = client.post(WITHDRAWALS, body, format="json")
    again = client.post(WITHDRAWALS, body, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["reference"] == f"W{first.json()['id']}"
    assert Withdrawal.objects.count() == 1
    assert Account.objects.get(user=seller).balance == Decimal("500.00")
    assert [w["id"] for w in client.get(WITHDRAWALS).json()["results"]] == [first.json()["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "-1", "destination": ACCOUNT, "request_key": "k"}, "amount"),
        ({"amount": "0", "destination": ACCOUNT, "request_key": "k"}, "amount"),
        ({"amount": "1.001", "destination": ACCOUNT, "request_key": "k"}, "amount"),
        ({"amount": "900", "destination": ACCOUNT, "request_key": "k"}, "amount"),
        ({"amount": "60000", "destination": ACCOUNT, "request_key": "k"}, "amount"),
        ({"amount": "1\x00", "destination": ACCOUNT, "request_key": "k"}, "amount"),
        ({"amount": "NaN", "destination": ACCOUNT, "request_key": "k"}, "amount"),
        ({"amount": "10", "destination": "12\x0034567890", "request_key": "k"}, "destination"),
        ({"amount": "10", "destination": "1234", "request_key": "k"}, "destination"),
        ({"amount": "10", "destination": ACCOUNT, "request_key": "k\x00"}, "request_key"),
        ({"amount": "10", "destination": ACCOUNT}, "request_key"),
        ({"amount": ["10"], "destination": ACCOUNT, "request_key": "k"}, "amount"),
    ],
)
def test_bad_withdrawals_are_400_under_the_field_and_move_no_money(seller, body, field):
    fund(seller, "800.00")
    transactions = Transaction.objects.count()

    response = api(seller).post(WITHDRAWALS, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Withdrawal.objects.exists()
    assert Transaction.objects.count() == transactions


def test_another_users_withdrawal_is_404(seller):
    fund(seller, "800.00")
    withdrawal = withdrawal_request(user=seller, amount="10", destination=ACCOUNT, request_key="a")
    stranger = UserFactory()

    assert api(stranger).get(f"{WITHDRAWALS}{withdrawal.pk}/").status_code == 404
    assert api(stranger).get(f"{WITHDRAWALS}999999/").status_code == 404
    assert api(seller).get(f"{WITHDRAWALS}{withdrawal.pk}/").json()["status"] == "approved"
    assert api(stranger).get(WITHDRAWALS).json()["results"] == []
    assert api(stranger).get(WALLET).json()["balance"] == "0.00"


def test_the_staff_endpoints_are_for_operations_only(seller):
    fund(seller, "800.00")
    withdrawal = withdrawal_request(user=seller, amount="10", destination=ACCOUNT, request_key="a")

    assert api(seller).get(STAFF).status_code == 403
    assert api(seller).post(f"{STAFF}{withdrawal.pk}/approve/").status_code == 403
    assert api(seller).post(f"{STAFF}{withdrawal.pk}/reject/", {"reason": "x"}).status_code == 403


def test_operations_approve_and_refuse_through_the_api(
    operations, settings, django_capture_on_commit_callbacks
):
    settings.WITHDRAWAL_APPROVAL_THRESHOLD = Decimal("100")
    alice, bob = UserFactory(), UserFactory()
    fund(alice, "1000.00")
    fund(bob, "1000.00")
    first = withdrawal_request(user=alice, amount="600.00", destination=ACCOUNT, request_key="a")
    second = withdrawal_request(user=bob, amount="700.00", destination=ACCOUNT, request_key="b")
    client = api(operations)

    queue = client.get(STAFF).json()
    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(f"{STAFF}{first.pk}/approve/")
    no_reason = client.post(f"{STAFF}{second.pk}/reject/", {"reason": ""}, format="json")
    refused = client.post(f"{STAFF}{second.pk}/reject/", {"reason": "Name does not match"}, format="json")
    again = client.post(f"{STAFF}{first.pk}/approve/")

    assert [w["id"] for w in queue] == [first.pk, second.pk]
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert Withdrawal.objects.get(pk=first.pk).status == WithdrawalStatus.SENT  # the job ran after commit
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert refused.json()["status"] == "rejected"
    assert again.status_code == 409
    assert client.post(f"{STAFF}999999/approve/").status_code == 404
    assert Withdrawal.objects.get(pk=second.pk).status == WithdrawalStatus.REJECTED
    assert Account.objects.get(user=bob).balance == Decimal("1000.00")
    assert client.get(STAFF).json() == []


@pytest.mark.parametrize("count", [3, 30])
def test_the_withdrawal_lists_cost_the_same_queries_for_3_or_30(
    seller, operations, settings, count, django_assert_num_queries
):
    settings.WITHDRAWAL_APPROVAL_THRESHOLD = Decimal("1")
    fund(seller, "1000.00")
    for number in range(count):
        withdrawal_request(user=seller, amount="10.00", destination=ACCOUNT, request_key=f"w{number}")

    # one page of the user's own withdrawals
    with django_assert_num_queries(1):
        api(seller).get(WITHDRAWALS)
    # the operations role check, then the waiting withdrawals with their users joined
    with django_assert_num_queries(2):
        assert len(api(operations).get(STAFF).json()) == count


def test_the_api_shows_the_payout_account_with_only_its_last_4_digits(seller, operations, settings):
    settings.WITHDRAWAL_APPROVAL_THRESHOLD = Decimal("100")
    fund(seller, "800.00")
    client = api(seller)

    created = client.post(
        WITHDRAWALS, {"amount": "300.00", "destination": ACCOUNT, "request_key": "k"}, format="json"
    ).json()
    listed = client.get(WITHDRAWALS).json()["results"][0]
    one = client.get(f"{WITHDRAWALS}{created['id']}/").json()
    queued = api(operations).get(STAFF).json()[0]

    for answer in (created, listed, one, queued):
        assert answer["destination"] == "•••• 6789"
        assert ACCOUNT not in str(answer)
    assert Withdrawal.objects.get().destination == ACCOUNT  # the payout job still has it whole
