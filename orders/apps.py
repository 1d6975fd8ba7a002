from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        import orders.notices  # noqa: F401 - registers the notification kinds it sends
        from orders import receivers
        from shipping.models import Shipment
        from shipping.signals import shipment_moved

        shipment_moved.connect(
            receivers.on_shipment_moved, sender=Shipment, dispatch_uid="orders.shipment_moved"
        )
