from marketplace.errors import DomainError


class WalletError(DomainError):
    """A withdrawal or wallet action that cannot be done as asked; `code` says why."""

    code = "wallet_invalid"


class InsufficientFunds(WalletError):
    """The money is not there: a wallet (or escrow) would go below zero."""

    code = "insufficient_funds"


class UnbalancedTransaction(Exception):
    """A programming error: entries that do not sum to zero, or an empty transaction. Never bad input."""
