"""The creators' pages: apply, the dashboard, posting a video, a video's public page with its
"buy what I show" links, the tracked link itself (/go/<code>/), the seller's own rate for an item, and
the staff desk (applications and category rates). Writes go through feed.services.creators."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.roles import OPERATIONS, require_platform_role
from feed import creator_selectors as selectors
from feed.creator_forms import ApplyForm, CreatorVideoForm, DecideForm, RateForm
from feed.creators import category_rate
from feed.errors import CreatorError
from feed.models import Creator, CreatorLink, CreatorVideo, rate_percent
from feed.receivers import SESSION_CLICKS
from feed.services import creators
from listings.errors import ListingError
from listings.models import Category, Listing, ListingSource
from listings.videos import video_upload_handlers
from marketplace.errors import DomainError

# How often a creator's page asks for the video job's progress while it runs.
POLL_EVERY = "2s"
# How many signed-out clicks a session keeps for its visitor's sign-in.
SESSION_CLICKS_KEPT = 50


@login_required
def apply(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Apply to be a creator (again after a refusal); an approved creator goes to their dashboard."""
    creator = selectors.creator_of(user=request.user)
    if creator is not None and creator.is_approved:
        return redirect("feed:creator_dashboard")
    form = ApplyForm(request.POST or None, initial={"handle": creator.handle if creator else ""})
    if request.method == "POST" and form.is_valid():
        try:
            creator = creators.creator_apply(
                user=request.user, handle=form.cleaned_data["handle"], pitch=form.cleaned_data["pitch"]
            )
        except CreatorError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Thank you: Reloop reviews applications within two working days."))
            return redirect("feed:creator_apply")
    return render(
        request,
        "feed/creators/apply.html",
        {"form": form, "creator": creator},
        status=400 if form.errors else 200,
    )


def _approved_creator(request: AuthenticatedHttpRequest) -> Creator:
    creator = selectors.creator_of(user=request.user)
    if creator is None or not creator.is_approved:
        raise Http404(_("You are not a creator yet."))
    return creator


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    creator = selectors.creator_of(user=request.user)
    if creator is None or not creator.is_approved:
        return redirect("feed:creator_apply")
    videos = selectors.videos_of(creator=creator)
    for video in videos:
        for each in video.links.all():
            each.share_url = request.build_absolute_uri(each.share_path)
    return render(
        request,
        "feed/creators/dashboard.html",
        {
            "creator": creator,
            "totals": selectors.totals_of(creator=creator),
            "commissions": selectors.commissions_of(creator=creator),
            "videos": videos,
        },
    )


def _video_form(request: AuthenticatedHttpRequest, data=None, files=None) -> CreatorVideoForm:
    form = CreatorVideoForm(data, files, choices=selectors.linkable_saved_items(user=request.user))
    if data is None and request.GET.get("listing", "").isdigit():
        form.initial["other"] = request.GET["listing"]
    return form


@login_required
@require_GET
def video_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _approved_creator(request)
    return render(request, "feed/creators/video_new.html", {"form": _video_form(request)})


# The CSRF check runs in _video_post, once the request carries a video's upload limit rather than a
# photo's: it is the first to read the body.
@csrf_exempt
@login_required
@require_POST
def video_post(request: AuthenticatedHttpRequest) -> HttpResponse:
    _approved_creator(request)  # before the body is read: only a creator may send one
    request.upload_handlers = video_upload_handlers(request)
    return _video_post(request)


