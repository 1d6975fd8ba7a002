"""What the live app does when orders tell it something (orders.signals), and what it answers when
the apps below ask (listings.signals)."""

from listings.explanations import ExplanationClip
from live.replay_reads import explanation_clips_of
from live.services.flash import flash_offer_next, flash_sold


def on_order_released(sender, order, **kwargs) -> None:
    flash_offer_next(order_id=order.pk)


def on_order_paid(sender, order, **kwargs) -> None:
    flash_sold(order_id=order.pk)


def on_listing_explained(sender, *, listing_id: int, limit: int | None, **kwargs) -> list[ExplanationClip]:
    return explanation_clips_of(listing_id=listing_id, limit=limit)
