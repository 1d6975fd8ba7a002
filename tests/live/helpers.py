"""What the live tests share: a user the platform allows to host."""

from django.contrib.auth.models import Permission

from tests.factories import UserFactory


def a_host(username: str = "host", **fields):
    """A seller with the `live.host_show` permission."""
    user = UserFactory(username=username, **fields)
    user.user_permissions.add(Permission.objects.get(codename="host_show"))
    return user
