"""The client's address: X-Forwarded-For is believed only as far as the trusted proxies vouch."""

import pytest
from django.test import RequestFactory

from marketplace.client_ip import client_ip


def _request(forwarded: str | None = None):
    extra = {"REMOTE_ADDR": "192.0.2.10"}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_with_no_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(_request("203.0.113.9")) == "192.0.2.10"
    assert client_ip(_request()) == "192.0.2.10"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        # What the client wrote itself sits left of what the proxy appended: ignored.
        (1, "10.0.0.1, 203.0.113.9", "203.0.113.9"),
        (2, "10.0.0.1, 203.0.113.9, 198.51.100.2", "203.0.113.9"),
        # A chain shorter than the proxies: the furthest any proxy vouches for.
        (2, "203.0.113.9", "203.0.113.9"),
        (1, " , ", "192.0.2.10"),
    ],
)
def test_behind_trusted_proxies_the_entry_they_appended_is_used(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_ip(_request(forwarded)) == expected
