"""The Jinja2 environment (settings.TEMPLATES) for the few templates that render in loops on the busiest pages (the
channel's item cards): Jinja2 compiles a template to Python once, where Django's engine walks its
nodes on every render, so 24 cards cost a fraction of what they did. Everything else is a Django
template. The filters are the Django ones the cards use, so both engines say the same thing."""

from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from jinja2 import Environment

from listings.templatetags.channel import grade_label, srcset, status_label, thumb
from marketplace.templatetags.languages import lang_attr
from marketplace.templatetags.money import money


def environment(**options: Any) -> Environment:
    env = Environment(**options)  # noqa: S701 - the backend turns autoescape on (Django's default)
    env.globals.update(url=lambda name, *args: reverse(name, args=args), static=static)
    env.filters.update(
        grade_label=grade_label,
        lang_attr=lang_attr,
        money=money,
        srcset=srcset,
        status_label=status_label,
        thumb=thumb,
    )
    return env
