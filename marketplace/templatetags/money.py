import functools
from collections.abc import Callable
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


def _format_number(number: Decimal, separators: tuple[str, int, str]) -> str:
    """`number` (in cents) with the language's separators. Python's own format for the common
    groupings (by threes, or none), which costs a tenth of Django's number_format that the others
    take."""
    decimal_separator, grouping, thousand_separator = separators
    if number.is_zero():
        number = number.copy_abs()  # no "-0.00"
    if not thousand_separator:
        return f"{number:.2f}".replace(".", decimal_separator)
    if grouping == 3:
        return f"{number:,.2f}".translate({ord(","): thousand_separator, ord("."): decimal_separator})
    return numberformat.format(
        number,
        decimal_separator,
        decimal_pos=2,
        grouping=grouping,
        thousand_sep=thousand_separator,
        force_grouping=True,
    )


@register.filter
def money(amount: Decimal | int | None) -> str:
    """`{{ listing.price|money }}` → `¥1,299.00` in the deployment's currency."""
    return money_format()(amount)


def money_format() -> Callable[[Decimal | int | None], str]:
    """`money` for the active language, looked up once: for a list that writes many amounts."""
    symbol = SYMBOLS.get(settings.CURRENCY, settings.CURRENCY + " ")
    separators = _separators(get_language())

    def write(amount: Decimal | int | None) -> str:
        if amount in (None, ""):
            return ""
        return f"{symbol}{_format_number(quantize(amount), separators)}"

    return write
