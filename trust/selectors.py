"""Reads for the stores' pages and API, with what they show fetched up front (fixed query counts)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from listings.models import Category, SellingHold
from orders.models import Dispute, DisputeOutcome
from trust.models import (
    Appeal,
    AppealStatus,
    DepositDeduction,
    DepositRequirement,
    Store,
    StoreStatus,
    Threshold,
    Violation,
)
from wallet.models import Account, AccountPurpose

ZERO = Decimal("0.00")
# What a public store page shows: a store being verified or verified. A rejected or closed one is
# not a store to visit.
PUBLIC_STATUSES = (StoreStatus.APPLIED, StoreStatus.VERIFIED)


def store_of(*, user) -> Store | None:
    """The user's store with its level, or None. One query."""
    if not user.is_authenticated:
        return None
    return Store.objects.select_related("level").filter(owner=user).first()


def store_for_page(*, slug: str) -> Store:
    """A store shoppers may visit, with its level and owner. One query. Raises Store.DoesNotExist."""
    return Store.objects.select_related("level", "owner").get(slug=slug, status__in=PUBLIC_STATUSES)


def deposit_held(*, user_id: int) -> Decimal:
    """What the user's deposit account holds. One query."""
    balance = (
        Account.objects.filter(user_id=user_id, purpose=AccountPurpose.DEPOSIT)
        .values_list("balance", flat=True)
        .first()
    )
    return balance if balance is not None else ZERO


@dataclass(frozen=True)
class Requirement:
    category: Category  # a top-level category or one under it with a requirement of its own
    required: Decimal
    met: bool


def requirements_for(*, store: Store, held: Decimal) -> list[Requirement]:
    """The deposit each category with a requirement at the store's level asks, and whether `held`
    meets it, in category order. One query."""
    rows = (
        DepositRequirement.objects.filter(level_id=store.level_id)
        .select_related("category")
        .order_by("category__position", "category__name")
    )
    return [Requirement(category=row.category, required=row.amount, met=held >= row.amount) for row in rows]


def leaf_requirements(*, level_id: int) -> dict[int, tuple[Category, Decimal]]:
    """Each leaf category's deposit at the level: the nearest requirement up its tree, if any. Two
    queries (the categories, the level's requirements)."""
    categories = {category.pk: category for category in Category.objects.all()}
    amounts = dict(DepositRequirement.objects.filter(level_id=level_id).values_list("category_id", "amount"))
    parents = {category.parent_id for category in categories.values() if category.parent_id}
    found: dict[int, tuple[Category, Decimal]] = {}
    for category in categories.values():
        if category.pk in parents:
            continue  # listings sit on leaves
        node: Category | None = category
        while node is not None and node.pk not in amounts:
            node = categories.get(node.parent_id) if node.parent_id else None
        if node is not None:
            found[category.pk] = (category, amounts[node.pk])
    return found


def deductions_of(*, store: Store) -> QuerySet[DepositDeduction]:
    return (
        DepositDeduction.objects.filter(store=store).select_related("dispute__order").order_by("-created_at")
    )


def stores_waiting() -> QuerySet[Store]:
    """Stores waiting for verification, oldest first, with their owners. One query."""
    return (
        Store.objects.filter(status=StoreStatus.APPLIED)
        .select_related("owner", "level")
        .order_by("created_at", "id")
    )


def stores_decided_lately(*, limit: int = 20) -> list[Store]:
    return list(
        Store.objects.exclude(status=StoreStatus.APPLIED)
        .select_related("owner", "level")
        .order_by("-updated_at", "-id")[:limit]
    )


def decided_cases(*, store: Store) -> list[Dispute]:
    """Disputes about the store owner's sales decided for the buyer, newest first, each with its
    order and any deduction made for it. One query."""
    return list(
        Dispute.objects.filter(order__seller_id=store.owner_id, resolved_at__isnull=False)
        .exclude(outcome=DisputeOutcome.REJECTED)
        .select_related("order", "deposit_deduction")
        .order_by("-resolved_at", "-id")[:50]
    )


def store_for_staff(*, store_id: int) -> Store:
    """Any store with its owner and level. One query. Raises Store.DoesNotExist."""
    return Store.objects.select_related("owner", "level").get(pk=store_id)


@dataclass(frozen=True)
class RequirementRow:
    category: Category
    depth: int  # 0 for a top-level category
    amounts: list[tuple[int, Decimal | None]]  # (level id, the amount set, or None) per level, in rank order


def requirement_table(*, levels: list) -> list[RequirementRow]:
    """Every category, parents before their children, with the deposit each level asks of it where
    one is set. Two queries."""
    categories = list(Category.objects.order_by("position", "name"))
    set_amounts = {
        (row.category_id, row.level_id): row.amount
        for row in DepositRequirement.objects.filter(level__in=levels)
    }
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    rows: list[RequirementRow] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for category in children.get(parent_id, []):
            amounts = [(level.pk, set_amounts.get((category.pk, level.pk))) for level in levels]
            rows.append(RequirementRow(category=category, depth=depth, amounts=amounts))
            walk(category.pk, depth + 1)

    walk(None, 0)
    return rows


@dataclass(frozen=True)
class ViolationLine:
    violation: Violation
    counts: bool  # its points count now
    appeal: Appeal | None
    may_appeal: bool  # no appeal yet, not overturned, and the 6 months have not passed


@dataclass(frozen=True)
class Health:
    """What the account health page shows a seller."""

    points: int
    violations: list[ViolationLine]  # newest first
    holds: list  # the selling holds in force, each with its message (listings.SellingHold.text)
    thresholds: list  # the published thresholds, lightest first
    store: Store | None
    held: Decimal  # the store's deposit (0 without a store)


def _appeal_of(violation: Violation) -> Appeal | None:
    try:
        return violation.appeal
    except Appeal.DoesNotExist:
        return None


def health_of(*, user) -> Health:
    """The seller's points, violations with their appeals, holds, the thresholds, and their store
    and deposit. Six queries."""
    now = timezone.now()
    lines = []
    for violation in (
        Violation.objects.filter(seller=user)
        .select_related("rule", "appeal")
        .order_by("-decided_at", "-id")[:100]
    ):
        appeal = _appeal_of(violation)
        lines.append(
            ViolationLine(
                violation=violation,
                counts=violation.counts_at(now),
                appeal=appeal,
                may_appeal=appeal is None
                and violation.overturned_at is None
                and violation.appeal_until > now,
            )
        )
    store = store_of(user=user)
    return Health(
        points=sum(line.violation.points for line in lines if line.counts),
        violations=lines,
        holds=list(
            SellingHold.objects.filter(seller=user).select_related("category").order_by("category_id", "id")
        ),
        thresholds=list(Threshold.objects.order_by("points")),
        store=store,
        held=deposit_held(user_id=user.pk) if store is not None else ZERO,
    )


def appeals_open() -> list:
    """Appeals waiting for a decision, oldest first, with the violation, its rule, seller and who
    decided it. One query."""
    return list(
        Appeal.objects.filter(status=AppealStatus.OPEN)
        .select_related("violation__rule", "violation__seller", "violation__decided_by")
        .order_by("created_at", "id")[:100]
    )


def violations_recent(*, limit: int = 30) -> list:
    return list(
        Violation.objects.select_related("rule", "seller", "decided_by", "appeal").order_by(
            "-decided_at", "-id"
        )[:limit]
    )
