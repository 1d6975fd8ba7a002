"""Withdrawals: money out of a user's wallet to their bank card or payment account.

The money is held the moment a withdrawal is requested, so that it cannot be spent twice:

    requested        wallet -A               payouts in flight +A     withdrawal:<id>
    paid out         payouts in flight -A    payments clearing +A     withdrawal:<id>:paid
    refused/failed   payouts in flight -A    wallet +A                withdrawal:<id>:returned

The state machine (one table, `withdrawal_move` the only code that sets the status):

    requested → approved | rejected       amounts up to WITHDRAWAL_APPROVAL_THRESHOLD start approved
    approved  → sent | failed             the payout job called the provider
    sent      → confirmed | failed        the provider settled it (or not)

The payout provider is called with no transaction open and no row lock held, with the key
`withdrawal:<id>`: two jobs at once, or a job run again after a crash between the call and the
record, pay once (the provider's idempotency) and post once (the ledger's keys).
"""

import logging
import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import OPERATIONS, is_platform_role
from marketplace.errors import InvalidTransition
from marketplace.jobs import enqueue_on_commit
from marketplace.money import CENT
from marketplace.templatetags.money import money
from wallet.causes import RETURNED_FAILED, RETURNED_REFUSED
from wallet.errors import InsufficientFunds, WalletError, WithdrawalNotAllowed
from wallet.models import (
    Account,
    AccountPurpose,
    Cause,
    Withdrawal,
    WithdrawalEvent,
    WithdrawalStatus,
)
from wallet.payouts import PAYOUT_FAILED, PAYOUT_PAID, PayoutResult, PayoutUnavailable, get_payout_provider
from wallet.services.ledger import ledger_post, platform_account, wallet_account

logger = logging.getLogger(__name__)

Status = WithdrawalStatus

ALLOWED: dict[Status, set[Status]] = {
    Status.REQUESTED: {Status.APPROVED, Status.REJECTED},
    Status.APPROVED: {Status.SENT, Status.FAILED},
    Status.SENT: {Status.CONFIRMED, Status.FAILED},
    Status.CONFIRMED: set(),
    Status.FAILED: set(),
    Status.REJECTED: set(),
}

DESTINATION = re.compile(r"[0-9]{8,30}")
REQUEST_KEY_MAX = 64
REASON_MAX = 200

# An approved withdrawal whose send job has not recorded anything after this long (a lost message,
# a worker that died) is sent again by the periodic check; the provider's idempotency makes it safe.
RESEND_AFTER = timedelta(minutes=10)


def _invalid(
    message: str, *, code: str, field: str | None, error_class: type[WalletError] = WalletError
) -> WalletError:
    """A wallet error naming the input to fix (`field`), for form errors and API 400s."""
    return error_class(message, code=code, field=field)


def _clean_amount(amount: Decimal | str) -> Decimal:
    if isinstance(amount, float):
        raise _invalid(_("Enter the amount as a number."), code="amount_invalid", field="amount")
    try:
        value = Decimal(amount.strip() if isinstance(amount, str) else amount)
    except (InvalidOperation, TypeError, ValueError):
        raise _invalid(_("Enter the amount as a number."), code="amount_invalid", field="amount") from None
    if not value.is_finite():
        raise _invalid(_("Enter the amount as a number."), code="amount_invalid", field="amount")
    if value <= 0:
        raise _invalid(_("The amount must be more than zero."), code="amount_not_positive", field="amount")
    if value > settings.WITHDRAWAL_MAX:
        raise _invalid(
            _("One withdrawal can move at most %(max)s.") % {"max": money(settings.WITHDRAWAL_MAX)},
            code="amount_above_max",
            field="amount",
        )
    if value != value.quantize(CENT):
        raise _invalid(
            _("The amount can have at most two decimal places."), code="amount_decimals", field="amount"
        )
    return value.quantize(CENT)


