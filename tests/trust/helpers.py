"""Stores in a given state, made through the services as a seller and operations would."""

from decimal import Decimal

from django.contrib.auth.models import Group

from accounts.roles import OPERATIONS
from listings.models import Category
from orders.models import DisputeOutcome
from orders.services.returns import dispute_open, dispute_resolve
from tests.factories import CategoryFactory, ListingFactory, UserFactory
from tests.orders.helpers import delivered_order
from trust.models import Level, Store
from trust.services.deposits import deposit_requirement_set
from trust.services.stores import store_apply, store_decide

DETAILS = {
    "name": "Emma's Sneaker Lab",
    "description": "Sneakers, cleaned and checked.",
    "policies": "Ships within 2 days.",
    "legal_name": "Emma Li Trading Co., Ltd.",
    "registration_number": "91310115MA1K4XYZ2Q",
    "address": "88 Century Avenue, Pudong, Shanghai",
    "contact_email": "hello@sneakerlab.example",
    "contact_phone": "+86 21 5555 0101",
}


def operations_user():
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=OPERATIONS)[0])
    return user


def applied_store(owner=None, **details) -> Store:
    return store_apply(owner=owner or UserFactory(), **(DETAILS | details))


def verified_store(owner=None, *, by=None, **details) -> Store:
    store = applied_store(owner, **details)
    return store_decide(store_id=store.pk, by=by or operations_user(), verify=True)


def starter() -> Level:
    return Level.objects.get(rank=1)


def shoes_tree() -> tuple[Category, Category]:
    """A top-level category with one leaf under it: (parent, leaf)."""
    parent = CategoryFactory(slug="shoes", name="Shoes")
    return parent, CategoryFactory(slug="sneakers", name="Sneakers", parent=parent)


def require(category: Category, amount: str, *, level: Level | None = None, by=None) -> None:
    deposit_requirement_set(
        category_id=category.pk, level_id=(level or starter()).pk, amount=amount, by=by or operations_user()
    )


def decided_dispute(*, seller, price: str = "800.00", outcome=DisputeOutcome.FULL_REFUND, by=None):
    """A sale by `seller` disputed by its buyer and resolved by operations with `outcome`."""
    listing = ListingFactory(seller=seller, price=Decimal(price))
    order = delivered_order(listing=listing)
    dispute_open(order_id=order.pk, buyer=order.buyer, reason="The sole is cracked, not as described.")
    refund = Decimal(price) / 2 if outcome == DisputeOutcome.PARTIAL_REFUND else None
    dispute_resolve(
        order_id=order.pk,
        by=by or operations_user(),
        outcome=outcome,
        refund_amount=refund,
        note="Photos show it.",
    )
    order.refresh_from_db()
    return order.dispute
