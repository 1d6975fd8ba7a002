"""The seller's side after submitting: "Sell with us" landing page, "My submissions", a submission's
page with its live estimate, cancelling, renewing an expired estimate, replacing a flagged photo, and
the private photos.

Every submission is looked up through recycling.selectors.submissions_visible_to, so another
seller's submission is a 404 (the same answer as one that does not exist); staff may look at any.
"""

import io
from typing import IO, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from PIL import Image

from accounts.http import AuthenticatedHttpRequest
from listings.models import Grade
from listings.photos import private_storage, stored_name
from marketplace.errors import InvalidTransition
from marketplace.keyset import InvalidCursor, paginate
from marketplace.rate_limits import EstimateLimit, PhotoUploadLimit, page_rate_limit
from recycling import questionnaire as questions
from recycling.errors import SubmissionError
from recycling.forms import PhotoReplaceForm, photo_limits_text
from recycling.models import Submission, SubmissionPhoto, SubmissionStatus, Valuation
from recycling.photo_checks import photo_flag_text
from recycling.selectors import report_code_for, submission_parcels, submissions_visible_to
from recycling.services.intake import submission_cancel
from recycling.services.photos import REPLACEABLE_STATUSES, photo_replace_check, submission_photo_replace
from recycling.services.transitions import CANCELLABLE
from recycling.services.valuation import submission_revalue
from recycling.valuation import reason_text
from shipping.carriers import carrier_name

PAGE_SIZE = 20
DASHBOARD_ORDER = ("-created_at", "-id")  # index submission_seller_newest
PHOTO_WIDTHS = (320, 1280)
PHOTO_QUALITY = 82
# While the job runs the page asks every second; past this many seconds it says it is taking longer
# and asks less often (the worker may be busy or down; the page still updates once it is done).
SLOW_VALUATION_SECONDS = 30


def downsized_jpeg_response(source: IO[bytes], *, width: int) -> HttpResponse:
    """A stored (already checked) JPEG at most `width` pixels wide, decoded at reduced size."""
    image: Image.Image = Image.open(source, formats=("JPEG",))
    source_width, source_height = image.size
    target_width = min(width, source_width)
    target_height = max(1, round(source_height * target_width / source_width))
    image.draft("RGB", (target_width, target_height))
    image = image.convert("RGB")
    if image.size != (target_width, target_height):
        image = image.resize((target_width, target_height), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=PHOTO_QUALITY)
    response = HttpResponse(output.getvalue(), content_type="image/jpeg")
    # Only the seller and staff may see it: never in a shared cache.
    response["Cache-Control"] = "private, max-age=3600"
    return response


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "recycling/start.html", {"grades": [(grade, grade.label) for grade in Grade]})


