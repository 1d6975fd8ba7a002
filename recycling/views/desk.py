"""The receiving desk: operations staff scan (or type) a parcel's tracking number or submission code
and the submission is received into the inspection queue.

Only the operations group may use it: anonymous visitors are sent to sign in, anyone else signed in
gets 403. The scan field is the page's only input and has the focus, so a barcode scanner (which
types the code and presses Enter) can receive parcel after parcel without touching the screen.

What the photo checks flagged on a submission (a photo another seller already used, a blurred one…)
shows on its row and in the message after receiving it, so that the desk can set the parcel aside
for a closer look; the inspection desk shows the same notes.
"""

from collections.abc import Iterable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.roles import OPERATIONS, require_role
from inspection.subjects import SubjectPhotoFlag
from orders.services.centre import order_receive_at_centre
from providers.scope import provider_scope
from recycling.errors import ShippingError
from recycling.models import Submission
from recycling.selectors import (
    parcels_in_transit,
    photo_flag_notes,
    submission_photo_flags,
    submissions_received,
)
from recycling.services.shipping import submission_receive

# Each list shows the oldest first (they have waited longest) and stops here; the total is shown.
LIST_SIZE = 50


class ReceiveForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Tracking number or submission code"),
        max_length=60,
        error_messages={"required": gettext_lazy("Scan or type a tracking number or submission code.")},
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "enterkeyhint": "go",
            }
        ),
    )


def _with_photo_flags(submissions: Iterable[Submission]) -> list[tuple[Submission, list[SubjectPhotoFlag]]]:
    """Each submission of a desk list (annotated with `current_photo_flags`) with its photo flags."""
    return [
        (submission, photo_flag_notes(getattr(submission, "current_photo_flags", None), submission.category))
        for submission in submissions
    ]


@login_required
@require_http_methods(["GET", "POST"])
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, OPERATIONS)
    form = ReceiveForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            reference = form.cleaned_data["reference"]
            try:
                # A private seller's item sold with inspected delivery comes to Reloop's own desk.
                order = (
                    order_receive_at_centre(reference=reference, by=request.user)
                    if provider_scope(request.user) is None
                    else None
                )
                submission = (
                    None if order is not None else submission_receive(reference=reference, by=request.user)
                )
            except ShippingError as error:
                errors.append(error.message)
            else:
                if order is not None:
                    messages.success(
                        request,
                        _(
                            "Received order %(number)s “%(title)s” for inspected delivery. It waits in the "
                            "inspection queue, to be checked against its listing."
                        )
                        % {"number": order.number, "title": order.title},
                    )
                    return redirect("desk:index")
                assert submission is not None
                messages.success(
                    request,
                    _("Received %(code)s “%(title)s” from %(seller)s. It waits in the inspection queue.")
                    % {
                        "code": submission.code,
                        "title": submission.title,
                        "seller": submission.seller.public_name,
                    },
                )
                notes = submission_photo_flags(submission.code)
                if notes:
                    messages.warning(
                        request,
                        _("Check its photos against the item: %(flags)s.")
                        % {
                            "flags": _("; ").join(
                                _("%(view)s: %(problem)s") % {"view": note.view, "problem": note.problem}
                                for note in notes
                            )
                        },
                    )
                return redirect("desk:index")
        else:
            errors.extend(form.errors["reference"])  # type: ignore[arg-type]  # an ErrorList yields its messages (the stubs type the stored errors)
    scope = provider_scope(request.user)
    in_transit = parcels_in_transit(scope)
    received = submissions_received(scope)
    return render(
        request,
        "recycling/desk/index.html",
        {
            # Always an empty field: after a failed scan the scanner's next code must not be appended.
            "form": ReceiveForm(),
            "errors": errors,
            "in_transit": _with_photo_flags(in_transit[:LIST_SIZE]),
            "in_transit_total": in_transit.count(),
            "received": _with_photo_flags(received[:LIST_SIZE]),
            "received_total": received.count(),
        },
        status=400 if errors else 200,
    )
