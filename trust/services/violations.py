"""Violation points: staff's decisions with their statement of reasons, the restrictions the points
bring past the published thresholds, their expiry after 90 days, and appeals.

Who may: Reloop's own operations staff decide violations and appeals and set the thresholds; an
appeal is decided by someone other than whoever decided the violation. A seller appeals their own
decisions, within 6 months.
"""

import calendar
from datetime import datetime, timedelta
from itertools import pairwise

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import OPERATIONS
from listings.models import HoldKind, SellingHold
from listings.services import selling_holds_replace
from providers.scope import require_platform_role
from trust.errors import ViolationError
from trust.models import (
    RESTRICTION_ORDER,
    Appeal,
    AppealStatus,
    RestrictionKind,
    Rule,
    Threshold,
    Violation,
)
from trust.notices import appeal_notify_decided, violation_notify_decided

POINTS_LAST = timedelta(days=90)
APPEAL_MONTHS = 6
# The selling hold each restriction writes (listings.messages.HOLDS), and its kind.
HOLDS = {
    RestrictionKind.NO_FLASH_SALES: ("points_no_flash_sales", HoldKind.NO_FLASH_SALES),
    RestrictionKind.LISTING_CAP: ("points_listing_cap", HoldKind.CAP),
    RestrictionKind.SUSPENSION: ("points_suspended", HoldKind.BLOCK),
}
REFRESH_BATCH = 500


def months_later(moment: datetime, months: int) -> datetime:
    """The same day `months` later, or the month's last day when it has fewer days."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def points_of(*, seller_id: int, at: datetime | None = None) -> int:
    """The seller's points that count at `at` (now): decided, not overturned, not yet expired. One query."""
    at = at or timezone.now()
    total = Violation.objects.filter(
        seller_id=seller_id, overturned_at__isnull=True, expires_at__gt=at
    ).aggregate(total=Sum("points"))["total"]
    return total or 0


def restrictions_refresh(
    *, seller: User, at: datetime | None = None, thresholds: dict[str, Threshold] | None = None
) -> list[RestrictionKind]:
    """Hold the seller to every restriction whose threshold their points reach, and lift the rest.
    `thresholds` by kind, when the caller has read them for many sellers at once. Returns the
    restrictions in force, lightest first."""
    points = points_of(seller_id=seller.pk, at=at)
    if thresholds is None:
        thresholds = _thresholds()
    in_force = []
    for kind in RESTRICTION_ORDER:
        reason, hold_kind = HOLDS[kind]
        threshold = thresholds.get(kind)
        applies = threshold is not None and points >= threshold.points
        params: dict[str, int | None] = {"points": points}
        cap = None
        if kind == RestrictionKind.LISTING_CAP and threshold is not None:
            cap = threshold.cap
            params["cap"] = cap
        selling_holds_replace(
            seller=seller, reason=reason, holds=[(None, params)] if applies else [], kind=hold_kind, cap=cap
        )
        if applies:
            in_force.append(kind)
    return in_force


def _thresholds() -> dict[str, Threshold]:
    return {threshold.kind: threshold for threshold in Threshold.objects.all()}


def _text(value: object, *, field: str, low: int, high: int, message: str) -> str:
    text = str(value or "").strip()
    if not low <= len(text) <= high:
        raise ViolationError(message, code=field, field=field)
    return text


@transaction.atomic
def violation_decide(*, seller_id: int, rule_code: str, evidence: object, by: User) -> Violation:
    """Operations decide that a seller broke a rule, with the evidence. The rule's points count for
    90 days; the seller is told, with the statement of reasons and until when they may appeal, and
    the restrictions their points reach apply at once. Raises RoleRequired (PermissionDenied for a
    partner's staff), ViolationError for an unknown rule, no evidence, or a decision about oneself;
    User.DoesNotExist for no such seller."""
    require_platform_role(by, OPERATIONS)
    seller = User.objects.get(pk=seller_id)
    if seller.pk == by.pk:
        raise ViolationError(_("Someone else decides about your own account."), code="own_account")
    rule = Rule.objects.filter(code=str(rule_code or "")).first()
    if rule is None:
        raise ViolationError(_("Choose the rule that was broken."), code="rule", field="rule")
    text = _text(
        evidence,
        field="evidence",
        low=10,
        high=2000,
        message=_("Describe the evidence in 10 to 2,000 characters: the seller reads it."),
    )
    now = timezone.now()
    violation = Violation.objects.create(
        seller=seller,
        rule=rule,
        points=rule.points,
        evidence=text,
        decided_by=by,
        decided_at=now,
        expires_at=now + POINTS_LAST,
        appeal_until=months_later(now, APPEAL_MONTHS),
    )
    restrictions_refresh(seller=seller)
    transaction.on_commit(
        lambda: violation_notify_decided(violation=violation, link=reverse("trust:health")), robust=True
    )
    return violation


