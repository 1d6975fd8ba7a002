"""What selling to Reloop tells the seller (notifications.notify): the inspection's result with the
final offer, an item that failed and comes back, the return parcel's tracking number, and the cash
paid into the wallet. Each once per submission (the key names the submission and the step)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inspection.models import FailReason, Inspection, InspectionResult
from listings.models import Grade
from notifications.kinds import Group, Kind, register
from notifications.services import notify
from recycling.models import Offer, OfferKind, Submission
from recycling.offers import payout
from shipping.carriers import CARRIER_NAMES
from shipping.models import Shipment

# Parameters: `title` and `code` the submission's, `grade` and `grade_label` a Grade code (shown as
# the code and as its label), `reason` a FailReason code,
# `cash`, `price`, `payout` and `amount` strings of Decimals, `valid_until` an ISO date, `carrier` a
# carrier code and `tracking` its tracking number.
register(
    Kind(
        "submission.offer",
        Group.SELL_WITH_US,
        _("Your item was inspected and your offer is ready"),
        _("%(title)s passed inspection: your offer"),
        _(
            "Your item %(title)s (%(code)s) passed our inspection with grade %(grade)s (%(grade_label)s). Our offer: %(cash)s in "
            "cash now, or we sell it for you at %(price)s and pay you %(payout)s once it sells. It is valid "
            "until %(valid_until)s."
        ),
        money=("cash", "price", "payout"),
        dates=("valid_until",),
        labels={"grade_label": Grade},
    ),
    Kind(
        "submission.passed",
        Group.SELL_WITH_US,
        pgettext_lazy("notification", "Your item passed inspection"),
        _("%(title)s passed inspection"),
        _(
            "Your item %(title)s (%(code)s) passed our inspection with grade %(grade)s (%(grade_label)s). Your final offer "
            "follows shortly."
        ),
        labels={"grade_label": Grade},
    ),
    Kind(
        "submission.failed",
        Group.SELL_WITH_US,
        _("Your item did not pass inspection"),
        _("%(title)s did not pass inspection"),
        _(
            "Your item %(title)s (%(code)s) did not pass our inspection: %(reason)s. We are sending it back "
            "to you free of charge; the tracking number follows."
        ),
        labels={"reason": FailReason},
    ),
    Kind(
        "submission.returning",
        Group.SELL_WITH_US,
        _("Your item is on its way back"),
        _("%(title)s is on its way back to you"),
        _(
            "We are sending %(title)s (%(code)s) back to you free of charge with %(carrier)s, tracking "
            "number %(tracking)s."
        ),
        labels={"carrier": CARRIER_NAMES},
    ),
    Kind(
        "submission.paid",
        Group.WALLET,
        _("Reloop paid for your item"),
        _("%(amount)s for %(title)s is in your wallet"),
        _("We paid %(amount)s for %(title)s (%(code)s) into your wallet. You can withdraw it to your bank."),
        money=("amount",),
    ),
)


def submission_notify_result(*, submission: Submission, inspection: Inspection) -> None:
    """Tell the seller how the inspection went: the offer (or that it follows), or the failure. Inside
    the caller's transaction; once per submission."""
    base = {"title": submission.title, "code": submission.code}
    key = f"submission:{submission.pk}:result"
    if inspection.result != InspectionResult.PASSED:
        notify(
            recipient=submission.seller,
            kind="submission.failed",
            params={**base, "reason": inspection.fail_reason},
            link=reverse("recycling:detail", args=[submission.pk]),
            key=key,
        )
        return
    offer = Offer.objects.filter(submission=submission, kind=OfferKind.FINAL).first()
    if offer is None or offer.list_price is None or offer.commission_rate is None:
        notify(
            recipient=submission.seller,
            kind="submission.passed",
            params={**base, "grade": inspection.grade, "grade_label": inspection.grade},
            link=reverse("recycling:detail", args=[submission.pk]),
            key=key,
        )
        return
    notify(
        recipient=submission.seller,
        kind="submission.offer",
        params={
            **base,
            "grade": inspection.grade,
            "grade_label": inspection.grade,
            "cash": offer.cash_amount,
            "price": offer.list_price,
            "payout": payout(offer.list_price, offer.commission_rate),
            "valid_until": timezone.localtime(offer.valid_until).date(),
        },
        link=reverse("recycling:offer", args=[submission.pk]),
        key=key,
    )


def submission_notify_returning(*, submission: Submission, shipment: Shipment) -> None:
    """Tell the seller the tracking number of the parcel coming back; once per parcel."""
    notify(
        recipient=submission.seller,
        kind="submission.returning",
        params={
            "title": submission.title,
            "code": submission.code,
            "carrier": shipment.carrier,
            "tracking": shipment.tracking_number,
        },
        link=reverse("recycling:detail", args=[submission.pk]),
        key=f"submission:{submission.pk}:returning:{shipment.pk}",
    )


def submission_notify_paid(*, submission: Submission, amount) -> None:
    """Tell the seller the cash offer was paid into their wallet; once per submission."""
    notify(
        recipient=submission.seller,
        kind="submission.paid",
        params={"title": submission.title, "code": submission.code, "amount": amount},
        link=reverse("wallet:home"),
        key=f"submission:{submission.pk}:paid",
    )
