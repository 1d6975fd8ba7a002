"""The grade crosswalk: every grade once, best to worst, honest where another scale has no equivalent."""

import pytest
from django.utils import translation

from inspection.crosswalk import BY_GRADE, CROSSWALK, crosswalk_rows
from listings.models import GRADE_MEANINGS, Grade

BACK_MARKET_SCALE = ["Premium", "Excellent", "Good", "Fair"]
THE_REALREAL_SCALE = ["Pristine", "Excellent", "Very Good", "Good", "Fair"]
CHENGXIN_SCALE = ["全新", "99新", "95新", "9成新", "8成新", "8成新以下"]


def test_every_grade_appears_once_from_best_to_worst():
    assert [entry.grade for entry in CROSSWALK] == list(Grade)
    assert set(BY_GRADE) == set(Grade.values)


@pytest.mark.parametrize(
    ("grade", "back_market", "the_realreal", "chengxin"),
    [
        (Grade.NEW, None, "Pristine", "全新"),
        (Grade.LIKE_NEW, "Premium", "Pristine", "99新"),
        (Grade.EXCELLENT, "Excellent", "Excellent", "95新"),
        (Grade.VERY_GOOD, "Good", "Very Good", "9成新"),
        (Grade.GOOD, "Fair", "Good", "8成新"),
        (Grade.FAIR, None, "Fair", "8成新以下"),
    ],
)
def test_each_grade_maps_to_the_scales_people_know(grade, back_market, the_realreal, chengxin):
    entry = BY_GRADE[grade]
    assert entry.back_market.term == back_market
    assert entry.the_realreal.term == the_realreal
    assert entry.chengxin.term == chengxin


def test_terms_come_only_from_each_platforms_own_scale():
    for entry in CROSSWALK:
        assert entry.back_market.term in [*BACK_MARKET_SCALE, None]
        assert entry.the_realreal.term in [*THE_REALREAL_SCALE, None]
        assert entry.chengxin.term in CHENGXIN_SCALE


def test_the_scales_keep_their_order_going_down_our_grades():
    for scale, column in (
        (BACK_MARKET_SCALE, "back_market"),
        (THE_REALREAL_SCALE, "the_realreal"),
        (CHENGXIN_SCALE, "chengxin"),
    ):
        positions = [
            scale.index(getattr(entry, column).term) for entry in CROSSWALK if getattr(entry, column).term
        ]
        assert positions == sorted(positions), column


def test_a_missing_equivalent_says_why():
    for entry in CROSSWALK:
        for equivalent in (entry.back_market, entry.the_realreal, entry.chengxin):
            if equivalent.term is None:
                assert str(equivalent.note)


def test_rows_mark_the_current_grade_and_carry_its_meaning():
    rows = crosswalk_rows(current="B")

    assert [row.grade for row in rows] == ["N", "S", "A", "B", "C", "D"]
    assert [row.grade for row in rows if row.current] == ["B"]
    assert rows[3].grade_label == "Very good"
    assert rows[3].meaning == str(GRADE_MEANINGS[Grade.VERY_GOOD])
    assert [equivalent.term for equivalent in rows[3].equivalents] == ["Good", "Very Good", "9成新"]


def test_rows_without_a_current_grade_mark_none():
    assert not any(row.current for row in crosswalk_rows())


def test_row_labels_follow_the_active_language():
    with translation.override("zh-hans"):
        rows = crosswalk_rows()
    assert rows[3].grade_label == "9成新"
