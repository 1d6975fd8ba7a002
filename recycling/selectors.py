"""Reads shared by the submission pages and the API."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User
from accounts.roles import STAFF_GROUPS
from recycling.models import Submission


def is_staff_member(user: User | AnonymousUser) -> bool:
    """Anyone in a staff group (or a superuser) may look at any submission."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=STAFF_GROUPS).exists()


def submissions_visible_to(user: User | AnonymousUser) -> QuerySet[Submission]:
    """The submissions this person may see: their own, or every one for staff. Anything else is a 404."""
    queryset = Submission.objects.select_related("category", "brand", "catalog_model", "seller")
    if is_staff_member(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(seller_id=user.pk)
