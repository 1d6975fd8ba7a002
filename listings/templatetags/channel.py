"""Template filters for the channel's cards and detail page: thumbnail URLs and price comparisons.

Filters rather than inclusion tags, because cards render in loops and a filter costs a function call
where an inclusion tag renders a template."""

from collections.abc import Iterable
from decimal import Decimal

from django import template
from django.conf import settings

from listings.models import Grade, Listing, ListingStatus, thumbnail_url

register = template.Library()

# Model.get_FOO_display() rebuilds a dict of every (lazy, translated) choice on each call; a card
# needs two labels, so look them up in dicts built once.
GRADE_LABELS = dict(Grade.choices)
STATUS_LABELS = dict(ListingStatus.choices)


@register.filter
def grade_label(code: str) -> str:
    """`{{ listing.grade|grade_label }}` → "Excellent", in the active language."""
    return str(GRADE_LABELS.get(code, code))


@register.filter
def status_label(code: str) -> str:
    """`{{ listing.status|status_label }}` → "Sold", in the active language."""
    return str(STATUS_LABELS.get(code, code))


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


@register.simple_tag(takes_context=True)
def cards(context: template.Context, listings: Iterable[Listing], favourite_buttons: bool = False) -> str:
    """`{% cards page.items %}`: the item cards of a list (listings.cards)."""
    from listings.cards import cards_html  # the Jinja2 environment imports this module's filters

    return cards_html(listings, favourite_buttons=favourite_buttons, request=context.get("request"))
