from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messages")

    def ready(self) -> None:
        import messaging.notices  # noqa: F401 - registers the notification kinds it sends
        from messaging import receivers
        from orders.models import Order
        from orders.signals import order_paid

        order_paid.connect(receivers.on_order_paid, sender=Order, dispatch_uid="messaging.order_paid")
