from decimal import Decimal

import pytest
from django.utils import translation

from tests.factories import UserFactory
from tests.orders.helpers import paid_order
from tests.wallet.conftest import fund
from wallet.models import AccountPurpose, Cause, Entry
from wallet.selectors import wallet_entries
from wallet.services.ledger import ledger_post, platform_account, transaction_reverse, wallet_account
from wallet.services.withdrawals import withdrawal_reject, withdrawal_request, withdrawal_send

pytestmark = pytest.mark.django_db

ACCOUNT = "6222020200116789"


def words(user) -> list[str]:
    return [entry.words for entry in wallet_entries(user).items]


def test_a_sellers_sale_names_the_order_and_the_fee():
    order = paid_order(price="1300.00")
    from orders.services.money import sale_release_post

    sale_release_post(order=order, amount=Decimal("1300.00"))

    assert words(order.seller) == [
        f"Sale of “{order.title}” (order {order.number}), less the 5% platform fee of ¥65.00"
    ]


def test_a_sale_after_a_fee_rate_change_names_the_fee_without_a_rate(settings):
    order = paid_order(price="1300.00")
    from orders.services.money import sale_release_post

    sale_release_post(order=order, amount=Decimal("1300.00"))
    settings.PLATFORM_FEE_RATE = Decimal("0.08")

    assert words(order.seller) == [
        f"Sale of “{order.title}” (order {order.number}), less the platform fee of ¥65.00"
    ]


def test_withdrawals_paid_refused_and_failed_in_words(settings, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Group

    settings.WITHDRAWAL_APPROVAL_THRESHOLD = Decimal("100")
    user = UserFactory()
    staff = UserFactory()
    staff.groups.add(Group.objects.get_or_create(name="operations")[0])
    fund(user, "1000.00", title="Nikon F3")
    refused = withdrawal_request(user=user, amount="500.00", destination=ACCOUNT, request_key="a")
    withdrawal_reject(withdrawal_id=refused.pk, by=staff, reason="name does not match")
    failed = withdrawal_request(user=user, amount="50.00", destination="6222020200110000", request_key="b")
    withdrawal_send(withdrawal_id=failed.pk)

    assert words(user) == [
        f"Withdrawal W{failed.pk} returned: the payout failed (account closed)",
        f"Withdrawal W{failed.pk} to account ending 0000",
        f"Withdrawal W{refused.pk} returned: refused by operations (name does not match)",
        f"Withdrawal W{refused.pk} to account ending 6789",
        "Reloop bought “Nikon F3” (S12)",
    ]


def test_a_correction_names_what_it_corrects():
    user = UserFactory()
    original = fund(user, "30.00", title="Nikon F3")

    transaction_reverse(transaction_id=original.pk, reason="bought by mistake", by=None)

    assert words(user)[0] == "Correction of “Reloop bought “Nikon F3” (S12)”: bought by mistake"


def test_the_words_follow_the_readers_language():
    order = paid_order(price="1300.00")
    from orders.services.money import sale_release_post

    sale_release_post(order=order, amount=Decimal("1300.00"))

    with translation.override("zh-hans"):
        chinese = words(order.seller)[0]
    english = words(order.seller)[0]

    assert order.number in chinese and order.number in english
    assert isinstance(chinese, str) and chinese


def test_every_cause_has_words():
    user = UserFactory()
    for number, cause in enumerate(Cause):
        if cause == Cause.REVERSAL:
            continue
        ledger_post(
            key=f"cause:{number}",
            cause=cause,
            lines=[
                (platform_account(purpose=AccountPurpose.RECYCLE_PURCHASES), Decimal("-1.00")),
                (wallet_account(user=user), Decimal("1.00")),
            ],
            reference="R1",
            detail="thing",
        )

    for entry in wallet_entries(user, size=50).items:
        assert entry.words and entry.words != entry.transaction.get_cause_display()
    assert Entry.objects.filter(account__user=user).count() == len(Cause) - 1
