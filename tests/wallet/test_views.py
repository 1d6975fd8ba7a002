import re
from decimal import Decimal

import pytest

from tests.factories import UserFactory
from tests.orders.helpers import paid_order
from tests.wallet.conftest import fund
from wallet.models import Account, Transaction, Withdrawal, WithdrawalStatus
from wallet.services.withdrawals import withdrawal_request

pytestmark = pytest.mark.django_db

HOME = "/wallet/"
QUEUE = "/staff/payouts/"
ACCOUNT = "6222020200116789"


def request_key(page) -> str:
    return re.search(r'name="request_key" value="([^"]+)"', page.content.decode()).group(1)


def test_the_wallet_needs_sign_in(client):
    response = client.get(HOME)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_wallet_shows_balance_held_amount_and_each_entry_in_words(client, seller, settings):
    settings.WITHDRAWAL_APPROVAL_THRESHOLD = Decimal("100")
    order = paid_order(price="1300.00")
    from orders.services.money import sale_release_post

    sale_release_post(order=order, amount=Decimal("1300.00"))
    seller = order.seller
    withdrawal_request(user=seller, amount="200.00", destination=ACCOUNT, request_key="a")
    client.force_login(seller)

    page = client.get(HOME).content.decode()

    assert "¥1,035.00" in page  # 1,300 less the 65 fee, less 200 held
    assert "¥200.00" in page
    assert f"Sale of “{order.title}” (order {order.number}), less the 5% platform fee of ¥65.00" in page
    assert f"Withdrawal W{Withdrawal.objects.get().pk} to account ending 6789" in page
    assert "+¥1,235.00" in page and "\N{MINUS SIGN}¥200.00" in page
    assert "Waiting for approval" in page


def test_the_wallet_reads_in_chinese(client, seller):
    fund(seller, "10.00")
    client.force_login(seller)

    response = client.get("/zh-hans/wallet/")

    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


def test_withdrawing_from_the_page_holds_the_money_and_a_double_submit_withdraws_once(
    client, seller, django_capture_on_commit_callbacks
):
    fund(seller, "800.00")
    client.force_login(seller)
    key = request_key(client.get(HOME))
    form = {"amount": "300.00", "destination": ACCOUNT, "request_key": key}

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(HOME, form)
    second = client.post(HOME, form, follow=True)

    assert first.status_code == 302
    assert Withdrawal.objects.get().status == WithdrawalStatus.SENT
    assert Account.objects.get(user=seller).balance == Decimal("500.00")
    assert f"W{Withdrawal.objects.get().pk}" in second.content.decode()


def test_a_withdrawal_above_the_threshold_says_why_it_waits_and_for_how_long(client, seller, settings):
    settings.WITHDRAWAL_APPROVAL_THRESHOLD = Decimal("100")
    fund(seller, "800.00")
    client.force_login(seller)
    page = client.get(HOME).content.decode()
    assert (
        "Above ¥100.00, a person on our team checks the withdrawal before it is sent, within 24 hours."
        in page
    )

    form = {"amount": "300.00", "destination": ACCOUNT, "request_key": request_key(client.get(HOME))}
    done = client.post(HOME, form, follow=True).content.decode()

    assert Withdrawal.objects.get().status == WithdrawalStatus.REQUESTED
    assert "of ¥300.00 is waiting for approval" in done
    assert "every withdrawal above ¥100.00, in case someone else is using your account" in done
    assert "up to 24 hours" in done


def test_each_render_of_the_form_has_a_new_request_key(client, seller):
    client.force_login(seller)

    assert request_key(client.get(HOME)) != request_key(client.get(HOME))


@pytest.mark.parametrize(
    ("amount", "destination", "message"),
    [
        ("-5", ACCOUNT, "The amount must be more than zero."),
        ("0", ACCOUNT, "The amount must be more than zero."),
        ("1.005", ACCOUNT, "Ensure that there are no more than 2 decimal places."),
        ("900", ACCOUNT, "You can withdraw at most ¥800.00, the balance of your wallet."),
        ("60000", ACCOUNT, "One withdrawal can move at most ¥50,000.00."),
        ("12\x00", ACCOUNT, "Enter a number."),
        ("10", "12\x0034567890", "Null characters are not allowed."),
        ("10", "1234", "Enter the account or card number to pay to: 8 to 30 digits."),
        ("", ACCOUNT, "Enter the amount to withdraw."),
    ],
)
def test_bad_withdrawals_are_form_errors_and_move_no_money(client, seller, amount, destination, message):
    fund(seller, "800.00")
    client.force_login(seller)
    transactions = Transaction.objects.count()

    response = client.post(HOME, {"amount": amount, "destination": destination, "request_key": "k"})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Withdrawal.objects.exists()
    assert Transaction.objects.count() == transactions