def _with_current_estimate(queryset):
    newest = Valuation.objects.filter(submission_id=OuterRef("pk")).order_by("-created_at", "-id")
    return queryset.annotate(
        cash_low=Subquery(newest.values("cash_low")[:1]),
        cash_high=Subquery(newest.values("cash_high")[:1]),
        consign_low=Subquery(newest.values("consign_low")[:1]),
        consign_high=Subquery(newest.values("consign_high")[:1]),
    )


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My submissions, newest first: one query for the page (the estimate is a subquery per row)."""
    queryset = _with_current_estimate(
        Submission.objects.filter(seller=request.user).select_related("category", "brand")
    )
    try:
        page = paginate(queryset, order_by=DASHBOARD_ORDER, cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    except InvalidCursor as error:
        messages.info(request, error.message)
        page = paginate(queryset, order_by=DASHBOARD_ORDER, cursor=None, size=PAGE_SIZE)
    return render(
        request,
        "recycling/dashboard.html",
        {
            "submissions": page.items,
            "next_url": f"?cursor={page.next_cursor}" if page.next_cursor else "",
            "previous_url": f"?cursor={page.previous_cursor}" if page.previous_cursor else "",
        },
    )


def _visible(request: AuthenticatedHttpRequest, pk: int) -> Submission:
    return get_object_or_404(submissions_visible_to(request.user), pk=pk)


def _live_context(request: AuthenticatedHttpRequest, submission: Submission) -> dict:
    """What the live part of the submission page shows: status, estimate, flags, actions, timeline."""
    valuation = submission.valuations.order_by("-created_at", "-id").first()
    events: list[dict[str, Any]] = [
        {"at": event.at, "what": event.get_new_display(), "text": event.text}
        for event in submission.events.select_related("by")
    ]
    # The carrier's news on the parcel to the centre and on its way back, in the same timeline.
    for parcel in submission_parcels(submission):
        for carrier_event in parcel.events.all():
            text = " · ".join(part for part in (carrier_name(parcel.carrier), carrier_event.location) if part)
            events.append(
                {"at": carrier_event.occurred_at, "what": carrier_event.text, "text": text, "parcel": True}
            )
    events.sort(key=lambda line: line["at"])
    polling = submission.status == SubmissionStatus.VALUING
    slow = polling and (timezone.now() - submission.updated_at).total_seconds() > SLOW_VALUATION_SECONDS
    is_owner = submission.seller_id == request.user.pk
    # While valuing, the flags shown would be those of the photo just replaced: none until the new ones.
    flags = valuation.photo_flags if valuation and not polling else []
    return {
        "submission": submission,
        "valuation": valuation,
        "reasons": [reason_text(reason) for reason in valuation.reasons] if valuation else [],
        "flagged_photos": _flagged_photos(
            submission, flags, can_replace=is_owner and submission.status in REPLACEABLE_STATUSES
        ),
        "events": events,
        "polling": polling,
        "poll_every": "5s" if slow else "1s",
        "slow": slow,
        "show_estimate": valuation is not None and submission.status != SubmissionStatus.VALUING,
        "can_cancel": is_owner and submission.status in CANCELLABLE,
        "can_book": is_owner and submission.status == SubmissionStatus.ESTIMATED,
        "can_download_label": submission.status == SubmissionStatus.SHIPPING,
        "can_revalue": is_owner and submission.status == SubmissionStatus.ESTIMATE_EXPIRED,
        "report_code": report_code_for(submission),
    }


def _flagged_photos(submission: Submission, flags: list[dict], *, can_replace: bool) -> list[dict]:
    """The estimate's photo flags by photo, in the order the checks found them: the view's label in the
    reader's language (never its code), what to do about each flag, and where to replace it."""
    questionnaire = questions.questionnaire_for(submission.category)
    photos: dict[str, dict] = {}
    for flag in flags:
        view = flag.get("view", "")
        photo = photos.setdefault(
            view,
            {
                "view": view,
                "label": questionnaire.view_label(view),
                "texts": [],
                "strong": False,
                "replace_url": reverse("recycling:photo_replace", args=[submission.pk, view])
                if can_replace and view
                else "",
            },
        )
        photo["texts"].append(photo_flag_text(flag))
        photo["strong"] = photo["strong"] or bool(flag.get("strong"))
    return list(photos.values())


@login_required
@require_GET
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = _visible(request, pk)
    questionnaire = questions.questionnaire_for(submission.category)
    attribute_rows = [
        {"label": attribute.label, "value": attribute.display(submission.attributes[attribute.name])}
        for attribute in questionnaire.attributes
        if submission.attributes.get(attribute.name)
    ]
    condition_rows = []
    for question in questionnaire.questions:
        answer = question.answer(submission.condition_answers.get(question.name))
        if answer is not None:
            condition_rows.append({"label": question.label, "value": answer.label})
    photos = [
        {"photo": photo, "label": questionnaire.view_label(photo.view)}
        for photo in sorted(submission.photos.all(), key=lambda photo: questionnaire.view_order(photo.view))
    ]
    return render(
        request,
        "recycling/detail.html",
        {
            **_live_context(request, submission),
            "attribute_rows": attribute_rows,
            "condition_rows": condition_rows,
            "photos": photos,
        },
    )


