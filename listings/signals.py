"""What the channel tells the apps above it. Each is sent after the change has committed.

- `listing_withdrawn(sender=Listing, listing_id=...)`: the seller took a listing off sale; orders
  declines the offers still open on it and tells their shoppers.
"""

from django.dispatch import Signal

listing_withdrawn = Signal()
