from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def machine_datetime(value: datetime | None) -> str:
    """`<time datetime="{{ event.at|machine_datetime }}">`: the instant in the site's time zone, to the
    second. HTML allows at most three digits of a second, and Django's `date:'c'` writes six."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


@register.filter
def before_stop(value: object) -> str:
    """A formatted date or time that ends a sentence: without its own final period, so that
    "until 10:24 p.m." does not end in "p.m..". `{{ at|time:"TIME_FORMAT"|before_stop }}.`"""
    text = str(value)
    return text[:-1] if text.endswith(".") else text
