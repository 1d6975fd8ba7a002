"""What a seller declared about an item on the inspection desk: the apps that own the items answer the
`subjects_described` signal (inspection/signals.py), so that authenticators and inspectors see the
declarations beside their own findings without inspection importing those apps."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise

from inspection.models import Inspection
from inspection.signals import subjects_described


@dataclass(frozen=True)
class SubjectPhotoFlag:
    """What the photo checks found on one of the seller's photos, worded for staff in the active
    language: the photo ("Front") and the problem ("Already used by another seller")."""

    view: str
    problem: str
    # Another seller's photo: the item may not be the seller's own; compare it with the photos.
    strong: bool = False


@dataclass(frozen=True)
class SubjectDetails:
    # (question, answer) as the seller gave them: attributes first, then condition answers.
    answers: list[tuple[str | Promise, str | Promise]] = field(default_factory=list)
    # (url, what the photo shows): the seller's own photos, for staff only.
    photos: list[tuple[str, str | Promise]] = field(default_factory=list)
    # What the photo checks of the current estimate found, the strong ones first; empty when nothing.
    photo_flags: list[SubjectPhotoFlag] = field(default_factory=list)


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
