from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.utils.translation import gettext_lazy as _


def _tree_kept(sender: object, **kwargs: object) -> None:
    from listings.selectors import category_tree_for_request

    category_tree_for_request(started=True)


def _tree_dropped(sender: object, **kwargs: object) -> None:
    from listings.selectors import category_tree_for_request

    category_tree_for_request(started=False)


class ListingsConfig(AppConfig):
    name = "listings"
    verbose_name = _("Listings")

    def ready(self) -> None:
        import listings.notices  # noqa: F401 - registers the notification kinds it sends

        # A page reads the category tree once, however many of its selectors need it.
        request_started.connect(_tree_kept, dispatch_uid="listings.category_tree.kept")
        request_finished.connect(_tree_dropped, dispatch_uid="listings.category_tree.dropped")
