from marketplace.errors import DomainError


class WalletError(DomainError):
    """A withdrawal or wallet action that cannot be done as asked; `code` says why and `field` names
    the input to fix when there is one (pages show it there; the API returns it under that key)."""

    code = "wallet_invalid"


class InsufficientFunds(WalletError):
    """The money is not there: a wallet (or escrow) would go below zero."""

    code = "insufficient_funds"


class WithdrawalNotAllowed(WalletError):
    """Only operations may approve or refuse a withdrawal."""

    code = "not_allowed"
    status_code = 403


class UnbalancedTransaction(Exception):
    """A programming error: entries that do not sum to zero, or an empty transaction. Never bad input."""