@csrf_protect
def _video_post(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _video_form(request, request.POST, request.FILES)
    if form.is_valid():
        try:
            video = creators.creator_video_upload(
                by=request.user,
                upload=form.cleaned_data["video"],
                caption=form.cleaned_data["caption"],
                listing_ids=form.listing_ids(),
            )
        except (CreatorError, ListingError) as error:
            field = {"listings": "other"}.get(error.field or "", error.field)
            form.add_error(field if field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your video is uploaded; it is shown once it is ready."))
            return redirect("feed:creator_video", pk=video.pk)
    return render(request, "feed/creators/video_new.html", {"form": form}, status=400)


def _video(request: HttpRequest, pk: int) -> CreatorVideo:
    try:
        return selectors.video_for_page(
            video_id=pk, viewer=request.user if request.user.is_authenticated else None
        )
    except CreatorVideo.DoesNotExist:
        raise Http404(_("No such video.")) from None


@require_GET
def video_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A creator's video and the items it shows, each through its tracked link (跟着买)."""
    video = _video(request, pk)
    return render(
        request,
        "feed/creators/video.html",
        {"video": video, "own": video.creator.user_id == request.user.pk, "poll_every": POLL_EVERY},
    )


@require_GET
def video_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the creator's view of a video that shows the job's progress, asking again until
    it is over."""
    return render(
        request, "feed/creators/_video_status.html", {"video": _video(request, pk), "poll_every": POLL_EVERY}
    )


@require_GET
def link(request: HttpRequest, code: str) -> HttpResponse:
    """A creator's tracked link: count the click and open the item."""
    if request.session.session_key is None and not request.user.is_authenticated:
        request.session.save()  # a visitor's click is theirs by session until they sign in
    try:
        found, click = creators.link_click(
            code=code,
            user=request.user if request.user.is_authenticated else None,
            session_key=request.session.session_key or "",
        )
    except CreatorLink.DoesNotExist:
        raise Http404(_("No such link.")) from None
    if click is not None and click.user_id is None:
        request.session[SESSION_CLICKS] = [*request.session.get(SESSION_CLICKS, []), click.pk][
            -SESSION_CLICKS_KEPT:
        ]
    return redirect("listings:detail", pk=found.listing_id)


@login_required
def listing_rate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A private seller offers creators more on one of their items than its category's rate."""
    listing = Listing.objects.filter(pk=pk, seller=request.user, source=ListingSource.PERSON).first()
    if listing is None:
        raise Http404(_("No such listing among those you may change."))
    form = RateForm(request.POST or None, initial={"rate": selectors.rate_percent_for(listing=listing)})
    if request.method == "POST" and form.is_valid():
        try:
            creators.listing_rate_set(listing_id=pk, by=request.user, rate=form.cleaned_data["rate"])
        except CreatorError as error:
            form.add_error("rate", error.message)
        else:
            messages.success(request, _("The creators' commission on this item is saved."))
            return redirect("feed:listing_creator_rate", pk=pk)
    return render(
        request,
        "feed/creators/listing_rate.html",
        {"listing": listing, "form": form, "category_percent": rate_percent(category_rate(listing))},
        status=400 if form.errors else 200,
    )


# --- Staff --------------------------------------------------------------------------------------------


@login_required
def staff_desk(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_platform_role(request.user, OPERATIONS)
    return render(
        request,
        "feed/creators/staff.html",
        {
            "waiting": selectors.applications_waiting(),
            "recent": selectors.creators_recent(),
            "rates": selectors.category_rates(),
            "default_percent": rate_percent(settings.CREATOR_COMMISSION_RATE),
        },
    )


@login_required
@require_POST
def staff_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_platform_role(request.user, OPERATIONS)
    form = DecideForm(request.POST)
    form.is_valid()
    try:
        creator = creators.creator_decide(
            creator_id=pk,
            by=request.user,
            approve=request.POST.get("decision") == "approve",
            reason=form.cleaned_data.get("reason", ""),
        )
    except Creator.DoesNotExist:
        raise Http404(_("No such application.")) from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("@%(handle)s is approved.") % {"handle": creator.handle}
            if creator.is_approved
            else _("@%(handle)s is refused; they are told why.") % {"handle": creator.handle},
        )
    return redirect("feed:creator_staff")


@login_required
@require_POST
def staff_rate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_platform_role(request.user, OPERATIONS)
    form = RateForm(request.POST)
    try:
        if not form.is_valid():
            raise CreatorError(_("Give a rate."), code="rate", field="rate")
        row = creators.category_rate_set(category_id=pk, by=request.user, rate=form.cleaned_data["rate"])
    except Category.DoesNotExist:
        raise Http404 from None
    except CreatorError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The rate for %(category)s is saved.") % {"category": row.category})
    return redirect("feed:creator_staff")
