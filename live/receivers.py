"""What the live app does when orders tell it something (orders.signals)."""

from live.services.flash import flash_offer_next, flash_sold


def on_order_released(sender, order, **kwargs) -> None:
    flash_offer_next(order_id=order.pk)


def on_order_paid(sender, order, **kwargs) -> None:
    flash_sold(order_id=order.pk)
