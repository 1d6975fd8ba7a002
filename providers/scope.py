"""Whose queues a member of staff works: every provider's for the platform's staff, their own
provider's alone for a partner's staff. Each staff desk and API route narrows what it lists and
what it acts on with `scoped`."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accounts.models import User
from accounts.roles import require_platform_role as require_account_platform_role
from providers.models import Provider, ProviderKind, ProviderMember


def provider_scope(user: User | AnonymousUser) -> int | None:
    """The id of the one provider whose work `user` sees, or None when they see every provider's:
    superusers, members of Reloop's own centre, and staff who belong to no provider (the platform's).
    One query (none for a superuser or a visitor)."""
    if not user.is_authenticated or user.is_superuser:
        return None
    return (
        ProviderMember.objects.filter(user=user, provider__is_platform=False)
        .values_list("provider_id", flat=True)
        .first()
    )


def scoped(rows: QuerySet, user: User | AnonymousUser, *, through: str = "provider") -> QuerySet:
    """`rows` narrowed to the user's provider (`through` names the rows' provider field). One query."""
    return within(rows, provider_scope(user), through=through)


def within(rows: QuerySet, provider_id: int | None, *, through: str = "provider") -> QuerySet:
    """`rows` narrowed to one provider's (all of them for None): for a page that lists several
    queues, with the scope it asked for once."""
    return rows if provider_id is None else rows.filter(**{through: provider_id})


# Reloop's own centre, as providers' migration 0002 makes it.
PLATFORM = {"code": "reloop", "name": "Reloop inspection centre", "kind": ProviderKind.INSPECTION_CENTRE}


def platform_provider() -> Provider:
    """Reloop's own centre (made again as the migration made it, in a database emptied since)."""
    provider, _created = Provider.objects.get_or_create(is_platform=True, defaults=PLATFORM)
    return provider


def require_platform_role(user: User | AnonymousUser, role: str) -> None:
    """accounts.roles.require_platform_role (the role, and not a partner's staff by the account's
    mark), checked again against the membership itself: decisions about the whole marketplace
    (stores, deposits, routing) are Reloop's own staff's. Two queries at most."""
    require_account_platform_role(user, role)
    if provider_scope(user) is not None:
        raise PermissionDenied("a partner's staff work only their own provider's queues")
