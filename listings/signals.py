"""What the channel tells the apps above it, and what it asks them.

- `listing_withdrawn(sender=Listing, listing_id=...)`: the seller took a listing off sale; orders
  declines the offers still open on it and tells their shoppers. Sent after the change has committed.
- `listing_explained(sender=Listing, listing_id=..., limit=...)`: not news but a question, asked while
  a page about an item is built (its page, its inspection report, a dispute about it): how did hosts
  explain it on camera? A receiver answers with a list of `listings.explanations.ExplanationClip`,
  newest first and at most `limit` (all when None), in one query (live, for its shows' clips).
"""

from django.dispatch import Signal

listing_withdrawn = Signal()
listing_explained = Signal()
