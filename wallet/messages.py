"""Every message a withdrawal's events can show (WithdrawalEvent.message), rendered in the reader's
language. Why operations refused a withdrawal, and why the payout provider failed it, are kept as
given, in the event's note."""

from django.utils.translation import gettext_lazy as _

from marketplace.status_events import Catalog

MESSAGES: Catalog = {
    "approval.not_needed": _("Below the approval threshold: no approval needed."),
    "payout.failed": _("The payout provider could not make the payment."),
}
