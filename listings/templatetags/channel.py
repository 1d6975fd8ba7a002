"""Template filters for the channel's cards and detail page: thumbnail URLs and price comparisons.

Filters rather than inclusion tags, because cards render in loops and a filter costs a function call
where an inclusion tag renders a template."""

from decimal import Decimal

from django import template
from django.conf import settings

from listings.models import thumbnail_url

register = template.Library()


@register.filter
def thumb(key: str, width: int) -> str:
    """`{{ listing.cover_key|thumb:480 }}`: the URL of one thumbnail of a photo."""
    return thumbnail_url(key, int(width))


@register.filter
def srcset(key: str) -> str:
    """`srcset="{{ photo.key|srcset }}"`: every thumbnail width of a photo, for the browser to pick."""
    return ", ".join(f"{thumbnail_url(key, width)} {width}w" for width in settings.LISTING_THUMBNAIL_WIDTHS)


@register.filter
def percent_below(price: Decimal | None, reference: Decimal | None) -> int:
    """How many percent `price` is below `reference` (whole percent), 0 when it is not below."""
    if not price or not reference or reference <= price:
        return 0
    return int((reference - price) * 100 / reference)
