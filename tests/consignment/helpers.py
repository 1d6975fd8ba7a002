"""Consignments in a given state, built straight from rows, for tests (and the settlement benchmark)
that are not about how they got there.

The rows are what the services would have left: a submission and its accepted final offer, the
consigned listing under the platform account, the consignment, and its order with a payment. The
money is posted as the orders app posts it (the payment into escrow; on completion the sale from
escrow into consignment payable, key `sale:order:<id>`; refunds back to payments clearing), so that
every test starts from a balanced ledger.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from consignment.models import Consignment, ConsignmentStatus
from listings.models import Category, Grade, Listing, ListingSource, ListingStatus
from orders.models import Order, OrderStatus, Payment, PaymentStatus
from orders.services.money import payment_received_post, refund_post, sale_key, sale_release_post
from recycling.models import Offer, OfferDecision, OfferKind, Submission, SubmissionStatus
from wallet.models import AccountPurpose, Cause
from wallet.services.ledger import platform_account
from wallet.services.ledger_batch import Posting, ledger_post_many

# Order statuses after the buyer paid; the sale posting exists only for the two last ones.
PAID_STATUSES = (
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.RETURN_REQUESTED,
    OrderStatus.RETURNED,
    OrderStatus.DISPUTED,
    OrderStatus.REFUNDED,
    OrderStatus.COMPLETED,
    OrderStatus.RESOLVED,
)


def platform_seller() -> User:
    user, _created = User.objects.get_or_create(
        username=settings.PLATFORM_SELLER_USERNAME, defaults={"display_name": "Reloop"}
    )
    return user


def _category() -> Category:
    category, _created = Category.objects.get_or_create(
        slug="consigned-test", defaults={"name": "Cameras", "name_zh": "相机"}
    )
    return category


def _users(prefix: str, count: int) -> list[User]:
    """`count` users named prefix-0, prefix-1, ... (existing ones reused), with unusable passwords."""
    names = [f"{prefix}-{index}" for index in range(count)]
    existing = {user.username: user for user in User.objects.filter(username__in=names)}
    User.objects.bulk_create(
        [
            User(username=name, email=f"{name}@example.com", password="!", display_name=name.title())
            for name in names
            if name not in existing
        ]
    )
    by_name = {user.username: user for user in User.objects.filter(username__in=names)}
    return [by_name[name] for name in names]


@dataclass
class _Dates:
    sold: datetime
    delivered: datetime
    completed: datetime | None


def _dates(order_status: str, now: datetime) -> _Dates:
    sold = now - timedelta(days=12)
    completed = (
        now - timedelta(days=1) if order_status in (OrderStatus.COMPLETED, OrderStatus.RESOLVED) else None
    )
    return _Dates(sold=sold, delivered=sold + timedelta(days=3), completed=completed)


def consignment_rows(
    *,
    count: int,
    sellers: list[User],
    price: Decimal,
    commission_rate: Decimal,
    order_status: str,
    title: str = "Leica M6",
) -> list[Consignment]:
    """`count` sold consignments with their submission, offer, listing, order and payment, inserted in
    bulk (a few queries per table, whatever `count`), seller i % len(sellers) for the i-th. No money is
    posted here: the callers post it."""
    now = timezone.now()
    dates = _dates(order_status, now)
    category = _category()
    reloop = platform_seller()
    buyer = _users("buyer", 1)[0]
    floor = (price * Decimal("0.6")).quantize(Decimal("0.01"))
    drops = [[30, "0.10"], [60, "0.10"]]
    submissions = Submission.objects.bulk_create(
        [
            Submission(
                seller=sellers[index % len(sellers)],
                category=category,
                title=f"{title} #{index + 1}" if count > 1 else title,
                declared_grade=Grade.EXCELLENT,
                status=SubmissionStatus.SOLD,
                created_at=dates.sold - timedelta(days=20),
            )
            for index in range(count)
        ]
    )
    offers = Offer.objects.bulk_create(
        [
            Offer(
                submission=submission,
                kind=OfferKind.FINAL,
                grade=Grade.EXCELLENT,
                cash_amount=(price * Decimal("0.5")).quantize(Decimal("0.01")),
                list_price=price,
                commission_rate=commission_rate,
                floor_min=floor,
                floor_default=floor,
                drop_schedule=drops,
                term_days=90,
                model_version="test",
                valid_until=dates.sold,
                decision=OfferDecision.CONSIGN,
                decided_at=dates.sold - timedelta(days=5),
            )
            for submission in submissions
        ]
    )
    listings = Listing.objects.bulk_create(
        [
            Listing(
                seller=reloop,
                title=submission.title,
                category=category,
                price=price,
                grade=Grade.EXCELLENT,
                status=ListingStatus.SOLD,
                source=ListingSource.CONSIGNED,
                inspected_at=dates.sold - timedelta(days=6),
                published_at=dates.sold - timedelta(days=5),
            )
            for submission in submissions
        ]
    )
    orders = Order.objects.bulk_create(
        [
            Order(
                buyer=buyer,
                seller=reloop,
                listing=listing,
                title=listing.title,
                source=ListingSource.CONSIGNED,
                price=price,
                status=order_status,
                reserved_until=dates.sold,
                paid_at=dates.sold,
                shipped_at=dates.sold + timedelta(days=1),
                delivered_at=dates.delivered,
                completed_at=dates.completed,
                ship_to_name="Li Lei",
                ship_to_phone="13800000000",
                ship_to_address="18 Fuxing Road, Xuhui, Shanghai",
            )
            for listing in listings
        ]
    )
    Payment.objects.bulk_create(
        [
            Payment(
                order=order,
                idempotency_key=f"order:{order.pk}:payment:1",
                provider_reference=f"pay_test_{order.pk}",
                amount=price,
                status=PaymentStatus.SUCCEEDED,
            )
            for order in orders
        ]
    )
    return Consignment.objects.bulk_create(
        [
            Consignment(
                submission=submission,
                offer=offer,
                seller_id=submission.seller_id,
                listing=listing,
                status=ConsignmentStatus.SOLD,
                list_price=price,
                floor_price=floor,
                commission_rate=commission_rate,
                drop_schedule=drops,
                listed_at=dates.sold - timedelta(days=5),
                term_ends_at=dates.sold + timedelta(days=85),
                order=order,
                sale_price=price,
                sold_at=dates.sold,
            )
            for submission, offer, listing, order in zip(submissions, offers, listings, orders, strict=True)
        ]
    )


def sold_consignment(
    *,
    order_status: str = OrderStatus.COMPLETED,
    price: str | Decimal = "2000.00",
    commission_rate: str | Decimal = "0.250",
    seller: User | None = None,
    released: str | Decimal | None = None,
    title: str = "Leica M6",
) -> Consignment:
    """One sold consignment whose order is in `order_status`, its money posted by the orders app's own
    postings: paid into escrow; for COMPLETED the price released into consignment payable; for
    RESOLVED `released` of it (default all) and the rest refunded; for REFUNDED all of it refunded."""
    price = Decimal(price)
    seller = seller or _users(f"consignor-{Submission.objects.count()}", 1)[0]
    consignment = consignment_rows(
        count=1,
        sellers=[seller],
        price=price,
        commission_rate=Decimal(commission_rate),
        order_status=order_status,
        title=title,
    )[0]
    order = Order.objects.get(pk=consignment.order_id)
    payment = order.payments.get()
    payment_received_post(payment=payment)
    if order_status == OrderStatus.COMPLETED:
        sale_release_post(order=order, amount=price)
    elif order_status == OrderStatus.RESOLVED:
        released = price if released is None else Decimal(released)
        if released < price:
            refund_post(payment=payment, amount=price - released, key=f"refund:dispute:{order.pk}")
            Payment.objects.filter(pk=payment.pk).update(refunded_amount=price - released)
        if released:
            sale_release_post(order=order, amount=released)
    elif order_status == OrderStatus.REFUNDED:
        refund_post(payment=payment, amount=price, key=f"refund:return:{order.pk}")
        Payment.objects.filter(pk=payment.pk).update(refunded_amount=price, status=PaymentStatus.REFUNDED)
    return Consignment.objects.select_related("submission", "order", "seller").get(pk=consignment.pk)


def sold_consignments(
    *,
    count: int,
    sellers: int = 1,
    price: str | Decimal = "2000.00",
    commission_rate: str | Decimal = "0.250",
    seller_prefix: str = "consignor",
) -> list[int]:
    """`count` consignments sold through completed orders, spread over `sellers` sellers, with the
    payment and sale postings made in bulk (`ledger_post_many`, the same keys, causes and lines as
    the orders app posts one by one). Returns the consignments' ids."""
    price = Decimal(price)
    consignments = consignment_rows(
        count=count,
        sellers=_users(seller_prefix, sellers),
        price=price,
        commission_rate=Decimal(commission_rate),
        order_status=OrderStatus.COMPLETED,
    )
    clearing = platform_account(purpose=AccountPurpose.PAYMENTS_CLEARING)
    escrow = platform_account(purpose=AccountPurpose.ESCROW)
    payable = platform_account(purpose=AccountPurpose.CONSIGNMENT_PAYABLE)
    orders = Order.objects.filter(pk__in=[c.order_id for c in consignments]).prefetch_related("payments")
    payments, sales = [], []
    for order in orders:
        payment = order.payments.all()[0]
        payments.append(
            Posting(
                key=f"payment:{payment.pk}",
                cause=Cause.PAYMENT,
                lines=[(clearing, -payment.amount), (escrow, payment.amount)],
                reference=order.number,
                detail=order.title,
            )
        )
        sales.append(
            Posting(
                key=sale_key(order.pk),
                cause=Cause.SALE,
                lines=[(escrow, -order.price), (payable, order.price)],
                reference=order.number,
                detail=order.title,
            )
        )
    ledger_post_many(payments + sales)
    return [consignment.pk for consignment in consignments]
