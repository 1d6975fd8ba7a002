"""A refund whose job was lost (the broker was down) or gave up (the provider was down) still reaches
the buyer's card, once, through the periodic sweep."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import DisputeOutcome, OrderStatus, Refund
from orders.services.refunds import REFUND_RESEND_AFTER, refunds_send_unsent
from orders.services.returns import dispute_resolve
from sandbox.models import SandboxRefund
from tests.orders.test_disputes import disputed_order
from tests.outages import broker_down
from tests.recycling.shipping_fixtures import operations_user

pytestmark = pytest.mark.django_db


def _refund_in_full(order) -> None:
    dispute_resolve(
        order_id=order.pk,
        by=operations_user(),
        outcome=DisputeOutcome.FULL_REFUND,
        refund_amount=None,
        note="The crack shows in the buyer's photos.",
    )


def test_a_refund_sent_by_its_job_is_marked_sent_and_left_alone_by_the_sweep(
    django_capture_on_commit_callbacks,
):
    order = disputed_order(price="1299.00")
    with django_capture_on_commit_callbacks(execute=True):
        _refund_in_full(order)

    refund = Refund.objects.get()
    assert refund.sent_at is not None
    assert refund.provider_reference == SandboxRefund.objects.get().reference
    assert refunds_send_unsent(now=timezone.now() + REFUND_RESEND_AFTER + timedelta(minutes=1)) == 0


def test_a_refund_decided_while_the_broker_is_down_reaches_the_card_once(django_capture_on_commit_callbacks):
    order = disputed_order(price="1299.00")

    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        _refund_in_full(order)

    order.refresh_from_db()
    assert order.status == OrderStatus.RESOLVED  # the decision stands
    assert not SandboxRefund.objects.exists()
    assert refunds_send_unsent() == 0  # its job may still be on its way

    later = timezone.now() + REFUND_RESEND_AFTER + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert refunds_send_unsent(now=later) == 1
    assert refunds_send_unsent(now=later) == 0

    assert SandboxRefund.objects.get().amount == Decimal("1299.00")
    assert Refund.objects.get().sent_at is not None


def test_a_provider_outage_leaves_the_refund_for_the_next_run(settings, django_capture_on_commit_callbacks):
    order = disputed_order(price="1299.00")
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        _refund_in_full(order)
    later = timezone.now() + REFUND_RESEND_AFTER + timedelta(minutes=1)

    settings.PAYMENT_SANDBOX_FAIL = True
    assert refunds_send_unsent(now=later) == 0
    assert Refund.objects.get().sent_at is None

    settings.PAYMENT_SANDBOX_FAIL = False
    with django_capture_on_commit_callbacks(execute=True):
        assert refunds_send_unsent(now=later) == 1
    assert SandboxRefund.objects.count() == 1
