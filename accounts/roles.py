"""Staff roles are Django groups, created by a data migration. Check them with `has_role`."""

from django.contrib.auth.models import AnonymousUser

from accounts.models import User

INSPECTORS = "inspectors"  # inspect received items against the category checklist
AUTHENTICATORS = "authenticators"  # give authenticity verdicts on luxury items
OPERATIONS = "operations"  # receive parcels, resolve disputes, approve large payouts

STAFF_GROUPS = (INSPECTORS, AUTHENTICATORS, OPERATIONS)


def has_role(user: User | AnonymousUser, role: str) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=role).exists()
