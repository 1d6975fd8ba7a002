from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsignmentConfig(AppConfig):
    name = "consignment"
    verbose_name = _("Consignment")

    def ready(self) -> None:
        import consignment.notices  # noqa: F401 - registers the notification kinds it sends
        from consignment import receivers
        from orders.models import Order
        from orders.signals import order_paid, order_returned

        order_paid.connect(receivers.on_order_paid, sender=Order, dispatch_uid="consignment.order_paid")
        order_returned.connect(
            receivers.on_order_returned, sender=Order, dispatch_uid="consignment.order_returned"
        )
