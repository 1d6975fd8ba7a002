"""Every message an inspection's audit trail can show (InspectionEvent.message), rendered in the reader's
language. Parameters: `name` is a person's public name, `check` a check's code, `grade` and `computed`
grade codes, `outcome`, `reason` and `verdict` codes of their choices. What a person typed (an override
reason, an authenticator's note) is the event's note, shown after the message."""

from django.utils.translation import gettext_lazy as _

from inspection.models import CheckOutcome, FailReason, Verdict
from marketplace.status_events import Catalog, Message

MESSAGES: Catalog = {
    "queued": _("Received; waiting for inspection."),
    "claimed": _("Claimed by %(name)s."),
    "released": _("Handed back to the queue by %(name)s."),
    "check.recorded": Message(_("Check %(check)s recorded: %(outcome)s."), labels={"outcome": CheckOutcome}),
    "failed": Message(_("Failed: %(reason)s."), labels={"reason": FailReason}),
    "passed": _("Passed. Grade %(grade)s."),
    # followed by the inspector's reason for changing the computed grade
    "passed.grade_changed": _("Passed. Grade %(grade)s (computed %(computed)s):"),
    "awaiting_authenticators": _("Inspected; waiting for two authenticators. Grade %(grade)s."),
    "awaiting_authenticators.grade_changed": _(
        "Inspected; waiting for two authenticators. Grade %(grade)s (computed %(computed)s):"
    ),
    # followed by the authenticator's note
    "verdict.given": Message(_("Authenticity verdict: %(verdict)s."), labels={"verdict": Verdict}),
    "authenticated.genuine": _("Authenticated: genuine."),
    "authenticated.counterfeit": _("Authenticated: counterfeit."),
    "authenticators.disagree": _("The authenticators disagree; escalated."),
}
