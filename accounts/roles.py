"""Staff roles are Django groups, created by a data migration. Check them with `has_role`."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.models import User

INSPECTORS = "inspectors"  # inspect received items against the category checklist
AUTHENTICATORS = "authenticators"  # give authenticity verdicts on luxury items
OPERATIONS = "operations"  # receive parcels, resolve disputes, approve large payouts

STAFF_GROUPS = (INSPECTORS, AUTHENTICATORS, OPERATIONS)
ROLE_LABELS = {INSPECTORS: _("Inspectors"), AUTHENTICATORS: _("Authenticators"), OPERATIONS: _("Operations")}


class RoleRequired(PermissionDenied):
    """A signed-in user lacks the staff role a page needs. The 403 page names the roles that would do."""

    def __init__(self, *roles: str) -> None:
        self.roles = roles
        super().__init__(f"needs one of the roles: {', '.join(roles)}")


def require_role(user: User | AnonymousUser, role: str) -> None:
    """Raise RoleRequired unless the user has `role` (superusers have every role)."""
    if not has_role(user, role):
        raise RoleRequired(role)


def roles_of(user: User | AnonymousUser) -> set[str]:
    """Every staff role the user has, in one query: all of them for a superuser, none for a visitor."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(STAFF_GROUPS)
    return set(user.groups.filter(name__in=STAFF_GROUPS).values_list("name", flat=True))


def has_role(user: User | AnonymousUser, role: str) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=role).exists()


def require_platform_role(user: User | AnonymousUser, role: str) -> None:
    """Raise RoleRequired unless the user has `role`, and PermissionDenied for a partner provider's
    staff: desks of the whole marketplace (payouts, reported conversations, creators, stores) are
    Reloop's own staff's."""
    require_role(user, role)
    if getattr(user, "partner_staff", False):
        raise PermissionDenied("a partner's staff work only their own provider's queues")


def is_platform_role(user: User | AnonymousUser, role: str) -> bool:
    return has_role(user, role) and not getattr(user, "partner_staff", False)
