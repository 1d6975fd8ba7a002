"""Absolute links to the site, for what leaves it (e-mails, a payment provider's return address),
where no request is at hand to build them from."""

from django.conf import settings


def site_link(path: str) -> str:
    """`path` (from reverse()) on the site's public address, settings.SITE_URL."""
    return settings.SITE_URL.rstrip("/") + path
