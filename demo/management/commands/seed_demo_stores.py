"""`manage.py seed_demo_stores`: a verified store with a deposit and its level, and a store waiting
for verification.

Run by `seed_demo` after the orders (which leave the demo seller money in her wallet), through the
services a person's clicks would call:

- operations set the deposit each top-level category asks of a store at each level (staff change
  them on the stores desk);
- the demo seller (Chen Jing) opens a store with her trader details, operations verify it, and she
  pays from her wallet what her electronics need: the one top category it still lacks (luxury) is
  held, which her store's page shows;
- Emma applies for a store of her own, which waits on the staff desk;
- 数码老张 (laozhang) broke two rules: a late shipment and payment asked outside Reloop (10 points),
  and appealed the second, which waits for another member of staff (the admin) to decide.

Running it again adds nothing: a store that exists is left as it is.
"""

from decimal import Decimal

from django.core.management.base import BaseCommand

from accounts.models import User
from demo.permission import demo_data_allowed_or_refuse
from listings.models import Category
from trust.models import Appeal, Level, Store, Violation
from trust.published import published_ensure
from trust.services.deposits import deposit_pay, deposit_requirement_set
from trust.services.stores import store_apply, store_decide
from trust.services.violations import appeal_open, violation_decide
from wallet.selectors import wallet_summary

OPERATIONS = "operations"
# The deposit a top-level category asks of a store at each level (starter, trusted, gold): luxury
# most, since a counterfeit costs a buyer most; higher levels less, as a record earns trust.
REQUIREMENTS = {
    "electronics": ("500.00", "300.00", "0.00"),
    "luxury": ("5000.00", "3000.00", "2000.00"),
    "fashion": ("300.00", "200.00", "0.00"),
    "home": ("300.00", "200.00", "0.00"),
    "books-media": ("0.00", "0.00", "0.00"),
}
# username, the store's details, whether operations verify it
STORES: tuple[tuple[str, dict[str, str], bool], ...] = (
    (
        "seller",
        {
            "name": "Chen's Camera Corner",
            "description": "Film and digital cameras, phones and laptops I have used and looked after.\n"
            "Every item tested before it is listed.",
            "policies": "Ships within 2 working days, packed in a padded box.\n"
            "Questions answered the same day.",
            "legal_name": "Shanghai Chenjing Trading Co., Ltd.",
            "registration_number": "91310104MA1FR8CJ4X",
            "address": "1088 Yan'an West Road, Changning, Shanghai 200052",
            "contact_email": "hello@chens-cameras.example",
            "contact_phone": "+86 21 6221 0188",
        },
        True,
    ),
    (
        "emma",
        {
            "name": "Emma's Sneaker Lab",
            "description": "Sneakers and outdoor gear, cleaned and checked.",
            "policies": "Ships within 3 days.",
            "legal_name": "Chengdu Emma Li Sports Goods Studio",
            "registration_number": "92510107MA6C4EL21K",
            "address": "9 Chunxi Road, Jinjiang, Chengdu 610021",
            "contact_email": "emma@sneakerlab.example",
            "contact_phone": "+86 28 8666 0309",
        },
        False,
    ),
)
# What the verified store pays into its deposit: what electronics ask of a starter store.
DEPOSIT = Decimal("500.00")
# The seller with points: the rules they broke, the evidence operations recorded, and the appeal.
POINTS_SELLER = "laozhang"
VIOLATIONS = (
    ("late_shipment", "Order paid on Monday; the parcel was handed to the carrier on Saturday, 5 days late."),
    (
        "off_platform_payment",
        "In messages to a shopper about an iPhone the seller offered 100 off for a transfer by WeChat Pay.",
    ),
)
APPEAL = "I gave my WeChat only to send more photos; the shopper paid on Reloop in the end."


class Command(BaseCommand):
    help = "A verified store with a deposit and a store waiting for verification (run by seed_demo)."

    def handle(self, *args, **options) -> None:
        demo_data_allowed_or_refuse("seed_demo_stores")
        published_ensure()  # the levels, rules and thresholds, in a database emptied since the migrations
        operations = User.objects.get(username=OPERATIONS)
        levels = list(Level.objects.order_by("rank"))
        for slug, amounts in REQUIREMENTS.items():
            category = Category.objects.filter(slug=slug).first()
            if category is None or category.deposit_requirements.exists():
                continue
            for level, amount in zip(levels, amounts, strict=False):
                deposit_requirement_set(
                    category_id=category.pk, level_id=level.pk, amount=amount, by=operations
                )
        made = 0
        for username, details, verify in STORES:
            owner = User.objects.get(username=username)
            if Store.objects.filter(owner=owner).exists():
                continue
            store = store_apply(owner=owner, logo=None, **details)
            made += 1
            if not verify:
                continue
            store_decide(store_id=store.pk, by=operations, verify=True)
            paid = min(DEPOSIT, wallet_summary(owner).balance)
            if paid > 0:
                deposit_pay(owner=owner, amount=paid, request_key="demo-deposit")
        violations = self._violations(operations)
        self.stdout.write(
            f"Stores: {made} new; {Store.objects.filter(status='verified').count()} verified. "
            f"Violations: {violations} new; {Appeal.objects.filter(status='open').count()} appeal waiting."
        )

    @staticmethod
    def _violations(operations: User) -> int:
        seller = User.objects.get(username=POINTS_SELLER)
        if Violation.objects.filter(seller=seller).exists():
            return 0
        decided = [
            violation_decide(seller_id=seller.pk, rule_code=rule, evidence=evidence, by=operations)
            for rule, evidence in VIOLATIONS
        ]
        appeal_open(violation_id=decided[-1].pk, seller=seller, statement=APPEAL)
        return len(decided)
