"""Account and item numbers as people see them: only their last 4 letters or digits."""

import pytest

from marketplace.masking import mask_tail


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("6222020200116789", "•••• 6789"),
        ("C02XK1ZJJG5J", "•••• JG5J"),
        ("35 693803 564380 9", "•••• 3809"),  # spaces and dashes are not characters of the number
        ("12345", "•••• 2345"),
        ("1234", "••••"),  # its last 4 would be all of it
        ("A-1", "••••"),
        ("", ""),
    ],
)
def test_only_the_last_4_letters_or_digits_are_shown(value, shown):
    assert mask_tail(value) == shown
