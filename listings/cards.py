"""The channel's item cards: one template (templates/listings/_cards.jinja) for every list of items
(category and search results, home sections, storefronts, favourites, similar items), rendered by
Jinja2 because a page renders up to 24 of them on every uncached request. Django templates include
them with `{% cards listings %}` (listings.templatetags.channel)."""

from collections.abc import Callable, Iterable

from django.http import HttpRequest
from django.template import engines
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from listings.models import Listing

# A number standing for a listing's id in the one URL the cards' links are made from.
_ID_MARK = "918273645546372819"


def _detail_path() -> Callable[[int], str]:
    """The path of a listing's page by its id, from one `reverse` (a page of cards would otherwise
    reverse its URL 24 times, in the active language's prefix)."""
    before, after = reverse("listings:detail", args=[_ID_MARK]).split(_ID_MARK)
    return lambda pk: f"{before}{pk}{after}"


def cards_html(
    listings: Iterable[Listing], *, favourite_buttons: bool = False, request: HttpRequest | None = None
) -> SafeString:
    """The cards of `listings` as a grid; with a "Remove" button on each for a shopper's favourites
    (which needs the request, for its CSRF token and the page to come back to)."""
    labels = {
        "price_new": gettext("Price new"),
        "inspected": gettext("Inspected"),
        "authenticated": gettext("Authenticated"),
        "remove": gettext("Remove"),
    }
    template = engines["jinja2"].get_template("listings/_cards.jinja")
    html = template.render(
        {
            "listings": listings,
            "labels": labels,
            "favourite_buttons": favourite_buttons,
            "detail_path": _detail_path(),
        },
        request=request,
    )
    return mark_safe(html)  # noqa: S308 - rendered by an autoescaping template
