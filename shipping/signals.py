"""What shipping tells the apps above it.

- `shipment_moved(sender=Shipment, shipment=..., old_status=..., event=...)`: a shipment's status
  changed, or a carrier event for it was stored. `shipment.status` is the new status and `old_status`
  the one before (equal to it when only an event arrived); `event` is the stored CarrierEvent, or None
  when the move did not come from the carrier (a label booked or voided, the receiving desk).

  It is sent inside the transaction that made the change, with the shipment's row lock held, so a
  receiver's writes commit or roll back with it; a receiver that raises a DomainError refuses the
  change (a label booked for a submission that can no longer ship is voided). Receivers look at
  `shipment.purpose` and `shipment.reference`. recycling follows inbound parcels and returns to
  sellers; orders follows sales, person-to-person parcels (a private seller's prepaid label being
  issued ships the order, or is refused) and buyers' returns.
"""

from django.dispatch import Signal

shipment_moved = Signal()
