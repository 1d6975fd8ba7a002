"""What consignment does with the orders app's news (connected in apps.py).

- `order_paid`: a consigned listing was paid for; its consignment is SOLD. Safe to deliver twice.
- `order_returned`: the buyer returned it and the listing is on sale again; the consignment is
  LISTED again. Safe to deliver twice.

Settlement does not listen to `order_completed`: it reads the order's status itself.
"""

from consignment.services.lifecycle import consignment_relisted, consignment_sold
from listings.models import ListingSource
from orders.models import Order


def on_order_paid(sender: type, order: Order, **kwargs: object) -> None:
    if order.source != ListingSource.CONSIGNED:
        return
    consignment_sold(order_id=order.pk)


def on_order_returned(sender: type, order: Order, **kwargs: object) -> None:
    if order.source != ListingSource.CONSIGNED:
        return
    consignment_relisted(order_id=order.pk)
