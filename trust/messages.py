"""Text the system writes on stores, rendered in the reader's language (StoreEvent.message)."""

from django.utils.translation import gettext_lazy as _

from marketplace.status_events import Catalog, Message

MESSAGES: Catalog = {
    "store.applied": _("Trader details sent for verification."),
    "store.verified": _("Trader details verified by Reloop."),
    "store.rejected": _("The trader details could not be verified."),
    "store.closed": Message(
        _("Closed by the owner. What is left of the deposit goes back to the wallet on %(date)s."),
        dates=("date",),
    ),
    "store.deposit_refunded": Message(_("Deposit of %(amount)s returned to the wallet."), money=("amount",)),
}
