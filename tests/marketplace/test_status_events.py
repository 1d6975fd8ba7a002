"""Status events store a message code with plain parameters and render them in the reader's language,
followed by what a person typed."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from inspection.models import FailReason
from marketplace.status_events import Message, MessageError, message_params, message_render, with_note
from orders.models import OrderEvent, OrderStatus
from orders.services.transitions import order_move
from tests.orders.helpers import paid_order

CATALOG = {
    "paid": _("Payment received."),
    "refunded": Message(_("Refunded in full: %(amount)s."), money=("amount",)),
    "failed": Message(_("Failed: %(reason)s."), labels={"reason": FailReason}),
    "unsold": Message(_("Not sold by %(date)s."), dates=("date",)),
    "lapsed": _("Not paid within %(minutes)d minutes: the item went back on sale."),
    "shipped": Message(_("Shipped with %(carrier)s, tracking number %(tracking)s."), labels={"carrier": {}}),
}


def test_parameters_are_stored_as_plain_values_in_no_language():
    assert message_params(CATALOG, "refunded", {"amount": Decimal("1299.00")}) == {"amount": "1299.00"}
    assert message_params(CATALOG, "failed", {"reason": FailReason.COUNTERFEIT}) == {"reason": "counterfeit"}
    assert message_params(CATALOG, "unsold", {"date": date(2026, 3, 1)}) == {"date": "2026-03-01"}
    assert message_params(CATALOG, "lapsed", {"minutes": 15}) == {"minutes": 15}
    assert message_params(CATALOG, "paid", None) == {}
    assert message_params(CATALOG, "", None) == {}


@pytest.mark.parametrize(
    ("message", "params"),
    [
        ("no.such.message", {}),
        ("refunded", {}),  # a parameter missing
        ("paid", {"amount": "1.00"}),  # one the message does not take
        ("refunded", {"amount": "a lot"}),
        ("unsold", {"date": "1 March"}),
        ("failed", {"reason": "Counterfeit"}),  # a label, not a code
        ("failed", {"reason": _("Counterfeit")}),  # text in some language
        ("", {"amount": "1.00"}),
    ],
)
def test_a_message_that_does_not_fit_its_catalog_raises(message, params):
    with pytest.raises(MessageError):
        message_params(CATALOG, message, params)


def test_a_mapping_of_labels_may_meet_a_value_it_does_not_list():
    params = {"carrier": "Rider on a bicycle", "tracking": "123"}
    assert message_params(CATALOG, "shipped", params) == params


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Refunded in full: ¥1,299.00.", "Failed: Counterfeit.", "Not sold by March 1, 2026."]),
        ("zh-hans", ["已全额退款：¥1299.00。", "未通过：假货。", "截至 2026年3月1日 未售出。"]),  # noqa: RUF001 (Chinese punctuation)
    ],
)
def test_a_message_renders_in_the_active_language(language, expected):
    with translation.override(language):
        rendered = [
            message_render(CATALOG, "refunded", {"amount": "1299.00"}),
            message_render(CATALOG, "failed", {"reason": "counterfeit"}),
            message_render(CATALOG, "unsold", {"date": "2026-03-01"}),
        ]
    assert rendered == expected


def test_rendering_is_lenient_with_rows_older_than_the_code():
    with translation.override("en"):
        assert message_render(CATALOG, "gone.since", {}) == ""
        assert message_render(CATALOG, "refunded", {}) == "Refunded in full: ."
        assert message_render(CATALOG, "failed", {"reason": "worn out"}) == "Failed: worn out."


def test_a_typed_note_follows_the_message():
    assert with_note("Return requested:", "Screen cracked") == "Return requested: Screen cracked"
    assert with_note("申请退货：", "屏幕碎了") == "申请退货：屏幕碎了"  # noqa: RUF001 (Chinese punctuation)
    assert with_note("", "Typed only") == "Typed only"
    assert with_note("Delivered.", "") == "Delivered."


def test_an_event_renders_its_message_then_its_note():
    event = OrderEvent(message="dispute.resolved", params={"outcome": "partial_refund"}, note="A crack.")
    with translation.override("en"):
        assert event.text == "Dispute resolved: Partial refund. A crack."
    assert OrderEvent(note="Typed by staff").text == "Typed by staff"


@pytest.mark.django_db
def test_a_move_with_an_unknown_message_raises_and_changes_nothing():
    order = paid_order()

    with pytest.raises(MessageError):
        order_move(order_id=order.pk, to=OrderStatus.REFUNDED, by=None, message="refund.everything")

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert list(order.events.values_list("new", flat=True)) == [OrderStatus.PAID]


@pytest.mark.django_db
def test_a_move_stores_the_code_and_plain_parameters():
    order = paid_order()

    order_move(
        order_id=order.pk,
        to=OrderStatus.REFUNDED,
        by=None,
        message="refund.full",
        params={"amount": Decimal("1299.00")},
    )

    event = order.events.last()
    assert (event.message, event.params, event.note) == ("refund.full", {"amount": "1299.00"}, "")
    with translation.override("zh-hans"):
        assert event.text == "已全额退款：¥1299.00。"  # noqa: RUF001 (Chinese punctuation)
