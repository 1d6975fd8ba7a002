"""Every message a show's timeline can show (ShowEvent.message), rendered in the reader's language.
Parameters: `items` a number of line-up items, `rsvps` a number of shoppers told."""

from django.utils.translation import gettext_lazy as _

from marketplace.status_events import Catalog

MESSAGES: Catalog = {
    "show.scheduled": _("Scheduled with %(items)s items in the line-up."),
    "show.started": _("The host went live; %(rsvps)s shoppers who asked were told."),
    "show.cancelled": _("The host called the show off."),
    "show.ended": _("The host ended the show."),
}
