"""The staff menu in the header: every desk that the user's roles open, in the order of the work."""

import dataclasses

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import AUTHENTICATORS, INSPECTORS, OPERATIONS, STAFF_GROUPS, roles_of


@dataclasses.dataclass(frozen=True)
class Desk:
    url_name: str
    label: Promise
    roles: tuple[str, ...]  # any one of them opens the desk


DESKS = (
    Desk("desk:index", _("Receiving"), (OPERATIONS,)),
    Desk("inspection:queue", _("Inspection"), (INSPECTORS,)),
    Desk("inspection:authentication", _("Authentication"), (AUTHENTICATORS,)),
    Desk("orders_staff:queue", _("Orders desk"), (OPERATIONS,)),
    Desk("wallet_staff:queue", _("Payouts"), (OPERATIONS,)),
    Desk("messaging_staff:list", _("Reported conversations"), (OPERATIONS,)),
    Desk("feed:creator_staff", _("Creators"), (OPERATIONS,)),
    Desk("trust:staff", _("Stores"), (OPERATIONS,)),
    Desk("trust:violations", _("Violations"), (OPERATIONS,)),
    Desk("live:hosting", _("Live shows"), STAFF_GROUPS),
    Desk("dashboard:home", _("Dashboard"), STAFF_GROUPS),
)


def desks_for(user: User | AnonymousUser) -> list[Desk]:
    """The desks the user may open, in one query for their roles."""
    roles = roles_of(user)
    return [desk for desk in DESKS if roles.intersection(desk.roles)]