@transaction.atomic
def appeal_open(*, violation_id: int, seller: User, statement: object) -> Appeal:
    """The seller appeals a decision about them, saying why it is wrong. Raises ViolationError once
    the 6 months have passed, for an appeal made already or a decision overturned, or a statement
    that is empty or too long; Violation.DoesNotExist for someone else's."""
    violation = Violation.objects.select_for_update().get(pk=violation_id, seller=seller)
    if timezone.now() > violation.appeal_until:
        raise ViolationError(_("The 6 months to appeal this decision have passed."), code="appeal_closed")
    if Appeal.objects.filter(violation=violation).exists():
        raise ViolationError(_("You have appealed this decision already."), code="already_appealed")
    text = _text(
        statement,
        field="statement",
        low=10,
        high=2000,
        message=_("Say in 10 to 2,000 characters why the decision is wrong."),
    )
    return Appeal.objects.create(violation=violation, statement=text)


@transaction.atomic
def appeal_decide(*, appeal_id: int, by: User, overturn: bool, reason: object) -> Appeal:
    """A member of operations other than whoever decided the violation upholds or overturns it, with
    the reason; overturned points stop counting at once and the seller is told either way. Raises
    RoleRequired (PermissionDenied for a partner's staff), ViolationError when `by` decided the
    violation, for an appeal decided already or no reason; Appeal.DoesNotExist for none."""
    require_platform_role(by, OPERATIONS)
    appeal = Appeal.objects.select_for_update().select_related("violation__seller").get(pk=appeal_id)
    if appeal.violation.decided_by_id == by.pk:
        raise ViolationError(
            _("You decided this violation: another member of staff decides the appeal."), code="same_decider"
        )
    if appeal.status != AppealStatus.OPEN:
        raise ViolationError(_("This appeal was decided already."), code="already_decided")
    text = _text(
        reason,
        field="reason",
        low=1,
        high=300,
        message=_("Give the reason for the decision in up to 300 characters."),
    )
    now = timezone.now()
    appeal.status = AppealStatus.OVERTURNED if overturn else AppealStatus.UPHELD
    appeal.decided_by, appeal.reason, appeal.decided_at = by, text, now
    appeal.save()
    if overturn:
        Violation.objects.filter(pk=appeal.violation_id).update(overturned_at=now)
        restrictions_refresh(seller=appeal.violation.seller)
    transaction.on_commit(
        lambda: appeal_notify_decided(appeal=appeal, link=reverse("trust:health")), robust=True
    )
    return appeal


@transaction.atomic
def threshold_set(*, kind: str, points: object, cap: object = None, by: User) -> Threshold:
    """Operations set the points at which a restriction starts (and the listing cap's size). The
    thresholds must rise from the lightest restriction to the heaviest. Every seller with points
    counting is held again at once. Raises ViolationError for points or a cap out of range or out of
    order; nothing changes then."""
    require_platform_role(by, OPERATIONS)
    if kind not in RestrictionKind.values:
        raise ViolationError(_("Choose a restriction."), code="kind", field="kind")
    try:
        value = int(str(points).strip())
    except ValueError:
        value = -1
    if not 1 <= value <= 1000:
        raise ViolationError(
            _("Give the points as a whole number from 1 to 1,000."), code="points", field="points"
        )
    size = None
    if kind == RestrictionKind.LISTING_CAP:
        try:
            size = int(str(cap).strip())
        except ValueError:
            size = 0
        if not 1 <= size <= 10000:
            raise ViolationError(
                _("Give the cap as a number of items from 1 to 10,000."), code="cap", field="cap"
            )
    current = {threshold.kind: threshold.points for threshold in Threshold.objects.select_for_update()}
    current[kind] = value
    ordered = [current[each] for each in RESTRICTION_ORDER if each in current]
    if any(later <= earlier for earlier, later in pairwise(ordered)):
        raise ViolationError(
            _(
                "Thresholds must rise from the lightest restriction to the heaviest: "
                "no flash sales, then the listing cap, then suspension."
            ),
            code="thresholds_out_of_order",
            field="points",
        )
    threshold, _created = Threshold.objects.update_or_create(
        kind=kind, defaults={"points": value, "cap": size}
    )
    sellers = User.objects.filter(
        violations__overturned_at__isnull=True, violations__expires_at__gt=timezone.now()
    )
    thresholds = _thresholds()  # read once for every seller
    for seller in sellers.distinct()[:REFRESH_BATCH]:
        restrictions_refresh(seller=seller, thresholds=thresholds)
    return threshold


def points_expire(*, now: datetime | None = None, limit: int = REFRESH_BATCH) -> int:
    """The daily job: sellers held for their points are held again as their points now stand, so that
    points past their 90 days lift what they brought. Returns how many sellers were refreshed."""
    now = now or timezone.now()
    reasons = [reason for reason, _kind in HOLDS.values()]
    seller_ids = list(
        SellingHold.objects.filter(reason__in=reasons).values_list("seller_id", flat=True).distinct()[:limit]
    )
    thresholds = _thresholds()
    for seller in User.objects.filter(pk__in=seller_ids):
        with transaction.atomic():
            restrictions_refresh(seller=seller, at=now, thresholds=thresholds)
    return len(seller_ids)
