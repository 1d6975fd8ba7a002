"""The questionnaires: what each category asks, and how condition answers become a declared grade
(the worst answer decides)."""

import pytest
from django.utils.functional import Promise

from listings.models import Category, Grade
from recycling import questionnaire as questions

ALL = (*questions.QUESTIONNAIRES.values(), questions.DEFAULT)


def _best_answers(questionnaire: questions.Questionnaire) -> dict[str, str]:
    """For every question, its answer with the best cap."""
    return {
        question.name: min(question.answers, key=lambda a: questions.GRADE_ORDER.index(a.cap)).value
        for question in questionnaire.questions
    }


@pytest.mark.parametrize("questionnaire", ALL, ids=lambda q: q.slug)
def test_each_questionnaire_is_well_formed(questionnaire):
    names = [a.name for a in questionnaire.attributes]
    assert len(names) == len(set(names))
    question_names = [q.name for q in questionnaire.questions]
    assert len(question_names) == len(set(question_names))
    views = [v.name for v in questionnaire.photo_views]
    assert len(views) == len(set(views)) and all(len(v) <= 30 for v in views)
    assert len(questionnaire.photo_views) >= 2
    # Every label a person reads is translatable.
    for item in (*questionnaire.attributes, *questionnaire.questions, *questionnaire.photo_views):
        assert isinstance(item.label, Promise)
    for question in questionnaire.questions:
        assert all(isinstance(answer.label, Promise) for answer in question.answers)
        values = [answer.value for answer in question.answers]
        assert len(values) == len(set(values))
    # An item that is new on every count is declared new.
    assert questions.declared_grade(questionnaire, _best_answers(questionnaire)) == Grade.NEW


@pytest.mark.parametrize(
    ("slug", "views"),
    [
        ("phones", ["front", "back", "screen_on"]),
        ("laptops", ["lid", "keyboard", "screen_on"]),
        ("bags", ["front", "base", "interior", "date_code"]),
        ("watches", ["dial", "case_back", "clasp", "papers"]),
        ("sneakers", ["side", "sole", "size_label"]),
        ("clothing", ["front", "label"]),
        ("no-such-category", ["front", "back"]),
    ],
)
def test_photo_views_per_category(slug, views):
    questionnaire = questions.questionnaire_for(Category(slug=slug))
    assert [view.name for view in questionnaire.photo_views] == views
    assert all(view.hint for view in questionnaire.photo_views)


def test_a_watch_without_papers_is_not_asked_to_photograph_them():
    watches = questions.questionnaire_for(Category(slug="watches"))
    assert [v.name for v in watches.required_views({"papers": "yes"})] == [
        "dial",
        "case_back",
        "clasp",
        "papers",
    ]
    assert [v.name for v in watches.required_views({"papers": "no"})] == ["dial", "case_back", "clasp"]


@pytest.mark.parametrize(
    ("slug", "answers", "grade"),
    [
        # Best answers except the ones named: the worst named answer decides.
        ("phones", {}, Grade.NEW),
        ("phones", {"usage": "briefly"}, Grade.LIKE_NEW),
        ("phones", {"usage": "briefly", "screen_marks": "light"}, Grade.EXCELLENT),
        ("phones", {"battery": "unknown"}, Grade.VERY_GOOD),
        ("phones", {"battery": "80", "body": "light"}, Grade.VERY_GOOD),
        ("phones", {"usage": "light", "screen_cracks": "yes"}, Grade.FAIR),
        ("phones", {"repairs": "other"}, Grade.GOOD),
        ("laptops", {"keyboard": "shiny"}, Grade.VERY_GOOD),
        ("laptops", {"keyboard": "faulty", "usage": "briefly"}, Grade.FAIR),
        ("bags", {"handles": "patina", "corners": "light"}, Grade.VERY_GOOD),
        ("bags", {"interior": "stained"}, Grade.GOOD),
        ("watches", {"crystal": "chipped"}, Grade.FAIR),
        ("watches", {"usage": "light", "case": "light"}, Grade.EXCELLENT),
        ("sneakers", {"soles": "visible"}, Grade.VERY_GOOD),
        ("clothing", {"stains_odour": "visible"}, Grade.FAIR),
        ("clothing", {"fading": "slightly", "usage": "briefly"}, Grade.EXCELLENT),
        ("books", {"pages": "notes"}, Grade.VERY_GOOD),
        ("other", {"usage": "heavy"}, Grade.FAIR),
        ("other", {"works": "minor"}, Grade.GOOD),
    ],
)
def test_the_worst_answer_decides_the_declared_grade(slug, answers, grade):
    questionnaire = questions.questionnaire_for(Category(slug=slug))
    assert questions.declared_grade(questionnaire, _best_answers(questionnaire) | answers) == grade


def test_every_answer_caps_the_grade_at_its_own_level():
    phones = questions.questionnaire_for(Category(slug="phones"))
    best = _best_answers(phones)
    for question in phones.questions:
        for answer in question.answers:
            assert questions.declared_grade(phones, best | {question.name: answer.value}) == answer.cap


def test_declared_grade_needs_every_answer():
    phones = questions.questionnaire_for(Category(slug="phones"))
    answers = _best_answers(phones)
    del answers["battery"]
    with pytest.raises(ValueError):
        questions.declared_grade(phones, answers)


def test_attribute_and_condition_errors_name_each_problem():
    phones = questions.questionnaire_for(Category(slug="phones"))
    errors = questions.attribute_errors(
        phones, {"storage": "3 GB", "colour": "x" * 61, "carrier_lock": "", "shoe_size": "42"}
    )
    assert errors == {
        "storage": "invalid",
        "colour": "invalid",
        "carrier_lock": "missing",
        "account_removed": "missing",
        "shoe_size": "unknown",
    }
    answers = _best_answers(phones) | {"battery": "101%", "extra": "yes"}
    del answers["usage"]
    assert questions.condition_errors(phones, answers) == {
        "battery": "invalid",
        "usage": "missing",
        "extra": "unknown",
    }


def test_optional_attributes_may_be_left_blank():
    phones = questions.questionnaire_for(Category(slug="phones"))
    given = {
        "storage": "128 GB",
        "colour": " Blue ",
        "carrier_lock": "unlocked",
        "account_removed": "yes",
        "accessories": "",
    }
    assert questions.attribute_errors(phones, given) == {}
    assert questions.clean_attributes(phones, given) == {
        "storage": "128 GB",
        "colour": "Blue",
        "carrier_lock": "unlocked",
        "account_removed": "yes",
    }