def _clean_destination(destination: str) -> str:
    value = re.sub(r"[ \-]", "", destination) if isinstance(destination, str) else ""
    if not DESTINATION.fullmatch(value):
        raise _invalid(
            _("Enter the account or card number to pay to: 8 to 30 digits."),
            code="destination_invalid",
            field="destination",
        )
    return value


def _clean_request_key(request_key: str) -> str:
    if (
        not isinstance(request_key, str)
        or not request_key.strip()
        or len(request_key) > REQUEST_KEY_MAX
        or "\x00" in request_key
    ):
        raise _invalid(
            _("This form has expired; reload the page and try again."),
            code="request_key_invalid",
            field="request_key",
        )
    return request_key.strip()


@transaction.atomic
def withdrawal_move(
    *,
    withdrawal_id: int,
    to: Status,
    by: User | None = None,
    message: str = "",
    params: dict | None = None,
    note: str = "",
    provider_reference: str | None = None,
    failure_reason: str | None = None,
) -> Withdrawal:
    """Lock, check, record, save. `message` is a code of wallet.messages with its `params`; `note` is
    what a person (or the payout provider) said. Raises InvalidTransition and changes nothing if `to`
    is not allowed, MessageError for a message the catalog does not list. Moving money is the caller's
    part, in the same database transaction."""
    params = WithdrawalEvent.message_params(message, params)
    withdrawal = Withdrawal.objects.select_for_update().get(pk=withdrawal_id)
    if to not in ALLOWED[Status(withdrawal.status)]:
        raise InvalidTransition(withdrawal.status, to)
    WithdrawalEvent.objects.create(
        withdrawal=withdrawal,
        old=withdrawal.status,
        new=to,
        by=by,
        message=message,
        params=params,
        note=note[:REASON_MAX],
    )
    withdrawal.status = to
    fields = ["status", "updated_at"]
    if provider_reference is not None:
        withdrawal.provider_reference = provider_reference[:64]
        fields.append("provider_reference")
    if failure_reason is not None:
        withdrawal.failure_reason = failure_reason[:REASON_MAX]
        fields.append("failure_reason")
    withdrawal.save(update_fields=fields)
    return withdrawal


def _queue_send(withdrawal_id: int) -> None:
    from wallet.tasks import send_withdrawal

    enqueue_on_commit(send_withdrawal, withdrawal_id)


def _hold_post(withdrawal: Withdrawal, wallet: Account) -> None:
    ledger_post(
        key=f"withdrawal:{withdrawal.pk}",
        cause=Cause.WITHDRAWAL,
        lines=[
            (wallet, -withdrawal.amount),
            (platform_account(purpose=AccountPurpose.PAYOUTS_IN_FLIGHT), withdrawal.amount),
        ],
        reference=str(withdrawal),
        detail=withdrawal.destination[-4:],
        by=withdrawal.user,
    )


def _paid_post(withdrawal: Withdrawal) -> None:
    ledger_post(
        key=f"withdrawal:{withdrawal.pk}:paid",
        cause=Cause.WITHDRAWAL_PAID,
        lines=[
            (platform_account(purpose=AccountPurpose.PAYOUTS_IN_FLIGHT), -withdrawal.amount),
            (platform_account(purpose=AccountPurpose.PAYMENTS_CLEARING), withdrawal.amount),
        ],
        reference=str(withdrawal),
        detail=withdrawal.destination[-4:],
    )


def _returned_post(withdrawal: Withdrawal, *, why: str, reason: str, by: User | None = None) -> None:
    ledger_post(
        key=f"withdrawal:{withdrawal.pk}:returned",
        cause=Cause.WITHDRAWAL_RETURNED,
        lines=[
            (platform_account(purpose=AccountPurpose.PAYOUTS_IN_FLIGHT), -withdrawal.amount),
            (wallet_account(user=withdrawal.user), withdrawal.amount),
        ],
        reference=str(withdrawal),
        detail=f"{why}:{reason}",
        by=by,
    )