def test_a_bad_page_link_shows_the_first_page_with_a_message(client, seller):
    fund(seller, "10.00")
    client.force_login(seller)

    response = client.get(HOME, {"cursor": "not-a-cursor"})

    assert response.status_code == 200
    assert "This page link is no longer valid" in response.content.decode()


def test_the_statement_pages_by_cursor_newest_first(client, seller):
    for number in range(30):
        fund(seller, f"{number + 1}.00", key=f"fund:{number}")
    client.force_login(seller)

    first = client.get(HOME)
    second = client.get(HOME, {"cursor": first.context["entries"].next_cursor})

    assert [e.amount for e in first.context["entries"].items][:2] == [Decimal("30.00"), Decimal("29.00")]
    assert [e.amount for e in second.context["entries"].items] == [
        Decimal("5.00"),
        Decimal("4.00"),
        Decimal("3.00"),
        Decimal("2.00"),
        Decimal("1.00"),
    ]


@pytest.mark.parametrize("entries", [3, 30])
def test_the_wallet_page_costs_the_same_queries_for_3_or_30_entries(
    client, seller, entries, django_assert_num_queries
):
    for number in range(entries):
        fund(seller, "1.00", key=f"fund:{number}")
    for number in range(3):
        withdrawal_request(user=seller, amount="1.00", destination=ACCOUNT, request_key=f"w{number}")
    client.force_login(seller)

    # the signed-in user, the entries page (with account, transaction and what it corrects joined),
    # the entries of those transactions (a sale's fee), the balance, the held sum, the withdrawals.
    with django_assert_num_queries(6):
        client.get(HOME)


def test_the_payouts_queue_is_for_operations_only(client, seller):
    assert client.get(QUEUE).status_code == 302
    client.force_login(seller)
    assert client.get(QUEUE).status_code == 403
    assert client.post(f"{QUEUE}1/approve/").status_code == 403
    assert client.post(f"{QUEUE}1/reject/", {"reason": "x"}).status_code == 403


def test_operations_see_the_oldest_first_and_approve_or_refuse(
    client, operations, settings, django_capture_on_commit_callbacks
):
    settings.WITHDRAWAL_APPROVAL_THRESHOLD = Decimal("100")
    alice, bob = UserFactory(), UserFactory()
    fund(alice, "1000.00")
    fund(bob, "1000.00")
    first = withdrawal_request(user=alice, amount="600.00", destination=ACCOUNT, request_key="a")
    second = withdrawal_request(user=bob, amount="700.00", destination=ACCOUNT, request_key="b")
    client.force_login(operations)

    page = client.get(QUEUE).content.decode()
    assert page.index(f"W{first.pk}") < page.index(f"W{second.pk}")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{QUEUE}{first.pk}/approve/")
    empty_reason = client.post(f"{QUEUE}{second.pk}/reject/", {"reason": ""}, follow=True)
    refused = client.post(f"{QUEUE}{second.pk}/reject/", {"reason": "Name does not match"}, follow=True)
    again = client.post(f"{QUEUE}{first.pk}/approve/", follow=True)

    assert "Say why the withdrawal is refused." in empty_reason.content.decode()
    assert "refused; the money is back in the wallet" in refused.content.decode()
    assert "no longer waiting for approval" in again.content.decode()
    assert Withdrawal.objects.get(pk=first.pk).status == WithdrawalStatus.SENT
    assert Withdrawal.objects.get(pk=second.pk).status == WithdrawalStatus.REJECTED
    assert Account.objects.get(user=bob).balance == Decimal("1000.00")
    assert client.post(f"{QUEUE}999999/approve/").status_code == 404
    assert "No withdrawals are waiting" in client.get(QUEUE).content.decode()


@pytest.mark.parametrize("waiting", [3, 30])
def test_the_payouts_queue_costs_the_same_queries_for_3_or_30_withdrawals(
    client, operations, settings, waiting, django_assert_num_queries
):
    settings.WITHDRAWAL_APPROVAL_THRESHOLD = Decimal("1")
    user = UserFactory()
    fund(user, "1000.00")
    for number in range(waiting):
        withdrawal_request(user=user, amount="10.00", destination=ACCOUNT, request_key=f"w{number}")
    client.force_login(operations)

    # the signed-in user, the operations role check, the waiting withdrawals with their users joined
    with django_assert_num_queries(3):
        response = client.get(QUEUE)
    assert response.content.decode().count("/approve/") == waiting
