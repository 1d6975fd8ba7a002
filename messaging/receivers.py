"""What messaging does with other apps' news (connected in apps.py)."""

from messaging.services import conversations_attach_order


def on_order_paid(sender, order, **kwargs) -> None:
    """The shopper bought the item: their conversation about it carries on under the order."""
    conversations_attach_order(order_id=order.pk)
