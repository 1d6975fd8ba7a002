"""Rendered listing pages kept in the cache, and forgetting them when a listing changes.

A listing's detail page is the same for every shopper but one small part (the favourite button), so
its body is rendered once per language and kept for DETAIL_TTL seconds; the view fills the viewer's
part in per request. Every service that changes what the page shows (details, status, photos) calls
`listing_pages_forget_on_commit`, so a change shows at once; the TTL only bounds how stale the parts
that belong to other listings may get (similar items, the seller's count of items on sale).
"""

from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

DETAIL_TTL = 60
CACHE_VERSION = 1


def detail_key(listing_id: int, language: str) -> str:
    return f"listings:detail:v{CACHE_VERSION}:{listing_id}:{language}"


def listing_pages_forget(listing_id: int) -> None:
    cache.delete_many([detail_key(listing_id, code) for code, _name in settings.LANGUAGES])


def listing_pages_forget_on_commit(listing_id: int) -> None:
    """Forget the listing's cached pages once the caller's transaction commits (at once outside one),
    so that no request can cache the old version again in between."""
    transaction.on_commit(partial(listing_pages_forget, listing_id))
