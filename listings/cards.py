"""The channel's item cards: one template (templates/listings/_cards.jinja) for every list of items
(category and search results, home sections, storefronts, favourites, similar items), rendered by
Jinja2 because a page renders up to 24 of them on every uncached request. Django templates include
them with `{% cards listings %}` (listings.templatetags.channel)."""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.template import engines
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from listings.models import Listing, thumbnail_url

if TYPE_CHECKING:
    from listings.selectors import Card
from listings.templatetags.channel import GRADE_LABELS, STATUS_LABELS, srcset
from marketplace.templatetags.money import money_format

# A number standing for a listing's id in the one URL the cards' links are made from.
_ID_MARK = "918273645546372819"


def _detail_path() -> Callable[[int], str]:
    """The path of a listing's page by its id, from one `reverse` (a page of cards would otherwise
    reverse its URL 24 times, in the active language's prefix)."""
    before, after = reverse("listings:detail", args=[_ID_MARK]).split(_ID_MARK)
    return lambda pk: f"{before}{pk}{after}"


def cards_html(
    listings: Iterable["Card | Listing"],
    *,
    favourite_buttons: bool = False,
    request: HttpRequest | None = None,
) -> SafeString:
    """The cards of `listings` as a grid; with a "Remove" button on each for a shopper's favourites
    (which needs the request, for its CSRF token and the page to come back to).

    What depends only on the page's language (labels, the price format) is worked out here once, not
    in a filter per card: a page renders 24 cards, and each filter would look the active language up
    again."""
    language = get_language()
    labels = {
        "price_new": gettext("Price new"),
        "inspected": gettext("Inspected"),
        "authenticated": gettext("Authenticated"),
        "remove": gettext("Remove"),
    }
    price = money_format()
    grades = {code: str(label) for code, label in GRADE_LABELS.items()}
    statuses = {code: str(label) for code, label in STATUS_LABELS.items()}
    detail_path = _detail_path()
    # What each card writes, worked out here in one pass: a template calling a function per value
    # spent more on the calls than on the card.
    cards = [
        (
            listing,
            detail_path(listing.pk),
            thumbnail_url(listing.cover_key, 480) if listing.cover_key else "",
            srcset(listing.cover_key) if listing.cover_key else "",
            # the title's language, when it is not the page's
            listing.language if listing.language and listing.language != language else "",
            "" if listing.brand is None else listing.brand.label_in(language),
            price(listing.price),
            price(listing.reference_price) if listing.reference_price else "",
            grades.get(listing.grade, listing.grade),
            "" if listing.status == "active" else statuses.get(listing.status, listing.status),
        )
        for listing in listings
    ]
    template = engines["jinja2"].get_template("listings/_cards.jinja")
    html = template.render(
        {"cards": cards, "labels": labels, "favourite_buttons": favourite_buttons},
        request=request,
    )
    return mark_safe(html)  # noqa: S308 - rendered by an autoescaping template
