"""What the stores' side tells people (notifications.notify): staff decided a store's details, a
decided case took part of a deposit, a violation was decided against a seller, and an appeal was
decided. Once per cause."""

from collections.abc import Iterator, Mapping

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Group, Kind, register
from notifications.services import notify


class RuleTitles(Mapping):
    """A rule's code to its title in the active language, read when a notification is shown (the
    rules are data): a code no rule has any more is shown as stored."""

    def __getitem__(self, code: str) -> str:
        from trust.models import Rule

        rule = Rule.objects.filter(code=code).first()
        if rule is None:
            raise KeyError(code)
        return rule.label

    def __iter__(self) -> Iterator[str]:
        from trust.models import Rule

        return iter(Rule.objects.values_list("code", flat=True))

    def __len__(self) -> int:
        from trust.models import Rule

        return Rule.objects.count()


register(
    # Parameters: `rule` its code (shown by its title), `points` the decision's, `date` the last day
    # to appeal (ISO).
    Kind(
        "violation.decided",
        Group.SELLING,
        _("A decision about a rule you broke"),
        _("%(points)s violation points: %(rule)s"),
        _(
            "Reloop decided that you broke the rule “%(rule)s”: %(points)s points for 90 days. Your account "
            "health page gives the evidence and the reasons. You may appeal until %(date)s."
        ),
        dates=("date",),
        labels={"rule": RuleTitles()},
    ),
    # Parameters: `rule` as above, `reason` staff's, as typed.
    Kind(
        "appeal.overturned",
        Group.SELLING,
        _("Your appeal is decided"),
        _("Your appeal succeeded"),
        _(
            "The decision under “%(rule)s” is overturned and its points no longer count. The reason: %(reason)s"
        ),
        labels={"rule": RuleTitles()},
    ),
    Kind(
        "appeal.upheld",
        Group.SELLING,
        _("Your appeal is decided"),
        _("Your appeal did not succeed"),
        _("The decision under “%(rule)s” stands. The reason: %(reason)s"),
        labels={"rule": RuleTitles()},
    ),
    # Parameters: `store` its name, as typed.
    Kind(
        "store.verified",
        Group.SELLING,
        _("Your store's verification is decided"),
        _("Your store is verified"),
        _("Reloop verified the trader details of %(store)s: its page shows the verified badge."),
    ),
    # Parameters: `store` its name, `reason` staff's, as typed.
    Kind(
        "store.rejected",
        Group.SELLING,
        _("Your store's verification is decided"),
        _("Your store's details could not be verified"),
        _("Reloop could not verify the trader details of %(store)s. The reason: %(reason)s"),
    ),
    # Parameters: `amount` taken, `order` the dispute's order number, `reason` staff's, as typed.
    Kind(
        "store.deposit_deducted",
        Group.WALLET,
        _("A decided case took part of your store's deposit"),
        _("%(amount)s taken from your store's deposit"),
        _(
            "For the dispute on order %(order)s, %(amount)s of your deposit was paid to the buyer. The reason: %(reason)s"
        ),
        money=("amount",),
    ),
)


def store_notify_decided(*, store, reason: str, link: str) -> None:
    verified = store.is_verified
    notify(
        recipient=store.owner,
        kind="store.verified" if verified else "store.rejected",
        params={"store": store.name} if verified else {"store": store.name, "reason": reason},
        link=link,
        key=f"store:{store.pk}:decided:{store.events.order_by('-id').values_list('id', flat=True).first()}",
    )


def store_notify_deducted(*, deduction, link: str) -> None:
    notify(
        recipient=deduction.store.owner,
        kind="store.deposit_deducted",
        params={
            "amount": str(deduction.amount),
            "order": deduction.dispute.order.number,
            "reason": deduction.reason,
        },
        link=link,
        key=f"deposit_deduction:{deduction.pk}",
    )


def violation_notify_decided(*, violation, link: str) -> None:
    notify(
        recipient=violation.seller,
        kind="violation.decided",
        params={
            "rule": violation.rule.code,
            "points": violation.points,
            "date": violation.appeal_until.date().isoformat(),
        },
        link=link,
        key=f"violation:{violation.pk}",
    )


def appeal_notify_decided(*, appeal, link: str) -> None:
    notify(
        recipient=appeal.violation.seller,
        kind=f"appeal.{appeal.status}",
        params={"rule": appeal.violation.rule.code, "reason": appeal.reason},
        link=link,
        key=f"appeal:{appeal.pk}",
    )
