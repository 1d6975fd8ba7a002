"""Where the demo data may be written.

The demo accounts share a published password (`seed_demo.PASSWORD`) and one of them is a superuser,
so the demo commands run on a development site (DEBUG on) or on a site that says it is a demo
(DEMO=1), never on a production database by mistake.
"""

from django.conf import settings
from django.core.management.base import CommandError


def demo_data_allowed_or_refuse(command: str) -> None:
    """Raise CommandError, saying how to go on, unless DEBUG is on or DEMO=1."""
    if settings.DEBUG or settings.DEMO:
        return
    raise CommandError(
        f"{command} refuses to run with DEBUG off: it creates demo accounts that share the published "
        "password 'reloop-demo', a superuser among them. On a demo or staging site, set DEMO=1."
    )
