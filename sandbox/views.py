"""The sandbox provider's hosted payment page. In production the buyer pays on the provider's site;
here the page takes a test card, tells Reloop the outcome by webhook and sends the buyer back."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from sandbox.forms import CardForm
from sandbox.models import SandboxPayment, SandboxPaymentStatus
from sandbox.payments import (
    CARD_DECLINED,
    CARD_INSUFFICIENT_FUNDS,
    CARD_SUCCEEDS,
    PaymentAlreadyMade,
    payment_submit,
)

# The test cards as the page lists them: number in groups of four, and what paying with it does.
TEST_CARD_ROWS = (
    (CARD_SUCCEEDS, _("Payment succeeds")),
    (CARD_DECLINED, _("Declined: card_declined")),
    (CARD_INSUFFICIENT_FUNDS, _("Declined: insufficient_funds")),
)


@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, reference: str) -> HttpResponse:
    payment = get_object_or_404(SandboxPayment, reference=reference)
    form = CardForm()
    if request.method == "POST" and payment.status != SandboxPaymentStatus.SUCCEEDED:
        form = CardForm(request.POST)
        if form.is_valid():
            try:
                payment_submit(reference=payment.reference, card_number=form.cleaned_data["card_number"])
            except PaymentAlreadyMade:
                payment.refresh_from_db()
            else:
                return redirect(payment.return_url)
    return render(
        request,
        "sandbox/pay.html",
        {
            "payment": payment,
            "paid": payment.status == SandboxPaymentStatus.SUCCEEDED,
            "form": form,
            "test_cards": [
                (" ".join(number[start : start + 4] for start in range(0, len(number), 4)), outcome)
                for number, outcome in TEST_CARD_ROWS
            ],
        },
        status=400 if form.errors else 200,
    )
