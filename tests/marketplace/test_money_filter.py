"""The `money` filter writes amounts as Django's number_format would, in every language's format."""

import random
from decimal import Decimal

import pytest
from django.utils import numberformat, translation

from marketplace.money import quantize
from marketplace.templatetags.money import _format_number, _separators, money

_RANDOM = random.Random(7)
AMOUNTS = [
    Decimal("0"),
    Decimal("-0.004"),
    Decimal("0.005"),
    Decimal("999.995"),
    Decimal("1000"),
    Decimal("-1000.5"),
    Decimal("123456789.99"),
    *(Decimal(_RANDOM.randint(-(10**11), 10**11)) / 100 for _ in range(2000)),
]


@pytest.mark.parametrize("language", ["en", "zh-hans", "de", "fr", "hi"])
def test_every_amount_is_written_as_number_format_writes_it(language):
    decimal_separator, grouping, thousand_separator = separators = _separators(language)
    for amount in AMOUNTS:
        number = quantize(amount)
        expected = numberformat.format(
            number,
            decimal_separator,
            decimal_pos=2,
            grouping=grouping,
            thousand_sep=thousand_separator,
            force_grouping=True,
        )
        assert _format_number(number, separators) == expected, amount


def test_english_groups_by_thousands_and_chinese_does_not(settings):
    settings.CURRENCY = "CNY"
    with translation.override("en"):
        assert money(Decimal("1299")) == "¥1,299.00"
        assert money(Decimal("-0.001")) == "¥0.00"
    with translation.override("zh-hans"):
        assert money(Decimal("1234567.5")) == "¥1234567.50"
    assert money(None) == ""
