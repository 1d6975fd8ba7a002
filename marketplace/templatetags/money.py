from decimal import Decimal

from django import template
from django.conf import settings
from django.utils.formats import number_format

from marketplace.money import quantize

register = template.Library()

SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}


@register.filter
def money(amount: Decimal | int | None) -> str:
    """`{{ listing.price|money }}` → `¥1,299.00` in the deployment's currency."""
    if amount in (None, ""):
        return ""
    symbol = SYMBOLS.get(settings.CURRENCY, settings.CURRENCY + " ")
    return f"{symbol}{number_format(quantize(amount), decimal_pos=2, force_grouping=True)}"
