"""`live_shows_row`: the row of shows live now and coming, for the top of the channel's home page.
Lazy: the shows are read only by a page that shows the row, and the rendered row is kept for
ROW_TTL seconds per language, so a busy home page reads them a few times a minute at most."""

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from live.selectors import shows_upcoming

ROW_TTL = 15
ROW_SIZE = 12


def _row() -> SafeString:
    key = f"live:shows-row:v1:{get_language()}"
    html = cache.get(key)
    if html is None:
        shows = list(shows_upcoming(limit=ROW_SIZE))
        html = render_to_string("live/_show_row.html", {"shows": shows}) if shows else ""
        cache.set(key, html, ROW_TTL)
    return mark_safe(html)  # noqa: S308 - rendered by our own template above


def live_shows(request: HttpRequest) -> dict:
    return {"live_shows_row": SimpleLazyObject(_row)}
