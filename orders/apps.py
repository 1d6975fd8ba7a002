from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        import orders.notices  # noqa: F401 - registers the notification kinds it sends
        from inspection.models import Inspection
        from inspection.signals import inspection_completed, subjects_described
        from listings.models import Listing
        from listings.signals import listing_withdrawn
        from orders import receivers
        from shipping.models import Shipment
        from shipping.signals import shipment_moved

        shipment_moved.connect(
            receivers.on_shipment_moved, sender=Shipment, dispatch_uid="orders.shipment_moved"
        )
        listing_withdrawn.connect(
            receivers.on_listing_withdrawn, sender=Listing, dispatch_uid="orders.listing_withdrawn"
        )
        inspection_completed.connect(
            receivers.on_inspection_completed, sender=Inspection, dispatch_uid="orders.inspection_completed"
        )
        subjects_described.connect(
            receivers.on_subjects_described, sender=Inspection, dispatch_uid="orders.subjects_described"
        )
