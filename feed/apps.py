from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class FeedConfig(AppConfig):
    name = "feed"
    verbose_name = _("Interest feed")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        import feed.notices  # noqa: F401 - registers the notification kinds it sends
        from feed import receivers, recording
        from listings.models import Favourite
        from messaging.models import Message
        from orders.models import Offer, Order
        from orders.signals import order_completed, order_paid, order_refunded

        # Signals of interest (feed.recording): a favourite, a shopper's message or offer, a purchase.
        post_save.connect(recording.on_favourite_saved, sender=Favourite, dispatch_uid="feed.favourite")
        post_save.connect(recording.on_offer_saved, sender=Offer, dispatch_uid="feed.offer")
        post_save.connect(recording.on_message_saved, sender=Message, dispatch_uid="feed.message")
        order_paid.connect(recording.on_order_paid, sender=Order, dispatch_uid="feed.order_paid")

        # Creators' commissions (feed.services.commissions), and the link clicks of a visitor who signs in.
        order_paid.connect(receivers.on_order_paid, sender=Order, dispatch_uid="feed.commission_paid")
        order_completed.connect(
            receivers.on_order_completed, sender=Order, dispatch_uid="feed.commission_completed"
        )
        order_refunded.connect(
            receivers.on_order_refunded, sender=Order, dispatch_uid="feed.commission_refunded"
        )
        user_logged_in.connect(receivers.on_signed_in, dispatch_uid="feed.creator_clicks")
