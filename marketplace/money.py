"""Money is Decimal with two places, rounded one way, in one currency per deployment."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def quantize(amount: Decimal | int | str) -> Decimal:
    """Round to cents, half up: the one rounding rule for every amount the platform stores."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
