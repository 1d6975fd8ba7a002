"""What the orders app tells the apps above it. Sent after the change has committed.

- `order_paid(sender=Order, order=...)`: the buyer's payment is in escrow and the listing is sold.
  The consignment app marks a consigned item's consignment sold.
- `order_returned(sender=Order, order=...)`: the buyer returned an inspected item to the centre and
  was refunded; the listing is on sale again. The consignment app puts a consigned item's
  consignment back on sale.
- `order_completed(sender=Order, order=...)`: the buyer is satisfied (confirmed, or the return window
  passed, or a dispute was decided with money left for the seller). For a person-to-person sale the
  seller has been paid and for platform stock the revenue booked; a consigned item's sale waits in
  consignment payable for the consignment app to settle.
- `order_refunded(sender=Order, order=...)`: the buyer got everything back (the order moved to
  refunded, or a dispute was decided with a full refund); no sale was released. The feed app reverses
  a creator's pending commission on it.
- `order_released(sender=Order, order=...)`: an order ended unpaid (its reservation lapsed, or the
  buyer cancelled it) and its listing is on sale again. The live app offers a flash sale's item to the
  next shopper on its wait-list.
"""

from django.dispatch import Signal

order_paid = Signal()
order_returned = Signal()
order_completed = Signal()
order_refunded = Signal()
order_released = Signal()
