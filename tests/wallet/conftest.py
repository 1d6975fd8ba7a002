"""Wallet test helpers: money in a wallet the way the platform puts it there (a ledger posting)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from accounts.roles import OPERATIONS
from tests.factories import UserFactory
from wallet.models import AccountPurpose, Cause
from wallet.services.ledger import ledger_post, platform_account, wallet_account


def fund(user, amount: str, *, key: str | None = None, title: str = "Leica M6"):
    """Credit `amount` to the user's wallet as Reloop buying their item would."""
    value = Decimal(amount)
    return ledger_post(
        key=key or f"test:fund:{user.pk}:{value}:{wallet_account(user=user).entries.count()}",
        cause=Cause.RECYCLE_PAYOUT,
        lines=[
            (platform_account(purpose=AccountPurpose.RECYCLE_PURCHASES), -value),
            (wallet_account(user=user), value),
        ],
        reference="S12",
        detail=title,
    )


@pytest.fixture
def seller(db):
    return UserFactory()


@pytest.fixture
def operations(db):
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=OPERATIONS)[0])
    return user
