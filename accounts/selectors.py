"""Reads for accounts, shared by pages and the API."""

from accounts.models import Address, User


def addresses_of(user: User) -> list[Address]:
    """The user's address book: the default first, then the newest. One query."""
    return list(Address.objects.filter(user_id=user.pk))


def default_address_of(user: User) -> Address | None:
    """The address checkout and courier pickup offer first, or None when the user has saved none."""
    return Address.objects.filter(user_id=user.pk, is_default=True).first()


def address_of(user: User, address_id: int) -> Address:
    """One of the user's addresses. Raises Address.DoesNotExist, for another user's address too."""
    return Address.objects.get(user_id=user.pk, pk=address_id)
