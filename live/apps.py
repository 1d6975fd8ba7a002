from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Live shows")

    def ready(self) -> None:
        import live.notices  # noqa: F401 - registers the notification kinds it sends
        from listings.models import Listing
        from listings.signals import listing_explained
        from live import receivers
        from orders.models import Order
        from orders.signals import order_paid, order_released

        order_released.connect(receivers.on_order_released, sender=Order, dispatch_uid="live.order_released")
        order_paid.connect(receivers.on_order_paid, sender=Order, dispatch_uid="live.order_paid")
        # The item's page, its report and a dispute about it show its clips (listings.explanations).
        listing_explained.connect(
            receivers.on_listing_explained, sender=Listing, dispatch_uid="live.listing_explained"
        )
