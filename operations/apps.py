from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What staff work from across the apps: the dashboard, the staff menu and the error pages. It
    sits above every business app and reads their figures; none of them imports it."""

    name = "operations"
    verbose_name = _("Operations")