@transaction.atomic
def withdrawal_request(
    *, user: User, amount: Decimal | str, destination: str, request_key: str
) -> Withdrawal:
    """Hold `amount` of the user's wallet for a payout to `destination`. The same `request_key` again
    returns the first withdrawal and moves nothing (`created` is False then). Raises WalletError (or
    InsufficientFunds) naming the field, and changes nothing, for bad input."""
    value = _clean_amount(amount)
    destination = _clean_destination(destination)
    request_key = _clean_request_key(request_key)
    withdrawal, created = Withdrawal.objects.get_or_create(
        user=user, request_key=request_key, defaults={"amount": value, "destination": destination}
    )
    if not created:
        if withdrawal.amount != value or withdrawal.destination != destination:
            raise _invalid(
                _("This form was already used for another withdrawal; reload the page and try again."),
                code="request_key_reused",
                field="request_key",
            )
        withdrawal.created = False
        return withdrawal

    wallet = wallet_account(user=user)
    if value > wallet.balance:
        raise _invalid(
            _("You can withdraw at most %(balance)s, the balance of your wallet.")
            % {"balance": money(wallet.balance)},
            code="insufficient_funds",
            field="amount",
            error_class=InsufficientFunds,
        )
    try:
        _hold_post(withdrawal, wallet)
    except InsufficientFunds as error:
        # The balance changed since we read it (another withdrawal at the same moment).
        error.field = "amount"
        raise
    WithdrawalEvent.objects.create(withdrawal=withdrawal, old="", new=Status.REQUESTED, by=user)
    if value <= settings.WITHDRAWAL_APPROVAL_THRESHOLD:
        withdrawal = withdrawal_move(
            withdrawal_id=withdrawal.pk,
            to=Status.APPROVED,
            message="approval.not_needed",
        )
        _queue_send(withdrawal.pk)
    withdrawal.created = True
    return withdrawal


def _check_operations(by: User) -> None:
    if not is_platform_role(by, OPERATIONS):  # Reloop's own: a partner's staff approve no payout
        raise WithdrawalNotAllowed(_("Only operations staff may approve or refuse withdrawals."))


@transaction.atomic
def withdrawal_approve(*, withdrawal_id: int, by: User) -> Withdrawal:
    """Operations approve a withdrawal that waited for approval; the payout job runs after commit.
    Raises WithdrawalNotAllowed (403) for anyone else, InvalidTransition if it is not waiting."""
    _check_operations(by)
    withdrawal = withdrawal_move(withdrawal_id=withdrawal_id, to=Status.APPROVED, by=by)
    _queue_send(withdrawal.pk)
    return withdrawal


@transaction.atomic
def withdrawal_reject(*, withdrawal_id: int, by: User, reason: str) -> Withdrawal:
    """Operations refuse a withdrawal that waited for approval, saying why; the money goes back to the
    wallet. Raises WithdrawalNotAllowed (403), WalletError for a missing reason, InvalidTransition."""
    _check_operations(by)
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or "\x00" in reason:
        raise _invalid(_("Say why the withdrawal is refused."), code="reason_required", field="reason")
    if len(reason) > REASON_MAX:
        raise _invalid(
            _("Keep the reason under %(max)d characters.") % {"max": REASON_MAX},
            code="reason_too_long",
            field="reason",
        )
    withdrawal = withdrawal_move(
        withdrawal_id=withdrawal_id, to=Status.REJECTED, by=by, note=reason, failure_reason=reason
    )
    _returned_post(withdrawal, why=RETURNED_REFUSED, reason=reason, by=by)
    return withdrawal


@transaction.atomic
def _record_send(*, withdrawal_id: int, result: PayoutResult) -> Withdrawal:
    withdrawal = Withdrawal.objects.select_for_update().get(pk=withdrawal_id)
    if withdrawal.status != Status.APPROVED:
        # Another run recorded this payout first; the provider paid once.
        return withdrawal
    if result.status == PAYOUT_FAILED:
        withdrawal = withdrawal_move(
            withdrawal_id=withdrawal.pk,
            to=Status.FAILED,
            message="payout.failed",
            note=result.failure_reason,
            provider_reference=result.reference,
            failure_reason=result.failure_reason,
        )
        _returned_post(withdrawal, why=RETURNED_FAILED, reason=result.failure_reason)
        return withdrawal
    withdrawal = withdrawal_move(
        withdrawal_id=withdrawal.pk, to=Status.SENT, provider_reference=result.reference
    )
    if result.status == PAYOUT_PAID:
        return _record_paid(withdrawal)
    return withdrawal