@login_required
@require_GET
def estimate_panel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The live part of the submission page, which htmx asks for every second while the estimate is
    being made; the answer without a trigger stops the polling."""
    submission = _visible(request, pk)
    return render(request, "recycling/_live.html", _live_context(request, submission))


@login_required
@require_POST
def cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = _visible(request, pk)
    try:
        submission_cancel(submission_id=submission.pk, seller=request.user)
    except Submission.DoesNotExist as error:  # staff may see it, only its seller may cancel it
        raise Http404 from error
    except InvalidTransition:  # the status moved on between the check and the lock
        messages.error(request, _("This submission can no longer be cancelled."))
    except SubmissionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your submission is cancelled."))
    return redirect("recycling:detail", pk=submission.pk)


@login_required
@require_POST
@page_rate_limit(EstimateLimit)
def revalue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = _visible(request, pk)
    try:
        submission_revalue(submission_id=submission.pk, seller=request.user)
    except Submission.DoesNotExist as error:
        raise Http404 from error
    except SubmissionError as error:
        messages.error(request, error.message)
    return redirect("recycling:detail", pk=submission.pk)


@login_required
@require_http_methods(["GET", "POST"])
@page_rate_limit(PhotoUploadLimit, EstimateLimit)
def photo_replace(request: AuthenticatedHttpRequest, pk: int, view: str) -> HttpResponse:
    """Replace a photo the checks flagged, and have the item estimated again: the seller's own
    submission only (anyone else: 404), while its estimate waits for them."""
    submission = get_object_or_404(
        Submission.objects.select_related("category", "brand", "catalog_model"), pk=pk, seller=request.user
    )
    try:
        flags = photo_replace_check(submission=submission, view=view)
    except SubmissionError as error:
        messages.error(request, error.message)
        return redirect("recycling:detail", pk=submission.pk)
    questionnaire = questions.questionnaire_for(submission.category)
    label = questionnaire.view_label(view)
    form = PhotoReplaceForm(
        _posted(request), request.FILES or None, view=questionnaire.view(view), label=label
    )
    if request.method == "POST" and form.is_valid() and form.checked is not None:
        try:
            submission_photo_replace(
                submission_id=submission.pk, seller=request.user, view=view, photo=form.checked
            )
        except SubmissionError as error:  # moved on since the page was shown
            messages.error(request, error.message)
        except InvalidTransition:  # moved on between the check and the lock
            messages.error(request, _("This photo can no longer be replaced."))
        else:
            messages.success(request, _("Thank you for the new photo. We are estimating your item again."))
        return redirect("recycling:detail", pk=submission.pk)
    current = SubmissionPhoto.objects.filter(submission=submission, view=view).first()
    return render(
        request,
        "recycling/photo_replace.html",
        {
            "submission": submission,
            "view": view,
            "label": label,
            "texts": [photo_flag_text(flag) for flag in flags],
            "current": current,
            "form": form,
            "limits": photo_limits_text(),
        },
        status=400 if form.errors else 200,
    )


def _posted(request: HttpRequest):
    """The form's data on a POST (an empty one must say "required"), none on a GET."""
    return request.POST if request.method == "POST" else None


@login_required
@require_GET
def photo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A submission photo, downsized, for its seller and staff only."""
    submission_photo = get_object_or_404(
        SubmissionPhoto.objects.filter(submission__in=submissions_visible_to(request.user).values("pk")),
        pk=pk,
    )
    try:
        width = int(request.GET.get("w", PHOTO_WIDTHS[-1]))
    except ValueError:
        width = PHOTO_WIDTHS[-1]
    width = min(PHOTO_WIDTHS, key=lambda allowed: abs(allowed - width))
    try:
        with private_storage().open(stored_name(submission_photo.key), "rb") as source:
            return downsized_jpeg_response(source, width=width)
    except FileNotFoundError as error:
        raise Http404 from error
