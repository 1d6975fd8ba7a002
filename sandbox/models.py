"""The sandbox providers' own books. In production these records live at the payment and payout
providers; here they stand in for them so that the sandbox can keep its promises the way a real
provider does (a repeated idempotency key answers with the first result, a refund cannot exceed the
payment). Reloop's apps never read these tables: they talk to the sandbox through the same client
interface a real provider would have (`orders.payments`, `wallet.payouts`).
"""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone


def new_reference(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


class SandboxPaymentStatus(models.TextChoices):
    OPEN = "open", "open"  # created, the hosted page not yet submitted
    SUCCEEDED = "succeeded", "succeeded"
    DECLINED = "declined", "declined"  # the last attempt was declined; the page may be tried again


class SandboxPayment(models.Model):
    reference = models.CharField(max_length=40, unique=True)
    idempotency_key = models.CharField(max_length=120, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    description = models.CharField(max_length=200, blank=True)
    return_url = models.URLField(max_length=500)
    status = models.CharField(max_length=12, choices=SandboxPaymentStatus.choices, default="open")
    card_last4 = models.CharField(max_length=4, blank=True)
    decline_reason = models.CharField(max_length=100, blank=True)
    refunded = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(refunded__gte=0) & Q(refunded__lte=models.F("amount")),
                name="sandbox_payment_refund_within_amount",
            )
        ]

    def __str__(self) -> str:
        return self.reference


class SandboxRefund(models.Model):
    reference = models.CharField(max_length=40, unique=True)
    idempotency_key = models.CharField(max_length=120, unique=True)
    payment = models.ForeignKey(SandboxPayment, related_name="refunds", on_delete=models.PROTECT)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.reference


class SandboxWebhook(models.Model):
    """Every event the sandbox has sent or will send, with its delivery attempts, like a provider's
    dashboard. The delivery job posts the signed body until Reloop answers 2xx."""

    event_id = models.CharField(max_length=40, unique=True)
    body = models.TextField()
    attempts = models.PositiveIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.event_id


class SandboxPayoutStatus(models.TextChoices):
    PENDING = "pending", "pending"  # accepted, the bank has not answered yet
    PAID = "paid", "paid"
    FAILED = "failed", "failed"


class SandboxPayout(models.Model):
    reference = models.CharField(max_length=40, unique=True)
    idempotency_key = models.CharField(max_length=120, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    destination = models.CharField(max_length=40)
    status = models.CharField(max_length=12, choices=SandboxPayoutStatus.choices, default="pending")
    failure_reason = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.reference
