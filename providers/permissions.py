"""The API's permission for decisions about the whole marketplace (routing, providers' figures,
stores and deposits): Reloop's own operations staff. A partner's staff work their own queues."""

from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission

from accounts.roles import OPERATIONS, has_role
from providers.scope import provider_scope


class PlatformOperations(BasePermission):
    """Operations staff of Reloop itself: a partner's staff work their own queues, not the marketplace's."""

    message = gettext_lazy("Only Reloop's own operations staff may do this.")

    def has_permission(self, request, view) -> bool:
        return has_role(request.user, OPERATIONS) and provider_scope(request.user) is None
