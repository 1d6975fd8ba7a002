import pytest

from tests.factories import UserFactory
from tests.wallet.conftest import fund
from wallet.models import Account, Transaction
from wallet.services.withdrawals import withdrawal_request

pytestmark = pytest.mark.django_db


def test_the_admin_shows_money_and_changes_nothing(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    user = UserFactory()
    fund(user, "50.00")
    withdrawal = withdrawal_request(user=user, amount="10", destination="6222020200116789", request_key="a")
    txn = Transaction.objects.first()
    client.force_login(admin)

    for path in (
        "/admin/wallet/account/",
        f"/admin/wallet/account/{Account.objects.get(user=user).pk}/change/",
        "/admin/wallet/transaction/",
        f"/admin/wallet/transaction/{txn.pk}/change/",
        "/admin/wallet/withdrawal/",
        f"/admin/wallet/withdrawal/{withdrawal.pk}/change/",
    ):
        assert client.get(path).status_code == 200, path
    assert client.get("/admin/wallet/transaction/add/").status_code == 403
    assert client.post(f"/admin/wallet/withdrawal/{withdrawal.pk}/delete/").status_code == 403


def test_the_admin_shows_the_payout_account_with_only_its_last_4_digits(client):
    user = UserFactory()
    fund(user, "50.00")
    withdrawal = withdrawal_request(user=user, amount="10", destination="6222020200116789", request_key="a")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(f"/admin/wallet/withdrawal/{withdrawal.pk}/change/").content.decode()

    assert "•••• 6789" in page
    assert "6222020200116789" not in page
