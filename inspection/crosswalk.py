"""Our grades next to the scales shoppers already know, shipped as data.

- Back Market grades refurbished electronics Premium, Excellent, Good and Fair. It sells only fully
  working, refurbished devices, so it has nothing for an unused item with tags (our N) and nothing for
  an item with faults (our D, which may have minor faults, stated).
- The RealReal grades consigned luxury Pristine, Excellent, Very Good, Good and Fair. "Pristine" covers
  both unused items (it notes new-with-tags separately) and items with no signs of wear, so both our N
  and S map to it.
- 闲鱼 (Xianyu) sellers describe condition in 成新, "tenths new": 全新, 99新, 95新, 9成新, 8成新 and below.

A row is a correspondence of descriptions, not a promise that another platform would grade the same
item the same way; `approximate` marks the pairs where the descriptions only roughly line up.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from listings.models import GRADE_MEANINGS, Grade


@dataclass(frozen=True)
class Equivalent:
    """One scale's term for one of our grades; `term` is None where that scale has no equivalent."""

    term: str | None
    approximate: bool = False
    note: Promise | str = ""


@dataclass(frozen=True)
class CrosswalkEntry:
    grade: Grade
    back_market: Equivalent
    the_realreal: Equivalent
    chengxin: Equivalent


# The other scales' terms are their own names and stay as those platforms write them.
CROSSWALK: tuple[CrosswalkEntry, ...] = (
    CrosswalkEntry(
        grade=Grade.NEW,
        back_market=Equivalent(None, note=_("Back Market sells refurbished devices only.")),
        the_realreal=Equivalent("Pristine", note=_("Marked as new with tags.")),
        chengxin=Equivalent("全新"),
    ),
    CrosswalkEntry(
        grade=Grade.LIKE_NEW,
        back_market=Equivalent("Premium"),
        the_realreal=Equivalent("Pristine"),
        chengxin=Equivalent("99新"),
    ),
    CrosswalkEntry(
        grade=Grade.EXCELLENT,
        back_market=Equivalent("Excellent"),
        the_realreal=Equivalent("Excellent"),
        chengxin=Equivalent("95新"),
    ),
    CrosswalkEntry(
        grade=Grade.VERY_GOOD,
        back_market=Equivalent("Good"),
        the_realreal=Equivalent("Very Good"),
        chengxin=Equivalent("9成新"),
    ),
    CrosswalkEntry(
        grade=Grade.GOOD,
        back_market=Equivalent("Fair"),
        the_realreal=Equivalent("Good"),
        chengxin=Equivalent("8成新"),
    ),
    CrosswalkEntry(
        grade=Grade.FAIR,
        back_market=Equivalent(None, note=_("Back Market sells only fully working devices.")),
        the_realreal=Equivalent("Fair", approximate=True),
        chengxin=Equivalent("8成新以下"),
    ),
)

BY_GRADE: dict[str, CrosswalkEntry] = {entry.grade.value: entry for entry in CROSSWALK}


@dataclass(frozen=True)
class CrosswalkRow:
    """One row ready to display, its labels in the active language."""

    grade: str
    grade_label: str
    meaning: str
    back_market: Equivalent
    the_realreal: Equivalent
    chengxin: Equivalent
    current: bool

    @property
    def equivalents(self) -> tuple[Equivalent, Equivalent, Equivalent]:
        """In the order of the columns: Back Market, The RealReal, 成新."""
        return self.back_market, self.the_realreal, self.chengxin


def crosswalk_rows(*, current: str = "") -> list[CrosswalkRow]:
    """Every grade from best to worst with its equivalents; `current` marks the row of one grade
    (a report's), so a page can highlight it."""
    return [
        CrosswalkRow(
            grade=entry.grade.value,
            grade_label=str(entry.grade.label),
            meaning=str(GRADE_MEANINGS[entry.grade]),
            back_market=entry.back_market,
            the_realreal=entry.the_realreal,
            chengxin=entry.chengxin,
            current=entry.grade.value == current,
        )
        for entry in CROSSWALK
    ]
