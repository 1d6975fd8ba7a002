"""A consignment a partner ran settles three ways, one ledger transaction: Reloop's fee, the
partner's fee (paid into its payee's wallet out of the commission) and the seller's payout, each a
line of the seller's statement; a partner paid a fee names whose wallet it goes to."""

from decimal import Decimal

import pytest

from consignment.settlement import consignments_settle, settlement_key
from providers.errors import ProviderError
from providers.models import ProviderKind
from providers.services.providers import provider_create
from recycling.models import Submission
from tests.consignment.helpers import sold_consignment
from tests.consignment.test_settlement import assert_ledger_balanced
from tests.factories import UserFactory
from wallet.models import Account, AccountPurpose, Transaction

pytestmark = pytest.mark.django_db


def test_a_partners_consignment_pays_reloop_the_partner_and_the_seller_on_one_statement(client):
    payee = UserFactory()
    partner = provider_create(
        code="shanghai-consign",
        name="Shanghai Consign",
        kind=ProviderKind.CONSIGNMENT_PARTNER,
        fee_rate=Decimal("0.10"),
        payee=payee,
    )
    consignment = sold_consignment(price="2000.00", commission_rate="0.250")
    Submission.objects.filter(pk=consignment.submission_id).update(provider=partner)

    assert consignments_settle() == 1

    consignment.refresh_from_db()
    assert (consignment.commission, consignment.provider_fee, consignment.payout) == (
        Decimal("500.00"),
        Decimal("200.00"),
        Decimal("1500.00"),
    )
    txn = Transaction.objects.get(idempotency_key=settlement_key(consignment.pk))
    lines = {(entry.account.purpose, entry.account.user_id, entry.amount) for entry in txn.entries.all()}
    assert lines == {
        (AccountPurpose.CONSIGNMENT_PAYABLE, None, Decimal("-2000.00")),
        (AccountPurpose.WALLET, consignment.seller_id, Decimal("1500.00")),
        (AccountPurpose.COMMISSION_REVENUE, None, Decimal("300.00")),
        (AccountPurpose.WALLET, payee.pk, Decimal("200.00")),
    }
    assert Account.objects.get(user=payee).balance == Decimal("200.00")
    assert_ledger_balanced()
    assert consignments_settle() == 0  # once

    client.force_login(consignment.seller)
    statement = client.get(f"/sell-with-us/consignment/{consignment.submission_id}/money/").content.decode()
    for label, amount in (
        ("Sale price", "2,000.00"),
        ("Reloop&#x27;s commission", "300.00"),
        ("The partner&#x27;s fee", "200.00"),
        ("Paid to your wallet", "1,500.00"),
    ):
        assert label in statement and amount in statement.split(label, 1)[1][:400], label


def test_reloops_own_consignment_pays_no_provider_fee():
    consignment = sold_consignment(price="2000.00", commission_rate="0.250")

    consignments_settle()

    consignment.refresh_from_db()
    assert (consignment.commission, consignment.provider_fee) == (Decimal("500.00"), Decimal("0"))


def test_a_partner_paid_a_fee_names_whose_wallet_it_goes_to():
    with pytest.raises(ProviderError) as refused:
        provider_create(
            code="nobody-paid", name="Nobody", kind=ProviderKind.CONSIGNMENT_PARTNER, fee_rate=Decimal("0.1")
        )
    assert (refused.value.code, refused.value.field) == ("payee_required", "payee")
