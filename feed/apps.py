from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class FeedConfig(AppConfig):
    name = "feed"
    verbose_name = _("Interest feed")

    def ready(self) -> None:
        from feed import recording
        from listings.models import Favourite
        from messaging.models import Message
        from orders.models import Offer, Order
        from orders.signals import order_paid

        # Signals of interest (feed.recording): a favourite, a shopper's message or offer, a purchase.
        post_save.connect(recording.on_favourite_saved, sender=Favourite, dispatch_uid="feed.favourite")
        post_save.connect(recording.on_offer_saved, sender=Offer, dispatch_uid="feed.offer")
        post_save.connect(recording.on_message_saved, sender=Message, dispatch_uid="feed.message")
        order_paid.connect(recording.on_order_paid, sender=Order, dispatch_uid="feed.order_paid")
