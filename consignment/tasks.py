"""Thin Celery tasks for consignments: each calls one service and is safe to run twice.

The settlement job, consignment.tasks.settle_consignments, lives in consignment/settlement_tasks.py
and is imported at the end of this module so that the beat schedule's name finds it.
"""

from celery import shared_task


@shared_task(ignore_result=True)
def apply_price_drops() -> int:
    """The hourly sweep over listed consignments: first any sale whose news was lost (so that the
    settlement job finds it), then the price drops that are due."""
    from consignment.services.lifecycle import consignments_sold_catch_up
    from consignment.services.pricing import price_drops_apply

    consignments_sold_catch_up()
    return price_drops_apply()


@shared_task(ignore_result=True)
def end_consignment_terms() -> int:
    from consignment.services.lifecycle import consignment_terms_end

    return consignment_terms_end()


# --- Settlement (consignment/settlement_tasks.py, owned separately) ---------------------------------
from consignment.settlement_tasks import settle_consignments  # noqa: E402, F401
