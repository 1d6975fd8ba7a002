from marketplace.errors import DomainError


class StoreError(DomainError):
    """A store application, change or decision that cannot be made as asked; `code` says why and
    `field` names the input to fix."""

    code = "store_invalid"


class DepositError(DomainError):
    """A deposit payment, deduction or refund that cannot be made as asked: `amount` (not a positive
    amount in cents), `no_store`, `store_closed`, `no_decided_case`, `case_not_this_store`,
    `already_deducted`, `above_deposit`, `above_order`."""

    code = "deposit_invalid"


class ViolationError(DomainError):
    """A violation, appeal or threshold that cannot be recorded as asked; `code` says why (`rule`,
    `evidence`, `own_account`, `appeal_closed`, `already_appealed`, `statement`, `same_decider`,
    `already_decided`, `reason`, `points`, `cap`, `thresholds_out_of_order`)."""

    code = "violation_invalid"