def _record_paid(withdrawal: Withdrawal) -> Withdrawal:
    """Caller holds the withdrawal's row lock and it is `sent`."""
    withdrawal = withdrawal_move(withdrawal_id=withdrawal.pk, to=Status.CONFIRMED)
    _paid_post(withdrawal)
    return withdrawal


def withdrawal_send(*, withdrawal_id: int) -> Withdrawal:
    """The payout job: pay an approved withdrawal through the provider and record the answer.
    Does nothing for one in any other status. Raises PayoutUnavailable (the job retries)."""
    withdrawal = Withdrawal.objects.get(pk=withdrawal_id)
    if withdrawal.status != Status.APPROVED:
        return withdrawal
    # No transaction and no lock here: the provider may take seconds, and its idempotency key (not a
    # lock) is what makes two runs pay once.
    result = get_payout_provider().send(
        idempotency_key=f"withdrawal:{withdrawal.pk}",
        amount=withdrawal.amount,
        currency=settings.CURRENCY,
        destination=withdrawal.destination,
    )
    return _record_send(withdrawal_id=withdrawal.pk, result=result)


@transaction.atomic
def _record_status(*, withdrawal_id: int, result: PayoutResult) -> Withdrawal:
    withdrawal = Withdrawal.objects.select_for_update().get(pk=withdrawal_id)
    if withdrawal.status != Status.SENT:
        return withdrawal
    if result.status == PAYOUT_PAID:
        return _record_paid(withdrawal)
    if result.status == PAYOUT_FAILED:
        withdrawal = withdrawal_move(
            withdrawal_id=withdrawal.pk,
            to=Status.FAILED,
            message="payout.failed",
            note=result.failure_reason,
            failure_reason=result.failure_reason,
        )
        _returned_post(withdrawal, why=RETURNED_FAILED, reason=result.failure_reason)
    return withdrawal


def withdrawal_check(*, withdrawal_id: int) -> Withdrawal:
    """Ask the provider where a sent withdrawal stands and confirm it, or return the money if it
    failed. Does nothing for one in any other status. Raises PayoutUnavailable."""
    withdrawal = Withdrawal.objects.get(pk=withdrawal_id)
    if withdrawal.status != Status.SENT:
        return withdrawal
    result = get_payout_provider().status(withdrawal.provider_reference)
    return _record_status(withdrawal_id=withdrawal.pk, result=result)


def withdrawals_check_sent(*, limit: int = 200) -> int:
    """The periodic job: check up to `limit` sent withdrawals, oldest first, and send again approved
    ones whose job seems lost. Returns how many changed status. Stops early (the next run carries
    on) when the provider does not answer."""
    stale = timezone.now() - RESEND_AFTER
    due = list(
        Withdrawal.objects.filter(status=Status.SENT)
        .order_by("updated_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    lost = list(
        Withdrawal.objects.filter(status=Status.APPROVED, updated_at__lt=stale)
        .order_by("updated_at", "id")
        .values_list("id", flat=True)[: max(limit - len(due), 0)]
    )
    changed = 0
    try:
        for withdrawal_id in due:
            if withdrawal_check(withdrawal_id=withdrawal_id).status != Status.SENT:
                changed += 1
        for withdrawal_id in lost:
            if withdrawal_send(withdrawal_id=withdrawal_id).status != Status.APPROVED:
                changed += 1
    except PayoutUnavailable:
        logger.warning("The payout provider does not answer; %d withdrawals checked so far.", changed)
    return changed
