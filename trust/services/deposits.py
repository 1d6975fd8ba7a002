"""Store deposits (保证金): paying in, the holds that keep a store short of its deposit from listing,
deductions by decided cases, and the refund after a closed store's tail.

    paid in from the wallet    owner's wallet -X            owner's deposit +X
    deduction (decided case)   owner's deposit -X           harmed party's wallet +X
    refund after the tail      owner's deposit -(the rest)  owner's wallet +(the rest)

Each posting's idempotency key names its cause (the payment's request key, the deduction, the
store's refund), so no job or double click moves the money twice.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import OPERATIONS
from listings.models import Category
from listings.services import selling_holds_replace
from marketplace.money import CENT
from marketplace.templatetags.money import money
from orders.models import Dispute, DisputeOutcome
from providers.scope import require_platform_role
from trust.errors import DepositError
from trust.models import CaseKind, DepositDeduction, DepositRequirement, Level, Store, StoreEvent, StoreStatus
from trust.notices import store_notify_deducted
from trust.selectors import deposit_held, leaf_requirements
from wallet.errors import InsufficientFunds
from wallet.models import Cause, Transaction
from wallet.services.ledger import deposit_account, ledger_post, wallet_account

HOLD = "deposit_short"
REFUND_BATCH = 100
# The most a category may ask of a store's deposit.
REQUIREMENT_MAX = Decimal("1000000")


def deposit_holds_refresh(
    *, store: Store, requirements: dict[int, tuple[Category, Decimal]] | None = None
) -> int:
    """Hold the owner from listing in each category whose deposit at the store's level is more than
    the deposit holds; lift the rest. Only a verified store is held: until then, and after it
    closes, its owner lists as a private seller. `requirements` are the level's leaf requirements
    when the caller has read them for many stores at once. Returns the number of categories held."""
    holds = []
    if store.status == StoreStatus.VERIFIED:
        held = deposit_held(user_id=store.owner_id)
        if requirements is None:
            requirements = leaf_requirements(level_id=store.level_id)
        holds = [
            (category, {"held": str(held), "required": str(required)})
            for category, required in requirements.values()
            if required > held
        ]
    selling_holds_replace(seller=store.owner, reason=HOLD, holds=holds)
    return len(holds)


def _amount(value: object, *, most: Decimal, zero: bool = False) -> Decimal:
    """`value` as an amount in cents above zero (or zero, when `zero`) and at most `most`. Raises
    DepositError on the `amount` field."""
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, float) else Decimal("NaN")
    except (InvalidOperation, ValueError):
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0 or (amount == 0 and not zero) or amount != amount.quantize(CENT):
        raise DepositError(
            _("Enter an amount of money above zero, with at most two decimal places."),
            code="amount",
            field="amount",
        )
    if amount > most:
        raise DepositError(
            _("This can be at most %(most)s.") % {"most": money(most)},
            code="amount_above_max",
            field="amount",
        )
    return amount


@transaction.atomic
def deposit_pay(*, owner: User, amount: object, request_key: str) -> Transaction:
    """The store's owner moves `amount` from their wallet into the store's deposit; the holds it
    meets lift at once. `request_key` comes from the form, so a second submit of the same form moves
    nothing. Raises DepositError for a bad amount or a closed store (or none), InsufficientFunds
    for more than the wallet holds; nothing moves then."""
    value = _amount(amount, most=settings.STORE_DEPOSIT_PAYMENT_MAX)
    store = Store.objects.select_for_update().filter(owner=owner).first()
    if store is None:
        raise DepositError(_("Open a store first: a deposit belongs to a store."), code="no_store")
    if store.status == StoreStatus.CLOSED:
        raise DepositError(_("Your store is closed; its deposit takes no more money."), code="store_closed")
    key = str(request_key or "").strip()[:60]
    if not key:
        raise DepositError(_("The form was incomplete; please send it again."), code="request_key")
    txn = ledger_post(
        key=f"deposit:pay:{store.pk}:{key}",
        cause=Cause.DEPOSIT_PAID,
        lines=[(wallet_account(user=owner), -value), (deposit_account(user=owner), value)],
        reference=store.slug[:40],
        detail=store.name,
        by=owner,
    )
    deposit_holds_refresh(store=store)
    return txn


def _decided_case(dispute_id: int, store: Store) -> Dispute:
    dispute = Dispute.objects.select_for_update().select_related("order").filter(pk=dispute_id).first()
    if dispute is None or dispute.resolved_at is None or dispute.outcome == DisputeOutcome.REJECTED:
        raise DepositError(
            _(
                "A deposit is taken from only for a case decided against the store: a dispute resolved for the buyer."
            ),
            code="no_decided_case",
            field="dispute",
        )
    if dispute.order.seller_id != store.owner_id:
        raise DepositError(
            _("That dispute is not about this store's sale."), code="case_not_this_store", field="dispute"
        )
    return dispute


@transaction.atomic
def deposit_deduct(
    *, store_id: int, dispute_id: int, amount: object, reason: object, by: User
) -> DepositDeduction:
    """Operations pay the buyer of a dispute decided against the store from the store's deposit,
    with the reason the owner will read; at most the order's price, once per dispute. The store's
    holds are refreshed (the deposit may now be short). Raises RoleRequired for anyone else (PermissionDenied for a partner's staff);
    DepositError with no decided case, a case about another store, a second deduction, an amount
    above the order's price or the deposit, or no reason; nothing moves then."""
    require_platform_role(by, OPERATIONS)
    store = Store.objects.select_for_update().select_related("owner").get(pk=store_id)
    dispute = _decided_case(dispute_id, store)
    value = _amount(amount, most=dispute.order.price)
    reason_text = str(reason or "").strip()
    if not reason_text or len(reason_text) > 300:
        raise DepositError(
            _("Say in up to 300 characters why the deposit pays, for the store to read."),
            code="reason",
            field="reason",
        )
    held = deposit_held(user_id=store.owner_id)
    if value > held:
        raise DepositError(
            _("The deposit holds %(held)s, less than this.") % {"held": money(held)},
            code="above_deposit",
            field="amount",
        )
    try:
        with transaction.atomic():
            deduction = DepositDeduction.objects.create(
                store=store,
                kind=CaseKind.DISPUTE,
                dispute=dispute,
                amount=value,
                paid_to=dispute.order.buyer,
                reason=reason_text,
                decided_by=by,
            )
    except IntegrityError:
        raise DepositError(
            _("This dispute has taken from the deposit already."), code="already_deducted"
        ) from None
    try:
        ledger_post(
            key=f"deposit:deduct:{deduction.pk}",
            cause=Cause.DEPOSIT_DEDUCTED,
            lines=[
                (deposit_account(user=store.owner), -value),
                (wallet_account(user=dispute.order.buyer), value),
            ],
            reference=dispute.order.number,
            detail=dispute.order.title,
            by=by,
        )
    except InsufficientFunds:  # the deposit changed since it was read
        raise DepositError(
            _("The deposit holds less than this."), code="above_deposit", field="amount"
        ) from None
    deposit_holds_refresh(store=store)
    transaction.on_commit(
        lambda: store_notify_deducted(deduction=deduction, link=reverse("trust:manage")), robust=True
    )
    return deduction


@transaction.atomic
def _refund(store: Store) -> None:
    """Caller holds the store's row lock; the store is closed and its tail has passed."""
    held = deposit_held(user_id=store.owner_id)
    if held > 0:
        ledger_post(
            key=f"deposit:refund:store:{store.pk}",
            cause=Cause.DEPOSIT_REFUNDED,
            lines=[(deposit_account(user=store.owner), -held), (wallet_account(user=store.owner), held)],
            reference=store.slug[:40],
            detail=store.name,
        )
    store.deposit_refunded_at = timezone.now()
    store.save(update_fields=["deposit_refunded_at", "updated_at"])
    StoreEvent.objects.create(
        store=store,
        old=store.status,
        new=store.status,
        message="store.deposit_refunded",
        params=StoreEvent.message_params("store.deposit_refunded", {"amount": str(held)}),
    )


def deposits_refund_due(*, now: datetime | None = None, limit: int = REFUND_BATCH) -> int:
    """Return what is left of each closed store's deposit once its tail has passed, in a bounded
    batch of stores that no other run holds. Returns how many were refunded; safe to run twice."""
    now = now or timezone.now()
    done = 0
    with transaction.atomic():
        due = list(
            Store.objects.select_for_update(skip_locked=True)
            .select_related("owner")
            .filter(status=StoreStatus.CLOSED, deposit_refunded_at__isnull=True, deposit_refund_due__lte=now)
            .order_by("deposit_refund_due", "id")[:limit]
        )
        for store in due:
            _refund(store)
            done += 1
    return done


@transaction.atomic
def deposit_requirement_set(
    *, category_id: int, level_id: int, amount: object, by: User
) -> DepositRequirement | None:
    """Operations set what a store of the level must hold to list in the category and those under
    it; an empty amount removes the requirement. Every verified store at the level has its holds
    refreshed. Raises RoleRequired for anyone else (PermissionDenied for a partner's staff), DepositError for an amount that is not money;
    Category or Level DoesNotExist for none."""
    require_platform_role(by, OPERATIONS)
    category = Category.objects.get(pk=category_id)
    level = Level.objects.get(pk=level_id)
    if str(amount or "").strip() == "":
        DepositRequirement.objects.filter(category=category, level=level).delete()
        requirement = None
    else:
        value = _amount(amount, most=REQUIREMENT_MAX, zero=True)
        requirement, _created = DepositRequirement.objects.update_or_create(
            category=category, level=level, defaults={"amount": value}
        )
    requirements = leaf_requirements(level_id=level.pk)  # read once for every store at the level
    for store in Store.objects.filter(level=level, status=StoreStatus.VERIFIED).select_related("owner"):
        deposit_holds_refresh(store=store, requirements=requirements)
    return requirement
