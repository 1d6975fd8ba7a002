"""What a seller declared about an item on the inspection desk: the apps that own the items answer the
`subjects_described` signal (inspection/signals.py), so that authenticators and inspectors see the
declarations beside their own findings without inspection importing those apps."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise

from inspection.models import Inspection
from inspection.signals import subjects_described


@dataclass(frozen=True)
class SubjectDetails:
    # (question, answer) as the seller gave them: attributes first, then condition answers.
    answers: list[tuple[str | Promise, str | Promise]] = field(default_factory=list)
    # (url, what the photo shows): the seller's own photos, for staff only.
    photos: list[tuple[str, str | Promise]] = field(default_factory=list)


def subject_details(codes: Iterable[str]) -> dict[str, SubjectDetails]:
    """The declarations of the items with these subject codes, from whichever app knows them."""
    wanted = sorted(set(codes))
    found: dict[str, SubjectDetails] = {}
    if not wanted:
        return found
    for _receiver, answer in subjects_described.send(sender=Inspection, codes=wanted):
        if isinstance(answer, dict):
            found.update(answer)
    return found
