"""What consignment does with the orders app's news (connected in apps.py).

- `order_paid`: a consigned listing was paid for; its consignment is SOLD. Safe to deliver twice.

Settlement does not listen to `order_completed`: it reads the order's status itself.
"""

from consignment.services.lifecycle import consignment_sold
from listings.models import ListingSource
from orders.models import Order


def on_order_paid(sender: type, order: Order, **kwargs: object) -> None:
    if order.source != ListingSource.CONSIGNED:
        return
    consignment_sold(order_id=order.pk)
