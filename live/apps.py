from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Live shows")

    def ready(self) -> None:
        import live.notices  # noqa: F401 - registers the notification kinds it sends
