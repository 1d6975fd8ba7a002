"""What the feed's creators hear from below: orders paid, completed and refunded move a creator's
commission on them (feed.services.commissions); a visitor signing in keeps the link clicks they made
signed out. Each runs after the change committed, in its own transaction; one that fails is caught up
by the sweep (feed.tasks.settle_creator_commissions)."""

from django.http import HttpRequest

from accounts.models import User

# The session's list of a signed-out visitor's clicks on creators' links (feed.views.creators).
SESSION_CLICKS = "creator_clicks"


def on_order_paid(sender, *, order, **kwargs) -> None:
    from feed.services.commissions import commission_attribute

    commission_attribute(order_id=order.pk)


def on_order_completed(sender, *, order, **kwargs) -> None:
    from feed.services.commissions import commission_pay

    commission_pay(order_id=order.pk)


def on_order_refunded(sender, *, order, **kwargs) -> None:
    from feed.services.commissions import commission_reverse

    commission_reverse(order_id=order.pk)


def on_signed_in(sender, *, request: HttpRequest | None, user: User, **kwargs) -> None:
    from feed.services.creators import link_clicks_claim

    if request is None or not hasattr(request, "session"):
        return
    click_ids = request.session.pop(SESSION_CLICKS, [])
    if click_ids:
        link_clicks_claim(user=user, click_ids=click_ids)
