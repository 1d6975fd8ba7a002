import functools
from decimal import Decimal

from django import template
from django.conf import settings
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language

from marketplace.money import quantize

register = template.Library()

SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}


@functools.cache
def _separators(language: str | None) -> tuple[str, int, str]:
    """The language's decimal separator, digit grouping and thousands separator (its format module's,
    which do not change while the process runs): Django's number_format looks them up on every call,
    and a list page formats about fifty prices."""
    return (
        get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
        get_format("NUMBER_GROUPING", language, use_l10n=True),
        get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
    )


@register.filter
def money(amount: Decimal | int | None) -> str:
    """`{{ listing.price|money }}` → `¥1,299.00` in the deployment's currency."""
    if amount in (None, ""):
        return ""
    symbol = SYMBOLS.get(settings.CURRENCY, settings.CURRENCY + " ")
    decimal_separator, grouping, thousand_separator = _separators(get_language())
    number = numberformat.format(
        quantize(amount),
        decimal_separator,
        decimal_pos=2,
        grouping=grouping,
        thousand_sep=thousand_separator,
        force_grouping=True,
    )
    return f"{symbol}{number}"
