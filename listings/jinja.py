"""The Jinja2 environment (settings.TEMPLATES) for the few templates on the busiest pages that render
on every uncached request: the channel's item cards, its results and its filter panel, and the body
of a listing's page. Jinja2 compiles a template to Python once, where Django's engine walks its nodes
on every render, so they cost a fraction of what they did. Everything else is a Django template.

The filters are the Django ones those templates use, so both engines say the same thing. Text is
translated with `{{ _("…") }}`, which `manage.py makemessages` finds in .jinja files as it does in
Django templates (the Makefile's `messages` target names the extension); a message with values is
`{{ _("… %(name)s …")|interpolate(name=value) }}`, which escapes the values and keeps the message's
own markup."""

import functools
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import date_format
from django.utils.html import linebreaks
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext
from jinja2 import Environment
from markupsafe import Markup

from listings.templatetags.channel import grade_label, percent_below, srcset, status_label, thumb
from marketplace.templatetags.languages import lang_attr
from marketplace.templatetags.money import money


def interpolate(message: str, **values: Any) -> Markup:
    """A translated message with its `%(name)s` values filled in, escaped."""
    return Markup(message) % values  # noqa: S704 - our own translated message; the values are escaped


def paragraphs(text: str) -> Markup:
    """Plain text as HTML paragraphs, escaped, as Django's `linebreaks` filter makes them."""
    return Markup(linebreaks(text, autoescape=True))  # noqa: S704 - linebreaks escapes the text


def local_date(moment: datetime, format_name: str) -> str:
    """A moment's date in the active language's format (`"DATE_FORMAT"`, `"YEAR_MONTH_FORMAT"`), in
    the site's time zone, as Django's `date` filter shows it."""
    return date_format(localtime(moment), format_name)


def unless_none(value: Any) -> Any:
    """The value, or "" for None (a form field never filled in)."""
    return "" if value is None else value


def cards(listings: Iterable) -> Markup:
    """The item cards of a list (listings.cards)."""
    from listings.cards import cards_html  # listings.cards renders with this environment

    return Markup(cards_html(listings))  # noqa: S704 - rendered by an autoescaping template


@functools.lru_cache(maxsize=4096)
def _reversed(language: str | None, prefix: str, urlconf: str | None, name: str, args: tuple) -> str:
    return reverse(name, args=args, urlconf=urlconf)


def url(name: str, *args: Any) -> str:
    """`{{ url('listings:detail', listing.pk) }}`: Django's reverse, remembered by each process for
    the language, script prefix and URLconf it was made in (a path depends on nothing else), as a
    listing's page asks for about ten."""
    return _reversed(get_language(), get_script_prefix(), get_urlconf(), name, args)


def environment(**options: Any) -> Environment:
    env = Environment(**options)  # noqa: S701 - the backend turns autoescape on (Django's default)
    env.globals.update(url=url, static=static, _=gettext, cards=cards)
    env.filters.update(
        grade_label=grade_label,
        interpolate=interpolate,
        lang_attr=lang_attr,
        linebreaks=paragraphs,
        local_date=local_date,
        money=money,
        percent_below=percent_below,
        srcset=srcset,
        status_label=status_label,
        thumb=thumb,
        unless_none=unless_none,
    )
    return env
