from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecyclingConfig(AppConfig):
    name = "recycling"
    verbose_name = _("Recycling and consignment intake")

    def ready(self) -> None:
        import recycling.notices  # noqa: F401 - registers the notification kinds it sends
        from inspection.models import Inspection
        from inspection.signals import inspection_completed, inspection_started, subjects_described
        from recycling import receivers
        from shipping.models import Shipment
        from shipping.signals import shipment_moved

        inspection_started.connect(
            receivers.on_inspection_started, sender=Inspection, dispatch_uid="recycling.inspection_started"
        )
        inspection_completed.connect(
            receivers.on_inspection_completed,
            sender=Inspection,
            dispatch_uid="recycling.inspection_completed",
        )
        subjects_described.connect(
            receivers.on_subjects_described, sender=Inspection, dispatch_uid="recycling.subjects_described"
        )
        shipment_moved.connect(
            receivers.on_shipment_moved, sender=Shipment, dispatch_uid="recycling.shipment_moved"
        )
