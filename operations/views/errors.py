"""Branded error pages. 404 and 500 are Django's own views with templates/404.html and 500.html;
403 is here, because it names the role the page needs."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import ROLE_LABELS, RoleRequired

logger = logging.getLogger("reloop.access")


def permission_denied(request: HttpRequest, exception: PermissionDenied) -> HttpResponse:
    """The 403 page: which role would open this page, and the ways back. The refusal is logged in
    one line (operations.logging drops Django's own line with its traceback)."""
    roles = exception.roles if isinstance(exception, RoleRequired) else ()
    logger.warning(
        "refused %s %s to %s: %s",
        request.method,
        request.path,
        request.user.get_username() or "a visitor",
        f"needs {' or '.join(roles)}" if roles else "not theirs",
    )
    labels = [ROLE_LABELS.get(role, role) for role in roles]
    return render(request, "403.html", {"roles": labels}, status=403)
