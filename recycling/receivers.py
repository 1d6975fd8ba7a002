"""recycling's side of the signals from below, connected in apps.py.

The inspection desk's signals (inspection/signals.py) are sent after the inspection has committed, so
a failure here cannot undo it: each handler applies the news in its own transaction
(recycling/services/outcome.py), safe to run twice.

shipping's `shipment_moved` is sent inside the transaction that moved the parcel, with its row lock
held: the submission moves with it, or refuses the move (recycling/services/shipping.py).
"""

from inspection.models import Inspection
from inspection.subjects import SubjectDetails
from recycling.selectors import submission_declarations
from recycling.services.outcome import submission_inspection_completed, submission_inspection_started
from recycling.services.shipping import submission_shipment_moved
from shipping.models import Shipment, ShipmentPurpose


def on_inspection_started(sender, *, inspection: Inspection, **kwargs) -> None:
    submission_inspection_started(inspection=inspection)


def on_inspection_completed(sender, *, inspection: Inspection, **kwargs) -> None:
    submission_inspection_completed(inspection=inspection)


def on_shipment_moved(sender, *, shipment: Shipment, old_status: str, **kwargs) -> None:
    if shipment.purpose in (ShipmentPurpose.INBOUND, ShipmentPurpose.SELLER_RETURN):
        submission_shipment_moved(shipment=shipment, old_status=old_status)


def on_subjects_described(sender, *, codes: list[str], **kwargs) -> dict[str, SubjectDetails]:
    return submission_declarations(codes=codes)
